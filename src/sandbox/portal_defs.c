/*
 * portal_defs.c: what a portal's admin sets beside the seeded definitions:
 * USER_DEFINED labels made and deleted (at most 50 an object pair, as
 * HubSpot allows), and the limits on how many records one record may hold
 * with a type.  Kept in the portal's file as lines of their own:
 *   L FROMTYPE TOTYPE ID1 ID2 LABEL<TAB>INVERSE   a label made
 *   D FROMTYPE TOTYPE ID                          a label deleted
 *   M FROMTYPE TOTYPE CATEGORY ID MAX             a limit set (0: none)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "portal.h"

static void
add(struct portal *p, int from, int to, uint32_t id, uint32_t inverse,
    const char *label)
{
	p->defs = xreallocarray(p->defs, p->ndefs + 1, sizeof(*p->defs));
	p->defs[p->ndefs++] = (struct pdef){
		.from = (uint16_t)from, .to = (uint16_t)to, .cat = ASSOC_CAT_USER,
		.type_id = id, .inverse = inverse, .label = xstrdup(label),
	};
}

static void
note(struct portal *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(struct portal *p, const char *fmt, ...)
{
	va_list ap;

	if (p->kept == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(p->kept, fmt, ap);
	va_end(ap);
	fflush(p->kept);
}

/* A label made, with the IDs it gets: its own, and beyond the others. */
static int
made(struct portal *p, int from, int to, const char *label, const char *inverse,
    uint32_t id1, uint32_t id2)
{
	add(p, from, to, id1, id2, label);
	/* Within one object type an unpaired label is its own other end. */
	if (from != to || inverse != NULL)
		add(p, to, from, id2, id1, inverse != NULL ? inverse : label);
	return 0;
}

int
portal_label_create(struct portal *p, int from, int to, const char *label,
    const char *inverse, uint32_t ids[2], const char **why)
{
	uint32_t top = 0;
	size_t have = 0;

	for (size_t i = 0; i < p->ndefs; i++) {
		const struct pdef *d = &p->defs[i];
		if (d->cat == ASSOC_CAT_USER && d->type_id > top)
			top = d->type_id;
		if (d->deleted || d->cat != ASSOC_CAT_USER || d->from != from ||
		    d->to != to)
			continue;
		have++;
		if (d->label != NULL && strcasecmp(d->label, label) == 0) {
			*why = "exists";
			return -1;
		}
	}
	if (have >= PORTAL_MAX_LABELS) {
		*why = "cap";
		return -1;
	}
	ids[0] = top + 1;
	ids[1] = from != to || inverse != NULL ? top + 2 : top + 1;
	made(p, from, to, label, inverse, ids[0], ids[1]);
	note(p, "L %s %s %u %u %s\t%s\n", p->types[from].id, p->types[to].id, ids[0],
	    ids[1], label, inverse != NULL ? inverse : "");
	return 0;
}

/* Every pair that holds d loses it (and goes when nothing is left): the
 * store scanned, as HubSpot takes a deleted label off its records. */
static bool
holds(const struct portal *p, const struct passoc *x, bool reversed, int d)
{
	int defs[PORTAL_MAX_DEFS_PER_PAIR];
	size_t n = portal_assoc_defs(p, x, reversed, defs);

	for (size_t i = 0; i < n; i++)
		if (defs[i] == d)
			return true;
	return false;
}

static void
strip(struct portal *p, int d)
{
	int from = p->defs[d].from, to = p->defs[d].to;
	uint64_t *f = NULL, *t = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < p->nassocs; i++) {
		const struct passoc *x = &p->assocs[i];
		for (int rev = 0; rev < 2 && x->live; rev++) {
			if ((rev ? x->tb : x->ta) != from || (rev ? x->ta : x->tb) != to ||
			    !holds(p, x, rev, d))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				f = xreallocarray(f, cap, sizeof(*f));
				t = xreallocarray(t, cap, sizeof(*t));
			}
			f[n] = rev ? x->b : x->a;
			t[n++] = rev ? x->a : x->b;
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		portal_assoc_remove_def(p, from, f[i], to, t[i], d);
	free(f);
	free(t);
}

/* d's other direction, deleted or not. */
static int
inverse_of(const struct portal *p, size_t d)
{
	const struct pdef *x = &p->defs[d];

	for (size_t i = 0; i < p->ndefs; i++)
		if (p->defs[i].from == x->to && p->defs[i].to == x->from &&
		    p->defs[i].cat == x->cat && p->defs[i].type_id == x->inverse)
			return (int)i;
	return -1;
}

int
portal_label_delete(struct portal *p, int from, int to, uint32_t type_id)
{
	int d = portal_def(p, from, to, ASSOC_CAT_USER, type_id);

	if (d < 0)
		return -1;
	int inv = inverse_of(p, (size_t)d);
	strip(p, d);
	p->defs[d].deleted = true;
	if (inv >= 0)
		p->defs[inv].deleted = true;
	note(p, "D %s %s %u\n", p->types[from].id, p->types[to].id, type_id);
	return 0;
}

int
portal_limits_apply(struct portal *p, const char *spec, char **cause)
{
	char *all = xstrdup(spec), *save = NULL;
	int rc = 0;

	for (char *one = strtok_r(all, ",", &save); one != NULL && rc == 0;
	    one = strtok_r(NULL, ",", &save)) {
		char *s1 = strchr(one, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
		char *eq = s2 ? strrchr(s2 + 1, '=') : NULL;
		struct assoc_spec sp;
		unsigned long long max;
		char *why = NULL;
		int from = -1, to = -1, d = -1;

		if (eq != NULL) {
			*s1 = *s2 = *eq = '\0';
			from = portal_type(p, one);
			to = portal_type(p, s1 + 1);
		}
		if (eq != NULL && from >= 0 && to >= 0 &&
		    assoc_spec_parse(s2 + 1, strlen(s2 + 1), &sp, &why) == 0 &&
		    sp.cat != ASSOC_CAT_LABEL && sp.cat != ASSOC_CAT_UNKNOWN &&
		    parse_uint(eq + 1, 1, 1000000000, &max) == 0)
			d = portal_def(p, from, to, sp.cat, sp.type_id);
		free(why);
		if (d < 0) {
			*cause = xasprintf("--assoc-limit: '%s' is not FROM/TO/CATEGORY:ID=N "
			    "naming a type of the direction", spec);
			rc = -1;
			break;
		}
		portal_limit_set(p, d, (uint32_t)max);
	}
	free(all);
	return rc;
}

void
portal_limit_set(struct portal *p, int d, uint32_t max)
{
	const struct pdef *x = &p->defs[d];

	p->defs[d].max_to = max;
	note(p, "M %s %s %s %u %u\n", p->types[x->from].id, p->types[x->to].id,
	    assoc_category_name(x->cat), x->type_id, max);
}

struct count {
	const struct portal *p;
	int d;
	size_t n;
};

static void
count_def(void *arg, uint64_t other, const struct passoc *a, bool reversed)
{
	struct count *c = arg;
	int defs[PORTAL_MAX_DEFS_PER_PAIR];
	size_t n = portal_assoc_defs(c->p, a, reversed, defs);

	(void)other;
	for (size_t i = 0; i < n; i++)
		c->n += defs[i] == c->d;
}

size_t
portal_count_with(const struct portal *p, int d, uint64_t id)
{
	struct count c = { p, d, 0 };

	portal_each(p, p->defs[d].from, id, p->defs[d].to, count_def, &c);
	return c.n;
}

void
portal_defs_reset(struct portal *p)
{
	for (size_t i = p->nseeded_defs; i < p->ndefs; i++)
		free(p->defs[i].label);
	p->ndefs = p->nseeded_defs;
	for (size_t i = 0; i < p->ndefs; i++) {
		p->defs[i].max_to = 0;
		p->defs[i].deleted = false;
	}
}

bool
portal_defs_apply(struct portal *p, const char *line)
{
	char ta[32], tb[32], cat[32];
	unsigned id1, id2, max;
	int pos = 0;

	if (line[0] == 'L' && sscanf(line, "L %31s %31s %u %u %n", ta, tb, &id1, &id2,
	    &pos) == 4 && pos > 0) {
		int f = portal_type(p, ta), t = portal_type(p, tb);
		const char *label = line + pos, *tab = strchr(label, '\t');
		if (f < 0 || t < 0 || tab == NULL)
			return false;
		char *l = xstrndup(label, (size_t)(tab - label));
		char *inv = xstrndup(tab + 1, strcspn(tab + 1, "\n"));
		made(p, f, t, l, inv[0] != '\0' ? inv : NULL, id1, id2);
		free(l);
		free(inv);
		return true;
	}
	if (line[0] == 'D' && sscanf(line, "D %31s %31s %u", ta, tb, &id1) == 3) {
		int f = portal_type(p, ta), t = portal_type(p, tb);
		return f >= 0 && t >= 0 && portal_label_delete(p, f, t, id1) == 0;
	}
	if (line[0] == 'M' && sscanf(line, "M %31s %31s %31s %u %u", ta, tb, cat, &id1,
	    &max) == 5) {
		enum assoc_category c;
		int f = portal_type(p, ta), t = portal_type(p, tb), d;
		if (f < 0 || t < 0 || assoc_category_parse(cat, strlen(cat), &c) != 0 ||
		    (d = portal_def(p, f, t, c, id1)) < 0)
			return false;
		p->defs[d].max_to = max;
		return true;
	}
	return false;
}

void
portal_defs_write(const struct portal *p, FILE *f)
{
	/* The labels made, deleted ones too (their IDs stay taken), then the
	 * deletions and the limits. */
	for (size_t i = p->nseeded_defs; i < p->ndefs; i++) {
		const struct pdef *d = &p->defs[i];
		int inv = inverse_of(p, i);
		/* Each label once: by its first direction. */
		if (inv >= 0 && (size_t)inv < i)
			continue;
		const char *other = inv >= 0 && inv != (int)i ? p->defs[inv].label : "";
		fprintf(f, "L %s %s %u %u %s\t%s\n", p->types[d->from].id,
		    p->types[d->to].id, d->type_id, d->inverse, d->label, other);
	}
	for (size_t i = p->nseeded_defs; i < p->ndefs; i++) {
		const struct pdef *d = &p->defs[i];
		int inv = inverse_of(p, i);
		if (d->deleted && !(inv >= 0 && (size_t)inv < i))
			fprintf(f, "D %s %s %u\n", p->types[d->from].id, p->types[d->to].id,
			    d->type_id);
	}
	for (size_t i = 0; i < p->ndefs; i++) {
		const struct pdef *d = &p->defs[i];
		if (d->max_to > 0 && !d->deleted)
			fprintf(f, "M %s %s %s %u %u\n", p->types[d->from].id,
			    p->types[d->to].id, assoc_category_name(d->cat), d->type_id,
			    d->max_to);
	}
}
