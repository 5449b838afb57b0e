/* attach.c: the sandbox started for a connection (--sandbox). */
#include "sandbox.h"
#include "hubassoc/conn.h"

static void
stop_local(void *s)
{
	sandbox_stop(s);
}

struct sandbox *
sandbox_for_conn(struct conn *c, struct conn_given *g, char **cause)
{
	struct sandbox_opts so;
	struct sandbox *sb;

	sandbox_opts_init(&so);
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
