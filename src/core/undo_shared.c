/* undo_shared.c: the pairs an undo takes off that other sessions count as
 * theirs (undo.h, undo_plan_shared). */
#include <stdlib.h>
#include <string.h>

#include "hubassoc/config.h"
#include "hubassoc/journal.h"
#include "hubassoc/undo.h"

/* An act that takes something off a pair, by its pair: sorted, to find
 * another session's rows among them. */
struct taken {
	const char *from, *to;
	size_t act;
};

static int
taken_cmp(const void *a, const void *b)
{
	const struct taken *x = a, *y = b;
	int c = strcmp(x->from, y->from);

	return c != 0 ? c : strcmp(x->to, y->to);
}

/* Whether session m could have written the pairs of s: another session,
 * not undone, that adds (a create or a relabel), in the same direction on
 * the same portal, with a row it wrote. */
static bool
may_share(const struct session *s, const struct journal_meta *m)
{
	const struct journal_meta *own = &s->meta;

	if (m->id == NULL || own->id == NULL || strcmp(m->id, own->id) == 0 ||
	    m->undo != SESSION_UNDO_NONE || plan_op_removes(m->op) ||
	    m->counts[OUTCOME_CREATED] == 0 || m->from_path == NULL ||
	    m->to_path == NULL || own->from_path == NULL || own->to_path == NULL ||
	    strcmp(m->from_path, own->from_path) != 0 ||
	    strcmp(m->to_path, own->to_path) != 0)
		return false;
	/* The built-in sandbox is one portal, whatever its port. */
	if (own->sandbox > 0 || m->sandbox > 0)
		return own->sandbox > 0 && m->sandbox > 0;
	return own->base_url != NULL && m->base_url != NULL &&
	    settings_same_place(m->base_url, own->base_url, false);
}

/* Whether row i of session o wrote what act a takes off: the pair, or one
 * of the types it unlabels. */
static bool
row_shares(const struct session *o, size_t i, const struct undo_act *a)
{
	if (a->kind == UNDO_ARCHIVE)
		return true;
	const struct plan_types *t = plan_row_types(&o->plan, o->in, i);
	for (size_t k = 0; t != NULL && t->ok && k < t->n; k++)
		for (size_t x = 0; x < a->n; x++)
			if (t->specs[k].cat == a->types[x].cat &&
			    t->specs[k].type_id == a->types[x].type_id)
				return true;
	return false;
}

/* Marks in shared[] the acts whose pair a row of session o wrote; returns
 * whether there was one (marked by a newer session already, or not). */
static bool
mark_shared(const struct session *o, const struct taken *v, size_t n,
    const struct undo_plan *u, bool *shared)
{
	bool any = false;

	for (size_t i = 0; i < o->in->nrows; i++) {
		const struct input_row *r = &o->in->rows[i];
		if (!outcomes_wrote(&o->out, i) || r->status != ROW_VALID)
			continue;
		struct taken key = { input_from(o->in, r), input_to(o->in, r), 0 };
		const struct taken *hit = bsearch(&key, v, n, sizeof(*v), taken_cmp);
		if (hit == NULL)
			continue;
		/* Every act on that pair: they sort together. */
		while (hit > v && taken_cmp(hit - 1, &key) == 0)
			hit--;
		for (; hit < v + n && taken_cmp(hit, &key) == 0; hit++)
			if (row_shares(o, i, &u->v[hit->act])) {
				shared[hit->act] = true;
				any = true;
			}
	}
	return any;
}

void
undo_plan_shared(const struct session *s, struct undo_plan *u)
{
	struct taken *v = xcalloc(u->n + 1, sizeof(*v));
	bool *shared = xcalloc(u->n + 1, sizeof(*shared));
	char **paths = NULL, *cause = NULL;
	size_t n = 0, npaths = 0;

	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].kind == UNDO_ARCHIVE || u->v[i].kind == UNDO_UNLABEL)
			v[n++] = (struct taken){ u->v[i].from, u->v[i].to, i };
	qsort(v, n, sizeof(*v), taken_cmp);
	if (n > 0 && journal_list(&paths, &npaths, &cause) != 0) {
		/* Not known: the plan is as it was without it. */
		free(cause);
		cause = NULL;
	}
	for (size_t p = 0; p < npaths; p++) {
		struct journal_meta m;
		struct session o;
		/* A journal that does not read is no session's (history
		 * says so); the meta is freed either way (peek zeroes it). */
		bool may = journal_peek(paths[p], &m, &cause) == 0 && may_share(s, &m);
		journal_meta_free(&m);
		free(cause);
		cause = NULL;
		if (!may)
			continue;
		if (journal_load(paths[p], &o, &cause) == 0 &&
		    mark_shared(&o, v, n, u, shared)) {
			u->shared_sessions++;
			/* Newest first: the one named is the latest. */
			if (u->shared_with == NULL)
				u->shared_with = xstrdup(o.meta.id);
		}
		free(cause);
		cause = NULL;
		session_free(&o);
	}
	for (size_t i = 0; i < u->n; i++)
		u->shared += shared[i];
	for (size_t p = 0; p < npaths; p++)
		free(paths[p]);
	free(paths);
	free(shared);
	free(v);
}
