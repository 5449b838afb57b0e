/* undo_shared.c: the pairs an undo takes off that other sessions count as
 * theirs, or wrote since (undo.h, undo_shared_begin). */
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
 * not undone, in the same direction on the same portal, with a row it
 * wrote: one that adds (a create or a relabel), for the pairs s takes
 * off; a later one of any operation, for those s restores (*which: 1,
 * 2, or both). */
static bool
may_share(const struct session *s, const struct journal_meta *m, int *which)
{
	const struct journal_meta *own = &s->meta;

	*which = 0;
	if (m->id == NULL || own->id == NULL || strcmp(m->id, own->id) == 0 ||
	    m->undo != SESSION_UNDO_NONE ||
	    m->counts[OUTCOME_CREATED] == 0 || m->from_path == NULL ||
	    m->to_path == NULL || own->from_path == NULL || own->to_path == NULL ||
	    strcmp(m->from_path, own->from_path) != 0 ||
	    strcmp(m->to_path, own->to_path) != 0)
		return false;
	/* The built-in sandbox is one portal, whatever its port. */
	if (own->sandbox > 0 || m->sandbox > 0) {
		if (!(own->sandbox > 0 && m->sandbox > 0))
			return false;
	} else if (own->base_url == NULL || m->base_url == NULL ||
	    !settings_same_place(m->base_url, own->base_url, false))
		return false;
	/* IDs sort by the time they were made. */
	*which = (plan_op_removes(m->op) ? 0 : 1) | (strcmp(m->id, own->id) > 0 ? 2 : 0);
	return *which != 0;
}

/* Whether row i of session o wrote what act a takes off (the pair, or
 * one of the types it unlabels), or on the pair it restores. */
static bool
row_shares(const struct session *o, size_t i, const struct undo_act *a)
{
	if (a->kind == UNDO_ARCHIVE || a->kind == UNDO_RESTORE)
		return true;
	const struct plan_types *t = plan_row_types(&o->plan, o->in, i);
	for (size_t k = 0; t != NULL && t->ok && k < t->n; k++)
		for (size_t x = 0; x < a->n; x++)
			if (t->specs[k].cat == a->types[x].cat &&
			    t->specs[k].type_id == a->types[x].type_id)
				return true;
	return false;
}

/* Marks in shared[] the acts of v whose pair a row of session o wrote;
 * returns whether there was one (marked by a newer session already, or
 * not). */
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

/* The look at the other sessions, a journal a step. */
struct undo_shared {
	const struct session *s;
	struct undo_plan *u;
	struct taken *v;          /* the acts that take off, by pair */
	size_t n;
	struct taken *back;       /* the acts that restore, by pair */
	size_t nback;
	bool *shared;             /* per act: another session wrote it */
	char **paths;             /* the journals, newest first */
	size_t npaths, next;
};

struct undo_shared *
undo_shared_begin(const struct session *s, struct undo_plan *u)
{
	struct undo_shared *x = xcalloc(1, sizeof(*x));
	char *cause = NULL;

	x->s = s;
	x->u = u;
	x->v = xcalloc(u->n + 1, sizeof(*x->v));
	x->back = xcalloc(u->n + 1, sizeof(*x->back));
	x->shared = xcalloc(u->n + 1, sizeof(*x->shared));
	for (size_t i = 0; i < u->n; i++) {
		struct taken t = { u->v[i].from, u->v[i].to, i };
		if (u->v[i].kind == UNDO_RESTORE)
			x->back[x->nback++] = t;
		else
			x->v[x->n++] = t;
	}
	qsort(x->v, x->n, sizeof(*x->v), taken_cmp);
	qsort(x->back, x->nback, sizeof(*x->back), taken_cmp);
	/* Not known: the plan is as it was without it. */
	if (x->n + x->nback > 0 && journal_list(&x->paths, &x->npaths, &cause) != 0)
		free(cause);
	return x;
}

bool
undo_shared_step(struct undo_shared *x)
{
	char *cause = NULL;

	struct undo_plan *u = x->u;

	if (x->next >= x->npaths) {
		u->shared = u->later = 0;
		for (size_t i = 0; i < u->n; i++) {
			u->shared += x->shared[i] && u->v[i].kind != UNDO_RESTORE;
			u->later += x->shared[i] && u->v[i].kind == UNDO_RESTORE;
		}
		return false;
	}
	const char *path = x->paths[x->next++];
	struct journal_meta m;
	struct session o;
	int which;
	/* A journal that does not read is no session's (history says so);
	 * the meta is freed either way (peek zeroes it). */
	bool may = journal_peek(path, &m, &cause) == 0 && may_share(x->s, &m, &which);
	journal_meta_free(&m);
	free(cause);
	cause = NULL;
	if (!may)
		return true;
	if (journal_load(path, &o, &cause) == 0) {
		/* Newest first: the one named is the latest. */
		if ((which & 1) && mark_shared(&o, x->v, x->n, u, x->shared) &&
		    u->shared_sessions++ == 0)
			u->shared_with = xstrdup(o.meta.id);
		if ((which & 2) && mark_shared(&o, x->back, x->nback, u, x->shared) &&
		    u->later_sessions++ == 0)
			u->later_with = xstrdup(o.meta.id);
	}
	free(cause);
	session_free(&o);
	return true;
}

void
undo_shared_free(struct undo_shared *x)
{
	if (x == NULL)
		return;
	for (size_t p = 0; p < x->npaths; p++)
		free(x->paths[p]);
	free(x->paths);
	free(x->shared);
	free(x->v);
	free(x->back);
	free(x);
}
