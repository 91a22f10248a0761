/*
 * io_table — national input–output tables (NBS layout of ../shared/data/china-io-tables):
 * import, direct requirement coefficients A, Leontief inverse L = (I − A)⁻¹ (LAPACKE),
 * Rasmussen backward/forward linkage indices and key sectors.
 */
#ifndef CF_CHAIN_IO_TABLE_H
#define CF_CHAIN_IO_TABLE_H

#include "base/err.h"

typedef struct io_table {
	int n;          /* sectors */
	char **code;    /* n sector codes ("01", "001", ...) */
	char **name_en; /* n English descriptions */
	char **name_zh; /* n Chinese descriptions */
	double *z;      /* n×n row-major domestic intermediate use (rows: producing, cols: using) */
	double *x;      /* n total inputs (TI row; = gross output) */
	int noncompetitive; /* 1 when the table carries Origin=Domestic/Imports rows */
} io_table;

typedef struct io_result {
	int n;
	double *a;  /* n×n direct requirement coefficients a_ij = z_ij / x_j */
	double *l;  /* n×n Leontief inverse */
	double *bl; /* n backward linkage indices (column sums of L, normalised by their mean) */
	double *fl; /* n forward linkage indices (row sums of L, normalised by their mean) */
	int *key;   /* n: 1 when both indices exceed 1 (key sector) */
	double residual; /* max |((I − A)·L − I)_ij|, the solve's check */
} io_result;

/* Reads an NBS table CSV (header Code,Description,DescriptionInChinese[,Origin],sector
 * codes...,TI row). Returns 0 and fills *t (free with io_table_free), or CF_EIO/CF_EINVAL
 * with FILE:ROW:COL in e. For non-competitive tables only the Domestic rows form z. */
int io_table_load(const char *path, io_table *t, cf_err *e);
/* Frees what io_table_load allocated; t may be zeroed. */
void io_table_free(io_table *t);
/* Computes A, L, linkages and key sectors. Returns 0 and fills *r (free with io_result_free),
 * CF_EINVAL when a sector has zero output or I − A is singular, CF_ENOMEM. */
int io_analyze(const io_table *t, io_result *r, cf_err *e);
void io_result_free(io_result *r);

#endif
