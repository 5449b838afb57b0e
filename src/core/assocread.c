/* assocread.c: association batch/read bodies and answers (see assocread.h). */
#include "hubassoc/assocread.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
assocread_body(const char *const *ids, const char *const *afters, size_t n)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
	char *text;

	for (size_t i = 0; i < n; i++) {
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "id", ids[i]);
		if (afters != NULL && afters[i] != NULL)
			cJSON_AddStringToObject(item, "after", afters[i]);
		cJSON_AddItemToArray(inputs, item);
	}
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}

bool
assocread_body_split(const char *body, char **first, char **second)
{
	cJSON *a = cJSON_Parse(body);
	cJSON *in = cJSON_GetObjectItemCaseSensitive(a, "inputs");
	int n = cJSON_IsArray(in) ? cJSON_GetArraySize(in) : 0;

	if (n < 2) {
		cJSON_Delete(a);
		return false;
	}
	/* The second half moved to a body of its own. */
	cJSON *b = cJSON_CreateObject();
	cJSON *rest = cJSON_AddArrayToObject(b, "inputs");
	for (int i = n / 2; i < n; i++)
		cJSON_AddItemToArray(rest, cJSON_DetachItemFromArray(in, n / 2));
	*first = cJSON_PrintUnformatted(a);
	*second = cJSON_PrintUnformatted(b);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return true;
}

/* An ID given as a string or a number, as HubSpot does either. */
static bool
read_id(const cJSON *v, char out[RESPONSE_ID_MAX + 1])
{
	if (cJSON_IsString(v))
		return response_id_from_text(v->valuestring, strlen(v->valuestring), out);
	if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble < 9.007e15) {
		char tmp[32];
		int k = snprintf(tmp, sizeof(tmp), "%.0f", v->valuedouble);
		return k > 0 && response_id_from_text(tmp, (size_t)k, out);
	}
	return false;
}

static void
read_to(struct assocread_to *t, const cJSON *item)
{
	const cJSON *types = cJSON_GetObjectItemCaseSensitive(item, "associationTypes"), *ty;

	cJSON_ArrayForEach(ty, types) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(ty, "category");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(ty, "typeId");
		const cJSON *label = cJSON_GetObjectItemCaseSensitive(ty, "label");
		enum assoc_category c;
		if (!cJSON_IsString(cat) || !cJSON_IsNumber(id) || id->valuedouble < 0 ||
		    id->valuedouble > ASSOC_TYPE_ID_MAX ||
		    assoc_category_parse(cat->valuestring, strlen(cat->valuestring), &c) != 0)
			continue;
		t->types = xreallocarray(t->types, t->ntypes + 1, sizeof(*t->types));
		t->types[t->ntypes++] = (struct assocread_type){ c, (uint32_t)id->valuedouble,
		    cJSON_IsString(label) ? xstrndup(label->valuestring,
		    strnlen(label->valuestring, ASSOCREAD_LABEL_MAX)) : NULL };
	}
}

/* What an answer's OBJECT_NOT_FOUND errors say: the inputs with no
 * associations to the other type, named in context.fromObjectId (HubSpot
 * answers so for a record that has none, and for an ID that is no record:
 * either way, nothing is there), kept as records read with none; and the
 * records that do not exist, named in context.ids (or context.id), as an
 * objects batch/read names them. */
static void
read_missing(struct assocread *out, const cJSON *errors)
{
	const cJSON *e, *id;

	cJSON_ArrayForEach(e, errors) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(e, "category");
		const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(e, "context");
		const cJSON *none = cJSON_GetObjectItemCaseSensitive(ctx, "fromObjectId");
		const cJSON *ids = cJSON_GetObjectItemCaseSensitive(ctx, "ids");
		if (ids == NULL)
			ids = cJSON_GetObjectItemCaseSensitive(ctx, "id");
		if (!cJSON_IsString(cat) || strcmp(cat->valuestring, "OBJECT_NOT_FOUND") != 0)
			continue;
		cJSON_ArrayForEach(id, none) {
			char x[RESPONSE_ID_MAX + 1];
			if (!read_id(id, x))
				continue;
			out->from = xreallocarray(out->from, out->nfrom + 1, sizeof(*out->from));
			memset(&out->from[out->nfrom], 0, sizeof(*out->from));
			memcpy(out->from[out->nfrom++].id, x, sizeof(x));
		}
		cJSON_ArrayForEach(id, ids) {
			char x[RESPONSE_ID_MAX + 1];
			if (!read_id(id, x))
				continue;
			out->missing = xreallocarray(out->missing, out->nmissing + 1,
			    sizeof(*out->missing));
			memcpy(out->missing[out->nmissing++], x, sizeof(x));
		}
	}
}

int
assocread_parse(const char *body, size_t len, struct assocread *out)
{
	cJSON *root, *res;
	const cJSON *item;

	memset(out, 0, sizeof(*out));
	root = json_parse_answer(body, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -1;
	}
	res = cJSON_GetObjectItemCaseSensitive(root, "results");
	cJSON_ArrayForEach(item, res) {
		const cJSON *from = cJSON_GetObjectItemCaseSensitive(item, "from");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(item, "to"), *t;
		const cJSON *paging = cJSON_GetObjectItemCaseSensitive(item, "paging");
		const cJSON *next = cJSON_GetObjectItemCaseSensitive(paging, "next");
		const cJSON *after = cJSON_GetObjectItemCaseSensitive(next, "after");
		struct assocread_from f = { 0 };
		if (!read_id(cJSON_GetObjectItemCaseSensitive(from, "id"), f.id))
			continue;
		if (cJSON_IsString(after) && after->valuestring[0] != '\0')
			f.after = xstrdup(after->valuestring);
		cJSON_ArrayForEach(t, to) {
			struct assocread_to x = { 0 };
			if (!read_id(cJSON_GetObjectItemCaseSensitive(t, "toObjectId"), x.id))
				continue;
			read_to(&x, t);
			f.to = xreallocarray(f.to, f.nto + 1, sizeof(*f.to));
			f.to[f.nto++] = x;
		}
		out->from = xreallocarray(out->from, out->nfrom + 1, sizeof(*out->from));
		out->from[out->nfrom++] = f;
	}
	read_missing(out, cJSON_GetObjectItemCaseSensitive(root, "errors"));
	cJSON_Delete(root);
	return 0;
}

void
assocread_to_clear(struct assocread_to *t)
{
	for (size_t i = 0; i < t->ntypes; i++)
		free(t->types[i].label);
	free(t->types);
	t->types = NULL;
	t->ntypes = 0;
}

void
assocread_free(struct assocread *r)
{
	for (size_t i = 0; i < r->nfrom; i++) {
		for (size_t k = 0; k < r->from[i].nto; k++)
			assocread_to_clear(&r->from[i].to[k]);
		free(r->from[i].to);
		free(r->from[i].after);
	}
	free(r->from);
	free(r->missing);
	memset(r, 0, sizeof(*r));
}

static bool
has_type(const struct assocread_to *t, const struct assoc_spec *s)
{
	for (size_t i = 0; i < t->ntypes; i++)
		if (t->types[i].cat == s->cat && t->types[i].type_id == s->type_id)
			return true;
	return false;
}

bool
assocread_holds(const struct assocread *r, const char *from, const char *to,
    const struct assoc_spec *specs, size_t n, const char **after)
{
	return assocread_pair_has(r, from, to, specs, n, after) == (int)n;
}

int
assocread_pair_has(const struct assocread *r, const char *from, const char *to,
    const struct assoc_spec *specs, size_t n, const char **after)
{
	*after = NULL;
	for (size_t i = 0; i < r->nfrom; i++) {
		const struct assocread_from *f = &r->from[i];
		if (strcmp(f->id, from) != 0)
			continue;
		for (size_t k = 0; k < f->nto; k++) {
			if (strcmp(f->to[k].id, to) != 0)
				continue;
			int have = 0;
			for (size_t t = 0; t < n; t++)
				have += has_type(&f->to[k], &specs[t]);
			return have;
		}
		if (f->after != NULL)
			*after = f->after;
	}
	return -1;
}
