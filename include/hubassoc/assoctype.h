/*
 * assoctype.h: association type specs and the built-in HUBSPOT_DEFINED table.
 *
 * A spec is what the user wrote: "279", "HUBSPOT_DEFINED:279",
 * "USER_DEFINED:36" or a label name ("Billing contact", "Primary",
 * "unlabeled").  Specs are checked against the direction before anything is
 * sent: HubSpot validates IDs against the types a typeId implies, so a typeId
 * for the wrong direction fails every row.
 */
#ifndef HUBASSOC_ASSOCTYPE_H
#define HUBASSOC_ASSOCTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/objtype.h"
#include "hubassoc/util.h"

enum assoc_category {
	ASSOC_CAT_UNKNOWN,      /* a bare number whose category is to be found */
	ASSOC_CAT_HUBSPOT,      /* HUBSPOT_DEFINED */
	ASSOC_CAT_USER,         /* USER_DEFINED */
	ASSOC_CAT_INTEGRATOR,   /* INTEGRATOR_DEFINED */
	ASSOC_CAT_WORK,         /* WORK (newest spec only) */
	ASSOC_CAT_LABEL,        /* a label name, resolved through the portal */
};

struct assoc_spec {
	enum assoc_category cat;
	uint32_t type_id;       /* unless ASSOC_CAT_LABEL */
	char *label;            /* ASSOC_CAT_LABEL: the name as written */
};

#define ASSOC_TYPE_ID_MAX 2147483647u /* associationTypeId is an int32 */

/* Category names as HubSpot spells them; NULL for UNKNOWN and LABEL. */
const char *assoc_category_name(enum assoc_category cat);
/* Parses "HUBSPOT_DEFINED" (any case); returns -1 when unknown. */
int assoc_category_parse(const char *s, size_t n, enum assoc_category *out);

/* Parses one spec from s[0..n) (trimmed).  Owns nothing of s. */
int assoc_spec_parse(const char *s, size_t n, struct assoc_spec *out,
    char **cause);
void assoc_spec_clear(struct assoc_spec *spec);
void assoc_spec_copy(struct assoc_spec *dst, const struct assoc_spec *src);
/* "HUBSPOT_DEFINED:279", "279" (category unknown), or the label name. */
void assoc_spec_format(struct buf *out, const struct assoc_spec *spec);

/* Flags users must be warned about before writing. */
#define ASSOC_F_PRIMARY       0x1 /* a record has one primary: writing moves it */
#define ASSOC_F_SINGLE_PARENT 0x2 /* a record has one parent of this kind */

struct assoc_builtin {
	const char *from_id, *to_id; /* object type IDs */
	uint32_t type_id;
	uint32_t inverse;
	const char *label;           /* NULL when unlabeled */
	unsigned flags;
};

const struct assoc_builtin *assoc_builtin_table(size_t *n);
/* The entry for type_id in this direction, else NULL. */
const struct assoc_builtin *assoc_builtin_find(uint32_t type_id,
    const char *from_id, const char *to_id);
/* The entry for type_id in any direction (its first), else NULL. */
const struct assoc_builtin *assoc_builtin_any(uint32_t type_id);
/* Describes an entry: "contact to company, unlabeled". */
void assoc_builtin_describe(struct buf *out, const struct assoc_builtin *b);

/*
 * A label as the portal lists it for one direction (GET .../labels).  The
 * built-in table gives a default list for the standard pairs; the engine
 * replaces it with the portal's answer.
 */
struct assoc_label {
	enum assoc_category cat;
	uint32_t type_id;
	char *label;         /* NULL for the unlabeled type */
	uint32_t inverse;    /* 0 when unknown or unpaired */
};

struct assoc_labels {
	struct assoc_label *v;
	size_t n;
	bool from_portal;    /* false: only the built-in table is known */
};

/* Fills list with the built-in entries for the direction. */
void assoc_labels_builtin(struct assoc_labels *list, const struct objtype *from,
    const struct objtype *to);
void assoc_labels_add(struct assoc_labels *list, enum assoc_category cat,
    uint32_t type_id, const char *label, uint32_t inverse);
void assoc_labels_free(struct assoc_labels *list);
/* The type of the list that is cat:type_id, or NULL. */
const struct assoc_label *assoc_labels_find(const struct assoc_labels *list,
    enum assoc_category cat, uint32_t type_id);
/* USER_DEFINED labels HubSpot allows an object pair. */
#define ASSOC_LABELS_MAX 50

/* The limits an admin configured for a direction (userEnforcedMaxToObjectIds):
 * how many records of TO one FROM record may hold with a type. */
struct assoc_limit {
	enum assoc_category cat;
	uint32_t type_id;
	uint32_t max;
};
struct assoc_limits {
	struct assoc_limit *v;
	size_t n;
};

/*
 * Resolves a spec for the direction from -> to against the known labels:
 * a bare number takes its category from the list, else from the built-in
 * table, else HUBSPOT_DEFINED; a label name is matched without regard to
 * case ("unlabeled" names the type whose label is null).  A typeId that the
 * built-in table knows for another direction is an error.  On success the
 * spec has a category; it may stay ASSOC_CAT_LABEL only when the list is not
 * the portal's and the name is not built in.  *note, when set, is a warning
 * to show (the caller frees it).
 */
int assoc_spec_resolve(struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to, const struct assoc_labels *labels, char **note,
    char **cause);

/* Describes a resolved spec for humans: "HUBSPOT_DEFINED:279 (contact to
 * company, unlabeled)", "USER_DEFINED:36 (Billing contact)". */
void assoc_spec_describe(struct buf *out, const struct assoc_spec *spec,
    const struct objtype *from, const struct objtype *to,
    const struct assoc_labels *labels);

/* Whether a resolved spec may be the direction's unlabeled type: a
 * HUBSPOT_DEFINED one the built-in table does not know to carry a label.
 * labels/archive cannot take it without taking every label. */
bool assoc_spec_may_be_unlabeled(const struct assoc_spec *spec,
    const struct objtype *from, const struct objtype *to);

/* Flags (ASSOC_F_*) of a resolved spec in this direction. */
unsigned assoc_spec_flags(const struct assoc_spec *spec,
    const struct objtype *from, const struct objtype *to);

/* Which end of a pair holds a type that is one a record (Primary: the
 * contact, deal or ticket; a parent: the child): 1 FROM, 2 TO, 0 none. */
int assoc_spec_owner(const struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to);

#endif
