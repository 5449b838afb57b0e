/* engine.c: sending the plan, as fast as the portal allows and no faster. */
#include "hubassoc/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/answer.h"
#include "hubassoc/assocread.h"
#include "hubassoc/response.h"

#define OUTCOME_CAT_NOT_SENT "NOT_SENT"
#define OUTCOME_CAT_UNCONFIRMED "UNCONFIRMED"

/* A refused request that named no row, halved: when both halves are
 * refused alike (same category and message, no row named), the fault is
 * the request's, not a row's, and every row fails with it. */
struct split {
	char *sig;               /* the refusal's category and message */
	struct hs_error *error;  /* the refusal, for the rows */
	uint16_t http;
	unsigned open;           /* halves not yet answered */
	bool differed;           /* a half answered otherwise: rows at fault */
	struct job *parked;      /* a half refused alike, awaiting its sibling */
};

struct job {
	uint32_t *rows;
	size_t n;
	uint32_t chunk;
	unsigned attempts;
	uint64_t limited_since;  /* the first 429 of a run of them, or 0 */
	uint64_t silent_since;   /* the first attempt of a run with no answer */
	uint64_t not_before;
	bool narrowing;
	bool unanswered;         /* an attempt left and no usable answer came */
	bool read;               /* reads its unconfirmed rows back, creates nothing */
	bool first;              /* a chunk as queued: the hold looks at these */
	char *after;             /* a read's next page, for its one FROM record */
	struct hs_error *last_error;  /* HubSpot's words on its last failed try */
	struct split *split;     /* the halving it is half of, until answered */
	struct job *next;
};

static void split_release(struct split *sp);
static void split_answered(struct engine *e, struct job *j, bool alike);

struct flight {
	struct engine *e;
	struct job *job;
	uint64_t req;
	uint64_t sent_at;
};

struct engine {
	struct engine_transport tp;
	struct rate *rate;
	struct journal *j;
	struct input *in;
	struct plan *p;
	struct outcomes *o;
	struct engine_opts opts;
	engine_event_fn fn;
	void *arg;
	struct job *head;
	size_t in_flight;
	uint64_t next_req;
	enum engine_stop stop;
	bool stopping;
	bool held;             /* engine_hold: nothing new leaves */
	bool finalized;
	char *stop_msg;
	struct hs_error *stop_error;  /* HubSpot's words on what stopped the run */
	char *path;
	char *what;             /* "POST path", for messages */
	char *read_path, *read_what;
	char *base_url;
	struct engine_stats st;
	uint64_t rng;
	/* Since when requests have gone unanswered (refused, timed out),
	 * with no answer since; 0: the server answers.  Meanwhile only the
	 * requests already trying go again, not chunk after chunk. */
	uint64_t unanswered_since;
	/* The hold (opts.hold_alike): until the rows of the first chunks are
	 * settled, no more of them leave; when every one of those rows
	 * failed alike, the engine holds and says so (ENGINE_EV_HOLD). */
	struct {
		bool open, holding, stopped;
		unsigned sent;          /* first chunks gone */
		size_t want, settled;   /* their rows, and how many are settled */
		size_t failed;
		uint8_t *row;           /* 1: a row of theirs, not settled yet */
		bool differ;
		char *cat, *msg;        /* the first failure's cause */
	} alike;
};

static void
event(struct engine *e, enum engine_event_kind kind, uint64_t req, size_t rows,
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
		o.concurrency = 4;
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

struct engine *
engine_new_transport(const struct engine_transport *tp, struct rate *rate,
    struct journal *j, struct input *in, struct plan *p, struct outcomes *o,
    const struct engine_opts *opts, engine_event_fn fn, void *arg)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	struct buf path = BUF_INIT;

	e->tp = *tp;
	e->rate = rate;
	e->j = j;
	e->in = in;
	e->p = p;
	e->o = o;
	e->opts = engine_opts_defaults(opts);
	e->alike.open = e->opts.hold_alike > 0;
	if (e->alike.open)
		e->alike.row = xcalloc(in->nrows + 1, 1);
	e->base_url = xstrdup(opts->base_url != NULL ? opts->base_url : "the server");
	e->opts.base_url = e->base_url;
	e->fn = fn;
	e->arg = arg;
	e->next_req = opts->first_req ? opts->first_req : 1;
	e->rng = opts->seed ^ 0x9e3779b97f4a7c15ULL;
	e->stop = ENGINE_RUNNING;
	e->st.started = http_now_ms();
	request_assoc_path(&path, opts->api, &p->from, &p->to, "batch/create");
	e->path = buf_detach(&path);
	e->what = xasprintf("POST %s", e->path);
	request_assoc_path(&path, opts->api, &p->from, &p->to, "batch/read");
	e->read_path = buf_detach(&path);
	e->read_what = xasprintf("POST %s", e->read_path);
	return e;
}

static void
job_free(struct job *j)
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
	if (e == NULL)
		return;
	while (e->head != NULL) {
		struct job *j = e->head;
		e->head = j->next;
		if (j->split != NULL && --j->split->open == 0 && j->split->parked != NULL) {
			job_free(j->split->parked);
			j->split->parked = NULL;
		}
		split_release(j->split);
		job_free(j);
	}
	free(e->stop_msg);
	free(e->alike.cat);
	free(e->alike.row);
	free(e->alike.msg);
	if (e->stop_error != NULL) {
		hs_error_clear(e->stop_error);
		free(e->stop_error);
	}
	free(e->path);
	free(e->what);
	free(e->read_path);
	free(e->read_what);
	free(e->base_url);
	free(e);
}

static struct job *
job_new(const uint32_t *rows, size_t n, uint32_t chunk)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->rows = xcalloc(n ? n : 1, sizeof(*j->rows));
	memcpy(j->rows, rows, n * sizeof(*rows));
	j->n = n;
	j->chunk = chunk;
	return j;
}

static void
push_back(struct engine *e, struct job *j)
{
	struct job **p = &e->head;

	while (*p != NULL)
		p = &(*p)->next;
	j->next = NULL;
	*p = j;
}

static void
push_front(struct engine *e, struct job *j)
{
	j->next = e->head;
	e->head = j;
}

/* A job of rows[0..n), up to size at a time, for each run of them. */
static void
queue_rows(struct engine *e, const uint32_t *rows, size_t n, size_t size, bool read)
{
	for (size_t i = 0; i < n; i += size) {
		size_t k = n - i < size ? n - i : size;
		struct job *j = job_new(rows + i, k, e->p->chunk[rows[i]]);
		j->read = read;
		push_back(e, j);
	}
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
			struct job *j = job_new(rows, k, (uint32_t)c);
			j->first = true;
			push_back(e, j);
		}
	}
	free(rows);
}

static void
stop(struct engine *e, enum engine_stop why, const char *msg)
{
	if (e->stop == ENGINE_RUNNING || e->stop == ENGINE_INTERRUPTED) {
		e->stop = why;
		free(e->stop_msg);
		e->stop_msg = msg != NULL ? xstrdup(msg) : NULL;
	}
	e->stopping = true;
}

/* The hold's look at rows of the first chunks just settled: one created,
 * or two failed otherwise, and it has nothing to hold for. */
static void
alike_settled(struct engine *e, const uint32_t *rows, size_t n)
{
	const char *cat, *msg;

	for (size_t i = 0; e->alike.open && i < n; i++) {
		enum outcome st = e->o->state[rows[i]];
		if (!e->alike.row[rows[i]])
			continue;
		e->alike.row[rows[i]] = 0;
		e->alike.settled++;
		if (st == OUTCOME_CREATED) {
			e->alike.open = false;
		} else if (st != OUTCOME_FAILED) {
			e->alike.differ = true;     /* not sent, unconfirmed */
		} else {
			e->alike.failed++;
			if (!outcomes_row_cause(e->o, e->p, e->in, rows[i], &cat, &msg))
				cat = msg = "";
			if (e->alike.cat == NULL) {
				e->alike.cat = xstrdup(cat);
				e->alike.msg = xstrdup(msg);
			} else if (strcmp(cat, e->alike.cat) != 0 ||
			    strcmp(msg, e->alike.msg) != 0) {
				e->alike.differ = true;
			}
		}
	}
}

/* After an answer: once the first chunks' rows are all settled, every one
 * failed alike and more are to go, the engine holds (nothing new leaves
 * until engine_hold lets go, or engine_stop_at_hold). */
static void
alike_check(struct engine *e)
{
	bool more = false;

	if (!e->alike.open || e->alike.settled < e->alike.want)
		return;
	for (const struct job *j = e->head; j != NULL && !more; j = j->next)
		more = j->first && j->attempts == 0;
	if (e->alike.sent < e->opts.hold_alike && more)
		return;         /* the first chunks are not all gone yet */
	e->alike.open = false;
	if (e->alike.differ || e->alike.cat == NULL || !more || e->stopping)
		return;
	e->alike.holding = true;
	e->held = true;
	event(e, ENGINE_EV_HOLD, 0, e->alike.failed, 0, NULL);
}

/* Records the outcomes of a job's decided rows. */
static void
record(struct engine *e, const uint32_t *rows, size_t n, size_t err0, size_t lab0)
{
	uint32_t *done = xcalloc(n + 1, sizeof(*done));
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (e->o->state[rows[i]] != OUTCOME_PENDING)
			done[k++] = rows[i];
	alike_settled(e, done, k);
	if (e->j != NULL && (k > 0 || e->o->nerrors > err0) &&
	    journal_outcomes(e->j, e->o, err0, lab0, done, k) != 0)
		stop(e, ENGINE_JOURNAL, "the journal could not be written");
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
	record(e, j->rows, j->n, err0, lab0);
}

static void send_job(struct engine *e, struct job *j, uint64_t now);

/* While the server is not answering, a new chunk waits for those trying
 * already; when none is, one may go and find out. */
static bool
fresh_may_go(const struct engine *e)
{
	if (e->unanswered_since == 0)
		return true;
	if (e->in_flight > 0)
		return false;
	for (const struct job *j = e->head; j != NULL; j = j->next)
		if (j->attempts > 0)
			return false;
	return true;
}

/* The first job that may go now, taken out of the queue. */
static struct job *
take_ready(struct engine *e, uint64_t now)
{
	bool fresh_ok = fresh_may_go(e);

	for (struct job **p = &e->head; *p != NULL; p = &(*p)->next) {
		if (!fresh_ok && (*p)->attempts == 0)
			continue;
		if ((*p)->first && (*p)->attempts == 0 && e->alike.open &&
		    e->alike.sent >= e->opts.hold_alike)
			continue;       /* the hold's chunks are answered first */
		if ((*p)->not_before <= now) {
			struct job *j = *p;
			*p = j->next;
			j->next = NULL;
			return j;
		}
	}
	return NULL;
}

static void
pump(struct engine *e)
{
	uint64_t now = http_now_ms();

	while (!e->stopping && !e->held && e->in_flight < e->opts.concurrency &&
	    e->head != NULL) {
		if (rate_delay(e->rate, now) > 0)
			break;
		struct job *j = take_ready(e, now);
		if (j == NULL)
			break;
		send_job(e, j, now);
	}
}

static void on_done(void *arg, struct http_result *res);

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

static void
send_job(struct engine *e, struct job *j, uint64_t now)
{
	char *cause = NULL;
	char *body = j->read ? read_body(e, j) :
	    request_create_body_rows(e->p, e->in, j->rows, j->n, e->opts.pre,
	    &cause);
	struct flight *f;

	if (body == NULL) {
		stop(e, ENGINE_CONFIG, cause);
		free(cause);
		push_front(e, j);
		return;
	}
	f = xcalloc(1, sizeof(*f));
	f->e = e;
	f->job = j;
	f->req = e->next_req++;
	f->sent_at = now;
	/* The journal has it before the network does. */
	if (e->j != NULL && journal_send(e->j, f->req, j->read ? "read" : NULL,
	    j->chunk, j->attempts + 1, j->rows, j->n, body) != 0) {
		stop(e, ENGINE_JOURNAL, "the journal could not be written");
		push_front(e, j);
		free(f);
		free(body);
		return;
	}
	if (j->first && j->attempts == 0 && e->alike.open) {
		e->alike.sent++;
		e->alike.want += j->n;
		for (size_t i = 0; i < j->n; i++)
			e->alike.row[j->rows[i]] = 1;
	}
	rate_sent(e->rate, now);
	e->in_flight++;
	e->st.requests++;
	if (j->narrowing)
		e->st.narrowing++;
	e->tp.start(e->tp.t, "POST", j->read ? e->read_path : e->path, body,
	    strlen(body), on_done, f);
	free(body);
	event(e, ENGINE_EV_SENT, f->req, j->n, 0, NULL);
}

/* After a transient failure or a 429: again after a wait, the rows given
 * up, or the run stopped, as answer_next() decides for every call. */
static void
again_or_not(struct engine *e, struct job *j, const struct answer_verdict *v,
    enum http_failure failure, uint64_t req, uint64_t sent_at, uint64_t now)
{
	struct answer_bounds b = {
		.max_attempts = e->opts.max_attempts, .max_wait_ms = e->opts.max_wait_ms,
		.silent_ms = e->opts.silent_ms,
		.window_ms = (uint64_t)e->rate->window_ms + e->rate->margin_ms,
		.backoff_base_ms = e->opts.backoff_base_ms,
		.backoff_cap_ms = e->opts.backoff_cap_ms, .base_url = e->base_url,
	};
	struct answer_tries t = { j->attempts, j->limited_since, j->silent_since };
	uint64_t wait;
	bool unreachable;
	char msg[600];

	if (v->act == ANSWER_WAIT)
		e->st.limited++;
	if (v->maybe_done)
		j->unanswered = true;
	enum answer_next next = answer_next(&t, v, failure, sent_at, now, &b, &e->rng,
	    &wait, &unreachable, msg, sizeof(msg));
	j->attempts = t.attempts;
	j->limited_since = t.limited_since;
	j->silent_since = t.silent_since;
	switch (next) {
	case ANSWER_AGAIN:
		push_front(e, j);
		if (v->act == ANSWER_WAIT) {
			/* Every request waits: the budget is the portal's. */
			rate_limited(e->rate, now, (long)wait);
			struct engine_event ev = { ENGINE_EV_LIMITED, req, j->n, 429,
			    v->policy, wait };
			if (e->fn != NULL)
				e->fn(e->arg, &ev);
		} else {
			j->not_before = now + wait;
			e->st.retries++;
			event(e, ENGINE_EV_RETRY, 0, j->n, 0, v->why);
		}
		break;
	case ANSWER_GIVE_UP:
		split_answered(e, j, false);
		e->st.gave_up++;
		e->unanswered_since = 0;    /* the next chunk may find out */
		char *why = j->unanswered ? xstrdup(msg) : xasprintf("not sent: %s", msg);
		leave_rows(e, j, why);
		event(e, ENGINE_EV_RETRY, 0, j->n, 0, why);
		free(why);
		job_free(j);
		break;
	case ANSWER_STOP_RUN:
		e->st.gave_up++;
		/* The run stops here, and goes on with a resume. */
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "; resume sends "
		    "the rest");
		stop(e, unreachable ? ENGINE_UNREACHABLE : ENGINE_GAVE_UP, msg);
		push_front(e, j);
		event(e, ENGINE_EV_RETRY, 0, j->n, 0, msg);
		break;
	}
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
		if (assocread_holds(&rb, input_from(e->in, r), input_to(e->in, r),
		    t->specs, t->n, &after)) {
			outcomes_set(e->o, row, OUTCOME_CREATED, (uint16_t)res->status, 0);
			e->st.read_back++;
		} else if (after != NULL) {
			struct job *more = job_new(&row, 1, j->chunk);
			more->read = true;
			more->after = xstrdup(after);
			push_front(e, more);
		} else {
			outcomes_set(e->o, row, OUTCOME_PENDING, 0, 0);
			send[nsend++] = row;
		}
	}
	record(e, j->rows, j->n, err0, lab0);
	queue_rows(e, send, nsend, e->p->chunk_size, false);
	assocread_free(&rb);
	free(send);
	job_free(j);
}

/* "CATEGORY\nmessage": what makes two refusals alike. */
static char *
refusal_sig(const struct hs_error *e)
{
	return xasprintf("%s\n%s", e->category != NULL ? e->category : "",
	    e->message != NULL ? e->message : "");
}

static void
split_release(struct split *sp)
{
	if (sp != NULL && sp->open == 0 && sp->parked == NULL) {
		hs_error_clear(sp->error);
		free(sp->error);
		free(sp->sig);
		free(sp);
	}
}

static void halve(struct engine *e, struct job *j, const struct response *r);

/* A half answered otherwise than its sibling-to-be: the fault is in some
 * rows after all, so a half parked alike is halved in its turn. */
static void
split_answered(struct engine *e, struct job *j, bool alike)
{
	struct split *sp = j->split;

	if (sp == NULL)
		return;
	j->split = NULL;
	sp->open--;
	if (alike)
		return;
	sp->differed = true;
	if (sp->parked != NULL) {
		struct job *p = sp->parked;
		struct response r = { .http_status = sp->http, .kind = RESPONSE_ERROR };
		sp->parked = NULL;
		r.error = *sp->error;
		halve(e, p, &r);
		job_free(p);
	}
	split_release(sp);
}

/* Halves a refused request that named no row, both halves sent. */
static void
halve(struct engine *e, struct job *j, const struct response *r)
{
	struct split *sp = xcalloc(1, sizeof(*sp));
	size_t half = j->n / 2;
	struct job *a = job_new(j->rows, half, j->chunk);
	struct job *b = job_new(j->rows + half, j->n - half, j->chunk);

	sp->sig = refusal_sig(&r->error);
	sp->error = hs_error_dup(&r->error);
	sp->http = (uint16_t)r->http_status;
	sp->open = 2;
	a->narrowing = b->narrowing = true;
	a->split = b->split = sp;
	push_front(e, b);
	push_front(e, a);
}

/* Fails rows[0..n) with a copy of err. */
static void
fail_rows(struct engine *e, const uint32_t *rows, size_t n, uint32_t chunk,
    const struct hs_error *err, uint16_t http)
{
	uint32_t x = outcomes_add_error(e->o, hs_error_dup(err), chunk, http, false);

	for (size_t i = 0; i < n; i++)
		outcomes_set(e->o, rows[i], OUTCOME_FAILED, http, x);
}

/* A refused request: fail the rows it names; send the rest again, or
 * halve it to find the rows at fault, unless both halves are refused
 * alike: then the request, not a row, is at fault, and all its rows fail
 * with the refusal (a uniform 400 costs 3 requests, not 2n - 1). */
static void
refused(struct engine *e, struct job *j, const struct response *r)
{
	uint32_t *rest = xcalloc(j->n + 1, sizeof(*rest));
	size_t err0 = e->o->nerrors, lab0 = e->o->nlabel_sets;
	size_t k = join_refusal(e->o, e->p, e->in, j->rows, j->n, j->chunk, r, rest);
	struct split *sp = j->split;
	char *sig = k == j->n ? refusal_sig(&r->error) : NULL;
	/* One row refused is that row's error, whatever its sibling says. */
	bool alike = sp != NULL && !sp->differed && sig != NULL && j->n > 1 &&
	    strcmp(sig, sp->sig) == 0;

	split_answered(e, j, alike);
	if (alike && sp->parked != NULL) {
		/* Both halves alike: the whole request was at fault. */
		struct job *p = sp->parked;
		sp->parked = NULL;
		fail_rows(e, p->rows, p->n, p->chunk, sp->error, sp->http);
		fail_rows(e, j->rows, j->n, j->chunk, &r->error, (uint16_t)r->http_status);
		record(e, p->rows, p->n, err0, lab0);
		record(e, j->rows, j->n, e->o->nerrors, e->o->nlabel_sets);
		job_free(p);
		split_release(sp);
	} else if (alike) {
		/* Its sibling decides: parked until it answers. */
		sp->parked = j;
		j = NULL;
	} else if (k == j->n && j->n == 1) {
		/* Narrowed to one row: the error is its own. */
		fail_rows(e, j->rows, 1, j->chunk, &r->error, (uint16_t)r->http_status);
		record(e, j->rows, j->n, err0, lab0);
	} else if (k == j->n) {
		halve(e, j, r);
	} else {
		if (k > 0)
			push_front(e, job_new(rest, k, j->chunk));
		record(e, j->rows, j->n, err0, lab0);
	}
	free(sig);
	free(rest);
	job_free(j);
}

static void
on_done(void *arg, struct http_result *res)
{
	struct flight *f = arg;
	struct engine *e = f->e;
	struct job *j = f->job;
	uint64_t now = http_now_ms();
	struct response r;
	struct answer_verdict v;

	e->in_flight--;
	if (res->failure == HTTP_OK)
		e->unanswered_since = 0;
	else if ((res->failure == HTTP_CONNECT || res->failure == HTTP_TIMEOUT) &&
	    e->unanswered_since == 0)
		e->unanswered_since = now;
	if (e->j != NULL && journal_answer(e->j, f->req, res) != 0)
		stop(e, ENGINE_JOURNAL, "the journal could not be written");
	if (res->failure == HTTP_OK)
		e->st.answers++;
	rate_observe_secondly(e->rate, now, res->limits.secondly,
	    res->limits.secondly_remaining);
	rate_observe(e->rate, now, res->limits.max, res->limits.remaining,
	    res->limits.interval_ms);
	response_of(&r, res);
	event(e, ENGINE_EV_ANSWER, f->req, j->n, res->status, NULL);

	answer_classify(res, &r, j->read ? e->read_what : e->what, &v);
	/* HubSpot's words on a failed try are kept for the rows, should they
	 * end unsent; and on what stops the run, for every row it leaves. */
	if (r.kind == RESPONSE_ERROR && (v.act == ANSWER_RETRY ||
	    v.act == ANSWER_WAIT || v.act == ANSWER_STOP)) {
		struct hs_error **keep = v.act == ANSWER_STOP ? &e->stop_error :
		    &j->last_error;
		if (*keep == NULL || v.act != ANSWER_STOP) {
			if (*keep != NULL) {
				hs_error_clear(*keep);
				free(*keep);
			}
			*keep = hs_error_dup(&r.error);
		}
	}
	switch (v.act) {
	case ANSWER_ABORTED:
		/* Stays pending; the end marks it unconfirmed (it left). */
		j->unanswered = true;
		push_front(e, j);
		break;
	case ANSWER_RETRY:
	case ANSWER_WAIT:
		again_or_not(e, j, &v, res->failure, f->req, f->sent_at, now);
		break;
	case ANSWER_STOP:
		stop(e, v.stop == ANSWER_STOP_DAILY ? ENGINE_DAILY :
		    v.stop == ANSWER_STOP_AUTH ? ENGINE_AUTH : ENGINE_CONFIG, v.why);
		push_front(e, j);
		break;
	case ANSWER_ACCEPT: {
		struct join_report rep;
		split_answered(e, j, false);
		if (j->read) {
			settle(e, j, res, false);
			break;
		}
		size_t err0 = e->o->nerrors, lab0 = e->o->nlabel_sets;
		join_batch(e->o, e->p, e->in, j->rows, j->n, j->chunk, &r, &rep);
		record(e, j->rows, j->n, err0, lab0);
		if (rep.stray_results > 0) {
			/* Not a row's outcome, but not to be lost either. */
			char *m = xasprintf("request %llu: the answer confirms %zu pair(s) "
			    "that were not in it", (unsigned long long)f->req,
			    rep.stray_results);
			if (e->j != NULL && journal_warning(e->j, f->req, m) != 0)
				stop(e, ENGINE_JOURNAL, "the journal could not be written");
			event(e, ENGINE_EV_WARNING, f->req, rep.stray_results, res->status, m);
			free(m);
		}
		job_free(j);
		break;
	}
	case ANSWER_REFUSED:
		if (j->read)
			settle(e, j, res, true);
		else
			refused(e, j, &r);
		break;
	}
	response_free(&r);
	free(f);
	alike_check(e);
}

static const char *
not_sent_reason(struct engine *e)
{
	switch (e->stop) {
	case ENGINE_INTERRUPTED:
		return e->alike.stopped ? "not sent: stopped at the hold; R or resume "
		    "sends it" : "not sent: the run was interrupted; resume sends it";
	case ENGINE_ABORTED:
		return "not sent, or sent and not answered: the run was aborted; "
		    "resume sends it";
	case ENGINE_DAILY:
		return "not sent: the portal's daily limit was reached; resume "
		    "sends it when the limit resets";
	case ENGINE_AUTH:
	case ENGINE_CONFIG:
	case ENGINE_JOURNAL:
	case ENGINE_GAVE_UP:
	case ENGINE_UNREACHABLE:
		return e->stop_msg != NULL ? e->stop_msg : "not sent";
	default:
		return "not sent";
	}
}

/* Why a row whose request left unanswered was left so: never "not
 * sent", which it may not be. */
static const char *
unanswered_reason(struct engine *e)
{
	switch (e->stop) {
	case ENGINE_INTERRUPTED:
	case ENGINE_ABORTED:
		return "the run stopped with it in flight; resume reads it back";
	case ENGINE_DAILY:
		return "the portal's daily limit was reached; resume reads it back";
	default:
		return e->stop_msg != NULL ? e->stop_msg : "the run stopped; resume "
		    "reads it back";
	}
}

static void
finalize(struct engine *e)
{
	struct job *j;

	if (e->finalized)
		return;
	e->finalized = true;
	if (e->stop == ENGINE_RUNNING)
		e->stop = ENGINE_COMPLETE;
	while ((j = e->head) != NULL) {
		e->head = j->next;
		split_answered(e, j, false);   /* a parked sibling comes back */
		char *why = j->unanswered ? xstrdup(unanswered_reason(e)) :
		    e->stop == ENGINE_AUTH || e->stop == ENGINE_CONFIG ||
		    e->stop == ENGINE_GAVE_UP || e->stop == ENGINE_UNREACHABLE ?
		    xasprintf("not sent: %s", not_sent_reason(e)) : xstrdup(not_sent_reason(e));
		leave_rows(e, j, why);
		free(why);
		job_free(j);
	}
	event(e, ENGINE_EV_STOP, 0, 0, 0, e->stop_msg);
}

static bool
finished(const struct engine *e)
{
	return e->in_flight == 0 && (e->head == NULL || e->stopping);
}

/* How long nothing needs the engine: until a job may go and the governor
 * lets it. */
static int
idle_ms(struct engine *e, int max_ms)
{
	uint64_t now = http_now_ms(), soonest = UINT64_MAX;

	e->st.wait_until = 0;
	e->st.wait_limited = false;
	if (e->stopping || e->held || e->head == NULL ||
	    e->in_flight >= e->opts.concurrency)
		return max_ms;
	for (struct job *j = e->head; j != NULL; j = j->next)
		if (j->not_before < soonest)
			soonest = j->not_before;
	uint64_t wait = soonest > now ? soonest - now : 0;
	uint64_t gov = rate_delay(e->rate, now);
	if (gov > wait)
		wait = gov;
	if (wait > 0) {
		e->st.wait_until = now + wait;
		e->st.wait_limited = e->rate->paused_until > now;
	}
	return wait < (uint64_t)max_ms ? (int)wait : max_ms;
}

void
engine_turn(struct engine *e, struct http_fd *extra, unsigned nextra, int max_ms)
{
	if (e->finalized)
		return;
	pump(e);
	if (finished(e)) {
		finalize(e);
		return;
	}
	e->tp.wait(e->tp.t, extra, nextra, idle_ms(e, max_ms));
	e->tp.work(e->tp.t);
	pump(e);
	if (finished(e))
		finalize(e);
}

bool
engine_done(const struct engine *e)
{
	return e->finalized;
}

void
engine_hold(struct engine *e, bool hold)
{
	e->held = hold;
}

bool
engine_holding(const struct engine *e, const char **category,
    const char **message, size_t *failed)
{
	if (!e->alike.holding || !e->held)
		return false;
	*category = e->alike.cat;
	*message = e->alike.msg;
	*failed = e->alike.failed;
	return true;
}

void
engine_stop_at_hold(struct engine *e)
{
	e->alike.stopped = true;
	stop(e, ENGINE_INTERRUPTED, NULL);
	e->held = false;
}

bool
engine_stopped_at_hold(const struct engine *e)
{
	return e->alike.stopped;
}

size_t
engine_rows_waiting(const struct engine *e)
{
	size_t n = 0;

	for (const struct job *j = e->head; j != NULL; j = j->next)
		for (size_t i = 0; i < j->n; i++)
			n += e->o->state[j->rows[i]] == OUTCOME_PENDING;
	return n;
}

void
engine_interrupt(struct engine *e)
{
	stop(e, ENGINE_INTERRUPTED, NULL);
}

void
engine_abort(struct engine *e)
{
	e->stop = ENGINE_ABORTED;
	e->stopping = true;
	e->tp.abort_all(e->tp.t);
}

enum engine_stop
engine_stop_reason(const struct engine *e)
{
	return e->stop;
}

const char *
engine_stop_message(const struct engine *e)
{
	return e->stop_msg;
}

const struct engine_stats *
engine_stats(const struct engine *e)
{
	return &e->st;
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
