/* calls.c: reads, lookups and archives, paced and retried (see calls.h). */
#include "hubassoc/calls.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls_int.h"

struct call_flight {
	struct calls *c;
	struct call *call;
	uint64_t req;
	uint64_t sent_at;
};

struct calls *
calls_new_lane(const struct engine_transport *tp, struct rate *rate, struct journal *j,
    const struct engine_opts *opts, uint64_t seed, const struct call_lane *lane,
    void *owner)
{
	struct calls *c = xcalloc(1, sizeof(*c));

	c->tp = *tp;
	c->rate = rate;
	c->j = j;
	c->auto_in_flight = opts->concurrency == 0;
	c->opts = engine_opts_defaults(opts);
	c->st.in_flight_max = c->opts.concurrency;
	c->base_url = xstrdup(opts->base_url != NULL ? opts->base_url : "the server");
	c->next_req = opts->first_req ? opts->first_req : 1;
	c->rng = seed;
	c->stop = ENGINE_RUNNING;
	c->tail = &c->head;
	c->st.started = http_now_ms();
	c->lane = lane;
	c->owner = owner;
	return c;
}

struct calls *
calls_new(const struct engine_transport *tp, struct rate *rate, struct journal *j,
    const struct engine_opts *opts)
{
	return calls_new_lane(tp, rate, j, opts, opts->seed ^ 0x7f4a7c159e3779b9ULL,
	    NULL, NULL);
}

static void
call_free(struct call *x)
{
	if (x != NULL) {
		free(x->kind);
		free(x->method);
		free(x->path);
		free(x->body);
		if (x->extra.free_arg)
			free(x->arg);
		free(x);
	}
}

void
calls_free(struct calls *c)
{
	if (c == NULL)
		return;
	while (c->head != NULL) {
		struct call *x = c->head;
		c->head = x->next;
		call_free(x);
	}
	for (size_t i = 0; i < c->nwarned; i++)
		free(c->warned[i]);
	free(c->warned);
	free(c->stop_msg);
	free(c->base_url);
	if (c->have_rest)
		rate_free(&c->rest);
	free(c);
}

void
calls_warn(struct calls *c, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	if (c->j != NULL && journal_warning(c->j, c->next_req > 1 ? c->next_req - 1 : 0,
	    m) != 0)
		calls_fail(c, ENGINE_JOURNAL, "the journal could not be written");
	c->warned = xreallocarray(c->warned, c->nwarned + 1, sizeof(*c->warned));
	c->warned[c->nwarned++] = m;
}

const char *
calls_warning(struct calls *c)
{
	return c->warned_read < c->nwarned ? c->warned[c->warned_read++] : NULL;
}

static void
push_back(struct calls *c, struct call *x)
{
	x->next = NULL;
	*c->tail = x;
	c->tail = &x->next;
}

static void
push_front(struct calls *c, struct call *x)
{
	x->next = c->head;
	c->head = x;
	if (c->tail == &c->head)
		c->tail = &x->next;
}

static struct call *
call_new(const char *method, const char *path, void *arg)
{
	struct call *x = xcalloc(1, sizeof(*x));

	x->method = xstrdup(method);
	x->path = xstrdup(path);
	x->arg = arg;
	return x;
}

struct call *
calls_queue(struct calls *c, const char *method, const char *path, void *arg)
{
	struct call *x = call_new(method, path, arg);

	push_back(c, x);
	return x;
}

struct call *
calls_queue_front(struct calls *c, const char *method, const char *path, void *arg)
{
	struct call *x = call_new(method, path, arg);

	push_front(c, x);
	return x;
}

struct call *
calls_queue_after(struct calls *c, struct call *at, const char *method,
    const char *path, void *arg)
{
	struct call *x = call_new(method, path, arg);

	x->next = at->next;
	at->next = x;
	if (c->tail == &at->next)
		c->tail = &x->next;
	return x;
}

struct call *
calls_pop(struct calls *c)
{
	struct call *x = c->head;

	if (x != NULL) {
		c->head = x->next;
		if (c->tail == &x->next)
			c->tail = &c->head;
		x->next = NULL;
	}
	return x;
}

void
calls_requeue(struct calls *c, struct call *x)
{
	push_front(c, x);
}

void
calls_drop(struct call *x)
{
	if (x != NULL) {
		x->arg = NULL;
		x->extra.free_arg = false;
		call_free(x);
	}
}

void
calls_abort(struct calls *c)
{
	c->stop = ENGINE_ABORTED;
	c->stopping = true;
	c->tp.abort_all(c->tp.t);
}

void
calls_add(struct calls *c, const char *kind, const char *method, const char *path,
    char *body, call_fn fn, void *arg)
{
	calls_add_ex(c, NULL, kind, method, path, body, fn, arg);
}

void
calls_add_ex(struct calls *c, const struct call_extra *extra, const char *kind,
    const char *method, const char *path, char *body, call_fn fn, void *arg)
{
	struct call *x = call_new(method, path, arg);

	if (extra != NULL)
		x->extra = *extra;
	if (x->extra.own != NULL) {
		c->own_queued++;
		if (!c->have_rest) {
			/* The own budget's share of a portal window, at most. */
			const struct rate *o = x->extra.own;
			uint64_t ow = (uint64_t)o->window_ms + o->margin_ms;
			uint64_t share = o->max * (((uint64_t)c->rate->window_ms + ow - 1) / ow);
			unsigned left = c->rate->max > share ? c->rate->max - (unsigned)share : 1;
			rate_init(&c->rest, left, c->rate->window_ms);
			c->have_rest = true;
		}
	}
	x->kind = xstrdup(kind);
	x->body = body;
	x->fn = fn;
	push_back(c, x);
}

void
calls_fail(struct calls *c, enum engine_stop why, const char *msg)
{
	if (c->stop == ENGINE_RUNNING || c->stop == ENGINE_INTERRUPTED) {
		c->stop = why;
		free(c->stop_msg);
		c->stop_msg = msg != NULL ? xstrdup(msg) : NULL;
	}
	c->stopping = true;
}

void
calls_refused(struct calls *c, const char *what, const struct response *r)
{
	char *m = xasprintf("the portal refused to %s: %s", what,
	    r->kind == RESPONSE_ERROR && r->error.message != NULL ?
	    r->error.message : "no reason given");

	calls_fail(c, ENGINE_CONFIG, m);
	free(m);
}

void
calls_interrupt(struct calls *c)
{
	calls_fail(c, ENGINE_INTERRUPTED, "interrupted");
}

bool
calls_interrupted_whole(const struct calls *c)
{
	/* A call to try again goes back in the queue; any other stop is
	 * named for itself. */
	return c->stop == ENGINE_INTERRUPTED && c->head == NULL && c->in_flight == 0;
}

/* The first call that may go now, out of the queue. */
static struct call *
take_ready(struct calls *c, uint64_t now)
{
	int scan = 0;

	for (struct call **p = &c->head; *p != NULL; p = &(*p)->next) {
		if (c->lane != NULL && c->lane->may_go != NULL &&
		    !c->lane->may_go(c->owner, *p, &scan))
			continue;
		if ((*p)->not_before > now || ((*p)->extra.own != NULL &&
		    rate_delay((*p)->extra.own, now) > 0))
			continue;
		if ((*p)->extra.own == NULL && c->own_queued > 0 &&
		    rate_delay(&c->rest, now) > 0)
			continue;
		struct call *x = *p;
		*p = x->next;
		if (c->tail == &x->next)
			c->tail = p;
		x->next = NULL;
		return x;
	}
	return NULL;
}

static void on_done(void *arg, struct http_result *res);

/* x leaves as the next request: journaled first, then paced and sent
 * (false: it stays, and the run stops). */
static bool
send_call(struct calls *c, struct call *x, uint64_t now)
{
	const struct call_lane *lane = c->lane;
	char *body = lane != NULL ? lane->body(c->owner, x) : x->body;

	if (lane != NULL && body == NULL) {
		push_front(c, x);
		return false;
	}
	uint64_t req = c->next_req++;
	/* The journal has it before the network does. */
	if (lane != NULL ? lane->record(c->owner, x, req, body) != 0 :
	    c->j != NULL && journal_call(c->j, req, x->kind, x->method, x->path,
	    x->tries.attempts + 1, x->body) != 0) {
		calls_fail(c, ENGINE_JOURNAL, "the journal could not be written");
		push_front(c, x);
		if (lane != NULL)
			free(body);
		return false;
	}
	struct call_flight *f = xcalloc(1, sizeof(*f));
	f->c = c;
	f->call = x;
	f->req = req;
	f->sent_at = now;
	rate_sent(c->rate, now);
	if (x->extra.own != NULL) {
		rate_sent(x->extra.own, now);
		c->own_queued--;
	} else if (c->have_rest) {
		rate_sent(&c->rest, now);
	}
	c->in_flight++;
	c->st.requests++;
	c->tp.start(c->tp.t, x->method, x->path, body, body != NULL ? strlen(body) : 0,
	    on_done, f);
	if (lane != NULL) {
		free(body);
		if (lane->left != NULL)
			lane->left(c->owner, x, req);
	}
	return true;
}

static void
pump(struct calls *c)
{
	uint64_t now = http_now_ms();

	while (!c->stopping && !c->held && c->in_flight < c->opts.concurrency &&
	    c->head != NULL) {
		if (rate_delay(c->rate, now) > 0)
			break;
		struct call *x = take_ready(c, now);
		if (x == NULL || !send_call(c, x, now))
			break;
	}
}

/* A transient failure or a 429: again after a wait; or given up, and
 * the run stops (a lane's owner decides). */
static void
again_or_not(struct calls *c, struct call *x, const struct answer_verdict *v,
    enum http_failure failure, uint64_t req, uint64_t sent_at, uint64_t now)
{
	struct answer_bounds b = {
		.max_attempts = c->opts.max_attempts, .max_wait_ms = c->opts.max_wait_ms,
		.silent_ms = c->opts.silent_ms,
		.window_ms = (uint64_t)c->rate->window_ms + c->rate->margin_ms,
		.backoff_base_ms = c->opts.backoff_base_ms,
		.backoff_cap_ms = c->opts.backoff_cap_ms, .base_url = c->base_url,
	};
	uint64_t wait;
	bool unreachable;
	char msg[600];

	enum answer_next next = answer_next(&x->tries, v, failure, sent_at, now, &b,
	    &c->rng, &wait, &unreachable, msg, sizeof(msg));
	if (next == ANSWER_AGAIN) {
		push_front(c, x);
		if (x->extra.own != NULL)
			c->own_queued++;
		if (v->act == ANSWER_WAIT) {
			/* A call with a budget of its own met that one's
			 * limit (search's SECONDLY); the portal's is the
			 * others'. */
			rate_limited(x->extra.own != NULL ? x->extra.own : c->rate, now,
			    (long)wait);
		} else {
			x->not_before = now + wait;
			c->st.retries++;
		}
		if (c->lane != NULL && c->lane->again != NULL)
			c->lane->again(c->owner, x, req, v, wait);
		return;
	}
	c->st.gave_up++;
	if (c->lane != NULL) {
		c->lane->given_up(c->owner, x, next, unreachable, msg);
		return;
	}
	/* Given up: what this call was to learn is not known, so nothing
	 * may be acted on. */
	calls_fail(c, next == ANSWER_STOP_RUN && unreachable ? ENGINE_UNREACHABLE :
	    ENGINE_GAVE_UP, msg);
	call_free(x);
}

/* The answer's verdict acted on: the owner's to read, again, or the end. */
static void
act(struct calls *c, struct call *x, const struct answer_verdict *v,
    const struct http_result *res, const struct response *r, uint64_t req,
    uint64_t sent_at, uint64_t now)
{
	switch (v->act) {
	case ANSWER_ACCEPT:
	case ANSWER_REFUSED:
		if (c->lane != NULL)
			c->lane->done(c->owner, x, req, res, r, v->act == ANSWER_REFUSED);
		else if (x->fn != NULL)
			x->fn(x->arg, c, res, r, v->act == ANSWER_REFUSED);
		if (c->lane != NULL)
			calls_drop(x);
		else
			call_free(x);
		return;
	case ANSWER_RETRY:
	case ANSWER_WAIT:
		again_or_not(c, x, v, res->failure, req, sent_at, now);
		return;
	case ANSWER_STOP:
		if (c->stop == ENGINE_RUNNING)
			c->stop_status = res->status;
		calls_fail(c, v->stop == ANSWER_STOP_DAILY ? ENGINE_DAILY :
		    v->stop == ANSWER_STOP_AUTH ? ENGINE_AUTH : ENGINE_CONFIG, v->why);
		break;
	case ANSWER_ABORTED:
		if (c->lane == NULL)
			calls_fail(c, ENGINE_ABORTED, "aborted");
		break;
	}
	/* What stopped with it: a lane's owner settles it at the end. */
	if (c->lane != NULL)
		push_front(c, x);
	else
		call_free(x);
}

/* An answer longer than is read, of a call that can ask for its parts
 * apart: the two go first, in its place, and it goes (before: the same
 * request again and again, the same answer cut, until given up). */
static bool
split(struct calls *c, struct call *x, const struct http_result *res)
{
	char *first, *second;

	if (res->failure != HTTP_TOO_BIG || c->lane != NULL || x->extra.split == NULL ||
	    c->stopping || x->extra.free_arg || !x->extra.split(x->body, &first, &second))
		return false;
	char *bodies[2] = { second, first };
	for (int i = 0; i < 2; i++) {
		struct call *y = call_new(x->method, x->path, x->arg);
		y->extra = x->extra;
		y->kind = xstrdup(x->kind);
		y->body = bodies[i];
		y->fn = x->fn;
		push_front(c, y);
	}
	call_free(x);
	return true;
}

static void
on_done(void *arg, struct http_result *res)
{
	struct call_flight *f = arg;
	struct calls *c = f->c;
	struct call *x = f->call;
	uint64_t now = http_now_ms();
	struct response r;
	struct answer_verdict v;
	char *what = xasprintf("%s %s", x->method, x->path);

	c->in_flight--;
	if (res->failure == HTTP_OK) {
		c->latency_ms = rate_latency_mean(c->latency_ms, now - f->sent_at);
		c->st.latency_ms = c->latency_ms;
		if (c->auto_in_flight) {
			c->opts.concurrency = rate_in_flight(c->rate, c->latency_ms,
			    ENGINE_IN_FLIGHT_MAX);
			c->st.in_flight_max = c->opts.concurrency;
		}
	}
	if (c->j != NULL && journal_answer(c->j, f->req, res) != 0)
		calls_fail(c, ENGINE_JOURNAL, "the journal could not be written");
	if (res->failure == HTTP_OK)
		c->st.answers++;
	/* Every 429, the daily limit's too (it stops the run). */
	if (res->failure == HTTP_OK && res->status == 429)
		c->st.limited++;
	rate_observe_secondly(c->rate, now, res->limits.secondly,
	    res->limits.secondly_remaining);
	rate_observe(c->rate, now, res->limits.max, res->limits.remaining,
	    res->limits.interval_ms);
	rate_observe_daily(c->rate, res->limits.daily_remaining);
	if (split(c, x, res)) {
		free(what);
		free(f);
		return;
	}
	response_of(&r, res);
	answer_classify(res, &r, what, &v);
	if (c->lane != NULL)
		c->lane->answered(c->owner, x, f->req, res, &r, &v, now - f->sent_at);
	else if (res->failure == HTTP_OK && res->status == 204 &&
	    r.kind == RESPONSE_EMPTY)
		v.act = ANSWER_ACCEPT;      /* an archive's answer */
	act(c, x, &v, res, &r, f->req, f->sent_at, now);
	response_free(&r);
	free(what);
	free(f);
	if (c->lane != NULL && c->lane->answer_end != NULL)
		c->lane->answer_end(c->owner);
}

/* How long nothing needs the runner: until a call may go and the
 * governor lets it. */
static int
idle_ms(struct calls *c, int max_ms)
{
	uint64_t now = http_now_ms(), soonest = UINT64_MAX;

	c->st.wait_until = 0;
	c->st.wait_limited = false;
	if (c->stopping || c->held || c->head == NULL ||
	    c->in_flight >= c->opts.concurrency)
		return max_ms;
	for (struct call *x = c->head; x != NULL; x = x->next) {
		uint64_t at = x->not_before;
		if (x->extra.own != NULL && now + rate_delay(x->extra.own, now) > at)
			at = now + rate_delay(x->extra.own, now);
		else if (x->extra.own == NULL && c->own_queued > 0 &&
		    now + rate_delay(&c->rest, now) > at)
			at = now + rate_delay(&c->rest, now);
		if (at < soonest)
			soonest = at;
	}
	uint64_t wait = soonest > now ? soonest - now : 0;
	uint64_t gov = rate_delay(c->rate, now);
	if (gov > wait)
		wait = gov;
	if (wait > 0) {
		c->st.wait_until = now + wait;
		c->st.wait_limited = c->rate->paused_until > now;
	}
	return wait < (uint64_t)max_ms ? (int)wait : max_ms;
}

static bool
finished(const struct calls *c)
{
	return c->in_flight == 0 && (c->head == NULL || c->stopping);
}

void
calls_turn(struct calls *c, struct http_fd *extra, unsigned nextra, int max_ms)
{
	pump(c);
	if (!finished(c)) {
		c->tp.wait(c->tp.t, extra, nextra, idle_ms(c, max_ms));
		c->tp.work(c->tp.t);
		pump(c);
	}
}

bool
calls_done(const struct calls *c)
{
	return finished(c);
}

enum engine_stop
calls_stop_reason(const struct calls *c)
{
	/* Nothing stopped it and nothing is left: it completed. */
	return c->stop == ENGINE_RUNNING && finished(c) ? ENGINE_COMPLETE : c->stop;
}

const char *
calls_stop_message(const struct calls *c)
{
	return c->stop_msg;
}

const struct engine_stats *
calls_stats(const struct calls *c)
{
	return &c->st;
}

uint64_t
calls_next_req(const struct calls *c)
{
	return c->next_req;
}

int
calls_stop_status(const struct calls *c)
{
	return c->stop_status;
}
