/* verify.c: a created row read back (see verify.h). */
#include "hubassoc/verify.h"

#include <stdlib.h>
#include <string.h>

#include "hubassoc/op.h"
#include "hubassoc/text.h"

static const char *const names[VERIFY_COUNT] = {
	[VERIFY_CONFIRMED] = "confirmed", [VERIFY_MISSING] = "missing",
	[VERIFY_DIFFER] = "types_differ",
};

const char *
verdict_name(enum verdict v)
{
	return v < VERIFY_COUNT ? names[v] : "?";
}

enum verdict
verify_row(const struct session *s, const struct assocset *now, size_t row,
    struct buf *lacks)
{
	const struct input_row *r = &s->in->rows[row];
	const struct assocread_to *pair = assocset_pair(now, input_from(s->in, r),
	    input_to(s->in, r));
	const struct plan_types *t = plan_row_types(&s->plan, s->in, row);
	bool differ = false;

	if (pair == NULL)
		return VERIFY_MISSING;
	for (size_t i = 0; t->ok && i < t->n; i++) {
		if (assocread_to_has(pair, t->specs[i].cat, t->specs[i].type_id))
			continue;
		if (lacks != NULL)
			buf_printf(lacks, "%s%s:%u", differ ? ";" : "",
			    assoc_category_name(t->specs[i].cat), t->specs[i].type_id);
		differ = true;
	}
	return differ ? VERIFY_DIFFER : VERIFY_CONFIRMED;
}

int
verify_journal(struct journal *j, size_t rows, const size_t *count)
{
	struct buf rec = BUF_INIT;
	char at[32];
	int rc;

	time_iso8601(at, 1);
	buf_printf(&rec, "{\"t\":\"verified\",\"time\":\"%s\",\"rows\":%zu,"
	    "\"confirmed\":%zu,\"missing\":%zu,\"types_differ\":%zu}", at, rows,
	    count[VERIFY_CONFIRMED], count[VERIFY_MISSING], count[VERIFY_DIFFER]);
	rc = journal_append(j, rec.data, rec.len, true);
	buf_free(&rec);
	return rc;
}

/* ---- the operation ------------------------------------------------------ */

struct verify_op {
	uint32_t *rows;
	size_t n;
	struct assocset *set;
	uint8_t *verdict;          /* by row; VERIFY_COUNT: not verified */
	size_t count[VERIFY_COUNT];
};

static void
verify_step(struct op *o)
{
	struct verify_op *v = o->data;
	const struct session *s = o->s;

	if (o->calls == NULL) {
		v->n = session_retry_rows(s, 1u << OUTCOME_CREATED, &v->rows);
		if (v->n == 0) {
			op_finish(o, EXIT_ALL_CREATED, "session %s created no pair: "
			    "nothing to verify", s->meta.id);
			return;
		}
		const char **ids = xcalloc(v->n + 1, sizeof(*ids));
		struct buf path = BUF_INIT;
		for (size_t i = 0; i < v->n; i++)
			ids[i] = input_from(s->in, &s->in->rows[v->rows[i]]);
		request_assoc_path(&path, o->c->api, &s->from, &s->to, "batch/read");
		v->set = assocset_new(op_calls(o, true, "the verify"), "verify",
		    buf_str(&path));
		assocset_read(v->set, ids, v->n);
		free(ids);
		buf_free(&path);
		return;
	}
	if (!op_calls_ended(o, NULL))
		return;
	v->verdict = xcalloc(s->in->nrows + 1, sizeof(*v->verdict));
	memset(v->verdict, VERIFY_COUNT, s->in->nrows);
	for (size_t i = 0; i < v->n; i++) {
		enum verdict x = verify_row(s, v->set, v->rows[i], NULL);
		v->verdict[v->rows[i]] = (uint8_t)x;
		v->count[x]++;
	}
	bool unwritten = o->j != NULL && verify_journal(o->j, v->n, v->count) != 0;
	char a[32];
	op_finish(o, unwritten ? EXIT_AUTH : v->count[VERIFY_CONFIRMED] == v->n ?
	    EXIT_ALL_CREATED : EXIT_SOME_FAILED, "session %s verified: %s created "
	    "row(s): %zu confirmed, %zu missing, %zu types differ (%zu request(s))%s",
	    s->meta.id, fmt_count(a, v->n), v->count[VERIFY_CONFIRMED],
	    v->count[VERIFY_MISSING], v->count[VERIFY_DIFFER], op_requests(o),
	    unwritten ? "; the journal could not be written" : "");
}

static void
verify_clear(struct op *o)
{
	struct verify_op *v = o->data;

	assocset_free(v->set);
	free(v->rows);
	free(v->verdict);
	free(v);
}

static const struct op_kind verify_kind = {
	.name = "verify", .step = verify_step, .clear = verify_clear,
};

struct op *
op_verify(struct conn *c, struct journal *j, struct session *s)
{
	return op_start(&verify_kind, c, j, s, xcalloc(1, sizeof(struct verify_op)));
}

const uint8_t *
op_verify_verdicts(const struct op *o, size_t count[VERIFY_COUNT])
{
	const struct verify_op *v = o->data;

	memcpy(count, v->count, sizeof(v->count));
	return v->verdict;
}

enum verdict
op_verify_row(const struct op *o, size_t row, struct buf *lacks)
{
	const struct verify_op *v = o->data;

	return verify_row(o->s, v->set, row, lacks);
}
