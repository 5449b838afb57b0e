/* op_relabel.c: a relabel's last step (op_send.c's): once its creates
 * are done, the pairs whose rows replace labels are read again, the
 * replaced labels they still hold taken off, and each row settled:
 * relabeled, or failed as OLD_LABEL_KEPT for resume to finish. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "op_relabel.h"
#include "hubassoc/text.h"

/* A relabel's row whose pair gives a label in place of others: once its
 * create is done (relabeled), or when an earlier send left the others on
 * (OLD_LABEL_KEPT). */
static bool
replaces_on(const struct session *s, uint32_t row)
{
	/* A send's own rows; a resume's, every row the session sent. */
	if (!s->resuming && (row >= s->plan.nrows || s->plan.state[row] != PLAN_SEND))
		return false;
	return s->pre.rows != NULL && outcomes_wrote(&s->out, row) &&
	    pre_row_replaced(&s->pre.rows[row], &s->plan, s->in, row, NULL, 0) > 0;
}

/* A row's outcome the relabel's last step changed, noted for the
 * journal. */
static void
settle(struct relabel_last *x, struct op *o, uint32_t row, enum outcome to,
    uint32_t err)
{
	outcomes_set(&o->s->out, row, to, 0, err);
	x->settled = xreallocarray(x->settled, x->nsettled + 1, sizeof(*x->settled));
	x->settled[x->nsettled++] = row;
}

/* The relabel's last step ended: the rows whose replaced labels are off
 * are relabeled, the others fail as OLD_LABEL_KEPT with why (when it
 * stopped, or an answer named errors), for resume to finish; the
 * journal says so.  read: the step that stopped was the reading. */
static int
relabel_settle(struct relabel_last *x, struct op *o, bool read, const char *why)
{
	struct session *s = o->s;
	size_t first_err = s->out.nerrors, first_labels = s->out.nlabel_sets;
	uint32_t err = 0;
	/* The rows it leaves, their old label kept (none when why is NULL). */
	bool *kept = xcalloc(s->in->nrows + 1, sizeof(*kept));
	size_t nkept = 0;

	for (uint32_t row = 0; why != NULL && row < s->in->nrows; row++) {
		kept[row] = read && replaces_on(s, row);
		nkept += kept[row];
	}
	for (size_t i = 0; !read && why != NULL && i < x->off.n; i++) {
		uint32_t row = x->off.v[i].row;
		if ((x->said.done == NULL || !x->said.done[i]) && !kept[row]) {
			kept[row] = true;
			nkept++;
		}
	}
	/* Their error, made only when a row has it (an orphan else). */
	if (nkept > 0)
		err = outcomes_add_error(&s->out, outcome_local_error(
		    OUTCOME_CAT_OLD_LABEL_KEPT, read ? "the new label is on; the "
		    "labels it replaces may be too: reading the pair again stopped "
		    "(%s); resume finishes it" : "the new label is on, and the "
		    "labels it replaces too: %s; resume takes them off",
		    why), PLAN_NONE, 0, true);
	for (uint32_t row = 0; row < s->in->nrows; row++)
		if (kept[row])
			settle(x, o, row, OUTCOME_FAILED, err);
	for (size_t i = 0; !read && i < x->off.n; i++) {
		uint32_t row = x->off.v[i].row;
		if (!kept[row] && s->out.state[row] != OUTCOME_CREATED)
			settle(x, o, row, OUTCOME_CREATED, 0);
	}
	free(kept);
	if (o->j == NULL || x->nsettled == 0)
		return 0;
	return journal_outcomes(o->j, &s->out, first_err, first_labels, x->settled,
	    x->nsettled);
}

/* A relabel's creates are done: the pairs whose rows replace labels are
 * read again, for the replaced labels they still hold (a portal that
 * replaces labels on a create took them already; one that adds did not).
 * Read each time, so that a resume takes off only what is left. */
bool
relabel_last_read(struct relabel_last *x, struct op *o)
{
	const struct session *s = o->s;
	const char **ids = xcalloc(s->in->nrows + 1, sizeof(*ids));
	size_t n = 0;

	/* The send's rows, or a resume's: those an earlier send left too. */
	for (uint32_t row = 0; row < s->in->nrows; row++) {
		if (replaces_on(s, row))
			ids[n++] = input_from(s->in, &s->in->rows[row]);
	}
	if (n > 0) {
		struct buf path = BUF_INIT;
		request_assoc_path(&path, o->c->api, &s->from, &s->to, "batch/read");
		x->now = assocset_new(op_calls(o, true, "the relabel's reading"),
		    "relabel", buf_str(&path));
		assocset_read(x->now, ids, n);
		buf_free(&path);
	}
	free(ids);
	return n > 0;
}

/* Whether the pair holds the row's new labels (those a labels/archive
 * could take: the unlabeled type comes and goes with any). */
static bool
holds_new(const struct session *s, uint32_t row, const struct assocread_to *pair)
{
	const struct plan_types *t = plan_row_types(&s->plan, s->in, row);

	for (size_t i = 0; pair != NULL && t->ok && i < t->n; i++)
		if (!assoc_spec_may_be_unlabeled(&t->specs[i], &s->from, &s->to) &&
		    !assocread_to_has(pair, t->specs[i].cat, t->specs[i].type_id))
			return false;
	return pair != NULL;
}

/* What the read found: the replaced labels still held, taken off. */
bool
relabel_last_unlabel(struct relabel_last *x, struct op *o)
{
	struct session *s = o->s;
	struct pre_type gone[64];
	char a[64];
	uint32_t lost = 0;

	for (uint32_t row = 0; row < s->in->nrows; row++) {
		if (!replaces_on(s, row))
			continue;
		const struct input_row *r = &s->in->rows[row];
		const char *from = input_from(s->in, r), *to = input_to(s->in, r);
		const struct assocread_to *pair = assocset_pair(x->now, from, to);
		/* The new label gone since (or the pair): the old is the only
		 * one left, and stays. */
		if (!holds_new(s, row, pair)) {
			if (lost == 0)
				lost = outcomes_add_error(&s->out, outcome_local_error(
				    OUTCOME_CAT_OLD_LABEL_KEPT, "the new label is not on "
				    "the pair now: the labels it replaces are left on it"),
				    PLAN_NONE, 0, true);
			settle(x, o, row, OUTCOME_FAILED, lost);
			continue;
		}
		size_t n = pre_row_replaced(&s->pre.rows[row], &s->plan, s->in, row, gone,
		    HA_ARRAY_LEN(gone)), k = 0;
		struct pre_type *held = xcalloc(n + 1, sizeof(*held));
		for (size_t t = 0; pair != NULL && t < n && t < HA_ARRAY_LEN(gone); t++)
			if (assocread_to_has(pair, gone[t].cat, gone[t].type_id))
				held[k++] = gone[t];
		if (k == 0) {
			/* Off already: an earlier send's refusal is mended. */
			if (s->out.state[row] != OUTCOME_CREATED)
				settle(x, o, row, OUTCOME_CREATED, 0);
			free(held);
			continue;
		}
		undo_plan_add(&x->off, UNDO_UNLABEL, from, to, held, k, row);
	}
	if (x->off.n == 0) {
		op_say(o, "  unlabel    none left: no pair holds a label replaced");
		return false;
	}
	op_say(o, "  unlabel    %s: the labels replaced, taken off (%s)",
	    fmt_counted(a, x->off.n, "pair"), plan_op_action(PLAN_OP_UNLABEL));
	x->said.done = xcalloc(x->off.n, sizeof(*x->said.done));
	x->said.what = "take the replaced labels off";
	undo_queue_kind(&x->off, s, op_calls(o, true, "the relabel's unlabel"),
	    "relabel", o->c->api, &x->said, UNDO_UNLABEL);
	return true;
}

/* The relabel's last step is over (stopped: it did not end), its rows
 * settled and said. */
void
relabel_last_ended(struct relabel_last *x, struct op *o, bool read, bool stopped)
{
	char *why = NULL;

	if (stopped) {
		const char *msg = calls_stop_message(o->calls);
		if (msg == NULL)
			msg = "stopped";
		/* A refusal says what was refused; else what stopped. */
		why = read || calls_stop_reason(o->calls) == ENGINE_CONFIG ? xstrdup(msg) :
		    xasprintf("taking them off stopped: %s", msg);
	} else if (x->said.errors > 0) {
		op_say(o, "  unlabel    the portal's answers name %zu error%s (%s): "
		    "their pairs fail as %s; resume takes off what is left",
		    x->said.errors, x->said.errors == 1 ? "" : "s", x->said.first,
		    OUTCOME_CAT_OLD_LABEL_KEPT);
		why = xasprintf("the portal did not take them off: %s", x->said.first);
	}
	if (relabel_settle(x, o, read, why) != 0)
		op_say(o, "  journal    the rows' outcomes could not be written (%s)",
		    strerror(errno));
	free(why);
}

void
relabel_last_free(struct relabel_last *x)
{
	assocset_free(x->now);
	undo_plan_free(&x->off);
	free(x->said.first);
	free(x->said.path);
	free(x->said.done);
	free(x->settled);
	memset(x, 0, sizeof(*x));
}
