/*
 * undo.c: what undoing a session takes, and the operation (see undo.h);
 * its writes are undo_write.c's.
 */
#include "hubassoc/undo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/op.h"
#include "hubassoc/text.h"


/* Whether a row can be undone: created, with what its pair held. */
static const struct pre_row *
pre_of(const struct session *s, size_t row)
{
	if ((!outcomes_wrote(&s->out, row) && !session_undo_bare(s, row)) ||
	    s->pre.rows == NULL ||
	    s->pre.rows[row].cls == PRE_UNREAD)
		return NULL;
	return &s->pre.rows[row];
}

size_t
undo_read_ids(const struct session *s, const char ***ids)
{
	size_t n = 0;

	*ids = xcalloc(2 * s->in->nrows + 1, sizeof(**ids));
	for (size_t i = 0; i < s->in->nrows; i++) {
		const struct pre_row *r = pre_of(s, i);
		if (r == NULL)
			continue;
		(*ids)[n++] = input_from(s->in, &s->in->rows[i]);
		if (r->holder != NULL && r->owner == 2)
			(*ids)[n++] = r->holder;
	}
	return n;
}

void
undo_plan_add(struct undo_plan *u, enum undo_kind kind, const char *from,
    const char *to, struct pre_type *types, size_t n, uint32_t row)
{
	u->v = xreallocarray(u->v, u->n + 1, sizeof(*u->v));
	u->v[u->n++] = (struct undo_act){ kind, from, to, types, n, row, false };
	u->count[kind]++;
}

/* Types of t[0..n) that the pair does not hold now. */
static bool
lacks_any(const struct assocread_to *now, const struct pre_type *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!assocread_to_has(now, t[i].cat, t[i].type_id))
			return true;
	return false;
}

/* What a restore gives a pair: the types it held before (n of them), and
 * those it holds now that are not the session's (t; NULL: none is), so
 * that a portal whose create replaces a pair's labels loses none given
 * since.  *out_n is how many. */
static struct pre_type *
restore_types(const struct pre_type *before, size_t n, const struct assocread_to *now,
    const struct plan_types *t, size_t *out_n)
{
	size_t extra = now != NULL ? now->ntypes : 0, k = n;
	struct pre_type *v = xcalloc(n + extra + 1, sizeof(*v));

	memcpy(v, before, n * sizeof(*before));
	for (size_t i = 0; i < extra; i++) {
		const struct assocread_type *x = &now->types[i];
		if (pre_types_have(before, n, x->cat, x->type_id) ||
		    (t != NULL && plan_types_have(t, x->cat, x->type_id)))
			continue;
		v[k++] = (struct pre_type){ x->cat, x->type_id };
	}
	*out_n = k;
	return v;
}

/* A type labels/archive may take away without taking the rest: not the
 * direction's unlabeled type (nor a HUBSPOT_DEFINED one not known to
 * carry a label, which may be it). */
static bool
removable(const struct session *s, const struct assoc_spec *spec)
{
	return !assoc_spec_may_be_unlabeled(spec, &s->from, &s->to);
}

static int
act_cmp(const void *a, const void *b)
{
	const struct undo_act *x = *(const struct undo_act *const *)a;
	const struct undo_act *y = *(const struct undo_act *const *)b;
	int c = strcmp(x->from, y->from);

	if (c == 0)
		c = strcmp(x->to, y->to);
	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* One restore a pair: a pair given back for one row (the types it lost)
 * and as a Primary's holder for another is one input, with the types of
 * both, and counted once. */
static void
merge_restores(struct undo_plan *u)
{
	struct undo_act **r = xcalloc(u->n + 1, sizeof(*r));
	size_t n = 0, k = 0;

	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].kind == UNDO_RESTORE)
			r[n++] = &u->v[i];
	qsort(r, n, sizeof(*r), act_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		struct undo_act *a = r[first], *b = r[i];
		if (strcmp(a->from, b->from) != 0 || strcmp(a->to, b->to) != 0) {
			first = i;
			continue;
		}
		a->types = xreallocarray(a->types, a->n + b->n + 1, sizeof(*a->types));
		for (size_t t = 0; t < b->n; t++)
			if (!pre_types_have(a->types, a->n, b->types[t].cat,
			    b->types[t].type_id))
				a->types[a->n++] = b->types[t];
		a->primary |= b->primary;
		free(b->types);
		b->types = NULL;
		b->kind = UNDO_KINDS;       /* merged: dropped below */
	}
	free(r);
	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].kind != UNDO_KINDS)
			u->v[k++] = u->v[i];
	u->count[UNDO_RESTORE] -= u->n - k;
	u->n = k;
}

bool
undo_pair_holds_more(const struct session *s, const struct assocread_to *pair,
    const struct plan_types *t)
{
	for (size_t i = 0; pair != NULL && t->ok && i < pair->ntypes; i++) {
		const struct assoc_spec sp = { .cat = pair->types[i].cat,
		    .type_id = pair->types[i].type_id };
		if (!plan_types_have(t, sp.cat, sp.type_id) && removable(s, &sp))
			return true;
	}
	return false;
}

void
undo_plan_build(const struct session *s, const struct assocset *now,
    struct undo_plan *u)
{
	/* An undo agreed to and stopped: its writes may have taken what
	 * is gone now. */
	bool resumed = s->meta.undo == SESSION_UNDO_BEGUN;

	memset(u, 0, sizeof(*u));
	u->resumed = resumed;
	u->unknown_rows = xcalloc(s->in->nrows + 1, sizeof(*u->unknown_rows));
	u->kept_rows = xcalloc(s->in->nrows + 1, sizeof(*u->kept_rows));
	u->bare_rows = xcalloc(s->in->nrows + 1, sizeof(*u->bare_rows));
	for (size_t i = 0; i < s->in->nrows; i++) {
		/* And those an undo before found nothing of, read again. */
		if (!outcomes_wrote(&s->out, i) && !session_undo_bare(s, i))
			continue;
		u->created++;
		const struct pre_row *r = pre_of(s, i);
		if (r == NULL) {
			u->unknown_rows[u->unknown++] = (uint32_t)i;
			continue;
		}
		u->held += session_row_held_before(s, i);
		const struct input_row *row = &s->in->rows[i];
		const char *from = input_from(s->in, row), *to = input_to(s->in, row);
		const struct assocread_to *pair = assocset_pair(now, from, to);

		/* A Primary taken from another record goes back to it. */
		if (r->holder != NULL) {
			const char *hf = r->owner == 1 ? from : r->holder;
			const char *ht = r->owner == 1 ? r->holder : to;
			const struct assocread_to *held = assocset_pair(now, hf, ht);
			if (lacks_any(held, r->holder_types, r->nholder_types)) {
				size_t k;
				struct pre_type *v = restore_types(r->holder_types,
				    r->nholder_types, held, NULL, &k);
				undo_plan_add(u, UNDO_RESTORE, hf, ht, v, k, (uint32_t)i);
				u->v[u->n - 1].primary = true;
			}
		}
		if (plan_op_removes(s->plan.op)) {
			/* A remove added nothing: what it took comes back
			 * (a pair that was not there is left as it is now). */
			if (r->ntypes > 0 && (pair == NULL ||
			    lacks_any(pair, r->types, r->ntypes))) {
				size_t k;
				struct pre_type *v = restore_types(r->types, r->ntypes, pair,
				    NULL, &k);
				undo_plan_add(u, UNDO_RESTORE, from, to, v, k, (uint32_t)i);
				/* A Primary it took goes back with the pair: one
				 * given back, not one the pair kept (before: "17
				 * Primary given back" of an unlabel of Billing). */
				for (size_t t = 0; t < r->ntypes; t++) {
					struct assoc_spec sp = { .cat = r->types[t].cat,
					    .type_id = r->types[t].type_id };
					if (pair != NULL && assocread_to_has(pair, sp.cat,
					    sp.type_id))
						continue;
					u->v[u->n - 1].primary |= assoc_spec_owner(&sp,
					    &s->from, &s->to) != 0;
				}
			} else if (r->ntypes > 0) {
				/* Put back since (another session made it again,
				 * or this undo before it stopped): counted,
				 * nothing to do (before: in no line of the plan). */
				u->back++;
				if (!resumed)
					u->bare_rows[u->nbare++] = (uint32_t)i;
			}
			continue;
		}
		if (pair == NULL) {
			/* Nothing of the session's is left: gone before the
			 * undo, or taken by its writes before it stopped (an
			 * undo resumed: not said to have taken nothing). */
			if (!session_row_held_before(s, i)) {
				u->gone++;
				if (!resumed)
					u->bare_rows[u->nbare++] = (uint32_t)i;
			}
			continue;
		}
		const struct plan_types *t = plan_row_types(&s->plan, s->in, i);
		/* A pair the session made goes, unless it holds types given
		 * since, which would go with it: then only the session's go,
		 * as from a pair that was there. */
		if (r->ntypes == 0 && !undo_pair_holds_more(s, pair, t)) {
			undo_plan_add(u, UNDO_ARCHIVE, from, to, NULL, 0, (uint32_t)i);
			continue;
		}
		u->since += r->ntypes == 0;
		size_t acts = u->n, left = u->kept_default;
		/* The pair was there: what it lost comes back, what the
		 * session added goes. */
		if (lacks_any(pair, r->types, r->ntypes)) {
			size_t k;
			struct pre_type *v = restore_types(r->types, r->ntypes, pair, t, &k);
			undo_plan_add(u, UNDO_RESTORE, from, to, v, k, (uint32_t)i);
		}
		struct pre_type *gone = xcalloc(t->n + 1, sizeof(*gone));
		size_t k = 0;
		for (size_t x = 0; t->ok && x < t->n; x++) {
			const struct assoc_spec *sp = &t->specs[x];
			if (pre_types_have(r->types, r->ntypes, sp->cat, sp->type_id) ||
			    !assocread_to_has(pair, sp->cat, sp->type_id))
				continue;
			if (!removable(s, sp)) {
				u->kept_default++;
				continue;
			}
			gone[k++] = (struct pre_type){ sp->cat, sp->type_id };
		}
		if (k > 0)
			undo_plan_add(u, UNDO_UNLABEL, from, to, gone, k, (uint32_t)i);
		else
			free(gone);
		/* Nothing taken back, and something of the session's left; or
		 * a pair it made, nothing of its own left on it: kept, created,
		 * so that an undo after that of the session that gave its types
		 * takes it (before: undone, and that undo put the pair back as
		 * this one made it, past any undo). */
		if (u->n == acts && (u->kept_default > left || r->ntypes == 0))
			u->kept_rows[u->nkept++] = (uint32_t)i;
		else if (u->n == acts)
			u->bare_rows[u->nbare++] = (uint32_t)i;
	}
	merge_restores(u);
}

void
undo_plan_free(struct undo_plan *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->v[i].types);
	free(u->v);
	free(u->unknown_rows);
	free(u->kept_rows);
	free(u->bare_rows);
	free(u->shared_with);
	free(u->later_with);
	memset(u, 0, sizeof(*u));
}

int
undo_journal(struct journal *j, enum journal_rec kind,
    const struct undo_plan *u, const struct outcomes *o)
{
	struct buf rec = BUF_INIT;
	char at[32];
	int rc;

	time_iso8601(at, 1);
	journal_rec_begin(&rec, kind);
	buf_printf(&rec, ",\"time\":\"%s\"", at);
	if (u != NULL)
		buf_printf(&rec, ",\"archive\":%zu,\"unlabel\":%zu,\"restore\":%zu,"
		    "\"left_alone\":%zu", u->count[UNDO_ARCHIVE], u->count[UNDO_UNLABEL],
		    u->count[UNDO_RESTORE], u->unknown);
	if (u != NULL && u->nkept > 0) {
		buf_addstr(&rec, ",\"kept\":[");
		for (size_t i = 0; i < u->nkept; i++)
			buf_printf(&rec, "%s%u", i ? "," : "", u->kept_rows[i]);
		buf_addc(&rec, ']');
	}
	if (u != NULL && u->nbare > 0) {
		buf_addstr(&rec, ",\"bare\":[");
		for (size_t i = 0; i < u->nbare; i++)
			buf_printf(&rec, "%s%u", i ? "," : "", u->bare_rows[i]);
		buf_addc(&rec, ']');
	}
	if (o != NULL) {
		buf_addstr(&rec, ",\"counts\":{");
		for (int i = 0; i < OUTCOME_COUNT; i++)
			buf_printf(&rec, "%s\"%s\":%zu", i ? "," : "",
			    outcome_name((enum outcome)i), o->count[i]);
		buf_addc(&rec, '}');
	}
	buf_addc(&rec, '}');
	rc = journal_append(j, rec.data, rec.len, true);
	buf_free(&rec);
	return rc;
}

size_t
undo_primaries(const struct undo_plan *u)
{
	size_t n = 0;

	for (size_t i = 0; i < u->n; i++)
		n += u->v[i].primary;
	return n;
}

/* ---- the operation ------------------------------------------------------ */

struct undo_op {
	bool dry;
	int phase;                 /* 0 start, 1 reading, 4 looking at the
	                            * other sessions, 2 asked, 3 writing */
	int next_kind;             /* writing: the kind to queue next */
	struct assocset *set;
	struct undo_shared *others; /* 4: a journal a step (undo_shared_step) */
	struct undo_plan u;
	struct undo_said said;     /* what the portal's answers said it did not do */
};

static void plan_line(struct op *o, bool ask, const char *fmt, ...) HA_PRINTF(3, 4);

/* "session ID", and "(and N others)" when there are more, in b (reset
 * first): the other sessions a plan's line names, the newest first. */
static void
sessions_named(struct buf *b, const char *newest, size_t n)
{
	char c[64];

	buf_reset(b);
	buf_printf(b, "session %s", newest);
	if (n > 1)
		buf_printf(b, " (and %s)", fmt_counted(c, n - 1, "other"));
}

/* The plan, as lines: what a yes does, and what it leaves. */
static void
plan_lines(struct op *o, bool ask)
{
	const struct undo_op *x = o->data;
	const struct undo_plan *u = &x->u;
	const struct session *s = o->s;
	char a[64], b[32];

	plan_line(o, ask, "undo %s: %s %s", s->meta.id,
	    fmt_counted(a, u->created, "row"), outcome_word(OUTCOME_CREATED, s->plan.op));
	plan_line(o, ask, "  archive    %s the session made",
	    fmt_counted(a, u->count[UNDO_ARCHIVE], "pair"));
	plan_line(o, ask, "  unlabel    %s: only the types the session added",
	    fmt_counted(a, u->count[UNDO_UNLABEL], "pair"));
	size_t primaries = undo_primaries(u);
	plan_line(o, ask, "  restore    %s as %s%s%s%s",
	    fmt_counted(a, u->count[UNDO_RESTORE], "pair"),
	    u->count[UNDO_RESTORE] == 1 ? "it was" : "they were",
	    primaries > 0 ? " (" : "", primaries > 0 ? fmt_count(b, primaries) : "",
	    primaries > 0 ? " Primary given back)" : "");
	if (u->kept_default > 0)
		plan_line(o, ask, "  kept       %s the session added to pairs that hold "
		    "labels: removing one removes every label",
		    fmt_counted(a, u->kept_default, "unlabeled type"));
	/* Not when all the session gave them is an unlabeled type kept (the
	 * line above): then none of it goes (before: "only the session's go"
	 * beside "nothing to do"). */
	if (u->since > 0 && (u->count[UNDO_UNLABEL] > 0 || u->kept_default == 0))
		plan_line(o, ask, "  kept       %s the session made, which hold%s types "
		    "given since: %s", fmt_counted(a, u->since, "pair"),
		    u->since == 1 ? "s" : "", u->count[UNDO_UNLABEL] > 0 ?
		    "only the session's go" : "none of the session's is left on them");
	if (u->gone > 0 && u->resumed)
		plan_line(o, ask, "  gone       %s not on the portal now: taken off by "
		    "this undo before it stopped, or since", fmt_counted(a, u->gone,
		    "pair"));
	else if (u->gone > 0)
		plan_line(o, ask, "  gone       %s not on the portal now: nothing of the "
		    "session's is left on %s", fmt_counted(a, u->gone, "pair"),
		    u->gone == 1 ? "it" : "them");
	if (u->back > 0)
		plan_line(o, ask, "  as before  %s hold%s again what %s held before the "
		    "session%s: nothing to put back", fmt_counted(a, u->back, "pair"),
		    u->back == 1 ? "s" : "", u->back == 1 ? "it" : "they", u->resumed ?
		    " (put back by this undo before it stopped, or since)" : "");
	if (u->held > 0)
		plan_line(o, ask, "  left       %s that held %s types before the "
		    "session: %s as %s", fmt_counted(a, u->held, "pair"),
		    u->held == 1 ? "its" : "their", u->held == 1 ? "it stays" :
		    "they stay", u->held == 1 ? "it was" : "they were");
	if (u->unknown > 0) {
		struct buf lines = BUF_INIT;
		for (size_t i = 0; i < u->unknown && i < 10; i++)
			buf_printf(&lines, "%s%u", i ? ", " : "; lines ",
			    s->in->rows[u->unknown_rows[i]].line);
		if (u->unknown > 10)
			buf_addstr(&lines, ", ...");
		plan_line(o, ask, "  left alone %s: pre-state unknown (sent without a "
		    "preflight)%s", fmt_counted(a, u->unknown, "row"), buf_str(&lines));
		buf_free(&lines);
	}
	struct buf whom = BUF_INIT;
	if (u->shared > 0) {
		/* Of a pair, or of its types only (before: "pairs it takes
		 * off", read as a deletion of an unlabel). */
		sessions_named(&whom, u->shared_with, u->shared_sessions);
		plan_line(o, ask, "  shared     %s it archives or unlabels %s sent by "
		    "%s too: what it takes off goes all the same (verify %s then "
		    "finds it missing)", fmt_counted(a, u->shared, "pair"),
		    u->shared == 1 ? "was" : "were", buf_str(&whom), u->shared_with);
	}
	if (u->later > 0) {
		/* Restored as the session found them, over what was written
		 * since (before: said nothing, and a later relabel was undone
		 * with it). */
		sessions_named(&whom, u->later_with, u->later_sessions);
		plan_line(o, ask, "  later      %s it restores %s written since by "
		    "%s: %s back as this session found %s, what was written since "
		    "goes (verify %s then finds the difference)",
		    fmt_counted(a, u->later, "pair"), u->later == 1 ? "was" : "were",
		    buf_str(&whom), u->later == 1 ? "it goes" : "they go",
		    u->later == 1 ? "it" : "them", u->later_with);
	}
	buf_free(&whom);
	/* Those an undo before took back are not the session's to leave
	 * (before: "2 rows the session did not create" of rows undone). */
	size_t undone = 0;
	for (size_t i = 0; i < s->out.n; i++)
		undone += s->out.state[i] == OUTCOME_UNDONE && !session_undo_bare(s, i);
	if (undone > 0)
		plan_line(o, ask, "  undone     %s taken back by %s",
		    fmt_counted(a, undone, "row"), u->resumed ?
		    "this undo before it stopped" : "an undo before");
	if (s->in->nrows > u->created + undone)
		plan_line(o, ask, "  untouched  %s the session did not %s",
		    fmt_counted(a, s->in->nrows - u->created - undone, "row"),
		    plan_op_removes(s->plan.op) ? "remove" : plan_op_name(s->plan.op));
}

/* A line of the plan: said, or a line of the question (ask). */
static void
plan_line(struct op *o, bool ask, const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	t = xvasprintf(fmt, ap);
	va_end(ap);
	if (ask)
		op_ask_line(o, "%s", t);
	else
		op_say(o, "%s", t);
	free(t);
}

/* The undo is done: s's rows as it left them. */
static void
mark_done(const struct op *o, struct session *s)
{
	const struct undo_plan *u = &((const struct undo_op *)o->data)->u;

	s->meta.undo = SESSION_UNDO_DONE;
	session_mark_undone(s, u->kept_rows, u->nkept, u->bare_rows, u->nbare);
}

/* The undo is done: its rows are undone, and the journal says so with
 * the counts as they now stand. */
static int
done_journal(struct op *o)
{
	const struct undo_plan *u = &((struct undo_op *)o->data)->u;

	mark_done(o, o->s);
	return o->j != NULL ? undo_journal(o->j, JR_UNDONE, u, &o->s->out) : 0;
}

static void undo_planned(struct op *o);

/* What is there now is read: the plan is built, then the other sessions
 * looked at for the pairs it takes off, a journal a turn, so that a
 * terminal stays live over a journal of big sessions (before: all of
 * them read in one step, 0.18 s each of 200,000 rows). */
static void
undo_read(struct op *o)
{
	struct undo_op *x = o->data;

	undo_plan_build(o->s, x->set, &x->u);
	x->others = undo_shared_begin(o->s, &x->u);
	x->phase = 4;
	o->kind->step(o);
}

/* One other session looked at, and the step asked for again; the plan
 * once they all are. */
static void
undo_look(struct op *o)
{
	struct undo_op *x = o->data;

	if (o->interrupted) {
		op_finish(o, EXIT_INTERRUPTED, "session %s: stopped while it looked at "
		    "the other sessions; nothing was changed", o->s->meta.id);
		return;
	}
	if (undo_shared_step(x->others)) {
		static const char what[] = "the look at the other sessions";
		if (o->calls == NULL)
			(void)op_calls(o, false, what);
		o->calls_what = what;
		o->calls_over = false;     /* a turn, then the next */
		return;
	}
	undo_shared_free(x->others);
	x->others = NULL;
	undo_planned(o);
}

/* The plan, said, and asked. */
static void
undo_planned(struct op *o)
{
	struct undo_op *x = o->data;
	const struct session *s = o->s;

	if (x->u.n == 0) {
		plan_lines(o, false);
		bool unwritten = !x->dry && done_journal(o) != 0;
		/* Rows kept (they stay created), or pairs it made that stay for
		 * the types given since, none of its own left on them (its rows
		 * undone): said as they are (before: "nothing the session wrote
		 * is on the portal now" of both). */
		const char *why = x->u.kept_default > 0 ? "what the session wrote is "
		    "kept, on pairs given types since" : x->u.since > 0 ? "none of what "
		    "the session wrote is left; the pairs it made stay, for the types "
		    "given since (undo the session that gave them first: this undo "
		    "then takes the pairs)" : plan_op_removes(s->plan.op) ?
		    "the pairs hold again what they held before the session" :
		    "nothing the session wrote is on the portal now";
		op_finish(o, unwritten ? EXIT_AUTH : EXIT_ALL_CREATED, "session %s: "
		    "nothing to do: %s%s", s->meta.id, why, x->u.unknown > 0 ? ", but "
		    "for the rows left alone" : "");
		return;
	}
	if (x->dry) {
		plan_lines(o, false);
		op_finish(o, EXIT_ALL_CREATED, "undo %s: dry run, nothing was changed",
		    s->meta.id);
		return;
	}
	struct buf title = BUF_INIT, brief = BUF_INIT;
	buf_printf(&title, "Undo session %s on %s?", s->meta.id, o->c->base_url);
	buf_printf(&brief, "Undo session %s on %s: archive %zu, unlabel %zu, restore "
	    "%zu (%zu Primary back)", s->meta.id, o->c->base_url,
	    x->u.count[UNDO_ARCHIVE], x->u.count[UNDO_UNLABEL],
	    x->u.count[UNDO_RESTORE], undo_primaries(&x->u));
	if (x->u.unknown > 0)
		buf_printf(&brief, "; %zu left alone (no pre-state)", x->u.unknown);
	if (x->u.shared > 0)
		buf_printf(&brief, "; %zu sent by session %s too", x->u.shared,
		    x->u.shared_with);
	if (x->u.later > 0)
		buf_printf(&brief, "; %zu written since by session %s", x->u.later,
		    x->u.later_with);
	buf_addc(&brief, '?');
	op_ask(o, buf_str(&title), buf_str(&brief));
	plan_lines(o, true);
	x->phase = 2;
	buf_free(&title);
	buf_free(&brief);
}

/* Whether a kind of the plan's writes is left to queue (restores, then
 * what is taken off, in order), skipped past those with none. */
static bool
kind_left(struct undo_op *x)
{
	while (x->next_kind < UNDO_KINDS && x->u.count[x->next_kind] == 0)
		x->next_kind++;
	return x->next_kind < UNDO_KINDS;
}

/* The next kind of the plan's writes queued: false once every kind is
 * done. */
static bool
write_next(struct op *o)
{
	struct undo_op *x = o->data;

	if (!kind_left(x))
		return false;
	/* Which acts are done, for an end before the last (taken). */
	if (x->said.done == NULL)
		x->said.done = xcalloc(x->u.n + 1, sizeof(*x->said.done));
	undo_queue_kind(&x->u, o->s, op_calls(o, true, "the undo"), "undo",
	    o->c->api, &x->said, (enum undo_kind)x->next_kind++);
	return true;
}

/* Stopped before its end, or refused in part: the rows its acts answered
 * took back are undone, as journal_load reads them from its requests
 * (journal_mark_undo_taken): a pair archived, or its types taken off (a
 * remove's undo: its pair given back). */
static void
taken(const struct op *o, struct session *s)
{
	const struct undo_op *x = o->data;
	char **keys = xcalloc(x->u.n + 1, sizeof(*keys));
	size_t n = 0;

	for (size_t i = 0; x->said.done != NULL && i < x->u.n; i++) {
		const struct undo_act *a = &x->u.v[i];
		if (x->said.done[i] && undo_kind_takes_back(a->kind, s->plan.op))
			keys[n++] = session_taken_key(a->from, a->to);
	}
	(void)session_mark_taken(s, keys, n);
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

/* A kind of the writes is answered: the next, or the end.  Stopped with
 * its last writes in flight, each answered, nothing was left to stop,
 * and it is done (before: read as interrupted, its rows created, the
 * portal put back). */
static void
undo_wrote(struct op *o)
{
	struct undo_op *x = o->data;
	struct session *s = o->s;
	/* The command that finishes it, as copied (before: "hubassoc resume
	 * (or undo)", no session, no portal). */
	char where[4096], hint[4200];

	snprintf(hint, sizeof(hint), "; hubassoc resume %s%s finishes it",
	    s->meta.id, conn_where(o->c, where, sizeof(where)));
	bool whole = !kind_left(x) && op_calls_whole(o);
	if (!whole && calls_stop_reason(o->calls) != ENGINE_COMPLETE) {
		taken(o, o->s);
		(void)op_calls_ended(o, hint);
		return;
	}
	if (x->said.errors > 0) {
		taken(o, o->s);
		/* Not undone: begun, as one stopped is, for the next undo (or
		 * resume) to finish from what the portal holds. */
		char n[64];
		op_finish(o, EXIT_SOME_FAILED, "session %s: not all undone: the "
		    "portal's answers name %s (%s)%s", s->meta.id,
		    fmt_counted(n, x->said.errors, "error"), x->said.first, hint);
		return;
	}
	if (write_next(o))
		return;
	bool unwritten = done_journal(o) != 0;
	char n1[64], n2[32], n3[32], n4[64];
	op_finish(o, unwritten ? EXIT_AUTH : EXIT_ALL_CREATED, "session %s undone: "
	    "%s archived, %s unlabeled, %s restored, in %s%s", s->meta.id,
	    fmt_counted(n1, x->u.count[UNDO_ARCHIVE], "pair"),
	    fmt_count(n2, x->u.count[UNDO_UNLABEL]),
	    fmt_count(n3, x->u.count[UNDO_RESTORE]),
	    fmt_counted(n4, op_requests(o), "request"),
	    unwritten ? "; the journal could not be written" : "");
}

static void
undo_step(struct op *o)
{
	struct undo_op *x = o->data;
	struct session *s = o->s;

	switch (x->phase) {
	case 0: {
		if (s->nsends == 0) {
			op_finish(o, EXIT_USAGE, "session %s was never sent: there is "
			    "nothing to undo", s->meta.id);
			return;
		}
		if (session_unfinished(s)) {
			/* The command that finishes it, whole (before: "resume
			 * it", none named). */
			char where[4096];
			op_finish(o, EXIT_USAGE, "session %s has a send to finish first: "
			    "hubassoc resume %s%s finishes it, then undo", s->meta.id,
			    s->meta.id, conn_where(o->c, where, sizeof(where)));
			return;
		}
		if (s->meta.undo == SESSION_UNDO_DONE &&
		    s->out.count[OUTCOME_CREATED] == 0 && session_undo_bare_count(s) == 0) {
			/* Its rows are undone, none created since: verify says
			 * whether the undo still holds. */
			char where[4096];
			op_finish(o, EXIT_ALL_CREATED, "session %s was undone already: "
			    "nothing to do (hubassoc verify %s%s says whether "
			    "the undo holds)", s->meta.id, s->meta.id,
			    conn_where(o->c, where, sizeof(where)));
			return;
		}
		/* Begun before it reads: stopped there, it is still an undo to
		 * finish (asking again: nothing was agreed to yet). */
		if (!x->dry && s->meta.undo != SESSION_UNDO_BEGUN) {
			if (o->j != NULL &&
			    undo_journal(o->j, JR_UNDO_BEGUN, NULL, NULL) != 0) {
				op_finish(o, EXIT_AUTH, "session %s: not undone: the journal "
				    "could not be written", s->meta.id);
				return;
			}
			s->meta.undo = SESSION_UNDO_READING;
		}
		const char **ids;
		size_t n = undo_read_ids(s, &ids);
		x->phase = 1;
		if (n > 0) {
			struct buf path = BUF_INIT;
			request_assoc_path(&path, o->c->api, &s->from, &s->to, "batch/read");
			x->set = assocset_new(op_calls(o, !x->dry, "the undo's reading"),
			    "undo", buf_str(&path));
			assocset_read(x->set, ids, n);
			buf_free(&path);
		}
		free(ids);
		if (n == 0)
			undo_read(o);       /* nothing has a pre-state: nothing to read */
		return;
	}
	case 1:
		if (op_calls_ended(o, "; nothing was changed"))
			undo_read(o);
		return;
	case 4:
		undo_look(o);
		return;
	case 3:
		undo_wrote(o);
		return;
	}
}

static void
undo_answer(struct op *o, bool yes)
{
	struct undo_op *x = o->data;

	if (!yes) {
		if (o->j != NULL)
			undo_journal(o->j, JR_UNDO_CANCELLED, NULL, NULL);
		o->s->meta.undo = SESSION_UNDO_NONE;
		op_finish(o, EXIT_USAGE, "session %s: not undone", o->s->meta.id);
		return;
	}
	o->s->meta.undo = SESSION_UNDO_BEGUN;
	if (o->j != NULL && undo_journal(o->j, JR_UNDO, &x->u, NULL) != 0) {
		op_finish(o, EXIT_AUTH, "session %s: not undone: the journal could not "
		    "be written", o->s->meta.id);
		return;
	}
	x->phase = 3;
	x->next_kind = UNDO_RESTORE;
	if (!write_next(o))
		undo_step(o);       /* nothing to write: done */
}

static void
undo_clear(struct op *o)
{
	struct undo_op *x = o->data;

	assocset_free(x->set);
	undo_shared_free(x->others);
	undo_plan_free(&x->u);
	free(x->said.first);
	free(x->said.path);
	free(x->said.done);
	free(x);
}

static const struct op_kind undo_kind = {
	.name = "undo", .step = undo_step, .answer = undo_answer, .clear = undo_clear,
};

void
op_undo_mark(const struct op *o, struct session *s)
{
	if (o->s->meta.undo == SESSION_UNDO_DONE) {
		mark_done(o, s);
	} else if (o->s->meta.undo == SESSION_UNDO_BEGUN) {
		/* Stopped half way: what its answered writes took back. */
		s->meta.undo = SESSION_UNDO_BEGUN;
		taken(o, s);
	}
}

struct op *
op_undo(struct conn *c, struct journal *j, struct session *s, bool dry)
{
	struct undo_op *x = xcalloc(1, sizeof(*x));

	x->dry = dry;
	return op_start(&undo_kind, c, j, s, x);
}

const struct undo_plan *
op_undo_plan(const struct op *o)
{
	const struct undo_op *x = o->data;

	return x->phase >= 2 || o->done ? &x->u : NULL;
}
