/* verify.c: a created row read back (see verify.h). */
#include "hubassoc/verify.h"

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
