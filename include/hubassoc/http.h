/*
 * http.h: requests to the API, many in flight, on libcurl's multi interface.
 *
 * Nothing here blocks for long: http_start() queues a request, http_wait()
 * sleeps until a transfer or one of the caller's descriptors (a terminal, a
 * signal pipe) needs attention, and http_work() moves the transfers on and
 * calls each finished request's function.  One connection pool is kept
 * alive across requests; HTTP/2 is used when the server offers it; TLS is
 * always verified.  Callers see these structs, never curl's.
 */
#ifndef HUBASSOC_HTTP_H
#define HUBASSOC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/util.h"

/* Answers are read up to this and no further: a 2,000-input batch answer
 * is under 1 MiB.  A longer one is a bad answer, kept only by its head,
 * size and hash. */
#define HTTP_BODY_MAX (4u << 20)
#define HTTP_BODY_HEAD 1024         /* what the journal keeps of one */
#define HTTP_CONNECTIONS_MAX 64

struct http_opts {
	const char *base_url;       /* https://api.hubapi.com, no trailing / */
	const char *token;          /* sent as Authorization: Bearer; may be NULL */
	const char *cacert;         /* a CA bundle instead of the system's */
	unsigned concurrency;       /* transfers in flight at most; 0:
	                             * HTTP_CONNECTIONS_MAX, its user keeps fewer */
	long connect_timeout_ms;
	long timeout_ms;            /* the whole transfer */
	long low_speed_secs;        /* give up after this long with no byte moving */
};

/* What the answer's headers said of the rate limits; -1 when absent. */
struct http_limits {
	long max, remaining, interval_ms;
	long secondly, secondly_remaining;
	long daily, daily_remaining;
	long retry_after_ms;
};

enum http_failure {
	HTTP_OK,             /* an HTTP answer came, whatever its status */
	HTTP_TIMEOUT,
	HTTP_CONNECT,        /* could not connect or resolve */
	HTTP_RESET,          /* connection dropped, nothing or part came */
	HTTP_TRUNCATED,      /* the body ended before its length */
	HTTP_TLS,            /* certificate or handshake refused */
	HTTP_ABORTED,        /* http_abort_all() */
	HTTP_TOO_BIG,        /* the answer ran past HTTP_BODY_MAX */
	HTTP_OTHER,
};

struct http_result {
	int status;                 /* 0 without an HTTP answer */
	enum http_failure failure;
	char error[256];            /* curl's words for a failure */
	struct buf body;            /* HTTP_TOO_BIG: its first HTTP_BODY_MAX bytes */
	long long announced;        /* Content-Length, or -1 */
	struct http_limits limits;
	char headers[768];          /* the rate-limit headers, Retry-After,
	                             * Content-Type and the correlation ID as
	                             * received, for the journal */
	double ms;                  /* from start to finish */
};

typedef void (*http_done_fn)(void *arg, struct http_result *res);

struct http_fd {
	int fd;
	short events;               /* POLLIN, POLLOUT */
	short revents;
};

struct http;

/* Checks a base URL before a token may be sent to it: http or https, no
 * user name or password, query or fragment, and plain http only when the
 * host is this machine (a 127.x.x.x or ::1 address, or "localhost"
 * itself), as the token would otherwise cross the network in the clear.
 * Returns 0, or -1 with *cause saying why. */
int http_check_base_url(const char *url, char **cause);

/* The two base URLs name the same place once parsed (case of the scheme
 * and host, a trailing slash); false when either is not a URL. */
bool http_same_base_url(const char *a, const char *b);
/* The URL's host is this machine (see http_check_base_url). */
bool http_url_is_local(const char *url);

/* Refuses (NULL, *cause) a base URL that http_check_base_url refuses. */
struct http *http_new(const struct http_opts *o, char **cause);
void http_free(struct http *h);

/* Queues a request; body NULL for a GET.  The body is copied.  done is
 * called from http_work() with the result, which it may keep parts of. */
void http_start(struct http *h, const char *method, const char *path,
    const char *body, size_t len, http_done_fn done, void *arg);
size_t http_in_flight(const struct http *h);
/* Stops every transfer; each done function is called with HTTP_ABORTED. */
void http_abort_all(struct http *h);

/* Waits at most timeout_ms for the transfers or the extra descriptors. */
void http_wait(struct http *h, struct http_fd *extra, unsigned nextra,
    int timeout_ms);
/* Moves transfers on and calls the done functions of finished ones. */
void http_work(struct http *h);

/* A monotonic clock in milliseconds. */
uint64_t http_now_ms(void);

/* "User-Agent: hubassoc/VERSION". */
const char *http_user_agent(void);

#endif
