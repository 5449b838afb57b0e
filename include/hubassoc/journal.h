/*
 * journal.h: every session, append-only, as JSON lines.
 *
 * $XDG_STATE_HOME/hubassoc/sessions/ID.jsonl (default ~/.local/state/...),
 * directory 0700, file 0600.  It holds the session's settings, its rows and
 * types (the plan), each request's body before it leaves, each answer
 * (status, rate-limit headers, body), and each row's outcome; never the
 * token.  It is fsynced before a request is sent and after its answer is
 * recorded, so a crash loses at most answers that resume asks for again.
 *
 * Records, one a line, each with "t":
 *   session   settings, types and counts (the first line)
 *   rows      a block of rows: [line, "status", "reason", field, set,
 *             "plan state", ref, from, to, detail]: the row as parsed, and
 *             what the plan made of it (send, duplicate, invalid, or
 *             what it found: conflict, type_mismatch, no_type); ref is
 *             the chunk of a row to send, the earlier row of a duplicate
 *             or a conflict.  Codes are names (numbers before version 3).
 *   send      {req, chunk, attempt, rows, body}
 *   answer    {req, status, failure, error, limits, body, ms}
 *   error     an error rows refer to, by its number
 *   labels    a list of labels created rows refer to, by its number
 *   outcomes  [[row, outcome, http, error, labels], ...]
 *   edit      a row changed before a later send: {row, text}
 *   resend    a later send of the session: {send, time, kind, only, rows}
 *   resume    an interrupted send goes on: {time, send}
 *   progress  counts, now and then, for history
 *   end       the state and exit status of a send
 *   undo      an undo of the session begins: {time, rows}
 *   undone    ... and finished: {time, archived, unlabeled, restored}
 *   verified  a verify's counts: {time, rows, confirmed, missing, ...}
 *   prestate  what rows' pairs held before a send, as its preflight read
 *             them: [[row, "class", ["CATEGORY:ID", ...], holder, owner,
 *             [holder's pair's types]], ...] (the last three for a row
 *             that takes a Primary another record holds)
 *
 * Counts in progress and end records are the whole session's states.
 */
#ifndef HUBASSOC_JOURNAL_H
#define HUBASSOC_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/http.h"
#include "hubassoc/input.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/request.h"

/* The kinds of records, each named once: what its "t" says.  Every writer
 * begins its record with journal_rec_begin; the reader and the scanners
 * learn a line's kind with journal_rec_of. */
#define JOURNAL_RECORDS(X) \
	X(SESSION, "session") X(ROWS, "rows") X(PAIRS, "pairs") \
	X(CHOICE, "choice") X(KEYS, "keys") X(NAMES, "names") X(SEND, "send") \
	X(ANSWER, "answer") X(WARNING, "warning") X(ERROR, "error") \
	X(LABELS, "labels") X(OUTCOMES, "outcomes") X(PROGRESS, "progress") \
	X(END, "end") X(RESUME, "resume") X(AGREED, "agreed") X(EDIT, "edit") \
	X(RESEND, "resend") X(PRESTATE, "prestate") X(UNDO_BEGUN, "undo_begun") \
	X(UNDO, "undo") X(UNDO_CANCELLED, "undo_cancelled") X(UNDONE, "undone") \
	X(VERIFIED, "verified") X(ADD, "add") X(RETIRE, "retire")
#define JOURNAL_REC_ENUM(kind, name) JR_##kind,
enum journal_rec { JOURNAL_RECORDS(JOURNAL_REC_ENUM) JR_COUNT };
#undef JOURNAL_REC_ENUM

const char *journal_rec_name(enum journal_rec k);
/* Appends a record's start, {"t":"NAME", to b. */
struct buf;
void journal_rec_begin(struct buf *b, enum journal_rec k);
/* The kind a name is (JR_COUNT: none hubassoc writes); a line's, by how
 * it starts. */
enum journal_rec journal_rec_named(const char *name);
enum journal_rec journal_rec_of(const char *line, size_t len);

struct session;

/* 2: a session holds several sends (resend records); 1 is read as one.
 * 3: rows hold their codes by name, and what the plan found apart. */
#define JOURNAL_VERSION 4
/* A create's journal is still written as version 3, which every version
 * since reads alike; a remove's is 4, so that no version before it takes
 * its pairs for pairs to create. */
#define JOURNAL_VERSION_CREATE 3

/* Where a session's undo stands: reading what is there before it asks,
 * told to go on and writing, or done. */
enum session_undo { SESSION_UNDO_NONE, SESSION_UNDO_READING, SESSION_UNDO_BEGUN,
    SESSION_UNDO_DONE };

struct journal_meta {
	char *id;
	char *created;         /* ISO 8601, UTC */
	char *sent_at;         /* when its first send began, when that was
	                        * after it was made (a terminal's draft), or
	                        * NULL: created */
	char *profile;
	char *base_url;
	/* Sent to the built-in sandbox (1; its URL's port is that run's), to
	 * a portal (-1), or not recorded (0: journals before it was). */
	int sandbox;
	char *api_version;
	char *input_name;      /* the file, or "-" */
	char *types;           /* the --type list as given */
	char *columns;         /* a sheet's columns as read (input.h), or NULL */
	char *from_path;       /* the object types, as written in paths */
	char *to_path;
	char *state;           /* from the last end record: complete, ... */
	int exit_status;       /* -1 before an end record */
	size_t counts[OUTCOME_COUNT];
	bool ended;
	uint64_t last_req;     /* the highest request number recorded */
	unsigned sends;        /* how many sends the session has had */
	bool preflight;        /* its sends look first (prestate records) */
	enum plan_op op;       /* what its sends do to the pairs ("op") */
	enum session_undo undo;
	bool changed_since;    /* its pairs changed since its last send ended
	                        * (journal_peek): the terminal's next S;
	                        * (journal_load) a row edited there and not
	                        * recorded as the session's (journals before
	                        * edits_journaled): retry refuses */
	bool edits_journaled;  /* the terminal records an edit of a row of the
	                        * session as its edit record, at once */
	bool pairs_chose;      /* its pairs' last choice (journal_peek): */
	enum plan_op pairs_op; /* ... what S does to them, reopened */
	char *replace;         /* a working set not sent yet: what its relabel
	                        * replaces, as chosen (draft.c), or NULL */
};

void journal_meta_free(struct journal_meta *m);

/* The directory sessions live in, created 0700 when missing; refused as
 * dir_check_private() says (a link, another's, writable by others). */
int journal_dir(char **out, bool create, char **cause);

struct journal;

/* A new session for the terminal's working set, before any send: its
 * first record (settings, "draft"), synced and held.  Its pairs and
 * choices follow (journal_pairs_*), and its first send turns it into a
 * session like any (journal_begin_sends). */
struct journal *journal_create_draft(struct journal_meta *meta, char **cause);
/* The first send of a working set: the file is rewritten whole, the send's
 * header and rows first, then the working set's records, and renamed over
 * the old one, so that it reads as any session and keeps its ID.  meta
 * holds the send's settings; its id and created are the draft's. */
int journal_begin_sends(struct journal *j, struct journal_meta *meta,
    const struct input *in, const struct plan *p, char **cause);

/* A complete record (no newline), appended. */
int journal_append(struct journal *j, const char *record, size_t len, bool sync);

/* The working set's records (draft.c), each synced. */
int journal_pairs_add(struct journal *j, const struct input *in, size_t first,
    size_t n);
/* Row row of in, at place at among the pairs shown (workset_shown_index). */
int journal_pairs_replace(struct journal *j, const struct input *in, size_t row,
    size_t at);
int journal_pairs_delete(struct journal *j, size_t row, size_t n);
int journal_pairs_clear(struct journal *j);
int journal_choice(struct journal *j, const char *from, const char *to,
    const char *types, enum plan_op op, const char *replace, bool create_missing);

/* An input's named sources in a record, ,"sources":[["paste 1",0],...],
 * and back (journal.c, draft.c). */
struct cJSON;
void journal_add_sources(struct buf *b, const struct input *in);
void journal_restore_sources(struct input *in, const struct cJSON *sources);

/* The last choice of direction and types a working set recorded. */
struct pairs_choice {
	char *from, *to, *types;
	enum plan_op op;        /* the operation chosen (create when none) */
	char *replace;          /* a relabel's, or NULL */
	bool create_missing;
	bool made;
};
void pairs_choice_free(struct pairs_choice *c);
/* Replays a session's working-set records into in (empty), in order:
 * the pairs as they were last, line numbers and all. */
int journal_pairs_read(const char *path, struct input *in, struct pairs_choice *c,
    char **cause);

/* A new session: its header and rows are written and synced. */
struct journal *journal_create(struct journal_meta *meta, const struct input *in,
    const struct plan *p, char **cause);
/*
 * An existing session, to append to (resume), held by an exclusive lock
 * until journal_close (or the process ends, however it ends): a session
 * is sent by one hubassoc at a time, so a resume in a second terminal, or
 * while the create is still running, is refused instead of sending what
 * the other is sending.  journal_create holds its new session the same
 * way.  Take it before journal_load, so that what is read is what this
 * process will send.  Writes nothing.
 */
struct journal *journal_reopen(const char *path, char **cause);
/* Whether another hubassoc holds the session now (journal_reopen would
 * refuse it): a look, that takes nothing. */
bool journal_in_use(const char *path);
/* Records that send number `send` goes on (first ending a line a crash
 * cut). */
int journal_resumed(struct journal *j, unsigned send, char **cause);
/* Records that the current send's plan was agreed to (a remove asks
 * before it writes: once agreed, its resume does not ask again); synced. */
int journal_agreed(struct journal *j);
/* Rows [first, nrows) added to the session since its last send, planned
 * by p (session_add_rows), with the sets from first_set on that came with
 * them, and their keys; synced. */
int journal_rows_added(struct journal *j, const struct input *in,
    const struct plan *p, size_t first, size_t first_set);
/* Rows of the session deleted from the terminal's pairs since they were
 * sent: no retry or resume sends them again (session.retired); synced. */
int journal_retire(struct journal *j, const uint32_t *rows, size_t n);
/* Records that a row reads otherwise now (session_apply_edit); synced by
 * the resend record that follows. */
int journal_edit(struct journal *j, uint32_t row, const char *text,
    const char *const keys[2]);
/* Records, synced, that the session's next send starts: its number, what
 * it is ("retry"), the states it took and its rows in order.  Progress and
 * end records then carry its number. */
int journal_resend(struct journal *j, unsigned send, const char *kind,
    const char *only, const uint32_t *rows, size_t n, char **cause);
const char *journal_path(const struct journal *j);
void journal_close(struct journal *j);

/* A journal held in memory, for the records of requests made before their
 * session has a journal (a read, looking before the terminal asks to
 * send): journal_replay appends them, in order and synced, to j once it
 * exists.  A held journal has no path. */
struct journal *journal_held(void);
int journal_replay(struct journal *j, struct journal *held);
/* The same, each request numbered base after the number it was held with
 * (a lookup's, made before the session it is written in was known). */
int journal_replay_after(struct journal *j, struct journal *held, uint64_t base);

/* Before a request leaves: its rows and body, synced. */
int journal_send(struct journal *j, uint64_t req, const char *kind, uint32_t chunk,
    unsigned attempt, const uint32_t *rows, size_t n, const char *body);
/* Before a call leaves that is not a send's create (calls.h): what it is,
 * where it goes and its body (NULL for none), synced. */
int journal_call(struct journal *j, uint64_t req, const char *kind,
    const char *method, const char *path, unsigned attempt, const char *body);
/* The pre-state of rows (preflight.h), in blocks; the last synced. */
#define JOURNAL_PRESTATE_BLOCK 1000
struct prestate;
int journal_prestate(struct journal *j, const struct prestate *p,
    const uint32_t *rows, size_t n);
/* An answer as it came (not synced until the outcomes follow). */
/* Records' names (names.h), FROM's and TO's: names records. */
struct names;
int journal_names(struct journal *j, const struct names *names);
int journal_answer(struct journal *j, uint64_t req, const struct http_result *res);
/* Something an answer said that is no row's outcome, kept. */
int journal_warning(struct journal *j, uint64_t req, const char *message);
/* Errors and label lists added since first_err / first_labels, then the
 * outcomes of rows; synced. */
int journal_outcomes(struct journal *j, const struct outcomes *o,
    size_t first_err, size_t first_labels, const uint32_t *rows, size_t n);
int journal_progress(struct journal *j, const struct outcomes *o);
/* What was written is on the disk (fsync). */
int journal_sync(struct journal *j);
int journal_end(struct journal *j, const char *state, int exit_status,
    const struct outcomes *o);

/*
 * A session read back (session.h): its settings, rows, plan and outcomes,
 * rebuilt as a run had them.  Rows whose request has no recorded answer are
 * unconfirmed.  A last line cut short by a crash is ignored.
 */
int journal_load(const char *path, struct session *s, char **cause);

/* A request or an answer record, as a list of them shows it. */
struct journal_req_info {
	bool answer;           /* an answer, else a request */
	uint64_t req;
	unsigned chunk, attempt, inputs;  /* a request's */
	char at[16];           /* a request's time, HH:MM:SS.mmm (UTC) */
	int status;            /* an answer's */
	unsigned ms;
	char failure[16];
	char kind[16];         /* a request's: "" for a create, "read", ... */
	long off;              /* where the record starts */
	unsigned send;         /* the session's send it belongs to */
};
/* Where a reading of the requests stopped: start at { 0, 1 }. */
struct journal_scan_pos {
	long off;
	unsigned send;
};
/* Reads the request and answer records from pos on (bodies skipped),
 * calling fn for each; pos ends after the last complete line.  A record
 * not as the writer writes it is left out. */
int journal_scan_requests(const char *path, struct journal_scan_pos *pos,
    void (*fn)(void *arg, const struct journal_req_info *x), void *arg);

/* A request and its answer as the journal has them, for showing: what
 * the records at send_off and answer_off (-1: none) say. */
struct journal_exchange {
	char *method, *path;   /* a call's own; NULL for a create or read-back */
	char *kind;            /* "read", "preflight", ...; NULL for a create */
	char *body;            /* the request's body, compact JSON, or NULL */
	bool answered;         /* an answer record was read */
	int status;
	char *failure;         /* what went wrong on the way, or NULL */
	char *headers;         /* the rate-limit headers and the rest kept */
	char *answer;          /* the answer's body as kept, or NULL */
};
int journal_read_exchange(const char *path, long send_off, long answer_off,
    struct journal_exchange *x);
void journal_exchange_free(struct journal_exchange *x);

/* Finds a session by ID, unique prefix of an ID, or "last"; or by a
 * journal's path (anything holding a '/'), refused unless the file and its
 * directory are this user's and no one else may write them. */
int journal_find(const char *what, char **path, char **cause);

/* Each session's path, newest first. */
int journal_list(char ***paths, size_t *n, char **cause);
/* The settings and latest counts of a session, cheaply (header and tail). */
int journal_peek(const char *path, struct journal_meta *m, char **cause);

#endif
