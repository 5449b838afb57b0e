/* resend.c: the session's next send, in its own journal.  R: the rows
 * that failed or were not sent, and those fixed in the pairs since, asked
 * about, then sent.  S after a send (app_send_next): the pairs pasted or
 * fixed since join the session, and it sends what it has not created. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"
#include "tui.h"

void
app_say_undone(struct app *a, const char *id, const char *path)
{
	/* S sends the pairs on screen: the session's only when they are its
	 * (before: said of a session opened from History too, whose rows are
	 * not the pairs). */
	if (work_is(a, path))
		app_status(a, true, "session %s was undone: S sends the pairs as a new "
		    "session", id);
	else {
		/* Copied, it opens them here (before: without --sandbox, on
		 * HubSpot's portal). */
		char where[4096];
		app_status(a, true, "session %s was undone: its rows go again as a new "
		    "session (hubassoc --session %s%s opens them as the pairs)", id, id,
		    conn_where(&a->conn, where, sizeof(where)));
	}
}

bool
app_last_declined(const struct session *s)
{
	const char *state = s->nsends > 0 ? s->sends[s->nsends - 1].state : NULL;

	return state != NULL && strcmp(state, "declined") == 0;
}

/* A send declined wrote nothing: S and R ask it again, as r in the
 * history does, the pairs deleted since left out (before: refused, "r in
 * the history asks again").  r, held to look, goes first. */
static void
ask_declined_again(struct app *a, struct run *r, const char *journal_path)
{
	char *path = xstrdup(journal_path);

	app_run_free(r);
	app_open_session(a, path, true);
	free(path);
}

/* A session whose last send has rows to settle: declined (its plan not
 * agreed to; r asks again) or interrupted (r resumes it), said as it
 * was (before: "interrupted" of a declined one). */
static void
say_unfinished(struct app *a, const struct session *s, const char *id)
{
	bool declined = app_last_declined(s);

	app_status(a, true, "send %zu of session %s was %s: r in the history %s",
	    s->nsends, id, declined ? "declined" : "interrupted", declined ?
	    "asks again" : "resumes it first");
}

/* What R does with a session row whose pair was changed in the pairs. */
enum fix {
	FIX_NONE,        /* no pair, or it reads as the session has it */
	FIX_TEXT,        /* changed, valid and resolved: its edit's text */
	FIX_UNFIT,       /* changed, and not valid to send as it reads now */
};

/* Compares a session row with its pair as it reads now; a changed pair
 * that the pairs' plan sends gets the edit's text, types resolved. */
static enum fix
row_fix(struct app *a, const struct run *r, size_t row, char **text)
{
	size_t p = app_pair_of_run(a, r, row);

	*text = NULL;
	if (p == SIZE_MAX || app_reads_as_sent(a, r, row, p))
		return FIX_NONE;
	const struct input_row *pr = &a->ws.pairs->rows[p];
	app_replan(a);
	if (!app_pairs_planned(a) ||
	    a->plan.state[p] != PLAN_SEND || !objtype_same(&a->ws.from, &r->plan->from) ||
	    !objtype_same(&a->ws.to, &r->plan->to))
		return FIX_UNFIT;
	const struct plan_types *t = plan_row_types(&a->plan, a->ws.pairs, p);
	for (size_t i = 0; i < t->n; i++)
		if (t->specs[i].cat == ASSOC_CAT_LABEL)
			return FIX_UNFIT;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s,%s,", input_from(a->ws.pairs, pr), input_to(a->ws.pairs, pr));
	app_row_types_text(&a->plan, a->ws.pairs, p, &b);
	*text = buf_detach(&b);
	return FIX_TEXT;
}

/* The keys row's pair reads by now (its fix's, row_fix), FROM's and
 * TO's, NULL for an ID: kept with the edit (before: lost, and the fixed
 * row's export had no key). */
static void
pair_keys(const struct app *a, const struct run *r, size_t row, const char *keys[2])
{
	size_t p = app_pair_of_run(a, r, row);
	const struct input_row *x = p != SIZE_MAX ? &a->ws.pairs->rows[p] : NULL;

	for (int side = 0; side < 2; side++)
		keys[side] = x != NULL && (x->flags & INPUT_ROW_KEYS) ?
		    input_row_key(a->ws.pairs, x, side) : NULL;
}

/* The current session as its journal has it, held for sending (the
 * working set's journal, when it is its), its rows found among the pairs
 * as cur's were.  NULL: said why. */
static struct run *
held_session(struct app *a, const struct run *cur)
{
	struct run *r = app_run_alloc();
	char *cause = NULL;

	if (work_is(a, cur->journal_path)) {
		r->journal = a->ws.j;
		r->journal_borrowed = true;
	} else
		r->journal = journal_reopen(cur->journal_path, &cause);
	if (r->journal == NULL ||
	    journal_load(cur->journal_path, r->s, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return NULL;
	}
	app_run_of_session(r, cur->journal_path);
	if (cur->pair != NULL && r->in->nrows == cur->in->nrows) {
		r->pair = xcalloc(r->in->nrows + 1, sizeof(*r->pair));
		memcpy(r->pair, cur->pair, r->in->nrows * sizeof(*r->pair));
	}
	return r;
}

/* A yes: the edits, then the send's record, then the engine. */
static void
again_confirmed(struct app *a, bool yes)
{
	struct run *r = a->pending;
	struct session *s;
	char *cause = NULL;

	a->pending = NULL;
	if (r == NULL)
		return;
	s = r->s;
	if (!yes) {
		app_status(a, false, "not sent");
		app_run_free(r);
		return;
	}
	for (size_t i = 0; i < r->nagain; i++) {
		const char *keys[2];
		if (r->edits[i] == NULL)
			continue;
		pair_keys(a, r, r->again[i], keys);
		if (journal_edit(r->journal, r->again[i], r->edits[i], keys) != 0)
			cause = xasprintf("cannot write %s: %s", r->journal_path,
			    strerror(errno));
		if (cause != NULL ||
		    session_apply_edit(s, r->again[i], r->edits[i], keys, &cause) != 0)
			goto fail;
		session_row_names(s, r->again[i], a->ws.names, r->named);
	}
	/* The fixed rows' records' names new to the session, as the pairs
	 * know them. */
	if (journal_names(r->journal, r->named) != 0) {
		cause = xasprintf("cannot write %s: %s", r->journal_path, strerror(errno));
		goto fail;
	}
	unsigned send = (unsigned)s->nsends + 1;
	if (session_send_next(s, r->journal, "retry", "failed,not_sent,edited",
	    r->again, r->nagain, &cause) != 0)
		goto fail;
	app_set_run(a, r);
	app_status(a, false, "session %s, send %u: sending", r->id, send);
	app_send_run(a, r);
	return;
fail:
	app_status(a, true, "%s", cause);
	free(cause);
	app_run_free(r);
}

/*
 * R: the session's next send, in its own journal, as hubassoc retry: the
 * given rows of the current session (NULL: every row), those that failed
 * or were not sent, and those that failed or were invalid and whose pair
 * was fixed since.  Nothing created goes again.  Asks first.
 */
static void
send_again(struct app *a, const uint32_t *rows, size_t n)
{
	const struct run *cur = a->run;

	if (cur == NULL) {
		app_status(a, true, "nothing was sent yet: S sends the pairs");
		return;
	}
	/* A row fixed by a key (an email for a contact that was not found):
	 * looked up first, as S does, then R goes on. */
	if (!cur->running && a->ws.have_from && a->ws.have_to && app_ready_to_send(a) &&
	    a->plan.keys > 0) {
		uint32_t *keep = rows != NULL ? xcalloc(n + 1, sizeof(*keep)) : NULL;
		if (keep != NULL)
			memcpy(keep, rows, n * sizeof(*keep));
		if (app_look_up_keys(a, send_again)) {
			if (a->lookup_then != NULL) {
				a->lookup_rows = keep;
				a->lookup_nrows = n;
			} else
				free(keep);
			return;
		}
		free(keep);
	}
	if (cur->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return;
	}
	if (!a->connected) {
		app_status(a, true, "not connected: %s", a->conn_error != NULL ?
		    a->conn_error : "no token");
		return;
	}
	struct run *r = held_session(a, cur);
	if (r == NULL)
		return;
	app_take_lookups(a, r);
	struct session *s = r->s;
	if (!app_check_here(a, &s->meta, "retry")) {
		app_run_free(r);
		return;
	}
	if (s->nsends == 0) {
		app_status(a, true, "session %s has not been sent yet: S sends its "
		    "pairs (--session %s opens them)", r->id, r->id);
		app_run_free(r);
		return;
	}
	if (s->meta.undo == SESSION_UNDO_DONE) {
		/* Not written again in a session taken back (before: R sent
		 * its failed rows as its next send). */
		app_say_undone(a, r->id, cur->journal_path);
		app_run_free(r);
		return;
	}
	if (session_unfinished(s)) {
		if (app_last_declined(s) && rows == NULL) {
			ask_declined_again(a, r, cur->journal_path);
			return;
		}
		say_unfinished(a, s, r->id);
		app_run_free(r);
		return;
	}
	size_t total = rows != NULL ? n : s->in->nrows, fixed = 0, unfit = 0, gone = 0;
	r->again = xcalloc(total + 1, sizeof(*r->again));
	r->edits = xcalloc(total + 1, sizeof(*r->edits));
	for (size_t k = 0; k < total; k++) {
		uint32_t row = rows != NULL ? rows[k] : (uint32_t)k;
		enum outcome o = (enum outcome)s->out.state[row];
		char *text;
		if (o != OUTCOME_FAILED && o != OUTCOME_NOT_SENT && o != OUTCOME_INVALID)
			continue;
		/* A pair deleted from the pairs is not sent again, unless
		 * marked in Results (before: R sent it). */
		if (rows == NULL && ((s->retired != NULL && s->retired[row]) ||
		    (r->pair != NULL && app_pair_of_run(a, r, row) == SIZE_MAX))) {
			gone++;
			continue;
		}
		enum fix f = row_fix(a, r, row, &text);
		if (f == FIX_UNFIT || (o == OUTCOME_INVALID && f == FIX_NONE)) {
			unfit += f == FIX_UNFIT;
			continue;
		}
		r->edits[r->nagain] = text;
		r->again[r->nagain++] = row;
		fixed += text != NULL;
	}
	if (r->nagain == 0) {
		char del[96] = "";
		if (gone > 0)
			snprintf(del, sizeof(del), " (%zu deleted from the pairs: m marks "
			    "them in Results)", gone);
		if (unfit > 0)
			app_status(a, true, "nothing to send again: %zu changed row%s not "
			    "valid as %s read%s now%s", unfit, plural_s(unfit), unfit == 1 ?
			    "it" : "they", unfit == 1 ? "s" : "", del);
		else
			app_status(a, false, "nothing to send again: no row failed, was not "
			    "sent, or was fixed since%s", del);
		app_run_free(r);
		return;
	}
	/* Primary among the types they go with: the session's, or a fixed
	 * row's as the pairs resolve it. */
	unsigned flags = plan_rows_flags(r->plan, r->in, r->again, r->nagain);
	for (size_t i = 0; i < r->nagain; i++) {
		size_t p = r->edits[i] != NULL ? app_pair_of_run(a, r, r->again[i]) : SIZE_MAX;
		if (p != SIZE_MAX)
			flags |= plan_rows_flags(&a->plan, a->ws.pairs, (uint32_t[]){ (uint32_t)p }, 1);
	}
	/* A fixed row's pair is another now: what was read of it is not. */
	bool *changed = xcalloc(r->nagain + 1, sizeof(*changed));
	size_t sent_before = 0;
	for (size_t i = 0; i < r->nagain; i++) {
		changed[i] = r->edits[i] != NULL;
		sent_before += s->tries[r->again[i]] > 0;
	}
	/* "again" of rows a send held before: not of invalid rows fixed
	 * (before: "2 pairs again" when one never left). */
	struct send_plan sp = { .kind = sent_before > 0 ? SEND_AGAIN : SEND_FIRST,
	    .again = sent_before,
	    .in = r->in, .plan = r->plan,
	    .rows = r->again, .n = r->nagain, .changed = changed, .pre = &s->pre,
	    .session = r->id, .send = s->nsends + 1, .fixed = fixed, .unfit = unfit,
	    .flags = flags };
	/* A remove's or a relabel's send asks with its own plan (op_send). */
	if (r->plan->op != PLAN_OP_CREATE) {
		app_run_free(a->pending);
		a->pending = r;
		again_confirmed(a, true);
	} else {
		app_ask_to_run(a, r, &sp, again_confirmed);
	}
	free(changed);
}

void
app_resend_run_rows(struct app *a, const uint32_t *rows, size_t n)
{
	send_again(a, rows, n);
}

void
app_resend_failed(struct app *a)
{
	send_again(a, NULL, 0);
}

/* S's next send is agreed to (op_send's begin): the rows added since,
 * their names, the edits and the send's record go to the session's
 * journal, in the order they were made; the views show the run. */
static struct journal *
begin_next(void *arg, char **cause)
{
	struct app *a = arg;
	struct run *r = a->pending;
	struct session *s = r->s;

	if (r->added_from < s->in->nrows && journal_rows_added(r->journal, s->in,
	    &r->fresh, r->added_from, r->sets_from) != 0)
		goto fail;
	for (size_t i = 0; i < r->nagain; i++) {
		const char *keys[2];
		pair_keys(a, r, r->again[i], keys);
		if (r->edits[i] != NULL && journal_edit(r->journal, r->again[i],
		    r->edits[i], keys) != 0)
			goto fail;
	}
	/* The names of the rows added and fixed (app_send_next took them). */
	if ((r->added_from < s->in->nrows && journal_names(r->journal, s->names) != 0) ||
	    journal_names(r->journal, r->named) != 0)
		goto fail;
	if (journal_resend(r->journal, (unsigned)s->nsends, "send", NULL, r->again,
	    r->nagain, cause) != 0)
		return NULL;
	app_run_sending(a, r);
	app_status(a, false, "session %s, send %zu: sending", r->id, s->nsends);
	return r->journal;
fail:
	*cause = xasprintf("cannot write %s: %s", r->journal_path, strerror(errno));
	return NULL;
}

/* How the pairs stand against the session's rows (r's, as loaded). */
struct next_diff {
	uint32_t *pair_of;        /* per session row: its pair, or UINT32_MAX */
	char **text;              /* per old row: its fixed text, or NULL */
	uint32_t *added;          /* the pairs the session lacks, in order */
	size_t nadded;
	size_t old, fixed, unfit;
};

static void
next_diff_free(struct next_diff *d)
{
	for (size_t i = 0; d->text != NULL && i < d->old; i++)
		free(d->text[i]);
	free(d->text);
	free(d->pair_of);
	free(d->added);
}

/* Finds each pair's session row and what changed; false when the pairs
 * cannot go on in the session: a pair it holds on the portal was
 * changed, or a pair is missing from it out of its lines' order. */
static bool
next_diff(struct app *a, struct run *r, struct next_diff *d)
{
	const struct input *ws = a->ws.pairs;
	const struct session *s = r->s;
	uint32_t last = d->old > 0 ? s->in->rows[d->old - 1].line : 0;

	d->pair_of = xcalloc(d->old + ws->nrows + 1, sizeof(*d->pair_of));
	d->text = xcalloc(d->old + 1, sizeof(*d->text));
	d->added = xcalloc(ws->nrows + 1, sizeof(*d->added));
	for (size_t i = 0; i < d->old + ws->nrows; i++)
		d->pair_of[i] = UINT32_MAX;
	for (size_t p = 0; p < ws->nrows; p++) {
		size_t rr = app_row_of_pair_in(a, r, p);
		if (rr == SIZE_MAX) {
			if (ws->rows[p].line <= last)
				return false;
			d->added[d->nadded++] = (uint32_t)p;
			continue;
		}
		d->pair_of[rr] = (uint32_t)p;
		if (app_reads_as_sent(a, r, rr, p))
			continue;
		/* What it created is kept as it is, and a repeat (sent with
		 * its first) is no row of its own to fix: as other pairs. */
		if (outcomes_held(&s->out, rr) || s->plan.state[rr] == PLAN_DUPLICATE)
			return false;
		if (row_fix(a, r, rr, &d->text[rr]) == FIX_UNFIT)
			d->unfit++;
		else
			d->fixed++;
	}
	return true;
}

/* The pairs new to the session join it, planned against its rows. */
static int
next_add(struct app *a, struct run *r, struct next_diff *d, char **cause)
{
	struct session *s = r->s;

	r->added_from = s->in->nrows;
	r->sets_from = s->in->nsets;
	for (size_t k = 0; k < d->nadded; k++)
		d->pair_of[r->added_from + k] = d->added[k];
	return workset_to_session(&a->ws, s, d->added, d->nadded, &a->labels,
	    s->plan.chunk_size, a->conn.api, &r->fresh, cause);
}

const char *
app_other_choices(const struct session *s)
{
	/* A send asked about and declined sent nothing (before: "was sent"
	 * of it too). */
	bool sent = false;

	for (size_t k = 0; k < s->nsends; k++)
		sent |= s->sends[k].state == NULL || strcmp(s->sends[k].state,
		    "declined") != 0;
	return sent ? "was sent with other choices" : "was declined with other choices";
}

/* Why the pairs cannot go on in session r, in the words of S's question
 * ("session new: session ID was undone"); "" when there are none to say
 * (it was never sent, or went to another portal, which the question says
 * itself); NULL when they go on, what changed in d. */
static const char *
not_next(struct app *a, struct run *r, struct next_diff *d)
{
	const struct session *s = r->s;

	if (s->nsends == 0 || r->pair == NULL || !app_sends_here(a, &s->meta))
		return "";
	if (s->meta.undo != SESSION_UNDO_NONE)
		return "was undone";
	if (!plan_same_choice(&a->plan, &s->plan))
		return app_other_choices(s);
	if (!next_diff(a, r, d))
		return "holds pairs changed since";
	return NULL;
}

bool
app_send_next(struct app *a, const char **why)
{
	const struct run *cur = a->run;
	char *cause = NULL;

	*why = NULL;
	if (!a->ws.sent || cur == NULL || cur->running || cur->pair == NULL ||
	    !work_is(a, cur->journal_path))
		return false;
	if (!app_ready_to_send(a))
		return true;
	struct run *r = held_session(a, cur);
	if (r == NULL)
		return true;
	struct session *s = r->s;
	struct next_diff d = { .old = s->in->nrows };
	const char *no = not_next(a, r, &d);
	if (no != NULL) {
		/* The next session's, as a send of other pairs. */
		*why = no[0] != '\0' ? no : NULL;
		next_diff_free(&d);
		app_run_free(r);
		return false;
	}
	if (session_unfinished(s)) {
		if (app_last_declined(s)) {
			next_diff_free(&d);
			ask_declined_again(a, r, cur->journal_path);
			return true;
		}
		say_unfinished(a, s, r->id);
		goto done;
	}
	if (next_add(a, r, &d, &cause) != 0)
		goto done;
	for (size_t i = 0; i < d.old; i++) {
		const char *keys[2];
		if (d.text[i] == NULL)
			continue;
		pair_keys(a, r, i, keys);
		if (session_apply_edit(s, (uint32_t)i, d.text[i], keys, &cause) != 0)
			goto done;
		session_row_names(s, i, a->ws.names, r->named);
	}
	/* What it has not created: the rows new or fixed, and those that
	 * failed or were not sent; not those gone from the pairs. */
	size_t created = 0;
	r->again = xcalloc(s->in->nrows + 1, sizeof(*r->again));
	r->edits = xcalloc(s->in->nrows + 1, sizeof(*r->edits));
	for (size_t i = 0; i < s->in->nrows; i++) {
		enum outcome o = (enum outcome)s->out.state[i];
		bool fixed = i < d.old && d.text[i] != NULL;
		if (d.pair_of[i] == UINT32_MAX || (s->plan.state[i] != PLAN_SEND &&
		    s->plan.state[i] != PLAN_EARLIER))
			continue;
		if (fixed || o == OUTCOME_PENDING || o == OUTCOME_FAILED ||
		    o == OUTCOME_NOT_SENT) {
			r->edits[r->nagain] = fixed ? d.text[i] : NULL;
			if (fixed)
				d.text[i] = NULL;
			r->again[r->nagain++] = (uint32_t)i;
		} else
			created += o == OUTCOME_CREATED;
	}
	if (r->nagain == 0) {
		if (d.unfit > 0)
			app_status(a, true, "nothing to send: %zu changed pair%s not valid "
			    "as %s read%s now", d.unfit, plural_s(d.unfit), d.unfit == 1 ?
			    "it" : "they", d.unfit == 1 ? "s" : "");
		else if (created > 0)
			app_status(a, false, "every pair was %s in session %s; nothing to "
			    "send", outcome_word(OUTCOME_CREATED, s->plan.op), r->id);
		else
			app_status(a, true, "no valid pair to send");
		goto done;
	}
	if (session_apply_send(s, "send", NULL, NULL, r->again, r->nagain, &cause) != 0)
		goto done;
	free(r->pair);
	r->pair = d.pair_of;
	d.pair_of = NULL;
	r->left_out = created;
	r->ask = (struct send_plan){ .kind = SEND_FIRST, .send = s->nsends,
	    .session = r->id, .created = created, .fixed = d.fixed };
	next_diff_free(&d);
	app_ask_send(a, r, begin_next);
	return true;
done:
	if (cause != NULL) {
		app_status(a, true, "%s", cause);
		free(cause);
	}
	next_diff_free(&d);
	app_run_free(r);
	return true;
}
