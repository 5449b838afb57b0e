/*
 * portal.h: the sandbox's demo portal: object types, association
 * definitions, records and the association store.  Not thread-safe: the
 * server holds its lock around every call.
 */
#ifndef HUBASSOC_SANDBOX_PORTAL_H
#define HUBASSOC_SANDBOX_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hubassoc/assoctype.h"
#include "sandbox.h"

#define PORTAL_ID 24681357u

/* HubSpot's documented object types and HUBSPOT_DEFINED association
 * types, the sandbox's own (hubspot_ids.c). */
struct sandbox_type {
	const char *id, *plural, *singular, *error_name;
};
struct sandbox_assoc_type {
	const char *from_id, *to_id;
	uint32_t type_id, inverse;
	const char *label;
	unsigned flags;
};
const struct sandbox_type *sandbox_types(size_t *n);
const struct sandbox_assoc_type *sandbox_assoc_types(size_t *n);

enum portal_kept { PORTAL_FRESH, PORTAL_KEPT, PORTAL_RESET, PORTAL_UNKEPT };
#define PORTAL_MAX_DEFS_PER_PAIR 8

struct ptype {
	char id[32];          /* "0-1", "2-7353817" */
	char name[64];        /* path name: "contacts", "cars" */
	char singular[64];    /* "contact", "car" */
	char error_name[64];  /* "CONTACT", "P24681357_CARS" */
	bool custom;
	uint64_t *ids;        /* the demo portal's records, sorted */
	size_t nids;
};

struct pdef {
	uint16_t from, to;    /* type indices */
	enum assoc_category cat;
	uint32_t type_id;
	char *label;          /* NULL: unlabeled */
	uint32_t inverse;     /* type_id of the other direction */
	unsigned flags;       /* ASSOC_F_PRIMARY, ASSOC_F_SINGLE_PARENT */
	int owner;            /* with a flag: the side that has only one such
	                       * association, 1 from or 2 to; else 0 */
	uint32_t max_to;      /* the admin's limit: records of `to` one `from`
	                       * may hold with it (0: none) */
	bool deleted;         /* a label deleted: listed and found no more */
};

/* Who a record's one primary (or parent) is, by definition pair. */
struct pone {
	uint64_t owner, other;
	uint16_t group, type;
	uint8_t used;
};

/* An association between two records, stored once for both directions:
 * (ta, a) is the lesser end; defs are in the a-to-b direction. */
struct passoc {
	uint64_t a, b;
	uint16_t ta, tb;
	uint16_t defs[PORTAL_MAX_DEFS_PER_PAIR];
	uint8_t ndefs;
	uint8_t live;
};

struct portal {
	const struct sandbox_opts *opts;
	struct ptype *types;
	size_t ntypes;
	struct pdef *defs;
	size_t ndefs;
	size_t nseeded_defs;  /* the rest are labels the admin made */
	/* The store: entries, a table of entry + 1 by pair, a free list. */
	struct passoc *assocs;
	size_t nassocs, cap;
	uint32_t *table;
	size_t table_cap, table_used;
	uint32_t *free_list;
	size_t nfree, free_cap;
	size_t live;
	uint64_t *missing;    /* sorted */
	size_t nmissing;
	struct pone *ones;    /* owner -> its one primary or parent */
	size_t ones_cap, ones_used;
	/* Kept in a file (keep.c): changes appended, a lock held. */
	FILE *kept;
	char *kept_path;
	int kept_lock;
	/* --domain-matches: the domains searched, each the domain of the
	 * companies from its base on. */
	char **shared_domains;
	size_t nshared;
};

/* --domain-matches: the first of the opts->domain_matches companies whose
 * domain is value (they follow it); each value a range of its own. */
uint64_t portal_shared_domain(struct portal *p, const char *value);

struct portal *portal_new(const struct sandbox_opts *o);
void portal_free(struct portal *p);
/* Back to the seeded state. */
void portal_reset(struct portal *p);
/* No association at all (the records stay). */
void portal_store_clear(struct portal *p);

/* The store kept in the file at path (keep.c): read back from it unless
 * reset, written whole, then each change appended.  PORTAL_UNKEPT with
 * *cause when another sandbox keeps it or it cannot be written. */
enum portal_kept portal_keep(struct portal *p, const char *path, bool reset,
    char **cause);
/* A change made through the calls below: '+' d added, '-' d removed, 'x'
 * the pair removed (d -1). */
void portal_keep_note(struct portal *p, char op, int tf, uint64_t f, int tt,
    uint64_t t, int d);
/* The store written whole again (after a reset). */
void portal_keep_rewrite(struct portal *p);
void portal_keep_close(struct portal *p);

/* A type by path segment: name, singular, ID, p_name, p<portal>_name. */
int portal_type(const struct portal *p, const char *seg);
bool portal_exists(const struct portal *p, int type, uint64_t id);
/* Reads a record ID: 1-19 digits within int64, as HubSpot's are. */
bool portal_parse_id(const char *s, uint64_t *id);

/* Definition lookups: for this direction, or in any direction. */
int portal_def(const struct portal *p, int from, int to, enum assoc_category cat,
    uint32_t type_id);
int portal_def_any(const struct portal *p, enum assoc_category cat,
    uint32_t type_id);
/* The inverse definition of d, -1 if none. */
int portal_def_inverse(const struct portal *p, int d);
/* The unlabeled HUBSPOT_DEFINED default for a direction, -1 if none. */
int portal_def_default(const struct portal *p, int from, int to);

/* Labels and limits as an admin sets them (portal_defs.c). */
#define PORTAL_MAX_LABELS ASSOC_LABELS_MAX  /* USER_DEFINED labels an object pair */
/* A USER_DEFINED label from -> to, paired with inverse (NULL: the same
 * label both ways); ids[0] its type ID, ids[1] the other direction's.
 * 0; -1 and *why ("exists", or the cap). */
int portal_label_create(struct portal *p, int from, int to, const char *label,
    const char *inverse, uint32_t ids[2], const char **why);
/* Deletes a USER_DEFINED label and its other direction, taking it off
 * every pair that holds it.  0; -1 when there is none. */
int portal_label_delete(struct portal *p, int from, int to, uint32_t type_id);
/* Sets (max 0: takes off) definition d's limit. */
void portal_limit_set(struct portal *p, int d, uint32_t max);
/* --assoc-limit's "FROM/TO/CATEGORY:ID=N[,...]": each limit set; -1 and
 * *cause for one that names no type of the direction. */
int portal_limits_apply(struct portal *p, const char *spec, char **cause);
/* How many records of d's `to` the record id of d's `from` holds with d. */
size_t portal_count_with(const struct portal *p, int d, uint64_t id);
/* The labels made and limits set dropped (portal_reset). */
void portal_defs_reset(struct portal *p);
/* A line of the kept file about labels or limits ("L", "D", "M"), applied;
 * false when it is none. */
bool portal_defs_apply(struct portal *p, const char *line);
/* The labels made and the limits set, as the kept file's lines. */
void portal_defs_write(const struct portal *p, FILE *f);

/* The association between two records, or NULL; *reversed says whether it
 * is stored in the other direction. */
struct passoc *portal_assoc(const struct portal *p, int tf, uint64_t f, int tt,
    uint64_t t, bool *reversed);
/* Definitions of an association in the direction tf -> tt. */
size_t portal_assoc_defs(const struct portal *p, const struct passoc *a,
    bool reversed, int *out);
/* Adds definition d (in direction tf -> tt) to a pair, creating it.  A
 * primary or parent definition first moves off the pair that held it for
 * the owning record, which keeps the rest of that pair (HubSpot demotes the
 * old primary to unlabeled). */
int portal_assoc_add(struct portal *p, int tf, uint64_t f, int tt, uint64_t t,
    int d);
/* Removes definition d; removing the last one removes the pair. */
void portal_assoc_remove_def(struct portal *p, int tf, uint64_t f, int tt,
    uint64_t t, int d);
void portal_assoc_remove(struct portal *p, int tf, uint64_t f, int tt,
    uint64_t t);

/* Calls fn for every association of record (type, id) with type other. */
void portal_each(const struct portal *p, int type, uint64_t id, int other,
    void (*fn)(void *arg, uint64_t other_id, const struct passoc *a,
    bool reversed), void *arg);

/* A deterministic property value for a record. */
/* The records whose property prop is value (case aside), at most max,
 * into ids: hs_object_id of any type, email of contacts (unique), domain
 * of companies (not unique: the demo's first two share one).  -1 for a
 * property that is no key here. */
int portal_find_by(const struct portal *p, int type, const char *prop,
    const char *value, uint64_t *ids, size_t max);
/* Whether prop names one record of type at most: hs_object_id, and a
 * contact's email. */
bool portal_key_unique(const struct portal *p, int type, const char *prop);
void portal_record_props(const struct portal *p, int type, uint64_t id,
    char *name, size_t namelen, char *extra, size_t extralen);

#endif
