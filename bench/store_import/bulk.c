/*
 * bulk — the store_import benchmark's driver: loads a CSV of enterprises through
 * store_insert (one transaction, cached prepared statements), as an import does.
 *
 *   bulk prepare DB      migrate DB and add the 10 chains and 10 segments the rows refer to
 *   bulk import DB CSV   insert every row of CSV (columns named as the table's; id,
 *                        created_at and updated_at are ignored), print rows and seconds
 *
 * Built by ./run against build/libchainfuse.a; not part of the product.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "store/store.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int fail(const char *what, const cf_err *e)
{
	fprintf(stderr, "bulk: %s: %s: %s\n", what, e->where, e->msg);
	return 1;
}

static int prepare(const char *db)
{
	store *s;
	cf_err e = {0};
	int i;
	char name[32];
	const cf_entity *ch = schema_entity("chain"), *sg = schema_entity("segment");
	cf_value cv[8], sv[8];
	if (store_open(db, &s, &e))
		return fail(db, &e);
	for (i = 1; i <= 10; i++) {
		cf_record c = {ch, 0, 0, cv}, g = {sg, 0, 0, sv};
		memset(cv, 0, sizeof cv);
		memset(sv, 0, sizeof sv);
		snprintf(name, sizeof name, "产业%d", i);
		cv[0] = (cf_value){1, 0, name, strlen(name)};
		cv[2] = (cf_value){1, 0, "pillar", 6};
		if (store_insert(s, &c, &e))
			return fail("chain", &e);
		sv[0] = (cf_value){1, c.id, NULL, 0};
		sv[1] = (cf_value){1, 0, name, strlen(name)};
		sv[2] = (cf_value){1, 0, "midstream", 9};
		if (store_insert(s, &g, &e))
			return fail("segment", &e);
	}
	store_close(s);
	return 0;
}

static int import(const char *db, const char *csv)
{
	const cf_entity *ent = schema_entity("enterprise");
	int map[64], ncol = 0, synth_col = -1, k;
	char *line = NULL, *cells[64];
	size_t cap = 0;
	ssize_t len;
	long rows = 0;
	cf_value *v = calloc(ent->nfields, sizeof *v);
	cf_record r = {ent, 0, 0, v};
	store *s;
	cf_err e = {0};
	FILE *f = fopen(csv, "r");
	double t0;

	if (!f || !v) {
		fprintf(stderr, "bulk: %s: %s\n", csv, strerror(errno));
		return 1;
	}
	t0 = now();
	if (store_open(db, &s, &e))
		return fail(db, &e);
	if (store_begin(s, &e))
		return fail("begin", &e);
	while ((len = getline(&line, &cap, f)) > 0) {
		int n = 0;
		char *p = line;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		for (;;) {
			char *c = strchr(p, ',');
			if (n < 64)
				cells[n++] = p;
			if (!c)
				break;
			*c = '\0';
			p = c + 1;
		}
		if (!ncol) { /* header */
			ncol = n;
			for (k = 0; k < n; k++) {
				map[k] = schema_field(ent, cells[k]);
				if (!strcmp(cells[k], "synthetic"))
					synth_col = k;
			}
			continue;
		}
		if (n != ncol) {
			fprintf(stderr, "bulk: %s:%ld: %d cells, header has %d\n", csv, rows + 2, n, ncol);
			return 1;
		}
		memset(v, 0, sizeof(cf_value) * ent->nfields);
		r.synthetic = synth_col >= 0 && cells[synth_col][0] == '1';
		for (k = 0; k < n; k++) {
			const cf_field *fd;
			cf_value *x;
			if (map[k] < 0 || !cells[k][0])
				continue;
			fd = &ent->fields[map[k]];
			x = &v[map[k]];
			x->present = 1;
			if (fd->type == FT_INT || fd->type == FT_MONEY || fd->type == FT_DATE || fd->type == FT_BOOL ||
			    fd->type == FT_PERCENT || fd->type == FT_REF) {
				char *end;
				errno = 0;
				x->i = strtoll(cells[k], &end, 10);
				if (errno || *end) {
					fprintf(stderr, "bulk: %s:%ld: %s: not a number\n", csv, rows + 2, fd->name);
					return 1;
				}
			} else {
				x->s = cells[k];
				x->n = strlen(cells[k]);
			}
		}
		if (store_insert(s, &r, &e)) {
			fprintf(stderr, "bulk: %s:%ld: ", csv, rows + 2);
			return fail("insert", &e);
		}
		rows++;
	}
	if (store_commit(s, &e))
		return fail("commit", &e);
	store_close(s);
	printf("%ld %.3f\n", rows, now() - t0);
	free(line);
	free(v);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "prepare"))
		return prepare(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "import"))
		return import(argv[2], argv[3]);
	fprintf(stderr, "usage: bulk prepare DB | bulk import DB CSV\n");
	return 2;
}
