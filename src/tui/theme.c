/* theme.c: colour roles from theme files, fitted to the terminal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curses.h"
#include "hubassoc/config.h"
#include "hubassoc/text.h"
#include "tui.h"

extern const char *const themes_builtin[][2];
extern const size_t themes_builtin_count;

enum colour_kind { C_DEFAULT, C_INDEX, C_RGB };

struct colour {
	enum colour_kind kind;
	unsigned value;        /* an index 0-255, or 0xRRGGBB */
};

struct role_style {
	struct colour fg, bg;
	int attrs;
	bool set;
};

struct theme {
	struct role_style role[ROLE_COUNT];
};

/* What each role is drawn with, since the last theme_apply: curses' colour
 * pairs are the screen's, so are these (all 0 before, as in a test). */
static int applied[ROLE_COUNT];

static const char *const role_names[ROLE_COUNT] = {
#define X(id, name, help) [ROLE_##id] = name,
	ROLES(X)
#undef X
};

static const char *const basic[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* The xterm 256-colour palette's RGB, to downgrade and to match. */
static unsigned
palette_rgb(unsigned i)
{
	static const unsigned sixteen[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd,
		0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff,
		0x00ffff, 0xffffff,
	};
	static const unsigned steps[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16)
		return sixteen[i];
	if (i < 232) {
		i -= 16;
		return steps[i / 36] << 16 | steps[(i / 6) % 6] << 8 | steps[i % 6];
	}
	unsigned g = 8 + (i - 232) * 10;
	return g << 16 | g << 8 | g;
}

static unsigned
distance(unsigned a, unsigned b)
{
	int dr = (int)(a >> 16) - (int)(b >> 16);
	int dg = (int)((a >> 8) & 0xff) - (int)((b >> 8) & 0xff);
	int db = (int)(a & 0xff) - (int)(b & 0xff);

	return (unsigned)(dr * dr * 3 + dg * dg * 4 + db * db * 2);
}

/* The terminal colour nearest rgb among the first n of the palette. */
static short
nearest(unsigned rgb, unsigned n)
{
	unsigned best = 0, best_d = UINT32_MAX;

	for (unsigned i = 0; i < n && i < 256; i++) {
		unsigned d = distance(rgb, palette_rgb(i));
		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return (short)best;
}

/* A theme colour as this terminal can show it: -1 for its default. */
static int
fit(const struct colour *c)
{
	unsigned have = COLORS > 0 ? (unsigned)COLORS : 0;

	switch (c->kind) {
	case C_DEFAULT:
		return -1;
	case C_INDEX:
		if (c->value < have)
			return (int)c->value;
		return nearest(palette_rgb(c->value), have >= 16 ? 16 : 8);
	case C_RGB:
		if (have >= 0x1000000)
			return (int)c->value;   /* direct colour */
		return nearest(c->value, have >= 256 ? 256 : have >= 16 ? 16 : 8);
	}
	return -1;
}

static int
parse_colour(const char *s, struct colour *c)
{
	unsigned long long v;

	if (strcmp(s, "default") == 0) {
		c->kind = C_DEFAULT;
		return 0;
	}
	for (unsigned i = 0; i < 8; i++) {
		if (strcmp(s, basic[i]) == 0) {
			c->kind = C_INDEX;
			c->value = i;
			return 0;
		}
		if (strncmp(s, "bright-", 7) == 0 && strcmp(s + 7, basic[i]) == 0) {
			c->kind = C_INDEX;
			c->value = i + 8;
			return 0;
		}
	}
	if (strncmp(s, "color", 5) == 0 && parse_uint(s + 5, 0, 255, &v) == 0) {
		c->kind = C_INDEX;
		c->value = (unsigned)v;
		return 0;
	}
	if (s[0] == '#' && strlen(s) == 7 && strspn(s + 1, "0123456789abcdefABCDEF") == 6) {
		c->kind = C_RGB;
		c->value = (unsigned)strtoul(s + 1, NULL, 16);
		return 0;
	}
	return -1;
}

static int
parse_attr(const char *s, int *attrs)
{
	static const struct { const char *name; int attr; } names[] = {
		{ "normal", 0 }, { "bold", A_BOLD }, { "dim", A_DIM },
		{ "underline", A_UNDERLINE }, { "reverse", A_REVERSE },
		{ "blink", A_BLINK }, { "italic", A_ITALIC }, { "standout", A_STANDOUT },
	};

	for (size_t i = 0; i < HA_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i].name) == 0) {
			*attrs |= names[i].attr;
			return 0;
		}
	return -1;
}

/* Parses theme text; errors say where: "name:line: message". */
static struct theme *
theme_parse(const char *text, const char *where, char **cause)
{
	struct theme *t = xcalloc(1, sizeof(*t));
	char *copy = xstrdup(text), *save = NULL, *line;
	int lineno = 0;

	for (line = copy; line != NULL; line = save) {
		char *nl = strchr(line, '\n'), *tok[16], *ts = NULL;
		size_t nt = 0;
		save = nl != NULL ? nl + 1 : NULL;
		if (nl != NULL)
			*nl = '\0';
		lineno++;
		for (char *w = strtok_r(line, " \t\r", &ts); w != NULL && nt < 16;
		    w = strtok_r(NULL, " \t\r", &ts))
			tok[nt++] = w;
		if (nt == 0 || tok[0][0] == '#')
			continue;
		if (strcmp(tok[0], "color") != 0 || nt < 4) {
			*cause = xasprintf("%s:%d: expected 'color ROLE FG BG [ATTRS]'",
			    where, lineno);
			goto fail;
		}
		size_t r;
		for (r = 0; r < ROLE_COUNT; r++)
			if (strcmp(role_names[r], tok[1]) == 0)
				break;
		if (r == ROLE_COUNT) {
			char *e = text_escape_str(tok[1], strlen(tok[1]), 40);
			*cause = xasprintf("%s:%d: unknown role '%s'", where, lineno, e);
			free(e);
			goto fail;
		}
		struct role_style *st = &t->role[r];
		for (int k = 2; k < 4; k++) {
			if (parse_colour(tok[k], k == 2 ? &st->fg : &st->bg) != 0) {
				char *e = text_escape_str(tok[k], strlen(tok[k]), 40);
				*cause = xasprintf("%s:%d: unknown colour '%s' (a name, "
				    "default, colorN or #rrggbb)", where, lineno, e);
				free(e);
				goto fail;
			}
		}
		st->attrs = 0;
		for (size_t k = 4; k < nt; k++) {
			if (parse_attr(tok[k], &st->attrs) != 0) {
				char *e = text_escape_str(tok[k], strlen(tok[k]), 40);
				*cause = xasprintf("%s:%d: unknown attribute '%s'", where,
				    lineno, e);
				free(e);
				goto fail;
			}
		}
		st->set = true;
	}
	free(copy);
	return t;
fail:
	free(copy);
	free(t);
	return NULL;
}

const char *const *
theme_builtin_names(size_t *n)
{
	static const char *names[16];

	*n = themes_builtin_count < 16 ? themes_builtin_count : 16;
	for (size_t i = 0; i < *n; i++)
		names[i] = themes_builtin[i][0];
	return names;
}

/* Reads a theme file; NULL with errno when it cannot be opened. */
static struct theme *
theme_file(const char *path, char **cause)
{
	FILE *f = fopen(path, "r");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < 65536)
		buf_add(&b, chunk, n);
	fclose(f);
	struct theme *t = theme_parse(buf_str(&b), path, cause);
	buf_free(&b);
	if (t == NULL)
		errno = EINVAL;
	return t;
}

struct theme *
theme_load(const char *name, char **cause)
{
	char *dir = NULL, *path;
	struct theme *t;

	if (name == NULL || name[0] == '\0')
		name = "default";
	if (strchr(name, '/') != NULL) {
		/* A file named outright. */
		t = theme_file(name, cause);
		if (t == NULL && errno != EINVAL)
			*cause = xasprintf("%s: %s", name, strerror(errno));
		return t;
	}
	/* One's own themes, then the installed ones, then the built-in. */
	if (xdg_path("XDG_CONFIG_HOME", ".config", "hubassoc/themes", &dir, cause) != 0) {
		free(*cause);
		*cause = NULL;
		dir = NULL;
	}
	const char *dirs[] = { dir, HUBASSOC_DATADIR "/themes" };
	for (size_t i = 0; i < HA_ARRAY_LEN(dirs); i++) {
		if (dirs[i] == NULL)
			continue;
		path = xasprintf("%s/%s.theme", dirs[i], name);
		t = theme_file(path, cause);
		int err = errno;
		free(path);
		if (t != NULL || err == EINVAL) {
			free(dir);
			return t;
		}
	}
	free(dir);
	for (size_t i = 0; i < themes_builtin_count; i++) {
		if (strcmp(themes_builtin[i][0], name) != 0)
			continue;
		char *where = xasprintf("%s.theme", name);
		t = theme_parse(themes_builtin[i][1], where, cause);
		free(where);
		return t;
	}
	struct buf list = BUF_INIT;
	for (size_t i = 0; i < themes_builtin_count; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", themes_builtin[i][0]);
	char *e = text_escape_str(name, strlen(name), 40);
	*cause = xasprintf("no theme '%s' (built in: %s; or a file in "
	    "~/.config/hubassoc/themes/)", e, buf_str(&list));
	free(e);
	buf_free(&list);
	return NULL;
}

void
theme_free(struct theme *t)
{
	free(t);
}

void
theme_apply(const struct theme *t, bool mono)
{
	bool colour = !mono && has_colors();

	if (colour) {
		start_color();
		use_default_colors();
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct role_style *st = t->role[r].set ? &t->role[r] : &t->role[ROLE_DEFAULT];
		int attrs = st->attrs;
		if (colour && r + 1 < COLOR_PAIRS) {
			int fg = fit(&st->fg), bg = fit(&st->bg);
			init_extended_pair(r + 1, fg, bg);
			attrs |= (int)COLOR_PAIR(r + 1);
		} else if (mono && (r == ROLE_CURSOR || r == ROLE_HEADER ||
		    r == ROLE_TAB_ACTIVE || r == ROLE_PROGRESS)) {
			/* Without colours, what must stand out is reversed. */
			attrs |= A_REVERSE;
		}
		applied[r] = attrs;
	}
}

int
role_attr(enum role r)
{
	return applied[r];
}
