/* Unit tests of src/match/index.c: ranking properties, live updates, explanations that add
 * up, visibility across roles, signals, and MaxScore pruning against an unpruned run. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/path.h"
#include "match/index.h"
#include "match/weights.h"
#include "text/tokenize.h"

static text_tokenizer *tok;
static match_index *ix;
static match_weights w;
static arena *ar;

static void setup(void)
{
	char path[4096];
	cf_err e;
	cr_assert_eq(text_tokenizer_create(0, &tok, &e), 0);
	cr_assert_eq(path_data("text/stopwords.txt", path, sizeof path), 0);
	cr_assert_eq(text_tokenizer_load_stopwords(tok, path, &e), 0, "%s", e.msg);
	cr_assert_eq(match_index_create(tok, &ix, &e), 0);
	cr_assert_eq(match_weights_load_default(&w, &e), 0, "%s: %s", e.where, e.msg);
	w.fb_round[0].docs = 0; /* feedback has its own test */
	w.taat_min_terms = 0; /* MaxScore unless a test asks for term-at-a-time */
	ar = arena_create();
}

static void teardown(void)
{
	arena_free(ar);
	match_index_free(ix);
	text_tokenizer_free(tok);
}

static void put(int kind, int64_t id, const char *text)
{
	match_doc d;
	cf_err e;
	memset(&d, 0, sizeof d);
	d.kind = kind;
	d.id = id;
	d.text = text;
	d.len = strlen(text);
	cr_assert_eq(match_index_put(ix, &d, &e), 0, "%s", e.msg);
}

static match_result search_as(int kind, const char *text, const cf_viewer *who, int k)
{
	match_query q;
	match_result r;
	cf_err e;
	memset(&q, 0, sizeof q);
	q.text = text;
	q.len = strlen(text);
	q.kind = kind;
	q.who = who;
	q.k = k;
	q.exclude_kind = -1;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), 0, "%s", e.msg);
	return r;
}

static int rank_of(const match_result *r, int64_t id)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		if (r->hits[i].id == id)
			return (int)i + 1;
	return 0;
}

TestSuite(match_index, .init = setup, .fini = teardown);

Test(match_index, all_terms_outrank_some_and_none_is_absent)
{
	put(MK_ACHIEVEMENT, 1, "高温合金涡轮叶片精密铸造工艺");
	put(MK_ACHIEVEMENT, 2, "涡轮叶片的检测方法");
	put(MK_ACHIEVEMENT, 3, "水稻病虫害智能识别系统");
	match_result r = search_as(MK_ACHIEVEMENT, "高温合金涡轮叶片铸造", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(r.hits[0].id, 1);
	cr_assert_eq(r.hits[1].id, 2);
	cr_assert_eq(rank_of(&r, 3), 0);
	cr_assert_gt(r.hits[0].score, r.hits[1].score);
}

Test(match_index, kind_filter_keeps_other_kinds_out)
{
	put(MK_ACHIEVEMENT, 1, "锂电池正极材料");
	put(MK_PLATFORM, 1, "锂电池正极材料检测平台");
	match_result r = search_as(MK_PLATFORM, "锂电池正极材料", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].kind, MK_PLATFORM);
	cr_assert_eq(r.hits[0].id, 1);
}

Test(match_index, delete_and_update_affect_the_next_query)
{
	cf_err e;
	put(MK_ACHIEVEMENT, 7, "阀门密封件 DN50");
	put(MK_ACHIEVEMENT, 8, "泵体铸造");
	match_result r = search_as(MK_ACHIEVEMENT, "DN50 阀门", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].id, 7);
	cr_assert_eq(match_index_delete(ix, MK_ACHIEVEMENT, 7, &e), 0);
	r = search_as(MK_ACHIEVEMENT, "DN50 阀门", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 0);
	cr_assert_eq(match_index_count(ix), 1);
	cr_assert_eq(match_index_delete(ix, MK_ACHIEVEMENT, 7, &e), CF_ENOTFOUND);
	/* update: 8 now speaks of valves; its old text no longer matches */
	put(MK_ACHIEVEMENT, 8, "阀门 DN50 新型密封");
	r = search_as(MK_ACHIEVEMENT, "DN50", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].id, 8);
	r = search_as(MK_ACHIEVEMENT, "泵体铸造", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 0);
	cr_assert_eq(match_index_count(ix), 1);
	cr_assert_eq(match_index_compact(ix, &e), 0);
	r = search_as(MK_ACHIEVEMENT, "DN50", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].id, 8);
}

Test(match_index, explanation_adds_up_to_the_score)
{
	match_doc d;
	match_query q;
	match_result r;
	cf_err e;
	size_t i, j;
	memset(&d, 0, sizeof d);
	d.kind = MK_ACHIEVEMENT;
	d.id = 5;
	d.text = "智能制造 数控机床 故障诊断";
	d.len = strlen(d.text);
	snprintf(d.attrs.industry, sizeof d.attrs.industry, "C3421");
	snprintf(d.attrs.region, sizeof d.attrs.region, "330302");
	d.attrs.trl = 7;
	d.attrs.price_fen = 50000000;
	d.attrs.segment = 3;
	cr_assert_eq(match_index_put(ix, &d, &e), 0);
	put(MK_ACHIEVEMENT, 6, "数控机床 主轴");
	cr_assert_eq(match_index_set_contracts(ix, 11, 12, 3, &e), 0);
	d.attrs.field = 12;
	d.id = 9;
	cr_assert_eq(match_index_put(ix, &d, &e), 0);
	memset(&q, 0, sizeof q);
	q.text = "数控机床故障诊断";
	q.len = strlen(q.text);
	q.kind = MK_ACHIEVEMENT;
	q.who = &cf_viewer_bureau;
	q.k = 10;
	q.exclude_kind = -1;
	snprintf(q.attrs.industry, sizeof q.attrs.industry, "C3422");
	snprintf(q.attrs.region, sizeof q.attrs.region, "330381");
	q.attrs.firm_size = MATCH_FIRM_MICRO;
	q.attrs.budget_fen = 100000000;
	q.attrs.segment = 3;
	q.attrs.field = 11;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), 0);
	cr_assert_eq(r.n, 3);
	for (i = 0; i < r.n; i++) {
		double sum = 0;
		for (j = 0; j < r.hits[i].nterms; j++)
			sum += r.hits[i].terms[j].score;
		cr_assert(fabs(sum - r.hits[i].text_score) < 1e-9);
		for (j = 0; j < MS_COUNT; j++)
			sum += r.hits[i].signal[j];
		cr_assert(fabs(sum - r.hits[i].score) < 1e-9, "hit %zu: %.12f != %.12f", i, sum, r.hits[i].score);
	}
	/* 9 has the contract history on top of 5's signals */
	cr_assert_eq(r.hits[0].id, 9);
	cr_assert_eq(r.hits[1].id, 5);
	/* same 中类 (342x): group level; same city 3303: city level; micro firm needs TRL 7: met */
	cr_assert(fabs(r.hits[1].signal[MS_INDUSTRY] - w.signal[MS_INDUSTRY] * w.industry_level[1]) < 1e-12);
	cr_assert(fabs(r.hits[1].signal[MS_LOCALITY] - w.signal[MS_LOCALITY] * w.locality_level[1]) < 1e-12);
	cr_assert(fabs(r.hits[1].signal[MS_TRL_FIT] - w.signal[MS_TRL_FIT]) < 1e-12);
	cr_assert(fabs(r.hits[1].signal[MS_BUDGET] - w.signal[MS_BUDGET]) < 1e-12);
	cr_assert(fabs(r.hits[1].signal[MS_SEGMENT] - w.signal[MS_SEGMENT]) < 1e-12);
	cr_assert(fabs(r.hits[0].signal[MS_CONTRACTS] - w.signal[MS_CONTRACTS] * 3 / (3 + w.contracts_half)) < 1e-12);
	cr_assert_eq(r.hits[2].signal[MS_INDUSTRY], 0);
	cr_assert_str_eq(r.hits[0].terms[0].term, r.hits[1].terms[0].term);
}

Test(match_index, industry_proximity_orders_equal_texts)
{
	static const char *codes[] = {"C3511", "C3512", "C3521", "C3611", "D4411"};
	match_doc d;
	match_query q;
	match_result r;
	cf_err e;
	int i;
	for (i = 0; i < 5; i++) {
		memset(&d, 0, sizeof d);
		d.kind = MK_ACHIEVEMENT;
		d.id = 100 + i;
		d.text = "矿山机械液压支架";
		d.len = strlen(d.text);
		snprintf(d.attrs.industry, sizeof d.attrs.industry, "%s", codes[4 - i]);
		cr_assert_eq(match_index_put(ix, &d, &e), 0);
	}
	memset(&q, 0, sizeof q);
	q.text = "液压支架";
	q.len = strlen(q.text);
	q.kind = MK_ACHIEVEMENT;
	q.who = &cf_viewer_bureau;
	q.k = 5;
	q.exclude_kind = -1;
	snprintf(q.attrs.industry, sizeof q.attrs.industry, "C3511");
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), 0);
	cr_assert_eq(r.n, 5);
	for (i = 0; i < 5; i++)
		cr_assert_eq(r.hits[i].id, 104 - i, "rank %d holds %lld", i, (long long)r.hits[i].id);
}

static void put_confidential(void)
{
	match_doc d;
	cf_err e;
	memset(&d, 0, sizeof d);
	d.kind = MK_DEMAND;
	d.id = 42;
	d.text = "碳化硅功率器件封装 散热";
	d.len = strlen(d.text);
	d.access.visibility = MATCH_VIS_CONFIDENTIAL;
	d.access.owner_enterprise = 900;
	d.access.brokers[0] = 31;
	d.access.nbrokers = 1;
	cr_assert_eq(match_index_put(ix, &d, &e), 0);
	put(MK_DEMAND, 43, "功率器件 测试");
}

Test(match_index, confidential_demand_visible_to_owner_bureau_named_broker_only)
{
	cf_viewer owner = {ROLE_ENTERPRISE, 5, 900, 0, 0}, other = {ROLE_ENTERPRISE, 6, 901, 0, 0};
	cf_viewer named = {ROLE_BROKER, 7, 0, 0, 31}, broker = {ROLE_BROKER, 8, 0, 0, 32};
	cf_viewer platform = {ROLE_PLATFORM, 9, 0, 1, 0};
	put_confidential();
	cr_assert_eq(rank_of((match_result[]){search_as(MK_DEMAND, "碳化硅功率器件", &owner, 10)}, 42), 1);
	cr_assert_eq(rank_of((match_result[]){search_as(MK_DEMAND, "碳化硅功率器件", &cf_viewer_bureau, 10)}, 42), 1);
	cr_assert_eq(rank_of((match_result[]){search_as(MK_DEMAND, "碳化硅功率器件", &named, 10)}, 42), 1);
	cr_assert_eq(match_index_visible(ix, MK_DEMAND, 42, &named), 1);
	const cf_viewer *hidden[] = {&other, &broker, &platform, &cf_viewer_public, NULL};
	for (int i = 0; i < 5; i++) {
		match_result r = search_as(MK_DEMAND, "碳化硅功率器件", hidden[i], 10);
		cr_assert_eq(r.n, 1, "viewer %d", i);
		cr_assert_eq(r.hits[0].id, 43);
		cr_assert_eq(match_index_visible(ix, MK_DEMAND, 42, hidden[i]), 0);
		/* a query made only of its words finds nothing, as if it did not exist */
		r = search_as(MK_DEMAND, "碳化硅 散热", hidden[i], 10);
		cr_assert_eq(r.n, 0);
	}
	cr_assert_eq(match_index_visible(ix, MK_DEMAND, 4242, &cf_viewer_bureau), 0);
}

Test(match_index, hidden_document_leaves_no_trace_in_scores)
{
	cf_viewer other = {ROLE_ENTERPRISE, 6, 901, 0, 0};
	match_result with, without, compacted;
	cf_err e;
	put(MK_DEMAND, 44, "功率器件 封装 工艺");
	put_confidential();
	with = search_as(MK_DEMAND, "功率器件封装散热", &other, 10);
	/* collection statistics count public documents only, so the scores others see are
	 * exactly those of an index that never held the confidential demand */
	cr_assert_eq(match_index_delete(ix, MK_DEMAND, 42, &e), 0);
	without = search_as(MK_DEMAND, "功率器件封装散热", &other, 10);
	cr_assert_eq(match_index_compact(ix, &e), 0);
	compacted = search_as(MK_DEMAND, "功率器件封装散热", &other, 10);
	cr_assert_eq(with.n, 2);
	cr_assert_eq(with.n, without.n);
	cr_assert_eq(with.n, compacted.n);
	for (size_t i = 0; i < with.n; i++) {
		cr_assert_eq(with.hits[i].id, without.hits[i].id);
		cr_assert_eq(with.hits[i].score, without.hits[i].score);
		cr_assert_eq(with.hits[i].score, compacted.hits[i].score);
	}
}

Test(match_index, maxscore_equals_unpruned_ranking_and_skips)
{
	/* 20,000 documents of common words; rare words in a few of them */
	static const char *common[] = {"材料", "电池", "正极", "涂层", "焊接", "检测", "算法", "模具"};
	char text[512];
	uint32_t seed = 12345;
	match_result pruned, full;
	int i, j;
	for (i = 0; i < 20000; i++) {
		size_t len = 0;
		for (j = 0; j < 6; j++) {
			seed = seed * 1103515245u + 12345u;
			len += (size_t)snprintf(text + len, sizeof text - len, "%s，", common[(seed >> 16) % 8]);
		}
		if (i % 500 == 7)
			len += (size_t)snprintf(text + len, sizeof text - len, "眼镜，");
		if (i % 700 == 3)
			len += (size_t)snprintf(text + len, sizeof text - len, "鞋革，");
		put(MK_ACHIEVEMENT, i, text);
	}
	pruned = search_as(MK_ACHIEVEMENT, "眼镜 鞋革 材料 电池", &cf_viewer_bureau, 10);
	/* k = 1000 keeps the threshold low for long: far fewer skips, same top 10 */
	full = search_as(MK_ACHIEVEMENT, "眼镜 鞋革 材料 电池", &cf_viewer_bureau, 1000);
	cr_assert_eq(pruned.n, 10);
	for (i = 0; i < 10; i++) {
		cr_assert_eq(pruned.hits[i].id, full.hits[i].id, "rank %d", i);
		cr_assert(fabs(pruned.hits[i].score - full.hits[i].score) < 1e-9);
	}
	cr_assert_lt(pruned.postings_decoded, pruned.postings_total / 2, "decoded %llu of %llu",
		     (unsigned long long)pruned.postings_decoded, (unsigned long long)pruned.postings_total);
	cr_assert_eq(full.n, 1000);
	cr_assert_gt(full.postings_decoded, 2 * pruned.postings_decoded);
	/* term-at-a-time (long queries) ranks exactly alike */
	w.taat_min_terms = 1;
	match_result taat = search_as(MK_ACHIEVEMENT, "眼镜 鞋革 材料 电池", &cf_viewer_bureau, 10);
	cr_assert_eq(taat.n, 10);
	for (i = 0; i < 10; i++) {
		cr_assert_eq(taat.hits[i].id, pruned.hits[i].id, "rank %d", i);
		cr_assert(fabs(taat.hits[i].score - pruned.hits[i].score) < 1e-9);
		cr_assert_eq(taat.hits[i].nterms, pruned.hits[i].nterms);
	}
}

static int text_of(void *ctx, int kind, int64_t id, const char **text, size_t *len)
{
	static const char *texts[] = {"涡轮叶片 高温合金 单晶 铸造", "单晶 铸造 定向凝固 高温合金", "水稻 育种"};
	(void)ctx;
	(void)kind;
	if (id < 1 || id > 3)
		return -1;
	*text = texts[id - 1];
	*len = strlen(*text);
	return 0;
}

Test(match_index, feedback_finds_related_documents_without_shared_query_terms)
{
	match_query q;
	match_result r;
	cf_err e;
	put(MK_ACHIEVEMENT, 1, "涡轮叶片 高温合金 单晶 铸造");
	put(MK_ACHIEVEMENT, 2, "单晶 铸造 定向凝固 高温合金");
	put(MK_ACHIEVEMENT, 3, "水稻 育种");
	memset(&q, 0, sizeof q);
	q.text = "涡轮叶片";
	q.len = strlen(q.text);
	q.kind = MK_ACHIEVEMENT;
	q.who = &cf_viewer_bureau;
	q.k = 10;
	q.exclude_kind = MK_ACHIEVEMENT;
	q.exclude_id = 1;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), 0);
	cr_assert_eq(r.n, 0, "without feedback nothing else shares 涡轮叶片");
	w.fb_round[0].docs = 1;
	w.fb_round[1].docs = 0;
	w.fb_max_query_terms = 64;
	q.doc_text = text_of;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].id, 2);
}

Test(match_index, bad_queries_are_rejected)
{
	match_query q;
	match_result r;
	cf_err e;
	memset(&q, 0, sizeof q);
	q.kind = MK_COUNT;
	q.k = 10;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), CF_EINVAL);
	q.kind = MK_DEMAND;
	q.k = 0;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), CF_EINVAL);
	q.k = 5;
	q.text = "\xc3";
	q.len = 1;
	cr_assert_eq(match_search(ix, &w, &q, ar, &r, &e), CF_EINVAL);
	cr_assert_eq(match_kind_parse("instrument"), MK_INSTRUMENT);
	cr_assert_eq(match_kind_parse("nope"), -1);
}

Test(match_index, weights_file_errors_name_the_field)
{
	FILE *f = fopen("/tmp/cf_match_bad_weights.json", "w");
	match_weights x;
	cf_err e;
	cr_assert(f);
	fputs("{\"bm25\": {\"k1\": 1.2, \"b\": 7}}", f);
	fclose(f);
	cr_assert_eq(match_weights_load("/tmp/cf_match_bad_weights.json", &x, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "$.bm25.b");
	remove("/tmp/cf_match_bad_weights.json");
}

/* Packing the posting lists into one allocation changes no score; lists that grow after the
 * pack move out of it, and compaction (automatic after enough deletions) drops deleted
 * documents from the document frequencies. */
Test(match_index, pack_keeps_scores_and_lists_grow_after_it)
{
	static const char *texts[] = {"阀门密封件耐磨损材料", "密封材料老化测试方法", "不锈钢阀门铸造工艺",
				      "水稻病虫害图像识别", "阀门智能控制系统"};
	match_result before, after;
	size_t i, terms, post0, post1, single;
	cf_err e;
	for (i = 0; i < 5; i++)
		put(MK_ACHIEVEMENT, (int64_t)i + 1, texts[i]);
	before = search_as(MK_ACHIEVEMENT, "阀门密封材料", &cf_viewer_bureau, 10);
	cr_assert_eq(match_index_pack(ix, &e), 0);
	after = search_as(MK_ACHIEVEMENT, "阀门密封材料", &cf_viewer_bureau, 10);
	cr_assert_eq(before.n, 4);
	cr_assert_eq(after.n, before.n);
	for (i = 0; i < after.n; i++) {
		cr_assert_eq(after.hits[i].id, before.hits[i].id);
		cr_assert_eq(after.hits[i].score, before.hits[i].score);
	}
	/* grows out of the pack */
	for (i = 6; i < 40; i++)
		put(MK_ACHIEVEMENT, (int64_t)i, "阀门密封件寿命提升");
	after = search_as(MK_ACHIEVEMENT, "密封件寿命", &cf_viewer_bureau, 50);
	cr_assert_eq(after.n, 36, "%zu", after.n); /* 34 new ones, 1 (密封件) and 2 (密封) */
	match_index_stats(ix, &terms, &post0, &single);
	/* deleting 30 of 39 documents compacts on its own: postings drop with them */
	for (i = 6; i < 36; i++)
		cr_assert_eq(match_index_delete(ix, MK_ACHIEVEMENT, (int64_t)i, &e), 0);
	match_index_stats(ix, &terms, &post1, &single);
	cr_assert_lt(post1, post0);
	after = search_as(MK_ACHIEVEMENT, "密封件寿命", &cf_viewer_bureau, 50);
	cr_assert_eq(after.n, 6, "%zu", after.n); /* 36..39, 1 and 2 */
	cr_assert_eq(match_index_count(ix), 9);
}

/* BM25 part of one query term (query weight 1) as index.c computes it. */
static double bm25(double tf, double dl, double avgdl, double n, double df)
{
	double idf = log(1.0 + (n - df + 0.5) / (df + 0.5));
	return w.text * idf * tf * (w.k1 + 1) / (tf + w.k1 * (1 - w.b + w.b * dl / avgdl));
}

/* The term "qx7" goes from one inline posting, to a flat list (one block without a header),
 * to blocks of 128 postings with headers, and back to inline when compaction drops the
 * others; every document has 3 tokens, so avgdl is 3 throughout. */
Test(match_index, term_goes_inline_flat_blocks_and_compacts_back)
{
	static const char *by_tf[] = {"", "qx7 b1 b2", "qx7 qx7 b1", "qx7 qx7 qx7"};
	match_result r, one;
	size_t i, terms, postings, single;
	cf_err e;
	put(MK_ACHIEVEMENT, 1, by_tf[1]);
	for (i = 2; i <= 20; i++)
		put(MK_ACHIEVEMENT, (int64_t)i, "b1 b2 b3");
	one = search_as(MK_ACHIEVEMENT, "qx7", &cf_viewer_bureau, 10);
	cr_assert_eq(one.n, 1);
	cr_assert_eq(one.hits[0].id, 1);
	cr_assert(fabs(one.hits[0].score - bm25(1, 3, 3, 20, 1)) < 1e-12, "%.15f", one.hits[0].score);
	/* 400 more: tf 1..3 by id; 150 and 390 also hold the rare "zz9" */
	for (i = 101; i <= 500; i++)
		put(MK_ACHIEVEMENT, (int64_t)i, i == 150 || i == 390 ? "qx7 zz9 b1" : by_tf[1 + i % 3]);
	r = search_as(MK_ACHIEVEMENT, "qx7", &cf_viewer_bureau, 1000);
	cr_assert_eq(r.n, 401);
	cr_assert_eq(r.postings_total, 401);
	cr_assert_eq(r.postings_decoded, 401);
	for (i = 0; i < r.n; i++) {
		int64_t id = r.hits[i].id;
		int tf = id == 1 || id == 150 || id == 390 ? 1 : 1 + (int)(id % 3);
		cr_assert(fabs(r.hits[i].score - bm25(tf, 3, 3, 420, 401)) < 1e-12, "id %lld", (long long)id);
	}
	/* the 134 documents of tf 3 (id % 3 == 2) first, in slot order (ties go to the earlier) */
	cr_assert_eq(r.hits[0].id, 101);
	cr_assert_eq(r.hits[133].id, 500);
	cr_assert_eq(r.hits[134].id, 103); /* then the 133 of tf 2 */
	cr_assert_eq(r.hits[267].id, 1);   /* then tf 1, the first document first */
	/* the rare term drives MaxScore: the common list is probed by seeking across blocks */
	r = search_as(MK_ACHIEVEMENT, "qx7 zz9", &cf_viewer_bureau, 2);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(r.hits[0].id, 150);
	cr_assert_eq(r.hits[1].id, 390);
	cr_assert_eq(r.hits[0].nterms, 2);
	cr_assert(fabs(r.hits[0].score - bm25(1, 3, 3, 420, 401) - bm25(1, 3, 3, 420, 2)) < 1e-12);
	cr_assert_lt(r.postings_decoded, r.postings_total);
	/* packed, the same */
	cr_assert_eq(match_index_pack(ix, &e), 0);
	r = search_as(MK_ACHIEVEMENT, "qx7 zz9", &cf_viewer_bureau, 2);
	cr_assert_eq(r.hits[0].id, 150);
	cr_assert(fabs(r.hits[0].score - bm25(1, 3, 3, 420, 401) - bm25(1, 3, 3, 420, 2)) < 1e-12);
	/* lists grow out of the slab: qx7's blocks (its last header found again) and zz9's flat list */
	put(MK_ACHIEVEMENT, 501, "qx7 zz9 b1");
	r = search_as(MK_ACHIEVEMENT, "qx7 zz9", &cf_viewer_bureau, 3);
	cr_assert_eq(r.n, 3);
	cr_assert_eq(r.hits[2].id, 501);
	cr_assert(fabs(r.hits[2].score - bm25(1, 3, 3, 421, 402) - bm25(1, 3, 3, 421, 3)) < 1e-12);
	put(MK_ACHIEVEMENT, 502, by_tf[3]);
	r = search_as(MK_ACHIEVEMENT, "qx7", &cf_viewer_bureau, 1000);
	cr_assert_eq(r.n, 403);
	cr_assert_eq(r.hits[134].id, 502);
	cr_assert(fabs(r.hits[134].score - bm25(3, 3, 3, 422, 403)) < 1e-12);
	/* deleting the 402 compacts on its own: qx7 is inline again, scored as at first */
	cr_assert_eq(match_index_delete(ix, MK_ACHIEVEMENT, 501, &e), 0);
	cr_assert_eq(match_index_delete(ix, MK_ACHIEVEMENT, 502, &e), 0);
	for (i = 101; i <= 500; i++)
		cr_assert_eq(match_index_delete(ix, MK_ACHIEVEMENT, (int64_t)i, &e), 0);
	cr_assert_eq(match_index_compact(ix, &e), 0);
	r = search_as(MK_ACHIEVEMENT, "qx7", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.hits[0].id, 1);
	cr_assert_eq(r.hits[0].score, one.hits[0].score);
	cr_assert_eq(r.postings_total, 1);
	/* qx7 1, b1 20, b2 20, b3 19; zz9 has none left */
	match_index_stats(ix, &terms, &postings, &single);
	cr_assert_eq(terms, 5);
	cr_assert_eq(postings, 60);
	cr_assert_eq(single, 1);
	r = search_as(MK_ACHIEVEMENT, "zz9", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 0);
	/* and grows again */
	put(MK_ACHIEVEMENT, 600, by_tf[3]);
	r = search_as(MK_ACHIEVEMENT, "qx7", &cf_viewer_bureau, 10);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(r.hits[0].id, 600);
	cr_assert(fabs(r.hits[0].score - bm25(3, 3, 3, 21, 2)) < 1e-12);
	cr_assert(fabs(r.hits[1].score - bm25(1, 3, 3, 21, 2)) < 1e-12);
}

static char *repeat(const char *a, int na, const char *b, int nb)
{
	size_t la = strlen(a), lb = strlen(b), n = 0;
	char *s = malloc(la * (size_t)na + lb * (size_t)nb + 1);
	int i;
	cr_assert_not_null(s);
	for (i = 0; i < na; i++, n += la)
		memcpy(s + n, a, la);
	for (i = 0; i < nb; i++, n += lb)
		memcpy(s + n, b, lb);
	s[n] = 0;
	return s;
}

/* A tf past 255 (block headers and the term cap theirs at 255) counts in full, inline and
 * in a list; a document of 70,000 tokens (past the 16-bit length the headers keep) scores
 * by its real length and is not pruned away. */
Test(match_index, tf_past_255_and_very_long_documents)
{
	char *d1 = repeat("dn50 ", 300, "", 0), *d2 = repeat("ip68 ", 300, "", 0), *d3 = repeat("ip68 ", 255, "m12 ", 45),
	     *d4 = repeat("k9x ", 70000, "", 0);
	double avgdl = (300.0 * 3 + 70000) / 4, best[3];
	match_result r;
	int pass, top;
	cf_err e;
	put(MK_ACHIEVEMENT, 1, d1);
	put(MK_ACHIEVEMENT, 2, d2);
	put(MK_ACHIEVEMENT, 3, d3);
	put(MK_ACHIEVEMENT, 4, d4);
	for (pass = 0; pass < 2; pass++) {
		r = search_as(MK_ACHIEVEMENT, "dn50", &cf_viewer_bureau, 10);
		cr_assert_eq(r.n, 1);
		cr_assert(fabs(r.hits[0].score - bm25(300, 300, avgdl, 4, 1)) < 1e-12, "%.15f", r.hits[0].score);
		r = search_as(MK_ACHIEVEMENT, "ip68", &cf_viewer_bureau, 10);
		cr_assert_eq(r.n, 2);
		cr_assert_eq(r.hits[0].id, 2);
		cr_assert(fabs(r.hits[0].score - bm25(300, 300, avgdl, 4, 2)) < 1e-12);
		cr_assert(fabs(r.hits[1].score - bm25(255, 300, avgdl, 4, 2)) < 1e-12);
		r = search_as(MK_ACHIEVEMENT, "k9x", &cf_viewer_bureau, 10);
		cr_assert_eq(r.n, 1);
		cr_assert(fabs(r.hits[0].score - bm25(70000, 70000, avgdl, 4, 1)) < 1e-12);
		/* k = 1 prunes by upper bounds: the best must still be found, with its full score */
		r = search_as(MK_ACHIEVEMENT, "ip68 m12 dn50", &cf_viewer_bureau, 1);
		best[0] = bm25(300, 300, avgdl, 4, 1);
		best[1] = bm25(300, 300, avgdl, 4, 2);
		best[2] = bm25(255, 300, avgdl, 4, 2) + bm25(45, 300, avgdl, 4, 1);
		top = best[0] > best[1] ? (best[0] > best[2] ? 0 : 2) : (best[1] > best[2] ? 1 : 2);
		cr_assert_eq(r.n, 1);
		cr_assert_eq(r.hits[0].id, top + 1);
		cr_assert(fabs(r.hits[0].score - best[top]) < 1e-12);
		cr_assert_eq(match_index_pack(ix, &e), 0);
	}
	free(d1);
	free(d2);
	free(d3);
	free(d4);
}
