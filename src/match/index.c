/*
 * index — inverted index, BM25 + MaxScore top-k, signal fusion and explanations; see index.h.
 *
 * Documents get dense slot numbers in the order they arrive, so every posting list only
 * ever grows at its end. A replaced document is flagged deleted and re-added under a new
 * slot; deleted slots are skipped at query time and dropped by match_index_compact().
 */
#include "match/index.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match/feedback.h"

#define BLOCK 128
#define HDR 10 /* u32 last doc, u16 bytes, u8 count, u8 max tf, u16 min length */
#define FLAT_MAX 127 /* a list of up to this many bytes is one block without a header */
#define DONE UINT32_MAX
#define NONE UINT32_MAX
#define F_DELETED 1

/* term flags */
#define T_LIST 1 /* two or more postings: a list, in lists[ref] or (T_SLAB) the slab */
#define T_FLAT 2 /* the list is one block without a header (at most FLAT_MAX bytes) */
#define T_SLAB 4 /* the list lies in the slab: ref is its offset there (a varint length, then
		  * the bytes), and it has no lists[] entry */
#define T_PUB 8  /* inline: the posting's document is public */

/* A term in 16 bytes. Most terms occur in one document only: such a term holds its posting
 * inline (ref is the slot, df the exact tf, T_PUB whether it counts in the document
 * frequency) and allocates nothing. A term with two or more postings keeps them in the slab
 * after match_index_pack() (ref is the offset), or while they grow in their own allocation,
 * through a side table entry lists[ref]. */
typedef struct term {
	uint32_t str;    /* offset of the term in the pool: a length byte, then the bytes */
	uint32_t ref;    /* inline: the posting's slot; T_LIST: index into lists; T_SLAB: slab offset */
	uint32_t df;     /* T_LIST: postings of public documents (deleted ones included until
			  * compaction), the only frequency ranking uses, so that restricted
			  * documents leave no trace in anyone's scores; inline: the tf */
	uint8_t maxtf;   /* largest tf (capped at 255); 0: no posting */
	uint8_t flags;   /* T_* */
	uint16_t minlen; /* shortest document length (capped) */
} term;
_Static_assert(sizeof(term) == 16, "a term record is 16 bytes");

/* The postings of a term with two or more: blocks of up to BLOCK postings, each behind a
 * header; or, while they fit in FLAT_MAX bytes, one block without a header (its count, last
 * document, largest tf and shortest length come from decoding it and from the term). */
typedef struct plist {
	uint8_t *data; /* capacity cap_of(len) */
	uint32_t len;
	uint32_t open; /* T_FLAT: the last slot appended; else the last block's header offset */
} plist;

#define TERM_BYTES_MAX 255

static uint32_t cap_of(uint32_t len)
{
	uint32_t c = 32;
	while (c < len)
		c *= 2;
	return c;
}

typedef struct tfpair {
	uint32_t tid, tf;
} tfpair;

struct match_index {
	text_tokenizer *tok;
	/* dictionary */
	term *terms;
	uint32_t nterms, tcap;
	uint32_t *ht; /* term id + 1; 0 empty; any size, load at most 3/4 */
	size_t htcap;
	char *pool;
	size_t plen, pcap;
	plist *lists; /* posting lists growing outside the slab */
	uint32_t nlists, lcap;
	/* documents, by slot */
	uint32_t nslots, scap;
	uint32_t *dlen;
	uint8_t *kind, *flags;
	int64_t *ext;
	uint32_t *aid;        /* index into atab: identical attributes are held once */
	match_attrs *atab;    /* distinct attributes, normalised (padding and bytes after a NUL zero) */
	uint32_t natab, atcap;
	uint32_t *aht;        /* atab index + 1; 0 empty; power of two, load at most 1/2 */
	size_t ahtcap;
	uint32_t *acc; /* 0 public, else index + 1 into accs */
	match_access *accs;
	size_t naccs, acccap;
	uint32_t *keys; /* (kind, id) → slot + 1, linear probing */
	size_t keycap, nkeys;
	uint32_t nlive;
	uint32_t ndead; /* slots deleted since the last compaction; their postings still count */
	uint64_t live_len;
	uint32_t nlive_pub; /* live public documents and their length: collection statistics */
	uint64_t live_len_pub;
	/* contract history: sorted (a << 32 | b) keys */
	uint64_t *ckey;
	uint32_t *ccount;
	size_t ncontracts, ccap;
	/* posting lists packed by match_index_pack(), one allocation for all terms: each a
	 * varint length and the bytes; addressed by 32-bit offsets */
	uint8_t *slab;
	size_t slablen;
	/* scratch for tokenizing one document */
	tfpair *scratch;
	size_t nscratch, scratchcap;
	int scratch_err;
};

/* Postings of public documents in t (the document frequency ranking uses). */
static uint32_t term_df(const term *t)
{
	if (t->flags & T_LIST)
		return t->df;
	return t->maxtf && (t->flags & T_PUB) ? 1 : 0;
}

static const char *const kind_names[MK_COUNT] = {"achievement", "demand",     "platform", "team",
						 "instrument",  "enterprise", "expert"};

const char *match_kind_name(int k)
{
	return k >= 0 && k < MK_COUNT ? kind_names[k] : NULL;
}

int match_kind_parse(const char *name)
{
	int k;
	for (k = 0; name && k < MK_COUNT; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	/* FNV's low bits only see the inputs' low bits: mix the high ones down (a murmur3
	 * finaliser), or bigrams cluster and probing dominates indexing */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* The home slot of hash h in a table of cap slots (any cap below 2^32): the high bits,
 * scaled, so that the table need not be a power of two. */
static size_t slot_of(uint64_t h, size_t cap)
{
	return (size_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

static uint64_t hash_key(int kind, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL ^ (uint64_t)kind * 0xC2B2AE3D27D4EB4FULL;
	return h ^ (h >> 29);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;
	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return CF_ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

int match_index_create(text_tokenizer *tok, match_index **out, cf_err *e)
{
	match_index *x = calloc(1, sizeof *x);
	*out = NULL;
	if (!x)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory creating the index");
	x->tok = tok;
	*out = x;
	return 0;
}

/* Frees the data of the lists that do not lie in the slab. */
static void free_lists(const term *terms, uint32_t nterms, plist *lists)
{
	uint32_t i;
	for (i = 0; i < nterms; i++)
		if ((terms[i].flags & (T_LIST | T_SLAB)) == T_LIST)
			free(lists[terms[i].ref].data);
}

void match_index_free(match_index *x)
{
	if (!x)
		return;
	free_lists(x->terms, x->nterms, x->lists);
	free(x->lists);
	free(x->terms);
	free(x->ht);
	free(x->pool);
	free(x->dlen);
	free(x->kind);
	free(x->flags);
	free(x->ext);
	free(x->aid);
	free(x->atab);
	free(x->aht);
	free(x->acc);
	free(x->accs);
	free(x->keys);
	free(x->ckey);
	free(x->ccount);
	free(x->scratch);
	free(x->slab);
	free(x);
}

/* ---- dictionary ---- */

static uint32_t term_find(const match_index *x, const char *s, size_t n)
{
	size_t i;
	if (!x->htcap)
		return NONE;
	for (i = slot_of(hash_bytes(s, n), x->htcap); x->ht[i]; i = i + 1 == x->htcap ? 0 : i + 1) {
		const term *t = &x->terms[x->ht[i] - 1];
		if ((unsigned char)x->pool[t->str] == n && !memcmp(x->pool + t->str + 1, s, n))
			return x->ht[i] - 1;
	}
	return NONE;
}

static int ht_resize(match_index *x, size_t ncap)
{
	uint32_t *nht = calloc(ncap, sizeof *nht), id;
	size_t i;
	if (!nht)
		return CF_ENOMEM;
	for (id = 0; id < x->nterms; id++) {
		const term *t = &x->terms[id];
		for (i = slot_of(hash_bytes(x->pool + t->str + 1, (unsigned char)x->pool[t->str]), ncap); nht[i];
		     i = i + 1 == ncap ? 0 : i + 1)
			;
		nht[i] = id + 1;
	}
	free(x->ht);
	x->ht = nht;
	x->htcap = ncap;
	return 0;
}

static uint32_t term_intern(match_index *x, const char *s, size_t n)
{
	uint32_t id = term_find(x, s, n);
	size_t i, tcap = x->tcap;
	term *t;

	if (id != NONE)
		return id;
	if (n > TERM_BYTES_MAX || x->nterms == NONE - 1)
		return NONE;
	if ((size_t)(x->nterms + 1) * 4 > x->htcap * 3 && ht_resize(x, x->htcap ? x->htcap * 2 : 1024))
		return NONE;
	if (grow((void **)&x->terms, &tcap, x->nterms + 1, sizeof *x->terms) ||
	    grow((void **)&x->pool, &x->pcap, x->plen + n + 1, 1))
		return NONE;
	x->tcap = (uint32_t)tcap;
	if (x->plen + n + 1 > UINT32_MAX)
		return NONE;
	t = &x->terms[x->nterms];
	memset(t, 0, sizeof *t);
	t->str = (uint32_t)x->plen;
	t->minlen = UINT16_MAX;
	x->pool[x->plen] = (char)n;
	memcpy(x->pool + x->plen + 1, s, n);
	x->plen += n + 1;
	for (i = slot_of(hash_bytes(s, n), x->htcap); x->ht[i]; i = i + 1 == x->htcap ? 0 : i + 1)
		;
	x->ht[i] = x->nterms + 1;
	return x->nterms++;
}

/* ---- posting lists ---- */

static size_t put_varint(uint8_t *p, uint32_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static size_t varint_len(uint32_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static uint32_t get_varint(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint32_t v = 0;
	int shift = 0;
	while (*p & 0x80) {
		v |= (uint32_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	v |= (uint32_t)*p++ << shift;
	*pp = p;
	return v;
}

typedef struct hdr {
	uint32_t last;
	uint16_t bytes;
	uint8_t count, maxtf;
	uint16_t minlen;
} hdr;

static void hdr_read(const uint8_t *p, hdr *h)
{
	memcpy(&h->last, p, 4);
	memcpy(&h->bytes, p + 4, 2);
	h->count = p[6];
	h->maxtf = p[7];
	memcpy(&h->minlen, p + 8, 2);
}

static void hdr_write(uint8_t *p, const hdr *h)
{
	memcpy(p, &h->last, 4);
	memcpy(p + 4, &h->bytes, 2);
	p[6] = h->count;
	p[7] = h->maxtf;
	memcpy(p + 8, &h->minlen, 2);
}

static uint8_t tf_cap(uint32_t tf)
{
	return tf > 255 ? 255 : (uint8_t)tf;
}

static uint16_t len_cap(uint32_t dlen)
{
	return dlen > UINT16_MAX ? UINT16_MAX : (uint16_t)dlen;
}

/* Makes room for need more bytes at the end of l, growing its allocation by doubling. */
static int list_reserve(plist *l, uint32_t need)
{
	uint64_t want = (uint64_t)l->len + need;
	uint8_t *p;
	if (l->data && want <= cap_of(l->len))
		return 0;
	if (want > UINT32_MAX / 2)
		return CF_ENOMEM;
	if (!(p = realloc(l->data, cap_of((uint32_t)want))))
		return CF_ENOMEM;
	l->data = p;
	return 0;
}

/* A slab list's bytes and length. */
static const uint8_t *slab_list(const uint8_t *slab, uint32_t off, uint32_t *len)
{
	const uint8_t *p = slab + off;
	*len = get_varint(&p);
	return p;
}

/* The slot of the last posting in a flat list. */
static uint32_t flat_last(const uint8_t *p, uint32_t len)
{
	const uint8_t *end = p + len;
	uint32_t d = 0;
	while (p < end) {
		uint32_t v = get_varint(&p);
		d += v >> 1;
		if (v & 1)
			(void)get_varint(&p);
	}
	return d;
}

/* Moves t's list out of the slab into its own allocation and a lists[] entry, so that it
 * can grow (the slab's bytes stay until the next pack). CF_ENOMEM leaves t as before. */
static int list_unslab(match_index *x, term *t)
{
	size_t cap = x->lcap;
	uint32_t len, li = x->nlists;
	const uint8_t *src = slab_list(x->slab, t->ref, &len);
	plist *l;
	if (li == NONE - 1 || grow((void **)&x->lists, &cap, (size_t)li + 1, sizeof *x->lists))
		return CF_ENOMEM;
	x->lcap = (uint32_t)cap;
	l = &x->lists[li];
	l->data = malloc(cap_of(len + HDR + 10));
	if (!l->data)
		return CF_ENOMEM;
	memcpy(l->data, src, len);
	l->len = len;
	if (t->flags & T_FLAT) {
		l->open = flat_last(l->data, len);
	} else { /* the last block's header: walk the headers */
		uint32_t off = 0;
		for (;;) {
			hdr h;
			hdr_read(l->data + off, &h);
			if (off + HDR + h.bytes >= len)
				break;
			off += HDR + h.bytes;
		}
		l->open = off;
	}
	x->nlists++;
	t->ref = li;
	t->flags &= (uint8_t)~T_SLAB;
	return 0;
}

/* Gives a flat list (room for HDR more bytes reserved) the header of its one block. */
static void flat_to_blocks(plist *l, const uint32_t *dlen)
{
	const uint8_t *p = l->data, *end = l->data + l->len;
	hdr h;
	uint32_t d = 0;

	memset(&h, 0, sizeof h);
	h.minlen = UINT16_MAX;
	while (p < end) {
		uint32_t v = get_varint(&p), tf = 1;
		d += v >> 1;
		if (v & 1)
			tf = get_varint(&p);
		h.count++;
		if (tf_cap(tf) > h.maxtf)
			h.maxtf = tf_cap(tf);
		if (len_cap(dlen[d]) < h.minlen)
			h.minlen = len_cap(dlen[d]);
	}
	h.last = d;
	h.bytes = (uint16_t)l->len;
	memmove(l->data + HDR, l->data, l->len);
	hdr_write(l->data, &h);
	l->len += HDR;
	l->open = 0;
}

/* Appends (slot, tf) to t's list; slot must exceed every slot already in it. A flat list
 * takes the posting while it fits in FLAT_MAX bytes, and else becomes a first block with a
 * header. CF_ENOMEM leaves the postings as before (the allocation may have grown). */
static int block_append(match_index *x, term *t, uint32_t slot, uint32_t tf, uint16_t lc)
{
	plist *l;
	uint32_t base = 0, v;
	uint8_t tfc = tf_cap(tf);
	hdr h;

	if ((t->flags & T_SLAB) && list_unslab(x, t))
		return CF_ENOMEM;
	l = &x->lists[t->ref];

	if (t->flags & T_FLAT) {
		size_t need;
		v = (slot - l->open) << 1 | (tf > 1);
		need = varint_len(v) + (tf > 1 ? varint_len(tf) : 0);
		if (l->len + need <= FLAT_MAX) {
			if (list_reserve(l, (uint32_t)need))
				return CF_ENOMEM;
			l->len += (uint32_t)put_varint(l->data + l->len, v);
			if (tf > 1)
				l->len += (uint32_t)put_varint(l->data + l->len, tf);
			l->open = slot;
			return 0;
		}
		if (list_reserve(l, HDR))
			return CF_ENOMEM;
		flat_to_blocks(l, x->dlen);
		t->flags &= (uint8_t)~T_FLAT;
	}
	if (list_reserve(l, HDR + 10))
		return CF_ENOMEM;
	hdr_read(l->data + l->open, &h);
	base = h.last;
	if (h.count == BLOCK) {
		l->open = l->len;
		memset(&h, 0, sizeof h);
		h.minlen = UINT16_MAX;
		l->len += HDR;
	}
	l->len += (uint32_t)put_varint(l->data + l->len, (slot - base) << 1 | (tf > 1));
	if (tf > 1)
		l->len += (uint32_t)put_varint(l->data + l->len, tf);
	h.count++;
	h.last = slot;
	h.bytes = (uint16_t)(l->len - l->open - HDR);
	if (tfc > h.maxtf)
		h.maxtf = tfc;
	if (lc < h.minlen)
		h.minlen = lc;
	hdr_write(l->data + l->open, &h);
	return 0;
}

/* Appends (slot, tf) to t; slot must exceed every slot already in t. The first posting stays
 * inline; the second moves both into a list. CF_ENOMEM leaves t as before. */
static int posting_append(match_index *x, term *t, uint32_t slot, uint32_t tf, uint32_t dlen, int pub)
{
	uint8_t tfc = tf_cap(tf);
	uint16_t lc = len_cap(dlen);

	if (t->maxtf == 0) {
		t->ref = slot;
		t->df = tf;
		t->maxtf = tfc;
		t->minlen = lc;
		t->flags = (uint8_t)(pub ? T_PUB : 0);
		return 0;
	}
	if (!(t->flags & T_LIST)) {
		term save = *t;
		size_t cap = x->lcap;
		uint32_t li = x->nlists;
		if (li == NONE - 1 || grow((void **)&x->lists, &cap, (size_t)li + 1, sizeof *x->lists))
			return CF_ENOMEM;
		x->lcap = (uint32_t)cap;
		x->lists[li].data = NULL;
		x->lists[li].len = 0;
		x->lists[li].open = 0;
		x->nlists++;
		t->flags = T_LIST | T_FLAT;
		t->ref = li;
		t->df = (save.flags & T_PUB) ? 1 : 0;
		if (block_append(x, t, save.ref, save.df, save.minlen) || block_append(x, t, slot, tf, lc)) {
			free(x->lists[li].data);
			x->nlists--;
			*t = save;
			return CF_ENOMEM;
		}
	} else if (block_append(x, t, slot, tf, lc)) {
		return CF_ENOMEM;
	}
	if (tfc > t->maxtf)
		t->maxtf = tfc;
	if (lc < t->minlen)
		t->minlen = lc;
	if (pub)
		t->df++;
	return 0;
}

typedef struct cursor {
	const term *t;
	const uint8_t *data; /* the list's blocks; NULL while inline */
	uint32_t len;
	int flat;         /* one block without a header */
	uint32_t off;     /* current block header */
	uint32_t loaded;  /* header offset of the decoded block, NONE when none */
	uint32_t base;    /* last doc of the block before off */
	uint32_t doc;     /* current document or DONE */
	int i, n;
	uint32_t docs[BLOCK], tfs[BLOCK];
	double w;  /* idf * query weight */
	double ub; /* upper bound of one posting's score */
	uint32_t tid;
	uint64_t *decoded;
} cursor;

/* Points c at t's postings (in lists[] or in the slab). */
static void cur_bind(cursor *c, const term *t, const plist *lists, const uint8_t *slab)
{
	c->t = t;
	c->data = NULL;
	c->len = 0;
	c->flat = 0;
	if (t->flags & T_SLAB) {
		c->data = slab_list(slab, t->ref, &c->len);
		c->flat = (t->flags & T_FLAT) != 0;
	} else if (t->flags & T_LIST) {
		c->data = lists[t->ref].data;
		c->len = lists[t->ref].len;
		c->flat = (t->flags & T_FLAT) != 0;
	}
}

static void cur_decode(cursor *c)
{
	hdr h;
	const uint8_t *p, *end;
	uint32_t d = c->base;
	int i;
	if (c->flat) {
		p = c->data;
		end = c->data + c->len;
		for (i = 0; p < end && i < BLOCK; i++) {
			uint32_t v = get_varint(&p);
			d += v >> 1;
			c->docs[i] = d;
			c->tfs[i] = (v & 1) ? get_varint(&p) : 1;
		}
		c->n = i;
	} else {
		p = c->data + c->off + HDR;
		hdr_read(c->data + c->off, &h);
		for (i = 0; i < h.count; i++) {
			uint32_t v = get_varint(&p);
			d += v >> 1;
			c->docs[i] = d;
			c->tfs[i] = (v & 1) ? get_varint(&p) : 1;
		}
		c->n = h.count;
	}
	c->i = 0;
	c->loaded = c->off;
	*c->decoded += (uint64_t)c->n;
}

static void cur_start(cursor *c)
{
	c->off = 0;
	c->base = 0;
	c->loaded = NONE;
	if (!c->data) { /* inline: one posting or none */
		c->n = 1;
		c->i = 0;
		c->docs[0] = c->t->ref;
		c->tfs[0] = c->t->df;
		c->doc = c->t->maxtf ? c->t->ref : DONE;
		*c->decoded += c->t->maxtf ? 1 : 0;
		return;
	}
	cur_decode(c);
	c->doc = c->docs[0];
}

/* Moves to the next block; DONE at the end. */
static int cur_next_block(cursor *c)
{
	hdr h;
	if (!c->data || c->flat) {
		c->doc = DONE;
		return 0;
	}
	hdr_read(c->data + c->off, &h);
	c->base = h.last;
	c->off += HDR + h.bytes;
	if (c->off >= c->len) {
		c->doc = DONE;
		return 0;
	}
	return 1;
}

static void cur_next(cursor *c)
{
	if (++c->i < c->n) {
		c->doc = c->docs[c->i];
		return;
	}
	if (cur_next_block(c)) {
		cur_decode(c);
		c->doc = c->docs[0];
	}
}

/* Moves to the first document >= target, skipping whole blocks by their headers. */
static void cur_seek(cursor *c, uint32_t target)
{
	hdr h;
	if (c->doc >= target)
		return;
	if (!c->data) {
		c->doc = DONE;
		return;
	}
	if (c->flat) {
		while (c->i < c->n && c->docs[c->i] < target)
			c->i++;
		c->doc = c->i < c->n ? c->docs[c->i] : DONE;
		return;
	}
	for (;;) {
		hdr_read(c->data + c->off, &h);
		if (h.last >= target)
			break;
		if (!cur_next_block(c))
			return;
	}
	if (c->loaded != c->off)
		cur_decode(c);
	while (c->docs[c->i] < target)
		c->i++;
	c->doc = c->docs[c->i];
}

/* ---- documents ---- */

/* A copy of a with its padding and the bytes after each code's NUL zeroed, so that equal
 * attributes compare and hash equal byte for byte. */
static void attrs_norm(const match_attrs *a, match_attrs *n)
{
	size_t i;
	memset(n, 0, sizeof *n);
	for (i = 0; i < sizeof n->industry && a->industry[i]; i++)
		n->industry[i] = a->industry[i];
	for (i = 0; i < sizeof n->region && a->region[i]; i++)
		n->region[i] = a->region[i];
	n->segment = a->segment;
	n->field = a->field;
	n->trl = a->trl;
	n->firm_size = a->firm_size;
	n->price_fen = a->price_fen;
	n->budget_fen = a->budget_fen;
}

static size_t aslot_of(const match_attrs *n, size_t cap)
{
	return (size_t)hash_bytes((const char *)n, sizeof *n) & (cap - 1);
}

/* The index of a's copy in atab, adding it when new. CF_ENOMEM leaves atab as before. */
static int attrs_intern(match_index *x, const match_attrs *a, uint32_t *out)
{
	match_attrs n;
	size_t i, cap;
	attrs_norm(a, &n);
	if (x->ahtcap)
		for (i = aslot_of(&n, x->ahtcap); x->aht[i]; i = (i + 1) & (x->ahtcap - 1))
			if (!memcmp(&x->atab[x->aht[i] - 1], &n, sizeof n)) {
				*out = x->aht[i] - 1;
				return 0;
			}
	if (x->natab == NONE - 1)
		return CF_ENOMEM;
	cap = x->atcap;
	if (grow((void **)&x->atab, &cap, (size_t)x->natab + 1, sizeof *x->atab))
		return CF_ENOMEM;
	x->atcap = (uint32_t)cap;
	if (((size_t)x->natab + 1) * 2 > x->ahtcap) {
		size_t ncap = x->ahtcap ? x->ahtcap * 2 : 64;
		uint32_t *nh = calloc(ncap, sizeof *nh), j;
		if (!nh)
			return CF_ENOMEM;
		for (j = 0; j < x->natab; j++) {
			for (i = aslot_of(&x->atab[j], ncap); nh[i]; i = (i + 1) & (ncap - 1))
				;
			nh[i] = j + 1;
		}
		free(x->aht);
		x->aht = nh;
		x->ahtcap = ncap;
	}
	x->atab[x->natab] = n;
	for (i = aslot_of(&n, x->ahtcap); x->aht[i]; i = (i + 1) & (x->ahtcap - 1))
		;
	x->aht[i] = x->natab + 1;
	*out = x->natab++;
	return 0;
}

static size_t key_find(const match_index *x, int kind, int64_t id)
{
	size_t i;
	if (!x->keycap)
		return (size_t)-1;
	for (i = hash_key(kind, id) & (x->keycap - 1); x->keys[i]; i = (i + 1) & (x->keycap - 1)) {
		uint32_t s = x->keys[i] - 1;
		if (x->ext[s] == id && x->kind[s] == kind)
			return i;
	}
	return (size_t)-1;
}

static int key_resize(match_index *x, size_t ncap)
{
	uint32_t *nk = calloc(ncap, sizeof *nk);
	size_t i, j;
	if (!nk)
		return CF_ENOMEM;
	for (j = 0; j < x->keycap; j++) {
		uint32_t s;
		if (!x->keys[j])
			continue;
		s = x->keys[j] - 1;
		for (i = hash_key(x->kind[s], x->ext[s]) & (ncap - 1); nk[i]; i = (i + 1) & (ncap - 1))
			;
		nk[i] = x->keys[j];
	}
	free(x->keys);
	x->keys = nk;
	x->keycap = ncap;
	return 0;
}

/* Removes the key at position i (backward-shift deletion keeps probe chains whole). */
static void key_remove(match_index *x, size_t i)
{
	size_t mask = x->keycap - 1, j = i;
	x->keys[i] = 0;
	for (;;) {
		size_t home;
		uint32_t s;
		j = (j + 1) & mask;
		if (!x->keys[j])
			break;
		s = x->keys[j] - 1;
		home = hash_key(x->kind[s], x->ext[s]) & mask;
		/* move j back to i when its home is not within (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			x->keys[i] = x->keys[j];
			x->keys[j] = 0;
			i = j;
		}
	}
	x->nkeys--;
}

static int collect_term(void *ctx, const char *s, size_t n, uint32_t pos)
{
	match_index *x = ctx;
	uint32_t id = term_intern(x, s, n);
	(void)pos;
	if (id == NONE || grow((void **)&x->scratch, &x->scratchcap, x->nscratch + 1, sizeof *x->scratch)) {
		x->scratch_err = 1;
		return 1;
	}
	x->scratch[x->nscratch].tid = id;
	x->scratch[x->nscratch].tf = 1;
	x->nscratch++;
	return 0;
}

static int cmp_tid(const void *a, const void *b)
{
	uint32_t x = ((const tfpair *)a)->tid, y = ((const tfpair *)b)->tid;
	return x < y ? -1 : x > y;
}

static void doc_delete_slot(match_index *x, uint32_t s)
{
	x->flags[s] |= F_DELETED;
	x->ndead++;
	x->nlive--;
	x->live_len -= x->dlen[s];
	if (!x->acc[s]) {
		x->nlive_pub--;
		x->live_len_pub -= x->dlen[s];
	}
}

/* Deleted documents' postings still count in document frequencies until compaction; once
 * they are more than a sixteenth of the live documents, compact (amortised: each compaction
 * costs one pass over the postings and follows at least nlive/16 deletions). A failure
 * leaves the index valid, with the old statistics. */
static void maybe_compact(match_index *x)
{
	cf_err e;
	if (x->ndead > 16 && x->ndead > x->nlive / 16)
		(void)match_index_compact(x, &e);
}

int match_index_put(match_index *x, const match_doc *d, cf_err *e)
{
	size_t i, n, old, cap;
	uint32_t slot, len, aid;
	int rc;

	if (d->kind < 0 || d->kind >= MK_COUNT)
		return cf_err_set(e, CF_EINVAL, "kind", "unknown document kind %d", d->kind);
	if (d->access.nbrokers < 0 || d->access.nbrokers > MATCH_MAX_BROKERS)
		return cf_err_set(e, CF_EINVAL, "brokers", "at most %d named brokers", MATCH_MAX_BROKERS);
	if (x->nslots >= DONE - 1)
		return cf_err_set(e, CF_ETOOBIG, NULL, "the index holds its maximum of documents");
	x->nscratch = 0;
	x->scratch_err = 0;
	rc = text_tokenize(x->tok, d->text ? d->text : "", d->text ? d->len : 0, collect_term, x, e);
	if (x->scratch_err)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory indexing document %lld", (long long)d->id);
	if (rc)
		return rc;
	len = (uint32_t)x->nscratch;
	if (x->nscratch)
		qsort(x->scratch, x->nscratch, sizeof *x->scratch, cmp_tid);
	for (i = 0, n = 0; i < x->nscratch; i++) {
		if (n && x->scratch[n - 1].tid == x->scratch[i].tid)
			x->scratch[n - 1].tf++;
		else
			x->scratch[n++] = x->scratch[i];
	}
	/* room for the slot and its key first, so that nothing fails half-way */
	cap = x->scap;
	if (grow((void **)&x->dlen, &cap, x->nslots + 1, sizeof *x->dlen))
		goto oom;
	cap = x->scap;
	if (grow((void **)&x->kind, &cap, x->nslots + 1, 1))
		goto oom;
	cap = x->scap;
	if (grow((void **)&x->flags, &cap, x->nslots + 1, 1))
		goto oom;
	cap = x->scap;
	if (grow((void **)&x->ext, &cap, x->nslots + 1, sizeof *x->ext))
		goto oom;
	cap = x->scap;
	if (grow((void **)&x->aid, &cap, x->nslots + 1, sizeof *x->aid))
		goto oom;
	cap = x->scap;
	if (grow((void **)&x->acc, &cap, x->nslots + 1, sizeof *x->acc))
		goto oom;
	x->scap = (uint32_t)cap;
	if (d->access.visibility != MATCH_VIS_PUBLIC &&
	    grow((void **)&x->accs, &x->acccap, x->naccs + 1, sizeof *x->accs))
		goto oom;
	if ((x->nkeys + 1) * 2 > x->keycap && key_resize(x, x->keycap ? x->keycap * 2 : 1024))
		goto oom;
	if (attrs_intern(x, &d->attrs, &aid))
		goto oom;
	slot = x->nslots;
	for (i = 0; i < n; i++)
		if (posting_append(x, &x->terms[x->scratch[i].tid], slot, x->scratch[i].tf, len,
				   d->access.visibility == MATCH_VIS_PUBLIC))
			goto oom_postings;
	old = key_find(x, d->kind, d->id);
	if (old != (size_t)-1) {
		doc_delete_slot(x, x->keys[old] - 1);
		key_remove(x, old);
	}
	x->dlen[slot] = len;
	x->kind[slot] = (uint8_t)d->kind;
	x->flags[slot] = 0;
	x->ext[slot] = d->id;
	x->aid[slot] = aid;
	x->acc[slot] = 0;
	if (d->access.visibility != MATCH_VIS_PUBLIC) {
		x->accs[x->naccs++] = d->access;
		x->acc[slot] = (uint32_t)x->naccs;
	}
	x->nslots++;
	x->nlive++;
	x->live_len += len;
	if (!x->acc[slot]) {
		x->nlive_pub++;
		x->live_len_pub += len;
	}
	for (i = hash_key(d->kind, d->id) & (x->keycap - 1); x->keys[i]; i = (i + 1) & (x->keycap - 1))
		;
	x->keys[i] = slot + 1;
	x->nkeys++;
	maybe_compact(x);
	return 0;
oom_postings:
	/* Postings already appended for this slot point at a slot that never became a
	 * document; flag it so that queries skip it. */
	x->nslots++;
	x->flags[slot] = F_DELETED;
	x->dlen[slot] = 0;
	x->kind[slot] = 0;
	x->ext[slot] = 0;
	x->aid[slot] = aid;
	x->acc[slot] = 0;
oom:
	return cf_err_set(e, CF_ENOMEM, NULL, "out of memory indexing document %lld", (long long)d->id);
}

int match_index_delete(match_index *x, int kind, int64_t id, cf_err *e)
{
	size_t i = key_find(x, kind, id);
	if (i == (size_t)-1)
		return cf_err_set(e, CF_ENOTFOUND, NULL, "no %s %lld in the index", match_kind_name(kind) ? match_kind_name(kind) : "document", (long long)id);
	doc_delete_slot(x, x->keys[i] - 1);
	key_remove(x, i);
	maybe_compact(x);
	return 0;
}

size_t match_index_count(const match_index *x)
{
	return x->nlive;
}

size_t match_index_memory(const match_index *x)
{
	size_t m = sizeof *x, i;
	for (i = 0; i < x->nterms; i++)
		if ((x->terms[i].flags & (T_LIST | T_SLAB)) == T_LIST)
			m += cap_of(x->lists[x->terms[i].ref].len);
	m += x->slablen;
	m += (size_t)x->tcap * sizeof *x->terms + x->htcap * sizeof *x->ht + x->pcap;
	m += (size_t)x->lcap * sizeof *x->lists;
	m += (size_t)x->scap * (sizeof *x->dlen + 2 + sizeof *x->ext + sizeof *x->aid + sizeof *x->acc);
	m += (size_t)x->atcap * sizeof *x->atab + x->ahtcap * sizeof *x->aht;
	m += x->acccap * sizeof *x->accs + x->keycap * sizeof *x->keys;
	m += x->ccap * (sizeof *x->ckey + sizeof *x->ccount) + x->scratchcap * sizeof *x->scratch;
	return m;
}

void match_index_stats(const match_index *x, size_t *terms, size_t *postings, size_t *singletons)
{
	size_t i, p = 0, one = 0;
	for (i = 0; i < x->nterms; i++) {
		uint32_t df = term_df(&x->terms[i]);
		p += df;
		one += df == 1;
	}
	*terms = x->nterms;
	*postings = p;
	*singletons = one;
}

int match_index_compact(match_index *x, cf_err *e)
{
	uint64_t decoded = 0;
	uint32_t id;
	term *nt = malloc((x->nterms ? x->nterms : 1) * sizeof *nt);
	cursor *c = malloc(sizeof *c);
	plist *old = x->lists;
	uint32_t nold = x->nlists, oldcap = x->lcap;
	cf_err pe;

	if (!nt || !c)
		goto oom;
	/* the new lists are built in x->lists (posting_append's table), the old ones read
	 * through the cursor */
	x->lists = NULL;
	x->nlists = x->lcap = 0;
	for (id = 0; id < x->nterms; id++) {
		term *t = &nt[id];
		memset(t, 0, sizeof *t);
		t->str = x->terms[id].str;
		t->minlen = UINT16_MAX;
		cur_bind(c, &x->terms[id], old, x->slab);
		c->decoded = &decoded;
		for (cur_start(c); c->doc != DONE; cur_next(c))
			if (!(x->flags[c->doc] & F_DELETED) &&
			    posting_append(x, t, c->doc, c->tfs[c->i], x->dlen[c->doc], !x->acc[c->doc])) {
				id++;
				goto oom_lists;
			}
	}
	free_lists(x->terms, x->nterms, old);
	free(old);
	if (x->nterms)
		memcpy(x->terms, nt, (size_t)x->nterms * sizeof *nt);
	free(x->slab);
	x->slab = NULL;
	x->slablen = 0;
	free(nt);
	free(c);
	x->ndead = 0;
	/* back into one slab; a failure leaves the lists in their own allocations, valid */
	(void)match_index_pack(x, &pe);
	return 0;
oom_lists:
	free_lists(nt, id, x->lists); /* the new lists: none lies in the slab */
	free(x->lists);
	x->lists = old;
	x->nlists = nold;
	x->lcap = oldcap;
oom:
	free(nt);
	free(c);
	return cf_err_set(e, CF_ENOMEM, NULL, "out of memory compacting the index");
}

int match_index_pack(match_index *x, cf_err *e)
{
	size_t total = 0, off = 0;
	uint8_t *slab;
	uint32_t id, len;

	for (id = 0; id < x->nterms; id++) {
		const term *t = &x->terms[id];
		if (t->flags & T_SLAB)
			(void)slab_list(x->slab, t->ref, &len);
		else if (t->flags & T_LIST)
			len = x->lists[t->ref].len;
		else
			continue;
		total += varint_len(len) + len;
	}
	/* offsets are 32-bit: past 4 GiB of postings the lists stay where they are */
	slab = total <= UINT32_MAX ? malloc(total ? total : 1) : NULL;
	if (!slab && total <= UINT32_MAX)
		return cf_err_set(e, CF_ENOMEM, NULL, "out of memory packing the index");
	for (id = 0; slab && id < x->nterms; id++) {
		term *t = &x->terms[id];
		const uint8_t *src;
		if (t->flags & T_SLAB)
			src = slab_list(x->slab, t->ref, &len);
		else if (t->flags & T_LIST)
			src = x->lists[t->ref].data, len = x->lists[t->ref].len;
		else
			continue;
		t->ref = (uint32_t)off;
		off += put_varint(slab + off, len);
		memcpy(slab + off, src, len);
		off += len;
		t->flags |= T_SLAB;
	}
	if (slab) {
		/* every list now lies in the slab: the side table goes */
		for (id = 0; id < x->nlists; id++)
			free(x->lists[id].data);
		free(x->lists);
		x->lists = NULL;
		x->nlists = x->lcap = 0;
		free(x->slab);
		x->slab = slab;
		x->slablen = total;
	}
	/* the dictionary's arrays and the document table grew by doubling: trim them to size
	 * (a failed shrink keeps the larger block, which is still valid) */
	if (x->nterms && x->tcap > x->nterms) {
		term *nt = realloc(x->terms, (size_t)x->nterms * sizeof *nt);
		if (nt) {
			x->terms = nt;
			x->tcap = x->nterms;
		}
	}
	if (x->nlists && x->lcap > x->nlists) {
		plist *nl = realloc(x->lists, (size_t)x->nlists * sizeof *nl);
		if (nl) {
			x->lists = nl;
			x->lcap = x->nlists;
		}
	}
	/* the term hash at load 3/4 (it doubles while terms arrive); a failure keeps the old */
	if (x->nterms && x->htcap > (size_t)x->nterms * 4 / 3 + 1)
		(void)ht_resize(x, (size_t)x->nterms * 4 / 3 + 1);
	if (x->plen && x->pcap > x->plen) {
		char *np = realloc(x->pool, x->plen);
		if (np) {
			x->pool = np;
			x->pcap = x->plen;
		}
	}
	if (x->natab && x->atcap > x->natab) {
		match_attrs *na = realloc(x->atab, (size_t)x->natab * sizeof *na);
		if (na) {
			x->atab = na;
			x->atcap = x->natab;
		}
	}
	if (x->nslots && x->scap > x->nslots) {
		size_t n = x->nslots;
		void *a = realloc(x->dlen, n * sizeof *x->dlen), *b, *c, *d, *f, *g;
		if (a)
			x->dlen = a;
		b = realloc(x->kind, n);
		if (b)
			x->kind = b;
		c = realloc(x->flags, n);
		if (c)
			x->flags = c;
		d = realloc(x->ext, n * sizeof *x->ext);
		if (d)
			x->ext = d;
		f = realloc(x->aid, n * sizeof *x->aid);
		if (f)
			x->aid = f;
		g = realloc(x->acc, n * sizeof *x->acc);
		if (g)
			x->acc = g;
		x->scap = (uint32_t)n; /* every array holds at least n, shrunk or not */
	}
	free(x->scratch);
	x->scratch = NULL;
	x->nscratch = x->scratchcap = 0;
	return 0;
}

/* ---- visibility ---- */

static int can_see(const match_access *a, const cf_viewer *w)
{
	int i;
	if (a->visibility == MATCH_VIS_PUBLIC)
		return 1;
	if (!w)
		return 0;
	if (w->role == ROLE_BUREAU)
		return 1;
	if (w->role == ROLE_ENTERPRISE && a->owner_enterprise && w->enterprise_id == a->owner_enterprise)
		return 1;
	if (w->role == ROLE_PLATFORM && a->owner_platform && w->platform_id == a->owner_platform)
		return 1;
	if (w->role != ROLE_BROKER)
		return 0;
	if (a->visibility == MATCH_VIS_BROKERS)
		return 1;
	for (i = 0; i < a->nbrokers; i++)
		if (w->broker_id && a->brokers[i] == w->broker_id)
			return 1;
	return 0;
}

static int slot_visible(const match_index *x, uint32_t s, const cf_viewer *w)
{
	return !x->acc[s] || can_see(&x->accs[x->acc[s] - 1], w);
}

int match_index_visible(const match_index *x, int kind, int64_t id, const cf_viewer *who)
{
	size_t i = key_find(x, kind, id);
	return i != (size_t)-1 && slot_visible(x, x->keys[i] - 1, who);
}

/* ---- signals ---- */

static uint64_t ckey_of(int32_t a, int32_t b)
{
	uint32_t lo = (uint32_t)(a < b ? a : b), hi = (uint32_t)(a < b ? b : a);
	return (uint64_t)lo << 32 | hi;
}

static size_t ckey_lower(const match_index *x, uint64_t k)
{
	size_t lo = 0, hi = x->ncontracts;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x->ckey[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int match_index_set_contracts(match_index *x, int32_t a, int32_t b, uint32_t count, cf_err *e)
{
	uint64_t k = ckey_of(a, b);
	size_t i = ckey_lower(x, k), cap;
	if (i < x->ncontracts && x->ckey[i] == k) {
		x->ccount[i] = count;
		return 0;
	}
	cap = x->ccap;
	if (grow((void **)&x->ckey, &cap, x->ncontracts + 1, sizeof *x->ckey))
		goto oom;
	cap = x->ccap;
	if (grow((void **)&x->ccount, &cap, x->ncontracts + 1, sizeof *x->ccount))
		goto oom;
	x->ccap = cap;
	memmove(x->ckey + i + 1, x->ckey + i, (x->ncontracts - i) * sizeof *x->ckey);
	memmove(x->ccount + i + 1, x->ccount + i, (x->ncontracts - i) * sizeof *x->ccount);
	x->ckey[i] = k;
	x->ccount[i] = count;
	x->ncontracts++;
	return 0;
oom:
	return cf_err_set(e, CF_ENOMEM, NULL, "out of memory recording contracts");
}

static size_t common_digits(const char *a, const char *b, size_t max)
{
	size_t n = 0;
	while (n < max && a[n] >= '0' && a[n] <= '9' && a[n] == b[n])
		n++;
	return n;
}

static double sig_industry(const match_weights *w, const char *a, const char *b)
{
	char la = 0, lb = 0;
	size_t n;
	if (*a >= 'A' && *a <= 'Z')
		la = *a++;
	if (*b >= 'A' && *b <= 'Z')
		lb = *b++;
	if (la && lb && la != lb)
		return 0;
	n = common_digits(a, b, 4);
	if (n >= 4)
		return w->industry_level[0];
	if (n == 3)
		return w->industry_level[1];
	if (n == 2)
		return w->industry_level[2];
	return la && la == lb ? w->industry_level[3] : 0;
}

static double sig_locality(const match_weights *w, const char *a, const char *b)
{
	size_t n;
	if (strlen(a) != 6 || strlen(b) != 6)
		return 0;
	n = common_digits(a, b, 6);
	return n == 6 ? w->locality_level[0] : n >= 4 ? w->locality_level[1] : n >= 2 ? w->locality_level[2] : 0;
}

static double sig_trl(const match_weights *w, const match_attrs *q, const match_attrs *d)
{
	int trl = d->trl ? d->trl : q->trl, size = d->firm_size ? d->firm_size : q->firm_size, req;
	if (trl < 1 || trl > 9 || size < 1 || size > 4)
		return 0;
	req = w->trl_required[size];
	if (trl >= req)
		return 1;
	return fmax(0.0, 1.0 - (double)(req - trl) / w->trl_ramp);
}

static double ratio_fit(int64_t budget, int64_t price)
{
	if (budget <= 0 || price <= 0)
		return 0;
	return price <= budget ? 1.0 : (double)budget / (double)price;
}

static void signals(const match_index *x, const match_weights *w, const match_attrs *q, uint32_t s,
		    double out[MS_COUNT])
{
	const match_attrs *d = &x->atab[x->aid[s]];
	double v[MS_COUNT];
	int i;

	v[MS_INDUSTRY] = q->industry[0] && d->industry[0] ? sig_industry(w, q->industry, d->industry) : 0;
	v[MS_SEGMENT] = q->segment && q->segment == d->segment;
	v[MS_TRL_FIT] = sig_trl(w, q, d);
	v[MS_BUDGET] = q->budget_fen ? ratio_fit(q->budget_fen, d->price_fen) : ratio_fit(d->budget_fen, q->price_fen);
	v[MS_LOCALITY] = sig_locality(w, q->region, d->region);
	v[MS_CONTRACTS] = 0;
	if (q->field && d->field && x->ncontracts) {
		uint64_t k = ckey_of(q->field, d->field);
		size_t j = ckey_lower(x, k);
		if (j < x->ncontracts && x->ckey[j] == k)
			v[MS_CONTRACTS] = x->ccount[j] / (x->ccount[j] + w->contracts_half);
	}
	for (i = 0; i < MS_COUNT; i++)
		out[i] = w->signal[i] * v[i];
}

/* ---- search ---- */

typedef struct qterm {
	uint32_t tid;
	double weight; /* query-side weight: saturated tf, plus feedback */
	double rank;   /* weight * idf, to keep the best terms of a long query */
} qterm;

static int cmp_qterm_rank(const void *a, const void *b)
{
	const qterm *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

typedef struct tidbag {
	match_index *x;
	uint32_t *tids;
	size_t n, cap;
	int err;
} tidbag;

/* Collects the ids of known terms of a text (unknown terms cannot match anything). */
static int collect_tids(void *ctx, const char *s, size_t n, uint32_t pos)
{
	tidbag *b = ctx;
	uint32_t id = term_find(b->x, s, n);
	(void)pos;
	if (id == NONE || b->x->terms[id].maxtf == 0)
		return 0;
	if (grow((void **)&b->tids, &b->cap, b->n + 1, sizeof *b->tids)) {
		b->err = 1;
		return 1;
	}
	b->tids[b->n++] = id;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

typedef struct cand {
	uint32_t doc;
	double score; /* text (BM25) score */
	double *contrib;
} cand;

static int cand_less(const cand *a, const cand *b)
{
	return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

static void heap_down(cand *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		cand t;
		if (l < n && cand_less(&h[l], &h[m]))
			m = l;
		if (r < n && cand_less(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void heap_up(cand *h, size_t i)
{
	while (i) {
		size_t p = (i - 1) / 2;
		cand t;
		if (!cand_less(&h[i], &h[p]))
			return;
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

/* Offers candidate (doc, score, contrib[0..m)) to a heap of at most pool entries. */
static void heap_offer(cand *heap, size_t *nheap, size_t pool, uint32_t doc, double score, const double *contrib,
		       size_t m)
{
	cand nc;
	nc.doc = doc;
	nc.score = score;
	if (*nheap < pool) {
		nc.contrib = heap[*nheap].contrib;
		if (m)
			memcpy(nc.contrib, contrib, m * sizeof *contrib);
		heap[*nheap] = nc;
		heap_up(heap, *nheap);
		(*nheap)++;
	} else if (cand_less(&heap[0], &nc)) {
		nc.contrib = heap[0].contrib;
		if (m)
			memcpy(nc.contrib, contrib, m * sizeof *contrib);
		heap[0] = nc;
		heap_down(heap, *nheap, 0);
	}
}

static int cmp_cursor_ub(const void *a, const void *b)
{
	double x = (*(cursor *const *)a)->ub, y = (*(cursor *const *)b)->ub;
	return x < y ? -1 : x > y;
}

static int eligible(const match_index *x, const match_query *q, uint32_t s)
{
	return !(x->flags[s] & F_DELETED) && x->kind[s] == q->kind &&
	       !(q->exclude_kind == x->kind[s] && q->exclude_id == x->ext[s]) && slot_visible(x, s, q->who);
}

/* One ranking pass: the pool best eligible documents by BM25 over the weighted terms. */
typedef struct pass {
	size_t m, nheap, pool;
	cursor *curs;
	cursor **cs; /* sorted by upper bound; contrib[j] belongs to cs[j] */
	cand *heap;
	double *rows, *tmp, *prefix;
} pass;

static void pass_free(pass *p)
{
	free(p->curs);
	free(p->cs);
	free(p->heap);
	free(p->rows);
	free(p->tmp);
	free(p->prefix);
	memset(p, 0, sizeof *p);
}

static int cmp_cand_doc(const void *a, const void *b)
{
	uint32_t x = ((const cand *)a)->doc, y = ((const cand *)b)->doc;
	return x < y ? -1 : x > y;
}

/* Term-at-a-time for long queries: every posting of every term adds into one score per
 * document, then the pool best eligible documents are kept and their per-term contributions
 * recomputed (the cursors move forward only, in document order). Many terms shared by few
 * documents each defeat MaxScore's skipping; here the cost is just the postings. */
static int pass_taat(match_index *x, const match_weights *w, const match_query *q, pass *p, double avgdl)
{
	/* calloc of a large array maps zero pages lazily: only the pages of documents that some
	 * query term reaches are touched, and the touched list keeps the final scan to those */
	double *acc = calloc(x->nslots ? x->nslots : 1, sizeof *acc);
	uint32_t *touched = NULL;
	size_t i, j, m = p->m, nt = 0, tcap = 0;
	double k1p1 = w->k1 + 1, nb = w->k1 * (1 - w->b), nl = w->k1 * w->b / avgdl;

	if (!acc)
		return CF_ENOMEM;
	for (i = 0; i < m; i++)
		tcap += term_df(p->cs[i]->t) + 1; /* public postings; restricted ones grow it below */
	touched = malloc(tcap * sizeof *touched);
	if (!touched)
		goto oom;
	for (i = 0; i < m; i++) {
		cursor *c = p->cs[i];
		double cw = c->w * k1p1;
		for (; c->doc != DONE; cur_next(c)) {
			double tf = c->tfs[c->i];
			if (acc[c->doc] == 0) {
				if (nt == tcap && grow((void **)&touched, &tcap, nt + 1, sizeof *touched))
					goto oom;
				touched[nt++] = c->doc;
			}
			acc[c->doc] += cw * tf / (tf + nb + nl * x->dlen[c->doc]);
		}
	}
	for (j = 0; j < nt; j++) {
		uint32_t s = touched[j];
		if (acc[s] > 0 && eligible(x, q, s))
			heap_offer(p->heap, &p->nheap, p->pool, s, acc[s], NULL, 0);
	}
	free(touched);
	free(acc);
	/* exact contributions, in document order so that each cursor only moves forward */
	qsort(p->heap, p->nheap, sizeof *p->heap, cmp_cand_doc);
	for (i = 0; i < m; i++)
		cur_start(p->cs[i]);
	for (j = 0; j < p->nheap; j++) {
		cand *cd = &p->heap[j];
		double norm = w->k1 * (1 - w->b + w->b * x->dlen[cd->doc] / avgdl), sum = 0;
		for (i = 0; i < m; i++) {
			cursor *c = p->cs[i];
			cd->contrib[i] = 0;
			cur_seek(c, cd->doc);
			if (c->doc == cd->doc) {
				double tf = c->tfs[c->i];
				cd->contrib[i] = c->w * tf * (w->k1 + 1) / (tf + norm);
				sum += cd->contrib[i];
			}
		}
		cd->score = sum;
	}
	return 0;
oom:
	free(touched);
	free(acc);
	return CF_ENOMEM;
}

static int pass_run(match_index *x, const match_weights *w, const match_query *q, const qterm *qt, size_t m,
		    size_t pool, double avgdl, pass *p, uint64_t *decoded, uint64_t *total)
{
	size_t i, j, fe = 0;
	double theta = 0;

	memset(p, 0, sizeof *p);
	p->m = m;
	p->pool = pool;
	p->heap = calloc(pool + 1, sizeof *p->heap);
	p->rows = calloc((pool + 1) * (m ? m : 1), sizeof *p->rows);
	p->curs = calloc(m ? m : 1, sizeof *p->curs);
	p->cs = calloc(m ? m : 1, sizeof *p->cs);
	p->tmp = calloc(m ? m : 1, sizeof *p->tmp);
	p->prefix = calloc(m ? m : 1, sizeof *p->prefix);
	if (!p->heap || !p->rows || !p->curs || !p->cs || !p->tmp || !p->prefix)
		return CF_ENOMEM;
	for (i = 0; i <= pool; i++)
		p->heap[i].contrib = p->rows + i * (m ? m : 1);
	if (!m) {
		/* no known term: rank every eligible document by its signals alone */
		double sig[MS_COUNT];
		uint32_t s;
		for (s = 0; s < x->nslots; s++) {
			double v = 0;
			if (!eligible(x, q, s))
				continue;
			signals(x, w, &q->attrs, s, sig);
			for (i = 0; i < MS_COUNT; i++)
				v += sig[i];
			if (v > 0) /* a document that fits in no way is no match */
				heap_offer(p->heap, &p->nheap, pool, s, v, NULL, 0);
		}
		return 0;
	}
	for (i = 0; i < m; i++) {
		cursor *c = &p->curs[i];
		const term *t = &x->terms[qt[i].tid];
		double N = x->nlive_pub, df = term_df(t) < x->nlive_pub ? term_df(t) : x->nlive_pub;
		double idf = log(1.0 + (N - df + 0.5) / (df + 0.5));
		double mtf = t->maxtf;
		cur_bind(c, t, x->lists, x->slab);
		c->tid = qt[i].tid;
		c->decoded = decoded;
		c->w = w->text * idf * qt[i].weight;
		/* maxtf is capped at 255: past it, bound by the limit of the tf part, k1 + 1 */
		c->ub = mtf >= 255 ? c->w * (w->k1 + 1)
				   : c->w * mtf * (w->k1 + 1) / (mtf + w->k1 * (1 - w->b + w->b * t->minlen / avgdl));
		*total += term_df(t);
		cur_start(c);
		p->cs[i] = c;
	}
	if (w->taat_min_terms > 0 && m >= (size_t)w->taat_min_terms)
		return pass_taat(x, w, q, p, avgdl);
	qsort(p->cs, m, sizeof *p->cs, cmp_cursor_ub);
	for (i = 0; i < m; i++)
		p->prefix[i] = p->cs[i]->ub + (i ? p->prefix[i - 1] : 0);
	/* MaxScore: lists [fe, m) are essential, a document must appear in one of them to beat
	 * theta; the others are probed only while the document can still make it. */
	for (;;) {
		cursor **cs = p->cs;
		double *tmp = p->tmp, s = 0, norm;
		uint32_t d = DONE;
		int pruned = 0;
		for (i = fe; i < m; i++)
			if (cs[i]->doc < d)
				d = cs[i]->doc;
		if (d == DONE)
			break;
		if (!eligible(x, q, d)) {
			for (i = fe; i < m; i++)
				if (cs[i]->doc == d)
					cur_next(cs[i]);
			continue;
		}
		norm = w->k1 * (1 - w->b + w->b * x->dlen[d] / avgdl);
		for (i = fe; i < m; i++) {
			cursor *c = cs[i];
			tmp[i] = 0;
			if (c->doc == d) {
				double tf = c->tfs[c->i];
				tmp[i] = c->w * tf * (w->k1 + 1) / (tf + norm);
				s += tmp[i];
				cur_next(c);
			}
		}
		for (j = fe; j-- > 0;) {
			cursor *c = cs[j];
			if (p->nheap == pool && s + p->prefix[j] <= theta) {
				pruned = 1;
				break;
			}
			tmp[j] = 0;
			cur_seek(c, d);
			if (c->doc == d) {
				double tf = c->tfs[c->i];
				tmp[j] = c->w * tf * (w->k1 + 1) / (tf + norm);
				s += tmp[j];
			}
		}
		if (pruned || (p->nheap == pool && s <= theta))
			continue;
		heap_offer(p->heap, &p->nheap, pool, d, s, tmp, m);
		if (p->nheap == pool) {
			theta = p->heap[0].score;
			while (fe < m && p->prefix[fe] <= theta)
				fe++;
		}
	}
	return 0;
}

static int cmp_cand_desc(const void *a, const void *b)
{
	return cand_less(b, a) ? -1 : cand_less(a, b) ? 1 : 0;
}

static uint32_t fb_df(void *ctx, uint32_t tid)
{
	const match_index *x = ctx;
	return term_df(&x->terms[tid]);
}

/* One round of pseudo-relevance feedback (RM3-style, see feedback.h): the best documents of
 * this round's pass p (their text comes from q->doc_text), weighted by their score, give a
 * term model that is interpolated into the current query *qt (round 0), or that replaces
 * part of its feedback share while q0, the query before feedback, keeps its own (later
 * rounds). Only eligible documents took part in the pass, so nothing hidden from the
 * viewer shapes the expanded query. */
static int feedback(match_index *x, const match_weights *w, int round, const match_query *q, pass *p,
		    const match_fb_term *q0, size_t n0, qterm **qt, size_t *m, size_t *qcap, cf_err *e)
{
	const match_fb_round *fr = &w->fb_round[round];
	size_t ndocs = p->nheap < (size_t)fr->docs ? p->nheap : (size_t)fr->docs, nd = 0, i, nfb = 0, nx = 0;
	tidbag *bags = calloc(ndocs ? ndocs : 1, sizeof *bags);
	match_fb_doc *docs = calloc(ndocs ? ndocs : 1, sizeof *docs);
	match_fb_term *fb = NULL, *cur = NULL, *ex = NULL;
	int rc = 0;

	if (!bags || !docs)
		goto oom;
	qsort(p->heap, p->nheap, sizeof *p->heap, cmp_cand_desc);
	for (i = 0; i < ndocs; i++) {
		const char *text;
		size_t len;
		uint32_t s = p->heap[i].doc;
		tidbag *bag = &bags[nd];
		if (q->doc_text(q->doc_text_ctx, x->kind[s], x->ext[s], &text, &len))
			continue;
		bag->x = x;
		rc = text_tokenize(q->tok ? q->tok : x->tok, text, len, collect_tids, bag, e);
		if (bag->err)
			goto oom;
		if (rc)
			goto fail;
		if (bag->n)
			qsort(bag->tids, bag->n, sizeof *bag->tids, cmp_u32);
		docs[nd].score = p->heap[i].score;
		docs[nd].tids = bag->tids;
		docs[nd].n = bag->n;
		nd++;
	}
	if ((rc = match_fb_model(w, fr->score_power, docs, nd, fb_df, x, x->nlive_pub, &fb, &nfb, e)))
		goto fail;
	if (!nfb)
		goto done;
	if (!(cur = malloc(*m * sizeof *cur)))
		goto oom;
	for (i = 0; i < *m; i++) {
		cur[i].tid = (*qt)[i].tid;
		cur[i].weight = (*qt)[i].weight;
	}
	rc = round ? match_fb_refine(q0, n0, cur, *m, fb, nfb, w->fb_round[0].lambda, fr->lambda, &ex, &nx, e)
		   : match_fb_interpolate(cur, *m, fb, nfb, fr->lambda, &ex, &nx, e);
	if (rc)
		goto fail;
	if (grow((void **)qt, qcap, nx, sizeof **qt))
		goto oom;
	for (i = 0; i < nx; i++) {
		(*qt)[i].tid = ex[i].tid;
		(*qt)[i].weight = ex[i].weight;
		(*qt)[i].rank = 0;
	}
	*m = nx;
done:
	rc = 0;
	goto out;
oom:
	rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory expanding the query");
fail:
out:
	for (i = 0; bags && i < ndocs; i++)
		free(bags[i].tids);
	free(bags);
	free(docs);
	free(fb);
	free(cur);
	free(ex);
	return rc;
}

typedef struct fused {
	uint32_t doc;
	double score;
	size_t cand;
} fused;

static int cmp_fused(const void *a, const void *b)
{
	const fused *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->doc < y->doc ? -1 : x->doc > y->doc;
}

static int has_attrs(const match_attrs *a)
{
	return a->industry[0] || a->segment || a->field || a->trl || a->firm_size || a->region[0] || a->price_fen ||
	       a->budget_fen;
}

int match_search(match_index *x, const match_weights *w, const match_query *q, arena *a, match_result *out,
		 cf_err *e)
{
	tidbag bag = {x, NULL, 0, 0, 0};
	qterm *qt = NULL;
	match_fb_term *q0 = NULL; /* the query before feedback */
	size_t m = 0, mq, qcap = 0, pool, i, j, u, nf, n0 = 0;
	uint64_t decoded = 0, total = 0;
	fused *fz = NULL;
	pass p;
	double avgdl;
	match_result r;
	int rc;

	memset(&r, 0, sizeof r);
	memset(&p, 0, sizeof p);
	if (q->kind < 0 || q->kind >= MK_COUNT)
		return cf_err_set(e, CF_EINVAL, "kind", "unknown kind %d", q->kind);
	if (q->k < 1 || q->k > 1000)
		return cf_err_set(e, CF_EINVAL, "k", "k must lie in 1..1000, not %d", q->k);
	rc = text_tokenize(q->tok ? q->tok : x->tok, q->text ? q->text : "", q->text ? q->len : 0, collect_tids, &bag, e);
	if (bag.err)
		goto oom;
	if (rc)
		goto fail;
	if (bag.n)
		qsort(bag.tids, bag.n, sizeof *bag.tids, cmp_u32);
	for (i = 0; i < bag.n; i = u) {
		double qtf;
		for (u = i; u < bag.n && bag.tids[u] == bag.tids[i]; u++)
			;
		qtf = (double)(u - i);
		if (grow((void **)&qt, &qcap, m + 1, sizeof *qt))
			goto oom;
		qt[m].tid = bag.tids[i];
		qt[m].weight = w->k3 > 0 ? qtf * (w->k3 + 1) / (w->k3 + qtf) : 1.0;
		m++;
	}
	/* Feedback is for short queries: decided on the query's own distinct terms, before a
	 * long query is cut down to its best max_query_terms below. */
	mq = m;
	/* A long query (a demand's whole description) keeps only its max_query_terms most
	 * telling terms, by query weight * idf, as "more like this" searches do: common terms
	 * add little to the ranking and most of the cost. */
	if (w->max_query_terms > 0 && m > (size_t)w->max_query_terms) {
		double N = x->nlive_pub;
		for (i = 0; i < m; i++) {
			const term *t = &x->terms[qt[i].tid];
			double df = term_df(t) < x->nlive_pub ? term_df(t) : x->nlive_pub;
			qt[i].rank = qt[i].weight * log(1.0 + (N - df + 0.5) / (df + 0.5));
		}
		qsort(qt, m, sizeof *qt, cmp_qterm_rank);
		m = (size_t)w->max_query_terms;
	}
	/* Signals can only reorder text candidates when the query has attributes; without any,
	 * every signal is 0 and the k best by text are the answer, so no wider pool is needed. */
	pool = (size_t)q->k;
	if (has_attrs(&q->attrs) && w->rerank_pool > q->k)
		pool = (size_t)w->rerank_pool;
	avgdl = x->nlive_pub ? (double)x->live_len_pub / x->nlive_pub : 1.0;
	if (avgdl <= 0)
		avgdl = 1.0;
	if (m && mq <= (size_t)w->fb_max_query_terms && q->doc_text && w->fb_terms > 0) {
		/* The feedback pass may read the excluded document (the query's own record): it is
		 * left out of the answer, not hidden from the asker. Visibility applies throughout.
		 * A second round reads the best documents of the query the first one expanded. */
		match_query q1 = *q;
		int round;
		q1.exclude_kind = -1;
		if (!(q0 = malloc(m * sizeof *q0)))
			goto oom;
		for (i = 0; i < m; i++) {
			q0[i].tid = qt[i].tid;
			q0[i].weight = qt[i].weight;
		}
		n0 = m;
		for (round = 0; round < MATCH_FB_ROUNDS && w->fb_round[round].docs > 0; round++) {
			if ((rc = pass_run(x, w, &q1, qt, m, (size_t)w->fb_round[round].docs, avgdl, &p, &decoded,
					   &total)))
				goto oom;
			if (p.nheap && (rc = feedback(x, w, round, q, &p, q0, n0, &qt, &m, &qcap, e)))
				goto fail;
			pass_free(&p);
		}
	}
	if ((rc = pass_run(x, w, q, qt, m, pool, avgdl, &p, &decoded, &total)))
		goto oom;

	/* fuse: text contributions plus signals, summed in one fixed order, so that the
	 * explanation adds up to the score exactly */
	fz = calloc(p.nheap ? p.nheap : 1, sizeof *fz);
	if (!fz)
		goto oom;
	for (i = 0; i < p.nheap; i++) {
		double sig[MS_COUNT], v = 0;
		signals(x, w, &q->attrs, p.heap[i].doc, sig);
		for (j = 0; j < p.m; j++)
			v += p.heap[i].contrib[j];
		for (j = 0; j < MS_COUNT; j++)
			v += sig[j];
		fz[i].doc = p.heap[i].doc;
		fz[i].score = v;
		fz[i].cand = i;
	}
	qsort(fz, p.nheap, sizeof *fz, cmp_fused);
	nf = p.nheap < (size_t)q->k ? p.nheap : (size_t)q->k;
	r.hits = arena_alloc(a, (nf ? nf : 1) * sizeof *r.hits);
	if (!r.hits)
		goto oom;
	for (i = 0; i < nf; i++) {
		match_hit *h = &r.hits[i];
		const cand *c = &p.heap[fz[i].cand];
		size_t nt = 0;
		h->id = x->ext[c->doc];
		h->kind = x->kind[c->doc];
		signals(x, w, &q->attrs, c->doc, h->signal);
		h->terms = arena_alloc(a, (p.m ? p.m : 1) * sizeof *h->terms);
		if (!h->terms)
			goto oom;
		h->text_score = 0;
		for (j = 0; j < p.m; j++) {
			h->text_score += c->contrib[j];
			if (c->contrib[j] > 0) {
				const term *t = p.cs[j]->t;
				h->terms[nt].term = arena_strndup(a, x->pool + t->str + 1, (unsigned char)x->pool[t->str]);
				if (!h->terms[nt].term)
					goto oom;
				h->terms[nt].score = c->contrib[j];
				nt++;
			}
		}
		for (u = 1; u < nt; u++) { /* best first; insertion sort, few terms */
			match_term_score k = h->terms[u];
			size_t v = u;
			while (v > 0 && h->terms[v - 1].score < k.score) {
				h->terms[v] = h->terms[v - 1];
				v--;
			}
			h->terms[v] = k;
		}
		h->nterms = nt;
		h->score = fz[i].score;
	}
	r.n = nf;
	r.postings_total = total;
	r.postings_decoded = decoded;
	*out = r;
	rc = 0;
	goto done;
oom:
	rc = cf_err_set(e, CF_ENOMEM, NULL, "out of memory running the query");
fail:
done:
	pass_free(&p);
	free(bag.tids);
	free(qt);
	free(q0);
	free(fz);
	return rc;
}
