/*
 * fuzz_input: the pairs parser and the plan built on it.
 *
 * The same bytes fed whole and fed in pieces (one byte at a time when
 * short) must give the same rows: the parser is streaming and a paste or a
 * pipe may cut a line anywhere.  Every valid row holds two IDs of 1 to 20
 * digits without leading zeros; the plan sends, rejects or folds every row
 * exactly once; each chunk's request body is JSON naming its rows.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "hubassoc/outcome.h"
#include "hubassoc/request.h"

static struct input *
parse(const uint8_t *data, size_t size, size_t piece)
{
	struct input *in = input_new();

	for (size_t i = 0; i < size; i += piece)
		input_feed(in, data + i, size - i < piece ? size - i : piece);
	input_finish(in);
	return in;
}

static void
same_rows(const struct input *a, const struct input *b, size_t piece)
{
	FUZZ_CHECK(a->nrows == b->nrows, "%zu rows whole, %zu in pieces of %zu",
	    a->nrows, b->nrows, piece);
	FUZZ_CHECK(a->lines == b->lines && a->blank == b->blank &&
	    a->comments == b->comments && a->header_line == b->header_line,
	    "line counts differ in pieces of %zu", piece);
	FUZZ_CHECK((a->fatal == NULL) == (b->fatal == NULL),
	    "fatal differs in pieces of %zu", piece);
	for (size_t i = 0; i < a->nrows; i++) {
		const struct input_row *x = &a->rows[i], *y = &b->rows[i];

		FUZZ_CHECK(x->line == y->line && x->status == y->status &&
		    x->reason == y->reason && x->field == y->field,
		    "row %zu differs in pieces of %zu", i, piece);
		if (x->status == ROW_VALID)
			FUZZ_CHECK(strcmp(input_from(a, x), input_from(b, y)) == 0 &&
			    strcmp(input_to(a, x), input_to(b, y)) == 0,
			    "row %zu's IDs differ in pieces of %zu", i, piece);
	}
}

static bool
is_id(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= INPUT_ID_MAX_DIGITS && s[n] == '\0' && s[0] != '0';
}

static void
check_plan(struct input *in)
{
	struct objtype from, to;
	struct assoc_spec spec;
	struct assoc_labels labels;
	struct plan p;
	char *cause = NULL;

	FUZZ_CHECK(objtype_parse("contacts", &from, &cause) == 0 &&
	    objtype_parse("companies", &to, &cause) == 0 &&
	    assoc_spec_parse("279", 3, &spec, &cause) == 0, "setup");
	assoc_labels_builtin(&labels, &from, &to);
	FUZZ_CHECK(plan_build(&p, in, &from, &to, &spec, 1, &labels, 3,
	    &cause) == 0, "plan_build refused: %s", cause);
	FUZZ_CHECK(p.nsend + p.ninvalid + p.nduplicate == in->nrows,
	    "the plan's counts do not add up");

	size_t sent = 0;
	for (size_t c = 0; c < p.nchunks; c++) {
		size_t n;
		const uint32_t *rows = plan_chunk_rows(&p, c, &n);
		char *body = request_create_body(&p, in, c, &cause);

		FUZZ_CHECK(n >= 1 && n <= 3, "chunk of %zu", n);
		for (size_t k = 0; k < n; k++)
			FUZZ_CHECK(p.state[rows[k]] == PLAN_SEND && p.chunk[rows[k]] == c,
			    "chunk %zu holds a row not sent in it", c);
		if (body == NULL) {
			/* Only a label name the portal has yet to resolve
			 * keeps a chunk from being written. */
			FUZZ_CHECK(p.unresolved > 0, "no body: %s", cause);
			free(cause);
			cause = NULL;
			sent += n;
			continue;
		}
		cJSON *j = cJSON_Parse(body);
		cJSON *inputs = cJSON_GetObjectItem(j, "inputs");
		FUZZ_CHECK((size_t)cJSON_GetArraySize(inputs) == n,
		    "chunk %zu's body does not hold its %zu rows", c, n);
		cJSON_Delete(j);
		free(body);
		sent += n;
	}
	FUZZ_CHECK(sent == p.nsend, "chunks hold %zu rows of %zu", sent, p.nsend);
	for (size_t i = 0; i < in->nrows; i++) {
		const struct input_row *r = &in->rows[i];

		/* A row waiting for its keys' lookup holds keys; every
		 * other the plan took, IDs. */
		if (p.why[i] == INPUT_KEY_PENDING)
			FUZZ_CHECK(r->status == ROW_VALID && input_cell_ok(input_from(in, r)) &&
			    input_cell_ok(input_to(in, r)) && input_row_pending(in, r),
			    "row %zu waits for a lookup with no key", i);
		else if (p.state[i] != PLAN_INVALID || p.why[i] != INPUT_OK)
			FUZZ_CHECK(r->status == ROW_VALID && is_id(input_from(in, r)) &&
			    is_id(input_to(in, r)), "row %zu planned with bad IDs", i);
		FUZZ_CHECK((p.why[i] != INPUT_OK) == (p.state[i] == PLAN_INVALID &&
		    r->status == ROW_VALID), "row %zu's plan reason", i);
		if (p.state[i] == PLAN_DUPLICATE || p.why[i] == INPUT_CONFLICT) {
			const struct input_row *o = &in->rows[p.other[i]];

			/* A repeat names the first, sent; a conflict the
			 * other row refused with it. */
			FUZZ_CHECK(p.why[i] == INPUT_CONFLICT ?
			    p.other[i] != i && p.why[p.other[i]] == INPUT_CONFLICT :
			    p.other[i] < i && p.state[p.other[i]] == PLAN_SEND,
			    "row %zu names row %u", i, p.other[i]);
			FUZZ_CHECK(strcmp(input_from(in, r), input_from(in, o)) == 0 &&
			    strcmp(input_to(in, r), input_to(in, o)) == 0,
			    "row %zu is no duplicate of row %u", i, p.other[i]);
		}
		if (p.why[i] == INPUT_ONE_CONFLICT)
			FUZZ_CHECK(p.other[i] != i && p.why[p.other[i]] == INPUT_ONE_CONFLICT,
			    "row %zu's conflict names row %u", i, p.other[i]);
	}

	struct outcomes o;
	size_t total = 0;
	outcomes_init(&o, &p, false);
	for (int k = 0; k < OUTCOME_COUNT; k++)
		total += o.count[k];
	FUZZ_CHECK(total == in->nrows && o.count[OUTCOME_PENDING] == p.nsend,
	    "outcomes do not start from the plan");
	outcomes_free(&o);
	plan_free(&p);
	assoc_labels_free(&labels);
	assoc_spec_clear(&spec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input *whole = parse(data, size, size ? size : 1);
	size_t pieces[] = { 1, 2, 7, size / 2 + 1 };

	for (size_t k = size > 512 ? 2 : 0; k < sizeof(pieces) / sizeof(*pieces); k++) {
		struct input *cut = parse(data, size, pieces[k]);
		same_rows(whole, cut, pieces[k]);
		input_free(cut);
	}
	check_plan(whole);
	input_free(whole);
	return 0;
}
