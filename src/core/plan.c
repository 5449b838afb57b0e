/* plan.c: type resolution, duplicates and chunks. */
#include "hubassoc/plan.h"
#include "hubassoc/text.h"

#include <stdlib.h>
#include <string.h>

static int
spec_cmp(const void *a, const void *b)
{
	const struct assoc_spec *x = a, *y = b;

	if (x->cat != y->cat)
		return (int)x->cat - (int)y->cat;
	if (x->cat == ASSOC_CAT_LABEL)
		return ascii_casecmp(x->label, y->label);
	return x->type_id < y->type_id ? -1 : x->type_id > y->type_id;
}

/* Resolves specs into t, sorted and without repeats.  Returns -1 with *cause
 * for the first spec that does not resolve. */
static int
resolve_types(struct plan *p, struct plan_types *t, const struct assoc_spec *specs,
    size_t n, const struct assoc_labels *labels, char **cause)
{
	t->specs = xcalloc(n ? n : 1, sizeof(*t->specs));
	t->n = 0;
	for (size_t i = 0; i < n; i++) {
		struct assoc_spec s;
		char *note = NULL;
		assoc_spec_copy(&s, &specs[i]);
		if (assoc_spec_resolve(&s, &p->from, &p->to, labels, &note, cause) != 0) {
			assoc_spec_clear(&s);
			return -1;
		}
		if (note != NULL) {
			bool seen = false;
			for (size_t k = 0; k < p->nnotes && !seen; k++)
				seen = strcmp(p->notes[k], note) == 0;
			if (seen) {
				free(note);
			} else {
				p->notes = xreallocarray(p->notes, p->nnotes + 1,
				    sizeof(*p->notes));
				p->notes[p->nnotes++] = note;
			}
		}
		t->specs[t->n++] = s;
	}
	qsort(t->specs, t->n, sizeof(*t->specs), spec_cmp);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (k > 0 && spec_cmp(&t->specs[k - 1], &t->specs[i]) == 0) {
			assoc_spec_clear(&t->specs[i]);
			continue;
		}
		t->specs[k++] = t->specs[i];
	}
	t->n = k;
	return 0;
}

/* A canonical text for resolved types: equal types, equal text. */
static char *
types_key(const struct plan_types *t)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < t->n; i++) {
		if (t->specs[i].cat == ASSOC_CAT_LABEL) {
			buf_addstr(&b, "L:");
			for (const char *c = t->specs[i].label; *c != '\0'; c++)
				buf_addc(&b, *c >= 'A' && *c <= 'Z' ? (char)(*c + 32) : *c);
		} else {
			buf_printf(&b, "%d:%u", (int)t->specs[i].cat,
			    t->specs[i].type_id);
		}
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

/* Gives sets with equal types one canon, so duplicates are found by it. */
static void
assign_canon(struct plan *p)
{
	size_t cap = 16;
	uint32_t *table;
	char **keys = xcalloc(p->ntypes, sizeof(*keys));

	while (cap < p->ntypes * 2)
		cap *= 2;
	table = xcalloc(cap, sizeof(*table));
	for (size_t s = 0; s < p->ntypes; s++) {
		size_t k;
		p->types[s].canon = (uint32_t)s;
		if (!p->types[s].ok)
			continue;
		keys[s] = types_key(&p->types[s]);
		for (k = hash_bytes(keys[s], strlen(keys[s]), 0) & (cap - 1);
		    table[k] != 0; k = (k + 1) & (cap - 1)) {
			if (strcmp(keys[table[k] - 1], keys[s]) == 0)
				break;
		}
		if (table[k] != 0)
			p->types[s].canon = table[k] - 1;
		else
			table[k] = (uint32_t)s + 1;
		for (size_t i = 0; i < p->types[s].n; i++)
			if (p->types[s].specs[i].cat == ASSOC_CAT_LABEL)
				p->unresolved++;
	}
	for (size_t s = 0; s < p->ntypes; s++)
		free(keys[s]);
	free(keys);
	free(table);
}

static void
resolve_sets(struct plan *p, const struct input *in, const struct assoc_labels *labels)
{
	for (size_t s = 1; s < in->nsets; s++) {
		const struct input_set *set = &in->sets[s];
		struct plan_types *t = &p->types[s];

		if (set->error == NULL)
			t->ok = resolve_types(p, t, set->specs, set->n, labels,
			    &t->error) == 0;
	}
}

/* Digits read as a number (wrapping past 19 digits) and mixed: IDs are
 * digit strings, so this is both fast and well spread. */
static uint64_t
pair_hash(const char *a, const char *b)
{
	uint64_t x = 0, y = 0, la = 0, lb = 0;

	for (; a[la] != '\0'; la++)
		x = x * 10 + (uint64_t)(a[la] - '0');
	for (; b[lb] != '\0'; lb++)
		y = y * 10 + (uint64_t)(b[lb] - '0');
	x ^= (y << 32 | y >> 32) ^ (la << 58) ^ (lb << 52);
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
row_hash(const struct input *in, uint32_t row)
{
	const struct input_row *r = &in->rows[row];

	return pair_hash(input_from(in, r), input_to(in, r));
}

/*
 * Marks duplicates and conflicts among the valid rows order[0..nvalid).
 * A slot is 32 bits: a row number in the low bits and, above it, as many
 * bits of the pair's hash as are left, so a probe touches the row's text
 * only when those agree.  Hashes are computed a few rows ahead and their
 * slots prefetched: this is the hot loop of a million-row plan, and its cost
 * is cache misses and fresh memory.
 */
static void
find_duplicates(struct plan *p, const struct input *in, const uint32_t *order,
    size_t nvalid)
{
	enum { AHEAD = 16 };
	size_t cap = 16;
	unsigned rbits = 1;
	uint32_t *table, rmask;
	uint64_t ring[AHEAD];

	while (cap < nvalid + nvalid / 4 + 1)
		cap *= 2;
	while (rbits < 32 && ((uint64_t)1 << rbits) <= in->nrows)
		rbits++;
	rmask = rbits >= 32 ? UINT32_MAX : ((uint32_t)1 << rbits) - 1;
	table = xbig_alloc(cap * sizeof(*table));
	for (size_t v = 0; v < AHEAD && v < nvalid; v++)
		ring[v] = row_hash(in, order[v]);
	for (size_t v = 0; v < nvalid; v++) {
		uint64_t h = ring[v % AHEAD];
		uint32_t fp = (uint32_t)(h >> 32) & ~rmask;
		size_t i = order[v], slot;

		if (v + AHEAD < nvalid) {
			uint64_t next = row_hash(in, order[v + AHEAD]);
			ring[v % AHEAD] = next;
			__builtin_prefetch(&table[next & (cap - 1)], 1);
		}
		for (slot = h & (cap - 1); table[slot] != 0; slot = (slot + 1) & (cap - 1)) {
			if ((table[slot] & ~rmask) != fp)
				continue;
			const struct input_row *o = &in->rows[(table[slot] & rmask) - 1];
			const struct input_row *r = &in->rows[i];
			if (strcmp(input_from(in, o), input_from(in, r)) == 0 &&
			    strcmp(input_to(in, o), input_to(in, r)) == 0)
				break;
		}
		if (table[slot] == 0) {
			table[slot] = fp | ((uint32_t)i + 1);
			continue;
		}
		uint32_t first = (table[slot] & rmask) - 1;
		p->other[i] = first;
		if (p->op == PLAN_OP_REMOVE ||
		    p->types[in->rows[i].set].canon == p->types[in->rows[first].set].canon) {
			p->state[i] = PLAN_DUPLICATE;
		} else {
			/* Both cannot hold: neither is sent, each names the
			 * other (HubSpot would let the later replace the
			 * earlier, in whichever order it took them). */
			p->state[i] = PLAN_INVALID;
			p->why[i] = INPUT_CONFLICT;
			if (p->why[first] != INPUT_CONFLICT) {
				p->state[first] = PLAN_INVALID;
				p->why[first] = INPUT_CONFLICT;
				p->other[first] = (uint32_t)i;
			}
		}
	}
	xbig_free(table, cap * sizeof(*table));
	/* A repeat of a row in conflict conflicts as its first does. */
	for (size_t v = 0; v < nvalid; v++) {
		size_t i = order[v];
		if (p->state[i] == PLAN_DUPLICATE && p->why[p->other[i]] == INPUT_CONFLICT) {
			p->state[i] = PLAN_INVALID;
			p->why[i] = INPUT_CONFLICT;
			p->other[i] = p->other[p->other[i]];
		}
	}
}

/* A row's type that a record holds once (a Primary, a parent), and which
 * end that record is (1 FROM, 2 TO); 0 when it has none. */
static int
one_type_of(const struct plan *p, const struct input *in, size_t row,
    uint32_t *type_id)
{
	const struct plan_types *t = plan_row_types(p, in, row);

	for (size_t k = 0; t->ok && k < t->n; k++) {
		int owner = assoc_spec_owner(&t->specs[k], &p->from, &p->to);
		if (owner != 0) {
			*type_id = t->specs[k].type_id;
			return owner;
		}
	}
	return 0;
}

struct one {
	const char *owner, *other;   /* the record that holds it, and its holder */
	uint32_t type_id, row;
};

static int
one_cmp(const void *a, const void *b)
{
	const struct one *x = a, *y = b;
	int c = strcmp(x->owner, y->owner);

	if (c == 0)
		c = x->type_id < y->type_id ? -1 : x->type_id > y->type_id;
	return c != 0 ? c : (x->row < y->row ? -1 : x->row > y->row);
}

/*
 * Two rows to send that give one record a type it holds once (a contact's
 * Primary company, a company's parent) with two others cannot both hold:
 * which wins would be the portal's choice.  Every such row is refused,
 * naming another of them.
 */
static void
find_one_conflicts(struct plan *p, const struct input *in, const uint32_t *order,
    size_t nvalid)
{
	struct one *v = NULL;
	size_t n = 0;

	for (size_t k = 0; k < nvalid; k++) {
		uint32_t row = order[k], id;
		int owner;
		if (p->state[row] != PLAN_SEND ||
		    (owner = one_type_of(p, in, row, &id)) == 0)
			continue;
		const struct input_row *r = &in->rows[row];
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = (struct one){ owner == 1 ? input_from(in, r) : input_to(in, r),
		    owner == 1 ? input_to(in, r) : input_from(in, r), id, row };
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), one_cmp);
	for (size_t a = 0, b; a < n; a = b) {
		bool split = false;
		for (b = a + 1; b < n && strcmp(v[b].owner, v[a].owner) == 0 &&
		    v[b].type_id == v[a].type_id; b++)
			split |= strcmp(v[b].other, v[a].other) != 0;
		for (size_t k = a; split && k < b; k++) {
			size_t o = k + 1 < b ? k + 1 : a;
			while (strcmp(v[o].other, v[k].other) == 0)
				o = o + 1 < b ? o + 1 : a;
			p->state[v[k].row] = PLAN_INVALID;
			p->why[v[k].row] = INPUT_ONE_CONFLICT;
			p->other[v[k].row] = v[o].row;
		}
	}
	free(v);
	/* A repeat of a refused row is refused as its first is. */
	for (size_t k = 0; k < nvalid; k++) {
		uint32_t row = order[k];
		if (p->state[row] == PLAN_DUPLICATE &&
		    p->why[p->other[row]] == INPUT_ONE_CONFLICT) {
			p->state[row] = PLAN_INVALID;
			p->why[row] = INPUT_ONE_CONFLICT;
			p->other[row] = p->other[p->other[row]];
		}
	}
}

/* The per-row arrays, why INPUT_OK and chunk and other PLAN_NONE. */
static void
rows_alloc(struct plan *p, size_t nrows)
{
	size_t n = nrows ? nrows : 1;

	p->nrows = nrows;
	p->state = xbig_alloc(n * sizeof(*p->state));
	p->why = xbig_alloc(n * sizeof(*p->why));
	p->chunk = xbig_alloc(n * sizeof(*p->chunk));
	p->other = xbig_alloc(n * sizeof(*p->other));
	p->order = xbig_alloc(n * sizeof(*p->order));
	memset(p->chunk, 0xff, n * sizeof(*p->chunk));
	memset(p->other, 0xff, n * sizeof(*p->other));
}

static const char *const op_names[PLAN_OP_COUNT][3] = {
	[PLAN_OP_CREATE] = { "create", "create", "batch/create" },
	[PLAN_OP_REMOVE] = { "remove", "remove", "batch/archive" },
	[PLAN_OP_UNLABEL] = { "unlabel", "remove labels", "batch/labels/archive" },
	[PLAN_OP_RELABEL] = { "relabel", "relabel", "batch/create" },
};

int
plan_relabel_set(struct plan *p, const char *replace, bool create_missing,
    const struct assoc_labels *labels, char **cause)
{
	struct plan_relabel *r = &p->relabel;
	const char *s = replace != NULL ? replace : "";

	r->create_missing = create_missing;
	if (strcmp(s, "all") == 0) {
		r->all = true;
		return 0;
	}
	while (*s != '\0') {
		const char *semi = strchr(s, ';');
		size_t len = semi != NULL ? (size_t)(semi - s) : strlen(s);
		struct assoc_spec sp;
		char *note = NULL;
		if (len > 0) {
			if (assoc_spec_parse(s, len, &sp, cause) != 0)
				return -1;
			r->replace = xreallocarray(r->replace, r->nreplace + 1,
			    sizeof(*r->replace));
			r->replace[r->nreplace++] = sp;
			if (assoc_spec_resolve(&r->replace[r->nreplace - 1], &p->from,
			    &p->to, labels, &note, cause) != 0) {
				free(note);
				return -1;
			}
			free(note);
			const struct assoc_spec *x = &r->replace[r->nreplace - 1];
			if (assoc_spec_may_be_unlabeled(x, &p->from, &p->to)) {
				*cause = xstrdup("the unlabeled type cannot be replaced: "
				    "taking it takes every label (remove takes whole pairs)");
				return -1;
			}
			/* Every row gives it: it would replace itself. */
			bool given = p->ntypes > 0;
			for (size_t k = 0; given && k < p->ntypes; k++)
				given = plan_types_have(&p->types[k], x->cat, x->type_id);
			if (given) {
				*cause = xasprintf("%.*s is the label the pairs are given: "
				    "it cannot replace itself (name the label it takes the "
				    "place of)", (int)len, s);
				return -1;
			}
		}
		s = semi != NULL ? semi + 1 : s + len;
	}
	return 0;
}

char *
plan_relabel_text(const struct plan *p)
{
	struct buf r = BUF_INIT;

	if (p->relabel.all)
		buf_addstr(&r, "all");
	for (size_t i = 0; i < p->relabel.nreplace; i++) {
		if (i > 0)
			buf_addc(&r, ';');
		assoc_spec_format(&r, &p->relabel.replace[i]);
	}
	char *t = r.len > 0 ? buf_detach(&r) : NULL;
	buf_free(&r);
	return t;
}

bool
plan_relabel_replaces(const struct plan_relabel *r, enum assoc_category cat,
    uint32_t type_id)
{
	if (r->all)
		return cat == ASSOC_CAT_USER;
	for (size_t i = 0; i < r->nreplace; i++)
		if (r->replace[i].cat == cat && r->replace[i].type_id == type_id)
			return true;
	return false;
}

const char *
plan_op_name(enum plan_op op)
{
	return op < PLAN_OP_COUNT ? op_names[op][0] : "create";
}

const char *
plan_op_label(enum plan_op op)
{
	return op < PLAN_OP_COUNT ? op_names[op][1] : "create";
}

const char *
plan_op_command(enum plan_op op)
{
	return op == PLAN_OP_UNLABEL ? "remove" : plan_op_name(op);
}

const char *
plan_op_action(enum plan_op op)
{
	return op < PLAN_OP_COUNT ? op_names[op][2] : "batch/create";
}

int
plan_op_parse(const char *s, enum plan_op *op)
{
	for (int i = 0; i < PLAN_OP_COUNT; i++)
		if (strcmp(s, op_names[i][0]) == 0) {
			*op = (enum plan_op)i;
			return 0;
		}
	return -1;
}

int
plan_build(struct plan *p, const struct input *in, const struct objtype *from,
    const struct objtype *to, const struct assoc_spec *defaults, size_t ndefaults,
    const struct assoc_labels *labels, size_t chunk_size, char **cause)
{
	return plan_build_op(p, PLAN_OP_CREATE, in, from, to, defaults, ndefaults,
	    labels, chunk_size, cause);
}

int
plan_build_op(struct plan *p, enum plan_op op, const struct input *in,
    const struct objtype *from, const struct objtype *to,
    const struct assoc_spec *defaults, size_t ndefaults,
    const struct assoc_labels *labels, size_t chunk_size, char **cause)
{
	memset(p, 0, sizeof(*p));
	p->op = op;
	p->from = *from;
	p->to = *to;
	if (chunk_size == 0)
		chunk_size = PLAN_CHUNK_DEFAULT;
	if (chunk_size > PLAN_CHUNK_MAX) {
		*cause = xasprintf("chunk size %zu is over HubSpot's limit of %d "
		    "inputs per request", chunk_size, PLAN_CHUNK_MAX);
		return -1;
	}
	p->chunk_size = chunk_size;
	p->ntypes = in->nsets;
	p->types = xcalloc(p->ntypes, sizeof(*p->types));
	if (ndefaults > 0) {
		char *why = NULL;
		if (resolve_types(p, &p->types[0], defaults, ndefaults, labels,
		    &why) != 0) {
			*cause = why;
			plan_free(p);
			return -1;
		}
		p->types[0].ok = true;
	}
	resolve_sets(p, in, labels);
	assign_canon(p);

	/* One pass to check types and list the valid rows. */
	size_t nvalid = 0;
	rows_alloc(p, in->nrows);
	for (size_t i = 0; i < in->nrows; i++) {
		const struct input_row *r = &in->rows[i];
		if (r->status == ROW_VALID) {
			if (input_row_pending(in, r)) {
				p->why[i] = INPUT_KEY_PENDING;
				p->keys++;
			} else if (op == PLAN_OP_REMOVE) {
				/* The whole pair goes, whatever types it names. */
			} else if (r->set == 0 && ndefaults == 0)
				p->why[i] = INPUT_NO_TYPE;
			else if (!p->types[r->set].ok)
				p->why[i] = INPUT_TYPE_MISMATCH;
		}
		if (r->status == ROW_VALID && p->why[i] == INPUT_OK)
			p->order[nvalid++] = (uint32_t)i;
		else
			p->state[i] = PLAN_INVALID;
	}
	find_duplicates(p, in, p->order, nvalid);
	if (op == PLAN_OP_CREATE)    /* taking a one off moves nothing */
		find_one_conflicts(p, in, p->order, nvalid);

	/* The rows to send, in input order, cut into chunks. */
	for (size_t v = 0; v < nvalid; v++) {
		uint32_t i = p->order[v];
		if (p->state[i] == PLAN_SEND) {
			p->chunk[i] = (uint32_t)(p->nsend / chunk_size);
			p->order[p->nsend++] = i;
		} else if (p->state[i] == PLAN_DUPLICATE) {
			p->nduplicate++;
		}
	}
	for (size_t i = 0; i < in->nrows; i++)
		p->ninvalid += p->state[i] == PLAN_INVALID;
	p->nchunks = (p->nsend + chunk_size - 1) / chunk_size;
	p->chunks = xcalloc(p->nchunks ? p->nchunks : 1, sizeof(*p->chunks));
	for (size_t c = 0; c < p->nchunks; c++) {
		p->chunks[c].first = (uint32_t)(c * chunk_size);
		p->chunks[c].count = (uint32_t)(c + 1 < p->nchunks ? chunk_size :
		    p->nsend - c * chunk_size);
	}
	return 0;
}

void
plan_restore_begin(struct plan *p, const struct objtype *from,
    const struct objtype *to, size_t chunk_size, size_t nrows, size_t ntypes)
{
	memset(p, 0, sizeof(*p));
	p->from = *from;
	p->to = *to;
	p->chunk_size = chunk_size ? chunk_size : PLAN_CHUNK_DEFAULT;
	rows_alloc(p, nrows);
	p->ntypes = ntypes ? ntypes : 1;
	p->types = xcalloc(p->ntypes, sizeof(*p->types));
}

/* Whether two lists name the same types, in the same order, resolved. */
static bool
specs_same(const struct assoc_spec *x, size_t nx, const struct assoc_spec *y,
    size_t ny)
{
	if (nx != ny)
		return false;
	for (size_t i = 0; i < nx; i++)
		if (x[i].cat != y[i].cat || x[i].type_id != y[i].type_id ||
		    x[i].cat == ASSOC_CAT_LABEL)
			return false;
	return true;
}

bool
plan_same_op(const struct plan *a, const struct plan *b)
{
	if (a->op != b->op || !objtype_same(&a->from, &b->from) ||
	    !objtype_same(&a->to, &b->to))
		return false;
	return a->op != PLAN_OP_RELABEL || (a->relabel.all == b->relabel.all &&
	    a->relabel.create_missing == b->relabel.create_missing &&
	    specs_same(a->relabel.replace, a->relabel.nreplace, b->relabel.replace,
	    b->relabel.nreplace));
}

bool
plan_same_choice(const struct plan *a, const struct plan *b)
{
	if (!plan_same_op(a, b))
		return false;
	/* A remove takes every type: the types chosen are not its. */
	if (a->op == PLAN_OP_REMOVE)
		return true;
	const struct plan_types *x = a->ntypes > 0 ? &a->types[0] : NULL;
	const struct plan_types *y = b->ntypes > 0 ? &b->types[0] : NULL;
	return x != NULL && y != NULL && x->ok == y->ok &&
	    specs_same(x->specs, x->n, y->specs, y->n);
}

void
plan_grow(struct plan *p, size_t nrows, size_t ntypes)
{
	/* None yet (a working set's first rows): made. */
	size_t o = p->state == NULL ? 0 : p->nrows ? p->nrows : 1, n = nrows ? nrows : 1;

	if (n > o) {
		p->state = xbig_grow(p->state, o * sizeof(*p->state), n * sizeof(*p->state));
		p->why = xbig_grow(p->why, o * sizeof(*p->why), n * sizeof(*p->why));
		p->chunk = xbig_grow(p->chunk, o * sizeof(*p->chunk), n * sizeof(*p->chunk));
		p->other = xbig_grow(p->other, o * sizeof(*p->other), n * sizeof(*p->other));
		p->order = xbig_grow(p->order, o * sizeof(*p->order), n * sizeof(*p->order));
	}
	for (size_t i = p->nrows; i < nrows; i++) {
		p->state[i] = PLAN_EARLIER;
		p->why[i] = INPUT_OK;
		p->chunk[i] = PLAN_NONE;
		p->other[i] = PLAN_NONE;
	}
	if (nrows > p->nrows)
		p->nrows = nrows;
	if (ntypes > p->ntypes) {
		p->types = xreallocarray(p->types, ntypes, sizeof(*p->types));
		memset(&p->types[p->ntypes], 0, (ntypes - p->ntypes) * sizeof(*p->types));
		p->ntypes = ntypes;
	}
}

void
plan_truncate(struct plan *p, size_t nrows)
{
	size_t o = p->nrows ? p->nrows : 1, n = nrows ? nrows : 1;

	if (nrows >= p->nrows)
		return;
	p->state = xbig_resize(p->state, o * sizeof(*p->state), n * sizeof(*p->state));
	p->why = xbig_resize(p->why, o * sizeof(*p->why), n * sizeof(*p->why));
	p->chunk = xbig_resize(p->chunk, o * sizeof(*p->chunk), n * sizeof(*p->chunk));
	p->other = xbig_resize(p->other, o * sizeof(*p->other), n * sizeof(*p->other));
	p->order = xbig_resize(p->order, o * sizeof(*p->order), n * sizeof(*p->order));
	p->nrows = nrows;
	plan_reindex(p);
}

void
plan_reindex(struct plan *p)
{
	size_t max_chunk = 0;

	free(p->chunks);
	p->nsend = p->ninvalid = p->nduplicate = 0;
	for (size_t i = 0; i < p->nrows; i++) {
		if (p->state[i] == PLAN_SEND && p->chunk[i] + 1 > max_chunk)
			max_chunk = p->chunk[i] + 1;
		p->ninvalid += p->state[i] == PLAN_INVALID;
		p->nduplicate += p->state[i] == PLAN_DUPLICATE;
	}
	p->nchunks = max_chunk;
	p->chunks = xcalloc(p->nchunks ? p->nchunks : 1, sizeof(*p->chunks));
	/* Rows in chunk order, input order within: count, then place. */
	for (size_t i = 0; i < p->nrows; i++)
		if (p->state[i] == PLAN_SEND)
			p->chunks[p->chunk[i]].count++;
	for (size_t c = 0, at = 0; c < p->nchunks; c++) {
		p->chunks[c].first = (uint32_t)at;
		at += p->chunks[c].count;
		p->chunks[c].count = 0;
	}
	for (size_t i = 0; i < p->nrows; i++) {
		if (p->state[i] != PLAN_SEND)
			continue;
		struct plan_chunk *c = &p->chunks[p->chunk[i]];
		p->order[c->first + c->count++] = (uint32_t)i;
		p->nsend++;
	}
}

void
plan_free(struct plan *p)
{
	for (size_t s = 0; s < p->ntypes; s++) {
		for (size_t i = 0; i < p->types[s].n; i++)
			assoc_spec_clear(&p->types[s].specs[i]);
		free(p->types[s].specs);
		free(p->types[s].error);
	}
	free(p->types);
	for (size_t i = 0; i < p->relabel.nreplace; i++)
		assoc_spec_clear(&p->relabel.replace[i]);
	free(p->relabel.replace);
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	size_t n = p->nrows ? p->nrows : 1;
	xbig_free(p->state, n * sizeof(*p->state));
	xbig_free(p->why, n * sizeof(*p->why));
	xbig_free(p->chunk, n * sizeof(*p->chunk));
	xbig_free(p->other, n * sizeof(*p->other));
	xbig_free(p->order, n * sizeof(*p->order));
	free(p->chunks);
	memset(p, 0, sizeof(*p));
}

void
plan_reason_format(const struct plan *p, const struct input *in, size_t row,
    struct buf *out)
{
	const struct input_row *r = &in->rows[row];
	const char *error = r->set < p->ntypes ? p->types[r->set].error : NULL;

	switch ((enum input_reason)p->why[row]) {
	case INPUT_TYPE_MISMATCH:
		/* "association type 2 is ...": said once. */
		if (error != NULL && strncmp(error, "association type", 16) == 0)
			buf_addstr(out, error);
		else
			buf_printf(out, "association type: %s", error != NULL ? error :
			    "does not fit the direction");
		break;
	case INPUT_CONFLICT:
		buf_printf(out, "same pair as line %u with other association "
		    "types: put all types on one line", in->rows[p->other[row]].line);
		break;
	case INPUT_ONE_CONFLICT: {
		/* Which record, which type, and who else the file gives it. */
		uint32_t id = 0;
		int owner = one_type_of(p, in, row, &id);
		const struct input_row *o = &in->rows[p->other[row]];
		const struct objtype *ot = owner == 1 ? &p->from : &p->to;
		const struct objtype *ht = owner == 1 ? &p->to : &p->from;
		const struct assoc_builtin *b = assoc_builtin_find(id, p->from.id, p->to.id);
		/* What a record has one of: a Primary, or a parent company
		 * (type 14's label names the child end, not what it gets). */
		const char *one = b == NULL ? "one" : (b->flags & ASSOC_F_PRIMARY) ?
		    "Primary" : (b->flags & ASSOC_F_SINGLE_PARENT) ? "parent" : "one";
		buf_printf(out, "gives %s %s a second %s: line %u gives it %s %s; "
		    "keep one", objtype_singular(ot), owner == 1 ? input_from(in, r) :
		    input_to(in, r), one, o->line, objtype_singular(ht),
		    owner == 1 ? input_to(in, o) : input_from(in, o));
		break;
	}
	case INPUT_NO_TYPE:
		buf_addstr(out, "no association type: none given for all pairs, "
		    "and the line has no third column");
		break;
	case INPUT_KEY_PENDING: {
		const char *k = input_row_key(in, r, 0);
		if (k == NULL)
			k = input_row_key(in, r, 1);
		char *e = text_escape_str(k != NULL ? k : "", k != NULL ? strlen(k) : 0, 80);
		buf_printf(out, "%s is looked up in the portal before sending", e);
		free(e);
		break;
	}
	default:
		input_reason_format(in, r, out);
		break;
	}
}

unsigned
plan_rows_flags(const struct plan *p, const struct input *in, const uint32_t *rows,
    size_t n)
{
	unsigned flags = 0;
	bool *used = xcalloc(p->ntypes + 1, sizeof(*used));

	for (size_t i = 0; i < n; i++)
		if (in->rows[rows[i]].set < p->ntypes)
			used[in->rows[rows[i]].set] = true;
	for (size_t t = 0; t < p->ntypes; t++)
		for (size_t i = 0; used[t] && i < p->types[t].n; i++)
			flags |= assoc_spec_flags(&p->types[t].specs[i], &p->from, &p->to);
	free(used);
	return flags;
}
