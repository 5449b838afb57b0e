/* http.c: the API client on libcurl's multi interface. */
#include "hubassoc/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hubassoc/version.h"

struct req {
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	size_t body_len, body_sent;  /* what the read callback has given */
	http_done_fn done;
	void *arg;
	struct http_result res;
	char errbuf[CURL_ERROR_SIZE];
	uint64_t started;
	uint64_t heard;          /* when a byte last moved either way */
	curl_off_t dl, ul;
	long silent_ms;          /* no byte for this long: given up */
	bool too_big;
	bool silent;
	bool resent;             /* libcurl asked to send the body again */
	struct req *next;
};

struct http {
	CURLM *multi;
	char *base_url;
	char *auth;             /* the Authorization header line */
	char *cacert;
	struct http_opts o;
	bool https;
	bool local;             /* the base URL is this machine: no proxy */
	struct req *reqs;       /* in flight */
	size_t nreqs;
};

static int global_users;

uint64_t
http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *
http_user_agent(void)
{
	return "hubassoc/" HUBASSOC_VERSION;
}

/* The host of a parsed URL is this machine: an address in 127.0.0.0/8,
 * ::1, or the name "localhost" itself, which libcurl resolves to loopback
 * without asking DNS.  Names that merely start like one are not. */
static bool
host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char v6[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(host);

	if (ascii_casecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n > 2 && n < sizeof(v6) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(v6, host + 1, n - 2);
		v6[n - 2] = '\0';
		return inet_pton(AF_INET6, v6, &a6) == 1 &&
		    IN6_IS_ADDR_LOOPBACK(&a6);
	}
	return false;
}

int
http_check_base_url(const char *url, char **cause)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL;
	char *query = NULL, *frag = NULL;
	CURLUcode uc;
	int rc = -1;

	*cause = NULL;
	if (u == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
		*cause = xasprintf("'%s' is not a URL (%s)", url, curl_url_strerror(uc));
		goto out;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &pass, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0);
	if (scheme == NULL || (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0))
		*cause = xasprintf("'%s' is not an https:// or http:// URL", url);
	else if (host == NULL || *host == '\0')
		*cause = xasprintf("'%s' names no host", url);
	else if (user != NULL || pass != NULL)
		*cause = xasprintf("'%s' holds a user name or password before its host "
		    "(%s): a base URL names only the host, port and path", url, host);
	else if (query != NULL || frag != NULL)
		*cause = xasprintf("'%s' has a query or fragment: a base URL names only "
		    "the host, port and path", url);
	else if (strcmp(scheme, "http") == 0 && !host_is_loopback(host))
		*cause = xasprintf("%s is plain http to %s: the token would cross the "
		    "network unencrypted; use https (plain http is only for this "
		    "machine: 127.0.0.1, [::1] or localhost)", url, host);
	else
		rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(pass);
	curl_free(query);
	curl_free(frag);
	curl_url_cleanup(u);
	return rc;
}

/* The URL as libcurl reads it, its host in lower case and without
 * trailing slashes; NULL when it is not one.  The caller frees it. */
static char *
normal_url(const char *url)
{
	CURLU *u = curl_url();
	char *got = NULL, *host = NULL, *s = NULL;
	size_t n;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		for (char *c = host; *c != '\0'; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		curl_url_set(u, CURLUPART_HOST, host, 0);
	}
	if (host != NULL && curl_url_get(u, CURLUPART_URL, &got, 0) == CURLUE_OK) {
		s = xstrdup(got);
		n = strlen(s);
		while (n > 0 && s[n - 1] == '/')
			s[--n] = '\0';
	}
	curl_free(got);
	curl_free(host);
	curl_url_cleanup(u);
	return s;
}

bool
http_same_base_url(const char *a, const char *b)
{
	char *x = a != NULL ? normal_url(a) : NULL, *y = b != NULL ? normal_url(b) : NULL;
	bool same = x != NULL && y != NULL && strcmp(x, y) == 0;

	free(x);
	free(y);
	return same;
}

bool
http_url_is_local(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	bool local = u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    host_is_loopback(host);

	curl_free(host);
	curl_url_cleanup(u);
	return local;
}

struct http *
http_new(const struct http_opts *o, char **cause)
{
	struct http *h;
	size_t n;

	if (http_check_base_url(o->base_url, cause) != 0)
		return NULL;
	if (global_users++ == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		global_users--;
		*cause = xstrdup("libcurl would not start");
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->o = *o;
	h->base_url = xstrdup(o->base_url);
	h->https = ascii_ncasecmp(h->base_url, "https:", 6) == 0;
	n = strlen(h->base_url);
	while (n > 0 && h->base_url[n - 1] == '/')
		h->base_url[--n] = '\0';
	if (o->token != NULL)
		h->auth = xasprintf("Authorization: Bearer %s", o->token);
	h->cacert = o->cacert != NULL ? xstrdup(o->cacert) : NULL;
	/* This machine is never reached through a proxy, whatever the
	 * environment says: a plain http request would hand the proxy the
	 * token in the clear.  Other hosts follow the environment (and its
	 * no_proxy) as curl does. */
	h->local = http_url_is_local(h->base_url);
	/* 0: its user keeps as many in flight as the latency asks. */
	if (h->o.concurrency == 0)
		h->o.concurrency = HTTP_CONNECTIONS_MAX;
	h->multi = curl_multi_init();
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->o.concurrency);
	curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)h->o.concurrency);
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	return h;
}

static void
req_free(struct req *r)
{
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	free(r->body);
	buf_free(&r->res.body);
	free(r);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	http_abort_all(h);
	curl_multi_cleanup(h->multi);
	if (h->auth != NULL) {
		memset(h->auth, 0, strlen(h->auth));
		free(h->auth);
	}
	free(h->base_url);
	free(h->cacert);
	free(h);
	if (--global_users == 0)
		curl_global_cleanup();
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = size * n;

	if (r->res.body.len + len > HTTP_BODY_MAX) {
		/* Read no further: what came so far is kept for its hash. */
		buf_add(&r->res.body, p, HTTP_BODY_MAX - r->res.body.len);
		r->too_big = true;
		return 0;
	}
	buf_add(&r->res.body, p, len);
	return len;
}

/* The body goes out through a read callback rather than as POSTFIELDS so
 * that libcurl cannot send it twice on its own: on a reused connection
 * that turns out dead it would quietly send the request again on a new one
 * (lib/transfer.c, Curl_retry_request), a second write the journal never
 * saw.  It must rewind the body first, and on_seek refuses: the transfer
 * then fails, and the engine's own retry, journaled and counted as an
 * attempt, decides whether to send again. */
static size_t
on_read(char *p, size_t size, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = size * n, left = r->body_len - r->body_sent;

	if (len > left)
		len = left;
	memcpy(p, r->body + r->body_sent, len);
	r->body_sent += len;
	return len;
}

static int
on_seek(void *arg, curl_off_t offset, int origin)
{
	struct req *r = arg;

	/* Before a byte went, starting at the start is no resend. */
	if (origin == SEEK_SET && offset == 0 && r->body_sent == 0)
		return CURL_SEEKFUNC_OK;
	r->resent = true;
	return CURL_SEEKFUNC_CANTSEEK;
}

static long
header_number(const char *v)
{
	char *end;
	long x = strtol(v, &end, 10);

	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	return (*end == '\0' && end != v && x >= 0) ? x : -1;
}

static void
limits_reset(struct http_limits *l)
{
	l->max = l->remaining = l->interval_ms = -1;
	l->daily = l->daily_remaining = -1;
	l->secondly = l->secondly_remaining = -1;
	l->retry_after_ms = -1;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = size * n;
	char line[512], *colon, *v;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after a 100 Continue): forget the last. */
		limits_reset(&r->res.limits);
		r->res.headers[0] = '\0';
		return len;
	}
	if (len >= sizeof(line))
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	if ((colon = strchr(line, ':')) == NULL)
		return len;
	*colon = '\0';
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	v[strcspn(v, "\r\n")] = '\0';
	struct { const char *name; long *dst; } known[] = {
		{ "X-HubSpot-RateLimit-Max", &r->res.limits.max },
		{ "X-HubSpot-RateLimit-Remaining", &r->res.limits.remaining },
		{ "X-HubSpot-RateLimit-Interval-Milliseconds", &r->res.limits.interval_ms },
		{ "X-HubSpot-RateLimit-Daily", &r->res.limits.daily },
		{ "X-HubSpot-RateLimit-Daily-Remaining", &r->res.limits.daily_remaining },
		{ "Retry-After", &r->res.limits.retry_after_ms },
		{ "X-HubSpot-RateLimit-Secondly", &r->res.limits.secondly },
		{ "X-HubSpot-RateLimit-Secondly-Remaining", &r->res.limits.secondly_remaining },
		/* Kept for the record, not read. */
		{ "Content-Type", NULL },
		{ "X-HubSpot-Correlation-Id", NULL },
	};
	for (size_t i = 0; i < HA_ARRAY_LEN(known); i++) {
		if (ascii_casecmp(line, known[i].name) != 0)
			continue;
		if (known[i].dst != NULL) {
			long x = header_number(v);
			/* Retry-After in seconds (a long one is kept, for
			 * --max-wait to judge); an HTTP date is not trusted to a
			 * clock we share, so it means "a while": the window. */
			if (known[i].dst == &r->res.limits.retry_after_ms)
				x = x < 0 ? -1 : x > 30L * 86400 ? 30L * 86400000 : x * 1000;
			*known[i].dst = x;
		}
		size_t used = strlen(r->res.headers);
		snprintf(r->res.headers + used, sizeof(r->res.headers) - used,
		    "%s%s: %s", used ? "\n" : "", known[i].name, v);
	}
	return len;
}

/* libcurl calls this at least once a second: a transfer in which no byte
 * has moved for the silent time is given up, whatever its phase (libcurl's
 * own low-speed check averages over seconds more than it is told). */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct req *r = arg;
	uint64_t now = http_now_ms();

	(void)dltotal;
	(void)ultotal;
	if (dlnow != r->dl || ulnow != r->ul) {
		r->dl = dlnow;
		r->ul = ulnow;
		r->heard = now;
		return 0;
	}
	if (now - r->heard >= (uint64_t)r->silent_ms) {
		r->silent = true;
		return 1;
	}
	return 0;
}

void
http_start(struct http *h, const char *method, const char *path,
    const char *body, size_t len, http_done_fn done, void *arg)
{
	struct req *r = xcalloc(1, sizeof(*r));
	char *url = xasprintf("%s%s", h->base_url, path);

	r->done = done;
	r->arg = arg;
	limits_reset(&r->res.limits);
	r->easy = curl_easy_init();
	r->started = r->heard = http_now_ms();
	r->silent_ms = h->o.low_speed_secs > 0 ? h->o.low_speed_secs * 1000 : 30000;
	if (h->auth != NULL)
		r->headers = curl_slist_append(r->headers, h->auth);
	r->headers = curl_slist_append(r->headers, "Accept: application/json");
	r->headers = curl_slist_append(r->headers, "Expect:");
	if (body != NULL) {
		r->headers = curl_slist_append(r->headers, "Content-Type: application/json");
		r->body = xmalloc(len + 1);
		memcpy(r->body, body, len);
		r->body[len] = '\0';
		r->body_len = len;
		curl_easy_setopt(r->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(r->easy, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(r->easy, CURLOPT_READDATA, r);
		curl_easy_setopt(r->easy, CURLOPT_SEEKFUNCTION, on_seek);
		curl_easy_setopt(r->easy, CURLOPT_SEEKDATA, r);
	}
	curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(r->easy, CURLOPT_URL, url);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, http_user_agent());
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	/* Waiting to share a connection only pays where HTTP/2 can be agreed
	 * on in the TLS handshake; over plain http a server that never answers
	 * would make every request wait for the first, one at a time. */
	curl_easy_setopt(r->easy, CURLOPT_PIPEWAIT, h->https ? 1L : 0L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	if (h->local)
		curl_easy_setopt(r->easy, CURLOPT_PROXY, "");
	if (h->cacert != NULL)
		curl_easy_setopt(r->easy, CURLOPT_CAINFO, h->cacert);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    h->o.connect_timeout_ms > 0 ? h->o.connect_timeout_ms : 10000L);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS,
	    h->o.timeout_ms > 0 ? h->o.timeout_ms : 120000L);
	curl_easy_setopt(r->easy, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(r->easy, CURLOPT_XFERINFODATA, r);
	curl_easy_setopt(r->easy, CURLOPT_NOPROGRESS, 0L);
	free(url);
	r->next = h->reqs;
	h->reqs = r;
	h->nreqs++;
	curl_multi_add_handle(h->multi, r->easy);
}

size_t
http_in_flight(const struct http *h)
{
	return h->nreqs;
}

static enum http_failure
failure_of(CURLcode c)
{
	switch (c) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_TIMEOUT;
	case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_CONNECT;
	case CURLE_GOT_NOTHING: case CURLE_RECV_ERROR: case CURLE_SEND_ERROR:
	case CURLE_HTTP2: case CURLE_HTTP2_STREAM: case CURLE_SEND_FAIL_REWIND:
		return HTTP_RESET;
	case CURLE_PARTIAL_FILE:
		return HTTP_TRUNCATED;
	case CURLE_SSL_CONNECT_ERROR: case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE: case CURLE_SSL_CERTPROBLEM:
		return HTTP_TLS;
	default:
		return HTTP_OTHER;
	}
}

static void
unlink_req(struct http *h, struct req *r)
{
	for (struct req **p = &h->reqs; *p != NULL; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			h->nreqs--;
			return;
		}
}

static void
finish(struct http *h, struct req *r, CURLcode code, bool aborted)
{
	long status = 0;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(h->multi, r->easy);
	unlink_req(h, r);
	r->res.status = (int)status;
	curl_off_t cl = -1;
	curl_easy_getinfo(r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
	r->res.announced = cl >= 0 ? (long long)cl : -1;
	r->res.failure = aborted ? HTTP_ABORTED : r->too_big ? HTTP_TOO_BIG :
	    r->silent ? HTTP_TIMEOUT : failure_of(code);
	if (aborted)
		snprintf(r->res.error, sizeof(r->res.error), "aborted");
	else if (r->silent)
		snprintf(r->res.error, sizeof(r->res.error), "no byte came or went for "
		    "%ld s", r->silent_ms / 1000);
	else if (r->resent)
		snprintf(r->res.error, sizeof(r->res.error), "the connection closed "
		    "before an answer came (it had been used before and was dead)");
	else if (r->too_big)
		snprintf(r->res.error, sizeof(r->res.error), "the answer is longer than "
		    "%u MiB (%s%lld bytes): not read further", HTTP_BODY_MAX >> 20,
		    r->res.announced >= 0 ? "" : "more than ", r->res.announced >= 0 ?
		    r->res.announced : (long long)HTTP_BODY_MAX);
	else if (code != CURLE_OK)
		snprintf(r->res.error, sizeof(r->res.error), "%s",
		    r->errbuf[0] ? r->errbuf : curl_easy_strerror(code));
	r->res.ms = (double)(http_now_ms() - r->started);
	if (r->res.failure != HTTP_OK)
		r->res.status = 0;
	r->done(r->arg, &r->res);
	req_free(r);
}

void
http_abort_all(struct http *h)
{
	while (h->reqs != NULL)
		finish(h, h->reqs, CURLE_ABORTED_BY_CALLBACK, true);
}

void
http_wait(struct http *h, struct http_fd *extra, unsigned nextra, int timeout_ms)
{
	struct curl_waitfd w[8];
	unsigned n = nextra < HA_ARRAY_LEN(w) ? nextra : HA_ARRAY_LEN(w);

	for (unsigned i = 0; i < n; i++) {
		w[i].fd = extra[i].fd;
		w[i].events = (short)((extra[i].events & POLLIN ? CURL_WAIT_POLLIN : 0) |
		    (extra[i].events & POLLOUT ? CURL_WAIT_POLLOUT : 0));
		w[i].revents = 0;
	}
	curl_multi_poll(h->multi, w, n, timeout_ms < 0 ? 0 : timeout_ms, NULL);
	for (unsigned i = 0; i < n; i++)
		extra[i].revents = (short)((w[i].revents & CURL_WAIT_POLLIN ? POLLIN : 0) |
		    (w[i].revents & CURL_WAIT_POLLOUT ? POLLOUT : 0));
}

void
http_work(struct http *h)
{
	int running, left;
	CURLMsg *m;

	curl_multi_perform(h->multi, &running);
	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct req *r = NULL;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r != NULL)
			finish(h, r, m->data.result, false);
	}
}
