/* labels.c: reading a direction's association types from the portal. */
#include "hubassoc/labels.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"

int
labels_parse(const char *body, size_t len, struct assoc_labels *list,
    size_t *skipped, char **cause)
{
	cJSON *root = json_parse_answer(body, len), *results, *item;

	memset(list, 0, sizeof(*list));
	*skipped = 0;
	results = cJSON_GetObjectItemCaseSensitive(root, "results");
	if (!cJSON_IsArray(results)) {
		*cause = xstrdup("the labels answer has no results list");
		cJSON_Delete(root);
		return -1;
	}
	list->from_portal = true;
	cJSON_ArrayForEach(item, results) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(item, "category");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "typeId");
		const cJSON *label = cJSON_GetObjectItemCaseSensitive(item, "label");
		enum assoc_category c;
		if (!cJSON_IsString(cat) || !cJSON_IsNumber(id) || id->valuedouble < 1 ||
		    id->valuedouble > ASSOC_TYPE_ID_MAX ||
		    assoc_category_parse(cat->valuestring, strlen(cat->valuestring), &c) != 0) {
			(*skipped)++;
			continue;
		}
		assoc_labels_add(list, c, (uint32_t)id->valuedouble,
		    cJSON_IsString(label) && label->valuestring[0] != '\0' ?
		    label->valuestring : NULL, 0);
	}
	cJSON_Delete(root);
	return 0;
}

void
labels_path(struct buf *out, enum api_version v, const struct objtype *from,
    const struct objtype *to)
{
	request_assoc_path(out, v, from, to, "labels");
}

void
labels_pair_inverses(struct assoc_labels *list, const struct assoc_labels *reverse,
    const struct objtype *from, const struct objtype *to)
{
	for (size_t i = 0; i < list->n; i++) {
		struct assoc_label *l = &list->v[i];
		const struct assoc_builtin *b;
		size_t hits = 0;
		uint32_t found = 0;

		if (l->cat == ASSOC_CAT_HUBSPOT && from->id[0] && to->id[0] &&
		    (b = assoc_builtin_find(l->type_id, from->id, to->id)) != NULL) {
			l->inverse = b->inverse;
			continue;
		}
		for (size_t k = 0; k < reverse->n; k++) {
			const struct assoc_label *r = &reverse->v[k];
			if (r->cat == l->cat && (r->type_id == l->type_id + 1 ||
			    r->type_id + 1 == l->type_id)) {
				hits++;
				found = r->type_id;
			}
		}
		if (hits == 1)
			l->inverse = found;
	}
}

/* ---- what an admin sets: labels made and deleted, limits ------------------ */

void
labels_schema_path(struct buf *out, const struct objtype *from,
    const struct objtype *to, uint32_t type_id)
{
	/* The schema line: the same on every API version. */
	buf_printf(out, "/crm/associations/v4/%s/%s/labels", from->path, to->path);
	if (type_id != 0)
		buf_printf(out, "/%u", type_id);
}

char *
labels_create_body(const char *label, const char *inverse)
{
	struct buf b = BUF_INIT, name = BUF_INIT;

	/* Its internal name, from the label: "Billing contact" billing_contact. */
	for (const char *p = label; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf_addc(&name, (char)c);
		else if (c >= 'A' && c <= 'Z')
			buf_addc(&name, (char)(c + 32));
		else if (name.len > 0 && name.data[name.len - 1] != '_')
			buf_addc(&name, '_');
	}
	while (name.len > 0 && name.data[name.len - 1] == '_')
		name.data[--name.len] = '\0';
	if (name.len == 0)
		buf_addstr(&name, "label");
	buf_addstr(&b, "{\"label\":");
	json_add_string(&b, label);
	json_add_member(&b, "name", buf_str(&name));
	if (inverse != NULL)
		json_add_member(&b, "inverseLabel", inverse);
	buf_addc(&b, '}');
	buf_free(&name);
	return buf_detach(&b);
}

void
limits_path(struct buf *out, const struct objtype *from, const struct objtype *to)
{
	buf_printf(out, "/crm/associations/v4/definitions/configurations/%s/%s",
	    from->path, to->path);
}

int
limits_parse(const char *body, size_t len, struct assoc_limits *out, char **cause)
{
	cJSON *root = json_parse_answer(body, len), *results, *item;

	memset(out, 0, sizeof(*out));
	results = cJSON_GetObjectItemCaseSensitive(root, "results");
	if (!cJSON_IsArray(results)) {
		*cause = xstrdup("the limits answer has no results list");
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(item, results) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(item, "category");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "typeId");
		const cJSON *max = cJSON_GetObjectItemCaseSensitive(item,
		    "userEnforcedMaxToObjectIds");
		enum assoc_category c;
		/* What cannot be read is no limit: the portal enforces its own. */
		if (!cJSON_IsString(cat) || !cJSON_IsNumber(id) || !cJSON_IsNumber(max) ||
		    id->valuedouble < 1 || id->valuedouble > ASSOC_TYPE_ID_MAX ||
		    max->valuedouble < 1 || max->valuedouble > 1e9 ||
		    assoc_category_parse(cat->valuestring, strlen(cat->valuestring), &c) != 0)
			continue;
		out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = (struct assoc_limit){ c, (uint32_t)id->valuedouble,
		    (uint32_t)max->valuedouble };
	}
	cJSON_Delete(root);
	return 0;
}

uint32_t
assoc_limits_find(const struct assoc_limits *l, enum assoc_category cat,
    uint32_t type_id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].cat == cat && l->v[i].type_id == type_id)
			return l->v[i].max;
	return 0;
}

void
assoc_limits_free(struct assoc_limits *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
