/* app.c: the TUI's state, and everything that changes it. */
#include <cjson/cJSON.h>
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
#include "../sandbox/sandbox.h"
#include "hubassoc/text.h"
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
	if (!a->have_from || !a->have_to || strcmp(f->from.path, a->from.path) != 0 ||
	    strcmp(f->to.path, a->to.path) != 0)
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
	response_parse(&r, res->status, res->body.data, res->body.len);
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
	cJSON *root, *results, *s;
	struct response r;
	struct answer_verdict v;

	response_parse(&r, res->status, res->body.data, res->body.len);
	answer_classify(res, &r, "GET /crm/v3/schemas", &v);
	response_free(&r);
	if (v.act != ANSWER_ACCEPT) {
		/* Custom objects stay typable by ID; the picker says why they
		 * are not listed, rather than leaving them out unsaid. */
		app_status(a, true, "custom objects not listed: %s", v.why);
		return;
	}
	root = cJSON_ParseWithLength(res->body.data, res->body.len);
	results = cJSON_GetObjectItemCaseSensitive(root, "results");
	cJSON_ArrayForEach(s, results) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "objectTypeId");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(s, "name");
		const cJSON *labels = cJSON_GetObjectItemCaseSensitive(s, "labels");
		const cJSON *plural = cJSON_GetObjectItemCaseSensitive(labels, "plural");
		struct objtype t;
		char *cause = NULL;
		if (!cJSON_IsString(id) || objtype_parse(id->valuestring, &t, &cause) != 0) {
			free(cause);
			continue;
		}
		a->customs = xreallocarray(a->customs, a->ncustoms + 1, sizeof(*a->customs));
		a->custom_labels = xreallocarray(a->custom_labels, a->ncustoms + 1,
		    sizeof(*a->custom_labels));
		a->customs[a->ncustoms] = cJSON_IsString(name) ?
		    xasprintf("p_%s", name->valuestring) : xstrdup(id->valuestring);
		a->custom_labels[a->ncustoms] = xasprintf("%s (%s)",
		    cJSON_IsString(plural) ? plural->valuestring : id->valuestring,
		    id->valuestring);
		a->ncustoms++;
	}
	cJSON_Delete(root);
	view_picker_reset(&a->views[VIEW_PICKER]);
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

static void send_labels(struct app *a);

void
app_fetch_labels(struct app *a)
{
	assoc_labels_free(&a->labels);
	/* The built-in table until the portal answers. */
	assoc_labels_builtin(&a->labels, &a->from, &a->to);
	a->labels_loaded = false;
	memset(&a->labels_tries, 0, sizeof(a->labels_tries));
	a->labels_retry_at = 0;
	a->labels_rng ^= http_now_ms();
	if (a->connected)
		send_labels(a);
}

static void
send_labels(struct app *a)
{
	struct fetch *f;
	struct buf path = BUF_INIT;

	f = xcalloc(1, sizeof(*f));
	f->a = a;
	f->from = a->from;
	f->to = a->to;
	labels_path(&path, a->conn.api, &a->from, &a->to);
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

/* ---- the pairs and their plan ---------------------------------------- */

void
app_replan(struct app *a)
{
	char *cause = NULL;

	if (a->planned)
		return;
	if (a->plan.state != NULL)
		plan_free(&a->plan);
	free(a->plan_error);
	a->plan_error = NULL;
	input_unreject(a->pairs);
	if (!a->have_from || !a->have_to)
		return;
	size_t chunk = a->conn.prof.chunk ? a->conn.prof.chunk : PLAN_CHUNK_DEFAULT;
	if (plan_build(&a->plan, a->pairs, &a->from, &a->to, a->types, a->ntypes,
	    &a->labels, chunk, &cause) != 0) {
		a->plan_error = cause;
		memset(&a->plan, 0, sizeof(a->plan));
		return;
	}
	a->planned = true;
	a->gen++;
}

void
app_set_from_to(struct app *a, int which, const struct objtype *t)
{
	if (which == 0) {
		a->from = *t;
		a->have_from = true;
	} else {
		a->to = *t;
		a->have_to = true;
	}
	a->planned = false;
	a->submit_waiting = false;
	if (a->have_from && a->have_to)
		app_fetch_labels(a);
	work_choice(a);
	a->need_redraw = true;
}

int
app_set_types_text(struct app *a, const char *text)
{
	struct assoc_spec *specs = NULL;
	size_t n = 0;
	const char *p = text;
	char *cause = NULL;

	while (*p != '\0') {
		const char *semi = strchr(p, ';');
		size_t len = semi != NULL ? (size_t)(semi - p) : strlen(p);
		struct assoc_spec s;
		if (len > 0 && assoc_spec_parse(p, len, &s, &cause) != 0) {
			app_status(a, true, "type: %s", cause);
			free(cause);
			for (size_t i = 0; i < n; i++)
				assoc_spec_clear(&specs[i]);
			free(specs);
			return -1;
		}
		if (len > 0) {
			specs = xreallocarray(specs, n + 1, sizeof(*specs));
			specs[n++] = s;
		}
		p = semi != NULL ? semi + 1 : p + len;
	}
	for (size_t i = 0; i < a->ntypes; i++)
		assoc_spec_clear(&a->types[i]);
	free(a->types);
	a->types = specs;
	a->ntypes = n;
	free(a->types_text);
	a->types_text = xstrdup(text);
	a->planned = false;
	work_choice(a);
	a->need_redraw = true;
	return 0;
}

/* What is worked out once per run and kept: each error's values by the
 * records they name. */
struct run_cache {
	struct outcome_names *names;   /* per error of the outcomes */
	bool *built;
	size_t n;
};

static struct run *
run_alloc(void)
{
	struct run *r = xcalloc(1, sizeof(*r));

	r->cache = xcalloc(1, sizeof(*r->cache));
	return r;
}

static void
run_cache_free(struct run_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (c->built[i])
			outcome_names_free(&c->names[i]);
	free(c->names);
	free(c->built);
	free(c);
}

const char *
app_row_context(const struct run *r, size_t row, const char **key)
{
	struct run_cache *c = r->cache;
	uint32_t ei = r->out->err[row];

	if (ei == 0)
		return NULL;
	ei--;
	if (ei >= c->n) {
		/* Errors come in while sending: the cache follows. */
		size_t n = r->out->nerrors;
		c->names = xreallocarray(c->names, n, sizeof(*c->names));
		c->built = xreallocarray(c->built, n, sizeof(*c->built));
		memset(c->built + c->n, 0, (n - c->n) * sizeof(*c->built));
		c->n = n;
	}
	const struct hs_error *e = r->out->errors[ei].error;
	if (!c->built[ei]) {
		outcome_names_build(&c->names[ei], r->plan, e);
		c->built[ei] = true;
	}
	return outcome_names_find(&c->names[ei], e, r->in, row, key);
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
	default: return ROLE_PENDING;
	}
}

void
app_row_outcome_text(const struct run *r, size_t row, struct buf *out)
{
	const struct input_row *ir = &r->in->rows[row];
	enum outcome o = (enum outcome)r->out->state[row];
	const struct hs_error *err = outcomes_error(r->out, row);
	const char *ctx = err != NULL ? app_row_context(r, row, NULL) : NULL;

	if (ctx != NULL)
		buf_printf(out, "%s: %s", err->category != NULL ? err->category :
		    "error", ctx);
	else if (err != NULL)
		hs_error_summary(out, err);
	else if (o == OUTCOME_INVALID)
		input_reason_format(r->in, ir, out);
	else if (o == OUTCOME_DUPLICATE) {
		buf_addstr(out, "repeats line ");
		input_line_label(r->in, r->in->rows[r->plan->ref[row]].line, out);
	} else if (o == OUTCOME_CREATED && r->out->labels[row] != 0) {
		const struct outcome_labels *l = &r->out->label_sets[r->out->labels[row] - 1];
		for (size_t k = 0; k < l->n; k++)
			buf_printf(out, "%s%s", k ? ", " : "labels: ", l->v[k]);
	}
}

int
app_id_width(const struct input *in)
{
	size_t w = 10;

	for (size_t i = 0; i < in->nrows; i++) {
		const struct input_row *r = &in->rows[i];
		if (r->status == ROW_INVALID && r->field == 0)
			continue;
		const char *f = input_from(in, r);
		size_t lf = strlen(f), lt = strlen(f + lf + 1);
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
	for (size_t i = 0; i < a->pairs->nrows; i++)
		a->pairs_invalid += a->pairs->rows[i].status == ROW_INVALID;
	a->id_width = app_id_width(a->pairs);
	a->line_width = app_line_width(a->pairs);
}

/* A source's name: "paste 2", the second paste; "a.csv" for a file, "a.csv
 * (2)" when loaded again. */
static void
begin_source(struct input *in, const char *kind, bool numbered)
{
	const char *slash = numbered ? NULL : strrchr(kind, '/');
	const char *base = slash != NULL && slash[1] != '\0' ? slash + 1 : kind;
	size_t k = 1, n = strlen(base);

	for (size_t i = 0; i < in->nsources; i++)
		k += strncmp(in->sources[i].name, base, n) == 0 &&
		    (in->sources[i].name[n] == ' ' || in->sources[i].name[n] == '\0');
	char *name = numbered ? xasprintf("%s %zu", base, k) : k > 1 ?
	    xasprintf("%s (%zu)", base, k) : xstrdup(base);
	input_begin_source(in, name);
	free(name);
}

void
app_add_text(struct app *a, const char *text, size_t len, const char *what)
{
	size_t before = a->pairs->nrows;
	char n[32];

	begin_source(a->pairs, what == NULL ? "demo" : strcmp(what, "pasted") == 0 ?
	    "paste" : "typed", true);
	input_feed(a->pairs, text, len);
	/* A paste's last line may lack its end. */
	input_finish(a->pairs);
	if (work_add(a, before) != 0) {
		app_pairs_changed(a);
		return;
	}
	app_pairs_changed(a);
	if (what != NULL)
		app_status(a, false, "%s %s row%s", what,
		    fmt_count(n, a->pairs->nrows - before),
		    a->pairs->nrows - before == 1 ? "" : "s");
	if (a->pairs->fatal != NULL)
		app_status(a, true, "%s", a->pairs->fatal);
}

int
app_load_file(struct app *a, const char *path)
{
	size_t before = a->pairs->nrows;
	char *cause = NULL, n[32];

	begin_source(a->pairs, path, false);
	if (input_read_path(a->pairs, path, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		return -1;
	}
	if (work_add(a, before) != 0) {
		app_pairs_changed(a);
		return -1;
	}
	app_pairs_changed(a);
	if (a->pairs->fatal != NULL) {
		/* UTF-16, binary: said as the command line says it. */
		app_status(a, true, "%s: %s", path, a->pairs->fatal);
		return -1;
	}
	app_status(a, false, "loaded %s row%s from %s",
	    fmt_count(n, a->pairs->nrows - before), plural_s(a->pairs->nrows - before),
	    path);
	return 0;
}

void
app_replace_row(struct app *a, size_t row, const char *text)
{
	char *cause = NULL;

	if (row >= a->pairs->nrows)
		return;
	char *old = app_row_text(a, row);
	if (input_replace_row(a->pairs, row, text, strlen(text), &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		free(old);
		return;
	}
	int rc = work_replace(a, row, old);
	free(old);
	app_pairs_changed(a);
	if (rc != 0)
		return;
	struct buf l = BUF_INIT;
	input_line_label(a->pairs, a->pairs->rows[row].line, &l);
	app_status(a, false, "line %s changed", buf_str(&l));
	buf_free(&l);
}

void
app_delete_row(struct app *a, size_t row)
{
	if (row >= a->pairs->nrows)
		return;
	struct buf l = BUF_INIT;
	input_line_label(a->pairs, a->pairs->rows[row].line, &l);
	if (work_delete(a, row, 1) == 0) {
		input_delete_rows(a->pairs, row, 1);
		app_pairs_changed(a);
		app_status(a, false, "line %s deleted", buf_str(&l));
	}
	buf_free(&l);
}

char *
app_row_text(const struct app *a, size_t row)
{
	struct buf b = BUF_INIT;

	input_row_text(a->pairs, row, &b);
	return buf_detach(&b);
}

static int
write_pairs(int fd, const void *arg, char **cause)
{
	return input_write_fd(arg, fd, cause);
}

/* :write FILE: the pairs as a pairs file, which :load reads back as the
 * same rows (0600, replacing FILE whole). */
void
app_write_pairs(struct app *a, const char *path)
{
	struct export_out o;
	char *cause = NULL, n[32];

	if (*path == '\0') {
		app_status(a, true, "write: give a file");
		return;
	}
	if (export_open(&o, path, &cause) != 0 ||
	    export_finish_with(&o, write_pairs, a->pairs, &cause) != 0) {
		app_status(a, true, "write: %s", cause);
		free(cause);
		return;
	}
	app_status(a, false, "wrote %s row%s to %s", fmt_count(n, a->pairs->nrows),
	    plural_s(a->pairs->nrows), path);
}

/* ---- sending ---------------------------------------------------------- */

void
app_run_free(struct run *r)
{
	if (r == NULL)
		return;
	engine_free(r->engine);
	if (!r->journal_borrowed)
		journal_close(r->journal);
	if (r->loaded) {
		session_free(&r->session);
	} else {
		if (r->out_own.state != NULL)
			outcomes_free(&r->out_own);
		if (r->plan_own.types != NULL)
			plan_free(&r->plan_own);
		input_free(r->in);
	}
	free(r->pair);
	for (size_t i = 0; i < r->nagain; i++)
		free(r->edits[i]);
	free(r->edits);
	free(r->again);
	free(r->id);
	free(r->journal_path);
	free(r->stop_msg);
	run_cache_free(r->cache);
	free(r);
}

/* A row by its line number: rows are in line order (pastes append, edits
 * keep a row's line, and a run is a snapshot in the same order). */
static size_t
find_line(const struct input *in, uint32_t line)
{
	size_t lo = 0, hi = in->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (in->rows[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < in->nrows && in->rows[lo].line == line ? lo : SIZE_MAX;
}

size_t
app_run_row_of_pair(const struct app *a, size_t pair_row)
{
	const struct run *r = a->run;

	if (r == NULL || r->pair == NULL || pair_row >= a->pairs->nrows)
		return SIZE_MAX;
	return find_line(r->in, a->pairs->rows[pair_row].line);
}

/* A run row's pair: where it was when sent, or found again by its line
 * number when the pairs have changed since.  None for a session opened
 * from the history: its lines are another input's. */
static size_t
pair_of_run(const struct app *a, const struct run *r, size_t run_row)
{
	if (r == NULL || r->pair == NULL || run_row >= r->in->nrows)
		return SIZE_MAX;
	uint32_t line = r->in->rows[run_row].line;
	if (r->pair[run_row] < a->pairs->nrows &&
	    a->pairs->rows[r->pair[run_row]].line == line)
		return r->pair[run_row];
	return find_line(a->pairs, line);
}

static size_t
pair_of(const struct app *a, size_t run_row)
{
	return pair_of_run(a, a->run, run_row);
}

bool
app_jump_to_pair(struct app *a, size_t run_row)
{
	size_t p = pair_of(a, run_row);

	if (p == SIZE_MAX) {
		app_status(a, true, "that row is not among the pairs (a session "
		    "from the history, or a deleted pair)");
		return false;
	}
	view_pairs_goto(&a->views[VIEW_PAIRS], p);
	app_show(a, VIEW_PAIRS);
	view_list_clamp(&a->views[VIEW_PAIRS]);
	return true;
}

size_t
app_pairs_of_run_rows(const struct app *a, const uint32_t *rows, size_t n,
    uint32_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t p = pair_of(a, rows[i]);
		if (p != SIZE_MAX)
			out[k++] = (uint32_t)p;
	}
	return k;
}

static void
on_engine(void *arg, const struct engine_event *ev)
{
	struct app *a = arg;

	if (ev->kind == ENGINE_EV_WARNING)
		app_status(a, true, "warning: %s", ev->detail);
	a->gen++;
	a->need_redraw = true;
}

/* Sends a run's pending rows, numbering requests from first_req. */
static void
run_engine(struct app *a, struct run *r, uint64_t first_req)
{
	struct engine_opts eo = {
		.api = a->conn.api, .concurrency = a->conn.concurrency,
		.max_attempts = ENGINE_MAX_ATTEMPTS_DEFAULT, .first_req = first_req,
		.max_wait_ms = a->conn.max_wait_ms, .base_url = a->conn.base_url,
		.silent_ms = ENGINE_SILENT_TIMEOUTS * a->conn.timeout_ms,
		.seed = (uint64_t)getpid() ^ http_now_ms(),
	};

	r->total = outcomes_to_settle(r->out);
	r->started = http_now_ms();
	r->engine = engine_new(a->conn.http, &a->conn.rate, r->journal, r->in, r->plan,
	    r->out, &eo, on_engine, a);
	engine_queue_pending(r->engine);
	r->running = r->total > 0;
}

/* Makes r the run the views show. */
static void
set_run(struct app *a, struct run *r)
{
	app_run_free(a->run);
	a->run = r;
	view_results_rebuild(&a->views[VIEW_RESULTS]);
	view_errors_rebuild(&a->views[VIEW_ERRORS]);
	view_inspector_reset(&a->views[VIEW_INSPECTOR]);
	app_show(a, VIEW_RESULTS);
}

/* A run showing the session read into r->session from path. */
static void
run_of_session(struct run *r, const char *path)
{
	r->loaded = true;
	r->in = r->session.in;
	r->plan = &r->session.plan;
	r->out = &r->session.out;
	r->id = xstrdup(r->session.meta.id);
	r->journal_path = xstrdup(path);
	r->ended = true;
}

void
app_adopt_session(struct app *a, struct session *s, const char *path)
{
	struct run *r = run_alloc();

	r->session = *s;
	memset(s, 0, sizeof(*s));
	run_of_session(r, path);
	/* Its rows are the pairs': found by their lines. */
	r->pair = xcalloc(r->in->nrows + 1, sizeof(*r->pair));
	for (size_t i = 0; i < r->in->nrows; i++)
		r->pair[i] = UINT32_MAX;
	set_run(a, r);
}

/* Starts a run: its journal, its engine. */
static void
start_run(struct app *a, struct run *r, const char *types_text)
{
	struct journal_meta meta = { 0 };
	char *cause = NULL;

	meta.profile = xstrdup(a->conn.prof.name != NULL ? a->conn.prof.name : "default");
	meta.base_url = xstrdup(a->conn.base_url);
	meta.api_version = xstrdup(api_version_name(a->conn.api));
	meta.input_name = xstrdup(APP_INPUT_NAME);
	meta.types = xstrdup(types_text != NULL ? types_text : "");
	r->journal = work_for_send(a, &meta, r->in, r->plan, &cause);
	r->journal_borrowed = true;
	if (r->journal == NULL) {
		app_status(a, true, "cannot start the journal: %s", cause);
		free(cause);
		journal_meta_free(&meta);
		app_run_free(r);
		return;
	}
	r->id = xstrdup(meta.id);
	r->journal_path = xstrdup(journal_path(r->journal));
	journal_meta_free(&meta);
	outcomes_init(&r->out_own, r->plan, false);
	r->out = &r->out_own;
	run_engine(a, r, 1);
	set_run(a, r);
	app_status(a, false, "session %s: sending", r->id);
}

/* A run over some of the pairs, as they read now. */
static struct run *
snapshot(struct app *a, const uint32_t *rows, size_t n)
{
	struct run *r = run_alloc();
	char *cause = NULL;

	r->in = input_new();
	input_copy_sources(r->in, a->pairs);
	r->in->lines = a->pairs->lines;
	r->pair = xcalloc(n + 1, sizeof(*r->pair));
	for (size_t i = 0; i < n; i++) {
		/* The plan's rejections are made again by the run's plan. */
		input_copy_parsed(r->in, a->pairs, rows[i]);
		r->pair[i] = rows[i];
	}
	size_t chunk = a->conn.prof.chunk ? a->conn.prof.chunk : PLAN_CHUNK_DEFAULT;
	if (plan_build(&r->plan_own, r->in, &a->from, &a->to, a->types, a->ntypes,
	    &a->labels, chunk, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return NULL;
	}
	r->plan = &r->plan_own;
	return r;
}

/* Whether a session sent to url may be sent on from here: the same base
 * URL, or a sandbox on this machine when this terminal runs the built-in
 * one (its port changes with each start), as resume --sandbox allows. */
static bool
sends_here(const struct app *a, const char *url)
{
	if (url == NULL || !a->connected)
		return false;
	if (a->conn.sandbox != NULL)
		return http_url_is_local(url);
	return http_same_base_url(url, a->conn.base_url);
}

static bool
ready_to_send(struct app *a)
{
	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return false;
	}
	if (!a->connected) {
		app_status(a, true, "not connected: %s", a->conn_error != NULL ?
		    a->conn_error : "no token");
		return false;
	}
	if (!a->have_from || !a->have_to) {
		app_status(a, true, "choose the object types first: f for FROM, t for TO");
		return false;
	}
	if (!a->labels_loaded) {
		app_status(a, true, a->labels_loading ? "the portal's labels are still "
		    "on their way" : "the portal's labels are missing: %s",
		    a->labels_error != NULL ? a->labels_error : "");
		return false;
	}
	app_replan(a);
	if (!a->planned) {
		app_status(a, true, "%s", a->plan_error != NULL ? a->plan_error :
		    "choose the association types: y");
		return false;
	}
	if (a->plan.unresolved > 0) {
		app_status(a, true, "a label is not among the portal's: y shows them");
		return false;
	}
	return true;
}

static void
send_confirmed(struct app *a, bool yes)
{
	struct run *r = a->pending;

	a->pending = NULL;
	if (!yes) {
		app_status(a, false, "not sent");
		app_run_free(r);
		return;
	}
	start_run(a, r, a->types_text);
}

/* The types a row goes with, as CATEGORY:ID when its plan resolved them,
 * else as written. */
static void
row_types_text(const struct plan *p, const struct input *in, size_t row,
    struct buf *out)
{
	const struct input_row *r = &in->rows[row];
	const struct plan_types *t = r->set < p->ntypes ? &p->types[r->set] : NULL;

	if (t == NULL || !t->ok) {
		buf_addstr(out, in->sets[r->set].text);
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		if (i > 0)
			buf_addc(out, ';');
		assoc_spec_format(out, &t->specs[i]);
	}
}

/* Whether pair p reads as the session's row does: its IDs, and its types
 * (the SPEC column, or resolved alike when the texts differ). */
static bool
reads_as_sent(struct app *a, const struct run *r, size_t row, size_t p)
{
	const struct input *in = r->in;
	const struct input_row *sr = &in->rows[row], *pr = &a->pairs->rows[p];

	if (strcmp(input_from(in, sr), input_from(a->pairs, pr)) != 0 ||
	    strcmp(input_to(in, sr), input_to(a->pairs, pr)) != 0 ||
	    strcmp(input_detail(in, sr), input_detail(a->pairs, pr)) != 0)
		return false;
	if (strcmp(in->sets[sr->set].text, a->pairs->sets[pr->set].text) == 0)
		return true;
	app_replan(a);
	if (!a->planned || a->plan.nrows != a->pairs->nrows)
		return false;
	struct buf x = BUF_INIT, y = BUF_INIT;
	row_types_text(r->plan, in, row, &x);
	row_types_text(&a->plan, a->pairs, p, &y);
	bool same = strcmp(buf_str(&x), buf_str(&y)) == 0;
	buf_free(&x);
	buf_free(&y);
	return same;
}

/* The flags (Primary, ...) of the types some rows of a plan go with, a
 * third column's included. */
static unsigned
primary_among(const struct plan *p, const struct input *in, const uint32_t *rows,
    size_t n)
{
	unsigned flags = 0;
	bool *used = xcalloc(p->ntypes + 1, sizeof(*used));

	for (size_t i = 0; i < n; i++)
		if (in->rows[rows[i]].set < p->ntypes)
			used[in->rows[rows[i]].set] = true;
	for (size_t t = 0; t < p->ntypes; t++)
		for (size_t i = 0; used[t] && i < p->types[t].n; i++)
			flags |= assoc_spec_flags(&p->types[t].specs[i], &p->from, &p->to);
	free(used);
	return flags;
}

/* Asks the question q (what a run will send) and keeps r until the
 * answer: with the types' warnings, and the answer's keys last. */
static void
ask_to_run(struct app *a, struct run *r, struct buf *q, unsigned flags,
    void (*fn)(struct app *, bool))
{
	if (flags & ASSOC_F_PRIMARY)
		buf_addstr(q, " (Primary moves each record's primary)");
	buf_addstr(q, "? [y/n]");
	app_run_free(a->pending);
	a->pending = r;
	app_ask(a, buf_str(q), fn);
	buf_free(q);
}

/* Plans some pairs as they read now and asks before sending them. */
static void
ask_to_send(struct app *a, const uint32_t *pair_rows, size_t n, size_t created)
{
	char n1[32], n2[32], n3[32];
	struct buf q = BUF_INIT;

	if (!ready_to_send(a))
		return;
	struct run *r = snapshot(a, pair_rows, n);
	if (r == NULL)
		return;
	const struct plan *p = r->plan;
	if (p->nsend == 0) {
		app_status(a, true, "no valid pair to send");
		app_run_free(r);
		return;
	}
	buf_printf(&q, "Send %s pair%s in %s request%s, %s to %s",
	    fmt_count(n1, p->nsend), p->nsend == 1 ? "" : "s",
	    fmt_count(n2, p->nchunks), p->nchunks == 1 ? "" : "s",
	    objtype_name(&a->from), objtype_name(&a->to));
	if (p->ninvalid > 0)
		buf_printf(&q, ", leaving out %s invalid", fmt_count(n3, p->ninvalid));
	if (created > 0)
		buf_printf(&q, "%s %s created", p->ninvalid > 0 ? " and" :
		    ", leaving out", fmt_count(n3, created));
	ask_to_run(a, r, &q, primary_among(p, r->in, p->order, p->nsend),
	    send_confirmed);
}

void
app_submit(struct app *a)
{
	if (a->connected && a->have_from && a->have_to && a->labels_loading &&
	    !(a->run != NULL && a->run->running)) {
		a->submit_waiting = true;
		app_status(a, false, "the portal's labels are on their way; the question "
		    "follows");
		return;
	}
	uint32_t *rows = xcalloc(a->pairs->nrows + 1, sizeof(*rows));
	size_t n = 0, created = 0;

	/* What the current session created, unchanged since, is not offered
	 * again. */
	for (size_t i = 0; i < a->pairs->nrows; i++) {
		size_t rr = app_run_row_of_pair(a, i);
		enum outcome o = rr != SIZE_MAX ? (enum outcome)a->run->out->state[rr] :
		    OUTCOME_PENDING;
		/* A repeat went with its first, and is done with it. */
		if ((o == OUTCOME_CREATED || o == OUTCOME_DUPLICATE) &&
		    reads_as_sent(a, a->run, rr, i))
			created++;
		else
			rows[n++] = (uint32_t)i;
	}
	if (n == 0 && created > 0)
		app_status(a, false, "every pair was created in session %s; nothing to "
		    "send", a->run->id);
	else
		ask_to_send(a, rows, n, created);
	free(rows);
}

/* What R does with a session row whose pair was changed in the pairs. */
enum fix {
	FIX_NONE,        /* no pair, or it reads as the session has it */
	FIX_TEXT,        /* changed, valid and resolved: its edit's text */
	FIX_UNFIT,       /* changed, and not valid to send as it reads now */
};

/* Compares a session row with its pair as it reads now; a changed pair
 * that the pairs' plan sends gets the edit's text, types resolved. */
static enum fix
row_fix(struct app *a, const struct run *r, size_t row, char **text)
{
	size_t p = pair_of_run(a, r, row);

	*text = NULL;
	if (p == SIZE_MAX || reads_as_sent(a, r, row, p))
		return FIX_NONE;
	const struct input_row *pr = &a->pairs->rows[p];
	app_replan(a);
	if (!a->planned || a->plan.nrows != a->pairs->nrows ||
	    a->plan.state[p] != PLAN_SEND || !objtype_same(&a->from, &r->plan->from) ||
	    !objtype_same(&a->to, &r->plan->to))
		return FIX_UNFIT;
	const struct plan_types *t = plan_row_types(&a->plan, a->pairs, p);
	for (size_t i = 0; i < t->n; i++)
		if (t->specs[i].cat == ASSOC_CAT_LABEL)
			return FIX_UNFIT;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s,%s,", input_from(a->pairs, pr), input_to(a->pairs, pr));
	row_types_text(&a->plan, a->pairs, p, &b);
	*text = buf_detach(&b);
	return FIX_TEXT;
}

/* A yes: the edits, then the send's record, then the engine. */
static void
again_confirmed(struct app *a, bool yes)
{
	struct run *r = a->pending;
	struct session *s;
	char *cause = NULL;

	a->pending = NULL;
	if (r == NULL)
		return;
	s = &r->session;
	if (!yes) {
		app_status(a, false, "not sent");
		app_run_free(r);
		return;
	}
	for (size_t i = 0; i < r->nagain; i++) {
		if (r->edits[i] == NULL)
			continue;
		if (journal_edit(r->journal, r->again[i], r->edits[i]) != 0)
			cause = xasprintf("cannot write %s: %s", r->journal_path,
			    strerror(errno));
		if (cause != NULL ||
		    session_apply_edit(s, r->again[i], r->edits[i], &cause) != 0)
			goto fail;
	}
	unsigned send = (unsigned)s->nsends + 1;
	if (journal_resend(r->journal, send, "retry", "failed,not_sent,edited",
	    r->again, r->nagain, &cause) != 0 ||
	    session_apply_send(s, "retry", NULL, "failed,not_sent,edited", r->again,
	    r->nagain, &cause) != 0)
		goto fail;
	run_engine(a, r, s->meta.last_req + 1);
	r->ended = false;
	set_run(a, r);
	app_status(a, false, "session %s, send %u: sending", r->id, send);
	return;
fail:
	app_status(a, true, "%s", cause);
	free(cause);
	app_run_free(r);
}

/*
 * R: the session's next send, in its own journal, as hubassoc retry: the
 * given rows of the current session (NULL: every row), those that failed
 * or were not sent, and those that failed or were invalid and whose pair
 * was fixed since.  Nothing created goes again.  Asks first.
 */
static void
send_again(struct app *a, const uint32_t *rows, size_t n)
{
	const struct run *cur = a->run;
	char *cause = NULL, n1[32], n2[32];

	if (cur == NULL) {
		app_status(a, true, "nothing was sent yet: S sends the pairs");
		return;
	}
	if (cur->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return;
	}
	if (!a->connected) {
		app_status(a, true, "not connected: %s", a->conn_error != NULL ?
		    a->conn_error : "no token");
		return;
	}
	/* The session as its journal has it, held for sending. */
	struct run *r = run_alloc();
	if (work_is(a, cur->journal_path)) {
		r->journal = a->work;
		r->journal_borrowed = true;
	} else
		r->journal = journal_reopen(cur->journal_path, &cause);
	if (r->journal == NULL ||
	    journal_load(cur->journal_path, &r->session, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return;
	}
	struct session *s = &r->session;
	run_of_session(r, cur->journal_path);
	if (cur->pair != NULL && s->in->nrows == cur->in->nrows) {
		r->pair = xcalloc(s->in->nrows + 1, sizeof(*r->pair));
		memcpy(r->pair, cur->pair, s->in->nrows * sizeof(*r->pair));
	}
	if (!sends_here(a, s->meta.base_url)) {
		app_status(a, true, "session %s went to %s; this terminal sends to %s",
		    r->id, s->meta.base_url ? s->meta.base_url : "?", a->conn.base_url);
		app_run_free(r);
		return;
	}
	if (session_unfinished(s)) {
		app_status(a, true, "send %zu of session %s was interrupted: r in the "
		    "history resumes it first", s->nsends, r->id);
		app_run_free(r);
		return;
	}
	size_t total = rows != NULL ? n : s->in->nrows, fixed = 0, unfit = 0;
	r->again = xcalloc(total + 1, sizeof(*r->again));
	r->edits = xcalloc(total + 1, sizeof(*r->edits));
	for (size_t k = 0; k < total; k++) {
		uint32_t row = rows != NULL ? rows[k] : (uint32_t)k;
		enum outcome o = (enum outcome)s->out.state[row];
		char *text;
		if (o != OUTCOME_FAILED && o != OUTCOME_NOT_SENT && o != OUTCOME_INVALID)
			continue;
		enum fix f = row_fix(a, r, row, &text);
		if (f == FIX_UNFIT || (o == OUTCOME_INVALID && f == FIX_NONE)) {
			unfit += f == FIX_UNFIT;
			continue;
		}
		r->edits[r->nagain] = text;
		r->again[r->nagain++] = row;
		fixed += text != NULL;
	}
	if (r->nagain == 0) {
		app_status(a, unfit > 0, unfit > 0 ? "nothing to send again: %zu "
		    "changed row%s not valid as %s read%s now" : "nothing to send again: "
		    "no row failed, was not sent, or was fixed since", unfit,
		    plural_s(unfit), unfit == 1 ? "it" : "they", unfit == 1 ? "s" : "");
		app_run_free(r);
		return;
	}
	struct buf q = BUF_INIT;
	buf_printf(&q, "Send %s pair%s again as send %zu of session %s",
	    fmt_count(n1, r->nagain), plural_s(r->nagain), s->nsends + 1, r->id);
	if (fixed > 0)
		buf_printf(&q, " (%s fixed)", fmt_count(n2, fixed));
	if (unfit > 0)
		buf_printf(&q, ", leaving out %zu changed and invalid", unfit);
	/* Primary among the types they go with: the session's, or a fixed
	 * row's as the pairs resolve it. */
	unsigned flags = primary_among(r->plan, r->in, r->again, r->nagain);
	for (size_t i = 0; i < r->nagain; i++) {
		size_t p = r->edits[i] != NULL ? pair_of_run(a, r, r->again[i]) : SIZE_MAX;
		if (p != SIZE_MAX)
			flags |= primary_among(&a->plan, a->pairs, (uint32_t[]){ (uint32_t)p }, 1);
	}
	ask_to_run(a, r, &q, flags, again_confirmed);
}

void
app_resend_run_rows(struct app *a, const uint32_t *rows, size_t n)
{
	send_again(a, rows, n);
}

void
app_resend_failed(struct app *a)
{
	send_again(a, NULL, 0);
}

void
app_cancel(struct app *a)
{
	struct run *r = a->run;

	if (r == NULL || !r->running) {
		app_status(a, false, "nothing is being sent");
		return;
	}
	if (engine_stop_reason(r->engine) == ENGINE_INTERRUPTED) {
		engine_abort(r->engine);
		app_status(a, false, "cutting the requests in flight");
	} else {
		engine_interrupt(r->engine);
		app_status(a, false, "stopping: waiting for the answers in flight (C-c "
		    "again cuts them)");
	}
}

/* The engine has finished: record the end, say how it went. */
static void
run_ended(struct app *a)
{
	struct run *r = a->run;
	const struct engine_stats *st = engine_stats(r->engine);
	char n1[32], n2[32];

	r->running = false;
	r->stop = engine_stop_reason(r->engine);
	if (engine_stop_message(r->engine) != NULL)
		r->stop_msg = xstrdup(engine_stop_message(r->engine));
	int status = session_exit_status(r->out, r->stop, st->gave_up);
	if (r->journal != NULL) {
		journal_end(r->journal, engine_stop_name(r->stop, st->gave_up), status,
		    r->out);
		if (!r->journal_borrowed)
			journal_close(r->journal);
		r->journal = NULL;
	}
	r->ended = true;
	a->gen++;
	view_results_rebuild(&a->views[VIEW_RESULTS]);
	view_errors_rebuild(&a->views[VIEW_ERRORS]);
	view_history_reload(&a->views[VIEW_HISTORY]);
	char send[32] = "";
	if (r->loaded && r->session.nsends > 1)
		snprintf(send, sizeof(send), ", send %zu", r->session.nsends);
	app_status(a, r->out->count[OUTCOME_FAILED] > 0 || r->stop_msg != NULL,
	    "session %s%s: %s: %s created, %s failed%s%s", r->id, send,
	    engine_stop_name(r->stop, st->gave_up),
	    fmt_count(n1, r->out->count[OUTCOME_CREATED]),
	    fmt_count(n2, r->out->count[OUTCOME_FAILED]),
	    r->stop_msg != NULL ? "; " : "", r->stop_msg != NULL ? r->stop_msg : "");
}

/* One turn of the network: the engine's, or the background fetches'. */
void
app_poll_network(struct app *a)
{
	/* A labels call to try again, once its wait and the budget allow. */
	if (a->labels_retry_at != 0 && a->connected && http_now_ms() >= a->labels_retry_at &&
	    rate_delay(&a->conn.rate, http_now_ms()) == 0) {
		a->labels_retry_at = 0;
		send_labels(a);
	}
	if (a->run != NULL && a->run->running && engine_done(a->run->engine))
		run_ended(a);
}

static void resume_confirmed(struct app *a, bool yes);

void
app_open_session(struct app *a, const char *path, bool resume)
{
	struct run *r;
	char *cause = NULL;

	if (a->run != NULL && a->run->running) {
		app_status(a, true, "a session is being sent: wait, or cancel it (C-c)");
		return;
	}
	r = run_alloc();
	/* Taken for sending before it is read: what is read is what is sent. */
	if (resume && work_is(a, path)) {
		r->journal = a->work;
		r->journal_borrowed = true;
	} else if (resume && (r->journal = journal_reopen(path, &cause)) == NULL) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return;
	}
	if (journal_load(path, &r->session, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return;
	}
	run_of_session(r, path);
	if (resume) {
		if (!a->connected || !sends_here(a, r->session.meta.base_url)) {
			app_status(a, true, "session %s went to %s; this terminal sends to "
			    "%s: resume it with hubassoc resume %s --base-url %s", r->id,
			    r->session.meta.base_url ? r->session.meta.base_url : "?",
			    a->connected ? a->conn.base_url : "nowhere", r->id,
			    r->session.meta.base_url ? r->session.meta.base_url : "URL");
			app_run_free(r);
			return;
		}
		if (outcomes_requeue(r->out, r->plan) == 0) {
			/* Opened as it is: a resume record would say otherwise. */
			app_status(a, false, "session %s has nothing left to send", r->id);
			if (!r->journal_borrowed)
				journal_close(r->journal);
			r->journal = NULL;
			set_run(a, r);
			return;
		}
		/* As S and R do: say what will go, and ask. */
		struct buf q = BUF_INIT;
		char n1[32], n2[32];
		buf_printf(&q, "Resume session %s: send %s pair%s", r->id,
		    fmt_count(n1, r->out->count[OUTCOME_PENDING]),
		    r->out->count[OUTCOME_PENDING] == 1 ? "" : "s");
		if (r->out->count[OUTCOME_UNCONFIRMED] > 0)
			buf_printf(&q, " (reading back %s unconfirmed first)",
			    fmt_count(n2, r->out->count[OUTCOME_UNCONFIRMED]));
		buf_printf(&q, ", %s to %s", objtype_name(&r->session.from),
		    objtype_name(&r->session.to));
		ask_to_run(a, r, &q, 0, resume_confirmed);
		return;
	}
	set_run(a, r);
	app_status(a, false, "session %s, read-only", r->id);
}

/* A yes sends what the session left; a no lets it go, unsent. */
static void
resume_confirmed(struct app *a, bool yes)
{
	struct run *r = a->pending;
	char *cause = NULL;

	a->pending = NULL;
	if (r == NULL)
		return;
	if (!yes) {
		app_status(a, false, "session %s not resumed", r->id);
		app_run_free(r);
		return;
	}
	if (journal_resumed(r->journal, (unsigned)r->session.nsends, &cause) != 0) {
		app_status(a, true, "%s", cause);
		free(cause);
		app_run_free(r);
		return;
	}
	run_engine(a, r, r->session.meta.last_req + 1);
	r->ended = false;
	r->resumed = true;
	set_run(a, r);
}

/* ---- questions and commands ------------------------------------------ */

static void
quit_confirmed(struct app *a, bool yes)
{
	if (yes)
		a->quit = true;
}

void
app_quit(struct app *a)
{
	if (a->run != NULL && a->run->running)
		app_ask(a, "A session is being sent: stop it and quit? (resume sends "
		    "the rest) [y/n]", quit_confirmed);
	else
		a->quit = true;
}

void
app_ask(struct app *a, const char *question, void (*fn)(struct app *, bool))
{
	free(a->confirm_text);
	a->confirm_text = xstrdup(question);
	a->confirm = fn;
	a->prompt = PROMPT_CONFIRM;
	a->need_redraw = true;
}

static void
connect_now(struct app *a)
{
	struct buf err = BUF_INIT;

	if (a->connected) {
		app_status(a, false, "connected to %s", a->conn.base_url);
		return;
	}
	cli_capture(&err);
	int rc = conn_open(&a->conn, a->co, "hubassoc", 0, NULL, NULL, NULL);
	cli_capture(NULL);
	if (a->co->token_given != NULL) {
		memset(a->co->token_given, 0, strlen(a->co->token_given));
		free(a->co->token_given);
		a->co->token_given = NULL;
	}
	free(a->conn_error);
	a->conn_error = NULL;
	if (rc != 0) {
		a->connected = false;
		a->conn_error = buf_detach(&err);
		app_status(a, true, "%s", a->conn_error);
		return;
	}
	buf_free(&err);
	a->connected = true;
	free(a->portal);
	a->portal = xstrdup(a->conn.sandbox != NULL ? "sandbox" : a->conn.base_url);
	app_fetch_schemas(a);
	if (a->have_from && a->have_to)
		app_fetch_labels(a);
	app_status(a, false, "connected to %s", a->conn.base_url);
}

/*
 * :demo, on the built-in sandbox: pairs of records its portal has, for the
 * chosen direction (contacts to companies until one is chosen), with what
 * real input holds too: two lines that are not pairs, a duplicate, and two
 * IDs the portal lacks.  So a first session, from `make run`, can go all
 * the way to the error tree without knowing a single ID.
 */
static void
add_demo_pairs(struct app *a)
{
	enum { DEMO_PAIRS = 100, DEMO_SCAN = 4096 };
	const char *from = a->have_from ? a->from.path : "contacts";
	const char *to = a->have_to ? a->to.path : "companies";
	uint64_t *f = xcalloc(DEMO_SCAN, sizeof(*f)), *t = xcalloc(DEMO_SCAN, sizeof(*t));
	size_t nf, nt;
	struct buf b = BUF_INIT;
	char n[32];

	if (a->conn.sandbox == NULL) {
		app_status(a, true, "demo: only on the built-in sandbox (hubassoc "
		    "--sandbox): a real portal's IDs are not made up");
		goto done;
	}
	nf = sandbox_record_ids(a->conn.sandbox, from, f, DEMO_SCAN);
	nt = sandbox_record_ids(a->conn.sandbox, to, t, DEMO_SCAN);
	if (nf == 0 || nt == 0) {
		app_status(a, true, "demo: the sandbox's portal has no %s records",
		    nf == 0 ? from : to);
		goto done;
	}
	/* An ID next to a record's that no record has. */
	uint64_t lost_from = f[0] + 1, lost_to = t[nt - 1] + 1;
	while (sandbox_has_record(a->conn.sandbox, from, lost_from))
		lost_from++;
	while (sandbox_has_record(a->conn.sandbox, to, lost_to))
		lost_to++;
	size_t pairs = nf < DEMO_PAIRS ? nf : DEMO_PAIRS, before = a->pairs->nrows;
	buf_printf(&b, "# :demo: %s to %s of the sandbox's portal\n", from, to);
	for (size_t i = 0; i < pairs; i++) {
		unsigned long long fi = f[i], ti = t[(i * 7) % nt];
		buf_printf(&b, "%llu,%llu\n", fi, ti);
		/* After the tenth pair, what real input has too. */
		if (i == 10 % pairs) {
			buf_printf(&b, "%llu,%llu\n", (unsigned long long)lost_from,
			    (unsigned long long)t[0]);              /* no such FROM */
			buf_printf(&b, "%llu\n", fi);               /* one field */
			buf_printf(&b, "%llu,%llu\n", fi, ti);      /* a duplicate */
			buf_printf(&b, "%llu,%llu\n", (unsigned long long)f[0],
			    (unsigned long long)lost_to);           /* no such TO */
			buf_printf(&b, "%lluO,%llu\n", fi / 10, ti); /* O for 0 */
		}
	}
	app_add_text(a, b.data, b.len, NULL);
	/* The direction its pairs are of, as it says. */
	struct objtype dir;
	char *cause = NULL;
	if (!a->have_from && objtype_parse(from, &dir, &cause) == 0)
		app_set_from_to(a, 0, &dir);
	free(cause);
	cause = NULL;
	if (!a->have_to && objtype_parse(to, &dir, &cause) == 0)
		app_set_from_to(a, 1, &dir);
	free(cause);
	app_status(a, false, "demo: %s rows of %s to %s: 2 bad, 1 duplicate, 2 IDs "
	    "it lacks%s", fmt_count(n, a->pairs->nrows - before), from, to,
	    a->ntypes > 0 ? "" : "; y chooses the association types");
done:
	buf_free(&b);
	free(f);
	free(t);
}

void
app_command(struct app *a, const char *line)
{
	char word[32] = "";
	const char *arg;
	size_t n;

	while (*line == ' ' || *line == ':')
		line++;
	n = strcspn(line, " ");
	if (n >= sizeof(word)) {
		app_status(a, true, "unknown command");
		return;
	}
	memcpy(word, line, n);
	word[n] = '\0';
	for (arg = line + n; *arg == ' '; arg++)
		;
	if (strcmp(word, "connect") == 0) {
		connect_now(a);
	} else if (strcmp(word, "q") == 0 || strcmp(word, "quit") == 0) {
		app_quit(a);
	} else if (strcmp(word, "load") == 0) {
		if (*arg == '\0')
			app_status(a, true, "load: give a file");
		else
			app_load_file(a, arg);
	} else if (strcmp(word, "from") == 0 || strcmp(word, "to") == 0) {
		struct objtype t;
		char *cause = NULL;
		if (objtype_parse(arg, &t, &cause) != 0) {
			app_status(a, true, "%s", cause);
			free(cause);
		} else
			app_set_from_to(a, word[0] == 't', &t);
	} else if (strcmp(word, "type") == 0 || strcmp(word, "types") == 0) {
		app_set_types_text(a, arg);
	} else if (strcmp(word, "submit") == 0) {
		app_submit(a);
	} else if (strcmp(word, "resend") == 0) {
		app_resend_failed(a);
	} else if (strcmp(word, "write") == 0 || strcmp(word, "w") == 0) {
		app_write_pairs(a, arg);
	} else if (strcmp(word, "clear") == 0) {
		if (work_clear(a) != 0)
			return;
		input_clear(a->pairs);
		/* The session stays to be read, but the pairs are not its rows
		 * any more: their lines start again at 1. */
		if (a->run != NULL) {
			free(a->run->pair);
			a->run->pair = NULL;
		}
		app_pairs_changed(a);
		app_status(a, false, "every pair removed; the next is line 1");
	} else if (strcmp(word, "export") == 0) {
		char *cause = NULL;
		enum export_format f = EXPORT_JSONL;
		if (a->run == NULL || *arg == '\0') {
			app_status(a, true, "export: give a file, after a session");
			return;
		}
		size_t len = strlen(arg);
		if (len > 4 && strcmp(arg + len - 4, ".csv") == 0)
			f = EXPORT_CSV;
		else if (len > 5 && strcmp(arg + len - 5, ".json") == 0)
			f = EXPORT_JSON;
		struct export_src src = a->run->loaded ?
		    session_export_src(&a->run->session) : (struct export_src){
		    a->run->in, a->run->plan, a->run->out, NULL, NULL, NULL };
		if (export_write_path(arg, f, &src, &cause) != 0) {
			app_status(a, true, "%s", cause);
			free(cause);
		} else
			app_status(a, false, "wrote %s", arg);
	} else if (strcmp(word, "theme") == 0) {
		char *cause = NULL;
		struct theme *t = theme_load(*arg ? arg : "default", &cause);
		if (t == NULL) {
			app_status(a, true, "%s", cause);
			free(cause);
		} else {
			theme_free(a->theme);
			a->theme = t;
			theme_apply(t, a->mono);
			clearok(stdscr, TRUE);
			app_status(a, false, "theme %s", *arg ? arg : "default");
		}
	} else if (strcmp(word, "demo") == 0) {
		add_demo_pairs(a);
	} else if (strcmp(word, "history") == 0) {
		app_show(a, VIEW_HISTORY);
	} else if (strcmp(word, "help") == 0) {
		app_show(a, VIEW_HELP);
	} else {
		char *e = text_escape_str(word, strlen(word), 40);
		app_status(a, true, "unknown command '%s' (Tab completes)", e);
		free(e);
	}
}
