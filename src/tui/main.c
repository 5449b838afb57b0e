/* main.c: the terminal interface's setup and its one event loop. */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "curses.h"
#include "hubassoc/text.h"
#include "tui.h"
#include "hubassoc/op.h"
#include "../sandbox/sandbox.h"

#define MIN_COLS 50
#define MIN_ROWS 12
#define PASTE_IDLE_MS 1500   /* a paste whose end never comes ends here */
#define BURST_IDLE_MS 200    /* an unmarked paste ends when the input pauses */
#define QUIT_WAIT_MS 10000   /* quitting waits this long for answers */

/* ---- the built-in sandbox: reached only from here ---------------------- */

int
app_local_start(struct app *a, struct conn_given *g, char **cause)
{
	return sandbox_for_conn(&a->conn, g, cause) != NULL ? 0 : -1;
}

const char *
app_local_kept(struct app *a, const char **note)
{
	return sandbox_kept(a->conn.local, note);
}

int
app_local_demo(struct app *a, const char *from, const char *to, struct buf *out,
    size_t *bykey, char **cause)
{
	return sandbox_demo_pairs(a->conn.local, from, to, out, bykey, cause);
}

static void suspend(struct app *a);

static const struct view_ops *const all_views[VIEW_COUNT] = {
	[VIEW_PAIRS] = &view_pairs_ops, [VIEW_RESULTS] = &view_results_ops,
	[VIEW_ERRORS] = &view_errors_ops, [VIEW_INSPECTOR] = &view_inspector_ops,
	[VIEW_HISTORY] = &view_history_ops, [VIEW_PORTAL] = &view_portal_ops,
	[VIEW_PICKER] = &view_picker_ops,
	[VIEW_TYPES] = &view_types_ops, [VIEW_HELP] = &view_help_ops,
	[VIEW_DETAIL] = &view_detail_ops, [VIEW_COLUMNS] = &view_columns_ops,
};

/* ---- drawing ---------------------------------------------------------- */

/* How the run shown ended, in History's words ("interrupted", "aborted",
 * "undone", "daily limit" for daily_limit), or "sent" when its send
 * completed; in w (room for n). */
static const char *
run_end_word(const struct run *r, char *w, size_t n)
{
	const struct journal_meta *m = &r->s->meta;
	/* Read back without an end: unfinished, as History says. */
	bool left = r->unfinished || (r->loaded && r->stop == ENGINE_RUNNING &&
	    !m->ended && r->s->nsends > 0);
	/* Its end as recorded, once there is one: a no at the hold is
	 * "held", as History says (before: "interrupted", the engine's
	 * stop). */
	const char *end = m->undo != SESSION_UNDO_NONE ? session_state_name(m) :
	    left ? "unfinished" : m->ended && m->state != NULL ? m->state :
	    r->stop != ENGINE_RUNNING ? engine_stop_name(r->stop, 0) : NULL;

	snprintf(w, n, "%s", end != NULL && strcmp(end, "complete") != 0 ? end : "sent");
	for (char *p = w; *p != '\0'; p++)
		if (*p == '_')
			*p = ' ';
	return w;
}

static enum view_id tab_shown(const struct app *a);

static void
draw_header(struct app *a)
{
	struct buf b = BUF_INIT;
	const char *state = "editing";
	char pct[32];
	/* Whether the state is the session shown's: where it went is said
	 * with it (not with a draft's, nor a question's). */
	bool of_run = false;
	/* A question on screen, of what is being sent or not. */
	bool asking = a->prompt == PROMPT_CONFIRM || (a->op != NULL &&
	    op_question(a->op) != NULL && (a->pending != NULL ||
	    (a->run != NULL && a->run->running)));

	if (asking) {
		/* S's, R's, a remove's plan, nothing sent yet; the hold's
		 * question, nothing more sent until it is answered; an undo's,
		 * a reopen's (before: "sent" over R's and u's). */
		state = "asking";
	} else if (a->pending != NULL && a->op != NULL && !op_done(a->op)) {
		state = "looking";        /* S reads what the portal holds first */
	} else if (app_undoing(a) != NULL) {
		/* Said, as a send is (before: the session shown's end, and
		 * nothing of the undo under way). */
		state = "undoing";
	} else if (a->run != NULL && a->run->running) {
		size_t done = a->run->total - app_run_to_settle(a->run);
		/* C-c: nothing new leaves, the answers in flight are awaited. */
		snprintf(pct, sizeof(pct), "%s %zu%%", a->op != NULL &&
		    a->op->interrupted ? "stopping" : "sending", a->run->total ?
		    done * 100 / a->run->total : 100);
		state = pct;
	} else if (a->run != NULL && tab_shown(a) == VIEW_PAIRS &&
	    !work_is(a, a->run->journal_path)) {
		/* The pairs are not the session shown's (a draft of their own,
		 * chosen otherwise or cleared; or a session opened from the
		 * history): being edited (before: "sent", its end). */
		state = "editing";
	} else if (a->run != NULL && !a->run->loaded && a->run->plan != NULL &&
	    a->run->plan->nsend > 0 &&
	    app_run_to_settle(a->run) - a->run->out->count[OUTCOME_UNCONFIRMED] +
	    a->run->out->count[OUTCOME_NOT_SENT] == a->run->plan->nsend) {
		/* Stopped before, or not agreed to: none sent (an unconfirmed
		 * row was, and may be there); a remove's plan answered no, as
		 * History says it. */
		const char *end = a->run->s->meta.state;
		state = end != NULL && strcmp(end, "declined") == 0 ? "declined" :
		    "not sent";
		of_run = true;
	} else if (a->run != NULL && a->run->loaded && !app_run_is_work(a, a->run) &&
	    !a->run->resumed) {
		/* A session opened read-only is not what the pairs are. */
		if (tab_shown(a) != VIEW_PAIRS) {
			state = "viewing a session";
			of_run = true;
		}
	} else if (a->run != NULL) {
		state = run_end_word(a->run, pct, sizeof(pct));
		of_run = true;
	}
	static const char *const link_words[] = {
		[LINK_NONE] = "", [LINK_CHECKING] = " (trying the token)",
		[LINK_OK] = "", [LINK_REJECTED] = " token refused (:token)",
		[LINK_UNREACHABLE] = " not answering",
	};
	/* What is happening first: a narrow screen cuts the rest.  The
	 * built-in sandbox needs no profile: one is named when chosen. */
	const char *profile = a->conn.prof.name != NULL ? a->conn.prof.name :
	    a->profile != NULL ? a->profile : a->opts->given.set.profile != NULL ?
	    a->opts->given.set.profile : "default";
	bool named = strcmp(profile, "default") != 0;
	/* Whole; else without what is the usual (the default profile, the
	 * product's name, v4) and with the budget short, until it fits. */
	/* What S does, when it is not a create: the send asked's, the
	 * session shown's (sending, or on another view than Pairs), else
	 * the pairs'. */
	enum plan_op op = a->pending != NULL && a->pending->plan != NULL ?
	    a->pending->plan->op : asking && !(a->run != NULL && a->run->running) ?
	    PLAN_OP_CREATE : a->run != NULL && a->run->plan != NULL &&
	    (a->run->running || tab_shown(a) != VIEW_PAIRS) ?
	    a->run->plan->op : a->ws.op;
	/* The portal named is this terminal's: a session shown that went to
	 * another says so (the status said where, as it opened). */
	char elsewhere[64];
	if (of_run && app_sent_elsewhere(a, &a->run->s->meta)) {
		snprintf(elsewhere, sizeof(elsewhere), strcmp(state, "sent") == 0 ?
		    "sent elsewhere" : strcmp(state, "viewing a session") == 0 ?
		    "viewing a session sent elsewhere" : "%s (sent elsewhere)", state);
		state = elsewhere;
	}
	for (int brief = 0; brief < 2; brief++) {
		buf_reset(&b);
		buf_printf(&b, brief ? " %s  " : " hubassoc  %s  ", state);
		if (op != PLAN_OP_CREATE)
			buf_printf(&b, "%s  ", plan_op_label(op));
		if ((a->conn.local == NULL && !brief) || named)
			buf_printf(&b, "profile %s  ", profile);
		/* Without a connection, the portal it would be, and why not. */
		if (!a->connected && a->portal != NULL)
			buf_printf(&b, "%s ", a->portal);
		buf_printf(&b, "%s%s  ", a->connected ? a->portal : a->conn_error != NULL &&
		    strstr(a->conn_error, "no token") != NULL ? "no token (:token)" :
		    "not connected", link_words[a->link]);
		if (!brief || (a->connected && a->conn.api != API_V4))
			buf_printf(&b, "%s  ", a->connected ? api_version_name(a->conn.api) :
			    "-");
		/* The budget is a working connection's. */
		if (a->connected && (a->link == LINK_OK || a->link == LINK_CHECKING)) {
			size_t used = rate_used(&a->conn.rate, http_now_ms());
			size_t left = used < a->conn.rate.max ? a->conn.rate.max - used : 0;
			buf_printf(&b, brief ? "budget %zu/%u" : "budget %zu/%u left per %gs",
			    left, a->conn.rate.max, a->conn.rate.window_ms / 1000.0);
		}
		if ((int)text_width(b.data, b.len) <= a->cols)
			break;
	}
	draw_text(0, 0, a->cols, buf_str(&b), ROLE_HEADER, true);
	buf_free(&b);
}

static enum view_id
tab_shown(const struct app *a)
{
	return a->views[a->current].ops->modal ? a->behind : a->current;
}

/* Tab v's label: " 1 Pairs ", or " 1 " for the others than the one shown
 * when every title and "? help" do not fit.  Returns its width. */
static int
tab_label(const struct app *a, int v, char *t, size_t size)
{
	int full = 8;

	for (int k = 0; k < VIEW_TABS; k++)
		full += (int)strlen(a->views[k].ops->title) + 4;
	if (full > a->cols && (enum view_id)v != tab_shown(a))
		return snprintf(t, size, " %d ", v + 1);
	return snprintf(t, size, " %d %s ", v + 1, a->views[v].ops->title);
}

static void
draw_tabs(struct app *a)
{
	int x = 0;
	enum view_id shown = tab_shown(a);

	draw_fill(1, 0, a->cols, ROLE_TAB);
	for (int v = 0; v < VIEW_TABS && x < a->cols; v++) {
		char t[40];
		tab_label(a, v, t, sizeof(t));
		x += draw_text(1, x, a->cols - x, t, (enum view_id)v == shown ?
		    ROLE_TAB_ACTIVE : ROLE_TAB, false);
	}
	/* Whole or shorter, never cut. */
	draw_text_right(1, x, a->cols - x, a->cols - x >= 8 ? "? help  " :
	    a->cols - x >= 2 ? "? " : "", ROLE_TAB);
}

static void
draw_view(struct view *v, int y, int h, int w)
{
	int used = v->ops->draw_head != NULL ? v->ops->draw_head(v, y, w) : 0;

	view_list_draw(v, y + used, h - used, w);
}

/* A line of the question, wrapped: its pieces (escaped text, at most
 * width columns each, the first at 0, the rest at indent). */
struct piece {
	size_t line, start, len;
	int x;
};

static size_t
wrap_line(struct piece **v, size_t n, size_t line, const char *t, int width,
    int indent)
{
	size_t len = strlen(t), at = 0;

	do {
		int x = at == 0 ? 0 : indent;
		size_t k = at < len ? text_wrap(t + at, len - at, (size_t)(width - x)) : 0;
		*v = xreallocarray(*v, n + 1, sizeof(**v));
		(*v)[n++] = (struct piece){ line, at, k, x };
		at += k;
		while (at < len && t[at] == ' ' && at > 0)
			at++;             /* a wrapped line starts with a word */
	} while (at < len);
	return n;
}

/*
 * A question: its plan above (each line whole, wrapped under its label),
 * its title and the answer's keys last.  What cannot fit on a screen too
 * short is said to be there, never cut mid-line.
 */
static void
draw_question(struct app *a)
{
	const struct op_question *q = &a->confirm_q;
	size_t nl = q->nlines + 1, n = 0, avail = (size_t)a->rows - 1;
	char **t = xcalloc(nl, sizeof(*t));
	struct piece *v = NULL;

	for (size_t i = 0; i < nl; i++) {
		const char *s = i < q->nlines ? q->lines[i] : q->title;
		char *full = i < q->nlines ? NULL : xasprintf("%s%s", s,
		    strstr(s, "[y/n]") == NULL ? " [y/n]" : "");
		t[i] = text_escape_str(full != NULL ? full : s,
		    strlen(full != NULL ? full : s), SIZE_MAX);
		free(full);
		/* The plan's lines hang under their value's column. */
		n = wrap_line(&v, n, i, t[i], a->cols - 1, i < q->nlines ?
		    (int)text_hang(t[i], (size_t)a->cols / 2) : 0);
	}
	size_t title_at = n;
	while (title_at > 0 && v[title_at - 1].line == q->nlines)
		title_at--;
	/* Too tall: the plan's last pieces give way to a line saying so. */
	size_t shown = n, hidden = 0;
	if (n > avail) {
		hidden = n - avail + 1;
		shown = avail;
	}
	int y = a->rows - (int)shown;
	if (y > 1 && (int)shown < (int)avail) {
		attrset(role_attr(ROLE_BORDER));
		mvhline(y - 1, 0, ACS_HLINE, a->cols);
		attrset(A_NORMAL);
	}
	for (size_t k = 0; k < n; k++) {
		bool title = k >= title_at;
		if (!title && hidden > 0 && k >= title_at - hidden) {
			if (k == title_at - hidden) {
				char m[96];
				snprintf(m, sizeof(m), "... %zu more line%s: a taller terminal "
				    "shows them", hidden, hidden == 1 ? "" : "s");
				draw_text(y++, 0, a->cols, m, ROLE_DIM, true);
			}
			continue;
		}
		draw_fill(y, 0, v[k].x, title ? ROLE_WARNING : ROLE_STATUS);
		draw_textn(y, v[k].x, a->cols - v[k].x, t[v[k].line] + v[k].start,
		    v[k].len, title ? ROLE_WARNING : ROLE_STATUS, true);
		y++;
	}
	for (size_t i = 0; i < nl; i++)
		free(t[i]);
	free(t);
	free(v);
}

/* Text wrapped at words over at most max rows, its last row at bottom
 * (over what the view drew there): nothing is cut at 80 columns but what
 * passes max rows, which ends in an ellipsis. */
static void
draw_wrapped_up(struct app *a, int bottom, const char *s, enum role role, int max)
{
	char *t = text_escape_str(s, strlen(s), SIZE_MAX);
	struct piece *v = NULL;
	size_t n = wrap_line(&v, 0, 0, t, a->cols, 0);
	size_t shown = n < (size_t)max ? n : (size_t)max;

	if ((int)shown > bottom)
		shown = (size_t)(bottom > 0 ? bottom : 1);
	for (size_t k = 0; k < shown; k++) {
		int y = bottom - (int)(shown - 1 - k);
		/* The last row shown holds the rest, cut if it must be. */
		size_t len = k + 1 == shown ? strlen(t) - v[k].start : v[k].len;
		draw_textn(y, 0, a->cols, t + v[k].start, len, role, true);
	}
	free(v);
	free(t);
}

/* The rows the status takes at the bottom, 1 to 3: the view above is
 * drawn that much shorter, so that its cursor row is never under it. */
static int
status_rows(struct app *a)
{
	if (a->prompt != PROMPT_NONE || a->status == NULL || a->status[0] == '\0')
		return 1;
	char *t = text_escape_str(a->status, strlen(a->status), SIZE_MAX);
	struct piece *v = NULL;
	size_t n = wrap_line(&v, 0, 0, t, a->cols, 0);

	free(v);
	free(t);
	return n < 1 ? 1 : n > 3 ? 3 : (int)n;
}

static void
draw_status(struct app *a)
{
	int y = a->rows - 1;

	if (a->prompt == PROMPT_CONFIRM) {
		draw_question(a);
		return;
	}
	if (a->prompt != PROMPT_NONE) {
		/* Tab's choices, all of them, above the line being typed. */
		if (a->line.matches != NULL && y > 0)
			draw_wrapped_up(a, y - 1, a->line.matches, ROLE_STATUS, a->rows / 3);
		prompt_draw(a);
		return;
	}
	draw_wrapped_up(a, y, a->status != NULL ? a->status : "", a->status_error ?
	    ROLE_ERROR : ROLE_STATUS, 3);
}

static void
draw(struct app *a)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (a->rows < MIN_ROWS || a->cols < MIN_COLS) {
		char m1[64], m2[64];
		erase();
		snprintf(m1, sizeof(m1), "hubassoc needs %dx%d;", MIN_COLS, MIN_ROWS);
		snprintf(m2, sizeof(m2), "this terminal is %dx%d", a->cols, a->rows);
		mvaddnstr(a->rows / 2 - (a->rows > 1), 0, m1, a->cols);
		mvaddnstr(a->rows / 2 + (a->rows <= 1), 0, m2, a->cols);
		refresh();
		return;
	}
	struct view *cur = &a->views[a->current];
	draw_header(a);
	draw_tabs(a);
	if (cur->ops->modal) {
		draw_view(&a->views[a->behind], 2, a->rows - 3, a->cols);
		int h = a->rows - 6, w = a->cols - 8 > 100 ? 100 : a->cols - 8;
		int y = 3, x = (a->cols - w) / 2;
		draw_box(y, x, h, w, cur->ops->title);
		/* The modal list, drawn inside the box by moving the origin. */
		WINDOW *saved = stdscr;
		WINDOW *sub = derwin(stdscr, h - 2, w - 2, y + 1, x + 1);
		if (sub != NULL) {
			stdscr = sub;
			draw_view(cur, 0, h - 2, w - 2);
			stdscr = saved;
			touchwin(stdscr);
			wnoutrefresh(stdscr);
			wnoutrefresh(sub);
			delwin(sub);
		}
	} else {
		draw_view(cur, 2, a->rows - 2 - status_rows(a), a->cols);
	}
	draw_status(a);
	if (a->prompt == PROMPT_NONE || a->prompt == PROMPT_CONFIRM)
		curs_set(0);
	refresh();
	a->need_redraw = false;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a->draw_ns_last = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ull +
	    (uint64_t)(t1.tv_nsec - t0.tv_nsec);
	if (a->draw_stats != NULL) {
		FILE *f = fopen(a->draw_stats, "a");
		if (f != NULL) {
			fprintf(f, "%llu %s %zu\n", (unsigned long long)a->draw_ns_last,
			    cur->ops->name, cur->ops->count(cur));
			fclose(f);
		}
	}
}

/* ---- events ------------------------------------------------------------- */

static void
generic(struct app *a, enum action act)
{
	struct view *v = &a->views[a->current];
	enum view_id base = v->ops->modal ? a->behind : a->current;

	if (view_list_action(v, act))
		return;
	switch (act) {
	case ACT_NEXT_VIEW:
		app_show(a, (enum view_id)((base + 1) % VIEW_TABS));
		break;
	case ACT_PREV_VIEW:
		app_show(a, (enum view_id)((base + VIEW_TABS - 1) % VIEW_TABS));
		break;
	case ACT_VIEW_PAIRS: case ACT_VIEW_RESULTS: case ACT_VIEW_ERRORS:
	case ACT_VIEW_INSPECTOR: case ACT_VIEW_HISTORY: case ACT_VIEW_PORTAL:
		app_show(a, (enum view_id)(act - ACT_VIEW_PAIRS));
		break;
	case ACT_HELP:
		app_show(a, VIEW_HELP);
		break;
	case ACT_COMMAND:
		prompt_open(a, PROMPT_COMMAND, ":", NULL);
		break;
	case ACT_FILTER:
		if (v->ops->filter != NULL)
			prompt_open(a, PROMPT_FILTER, "filter: ", NULL);
		break;
	case ACT_QUIT:
		if (v->ops->modal)
			app_show(a, a->behind);
		else
			app_quit(a);
		break;
	case ACT_CANCEL:
		app_cancel(a);
		break;
	case ACT_REDRAW:
		clearok(stdscr, TRUE);
		break;
	case ACT_SUSPEND:
		suspend(a);
		break;
	case ACT_PICK_FROM: case ACT_PICK_TO: case ACT_PICK_TYPES:
	case ACT_SUBMIT:
		/* From any view, these are about the pairs (S asks first). */
		if (act != ACT_SUBMIT || !a->views[a->current].ops->modal)
			a->views[VIEW_PAIRS].ops->action(&a->views[VIEW_PAIRS], act);
		break;
	default:
		break;
	}
}

static void
on_key(struct app *a, int key)
{
	if (a->prompt == PROMPT_CONFIRM) {
		/* y, or a no: n, Enter, Escape, q, C-c.  Another key answers
		 * nothing (a ':' typed before the question showed is not a no). */
		bool yes = key == 'y' || key == 'Y';
		if (!yes && key != 'n' && key != 'N' && key != '\n' && key != '\r' &&
		    key != KEY_ENTER && key != 27 && key != 'q' && key != 3)
			return;
		void (*fn)(struct app *, bool) = a->confirm;
		a->prompt = PROMPT_NONE;
		a->confirm = NULL;
		if (fn != NULL)
			fn(a, yes);
		a->need_redraw = true;
		return;
	}
	struct event ev = { .kind = EV_KEY, .key = key };
	/* f, a type, Enter, then t out of habit: the TO picker opened by
	 * itself, so that t opens nothing, and filters nothing. */
	bool followed = a->to_followed;
	a->to_followed = false;
	if (followed && key == 't' && a->current == VIEW_PICKER && a->picking &&
	    a->prompt == PROMPT_FILTER)
		return;
	if (a->prompt != PROMPT_NONE) {
		/* Suspending works from a line being typed too, as in vim. */
		if (keymap_lookup(a->current, key) == ACT_SUSPEND)
			suspend(a);
		else
			prompt_key(a, &ev);
		return;
	}
	struct view *v = &a->views[a->current];
	enum action act = keymap_lookup(a->current, key);
	if (act == ACT_NONE)
		return;
	if (v->ops->action == NULL || !v->ops->action(v, act))
		generic(a, act);
	a->need_redraw = true;
}

static void
on_mouse(struct app *a, const struct event *ev)
{
	struct view *v = &a->views[a->current];

	if (ev->button == MOUSE_WHEEL_UP || ev->button == MOUSE_WHEEL_DOWN) {
		for (int i = 0; i < 3; i++)
			view_list_action(v, ev->button == MOUSE_WHEEL_UP ? ACT_UP : ACT_DOWN);
	} else if (ev->button == MOUSE_LEFT && ev->press) {
		if (ev->y == 1 && !v->ops->modal) {
			/* The tabs, as drawn. */
			int x = 0;
			for (int t = 0; t < VIEW_TABS; t++) {
				char label[40];
				int w = tab_label(a, t, label, sizeof(label));
				if (ev->x >= x && ev->x < x + w) {
					app_show(a, (enum view_id)t);
					break;
				}
				x += w;
			}
		} else if (ev->y >= v->list_y && ev->y < v->list_y + v->list_h &&
		    !v->ops->modal) {
			size_t i = v->top + (size_t)(ev->y - v->list_y);
			if (i < v->ops->count(v))
				v->cursor = i;
		}
	}
	a->need_redraw = true;
}

static void
on_paste(struct app *a, const struct event *ev)
{
	if (ev->truncated)
		app_status(a, true, "the paste was cut at %zu MiB", KEYS_PASTE_MAX >> 20);
	if (a->prompt == PROMPT_CONFIRM)
		return;
	if (a->prompt != PROMPT_NONE) {
		prompt_paste(a, ev->text, ev->len);
		return;
	}
	/* Pairs, wherever they are pasted: data, never keys. */
	size_t before = a->ws.pairs->nrows;
	app_add_text(a, ev->text, ev->len, "pasted");
	if (ev->unmarked) {
		char *said = xstrdup(a->status != NULL ? a->status : "pasted");
		app_status(a, false, "%s (this terminal does not mark pastes: lines that "
		    "came at once were taken as one)", said);
		free(said);
	}
	if (a->current != VIEW_PAIRS && !a->views[a->current].ops->modal)
		app_show(a, VIEW_PAIRS);
	view_pairs_goto(&a->views[VIEW_PAIRS], before);
	a->need_redraw = true;
}

static void
resize(struct app *a)
{
	struct winsize ws;

	if (ioctl(a->tty_out, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		resizeterm(ws.ws_row, ws.ws_col);
		a->rows = ws.ws_row;
		a->cols = ws.ws_col;
	} else {
		getmaxyx(stdscr, a->rows, a->cols);
	}
	clearok(stdscr, TRUE);
	a->need_redraw = true;
}

/* ---- setup and the loop ------------------------------------------------ */

/*
 * C-z (raw mode keeps the terminal from sending SIGTSTP itself), or a
 * SIGTSTP from elsewhere: the terminal back as the shell had it, the
 * process stopped as job control expects; after fg, the screen again, at
 * whatever size the terminal has by then.  Requests in flight wait with
 * the process; their timeouts and retries cover a long stop.
 */
static void
suspend(struct app *a)
{
	struct sigaction dfl, old;

	tty_modes(a, false);
	endwin();
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old);
	raise(SIGTSTP);
	/* Continued. */
	sigaction(SIGTSTP, &old, NULL);
	tty_modes(a, true);
	resize(a);
}

static void
app_free(struct app *a)
{
	/* What holds the pairs' session goes before it. */
	op_free(a->op);
	app_run_free(a->run);
	app_run_free(a->pending);
	a->op = NULL;
	a->run = a->pending = NULL;
	work_close(a);
	workset_free(&a->ws);
	free(a->reopen_path);
	free(a->lookup_rows);
	free(a->quit_undo);
	journal_close(a->lookups);
	app_safety_free(a);
	if (a->chosen.state != NULL || a->chosen.types != NULL)
		plan_free(&a->chosen);
	assoc_labels_free(&a->labels);
	app_customs_free(a);
	app_fetches_free(a);
	if (a->connected)
		conn_close(&a->conn);
	else
		profile_free(&a->conn.prof);
	free(a->conn_error);
	free(a->link_why);
	free(a->profile);
	free(a->labels_error);
	free(a->plan_error);
	free(a->portal);
	free(a->label_offered);
	free(a->status);
	op_question_clear(&a->confirm_q);
	app_file_job_free(a);
	theme_free(a->theme);
	keys_free(&a->keys);
	for (int v = 0; v < VIEW_COUNT; v++) {
		if (a->views[v].data != NULL && a->views[v].ops->done != NULL)
			a->views[v].ops->done(&a->views[v]);
		free(a->views[v].data);
	}
}

/* The first screen: connected (or asking for a token), with what was
 * piped in, the session asked for, or the last one offered. */
static void
first_screen(struct app *a, const struct tui_opts *o)
{
	char *cause = NULL;

	app_connect(a);
	if (!a->connected && a->conn_error != NULL && strstr(a->conn_error, "no token")) {
		app_status(a, false, "no token in the environment, a profile or a "
		    "file: type it (it is not shown), or Esc to only plan");
		prompt_open(a, PROMPT_TOKEN, "HubSpot token: ", NULL);
	} else if (a->connected && a->ws.pairs->nrows == 0)
		app_status(a, false, "Paste pairs (IDs, emails or domains), or :load FILE%s; f and "
		    "t choose the object types, y the association types, S sends; ? helps",
		    a->conn.local != NULL ? " (:demo on the sandbox)" : "");
	app_pairs_changed(a);
	if (a->ws.pairs->nrows > 0) {
		char n[32];
		/* Piped rows are the working set's first. */
		if (work_add(a, 0) == 0)
			app_status(a, false, "%s row%s from standard input",
			    fmt_count(n, a->ws.pairs->nrows), plural_s(a->ws.pairs->nrows));
		app_pairs_changed(a);
	} else if (o->session != NULL) {
		char *path = NULL;
		if (journal_find(o->session, &path, &cause) != 0) {
			app_status(a, true, "%s", cause);
			free(cause);
			cause = NULL;
		} else
			work_reopen(a, path);
		free(path);
	} else if (a->prompt == PROMPT_NONE) {
		work_offer_last(a);
	}
	a->need_redraw = true;
}

/* The one event loop: the network and the terminal, drained, then drawn. */
static void
event_loop(struct app *a)
{
	uint64_t last_input = http_now_ms(), last_tick = 0;
	while (!a->quit) {
		if (!a->planned && a->ws.have_from && a->ws.have_to)
			app_replan(a);
		if (a->need_redraw)
			draw(a);
		struct http_fd fds[2] = {
			{ a->tty_in, POLLIN, 0 }, { tty_signal_fd(), POLLIN, 0 },
		};
		bool busy = (a->run != NULL && a->run->running) || a->op != NULL ||
		    a->fetches != NULL;
		int timeout = busy || keys_in_paste(&a->keys) ? 100 : 500;
		if (a->keys.pending.len > a->keys.pos)
			timeout = 25;   /* an Escape may be alone */
		if (a->op != NULL)
			op_turn(a->op, fds, 2, timeout);
		else if (a->connected) {
			http_wait(a->conn.http, fds, 2, timeout);
			http_work(a->conn.http);
		} else {
			struct pollfd p[2] = { { fds[0].fd, POLLIN, 0 }, { fds[1].fd, POLLIN, 0 } };
			poll(p, 2, timeout);
			fds[0].revents = p[0].revents;
			fds[1].revents = p[1].revents;
		}
		app_poll_network(a);
		if (fds[1].revents & POLLIN) {
			char c;
			while (read(tty_signal_fd(), &c, 1) == 1) {
				if (c == SIGWINCH)
					resize(a);
				else if (c == SIGTSTP)
					suspend(a);
				else
					a->quit = true;
			}
		}
		bool fresh = false;
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
			char chunk[65536];
			ssize_t n;
			while ((n = read(a->tty_in, chunk, sizeof(chunk))) > 0) {
				keys_feed(&a->keys, chunk, (size_t)n);
				fresh = true;
			}
			/* The terminal went away: an end, or an error (EIO once its
			 * pty is gone) that poll would report again and again. */
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR))
				a->quit = true;
		}
		uint64_t now = http_now_ms();
		if (fresh)
			last_input = now;
		/* Lines that came at once where pairs go: a paste the terminal
		 * did not mark (before: its digits switched views). */
		if (fresh && a->prompt == PROMPT_NONE && a->current == VIEW_PAIRS)
			(void)keys_take_burst(&a->keys);
		if (keys_in_paste(&a->keys) && now - last_input >
		    (keys_paste_unmarked(&a->keys) ? BURST_IDLE_MS : PASTE_IDLE_MS))
			keys_end_paste(&a->keys);
		struct event ev;
		/* Drain every event, then draw once. */
		while (keys_next(&a->keys, &ev, !fresh)) {
			if (ev.kind == EV_KEY)
				on_key(a, ev.key);
			else if (ev.kind == EV_MOUSE)
				on_mouse(a, &ev);
			else
				on_paste(a, &ev);
			if (a->quit)
				break;
		}
		/* Counters while sending; the budget refilling after. */
		bool live = (a->run != NULL && a->run->running) || (a->connected &&
		    rate_used(&a->conn.rate, now) > 0);
		if (live && now - last_tick > 200) {
			a->need_redraw = true;
			last_tick = now;
		}
		if (a->status != NULL && !a->status_error && now > a->status_time + 8000 &&
		    a->status[0] != '\0') {
			free(a->status);
			a->status = xstrdup("");
			a->need_redraw = true;
		}
	}
}

/* Quitting mid-send (or mid-undo): the answers in flight are awaited (for
 * a while) and recorded; resume does the rest. */
static void
quit_waiting(struct app *a)
{
	if (a->op != NULL) {
		a->quit_stopped = a->run != NULL && a->run->running;
		if (app_undoing(a) != NULL)
			a->quit_undo = xstrdup(app_undoing(a));
		uint64_t until = http_now_ms() + QUIT_WAIT_MS;
		bool cut = false;
		app_status(a, false, "waiting for the answers in flight...");
		draw(a);
		op_interrupt(a->op);
		while (a->op != NULL && !op_done(a->op)) {
			uint64_t now = http_now_ms();
			if (!cut && now > until) {
				op_interrupt(a->op);
				cut = true;
			}
			/* Whatever the op's state, quitting ends: what left is in
			 * the journal, and resume reads it back. */
			if (now > until + QUIT_WAIT_MS)
				break;
			op_turn(a->op, NULL, 0, 50);
			if (op_question(a->op) != NULL)
				op_answer(a->op, false);
		}
		/* An undo that ended whole meanwhile has nothing to finish. */
		if (a->quit_undo != NULL && a->op != NULL && op_done(a->op) &&
		    a->op->status == EXIT_ALL_CREATED) {
			free(a->quit_undo);
			a->quit_undo = NULL;
		}
		app_poll_network(a);
	}
}

/* On the way out: what resume would send of session id (how it stands:
 * "stopped as it quit:", "has"), and the command, where it goes. */
static void
say_resume(const struct app *a, const char *id, const char *how, size_t unsent,
    size_t unconfirmed)
{
	char n1[64], n2[64], where[4096];

	fprintf(stderr, "hubassoc: session %s %s %s not sent, %s unconfirmed: "
	    "hubassoc resume %s%s sends the rest (r in History)\n", id, how,
	    fmt_counted(n1, unsent, "row"), fmt_count(n2, unconfirmed), id,
	    conn_where(&a->conn, where, sizeof(where)));
}

/* The views, the keys and the prompt; then the first screen, the loop, and
 * what waits at the end. */
static void
run_app(struct app *a, const struct tui_opts *o)
{
	for (int v = 0; v < VIEW_COUNT; v++) {
		a->views[v].ops = all_views[v];
		a->views[v].app = a;
	}
	a->current = VIEW_PAIRS;
	a->behind = VIEW_PAIRS;
	keys_init(&a->keys);
	prompt_init(a);
	first_screen(a, o);
	event_loop(a);
	quit_waiting(a);
	prompt_fini(a);
}

int
tui_main(const struct tui_opts *o, char **cause_out)
{
	struct app app = { 0 }, *a = &app;
	FILE *tin = NULL, *tout = NULL;
	SCREEN *scr;
	char *stderr_path;
	int saved_stderr, status;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	/* Text is measured as UTF-8 whatever the locale says. */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	a->opts = o;
	workset_init(&a->ws);
	a->draw_stats = getenv("HUBASSOC_DRAW_STATS");

	/* Pairs piped in: read them all; the screen is the terminal's. */
	if (!isatty(STDIN_FILENO)) {
		input_begin_source(a->ws.pairs, "stdin");
		if (input_read_fd(a->ws.pairs, STDIN_FILENO, cause_out) != 0) {
			workset_free(&a->ws);
			return EXIT_USAGE;
		}
	}
	if (!tty_open(a, &tin, &tout, cause_out)) {
		workset_free(&a->ws);
		return EXIT_USAGE;
	}
	if ((status = tty_theme(a, o, cause_out)) != 0) {
		fclose(tin);
		fclose(tout);
		workset_free(&a->ws);
		return status;
	}
	saved_stderr = tty_hold_stderr(&stderr_path);
	if ((scr = tty_start_screen(a, tin, tout, cause_out)) == NULL) {
		status = EXIT_USAGE;
	} else {
		tty_catch_signals();
		run_app(a, o);
		tty_modes(a, false);
		endwin();
		delscreen(scr);
	}
	tty_give_back_stderr(saved_stderr, stderr_path);
	const struct run *r = a->run;
	const struct outcomes *out = r != NULL ? &r->s->out : NULL;
	size_t left = out != NULL ? out->count[OUTCOME_PENDING] +
	    out->count[OUTCOME_NOT_SENT] : 0;
	if (a->quit_stopped && r->id != NULL &&
	    left + out->count[OUTCOME_UNCONFIRMED] > 0) {
		/* Quit mid-send: stopped, and resumable, as an interrupted
		 * command says (before: exit 0, and the session named only). */
		say_resume(a, r->id, "stopped as it quit:", left,
		    out->count[OUTCOME_UNCONFIRMED]);
		if (status == 0)
			status = EXIT_INTERRUPTED;
	} else if (a->quit_undo != NULL) {
		/* Quit mid-undo: the portal half put back, said with the
		 * command that finishes it (before: exit 0, "last session"). */
		char where[4096];
		fprintf(stderr, "hubassoc: the undo of session %s stopped as it quit: "
		    "hubassoc resume %s%s finishes it (r in History)\n", a->quit_undo,
		    a->quit_undo, conn_where(&a->conn, where, sizeof(where)));
		if (status == 0)
			status = EXIT_INTERRUPTED;
	} else if (a->ws.id != NULL || (r != NULL && r->id != NULL)) {
		/* The pairs' session, not one opened to read. */
		const char *id = a->ws.id != NULL ? a->ws.id : r->id;
		fprintf(stderr, "hubassoc: last session %s (hubassoc show %s)\n", id, id);
		/* Its send stopped before (C-c, given up): what resume would
		 * do, and the command (before: unsaid, quitting after a C-c). */
		const struct session *s = r != NULL && r->id != NULL &&
		    strcmp(r->id, id) == 0 ? r->s : NULL;
		size_t unsent = s == NULL || s->meta.undo != SESSION_UNDO_NONE ? 0 :
		    session_pending_sent(s) + out->count[OUTCOME_NOT_SENT] -
		    session_deleted_unsent(s);
		if (unsent + (s != NULL ? out->count[OUTCOME_UNCONFIRMED] : 0) > 0)
			say_resume(a, id, "has", unsent, out->count[OUTCOME_UNCONFIRMED]);
	}
	app_free(a);
	fclose(tin);
	fclose(tout);
	tty_release_signals();
	return status;
}
