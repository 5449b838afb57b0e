/* request.c: paths, batch/create bodies and curl commands. */
#include "hubassoc/request.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/preflight.h"
#include "hubassoc/text.h"

const char *
api_version_name(enum api_version v)
{
	return v == API_2026_03 ? "2026-03" : "v4";
}

int
api_version_parse(const char *s, enum api_version *out)
{
	if (strcmp(s, "v4") == 0)
		*out = API_V4;
	else if (strcmp(s, "2026-03") == 0)
		*out = API_2026_03;
	else
		return -1;
	return 0;
}

void
request_assoc_path(struct buf *out, enum api_version v,
    const struct objtype *from, const struct objtype *to, const char *action)
{
	buf_printf(out, "%s/%s/%s/%s",
	    v == API_2026_03 ? "/crm/associations/2026-03" : "/crm/v4/associations",
	    from->path, to->path, action);
}

const char *
request_schemas_path(enum api_version v)
{
	return v == API_2026_03 ? "/crm-object-schemas/2026-03/schemas" : "/crm/v3/schemas";
}

char *
request_objects_path(enum api_version v, const struct objtype *t, const char *action)
{
	return xasprintf("%s/%s/%s", v == API_2026_03 ? "/crm/objects/2026-03" :
	    "/crm/v3/objects", t->path, action);
}

static cJSON *
id_object(const char *id)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", id);
	return o;
}

char *
request_create_body(const struct plan *p, const struct input *in, size_t c,
    char **cause)
{
	const uint32_t *rows;
	size_t n;

	if (c >= p->nchunks) {
		*cause = xasprintf("no chunk %zu", c + 1);
		return NULL;
	}
	rows = plan_chunk_rows(p, c, &n);
	return request_create_body_rows(p, in, rows, n, NULL, cause);
}

static void
add_type(cJSON *types, enum assoc_category cat, uint32_t type_id)
{
	cJSON *spec = cJSON_CreateObject();

	cJSON_AddStringToObject(spec, "associationCategory", assoc_category_name(cat));
	cJSON_AddNumberToObject(spec, "associationTypeId", type_id);
	cJSON_AddItemToArray(types, spec);
}

char *
request_create_body_rows(const struct plan *p, const struct input *in,
    const uint32_t *rows, size_t n, const struct prestate *pre, char **cause)
{
	cJSON *root, *inputs;
	char *text;

	root = cJSON_CreateObject();
	inputs = cJSON_AddArrayToObject(root, "inputs");
	for (size_t i = 0; i < n; i++) {
		const struct input_row *r = &in->rows[rows[i]];
		const struct plan_types *t = plan_row_types(p, in, rows[i]);
		cJSON *item = cJSON_CreateObject(), *types;

		cJSON_AddItemToArray(inputs, item);
		cJSON_AddItemToObject(item, "from", id_object(input_from(in, r)));
		if (p->op == PLAN_OP_REMOVE) {
			cJSON *to = cJSON_AddArrayToObject(item, "to");
			cJSON_AddItemToArray(to, id_object(input_to(in, r)));
			continue;
		}
		cJSON_AddItemToObject(item, "to", id_object(input_to(in, r)));
		types = cJSON_AddArrayToObject(item, "types");
		for (size_t k = 0; k < t->n; k++) {
			const struct assoc_spec *s = &t->specs[k];
			if (s->cat == ASSOC_CAT_LABEL) {
				char *e = text_escape_str(s->label, strlen(s->label), 60);
				*cause = xasprintf("line %u: label '%s' is not resolved "
				    "to a type ID yet", r->line, e);
				free(e);
				cJSON_Delete(root);
				return NULL;
			}
			add_type(types, s->cat, s->type_id);
		}
		if (pre != NULL && rows[i] < pre->n && (p->op == PLAN_OP_CREATE ||
		    p->op == PLAN_OP_RELABEL)) {
			/* A relabel keeps the labels it does not replace. */
			const struct pre_row *x = &pre->rows[rows[i]];
			size_t nk = pre_row_kept(x, t, NULL, 0);
			struct pre_type *kept = xcalloc(nk + 1, sizeof(*kept));
			pre_row_kept(x, t, kept, nk);
			for (size_t k = 0; k < nk; k++)
				if (p->op != PLAN_OP_RELABEL || !plan_relabel_replaces(
				    &p->relabel, kept[k].cat, kept[k].type_id))
					add_type(types, kept[k].cat, kept[k].type_id);
			free(kept);
		}
	}
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (text == NULL) {
		*cause = xstrdup("out of memory while building a request");
		return NULL;
	}
	return text;
}

static void
shell_quote(struct buf *out, const char *s)
{
	buf_addc(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_addstr(out, "'\\''");
		else
			buf_addc(out, *s);
	}
	buf_addc(out, '\'');
}

void
request_curl(struct buf *out, const char *method, const char *url,
    const char *body)
{
	buf_printf(out, "curl -sS -X %s ", method);
	shell_quote(out, url);
	buf_addstr(out, " \\\n  -H \"Authorization: Bearer $HUBSPOT_ACCESS_TOKEN\"");
	if (body == NULL) {
		buf_addc(out, '\n');
		return;
	}
	/* A here-document: a 2,000-input body is too long for one argument.
	 * Bodies are single-line JSON, so the delimiter line cannot occur. */
	buf_addstr(out, " \\\n  -H 'Content-Type: application/json'"
	    " \\\n  --data-binary @- <<'HUBASSOC_BODY'\n");
	buf_addstr(out, body);
	buf_addstr(out, "\nHUBASSOC_BODY\n");
}
