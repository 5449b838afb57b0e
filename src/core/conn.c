/* conn.c: a connection's settings, token and client. */
#include "hubassoc/conn.h"

#include <stdlib.h>
#include <string.h>

#include "hubassoc/engine.h"

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

void
conn_answer_bounds(const struct conn *c, unsigned max_attempts,
    struct answer_bounds *b)
{
	*b = (struct answer_bounds){
		.max_attempts = max_attempts, .max_wait_ms = c->max_wait_ms,
		.silent_ms = ENGINE_SILENT_TIMEOUTS * c->timeout_ms,
		.window_ms = (uint64_t)c->rate.window_ms + c->rate.margin_ms,
		.backoff_base_ms = ANSWER_BACKOFF_BASE_MS,
		.backoff_cap_ms = ANSWER_BACKOFF_CAP_MS, .base_url = c->base_url,
	};
}
