/* resend.c: R, the session's next send: the rows that failed or were not
 * sent, and those fixed in the pairs since, asked about, then sent as the
 * session's next send in its own journal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"
#include "tui.h"

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
	s = &r->session;
	if (!yes) {
		app_status(a, false, "not sent");
		app_run_free(r);
		return;
	}
	for (size_t i = 0; i < r->nagain; i++) {
		if (r->edits[i] == NULL)
			continue;
		if (journal_edit(r->journal, r->again[i], r->edits[i]) != 0)
			cause = xasprintf("cannot write %s: %s", r->journal_path,
			    strerror(errno));
		if (cause != NULL ||
		    session_apply_edit(s, r->again[i], r->edits[i], &cause) != 0)
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
	char *cause = NULL;

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
	/* The session as its journal has it, held for sending. */
	struct run *r = app_run_alloc();
	if (work_is(a, cur->journal_path)) {
		r->journal = a->ws.j;
		r->journal_borrowed = true;
	} else
		r->journal = journal_reopen(cur->journal_path, &cause);
	if (r->journal == NULL ||
	    journal_load(cur->journal_path, &r->session, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return;
	}
	struct session *s = &r->session;
	app_run_of_session(r, cur->journal_path);
	if (cur->pair != NULL && s->in->nrows == cur->in->nrows) {
		r->pair = xcalloc(s->in->nrows + 1, sizeof(*r->pair));
		memcpy(r->pair, cur->pair, s->in->nrows * sizeof(*r->pair));
	}
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
	if (session_unfinished(s)) {
		app_status(a, true, "send %zu of session %s was interrupted: r in the "
		    "history resumes it first", s->nsends, r->id);
		app_run_free(r);
		return;
	}
	size_t total = rows != NULL ? n : s->in->nrows, fixed = 0, unfit = 0;
	r->again = xcalloc(total + 1, sizeof(*r->again));
	r->edits = xcalloc(total + 1, sizeof(*r->edits));
	for (size_t k = 0; k < total; k++) {
		uint32_t row = rows != NULL ? rows[k] : (uint32_t)k;
		enum outcome o = (enum outcome)s->out.state[row];
		char *text;
		if (o != OUTCOME_FAILED && o != OUTCOME_NOT_SENT && o != OUTCOME_INVALID)
			continue;
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
		app_status(a, unfit > 0, unfit > 0 ? "nothing to send again: %zu "
		    "changed row%s not valid as %s read%s now" : "nothing to send again: "
		    "no row failed, was not sent, or was fixed since", unfit,
		    plural_s(unfit), unfit == 1 ? "it" : "they", unfit == 1 ? "s" : "");
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
	for (size_t i = 0; i < r->nagain; i++)
		changed[i] = r->edits[i] != NULL;
	struct send_plan sp = { .kind = SEND_AGAIN, .in = r->in, .plan = r->plan,
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

