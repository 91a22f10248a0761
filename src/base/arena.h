/*
 * arena — bump allocation freed all at once.
 *
 * A request, an import or a CLI run gets one arena and frees it at the end, so the code
 * in between never pairs mallocs with frees. Long-lived structures do not use arenas.
 */
#ifndef CF_BASE_ARENA_H
#define CF_BASE_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* Creates an empty arena. Returns NULL when out of memory. Free with arena_free(). */
arena *arena_create(void);
/* Returns n bytes aligned for any type, zeroed; NULL when out of memory. Owned by a. */
void *arena_alloc(arena *a, size_t n);
/* Copies n bytes of s and adds a NUL. Owned by a. NULL when out of memory. */
char *arena_strndup(arena *a, const char *s, size_t n);
/* Copies a NUL-terminated string. Owned by a. */
char *arena_strdup(arena *a, const char *s);
/* printf into arena memory. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for tests and memory reports). */
size_t arena_used(const arena *a);
/* Frees every block; a may be NULL. */
void arena_free(arena *a);

#endif
