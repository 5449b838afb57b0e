/*
 * workset.h: the pairs an admin works on, and the choices made for them
 * (direction, types): a session's working set, journaled from its first
 * row (draft.c writes and reads the records).  Each change is recorded,
 * synced, before it counts: a change that cannot be written is undone
 * and said, so a quit, a crash or a kill loses nothing.
 *
 * The pairs are one store: the session they are (s), its rows s.in.  Rows
 * [0, joined) are the session's, as its journal holds them, each with its
 * state; rows after are the pairs pasted, loaded or typed since its last
 * send (every row of a draft), planned as S would send them, which the
 * next send takes in (workset_join).  A row of the session edited is its
 * edit (edited, session_edit_row); one deleted is retired, no pair any
 * more but still the session's; a row pasted since and deleted is gone.
 * The first send turns the draft into a sending session in place; a later
 * one is the session's next, unless the choices changed: then the pairs
 * go on as the next session's (workset_fork), which takes them along.
 * The journal is held (locked) while it is the working set.
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
	struct session s;         /* the pairs: the session they are */
	struct input *pairs;      /* its rows (s.in), as the parser took them */
	size_t joined;            /* rows the session's journal holds */
	size_t joined_sets;       /* ... and the sets it knows */
	size_t keys, unresolved;  /* planned: rows whose keys wait for the
	                           * lookup, label names the portal lacks */
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
	bool fork_clean;          /* ... and the pairs as they were then */
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

/* Whether a row is a pair shown (not retired), and its place among them:
 * the records' index (draft.c). */
bool workset_shown(const struct workset *w, size_t row);
size_t workset_shown_index(const struct workset *w, size_t row);

/*
 * The changes, each recorded before it counts (begin first).  0, or -1
 * with errno and the change undone:
 *   added     rows [before, nrows) were read into the pairs
 *   replace   a row added since the session's last send becomes what text
 *             parses to (*cause when it holds no pair, errno 0)
 *   edit      a row of the session changes (session_edit_row: *cause,
 *             errno 0, when it cannot)
 *   delete    a row goes: retired when the session's, else gone
 *   clear     every row goes, and the lines start at 1 again; after a
 *             send, the session leaves the working set (into *gone, which
 *             the caller frees) with its rows, and the next pairs are the
 *             next session's
 *   choice    the direction and types chosen, as they are now
 */
int workset_added(struct workset *w, size_t before);
int workset_replace(struct workset *w, size_t row, const char *text,
    char **cause);
int workset_edit(struct workset *w, size_t row, const char *text,
    const char *const keys[2], char **cause);
int workset_delete(struct workset *w, size_t row);
/* Rows changed in place, as they are now (the keys' lookup gave them IDs,
 * or said why not): recorded so that they are not looked up again. */
int workset_rows_changed(struct workset *w, const uint32_t *rows, size_t n);
int workset_clear(struct workset *w, struct session *gone);
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
 * Plans the rows not the session's yet as the choices say (workset_plan):
 * a draft's are its plan, each pending, invalid or a repeat; a session's
 * added since are planned against its rows and wait for its next send
 * (session_add_rows).  0, or workset_plan's -1 or -2 and *cause, their
 * states left unplanned.
 */
int workset_replan(struct workset *w, const struct assoc_labels *labels,
    size_t chunk, char **cause);
/* The rows not planned: in no send, pending (when the choices cannot
 * plan them: no direction yet). */
void workset_unplanned(struct workset *w);

/* Lets the journal go (the pairs stay). */
void workset_close(struct workset *w);
/* The working set of a session sent, chosen otherwise since (or sent
 * elsewhere, or undone): its pairs shown and choices go on in a draft of
 * their own (meta's ID), the next session's; the session sent leaves into
 * *gone.  0, or -1 and *cause, the working set as it was. */
int workset_fork(struct workset *w, struct journal_meta *meta, struct session *gone,
    char **cause);
/* Whether path is the working set's journal. */
bool workset_is(const struct workset *w, const char *path);

/* The first send of a draft: its journal begun as a session in place
 * (meta's ID the draft's), its rows as planned the session's (send 1).
 * 0, or -1 and *cause. */
int workset_first_send(struct workset *w, struct journal_meta *meta,
    enum api_version api, char **cause);
/* The rows added since the session's last send become its own, recorded
 * (journal_rows_added, with their records' names), before its next send
 * of any kind.  0, or -1 and *cause. */
int workset_join(struct workset *w, char **cause);

/*
 * Reopens the session at path as the working set: its rows as its journal
 * has them, and the pairs added since; held.  A session sent from the
 * command line has its rows as the pairs, recorded with the first change.
 * *c is the choices recorded (or its first send's): the caller applies
 * them, quiet, and frees them.  0, or -1 and *cause, the working set as it
 * was.
 */
int workset_reopen(struct workset *w, const char *path, struct pairs_choice *c,
    char **cause);

#endif
