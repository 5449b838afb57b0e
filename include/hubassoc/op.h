/*
 * op.h: the operations a user asks for (verify, undo, ...), each written
 * once: its requests, its question, its journal records, its exit status
 * and its summary.  Both front ends drive the same operation.
 *
 * A front end starts an operation, then turns it (op_turn, which never
 * blocks longer than it is told, and waits on the front end's own
 * descriptors too) until op_done.  Meanwhile the operation may
 *   - ask (op_question): what a yes will do, the whole plan in lines,
 *     answered with op_answer: the command line answers from --yes or its
 *     terminal, the terminal interface from y or n;
 *   - say things (op_said): the lines the command line prints and the
 *     terminal shows on its status line, in order.
 * Once done it has an exit status (as design.md fixes them) and a summary
 * line.  op_interrupt stops it (C-c): nothing new leaves, the answers in
 * flight are taken.
 *
 * The connection, the journal and the session are the front end's: an
 * operation uses them and frees none.
 */
#ifndef HUBASSOC_OP_H
#define HUBASSOC_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/calls.h"
#include "hubassoc/conn.h"
#include "hubassoc/session.h"
#include "hubassoc/undo.h"
#include "hubassoc/verify.h"

struct op;

/* A question: what a yes does.  title is the question itself ("Undo this
 * on https://api.hubapi.com?"); lines the plan, one a line, each whole;
 * brief the same on one line, for a screen that has only one. */
struct op_question {
	char *title;
	char **lines;
	size_t nlines;
	char *brief;
};

/* A question built outside an operation (the terminal's sends): set
 * (title and brief), lines added, copied, cleared. */
void op_question_set(struct op_question *q, const char *title, const char *brief);
void op_question_line(struct op_question *q, const char *fmt, ...) HA_PRINTF(2, 3);
void op_question_copy(struct op_question *to, const struct op_question *from);
void op_question_clear(struct op_question *q);

/* One kind of operation: how it moves on.  step is called at the start and
 * each time the requests it started are all done (or stopped); answer with
 * the answer to its question; clear frees its own data. */
struct op_kind {
	const char *name;
	void (*step)(struct op *o);
	void (*answer)(struct op *o, bool yes);
	void (*clear)(struct op *o);
};

struct op {
	const struct op_kind *kind;
	struct conn *c;
	struct journal *j;        /* may be NULL: nothing recorded */
	struct session *s;        /* the session it is of, when one */
	struct calls *calls;      /* the step's requests, or NULL */
	bool calls_over;          /* ... done, and the step told */
	struct engine *engine;    /* a send's creates, or NULL */
	bool engine_over;         /* ... done, and the step told */
	uint64_t last_progress;   /* when the journal last had the counts */
	const char *calls_what;   /* what they are, for progress and stops */
	uint64_t next_req;        /* the journal's next request number */
	size_t requests;          /* made so far, by every step */
	bool asking, done, interrupted;
	struct op_question q;
	char **said;              /* lines to say, in order */
	size_t nsaid, said_read;
	int status;               /* once done: the exit status */
	char *summary;            /* once done: one line, or NULL */
	void *data;               /* the kind's */
};

/* Starts an operation of kind on c (and j, s when it has them), requests
 * numbered from the session's next (or 1): its first step runs at once. */
struct op *op_start(const struct op_kind *kind, struct conn *c, struct journal *j,
    struct session *s, void *data);
void op_free(struct op *o);

/* Moves it on: waits at most max_ms for its requests or the extra
 * descriptors (their revents set), and runs its next step when its
 * requests are done. */
void op_turn(struct op *o, struct http_fd *extra, unsigned nextra, int max_ms);
static inline bool op_done(const struct op *o) { return o->done; }
/* Its question, while it waits for an answer; else NULL. */
const struct op_question *op_question(const struct op *o);
void op_answer(struct op *o, bool yes);
void op_interrupt(struct op *o);
/* The next line it has to say, or NULL: each once. */
const char *op_said(struct op *o);
/* The requests it has made, and what they are (NULL between steps). */
size_t op_requests(const struct op *o);
const char *op_busy_with(const struct op *o);

/* ---- for the kinds --------------------------------------------------- */

void op_say(struct op *o, const char *fmt, ...) HA_PRINTF(2, 3);
/* Asks: title and brief given, the lines added with op_ask_line. */
void op_ask(struct op *o, const char *title, const char *brief);
/* Asks q, built whole (taken: q is cleared). */
void op_ask_whole(struct op *o, struct op_question *q);
void op_ask_line(struct op *o, const char *fmt, ...) HA_PRINTF(2, 3);
/* Done, with the exit status and the summary (may be NULL). */
void op_finish(struct op *o, int status, const char *fmt, ...) HA_PRINTF(3, 4);
/* New calls, journaled in o->j when journaled, numbered on from the
 * last; what names them in progress and in what stops them.  o->calls. */
struct calls *op_calls(struct op *o, bool journaled, const char *what);
/* ... each request tried at most tries times (1: a POST that must not
 * be made twice). */
struct calls *op_calls_tries(struct op *o, bool journaled, const char *what,
    unsigned tries);
/* The step's calls ended: true when they completed; else the op is done
 * with the stop's exit status, having said what stopped them (with hint
 * after it, when not NULL). */
bool op_calls_ended(struct op *o, const char *hint);
/* The step's calls were stopped (C-c) with nothing left but what was in
 * flight, and each was answered: true, as if they completed.  Of the
 * last writes of an operation, it is then done, and says so. */
bool op_calls_whole(struct op *o);

/* A send's engine on the session, its requests numbered on, with the hold
 * of engine_opts; o->engine. */
struct engine *op_engine_start(struct op *o, unsigned hold_alike,
    engine_event_fn fn, void *arg);

/* ---- the operations ---------------------------------------------------- */

/* send: a send of session s that j holds, its plan and outcomes as they
 * stand (a first send, a retry's next, or a resume's rest).  When the
 * session looks first, the rows it sends that no preflight has read are
 * read, classed (said) and their pre-state journaled; then the engine
 * sends the pending rows, each with the labels its pair holds (engine.h),
 * the journal gets the counts as they go and the send's end.  A preflight
 * that stops sends nothing: the send ends so, and resume looks again.
 * labels name types in what it says (may be NULL); on_event hears the
 * engine's events. */
struct op_send_opts {
	bool check_ids;            /* the preflight asks whether IDs are records */
	const struct assoc_labels *labels;
	engine_event_fn on_event;
	void *event_arg;
	/* The hold (engine_opts): when the first hold_alike chunks fail
	 * alike, the send asks before the rest goes; a no leaves the rest
	 * not_sent, stopped at the hold.  0: no hold. */
	unsigned hold_alike;
	/* A remove or an unlabel (the plan's op) asks before it writes, once
	 * what its rows' pairs hold is known: what it takes, row class by
	 * class, and the first row of each warning; a no sends nothing (the
	 * send ends "declined", and resume asks again).  dry: it stops there,
	 * having said it, and writes nothing (j NULL). */
	bool dry;
	/* A create asks before it writes too, when ask is set (the
	 * terminal's S): once its rows are read and held against the limits,
	 * ask's question (send_question, with the pre-state, the limits
	 * found, the reads and the types' flags filled in here).  Until the
	 * yes the send has no journal of its own (j NULL, the session
	 * prepared: session_prepare): its reads are held (journal_held), and
	 * begin, on the yes, gives the journal it goes on in (the session
	 * begun), where what was held is written first.  A no, a stop or a
	 * limit passed before it ends the send with nothing kept, and says
	 * again ("S looks again") after a stop. */
	const struct send_plan *ask;
	struct journal *(*begin)(void *arg, char **cause);
	void *begin_arg;
	const char *again;
	/* check: the rows are read and held against the limits, said, and
	 * nothing is written; the send ends there (exit 0 unless a read
	 * stopped), the pre-state in the session, and op_send_over counts
	 * the records past their limits. */
	bool check;
	/* The keys' lookups these rows were looked up by (op_keys_journal),
	 * the send's to free: written first when the session begins, their
	 * lookup_reqs requests numbered after the session's last, the
	 * send's own after them. */
	struct journal *lookups;
	uint64_t lookup_reqs;
};
struct op *op_send(struct conn *c, struct journal *j, struct session *s,
    const struct op_send_opts *opts);
/*
 * What a send will do, asked before it starts: the pairs and requests, the
 * portal, a new session or which send of one, what the preflight found
 * (each class counted, the first row that moves a Primary, keeps labels or
 * names no record, by its line), what is left out (invalid, conflicts,
 * created before), with a line each; the title the question itself.
 */
enum send_kind { SEND_FIRST, SEND_AGAIN, SEND_RESUME };
struct send_plan {
	enum send_kind kind;
	const struct input *in;
	const struct plan *plan;
	const uint32_t *rows;      /* the rows it sends (NULL: the plan's) */
	size_t n;
	const bool *changed;       /* by rows' index: changed since read, or NULL */
	const struct prestate *pre;     /* rows NULL: not read */
	const struct assoc_labels *labels;   /* to name types (may be NULL) */
	const char *base_url;
	const char *profile;       /* where base_url comes from: "profile prod" */
	const char *session;       /* its ID (NULL: a new one, not named yet) */
	/* The pairs' last session, when it went to another portal: said, as
	 * the send starts a new session here. */
	const char *other_session, *other_url;
	/* ... or why its pairs do not go on in it here ("was undone"), said
	 * after its ID. */
	const char *other_why;
	size_t send;               /* its number in the session (1: a new one) */
	size_t created;            /* left out: created before */
	size_t fixed, unfit;       /* a resend's rows fixed since; changed, invalid */
	size_t pasted;             /* R's: the pairs pasted since, S's to send */
	size_t again;              /* SEND_AGAIN: its rows a send held before (0:
	                            * all of them) */
	size_t unconfirmed;        /* read back first */
	unsigned flags;            /* ASSOC_F_* of the types sent */
	const struct rate *rate;   /* the portal's budget, for the cost (or NULL) */
	const char *limits;        /* what the limits' check found (or NULL) */
	size_t reads;              /* the preflight's requests, made already */
	uint64_t latency_ms;       /* the answers' latency, as measured (or 0) */
	unsigned in_flight;        /* requests in flight at most (0: as it takes) */
	unsigned hold;             /* the hold's first requests (0: none) */
};
void send_question(struct op_question *q, const struct send_plan *sp);
/* Its lines of what is left out (invalid, conflicts, repeats, created
 * before, changed), which a remove's or a relabel's plan says too. */
void send_question_left_out(struct op_question *q, const struct send_plan *sp);

/* The most pairs a second the portal takes: its budget of requests times
 * HubSpot's 2,000 pairs a create. */
double send_limit(const struct rate *r);
/* What pairs cost in requests at a budget: "5 creates, 2 reads: about
 * 0.7 s at 100/10s, 14,285 pairs a second, 0.71 of the portal's limit of
 * 20,000 a second"; brief, as a question's line: "5 creates + 2 reads:
 * about 0.7 s at 100/10s, 71% of the limit".  took_ms: what it took (a
 * summary), or 0: at the budget. */
void send_cost(struct buf *out, enum plan_op op, size_t pairs, size_t creates,
    size_t reads, const struct rate *r, uint64_t took_ms, bool brief);
/* As send_cost, the estimate counting the answers' latency (latency_ms,
 * 0: not known): the last answer's wait, and the waits of the requests in
 * flight (in_flight, 0: as the engine grows them) and of the hold's first
 * requests (hold, 0: none). */
void send_cost_at(struct buf *out, enum plan_op op, size_t pairs, size_t creates,
    size_t reads, const struct rate *r, uint64_t latency_ms, unsigned in_flight,
    unsigned hold, bool brief);

/* A send's progress, as both faces draw it beside their bar. */
struct send_progress {
	size_t done, total;        /* rows settled, of those to settle */
	size_t requests;
	uint64_t started, now;     /* ms */
	uint64_t wait_until;       /* a wait the engine is in, or 0 */
	bool wait_limited;         /* ... for a 429 */
	struct rate *rate;         /* the budget (its use said when budget) */
	bool budget;
	const char *tail;          /* said last, when there is room ("C-c
	                            * stops"), or NULL */
};
/* Its parts that fit in cols columns whole, kept in the order what
 * matters most: the rows, a wait, the time left, the requests, the
 * budget, the pairs a second, the tail (before: cut at the edge, the time
 * left first).  Joined by two spaces in the order they read. */
void send_progress_line(struct buf *out, const struct send_progress *p, size_t cols);

/* What a send of requests says when the portal's last answer left fewer
 * for today (X-HubSpot-RateLimit-Daily-Remaining), or NULL; allocated. */
char *send_daily_warning(const struct rate *r, size_t requests);

/* A check's records past their configured limits. */
size_t op_send_over(const struct op *o);
/* Why a send whose creates ended did not finish (a relabel's unlabel
 * stopped: its summary), or NULL. */
const char *op_send_unfinished(const struct op *o);

/* The send's engine, once it sends (NULL before): its stats, its stop. */
static inline struct engine *op_engine(const struct op *o) { return o->engine; }

/* verify: reads back every row s created; verdicts by row (VERIFY_COUNT for
 * rows not created), counts, and the journal's record.  Exit 0 when every
 * row is confirmed, 1 otherwise. */
struct op *op_verify(struct conn *c, struct journal *j, struct session *s);
/* Once done: the verdict of each row (VERIFY_COUNT: not verified), and the
 * counts; NULL when nothing was read. */
const uint8_t *op_verify_verdicts(const struct op *o, size_t count[VERIFY_COUNT]);
/* A verified row's verdict again, with the types it lacks (verify_row). */
enum verdict op_verify_row(const struct op *o, size_t row, struct buf *lacks);
/* ... and what the portal holds of it, and lacks (verify_row_describe). */
void op_verify_describe(const struct op *o, size_t row,
    const struct assoc_labels *labels, struct buf *out);

/* undo: reads what the portal holds now, plans (undo.h), says the plan and
 * asks; a yes writes it, journaled ("undo", then "undone").  dry: it stops
 * at the plan.  A session never sent, or with a send to finish, is not
 * undone (exit 2). */
struct op *op_undo(struct conn *c, struct journal *j, struct session *s, bool dry);
/* Marks s (another copy of the session undone) as the undo left it: done,
 * its rows undone but those it kept or found gone (session_mark_undone);
 * stopped half way, those its answered writes took back. */
void op_undo_mark(const struct op *o, struct session *s);
/* The plan, once read (NULL before). */
const struct undo_plan *op_undo_plan(const struct op *o);

/* names: the names of in's records that have none in have (names_wanted),
 * read for the object types whose records have a name (objects
 * batch/read, 100 a request; display: a custom object's property, FROM's
 * and TO's, the array or either may be NULL).  The summary says how many
 * came, or why none was read; exit 0, or the stop's status.  Nothing is
 * journaled: the names, op_names_got (FROM's, TO's, the op's), are the
 * caller's to keep. */
struct op *op_names(struct conn *c, const struct input *in, const struct objtype *from,
    const struct objtype *to, const char *const display[2],
    const struct names have[2]);
/* The records it reads, and the requests queued for them (0: none). */
size_t op_names_reading(const struct op *o, size_t *requests);
struct names *op_names_got(struct op *o);

/* keys: the keys of in's rows (lookup.h) looked up, each distinct key once,
 * CRM search paced by its own budget too (display as op_names').  Once done
 * (exit 0) each row that waited has its IDs or is invalid, saying why, and
 * names has what came with the answers; said: what it asks, what it found.
 * A property the portal refuses: exit 2, its words; a stop: its status;
 * either way no row changes.  Done at the start when there is no key. */
struct op *op_keys(struct conn *c, struct input *in, const struct objtype *from,
    const struct objtype *to, const char *const display[2], struct names names[2]);
/* Its distinct keys, and the requests they take at least. */
size_t op_keys_wanted(const struct op *o, size_t *requests);
/* Once done: the rows that waited for a key (now IDs, or invalid). */
const uint32_t *op_keys_changed(const struct op *o, size_t *n);
/* Its requests' records, held (journal_held), handed on to the send the
 * rows go on in (op_send_opts.lookups), or NULL when it made none; *requests
 * says how many it numbered, from 1. */
struct journal *op_keys_journal(struct op *o, uint64_t *requests);

/* read: what the portal holds for n FROM records (ids; repeats read once)
 * toward to, every page; specs (nspecs, resolved; none: every type) say
 * which types count.  Once done its summary counts the records, the pairs
 * of those types, the records with none and those the portal has not;
 * op_read_take then gives what it read (the caller frees it). */
struct op *op_read(struct conn *c, const struct objtype *from,
    const struct objtype *to, const struct assoc_spec *specs, size_t nspecs,
    const char *const *ids, size_t n);
struct assocset *op_read_take(struct op *o);
/* The records it reads, each once. */
size_t op_read_records(const struct op *o);

/* label: a USER_DEFINED label made for from -> to (paired with inverse,
 * when not NULL).  Once done (exit 0) op_label_made holds its type IDs, a
 * direction each, as the portal answered; refused or stopped, the summary
 * says why, with HubSpot's words and its cap of labels an object pair. */
struct op *op_label(struct conn *c, const struct objtype *from,
    const struct objtype *to, const char *label, const char *inverse);
const struct assoc_labels *op_label_made(const struct op *o);

#endif
