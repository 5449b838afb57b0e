/* test_engine.c: the engine over a scripted transport, no server. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "hubassoc/engine.h"
#include "fakenet.h"
#include "planfx.h"

/* The network (fakenet.h), and what the portal is like. */
struct fake {
	struct fakenet net;
	size_t reads;              /* association batch/reads answered */
	const char *bad;           /* a FROM ID the portal refuses, or NULL */
	unsigned resets;           /* this many answers are lost first */
	const char *held;          /* a pair "F,T" the portal holds (read back) */
};

/* Every pair of the request created, in a 201 batch answer. */
static void
created(cJSON *body, struct http_result *res)
{
	cJSON *root = cJSON_CreateObject(), *results = cJSON_AddArrayToObject(root, "results");
	const cJSON *in;

	cJSON_AddStringToObject(root, "status", "COMPLETE");
	cJSON_ArrayForEach(in, cJSON_GetObjectItem(body, "inputs")) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "fromObjectId",
		    cJSON_GetObjectItem(cJSON_GetObjectItem(in, "from"), "id")->valuestring);
		cJSON_AddStringToObject(r, "toObjectId",
		    cJSON_GetObjectItem(cJSON_GetObjectItem(in, "to"), "id")->valuestring);
		cJSON_AddItemToObject(r, "labels", cJSON_CreateArray());
		cJSON_AddItemToArray(results, r);
	}
	char *text = cJSON_PrintUnformatted(root);
	res->status = 201;
	buf_addstr(&res->body, text);
	free(text);
	cJSON_Delete(root);
}

static bool
holds_from(cJSON *body, const char *id)
{
	const cJSON *in;

	cJSON_ArrayForEach(in, cJSON_GetObjectItem(body, "inputs"))
		if (strcmp(cJSON_GetObjectItem(cJSON_GetObjectItem(in, "from"), "id")->valuestring,
		    id) == 0)
			return true;
	return false;
}

/* A portal that refuses a request holding the bad FROM ID with a 400 that
 * names nothing, and creates any other. */
static void
answer_unnamed(struct fakenet *n, const char *path, cJSON *body, struct http_result *res)
{
	struct fake *f = (struct fake *)n;

	(void)path;
	if (f->bad == NULL || holds_from(body, f->bad)) {
		res->status = 400;
		buf_addstr(&res->body, "{\"status\":\"error\",\"message\":\"Unable to infer "
		    "object type from: x\"}");
	} else {
		created(body, res);
	}
}

static void
run(struct fake *f, struct planfx *px, struct outcomes *o, unsigned attempts)
{
	struct engine_transport tp = fakenet_transport(&f->net);
	struct engine_opts eo = { .api = API_V4, .concurrency = 2, .max_attempts = attempts,
	    .backoff_base_ms = 2, .backoff_cap_ms = 4, .base_url = "https://fake" };
	struct rate rate;

	rate_init(&rate, 100000, 1000);
	struct engine *e = engine_new_transport(&tp, &rate, NULL, px->in, &px->plan, o,
	    &eo, NULL, NULL);
	engine_queue_pending(e);
	for (int turns = 0; !engine_done(e) && turns < 100000; turns++)
		engine_turn(e, NULL, 0, 5);
	assert_true(engine_done(e));
	engine_free(e);
	rate_free(&rate);
}

static char *
pairs(size_t n, size_t first)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%zu,%zu\n", first + i, first + 500000 + i);
	return buf_detach(&b);
}

/* n rows of contacts to companies, unlabeled, planned and not yet sent. */
struct ecase {
	char *text;
	struct planfx px;
	struct outcomes o;
};

static void
ecase_begin(struct ecase *c, size_t n)
{
	c->text = pairs(n, 1000);
	planfx_build(&c->px, c->text, "contacts", "companies", "279", 500);
	outcomes_init(&c->o, &c->px.plan, false);
}

static void
ecase_end(struct ecase *c)
{
	outcomes_free(&c->o);
	planfx_free(&c->px);
	free(c->text);
}

/* A refusal of the request itself, the same for both halves: 3 requests,
 * every row failed with it. */
static void
test_uniform_refusal(void **state)
{
	(void)state;
	struct ecase c;
	struct fake f = { .net.answer = answer_unnamed };

	ecase_begin(&c, 64);
	run(&f, &c.px, &c.o, 6);
	assert_int_equal(f.net.requests, 3);
	assert_int_equal(c.o.count[OUTCOME_FAILED], 64);
	assert_string_equal(outcomes_error(&c.o, 0)->message,
	    "Unable to infer object type from: x");
	ecase_end(&c);
}

/* One row at fault: found in about 2 log2(n) requests, the rest created. */
static void
test_one_bad_row(void **state)
{
	(void)state;
	struct ecase c;
	struct fake f = { .net.answer = answer_unnamed, .bad = "1037" };

	ecase_begin(&c, 64);
	run(&f, &c.px, &c.o, 6);
	assert_int_equal(c.o.count[OUTCOME_CREATED], 63);
	assert_int_equal(c.o.count[OUTCOME_FAILED], 1);
	assert_int_equal(c.o.state[37], OUTCOME_FAILED);
	assert_true(f.net.requests <= 13);          /* 1 + 2 * log2(64) */
	ecase_end(&c);
}

/* Answers lost on the way: the rows are unconfirmed, not not_sent. */
static void
answer_reset(struct fakenet *n, const char *path, cJSON *body, struct http_result *res)
{
	struct fake *f = (struct fake *)n;

	(void)path;
	if (f->resets > 0) {
		f->resets--;
		res->failure = HTTP_RESET;
		snprintf(res->error, sizeof(res->error), "Connection reset by peer");
		return;
	}
	created(body, res);
}

static void
test_lost_answers_unconfirmed(void **state)
{
	(void)state;
	struct ecase c;
	struct fake f = { .net.answer = answer_reset, .resets = 2 };

	ecase_begin(&c, 4);
	run(&f, &c.px, &c.o, 2);
	assert_int_equal(c.o.count[OUTCOME_UNCONFIRMED], 4);
	assert_string_equal(outcomes_error(&c.o, 0)->category, "UNCONFIRMED");
	ecase_end(&c);
}

/* resume: unconfirmed rows are read back; what the portal holds is
 * created without a write, the rest sent. */
static void
answer_read(struct fakenet *n, const char *path, cJSON *body, struct http_result *res)
{
	struct fake *f = (struct fake *)n;

	if (strstr(path, "batch/read") == NULL) {
		created(body, res);
		return;
	}
	f->reads++;
	char from[32], to[32];
	sscanf(f->held, "%31[^,],%31s", from, to);
	res->status = 200;
	buf_printf(&res->body, "{\"status\":\"COMPLETE\",\"results\":[{\"from\":{\"id\":\"%s\"},"
	    "\"to\":[{\"toObjectId\":%s,\"associationTypes\":[{\"category\":"
	    "\"HUBSPOT_DEFINED\",\"typeId\":279,\"label\":null}]}]}]}", from, to);
}

static void
test_read_back(void **state)
{
	(void)state;
	struct ecase c;
	struct fake f = { .net.answer = answer_read, .held = "1001,501001" };

	ecase_begin(&c, 3);
	for (size_t i = 0; i < 3; i++)
		outcomes_set(&c.o, i, OUTCOME_UNCONFIRMED, 0, 0);
	run(&f, &c.px, &c.o, 6);
	assert_int_equal(f.reads, 1);
	assert_int_equal(f.net.requests, 2);        /* one read, one create of two rows */
	assert_int_equal(c.o.count[OUTCOME_CREATED], 3);
	ecase_end(&c);
}

/* Held, nothing leaves and the send is not done, whatever the turns;
 * let go, it finishes. */
static void
test_hold(void **state)
{
	(void)state;
	struct ecase c;
	struct fake f = { .net.answer = answer_unnamed, .bad = "999999" };
	struct engine_transport tp = fakenet_transport(&f.net);
	struct engine_opts eo = { .api = API_V4, .concurrency = 2, .max_attempts = 2,
	    .base_url = "https://fake" };
	struct rate rate;

	ecase_begin(&c, 1200);
	rate_init(&rate, 100000, 1000);
	struct engine *e = engine_new_transport(&tp, &rate, NULL, c.px.in, &c.px.plan,
	    &c.o, &eo, NULL, NULL);
	engine_queue_pending(e);
	engine_hold(e, true);
	for (int turns = 0; turns < 50; turns++)
		engine_turn(e, NULL, 0, 1);
	assert_int_equal(f.net.requests, 0);
	assert_false(engine_done(e));
	engine_hold(e, false);
	for (int turns = 0; !engine_done(e) && turns < 100000; turns++)
		engine_turn(e, NULL, 0, 5);
	assert_true(engine_done(e));
	assert_int_equal(f.net.requests, 3);
	assert_int_equal(c.o.count[OUTCOME_CREATED], 1200);
	engine_free(e);
	rate_free(&rate);
	ecase_end(&c);
}

static void
on_hold(void *arg, const struct engine_event *ev)
{
	if (ev->kind == ENGINE_EV_HOLD)
		(*(int *)arg)++;
}

/* The hold: with 4 in flight allowed, only the first 3 chunks leave until
 * their rows are settled; all failed alike, nothing more leaves, and a
 * stop there leaves the rest not_sent, stopped at the hold.  A portal that
 * creates holds nothing back. */
static void
test_hold_alike(void **state)
{
	(void)state;
	for (int refuse = 1; refuse >= 0; refuse--) {
		char *text = pairs(40, 1000);
		struct planfx px;
		struct outcomes o;
		struct fake f = { .net.answer = answer_unnamed,
		    .bad = refuse ? NULL : "none" };
		struct engine_transport tp = fakenet_transport(&f.net);
		struct engine_opts eo = { .api = API_V4, .concurrency = 4, .max_attempts = 2,
		    .backoff_base_ms = 2, .backoff_cap_ms = 4, .base_url = "https://fake",
		    .hold_alike = 3 };
		struct rate rate;
		int holds = 0;
		const char *cat, *msg;
		size_t failed;

		planfx_build(&px, text, "contacts", "companies", "279", 2);
		outcomes_init(&o, &px.plan, false);
		rate_init(&rate, 100000, 1000);
		struct engine *e = engine_new_transport(&tp, &rate, NULL, px.in, &px.plan,
		    &o, &eo, on_hold, &holds);
		engine_queue_pending(e);
		for (int turns = 0; !engine_done(e) && holds == 0 && turns < 100000; turns++)
			engine_turn(e, NULL, 0, 5);
		if (refuse) {
			assert_int_equal(holds, 1);
			assert_true(engine_holding(e, &cat, &msg, &failed));
			assert_int_equal(failed, 6);
			assert_string_equal(msg, "Unable to infer object type from: x");
			/* Each chunk refused, halved, refused alike: 3 requests. */
			assert_int_equal(f.net.requests, 9);
			assert_int_equal(engine_rows_waiting(e), 34);
			for (int turns = 0; turns < 50; turns++)
				engine_turn(e, NULL, 0, 1);
			assert_int_equal(f.net.requests, 9);
			assert_false(engine_done(e));
			engine_stop_at_hold(e);
			for (int turns = 0; !engine_done(e) && turns < 100000; turns++)
				engine_turn(e, NULL, 0, 5);
			assert_int_equal(o.count[OUTCOME_NOT_SENT], 34);
			assert_int_equal(o.count[OUTCOME_FAILED], 6);
			assert_string_equal(outcomes_error(&o, 39)->message,
			    "not sent: stopped at the hold; R or resume sends it");
			assert_int_equal(engine_stop_reason(e), ENGINE_INTERRUPTED);
		} else {
			assert_true(engine_done(e));
			assert_int_equal(holds, 0);
			assert_int_equal(o.count[OUTCOME_CREATED], 40);
			assert_int_equal(f.net.requests, 20);
		}
		engine_free(e);
		rate_free(&rate);
		outcomes_free(&o);
		planfx_free(&px);
		free(text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uniform_refusal),
		cmocka_unit_test(test_hold_alike),
		cmocka_unit_test(test_one_bad_row),
		cmocka_unit_test(test_lost_answers_unconfirmed),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
