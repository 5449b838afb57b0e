/* test_key.c: keys in the input, read and made canonical; the rows they
 * make, resolved or refused. */
#include "testutil.h"

#include "hubassoc/input.h"
#include "planfx.h"
#include "hubassoc/key.h"
#include "hubassoc/names.h"

/* The canonical key of a cell, or "BAD: why", "ID: value", "NONE". */
static char *
key_of(const char *cell, const char *prop)
{
	struct buf out = BUF_INIT;
	const char *why = NULL;
	char *r;

	switch (key_parse(cell, strlen(cell), prop, &out, &why)) {
	case KEY_NONE:
		r = xstrdup("NONE");
		break;
	case KEY_ID:
		r = xasprintf("ID: %s", buf_str(&out));
		break;
	case KEY_OK:
		r = xstrdup(buf_str(&out));
		break;
	default:
		r = xasprintf("BAD: %s", why);
		break;
	}
	buf_free(&out);
	return r;
}

#define K(cell, prop, want) do { \
	char *got = key_of(cell, prop); \
	assert_string_equal(got, want); \
	free(got); \
} while (0)

static void
test_emails(void **state)
{
	(void)state;
	K("jane@example.com", NULL, "email:jane@example.com");
	K("Jane.Doe@Example.COM", NULL, "email:jane.doe@example.com");
	K("mailto:jane@x.io", NULL, "email:jane@x.io");
	K("email:JANE@X.IO", NULL, "email:jane@x.io");
	K("EMAIL:jane@x.io.", NULL, "email:jane@x.io");
	K("<jane@x.io>", "email", "email:jane@x.io");
	K(" jane@x.io ", "email", "email:jane@x.io");
	K("jane@", NULL, "BAD: is not an email address (name@domain)");
	K("@x.io", NULL, "BAD: is not an email address (name@domain)");
	K("a@b@c.io", NULL, "BAD: is not an email address (name@domain)");
	K("jane doe@x.io", "email", "BAD: is not an email address (it holds a space, "
	    "a quote or a separator)");
	K("jane@x", NULL, "BAD: is not an email address (name@domain)");
	K("'jane@x.io'", NULL, "BAD: is not an email address (it holds a space, "
	    "a quote or a separator)");
	K("\"jane\"@x.io", "email", "BAD: is not an email address (it holds a space, "
	    "a quote or a separator)");
	/* Under an email header, every cell is one. */
	K("12345", "email", "BAD: is not an email address (name@domain)");
	/* Outlook's "Name <address>": the address. */
	K("Jane Doe <Jane@X.io>", NULL, "email:jane@x.io");
	K("\"Doe, Jane\" <jane@x.io>", "email", "email:jane@x.io");
	K("Jane <jane doe@x.io>", NULL, "BAD: is not an email address (it holds a "
	    "space, a quote or a separator)");
}

static void
test_domains(void **state)
{
	(void)state;
	K("acme.com", NULL, "domain:acme.com");
	K("ACME.com.", NULL, "domain:acme.com");
	K("www.Acme.com", NULL, "domain:acme.com");
	K("http://www.acme.com/about?x=1", NULL, "domain:acme.com");
	K("https://acme.co.uk:8443", NULL, "domain:acme.co.uk");
	K("domain:Sub.Acme.com", NULL, "domain:sub.acme.com");
	K("acme", "domain", "BAD: is not a domain (such as acme.com)");
	K("acme..com", "domain", "BAD: is not a domain (such as acme.com)");
	K("domain:ac me.com", NULL, "BAD: is not a domain (such as acme.com)");
	/* Numbers stay numbers: the ID parser says what is wrong. */
	K("1.5", NULL, "NONE");
	K("1e5", NULL, "NONE");
	K("12a", NULL, "NONE");
	K("101", NULL, "NONE");
	K("-5", NULL, "NONE");
}

static void
test_properties(void **state)
{
	(void)state;
	K("vin:VIN-12", NULL, "vin:VIN-12");
	K("Customer_No: A 7 ", NULL, "customer_no:A 7");
	K("VIN-12", "vin", "vin:VIN-12");
	K("hs_object_id:101", NULL, "ID: 101");
	K("id:0101", NULL, "ID: 0101");
	K("vin:", NULL, "BAD: has no value after the property");
	K("vin:a\x01", NULL, "BAD: holds a control character");
	/* Not UTF-8, a key would make its lookup's body no JSON: refused
	 * here, whatever the property (before: emails and domains passed). */
	K("vin:ab\xff", NULL, "BAD: is not valid UTF-8");
	K("j\xffhn@example.com", NULL, "BAD: is not valid UTF-8");
	K("email:a\xfe@x.com", NULL, "BAD: is not valid UTF-8");
	K("j\xffhn@example.com", "email", "BAD: is not valid UTF-8");
	K("domain:ac\xc3me.com", NULL, "BAD: is not valid UTF-8");
	K("\xc3\xa9t\xe9.fr", "domain", "BAD: is not valid UTF-8");
	K("caf\xc3\xa9.fr", NULL, "domain:caf\xc3\xa9.fr");
	/* Not a property: a word, or a colon that starts nothing. */
	K("x", NULL, "NONE");
	K(":5", NULL, "NONE");
}

static void
test_header_props(void **state)
{
	char p[KEY_PROP_MAX + 1];

	(void)state;
	assert_true(key_header_prop("email", 5, p));
	assert_string_equal(p, "email");
	assert_true(key_header_prop("Email Address", 13, p));
	assert_string_equal(p, "email");
	assert_true(key_header_prop("Company Domain Name", 19, p));
	assert_string_equal(p, "domain");
	assert_true(key_header_prop("vin", 3, p));
	assert_string_equal(p, "vin");
	assert_true(key_header_prop("customer_no", 11, p));
	assert_string_equal(p, "customer_no");
	assert_true(key_header_prop("E-Mail", 6, p));
	assert_string_equal(p, "email");
	/* Headers over IDs: no property. */
	static const char *const plain[] = { "from", "to", "Contact ID", "contact_id",
	    "hs_object_id", "contact", "companies", "types", "a", "first",
	    "p_cars", "Kontakt-ID", "Record ID - Contact", "record_id_contact",
	    "Vin", "Customer Number", "vid" };
	for (size_t i = 0; i < HA_ARRAY_LEN(plain); i++)
		assert_false(key_header_prop(plain[i], strlen(plain[i]), p));
}

static void
test_rows(void **state)
{
	(void)state;
	/* A first line of keys is data, not a header. */
	struct input *in = planfx_input("jane@x.io,acme.com\n101,domain:y.org,279\n"
	    "102,103\nbad@,acme.com\n");
	assert_int_equal(in->header_line, 0);
	assert_int_equal(in->nrows, 4);
	assert_true(input_row_pending(in, &in->rows[0]));
	assert_string_equal(input_from(in, &in->rows[0]), "email:jane@x.io");
	assert_string_equal(input_row_key(in, &in->rows[0], 1), "domain:acme.com");
	assert_true(input_row_pending(in, &in->rows[1]));
	assert_null(input_row_key(in, &in->rows[1], 0));
	assert_false(input_row_pending(in, &in->rows[2]));
	assert_int_equal(in->rows[3].status, ROW_INVALID);
	assert_int_equal(in->rows[3].reason, INPUT_BAD_KEY);
	assert_int_equal(in->rows[3].field, 1);
	struct buf m = BUF_INIT;
	input_reason_format(in, &in->rows[3], &m);
	assert_string_equal(buf_str(&m), "FROM 'bad@' is not an email address "
	    "(name@domain)");

	/* Resolved: IDs, the keys kept beside them. */
	input_resolve_row(in, 0, "7", "8");
	assert_false(input_row_pending(in, &in->rows[0]));
	assert_string_equal(input_from(in, &in->rows[0]), "7");
	assert_string_equal(input_to(in, &in->rows[0]), "8");
	assert_string_equal(input_row_key(in, &in->rows[0], 0), "email:jane@x.io");
	assert_string_equal(input_row_key(in, &in->rows[0], 1), "domain:acme.com");
	/* Refused: invalid, with the lookup's words whole. */
	input_key_invalid(in, 1, INPUT_KEY_MANY, 2, "2 companies have domain y.org: "
	    "1000000000001, 1000000000002 (use an ID or a unique property)");
	buf_reset(&m);
	input_reason_format(in, &in->rows[1], &m);
	assert_non_null(strstr(buf_str(&m), "1000000000002 (use an ID"));
	assert_string_equal(input_row_key(in, &in->rows[1], 1), "domain:y.org");
	buf_free(&m);
	input_free(in);

	/* A line that starts with "Name <address>": its spaces are the name's,
	 * not the separator; a key's reason is said whole (before: cut at 64
	 * bytes, "...a quote or a separato"). */
	in = planfx_input("Jane Doe <jane@x.io>,acme.com\n\"ja ne@x.io\",5\n");
	assert_int_equal(in->header_line, 0);
	assert_int_equal(in->nrows, 2);
	assert_true(input_row_pending(in, &in->rows[0]));
	assert_string_equal(input_row_key(in, &in->rows[0], 0), "email:jane@x.io");
	assert_string_equal(input_row_key(in, &in->rows[0], 1), "domain:acme.com");
	buf_reset(&m);
	input_reason_format(in, &in->rows[1], &m);
	assert_string_equal(buf_str(&m), "FROM 'ja ne@x.io' is not an email address "
	    "(it holds a space, a quote or a separator)");
	buf_free(&m);
	input_free(in);
}

static void
test_header_columns(void **state)
{
	(void)state;
	struct input *in = planfx_input("Email\tDomain\ttype\nJane@X.io\tacme.com\t279\n"
	    "12345\twww.b.org\n");
	assert_int_equal(in->header_line, 1);
	assert_string_equal(in->colprop[0], "email");
	assert_string_equal(in->colprop[1], "domain");
	assert_string_equal(input_from(in, &in->rows[0]), "email:jane@x.io");
	assert_string_equal(input_to(in, &in->rows[0]), "domain:acme.com");
	/* Under an email header, digits are no ID. */
	assert_int_equal(in->rows[1].status, ROW_INVALID);
	assert_int_equal(in->rows[1].reason, INPUT_BAD_KEY);
	input_free(in);

	/* A plain header keeps IDs; a second source names its own. */
	in = planfx_input("contact_id,company_id\n5,6\n");
	assert_null(in->colprop[0]);
	assert_false(input_row_pending(in, &in->rows[0]));
	input_begin_source(in, "paste 2");
	input_feed(in, "vin,domain\nVIN-1,a.io\n", 22);
	input_finish(in);
	assert_string_equal(input_from(in, &in->rows[1]), "vin:VIN-1");
	input_free(in);
}

static void
test_names(void **state)
{
	struct names n = { 0 };
	char id[32], name[300];

	(void)state;
	assert_null(names_get(&n, "1"));
	for (int i = 1; i <= 500; i++) {
		snprintf(id, sizeof(id), "%d", i);
		snprintf(name, sizeof(name), "Name %d", i);
		names_put(&n, id, name);
	}
	names_put(&n, "7", "Seven");
	names_put(&n, "8", "");
	assert_string_equal(names_get(&n, "7"), "Seven");
	assert_string_equal(names_get(&n, "500"), "Name 500");
	assert_string_equal(names_get(&n, "8"), "Name 8");
	assert_null(names_get(&n, "501"));
	assert_int_equal(n.n, 500);
	/* Long names are cut at a character. */
	memset(name, 0, sizeof(name));
	for (int i = 0; i < 150; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	names_put(&n, "9", name);
	assert_int_equal(strlen(names_get(&n, "9")), NAMES_MAX_BYTES);
	names_free(&n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emails),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_header_props),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_header_columns),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
