/* api.c: the sandbox's endpoints, with HubSpot's semantics and shapes
 * (routing is route.c's, binding bodies bind.c's): the bodies and checks
 * they share, and the dispatch; the association endpoints are
 * api_assoc.c's, the objects' and the sandbox's own api_objects.c's. */
#include "api.h"
#include "api_int.h"
#include "bind.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hubassoc/response.h"

void
api_correlation_id(char out[37], uint64_t rng)
{
	uint64_t a = splitmix64_next(&rng), b = splitmix64_next(&rng);

	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
	    (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
	    0x8000 | ((unsigned)(b >> 48) & 0x3fff),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

/* ---- bodies ----------------------------------------------------------- */

/* --hostile: every "message" gains a screen clear, a title change, a bell. */
static void
make_hostile(cJSON *node)
{
	for (cJSON *c = node != NULL ? node->child : NULL; c != NULL; c = c->next) {
		if (cJSON_IsString(c) && c->string != NULL &&
		    strcmp(c->string, "message") == 0) {
			char *m = xasprintf("%s " SANDBOX_HOSTILE_MESSAGE, c->valuestring);
			cJSON *n = cJSON_CreateString(m);
			free(m);
			cJSON_ReplaceItemInObjectCaseSensitive(node, "message", n);
			c = n;
		} else
			make_hostile(c);
	}
}

void
api_reply_json(struct api_reply *out, int status, cJSON *root)
{
	if (out->hostile)
		make_hostile(root);
	char *text = cJSON_PrintUnformatted(root);

	out->status = status;
	buf_reset(&out->body);
	buf_addstr(&out->body, text != NULL ? text : "{}");
	cJSON_free(text);
	cJSON_Delete(root);
}

static cJSON *
error_object(int status, const char *category, const char *message, uint64_t rng)
{
	cJSON *e = cJSON_CreateObject();
	char cid[37];

	(void)status;
	api_correlation_id(cid, rng);
	cJSON_AddStringToObject(e, "status", "error");
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddStringToObject(e, "correlationId", cid);
	if (category != NULL)
		cJSON_AddStringToObject(e, "category", category);
	return e;
}

void
api_error(struct api_reply *out, int status, const char *category,
    const char *message, uint64_t rng)
{
	api_reply_json(out, status, error_object(status, category, message, rng));
}

cJSON *
api_batch_envelope(const char *started)
{
	cJSON *root = cJSON_CreateObject();
	char done[32];

	time_iso8601(done, 1);
	cJSON_AddStringToObject(root, "status", "COMPLETE");
	cJSON_AddArrayToObject(root, "results");
	cJSON_AddStringToObject(root, "startedAt", started);
	cJSON_AddStringToObject(root, "completedAt", done);
	return root;
}

/* IDs go out as JSON numbers, digit for digit: a double would round them. */
void
api_add_id_number(cJSON *o, const char *key, uint64_t id)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)id);
	cJSON_AddRawToObject(o, key, tmp);
}

void
api_add_id_string(cJSON *o, const char *key, uint64_t id)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)id);
	cJSON_AddStringToObject(o, key, tmp);
}

/* ---- checks shared by the writes ------------------------------------- */



void
api_problems_init(struct problems *pr)
{
	pr->invalid_ids = cJSON_CreateArray();
	pr->object_ids = cJSON_CreateArray();
	pr->object_types = cJSON_CreateArray();
	pr->bad_specs = cJSON_CreateArray();
	pr->bad_spec_msgs = cJSON_CreateArray();
	pr->over_limit = cJSON_CreateArray();
}

void
api_problems_free(struct problems *pr)
{
	cJSON_Delete(pr->invalid_ids);
	cJSON_Delete(pr->object_ids);
	cJSON_Delete(pr->object_types);
	cJSON_Delete(pr->bad_specs);
	cJSON_Delete(pr->bad_spec_msgs);
	cJSON_Delete(pr->over_limit);
}

static bool
has_string(const cJSON *arr, const char *s)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, arr)
		if (strcmp(v->valuestring, s) == 0)
			return true;
	return false;
}

void
api_add_unique(cJSON *arr, const char *s)
{
	if (!has_string(arr, s))
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

/* Checks an ID against a type; records it when it names no record. */
bool
api_check_id(const struct portal *p, int type, const char *text, uint64_t *id,
    struct problems *pr)
{
	char msg[200];

	if (portal_parse_id(text, id) && portal_exists(p, type, *id))
		return true;
	snprintf(msg, sizeof(msg), "%s=%s is not valid", p->types[type].error_name, text);
	api_add_unique(pr->invalid_ids, msg);
	api_add_unique(pr->object_ids, text);
	api_add_unique(pr->object_types, p->types[type].error_name);
	return false;
}

static void
bad_spec(struct problems *pr, const struct spec_in *s)
{
	char spec[64], msg[128];

	snprintf(spec, sizeof(spec), "%s=%u", assoc_category_name(s->cat), s->type_id);
	snprintf(msg, sizeof(msg), "%s is not a valid association definition id", spec);
	api_add_unique(pr->bad_specs, spec);
	api_add_unique(pr->bad_spec_msgs, msg);
}

/*
 * Checks one input's IDs and types.  A typeId of another direction makes
 * HubSpot check the IDs against the types it implies, as hubspot-api.md §4
 * says; defs receives the definitions to write.
 */
static void
count_one(void *arg, uint64_t other, const struct passoc *a, bool reversed)
{
	(void)other;
	(void)a;
	(void)reversed;
	(*(size_t *)arg)++;
}

/* --record-limit: a new pair that would take either record past the limit
 * of associations to the other type is refused, the record named. */
void
api_check_limits(const struct portal *p, const struct route *r,
    const uint64_t *fs,
    const uint64_t *ts, bool *ok, size_t n, struct problems *pr)
{
	for (size_t i = 0; i < n; i++) {
		bool rev;
		if (!ok[i] || portal_assoc(p, r->from, fs[i], r->to, ts[i], &rev) != NULL)
			continue;
		for (int side = 0; side < 2 && ok[i]; side++) {
			int type = side == 0 ? r->from : r->to, other = side == 0 ? r->to : r->from;
			uint64_t id = side == 0 ? fs[i] : ts[i];
			size_t have = 0;
			portal_each(p, type, id, other, count_one, &have);
			for (size_t k = 0; k < i; k++)
				have += ok[k] && (side == 0 ? fs[k] : ts[k]) == id;
			if (have < p->opts->record_limit)
				continue;
			char msg[100];
			snprintf(msg, sizeof(msg), "%s=%llu", p->types[type].error_name,
			    (unsigned long long)id);
			api_add_unique(pr->over_limit, msg);
			ok[i] = false;
		}
	}
}

/* The limits an admin configured (userEnforcedMaxToObjectIds): a type a
 * record of either end would hold past its limit, with what it holds and
 * the earlier inputs of the batch, refuses the input, the record named. */
static bool
past_limit(const struct portal *p, int d, const uint64_t *ends, int *const *defs,
    const struct input_in *in, const bool *ok, size_t i, size_t k_of)
{
	uint32_t max = p->defs[d].max_to;
	size_t have;

	if (max == 0)
		return false;
	have = portal_count_with(p, d, ends[i]);
	for (size_t j = 0; j < i; j++) {
		if (!ok[j] || ends[j] != ends[i])
			continue;
		for (size_t k = 0; k < in[j].nspecs; k++)
			have += k_of == 0 ? defs[j][k] == d :
			    portal_def_inverse(p, defs[j][k]) == d;
	}
	return have >= max;
}

void
api_check_configured(const struct portal *p, const struct route *r,
    const uint64_t *fs, const uint64_t *ts, int *const *defs,
    const struct input_in *in, bool *ok, size_t n, struct problems *pr)
{
	for (size_t i = 0; i < n; i++) {
		bool rev;
		const struct passoc *a = ok[i] ? portal_assoc(p, r->from, fs[i], r->to,
		    ts[i], &rev) : NULL;
		int have[PORTAL_MAX_DEFS_PER_PAIR];
		size_t nh = a != NULL ? portal_assoc_defs(p, a, rev, have) : 0;
		for (size_t k = 0; k < in[i].nspecs && ok[i]; k++) {
			int d = defs[i][k], inv = portal_def_inverse(p, d);
			bool held = false;
			for (size_t h = 0; h < nh; h++)
				held |= have[h] == d;
			if (held)
				continue;   /* holding it again adds nothing */
			int side = past_limit(p, d, fs, defs, in, ok, i, 0) ? 0 :
			    inv >= 0 && past_limit(p, inv, ts, defs, in, ok, i, 1) ? 1 : -1;
			if (side < 0)
				continue;
			char msg[100];
			int type = side == 0 ? r->from : r->to;
			snprintf(msg, sizeof(msg), "%s=%llu", p->types[type].error_name,
			    (unsigned long long)(side == 0 ? fs[i] : ts[i]));
			api_add_unique(pr->over_limit, msg);
			ok[i] = false;
		}
	}
}

bool
api_check_input(const struct portal *p, const struct route *r,
    const struct input_in *in,
    uint64_t *f, uint64_t *t, int *defs, struct problems *pr)
{
	int ftype = r->from, ttype = r->to;
	bool ok = true;

	for (size_t k = 0; k < in->nspecs; k++) {
		int d = portal_def(p, r->from, r->to, in->specs[k].cat, in->specs[k].type_id);
		defs[k] = d;
		if (d >= 0)
			continue;
		int other = portal_def_any(p, in->specs[k].cat, in->specs[k].type_id);
		if (other >= 0) {
			ftype = p->defs[other].from;
			ttype = p->defs[other].to;
		}
		ok = false;
	}
	bool ids = api_check_id(p, ftype, in->from, f, pr);
	ids = api_check_id(p, ttype, in->to, t, pr) && ids;
	if (ok || !ids)
		return ok && ids;
	/* The IDs hold for the implied types, but the type is not this
	 * direction's: HubSpot refuses the definition. */
	for (size_t k = 0; k < in->nspecs; k++)
		if (defs[k] < 0)
			bad_spec(pr, &in->specs[k]);
	return false;
}

bool
api_problems_any(const struct problems *pr)
{
	return cJSON_GetArraySize(pr->invalid_ids) > 0 ||
	    cJSON_GetArraySize(pr->bad_specs) > 0 ||
	    cJSON_GetArraySize(pr->over_limit) > 0;
}

/* One grouped error entry of a 207, appended to errors; its context is
 * returned for the caller to fill. */
static cJSON *
problem_entry(cJSON *errors, const char *sub, const char *message)
{
	cJSON *e = cJSON_CreateObject(), *ctx;

	cJSON_AddStringToObject(e, "status", "error");
	cJSON_AddStringToObject(e, "category", "VALIDATION_ERROR");
	if (sub != NULL)
		cJSON_AddStringToObject(e, "subCategory", sub);
	cJSON_AddStringToObject(e, "message", message);
	ctx = cJSON_AddObjectToObject(e, "context");
	cJSON_AddArrayToObject(e, "errors");
	cJSON_AddObjectToObject(e, "links");
	cJSON_AddItemToArray(errors, e);
	return ctx;
}

/* The grouped error entries of a 207. */
void
api_add_problem_errors(cJSON *root, struct problems *pr)
{
	cJSON *errors = cJSON_AddArrayToObject(root, "errors"), *ctx;

	if (cJSON_GetArraySize(pr->invalid_ids) > 0) {
		ctx = problem_entry(errors, NULL, "One or more associations are invalid");
		cJSON_AddItemToObject(ctx, "INVALID_OBJECT_IDS",
		    cJSON_Duplicate(pr->invalid_ids, 1));
	}
	if (cJSON_GetArraySize(pr->over_limit) > 0) {
		ctx = problem_entry(errors, "ASSOCIATION_LIMIT_EXCEEDED", "One or more "
		    "associations would exceed the limit of associations a record may have");
		cJSON_AddItemToObject(ctx, "ASSOCIATION_LIMIT_EXCEEDED",
		    cJSON_Duplicate(pr->over_limit, 1));
	}
	if (cJSON_GetArraySize(pr->bad_specs) > 0) {
		/* As HubSpot's 207s say it: the type only in the context. */
		ctx = problem_entry(errors, NULL, "One or more associations are invalid");
		cJSON_AddItemToObject(ctx, "associationSpec", cJSON_Duplicate(pr->bad_specs, 1));
		cJSON_AddItemToObject(ctx, "INVALID_ASSOCIATION_TYPE_ID",
		    cJSON_Duplicate(pr->bad_spec_msgs, 1));
	}
	cJSON_AddNumberToObject(root, "numErrors", cJSON_GetArraySize(errors));
}

/* The whole-batch 400 of --invalid-mode 400. */
void
api_problems_refusal(struct api_reply *out, struct problems *pr, bool unnamed,
    uint64_t rng)
{
	cJSON *e = error_object(400, "VALIDATION_ERROR",
	    "One or more associations are invalid", rng);
	cJSON *ctx = cJSON_AddObjectToObject(e, "context");

	if (unnamed) {
		/* Some 400s say something is wrong and not what. */
	} else if (cJSON_GetArraySize(pr->invalid_ids) > 0) {
		cJSON_AddItemToObject(ctx, "INVALID_OBJECT_IDS",
		    cJSON_Duplicate(pr->invalid_ids, 1));
		cJSON_AddItemToObject(ctx, "objectId", cJSON_Duplicate(pr->object_ids, 1));
		cJSON_AddItemToObject(ctx, "objectType", cJSON_Duplicate(pr->object_types, 1));
	} else if (cJSON_GetArraySize(pr->over_limit) > 0) {
		cJSON_AddStringToObject(e, "subCategory", "ASSOCIATION_LIMIT_EXCEEDED");
		cJSON_AddItemToObject(ctx, "ASSOCIATION_LIMIT_EXCEEDED",
		    cJSON_Duplicate(pr->over_limit, 1));
	} else {
		cJSON_AddItemToObject(ctx, "associationSpec", cJSON_Duplicate(pr->bad_specs, 1));
		cJSON_AddItemToObject(ctx, "INVALID_ASSOCIATION_TYPE_ID",
		    cJSON_Duplicate(pr->bad_spec_msgs, 1));
	}
	api_reply_json(out, 400, e);
}

void
api_shuffle(cJSON *arr, uint64_t *rng)
{
	/* Results come in no promised order; clients must join by IDs. */
	int n = cJSON_GetArraySize(arr);
	cJSON **items;

	if (n < 2)
		return;
	items = xcalloc((size_t)n, sizeof(*items));
	for (int i = n - 1; i >= 0; i--)
		items[i] = cJSON_DetachItemFromArray(arr, i);
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(splitmix64_next(rng) % (uint64_t)(i + 1));
		cJSON *t = items[i];
		items[i] = items[j];
		items[j] = t;
	}
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, items[i]);
	free(items);
}

cJSON *
api_labels_of(const struct portal *p, int tf, uint64_t f, int tt, uint64_t t)
{
	cJSON *labels = cJSON_CreateArray();
	bool rev;
	const struct passoc *a = portal_assoc(p, tf, f, tt, t, &rev);
	int defs[PORTAL_MAX_DEFS_PER_PAIR];
	size_t n = a != NULL ? portal_assoc_defs(p, a, rev, defs) : 0;

	for (size_t i = 0; i < n; i++)
		if (p->defs[defs[i]].label != NULL)
			cJSON_AddItemToArray(labels, cJSON_CreateString(p->defs[defs[i]].label));
	return labels;
}

/* An association's types as HubSpot lists them: category, typeId, label. */
void
api_add_types_json(const struct portal *p, cJSON *arr, const int *defs, size_t n)
{
	for (size_t d = 0; d < n; d++) {
		const struct pdef *def = &p->defs[defs[d]];
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "category", assoc_category_name(def->cat));
		cJSON_AddNumberToObject(t, "typeId", def->type_id);
		if (def->label != NULL)
			cJSON_AddStringToObject(t, "label", def->label);
		else
			cJSON_AddNullToObject(t, "label");
		cJSON_AddItemToArray(arr, t);
	}
}

void
api_handle(struct portal *p, const struct route *r, const char *query,
    const char *body, size_t len, uint64_t rng, struct api_reply *out)
{
	char m[300];

	out->inputs = 0;
	out->hostile = p->opts->hostile;
	switch (r->ep) {
	case EP_NOT_FOUND:
		api_error(out, 404, NULL, "resource not found", rng);
		break;
	case EP_BAD_METHOD:
		api_error(out, 405, NULL, "HTTP 405 Method Not Allowed", rng);
		break;
	case EP_BAD_TYPE:
		snprintf(m, sizeof(m), "Unable to infer object type from: %s", r->bad);
		api_error(out, 400, NULL, m, rng);      /* no category, as HubSpot's */
		break;
	case EP_CREATE:
		api_do_create(p, r, body, len, rng, out);
		break;
	case EP_DEFAULT:
		api_do_default(p, r, body, len, rng, out);
		break;
	case EP_READ:
		api_do_read(p, r, body, len, rng, out);
		break;
	case EP_ARCHIVE:
		api_do_archive(p, r, body, len, rng, out);
		break;
	case EP_LABELS_ARCHIVE:
		api_do_labels_archive(p, r, body, len, rng, out);
		break;
	case EP_LABELS:
		api_do_labels(p, r, out);
		break;
	case EP_LABEL_CREATE:
		api_do_label_create(p, r, body, len, rng, out);
		break;
	case EP_LABEL_DELETE:
		api_do_label_delete(p, r, rng, out);
		break;
	case EP_LIMITS:
		api_do_limits(p, r, out);
		break;
	case EP_LIMITS_SET:
	case EP_LIMITS_PURGE:
		api_do_limits_set(p, r, body, len, r->ep == EP_LIMITS_PURGE, rng, out);
		break;
	case EP_OBJECTS_READ:
		api_do_objects_read(p, r, body, len, rng, out);
		break;
	case EP_OBJECTS_SEARCH:
		api_do_objects_search(p, r, body, len, rng, out);
		break;
	case EP_OBJECTS_LIST:
		api_do_objects_list(p, r, query, rng, out);
		break;
	case EP_SCHEMAS:
		api_do_schemas(p, out);
		break;
	case EP_SB_ASSOCIATIONS:
		api_do_sb_associations(p, query, rng, out);
		break;
	case EP_SB_OBJECTS:
		api_do_sb_objects(p, query, rng, out);
		break;
	case EP_SB_RESET:
		portal_reset(p);
		out->status = 204;
		buf_reset(&out->body);
		break;
	}
}
