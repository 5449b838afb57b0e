/* test_export.c: records in JSON lines, CSV and JSON. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "hubassoc/export.h"
#include "planfx.h"

static char *
render(const struct export_src *s, enum export_format f)
{
	struct buf b = BUF_INIT;

	export_begin(&b, f, s);
	for (size_t i = 0; i < s->in->nrows; i++) {
		if (f == EXPORT_JSON && i > 0)
			buf_addstr(&b, ",\n");
		export_row(&b, f, s, i);
	}
	export_end(&b, f);
	return buf_detach(&b);
}

/* The record of design.md's example, byte for byte. */
static void
test_design_example(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	struct response r;
	struct buf text = BUF_INIT;

	/* Line 12 goes into chunk 3 with a chunk size of 5. */
	for (int i = 1; i <= 11; i++)
		buf_printf(&text, "%d,%d\n", 1000 + i, 2000 + i);
	buf_addstr(&text, "101,202\n");
	planfx_build(&f, buf_str(&text), "contacts", "companies", "279", 5);
	outcomes_init(&o, &f.plan, false);
	size_t n;
	const uint32_t *rows = plan_chunk_rows(&f.plan, 2, &n);
	const char *body = "{\"status\":\"COMPLETE\",\"results\":[],\"numErrors\":1,"
	    "\"errors\":[{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
	    "\"message\":\"One or more associations are invalid\",\"context\":"
	    "{\"INVALID_OBJECT_IDS\":[\"COMPANY=202 is not valid\","
	    "\"COMPANY=999 is not valid\"]},\"errors\":[],\"links\":{}}]}";
	response_parse(&r, 207, body, strlen(body));
	join_batch(&o, &f.plan, f.in, rows, n, 2, &r, &rep);
	response_free(&r);

	struct export_src s = { f.in, &f.plan, &o, NULL, NULL, NULL, NULL, NULL };
	struct buf b = BUF_INIT;
	export_row(&b, EXPORT_JSONL, &s, 11);
	assert_string_equal(buf_str(&b),
	    "{\"line\":12,\"from\":\"101\",\"to\":\"202\",\"types\":[\"HUBSPOT_DEFINED:279\"],"
	    "\"outcome\":\"failed\",\"http_status\":207,\"chunk\":3,\"labels\":[],"
	    "\"error\":{\"category\":\"VALIDATION_ERROR\",\"message\":\"One or more "
	    "associations are invalid\",\"context\":{\"INVALID_OBJECT_IDS\":"
	    "[\"COMPANY=202 is not valid\"]}},\"send\":1,\"attempts\":1}\n");
	buf_reset(&b);
	export_row(&b, EXPORT_CSV, &s, 11);
	assert_string_equal(buf_str(&b),
	    "12,101,202,HUBSPOT_DEFINED:279,failed,207,3,,VALIDATION_ERROR,"
	    "One or more associations are invalid,"
	    "\"{\"\"INVALID_OBJECT_IDS\"\":[\"\"COMPANY=202 is not valid\"\"]}\",,1,1,,\n");
	buf_free(&b);
	outcomes_free(&o);
	planfx_free(&f);
	buf_free(&text);
}

static void
test_every_format_every_row(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	/* Hostile raw text in invalid rows must still give valid output. */
	planfx_build(&f, "101,202\n12\xff\x1b,\"x,y\"\n101,202\n103,204,280\n",
	    "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, true);
	struct export_src s = { f.in, &f.plan, &o, NULL, NULL, NULL, NULL, NULL };

	char *jsonl = render(&s, EXPORT_JSONL);
	size_t lines = 0;
	for (char *line = jsonl, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		cJSON *j = cJSON_Parse(line);
		assert_non_null(j);
		assert_non_null(cJSON_GetObjectItem(j, "outcome"));
		cJSON_Delete(j);
		lines++;
	}
	assert_int_equal(lines, 4);
	free(jsonl);

	char *json = render(&s, EXPORT_JSON);
	cJSON *arr = cJSON_Parse(json);
	assert_non_null(arr);
	assert_int_equal(cJSON_GetArraySize(arr), 4);
	cJSON *r1 = cJSON_GetArrayItem(arr, 1);
	assert_string_equal(cJSON_GetObjectItem(r1, "outcome")->valuestring, "invalid");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(r1, "error"),
	    "category")->valuestring, "INVALID_INPUT");
	/* Invalid UTF-8 replaced, the escape kept as data. */
	assert_string_equal(cJSON_GetObjectItem(r1, "from")->valuestring,
	    "12\xef\xbf\xbd\x1b");
	assert_string_equal(cJSON_GetObjectItem(r1, "to")->valuestring, "x,y");
	cJSON *r2 = cJSON_GetArrayItem(arr, 2);
	assert_string_equal(cJSON_GetObjectItem(r2, "outcome")->valuestring, "duplicate");
	assert_int_equal(cJSON_GetObjectItem(r2, "duplicate_of")->valueint, 1);
	cJSON *r3 = cJSON_GetArrayItem(arr, 3);
	assert_non_null(strstr(cJSON_GetObjectItem(cJSON_GetObjectItem(r3, "error"),
	    "message")->valuestring, "use 279"));
	cJSON *r0 = cJSON_GetArrayItem(arr, 0);
	assert_string_equal(cJSON_GetObjectItem(r0, "outcome")->valuestring, "planned");
	assert_int_equal(cJSON_GetObjectItem(r0, "chunk")->valueint, 1);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r0, "http_status")));
	cJSON_Delete(arr);
	free(json);

	char *csv = render(&s, EXPORT_CSV);
	assert_memory_equal(csv, "line,from,to,types,outcome,http_status,chunk,labels,"
	    "error_category,error_message,error_context,duplicate_of,send,attempts,source,duplicate_source\n",
	    135);
	assert_non_null(strstr(csv, "\n1,101,202,HUBSPOT_DEFINED:279,planned,,1,,,,,,1,0,,\n"));
	assert_non_null(strstr(csv, "\n3,101,202,HUBSPOT_DEFINED:279,duplicate,,,,,,,1,1,0,,\n"));
	free(csv);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_write_path_mode(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	char dir[] = "/tmp/hubassoc-export-XXXXXX";
	char path[256];
	char *cause = NULL;
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.jsonl", dir);
	planfx_build(&f, "101,202\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, true);
	struct export_src s = { f.in, &f.plan, &o, NULL, NULL, NULL, NULL, NULL };
	assert_int_equal(export_write_path(path, EXPORT_JSONL, &s, &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(st.st_size > 50);
	unlink(path);
	snprintf(path, sizeof(path), "%s/missing/out.jsonl", dir);
	assert_int_equal(export_write_path(path, EXPORT_JSONL, &s, &cause), -1);
	assert_non_null(strstr(cause, "missing/out.jsonl"));
	free(cause);
	rmdir(dir);
	outcomes_free(&o);
	planfx_free(&f);
	enum export_format ef;
	assert_int_equal(export_format_parse("csv", &ef), 0);
	assert_int_equal(ef, EXPORT_CSV);
	assert_int_equal(export_format_parse("xml", &ef), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_every_format_every_row),
		cmocka_unit_test(test_write_path_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
