/* safety.c: verify (V) and undo (u) of a session, from the History view.
 * Their reads and writes are the app's background calls (app_calls_start),
 * journaled in the session, which is held while they go on. */
#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"
#include "hubassoc/undo.h"
#include "hubassoc/verify.h"
#include "tui.h"

/* What is under way: one at a time, as the app's calls are. */
struct safety {
	struct run *r;             /* the session, its journal held */
	struct assocset *set;      /* what the portal holds now */
	struct undo_plan u;
	uint64_t next_req;
};

static struct safety *
op_new(struct app *a, struct run *r)
{
	struct safety *op = xcalloc(1, sizeof(*op));

	op->r = r;
	op->next_req = r->session.meta.last_req + 1;
	a->safety = op;
	return op;
}

void
app_safety_free(struct app *a)
{
	struct safety *op = a->safety;

	if (op == NULL)
		return;
	assocset_free(op->set);
	undo_plan_free(&op->u);
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

	if (a->calls != NULL || a->safety != NULL) {
		app_status(a, true, "wait: %s is under way", a->calls_what != NULL ?
		    a->calls_what : "a verify or an undo");
		return NULL;
	}
	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return NULL;
	}
	if ((r = app_session_run(a, path, true)) == NULL)
		return NULL;
	if (r->session.nsends == 0 || session_unfinished(&r->session)) {
		app_status(a, true, "session %s %s", r->id, r->session.nsends == 0 ?
		    "was never sent" : "has a send to finish first: r resumes it");
		app_run_free(r);
		return NULL;
	}
	if (!app_sends_here(a, r->session.meta.base_url)) {
		app_status(a, true, "session %s went to %s; this terminal sends to %s: "
		    "%s it with hubassoc %s %s --base-url %s", r->id,
		    r->session.meta.base_url ? r->session.meta.base_url : "?",
		    a->connected ? a->conn.base_url : "nowhere", what, what, r->id,
		    r->session.meta.base_url ? r->session.meta.base_url : "URL");
		app_run_free(r);
		return NULL;
	}
	return r;
}

/* Reads the FROM records of ids on the app's calls; then `then`. */
static bool
read_now(struct app *a, struct safety *op, const char *const *ids, size_t n,
    const char *kind, const char *what, void (*then)(struct app *))
{
	struct buf path = BUF_INIT;
	struct calls *c = conn_calls(&a->conn, op->r->journal, op->next_req);

	if (!app_calls_start(a, c, what, then))
		return false;
	request_assoc_path(&path, a->conn.api, &op->r->session.from,
	    &op->r->session.to, "batch/read");
	op->set = assocset_new(c, kind, buf_str(&path));
	assocset_read(op->set, ids, n);
	buf_free(&path);
	return true;
}

/* The calls ended: false, said (with hint), when they stopped short. */
static bool
calls_ended(struct app *a, const char *what, const char *hint)
{
	enum engine_stop stop = calls_stop_reason(a->calls);
	struct safety *op = a->safety;

	op->next_req = calls_next_req(a->calls);
	if (stop == ENGINE_COMPLETE) {
		app_calls_end(a);
		return true;
	}
	app_status(a, true, "session %s: %s stopped (%s)%s", op->r->id, what,
	    calls_stop_message(a->calls) != NULL ? calls_stop_message(a->calls) :
	    engine_stop_name(stop, 0), hint);
	app_calls_end(a);
	return false;
}

/* Ends the op: the session shown as it is now, its journal let go. */
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
		free(a->run->verdict);
		a->run->verdict = r->verdict;
		r->verdict = NULL;
		app_safety_free(a);
		view_results_rebuild(&a->views[VIEW_RESULTS]);
		app_show(a, VIEW_RESULTS);
		return;
	}
	a->safety->r = NULL;
	app_safety_free(a);
	app_set_run(a, r);
}

/* ---- verify ----------------------------------------------------------- */

static void
verify_done(struct app *a)
{
	struct safety *op = a->safety;
	struct run *r = op->r;
	size_t count[VERIFY_COUNT] = { 0 }, n = 0;
	char n1[32];

	if (!calls_ended(a, "the verify", "")) {
		app_safety_free(a);
		return;
	}
	r->verdict = xcalloc(r->in->nrows + 1, sizeof(*r->verdict));
	for (size_t i = 0; i < r->in->nrows; i++) {
		r->verdict[i] = VERIFY_COUNT;
		if (r->out->state[i] != OUTCOME_CREATED)
			continue;
		r->verdict[i] = (uint8_t)verify_row(&r->session, op->set, i, NULL);
		count[r->verdict[i]]++;
		n++;
	}
	bool unwritten = verify_journal(r->journal, n, count) != 0;
	app_status(a, count[VERIFY_CONFIRMED] < n || unwritten, "session %s verified: "
	    "%s created row(s): %zu confirmed, %zu missing, %zu types differ%s",
	    r->id, fmt_count(n1, n), count[VERIFY_CONFIRMED], count[VERIFY_MISSING],
	    count[VERIFY_DIFFER], unwritten ? " (the journal could not be written)" : "");
	op_show(a);
}

void
app_verify_session(struct app *a, const char *path)
{
	struct run *r = held_session(a, path, "verify");
	uint32_t *rows;

	if (r == NULL)
		return;
	size_t n = session_retry_rows(&r->session, 1u << OUTCOME_CREATED, &rows);
	if (n == 0) {
		app_status(a, false, "session %s created no pair: nothing to verify", r->id);
		free(rows);
		app_run_free(r);
		return;
	}
	const char **ids = xcalloc(n + 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = input_from(r->in, &r->in->rows[rows[i]]);
	struct safety *op = op_new(a, r);
	if (read_now(a, op, ids, n, "verify", "the verify", verify_done))
		app_status(a, false, "session %s: reading back its %zu created pair(s)...",
		    r->id, n);
	else
		app_safety_free(a);
	free(ids);
	free(rows);
}

/* ---- undo ------------------------------------------------------------- */

static void
undo_done(struct app *a)
{
	struct safety *op = a->safety;
	const char *id = op->r->id;

	if (!calls_ended(a, "the undo", ": u again, or hubassoc resume, finishes it")) {
		app_safety_free(a);
		return;
	}
	bool unwritten = undo_journal(op->r->journal, "undone", &op->u) != 0;
	app_status(a, unwritten, "session %s undone: %zu pair(s) archived, %zu "
	    "unlabeled, %zu restored%s", id, op->u.count[UNDO_ARCHIVE],
	    op->u.count[UNDO_UNLABEL], op->u.count[UNDO_RESTORE], unwritten ?
	    " (the journal could not be written)" : "");
	op_show(a);
}

static void
undo_confirmed(struct app *a, bool yes)
{
	struct safety *op = a->safety;

	if (op == NULL)
		return;
	if (!yes) {
		app_status(a, false, "session %s: not undone", op->r->id);
		app_safety_free(a);
		return;
	}
	if (undo_journal(op->r->journal, "undo", &op->u) != 0) {
		app_status(a, true, "session %s: not undone: the journal could not be "
		    "written", op->r->id);
		app_safety_free(a);
		return;
	}
	struct calls *c = conn_calls(&a->conn, op->r->journal, op->next_req);
	if (!app_calls_start(a, c, "the undo", undo_done)) {
		app_safety_free(a);
		return;
	}
	undo_queue(&op->u, &op->r->session, c, a->conn.api);
	app_status(a, false, "session %s: undoing...", op->r->id);
}

/* What is there now is read: what undo will do, asked. */
static void
undo_read(struct app *a)
{
	struct safety *op = a->safety;
	struct run *r = op->r;
	struct buf q = BUF_INIT;

	if (a->calls != NULL && !calls_ended(a, "the undo's reading", "; nothing "
	    "was changed")) {
		app_safety_free(a);
		return;
	}
	undo_plan_build(&r->session, op->set, &op->u);
	if (op->u.n == 0) {
		if (r->session.undo == SESSION_UNDO_BEGUN)
			undo_journal(r->journal, "undone", &op->u);
		app_status(a, false, "session %s: nothing to undo: the portal holds what "
		    "the session found%s", r->id, op->u.unknown > 0 ? ", but for rows "
		    "sent without a preflight, left alone" : "");
		op_show(a);
		return;
	}
	buf_printf(&q, "Undo session %s on %s: archive %zu, unlabel %zu, restore %zu "
	    "(%zu Primary back)", r->id, a->conn.base_url, op->u.count[UNDO_ARCHIVE],
	    op->u.count[UNDO_UNLABEL], op->u.count[UNDO_RESTORE], undo_primaries(&op->u));
	if (op->u.unknown > 0)
		buf_printf(&q, "; %zu left alone (no pre-state)", op->u.unknown);
	buf_addstr(&q, "? [y/n]");
	char *safe = text_escape_str(q.data, q.len, SIZE_MAX);
	app_ask(a, safe, undo_confirmed);
	free(safe);
	buf_free(&q);
}

void
app_undo_session(struct app *a, const char *path)
{
	struct run *r = held_session(a, path, "undo");
	const char **ids;

	if (r == NULL)
		return;
	struct safety *op = op_new(a, r);
	size_t n = undo_read_ids(&r->session, &ids);
	if (n == 0)
		undo_read(a);          /* nothing has a pre-state: nothing to read */
	else if (read_now(a, op, ids, n, "undo", "the undo's reading", undo_read))
		app_status(a, false, "session %s: reading what the portal holds now...",
		    r->id);
	else
		app_safety_free(a);
	free(ids);
}
