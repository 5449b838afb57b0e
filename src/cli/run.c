/* run.c: connecting, fetching labels, sending a session, summing it up. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/names.h"
#include "hubassoc/op.h"
#include "hubassoc/answer.h"
#include "hubassoc/labels.h"
#include "hubassoc/response.h"
#include "../sandbox/sandbox.h"
#include "hubassoc/text.h"

/* Says why settings or a connection failed, as a usage or a configuration
 * error; the exit status it comes to (0 for none). */
static int
said(const char *cmd, enum settings_error e, char *cause)
{
	if (e == SETTINGS_OK)
		return 0;
	if (e == SETTINGS_USAGE)
		cli_usage_error(cmd, "%s", cause);
	else
		cli_error("%s: %s", cmd, cause);
	free(cause);
	return e == SETTINGS_USAGE ? EXIT_USAGE : EXIT_AUTH;
}

/* The settings a command's options and the profile come to; 0, or an
 * exit status after reporting why. */
int
conn_settings(struct settings *set, const struct common_opts *co, const char *cmd,
    unsigned concurrency, const char *rate, const char *session_base_url,
    const char *session_api)
{
	struct conn_given g = cli_conn_given(co, concurrency, rate, session_base_url,
	    session_api);
	char *cause = NULL;
	enum settings_error e = settings_resolve(set, &g.set, &cause);

	if (e != SETTINGS_OK)
		settings_free(set);
	return said(cmd, e, cause);
}

int
cli_connect(struct conn *c, const struct common_opts *co, const char *cmd,
    unsigned concurrency, const char *rate, const char *session_base_url,
    const char *session_api)
{
	struct conn_given g = cli_conn_given(co, concurrency, rate, session_base_url,
	    session_api);
	char *cause = NULL;

	memset(c, 0, sizeof(*c));
	/* The sandbox runs first, unless the options say two places. */
	if (co->sandbox && co->base_url == NULL) {
		struct sandbox *sb = sandbox_for_conn(c, &g, &cause);
		const char *note;
		if (sb == NULL) {
			cli_error("%s: the sandbox would not start: %s", cmd, cause);
			free(cause);
			return EXIT_AUTH;
		}
		const char *kept = sandbox_kept(sb, &note);
		if (kept != NULL && strcmp(kept, "not kept") == 0 && co->writes) {
			/* What it wrote would be gone when it ends, while its
			 * journal said it was done. */
			cli_error("%s: nothing sent: %s, so what this one wrote would be "
			    "lost: close the other first", cmd, note);
			conn_close(c);
			return EXIT_USAGE;
		}
		if (kept != NULL && note != NULL)
			cli_error("%s: %s", cmd, note);
	}
	enum settings_error e = conn_open(c, &g, &cause);

	return said(cmd, e, cause);
}


bool
cli_glance(struct conn *c, const struct common_opts *co, char **cause)
{
	struct conn_given g = cli_conn_given(co, 1, NULL, NULL, NULL);

	memset(c, 0, sizeof(*c));
	/* The built-in sandbox is a portal like any other: it is asked too. */
	if (co->sandbox && co->base_url == NULL &&
	    sandbox_for_conn(c, &g, cause) == NULL)
		return false;
	if (conn_open(c, &g, cause) != SETTINGS_OK)
		return false;	/* the caller closes it, as after a success */
	/* One try: a command that can do without it does not wait out a
	 * portal that is not there. */
	c->max_attempts = 1;
	return true;
}

int
cli_objtypes(const struct common_opts *co, const char *cmd, char **names,
    struct objtype *from, struct objtype *to)
{
	struct objtype *t[2] = { from, to };
	char *cause = NULL;

	for (int k = 0; k < 2; k++) {
		if (objtype_parse(names[k], t[k], &cause) == 0)
			continue;
		/* A name the standard types do not know may be one of the
		 * portal's: asked once, when a token is at hand. */
		struct conn c;
		struct custom_object *v = NULL;
		size_t n = 0;
		char *ignored = NULL;
		const struct custom_object *near;
		if (cli_glance(&c, co, &ignored) &&
		    conn_custom_objects(&c, &v, &n, &ignored) == 0 &&
		    (near = custom_objects_nearest(names[k], v, n)) != NULL) {
			char *e = text_escape_str(names[k], strlen(names[k]), 40);
			free(cause);
			cause = xasprintf("unknown object type '%s'; the portal has the "
			    "custom object %s (%s, %s): give %s or %s", e, near->name,
			    near->plural, near->id, near->name, near->id);
			free(e);
		}
		custom_objects_free(v, n);
		conn_close(&c);
		free(ignored);
		int rc = cli_usage_error(cmd, "%s", cause);
		free(cause);
		return rc;
	}
	return 0;
}

int
cli_labels(struct conn *c, const struct objtype *from, const struct objtype *to,
    struct assoc_labels *out, const char *cmd)
{
	char *cause = NULL;
	int rc = conn_labels(c, from, to, out, &cause);

	if (rc != 0) {
		cli_error("%s: %s", cmd, cause);
		free(cause);
	}
	return rc;
}

/* ---- running ---------------------------------------------------------- */

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_count;

static void
on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	sig_count++;
	if (sig_pipe[1] >= 0)
		(void)!write(sig_pipe[1], "x", 1);
	errno = saved;
}

/* SIGINT and SIGTERM, caught onto a pipe while a run goes on. */
struct signals {
	struct sigaction old_int, old_term;
};

static void
signals_catch(struct signals *sg)
{
	struct sigaction sa;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		sig_pipe[0] = sig_pipe[1] = -1;
	sig_count = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &sg->old_int);
	sigaction(SIGTERM, &sa, &sg->old_term);
}

static void
signals_drain(const struct http_fd *fd)
{
	if (fd->revents & POLLIN) {
		char drain[16];
		while (read(sig_pipe[0], drain, sizeof(drain)) > 0)
			;
	}
}

static void
signals_restore(struct signals *sg)
{
	sigaction(SIGINT, &sg->old_int, NULL);
	sigaction(SIGTERM, &sg->old_term, NULL);
	if (sig_pipe[0] >= 0) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		sig_pipe[0] = sig_pipe[1] = -1;
	}
}

struct progress {
	bool on;
	int verbose;
	size_t total;          /* rows to send at the start */
	uint64_t started, last_draw, last_journal;
	struct conn *c;
	struct outcomes *o;
	struct engine *e;
	bool drawn;
	uint64_t said_until;   /* the end of the last long wait said */
};

static void
clear_progress(struct progress *pg)
{
	if (pg->on && pg->drawn) {
		fputs("\r\033[K", stderr);
		pg->drawn = false;
	}
}

static void
draw_progress(struct progress *pg, bool force)
{
	uint64_t now = http_now_ms();
	const struct engine_stats *st = engine_stats(pg->e);
	char line[256];
	size_t done = pg->total - outcomes_to_settle(pg->o);
	int width = 80, bar = 20, filled;

	if (!pg->on || (!force && now - pg->last_draw < 100))
		return;
	pg->last_draw = now;
	size_t cols = cli_columns(stderr);
	if (cols > 20)
		width = (int)cols;
	filled = pg->total ? (int)((double)done / (double)pg->total * bar) : bar;
	char barbuf[64];
	for (int i = 0; i < bar; i++)
		barbuf[i] = i < filled ? '#' : '.';
	barbuf[bar] = '\0';
	/* What fits whole beside the bar, what matters most kept (before:
	 * cut at the edge, "... 34/100 per 10s  698"). */
	struct buf t = BUF_INIT;
	const struct send_progress p = { .done = done, .total = pg->total,
	    .requests = st->requests, .started = pg->started, .now = now,
	    .wait_until = st->wait_until, .wait_limited = st->wait_limited,
	    .rate = &pg->c->rate, .budget = true };
	send_progress_line(&t, &p, (size_t)(width - bar - 4));
	snprintf(line, sizeof(line), "[%s] %s", barbuf, buf_str(&t));
	buf_free(&t);
	fprintf(stderr, "\r\033[K%s", line);
	pg->drawn = true;
}

static void
on_event(void *arg, const struct engine_event *ev)
{
	struct progress *pg = arg;
	uint64_t now = http_now_ms();

	/* A long wait is said wherever stderr goes, once per wait: a script's
	 * log shows why nothing moves. */
	if (ev->kind == ENGINE_EV_LIMITED && ev->wait_ms >= 5000 &&
	    now + ev->wait_ms > pg->said_until + 1000) {
		pg->said_until = now + ev->wait_ms;
		clear_progress(pg);
		char *m = xasprintf("hubassoc: waiting %.0f s: the portal answered 429%s%s "
		    "(at most --max-wait %.0f s in all)", (double)ev->wait_ms / 1000.0,
		    ev->detail != NULL ? " " : "", ev->detail != NULL ? ev->detail : "",
		    (double)pg->c->max_wait_ms / 1000.0);
		cli_print_safe(m);   /* the policy's name is the server's text */
		fputc('\n', stderr);
		free(m);
	}
	if (ev->kind == ENGINE_EV_WARNING) {
		clear_progress(pg);
		fputs("hubassoc: warning: ", stderr);
		cli_print_safe(ev->detail);
		fputc('\n', stderr);
		return;
	}
	if (pg->verbose == 0)
		return;
	clear_progress(pg);
	switch (ev->kind) {
	case ENGINE_EV_SENT:
		cli_say("request %llu: %zu inputs",
		    (unsigned long long)ev->req, ev->rows);
		break;
	case ENGINE_EV_ANSWER:
		cli_say("request %llu: answered %d",
		    (unsigned long long)ev->req, ev->status);
		break;
	case ENGINE_EV_RETRY:
		fputs("hubassoc: retrying: ", stderr);
		cli_print_safe(ev->detail != NULL ? ev->detail : "");
		fputc('\n', stderr);
		break;
	case ENGINE_EV_LIMITED:
		cli_say("request %llu: 429, waiting",
		    (unsigned long long)ev->req);
		break;
	case ENGINE_EV_STOP: case ENGINE_EV_WARNING: case ENGINE_EV_HOLD:
		break;
	}
}

int
exit_output_failed(int rc)
{
	return rc == EXIT_ALL_CREATED || rc == EXIT_SOME_FAILED ? EXIT_AUTH : rc;
}


/* A send's result, for people: how it ended, every state counted, the
 * errors by kind, the requests, and how to go on. */
static void
print_send(struct conn *c, const struct session *s, const struct engine *e,
    double secs, size_t besides, size_t lookups, const char *unfinished)
{
	const struct engine_stats *st = engine_stats(e);
	enum engine_stop stop = engine_stop_reason(e);
	const struct outcomes *o = &s->out;
	const char *session_id = s->meta.id;
	char a[64];

	/* What follows the creates stopped: the session is unfinished, as
	 * show and history say (before: "complete"). */
	const char *state = unfinished != NULL ? "unfinished" :
	    engine_stop_name(stop, st->gave_up);
	if (s->nsends > 1) {
		/* Its own rows, then the session's (before: the session's
		 * alone, "created 4" after "retrying 1 row"). */
		size_t k[OUTCOME_COUNT], held = s->sends[s->nsends - 1].rows;
		char b[32], d[32];
		session_send_counts(s, s->nsends - 1, k);
		cli_say("session %s, send %zu: %s", session_id, s->nsends, state);
		fprintf(stderr, "  this send  %s: %s %s, %s failed\n", fmt_counted(a, held,
		    "row"), fmt_count(b, k[OUTCOME_CREATED]),
		    outcome_word(OUTCOME_CREATED, s->plan.op), fmt_count(d,
		    k[OUTCOME_FAILED]));
		fprintf(stderr, "  session    %s, as they stand:\n",
		    fmt_counted(a, s->in->nrows, "row"));
	} else {
		cli_say("session %s: %s", session_id, state);
	}
	print_outcomes(s->in, &s->plan, o, 5);
	fprintf(stderr, "  requests   %s in %.1f s (%zu retried, %zu met 429, %zu to "
	    "isolate refused rows)\n", fmt_count(a, st->requests), secs, st->retries,
	    st->limited, st->narrowing);
	if (besides > 0)
		/* show counts every request of the session: these too. */
		/* The keys' lookups too, the session's first requests
		 * (before: left out, and the two did not add up). */
		fprintf(stderr, "  besides    %s to %sread the pairs and their limits%s\n",
		    fmt_counted(a, besides, "request"), lookups > 0 ? "look the keys up, " :
		    "", s->plan.op == PLAN_OP_RELABEL &&
		    (s->plan.relabel.nreplace > 0 || s->plan.relabel.all) &&
		    o->count[OUTCOME_CREATED] > 0 ? ", and take the replaced labels off" :
		    "");
	if (st->read_back > 0)
		fprintf(stderr, "  read back  %s unconfirmed, found created, "
		    "not sent again\n", fmt_counted(a, st->read_back, "row"));
	const char *stopped = unfinished != NULL ? unfinished : engine_stop_message(e);
	if (stopped != NULL) {
		cli_print_line("  stopped    ", stopped);
	}
	bool resumable = o->count[OUTCOME_NOT_SENT] > 0 ||
	    o->count[OUTCOME_PENDING] > 0 || o->count[OUTCOME_UNCONFIRMED] > 0 ||
	    unfinished != NULL;
	/* A relabel's rows with no pair: their error says what makes them
	 * (relabel --create-missing), and a retry reads them again but fails
	 * them alike until the pair is made elsewhere: not offered for them
	 * alone (before: offered, as if it mended them). */
	size_t no_pair = 0;
	for (size_t i = 0; s->plan.op != PLAN_OP_CREATE && i < o->n; i++) {
		const struct hs_error *err = o->state[i] == OUTCOME_FAILED ?
		    outcomes_error(o, i) : NULL;
		/* Nor for a record the portal lacks (NO_RECORD), which a
		 * retry fails alike. */
		no_pair += err != NULL && err->category != NULL &&
		    (strcmp(err->category, OUTCOME_CAT_NO_PAIR) == 0 ||
		    strcmp(err->category, OUTCOME_CAT_NO_RECORD) == 0);
	}
	if (resumable || o->count[OUTCOME_FAILED] > no_pair) {
		/* A resume or a retry sends only where its own command line
		 * says: the hint carries the option that works. */
		char where[4096];
		fprintf(stderr, "  %-10s hubassoc %s %s%s\n", resumable ? "resume" : "retry",
		    resumable ? "resume" : "retry", session_id, conn_where(c, where,
		    sizeof(where)));
	}
	fprintf(stderr, "  export     hubassoc export %s --format csv\n", session_id);
}

static void say_op_line(const char *line);
static int cli_run_op_view(struct conn *c, struct op *o, bool yes,
    const char *no_tty, struct progress *pg, bool held);

int
cli_send(struct conn *c, struct journal *j, struct session *s,
    const struct run_opts *ro, bool check_ids, const struct assoc_labels *labels)
{
	struct progress pg = {
		.on = ro->progress, .verbose = ro->verbose, .c = c, .o = &s->out,
	};
	struct op_send_opts so = { .check_ids = check_ids, .labels = labels,
	    .on_event = on_event, .event_arg = &pg, .dry = ro->dry,
	    .lookups = ro->lookups, .lookup_reqs = ro->lookup_reqs };
	struct op *o = op_send(c, j, s, &so);
	char *no_tty = s->plan.op == PLAN_OP_CREATE ? xstrdup("") : xasprintf("%s: "
	    "no terminal to ask: give --yes to %s, or --dry-run to see the plan",
	    plan_op_command(s->plan.op), plan_op_command(s->plan.op));
	int rc = cli_run_op_view(c, o, ro->yes, no_tty, &pg, true);

	free(no_tty);
	if (op_engine(o) != NULL)
		print_send(c, s, op_engine(o), (double)(http_now_ms() - pg.started) /
		    1000.0, op_requests(o) - engine_stats(op_engine(o))->requests +
		    ro->lookup_reqs, ro->lookup_reqs, op_send_unfinished(o));
	else if (o->summary != NULL)
		say_op_line(o->summary);
	op_free(o);
	return rc;
}

void
print_outcomes(const struct input *in, const struct plan *p,
    const struct outcomes *o, size_t top)
{
	static const enum outcome order[] = {
		OUTCOME_CREATED, OUTCOME_UNCHANGED, OUTCOME_FAILED, OUTCOME_INVALID,
		OUTCOME_DUPLICATE, OUTCOME_NOT_SENT, OUTCOME_UNCONFIRMED, OUTCOME_EDITED,
		OUTCOME_PENDING, OUTCOME_PLANNED, OUTCOME_UNDONE,
	};
	char a[64];
	struct outcome_group *g;
	/* The names in a column, as wide as the longest shown. */
	int w = o->count[OUTCOME_UNCONFIRMED] > 0 ? 11 : 10;

	for (size_t i = 0; i < HA_ARRAY_LEN(order); i++) {
		enum outcome k = order[i];
		if (o->count[k] == 0 && (k == OUTCOME_PENDING || k == OUTCOME_PLANNED ||
		    k == OUTCOME_UNCONFIRMED || k == OUTCOME_UNDONE ||
		    k == OUTCOME_UNCHANGED || k == OUTCOME_EDITED))
			continue;
		fprintf(stderr, "  %-*s %s\n", w, outcome_word(k, p->op),
		    fmt_count(a, o->count[k]));
	}
	fprintf(stderr, "  %-*s %s\n", w, "total", fmt_counted(a, in->nrows, "row"));
	/* The errors rows hold, grouped by category and message. */
	size_t ng = outcomes_group(o, p, in, false, &g), orphans = outcomes_orphans(o);
	for (size_t k = 0; k < ng && k < top; k++) {
		/* An error without a category is its message alone. */
		char *line = xasprintf("  %-*s %s: %s%s%s", w, k == 0 ? "errors" : "",
		    fmt_counted(a, g[k].rows, "row"), g[k].category,
		    g[k].category[0] ? ": " : "", g[k].message);
		cli_print_line("", line);
		free(line);
	}
	if (ng > top)
		fprintf(stderr, "  %-*s ... and %zu more kinds (hubassoc show)\n", w, "",
		    ng - top);
	if (orphans > 0) {
		char n[64];
		fprintf(stderr, "  %-*s %s named no row (hubassoc show)\n", w, "",
		    fmt_counted(n, orphans, "error"));
	}
	free(g);
}

void
cli_display_props(struct conn *c, const struct objtype *from, const struct objtype *to,
    char *display[2])
{
	const struct objtype *t[2] = { from, to };
	struct custom_object *v = NULL;
	size_t n = 0;
	struct names_kind k;
	char *cause = NULL;
	bool asked = false;

	display[0] = display[1] = NULL;
	for (int side = 0; side < 2; side++) {
		if (names_kind_of(t[side], NULL, &k))
			continue;
		/* A custom object: its schema says which property names it.
		 * Asked once; without an answer, its records go unnamed. */
		if (!asked && conn_custom_objects(c, &v, &n, &cause) != 0) {
			free(cause);
			cause = NULL;
		}
		asked = true;
		const struct custom_object *x = custom_objects_find(t[side], v, n);
		if (x != NULL && x->display != NULL)
			display[side] = xstrdup(x->display);
	}
	custom_objects_free(v, n);
}

int
run_calls(struct conn *c, struct calls *k, bool (*more)(void *arg), void *arg,
    const char *what)
{
	struct signals sg;
	bool tty = isatty(STDERR_FILENO), drawn = false;
	uint64_t last = 0;
	int handled = 0;

	signals_catch(&sg);
	for (;;) {
		while (!calls_done(k)) {
			struct http_fd fd = { sig_pipe[0], POLLIN, 0 };
			calls_turn(k, &fd, sig_pipe[0] >= 0 ? 1 : 0, 200);
			signals_drain(&fd);
			for (const char *w; (w = calls_warning(k)) != NULL; drawn = false) {
				fputs(drawn ? "\r\033[Khubassoc: warning: " : "hubassoc: warning: ",
				    stderr);
				cli_print_safe(w);
				fputc('\n', stderr);
			}
			if (sig_count > handled) {
				handled = sig_count;
				calls_interrupt(k);
			}
			uint64_t now = http_now_ms();
			if (tty && now - last >= 100) {
				last = now;
				char n[64];
				fprintf(stderr, "\r\033[K%s: %s, %zu/%u per %gs", what,
				    fmt_counted(n, calls_stats(k)->requests, "request"),
				    rate_used(&c->rate, now),
				    c->rate.max, c->rate.window_ms / 1000.0);
				drawn = true;
			}
		}
		if (calls_stop_reason(k) != ENGINE_COMPLETE || more == NULL || !more(arg))
			break;
	}
	if (drawn)
		fputs("\r\033[K", stderr);
	signals_restore(&sg);
	if (calls_stop_reason(k) != ENGINE_COMPLETE) {
		char n[64];
		fprintf(stderr, "hubassoc: %s stopped after %s: ", what,
		    fmt_counted(n, calls_stats(k)->requests, "request"));
		cli_print_safe(calls_stop_message(k) != NULL ? calls_stop_message(k) :
		    engine_stop_name(calls_stop_reason(k), 0));
		fputc('\n', stderr);
	}
	return session_stop_status(calls_stop_reason(k));
}

/* Says an operation's line: a line of its own is the program's
 * ("hubassoc: ..."), an indented one goes on the one before. */
static void
say_op_line(const char *line)
{
	cli_print_line(line[0] != ' ' ? "hubassoc: " : "", line);
}

bool
cli_ask(const char *question)
{
	char line[16];
	FILE *tty = fopen("/dev/tty", "r");
	bool yes = false;

	if (tty == NULL)
		return false;
	fprintf(stderr, "%s [y/N] ", question);
	if (fgets(line, sizeof(line), tty) != NULL)
		yes = line[0] == 'y' || line[0] == 'Y';
	fclose(tty);
	return yes;
}

/* Runs o; with pg, a send's engine draws its progress there; with pg, or
 * held, the summary is the caller's to say. */
static int
cli_run_op_view(struct conn *c, struct op *o, bool yes, const char *no_tty,
    struct progress *pg, bool held)
{
	struct signals sg;
	bool tty = isatty(STDERR_FILENO), drawn = false;
	uint64_t last = 0;
	int handled = 0;
	const char *line;

	signals_catch(&sg);
	while (!op_done(o)) {
		struct http_fd fd = { sig_pipe[0], POLLIN, 0 };
		const struct op_question *q = op_question(o);
		if (pg != NULL && pg->e == NULL && op_engine(o) != NULL) {
			/* The send begins: its progress from here. */
			pg->e = op_engine(o);
			pg->total = outcomes_to_settle(pg->o);
			pg->started = http_now_ms();
		}
		if (q != NULL) {
			if (drawn)
				fputs("\r\033[K", stderr);
			drawn = false;
			while ((line = op_said(o)) != NULL)
				say_op_line(line);
			/* The plan under its title, indented as the lines said
			 * before it. */
			for (size_t i = 0; i < q->nlines; i++)
				cli_print_line(q->lines[i][0] != ' ' ? "  " : "",
				    q->lines[i]);
			if (yes) {
				op_answer(o, true);
			} else if (!isatty(STDIN_FILENO) && !isatty(STDERR_FILENO)) {
				cli_error("%s", no_tty);
				op_answer(o, false);
			} else {
				op_answer(o, cli_ask(q->title));
			}
			continue;
		}
		op_turn(o, &fd, sig_pipe[0] >= 0 ? 1 : 0, 200);
		signals_drain(&fd);
		if (sig_count > handled) {
			handled = sig_count;
			if (pg != NULL && pg->e != NULL) {
				clear_progress(pg);
				size_t flying = c->http != NULL ? http_in_flight(c->http) : 0;
				if (engine_stop_reason(pg->e) != ENGINE_INTERRUPTED &&
				    flying == 0)
					cli_say("stopping: nothing is in "
					    "flight");
				else if (engine_stop_reason(pg->e) != ENGINE_INTERRUPTED)
					cli_say("stopping: waiting for the "
					    "answers of the requests in flight (%zu); "
					    "interrupt again to cut them", flying);
				else
					cli_say("cutting the requests in "
					    "flight");
			}
			op_interrupt(o);
		}
		if (pg != NULL && pg->e != NULL) {
			draw_progress(pg, false);
			continue;
		}
		while ((line = op_said(o)) != NULL) {
			if (drawn)
				fputs("\r\033[K", stderr);
			drawn = false;
			say_op_line(line);
		}
		uint64_t now = http_now_ms();
		const char *busy = op_busy_with(o);
		if (tty && busy != NULL && now - last >= 100) {
			last = now;
			char n[64];
			fprintf(stderr, "\r\033[K%s: %s, %zu/%u per %gs", busy,
			    fmt_counted(n, op_requests(o), "request"),
			    rate_used(&c->rate, now), c->rate.max,
			    c->rate.window_ms / 1000.0);
			drawn = true;
		}
	}
	if (drawn)
		fputs("\r\033[K", stderr);
	if (pg != NULL)
		clear_progress(pg);
	signals_restore(&sg);
	while ((line = op_said(o)) != NULL)
		say_op_line(line);
	if (pg == NULL && !held && o->summary != NULL)
		say_op_line(o->summary);
	return o->status;
}

int
cli_run_op(struct conn *c, struct op *o, bool yes, const char *no_tty)
{
	return cli_run_op_view(c, o, yes, no_tty, NULL, false);
}

int
cli_run_op_held(struct conn *c, struct op *o)
{
	return cli_run_op_view(c, o, false, "", NULL, true);
}

void
cli_say_summary(const struct op *o)
{
	if (o->summary != NULL)
		say_op_line(o->summary);
}

int
cli_undo(struct conn *c, struct journal *j, struct session *s, bool dry, bool yes)
{
	struct op *o = op_undo(c, j, s, dry);
	int rc = cli_run_op(c, o, yes, "undo: no terminal to ask: give --yes to undo, "
	    "or --dry-run to see it");

	op_free(o);
	return rc;
}
