/* api_assoc.c: the sandbox's association endpoints: create, associate
 * default, read, archive, labels archive, labels. */
#include "api.h"
#include "api_int.h"
#include "bind.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hubassoc/response.h"

/* ---- the endpoints ---------------------------------------------------- */

void
api_do_create(struct portal *p, const struct route *r, const char *body, size_t len,
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
	api_problems_init(&pr);
	uint64_t *fs = xcalloc(n + 1, sizeof(*fs)), *ts = xcalloc(n + 1, sizeof(*ts));
	int **defs = xcalloc(n + 1, sizeof(*defs));
	bool *ok = xcalloc(n + 1, sizeof(*ok));
	for (size_t i = 0; i < n; i++) {
		defs[i] = xcalloc(in[i].nspecs + 1, sizeof(int));
		ok[i] = api_check_input(p, r, &in[i], &fs[i], &ts[i], defs[i], &pr);
	}
	if (p->opts->record_limit > 0)
		api_check_limits(p, r, fs, ts, ok, n, &pr);
	api_check_configured(p, r, fs, ts, defs, in, ok, n, &pr);
	if (api_problems_any(&pr) && p->opts->invalid_mode == 400) {
		api_problems_refusal(out, &pr, p->opts->invalid_unnamed, rng);
		goto done;
	}

	cJSON *root = api_batch_envelope(started);
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
		/* New USER_DEFINED labels replace the pair's old ones (unless
		 * --labels-add). */
		if (user && !p->opts->labels_add) {
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
		api_add_id_number(res, "fromObjectId", fs[i]);
		cJSON_AddStringToObject(res, "toObjectTypeId", p->types[r->to].id);
		api_add_id_number(res, "toObjectId", ts[i]);
		cJSON_AddItemToObject(res, "labels", api_labels_of(p, r->from, fs[i], r->to, ts[i]));
		cJSON_AddItemToArray(results, res);
	}
	api_shuffle(results, &rng);
	if (api_problems_any(&pr)) {
		api_add_problem_errors(root, &pr);
		api_reply_json(out, 207, root);
	} else
		api_reply_json(out, p->opts->success_code, root);
done:
	for (size_t i = 0; i < n; i++)
		free(defs[i]);
	free(defs);
	free(ok);
	free(fs);
	free(ts);
	api_problems_free(&pr);
	free_inputs(in, n);
	cJSON_Delete(req);
}

void
api_do_default(struct portal *p, const struct route *r, const char *body, size_t len,
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
	api_problems_init(&pr);
	cJSON *root = api_batch_envelope(started);
	cJSON *results = cJSON_GetObjectItem(root, "results");
	for (size_t i = 0; i < n; i++) {
		uint64_t f, t;
		bool ok = api_check_id(p, r->from, in[i].from, &f, &pr);
		ok = api_check_id(p, r->to, in[i].to, &t, &pr) && ok;
		if (!ok)
			continue;
		portal_assoc_add(p, r->from, f, r->to, t, d);
		for (int side = 0; side < 2; side++) {
			cJSON *res = cJSON_CreateObject(), *spec;
			cJSON *fo = cJSON_AddObjectToObject(res, "from");
			cJSON *to = cJSON_AddObjectToObject(res, "to");
			api_add_id_string(fo, "id", side == 0 ? f : t);
			api_add_id_string(to, "id", side == 0 ? t : f);
			spec = cJSON_AddObjectToObject(res, "associationSpec");
			cJSON_AddStringToObject(spec, "associationCategory", "HUBSPOT_DEFINED");
			cJSON_AddNumberToObject(spec, "associationTypeId",
			    side == 0 ? p->defs[d].type_id : inv >= 0 ? p->defs[inv].type_id : 0);
			cJSON_AddItemToArray(results, res);
		}
	}
	if (api_problems_any(&pr) && p->opts->invalid_mode == 400) {
		cJSON_Delete(root);
		api_problems_refusal(out, &pr, p->opts->invalid_unnamed, rng);
	} else if (api_problems_any(&pr)) {
		api_add_problem_errors(root, &pr);
		api_reply_json(out, 207, root);
	} else
		api_reply_json(out, 200, root);
	api_problems_free(&pr);
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

void
api_do_read(struct portal *p, const struct route *r, const char *body, size_t len,
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
			/* A from-ID that is no record answers as one with no
			 * associations does: HubSpot does not tell them apart. */
			api_add_unique(missing, in[i].from);
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

	cJSON *root = api_batch_envelope(started);
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
		if (acc.nhits[k] == 0) {
			api_add_unique(missing, in[i].from);
			continue;
		}
		cJSON *res = cJSON_CreateObject(), *to;
		cJSON *from = cJSON_AddObjectToObject(res, "from");
		api_add_id_string(from, "id", ids[i]);
		to = cJSON_AddArrayToObject(res, "to");
		size_t end = start + page < acc.nhits[k] ? start + page : acc.nhits[k];
		for (size_t h = start; h < end; h++) {
			cJSON *item = cJSON_CreateObject(), *types;
			const struct passoc *a = &p->assocs[acc.hits[k][h].assoc];
			int defs[PORTAL_MAX_DEFS_PER_PAIR];
			size_t nd = portal_assoc_defs(p, a, acc.hits[k][h].rev, defs);
			api_add_id_number(item, "toObjectId", acc.hits[k][h].other);
			types = cJSON_AddArrayToObject(item, "associationTypes");
			api_add_types_json(p, types, defs, nd);
			cJSON_AddItemToArray(to, item);
		}
		if (end < acc.nhits[k] || p->opts->loop_paging) {
			/* --loop-paging: a cursor that leads back to itself. */
			char after[32];
			snprintf(after, sizeof(after), "%llu", p->opts->loop_paging ? start :
			    (unsigned long long)end);
			cJSON *next = cJSON_AddObjectToObject(cJSON_AddObjectToObject(res,
			    "paging"), "next");
			cJSON_AddStringToObject(next, "after", after);
		}
		cJSON_AddItemToArray(results, res);
	}
	if (cJSON_GetArraySize(missing) > 0) {
		/* Each input with nothing to read left out of results, and
		 * named in an error of its own, as HubSpot answers. */
		cJSON *errors = cJSON_AddArrayToObject(root, "errors"), *id;
		cJSON_ArrayForEach(id, missing) {
			cJSON *e = cJSON_CreateObject(), *ctx;
			char m[200];
			snprintf(m, sizeof(m), "No %s is associated with %s %s.",
			    p->types[r->to].singular, p->types[r->from].singular,
			    id->valuestring);
			cJSON_AddStringToObject(e, "status", "error");
			cJSON_AddStringToObject(e, "category", "OBJECT_NOT_FOUND");
			cJSON_AddStringToObject(e, "subCategory",
			    "crm.associations.NO_ASSOCIATIONS_FOUND");
			cJSON_AddStringToObject(e, "message", m);
			ctx = cJSON_AddObjectToObject(e, "context");
			cJSON_AddItemToArray(cJSON_AddArrayToObject(ctx, "fromObjectId"),
			    cJSON_CreateString(id->valuestring));
			cJSON_AddItemToArray(cJSON_AddArrayToObject(ctx, "fromObjectType"),
			    cJSON_CreateString(p->types[r->from].error_name));
			cJSON_AddItemToArray(cJSON_AddArrayToObject(ctx, "toObjectType"),
			    cJSON_CreateString(p->types[r->to].error_name));
			cJSON_AddItemToArray(errors, e);
		}
		cJSON_AddNumberToObject(root, "numErrors", cJSON_GetArraySize(missing));
		api_reply_json(out, 207, root);
	} else
		api_reply_json(out, 200, root);
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

/* Whether an archive may take the pair away: not one of the record
 * --archive-refuse names; then it is named in errors (left). */
static bool
archive_may(struct portal *p, uint64_t f, uint64_t t, cJSON *left)
{
	uint64_t x = p->opts->archive_refuse;

	if (x == 0 || (f != x && t != x))
		return true;
	char m[120];
	cJSON *e = cJSON_CreateObject();
	snprintf(m, sizeof(m), "The association of %llu and %llu could not be "
	    "removed", (unsigned long long)f, (unsigned long long)t);
	cJSON_AddStringToObject(e, "status", "error");
	cJSON_AddStringToObject(e, "category", "VALIDATION_ERROR");
	cJSON_AddStringToObject(e, "message", m);
	cJSON_AddItemToArray(left, e);
	return false;
}

/* What an archive answers: v4 a bare 204 (what it left said nowhere);
 * 2026-03 a 200 with a batch body, what it left in its errors. */
static void
archived(const struct route *r, cJSON *left, struct api_reply *out)
{
	char started[32];

	if (!r->dated) {
		out->status = 204;
		buf_reset(&out->body);
		return;
	}
	time_iso8601(started, 1);
	cJSON *root = api_batch_envelope(started);
	if (cJSON_GetArraySize(left) > 0) {
		cJSON_AddNumberToObject(root, "numErrors", cJSON_GetArraySize(left));
		cJSON_AddItemToObject(root, "errors", cJSON_Duplicate(left, 1));
	}
	api_reply_json(out, 200, root);
}

void
api_do_archive(struct portal *p, const struct route *r, const char *body, size_t len,
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
	cJSON *left = cJSON_CreateArray();
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
			if (portal_parse_id(text, &t) && archive_may(p, f, t, left))
				portal_assoc_remove(p, r->from, f, r->to, t);
		}
	}
	archived(r, left, out);
	cJSON_Delete(left);
	free_inputs(in, n);
	cJSON_Delete(req);
}

void
api_do_labels_archive(struct portal *p, const struct route *r, const char *body,
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
	api_problems_init(&pr);
	int dflt = portal_def_default(p, r->from, r->to);
	cJSON *left = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		uint64_t f, t;
		int defs[64];
		if (in[i].nspecs > HA_ARRAY_LEN(defs) ||
		    !api_check_input(p, r, &in[i], &f, &t, defs, &pr) ||
		    !archive_may(p, f, t, left))
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
	if (api_problems_any(&pr))
		api_problems_refusal(out, &pr, p->opts->invalid_unnamed, rng);
	else
		archived(r, left, out);
	cJSON_Delete(left);
	api_problems_free(&pr);
	free_inputs(in, n);
	cJSON_Delete(req);
}

void
api_do_labels(struct portal *p, const struct route *r, struct api_reply *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(root, "results");

	for (size_t i = 0; i < p->ndefs; i++) {
		int d = (int)i;
		if (p->defs[i].from == r->from && p->defs[i].to == r->to &&
		    !p->defs[i].deleted)
			api_add_types_json(p, results, &d, 1);
	}
	api_reply_json(out, 200, root);
}
