/*
 * cmd_match — `chainfuse match`: ranks achievements, demands, platforms... for a text.
 *
 * Two sources: the database (--db PATH: every achievement, demand, platform, team,
 * instrument and enterprise, through service/match) queried by --demand ID, --achievement ID
 * or --text; or a TSV corpus (--corpus FILE: "id<TAB>text..." a line), which is what the
 * quality and speed benchmarks drive; with --queries FILE every line "qid<TAB>text" is run
 * and its top k printed as "qid<TAB>rank<TAB>id<TAB>score". --stats prints build time,
 * index memory and query latency percentiles as JSON on stderr.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/path.h"
#include "cli/cli.h"
#include "match/index.h"
#include "match/weights.h"
#include "service/match.h"
#include "store/store.h"
#include "text/tokenize.h"

static const char usage[] =
	"usage: chainfuse match [--db PATH] (--demand ID | --achievement ID | --text \"...\") [--kind K] [--k N] [--json]\n"
	"       chainfuse match --corpus FILE (--text \"...\" | --queries FILE) [options]\n"
	"  --db PATH         the database (default $CHAINFUSE_DB, else var/chainfuse.db)\n"
	"  --demand ID       match a demand: achievements by default (--kind platform, team, instrument)\n"
	"  --achievement ID  match an achievement: enterprises by default (--kind demand)\n"
	"  --corpus FILE     documents, one a line: ID<TAB>TEXT (further columns are joined)\n"
	"  --text TEXT       one query; prints hits with their explanation\n"
	"  --queries FILE    queries, one a line: QID<TAB>TEXT; prints QID<TAB>RANK<TAB>ID<TAB>SCORE\n"
	"  --kind KIND       kind of the hits: achievement, demand, platform, team, instrument, enterprise\n"
	"  --k N             hits per query (default 10)\n"
	"  --exclude-self    leave out the document whose id equals the query id\n"
	"  --stopwords FILE  stop words (default data/text/stopwords.txt)\n"
	"  --weights FILE    fusion weights (default data/match/weights.json)\n"
	"  --bigrams-only    do not index whole CJK words besides bigrams\n"
	"  --no-feedback     no pseudo-relevance feedback (the corpus is not read back)\n"
	"  --json            JSON output for --text\n"
	"  --stats           build time, memory and latency as JSON on stderr\n";

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this thread: a query's own cost, apart from time the machine's load took */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * 4096;
}

/* Splits a TSV line into id and text (columns after the first joined by spaces, in place). */
static int split_line(char *line, size_t n, int64_t *id, char **text, size_t *tlen)
{
	char *tab, *end;
	size_t i;
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	tab = memchr(line, '\t', n);
	if (!tab)
		return -1;
	*tab = '\0';
	errno = 0;
	*id = strtoll(line, &end, 10);
	if (errno || end == line || *end)
		return -1;
	*text = tab + 1;
	*tlen = n - (size_t)(tab + 1 - line);
	for (i = 0; i < *tlen; i++)
		if ((*text)[i] == '\t')
			(*text)[i] = ' ';
	return 0;
}

/* Where each corpus line lies in the file, for pseudo-relevance feedback (the store's part,
 * here): the texts stay on disk (page cache) and are read back on demand, so that memory
 * holds the index and 16 bytes a document, not a second copy of the corpus. */
typedef struct corpus_doc {
	int64_t id;
	uint64_t off : 40; /* the line's byte offset */
	uint64_t len : 24; /* the line's length, newline included */
} corpus_doc;

typedef struct corpus_set {
	corpus_doc *d;
	size_t n, cap;
	FILE *f;    /* the corpus, open while queries run */
	char *line; /* the line last read back */
	size_t linecap;
} corpus_set;

static int cmp_corpus(const void *a, const void *b)
{
	int64_t x = ((const corpus_doc *)a)->id, y = ((const corpus_doc *)b)->id;
	return x < y ? -1 : x > y;
}

static int corpus_text(void *ctx, int kind, int64_t id, const char **text, size_t *len)
{
	corpus_set *c = ctx;
	corpus_doc key = {id, 0, 0}, *hit = c->n ? bsearch(&key, c->d, c->n, sizeof *c->d, cmp_corpus) : NULL;
	int64_t rid;
	char *t;
	size_t n;
	(void)kind;
	if (!hit || !c->f)
		return -1;
	n = (size_t)hit->len;
	if (n + 1 > c->linecap) {
		char *nl = realloc(c->line, n + 1);
		if (!nl)
			return -1;
		c->line = nl;
		c->linecap = n + 1;
	}
	if (pread(fileno(c->f), c->line, n, (off_t)hit->off) != (ssize_t)n)
		return -1;
	c->line[n] = '\0';
	if (split_line(c->line, n, &rid, &t, len) || rid != id)
		return -1;
	*text = t;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void print_json(const match_result *r)
{
	json_t *root = match_hits_json(r);
	json_object_set_new(root, "postings_total", json_integer((json_int_t)r->postings_total));
	json_object_set_new(root, "postings_decoded", json_integer((json_int_t)r->postings_decoded));
	json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
	fputc('\n', stdout);
	json_decref(root);
}

static void print_hits(const match_result *res, int json)
{
	if (json) {
		print_json(res);
		return;
	}
	for (size_t h = 0; h < res->n; h++) {
		printf("%zu\t%s\t%lld\t%.4f\t", h + 1, match_kind_name(res->hits[h].kind), (long long)res->hits[h].id,
		       res->hits[h].score);
		for (size_t t = 0; t < res->hits[h].nterms && t < 5; t++)
			printf("%s%s", t ? " " : "", res->hits[h].terms[t].term);
		printf("\n");
	}
}

/* The database form: build the index from the store, run one query as the bureau. */
static int run_db(const char *db, const char *demand, const char *achievement, const char *text, const char *kind_s,
		  int64_t k, int json)
{
	match_service ms;
	match_result res;
	store *s = NULL;
	arena *a = NULL;
	int64_t id = 0;
	int kind, rc;
	cf_err e;

	cf_err_clear(&e);
	memset(&ms, 0, sizeof ms);
	if (!!demand + !!achievement + !!text != 1)
		return cli_usage("match", "give exactly one of --demand, --achievement and --text");
	if ((demand && cli_parse_i64(demand, &id)) || (achievement && cli_parse_i64(achievement, &id)) ||
	    ((demand || achievement) && id <= 0))
		return cli_usage("match", "--%s: a row id is required", demand ? "demand" : "achievement");
	if (!kind_s)
		kind_s = achievement ? "enterprise" : "achievement";
	if ((kind = match_kind_parse(kind_s)) < 0 || kind == MK_EXPERT)
		return cli_usage("match", "--kind: unknown kind \"%s\"", kind_s);
	if ((rc = store_open(cli_db_path(db), &s, &e)) || (rc = match_service_open(s, &ms, &e)))
		goto fail;
	if (!(a = arena_create())) {
		rc = cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
		goto fail;
	}
	if (text)
		rc = match_service_for_text(&ms, &cf_viewer_bureau, text, NULL, kind, (int)k, a, &res, &e);
	else
		rc = match_service_for_row(&ms, &cf_viewer_bureau, schema_entity(demand ? "demand" : "achievement"), id,
					   kind, (int)k, a, &res, &e);
	if (rc)
		goto fail;
	print_hits(&res, json);
fail:
	arena_free(a);
	match_service_free(&ms);
	store_close(s);
	return rc ? cli_fail("match", &e) : 0;
}

static int run_match(int argc, char **argv)
{
	const char *corpus = NULL, *text = NULL, *queries = NULL, *kind_s = NULL, *k_s = "10";
	const char *db = NULL, *demand = NULL, *achievement = NULL;
	const char *sw = NULL, *wpath = NULL;
	int json = 0, stats = 0, excl = 0, bigrams = 0, nofb = 0, kind, i, r, rc = 1;
	corpus_set cp = {NULL, 0, 0, NULL, NULL, 0};
	uint64_t off = 0;
	int64_t k = 10;
	char swdef[4096];
	text_tokenizer *tok = NULL;
	match_index *ix = NULL;
	match_weights w;
	cf_err e;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	double *lat = NULL, *cpu = NULL;
	size_t nlat = 0, latcap = 0, raw = 0, ndocs = 0;
	double t0, build_s;
	long rss0, rss1;

	cf_err_clear(&e);
	if (cli_help(argc, argv, usage))
		return 0;
	for (i = 1; i < argc; i++) {
		if ((r = cli_opt(&i, argc, argv, "--corpus", &corpus)) || (r = cli_opt(&i, argc, argv, "--text", &text)) ||
		    (r = cli_opt(&i, argc, argv, "--queries", &queries)) ||
		    (r = cli_opt(&i, argc, argv, "--kind", &kind_s)) || (r = cli_opt(&i, argc, argv, "--k", &k_s)) ||
		    (r = cli_opt(&i, argc, argv, "--stopwords", &sw)) ||
		    (r = cli_opt(&i, argc, argv, "--weights", &wpath)) || (r = cli_opt(&i, argc, argv, "--db", &db)) ||
		    (r = cli_opt(&i, argc, argv, "--demand", &demand)) ||
		    (r = cli_opt(&i, argc, argv, "--achievement", &achievement))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (cli_flag(i, argv, "--json"))
			json = 1;
		else if (cli_flag(i, argv, "--stats"))
			stats = 1;
		else if (cli_flag(i, argv, "--exclude-self"))
			excl = 1;
		else if (cli_flag(i, argv, "--no-feedback"))
			nofb = 1;
		else if (cli_flag(i, argv, "--bigrams-only"))
			bigrams = 1;
		else
			return cli_usage("match", "unknown option %s", argv[i]);
	}
	if (cli_parse_i64(k_s, &k) || k < 1 || k > 1000)
		return cli_usage("match", "--k: a number in 1..1000 is required, not \"%s\"", k_s);
	if (!corpus) {
		if (queries)
			return cli_usage("match", "--queries needs --corpus");
		return run_db(db, demand, achievement, text, kind_s, k, json);
	}
	if (db || demand || achievement)
		return cli_usage("match", "--corpus cannot be combined with --db, --demand or --achievement");
	if (!kind_s)
		kind_s = "achievement";
	if (!text == !queries)
		return cli_usage("match", "give exactly one of --text and --queries");
	if ((kind = match_kind_parse(kind_s)) < 0)
		return cli_usage("match", "--kind: unknown kind \"%s\"", kind_s);
	if (cli_parse_i64(k_s, &k) || k < 1 || k > 1000)
		return cli_usage("match", "--k: a number in 1..1000 is required, not \"%s\"", k_s);
	if (!sw) {
		if (path_data("text/stopwords.txt", swdef, sizeof swdef))
			return cli_usage("match", "data path too long");
		sw = swdef;
	}
	if ((rc = wpath ? match_weights_load(wpath, &w, &e) : match_weights_load_default(&w, &e)))
		goto fail;
	if ((rc = text_tokenizer_create(bigrams ? TEXT_NO_WORDS : 0, &tok, &e)) ||
	    (rc = text_tokenizer_load_stopwords(tok, sw, &e)) || (rc = match_index_create(tok, &ix, &e)))
		goto fail;

	f = fopen(corpus, "r");
	if (!f) {
		rc = cf_err_set(&e, errno == ENOENT ? CF_ENOTFOUND : CF_EIO, corpus, "cannot open: %s", strerror(errno));
		goto fail;
	}
	rss0 = rss_bytes();
	t0 = now_s();
	for (size_t row = 1; (n = getline(&line, &cap, f)) >= 0; row++, off += (uint64_t)n) {
		match_doc d;
		char where[300];
		memset(&d, 0, sizeof d);
		d.kind = kind;
		if (row == 1 && strncmp(line, "id\t", 3) == 0)
			continue; /* header */
		if (split_line(line, (size_t)n, &d.id, (char **)&d.text, &d.len)) {
			snprintf(where, sizeof where, "%.200s:%zu:1", corpus, row);
			rc = cf_err_set(&e, CF_EINVAL, where, "expected a numeric id, a tab and text");
			goto fail;
		}
		if ((rc = match_index_put(ix, &d, &e))) {
			snprintf(where, sizeof where, "%.200s:%zu:1", corpus, row);
			snprintf(e.where, sizeof e.where, "%.200s", where);
			goto fail;
		}
		if (!nofb) {
			corpus_doc *cd;
			if (cp.n == cp.cap) {
				cd = realloc(cp.d, (cp.cap = cp.cap ? cp.cap * 2 : 1024) * sizeof *cp.d);
				if (!cd) {
					rc = cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
					goto fail;
				}
				cp.d = cd;
			}
			if (off >= (1ull << 40) || (size_t)n >= (1u << 24)) {
				rc = cf_err_set(&e, CF_ETOOBIG, corpus, "corpus too large for feedback (use --no-feedback)");
				goto fail;
			}
			cd = &cp.d[cp.n];
			cd->id = d.id;
			cd->off = off;
			cd->len = (uint64_t)n;
			cp.n++;
		}
		raw += d.len;
		ndocs++;
	}
	if (cp.n)
		qsort(cp.d, cp.n, sizeof *cp.d, cmp_corpus);
	if ((rc = match_index_pack(ix, &e)))
		goto fail;
	malloc_trim(0); /* hand the freed growth buffers back, so that RSS shows what is held */
	build_s = now_s() - t0;
	rss1 = rss_bytes();
	cp.f = f; /* feedback reads the texts back from it */
	f = NULL;

	if (text) {
		arena *a = arena_create();
		match_result res;
		match_query q;
		memset(&q, 0, sizeof q);
		q.text = text;
		q.len = strlen(text);
		q.kind = kind;
		q.who = &cf_viewer_bureau;
		q.k = (int)k;
		q.exclude_kind = -1;
		q.doc_text = nofb ? NULL : corpus_text;
		q.doc_text_ctx = &cp;
		if (!a) {
			rc = cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
			goto fail;
		}
		if ((rc = match_search(ix, &w, &q, a, &res, &e))) {
			arena_free(a);
			goto fail;
		}
		print_hits(&res, json);
		arena_free(a);
	} else {
		f = fopen(queries, "r");
		if (!f) {
			rc = cf_err_set(&e, errno == ENOENT ? CF_ENOTFOUND : CF_EIO, queries, "cannot open: %s", strerror(errno));
			goto fail;
		}
		for (size_t row = 1; (n = getline(&line, &cap, f)) >= 0; row++, off += (uint64_t)n) {
			arena *a;
			match_result res;
			match_query q;
			int64_t qid;
			char *qt;
			size_t qlen;
			double t1, c1;
			if (split_line(line, (size_t)n, &qid, &qt, &qlen)) {
				char where[300];
				snprintf(where, sizeof where, "%.200s:%zu:1", queries, row);
				rc = cf_err_set(&e, CF_EINVAL, where, "expected a numeric id, a tab and text");
				goto fail;
			}
			memset(&q, 0, sizeof q);
			q.text = qt;
			q.len = qlen;
			q.kind = kind;
			q.who = &cf_viewer_bureau;
			q.k = (int)k;
			q.exclude_kind = excl ? kind : -1;
			q.exclude_id = qid;
			q.doc_text = nofb ? NULL : corpus_text;
			q.doc_text_ctx = &cp;
			a = arena_create();
			if (!a) {
				rc = cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
				goto fail;
			}
			t1 = now_s();
			c1 = cpu_s();
			rc = match_search(ix, &w, &q, a, &res, &e);
			c1 = cpu_s() - c1;
			t1 = now_s() - t1;
			if (rc) {
				arena_free(a);
				goto fail;
			}
			if (nlat == latcap) {
				size_t nc = latcap ? latcap * 2 : 1024;
				double *p = realloc(lat, nc * sizeof *lat), *pc = p ? realloc(cpu, nc * sizeof *cpu) : NULL;
				if (p)
					lat = p;
				if (pc)
					cpu = pc;
				if (!p || !pc) {
					arena_free(a);
					rc = cf_err_set(&e, CF_ENOMEM, NULL, "out of memory");
					goto fail;
				}
				latcap = nc;
			}
			cpu[nlat] = c1;
			lat[nlat++] = t1;
			if (stats) /* one line a query before the summary: the slow ones and why */
				fprintf(stderr, "query %lld: %.3f ms (CPU %.3f ms), %llu of %llu postings decoded\n",
					(long long)qid, t1 * 1e3, c1 * 1e3, (unsigned long long)res.postings_decoded,
					(unsigned long long)res.postings_total);
			for (size_t h = 0; h < res.n; h++)
				printf("%lld\t%zu\t%lld\t%.6f\n", (long long)qid, h + 1, (long long)res.hits[h].id,
				       res.hits[h].score);
			arena_free(a);
		}
	}
	if (stats) {
		double p50 = 0, p99 = 0, mean = 0, c50 = 0, c99 = 0;
		if (nlat) {
			qsort(lat, nlat, sizeof *lat, cmp_double);
			qsort(cpu, nlat, sizeof *cpu, cmp_double);
			c50 = cpu[(nlat - 1) / 2];
			c99 = cpu[(size_t)((nlat - 1) * 0.99)];
			p50 = lat[(nlat - 1) / 2];
			p99 = lat[(size_t)((nlat - 1) * 0.99)];
			for (size_t j = 0; j < nlat; j++)
				mean += lat[j];
			mean /= nlat;
		}
		size_t nterms, npost, nsingle;
		match_index_stats(ix, &nterms, &npost, &nsingle);
		fprintf(stderr,
			"{\"terms\": %zu, \"postings\": %zu, \"singleton_terms\": %zu, \"docs\": %zu, \"raw_bytes\": %zu, \"build_s\": %.3f, \"index_bytes\": %zu, "
			"\"rss_growth_bytes\": %ld, \"queries\": %zu, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
			"\"mean_ms\": %.3f, \"cpu_p50_ms\": %.3f, \"cpu_p99_ms\": %.3f}\n",
			nterms, npost, nsingle, ndocs, raw, build_s, match_index_memory(ix), rss1 - rss0, nlat, p50 * 1e3, p99 * 1e3,
			mean * 1e3, c50 * 1e3, c99 * 1e3);
	}
	rc = 0;
fail:
	if (f)
		fclose(f);
	free(line);
	free(lat);
	free(cpu);
	if (cp.f)
		fclose(cp.f);
	free(cp.line);
	free(cp.d);
	match_index_free(ix);
	text_tokenizer_free(tok);
	return rc ? cli_fail("match", &e) : 0;
}

CLI_COMMAND(cmd_match, "match", "rank achievements, demands, platforms... for a text (BM25 + signals, explained)",
	    run_match)
