/*
 * plan.h: from parsed rows to requests.
 *
 * The plan resolves each distinct SPEC column once for the direction, marks
 * rows whose types do not fit, finds duplicates (same pair, same types: sent
 * once) and conflicts (same pair, other types: refused, since HubSpot would
 * let the later replace the earlier), and cuts the rows to send into chunks
 * in input order.  A chunk never holds the same pair twice, so an answer can
 * be joined back to rows by IDs alone.
 */
#ifndef HUBASSOC_PLAN_H
#define HUBASSOC_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "hubassoc/assoctype.h"
#include "hubassoc/input.h"
#include "hubassoc/objtype.h"

#define PLAN_CHUNK_DEFAULT 2000
#define PLAN_CHUNK_MAX 2000
#define PLAN_NONE UINT32_MAX

enum plan_state {
	PLAN_SEND,
	PLAN_INVALID,
	PLAN_DUPLICATE,
	PLAN_EARLIER,     /* a session's row an earlier send held, not this one */
};

/* What a send does to each pair: creates its types (create), takes the
 * whole pair off (remove: batch/archive, every type goes), or takes off
 * only the types it names (unlabel: batch/labels/archive).  A remove's
 * rows name no types; an unlabel's, like a create's, name at least one. */
enum plan_op { PLAN_OP_CREATE, PLAN_OP_REMOVE, PLAN_OP_UNLABEL, PLAN_OP_RELABEL,
	PLAN_OP_COUNT };

/* Whether the operation takes types away (its answers list no results). */
static inline bool
plan_op_removes(enum plan_op op)
{
	return op == PLAN_OP_REMOVE || op == PLAN_OP_UNLABEL;
}

/* A relabel: each pair gets its row's types (create, with the labels it
 * keeps); the types it held of replace (every USER_DEFINED label, all)
 * go (labels/archive); a pair not there is left out, unless
 * create_missing. */
struct plan_relabel {
	struct assoc_spec *replace;
	size_t nreplace;
	bool all;
	bool create_missing;
};
struct plan;
/* A relabel's types to replace, "SPEC[;SPEC...]" or "all", and whether it
 * creates the pairs that are not there, resolved for p's direction into
 * p->relabel: 0, or -1 and *cause (a name the labels lack, the unlabeled
 * type: taking it takes every label). */
int plan_relabel_set(struct plan *p, const char *replace, bool create_missing,
    const struct assoc_labels *labels, char **cause);
/* Its types to replace as a choice says them, resolved ("all", or
 * "CATEGORY:ID;..."), or NULL: what a journal keeps, readable without
 * the portal's labels. */
char *plan_relabel_text(const struct plan *p);
/* Whether a relabel takes the type away from a pair that holds it. */
bool plan_relabel_replaces(const struct plan_relabel *r, enum assoc_category cat,
    uint32_t type_id);

/* As the journal stores it ("create", "remove", "unlabel"), and as people
 * read it ("create", "remove", "remove labels"); parse takes the stored
 * name. */
const char *plan_op_name(enum plan_op op);
const char *plan_op_label(enum plan_op op);
/* The command that makes it: "create", "remove" (an unlabel's too),
 * "relabel". */
const char *plan_op_command(enum plan_op op);
int plan_op_parse(const char *s, enum plan_op *op);
/* The endpoint after {from}/{to}/: "batch/create", "batch/archive"... */
const char *plan_op_action(enum plan_op op);

struct plan_chunk {
	uint32_t first;   /* index into plan.order */
	uint32_t count;
};

/* The resolved types of one input set. */
struct plan_types {
	struct assoc_spec *specs;
	size_t n;
	uint32_t canon;   /* equal for sets that resolve to the same types */
	bool ok;          /* resolved and fits the direction */
	char *error;      /* why it does not, when resolving said so */
};

struct plan {
	enum plan_op op;
	struct plan_relabel relabel;   /* PLAN_OP_RELABEL's */
	struct objtype from, to;
	size_t nrows;
	uint8_t *state;          /* per row: enum plan_state */
	uint8_t *why;            /* per row: what the plan found wrong with a
	                          * row the parser took (INPUT_TYPE_MISMATCH,
	                          * INPUT_NO_TYPE, INPUT_CONFLICT): the row is
	                          * PLAN_INVALID; INPUT_OK otherwise */
	uint32_t *chunk;         /* per row: its chunk when PLAN_SEND */
	uint32_t *other;         /* per row: the earlier row a duplicate or a
	                          * conflict repeats; PLAN_NONE otherwise */
	uint32_t *order;         /* rows to send, chunk after chunk */
	struct plan_chunk *chunks;
	size_t nchunks;
	size_t chunk_size;
	size_t nsend, ninvalid, nduplicate;
	struct plan_types *types; /* per input set; [0] is the --type list */
	size_t ntypes;
	size_t unresolved;       /* label names left for the portal to resolve */
	size_t keys;             /* rows whose keys wait for the lookup
	                          * (INPUT_KEY_PENDING) */
	char **notes;            /* warnings for the user */
	size_t nnotes;
};

/*
 * Builds the plan.  defaults are the --type specs (used by rows without a
 * SPEC column; may be empty); labels are the direction's known types.  A
 * problem with the defaults is a usage error: -1 and *cause, which says
 * what is wrong with them (the caller names them: --type, or the types
 * chosen in the terminal).  Rows whose
 * own types are bad are PLAN_INVALID with their reason in plan.why; the
 * input is only read.
 */
int plan_build(struct plan *p, const struct input *in, const struct objtype *from,
    const struct objtype *to, const struct assoc_spec *defaults, size_t ndefaults,
    const struct assoc_labels *labels, size_t chunk_size, char **cause);
/* The same for another operation: a remove's rows need no types (those
 * they name are not sent: the whole pair goes). */
int plan_build_op(struct plan *p, enum plan_op op, const struct input *in,
    const struct objtype *from, const struct objtype *to,
    const struct assoc_spec *defaults, size_t ndefaults,
    const struct assoc_labels *labels, size_t chunk_size, char **cause);
void plan_free(struct plan *p);

/*
 * For the journal: a plan as recorded.  plan_restore_begin() allocates the
 * arrays for nrows rows and ntypes sets (why INPUT_OK, chunk and other
 * PLAN_NONE); the caller fills state, why, chunk, other and types; plan_reindex() rebuilds the chunks and counts from them, and
 * again whenever a session's next send changes them.
 */
void plan_restore_begin(struct plan *p, const struct objtype *from,
    const struct objtype *to, size_t chunk_size, size_t nrows, size_t ntypes);
void plan_reindex(struct plan *p);
/* Keeps the first nrows rows alone (those after went), reindexed. */
void plan_truncate(struct plan *p, size_t nrows);
/* Room for rows added to a session after a send, up to nrows (each
 * PLAN_EARLIER, why INPUT_OK, no chunk, no other: the caller sets them),
 * and for ntypes sets (the new ones zeroed); plan_reindex() after. */
void plan_grow(struct plan *p, size_t nrows, size_t ntypes);
/* Whether two plans were made by the same choices: operation, direction,
 * the types chosen (as resolved) and a relabel's types to replace. */
bool plan_same_choice(const struct plan *a, const struct plan *b);
/* The same without the types chosen (a row's own say them): operation,
 * direction and a relabel's types to replace. */
bool plan_same_op(const struct plan *a, const struct plan *b);

/* The rows of chunk c. */
static inline const uint32_t *
plan_chunk_rows(const struct plan *p, size_t c, size_t *n)
{
	*n = p->chunks[c].count;
	return p->order + p->chunks[c].first;
}

/* Why a row is invalid: the parser's reason, or what the plan found. */
static inline enum input_reason
plan_row_reason(const struct plan *p, const struct input *in, size_t row)
{
	return p->why[row] != INPUT_OK ? (enum input_reason)p->why[row] :
	    (enum input_reason)in->rows[row].reason;
}

/* Whether a row is left out for a conflict with another (two Primaries,
 * one pair with other types), not for itself. */
static inline bool
plan_row_conflicts(const struct plan *p, const struct input *in, size_t row)
{
	enum input_reason why = plan_row_reason(p, in, row);

	return p->state[row] == PLAN_INVALID &&
	    (why == INPUT_CONFLICT || why == INPUT_ONE_CONFLICT);
}

/* Appends why a row is invalid (input_reason_format, or the plan's
 * finding): "same pair as line 3 with other association types...". */
void plan_reason_format(const struct plan *p, const struct input *in,
    size_t row, struct buf *out);

/* Whether resolved types t name cat:type_id. */
static inline bool
plan_types_have(const struct plan_types *t, enum assoc_category cat,
    uint32_t type_id)
{
	for (size_t k = 0; t->ok && k < t->n; k++)
		if (t->specs[k].cat == cat && t->specs[k].type_id == type_id)
			return true;
	return false;
}

/* The flags (ASSOC_F_*: Primary, ...) of the types some rows go with, a
 * third column's included. */
unsigned plan_rows_flags(const struct plan *p, const struct input *in,
    const uint32_t *rows, size_t n);

/* The resolved types a row is sent with. */
static inline const struct plan_types *
plan_row_types(const struct plan *p, const struct input *in, size_t row)
{
	return &p->types[in->rows[row].set];
}

#endif
