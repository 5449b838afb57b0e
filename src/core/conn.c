/* conn.c: a connection's settings, token and client, and the calls made
 * on it: one-off GETs (labels), and a send's engine. */
#include "hubassoc/conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hubassoc/http.h"
#include "hubassoc/journal.h"
#include "hubassoc/labels.h"
#include "hubassoc/request.h"
#include "hubassoc/response.h"
#include "hubassoc/session.h"

static enum settings_error
open_conn(struct conn *c, const struct conn_given *g, char **cause)
{
	struct settings set;
	const char *origin = NULL;
	enum settings_error e;

	if ((e = settings_resolve(&set, &g->set, cause)) != SETTINGS_OK) {
		settings_free(&set);
		return e;
	}
	/* The connection keeps what was resolved. */
	c->prof = set.prof;
	c->api = set.api;
	c->concurrency = set.concurrency;
	rate_init(&c->rate, set.rate_n, set.rate_window_ms);
	c->max_attempts = ENGINE_MAX_ATTEMPTS_DEFAULT;
	c->max_wait_ms = set.max_wait_ms;
	c->timeout_ms = set.timeout_ms;
	c->base_url = set.base_url;

	if (g->set.sandbox) {
		if (g->local_url == NULL) {
			*cause = xstrdup("no sandbox to send to");
			return SETTINGS_CONFIG;
		}
		c->base_url = xstrdup(g->local_url);
		c->token = xstrdup(g->local_token != NULL ? g->local_token : "");
	} else if (g->token_given != NULL) {
		c->token = xstrdup(g->token_given);
	} else {
		/* Explicit options; then the profile's; then the environment.
		 * A command before a file in each. */
		struct token_sources src = { .env = true };
		src.cmd = g->token_cmd;
		src.file = g->token_cmd == NULL ? g->token_file : NULL;
		if (src.cmd == NULL && src.file == NULL) {
			src.cmd = c->prof.token_cmd;
			src.file = c->prof.token_cmd == NULL ? c->prof.token_file : NULL;
		}
		if (token_acquire(&src, &c->token, &origin, cause) != 0)
			return SETTINGS_CONFIG;
	}
	struct http_opts ho = {
		.base_url = c->base_url, .token = c->token,
		.cacert = g->cacert != NULL ? g->cacert : c->prof.cacert,
		.concurrency = c->concurrency,
		.low_speed_secs = (long)((c->timeout_ms + 999) / 1000),
	};
	c->http = http_new(&ho, cause);
	return c->http != NULL ? SETTINGS_OK : SETTINGS_CONFIG;
}

enum settings_error
conn_open(struct conn *c, const struct conn_given *g, char **cause)
{
	void *local = c->local;
	void (*local_stop)(void *) = c->local_stop;

	memset(c, 0, sizeof(*c));
	/* A server the caller started is the connection's to stop. */
	c->local = local;
	c->local_stop = local_stop;
	enum settings_error e = open_conn(c, g, cause);
	if (e != SETTINGS_OK)
		conn_close(c);
	return e;
}

void
conn_close(struct conn *c)
{
	http_free(c->http);
	token_free(c->token);
	free(c->base_url);
	rate_free(&c->rate);
	profile_free(&c->prof);
	if (c->local != NULL && c->local_stop != NULL)
		c->local_stop(c->local);
	memset(c, 0, sizeof(*c));
}

struct got {
	struct buf body;
	bool answered;
	const char *what;          /* "GET /crm/..." */
};

static void
got_answer(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct got *g = arg;

	if (refused) {
		calls_refused(c, g->what, r);
		return;
	}
	g->answered = true;
	buf_add(&g->body, res->body.data != NULL ? res->body.data : "", res->body.len);
}

int
conn_get(struct conn *c, const char *path, struct buf *out, char **cause)
{
	return conn_call(c, "GET", path, NULL, out, cause);
}

int
conn_call(struct conn *c, const char *method, const char *path, char *body,
    struct buf *out, char **cause)
{
	/* One request on calls, as every other: the same governor, the same
	 * retries and waits, the rate headers read. */
	struct calls *k = conn_calls(c, NULL, 1);
	char *what = xasprintf("%s %s", method, path);
	struct got g = { BUF_INIT, false, what };
	int rc = 0;

	calls_add(k, strcmp(method, "GET") == 0 ? "get" : "schema", method, path, body,
	    got_answer, &g);
	while (!calls_done(k))
		calls_turn(k, NULL, 0, 1000);
	enum engine_stop stop = calls_stop_reason(k);
	const char *msg = calls_stop_message(k);
	if (stop == ENGINE_COMPLETE && g.answered) {
		*out = g.body;
		g.body = (struct buf)BUF_INIT;
	} else if (msg != NULL && strncmp(msg, "TLS: ", 5) == 0) {
		*cause = xasprintf("TLS: %s is not trusted: %s (for a private CA: "
		    "--cacert FILE)", c->base_url, msg + 5);
		rc = EXIT_AUTH;
	} else {
		*cause = xstrdup(msg != NULL ? msg : engine_stop_name(stop, 0));
		rc = stop == ENGINE_COMPLETE ? EXIT_UNREACHABLE : session_stop_status(stop);
	}
	buf_free(&g.body);
	calls_free(k);
	free(what);
	return rc;
}

int
conn_labels(struct conn *c, const struct objtype *from, const struct objtype *to,
    struct assoc_labels *out, char **cause)
{
	struct buf path = BUF_INIT, body = BUF_INIT;
	size_t skipped;
	int rc;

	labels_path(&path, c->api, from, to);
	rc = conn_get(c, buf_str(&path), &body, cause);
	if (rc == 0 && labels_parse(body.data, body.len, out, &skipped, cause) != 0)
		rc = EXIT_UNREACHABLE;
	buf_free(&path);
	buf_free(&body);
	return rc;
}

int
conn_limits(struct conn *c, const struct objtype *from, const struct objtype *to,
    struct assoc_limits *out, char **cause)
{
	struct buf path = BUF_INIT, body = BUF_INIT;
	int rc;

	limits_path(&path, from, to);
	rc = conn_get(c, buf_str(&path), &body, cause);
	if (rc == 0 && limits_parse(body.data, body.len, out, cause) != 0)
		rc = EXIT_UNREACHABLE;
	buf_free(&path);
	buf_free(&body);
	return rc;
}

int
conn_label_delete(struct conn *c, const struct objtype *from,
    const struct objtype *to, uint32_t type_id, char **cause)
{
	struct buf path = BUF_INIT, body = BUF_INIT;
	int rc;

	labels_schema_path(&path, from, to, type_id);
	rc = conn_call(c, "DELETE", buf_str(&path), NULL, &body, cause);
	buf_free(&path);
	buf_free(&body);
	return rc;
}

int
conn_custom_objects(struct conn *c, struct custom_object **out, size_t *n,
    char **cause)
{
	struct buf body = BUF_INIT;
	int rc = conn_get(c, request_schemas_path(c->api), &body, cause);

	*out = NULL;
	*n = 0;
	if (rc == 0 && custom_objects_parse(body.data, body.len, out, n, cause) != 0)
		rc = EXIT_UNREACHABLE;
	buf_free(&body);
	return rc;
}

static struct engine_opts
engine_opts_of(const struct conn *c, uint64_t first_req)
{
	return (struct engine_opts){
		.api = c->api, .concurrency = c->concurrency,
		.max_attempts = c->max_attempts, .first_req = first_req,
		.max_wait_ms = c->max_wait_ms, .base_url = c->base_url,
		.silent_ms = ENGINE_SILENT_TIMEOUTS * c->timeout_ms,
		.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() ^ http_now_ms(),
	};
}

struct calls *
conn_calls_tries(struct conn *c, struct journal *j, uint64_t first_req,
    unsigned max_attempts)
{
	const struct engine_transport tp = c->transport != NULL ? *c->transport :
	    engine_http_transport(c->http);
	struct engine_opts eo = engine_opts_of(c, first_req);

	eo.max_attempts = max_attempts;
	return calls_new(&tp, &c->rate, j, &eo);
}

struct calls *
conn_calls(struct conn *c, struct journal *j, uint64_t first_req)
{
	return conn_calls_tries(c, j, first_req, c->max_attempts);
}

struct engine *
conn_engine(struct conn *c, struct journal *j, struct input *in, struct plan *p,
    struct outcomes *o, const struct engine_opts *send, engine_event_fn fn,
    void *arg)
{
	struct engine_opts eo = engine_opts_of(c, send->first_req);

	eo.pre = send->pre;
	eo.hold_alike = send->hold_alike;
	if (c->transport != NULL)
		return engine_new_transport(c->transport, &c->rate, j, in, p, o, &eo,
		    fn, arg);
	return engine_new(c->http, &c->rate, j, in, p, o, &eo, fn, arg);
}

/* The options that name a portal: the built-in sandbox, a profile (not
 * the default), or a base URL (not HubSpot's). */
static const char *
where(char *buf, size_t n, bool sandbox, const char *profile, const char *base_url)
{
	if (sandbox)
		snprintf(buf, n, " --sandbox");
	else if (profile != NULL && strcmp(profile, "default") != 0)
		snprintf(buf, n, " --profile %s", profile);
	else if (base_url != NULL && !http_same_base_url(base_url, REQUEST_BASE_URL_DEFAULT))
		snprintf(buf, n, " --base-url %s", base_url);
	else
		snprintf(buf, n, "%s", "");
	return buf;
}

const char *
conn_where(const struct conn *c, char *buf, size_t n)
{
	/* A profile only when it names the portal sent to. */
	return where(buf, n, c->local != NULL, c->prof.name != NULL &&
	    http_same_base_url(c->prof.base_url, c->base_url) ? c->prof.name : NULL,
	    c->base_url);
}

const char *
conn_where_went(const struct journal_meta *m, char *buf, size_t n)
{
	return where(buf, n, m->sandbox > 0, m->profile, m->base_url);
}
