/*
 * undo.h: putting a portal back as a session found it.
 *
 * What to do is worked out from three things: the rows the session
 * created, what each row's pair held before (the preflight's pre-state,
 * preflight.h), and what the portal holds now (read again at every undo).
 * So an undo that stopped half way, or a second undo, does only what is
 * still to do, and nothing twice:
 *   - a pair that did not exist before and exists now is archived;
 *   - a pair that existed keeps what it held: types it lost are given
 *     back (batch/create with all its types, which also puts back labels a
 *     new USER_DEFINED label replaced), and the types the session sent that
 *     it holds now and did not hold are removed (batch/labels/archive),
 *     never the direction's unlabeled type, which would take every label;
 *   - a Primary (or parent) the session took from another record is given
 *     back to it, with that pair's types as they were;
 *   - a remove (or unlabel) session's rows get back every type their pair
 *     held before (batch/create with all of them); a pair that was not
 *     there is left as it is;
 *   - rows the session did not create, or whose pre-state is unknown (sent
 *     with --no-preflight, by an older version, or left unanswered before
 *     a preflight read them), are left alone and counted.
 */
#ifndef HUBASSOC_UNDO_H
#define HUBASSOC_UNDO_H

#include <stddef.h>
#include <stdint.h>

#include "hubassoc/assocset.h"
#include "hubassoc/calls.h"
#include "hubassoc/session.h"

enum undo_kind { UNDO_RESTORE, UNDO_UNLABEL, UNDO_ARCHIVE, UNDO_KINDS };

struct undo_act {
	enum undo_kind kind;
	const char *from, *to;    /* the session's input, or its pre-state */
	struct pre_type *types;   /* RESTORE: all it held; UNLABEL: to remove */
	size_t n;
	uint32_t row;
	bool primary;             /* RESTORE of a Primary's holder */
};

struct undo_plan {
	struct undo_act *v;
	size_t n;
	size_t count[UNDO_KINDS];
	size_t created;           /* rows the session created */
	size_t unknown;           /* ... of them with no pre-state: left alone */
	size_t held;              /* ... whose pair held it before: left
	                           * (session_row_held_before) */
	size_t since;             /* ... made by it, holding types given since:
	                           * kept, only the session's types taken off */
	size_t gone;              /* ... whose pair is not there now: nothing of
	                           * the session's is left to take back */
	size_t back;              /* ... a remove's, whose pair holds again what
	                           * it held before: nothing to put back */
	bool resumed;             /* an undo agreed to and stopped, read again:
	                           * what is gone or back may be its own doing */
	size_t kept_default;      /* unlabeled types added and left (see above) */
	uint32_t *unknown_rows;
	/* The rows whose pair keeps what the session gave it, nothing of it
	 * taken back (its unlabeled type, on a pair holding types given
	 * since): they stay created, not undone. */
	uint32_t *kept_rows;
	size_t nkept;
	/* The rows nothing of the session's is left of on the portal (gone,
	 * or its types taken off since): undone, nothing taken back. */
	uint32_t *bare_rows;
	size_t nbare;
	/* The pairs it takes off (archived, or types unlabeled) that another
	 * session, not undone, on the same portal and direction, says it
	 * created too: taken from that session as well (undo_shared_step). */
	size_t shared;
	size_t shared_sessions;   /* how many sessions */
	char *shared_with;        /* the newest of them */
	/* The pairs it restores that a later session, not undone, on the
	 * same portal and direction, wrote since (a relabel, a remove, a
	 * create): restored as the session found them, what that session
	 * wrote on them goes (undo_shared_step). */
	size_t later;
	size_t later_sessions;
	char *later_with;         /* the newest of them */
};

/* The records to read before planning: the FROM of every created row with
 * a pre-state, and the holders of Primaries the TO end owns.  *ids is
 * allocated (the strings are the session's). */
size_t undo_read_ids(const struct session *s, const char ***ids);
/* now is what those reads found; NULL when there were none to read. */
void undo_plan_build(const struct session *s, const struct assocset *now,
    struct undo_plan *u);
void undo_plan_free(struct undo_plan *u);
/* Reads the other sessions in the journal for the pairs the plan takes
 * off that one of them created too (undo_plan.shared), and those it
 * restores that a later one wrote since (undo_plan.later): an undo puts
 * the portal back as the session found it, and so takes what they wrote
 * too, which its question says first.  A journal at a time, for an
 * event loop: begun, then each step reads the next session's (true
 * while there is one; false once the plan's counts are set), then
 * freed.  s and u outlive it. */
struct undo_shared;
struct undo_shared *undo_shared_begin(const struct session *s, struct undo_plan *u);
bool undo_shared_step(struct undo_shared *x);
void undo_shared_free(struct undo_shared *x);
/* Whether a pair of session s holds a type beyond t (the types its row
 * gave) and the direction's unlabeled one (which HubSpot gives with any
 * label): one given since, which taking the pair off would take too. */
bool undo_pair_holds_more(const struct session *s, const struct assocread_to *pair,
    const struct plan_types *t);
/* An act, appended and counted; the plan takes types (n of them). */
void undo_plan_add(struct undo_plan *u, enum undo_kind kind, const char *from,
    const char *to, struct pre_type *types, size_t n, uint32_t row);
/* What the portal's answers to an undo said it did not do: the errors
 * their batch bodies name, and the first one's words. */
struct undo_said {
	size_t errors;
	char *first;
	const char *kind;         /* the requests' (undo_queue sets it) */
	char *path;               /* ... and where they go (freed with it) */
	const char *what;         /* what a refusal says was refused ("take
	                           * the replaced labels off"), or NULL: kind */
	bool *done;               /* optional, one per act of the plan: set for
	                           * the acts of a request answered with no
	                           * error named (the rest are not known done) */
};
/* Queues the plan's requests of one kind k on c (the journal's kind for
 * them: "undo", or a relabel's), each of at most 500 inputs, and no more
 * than the session's chunk; their answers' errors are counted in
 * said.  A refusal stops c, named by kind.  Returns how many requests.
 * An undo makes its restores first, and only once they are answered
 * takes anything off: a restore refused leaves the portal as it was. */
/* Whether an answered write of kind k takes its rows back (archive and
 * unlabel; a restore, of a remove's undo only): the rows an undo stopped
 * half way took back. */
bool undo_kind_takes_back(enum undo_kind k, enum plan_op op);
/* The kind of an undo's write to path, by its last part; false: none. */
bool undo_kind_of_path(const char *path, enum undo_kind *k);
size_t undo_queue_kind(const struct undo_plan *u, const struct session *s,
    struct calls *c, const char *kind, enum api_version api,
    struct undo_said *said, enum undo_kind k);

/* The journal's record of an undo: "undo_begun" before it reads, "undo"
 * once told to go on (with u, what it does), "undo_cancelled" when told
 * not to, "undone" once done (with the counts o holds, its rows undone);
 * synced.  u and o may be NULL. */
int undo_journal(struct journal *j, enum journal_rec kind,
    const struct undo_plan *u, const struct outcomes *o);
/* The Primaries it gives back. */
size_t undo_primaries(const struct undo_plan *u);

#endif
