/* help.c: the keys of the view behind, from the action table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"

struct line {
	char *keys;             /* NULL: a heading or plain text */
	char *text;
};

struct help {
	struct line *lines;
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
	h->lines = NULL;
	h->n = 0;
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
	add(h, NULL, xstrdup("Paste pairs anywhere but a line being typed: they are added."));
	/* A line each: the help is not wrapped. */
	add(h, NULL, xstrdup("A pair is FROM,TO[,TYPES]: IDs, or keys: email:jane@x.com,"));
	add(h, NULL, xstrdup("domain:acme.com, PROPERTY:VALUE, a bare email or domain; a"));
	add(h, NULL, xstrdup("header (email,domain) names a column's property. S looks each"));
	add(h, NULL, xstrdup("key up once: one record gives its ID, none or several say so."));
	add(h, NULL, xstrdup("Mouse: click a line or a tab, scroll with the wheel."));
}

static size_t
count(struct view *v)
{
	return H(v)->n;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	const struct line *l = &H(v)->lines[i];

	(void)cursor;
	if (l->keys == NULL) {
		draw_text(y, 2, w - 4, l->text, ROLE_TITLE, true);
		return;
	}
	draw_text(y, 2, 22, l->keys, ROLE_KEY, true);
	draw_text(y, 25, w - 27, l->text, ROLE_DEFAULT, true);
}

static bool
action(struct view *v, enum action a)
{
	if (a == ACT_CLOSE || a == ACT_SELECT) {
		app_show(v->app, v->app->behind);
		return true;
	}
	return false;
}

const struct view_ops view_help_ops = {
	.name = "help", .title = "Help", .modal = true,
	.count = count, .draw_line = draw_line, .action = action, .enter = enter,
	.done = done,
};
