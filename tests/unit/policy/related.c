/* Tests of src/policy/related.c: each kind of related party, with its evidence path, and the
 * policy thresholds (minimum share, depth) that decide what counts. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "policy/related.h"

#define BUYER "91330300MA285XXX1A"
#define SELLER "91330300MA285XXX2B"

static policy pol(int32_t min_bp, int depth)
{
	policy p;
	memset(&p, 0, sizeof p);
	p.rp_min_share_bp = min_bp;
	p.rp_max_depth = depth;
	p.rp_broker_min_share_bp = 1;
	return p;
}

static rp_flag *check(rp_graph *g, const policy *p, const char *const *brokers, size_t nb, size_t *n)
{
	rp_flag *f = NULL;
	cf_err e;
	cr_assert_eq(rp_check(g, p, BUYER, SELLER, brokers, nb, &f, n, &e), 0, "%s", e.msg);
	return f;
}

static void add_h(rp_graph *g, const char *a, const char *b, int32_t bp) { cr_assert_eq(rp_add_holding(g, a, b, bp, NULL), 0); }

Test(policy_related, three_hop_holding_chain)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 3);
	size_t n;
	char path[512];
	add_h(g, BUYER, "X1", 6000);
	add_h(g, "X1", "X2", 5500);
	add_h(g, "X2", SELLER, 5100);
	add_h(g, "person:李四", "X2", 4900);
	rp_flag *f = check(g, &p, NULL, 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].kind, RP_BUYER_HOLDS_SELLER);
	cr_assert_eq(f[0].nsteps, 3);
	cr_assert_str_eq(f[0].steps[0].from, BUYER);
	cr_assert_str_eq(f[0].steps[2].to, SELLER);
	cr_assert_str_eq(rp_flag_path(&f[0], path, sizeof path),
			 BUYER " -holds 60.00%-> X1 -holds 55.00%-> X2 -holds 51.00%-> " SELLER);
	free(f);
	/* two links allowed: the chain is too long to count */
	p = pol(500, 2);
	f = check(g, &p, NULL, 0, &n);
	cr_assert_eq(n, 0);
	cr_assert_null(f);
	rp_graph_free(g);
}

Test(policy_related, weak_link_breaks_the_chain)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 5);
	size_t n;
	add_h(g, SELLER, "X1", 6000);
	add_h(g, "X1", BUYER, 499); /* under 5% */
	rp_flag *f = check(g, &p, NULL, 0, &n);
	cr_assert_eq(n, 0);
	free(f);
	add_h(g, "X1", BUYER, 500); /* a second, qualifying holding */
	f = check(g, &p, NULL, 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].kind, RP_SELLER_HOLDS_BUYER);
	cr_assert_eq(f[0].steps[1].share_bp, 500);
	free(f);
	rp_graph_free(g);
}

Test(policy_related, broker_employed_by_the_buyer)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 3);
	const char *brokers[] = {"broker:7", "broker:8"};
	size_t n;
	char path[256];
	cr_assert_eq(rp_add_employment(g, "broker:7", BUYER, NULL), 0);
	cr_assert_eq(rp_add_employment(g, "broker:8", "91330300MA285XXX9Z", NULL), 0);
	rp_flag *f = check(g, &p, brokers, 2, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].kind, RP_BROKER_EMPLOYED);
	cr_assert_str_eq(f[0].who, "broker:7");
	cr_assert_str_eq(rp_flag_path(&f[0], path, sizeof path), "broker:7 -works for-> " BUYER);
	free(f);
	rp_graph_free(g);
}

Test(policy_related, common_shareholder_and_threshold)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 3);
	size_t n;
	char path[256];
	add_h(g, "person:张三", BUYER, 3000);
	add_h(g, "person:张三", SELLER, 1000);
	add_h(g, "person:王五", BUYER, 7000);
	add_h(g, "person:王五", SELLER, 300); /* below 5%: not a related holding */
	rp_flag *f = check(g, &p, NULL, 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].kind, RP_COMMON_HOLDER);
	cr_assert_str_eq(f[0].who, "person:张三");
	cr_assert_str_eq(rp_flag_path(&f[0], path, sizeof path),
			 "person:张三 -holds 30.00%-> " BUYER "; person:张三 -holds 10.00%-> " SELLER);
	free(f);
	rp_graph_free(g);
}

Test(policy_related, nearest_common_holder_only)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 3);
	size_t n;
	/* G owns H outright; H holds both parties: H is the common holder, G only through H */
	add_h(g, "G", "H", 10000);
	add_h(g, "H", BUYER, 5100);
	add_h(g, "H", SELLER, 5100);
	/* K holds the buyer through M and the seller directly: K is a common holder, 3 steps */
	add_h(g, "K", "M", 8000);
	add_h(g, "M", BUYER, 2000);
	add_h(g, "K", SELLER, 600);
	rp_flag *f = check(g, &p, NULL, 0, &n);
	cr_assert_eq(n, 2);
	cr_assert_eq(f[0].kind, RP_COMMON_HOLDER);
	cr_assert_eq(f[1].kind, RP_COMMON_HOLDER);
	cr_assert_str_eq(f[0].who, "H"); /* node order: H was added before K */
	cr_assert_eq(f[0].nsteps, 2);
	cr_assert_str_eq(f[1].who, "K");
	cr_assert_eq(f[1].nsteps, 3);
	free(f);
	rp_graph_free(g);
}

Test(policy_related, common_legal_representative)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 3);
	size_t n;
	cr_assert_eq(rp_add_legal_rep(g, "person:赵六", BUYER, NULL), 0);
	cr_assert_eq(rp_add_legal_rep(g, "person:赵六", SELLER, NULL), 0);
	cr_assert_eq(rp_add_legal_rep(g, "person:钱七", SELLER, NULL), 0);
	rp_flag *f = check(g, &p, NULL, 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(f[0].kind, RP_COMMON_LEGAL_REP);
	cr_assert_str_eq(f[0].who, "person:赵六");
	cr_assert_eq(f[0].nsteps, 2);
	free(f);
	rp_graph_free(g);
}

Test(policy_related, broker_holds_or_represents)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 3);
	const char *brokers[] = {"broker:1", "broker:2", "broker:3"};
	size_t n;
	char path[256];
	add_h(g, "broker:1", SELLER, 50);   /* 0.5% directly: any broker holding counts */
	add_h(g, "broker:2", "Y", 100);     /* 1% of Y, which holds 60% of the buyer */
	add_h(g, "Y", BUYER, 6000);
	cr_assert_eq(rp_add_legal_rep(g, "broker:3", SELLER, NULL), 0);
	rp_flag *f = check(g, &p, brokers, 3, &n);
	cr_assert_eq(n, 3);
	cr_assert_eq(f[0].kind, RP_BROKER_HOLDS);
	cr_assert_str_eq(rp_flag_path(&f[0], path, sizeof path), "broker:1 -holds 0.50%-> " SELLER);
	cr_assert_eq(f[1].kind, RP_BROKER_HOLDS);
	cr_assert_str_eq(rp_flag_path(&f[1], path, sizeof path), "broker:2 -holds 1.00%-> Y -holds 60.00%-> " BUYER);
	cr_assert_eq(f[2].kind, RP_BROKER_REPRESENTS);
	cr_assert_str_eq(f[2].who, "broker:3");
	free(f);
	rp_graph_free(g);
}

Test(policy_related, clean_and_unknown_parties)
{
	rp_graph *g = rp_graph_create();
	policy p = pol(500, 3);
	const char *brokers[] = {"broker:404"};
	size_t n = 9;
	add_h(g, "person:甲", BUYER, 10000);
	add_h(g, "person:乙", SELLER, 10000);
	rp_flag *f = check(g, &p, brokers, 1, &n);
	cr_assert_eq(n, 0);
	cr_assert_null(f);
	rp_graph_free(g);
	g = rp_graph_create();
	f = check(g, &p, brokers, 1, &n);
	cr_assert_eq(n, 0);
	rp_graph_free(g);
}

Test(policy_related, refuses_bad_edges)
{
	rp_graph *g = rp_graph_create();
	cr_assert_eq(rp_add_holding(g, "A", "B", 0, NULL), CF_EINVAL);
	cr_assert_eq(rp_add_holding(g, "A", "B", 10001, NULL), CF_EINVAL);
	cr_assert_eq(rp_add_holding(g, "A", "A", 100, NULL), CF_EINVAL);
	cr_assert_eq(rp_add_legal_rep(g, "", "B", NULL), CF_EINVAL);
	rp_graph_free(g);
}
