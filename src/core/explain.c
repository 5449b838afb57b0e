/* explain.c: why a row is as it is (see explain.h). */
#include "hubassoc/explain.h"

#include <stdlib.h>
#include <string.h>

#include "hubassoc/preflight.h"
#include "hubassoc/verify.h"

const struct hs_error *
explain_error(const struct outcomes *o, const struct plan *p, const struct input *in,
    size_t row, struct hs_error *scratch)
{
	if (o->err[row] != 0)
		return outcomes_error(o, row);
	if (o->state[row] != OUTCOME_INVALID)
		return NULL;
	struct buf m = BUF_INIT;
	plan_reason_format(p, in, row, &m);
	memset(scratch, 0, sizeof(*scratch));
	scratch->category = (char *)OUTCOME_CAT_INVALID_INPUT;
	scratch->message = buf_detach(&m);
	return scratch;
}

void
explain_error_done(const struct hs_error *e, struct hs_error *scratch)
{
	if (e == scratch)
		free(scratch->message);
}

void
explain_free(struct explain *x)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->built[i])
			outcome_names_free(&x->names[i]);
	free(x->names);
	free(x->built);
	memset(x, 0, sizeof(*x));
}

const char *
explain_context(struct explain *x, const struct outcomes *o, const struct plan *p,
    const struct input *in, size_t row, const char **key)
{
	uint32_t ei = o->err[row];

	if (ei == 0)
		return NULL;
	ei--;
	if (ei >= x->n) {
		/* Errors come in while sending: what is kept follows. */
		size_t n = o->nerrors;
		x->names = xreallocarray(x->names, n, sizeof(*x->names));
		x->built = xreallocarray(x->built, n, sizeof(*x->built));
		memset(x->built + x->n, 0, (n - x->n) * sizeof(*x->built));
		x->n = n;
	}
	const struct hs_error *e = o->errors[ei].error;
	if (!x->built[ei]) {
		outcome_names_build(&x->names[ei], p, e);
		x->built[ei] = true;
	}
	return outcome_names_find(&x->names[ei], e, in, row, key);
}

const char *
explain_left(const struct outcomes *o, size_t row, const char **key)
{
	enum outcome st = (enum outcome)o->state[row];
	const char *k = st == OUTCOME_NOT_SENT ? OUTCOME_CAT_NOT_SENT :
	    OUTCOME_CAT_UNCONFIRMED;
	const struct hs_error *e = st == OUTCOME_NOT_SENT || st == OUTCOME_UNCONFIRMED ?
	    outcomes_error(o, row) : NULL;
	const struct hs_context *c = e != NULL ? hs_error_context(e, k) : NULL;

	if (c == NULL || c->n == 0)
		return NULL;
	if (key != NULL)
		*key = k;
	return c->values[0];
}

/* What a verify found of a created or undone row, when it read it. */
static bool
verified_line(const struct session *s, const struct explain_verified *v,
    enum outcome o, size_t row, struct buf *out)
{
	if (o == OUTCOME_UNDONE) {
		/* Nothing of the session's was left of it: the undo took
		 * nothing (before: "taken back" of it too). */
		bool bare = session_undo_bare(s, row);
		buf_addstr(out, v == NULL || v->verdict == NULL ||
		    v->verdict[row] >= VERIFY_COUNT ? (bare && plan_op_removes(s->plan.op) ?
		    "as it was before the session when the undo looked: it put nothing "
		    "back" : bare ? "nothing of the session's "
		    "was on the portal when the undo looked: it took nothing back" :
		    "taken back by the session's undo") :
		    v->verdict[row] == VERIFY_CONFIRMED ? "verify: the undo holds" :
		    "verify: the undo does not hold, the portal has the session's types "
		    "again");
		return true;
	}
	if (o != OUTCOME_CREATED || v == NULL || v->verdict == NULL ||
	    v->verdict[row] == VERIFY_CONFIRMED || v->verdict[row] >= VERIFY_COUNT)
		return false;
	/* Read back since: what the portal holds now says otherwise. */
	buf_printf(out, "verify: %s", v->verdict[row] == VERIFY_MISSING ?
	    "missing, the pair is gone" : v->verdict[row] == VERIFY_STILL ?
	    "still there" : "types differ");
	if (v->said != NULL && v->said[row] != NULL && v->verdict[row] == VERIFY_DIFFER)
		buf_printf(out, ": %s", v->said[row]);
	return true;
}

/* An edited row: what it is now (invalid, or the next send's), then what
 * it was, its error short. */
static void
explain_edited(const struct session *s, size_t row, struct buf *out)
{
	const struct hs_error *err = outcomes_error(&s->out, row);

	buf_addstr(out, "edited since its send; ");
	if (s->plan.why[row] == INPUT_KEY_PENDING) {
		buf_addstr(out, "the next send looks its key up first");
	} else if (s->plan.state[row] == PLAN_INVALID) {
		buf_addstr(out, "not a pair to send now: ");
		plan_reason_format(&s->plan, s->in, row, out);
	} else
		buf_addstr(out, "the next send takes it");
	if (err != NULL && err->category != NULL &&
	    strcmp(err->category, OUTCOME_CAT_NOT_SENT) == 0)
		buf_addstr(out, " (it was not sent)");
	else if (err != NULL) {
		buf_addstr(out, " (it failed: ");
		hs_error_summary(out, err);
		buf_addc(out, ')');
	}
}

void
explain_line(struct explain *x, const struct session *s,
    const struct explain_verified *v, const struct assoc_labels *labels,
    size_t row, struct buf *out)
{
	const struct outcomes *out_ = &s->out;
	enum outcome o = (enum outcome)out_->state[row];
	const struct hs_error *err = outcomes_error(out_, row);
	const char *ctx = err != NULL ? explain_context(x, out_, &s->plan, s->in, row,
	    NULL) : NULL, *left = explain_left(out_, row, NULL);
	const struct pre_row *pre = s->pre.rows != NULL && row < s->pre.n ?
	    &s->pre.rows[row] : NULL;
	bool there = s->plan.op == PLAN_OP_CREATE && pre != NULL && pre->cls == PRE_THERE;

	if (o == OUTCOME_EDITED) {
		explain_edited(s, row, out);
		return;
	}
	size_t start = out->len;
	if (ctx != NULL)
		buf_printf(out, "%s: %s", err->category != NULL ? err->category :
		    "error", ctx);
	else if (left != NULL)
		buf_addstr(out, left);
	else if (err != NULL)
		hs_error_summary(out, err);
	else if (o == OUTCOME_NOT_SENT && s->retired != NULL && row < s->out.n &&
	    s->retired[row])
		/* Said where it shows (before: nothing, in Results and v). */
		buf_addstr(out, "deleted from the pairs before it was sent: no send "
		    "takes it");
	else if (o == OUTCOME_INVALID)
		plan_reason_format(&s->plan, s->in, row, out);
	else if (o == OUTCOME_DUPLICATE) {
		buf_addstr(out, "repeats line ");
		input_line_label(s->in, s->in->rows[s->plan.other[row]].line, out);
	} else if (verified_line(s, v, o, row, out)) {
		;
	} else if (o == OUTCOME_PENDING && s->plan.op != PLAN_OP_CREATE &&
	    pre != NULL && pre->cls != PRE_UNREAD) {
		/* A remove's or a relabel's row not sent (declined, stopped):
		 * what its read says the send will do (before: pending, with
		 * nothing said, where its plan had said "not there"). */
		buf_addstr(out, "when sent: ");
		pre_row_change_describe(out, pre, &s->plan, s->in, row, labels);
	} else if ((o == OUTCOME_UNCHANGED || (o == OUTCOME_CREATED &&
	    s->plan.op == PLAN_OP_RELABEL)) && pre != NULL) {
		/* Nothing written: what the pair held already.  A relabel's:
		 * what it did, not the labels its create's answer named (the
		 * replaced ones were taken off after it). */
		pre_row_change_describe(out, pre, &s->plan, s->in, row, labels);
	} else if (o == OUTCOME_CREATED && s->plan.op == PLAN_OP_CREATE && there) {
		/* HubSpot answers a pair it holds as made: said, so that a
		 * created row is not taken for a new pair. */
		buf_addstr(out, "already there before the send: the portal changed nothing");
	} else if (o == OUTCOME_CREATED && out_->labels[row] != 0) {
		const struct outcome_labels *l = &out_->label_sets[out_->labels[row] - 1];
		for (size_t k = 0; k < l->n; k++)
			buf_printf(out, "%s%s", k ? ", " : "labels: ", l->v[k]);
	}
	/* Else who the records are, when their names are known. */
	if (out->len == 0)
		explain_names(s->in, s->names, row, out);
	/* Deleted from the terminal's pairs after its send: said first, its
	 * state staying the session's (before: read as a row still to fix). */
	if (s->retired != NULL && row < s->out.n && s->retired[row] &&
	    o != OUTCOME_NOT_SENT) {
		struct buf t = BUF_INIT;
		buf_add(&t, out->data, start);
		buf_addstr(&t, o == OUTCOME_FAILED ? "deleted from the pairs, no send "
		    "takes it again" : "deleted from the pairs");
		if (out->len > start) {
			buf_addstr(&t, "; ");
			buf_add(&t, out->data + start, out->len - start);
		}
		buf_reset(out);
		buf_add(out, t.data, t.len);
		buf_free(&t);
	}
}

void
explain_names(const struct input *in, const struct names *names, size_t row,
    struct buf *out)
{
	const struct input_row *r = &in->rows[row];
	const char *f, *t;

	if (names == NULL || r->status != ROW_VALID || input_row_pending(in, r))
		return;
	f = names_get(&names[0], input_from(in, r));
	t = names_get(&names[1], input_to(in, r));
	if (f == NULL && t == NULL)
		return;
	buf_printf(out, "%s -> %s", f != NULL ? f : input_from(in, r),
	    t != NULL ? t : input_to(in, r));
}
