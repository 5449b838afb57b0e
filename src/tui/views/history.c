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

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct hist *h = H(v);
	const struct journal_meta *m = &h->meta[i];
	size_t rows = 0;
	char line[400], dir[200];

	for (int k = 0; k < OUTCOME_COUNT; k++)
		rows += m->counts[k];
	snprintf(dir, sizeof(dir), "%s>%s", m->from_path ? m->from_path : "?",
	    m->to_path ? m->to_path : "?");
	/* The ID says when: it is the start's date and time. */
	char c1[32], c2[32], c3[32], c4[32], c5[32], c7[32];
	/* As hubassoc history: unconfirmed rows are not settled yet either. */
	/* The state and the counts first: what a narrow terminal keeps. */
	/* The rows left out (invalid, duplicates) are the rest of ROWS;
	 * hubassoc history counts them apart. */
	snprintf(line, sizeof(line), "%-20s %-11.11s %6s %7s %6s %8s %7s %6s %5u  "
	    "%-22.22s %s", m->id ? m->id : "", session_state_name(m),
	    fmt_count(c1, rows), fmt_count(c2, m->counts[OUTCOME_CREATED]),
	    fmt_count(c3, m->counts[OUTCOME_FAILED]),
	    fmt_count(c4, m->counts[OUTCOME_NOT_SENT]),
	    fmt_count(c5, m->counts[OUTCOME_PENDING] + m->counts[OUTCOME_UNCONFIRMED]),
	    fmt_count(c7, m->counts[OUTCOME_UNDONE]), m->sends, dir,
	    m->profile ? m->profile : "");
	draw_text(y, 0, w, line, cursor ? ROLE_CURSOR : m->counts[OUTCOME_FAILED] ?
	    ROLE_WARNING : ROLE_DEFAULT, true);
}

static int
draw_head(struct view *v, int y, int w)
{
	(void)v;
	draw_text(y, 0, w, "SESSION              STATE         ROWS CREATED FAILED "
	    "NOT_SENT PENDING UNDONE SENDS  DIRECTION              PROFILE   "
	    "(Enter opens, r resumes, V verifies, u undoes)", ROLE_COLUMN, true);
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
