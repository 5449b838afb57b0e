/*
 * session.h: a session as the core knows it, the one reading of a journal
 * every command and view shares.
 */
#ifndef HUBASSOC_SESSION_H
#define HUBASSOC_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/input.h"
#include "hubassoc/journal.h"
#include "hubassoc/objtype.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/request.h"

/* A session read back from its journal (journal_load). */
struct session {
	struct journal_meta meta;
	char *path;
	struct objtype from, to;
	enum api_version api;
	struct input *in;
	struct plan plan;
	struct outcomes out;
	size_t sent, answered;  /* requests */
	size_t damaged_lines;   /* lines that were not JSON */
};

void session_free(struct session *s);

#endif
