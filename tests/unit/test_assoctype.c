/* test_assoctype.c: specs, the built-in table and resolution by direction. */
#include "testutil.h"

#include "hubassoc/assoctype.h"

static struct objtype
ot(const char *s)
{
	struct objtype t;
	char *cause = NULL;

	if (objtype_parse(s, &t, &cause) != 0)
		fail_msg("%s", cause);
	return t;
}

static struct assoc_spec
spec(const char *s)
{
	struct assoc_spec sp;
	char *cause = NULL;

	if (assoc_spec_parse(s, strlen(s), &sp, &cause) != 0)
		fail_msg("'%s': %s", s, cause);
	return sp;
}

static char *
spec_err(const char *s)
{
	struct assoc_spec sp;
	char *cause = NULL;

	assert_int_equal(assoc_spec_parse(s, strlen(s), &sp, &cause), -1);
	return cause;
}

static void
test_parse_forms(void **state)
{
	(void)state;
	struct assoc_spec s = spec("279");
	assert_int_equal(s.cat, ASSOC_CAT_UNKNOWN);
	assert_int_equal(s.type_id, 279);
	s = spec("HUBSPOT_DEFINED:279");
	assert_int_equal(s.cat, ASSOC_CAT_HUBSPOT);
	assert_int_equal(s.type_id, 279);
	s = spec("user_defined:36");
	assert_int_equal(s.cat, ASSOC_CAT_USER);
	assert_int_equal(s.type_id, 36);
	/* HubSpot's own messages write CATEGORY=ID. */
	s = spec("USER_DEFINED=36");
	assert_int_equal(s.cat, ASSOC_CAT_USER);
	s = spec(" INTEGRATOR_DEFINED : 7 ");
	assert_int_equal(s.cat, ASSOC_CAT_INTEGRATOR);
	assert_int_equal(s.type_id, 7);
	s = spec("WORK:3");
	assert_int_equal(s.cat, ASSOC_CAT_WORK);
	s = spec("2147483647");
	assert_int_equal(s.type_id, 2147483647u);

	s = spec("Billing contact");
	assert_int_equal(s.cat, ASSOC_CAT_LABEL);
	assert_string_equal(s.label, "Billing contact");
	assoc_spec_clear(&s);
	/* A label may hold a colon. */
	s = spec("Partner: EU");
	assert_int_equal(s.cat, ASSOC_CAT_LABEL);
	assoc_spec_clear(&s);
	s = spec("Entscheidungsträger");
	assert_int_equal(s.cat, ASSOC_CAT_LABEL);
	assoc_spec_clear(&s);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	char *c;
	c = spec_err("0");
	assert_non_null(strstr(c, "out of range"));
	free(c);
	c = spec_err("2147483648");
	assert_non_null(strstr(c, "out of range"));
	free(c);
	c = spec_err("99999999999999999999999");
	free(c);
	c = spec_err("USER_DEFINED:abc");
	assert_non_null(strstr(c, "not a number"));
	free(c);
	c = spec_err("HUBSPOT:279");
	assert_non_null(strstr(c, "unknown association category"));
	free(c);
	c = spec_err("   ");
	assert_non_null(strstr(c, "empty"));
	free(c);
	c = spec_err("bad\x1b[2Jlabel");
	assert_non_null(strstr(c, "control character"));
	assert_null(strchr(c, 0x1b));
	free(c);
	c = spec_err("bad\xff");
	assert_non_null(strstr(c, "UTF-8"));
	free(c);
}

static void
test_format(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct assoc_spec s = spec("USER_DEFINED:36");
	assoc_spec_format(&b, &s);
	assert_string_equal(buf_str(&b), "USER_DEFINED:36");
	buf_reset(&b);
	s = spec("279");
	assoc_spec_format(&b, &s);
	assert_string_equal(buf_str(&b), "279");
	buf_free(&b);
}

static void
test_builtin_table(void **state)
{
	(void)state;
	const struct assoc_builtin *b = assoc_builtin_find(279, "0-1", "0-2");
	assert_non_null(b);
	assert_int_equal(b->inverse, 280);
	assert_null(b->label);
	b = assoc_builtin_find(1, "0-1", "0-2");
	assert_non_null(b);
	assert_string_equal(b->label, "Primary");
	assert_true(b->flags & ASSOC_F_PRIMARY);
	assert_null(assoc_builtin_find(279, "0-2", "0-1"));
	assert_non_null(assoc_builtin_find(280, "0-2", "0-1"));
	/* Every entry's inverse names it back. */
	size_t n;
	const struct assoc_builtin *t = assoc_builtin_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct assoc_builtin *inv =
		    assoc_builtin_find(t[i].inverse, t[i].to_id, t[i].from_id);
		assert_non_null(inv);
		assert_int_equal(inv->inverse, t[i].type_id);
		struct buf d = BUF_INIT;
		assoc_builtin_describe(&d, &t[i]);
		assert_true(d.len > 0);
		buf_free(&d);
	}
	struct buf d = BUF_INIT;
	assoc_builtin_describe(&d, assoc_builtin_find(279, "0-1", "0-2"));
	assert_string_equal(buf_str(&d), "contact to company, unlabeled");
	buf_free(&d);
}

/* Resolves s for from->to against the built-in list. */
static int
resolve(const char *s, const char *from, const char *to, struct assoc_spec *out,
    char **note, char **cause)
{
	struct objtype f = ot(from), t = ot(to);
	struct assoc_labels labels;
	int rc;

	*out = spec(s);
	assoc_labels_builtin(&labels, &f, &t);
	rc = assoc_spec_resolve(out, &f, &t, &labels, note, cause);
	assoc_labels_free(&labels);
	return rc;
}

static void
test_resolve_builtin(void **state)
{
	(void)state;
	struct assoc_spec s;
	char *note = NULL, *cause = NULL;

	assert_int_equal(resolve("279", "contacts", "companies", &s, &note, &cause), 0);
	assert_int_equal(s.cat, ASSOC_CAT_HUBSPOT);
	assert_null(note);
	assert_int_equal(resolve("Primary", "contacts", "companies", &s, &note, &cause), 0);
	assert_int_equal(s.cat, ASSOC_CAT_HUBSPOT);
	assert_int_equal(s.type_id, 1);
	assert_null(s.label);
	assert_int_equal(resolve("unlabeled", "deals", "companies", &s, &note, &cause), 0);
	assert_int_equal(s.type_id, 341);
	assert_int_equal(resolve("primary", "deal", "company", &s, &note, &cause), 0);
	assert_int_equal(s.type_id, 5);
	assert_int_equal(resolve("Parent company", "companies", "companies", &s,
	    &note, &cause), 0);
	assert_int_equal(s.type_id, 13);
}

static void
test_resolve_wrong_direction(void **state)
{
	(void)state;
	struct assoc_spec s;
	char *note = NULL, *cause = NULL;

	/* The inverse given for this direction: name the right one. */
	assert_int_equal(resolve("280", "contacts", "companies", &s, &note, &cause), -1);
	assert_non_null(strstr(cause, "company to contact"));
	assert_non_null(strstr(cause, "use 279"));
	free(cause);
	assert_int_equal(resolve("HUBSPOT_DEFINED:1", "companies", "contacts", &s,
	    &note, &cause), -1);
	assert_non_null(strstr(cause, "use 2 (Primary)"));
	free(cause);
	/* A typeId of another pair: list this direction's types. */
	assert_int_equal(resolve("1", "deals", "companies", &s, &note, &cause), -1);
	assert_non_null(strstr(cause, "contact to company, Primary"));
	assert_non_null(strstr(cause, "HUBSPOT_DEFINED:5 (Primary)"));
	free(cause);
	assert_int_equal(resolve("3", "contacts", "companies", &s, &note, &cause), -1);
	free(cause);
}

static void
test_resolve_unknown(void **state)
{
	(void)state;
	struct assoc_spec s;
	char *note = NULL, *cause = NULL;

	/* Not built in: sent as HUBSPOT_DEFINED, with a note. */
	assert_int_equal(resolve("36", "contacts", "companies", &s, &note, &cause), 0);
	assert_int_equal(s.cat, ASSOC_CAT_HUBSPOT);
	assert_non_null(note);
	assert_non_null(strstr(note, "USER_DEFINED:36"));
	free(note);
	/* USER_DEFINED cannot be checked offline. */
	assert_int_equal(resolve("USER_DEFINED:36", "contacts", "companies", &s,
	    &note, &cause), 0);
	assert_null(note);
	/* A portal label is left for the portal's list. */
	assert_int_equal(resolve("Billing contact", "contacts", "companies", &s,
	    &note, &cause), 0);
	assert_int_equal(s.cat, ASSOC_CAT_LABEL);
	assoc_spec_clear(&s);
	/* Custom objects have no built-in types: nothing to flag. */
	assert_int_equal(resolve("279", "p_cars", "companies", &s, &note, &cause), 0);
	assert_null(note);
}

static void
test_resolve_portal_labels(void **state)
{
	(void)state;
	struct objtype f = ot("contacts"), t = ot("companies");
	struct assoc_labels labels = { .from_portal = true };
	struct assoc_spec s;
	char *note = NULL, *cause = NULL;

	assoc_labels_add(&labels, ASSOC_CAT_HUBSPOT, 279, NULL, 280);
	assoc_labels_add(&labels, ASSOC_CAT_HUBSPOT, 1, "Primary", 2);
	assoc_labels_add(&labels, ASSOC_CAT_USER, 36, "Billing contact", 0);
	assoc_labels_add(&labels, ASSOC_CAT_USER, 40, "Dup", 0);
	assoc_labels_add(&labels, ASSOC_CAT_USER, 41, "dup", 0);
	assoc_labels_add(&labels, ASSOC_CAT_USER, 42, "Entscheidungstr\xc3\xa4ger", 0);

	s = spec("billing CONTACT");
	assert_int_equal(assoc_spec_resolve(&s, &f, &t, &labels, &note, &cause), 0);
	assert_int_equal(s.cat, ASSOC_CAT_USER);
	assert_int_equal(s.type_id, 36);
	s = spec("Entscheidungstr\xc3\xa4ger");
	assert_int_equal(assoc_spec_resolve(&s, &f, &t, &labels, &note, &cause), 0);
	assert_int_equal(s.type_id, 42);
	/* A bare number takes its category from the portal. */
	s = spec("36");
	assert_int_equal(assoc_spec_resolve(&s, &f, &t, &labels, &note, &cause), 0);
	assert_int_equal(s.cat, ASSOC_CAT_USER);

	s = spec("Dup");
	assert_int_equal(assoc_spec_resolve(&s, &f, &t, &labels, &note, &cause), -1);
	assert_non_null(strstr(cause, "ambiguous"));
	assert_non_null(strstr(cause, "USER_DEFINED:40"));
	assert_non_null(strstr(cause, "USER_DEFINED:41"));
	free(cause);
	assoc_spec_clear(&s);

	s = spec("Biling contact");
	assert_int_equal(assoc_spec_resolve(&s, &f, &t, &labels, &note, &cause), -1);
	assert_non_null(strstr(cause, "unknown label"));
	assert_non_null(strstr(cause, "USER_DEFINED:36 (Billing contact)"));
	free(cause);
	assoc_spec_clear(&s);

	s = spec("USER_DEFINED:3");
	assert_int_equal(assoc_spec_resolve(&s, &f, &t, &labels, &note, &cause), -1);
	assert_non_null(strstr(cause, "not an association type"));
	free(cause);
	assoc_labels_free(&labels);
}

static void
test_describe_and_flags(void **state)
{
	(void)state;
	struct objtype f = ot("contacts"), t = ot("companies");
	struct assoc_labels labels;
	struct buf b = BUF_INIT;
	struct assoc_spec s = { ASSOC_CAT_HUBSPOT, 1, NULL };

	assoc_labels_builtin(&labels, &f, &t);
	assoc_spec_describe(&b, &s, &f, &t, &labels);
	assert_string_equal(buf_str(&b), "HUBSPOT_DEFINED:1 (contact to company, Primary)");
	assert_int_equal(assoc_spec_flags(&s, &f, &t), ASSOC_F_PRIMARY);
	s.type_id = 279;
	assert_int_equal(assoc_spec_flags(&s, &f, &t), 0);
	f = ot("companies");
	s.type_id = 14;
	assert_int_equal(assoc_spec_flags(&s, &f, &t), ASSOC_F_SINGLE_PARENT);
	assoc_labels_free(&labels);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_builtin_table),
		cmocka_unit_test(test_resolve_builtin),
		cmocka_unit_test(test_resolve_wrong_direction),
		cmocka_unit_test(test_resolve_unknown),
		cmocka_unit_test(test_resolve_portal_labels),
		cmocka_unit_test(test_describe_and_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
