/* labels.c: reading a direction's association types from the portal. */
#include "hubassoc/labels.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

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
