/*
 * workset.c: the pairs on screen are a session's working set (the core's
 * struct workset, workset.h): its journal begun with the first change, a
 * change that cannot be recorded said and undone, and the last session
 * made here offered at start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui.h"
#include "hubassoc/text.h"

static void
meta_of(const struct app *a, struct journal_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->profile = xstrdup(a->conn.prof.name != NULL ? a->conn.prof.name :
	    a->opts->given.set.profile != NULL ? a->opts->given.set.profile : "default");
	m->base_url = a->connected ? xstrdup(a->conn.base_url) : NULL;
	m->sandbox = !a->connected ? 0 : a->conn.local != NULL ? 1 : -1;
	m->api_version = xstrdup(api_version_name(a->connected ? a->conn.api : API_V4));
}

/* The journal of the working set, begun with the first change. */
static int
work_begin(struct app *a)
{
	struct journal_meta m;
	char *cause = NULL;

	if (a->ws.j != NULL || a->ws.quiet)
		return 0;
	meta_of(a, &m);
	int rc = workset_begin(&a->ws, &m, &cause);
	if (rc != 0) {
		app_status(a, true, "the pairs cannot be journaled: %s", cause);
		free(cause);
	}
	journal_meta_free(&m);
	return rc;
}

/* A record that could not be written: the change was not made. */
static int
refused(struct app *a, const char *what)
{
	app_status(a, true, "%s not made: the journal cannot be written (%s); the "
	    "pairs are as they were", what, strerror(errno));
	return -1;
}

/* The working set's journal goes: a run that borrowed it lets it go. */
static void
let_go(struct app *a, const struct journal *old)
{
	if (old != NULL && old != a->ws.j && a->run != NULL && a->run->journal == old)
		a->run->journal = NULL;
}

/* The session the pairs were left the working set (cleared, or chosen
 * otherwise): the run that shows it keeps it as its own. */
static void
session_left(struct app *a, struct session *gone)
{
	struct run *r = a->run;

	if (r != NULL && app_run_is_work(a, r)) {
		r->own = *gone;
		app_run_bind(r, &r->own);
	} else {
		session_free(gone);
	}
	a->planned = false;
	a->gen++;
}

bool
work_may_change(struct app *a)
{
	/* Its send takes its rows as they are, and its counts are the
	 * journal's: the pairs wait for its end. */
	if (a->run != NULL && a->run->running && app_run_is_work(a, a->run)) {
		app_status(a, true, "the pairs are being sent: wait for the end, or stop "
		    "the send (C-c)");
		return false;
	}
	if (a->op != NULL && (a->lookup_then != NULL || (a->pending != NULL &&
	    app_run_is_work(a, a->pending)))) {
		app_status(a, true, "wait: %s is under way (C-c stops it)", a->op->kind->name);
		return false;
	}
	return true;
}

int
work_add(struct app *a, size_t before)
{
	if (!work_may_change(a) || work_begin(a) != 0) {
		input_delete_rows(a->ws.pairs, before, a->ws.pairs->nrows - before);
		return -1;
	}
	a->planned = false;
	a->ws.fork_clean = false;
	return workset_added(&a->ws, before) == 0 ? 0 : refused(a, "the rows were");
}

int
work_replace(struct app *a, size_t row, const char *text)
{
	char *cause = NULL;

	if (!work_may_change(a) || work_begin(a) != 0)
		return -1;
	a->planned = false;
	a->ws.fork_clean = false;
	if (workset_replace(&a->ws, row, text, &cause) == 0)
		return 0;
	if (cause != NULL) {
		app_status(a, true, "%s", cause);
		free(cause);
		return -1;
	}
	return refused(a, "the change was");
}

/* An edit's SPEC column as CATEGORY:ID, as the portal's labels resolve
 * it (what the session records reads the same without them); text as it
 * is when it has none.  NULL, said, when a label is not the portal's. */
static char *
edit_resolved(struct app *a, const char *text)
{
	struct input *one = input_new();
	struct plan p;
	char *cause = NULL, *out = NULL;

	input_feed(one, text, strlen(text));
	input_finish(one);
	if (one->nrows != 1 || one->rows[0].status != ROW_VALID || one->rows[0].set == 0) {
		input_free(one);
		return xstrdup(text);
	}
	if (workset_plan(&a->ws, one, &p, &a->labels, app_chunk(a), &cause) == 0) {
		const struct plan_types *t = plan_row_types(&p, one, 0);
		if (t->ok) {
			struct buf b = BUF_INIT;
			buf_printf(&b, "%s,%s,", input_from(one, &one->rows[0]),
			    input_to(one, &one->rows[0]));
			app_row_types_text(&p, one, 0, &b);
			out = buf_detach(&b);
		}
		plan_free(&p);
	}
	if (out == NULL)
		app_status(a, true, "the edit is not made: its types are not the portal's "
		    "(%s; y shows them)", cause != NULL ? cause : "a label it lacks");
	free(cause);
	input_free(one);
	return out;
}

/* A shown row other than row whose pair is the one text makes, or
 * SIZE_MAX: an edit into a repeat is no row of its own to send (before:
 * sent, and counted created twice). */
static size_t
repeated_by(const struct app *a, size_t row, const char *text)
{
	struct input *one = input_new();
	size_t at = SIZE_MAX;

	input_feed(one, text, strlen(text));
	input_finish(one);
	const struct input_row *x = one->nrows == 1 ? &one->rows[0] : NULL;
	for (size_t i = 0; x != NULL && x->status == ROW_VALID &&
	    i < a->ws.pairs->nrows && at == SIZE_MAX; i++) {
		const struct input_row *y = &a->ws.pairs->rows[i];
		if (i != row && y->status == ROW_VALID && workset_shown(&a->ws, i) &&
		    strcmp(input_from(one, x), input_from(a->ws.pairs, y)) == 0 &&
		    strcmp(input_to(one, x), input_to(a->ws.pairs, y)) == 0)
			at = i;
	}
	input_free(one);
	return at;
}

int
work_edit(struct app *a, size_t row, const char *text)
{
	char *cause = NULL, *resolved;

	if (!work_may_change(a))
		return -1;
	size_t other = repeated_by(a, row, text);
	if (other != SIZE_MAX) {
		struct buf l = BUF_INIT;
		input_line_label(a->ws.pairs, a->ws.pairs->rows[other].line, &l);
		app_status(a, true, "the edit is not made: line %s has that pair already; "
		    "d deletes this row instead", buf_str(&l));
		buf_free(&l);
		return -1;
	}
	if ((resolved = edit_resolved(a, text)) == NULL)
		return -1;
	int rc = workset_edit(&a->ws, row, resolved, NULL, &cause);
	free(resolved);
	a->planned = false;
	if (rc == 0)
		return 0;
	if (errno != 0) {
		free(cause);
		return refused(a, "the edit was");
	}
	app_status(a, true, "%s", cause);
	free(cause);
	return -1;
}

int
work_rows_changed(struct app *a, const uint32_t *rows, size_t n)
{
	if (work_begin(a) != 0)
		return -1;
	a->planned = false;
	return workset_rows_changed(&a->ws, rows, n) == 0 ? 0 :
	    refused(a, "the record of the keys' IDs was");
}

int
work_delete(struct app *a, size_t row)
{
	if (!work_may_change(a) || work_begin(a) != 0)
		return -1;
	a->planned = false;
	a->ws.fork_clean = false;
	return workset_delete(&a->ws, row) == 0 ? 0 : refused(a, "the deletion was");
}

int
work_clear(struct app *a)
{
	const struct journal *old = a->ws.j;
	struct session gone;

	if (!work_may_change(a))
		return -1;
	if (workset_clear(&a->ws, &gone) != 0)
		return refused(a, "the clearing was");
	let_go(a, old);
	session_left(a, &gone);
	return 0;
}

int
work_fork(struct app *a)
{
	const struct journal *old = a->ws.j;
	struct journal_meta m;
	struct session gone;
	char *cause = NULL;

	meta_of(a, &m);
	int rc = workset_fork(&a->ws, &m, &gone, &cause);
	journal_meta_free(&m);
	if (rc != 0) {
		app_status(a, true, "the pairs cannot go on as a new session: %s", cause);
		free(cause);
		return -1;
	}
	let_go(a, old);
	session_left(a, &gone);
	return 0;
}

/* Whether the pairs are now chosen otherwise than their session was sent
 * (the operation, direction, types or relabel): they go on as the next
 * session's. */
static bool
chosen_otherwise(struct app *a)
{
	const struct session *s = &a->ws.s;

	/* Reopening applies the choices one by one, as they were. */
	if (!a->ws.sent || s->nsends == 0 || a->ws.quiet)
		return false;
	/* Another direction is another session's, planned or not yet (its
	 * labels on their way). */
	if ((a->ws.have_from && !objtype_same(&a->ws.from, &s->plan.from)) ||
	    (a->ws.have_to && !objtype_same(&a->ws.to, &s->plan.to)))
		return true;
	app_replan(a);
	return a->planned && !plan_same_choice(&a->chosen, &s->plan);
}

/* Chosen otherwise, then back as the session they went on from was sent,
 * and not changed since: its pairs again (before: a draft that sent every
 * pair again, what the session created among them).  Its journal, or
 * NULL. */
static const char *
chosen_back(struct app *a)
{
	const struct run *r = a->run;

	if (a->ws.sent || a->ws.forked_from == NULL || !a->ws.fork_clean ||
	    a->ws.quiet || r == NULL || app_run_is_work(a, r) || r->id == NULL ||
	    r->journal_path == NULL || strcmp(r->id, a->ws.forked_from) != 0 ||
	    !a->ws.have_from || !a->ws.have_to ||
	    !objtype_same(&a->ws.from, &r->s->plan.from) ||
	    !objtype_same(&a->ws.to, &r->s->plan.to))
		return NULL;
	app_replan(a);
	return a->planned && plan_same_choice(&a->chosen, &r->s->plan) ?
	    r->journal_path : NULL;
}

void
work_choice(struct app *a)
{
	/* Sent, and chosen otherwise now: the pairs go on as the next
	 * session's, in a draft of their own (before: recorded in the session
	 * sent, which --session then opened as another operation's). */
	if (chosen_otherwise(a)) {
		(void)work_fork(a);      /* says why when it cannot */
		return;
	}
	const char *back = chosen_back(a);
	if (back != NULL) {
		char *path = xstrdup(back), *id = xstrdup(a->ws.forked_from);
		if (work_give_back(a, path) == 0)
			app_status(a, false, "chosen as session %s was sent: the pairs are "
			    "its again", id);
		free(path);
		free(id);
		return;
	}
	if (workset_choice(&a->ws) != 0)
		app_status(a, true, "the choice is not journaled: %s", strerror(errno));
}

void
app_set_op(struct app *a, enum plan_op op, const char *replace, bool create_missing)
{
	static const char *const said[PLAN_OP_COUNT] = {
		[PLAN_OP_CREATE] = "S creates the pairs with the chosen types",
		[PLAN_OP_REMOVE] = "S takes the pairs off, every type with them "
		    "(batch/archive), after showing what each holds",
		[PLAN_OP_UNLABEL] = "S takes the chosen types off the pairs "
		    "(batch/labels/archive), after showing what each keeps",
		[PLAN_OP_RELABEL] = "S gives the pairs the chosen type",
	};

	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return;
	}
	enum plan_op was = a->ws.op;
	char *was_replace = a->ws.replace != NULL ? xstrdup(a->ws.replace) : NULL;
	bool was_missing = a->ws.create_missing;
	workset_set_op(&a->ws, op, replace, create_missing);
	char *why = app_relabel_refused(a);
	if (why != NULL) {
		/* A label to replace the portal lacks: refused, as it was. */
		workset_set_op(&a->ws, was, was_replace, was_missing);
		a->planned = false;
		app_replan(a);
		app_status(a, true, "the operation stays %s: %s", plan_op_label(was), why);
		free(why);
		free(was_replace);
		return;
	}
	free(was_replace);
	/* Kept resolved, as the types are: what it replaces reads the same
	 * without the portal's labels (before: "36" as typed, which show and
	 * history of the pairs not sent could not plan). */
	char *resolved = a->planned ? plan_relabel_text(&a->chosen) : NULL;
	if (resolved != NULL && op == PLAN_OP_RELABEL) {
		free(a->ws.replace);
		a->ws.replace = resolved;
	} else
		free(resolved);
	a->submit_waiting = false;
	work_choice(a);
	a->need_redraw = true;
	a->gen++;
	if (op == PLAN_OP_RELABEL) {
		/* What it replaces by its labels, as the header and the plan
		 * name it (before: "in place of 36" below "Billing contact"). */
		struct buf in = BUF_INIT;
		const struct plan_relabel *rl = a->planned ? &a->chosen.relabel : NULL;
		for (size_t i = 0; rl != NULL && !rl->all && i < rl->nreplace; i++)
			app_type_brief(&in, &rl->replace[i], &a->labels, i, false);
		if (in.len == 0 && a->ws.replace != NULL)
			buf_addstr(&in, a->ws.replace);
		app_status(a, a->plan_error != NULL, "operation: relabel: %s%s%s%s%s%s",
		    said[op], a->ws.replace == NULL ? ", keeping the others (:op relabel "
		    "OLD replaces OLD)" : strcmp(a->ws.replace, "all") == 0 ?
		    " in place of every label" : " in place of ", a->ws.replace != NULL &&
		    strcmp(a->ws.replace, "all") != 0 ? buf_str(&in) : "",
		    a->ws.create_missing ? "; pairs not there are made" : "",
		    a->plan_error != NULL ? "; " : "",
		    a->plan_error != NULL ? a->plan_error : "");
		buf_free(&in);
	} else
		app_status(a, a->plan_error != NULL, "operation: %s: %s%s%s%s",
		    plan_op_label(op), said[op], op == PLAN_OP_REMOVE && a->ws.ntypes > 0 ?
		    "; the chosen types are not used: O again takes off only them" : "",
		    a->plan_error != NULL ? "; " : "",
		    a->plan_error != NULL ? a->plan_error : "");
}

void
app_cycle_op(struct app *a)
{
	enum plan_op next = (enum plan_op)((a->ws.op + 1) % PLAN_OP_COUNT);

	app_set_op(a, next, next == PLAN_OP_RELABEL ? a->ws.replace : NULL,
	    a->ws.create_missing);
}

void
app_op_command(struct app *a, const char *arg)
{
	const char *p = arg;
	size_t n = strcspn(p, " \t");
	char word[16];
	enum plan_op op;

	snprintf(word, sizeof(word), "%.*s", (int)(n < sizeof(word) ? n : sizeof(word) - 1), p);
	if (n == 0) {
		app_status(a, false, "operation: %s (:op create, remove, unlabel or "
		    "relabel [OLD|all] [--create-missing]; O switches)",
		    plan_op_label(a->ws.op));
		return;
	}
	if (plan_op_parse(word, &op) != 0 || n >= sizeof(word)) {
		app_status(a, true, ":op takes create, remove, unlabel or relabel, not "
		    "'%.*s'", (int)(n > 40 ? 40 : n), p);
		return;
	}
	/* The rest: a relabel's types to replace, and --create-missing. */
	char *rest = xstrdup(p + n + strspn(p + n, " \t"));
	bool missing = false;
	char *flag = strstr(rest, "--create-missing");
	if (flag != NULL) {
		missing = true;
		memmove(flag, flag + 16, strlen(flag + 16) + 1);
	}
	size_t len = strlen(rest);
	while (len > 0 && (rest[len - 1] == ' ' || rest[len - 1] == '\t'))
		rest[--len] = '\0';
	/* "Billing contact", as a shell would quote it. */
	if (len >= 2 && (rest[0] == '"' || rest[0] == '\'') && rest[len - 1] == rest[0]) {
		memmove(rest, rest + 1, len - 2);
		rest[len -= 2] = '\0';
	}
	if (op != PLAN_OP_RELABEL && (len > 0 || missing)) {
		app_status(a, true, ":op %s takes nothing more: a relabel names what it "
		    "replaces", word);
		free(rest);
		return;
	}
	app_set_op(a, op, len > 0 ? rest : NULL, missing);
	free(rest);
}

void
work_close(struct app *a)
{
	const struct journal *old = a->ws.j;

	workset_close(&a->ws);
	let_go(a, old);
}

bool
work_is(const struct app *a, const char *path)
{
	return workset_is(&a->ws, path);
}

/* The choices a reopened working set was made with, applied as they were,
 * not journaled again. */
static void
apply_choices(struct app *a, struct pairs_choice *c)
{
	struct objtype t;
	char *cause = NULL;

	a->ws.quiet = true;
	if (c->from != NULL && objtype_parse(c->from, &t, &cause) == 0)
		app_set_from_to(a, 0, &t);
	free(cause);
	cause = NULL;
	if (c->to != NULL && objtype_parse(c->to, &t, &cause) == 0)
		app_set_from_to(a, 1, &t);
	free(cause);
	if (c->types != NULL && c->types[0] != '\0')
		app_set_types_text(a, c->types);
	workset_set_op(&a->ws, c->op, c->replace, c->create_missing);
	a->planned = false;
	a->ws.quiet = false;
}

/* Reopens a session's working set: its rows and the pairs added since,
 * its choices, and its sends as the current session. */
int
work_reopen(struct app *a, const char *path)
{
	const struct journal *old = a->ws.j;
	struct pairs_choice c;
	char *cause = NULL, n1[32];

	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return -1;
	}
	/* The run that showed the pairs' session goes with it (shown again
	 * when they stay as they were). */
	bool shown = app_run_is_work(a, a->run);
	if (shown) {
		app_run_free(a->run);
		a->run = NULL;
	}
	if (workset_reopen(&a->ws, path, &c, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		if (shown && a->ws.s.nsends > 0) {
			a->run = app_run_of_work(a);
			a->run->loaded = a->run->ended = true;
		}
		a->gen++;
		return -1;
	}
	let_go(a, old);
	app_pairs_changed(a);
	apply_choices(a, &c);
	pairs_choice_free(&c);
	const struct session *s = &a->ws.s;
	char where[512];
	const char *away = s->nsends > 0 ? app_went_elsewhere(a, &s->meta, where,
	    sizeof(where)) : "";
	/* Said now, with what goes on from here (before: nothing said of it).
	 * A send interrupted is resume's first (S says so: before, this said
	 * S sent what it had not written); an undone one's rows go again as
	 * a new session (before: "R its failed rows", which R then refused). */
	bool stopped = s->nsends > 0 && session_unfinished(s) && !app_last_declined(s);
	char *said = xasprintf("%s%s", away, away[0] != '\0' ?
	    ": S sends the pairs here, as a new session" : stopped ?
	    "; its last send was interrupted: r in the history resumes it" :
	    s->nsends > 0 && s->meta.undo == SESSION_UNDO_DONE ?
	    "; it was undone: S sends the pairs as a new session" :
	    s->nsends > 0 ? "; S sends what it has not written, R its failed rows" :
	    "; S sends them");
	if (s->nsends > 0) {
		struct run *r = app_run_of_work(a);
		r->loaded = true;
		r->ended = true;
		app_set_run(a, r);
	} else {
		app_run_free(a->run);
		a->run = NULL;
		a->gen++;
	}
	app_show(a, VIEW_PAIRS);
	size_t npairs = 0;
	for (size_t i = 0; i < a->ws.pairs->nrows; i++)
		npairs += workset_shown(&a->ws, i);
	app_status(a, said[0] != '\0', "session %s reopened: %s pair%s%s", a->ws.id,
	    fmt_count(n1, npairs), plural_s(npairs), said);
	free(said);
	return 0;
}

/* The working set read again from the session at path, the pairs added
 * since with it; the run that showed the pairs' session shows it again,
 * where the view is.  0, or -1 said. */
static int
reread(struct app *a, const char *path)
{
	struct pairs_choice c;
	char *cause = NULL;
	struct run *r = a->run;
	bool shown = app_run_is_work(a, r) || (r != NULL && r->journal_path != NULL &&
	    strcmp(r->journal_path, path) == 0);

	/* It lets the session go to the pairs again. */
	if (shown) {
		app_run_free(r);
		a->run = NULL;
	}
	int rc = workset_reopen(&a->ws, path, &c, &cause);
	pairs_choice_free(&c);
	if (rc != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
	} else {
		a->planned = false;
		app_pairs_changed(a);
	}
	if (shown && a->ws.s.nsends > 0) {
		a->run = app_run_of_work(a);
		a->run->loaded = a->run->ended = true;
		view_results_rebuild(&a->views[VIEW_RESULTS]);
		view_errors_rebuild(&a->views[VIEW_ERRORS]);
	}
	a->gen++;
	return rc;
}

int
work_give_back(struct app *a, const char *path)
{
	char *draft = a->ws.j != NULL ? xstrdup(journal_path(a->ws.j)) : NULL;
	int rc = reread(a, path);

	/* Nothing but the pairs copied and the choices: no session of its
	 * own to keep (before the send it was made for). */
	if (rc == 0 && draft != NULL)
		unlink(draft);
	free(draft);
	view_history_reload(&a->views[VIEW_HISTORY]);
	return rc;
}

int
work_reload(struct app *a)
{
	char *path = a->ws.j != NULL ? xstrdup(journal_path(a->ws.j)) : NULL;
	int rc = path != NULL ? reread(a, path) : -1;

	free(path);
	return rc;
}

static void
reopen_confirmed(struct app *a, bool yes)
{
	char *path = a->reopen_path;

	a->reopen_path = NULL;
	if (yes && path != NULL)
		work_reopen(a, path);
	else if (path != NULL)
		app_status(a, false, "a new session starts with the first pair; the "
		    "history (5) holds the others");
	free(path);
}

/* The newest session made here, when it has rows not sent yet: offered. */
void
work_offer_last(struct app *a)
{
	char **paths, *cause = NULL, n1[32], n2[32];
	size_t n;

	if (journal_list(&paths, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (size_t i = 0; i < n && a->reopen_path == NULL; i++) {
		struct journal_meta m;
		if (journal_peek(paths[i], &m, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		bool terminal = m.input_name == NULL ||
		    strcmp(m.input_name, APP_INPUT_NAME) == 0;
		size_t rows = 0, unsent = m.counts[OUTCOME_PENDING] +
		    m.counts[OUTCOME_NOT_SENT], unconfirmed = m.counts[OUTCOME_UNCONFIRMED];
		for (int k = 0; k < OUTCOME_COUNT; k++)
			rows += m.counts[k];
		/* One another terminal holds is not offered: it would be
		 * refused (it is in History, read-only). */
		if (terminal && (unsent + unconfirmed > 0 || m.changed_since) &&
		    !journal_in_use(paths[i])) {
			struct buf q = BUF_INIT;
			a->reopen_path = xstrdup(paths[i]);
			/* Rows sent without an answer are not "not sent": they
			 * may be there (resume reads them back). */
			/* What S would do to them, when it is not a create
			 * (before: a relabel reopened unsaid). */
			enum plan_op op = m.pairs_chose ? m.pairs_op : m.op;
			buf_printf(&q, "Reopen session %s (%s%s%s row%s", m.id,
			    op != PLAN_OP_CREATE ? plan_op_label(op) : "",
			    op != PLAN_OP_CREATE ? ": " : "", fmt_count(n1, rows),
			    plural_s(rows));
			/* Its direction, and what it did already (before: the
			 * rows alone, "3,000 rows, 2,000 not sent"). */
			if (objtype_path_chosen(m.from_path) && objtype_path_chosen(m.to_path))
				buf_printf(&q, " of %s to %s", m.from_path, m.to_path);
			if (m.counts[OUTCOME_CREATED] > 0)
				buf_printf(&q, ", %s %s", fmt_count(n2, m.counts[OUTCOME_CREATED]),
				    outcome_word(OUTCOME_CREATED, m.op));
			if (unsent > 0)
				buf_printf(&q, ", %s not sent", fmt_count(n2, unsent));
			if (unconfirmed > 0)
				buf_printf(&q, ", %s unconfirmed", fmt_count(n2, unconfirmed));
			if (m.changed_since)
				buf_addstr(&q, ", pairs changed since its send");
			/* Another portal's pairs (IDs there, and the plan made
			 * there) said before the y (before: only after it). */
			if (m.sandbox != 0 && a->connected && !app_sends_here(a, &m))
				buf_printf(&q, "; it %s %s, not here", m.sends > 0 ?
				    "went to" : "was made for", app_portal_of(&m));
			buf_addstr(&q, ")? [y/n]");
			char *safe = text_escape_str(q.data, q.len, SIZE_MAX);
			app_ask(a, safe, reopen_confirmed);
			free(safe);
			buf_free(&q);
		}
		journal_meta_free(&m);
		/* Only the last session made here is offered. */
		if (terminal)
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
