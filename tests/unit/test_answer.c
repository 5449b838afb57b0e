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
		response_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
