"""A small world for the auth room's tests: two enterprises, two platforms, two brokers, one
public / one brokers-only / one confidential demand, and one account per role, all made
through the API (as the bureau) and `chainfuse user add`. Imported by tests/api/test_auth_*.py."""
from conftest import add_user

from cf_rows import post, uscc  # tests/cf_rows.py

SECRET = "绝密工艺XQZ"  # a word that appears only in the confidential demand

ROLES = ["public", "bureau", "enterprise", "platform", "broker", "expert", "fund"]


def build(srv, db):
    """Creates the rows and accounts; srv must be logged in as the bureau. Returns a dict."""
    w = {}
    ch = post(srv, "chains", {"name": "泵阀", "name_en": "Pumps and valves", "kind": "pillar"})["id"]
    w["ent_a"] = post(srv, "enterprises", {"uscc": uscc("91330300MA2A00001"), "name": "温州甲阀门有限公司",
                                           "county": "龙湾区", "industry_code": "34", "chain_id": ch})["id"]
    w["ent_b"] = post(srv, "enterprises", {"uscc": uscc("91330300MA2A00002"), "name": "温州乙电气有限公司",
                                           "county": "乐清市", "industry_code": "38", "chain_id": ch})["id"]
    w["plat_a"] = post(srv, "platforms", {"name": "瓯江实验室", "positioning": "基础研究", "stage": "建设期", "county": "瓯海区", "market_based": False})["id"]
    w["plat_b"] = post(srv, "platforms", {"name": "温州大学研究院", "positioning": "技术创新", "stage": "运行期", "county": "鹿城区", "market_based": False})["id"]
    w["brk_x"] = post(srv, "brokers", {"name": "李经纪", "level": "中级", "status": "active"})["id"]
    w["brk_y"] = post(srv, "brokers", {"name": "王经纪", "level": "初级", "status": "active"})["id"]
    w["d_public"] = post(srv, "demands", {"enterprise_id": w["ent_a"], "title": "阀门密封件寿命提升",
                                          "visibility": "public"})["id"]
    w["d_brokers"] = post(srv, "demands", {"enterprise_id": w["ent_a"], "title": "阀体轻量化设计",
                                           "visibility": "brokers"})["id"]
    w["d_secret"] = post(srv, "demands", {"enterprise_id": w["ent_a"], "title": f"{SECRET}高温阀门涂层",
                                          "visibility": "confidential", "brokers": [w["brk_x"]]})["id"]
    w["d_b"] = post(srv, "demands", {"enterprise_id": w["ent_b"], "title": "断路器触头材料",
                                     "visibility": "public"})["id"]
    w["ach_a"] = post(srv, "achievements", {"title": "高温合金铸造工艺", "platform_id": w["plat_a"],
                                            "visibility": "public"})["id"]
    w["ach_b"] = post(srv, "achievements", {"title": "电弧仿真软件", "platform_id": w["plat_b"],
                                            "visibility": "public"})["id"]
    w["sh_a"] = post(srv, "shareholders", {"enterprise_id": w["ent_a"], "holder_kind": "person",
                                           "holder_name": "张三", "share": 60})["id"]
    w["sh_b"] = post(srv, "shareholders", {"enterprise_id": w["ent_b"], "holder_kind": "person",
                                           "holder_name": "赵六", "share": 40})["id"]
    accounts = {
        "enterprise": ("u-ent-a", "enterprise", ("--enterprise", w["ent_a"])),
        "enterprise_b": ("u-ent-b", "enterprise", ("--enterprise", w["ent_b"])),
        "platform": ("u-plat-a", "platform", ("--platform", w["plat_a"])),
        "broker": ("u-brk-x", "broker", ("--broker", w["brk_x"])),
        "broker_y": ("u-brk-y", "broker", ("--broker", w["brk_y"])),
        "expert": ("u-expert", "expert", ()),
        "fund": ("u-fund", "fund", ()),
    }
    w["accounts"] = {}
    for key, (name, role, links) in accounts.items():
        pw = f"pw-{name}-2026"
        p = add_user(db, name, pw, role, *map(str, links))
        assert p.returncode == 0, p.stderr
        w["accounts"][key] = (name, pw)
    return w


def act_as(srv, w, who):
    """Makes srv act as who: "public", "bureau" or a key of w["accounts"]."""
    if who == "public":
        srv.anonymous()
        return
    if who == "bureau":
        from conftest import TEST_BUREAU
        st, b = srv.login(*TEST_BUREAU)
    else:
        st, b = srv.login(*w["accounts"][who])
    assert st == 200, (who, b)
