/* tty.c: the terminal itself, for the terminal interface: its own
 * descriptors, curses on them, the modes hubassoc turns on, stderr held
 * while the screen is curses', the theme, and signals through a pipe the
 * event loop polls. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "hubassoc/config.h"
#include "hubassoc/text.h"
#include "tui.h"

static int sig_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (write(sig_pipe[1], &c, 1) < 0) {
		/* Nothing to do: the pipe is full of the same news. */
	}
	errno = saved;
}

int
tty_signal_fd(void)
{
	return sig_pipe[0];
}

void
tty_release_signals(void)
{
	if (sig_pipe[0] >= 0) {
		close(sig_pipe[0]);
		close(sig_pipe[1]);
		sig_pipe[0] = sig_pipe[1] = -1;
	}
}

static const char modes_on[] = "\033[?1000h\033[?1006h\033[?2004h";
static const char modes_off[] = "\033[?2004l\033[?1006l\033[?1000l";

static void
tty_write(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0 && errno != EINTR)
			return;
		if (w > 0) {
			s += w;
			n -= (size_t)w;
		}
	}
}

void
tty_modes(struct app *a, bool on)
{
	tty_write(a->tty_out, on ? modes_on : modes_off);
}

/* The terminal's own descriptors (not stdin, which may be pairs piped in):
 * false, with why, when there is no terminal. */
bool
tty_open(struct app *a, FILE **tin, FILE **tout, char **cause)
{
	*tin = fopen("/dev/tty", "r");
	*tout = fopen("/dev/tty", "w");
	if (*tin != NULL && *tout != NULL) {
		a->tty_in = fileno(*tin);
		a->tty_out = fileno(*tout);
		return true;
	}
	*cause = xstrdup("the terminal interface needs a terminal (use a command; "
	    "hubassoc --help)");
	if (*tin != NULL)
		fclose(*tin);
	if (*tout != NULL)
		fclose(*tout);
	return false;
}

/* The theme: the option's, else the profile's.  0, or an exit status. */
int
tty_theme(struct app *a, const struct tui_opts *o, char **cause)
{
	struct profile prof;

	if (config_load(NULL, o->given.set.profile, &prof, cause) != 0)
		return EXIT_AUTH;
	a->theme = theme_load(o->theme != NULL ? o->theme : prof.theme, cause);
	profile_free(&prof);
	return a->theme == NULL ? EXIT_USAGE : 0;
}

/* Whatever is printed to stderr waits in a file until the screen is the
 * shell's again (tty_give_back_stderr).  The saved descriptor, or -1. */
int
tty_hold_stderr(char **path)
{
	const char *tmpdir = getenv("TMPDIR");
	int saved = -1;

	*path = xasprintf("%s/hubassoc-stderr-XXXXXX", tmpdir != NULL &&
	    tmpdir[0] == '/' ? tmpdir : "/tmp");
	int tmp = mkstemp(*path);
	if (tmp >= 0) {
		saved = dup(STDERR_FILENO);
		dup2(tmp, STDERR_FILENO);
		close(tmp);
	}
	return saved;
}

void
tty_give_back_stderr(int saved, char *path)
{
	if (saved >= 0) {
		fflush(stderr);
		dup2(saved, STDERR_FILENO);
		close(saved);
		FILE *f = fopen(path, "r");
		if (f != NULL) {
			char line[1024];
			while (fgets(line, sizeof(line), f) != NULL)
				fputs(line, stderr);
			fclose(f);
		}
		unlink(path);
	}
	free(path);
}

/* curses on the terminal, in raw mode with the theme's colours, mouse and
 * bracketed paste on: NULL, with why, when the terminal type is unknown. */
SCREEN *
tty_start_screen(struct app *a, FILE *tin, FILE *tout, char **cause)
{
	SCREEN *scr = newterm(NULL, tout, tin);

	if (scr == NULL) {
		/* newterm says nothing of why. */
		const char *term = getenv("TERM");
		char *e = text_escape_str(term != NULL ? term : "", term != NULL ?
		    strlen(term) : 0, 60);
		*cause = xasprintf("the terminal type '%s' (TERM) is not in the "
		    "terminfo database: set TERM to one that is, such as "
		    "xterm-256color, or install its entry (ncurses-term)", e);
		free(e);
		return NULL;
	}
	set_term(scr);
	raw();
	noecho();
	nonl();
	keypad(stdscr, FALSE);
	curs_set(0);
	const char *nc = getenv("NO_COLOR");
	a->mono = (nc != NULL && nc[0] != '\0') || !has_colors();
	theme_apply(a->theme, a->mono);
	tty_modes(a, true);
	getmaxyx(stdscr, a->rows, a->cols);
	fcntl(a->tty_in, F_SETFL, fcntl(a->tty_in, F_GETFL) | O_NONBLOCK);
	return scr;
}

/* Resizes, suspends and ends come to the event loop through a pipe. */
void
tty_catch_signals(void)
{
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGWINCH, &sa, NULL);
		sigaction(SIGTSTP, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
}
