/*
 * api.h: the sandbox's endpoints: routing, and answering a request against
 * the portal with HubSpot's bodies.  No HTTP here: the server passes the
 * method, path, query and body, and sends what comes back.
 */
#ifndef HUBASSOC_SANDBOX_API_H
#define HUBASSOC_SANDBOX_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/util.h"
#include "portal.h"

enum endpoint {
	EP_NOT_FOUND,
	EP_BAD_METHOD,
	EP_BAD_TYPE,        /* a path with an object type HubSpot cannot infer */
	EP_CREATE,
	EP_DEFAULT,
	EP_READ,
	EP_ARCHIVE,
	EP_LABELS_ARCHIVE,
	EP_LABELS,
	EP_LABEL_CREATE,    /* POST .../F/T/labels */
	EP_LABEL_DELETE,    /* DELETE .../F/T/labels/ID */
	EP_LIMITS,          /* GET /crm/associations/v4/definitions/configurations/F/T */
	EP_LIMITS_SET,      /* POST .../configurations/F/T/batch/create or update */
	EP_LIMITS_PURGE,    /* POST .../configurations/F/T/batch/purge */
	EP_OBJECTS_READ,
	EP_OBJECTS_SEARCH,  /* POST /crm/v3/objects/T/search */
	EP_OBJECTS_LIST,    /* GET /crm/v3/objects/T */
	EP_SCHEMAS,
	EP_SB_ASSOCIATIONS, /* GET /_sandbox/associations?from=&to= */
	EP_SB_RESET,        /* POST /_sandbox/reset */
	EP_SB_OBJECTS,      /* GET /_sandbox/objects?type= */
};

struct route {
	enum endpoint ep;
	int from, to;       /* type indices, -1 when not in the path */
	char bad[96];       /* EP_BAD_TYPE: the segment */
	bool write;         /* changes the store */
	bool dated;         /* a date-versioned path (2026-03), not v4 */
	uint32_t type_id;   /* EP_LABEL_DELETE: the label's */
};

struct api_reply {
	int status;
	struct buf body;    /* empty for 204 */
	size_t inputs;      /* inputs in the request, for the log */
	bool hostile;       /* --hostile: messages carry escape sequences */
};

/* Finds the endpoint of method and path (no query string). */
void api_route(const struct portal *p, const char *method, const char *path,
    struct route *r);
/* The granular scopes the endpoint needs, comma-separated, into out. */
void api_scopes(const struct portal *p, const struct route *r, struct buf *out);

/* Answers a routed request.  rng seeds correlation IDs and result order. */
void api_handle(struct portal *p, const struct route *r, const char *query,
    const char *body, size_t len, uint64_t rng, struct api_reply *out);

/* A HubSpot error body: {"status":"error","message",...}; category may be
 * NULL (429s and JSON binder errors carry none). */
void api_error(struct api_reply *out, int status, const char *category,
    const char *message, uint64_t rng);
/* A correlation ID: a UUID made from rng. */
void api_correlation_id(char out[37], uint64_t rng);

#endif
