/*
 * calls.h: the one request runner.  Reads, record lookups, label and
 * schema fetches, archives, and the engine's chunks (a lane of calls, see
 * src/core/calls_int.h) all go through it.
 *
 * Each call is one request, paced by the same rate governor, several in
 * flight, retried and waited out by the same policy (answer_classify,
 * answer_next), written to the journal before it leaves and after its
 * answer comes (when there is a journal), with the portal's rate headers
 * read from every answer.  Its owner hears of the answer it may read
 * (accepted, or refused for a reason no retry mends) and may add calls
 * from there: a read's next page.  A plain call that cannot be answered
 * (tried max attempts, 429s past --max-wait, the daily limit, a 401) stops
 * the whole run: what a preflight, a verify or an undo learnt only in part
 * is not acted on.  It never blocks: turn it from a loop.
 */
#ifndef HUBASSOC_CALLS_H
#define HUBASSOC_CALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/engine.h"
#include "hubassoc/http.h"
#include "hubassoc/journal.h"
#include "hubassoc/rate.h"
#include "hubassoc/response.h"

struct calls;

/* An answer to read: res as it came, r its parsed body; refused when
 * HubSpot refused the call (a 400 ...), which the owner judges: it may
 * stop the run (calls_fail). */
typedef void (*call_fn)(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused);

struct calls *calls_new(const struct engine_transport *tp, struct rate *rate,
    struct journal *j, const struct engine_opts *opts);
void calls_free(struct calls *c);

/*
 * Queues a call: kind names it in the journal ("preflight", "verify",
 * "undo"), method and path say where it goes, body (taken, may be NULL for
 * a GET) what it carries.  A 204 without a body is an answer (archives
 * answer so).
 */
void calls_add(struct calls *c, const char *kind, const char *method,
    const char *path, char *body, call_fn fn, void *arg);

/* A call's extras: a budget of its own it is paced by as well (CRM
 * search's, a second's), and an arg the call frees when it is done. */
struct call_extra {
	struct rate *own;
	bool free_arg;
	/* An answer longer than is read (HTTP_TOO_BIG): the body cut in two,
	 * asked for apart, when split can (else tried again as any failure;
	 * a lane's calls are the owner's to split). */
	bool (*split)(const char *body, char **first, char **second);
};
void calls_add_ex(struct calls *c, const struct call_extra *x, const char *kind,
    const char *method, const char *path, char *body, call_fn fn, void *arg);

void calls_turn(struct calls *c, struct http_fd *extra, unsigned nextra, int max_ms);
bool calls_done(const struct calls *c);
/* Stops the run: nothing new leaves; answers in flight are taken. */
void calls_interrupt(struct calls *c);
/* Whether a run interrupted had nothing left but what was in flight, and
 * took each answer (none to try again): it did all it was given. */
bool calls_interrupted_whole(const struct calls *c);
/* Stops the run for a reason of the owner's (an answer it cannot use). */
void calls_fail(struct calls *c, enum engine_stop why, const char *msg);

/* Stops the run for an answer that refused to `what` ("read
 * associations"), with HubSpot's words. */
void calls_refused(struct calls *c, const char *what, const struct response *r);

/* A warning of the owner's (a paging cursor seen before): journaled
 * (as the last request's), and said once by calls_warning, in order. */
void calls_warn(struct calls *c, const char *fmt, ...) HA_PRINTF(2, 3);
const char *calls_warning(struct calls *c);
enum engine_stop calls_stop_reason(const struct calls *c);
/* The HTTP status of the answer that stopped the run (a 401, a 403), or 0:
 * a stop of another kind. */
int calls_stop_status(const struct calls *c);
const char *calls_stop_message(const struct calls *c);
const struct engine_stats *calls_stats(const struct calls *c);
/* The number the next request would take (the journal's numbering). */
uint64_t calls_next_req(const struct calls *c);

#endif
