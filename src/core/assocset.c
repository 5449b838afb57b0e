/* assocset.c: a set of records' associations, read whole (see assocset.h). */
#include "hubassoc/assocset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	struct assocread_from f;   /* every page's associations, in one */
	bool read;                 /* its first page answered */
	bool missing;
	char **cursors;            /* the cursors it was read from */
	size_t ncursors;
};

struct assocset {
	struct calls *c;
	char *kind, *path;
	struct entry *v;
	size_t n, cap;
	uint32_t *slots;           /* entry index + 1, open addressing */
	size_t nslots;
	size_t requests;
};

struct assocset *
assocset_new(struct calls *c, const char *kind, const char *path)
{
	struct assocset *s = xcalloc(1, sizeof(*s));

	s->c = c;
	s->kind = xstrdup(kind);
	s->path = xstrdup(path);
	return s;
}

void
assocset_free(struct assocset *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		for (size_t k = 0; k < s->v[i].f.nto; k++)
			assocread_to_clear(&s->v[i].f.to[k]);
		free(s->v[i].f.to);
		free(s->v[i].f.after);
		for (size_t k = 0; k < s->v[i].ncursors; k++)
			free(s->v[i].cursors[k]);
		free(s->v[i].cursors);
	}
	free(s->v);
	free(s->slots);
	free(s->kind);
	free(s->path);
	free(s);
}

static size_t
slot_of(const struct assocset *s, const char *id)
{
	size_t mask = s->nslots - 1;
	size_t k = (size_t)hash_bytes(id, strlen(id), 0x5eed) & mask;

	while (s->slots[k] != 0 && strcmp(s->v[s->slots[k] - 1].f.id, id) != 0)
		k = (k + 1) & mask;
	return k;
}

static struct entry *
find(const struct assocset *s, const char *id)
{
	if (s->nslots == 0)
		return NULL;
	uint32_t x = s->slots[slot_of(s, id)];
	return x != 0 ? &s->v[x - 1] : NULL;
}

static struct entry *
add(struct assocset *s, const char *id)
{
	if ((s->n + 1) * 2 > s->nslots) {
		s->nslots = s->nslots ? s->nslots * 2 : 256;
		free(s->slots);
		s->slots = xcalloc(s->nslots, sizeof(*s->slots));
		for (size_t i = 0; i < s->n; i++)
			s->slots[slot_of(s, s->v[i].f.id)] = (uint32_t)i + 1;
	}
	if (s->n == s->cap)
		s->v = xreallocarray(s->v, s->cap = s->cap ? s->cap * 2 : 256, sizeof(*s->v));
	struct entry *e = &s->v[s->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->f.id, sizeof(e->f.id), "%s", id);
	s->slots[slot_of(s, id)] = (uint32_t)++s->n;
	return e;
}

bool
assocread_answer(struct calls *c, const char *what, const struct http_result *res,
    const struct response *r, bool refused, struct assocread *rb)
{
	if (refused) {
		calls_refused(c, what, r);
		return false;
	}
	if (assocread_parse(res->body.data != NULL ? res->body.data : "",
	    res->body.len, rb) != 0) {
		char *m = xasprintf("the portal's answer to %s is not JSON", what);
		calls_fail(c, ENGINE_CONFIG, m);
		free(m);
		return false;
	}
	return true;
}

static void on_read(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused);

/* One request for ids[0..n), each from its cursor (afters may be NULL). */
static void
queue(struct assocset *s, const char *const *ids, const char *const *afters, size_t n)
{
	for (size_t i = 0; i < n; i += ASSOCREAD_MAX) {
		size_t k = n - i < ASSOCREAD_MAX ? n - i : ASSOCREAD_MAX;
		const struct call_extra split = { .split = assocread_body_split };
		s->requests++;
		calls_add_ex(s->c, &split, s->kind, "POST", s->path, assocread_body(ids + i,
		    afters != NULL ? afters + i : NULL, k), on_read, s);
	}
}

void
assocset_read(struct assocset *s, const char *const *ids, size_t n)
{
	const char **fresh = xcalloc(n + 1, sizeof(*fresh));
	size_t first = s->n, k;

	for (size_t i = 0; i < n; i++)
		if (find(s, ids[i]) == NULL)
			add(s, ids[i]);
	/* The entries are where they stay only once all are added. */
	for (k = 0; first + k < s->n; k++)
		fresh[k] = s->v[first + k].f.id;
	queue(s, fresh, NULL, k);
	free(fresh);
}

/* Whether e is read on from cursor after: not when the cursor came
 * before, or the page that gave it brought nothing.  A server paging so
 * would be followed for ever, spending the portal's budget: the paging
 * stops there, with a warning, and what lies past it is not known. */
static bool
next_page(struct assocset *s, struct entry *e, const char *after, bool brought)
{
	bool seen = false;

	for (size_t i = 0; i < e->ncursors && !seen; i++)
		seen = strcmp(e->cursors[i], after) == 0;
	if (seen || !brought) {
		calls_warn(s->c, "the portal's paging of record %s's associations "
		    "%s: read no further, what it holds past there is not known",
		    e->f.id, seen ? "gave a cursor it gave before" :
		    "gave an empty page with a cursor for more");
		return false;
	}
	e->cursors = xreallocarray(e->cursors, e->ncursors + 1, sizeof(*e->cursors));
	e->cursors[e->ncursors++] = xstrdup(after);
	return true;
}

/* An answer: each record's associations added to what earlier pages
 * gave; the records with more pages read again from their cursors. */
static void
on_read(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct assocset *s = arg;
	struct assocread rb;

	if (!assocread_answer(c, "read associations", res, r, refused, &rb))
		return;
	const char **ids = xcalloc(rb.nfrom + 1, sizeof(*ids));
	const char **afters = xcalloc(rb.nfrom + 1, sizeof(*afters));
	size_t more = 0;
	for (size_t i = 0; i < rb.nfrom; i++) {
		struct assocread_from *got = &rb.from[i];
		struct entry *e = find(s, got->id);
		if (e == NULL)
			continue;           /* not asked for: not ours to keep */
		e->read = true;
		bool brought = got->nto > 0;
		if (got->nto > 0) {
			e->f.to = xreallocarray(e->f.to, e->f.nto + got->nto,
			    sizeof(*e->f.to));
			memcpy(e->f.to + e->f.nto, got->to, got->nto * sizeof(*got->to));
			e->f.nto += got->nto;
			got->nto = 0;
		}
		if (got->after != NULL && !next_page(s, e, got->after, brought)) {
			free(got->after);
			got->after = NULL;
		}
		if (got->after != NULL) {
			ids[more] = e->f.id;
			free(e->f.after);
			e->f.after = got->after;
			got->after = NULL;
			afters[more++] = e->f.after;
		}
	}
	for (size_t i = 0; i < rb.nmissing; i++) {
		struct entry *e = find(s, rb.missing[i]);
		if (e != NULL) {
			e->missing = true;
			e->read = true;
		}
	}
	queue(s, ids, afters, more);
	free(ids);
	free(afters);
	assocread_free(&rb);
}

const struct assocread_from *
assocset_from(const struct assocset *s, const char *from)
{
	const struct entry *e = find(s, from);

	return e != NULL && e->read && !e->missing ? &e->f : NULL;
}

const struct assocread_to *
assocset_pair(const struct assocset *s, const char *from, const char *to)
{
	const struct assocread_from *f = assocset_from(s, from);

	for (size_t i = 0; f != NULL && i < f->nto; i++)
		if (strcmp(f->to[i].id, to) == 0)
			return &f->to[i];
	return NULL;
}

bool
assocset_missing(const struct assocset *s, const char *from)
{
	const struct entry *e = find(s, from);

	return e != NULL && e->missing;
}

size_t
assocset_records(const struct assocset *s)
{
	return s->n;
}

const char *
assocset_record_id(const struct assocset *s, size_t i)
{
	return i < s->n ? s->v[i].f.id : NULL;
}

size_t
assocset_requests(const struct assocset *s)
{
	return s->requests;
}

bool
assocread_to_has(const struct assocread_to *t, enum assoc_category cat,
    uint32_t type_id)
{
	for (size_t i = 0; t != NULL && i < t->ntypes; i++)
		if (t->types[i].cat == cat && t->types[i].type_id == type_id)
			return true;
	return false;
}

bool
assocread_type_wanted(const struct assocread_type *t, const struct assoc_spec *specs,
    size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (specs[i].cat == t->cat && specs[i].type_id == t->type_id)
			return true;
	return false;
}

bool
assocread_to_wanted(const struct assocread_to *t, const struct assoc_spec *specs,
    size_t n)
{
	for (size_t k = 0; k < t->ntypes; k++)
		if (assocread_type_wanted(&t->types[k], specs, n))
			return true;
	return false;
}
