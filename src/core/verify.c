/* verify.c: a created row read back (see verify.h). */
#include "hubassoc/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/op.h"
#include "hubassoc/text.h"

static const char *const names[VERIFY_COUNT] = {
	[VERIFY_CONFIRMED] = "confirmed", [VERIFY_MISSING] = "missing",
	[VERIFY_DIFFER] = "types_differ", [VERIFY_STILL] = "still_there",
};

const char *
verdict_name(enum verdict v)
{
	return v < VERIFY_COUNT ? names[v] : "?";
}

enum verdict
verify_row(const struct session *s, const struct assocset *now, size_t row,
    struct buf *lacks)
{
	const struct input_row *r = &s->in->rows[row];
	const struct assocread_to *pair = assocset_pair(now, input_from(s->in, r),
	    input_to(s->in, r));
	const struct plan_types *t = plan_row_types(&s->plan, s->in, row);
	bool differ = false;

	if (plan_op_removes(s->plan.op)) {
		/* Gone, or still there with the types it still holds. */
		for (size_t i = 0; pair != NULL && i < pair->ntypes; i++) {
			struct pre_type x = { pair->types[i].cat, pair->types[i].type_id };
			if (s->plan.op == PLAN_OP_UNLABEL &&
			    !plan_types_have(t, x.cat, x.type_id))
				continue;
			if (lacks != NULL)
				buf_printf(lacks, "%s%s:%u", differ ? ";" : "",
				    assoc_category_name(x.cat), x.type_id);
			differ = true;
		}
		return differ || (pair != NULL && s->plan.op == PLAN_OP_REMOVE) ?
		    VERIFY_STILL : VERIFY_CONFIRMED;
	}
	if (pair == NULL)
		return VERIFY_MISSING;
	for (size_t i = 0; t->ok && i < t->n; i++) {
		if (assocread_to_has(pair, t->specs[i].cat, t->specs[i].type_id))
			continue;
		if (lacks != NULL)
			buf_printf(lacks, "%s%s:%u", differ ? ";" : "",
			    assoc_category_name(t->specs[i].cat), t->specs[i].type_id);
		differ = true;
	}
	/* A relabel's: and the labels it replaced are gone. */
	struct pre_type gone[64];
	size_t n = s->plan.op != PLAN_OP_RELABEL || s->pre.rows == NULL ? 0 :
	    pre_row_replaced(&s->pre.rows[row], &s->plan, s->in, row, gone,
	    HA_ARRAY_LEN(gone));
	for (size_t i = 0; i < n && i < HA_ARRAY_LEN(gone); i++) {
		if (!assocread_to_has(pair, gone[i].cat, gone[i].type_id))
			continue;
		if (lacks != NULL)
			buf_printf(lacks, "%sstill %s:%u", differ ? ";" : "",
			    assoc_category_name(gone[i].cat), gone[i].type_id);
		differ = true;
	}
	return differ ? VERIFY_DIFFER : VERIFY_CONFIRMED;
}

enum verdict
verify_undone_row(const struct session *s, const struct assocset *now, size_t row)
{
	const struct input_row *r = &s->in->rows[row];
	const struct pre_row *pre = s->pre.rows != NULL && row < s->pre.n ?
	    &s->pre.rows[row] : NULL;
	const struct assocread_to *pair = assocset_pair(now, input_from(s->in, r),
	    input_to(s->in, r));
	const struct plan_types *t = plan_row_types(&s->plan, s->in, row);

	size_t npre = pre != NULL ? pre->ntypes : 0;

	/* A pair the session made is gone; or, kept for the types given since
	 * (undo_plan_build), it holds none of the session's it may take. */
	if (npre == 0 && (pair == NULL || !undo_pair_holds_more(s, pair, t)))
		return pair == NULL ? VERIFY_CONFIRMED : VERIFY_DIFFER;
	if (pair == NULL)
		return VERIFY_MISSING;
	for (size_t i = 0; i < npre; i++)
		if (!assocread_to_has(pair, pre->types[i].cat, pre->types[i].type_id))
			return VERIFY_DIFFER;
	/* What the session added is gone again, but what it may not take. */
	for (size_t i = 0; t->ok && i < t->n; i++) {
		const struct assoc_spec *sp = &t->specs[i];
		if (!assoc_spec_may_be_unlabeled(sp, &s->from, &s->to) &&
		    !pre_types_have(npre > 0 ? pre->types : NULL, npre, sp->cat,
		    sp->type_id) && assocread_to_has(pair, sp->cat, sp->type_id))
			return VERIFY_DIFFER;
	}
	return VERIFY_CONFIRMED;
}

/* "CAT:ID (label)" of each type, ", " between. */
static void
types_said(struct buf *out, const struct session *s, const struct assoc_spec *v,
    size_t n, const struct assoc_labels *labels)
{
	const struct assoc_labels none = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addstr(out, ", ");
		assoc_spec_describe(out, &v[i], &s->from, &s->to, labels != NULL ?
		    labels : &none);
	}
}

void
verify_row_describe(const struct session *s, const struct assocset *now,
    size_t row, const struct assoc_labels *labels, struct buf *out)
{
	const struct input_row *r = &s->in->rows[row];
	const struct assocread_to *pair = assocset_pair(now, input_from(s->in, r),
	    input_to(s->in, r));
	const struct plan_types *t = plan_row_types(&s->plan, s->in, row);
	struct assoc_spec *v = xcalloc((pair != NULL ? pair->ntypes : 0) +
	    (t->ok ? t->n : 0) + 1, sizeof(*v));
	size_t n = 0;

	if (pair == NULL) {
		buf_addstr(out, "the portal has no such pair");
	} else {
		for (size_t i = 0; i < pair->ntypes; i++)
			v[n++] = (struct assoc_spec){ .cat = pair->types[i].cat,
			    .type_id = pair->types[i].type_id };
		buf_addstr(out, "the portal holds ");
		types_said(out, s, v, n, labels);
	}
	if (s->out.state[row] == OUTCOME_UNDONE) {
		free(v);
		return;
	}
	n = 0;
	for (size_t i = 0; t->ok && i < t->n; i++)
		if (pair == NULL || !assocread_to_has(pair, t->specs[i].cat,
		    t->specs[i].type_id))
			v[n++] = t->specs[i];
	if (n > 0) {
		buf_addstr(out, "; lacks ");
		types_said(out, s, v, n, labels);
	}
	free(v);
}

int
verify_journal(struct journal *j, size_t rows, const size_t *count,
    size_t undone_rows, const size_t *undone)
{
	struct buf rec = BUF_INIT;
	char at[32];
	int rc;

	time_iso8601(at, 1);
	journal_rec_begin(&rec, JR_VERIFIED);
	buf_printf(&rec, ",\"time\":\"%s\",\"rows\":%zu,"
	    "\"confirmed\":%zu,\"missing\":%zu,\"types_differ\":%zu", at, rows,
	    count[VERIFY_CONFIRMED], count[VERIFY_MISSING], count[VERIFY_DIFFER]);
	if (count[VERIFY_STILL] > 0)
		buf_printf(&rec, ",\"still_there\":%zu", count[VERIFY_STILL]);
	if (undone_rows > 0)
		buf_printf(&rec, ",\"undone\":%zu,\"undo_holds\":%zu", undone_rows,
		    undone[VERIFY_CONFIRMED]);
	buf_addc(&rec, '}');
	rc = journal_append(j, rec.data, rec.len, true);
	buf_free(&rec);
	return rc;
}

/* ---- the operation ------------------------------------------------------ */

struct verify_op {
	uint32_t *rows;
	size_t n;
	struct assocset *set;
	uint8_t *verdict;          /* by row; VERIFY_COUNT: not verified */
	size_t count[VERIFY_COUNT];   /* of the created rows */
	size_t undone[VERIFY_COUNT];  /* of the undone ones: does the undo hold */
};

static void
verify_step(struct op *o)
{
	struct verify_op *v = o->data;
	const struct session *s = o->s;

	if (o->calls == NULL) {
		/* What the session wrote, a relabel's old label kept too, and
		 * what its undo took back. */
		v->rows = xcalloc(s->out.n + 1, sizeof(*v->rows));
		for (size_t i = 0; i < s->out.n; i++)
			if (outcomes_wrote(&s->out, i) || s->out.state[i] == OUTCOME_UNDONE)
				v->rows[v->n++] = (uint32_t)i;
		if (v->n == 0) {
			op_finish(o, EXIT_ALL_CREATED, "session %s: no row %s: "
			    "nothing to verify", s->meta.id, outcome_word(OUTCOME_CREATED, s->plan.op));
			return;
		}
		const char **ids = xcalloc(v->n + 1, sizeof(*ids));
		struct buf path = BUF_INIT;
		for (size_t i = 0; i < v->n; i++)
			ids[i] = input_from(s->in, &s->in->rows[v->rows[i]]);
		request_assoc_path(&path, o->c->api, &s->from, &s->to, "batch/read");
		v->set = assocset_new(op_calls(o, true, "the verify"), "verify",
		    buf_str(&path));
		assocset_read(v->set, ids, v->n);
		free(ids);
		buf_free(&path);
		return;
	}
	if (!op_calls_ended(o, NULL))
		return;
	v->verdict = xcalloc(s->in->nrows + 1, sizeof(*v->verdict));
	memset(v->verdict, VERIFY_COUNT, s->in->nrows);
	size_t created = 0, undone = 0, kept = 0;
	for (size_t i = 0; i < v->n; i++) {
		uint32_t row = v->rows[i];
		kept += outcomes_label_kept(&s->out, row);
		bool was_undone = s->out.state[row] == OUTCOME_UNDONE;
		enum verdict x = was_undone ? verify_undone_row(s, v->set, row) :
		    verify_row(s, v->set, row, NULL);
		v->verdict[row] = (uint8_t)x;
		if (was_undone) {
			v->undone[x]++;
			undone++;
		} else {
			v->count[x]++;
			created++;
		}
	}
	bool unwritten = o->j != NULL && verify_journal(o->j, created, v->count,
	    undone, v->undone) != 0;
	char a[64], b[32], c[32], d[32], e[32];
	struct buf m = BUF_INIT;
	buf_printf(&m, "session %s verified: ", s->meta.id);
	/* An unlabel takes types, not pairs: said of them. */
	if (plan_op_removes(s->plan.op) && (created > 0 || undone == 0))
		buf_printf(&m, "%s removed: %s %s, %s still there%s",
		    fmt_counted(a, created, "row"), fmt_count(b, v->count[VERIFY_CONFIRMED]),
		    s->plan.op == PLAN_OP_UNLABEL ? "with the types gone" : "gone",
		    fmt_count(c, v->count[VERIFY_STILL]), undone > 0 ? "; " : "");
	else if (created > 0 || undone == 0)
		/* A relabel's rows failed with the old label kept say so. */
		buf_printf(&m, "%s %s%s%s%s: %s confirmed, %s missing, %s types "
		    "differ%s", fmt_counted(a, created, "row"),
		    outcome_word(OUTCOME_CREATED, s->plan.op), kept > 0 ? " (" : "",
		    kept > 0 ? fmt_count(e, kept) : "", kept > 0 ?
		    " with the old label kept)" : "",
		    fmt_count(b, v->count[VERIFY_CONFIRMED]),
		    fmt_count(c, v->count[VERIFY_MISSING]),
		    fmt_count(d, v->count[VERIFY_DIFFER]), undone > 0 ? "; " : "");
	if (undone > 0)
		buf_printf(&m, "%s undone: the undo holds for %s, not for %s",
		    fmt_counted(a, undone, "row"), fmt_count(b, v->undone[VERIFY_CONFIRMED]),
		    fmt_count(c, undone - v->undone[VERIFY_CONFIRMED]));
	bool all = v->count[VERIFY_CONFIRMED] == created &&
	    v->undone[VERIFY_CONFIRMED] == undone;
	/* Its undo half done: what a write in flight took back is not
	 * known here, and the rest is the undo's to finish: said, with the
	 * command (before: "2,760 still there", nothing more; then without
	 * the session or the portal). */
	bool halfway = s->meta.undo == SESSION_UNDO_BEGUN ||
	    s->meta.undo == SESSION_UNDO_READING;
	char where[4096], finish[4400] = "";
	if (halfway)
		snprintf(finish, sizeof(finish), "; its undo was interrupted, the rows "
		    "its answered writes took back read undone: hubassoc resume %s%s "
		    "finishes the undo, then verify checks it", s->meta.id,
		    conn_where(o->c, where, sizeof(where)));
	op_finish(o, unwritten ? EXIT_AUTH : all ? EXIT_ALL_CREATED : EXIT_SOME_FAILED,
	    "%s (%s)%s%s", buf_str(&m), fmt_counted(a, op_requests(o), "request"),
	    finish, unwritten ? "; the journal could not be written" : "");
	buf_free(&m);
}

static void
verify_clear(struct op *o)
{
	struct verify_op *v = o->data;

	assocset_free(v->set);
	free(v->rows);
	free(v->verdict);
	free(v);
}

static const struct op_kind verify_kind = {
	.name = "verify", .step = verify_step, .clear = verify_clear,
};

struct op *
op_verify(struct conn *c, struct journal *j, struct session *s)
{
	return op_start(&verify_kind, c, j, s, xcalloc(1, sizeof(struct verify_op)));
}

const uint8_t *
op_verify_verdicts(const struct op *o, size_t count[VERIFY_COUNT])
{
	const struct verify_op *v = o->data;

	memcpy(count, v->count, sizeof(v->count));
	return v->verdict;
}

void
op_verify_describe(const struct op *o, size_t row, const struct assoc_labels *labels,
    struct buf *out)
{
	const struct verify_op *v = o->data;

	verify_row_describe(o->s, v->set, row, labels, out);
}

enum verdict
op_verify_row(const struct op *o, size_t row, struct buf *lacks)
{
	const struct verify_op *v = o->data;

	if (o->s->out.state[row] == OUTCOME_UNDONE)
		return verify_undone_row(o->s, v->set, row);
	return verify_row(o->s, v->set, row, lacks);
}
