/*
 * api_int — what the files of src/api share and nothing outside uses: route matching and
 * status texts (router.c), used by the server loop (server.c).
 */
#ifndef CF_API_INT_H
#define CF_API_INT_H

#include "api/api.h"

#define API__MAX_PARAMS 8

typedef struct api__match {
	const struct api_route *route;
	api_kv params[API__MAX_PARAMS];
	size_t nparams;
	char allow[128]; /* methods the path accepts when the asked one is not among them */
} api__match;

/* Finds the route for method and path. 0 with m->route set; CF_ENOTFOUND when no pattern
 * matches the path (404); CF_EFORBIDDEN when the path matches only under other methods
 * (405; m->allow lists them). Parameter texts are copied into a. */
int api__route_match(const char *method, const char *path, arena *a, api__match *m);
/* The reason phrase of an HTTP status. Static storage. */
const char *api__status_text(int status);
/* Writes the JSON path of the value at byte offset off of the JSON text s[0..n) ("$.a[2].b";
 * "$" when at top level) into out. Best effort on text that does not parse. */
void api__json_path_at(const char *s, size_t n, size_t off, char *out, size_t size);

/* A JSON string of s, with every byte that is not valid UTF-8 replaced by U+FFFD (for messages
 * that quote client bytes). New reference; NULL when out of memory. */
json_t *api__json_str(const char *s);

#endif
