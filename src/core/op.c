/* op.c: operations, turned by either front end (see op.h). */
#include "hubassoc/op.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"

struct op *
op_start(const struct op_kind *kind, struct conn *c, struct journal *j,
    struct session *s, void *data)
{
	struct op *o = xcalloc(1, sizeof(*o));

	o->kind = kind;
	o->c = c;
	o->j = j;
	o->s = s;
	o->data = data;
	o->next_req = s != NULL ? s->meta.last_req + 1 : 1;
	kind->step(o);
	return o;
}

void
op_question_clear(struct op_question *q)
{
	free(q->title);
	free(q->brief);
	for (size_t i = 0; i < q->nlines; i++)
		free(q->lines[i]);
	free(q->lines);
	memset(q, 0, sizeof(*q));
}

void
op_free(struct op *o)
{
	if (o == NULL)
		return;
	if (o->kind->clear != NULL)
		o->kind->clear(o);
	calls_free(o->calls);
	engine_free(o->engine);
	op_question_clear(&o->q);
	for (size_t i = 0; i < o->nsaid; i++)
		free(o->said[i]);
	free(o->said);
	free(o->summary);
	free(o);
}

void
op_turn(struct op *o, struct http_fd *extra, unsigned nextra, int max_ms)
{
	if (o->engine != NULL && !o->engine_over) {
		engine_turn(o->engine, extra, nextra, max_ms);
		uint64_t now = http_now_ms();
		/* The counts, now and then: a crash loses no more than them. */
		if (o->j != NULL && o->s != NULL && now - o->last_progress >= 2000) {
			journal_progress(o->j, &o->s->out);
			o->last_progress = now;
		}
		if (engine_done(o->engine)) {
			o->engine_over = true;
			/* What follows is numbered on from its requests. */
			o->next_req = engine_next_req(o->engine);
			o->kind->step(o);
		}
	} else if (o->calls != NULL && !o->calls_over) {
		calls_turn(o->calls, extra, nextra, max_ms);
		for (const char *w; (w = calls_warning(o->calls)) != NULL;)
			op_say(o, "warning: %s", w);
		if (calls_done(o->calls)) {
			o->calls_over = true;
			o->kind->step(o);
		}
	} else if (o->c->transport != NULL) {
		o->c->transport->wait(o->c->transport->t, extra, nextra, max_ms);
		o->c->transport->work(o->c->transport->t);
	} else if (o->c->http != NULL) {
		/* Asking, or done: the front end's descriptors still count. */
		http_wait(o->c->http, extra, nextra, max_ms);
		http_work(o->c->http);
	}
}

const struct op_question *
op_question(const struct op *o)
{
	return o->asking ? &o->q : NULL;
}

void
op_answer(struct op *o, bool yes)
{
	if (!o->asking)
		return;
	o->asking = false;
	if (o->kind->answer != NULL)
		o->kind->answer(o, yes);
}

void
op_interrupt(struct op *o)
{
	/* A send's first C-c awaits the answers in flight; a second cuts
	 * them. */
	if (o->engine != NULL && !o->engine_over) {
		if (engine_stop_reason(o->engine) == ENGINE_INTERRUPTED)
			engine_abort(o->engine);
		else
			engine_interrupt(o->engine);
	}
	o->interrupted = true;
	if (o->calls != NULL)
		calls_interrupt(o->calls);
}

const char *
op_said(struct op *o)
{
	return o->said_read < o->nsaid ? o->said[o->said_read++] : NULL;
}

size_t
op_requests(const struct op *o)
{
	return o->requests + (o->calls != NULL ? calls_stats(o->calls)->requests : 0) +
	    (o->engine != NULL ? engine_stats(o->engine)->requests : 0);
}

const char *
op_busy_with(const struct op *o)
{
	return o->calls != NULL && !o->calls_over ? o->calls_what : NULL;
}

void
op_say(struct op *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	o->said = xreallocarray(o->said, o->nsaid + 1, sizeof(*o->said));
	o->said[o->nsaid++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void
op_question_set(struct op_question *q, const char *title, const char *brief)
{
	op_question_clear(q);
	q->title = xstrdup(title);
	q->brief = xstrdup(brief);
}

static void
question_vline(struct op_question *q, const char *fmt, va_list ap)
{
	q->lines = xreallocarray(q->lines, q->nlines + 1, sizeof(*q->lines));
	q->lines[q->nlines++] = xvasprintf(fmt, ap);
}

void
op_question_line(struct op_question *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	question_vline(q, fmt, ap);
	va_end(ap);
}

void
op_question_copy(struct op_question *to, const struct op_question *from)
{
	op_question_set(to, from->title, from->brief);
	for (size_t i = 0; i < from->nlines; i++)
		op_question_line(to, "%s", from->lines[i]);
}

void
op_ask(struct op *o, const char *title, const char *brief)
{
	op_question_set(&o->q, title, brief);
	o->asking = true;
}

void
op_ask_whole(struct op *o, struct op_question *q)
{
	op_question_clear(&o->q);
	o->q = *q;
	memset(q, 0, sizeof(*q));
	o->asking = true;
}

void
op_ask_line(struct op *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	question_vline(&o->q, fmt, ap);
	va_end(ap);
}

void
op_finish(struct op *o, int status, const char *fmt, ...)
{
	va_list ap;

	o->done = true;
	o->asking = false;
	o->status = status;
	/* The requests it numbered are its session's: a next operation on
	 * the same session (the terminal's pairs) numbers on from them, as
	 * one on the journal read back would. */
	uint64_t next = o->next_req;
	if (o->engine != NULL && engine_next_req(o->engine) > next)
		next = engine_next_req(o->engine);
	if (o->calls != NULL && calls_next_req(o->calls) > next)
		next = calls_next_req(o->calls);
	if (o->j != NULL && o->s != NULL && next > 0 && next - 1 > o->s->meta.last_req)
		o->s->meta.last_req = next - 1;
	free(o->summary);
	o->summary = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		o->summary = xvasprintf(fmt, ap);
		va_end(ap);
	}
}

struct calls *
op_calls(struct op *o, bool journaled, const char *what)
{
	return op_calls_tries(o, journaled, what, o->c->max_attempts);
}

struct calls *
op_calls_tries(struct op *o, bool journaled, const char *what, unsigned tries)
{
	if (o->calls != NULL) {
		o->requests += calls_stats(o->calls)->requests;
		if (calls_stats(o->calls)->latency_ms > 0)
			o->c->latency_ms = calls_stats(o->calls)->latency_ms;
		calls_free(o->calls);
	}
	o->calls = conn_calls_tries(o->c, journaled ? o->j : NULL, o->next_req, tries);
	o->calls_over = false;
	o->calls_what = what;
	if (o->interrupted)
		calls_interrupt(o->calls);
	return o->calls;
}

bool
op_calls_ended(struct op *o, const char *hint)
{
	enum engine_stop stop = calls_stop_reason(o->calls);
	const char *msg = calls_stop_message(o->calls);

	o->next_req = calls_next_req(o->calls);
	if (stop == ENGINE_COMPLETE)
		return true;
	char n[64];
	/* A session not begun yet (a send that asks first) has no ID. */
	bool named = o->s != NULL && o->s->meta.id != NULL;
	if (msg == NULL)
		msg = engine_stop_name(stop, 0);
	/* HubSpot's sentence, its full stop left out before the hint's "; ". */
	size_t len = strlen(msg);
	if (hint != NULL && hint[0] == ';' && len > 0 && msg[len - 1] == '.')
		len--;
	op_finish(o, session_stop_status(stop), "%s%s%s%s stopped after %s: %.*s%s",
	    named ? "session " : "", named ? o->s->meta.id : "",
	    named ? ": " : "", o->calls_what,
	    fmt_counted(n, calls_stats(o->calls)->requests, "request"), (int)len, msg,
	    hint != NULL ? hint : "");
	return false;
}

bool
op_calls_whole(struct op *o)
{
	if (!calls_interrupted_whole(o->calls))
		return false;
	o->next_req = calls_next_req(o->calls);
	return true;
}

struct engine *
op_engine_start(struct op *o, unsigned hold_alike, engine_event_fn fn, void *arg)
{
	struct session *s = o->s;
	const struct engine_opts send = { .first_req = o->next_req, .pre = &s->pre,
	    .hold_alike = hold_alike };

	o->engine = conn_engine(o->c, o->j, s->in, &s->plan, &s->out, &send, fn, arg);
	o->engine_over = false;
	o->last_progress = http_now_ms();
	if (o->interrupted)
		engine_interrupt(o->engine);
	engine_queue_pending(o->engine);
	return o->engine;
}
