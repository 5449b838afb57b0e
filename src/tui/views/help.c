/* help.c: the keys of the view behind, from the action table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "hubassoc/text.h"
#include "../tui.h"

struct line {
	char *keys;             /* NULL: a heading or plain text */
	char *text;
};

/* What is drawn: the lines wrapped to the box's width, each a piece of
 * an entry's keys and text. */
struct row {
	size_t line;
	const char *keys;       /* NULL: a heading's or a wrapped line's */
	size_t start, len;      /* of the entry's text */
};

struct help {
	struct line *lines;
	size_t n;
	struct row *rows;
	size_t nrows;
	int built_cols;         /* the terminal width the rows fit */
};

#define KEYS_W 22               /* the keys' column, the text at 25 */

static struct help *
H(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct help));
	return v->data;
}

static void
add(struct help *h, char *keys, char *text)
{
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof(*h->lines));
	h->lines[h->n++] = (struct line){ keys, text };
}

/* The actions bound in a view, one line each, but for generic ones the
 * view has no use for. */
static void
add_bindings(struct help *h, const struct view_ops *ops, enum view_id v,
    unsigned which)
{
	for (int a = 1; a < ACT_COUNT; a++) {
		if (((a == ACT_LEFT || a == ACT_RIGHT) && !ops->folds) ||
		    (a == ACT_FILTER && ops->filter == NULL))
			continue;
		struct buf keys = BUF_INIT;
		keymap_keys(v, (enum action)a, which, &keys);
		if (keys.len > 0)
			add(h, buf_detach(&keys), xstrdup(action_help((enum action)a)));
		buf_free(&keys);
	}
}

static void
done(struct view *v)
{
	struct help *h = H(v);

	for (size_t i = 0; i < h->n; i++) {
		free(h->lines[i].keys);
		free(h->lines[i].text);
	}
	free(h->lines);
	free(h->rows);
	memset(h, 0, sizeof(*h));
}

static void
put_row(struct help *h, struct row r)
{
	h->rows = xreallocarray(h->rows, h->nrows + 1, sizeof(*h->rows));
	h->rows[h->nrows++] = r;
}

/* The entries as rows of the modal box's width (as draw() makes it): a
 * text longer than its column wraps under itself, keys longer than theirs
 * take a row of their own, so nothing is cut at 80 columns. */
static void
build(struct view *v)
{
	struct help *h = H(v);
	int cols = v->app->cols, w = (cols - 8 > 100 ? 100 : cols - 8) - 2;

	free(h->rows);
	h->rows = NULL;
	h->nrows = 0;
	h->built_cols = cols;
	for (size_t i = 0; i < h->n; i++) {
		const struct line *l = &h->lines[i];
		const char *keys = l->keys;
		size_t len = strlen(l->text), at = 0;
		int tw = keys != NULL ? w - 27 : w - 4;
		if (tw < 10)
			tw = 10;
		if (keys != NULL && strlen(keys) > KEYS_W) {
			put_row(h, (struct row){ i, keys, 0, 0 });
			keys = NULL;
		}
		do {
			size_t k = text_wrap(l->text + at, len - at, (size_t)tw);
			put_row(h, (struct row){ i, keys, at, k });
			keys = NULL;
			at += k;
			while (at < len && l->text[at] == ' ')
				at++;
		} while (at < len);
	}
}

static void
enter(struct view *v)
{
	struct help *h = H(v);
	enum view_id behind = v->app->behind;

	done(v);
	v->cursor = v->top = 0;
	add(h, NULL, xasprintf("Keys of the %s view", v->app->views[behind].ops->name));
	const struct view_ops *ops = v->app->views[behind].ops;
	add_bindings(h, ops, behind, KEYS_OWN);
	add(h, NULL, xstrdup(""));
	add(h, NULL, xstrdup("Everywhere"));
	add_bindings(h, ops, behind, KEYS_GENERIC);
	add(h, NULL, xstrdup(""));
	add(h, NULL, xstrdup("Commands (:, Tab completes)"));
	for (int c = CMD_NONE + 1; c < CMD_COUNT; c++) {
		const struct command_def *d = command_def((enum command_id)c);
		add(h, xasprintf(":%s%s%s", d->name, d->args[0] ? " " : "", d->args),
		    xstrdup(d->help));
	}
	add(h, NULL, xstrdup(""));
	add(h, NULL, xstrdup("Paste pairs anywhere but a line being typed: they are added. "
	    "A pair is FROM,TO[,TYPES]: IDs, or keys: email:jane@x.com, "
	    "domain:acme.com, PROPERTY:VALUE, a bare email or domain; a header "
	    "(email,domain) names a column's property. S looks each key up once: one "
	    "record gives its ID, none or several say so."));
	add(h, NULL, xstrdup("A question ([y/n]) takes y for yes; n, Enter, Escape, q "
	    "or C-c for no; another key answers nothing."));
	add(h, NULL, xstrdup("Mouse: click a line or a tab, scroll with the wheel."));
	build(v);
}

static size_t
count(struct view *v)
{
	struct help *h = H(v);

	if (h->n > 0 && h->built_cols != v->app->cols)
		build(v);       /* the terminal was resized */
	return h->nrows;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	const struct help *h = H(v);
	const struct row *r = &h->rows[i];
	const struct line *l = &h->lines[r->line];

	(void)cursor;
	/* More below than the box holds: said, as v says it (before: the
	 * last keys below its edge, unsaid). */
	if (view_text_more(v, i, h->nrows, y, 2, w))
		return;
	if (l->keys == NULL) {
		draw_textn(y, 2, w - 4, l->text + r->start, r->len, ROLE_TITLE, true);
		return;
	}
	if (r->keys != NULL)
		draw_text(y, 2, r->len == 0 ? w - 4 : KEYS_W, r->keys, ROLE_KEY, true);
	else
		draw_fill(y, 2, KEYS_W + 1, ROLE_DEFAULT);
	if (r->len > 0 || r->keys == NULL)
		draw_textn(y, 25, w - 27, l->text + r->start, r->len, ROLE_DEFAULT, true);
}

static bool
action(struct view *v, enum action a)
{
	if (a == ACT_CLOSE || a == ACT_SELECT) {
		app_show(v->app, v->app->behind);
		return true;
	}
	return view_text_scroll(v, a);
}

const struct view_ops view_help_ops = {
	.name = "help", .title = "Help", .modal = true,
	.count = count, .draw_line = draw_line, .action = action, .enter = enter,
	.done = done,
};
