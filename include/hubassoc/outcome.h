/*
 * outcome.h: one outcome per input row, and the join that decides it.
 *
 * Answers are joined to rows by IDs, never by position: a result names its
 * pair; an error names objects ("COMPANY=202 is not valid", objectId
 * ["202"]) or types ("USER_DEFINED=3 is not a valid ...") in its context or
 * message.  A row becomes created only when a result confirms it; a row a
 * 2xx answer neither confirms nor reports becomes failed with a local error
 * saying so.  An error that names no row is kept as an orphan and shown.
 */
#ifndef HUBASSOC_OUTCOME_H
#define HUBASSOC_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/input.h"
#include "hubassoc/plan.h"
#include "hubassoc/response.h"

enum outcome {
	OUTCOME_PENDING,    /* to be sent, no answer yet */
	OUTCOME_PLANNED,    /* dry run: would be sent */
	OUTCOME_CREATED,
	OUTCOME_FAILED,
	OUTCOME_INVALID,
	OUTCOME_DUPLICATE,
	OUTCOME_NOT_SENT,
	OUTCOME_UNCONFIRMED, /* sent, but no usable answer came: the server may
	                      * have created it; resume reads it back */
	OUTCOME_UNDONE,     /* created, then taken back by the session's undo */
	OUTCOME_UNCHANGED,  /* a remove's or a relabel's row the portal held as
	                     * asked already (no pair, the label there): not sent */
	OUTCOME_EDITED,     /* changed since its last outcome (failed, not sent,
	                     * invalid), which it keeps: the next send takes it */
	OUTCOME_COUNT
};

/* Local error categories, for what hubassoc itself decided. */
#define OUTCOME_CAT_NOT_CONFIRMED "NOT_CONFIRMED"
#define OUTCOME_CAT_INVALID_INPUT "INVALID_INPUT"
#define OUTCOME_CAT_NOT_SENT "NOT_SENT"
#define OUTCOME_CAT_UNCONFIRMED "UNCONFIRMED"
/* A relabel's row with no pair, or naming a record the portal lacks:
 * failed before anything is written. */
#define OUTCOME_CAT_NO_PAIR "NO_PAIR"
#define OUTCOME_CAT_NO_RECORD "NO_RECORD"
/* A relabel's row whose new label is on but the label it replaces may be
 * too: its removal was refused or stopped; resume takes it off. */
#define OUTCOME_CAT_OLD_LABEL_KEPT "OLD_LABEL_KEPT"

struct outcome_error {
	struct hs_error *error;  /* owned */
	uint32_t chunk;          /* PLAN_NONE when not tied to a chunk */
	uint16_t http_status;    /* 0 when there was no answer */
	bool local;              /* made by hubassoc, not sent by HubSpot */
	uint32_t rows;           /* rows it decided; 0 for an orphan */
};

struct outcome_labels {
	char **v;
	size_t n;
};

struct outcomes {
	size_t n;
	uint8_t *state;          /* per row: enum outcome */
	uint16_t *http;          /* per row: status of the deciding answer */
	uint32_t *err;           /* per row: 1-based index into errors, 0 none */
	uint32_t *labels;        /* per row: 1-based index into label_sets */
	struct outcome_error *errors;
	size_t nerrors;
	struct outcome_labels *label_sets;
	size_t nlabel_sets;
	size_t count[OUTCOME_COUNT];
};

const char *outcome_name(enum outcome o);
/* As people and exports read it for an operation: a remove's or an
 * unlabel's done rows are "removed", a relabel's "relabeled"; the journal
 * keeps outcome_name. */
const char *outcome_word(enum outcome o, enum plan_op op);
int outcome_parse(const char *s, enum outcome *out);

/* Starts every row from the plan: invalid, duplicate, and pending (or
 * planned, for a dry run). */
void outcomes_init(struct outcomes *o, const struct plan *p, bool dry_run);
void outcomes_free(struct outcomes *o);
/* Room for n rows: those added are pending. */
void outcomes_grow(struct outcomes *o, size_t n);
/* Keeps the first n rows alone, their counts with them. */
void outcomes_truncate(struct outcomes *o, size_t n);

/* The error a row's outcome carries, or NULL. */
static inline const struct hs_error *
outcomes_error(const struct outcomes *o, size_t row)
{
	return o->err[row] != 0 ? o->errors[o->err[row] - 1].error : NULL;
}

/* Rows a run has still to settle: pending, and unconfirmed (read back
 * first).  A run only ever lowers it, so progress is total minus this. */
static inline size_t
outcomes_to_settle(const struct outcomes *o)
{
	return o->count[OUTCOME_PENDING] + o->count[OUTCOME_UNCONFIRMED];
}

/* Whether a row failed as OUTCOME_CAT_OLD_LABEL_KEPT says. */
bool outcomes_label_kept(const struct outcomes *o, size_t row);
/* Whether a row's send wrote to its pair: created (removed, relabeled),
 * or relabeled with the old label kept.  An undo takes it back. */
static inline bool
outcomes_wrote(const struct outcomes *o, size_t row)
{
	return o->state[row] == OUTCOME_CREATED || outcomes_label_kept(o, row);
}
/* Whether a row stands for what its send wrote to its pair, or may have
 * (unconfirmed), or wrote and an undo took back: it cannot change in place
 * (the terminal's edit of it is a new pair). */
static inline bool
outcomes_held(const struct outcomes *o, size_t row)
{
	return outcomes_wrote(o, row) || o->state[row] == OUTCOME_UNCONFIRMED ||
	    o->state[row] == OUTCOME_UNDONE;
}
/* Sets a row's outcome, keeping the counts right. */
void outcomes_set(struct outcomes *o, size_t row, enum outcome state,
    uint16_t http, uint32_t err);
/* What a resume sends: rows of the plan's send left not_sent become
 * pending again, next to those never sent; unconfirmed rows stay so, to be
 * read back first.  Returns how many rows are pending or unconfirmed; 0
 * when the session has nothing left to send. */
size_t outcomes_requeue(struct outcomes *o, const struct plan *p);
/* Stores an error (takes ownership of e); returns its 1-based index. */
uint32_t outcomes_add_error(struct outcomes *o, struct hs_error *e,
    uint32_t chunk, uint16_t http, bool local);
/* Appends a label list as it is (the journal replays them in order);
 * returns its 1-based index. */
uint32_t outcomes_push_labels(struct outcomes *o, char *const *v, size_t n);
/* A local error with a category and a message. */
struct hs_error *outcome_local_error(const char *category, const char *fmt, ...)
    HA_PRINTF(2, 3);

/* What explains a row's outcome, as every summary names it: its error's
 * category (or policy name) and message ("" when missing), or, for a row
 * refused before sending, INVALID_INPUT and its reason's short name.
 * False for a row with neither. */
bool outcomes_row_cause(const struct outcomes *o, const struct plan *p,
    const struct input *in, size_t row, const char **category, const char **message);

/* Rows' errors as a summary groups them: by category and message. */
#define OUTCOME_GROUP_LINES 3
struct outcome_group {
	const char *category;    /* borrowed from the errors (or static) */
	const char *message;
	size_t rows;
	uint32_t lines[OUTCOME_GROUP_LINES];  /* the first rows' lines (their
	                                       * input's line numbers) */
	size_t nlines;
};

/*
 * The errors rows hold now, grouped by category and message, most rows
 * first (then in order of appearance).  With invalid, rows refused before
 * sending are grouped too, as INVALID_INPUT and their reason.  Returns how
 * many groups; *out is allocated.  Linear in rows and errors.
 */
size_t outcomes_group(const struct outcomes *o, const struct plan *p,
    const struct input *in, bool invalid, struct outcome_group **out);
/* Errors that named no row of their request: an orphan each. */
size_t outcomes_orphans(const struct outcomes *o);

struct join_report {
	size_t created;
	size_t failed;
	size_t unconfirmed;      /* failed because the answer said nothing */
	size_t stray_results;    /* results for pairs not in the request */
	size_t orphan_errors;    /* errors that name no row of the request */
};

/*
 * Joins a batch answer (any 2xx) for the request that carried rows[0..n) of
 * chunk c.  Afterwards none of those rows is pending.  A remove's and an
 * unlabel's answer (plan.op) lists no results: the rows its errors do not
 * name are done (OUTCOME_CREATED), when every error names a row.
 */
void join_batch(struct outcomes *o, const struct plan *p,
    const struct input *in, const uint32_t *rows, size_t n, uint32_t c,
    const struct response *r, struct join_report *rep);

/*
 * Joins an error answer that refused a whole request (a 400): rows it names
 * become failed with it; the others stay pending and are copied to rest
 * (room for n), to be sent again.  Returns how many stayed.  When it names
 * none, all stay and the caller narrows the request down.
 */
size_t join_refusal(struct outcomes *o, const struct plan *p,
    const struct input *in, const uint32_t *rows, size_t n, uint32_t c,
    const struct response *r, uint32_t *rest);

/* Whether an error context's value (under key) names a row, as the join
 * reads it: a bare ID, or NAME=ID references, on the side the key or the
 * object type's name says. */
bool outcome_value_names_row(const struct plan *p, const struct input *in,
    size_t row, const char *key, const char *value);

/* An error's context values by the records they name, to find the value
 * naming a row in O(log n) (a 207 names hundreds, for hundreds of rows). */
struct outcome_names {
	struct name_entry *v;
	size_t n;
};
void outcome_names_build(struct outcome_names *x, const struct plan *p,
    const struct hs_error *e);
/* The first value (in context order) of e naming the row, and its key; or
 * NULL.  The same answer as trying outcome_value_names_row() on each. */
const char *outcome_names_find(const struct outcome_names *x,
    const struct hs_error *e, const struct input *in, size_t row,
    const char **key);
void outcome_names_free(struct outcome_names *x);

#endif
