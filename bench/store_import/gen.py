#!/usr/bin/python3
"""gen.py N OUT.csv — N synthetic Wenzhou enterprises in the column order of the enterprises
table (id, synthetic, fields..., created_at, updated_at), values as the store holds them
(money in fen, dates in days), for the store_import benchmark. Deterministic (seeded)."""
import random
import sys

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
COUNTIES = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "龙港市", "永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"]
CODES = ["C3562", "C3670", "C3811", "C3824", "C1951", "C1952", "C2929", "C3411", "C3441", "C3981", "C2710", "C4011"]
WORDS = ["瑞明", "正泰", "德力西", "华峰", "森马", "报喜鸟", "奥康", "红蜻蜓", "天正", "人民", "嘉利", "东方", "瓯江", "雁荡", "温达", "新界"]
KINDS = ["电气", "鞋业", "服饰", "泵阀", "汽配", "智能装备", "新材料", "生物医药", "眼镜", "五金"]


def uscc(i):
    body = "9133" + "03" + "%011d" % (i * 7919 % 10**11)
    body = body[:17]
    s = sum(CHARS.index(c) * w for c, w in zip(body, W))
    c = 31 - s % 31
    return body + CHARS[0 if c == 31 else c]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(20260101)
    cols = ["id", "synthetic", "uscc", "name", "county", "industry_code", "chain_id", "segment_id", "legal_rep",
            "revenue", "output_value", "value_added", "rd_expense", "employees", "founded", "above_scale",
            "micro", "tech_sme", "high_tech", "little_giant", "rd_centre", "leading", "created_at", "updated_at"]
    with open(out, "w", encoding="utf-8") as f:
        f.write(",".join(cols) + "\n")
        for i in range(1, n + 1):
            rev = rnd.randrange(10**6, 10**12)
            chain = rnd.randrange(1, 11)
            row = [i, 1, uscc(i), "温州%s%s%s有限公司%d" % (rnd.choice(WORDS), rnd.choice(WORDS), rnd.choice(KINDS), i),
                   rnd.choice(COUNTIES), rnd.choice(CODES), chain, chain, "张%d" % rnd.randrange(1000),
                   rev, rev * 11 // 10, rev // 4, rev // 30, rnd.randrange(1, 5000), rnd.randrange(3000, 20000),
                   rnd.randrange(2), rnd.randrange(2), rnd.randrange(2), rnd.randrange(2), rnd.randrange(2),
                   rnd.choice(["none", "city", "province"]), rnd.randrange(2),
                   "2026-01-01 00:00:00", "2026-01-01 00:00:00"]
            f.write(",".join(map(str, row)) + "\n")


if __name__ == "__main__":
    main()
