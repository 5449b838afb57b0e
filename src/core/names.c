/* names.c: display names by ID (see names.h). */
#include "hubassoc/names.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/calls.h"
#include "hubassoc/input.h"
#include "hubassoc/request.h"
#include "hubassoc/response.h"
#include "hubassoc/text.h"

#define OBJECTS_READ_MAX 100

void
names_free(struct names *n)
{
	for (size_t i = 0; i < n->cap; i++) {
		free(n->ids[i]);
		free(n->names[i]);
	}
	free(n->ids);
	free(n->names);
	memset(n, 0, sizeof(*n));
}

static size_t
slot_of(const struct names *n, const char *id)
{
	size_t mask = n->cap - 1, i = hash_bytes(id, strlen(id), 0) & mask;

	while (n->ids[i] != NULL && strcmp(n->ids[i], id) != 0)
		i = (i + 1) & mask;
	return i;
}

void
names_put(struct names *n, const char *id, const char *name)
{
	size_t len = strnlen(name, NAMES_MAX_BYTES + 1);

	if (len == 0)
		return;
	if (len > NAMES_MAX_BYTES) {
		len = NAMES_MAX_BYTES;
		while (len > 0 && ((unsigned char)name[len] & 0xc0) == 0x80)
			len--;
	}
	if ((n->n + 1) * 2 > n->cap) {
		struct names g = { 0 };
		g.cap = n->cap ? n->cap * 2 : 64;
		g.ids = xcalloc(g.cap, sizeof(*g.ids));
		g.names = xcalloc(g.cap, sizeof(*g.names));
		for (size_t i = 0; i < n->cap; i++) {
			if (n->ids[i] == NULL)
				continue;
			size_t s = slot_of(&g, n->ids[i]);
			g.ids[s] = n->ids[i];
			g.names[s] = n->names[i];
			g.n++;
		}
		free(n->ids);
		free(n->names);
		*n = g;
	}
	size_t s = slot_of(n, id);
	if (n->ids[s] == NULL) {
		n->ids[s] = xstrdup(id);
		n->n++;
	}
	free(n->names[s]);
	n->names[s] = xstrndup(name, len);
}

void
names_merge(struct names *into, const struct names *from)
{
	for (size_t i = 0; i < from->cap; i++)
		if (from->ids[i] != NULL)
			names_put(into, from->ids[i], from->names[i]);
}

const char *
names_get(const struct names *n, const char *id)
{
	if (n == NULL || n->n == 0)
		return NULL;
	size_t s = slot_of(n, id);
	return n->names[s];
}

void
names_each(const struct names *n, void (*fn)(void *arg, const char *id,
    const char *name), void *arg)
{
	for (size_t i = 0; i < n->cap; i++)
		if (n->ids[i] != NULL)
			fn(arg, n->ids[i], n->names[i]);
}

/* The standard types' names. */
static const struct {
	const char *id;
	struct names_kind k;
} builtin[] = {
	{ "0-1", { { "firstname", "lastname", NULL }, true, "email" } },
	{ "0-2", { { "name", NULL, NULL }, false, "domain" } },
	{ "0-3", { { "dealname", NULL, NULL }, false, NULL } },
	{ "0-5", { { "subject", NULL, NULL }, false, NULL } },
	{ "0-7", { { "name", NULL, NULL }, false, NULL } },
	{ "0-8", { { "name", NULL, NULL }, false, NULL } },
	{ "0-14", { { "hs_title", NULL, NULL }, false, NULL } },
};

bool
names_kind_of(const struct objtype *t, const char *display, struct names_kind *k)
{
	memset(k, 0, sizeof(*k));
	for (size_t i = 0; i < HA_ARRAY_LEN(builtin); i++)
		if (strcmp(t->id, builtin[i].id) == 0) {
			*k = builtin[i].k;
			return true;
		}
	if (display != NULL && display[0] != '\0') {
		k->props[0] = display;
		return true;
	}
	return false;
}

size_t
names_props(const struct names_kind *k, const char *props[NAMES_PROPS_MAX])
{
	size_t n = 0;

	for (size_t i = 0; i < 3 && k->props[i] != NULL; i++)
		props[n++] = k->props[i];
	if (k->fallback != NULL)
		props[n++] = k->fallback;
	return n;
}

static const char *
prop_str(const cJSON *props, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, name);

	return cJSON_IsString(v) && v->valuestring[0] != '\0' ? v->valuestring : NULL;
}

void
names_of_record(const struct names_kind *k, const cJSON *props, struct buf *out)
{
	buf_reset(out);
	if (!cJSON_IsObject(props))
		return;
	for (size_t i = 0; i < 3 && k->props[i] != NULL; i++) {
		const char *v = prop_str(props, k->props[i]);
		if (v == NULL)
			continue;
		if (out->len > 0)
			buf_addc(out, ' ');
		buf_addstr(out, v);
		if (!k->join)
			break;
	}
	if (out->len == 0 && k->fallback != NULL && prop_str(props, k->fallback) != NULL)
		buf_addstr(out, prop_str(props, k->fallback));
}

size_t
names_wanted(const struct input *in, int side, const struct names *have,
    const char ***ids)
{
	const char **v = xcalloc(in->nrows + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < in->nrows; i++) {
		const struct input_row *r = &in->rows[i];
		const char *id = side == 0 ? input_from(in, r) : input_to(in, r);
		if (r->status == ROW_VALID && input_id_ok(id) &&
		    names_get(have, id) == NULL)
			v[n++] = id;
	}
	*ids = v;
	return strs_distinct(v, n);
}

struct fetch {
	struct names_kind k;
	struct names *n;
};

static void
on_names(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct fetch *f = arg;
	cJSON *root, *x;
	struct buf name = BUF_INIT;

	(void)r;
	/* A name is a nicety: a refusal (a record gone) costs only it. */
	(void)c;
	if (refused || (root = json_parse_answer(res->body.data, res->body.len)) == NULL)
		return;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(root, "results")) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(x, "id");
		char canon[RESPONSE_ID_MAX + 1];
		if (!cJSON_IsString(id) || !response_id_from_text(id->valuestring,
		    strlen(id->valuestring), canon))
			continue;
		names_of_record(&f->k, cJSON_GetObjectItemCaseSensitive(x, "properties"),
		    &name);
		names_put(f->n, canon, buf_str(&name));
	}
	buf_free(&name);
	cJSON_Delete(root);
}

size_t
names_fetch(struct calls *c, enum api_version api, const char *kind,
    const struct objtype *t, const struct names_kind *k, const char *const *ids,
    size_t nids, struct names *n)
{
	const char *props[NAMES_PROPS_MAX];
	size_t np = names_props(k, props), queued = 0;
	char *path;

	if (np == 0 || nids == 0)
		return 0;
	path = request_objects_path(api, t, "batch/read");
	for (size_t i = 0; i < nids; i += OBJECTS_READ_MAX) {
		size_t m = nids - i < OBJECTS_READ_MAX ? nids - i : OBJECTS_READ_MAX;
		cJSON *root = cJSON_CreateObject();
		cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
		cJSON *pa = cJSON_AddArrayToObject(root, "properties");
		for (size_t j = 0; j < m; j++) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "id", ids[i + j]);
			cJSON_AddItemToArray(inputs, item);
		}
		for (size_t j = 0; j < np; j++)
			cJSON_AddItemToArray(pa, cJSON_CreateString(props[j]));
		/* Its own copy of the first property: a custom object's
		 * may be gone (another portal) before the answer is. */
		struct fetch *f = xcalloc(1, sizeof(*f) + strlen(k->props[0]) + 1);
		f->k = *k;
		f->k.props[0] = strcpy((char *)(f + 1), k->props[0]);
		f->n = n;
		calls_add_ex(c, &(struct call_extra){ .free_arg = true }, kind, "POST",
		    path, cJSON_PrintUnformatted(root), on_names, f);
		cJSON_Delete(root);
		queued++;
	}
	free(path);
	return queued;
}
