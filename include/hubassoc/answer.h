/*
 * answer.h: what an answer means, for every kind of call.
 *
 * One pure function reads an HTTP result and its parsed body and says what
 * to do: read it, treat the request as refused, try again after a backoff,
 * wait out a rate limit, or stop the run, and why.  The engine and the
 * one-off reads (labels, schemas) act on the same verdicts, so there is one
 * retry policy; the tests drive it by table.
 */
#ifndef HUBASSOC_ANSWER_H
#define HUBASSOC_ANSWER_H

#include <stdbool.h>

#include "hubassoc/http.h"
#include "hubassoc/response.h"

enum answer_do {
	ANSWER_ACCEPT,     /* a 2xx answer with a body to read */
	ANSWER_REFUSED,    /* 400, 409, 422, or an error body under 2xx */
	ANSWER_RETRY,      /* transient: back off and send again */
	ANSWER_WAIT,       /* a 429: wait, then send again */
	ANSWER_STOP,       /* nothing a retry mends: stop the run */
	ANSWER_ABORTED,    /* cut by the caller; not an answer */
};

enum answer_stop {
	ANSWER_STOP_DAILY,     /* the portal's daily limit (exit 5) */
	ANSWER_STOP_AUTH,      /* 401, 403 (exit 3) */
	ANSWER_STOP_CONFIG,    /* TLS, 404, ... (exit 3) */
};

struct answer_verdict {
	enum answer_do act;
	enum answer_stop stop;     /* ANSWER_STOP */
	long wait_ms;              /* ANSWER_WAIT: how long; -1: a whole window */
	bool retry_after;          /* ANSWER_WAIT: wait_ms is the Retry-After */
	const char *policy;        /* ANSWER_WAIT, DAILY: the 429's policyName */
	bool no_answer;            /* ANSWER_RETRY: no HTTP answer came */
	bool maybe_done;           /* RETRY, ABORTED: it left, and nothing usable
	                            * came back: it may have been carried out */
	char why[400];             /* for the user; escaped when shown */
};

/* Classifies res (with r, its parsed body) for the call "METHOD PATH"
 * named by what.  Pure: no I/O, no clock. */
void answer_classify(const struct http_result *res, const struct response *r,
    const char *what, struct answer_verdict *v);

/*
 * How long a request keeps trying, the same for every kind of call.  A
 * transient failure uses an attempt and backs off (capped, jittered); a
 * 429 uses none but may wait only max_wait_ms in a row; a server that
 * refuses connections for every attempt, or answers nothing for silent_ms,
 * stops the run, since every other request would meet the same.
 */
#define ANSWER_BACKOFF_BASE_MS 500     /* the first retry waits about this */
#define ANSWER_BACKOFF_CAP_MS 30000

struct answer_bounds {
	unsigned max_attempts;
	uint64_t max_wait_ms;
	uint64_t silent_ms;
	uint64_t window_ms;        /* a 429 that names no wait waits this */
	unsigned backoff_base_ms, backoff_cap_ms;
	const char *base_url;      /* named when it cannot be reached */
};

struct answer_tries {            /* one request's history; zero to start */
	unsigned attempts;
	uint64_t limited_since;      /* the first 429 of a run of them */
	uint64_t silent_since;       /* the first attempt that heard nothing */
};

enum answer_next {
	ANSWER_AGAIN,        /* send again after *wait_ms */
	ANSWER_GIVE_UP,      /* this request's rows are not sent; go on */
	ANSWER_STOP_RUN,     /* stop the run (gave up on 429s, or unreachable) */
};

/* After a RETRY or WAIT verdict for an attempt sent at sent_at: what next.
 * *unreachable tells, for ANSWER_STOP_RUN, a dead or silent server from
 * 429s past max_wait_ms; msg says why for GIVE_UP and STOP_RUN.  rng is the
 * jitter's state. */
enum answer_next answer_next(struct answer_tries *t, const struct answer_verdict *v,
    enum http_failure failure, uint64_t sent_at, uint64_t now,
    const struct answer_bounds *b, uint64_t *rng, uint64_t *wait_ms,
    bool *unreachable, char *msg, size_t len);

#endif
