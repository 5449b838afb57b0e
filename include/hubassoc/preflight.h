/*
 * preflight.h: looking before sending, and what was seen.
 *
 * Before rows are sent, the portal is read for them (assocset.h): every
 * distinct record's associations on the side that takes fewer requests
 * (preflight_reversed), every page; when a row's types include one a
 * record holds only once (Primary, a parent company), the side that owns
 * it too; and, when asked,
 * whether each ID names a record at all (objects batch/read).  Each row is
 * then classed by what sending it would change, and what its pair held
 * before (its pre-state) is kept in the session's journal, so that undo
 * can put the portal back and take away only what the session added.
 */
#ifndef HUBASSOC_PREFLIGHT_H
#define HUBASSOC_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/assoctype.h"
#include "hubassoc/calls.h"
#include "hubassoc/input.h"
#include "hubassoc/plan.h"
#include "hubassoc/request.h"

enum pre_class {
	PRE_UNREAD,       /* no pre-state: not read (or not recorded) */
	PRE_NEW,          /* no association yet */
	PRE_ADDS,         /* associated: this adds types */
	PRE_THERE,        /* every type is there already */
	PRE_MOVES,        /* takes a Primary (or a parent) another record holds */
	PRE_NO_FROM,      /* the portal has no such FROM record */
	PRE_NO_TO,        /* ... no such TO record */
	PRE_CLASS_COUNT,
};

/* As the journal stores it ("adds_labels") and as people read it ("adds
 * labels"); parse takes the stored name. */
const char *pre_class_name(enum pre_class c);
const char *pre_class_label(enum pre_class c);
int pre_class_parse(const char *s, enum pre_class *out);

struct pre_type {
	enum assoc_category cat;
	uint32_t type_id;
};

/* What a row's pair held before the session sent it. */
struct pre_row {
	uint8_t cls;              /* enum pre_class */
	uint8_t owner;            /* PRE_MOVES: 1 FROM holds the one, 2 TO does */
	uint16_t ntypes, nholder_types;
	struct pre_type *types;   /* the pair's types before: none, no pair */
	char *holder;             /* PRE_MOVES: the record that held it */
	/* ... and the types of its pair (FROM-holder, or holder-TO) before */
	struct pre_type *holder_types;
};

/* Every row's pre-state, by row; counts by class. */
struct prestate {
	struct pre_row *rows;
	size_t n;
	size_t count[PRE_CLASS_COUNT];
};

void prestate_init(struct prestate *p, size_t nrows);
void prestate_free(struct prestate *p);
/* Forgets a row's (it changed: an edit). */
void prestate_clear_row(struct prestate *p, size_t row);
/* Sets a row's, taking holder and the arrays. */
void prestate_set(struct prestate *p, size_t row, const struct pre_row *r);
/* Whether types t[0..n) hold the type. */
bool pre_types_have(const struct pre_type *t, size_t n, enum assoc_category cat,
    uint32_t type_id);

/*
 * The labels a row's pair holds that the row does not name: its
 * USER_DEFINED types.  A create that names other labels may replace them
 * (HubSpot's reports differ; the sandbox does), so they are sent with the
 * row and the pair ends with both, whichever way the portal treats it.
 * Not a Primary or a parent: a create never replaces those (they move only
 * when written), and sending one again could take it back from the record
 * another row of the same send gives it to.  Not INTEGRATOR_DEFINED types
 * either: an app owns them, and another's token may not write them.  Up to
 * max in out; returns how many there are.
 */
size_t pre_row_kept(const struct pre_row *r, const struct plan_types *t,
    struct pre_type *out, size_t max);

/* What the preflight found of rows[0..n), for people, a line at a time to
 * line(arg, text): the counts by class ("  classes    1 new, 1 adds
 * labels, ..."), then the first ten rows that move a Primary, name no
 * record or keep labels, described ("    line 3: moves the Primary of
 * ..."). */
void preflight_describe(const struct prestate *pre, const struct input *in,
    const struct plan *p, const uint32_t *rows, size_t n,
    const struct assoc_labels *labels,
    void (*line)(void *arg, const char *text), void *arg);

/* Without a preflight nothing is known of the labels pairs hold, so none
 * can be sent along: what to say of it when rows[0..n) of the plan name a
 * USER_DEFINED label, else NULL. */
const char *preflight_skipped_warning(const struct plan *p,
    const struct input *in, const uint32_t *rows, size_t n);

/* What a row's pre-state says, for people: "new", "adds labels, keeping
 * USER_DEFINED:44 (contact to company, Decider)" (labels may be NULL:
 * the types without their names), "moves the Primary of contact 101 from
 * company 99 to 202" (brief: "moves Primary from 99"), "the portal has no
 * company 99". */
void pre_row_describe(struct buf *out, const struct pre_row *r,
    const struct plan *p, const struct input *in, size_t row, bool brief,
    const struct assoc_labels *labels);

/*
 * What removing a row takes from its pair, by its pre-state (a remove or
 * an unlabel plan, plan.op): the whole pair, some of its types, or
 * nothing (not there).  takes_all: an unlabel that names the direction's
 * unlabeled type from a pair with labels (HubSpot then takes every label
 * with it); takes_one: it takes a Primary (or a parent) from its record.
 */
enum pre_removes {
	PRE_RM_UNREAD,       /* no pre-state */
	PRE_RM_NOT_THERE,    /* no pair, or none of its types: nothing to do */
	PRE_RM_PAIR,         /* removes the pair, and every type it holds */
	PRE_RM_LABELS,       /* removes some types, keeps the pair */
	PRE_RM_NO_RECORD,    /* the portal has no such FROM or TO record */
	PRE_RM_COUNT,
};
struct pre_removal {
	enum pre_removes cls;
	bool takes_all, takes_one;
	size_t taken, kept;       /* the pair's types it takes, and leaves */
};
void pre_row_removal(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, struct pre_removal *out);
/* "removes the pair", "not there", ... */
const char *pre_removes_label(enum pre_removes c);
/* "removes the pair (and its labels Decider, Billing contact)", "removes
 * label Decider (keeps Billing contact)", "not there: nothing to do",
 * with what it warns of after ("; takes every label with it", "; leaves
 * contact 101 without a Primary company"). */
void pre_row_removal_describe(struct buf *out, const struct pre_row *r,
    const struct plan *p, const struct input *in, size_t row,
    const struct assoc_labels *labels);

/*
 * What relabeling a row does to its pair (a relabel plan): the types it
 * replaces (held, replaced, not among the row's: labels/archive takes
 * them), and its class: "relabels Decider -> Billing contact", "adds
 * Billing contact (keeps Decider)", "already Billing contact", "no pair"
 * (left alone; created with create_missing).
 */
enum pre_relabels {
	PRE_RL_UNREAD, PRE_RL_NO_PAIR, PRE_RL_ALREADY, PRE_RL_RELABELS,
	PRE_RL_ADDS, PRE_RL_CREATES, PRE_RL_NO_RECORD, PRE_RL_COUNT,
};
enum pre_relabels pre_row_relabel(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row);
const char *pre_relabels_label(enum pre_relabels c);
/* The types it replaces, up to max in out; how many. */
size_t pre_row_replaced(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, struct pre_type *out, size_t max);
void pre_row_relabel_describe(struct buf *out, const struct pre_row *r,
    const struct plan *p, const struct input *in, size_t row,
    const struct assoc_labels *labels);

/* Either of them by the plan's operation (a remove, an unlabel or a
 * relabel): the row's class (enum pre_removes or enum pre_relabels), and
 * what it warns of (takes_all, takes_one: a remove's; may be NULL). */
#define PRE_CHANGE_CLASSES 8
int pre_row_change(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, bool *takes_all, bool *takes_one);
/* The class as a count names it ("remove the pair"), and as a plan's
 * line is tagged ("pairs"). */
const char *pre_change_label(enum plan_op op, int c);
const char *pre_change_tag(enum plan_op op, int c);
void pre_row_change_describe(struct buf *out, const struct pre_row *r,
    const struct plan *p, const struct input *in, size_t row,
    const struct assoc_labels *labels);


struct preflight_opts {
	enum api_version api;
	bool check_ids;           /* ask whether each ID is a record */
	const char *kind;         /* the journal's name for its requests */
	/* The direction's labels, their inverses known (may be NULL): a
	 * pair read from TO's side has its labels turned round by them. */
	const struct assoc_labels *labels;
};

struct preflight;

/* Starts reading for rows[0..n) of the plan: their requests are queued on
 * c; turn c until done, then preflight_next (which may queue more: the
 * records holding a Primary the other end owns), until it says no more. */
struct preflight *preflight_start(struct calls *c, const struct input *in,
    const struct plan *p, const uint32_t *rows, size_t n,
    const struct preflight_opts *o);
bool preflight_next(struct preflight *pf);
/* Whether it reads the pairs from TO's side: its records take fewer
 * requests (a request per 1,000 distinct records either way), and no row
 * gives a one its FROM end owns.  The types read are turned round by
 * their inverses (the built-in table's, the labels'); a pair with one
 * that cannot be is read again from FROM's side, so that undo knows
 * every type exactly. */
bool preflight_reversed(const struct preflight *pf);
/* Once c completed: each row's class and pre-state, set in out. */
void preflight_finish(struct preflight *pf, struct prestate *out);
void preflight_free(struct preflight *pf);

/* The requests queued so far: before any answer, the least the preflight
 * takes (pages past the first are not known before). */
size_t preflight_queued(const struct preflight *pf);

#endif
