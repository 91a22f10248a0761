/* viewer — role names; see viewer.h. */
#include "model/viewer.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {"public", "bureau", "enterprise", "platform",
						   "broker", "expert", "fund"};

const cf_viewer cf_viewer_bureau = {ROLE_BUREAU, 0, 0, 0, 0};
const cf_viewer cf_viewer_public = {ROLE_PUBLIC, 0, 0, 0, 0};

const char *viewer_role_name(cf_role r) { return (unsigned)r < ROLE_COUNT ? role_names[r] : NULL; }

int viewer_role_parse(const char *name)
{
	int i;
	for (i = 0; i < ROLE_COUNT; i++)
		if (!strcmp(role_names[i], name))
			return i;
	return -1;
}
