/* rate.c: a rolling-window pacer that stays ahead of the portal's limit. */
#include "hubassoc/rate.h"

#include <stdlib.h>
#include <string.h>

#include "hubassoc/util.h"

static unsigned
margin_for(unsigned window_ms)
{
	/* A request is counted when sent but arrives a little later, and a
	 * later one may overtake it by the difference in their transit times.
	 * A fiftieth of the window (200 ms of HubSpot's ten seconds) covers
	 * that on real networks and costs 2% of the budget. */
	return window_ms / 50 + 10;
}

void
rate_init(struct rate *r, unsigned max, unsigned window_ms)
{
	memset(r, 0, sizeof(*r));
	r->max = max ? max : 1;
	r->window_ms = window_ms ? window_ms : 1;
	r->margin_ms = margin_for(r->window_ms);
	r->cap = r->max;
	r->ring = xcalloc(r->cap, sizeof(*r->ring));
	r->daily_left = -1;
}

/* Requests in flight at once, at most (HTTP_CONNECTIONS_MAX). */
#define DAILY_IN_FLIGHT 64

void
rate_observe_daily(struct rate *r, long remaining)
{
	/* Answers come out of order: one sent before another may say more
	 * is left.  Only the day's reset gives back more than the requests in
	 * flight could (before: the last answer's word, "1 left" read after
	 * "0 left"). */
	if (remaining >= 0 && (r->daily_left < 0 || remaining < r->daily_left ||
	    remaining > r->daily_left + DAILY_IN_FLIGHT))
		r->daily_left = remaining;
}

void
rate_free(struct rate *r)
{
	free(r->ring);
	r->ring = NULL;
	if (r->secondly != NULL) {
		rate_free(r->secondly);
		free(r->secondly);
		r->secondly = NULL;
	}
}

static void
expire(struct rate *r, uint64_t now)
{
	uint64_t span = (uint64_t)r->window_ms + r->margin_ms;

	while (r->count > 0 && r->ring[r->head] + span <= now) {
		r->head = (r->head + 1) % r->cap;
		r->count--;
	}
}

size_t
rate_used(struct rate *r, uint64_t now)
{
	expire(r, now);
	return r->count;
}

uint64_t
rate_delay(struct rate *r, uint64_t now)
{
	uint64_t wait = 0;

	expire(r, now);
	if (r->secondly != NULL)
		wait = rate_delay(r->secondly, now);
	if (r->paused_until > now && r->paused_until - now > wait)
		wait = r->paused_until - now;
	if (r->count >= r->max) {
		/* The oldest of the last max sends must leave the window. */
		size_t k = (r->head + r->count - r->max) % r->cap;
		uint64_t free_at = r->ring[k] + r->window_ms + r->margin_ms;
		if (free_at > now && free_at - now > wait)
			wait = free_at - now;
	}
	return wait;
}

static void
push(struct rate *r, uint64_t t)
{
	if (r->count == r->cap) {
		/* Full: the oldest entry is dropped (its place is about to
		 * expire anyway). */
		r->head = (r->head + 1) % r->cap;
		r->count--;
	}
	r->ring[(r->head + r->count) % r->cap] = t;
	r->count++;
}

void
rate_sent(struct rate *r, uint64_t now)
{
	expire(r, now);
	push(r, now);
	if (r->secondly != NULL)
		rate_sent(r->secondly, now);
}

void
rate_observe_secondly(struct rate *r, uint64_t now, long max, long remaining)
{
	if (max <= 0 || max > 100000)
		return;
	if (r->secondly == NULL) {
		/* Sends so far are not in it: the first second may run a little
		 * over, and the portal's remaining count mends that below. */
		r->secondly = xcalloc(1, sizeof(*r->secondly));
		rate_init(r->secondly, (unsigned)max, 1000);
	}
	rate_observe(r->secondly, now, max, remaining, 1000);
}

/* Changes the budget, keeping the most recent sends. */
static void
resize(struct rate *r, unsigned max, unsigned window_ms)
{
	uint64_t *ring = xcalloc(max, sizeof(*ring));
	size_t keep = r->count < max ? r->count : max;

	for (size_t i = 0; i < keep; i++)
		ring[i] = r->ring[(r->head + r->count - keep + i) % r->cap];
	free(r->ring);
	r->ring = ring;
	r->cap = r->max = max;
	r->head = 0;
	r->count = keep;
	r->window_ms = window_ms;
	r->margin_ms = margin_for(window_ms);
}

void
rate_observe(struct rate *r, uint64_t now, long max, long remaining,
    long interval_ms)
{
	if (max > 0 && interval_ms > 0 && max <= 100000 && interval_ms <= 86400000) {
		/* A stricter budget than ours wins; a looser one does not, as the
		 * user's setting may be sharing the portal on purpose.  The same
		 * rate over a shorter window is stricter too: 20 in 2 s allows
		 * no burst of 100 in a second, which 100 in 10 s would. */
		uint64_t theirs = (uint64_t)max * r->window_ms;   /* rates, crossed */
		uint64_t ours = (uint64_t)r->max * (uint64_t)interval_ms;
		if (theirs < ours || (theirs == ours &&
		    (unsigned)interval_ms < r->window_ms))
			resize(r, (unsigned)max, (unsigned)interval_ms);
	}
	if (remaining >= 0 && max > 0) {
		/* Others spending the same budget: count their requests too. */
		size_t used = (size_t)(max - remaining > 0 ? max - remaining : 0);
		expire(r, now);
		if (used > r->max)
			used = r->max;
		while (r->count < used)
			push(r, now);
	}
}

void
rate_limited(struct rate *r, uint64_t now, long retry_after_ms)
{
	uint64_t until = retry_after_ms >= 0 ? now + (uint64_t)retry_after_ms :
	    now + r->window_ms + r->margin_ms;

	r->limited++;
	if (until > r->paused_until)
		r->paused_until = until;
}

unsigned
rate_in_flight(const struct rate *r, uint64_t latency_ms, unsigned most)
{
	if (r->window_ms == 0 || r->max == 0)
		return most;
	double want = (double)r->max / (double)r->window_ms * (double)latency_ms * 1.25 + 2;
	return want >= (double)most ? most : want < 1 ? 1 : (unsigned)want;
}

uint64_t
rate_latency_mean(uint64_t mean, uint64_t latency_ms)
{
	return mean == 0 ? latency_ms : (mean * 7 + latency_ms) / 8;
}

double
rate_per_second(const struct rate *r)
{
	return r->window_ms > 0 ? (double)r->max * 1000.0 / (double)r->window_ms : 0;
}
