/* attach.c: the sandbox started for a connection (--sandbox), its portal
 * kept under the state directory so that its sessions outlive it. */
#include <stdlib.h>

#include "sandbox.h"
#include "hubassoc/config.h"
#include "hubassoc/conn.h"
#include "hubassoc/util.h"

static void
stop_local(void *s)
{
	sandbox_stop(s);
}

/* $XDG_STATE_HOME/hubassoc/sandbox/portal, its directory private; NULL
 * (the portal then lives as long as the process) when it cannot be. */
static char *
keep_path(void)
{
	char *dir = NULL, *cause = NULL, *path = NULL;

	if (xdg_path("XDG_STATE_HOME", ".local/state", "hubassoc/sandbox", &dir,
	    &cause) == 0 && make_dirs(dir, &cause) == 0 &&
	    dir_check_private(dir, &cause) == 0)
		path = xasprintf("%s/portal", dir);
	free(dir);
	free(cause);
	return path;
}

struct sandbox *
sandbox_for_conn(struct conn *c, struct conn_given *g, char **cause)
{
	struct sandbox_opts so;
	struct sandbox *sb;

	sandbox_opts_init(&so);
	so.keep_path = keep_path();
	so.keep_reset = g->set.sandbox_reset;
	sb = sandbox_start(&so, cause);
	sandbox_opts_free(&so);
	if (sb == NULL)
		return NULL;
	g->local_url = sandbox_url(sb);
	g->local_token = SANDBOX_TOKEN_DEFAULT;
	c->local = sb;
	c->local_stop = stop_local;
	return sb;
}
