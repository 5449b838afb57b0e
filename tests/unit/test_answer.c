/* test_answer.c: what every answer means, by table (answer_classify). */
#include "testutil.h"

#include "hubassoc/answer.h"

struct row {
	const char *name;
	int status;
	enum http_failure failure;
	const char *body;
	long retry_after_ms;
	enum answer_do act;
	enum answer_stop stop;
	const char *why;       /* a part of v.why, or NULL */
};

static const struct row rows[] = {
	{ "created", 201, HTTP_OK, "{\"status\":\"COMPLETE\",\"results\":[]}", -1,
	  ANSWER_ACCEPT, 0, NULL },
	{ "200 batch", 200, HTTP_OK, "{\"status\":\"COMPLETE\",\"results\":[]}", -1,
	  ANSWER_ACCEPT, 0, NULL },
	{ "207 batch", 207, HTTP_OK, "{\"status\":\"COMPLETE\",\"results\":[],"
	  "\"errors\":[{\"status\":\"error\",\"message\":\"x\"}]}", -1, ANSWER_ACCEPT, 0, NULL },
	{ "2xx cut short", 201, HTTP_OK, "{\"status\":\"COMP", -1, ANSWER_RETRY, 0,
	  "HTTP 201 with the body ends" },
	{ "2xx empty", 200, HTTP_OK, "", -1, ANSWER_RETRY, 0, "HTTP 200 with an empty body" },
	{ "400 invalid IDs", 400, HTTP_OK, "{\"status\":\"error\",\"message\":\"One or "
	  "more associations are invalid\",\"category\":\"VALIDATION_ERROR\",\"context\":"
	  "{\"INVALID_OBJECT_IDS\":[\"CONTACT=1 is not valid\"]}}", -1, ANSWER_REFUSED, 0, NULL },
	{ "400 HTML", 400, HTTP_OK, "<html>400</html>", -1, ANSWER_REFUSED, 0, NULL },
	{ "409", 409, HTTP_OK, "{\"status\":\"error\",\"message\":\"conflict\"}", -1,
	  ANSWER_REFUSED, 0, NULL },
	{ "2xx error body", 200, HTTP_OK, "{\"status\":\"error\",\"message\":\"no\"}", -1,
	  ANSWER_REFUSED, 0, NULL },
	{ "401", 401, HTTP_OK, "{\"status\":\"error\",\"message\":\"Authentication "
	  "credentials not found.\",\"category\":\"INVALID_AUTHENTICATION\"}", -1,
	  ANSWER_STOP, ANSWER_STOP_AUTH, "HubSpot answered 401: INVALID_AUTHENTICATION: "
	  "Authentication credentials not found." },
	{ "403 scopes", 403, HTTP_OK, "{\"status\":\"error\",\"message\":\"This app "
	  "hasn't been granted all required scopes\",\"category\":\"MISSING_SCOPES\","
	  "\"errors\":[{\"message\":\"One or more of the following scopes are required.\","
	  "\"context\":{\"requiredGranularScopes\":[\"crm.objects.contacts.write\"]}}]}",
	  -1, ANSWER_STOP, ANSWER_STOP_AUTH, "crm.objects.contacts.write" },
	{ "404", 404, HTTP_OK, "{\"status\":\"error\",\"message\":\"not found\"}", -1,
	  ANSWER_STOP, ANSWER_STOP_CONFIG, "HubSpot answered 404 to POST /x: not found; "
	  "check --base-url" },
	{ "429 DAILY", 429, HTTP_OK, "{\"status\":\"error\",\"message\":\"You have "
	  "reached your daily limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}",
	  -1, ANSWER_STOP, ANSWER_STOP_DAILY, "DAILY: You have reached your daily limit." },
	{ "429 ten-secondly", 429, HTTP_OK, "{\"status\":\"error\",\"message\":\"You "
	  "have reached your ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\","
	  "\"policyName\":\"TEN_SECONDLY_ROLLING\"}", -1, ANSWER_WAIT, 0, "TEN_SECONDLY_ROLLING" },
	{ "423", 423, HTTP_OK, "{\"status\":\"error\",\"message\":\"locked\"}", -1,
	  ANSWER_RETRY, 0, "HTTP 423: locked" },
	{ "500", 500, HTTP_OK, "{\"status\":\"error\",\"message\":\"internal error\"}", -1,
	  ANSWER_RETRY, 0, "HTTP 500: internal error" },
	{ "502 HTML", 502, HTTP_OK, "<html><title>502 Bad Gateway</title></html>", -1,
	  ANSWER_RETRY, 0, "HTTP 502: HTTP 502 with an HTML body" },
	/* The rest of hubspot-api.md §5, as captured. */
	{ "400 invalid type", 400, HTTP_OK, "{\"status\":\"error\",\"message\":\"One "
	  "or more associations are invalid\",\"category\":\"VALIDATION_ERROR\","
	  "\"context\":{\"associationSpec\":[\"USER_DEFINED=3\"],"
	  "\"INVALID_ASSOCIATION_TYPE_ID\":[\"USER_DEFINED=3 is not a valid association "
	  "definition id\"]}}", -1, ANSWER_REFUSED, 0,
	  "HubSpot answered 400 to POST /x: VALIDATION_ERROR: One or more" },
	{ "400 bad JSON, no category", 400, HTTP_OK, "{\"status\":\"error\",\"message\":"
	  "\"Invalid input JSON on line 1, column 3. Some required fields were not set: "
	  "[associationCategory, associationTypeId]\"}", -1, ANSWER_REFUSED, 0,
	  "HubSpot answered 400 to POST /x: Invalid input JSON on line 1" },
	{ "400 unknown object type", 400, HTTP_OK, "{\"status\":\"error\",\"message\":"
	  "\"Unable to infer object type from: cars\",\"correlationId\":\"x\"}", -1,
	  ANSWER_REFUSED, 0, "Unable to infer object type from: cars" },
	{ "400 detail items", 400, HTTP_OK, "{\"status\":\"error\",\"message\":\"bad\","
	  "\"category\":\"VALIDATION_ERROR\",\"errors\":[{\"message\":\"id is bad\","
	  "\"code\":\"INVALID_ID\",\"in\":\"inputs[0].from.id\",\"subCategory\":"
	  "{\"a\":1}}]}", -1, ANSWER_REFUSED, 0, NULL },
	{ "401 expired", 401, HTTP_OK, "{\"status\":\"error\",\"message\":\"The OAuth "
	  "token used to make this call expired 3 hour(s) ago.\",\"category\":"
	  "\"EXPIRED_AUTHENTICATION\",\"context\":{\"expire time\":[\"2026-01-01\"]}}",
	  -1, ANSWER_STOP, ANSWER_STOP_AUTH, "EXPIRED_AUTHENTICATION: The OAuth token" },
	{ "429 secondly", 429, HTTP_OK, "{\"status\":\"error\",\"message\":\"You have "
	  "reached your secondly limit.\",\"errorType\":\"RATE_LIMIT\",\"correlationId\":"
	  "\"x\",\"groupName\":\"publicapi:hapikey-secondly:1\",\"policyName\":"
	  "\"SECONDLY\",\"requestId\":\"y\"}", -1, ANSWER_WAIT, 0, "429 SECONDLY" },
	{ "503 empty", 503, HTTP_OK, "", -1, ANSWER_RETRY, 0, "HTTP 503: HTTP 503 with an "
	  "empty body" },
	{ "504 HTML", 504, HTTP_OK, "<html><head><title>504 Gateway Time-out</title>"
	  "</head></html>", -1, ANSWER_RETRY, 0, "504 Gateway Time-out" },
	{ "timeout", 0, HTTP_TIMEOUT, "", -1, ANSWER_RETRY, 0, NULL },
	{ "refused", 0, HTTP_CONNECT, "", -1, ANSWER_RETRY, 0, NULL },
	{ "TLS", 0, HTTP_TLS, "", -1, ANSWER_STOP, ANSWER_STOP_CONFIG, "TLS: " },
	{ "aborted", 0, HTTP_ABORTED, "", -1, ANSWER_ABORTED, 0, NULL },
};

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *t = &rows[i];
		struct http_result res = { .status = t->status, .failure = t->failure };
		struct response r;
		struct answer_verdict v;

		res.limits.retry_after_ms = t->retry_after_ms;
		snprintf(res.error, sizeof(res.error), "curl says so");
		response_parse(&r, t->failure == HTTP_OK ? t->status : 0, t->body,
		    strlen(t->body));
		answer_classify(&res, &r, "POST /x", &v);
		if (v.act != t->act)
			fail_msg("%s: act %d, want %d (%s)", t->name, v.act, t->act, v.why);
		if (t->act == ANSWER_STOP && v.stop != t->stop)
			fail_msg("%s: stop %d, want %d", t->name, v.stop, t->stop);
		if (t->why != NULL && strstr(v.why, t->why) == NULL)
			fail_msg("%s: why '%s' lacks '%s'", t->name, v.why, t->why);
		if (t->failure != HTTP_OK && t->failure != HTTP_ABORTED &&
		    t->failure != HTTP_TLS && !v.no_answer)
			fail_msg("%s: no answer not said", t->name);
		/* It may have been done: it left, and nothing usable came. */
		bool maybe = (t->failure != HTTP_OK && t->failure != HTTP_CONNECT &&
		    t->failure != HTTP_TLS) || (t->failure == HTTP_OK && t->act == ANSWER_RETRY &&
		    t->status >= 200 && t->status < 300);
		if (v.maybe_done != maybe)
			fail_msg("%s: maybe_done %d, want %d", t->name, v.maybe_done, maybe);
		response_free(&r);
	}
}

/* A 429 waits by what it says: Retry-After first, then its policy (a
 * second for SECONDLY), then the window its headers name, else the
 * caller's window (-1). */
static void
test_429_waits(void **state)
{
	(void)state;
	static const struct { const char *policy; long retry_after, interval, want;
	    bool said; } t[] = {
		{ "SECONDLY", -1, -1, 1000, false },
		{ "SECONDLY", -1, 10000, 1000, false },
		{ "TEN_SECONDLY_ROLLING", -1, 10000, 10000, false },
		{ "TEN_SECONDLY_ROLLING", -1, -1, -1, false },
		{ NULL, -1, 1000, 1000, false },
		{ NULL, -1, -1, -1, false },
		{ "TEN_SECONDLY_ROLLING", 86400000, 10000, 86400000, true },
		{ "SECONDLY", 3000, -1, 3000, true },
		/* Retry-After: 0 is no hint: the policy's span, as without. */
		{ "SECONDLY", 0, -1, 1000, false },
		{ "TEN_SECONDLY_ROLLING", 0, 10000, 10000, false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct http_result res = { .status = 429, .failure = HTTP_OK };
		struct response r;
		struct answer_verdict v;
		char *body = t[i].policy != NULL ? xasprintf("{\"status\":\"error\","
		    "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"%s\"}", t[i].policy) :
		    xstrdup("{\"status\":\"error\",\"message\":\"slow down\"}");
		res.limits.retry_after_ms = t[i].retry_after;
		res.limits.interval_ms = t[i].interval;
		response_parse(&r, 429, body, strlen(body));
		answer_classify(&res, &r, "GET /x", &v);
		assert_int_equal(v.act, ANSWER_WAIT);
		if (v.wait_ms != t[i].want)
			fail_msg("row %zu: waits %ld, want %ld", i, v.wait_ms, t[i].want);
		assert_int_equal(v.retry_after, t[i].said);
		response_free(&r);
		free(body);
	}
}

/* How long a request keeps trying: attempts, 429 time, silence. */
static void
test_next(void **state)
{
	(void)state;
	const struct answer_bounds b = { .max_attempts = 3, .max_wait_ms = 5000,
	    .silent_ms = 9000, .window_ms = 10200, .backoff_base_ms = 500,
	    .backoff_cap_ms = 30000, .base_url = "https://x" };
	struct answer_verdict v = { .act = ANSWER_RETRY, .why = "HTTP 502" };
	struct answer_tries t = { 0 };
	uint64_t rng = 1, wait;
	bool dead;
	char msg[600];

	/* 5xx: backs off, then gives the rows up; the run goes on. */
	assert_int_equal(answer_next(&t, &v, HTTP_OK, 0, 0, &b, &rng, &wait, &dead,
	    msg, sizeof(msg)), ANSWER_AGAIN);
	assert_true(wait >= 250 && wait <= 500);
	assert_int_equal(answer_next(&t, &v, HTTP_OK, 0, 0, &b, &rng, &wait, &dead,
	    msg, sizeof(msg)), ANSWER_AGAIN);
	assert_true(wait >= 500 && wait <= 1000);
	assert_int_equal(answer_next(&t, &v, HTTP_OK, 0, 0, &b, &rng, &wait, &dead,
	    msg, sizeof(msg)), ANSWER_GIVE_UP);
	assert_false(dead);
	assert_non_null(strstr(msg, "gave up after 3 attempts; the last: HTTP 502"));

	/* Refused connections on every attempt: the run stops. */
	memset(&t, 0, sizeof(t));
	snprintf(v.why, sizeof(v.why), "Couldn't connect to server");
	for (int i = 0; i < 2; i++)
		assert_int_equal(answer_next(&t, &v, HTTP_CONNECT, 0, 10, &b, &rng,
		    &wait, &dead, msg, sizeof(msg)), ANSWER_AGAIN);
	assert_int_equal(answer_next(&t, &v, HTTP_CONNECT, 0, 10, &b, &rng, &wait,
	    &dead, msg, sizeof(msg)), ANSWER_STOP_RUN);
	assert_true(dead);
	assert_non_null(strstr(msg, "cannot reach https://x after 3 attempts"));

	/* Silence: from the first attempt that heard nothing. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(answer_next(&t, &v, HTTP_TIMEOUT, 1000, 4000, &b, &rng,
	    &wait, &dead, msg, sizeof(msg)), ANSWER_AGAIN);
	assert_int_equal(answer_next(&t, &v, HTTP_TIMEOUT, 4500, 10000, &b, &rng,
	    &wait, &dead, msg, sizeof(msg)), ANSWER_STOP_RUN);
	assert_true(dead);
	assert_non_null(strstr(msg, "no answer from https://x for 9 s"));
	/* An answer between ends the silence. */
	memset(&t, 0, sizeof(t));
	answer_next(&t, &v, HTTP_TIMEOUT, 1000, 4000, &b, &rng, &wait, &dead, msg,
	    sizeof(msg));
	answer_next(&t, &v, HTTP_OK, 4500, 5000, &b, &rng, &wait, &dead, msg, sizeof(msg));
	assert_int_equal(t.silent_since, 0);

	/* 429s: no attempt used, waited while the total is under max_wait. */
	struct answer_verdict w = { .act = ANSWER_WAIT, .wait_ms = 1000,
	    .policy = "SECONDLY" };
	memset(&t, 0, sizeof(t));
	for (uint64_t now = 100; now < 4100; now += 1000) {
		assert_int_equal(answer_next(&t, &w, HTTP_OK, now, now, &b, &rng, &wait,
		    &dead, msg, sizeof(msg)), ANSWER_AGAIN);
		assert_int_equal(wait, 1000);
	}
	assert_int_equal(t.attempts, 0);
	assert_int_equal(answer_next(&t, &w, HTTP_OK, 5100, 5100, &b, &rng, &wait,
	    &dead, msg, sizeof(msg)), ANSWER_STOP_RUN);
	assert_false(dead);
	assert_non_null(strstr(msg, "429s (SECONDLY) for longer than --max-wait 5 s"));
	/* A Retry-After past the bound: at once, said as such. */
	struct answer_verdict ra = { .act = ANSWER_WAIT, .wait_ms = 86400000,
	    .retry_after = true };
	memset(&t, 0, sizeof(t));
	assert_int_equal(answer_next(&t, &ra, HTTP_OK, 0, 0, &b, &rng, &wait, &dead,
	    msg, sizeof(msg)), ANSWER_STOP_RUN);
	assert_non_null(strstr(msg, "a wait of 24 h (Retry-After on a 429)"));
	/* Short Retry-After waits that add up past the bound are the 429s'
	 * doing, not a wait the server asked for. */
	struct answer_verdict ra1 = { .act = ANSWER_WAIT, .wait_ms = 1000,
	    .retry_after = true, .policy = "SECONDLY" };
	memset(&t, 0, sizeof(t));
	for (uint64_t now = 100; now < 5100; now += 1000)
		assert_int_equal(answer_next(&t, &ra1, HTTP_OK, now, now, &b, &rng,
		    &wait, &dead, msg, sizeof(msg)), ANSWER_AGAIN);
	assert_int_equal(answer_next(&t, &ra1, HTTP_OK, 5100, 5100, &b, &rng, &wait,
	    &dead, msg, sizeof(msg)), ANSWER_STOP_RUN);
	assert_null(strstr(msg, "asked for a wait"));
	assert_non_null(strstr(msg, "429s (SECONDLY) for longer than --max-wait 5 s"));
	/* No wait named: the caller's window. */
	struct answer_verdict none = { .act = ANSWER_WAIT, .wait_ms = -1 };
	struct answer_bounds lb = b;
	lb.max_wait_ms = 600000;
	memset(&t, 0, sizeof(t));
	assert_int_equal(answer_next(&t, &none, HTTP_OK, 0, 0, &lb, &rng, &wait, &dead,
	    msg, sizeof(msg)), ANSWER_AGAIN);
	assert_int_equal(wait, 10200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_429_waits),
		cmocka_unit_test(test_next),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
