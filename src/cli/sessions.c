/* sessions.c: hubassoc history, show and export (again.c: resume and
 * retry). */
#include <getopt.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/export.h"
#include "hubassoc/history.h"
#include "hubassoc/op.h"
#include "hubassoc/text.h"


const struct option simple_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "format", required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

/* ---- history's table: the columns that fit ------------------------------------ */

/* The columns to show, and their widths: every one when the width is
 * unknown (a pipe or a file); else what fits, dropping first what says
 * least: the profile, counts that are 0 in every session, the start (the
 * session's ID holds it; its year goes first), the sends; then the counts
 * show has beside DONE and FAILED, whatever they are, the rows left to send
 * or read back last. */
static void
history_fit(const struct journal_meta *m, size_t n, size_t cols, bool show[HIST_COUNT],
    size_t width[HIST_COUNT], bool *short_time)
{
	/* HIST_COUNT stands for shortening the start to 12-06T04:25Z.  The
	 * counts give way in their one order (hist_give_way): 0 in every
	 * session after the profile, the others after the start and the
	 * sends. */
	struct give { enum hist_col c; bool zero_only; } drop[2 * HIST_GIVE_WAY_N + 6];
	size_t ndrop = 0;
	drop[ndrop++] = (struct give){ HIST_PROFILE, false };
	for (size_t g = 0; g < HIST_GIVE_WAY_N; g++)
		drop[ndrop++] = (struct give){ hist_give_way[g], true };
	drop[ndrop++] = (struct give){ HIST_COUNT, false };
	drop[ndrop++] = (struct give){ HIST_STARTED, false };
	drop[ndrop++] = (struct give){ HIST_SENDS, false };
	drop[ndrop++] = (struct give){ HIST_FAILED, true };
	/* Where they went, when not all to one portal: kept past the start
	 * and the sends. */
	drop[ndrop++] = (struct give){ HIST_PORTAL, false };
	for (size_t g = 0; g < HIST_GIVE_WAY_N; g++)
		drop[ndrop++] = (struct give){ hist_give_way[g], false };
	char cell[HIST_CELL_MAX];

	*short_time = false;
	for (int c = 0; c < HIST_COUNT; c++) {
		show[c] = true;
		width[c] = strlen(hist_col_name((enum hist_col)c));
		for (size_t i = 0; i < n; i++) {
			hist_cell(&m[i], (enum hist_col)c, false, cell);
			if (strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	}
	show[HIST_OP] = hist_shows_op(m, n);
	show[HIST_PORTAL] = hist_shows_portal(m, n);
	for (size_t k = 0; cols > 0 && k < ndrop; k++) {
		size_t total = 0;
		for (int c = 0; c < HIST_COUNT; c++)
			if (show[c])
				total += width[c] + (c == HIST_STATE ? 2 : c > 0);
		if (total <= cols)
			break;
		enum hist_col c = drop[k].c;
		if (c == HIST_COUNT) {
			*short_time = true;
			width[HIST_STARTED] = width[HIST_STARTED] > 12 ? 12 : width[HIST_STARTED];
		} else if (!drop[k].zero_only || hist_all_zero(m, n, c)) {
			show[c] = false;
		}
	}
}

/* The width of the terminal standard output is, or of $COLUMNS when it
 * is set; 0 when neither says (a pipe or a file: every column). */
static size_t
history_cols(void)
{
	struct winsize ws;
	const char *e = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	if (e != NULL && *e >= '1' && *e <= '9')
		return strtoul(e, NULL, 10);
	return 0;
}

/* History for people: the table, as wide as the terminal. */
static void
history_table(const struct journal_meta *m, size_t n)
{
	bool show[HIST_COUNT], short_time;
	size_t width[HIST_COUNT];
	char cell[HIST_CELL_MAX];

	history_fit(m, n, history_cols(), show, width, &short_time);
	for (size_t i = 0; i <= n; i++) {
		struct buf line = BUF_INIT, safe = BUF_INIT;
		for (int c = 0; c < HIST_COUNT; c++) {
			if (!show[c])
				continue;
			if (i == 0)
				snprintf(cell, sizeof(cell), "%s", hist_col_name((enum hist_col)c));
			else
				hist_cell(&m[i - 1], (enum hist_col)c, short_time, cell);
			bool number = hist_col_counts((enum hist_col)c);
			if (line.len > 0)
				buf_addstr(&line, c == HIST_STATE ? "  " : " ");
			if (c == HIST_STATE)
				buf_addstr(&line, cell);
			else
				buf_printf(&line, number ? "%*s" : "%-*s", (int)width[c],
				    cell);
		}
		/* A journal's words are shown, never acted on. */
		text_escape(&safe, line.data, line.len);
		printf("%s\n", buf_str(&safe));
		buf_free(&line);
		buf_free(&safe);
	}
	/* Counts that are not 0 and gave way: named, so that no row goes
	 * unaccounted unsaid (before: ROWS 110 beside DONE 0, nothing said). */
	struct buf gone = BUF_INIT;
	hist_hidden(m, n, show, &gone);
	if (gone.len > 0) {
		buf_addstr(&gone, " left out at this width (a wider terminal, or "
		    "--format csv, has every column)");
		cli_print_line("hubassoc: history: ", buf_str(&gone));
	}
	buf_free(&gone);
}

/* A session's record of history, for scripts: every state by name; its
 * fields in v, returns how many. */
static size_t
history_fields(const struct journal_meta *m, struct rfield v[12 + OUTCOME_COUNT])
{
	size_t n = 0, rows = 0;

	for (int k = 0; k < OUTCOME_COUNT; k++)
		rows += m->counts[k];
	v[n++] = (struct rfield){ "session", m->id, 0, false };
	v[n++] = (struct rfield){ "started", m->created, 0, false };
	v[n++] = (struct rfield){ "profile", m->profile, 0, false };
	v[n++] = (struct rfield){ "from", m->from_path, 0, false };
	v[n++] = (struct rfield){ "to", m->to_path, 0, false };
	v[n++] = (struct rfield){ "rows", NULL, rows, true };
	for (int k = 0; k < OUTCOME_COUNT; k++)
		if (k != OUTCOME_PLANNED && k != OUTCOME_UNCHANGED && k != OUTCOME_EDITED)
			v[n++] = (struct rfield){ outcome_name((enum outcome)k), NULL,
			    m->counts[k], true };
	v[n++] = (struct rfield){ "sends", NULL, m->sends, true };
	v[n++] = (struct rfield){ "state", session_state_name(m), 0, false };
	/* Last, so that a script reading the columns by place reads on. */
	v[n++] = (struct rfield){ "op", plan_op_name(m->op), 0, false };
	v[n++] = (struct rfield){ "unchanged", NULL, m->counts[OUTCOME_UNCHANGED], true };
	/* Where it went, a production portal told from a sandbox (before:
	 * in show only). */
	v[n++] = (struct rfield){ "portal", m->sandbox > 0 ? "sandbox" : m->base_url, 0,
	    false };
	/* The rows the operation made so, as the table's DONE: a remove's
	 * removed (created counts them too, named for a create's). */
	v[n++] = (struct rfield){ "done", NULL, hist_count(m, HIST_DONE), true };
	/* Rows changed in the terminal since their outcome. */
	v[n++] = (struct rfield){ "edited", NULL, m->counts[OUTCOME_EDITED], true };
	return n;
}

int
cmd_history(int argc, char **argv, struct common_opts *common)
{
	char **paths, *cause = NULL;
	size_t n, shown = 0;
	enum rfmt f;

	if (simple_args(argc, argv, common, "history", 0, "", RF_ROWS, &f) != 0)
		return EXIT_USAGE;
	if (journal_list(&paths, &n, &cause) != 0) {
		cli_error("history: %s", cause);
		free(cause);
		return EXIT_AUTH;
	}
	struct journal_meta *m = xcalloc(n + 1, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		if (journal_peek(paths[i], &m[shown], &cause) != 0) {
			cli_error("history: %s", cause);
			free(cause);
			cause = NULL;
		} else
			shown++;
		free(paths[i]);
	}
	free(paths);
	struct rfield v[12 + OUTCOME_COUNT];
	if (shown == 0 && f == RF_TABLE) {
		cli_say("no sessions yet");
	} else if (shown == 0 && f == RF_JSON) {
		printf("[]\n");
	} else if (shown == 0 && f == RF_CSV) {
		/* The header all the same: a script reads the columns by it
		 * (before: nothing at all). */
		size_t nf = history_fields(&m[0], v);
		for (size_t k = 0; k < nf; k++)
			printf("%s%s", k ? "," : "", v[k].key);
		printf("\n");
	} else if (f == RF_TABLE) {
		history_table(m, shown);
	}
	for (size_t i = 0; i < shown; i++) {
		if (f != RF_TABLE)
			print_record(f, v, history_fields(&m[i], v), i, i + 1 == shown);
		journal_meta_free(&m[i]);
	}
	free(m);
	return 0;
}

/* Each send of a session: when, what it took, and how its rows came out
 * in it. */
static void
print_sends(const struct session *s)
{
	char a[32];

	if (s->nsends < 2)
		return;
	printf("\nsends:\n");
	for (size_t k = 0; k < s->nsends; k++) {
		const struct session_send *x = &s->sends[k];
		size_t count[OUTCOME_COUNT];
		struct buf line = BUF_INIT, safe = BUF_INIT;
		session_send_counts(s, k, count);
		buf_printf(&line, "  %zu  %-5s %-20s %s row%s", k + 1, x->kind,
		    x->started != NULL ? x->started : "", fmt_count(a, x->rows),
		    x->rows == 1 ? "" : "s");
		if (x->only != NULL)
			buf_printf(&line, " (%s)", x->only);
		const char *sep = ": ";
		for (int o = 0; o < OUTCOME_COUNT; o++)
			if (count[o] > 0) {
				buf_printf(&line, "%s%s %s", sep, fmt_count(a, count[o]),
				    outcome_word((enum outcome)o, s->plan.op));
				sep = ", ";
			}
		buf_printf(&line, "; %zu request%s, %s", x->requests,
		    x->requests == 1 ? "" : "s", x->state != NULL ? x->state : "unfinished");
		text_escape(&safe, line.data, line.len);
		cli_wrap_line(stdout, buf_str(&safe));
		buf_free(&line);
		buf_free(&safe);
	}
}

static void
add_counts_json(struct buf *b, const size_t *count)
{
	buf_addc(b, '{');
	for (int k = 0; k < OUTCOME_COUNT; k++)
		buf_printf(b, "%s\"%s\":%zu", k ? "," : "", outcome_name((enum outcome)k),
		    count[k]);
	buf_addc(b, '}');
}

/* Rows given by key, and how many of them found no record (or several). */
static size_t
keyed_rows(const struct session *s, size_t *bad)
{
	size_t keyed = 0;

	*bad = 0;
	for (size_t i = 0; i < s->in->nrows; i++) {
		const struct input_row *r = &s->in->rows[i];
		keyed += (r->flags & INPUT_ROW_KEYS) != 0;
		*bad += r->status == ROW_INVALID && (r->reason == INPUT_KEY_NONE ||
		    r->reason == INPUT_KEY_MANY);
	}
	return keyed;
}

static const char *const undo_names[] = { [SESSION_UNDO_NONE] = NULL,
	[SESSION_UNDO_READING] = "interrupted_reading",
	[SESSION_UNDO_BEGUN] = "interrupted", [SESSION_UNDO_DONE] = "done" };

/* show --format json: what show prints, as one object for scripts. */
static void
show_json(const struct session *s)
{
	const struct journal_meta *m = &s->meta;
	struct buf b = BUF_INIT;

	buf_addstr(&b, "{\"session\":");
	json_add_string(&b, m->id);
	json_add_member(&b, "started", m->created);
	json_add_member(&b, "profile", m->profile);
	json_add_member(&b, "base_url", m->base_url);
	json_add_member(&b, "api_version", m->api_version);
	json_add_member(&b, "from", s->from.path);
	json_add_member(&b, "to", s->to.path);
	json_add_member(&b, "input", m->input_name);
	json_add_member(&b, "columns", m->columns);
	json_add_member(&b, "types", m->types);
	json_add_member(&b, "state", session_state_name(m));
	buf_addstr(&b, ",\"exit\":");
	if (m->ended)
		buf_printf(&b, "%d", m->exit_status);
	else
		buf_addstr(&b, "null");
	buf_printf(&b, ",\"rows\":%zu,\"requests\":%zu,\"answered\":%zu,\"counts\":",
	    s->in->nrows, s->sent, s->answered);
	add_counts_json(&b, s->out.count);
	buf_addstr(&b, ",\"preflight\":");
	if (s->pre.rows != NULL) {
		for (int k = 0; k < PRE_CLASS_COUNT; k++)
			buf_printf(&b, "%c\"%s\":%zu", k ? ',' : '{',
			    pre_class_name((enum pre_class)k), s->pre.count[k]);
		buf_addc(&b, '}');
	} else {
		buf_addstr(&b, "null");
	}
	buf_addstr(&b, ",\"keys\":");
	if (s->keyed || s->names[0].n + s->names[1].n > 0) {
		size_t bad, keyed = keyed_rows(s, &bad);
		buf_printf(&b, "{\"rows\":%zu,\"not_found\":%zu,\"names\":%zu}",
		    keyed, bad, s->names[0].n + s->names[1].n);
	} else {
		buf_addstr(&b, "null");
	}
	json_add_member(&b, "undo", undo_names[m->undo]);
	buf_addstr(&b, ",\"sends\":[");
	for (size_t k = 0; k < s->nsends; k++) {
		const struct session_send *x = &s->sends[k];
		size_t count[OUTCOME_COUNT];
		session_send_counts(s, k, count);
		buf_printf(&b, "%s{\"send\":%zu", k ? "," : "", k + 1);
		json_add_member(&b, "kind", x->kind);
		json_add_member(&b, "started", x->started);
		json_add_member(&b, "only", x->only);
		buf_printf(&b, ",\"rows\":%zu,\"requests\":%zu,\"counts\":", x->rows,
		    x->requests);
		add_counts_json(&b, count);
		json_add_member(&b, "state", x->state);
		buf_addc(&b, '}');
	}
	buf_addstr(&b, "],\"errors\":[");
	struct outcome_group *g;
	size_t ng = outcomes_group(&s->out, &s->plan, s->in, true, &g);
	for (size_t i = 0; i < ng; i++) {
		buf_printf(&b, "%s{\"category\":", i ? "," : "");
		json_add_string(&b, g[i].category);
		json_add_member(&b, "message", g[i].message);
		buf_printf(&b, ",\"rows\":%zu,\"lines\":[", g[i].rows);
		for (size_t l = 0; l < g[i].nlines; l++) {
			struct buf label = BUF_INIT;
			input_line_label(s->in, g[i].lines[l], &label);
			if (l > 0)
				buf_addc(&b, ',');
			json_add_string(&b, buf_str(&label));
			buf_free(&label);
		}
		buf_addstr(&b, "]}");
	}
	free(g);
	buf_addstr(&b, "]}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

/* show's preflight line: what the preflight found, by class (for a
 * remove, what each row takes), or that it did not look. */
static void
show_preflight(const struct session *s)
{
	char a[32];

	if (s->pre.rows != NULL && s->plan.op != PLAN_OP_CREATE) {
		/* What each row's remove or relabel does, by what its pair held. */
		size_t count[PRE_CHANGE_CLASSES] = { 0 }, k = 0;
		for (size_t i = 0; i < s->in->nrows && i < s->pre.n; i++)
			if (s->plan.state[i] != PLAN_INVALID && s->plan.state[i] !=
			    PLAN_DUPLICATE)
				count[pre_row_change(&s->pre.rows[i], &s->plan, s->in, i,
				    NULL, NULL)]++;
		printf("preflight ");
		for (int c = 0; c < PRE_CHANGE_CLASSES; c++)
			if (count[c] > 0)
				printf("%s %s %s", k++ ? "," : "", fmt_count(a, count[c]),
				    pre_change_label(s->plan.op, c));
		printf("%s\n", k == 0 ? " no row to look at" : "");
	} else if (s->pre.rows != NULL) {
		/* What the preflight found, and what undo may do with it. */
		static const enum pre_class classes[] = { PRE_NEW, PRE_ADDS, PRE_THERE,
		    PRE_MOVES, PRE_NO_FROM, PRE_NO_TO, PRE_UNREAD };
		/* Rows never meant to be sent (invalid, duplicates) were not
		 * looked at: not "unknown" to undo. */
		size_t count[PRE_CLASS_COUNT];
		memcpy(count, s->pre.count, sizeof(count));
		for (size_t i = 0; i < s->in->nrows && i < s->pre.n; i++)
			if (s->pre.rows[i].cls == PRE_UNREAD &&
			    (s->out.state[i] == OUTCOME_INVALID ||
			    s->out.state[i] == OUTCOME_DUPLICATE) && count[PRE_UNREAD] > 0)
				count[PRE_UNREAD]--;
		printf("preflight ");
		size_t k = 0;
		for (size_t i = 0; i < HA_ARRAY_LEN(classes); i++)
			if (count[classes[i]] > 0)
				printf("%s %s %s", k++ ? "," : "", fmt_count(a,
				    count[classes[i]]), pre_class_label(classes[i]));
		printf("%s\n", k == 0 ? " no row to look at" : "");
	} else if (s->nsends > 0) {
		printf("preflight  none: undo leaves its rows alone\n");
	}
}

/* show's keys line (rows given by key, looked up once, and the names
 * that came) and undo line, when it has them. */
static void
show_keys_undo(const struct session *s)
{
	if (s->keyed || s->names[0].n + s->names[1].n > 0) {
		size_t bad, keyed = keyed_rows(s, &bad);
		char a[64], b[32], c[64];
		char *t = xasprintf("keys       %s by key found their records, %s did "
		    "not; %s known (export --names reads the rest)",
		    fmt_counted(a, keyed, "row"), fmt_count(b, bad),
		    fmt_counted(c, s->names[0].n + s->names[1].n, "record name"));
		cli_wrap_line(stdout, t);
		free(t);
	}
	if (s->meta.undo != SESSION_UNDO_NONE) {
		/* The undone rows it took nothing back of, said apart (before:
		 * "done", all of them counted as taken back). */
		size_t bare = session_undo_bare_count(s);
		char a[64], b[64], done[160] = "done";
		if (s->meta.undo == SESSION_UNDO_DONE && bare > 0)
			snprintf(done, sizeof(done), "done: %s taken back, %s with nothing "
			    "of the session's left on the portal", fmt_counted(a,
			    s->out.count[OUTCOME_UNDONE] - bare, "row"), fmt_count(b, bare));
		/* The command, as copied (before: "hubassoc resume (or undo)",
		 * no session, no portal). */
		char where[4096], cmd[4200];
		snprintf(cmd, sizeof(cmd), "hubassoc resume %s%s finishes it", s->meta.id,
		    conn_where_went(&s->meta, where, sizeof(where)));
		char *t = xasprintf("undo       %s%s%s", s->meta.undo == SESSION_UNDO_DONE ?
		    done : s->meta.undo == SESSION_UNDO_READING ? "interrupted while "
		    "it read what is there: " : "interrupted: ",
		    s->meta.undo == SESSION_UNDO_DONE ? "" : cmd,
		    s->meta.undo == SESSION_UNDO_READING ? ", asking first" : "");
		cli_wrap_line(stdout, t);
		free(t);
	}
}

/* show's direction: each end's name and ID; pairs not sent yet may have
 * none chosen (objtype_unchosen). */
static void
show_direction(const struct session *s)
{
	char side[2][sizeof(s->from.path) + sizeof(s->from.id) + 4];
	const struct objtype *end[2] = { &s->from, &s->to };

	for (int k = 0; k < 2; k++) {
		if (objtype_unchosen(end[k]))
			snprintf(side[k], sizeof(side[k]), "not chosen yet");
		else
			snprintf(side[k], sizeof(side[k]), "%s (%s)", end[k]->path,
			    end[k]->id[0] ? end[k]->id : "custom");
	}
	if (objtype_unchosen(&s->from) && objtype_unchosen(&s->to))
		printf("direction  not chosen yet\n");
	else
		printf("direction  %s to %s\n", side[0], side[1]);
}

int
cmd_show(int argc, char **argv, struct common_opts *common)
{
	struct session s;
	char a[64];

	enum rfmt f;

	if (simple_args(argc, argv, common, "show", 1, "a SESSION (see history)",
	    1u << RF_TABLE | 1u << RF_JSON, &f) != 0)
		return EXIT_USAGE;
	if (cli_load_session("show", argv[optind], &s, NULL) != 0)
		return EXIT_USAGE;
	if (f == RF_JSON) {
		show_json(&s);
		session_free(&s);
		return 0;
	}
	const struct journal_meta *m = &s.meta;
	/* What the journal says (a file's name above all) is text to show,
	 * never to act on: each field is escaped on its own. */
	/* A working set not sent yet is the terminal's pairs, for the portal
	 * it was connected to: the built-in sandbox's URL was that run's. */
	bool sent = s.nsends > 0;
	const char *raw[] = { m->id, m->created ? m->created : "?",
	    m->profile ? m->profile : "?", m->sandbox > 0 ? "the built-in sandbox" :
	    m->base_url ? m->base_url : "?", m->api_version ? m->api_version : "v4",
	    m->input_name ? m->input_name : sent ? "?" : "the terminal's pairs",
	    m->types != NULL && m->types[0] != '\0' ? m->types : sent ? "" :
	    "none chosen yet", session_state_name(m) };
	char *v[HA_ARRAY_LEN(raw)];
	for (size_t i = 0; i < HA_ARRAY_LEN(raw); i++)
		v[i] = text_escape_str(raw[i], strlen(raw[i]), SIZE_MAX);
	printf("session    %s\nstarted    %s\nprofile    %s\n%s    %s (%s)%s\n",
	    v[0], v[1], v[2], sent ? "sent to" : "for    ", v[3], v[4],
	    sent ? "" : ", not sent yet");
	show_direction(&s);
	printf("input      %s\n", v[5]);
	if (m->columns != NULL) {
		char *c = text_escape_str(m->columns, strlen(m->columns), SIZE_MAX);
		printf("columns    %s\n", c);
		free(c);
	}
	if (s.plan.op != PLAN_OP_CREATE)
		printf("operation  %s (%s)\n", plan_op_label(s.plan.op),
		    plan_op_action(s.plan.op));
	if (s.plan.op == PLAN_OP_RELABEL) {
		/* What it gave the label in place of, and whether it made pairs. */
		struct buf r = BUF_INIT;
		for (size_t i = 0; i < s.plan.relabel.nreplace; i++) {
			buf_addstr(&r, i ? ";" : "");
			assoc_spec_format(&r, &s.plan.relabel.replace[i]);
		}
		/* Pairs not sent yet, not planned: as chosen. */
		if (r.len == 0 && !s.plan.relabel.all && s.meta.replace != NULL)
			text_escape(&r, s.meta.replace, strlen(s.meta.replace));
		printf("replaces   %s%s\n", s.plan.relabel.all || (s.meta.replace != NULL &&
		    strcmp(s.meta.replace, "all") == 0) ? "every label" : r.len > 0 ?
		    buf_str(&r) : "none: the label added", s.plan.relabel.create_missing ?
		    "; pairs not there created" : "");
		buf_free(&r);
	}
	printf("types      %s\nstate      %s", s.plan.op == PLAN_OP_REMOVE &&
	    !v[6][0] ? "all (whole pairs)" : v[6], v[7]);
	/* The exit is the last send's: said so of an undo (before: "undone
	 * (exit 1)", read as the undo's). */
	if (m->ended && m->undo != SESSION_UNDO_NONE)
		printf(" (its last send ended with exit %d)", m->exit_status);
	else if (m->ended)
		printf(" (exit %d)", m->exit_status);
	printf("\nrequests   %zu sent, %zu answered\n", s.sent, s.answered);
	show_preflight(&s);
	show_keys_undo(&s);
	for (size_t i = 0; i < HA_ARRAY_LEN(raw); i++)
		free(v[i]);
	fflush(stdout);

	/* Outcomes, then every kind of error with the rows it hit. */
	static const enum outcome order[] = { OUTCOME_CREATED, OUTCOME_UNCHANGED,
	    OUTCOME_FAILED, OUTCOME_INVALID, OUTCOME_DUPLICATE, OUTCOME_NOT_SENT,
	    OUTCOME_UNCONFIRMED, OUTCOME_EDITED, OUTCOME_PENDING, OUTCOME_UNDONE };
	/* The names in a column, as wide as the longest shown. */
	int w = s.out.count[OUTCOME_UNCONFIRMED] > 0 ? 11 : 10;
	for (size_t i = 0; i < HA_ARRAY_LEN(order); i++)
		if (s.out.count[order[i]] > 0 || (order[i] != OUTCOME_PENDING &&
		    order[i] != OUTCOME_UNCONFIRMED && order[i] != OUTCOME_UNDONE &&
		    order[i] != OUTCOME_UNCHANGED && order[i] != OUTCOME_EDITED))
			printf("%-*s %s\n", w, outcome_word(order[i], s.plan.op),
			    fmt_count(a, s.out.count[order[i]]));
	/* Among them, those deleted from the terminal's pairs since their
	 * send (before: not told from the others). */
	size_t retired = 0;
	for (size_t i = 0; s.retired != NULL && i < s.out.n; i++)
		retired += s.retired[i];
	if (retired > 0) {
		char *t = xasprintf("%-*s %s deleted from the pairs since: no retry or "
		    "resume sends them", w, "retired", fmt_count(a, retired));
		cli_wrap_line(stdout, t);
		free(t);
	}
	print_sends(&s);
	struct outcome_group *k;
	size_t nk = outcomes_group(&s.out, &s.plan, s.in, true, &k);
	if (nk > 0)
		printf("\nerrors, by category and message:\n");
	for (size_t i = 0; i < nk; i++) {
		struct buf line = BUF_INIT;
		buf_printf(&line, "  %s row%s  %s%s%s  (line%s", fmt_count(a, k[i].rows),
		    k[i].rows == 1 ? "" : "s", k[i].category, k[i].category[0] ? ": " : "",
		    k[i].message, k[i].rows == 1 ? "" : "s");
		for (size_t l = 0; l < k[i].nlines; l++) {
			buf_addc(&line, ' ');
			input_line_label(s.in, k[i].lines[l], &line);
		}
		buf_addstr(&line, k[i].rows > k[i].nlines ? " ...)" : ")");
		struct buf safe = BUF_INIT;
		text_escape(&safe, line.data, line.len);
		cli_wrap_line(stdout, buf_str(&safe));
		buf_free(&safe);
		buf_free(&line);
	}
	size_t orphans = 0;
	for (size_t i = 0; i < s.out.nerrors; i++) {
		if (s.out.errors[i].rows != 0 || s.out.errors[i].local)
			continue;
		if (orphans++ == 0)
			printf("\nerrors that named no row:\n");
		struct buf line = BUF_INIT, safe = BUF_INIT;
		buf_printf(&line, "  chunk %u, HTTP %u: ", s.out.errors[i].chunk + 1,
		    s.out.errors[i].http_status);
		hs_error_summary(&line, s.out.errors[i].error);
		text_escape(&safe, line.data, line.len);
		cli_wrap_line(stdout, buf_str(&safe));
		buf_free(&line);
		buf_free(&safe);
	}
	free(k);
	session_free(&s);
	return 0;
}

/* Opens the output, when one was asked for, before the work: a path that
 * cannot be written is an error before anything is read or sent. */
int
cli_records_open(const char *cmd, const char *output, struct export_out *o)
{
	char *cause = NULL;

	o->path = NULL;
	if (output == NULL || export_open(o, output, &cause) == 0)
		return 0;
	cli_error("%s: --output %s", cmd, cause);
	free(cause);
	return -1;
}

/* Writes a session's records to the opened output, if any. */
int
cli_records_write(struct export_out *o, enum export_format f, const struct session *s)
{
	struct export_src src = session_export_src(s);
	char *cause = NULL;

	if (o->path == NULL)
		return 0;
	if (export_finish(o, f, &src, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

const struct option export_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "names", no_argument, NULL, 'N' },
	{ NULL, 0, NULL, 0 },
};

/* export --names: the session's records without a name get theirs from
 * the portal it was sent to (objects batch/read, 100 a request). */
static int
read_names(const struct common_opts *common, struct session *s)
{
	struct conn c;
	int rc;

	if ((rc = cli_connect_session(&c, common, "export", s, 0, NULL)) != 0)
		return rc;
	char *display[2];
	cli_display_props(&c, &s->from, &s->to, display);
	struct op *o = op_names(&c, s->in, &s->from, &s->to,
	    (const char *const *)display, s->names);
	rc = cli_run_op(&c, o, false, "");
	for (int side = 0; rc == 0 && side < 2; side++)
		names_merge(&s->names[side], &op_names_got(o)[side]);
	op_free(o);
	free(display[0]);
	free(display[1]);
	conn_close(&c);
	/* Names shown: the columns are there, named or not. */
	s->keyed = true;
	return rc;
}

int
cmd_export(int argc, char **argv, struct common_opts *common)
{
	enum export_format f = EXPORT_JSONL;
	const char *output = "-";
	struct session s;
	bool names = false;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:o:", export_longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, "export")) < 0)
			return EXIT_USAGE;
		if (r > 0)
			continue;
		if (opt == 'f') {
			if (export_format_parse(optarg, &f) != 0)
				return cli_usage_error("export", "--format is jsonl, csv or "
				    "json, not '%s'", optarg);
		} else if (opt == 'o') {
			output = optarg;
		} else if (opt == 'N') {
			names = true;
		} else {
			return cli_usage_error("export", opt == ':' ?
			    "option '%s' needs a value" : "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("export", "give a SESSION (see history)");
	struct export_out out;
	if (cli_records_open("export", output, &out) != 0)
		return EXIT_USAGE;
	if (cli_load_session("export", argv[optind], &s, NULL) != 0) {
		export_abandon(&out);
		return EXIT_USAGE;
	}
	if (names && (r = read_names(common, &s)) != 0) {
		export_abandon(&out);
		session_free(&s);
		return r;
	}
	/* Its rows in flight are as the session wrote them until the undo
	 * is done: said (before: nothing said). */
	if (s.meta.undo == SESSION_UNDO_BEGUN) {
		char where[4096];
		cli_say("export: the undo of session %s was interrupted: the rows its "
		    "answered writes took back read undone, the others as the session "
		    "left them (a write in flight may have landed too); hubassoc "
		    "resume %s%s finishes it", s.meta.id, s.meta.id,
		    conn_where_went(&s.meta, where, sizeof(where)));
	}
	r = cli_records_write(&out, f, &s);
	session_free(&s);
	return r != 0 ? EXIT_USAGE : 0;
}
