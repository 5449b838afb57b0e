/* app.c: the terminal's state: the status line, the views shown, the
 * pairs and their plan, and the current session's rows as the pairs find
 * them.  Fetches are fetch.c's, sends send.c's, commands commands.c's,
 * the working set's journal workset.c's, the pairs in and out
 * pairs_io.c's. */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curses.h"
#include "hubassoc/answer.h"
#include "hubassoc/labels.h"
#include "hubassoc/limitcheck.h"
#include "hubassoc/op.h"
#include "hubassoc/text.h"
#include "hubassoc/verify.h"
#include "tui.h"

void
app_status(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;

	free(a->status);
	va_start(ap, fmt);
	a->status = xvasprintf(fmt, ap);
	va_end(ap);
	a->status_error = error;
	a->status_time = http_now_ms();
	a->need_redraw = true;
}

void
app_show(struct app *a, enum view_id v)
{
	struct view *view = &a->views[v];

	if (view->ops->modal && !a->views[a->current].ops->modal)
		a->behind = a->current;
	a->current = v;
	if (view->ops->enter != NULL)
		view->ops->enter(view);
	a->need_redraw = true;
}

/* ---- the pairs and their plan ---------------------------------------- */

size_t
app_chunk(const struct app *a)
{
	return a->opts->chunk ? a->opts->chunk : a->conn.prof.chunk ? a->conn.prof.chunk :
	    PLAN_CHUNK_DEFAULT;
}

void
app_replan(struct app *a)
{
	char *cause = NULL;

	if (a->planned)
		return;
	/* The pairs being sent, asked about or looked up are planned as they
	 * go: not again under the operation (it holds their plan). */
	if ((a->run != NULL && a->run->running && app_run_is_work(a, a->run)) ||
	    (a->pending != NULL && app_run_is_work(a, a->pending)) ||
	    a->lookup_then != NULL)
		return;
	if (a->chosen.state != NULL || a->chosen.types != NULL)
		plan_free(&a->chosen);
	memset(&a->chosen, 0, sizeof(a->chosen));
	free(a->plan_error);
	a->plan_error = NULL;
	if (!a->ws.have_from || !a->ws.have_to) {
		workset_unplanned(&a->ws);
		return;
	}
	/* The choices resolved, then the pairs planned by them. */
	struct input *none = input_new();
	int rc = workset_plan(&a->ws, none, &a->chosen, &a->labels, app_chunk(a), &cause);
	input_free(none);
	if (rc == 0 && (rc = workset_replan(&a->ws, &a->labels, app_chunk(a),
	    &cause)) != 0) {
		plan_free(&a->chosen);
		memset(&a->chosen, 0, sizeof(a->chosen));
	} else if (rc != 0) {
		memset(&a->chosen, 0, sizeof(a->chosen));
		workset_unplanned(&a->ws);
	}
	if (rc != 0) {
		a->plan_error = xasprintf("%s: %s", rc == -2 ? "what :op relabel replaces" :
		    "the chosen types (y changes them)", cause);
		free(cause);
		return;
	}
	a->planned = true;
	a->gen++;
}

bool
app_pairs_planned(const struct app *a)
{
	return a->planned && a->ws.s.plan.nrows == a->ws.pairs->nrows &&
	    a->ws.s.out.n == a->ws.pairs->nrows;
}

enum input_reason
app_pairs_why(const struct app *a, size_t row)
{
	return app_pairs_planned(a) ? (enum input_reason)a->ws.s.plan.why[row] : INPUT_OK;
}

void
app_set_from_to(struct app *a, int which, const struct objtype *t)
{
	if (which == 0) {
		a->ws.from = *t;
		a->ws.have_from = true;
	} else {
		a->ws.to = *t;
		a->ws.have_to = true;
	}
	a->planned = false;
	a->submit_waiting = false;
	if (a->ws.have_from && a->ws.have_to)
		app_fetch_labels(a);
	work_choice(a);
	a->need_redraw = true;
}

/* The types as the portal's labels resolve them ("Billing contact", "36":
 * "USER_DEFINED:36"), so that what is kept does not depend on labels
 * read again later (a refused token, a renamed label); NULL when they are
 * not all resolved now. */
static char *
types_resolved(const struct app *a, const char *text)
{
	struct buf b = BUF_INIT;
	const char *p = text;
	bool ok = a->labels_loaded && a->ws.have_from && a->ws.have_to;

	while (ok && *p != '\0') {
		const char *semi = strchr(p, ';');
		size_t len = semi != NULL ? (size_t)(semi - p) : strlen(p);
		struct assoc_spec spec;
		char *note = NULL, *cause = NULL;
		if (len > 0) {
			ok = assoc_spec_parse(p, len, &spec, &cause) == 0;
			if (ok) {
				ok = assoc_spec_resolve(&spec, &a->ws.from, &a->ws.to,
				    &a->labels, &note, &cause) == 0 &&
				    spec.cat != ASSOC_CAT_LABEL;
				if (ok) {
					if (b.len > 0)
						buf_addc(&b, ';');
					assoc_spec_format(&b, &spec);
				}
				assoc_spec_clear(&spec);
			}
		}
		free(note);
		free(cause);
		p = semi != NULL ? semi + 1 : p + len;
	}
	if (!ok || b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void
label_answered(struct app *a, bool yes)
{
	char *label = a->label_offered;

	a->label_offered = NULL;
	if (yes && label != NULL)
		app_make_label(a, label);
	else
		app_status(a, false, "no label made");
	free(label);
}

bool
app_offer_label(struct app *a, const char *text)
{
	struct assoc_spec spec;
	char *note = NULL, *cause = NULL;
	bool unknown = false;

	/* One name the portal's labels (read) do not have. */
	if (!a->labels_loaded || !a->connected || !a->ws.have_from || !a->ws.have_to ||
	    strchr(text, ';') != NULL ||
	    assoc_spec_parse(text, strlen(text), &spec, &cause) != 0) {
		free(cause);
		return false;
	}
	if (spec.cat == ASSOC_CAT_LABEL) {
		unknown = assoc_spec_resolve(&spec, &a->ws.from, &a->ws.to, &a->labels,
		    &note, &cause) != 0;
	} else if (spec.cat != ASSOC_CAT_UNKNOWN) {
		/* CATEGORY:ID the portal does not list for the direction: said,
		 * not taken (the picker could not show it to unmark). */
		if (assoc_labels_find(&a->labels, spec.cat, spec.type_id) == NULL) {
			app_status(a, true, "%s:%u is not a type of %s to %s (y lists "
			    "them)", assoc_category_name(spec.cat), spec.type_id,
			    objtype_name(&a->ws.from), objtype_name(&a->ws.to));
			assoc_spec_clear(&spec);
			free(cause);
			return true;
		}
	}
	assoc_spec_clear(&spec);
	free(note);
	free(cause);
	if (!unknown)
		return false;
	free(a->label_offered);
	a->label_offered = xstrdup(text);
	char *e = text_escape_str(text, strlen(text), 60);
	char *q = xasprintf("%s to %s has no label '%s': make it, a label of the "
	    "portal's own (HubSpot allows %d an object pair)? [y/n]",
	    objtype_name(&a->ws.from), objtype_name(&a->ws.to), e, ASSOC_LABELS_MAX);
	app_ask(a, q, label_answered);
	free(q);
	free(e);
	return true;
}

/* Why a relabel cannot go with the choices as they are now (what it
 * replaces is a type it gives, or one the portal lacks), planned again;
 * NULL when it can, or the operation is another. */
char *
app_relabel_refused(struct app *a)
{
	a->planned = false;
	app_replan(a);
	return a->ws.op == PLAN_OP_RELABEL && a->plan_error != NULL &&
	    strncmp(a->plan_error, "what :op relabel", 16) == 0 ?
	    xstrdup(a->plan_error) : NULL;
}

int
app_set_types_text(struct app *a, const char *text)
{
	char *cause = NULL, *resolved = types_resolved(a, text);
	char *was = xstrdup(a->ws.types_text != NULL ? a->ws.types_text : "");
	const char *given = text;

	if (resolved != NULL)
		text = resolved;
	if (workset_set_types(&a->ws, text, &cause) != 0) {
		free(resolved);
		free(was);
		app_status(a, true, "type: %s", cause);
		free(cause);
		return -1;
	}
	/* The label a relabel replaces cannot be the one it gives: refused,
	 * as :op refuses it (before: taken, and the pairs stood unplanned,
	 * showing the last plan's states).  Planned here for that; another
	 * operation is planned when next drawn. */
	a->planned = false;
	char *why = a->ws.op == PLAN_OP_RELABEL ? app_relabel_refused(a) : NULL;
	if (why != NULL) {
		char *e = text_escape_str(given, strlen(given), 40);
		(void)workset_set_types(&a->ws, was, &cause);
		free(cause);
		a->planned = false;
		app_status(a, true, "type: %s not taken: the relabel replaces it, and a "
		    "label cannot replace itself; the types stay as they were (:op "
		    "relabel OLD names another to replace)", e);
		free(e);
		free(why);
		free(resolved);
		free(was);
		return -1;
	}
	free(was);
	free(resolved);
	work_choice(a);
	a->need_redraw = true;
	return 0;
}

struct run *
app_run_alloc(void)
{
	struct run *r = xcalloc(1, sizeof(*r));

	r->explain = xcalloc(1, sizeof(*r->explain));
	app_run_bind(r, &r->own);
	return r;
}

void
app_run_bind(struct run *r, struct session *s)
{
	r->s = s;
	r->in = s->in;
	r->plan = &s->plan;
	r->out = &s->out;
}

struct run *
app_run_of_work(struct app *a)
{
	struct run *r = app_run_alloc();

	app_run_bind(r, &a->ws.s);
	r->id = a->ws.id != NULL ? xstrdup(a->ws.id) : NULL;
	r->journal = a->ws.j;
	r->journal_borrowed = true;
	r->journal_path = a->ws.j != NULL ? xstrdup(journal_path(a->ws.j)) : NULL;
	return r;
}

bool
app_run_is_work(const struct app *a, const struct run *r)
{
	return r != NULL && r->s == &a->ws.s;
}

size_t
app_run_to_settle(const struct run *r)
{
	return (r->s->send_of != NULL ? session_pending_sent(r->s) :
	    r->out->count[OUTCOME_PENDING]) + r->out->count[OUTCOME_UNCONFIRMED];
}

size_t
app_run_rows(const struct app *a, const struct run *r)
{
	return app_run_is_work(a, r) ? a->ws.joined : r->in->nrows;
}

int
app_outcome_width(const struct run *r)
{
	return r != NULL && r->out != NULL &&
	    r->out->count[OUTCOME_UNCONFIRMED] > 0 ? 12 : 10;
}

enum role
app_outcome_role(enum outcome o)
{
	switch (o) {
	case OUTCOME_CREATED: return ROLE_OK;
	case OUTCOME_FAILED: return ROLE_ERROR;
	case OUTCOME_INVALID: return ROLE_INVALID;
	case OUTCOME_DUPLICATE: return ROLE_DUPLICATE;
	case OUTCOME_UNCONFIRMED: return ROLE_WARNING;
	case OUTCOME_UNDONE: case OUTCOME_UNCHANGED: return ROLE_DIM;
	case OUTCOME_EDITED: return ROLE_WARNING;
	default: return ROLE_PENDING;
	}
}

void
app_run_verified_free(struct run *r)
{
	for (size_t i = 0; r->verify_said != NULL && i < r->in->nrows; i++)
		free(r->verify_said[i]);
	free(r->verify_said);
	free(r->verdict);
	r->verify_said = NULL;
	r->verdict = NULL;
}

void
app_row_outcome_text(const struct app *a, const struct run *r, size_t row,
    struct buf *out)
{
	const struct explain_verified v = { r->verdict, r->verify_said };

	/* Types by their labels, as the plan named them (before: "relabels
	 * USER_DEFINED:36 → USER_…" at 80 columns, below a plan that said
	 * Billing contact). */
	explain_line(r->explain, r->s, &v, app_labels_of(a, r), row, out);
}

/* A type by its label, then its ID (ids), or its label alone; CATEGORY:ID
 * when the labels do not name it.  After "; " unless it is the first (i). */
void
app_type_brief(struct buf *b, const struct assoc_spec *spec,
    const struct assoc_labels *labels, size_t i, bool ids)
{
	const struct assoc_label *l = spec->cat != ASSOC_CAT_LABEL ?
	    assoc_labels_find(labels, spec->cat, spec->type_id) : NULL;
	const char *label = l == NULL ? NULL : l->label != NULL ? l->label : "unlabeled";
	if (i > 0)
		buf_addstr(b, "; ");
	if (label != NULL && !ids) {
		buf_addstr(b, label);
		return;
	}
	if (label != NULL)
		buf_printf(b, "%s (", label);
	assoc_spec_format(b, spec);
	if (label != NULL)
		buf_addc(b, ')');
}

/* The labels that name r's types: the portal's, when they are its
 * direction's. */
const struct assoc_labels *
app_labels_of(const struct app *a, const struct run *r)
{
	return a->labels_loaded && objtype_same(&a->ws.from, &r->plan->from) &&
	    objtype_same(&a->ws.to, &r->plan->to) ? &a->labels : NULL;
}

/* A field of the detail view: "label\ttext\n" (text_escape'd there). */
static void HA_PRINTF(3, 4)
field(struct buf *out, const char *label, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *t = xvasprintf(fmt, ap);
	va_end(ap);
	/* One line a field: its own line ends are shown, not obeyed. */
	for (char *p = t; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	buf_printf(out, "%s\t%s\n", label, t);
	free(t);
}

static void
error_fields(struct buf *out, const struct hs_error *e, const char *indent)
{
	char label[40];

	snprintf(label, sizeof(label), "%scategory", indent);
	if (e->category != NULL)
		field(out, label, "%s%s%s", e->category, e->sub_category != NULL ?
		    " / " : "", e->sub_category != NULL ? e->sub_category : "");
	snprintf(label, sizeof(label), "%smessage", indent);
	if (e->message != NULL)
		field(out, label, "%s", e->message);
	for (size_t k = 0; k < e->ncontext; k++) {
		struct buf v = BUF_INIT;
		for (size_t j = 0; j < e->context[k].n; j++)
			buf_printf(&v, "%s%s", j ? ", " : "", e->context[k].values[j]);
		snprintf(label, sizeof(label), "%scontext", indent);
		field(out, label, "%s: %s", e->context[k].key, buf_str(&v));
		buf_free(&v);
	}
	snprintf(label, sizeof(label), "%scorrelation", indent);
	if (e->correlation_id != NULL)
		field(out, label, "%s", e->correlation_id);
	for (size_t k = 0; k < e->nerrors && indent[0] == '\0'; k++)
		error_fields(out, &e->errors[k], "  ");
}

void
app_detail_ends(const struct input *in, const struct names *names, size_t row,
    struct buf *out)
{
	const struct input_row *r = &in->rows[row];

	if (r->status == ROW_INVALID && r->field == 0) {
		field(out, "text", "%s", input_detail(in, r));
		return;
	}
	for (int side = 0; side < 2; side++) {
		const char *id = side == 0 ? input_from(in, r) : input_to(in, r);
		const char *key = input_row_key(in, r, side);
		const char *name = names != NULL && r->status == ROW_VALID ?
		    names_get(&names[side], id) : NULL;
		struct buf v = BUF_INIT;
		buf_addstr(&v, id);
		if (name != NULL)
			buf_printf(&v, "  %s", name);
		if (key != NULL && strcmp(key, id) != 0)
			buf_printf(&v, "  (by %s)", key);
		field(out, side == 0 ? "FROM" : "TO", "%s", buf_str(&v));
		buf_free(&v);
	}
}

void
app_detail_run_row(const struct app *a, const struct run *r, size_t row,
    struct buf *out)
{
	const struct input_row *ir = &r->in->rows[row];
	const struct session *s = r->s;
	enum outcome o = (enum outcome)r->out->state[row];
	struct buf t = BUF_INIT;

	input_line_label(r->in, ir->line, &t);
	field(out, "line", "%s", buf_str(&t));
	buf_reset(&t);
	app_detail_ends(r->in, s->names, row, out);
	const struct plan_types *pt = plan_row_types(r->plan, r->in, row);
	const char *set = r->in->sets[ir->set].text;
	if (set[0] != '\0')
		buf_printf(&t, "%s (its third column)", set);
	for (size_t k = 0; pt->ok && k < pt->n; k++) {
		buf_addstr(&t, t.len > 0 ? (k == 0 ? ": " : ", ") : "");
		assoc_spec_describe(&t, &pt->specs[k], &r->plan->from, &r->plan->to,
		    &a->labels);
	}
	field(out, "types", "%s", t.len > 0 ? buf_str(&t) : "-");
	buf_reset(&t);
	buf_addstr(&t, outcome_word(o, r->plan->op));
	if (s->send_of != NULL && s->send_of[row] > 0)
		buf_printf(&t, ", send %u of session %s", s->send_of[row], r->id);
	if (s->tries != NULL && s->tries[row] > 1)
		buf_printf(&t, ", held by %u sends", s->tries[row]);
	if (r->out->http[row] != 0)
		buf_printf(&t, ", HTTP %u", r->out->http[row]);
	field(out, "state", "%s", buf_str(&t));
	buf_reset(&t);
	/* What the preflight read before, where the other fields do not say
	 * it: the labels the pair held that went with the row, a Primary it
	 * moved. */
	const struct pre_row *pr = s->pre.rows != NULL && row < s->pre.n ?
	    &s->pre.rows[row] : NULL;
	struct pre_type one;
	if (pr != NULL && r->plan->op != PLAN_OP_CREATE) {
		/* A remove's or a relabel's class, as its plan said it (not a
		 * create's "adds labels", which a relabel is not). */
		pre_row_change_describe(&t, pr, r->plan, r->in, row, &a->labels);
		field(out, "preflight", "%s", buf_str(&t));
		buf_reset(&t);
	} else if (pr != NULL && (pr->cls == PRE_MOVES ||
	    pre_row_kept(pr, pt, &one, 1) > 0)) {
		pre_row_describe(&t, pr, r->plan, r->in, row, false, &a->labels);
		field(out, "preflight", "%s", buf_str(&t));
		buf_reset(&t);
	}
	app_row_outcome_text(a, r, row, &t);
	if (t.len > 0)
		field(out, "reason", "%s", buf_str(&t));
	/* What a verify found the portal holds, and lacks. */
	if (r->verify_said != NULL && r->verify_said[row] != NULL)
		field(out, "verify", "%s", r->verify_said[row]);
	buf_free(&t);
	const struct hs_error *e = outcomes_error(r->out, row);
	if (e != NULL) {
		/* Whose: a stop, an answer that never came, a pair not there
		 * are hubassoc's words, not HubSpot's. */
		bool local = r->out->errors[r->out->err[row] - 1].local;
		/* One error answers a whole request: its context names the
		 * other rows it refused too, which read as this row's (the
		 * reason above is this row's part). */
		size_t sharing = 0;
		for (size_t i = 0; !local && i < r->out->n && sharing < 2; i++)
			sharing += r->out->err[i] == r->out->err[row];
		buf_addstr(out, local ? "hubassoc's error (not HubSpot's)\n" :
		    sharing > 1 ? "HubSpot's error (the request's: it names other "
		    "rows too)\n" :
		    "HubSpot's error\n");
		error_fields(out, e, "");
	}
}

void
app_show_run_row(struct app *a, size_t row)
{
	struct buf f = BUF_INIT, title = BUF_INIT;

	if (a->run == NULL || row >= app_run_rows(a, a->run))
		return;
	app_detail_run_row(a, a->run, row, &f);
	/* The session is in the state field: a narrow box keeps the line. */
	buf_addstr(&title, "Line ");
	input_line_label(a->run->in, a->run->in->rows[row].line, &title);
	view_detail_set(&a->views[VIEW_DETAIL], buf_str(&title), &f);
	app_show(a, VIEW_DETAIL);
	buf_free(&title);
	buf_free(&f);
}

bool
app_row_mentions(const struct input *in, const struct names *names, size_t row,
    const char *f)
{
	const struct input_row *r = &in->rows[row];

	for (int side = 0; side < 2; side++) {
		const char *key = input_row_key(in, r, side);
		const char *id = side == 0 ? input_from(in, r) : input_to(in, r);
		const char *name = names != NULL && r->status == ROW_VALID &&
		    !input_row_pending(in, r) ? names_get(&names[side], id) : NULL;
		if ((key != NULL && strcasestr(key, f) != NULL) ||
		    (name != NULL && strcasestr(name, f) != NULL))
			return true;
	}
	return false;
}

int
app_id_width(const struct input *in)
{
	size_t w = 10;

	for (size_t i = 0; i < in->nrows; i++) {
		const struct input_row *r = &in->rows[i];
		if (r->status == ROW_INVALID && r->field == 0)
			continue;
		/* IDs set the width; a key is cut to it (its row's reason
		 * and detail say it whole). */
		const char *f = input_from(in, r), *t = f + strlen(f) + 1;
		size_t lf = input_id_ok(f) ? strlen(f) : 0, lt = input_id_ok(t) ? strlen(t) : 0;
		w = lf > w ? lf : w;
		w = lt > w ? lt : w;
	}
	return w > INPUT_ID_MAX_DIGITS ? INPUT_ID_MAX_DIGITS : (int)w;
}

int
app_line_width(const struct input *in)
{
	size_t w = 7;

	/* Labels differ from plain numbers only with several sources. */
	if (in->nsources > 1) {
		for (size_t i = 0; i < in->nsources; i++) {
			size_t n = strlen(in->sources[i].name) + 1 + 6;
			w = n > w ? n : w;
		}
	}
	return w > 24 ? 24 : (int)w;
}

void
app_line_cell(const struct input *in, uint32_t line, int w, struct buf *out)
{
	struct buf l = BUF_INIT;

	input_line_label(in, line, &l);
	buf_printf(out, "%*s ", w, buf_str(&l));
	buf_free(&l);
}

/* The pairs changed: plan again; count the rows bad before planning and
 * measure the ID columns once here, not at every draw. */
void
app_pairs_changed(struct app *a)
{
	a->gen++;
	a->planned = false;
	a->pairs_invalid = 0;
	for (size_t i = 0; i < a->ws.pairs->nrows; i++)
		a->pairs_invalid += a->ws.pairs->rows[i].status == ROW_INVALID &&
		    workset_shown(&a->ws, i);
	a->id_width = app_id_width(a->ws.pairs);
	a->line_width = app_line_width(a->ws.pairs);
}

/* ---- sending ---------------------------------------------------------- */

void
app_run_free(struct run *r)
{
	if (r == NULL)
		return;
	/* Its engine is its send operation's. */
	free(r->profile);
	journal_close(r->lookups);
	app_run_verified_free(r);
	if (!r->journal_borrowed)
		journal_close(r->journal);
	session_free(&r->own);
	free(r->again);
	free(r->id);
	free(r->other_id);
	free(r->journal_path);
	free(r->stop_msg);
	free(r->went_on_from);
	free(r->warning);
	explain_free(r->explain);
	free(r->explain);
	free(r);
}

bool
app_jump_to_pair(struct app *a, size_t run_row)
{
	/* The working set's rows are the pairs, by the same index. */
	if (!app_run_is_work(a, a->run) || run_row >= a->ws.pairs->nrows ||
	    !workset_shown(&a->ws, run_row)) {
		app_status(a, true, "that row is not among the pairs (a session "
		    "from the history, or a deleted pair)");
		return false;
	}
	view_pairs_goto(&a->views[VIEW_PAIRS], run_row);
	app_show(a, VIEW_PAIRS);
	view_list_clamp(&a->views[VIEW_PAIRS]);
	return true;
}

bool
app_busy(struct app *a)
{
	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return true;
	}
	if (a->op != NULL) {
		app_status(a, true, "wait: %s is under way (C-c stops it)", a->op->kind->name);
		return true;
	}
	return false;
}

bool
app_op_start(struct app *a, struct op *o, void (*then)(struct app *a))
{
	if (a->op != NULL) {
		app_status(a, true, "wait: %s is under way (C-c stops it)", a->op->kind->name);
		op_free(o);
		return false;
	}
	a->op = o;
	a->op_then = then;
	app_op_poll(a);
	return true;
}

static void
op_answered(struct app *a, bool yes)
{
	if (a->op != NULL)
		op_answer(a->op, yes);
	app_op_poll(a);
	app_say_undoing(a);
}


void
app_op_poll(struct app *a)
{
	struct op *o = a->op;
	const char *line;

	if (o == NULL)
		return;
	/* The command line's indent, for lines that go on the one before,
	 * is not the status line's. */
	while ((line = op_said(o)) != NULL)
		app_status(a, false, "%s", line + strspn(line, " "));
	const struct op_question *q = op_question(o);
	if (q != NULL && a->prompt != PROMPT_CONFIRM)
		app_ask_plan(a, q, op_answered);
	if (!op_done(o))
		return;
	if (o->summary != NULL)
		app_status(a, o->status != EXIT_ALL_CREATED, "%s", o->summary);
	void (*then)(struct app *) = a->op_then;
	if (then != NULL)
		then(a);
	op_free(a->op);
	a->op = NULL;
	a->op_then = NULL;
	a->need_redraw = true;
	void (*after)(struct app *) = a->after_op;
	a->after_op = NULL;
	if (after != NULL)
		after(a);
}
