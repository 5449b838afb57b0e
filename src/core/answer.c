/* answer.c: what an answer means (see answer.h). */
#include "hubassoc/answer.h"

#include <stdio.h>
#include <string.h>

/* Stops with prefix, then HubSpot's words when the body had them. */
static void
stop_with(struct answer_verdict *v, enum answer_stop why, const char *prefix,
    const struct response *r, const char *tail)
{
	struct buf m = BUF_INIT;

	v->act = ANSWER_STOP;
	v->stop = why;
	buf_addstr(&m, prefix);
	if (r->kind == RESPONSE_ERROR) {
		if (m.len > 0)
			buf_addstr(&m, ": ");
		hs_error_summary(&m, &r->error);
	} else if (why == ANSWER_STOP_AUTH) {
		buf_addstr(&m, ": (no readable body)");
	}
	if (tail != NULL)
		buf_addstr(&m, tail);
	snprintf(v->why, sizeof(v->why), "%s", buf_str(&m));
	buf_free(&m);
}

void
answer_classify(const struct http_result *res, const struct response *r,
    const char *what, struct answer_verdict *v)
{
	int st = res->status;
	char head[160];

	memset(v, 0, sizeof(*v));
	v->wait_ms = -1;
	if (res->failure == HTTP_ABORTED) {
		v->act = ANSWER_ABORTED;
		snprintf(v->why, sizeof(v->why), "aborted");
	} else if (res->failure == HTTP_TLS) {
		v->act = ANSWER_STOP;
		v->stop = ANSWER_STOP_CONFIG;
		snprintf(v->why, sizeof(v->why), "TLS: %s", res->error);
	} else if (res->failure != HTTP_OK) {
		v->act = ANSWER_RETRY;
		v->no_answer = true;
		snprintf(v->why, sizeof(v->why), "%s", res->error);
	} else if (st == 429) {
		const char *policy = r->kind == RESPONSE_ERROR ? r->error.policy_name : NULL;
		v->policy = policy;
		if (policy != NULL && strcmp(policy, "DAILY") == 0) {
			stop_with(v, ANSWER_STOP_DAILY, "", r, NULL);
		} else {
			v->act = ANSWER_WAIT;
			v->wait_ms = res->limits.retry_after_ms;
			snprintf(v->why, sizeof(v->why), "429%s%s", policy ? " " : "",
			    policy ? policy : "");
		}
	} else if (st == 401 || st == 403) {
		snprintf(head, sizeof(head), "HubSpot answered %d", st);
		stop_with(v, ANSWER_STOP_AUTH, head, r, NULL);
	} else if (st >= 200 && st < 300 &&
	    (r->kind == RESPONSE_NOT_JSON || r->kind == RESPONSE_EMPTY)) {
		/* Cut short on the way: the write may have happened, and
		 * sending the same types again is harmless. */
		v->act = ANSWER_RETRY;
		snprintf(v->why, sizeof(v->why), "HTTP %d with %s", st,
		    r->kind == RESPONSE_EMPTY ? "an empty body" : r->parse_error);
	} else if (st >= 200 && st < 300 && r->kind != RESPONSE_ERROR) {
		v->act = ANSWER_ACCEPT;
	} else if ((st >= 200 && st < 300) || st == 400 || st == 409 || st == 422) {
		v->act = ANSWER_REFUSED;
		snprintf(v->why, sizeof(v->why), "HTTP %d", st);
	} else if (st == 423 || st >= 500) {
		v->act = ANSWER_RETRY;
		snprintf(v->why, sizeof(v->why), "HTTP %d%s%s", st,
		    r->kind == RESPONSE_ERROR && r->error.message != NULL ? ": " : "",
		    r->kind == RESPONSE_ERROR && r->error.message != NULL ?
		    r->error.message : "");
	} else {
		snprintf(head, sizeof(head), "HubSpot answered %d to %s", st, what);
		stop_with(v, ANSWER_STOP_CONFIG, head, r,
		    "; check --base-url and the object types");
	}
}
