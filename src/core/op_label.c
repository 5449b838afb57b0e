/* op_label.c: a label made, one POST never retried, as an operation both
 * front ends drive (labels create, the picker's m; see op.h). */
#include <stdlib.h>

#include "hubassoc/labels.h"
#include "hubassoc/op.h"
#include "hubassoc/text.h"

struct label_op {
	char *label;
	struct buf body;           /* the answer */
	bool answered;
	struct assoc_labels made;
};

static void
label_answer(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct label_op *x = arg;

	if (refused) {
		calls_refused(c, "make it", r);
		return;
	}
	x->answered = true;
	buf_add(&x->body, res->body.data != NULL ? res->body.data : "", res->body.len);
}

static void
label_step(struct op *o)
{
	struct label_op *x = o->data;
	char *cause = NULL;
	size_t skipped;

	if (o->calls == NULL)
		return;                /* at the start: its call is not made yet */
	enum engine_stop stop = calls_stop_reason(o->calls);
	const char *msg = calls_stop_message(o->calls);
	if (x->answered && labels_parse(x->body.data, x->body.len, &x->made, &skipped,
	    &cause) == 0 && x->made.n > 0) {
		op_finish(o, EXIT_ALL_CREATED, NULL);
		return;
	}
	op_finish(o, x->answered ? EXIT_UNREACHABLE : session_stop_status(stop), "the label "
	    "'%s' was not made: %s (HubSpot allows %d labels an object pair)", x->label,
	    x->answered ? (cause != NULL ? cause : "no type ID in the answer") :
	    msg != NULL ? msg : engine_stop_name(stop, 0), ASSOC_LABELS_MAX);
	free(cause);
}

static void
label_clear(struct op *o)
{
	struct label_op *x = o->data;

	free(x->label);
	buf_free(&x->body);
	assoc_labels_free(&x->made);
	free(x);
}

static const struct op_kind label_op_kind = {
	.name = "label", .step = label_step, .clear = label_clear,
};

struct op *
op_label(struct conn *c, const struct objtype *from, const struct objtype *to,
    const char *label, const char *inverse)
{
	struct label_op *x = xcalloc(1, sizeof(*x));
	struct buf path = BUF_INIT;

	x->label = xstrdup(label);
	struct op *o = op_start(&label_op_kind, c, NULL, NULL, x);
	labels_schema_path(&path, from, to, 0);
	/* Made once: a retried POST could make it twice. */
	calls_add(op_calls_tries(o, false, "the label", 1), "label", "POST", buf_str(&path),
	    labels_create_body(label, inverse), label_answer, x);
	buf_free(&path);
	return o;
}

const struct assoc_labels *
op_label_made(const struct op *o)
{
	const struct label_op *x = o->data;

	return &x->made;
}
