/*
 * index — the matchmaking engine: an in-memory inverted index over demands, achievements,
 * platforms, teams, instruments, enterprises and experts, ranked by BM25 fused with
 * structured signals, with an explanation for every hit.
 *
 * Postings are kept per term in one byte stream of blocks of up to 128 documents; a block
 * starts with a header (last document, byte length, count, largest tf, shortest document)
 * and holds varint deltas with the tf folded into the low bit, so most postings take one or
 * two bytes. A term seen in one document holds that posting in its 16-byte dictionary record;
 * a list of up to 127 bytes is one block without a header; after a bulk load all lists lie
 * in one slab addressed by 32-bit offsets. Identical document attributes are held once.
 * Documents are added, replaced and deleted live: a change is visible to the very
 * next query, without a rebuild. Top-k uses MaxScore: query terms are ordered by their upper
 * bound and the non-essential ones are only probed, skipping whole blocks by their headers,
 * for documents that can still enter the top k.
 *
 * The index is pure C over memory: service/ fills it from the store. It is not thread-safe:
 * writers need exclusive access; match_search only reads the index, so searches may run in
 * parallel (under a reader lock) when each brings its own tokenizer (match_query.tok).
 */
#ifndef CF_MATCH_INDEX_H
#define CF_MATCH_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "match/weights.h"
#include "model/viewer.h"
#include "text/tokenize.h"

typedef enum match_kind {
	MK_ACHIEVEMENT = 0, /* 科技成果 */
	MK_DEMAND,          /* 企业技术需求 */
	MK_PLATFORM,        /* 创新平台 */
	MK_TEAM,            /* 人才团队 */
	MK_INSTRUMENT,      /* 大型仪器 */
	MK_ENTERPRISE,      /* 企业 */
	MK_EXPERT,          /* 专家 */
	MK_COUNT
} match_kind;

/* The kind's name ("achievement", ...), NULL when out of range; and back (-1 if unknown). */
const char *match_kind_name(int k);
int match_kind_parse(const char *name);

enum { MATCH_FIRM_MICRO = 1, MATCH_FIRM_SMALL, MATCH_FIRM_MEDIUM, MATCH_FIRM_LARGE };

/* Structured attributes of a document or a query; zero / empty means unknown. */
typedef struct match_attrs {
	char industry[8];   /* GB/T 4754-2017 code, "C3511" or "3511" */
	int32_t segment;    /* industry-chain segment id */
	int32_t field;      /* field of technology, for contract history */
	int8_t trl;         /* technology readiness level 1..9 */
	int8_t firm_size;   /* MATCH_FIRM_* */
	char region[8];     /* 6-digit administrative code, "330302" */
	int64_t price_fen;  /* asking price */
	int64_t budget_fen; /* budget */
} match_attrs;

enum { MATCH_VIS_PUBLIC = 0, MATCH_VIS_BROKERS, MATCH_VIS_CONFIDENTIAL };
#define MATCH_MAX_BROKERS 8

/* Who may see a document: public; brokers (brokers, the bureau and the owner); confidential
 * (the owner, the bureau and the brokers named). */
typedef struct match_access {
	int visibility;           /* MATCH_VIS_* */
	int64_t owner_enterprise; /* the enterprise that owns it; 0 none */
	int64_t owner_platform;   /* the platform that owns it; 0 none */
	int64_t brokers[MATCH_MAX_BROKERS];
	int nbrokers;
} match_access;

typedef struct match_doc {
	int64_t id;
	int kind; /* match_kind */
	const char *text;
	size_t len;
	match_attrs attrs;
	match_access access;
} match_doc;

typedef struct match_index match_index;

/* Creates an empty index that tokenizes with tok (borrowed: it must outlive the index).
 * *out is NULL on failure (CF_ENOMEM). Free with match_index_free(). */
int match_index_create(text_tokenizer *tok, match_index **out, cf_err *e);
void match_index_free(match_index *x);

/* Adds d, or replaces the document of the same kind and id. The text is tokenized and not
 * kept. CF_EINVAL for a bad kind or text (invalid UTF-8), CF_ETOOBIG past 2^32 documents,
 * CF_ENOMEM. On failure the index is as before. */
int match_index_put(match_index *x, const match_doc *d, cf_err *e);
/* Deletes a document. CF_ENOTFOUND when absent. */
int match_index_delete(match_index *x, int kind, int64_t id, cf_err *e);
/* Documents live in the index. */
size_t match_index_count(const match_index *x);
/* Bytes held by the index (postings, dictionary, document table). */
size_t match_index_memory(const match_index *x);
/* Distinct terms, postings (deleted documents' included until compaction) and terms seen in
 * one document only, for memory reports. */
void match_index_stats(const match_index *x, size_t *terms, size_t *postings, size_t *singletons);
/* Rewrites every posting list without the postings of deleted documents, so that document
 * frequencies again count live documents only, and packs the lists (match_index_pack).
 * CF_ENOMEM leaves the index as before.
 * match_index_put and match_index_delete call it themselves once the deleted documents
 * exceed a sixteenth of the live ones (and 16), so statistics never drift far. */
int match_index_compact(match_index *x, cf_err *e);
/* Packs every posting list into one allocation of exactly the bytes used (lists grow by
 * doubling while documents arrive, and each is its own malloc), after a bulk load, and trims
 * the dictionary and document arrays to size. Lists that grow later move out of the pack on
 * their own. Past 4 GiB of postings the lists stay in their own allocations. CF_ENOMEM
 * leaves the index as before. */
int match_index_pack(match_index *x, cf_err *e);
/* 1 when the document exists and who may see it; 0 otherwise (absent and hidden read alike). */
int match_index_visible(const match_index *x, int kind, int64_t id, const cf_viewer *who);
/* Past contracts between fields a and b (order does not matter): sets their count. */
int match_index_set_contracts(match_index *x, int32_t a, int32_t b, uint32_t count, cf_err *e);

/* Hands out the text of a document (borrowed until the next call), for pseudo-relevance
 * feedback; returns non-zero when the text is not available. */
typedef int (*match_text_fn)(void *ctx, int kind, int64_t id, const char **text, size_t *len);

typedef struct match_query {
	const char *text;     /* free text; may be empty when attrs alone should rank */
	size_t len;
	int kind;             /* the kind of documents wanted */
	match_attrs attrs;    /* the asking side's attributes */
	const cf_viewer *who; /* visibility of results */
	int k;                /* hits wanted, 1..1000 */
	int exclude_kind;     /* a document to leave out (the query's own), or -1 */
	int64_t exclude_id;
	match_text_fn doc_text; /* NULL: no pseudo-relevance feedback */
	void *doc_text_ctx;
	text_tokenizer *tok; /* NULL: the index's own; give one per thread to search in parallel */
} match_query;

typedef struct match_term_score {
	const char *term; /* NUL-terminated, in the result's arena */
	double score;     /* text weight * the term's BM25 part */
} match_term_score;

typedef struct match_hit {
	int64_t id;
	int kind;
	double score; /* exactly the sum of terms[].score and signal[] */
	double text_score;
	match_term_score *terms; /* matched terms, best first */
	size_t nterms;
	double signal[MS_COUNT]; /* weight * value, per signal */
} match_hit;

typedef struct match_result {
	match_hit *hits; /* best first; in the arena */
	size_t n;
	uint64_t postings_total;   /* postings in the query terms' lists */
	uint64_t postings_decoded; /* postings actually decoded: shows how much was skipped */
} match_result;

/* Runs q and fills *out (memory in a). Hidden documents never appear and leave no trace in
 * the result. CF_EINVAL for a bad kind, k or text. *out untouched on failure. */
int match_search(match_index *x, const match_weights *w, const match_query *q, arena *a, match_result *out,
		 cf_err *e);

#endif
