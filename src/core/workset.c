/* workset.c: the pairs and choices of a working set, each change recorded
 * before it counts (workset.h). */
#include "hubassoc/workset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
workset_init(struct workset *w)
{
	memset(w, 0, sizeof(*w));
	w->pairs = input_new();
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
	input_free(w->pairs);
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
workset_rows_changed(struct workset *w, const uint32_t *rows, size_t n)
{
	int r = recording(w), f;

	if (r <= 0)
		return r;
	if ((f = flush_unrecorded(w)) < 0)
		return -1;
	for (size_t i = 0; f == 0 && i < n; i++)
		if (journal_pairs_replace(w->j, w->pairs, rows[i]) != 0)
			return -1;
	return 0;
}

int
workset_added(struct workset *w, size_t before)
{
	int r = recording(w), f;

	if (r == 0)
		return 0;
	if (r > 0 && (f = flush_unrecorded(w)) >= 0 && (f > 0 ||
	    journal_pairs_add(w->j, w->pairs, before, w->pairs->nrows - before) == 0))
		return 0;
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

	if (r < 0)
		return -1;
	input_row_text(w->pairs, row, &old);
	if (input_replace_row(w->pairs, row, text, strlen(text), cause) != 0) {
		buf_free(&old);
		errno = 0;
		return -1;
	}
	if (r == 0 || ((f = flush_unrecorded(w)) >= 0 && (f > 0 ||
	    journal_pairs_replace(w->j, w->pairs, row) == 0))) {
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
workset_delete(struct workset *w, size_t row, size_t n)
{
	int r = recording(w);

	if (r < 0 || (r > 0 && (flush_unrecorded(w) < 0 ||
	    journal_pairs_delete(w->j, row, n) != 0)))
		return -1;
	input_delete_rows(w->pairs, row, n);
	return 0;
}

int
workset_clear(struct workset *w)
{
	if (w->j != NULL && w->sent)
		/* The session keeps its rows; the next pairs are the next
		 * session's. */
		workset_close(w);
	else if (w->j != NULL && journal_pairs_clear(w->j) != 0)
		return -1;
	input_clear(w->pairs);
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

int
workset_to_session(const struct workset *w, struct session *s,
    const uint32_t *rows, size_t n, const struct assoc_labels *labels, size_t chunk,
    enum api_version api, struct plan *fresh, char **cause)
{
	bool first = s->in == NULL;
	size_t before = first ? 0 : s->in->nrows;

	if (first)
		s->in = input_new();
	input_copy_sources(s->in, w->pairs);
	if (w->pairs->lines > s->in->lines)
		s->in->lines = w->pairs->lines;
	/* The plan's rejections are made again by the session's plan. */
	for (size_t i = 0; i < n; i++)
		session_take_pair(s, w->pairs, rows[i], w->names);
	if (first) {
		if (workset_plan(w, s->in, &s->plan, labels, chunk, cause) != 0)
			return -1;
		/* Rows pending, no journal yet: a send that asks first. */
		session_prepare(s, api);
		return 0;
	}
	if (s->in->nrows == before)
		return 0;
	if (workset_plan(w, s->in, fresh, labels, chunk, cause) != 0)
		return -1;
	session_add_rows(s, fresh, before);
	return 0;
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

void
workset_close(struct workset *w)
{
	journal_close(w->j);
	w->j = NULL;
	w->sent = false;
	free(w->forked_from);
	w->forked_from = NULL;
}

/* The working set goes on in j, a new session's journal: its pairs and
 * choices written there first.  0; or -1 and *cause, j closed and the
 * working set as it was. */
static int
move_to(struct workset *w, struct journal *j, char **cause)
{
	if (journal_pairs_add(j, w->pairs, 0, w->pairs->nrows) != 0 ||
	    write_choice(w, j) != 0) {
		*cause = xasprintf("cannot write %s: %s", journal_path(j), strerror(errno));
		journal_close(j);
		return -1;
	}
	workset_close(w);
	w->j = j;
	w->unrecorded = false;
	return 0;
}

int
workset_fork(struct workset *w, struct journal_meta *meta, char **cause)
{
	struct journal *j = journal_create_draft(meta, cause);

	if (j == NULL || move_to(w, j, cause) != 0)
		return -1;
	free(w->forked_from);
	w->forked_from = w->id;
	free(w->created);
	w->id = meta->id;
	w->created = meta->created;
	meta->id = meta->created = NULL;
	return 0;
}

bool
workset_is(const struct workset *w, const char *path)
{
	return w->j != NULL && path != NULL && strcmp(journal_path(w->j), path) == 0;
}

struct journal *
workset_for_send(struct workset *w, struct journal_meta *meta,
    const struct input *in, const struct plan *p, char **cause)
{
	/* The first send of a draft: the same session, in place. */
	if (w->j != NULL && !w->sent) {
		free(meta->id);
		free(meta->created);
		meta->id = xstrdup(w->id);
		meta->created = xstrdup(w->created);
		if (journal_begin_sends(w->j, meta, in, p, cause) != 0)
			return NULL;
		w->sent = true;
		return w->j;
	}
	/* Else the next session, which takes the working set along. */
	struct journal *j = journal_create(meta, in, p, cause);
	if (j == NULL || move_to(w, j, cause) != 0)
		return NULL;
	w->sent = true;
	free(w->id);
	free(w->created);
	w->id = xstrdup(meta->id);
	w->created = xstrdup(meta->created);
	return j;
}

int
workset_reopen(struct workset *w, const char *path, struct session *s,
    struct pairs_choice *c, char **cause)
{
	struct input *pairs = input_new();
	bool same = workset_is(w, path);
	struct journal *j = same ? NULL : journal_reopen(path, cause);

	memset(s, 0, sizeof(*s));
	memset(c, 0, sizeof(*c));
	if ((j == NULL && !same) || journal_pairs_read(path, pairs, c, cause) != 0 ||
	    journal_load(path, s, cause) != 0) {
		pairs_choice_free(c);
		journal_close(j);
		input_free(pairs);
		return -1;
	}
	if (j != NULL) {
		workset_close(w);
		w->j = j;
	}
	w->sent = s->nsends > 0;
	free(w->id);
	free(w->created);
	w->id = xstrdup(s->meta.id);
	w->created = xstrdup(s->meta.created != NULL ? s->meta.created : "");
	input_free(w->pairs);
	w->pairs = pairs;
	/* No working set recorded: the session's rows are the pairs, as
	 * parsed, recorded with the first change; the choices its first
	 * send's. */
	w->unrecorded = false;
	if (pairs->nrows == 0 && s->nsends > 0) {
		input_copy_sources(pairs, s->in);
		pairs->lines = s->in->lines;
		for (size_t i = 0; i < s->in->nrows; i++) {
			input_copy_row(pairs, s->in, i);
			if (s->in->rows[i].line > pairs->lines)
				pairs->lines = s->in->rows[i].line;
		}
		w->unrecorded = s->in->nrows > 0;
	}
	if (!c->made && s->nsends > 0) {
		pairs_choice_free(c);
		c->from = xstrdup(s->from.path);
		c->to = xstrdup(s->to.path);
		c->types = session_types_text(s);
		c->op = s->plan.op;
		c->create_missing = s->plan.relabel.create_missing;
		if (s->plan.op == PLAN_OP_RELABEL)
			c->replace = plan_relabel_text(&s->plan);
	}
	return 0;
}
