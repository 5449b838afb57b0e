/*
 * workset.c: the pairs on screen are a session's working set, journaled
 * from their first row (draft.c): each change is recorded, synced, before
 * it shows, so q, a crash or a kill loses nothing.  The first send turns
 * the draft into a session in place; a send after it starts the next
 * session, which takes the working set with it.  The journal is held
 * (locked) while it is the working set: a second hubassoc can neither
 * edit nor send it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"
#include "hubassoc/text.h"

static void
meta_of(const struct app *a, struct journal_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->profile = xstrdup(a->conn.prof.name != NULL ? a->conn.prof.name :
	    a->opts->given.set.profile != NULL ? a->opts->given.set.profile : "default");
	m->base_url = a->connected ? xstrdup(a->conn.base_url) : NULL;
	m->api_version = xstrdup(api_version_name(a->connected ? a->conn.api : API_V4));
}

/* The journal of the working set, begun with the first change. */
static struct journal *
work_journal(struct app *a)
{
	struct journal_meta m;
	char *cause = NULL;

	if (a->work != NULL)
		return a->work;
	meta_of(a, &m);
	a->work = journal_create_draft(&m, &cause);
	if (a->work == NULL) {
		app_status(a, true, "the pairs cannot be journaled: %s", cause);
		free(cause);
		journal_meta_free(&m);
		return NULL;
	}
	free(a->work_id);
	free(a->work_created);
	a->work_id = m.id;
	a->work_created = m.created;
	m.id = m.created = NULL;
	journal_meta_free(&m);
	a->work_sent = false;
	/* What was chosen before the first row. */
	if (a->have_from || a->have_to || a->types_text != NULL)
		work_choice(a);
	return a->work;
}

/* The pairs taken from a session's rows, recorded as its working set
 * before the first change is: 1 when that recorded the change too. */
static int
flush_unrecorded(struct app *a, struct journal *j)
{
	if (!a->work_unrecorded)
		return 0;
	if (journal_pairs_add(j, a->pairs, 0, a->pairs->nrows) != 0)
		return -1;
	a->work_unrecorded = false;
	return 1;
}

/* A record that could not be written: the change is not made. */
static int
refused(struct app *a, const char *what)
{
	app_status(a, true, "%s not made: the journal cannot be written (%s); the "
	    "pairs are as they were", what, strerror(errno));
	return -1;
}

int
work_add(struct app *a, size_t before)
{
	if (a->work_quiet)
		return 0;
	struct journal *j = work_journal(a);
	int f = j != NULL ? flush_unrecorded(a, j) : -1;
	if (f > 0 || (f == 0 && journal_pairs_add(j, a->pairs, before,
	    a->pairs->nrows - before) == 0))
		return 0;
	input_delete_rows(a->pairs, before, a->pairs->nrows - before);
	return j == NULL ? -1 : refused(a, "the rows were");
}

int
work_replace(struct app *a, size_t row, const char *old_text)
{
	char *cause = NULL;

	if (a->work_quiet)
		return 0;
	struct journal *j = work_journal(a);
	int f = j != NULL ? flush_unrecorded(a, j) : -1;
	if (f > 0 || (f == 0 && journal_pairs_replace(j, a->pairs, row) == 0))
		return 0;
	int saved = errno;
	if (input_replace_row(a->pairs, row, old_text, strlen(old_text), &cause) != 0)
		free(cause);
	errno = saved;
	return j == NULL ? -1 : refused(a, "the change was");
}

int
work_delete(struct app *a, size_t row, size_t n)
{
	if (a->work_quiet)
		return 0;
	struct journal *j = work_journal(a);
	if (j == NULL)
		return -1;
	return flush_unrecorded(a, j) >= 0 && journal_pairs_delete(j, row, n) == 0 ?
	    0 : refused(a, "the deletion was");
}

int
work_clear(struct app *a)
{
	if (a->work == NULL)
		return 0;
	if (a->work_sent) {
		/* The session keeps its rows; the next pairs are the next
		 * session's. */
		work_close(a);
		return 0;
	}
	return journal_pairs_clear(a->work) == 0 ? 0 : refused(a, "the clearing was");
}

void
work_choice(struct app *a)
{
	if (a->work == NULL || a->work_quiet)
		return;
	if (journal_choice(a->work, a->have_from ? a->from.path : NULL,
	    a->have_to ? a->to.path : NULL, a->types_text) != 0)
		app_status(a, true, "the choice is not journaled: %s", strerror(errno));
}

void
work_close(struct app *a)
{
	if (a->run != NULL && a->run->journal == a->work)
		a->run->journal = NULL;
	journal_close(a->work);
	a->work = NULL;
	a->work_sent = false;
}

struct journal *
work_for_send(struct app *a, struct journal_meta *meta, const struct input *in,
    const struct plan *p, char **cause)
{
	/* The first send of a draft: the same session, in place. */
	if (a->work != NULL && !a->work_sent) {
		free(meta->id);
		free(meta->created);
		meta->id = xstrdup(a->work_id);
		meta->created = xstrdup(a->work_created);
		if (journal_begin_sends(a->work, meta, in, p, cause) != 0)
			return NULL;
		a->work_sent = true;
		return a->work;
	}
	/* Else the next session, which takes the working set along. */
	struct journal *j = journal_create(meta, in, p, cause);
	if (j == NULL)
		return NULL;
	if (journal_pairs_add(j, a->pairs, 0, a->pairs->nrows) != 0 ||
	    journal_choice(j, a->have_from ? a->from.path : NULL,
	    a->have_to ? a->to.path : NULL, a->types_text) != 0) {
		*cause = xasprintf("cannot write %s: %s", journal_path(j), strerror(errno));
		journal_close(j);
		return NULL;
	}
	work_close(a);
	a->work = j;
	a->work_sent = true;
	free(a->work_id);
	free(a->work_created);
	a->work_id = xstrdup(meta->id);
	a->work_created = xstrdup(meta->created);
	return j;
}

bool
work_is(const struct app *a, const char *path)
{
	return a->work != NULL && path != NULL &&
	    strcmp(journal_path(a->work), path) == 0;
}

/* Reopens a session's working set: its pairs, its choices, and its sends
 * as the current session. */
int
work_reopen(struct app *a, const char *path)
{
	struct pairs_choice c;
	struct session s;
	char *cause = NULL, n1[32];
	struct input *pairs = input_new();

	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		input_free(pairs);
		return -1;
	}
	struct journal *j = work_is(a, path) ? NULL : journal_reopen(path, &cause);
	if ((j == NULL && !work_is(a, path)) ||
	    journal_pairs_read(path, pairs, &c, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		journal_close(j);
		input_free(pairs);
		return -1;
	}
	if (journal_load(path, &s, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		pairs_choice_free(&c);
		journal_close(j);
		input_free(pairs);
		return -1;
	}
	if (j != NULL) {
		work_close(a);
		a->work = j;
	}
	a->work_sent = s.nsends > 0;
	free(a->work_id);
	free(a->work_created);
	a->work_id = xstrdup(s.meta.id);
	a->work_created = xstrdup(s.meta.created != NULL ? s.meta.created : "");
	/* The pairs and the choices as they were, not journaled again. */
	a->work_quiet = true;
	input_free(a->pairs);
	a->pairs = pairs;
	app_pairs_changed(a);
	/* The choices recorded; a session sent from the command line has
	 * none, and its first send's are taken. */
	struct objtype t;
	const char *from = c.from, *to = c.to, *types = c.types;
	if (!c.made && s.nsends > 0) {
		from = s.from.path;
		to = s.to.path;
		types = s.meta.types;
	}
	/* No working set recorded: the session's rows are the pairs, as
	 * parsed, recorded with the first change. */
	a->work_unrecorded = false;
	if (a->pairs->nrows == 0 && s.nsends > 0) {
		input_copy_sources(a->pairs, s.in);
		a->pairs->lines = s.in->lines;
		for (size_t i = 0; i < s.in->nrows; i++) {
			input_copy_row(a->pairs, s.in, i);
			if (s.in->rows[i].line > a->pairs->lines)
				a->pairs->lines = s.in->rows[i].line;
		}
		a->work_unrecorded = s.in->nrows > 0;
		app_pairs_changed(a);
	}
	if (from != NULL && objtype_parse(from, &t, &cause) == 0)
		app_set_from_to(a, 0, &t);
	free(cause);
	cause = NULL;
	if (to != NULL && objtype_parse(to, &t, &cause) == 0)
		app_set_from_to(a, 1, &t);
	free(cause);
	if (types != NULL && types[0] != '\0')
		app_set_types_text(a, types);
	a->work_quiet = false;
	pairs_choice_free(&c);
	if (s.nsends > 0) {
		app_adopt_session(a, &s, path);
	} else {
		session_free(&s);
		app_run_free(a->run);
		a->run = NULL;
		a->gen++;
	}
	app_show(a, VIEW_PAIRS);
	app_status(a, false, "session %s reopened: %s pair%s", a->work_id,
	    fmt_count(n1, a->pairs->nrows), plural_s(a->pairs->nrows));
	return 0;
}

static void
reopen_confirmed(struct app *a, bool yes)
{
	char *path = a->reopen_path;

	a->reopen_path = NULL;
	if (yes && path != NULL)
		work_reopen(a, path);
	else if (path != NULL)
		app_status(a, false, "a new session starts with the first pair; the "
		    "history (5) holds the others");
	free(path);
}

/* The newest session made here, when it has rows not sent yet: offered. */
void
work_offer_last(struct app *a)
{
	char **paths, *cause = NULL, n1[32], n2[32];
	size_t n;

	if (journal_list(&paths, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (size_t i = 0; i < n && a->reopen_path == NULL; i++) {
		struct journal_meta m;
		if (journal_peek(paths[i], &m, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		bool terminal = m.input_name == NULL ||
		    strcmp(m.input_name, APP_INPUT_NAME) == 0;
		size_t rows = 0, unsent = m.counts[OUTCOME_PENDING] +
		    m.counts[OUTCOME_NOT_SENT] + m.counts[OUTCOME_UNCONFIRMED];
		for (int k = 0; k < OUTCOME_COUNT; k++)
			rows += m.counts[k];
		if (terminal && unsent > 0) {
			struct buf q = BUF_INIT;
			a->reopen_path = xstrdup(paths[i]);
			buf_printf(&q, "Reopen session %s (%s row%s, %s not sent)? [y/n]",
			    m.id, fmt_count(n1, rows), plural_s(rows), fmt_count(n2, unsent));
			char *safe = text_escape_str(q.data, q.len, SIZE_MAX);
			app_ask(a, safe, reopen_confirmed);
			free(safe);
			buf_free(&q);
		}
		journal_meta_free(&m);
		/* Only the last session made here is offered. */
		if (terminal)
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
