/* op_names.c: the records' names read and the keys' records looked up,
 * as operations both front ends drive (see op.h). */
#include <stdlib.h>
#include <string.h>

#include "hubassoc/input.h"
#include "hubassoc/lookup.h"
#include "hubassoc/names.h"
#include "hubassoc/op.h"
#include "hubassoc/text.h"

/* ---- names ---------------------------------------------------------------- */

struct names_op {
	const struct input *in;
	const struct objtype *t[2];
	const char *display[2];
	const struct names *have;
	struct names got[2];
	size_t records, queued;
	bool asked;
};

static void
names_step(struct op *o)
{
	struct names_op *x = o->data;
	char a[64], b[64];

	if (!x->asked) {
		struct calls *c = op_calls(o, false, "names");
		size_t wanted = 0;
		x->asked = true;
		for (int side = 0; side < 2; side++) {
			struct names_kind k;
			const char **ids;
			bool named = names_kind_of(x->t[side], x->display[side], &k);
			size_t n = names_wanted(x->in, side, &x->have[side], &ids);
			wanted += n;
			if (named) {
				x->records += n;
				x->queued += names_fetch(c, o->c->api, "names", x->t[side], &k, ids,
				    n, &x->got[side]);
			}
			free(ids);
		}
		if (x->queued == 0)
			op_finish(o, EXIT_ALL_CREATED, wanted == 0 ? "names: every record is "
			    "named already" : "names: no name is known for these object "
			    "types' records (a custom object's, from the portal's schemas, "
			    "once they are read)");
		return;
	}
	enum engine_stop stop = calls_stop_reason(o->calls);
	const char *msg = calls_stop_message(o->calls);
	if (stop != ENGINE_COMPLETE) {
		op_finish(o, session_stop_status(stop), "names: stopped after %s (%s)",
		    fmt_counted(a, calls_stats(o->calls)->requests, "request"),
		    msg != NULL ? msg : engine_stop_name(stop, 0));
		return;
	}
	op_finish(o, EXIT_ALL_CREATED, "names: %s named, in %s", fmt_counted(a,
	    x->got[0].n + x->got[1].n, "record"), fmt_counted(b,
	    calls_stats(o->calls)->requests, "request"));
}

static void
names_clear(struct op *o)
{
	struct names_op *x = o->data;

	names_free(&x->got[0]);
	names_free(&x->got[1]);
	free(x);
}

static const struct op_kind names_op_kind = {
	.name = "names", .step = names_step, .clear = names_clear,
};

struct op *
op_names(struct conn *c, const struct input *in, const struct objtype *from,
    const struct objtype *to, const char *const display[2],
    const struct names have[2])
{
	struct names_op *x = xcalloc(1, sizeof(*x));

	x->in = in;
	x->t[0] = from;
	x->t[1] = to;
	x->display[0] = display != NULL ? display[0] : NULL;
	x->display[1] = display != NULL ? display[1] : NULL;
	x->have = have;
	return op_start(&names_op_kind, c, NULL, NULL, x);
}

size_t
op_names_reading(const struct op *o, size_t *requests)
{
	const struct names_op *x = o->data;

	*requests = x->queued;
	return x->records;
}

struct names *
op_names_got(struct op *o)
{
	struct names_op *x = o->data;

	return x->got;
}

/* ---- keys ----------------------------------------------------------------- */

struct keys_op {
	struct input *in;
	struct names *names;
	struct lookup *l;
	struct rate search;        /* CRM search's own budget */
	uint32_t *changed;
	size_t nchanged;
	uint64_t started;
	/* Its requests' records, held for the session the rows go on to
	 * (op_keys_journal): none has begun yet. */
	struct journal *held;
};

static void
keys_step(struct op *o)
{
	struct keys_op *x = o->data;
	char a[64], b[64], d[32], e[64];

	if (o->calls == NULL)
		return;                /* no key: done at the start */
	enum engine_stop stop = calls_stop_reason(o->calls);
	const char *msg = calls_stop_message(o->calls);
	if (lookup_refused(x->l) != NULL) {
		/* A property no record can be found by: the input's fault. */
		op_finish(o, EXIT_USAGE, "nothing was sent: %s", lookup_refused(x->l));
		return;
	}
	if (stop != ENGINE_COMPLETE) {
		op_finish(o, session_stop_status(stop), "nothing was sent: the lookup stopped "
		    "after %s (%s)", fmt_counted(a, calls_stats(o->calls)->requests,
		    "request"), msg != NULL ? msg : engine_stop_name(stop, 0));
		return;
	}
	/* The rows that waited get their IDs, or say why not. */
	x->changed = xcalloc(x->in->nrows + 1, sizeof(*x->changed));
	for (size_t i = 0; i < x->in->nrows; i++)
		if (input_row_pending(x->in, &x->in->rows[i]))
			x->changed[x->nchanged++] = (uint32_t)i;
	lookup_apply(x->l, x->in, x->names);
	size_t one, none, many;
	lookup_counts(x->l, &one, &none, &many);
	op_say(o, "  keys       %s found, %s not found, %s on several records, in %s, "
	    "%.1f s", fmt_count(a, one), fmt_count(b, none), fmt_count(d, many),
	    fmt_counted(e, calls_stats(o->calls)->requests, "request"),
	    (double)(http_now_ms() - x->started) / 1000.0);
	op_finish(o, EXIT_ALL_CREATED, NULL);
}

static void
keys_clear(struct op *o)
{
	struct keys_op *x = o->data;

	lookup_free(x->l);
	rate_free(&x->search);
	journal_close(x->held);
	free(x->changed);
	free(x);
}

static const struct op_kind keys_op_kind = {
	.name = "lookup", .step = keys_step, .clear = keys_clear,
};

struct op *
op_keys(struct conn *c, struct input *in, const struct objtype *from,
    const struct objtype *to, const char *const display[2], struct names names[2])
{
	struct keys_op *x = xcalloc(1, sizeof(*x));
	struct op *o;
	char a[64], b[64];

	x->in = in;
	x->names = names;
	x->l = lookup_new(in, c->api, from, to);
	lookup_search_rate(&x->search);
	x->held = journal_held();
	o = op_start(&keys_op_kind, c, x->held, NULL, x);
	if (lookup_keys(x->l) == 0) {
		op_finish(o, EXIT_ALL_CREATED, NULL);
		return o;
	}
	x->started = http_now_ms();
	lookup_start(x->l, op_calls(o, true, "the lookup"), &x->search, display);
	op_say(o, "  lookup     %s, at least %s", fmt_counted(a, lookup_keys(x->l),
	    "distinct key"), fmt_counted(b, lookup_least(x->l), "request"));
	return o;
}

size_t
op_keys_wanted(const struct op *o, size_t *requests)
{
	const struct keys_op *x = o->data;

	*requests = lookup_least(x->l);
	return lookup_keys(x->l);
}

const uint32_t *
op_keys_changed(const struct op *o, size_t *n)
{
	const struct keys_op *x = o->data;

	*n = x->nchanged;
	return x->changed;
}

struct journal *
op_keys_journal(struct op *o, uint64_t *requests)
{
	struct keys_op *x = o->data;
	struct journal *j = x->held;

	*requests = o->calls != NULL ? calls_next_req(o->calls) - 1 : 0;
	if (*requests == 0)
		return NULL;
	x->held = NULL;
	o->j = NULL;
	return j;
}
