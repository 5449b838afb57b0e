/* api_objects.c: the sandbox's objects endpoints (batch read, search,
 * list), schemas, and its own test endpoints. */
#include "api.h"
#include "api_int.h"
#include "bind.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hubassoc/response.h"

/* A record as HubSpot's objects endpoints give it: its ID and properties. */
static cJSON *
record_json(struct portal *p, int type, uint64_t id)
{
	char name[128], extra[128];
	cJSON *o = cJSON_CreateObject(), *props;

	portal_record_props(p, type, id, name, sizeof(name), extra, sizeof(extra));
	/* --hostile: names as text typed into a portal can be. */
	if (p->opts->hostile)
		snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s",
		    " " SANDBOX_HOSTILE_MESSAGE);
	api_add_id_string(o, "id", id);
	props = cJSON_AddObjectToObject(o, "properties");
	api_add_id_string(props, "hs_object_id", id);
	cJSON_AddStringToObject(props, "createdate", "2026-01-15T09:30:00.000Z");
	if (strcmp(p->types[type].id, "0-1") == 0) {
		char first[128];
		snprintf(first, sizeof(first), "%s", name);
		char *sp = strchr(first, ' ');
		if (sp != NULL)
			*sp = '\0';
		cJSON_AddStringToObject(props, "firstname", first);
		cJSON_AddStringToObject(props, "lastname", sp != NULL ? sp + 1 : "");
		cJSON_AddStringToObject(props, "email", extra);
	} else if (strcmp(p->types[type].id, "0-2") == 0) {
		cJSON_AddStringToObject(props, "name", name);
		cJSON_AddStringToObject(props, "domain", extra);
	} else if (strcmp(p->types[type].id, "0-3") == 0) {
		cJSON_AddStringToObject(props, "dealname", name);
	} else if (strcmp(p->types[type].id, "0-5") == 0) {
		cJSON_AddStringToObject(props, "subject", name);
	} else if (p->types[type].custom) {
		cJSON_AddStringToObject(props, "model", name);
		cJSON_AddStringToObject(props, "vin", extra);
	} else {
		cJSON_AddStringToObject(props, "name", name);
	}
	cJSON_AddStringToObject(o, "createdAt", "2026-01-15T09:30:00.000Z");
	cJSON_AddStringToObject(o, "updatedAt", "2026-02-01T12:00:00.000Z");
	cJSON_AddFalseToObject(o, "archived");
	return o;
}

/* Objects batch/read: by ID, or by a unique property (idProperty: email
 * of contacts, vin of the custom object, hs_object_id); a property that is no unique key is
 * refused, as HubSpot refuses it. */
void
api_do_objects_read(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out)
{
	struct input_in *in;
	size_t n;
	cJSON *req, *missing = cJSON_CreateArray();
	char started[32];

	time_iso8601(started, 1);
	if (!bind_batch(body, len, SHAPE_ID, 100, &in, &n, &req, out, rng)) {
		cJSON_Delete(req);
		cJSON_Delete(missing);
		return;
	}
	const cJSON *idp = cJSON_GetObjectItemCaseSensitive(req, "idProperty");
	const char *prop = cJSON_IsString(idp) ? idp->valuestring : "hs_object_id";
	if (!portal_key_unique(p, r->from, prop)) {
		char m[320];
		snprintf(m, sizeof(m), "Property %.80s is not a unique identifier of %.64s: "
		    "use hs_object_id or a property with unique values", prop,
		    p->types[r->from].name);
		api_error(out, 400, "VALIDATION_ERROR", m, rng);
		free_inputs(in, n);
		cJSON_Delete(req);
		cJSON_Delete(missing);
		return;
	}
	out->inputs = n;
	cJSON *root = api_batch_envelope(started);
	cJSON *results = cJSON_GetObjectItem(root, "results");
	for (size_t i = 0; i < n; i++) {
		uint64_t id;
		if (portal_find_by(p, r->from, prop, in[i].from, &id, 1) != 1) {
			api_add_unique(missing, in[i].from);
			continue;
		}
		cJSON_AddItemToArray(results, record_json(p, r->from, id));
	}
	if (cJSON_GetArraySize(missing) > 0) {
		cJSON *errors = cJSON_AddArrayToObject(root, "errors");
		cJSON *e = cJSON_CreateObject();
		char m[200];
		snprintf(m, sizeof(m), "Could not get some %s objects, they may be deleted "
		    "or not exist. Check that ids are valid.", p->types[r->from].error_name);
		cJSON_AddStringToObject(e, "status", "error");
		cJSON_AddStringToObject(e, "category", "OBJECT_NOT_FOUND");
		cJSON_AddStringToObject(e, "message", m);
		cJSON_AddItemToObject(cJSON_AddObjectToObject(e, "context"), "ids",
		    cJSON_Duplicate(missing, 1));
		cJSON_AddItemToArray(errors, e);
		cJSON_AddNumberToObject(root, "numErrors", 1);
		api_reply_json(out, 207, root);
	} else
		api_reply_json(out, 200, root);
	cJSON_Delete(missing);
	free_inputs(in, n);
	cJSON_Delete(req);
}

void
api_do_schemas(struct portal *p, struct api_reply *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(root, "results");

	for (size_t i = 0; i < p->ntypes; i++) {
		const struct ptype *t = &p->types[i];
		char fqn[96], objid[32];
		if (!t->custom)
			continue;
		cJSON *s = cJSON_CreateObject(), *labels, *assocs;
		snprintf(objid, sizeof(objid), "%s", strchr(t->id, '-') + 1);
		snprintf(fqn, sizeof(fqn), "p%u_%s", PORTAL_ID, t->name);
		cJSON_AddStringToObject(s, "id", objid);
		cJSON_AddStringToObject(s, "name", t->name);
		labels = cJSON_AddObjectToObject(s, "labels");
		cJSON_AddStringToObject(labels, "singular", "Car");
		cJSON_AddStringToObject(labels, "plural", "Cars");
		cJSON_AddStringToObject(s, "objectTypeId", t->id);
		cJSON_AddStringToObject(s, "fullyQualifiedName", fqn);
		cJSON_AddStringToObject(s, "primaryDisplayProperty", "model");
		assocs = cJSON_AddArrayToObject(s, "associations");
		for (size_t d = 0; d < p->ndefs; d++) {
			const struct pdef *def = &p->defs[d];
			if (def->from != i || def->cat != ASSOC_CAT_HUBSPOT)
				continue;
			cJSON *a = cJSON_CreateObject();
			char aid[16];
			snprintf(aid, sizeof(aid), "%u", def->type_id);
			cJSON_AddStringToObject(a, "fromObjectTypeId", t->id);
			cJSON_AddStringToObject(a, "toObjectTypeId", p->types[def->to].id);
			cJSON_AddStringToObject(a, "name", p->types[def->to].name);
			cJSON_AddStringToObject(a, "id", aid);
			cJSON_AddItemToArray(assocs, a);
		}
		cJSON_AddFalseToObject(s, "archived");
		cJSON_AddItemToArray(results, s);
	}
	api_reply_json(out, 200, root);
}

struct row {
	uint64_t f, t;
	uint32_t a;
	bool rev;
};

static int
row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->f != y->f)
		return x->f < y->f ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* Finds key=value in a query string. */
static void
query_value(const char *query, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);

	out[0] = '\0';
	for (const char *q = query; q != NULL && *q != '\0';) {
		const char *amp = strchr(q, '&');
		size_t n = amp != NULL ? (size_t)(amp - q) : strlen(q);
		if (n > klen && strncmp(q, key, klen) == 0 && q[klen] == '=' &&
		    n - klen - 1 < outlen) {
			memcpy(out, q + klen + 1, n - klen - 1);
			out[n - klen - 1] = '\0';
			return;
		}
		q = amp != NULL ? amp + 1 : NULL;
	}
}

/* GET /_sandbox/objects?type=TYPE: the demo portal's records, for tests. */
void
api_do_sb_objects(struct portal *p, const char *query, uint64_t rng,
    struct api_reply *out)
{
	char type[96];
	int t;

	query_value(query, "type", type, sizeof(type));
	if ((t = portal_type(p, type)) < 0) {
		api_error(out, 400, "VALIDATION_ERROR",
		    "give type=, e.g. ?type=contacts", rng);
		return;
	}
	cJSON *root = cJSON_CreateObject(), *ids;
	cJSON_AddStringToObject(root, "type", p->types[t].id);
	cJSON_AddBoolToObject(root, "open", p->opts->open_portal);
	ids = cJSON_AddArrayToObject(root, "ids");
	for (size_t i = 0; i < p->types[t].nids; i++) {
		char tmp[24];
		snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)p->types[t].ids[i]);
		cJSON_AddItemToArray(ids, cJSON_CreateString(tmp));
	}
	api_reply_json(out, 200, root);
}

static int
id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A page of records, sorted, from offset after: results and, when more
 * follow, paging.next.after. */
static void
reply_page(struct portal *p, int type, const uint64_t *ids, size_t n, size_t after,
    size_t limit, bool total, struct api_reply *out)
{
	cJSON *root = cJSON_CreateObject(), *results;
	char next[24];

	if (total)
		cJSON_AddNumberToObject(root, "total", (double)n);
	results = cJSON_AddArrayToObject(root, "results");
	for (size_t i = after; i < n && i < after + limit; i++)
		cJSON_AddItemToArray(results, record_json(p, type, ids[i]));
	if (after + limit < n) {
		snprintf(next, sizeof(next), "%zu", after + limit);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(
		    root, "paging"), "next"), "after", next);
	}
	api_reply_json(out, 200, root);
}

#define SEARCH_BODY_MAX 3000
#define SEARCH_GROUPS_MAX 5
#define SEARCH_FILTERS_A_GROUP 6
#define SEARCH_FILTERS_MAX 18
#define SEARCH_RESULTS_MAX 10000

static bool
has_upper(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

/*
 * POST /crm/v3/objects/T/search: filter groups (OR) of one filter each,
 * EQ or IN on a property the portal can look up (hs_object_id, a contact's
 * email, a company's domain), paged by limit (at most 200) and after.
 */
void
api_do_objects_search(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out)
{
	cJSON *req = cJSON_ParseWithLength(body, len), *g;
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(req, "filterGroups");
	const cJSON *lim = cJSON_GetObjectItemCaseSensitive(req, "limit");
	const cJSON *aft = cJSON_GetObjectItemCaseSensitive(req, "after");
	uint64_t *ids = NULL;
	size_t n = 0, cap = 0, limit = 10, after = 0;
	const char *bad = NULL;

	int nfilters = 0;
	cJSON_ArrayForEach(g, groups)
		nfilters += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(g, "filters")) >
		    SEARCH_FILTERS_A_GROUP ? 1000 : cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(g, "filters"));
	/* HubSpot's limits on a search, in the words of its 400s. */
	if (len > SEARCH_BODY_MAX)
		bad = "The request body is too long: a search takes at most 3000 "
		    "characters";
	else if (!cJSON_IsArray(groups) || cJSON_GetArraySize(groups) == 0)
		bad = "filterGroups must hold at least one group";
	else if (cJSON_GetArraySize(groups) > SEARCH_GROUPS_MAX)
		bad = "Too many filter groups: at most 5";
	else if (nfilters >= 1000)
		bad = "Too many filters in a group: at most 6";
	else if (nfilters > SEARCH_FILTERS_MAX)
		bad = "Too many filters: at most 18 in all";
	if (cJSON_IsNumber(lim)) {
		if (lim->valuedouble < 1 || lim->valuedouble > 200)
			bad = "limit must be from 1 to 200";
		else
			limit = (size_t)lim->valuedouble;
	}
	if (cJSON_IsString(aft) && aft->valuestring[0] != '\0') {
		unsigned long long v;
		if (parse_uint(aft->valuestring, 0, UINT32_MAX, &v) != 0)
			bad = "after is not a paging cursor of this search";
		else if (v >= SEARCH_RESULTS_MAX)
			bad = "A search pages through 10000 results at most";
		else
			after = (size_t)v;
	}
	cJSON_ArrayForEach(g, groups) {
		const cJSON *fs = cJSON_GetObjectItemCaseSensitive(g, "filters");
		const cJSON *f = cJSON_GetArrayItem(fs, 0);
		const cJSON *prop = cJSON_GetObjectItemCaseSensitive(f, "propertyName");
		const cJSON *op = cJSON_GetObjectItemCaseSensitive(f, "operator");
		const cJSON *one = cJSON_GetObjectItemCaseSensitive(f, "value");
		const cJSON *many = cJSON_GetObjectItemCaseSensitive(f, "values"), *v;
		if (bad != NULL)
			break;
		if (cJSON_GetArraySize(fs) != 1 || !cJSON_IsString(prop) || !cJSON_IsString(op)) {
			bad = "each filter group takes one filter here, with propertyName "
			    "and operator";
			break;
		}
		bool in = strcmp(op->valuestring, "IN") == 0;
		if (!in && strcmp(op->valuestring, "EQ") != 0) {
			bad = "operator: EQ or IN";
			break;
		}
		/* IN's values, or EQ's one value as a list of one. */
		cJSON *one_list = NULL;
		const cJSON *vals = many;
		if (!in && cJSON_IsString(one)) {
			one_list = cJSON_CreateArray();
			cJSON_AddItemToArray(one_list, cJSON_CreateString(one->valuestring));
			vals = one_list;
		} else if (!in || !cJSON_IsArray(many)) {
			bad = in ? "IN takes values, an array of strings" :
			    "EQ takes value, a string";
			break;
		}
		cJSON_ArrayForEach(v, vals) {
			uint64_t found[4];
			if (in && cJSON_IsString(v) && has_upper(v->valuestring)) {
				/* IN on a string property compares lower case. */
				bad = "IN values of a string property must be lower case";
				break;
			}
			if (p->opts->domain_matches > 0 && cJSON_IsString(v) &&
			    strcmp(prop->valuestring, "domain") == 0) {
				/* --domain-matches N: N companies of their own each. */
				uint64_t base = portal_shared_domain(p, v->valuestring);
				ids = xreallocarray(ids, n + p->opts->domain_matches + 1,
				    sizeof(*ids));
				cap = n + p->opts->domain_matches + 1;
				for (size_t j = 0; j < p->opts->domain_matches; j++)
					ids[n++] = base + j;
				continue;
			}
			int k = cJSON_IsString(v) ? portal_find_by(p, r->from,
			    prop->valuestring, v->valuestring, found, 4) : 0;
			if (k < 0) {
				bad = "the sandbox searches hs_object_id, contacts' email, "
				    "companies' domain and the custom object's vin";
				break;
			}
			for (int j = 0; j < k; j++) {
				if (n == cap)
					ids = xreallocarray(ids, cap = cap ? cap * 2 : 16,
					    sizeof(*ids));
				ids[n++] = found[j];
			}
		}
		cJSON_Delete(one_list);
	}
	if (bad != NULL) {
		api_error(out, 400, "VALIDATION_ERROR", bad, rng);
	} else {
		/* Each record once, in ID order, as pages need a fixed order. */
		size_t u = 0;
		if (n > 0)
			qsort(ids, n, sizeof(*ids), id_cmp);
		for (size_t i = 0; i < n; i++)
			if (u == 0 || ids[u - 1] != ids[i])
				ids[u++] = ids[i];
		/* --page-size makes pages smaller than asked, as a busy
		 * portal's may be: a client must follow paging.next. */
		if (limit > p->opts->page_size)
			limit = p->opts->page_size;
		reply_page(p, r->from, ids, u, after, limit, true, out);
	}
	free(ids);
	cJSON_Delete(req);
}

/* GET /crm/v3/objects/T?limit=&after=: the records, as HubSpot pages them
 * (at most 100 a page); an open portal lists the records it was seeded
 * with. */
void
api_do_objects_list(struct portal *p, const struct route *r, const char *query,
    uint64_t rng, struct api_reply *out)
{
	char lim[16], aft[24];
	unsigned long long limit = 10, after = 0;

	query_value(query, "limit", lim, sizeof(lim));
	query_value(query, "after", aft, sizeof(aft));
	if ((lim[0] && parse_uint(lim, 1, 100, &limit) != 0) ||
	    (aft[0] && parse_uint(aft, 0, UINT32_MAX, &after) != 0)) {
		api_error(out, 400, "VALIDATION_ERROR", "limit is from 1 to 100, after "
		    "a paging cursor", rng);
		return;
	}
	reply_page(p, r->from, p->types[r->from].ids, p->types[r->from].nids,
	    (size_t)after, (size_t)limit, false, out);
}

/* GET /_sandbox/associations?from=TYPE&to=TYPE: the store, for tests. */
void
api_do_sb_associations(struct portal *p, const char *query, uint64_t rng,
    struct api_reply *out)
{
	char from[96], to[96];

	query_value(query, "from", from, sizeof(from));
	query_value(query, "to", to, sizeof(to));
	int tf = portal_type(p, from), tt = portal_type(p, to);
	if (tf < 0 || tt < 0) {
		api_error(out, 400, "VALIDATION_ERROR",
		    "give from= and to= object types, e.g. ?from=contacts&to=companies", rng);
		return;
	}
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < p->nassocs; i++) {
		const struct passoc *x = &p->assocs[i];
		for (int side = 0; side < 2 && x->live; side++) {
			if ((side == 0 ? x->ta : x->tb) != tf || (side == 0 ? x->tb : x->ta) != tt)
				continue;
			if (side == 1 && x->ta == x->tb)
				continue;
			if (n == cap)
				rows = xreallocarray(rows, cap = cap ? cap * 2 : 256, sizeof(*rows));
			rows[n++] = (struct row){ side == 0 ? x->a : x->b, side == 0 ? x->b : x->a,
			    (uint32_t)i, side == 1 };
		}
	}
	/* The same object on both ends: one stored row reads both ways. */
	if (tf == tt) {
		size_t m = n;
		for (size_t i = 0; i < m; i++) {
			if (rows[i].f == rows[i].t)
				continue;
			if (n == cap)
				rows = xreallocarray(rows, cap = cap ? cap * 2 : 256, sizeof(*rows));
			rows[n++] = (struct row){ rows[i].t, rows[i].f, rows[i].a, true };
		}
	}
	qsort(rows, n, sizeof(*rows), row_cmp);
	cJSON *root = cJSON_CreateObject(), *results;
	cJSON_AddStringToObject(root, "from", p->types[tf].id);
	cJSON_AddStringToObject(root, "to", p->types[tt].id);
	cJSON_AddNumberToObject(root, "count", (double)n);
	results = cJSON_AddArrayToObject(root, "results");
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject(), *types;
		int defs[PORTAL_MAX_DEFS_PER_PAIR];
		size_t nd = portal_assoc_defs(p, &p->assocs[rows[i].a], rows[i].rev, defs);
		api_add_id_string(o, "from", rows[i].f);
		api_add_id_string(o, "to", rows[i].t);
		types = cJSON_AddArrayToObject(o, "types");
		api_add_types_json(p, types, defs, nd);
		cJSON_AddItemToArray(results, o);
	}
	free(rows);
	api_reply_json(out, 200, root);
}
