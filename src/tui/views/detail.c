/* detail.c: one row whole, over the view behind: its pair, types, state,
 * reason and HubSpot's error, each field wrapped to the width there is. */
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/text.h"

/* A field's text, and its lines at the width last drawn. */
struct field {
	char *label;            /* NULL: a line of its own (a heading) */
	char *text;
};

struct wrapped {
	size_t field;
	size_t start, len;      /* bytes of the field's text */
};

struct detail {
	char *title;
	struct field *f;
	size_t nf;
	struct wrapped *w;
	size_t nw;
	int width;              /* the lines are for it; 0: to be wrapped */
};

#define LABEL_W 14

static struct detail *
D(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct detail));
	return v->data;
}

static void
done(struct view *v)
{
	struct detail *d = D(v);

	for (size_t i = 0; i < d->nf; i++) {
		free(d->f[i].label);
		free(d->f[i].text);
	}
	free(d->f);
	free(d->w);
	free(d->title);
	memset(d, 0, sizeof(*d));
}

/* Cuts each field into lines of at most width columns, at spaces where
 * there are some: the text is escaped first, so what is measured is
 * what is drawn. */
static void
wrap(struct detail *d, int width)
{
	free(d->w);
	d->w = NULL;
	d->nw = 0;
	d->width = width;
	for (size_t i = 0; i < d->nf; i++) {
		const char *t = d->f[i].text;
		size_t n = strlen(t), at = 0;
		int w = d->f[i].label != NULL ? width - LABEL_W : width;
		if (w < 10)
			w = 10;
		do {
			size_t len = n > at ? text_wrap(t + at, n - at, (size_t)w) : 0;
			d->w = xreallocarray(d->w, d->nw + 1, sizeof(*d->w));
			d->w[d->nw++] = (struct wrapped){ i, at, len };
			at += len;
		} while (at < n);
	}
}

void
view_detail_set(struct view *v, const char *title, const struct buf *fields)
{
	struct detail *d = D(v);
	const char *p = buf_str(fields);

	done(v);
	d = D(v);
	d->title = xstrdup(title);
	/* "label\ttext\n" a field; a line without a tab stands alone. */
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		const char *tab = memchr(p, '\t', n);
		struct buf safe = BUF_INIT;
		const char *t = tab != NULL ? tab + 1 : p;
		text_escape(&safe, t, (size_t)(p + n - t));
		d->f = xreallocarray(d->f, d->nf + 1, sizeof(*d->f));
		d->f[d->nf++] = (struct field){
			tab != NULL ? xstrndup(p, (size_t)(tab - p)) : NULL, buf_detach(&safe) };
		p += n;
		if (*p == '\n')
			p++;
	}
	v->cursor = v->top = 0;
}

static size_t
count(struct view *v)
{
	struct detail *d = D(v);
	/* The text's columns: the list's, less the margins. */
	int width = (v->list_w > 0 ? v->list_w : v->app->cols) - 4;

	if (d->width != width)
		wrap(d, width);
	return d->nw;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct detail *d = D(v);
	const struct wrapped *l = &d->w[i];
	const struct field *f = &d->f[l->field];
	bool first = i == 0 || d->w[i - 1].field != l->field;
	int x = 2;

	(void)cursor;
	draw_fill(y, 0, w, ROLE_DEFAULT);
	/* More below than the box holds: its last line says so (before: the
	 * rest, a correlationId among it, out of sight with no sign). */
	if (view_text_more(v, i, d->nw, y, x, w))
		return;
	if (f->label == NULL) {
		draw_textn(y, x, w - 4, f->text + l->start, l->len, ROLE_TITLE, true);
		return;
	}
	draw_text(y, x, LABEL_W, first ? f->label : "", ROLE_DIM, true);
	draw_textn(y, x + LABEL_W, w - x - LABEL_W - 2, f->text + l->start, l->len,
	    ROLE_DEFAULT, true);
}

static bool
action(struct view *v, enum action a)
{
	if (a == ACT_CLOSE || a == ACT_SELECT || a == ACT_DETAIL) {
		app_show(v->app, v->app->behind);
		return true;
	}
	return view_text_scroll(v, a);
}

static int
draw_head(struct view *v, int y, int w)
{
	struct buf t = BUF_INIT;

	buf_printf(&t, "%s   (Esc, q or v closes)", D(v)->title);
	/* Scrolled: the lines above say so too. */
	if (v->top > 0)
		buf_printf(&t, "  %zu above", v->top);
	draw_text(y, 2, w - 4, buf_str(&t), ROLE_TITLE, true);
	buf_free(&t);
	return 1;
}

const struct view_ops view_detail_ops = {
	.name = "row", .title = "Row", .modal = true,
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .done = done,
};
