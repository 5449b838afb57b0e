/* response.c: reading HubSpot's answers without trusting them. */
#include "hubassoc/response.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/http.h"
#include "hubassoc/text.h"

char *
json_protect_big_ints(const char *s, size_t n, size_t *outlen)
{
	struct buf b = BUF_INIT;
	bool in_str = false, esc = false;
	size_t i = 0;

	buf_grow(&b, n + 16);
	while (i < n) {
		char c = s[i];
		if (json_string_step(c, &in_str, &esc)) {
			buf_addc(&b, c);
			i++;
			continue;
		}
		if (c == '-' || (c >= '0' && c <= '9')) {
			size_t j = i + (c == '-'), digits = 0;
			while (j < n && s[j] >= '0' && s[j] <= '9')
				j++, digits++;
			bool integer = !(j < n && (s[j] == '.' || s[j] == 'e' || s[j] == 'E'));
			if (integer && digits >= 16) {
				buf_addc(&b, '"');
				buf_add(&b, s + i, j - i);
				buf_addc(&b, '"');
			} else {
				/* Copy the whole number so its tail is not re-read. */
				while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' ||
				    s[j] == 'e' || s[j] == 'E' || s[j] == '+' || s[j] == '-'))
					j++;
				buf_add(&b, s + i, j - i);
			}
			i = j;
			continue;
		}
		buf_addc(&b, c);
		i++;
	}
	*outlen = b.len;
	return buf_detach(&b);
}

size_t
json_count_values(const char *s, size_t n)
{
	bool in_str = false, esc = false, in_scalar = false;
	size_t values = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool was_in = in_str;
		if (json_string_step(c, &in_str, &esc)) {
			/* A string (key or value) counts where it opens. */
			if (!was_in && in_str)
				values++;
			in_scalar = false;
			continue;
		}
		if (c == '{' || c == '[') {
			values++;
			in_scalar = false;
		} else if ((c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' ||
		    c == 'n') {
			/* A number or literal counts at its first character. */
			if (!in_scalar)
				values++;
			in_scalar = true;
		} else if (c == ',' || c == ':' || c == ']' || c == '}' || c == ' ' ||
		    c == '\n' || c == '\r' || c == '\t') {
			in_scalar = false;
		}
	}
	return values;
}

bool
json_too_dense(const char *s, size_t n)
{
	return json_count_values(s, n) > n / JSON_BYTES_PER_VALUE + JSON_VALUES_FREE;
}

struct cJSON *
json_parse_answer(const char *s, size_t n)
{
	size_t tlen;
	char *text;
	cJSON *root;

	if (s == NULL || json_too_dense(s, n))
		return NULL;
	text = json_protect_big_ints(s, n, &tlen);
	root = cJSON_ParseWithLength(text, tlen);
	free(text);
	return root;
}

bool
response_id_from_text(const char *s, size_t n, char out[RESPONSE_ID_MAX + 1])
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	while (n > 1 && *s == '0')
		s++, n--;
	if (n > RESPONSE_ID_MAX || (n == 1 && *s == '0'))
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static bool
id_from_json(const cJSON *v, char out[RESPONSE_ID_MAX + 1])
{
	if (cJSON_IsString(v))
		return response_id_from_text(v->valuestring, strlen(v->valuestring), out);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		/* Only integers a double holds exactly; longer ones arrive quoted. */
		if (!(d >= 1 && d <= 9007199254740992.0) || d != floor(d))
			return false;
		snprintf(out, RESPONSE_ID_MAX + 1, "%.0f", d);
		return true;
	}
	return false;
}

static char *
cap_string(const char *s)
{
	size_t n = strlen(s);
	char *p;

	if (n <= RESPONSE_STRING_MAX)
		return xstrndup(s, n);
	/* Cut at a character boundary and say that it was cut. */
	n = RESPONSE_STRING_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	p = xmalloc(n + 4);
	memcpy(p, s, n);
	memcpy(p + n, "\xe2\x80\xa6", 4);
	return p;
}

/* Any JSON value as text: strings as they are, the rest compact. */
static char *
value_text(const cJSON *v)
{
	char *j, *s;

	if (cJSON_IsString(v))
		return cap_string(v->valuestring);
	j = cJSON_PrintUnformatted(v);
	if (j == NULL)
		return xstrdup("");
	s = cap_string(j);
	cJSON_free(j);
	return s;
}

static void
anomaly(struct response *r, const char *path, const char *what)
{
	r->anomalies++;
	if (r->anomaly == NULL)
		r->anomaly = xasprintf("%s %s", path, what);
}

/* Reads an optional string member. */
static char *
get_string(struct response *r, const cJSON *o, const char *key, const char *path)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (cJSON_IsString(v))
		return cap_string(v->valuestring);
	char p[160];
	snprintf(p, sizeof(p), "%s.%s", path, key);
	anomaly(r, p, "is not a string");
	/* Keep what was sent: a number status is still worth showing. */
	return cJSON_IsNumber(v) || cJSON_IsBool(v) ? value_text(v) : NULL;
}

static void
parse_context(struct response *r, const cJSON *ctx, struct hs_error *e,
    const char *path)
{
	const cJSON *m;

	if (ctx == NULL || cJSON_IsNull(ctx))
		return;
	if (!cJSON_IsObject(ctx)) {
		anomaly(r, path, "context is not an object");
		return;
	}
	for (m = ctx->child; m != NULL; m = m->next) {
		struct hs_context *c;
		e->context = xreallocarray(e->context, e->ncontext + 1,
		    sizeof(*e->context));
		c = &e->context[e->ncontext++];
		c->key = cap_string(m->string != NULL ? m->string : "");
		c->values = NULL;
		c->n = 0;
		if (cJSON_IsArray(m)) {
			const cJSON *v;
			size_t count = (size_t)cJSON_GetArraySize(m);
			c->values = xcalloc(count ? count : 1, sizeof(*c->values));
			cJSON_ArrayForEach(v, m)
				c->values[c->n++] = value_text(v);
		} else {
			/* HubSpot documents arrays of strings; accept one value. */
			c->values = xcalloc(1, sizeof(*c->values));
			c->values[c->n++] = value_text(m);
		}
	}
}

static void
parse_links(struct response *r, const cJSON *links, struct hs_error *e,
    const char *path)
{
	const cJSON *m;

	if (links == NULL || cJSON_IsNull(links))
		return;
	if (!cJSON_IsObject(links)) {
		anomaly(r, path, "links is not an object");
		return;
	}
	for (m = links->child; m != NULL; m = m->next) {
		e->links = xreallocarray(e->links, e->nlinks + 1, sizeof(*e->links));
		e->links[e->nlinks].key = cap_string(m->string != NULL ? m->string : "");
		e->links[e->nlinks].value = value_text(m);
		e->nlinks++;
	}
}

static void parse_error_obj(struct response *r, const cJSON *o,
    struct hs_error *e, int depth, const char *path);

static void
parse_error_list(struct response *r, const cJSON *arr, struct hs_error **list,
    size_t *n, size_t *omitted, int depth, const char *path)
{
	const cJSON *v;
	size_t i = 0;

	if (arr == NULL || cJSON_IsNull(arr))
		return;
	if (!cJSON_IsArray(arr)) {
		anomaly(r, path, "is not an array");
		return;
	}
	if (depth > RESPONSE_DEPTH_MAX) {
		*omitted += (size_t)cJSON_GetArraySize(arr);
		return;
	}
	*list = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(**list));
	cJSON_ArrayForEach(v, arr) {
		char p[160];
		snprintf(p, sizeof(p), "%s[%zu]", path, i++);
		if (!cJSON_IsObject(v)) {
			anomaly(r, p, "is not an object");
			/* A bare string is still a message worth keeping. */
			if (cJSON_IsString(v))
				(*list)[(*n)++].message = cap_string(v->valuestring);
			continue;
		}
		parse_error_obj(r, v, &(*list)[(*n)++], depth, p);
	}
}

static void
parse_error_obj(struct response *r, const cJSON *o, struct hs_error *e,
    int depth, const char *path)
{
	const cJSON *sub;
	char p[200];

	e->status = get_string(r, o, "status", path);
	e->category = get_string(r, o, "category", path);
	e->message = get_string(r, o, "message", path);
	e->correlation_id = get_string(r, o, "correlationId", path);
	e->policy_name = get_string(r, o, "policyName", path);
	e->error_type = get_string(r, o, "errorType", path);
	e->group_name = get_string(r, o, "groupName", path);
	e->code = get_string(r, o, "code", path);
	e->in = get_string(r, o, "in", path);
	e->id = get_string(r, o, "id", path);
	/* The spec types subCategory as an object in some places, a string in
	 * others; both are seen. */
	sub = cJSON_GetObjectItemCaseSensitive(o, "subCategory");
	if (sub != NULL && !cJSON_IsNull(sub))
		e->sub_category = value_text(sub);
	snprintf(p, sizeof(p), "%s.context", path);
	parse_context(r, cJSON_GetObjectItemCaseSensitive(o, "context"), e, p);
	snprintf(p, sizeof(p), "%s.links", path);
	parse_links(r, cJSON_GetObjectItemCaseSensitive(o, "links"), e, p);
	snprintf(p, sizeof(p), "%s.errors", path);
	parse_error_list(r, cJSON_GetObjectItemCaseSensitive(o, "errors"),
	    &e->errors, &e->nerrors, &e->omitted, depth + 1, p);
}

static void
parse_results(struct response *r, const cJSON *arr)
{
	const cJSON *v;
	size_t i = 0;

	if (arr == NULL || cJSON_IsNull(arr))
		return;
	if (!cJSON_IsArray(arr)) {
		anomaly(r, "results", "is not an array");
		return;
	}
	r->results = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*r->results));
	cJSON_ArrayForEach(v, arr) {
		struct hs_result *res = &r->results[r->nresults];
		const cJSON *labels;
		char p[64];

		snprintf(p, sizeof(p), "results[%zu]", i++);
		if (!cJSON_IsObject(v) ||
		    !id_from_json(cJSON_GetObjectItemCaseSensitive(v, "fromObjectId"),
		    res->from_id) ||
		    !id_from_json(cJSON_GetObjectItemCaseSensitive(v, "toObjectId"),
		    res->to_id)) {
			r->bad_results++;
			anomaly(r, p, "has no readable fromObjectId and toObjectId");
			memset(res, 0, sizeof(*res));
			continue;
		}
		res->from_type = get_string(r, v, "fromObjectTypeId", p);
		res->to_type = get_string(r, v, "toObjectTypeId", p);
		labels = cJSON_GetObjectItemCaseSensitive(v, "labels");
		if (cJSON_IsArray(labels)) {
			const cJSON *l;
			res->labels = xcalloc((size_t)cJSON_GetArraySize(labels) + 1,
			    sizeof(*res->labels));
			cJSON_ArrayForEach(l, labels) {
				if (cJSON_IsString(l))
					res->labels[res->nlabels++] = cap_string(l->valuestring);
				else if (!cJSON_IsNull(l))
					anomaly(r, p, "has a label that is not a string");
			}
		} else if (labels != NULL && !cJSON_IsNull(labels)) {
			anomaly(r, p, "labels is not an array");
		}
		r->nresults++;
	}
}

bool
json_unfinished(const char *s, size_t n)
{
	bool in_str = false, esc = false;
	long depth = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (json_string_step(c, &in_str, &esc))
			continue;
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth < 0)
			return false;
	}
	return in_str || depth > 0;
}

static bool
only_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* A page's title said again as its heading ("400 Bad Request 400 Bad
 * Request Request Header Or Cookie Too Large"): said once. */
static void
drop_repeat(struct buf *t)
{
	for (size_t k = t->len / 2; k > 0; k--) {
		if (2 * k + 1 > t->len || t->data[k] != ' ' ||
		    memcmp(t->data, t->data + k + 1, k) != 0 ||
		    (2 * k + 1 < t->len && t->data[2 * k + 1] != ' '))
			continue;
		/* " X" goes: what follows moves up, its NUL too. */
		memmove(t->data + k, t->data + 2 * k + 1, t->len - 2 * k);
		t->len -= k + 1;
		return;
	}
}

/* An answer of 400 or more whose body is not JSON (an edge proxy's HTML
 * page, nothing at all) still fails its rows with something to read: the
 * status and the body's text, tags dropped, escaped and shortened. */
static void
error_from_text(struct response *r, const char *body, size_t len)
{
	struct buf text = BUF_INIT;
	bool tag = false, space = true;

	for (size_t i = 0; i < len && text.len < 4 * RESPONSE_EXCERPT_MAX; i++) {
		char c = body[i];
		if (c == '<')
			tag = true;
		if (tag) {
			tag = c != '>';
			c = ' ';
		}
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			if (!space)
				buf_addc(&text, ' ');
			space = true;
			continue;
		}
		buf_addc(&text, c);
		space = false;
	}
	while (text.len > 0 && text.data[text.len - 1] == ' ')
		text.data[--text.len] = '\0';
	drop_repeat(&text);
	char *excerpt = text_escape_str(buf_str(&text), text.len, RESPONSE_EXCERPT_MAX);
	r->error.status = xstrdup("error");
	if (len == 0)
		r->error.message = xasprintf("HTTP %d with an empty body", r->http_status);
	else
		r->error.message = xasprintf("HTTP %d with %s body of %zu bytes%s%s",
		    r->http_status, body[0] == '<' ? "an HTML" : "a non-JSON", len,
		    *excerpt != '\0' ? ": " : "", excerpt);
	free(excerpt);
	buf_free(&text);
	r->kind = RESPONSE_ERROR;
}

void
response_parse(struct response *r, int http_status, const char *body,
    size_t len)
{
	cJSON *root;
	const char *end = NULL;
	char *text;
	size_t tlen;
	const cJSON *st, *ne;

	memset(r, 0, sizeof(*r));
	r->http_status = http_status;
	r->num_errors = -1;
	if (body == NULL || only_space(body, len)) {
		r->kind = RESPONSE_EMPTY;
		if (http_status >= 400)
			error_from_text(r, "", 0);   /* RESPONSE_ERROR */
		return;
	}
	if (json_too_dense(body, len)) {
		/* Parsed, it could cost a hundred megabytes: a bad answer, like
		 * one past the size cap. */
		r->kind = RESPONSE_NOT_JSON;
		r->parse_error = xasprintf("the body holds %zu JSON values in %zu "
		    "bytes, more than any answer does: not read", json_count_values(body,
		    len), len);
		if (http_status >= 400)
			error_from_text(r, body, len > 200 ? 200 : len);
		return;
	}
	text = json_protect_big_ints(body, len, &tlen);
	root = cJSON_ParseWithLengthOpts(text, tlen, &end, 0);
	if (root == NULL || (end != NULL && !only_space(end, tlen - (size_t)(end - text)))) {
		size_t at = end != NULL ? (size_t)(end - text) : 0;
		if (root == NULL) {
			const char *ep = cJSON_GetErrorPtr();
			if (ep != NULL && ep >= text && ep <= text + tlen)
				at = (size_t)(ep - text);
		}
		r->kind = RESPONSE_NOT_JSON;
		while (len > 0 && (*body == ' ' || *body == '\n' || *body == '\r'))
			body++, len--;
		if (body[0] == '<')
			r->parse_error = xasprintf("the body is HTML, not JSON (%zu "
			    "bytes)", len);
		else if (root == NULL && json_unfinished(text, tlen))
			r->parse_error = xasprintf("the body ends before its JSON does "
			    "(%zu bytes): cut short?", len);
		else
			r->parse_error = xasprintf("the body is not valid JSON "
			    "(error near byte %zu of %zu)", at, len);
		cJSON_Delete(root);
		free(text);
		if (http_status >= 400)
			error_from_text(r, body, len);
		return;
	}
	free(text);
	if (!cJSON_IsObject(root)) {
		r->kind = RESPONSE_UNEXPECTED;
		anomaly(r, "body", "is not a JSON object");
		cJSON_Delete(root);
		return;
	}

	st = cJSON_GetObjectItemCaseSensitive(root, "status");
	bool says_error = cJSON_IsString(st) && strcmp(st->valuestring, "error") == 0;
	bool has_results = cJSON_GetObjectItemCaseSensitive(root, "results") != NULL;
	if (!says_error && http_status < 400 &&
	    (has_results || cJSON_IsString(st) ||
	    cJSON_GetObjectItemCaseSensitive(root, "errors") != NULL)) {
		r->kind = RESPONSE_BATCH;
		r->status = get_string(r, root, "status", "body");
		r->started_at = get_string(r, root, "startedAt", "body");
		r->completed_at = get_string(r, root, "completedAt", "body");
		r->requested_at = get_string(r, root, "requestedAt", "body");
		parse_results(r, cJSON_GetObjectItemCaseSensitive(root, "results"));
		size_t omitted = 0;
		parse_error_list(r, cJSON_GetObjectItemCaseSensitive(root, "errors"),
		    &r->errors, &r->nerrors, &omitted, 0, "errors");
		ne = cJSON_GetObjectItemCaseSensitive(root, "numErrors");
		if (cJSON_IsNumber(ne) && ne->valuedouble >= 0 && ne->valuedouble < 1e15)
			r->num_errors = (long long)ne->valuedouble;
		else if (ne != NULL && !cJSON_IsNull(ne))
			anomaly(r, "body.numErrors", "is not a count");
	} else if (says_error || http_status >= 400 ||
	    cJSON_GetObjectItemCaseSensitive(root, "message") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(root, "category") != NULL) {
		r->kind = RESPONSE_ERROR;
		parse_error_obj(r, root, &r->error, 0, "body");
	} else {
		r->kind = RESPONSE_UNEXPECTED;
		anomaly(r, "body", "is neither a batch answer nor an error");
	}
	cJSON_Delete(root);
}

static void
free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
hs_error_clear(struct hs_error *e)
{
	if (e == NULL)
		return;
	free(e->status);
	free(e->category);
	free(e->sub_category);
	free(e->message);
	free(e->correlation_id);
	free(e->policy_name);
	free(e->error_type);
	free(e->group_name);
	free(e->code);
	free(e->in);
	free(e->id);
	for (size_t i = 0; i < e->ncontext; i++) {
		free(e->context[i].key);
		free_strings(e->context[i].values, e->context[i].n);
	}
	free(e->context);
	for (size_t i = 0; i < e->nlinks; i++) {
		free(e->links[i].key);
		free(e->links[i].value);
	}
	free(e->links);
	for (size_t i = 0; i < e->nerrors; i++)
		hs_error_clear(&e->errors[i]);
	free(e->errors);
	memset(e, 0, sizeof(*e));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
copy_error(struct hs_error *d, const struct hs_error *s)
{
	d->status = dup_or_null(s->status);
	d->category = dup_or_null(s->category);
	d->sub_category = dup_or_null(s->sub_category);
	d->message = dup_or_null(s->message);
	d->correlation_id = dup_or_null(s->correlation_id);
	d->policy_name = dup_or_null(s->policy_name);
	d->error_type = dup_or_null(s->error_type);
	d->group_name = dup_or_null(s->group_name);
	d->code = dup_or_null(s->code);
	d->in = dup_or_null(s->in);
	d->id = dup_or_null(s->id);
	d->omitted = s->omitted;
	d->ncontext = s->ncontext;
	d->context = xcalloc(s->ncontext + 1, sizeof(*d->context));
	for (size_t i = 0; i < s->ncontext; i++) {
		d->context[i].key = xstrdup(s->context[i].key);
		d->context[i].n = s->context[i].n;
		d->context[i].values = xcalloc(s->context[i].n + 1, sizeof(char *));
		for (size_t k = 0; k < s->context[i].n; k++)
			d->context[i].values[k] = xstrdup(s->context[i].values[k]);
	}
	d->nlinks = s->nlinks;
	d->links = xcalloc(s->nlinks + 1, sizeof(*d->links));
	for (size_t i = 0; i < s->nlinks; i++) {
		d->links[i].key = xstrdup(s->links[i].key);
		d->links[i].value = xstrdup(s->links[i].value);
	}
	d->nerrors = s->nerrors;
	d->errors = xcalloc(s->nerrors + 1, sizeof(*d->errors));
	for (size_t i = 0; i < s->nerrors; i++)
		copy_error(&d->errors[i], &s->errors[i]);
}

void
hs_error_add_context(struct hs_error *e, const char *key, const char *value)
{
	e->context = xreallocarray(e->context, e->ncontext + 1, sizeof(*e->context));
	struct hs_context *c = &e->context[e->ncontext++];
	c->key = xstrdup(key);
	c->values = xcalloc(1, sizeof(*c->values));
	c->values[0] = xstrdup(value);
	c->n = 1;
}

struct hs_error *
hs_error_dup(const struct hs_error *e)
{
	struct hs_error *d = xcalloc(1, sizeof(*d));

	copy_error(d, e);
	return d;
}

const struct hs_context *
hs_error_context(const struct hs_error *e, const char *key)
{
	for (size_t i = 0; i < e->ncontext; i++)
		if (strcmp(e->context[i].key, key) == 0)
			return &e->context[i];
	return NULL;
}

static void
json_member(struct buf *out, bool *first, const char *key, const char *value)
{
	if (value == NULL)
		return;
	buf_addstr(out, *first ? "" : ",");
	json_add_string(out, key);
	buf_addc(out, ':');
	json_add_string(out, value);
	*first = false;
}

void
hs_error_json(struct buf *out, const struct hs_error *e)
{
	bool first = true;

	buf_addc(out, '{');
	json_member(out, &first, "status", e->status);
	json_member(out, &first, "category", e->category);
	json_member(out, &first, "subCategory", e->sub_category);
	json_member(out, &first, "message", e->message);
	json_member(out, &first, "correlationId", e->correlation_id);
	json_member(out, &first, "policyName", e->policy_name);
	json_member(out, &first, "errorType", e->error_type);
	json_member(out, &first, "groupName", e->group_name);
	json_member(out, &first, "code", e->code);
	json_member(out, &first, "in", e->in);
	json_member(out, &first, "id", e->id);
	if (e->ncontext > 0) {
		buf_addstr(out, first ? "\"context\":{" : ",\"context\":{");
		for (size_t i = 0; i < e->ncontext; i++) {
			if (i > 0)
				buf_addc(out, ',');
			json_add_string(out, e->context[i].key);
			buf_addstr(out, ":[");
			for (size_t k = 0; k < e->context[i].n; k++) {
				if (k > 0)
					buf_addc(out, ',');
				json_add_string(out, e->context[i].values[k]);
			}
			buf_addc(out, ']');
		}
		buf_addc(out, '}');
		first = false;
	}
	if (e->nlinks > 0) {
		buf_addstr(out, first ? "\"links\":{" : ",\"links\":{");
		for (size_t i = 0; i < e->nlinks; i++) {
			if (i > 0)
				buf_addc(out, ',');
			json_add_string(out, e->links[i].key);
			buf_addc(out, ':');
			json_add_string(out, e->links[i].value);
		}
		buf_addc(out, '}');
		first = false;
	}
	if (e->nerrors > 0) {
		buf_addstr(out, first ? "\"errors\":[" : ",\"errors\":[");
		for (size_t i = 0; i < e->nerrors; i++) {
			if (i > 0)
				buf_addc(out, ',');
			hs_error_json(out, &e->errors[i]);
		}
		buf_addc(out, ']');
	}
	buf_addc(out, '}');
}

static void
add_scopes(struct buf *out, const struct hs_error *e, bool *first)
{
	const struct hs_context *c = hs_error_context(e, "requiredGranularScopes");

	if (c == NULL)
		c = hs_error_context(e, "requiredScopes");
	if (c != NULL) {
		for (size_t i = 0; i < c->n; i++) {
			buf_addstr(out, *first ? "needs scopes: " : ", ");
			buf_addstr(out, c->values[i]);
			*first = false;
		}
	}
	for (size_t i = 0; i < e->nerrors; i++)
		add_scopes(out, &e->errors[i], first);
}

void
hs_error_summary(struct buf *out, const struct hs_error *e)
{
	const char *cat = e->category != NULL ? e->category :
	    e->policy_name != NULL ? e->policy_name : e->error_type;
	bool first = true;

	if (cat != NULL)
		buf_printf(out, "%s: ", cat);
	/* What mends a 403 first: a line too narrow for the message still
	 * shows the scopes to grant. */
	add_scopes(out, e, &first);
	if (!first)
		buf_addstr(out, "; ");
	buf_addstr(out, e->message != NULL ? e->message :
	    e->nerrors > 0 && e->errors[0].message != NULL ? e->errors[0].message :
	    "(no message)");
}

void
response_free(struct response *r)
{
	free(r->status);
	for (size_t i = 0; i < r->nresults; i++) {
		free(r->results[i].from_type);
		free(r->results[i].to_type);
		free_strings(r->results[i].labels, r->results[i].nlabels);
	}
	free(r->results);
	for (size_t i = 0; i < r->nerrors; i++)
		hs_error_clear(&r->errors[i]);
	free(r->errors);
	hs_error_clear(&r->error);
	free(r->started_at);
	free(r->completed_at);
	free(r->requested_at);
	free(r->anomaly);
	free(r->parse_error);
	memset(r, 0, sizeof(*r));
}

void
response_of(struct response *r, const struct http_result *res)
{
	if (res->failure != HTTP_OK) {
		memset(r, 0, sizeof(*r));
		r->kind = RESPONSE_EMPTY;
		r->num_errors = -1;
		return;
	}
	response_parse(r, res->status, res->body.data, res->body.len);
}

size_t
response_refused_size(const struct http_result *res, const struct response *r)
{
	return res->status == 400 && r->kind == RESPONSE_ERROR ?
	    hs_error_inputs_max(&r->error) : 0;
}

size_t
hs_error_inputs_max(const struct hs_error *e)
{
	const char *m = e != NULL ? e->message : NULL;

	if (m == NULL)
		return 0;
	for (const char *p = m; *p != '\0'; p++) {
		if (ascii_ncasecmp(p, "maximum", 7) != 0)
			continue;
		/* Its number, in the same sentence, of inputs. */
		const char *q = p + 7;
		while (*q != '\0' && *q != '.' && !isdigit((unsigned char)*q))
			q++;
		size_t v = 0, digits = 0;
		for (; isdigit((unsigned char)*q) && digits < 7; q++, digits++)
			v = v * 10 + (size_t)(*q - '0');
		if (digits > 0 && digits < 7 && !isdigit((unsigned char)*q) &&
		    strstr(m, "input") != NULL)
			return v;
		return 0;
	}
	return 0;
}
