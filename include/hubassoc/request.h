/*
 * request.h: request paths and bodies, and their curl equivalents.
 */
#ifndef HUBASSOC_REQUEST_H
#define HUBASSOC_REQUEST_H

#include <stddef.h>

#include "hubassoc/input.h"
#include "hubassoc/objtype.h"
#include "hubassoc/plan.h"
#include "hubassoc/util.h"

#define REQUEST_BASE_URL_DEFAULT "https://api.hubapi.com"

enum api_version {
	API_V4,        /* /crm/v4/associations/... (supported until 2027-03-30) */
	API_2026_03,   /* /crm/associations/2026-03/... */
};

/* "v4" or "2026-03". */
const char *api_version_name(enum api_version v);
int api_version_parse(const char *s, enum api_version *out);

/* Appends the path of an associations endpoint, e.g. action "batch/create":
 * /crm/v4/associations/contacts/companies/batch/create. */
void request_assoc_path(struct buf *out, enum api_version v,
    const struct objtype *from, const struct objtype *to, const char *action);
/* The same for an objects endpoint ("batch/read", "search"), in the
 * version's line: /crm/v3/objects/contacts/batch/read with v4, else
 * /crm/objects/2026-03/contacts/batch/read.  The caller frees it. */
char *request_objects_path(enum api_version v, const struct objtype *t,
    const char *action);
/* The custom objects' schemas: /crm/v3/schemas with v4 (v3 ends in
 * September 2027), else /crm-object-schemas/2026-03/schemas. */
const char *request_schemas_path(enum api_version v);

/*
 * The body for chunk c of the plan, for its operation (plan_op_action):
 * one input per row, IDs as strings; a create's and an unlabel's with the
 * row's types as {associationCategory, associationTypeId}, a remove's with
 * "to" an array of one.  Fails when a row still has an unresolved label
 * name.  The caller frees the result.
 */
char *request_create_body(const struct plan *p, const struct input *in,
    size_t c, char **cause);
struct prestate;
/* The same for any rows of the plan (a part of a chunk, when narrowing a
 * refusal down).  With pre (the pre-state a preflight read; may be NULL),
 * each row of a create also carries the labels its pair holds that it does
 * not name (pre_row_kept), so that none is lost. */
char *request_create_body_rows(const struct plan *p, const struct input *in,
    const uint32_t *rows, size_t n, const struct prestate *pre, char **cause);

/* Appends a shell command that sends body with curl.  The token appears only
 * as "$HUBSPOT_ACCESS_TOKEN". */
void request_curl(struct buf *out, const char *method, const char *url,
    const char *body);

#endif
