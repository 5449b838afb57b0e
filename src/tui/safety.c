/* safety.c: verify (V) and undo (u) of a session, from the History view:
 * the core's operations (op.h), turned by the event loop, the session
 * held while they go on. */
#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"
#include "tui.h"

/* The session an operation is of: read, its journal held. */
struct safety {
	struct run *r;
};

void
app_safety_free(struct app *a)
{
	struct safety *op = a->safety;

	if (op == NULL)
		return;
	app_run_free(op->r);
	free(op);
	a->safety = NULL;
}

/* A session to verify or undo: read, held, sent to where this terminal
 * sends, nothing else under way.  NULL after saying why. */
static struct run *
held_session(struct app *a, const char *path, const char *what)
{
	struct run *r;

	if (app_busy(a))
		return NULL;
	if ((r = app_session_run(a, path, true)) == NULL)
		return NULL;
	if (!app_check_here(a, &r->s->meta, what)) {
		app_run_free(r);
		return NULL;
	}
	/* The pairs' own session: the pairs added since join it first, so
	 * that what its records count is what its journal holds. */
	char *cause = NULL;
	if (app_run_is_work(a, r) && workset_join(&a->ws, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return NULL;
	}
	return r;
}

/* The operation is done: the session shown as it is now, its journal let
 * go. */
static void
op_show(struct app *a)
{
	struct run *r = a->safety->r;

	if (!r->journal_borrowed)
		journal_close(r->journal);
	r->journal = NULL;
	view_history_reload(&a->views[VIEW_HISTORY]);
	if (a->run != NULL && a->run->journal_path != NULL &&
	    strcmp(a->run->journal_path, r->journal_path) == 0) {
		/* The session shown already (the pairs' own): it stays, with
		 * what was found. */
		if (r->verdict != NULL) {
			app_run_verified_free(a->run);
			a->run->verdict = r->verdict;
			a->run->verify_said = r->verify_said;
			r->verdict = NULL;
			r->verify_said = NULL;
		}
		app_safety_free(a);
		view_results_rebuild(&a->views[VIEW_RESULTS]);
		app_show(a, VIEW_RESULTS);
		return;
	}
	a->safety->r = NULL;
	app_safety_free(a);
	app_set_run(a, r);
}

/* Starts the operation of the session r; false when it could not be. */
static void
safety_start(struct app *a, struct run *r, struct op *o, void (*then)(struct app *))
{
	struct safety *op = xcalloc(1, sizeof(*op));

	op->r = r;
	a->safety = op;
	if (!app_op_start(a, o, then))
		app_safety_free(a);
	else if (a->op != NULL && op_busy_with(a->op) != NULL)
		/* (Done at once, it is freed and has said why.) */
		app_status(a, false, "session %s: %s... (C-c stops it)", r->id,
		    op_busy_with(a->op));
}

/* ---- verify ----------------------------------------------------------- */

static void
verify_done(struct app *a)
{
	struct run *r = a->safety->r;
	size_t count[VERIFY_COUNT];
	const uint8_t *verdict = op_verify_verdicts(a->op, count);

	if (verdict == NULL) {
		/* Nothing verified: the session stays as it was shown. */
		app_safety_free(a);
		return;
	}
	r->verdict = xcalloc(r->in->nrows + 1, sizeof(*r->verdict));
	memcpy(r->verdict, verdict, r->in->nrows);
	/* What the portal holds of each row it does not confirm: for the
	 * row's view (v), its reason, and the filter. */
	r->verify_said = xcalloc(r->in->nrows + 1, sizeof(*r->verify_said));
	for (size_t i = 0; i < r->in->nrows; i++) {
		if (verdict[i] >= VERIFY_COUNT || verdict[i] == VERIFY_CONFIRMED)
			continue;
		struct buf b = BUF_INIT;
		op_verify_describe(a->op, i, objtype_same(&a->ws.from, &r->s->from) &&
		    objtype_same(&a->ws.to, &r->s->to) ? &a->labels : NULL, &b);
		r->verify_said[i] = buf_detach(&b);
	}
	op_show(a);
}

void
app_verify_session(struct app *a, const char *path)
{
	struct run *r = held_session(a, path, "verify");

	if (r != NULL)
		safety_start(a, r, op_verify(&a->conn, r->journal, r->s),
		    verify_done);
}

/* ---- undo ------------------------------------------------------------- */

static void
undo_done(struct app *a)
{
	struct run *r = a->safety->r;

	/* The session shown takes what the undo did too: undone, or half
	 * (before: stopped, its rows read created until reopened). */
	bool shown = a->run != NULL && a->run != r && a->run->journal_path != NULL &&
	    strcmp(a->run->journal_path, r->journal_path) == 0;
	if (shown) {
		/* The pairs' own session is the one the undo marked. */
		if (a->run->s != r->s)
			op_undo_mark(a->op, a->run->s);
		/* A verify's verdicts were of the rows as created. */
		app_run_verified_free(a->run);
	}
	/* Pairs count the rows as they are now. */
	a->gen++;
	a->need_redraw = true;
	if (a->op->status != EXIT_ALL_CREATED) {
		/* Stopped: this terminal holds the session, so r finishes it
		 * here (before: the command line's resume, refused while this
		 * terminal is open). */
		if (r->s->meta.undo == SESSION_UNDO_BEGUN)
			app_status(a, true, "session %s: the undo stopped, %zu row%s "
			    "undone so far: r in History finishes it", r->id,
			    r->s->out.count[OUTCOME_UNDONE], r->s->out.count[
			    OUTCOME_UNDONE] == 1 ? "" : "s");
		app_safety_free(a);
		app_quit_question_gone(a, "undo");
		return;
	}
	op_show(a);
	/* As a send's (before: asked on over an undo done). */
	app_quit_question_gone(a, "undo");
}

void
app_undo_session(struct app *a, const char *path)
{
	struct run *r = held_session(a, path, "undo");

	if (r != NULL)
		safety_start(a, r, op_undo(&a->conn, r->journal, r->s, false),
		    undo_done);
}
