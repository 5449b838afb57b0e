/*
 * fakenet.h: a stand-in for the network the engine and the calls are
 * driven over in unit tests.  Each request is kept as it starts and
 * answered on the next work(), in order, by the test's answer function,
 * from its path and body; the test's own state goes in a struct that
 * starts with a struct fakenet.
 */
#ifndef HUBASSOC_FAKENET_H
#define HUBASSOC_FAKENET_H

#include <cjson/cJSON.h>

#include "testutil.h"
#include "hubassoc/engine.h"

#define FAKENET_QUEUE 64

struct fakenet;
/* Fills res (status, body) for a request; body is its parsed JSON, NULL
 * for none or no JSON. */
typedef void (*fakenet_answer)(struct fakenet *f, const char *path, cJSON *body,
    struct http_result *res);

struct fakenet_req {
	char *path, *body;
	http_done_fn done;
	void *arg;
};

struct fakenet {
	fakenet_answer answer;
	struct fakenet_req q[FAKENET_QUEUE];
	size_t n;
	size_t requests;          /* started, in all */
	const char *hold;         /* requests whose path holds it are not
	                           * answered while it is set: in flight */
};

static void
fakenet_start(void *t, const char *method, const char *path, const char *body,
    size_t len, http_done_fn done, void *arg)
{
	struct fakenet *f = t;

	(void)method;
	assert_true(f->n < FAKENET_QUEUE);
	f->q[f->n++] = (struct fakenet_req){ xstrdup(path),
	    body != NULL ? xstrndup(body, len) : NULL, done, arg };
	f->requests++;
}

static void
fakenet_wait(void *t, struct http_fd *extra, unsigned nextra, int timeout_ms)
{
	struct fakenet *f = t;

	(void)extra;
	(void)nextra;
	if (f->n == 0 && timeout_ms > 0)
		usleep((useconds_t)(timeout_ms < 5 ? timeout_ms : 5) * 1000);
}

static void
fakenet_work(void *t)
{
	struct fakenet *f = t;
	size_t n = 0, held = 0;
	struct fakenet_req q[FAKENET_QUEUE];

	for (size_t i = 0; i < f->n; i++) {
		if (f->hold != NULL && strstr(f->q[i].path, f->hold) != NULL)
			f->q[held++] = f->q[i];
		else
			q[n++] = f->q[i];
	}
	f->n = held;
	for (size_t i = 0; i < n; i++) {
		struct http_result res;
		memset(&res, 0, sizeof(res));
		res.limits = (struct http_limits){ -1, -1, -1, -1, -1, -1, -1, -1 };
		cJSON *body = q[i].body != NULL ? cJSON_Parse(q[i].body) : NULL;
		f->answer(f, q[i].path, body, &res);
		cJSON_Delete(body);
		q[i].done(q[i].arg, &res);
		buf_free(&res.body);
		free(q[i].path);
		free(q[i].body);
	}
}

static void
fakenet_abort_all(void *t)
{
	(void)t;
}

/* The transport over f, answered by f->answer. */
static inline struct engine_transport
fakenet_transport(struct fakenet *f)
{
	return (struct engine_transport){ f, fakenet_start, fakenet_wait, fakenet_work,
	    fakenet_abort_all };
}

#endif
