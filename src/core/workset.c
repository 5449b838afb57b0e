/* workset.c: the pairs and choices of a working set, one store with the
 * session they are, each change recorded before it counts (workset.h). */
#include "hubassoc/workset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/key.h"

/* A session of no rows yet: the working set's, empty. */
static void
session_fresh(struct workset *w, struct input *in)
{
	memset(&w->s, 0, sizeof(w->s));
	w->s.in = in != NULL ? in : input_new();
	w->pairs = w->s.in;
	w->joined = w->joined_sets = 0;
}

void
workset_init(struct workset *w)
{
	memset(w, 0, sizeof(*w));
	session_fresh(w, NULL);
}

static void
types_free(struct workset *w)
{
	for (size_t i = 0; i < w->ntypes; i++)
		assoc_spec_clear(&w->types[i]);
	free(w->types);
	w->types = NULL;
	w->ntypes = 0;
}

void
workset_free(struct workset *w)
{
	workset_close(w);
	session_free(&w->s);
	types_free(w);
	free(w->types_text);
	free(w->replace);
	free(w->id);
	free(w->created);
	free(w->forked_from);
	names_free(&w->names[0]);
	names_free(&w->names[1]);
	memset(w, 0, sizeof(*w));
}

/* The types a session's first send sent, as it resolved them
 * ("USER_DEFINED:36"): what its --type or :type said ("36", "Billing
 * contact") would be resolved again against labels that may not be
 * readable (a refused token) or may have changed; else as said. */
static char *
session_types_text(const struct session *s)
{
	const struct plan_types *t = s->plan.ntypes > 0 ? &s->plan.types[0] : NULL;

	if (t == NULL || !t->ok || t->n == 0)
		return s->meta.types != NULL ? xstrdup(s->meta.types) : NULL;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < t->n; i++) {
		if (i > 0)
			buf_addc(&b, ';');
		assoc_spec_format(&b, &t->specs[i]);
	}
	return buf_detach(&b);
}

int
workset_begin(struct workset *w, struct journal_meta *meta, char **cause)
{
	if (w->j != NULL)
		return 0;
	w->j = journal_create_draft(meta, cause);
	if (w->j == NULL)
		return -1;
	free(w->id);
	free(w->created);
	w->id = meta->id;
	w->created = meta->created;
	meta->id = meta->created = NULL;
	w->sent = false;
	/* What was chosen before the first row. */
	if (w->have_from || w->have_to || w->types_text != NULL)
		return workset_choice(w);
	return 0;
}

bool
workset_shown(const struct workset *w, size_t row)
{
	return w->s.retired == NULL || row >= w->s.out.n || !w->s.retired[row];
}

size_t
workset_shown_index(const struct workset *w, size_t row)
{
	size_t k = row;

	for (size_t i = 0; w->s.retired != NULL && i < row && i < w->s.out.n; i++)
		k -= w->s.retired[i];
	return k;
}

/* The pairs taken from a session's rows, recorded as its working set
 * before the first change is: 1 when that recorded the change too. */
static int
flush_unrecorded(struct workset *w)
{
	if (!w->unrecorded)
		return 0;
	if (journal_pairs_add(w->j, w->pairs, 0, w->pairs->nrows) != 0)
		return -1;
	w->unrecorded = false;
	return 1;
}

/* Whether a change is to be recorded; -1 (errno EBADF) with no journal. */
static int
recording(struct workset *w)
{
	if (w->quiet)
		return 0;
	if (w->j == NULL) {
		errno = EBADF;
		return -1;
	}
	return 1;
}

int
workset_added(struct workset *w, size_t before)
{
	int r = recording(w), f;

	if (r == 0 || (r > 0 && (f = flush_unrecorded(w)) >= 0 && (f > 0 ||
	    journal_pairs_add(w->j, w->pairs, before, w->pairs->nrows - before) == 0))) {
		session_rows_fit(&w->s, w->pairs->nrows);
		return 0;
	}
	int saved = errno;
	input_delete_rows(w->pairs, before, w->pairs->nrows - before);
	errno = saved;
	return -1;
}

int
workset_replace(struct workset *w, size_t row, const char *text, char **cause)
{
	struct buf old = BUF_INIT;
	int r = recording(w), f;

	if (row < w->joined) {
		*cause = xstrdup("a row of the session changes as its edit");
		errno = 0;
		return -1;
	}
	if (r < 0)
		return -1;
	input_row_text(w->pairs, row, &old);
	if (input_replace_row(w->pairs, row, text, strlen(text), cause) != 0) {
		buf_free(&old);
		errno = 0;
		return -1;
	}
	if (r == 0 || ((f = flush_unrecorded(w)) >= 0 && (f > 0 ||
	    journal_pairs_replace(w->j, w->pairs, row, workset_shown_index(w, row)) == 0))) {
		buf_free(&old);
		return 0;
	}
	int saved = errno;
	char *ignored = NULL;
	if (input_replace_row(w->pairs, row, old.data, old.len, &ignored) != 0)
		free(ignored);
	buf_free(&old);
	errno = saved;
	return -1;
}

int
workset_edit(struct workset *w, size_t row, const char *text,
    const char *const keys[2], char **cause)
{
	if (row >= w->joined || w->j == NULL) {
		*cause = xstrdup("not a row of the session");
		errno = 0;
		return -1;
	}
	errno = 0;
	return session_edit_row(&w->s, w->j, (uint32_t)row, text, keys, w->joined, cause);
}

int
workset_delete(struct workset *w, size_t row)
{
	int r = recording(w);
	uint32_t one = (uint32_t)row;

	if (r < 0 || row >= w->pairs->nrows)
		return -1;
	size_t at = workset_shown_index(w, row);
	if (r > 0 && flush_unrecorded(w) < 0)
		return -1;
	if (row >= w->joined) {
		/* Not the session's yet: gone. */
		if (r > 0 && journal_pairs_delete(w->j, at, 1) != 0)
			return -1;
		input_delete_rows(w->pairs, row, 1);
		workset_unplanned(w);       /* its rows after it, planned again */
		return 0;
	}
	/* The session's: retired, so that no retry or resume sends it again;
	 * one not sent is not_sent at once, and the counts recorded, so that
	 * history, show and Results agree. */
	if (r > 0 && (journal_retire(w->j, &one, 1) != 0 ||
	    journal_pairs_delete(w->j, at, 1) != 0))
		return -1;
	if (session_retire(&w->s, &one, 1) && session_retired_settle(&w->s) > 0 &&
	    r > 0 && session_journal_counts(&w->s, w->j, w->joined) != 0)
		return -1;
	return 0;
}

int
workset_rows_changed(struct workset *w, const uint32_t *rows, size_t n)
{
	int r = recording(w), f;
	bool counted = false;

	if (r <= 0)
		return r;
	if ((f = flush_unrecorded(w)) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint32_t row = rows[i];
		if (row >= w->joined) {
			if (f == 0 && journal_pairs_replace(w->j, w->pairs, row,
			    workset_shown_index(w, row)) != 0)
				return -1;
			continue;
		}
		/* A row of the session edited with keys, given its IDs: its
		 * edit again, as it reads now. */
		const struct input_row *x = &w->pairs->rows[row];
		const char *k[2] = { NULL, NULL };
		struct buf text = BUF_INIT;
		for (int side = 0; side < 2 && (x->flags & INPUT_ROW_KEYS); side++)
			k[side] = input_row_key(w->pairs, x, side);
		input_row_text(w->pairs, row, &text);
		int rc = journal_edit(w->j, row, buf_str(&text), k);
		buf_free(&text);
		if (rc != 0)
			return -1;
		if (x->flags & INPUT_ROW_KEYS)
			w->s.keyed = true;
		session_row_restate(&w->s, row, (enum outcome)w->s.out.state[row]);
		counted = true;
	}
	return counted ? session_journal_counts(&w->s, w->j, w->joined) : 0;
}

int
workset_clear(struct workset *w, struct session *gone)
{
	memset(gone, 0, sizeof(*gone));
	if (w->j != NULL && w->sent) {
		/* The session keeps its rows; the next pairs are the next
		 * session's. */
		workset_close(w);
		*gone = w->s;
		session_fresh(w, NULL);
	} else {
		if (w->j != NULL && journal_pairs_clear(w->j) != 0)
			return -1;
		session_free(&w->s);
		session_fresh(w, NULL);
	}
	w->unrecorded = false;
	return 0;
}

/* The choices, as j records them. */
static int
write_choice(const struct workset *w, struct journal *j)
{
	return journal_choice(j, w->have_from ? w->from.path : NULL,
	    w->have_to ? w->to.path : NULL, w->types_text, w->op, w->replace,
	    w->create_missing);
}

int
workset_choice(struct workset *w)
{
	if (w->j == NULL || w->quiet)
		return 0;
	return write_choice(w, w->j);
}

void
workset_set_op(struct workset *w, enum plan_op op, const char *replace,
    bool create_missing)
{
	char *r = replace != NULL && replace[0] != '\0' ? xstrdup(replace) : NULL;

	free(w->replace);
	w->op = op;
	w->replace = op == PLAN_OP_RELABEL ? r : NULL;
	if (w->replace != r)
		free(r);
	w->create_missing = op == PLAN_OP_RELABEL && create_missing;
}

int
workset_plan(const struct workset *w, const struct input *in, struct plan *p,
    const struct assoc_labels *labels, size_t chunk, char **cause)
{
	/* A remove takes every type its pairs hold: the types chosen are not
	 * its (before, its rows were recorded and exported with them). */
	bool all = w->op == PLAN_OP_REMOVE;

	if (plan_build_op(p, w->op, in, &w->from, &w->to, all ? NULL : w->types,
	    all ? 0 : w->ntypes, labels, chunk, cause) != 0)
		return -1;
	if (w->op == PLAN_OP_RELABEL && plan_relabel_set(p, w->replace,
	    w->create_missing, labels, cause) != 0) {
		plan_free(p);
		memset(p, 0, sizeof(*p));
		return -2;
	}
	return 0;
}

void
workset_unplanned(struct workset *w)
{
	w->keys = w->unresolved = 0;
	session_rows_fit(&w->s, w->joined);
	session_rows_fit(&w->s, w->pairs->nrows);
}

int
workset_replan(struct workset *w, const struct assoc_labels *labels, size_t chunk,
    char **cause)
{
	struct session *s = &w->s;
	struct plan p;
	int rc = workset_plan(w, s->in, &p, labels, chunk, cause);

	if (rc != 0) {
		workset_unplanned(w);
		return rc;
	}
	w->keys = p.keys;
	w->unresolved = p.unresolved;
	if (w->joined == 0 && s->nsends == 0) {
		/* A draft: its plan is the session's, every row as it says. */
		if (s->plan.state != NULL || s->plan.types != NULL)
			plan_free(&s->plan);
		if (s->out.state != NULL)
			outcomes_free(&s->out);
		s->plan = p;
		s->from = p.from;
		s->to = p.to;
		outcomes_init(&s->out, &s->plan, false);
		return 0;
	}
	/* Added since: planned against the session's rows, waiting for its
	 * next send. */
	session_rows_fit(s, w->joined);
	session_add_rows(s, &p, w->joined);
	plan_free(&p);
	return 0;
}

void
workset_close(struct workset *w)
{
	journal_close(w->j);
	w->j = NULL;
	w->sent = false;
	free(w->forked_from);
	w->forked_from = NULL;
}

int
workset_fork(struct workset *w, struct journal_meta *meta, struct session *gone,
    char **cause)
{
	struct input *in = input_new();

	memset(gone, 0, sizeof(*gone));
	input_copy_sources(in, w->pairs);
	in->lines = w->pairs->lines;
	for (size_t i = 0; i < w->pairs->nrows; i++)
		if (workset_shown(w, i))
			input_copy_row(in, w->pairs, i);
	struct journal *j = journal_create_draft(meta, cause);
	if (j == NULL || journal_pairs_add(j, in, 0, in->nrows) != 0 ||
	    write_choice(w, j) != 0) {
		if (j != NULL && *cause == NULL)
			*cause = xasprintf("cannot write %s: %s", journal_path(j),
			    strerror(errno));
		journal_close(j);
		input_free(in);
		return -1;
	}
	char *from = w->id;
	w->id = NULL;
	workset_close(w);
	w->j = j;
	w->unrecorded = false;
	w->forked_from = from;
	w->fork_clean = true;
	free(w->created);
	w->id = meta->id;
	w->created = meta->created;
	meta->id = meta->created = NULL;
	*gone = w->s;
	session_fresh(w, in);
	session_rows_fit(&w->s, in->nrows);
	return 0;
}

bool
workset_is(const struct workset *w, const char *path)
{
	return w->j != NULL && path != NULL && strcmp(journal_path(w->j), path) == 0;
}

int
workset_first_send(struct workset *w, struct journal_meta *meta, enum api_version api,
    char **cause)
{
	if (w->j == NULL || w->sent || w->joined > 0) {
		*cause = xstrdup("the pairs are not a draft to send");
		return -1;
	}
	free(meta->id);
	free(meta->created);
	meta->id = xstrdup(w->id);
	meta->created = xstrdup(w->created);
	if (journal_begin_sends(w->j, meta, w->pairs, &w->s.plan, cause) != 0)
		return -1;
	/* The names the keys' lookup brought, the session's. */
	session_take_names(&w->s, 0, w->names, NULL);
	session_begin(&w->s, meta, journal_path(w->j), api);
	w->sent = true;
	w->joined = w->pairs->nrows;
	w->joined_sets = w->pairs->nsets;
	return 0;
}

int
workset_join(struct workset *w, char **cause)
{
	struct names added[2] = { 0 };
	int rc = 0;

	if (w->joined >= w->pairs->nrows)
		return 0;
	session_take_names(&w->s, w->joined, w->names, added);
	if (journal_rows_added(w->j, w->pairs, &w->s.plan, w->joined, w->joined_sets) != 0 ||
	    journal_names(w->j, added) != 0) {
		*cause = xasprintf("cannot write %s: %s", journal_path(w->j), strerror(errno));
		rc = -1;
	} else {
		w->joined = w->pairs->nrows;
		w->joined_sets = w->pairs->nsets;
	}
	names_free(&added[0]);
	names_free(&added[1]);
	return rc;
}

int
workset_set_types(struct workset *w, const char *text, char **cause)
{
	struct assoc_spec *specs = NULL;
	size_t n = 0;
	const char *p = text;

	while (*p != '\0') {
		const char *semi = strchr(p, ';');
		size_t len = semi != NULL ? (size_t)(semi - p) : strlen(p);
		struct assoc_spec s;
		if (len > 0 && assoc_spec_parse(p, len, &s, cause) != 0) {
			for (size_t i = 0; i < n; i++)
				assoc_spec_clear(&specs[i]);
			free(specs);
			return -1;
		}
		if (len > 0) {
			specs = xreallocarray(specs, n + 1, sizeof(*specs));
			specs[n++] = s;
		}
		p = semi != NULL ? semi + 1 : p + len;
	}
	types_free(w);
	w->types = specs;
	w->ntypes = n;
	free(w->types_text);
	w->types_text = xstrdup(text);
	return 0;
}

/* Whether a pair replayed reads as the session's row: its IDs, detail and
 * types as written. */
static bool
reads_same(const struct input *a, const struct input_row *x, const struct input *b,
    const struct input_row *y)
{
	return strcmp(input_from(a, x), input_from(b, y)) == 0 &&
	    strcmp(input_to(a, x), input_to(b, y)) == 0 &&
	    strcmp(input_detail(a, x), input_detail(b, y)) == 0 &&
	    strcmp(a->sets[x->set].text, b->sets[y->set].text) == 0;
}

struct by_line { uint32_t line, row; };

static int
by_line_cmp(const void *a, const void *b)
{
	const struct by_line *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * The pairs replayed, made one with the session's rows s (once, as it is
 * reopened): a pair the session has (its line) is its row; one it lacks
 * was added since its last send, and goes after its rows.  A journal
 * written before the terminal recorded edits as the session's has its
 * edits in the pairs alone: made the session's (its edit records, in j).
 * A row of the session no pair is any more was deleted: retired.
 */
static int
reconcile(struct session *s, const struct input *pairs, struct journal *j,
    char **cause)
{
	size_t n = s->in->nrows;
	struct by_line *lines = xcalloc(n + 1, sizeof(*lines));
	uint8_t *seen = xcalloc(n + 1, 1);
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		lines[i] = (struct by_line){ s->in->rows[i].line, (uint32_t)i };
	qsort(lines, n, sizeof(*lines), by_line_cmp);
	input_copy_sources(s->in, pairs);
	if (pairs->lines > s->in->lines)
		s->in->lines = pairs->lines;
	for (size_t p = 0; p < pairs->nrows && rc == 0; p++) {
		const struct input_row *y = &pairs->rows[p];
		struct by_line key = { y->line, 0 };
		const struct by_line *at = n > 0 ? bsearch(&key, lines, n, sizeof(*lines),
		    by_line_cmp) : NULL;
		if (at == NULL) {
			input_copy_row(s->in, pairs, p);
			continue;
		}
		seen[at->row] = 1;
		if (s->meta.edits_journaled ||
		    reads_same(s->in, &s->in->rows[at->row], pairs, y))
			continue;
		struct buf text = BUF_INIT;
		const char *k[2] = { input_row_key(pairs, y, 0), input_row_key(pairs, y, 1) };
		input_row_text(pairs, p, &text);
		char *why = NULL;
		errno = 0;
		if (session_edit_row(s, j, at->row, buf_str(&text), k, n, &why) != 0) {
			/* A row that cannot change (or an edit the session cannot
			 * read without the portal's labels): the pair is a new one. */
			free(why);
			if (errno != 0 && session_row_editable(s, at->row)) {
				*cause = xasprintf("cannot write %s: %s", journal_path(j),
				    strerror(errno));
				rc = -1;
			} else
				input_copy_row(s->in, pairs, p);
		}
		buf_free(&text);
	}
	/* Deleted before deletions were recorded as the session's: retired
	 * here (its journal is not changed: they were not sent again). */
	uint32_t *gone = xcalloc(n + 1, sizeof(*gone));
	size_t ngone = 0;
	for (size_t i = 0; i < n; i++)
		if (!seen[i] && (s->retired == NULL || !s->retired[i]))
			gone[ngone++] = (uint32_t)i;
	if (ngone > 0) {
		session_retire(s, gone, ngone);
		session_retired_settle(s);
	}
	free(gone);
	free(seen);
	free(lines);
	return rc;
}

int
workset_reopen(struct workset *w, const char *path, struct pairs_choice *c,
    char **cause)
{
	struct input *pairs = input_new();
	struct session s;
	bool same = workset_is(w, path);
	struct journal *j = same ? NULL : journal_reopen(path, cause);

	memset(&s, 0, sizeof(s));
	memset(c, 0, sizeof(*c));
	if ((j == NULL && !same) || journal_pairs_read(path, pairs, c, cause) != 0 ||
	    journal_load(path, &s, cause) != 0)
		goto fail;
	bool unrecorded = false;
	char *id = xstrdup(s.meta.id != NULL ? s.meta.id : ""),
	    *created = xstrdup(s.meta.created != NULL ? s.meta.created : "");
	if (s.nsends == 0) {
		/* A draft: its pairs are its rows. */
		session_free(&s);
		memset(&s, 0, sizeof(s));
		s.in = pairs;
		pairs = NULL;
	} else if (pairs->nrows == 0) {
		/* No working set recorded: the session's rows are the pairs, as
		 * parsed, recorded with the first change. */
		unrecorded = s.in->nrows > 0;
	} else if (reconcile(&s, pairs, j != NULL ? j : w->j, cause) != 0) {
		free(id);
		free(created);
		goto fail;
	}
	input_free(pairs);
	if (j != NULL) {
		workset_close(w);
		w->j = j;
	}
	size_t joined = s.nsends > 0 ? s.out.n : 0, joined_sets = s.nsends > 0 ?
	    s.in->nsets : 0;
	if (!c->made && s.nsends > 0) {
		pairs_choice_free(c);
		c->from = xstrdup(s.from.path);
		c->to = xstrdup(s.to.path);
		c->types = session_types_text(&s);
		c->op = s.plan.op;
		c->create_missing = s.plan.relabel.create_missing;
		if (s.plan.op == PLAN_OP_RELABEL)
			c->replace = plan_relabel_text(&s.plan);
	}
	w->sent = s.nsends > 0;
	free(w->id);
	free(w->created);
	w->id = id;
	w->created = created;
	session_free(&w->s);
	w->s = s;
	w->pairs = s.in;
	w->joined = joined;
	w->joined_sets = joined_sets;
	w->unrecorded = unrecorded;
	session_rows_fit(&w->s, w->pairs->nrows);
	return 0;
fail:
	pairs_choice_free(c);
	journal_close(j);
	input_free(pairs);
	session_free(&s);
	return -1;
}
