/*
 * rate.h: the rate governor.  It paces requests ahead of the portal's
 * budget, a rolling window of N requests per W milliseconds as HubSpot
 * counts them, so the portal never has to refuse one.  It adapts to the
 * X-HubSpot-RateLimit-* headers (a stricter limit, or a budget other clients
 * are spending) and pauses for 429s.  Time is passed in, in milliseconds, so
 * tests can drive it.
 */
#ifndef HUBASSOC_RATE_H
#define HUBASSOC_RATE_H

#include <stddef.h>
#include <stdint.h>

#define RATE_DEFAULT "100/10s"

struct rate {
	unsigned max;          /* N */
	unsigned window_ms;    /* W */
	unsigned margin_ms;    /* slack for requests arriving later than sent */
	uint64_t *ring;        /* send times, oldest at head */
	size_t head, count, cap;
	uint64_t paused_until;
	unsigned limited;      /* 429s met */
	struct rate *secondly; /* a per-second budget, once the headers name one */
	long daily_left;       /* requests the portal has left today, as its
	                        * answers said, the least of them until the
	                        * day's reset gives more (-1: none said) */
};

void rate_init(struct rate *r, unsigned max, unsigned window_ms);
void rate_free(struct rate *r);

/* The requests to keep in flight to use this budget when each takes
 * latency_ms to be answered: about rate x latency, with room for the
 * answers' spread, within 1 and most.  And a latency's running mean. */
unsigned rate_in_flight(const struct rate *r, uint64_t latency_ms, unsigned most);
uint64_t rate_latency_mean(uint64_t mean, uint64_t latency_ms);

/* Its requests a second (0: no window). */
double rate_per_second(const struct rate *r);

/* Milliseconds until the next request may go; 0: now. */
uint64_t rate_delay(struct rate *r, uint64_t now);
/* Counts a request that goes now. */
void rate_sent(struct rate *r, uint64_t now);
/* Requests counted in the window ending now. */
size_t rate_used(struct rate *r, uint64_t now);

/* What a response's headers said; -1 for a header that was absent. */
void rate_observe(struct rate *r, uint64_t now, long max, long remaining,
    long interval_ms);
/* The X-HubSpot-RateLimit-Secondly pair: a second budget of max a second,
 * paced alongside the window. */
void rate_observe_secondly(struct rate *r, uint64_t now, long max, long remaining);
/* The X-HubSpot-RateLimit-Daily-Remaining header (-1: absent): kept. */
void rate_observe_daily(struct rate *r, long remaining);
/* A 429: wait retry_after_ms (if >= 0) or a whole window. */
void rate_limited(struct rate *r, uint64_t now, long retry_after_ms);

#endif
