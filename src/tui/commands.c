/* commands.c: the command line's commands (:load, :type, :demo, ...),
 * questions, quitting and connecting. */
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

/* ---- questions and commands ------------------------------------------ */

static void
quit_confirmed(struct app *a, bool yes)
{
	if (yes)
		a->quit = true;
	else
		app_say_undoing(a);
}

bool
app_quit_asked(const struct app *a)
{
	return a->prompt == PROMPT_CONFIRM && a->confirm == quit_confirmed;
}

void
app_quit(struct app *a)
{
	if (a->run != NULL && a->run->running)
		app_ask(a, "A session is being sent: stop it and quit? (resume sends "
		    "the rest) [y/n]", quit_confirmed);
	else if (app_undoing(a) != NULL)
		/* Half an undo leaves the portal half put back: asked, as a
		 * send is (before: quit at once, exit 0, nothing said). */
		app_ask(a, "An undo is under way: stop it and quit? (resume finishes "
		    "it) [y/n]", quit_confirmed);
	else
		a->quit = true;
}

void
app_quit_question_gone(struct app *a, const char *what)
{
	if (!app_quit_asked(a))
		return;
	a->prompt = PROMPT_NONE;
	a->confirm = NULL;
	char *summary = xstrdup(a->status != NULL ? a->status : "it ended");
	app_status(a, a->status_error, "the %s ended before the answer to quit (q "
	    "quits): %s", what, summary);
	free(summary);
}

const char *
app_undoing(const struct app *a)
{
	const struct op *o = a->op;

	return o != NULL && !op_done(o) && strcmp(o->kind->name, "undo") == 0 &&
	    op_question(o) == NULL && o->s != NULL ? o->s->meta.id : NULL;
}

void
app_say_undoing(struct app *a)
{
	/* Its writes under way (before: "the undo's reading..." stayed said
	 * as it wrote, and nothing after a no to quitting). */
	if (app_undoing(a) != NULL)
		app_status(a, false, "session %s: undoing... (C-c stops it)",
		    app_undoing(a));
}

void
app_ask(struct app *a, const char *question, void (*fn)(struct app *, bool))
{
	op_question_set(&a->confirm_q, question, question);
	a->confirm = fn;
	a->prompt = PROMPT_CONFIRM;
	a->need_redraw = true;
}

void
app_ask_plan(struct app *a, const struct op_question *q,
    void (*fn)(struct app *, bool))
{
	op_question_copy(&a->confirm_q, q);
	a->confirm = fn;
	a->prompt = PROMPT_CONFIRM;
	a->need_redraw = true;
}

/* Forgets what the last connection fetched: its portal's objects. */
static void
forget_portal(struct app *a)
{
	app_customs_free(a);
	view_picker_reset(&a->views[VIEW_PICKER]);
}

void
app_connect(struct app *a)
{
	struct conn_given g = a->opts->given;
	char *cause = NULL;
	enum settings_error rc = SETTINGS_CONFIG;

	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return;
	}
	if (a->connected) {
		app_fetches_free(a);    /* their calls go with the connection */
		conn_close(&a->conn);
		a->connected = false;
		forget_portal(a);
	} else {
		profile_free(&a->conn.prof);
	}
	g.token_given = a->token_typed;
	/* A profile chosen names its portal: the built-in sandbox is left. */
	if (a->profile != NULL) {
		g.set.profile = a->profile;
		g.set.sandbox = false;
	}
	memset(&a->conn, 0, sizeof(a->conn));
	/* A reconnection (:token, :profile) takes the portal as it is now. */
	g.set.sandbox_reset &= !a->local_started;
	if (g.set.sandbox && g.set.base_url == NULL &&
	    app_local_start(a, &g, &cause) != 0) {
		char *c = cause;
		cause = xasprintf("the sandbox would not start: %s", c);
		free(c);
	} else {
		rc = conn_open(&a->conn, &g, &cause);
	}
	if (rc == SETTINGS_OK && a->opts->max_attempts > 0)
		a->conn.max_attempts = a->opts->max_attempts;
	if (a->token_typed != NULL) {
		memset(a->token_typed, 0, strlen(a->token_typed));
		free(a->token_typed);
		a->token_typed = NULL;
	}
	free(a->conn_error);
	a->conn_error = NULL;
	free(a->link_why);
	a->link_why = NULL;
	if (rc != SETTINGS_OK) {
		a->connected = false;
		a->link = LINK_NONE;
		a->conn_error = cause;
		/* Where it would connect stays in the header, a token or not. */
		struct settings set;
		char *ignored = NULL;
		free(a->portal);
		a->portal = NULL;
		if (settings_resolve(&set, &g.set, &ignored) == SETTINGS_OK) {
			if (set.base_url != NULL)
				a->portal = xstrdup(set.base_url);
			settings_free(&set);
		}
		free(ignored);
		app_status(a, true, "%s", a->conn_error);
		return;
	}
	a->connected = true;
	a->link = LINK_CHECKING;
	free(a->portal);
	const char *note = NULL;
	if (a->conn.local != NULL) {
		const char *kept = app_local_kept(a, &note);
		a->portal = xasprintf("sandbox%s%s", kept != NULL ? ", " : "",
		    kept != NULL ? kept : "");
		a->local_started = true;
	} else {
		a->portal = xstrdup(a->conn.base_url);
	}
	app_fetch_schemas(a);
	if (a->ws.have_from && a->ws.have_to)
		app_fetch_labels(a);
	if (note != NULL)
		app_status(a, true, "%s", note);
	else
		app_status(a, false, "connecting to %s", a->conn.base_url);
}

/* :token asks for another token; :profile NAME connects as that profile. */
static void
token_command(struct app *a)
{
	if (a->conn.local != NULL) {
		app_status(a, false, "the built-in sandbox takes any token");
		return;
	}
	prompt_open(a, PROMPT_TOKEN, "HubSpot token (not shown; never kept): ", NULL);
}

static void
profile_command(struct app *a, const char *name)
{
	struct profile p;
	char *cause = NULL;

	if (*name == '\0') {
		app_status(a, false, "profile %s: :profile NAME switches",
		    a->conn.prof.name != NULL ? a->conn.prof.name : "default");
		return;
	}
	/* A name the config file lacks is said before anything is let go. */
	if (config_load(NULL, name, &p, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		return;
	}
	profile_free(&p);
	free(a->profile);
	a->profile = xstrdup(name);
	app_connect(a);
}

/*
 * :demo, on the built-in sandbox: pairs of records its portal has, for the
 * chosen direction (contacts to companies until one is chosen), with what
 * real input holds too: two lines that are not pairs, a duplicate, and two
 * IDs the portal lacks.  So a first session, from `make run`, can go all
 * the way to the error tree without knowing a single ID.
 */
static void
add_demo_pairs(struct app *a)
{
	const char *from = a->ws.have_from ? a->ws.from.path : "contacts";
	const char *to = a->ws.have_to ? a->ws.to.path : "companies";
	struct buf b = BUF_INIT;
	size_t bykey, before = a->ws.pairs->nrows;
	char n[32], *cause = NULL;

	if (a->conn.local == NULL) {
		app_status(a, true, "demo: only on the built-in sandbox (hubassoc "
		    "--sandbox): a real portal's IDs are not made up");
		return;
	}
	if (app_local_demo(a, from, to, &b, &bykey, &cause) != 0) {
		app_status(a, true, "demo: %s", cause);
		free(cause);
		buf_free(&b);
		return;
	}
	app_add_text(a, b.data, b.len, NULL);
	buf_free(&b);
	/* The direction its pairs are of, as it says. */
	struct objtype dir;
	if (!a->ws.have_from && objtype_parse(from, &dir, &cause) == 0)
		app_set_from_to(a, 0, &dir);
	free(cause);
	cause = NULL;
	if (!a->ws.have_to && objtype_parse(to, &dir, &cause) == 0)
		app_set_from_to(a, 1, &dir);
	free(cause);
	char keys[64] = "";
	if (bykey > 0)
		snprintf(keys, sizeof(keys), ", %zu by email and domain", bykey);
	/* What is to do first: it stays on a narrow screen. */
	app_status(a, false, "demo: %s rows of %s to %s%s (2 bad, 1 duplicate, 2 IDs "
	    "it lacks%s)", fmt_count(n, a->ws.pairs->nrows - before), from, to,
	    a->ws.ntypes > 0 ? "" : "; y chooses the association types", keys);
}

/* :export FILE: every row of the session shown, by the name's end. */
static void
export_command(struct app *a, const char *arg)
{
	char n[32], *done;

	if (a->run == NULL || *arg == '\0') {
		app_status(a, true, "export: give a file, after a session");
		return;
	}
	done = xasprintf("the session's %s row%s",
	    fmt_count(n, a->run->s->in->nrows),
	    plural_s(a->run->s->in->nrows));
	app_write_file(a, FILE_EXPORT, arg, NULL, done);
	free(done);
}

/* :read: every FROM record of the session shown, or of the valid pairs. */
static void
read_command(struct app *a)
{
	const struct input *in = a->run != NULL ? a->run->in : a->ws.pairs;
	const struct objtype *from = a->run != NULL ? &a->run->plan->from : &a->ws.from;
	const struct objtype *to = a->run != NULL ? &a->run->plan->to : &a->ws.to;
	const char **ids = xcalloc(in->nrows + 1, sizeof(*ids));
	size_t n = 0;

	if (a->run == NULL && (!a->ws.have_from || !a->ws.have_to)) {
		app_status(a, true, "choose the object types first: f for FROM, t for TO");
		free(ids);
		return;
	}
	for (size_t i = 0; i < in->nrows; i++)
		if (in->rows[i].status == ROW_VALID)
			ids[n++] = input_from(in, &in->rows[i]);
	if (n == 0)
		app_status(a, true, "no pair to read the FROM record of");
	else
		view_portal_read(a, from, to, ids, n);
	free(ids);
}

/* Names read (op_names): the pairs' and the session's records get them,
 * kept with the session when this terminal holds its journal (the working
 * set's, or one sending). */
static void
names_done(struct app *a)
{
	struct names *got = op_names_got(a->op);
	size_t n = got[0].n + got[1].n;
	struct journal *j = a->run == NULL ? NULL : a->run->journal != NULL ?
	    a->run->journal : a->run->journal_path != NULL &&
	    work_is(a, a->run->journal_path) ? a->ws.j : NULL;

	if (a->op->status != EXIT_ALL_CREATED || n == 0)
		return;
	bool unkept = j != NULL && journal_names(j, got) != 0;
	for (int side = 0; side < 2; side++) {
		names_merge(&a->ws.names[side], &got[side]);
		if (a->run != NULL)
			names_merge(&a->run->s->names[side], &got[side]);
	}
	if (unkept)
		app_status(a, true, "names: read, but not kept in the session's "
		    "journal (%s)", strerror(errno));
	a->gen++;
}

/* :names: the records of the session shown, or of the pairs, by name
 * (objects batch/read, 100 a request); those named already are not read
 * again. */
static void
names_command(struct app *a)
{
	const struct input *in = a->run != NULL ? a->run->in : a->ws.pairs;
	const struct objtype *from = a->run != NULL ? &a->run->plan->from : &a->ws.from,
	    *to = a->run != NULL ? &a->run->plan->to : &a->ws.to;
	const struct names *have = a->run != NULL ? a->run->s->names : a->ws.names;
	const char *display[2] = { app_display_of(a, from), app_display_of(a, to) };
	size_t records, queued;
	char c1[64], c2[64];

	if (!a->connected) {
		app_status(a, true, "not connected: %s", a->conn_error != NULL ?
		    a->conn_error : "no token");
		return;
	}
	if (a->run == NULL && (!a->ws.have_from || !a->ws.have_to)) {
		app_status(a, true, "choose the object types first: f for FROM, t for TO");
		return;
	}
	struct op *o = op_names(&a->conn, in, from, to, display, have);
	records = op_names_reading(o, &queued);
	if (!app_op_start(a, o, names_done) || queued == 0)
		return;
	app_status(a, false, "names: reading %s (%s; C-c stops)",
	    fmt_counted(c1, records, "record"), fmt_counted(c2, queued, "request"));
}

static void
theme_command(struct app *a, const char *arg)
{
	char *cause = NULL;
	struct theme *t = theme_load(*arg ? arg : "default", &cause);

	if (t == NULL) {
		app_status(a, true, "%s", cause);
		free(cause);
		return;
	}
	theme_free(a->theme);
	a->theme = t;
	theme_apply(t, a->mono);
	clearok(stdscr, TRUE);
	app_status(a, false, "theme %s", *arg ? arg : "default");
}

/* :columns FROM, TO[, TYPES]: the columns the next sheets are read from;
 * alone, as their headers say. */
static void
columns_command(struct app *a, const char *arg)
{
	char *copy = xstrdup(arg), *part[3] = { NULL, NULL, NULL }, *save = NULL;
	int n = 0;

	for (char *t = strtok_r(copy, ",", &save); t != NULL && n < 4;
	    t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		size_t k = strlen(t);
		while (k > 0 && t[k - 1] == ' ')
			t[--k] = '\0';
		if (n < 3)
			part[n] = t;
		n++;
	}
	if (*arg != '\0' && (n < 2 || n > 3 || *part[0] == '\0' || *part[1] == '\0')) {
		app_status(a, true, ":columns takes FROM, TO and perhaps TYPES, "
		    "comma-separated: header names or numbers from 1");
	} else if (*arg == '\0') {
		input_set_columns(a->ws.pairs, NULL, NULL, NULL);
		app_status(a, false, "columns: the next sheets as their headers say");
	} else {
		input_set_columns(a->ws.pairs, part[0], part[1], part[2]);
		app_status(a, false, "columns: FROM %s, TO %s%s%s for the next :load or "
		    "paste", part[0], part[1], part[2] != NULL ? ", types " : "",
		    part[2] != NULL ? part[2] : "");
	}
	free(copy);
}

static void run_command(struct app *a, const char *line);

/* A command line, its argument without the blanks around it (Tab's
 * completion ends with a space). */
void
app_command(struct app *a, const char *line)
{
	char *copy = xstrdup(line);
	size_t n = strlen(copy);

	while (n > 0 && (copy[n - 1] == ' ' || copy[n - 1] == '\t'))
		copy[--n] = '\0';
	run_command(a, copy);
	free(copy);
}

static void
run_command(struct app *a, const char *line)
{
	char word[32] = "";
	const char *arg;
	size_t n;

	while (*line == ' ' || *line == ':')
		line++;
	n = strcspn(line, " ");
	if (n >= sizeof(word)) {
		app_status(a, true, "unknown command");
		return;
	}
	memcpy(word, line, n);
	word[n] = '\0';
	for (arg = line + n; *arg == ' '; arg++)
		;
	enum command_id cmd = command_find(word, n);

	switch (cmd) {
	case CMD_TOKEN:
		if (*arg != '\0')
			app_status(a, true, ":token takes no argument: it would show and "
			    "be kept. Type :token alone");
		else
			token_command(a);
		break;
	case CMD_PROFILE:
		profile_command(a, arg);
		break;
	case CMD_QUIT:
		app_quit(a);
		break;
	case CMD_LOAD:
		if (*arg == '\0')
			app_status(a, true, "load: give a file");
		else
			app_load_file(a, arg);
		break;
	case CMD_FROM:
	case CMD_TO: {
		struct objtype t;
		char *cause = NULL;
		if (objtype_parse(arg, &t, &cause) != 0) {
			app_status(a, true, "%s", cause);
			free(cause);
		} else
			app_set_from_to(a, cmd == CMD_TO, &t);
		break;
	}
	case CMD_TYPE:
		/* Said at once: what was chosen, or why it does not fit. */
		if (app_set_types_text(a, arg) == 0) {
			app_replan(a);
			if (a->plan_error != NULL)
				app_status(a, true, "%s", a->plan_error);
			else
				app_status(a, false, "types: %s", arg);
		}
		break;
	case CMD_SUBMIT:
		app_submit(a);
		break;
	case CMD_OP:
		app_op_command(a, arg);
		break;
	case CMD_RESEND:
		app_resend_failed(a);
		break;
	case CMD_WRITE:
		app_write_pairs(a, arg);
		break;
	case CMD_COLUMNS:
		columns_command(a, arg);
		break;
	case CMD_CLEAR:
		/* The session stays to be read, its own, but the pairs are not
		 * its rows any more: their lines start again at 1. */
		if (work_clear(a) != 0)
			return;
		app_pairs_changed(a);
		app_status(a, false, "the pairs cleared from the list (the portal is not "
		    "touched); the next is line 1");
		break;
	case CMD_EXPORT:
		export_command(a, arg);
		break;
	case CMD_THEME:
		theme_command(a, arg);
		break;
	case CMD_DEMO:
		add_demo_pairs(a);
		break;
	case CMD_HISTORY:
		app_show(a, VIEW_HISTORY);
		break;
	case CMD_READ:
		read_command(a);
		break;
	case CMD_NAMES:
		names_command(a);
		break;
	case CMD_VERIFY:
	case CMD_UNDO:
		/* The session shown: sent, or opened from the history. */
		if (a->run == NULL || a->run->journal_path == NULL)
			app_status(a, true, "no session shown: 5 lists them (V and u there)");
		else if (cmd == CMD_VERIFY)
			app_verify_session(a, a->run->journal_path);
		else
			app_undo_session(a, a->run->journal_path);
		break;
	case CMD_HELP:
		app_show(a, VIEW_HELP);
		break;
	default: {
		char *e = text_escape_str(word, strlen(word), 40);
		const char *near = command_nearest(word);
		if (near != NULL)
			app_status(a, true, "unknown command '%s'; did you mean :%s?",
			    e, near);
		else
			app_status(a, true, "unknown command '%s' (Tab completes)", e);
		free(e);
		break;
	}
	}
}
