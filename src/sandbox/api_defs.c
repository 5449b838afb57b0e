/* api_defs.c: the schema endpoints an admin sets a portal up with: labels
 * made and deleted, and the limits on how many records one may hold with
 * a type (GET, batch/create or update, batch/purge). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "hubassoc/text.h"

/* A string member, present, non-empty and without a control character. */
static const char *
text_member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v) || v->valuestring[0] == '\0' ||
	    strlen(v->valuestring) > 100)
		return NULL;
	for (const char *c = v->valuestring; *c != '\0'; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			return NULL;
	return v->valuestring;
}

void
api_do_label_create(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out)
{
	cJSON *req = cJSON_ParseWithLength(body, len);
	const char *label = text_member(req, "label"), *name = text_member(req, "name");
	const cJSON *inv = cJSON_GetObjectItemCaseSensitive(req, "inverseLabel");
	const char *inverse = text_member(req, "inverseLabel"), *why = NULL;
	uint32_t ids[2];
	char m[400];

	if (!cJSON_IsObject(req) || label == NULL || name == NULL ||
	    (inv != NULL && !cJSON_IsNull(inv) && inverse == NULL)) {
		api_error(out, 400, "VALIDATION_ERROR", "label and name are required: "
		    "text of 1 to 100 characters, without control characters (and so "
		    "is inverseLabel, when given)", rng);
	} else if (portal_label_create(p, r->from, r->to, label, inverse, ids,
	    &why) != 0) {
		if (strcmp(why, "cap") == 0)
			snprintf(m, sizeof(m), "The maximum number of association labels "
			    "(%d) between %s and %s has been reached", PORTAL_MAX_LABELS,
			    p->types[r->from].name, p->types[r->to].name);
		else
			snprintf(m, sizeof(m), "An association label named %.80s already "
			    "exists between %s and %s", label, p->types[r->from].name,
			    p->types[r->to].name);
		api_error(out, 400, "VALIDATION_ERROR", m, rng);
	} else {
		/* Its type IDs, one a direction (one alone within a type). */
		cJSON *root = cJSON_CreateObject();
		cJSON *results = cJSON_AddArrayToObject(root, "results");
		int d[2] = { portal_def(p, r->from, r->to, ASSOC_CAT_USER, ids[0]),
		    portal_def(p, r->to, r->from, ASSOC_CAT_USER, ids[1]) };
		api_add_types_json(p, results, d, ids[0] != ids[1] ? 2 : 1);
		api_reply_json(out, 200, root);
	}
	cJSON_Delete(req);
}

void
api_do_label_delete(struct portal *p, const struct route *r, uint64_t rng,
    struct api_reply *out)
{
	if (portal_label_delete(p, r->from, r->to, r->type_id) != 0) {
		char m[300];
		snprintf(m, sizeof(m), "No association label %u between %s and %s",
		    r->type_id, p->types[r->from].name, p->types[r->to].name);
		api_error(out, 404, "OBJECT_NOT_FOUND", m, rng);
		return;
	}
	out->status = 204;
	buf_reset(&out->body);
}

static void
add_limit(const struct portal *p, cJSON *arr, int d)
{
	const struct pdef *x = &p->defs[d];
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "category", assoc_category_name(x->cat));
	cJSON_AddNumberToObject(o, "typeId", x->type_id);
	if (x->label != NULL)
		cJSON_AddStringToObject(o, "label", x->label);
	cJSON_AddNumberToObject(o, "userEnforcedMaxToObjectIds", x->max_to);
	cJSON_AddItemToArray(arr, o);
}

void
api_do_limits(struct portal *p, const struct route *r, struct api_reply *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(root, "results");

	/* The types of the direction that have a limit. */
	for (size_t i = 0; i < p->ndefs; i++) {
		const struct pdef *x = &p->defs[i];
		if (x->from == r->from && x->to == r->to && !x->deleted && x->max_to > 0)
			add_limit(p, results, (int)i);
	}
	api_reply_json(out, 200, root);
}

/* batch/create, update (maxToObjectIds) and purge (without): each input a
 * type of the direction; one that is not refuses the whole batch. */
void
api_do_limits_set(struct portal *p, const struct route *r, const char *body,
    size_t len, bool purge, uint64_t rng, struct api_reply *out)
{
	cJSON *req = cJSON_ParseWithLength(body, len), *in;
	cJSON *inputs = cJSON_GetObjectItemCaseSensitive(req, "inputs");
	int defs[PORTAL_MAX_LABELS * 4];
	uint32_t max[PORTAL_MAX_LABELS * 4];
	size_t n = 0;
	char started[32], m[300] = "";

	time_iso8601(started, 1);
	if (!cJSON_IsArray(inputs))
		inputs = NULL;
	cJSON_ArrayForEach(in, inputs) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(in, "category");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(in, "typeId");
		const cJSON *mx = cJSON_GetObjectItemCaseSensitive(in, "maxToObjectIds");
		enum assoc_category c;
		int d = -1;
		if (n == HA_ARRAY_LEN(defs) || !cJSON_IsString(cat) || !cJSON_IsNumber(id) ||
		    assoc_category_parse(cat->valuestring, strlen(cat->valuestring), &c) != 0 ||
		    (d = portal_def(p, r->from, r->to, c, (uint32_t)id->valuedouble)) < 0) {
			snprintf(m, sizeof(m), "inputs[%zu]: not an association type of %s "
			    "to %s", n, p->types[r->from].name, p->types[r->to].name);
			break;
		}
		if (!purge && (!cJSON_IsNumber(mx) || mx->valuedouble < 1 ||
		    mx->valuedouble > 10000)) {
			snprintf(m, sizeof(m), "inputs[%zu]: maxToObjectIds is 1 to 10000", n);
			break;
		}
		defs[n] = d;
		max[n++] = purge ? 0 : (uint32_t)mx->valuedouble;
	}
	if (m[0] == '\0' && n == 0)
		snprintf(m, sizeof(m), "inputs: give at least one");
	if (m[0] != '\0') {
		api_error(out, 400, "VALIDATION_ERROR", m, rng);
		cJSON_Delete(req);
		return;
	}
	for (size_t i = 0; i < n; i++)
		portal_limit_set(p, defs[i], max[i]);
	cJSON_Delete(req);
	if (purge) {
		out->status = 204;
		buf_reset(&out->body);
		return;
	}
	cJSON *root = api_batch_envelope(started);
	cJSON *results = cJSON_GetObjectItem(root, "results");
	for (size_t i = 0; i < n; i++)
		add_limit(p, results, defs[i]);
	api_reply_json(out, 201, root);
}
