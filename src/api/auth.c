/*
 * auth — who is asking. PENDING THE ACCOUNTS ISSUE: logins, sessions and roles are not built
 * yet, so every request acts as the bureau (sees and may change everything). That is safe only
 * because the server binds 127.0.0.1 by default; do not expose it before accounts land.
 */
#include "api/api.h"

const cf_viewer *auth_viewer(const char *authorization)
{
	(void)authorization; /* ignored until accounts exist */
	return &cf_viewer_bureau;
}
