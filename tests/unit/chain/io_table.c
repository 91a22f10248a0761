/* Tests of src/chain/io_table.c on a 2-sector table computed by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "chain/io_table.h"

Test(chain_io_table, two_sectors_by_hand)
{
	char path[] = "/tmp/cf-io-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	io_table t;
	io_result r;
	cf_err e;
	/* Z = [[20,30],[40,10]], x = [100,100] -> A = [[.2,.3],[.4,.1]], det(I-A) = .72-.12 = .6
	 * L = 1/.6 [[.9,.3],[.4,.8]] = [[1.5,.5],[2/3,4/3]] */
	fputs("Code,Description,DescriptionInChinese,Origin,01,02,TIU\n"
	      "01,Agri,农业,Domestic,20,30,50\n"
	      "02,\"Ind, heavy\",工业,Domestic,40,10,50\n"
	      "01,Agri,农业,Imports,5,5,10\n"
	      "02,Ind,工业,Imports,5,5,10\n"
	      "TI,Total input,总投入,TOT,100,100,\n",
	      f);
	fclose(f);
	cr_assert_eq(io_table_load(path, &t, &e), 0, "%s %s", e.where, e.msg);
	unlink(path);
	cr_assert_eq(t.n, 2);
	cr_assert(t.noncompetitive);
	cr_assert_str_eq(t.name_en[1], "Ind, heavy");
	cr_assert_eq(io_analyze(&t, &r, &e), 0);
	cr_assert_float_eq(r.a[1], 0.3, 1e-15);
	cr_assert_float_eq(r.l[0], 1.5, 1e-12);
	cr_assert_float_eq(r.l[1], 0.5, 1e-12);
	cr_assert_float_eq(r.l[2], 2.0 / 3, 1e-12);
	cr_assert_float_eq(r.l[3], 4.0 / 3, 1e-12);
	/* total 4; column sums 13/6, 11/6 -> BL = 2*(13/6)/4 = 13/12; row sums 2, 2 -> FL = 1 */
	cr_assert_float_eq(r.bl[0], 13.0 / 12, 1e-12);
	cr_assert_float_eq(r.bl[1], 11.0 / 12, 1e-12);
	cr_assert_float_eq(r.fl[0], 1.0, 1e-12);
	cr_assert(!r.key[0] && !r.key[1]);
	cr_assert(r.residual < 1e-12);
	io_result_free(&r);
	io_table_free(&t);
}

Test(chain_io_table, missing_file_and_bad_number)
{
	io_table t;
	cf_err e;
	char path[] = "/tmp/cf-io-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	cr_assert_eq(io_table_load("/nonexistent/x.csv", &t, &e), CF_EIO);
	fputs("Code,Description,DescriptionInChinese,01\n01,a,甲,1e\nTI,t,总,3\n", f);
	fclose(f);
	cr_assert_eq(io_table_load(path, &t, &e), CF_EINVAL);
	unlink(path);
	cr_assert(strstr(e.where, ":2:4") != NULL, "%s", e.where);
}
