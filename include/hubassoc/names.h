/*
 * names.h: records' display names by ID, to show beside the IDs.
 *
 * A contact is its first and last name, or its email; a company its name,
 * or its domain; a deal its dealname; a ticket its subject.  Names come at
 * no cost with a key's lookup (lookup.c), or are read for the IDs asked
 * (names_fetch: objects batch/read, 100 a request).  They come from the
 * server: shown only through the escaping every view and output applies.
 */
#ifndef HUBASSOC_NAMES_H
#define HUBASSOC_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/objtype.h"
#include "hubassoc/request.h"
#include "hubassoc/util.h"

#define NAMES_MAX_BYTES 200   /* a name's bytes kept */
#define NAMES_PROPS_MAX 4

struct names {
	char **ids, **names;      /* an open-addressed table, NULL when free */
	size_t cap, n;
};

void names_free(struct names *n);
/* Keeps name for id (the first 200 bytes, whole UTF-8 characters); a later
 * one replaces it; an empty name is not kept. */
void names_put(struct names *n, const char *id, const char *name);
/* Keeps every name of from in into (names_put). */
void names_merge(struct names *into, const struct names *from);
const char *names_get(const struct names *n, const char *id);
/* Every name, in no order. */
void names_each(const struct names *n, void (*fn)(void *arg, const char *id,
    const char *name), void *arg);

/* How a type's records are named: the first of props that a record has,
 * or all of them joined by spaces (a contact's first and last name), else
 * the fallback (its email).  The strings are static or the caller's. */
struct names_kind {
	const char *props[3];
	bool join;
	const char *fallback;
};
/* A standard type's, or a custom object's by its primary display
 * property (display, from its schema; NULL when not known).  false: no
 * name is known for the type's records. */
bool names_kind_of(const struct objtype *t, const char *display, struct names_kind *k);
/* The properties to ask for, NAMES_PROPS_MAX at most. */
size_t names_props(const struct names_kind *k, const char *props[NAMES_PROPS_MAX]);

struct cJSON;
/* A record's display name from its "properties" object, into out (empty
 * when it has none). */
void names_of_record(const struct names_kind *k, const struct cJSON *props,
    struct buf *out);

/* The distinct IDs on side (0 FROM, 1 TO) of in's valid rows that have
 * no name in have: *ids (free it) points into in.  Returns how many. */
struct input;
size_t names_wanted(const struct input *in, int side, const struct names *have,
    const char ***ids);

/* Queues objects batch/read of ids' names on c (kind names the calls);
 * the answers fill n.  Returns the requests queued. */
struct calls;
size_t names_fetch(struct calls *c, enum api_version api, const char *kind,
    const struct objtype *t, const struct names_kind *k, const char *const *ids,
    size_t nids, struct names *n);

#endif
