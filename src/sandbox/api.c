/* api.c: the sandbox's endpoints, with HubSpot's semantics and shapes
 * (routing is route.c's, binding bodies bind.c's). */
#include "api.h"
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

static void
reply_json(struct api_reply *out, int status, cJSON *root)
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
	reply_json(out, status, error_object(status, category, message, rng));
}

static cJSON *
batch_envelope(const char *started)
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
static void
add_id_number(cJSON *o, const char *key, uint64_t id)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)id);
	cJSON_AddRawToObject(o, key, tmp);
}

static void
add_id_string(cJSON *o, const char *key, uint64_t id)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)id);
	cJSON_AddStringToObject(o, key, tmp);
}

/* ---- checks shared by the writes ------------------------------------- */

struct problems {
	cJSON *invalid_ids;    /* "CONTACT=1 is not valid" */
	cJSON *object_ids;     /* "1" */
	cJSON *object_types;   /* "CONTACT" */
	cJSON *bad_specs;      /* "USER_DEFINED=3" */
	cJSON *bad_spec_msgs;  /* "USER_DEFINED=3 is not a valid association definition id" */
	cJSON *over_limit;     /* "CONTACT=1": records a batch would take past the limit */
};

static void
problems_init(struct problems *pr)
{
	pr->invalid_ids = cJSON_CreateArray();
	pr->object_ids = cJSON_CreateArray();
	pr->object_types = cJSON_CreateArray();
	pr->bad_specs = cJSON_CreateArray();
	pr->bad_spec_msgs = cJSON_CreateArray();
	pr->over_limit = cJSON_CreateArray();
}

static void
problems_free(struct problems *pr)
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

static void
add_unique(cJSON *arr, const char *s)
{
	if (!has_string(arr, s))
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

/* Checks an ID against a type; records it when it names no record. */
static bool
check_id(const struct portal *p, int type, const char *text, uint64_t *id,
    struct problems *pr)
{
	char msg[200];

	if (portal_parse_id(text, id) && portal_exists(p, type, *id))
		return true;
	snprintf(msg, sizeof(msg), "%s=%s is not valid", p->types[type].error_name, text);
	add_unique(pr->invalid_ids, msg);
	add_unique(pr->object_ids, text);
	add_unique(pr->object_types, p->types[type].error_name);
	return false;
}

static void
bad_spec(struct problems *pr, const struct spec_in *s)
{
	char spec[64], msg[128];

	snprintf(spec, sizeof(spec), "%s=%u", assoc_category_name(s->cat), s->type_id);
	snprintf(msg, sizeof(msg), "%s is not a valid association definition id", spec);
	add_unique(pr->bad_specs, spec);
	add_unique(pr->bad_spec_msgs, msg);
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
static void
check_limits(const struct portal *p, const struct route *r, const uint64_t *fs,
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
			add_unique(pr->over_limit, msg);
			ok[i] = false;
		}
	}
}

static bool
check_input(const struct portal *p, const struct route *r, const struct input_in *in,
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
	bool ids = check_id(p, ftype, in->from, f, pr);
	ids = check_id(p, ttype, in->to, t, pr) && ids;
	if (ok || !ids)
		return ok && ids;
	/* The IDs hold for the implied types, but the type is not this
	 * direction's: HubSpot refuses the definition. */
	for (size_t k = 0; k < in->nspecs; k++)
		if (defs[k] < 0)
			bad_spec(pr, &in->specs[k]);
	return false;
}

static bool
problems_any(const struct problems *pr)
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
static void
add_problem_errors(cJSON *root, struct problems *pr)
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
static void
problems_refusal(struct api_reply *out, struct problems *pr, bool unnamed,
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
	reply_json(out, 400, e);
}

static void
shuffle(cJSON *arr, uint64_t *rng)
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

static cJSON *
labels_of(const struct portal *p, int tf, uint64_t f, int tt, uint64_t t)
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
static void
add_types_json(const struct portal *p, cJSON *arr, const int *defs, size_t n)
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

/* ---- the endpoints ---------------------------------------------------- */

static void
do_create(struct portal *p, const struct route *r, const char *body, size_t len,
    uint64_t rng, struct api_reply *out)
{
	struct input_in *in;
	size_t n;
	cJSON *req;
	struct problems pr;
	char started[32];

	time_iso8601(started, 1);
	if (!bind_batch(body, len, SHAPE_PAIR_TYPES, p->opts->max_inputs, &in, &n,
	    &req, out, rng)) {
		cJSON_Delete(req);
		return;
	}
	out->inputs = n;
	problems_init(&pr);
	uint64_t *fs = xcalloc(n + 1, sizeof(*fs)), *ts = xcalloc(n + 1, sizeof(*ts));
	int **defs = xcalloc(n + 1, sizeof(*defs));
	bool *ok = xcalloc(n + 1, sizeof(*ok));
	for (size_t i = 0; i < n; i++) {
		defs[i] = xcalloc(in[i].nspecs + 1, sizeof(int));
		ok[i] = check_input(p, r, &in[i], &fs[i], &ts[i], defs[i], &pr);
	}
	if (p->opts->record_limit > 0)
		check_limits(p, r, fs, ts, ok, n, &pr);
	if (problems_any(&pr) && p->opts->invalid_mode == 400) {
		problems_refusal(out, &pr, p->opts->invalid_unnamed, rng);
		goto done;
	}

	cJSON *root = batch_envelope(started);
	cJSON *results = cJSON_GetObjectItem(root, "results");
	int dflt = portal_def_default(p, r->from, r->to);
	for (size_t i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		bool labeled = false, user = false;
		for (size_t k = 0; k < in[i].nspecs; k++) {
			labeled |= p->defs[defs[i][k]].label != NULL;
			user |= p->defs[defs[i][k]].cat == ASSOC_CAT_USER;
		}
		/* New USER_DEFINED labels replace the pair's old ones. */
		if (user) {
			bool rev;
			const struct passoc *a = portal_assoc(p, r->from, fs[i], r->to, ts[i], &rev);
			int have[PORTAL_MAX_DEFS_PER_PAIR];
			size_t nh = a != NULL ? portal_assoc_defs(p, a, rev, have) : 0;
			for (size_t h = 0; h < nh; h++) {
				bool keep = p->defs[have[h]].cat != ASSOC_CAT_USER;
				for (size_t k = 0; k < in[i].nspecs && !keep; k++)
					keep = defs[i][k] == have[h];
				if (!keep)
					portal_assoc_remove_def(p, r->from, fs[i], r->to, ts[i], have[h]);
			}
		}
		/* A label comes with the unlabeled default. */
		if (labeled && dflt >= 0)
			portal_assoc_add(p, r->from, fs[i], r->to, ts[i], dflt);
		for (size_t k = 0; k < in[i].nspecs; k++)
			portal_assoc_add(p, r->from, fs[i], r->to, ts[i], defs[i][k]);
	}
	/* Results say the state the whole batch left: a Primary a later input
	 * moved away, or a pair sent twice, is reported as it now stands, once. */
	for (size_t i = 0; i < n; i++) {
		bool again = false;
		for (size_t k = 0; k < i && !again; k++)
			again = ok[k] && fs[k] == fs[i] && ts[k] == ts[i];
		if (!ok[i] || again)
			continue;
		cJSON *res = cJSON_CreateObject();
		cJSON_AddStringToObject(res, "fromObjectTypeId", p->types[r->from].id);
		add_id_number(res, "fromObjectId", fs[i]);
		cJSON_AddStringToObject(res, "toObjectTypeId", p->types[r->to].id);
		add_id_number(res, "toObjectId", ts[i]);
		cJSON_AddItemToObject(res, "labels", labels_of(p, r->from, fs[i], r->to, ts[i]));
		cJSON_AddItemToArray(results, res);
	}
	shuffle(results, &rng);
	if (problems_any(&pr)) {
		add_problem_errors(root, &pr);
		reply_json(out, 207, root);
	} else
		reply_json(out, p->opts->success_code, root);
done:
	for (size_t i = 0; i < n; i++)
		free(defs[i]);
	free(defs);
	free(ok);
	free(fs);
	free(ts);
	problems_free(&pr);
	free_inputs(in, n);
	cJSON_Delete(req);
}

static void
do_default(struct portal *p, const struct route *r, const char *body, size_t len,
    uint64_t rng, struct api_reply *out)
{
	struct input_in *in;
	size_t n;
	cJSON *req;
	struct problems pr;
	char started[32];
	int d = portal_def_default(p, r->from, r->to);
	int inv = d >= 0 ? portal_def_inverse(p, d) : -1;

	time_iso8601(started, 1);
	if (!bind_batch(body, len, SHAPE_PAIR, p->opts->max_inputs, &in, &n, &req, out, rng)) {
		cJSON_Delete(req);
		return;
	}
	out->inputs = n;
	if (d < 0) {
		char m[200];
		snprintf(m, sizeof(m), "No default association type exists between %s and %s",
		    p->types[r->from].id, p->types[r->to].id);
		api_error(out, 400, "VALIDATION_ERROR", m, rng);
		free_inputs(in, n);
		cJSON_Delete(req);
		return;
	}
	problems_init(&pr);
	cJSON *root = batch_envelope(started);
	cJSON *results = cJSON_GetObjectItem(root, "results");
	for (size_t i = 0; i < n; i++) {
		uint64_t f, t;
		bool ok = check_id(p, r->from, in[i].from, &f, &pr);
		ok = check_id(p, r->to, in[i].to, &t, &pr) && ok;
		if (!ok)
			continue;
		portal_assoc_add(p, r->from, f, r->to, t, d);
		for (int side = 0; side < 2; side++) {
			cJSON *res = cJSON_CreateObject(), *spec;
			cJSON *fo = cJSON_AddObjectToObject(res, "from");
			cJSON *to = cJSON_AddObjectToObject(res, "to");
			add_id_string(fo, "id", side == 0 ? f : t);
			add_id_string(to, "id", side == 0 ? t : f);
			spec = cJSON_AddObjectToObject(res, "associationSpec");
			cJSON_AddStringToObject(spec, "associationCategory", "HUBSPOT_DEFINED");
			cJSON_AddNumberToObject(spec, "associationTypeId",
			    side == 0 ? p->defs[d].type_id : inv >= 0 ? p->defs[inv].type_id : 0);
			cJSON_AddItemToArray(results, res);
		}
	}
	if (problems_any(&pr) && p->opts->invalid_mode == 400) {
		cJSON_Delete(root);
		problems_refusal(out, &pr, p->opts->invalid_unnamed, rng);
	} else if (problems_any(&pr)) {
		add_problem_errors(root, &pr);
		reply_json(out, 207, root);
	} else
		reply_json(out, 200, root);
	problems_free(&pr);
	free_inputs(in, n);
	cJSON_Delete(req);
}

/* batch/read: one scan of the store for every input at once. */
struct read_acc {
	uint64_t *ids;          /* requested, sorted, with their input index */
	size_t *idx;
	size_t n;
	struct { uint64_t other; uint32_t assoc; bool rev; } **hits;
	size_t *nhits, *caps;
	const struct portal *p;
};

static void
read_collect(struct read_acc *acc, int type, int other)
{
	const struct portal *p = acc->p;

	for (size_t i = 0; i < p->nassocs; i++) {
		const struct passoc *x = &p->assocs[i];
		for (int side = 0; side < 2 && x->live; side++) {
			int mine = side == 0 ? x->ta : x->tb, theirs = side == 0 ? x->tb : x->ta;
			uint64_t id = side == 0 ? x->a : x->b;
			if (mine != type || theirs != other)
				continue;
			if (side == 1 && x->ta == x->tb && x->a == x->b)
				continue;
			size_t lo = 0, hi = acc->n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (acc->ids[mid] < id)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo >= acc->n || acc->ids[lo] != id)
				continue;
			size_t k = acc->idx[lo];
			if (acc->nhits[k] == acc->caps[k]) {
				acc->caps[k] = acc->caps[k] ? acc->caps[k] * 2 : 8;
				acc->hits[k] = xreallocarray(acc->hits[k], acc->caps[k],
				    sizeof(**acc->hits));
			}
			acc->hits[k][acc->nhits[k]].other = side == 0 ? x->b : x->a;
			acc->hits[k][acc->nhits[k]].assoc = (uint32_t)i;
			acc->hits[k][acc->nhits[k]++].rev = side == 1;
		}
	}
}

static int
hit_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
do_read(struct portal *p, const struct route *r, const char *body, size_t len,
    uint64_t rng, struct api_reply *out)
{
	struct input_in *in;
	size_t n, page = p->opts->page_size;
	cJSON *req, *missing = cJSON_CreateArray();
	char started[32];
	struct read_acc acc = { .p = p };

	time_iso8601(started, 1);
	if (!bind_batch(body, len, SHAPE_ID, 1000, &in, &n, &req, out, rng)) {
		cJSON_Delete(req);
		cJSON_Delete(missing);
		return;
	}
	out->inputs = n;
	acc.ids = xcalloc(n + 1, sizeof(*acc.ids));
	acc.idx = xcalloc(n + 1, sizeof(*acc.idx));
	acc.hits = xcalloc(n + 1, sizeof(*acc.hits));
	acc.nhits = xcalloc(n + 1, sizeof(*acc.nhits));
	acc.caps = xcalloc(n + 1, sizeof(*acc.caps));
	uint64_t *ids = xcalloc(n + 1, sizeof(*ids));
	bool *ok = xcalloc(n + 1, sizeof(*ok));
	for (size_t i = 0; i < n; i++) {
		ok[i] = portal_parse_id(in[i].from, &ids[i]) && portal_exists(p, r->from, ids[i]);
		if (!ok[i]) {
			add_unique(missing, in[i].from);
			continue;
		}
		/* Insertion keeps ids sorted; a repeated ID reads once. */
		size_t j = acc.n;
		while (j > 0 && acc.ids[j - 1] > ids[i])
			j--;
		if (j > 0 && acc.ids[j - 1] == ids[i])
			continue;
		memmove(acc.ids + j + 1, acc.ids + j, (acc.n - j) * sizeof(*acc.ids));
		memmove(acc.idx + j + 1, acc.idx + j, (acc.n - j) * sizeof(*acc.idx));
		acc.ids[j] = ids[i];
		acc.idx[j] = i;
		acc.n++;
	}
	read_collect(&acc, r->from, r->to);

	cJSON *root = batch_envelope(started);
	cJSON *results = cJSON_GetObjectItem(root, "results");
	for (size_t i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		size_t k = i;
		for (size_t j = 0; j < acc.n; j++)
			if (acc.ids[j] == ids[i])
				k = acc.idx[j];
		if (acc.nhits[k] > 1)
			qsort(acc.hits[k], acc.nhits[k], sizeof(**acc.hits), hit_cmp);
		unsigned long long start = 0;
		if (in[i].after != NULL)
			(void)parse_uint(in[i].after, 0, SIZE_MAX, &start);
		cJSON *res = cJSON_CreateObject(), *to;
		cJSON *from = cJSON_AddObjectToObject(res, "from");
		add_id_string(from, "id", ids[i]);
		to = cJSON_AddArrayToObject(res, "to");
		size_t end = start + page < acc.nhits[k] ? start + page : acc.nhits[k];
		for (size_t h = start; h < end; h++) {
			cJSON *item = cJSON_CreateObject(), *types;
			const struct passoc *a = &p->assocs[acc.hits[k][h].assoc];
			int defs[PORTAL_MAX_DEFS_PER_PAIR];
			size_t nd = portal_assoc_defs(p, a, acc.hits[k][h].rev, defs);
			add_id_number(item, "toObjectId", acc.hits[k][h].other);
			types = cJSON_AddArrayToObject(item, "associationTypes");
			add_types_json(p, types, defs, nd);
			cJSON_AddItemToArray(to, item);
		}
		if (end < acc.nhits[k]) {
			char after[32];
			snprintf(after, sizeof(after), "%zu", end);
			cJSON *next = cJSON_AddObjectToObject(cJSON_AddObjectToObject(res,
			    "paging"), "next");
			cJSON_AddStringToObject(next, "after", after);
		}
		cJSON_AddItemToArray(results, res);
	}
	if (cJSON_GetArraySize(missing) > 0) {
		cJSON *errors = cJSON_AddArrayToObject(root, "errors");
		cJSON *e = cJSON_CreateObject();
		char m[160];
		snprintf(m, sizeof(m), "Could not find %s objects: they may be deleted or "
		    "not exist", p->types[r->from].error_name);
		cJSON_AddStringToObject(e, "status", "error");
		cJSON_AddStringToObject(e, "category", "OBJECT_NOT_FOUND");
		cJSON_AddStringToObject(e, "message", m);
		cJSON_AddItemToObject(cJSON_AddObjectToObject(e, "context"), "ids",
		    cJSON_Duplicate(missing, 1));
		cJSON_AddItemToArray(errors, e);
		cJSON_AddNumberToObject(root, "numErrors", 1);
		reply_json(out, 207, root);
	} else
		reply_json(out, 200, root);
	for (size_t i = 0; i < n; i++)
		free(acc.hits[i]);
	free(acc.hits);
	free(acc.nhits);
	free(acc.caps);
	free(acc.ids);
	free(acc.idx);
	free(ids);
	free(ok);
	cJSON_Delete(missing);
	free_inputs(in, n);
	cJSON_Delete(req);
}

/* What an archive answers: v4 a bare 204; 2026-03 a 200 with a batch body. */
static void
archived(const struct route *r, struct api_reply *out)
{
	char started[32];

	if (!r->dated) {
		out->status = 204;
		buf_reset(&out->body);
		return;
	}
	time_iso8601(started, 1);
	reply_json(out, 200, batch_envelope(started));
}

static void
do_archive(struct portal *p, const struct route *r, const char *body, size_t len,
    uint64_t rng, struct api_reply *out)
{
	struct input_in *in;
	size_t n;
	cJSON *req;

	if (!bind_batch(body, len, SHAPE_FROM_TOLIST, p->opts->max_inputs, &in, &n,
	    &req, out, rng)) {
		cJSON_Delete(req);
		return;
	}
	out->inputs = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t f, t;
		const cJSON *to;
		if (!portal_parse_id(in[i].from, &f))
			continue;
		cJSON_ArrayForEach(to, in[i].to_list) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(to, "id");
			char num[32];
			const char *text = cJSON_IsString(id) ? id->valuestring :
			    (snprintf(num, sizeof(num), "%.0f", id->valuedouble), num);
			if (portal_parse_id(text, &t))
				portal_assoc_remove(p, r->from, f, r->to, t);
		}
	}
	archived(r, out);
	free_inputs(in, n);
	cJSON_Delete(req);
}

static void
do_labels_archive(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out)
{
	struct input_in *in;
	size_t n;
	cJSON *req;
	struct problems pr;

	if (!bind_batch(body, len, SHAPE_PAIR_TYPES, p->opts->max_inputs, &in, &n,
	    &req, out, rng)) {
		cJSON_Delete(req);
		return;
	}
	out->inputs = n;
	problems_init(&pr);
	int dflt = portal_def_default(p, r->from, r->to);
	for (size_t i = 0; i < n; i++) {
		uint64_t f, t;
		int defs[64];
		if (in[i].nspecs > HA_ARRAY_LEN(defs) ||
		    !check_input(p, r, &in[i], &f, &t, defs, &pr))
			continue;
		for (size_t k = 0; k < in[i].nspecs; k++) {
			/* The spec's own warning: the unlabeled type takes the
			 * labels with it. */
			if (defs[k] == dflt)
				portal_assoc_remove(p, r->from, f, r->to, t);
			else
				portal_assoc_remove_def(p, r->from, f, r->to, t, defs[k]);
		}
	}
	if (problems_any(&pr))
		problems_refusal(out, &pr, p->opts->invalid_unnamed, rng);
	else
		archived(r, out);
	problems_free(&pr);
	free_inputs(in, n);
	cJSON_Delete(req);
}

static void
do_labels(struct portal *p, const struct route *r, struct api_reply *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(root, "results");

	for (size_t i = 0; i < p->ndefs; i++) {
		int d = (int)i;
		if (p->defs[i].from == r->from && p->defs[i].to == r->to)
			add_types_json(p, results, &d, 1);
	}
	reply_json(out, 200, root);
}

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
	add_id_string(o, "id", id);
	props = cJSON_AddObjectToObject(o, "properties");
	add_id_string(props, "hs_object_id", id);
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
static void
do_objects_read(struct portal *p, const struct route *r, const char *body,
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
	cJSON *root = batch_envelope(started);
	cJSON *results = cJSON_GetObjectItem(root, "results");
	for (size_t i = 0; i < n; i++) {
		uint64_t id;
		if (portal_find_by(p, r->from, prop, in[i].from, &id, 1) != 1) {
			add_unique(missing, in[i].from);
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
		reply_json(out, 207, root);
	} else
		reply_json(out, 200, root);
	cJSON_Delete(missing);
	free_inputs(in, n);
	cJSON_Delete(req);
}

static void
do_schemas(struct portal *p, struct api_reply *out)
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
	reply_json(out, 200, root);
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
static void
do_sb_objects(struct portal *p, const char *query, uint64_t rng,
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
	reply_json(out, 200, root);
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
	reply_json(out, 200, root);
}

/*
 * POST /crm/v3/objects/T/search: filter groups (OR) of one filter each,
 * EQ or IN on a property the portal can look up (hs_object_id, a contact's
 * email, a company's domain), paged by limit (at most 200) and after.
 */
static void
do_objects_search(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out)
{
	cJSON *req = cJSON_ParseWithLength(body, len), *g;
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(req, "filterGroups");
	const cJSON *lim = cJSON_GetObjectItemCaseSensitive(req, "limit");
	const cJSON *aft = cJSON_GetObjectItemCaseSensitive(req, "after");
	uint64_t *ids = NULL;
	size_t n = 0, cap = 0, limit = 10, after = 0;
	const char *bad = NULL;

	if (!cJSON_IsArray(groups) || cJSON_GetArraySize(groups) == 0)
		bad = "filterGroups must hold at least one group";
	if (cJSON_IsNumber(lim)) {
		if (lim->valuedouble < 1 || lim->valuedouble > 200)
			bad = "limit must be from 1 to 200";
		else
			limit = (size_t)lim->valuedouble;
	}
	if (cJSON_IsString(aft) && aft->valuestring[0] != '\0') {
		unsigned long long v;
		if (parse_uint(aft->valuestring, 0, 10000, &v) != 0)
			bad = "after is not a paging cursor of this search";
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
static void
do_objects_list(struct portal *p, const struct route *r, const char *query,
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
static void
do_sb_associations(struct portal *p, const char *query, uint64_t rng,
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
		add_id_string(o, "from", rows[i].f);
		add_id_string(o, "to", rows[i].t);
		types = cJSON_AddArrayToObject(o, "types");
		add_types_json(p, types, defs, nd);
		cJSON_AddItemToArray(results, o);
	}
	free(rows);
	reply_json(out, 200, root);
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
		do_create(p, r, body, len, rng, out);
		break;
	case EP_DEFAULT:
		do_default(p, r, body, len, rng, out);
		break;
	case EP_READ:
		do_read(p, r, body, len, rng, out);
		break;
	case EP_ARCHIVE:
		do_archive(p, r, body, len, rng, out);
		break;
	case EP_LABELS_ARCHIVE:
		do_labels_archive(p, r, body, len, rng, out);
		break;
	case EP_LABELS:
		do_labels(p, r, out);
		break;
	case EP_OBJECTS_READ:
		do_objects_read(p, r, body, len, rng, out);
		break;
	case EP_OBJECTS_SEARCH:
		do_objects_search(p, r, body, len, rng, out);
		break;
	case EP_OBJECTS_LIST:
		do_objects_list(p, r, query, rng, out);
		break;
	case EP_SCHEMAS:
		do_schemas(p, out);
		break;
	case EP_SB_ASSOCIATIONS:
		do_sb_associations(p, query, rng, out);
		break;
	case EP_SB_OBJECTS:
		do_sb_objects(p, query, rng, out);
		break;
	case EP_SB_RESET:
		portal_reset(p);
		out->status = 204;
		buf_reset(&out->body);
		break;
	}
}
