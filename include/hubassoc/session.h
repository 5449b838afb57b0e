/*
 * session.h: a session as the core knows it, the one reading of a journal
 * every command and view shares.
 */
#ifndef HUBASSOC_SESSION_H
#define HUBASSOC_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/engine.h"
#include "hubassoc/export.h"
#include "hubassoc/input.h"
#include "hubassoc/journal.h"
#include "hubassoc/objtype.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/preflight.h"
#include "hubassoc/request.h"

/*
 * A session is the admin's working set: its rows, and the sends made from
 * them.  Send 1 is the first (create, or S in the terminal); each retry is
 * another send of the same session, appended to the same journal, holding
 * only the rows it names.  A row's state is its latest outcome across the
 * sends: the one the last send that held it decided.  Counts of states
 * always add up to the rows.
 */
#define SESSION_SENDS_MAX 65535

/* One send of a session. */
struct session_send {
	char *kind;              /* "send" (the first), "retry" */
	char *started;           /* ISO 8601, UTC, or NULL */
	char *only;              /* the states a retry took: "failed,not_sent" */
	size_t rows;             /* rows it held */
	size_t moved[OUTCOME_COUNT]; /* outcomes of its rows a later send took */
	size_t requests, answered;
	char *state;             /* from its end record; NULL while unfinished */
	int exit_status;
	bool agreed;             /* a remove's plan was agreed to (journal_agreed) */
};

/* A row as it stood before the last send took it. */
struct session_was {
	uint32_t row;
	uint8_t state;
	uint16_t http, send_of, tries;
	uint32_t err, labels, chunk_of;
};

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
	/* The sends, and where each row stands among them.  The plan is the
	 * last send's: its rows are PLAN_SEND, those sent before PLAN_EARLIER. */
	struct session_send *sends;
	size_t nsends;
	uint16_t *send_of;      /* per row: the send that decided it, 1-based */
	uint32_t *chunk_of;     /* per row: its chunk in that send, or PLAN_NONE */
	uint16_t *tries;        /* per row: how many sends held it */
	/* The last send's rows as they stood before it (session_apply_send),
	 * for a send declined to give back (session_send_declined). */
	struct session_was *was;
	size_t nwas;
	/* What each row's pair held before the session sent it, as the
	 * preflight read it (rows NULL when none did). */
	struct prestate pre;
	/* An undo of the session (meta.undo: reading what is there before it
	 * asks, told to go on and not finished, or done), and when it was;
	 * where the journal's record of the last one told to go on is
	 * (journal_load), or 0. */
	char *undone_at;
	long undo_at;
	/* Records' names, FROM's and TO's: a lookup's, or read (--names);
	 * and whether rows were given by keys. */
	struct names names[2];
	bool keyed;
	/* Being resumed (session_resume_wanted): a relabel's last step takes
	 * in every row the session sent, where a send takes its own. */
	bool resuming;
	/* Per row, or NULL: deleted from the terminal's pairs after a send
	 * (the retire record), so no retry or resume sends it again; its
	 * outcome stays what it was, for show, export and undo. */
	uint8_t *retired;
	/* Per row, or NULL: undone, nothing of the session's left of it on
	 * the portal when the undo looked, which took nothing back of it
	 * (the undone record's bare). */
	uint8_t *undo_bare;
};

void session_free(struct session *s);

/* Send 1 from the plan and outcomes just read or built: every row is its,
 * and each row the plan sends was tried once. */
void session_sends_init(struct session *s);
/* A session not journaled yet (a send that asks first): s->in and
 * s->plan set, its rows pending as the plan says. */
void session_prepare(struct session *s, enum api_version api);
/* A new session about to make its first send: s->in and s->plan are set
 * (its own), meta is taken (the journal's, just created at path); the
 * plan's rows are pending (unless prepared and read already), send 1
 * holds them. */
void session_begin(struct session *s, struct journal_meta *meta, const char *path,
    enum api_version api);
/* The per-row arrays alone, no send yet (a working set not sent). */
void session_rows_init(struct session *s);

/* A working set not sent yet (its first record says draft): its pairs
 * replayed, every row pending or invalid, no send (draft.c). */
int draft_session(const char *path, struct session *s, char **cause);

/*
 * Starts send nsends+1 in memory: its rows (in order, each once, each a
 * row some send could hold) leave their earlier send, become pending (but
 * a relabel's rows failed as OLD_LABEL_KEPT, unedited: their create is
 * made, the send's last step alone is left), and
 * are cut into the plan's chunks; the rows of the send before leave the
 * plan.  Returns 0, or -1 and *cause when the rows are not such (a damaged
 * journal).  The journal's resend record is written first (journal_resend).
 */
int session_apply_send(struct session *s, const char *kind, const char *started,
    const char *only, const uint32_t *rows, size_t n, char **cause);
/* The session's next send of rows, recorded (journal_resend) then made
 * (session_apply_send): a retry, from the command line or the terminal.
 * 0, or -1 and *cause. */
int session_send_next(struct session *s, struct journal *j, const char *kind,
    const char *only, const uint32_t *rows, size_t n, char **cause);

/*
 * Rows added to a session after a send (the terminal's pairs, pasted or
 * typed since): s->in's rows [first, nrows) are new, planned as p plans
 * them (a plan over the same rows and sets, with the session's types);
 * each waits for the session's next send (PLAN_EARLIER, pending) or is
 * invalid or a duplicate, in no send yet.  Sets new to the session take
 * p's types.  A repeat of a retired row (deleted, pasted again) is p's to
 * send.  The journal's add record (journal_rows_added of p) says so.
 */
void session_add_rows(struct session *s, struct plan *p, size_t first);
/* The rows from first on become the session's with the names names[2]
 * (FROM and TO) know of their records, and their keys: the terminal's
 * sends take the pairs so (session_row_names, added as it says). */
void session_take_names(struct session *s, size_t first, const struct names names[2],
    struct names added[2]);
/* The names (names[2], FROM and TO) know of row `row`'s records join the
 * session's; those new to it go to added too (or NULL), for the journal. */
void session_row_names(struct session *s, size_t row, const struct names names[2],
    struct names added[2]);
/* Rows deleted from the terminal's pairs since a send: retired (the
 * journal's retire record says so first).  Rows out of range are
 * skipped; false when there were some. */
bool session_retire(struct session *s, const uint32_t *rows, size_t n);
/* Rows retired and still pending are not_sent: no send takes them (one
 * sent without an answer stays unconfirmed, for resume to read back).
 * Returns how many it set. */
size_t session_retired_settle(struct session *s);
/* How many rows are not_sent for being deleted from the pairs. */
size_t session_deleted_unsent(const struct session *s);
/* Its pieces, for the reader: room for nrows rows (new ones pending, in
 * no send) and nsets sets; a new row as its plan has it. */
void session_rows_grow(struct session *s, size_t nrows, size_t nsets);
/* The per-row arrays n rows long: new ones pending, in no send (not
 * planned: PLAN_EARLIER); those past n (the terminal's pairs added since,
 * not the session's yet) gone. */
void session_rows_fit(struct session *s, size_t n);
void session_row_planned(struct session *s, size_t row, enum plan_state state,
    enum input_reason why, uint32_t other);

/*
 * A row changed since its outcome (the terminal's e): text is the pair as
 * typed, a SPEC column in it as CATEGORY:ID (resolved when the edit was
 * made), none for the session's types.  It may be invalid now.  The row
 * keeps its line; it is edited, what it was (its error) kept beside it,
 * and the next send takes it when it is a pair to send; one never sent
 * (pending) is what it reads as now.  Only a row nothing of which is on
 * the portal from the session changes (session_row_editable); a repeat
 * does not.  keys (or NULL): the keys its IDs were looked up by, FROM's
 * and TO's ("" or NULL for an ID), kept beside them.  Written to the
 * journal first (journal_edit).
 */
bool session_row_editable(const struct session *s, size_t row);
/* An edit of row as one step: checked (a row that may change, text one
 * pair, its SPEC column as CATEGORY:ID), recorded in j (journal_edit),
 * made (session_apply_edit), the counts of the journal's rows (the first
 * journaled: the terminal's pairs added since are not its yet) recorded
 * after it, synced.  0; or -1 and *cause, nothing changed unless the
 * journal could not be written after the record. */
int session_edit_row(struct session *s, struct journal *j, uint32_t row,
    const char *text, const char *const keys[2], size_t journaled, char **cause);
/* Records the counts of the rows [0, n) (a progress record), synced. */
int session_journal_counts(const struct session *s, struct journal *j, size_t n);
/* A row whose text changed in place (its keys looked up), or was edited,
 * takes the state it reads as now (session_apply_edit's rules); was is
 * its outcome before. */
void session_row_restate(struct session *s, uint32_t row, enum outcome was);
int session_apply_edit(struct session *s, uint32_t row, const char *text,
    const char *const keys[2], char **cause);

/* The outcomes of send k's rows in it (0-based k): the last send's as
 * they stand now.  count is OUTCOME_COUNT long. */
void session_send_counts(const struct session *s, size_t k, size_t *count);

/* What a retry takes: the rows whose state is among the states of mask
 * (bits 1u << enum outcome), in row order.  Returns how many; *rows is
 * allocated (free it). */
size_t session_retry_rows(const struct session *s, unsigned mask, uint32_t **rows);
/* The same of the given rows (marked: one deleted from the pairs goes
 * too), or of the first nrows when given is NULL (the terminal's pairs
 * added since are not the session's yet): rows (allocated) and n, and
 * how many it left out, deleted (gone) or edited into no pair to send
 * (unfit).  Both faces' retries take their rows here. */
struct retry_pick {
	uint32_t *rows;
	size_t n, gone, unfit;
};
void session_retry_pick(const struct session *s, unsigned mask, const uint32_t *given,
    size_t ngiven, size_t nrows, struct retry_pick *p);

/* The rows the send about to go holds that no preflight has read: they
 * are pending (never sent, not sent, or refused: not created by this
 * session), so what the portal holds now is their pre-state.  Rows that
 * left without an answer are not among them: the portal may hold them
 * because of this session.  Returns how many; *rows is allocated. */
size_t session_unread_rows(const struct session *s, uint32_t **rows);

/* Parses "failed", "not_sent" or both, comma-separated, into a mask. */
int session_only_parse(const char *text, unsigned *mask, char **cause);
/* The states of a mask, "failed,not_sent". */
char *session_only_name(unsigned mask);

/* What export writes of a session: every row's latest state, the send that
 * decided it and how many sends held it. */
static inline struct export_src
session_export_src(const struct session *s)
{
	return (struct export_src){ s->in, &s->plan, &s->out, s->send_of,
	    s->chunk_of, s->tries, s->keyed || s->names[0].n + s->names[1].n > 0 ?
	    s->names : NULL, s->pre.rows != NULL ? &s->pre : NULL };
}

/* Exit statuses, as design.md fixes them. */
enum {
	EXIT_ALL_CREATED = 0,
	EXIT_SOME_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_AUTH = 3,
	EXIT_UNREACHABLE = 4,
	EXIT_DAILY_LIMIT = 5,
	EXIT_INTERRUPTED = 130,
};

/* Whether a create's row found its pair holding every type it gives, and
 * moved no Primary: it changed nothing, and an undo leaves it created. */
bool session_row_held_before(const struct session *s, size_t row);
/* The session's undo is done: the rows it created that the undo took back
 * (those whose pre-state was read, but those held before, and the kept
 * rows, nkept of them in row order, whose pair keeps what the session gave
 * it) are undone. */
void session_mark_undone(struct session *s, const uint32_t *kept, size_t nkept,
    const uint32_t *bare, size_t nbare);
/* Whether an undo takes row back: created by the session, its pre-state
 * read, not held before. */
bool session_undo_takes(const struct session *s, size_t row);
/* An undo stopped half way: the rows it takes back whose pair is among
 * the n it took off (keys "FROM\tTO", sorted here) are undone,
 * as its end would have them (before: created until it was finished,
 * whatever the portal held).  How many. */
size_t session_mark_taken(struct session *s, char **keys, size_t n);
/* "FROM\tTO", allocated: a taken key of a pair. */
char *session_taken_key(const char *from, const char *to);
/* Whether row is undone with nothing of the session's taken back (its
 * pair gone, or as before): an undo again reads it, and takes its pair
 * when it is back (another session's undo put it back).  How many. */
bool session_undo_bare(const struct session *s, size_t row);
size_t session_undo_bare_count(const struct session *s);
/* What the session's state is, as history and show say it: its last
 * send's end ("complete", "interrupted", ...), "undone", "undo
 * interrupted", "unfinished" (a send with rows still to settle), or "not
 * sent" (a working set). */
const char *session_state_name(const struct journal_meta *m);

/* The exit status a stop reason comes to whatever the rows: 0 for a run
 * that completed. */
int session_stop_status(enum engine_stop stop);
/* The exit status a send's rows and its stop reason come to (the
 * journal's end record keeps it, and the command line exits with it); rows
 * deleted from the pairs, not_sent, are none a resume sends. */
int session_exit_status(const struct session *s, enum engine_stop stop,
    size_t gave_up);

/* The last send ended so (its end record's state and exit), as the
 * session and its send say it. */
void session_ended(struct session *s, const char *state, int exit_status);
/* A send has ended: *status (when not NULL) is the exit status its rows
 * and the engine's stop come to, the session says so (session_ended: a
 * hold's "held", as its journal and history say), and j (when not NULL)
 * gets its end record with it.
 * Returns -1 when that record could not be written. */
int session_send_end(struct journal *j, const struct engine *e,
    struct session *s, int *status);

/* What a resume has to do: requeues the rows not sent, or sent without a
 * recorded answer (outcomes_requeue), and says whether there is anything:
 * those rows, or a relabel's replaced labels to look for again (a send
 * stopped, or refused in part, while it took them off; its read finds
 * what is left). */
bool session_resume_wanted(struct session *s);
/* The last send was declined (its plan not agreed to): its rows not
 * decided since stand as they did before it took them, and it holds
 * none.  Whether it gave any back (a retry's rows). */
bool session_send_declined(struct session *s);

/* The rows a send holds that are still pending (not rows added since and
 * in no send yet: the terminal's next S sends them). */
size_t session_pending_sent(const struct session *s);

/* Whether the last send has rows still to settle: it was interrupted, and
 * resume, not retry, finishes it. */
static inline bool
session_unfinished(const struct session *s)
{
	return session_pending_sent(s) + s->out.count[OUTCOME_UNCONFIRMED] > 0;
}

#endif
