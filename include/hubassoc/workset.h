/*
 * workset.h: the pairs an admin works on, and the choices made for them
 * (direction, types): a session's working set, journaled from its first
 * row (draft.c writes and reads the records).  Each change is recorded,
 * synced, before it counts: a change that cannot be written is undone
 * and said, so a quit, a crash or a kill loses nothing.  The first send
 * turns the draft into a sending session in place; a send after it is
 * the session's next (its pairs new since join it: session_add_rows),
 * unless the choices changed (plan_same_choice): then it starts the
 * next session, which takes the working set along.  The journal is held
 * (locked) while it is the working set.
 *
 * The terminal drives it; nothing here draws or prints.
 */
#ifndef HUBASSOC_WORKSET_H
#define HUBASSOC_WORKSET_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/assoctype.h"
#include "hubassoc/input.h"
#include "hubassoc/names.h"
#include "hubassoc/journal.h"
#include "hubassoc/objtype.h"
#include "hubassoc/session.h"

struct workset {
	struct input *pairs;      /* the rows, as the parser took them */
	bool have_from, have_to;
	struct objtype from, to;
	struct assoc_spec *types; /* the chosen association types */
	size_t ntypes;
	char *types_text;         /* as given, or NULL */
	/* What a send does (plan.h): create, remove, unlabel, relabel; a
	 * relabel's types to replace ("SPEC;SPEC", "all", or NULL: adds) and
	 * whether it creates the pairs that are not there. */
	enum plan_op op;
	char *replace;
	bool create_missing;

	struct journal *j;        /* from the first change; held */
	char *id, *created;       /* its session's */
	char *forked_from;        /* the session sent it went on from, chosen
	                           * otherwise (workset_fork), or NULL */
	bool sent;                /* it has had a send */
	bool quiet;               /* replaying: changes are not recorded */
	bool unrecorded;          /* the pairs are a session's rows (one sent
	                           * from the command line), recorded with the
	                           * first change */
	struct names names[2];    /* records' names, FROM's and TO's (names.h) */
};

void workset_init(struct workset *w);
void workset_free(struct workset *w);

/* Starts the journal, when there is none: meta says where its sends will
 * go (its ID and time are made here, and kept).  0, or -1 and *cause. */
int workset_begin(struct workset *w, struct journal_meta *meta, char **cause);

/*
 * The changes, each recorded before it counts (begin first).  0, or -1
 * with errno and the change undone:
 *   added     rows [before, nrows) were read into the pairs
 *   replace   a row becomes what text parses to (*cause when it holds no
 *             pair, errno 0)
 *   delete    rows [row, row + n) go
 *   clear     every row goes, and the lines start at 1 again; after a
 *             send, the session keeps its rows and the next pairs are
 *             the next session's
 *   choice    the direction and types chosen, as they are now
 */
int workset_added(struct workset *w, size_t before);
int workset_replace(struct workset *w, size_t row, const char *text,
    char **cause);
int workset_delete(struct workset *w, size_t row, size_t n);
/* Rows changed in place, as they are now (the keys' lookup gave them IDs,
 * or said why not): recorded so that they are not looked up again. */
int workset_rows_changed(struct workset *w, const uint32_t *rows, size_t n);
int workset_clear(struct workset *w);
int workset_choice(struct workset *w);
/* Sets the types from "SPEC;SPEC" (not recorded: workset_choice).  0,
 * or -1 and *cause. */
int workset_set_types(struct workset *w, const char *text, char **cause);

/* Sets the operation (not recorded: workset_choice); replace is copied. */
void workset_set_op(struct workset *w, enum plan_op op, const char *replace,
    bool create_missing);
/* Builds the plan of the pairs for the operation, its relabel settings
 * resolved: 0; or -1 (the types) or -2 (what a relabel replaces) and
 * *cause. */
int workset_plan(const struct workset *w, const struct input *in, struct plan *p,
    const struct assoc_labels *labels, size_t chunk, char **cause);

/*
 * The pairs' rows (rows, n of w->pairs) join session s, the one way the
 * terminal's sends take them: copied, with what the pairs know of their
 * records' names (session_take_pair), and planned as the pairs are chosen
 * (workset_plan): a session without rows gets its first plan (prepared,
 * pending: session_prepare); one with rows plans the new ones in fresh
 * and adds them (session_add_rows, from its rows before).  0; or -1 and
 * *cause.
 */
int workset_to_session(const struct workset *w, struct session *s,
    const uint32_t *rows, size_t n, const struct assoc_labels *labels, size_t chunk,
    enum api_version api, struct plan *fresh, char **cause);

/* Lets the journal go (the pairs stay). */
void workset_close(struct workset *w);
/* The working set of a session sent, chosen otherwise since: its pairs
 * and choices go on in a draft of their own (meta's ID), the next
 * session's, and the session sent keeps only what it was.  0, or -1 and
 * *cause, the working set as it was. */
int workset_fork(struct workset *w, struct journal_meta *meta, char **cause);
/* Whether path is the working set's journal. */
bool workset_is(const struct workset *w, const char *path);

/* The journal a send of the plan p over in writes to: the draft, begun
 * as a session in place, or the next session (meta's ID), which takes
 * the working set along.  NULL and *cause when it cannot be written. */
struct journal *workset_for_send(struct workset *w, struct journal_meta *meta,
    const struct input *in, const struct plan *p, char **cause);

/*
 * Reopens the session at path as the working set: its pairs (or, for one
 * sent from the command line, its rows, recorded with the first change),
 * held; *s is the session read, *c the choices recorded (or its first
 * send's).  The caller applies the choices, quiet, and frees both.  0, or
 * -1 and *cause, the working set as it was.
 */
int workset_reopen(struct workset *w, const char *path, struct session *s,
    struct pairs_choice *c, char **cause);

#endif
