/* preflight.c: reading before sending, and classing rows (see preflight.h). */
#include "hubassoc/preflight.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/assocset.h"
#include "hubassoc/text.h"

#define OBJECTS_READ_MAX 100

static const char *const class_names[PRE_CLASS_COUNT] = {
	[PRE_UNREAD] = "unread", [PRE_NEW] = "new", [PRE_ADDS] = "adds_labels",
	[PRE_THERE] = "already_there", [PRE_MOVES] = "moves_primary",
	[PRE_NO_FROM] = "unknown_from", [PRE_NO_TO] = "unknown_to",
};

static const char *const class_labels[PRE_CLASS_COUNT] = {
	[PRE_UNREAD] = "pre-state unknown", [PRE_NEW] = "new",
	[PRE_ADDS] = "adds labels", [PRE_THERE] = "already there",
	[PRE_MOVES] = "moves primary", [PRE_NO_FROM] = "unknown FROM record",
	[PRE_NO_TO] = "unknown TO record",
};

const char *
pre_class_name(enum pre_class c)
{
	return c < PRE_CLASS_COUNT ? class_names[c] : "unread";
}

const char *
pre_class_label(enum pre_class c)
{
	return c < PRE_CLASS_COUNT ? class_labels[c] : class_labels[PRE_UNREAD];
}

int
pre_class_parse(const char *s, enum pre_class *out)
{
	for (int i = 0; i < PRE_CLASS_COUNT; i++) {
		if (strcmp(s, class_names[i]) == 0) {
			*out = (enum pre_class)i;
			return 0;
		}
	}
	return -1;
}

void
prestate_init(struct prestate *p, size_t nrows)
{
	memset(p, 0, sizeof(*p));
	p->rows = xcalloc(nrows + 1, sizeof(*p->rows));
	p->n = nrows;
	p->count[PRE_UNREAD] = nrows;
}

static void
row_clear(struct pre_row *r)
{
	free(r->types);
	free(r->holder);
	free(r->holder_types);
	memset(r, 0, sizeof(*r));
}

void
prestate_free(struct prestate *p)
{
	for (size_t i = 0; i < p->n; i++)
		row_clear(&p->rows[i]);
	free(p->rows);
	memset(p, 0, sizeof(*p));
}

void
prestate_clear_row(struct prestate *p, size_t row)
{
	if (row >= p->n)
		return;
	p->count[p->rows[row].cls]--;
	row_clear(&p->rows[row]);
	p->count[PRE_UNREAD]++;
}

void
prestate_set(struct prestate *p, size_t row, const struct pre_row *r)
{
	if (row >= p->n)
		return;
	prestate_clear_row(p, row);
	p->count[PRE_UNREAD]--;
	p->rows[row] = *r;
	p->count[r->cls < PRE_CLASS_COUNT ? r->cls : PRE_UNREAD]++;
}

bool
pre_types_have(const struct pre_type *t, size_t n, enum assoc_category cat,
    uint32_t type_id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].cat == cat && t[i].type_id == type_id)
			return true;
	return false;
}


/* The type a spec names as the other end reads it (the built-in table's
 * inverse), or 0. */
static uint32_t
inverse_of(const struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to)
{
	const struct assoc_builtin *b = assoc_builtin_find(spec->type_id, from->id, to->id);

	return b != NULL ? b->inverse : 0;
}

/* The type t of the other direction (TO to FROM) as the send's direction
 * names it: the built-in table's inverse, or a label's whose inverse it
 * is (labels may be NULL).  0 when not known. */
static uint32_t
turned_round(enum assoc_category cat, uint32_t type_id, const struct plan *p,
    const struct assoc_labels *labels)
{
	if (cat == ASSOC_CAT_HUBSPOT) {
		const struct assoc_builtin *b = assoc_builtin_find(type_id, p->to.id,
		    p->from.id);
		return b != NULL ? b->inverse : 0;
	}
	for (size_t i = 0; labels != NULL && i < labels->n; i++)
		if (labels->v[i].cat == cat && labels->v[i].inverse == type_id)
			return labels->v[i].type_id;
	return 0;
}

/* ---- IDs the portal has no record of ---------------------------------- */

struct idlist {
	char (*v)[RESPONSE_ID_MAX + 1];
	size_t n;
	bool sorted;
};

static int
id_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
idlist_add(struct idlist *l, const char *id)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	snprintf(l->v[l->n++], sizeof(*l->v), "%s", id);
	l->sorted = false;
}

static bool
idlist_has(struct idlist *l, const char *id)
{
	if (!l->sorted && l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), id_cmp);
	l->sorted = true;
	return l->n > 0 && bsearch(id, l->v, l->n, sizeof(*l->v), id_cmp) != NULL;
}

/* ---- the reading -------------------------------------------------------- */

struct preflight {
	struct calls *c;
	const struct input *in;
	const struct plan *p;
	uint32_t *rows;
	size_t n;
	struct preflight_opts o;
	struct assocset *fwd, *rev;
	/* Reversed: the pairs are read from the TO side (rev), whose records
	 * take fewer requests, their types turned round by their inverses;
	 * fwd then holds only the FROM records whose pairs could not be. */
	bool reversed;
	struct idlist missing_from, missing_to;
	int phase;
	size_t queued;            /* requests queued by preflight_start */
};

/* A pair's types in the send's direction, however they were read. */
struct ptypes {
	struct pre_type v[32];
	size_t n;
	bool read;                /* its FROM (or TO, reversed) was read */
	bool turned;              /* every type could be turned round */
};

static void
on_objects(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct idlist *missing = arg;
	struct assocread rb;

	/* Its errors name the IDs that are no record, as a read's do. */
	if (!assocread_answer(c, "look records up", res, r, refused, &rb))
		return;
	for (size_t i = 0; i < rb.nmissing; i++)
		idlist_add(missing, rb.missing[i]);
	assocread_free(&rb);
}

/* objects batch/read of ids, OBJECTS_READ_MAX a request. */
static void
look_up(struct preflight *pf, const struct objtype *t, const char *const *ids,
    size_t n, struct idlist *missing)
{
	char *path = request_objects_path(pf->o.api, t, "batch/read");

	for (size_t i = 0; i < n; i += OBJECTS_READ_MAX) {
		size_t k = n - i < OBJECTS_READ_MAX ? n - i : OBJECTS_READ_MAX;
		cJSON *root = cJSON_CreateObject();
		cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
		for (size_t j = 0; j < k; j++) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "id", ids[i + j]);
			cJSON_AddItemToArray(inputs, item);
		}
		cJSON_AddArrayToObject(root, "properties");
		calls_add(pf->c, pf->o.kind, "POST", path, cJSON_PrintUnformatted(root),
		    on_objects, missing);
		cJSON_Delete(root);
		pf->queued++;
	}
	free(path);
}

/* The distinct strings of a row's end (0 FROM, 1 TO) over rows that pass. */
static size_t
distinct(const struct preflight *pf, int end, bool (*want)(const struct preflight *,
    uint32_t), const char ***out)
{
	const char **v = xcalloc(pf->n + 1, sizeof(*v));
	size_t k = 0;

	for (size_t i = 0; i < pf->n; i++) {
		const struct input_row *r = &pf->in->rows[pf->rows[i]];
		if (want != NULL && !want(pf, pf->rows[i]))
			continue;
		v[k++] = end == 0 ? input_from(pf->in, r) : input_to(pf->in, r);
	}
	*out = v;
	return strs_distinct(v, k);
}

/* Whether a row's types hold one the end given owns (1 FROM, 2 TO). */
static bool
owned_by(const struct preflight *pf, uint32_t row, int end)
{
	const struct plan_types *t = plan_row_types(pf->p, pf->in, row);

	for (size_t i = 0; t->ok && i < t->n; i++)
		if (assoc_spec_owner(&t->specs[i], &pf->p->from, &pf->p->to) == end)
			return true;
	return false;
}

static bool
to_owned(const struct preflight *pf, uint32_t row)
{
	return owned_by(pf, row, 2);
}

static bool
from_owned(const struct preflight *pf, uint32_t row)
{
	return owned_by(pf, row, 1);
}

static bool
any_row(const struct preflight *pf, bool (*want)(const struct preflight *, uint32_t))
{
	for (size_t i = 0; i < pf->n; i++)
		if (want(pf, pf->rows[i]))
			return true;
	return false;
}

struct preflight *
preflight_start(struct calls *c, const struct input *in, const struct plan *p,
    const uint32_t *rows, size_t n, const struct preflight_opts *o)
{
	struct preflight *pf = xcalloc(1, sizeof(*pf));
	struct buf path = BUF_INIT;
	const char **ids;
	size_t k;

	pf->c = c;
	pf->in = in;
	pf->p = p;
	pf->rows = xcalloc(n + 1, sizeof(*pf->rows));
	memcpy(pf->rows, rows, n * sizeof(*rows));
	pf->n = n;
	pf->o = *o;
	if (pf->o.kind == NULL)
		pf->o.kind = "preflight";

	request_assoc_path(&path, o->api, &p->from, &p->to, "batch/read");
	pf->fwd = assocset_new(c, pf->o.kind, buf_str(&path));
	const char **tos;
	k = distinct(pf, 0, NULL, &ids);
	size_t nto = distinct(pf, 1, NULL, &tos);
	/* The side that takes fewer requests: TO's, its types turned round,
	 * unless a row gives a one its FROM end owns (who holds it now is
	 * read on FROM's side). */
	pf->reversed = (nto + ASSOCREAD_MAX - 1) / ASSOCREAD_MAX <
	    (k + ASSOCREAD_MAX - 1) / ASSOCREAD_MAX && !any_row(pf, from_owned);
	if (!pf->reversed)
		assocset_read(pf->fwd, ids, k);
	if (o->check_ids) {
		look_up(pf, &p->from, ids, k, &pf->missing_from);
		look_up(pf, &p->to, tos, nto, &pf->missing_to);
	}
	free(ids);
	free(tos);
	k = distinct(pf, 1, pf->reversed ? NULL : to_owned, &ids);
	if (k > 0) {
		buf_reset(&path);
		request_assoc_path(&path, o->api, &p->to, &p->from, "batch/read");
		pf->rev = assocset_new(c, pf->o.kind, buf_str(&path));
		assocset_read(pf->rev, ids, k);
	}
	free(ids);
	buf_free(&path);
	return pf;
}

bool
preflight_reversed(const struct preflight *pf)
{
	return pf->reversed;
}

/* The types the portal holds for (from, to) in the send's direction: read
 * from FROM's side when it was, else from TO's, turned round. */
static void
pair_of(const struct preflight *pf, const char *from, const char *to, struct ptypes *out)
{
	const struct assocread_to *t = assocset_pair(pf->fwd, from, to);

	out->n = 0;
	out->turned = true;
	out->read = assocset_from(pf->fwd, from) != NULL;
	if (out->read || !pf->reversed || pf->rev == NULL) {
		for (size_t i = 0; t != NULL && i < t->ntypes && out->n < HA_ARRAY_LEN(out->v); i++)
			out->v[out->n++] = (struct pre_type){ t->types[i].cat,
			    t->types[i].type_id };
		return;
	}
	out->read = assocset_from(pf->rev, to) != NULL;
	t = assocset_pair(pf->rev, to, from);
	for (size_t i = 0; t != NULL && i < t->ntypes && out->n < HA_ARRAY_LEN(out->v); i++) {
		uint32_t id = turned_round(t->types[i].cat, t->types[i].type_id, pf->p,
		    pf->o.labels);
		if (id == 0)
			out->turned = false;
		else
			out->v[out->n++] = (struct pre_type){ t->types[i].cat, id };
	}
}

static bool
ptypes_have(const struct ptypes *t, enum assoc_category cat, uint32_t id)
{
	return pre_types_have(t->v, t->n, cat, id);
}

/* The record other than `not` that holds type (cat, id) with f's record. */
static const char *
holder_in(const struct assocread_from *f, const char *not, enum assoc_category cat,
    uint32_t id)
{
	for (size_t i = 0; f != NULL && i < f->nto; i++)
		if (strcmp(f->to[i].id, not) != 0 && assocread_to_has(&f->to[i], cat, id))
			return f->to[i].id;
	return NULL;
}

/* Which record a row's types would take a one from, and who owns it. */
static const char *
holder_of(const struct preflight *pf, uint32_t row, int *owner)
{
	const struct input_row *r = &pf->in->rows[row];
	const char *from = input_from(pf->in, r), *to = input_to(pf->in, r);
	const struct plan_types *t = plan_row_types(pf->p, pf->in, row);
	struct ptypes pair;

	pair_of(pf, from, to, &pair);
	for (size_t i = 0; t->ok && i < t->n; i++) {
		const struct assoc_spec *s = &t->specs[i];
		int own = assoc_spec_owner(s, &pf->p->from, &pf->p->to);
		const char *h = NULL;
		if (own == 0 || ptypes_have(&pair, s->cat, s->type_id))
			continue;
		if (own == 1)
			h = holder_in(assocset_from(pf->fwd, from), to, s->cat, s->type_id);
		else if (pf->rev != NULL)
			h = holder_in(assocset_from(pf->rev, to), from, s->cat,
			    inverse_of(s, &pf->p->from, &pf->p->to));
		if (h != NULL) {
			*owner = own;
			return h;
		}
	}
	return NULL;
}

bool
preflight_next(struct preflight *pf)
{
	const char **ids;
	size_t k = 0;

	if (pf->phase++ > 0 || pf->rev == NULL)
		return false;
	/* A holder of a one the TO end owns: its pair with TO is read in
	 * this direction, for its types as undo would give them back; and,
	 * read from TO's side, the FROM records of pairs with a type that
	 * could not be turned round (a label whose inverse is not known):
	 * undo must know every type exactly. */
	ids = xcalloc(2 * pf->n + 1, sizeof(*ids));
	for (size_t i = 0; i < pf->n; i++) {
		int owner = 0;
		const struct input_row *r = &pf->in->rows[pf->rows[i]];
		const char *h = holder_of(pf, pf->rows[i], &owner);
		if (h != NULL && owner == 2)
			ids[k++] = h;
		struct ptypes pair;
		pair_of(pf, input_from(pf->in, r), input_to(pf->in, r), &pair);
		if (!pair.turned)
			ids[k++] = input_from(pf->in, r);
	}
	size_t before = assocset_requests(pf->fwd);
	assocset_read(pf->fwd, ids, k);
	free(ids);
	return assocset_requests(pf->fwd) > before;
}

static struct pre_type *
types_dup(const struct ptypes *t, uint16_t *n)
{
	struct pre_type *v;

	*n = 0;
	if (t->n == 0)
		return NULL;
	v = xcalloc(t->n, sizeof(*v));
	memcpy(v, t->v, t->n * sizeof(*v));
	*n = (uint16_t)t->n;
	return v;
}

void
preflight_finish(struct preflight *pf, struct prestate *out)
{
	for (size_t i = 0; i < pf->n; i++) {
		uint32_t row = pf->rows[i];
		const struct input_row *r = &pf->in->rows[row];
		const char *from = input_from(pf->in, r), *to = input_to(pf->in, r);
		const struct plan_types *t = plan_row_types(pf->p, pf->in, row);
		struct ptypes pair;
		struct pre_row x = { .cls = PRE_NEW };
		int owner = 0;
		const char *h;

		pair_of(pf, from, to, &pair);
		x.types = types_dup(&pair, &x.ntypes);
		if (assocset_missing(pf->fwd, from) || idlist_has(&pf->missing_from, from)) {
			x.cls = PRE_NO_FROM;
		} else if (idlist_has(&pf->missing_to, to)) {
			x.cls = PRE_NO_TO;
		} else if ((h = holder_of(pf, row, &owner)) != NULL) {
			x.cls = PRE_MOVES;
			x.owner = (uint8_t)owner;
			x.holder = xstrdup(h);
			struct ptypes held;
			pair_of(pf, owner == 1 ? from : h, owner == 1 ? h : to, &held);
			x.holder_types = types_dup(&held, &x.nholder_types);
		} else if (pair.n > 0) {
			size_t have = 0;
			while (have < t->n && ptypes_have(&pair, t->specs[have].cat,
			    t->specs[have].type_id))
				have++;
			x.cls = have == t->n ? PRE_THERE : PRE_ADDS;
		}
		prestate_set(out, row, &x);
	}
}

void
preflight_free(struct preflight *pf)
{
	if (pf == NULL)
		return;
	assocset_free(pf->fwd);
	assocset_free(pf->rev);
	free(pf->missing_from.v);
	free(pf->missing_to.v);
	free(pf->rows);
	free(pf);
}

size_t
preflight_queued(const struct preflight *pf)
{
	return pf->queued + assocset_requests(pf->fwd) +
	    (pf->rev != NULL ? assocset_requests(pf->rev) : 0);
}

size_t
pre_row_kept(const struct pre_row *r, const struct plan_types *t,
    struct pre_type *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ntypes; i++) {
		const struct pre_type *x = &r->types[i];
		bool named = false;
		for (size_t k = 0; k < t->n && !named; k++)
			named = t->specs[k].cat == x->cat && t->specs[k].type_id == x->type_id;
		if (named || x->cat != ASSOC_CAT_USER)
			continue;
		if (n < max)
			out[n] = *x;
		n++;
	}
	return n;
}

const char *
preflight_skipped_warning(const struct plan *p, const struct input *in,
    const uint32_t *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct plan_types *t = plan_row_types(p, in, rows[i]);
		for (size_t k = 0; t->ok && k < t->n; k++)
			if (t->specs[k].cat == ASSOC_CAT_USER)
				return "without the preflight, the labels a pair has "
				    "besides these may be replaced: nothing is read, so "
				    "they cannot be sent along";
	}
	return NULL;
}

/* ", keeping USER_DEFINED:44 (...)": what the pair holds that the row
 * sends along. */
static void
describe_kept(struct buf *out, const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, const struct assoc_labels *labels)
{
	struct pre_type kept[16];
	size_t n = pre_row_kept(r, plan_row_types(p, in, row), kept,
	    HA_ARRAY_LEN(kept));
	const struct assoc_labels none = { 0 };

	for (size_t i = 0; i < n && i < HA_ARRAY_LEN(kept); i++) {
		struct assoc_spec s = { .cat = kept[i].cat, .type_id = kept[i].type_id };
		buf_addstr(out, i == 0 ? ", keeping " : ", ");
		assoc_spec_describe(out, &s, &p->from, &p->to, labels != NULL ? labels : &none);
	}
	if (n > HA_ARRAY_LEN(kept))
		buf_printf(out, " and %zu more", n - HA_ARRAY_LEN(kept));
}

void
pre_row_describe(struct buf *out, const struct pre_row *r, const struct plan *p,
    const struct input *in, size_t row, bool brief,
    const struct assoc_labels *labels)
{
	const struct input_row *x = &in->rows[row];
	const char *from = input_from(in, x), *to = input_to(in, x);

	switch ((enum pre_class)r->cls) {
	case PRE_MOVES:
		if (brief) {
			/* A column's worth: who holds it now comes first. */
			buf_printf(out, "moves Primary from %s",
			    r->holder != NULL ? r->holder : "?");
			break;
		}
		/* The record that holds the one, and who has it now. */
		buf_printf(out, "moves the Primary of %s %s from %s %s to %s",
		    objtype_singular(r->owner == 1 ? &p->from : &p->to),
		    r->owner == 1 ? from : to,
		    objtype_singular(r->owner == 1 ? &p->to : &p->from),
		    r->holder != NULL ? r->holder : "?", r->owner == 1 ? to : from);
		describe_kept(out, r, p, in, row, labels);
		break;
	case PRE_NO_FROM:
	case PRE_NO_TO:
		buf_printf(out, "the portal has no %s %s",
		    objtype_singular(r->cls == PRE_NO_FROM ? &p->from : &p->to),
		    r->cls == PRE_NO_FROM ? from : to);
		break;
	case PRE_ADDS:
	case PRE_THERE:
		buf_addstr(out, pre_class_label((enum pre_class)r->cls));
		if (!brief)
			describe_kept(out, r, p, in, row, labels);
		break;
	default:
		buf_addstr(out, pre_class_label((enum pre_class)r->cls));
		break;
	}
}

/* preflight_describe's for a remove, an unlabel or a relabel: the counts
 * by class, then the first ten rows that warn (take every label, a
 * Primary), find no pair to relabel, or name no record. */
static void
change_describe(const struct prestate *pre, const struct input *in,
    const struct plan *p, const uint32_t *rows, size_t n,
    const struct assoc_labels *labels,
    void (*line)(void *arg, const char *text), void *arg)
{
	/* The classes in the order said, the first always. */
	static const int rm[] = { PRE_RM_NOT_THERE, PRE_RM_PAIR, PRE_RM_LABELS,
	    PRE_RM_NO_RECORD };
	static const int rl[] = { PRE_RL_RELABELS, PRE_RL_ADDS, PRE_RL_ALREADY,
	    PRE_RL_NO_PAIR, PRE_RL_CREATES, PRE_RL_NO_RECORD, PRE_RL_UNREAD };
	bool relabel = p->op == PLAN_OP_RELABEL;
	const int *order = relabel ? rl : rm;
	size_t norder = relabel ? HA_ARRAY_LEN(rl) : HA_ARRAY_LEN(rm);
	size_t count[PRE_CHANGE_CLASSES] = { 0 }, shown = 0;
	struct buf m = BUF_INIT;
	bool all, one;
	char a[32];

	for (size_t i = 0; i < n; i++)
		count[pre_row_change(&pre->rows[rows[i]], p, in, rows[i], NULL, NULL)]++;
	buf_addstr(&m, "  classes   ");
	for (size_t i = 0; i < norder; i++)
		if (count[order[i]] > 0 || i == 0)
			buf_printf(&m, "%s %s %s", shown++ ? "," : "",
			    fmt_count(a, count[order[i]]), pre_change_label(p->op, order[i]));
	line(arg, buf_str(&m));
	shown = 0;
	for (size_t i = 0; i < n && shown < 10; i++) {
		const struct pre_row *r = &pre->rows[rows[i]];
		int c = pre_row_change(r, p, in, rows[i], &all, &one);
		bool named = relabel ? c == PRE_RL_NO_PAIR || c == PRE_RL_NO_RECORD :
		    c == PRE_RM_NO_RECORD;
		if (!all && !one && !named)
			continue;
		buf_reset(&m);
		buf_printf(&m, "    line %u: ", in->rows[rows[i]].line);
		pre_row_change_describe(&m, r, p, in, rows[i], labels);
		line(arg, buf_str(&m));
		shown++;
	}
	buf_free(&m);
}

void
preflight_describe(const struct prestate *pre, const struct input *in,
    const struct plan *p, const uint32_t *rows, size_t n,
    const struct assoc_labels *labels,
    void (*line)(void *arg, const char *text), void *arg)
{
	static const enum pre_class order[] = { PRE_NEW, PRE_ADDS, PRE_THERE,
	    PRE_MOVES, PRE_NO_FROM, PRE_NO_TO };
	size_t count[PRE_CLASS_COUNT] = { 0 }, shown = 0;
	struct buf m = BUF_INIT;
	char a[32];

	if (p->op != PLAN_OP_CREATE) {
		change_describe(pre, in, p, rows, n, labels, line, arg);
		return;
	}
	for (size_t i = 0; i < n; i++)
		count[pre->rows[rows[i]].cls]++;
	buf_addstr(&m, "  classes   ");
	for (size_t i = 0; i < HA_ARRAY_LEN(order); i++) {
		if (count[order[i]] == 0 && order[i] >= PRE_MOVES)
			continue;
		buf_printf(&m, "%s %s %s", shown++ ? "," : "", fmt_count(a, count[order[i]]),
		    pre_class_label(order[i]));
	}
	line(arg, buf_str(&m));
	shown = 0;
	for (size_t i = 0; i < n && shown < 10; i++) {
		const struct pre_row *r = &pre->rows[rows[i]];
		struct pre_type one;
		if (r->cls != PRE_MOVES && r->cls != PRE_NO_FROM && r->cls != PRE_NO_TO &&
		    pre_row_kept(r, plan_row_types(p, in, rows[i]), &one, 1) == 0)
			continue;
		buf_reset(&m);
		buf_printf(&m, "    line %u: ", in->rows[rows[i]].line);
		pre_row_describe(&m, r, p, in, rows[i], false, labels);
		line(arg, buf_str(&m));
		shown++;
	}
	buf_free(&m);
}
