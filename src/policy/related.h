/*
 * related — the related-party check before a contract is approved (§四.4, SPEC C4).
 *
 * An in-memory ownership graph: nodes are keys chosen by the caller (a USCC for an enterprise,
 * "person:NAME" for a natural person, "broker:ID" for a broker), edges are holdings (holder →
 * company, share in basis points), legal representation (person → company) and employment
 * (broker → employer). A check of buyer, seller and brokers returns every flag with the path
 * that proves it:
 *   - common holder: someone holds both parties, directly or through a chain of holdings;
 *   - common legal representative;
 *   - holding chain: one party holds the other, directly or through a chain;
 *   - a broker holds shares in (directly or through a chain), represents or works for a party.
 * A holding link counts when its share is at least the policy's min_share_bp (a broker's own
 * first link: broker_min_share_bp); chains have at most max_depth links.
 *
 * Thread safety: rp_graph_index() must run before several threads check the same graph;
 * adding edges afterwards needs it again.
 */
#ifndef CF_POLICY_RELATED_H
#define CF_POLICY_RELATED_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "policy/policy.h"

typedef struct rp_graph rp_graph;

enum rp_rel { RP_HOLDS = 0, RP_REPRESENTS = 1, RP_EMPLOYS = 2 };

enum rp_kind {
	RP_COMMON_HOLDER = 0,   /* steps: holder → … → buyer, then holder → … → seller */
	RP_COMMON_LEGAL_REP,    /* steps: person → buyer, person → seller */
	RP_BUYER_HOLDS_SELLER,  /* steps: buyer → … → seller */
	RP_SELLER_HOLDS_BUYER,  /* steps: seller → … → buyer */
	RP_BROKER_HOLDS,        /* steps: broker → … → party */
	RP_BROKER_REPRESENTS,   /* steps: broker → party */
	RP_BROKER_EMPLOYED      /* steps: broker → employer (a party) */
};

/* One edge of an evidence path. from/to point into the graph (valid while it lives). */
typedef struct rp_step {
	const char *from, *to;
	int rel;          /* enum rp_rel; for RP_EMPLOYS from is the broker, to the employer */
	int32_t share_bp; /* RP_HOLDS only */
} rp_step;

#define RP_MAX_STEPS 24

typedef struct rp_flag {
	int kind;            /* enum rp_kind */
	const char *who;     /* the common holder / person / broker, or the holding party */
	rp_step steps[RP_MAX_STEPS];
	size_t nsteps;
} rp_flag;

/* Creates an empty graph; NULL when out of memory. Free with rp_graph_free(). */
rp_graph *rp_graph_create(void);
void rp_graph_free(rp_graph *g);
/* Records that holder holds share_bp (1..10000) of company. Keys are copied. CF_EINVAL on a
 * bad share or a self-holding, CF_ENOMEM. */
int rp_add_holding(rp_graph *g, const char *holder, const char *company, int32_t share_bp, cf_err *e);
/* Records that person is company's legal representative (法定代表人). */
int rp_add_legal_rep(rp_graph *g, const char *person, const char *company, cf_err *e);
/* Records that broker works for employer. */
int rp_add_employment(rp_graph *g, const char *broker, const char *employer, cf_err *e);
/* Builds the reverse index the checks use. CF_ENOMEM. */
int rp_graph_index(rp_graph *g, cf_err *e);

/* Checks a contract between buyer and seller brokered by brokers[0..nbrokers) under p's
 * thresholds. *flags is malloc'd (free()), NULL when clean; *nflags its length. Parties or
 * brokers missing from the graph simply have no relations. CF_ENOMEM. */
int rp_check(rp_graph *g, const policy *p, const char *buyer, const char *seller, const char *const *brokers,
	     size_t nbrokers, rp_flag **flags, size_t *nflags, cf_err *e);

/* A stable English name of a flag kind ("common_holder", ...); static storage. */
const char *rp_kind_name(int kind);
/* Writes the evidence path of f as one line ("A -holds 60.00%-> B -holds 55.00%-> C"), into
 * out (truncated to size). Returns out. */
char *rp_flag_path(const rp_flag *f, char *out, size_t size);

#endif
