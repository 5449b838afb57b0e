/* pre_change.c: what removing or relabeling a row does to its pair, by its
 * pre-state (preflight.h). */
#include <string.h>

#include "hubassoc/preflight.h"
#include "hubassoc/text.h"

static const char *const removes_labels[PRE_RM_COUNT] = {
	[PRE_RM_UNREAD] = "not read", [PRE_RM_NOT_THERE] = "not there",
	[PRE_RM_PAIR] = "remove the pair", [PRE_RM_LABELS] = "remove labels",
	[PRE_RM_NO_RECORD] = "name no record",
};

const char *
pre_removes_label(enum pre_removes c)
{
	return c < PRE_RM_COUNT ? removes_labels[c] : "?";
}

/* Whether a type is the direction's unlabeled one (HUBSPOT_DEFINED, no
 * label in the table). */
static bool
unlabeled(const struct plan *p, enum assoc_category cat, uint32_t type_id)
{
	const struct assoc_builtin *b;

	if (cat != ASSOC_CAT_HUBSPOT)
		return false;
	b = assoc_builtin_find(type_id, p->from.id, p->to.id);
	return b != NULL && b->label == NULL;
}

/* Whether the row takes the type from its pair. */
static bool
takes(const struct plan *p, const struct plan_types *t, const struct pre_type *x)
{
	return p->op == PLAN_OP_REMOVE || plan_types_have(t, x->cat, x->type_id);
}

void
pre_row_removal(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, struct pre_removal *out)
{
	const struct plan_types *t = plan_row_types(p, in, row);
	bool unlabeled_taken = false;

	memset(out, 0, sizeof(*out));
	if (r == NULL || r->cls == PRE_UNREAD) {
		out->cls = PRE_RM_UNREAD;
		return;
	}
	if (r->cls == PRE_NO_FROM || r->cls == PRE_NO_TO) {
		out->cls = PRE_RM_NO_RECORD;
		return;
	}
	for (size_t i = 0; i < r->ntypes; i++) {
		const struct pre_type *x = &r->types[i];
		if (!takes(p, t, x)) {
			out->kept++;
			continue;
		}
		out->taken++;
		unlabeled_taken |= unlabeled(p, x->cat, x->type_id);
		struct assoc_spec sp = { .cat = x->cat, .type_id = x->type_id };
		if (assoc_spec_flags(&sp, &p->from, &p->to) &
		    (ASSOC_F_PRIMARY | ASSOC_F_SINGLE_PARENT))
			out->takes_one = true;
	}
	/* Taking the unlabeled type takes every label with it. */
	if (unlabeled_taken && out->kept > 0) {
		out->takes_all = true;
		out->taken += out->kept;
		out->kept = 0;
	}
	out->cls = out->taken == 0 ? PRE_RM_NOT_THERE : p->op == PLAN_OP_REMOVE ||
	    out->kept == 0 ? PRE_RM_PAIR : PRE_RM_LABELS;
}

/* A type by its short name: its label, "unlabeled", or CATEGORY:ID. */
static void
type_name(struct buf *out, const struct plan *p, const struct pre_type *x,
    const struct assoc_labels *labels)
{
	const struct assoc_label *l = labels != NULL ?
	    assoc_labels_find(labels, x->cat, x->type_id) : NULL;
	const struct assoc_builtin *b = x->cat == ASSOC_CAT_HUBSPOT ?
	    assoc_builtin_find(x->type_id, p->from.id, p->to.id) : NULL;
	const char *name = l != NULL ? l->label : b != NULL ? b->label : NULL;

	if (name != NULL)
		text_escape(out, name, strlen(name));
	else if ((l != NULL || b != NULL) && x->cat == ASSOC_CAT_HUBSPOT)
		buf_addstr(out, "unlabeled");
	else
		buf_printf(out, "%s:%u", assoc_category_name(x->cat), x->type_id);
}

/* The pair's types that the row takes (taken) or leaves, named, the
 * unlabeled type left out: "Decider, Billing contact"; how many. */
static size_t
names_of(struct buf *out, const struct pre_row *r, const struct plan *p,
    const struct plan_types *t, bool taken, bool all,
    const struct assoc_labels *labels)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ntypes; i++) {
		const struct pre_type *x = &r->types[i];
		if ((all || takes(p, t, x)) != taken || unlabeled(p, x->cat, x->type_id))
			continue;
		buf_addstr(out, n++ ? ", " : "");
		type_name(out, p, x, labels);
	}
	return n;
}

void
pre_row_removal_describe(struct buf *out, const struct pre_row *r,
    const struct plan *p, const struct input *in, size_t row,
    const struct assoc_labels *labels)
{
	const struct plan_types *t = plan_row_types(p, in, row);
	const struct input_row *x = &in->rows[row];
	struct pre_removal rm;
	struct buf names = BUF_INIT;
	size_t n;

	pre_row_removal(r, p, in, row, &rm);
	switch (rm.cls) {
	case PRE_RM_NO_RECORD:
		pre_row_describe(out, r, p, in, row, false, labels);
		return;
	case PRE_RM_UNREAD:
	case PRE_RM_COUNT:
		buf_addstr(out, "not read: what it removes is not known");
		return;
	case PRE_RM_NOT_THERE:
		buf_addstr(out, p->op == PLAN_OP_REMOVE ? "not there: no such pair, "
		    "nothing to do" : "not there: the pair holds none of these types, "
		    "nothing to do");
		return;
	case PRE_RM_PAIR:
		buf_addstr(out, "removes the pair");
		n = names_of(&names, r, p, t, true, true, labels);
		if (n > 0)
			buf_printf(out, " (and its label%s %s)", n == 1 ? "" : "s",
			    buf_str(&names));
		break;
	case PRE_RM_LABELS:
		n = names_of(&names, r, p, t, true, false, labels);
		buf_printf(out, "removes label%s %s", n == 1 ? "" : "s",
		    n > 0 ? buf_str(&names) : "unlabeled");
		buf_reset(&names);
		n = names_of(&names, r, p, t, false, false, labels);
		buf_printf(out, " (keeps %s)", n > 0 ? buf_str(&names) : "the pair");
		break;
	}
	buf_free(&names);
	if (rm.takes_all)
		buf_addstr(out, "; the unlabeled type takes every label with it");
	if (rm.takes_one) {
		/* Whose one it is: the end that holds it once. */
		int owner = 0;
		for (size_t i = 0; i < r->ntypes && owner == 0; i++) {
			struct assoc_spec sp = { .cat = r->types[i].cat,
			    .type_id = r->types[i].type_id };
			if (p->op == PLAN_OP_REMOVE || rm.takes_all ||
			    takes(p, t, &r->types[i]))
				owner = assoc_spec_owner(&sp, &p->from, &p->to);
		}
		if (owner != 0)
			buf_printf(out, "; leaves %s %s without a Primary %s",
			    objtype_singular(owner == 1 ? &p->from : &p->to),
			    owner == 1 ? input_from(in, x) : input_to(in, x),
			    objtype_singular(owner == 1 ? &p->to : &p->from));
	}
}

/* ---- relabel -------------------------------------------------------------- */

static const char *const relabels_labels[PRE_RL_COUNT] = {
	[PRE_RL_UNREAD] = "not read", [PRE_RL_NO_PAIR] = "no pair",
	[PRE_RL_ALREADY] = "already", [PRE_RL_RELABELS] = "relabel",
	[PRE_RL_ADDS] = "add labels", [PRE_RL_CREATES] = "create the pair",
	[PRE_RL_NO_RECORD] = "name no record",
};

const char *
pre_relabels_label(enum pre_relabels c)
{
	return c < PRE_RL_COUNT ? relabels_labels[c] : "?";
}

size_t
pre_row_replaced(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, struct pre_type *out, size_t max)
{
	const struct plan_types *t = plan_row_types(p, in, row);
	size_t n = 0;

	for (size_t i = 0; r != NULL && i < r->ntypes; i++) {
		const struct pre_type *x = &r->types[i];
		if (!plan_relabel_replaces(&p->relabel, x->cat, x->type_id) ||
		    plan_types_have(t, x->cat, x->type_id) || unlabeled(p, x->cat, x->type_id))
			continue;
		if (n < max)
			out[n] = *x;
		n++;
	}
	return n;
}

enum pre_relabels
pre_row_relabel(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row)
{
	const struct plan_types *t = plan_row_types(p, in, row);

	if (r == NULL || r->cls == PRE_UNREAD)
		return PRE_RL_UNREAD;
	if (r->cls == PRE_NO_FROM || r->cls == PRE_NO_TO)
		return PRE_RL_NO_RECORD;
	if (r->ntypes == 0)
		return p->relabel.create_missing ? PRE_RL_CREATES : PRE_RL_NO_PAIR;
	if (pre_row_replaced(r, p, in, row, NULL, 0) > 0)
		return PRE_RL_RELABELS;
	for (size_t k = 0; t->ok && k < t->n; k++)
		if (!pre_types_have(r->types, r->ntypes, t->specs[k].cat,
		    t->specs[k].type_id))
			return PRE_RL_ADDS;
	return PRE_RL_ALREADY;
}

/* The row's types by name: "Billing contact, Decider". */
static void
row_names(struct buf *out, const struct plan *p, const struct plan_types *t,
    const struct assoc_labels *labels)
{
	for (size_t k = 0; t->ok && k < t->n; k++) {
		struct pre_type x = { t->specs[k].cat, t->specs[k].type_id };
		buf_addstr(out, k ? ", " : "");
		type_name(out, p, &x, labels);
	}
}

void
pre_row_relabel_describe(struct buf *out, const struct pre_row *r,
    const struct plan *p, const struct input *in, size_t row,
    const struct assoc_labels *labels)
{
	const struct plan_types *t = plan_row_types(p, in, row);
	struct pre_type gone[16];
	size_t n;

	switch (pre_row_relabel(r, p, in, row)) {
	case PRE_RL_NO_RECORD:
		pre_row_describe(out, r, p, in, row, false, labels);
		return;
	case PRE_RL_UNREAD:
	case PRE_RL_COUNT:
		buf_addstr(out, "not read: what the pair holds is not known");
		return;
	case PRE_RL_NO_PAIR:
		buf_addstr(out, "no pair: failed as NO_PAIR, nothing written "
		    "(relabel --create-missing creates it)");
		return;
	case PRE_RL_CREATES:
		buf_addstr(out, "no pair: creates it with ");
		row_names(out, p, t, labels);
		return;
	case PRE_RL_ALREADY:
		buf_addstr(out, "already ");
		row_names(out, p, t, labels);
		return;
	case PRE_RL_ADDS:
		buf_addstr(out, "adds ");
		row_names(out, p, t, labels);
		break;
	case PRE_RL_RELABELS: {
		/* Holding the new types already, it only loses the old (before:
		 * "relabels X -> Y" of a pair that held Y). */
		bool has_new = t->ok;
		for (size_t k = 0; t->ok && k < t->n; k++)
			has_new &= pre_types_have(r->types, r->ntypes, t->specs[k].cat,
			    t->specs[k].type_id);
		buf_addstr(out, has_new ? "relabels: takes off " : "relabels ");
		n = pre_row_replaced(r, p, in, row, gone, HA_ARRAY_LEN(gone));
		for (size_t i = 0; i < n && i < HA_ARRAY_LEN(gone); i++) {
			buf_addstr(out, i ? ", " : "");
			type_name(out, p, &gone[i], labels);
		}
		buf_addstr(out, has_new ? ", holding " : " \u2192 ");
		row_names(out, p, t, labels);
		if (has_new)
			buf_addstr(out, " already");
		break;
	}
	}
	/* What stays: the pair's labels neither replaced nor named. */
	struct buf kept = BUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < r->ntypes; i++) {
		const struct pre_type *x = &r->types[i];
		if (unlabeled(p, x->cat, x->type_id) || plan_types_have(t, x->cat, x->type_id) ||
		    plan_relabel_replaces(&p->relabel, x->cat, x->type_id))
			continue;
		buf_addstr(&kept, k++ ? ", " : "");
		type_name(&kept, p, x, labels);
	}
	if (k > 0)
		buf_printf(out, " (keeps %s)", buf_str(&kept));
	buf_free(&kept);
}

/* ---- either ------------------------------------------------------------ */

int
pre_row_change(const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, bool *takes_all, bool *takes_one)
{
	struct pre_removal rm = { 0 };

	if (p->op == PLAN_OP_RELABEL)
		rm.cls = (enum pre_removes)pre_row_relabel(r, p, in, row);
	else
		pre_row_removal(r, p, in, row, &rm);
	if (takes_all != NULL)
		*takes_all = rm.takes_all;
	if (takes_one != NULL)
		*takes_one = rm.takes_one;
	return (int)rm.cls;
}

const char *
pre_change_label(enum plan_op op, int c)
{
	return op == PLAN_OP_RELABEL ? pre_relabels_label((enum pre_relabels)c) :
	    pre_removes_label((enum pre_removes)c);
}

const char *
pre_change_tag(enum plan_op op, int c)
{
	static const char *const rm[PRE_CHANGE_CLASSES] = {
		[PRE_RM_UNREAD] = "not read", [PRE_RM_NOT_THERE] = "not there",
		[PRE_RM_PAIR] = "pairs", [PRE_RM_LABELS] = "labels",
		[PRE_RM_NO_RECORD] = "no record",
	};
	static const char *const rl[PRE_CHANGE_CLASSES] = {
		[PRE_RL_UNREAD] = "not read", [PRE_RL_NO_PAIR] = "no pair",
		[PRE_RL_ALREADY] = "already", [PRE_RL_RELABELS] = "relabels",
		[PRE_RL_ADDS] = "adds", [PRE_RL_CREATES] = "creates",
		[PRE_RL_NO_RECORD] = "no record",
	};
	const char *l = c >= 0 && c < PRE_CHANGE_CLASSES ?
	    (op == PLAN_OP_RELABEL ? rl : rm)[c] : NULL;
	return l != NULL ? l : "?";
}

void
pre_row_change_describe(struct buf *out, const struct pre_row *r,
    const struct plan *p, const struct input *in, size_t row,
    const struct assoc_labels *labels)
{
	if (p->op == PLAN_OP_RELABEL)
		pre_row_relabel_describe(out, r, p, in, row, labels);
	else
		pre_row_removal_describe(out, r, p, in, row, labels);
}
