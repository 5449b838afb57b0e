/* prompt.c: the command and edit line, on GNU readline's callback interface. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "curses.h"
#include "hubassoc/config.h"
#include "hubassoc/text.h"
#include "tui.h"

/* Readline's callbacks take no argument: the app they work for.  What
 * the line keeps is the app's (struct prompt_line). */
static struct app *A;


/* Readline reads from here: the bytes of the keys given to it. */
static int
getc_fn(FILE *f)
{
	(void)f;
	if (A->line.qpos < A->line.queue.len)
		return (unsigned char)A->line.queue.data[A->line.qpos++];
	return EOF;
}

static int
available(void)
{
	return A->line.qpos < A->line.queue.len;
}

/* The terminal belongs to curses: readline leaves its modes alone. */
static void
prep_term(int meta)
{
	(void)meta;
}

static void
deprep_term(void)
{
}

static void
redisplay(void)
{
	/* Drawn with the screen, by prompt_draw(). */
	if (A != NULL)
		A->need_redraw = true;
}

static void
on_line(char *line)
{
	enum prompt_kind kind = A->prompt;

	rl_callback_handler_remove();
	A->prompt = PROMPT_NONE;
	curs_set(0);
	if (line == NULL)
		return;
	switch (kind) {
	case PROMPT_COMMAND:
		if (line[0] != '\0') {
			if (command_secret_at(line) < 0)
				add_history(line);
			app_command(A, line);
		}
		memset(line, 0, strlen(line));
		break;
	case PROMPT_EDIT:
		if (A->edit_row == SIZE_MAX)
			app_add_text(A, line, strlen(line), "added");
		else
			app_replace_row(A, A->edit_row, line);
		break;
	case PROMPT_FILTER: {
		struct view *v = &A->views[A->current];
		/* In a picker, Enter chooses the highlighted row.  The list
		 * shows this filter already, applied key by key; applying it
		 * again would put the cursor back on the first match. */
		if (A->current == VIEW_PICKER || A->current == VIEW_TYPES)
			v->ops->action(v, ACT_SELECT);
		else if (v->ops->filter != NULL)
			v->ops->filter(v, line);
		break;
	}
	case PROMPT_MANUAL:
		if (line[0] != '\0' && app_offer_label(A, line))
			break;        /* a label to make: asked first */
		if (line[0] != '\0') {
			struct buf t = BUF_INIT;
			if (A->ws.types_text != NULL && A->ws.types_text[0] != '\0')
				buf_printf(&t, "%s;", A->ws.types_text);
			buf_addstr(&t, line);
			if (app_set_types_text(A, buf_str(&t)) == 0)
				view_types_reset(&A->views[VIEW_TYPES]);
			buf_free(&t);
		}
		break;
	case PROMPT_SAVE:
		if (line[0] != '\0')
			view_inspector_save(&A->views[VIEW_INSPECTOR], line);
		break;
	case PROMPT_TOKEN:
		A->token_typed = line[0] != '\0' ? xstrdup(line) : NULL;
		memset(line, 0, strlen(line));
		app_connect(A);
		break;
	default:
		break;
	}
	free(line);
}

/* Words to complete for the command line's first word and its argument. */

static void
set_candidates(const char *first)
{
	for (size_t i = 0; i < A->line.ncandidates; i++)
		free(A->line.candidates[i]);
	free(A->line.candidates);
	A->line.candidates = NULL;
	A->line.ncandidates = 0;
	size_t cap = 64;
	A->line.candidates = xcalloc(cap, sizeof(*A->line.candidates));
#define ADD(s) do { \
		if (A->line.ncandidates + 1 >= cap) \
			A->line.candidates = xreallocarray(A->line.candidates, \
			    cap *= 2, sizeof(*A->line.candidates)); \
		A->line.candidates[A->line.ncandidates++] = xstrdup(s); \
	} while (0)
	enum command_id c = first != NULL ? command_find(first, strlen(first)) : CMD_NONE;
	const struct command_def *d = command_def(c);
	if (first == NULL) {
		for (int k = CMD_NONE + 1; k < CMD_COUNT; k++)
			ADD(command_def((enum command_id)k)->name);
	} else if (d != NULL && d->arg == CARG_OBJTYPE) {
		size_t n;
		const struct objtype_std *t = objtype_std_table(&n);
		for (size_t i = 0; i < n; i++)
			ADD(t[i].plural);
		for (size_t i = 0; i < A->ncustoms; i++)
			ADD(A->customs[i]);
	} else if (d != NULL && d->arg == CARG_TYPES) {
		ADD("unlabeled");
		for (size_t i = 0; i < A->labels.n; i++)
			if (A->labels.v[i].label != NULL)
				ADD(A->labels.v[i].label);
	} else if (d != NULL && d->arg == CARG_THEME) {
		size_t n;
		const char *const *names = theme_builtin_names(&n);
		for (size_t i = 0; i < n; i++)
			ADD(names[i]);
	} else if (d != NULL && d->arg == CARG_PROFILE) {
		/* The config file's profiles, as the shell's completion has them;
		 * a name holding a control character is offered as none. */
		char **v = NULL, *cause = NULL;
		size_t n = 0;
		if (config_profile_names(&v, &n, &cause) == 0) {
			for (size_t i = 0; i < n; i++) {
				const char *p = v[i];
				while (*p != '\0' && (unsigned char)*p >= ' ' && *p != 0x7f)
					p++;
				if (*p == '\0')
					ADD(v[i]);
			}
		}
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		free(cause);
	}
#undef ADD
}

static char *
generate(const char *text, int state)
{
	/* The word may start with the command ("type Bill"): the candidates
	 * follow it, and keep it. */
	size_t lead = A->line.lead < strlen(text) ? A->line.lead : strlen(text);
	size_t n = strlen(text + lead);

	if (state == 0)
		A->line.next = 0;
	while (A->line.next < A->line.ncandidates) {
		const char *c = A->line.candidates[A->line.next++];
		if (ascii_ncasecmp(c, text + lead, n) == 0)
			return xasprintf("%.*s%s", (int)lead, text, c);
	}
	return NULL;
}

static char **
complete(const char *text, int start, int end)
{
	char first[32] = "";
	const char *p = rl_line_buffer;

	(void)end;
	if (A->prompt != PROMPT_COMMAND)
		return NULL;
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, " ");
	if ((size_t)(p - rl_line_buffer) + n < (size_t)start && n < sizeof(first)) {
		memcpy(first, p, n);
		first[n] = '\0';
	}
	/* Only ';' splits the words of :type (labels have spaces), so its
	 * first type's word holds the command too: "type Bill". */
	const struct command_def *d = command_def(command_find(p, n));
	if (first[0] == '\0' && d != NULL && d->arg == CARG_TYPES && p[n] == ' ') {
		size_t at = (size_t)(p - rl_line_buffer) + n;
		while (rl_line_buffer[at] == ' ')
			at++;
		memcpy(first, p, n < sizeof(first) ? n : sizeof(first) - 1);
		first[n < sizeof(first) ? n : sizeof(first) - 1] = '\0';
		A->line.lead = (size_t)(at - (size_t)start);
	} else {
		A->line.lead = 0;
	}
	d = command_def(command_find(first, strlen(first)));
	if (d != NULL && d->arg == CARG_FILE)
		return NULL;   /* readline completes file names */
	rl_attempted_completion_over = 1;
	set_candidates(first[0] != '\0' ? first : NULL);
	return rl_completion_matches(text, generate);
}

/* Label names have spaces: for :type, only ';' splits words. */
static char *
word_breaks(void)
{
	const char *p = rl_line_buffer;

	while (*p == ' ')
		p++;
	size_t n = strcspn(p, " ");
	const struct command_def *d = p[n] == ' ' ? command_def(command_find(p, n)) : NULL;
	return d != NULL && d->arg == CARG_TYPES ? ";" : " \t";
}

static void
show_matches(char **matches, int n, int maxlen)
{
	struct buf b = BUF_INIT;

	(void)maxlen;
	for (int i = 1; i <= n && b.len < 400; i++)
		buf_printf(&b, "%s%s", i > 1 ? "  " : "", matches[i]);
	/* Shown while the line is open, above it. */
	free(A->line.matches);
	A->line.matches = buf_detach(&b);
	A->need_redraw = true;
}

void
prompt_init(struct app *a)
{
	char *cause = NULL;

	A = a;
	A->line.devnull = fopen("/dev/null", "w");
	rl_instream = stdin;
	rl_outstream = A->line.devnull;
	rl_getc_function = getc_fn;
	rl_input_available_hook = available;
	rl_prep_term_function = prep_term;
	rl_deprep_term_function = deprep_term;
	rl_redisplay_function = redisplay;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_readline_name = "hubassoc";
	rl_attempted_completion_function = complete;
	rl_completion_word_break_hook = word_breaks;
	rl_completion_display_matches_hook = show_matches;
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("bell-style", "none");
	using_history();
	stifle_history(1000);
	if (xdg_path("XDG_STATE_HOME", ".local/state", "hubassoc/history",
	    &A->line.history_path, &cause) == 0)
		read_history(A->line.history_path);
	else
		free(cause);
	a->readline_ready = true;
}

void
prompt_fini(struct app *a)
{
	if (!a->readline_ready)
		return;
	if (a->prompt != PROMPT_NONE)
		rl_callback_handler_remove();
	if (A->line.history_path != NULL) {
		char *dir = xstrdup(A->line.history_path), *cause = NULL;
		char *slash = strrchr(dir, '/');
		if (slash != NULL)
			*slash = '\0';
		/* Made 0600 before anything is written to it. */
		int fd = make_dirs(dir, &cause) == 0 && dir_check_private(dir, &cause) == 0 ?
		    open(A->line.history_path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
		if (fd >= 0) {
			fchmod(fd, 0600);
			close(fd);
			write_history(A->line.history_path);
		}
		free(cause);
		free(dir);
		free(A->line.history_path);
		A->line.history_path = NULL;
	}
	set_candidates("");
	for (size_t i = 0; i < A->line.ncandidates; i++)
		free(A->line.candidates[i]);
	free(A->line.candidates);
	A->line.candidates = NULL;
	A->line.ncandidates = 0;
	rl_clear_history();
	buf_free(&A->line.queue);
	if (A->line.devnull != NULL)
		fclose(A->line.devnull);
	A->line.devnull = NULL;
	free(A->line.matches);
	A->line.matches = NULL;
	a->readline_ready = false;
}

void
prompt_open(struct app *a, enum prompt_kind kind, const char *text,
    const char *initial)
{
	if (a->prompt != PROMPT_NONE)
		rl_callback_handler_remove();
	a->prompt = kind;
	buf_reset(&A->line.queue);
	A->line.qpos = 0;
	rl_callback_handler_install(text, on_line);
	if (initial != NULL && initial[0] != '\0') {
		rl_insert_text(initial);
		rl_point = rl_end;
	}
	curs_set(1);
	a->need_redraw = true;
}

void
prompt_close(struct app *a)
{
	if (a->prompt == PROMPT_NONE)
		return;
	rl_callback_handler_remove();
	a->prompt = PROMPT_NONE;
	curs_set(0);
	a->need_redraw = true;
}

const char *
prompt_text(void)
{
	return rl_line_buffer != NULL ? rl_line_buffer : "";
}

/* The bytes readline expects for a key. */
static void
encode_key(int key, struct buf *out)
{
	static const struct { int key; const char *seq; } seqs[] = {
		{ K_UP, "\033[A" }, { K_DOWN, "\033[B" }, { K_RIGHT, "\033[C" },
		{ K_LEFT, "\033[D" }, { K_HOME, "\033[H" }, { K_END, "\033[F" },
		{ K_DELETE, "\033[3~" },
	};
	int base = key & ~K_ALT;

	if (key & K_ALT)
		buf_addc(out, '\033');
	for (size_t i = 0; i < HA_ARRAY_LEN(seqs); i++)
		if (seqs[i].key == base) {
			buf_addstr(out, seqs[i].seq);
			return;
		}
	if (base == KEY_ENTER_)
		buf_addc(out, '\r');
	else if (base < 0x80)
		buf_addc(out, (char)base);
	else if (base < 0x800) {
		buf_addc(out, (char)(0xc0 | (base >> 6)));
		buf_addc(out, (char)(0x80 | (base & 0x3f)));
	} else if (base < 0x10000) {
		buf_addc(out, (char)(0xe0 | (base >> 12)));
		buf_addc(out, (char)(0x80 | ((base >> 6) & 0x3f)));
		buf_addc(out, (char)(0x80 | (base & 0x3f)));
	} else if (base < 0x110000) {
		buf_addc(out, (char)(0xf0 | (base >> 18)));
		buf_addc(out, (char)(0x80 | ((base >> 12) & 0x3f)));
		buf_addc(out, (char)(0x80 | ((base >> 6) & 0x3f)));
		buf_addc(out, (char)(0x80 | (base & 0x3f)));
	}
}

void
prompt_refilter_later(void)
{
	A->line.refilter = true;
}

static void
feed_readline(struct app *a)
{
	/* Only a line entered now may ask (from its handler). */
	A->line.refilter = false;
	while (A->line.qpos < A->line.queue.len && a->prompt != PROMPT_NONE)
		rl_callback_read_char();
	buf_reset(&A->line.queue);
	A->line.qpos = 0;
	if (A->line.refilter) {
		struct view *v = &a->views[a->current];
		A->line.refilter = false;
		if (v->ops->action != NULL)
			v->ops->action(v, ACT_FILTER);
	}
	if (a->prompt == PROMPT_FILTER) {
		struct view *v = &a->views[a->current];
		if (v->ops->filter != NULL)
			v->ops->filter(v, rl_line_buffer);
	}
	a->need_redraw = true;
}

void
prompt_key(struct app *a, const struct event *ev)
{
	int key = ev->key;

	/* Tab's candidates stay until the next key. */
	free(a->line.matches);
	a->line.matches = NULL;

	if (key == KEY_ESC_ || key == 7 || key == 3) {
		/* Esc, C-g, C-c: leave the line.  A filter is cleared. */
		enum prompt_kind kind = a->prompt;
		prompt_close(a);
		if (kind == PROMPT_FILTER) {
			struct view *v = &a->views[a->current];
			if (v->ops->filter != NULL)
				v->ops->filter(v, "");
			if (a->current == VIEW_PICKER)
				v->ops->action(v, ACT_CLOSE);
		}
		return;
	}
	/* In a picker's filter, moving and choosing go to the list. */
	if (a->prompt == PROMPT_FILTER && (a->current == VIEW_PICKER ||
	    a->current == VIEW_TYPES)) {
		enum action act = key == K_UP ? ACT_UP : key == K_DOWN ? ACT_DOWN :
		    key == K_PGUP ? ACT_PAGE_UP : key == K_PGDN ? ACT_PAGE_DOWN : ACT_NONE;
		/* Tab marks in the type picker while filtering, as fzf -m does. */
		if (key == '\t' && a->current == VIEW_TYPES) {
			a->views[VIEW_TYPES].ops->action(&a->views[VIEW_TYPES], ACT_TOGGLE);
			a->need_redraw = true;
			return;
		}
		if (act != ACT_NONE) {
			view_list_action(&a->views[a->current], act);
			a->need_redraw = true;
			return;
		}
	}
	encode_key(key, &A->line.queue);
	feed_readline(a);
}

void
prompt_paste(struct app *a, const char *text, size_t len)
{
	/* The first line only: a paste never enters a line by itself. */
	size_t n = 0;
	while (n < len && text[n] != '\r' && text[n] != '\n')
		n++;
	char *line = xstrndup(text, n);
	rl_insert_text(line);
	free(line);
	a->need_redraw = true;
	if (a->prompt == PROMPT_FILTER) {
		struct view *v = &a->views[a->current];
		if (v->ops->filter != NULL)
			v->ops->filter(v, rl_line_buffer);
	}
}

void
prompt_draw(struct app *a)
{
	int y = a->rows - 1, x = 0, w = a->cols;
	const char *p = rl_display_prompt != NULL ? rl_display_prompt : "";
	struct buf shown = BUF_INIT, before = BUF_INIT;
	const char *line = rl_line_buffer != NULL ? rl_line_buffer : "";
	size_t point = (size_t)(rl_point >= 0 ? rl_point : 0);

	draw_fill(y, 0, w, ROLE_PROMPT);
	x += draw_text(y, 0, w, p, ROLE_PROMPT, false);
	if (a->prompt == PROMPT_TOKEN) {
		/* Not echoed: a count of what was typed is all that shows. */
		for (int i = 0; i < rl_end && i < 64; i++)
			buf_addc(&shown, '*');
		buf_addstr(&before, buf_str(&shown));
		before.len = point < before.len ? point : before.len;
	} else {
		/* A token typed after :token shows as stars, as at its prompt. */
		long at = a->prompt == PROMPT_COMMAND ? command_secret_at(line) : -1;
		size_t len = strlen(line), clear = at >= 0 ? (size_t)at : len;
		text_escape(&shown, line, clear);
		for (size_t i = clear; i < len && i < clear + 64; i++)
			buf_addc(&shown, '*');
		if (point <= clear) {
			text_escape(&before, line, point);
		} else {
			text_escape(&before, line, clear);
			for (size_t i = clear; i < point && i < clear + 64; i++)
				buf_addc(&before, '*');
		}
	}
	int room = w - x - 1;
	size_t cur = text_width(buf_str(&before), before.len);
	size_t skip = 0;
	/* Scroll sideways to keep the cursor in sight. */
	if (room > 0 && cur >= (size_t)room)
		skip = cur - (size_t)room + 1;
	size_t off = 0, used = 0;
	if (skip > 0)
		off = text_fit(buf_str(&shown), shown.len, skip, &used);
	if (room > 0)
		draw_textn(y, x, room, buf_str(&shown) + off, shown.len - off,
		    ROLE_PROMPT, false);
	move(y, x + (int)(cur - used));
	buf_free(&shown);
	buf_free(&before);
}
