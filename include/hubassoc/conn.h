/*
 * conn.h: where requests go and how: the settings resolved, the token
 * acquired, the client opened.  Errors are returned, never printed: the
 * command line says them, the terminal shows them.
 */
#ifndef HUBASSOC_CONN_H
#define HUBASSOC_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "hubassoc/assoctype.h"
#include "hubassoc/calls.h"
#include "hubassoc/config.h"
#include "hubassoc/engine.h"
#include "hubassoc/http.h"
#include "hubassoc/rate.h"
#include "hubassoc/request.h"

struct conn {
	struct profile prof;
	char *token;
	char *base_url;
	enum api_version api;
	unsigned concurrency;
	unsigned max_attempts;      /* for every request, labels included */
	uint64_t max_wait_ms;       /* 429s only, for longer: give up */
	uint64_t timeout_ms;        /* no byte for this long: the request failed */
	struct rate rate;
	uint64_t latency_ms;        /* the answers' latency last measured (0:
	                             * none yet), for a send's estimate */
	struct http *http;
	/* Requests go here instead of through http when set: a stand-in
	 * network (the unit tests' fake). */
	const struct engine_transport *transport;
	/* A server in this process (the built-in sandbox), the caller's:
	 * stopped by conn_close with local_stop. */
	void *local;
	void (*local_stop)(void *local);
};

/* What a connection is given, besides the settings. */
struct conn_given {
	struct settings_given set;
	const char *token_cmd, *token_file;  /* the command line's */
	const char *token_given;            /* typed in the terminal */
	const char *cacert;
	/* A server already running in this process, and its token: sent to
	 * instead of the settings' base URL (set.sandbox). */
	const char *local_url, *local_token;
};

/* Resolves the settings, acquires the token and opens the client.  On an
 * error, *cause says why (without a command's name) and c is closed. */
enum settings_error conn_open(struct conn *c, const struct conn_given *g,
    char **cause);
void conn_close(struct conn *c);
/* What a command line copied from a hint needs to go where c goes:
 * " --sandbox", " --profile NAME" (a profile naming its portal), " --base-url
 * URL" (another than HubSpot's), or "" (in buf, room for n). */
const char *conn_where(const struct conn *c, char *buf, size_t n);
/* The same for where a session went, as its journal says: " --sandbox",
 * " --profile NAME" (not the default), " --base-url URL" (not HubSpot's),
 * or "". */
struct journal_meta;
const char *conn_where_went(const struct journal_meta *m, char *buf, size_t n);


/* GETs path, paced by the rate governor, retried and waited out as a
 * send's requests are (answer_classify, answer_next): one policy for
 * every call.  Blocks: the command line's.  0 and the body in *out, or
 * an exit status (EXIT_UNREACHABLE, EXIT_AUTH, EXIT_DAILY_LIMIT) and
 * *cause. */
int conn_get(struct conn *c, const char *path, struct buf *out, char **cause);
/* The same, any method, with a body (taken; NULL for none). */
int conn_call(struct conn *c, const char *method, const char *path, char *body,
    struct buf *out, char **cause);
/* The limits configured for a direction (conn_get). */
int conn_limits(struct conn *c, const struct objtype *from,
    const struct objtype *to, struct assoc_limits *out, char **cause);
/* Deletes the USER_DEFINED label type_id of from -> to (and its other end). */
int conn_label_delete(struct conn *c, const struct objtype *from,
    const struct objtype *to, uint32_t type_id, char **cause);
/* A direction's association types from the portal (conn_get): 0, or an
 * exit status and *cause. */
int conn_labels(struct conn *c, const struct objtype *from,
    const struct objtype *to, struct assoc_labels *out, char **cause);

/* The portal's custom objects (GET /crm/v3/schemas): 0, or an exit status
 * and *cause. */
int conn_custom_objects(struct conn *c, struct custom_object **out, size_t *n,
    char **cause);

/* A send's engine on c, its options from the connection's settings, and
 * from the send's own: its first request's number, the pre-state read
 * before and the hold (see engine_opts). */
struct engine *conn_engine(struct conn *c, struct journal *j, struct input *in,
    struct plan *p, struct outcomes *o, const struct engine_opts *send,
    engine_event_fn fn, void *arg);

/* Calls (reads, lookups, archives) on c, numbered from first_req in j
 * when there is one. */
struct calls *conn_calls(struct conn *c, struct journal *j, uint64_t first_req);
/* The same, each call tried at most max_attempts times (a first call that
 * tells whether the portal answers at all: once). */
struct calls *conn_calls_tries(struct conn *c, struct journal *j,
    uint64_t first_req, unsigned max_attempts);

#endif
