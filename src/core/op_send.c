/* op_send.c: a send of a session, from either front end (see op.h):
 * the rows no preflight read are read first, then the engine sends. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/assocread.h"
#include "hubassoc/limitcheck.h"
#include "hubassoc/op.h"
#include "hubassoc/preflight.h"
#include "hubassoc/text.h"
#include "op_relabel.h"

/* ---- the send ------------------------------------------------------------ */

struct send_op {
	struct op_send_opts o;
	/* Its creates ended, and what follows them stopped: a relabel's
	 * reading or unlabel (the summary says why; resume finishes it). */
	bool unfinished;
	/* 0 start, 1 looking, 2 sending, 3 asked; a relabel's last step:
	 * 4 reading its pairs again, 5 taking the replaced labels off; the
	 * limits: 6 listing them, 7 reading the records they cap; 8 a
	 * create asked (ask) */
	int phase;
	struct limitcheck *lc;     /* the configured limits, once looked at */
	char *first_over;          /* the first record past one, as said */
	char *limits_said;         /* what they came to, for ask's question */
	size_t over;               /* records past theirs (a check's) */
	bool limits_done;
	/* A send that asks first: what it journals is held until the yes
	 * gives it its journal (begun). */
	struct journal *held;
	bool begun;
	struct preflight *pf;
	struct relabel_last last;  /* a relabel's last step (op_relabel.c) */
	uint32_t *looked;          /* the rows the preflight reads */
	size_t nlooked;
	uint64_t looked_at;
	uint64_t started_at;       /* when its creates began */
	uint64_t lookups_after;    /* the request number the lookups follow */
};

/* What a stop before anything was written says after it: a begun
 * session's resume looks again; one not begun is the front end's to
 * look again at. */
static char *
again_hint(const struct op *o)
{
	const struct send_op *x = o->data;

	if (x->begun && o->s->meta.id != NULL)
		return xstrdup("; nothing was sent: resume looks again");
	return xasprintf("; nothing was sent%s%s", x->o.again != NULL ? ": " : "",
	    x->o.again != NULL ? x->o.again : "");
}

/* A begun send stopped before its writes: its rows still pending are
 * not_sent, saying why, as the engine leaves the rows it did not send
 * (resume sends them), and the journal says so. */
static int
leave_unsent(struct op *o, const char *why)
{
	struct session *s = o->s;
	size_t first_err = s->out.nerrors, first_labels = s->out.nlabel_sets, n = 0;
	uint32_t *rows = xcalloc(s->plan.nsend + 1, sizeof(*rows)), err = 0;

	for (size_t i = 0; i < s->plan.nsend; i++) {
		uint32_t row = s->plan.order[i];
		if (s->out.state[row] != OUTCOME_PENDING)
			continue;
		if (err == 0)
			err = outcomes_add_error(&s->out, outcome_local_error(
			    OUTCOME_CAT_NOT_SENT, "not sent: the send stopped before it "
			    "wrote: %s", why), PLAN_NONE, 0, true);
		outcomes_set(&s->out, row, OUTCOME_NOT_SENT, 0, err);
		rows[n++] = row;
	}
	int rc = n > 0 && o->j != NULL ? journal_outcomes(o->j, &s->out, first_err,
	    first_labels, rows, n) : 0;
	free(rows);
	return rc;
}

/* A begun send ends before its writes, as stop stopped it (msg: why,
 * NULL: the stop's name): its rows not_sent, then its end record. */
static int
end_unwritten(struct op *o, enum engine_stop stop, const char *msg)
{
	const char *name = engine_stop_name(stop, 0);

	if (o->j == NULL)
		return 0;
	return leave_unsent(o, msg != NULL ? msg : name) != 0 ||
	    journal_end(o->j, name, session_stop_status(stop), &o->s->out) != 0 ? -1 : 0;
}

/* Whether the stop ended the step's calls: else the send is done, said
 * with again_hint. */
static bool
calls_went(struct op *o)
{
	struct send_op *x = o->data;
	char *hint = again_hint(o);
	bool went = op_calls_ended(o, hint);

	free(hint);
	/* A begun send ends there, as the preflight's stop ends it: its
	 * state is how it stopped, not "unfinished". */
	if (!went && x->begun && o->s->meta.id != NULL &&
	    end_unwritten(o, calls_stop_reason(o->calls), calls_stop_message(o->calls)) != 0)
		op_say(o, "  journal    its end could not be written (%s)", strerror(errno));
	return went;
}

static void
say_text(void *arg, const char *text)
{
	op_say(arg, "%s", text);
}

/* The first chunks failed alike and the engine holds: what a yes sends,
 * and what a no leaves. */
static void
ask_at_hold(struct op *o)
{
	const char *cat, *msg;
	size_t failed, waiting = engine_rows_waiting(o->engine);
	size_t flying = o->s->out.count[OUTCOME_PENDING] - waiting;
	char a[32], b[32], title[160], brief[512];

	if (!engine_holding(o->engine, &cat, &msg, &failed))
		return;
	snprintf(title, sizeof(title), "The first %s rows all failed alike: send the "
	    "other %s?", fmt_count(a, failed), fmt_count(b, waiting));
	snprintf(brief, sizeof(brief), "The first %s rows all failed alike (%s%s%s): "
	    "send the other %s?", fmt_count(a, failed), cat, cat[0] ? ": " : "", msg,
	    fmt_count(b, waiting));
	op_ask(o, title, brief);
	op_ask_line(o, "failed     %s row%s, every one with %s%s%s", fmt_count(a, failed),
	    failed == 1 ? "" : "s", cat, cat[0] ? ": " : "", msg);
	if (flying > 0)
		op_ask_line(o, "in flight  %s row%s: their answers are taken either way",
		    fmt_count(a, flying), flying == 1 ? "" : "s");
	op_ask_line(o, "waiting    %s row%s, none sent yet", fmt_count(a, waiting),
	    waiting == 1 ? "" : "s");
	op_ask_line(o, "y          sends them, paced as before");
	op_ask_line(o, "n          sends none: they stay not_sent (stopped at the hold), "
	    "for R or resume once the cause is fixed");
}

static void
send_event(void *arg, const struct engine_event *ev)
{
	struct op *o = arg;
	struct send_op *x = o->data;

	if (ev->kind == ENGINE_EV_HOLD)
		ask_at_hold(o);
	if (x->o.on_event != NULL)
		x->o.on_event(x->o.event_arg, ev);
}

static void start_engine(struct op *o);

/* The keys' lookups, held, go first in the session's journal, numbered
 * after its last request.  false: they could not, and the send is done. */
static bool
write_lookups(struct op *o, struct journal *j)
{
	struct send_op *x = o->data;
	int rc = x->o.lookups == NULL || j == NULL ? 0 :
	    journal_replay_after(j, x->o.lookups, x->lookups_after);

	journal_close(x->o.lookups);
	x->o.lookups = NULL;
	if (rc != 0)
		op_finish(o, EXIT_AUTH, "nothing was sent: the journal could not be written "
		    "(%s)", strerror(errno));
	return rc == 0;
}

/* The session begins (its journal the front end's), what was held is
 * written there first.  false: it could not, and the send is done. */
static bool
begin_session(struct op *o)
{
	struct send_op *x = o->data;
	char *cause = NULL;
	struct journal *j = x->o.begin(x->o.begin_arg, &cause);

	if (j == NULL) {
		op_finish(o, EXIT_AUTH, "nothing was sent: cannot start the journal: %s",
		    cause != NULL ? cause : "?");
		free(cause);
		return false;
	}
	/* What the pairs held, for undo, before anything leaves: held with
	 * the reads, or read by a send asked before (and not agreed to). */
	struct session *s = o->s;
	if (!write_lookups(o, j))
		return false;
	if (journal_replay(j, x->held) != 0 || (x->nlooked == 0 && s->pre.rows != NULL &&
	    journal_prestate(j, &s->pre, s->plan.order, s->plan.nsend) != 0)) {
		op_finish(o, EXIT_AUTH, "nothing was sent: the journal could not be written "
		    "(%s)", strerror(errno));
		return false;
	}
	journal_close(x->held);
	x->held = NULL;
	o->j = j;
	x->begun = true;
	/* The reads held were numbered first. */
	s->meta.last_req = o->next_req - 1;
	return true;
}

/* A remove's or a relabel's plan is agreed to (or had nothing to ask):
 * recorded, then sent. */
static void
plan_agreed(struct op *o)
{
	if (o->j != NULL && journal_agreed(o->j) != 0) {
		op_finish(o, EXIT_AUTH, "session %s: nothing was sent: the journal "
		    "could not be written", o->s->meta.id);
		return;
	}
	if (o->s->nsends > 0)
		o->s->sends[o->s->nsends - 1].agreed = true;
	start_engine(o);
}

static void
send_answer(struct op *o, bool yes)
{
	struct send_op *x = o->data;

	if (x->phase == 8) {
		if (yes && begin_session(o))
			start_engine(o);
		else if (!yes)
			op_finish(o, EXIT_ALL_CREATED, "not sent");
		return;
	}
	if (x->phase == 3) {
		if (yes) {
			plan_agreed(o);
			return;
		}
		/* A retry's rows stand as they did; a first send's stay
		 * pending. */
		int status = EXIT_USAGE;
		bool retry = session_send_declined(o->s);
		bool unwritten = o->j != NULL && journal_end(o->j, "declined", status,
		    &o->s->out) != 0;
		/* As its journal reads (before: only there; the terminal's
		 * header said "not sent" of it, History "declined"). */
		session_ended(o->s, "declined", status);
		/* The command that asks again, whole (before: "resume asks
		 * again", no ID, no portal). */
		char where[4096];
		op_finish(o, unwritten ? EXIT_AUTH : status, "session %s: nothing was "
		    "sent: the plan was not agreed to; hubassoc %s %s%s asks again",
		    o->s->meta.id, retry ? "retry" : "resume", o->s->meta.id,
		    conn_where(o->c, where, sizeof(where)));
		return;
	}
	if (o->engine == NULL || o->engine_over)
		return;
	if (yes)
		engine_hold(o->engine, false);
	else
		engine_stop_at_hold(o->engine);
}

/* The answers' latency as last measured: the step's, else the
 * connection's (0: none yet). */
static uint64_t
latency_now(const struct op *o)
{
	uint64_t l = o->calls != NULL ? calls_stats(o->calls)->latency_ms : 0;

	return l > 0 ? l : o->c->latency_ms;
}

/* The send's cost, said as it starts: the creates its pending rows take,
 * the reads made, the time at the portal's budget and the share of the
 * portal's limit it reaches. */
static void
say_cost(struct op *o)
{
	const struct send_op *x = o->data;
	struct session *s = o->s;
	size_t pending = 0, creates = 0;
	struct buf m = BUF_INIT;

	/* A request a chunk that has rows pending. */
	for (size_t c = 0; c < s->plan.nchunks; c++) {
		size_t n, k = 0;
		const uint32_t *rows = plan_chunk_rows(&s->plan, c, &n);
		for (size_t i = 0; i < n; i++)
			k += s->out.state[rows[i]] == OUTCOME_PENDING;
		pending += k;
		creates += k > 0;
	}
	if (pending == 0)
		return;
	send_cost_at(&m, s->plan.op, pending, creates, op_requests(o), &o->c->rate,
	    latency_now(o), o->c->concurrency, x->o.hold_alike, false);
	op_say(o, "  cost       %s", buf_str(&m));
	buf_free(&m);
	char *daily = send_daily_warning(&o->c->rate, creates);
	if (daily != NULL)
		op_say(o, "  warning    %s", daily);
	free(daily);
}

/* A row's class in a remove's or a relabel's plan (pre_change.c), and
 * what it warns of. */
static int
change_class(const struct session *s, size_t row, bool *all, bool *one)
{
	return pre_row_change(s->pre.rows != NULL ? &s->pre.rows[row] : NULL, &s->plan,
	    s->in, row, all, one);
}

/* What a remove's or a relabel's row of class c comes to before anything
 * is written: nothing for a pair that holds what it asks already
 * (unchanged), nor for a pair a relabel finds not there (failed NO_PAIR,
 * unless it creates them), nor for a record the portal does not have
 * (failed NO_RECORD: no pair can be there, nor be made; before, a create
 * was sent for it, and refused); else it is written (pending). */
static enum outcome
unwritten_as(enum plan_op op, int c)
{
	if (op == PLAN_OP_RELABEL)
		return c == PRE_RL_ALREADY ? OUTCOME_UNCHANGED : c == PRE_RL_NO_PAIR ||
		    c == PRE_RL_NO_RECORD ? OUTCOME_FAILED : OUTCOME_PENDING;
	/* A remove's too (before: sent, and counted removed). */
	return c == PRE_RM_NOT_THERE ? OUTCOME_UNCHANGED : c == PRE_RM_NO_RECORD ?
	    OUTCOME_FAILED : OUTCOME_PENDING;
}

/* A remove's or a relabel's plan, its last lines but the undo's: what
 * it leaves out, asked in the terminal, as a create's question says it
 * (before: the invalid rows, the repeats and those made before unsaid);
 * which portal (the profile, or the built-in sandbox) and session (why a
 * new one, when the terminal says). */
static void
change_where(struct op *o, struct op_question *lines)
{
	const struct send_op *x = o->data;
	const struct session *s = o->s;
	const struct send_plan *ask = x->o.ask;

	if (ask != NULL) {
		struct send_plan left = *ask;
		left.in = s->in;
		left.plan = &s->plan;
		left.rows = NULL;
		send_question_left_out(lines, &left);
	}
	const char *whose = ask != NULL ? ask->profile : NULL;
	op_question_line(lines, "portal     %s%s%s%s", o->c->base_url,
	    whose != NULL ? " (" : "", whose != NULL ? whose : "", whose != NULL ? ")" : "");
	if (!x->o.dry && s->nsends > 1)
		op_question_line(lines, "session    %s, send %zu", s->meta.id, s->nsends);
	else if (!x->o.dry && s->resuming)
		/* A send not agreed to, resumed: its session is not new
		 * (before: "new: ID" of a declined one asked again). */
		op_question_line(lines, "session    %s, send %zu, asked again", s->meta.id,
		    s->nsends);
	else if (!x->o.dry)
		op_question_line(lines, "session    new: %s%s%s%s%s", s->meta.id,
		    ask != NULL && ask->other_why != NULL ? "; session " : "",
		    ask != NULL && ask->other_why != NULL ? ask->other_session : "",
		    ask != NULL && ask->other_why != NULL ? " " : "",
		    ask != NULL && ask->other_why != NULL ? ask->other_why : "");
}

/* A remove's or a relabel's plan, asked (or said, for a dry run): what
 * each class of the pending rows does, with its first row, what it warns
 * of, the portal and how to undo it. */
static void
ask_change(struct op *o)
{
	struct send_op *x = o->data;
	struct session *s = o->s;
	const struct plan *p = &s->plan;
	size_t count[PRE_CHANGE_CLASSES] = { 0 }, n = 0, writes = 0, all = 0, one = 0;
	size_t fails = 0;             /* rows it fails without a write: no pair */
	size_t kept = 0;
	char m[64];
	size_t first[PRE_CHANGE_CLASSES], first_all = SIZE_MAX, first_one = SIZE_MAX;
	struct buf b = BUF_INIT;
	char a[32], c[32];

	for (int k = 0; k < PRE_CHANGE_CLASSES; k++)
		first[k] = SIZE_MAX;
	for (size_t i = 0; i < p->nsend; i++) {
		uint32_t row = p->order[i];
		bool takes_all, takes_one;
		/* A relabel's rows whose old label was kept: the last step only. */
		kept += outcomes_label_kept(&s->out, row);
		if (s->out.state[row] != OUTCOME_PENDING)
			continue;
		n++;
		int k = change_class(s, row, &takes_all, &takes_one);
		writes += unwritten_as(p->op, k) == OUTCOME_PENDING;
		fails += unwritten_as(p->op, k) == OUTCOME_FAILED;
		if (count[k]++ == 0)
			first[k] = row;
		if (takes_all && all++ == 0)
			first_all = row;
		if (takes_one && one++ == 0)
			first_one = row;
	}
	/* What it writes for: not the rows it leaves as they are.  With
	 * nothing to write there is nothing to agree to: its plan is said,
	 * and its rows settled (before: "Relabel 0 pairs?" asked, and an
	 * undo offered for nothing). */
	bool nothing = writes + kept == 0;
	buf_printf(&b, "%s %s pair%s on %s?", p->op == PLAN_OP_REMOVE ? "Remove" :
	    p->op == PLAN_OP_UNLABEL ? "Remove labels of" : "Relabel",
	    fmt_count(a, writes + kept), writes + kept == 1 ? "" : "s", o->c->base_url);
	if (!x->o.dry && !nothing)
		op_ask(o, buf_str(&b), buf_str(&b));
	struct op_question lines = { 0 };
	op_question_set(&lines, "", "");
	size_t chunks = (writes + p->chunk_size - 1) / p->chunk_size;
	if (nothing && n > 0)
		op_question_line(&lines, "%-10s %s: each holds what it asks, or is no "
		    "pair: nothing to write", "as is", fmt_counted(m, n, "pair"));
	if (writes > 0) {
		op_question_line(&lines, "%-10s %s, %s to %s, in %s request%s of up to "
		    "%zu (%s)", plan_op_command(p->op), fmt_count(a, writes),
		    objtype_name(&p->from), objtype_name(&p->to), fmt_count(c, chunks),
		    chunks == 1 ? "" : "s", p->chunk_size, plan_op_action(p->op));
		/* What it costs, as a create's question says it. */
		buf_reset(&b);
		send_cost_at(&b, p->op, writes, chunks, op_requests(o), &o->c->rate,
		    latency_now(o), o->c->concurrency, x->o.hold_alike, true);
		op_question_line(&lines, "cost       %s", buf_str(&b));
		char *daily = send_daily_warning(&o->c->rate, chunks);
		if (daily != NULL)
			op_question_line(&lines, "warning    %s", daily);
		free(daily);
	}
	/* A relabel's last step, which the cost does not count: the pairs
	 * that replace labels read again, the labels still on taken off
	 * (none on a portal whose create replaced them). */
	size_t replacing = p->op == PLAN_OP_RELABEL ? count[PRE_RL_RELABELS] : 0;
	if (replacing > 0) {
		size_t reads = (replacing + ASSOCREAD_MAX - 1) / ASSOCREAD_MAX;
		size_t off = (replacing + p->chunk_size - 1) / p->chunk_size;
		op_question_line(&lines, "then       up to %s and %s archive%s: the "
		    "replaced labels read again and taken off where still on (%s)",
		    fmt_counted(m, reads, "read"), fmt_count(c, off), off == 1 ? "" : "s",
		    plan_op_action(PLAN_OP_UNLABEL));
	}
	if (kept > 0)
		op_question_line(&lines, "%-10s %s: the new label is on; the labels it "
		    "replaces are read again and taken off (%s)", "old label",
		    fmt_counted(m, kept, "pair"), plan_op_action(PLAN_OP_UNLABEL));
	/* The rows it leaves as they are are said once, by their classes
	 * (before: a "left as is" line too, which read as more rows). */
	for (int k = 0; k < PRE_CHANGE_CLASSES; k++) {
		if (count[k] == 0)
			continue;
		const struct pre_row *r = s->pre.rows != NULL ? &s->pre.rows[first[k]] : NULL;
		buf_reset(&b);
		/* "pairs 8, such as line 2: removes the pair" (before: "pairs
		 * 8: line 2: ...", read as garbled). */
		buf_printf(&b, "%-10s %s, %sline ", pre_change_tag(p->op, k),
		    fmt_count(a, count[k]), count[k] > 1 ? "such as " : "");
		input_line_label(s->in, s->in->rows[first[k]].line, &b);
		buf_addstr(&b, ": ");
		pre_row_change_describe(&b, r, p, s->in, first[k], x->o.labels);
		op_question_line(&lines, "%s", buf_str(&b));
	}
	if (all > 0)
		op_question_line(&lines, "warning    %s take%s the unlabeled type, and "
		    "with it every label their pair holds (first: line %u)",
		    fmt_count(a, all), all == 1 ? "s" : "", s->in->rows[first_all].line);
	if (one > 0)
		op_question_line(&lines, "warning    %s leave%s a record without its "
		    "Primary (first: line %u)", fmt_count(a, one), one == 1 ? "s" : "",
		    s->in->rows[first_one].line);
	change_where(o, &lines);
	/* Copied, it goes where this one went (before: without its
	 * --sandbox or --base-url, refused). */
	char where[4096];
	if (!nothing)
		op_question_line(&lines, "undo       hubassoc undo %s%s puts back what %s, "
		    "labels and Primary included", x->o.dry ? "SESSION" : s->meta.id,
		    conn_where(o->c, where, sizeof(where)),
		    p->op == PLAN_OP_RELABEL ? "each pair held" : "was removed");
	for (size_t i = 0; i < lines.nlines; i++) {
		if (x->o.dry || nothing)
			op_say(o, "  %s", lines.lines[i]);
		else
			op_ask_line(o, "%s", lines.lines[i]);
	}
	op_question_clear(&lines);
	buf_free(&b);
	/* Rows it would fail make a dry run's exit status what the send's
	 * would be, for a script that checks first (before: 0). */
	if (x->o.dry) {
		op_finish(o, fails > 0 ? EXIT_SOME_FAILED : EXIT_ALL_CREATED, "%s: dry "
		    "run: nothing was written%s%s%s%s", plan_op_command(p->op),
		    fails > 0 ? "; " : "", fails > 0 ? fmt_counted(m, fails, "row") : "",
		    fails > 0 ? " would fail as " : "", fails == 0 ? "" :
		    count[PRE_RL_NO_RECORD] == 0 ? OUTCOME_CAT_NO_PAIR :
		    count[PRE_RL_NO_PAIR] == 0 ? OUTCOME_CAT_NO_RECORD :
		    OUTCOME_CAT_NO_PAIR " or " OUTCOME_CAT_NO_RECORD);
		return;
	}
	x->phase = 3;
	if (nothing)
		plan_agreed(o);
}

/* A create that asks (ask): its question, with what the preflight read,
 * what the limits came to and the requests made for them. */
static void
ask_create(struct op *o)
{
	struct send_op *x = o->data;
	struct session *s = o->s;
	struct send_plan sp = *x->o.ask;
	struct op_question q = { 0 };

	sp.in = s->in;
	sp.plan = &s->plan;
	sp.pre = &s->pre;
	sp.reads = op_requests(o);   /* this send's reads (a session's next numbers on) */
	sp.latency_ms = latency_now(o);
	sp.in_flight = o->c->concurrency;
	sp.hold = x->o.hold_alike;
	sp.limits = x->limits_said;
	sp.flags = plan_rows_flags(&s->plan, s->in, s->plan.order, s->plan.nsend);
	send_question(&q, &sp);
	op_ask_whole(o, &q);
	x->phase = 8;
}

/* The rows a remove or a relabel writes nothing for are settled before
 * anything leaves (unwritten_as), journaled. */
static bool
settle_unwritten(struct op *o)
{
	struct session *s = o->s;
	uint32_t *rows = xcalloc(s->plan.nsend + 1, sizeof(*rows));
	size_t n = 0, err0 = s->out.nerrors, lab0 = s->out.nlabel_sets;
	/* Its two local errors, made once each: no pair, no record. */
	bool relabel = s->plan.op == PLAN_OP_RELABEL;
	const struct { const char *cat, *msg; } why[2] = {
		{ OUTCOME_CAT_NO_PAIR, "no such pair: a relabel leaves it alone "
		    "(relabel --create-missing creates it)" },
		{ OUTCOME_CAT_NO_RECORD, relabel ? "the portal has no such record: no "
		    "pair to relabel, nor to create" : "the portal has no such record: "
		    "no pair to remove" },
	};
	uint32_t err[2] = { 0, 0 };

	for (size_t i = 0; s->pre.rows != NULL && i < s->plan.nsend; i++) {
		uint32_t row = s->plan.order[i];
		enum outcome to;
		bool all, one;
		int k = change_class(s, row, &all, &one);
		if (s->out.state[row] != OUTCOME_PENDING ||
		    (to = unwritten_as(s->plan.op, k)) == OUTCOME_PENDING)
			continue;
		int w = relabel ? k == PRE_RL_NO_RECORD : k == PRE_RM_NO_RECORD;
		if (to == OUTCOME_FAILED && err[w] == 0)
			err[w] = outcomes_add_error(&s->out, outcome_local_error(why[w].cat,
			    "%s", why[w].msg), s->plan.chunk[row], 0, true);
		outcomes_set(&s->out, row, to, 0, to == OUTCOME_FAILED ? err[w] : 0);
		rows[n++] = row;
	}
	bool ok = n == 0 || o->j == NULL ||
	    journal_outcomes(o->j, &s->out, err0, lab0, rows, n) == 0;
	free(rows);
	if (!ok)
		op_finish(o, EXIT_AUTH, "session %s: nothing was sent: the journal "
		    "could not be written", s->meta.id);
	return ok;
}

static void
start_engine(struct op *o)
{
	struct send_op *x = o->data;

	if (o->s->plan.op != PLAN_OP_CREATE && !settle_unwritten(o))
		return;
	/* Its question (3, 8) said the cost already. */
	if (x->phase != 3 && x->phase != 8)
		say_cost(o);
	x->started_at = http_now_ms();
	x->phase = 2;
	op_engine_start(o, x->o.hold_alike, send_event, o);
}

/* What is there is known: a create sends, a remove asks first; what
 * creates (a create, a relabel) is held against the configured limits
 * first, when the send reads before it writes. */
static void
go_on(struct op *o)
{
	struct send_op *x = o->data;
	const struct session *s = o->s;
	bool agreed = s->nsends > 0 && s->sends[s->nsends - 1].agreed;

	if (!x->limits_done && s->meta.preflight && !plan_op_removes(s->plan.op) &&
	    s->out.count[OUTCOME_PENDING] > 0) {
		x->phase = 6;
		x->lc = limitcheck_start(op_calls(o, true, "the limits"), s, x->o.labels,
		    o->c->api);
		return;
	}

	if (x->o.check) {
		op_finish(o, EXIT_ALL_CREATED, NULL);
		return;
	}
	/* A send that asks first: a create asks here; a remove or a relabel
	 * asks its plan's question in its session, begun now. */
	if (!x->begun && s->plan.op == PLAN_OP_CREATE) {
		ask_create(o);
		return;
	}
	if (!x->begun && !begin_session(o))
		return;
	if (s->plan.op != PLAN_OP_CREATE && (!agreed || x->o.dry))
		ask_change(o);
	else
		start_engine(o);
}

/* The preflight is answered: the rows' pre-state journaled, said, and the
 * rows sent; or, stopped, nothing sent and the send ended so. */
static void
looked(struct op *o)
{
	struct send_op *x = o->data;
	struct session *s = o->s;
	enum engine_stop stop = calls_stop_reason(o->calls);

	if (stop == ENGINE_COMPLETE && preflight_next(x->pf))
		return;               /* more to read: turned on */
	o->next_req = calls_next_req(o->calls);
	if (stop == ENGINE_COMPLETE) {
		if (s->pre.rows == NULL)
			prestate_init(&s->pre, s->in->nrows);
		preflight_finish(x->pf, &s->pre);
		char n[64];
		op_say(o, "  read       %s in %.1f s",
		    fmt_counted(n, calls_stats(o->calls)->requests, "request"),
		    (double)(http_now_ms() - x->looked_at) / 1000.0);
		preflight_describe(&s->pre, s->in, &s->plan, x->looked, x->nlooked,
		    x->o.labels, say_text, o);
		if (o->j != NULL && journal_prestate(o->j, &s->pre, x->looked,
		    x->nlooked) != 0)
			stop = ENGINE_JOURNAL;
	}
	preflight_free(x->pf);
	x->pf = NULL;
	if (stop == ENGINE_COMPLETE) {
		go_on(o);
		return;
	}
	/* Nothing was sent: the send ends here, its rows not_sent, and
	 * resume looks again, then sends. */
	const char *msg = stop == ENGINE_JOURNAL ? "the journal could not be written" :
	    calls_stop_message(o->calls);
	int status = session_stop_status(stop);
	char n[64];
	if (!x->begun || s->meta.id == NULL) {
		op_finish(o, status, "nothing was sent: the preflight stopped after %s (%s)%s%s",
		    fmt_counted(n, calls_stats(o->calls)->requests, "request"),
		    msg != NULL ? msg : engine_stop_name(stop, 0), x->o.again != NULL ?
		    "; " : "", x->o.again != NULL ? x->o.again : "");
		return;
	}
	if (end_unwritten(o, stop, msg) != 0)
		msg = "the journal's last record could not be written";
	op_finish(o, status, "session %s: nothing was sent: the preflight stopped "
	    "after %s (%s); resume looks again, then sends", s->meta.id,
	    fmt_counted(n, calls_stats(o->calls)->requests, "request"), msg != NULL ? msg :
	    engine_stop_name(stop, 0));
}

static void limits_read(struct op *o, enum engine_stop stop);

/* The limits are listed (or could not be): the records they cap read,
 * when a limit applies to the rows; else on.  A portal or a token that
 * does not list them is said, and the send goes on. */
static void
limits_listed(struct op *o)
{
	struct send_op *x = o->data;
	enum engine_stop stop = calls_stop_reason(o->calls);

	if (stop == ENGINE_AUTH || stop == ENGINE_CONFIG)
		o->next_req = calls_next_req(o->calls);
	else if (!calls_went(o))
		return;
	else if (limitcheck_wants(x->lc)) {
		limitcheck_read(x->lc, op_calls(o, true, "the limits' reading"));
		x->phase = 7;
		return;
	}
	limits_read(o, stop);
}

/* A record past its limit: said, and the first kept for the summary (a
 * terminal shows that line alone). */
static void
say_over(void *arg, const char *text)
{
	struct op *o = arg;
	struct send_op *x = o->data;

	op_say(o, "    %s", text);
	if (x->first_over == NULL)
		x->first_over = xstrdup(text);
}

/* The records the limits cap are read (or the limits could not be, stop):
 * a row that would take one past its limit stops the send before
 * anything is written. */
static void
limits_read(struct op *o, enum engine_stop stop)
{
	struct send_op *x = o->data;
	struct session *s = o->s;
	char *said = limitcheck_said(x->lc, stop, calls_stop_message(o->calls));

	if (said != NULL)
		op_say(o, "  limits     %s", said);
	size_t over = stop == ENGINE_COMPLETE ? limitcheck_over(x->lc, 10, say_over,
	    o) : 0;
	if (over == 0) {
		/* A question says them, and that the rows keep within them. */
		if (said != NULL && stop == ENGINE_COMPLETE &&
		    limitcheck_applied(x->lc) != NULL) {
			x->limits_said = xasprintf("%s; within them", said);
			free(said);
		} else {
			x->limits_said = said;      /* kept */
		}
		x->limits_done = true;
		go_on(o);
		return;
	}
	free(said);
	if (over > 10)
		op_say(o, "    and %zu more", over - 10);
	if (x->o.check) {
		x->over = over;
		op_finish(o, EXIT_ALL_CREATED, NULL);
		return;
	}
	if (!x->begun) {
		char *refusal = limitcheck_refusal(over, x->first_over);
		op_finish(o, EXIT_USAGE, "nothing was sent: %s; take those lines out, or "
		    "raise the limit", refusal);
		free(refusal);
		return;
	}
	int status = EXIT_USAGE;
	bool unwritten = o->j != NULL && journal_end(o->j, "over_limit", status,
	    &s->out) != 0;
	char *refusal = limitcheck_refusal(over, x->first_over);
	op_finish(o, unwritten ? EXIT_AUTH : status, "session %s: nothing was sent: "
	    "%s; take those lines out, or raise the limit and resume", s->meta.id,
	    refusal);
	free(refusal);
}

/* The engine is done: the send's end recorded, and said. */
static void
sent(struct op *o)
{
	struct session *s = o->s;
	const struct engine_stats *st = engine_stats(o->engine);
	enum engine_stop stop = engine_stop_reason(o->engine);
	int status;
	char a[32], b[32], send[32] = "";

	bool unwritten = session_send_end(o->j, o->engine, s, &status) != 0;
	if (s->nsends > 1)
		snprintf(send, sizeof(send), ", send %zu", s->nsends);
	/* What it took, against the portal's limit. */
	struct send_op *x = o->data;
	uint64_t took = http_now_ms() - x->started_at;
	/* A send of a second or less says nothing of a rate. */
	if (st->pairs_answered > 0 && took >= 1000) {
		struct buf m = BUF_INIT;
		send_cost(&m, s->plan.op, st->pairs_answered, st->requests - st->reads,
		    st->reads, &o->c->rate, took, false);
		op_say(o, "  took       %s", buf_str(&m));
		buf_free(&m);
	}
	/* Rows sent without an answer are said: they may be there. */
	size_t unconfirmed = s->out.count[OUTCOME_UNCONFIRMED];
	char c[320] = "";
	/* Deleted from the pairs before they went: no resume sends them
	 * (before: "3 not_sent (resume sends them)" of rows deleted). */
	size_t not_sent = s->out.count[OUTCOME_NOT_SENT],
	    deleted = session_deleted_unsent(s);
	char n1[32];
	if (unconfirmed > 0)
		snprintf(c, sizeof(c), ", %s unconfirmed (sent, no answer: resume "
		    "reads them back)", fmt_count(n1, unconfirmed));
	/* Kept back, or given up on: said, not left for a count to tell,
	 * beside the rows unconfirmed (before: one or the other, and an
	 * abort said 399 unconfirmed of 9,400 rows left). */
	if (not_sent > deleted)
		snprintf(c + strlen(c), sizeof(c) - strlen(c), ", %s not_sent "
		    "(resume sends them)", fmt_count(n1, not_sent - deleted));
	if (deleted > 0)
		snprintf(c + strlen(c), sizeof(c) - strlen(c), ", %s not sent "
		    "(deleted from the pairs)", fmt_count(n1, deleted));
	/* A remove's or a relabel's rows that held what it asked: counted,
	 * not left for Results to tell (before: "0 relabeled, 2 failed" of a
	 * session of 105 rows with nothing to write). */
	char u[160] = "";
	if (s->out.count[OUTCOME_UNCHANGED] > 0)
		snprintf(u, sizeof(u), ", %s unchanged", fmt_count(b,
		    s->out.count[OUTCOME_UNCHANGED]));
	/* A remove or a relabel that had nothing to write asked nothing, and
	 * says so (before: "0 relabeled, 105 failed", with no question, read
	 * as a send gone wrong). */
	if (s->plan.op != PLAN_OP_CREATE && stop == ENGINE_COMPLETE &&
	    st->requests == st->reads)
		snprintf(u + strlen(u), sizeof(u) - strlen(u), "; nothing to write, "
		    "nothing written%s", s->out.count[OUTCOME_FAILED] > 0 ?
		    " (the pairs failed are not there)" : "");
	/* A next send's own rows, then the session's (before: the
	 * session's alone, "send 2: 8 created" of a send that made 2). */
	char mine[160] = "";
	if (s->nsends > 1) {
		size_t k[OUTCOME_COUNT], held = s->sends[s->nsends - 1].rows;
		char n2[32], n3[32], n4[32];
		session_send_counts(s, s->nsends - 1, k);
		snprintf(mine, sizeof(mine), "%s %s, %s failed of its %s row%s; the "
		    "session: ", fmt_count(n2, k[OUTCOME_CREATED]),
		    outcome_word(OUTCOME_CREATED, s->plan.op), fmt_count(n3,
		    k[OUTCOME_FAILED]), fmt_count(n4, held), held == 1 ? "" : "s");
	}
	op_finish(o, unwritten ? EXIT_AUTH : status, "session %s%s: %s: %s%s %s, %s "
	    "failed%s%s%s%s%s", s->meta.id, send, engine_stopped_at_hold(o->engine) ?
	    "held: the rest kept back" : engine_stop_name(stop, st->gave_up), mine,
	    fmt_count(a, s->out.count[OUTCOME_CREATED]),
	    outcome_word(OUTCOME_CREATED, s->plan.op),
	    fmt_count(b, s->out.count[OUTCOME_FAILED]), u, c,
	    engine_stop_message(o->engine) != NULL ? "; " : "",
	    engine_stop_message(o->engine) != NULL ? engine_stop_message(o->engine) : "",
	    unwritten ? "; the journal's last record could not be written" : "");
}

static void
send_step(struct op *o)
{
	struct send_op *x = o->data;
	struct session *s = o->s;

	switch (x->phase) {
	case 0:
		/* A send begun at once writes the keys' lookups first. */
		if (x->begun && !write_lookups(o, o->j))
			return;
		if (s->meta.preflight &&
		    (x->nlooked = session_unread_rows(s, &x->looked)) > 0) {
			struct preflight_opts po = { .api = o->c->api,
			    .check_ids = x->o.check_ids, .labels = x->o.labels };
			double per_s = rate_per_second(&o->c->rate);
			char a[64];
			x->phase = 1;
			x->looked_at = http_now_ms();
			x->pf = preflight_start(op_calls(o, true, "preflight"), s->in,
			    &s->plan, x->looked, x->nlooked, &po);
			/* What is queued, before anything leaves, is the least
			 * it takes. */
			size_t least = preflight_queued(x->pf);
			op_say(o, "  preflight  at least %s, about %.1f s at "
			    "%u/%gs", fmt_counted(a, least, "request"), (double)least /
			    (per_s > 0 ? per_s : 1), o->c->rate.max,
			    o->c->rate.window_ms / 1000.0);
			return;
		}
		go_on(o);
		return;
	case 1:
		/* More pages, or the holders of Primaries: turned on. */
		looked(o);
		if (x->phase == 1 && !o->done)
			o->calls_over = false;
		return;
	case 2:
		/* A relabel's creates done: the labels it replaces go. */
		if (s->plan.op == PLAN_OP_RELABEL &&
		    engine_stop_reason(o->engine) == ENGINE_COMPLETE &&
		    relabel_last_read(&x->last, o)) {
			x->phase = 4;
			return;
		}
		sent(o);
		return;
	case 6:
		limits_listed(o);
		return;
	case 7:
		if (!calls_went(o))
			return;
		if (limitcheck_wants(x->lc))
			limitcheck_read(x->lc, op_calls(o, true, "the limits' reading"));
		else
			limits_read(o, ENGINE_COMPLETE);
		return;
	case 4:
	case 5:
		/* The last step's writes answered, a C-c or not: it is done. */
		if (!(x->phase == 5 && op_calls_whole(o)) &&
		    !op_calls_ended(o, "; hubassoc resume finishes it")) {
			x->unfinished = true;
			relabel_last_ended(&x->last, o, x->phase == 4, true);
			return;
		}
		if (x->phase == 4 && relabel_last_unlabel(&x->last, o)) {
			x->phase = 5;
			return;
		}
		relabel_last_ended(&x->last, o, false, false);
		sent(o);
		return;
	}
}

static void
send_clear(struct op *o)
{
	struct send_op *x = o->data;

	preflight_free(x->pf);
	free(x->looked);
	limitcheck_free(x->lc);
	free(x->first_over);
	free(x->limits_said);
	journal_close(x->held);
	journal_close(x->o.lookups);
	relabel_last_free(&x->last);
	free(x);
}

static const struct op_kind send_kind = {
	.name = "send", .step = send_step, .answer = send_answer,
	.clear = send_clear,
};

const char *
op_send_unfinished(const struct op *o)
{
	const struct send_op *x = o->data;

	return o->done && x->unfinished ? o->summary : NULL;
}

size_t
op_send_over(const struct op *o)
{
	const struct send_op *x = o->data;

	return x->over;
}

struct op *
op_send(struct conn *c, struct journal *j, struct session *s,
    const struct op_send_opts *opts)
{
	struct send_op *x = xcalloc(1, sizeof(*x));

	if (opts != NULL)
		x->o = *opts;
	/* One that asks first journals nothing until the yes. */
	x->begun = x->o.ask == NULL;
	if (!x->begun)
		j = x->held = journal_held();
	/* The lookups' requests come before the send's own. */
	x->lookups_after = s->meta.last_req;
	if (x->o.lookups != NULL)
		s->meta.last_req += x->o.lookup_reqs;
	return op_start(&send_kind, c, j, s, x);
}
