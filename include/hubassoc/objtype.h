/*
 * objtype.h: CRM object types as users name them and as HubSpot reports them.
 *
 * A standard object is known by its plural name (contacts), its singular
 * name (contact) or its type ID (0-1).  Custom objects are 2-<n>, p_<name>
 * or p<portal>_<name>; a bare custom name is refused, as HubSpot refuses it.
 */
#ifndef HUBASSOC_OBJTYPE_H
#define HUBASSOC_OBJTYPE_H

#include <stdbool.h>
#include <string.h>
#include <stddef.h>

struct objtype_std {
	const char *id;         /* "0-1" */
	const char *plural;     /* "contacts": HubSpot's name, sent when certain */
	const char *singular;   /* "contact" */
	const char *error_name; /* "CONTACT", as in "CONTACT=101 is not valid" */
	bool certain;           /* HubSpot takes the name in paths; else the ID goes */
};

enum objtype_kind {
	OBJTYPE_STANDARD,    /* in the built-in table */
	OBJTYPE_ID,          /* 0-<n> not in the table, or 2-<n> */
	OBJTYPE_CUSTOM_NAME, /* p_<name> or p<portal>_<name> */
};

struct objtype {
	enum objtype_kind kind;
	const struct objtype_std *std; /* OBJTYPE_STANDARD only */
	char path[96];                 /* path segment: the ID as given, a
	                                * certain name, or p_name */
	char id[32];                   /* type ID when known, else "" */
};

/* Whether two object types are the same one: by type ID when both know
 * it ("contact" and "0-1"), else as paths name them. */
static inline bool
objtype_same(const struct objtype *a, const struct objtype *b)
{
	if (a->id[0] != '\0' && b->id[0] != '\0')
		return strcmp(a->id, b->id) == 0;
	return strcmp(a->path, b->path) == 0;
}

/* An end of a direction not chosen yet, as pairs not sent may have it
 * (draft.c): "?", which no name parses to. */
static inline void
objtype_set_unchosen(struct objtype *t)
{
	memset(t, 0, sizeof(*t));
	t->path[0] = '?';
}

/* Whether a path a journal records (journal_meta's from_path, to_path)
 * names a type: recorded, and chosen. */
static inline bool
objtype_path_chosen(const char *path)
{
	return path != NULL && strcmp(path, "?") != 0;
}

static inline bool
objtype_unchosen(const struct objtype *t)
{
	return !objtype_path_chosen(t->path);
}

/* The built-in table of standard objects, in the order of hubspot-api.md §3. */
const struct objtype_std *objtype_std_table(size_t *n);
const struct objtype_std *objtype_std_by_id(const char *id);

/* Parses a user's name for an object type.  On error, *cause says why and
 * suggests the nearest known name. */
int objtype_parse(const char *s, struct objtype *out, char **cause);

/* A name for messages: "contacts", "2-123" or "p_cars". */
const char *objtype_name(const struct objtype *t);
/* The singular noun for messages: "contact", or the path for custom types. */
const char *objtype_singular(const struct objtype *t);

/* True when an error text's object name (CONTACT, 0-1, P_CARS) denotes t. */
bool objtype_matches_error_name(const struct objtype *t, const char *name,
    size_t n);

/* A portal's custom object, as GET /crm/v3/schemas lists it. */
struct custom_object {
	char *name;       /* the path name: "p_cars" */
	char *id;         /* "2-123" */
	char *plural;     /* its plural label, as the portal shows it */
	char *display;    /* its primary display property, or NULL */
};

/* The custom objects of a schemas answer; entries without an ID are left
 * out.  -1 and *cause for a body that is not such an answer. */
int custom_objects_parse(const char *body, size_t len, struct custom_object **out,
    size_t *n, char **cause);
void custom_objects_free(struct custom_object *v, size_t n);
/* The custom object a mistyped name most likely meant ("cars" for p_cars),
 * by its name with and without p_ and its plural label; NULL for none
 * close enough. */
const struct custom_object *custom_objects_nearest(const char *s,
    const struct custom_object *v, size_t n);
/* The custom object t is (by type ID, or by name: p_cars, p123_cars), or
 * NULL. */
const struct custom_object *custom_objects_find(const struct objtype *t,
    const struct custom_object *v, size_t n);

/* Damerau-Levenshtein distance, capped at max + 1 for speed. */
size_t edit_distance(const char *a, const char *b, size_t max);
/* Of n names, the one nearest s (a typo's distance, by its length), or
 * NULL when none is near enough to help; for "did you mean". The names are
 * the const char * at offset in each of n elements of size bytes. */
const char *nearest_of(const char *s, const void *base, size_t n, size_t size,
    size_t offset);

#endif
