/* bind.c: request bodies bound as HubSpot's JSON binder binds them, with
 * its messages for those that do not. */
#include "bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/response.h"
#include "hubassoc/text.h"

/* Offsets of every object's start and end, in document (pre-)order. */
struct objpos {
	size_t *start, *end;
	size_t n;
};

static void
objpos_scan(struct objpos *op, const char *s, size_t n)
{
	size_t *stack = xcalloc(64, sizeof(*stack)), depth = 0, cap = 64, k = 0;
	bool in_str = false, esc = false;

	memset(op, 0, sizeof(*op));
	for (size_t i = 0; i < n; i++)
		if (s[i] == '{')
			k++;
	op->start = xcalloc(k + 1, sizeof(size_t));
	op->end = xcalloc(k + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (json_string_step(c, &in_str, &esc))
			continue;
		if (c == '{') {
			if (depth == cap)
				stack = xreallocarray(stack, cap *= 2, sizeof(*stack));
			stack[depth++] = op->n;
			op->start[op->n++] = i;
		} else if (c == '}' && depth > 0)
			op->end[stack[--depth]] = i;
	}
	free(stack);
}

/* Numbers every object node in pre-order, as objpos numbers them. */
static void
number_objects(const cJSON *v, const cJSON **order, size_t *k, size_t max)
{
	if (cJSON_IsObject(v) && *k < max)
		order[(*k)++] = v;
	for (const cJSON *c = v->child; c != NULL; c = c->next)
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			number_objects(c, order, k, max);
}

struct binder {
	const char *text;
	size_t len;
	struct objpos pos;
	const cJSON **order;
	size_t norder;
	char *error;          /* the first binding error */
};

static void
line_col(const char *s, size_t at, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < at; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static size_t
object_end(const struct binder *b, const cJSON *o)
{
	for (size_t i = 0; i < b->norder && i < b->pos.n; i++)
		if (b->order[i] == o)
			return b->pos.end[i];
	return 0;
}

static void
bind_fail(struct binder *b, const cJSON *where, const char *fmt, const char *detail)
{
	size_t line, col;

	if (b->error != NULL)
		return;
	line_col(b->text, object_end(b, where) + 1, &line, &col);
	char *d = xasprintf(fmt, detail);
	b->error = xasprintf("Invalid input JSON on line %zu, column %zu%s", line,
	    col, d);
	free(d);
}

/* Required members of an object: reports the missing ones together. */
static bool
bind_required(struct binder *b, const cJSON *o, const char *const *names, size_t n)
{
	struct buf missing = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, names[i]);
		if (v == NULL || cJSON_IsNull(v)) {
			if (missing.len > 0)
				buf_addstr(&missing, ", ");
			buf_addstr(&missing, names[i]);
		}
	}
	if (missing.len > 0) {
		char *list = xasprintf("[%s]", buf_str(&missing));
		bind_fail(b, o, ". Some required fields were not set: %s", list);
		free(list);
	}
	buf_free(&missing);
	return b->error == NULL;
}

static const char *
json_kind(const cJSON *v)
{
	return cJSON_IsObject(v) ? "Object value (token `JsonToken.START_OBJECT`)" :
	    cJSON_IsArray(v) ? "Array value (token `JsonToken.START_ARRAY`)" :
	    cJSON_IsBool(v) ? "Boolean value" : cJSON_IsNumber(v) ? "Number value" :
	    "String value";
}

/* An ID member: a string or a number, as Jackson coerces either. */
static bool
bind_id(struct binder *b, const cJSON *holder, const cJSON *v, const char **text,
    char num[32])
{
	if (cJSON_IsString(v)) {
		*text = v->valuestring;
		return true;
	}
	if (cJSON_IsNumber(v)) {
		snprintf(num, 32, "%.0f", v->valuedouble);
		*text = num;
		return true;
	}
	bind_fail(b, holder, ": Cannot deserialize value of type `java.lang.String` "
	    "from %s", json_kind(v));
	return false;
}

/* One {"id": ...} object. */
static bool
bind_object_id(struct binder *b, const cJSON *o, const char **text, char num[32])
{
	static const char *const req[] = { "id" };

	if (!cJSON_IsObject(o)) {
		bind_fail(b, o, ": Cannot deserialize value of type `PublicObjectId` from %s",
		    json_kind(o));
		return false;
	}
	if (!bind_required(b, o, req, 1))
		return false;
	return bind_id(b, o, cJSON_GetObjectItemCaseSensitive(o, "id"), text, num);
}


static bool
bind_spec(struct binder *b, const cJSON *o, struct spec_in *s)
{
	static const char *const req[] = { "associationCategory", "associationTypeId" };
	const cJSON *cat, *id;

	if (!cJSON_IsObject(o)) {
		bind_fail(b, o, ": Cannot deserialize value of type `AssociationSpec` from %s",
		    json_kind(o));
		return false;
	}
	if (!bind_required(b, o, req, 2))
		return false;
	cat = cJSON_GetObjectItemCaseSensitive(o, "associationCategory");
	id = cJSON_GetObjectItemCaseSensitive(o, "associationTypeId");
	if (!cJSON_IsString(cat) ||
	    assoc_category_parse(cat->valuestring, strlen(cat->valuestring), &s->cat) != 0) {
		char *v = cJSON_IsString(cat) ? xasprintf("String \"%s\"", cat->valuestring) :
		    xstrdup(json_kind(cat));
		bind_fail(b, o, ": Cannot deserialize value of type `AssociationCategory` "
		    "from %s: not one of the values accepted for Enum class: "
		    "[HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED, WORK]", v);
		free(v);
		return false;
	}
	/* Jackson takes an int as a number or a numeric string. */
	unsigned long long v;
	if (cJSON_IsNumber(id) && id->valuedouble >= 0 && id->valuedouble <= 2147483647.0 &&
	    id->valuedouble == (double)(long long)id->valuedouble) {
		s->type_id = (uint32_t)id->valuedouble;
	} else if (cJSON_IsString(id) && parse_uint(id->valuestring, 0, 2147483647, &v) == 0) {
		s->type_id = (uint32_t)v;
	} else {
		char *d = cJSON_IsString(id) ? xasprintf("String \"%s\": not a valid `int` value",
		    id->valuestring) : xasprintf("%s", json_kind(id));
		bind_fail(b, o, ": Cannot deserialize value of type `int` from %s", d);
		free(d);
		return false;
	}
	return true;
}

/* Parses and binds a batch body.  On failure, out holds the 400. */
bool
bind_batch(const char *body, size_t len, enum shape shape, size_t max,
    struct input_in **inputs, size_t *n, cJSON **rootp, struct api_reply *out,
    uint64_t rng)
{
	struct binder b = { .text = body, .len = len };
	size_t tlen;
	const char *end = NULL;
	cJSON *root, *arr;

	*inputs = NULL;
	*n = 0;
	*rootp = NULL;
	while (len > 0 && (body[len - 1] == ' ' || body[len - 1] == '\n' ||
	    body[len - 1] == '\r' || body[len - 1] == '\t'))
		len--;
	if (len == 0) {
		api_error(out, 400, "VALIDATION_ERROR", "Invalid JSON input: a request "
		    "body was expected, but none found", rng);
		return false;
	}
	char *text = json_protect_big_ints(body, len, &tlen);
	root = cJSON_ParseWithLengthOpts(text, tlen, &end, 0);
	if (root == NULL) {
		const char *ep = cJSON_GetErrorPtr();
		size_t at = ep != NULL && ep >= text && ep <= text + tlen ?
		    (size_t)(ep - text) : tlen, line, col;
		line_col(text, at, &line, &col);
		char *m;
		if (at >= tlen || json_unfinished(text, tlen))
			m = xasprintf("Invalid input JSON on line %zu, column %zu: Unexpected "
			    "end-of-input: expected close marker for Object", line, col);
		else
			m = xasprintf("Invalid input JSON on line %zu, column %zu: Unexpected "
			    "character ('%c' (code %d))", line, col,
			    text[at] >= 0x20 && text[at] < 0x7f ? text[at] : '?',
			    (unsigned char)text[at]);
		api_error(out, 400, NULL, m, rng);
		free(m);
		free(text);
		return false;
	}
	free(text);
	*rootp = root;
	objpos_scan(&b.pos, body, len);
	b.order = xcalloc(b.pos.n + 1, sizeof(*b.order));
	number_objects(root, b.order, &b.norder, b.pos.n);

	static const char *const req_inputs[] = { "inputs" };
	if (!cJSON_IsObject(root)) {
		bind_fail(&b, root, ": Cannot deserialize value of type "
		    "`BatchInputPublicAssociationMultiPost` from %s", json_kind(root));
		goto fail;
	}
	if (!bind_required(&b, root, req_inputs, 1))
		goto fail;
	arr = cJSON_GetObjectItemCaseSensitive(root, "inputs");
	if (!cJSON_IsArray(arr)) {
		bind_fail(&b, root, ": Cannot deserialize value of type `java.util.ArrayList` "
		    "from %s", json_kind(arr));
		goto fail;
	}
	size_t count = (size_t)cJSON_GetArraySize(arr);
	if (count > max) {
		char *m = xasprintf("Batch input size of %zu exceeds the maximum of %zu "
		    "inputs", count, max);
		api_error(out, 400, "VALIDATION_ERROR", m, rng);
		free(m);
		goto fail_quiet;
	}
	*inputs = xcalloc(count + 1, sizeof(**inputs));
	const cJSON *item;
	cJSON_ArrayForEach(item, arr) {
		struct input_in *in = &(*inputs)[(*n)++];
		if (!cJSON_IsObject(item)) {
			bind_fail(&b, root, ": Cannot deserialize value of type "
			    "`PublicAssociationMultiPost` from %s", json_kind(item));
			goto fail;
		}
		if (shape == SHAPE_ID) {
			static const char *const req[] = { "id" };
			const cJSON *after;
			if (!bind_required(&b, item, req, 1) ||
			    !bind_id(&b, item, cJSON_GetObjectItemCaseSensitive(item, "id"),
			    &in->from, in->fnum))
				goto fail;
			after = cJSON_GetObjectItemCaseSensitive(item, "after");
			if (cJSON_IsString(after))
				in->after = after->valuestring;
			continue;
		}
		static const char *const req_pair[] = { "from", "to", "types" };
		if (!bind_required(&b, item, req_pair, shape == SHAPE_PAIR_TYPES ? 3 : 2))
			goto fail;
		if (!bind_object_id(&b, cJSON_GetObjectItemCaseSensitive(item, "from"),
		    &in->from, in->fnum))
			goto fail;
		if (shape == SHAPE_FROM_TOLIST) {
			const cJSON *to = cJSON_GetObjectItemCaseSensitive(item, "to");
			const cJSON *t;
			if (!cJSON_IsArray(to)) {
				bind_fail(&b, item, ": Cannot deserialize value of type "
				    "`java.util.ArrayList` from %s", json_kind(to));
				goto fail;
			}
			cJSON_ArrayForEach(t, to) {
				const char *id;
				char num[32];
				if (!bind_object_id(&b, t, &id, num))
					goto fail;
			}
			in->to_list = to;
			continue;
		}
		if (!bind_object_id(&b, cJSON_GetObjectItemCaseSensitive(item, "to"),
		    &in->to, in->tnum))
			goto fail;
		if (shape != SHAPE_PAIR_TYPES)
			continue;
		const cJSON *types = cJSON_GetObjectItemCaseSensitive(item, "types"), *t;
		if (!cJSON_IsArray(types)) {
			bind_fail(&b, item, ": Cannot deserialize value of type "
			    "`java.util.ArrayList` from %s", json_kind(types));
			goto fail;
		}
		if (cJSON_GetArraySize(types) == 0) {
			b.error = xstrdup("One or more associations are invalid: an input "
			    "has no types");
			goto fail;
		}
		in->specs = xcalloc((size_t)cJSON_GetArraySize(types) + 1, sizeof(*in->specs));
		cJSON_ArrayForEach(t, types)
			if (!bind_spec(&b, t, &in->specs[in->nspecs++]))
				goto fail;
	}
	free(b.pos.start);
	free(b.pos.end);
	free(b.order);
	return true;
fail:
	/* Missing or empty fields are a VALIDATION_ERROR; bad syntax has no
	 * category, as HubSpot's binder answers. */
	api_error(out, 400, b.error != NULL && (strstr(b.error, "required fields") != NULL ||
	    strstr(b.error, "has no types") != NULL) ? "VALIDATION_ERROR" : NULL,
	    b.error != NULL ? b.error : "Invalid input JSON", rng);
fail_quiet:
	free(b.error);
	free(b.pos.start);
	free(b.pos.end);
	free(b.order);
	return false;
}

void
free_inputs(struct input_in *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(in[i].specs);
	free(in);
}

