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
		v->maybe_done = true;
		snprintf(v->why, sizeof(v->why), "aborted");
	} else if (res->failure == HTTP_TLS) {
		v->act = ANSWER_STOP;
		v->stop = ANSWER_STOP_CONFIG;
		snprintf(v->why, sizeof(v->why), "TLS: %s", res->error);
	} else if (res->failure != HTTP_OK) {
		v->act = ANSWER_RETRY;
		v->no_answer = true;
		/* A refused connection carried nothing; anything else may have. */
		v->maybe_done = res->failure != HTTP_CONNECT;
		snprintf(v->why, sizeof(v->why), "%s", res->error);
	} else if (st == 429) {
		const char *policy = r->kind == RESPONSE_ERROR ? r->error.policy_name : NULL;
		v->policy = policy;
		if (policy != NULL && strcmp(policy, "DAILY") == 0) {
			stop_with(v, ANSWER_STOP_DAILY, "", r, NULL);
		} else {
			/* Retry-After when given; else the policy's own span:
			 * a second for SECONDLY, the window the headers name,
			 * or the caller's window.  "Retry-After: 0" names no
			 * wait at all: taken at its word it would send again at
			 * once, 429 after 429, so it is no hint. */
			v->act = ANSWER_WAIT;
			v->retry_after = res->limits.retry_after_ms > 0;
			v->wait_ms = v->retry_after ? res->limits.retry_after_ms :
			    policy != NULL && strcmp(policy, "SECONDLY") == 0 ? 1000 :
			    res->limits.interval_ms > 0 ? res->limits.interval_ms : -1;
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
		v->maybe_done = true;
		snprintf(v->why, sizeof(v->why), "HTTP %d with %s", st,
		    r->kind == RESPONSE_EMPTY ? "an empty body" : r->parse_error);
	} else if (st >= 200 && st < 300 && r->kind != RESPONSE_ERROR) {
		v->act = ANSWER_ACCEPT;
	} else if ((st >= 200 && st < 300) || st == 400 || st == 409 || st == 413 ||
	    st == 422) {
		/* 413: too large, a refusal of the request's size: the engine
		 * halves it (and sends smaller ones after). */
		struct buf m = BUF_INIT;
		v->act = ANSWER_REFUSED;
		buf_printf(&m, "HubSpot answered %d to %s", st, what);
		if (r->kind == RESPONSE_ERROR) {
			buf_addstr(&m, ": ");
			hs_error_summary(&m, &r->error);
		}
		snprintf(v->why, sizeof(v->why), "%s", buf_str(&m));
		buf_free(&m);
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

/* "10 min", "90 s", "24 h": a duration as a person says it. */
static void
say_duration(char *out, size_t len, uint64_t ms)
{
	if (ms >= 3600000 && ms % 3600000 == 0)
		snprintf(out, len, "%llu h", (unsigned long long)(ms / 3600000));
	else if (ms >= 60000 && ms % 60000 == 0)
		snprintf(out, len, "%llu min", (unsigned long long)(ms / 60000));
	else
		snprintf(out, len, "%llu s", (unsigned long long)((ms + 500) / 1000));
}

enum answer_next
answer_next(struct answer_tries *t, const struct answer_verdict *v,
    enum http_failure failure, uint64_t sent_at, uint64_t now,
    const struct answer_bounds *b, uint64_t *rng, uint64_t *wait_ms,
    bool *unreachable, char *msg, size_t len)
{
	char a[32], w[32];

	*unreachable = false;
	*wait_ms = 0;
	if (v->act == ANSWER_WAIT) {
		uint64_t wait = v->wait_ms >= 0 ? (uint64_t)v->wait_ms : b->window_ms;
		if (t->limited_since == 0)
			t->limited_since = now;
		if (now + wait - t->limited_since > b->max_wait_ms) {
			say_duration(a, sizeof(a), b->max_wait_ms);
			say_duration(w, sizeof(w), wait);
			/* Only a wait that alone passes the bound is the
			 * server's; otherwise it is the 429s together. */
			if (v->retry_after && wait > b->max_wait_ms)
				snprintf(msg, len, "the server asked for a wait of %s "
				    "(Retry-After on a 429%s%s), longer than --max-wait %s "
				    "allows", w, v->policy ? " " : "",
				    v->policy ? v->policy : "", a);
			else
				snprintf(msg, len, "429s%s%s%s for longer than --max-wait %s",
				    v->policy ? " (" : "", v->policy ? v->policy : "",
				    v->policy ? ")" : "", a);
			return ANSWER_STOP_RUN;
		}
		*wait_ms = wait;
		return ANSWER_AGAIN;
	}

	bool silent = failure == HTTP_TIMEOUT || failure == HTTP_CONNECT;
	t->attempts++;
	t->limited_since = 0;
	if (!silent)
		t->silent_since = 0;
	else if (t->silent_since == 0)
		t->silent_since = sent_at;
	if (failure == HTTP_CONNECT && t->attempts >= b->max_attempts) {
		*unreachable = true;
		snprintf(msg, len, "cannot reach %s after %u attempt%s: %s", b->base_url,
		    t->attempts, t->attempts == 1 ? "" : "s", v->why);
		return ANSWER_STOP_RUN;
	}
	if (silent && now - t->silent_since >= b->silent_ms) {
		*unreachable = true;
		say_duration(a, sizeof(a), now - t->silent_since);
		snprintf(msg, len, "no answer from %s for %s (%u attempt%s; the last: %s)",
		    b->base_url, a, t->attempts, t->attempts == 1 ? "" : "s", v->why);
		return ANSWER_STOP_RUN;
	}
	if (t->attempts >= b->max_attempts) {
		snprintf(msg, len, "gave up after %u attempt%s; the last: %s",
		    t->attempts, t->attempts == 1 ? "" : "s", v->why);
		return ANSWER_GIVE_UP;
	}
	/* Capped exponential backoff with equal jitter. */
	unsigned shift = t->attempts - 1 < 20 ? t->attempts - 1 : 20;
	uint64_t d = (uint64_t)b->backoff_base_ms << shift;
	if (d > b->backoff_cap_ms)
		d = b->backoff_cap_ms;
	*wait_ms = d / 2 + splitmix64_next(rng) % (d / 2 + 1);
	return ANSWER_AGAIN;
}
