/* draw.c: text by display columns, untrusted text escaped, roles coloured. */
#include <string.h>

#include "curses.h"
#include "hubassoc/text.h"
#include "tui.h"

void
draw_fill(int y, int x, int w, enum role r)
{
	if (w <= 0)
		return;
	attrset(role_attr(r));
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

int
draw_textn(int y, int x, int w, const char *s, size_t n, enum role r, bool pad)
{
	struct buf safe = BUF_INIT;
	size_t used = 0, fit, limit = (size_t)w * 16 + 64;
	bool cut = n > limit;

	if (w <= 0)
		return 0;
	/* Whatever came from a file or a server: controls made visible.  Only
	 * what can show is looked at: a huge text costs what a line does. */
	text_escape(&safe, s, cut ? limit : n);
	fit = text_fit(buf_str(&safe), safe.len, (size_t)w, &used);
	bool ellipsis = (cut || fit < safe.len) && w > 1;
	if (ellipsis) {
		/* Cut short: the last column says so. */
		fit = text_fit(buf_str(&safe), safe.len, (size_t)w - 1, &used);
		used++;
	}
	attrset(role_attr(r));
	if (fit > 0)
		mvaddnstr(y, x, buf_str(&safe), (int)fit);
	if (ellipsis)
		mvaddstr(y, x + (int)used - 1, "\u2026");
	if (pad && (int)used < w)
		mvhline(y, x + (int)used, ' ', w - (int)used);
	attrset(A_NORMAL);
	buf_free(&safe);
	return pad ? w : (int)used;
}

int
draw_text(int y, int x, int w, const char *s, enum role r, bool pad)
{
	return draw_textn(y, x, w, s, strlen(s), r, pad);
}

int
draw_wrapped(int y, int x, int w, const char *s, enum role r, int max)
{
	size_t len = strlen(s), at = 0;
	int rows = 0;

	while (rows < max && (at < len || rows == 0)) {
		/* The last row allowed holds the rest, cut if it must be. */
		size_t k = rows + 1 == max ? len - at :
		    text_wrap(s + at, len - at, w > 0 ? (size_t)w : 1);
		draw_textn(y + rows++, x, w, s + at, k, r, true);
		at += k;
		while (at < len && s[at] == ' ')
			at++;
	}
	return rows;
}

static bool
hits(char c, char f)
{
	return f != '\0' && (unsigned char)c < 0x80 &&
	    ascii_tolower((unsigned char)c) == ascii_tolower((unsigned char)f);
}

int
draw_matched(int y, int x, int w, const char *s, const char *filter, enum role r,
    enum role match)
{
	const char *f = filter != NULL ? filter : "";
	int used = 0;

	/* Runs of text, each either matched or not: the filter's characters
	 * found in order, as the fuzzy filter takes them (ASCII only, so a
	 * run never splits a character). */
	while (*s != '\0' && used < w) {
		size_t n = 0;
		bool on = hits(*s, *f);
		while (s[n] != '\0' && hits(s[n], *f) == on) {
			if (on)
				f++;
			n++;
		}
		used += draw_textn(y, x + used, w - used, s, n, on ? match : r, false);
		s += n;
	}
	if (used < w)
		draw_fill(y, x + used, w - used, r);
	return w;
}

void
draw_text_right(int y, int x, int w, const char *s, enum role r)
{
	size_t tw = text_width(s, strlen(s));

	if ((int)tw >= w)
		draw_text(y, x, w, s, r, true);
	else {
		draw_fill(y, x, w - (int)tw, r);
		draw_text(y, x + w - (int)tw, (int)tw, s, r, false);
	}
}

void
draw_box(int y, int x, int h, int w, const char *title)
{
	attrset(role_attr(ROLE_BORDER));
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	for (int r = 1; r < h - 1; r++)
		draw_fill(y + r, x + 1, w - 2, ROLE_DEFAULT);
	if (title != NULL) {
		char t[256];
		snprintf(t, sizeof(t), " %s ", title);
		draw_text(y, x + 2, w - 4, t, ROLE_TITLE, false);
	}
}
