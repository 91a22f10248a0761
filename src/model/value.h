/*
 * value — field values from and to text, and record-level validation.
 *
 * The one place that knows how a field's text looks: CSV cells, JSON strings and CLI
 * arguments all go through value_parse(); CSV export and JSON output through
 * value_format(). Validation that needs no database lives here (USCC check characters,
 * county names, enum members, bounds, UTF-8); whether an industry code or a referenced
 * row exists is checked by service/ against the store.
 */
#ifndef CF_MODEL_VALUE_H
#define CF_MODEL_VALUE_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/schema.h"

/* Parses text into v for field f. Empty text (after trimming blanks) gives an absent value.
 * Strings are copied into a. On bad input returns CF_EINVAL with a message that names the
 * field and says why (e->where is left empty for the caller to fill with its location). */
int value_parse(const cf_field *f, const char *s, size_t n, arena *a, cf_value *v, cf_err *e);
/* The canonical text of v ("" when absent): money "1234.56", dates "YYYY-MM-DD", percents
 * "12.5", booleans "1"/"0", refs as decimal ids. Owned by a. */
const char *value_format(const cf_field *f, const cf_value *v, arena *a);
/* Checks one present value against its field (bounds, enum, shape); CF_EINVAL on failure. */
int value_check(const cf_field *f, const cf_value *v, cf_err *e);
/* Checks a whole record: every value, and on create every F_REQUIRED field present.
 * The first problem is returned, with e->where set to the field name. */
int record_check(const cf_record *r, int creating, cf_err *e);
/* Allocates a record of ent with all values absent, in a. */
int record_new(const cf_entity *ent, arena *a, cf_record *r);

#endif
