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
	const char *policy;        /* ANSWER_WAIT, DAILY: the 429's policyName */
	bool no_answer;            /* ANSWER_RETRY: no HTTP answer came */
	char why[400];             /* for the user; escaped when shown */
};

/* Classifies res (with r, its parsed body) for the call "METHOD PATH"
 * named by what.  Pure: no I/O, no clock. */
void answer_classify(const struct http_result *res, const struct response *r,
    const char *what, struct answer_verdict *v);

#endif
