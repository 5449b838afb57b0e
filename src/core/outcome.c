/* outcome.c: the per-row outcome store and the join of answers to rows. */
#include "hubassoc/outcome.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"

static const char *const names[OUTCOME_COUNT] = {
	[OUTCOME_PENDING] = "pending",
	[OUTCOME_PLANNED] = "planned",
	[OUTCOME_CREATED] = "created",
	[OUTCOME_FAILED] = "failed",
	[OUTCOME_INVALID] = "invalid",
	[OUTCOME_DUPLICATE] = "duplicate",
	[OUTCOME_NOT_SENT] = "not_sent",
	[OUTCOME_UNCONFIRMED] = "unconfirmed",
	[OUTCOME_UNDONE] = "undone",
	[OUTCOME_UNCHANGED] = "unchanged",
	[OUTCOME_EDITED] = "edited",
};

const char *
outcome_name(enum outcome o)
{
	return (size_t)o < OUTCOME_COUNT ? names[o] : "unknown";
}

const char *
outcome_word(enum outcome o, enum plan_op op)
{
	if (o != OUTCOME_CREATED || op == PLAN_OP_CREATE)
		return outcome_name(o);
	return op == PLAN_OP_RELABEL ? "relabeled" : "removed";
}

int
outcome_parse(const char *s, enum outcome *out)
{
	for (size_t i = 0; i < OUTCOME_COUNT; i++)
		if (strcmp(names[i], s) == 0) {
			*out = (enum outcome)i;
			return 0;
		}
	return -1;
}

void
outcomes_init(struct outcomes *o, const struct plan *p, bool dry_run)
{
	size_t n = p->nrows ? p->nrows : 1;

	memset(o, 0, sizeof(*o));
	o->n = p->nrows;
	o->state = xbig_alloc(n);
	o->http = xbig_alloc(n * sizeof(*o->http));
	o->err = xbig_alloc(n * sizeof(*o->err));
	o->labels = xbig_alloc(n * sizeof(*o->labels));
	for (size_t i = 0; i < p->nrows; i++) {
		enum outcome s = p->state[i] == PLAN_INVALID ? OUTCOME_INVALID :
		    p->state[i] == PLAN_DUPLICATE ? OUTCOME_DUPLICATE :
		    dry_run ? OUTCOME_PLANNED : OUTCOME_PENDING;
		o->state[i] = (uint8_t)s;
		o->count[s]++;
	}
}

void
outcomes_truncate(struct outcomes *o, size_t n)
{
	size_t was = o->n ? o->n : 1, want = n ? n : 1;

	if (n >= o->n)
		return;
	for (size_t i = n; i < o->n; i++)
		o->count[o->state[i]]--;
	o->state = xbig_resize(o->state, was, want);
	o->http = xbig_resize(o->http, was * sizeof(*o->http), want * sizeof(*o->http));
	o->err = xbig_resize(o->err, was * sizeof(*o->err), want * sizeof(*o->err));
	o->labels = xbig_resize(o->labels, was * sizeof(*o->labels),
	    want * sizeof(*o->labels));
	o->n = n;
}

void
outcomes_grow(struct outcomes *o, size_t n)
{
	/* None yet (a working set's first rows): made. */
	size_t was = o->state == NULL ? 0 : o->n ? o->n : 1, want = n ? n : 1;

	if (want > was) {
		o->state = xbig_grow(o->state, was, want);
		o->http = xbig_grow(o->http, was * sizeof(*o->http), want * sizeof(*o->http));
		o->err = xbig_grow(o->err, was * sizeof(*o->err), want * sizeof(*o->err));
		o->labels = xbig_grow(o->labels, was * sizeof(*o->labels),
		    want * sizeof(*o->labels));
	}
	for (size_t i = o->n; i < n; i++) {
		o->state[i] = OUTCOME_PENDING;
		o->http[i] = 0;
		o->err[i] = 0;
		o->labels[i] = 0;
		o->count[OUTCOME_PENDING]++;
	}
	if (n > o->n)
		o->n = n;
}

void
outcomes_free(struct outcomes *o)
{
	size_t n = o->n ? o->n : 1;

	xbig_free(o->state, n);
	xbig_free(o->http, n * sizeof(*o->http));
	xbig_free(o->err, n * sizeof(*o->err));
	xbig_free(o->labels, n * sizeof(*o->labels));
	for (size_t i = 0; i < o->nerrors; i++) {
		hs_error_clear(o->errors[i].error);
		free(o->errors[i].error);
	}
	free(o->errors);
	for (size_t i = 0; i < o->nlabel_sets; i++) {
		for (size_t k = 0; k < o->label_sets[i].n; k++)
			free(o->label_sets[i].v[k]);
		free(o->label_sets[i].v);
	}
	free(o->label_sets);
	memset(o, 0, sizeof(*o));
}

size_t
outcomes_requeue(struct outcomes *o, const struct plan *p)
{
	for (size_t row = 0; row < o->n && o->count[OUTCOME_NOT_SENT] > 0; row++)
		if (o->state[row] == OUTCOME_NOT_SENT && p->state[row] == PLAN_SEND)
			outcomes_set(o, row, OUTCOME_PENDING, 0, 0);
	return o->count[OUTCOME_PENDING] + o->count[OUTCOME_UNCONFIRMED];
}

struct group_key {
	const char *category, *message;
	size_t first;            /* the first row it was met on, for order */
	size_t group;
};

static int
key_cmp(const void *a, const void *b)
{
	const struct group_key *x = a, *y = b;
	int c = strcmp(x->category, y->category);

	if (c == 0)
		c = strcmp(x->message, y->message);
	return c != 0 ? c : x->first < y->first ? -1 : x->first > y->first;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct outcome_group *x = a, *y = b;

	return x->rows < y->rows ? 1 : x->rows > y->rows ? -1 :
	    x->lines[0] < y->lines[0] ? -1 : x->lines[0] > y->lines[0];
}

static void
error_cause(const struct hs_error *e, const char **category, const char **message)
{
	*category = e->category != NULL ? e->category :
	    e->policy_name != NULL ? e->policy_name : "";
	*message = e->message != NULL ? e->message : "";
}

bool
outcomes_row_cause(const struct outcomes *o, const struct plan *p,
    const struct input *in, size_t row,
    const char **category, const char **message)
{
	if (o->err[row] != 0) {
		error_cause(outcomes_error(o, row), category, message);
		return true;
	}
	if (o->state[row] != OUTCOME_INVALID)
		return false;
	*category = OUTCOME_CAT_INVALID_INPUT;
	enum input_reason why = plan_row_reason(p, in, row);
	/* A cell of several IDs is grouped as such, as its reason says. */
	*message = why == INPUT_NOT_DIGITS && input_row_several_ids(in, &in->rows[row]) ?
	    "several IDs in a cell" : input_reason_name(why);
	return true;
}

/* A row's group key: its error, or its reason after the errors. */
static size_t
group_key_of(const struct outcomes *o, const struct plan *p,
    const struct input *in, bool invalid, size_t row)
{
	/* An edited row's error was its pair's before: not its own now. */
	if (o->state[row] == OUTCOME_EDITED)
		return SIZE_MAX;
	if (o->err[row] != 0)
		return o->err[row] - 1;
	if (invalid && o->state[row] == OUTCOME_INVALID &&
	    plan_row_reason(p, in, row) <= INPUT_REASON_LAST)
		return o->nerrors + plan_row_reason(p, in, row);
	return SIZE_MAX;
}

size_t
outcomes_group(const struct outcomes *o, const struct plan *p,
    const struct input *in, bool invalid, struct outcome_group **out)
{
	/* Keys: each error, then each reason a row may be invalid for. */
	size_t nreason = INPUT_REASON_LAST + 1, nkeys = o->nerrors + nreason;
	struct group_key *k = xcalloc(nkeys, sizeof(*k));
	size_t *group_of = xcalloc(nkeys, sizeof(*group_of));
	struct outcome_group *g;
	size_t ng = 0, nk = 0;

	for (size_t i = 0; i < nkeys; i++)
		k[i].first = SIZE_MAX;
	for (size_t row = 0; row < o->n; row++) {
		size_t key = group_key_of(o, p, in, invalid, row);
		if (key != SIZE_MAX && k[key].first == SIZE_MAX)
			k[key].first = row;
	}
	/* The keys met, sorted by category and message, make the groups. */
	for (size_t i = 0; i < nkeys; i++) {
		if (k[i].first == SIZE_MAX)
			continue;
		/* Named as its first row's cause is. */
		outcomes_row_cause(o, p, in, k[i].first, &k[i].category, &k[i].message);
		k[i].group = i;
		k[nk++] = k[i];
	}
	qsort(k, nk, sizeof(*k), key_cmp);
	g = xcalloc(nk + 1, sizeof(*g));
	for (size_t i = 0; i < nk; i++) {
		if (ng == 0 || strcmp(g[ng - 1].category, k[i].category) != 0 ||
		    strcmp(g[ng - 1].message, k[i].message) != 0) {
			g[ng].category = k[i].category;
			g[ng].message = k[i].message;
			ng++;
		}
		group_of[k[i].group] = ng - 1;
	}
	for (size_t row = 0; row < o->n; row++) {
		size_t key = group_key_of(o, p, in, invalid, row);
		if (key == SIZE_MAX)
			continue;
		struct outcome_group *x = &g[group_of[key]];
		x->rows++;
		if (x->nlines < OUTCOME_GROUP_LINES)
			x->lines[x->nlines++] = in->rows[row].line;
	}
	qsort(g, ng, sizeof(*g), group_cmp);
	free(k);
	free(group_of);
	*out = g;
	return ng;
}

size_t
outcomes_orphans(const struct outcomes *o)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nerrors; i++)
		n += o->errors[i].rows == 0 && !o->errors[i].local;
	return n;
}

void
outcomes_set(struct outcomes *o, size_t row, enum outcome state, uint16_t http,
    uint32_t err)
{
	o->count[o->state[row]]--;
	o->state[row] = (uint8_t)state;
	o->count[state]++;
	o->http[row] = http;
	o->err[row] = err;
	if (err != 0)
		o->errors[err - 1].rows++;
}

uint32_t
outcomes_add_error(struct outcomes *o, struct hs_error *e, uint32_t chunk,
    uint16_t http, bool local)
{
	o->errors = xreallocarray(o->errors, o->nerrors + 1, sizeof(*o->errors));
	o->errors[o->nerrors] = (struct outcome_error){
		.error = e, .chunk = chunk, .http_status = http, .local = local,
	};
	return (uint32_t)++o->nerrors;
}

bool
outcomes_label_kept(const struct outcomes *o, size_t row)
{
	const struct hs_error *e = o->state[row] == OUTCOME_FAILED ?
	    outcomes_error(o, row) : NULL;

	return e != NULL && o->errors[o->err[row] - 1].local && e->category != NULL &&
	    strcmp(e->category, OUTCOME_CAT_OLD_LABEL_KEPT) == 0;
}

struct hs_error *
outcome_local_error(const char *category, const char *fmt, ...)
{
	struct hs_error *e = xcalloc(1, sizeof(*e));
	va_list ap;

	e->status = xstrdup("error");
	e->category = xstrdup(category);
	va_start(ap, fmt);
	e->message = xvasprintf(fmt, ap);
	va_end(ap);
	return e;
}

static uint32_t
intern_labels(struct outcomes *o, char *const *v, size_t n)
{
	/* Few distinct label lists exist; compare against the recent ones. */
	size_t start = o->nlabel_sets > 64 ? o->nlabel_sets - 64 : 0;

	if (n == 0)
		return 0;
	for (size_t i = start; i < o->nlabel_sets; i++) {
		const struct outcome_labels *l = &o->label_sets[i];
		size_t k;
		if (l->n != n)
			continue;
		for (k = 0; k < n && strcmp(l->v[k], v[k]) == 0; k++)
			;
		if (k == n)
			return (uint32_t)i + 1;
	}
	return outcomes_push_labels(o, v, n);
}

uint32_t
outcomes_push_labels(struct outcomes *o, char *const *v, size_t n)
{
	struct outcome_labels *l;

	o->label_sets = xreallocarray(o->label_sets, o->nlabel_sets + 1,
	    sizeof(*o->label_sets));
	l = &o->label_sets[o->nlabel_sets];
	l->v = xcalloc(n ? n : 1, sizeof(*l->v));
	l->n = n;
	for (size_t k = 0; k < n; k++)
		l->v[k] = xstrdup(v[k]);
	return (uint32_t)++o->nlabel_sets;
}

/* An index of a request's rows by pair, by from ID and by to ID. */
struct rowindex {
	const struct input *in;
	const uint32_t *rows;
	size_t n, cap;
	uint32_t *pair, *from, *to;   /* position + 1, 0 empty */
	uint32_t *next_from, *next_to; /* chains of positions + 1 */
};

static uint64_t
str_hash(const char *s, uint64_t seed)
{
	return hash_bytes(s, strlen(s), seed);
}

static void
rowindex_build(struct rowindex *x, const struct input *in, const uint32_t *rows,
    size_t n)
{
	x->in = in;
	x->rows = rows;
	x->n = n;
	x->cap = 16;
	while (x->cap < n * 2)
		x->cap *= 2;
	x->pair = xcalloc(x->cap, sizeof(uint32_t));
	x->from = xcalloc(x->cap, sizeof(uint32_t));
	x->to = xcalloc(x->cap, sizeof(uint32_t));
	x->next_from = xcalloc(n + 1, sizeof(uint32_t));
	x->next_to = xcalloc(n + 1, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++) {
		const struct input_row *r = &in->rows[rows[i]];
		const char *f = input_from(in, r), *t = input_to(in, r);
		size_t k;

		k = str_hash(t, str_hash(f, 0)) & (x->cap - 1);
		while (x->pair[k] != 0)
			k = (k + 1) & (x->cap - 1);
		x->pair[k] = (uint32_t)i + 1;

		const char *keys[2] = { f, t };
		uint32_t *tables[2] = { x->from, x->to };
		uint32_t *chains[2] = { x->next_from, x->next_to };
		for (int side = 0; side < 2; side++) {
			k = str_hash(keys[side], 7) & (x->cap - 1);
			for (;;) {
				uint32_t at = tables[side][k];
				if (at == 0) {
					tables[side][k] = (uint32_t)i + 1;
					break;
				}
				const struct input_row *o = &in->rows[rows[at - 1]];
				const char *ok = side == 0 ? input_from(in, o) : input_to(in, o);
				if (strcmp(ok, keys[side]) == 0) {
					/* Chain behind the head. */
					chains[side][i + 1] = chains[side][at];
					chains[side][at] = (uint32_t)i + 1;
					break;
				}
				k = (k + 1) & (x->cap - 1);
			}
		}
	}
}

static void
rowindex_free(struct rowindex *x)
{
	free(x->pair);
	free(x->from);
	free(x->to);
	free(x->next_from);
	free(x->next_to);
}

/* Position + 1 of the row with this pair, or 0. */
static uint32_t
rowindex_pair(const struct rowindex *x, const char *f, const char *t)
{
	size_t k = str_hash(t, str_hash(f, 0)) & (x->cap - 1);

	for (; x->pair[k] != 0; k = (k + 1) & (x->cap - 1)) {
		const struct input_row *r = &x->in->rows[x->rows[x->pair[k] - 1]];
		if (strcmp(input_from(x->in, r), f) == 0 &&
		    strcmp(input_to(x->in, r), t) == 0)
			return x->pair[k];
	}
	return 0;
}

/* First position + 1 of a row whose side (0 from, 1 to) is id; follow the
 * chain for the others. */
static uint32_t
rowindex_side(const struct rowindex *x, int side, const char *id)
{
	const uint32_t *table = side == 0 ? x->from : x->to;
	size_t k = str_hash(id, 7) & (x->cap - 1);

	for (; table[k] != 0; k = (k + 1) & (x->cap - 1)) {
		const struct input_row *r = &x->in->rows[x->rows[table[k] - 1]];
		const char *v = side == 0 ? input_from(x->in, r) : input_to(x->in, r);
		if (strcmp(v, id) == 0)
			return table[k];
	}
	return 0;
}

enum side { SIDE_ANY, SIDE_FROM, SIDE_TO };

/* A NAME=DIGITS reference in a text ("COMPANY=202 is not valid",
 * "USER_DEFINED=3 is not a valid association definition id"). */
struct ref {
	const char *name;
	size_t nlen;
	char id[RESPONSE_ID_MAX + 1];
};

/* A reference's side, when its name says which type it is. */
static enum side
ref_side(const struct plan *p, const struct ref *r, enum side side)
{
	if (side != SIDE_ANY || r->nlen == 0)
		return side;
	bool f = objtype_matches_error_name(&p->from, r->name, r->nlen);
	bool t = objtype_matches_error_name(&p->to, r->name, r->nlen);
	return f && !t ? SIDE_FROM : t && !f ? SIDE_TO : SIDE_ANY;
}

struct match {
	const struct rowindex *x;
	const struct plan *p;
	uint8_t *hit;            /* per position: named by the error */
	size_t hits;
	bool named_objects;
	bool named_types;
	uint8_t *type_hit;       /* per position, for type references */
	size_t type_hits;
};

static void
mark(uint8_t *hit, size_t *hits, uint32_t pos)
{
	if (!hit[pos - 1]) {
		hit[pos - 1] = 1;
		(*hits)++;
	}
}

static void
match_object(struct match *m, const struct ref *r, enum side side)
{
	const struct rowindex *x = m->x;
	const char *id = r->id;

	side = ref_side(m->p, r, side);
	m->named_objects = true;
	for (int s = 0; s < 2; s++) {
		if ((s == 0 && side == SIDE_TO) || (s == 1 && side == SIDE_FROM))
			continue;
		const uint32_t *chain = s == 0 ? x->next_from : x->next_to;
		for (uint32_t pos = rowindex_side(x, s, id); pos != 0; pos = chain[pos])
			mark(m->hit, &m->hits, pos);
	}
}

static void
match_type(struct match *m, enum assoc_category cat, uint32_t type_id)
{
	const struct rowindex *x = m->x;

	m->named_types = true;
	for (size_t i = 0; i < x->n; i++) {
		const struct plan_types *t = plan_row_types(m->p, x->in, x->rows[i]);
		for (size_t k = 0; k < t->n; k++)
			if (t->specs[k].cat == cat && t->specs[k].type_id == type_id)
				mark(m->type_hit, &m->type_hits, (uint32_t)i + 1);
	}
}

static bool
is_word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* The next reference of s from *at on; false at the end. */
static bool
next_ref(const char *s, const char **at, struct ref *r)
{
	for (const char *eq = strchr(*at, '='); eq != NULL; eq = strchr(eq + 1, '=')) {
		const char *w = eq, *d = eq + 1;
		size_t nd = 0;

		while (w > s && is_word_char(w[-1]))
			w--;
		while (d[nd] >= '0' && d[nd] <= '9')
			nd++;
		if (w == eq || nd == 0 || is_word_char(d[nd]) ||
		    !response_id_from_text(d, nd, r->id))
			continue;
		r->name = w;
		r->nlen = (size_t)(eq - w);
		*at = eq + 1;
		return true;
	}
	return false;
}

static void
scan_text(struct match *m, const char *s, enum side side)
{
	struct ref r;
	enum assoc_category cat;

	for (const char *at = s; next_ref(s, &at, &r);) {
		if (assoc_category_parse(r.name, r.nlen, &cat) == 0) {
			unsigned long long v;
			if (parse_uint(r.id, 1, ASSOC_TYPE_ID_MAX, &v) == 0)
				match_type(m, cat, (uint32_t)v);
		} else {
			match_object(m, &r, side);
		}
	}
}

static enum side
key_side(const char *key)
{
	if (ascii_ncasecmp(key, "from", 4) == 0)
		return SIDE_FROM;
	if (ascii_ncasecmp(key, "to", 2) == 0 &&
	    !(key[2] >= 'a' && key[2] <= 'z'))
		return SIDE_TO;
	return SIDE_ANY;
}

static void
scan_error(struct match *m, const struct hs_error *e)
{
	/* A whole-batch 400 lists objectId with a parallel objectType: the
	 * record type each ID was checked as, and so the end it is at. */
	const struct hs_context *types = hs_error_context(e, "objectType");

	for (size_t i = 0; i < e->ncontext; i++) {
		const struct hs_context *c = &e->context[i];
		enum side side = key_side(c->key);
		bool typed = types != NULL && strcmp(c->key, "objectId") == 0;
		for (size_t k = 0; k < c->n; k++) {
			const char *v = c->values[k];
			struct ref r = { .name = "", .nlen = 0 };
			if (typed && k < types->n) {
				r.name = types->values[k];
				r.nlen = strlen(r.name);
			}
			if (response_id_from_text(v, strlen(v), r.id))
				match_object(m, &r, side);
			else
				scan_text(m, v, side);
		}
	}
	if (e->message != NULL)
		scan_text(m, e->message, SIDE_ANY);
	for (size_t i = 0; i < e->nerrors; i++)
		scan_error(m, &e->errors[i]);
}

/* Finds the request's rows an error names: by objects when it names any,
 * else by types.  Leaves m->hit set for them and returns their count. */
static size_t
rows_named(struct match *m, const struct rowindex *x, const struct plan *p,
    const struct hs_error *e)
{
	memset(m, 0, sizeof(*m));
	m->x = x;
	m->p = p;
	m->hit = xcalloc(x->n + 1, 1);
	m->type_hit = xcalloc(x->n + 1, 1);
	scan_error(m, e);
	if (!m->named_objects && m->named_types) {
		memcpy(m->hit, m->type_hit, x->n);
		m->hits = m->type_hits;
	}
	return m->hits;
}

static void
match_free(struct match *m)
{
	free(m->hit);
	free(m->type_hit);
}

/* Marks the pending rows an error names as failed; returns how many. */
static size_t
fail_named(struct outcomes *o, const struct rowindex *x, const struct plan *p,
    const struct hs_error *e, uint32_t c, uint16_t http, bool *named_any)
{
	struct match m;
	size_t n = 0;
	uint32_t err = 0;

	rows_named(&m, x, p, e);
	*named_any = m.hits > 0;
	for (size_t i = 0; i < x->n; i++) {
		uint32_t row = x->rows[i];
		if (!m.hit[i] || o->state[row] != OUTCOME_PENDING)
			continue;
		if (err == 0)
			err = outcomes_add_error(o, hs_error_dup(e), c, http, false);
		outcomes_set(o, row, OUTCOME_FAILED, http, err);
		n++;
	}
	match_free(&m);
	return n;
}

void
join_batch(struct outcomes *o, const struct plan *p, const struct input *in,
    const uint32_t *rows, size_t n, uint32_t c, const struct response *r,
    struct join_report *rep)
{
	struct rowindex x;
	uint16_t http = (uint16_t)r->http_status;
	uint32_t orphan_first = 0;

	memset(rep, 0, sizeof(*rep));
	rowindex_build(&x, in, rows, n);
	for (size_t i = 0; i < r->nresults; i++) {
		const struct hs_result *res = &r->results[i];
		uint32_t pos = rowindex_pair(&x, res->from_id, res->to_id);
		if (pos == 0 || o->state[rows[pos - 1]] != OUTCOME_PENDING) {
			rep->stray_results++;
			continue;
		}
		uint32_t row = rows[pos - 1];
		outcomes_set(o, row, OUTCOME_CREATED, http, 0);
		o->labels[row] = intern_labels(o, res->labels, res->nlabels);
		rep->created++;
	}
	for (size_t i = 0; i < r->nerrors; i++) {
		bool named;
		size_t k = fail_named(o, &x, p, &r->errors[i], c, http, &named);
		rep->failed += k;
		if (!named) {
			uint32_t e = outcomes_add_error(o, hs_error_dup(&r->errors[i]),
			    c, http, false);
			if (orphan_first == 0)
				orphan_first = e;
			rep->orphan_errors++;
		}
	}

	/* What the answer neither confirmed nor reported.  An archive lists
	 * no results (204, or a 2026-03 batch of errors alone): its rows no
	 * error names are done, unless some error names no row. */
	uint32_t local = 0;
	for (size_t i = 0; i < n; i++) {
		if (o->state[rows[i]] != OUTCOME_PENDING)
			continue;
		if (plan_op_removes(p->op) && orphan_first == 0) {
			outcomes_set(o, rows[i], OUTCOME_CREATED, http, 0);
			rep->created++;
			continue;
		}
		if (local == 0) {
			struct buf m = BUF_INIT;
			buf_printf(&m, "HubSpot answered %d%s%s but neither confirmed "
			    "nor reported this row", r->http_status,
			    r->status != NULL ? " " : "",
			    r->status != NULL ? r->status : "");
			if (orphan_first != 0) {
				char ne[64];
				buf_printf(&m, "; the answer holds %s naming no row, "
				    "the first: ", fmt_counted(ne, rep->orphan_errors, "error"));
				hs_error_summary(&m, o->errors[orphan_first - 1].error);
			}
			struct hs_error *e = outcome_local_error(
			    OUTCOME_CAT_NOT_CONFIRMED, "%s", buf_str(&m));
			buf_free(&m);
			local = outcomes_add_error(o, e, c, http, true);
		}
		outcomes_set(o, rows[i], OUTCOME_FAILED, http, local);
		rep->failed++;
		rep->unconfirmed++;
	}
	rowindex_free(&x);
}

size_t
join_refusal(struct outcomes *o, const struct plan *p, const struct input *in,
    const uint32_t *rows, size_t n, uint32_t c, const struct response *r,
    uint32_t *rest)
{
	struct rowindex x;
	size_t k = 0;
	bool named;

	rowindex_build(&x, in, rows, n);
	fail_named(o, &x, p, &r->error, c, (uint16_t)r->http_status, &named);
	for (size_t i = 0; i < n; i++)
		if (o->state[rows[i]] == OUTCOME_PENDING)
			rest[k++] = rows[i];
	rowindex_free(&x);
	return k;
}

/* Calls fn for each record a context value names: a bare ID (on the side
 * its key says), or NAME=ID references (on the side the name says). */
static void
value_refs(const struct plan *p, const char *key, const char *value,
    void (*fn)(void *arg, const char *id, enum side side), void *arg)
{
	enum side side = key_side(key);
	struct ref r = { .name = "", .nlen = 0 };
	enum assoc_category cat;

	if (response_id_from_text(value, strlen(value), r.id)) {
		fn(arg, r.id, side);
		return;
	}
	for (const char *at = value; next_ref(value, &at, &r);)
		if (assoc_category_parse(r.name, r.nlen, &cat) != 0)
			fn(arg, r.id, ref_side(p, &r, side));
}

struct names_row {
	const char *from, *to;
	bool hit;
};

static void
names_row_ref(void *arg, const char *id, enum side side)
{
	struct names_row *n = arg;

	n->hit |= (side != SIDE_TO && strcmp(id, n->from) == 0) ||
	    (side != SIDE_FROM && strcmp(id, n->to) == 0);
}

bool
outcome_value_names_row(const struct plan *p, const struct input *in, size_t row,
    const char *key, const char *value)
{
	const struct input_row *ir = &in->rows[row];
	struct names_row n = { input_from(in, ir), input_to(in, ir), false };

	value_refs(p, key, value, names_row_ref, &n);
	return n.hit;
}

/* ---- an error's context by the records it names ------------------------ */

struct name_entry {
	char id[RESPONSE_ID_MAX + 1];
	uint8_t side;               /* enum side */
	uint32_t ctx, val;          /* where: context key, value */
};

struct names_build {
	struct outcome_names *x;
	size_t cap;
	uint32_t ctx, val;
};

static void
names_add(void *arg, const char *id, enum side side)
{
	struct names_build *b = arg;
	struct outcome_names *x = b->x;

	if (x->n == b->cap)
		x->v = xreallocarray(x->v, b->cap = b->cap ? b->cap * 2 : 16, sizeof(*x->v));
	struct name_entry *e = &x->v[x->n++];
	snprintf(e->id, sizeof(e->id), "%s", id);
	e->side = (uint8_t)side;
	e->ctx = b->ctx;
	e->val = b->val;
}

/* By ID, then by place: the first value naming a record comes first. */
static int
entry_cmp(const void *x, const void *y)
{
	const struct name_entry *a = x, *b = y;
	int c = strcmp(a->id, b->id);

	if (c != 0)
		return c;
	if (a->ctx != b->ctx)
		return a->ctx < b->ctx ? -1 : 1;
	return a->val < b->val ? -1 : a->val > b->val;
}

void
outcome_names_build(struct outcome_names *x, const struct plan *p,
    const struct hs_error *e)
{
	struct names_build b = { .x = x };

	memset(x, 0, sizeof(*x));
	for (size_t c = 0; c < e->ncontext; c++)
		for (size_t v = 0; v < e->context[c].n; v++) {
			b.ctx = (uint32_t)c;
			b.val = (uint32_t)v;
			value_refs(p, e->context[c].key, e->context[c].values[v],
			    names_add, &b);
		}
	if (x->n > 1)
		qsort(x->v, x->n, sizeof(*x->v), entry_cmp);
}

/* The first entry naming id on a side that fits want, or NULL. */
static const struct name_entry *
names_lookup(const struct outcome_names *x, const char *id, enum side want)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->n && strcmp(x->v[lo].id, id) == 0; lo++)
		if (x->v[lo].side == SIDE_ANY || x->v[lo].side == want)
			return &x->v[lo];
	return NULL;
}

const char *
outcome_names_find(const struct outcome_names *x, const struct hs_error *e,
    const struct input *in, size_t row, const char **key)
{
	const struct input_row *ir = &in->rows[row];
	const struct name_entry *f = names_lookup(x, input_from(in, ir), SIDE_FROM);
	const struct name_entry *t = names_lookup(x, input_to(in, ir), SIDE_TO);

	/* Of the two, the one the context lists first. */
	if (f == NULL || (t != NULL && (t->ctx < f->ctx ||
	    (t->ctx == f->ctx && t->val < f->val))))
		f = t;
	if (f == NULL)
		return NULL;
	if (key != NULL)
		*key = e->context[f->ctx].key;
	return e->context[f->ctx].values[f->val];
}

void
outcome_names_free(struct outcome_names *x)
{
	free(x->v);
	memset(x, 0, sizeof(*x));
}
