/*
 * json_record — a registry record (cf_record) to JSON and back, field by field as its type
 * says (schema.h): money as yuan text "1234.56" (input also an integer of yuan, never a JSON
 * real), dates "YYYY-MM-DD", percents as numbers (12.5), booleans, refs as integer ids, id
 * lists as arrays of ids, plus "id" and "synthetic". Errors name the JSON path ("$.budget").
 */
#ifndef CF_API_JSON_RECORD_H
#define CF_API_JSON_RECORD_H

#include <jansson.h>

#include "base/arena.h"
#include "base/err.h"
#include "model/schema.h"

/* The JSON object of r: every field (absent as null), then "id" and "synthetic".
 * A new reference owned by the caller; NULL when out of memory. */
json_t *json_record_to(const cf_record *r, arena *a);

/* Sets r's fields from the members of obj (null makes a field absent; members not in obj
 * leave the field as it is, so PATCH applies onto the stored row and POST/PUT onto an empty
 * record). "id" and "synthetic" are read-only: accepted with a value of their type and
 * ignored. Every problem found is appended to errs as {"path","detail"} (unknown fields,
 * wrong JSON types, values value_parse/value_check refuse); returns CF_EINVAL when there was
 * any, 0 otherwise. Strings are copied into a. r may be partly changed on failure. */
int json_record_apply(const json_t *obj, cf_record *r, arena *a, json_t *errs);

/* Appends {"path": path, "detail": detail} to errs. Returns CF_EINVAL. */
int json_record_err(json_t *errs, const char *path, const char *detail);

#endif
