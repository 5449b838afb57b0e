/*
 * labels.h: a direction's association types, as the portal lists them
 * (GET .../associations/{from}/{to}/labels).
 */
#ifndef HUBASSOC_LABELS_H
#define HUBASSOC_LABELS_H

#include "hubassoc/assoctype.h"
#include "hubassoc/http.h"
#include "hubassoc/request.h"
#include "hubassoc/response.h"

/* Reads a labels answer into list (from_portal set).  Entries that cannot
 * be read are skipped and counted in *skipped. */
int labels_parse(const char *body, size_t len, struct assoc_labels *list,
    size_t *skipped, char **cause);

/* The path of the labels endpoint for a direction. */
void labels_path(struct buf *out, enum api_version v, const struct objtype *from,
    const struct objtype *to);

/*
 * Fills in each label's inverse typeId: the built-in table's for HubSpot's
 * own types, else the reverse direction's entry of the same category whose
 * typeId is one away (HubSpot makes a pair's two IDs together).
 */
void labels_pair_inverses(struct assoc_labels *list, const struct assoc_labels *reverse,
    const struct objtype *from, const struct objtype *to);

/* What an admin sets.  The schema line's labels path for a direction (and
 * a type ID, for one label; 0: none): POST makes a label, DELETE one. */
void labels_schema_path(struct buf *out, const struct objtype *from,
    const struct objtype *to, uint32_t type_id);
/* The body that makes a label (paired when inverse is not NULL), its
 * internal name made from it; the caller frees it. */
char *labels_create_body(const char *label, const char *inverse);

/* The limits an admin configured for a direction (struct assoc_limits). */
void limits_path(struct buf *out, const struct objtype *from, const struct objtype *to);
int limits_parse(const char *body, size_t len, struct assoc_limits *out, char **cause);
/* A type's limit, 0 for none. */
uint32_t assoc_limits_find(const struct assoc_limits *l, enum assoc_category cat,
    uint32_t type_id);
void assoc_limits_free(struct assoc_limits *l);

#endif
