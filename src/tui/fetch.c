/* fetch.c: what the terminal fetches in the background: the direction's
 * labels (tried again as every call is) and the portal's custom objects. */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "hubassoc/answer.h"
#include "hubassoc/export.h"
#include "hubassoc/labels.h"
#include "hubassoc/text.h"
#include "tui.h"

/* ---- background fetches ----------------------------------------------- */

struct fetch {
	struct app *a;
	int kind;        /* 0 labels, 1 schemas */
	struct objtype from, to;
};

static void
labels_done(struct app *a, struct fetch *f, struct http_result *res)
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
	/* Read as every answer is (answer_classify): one set of words. */
	struct response r;
	struct answer_verdict v;
	struct buf what = BUF_INIT;
	buf_addstr(&what, "GET ");
	labels_path(&what, a->conn.api, &f->from, &f->to);
	response_of(&r, res);
	answer_classify(res, &r, buf_str(&what), &v);
	response_free(&r);
	buf_free(&what);
	if (v.act == ANSWER_RETRY || v.act == ANSWER_WAIT) {
		/* Tried again as the engine would: the same bounds. */
		struct answer_bounds b;
		conn_answer_bounds(&a->conn, ENGINE_MAX_ATTEMPTS_DEFAULT, &b);
		uint64_t now = http_now_ms(), wait;
		bool unreachable;
		char msg[600];
		if (answer_next(&a->labels_tries, &v, res->failure, a->labels_sent_at, now,
		    &b, &a->labels_rng, &wait, &unreachable, msg, sizeof(msg)) ==
		    ANSWER_AGAIN) {
			if (v.act == ANSWER_WAIT)
				rate_limited(&a->conn.rate, now, (long)wait);
			a->labels_retry_at = now + wait;
			a->labels_loading = true;
			app_status(a, false, "labels: trying again in %.0f s: %s",
			    (double)wait / 1000.0 + 0.5, v.why);
			return;
		}
		a->submit_waiting = false;
		a->labels_error = xasprintf("labels: %s", msg);
		app_status(a, true, "%s", a->labels_error);
		return;
	}
	if (v.act != ANSWER_ACCEPT) {
		a->submit_waiting = false;
		a->labels_error = xasprintf("labels: %s", v.why);
		app_status(a, true, "%s", a->labels_error);
		return;
	}
	if (labels_parse(res->body.data, res->body.len, &got, &skipped, &cause) != 0) {
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
schemas_done(struct app *a, struct http_result *res)
{
	struct response r;
	struct answer_verdict v;

	response_of(&r, res);
	answer_classify(res, &r, "GET /crm/v3/schemas", &v);
	response_free(&r);
	/* The first call says what the portal makes of the token: refused
	 * (401), or no answer at all; a 403 is a scope, not the token. */
	free(a->link_why);
	a->link_why = NULL;
	a->link = LINK_OK;
	if (res->status == 401 || (v.act == ANSWER_RETRY && v.no_answer)) {
		a->link = res->status == 401 ? LINK_REJECTED : LINK_UNREACHABLE;
		a->link_why = xstrdup(v.why);
		app_status(a, true, "%s: %s", res->status == 401 ? "the portal refused "
		    "the token (:token gives another, :profile NAME switches)" :
		    "the portal does not answer", v.why);
		return;
	}
	if (v.act != ANSWER_ACCEPT) {
		/* Custom objects stay typable by ID; the picker says why they
		 * are not listed, rather than leaving them out unsaid. */
		app_status(a, true, "custom objects not listed: %s", v.why);
		return;
	}
	struct custom_object *co;
	size_t n;
	char *cause = NULL;
	if (custom_objects_parse(res->body.data, res->body.len, &co, &n, &cause) != 0) {
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

static void
fetched(void *arg, struct http_result *res)
{
	struct fetch *f = arg;

	if (f->kind == 0)
		labels_done(f->a, f, res);
	else
		schemas_done(f->a, res);
	free(f);
}

void
app_fetch_labels(struct app *a)
{
	assoc_labels_free(&a->labels);
	/* The built-in table until the portal answers. */
	assoc_labels_builtin(&a->labels, &a->ws.from, &a->ws.to);
	a->labels_loaded = false;
	memset(&a->labels_tries, 0, sizeof(a->labels_tries));
	a->labels_retry_at = 0;
	a->labels_rng ^= http_now_ms();
	if (a->connected)
		app_send_labels(a);
}

void
app_send_labels(struct app *a)
{
	struct fetch *f;
	struct buf path = BUF_INIT;

	f = xcalloc(1, sizeof(*f));
	f->a = a;
	f->from = a->ws.from;
	f->to = a->ws.to;
	labels_path(&path, a->conn.api, &a->ws.from, &a->ws.to);
	a->labels_sent_at = http_now_ms();
	rate_sent(&a->conn.rate, a->labels_sent_at);
	http_start(a->conn.http, "GET", buf_str(&path), NULL, 0, fetched, f);
	a->labels_loading = true;
	buf_free(&path);
}

void
app_fetch_schemas(struct app *a)
{
	struct fetch *f;

	if (!a->connected)
		return;
	f = xcalloc(1, sizeof(*f));
	f->a = a;
	f->kind = 1;
	rate_sent(&a->conn.rate, http_now_ms());
	http_start(a->conn.http, "GET", "/crm/v3/schemas", NULL, 0, fetched, f);
}

