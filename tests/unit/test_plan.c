/* test_plan.c: duplicates, conflicts, type checks and chunks. */
#include "testutil.h"

#include "hubassoc/plan.h"
#include "planfx.h"

struct fx {
	struct input *in;
	struct plan plan;
	struct objtype from, to;
	struct assoc_labels labels;
	struct assoc_spec defaults[4];
	size_t ndefaults;
};

static int
build(struct fx *f, const char *text, const char *from, const char *to,
    const char *types, size_t chunk, char **cause)
{
	char *c = NULL;

	memset(f, 0, sizeof(*f));
	assert_int_equal(objtype_parse(from, &f->from, &c), 0);
	assert_int_equal(objtype_parse(to, &f->to, &c), 0);
	for (const char *p = types; p != NULL && *p != '\0';) {
		const char *semi = strchr(p, ';');
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		assert_int_equal(assoc_spec_parse(p, n, &f->defaults[f->ndefaults++],
		    &c), 0);
		p = semi ? semi + 1 : NULL;
	}
	f->in = input_new();
	input_feed(f->in, text, strlen(text));
	input_finish(f->in);
	assoc_labels_builtin(&f->labels, &f->from, &f->to);
	return plan_build(&f->plan, f->in, &f->from, &f->to, f->defaults,
	    f->ndefaults, &f->labels, chunk, cause);
}

static void
fx_free(struct fx *f)
{
	plan_free(&f->plan);
	input_free(f->in);
	assoc_labels_free(&f->labels);
	for (size_t i = 0; i < f->ndefaults; i++)
		assoc_spec_clear(&f->defaults[i]);
}

static void
test_counts_add_up(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "101,202\n103,204\n101,202\nx,1\n101,202\n",
	    "contacts", "companies", "279", 0, &cause), 0);
	assert_int_equal(f.plan.nrows, 5);
	assert_int_equal(f.plan.nsend, 2);
	assert_int_equal(f.plan.nduplicate, 2);
	assert_int_equal(f.plan.ninvalid, 1);
	assert_int_equal(f.plan.nsend + f.plan.nduplicate + f.plan.ninvalid,
	    f.plan.nrows);
	assert_int_equal(f.plan.state[2], PLAN_DUPLICATE);
	assert_int_equal(f.plan.other[2], 0);
	assert_int_equal(f.plan.other[4], 0);
	assert_int_equal(f.plan.chunk[2], PLAN_NONE);
	assert_int_equal(f.plan.chunk[0], 0);
	assert_int_equal(f.plan.chunk_size, PLAN_CHUNK_DEFAULT);
	fx_free(&f);
}

static void
test_same_types_written_differently_are_duplicates(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	/* 279 and HUBSPOT_DEFINED:279 and no column (--type 279) are equal. */
	assert_int_equal(build(&f, "101,202\n101,202,HUBSPOT_DEFINED:279\n"
	    "101,202,279;279\n", "contacts", "companies", "279", 0, &cause), 0);
	assert_int_equal(f.plan.nsend, 1);
	assert_int_equal(f.plan.nduplicate, 2);
	fx_free(&f);
}

static void
test_conflict(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "101,202\n101,202,Primary\n",
	    "contacts", "companies", "279", 0, &cause), 0);
	/* Neither is sent: which would win is the portal's choice. */
	assert_int_equal(f.plan.nsend, 0);
	assert_int_equal(f.plan.ninvalid, 2);
	assert_int_equal(f.plan.why[0], INPUT_CONFLICT);
	assert_int_equal(f.plan.other[0], 1);
	/* The plan's finding, not the row's: the input is only read. */
	assert_int_equal(f.in->rows[1].status, ROW_VALID);
	assert_int_equal(f.in->rows[1].reason, INPUT_OK);
	assert_int_equal(f.plan.why[1], INPUT_CONFLICT);
	assert_int_equal(f.plan.other[1], 0);
	assert_int_equal(plan_row_reason(&f.plan, f.in, 1), INPUT_CONFLICT);
	struct buf b = BUF_INIT;
	plan_reason_format(&f.plan, f.in, 1, &b);
	assert_non_null(strstr(buf_str(&b), "line 1"));
	buf_free(&b);
	fx_free(&f);
}

/* Two rows that make two companies the Primary of one contact, in either
 * direction of a send, are both refused, each naming the other; one
 * contact's Primary and another's are no conflict, nor a pair repeated. */
static void
test_one_conflict(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "101,201,Primary\n102,201,Primary\n"
	    "103,301,Primary\n103,302,Primary;279\n104,401,279\n104,402,279\n",
	    "contacts", "companies", NULL, 0, &cause), 0);
	assert_int_equal(f.plan.nsend, 4);
	assert_int_equal(f.plan.why[2], INPUT_ONE_CONFLICT);
	assert_int_equal(f.plan.why[3], INPUT_ONE_CONFLICT);
	assert_int_equal(f.plan.other[2], 3);
	assert_int_equal(f.plan.other[3], 2);
	struct buf b = BUF_INIT;
	plan_reason_format(&f.plan, f.in, 3, &b);
	assert_string_equal(buf_str(&b), "gives contact 103 a second Primary: line 3 "
	    "gives it company 301; keep one");
	buf_free(&b);
	fx_free(&f);
	/* Companies to contacts: the Primary is the contact's, the TO end. */
	assert_int_equal(build(&f, "201,101,2\n202,101,2\n201,102,2\n",
	    "companies", "contacts", NULL, 0, &cause), 0);
	assert_int_equal(f.plan.nsend, 1);
	assert_int_equal(f.plan.why[0], INPUT_ONE_CONFLICT);
	assert_int_equal(f.plan.why[1], INPUT_ONE_CONFLICT);
	fx_free(&f);
	/* A company's parent (13: FROM is the parent of TO): one a company,
	 * and two parents for 601 cannot both hold. */
	assert_int_equal(build(&f, "501,601,13\n502,601,13\n501,602,13\n",
	    "companies", "companies", NULL, 0, &cause), 0);
	assert_int_equal(f.plan.nsend, 1);
	assert_int_equal(f.plan.why[1], INPUT_ONE_CONFLICT);
	fx_free(&f);
	/* A repeat of a refused row is refused with it, naming the other. */
	assert_int_equal(build(&f, "101,201,Primary\n101,202,Primary\n101,201,Primary\n",
	    "contacts", "companies", NULL, 0, &cause), 0);
	assert_int_equal(f.plan.nsend, 0);
	assert_int_equal(f.plan.why[2], INPUT_ONE_CONFLICT);
	assert_int_equal(f.plan.other[2], 1);
	fx_free(&f);
}

static void
test_line_types_checked(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "101,202,280\n103,204,1\n105,206\n",
	    "contacts", "companies", "", 0, &cause), 0);
	assert_int_equal(f.plan.why[0], INPUT_TYPE_MISMATCH);
	assert_int_equal(f.plan.state[0], PLAN_INVALID);
	assert_int_equal(f.in->rows[0].status, ROW_VALID);
	assert_null(f.in->sets[f.in->rows[0].set].error);
	struct buf b = BUF_INIT;
	plan_reason_format(&f.plan, f.in, 0, &b);
	assert_non_null(strstr(buf_str(&b), "use 279"));
	buf_free(&b);
	assert_int_equal(f.plan.state[1], PLAN_SEND);
	const struct plan_types *t = plan_row_types(&f.plan, f.in, 1);
	assert_int_equal(t->n, 1);
	assert_int_equal(t->specs[0].cat, ASSOC_CAT_HUBSPOT);
	assert_int_equal(t->specs[0].type_id, 1);
	/* No column and no --type. */
	assert_int_equal(f.plan.why[2], INPUT_NO_TYPE);
	assert_int_equal(f.in->rows[2].reason, INPUT_OK);
	fx_free(&f);
}

static void
test_bad_defaults_are_usage_errors(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "101,202\n", "contacts", "companies", "280", 0,
	    &cause), -1);
	/* What is wrong, not how the caller's user gives types. */
	assert_null(strstr(cause, "--type"));
	assert_non_null(strstr(cause, "association type 280"));
	assert_non_null(strstr(cause, "use 279"));
	free(cause);
	input_free(f.in);
	assoc_labels_free(&f.labels);
	for (size_t i = 0; i < f.ndefaults; i++)
		assoc_spec_clear(&f.defaults[i]);
	assert_int_equal(build(&f, "101,202\n", "contacts", "companies", "279",
	    2001, &cause), -1);
	assert_non_null(strstr(cause, "2000"));
	free(cause);
	input_free(f.in);
	assoc_labels_free(&f.labels);
}

static void
test_chunks(void **state)
{
	(void)state;
	struct buf text = BUF_INIT;
	for (int i = 0; i < 1234; i++)
		buf_printf(&text, "%d,%d\n", 1000 + i, 5000 + i);
	/* Duplicates and invalid rows take no place in chunks. */
	buf_addstr(&text, "1000,5000\nbad,1\n");

	size_t sizes[] = { 500, 2000, 1, 617 };
	size_t expect[] = { 3, 1, 1234, 2 };
	for (size_t k = 0; k < 4; k++) {
		struct fx f;
		char *cause = NULL;
		assert_int_equal(build(&f, buf_str(&text), "contacts", "companies",
		    "279", sizes[k], &cause), 0);
		assert_int_equal(f.plan.nchunks, expect[k]);
		size_t total = 0;
		for (size_t c = 0; c < f.plan.nchunks; c++) {
			size_t n;
			const uint32_t *rows = plan_chunk_rows(&f.plan, c, &n);
			assert_true(n >= 1 && n <= sizes[k]);
			for (size_t i = 0; i < n; i++) {
				assert_int_equal(f.plan.state[rows[i]], PLAN_SEND);
				assert_int_equal(f.plan.chunk[rows[i]], c);
				/* In input order. */
				if (i > 0)
					assert_true(rows[i] > rows[i - 1]);
			}
			total += n;
		}
		assert_int_equal(total, 1234);
		fx_free(&f);
	}
	buf_free(&text);
}

static void
test_empty(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "", "contacts", "companies", "279", 0, &cause), 0);
	assert_int_equal(f.plan.nchunks, 0);
	assert_int_equal(f.plan.nsend, 0);
	fx_free(&f);
}

static void
test_unresolved_labels_counted(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "101,202\n", "contacts", "companies",
	    "Billing contact", 0, &cause), 0);
	assert_int_equal(f.plan.unresolved, 1);
	assert_int_equal(f.plan.nsend, 1);
	fx_free(&f);
}

static void
test_notes(void **state)
{
	(void)state;
	struct fx f;
	char *cause = NULL;
	assert_int_equal(build(&f, "101,202,36\n103,204,36\n", "contacts",
	    "companies", "279", 0, &cause), 0);
	/* One note, however many rows share it. */
	assert_int_equal(f.plan.nnotes, 1);
	assert_non_null(strstr(f.plan.notes[0], "USER_DEFINED:36"));
	fx_free(&f);
}

/* Whether a send of the pairs is the session's next: the same choices,
 * the types as resolved (the rows may differ). */
static void
test_same_choice(void **state)
{
	(void)state;
	struct planfx a, b, c, d;

	planfx_build(&a, "1,2\n", "contacts", "companies", "279", 10);
	planfx_build(&b, "3,4\n5,6\n", "contacts", "companies", "HUBSPOT_DEFINED:279", 10);
	planfx_build(&c, "1,2\n", "contacts", "companies", "279;1", 10);
	planfx_build(&d, "1,2\n", "contacts", "deals", "4", 10);
	assert_true(plan_same_choice(&a.plan, &b.plan));
	assert_false(plan_same_choice(&a.plan, &c.plan));   /* other types */
	assert_false(plan_same_choice(&a.plan, &d.plan));   /* another direction */
	b.plan.op = PLAN_OP_REMOVE;
	assert_false(plan_same_choice(&a.plan, &b.plan));   /* another operation */
	c.plan.op = PLAN_OP_REMOVE;
	assert_true(plan_same_choice(&b.plan, &c.plan));    /* a remove's types are not its */
	planfx_free(&a);
	planfx_free(&b);
	planfx_free(&c);
	planfx_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_add_up),
		cmocka_unit_test(test_same_types_written_differently_are_duplicates),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_one_conflict),
		cmocka_unit_test(test_line_types_checked),
		cmocka_unit_test(test_bad_defaults_are_usage_errors),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unresolved_labels_counted),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_same_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
