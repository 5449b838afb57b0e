/* picker.c: choosing an object type by typing part of its name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/text.h"

struct item {
	char *name;      /* what is chosen: contacts, p_cars */
	char *show;      /* what is shown */
	int score;
};

struct picker {
	struct item *items;
	size_t n;
	size_t *order;   /* the items that match, best first */
	size_t norder;
	char *filter;
};

static struct picker *
P(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct picker));
	return v->data;
}

static int
by_score(const void *x, const void *y, void *arg)
{
	const struct picker *p = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	if (p->items[a].score != p->items[b].score)
		return p->items[b].score - p->items[a].score;
	return a < b ? -1 : a > b;
}

static void
refilter(struct picker *p)
{
	p->norder = 0;
	for (size_t i = 0; i < p->n; i++) {
		const char *f = p->filter != NULL ? p->filter : "";
		int s = fuzzy_score(f, p->items[i].name);
		int s2 = fuzzy_score(f, p->items[i].show);
		p->items[i].score = s > s2 ? s : s2;
		if (p->items[i].score >= 0)
			p->order[p->norder++] = i;
	}
	if (p->filter != NULL && p->filter[0] != '\0')
		qsort_r(p->order, p->norder, sizeof(*p->order), by_score, p);
}

static void
items_free(struct picker *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].name);
		free(p->items[i].show);
	}
	free(p->items);
	free(p->order);
	p->items = NULL;
	p->order = NULL;
	p->n = p->norder = 0;
}

static void
done(struct view *v)
{
	items_free(P(v));
	free(P(v)->filter);
}

void
view_picker_reset(struct view *v)
{
	struct picker *p = P(v);
	struct app *a = v->app;
	size_t n;
	const struct objtype_std *std = objtype_std_table(&n);

	items_free(p);
	p->items = xcalloc(n + a->ncustoms + 1, sizeof(*p->items));
	p->order = xcalloc(n + a->ncustoms + 1, sizeof(*p->order));
	for (size_t i = 0; i < n; i++) {
		p->items[p->n].name = xstrdup(std[i].plural);
		p->items[p->n++].show = xasprintf("%s (%s)", std[i].plural, std[i].id);
	}
	for (size_t i = 0; i < a->ncustoms; i++) {
		p->items[p->n].name = xstrdup(a->customs[i]);
		p->items[p->n++].show = xasprintf("%s: %s, custom", a->customs[i],
		    a->custom_labels[i]);
	}
	refilter(p);
}

static void
enter(struct view *v)
{
	struct picker *p = P(v);

	free(p->filter);
	p->filter = NULL;
	view_picker_reset(v);
	v->cursor = v->top = 0;
	prompt_open(v->app, PROMPT_FILTER, v->app->picking ? "TO object type: " :
	    "FROM object type: ", NULL);
}

static void
picker_filter(struct view *v, const char *text)
{
	struct picker *p = P(v);

	free(p->filter);
	p->filter = xstrdup(text);
	refilter(p);
	v->cursor = v->top = 0;
}

static size_t
count(struct view *v)
{
	return P(v)->norder;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct picker *p = P(v);

	draw_matched(y, 2, w - 4, p->items[p->order[i]].show, p->filter,
	    cursor ? ROLE_CURSOR : ROLE_DEFAULT, cursor ? ROLE_CURSOR : ROLE_MATCH);
}

static int
draw_head(struct view *v, int y, int w)
{
	struct picker *p = P(v);
	const char *side = v->app->picking ? "TO" : "FROM";
	char *head;

	/* How many match, as fzf counts them; nothing matching is said. */
	if (p->norder == 0)
		head = xasprintf("No %s type matches: Backspace, or Esc leaves", side);
	else if (p->norder < p->n)
		head = xasprintf("%zu of %zu %s types match; Up/Down, Enter chooses, "
		    "Esc leaves", p->norder, p->n, side);
	else if (v->app->picking && v->app->ws.have_to)
		head = xasprintf("Type part of the TO type's name; Up/Down, Enter "
		    "chooses, Esc keeps %s", objtype_name(&v->app->ws.to));
	else
		head = xasprintf("Type part of the %s type's name; Up/Down, Enter "
		    "chooses, Esc leaves", side);
	int rows = draw_wrapped(y, 2, w - 4, head, p->norder == 0 ? ROLE_WARNING :
	    ROLE_DIM, 2);
	free(head);
	return rows;
}

static bool
action(struct view *v, enum action act)
{
	struct picker *p = P(v);
	struct app *a = v->app;

	switch (act) {
	case ACT_SELECT:
		if (v->cursor >= p->norder) {
			/* Nothing matches: stay, as fzf does (the head says so). */
			prompt_refilter_later();
			return true;
		}
		{
			struct objtype t;
			char *cause = NULL;
			if (objtype_parse(p->items[p->order[v->cursor]].name, &t, &cause) == 0) {
				app_set_from_to(a, a->picking, &t);
				app_status(a, false, "%s: %s", a->picking ? "to" : "from",
				    objtype_name(&t));
			} else {
				app_status(a, true, "%s", cause);
				free(cause);
			}
		}
		prompt_close(a);
		app_show(a, a->behind);
		/* FROM chosen: TO follows, always (one rule, so the next key
		 * always lands in the same place); Esc keeps a TO chosen. */
		if (!a->picking && a->ws.have_from) {
			a->picking = 1;
			app_show(a, VIEW_PICKER);
			a->to_followed = true;
		}
		return true;
	case ACT_CLOSE:
		prompt_close(a);
		app_show(a, a->behind);
		return true;
	case ACT_FILTER:
		prompt_open(a, PROMPT_FILTER, a->picking ? "TO object type: " :
		    "FROM object type: ", p->filter);
		return true;
	default:
		return false;
	}
}

const struct view_ops view_picker_ops = {
	.name = "picker", .title = "Object type", .modal = true,
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .enter = enter, .filter = picker_filter, .done = done,
};
