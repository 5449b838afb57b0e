/* test_lookup.c: keys looked up over a scripted transport: the answers
 * mapped back to the rows, none and several, untrusted answers, a
 * refused property, a search that pages on and on. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "hubassoc/lookup.h"
#include "fakenet.h"
#include "planfx.h"

/* The network (fakenet.h); the server's answers come from portal() or
 * pages_forever(), which count the searches. */
struct fake {
	struct fakenet net;
	size_t searches;
	size_t max_body;          /* the longest search body */
};

/* A search's values. */
static const cJSON *
search_values(cJSON *req)
{
	return cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(
	    cJSON_GetArrayItem(cJSON_GetObjectItem(req, "filterGroups"), 0),
	    "filters"), 0), "values");
}

/* Contacts: a.N@x.io is contact N (N < 50), named "A N"; companies:
 * dN.io is company 100 + N, and d0.io is also company 200's. */
static void
portal(struct fakenet *net, const char *path, cJSON *req, struct http_result *http)
{
	struct fake *f = (struct fake *)net;
	struct buf *out = &http->body;
	cJSON *root = cJSON_CreateObject(), *res = cJSON_AddArrayToObject(root, "results");
	const cJSON *x;
	char id[32], name[32];

	const cJSON *idp = cJSON_GetObjectItem(req, "idProperty");
	if (strstr(path, "/contacts/batch/read") != NULL && cJSON_IsString(idp) &&
	    strcmp(idp->valuestring, "email") == 0) {
		cJSON_ArrayForEach(x, cJSON_GetObjectItem(req, "inputs")) {
			const char *v = cJSON_GetObjectItem(x, "id")->valuestring;
			int n;
			if (sscanf(v, "a.%d@x.io", &n) != 1 || n >= 50)
				continue;
			cJSON *r = cJSON_CreateObject(), *p;
			snprintf(id, sizeof(id), "%d", n + 1);
			cJSON_AddStringToObject(r, "id", id);
			p = cJSON_AddObjectToObject(r, "properties");
			/* As HubSpot stores it: another case. */
			snprintf(name, sizeof(name), "A.%d@X.IO", n);
			cJSON_AddStringToObject(p, "email", name);
			snprintf(name, sizeof(name), "%d", n);
			cJSON_AddStringToObject(p, "firstname", "A");
			cJSON_AddStringToObject(p, "lastname", name);
			cJSON_AddItemToArray(res, r);
		}
	} else if (strstr(path, "/companies/search") != NULL) {
		f->searches++;
		char *sent = cJSON_PrintUnformatted(req);
		if (strlen(sent) > f->max_body)
			f->max_body = strlen(sent);
		free(sent);
		const cJSON *vals = search_values(req);
		cJSON_ArrayForEach(x, vals) {
			int n;
			if (sscanf(x->valuestring, "d%d", &n) != 1)
				continue;
			for (int k = 0; k < (n == 0 ? 2 : 1); k++) {
				cJSON *r = cJSON_CreateObject(), *p;
				snprintf(id, sizeof(id), "%d", k == 0 ? 100 + n : 200);
				cJSON_AddStringToObject(r, "id", id);
				p = cJSON_AddObjectToObject(r, "properties");
				cJSON_AddStringToObject(p, "domain", x->valuestring);
				cJSON_AddStringToObject(p, "name", "Co");
				cJSON_AddItemToArray(res, r);
			}
		}
		/* Hostile too: no ID, an ID that is none, no properties. */
		cJSON *bad = cJSON_CreateObject();
		cJSON_AddNumberToObject(bad, "id", 5);
		cJSON_AddItemToArray(res, bad);
		bad = cJSON_CreateObject();
		cJSON_AddStringToObject(bad, "id", "12x");
		cJSON_AddItemToObject(bad, "properties", cJSON_CreateString("d1.io"));
		cJSON_AddItemToArray(res, bad);
	} else {
		cJSON_Delete(root);
		buf_addstr(out, "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
		    "\"message\":\"Property vin is not a unique identifier\"}");
		http->status = 400;
		return;
	}
	char *text = cJSON_PrintUnformatted(root);
	buf_addstr(out, text);
	free(text);
	cJSON_Delete(root);
	http->status = 200;
}

static enum engine_stop
run_warned(struct fake *f, struct input *in, struct names names[2], struct lookup **l,
    char **warned)
{
	struct engine_transport tp = fakenet_transport(&f->net);
	struct engine_opts o = { .max_attempts = 2 };
	struct rate rate, search;
	struct objtype from, to;
	char *cause = NULL;

	assert_int_equal(objtype_parse("contacts", &from, &cause), 0);
	assert_int_equal(objtype_parse("companies", &to, &cause), 0);
	rate_init(&rate, 1000, 1000);
	rate_init(&search, 1000, 1000);
	struct calls *c = calls_new(&tp, &rate, NULL, &o);
	*l = lookup_new(in, API_V4, &from, &to);
	lookup_start(*l, c, &search, NULL);
	for (int i = 0; i < 100000 && !calls_done(c); i++)
		calls_turn(c, NULL, 0, 5);
	enum engine_stop stop = calls_stop_reason(c);
	if (stop == ENGINE_COMPLETE)
		lookup_apply(*l, in, names);
	const char *w = calls_warning(c);
	if (warned != NULL)
		*warned = w != NULL ? xstrdup(w) : NULL;
	calls_free(c);
	rate_free(&rate);
	rate_free(&search);
	return stop;
}

static enum engine_stop
run(struct fake *f, struct input *in, struct names names[2], struct lookup **l)
{
	return run_warned(f, in, names, l, NULL);
}

/* Each distinct key once; one record: its ID and the key kept; none and
 * several: invalid, saying so; the names that came along kept. */
static void
test_resolve(void **state)
{
	struct fake f = { .net.answer = portal };
	struct names names[2] = { { 0 }, { 0 } };
	struct lookup *l;
	struct buf m = BUF_INIT;

	(void)state;
	struct input *in = planfx_input("email,domain\n"
	    "a.1@x.io,d1.io\n"          /* 2 -> 101 */
	    "A.1@X.io,www.d2.io\n"      /* the same contact, another company */
	    "a.99@x.io,d1.io\n"         /* no such contact */
	    "a.2@x.io,d0.io\n"          /* d0.io: two companies */
	    "a.3@x.io,d7.io\n");
	struct input *later = planfx_input("a.4@x.io,d1.io\n");
	assert_int_equal(run(&f, in, names, &l), ENGINE_COMPLETE);
	assert_int_equal(lookup_keys(l), 8);   /* 4 emails, 4 domains */
	/* A row given a key after the lookup began is left for the next. */
	input_copy_row(in, later, 0);
	assert_int_equal(lookup_apply(l, in, names), 0);
	assert_true(input_row_pending(in, &in->rows[in->nrows - 1]));
	input_free(later);
	assert_int_equal(f.net.requests, 2);
	assert_int_equal(f.searches, 1);
	assert_string_equal(input_from(in, &in->rows[0]), "2");
	assert_string_equal(input_to(in, &in->rows[0]), "101");
	assert_string_equal(input_row_key(in, &in->rows[0], 0), "email:a.1@x.io");
	assert_string_equal(input_row_key(in, &in->rows[0], 1), "domain:d1.io");
	assert_string_equal(input_from(in, &in->rows[1]), "2");
	assert_string_equal(input_to(in, &in->rows[1]), "102");
	assert_int_equal(in->rows[2].status, ROW_INVALID);
	assert_int_equal(in->rows[2].reason, INPUT_KEY_NONE);
	input_reason_format(in, &in->rows[2], &m);
	assert_string_equal(buf_str(&m), "no contact has email a.99@x.io");
	buf_reset(&m);
	assert_int_equal(in->rows[3].reason, INPUT_KEY_MANY);
	assert_int_equal(in->rows[3].field, 2);
	input_reason_format(in, &in->rows[3], &m);
	assert_string_equal(buf_str(&m), "2 companies have domain d0.io: 100, 200 "
	    "(use an ID or a unique property)");
	assert_string_equal(names_get(&names[0], "2"), "A 1");
	assert_string_equal(names_get(&names[1], "101"), "Co");
	assert_null(names_get(&names[1], "100"));   /* of a key several have */
	size_t one, none, many;
	lookup_counts(l, &one, &none, &many);
	assert_int_equal(one, 6);
	assert_int_equal(none, 1);
	assert_int_equal(many, 1);
	buf_free(&m);
	lookup_free(l);
	names_free(&names[0]);
	names_free(&names[1]);
	input_free(in);
}

/* A property the portal will not look records up by stops it, naming it. */
static void
test_refused(void **state)
{
	struct fake f = { .net.answer = portal };
	struct names names[2] = { { 0 }, { 0 } };
	struct lookup *l;

	(void)state;
	struct input *in = planfx_input("vin:V1,101\n");
	assert_int_equal(run(&f, in, names, &l), ENGINE_CONFIG);
	assert_non_null(lookup_refused(l));
	assert_non_null(strstr(lookup_refused(l), "contacts cannot be looked up by vin"));
	assert_true(input_row_pending(in, &in->rows[0]));   /* nothing applied */
	lookup_free(l);
	input_free(in);
}

/* A new cursor each page, for ever. */
static void
pages_forever(struct fakenet *n, const char *path, cJSON *req, struct http_result *res)
{
	(void)path;
	(void)req;
	buf_printf(&res->body, "{\"results\":[],\"paging\":{\"next\":{\"after\":"
	    "\"%zu\"}}}", n->requests);
	res->status = 200;
}

/* A server that pages on and on is not followed for ever. */
static void
test_pages_forever(void **state)
{
	struct fake f = { .net.answer = pages_forever };
	struct names names[2] = { { 0 }, { 0 } };
	struct lookup *l;

	(void)state;
	struct input *in = planfx_input("101,domain:a.io\n");
	assert_int_equal(run(&f, in, names, &l), ENGINE_CONFIG);
	assert_int_equal(f.net.requests, LOOKUP_PAGES_MAX);
	lookup_free(l);
	input_free(in);
}

/* The same cursor each page. */
static void
pages_again(struct fakenet *n, const char *path, cJSON *req, struct http_result *res)
{
	(void)n;
	(void)path;
	(void)req;
	buf_addstr(&res->body, "{\"results\":[],\"paging\":{\"next\":{\"after\":\"7\"}}}");
	res->status = 200;
}

/* A cursor given again is not followed: the paging stops there, said. */
static void
test_cursor_again(void **state)
{
	struct fake f = { .net.answer = pages_again };
	struct names names[2] = { { 0 }, { 0 } };
	struct lookup *l;
	char *warned;

	(void)state;
	struct input *in = planfx_input("101,domain:a.io\n");
	assert_int_equal(run_warned(&f, in, names, &l, &warned), ENGINE_COMPLETE);
	assert_int_equal(f.net.requests, 2);
	assert_non_null(warned);
	assert_non_null(strstr(warned, "a paging cursor it gave before"));
	free(warned);
	lookup_free(l);
	input_free(in);
}

/* Long domains: no search body over HubSpot's 3,000 characters, as sent,
 * and every key still found. */
static void
test_search_body_size(void **state)
{
	struct fake f = { .net.answer = portal };
	struct names names[2] = { { 0 }, { 0 } };
	struct lookup *l;
	struct buf csv = BUF_INIT;

	(void)state;
	buf_addstr(&csv, "email,domain\n");
	/* 90 domains of 30 characters: one query by count, over the limit
	 * by size. */
	for (int i = 1; i <= 90; i++)
		buf_printf(&csv, "a.1@x.io,d%d-%.*s.io\n", i, i < 10 ? 25 : 24,
		    "longcompanynameofsomekind");
	struct input *in = planfx_input(buf_str(&csv));
	assert_int_equal(run(&f, in, names, &l), ENGINE_COMPLETE);
	assert_true(f.max_body > 0 && f.max_body <= LOOKUP_SEARCH_BODY_MAX);
	assert_true(f.searches >= 2);
	for (size_t i = 0; i < in->nrows; i++)
		assert_int_equal(in->rows[i].status, ROW_VALID);
	buf_free(&csv);
	lookup_free(l);
	names_free(&names[0]);
	names_free(&names[1]);
	input_free(in);
}

/* Each value matches 6,000 companies (as total says) and its own record
 * on the page: two values in one query pass HubSpot's 10,000. */
static void
many_matches(struct fakenet *net, const char *path, cJSON *req, struct http_result *http)
{
	struct fake *f = (struct fake *)net;
	const cJSON *x, *vals = search_values(req);
	cJSON *root = cJSON_CreateObject(), *res = cJSON_AddArrayToObject(root, "results");
	char id[32];
	int n;

	(void)path;
	f->searches++;
	cJSON_AddNumberToObject(root, "total", 6000.0 * cJSON_GetArraySize(vals));
	cJSON_ArrayForEach(x, vals) {
		if (sscanf(x->valuestring, "d%d.io", &n) != 1)
			continue;
		cJSON *r = cJSON_CreateObject();
		snprintf(id, sizeof(id), "%d", 100 + n);
		cJSON_AddStringToObject(r, "id", id);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "properties"), "domain",
		    x->valuestring);
		cJSON_AddItemToArray(res, r);
	}
	char *text = cJSON_PrintUnformatted(root);
	buf_addstr(&http->body, text);
	free(text);
	cJSON_Delete(root);
	http->status = 200;
}

/* A query past 10,000 results is asked again in halves, and says so;
 * a single value's answer is taken from its first page. */
static void
test_search_split(void **state)
{
	struct fake f = { .net.answer = many_matches };
	struct names names[2] = { { 0 }, { 0 } };
	struct lookup *l;
	char *warned;

	(void)state;
	struct input *in = planfx_input("101,domain:d1.io\n101,domain:d2.io\n"
	    "101,domain:d3.io\n101,domain:d4.io\n");
	assert_int_equal(run_warned(&f, in, names, &l, &warned), ENGINE_COMPLETE);
	assert_int_equal(f.searches, 7);     /* 4 values, 2 + 2, 1 + 1 + 1 + 1 */
	assert_non_null(warned);
	assert_non_null(strstr(warned, "matched 24000"));
	for (size_t i = 0; i < in->nrows; i++)
		assert_int_equal(in->rows[i].status, ROW_VALID);
	assert_string_equal(input_to(in, &in->rows[3]), "104");
	free(warned);
	lookup_free(l);
	names_free(&names[0]);
	names_free(&names[1]);
	input_free(in);
}

/* A search of more than two values is refused (a 400); others answer as
 * the portal does. */
static void
refuses_long(struct fakenet *net, const char *path, cJSON *req, struct http_result *http)
{
	const cJSON *vals = search_values(req);

	if (cJSON_GetArraySize(vals) > 2 || strstr(cJSON_GetArrayItem(vals, 0)->valuestring,
	    "d9.io") != NULL) {
		((struct fake *)net)->searches++;
		buf_addstr(&http->body, "{\"status\":\"error\",\"category\":"
		    "\"VALIDATION_ERROR\",\"message\":\"There was a problem with the "
		    "request.\"}");
		http->status = 400;
		return;
	}
	portal(net, path, req, http);
}

/* A refused search of several values is asked again in halves; a value
 * refused alone stops the lookup, saying the search was refused, never
 * that the property cannot be looked up by. */
static void
test_search_refused(void **state)
{
	struct fake f = { .net.answer = refuses_long };
	struct names names[2] = { { 0 }, { 0 } };
	struct lookup *l;

	(void)state;
	struct input *in = planfx_input("101,domain:d1.io\n101,domain:d2.io\n"
	    "101,domain:d3.io\n101,domain:d4.io\n");
	assert_int_equal(run(&f, in, names, &l), ENGINE_COMPLETE);
	assert_int_equal(f.searches, 3);
	assert_string_equal(input_to(in, &in->rows[2]), "103");
	lookup_free(l);
	input_free(in);
	names_free(&names[0]);
	names_free(&names[1]);

	memset(&f, 0, sizeof(f));
	f.net.answer = refuses_long;
	in = planfx_input("101,domain:d9.io\n");
	assert_int_equal(run(&f, in, names, &l), ENGINE_CONFIG);
	assert_non_null(strstr(lookup_refused(l), "the portal refused a search for "
	    "companies by domain d9.io"));
	assert_null(strstr(lookup_refused(l), "cannot be looked up"));
	lookup_free(l);
	input_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_pages_forever),
		cmocka_unit_test(test_cursor_again),
		cmocka_unit_test(test_search_body_size),
		cmocka_unit_test(test_search_split),
		cmocka_unit_test(test_search_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
