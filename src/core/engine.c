/* engine.c: sending the plan, as fast as the portal allows and no faster. */
#include "hubassoc/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/answer.h"
#include "hubassoc/assocread.h"
#include "hubassoc/text.h"
#include "engine_int.h"

void
eng_event(struct engine *e, enum engine_event_kind kind, uint64_t req, size_t rows,
    int status, const char *detail)
{
	struct engine_event ev = { kind, req, rows, status, detail, 0 };

	if (e->fn != NULL)
		e->fn(e->arg, &ev);
}

static void
http_tp_start(void *t, const char *method, const char *path, const char *body,
    size_t len, http_done_fn done, void *arg)
{
	http_start(t, method, path, body, len, done, arg);
}

static void
http_tp_wait(void *t, struct http_fd *extra, unsigned nextra, int timeout_ms)
{
	http_wait(t, extra, nextra, timeout_ms);
}

static void
http_tp_work(void *t)
{
	http_work(t);
}

static void
http_tp_abort_all(void *t)
{
	http_abort_all(t);
}

struct engine_opts
engine_opts_defaults(const struct engine_opts *opts)
{
	struct engine_opts o = *opts;

	if (o.concurrency == 0)
		o.concurrency = ENGINE_IN_FLIGHT_START;
	if (o.max_attempts == 0)
		o.max_attempts = ENGINE_MAX_ATTEMPTS_DEFAULT;
	if (o.backoff_base_ms == 0)
		o.backoff_base_ms = ANSWER_BACKOFF_BASE_MS;
	if (o.backoff_cap_ms == 0)
		o.backoff_cap_ms = ANSWER_BACKOFF_CAP_MS;
	if (o.max_wait_ms == 0)
		o.max_wait_ms = ENGINE_MAX_WAIT_DEFAULT_MS;
	if (o.silent_ms == 0)
		o.silent_ms = ENGINE_SILENT_TIMEOUTS * ENGINE_TIMEOUT_DEFAULT_MS;
	return o;
}

struct engine_transport
engine_http_transport(struct http *h)
{
	return (struct engine_transport){ h, http_tp_start, http_tp_wait,
	    http_tp_work, http_tp_abort_all };
}

struct engine *
engine_new(struct http *h, struct rate *rate, struct journal *j, struct input *in,
    struct plan *p, struct outcomes *o, const struct engine_opts *opts,
    engine_event_fn fn, void *arg)
{
	const struct engine_transport tp = engine_http_transport(h);

	return engine_new_transport(&tp, rate, j, in, p, o, opts, fn, arg);
}

static const struct call_lane eng_lane;

struct engine *
engine_new_transport(const struct engine_transport *tp, struct rate *rate,
    struct journal *j, struct input *in, struct plan *p, struct outcomes *o,
    const struct engine_opts *opts, engine_event_fn fn, void *arg)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	struct buf path = BUF_INIT;

	e->j = j;
	e->in = in;
	e->p = p;
	e->o = o;
	e->opts = engine_opts_defaults(opts);
	e->c = calls_new_lane(tp, rate, j, opts, opts->seed ^ 0x9e3779b97f4a7c15ULL,
	    &eng_lane, e);
	e->c->st.chunk = p->chunk_size;
	e->alike.open = e->opts.hold_alike > 0;
	if (e->alike.open)
		e->alike.row = xcalloc(in->nrows + 1, 1);
	e->fn = fn;
	e->arg = arg;
	request_assoc_path(&path, opts->api, &p->from, &p->to, plan_op_action(p->op));
	e->path = buf_detach(&path);
	request_assoc_path(&path, opts->api, &p->from, &p->to, "batch/read");
	e->read_path = buf_detach(&path);
	return e;
}

void
eng_job_free(struct job *j)
{
	if (j != NULL) {
		if (j->last_error != NULL) {
			hs_error_clear(j->last_error);
			free(j->last_error);
		}
		free(j->after);
		free(j->rows);
		free(j);
	}
}

void
engine_free(struct engine *e)
{
	struct call *x;

	if (e == NULL)
		return;
	while ((x = calls_pop(e->c)) != NULL) {
		struct job *j = ENG_JOB(x);
		if (j->split != NULL && --j->split->open == 0 && j->split->parked != NULL) {
			eng_job_free(j->split->parked);
			j->split->parked = NULL;
		}
		eng_split_release(j->split);
		eng_job_free(j);
		calls_drop(x);
	}
	calls_free(e->c);
	free(e->alike.cat);
	free(e->alike.row);
	free(e->alike.msg);
	if (e->stop_error != NULL) {
		hs_error_clear(e->stop_error);
		free(e->stop_error);
	}
	free(e->path);
	free(e->read_path);
	free(e);
}

struct job *
eng_job_new(const uint32_t *rows, size_t n, uint32_t chunk)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->rows = xcalloc(n ? n : 1, sizeof(*j->rows));
	memcpy(j->rows, rows, n * sizeof(*rows));
	j->n = n;
	j->chunk = chunk;
	return j;
}

static const char *
job_path(const struct engine *e, const struct job *j)
{
	return j->read ? e->read_path : e->path;
}

void
eng_push_back(struct engine *e, struct job *j)
{
	calls_queue(e->c, "POST", job_path(e, j), j);
}

void
eng_push_front(struct engine *e, struct job *j)
{
	calls_queue_front(e->c, "POST", job_path(e, j), j);
}

/* A job of rows[0..n), up to size at a time, for each run of them. */
static void
queue_rows(struct engine *e, const uint32_t *rows, size_t n, size_t size, bool read)
{
	for (size_t i = 0; i < n; i += size) {
		size_t k = n - i < size ? n - i : size;
		struct job *j = eng_job_new(rows + i, k, e->p->chunk[rows[i]]);
		j->read = read;
		eng_push_back(e, j);
	}
}

uint64_t
engine_next_req(const struct engine *e)
{
	return calls_next_req(e->c);
}

void
engine_queue_pending(struct engine *e)
{
	uint32_t *rows = xcalloc(e->p->nsend + 1, sizeof(*rows));
	size_t nread = 0;

	/* What left without a usable answer is read back first: a crash costs
	 * reads, not writes made twice. */
	for (size_t i = 0; i < e->p->nsend; i++)
		if (e->o->state[e->p->order[i]] == OUTCOME_UNCONFIRMED)
			rows[nread++] = e->p->order[i];
	queue_rows(e, rows, nread, ASSOCREAD_MAX, true);
	free(rows);
	rows = xcalloc(e->p->chunk_size + 1, sizeof(*rows));
	for (size_t c = 0; c < e->p->nchunks; c++) {
		size_t n, k = 0;
		const uint32_t *all = plan_chunk_rows(e->p, c, &n);
		for (size_t i = 0; i < n; i++)
			if (e->o->state[all[i]] == OUTCOME_PENDING)
				rows[k++] = all[i];
		if (k > 0) {
			struct job *j = eng_job_new(rows, k, (uint32_t)c);
			j->first = true;
			eng_push_back(e, j);
		}
	}
	free(rows);
}

void
eng_stop(struct engine *e, enum engine_stop why, const char *msg)
{
	calls_fail(e->c, why, msg);
}

/* Records the outcomes of a job's decided rows. */
void
eng_record(struct engine *e, const uint32_t *rows, size_t n, size_t err0, size_t lab0)
{
	uint32_t *done = xcalloc(n + 1, sizeof(*done));
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (e->o->state[rows[i]] != OUTCOME_PENDING)
			done[k++] = rows[i];
	eng_alike_settled(e, done, k);
	if (e->j != NULL && (k > 0 || e->o->nerrors > err0) &&
	    journal_outcomes(e->j, e->o, err0, lab0, done, k) != 0)
		eng_stop(e, ENGINE_JOURNAL, "the journal could not be written");
	free(done);
}

/* Leaves a job's pending rows not_sent, or unconfirmed when a request of
 * theirs left and no usable answer came (the server may have created them;
 * resume reads them back).  Their error is HubSpot's last word on them or
 * on the run (category, message, correlationId) with why under the state's
 * category in its context; or, when HubSpot said nothing, a local one. */
static void
leave_rows(struct engine *e, const struct job *j, const char *why)
{
	size_t err0 = e->o->nerrors, lab0 = e->o->nlabel_sets;
	enum outcome st = j->unanswered ? OUTCOME_UNCONFIRMED : OUTCOME_NOT_SENT;
	const char *cat = j->unanswered ? OUTCOME_CAT_UNCONFIRMED : OUTCOME_CAT_NOT_SENT;
	const struct hs_error *said = j->last_error != NULL ? j->last_error : e->stop_error;
	uint32_t err = 0;

	for (size_t i = 0; i < j->n; i++) {
		if (e->o->state[j->rows[i]] != OUTCOME_PENDING)
			continue;
		if (err == 0) {
			struct hs_error *x;
			if (said != NULL) {
				x = hs_error_dup(said);
				hs_error_add_context(x, cat, why);
			} else {
				x = j->unanswered ? outcome_local_error(cat, "sent, no "
				    "usable answer: %s", why) :
				    outcome_local_error(cat, "%s", why);
			}
			err = outcomes_add_error(e->o, x, j->chunk, 0, said == NULL);
		}
		outcomes_set(e->o, j->rows[i], st, 0, err);
	}
	eng_record(e, j->rows, j->n, err0, lab0);
}

/* While the server is not answering, a new chunk waits for those trying
 * already; when none is, one may go and find out. */
static bool
fresh_may_go(const struct engine *e)
{
	if (e->unanswered_since == 0)
		return true;
	if (e->c->in_flight > 0)
		return false;
	for (const struct call *x = e->c->head; x != NULL; x = x->next)
		if (x->tries.attempts > 0)
			return false;
	return true;
}

/* The lane's gate: a fresh chunk waits while the server is not answering,
 * and the hold's chunks are answered before more first chunks go.  *scan
 * keeps fresh_may_go's word for the look through the queue (0: not asked,
 * 1: yes, 2: no). */
static bool
job_may_go(void *owner, const struct call *x, int *scan)
{
	struct engine *e = owner;
	const struct job *j = ENG_JOB(x);

	if (x->tries.attempts > 0)
		return true;
	if (*scan == 0)
		*scan = fresh_may_go(e) ? 1 : 2;
	if (*scan == 2)
		return false;
	/* the hold's chunks are answered first */
	return !(j->first && e->alike.open && e->alike.sent >= e->opts.hold_alike);
}

/* The distinct FROM records of a read's rows, with its page's cursor. */
static char *
read_body(struct engine *e, const struct job *j)
{
	const char **ids = xcalloc(j->n + 1, sizeof(*ids));
	const char **afters = xcalloc(j->n + 1, sizeof(*afters));
	size_t n = 0;
	char *body;

	for (size_t i = 0; i < j->n; i++) {
		const char *id = input_from(e->in, &e->in->rows[j->rows[i]]);
		size_t k = 0;
		while (k < n && strcmp(ids[k], id) != 0)
			k++;
		if (k == n) {
			afters[n] = j->after;
			ids[n++] = id;
		}
	}
	body = assocread_body(ids, afters, n);
	free(ids);
	free(afters);
	return body;
}

static char *
job_body(void *owner, struct call *x)
{
	struct engine *e = owner;
	struct job *j = ENG_JOB(x);
	char *cause = NULL;
	char *body = j->read ? read_body(e, j) :
	    request_create_body_rows(e->p, e->in, j->rows, j->n, e->opts.pre,
	    &cause);

	if (body == NULL) {
		eng_stop(e, ENGINE_CONFIG, cause);
		free(cause);
	}
	return body;
}

static int
job_record(void *owner, struct call *x, uint64_t req, const char *body)
{
	struct engine *e = owner;
	const struct job *j = ENG_JOB(x);

	return e->j != NULL ? journal_send(e->j, req, j->read ? "read" : NULL, j->chunk,
	    x->tries.attempts + 1, j->rows, j->n, body) : 0;
}

static void
job_left(void *owner, struct call *x, uint64_t req)
{
	struct engine *e = owner;
	const struct job *j = ENG_JOB(x);

	if (j->first && x->tries.attempts == 0 && e->alike.open) {
		e->alike.sent++;
		e->alike.want += j->n;
		for (size_t i = 0; i < j->n; i++)
			e->alike.row[j->rows[i]] = 1;
	}
	if (j->narrowing)
		e->c->st.narrowing++;
	if (j->read)
		e->c->st.reads++;
	eng_event(e, ENGINE_EV_SENT, req, j->n, 0, NULL);
}

/* Goes again, after a transient failure or a 429. */
static void
job_again(void *owner, const struct call *x, uint64_t req,
    const struct answer_verdict *v, uint64_t wait)
{
	struct engine *e = owner;
	const struct job *j = ENG_JOB(x);

	if (v->act == ANSWER_WAIT) {
		/* Every request waits: the budget is the portal's. */
		struct engine_event ev = { ENGINE_EV_LIMITED, req, j->n, 429,
		    v->policy, wait };
		if (e->fn != NULL)
			e->fn(e->arg, &ev);
	} else {
		eng_event(e, ENGINE_EV_RETRY, 0, j->n, 0, v->why);
	}
}

/* Tried enough: the rows given up, or the run stopped, as answer_next()
 * decides for every call. */
static void
job_given_up(void *owner, struct call *x, enum answer_next next, bool unreachable,
    const char *msg)
{
	struct engine *e = owner;
	struct job *j = ENG_JOB(x);

	if (next == ANSWER_GIVE_UP) {
		calls_drop(x);
		eng_split_answered(e, j, false);
		e->unanswered_since = 0;    /* the next chunk may find out */
		char *why = j->unanswered ? xstrdup(msg) : xasprintf("not sent: %s", msg);
		leave_rows(e, j, why);
		eng_event(e, ENGINE_EV_RETRY, 0, j->n, 0, why);
		free(why);
		eng_job_free(j);
		return;
	}
	/* The run stops here, and goes on with a resume. */
	char *m = xasprintf("%s; resume sends the rest", msg);
	eng_stop(e, unreachable ? ENGINE_UNREACHABLE : ENGINE_GAVE_UP, m);
	calls_requeue(e->c, x);
	eng_event(e, ENGINE_EV_RETRY, 0, j->n, 0, m);
	free(m);
}

/* Whether a read-back's next page is the one it was read from, or past
 * any real record's: the portal pages in a loop.  Said, and the row is
 * sent (a create of a pair it holds changes nothing). */
static bool
page_again(struct engine *e, const struct job *j, const char *after,
    const struct http_result *res)
{
	uint64_t req = calls_next_req(e->c) > 1 ? calls_next_req(e->c) - 1 : 0;

	if ((j->after == NULL || strcmp(j->after, after) != 0) &&
	    j->pages < ENGINE_READ_PAGES_MAX)
		return false;
	char *m = xasprintf("the portal's paging of a pair's associations gave %s: "
	    "read no further, the row is sent", j->pages < ENGINE_READ_PAGES_MAX ?
	    "the cursor it was read from" : "more pages than any record has");
	if (e->j != NULL && journal_warning(e->j, req, m) != 0)
		eng_stop(e, ENGINE_JOURNAL, "the journal could not be written");
	eng_event(e, ENGINE_EV_WARNING, req, 1, res->status, m);
	free(m);
	return true;
}

/* Whether a read-back found a row done: a create's pair holds every type;
 * a remove's pair is gone, an unlabel's holds none of its types (*after:
 * the next page to look on, when not found on this one). */
static bool
read_done(const struct engine *e, const struct assocread *rb,
    const struct input_row *r, const struct plan_types *t, const char **after)
{
	const char *from = input_from(e->in, r), *to = input_to(e->in, r);

	if (!plan_op_removes(e->p->op))
		return assocread_holds(rb, from, to, t->specs, t->n, after);
	int has = assocread_pair_has(rb, from, to, t->specs,
	    e->p->op == PLAN_OP_REMOVE ? 0 : t->n, after);
	if (has < 0)
		return *after == NULL;
	*after = NULL;
	return e->p->op == PLAN_OP_UNLABEL && has == 0;
}

/* A read-back's answer: rows the portal holds with every type are created;
 * those on a later page of their FROM record are read again from there;
 * the rest were not created after all and are sent.  A refused read says
 * nothing of them: they are sent. */
static void
settle(struct engine *e, struct job *j, const struct http_result *res, bool refused)
{
	struct assocread rb = { 0 };
	uint32_t *send = xcalloc(j->n + 1, sizeof(*send));
	size_t nsend = 0, err0 = e->o->nerrors, lab0 = e->o->nlabel_sets;

	if (!refused)
		assocread_parse(res->body.data != NULL ? res->body.data : "", res->body.len,
		    &rb);
	for (size_t i = 0; i < j->n; i++) {
		uint32_t row = j->rows[i];
		const struct input_row *r = &e->in->rows[row];
		const struct plan_types *t = plan_row_types(e->p, e->in, row);
		const char *after;
		if (read_done(e, &rb, r, t, &after)) {
			outcomes_set(e->o, row, OUTCOME_CREATED, (uint16_t)res->status, 0);
			e->c->st.read_back++;
		} else if (after != NULL && !page_again(e, j, after, res)) {
			struct job *more = eng_job_new(&row, 1, j->chunk);
			more->read = true;
			more->after = xstrdup(after);
			more->pages = j->pages + 1;
			eng_push_front(e, more);
		} else {
			outcomes_set(e->o, row, OUTCOME_PENDING, 0, 0);
			send[nsend++] = row;
		}
	}
	eng_record(e, j->rows, j->n, err0, lab0);
	queue_rows(e, send, nsend, e->p->chunk_size, false);
	assocread_free(&rb);
	free(send);
	eng_job_free(j);
}

void
eng_shrink(struct engine *e, size_t size, size_t floor, const char *why)
{
	if (size < floor)
		size = floor;
	if (size >= e->p->chunk_size)
		return;
	e->p->chunk_size = size;
	e->c->st.chunk = size;
	/* The requests waiting, as new ones would be made. */
	for (struct call *x = e->c->head; x != NULL; x = x->next) {
		struct job *j = ENG_JOB(x);
		if (x->tries.attempts > 0 || j->read || j->n <= size || j->split != NULL)
			continue;
		struct job *rest = eng_job_new(j->rows + size, j->n - size, j->chunk);
		rest->first = j->first;
		j->n = size;
		x = calls_queue_after(e->c, x, "POST", job_path(e, rest), rest);
	}
	char *m = xasprintf("requests of %zu inputs from here: %s", size, why);
	eng_event(e, ENGINE_EV_WARNING, 0, 0, 0, m);
	free(m);
}

/* A create answered after lat ms slower than half the timeout makes the
 * next smaller (the runner has moved the latency's mean, and the requests
 * in flight with it). */
static void
follow_latency(struct engine *e, const struct job *j, uint64_t lat)
{
	uint64_t timeout = e->opts.silent_ms / ENGINE_SILENT_TIMEOUTS;

	if (!j->read && j->n > ENGINE_CHUNK_FLOOR && j->n >= e->p->chunk_size &&
	    (double)lat > (double)timeout * ENGINE_SLOW_SHARE) {
		char why[96];
		snprintf(why, sizeof(why), "one of %zu took %.1f s of the %.0f s "
		    "timeout", j->n, (double)lat / 1000.0, (double)timeout / 1000.0);
		eng_shrink(e, j->n / 2, ENGINE_CHUNK_FLOOR, why);
	}
}

/* An answer, judged: what the engine makes of it before the runner acts. */
static void
job_answered(void *owner, struct call *x, uint64_t req, const struct http_result *res,
    const struct response *r, struct answer_verdict *v, uint64_t latency_ms)
{
	struct engine *e = owner;
	struct job *j = ENG_JOB(x);

	if (res->failure == HTTP_OK) {
		e->unanswered_since = 0;
		follow_latency(e, j, latency_ms);
	} else if ((res->failure == HTTP_CONNECT || res->failure == HTTP_TIMEOUT) &&
	    e->unanswered_since == 0) {
		e->unanswered_since = http_now_ms();
	}
	eng_event(e, ENGINE_EV_ANSWER, req, j->n, res->status, NULL);
	/* An archive's answer is 204 No Content: done, as calls take it. */
	if (!j->read && plan_op_removes(e->p->op) && res->failure == HTTP_OK &&
	    res->status == 204 && r->kind == RESPONSE_EMPTY)
		v->act = ANSWER_ACCEPT;
	/* HubSpot's words on a failed try are kept for the rows, should they
	 * end unsent; and on what stops the run, for every row it leaves. */
	if (r->kind == RESPONSE_ERROR && (v->act == ANSWER_RETRY ||
	    v->act == ANSWER_WAIT || v->act == ANSWER_STOP)) {
		struct hs_error **keep = v->act == ANSWER_STOP ? &e->stop_error :
		    &j->last_error;
		if (*keep == NULL || v->act != ANSWER_STOP) {
			if (*keep != NULL) {
				hs_error_clear(*keep);
				free(*keep);
			}
			*keep = hs_error_dup(&r->error);
		}
	}
	/* Stays pending; the end marks it unconfirmed (it left). */
	if (v->act == ANSWER_ABORTED ||
	    ((v->act == ANSWER_RETRY || v->act == ANSWER_WAIT) && v->maybe_done))
		j->unanswered = true;
}

/* A create's answer: its rows joined to their results. */
static void
join_answer(struct engine *e, struct job *j, uint64_t req,
    const struct http_result *res, const struct response *r)
{
	struct join_report rep;
	size_t err0 = e->o->nerrors, lab0 = e->o->nlabel_sets;

	e->c->st.pairs_answered += j->n;
	join_batch(e->o, e->p, e->in, j->rows, j->n, j->chunk, r, &rep);
	eng_record(e, j->rows, j->n, err0, lab0);
	if (rep.stray_results > 0) {
		/* Not a row's outcome, but not to be lost either. */
		char n[64];
		char *m = xasprintf("request %llu: the answer confirms %s "
		    "that %s not in it", (unsigned long long)req,
		    fmt_counted(n, rep.stray_results, "pair"),
		    rep.stray_results == 1 ? "was" : "were");
		if (e->j != NULL && journal_warning(e->j, req, m) != 0)
			eng_stop(e, ENGINE_JOURNAL, "the journal could not be written");
		eng_event(e, ENGINE_EV_WARNING, req, rep.stray_results, res->status, m);
		free(m);
	}
	eng_job_free(j);
}

/* Accepted or refused: the rows' outcomes. */
static void
job_done(void *owner, struct call *x, uint64_t req, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct engine *e = owner;
	struct job *j = ENG_JOB(x);

	if (!refused) {
		eng_split_answered(e, j, false);
		if (j->read)
			settle(e, j, res, false);
		else
			join_answer(e, j, req, res, r);
		return;
	}
	/* The portal said how many inputs it takes: this request goes again
	 * in pieces that size, and every one after is no larger (a refusal of
	 * its size wrote nothing; halving would take 2n - 1 requests). */
	size_t max = !j->read ? response_refused_size(res, r) : 0;
	if (max > 0 && max < j->n) {
		char why[96];
		snprintf(why, sizeof(why), "the portal refused one of %zu: it takes at "
		    "most %zu", j->n, max);
		eng_shrink(e, max, 1, why);
		eng_split_answered(e, j, false);
		for (size_t off = (j->n - 1) / max * max;; off -= max) {
			eng_push_front(e, eng_job_new(j->rows + off, j->n - off < max ?
			    j->n - off : max, j->chunk));
			if (off == 0)
				break;
		}
		eng_job_free(j);
		return;
	}
	if (res->status == 413 && !j->read && j->n > 1) {
		char why[80];
		snprintf(why, sizeof(why), "the portal refused one of %zu as too "
		    "large", j->n);
		eng_shrink(e, j->n / 2, ENGINE_CHUNK_FLOOR, why);
	}
	if (j->read)
		settle(e, j, res, true);
	else
		eng_refused(e, j, r);
}

static void
job_answer_end(void *owner)
{
	eng_alike_check(owner);
}

static const struct call_lane eng_lane = {
	.may_go = job_may_go, .body = job_body, .record = job_record,
	.left = job_left, .answered = job_answered, .done = job_done,
	.again = job_again, .given_up = job_given_up, .answer_end = job_answer_end,
};

static const char *
not_sent_reason(struct engine *e)
{
	switch (e->c->stop) {
	case ENGINE_INTERRUPTED:
		return e->alike.stopped ? "not sent: stopped at the hold; R or resume "
		    "sends it" : "not sent: the run was interrupted; resume sends it";
	case ENGINE_ABORTED:
		/* What was in flight is unconfirmed, not this. */
		return "not sent: the run was aborted; resume sends it";
	case ENGINE_DAILY:
		return "not sent: the portal's daily limit was reached; resume "
		    "sends it when the limit resets";
	case ENGINE_AUTH:
	case ENGINE_CONFIG:
	case ENGINE_JOURNAL:
	case ENGINE_GAVE_UP:
	case ENGINE_UNREACHABLE:
		return e->c->stop_msg != NULL ? e->c->stop_msg : "not sent";
	default:
		return "not sent";
	}
}

/* Why a row whose request left unanswered was left so: never "not
 * sent", which it may not be. */
static const char *
unanswered_reason(struct engine *e)
{
	switch (e->c->stop) {
	case ENGINE_INTERRUPTED:
	case ENGINE_ABORTED:
		return "the run stopped with it in flight; resume reads it back";
	case ENGINE_DAILY:
		return "the portal's daily limit was reached; resume reads it back";
	default:
		return e->c->stop_msg != NULL ? e->c->stop_msg : "the run stopped; resume "
		    "reads it back";
	}
}

static void
finalize(struct engine *e)
{
	struct calls *c = e->c;
	struct call *x;

	if (e->finalized)
		return;
	e->finalized = true;
	if (c->stop == ENGINE_RUNNING)
		c->stop = ENGINE_COMPLETE;
	while ((x = calls_pop(c)) != NULL) {
		struct job *j = ENG_JOB(x);
		calls_drop(x);
		eng_split_answered(e, j, false);   /* a parked sibling comes back */
		char *why = j->unanswered ? xstrdup(unanswered_reason(e)) :
		    c->stop == ENGINE_AUTH || c->stop == ENGINE_CONFIG ||
		    c->stop == ENGINE_GAVE_UP || c->stop == ENGINE_UNREACHABLE ?
		    xasprintf("not sent: %s", not_sent_reason(e)) : xstrdup(not_sent_reason(e));
		leave_rows(e, j, why);
		free(why);
		eng_job_free(j);
	}
	eng_event(e, ENGINE_EV_STOP, 0, 0, 0, c->stop_msg);
}

void
engine_turn(struct engine *e, struct http_fd *extra, unsigned nextra, int max_ms)
{
	if (e->finalized)
		return;
	calls_turn(e->c, extra, nextra, max_ms);
	if (calls_done(e->c))
		finalize(e);
}

bool
engine_done(const struct engine *e)
{
	return e->finalized;
}

void
engine_interrupt(struct engine *e)
{
	eng_stop(e, ENGINE_INTERRUPTED, NULL);
}

void
engine_abort(struct engine *e)
{
	calls_abort(e->c);
}

enum engine_stop
engine_stop_reason(const struct engine *e)
{
	return e->c->stop;
}

const char *
engine_stop_message(const struct engine *e)
{
	return e->c->stop_msg;
}

const struct engine_stats *
engine_stats(const struct engine *e)
{
	return &e->c->st;
}

const char *
engine_stop_name(enum engine_stop s, size_t gave_up)
{
	switch (s) {
	case ENGINE_COMPLETE: return gave_up ? "gave_up" : "complete";
	case ENGINE_INTERRUPTED: return "interrupted";
	case ENGINE_ABORTED: return "aborted";
	case ENGINE_DAILY: return "daily_limit";
	case ENGINE_AUTH: return "auth_error";
	case ENGINE_CONFIG: return "config_error";
	case ENGINE_JOURNAL: return "journal_error";
	case ENGINE_GAVE_UP: return "gave_up";
	case ENGINE_UNREACHABLE: return "unreachable";
	default: return "unfinished";
	}
}
