/* actions.c: the actions, their help, and the keys bound to them. */
#include <stddef.h>
#include <string.h>

#include "hubassoc/objtype.h"
#include "tui.h"

static const char *const names[ACT_COUNT] = {
#define X(id, name, help) [ACT_##id] = name,
	ACTIONS(X)
#undef X
};

static const char *const helps[ACT_COUNT] = {
#define X(id, name, help) [ACT_##id] = help,
	ACTIONS(X)
#undef X
};

const char *
action_name(enum action a)
{
	return (size_t)a < ACT_COUNT ? names[a] : "none";
}

const char *
action_help(enum action a)
{
	return (size_t)a < ACT_COUNT ? helps[a] : "";
}

struct binding {
	int key;
	enum action act;
};

#define CTRL(c) ((c) & 0x1f)

/* Every view: moving, switching views, help, the command line. */
static const struct binding generic[] = {
	{ K_UP, ACT_UP }, { 'k', ACT_UP }, { CTRL('p'), ACT_UP },
	{ K_DOWN, ACT_DOWN }, { 'j', ACT_DOWN }, { CTRL('n'), ACT_DOWN },
	{ K_PGUP, ACT_PAGE_UP }, { CTRL('b'), ACT_PAGE_UP },
	{ K_PGDN, ACT_PAGE_DOWN }, { CTRL('f'), ACT_PAGE_DOWN }, { ' ', ACT_PAGE_DOWN },
	{ K_HOME, ACT_FIRST }, { 'g', ACT_FIRST },
	{ K_END, ACT_LAST }, { 'G', ACT_LAST },
	{ K_LEFT, ACT_LEFT }, { 'h', ACT_LEFT },
	{ K_RIGHT, ACT_RIGHT }, { 'l', ACT_RIGHT },
	{ KEY_TAB_, ACT_NEXT_VIEW }, { K_BTAB, ACT_PREV_VIEW },
	{ '1', ACT_VIEW_PAIRS }, { '2', ACT_VIEW_RESULTS }, { '3', ACT_VIEW_ERRORS },
	{ '4', ACT_VIEW_INSPECTOR }, { '5', ACT_VIEW_HISTORY }, { '6', ACT_VIEW_PORTAL },
	{ '?', ACT_HELP }, { K_F1, ACT_HELP },
	{ ':', ACT_COMMAND },
	{ KEY_ENTER_, ACT_SELECT },
	{ '/', ACT_FILTER },
	{ CTRL('c'), ACT_CANCEL },
	{ CTRL('l'), ACT_REDRAW },
	{ CTRL('z'), ACT_SUSPEND },
	{ 'q', ACT_QUIT },
	/* The direction and the types, from anywhere; and S, which sends
	 * the pairs (asking first) from Results as from Pairs. */
	{ 'f', ACT_PICK_FROM }, { 't', ACT_PICK_TO }, { 'y', ACT_PICK_TYPES },
	{ 'S', ACT_SUBMIT },
};

static const struct binding pairs[] = {
	{ 'a', ACT_ADD_ROW }, { 'o', ACT_ADD_ROW }, { 'e', ACT_EDIT_ROW },
	{ 'v', ACT_DETAIL },
	{ KEY_ENTER_, ACT_EDIT_ROW }, { 'd', ACT_DELETE_ROW }, { K_DELETE, ACT_DELETE_ROW },
	{ 'S', ACT_SUBMIT }, { 'R', ACT_RESEND }, { 'p', ACT_PORTAL },
	{ 'O', ACT_OPERATION },
};

static const struct binding results[] = {
	{ KEY_ENTER_, ACT_SELECT }, { 's', ACT_SORT }, { 'm', ACT_TOGGLE },
	{ 'v', ACT_DETAIL },
	{ 'R', ACT_RESEND }, { 'x', ACT_CANCEL }, { 'p', ACT_PORTAL },
};

static const struct binding errors[] = {
	{ KEY_ENTER_, ACT_SELECT }, { ' ', ACT_TOGGLE }, { '+', ACT_RIGHT },
	{ 'v', ACT_DETAIL },
	{ '-', ACT_LEFT }, { 'R', ACT_RESEND },
};

static const struct binding inspector[] = {
	{ 'c', ACT_COPY_CURL }, { KEY_ENTER_, ACT_SELECT }, { KEY_ESC_, ACT_LEFT },
	{ 'w', ACT_WRITE_FILE }, { 'W', ACT_WRITE_CURL }, { 'n', ACT_NEXT_MATCH },
	{ 'a', ACT_JUMP_ANSWER },
};

static const struct binding portal[] = {
	{ 'v', ACT_DETAIL },
};

static const struct binding history[] = {
	{ KEY_ENTER_, ACT_SELECT }, { 'r', ACT_RESUME }, { 'V', ACT_VERIFY },
	{ 'u', ACT_UNDO },
};

/* Its filter is always open: q is a letter of a name ("quotes"), and
 * Esc closes. */
static const struct binding picker[] = {
	{ KEY_ENTER_, ACT_SELECT }, { KEY_ESC_, ACT_CLOSE }, { '/', ACT_FILTER },
};

static const struct binding types[] = {
	{ ' ', ACT_TOGGLE }, { KEY_ENTER_, ACT_SELECT }, { 'm', ACT_MANUAL_TYPE },
	{ KEY_ESC_, ACT_CLOSE }, { 'q', ACT_CLOSE },
};

static const struct binding help[] = {
	{ KEY_ESC_, ACT_CLOSE }, { 'q', ACT_CLOSE }, { '?', ACT_CLOSE },
	{ KEY_ENTER_, ACT_CLOSE },
};

static const struct binding detail[] = {
	{ KEY_ESC_, ACT_CLOSE }, { 'q', ACT_CLOSE }, { 'v', ACT_CLOSE },
	{ KEY_ENTER_, ACT_CLOSE },
};

static const struct binding columns[] = {
	{ 'f', ACT_COL_FROM }, { 't', ACT_COL_TO }, { 'y', ACT_COL_TYPES },
	{ KEY_ENTER_, ACT_SELECT }, { KEY_ESC_, ACT_CLOSE }, { 'q', ACT_CLOSE },
};

static const struct {
	const struct binding *b;
	size_t n;
	bool generic;       /* falls back on the generic bindings */
} maps[VIEW_COUNT] = {
	[VIEW_PAIRS] = { pairs, HA_ARRAY_LEN(pairs), true },
	[VIEW_RESULTS] = { results, HA_ARRAY_LEN(results), true },
	[VIEW_ERRORS] = { errors, HA_ARRAY_LEN(errors), true },
	[VIEW_INSPECTOR] = { inspector, HA_ARRAY_LEN(inspector), true },
	[VIEW_HISTORY] = { history, HA_ARRAY_LEN(history), true },
	[VIEW_PORTAL] = { portal, HA_ARRAY_LEN(portal), true },
	[VIEW_PICKER] = { picker, HA_ARRAY_LEN(picker), true },
	[VIEW_TYPES] = { types, HA_ARRAY_LEN(types), true },
	[VIEW_HELP] = { help, HA_ARRAY_LEN(help), true },
	[VIEW_DETAIL] = { detail, HA_ARRAY_LEN(detail), true },
	[VIEW_COLUMNS] = { columns, HA_ARRAY_LEN(columns), true },
};

enum action
keymap_lookup(enum view_id v, int key)
{
	for (size_t i = 0; i < maps[v].n; i++)
		if (maps[v].b[i].key == key)
			return maps[v].b[i].act;
	if (maps[v].generic)
		for (size_t i = 0; i < HA_ARRAY_LEN(generic); i++)
			if (generic[i].key == key)
				return generic[i].act;
	return ACT_NONE;
}

void
keymap_keys(enum view_id v, enum action a, unsigned which, struct buf *out)
{
	char name[32];
	size_t before = out->len, own = v < VIEW_COUNT ? maps[v].n : 0;

	for (size_t i = 0; (which & KEYS_OWN) && i < own; i++) {
		if (maps[v].b[i].act != a)
			continue;
		keys_name(maps[v].b[i].key, name, sizeof(name));
		buf_printf(out, "%s%s", out->len > before ? ", " : "", name);
	}
	if (!(which & KEYS_GENERIC) || (v < VIEW_COUNT && !maps[v].generic))
		return;
	for (size_t i = 0; i < HA_ARRAY_LEN(generic); i++) {
		bool shadowed = false;
		if (generic[i].act != a)
			continue;
		/* A view's own binding of the key hides the generic one. */
		for (size_t k = 0; k < own; k++)
			shadowed |= maps[v].b[k].key == generic[i].key;
		if (shadowed)
			continue;
		keys_name(generic[i].key, name, sizeof(name));
		buf_printf(out, "%s%s", out->len > before ? ", " : "", name);
	}
}

static const char *const view_names[VIEW_COUNT] = {
	[VIEW_PAIRS] = "pairs", [VIEW_RESULTS] = "results", [VIEW_ERRORS] = "errors",
	[VIEW_INSPECTOR] = "inspector", [VIEW_HISTORY] = "history",
	[VIEW_PORTAL] = "portal",
	[VIEW_PICKER] = "object type picker", [VIEW_TYPES] = "association types",
	[VIEW_HELP] = "help", [VIEW_DETAIL] = "row", [VIEW_COLUMNS] = "columns",
};

static const struct command_def command_defs[CMD_COUNT] = {
#define X(id, name, alias, args, arg, help) [CMD_##id] = { name, alias, args, arg, help },
	COMMANDS(X)
#undef X
};

const struct command_def *
command_def(enum command_id c)
{
	return c > CMD_NONE && c < CMD_COUNT ? &command_defs[c] : NULL;
}

enum command_id
command_find(const char *word, size_t n)
{
	for (int c = CMD_NONE + 1; c < CMD_COUNT; c++) {
		const struct command_def *d = &command_defs[c];
		if ((strlen(d->name) == n && strncmp(word, d->name, n) == 0) ||
		    (d->alias != NULL && strlen(d->alias) == n &&
		    strncmp(word, d->alias, n) == 0))
			return (enum command_id)c;
	}
	return CMD_NONE;
}

const char *
command_nearest(const char *word)
{
	return nearest_of(word, command_defs + CMD_NONE + 1, CMD_COUNT - CMD_NONE - 1,
	    sizeof(command_defs[0]), offsetof(struct command_def, name));
}

long
command_secret_at(const char *line)
{
	const char *p = line, *name = command_defs[CMD_TOKEN].name;
	size_t n = strlen(name);

	while (*p == ' ' || *p == ':')
		p++;
	if (strncmp(p, name, n) != 0 || (p[n] != ' ' && p[n] != '\t'))
		return -1;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p != '\0' ? (long)(p - line) : -1;
}

void
commands_mdoc(struct buf *out)
{
	buf_addstr(out, ".Bl -tag -width Ds -compact\n");
	for (int c = CMD_NONE + 1; c < CMD_COUNT; c++) {
		const struct command_def *d = &command_defs[c];
		buf_printf(out, ".It Cm %s", d->name);
		if (d->args[0] != '\0')
			buf_printf(out, " Ar %s", d->args);
		if (d->alias != NULL)
			buf_printf(out, " , Cm %s", d->alias);
		buf_printf(out, "\n%s.\n", d->help);
	}
	buf_addstr(out, ".El\n");
}

/* mdoc escapes: a backslash, and a leading dot or quote. */
static void
mdoc_key(struct buf *out, const char *keys)
{
	for (const char *p = keys; *p != '\0'; p++) {
		if (*p == '\\')
			buf_addstr(out, "\\e");
		else
			buf_addc(out, *p);
	}
}

/* One list of bindings: an .It per action bound. */
static void
mdoc_list(struct buf *out, enum view_id v, unsigned which)
{
	buf_addstr(out, ".Bl -tag -width Ds -compact\n");
	for (int a = 1; a < ACT_COUNT; a++) {
		struct buf keys = BUF_INIT;
		keymap_keys(v, (enum action)a, which, &keys);
		if (keys.len > 0) {
			buf_addstr(out, ".It ");
			mdoc_key(out, buf_str(&keys));
			buf_printf(out, "\n%s.\n", action_help((enum action)a));
		}
		buf_free(&keys);
	}
	buf_addstr(out, ".El\n");
}

void
keymap_mdoc(struct buf *out)
{
	buf_addstr(out, ".Ss everywhere\n");
	mdoc_list(out, VIEW_COUNT, KEYS_GENERIC);
	for (int v = 0; v < VIEW_COUNT; v++) {
		/* A view with no keys of its own has every view's only. */
		if (maps[v].n == 0)
			continue;
		buf_printf(out, ".Ss %s\n", view_names[v]);
		mdoc_list(out, (enum view_id)v, KEYS_OWN);
	}
}

int
keymap_check(struct buf *problems)
{
	char name[32];
	int n = 0;

	for (int v = 0; v <= VIEW_COUNT; v++) {
		const struct binding *b = v < VIEW_COUNT ? maps[v].b : generic;
		size_t nb = v < VIEW_COUNT ? maps[v].n : HA_ARRAY_LEN(generic);
		const char *where = v < VIEW_COUNT ? view_names[v] : "everywhere";
		for (size_t i = 0; i < nb; i++) {
			keys_name(b[i].key, name, sizeof(name));
			for (size_t k = 0; k < i; k++)
				if (b[k].key == b[i].key) {
					buf_printf(problems, "%s: %s is bound twice\n", where, name);
					n++;
				}
			if (action_help(b[i].act)[0] == '\0') {
				buf_printf(problems, "%s: %s does an action with no help\n",
				    where, name);
				n++;
			}
		}
	}
	return n;
}
