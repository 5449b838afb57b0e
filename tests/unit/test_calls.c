/* test_calls.c: reads over a scripted transport: pages, retries, stops. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "hubassoc/assocset.h"
#include "hubassoc/calls.h"
#include "fakenet.h"

/* The network (fakenet.h): each request answered on the next work(): the
 * first `fail` with 503s, then by the read script: record 1 has three
 * pairs, two to a page; record 9 is not found. */
struct fake {
	struct fakenet net;
	unsigned fail;
	int status;          /* answer every request so (0: the script) */
	int too_big_over;    /* a read of more records: an answer too long
	                      * to read (0: none) */
	char asked[1024][8]; /* the IDs asked for, as they came */
	size_t nasked;
};

static void
page(cJSON *results, const char *id, const char *after)
{
	cJSON *r = cJSON_CreateObject(), *to;
	bool second = after != NULL;

	cJSON_AddItemToObject(r, "from", cJSON_CreateObject());
	cJSON_AddStringToObject(cJSON_GetObjectItem(r, "from"), "id", id);
	to = cJSON_AddArrayToObject(r, "to");
	for (int k = second ? 2 : 0; k < (second ? 3 : (strcmp(id, "1") == 0 ? 2 : 0)); k++) {
		cJSON *x = cJSON_CreateObject(), *types = cJSON_AddArrayToObject(x,
		    "associationTypes"), *t = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "toObjectId", 100 + k);
		cJSON_AddStringToObject(t, "category", "HUBSPOT_DEFINED");
		cJSON_AddNumberToObject(t, "typeId", 279);
		cJSON_AddNullToObject(t, "label");
		cJSON_AddItemToArray(types, t);
		cJSON_AddItemToArray(to, x);
	}
	if (strcmp(id, "1") == 0 && !second) {
		cJSON *p = cJSON_AddObjectToObject(r, "paging");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "next"), "after", "2");
	}
	cJSON_AddItemToArray(results, r);
}

static void
script(struct fakenet *n, const char *path, cJSON *body, struct http_result *res)
{
	struct fake *f = (struct fake *)n;

	(void)path;
	if (f->fail > 0) {
		f->fail--;
		res->status = 503;
		buf_addstr(&res->body, "{\"status\":\"error\",\"message\":\"internal\"}");
		return;
	}
	if (f->status != 0) {
		res->status = f->status;
		return;
	}
	if (f->too_big_over > 0 &&
	    cJSON_GetArraySize(cJSON_GetObjectItem(body, "inputs")) > f->too_big_over) {
		res->failure = HTTP_TOO_BIG;
		return;
	}
	cJSON *in, *root = cJSON_CreateObject();
	cJSON *results = cJSON_AddArrayToObject(root, "results");
	cJSON *missing = cJSON_CreateArray();
	cJSON_ArrayForEach(in, cJSON_GetObjectItem(body, "inputs")) {
		const char *id = cJSON_GetObjectItem(in, "id")->valuestring;
		cJSON *after = cJSON_GetObjectItem(in, "after");
		if (f->nasked < 1024 && !cJSON_IsString(after))
			snprintf(f->asked[f->nasked++], sizeof(*f->asked), "%.7s", id);
		if (strcmp(id, "9") == 0)
			cJSON_AddItemToArray(missing, cJSON_CreateString(id));
		else
			page(results, id, cJSON_IsString(after) ? after->valuestring : NULL);
	}
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "category", "OBJECT_NOT_FOUND");
	cJSON_AddItemToObject(cJSON_AddObjectToObject(e, "context"), "ids", missing);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "errors"), e);
	char *text = cJSON_PrintUnformatted(root);
	res->status = 207;
	buf_addstr(&res->body, text);
	free(text);
	cJSON_Delete(root);
}

static enum engine_stop
run(struct fake *f, unsigned attempts, struct assocset **set, struct calls **c,
    struct rate *rate)
{
	f->net.answer = script;
	struct engine_transport tp = fakenet_transport(&f->net);
	struct engine_opts o = { .max_attempts = attempts, .backoff_base_ms = 1,
	    .backoff_cap_ms = 2 };
	static const char *const ids[] = { "1", "9", "5", "1" };

	rate_init(rate, 1000, 1000);
	*c = calls_new(&tp, rate, NULL, &o);
	*set = assocset_new(*c, "read", "/crm/v4/associations/0-1/0-2/batch/read");
	assocset_read(*set, ids, 4);
	for (int i = 0; i < 10000 && !calls_done(*c); i++)
		calls_turn(*c, NULL, 0, 5);
	return calls_stop_reason(*c);
}

/* Every page of a record is read, a record the portal lacks is said to be
 * missing, a record with none has none; a repeated ID is read once. */
static void
test_pages(void **state)
{
	struct fake f = { 0 };
	struct assocset *set;
	struct calls *c;
	struct rate rate;

	(void)state;
	assert_int_equal(run(&f, 3, &set, &c, &rate), ENGINE_COMPLETE);
	assert_int_equal(f.net.requests, 2);
	assert_int_equal(assocset_records(set), 3);
	const struct assocread_from *one = assocset_from(set, "1");
	assert_non_null(one);
	assert_int_equal(one->nto, 3);
	assert_non_null(assocset_pair(set, "1", "102"));
	assert_true(assocread_to_has(assocset_pair(set, "1", "100"),
	    ASSOC_CAT_HUBSPOT, 279));
	assert_true(assocset_missing(set, "9"));
	assert_null(assocset_from(set, "9"));
	assert_int_equal(assocset_from(set, "5")->nto, 0);
	assocset_free(set);
	calls_free(c);
	rate_free(&rate);
}

/* 5xx are tried again; past the attempts, the run stops, given up. */
/* An answer too long to read: the records asked for apart, in halves,
 * until each answer is read (before: the same request again, the same
 * answer cut, until given up, and a remove of busy records never began). */
static void
test_too_big_split(void **state)
{
	struct fake f = { .too_big_over = 1 };
	struct assocset *set;
	struct calls *c;
	struct rate rate;

	(void)state;
	assert_int_equal(run(&f, 3, &set, &c, &rate), ENGINE_COMPLETE);
	/* 1, 9 and 5 too long; 1 alone, 9 and 5 too long; 9, 5; 1's page 2. */
	assert_int_equal(f.net.requests, 6);
	assert_int_equal(assocset_records(set), 3);
	assert_int_equal(assocset_from(set, "1")->nto, 3);
	assert_true(assocset_missing(set, "9"));
	assert_non_null(assocset_from(set, "5"));
	assocset_free(set);
	calls_free(c);
	rate_free(&rate);
}

static void
test_retry_and_give_up(void **state)
{
	struct fake f = { .fail = 2 };
	struct assocset *set;
	struct calls *c;
	struct rate rate;

	(void)state;
	assert_int_equal(run(&f, 3, &set, &c, &rate), ENGINE_COMPLETE);
	assert_int_equal(calls_stats(c)->retries, 2);
	assert_int_equal(assocset_from(set, "1")->nto, 3);
	assocset_free(set);
	calls_free(c);
	rate_free(&rate);

	f = (struct fake){ .fail = 5 };
	assert_int_equal(run(&f, 2, &set, &c, &rate), ENGINE_GAVE_UP);
	assert_null(assocset_from(set, "1"));
	assocset_free(set);
	calls_free(c);
	rate_free(&rate);
}

/* A 401 stops the run: nothing read is taken for the portal's state. */
static void
test_auth_stops(void **state)
{
	struct fake f = { .status = 401 };
	struct assocset *set;
	struct calls *c;
	struct rate rate;

	(void)state;
	assert_int_equal(run(&f, 3, &set, &c, &rate), ENGINE_AUTH);
	assert_int_equal(f.net.requests, 1);
	assert_false(assocset_missing(set, "9"));
	assocset_free(set);
	calls_free(c);
	rate_free(&rate);
}

/* Many records at once: each asked for once, as given, in requests of
 * ASSOCREAD_MAX. */
static void
test_many(void **state)
{
	static struct fake f = { .net.answer = script };
	struct engine_transport tp = fakenet_transport(&f.net);
	struct engine_opts o = { .max_attempts = 2 };
	struct rate rate;
	char text[1000][12];
	const char *ids[1000];

	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(text[i], sizeof(text[i]), "%d", 1000 + i);
		ids[i] = text[i];
	}
	rate_init(&rate, 1000, 1000);
	struct calls *c = calls_new(&tp, &rate, NULL, &o);
	struct assocset *set = assocset_new(c, "read", "/read");
	assocset_read(set, ids, 600);
	assocset_read(set, ids + 300, 700);    /* 300 of them asked already */
	for (int i = 0; i < 10000 && !calls_done(c); i++)
		calls_turn(c, NULL, 0, 5);
	assert_int_equal(calls_stop_reason(c), ENGINE_COMPLETE);
	assert_int_equal(f.net.requests, 2);
	assert_int_equal(f.nasked, 1000);
	for (int i = 0; i < 1000; i++)
		assert_string_equal(f.asked[i], text[i]);
	assert_int_equal(assocset_records(set), 1000);
	assert_non_null(assocset_from(set, "1999"));
	assocset_free(set);
	calls_free(c);
	rate_free(&rate);
}

/* A network that answers every request 200 {"results":[]}, and keeps the
 * order the requests left in. */
struct order {
	struct fakenet net;
	char seq[64];        /* 's' for a call with a budget of its own, 'r' */
	size_t nseq;
};

static void
in_order(struct fakenet *n, const char *path, cJSON *body, struct http_result *res)
{
	struct order *o = (struct order *)n;

	(void)body;
	assert_true(o->nseq < 63);
	o->seq[o->nseq++] = strstr(path, "search") != NULL ? 's' : 'r';
	res->status = 200;
	buf_addstr(&res->body, "{\"results\":[]}");
}

/* Calls with a budget of their own (search's) share the portal's with the
 * others: a burst of others does not take the slots they need, so in the
 * portal's first window they get their whole share. */
static void
test_own_budget(void **state)
{
	static struct order o = { .net.answer = in_order };
	struct engine_transport tp = fakenet_transport(&o.net);
	struct engine_opts eo = { .max_attempts = 2, .concurrency = 64 };
	struct rate portal, search;

	(void)state;
	rate_init(&portal, 20, 400);
	rate_init(&search, 5, 200);
	struct calls *c = calls_new(&tp, &portal, NULL, &eo);
	for (int i = 0; i < 10; i++)
		calls_add_ex(c, &(struct call_extra){ .own = &search }, "lookup", "POST",
		    "/search", xstrdup("{}"), NULL, NULL);
	for (int i = 0; i < 20; i++)
		calls_add(c, "lookup", "POST", "/read", xstrdup("{}"), NULL, NULL);
	for (int i = 0; i < 100000 && !calls_done(c); i++)
		calls_turn(c, NULL, 0, 5);
	assert_int_equal(calls_stop_reason(c), ENGINE_COMPLETE);
	assert_int_equal(o.nseq, 30);
	/* The portal's first 20: all 10 searches (5 a 200 ms, twice within
	 * its 400 ms), the reads the other 10; not 5 and 15. */
	size_t s = 0;
	for (int i = 0; i < 20; i++)
		s += o.seq[i] == 's';
	assert_int_equal(s, 10);
	calls_free(c);
	rate_free(&portal);
	rate_free(&search);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_too_big_split),
		cmocka_unit_test(test_retry_and_give_up),
		cmocka_unit_test(test_auth_stops),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_own_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
