/* help.c: the keys of the view behind, from the action table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"

struct help {
	char **lines;
	size_t n;
};

static struct help *
H(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct help));
	return v->data;
}

static void
add(struct help *h, char *line)
{
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof(*h->lines));
	h->lines[h->n++] = line;
}

static void
enter(struct view *v)
{
	struct help *h = H(v);
	enum view_id behind = v->app->behind;

	for (size_t i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	h->lines = NULL;
	h->n = 0;
	v->cursor = v->top = 0;
	add(h, xasprintf("Keys of the %s view", v->app->views[behind].ops->name));
	add(h, xstrdup(""));
	for (int a = 1; a < ACT_COUNT; a++) {
		struct buf keys = BUF_INIT;
		keymap_keys(behind, (enum action)a, &keys);
		if (keys.len > 0)
			add(h, xasprintf("%-22s %s", buf_str(&keys), action_help((enum action)a)));
		buf_free(&keys);
	}
	add(h, xstrdup(""));
	add(h, xstrdup("Commands (:): load FILE, from TYPE, to TYPE, type SPEC[;SPEC],"));
	add(h, xstrdup("  submit, resend, clear, export FILE, theme NAME, history, quit."));
	add(h, xstrdup("Paste pairs anywhere but a line being typed: they are added."));
	add(h, xstrdup("Mouse: click a line or a tab, scroll with the wheel."));
}

static size_t
count(struct view *v)
{
	return H(v)->n;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	(void)cursor;
	draw_text(y, 2, w - 4, H(v)->lines[i], i == 0 ? ROLE_TITLE : ROLE_DEFAULT, true);
}

static bool
action(struct view *v, enum action a)
{
	if (a == ACT_QUIT || a == ACT_SELECT) {
		app_show(v->app, v->app->behind);
		return true;
	}
	return false;
}

const struct view_ops view_help_ops = {
	.name = "help", .title = "Help", .modal = true,
	.count = count, .draw_line = draw_line, .action = action, .enter = enter,
};
