/* op_read.c: what the portal holds for some records, read whole, as an
 * operation both front ends drive (see op.h): the command line's read,
 * the terminal's Portal view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/assocset.h"
#include "hubassoc/op.h"
#include "hubassoc/request.h"
#include "hubassoc/text.h"

struct read_op {
	struct objtype from, to;
	const struct assoc_spec *specs;
	size_t nspecs;
	const char *const *ids;
	size_t n;
	struct assocset *set;
	size_t pairs, none, missing;
};

/* The records and their pairs of the types asked for, counted. */
static void
count(struct read_op *x)
{
	for (size_t i = 0; i < assocset_records(x->set); i++) {
		const char *id = assocset_record_id(x->set, i);
		const struct assocread_from *f = assocset_from(x->set, id);
		size_t pairs = 0;
		if (assocset_missing(x->set, id)) {
			x->missing++;
			continue;
		}
		for (size_t t = 0; f != NULL && t < f->nto; t++)
			pairs += assocread_to_wanted(&f->to[t], x->specs, x->nspecs);
		x->pairs += pairs;
		x->none += pairs == 0;
	}
}

static void
read_step(struct op *o)
{
	struct read_op *x = o->data;
	char nf[48] = "", a[64], b[64], c[32], d[64];

	if (o->calls == NULL) {
		struct buf path = BUF_INIT;
		request_assoc_path(&path, o->c->api, &x->from, &x->to, "batch/read");
		x->set = assocset_new(op_calls(o, false, "read"), "read", buf_str(&path));
		assocset_read(x->set, x->ids, x->n);
		x->ids = NULL;             /* the set has them */
		buf_free(&path);
		return;
	}
	if (!op_calls_ended(o, NULL))
		return;
	count(x);
	/* HubSpot answers an ID that is no record as one with none: "not
	 * found" only when a server says so. */
	if (x->missing > 0)
		snprintf(nf, sizeof(nf), "; %s not found", fmt_count(c, x->missing));
	op_finish(o, EXIT_ALL_CREATED, "read %s to %s: %s, %s; %s with none%s%s; %s",
	    objtype_name(&x->from), objtype_name(&x->to),
	    fmt_counted(a, assocset_records(x->set), "record"),
	    fmt_counted(b, x->pairs, "pair"), fmt_count(c, x->none),
	    x->nspecs > 0 ? " of those types" : "", nf,
	    fmt_counted(d, op_requests(o), "request"));
}

static void
read_clear(struct op *o)
{
	struct read_op *x = o->data;

	assocset_free(x->set);
	free(x);
}

static const struct op_kind read_kind = {
	.name = "read", .step = read_step, .clear = read_clear,
};

struct op *
op_read(struct conn *c, const struct objtype *from, const struct objtype *to,
    const struct assoc_spec *specs, size_t nspecs, const char *const *ids, size_t n)
{
	struct read_op *x = xcalloc(1, sizeof(*x));

	x->from = *from;
	x->to = *to;
	x->specs = specs;
	x->nspecs = nspecs;
	x->ids = ids;
	x->n = n;
	return op_start(&read_kind, c, NULL, NULL, x);
}

struct assocset *
op_read_take(struct op *o)
{
	struct read_op *x = o->data;
	struct assocset *set = x->set;

	x->set = NULL;
	return set;
}

size_t
op_read_records(const struct op *o)
{
	const struct read_op *x = o->data;

	return x->set != NULL ? assocset_records(x->set) : 0;
}
