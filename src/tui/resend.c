/* resend.c: the session's next send, in its own journal.  R: the rows
 * that failed or were not sent, and those edited since, asked about, then
 * sent.  S after a send (app_send_next): the pairs pasted since join the
 * session, and it sends what it has not created.  The working set's
 * session is the pairs themselves: what they read is what goes. */
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

/* A session other than the pairs' (opened from the history) as its
 * journal has it, held for sending.  NULL: said why. */
static struct run *
held_session(struct app *a, const struct run *cur)
{
	struct run *r = app_run_alloc();
	char *cause = NULL;

	r->journal = journal_reopen(cur->journal_path, &cause);
	if (r->journal == NULL ||
	    journal_load(cur->journal_path, r->s, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return NULL;
	}
	app_run_of_session(r, cur->journal_path);
	return r;
}

/* A yes: the pairs added since join the session (its own), then the
 * send's record, then the engine. */
static void
again_confirmed(struct app *a, bool yes)
{
	struct run *r = a->pending;
	char *cause = NULL;

	a->pending = NULL;
	if (r == NULL)
		return;
	if (!yes) {
		app_status(a, false, "not sent");
		app_run_free(r);
		return;
	}
	unsigned send = (unsigned)r->s->nsends + 1;
	if ((app_run_is_work(a, r) && workset_join(&a->ws, &cause) != 0) ||
	    session_send_next(r->s, r->journal, "retry", "failed,not_sent,edited",
	    r->again, r->nagain, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		if (app_run_is_work(a, a->run))
			(void)work_reload(a);
		return;
	}
	app_set_run(a, r);
	app_status(a, false, "session %s, send %u: sending", r->id, send);
	app_send_run(a, r);
}

/*
 * R: the session's next send, in its own journal, as hubassoc retry: the
 * given rows of the current session (NULL: every row), those that failed
 * or were not sent, and those edited since that are pairs to send.
 * Nothing created goes again.  Asks first.
 */
static void
send_again(struct app *a, const uint32_t *rows, size_t n)
{
	const struct run *cur = a->run;

	if (cur == NULL) {
		app_status(a, true, "nothing was sent yet: S sends the pairs");
		return;
	}
	bool work = app_run_is_work(a, cur);
	/* A row edited with a key (an email for a contact that was not
	 * found): looked up first, as S does, then R goes on. */
	if (work && !cur->running && a->ws.have_from && a->ws.have_to &&
	    app_ready_to_send(a) && a->ws.keys > 0) {
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
	struct run *r = work ? app_run_of_work(a) : held_session(a, cur);
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
	size_t nrows = work ? a->ws.joined : s->in->nrows;
	struct retry_pick pick;
	session_retry_pick(s, 1u << OUTCOME_FAILED | 1u << OUTCOME_NOT_SENT |
	    1u << OUTCOME_EDITED, rows, n, nrows, &pick);
	size_t edited = 0, unfit = pick.unfit, gone = pick.gone;
	r->again = pick.rows;
	r->nagain = pick.n;
	for (size_t i = 0; i < r->nagain; i++)
		edited += s->out.state[r->again[i]] == OUTCOME_EDITED;
	if (r->nagain == 0) {
		char del[96] = "";
		if (gone > 0)
			snprintf(del, sizeof(del), " (%zu deleted from the pairs: m marks "
			    "them in Results)", gone);
		if (unfit > 0)
			app_status(a, true, "nothing to send again: %zu edited row%s not "
			    "valid as %s read%s now%s", unfit, plural_s(unfit), unfit == 1 ?
			    "it" : "they", unfit == 1 ? "s" : "", del);
		else
			app_status(a, false, "nothing to send again: no row failed, was not "
			    "sent, or was edited since%s", del);
		app_run_free(r);
		return;
	}
	unsigned flags = plan_rows_flags(r->plan, r->in, r->again, r->nagain);
	/* An edited row's pair is another now: what was read of it is not. */
	bool *changed = xcalloc(r->nagain + 1, sizeof(*changed));
	size_t sent_before = 0;
	for (size_t i = 0; i < r->nagain; i++) {
		changed[i] = s->out.state[r->again[i]] == OUTCOME_EDITED;
		sent_before += s->tries[r->again[i]] > 0 && !changed[i];
	}
	/* "again" of the pairs a send held before: not of rows edited since,
	 * which are other pairs now (before: "2 pairs again" of a row fixed). */
	/* The pairs pasted since, which S sends, not R: said, not left out
	 * unsaid (before: "6 to send" in Pairs, "Send 2 pairs" asked). */
	size_t pasted = 0;
	for (size_t i = nrows; work && i < a->ws.pairs->nrows && i < s->out.n; i++)
		pasted += s->plan.state[i] == PLAN_EARLIER && s->out.state[i] == OUTCOME_PENDING;
	struct send_plan sp = { .kind = sent_before > 0 ? SEND_AGAIN : SEND_FIRST,
	    .again = sent_before, .pasted = pasted,
	    .in = r->in, .plan = r->plan,
	    .rows = r->again, .n = r->nagain, .changed = changed, .pre = &s->pre,
	    .session = r->id, .send = s->nsends + 1, .fixed = edited, .unfit = unfit,
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

/* S's next send is agreed to (op_send's begin): the pairs added since
 * join the session, with their names, then the send's record; the views
 * show the run. */
static struct journal *
begin_next(void *arg, char **cause)
{
	struct app *a = arg;
	struct run *r = a->pending;
	struct session *s = r->s;

	if (workset_join(&a->ws, cause) != 0)
		return NULL;
	if (journal_resend(r->journal, (unsigned)s->nsends, "send", NULL, r->again,
	    r->nagain, cause) != 0)
		return NULL;
	app_run_sending(a, r);
	app_status(a, false, "session %s, send %zu: sending", r->id, s->nsends);
	return r->journal;
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

/* Why the pairs cannot go on in their session, in the words of S's
 * question ("session new: session ID was undone"); "" when there are none
 * to say (it went to another portal, which the question says itself);
 * NULL when they go on. */
static const char *
not_next(struct app *a)
{
	const struct session *s = &a->ws.s;

	if (!app_sends_here(a, &s->meta))
		return "";
	if (s->meta.undo != SESSION_UNDO_NONE)
		return "was undone";
	return NULL;
}

bool
app_send_next(struct app *a, const char **why)
{
	struct session *s = &a->ws.s;
	const char *no;
	char *cause = NULL;

	*why = NULL;
	if (!a->ws.sent || s->nsends == 0)
		return false;
	if ((no = not_next(a)) != NULL) {
		/* The next session's, as a send of other pairs. */
		*why = no[0] != '\0' ? no : NULL;
		return false;
	}
	if (session_unfinished(s)) {
		if (app_last_declined(s)) {
			struct run *r = app_run_of_work(a);
			ask_declined_again(a, r, journal_path(a->ws.j));
			return true;
		}
		say_unfinished(a, s, a->ws.id);
		return true;
	}
	app_replan(a);
	if (!app_pairs_planned(a)) {
		app_status(a, true, "%s", a->plan_error != NULL ? a->plan_error :
		    "choose the association types: y");
		return true;
	}
	/* What it has not created: the pairs added since, those edited, and
	 * those that failed or were not sent; not those deleted. */
	size_t created = 0, edited = 0, n = a->ws.pairs->nrows;
	uint32_t *rows = xcalloc(n + 1, sizeof(*rows));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		enum outcome o = (enum outcome)s->out.state[i];
		if (!workset_shown(&a->ws, i) || (s->plan.state[i] != PLAN_SEND &&
		    s->plan.state[i] != PLAN_EARLIER))
			continue;
		if (o == OUTCOME_PENDING || o == OUTCOME_FAILED || o == OUTCOME_NOT_SENT ||
		    o == OUTCOME_EDITED) {
			edited += o == OUTCOME_EDITED;
			rows[k++] = (uint32_t)i;
		} else
			created += o == OUTCOME_CREATED;
	}
	if (k == 0) {
		if (created > 0)
			app_status(a, false, "every pair was %s in session %s; nothing to "
			    "send", outcome_word(OUTCOME_CREATED, s->plan.op), a->ws.id);
		else
			app_status(a, true, "no valid pair to send");
		free(rows);
		return true;
	}
	struct run *r = app_run_of_work(a);
	r->again = rows;
	r->nagain = k;
	if (session_apply_send(s, "send", NULL, NULL, rows, k, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		(void)work_reload(a);
		return true;
	}
	r->left_out = created;
	r->ask = (struct send_plan){ .kind = SEND_FIRST, .send = s->nsends,
	    .session = r->id, .created = created, .fixed = edited };
	app_ask_send(a, r, begin_next);
	return true;
}
