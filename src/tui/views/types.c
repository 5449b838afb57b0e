/* types.c: choosing association types among the direction's labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/text.h"

struct types {
	bool *sel;          /* per label of the direction */
	size_t n;
	size_t *order;      /* the labels that match the filter */
	size_t norder;
	char *filter;
};

static struct types *
T(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct types));
	return v->data;
}

static void
refilter(struct view *v)
{
	struct types *t = T(v);
	const struct assoc_labels *l = &v->app->labels;

	free(t->order);
	t->order = xcalloc(l->n + 1, sizeof(*t->order));
	t->norder = 0;
	for (size_t i = 0; i < l->n; i++) {
		const char *name = l->v[i].label != NULL ? l->v[i].label : "unlabeled";
		char spec[48];
		/* A type is found by its label, its ID ("44") or CATEGORY:ID. */
		snprintf(spec, sizeof(spec), "%s:%u", assoc_category_name(l->v[i].cat),
		    l->v[i].type_id);
		if (t->filter == NULL || t->filter[0] == '\0' ||
		    fuzzy_score(t->filter, name) >= 0 || strstr(spec, t->filter) != NULL)
			t->order[t->norder++] = i;
	}
}

/* Marks the labels the chosen types name. */
void
view_types_reset(struct view *v)
{
	struct types *t = T(v);
	struct app *a = v->app;
	const struct assoc_labels *l = &a->labels;

	free(t->sel);
	t->sel = xcalloc(l->n + 1, sizeof(*t->sel));
	t->n = l->n;
	for (size_t k = 0; k < a->ws.ntypes; k++) {
		struct assoc_spec s;
		char *note = NULL, *cause = NULL;
		assoc_spec_copy(&s, &a->ws.types[k]);
		if (a->ws.have_from && a->ws.have_to &&
		    assoc_spec_resolve(&s, &a->ws.from, &a->ws.to, l, &note, &cause) == 0) {
			for (size_t i = 0; i < l->n; i++)
				if (l->v[i].cat == s.cat && l->v[i].type_id == s.type_id)
					t->sel[i] = true;
		}
		free(note);
		free(cause);
		assoc_spec_clear(&s);
	}
	refilter(v);
}

static void
done(struct view *v)
{
	struct types *t = T(v);

	free(t->sel);
	free(t->order);
	free(t->filter);
}

static void
enter(struct view *v)
{
	struct types *t = T(v);

	free(t->filter);
	t->filter = NULL;
	view_types_reset(v);
	v->cursor = v->top = 0;
	if (!v->app->labels_loaded)
		app_status(v->app, false, v->app->labels_loading ? "the portal's labels are "
		    "on their way; the built-in ones meanwhile" : "the built-in types (not "
		    "connected)");
}

static void
view_filter(struct view *v, const char *text)
{
	struct types *t = T(v);

	free(t->filter);
	t->filter = xstrdup(text);
	refilter(v);
	v->cursor = v->top = 0;
}

static size_t
count(struct view *v)
{
	struct types *t = T(v);

	if (t->n != v->app->labels.n)
		view_types_reset(v);
	return t->norder;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct types *t = T(v);
	struct app *a = v->app;
	size_t k = t->order[i];
	const struct assoc_label *l = &a->labels.v[k];
	struct assoc_spec s = { l->cat, l->type_id, NULL };
	unsigned flags = assoc_spec_flags(&s, &a->ws.from, &a->ws.to);
	char head[96];
	int x = 2;

	snprintf(head, sizeof(head), "[%c] %-18s %6u  ", t->sel[k] ? 'x' : ' ',
	    assoc_category_name(l->cat), l->type_id);
	x += draw_text(y, x, w - x - 2, head, cursor ? ROLE_CURSOR : ROLE_DEFAULT, false);
	/* Labels are the portal's text: escaped, and measured by columns. */
	/* A paired label with its other end, when this direction lists it
	 * too ("Manager / Direct report"). */
	struct buf name = BUF_INIT;
	buf_addstr(&name, l->label != NULL ? l->label : "(unlabeled)");
	for (size_t j = 0; l->inverse != 0 && l->inverse != l->type_id &&
	    j < a->labels.n; j++) {
		const struct assoc_label *o = &a->labels.v[j];
		if (o->cat == l->cat && o->type_id == l->inverse && o->label != NULL) {
			buf_printf(&name, " / %s", o->label);
			break;
		}
	}
	/* As wide as it is (escaped, in columns), up to 40: the warning
	 * after it stays in sight. */
	char *shown = text_escape_str(name.data, name.len, SIZE_MAX);
	int lw = (int)text_width(shown, strlen(shown)) + 2;
	free(shown);
	if (lw > 40)
		lw = 40;
	if (lw > w - x - 2)
		lw = w - x - 2;
	x += draw_matched(y, x, lw, buf_str(&name), t->filter,
	    cursor ? ROLE_CURSOR : ROLE_TITLE, cursor ? ROLE_CURSOR : ROLE_MATCH);
	buf_free(&name);
	/* What writing it changes, and on which side. */
	const char *warn = flags & ASSOC_F_PRIMARY ? "moves the record's primary" :
	    !(flags & ASSOC_F_SINGLE_PARENT) ? "" : l->type_id == 13 ?
	    "FROM is TO's one parent" : l->type_id == 14 ?
	    "TO is FROM's one parent" :
	    "replaces a company's parent";
	draw_text(y, x, w - x - 2, warn, cursor ? ROLE_CURSOR : ROLE_WARNING, true);
}

static int
draw_head(struct view *v, int y, int w)
{
	struct app *a = v->app;
	char t[320];

	struct types *ty = T(v);

	if (ty->n > 0 && ty->norder == 0)
		snprintf(t, sizeof(t), "No type of %s to %s matches: Backspace, or Esc "
		    "leaves", a->ws.have_from ? objtype_name(&a->ws.from) : "?",
		    a->ws.have_to ? objtype_name(&a->ws.to) : "?");
	else
		snprintf(t, sizeof(t), "%s to %s: Space (Tab in a filter) marks, Enter "
		    "takes the marked, m adds CATEGORY:ID or a label (one the portal "
		    "lacks is made, after asking), / filters",
		    a->ws.have_from ? objtype_name(&a->ws.from) : "?",
		    a->ws.have_to ? objtype_name(&a->ws.to) : "?");
	return draw_wrapped(y, 2, w - 4, t, ty->n > 0 && ty->norder == 0 ?
	    ROLE_WARNING : ROLE_DIM, 3);
}

static bool
action(struct view *v, enum action act)
{
	struct types *t = T(v);
	struct app *a = v->app;

	switch (act) {
	case ACT_TOGGLE:
		if (v->cursor < t->norder) {
			t->sel[t->order[v->cursor]] = !t->sel[t->order[v->cursor]];
			view_list_action(v, ACT_DOWN);
		}
		return true;
	case ACT_SELECT: {
		struct buf b = BUF_INIT;
		bool any = false;
		for (size_t i = 0; i < t->n; i++)
			any |= t->sel[i];
		/* Enter on an unmarked list takes the line under the cursor; on
		 * a filter nothing matches, it stays, as the object picker does. */
		if (!any && v->cursor >= t->norder && t->n > 0) {
			buf_free(&b);
			prompt_refilter_later();
			return true;
		}
		if (!any && v->cursor < t->norder)
			t->sel[t->order[v->cursor]] = true;
		for (size_t i = 0; i < t->n; i++)
			if (t->sel[i])
				buf_printf(&b, "%s%s:%u", b.len ? ";" : "",
				    assoc_category_name(a->labels.v[i].cat),
				    a->labels.v[i].type_id);
		if (b.len > 0 && app_set_types_text(a, buf_str(&b)) == 0)
			app_status(a, false, "types: %s", buf_str(&b));
		buf_free(&b);
		prompt_close(a);
		app_show(a, a->behind);
		return true;
	}
	case ACT_MANUAL_TYPE:
		prompt_open(a, PROMPT_MANUAL, "type (CATEGORY:ID, or a label): ", NULL);
		return true;
	case ACT_FILTER:
		prompt_open(a, PROMPT_FILTER, "filter: ", t->filter);
		return true;
	case ACT_CLOSE:
		prompt_close(a);
		app_show(a, a->behind);
		return true;
	default:
		return false;
	}
}

const struct view_ops view_types_ops = {
	.name = "types", .title = "Association types", .modal = true,
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .enter = enter, .filter = view_filter, .done = done,
};
