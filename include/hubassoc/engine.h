/*
 * engine.h: the submission engine.
 *
 * It sends the plan's pending rows chunk by chunk, several requests in
 * flight, paced by the rate governor; records each request and answer in
 * the journal; joins answers to rows; retries what failed on the way with
 * capped exponential backoff and jitter; waits out 429s and stops for the
 * daily limit; narrows a refused chunk down to the rows at fault; and stops
 * at once for authentication and configuration errors.  It never blocks:
 * the caller turns it (engine_turn) from its own loop, alongside a terminal
 * or a signal pipe, and learns of progress through events and stats.
 */
#ifndef HUBASSOC_ENGINE_H
#define HUBASSOC_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/http.h"
#include "hubassoc/input.h"
#include "hubassoc/journal.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/rate.h"
#include "hubassoc/request.h"

#define ENGINE_MAX_ATTEMPTS_DEFAULT 6
/* How long a request may meet nothing but 429s before the run gives up
 * (--max-wait), and how long a request may hear nothing (--timeout); a
 * run that hears no answer for ENGINE_SILENT_TIMEOUTS timeouts stops. */
#define ENGINE_MAX_WAIT_DEFAULT_MS 600000ULL
#define ENGINE_MAX_WAIT_MAX_MS 86400000ULL
#define ENGINE_TIMEOUT_DEFAULT_MS 30000ULL
#define ENGINE_TIMEOUT_MAX_MS 600000ULL
#define ENGINE_SILENT_TIMEOUTS 3
/* Requests in flight, when the latency decides (concurrency 0): from 4,
 * at most this many. */
#define ENGINE_IN_FLIGHT_START 4
#define ENGINE_IN_FLIGHT_MAX HTTP_CONNECTIONS_MAX
/* A request answered slower than this share of the timeout: the next ones
 * are made smaller, down to ENGINE_CHUNK_FLOOR inputs. */
#define ENGINE_SLOW_SHARE 0.5
#define ENGINE_CHUNK_FLOOR 100

struct engine_opts {
	enum api_version api;
	/* Requests in flight at most; 0: as the answers' latency asks, about
	 * rate x latency, from 4, within 1 to ENGINE_IN_FLIGHT_MAX. */
	unsigned concurrency;
	unsigned max_attempts;      /* per request, counting the first */
	unsigned backoff_base_ms;   /* first retry waits about this */
	unsigned backoff_cap_ms;
	uint64_t max_wait_ms;       /* 429s only for longer: give up (0: default) */
	uint64_t silent_ms;         /* no answer for this long: stop (0: default) */
	const char *base_url;       /* named when it cannot be reached */
	uint64_t first_req;         /* request numbers start here */
	uint64_t seed;              /* for the jitter */
	/* The pre-state a preflight read, not owned (NULL: none): each row
	 * goes with the labels its pair holds that it does not name. */
	const struct prestate *pre;
	/* The hold: the first hold_alike chunks go alone; when every row of
	 * theirs failed alike, nothing more leaves (ENGINE_EV_HOLD) until
	 * engine_hold lets go or engine_stop_at_hold.  0: no hold. */
	unsigned hold_alike;
};

enum engine_stop {
	ENGINE_RUNNING,
	ENGINE_COMPLETE,       /* nothing left to send */
	ENGINE_INTERRUPTED,    /* asked to stop; in-flight answers were awaited */
	ENGINE_ABORTED,        /* asked twice; in-flight requests were cut */
	ENGINE_DAILY,          /* the portal's daily limit */
	ENGINE_AUTH,           /* 401 or 403 */
	ENGINE_CONFIG,         /* an answer no retry can mend (404, TLS, ...) */
	ENGINE_JOURNAL,        /* the journal could not be written */
	ENGINE_GAVE_UP,        /* 429s for longer than --max-wait */
	ENGINE_UNREACHABLE,    /* no answer: refused, unresolved, silent */
};

struct engine_stats {
	size_t requests;       /* sent, retries and narrowing included */
	size_t answers;
	size_t retries;
	size_t limited;        /* 429s met, the daily limit's too */
	size_t narrowing;      /* requests made to isolate refused rows */
	size_t gave_up;        /* requests given up after max attempts */
	size_t read_back;      /* unconfirmed rows found created by reading */
	size_t reads;          /* requests that read unconfirmed rows back */
	uint64_t wait_until;   /* a 429 or backoff wait in progress, or 0 */
	bool wait_limited;     /* that wait is for a 429 */
	uint64_t started;
	uint64_t latency_ms;   /* the answers' latency, a running mean */
	unsigned in_flight_max;  /* requests in flight allowed now */
	size_t chunk;          /* inputs a new request takes now */
	size_t pairs_answered; /* rows of the creates answered */
};

enum engine_event_kind {
	ENGINE_EV_SENT,
	ENGINE_EV_ANSWER,
	ENGINE_EV_RETRY,
	ENGINE_EV_LIMITED,
	ENGINE_EV_WARNING,     /* an answer said something off; detail says what */
	ENGINE_EV_HOLD,        /* the first chunks failed alike: held (rows: theirs) */
	ENGINE_EV_STOP,
};

struct engine_event {
	enum engine_event_kind kind;
	uint64_t req;
	size_t rows;
	int status;
	const char *detail;
	uint64_t wait_ms;      /* ENGINE_EV_LIMITED: the wait it causes */
};

typedef void (*engine_event_fn)(void *arg, const struct engine_event *ev);

struct engine;

/* How requests travel: the http client's calls by default (engine_new), or
 * a stand-in's, so that the engine's tests can script the answers. */
struct engine_transport {
	void *t;
	void (*start)(void *t, const char *method, const char *path,
	    const char *body, size_t len, http_done_fn done, void *arg);
	void (*wait)(void *t, struct http_fd *extra, unsigned nextra, int timeout_ms);
	void (*work)(void *t);
	void (*abort_all)(void *t);
};

/* opts with what it leaves 0 set to the defaults. */
struct engine_opts engine_opts_defaults(const struct engine_opts *opts);

/* The http client's calls as a transport. */
struct engine_transport engine_http_transport(struct http *h);

/* The engine uses, but does not own, everything it is given. */
struct engine *engine_new(struct http *h, struct rate *rate, struct journal *j,
    struct input *in, struct plan *p, struct outcomes *o,
    const struct engine_opts *opts, engine_event_fn fn, void *arg);
/* The same over another transport (copied). */
struct engine *engine_new_transport(const struct engine_transport *tp,
    struct rate *rate, struct journal *j, struct input *in, struct plan *p,
    struct outcomes *o, const struct engine_opts *opts, engine_event_fn fn,
    void *arg);
void engine_free(struct engine *e);

/* The number its next request would take (the journal's numbering). */
uint64_t engine_next_req(const struct engine *e);

/* Queues every pending row, chunk by chunk. */
void engine_queue_pending(struct engine *e);
/* Starts what may start, waits at most max_ms for the network or the extra
 * descriptors, and handles what finished. */
void engine_turn(struct engine *e, struct http_fd *extra, unsigned nextra,
    int max_ms);
bool engine_done(const struct engine *e);

/* Sends nothing new; rows not sent stay not_sent. */
void engine_interrupt(struct engine *e);
/* Held after the first chunks failed alike: their cause and rows failed. */
bool engine_holding(const struct engine *e, const char **category,
    const char **message, size_t *failed);
/* The rows queued and not in flight: what a hold keeps back. */
size_t engine_rows_waiting(const struct engine *e);
/* The admin stops at the hold: nothing more leaves, the answers in flight
 * are taken, the rest is not_sent "stopped at the hold" (R or resume). */
void engine_stop_at_hold(struct engine *e);
bool engine_stopped_at_hold(const struct engine *e);
/* Holds (true) or lets go: while held, nothing new leaves, answers to
 * what is in flight are taken, and the send is not done. */
void engine_hold(struct engine *e, bool hold);
/* Also cuts the requests in flight. */
void engine_abort(struct engine *e);

enum engine_stop engine_stop_reason(const struct engine *e);
/* How the journal's end record and the summary name a stop ("complete",
 * "gave_up" when rows were given up on, "interrupted", ...). */
const char *engine_stop_name(enum engine_stop s, size_t gave_up);
/* Why it stopped, for the user: HubSpot's message on a 401, ... */
const char *engine_stop_message(const struct engine *e);
const struct engine_stats *engine_stats(const struct engine *e);

#endif
