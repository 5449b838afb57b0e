/* test_request.c: paths, batch/create bodies and curl commands. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "hubassoc/request.h"
#include "planfx.h"

static void
test_paths(void **state)
{
	(void)state;
	struct objtype f, t;
	char *c = NULL;
	struct buf b = BUF_INIT;
	objtype_parse("contact", &f, &c);
	objtype_parse("2-77", &t, &c);
	request_assoc_path(&b, API_V4, &f, &t, "batch/create");
	assert_string_equal(buf_str(&b), "/crm/v4/associations/contacts/2-77/batch/create");
	buf_reset(&b);
	request_assoc_path(&b, API_2026_03, &f, &t, "batch/create");
	assert_string_equal(buf_str(&b),
	    "/crm/associations/2026-03/contacts/2-77/batch/create");
	buf_free(&b);
	enum api_version v;
	assert_int_equal(api_version_parse("2026-03", &v), 0);
	assert_int_equal(v, API_2026_03);
	assert_string_equal(api_version_name(v), "2026-03");
	assert_int_equal(api_version_parse("v3", &v), -1);
}

static void
test_body_exact(void **state)
{
	(void)state;
	struct planfx f;
	char *cause = NULL;
	planfx_build(&f, "101,202\n00103,204,Primary;279\n", "contacts",
	    "companies", "279", 0);
	char *body = request_create_body(&f.plan, f.in, 0, &cause);
	assert_non_null(body);
	assert_string_equal(body,
	    "{\"inputs\":["
	    "{\"from\":{\"id\":\"101\"},\"to\":{\"id\":\"202\"},\"types\":["
	    "{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":279}]},"
	    "{\"from\":{\"id\":\"103\"},\"to\":{\"id\":\"204\"},\"types\":["
	    "{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":1},"
	    "{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":279}]}]}");
	free(body);
	assert_null(request_create_body(&f.plan, f.in, 1, &cause));
	free(cause);
	planfx_free(&f);
}

static void
test_big_chunk_round_trip(void **state)
{
	(void)state;
	struct buf text = BUF_INIT;
	struct planfx f;
	char *cause = NULL;

	for (int i = 0; i < 2000; i++)
		buf_printf(&text, "%lld,%lld\n", 12345678901234567LL + i,
		    98765432109876543LL + i);
	planfx_build(&f, buf_str(&text), "contacts", "companies",
	    "USER_DEFINED:36", 2000);
	assert_int_equal(f.plan.nchunks, 1);
	char *body = request_create_body(&f.plan, f.in, 0, &cause);
	cJSON *root = cJSON_Parse(body);
	cJSON *inputs = cJSON_GetObjectItem(root, "inputs");
	assert_int_equal(cJSON_GetArraySize(inputs), 2000);
	cJSON *last = cJSON_GetArrayItem(inputs, 1999);
	/* IDs travel as strings, every digit intact. */
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(last, "from"),
	    "id")->valuestring, "12345678901236566");
	cJSON *type = cJSON_GetArrayItem(cJSON_GetObjectItem(last, "types"), 0);
	assert_string_equal(cJSON_GetObjectItem(type, "associationCategory")->valuestring,
	    "USER_DEFINED");
	assert_int_equal(cJSON_GetObjectItem(type, "associationTypeId")->valueint, 36);
	cJSON_Delete(root);
	free(body);
	planfx_free(&f);
	buf_free(&text);
}

static void
test_unresolved_label_refused(void **state)
{
	(void)state;
	struct planfx f;
	char *cause = NULL;
	planfx_build(&f, "101,202\n", "contacts", "companies", "Billing contact", 0);
	assert_null(request_create_body(&f.plan, f.in, 0, &cause));
	assert_non_null(strstr(cause, "Billing contact"));
	assert_non_null(strstr(cause, "line 1"));
	free(cause);
	planfx_free(&f);
}

static void
test_curl(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	request_curl(&b, "POST", "https://api.hubapi.com/crm/v4/associations/contacts/"
	    "companies/batch/create", "{\"inputs\":[]}");
	assert_string_equal(buf_str(&b),
	    "curl -sS -X POST 'https://api.hubapi.com/crm/v4/associations/contacts/"
	    "companies/batch/create' \\\n"
	    "  -H \"Authorization: Bearer $HUBSPOT_ACCESS_TOKEN\" \\\n"
	    "  -H 'Content-Type: application/json' \\\n"
	    "  --data-binary @- <<'HUBASSOC_BODY'\n"
	    "{\"inputs\":[]}\n"
	    "HUBASSOC_BODY\n");
	buf_reset(&b);
	/* A quote in the URL cannot break out of the shell word. */
	request_curl(&b, "GET", "https://x/it's", NULL);
	assert_non_null(strstr(buf_str(&b), "'https://x/it'\\''s'"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_body_exact),
		cmocka_unit_test(test_big_chunk_round_trip),
		cmocka_unit_test(test_unresolved_label_refused),
		cmocka_unit_test(test_curl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
