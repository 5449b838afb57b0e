/* test_objtype.c: object type names, IDs, custom forms and suggestions. */
#include "testutil.h"

#include "hubassoc/objtype.h"

static void
parse_ok(const char *s, enum objtype_kind kind, const char *path, const char *id)
{
	struct objtype t;
	char *cause = NULL;

	if (objtype_parse(s, &t, &cause) != 0)
		fail_msg("'%s': %s", s, cause);
	assert_int_equal(t.kind, kind);
	assert_string_equal(t.path, path);
	assert_string_equal(t.id, id);
}

static char *
parse_err(const char *s)
{
	struct objtype t;
	char *cause = NULL;

	assert_int_equal(objtype_parse(s, &t, &cause), -1);
	assert_non_null(cause);
	return cause;
}

static void
test_standard_names(void **state)
{
	(void)state;
	parse_ok("contacts", OBJTYPE_STANDARD, "contacts", "0-1");
	parse_ok("contact", OBJTYPE_STANDARD, "contacts", "0-1");
	parse_ok("Contacts", OBJTYPE_STANDARD, "contacts", "0-1");
	/* An ID goes as it was given. */
	parse_ok("0-1", OBJTYPE_STANDARD, "0-1", "0-1");
	parse_ok("companies", OBJTYPE_STANDARD, "companies", "0-2");
	parse_ok("company", OBJTYPE_STANDARD, "companies", "0-2");
	parse_ok("line_item", OBJTYPE_STANDARD, "line_items", "0-8");
	parse_ok("0-970", OBJTYPE_STANDARD, "0-970", "0-970");
	/* A name HubSpot's paths are not known to take goes as its ID, never
	 * as a guess: 0-74 went out as "goals", 0-101 as "payments". */
	parse_ok("postal_mail", OBJTYPE_STANDARD, "0-116", "0-116");
	parse_ok("0-74", OBJTYPE_STANDARD, "0-74", "0-74");
	parse_ok("goal_targets", OBJTYPE_STANDARD, "0-74", "0-74");
	parse_ok("goal_target", OBJTYPE_STANDARD, "0-74", "0-74");
	parse_ok("0-101", OBJTYPE_STANDARD, "0-101", "0-101");
	parse_ok("commerce_payments", OBJTYPE_STANDARD, "0-101", "0-101");
	char *cause = parse_err("payments");
	assert_non_null(strstr(cause, "commerce_payments"));
	free(cause);
}

static void
test_whole_table(void **state)
{
	(void)state;
	size_t n;
	const struct objtype_std *t = objtype_std_table(&n);
	assert_int_equal(n, 29);
	for (size_t i = 0; i < n; i++) {
		struct objtype o;
		char *cause = NULL;
		assert_int_equal(objtype_parse(t[i].plural, &o, &cause), 0);
		assert_ptr_equal(o.std, &t[i]);
		assert_int_equal(objtype_parse(t[i].singular, &o, &cause), 0);
		assert_ptr_equal(o.std, &t[i]);
		assert_int_equal(objtype_parse(t[i].id, &o, &cause), 0);
		assert_ptr_equal(o.std, &t[i]);
		assert_ptr_equal(objtype_std_by_id(t[i].id), &t[i]);
	}
}

static void
test_custom(void **state)
{
	(void)state;
	parse_ok("2-123456", OBJTYPE_ID, "2-123456", "2-123456");
	parse_ok("0-999", OBJTYPE_ID, "0-999", "0-999");
	parse_ok("p_cars", OBJTYPE_CUSTOM_NAME, "p_cars", "");
	parse_ok("p123456_cars", OBJTYPE_CUSTOM_NAME, "p123456_cars", "");
	parse_ok("p_service_contracts", OBJTYPE_CUSTOM_NAME, "p_service_contracts", "");
}

static void
test_unknown_suggests(void **state)
{
	(void)state;
	char *c = parse_err("contcts");
	assert_non_null(strstr(c, "did you mean 'contacts'"));
	free(c);
	c = parse_err("compnay");
	assert_non_null(strstr(c, "did you mean 'companies'"));
	free(c);
	c = parse_err("tikets");
	assert_non_null(strstr(c, "'tickets'"));
	free(c);
	c = parse_err("contac");
	assert_non_null(strstr(c, "'contacts'"));
	free(c);
	/* A bare custom name is refused, as HubSpot refuses it. */
	c = parse_err("cars");
	assert_non_null(strstr(c, "p_<name>"));
	free(c);
	c = parse_err("");
	assert_non_null(strstr(c, "empty"));
	free(c);
	c = parse_err("p_");
	free(c);
	c = parse_err("2-");
	free(c);
	c = parse_err("p_bad name");
	free(c);
	c = parse_err("\x1b[31mred");
	assert_null(strchr(c, 0x1b));
	free(c);
}

static void
test_error_names(void **state)
{
	(void)state;
	struct objtype t;
	char *cause = NULL;
	assert_int_equal(objtype_parse("contacts", &t, &cause), 0);
	assert_true(objtype_matches_error_name(&t, "CONTACT", 7));
	assert_true(objtype_matches_error_name(&t, "contact", 7));
	assert_true(objtype_matches_error_name(&t, "0-1", 3));
	assert_false(objtype_matches_error_name(&t, "COMPANY", 7));
	assert_false(objtype_matches_error_name(&t, "CONTACTS_X", 10));
	assert_int_equal(objtype_parse("2-77", &t, &cause), 0);
	assert_true(objtype_matches_error_name(&t, "2-77", 4));
	assert_false(objtype_matches_error_name(&t, "CONTACT", 7));
}

static void
test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("contacts", "contacts", 3), 0);
	assert_int_equal(edit_distance("contcts", "contacts", 3), 1);
	assert_int_equal(edit_distance("cnotacts", "contacts", 3), 1); /* swap */
	assert_int_equal(edit_distance("deals", "tickets", 2), 3);     /* capped */
	assert_int_equal(edit_distance("", "abc", 5), 3);
}

/* The portal's custom objects, from a schemas answer; a bare or mistyped
 * name finds its custom object; damage is refused, not guessed. */
static void
test_custom_objects(void **state)
{
	(void)state;
	static const char body[] = "{\"results\":[{\"objectTypeId\":\"2-123\","
	    "\"name\":\"cars\",\"labels\":{\"singular\":\"Car\",\"plural\":\"Cars\"},"
	    "\"primaryDisplayProperty\":\"model\"},"
	    "{\"name\":\"noid\"},{\"objectTypeId\":\"2-9\",\"primaryDisplayProperty\":"
	    "\"x\\u001b[2J\"},{\"objectTypeId\":7}]}";
	struct custom_object *v;
	size_t n;
	char *cause = NULL;

	assert_int_equal(custom_objects_parse(body, sizeof(body) - 1, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, "p_cars");
	assert_string_equal(v[0].id, "2-123");
	assert_string_equal(v[0].plural, "Cars");
	/* No name: its ID stands for it. */
	assert_string_equal(v[1].name, "2-9");
	assert_ptr_equal(custom_objects_nearest("cars", v, n), &v[0]);
	assert_ptr_equal(custom_objects_nearest("Cars", v, n), &v[0]);
	assert_ptr_equal(custom_objects_nearest("p_crs", v, n), &v[0]);
	assert_null(custom_objects_nearest("tickets", v, n));
	/* Its records' names: the primary display property, when it is a
	 * property's name. */
	assert_string_equal(v[0].display, "model");
	assert_null(v[1].display);
	struct objtype t;
	assert_int_equal(objtype_parse("p_cars", &t, &cause), 0);
	assert_ptr_equal(custom_objects_find(&t, v, n), &v[0]);
	assert_int_equal(objtype_parse("p4711_cars", &t, &cause), 0);
	assert_ptr_equal(custom_objects_find(&t, v, n), &v[0]);
	assert_int_equal(objtype_parse("2-123", &t, &cause), 0);
	assert_ptr_equal(custom_objects_find(&t, v, n), &v[0]);
	assert_int_equal(objtype_parse("contacts", &t, &cause), 0);
	assert_null(custom_objects_find(&t, v, n));
	custom_objects_free(v, n);
	assert_int_equal(custom_objects_parse("{\"results\":{}}", 14, &v, &n, &cause), -1);
	assert_non_null(cause);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_standard_names),
		cmocka_unit_test(test_whole_table),
		cmocka_unit_test(test_custom),
		cmocka_unit_test(test_unknown_suggests),
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_custom_objects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
