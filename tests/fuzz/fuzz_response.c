/*
 * fuzz_response: HubSpot's answers, read as the untrusted input they are,
 * and the join that turns them into row outcomes.
 *
 * Whatever the body, under any status: the parser keeps IDs only as
 * canonical digit strings; an error written back as JSON and read again is
 * the same error; a 2xx answer joined to a request leaves none of its rows
 * pending and every failed row with an error; a refusal either fails a row
 * with the error or keeps it to be sent again, never both, never neither.
 */
#include <string.h>

#include "fuzz.h"
#include "hubassoc/outcome.h"

/* IDs the seeds use, so mutations of them still name rows. */
static const char ROWS[] =
	"101,202\n101,999\n103,998\n103,204\n38374264688,101935997007\n"
	"9007199254740993,12345678901234567890\n12,42\n1,2\n202,101\n";

static const int STATUSES[] = { 200, 201, 207, 400, 429, 500 };

static struct fixture {
	struct input *in;
	struct plan plan;
	struct objtype from, to;
	struct assoc_labels labels;
	struct assoc_spec spec;
} fx;

static void
setup(void)
{
	char *cause = NULL;

	if (fx.in != NULL)
		return;
	FUZZ_CHECK(objtype_parse("contacts", &fx.from, &cause) == 0 &&
	    objtype_parse("companies", &fx.to, &cause) == 0 &&
	    assoc_spec_parse("279", 3, &fx.spec, &cause) == 0, "setup");
	fx.in = input_new();
	input_feed(fx.in, ROWS, strlen(ROWS));
	input_finish(fx.in);
	assoc_labels_builtin(&fx.labels, &fx.from, &fx.to);
	FUZZ_CHECK(plan_build(&fx.plan, fx.in, &fx.from, &fx.to, &fx.spec, 1,
	    &fx.labels, 0, &cause) == 0 && fx.plan.nchunks == 1, "setup plan");
}

static bool
is_id(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= RESPONSE_ID_MAX && s[n] == '\0' &&
	    (s[0] != '0' || n == 1);
}

/* hs_error_json() promises that reading its output back gives the same
 * error: the second writing must equal the first. */
static void
check_round_trip(const struct hs_error *e)
{
	struct buf a = {0}, b = {0};
	struct response r;

	hs_error_json(&a, e);
	response_parse(&r, 400, a.data, a.len);
	FUZZ_CHECK(r.kind == RESPONSE_ERROR, "an error's JSON reads as kind %d: %s",
	    (int)r.kind, buf_str(&a));
	hs_error_json(&b, &r.error);
	FUZZ_CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "an error changes when read back:\n%s\n%s", buf_str(&a), buf_str(&b));
	response_free(&r);
	buf_free(&a);
	buf_free(&b);
}

static void
check_outcomes(const struct outcomes *o, size_t nrows)
{
	size_t total = 0;

	for (int k = 0; k < OUTCOME_COUNT; k++)
		total += o->count[k];
	FUZZ_CHECK(total == nrows, "outcomes count %zu rows of %zu", total, nrows);
	for (size_t i = 0; i < nrows; i++) {
		if (o->state[i] == OUTCOME_FAILED)
			FUZZ_CHECK(outcomes_error(o, i) != NULL,
			    "row %zu failed without an error", i);
		if (o->err[i] != 0)
			FUZZ_CHECK(o->err[i] <= o->nerrors, "row %zu's error is out of range", i);
	}
}

static void
check_join(const struct response *r, int status)
{
	struct outcomes o;
	size_t n;
	const uint32_t *rows = plan_chunk_rows(&fx.plan, 0, &n);

	outcomes_init(&o, &fx.plan, false);
	if (status / 100 == 2) {
		struct join_report rep = {0};

		join_batch(&o, &fx.plan, fx.in, rows, n, 0, r, &rep);
		for (size_t k = 0; k < n; k++)
			FUZZ_CHECK(o.state[rows[k]] == OUTCOME_CREATED ||
			    o.state[rows[k]] == OUTCOME_FAILED,
			    "row %u is left %s by a %d", rows[k],
			    outcome_name(o.state[rows[k]]), status);
		FUZZ_CHECK(rep.created + rep.failed == n,
		    "the report counts %zu + %zu of %zu rows", rep.created,
		    rep.failed, n);
		FUZZ_CHECK(rep.created == o.count[OUTCOME_CREATED],
		    "the report disagrees with the outcomes");
	} else if (r->kind == RESPONSE_ERROR) {
		uint32_t rest[64];
		size_t kept = join_refusal(&o, &fx.plan, fx.in, rows, n, 0, r, rest);

		FUZZ_CHECK(kept <= n, "kept %zu of %zu", kept, n);
		FUZZ_CHECK(kept + o.count[OUTCOME_FAILED] == n,
		    "%zu kept and %zu failed of %zu", kept, o.count[OUTCOME_FAILED], n);
		for (size_t k = 0; k < kept; k++)
			FUZZ_CHECK(o.state[rest[k]] == OUTCOME_PENDING,
			    "row %u kept but not pending", rest[k]);
	}
	check_outcomes(&o, fx.in->nrows);
	outcomes_free(&o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	for (size_t s = 0; s < sizeof(STATUSES) / sizeof(*STATUSES); s++) {
		struct response r;

		response_parse(&r, STATUSES[s], (const char *)data, size);
		for (size_t i = 0; i < r.nresults; i++)
			FUZZ_CHECK(is_id(r.results[i].from_id) && is_id(r.results[i].to_id),
			    "result %zu keeps a bad ID", i);
		if (r.kind == RESPONSE_ERROR)
			check_round_trip(&r.error);
		for (size_t i = 0; i < r.nerrors; i++)
			check_round_trip(&r.errors[i]);
		check_join(&r, STATUSES[s]);
		response_free(&r);
	}
	return 0;
}
