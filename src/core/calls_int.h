/*
 * calls_int.h: the request runner's insides, for the one core module that
 * drives it from below: the engine, whose chunks are a lane of calls.
 *
 * A lane's calls are made as they leave, not queued whole: the owner
 * gives each its body and its journal record when it goes, may hold it
 * back (the engine's hold, a server not answering), hears every answer
 * and may amend the verdict, and decides what a given-up call means (its
 * rows not sent, or the run stopped).  The pacing, the retries, the
 * governor, the rate headers and the requests in flight are the runner's,
 * as for every other call.  A lane's call that stops the run stays queued,
 * for its owner to settle at the end (calls_pop).
 */
#ifndef HUBASSOC_CALLS_INT_H
#define HUBASSOC_CALLS_INT_H

#include "hubassoc/answer.h"
#include "hubassoc/calls.h"

struct call {
	char *kind, *method, *path, *body;
	call_fn fn;
	void *arg;
	struct call_extra extra;
	struct answer_tries tries;
	uint64_t not_before;
	struct call *next;
};

struct call_lane {
	/* Whether x may leave now; scan is 0 at the start of each look
	 * through the queue, the owner's to keep what it found there. */
	bool (*may_go)(void *owner, const struct call *x, int *scan);
	/* x's body as it leaves, or NULL: it stays, and the owner said why
	 * the run stops (calls_fail). */
	char *(*body)(void *owner, struct call *x);
	/* Journals x, leaving as request req with body: 0, or -1. */
	int (*record)(void *owner, struct call *x, uint64_t req, const char *body);
	/* x has left as request req. */
	void (*left)(void *owner, struct call *x, uint64_t req);
	/* x's answer came after latency_ms and was judged v, which the owner
	 * may amend before the runner acts on it. */
	void (*answered)(void *owner, struct call *x, uint64_t req,
	    const struct http_result *res, const struct response *r,
	    struct answer_verdict *v, uint64_t latency_ms);
	/* Accepted, or refused: x's arg is the owner's (x is freed after). */
	void (*done)(void *owner, struct call *x, uint64_t req,
	    const struct http_result *res, const struct response *r, bool refused);
	/* x goes again after wait ms: a 429's wait when v->act is ANSWER_WAIT. */
	void (*again)(void *owner, const struct call *x, uint64_t req,
	    const struct answer_verdict *v, uint64_t wait);
	/* Tried enough: next is ANSWER_GIVE_UP (x alone) or ANSWER_STOP_RUN
	 * (unreachable: no answer, rather than 429s), msg why.  x is the
	 * owner's: calls_drop it, or calls_requeue it (settled at the end). */
	void (*given_up)(void *owner, struct call *x, enum answer_next next,
	    bool unreachable, const char *msg);
	/* After every answer, once it is acted on. */
	void (*answer_end)(void *owner);
};

struct calls {
	struct engine_transport tp;
	struct rate *rate;
	struct journal *j;
	struct engine_opts opts;
	struct call *head, **tail;
	size_t in_flight;
	uint64_t next_req;
	enum engine_stop stop;
	bool stopping;
	bool held;                /* nothing new leaves until let go */
	char *stop_msg;
	int stop_status;          /* the HTTP status of the answer that stopped it */
	char *base_url;
	struct engine_stats st;
	uint64_t rng;
	/* While calls with a budget of their own wait, the others share the
	 * portal's with them: rest is what is left them per portal window
	 * once the own budget's whole share is set aside, so that a burst
	 * of others does not take the slots the own-budget calls need. */
	struct rate rest;
	bool have_rest;
	size_t own_queued;
	/* In flight as the latency asks (opts.concurrency was 0). */
	bool auto_in_flight;
	uint64_t latency_ms;
	/* What an owner warned of (calls_warn), each said once. */
	char **warned;
	size_t nwarned, warned_read;
	/* A lane's hooks and their owner, or NULL: plain calls. */
	const struct call_lane *lane;
	void *owner;
};

/* A runner for a lane's calls (seed: the jitter's). */
struct calls *calls_new_lane(const struct engine_transport *tp, struct rate *rate,
    struct journal *j, const struct engine_opts *opts, uint64_t seed,
    const struct call_lane *lane, void *owner);
/* Queues a lane's call of arg to method path: last, first, or after x. */
struct call *calls_queue(struct calls *c, const char *method, const char *path,
    void *arg);
struct call *calls_queue_front(struct calls *c, const char *method, const char *path,
    void *arg);
struct call *calls_queue_after(struct calls *c, struct call *x, const char *method,
    const char *path, void *arg);
/* The first call queued, taken out (NULL: none). */
struct call *calls_pop(struct calls *c);
/* A call taken out back at the queue's head, tries and all. */
void calls_requeue(struct calls *c, struct call *x);
/* Frees a call taken out, not its arg. */
void calls_drop(struct call *x);
/* Stops the run and cuts the requests in flight. */
void calls_abort(struct calls *c);

#endif
