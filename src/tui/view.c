/* view.c: the list every view is drawn as: cursor, scrolling, drawing. */
#include <stdio.h>

#include "curses.h"
#include "tui.h"

void
view_list_clamp(struct view *v)
{
	size_t n = v->ops->count(v);
	size_t h = v->list_h > 0 ? (size_t)v->list_h : 1;

	if (n == 0) {
		v->cursor = v->top = 0;
		return;
	}
	if (v->cursor >= n)
		v->cursor = n - 1;
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + h)
		v->top = v->cursor - h + 1;
	if (v->top + h > n)
		v->top = n > h ? n - h : 0;
}

bool
view_list_action(struct view *v, enum action a)
{
	size_t n = v->ops->count(v);
	size_t page = v->list_h > 1 ? (size_t)v->list_h - 1 : 1;

	switch (a) {
	case ACT_UP:
		if (v->cursor > 0)
			v->cursor--;
		break;
	case ACT_DOWN:
		if (v->cursor + 1 < n)
			v->cursor++;
		break;
	case ACT_PAGE_UP:
		v->cursor = v->cursor > page ? v->cursor - page : 0;
		v->top = v->top > page ? v->top - page : 0;
		break;
	case ACT_PAGE_DOWN:
		v->cursor = v->cursor + page < n ? v->cursor + page : n ? n - 1 : 0;
		v->top = v->top + page < n ? v->top + page : v->top;
		break;
	case ACT_FIRST:
		v->cursor = v->top = 0;
		break;
	case ACT_LAST:
		v->cursor = n ? n - 1 : 0;
		break;
	default:
		return false;
	}
	view_list_clamp(v);
	return true;
}

void
view_list_draw(struct view *v, int y, int h, int w)
{
	v->list_w = w;
	size_t n = v->ops->count(v);

	v->list_y = y;
	v->list_h = h;
	view_list_clamp(v);
	/* Only the lines on the screen are drawn: the cost is the screen's,
	 * whatever the number of rows. */
	for (int row = 0; row < h; row++) {
		size_t i = v->top + (size_t)row;
		if (i < n)
			v->ops->draw_line(v, i, y + row, w, i == v->cursor);
		else
			draw_fill(y + row, 0, w, ROLE_DEFAULT);
	}
}

/* A text in a box (the help, v): no line is chosen, so a line down or up
 * scrolls it at once (the cursor is the top line). */
bool
view_text_scroll(struct view *v, enum action a)
{
	size_t n = v->ops->count(v), h = v->list_h > 0 ? (size_t)v->list_h : 1;

	if (a != ACT_DOWN && a != ACT_UP)
		return false;
	if (a == ACT_DOWN && v->top + h < n)
		v->top++;
	else if (a == ACT_UP && v->top > 0)
		v->top--;
	v->cursor = v->top;
	return true;
}

bool
view_text_more(const struct view *v, size_t i, size_t n, int y, int x, int w)
{
	size_t h = v->list_h > 0 ? (size_t)v->list_h : 1;
	char more[80];

	if (i + 1 != v->top + h || i + 1 >= n)
		return false;
	snprintf(more, sizeof(more), "%zu more line%s below: j or Down scrolls",
	    n - i, n - i == 1 ? "" : "s");
	draw_fill(y, 0, w, ROLE_DEFAULT);
	draw_text(y, x, w - 2 * x, more, ROLE_DIM, true);
	return true;
}
