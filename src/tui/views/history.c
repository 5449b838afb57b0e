/* history.c: the sessions in the journal; open one, or resume it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"

struct hist {
	char **paths;
	struct journal_meta *meta;
	size_t n;
	bool loaded;
};

static struct hist *
H(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct hist));
	return v->data;
}

static void
done(struct view *v)
{
	struct hist *h = H(v);

	for (size_t i = 0; i < h->n; i++) {
		free(h->paths[i]);
		journal_meta_free(&h->meta[i]);
	}
	free(h->paths);
	free(h->meta);
	h->paths = NULL;
	h->meta = NULL;
	h->n = 0;
}

void
view_history_reload(struct view *v)
{
	struct hist *h = H(v);
	char *cause = NULL;

	done(v);
	if (journal_list(&h->paths, &h->n, &cause) != 0) {
		app_status(v->app, true, "history: %s", cause);
		free(cause);
		return;
	}
	h->meta = xcalloc(h->n + 1, sizeof(*h->meta));
	for (size_t i = 0; i < h->n; i++)
		if (journal_peek(h->paths[i], &h->meta[i], &cause) != 0) {
			free(cause);
			cause = NULL;
			h->meta[i].id = xstrdup("(unreadable)");
		}
	h->loaded = true;
}

static void
enter(struct view *v)
{
	view_history_reload(v);
}

static size_t
count(struct view *v)
{
	struct hist *h = H(v);

	if (!h->loaded)
		view_history_reload(v);
	return h->n;
}

/* The columns: the state and the counts first (what a narrow terminal
 * keeps); counts that are 0 in every session go when the line does not
 * fit, so that the direction shows. */
enum { HC_ID, HC_STATE, HC_OP, HC_ROWS, HC_CREATED, HC_FAILED, HC_NOT_SENT, HC_PENDING,
	HC_UNDONE, HC_SENDS, HC_DIR, HC_PROFILE, HC_N };
static const struct { const char *name; int width; bool num; } hcols[HC_N] = {
	{ "SESSION", 20, false }, { "STATE", 11, false }, { "OP", 7, false },
	{ "ROWS", 6, true },
	{ "CREATED", 7, true }, { "FAILED", 6, true }, { "NOT_SENT", 8, true },
	{ "PENDING", 7, true }, { "UNDONE", 6, true }, { "SENDS", 5, true },
	{ "DIRECTION", 22, false }, { "PROFILE", 10, false },
};

static size_t
count_of(const struct journal_meta *m, int c)
{
	size_t rows = 0;

	switch (c) {
	case HC_ROWS:
		for (int k = 0; k < OUTCOME_COUNT; k++)
			rows += m->counts[k];
		return rows;
	case HC_CREATED: return m->counts[OUTCOME_CREATED];
	case HC_FAILED: return m->counts[OUTCOME_FAILED];
	case HC_NOT_SENT: return m->counts[OUTCOME_NOT_SENT];
	/* As hubassoc history: unconfirmed rows are not settled yet either. */
	case HC_PENDING:
		return m->counts[OUTCOME_PENDING] + m->counts[OUTCOME_UNCONFIRMED];
	case HC_UNDONE: return m->counts[OUTCOME_UNDONE];
	case HC_SENDS: return m->sends;
	default: return 0;
	}
}

/* Which columns show at width w. */
static void
fit(const struct hist *h, int w, bool show[HC_N])
{
	static const int drop[] = { HC_UNDONE, HC_PENDING, HC_NOT_SENT };
	int total = 0;

	for (int c = 0; c < HC_N; c++) {
		show[c] = true;
		total += hcols[c].width + 1;
	}
	/* The operation, when a session is not a create (as hubassoc history). */
	show[HC_OP] = false;
	for (size_t i = 0; i < h->n; i++)
		show[HC_OP] |= h->meta[i].op != PLAN_OP_CREATE;
	if (!show[HC_OP])
		total -= hcols[HC_OP].width + 1;
	for (size_t k = 0; k < HA_ARRAY_LEN(drop) && total - hcols[HC_PROFILE].width > w;
	    k++) {
		bool zero = true;
		for (size_t i = 0; i < h->n && zero; i++)
			zero = count_of(&h->meta[i], drop[k]) == 0;
		if (zero) {
			show[drop[k]] = false;
			total -= hcols[drop[k]].width + 1;
		}
	}
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct hist *h = H(v);
	const struct journal_meta *m = &h->meta[i];
	struct buf line = BUF_INIT;
	bool show[HC_N];
	char cell[200];

	fit(h, w, show);
	/* The ID says when: it is the start's date and time.  The rows left
	 * out (invalid, duplicates) are the rest of ROWS; hubassoc history
	 * counts them apart. */
	for (int c = 0; c < HC_N; c++) {
		if (!show[c])
			continue;
		if (hcols[c].num)
			fmt_count(cell, count_of(m, c));
		else if (c == HC_ID)
			snprintf(cell, sizeof(cell), "%s", m->id ? m->id : "");
		else if (c == HC_STATE)
			snprintf(cell, sizeof(cell), "%s", session_state_name(m));
		else if (c == HC_OP)
			snprintf(cell, sizeof(cell), "%s", plan_op_name(m->op));
		else if (c == HC_DIR)
			snprintf(cell, sizeof(cell), "%s>%s", m->from_path ? m->from_path :
			    "?", m->to_path ? m->to_path : "?");
		else
			snprintf(cell, sizeof(cell), "%s", m->profile ? m->profile : "");
		if (hcols[c].num)
			buf_printf(&line, "%*s ", hcols[c].width, cell);
		else
			buf_printf(&line, "%-*.*s ", hcols[c].width, hcols[c].width, cell);
	}
	draw_text(y, 0, w, buf_str(&line), cursor ? ROLE_CURSOR :
	    m->counts[OUTCOME_FAILED] ? ROLE_WARNING : ROLE_DEFAULT, true);
	buf_free(&line);
}

static int
draw_head(struct view *v, int y, int w)
{
	struct buf head = BUF_INIT;
	bool show[HC_N];

	fit(H(v), w, show);
	for (int c = 0; c < HC_N; c++)
		if (show[c])
			buf_printf(&head, hcols[c].num ? "%*s " : "%-*s ", hcols[c].width,
			    hcols[c].name);
	buf_addstr(&head, "(Enter opens, r resumes, V verifies, u undoes)");
	draw_text(y, 0, w, buf_str(&head), ROLE_COLUMN, true);
	buf_free(&head);
	return 1;
}

static bool
action(struct view *v, enum action act)
{
	struct hist *h = H(v);

	if (v->cursor >= h->n)
		return false;
	switch (act) {
	case ACT_SELECT:
		app_open_session(v->app, h->paths[v->cursor], false);
		return true;
	case ACT_RESUME:
		app_open_session(v->app, h->paths[v->cursor], true);
		return true;
	case ACT_VERIFY:
		app_verify_session(v->app, h->paths[v->cursor]);
		return true;
	case ACT_UNDO:
		app_undo_session(v->app, h->paths[v->cursor]);
		return true;
	default:
		return false;
	}
}

const struct view_ops view_history_ops = {
	.name = "history", .title = "History",
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .enter = enter, .done = done,
};
