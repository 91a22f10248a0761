/* path — locate and read shipped data files; see path.h. */
#include "base/path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int path_data(const char *rel, char *out, size_t size)
{
	const char *env = getenv("CHAINFUSE_DATA");
	char exe[4096], dir[4200];
	ssize_t n;
	int w;

	if (env && *env) {
		w = snprintf(out, size, "%s/%s", env, rel);
		return w < 0 || (size_t)w >= size ? CF_ETOOBIG : 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/../data", exe);
			if (is_dir(dir)) {
				w = snprintf(out, size, "%s/%s", dir, rel);
				return w < 0 || (size_t)w >= size ? CF_ETOOBIG : 0;
			}
			/* build-asan/tests/... or deeper build layouts */
			snprintf(dir, sizeof dir, "%s/../../data", exe);
			if (is_dir(dir)) {
				w = snprintf(out, size, "%s/%s", dir, rel);
				return w < 0 || (size_t)w >= size ? CF_ETOOBIG : 0;
			}
		}
	}
	w = snprintf(out, size, "data/%s", rel);
	return w < 0 || (size_t)w >= size ? CF_ETOOBIG : 0;
}

int path_read_file(const char *path, buf *b, cf_err *e)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return cf_err_set(e, CF_EIO, path, "cannot open: %s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		rc = buf_append(b, chunk, n);
		if (rc) {
			fclose(f);
			return cf_err_set(e, rc, path, "file is larger than %zu bytes", b->max);
		}
	}
	if (ferror(f))
		rc = cf_err_set(e, CF_EIO, path, "read error: %s", strerror(errno));
	fclose(f);
	return rc;
}
