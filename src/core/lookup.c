/* lookup.c: keys resolved to IDs (see lookup.h). */
#include "hubassoc/lookup.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/key.h"
#include "hubassoc/response.h"
#include "hubassoc/text.h"

enum { LK_PENDING, LK_ONE, LK_NONE, LK_MANY };

struct lkey {
	char *key;                       /* "email:jane@x.com" */
	uint8_t side;
	uint8_t state;
	uint32_t found;                  /* records that have it */
	char ids[LOOKUP_SHOW_MANY][RESPONSE_ID_MAX + 1];
	char *name;                      /* the first's */
};

/* One request's keys: a side, a property, and where they are. */
struct lbatch {
	struct lookup *l;
	uint8_t side;
	bool search;
	char prop[KEY_PROP_MAX + 1];
	size_t *keys;                    /* indexes into l->keys */
	size_t n;
	unsigned pages;                  /* a search's pages asked for */
	char **cursors;                  /* ... and the cursors they came from */
	struct lbatch *next;             /* all batches, to free */
};

struct lookup {
	enum api_version api;            /* the objects endpoints' line */
	struct objtype type[2];
	struct names_kind kind[2];       /* how each side's records are named */
	char *display[2];                /* a custom object's, kept for kind */
	struct lkey *keys;
	size_t n, cap;
	uint32_t *index;                 /* (side, key) -> keys index + 1 */
	size_t icap;
	struct calls *c;
	struct rate *search;
	struct lbatch *batches;
	size_t least;
	char *refused;
};

static uint64_t
key_hash(int side, const char *key)
{
	return hash_bytes(key, strlen(key), (uint64_t)side + 1);
}

static size_t
find_slot(const struct lookup *l, int side, const char *key)
{
	size_t mask = l->icap - 1, i = key_hash(side, key) & mask;

	while (l->index[i] != 0) {
		const struct lkey *k = &l->keys[l->index[i] - 1];
		if (k->side == side && strcmp(k->key, key) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static struct lkey *
key_of(const struct lookup *l, int side, const char *key)
{
	if (l->icap == 0)
		return NULL;
	size_t s = find_slot(l, side, key);
	return l->index[s] != 0 ? &l->keys[l->index[s] - 1] : NULL;
}

static void
add_key(struct lookup *l, int side, const char *key)
{
	if ((l->n + 1) * 2 > l->icap) {
		size_t cap = l->icap ? l->icap * 2 : 64;
		free(l->index);
		l->index = xcalloc(cap, sizeof(*l->index));
		l->icap = cap;
		for (size_t i = 0; i < l->n; i++)
			l->index[find_slot(l, l->keys[i].side, l->keys[i].key)] =
			    (uint32_t)i + 1;
	}
	size_t s = find_slot(l, side, key);
	if (l->index[s] != 0)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->keys = xreallocarray(l->keys, l->cap, sizeof(*l->keys));
	}
	memset(&l->keys[l->n], 0, sizeof(l->keys[l->n]));
	l->keys[l->n].key = xstrdup(key);
	l->keys[l->n].side = (uint8_t)side;
	l->index[s] = (uint32_t)++l->n;
}

struct lookup *
lookup_new(const struct input *in, enum api_version api, const struct objtype *from,
    const struct objtype *to)
{
	struct lookup *l = xcalloc(1, sizeof(*l));

	l->api = api;
	l->type[0] = *from;
	l->type[1] = *to;
	for (size_t i = 0; i < in->nrows; i++) {
		const struct input_row *r = &in->rows[i];
		if (!input_row_pending(in, r))
			continue;
		for (int side = 0; side < 2; side++) {
			const char *k = input_row_key(in, r, side);
			if (k != NULL)
				add_key(l, side, k);
		}
	}
	return l;
}

void
lookup_free(struct lookup *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->keys[i].key);
		free(l->keys[i].name);
	}
	while (l->batches != NULL) {
		struct lbatch *b = l->batches;
		l->batches = b->next;
		for (unsigned i = 0; i < b->pages; i++)
			free(b->cursors[i]);
		free(b->cursors);
		free(b->keys);
		free(b);
	}
	free(l->keys);
	free(l->index);
	free(l->refused);
	free(l->display[0]);
	free(l->display[1]);
	free(l);
}

size_t
lookup_keys(const struct lookup *l)
{
	return l->n;
}

size_t
lookup_least(const struct lookup *l)
{
	return l->least;
}

const char *
lookup_refused(const struct lookup *l)
{
	return l->refused;
}

void
lookup_counts(const struct lookup *l, size_t *one, size_t *none, size_t *many)
{
	*one = *none = *many = 0;
	for (size_t i = 0; i < l->n; i++) {
		*one += l->keys[i].state == LK_ONE;
		*none += l->keys[i].state == LK_NONE || l->keys[i].state == LK_PENDING;
		*many += l->keys[i].state == LK_MANY;
	}
}

/* Domains are searched (not unique); every other property read by it. */
static bool
by_search(const struct lookup *l, int side, const char *prop)
{
	return strcmp(prop, "domain") == 0 && strcmp(l->type[side].id, "0-2") == 0;
}

static void
add_props(const struct lookup *l, int side, const char *prop, cJSON *root)
{
	const char *props[NAMES_PROPS_MAX];
	size_t n = names_props(&l->kind[side], props);
	cJSON *a = cJSON_AddArrayToObject(root, "properties");
	bool has = false;

	for (size_t i = 0; i < n; i++) {
		cJSON_AddItemToArray(a, cJSON_CreateString(props[i]));
		has |= strcmp(props[i], prop) == 0;
	}
	if (!has)
		cJSON_AddItemToArray(a, cJSON_CreateString(prop));
}

static char *
batch_body(const struct lbatch *b, const char *after)
{
	const struct lookup *l = b->l;
	cJSON *root = cJSON_CreateObject(), *values;
	char tmp[KEY_PROP_MAX + 1];
	char *text;

	if (b->search) {
		cJSON *g = cJSON_CreateObject(), *f = cJSON_CreateObject();
		cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "filterGroups"), g);
		cJSON_AddItemToArray(cJSON_AddArrayToObject(g, "filters"), f);
		cJSON_AddStringToObject(f, "propertyName", b->prop);
		cJSON_AddStringToObject(f, "operator", "IN");
		values = cJSON_AddArrayToObject(f, "values");
		for (size_t i = 0; i < b->n; i++)
			cJSON_AddItemToArray(values, cJSON_CreateString(
			    key_split(l->keys[b->keys[i]].key, tmp)));
		add_props(l, b->side, b->prop, root);
		cJSON_AddNumberToObject(root, "limit", 200);
		cJSON_AddStringToObject(root, "after", after != NULL ? after : "0");
	} else {
		values = cJSON_AddArrayToObject(root, "inputs");
		for (size_t i = 0; i < b->n; i++) {
			cJSON *item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "id",
			    key_split(l->keys[b->keys[i]].key, tmp));
			cJSON_AddItemToArray(values, item);
		}
		cJSON_AddStringToObject(root, "idProperty", b->prop);
		add_props(l, b->side, b->prop, root);
	}
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return text;
}

/* A search body's length as sent, with a cursor as long as any taken. */
static size_t
search_body_len(const struct lbatch *b)
{
	char after[LOOKUP_CURSOR_MAX + 1];

	memset(after, '9', LOOKUP_CURSOR_MAX);
	after[LOOKUP_CURSOR_MAX] = '\0';
	char *body = batch_body(b, after);
	size_t n = strlen(body);
	free(body);
	return n;
}

static void on_answer(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused);

static void
queue(struct lbatch *b, const char *after)
{
	struct lookup *l = b->l;
	char *path = request_objects_path(l->api, &l->type[b->side],
	    b->search ? "search" : "batch/read");

	calls_add_ex(l->c, &(struct call_extra){ .own = b->search ? l->search : NULL },
	    "lookup", "POST", path, batch_body(b, after), on_answer, b);
	free(path);
}

/* A record's value of the batch's property, as keys hold it. */
static void
record_key(const struct lbatch *b, const cJSON *props, struct buf *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, b->prop);
	const char *why;

	buf_reset(out);
	if (!cJSON_IsString(v) || key_parse(v->valuestring, strlen(v->valuestring),
	    b->prop, out, &why) != KEY_OK)
		buf_reset(out);
}

static void
found(struct lkey *k, const char *id, const char *name)
{
	for (uint32_t i = 0; i < k->found && i < LOOKUP_SHOW_MANY; i++)
		if (strcmp(k->ids[i], id) == 0)
			return;   /* a page seen twice */
	if (k->found < LOOKUP_SHOW_MANY)
		memcpy(k->ids[k->found], id, RESPONSE_ID_MAX + 1);
	if (k->found == 0 && name[0] != '\0')
		k->name = xstrdup(name);
	k->found++;
}

/* Whether a search's batch was read from cursor after before; else it is
 * noted, and the count of pages asked for grows. */
static bool
cursor_seen(struct lbatch *b, const char *after)
{
	for (unsigned i = 0; i < b->pages; i++)
		if (strcmp(b->cursors[i], after) == 0)
			return true;
	b->cursors = xreallocarray(b->cursors, b->pages + 1, sizeof(*b->cursors));
	b->cursors[b->pages++] = xstrdup(after);
	return false;
}

/* A batch asked again as two: its first half here, the second a batch of
 * its own.  What its pages found is forgotten: they come again. */
static void
split_batch(struct lbatch *b)
{
	struct lookup *l = b->l;
	struct lbatch *h = xcalloc(1, sizeof(*h));
	size_t half = b->n / 2;

	*h = *b;
	h->cursors = NULL;
	h->pages = 0;
	h->keys = xcalloc(b->n - half + 1, sizeof(*h->keys));
	memcpy(h->keys, b->keys + half, (b->n - half) * sizeof(*h->keys));
	h->n = b->n - half;
	b->n = half;
	for (unsigned i = 0; i < b->pages; i++)
		free(b->cursors[i]);
	b->pages = 0;
	for (struct lbatch *x = b; x != NULL; x = x == b ? h : NULL)
		for (size_t i = 0; i < x->n; i++) {
			struct lkey *k = &l->keys[x->keys[i]];
			k->found = 0;
			free(k->name);
			k->name = NULL;
		}
	h->next = l->batches;
	l->batches = h;
	queue(b, NULL);
	queue(h, NULL);
}

/* A request refused (a 400).  A search of several values is asked again
 * in halves (the portal refuses a query for its size as much as for its
 * property); one value refused, or a read refused, stops the lookup with
 * the portal's words. */
static void
refused_batch(struct lbatch *b, struct calls *c, const struct response *r)
{
	struct lookup *l = b->l;
	const char *said = r->kind == RESPONSE_ERROR && r->error.message != NULL ?
	    r->error.message : "no reason given";
	char value[KEY_PROP_MAX + 1];

	if (b->search && b->n > 1) {
		calls_warn(c, "the portal refused a search for %zu %s by %s (%s): "
		    "asked again as two searches", b->n, objtype_name(&l->type[b->side]),
		    b->prop, said);
		split_batch(b);
		return;
	}
	free(l->refused);
	if (b->search)
		l->refused = xasprintf("the portal refused a search for %s by %s %s: %s",
		    objtype_name(&l->type[b->side]), b->prop,
		    key_split(l->keys[b->keys[0]].key, value), said);
	else
		l->refused = xasprintf("%s cannot be looked up by %s: %s",
		    objtype_name(&l->type[b->side]), b->prop, said);
	calls_fail(c, ENGINE_CONFIG, l->refused);
}

static void
on_answer(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct lbatch *b = arg;
	struct lookup *l = b->l;
	struct buf key = BUF_INIT, name = BUF_INIT;
	cJSON *root, *x;

	if (refused) {
		refused_batch(b, c, r);
		return;
	}
	if ((root = json_parse_answer(res->body.data, res->body.len)) == NULL ||
	    !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		calls_fail(c, ENGINE_CONFIG, "a lookup's answer is not JSON");
		return;
	}
	const cJSON *total = cJSON_GetObjectItemCaseSensitive(root, "total");
	if (b->search && b->pages == 0 && b->n > 1 && cJSON_IsNumber(total) &&
	    total->valuedouble > LOOKUP_SEARCH_RESULTS_MAX) {
		/* HubSpot pages no further than 10,000 results: fewer values
		 * a query, until each matches fewer. */
		calls_warn(c, "a search for %zu %s by %s matched %.0f (HubSpot pages "
		    "through 10,000 at most): asked again as two searches", b->n,
		    objtype_name(&l->type[b->side]), b->prop, total->valuedouble);
		split_batch(b);
		cJSON_Delete(root);
		return;
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(root, "results")) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(x, "id");
		const cJSON *props = cJSON_GetObjectItemCaseSensitive(x, "properties");
		char canon[RESPONSE_ID_MAX + 1];
		struct lkey *k;
		if (!cJSON_IsString(id) || !response_id_from_text(id->valuestring,
		    strlen(id->valuestring), canon))
			continue;
		record_key(b, props, &key);
		/* A record answers for the key its value is, and for no
		 * other: what the batch did not ask is not taken. */
		if (key.len == 0 || (k = key_of(l, b->side, buf_str(&key))) == NULL)
			continue;
		names_of_record(&l->kind[b->side], props, &name);
		found(k, canon, buf_str(&name));
	}
	const cJSON *after = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root,
	    "paging"), "next"), "after");
	if (b->search && cJSON_IsString(after) && after->valuestring[0] != '\0' &&
	    strlen(after->valuestring) <= LOOKUP_CURSOR_MAX) {
		/* HubSpot's search ends at 10,000 results: a server paging on
		 * and on is not followed for ever. */
		if (b->n == 1 && l->keys[b->keys[0]].found > 1) {
			/* One key, several records: that is its answer. */
			struct lkey *k = &l->keys[b->keys[0]];
			if (cJSON_IsNumber(total) && total->valuedouble > k->found &&
			    total->valuedouble < UINT32_MAX)
				k->found = (uint32_t)total->valuedouble;
		}
		else if (b->pages + 1 >= LOOKUP_PAGES_MAX)
			calls_fail(c, ENGINE_CONFIG, "a search kept paging past "
			    "HubSpot's 10,000 results");
		else if (cursor_seen(b, after->valuestring))
			calls_warn(c, "a search for %s by %s gave a paging cursor it "
			    "gave before: read no further, the records past there are "
			    "not known", objtype_name(&l->type[b->side]), b->prop);
		else
			queue(b, after->valuestring);
	}
	cJSON_Delete(root);
	buf_free(&key);
	buf_free(&name);
}

static int
key_cmp(const void *a, const void *b)
{
	const struct lkey *x = *(const struct lkey *const *)a;
	const struct lkey *y = *(const struct lkey *const *)b;
	char px[KEY_PROP_MAX + 1], py[KEY_PROP_MAX + 1];

	if (x->side != y->side)
		return x->side - y->side;
	key_split(x->key, px);
	key_split(y->key, py);
	int c = strcmp(px, py);
	return c != 0 ? c : strcmp(x->key, y->key);
}

void
lookup_search_rate(struct rate *search)
{
	rate_init(search, LOOKUP_SEARCH_MAX, LOOKUP_SEARCH_WINDOW_MS);
	search->margin_ms = LOOKUP_SEARCH_MARGIN_MS;
}

void
lookup_start(struct lookup *l, struct calls *c, struct rate *search,
    const char *const display[2])
{
	struct lkey **sorted = xcalloc(l->n + 1, sizeof(*sorted));
	size_t *order = xcalloc(l->n + 1, sizeof(*order));

	l->c = c;
	l->search = search;
	for (int side = 0; side < 2; side++) {
		const char *d = display != NULL ? display[side] : NULL;
		l->display[side] = d != NULL ? xstrdup(d) : NULL;
		names_kind_of(&l->type[side], l->display[side], &l->kind[side]);
	}
	for (size_t i = 0; i < l->n; i++)
		sorted[i] = &l->keys[i];
	qsort(sorted, l->n, sizeof(*sorted), key_cmp);
	for (size_t i = 0; i < l->n; i++)
		order[i] = (size_t)(sorted[i] - l->keys);
	free(sorted);
	/* Runs of one side and property, LOOKUP_BATCH keys a request. */
	for (size_t i = 0; i < l->n;) {
		struct lbatch *b = xcalloc(1, sizeof(*b));
		const struct lkey *first = &l->keys[order[i]];
		b->l = l;
		b->side = first->side;
		key_split(first->key, b->prop);
		b->search = by_search(l, b->side, b->prop);
		b->keys = xcalloc(LOOKUP_BATCH, sizeof(*b->keys));
		while (i < l->n && b->n < LOOKUP_BATCH) {
			char prop[KEY_PROP_MAX + 1];
			const struct lkey *k = &l->keys[order[i]];
			key_split(k->key, prop);
			if (k->side != b->side || strcmp(prop, b->prop) != 0)
				break;
			b->keys[b->n++] = order[i];
			/* HubSpot refuses a search body over 3,000 characters:
			 * measured as sent, with the longest cursor it may carry. */
			if (b->search && b->n > 1 && search_body_len(b) >
			    LOOKUP_SEARCH_BODY_MAX) {
				b->n--;
				break;
			}
			i++;
		}
		b->next = l->batches;
		l->batches = b;
		l->least++;
	}
	free(order);
	/* Searches first: they wait for a budget of their own, and what
	 * waits behind them leaves meanwhile (calls take the first that may
	 * go), so both budgets are kept busy. */
	for (int pass = 0; pass < 2; pass++)
		for (struct lbatch *b = l->batches; b != NULL; b = b->next)
			if (b->search == (pass == 0))
				queue(b, NULL);
}

/* "no contact has email jane@x.com", "3 companies have domain acme.com:
 * 101, 102, 103 (use an ID or a unique property)". */
static void
describe(const struct lookup *l, const struct lkey *k, struct buf *out)
{
	char prop[KEY_PROP_MAX + 1];
	const char *value = key_split(k->key, prop);
	const struct objtype *t = &l->type[k->side];

	if (k->found == 0) {
		buf_printf(out, "no %s has %s %s", objtype_singular(t), prop, value);
		return;
	}
	buf_printf(out, "%u %s have %s %s: ", k->found, objtype_name(t), prop, value);
	for (uint32_t i = 0; i < k->found && i < LOOKUP_SHOW_MANY; i++)
		buf_printf(out, "%s%s", i > 0 ? ", " : "", k->ids[i]);
	if (k->found > LOOKUP_SHOW_MANY)
		buf_printf(out, " and %u more", k->found - LOOKUP_SHOW_MANY);
	buf_addstr(out, " (use an ID or a unique property)");
}

size_t
lookup_apply(struct lookup *l, struct input *in, struct names names[2])
{
	struct buf why = BUF_INIT;
	size_t bad = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct lkey *k = &l->keys[i];
		k->state = k->found == 0 ? LK_NONE : k->found == 1 ? LK_ONE : LK_MANY;
		if (k->state == LK_ONE && k->name != NULL)
			names_put(&names[k->side], k->ids[0], k->name);
	}
	for (size_t row = 0; row < in->nrows; row++) {
		const struct input_row *r = &in->rows[row];
		const struct lkey *k[2] = { NULL, NULL };
		if (!input_row_pending(in, r))
			continue;
		/* A row given its keys since this lookup began (the terminal's
		 * pairs are edited meanwhile) waits for the next. */
		bool unasked = false;
		for (int side = 0; side < 2; side++) {
			const char *key = input_row_key(in, r, side);
			k[side] = key != NULL ? key_of(l, side, key) : NULL;
			unasked |= key != NULL && k[side] == NULL;
		}
		if (unasked)
			continue;
		for (int side = 0; side < 2; side++) {
			if (k[side] == NULL || k[side]->state == LK_ONE)
				continue;
			buf_reset(&why);
			describe(l, k[side], &why);
			input_key_invalid(in, row, k[side]->state == LK_MANY ? INPUT_KEY_MANY :
			    INPUT_KEY_NONE, (uint8_t)(side + 1), buf_str(&why));
			bad++;
			break;
		}
		if (in->rows[row].status == ROW_VALID)
			input_resolve_row(in, row, k[0] != NULL ? k[0]->ids[0] : NULL,
			    k[1] != NULL ? k[1]->ids[0] : NULL);
	}
	buf_free(&why);
	return bad;
}
