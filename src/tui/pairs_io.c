/* pairs_io.c: the pairs in and out: pasted and loaded (a sheet of more
 * columns shown first), edited and deleted, written back as a file, and
 * the session's outcomes exported. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubassoc/export.h"
#include "hubassoc/input.h"
#include "hubassoc/text.h"
#include "tui.h"

/* A source's name: "paste 2", the second paste; "a.csv" for a file, "a.csv
 * (2)" when loaded again. */
static void
begin_source(struct input *in, const char *kind, bool numbered)
{
	const char *slash = numbered ? NULL : strrchr(kind, '/');
	const char *base = slash != NULL && slash[1] != '\0' ? slash + 1 : kind;
	size_t k = 1, n = strlen(base);

	for (size_t i = 0; i < in->nsources; i++)
		k += strncmp(in->sources[i].name, base, n) == 0 &&
		    (in->sources[i].name[n] == ' ' || in->sources[i].name[n] == '\0');
	char *name = numbered ? xasprintf("%s %zu", base, k) : k > 1 ?
	    xasprintf("%s (%zu)", base, k) : xstrdup(base);
	input_begin_source(in, name);
	free(name);
}

void
app_add_text(struct app *a, const char *text, size_t len, const char *what)
{
	size_t before = a->ws.pairs->nrows;
	char n[32];

	/* Not read into the pairs at all, their plan kept, while they may
	 * not change (before: read, then taken out, the plan lost). */
	if (!work_may_change(a))
		return;

	begin_source(a->ws.pairs, what == NULL ? "demo" : strcmp(what, "pasted") == 0 ?
	    "paste" : "typed", true);
	input_feed(a->ws.pairs, text, len);
	/* A paste's last line may lack its end. */
	input_finish(a->ws.pairs);
	if (work_add(a, before) != 0) {
		app_pairs_changed(a);
		return;
	}
	app_pairs_changed(a);
	if (what != NULL)
		app_status(a, false, "%s %s row%s", what,
		    fmt_count(n, a->ws.pairs->nrows - before),
		    a->ws.pairs->nrows - before == 1 ? "" : "s");
	if (a->ws.pairs->fatal != NULL)
		app_status(a, true, "%s", a->ws.pairs->fatal);
}

static int load_file(struct app *a, const char *path);

/* The start of a regular file, as a sheet whose columns a person may
 * choose; false for anything else (a FIFO is read once, by :load). */
static bool
peek_sheet(const char *path, struct sheet_peek *sp)
{
	char head[65536];
	struct stat st;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, head, sizeof(head));
	close(fd);
	return n > 0 && sheet_peek(head, (size_t)n, sp) > 0;
}

/* :load of a sheet of more than two named columns shows them first, unless
 * :columns said which: the admin takes FROM, TO and the types with the
 * keys (app_load_columns then reads it). */
int
app_load_file(struct app *a, const char *path)
{
	struct input *in = a->ws.pairs;
	struct sheet_peek sp;

	if (in->colwant[0] == NULL && in->colwant[1] == NULL && in->colwant[2] == NULL &&
	    peek_sheet(path, &sp)) {
		view_columns_set(&a->views[VIEW_COLUMNS], path, &sp);
		app_show(a, VIEW_COLUMNS);
		return 0;
	}
	return load_file(a, path);
}

/* The sheet read from the columns chosen (0-based; col[2] -1: none), for
 * this file only. */
int
app_load_columns(struct app *a, const char *path, const int col[3])
{
	char n[3][16];

	for (int k = 0; k < 3; k++)
		snprintf(n[k], sizeof(n[k]), "%d", col[k] + 1);
	input_set_columns(a->ws.pairs, n[0], n[1], col[2] >= 0 ? n[2] : NULL);
	int rc = load_file(a, path);
	input_set_columns(a->ws.pairs, NULL, NULL, NULL);
	return rc;
}

static int
load_file(struct app *a, const char *path)
{
	size_t before = a->ws.pairs->nrows;
	char *cause = NULL, n[32];

	if (!work_may_change(a))
		return -1;
	begin_source(a->ws.pairs, path, false);
	if (input_read_path(a->ws.pairs, path, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		return -1;
	}
	if (work_add(a, before) != 0) {
		app_pairs_changed(a);
		return -1;
	}
	app_pairs_changed(a);
	if (a->ws.pairs->fatal != NULL) {
		/* UTF-16, binary: said as the command line says it, the file
		 * by its name (what to do fits the line). */
		const char *base = strrchr(path, '/');
		app_status(a, true, "%s: %s", base != NULL ? base + 1 : path,
		    a->ws.pairs->fatal);
		return -1;
	}
	/* A sheet read by its header's columns says which, in the width of
	 * an 80-column line (the file was just named). */
	if (a->ws.pairs->mapped)
		app_status(a, false, "loaded %s row%s: %s", fmt_count(n,
		    a->ws.pairs->nrows - before), plural_s(a->ws.pairs->nrows - before),
		    a->ws.pairs->columns_brief);
	else
		app_status(a, false, "loaded %s row%s from %s", fmt_count(n,
		    a->ws.pairs->nrows - before), plural_s(a->ws.pairs->nrows - before), path);
	return 0;
}

#define REPEAT_KEPT "a repeat, sent with its first"

/* What the working set's session holds of pair row that an edit may not
 * change in place: a pair it wrote (or may have: unconfirmed), or a repeat
 * that went with one; NULL for any other. */
static const char *
row_kept(const struct app *a, size_t row)
{
	const struct session *s = &a->ws.s;

	if (row >= a->ws.joined)
		return NULL;
	enum outcome o = (enum outcome)s->out.state[row];
	if (o == OUTCOME_DUPLICATE)
		return REPEAT_KEPT;
	if (session_row_editable(s, row))
		return NULL;
	return o == OUTCOME_UNCONFIRMED ? "sent, its answer unknown" :
	    outcome_word(o, s->plan.op);
}

/* Whether what row_kept said is a pair the session wrote (or may have),
 * not a repeat that went with its first. */
static bool
row_wrote(const char *kept)
{
	return kept != NULL && strcmp(kept, REPEAT_KEPT) != 0;
}

/* A row of the session changed: Results and Errors show it as it is
 * now (before: the Errors tree kept its old IDs until the next send). */
static void
session_rows_changed(struct app *a)
{
	view_results_rebuild(&a->views[VIEW_RESULTS]);
	view_errors_rebuild(&a->views[VIEW_ERRORS]);
}

void
app_replace_row(struct app *a, size_t row, const char *text)
{
	if (row >= a->ws.pairs->nrows || !work_may_change(a))
		return;
	/* The session keeps what it sent as it was (undo takes it back): the
	 * edit is a new pair, and the session's next send takes it. */
	const char *kept = row_kept(a, row);
	struct buf l = BUF_INIT;
	input_line_label(a->ws.pairs, a->ws.pairs->rows[row].line, &l);
	if (kept != NULL) {
		struct buf nl = BUF_INIT;
		size_t before = a->ws.pairs->nrows;
		begin_source(a->ws.pairs, "typed", true);
		input_feed(a->ws.pairs, text, strlen(text));
		input_finish(a->ws.pairs);
		int rc = work_add(a, before);
		app_pairs_changed(a);
		if (rc == 0 && a->ws.pairs->nrows > before) {
			input_line_label(a->ws.pairs, a->ws.pairs->rows[before].line, &nl);
			app_status(a, false, "line %s stays as sent (%s)%s; the edit is a "
			    "new pair, line %s", buf_str(&l), kept, row_wrote(kept) ?
			    ", on the portal too" : "", buf_str(&nl));
		}
		buf_free(&l);
		buf_free(&nl);
		return;
	}
	/* A row of the session changes as its edit (edited, the next send's);
	 * one added since, in place. */
	int rc = row < a->ws.joined ? work_edit(a, row, text) : work_replace(a, row, text);
	app_pairs_changed(a);
	if (rc == 0 && row < a->ws.joined)
		session_rows_changed(a);
	if (rc == 0)
		app_status(a, false, row < a->ws.joined ? "line %s edited: the session's "
		    "next send takes it (R, or S)" : "line %s changed", buf_str(&l));
	buf_free(&l);
}

void
app_delete_row(struct app *a, size_t row)
{
	if (row >= a->ws.pairs->nrows || !work_may_change(a))
		return;
	struct buf l = BUF_INIT;
	input_line_label(a->ws.pairs, a->ws.pairs->rows[row].line, &l);
	/* What its session wrote stays on the portal: said (before: "line 2
	 * deleted" alone, read as the association gone). */
	const char *kept = row_kept(a, row);
	char *id = row_wrote(kept) ? xstrdup(a->ws.id) : NULL;
	if (work_delete(a, row) == 0) {
		app_pairs_changed(a);
		if (row < a->ws.joined)
			session_rows_changed(a);
		if (id != NULL)
			app_status(a, false, "line %s deleted from the pairs; what session %s "
			    "wrote of it stays on the portal (u in History undoes the "
			    "session; a remove takes the pair off)", buf_str(&l), id);
		else
			app_status(a, false, "line %s deleted", buf_str(&l));
	}
	free(id);
	buf_free(&l);
}

char *
app_row_text(const struct app *a, size_t row)
{
	struct buf b = BUF_INIT;

	input_row_text(a->ws.pairs, row, &b);
	return buf_detach(&b);
}

static int
write_pairs(int fd, const void *arg, char **cause)
{
	return input_write_fd(arg, fd, cause);
}

struct export_job {
	enum export_format f;
	struct export_src src;
};

static int
write_export(int fd, const void *arg, char **cause)
{
	const struct export_job *j = arg;

	return export_write_fd(fd, j->f, &j->src, cause);
}

/* The file asked for, once it may be written: whole, 0600, through a
 * temporary renamed over it. */
static void
file_write_now(struct app *a)
{
	struct file_job *w = a->file_job;
	struct export_out o;
	struct export_job ej;
	char *cause = NULL, *e = text_escape_str(w->path, strlen(w->path), 80);
	int (*fn)(int, const void *, char **) = export_write_text;
	const void *arg = &w->text;

	if (w->kind == FILE_PAIRS) {
		fn = write_pairs;
		arg = a->ws.pairs;
	} else if (w->kind == FILE_EXPORT) {
		size_t len = strlen(w->path);
		ej.f = len > 4 && strcmp(w->path + len - 4, ".csv") == 0 ? EXPORT_CSV :
		    len > 5 && strcmp(w->path + len - 5, ".json") == 0 ? EXPORT_JSON :
		    EXPORT_JSONL;
		ej.src = session_export_src(a->run->s);
		fn = write_export;
		arg = &ej;
	}
	if (export_open_file(&o, w->path, &cause) != 0 ||
	    export_finish_with(&o, fn, arg, &cause) != 0) {
		char *c = text_escape_str(cause, strlen(cause), 200);
		app_status(a, true, "%s", c);
		free(c);
		free(cause);
	} else {
		app_status(a, false, "wrote %s to %s", w->done, e);
	}
	free(e);
}

void
app_file_job_free(struct app *a)
{
	if (a->file_job == NULL)
		return;
	free(a->file_job->path);
	free(a->file_job->done);
	buf_free(&a->file_job->text);
	free(a->file_job);
	a->file_job = NULL;
}

static void
file_replace_confirmed(struct app *a, bool yes)
{
	if (yes)
		file_write_now(a);
	else
		app_status(a, false, "%s kept as it was: nothing written",
		    a->file_job->path);
	app_file_job_free(a);
}

void
app_write_file(struct app *a, enum file_kind kind, const char *path,
    struct buf *text, const char *done)
{
	struct stat st;

	app_file_job_free(a);
	if (*path == '\0') {
		app_status(a, true, "give a file to write to");
		if (text != NULL)
			buf_free(text);
		return;
	}
	struct file_job *w = a->file_job = xcalloc(1, sizeof(*w));
	w->kind = kind;
	w->path = xstrdup(path);
	w->done = xstrdup(done);
	if (text != NULL) {
		w->text = *text;
		*text = (struct buf)BUF_INIT;
	}
	/* Asked only of a file that is there; anything else is refused when
	 * it is opened, before a byte is written (a FIFO would freeze the
	 * screen in open()). */
	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		char *e = text_escape_str(path, strlen(path), 60);
		char *q = xasprintf("%s exists (%lld bytes): replace it with %s "
		    "(0600)?", e, (long long)st.st_size, done);
		app_ask(a, q, file_replace_confirmed);
		free(q);
		free(e);
		return;
	}
	file_write_now(a);
	app_file_job_free(a);
}

/* :write FILE: the pairs as a pairs file, which :load reads back as the
 * same rows. */
void
app_write_pairs(struct app *a, const char *path)
{
	char n[32], *done = xasprintf("%s row%s", fmt_count(n, a->ws.pairs->nrows),
	    plural_s(a->ws.pairs->nrows));

	app_write_file(a, FILE_PAIRS, path, NULL, done);
	free(done);
}
