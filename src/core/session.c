/* session.c: a session as the core knows it. */
#include "hubassoc/session.h"

#include <stdlib.h>
#include <string.h>

void
session_free(struct session *s)
{
	journal_meta_free(&s->meta);
	free(s->path);
	if (s->out.state != NULL)
		outcomes_free(&s->out);
	if (s->plan.types != NULL)
		plan_free(&s->plan);
	input_free(s->in);
	memset(s, 0, sizeof(*s));
}
