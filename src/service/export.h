/*
 * export — registry rows out as CSV or XLSX (SPEC C1).
 *
 * CSV: one header row of the English field names in schema order, then a last column
 * "synthetic" (1 for generated demo rows, 0 for real ones); every cell in the very text form
 * the import reads (model/value.c), so export → import → export gives the same file. Rows
 * come in id order. Row ids are not exported: references (chain_id, enterprise_id, ...) are
 * ids, and rows imported into an empty database get ids 1, 2, ... in file order.
 *
 * XLSX (libxlsxwriter): the first sheet, named after the entity in Chinese, has one header
 * row of Chinese labels (which the import also accepts as headers) and a last column 合成数据
 * (synthetic); cells are text in the same forms as CSV. A second sheet "fields" lists each
 * column: letter, Chinese label, field name, type, required or not.
 */
#ifndef CF_SERVICE_EXPORT_H
#define CF_SERVICE_EXPORT_H

#include <stdio.h>

#include "base/err.h"
#include "model/schema.h"
#include "model/viewer.h"
#include "store/store.h"

/* Writes every row of ent that who may see to out as CSV. *nrows gets the row count
 * (may be NULL). CF_EIO when writing fails. */
int export_csv(store *s, const cf_viewer *who, const cf_entity *ent, FILE *out, size_t *nrows, cf_err *e);
/* Writes every row of ent that who may see to a new XLSX file at path. */
int export_xlsx(store *s, const cf_viewer *who, const cf_entity *ent, const char *path, size_t *nrows, cf_err *e);

#endif
