/*
 * store_int — what the store's own files share: the embedded migrations.
 *
 * Private to src/store/; nothing outside includes it.
 */
#ifndef CF_STORE_INT_H
#define CF_STORE_INT_H

#include <stddef.h>

typedef struct store__migration {
	const char *version; /* file name without ".sql": "001_registry"; recorded in schema_migrations */
	const char *sql;     /* the file's text, NUL-terminated, static storage */
} store__migration;

/* The migrations in number order. */
extern const store__migration store__migrations[];
extern const size_t store__nmigrations;

#endif
