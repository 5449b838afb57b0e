/* portal.c: the demo portal and its association store. */
#include "portal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/objtype.h"
#include "hubassoc/util.h"

#define CUSTOM_ID "2-7353817"

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool
u64_in(const uint64_t *v, size_t n, uint64_t x)
{
	return n > 0 && bsearch(&x, v, n, sizeof(*v), u64_cmp) != NULL;
}

static int
type_by_id(const struct portal *p, const char *id)
{
	for (size_t i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].id, id) == 0)
			return (int)i;
	return -1;
}

static void
add_types(struct portal *p)
{
	size_t n;
	const struct sandbox_type *std = sandbox_types(&n);

	p->types = xcalloc(n + 1, sizeof(*p->types));
	for (size_t i = 0; i < n; i++) {
		struct ptype *t = &p->types[p->ntypes++];
		snprintf(t->id, sizeof(t->id), "%s", std[i].id);
		snprintf(t->name, sizeof(t->name), "%s", std[i].plural);
		snprintf(t->singular, sizeof(t->singular), "%s", std[i].singular);
		snprintf(t->error_name, sizeof(t->error_name), "%s", std[i].error_name);
	}
	struct ptype *c = &p->types[p->ntypes++];
	snprintf(c->id, sizeof(c->id), "%s", CUSTOM_ID);
	snprintf(c->name, sizeof(c->name), "cars");
	snprintf(c->singular, sizeof(c->singular), "car");
	snprintf(c->error_name, sizeof(c->error_name), "P%u_CARS", PORTAL_ID);
	c->custom = true;
}

static void
add_def(struct portal *p, const char *from, const char *to,
    enum assoc_category cat, uint32_t id, uint32_t inverse, const char *label,
    unsigned flags)
{
	int owner = 0;

	/* A contact, deal or ticket has one primary company; a company has
	 * one parent, the child end of 13 and 14. */
	if (flags & ASSOC_F_PRIMARY)
		owner = strcmp(from, "0-2") == 0 ? 2 : 1;
	else if (flags & ASSOC_F_SINGLE_PARENT)
		owner = id == 14 ? 1 : 2;
	p->defs = xreallocarray(p->defs, p->ndefs + 1, sizeof(*p->defs));
	p->defs[p->ndefs++] = (struct pdef){
		.from = (uint16_t)type_by_id(p, from), .to = (uint16_t)type_by_id(p, to),
		.cat = cat, .type_id = id, .inverse = inverse,
		.label = label != NULL ? xstrdup(label) : NULL, .flags = flags,
		.owner = owner,
	};
}

/* Both directions of a custom pair. */
static void
add_pair(struct portal *p, const char *a, const char *b, enum assoc_category cat,
    uint32_t ab, uint32_t ba, const char *label_ab, const char *label_ba)
{
	add_def(p, a, b, cat, ab, ba, label_ab, 0);
	add_def(p, b, a, cat, ba, ab, label_ba, 0);
}

static void
add_defs(struct portal *p)
{
	size_t n;
	const struct sandbox_assoc_type *b = sandbox_assoc_types(&n);

	for (size_t i = 0; i < n; i++)
		add_def(p, b[i].from_id, b[i].to_id, ASSOC_CAT_HUBSPOT, b[i].type_id,
		    b[i].inverse, b[i].label, b[i].flags);
	/* The portal's own labels: one plain, one paired, three non-ASCII. */
	add_pair(p, "0-1", "0-2", ASSOC_CAT_USER, 36, 37, "Billing contact",
	    "Billing contact");
	add_pair(p, "0-1", "0-1", ASSOC_CAT_USER, 42, 43, "Manager", "Direct report");
	add_pair(p, "0-1", "0-2", ASSOC_CAT_USER, 44, 45, "Entscheidungstr\xc3\xa4ger",
	    "Entscheidungstr\xc3\xa4ger");
	add_pair(p, "0-3", "0-1", ASSOC_CAT_USER, 46, 47, "\xe6\xb1\xba\xe8\xa3\x81\xe8\x80\x85",
	    "\xe6\xb1\xba\xe8\xa3\x81\xe8\x80\x85");
	/* A combining accent and an emoji: one column and two. */
	add_pair(p, "0-3", "0-1", ASSOC_CAT_USER, 52, 53, "Cafe\xcc\x81 \xf0\x9f\x91\x8d",
	    "Cafe\xcc\x81 \xf0\x9f\x91\x8d");
	/* The custom object's defaults and a label. */
	add_pair(p, CUSTOM_ID, "0-1", ASSOC_CAT_HUBSPOT, 1001, 1002, NULL, NULL);
	add_pair(p, CUSTOM_ID, "0-2", ASSOC_CAT_HUBSPOT, 1003, 1004, NULL, NULL);
	add_pair(p, CUSTOM_ID, "0-1", ASSOC_CAT_USER, 48, 49, "Owner", "Owned car");
	/* A label as a careless or hostile admin may type it. */
	if (p->opts->hostile)
		add_pair(p, "0-1", "0-2", ASSOC_CAT_USER, 50, 51, SANDBOX_HOSTILE_LABEL,
		    SANDBOX_HOSTILE_LABEL);
}

static void
add_records(struct portal *p, uint64_t *rng)
{
	static const struct { const char *id; size_t n; } counts[] = {
		{ "0-1", 300 }, { "0-2", 120 }, { "0-3", 150 }, { "0-5", 100 },
		{ CUSTOM_ID, 40 },
	};

	for (size_t k = 0; k < HA_ARRAY_LEN(counts); k++) {
		struct ptype *t = &p->types[type_by_id(p, counts[k].id)];
		t->ids = xcalloc(counts[k].n, sizeof(*t->ids));
		while (t->nids < counts[k].n) {
			/* 9 to 11 digits, as HubSpot's record IDs are. */
			static const uint64_t lo[] = { 100000000ULL, 1000000000ULL,
			    10000000000ULL };
			uint64_t r = splitmix64_next(rng);
			uint64_t base = lo[r % 3];
			uint64_t id = base + (r >> 8) % (base * 9);
			if (!u64_in(t->ids, t->nids, id)) {
				t->ids[t->nids++] = id;
				qsort(t->ids, t->nids, sizeof(*t->ids), u64_cmp);
			}
		}
	}
}

/* The seeded associations: primary companies, deals, tickets, labels. */
static void
add_seeded(struct portal *p, uint64_t *rng)
{
	int contact = type_by_id(p, "0-1"), company = type_by_id(p, "0-2");
	int deal = type_by_id(p, "0-3"), ticket = type_by_id(p, "0-5");
	int car = type_by_id(p, CUSTOM_ID);
	const struct ptype *C = &p->types[contact], *O = &p->types[company];
	const struct ptype *D = &p->types[deal], *T = &p->types[ticket];
	const struct ptype *R = &p->types[car];

	for (size_t i = 0; i < C->nids; i++) {
		uint64_t r = splitmix64_next(rng);
		if (r % 10 < 7) {
			uint64_t co = O->ids[(r >> 8) % O->nids];
			portal_assoc_add(p, contact, C->ids[i], company, co,
			    portal_def(p, contact, company, ASSOC_CAT_HUBSPOT, 279));
			portal_assoc_add(p, contact, C->ids[i], company, co,
			    portal_def(p, contact, company, ASSOC_CAT_HUBSPOT, 1));
			if ((r >> 20) % 8 == 0)
				portal_assoc_add(p, contact, C->ids[i], company, co,
				    portal_def(p, contact, company, ASSOC_CAT_USER, 36));
		}
	}
	for (size_t i = 0; i < D->nids; i++) {
		uint64_t r = splitmix64_next(rng);
		uint64_t co = O->ids[r % O->nids], ct = C->ids[(r >> 16) % C->nids];
		portal_assoc_add(p, deal, D->ids[i], company, co,
		    portal_def(p, deal, company, ASSOC_CAT_HUBSPOT, 341));
		portal_assoc_add(p, deal, D->ids[i], company, co,
		    portal_def(p, deal, company, ASSOC_CAT_HUBSPOT, 5));
		portal_assoc_add(p, deal, D->ids[i], contact, ct,
		    portal_def(p, deal, contact, ASSOC_CAT_HUBSPOT, 3));
	}
	for (size_t i = 0; i < T->nids; i++) {
		uint64_t r = splitmix64_next(rng);
		portal_assoc_add(p, ticket, T->ids[i], contact, C->ids[r % C->nids],
		    portal_def(p, ticket, contact, ASSOC_CAT_HUBSPOT, 16));
	}
	for (size_t i = 0; i < R->nids; i++) {
		uint64_t r = splitmix64_next(rng);
		portal_assoc_add(p, car, R->ids[i], contact, C->ids[r % C->nids],
		    portal_def(p, car, contact, ASSOC_CAT_HUBSPOT, 1001));
	}
}

void
portal_store_clear(struct portal *p)
{
	xbig_free(p->assocs, p->cap * sizeof(*p->assocs));
	xbig_free(p->table, p->table_cap * sizeof(*p->table));
	free(p->free_list);
	p->assocs = NULL;
	p->table = NULL;
	p->free_list = NULL;
	p->nassocs = p->cap = p->table_cap = p->table_used = 0;
	p->nfree = p->free_cap = p->live = 0;
	free(p->ones);
	p->ones = NULL;
	p->ones_cap = p->ones_used = 0;
}

void
portal_reset(struct portal *p)
{
	uint64_t rng = p->opts->seed;
	FILE *kept = p->kept;

	p->kept = NULL;          /* seeded, then written whole */
	portal_store_clear(p);
	portal_defs_reset(p);
	for (size_t i = 0; i < p->ntypes; i++) {
		free(p->types[i].ids);
		p->types[i].ids = NULL;
		p->types[i].nids = 0;
	}
	add_records(p, &rng);
	add_seeded(p, &rng);
	p->kept = kept;
	portal_keep_rewrite(p);
}

struct portal *
portal_new(const struct sandbox_opts *o)
{
	struct portal *p = xcalloc(1, sizeof(*p));

	p->opts = o;
	add_types(p);
	add_defs(p);
	p->nseeded_defs = p->ndefs;
	p->nmissing = o->nmissing;
	p->missing = xcalloc(o->nmissing + 1, sizeof(*p->missing));
	if (o->nmissing > 0)
		memcpy(p->missing, o->missing, o->nmissing * sizeof(*p->missing));
	qsort(p->missing, p->nmissing, sizeof(*p->missing), u64_cmp);
	portal_reset(p);
	return p;
}

void
portal_free(struct portal *p)
{
	if (p == NULL)
		return;
	portal_keep_close(p);
	portal_store_clear(p);
	for (size_t i = 0; i < p->ntypes; i++)
		free(p->types[i].ids);
	free(p->types);
	for (size_t i = 0; i < p->ndefs; i++)
		free(p->defs[i].label);
	free(p->defs);
	free(p->missing);
	for (size_t i = 0; i < p->nshared; i++)
		free(p->shared_domains[i]);
	free(p->shared_domains);
	free(p);
}

#define SHARED_BASE 7000000000000000000ULL
#define SHARED_SPAN 1000000ULL

uint64_t
portal_shared_domain(struct portal *p, const char *value)
{
	size_t i;

	for (i = 0; i < p->nshared; i++)
		if (strcmp(p->shared_domains[i], value) == 0)
			break;
	if (i == p->nshared) {
		p->shared_domains = xreallocarray(p->shared_domains, p->nshared + 1,
		    sizeof(*p->shared_domains));
		p->shared_domains[p->nshared++] = xstrdup(value);
	}
	return SHARED_BASE + i * SHARED_SPAN;
}

/* The domain of a company of a shared range, or NULL. */
static const char *
shared_domain_of(const struct portal *p, uint64_t id)
{
	if (id < SHARED_BASE || (id - SHARED_BASE) / SHARED_SPAN >= p->nshared)
		return NULL;
	return p->shared_domains[(id - SHARED_BASE) / SHARED_SPAN];
}

int
portal_type(const struct portal *p, const char *seg)
{
	char prefixed[96];

	for (size_t i = 0; i < p->ntypes; i++) {
		const struct ptype *t = &p->types[i];
		if (strcmp(seg, t->id) == 0)
			return (int)i;
		if (!t->custom && (ascii_casecmp(seg, t->name) == 0 ||
		    ascii_casecmp(seg, t->singular) == 0))
			return (int)i;
		if (t->custom) {
			snprintf(prefixed, sizeof(prefixed), "p_%s", t->name);
			if (ascii_casecmp(seg, prefixed) == 0)
				return (int)i;
			snprintf(prefixed, sizeof(prefixed), "p%u_%s", PORTAL_ID, t->name);
			if (ascii_casecmp(seg, prefixed) == 0)
				return (int)i;
		}
	}
	return -1;
}

bool
portal_parse_id(const char *s, uint64_t *id)
{
	unsigned long long v;

	if (parse_uint(s, 1, INT64_MAX, &v) != 0)
		return false;
	*id = v;
	return true;
}

bool
portal_exists(const struct portal *p, int type, uint64_t id)
{
	if (p->opts->open_portal)
		return !u64_in(p->missing, p->nmissing, id);
	return u64_in(p->types[type].ids, p->types[type].nids, id);
}

int
portal_def(const struct portal *p, int from, int to, enum assoc_category cat,
    uint32_t type_id)
{
	for (size_t i = 0; i < p->ndefs; i++) {
		const struct pdef *d = &p->defs[i];
		if (d->from == from && d->to == to && d->cat == cat &&
		    d->type_id == type_id && !d->deleted)
			return (int)i;
	}
	return -1;
}

int
portal_def_any(const struct portal *p, enum assoc_category cat, uint32_t type_id)
{
	for (size_t i = 0; i < p->ndefs; i++)
		if (p->defs[i].cat == cat && p->defs[i].type_id == type_id &&
		    !p->defs[i].deleted)
			return (int)i;
	return -1;
}

int
portal_def_inverse(const struct portal *p, int d)
{
	const struct pdef *x = &p->defs[d];

	return portal_def(p, x->to, x->from, x->cat, x->inverse);
}

int
portal_def_default(const struct portal *p, int from, int to)
{
	for (size_t i = 0; i < p->ndefs; i++) {
		const struct pdef *d = &p->defs[i];
		if (d->from == from && d->to == to && d->cat == ASSOC_CAT_HUBSPOT &&
		    d->label == NULL)
			return (int)i;
	}
	return -1;
}

/* Pairs are stored with their lesser end first. */
static bool
ordered(int tf, uint64_t f, int tt, uint64_t t)
{
	return tf < tt || (tf == tt && f <= t);
}

static uint64_t
pair_hash(int ta, uint64_t a, int tb, uint64_t b)
{
	return mix64(a ^ mix64(b ^ ((uint64_t)ta << 48) ^ ((uint64_t)tb << 32)));
}

static size_t
slot_of(const struct portal *p, int ta, uint64_t a, int tb, uint64_t b)
{
	size_t mask = p->table_cap - 1;
	size_t k = pair_hash(ta, a, tb, b) & mask;

	for (; p->table[k] != 0; k = (k + 1) & mask) {
		const struct passoc *x = &p->assocs[p->table[k] - 1];
		if (x->a == a && x->b == b && x->ta == ta && x->tb == tb)
			break;
	}
	return k;
}

static void
rehash(struct portal *p, size_t cap)
{
	uint32_t *old = p->table;
	size_t old_cap = p->table_cap;

	p->table = xbig_alloc(cap * sizeof(*p->table));
	p->table_cap = cap;
	p->table_used = 0;
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i] == 0)
			continue;
		const struct passoc *x = &p->assocs[old[i] - 1];
		p->table[slot_of(p, x->ta, x->a, x->tb, x->b)] = old[i];
		p->table_used++;
	}
	xbig_free(old, old_cap * sizeof(*old));
}

struct passoc *
portal_assoc(const struct portal *p, int tf, uint64_t f, int tt, uint64_t t,
    bool *reversed)
{
	bool rev = !ordered(tf, f, tt, t);
	size_t k;

	if (reversed != NULL)
		*reversed = rev;
	if (p->table_cap == 0)
		return NULL;
	k = rev ? slot_of(p, tt, t, tf, f) : slot_of(p, tf, f, tt, t);
	return p->table[k] != 0 ? &p->assocs[p->table[k] - 1] : NULL;
}

size_t
portal_assoc_defs(const struct portal *p, const struct passoc *a, bool reversed,
    int *out)
{
	size_t n = 0;

	for (size_t i = 0; i < a->ndefs; i++) {
		int d = a->defs[i];
		if (reversed)
			d = portal_def_inverse(p, d);
		if (d >= 0)
			out[n++] = d;
	}
	return n;
}

/* Removes a pair from the store (the table keeps its probe chains by
 * reinserting what follows). */
static void
drop(struct portal *p, struct passoc *x)
{
	size_t mask = p->table_cap - 1;
	size_t k = slot_of(p, x->ta, x->a, x->tb, x->b);
	uint32_t idx = p->table[k];

	p->table[k] = 0;
	p->table_used--;
	for (size_t j = (k + 1) & mask; p->table[j] != 0; j = (j + 1) & mask) {
		uint32_t e = p->table[j];
		const struct passoc *y = &p->assocs[e - 1];
		p->table[j] = 0;
		p->table[slot_of(p, y->ta, y->a, y->tb, y->b)] = e;
	}
	x->live = 0;
	x->ndefs = 0;
	if (p->nfree == p->free_cap) {
		p->free_cap = p->free_cap ? p->free_cap * 2 : 64;
		p->free_list = xreallocarray(p->free_list, p->free_cap,
		    sizeof(*p->free_list));
	}
	p->free_list[p->nfree++] = idx - 1;
	p->live--;
}

/* The slot of an owner in the map of ones; the map is never full. */
static struct pone *
one_slot(struct portal *p, uint16_t group, uint16_t type, uint64_t owner)
{
	size_t mask = p->ones_cap - 1;
	size_t k = mix64(owner ^ ((uint64_t)group << 48) ^ ((uint64_t)type << 32)) & mask;

	while (p->ones[k].used && !(p->ones[k].owner == owner &&
	    p->ones[k].group == group && p->ones[k].type == type))
		k = (k + 1) & mask;
	return &p->ones[k];
}

static void
ones_grow(struct portal *p)
{
	struct pone *old = p->ones;
	size_t old_cap = p->ones_cap;

	p->ones_cap = old_cap ? old_cap * 2 : 256;
	p->ones = xcalloc(p->ones_cap, sizeof(*p->ones));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].used)
			*one_slot(p, old[i].group, old[i].type, old[i].owner) = old[i];
	free(old);
}

/* Where a definition's "one" is kept: a group for the pair of definitions
 * and the owning end of the association from -> to. */
static void
one_key(const struct portal *p, int d, int tf, uint64_t f, int tt, uint64_t t,
    uint16_t *group, uint16_t *type, uint64_t *owner, uint64_t *other)
{
	int inv = portal_def_inverse(p, d);
	const struct pdef *x = &p->defs[d];

	*group = (uint16_t)(inv >= 0 && inv < d ? inv : d);
	if (x->owner == 1) {
		*type = (uint16_t)tf, *owner = f, *other = t;
	} else {
		*type = (uint16_t)tt, *owner = t, *other = f;
	}
}

/* Forgets the one an association held, when it held it. */
static void
one_clear(struct portal *p, int d, int tf, uint64_t f, int tt, uint64_t t)
{
	uint16_t group, type;
	uint64_t owner, other;
	struct pone *o;

	if (p->defs[d].owner == 0 || p->ones_cap == 0)
		return;
	one_key(p, d, tf, f, tt, t, &group, &type, &owner, &other);
	o = one_slot(p, group, type, owner);
	if (!o->used || o->other != other)
		return;
	/* Delete and reinsert the rest of the probe chain. */
	size_t mask = p->ones_cap - 1, k = (size_t)(o - p->ones);
	o->used = 0;
	for (size_t j = (k + 1) & mask; p->ones[j].used; j = (j + 1) & mask) {
		struct pone e = p->ones[j];
		p->ones[j].used = 0;
		*one_slot(p, e.group, e.type, e.owner) = e;
	}
	p->ones_used--;
}

static void remove_def(struct portal *p, struct passoc *x, bool rev, int d);

/* Makes (f, t) the one of its owner for d, demoting the previous one. */
static void
one_take(struct portal *p, int d, int tf, uint64_t f, int tt, uint64_t t)
{
	uint16_t group, type;
	uint64_t owner, other;
	struct pone *o;

	if (p->defs[d].owner == 0)
		return;
	if (p->ones_used * 2 >= p->ones_cap)
		ones_grow(p);
	one_key(p, d, tf, f, tt, t, &group, &type, &owner, &other);
	o = one_slot(p, group, type, owner);
	if (o->used && o->other != other) {
		/* The old holder keeps its other types. */
		uint64_t old = o->other;
		bool rev;
		struct passoc *x = p->defs[d].owner == 1 ?
		    portal_assoc(p, tf, f, tt, old, &rev) :
		    portal_assoc(p, tf, old, tt, t, &rev);
		if (x != NULL)
			remove_def(p, x, rev, d);
		o = one_slot(p, group, type, owner);
	}
	if (!o->used)
		p->ones_used++;
	*o = (struct pone){ .owner = owner, .other = other, .group = group,
	    .type = type, .used = 1 };
}

int
portal_assoc_add(struct portal *p, int tf, uint64_t f, int tt, uint64_t t, int d)
{
	bool rev;
	struct passoc *x;
	int stored;

	if (d < 0)
		return -1;
	/* The definition as the pair stores it, checked before anything
	 * changes. */
	rev = !ordered(tf, f, tt, t);
	stored = rev ? portal_def_inverse(p, d) : d;
	if (stored < 0)
		return -1;
	one_take(p, d, tf, f, tt, t);
	if (p->table_used * 2 >= p->table_cap)
		rehash(p, p->table_cap ? p->table_cap * 2 : 1024);
	x = portal_assoc(p, tf, f, tt, t, &rev);
	if (x == NULL) {
		size_t idx;
		if (p->nfree > 0) {
			idx = p->free_list[--p->nfree];
		} else {
			if (p->nassocs == p->cap) {
				size_t cap = p->cap ? p->cap * 2 : 1024;
				p->assocs = xbig_grow(p->assocs, p->cap * sizeof(*p->assocs),
				    cap * sizeof(*p->assocs));
				p->cap = cap;
			}
			idx = p->nassocs++;
		}
		x = &p->assocs[idx];
		memset(x, 0, sizeof(*x));
		x->live = 1;
		if (rev) {
			x->ta = (uint16_t)tt, x->a = t, x->tb = (uint16_t)tf, x->b = f;
		} else {
			x->ta = (uint16_t)tf, x->a = f, x->tb = (uint16_t)tt, x->b = t;
		}
		p->table[slot_of(p, x->ta, x->a, x->tb, x->b)] = (uint32_t)idx + 1;
		p->table_used++;
		p->live++;
	}
	for (size_t i = 0; i < x->ndefs; i++)
		if (x->defs[i] == stored)
			return 0;
	if (x->ndefs == PORTAL_MAX_DEFS_PER_PAIR)
		return -1;
	x->defs[x->ndefs++] = (uint16_t)stored;
	portal_keep_note(p, '+', tf, f, tt, t, d);
	return 0;
}

/* Removes definition d, given in the direction the caller asked about;
 * removes the pair with its last definition. */
static void
remove_def(struct portal *p, struct passoc *x, bool rev, int d)
{
	int stored = rev ? portal_def_inverse(p, d) : d;

	if (stored < 0)
		return;
	for (size_t i = 0; i < x->ndefs; i++) {
		if (x->defs[i] != stored)
			continue;
		one_clear(p, stored, x->ta, x->a, x->tb, x->b);
		x->defs[i] = x->defs[--x->ndefs];
		break;
	}
	if (x->ndefs == 0)
		drop(p, x);
}

void
portal_assoc_remove_def(struct portal *p, int tf, uint64_t f, int tt, uint64_t t,
    int d)
{
	bool rev;
	struct passoc *x = portal_assoc(p, tf, f, tt, t, &rev);

	if (x != NULL && d >= 0) {
		remove_def(p, x, rev, d);
		portal_keep_note(p, '-', tf, f, tt, t, d);
	}
}

void
portal_assoc_remove(struct portal *p, int tf, uint64_t f, int tt, uint64_t t)
{
	struct passoc *x = portal_assoc(p, tf, f, tt, t, NULL);

	if (x == NULL)
		return;
	for (size_t i = 0; i < x->ndefs; i++)
		one_clear(p, x->defs[i], x->ta, x->a, x->tb, x->b);
	drop(p, x);
	portal_keep_note(p, 'x', tf, f, tt, t, -1);
}

void
portal_each(const struct portal *p, int type, uint64_t id, int other,
    void (*fn)(void *arg, uint64_t other_id, const struct passoc *a,
    bool reversed), void *arg)
{
	/* A scan: reads are rare next to writes, and an index per record
	 * would cost more memory than the store itself. */
	for (size_t i = 0; i < p->nassocs; i++) {
		const struct passoc *x = &p->assocs[i];
		if (!x->live)
			continue;
		if (x->ta == type && x->a == id && x->tb == other)
			fn(arg, x->b, x, false);
		else if (x->tb == type && x->b == id && x->ta == other &&
		    !(x->ta == x->tb && x->a == x->b))
			fn(arg, x->a, x, true);
	}
}

void
portal_record_props(const struct portal *p, int type, uint64_t id, char *name,
    size_t namelen, char *extra, size_t extralen)
{
	static const char *const first[] = { "Ada", "Grace", "Alan", "Edsger",
	    "Barbara", "Ken", "Margaret", "Linus", "Frances", "Dennis" };
	static const char *const last[] = { "Lovelace", "Hopper", "Turing",
	    "Dijkstra", "Liskov", "Thompson", "Hamilton", "Torvalds", "Allen",
	    "Ritchie" };
	static const char *const org[] = { "Acme", "Globex", "Initech", "Umbrella",
	    "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent" };
	uint64_t h = mix64(id ^ p->opts->seed ^ ((uint64_t)type << 56));
	const struct ptype *t = &p->types[type];

	if (strcmp(t->id, "0-1") == 0) {
		/* An email no other contact has: its ID is in it. */
		snprintf(name, namelen, "%s %s", first[h % 10], last[(h >> 8) % 10]);
		snprintf(extra, extralen, "%s.%s.%llu@example.com", first[h % 10],
		    last[(h >> 8) % 10], (unsigned long long)id);
		for (char *c = extra; *c != '\0'; c++)
			*c = (char)ascii_tolower((unsigned char)*c);
	} else if (strcmp(t->id, "0-2") == 0) {
		/* A domain of its own, but the second company shares the
		 * first's: a domain is no unique key. */
		uint64_t d = t->nids > 1 && id == t->ids[1] ? t->ids[0] : id;
		uint64_t hd = mix64(d ^ p->opts->seed ^ ((uint64_t)type << 56));
		const char *shared = shared_domain_of(p, id);
		snprintf(name, namelen, "%s %s", org[h % 10],
		    (h >> 8) % 2 ? "Inc" : "GmbH");
		if (shared != NULL)
			snprintf(extra, extralen, "%s", shared);
		else
			snprintf(extra, extralen, "%s-%llu.com", org[hd % 10],
			    (unsigned long long)d);
		for (char *c = extra; *c != '\0'; c++)
			*c = (char)ascii_tolower((unsigned char)*c);
	} else if (t->custom) {
		/* A car: its model, and a VIN no other has (its ID in it). */
		static const char *const model[] = { "Roadster", "Coupe", "Estate",
		    "Pickup", "Cabrio" };
		snprintf(name, namelen, "%s %llu", model[h % 5],
		    (unsigned long long)(h % 100));
		snprintf(extra, extralen, "VIN-%llu", (unsigned long long)id);
	} else {
		snprintf(name, namelen, "%s %llu", t->singular,
		    (unsigned long long)(h % 10000));
		snprintf(extra, extralen, "%s", "");
	}
}

/* The record a key names, by the number in it: an email's last dotted
 * part before the @, a domain's after its last '-'. */
static bool
key_id(const char *value, bool email, uint64_t *id)
{
	const char *end = email ? strchr(value, '@') : strrchr(value, '.');
	const char *start;
	char digits[24];

	if (end == NULL)
		return false;
	for (start = end; start > value && start[-1] >= '0' && start[-1] <= '9'; start--)
		;
	if (start == end || (size_t)(end - start) >= sizeof(digits) || start == value ||
	    start[-1] != (email ? '.' : '-'))
		return false;
	memcpy(digits, start, (size_t)(end - start));
	digits[end - start] = '\0';
	return portal_parse_id(digits, id);
}

int
portal_find_by(const struct portal *p, int type, const char *prop,
    const char *value, uint64_t *ids, size_t max)
{
	const struct ptype *t = &p->types[type];
	char name[128], extra[128];
	uint64_t id, cand[2];
	size_t ncand = 0, n = 0;

	if (strcmp(prop, "hs_object_id") == 0) {
		if (portal_parse_id(value, &id) && portal_exists(p, type, id) && max > 0)
			ids[n++] = id;
		return (int)n;
	}
	bool email = strcmp(prop, "email") == 0 && strcmp(t->id, "0-1") == 0;
	bool domain = strcmp(prop, "domain") == 0 && strcmp(t->id, "0-2") == 0;
	bool vin = strcmp(prop, "vin") == 0 && t->custom;
	if (!email && !domain && !vin)
		return -1;
	if (vin) {
		/* Exactly as stored: a custom property compares as written. */
		if (strncmp(value, "VIN-", 4) == 0 && portal_parse_id(value + 4, &id) &&
		    portal_exists(p, type, id) && max > 0)
			ids[n++] = id;
		return (int)n;
	}
	if (!key_id(value, email, &id))
		return 0;
	cand[ncand++] = id;
	/* The domain the first company shares with the second. */
	if (domain && t->nids > 1 && id == t->ids[0])
		cand[ncand++] = t->ids[1];
	for (size_t i = 0; i < ncand && n < max; i++) {
		if (!portal_exists(p, type, cand[i]))
			continue;
		portal_record_props(p, type, cand[i], name, sizeof(name), extra,
		    sizeof(extra));
		if (ascii_casecmp(extra, value) == 0)
			ids[n++] = cand[i];
	}
	return (int)n;
}

bool
portal_key_unique(const struct portal *p, int type, const char *prop)
{
	return strcmp(prop, "hs_object_id") == 0 || (strcmp(prop, "email") == 0 &&
	    strcmp(p->types[type].id, "0-1") == 0) || (strcmp(prop, "vin") == 0 &&
	    p->types[type].custom);
}
