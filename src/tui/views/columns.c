/* columns.c: a sheet of more columns than two, before :load reads it: its
 * columns, their first cells, and the keys that say which is FROM, TO and
 * the types.  Enter reads the file so; Esc reads nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/input.h"
#include "hubassoc/text.h"

struct columns {
	char *path;
	struct sheet_peek sp;
};

static struct columns *
C(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct columns));
	return v->data;
}

static void
done(struct view *v)
{
	struct columns *c = C(v);

	free(c->path);
	c->path = NULL;
	sheet_peek_free(&c->sp);
}

void
view_columns_set(struct view *v, const char *path, struct sheet_peek *sp)
{
	struct columns *c = C(v);

	done(v);
	c->path = xstrdup(path);
	c->sp = *sp;                /* taken: the caller's is emptied */
	memset(sp, 0, sizeof(*sp));
	/* The cursor on FROM, as the header suggests it. */
	v->top = 0;
	v->cursor = c->sp.col[0] >= 0 ? (size_t)c->sp.col[0] : 0;
}

static size_t
count(struct view *v)
{
	return (size_t)C(v)->sp.ncols;
}

static const char *
role_of(const struct sheet_peek *sp, int i)
{
	return i == sp->col[0] ? "FROM" : i == sp->col[1] ? "TO" :
	    i == sp->col[2] ? "types" : "";
}

static int
draw_head(struct view *v, int y, int w)
{
	struct columns *c = C(v);
	const char *base = strrchr(c->path, '/');
	struct buf t = BUF_INIT;
	char *e;

	base = base != NULL ? base + 1 : c->path;
	e = text_escape_str(base, strlen(base), 40);
	buf_printf(&t, "%s has %d columns: f takes the one under the cursor as "
	    "FROM, t as TO, y as the types (again: none); Enter reads the file so, "
	    "Esc reads nothing", e, c->sp.ncols);
	free(e);
	int rows = draw_wrapped(y, 2, w - 4, buf_str(&t), ROLE_DIM, 3);
	buf_free(&t);
	return rows;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	const struct sheet_peek *sp = &C(v)->sp;
	const char *role = role_of(sp, (int)i);
	enum role base = cursor ? ROLE_CURSOR : ROLE_DEFAULT;
	struct buf first = BUF_INIT;
	char n[16];

	/* The cells are escaped already (sheet_peek). */
	for (int r = 0; r < sp->nrows; r++)
		if (sp->rows[r][i][0] != '\0')
			buf_printf(&first, "%s%s", first.len > 0 ? ", " : "", sp->rows[r][i]);
	/* Number, role, name, then the first cells, in fixed columns:
	 * 4, 7 and 27 wide. */
	enum { ROLE_X = 4, NAME_X = 11, CELLS_X = 38 };
	snprintf(n, sizeof(n), "%3zu ", i + 1);
	draw_text(y, 0, ROLE_X, n, cursor ? base : ROLE_DIM, true);
	draw_text(y, ROLE_X, NAME_X - ROLE_X, role, role[0] != '\0' && !cursor ?
	    ROLE_KEY : base, true);
	draw_text(y, NAME_X, w < CELLS_X ? w - NAME_X : CELLS_X - NAME_X, sp->names[i],
	    base, true);
	if (w > CELLS_X)
		draw_text(y, CELLS_X, w - CELLS_X, buf_str(&first), cursor ? base :
		    ROLE_DIM, true);
	buf_free(&first);
}

/* Column i takes role k (FROM, TO, types); one a role, one role a column:
 * what it held before is left without. */
static void
take(struct sheet_peek *sp, int k, int i)
{
	if (k == 2 && sp->col[2] == i) {
		sp->col[2] = -1;            /* y again: no types column */
		return;
	}
	for (int j = 0; j < 3; j++)
		if (sp->col[j] == i)
			sp->col[j] = -1;
	sp->col[k] = i;
}

static bool
action(struct view *v, enum action act)
{
	struct columns *c = C(v);
	struct app *a = v->app;

	switch (act) {
	case ACT_COL_FROM:
	case ACT_COL_TO:
	case ACT_COL_TYPES:
		if (v->cursor < (size_t)c->sp.ncols)
			take(&c->sp, act == ACT_COL_FROM ? 0 : act == ACT_COL_TO ? 1 : 2,
			    (int)v->cursor);
		a->need_redraw = true;
		return true;
	case ACT_SELECT: {
		if (c->sp.col[0] < 0 || c->sp.col[1] < 0) {
			app_status(a, true, "columns: choose FROM (f) and TO (t) first");
			return true;
		}
		char *path = xstrdup(c->path);
		int col[3];
		memcpy(col, c->sp.col, sizeof(col));
		app_show(a, a->behind);
		app_load_columns(a, path, col);
		free(path);
		return true;
	}
	case ACT_CLOSE:
		app_status(a, false, "nothing loaded");
		app_show(a, a->behind);
		return true;
	default:
		return false;
	}
}

const struct view_ops view_columns_ops = {
	.name = "columns", .title = "Columns", .modal = true,
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .done = done,
};
