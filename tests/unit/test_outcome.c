/* test_outcome.c: joining answers to rows by IDs, one outcome per row. */
#include "testutil.h"

#include "hubassoc/explain.h"
#include "hubassoc/verify.h"
#include "hubassoc/outcome.h"
#include "planfx.h"

static void
answer(struct response *r, int status, const char *body)
{
	response_parse(r, status, body, strlen(body));
}

static size_t
sum(const struct outcomes *o)
{
	size_t n = 0;

	for (int i = 0; i < OUTCOME_COUNT; i++)
		n += o->count[i];
	return n;
}

static const struct hs_error *
row_error(const struct outcomes *o, size_t row)
{
	return o->err[row] ? o->errors[o->err[row] - 1].error : NULL;
}

/* Joins body as the answer to chunk 0. */
static void
join0(struct planfx *f, struct outcomes *o, int status, const char *body,
    struct join_report *rep)
{
	struct response r;
	size_t n;
	const uint32_t *rows = plan_chunk_rows(&f->plan, 0, &n);

	answer(&r, status, body);
	join_batch(o, &f->plan, f->in, rows, n, 0, &r, rep);
	response_free(&r);
}

static void
test_all_created_any_order(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "101,202\n103,204\n105,206\nbad,1\n101,202\n", "contacts",
	    "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	assert_int_equal(o.count[OUTCOME_PENDING], 3);
	assert_int_equal(o.count[OUTCOME_INVALID], 1);
	assert_int_equal(o.count[OUTCOME_DUPLICATE], 1);
	join0(&f, &o, 201, "{\"status\":\"COMPLETE\",\"results\":["
	    "{\"fromObjectId\":105,\"toObjectId\":206,\"labels\":[]},"
	    "{\"fromObjectId\":\"101\",\"toObjectId\":202,\"labels\":[\"Billing contact\"]},"
	    "{\"fromObjectId\":103,\"toObjectId\":204}]}", &rep);
	assert_int_equal(rep.created, 3);
	assert_int_equal(rep.failed, 0);
	assert_int_equal(o.count[OUTCOME_CREATED], 3);
	assert_int_equal(o.state[0], OUTCOME_CREATED);
	assert_int_equal(o.http[0], 201);
	assert_int_equal(o.labels[0] != 0, 1);
	assert_string_equal(o.label_sets[o.labels[0] - 1].v[0], "Billing contact");
	assert_int_equal(o.labels[1], 0);
	assert_int_equal(sum(&o), 5);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_partial_207_grouped(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "101,202\n101,999\n103,998\n104,997\n", "contacts",
	    "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	size_t len;
	char *body = fixture("create-207.json", &len);
	join0(&f, &o, 207, body, &rep);
	free(body);
	assert_int_equal(o.state[0], OUTCOME_CREATED);
	assert_int_equal(o.state[1], OUTCOME_FAILED);
	assert_int_equal(o.state[2], OUTCOME_FAILED);
	/* One grouped error decides both rows. */
	assert_int_equal(o.err[1], o.err[2]);
	assert_string_equal(row_error(&o, 1)->category, "VALIDATION_ERROR");
	assert_int_equal(o.errors[o.err[1] - 1].rows, 2);
	/* Neither confirmed nor reported: failed, with a local error. */
	assert_int_equal(o.state[3], OUTCOME_FAILED);
	assert_string_equal(row_error(&o, 3)->category, OUTCOME_CAT_NOT_CONFIRMED);
	assert_true(o.errors[o.err[3] - 1].local);
	assert_int_equal(rep.unconfirmed, 1);
	assert_int_equal(rep.failed, 3);
	assert_int_equal(sum(&o), 4);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_side_from_type_name(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	/* 202 is a company in row 1 and a contact in row 2. */
	planfx_build(&f, "101,202\n202,303\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	join0(&f, &o, 207, "{\"status\":\"COMPLETE\",\"results\":["
	    "{\"fromObjectId\":101,\"toObjectId\":202}],\"errors\":[{\"status\":"
	    "\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"One or more "
	    "associations are invalid\",\"context\":{\"INVALID_OBJECT_IDS\":"
	    "[\"CONTACT=202 is not valid\"]}}]}", &rep);
	assert_int_equal(o.state[0], OUTCOME_CREATED);
	assert_int_equal(o.state[1], OUTCOME_FAILED);
	assert_string_equal(row_error(&o, 1)->category, "VALIDATION_ERROR");
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_same_object_either_side(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "5,6\n7,5\n8,9\n", "companies", "companies", "450", 0);
	outcomes_init(&o, &f.plan, false);
	join0(&f, &o, 207, "{\"status\":\"COMPLETE\",\"results\":["
	    "{\"fromObjectId\":8,\"toObjectId\":9}],\"errors\":[{\"status\":\"error\","
	    "\"message\":\"x\",\"context\":{\"INVALID_OBJECT_IDS\":"
	    "[\"COMPANY=5 is not valid\"]}}]}", &rep);
	assert_int_equal(o.state[0], OUTCOME_FAILED);
	assert_int_equal(o.state[1], OUTCOME_FAILED);
	assert_int_equal(o.state[2], OUTCOME_CREATED);
	assert_int_equal(rep.unconfirmed, 0);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_context_key_side(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "777,1\n2,777\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	join0(&f, &o, 207, "{\"status\":\"COMPLETE\",\"results\":["
	    "{\"fromObjectId\":2,\"toObjectId\":777}],\"errors\":[{\"message\":"
	    "\"from id is invalid\",\"context\":{\"fromObjectId\":[\"777\"]}}]}", &rep);
	assert_int_equal(o.state[0], OUTCOME_FAILED);
	assert_string_equal(row_error(&o, 0)->message, "from id is invalid");
	assert_int_equal(o.state[1], OUTCOME_CREATED);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_type_named_error(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "101,202,USER_DEFINED:3\n103,204,279\n", "contacts",
	    "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	size_t len;
	char *body = fixture("create-207-type.json", &len);
	join0(&f, &o, 207, body, &rep);
	free(body);
	assert_int_equal(o.state[0], OUTCOME_FAILED);
	assert_string_equal(row_error(&o, 0)->category, "VALIDATION_ERROR");
	/* Row 2 has no USER_DEFINED:3: the answer said nothing of it. */
	assert_int_equal(o.state[1], OUTCOME_FAILED);
	assert_string_equal(row_error(&o, 1)->category, OUTCOME_CAT_NOT_CONFIRMED);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_orphan_error_kept(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "101,202\n103,204\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	join0(&f, &o, 207, "{\"status\":\"COMPLETE\",\"results\":["
	    "{\"fromObjectId\":101,\"toObjectId\":202}],\"errors\":[{\"status\":"
	    "\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Something "
	    "unspecific\"}]}", &rep);
	assert_int_equal(rep.orphan_errors, 1);
	/* Kept, with no rows. */
	bool found = false;
	for (size_t i = 0; i < o.nerrors; i++)
		if (!o.errors[i].local && o.errors[i].rows == 0 &&
		    strcmp(o.errors[i].error->message, "Something unspecific") == 0)
			found = true;
	assert_true(found);
	/* And named in the local error of the row it left undecided. */
	assert_int_equal(o.state[1], OUTCOME_FAILED);
	assert_non_null(strstr(row_error(&o, 1)->message, "Something unspecific"));
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_empty_complete_is_not_success(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "101,202\n103,204\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	join0(&f, &o, 200, "{\"status\":\"COMPLETE\",\"results\":[]}", &rep);
	assert_int_equal(o.count[OUTCOME_FAILED], 2);
	assert_int_equal(o.count[OUTCOME_CREATED], 0);
	assert_non_null(strstr(row_error(&o, 0)->message, "answered 200 COMPLETE"));
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_stray_results(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct join_report rep;
	planfx_build(&f, "101,202\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	join0(&f, &o, 201, "{\"status\":\"COMPLETE\",\"results\":["
	    "{\"fromObjectId\":202,\"toObjectId\":101},"
	    "{\"fromObjectId\":101,\"toObjectId\":202},"
	    "{\"fromObjectId\":101,\"toObjectId\":202}]}", &rep);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.stray_results, 2);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_refusal(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	struct response r;
	uint32_t rest[8];
	size_t n, len;
	planfx_build(&f, "38374264688,1\n2,3\n4,5\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, false);
	const uint32_t *rows = plan_chunk_rows(&f.plan, 0, &n);
	char *body = fixture("error-400-invalid-ids.json", &len);
	response_parse(&r, 400, body, len);
	free(body);
	size_t k = join_refusal(&o, &f.plan, f.in, rows, n, 0, &r, rest);
	response_free(&r);
	assert_int_equal(k, 2);
	assert_int_equal(rest[0], 1);
	assert_int_equal(rest[1], 2);
	assert_int_equal(o.state[0], OUTCOME_FAILED);
	assert_int_equal(o.http[0], 400);
	assert_string_equal(row_error(&o, 0)->correlation_id,
	    "8f7a2c1e-5b0d-4c1a-9d7e-3f2b1a0c9e8d");
	assert_int_equal(o.count[OUTCOME_PENDING], 2);

	/* A refusal that names nothing leaves every row to send again. */
	body = fixture("error-400-bad-json.json", &len);
	response_parse(&r, 400, body, len);
	free(body);
	k = join_refusal(&o, &f.plan, f.in, rest, 2, 0, &r, rest);
	response_free(&r);
	assert_int_equal(k, 2);
	assert_int_equal(o.count[OUTCOME_PENDING], 2);
	assert_int_equal(sum(&o), 3);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_dry_run_and_names(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	planfx_build(&f, "101,202\nx,1\n", "contacts", "companies", "279", 0);
	outcomes_init(&o, &f.plan, true);
	assert_int_equal(o.state[0], OUTCOME_PLANNED);
	assert_int_equal(o.state[1], OUTCOME_INVALID);
	enum outcome e;
	for (int i = 0; i < OUTCOME_COUNT; i++) {
		assert_int_equal(outcome_parse(outcome_name((enum outcome)i), &e), 0);
		assert_int_equal(e, i);
	}
	assert_string_equal(outcome_name(OUTCOME_NOT_SENT), "not_sent");
	assert_int_equal(outcome_parse("nope", &e), -1);
	outcomes_free(&o);
	planfx_free(&f);
}

/* What a resume sends: not_sent rows again, and pending ones (a crash). */
static void
test_requeue(void **state)
{
	(void)state;
	struct planfx f;
	struct outcomes o;
	planfx_build(&f, "101,202\n103,204\n105,206\nx,1\n", "contacts", "companies",
	    "279", 0);
	outcomes_init(&o, &f.plan, false);
	outcomes_set(&o, 0, OUTCOME_CREATED, 201, 0);
	outcomes_set(&o, 1, OUTCOME_NOT_SENT, 0, 0);
	assert_int_equal(outcomes_requeue(&o, &f.plan), 2);  /* row 1, and row 2 pending */
	assert_int_equal(o.state[1], OUTCOME_PENDING);
	assert_int_equal(o.count[OUTCOME_NOT_SENT], 0);
	assert_int_equal(o.state[3], OUTCOME_INVALID);
	outcomes_set(&o, 1, OUTCOME_CREATED, 201, 0);
	outcomes_set(&o, 2, OUTCOME_CREATED, 201, 0);
	assert_int_equal(outcomes_requeue(&o, &f.plan), 0);
	outcomes_free(&o);
	planfx_free(&f);
}

static void
test_value_names_row(void **state)
{
	struct planfx f;

	(void)state;
	/* Row 0: contact 2007 to company 3007; row 1: contact 1007 to
	 * company 2007.  The name says which side an ID is on. */
	planfx_build(&f, "2007,3007\n1007,2007\n", "contacts", "companies", "279", 0);
	const struct input *in = f.in;
	assert_true(outcome_value_names_row(&f.plan, in, 0, "INVALID_OBJECT_IDS",
	    "CONTACT=2007 is not valid"));
	assert_false(outcome_value_names_row(&f.plan, in, 0, "INVALID_OBJECT_IDS",
	    "COMPANY=2007 is not valid"));
	assert_true(outcome_value_names_row(&f.plan, in, 1, "INVALID_OBJECT_IDS",
	    "COMPANY=2007 is not valid"));
	assert_false(outcome_value_names_row(&f.plan, in, 1, "INVALID_OBJECT_IDS",
	    "COMPANY=20070 is not valid"));
	/* Bare IDs: the key's side, else either. */
	assert_true(outcome_value_names_row(&f.plan, in, 0, "ids", "3007"));
	assert_true(outcome_value_names_row(&f.plan, in, 0, "fromObjectId", "2007"));
	assert_false(outcome_value_names_row(&f.plan, in, 1, "fromObjectId", "2007"));
	assert_true(outcome_value_names_row(&f.plan, in, 1, "toObjectId", "2007"));
	/* A type reference names no row by itself. */
	assert_false(outcome_value_names_row(&f.plan, in, 0, "x",
	    "USER_DEFINED=2007 is not valid"));
	planfx_free(&f);
}

/* The index finds what a scan of the context in order finds. */
static void
test_names_index(void **state)
{
	struct planfx f;
	char *v1[] = { "COMPANY=2007 is not valid", "CONTACT=2007 is not valid",
	    "CONTACT=1005 is not valid", "USER_DEFINED=9 is not valid" };
	char *v2[] = { "3007", "9" };
	struct hs_context ctx[] = {
		{ "INVALID_OBJECT_IDS", v1, 4 }, { "toObjectId", v2, 2 },
	};
	struct hs_error e = { .category = "VALIDATION_ERROR", .context = ctx,
	    .ncontext = 2 };
	struct outcome_names x;

	(void)state;
	planfx_build(&f, "2007,3007\n1007,2007\n1005,2005\n9,9\n8,8\n", "contacts",
	    "companies", "279", 0);
	outcome_names_build(&x, &f.plan, &e);
	for (size_t row = 0; row < f.in->nrows; row++) {
		const char *want = NULL, *want_key = NULL, *key = NULL;
		for (size_t c = 0; c < e.ncontext && want == NULL; c++)
			for (size_t v = 0; v < ctx[c].n && want == NULL; v++)
				if (outcome_value_names_row(&f.plan, f.in, row, ctx[c].key,
				    ctx[c].values[v])) {
					want = ctx[c].values[v];
					want_key = ctx[c].key;
				}
		const char *got = outcome_names_find(&x, &e, f.in, row, &key);
		if (want == NULL) {
			assert_null(got);
		} else {
			assert_non_null(got);
			assert_string_equal(got, want);
			assert_string_equal(key, want_key);
		}
	}
	const char *key = NULL;
	assert_string_equal(outcome_names_find(&x, &e, f.in, 0, &key),
	    "CONTACT=2007 is not valid");
	assert_string_equal(outcome_names_find(&x, &e, f.in, 1, &key),
	    "COMPANY=2007 is not valid");
	assert_string_equal(outcome_names_find(&x, &e, f.in, 3, &key), "9");
	assert_string_equal(key, "toObjectId");
	assert_null(outcome_names_find(&x, &e, f.in, 4, &key));
	outcome_names_free(&x);
	planfx_free(&f);
}

/* Why each row is as it is, one function for every view and output: a
 * failed row by the context value naming it, an invalid one by its reason
 * (as INVALID_INPUT for exports), a repeat by its first, a created one by
 * its records' names; a verify's finding and an undo. */
static void
test_explain(void **state)
{
	struct planfx f;
	struct session s = { 0 };
	struct explain x = { 0 };
	struct buf b = BUF_INIT;
	struct hs_error scratch;
	char *v[] = { "CONTACT=2007 is not valid" };
	struct hs_context ctx[] = { { "INVALID_OBJECT_IDS", v, 1 } };
	struct hs_error e = { .category = "VALIDATION_ERROR", .message = "invalid",
	    .context = ctx, .ncontext = 1 };

	(void)state;
	planfx_build(&f, "2007,3007\n1007,2007\nabc,1\n2007,3007\n1005,2005\n",
	    "contacts", "companies", "279", 0);
	s.in = f.in;
	s.plan = f.plan;
	outcomes_init(&s.out, &s.plan, false);
	uint32_t ei = outcomes_add_error(&s.out, hs_error_dup(&e), 0, 400, false);
	outcomes_set(&s.out, 0, OUTCOME_FAILED, 400, ei);
	outcomes_set(&s.out, 1, OUTCOME_CREATED, 201, 0);
	outcomes_set(&s.out, 4, OUTCOME_UNDONE, 201, 0);
	names_put(&s.names[0], "1007", "Ada");
	names_put(&s.names[1], "2007", "Acme");

	explain_line(&x, &s, NULL, NULL, 0, &b);
	assert_string_equal(buf_str(&b), "VALIDATION_ERROR: CONTACT=2007 is not valid");
	const char *key = NULL;
	assert_string_equal(explain_context(&x, &s.out, &s.plan, s.in, 0, &key),
	    "CONTACT=2007 is not valid");
	assert_string_equal(key, "INVALID_OBJECT_IDS");
	buf_reset(&b);
	explain_line(&x, &s, NULL, NULL, 1, &b);
	assert_string_equal(buf_str(&b), "Ada -> Acme");
	buf_reset(&b);
	explain_line(&x, &s, NULL, NULL, 2, &b);
	assert_non_null(strstr(buf_str(&b), "FROM ID"));
	const struct hs_error *why = explain_error(&s.out, &s.plan, s.in, 2, &scratch);
	assert_string_equal(why->category, OUTCOME_CAT_INVALID_INPUT);
	assert_string_equal(why->message, buf_str(&b));
	explain_error_done(why, &scratch);
	assert_null(explain_error(&s.out, &s.plan, s.in, 1, &scratch));
	buf_reset(&b);
	explain_line(&x, &s, NULL, NULL, 3, &b);
	assert_string_equal(buf_str(&b), "repeats line 1");
	/* Verified since: the pair is gone; an undo that holds. */
	uint8_t verdict[5] = { VERIFY_COUNT, VERIFY_MISSING, VERIFY_COUNT, VERIFY_COUNT,
	    VERIFY_CONFIRMED };
	const struct explain_verified ver = { verdict, NULL };
	buf_reset(&b);
	explain_line(&x, &s, &ver, NULL, 1, &b);
	assert_string_equal(buf_str(&b), "verify: missing, the pair is gone");
	buf_reset(&b);
	explain_line(&x, &s, &ver, NULL, 4, &b);
	assert_string_equal(buf_str(&b), "verify: the undo holds");
	buf_reset(&b);
	explain_line(&x, &s, NULL, NULL, 4, &b);
	assert_string_equal(buf_str(&b), "taken back by the session's undo");
	/* A pair the preflight found there: HubSpot answers it as made. */
	prestate_init(&s.pre, s.in->nrows);
	struct pre_row there = { .cls = PRE_THERE };
	prestate_set(&s.pre, 1, &there);
	buf_reset(&b);
	explain_line(&x, &s, NULL, NULL, 1, &b);
	assert_string_equal(buf_str(&b), "already there before the send: the portal "
	    "changed nothing");
	prestate_free(&s.pre);

	buf_free(&b);
	explain_free(&x);
	outcomes_free(&s.out);
	names_free(&s.names[0]);
	names_free(&s.names[1]);
	planfx_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_created_any_order),
		cmocka_unit_test(test_partial_207_grouped),
		cmocka_unit_test(test_side_from_type_name),
		cmocka_unit_test(test_same_object_either_side),
		cmocka_unit_test(test_context_key_side),
		cmocka_unit_test(test_type_named_error),
		cmocka_unit_test(test_orphan_error_kept),
		cmocka_unit_test(test_empty_complete_is_not_success),
		cmocka_unit_test(test_stray_results),
		cmocka_unit_test(test_refusal),
		cmocka_unit_test(test_dry_run_and_names),
		cmocka_unit_test(test_requeue),
		cmocka_unit_test(test_value_names_row),
		cmocka_unit_test(test_names_index),
		cmocka_unit_test(test_explain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
