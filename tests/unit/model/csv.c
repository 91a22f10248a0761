/* Unit tests for src/base/csv.c: encodings, quoting, embedded newlines, the writer. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/csv.h"

static arena *A;
static void setup(void) { A = arena_create(); }
static void teardown(void) { arena_free(A); }
TestSuite(model_csv, .init = setup, .fini = teardown);

static int R(const char *s, size_t n, csv_table *t, cf_err *e) { return csv_read_mem(s, n, "t.csv", A, t, e); }

Test(model_csv, utf8_with_bom)
{
	const char s[] = "\xEF\xBB\xBFname,county\n甲,鹿城区\n";
	csv_table t;
	cr_assert_eq(R(s, sizeof s - 1, &t, NULL), 0);
	cr_assert_eq(t.nrows, 2);
	cr_assert_str_eq(t.rows[0].cells[0], "name");
	cr_assert_str_eq(t.rows[1].cells[1], "鹿城区");
	cr_assert_str_eq(t.encoding, "UTF-8 (BOM)");
}

Test(model_csv, gbk_converted)
{
	/* "企业,温州\r\n" in GBK: 企 C6F3, 业 D2B5, 温 CEC2, 州 D6DD */
	const char s[] = "\xC6\xF3\xD2\xB5,\xCE\xC2\xD6\xDD\r\n";
	csv_table t;
	cr_assert_eq(R(s, sizeof s - 1, &t, NULL), 0);
	cr_assert_str_eq(t.encoding, "GB18030");
	cr_assert_str_eq(t.rows[0].cells[0], "企业");
	cr_assert_str_eq(t.rows[0].cells[1], "温州");
}

Test(model_csv, bad_encoding_names_offset)
{
	const char s[] = "ab,c\n\x80\xFF\n";
	csv_table t;
	cf_err e;
	cr_assert_eq(R(s, sizeof s - 1, &t, &e), CF_EINVAL);
	cr_assert(strstr(e.msg, "byte 5"), "%s", e.msg);
}

Test(model_csv, quoting_and_newlines)
{
	const char s[] = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n3,,\n";
	csv_table t;
	cr_assert_eq(R(s, sizeof s - 1, &t, NULL), 0);
	cr_assert_eq(t.nrows, 3);
	cr_assert_str_eq(t.rows[1].cells[0], "x, y");
	cr_assert_str_eq(t.rows[1].cells[1], "say \"hi\"");
	cr_assert_str_eq(t.rows[1].cells[2], "two\nlines");
	cr_assert_eq(t.rows[2].row, 3, "records are counted, not lines");
	cr_assert_eq(t.rows[2].ncells, 3);
	cr_assert_str_eq(t.rows[2].cells[1], "");
}

Test(model_csv, malformed_quote)
{
	const char s[] = "a,b\n\"x\"y,1\n";
	csv_table t;
	cf_err e;
	cr_assert_eq(R(s, sizeof s - 1, &t, &e), CF_EINVAL);
	cr_assert_str_eq(e.where, "t.csv:2");
}

Test(model_csv, writer_round_trip)
{
	const char *cells[] = {"plain", "a,b", "q\"q", "line\nbreak", " pad", ""};
	buf b;
	csv_table t;
	size_t i;
	buf_init(&b, 0);
	cr_assert_eq(csv_write_row(&b, cells, NULL, 6), 0);
	cr_assert_str_eq(buf_cstr(&b), "plain,\"a,b\",\"q\"\"q\",\"line\nbreak\",\" pad\",\r\n");
	cr_assert_eq(R(b.p, b.len, &t, NULL), 0);
	cr_assert_eq(t.rows[0].ncells, 6);
	for (i = 0; i < 6; i++)
		cr_assert_str_eq(t.rows[0].cells[i], cells[i]);
	buf_free(&b);
}

Test(model_csv, blank_lines_count_as_rows)
{
	const char s[] = "a,b\r\n\r\nx,1\r\n\r\ny,2\r\n";
	csv_table t;
	cr_assert_eq(R(s, sizeof s - 1, &t, NULL), 0);
	cr_assert_eq(t.nrows, 3);
	cr_assert_eq(t.rows[1].row, 3);
	cr_assert_eq(t.rows[2].row, 5);
	cr_assert_str_eq(t.rows[2].cells[0], "y");
}
