/* send.c: a send's life in the terminal: planned from the pairs and asked
 * about (S), the session's next send (R), a resume (r), the engine's turns,
 * the end. */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "hubassoc/answer.h"
#include "hubassoc/export.h"
#include "hubassoc/labels.h"
#include "hubassoc/text.h"
#include "tui.h"
#include "hubassoc/limitcheck.h"
#include "hubassoc/op.h"
#include "hubassoc/lookup.h"

static void
on_engine(void *arg, const struct engine_event *ev)
{
	struct app *a = arg;

	if (ev->kind == ENGINE_EV_WARNING) {
		app_status(a, true, "warning: %s", ev->detail);
		if (a->run != NULL && a->run->running) {
			free(a->run->warning);
			a->run->warning = xstrdup(ev->detail);
		}
	}
	a->gen++;
	a->need_redraw = true;
}

static void sent(struct app *a);

/* How many requests' rows are looked at before the rest is sent: when
 * every one of theirs failed alike, the send asks first (op_send_opts). */
#define ALIKE_REQUESTS 3

struct op_send_opts
app_send_opts(struct app *a, struct run *r)
{
	struct op_send_opts so = { .labels = app_labels_of(a, r), .on_event = on_engine,
	    .event_arg = a, .hold_alike = ALIKE_REQUESTS,
	    .check_ids = a->conn.prof.check_ids, .lookups = r->lookups,
	    .lookup_reqs = r->lookup_reqs };

	r->lookups = NULL;       /* the send's */
	return so;
}

void
app_take_lookups(struct app *a, struct run *r)
{
	journal_close(r->lookups);
	r->lookups = a->lookups;
	r->lookup_reqs = a->lookup_reqs;
	a->lookups = NULL;
}

/* Sends the run's session (op_send): when it looks first, the rows no
 * preflight read are read, then the engine sends; the views follow it, and
 * sent() has its end. */
void
app_send_run(struct app *a, struct run *r)
{
	struct op_send_opts so = app_send_opts(a, r);

	r->total = app_run_to_settle(r);
	r->started = http_now_ms();
	r->ended = false;
	r->running = true;
	if (!app_op_start(a, op_send(&a->conn, r->journal, r->s, &so), sent)) {
		r->running = false;
		r->ended = true;
	}
}

/* Makes r the run the views show. */
void
app_set_run(struct app *a, struct run *r)
{
	app_run_free(a->run);
	a->run = r;
	a->gen++;      /* the pairs' states are the new run's */
	view_results_rebuild(&a->views[VIEW_RESULTS]);
	view_errors_rebuild(&a->views[VIEW_ERRORS]);
	view_inspector_reset(&a->views[VIEW_INSPECTOR]);
	app_show(a, VIEW_RESULTS);
}

/* A run showing the session read into r->s from path. */
void
app_run_of_session(struct run *r, const char *path)
{
	r->loaded = true;
	app_run_bind(r, r->s);
	r->id = xstrdup(r->s->meta.id);
	r->journal_path = xstrdup(path);
	r->ended = true;
}

/* S's first send of the pairs is agreed to (op_send's begin): the
 * working set's draft begins as the session, and the run the views show
 * is it, sending. */
static struct journal *
begin_run(void *arg, char **cause)
{
	struct app *a = arg;
	struct run *r = a->pending;
	struct journal_meta meta = { 0 };

	meta.profile = xstrdup(a->conn.prof.name != NULL ? a->conn.prof.name : "default");
	meta.base_url = xstrdup(a->conn.base_url);
	meta.sandbox = a->conn.local != NULL ? 1 : -1;
	meta.api_version = xstrdup(api_version_name(a->conn.api));
	meta.input_name = xstrdup(APP_INPUT_NAME);
	meta.columns = a->ws.pairs->columns_note != NULL ?
	    xstrdup(a->ws.pairs->columns_note) : NULL;
	/* A remove takes every type its pairs hold: none chosen. */
	meta.types = xstrdup(r->plan->op != PLAN_OP_REMOVE && a->ws.types_text != NULL ?
	    a->ws.types_text : "");
	meta.preflight = r->s->pre.rows != NULL;
	meta.op = r->plan->op;
	if (workset_first_send(&a->ws, &meta, a->conn.api, cause) != 0) {
		journal_meta_free(&meta);
		return NULL;
	}
	journal_meta_free(&meta);
	r->journal = a->ws.j;
	r->journal_borrowed = true;
	free(r->id);
	r->id = xstrdup(a->ws.id);
	free(r->journal_path);
	r->journal_path = xstrdup(journal_path(r->journal));
	/* The names the keys' lookup brought, the session's. */
	if (journal_names(r->journal, r->s->names) != 0) {
		*cause = xasprintf("the journal could not be written (%s)", strerror(errno));
		return NULL;
	}
	app_run_sending(a, r);
	app_status(a, false, "session %s: sending", r->id);
	return r->journal;
}

void
app_run_sending(struct app *a, struct run *r)
{
	a->pending = NULL;
	app_set_run(a, r);
	r->total = app_run_to_settle(r);
	r->started = http_now_ms();
	r->running = true;
}

/* Whether a session sent to url may be sent on from here, by the rule
 * resume and retry follow (settings_same_place). */
bool
app_sends_here(const struct app *a, const struct journal_meta *m)
{
	bool local = a->conn.local != NULL;

	/* Recorded: the built-in sandbox's portal is its own, whatever the
	 * port that run had. */
	if ((m->sandbox > 0 && !local) || (m->sandbox < 0 && local))
		return false;
	return m->base_url != NULL && a->connected &&
	    settings_same_place(m->base_url, a->conn.base_url, local);
}

bool
app_sent_elsewhere(const struct app *a, const struct journal_meta *m)
{
	return m->sends > 0 && a->connected && !app_sends_here(a, m);
}

const char *
app_portal_of(const struct journal_meta *m)
{
	return m->sandbox > 0 ? "the built-in sandbox" : m->base_url != NULL ?
	    m->base_url : "another portal";
}

/* "; it went to URL, not here" for a session sent to another portal than
 * this terminal's (in buf, room for n), else "": said when one opens. */
const char *
app_went_elsewhere(const struct app *a, const struct journal_meta *m, char *buf,
    size_t n)
{
	if (!app_sent_elsewhere(a, m))
		return "";
	snprintf(buf, n, "; it went to %s, not here", app_portal_of(m));
	return buf;
}

bool
app_check_here(struct app *a, const struct journal_meta *m, const char *what)
{
	if (a->connected && app_sends_here(a, m))
		return true;
	const char *url = m->base_url != NULL ? m->base_url : "?";
	app_status(a, true, "session %s went to %s; this terminal sends to %s: %s it "
	    "with hubassoc %s %s %s%s", m->id, m->sandbox > 0 ? "the built-in sandbox" :
	    url, !a->connected ? "nowhere" : a->conn.local != NULL ?
	    "the built-in sandbox" : a->conn.base_url, what, what, m->id,
	    m->sandbox > 0 ? "--sandbox" : "--base-url ", m->sandbox > 0 ? "" : url);
	return false;
}

bool
app_ready_to_send(struct app *a)
{
	if (app_busy(a))
		return false;
	if (!a->connected) {
		app_status(a, true, "not connected: %s", a->conn_error != NULL ?
		    a->conn_error : "no token");
		return false;
	}
	if (a->link == LINK_REJECTED) {
		app_status(a, true, "the portal refused the token: :token gives another, "
		    ":profile NAME switches (%s)", a->link_why != NULL ? a->link_why : "");
		return false;
	}
	if (!a->ws.have_from || !a->ws.have_to) {
		app_status(a, true, "choose the object types first: f for FROM, t for TO");
		return false;
	}
	if (!a->labels_loaded) {
		app_status(a, true, a->labels_loading ? "the portal's labels are still "
		    "on their way" : "the portal's labels are missing: %s",
		    a->labels_error != NULL ? a->labels_error : "");
		return false;
	}
	app_replan(a);
	if (!a->planned) {
		app_status(a, true, "%s", a->plan_error != NULL ? a->plan_error :
		    "choose the association types: y");
		return false;
	}
	if (a->ws.unresolved > 0) {
		app_status(a, true, "a label is not among the portal's: y shows them");
		return false;
	}
	return true;
}

/* The types a row goes with, as CATEGORY:ID when its plan resolved them,
 * else as written. */
void
app_row_types_text(const struct plan *p, const struct input *in, size_t row,
    struct buf *out)
{
	const struct input_row *r = &in->rows[row];
	const struct plan_types *t = r->set < p->ntypes ? &p->types[r->set] : NULL;

	if (t == NULL || !t->ok) {
		buf_addstr(out, in->sets[r->set].text);
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		if (i > 0)
			buf_addc(out, ';');
		assoc_spec_format(out, &t->specs[i]);
	}
}

/* Where a send goes, for its question: the portal, the profile, its
 * budget, the labels that name its types (the words kept in r). */
void
app_send_plan_fill(struct app *a, struct run *r, struct send_plan *sp)
{
	free(r->profile);
	r->profile = a->conn.local != NULL ? xstrdup("the built-in sandbox") :
	    xasprintf("profile %s", a->conn.prof.name != NULL ? a->conn.prof.name :
	    "default");
	sp->base_url = a->conn.base_url;
	sp->profile = r->profile;
	sp->rate = &a->conn.rate;
	sp->labels = app_labels_of(a, r);
}

/* Asks sp's question (what a run will send) and keeps r until the
 * answer. */
void
app_ask_to_run(struct app *a, struct run *r, const struct send_plan *sp,
    void (*fn)(struct app *, bool))
{
	struct op_question q = { 0 };
	struct send_plan full = *sp;

	app_send_plan_fill(a, r, &full);
	send_question(&q, &full);
	app_run_free(a->pending);
	a->pending = r;
	app_ask_plan(a, &q, fn);
	op_question_clear(&q);
}

/* S's send has ended: before it began (a no, a stop, a limit passed),
 * nothing is kept, and the pairs are as they were (what it read of them
 * is not theirs: a draft's reads go, a session's next send is given back
 * from its journal); else as any send. */
static void
send_ended(struct app *a)
{
	if (a->pending != NULL) {
		bool work = app_run_is_work(a, a->pending);
		char *back = a->pending->went_on_from;
		a->pending->went_on_from = NULL;
		app_run_free(a->pending);
		a->pending = NULL;
		if (back != NULL) {
			(void)work_give_back(a, back);    /* says why when it cannot */
			free(back);
		} else if (work && a->ws.joined == 0) {
			prestate_free(&a->ws.s.pre);
			a->planned = false;
		} else if (work) {
			(void)work_reload(a);    /* says why when it cannot */
		}
		a->gen++;
		return;
	}
	sent(a);
}

/* S's first send of the pairs (the draft's): it looks at what the portal
 * holds for them (app_ask_send), holds them against the limits and asks
 * (a create the question of send_question; a remove or a relabel its
 * plan's, once begun); a yes begins the session (begin_run).  why: why
 * they do not go on in the session they went on from, or NULL. */
static bool
first_send(struct app *a, const char *why, const char *went_on_from)
{
	app_replan(a);
	if (!app_pairs_planned(a) || a->ws.s.plan.nsend == 0) {
		app_status(a, true, "no valid pair to send");
		return false;
	}
	if (a->ws.op != PLAN_OP_CREATE && a->conn.prof.no_preflight) {
		app_status(a, true, "%s reads what each pair holds before it writes: "
		    "the profile's preflight = no does not go with it",
		    plan_op_label(a->ws.op));
		return false;
	}
	struct run *r = app_run_of_work(a);
	r->went_on_from = went_on_from != NULL ? xstrdup(went_on_from) : NULL;
	/* The working set's session before (the one it went on from). */
	free(r->other_id);
	r->other_id = a->ws.id != NULL ? xstrdup(a->ws.id) : NULL;
	/* Pairs gone on in a draft after the session shown was sent
	 * (workset_fork): that session named, and why. */
	const struct run *cur = a->run;
	bool from_cur = a->ws.forked_from != NULL && cur != NULL && cur->id != NULL &&
	    strcmp(cur->id, a->ws.forked_from) == 0;
	if (from_cur) {
		free(r->other_id);
		r->other_id = xstrdup(a->ws.forked_from);
		if (why == NULL)
			why = app_other_choices(cur->s);
	}
	r->ask = (struct send_plan){ .kind = SEND_FIRST, .send = 1,
	    .other_session = r->other_id,
	    .session = a->ws.j != NULL && !a->ws.sent ? a->ws.id : NULL };
	/* Pairs of a session sent elsewhere: said. */
	if (from_cur && cur->s->meta.base_url != NULL && cur->s->nsends > 0 &&
	    !app_sends_here(a, &cur->s->meta))
		r->ask.other_url = cur->s->meta.base_url;
	/* Or why they do not go on in it. */
	else
		r->ask.other_why = why;
	prestate_free(&r->s->pre);
	r->s->meta.preflight = !a->conn.prof.no_preflight;
	app_ask_send(a, r, begin_run);
	return true;
}

void
app_ask_send(struct app *a, struct run *r, struct journal *(*begin)(void *,
    char **))
{
	const struct plan *p = r->plan;
	app_take_lookups(a, r);
	struct op_send_opts so = app_send_opts(a, r);

	app_send_plan_fill(a, r, &r->ask);
	so.ask = &r->ask;
	so.begin = begin;
	so.begin_arg = a;
	so.again = "S looks again";
	app_run_free(a->pending);
	a->pending = r;
	if (!app_op_start(a, op_send(&a->conn, NULL, r->s, &so), send_ended)) {
		app_run_free(r);
		a->pending = NULL;
		return;
	}
	if (a->op != NULL && op_question(a->op) == NULL && r->s->meta.preflight) {
		char n1[64];
		app_status(a, false, "looking before sending: what the portal holds for "
		    "%s (C-c stops)", fmt_counted(n1, p->nsend, "pair"));
	}
}

static void keys_done(struct app *a);

/* Keys in the pairs are looked up before anything else (op_keys, on the
 * event loop); keys_done then goes on with then (S, or R).  false: there
 * are none. */
bool
app_look_up_keys(struct app *a, void (*then)(struct app *a, const uint32_t *rows,
    size_t n))
{
	const char *display[2] = { app_display_of(a, &a->ws.from),
	    app_display_of(a, &a->ws.to) };
	struct op *o = op_keys(&a->conn, a->ws.pairs, &a->ws.from, &a->ws.to, display,
	    a->ws.names);
	size_t keys, least;
	char n1[64], n2[64];

	if (op_done(o)) {
		op_free(o);
		return false;
	}
	keys = op_keys_wanted(o, &least);
	if (!app_op_start(a, o, keys_done))
		return true;
	a->lookup_then = then;
	app_status(a, false, "looking up %s in the portal (%s at least; C-c stops)",
	    fmt_counted(n1, keys, "key"), fmt_counted(n2, least, "request"));
	return true;
}

/* S or R goes on, with R's rows, once the lookup is freed. */
static void
keys_go_on(struct app *a)
{
	void (*then)(struct app *, const uint32_t *, size_t) = a->lookup_then;
	uint32_t *rows = a->lookup_rows;
	size_t n = a->lookup_nrows;

	a->lookup_then = NULL;
	a->lookup_rows = NULL;
	then(a, rows, n);
	free(rows);
	/* Lookups no send took (S or R refused) are not kept for another. */
	journal_close(a->lookups);
	a->lookups = NULL;
}

/* The keys' lookups are answered, or stopped: the pairs have their IDs, or
 * say why not, and S goes on. */
static void
keys_done(struct app *a)
{
	if (a->op->status != EXIT_ALL_CREATED) {
		app_status(a, true, "%s; S looks again", a->op->summary != NULL ?
		    a->op->summary : "nothing was sent: the lookup stopped");
		a->lookup_then = NULL;
		free(a->lookup_rows);
		a->lookup_rows = NULL;
	} else {
		/* Recorded as they now read: a reopened working set does not
		 * look them up again. */
		size_t nchanged;
		const uint32_t *changed = op_keys_changed(a->op, &nchanged);
		journal_close(a->lookups);
		a->lookups = op_keys_journal(a->op, &a->lookup_reqs);
		(void)work_rows_changed(a, changed, nchanged);   /* says so if it fails */
		/* The IDs that came are measured for their columns again. */
		app_pairs_changed(a);
		app_replan(a);
		a->after_op = keys_go_on;
	}
}

/* S after its pairs' keys were looked up. */
static void
submit_looked(struct app *a, const uint32_t *rows, size_t n)
{
	(void)rows;
	(void)n;
	app_submit(a);
}

/* The valid rows when none has a type to go with (none chosen, no SPEC
 * column), else 0: an operation that needs types has nothing to send. */
static size_t
untyped_only(const struct app *a)
{
	const struct input *in = a->ws.pairs;
	size_t n = 0;

	if (a->ws.op == PLAN_OP_REMOVE || a->ws.ntypes > 0)
		return 0;
	for (size_t i = 0; i < in->nrows; i++) {
		if (in->rows[i].status != ROW_VALID)
			continue;
		if (in->rows[i].set != 0)
			return 0;
		n++;
	}
	return n;
}

void
app_submit(struct app *a)
{
	size_t untyped = a->ws.have_from && a->ws.have_to ? untyped_only(a) : 0;

	/* Said before the keys are looked up for nothing (before: they were,
	 * then "no valid pair to send"). */
	if (untyped > 0 && !(a->run != NULL && a->run->running)) {
		char n1[64];
		app_status(a, true, "choose the association types first: y (%s wait "
		    "for one)", fmt_counted(n1, untyped, "row"));
		return;
	}
	if (a->connected && a->ws.have_from && a->ws.have_to && a->labels_loading &&
	    !(a->run != NULL && a->run->running)) {
		a->submit_waiting = true;
		app_status(a, false, "the portal's labels are on their way; the question "
		    "follows");
		return;
	}
	/* Keys first: the plan sends IDs only. */
	if (a->ws.have_from && a->ws.have_to && app_ready_to_send(a) && a->ws.keys > 0 &&
	    app_look_up_keys(a, submit_looked))
		return;
	if (!app_ready_to_send(a))
		return;
	/* The pairs' session goes on, when it may; else they go as a new one,
	 * in a draft of their own (the session as it was stays). */
	const char *why = NULL;
	char *from = NULL;
	if (a->ws.sent) {
		if (app_send_next(a, &why))
			return;
		from = xstrdup(journal_path(a->ws.j));
		if (work_fork(a) != 0) {
			free(from);
			return;
		}
	}
	/* Nothing asked: the pairs are the session's they went on from. */
	if (!first_send(a, why, from) && from != NULL) {
		char *said = a->status != NULL ? xstrdup(a->status) : NULL;
		(void)work_give_back(a, from);
		if (said != NULL)
			app_status(a, true, "%s", said);
		free(said);
	}
	free(from);
}

void
app_cancel(struct app *a)
{
	struct run *r = a->run;

	if (a->op == NULL) {
		app_status(a, false, "nothing is being sent");
		return;
	}
	if (r != NULL && r->running && r->engine != NULL)
		app_status(a, false, engine_stop_reason(r->engine) == ENGINE_INTERRUPTED ?
		    "cutting the requests in flight" : "stopping: waiting for the "
		    "answers in flight (C-c again cuts them)");
	else {
		/* What it is doing: S's send reads before it sends. */
		const char *what = op_busy_with(a->op) != NULL ? op_busy_with(a->op) :
		    a->op->kind->name;
		app_status(a, false, "stopping %s%s", strncmp(what, "the ", 4) == 0 ?
		    "" : "the ", what);
	}
	op_interrupt(a->op);
}

/* The send has ended (its end recorded, its summary said): the views
 * show it as it ended. */
/* The portal answers send e: the header's "not answering" of a first call
 * that got none is over, at the first answer (before: said on through the
 * send, and after it). */
static void
link_answered(struct app *a, struct engine *e)
{
	if (a->link == LINK_UNREACHABLE && e != NULL && engine_stats(e)->answers > 0) {
		a->link = LINK_OK;
		free(a->link_why);
		a->link_why = NULL;
		a->need_redraw = true;
	}
}

static void
sent(struct app *a)
{
	struct run *r = a->run;
	struct engine *e = op_engine(a->op);
	char n2[32];

	r->running = false;
	/* The engine is the operation's, freed with it. */
	r->engine = NULL;
	if (e != NULL) {
		r->stop = engine_stop_reason(e);
		if (engine_stop_message(e) != NULL)
			r->stop_msg = xstrdup(engine_stop_message(e));
		link_answered(a, e);
	}
	if (r->journal != NULL) {
		if (!r->journal_borrowed)
			journal_close(r->journal);
		r->journal = NULL;
	}
	r->ended = true;
	/* Asked to stop it and quit, and it ended meanwhile: the question is
	 * of a send no more (before: asked on, and a yes quit with exit 0
	 * over a send the admin thought stopped). */
	app_quit_question_gone(a, "send");
	a->gen++;
	view_results_rebuild(&a->views[VIEW_RESULTS]);
	view_errors_rebuild(&a->views[VIEW_ERRORS]);
	view_history_reload(&a->views[VIEW_HISTORY]);
	if (e == NULL)
		return;          /* the preflight stopped: its summary says so */
	/* The summary said, then what the send warned of, which it replaced
	 * (before: "requests of 50 inputs from here" gone with the end). */
	if (r->warning != NULL && a->status != NULL) {
		char *summary = xstrdup(a->status);
		app_status(a, true, "%s; warning: %s", summary, r->warning);
		free(summary);
	}
	char send[32] = "";
	if (r->s->nsends > 1)
		snprintf(send, sizeof(send), ", send %zu", r->s->nsends);
	if (engine_stopped_at_hold(e))
		/* Stopped when asked: the end says so again. */
		app_status(a, false, "session %s%s: stopped; the rest is not_sent, "
		    "for R once the cause is fixed (%s failed)", r->id, send,
		    fmt_count(n2, r->out->count[OUTCOME_FAILED]));
	if (r->stop == ENGINE_AUTH)
		app_status(a, true, "session %s stopped: :token gives another token, "
		    ":profile NAME switches, then R sends the rest (%s)", r->id,
		    r->stop_msg != NULL ? r->stop_msg : "the portal refused the token");
	/* A relabel whose old labels' removal stopped: how to finish it
	 * first, where a long reason cannot cut it off. */
	const char *left = op_send_unfinished(a->op);
	r->unfinished = left != NULL;
	if (left != NULL)
		app_status(a, true, "session %s%s is unfinished: r in History (5) "
		    "finishes it. %s", r->id, send, left);
}

/* One turn of the network: the engine's, or the background fetches'. */
void
app_poll_network(struct app *a)
{
	app_fetches_poll(a);
	app_op_poll(a);
	/* The send's engine, once it is there: for the views. */
	if (a->run != NULL && a->run->running && a->run->engine == NULL &&
	    a->op != NULL && a->op->s == a->run->s)
		a->run->engine = op_engine(a->op);
	link_answered(a, a->run != NULL && a->run->running ? a->run->engine : NULL);
}

struct run *
app_session_run(struct app *a, const char *path, bool hold)
{
	struct run *r;
	char *cause = NULL;

	/* The working set's own session, held already, by this terminal: the
	 * pairs themselves (before, a copy read from its journal, its rows
	 * found among the pairs by their lines). */
	if (work_is(a, path)) {
		r = app_run_of_work(a);
		r->loaded = true;
		r->ended = true;
		return r;
	}
	r = app_run_alloc();
	if (hold && (r->journal = journal_reopen(path, &cause)) == NULL) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return NULL;
	}
	if (journal_load(path, r->s, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return NULL;
	}
	app_run_of_session(r, path);
	return r;
}

static void resume_confirmed(struct app *a, bool yes);

void
app_open_session(struct app *a, const char *path, bool resume)
{
	struct run *r;

	if (app_busy(a))
		return;
	/* Taken for sending before it is read: what is read is what is sent. */
	if ((r = app_session_run(a, path, resume)) == NULL)
		return;
	if (resume && (r->s->meta.undo == SESSION_UNDO_BEGUN ||
	    r->s->meta.undo == SESSION_UNDO_READING)) {
		/* An undo that stopped: resuming finishes it, as hubassoc resume
		 * does (it asks again, with what is left to do). */
		app_run_free(r);
		app_undo_session(a, path);
		return;
	}
	if (resume && r->s->meta.undo == SESSION_UNDO_DONE) {
		/* Its rows not written again in a session taken back (before:
		 * r sent its not_sent rows), as hubassoc resume refuses. */
		app_say_undone(a, r->id, path);
		app_run_free(r);
		return;
	}
	if (resume && r->s->nsends == 0) {
		char where[4096];
		app_status(a, true, "session %s has not been sent yet: nothing to "
		    "resume (hubassoc --session %s%s opens its pairs)", r->id, r->id,
		    conn_where(&a->conn, where, sizeof(where)));
		app_run_free(r);
		return;
	}
	if (resume) {
		if (!app_check_here(a, &r->s->meta, "resume")) {
			app_run_free(r);
			return;
		}
		if (!session_resume_wanted(r->s)) {
			/* Opened as it is: a resume record would say otherwise. */
			r->s->resuming = false;
			app_status(a, false, "session %s has nothing left to send", r->id);
			if (!r->journal_borrowed)
				journal_close(r->journal);
			r->journal = NULL;
			app_set_run(a, r);
			return;
		}
		/* As S and R do: say what will go, and ask. */
		uint32_t *rows = xcalloc(r->in->nrows + 1, sizeof(*rows));
		size_t n = 0;
		for (size_t i = 0; i < r->plan->nsend; i++)
			if (r->out->state[r->plan->order[i]] == OUTCOME_PENDING ||
			    r->out->state[r->plan->order[i]] == OUTCOME_UNCONFIRMED)
				rows[n++] = r->plan->order[i];
		/* A remove's or a relabel's classes are its own plan's, not a
		 * create's ("2 new, 103 adds labels" of a relabel, before); one
		 * not agreed to yet asks that plan itself, first. */
		const struct session *rs = r->s;
		bool change = r->plan->op != PLAN_OP_CREATE;
		bool asks = change && !rs->sends[rs->nsends - 1].agreed;
		struct send_plan sp = { .kind = SEND_RESUME, .in = r->in,
		    .plan = r->plan, .rows = rows, .n = n, .pre = change ? NULL :
		    &r->s->pre, .session = r->id, .send = r->s->nsends,
		    .unconfirmed = r->out->count[OUTCOME_UNCONFIRMED],
		    .flags = plan_rows_flags(r->plan, r->in, rows, n) };
		if (n > 0 && !asks) {
			app_ask_to_run(a, r, &sp, resume_confirmed);
		} else {
			/* A relabel's replaced labels to look for again, agreed
			 * to already: nothing new is written but what it asked;
			 * or a plan not agreed to, which the send asks. */
			app_run_free(a->pending);
			a->pending = r;
			resume_confirmed(a, true);
		}
		free(rows);
		return;
	}
	char where[512];
	const char *away = app_went_elsewhere(a, &r->s->meta, where, sizeof(where));
	/* The pairs' own session is what they are, S and R send from it;
	 * another, read. */
	bool work = app_run_is_work(a, r);
	app_set_run(a, r);
	app_status(a, away[0] != '\0', "session %s%s%s", r->id, work ? "" :
	    ", read-only", away);
}

/* A yes sends what the session left; a no lets it go, unsent. */
static void
resume_confirmed(struct app *a, bool yes)
{
	struct run *r = a->pending;
	char *cause = NULL;

	a->pending = NULL;
	if (r == NULL)
		return;
	bool work = app_run_is_work(a, r);
	if (!yes) {
		app_status(a, false, "session %s not resumed", r->id);
		app_run_free(r);
		/* What the resume took of the pairs' session, given back. */
		if (work)
			(void)work_reload(a);
		return;
	}
	/* The pairs added since join the session first: what its records
	 * count is what its journal holds. */
	if ((work && workset_join(&a->ws, &cause) != 0) ||
	    journal_resumed(r->journal, (unsigned)r->s->nsends, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return;
	}
	r->resumed = true;
	app_set_run(a, r);
	app_send_run(a, r);
}

