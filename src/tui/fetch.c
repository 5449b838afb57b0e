/* fetch.c: what the terminal fetches in the background: the direction's
 * labels (tried again as every call is) and the portal's custom objects. */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "hubassoc/export.h"
#include "hubassoc/labels.h"
#include "hubassoc/text.h"
#include "tui.h"

/* ---- background fetches ----------------------------------------------- */

/* A fetch: one call on calls of its own (paced, retried, waited out as
 * every call is), turned by app_poll_network beside whatever else goes. */
struct fetch {
	struct app *a;
	int kind;        /* 0 labels, 1 schemas */
	struct objtype from, to;
	struct calls *calls;
	struct buf body;
	bool answered;
	char *refused;   /* HubSpot's refusal, said */
	struct fetch *next;
};

static void
fetch_free(struct fetch *f)
{
	calls_free(f->calls);
	buf_free(&f->body);
	free(f->refused);
	free(f);
}

/* Why a fetch has no answer to read: refused, or its calls stopped. */
static const char *
fetch_why(const struct fetch *f)
{
	if (f->refused != NULL)
		return f->refused;
	if (calls_stop_message(f->calls) != NULL)
		return calls_stop_message(f->calls);
	return engine_stop_name(calls_stop_reason(f->calls), 0);
}

static void
labels_done(struct app *a, struct fetch *f)
{
	struct assoc_labels got;
	size_t skipped;
	char *cause = NULL;

	/* An answer for a direction left meanwhile is of no use. */
	if (!a->ws.have_from || !a->ws.have_to || strcmp(f->from.path, a->ws.from.path) != 0 ||
	    strcmp(f->to.path, a->ws.to.path) != 0)
		return;
	a->labels_loading = false;
	free(a->labels_error);
	a->labels_error = NULL;
	if (!f->answered) {
		a->submit_waiting = false;
		a->labels_error = xasprintf("labels: %s", fetch_why(f));
		app_status(a, true, "%s", a->labels_error);
		return;
	}
	if (labels_parse(f->body.data, f->body.len, &got, &skipped, &cause) != 0) {
		a->labels_error = cause;
		app_status(a, true, "labels: %s", cause);
		return;
	}
	/* Within one object type, a label's other end is in the same list
	 * ("Manager" and "Direct report"). */
	if (objtype_same(&f->from, &f->to))
		labels_pair_inverses(&got, &got, &f->from, &f->to);
	assoc_labels_free(&a->labels);
	a->labels = got;
	a->labels_loaded = true;
	a->planned = false;
	view_types_reset(&a->views[VIEW_TYPES]);
	a->need_redraw = true;
	/* S was pressed while they were on their way: ask now. */
	if (a->submit_waiting) {
		a->submit_waiting = false;
		app_submit(a);
	}
}

static void
schemas_done(struct app *a, struct fetch *f)
{
	enum engine_stop stop = calls_stop_reason(f->calls);

	/* The first call says what the portal makes of the token: refused
	 * (401), or no answer at all; a 403 is a scope, not the token. */
	free(a->link_why);
	a->link_why = NULL;
	a->link = LINK_OK;
	/* Given up on answers (a 5xx every try) is not "not answering": the
	 * portal is there, and says so below (before: the header said "not
	 * answering" through sends it answered). */
	bool answered = calls_stats(f->calls)->answers > 0;
	if ((stop == ENGINE_AUTH && calls_stop_status(f->calls) == 401) ||
	    stop == ENGINE_UNREACHABLE || (stop == ENGINE_GAVE_UP && !answered)) {
		bool refused = stop == ENGINE_AUTH;
		a->link = refused ? LINK_REJECTED : LINK_UNREACHABLE;
		a->link_why = xstrdup(fetch_why(f));
		app_status(a, true, "%s: %s", refused ? "the portal refused the token "
		    "(:token gives another, :profile NAME switches)" :
		    "the portal does not answer", a->link_why);
		return;
	}
	if (!f->answered) {
		/* Custom objects stay typable by ID; the picker says why they
		 * are not listed, rather than leaving them out unsaid. */
		app_status(a, true, "custom objects not listed: %s", fetch_why(f));
		return;
	}
	struct custom_object *co;
	size_t n;
	char *cause = NULL;
	if (custom_objects_parse(f->body.data, f->body.len, &co, &n, &cause) != 0) {
		app_status(a, true, "custom objects not listed: %s", cause);
		free(cause);
		return;
	}
	a->customs = xreallocarray(a->customs, a->ncustoms + n + 1, sizeof(*a->customs));
	a->custom_labels = xreallocarray(a->custom_labels, a->ncustoms + n + 1,
	    sizeof(*a->custom_labels));
	for (size_t i = 0; i < n; i++) {
		a->customs[a->ncustoms] = xstrdup(co[i].name);
		a->custom_labels[a->ncustoms++] = xasprintf("%s (%s)", co[i].plural,
		    co[i].id);
	}
	/* Kept whole too: their records' names (primaryDisplayProperty). */
	custom_objects_free(a->co, a->nco);
	a->co = co;
	a->nco = n;
	view_picker_reset(&a->views[VIEW_PICKER]);
}

void
app_customs_free(struct app *a)
{
	for (size_t i = 0; i < a->ncustoms; i++) {
		free(a->customs[i]);
		free(a->custom_labels[i]);
	}
	free(a->customs);
	free(a->custom_labels);
	a->customs = a->custom_labels = NULL;
	a->ncustoms = 0;
	custom_objects_free(a->co, a->nco);
	a->co = NULL;
	a->nco = 0;
}

const char *
app_display_of(const struct app *a, const struct objtype *t)
{
	const struct custom_object *x = custom_objects_find(t, a->co, a->nco);

	return x != NULL ? x->display : NULL;
}

/* The call's answer: its body kept, or HubSpot's refusal said as every
 * answer is (answer_classify's words). */
static void
fetched(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct fetch *f = arg;

	(void)c;
	if (refused) {
		struct buf m = BUF_INIT;
		buf_printf(&m, "HubSpot answered %d", res->status);
		if (r->kind == RESPONSE_ERROR) {
			buf_addstr(&m, ": ");
			hs_error_summary(&m, &r->error);
		}
		f->refused = buf_detach(&m);
		return;
	}
	f->answered = true;
	buf_add(&f->body, res->body.data != NULL ? res->body.data : "", res->body.len);
}

static struct fetch *
fetch_start(struct app *a, int kind, const char *path, unsigned tries)
{
	static const char *const kinds[] = { "labels", "schemas" };
	struct fetch *f = xcalloc(1, sizeof(*f));

	f->a = a;
	f->kind = kind;
	f->from = a->ws.from;
	f->to = a->ws.to;
	f->calls = conn_calls_tries(&a->conn, NULL, 1, tries);
	calls_add(f->calls, kinds[kind], "GET", path, NULL, fetched, f);
	f->next = a->fetches;
	a->fetches = f;
	calls_turn(f->calls, NULL, 0, 0);    /* it leaves now, budget allowing */
	return f;
}

/* A label made (op_label): the types take it, the labels are read again;
 * not made, the operation's summary said why. */
static void
label_made(struct app *a)
{
	const struct assoc_labels *made = op_label_made(a->op);
	char spec[48];

	if (a->op->status != EXIT_ALL_CREATED)
		return;
	snprintf(spec, sizeof(spec), "%s:%u", assoc_category_name(made->v[0].cat),
	    made->v[0].type_id);
	struct buf t = BUF_INIT;
	if (a->ws.types_text != NULL && a->ws.types_text[0] != '\0')
		buf_printf(&t, "%s;", a->ws.types_text);
	buf_addstr(&t, spec);
	app_fetch_labels(a);
	if (app_set_types_text(a, buf_str(&t)) == 0)
		view_types_reset(&a->views[VIEW_TYPES]);
	app_status(a, false, "made the label '%s' of %s to %s: %s, and took it",
	    made->v[0].label != NULL ? made->v[0].label : "", objtype_name(&a->ws.from),
	    objtype_name(&a->ws.to), spec);
	buf_free(&t);
}

void
app_make_label(struct app *a, const char *label)
{
	if (!a->connected || !a->ws.have_from || !a->ws.have_to) {
		app_status(a, true, "a label is made in a portal, for FROM and TO: "
		    "connect and choose them first");
		return;
	}
	if (app_op_start(a, op_label(&a->conn, &a->ws.from, &a->ws.to, label, NULL),
	    label_made))
		app_status(a, false, "making the label '%s'...", label);
}

void
app_fetches_poll(struct app *a)
{
	for (struct fetch **p = &a->fetches; *p != NULL;) {
		struct fetch *f = *p;
		calls_turn(f->calls, NULL, 0, 0);
		if (!calls_done(f->calls)) {
			p = &f->next;
			continue;
		}
		*p = f->next;
		if (f->kind == 0)
			labels_done(a, f);
		else
			schemas_done(a, f);
		fetch_free(f);
	}
}

void
app_fetches_free(struct app *a)
{
	while (a->fetches != NULL) {
		struct fetch *f = a->fetches;
		a->fetches = f->next;
		fetch_free(f);
	}
}

void
app_fetch_labels(struct app *a)
{
	assoc_labels_free(&a->labels);
	/* The built-in table until the portal answers. */
	assoc_labels_builtin(&a->labels, &a->ws.from, &a->ws.to);
	a->labels_loaded = false;
	if (!a->connected)
		return;
	struct buf path = BUF_INIT;
	labels_path(&path, a->conn.api, &a->ws.from, &a->ws.to);
	fetch_start(a, 0, buf_str(&path), a->conn.max_attempts);
	a->labels_loading = true;
	buf_free(&path);
}

void
app_fetch_schemas(struct app *a)
{
	/* Once: it says at once whether the portal answers at all. */
	if (a->connected)
		fetch_start(a, 1, request_schemas_path(a->conn.api), 1);
}
