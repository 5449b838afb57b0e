/* history.c: the sessions in the journal; open one, or resume it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/history.h"
#include "../curses.h"
#include "../tui.h"

struct hist {
	char **paths;
	struct journal_meta *meta;
	size_t n;
	bool loaded;
	int width[18];            /* hcols' widths, as the sessions ask */
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

static void measure(struct hist *h);

void
view_history_reload(struct view *v)
{
	struct hist *h = H(v);
	char *cause = NULL;

	done(v);
	if (journal_list(&h->paths, &h->n, &cause) != 0) {
		app_status(v->app, true, "history: %s", cause);
		free(cause);
		measure(h);
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
	measure(h);
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

/* The columns (history.h's, in an order of the terminal's): the state and
 * the counts first (what a narrow terminal keeps); counts that are 0 in
 * every session go when the line does not fit, so that the direction
 * shows.  The ID says when: it is the start's date and time. */
static const struct { enum hist_col c; int width; } hcols[] = {
	{ HIST_SESSION, 20 }, { HIST_STATE, 11 }, { HIST_OP, 7 }, { HIST_ROWS, 6 },
	{ HIST_DONE, 7 }, { HIST_FAILED, 6 }, { HIST_INVALID, 7 }, { HIST_DUP, 6 },
	{ HIST_NOT_SENT, 8 },
	{ HIST_PENDING, 7 }, { HIST_UNCONFIRMED, 11 }, { HIST_UNDONE, 6 },
	{ HIST_UNCHANGED, 9 }, { HIST_EDITED, 6 }, { HIST_SENDS, 5 }, { HIST_PORTAL, 16 },
	{ HIST_DIRECTION, 22 }, { HIST_PROFILE, 10 },
};
#define HC_N HA_ARRAY_LEN(hcols)
_Static_assert(HA_ARRAY_LEN(hcols) <= HA_ARRAY_LEN(((struct hist *)0)->width),
    "struct hist has a width for each column");

/* Each column as wide as its name and its widest cell, at most hcols'
 * width: the words of a few sessions ("complete", "create") leave the
 * direction its room at 80 columns. */
static void
measure(struct hist *h)
{
	char cell[HIST_CELL_MAX];

	for (size_t c = 0; c < HC_N; c++) {
		int wd = (int)strlen(hist_col_name(hcols[c].c));
		for (size_t i = 0; i < h->n && wd < hcols[c].width; i++) {
			hist_cell(&h->meta[i], hcols[c].c, false, cell);
			if ((int)text_width(cell, strlen(cell)) > wd)
				wd = (int)text_width(cell, strlen(cell));
		}
		h->width[c] = wd < hcols[c].width ? wd : hcols[c].width;
	}
}

/* The columns that give way, in turn: the counts 0 in every session
 * first, then the sends (CUT_AFTER), then, the direction cut to DIR_MIN
 * first, the portal, then the rest but ROWS, DONE and FAILED, in the one
 * order both faces follow (hist_give_way); those this view has no column
 * for are passed over. */
#define ZERO_ONLY HIST_GIVE_WAY_N
#define CUT_AFTER (HIST_GIVE_WAY_N + 1)
#define NDROP (2 * HIST_GIVE_WAY_N + 2)

/* The k-th column to give way, and whether only when 0 everywhere. */
static enum hist_col
drop(size_t k, bool *zero_only)
{
	*zero_only = k < ZERO_ONLY;
	if (k == ZERO_ONLY)
		return HIST_SENDS;
	if (k == CUT_AFTER)
		return HIST_PORTAL;
	return hist_give_way[k < ZERO_ONLY ? k : k - CUT_AFTER - 1];
}
#define DIR_MIN 10

/* What a line of the columns shown takes (total: their widths and a space
 * each), without its last `spare` columns: the last space is not drawn. */
static int
taken(int total, int spare)
{
	return total - spare - 1;
}

/* Hides drop's columns from the k-th to the n-th in turn while the line,
 * without `spare` columns of it, is wider than w; returns its total. */
static int
give_way(const struct hist *h, bool show[HC_N], const int width[HC_N], int total,
    size_t k, size_t n, int spare, int w)
{
	for (; k < n && taken(total, spare) > w; k++)
		for (size_t c = 0; c < HC_N; c++) {
			bool zero_only;
			enum hist_col d = drop(k, &zero_only);
			if (hcols[c].c != d || !show[c] || (zero_only &&
			    !hist_all_zero(h->meta, h->n, d)))
				continue;
			show[c] = false;
			total -= width[c] + 1;
		}
	return total;
}

/* Which columns show at width w, and how wide: until the direction fits,
 * the counts that are 0 in every session go, then the sends, then the
 * direction is cut (to DIR_MIN at most), then the rest of the counts but
 * ROWS, DONE and FAILED go, what resume finishes last, and the
 * direction takes back what room they leave; the profile, last, shows
 * when it fits whole (not as "def…"), the counts 0 everywhere giving way
 * to it. */
static void
fit(const struct hist *h, int w, bool show[HC_N], int width[HC_N])
{
	/* The profile and its space are left out until the direction fits. */
	int total = 0, spare = h->width[HC_N - 1] + 1;
	size_t dir = HC_N - 2;

	for (size_t c = 0; c < HC_N; c++) {
		width[c] = h->width[c];
		/* The operation, when a session is not a create; the portal,
		 * when they did not all go to one (as history's table). */
		show[c] = (hcols[c].c != HIST_OP || hist_shows_op(h->meta, h->n)) &&
		    (hcols[c].c != HIST_PORTAL || hist_shows_portal(h->meta, h->n));
		total += show[c] ? width[c] + 1 : 0;
	}
	total = give_way(h, show, width, total, 0, CUT_AFTER, spare, w);
	int over = taken(total, spare) - w;
	if (over > 0 && width[dir] > DIR_MIN) {
		int cut = over < width[dir] - DIR_MIN ? over : width[dir] - DIR_MIN;
		width[dir] -= cut;
		total -= cut;
	}
	total = give_way(h, show, width, total, CUT_AFTER, NDROP, spare, w);
	int room = w - taken(total, spare);
	if (room > 0 && width[dir] < h->width[dir]) {
		int back = room < h->width[dir] - width[dir] ? room : h->width[dir] -
		    width[dir];
		width[dir] += back;
		total += back;
	}
	/* ...then the counts 0 everywhere make room for the profile too. */
	total = give_way(h, show, width, total, 0, ZERO_ONLY, 0, w);
	if (taken(total, 0) > w)
		show[HC_N - 1] = false;
}

/* A line drawn without the space after its last column: the room it
 * takes is what fit counted (taken). */
static const char *
trimmed(struct buf *b)
{
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return buf_str(b);
}

/* A cell cut to its column: the direction (ASCII, as object types are
 * named) ends in an ellipsis when it is. */
static void
add_cell(struct buf *line, const char *cell, int width, bool counts)
{
	int len = (int)strlen(cell);

	if (counts)
		buf_printf(line, "%*s ", width, cell);
	else if (len > width && width > 1)
		buf_printf(line, "%.*s\u2026 ", width - 1, cell);
	else
		buf_printf(line, "%-*.*s ", width, width, cell);
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct hist *h = H(v);
	const struct journal_meta *m = &h->meta[i];
	struct buf line = BUF_INIT;
	bool show[HC_N];
	int width[HC_N];
	char cell[HIST_CELL_MAX];

	fit(h, w, show, width);
	for (size_t c = 0; c < HC_N; c++) {
		if (!show[c])
			continue;
		hist_cell(m, hcols[c].c, false, cell);
		add_cell(&line, cell, width[c], hist_col_counts(hcols[c].c));
	}
	draw_text(y, 0, w, trimmed(&line), cursor ? ROLE_CURSOR :
	    m->counts[OUTCOME_FAILED] ? ROLE_WARNING : ROLE_DEFAULT, true);
	buf_free(&line);
}

static int
draw_head(struct view *v, int y, int w)
{
	struct hist *h = H(v);
	struct buf head = BUF_INIT;
	bool show[HC_N];
	int width[HC_N];

	/* None yet: what makes one (before: a heading over nothing). */
	if (count(v) == 0)
		return draw_wrapped(y, 0, w, "No sessions yet: a session starts with "
		    "the first pair pasted or loaded, and S sends it; the command "
		    "line's sessions show here too.", ROLE_DIM, 3);
	fit(h, w, show, width);
	/* Counts not 0 that gave way: named above the columns, as history
	 * names them (before: ROWS 110 beside DONE 0, nothing said). */
	bool by_col[HIST_COUNT] = { false };
	int x = 0;
	for (size_t c = 0; c < HC_N; c++) {
		/* Shown, but past the edge: cut, as good as left out (before:
		 * FAILED gone at 50 columns, unsaid). */
		x += show[c] ? width[c] + 1 : 0;
		by_col[hcols[c].c] = show[c] && x - 1 <= w;
	}
	struct buf gone = BUF_INIT;
	hist_hidden(h->meta, h->n, by_col, &gone);
	int used = 0;
	if (gone.len > 0) {
		buf_addstr(&gone, " left out at this width: Enter opens a session with "
		    "every count");
		used = draw_wrapped(y, 0, w, buf_str(&gone), ROLE_DIM, 2);
	}
	buf_free(&gone);
	for (size_t c = 0; c < HC_N; c++)
		if (show[c])
			add_cell(&head, hist_col_name(hcols[c].c), width[c],
			    hist_col_counts(hcols[c].c));
	/* The keys, whole or not at all (? lists them). */
	static const char *const keys[] = {
		"(Enter opens, r resumes, V verifies, u undoes)", "(Enter, r, V, u)",
	};
	for (size_t k = 0; k < HA_ARRAY_LEN(keys); k++)
		if ((int)(head.len + strlen(keys[k])) <= w) {
			buf_addstr(&head, keys[k]);
			break;
		}
	draw_text(y + used, 0, w, trimmed(&head), ROLE_COLUMN, true);
	buf_free(&head);
	return used + 1;
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
