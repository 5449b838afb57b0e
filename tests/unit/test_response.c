/* test_response.c: every answer shape of hubspot-api.md §5, and hostile ones. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "hubassoc/response.h"

static void
parse_fixture(struct response *r, const char *name, int status)
{
	size_t len;
	char *body = fixture(name, &len);

	response_parse(r, status, body, len);
	free(body);
}

static void
test_created_201(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "create-201.json", 201);
	assert_int_equal(r.kind, RESPONSE_BATCH);
	assert_string_equal(r.status, "COMPLETE");
	assert_int_equal(r.nresults, 2);
	/* Past 2^31, kept exactly. */
	assert_string_equal(r.results[0].from_id, "38374264688");
	assert_string_equal(r.results[0].to_id, "101935997007");
	assert_string_equal(r.results[0].from_type, "0-1");
	assert_int_equal(r.results[0].nlabels, 0);
	assert_int_equal(r.results[1].nlabels, 1);
	assert_string_equal(r.results[1].labels[0], "Billing contact");
	assert_int_equal(r.nerrors, 0);
	assert_int_equal(r.num_errors, -1);
	assert_int_equal(r.anomalies, 0);
	assert_string_equal(r.completed_at, "2026-11-07T05:31:56.301Z");
	response_free(&r);
}

static void
test_created_200_string_ids(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "create-200-string-ids.json", 200);
	assert_int_equal(r.kind, RESPONSE_BATCH);
	assert_int_equal(r.nresults, 1);
	assert_string_equal(r.results[0].from_id, "101");
	assert_string_equal(r.results[0].to_id, "202");
	assert_int_equal(r.anomalies, 0);
	assert_string_equal(r.requested_at, "2026-11-07T05:31:56.100Z");
	response_free(&r);
}

static void
test_partial_207(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "create-207.json", 207);
	assert_int_equal(r.kind, RESPONSE_BATCH);
	assert_int_equal(r.nresults, 1);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.num_errors, 1);
	const struct hs_error *e = &r.errors[0];
	assert_string_equal(e->category, "VALIDATION_ERROR");
	assert_string_equal(e->status, "error");
	const struct hs_context *c = hs_error_context(e, "INVALID_OBJECT_IDS");
	assert_non_null(c);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->values[1], "COMPANY=998 is not valid");
	assert_int_equal(e->nerrors, 0);
	response_free(&r);
}

static void
test_error_bodies(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		int status;
		const char *category;
		const char *policy;
	} cases[] = {
		{ "error-400-invalid-ids.json", 400, "VALIDATION_ERROR", NULL },
		{ "error-400-invalid-type.json", 400, "VALIDATION_ERROR", NULL },
		{ "error-400-bad-json.json", 400, NULL, NULL },
		{ "error-401.json", 401, "INVALID_AUTHENTICATION", NULL },
		{ "error-401-expired.json", 401, "EXPIRED_AUTHENTICATION", NULL },
		{ "error-403-scopes.json", 403, "MISSING_SCOPES", NULL },
		{ "error-429-ten-secondly.json", 429, NULL, "TEN_SECONDLY_ROLLING" },
		{ "error-429-secondly.json", 429, NULL, "SECONDLY" },
		{ "error-429-daily.json", 429, NULL, "DAILY" },
		{ "error-500.json", 500, NULL, NULL },
		{ "error-423.json", 423, "LOCKED", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct response r;
		print_message("  %s\n", cases[i].file);
		parse_fixture(&r, cases[i].file, cases[i].status);
		assert_int_equal(r.kind, RESPONSE_ERROR);
		assert_int_equal(r.http_status, cases[i].status);
		assert_string_equal(r.error.status, "error");
		assert_non_null(r.error.message);
		assert_non_null(r.error.correlation_id);
		if (cases[i].category != NULL)
			assert_string_equal(r.error.category, cases[i].category);
		else
			assert_null(r.error.category);
		if (cases[i].policy != NULL) {
			assert_string_equal(r.error.policy_name, cases[i].policy);
			assert_string_equal(r.error.error_type, "RATE_LIMIT");
		}
		assert_int_equal(r.anomalies, 0);
		response_free(&r);
	}
}

static void
test_error_details(void **state)
{
	(void)state;
	struct response r;
	struct buf b = BUF_INIT;

	parse_fixture(&r, "error-401-expired.json", 401);
	assert_non_null(hs_error_context(&r.error, "expire time"));
	response_free(&r);

	parse_fixture(&r, "error-403-scopes.json", 403);
	assert_int_equal(r.error.nerrors, 1);
	const struct hs_context *c = hs_error_context(&r.error.errors[0],
	    "requiredGranularScopes");
	assert_non_null(c);
	assert_string_equal(c->values[0], "crm.objects.contacts.write");
	assert_int_equal(r.error.nlinks, 1);
	assert_string_equal(r.error.links[0].key, "scopes");
	hs_error_summary(&b, &r.error);
	/* The scopes to grant first, where a narrow line still shows them. */
	assert_true(strncmp(buf_str(&b), "MISSING_SCOPES: needs scopes: "
	    "crm.objects.contacts.write, crm.objects.companies.write; ", 87) == 0);
	response_free(&r);

	buf_reset(&b);
	parse_fixture(&r, "error-429-daily.json", 429);
	hs_error_summary(&b, &r.error);
	assert_string_equal(buf_str(&b), "DAILY: You have reached your daily limit.");
	response_free(&r);
	buf_free(&b);
}

static void
test_sub_category_both_forms(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "error-subcategory.json", 400);
	assert_int_equal(r.kind, RESPONSE_ERROR);
	/* An object, kept as compact JSON. */
	assert_string_equal(r.error.sub_category,
	    "{\"name\":\"AssociationError\",\"detail\":\"bad spec\"}");
	assert_int_equal(r.error.nerrors, 1);
	const struct hs_error *d = &r.error.errors[0];
	assert_string_equal(d->sub_category, "crm.associations.INVALID_FROM_ID");
	assert_string_equal(d->code, "INVALID_ID");
	assert_string_equal(d->in, "inputs[0].from.id");
	assert_int_equal(d->nerrors, 1);
	assert_string_equal(d->errors[0].message, "deeper");
	response_free(&r);
}

static void
test_html_and_empty(void **state)
{
	(void)state;
	struct response r;
	/* An error status without JSON is an error all the same, with the
	 * status and the page's text, escaped and cut, as its message. */
	parse_fixture(&r, "error-502.html", 502);
	assert_int_equal(r.kind, RESPONSE_ERROR);
	assert_non_null(strstr(r.parse_error, "HTML"));
	assert_non_null(strstr(r.error.message, "HTTP 502 with an HTML body of "));
	assert_non_null(strstr(r.error.message, "502 Bad Gateway"));
	assert_null(strchr(r.error.message, '<'));
	response_free(&r);
	static const char page[] = "<html><title>400 Bad Request</title>\n<body>"
	    "\x1b]52;c;aGk=\x07Your   browser sent a request that this server could "
	    "not understand. Lorem ipsum dolor sit amet, consectetur adipiscing elit, "
	    "sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut "
	    "enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
	    "aliquip ex ea commodo consequat.</body></html>";
	response_parse(&r, 400, page, sizeof(page) - 1);
	assert_int_equal(r.kind, RESPONSE_ERROR);
	assert_non_null(strstr(r.error.message, "HTTP 400 with an HTML body of 369 "
	    "bytes: 400 Bad Request \\e]52;c;aGk=\\x07Your browser sent"));
	assert_null(strchr(r.error.message, '\x1b'));
	assert_true(strlen(r.error.message) < 300);
	assert_non_null(strstr(r.error.message, "et do\xe2\x80\xa6"));
	response_free(&r);
	/* A title said again as the heading: said once. */
	static const char edge[] = "<html><head><title>400 Bad Request</title></head>"
	    "<body><center><h1>400 Bad Request</h1></center><center>Request Header "
	    "Or Cookie Too Large</center><hr><center>cloudflare</center></body></html>";
	response_parse(&r, 400, edge, sizeof(edge) - 1);
	assert_string_equal(strstr(r.error.message, "bytes: "), "bytes: 400 Bad "
	    "Request Request Header Or Cookie Too Large cloudflare");
	response_free(&r);
	static const char twice[] = "<title>Forbidden</title><h1>Forbidden</h1>";
	response_parse(&r, 403, twice, sizeof(twice) - 1);
	assert_string_equal(strstr(r.error.message, "bytes: "), "bytes: Forbidden");
	response_free(&r);
	response_parse(&r, 504, "", 0);
	assert_int_equal(r.kind, RESPONSE_ERROR);
	assert_string_equal(r.error.message, "HTTP 504 with an empty body");
	response_free(&r);
	response_parse(&r, 503, NULL, 0);
	assert_int_equal(r.kind, RESPONSE_ERROR);
	response_free(&r);
	response_parse(&r, 200, " \r\n", 3);
	assert_int_equal(r.kind, RESPONSE_EMPTY);
	response_free(&r);
}

static void
test_truncated(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "hostile-truncated.json", 201);
	assert_int_equal(r.kind, RESPONSE_NOT_JSON);
	assert_non_null(strstr(r.parse_error, "cut short"));
	response_free(&r);
	/* Every prefix of a good body is safe to parse. */
	size_t len;
	char *body = fixture("create-207.json", &len);
	for (size_t n = 0; n < len; n++) {
		response_parse(&r, 207, body, n);
		assert_true(r.kind == RESPONSE_NOT_JSON || r.kind == RESPONSE_EMPTY ||
		    n >= len - 2);
		response_free(&r);
	}
	free(body);
	response_parse(&r, 200, "{\"status\":\"COMPLETE\"} trailing", 30);
	assert_int_equal(r.kind, RESPONSE_NOT_JSON);
	response_free(&r);
}

static void
test_wrong_types_everywhere(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "hostile-wrong-types.json", 207);
	assert_int_equal(r.kind, RESPONSE_BATCH);
	assert_true(r.anomalies >= 5);
	assert_non_null(r.anomaly);
	assert_int_equal(r.nresults, 0);
	assert_int_equal(r.num_errors, -1);
	/* The object entry, the bare string; numbers and null skipped. */
	assert_int_equal(r.nerrors, 2);
	const struct hs_error *e = &r.errors[0];
	assert_string_equal(e->message, "42");
	assert_null(e->category); /* an object is not a category */
	const struct hs_context *c = hs_error_context(e, "INVALID_OBJECT_IDS");
	assert_non_null(c);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->values[0], "COMPANY=202 is not valid");
	c = hs_error_context(e, "objectId");
	assert_int_equal(c->n, 3);
	assert_string_equal(c->values[0], "202");
	assert_string_equal(c->values[1], "null");
	assert_string_equal(c->values[2], "{\"id\":\"9\"}");
	assert_string_equal(r.errors[1].message, "just a string");
	response_free(&r);
}

static void
test_hostile_results(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "hostile-results.json", 201);
	assert_int_equal(r.kind, RESPONSE_BATCH);
	/* Only the readable ones are kept. */
	assert_int_equal(r.nresults, 2);
	assert_string_equal(r.results[0].from_id, "101");
	assert_int_equal(r.results[0].nlabels, 1);
	assert_string_equal(r.results[0].labels[0], "ok");
	assert_string_equal(r.results[1].from_id, "1000");
	assert_string_equal(r.results[1].to_id, "200");
	assert_int_equal(r.bad_results, 8);
	response_free(&r);
}

static void
test_big_ids_without_loss(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "big-ids.json", 201);
	assert_int_equal(r.kind, RESPONSE_BATCH);
	assert_int_equal(r.nresults, 2);
	/* 2^53 + 1 would come back as ...992 through a double. */
	assert_string_equal(r.results[0].from_id, "9007199254740993");
	assert_string_equal(r.results[0].to_id, "12345678901234567890");
	assert_string_equal(r.results[1].from_id, "99999999999999999999");
	assert_string_equal(r.results[1].to_id, "42");
	assert_int_equal(r.bad_results, 2);
	response_free(&r);
}

static void
test_protect_big_ints(void **state)
{
	(void)state;
	size_t n;
	const char *in = "{\"a\":12345678901234567,\"b\":\"12345678901234567\","
	    "\"c\":1.2345678901234567e5,\"d\":[-12345678901234567,5],"
	    "\"e\":\"q\\\"1234567890123456789\"}";
	char *out = json_protect_big_ints(in, strlen(in), &n);
	assert_string_equal(out, "{\"a\":\"12345678901234567\",\"b\":\"12345678901234567\","
	    "\"c\":1.2345678901234567e5,\"d\":[\"-12345678901234567\",5],"
	    "\"e\":\"q\\\"1234567890123456789\"}");
	assert_int_equal(n, strlen(out));
	free(out);
}

static void
test_ten_thousand_results(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct response r;

	buf_addstr(&b, "{\"status\":\"COMPLETE\",\"results\":[");
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "%s{\"fromObjectTypeId\":\"0-1\",\"fromObjectId\":%lld,"
		    "\"toObjectTypeId\":\"0-2\",\"toObjectId\":%lld,\"labels\":[]}",
		    i ? "," : "", 100000000000LL + i, 200000000000LL + i);
	buf_addstr(&b, "]}");
	response_parse(&r, 201, b.data, b.len);
	assert_int_equal(r.kind, RESPONSE_BATCH);
	assert_int_equal(r.nresults, 10000);
	assert_string_equal(r.results[9999].from_id, "100000009999");
	assert_string_equal(r.results[9999].to_id, "200000009999");
	response_free(&r);
	buf_free(&b);
}

/* 4 MiB of tiny objects would cost the parser about 117 MB: an answer
 * denser than any real one is not parsed, said as such.  Real ones of the
 * densest kinds (batch read's, short IDs) are, well under the bound. */
static void
test_too_dense(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct response r;

	const char *t = "{\"a\":[1,true,null,\"x\"],\"b\":-2.5e3}";
	assert_int_equal(json_count_values(t, strlen(t)), 9);
	t = "\"a,{[1\\\"\"";
	assert_int_equal(json_count_values(t, strlen(t)), 1);
	buf_addstr(&b, "{\"results\":[");
	while (b.len < (4u << 20) - 16)
		buf_addstr(&b, "{},");
	buf_addstr(&b, "{}]}");
	assert_true(json_too_dense(b.data, b.len));
	response_parse(&r, 200, b.data, b.len);
	assert_int_equal(r.kind, RESPONSE_NOT_JSON);
	assert_non_null(strstr(r.parse_error, "more than any answer does: not read"));
	response_free(&r);
	assert_null(json_parse_answer(b.data, b.len));
	/* A batch read's answer of 1,000 inputs with short IDs and two types a
	 * pair: dense as real answers get, and read. */
	buf_reset(&b);
	buf_addstr(&b, "{\"status\":\"COMPLETE\",\"results\":[");
	for (int i = 0; i < 1000; i++) {
		buf_printf(&b, "%s{\"from\":{\"id\":\"%d\"},\"to\":[", i ? "," : "", i);
		for (int k = 0; k < 40; k++)
			buf_printf(&b, "%s{\"toObjectId\":%d,\"associationTypes\":["
			    "{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":1,\"label\":\"Primary\"},"
			    "{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":279,\"label\":null}]}",
			    k ? "," : "", k);
		buf_addstr(&b, "]}");
	}
	buf_addstr(&b, "]}");
	assert_false(json_too_dense(b.data, b.len));
	cJSON *root = json_parse_answer(b.data, b.len);
	assert_non_null(root);
	cJSON_Delete(root);
	buf_free(&b);
}

static void
test_deep_nesting(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct response r;
	int depth = 200;

	/* errors[].errors[]... 200 deep: kept to the limit, the rest counted. */
	buf_addstr(&b, "{\"status\":\"error\",\"message\":\"top\"");
	for (int i = 0; i < depth; i++)
		buf_addstr(&b, ",\"errors\":[{\"message\":\"level\"");
	for (int i = 0; i < depth; i++)
		buf_addstr(&b, "}]");
	buf_addc(&b, '}');
	response_parse(&r, 400, b.data, b.len);
	assert_int_equal(r.kind, RESPONSE_ERROR);
	const struct hs_error *e = &r.error;
	int levels = 0;
	while (e->nerrors > 0) {
		e = &e->errors[0];
		levels++;
	}
	assert_int_equal(levels, RESPONSE_DEPTH_MAX);
	assert_int_equal(e->omitted, 1);
	response_free(&r);

	/* Past the JSON parser's own limit: refused, not crashed. */
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_addc(&b, '[');
	response_parse(&r, 200, b.data, b.len);
	assert_int_equal(r.kind, RESPONSE_NOT_JSON);
	response_free(&r);
	buf_free(&b);
}

static void
test_huge_string_cut(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct response r;

	buf_addstr(&b, "{\"status\":\"error\",\"message\":\"");
	for (int i = 0; i < 200000; i++)
		buf_addstr(&b, "\xc3\xa9");
	buf_addstr(&b, "\"}");
	response_parse(&r, 400, b.data, b.len);
	assert_true(strlen(r.error.message) <= RESPONSE_STRING_MAX + 3);
	/* Cut on a character boundary, marked with an ellipsis. */
	size_t n = strlen(r.error.message);
	assert_memory_equal(r.error.message + n - 3, "\xe2\x80\xa6", 3);
	assert_memory_equal(r.error.message + n - 5, "\xc3\xa9", 2);
	response_free(&r);
	buf_free(&b);
}

static void
test_not_an_object(void **state)
{
	(void)state;
	struct response r;
	response_parse(&r, 200, "[1,2]", 5);
	assert_int_equal(r.kind, RESPONSE_UNEXPECTED);
	response_free(&r);
	response_parse(&r, 200, "{\"hello\":1}", 11);
	assert_int_equal(r.kind, RESPONSE_UNEXPECTED);
	response_free(&r);
	/* 200 with an error body is an error. */
	response_parse(&r, 200, "{\"status\":\"error\",\"message\":\"x\"}", 32);
	assert_int_equal(r.kind, RESPONSE_ERROR);
	response_free(&r);
}

static void
test_error_dup(void **state)
{
	(void)state;
	struct response r;
	parse_fixture(&r, "error-subcategory.json", 400);
	struct hs_error *d = hs_error_dup(&r.error);
	response_free(&r);
	assert_string_equal(d->errors[0].errors[0].message, "deeper");
	assert_string_equal(hs_error_context(&d->errors[0], "fromObjectId")->values[0],
	    "777");
	hs_error_clear(d);
	free(d);
}

/* A refusal of a request's size: how many inputs the portal takes, in
 * the words the sandbox and HubSpot use; nothing from other messages. */
static void
test_inputs_max(void **state)
{
	static const struct { const char *msg; size_t want; } cases[] = {
		{ "Batch input size of 100 exceeds the maximum of 20 inputs", 20 },
		{ "The maximum number of inputs supported in a batch request for "
		    "property histories is 50. Please reduce the number of items and "
		    "try again", 50 },
		{ "MAXIMUM of 2000 inputs", 2000 },
		{ "The maximum. Then 12 inputs", 0 },        /* another sentence */
		{ "exceeds the maximum of 99999999 inputs", 0 },  /* not a size */
		{ "Property values were not valid: maximum length 10", 0 },
		{ "Batch input size exceeds the maximum of inputs", 0 },
		{ "", 0 },
	};
	struct hs_error e = { 0 };

	(void)state;
	assert_int_equal(hs_error_inputs_max(NULL), 0);
	assert_int_equal(hs_error_inputs_max(&e), 0);
	for (size_t i = 0; i < HA_ARRAY_LEN(cases); i++) {
		e.message = (char *)cases[i].msg;
		assert_int_equal(hs_error_inputs_max(&e), cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created_201),
		cmocka_unit_test(test_inputs_max),
		cmocka_unit_test(test_created_200_string_ids),
		cmocka_unit_test(test_partial_207),
		cmocka_unit_test(test_error_bodies),
		cmocka_unit_test(test_error_details),
		cmocka_unit_test(test_sub_category_both_forms),
		cmocka_unit_test(test_html_and_empty),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_wrong_types_everywhere),
		cmocka_unit_test(test_hostile_results),
		cmocka_unit_test(test_big_ids_without_loss),
		cmocka_unit_test(test_protect_big_ints),
		cmocka_unit_test(test_ten_thousand_results),
		cmocka_unit_test(test_too_dense),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_string_cut),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_error_dup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
