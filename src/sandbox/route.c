/* route.c: which endpoint a method and path name, and the scopes it needs. */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t
split(char *path, char **seg, size_t max)
{
	size_t n = 0;

	for (char *tok = strtok(path, "/"); tok != NULL && n < max;
	    tok = strtok(NULL, "/"))
		seg[n++] = tok;
	return n;
}

static bool
types_of(const struct portal *p, struct route *r, const char *a, const char *b)
{
	r->from = portal_type(p, a);
	r->to = portal_type(p, b);
	if (r->from < 0 || r->to < 0) {
		r->ep = EP_BAD_TYPE;
		snprintf(r->bad, sizeof(r->bad), "%s", r->from < 0 ? a : b);
		return false;
	}
	return true;
}

/* labels (GET lists, POST makes one) and labels/ID (DELETE). */
static bool
labels_action(struct route *r, const char *method, char **seg, size_t n)
{
	char *end;

	if (strcmp(seg[0], "labels") != 0 || n > 2)
		return false;
	if (n == 1) {
		r->ep = strcmp(method, "GET") == 0 ? EP_LABELS :
		    strcmp(method, "POST") == 0 ? EP_LABEL_CREATE : EP_BAD_METHOD;
		r->write = r->ep == EP_LABEL_CREATE;
		return true;
	}
	unsigned long id = strtoul(seg[1], &end, 10);
	if (*end != '\0' || end == seg[1] || id == 0 || id > UINT32_MAX) {
		r->ep = EP_NOT_FOUND;
		return true;
	}
	r->ep = strcmp(method, "DELETE") == 0 ? EP_LABEL_DELETE : EP_BAD_METHOD;
	r->type_id = (uint32_t)id;
	r->write = true;
	return true;
}

/* The tail of an associations path: batch/create, labels, ... */
static void
assoc_action(struct route *r, bool post, char **seg, size_t n)
{
	struct { const char *a, *b; enum endpoint ep; bool post, write; } acts[] = {
		{ "batch", "create", EP_CREATE, true, true },
		{ "batch", "read", EP_READ, true, false },
		{ "batch", "archive", EP_ARCHIVE, true, true },
		{ "labels", NULL, EP_LABELS, false, false },
	};

	if (n >= 1 && labels_action(r, post ? "POST" : "GET", seg, n))
		return;
	if (n == 3 && strcmp(seg[0], "batch") == 0 && strcmp(seg[1], "associate") == 0 &&
	    strcmp(seg[2], "default") == 0) {
		r->ep = post ? EP_DEFAULT : EP_BAD_METHOD;
		r->write = true;
		return;
	}
	if (n == 3 && strcmp(seg[0], "batch") == 0 && strcmp(seg[1], "labels") == 0 &&
	    strcmp(seg[2], "archive") == 0) {
		r->ep = post ? EP_LABELS_ARCHIVE : EP_BAD_METHOD;
		r->write = true;
		return;
	}
	for (size_t i = 0; i < HA_ARRAY_LEN(acts); i++) {
		size_t want = acts[i].b != NULL ? 2 : 1;
		if (n != want || strcmp(seg[0], acts[i].a) != 0 ||
		    (acts[i].b != NULL && strcmp(seg[1], acts[i].b) != 0))
			continue;
		r->ep = post == acts[i].post ? acts[i].ep : EP_BAD_METHOD;
		r->write = acts[i].write;
		return;
	}
	r->ep = EP_NOT_FOUND;
}

void
api_route(const struct portal *p, const char *method, const char *path,
    struct route *r)
{
	char buf[512], *seg[12];
	size_t n;
	bool post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;
	bool del = strcmp(method, "DELETE") == 0;

	memset(r, 0, sizeof(*r));
	r->ep = EP_NOT_FOUND;
	r->from = r->to = -1;
	if (strlen(path) >= sizeof(buf))
		return;
	strcpy(buf, path);
	n = split(buf, seg, HA_ARRAY_LEN(seg));
	if (!post && !get && !del) {
		r->ep = EP_BAD_METHOD;
		return;
	}
	/* Limits: /crm/associations/v4/definitions/configurations/F/T[/batch/X]. */
	if ((n == 7 || n == 9) && strcmp(seg[0], "crm") == 0 &&
	    strcmp(seg[1], "associations") == 0 && strcmp(seg[2], "v4") == 0 &&
	    strcmp(seg[3], "definitions") == 0 &&
	    strcmp(seg[4], "configurations") == 0) {
		if (!types_of(p, r, seg[5], seg[6]))
			return;
		if (n == 7)
			r->ep = get ? EP_LIMITS : EP_BAD_METHOD;
		else if (strcmp(seg[7], "batch") != 0)
			r->ep = EP_NOT_FOUND;
		else if (strcmp(seg[8], "create") == 0 || strcmp(seg[8], "update") == 0)
			r->ep = post ? EP_LIMITS_SET : EP_BAD_METHOD;
		else if (strcmp(seg[8], "purge") == 0)
			r->ep = post ? EP_LIMITS_PURGE : EP_BAD_METHOD;
		else
			r->ep = EP_NOT_FOUND;
		r->write = r->ep == EP_LIMITS_SET || r->ep == EP_LIMITS_PURGE;
		return;
	}
	if (del) {
		/* DELETE deletes a label, and nothing else. */
		bool assoc = n == 7 && strcmp(seg[0], "crm") == 0 &&
		    ((strcmp(seg[1], "v4") == 0 && strcmp(seg[2], "associations") == 0) ||
		    (strcmp(seg[1], "associations") == 0 && strcmp(seg[2], "v4") == 0));
		if (!assoc)
			r->ep = EP_BAD_METHOD;
		else if (types_of(p, r, seg[3], seg[4]) &&
		    !labels_action(r, method, seg + 5, 2))
			r->ep = EP_BAD_METHOD;
		return;
	}
	if (n == 2 && strcmp(seg[0], "_sandbox") == 0) {
		if (strcmp(seg[1], "associations") == 0)
			r->ep = get ? EP_SB_ASSOCIATIONS : EP_BAD_METHOD;
		else if (strcmp(seg[1], "reset") == 0)
			r->ep = post ? EP_SB_RESET : EP_BAD_METHOD;
		else if (strcmp(seg[1], "objects") == 0)
			r->ep = get ? EP_SB_OBJECTS : EP_BAD_METHOD;
		return;
	}
	/* The schemas' own line: /crm-object-schemas/v3 or /2026-03. */
	if (n == 3 && strcmp(seg[0], "crm-object-schemas") == 0 &&
	    (strcmp(seg[1], "v3") == 0 || strcmp(seg[1], "2026-03") == 0) &&
	    strcmp(seg[2], "schemas") == 0) {
		r->ep = get ? EP_SCHEMAS : EP_BAD_METHOD;
		return;
	}
	if (n < 3 || strcmp(seg[0], "crm") != 0)
		return;
	/* /crm/v4/associations/F/T/..., /crm/associations/2026-03/F/T/...,
	 * and the labels twin /crm/associations/v4/F/T/labels. */
	if (n >= 6 && strcmp(seg[1], "v4") == 0 && strcmp(seg[2], "associations") == 0) {
		if (types_of(p, r, seg[3], seg[4]))
			assoc_action(r, post, seg + 5, n - 5);
		return;
	}
	if (n >= 6 && strcmp(seg[1], "associations") == 0 &&
	    (strcmp(seg[2], "2026-03") == 0 || strcmp(seg[2], "v4") == 0)) {
		if (!types_of(p, r, seg[3], seg[4]))
			return;
		assoc_action(r, post, seg + 5, n - 5);
		r->dated = strcmp(seg[2], "2026-03") == 0;
		/* The v4 twin under /crm/associations serves labels only. */
		if (strcmp(seg[2], "v4") == 0 && r->ep != EP_LABELS &&
		    r->ep != EP_LABEL_CREATE && r->ep != EP_BAD_METHOD)
			r->ep = EP_NOT_FOUND;
		return;
	}
	/* The objects endpoints, v3 or date-versioned: the type third. */
	bool objects = n >= 4 && ((strcmp(seg[1], "v3") == 0 &&
	    strcmp(seg[2], "objects") == 0) || (strcmp(seg[1], "objects") == 0 &&
	    strcmp(seg[2], "2026-03") == 0));
	if (n == 6 && objects &&
	    strcmp(seg[4], "batch") == 0 && strcmp(seg[5], "read") == 0) {
		r->from = portal_type(p, seg[3]);
		if (r->from < 0) {
			r->ep = EP_BAD_TYPE;
			snprintf(r->bad, sizeof(r->bad), "%s", seg[3]);
		} else
			r->ep = post ? EP_OBJECTS_READ : EP_BAD_METHOD;
		return;
	}
	if ((n == 5 || n == 4) && objects && (n == 4 || strcmp(seg[4], "search") == 0)) {
		r->from = portal_type(p, seg[3]);
		if (r->from < 0) {
			r->ep = EP_BAD_TYPE;
			snprintf(r->bad, sizeof(r->bad), "%s", seg[3]);
		} else if (n == 5)
			r->ep = post ? EP_OBJECTS_SEARCH : EP_BAD_METHOD;
		else
			r->ep = get ? EP_OBJECTS_LIST : EP_BAD_METHOD;
		return;
	}
	if (n == 3 && strcmp(seg[1], "v3") == 0 && strcmp(seg[2], "schemas") == 0)
		r->ep = get ? EP_SCHEMAS : EP_BAD_METHOD;
}

static void
scope_of(const struct portal *p, int type, const char *access, struct buf *out)
{
	const struct ptype *t = &p->types[type];

	if (out->len > 0)
		buf_addc(out, ',');
	if (t->custom)
		buf_printf(out, "crm.objects.custom.%s", access);
	else
		buf_printf(out, "crm.objects.%s.%s", t->name, access);
}

void
api_scopes(const struct portal *p, const struct route *r, struct buf *out)
{
	const char *access = r->write ? "write" : "read";

	switch (r->ep) {
	case EP_SCHEMAS:
		buf_addstr(out, "crm.schemas.custom.read");
		break;
	case EP_OBJECTS_READ: case EP_OBJECTS_SEARCH: case EP_OBJECTS_LIST:
		scope_of(p, r->from, "read", out);
		break;
	case EP_LABEL_CREATE: case EP_LABEL_DELETE: case EP_LIMITS: case EP_LIMITS_SET:
	case EP_LIMITS_PURGE:
		/* The schema endpoints: HubSpot's crm.schemas scopes. */
		buf_addstr(out, r->write ? "crm.schemas.custom.write" : "crm.schemas.custom.read");
		break;
	case EP_CREATE: case EP_DEFAULT: case EP_READ: case EP_ARCHIVE:
	case EP_LABELS_ARCHIVE: case EP_LABELS:
		scope_of(p, r->from, access, out);
		if (r->to != r->from)
			scope_of(p, r->to, access, out);
		break;
	default:
		break;
	}
}

