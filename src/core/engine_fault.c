/* engine_fault.c: which rows are at fault.  A refused request that names
 * no row is halved until the rows at fault are found (or both halves are
 * refused alike: the request was); and when the first chunks' rows all
 * fail alike, the engine holds before more leave. */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* The hold's look at rows of the first chunks just settled: one created,
 * or two failed otherwise, and it has nothing to hold for. */
void
eng_alike_settled(struct engine *e, const uint32_t *rows, size_t n)
{
	const char *cat, *msg;

	for (size_t i = 0; e->alike.open && i < n; i++) {
		enum outcome st = e->o->state[rows[i]];
		if (!e->alike.row[rows[i]])
			continue;
		e->alike.row[rows[i]] = 0;
		e->alike.settled++;
		if (st == OUTCOME_CREATED) {
			e->alike.open = false;
		} else if (st != OUTCOME_FAILED) {
			e->alike.differ = true;     /* not sent, unconfirmed */
		} else {
			e->alike.failed++;
			if (!outcomes_row_cause(e->o, e->p, e->in, rows[i], &cat, &msg))
				cat = msg = "";
			if (e->alike.cat == NULL) {
				e->alike.cat = xstrdup(cat);
				e->alike.msg = xstrdup(msg);
			} else if (strcmp(cat, e->alike.cat) != 0 ||
			    strcmp(msg, e->alike.msg) != 0) {
				e->alike.differ = true;
			}
		}
	}
}

/* After an answer: once the first chunks' rows are all settled, every one
 * failed alike and more are to go, the engine holds (nothing new leaves
 * until engine_hold lets go, or engine_stop_at_hold). */
void
eng_alike_check(struct engine *e)
{
	bool more = false;

	if (!e->alike.open || e->alike.settled < e->alike.want)
		return;
	for (const struct call *x = e->c->head; x != NULL && !more; x = x->next)
		more = ENG_JOB(x)->first && x->tries.attempts == 0;
	if (e->alike.sent < e->opts.hold_alike && more)
		return;         /* the first chunks are not all gone yet */
	e->alike.open = false;
	if (e->alike.differ || e->alike.cat == NULL || !more || e->c->stopping)
		return;
	e->alike.holding = true;
	e->c->held = true;
	eng_event(e, ENGINE_EV_HOLD, 0, e->alike.failed, 0, NULL);
}

/* "CATEGORY\nmessage": what makes two refusals alike. */
static char *
refusal_sig(const struct hs_error *e)
{
	return xasprintf("%s\n%s", e->category != NULL ? e->category : "",
	    e->message != NULL ? e->message : "");
}

void
eng_split_release(struct split *sp)
{
	if (sp != NULL && sp->open == 0 && sp->parked == NULL) {
		hs_error_clear(sp->error);
		free(sp->error);
		free(sp->sig);
		free(sp);
	}
}

static void halve(struct engine *e, struct job *j, const struct response *r);

/* A half answered otherwise than its sibling-to-be: the fault is in some
 * rows after all, so a half parked alike is halved in its turn. */
void
eng_split_answered(struct engine *e, struct job *j, bool alike)
{
	struct split *sp = j->split;

	if (sp == NULL)
		return;
	j->split = NULL;
	sp->open--;
	if (alike)
		return;
	sp->differed = true;
	if (sp->parked != NULL) {
		struct job *p = sp->parked;
		struct response r = { .http_status = sp->http, .kind = RESPONSE_ERROR };
		sp->parked = NULL;
		r.error = *sp->error;
		halve(e, p, &r);
		eng_job_free(p);
	}
	eng_split_release(sp);
}

/* Halves a refused request that named no row, both halves sent. */
static void
halve(struct engine *e, struct job *j, const struct response *r)
{
	struct split *sp = xcalloc(1, sizeof(*sp));
	size_t half = j->n / 2;
	struct job *a = eng_job_new(j->rows, half, j->chunk);
	struct job *b = eng_job_new(j->rows + half, j->n - half, j->chunk);

	sp->sig = refusal_sig(&r->error);
	sp->error = hs_error_dup(&r->error);
	sp->http = (uint16_t)r->http_status;
	sp->open = 2;
	a->narrowing = b->narrowing = true;
	a->split = b->split = sp;
	eng_push_front(e, b);
	eng_push_front(e, a);
}

/* Fails rows[0..n) with a copy of err. */
static void
fail_rows(struct engine *e, const uint32_t *rows, size_t n, uint32_t chunk,
    const struct hs_error *err, uint16_t http)
{
	uint32_t x = outcomes_add_error(e->o, hs_error_dup(err), chunk, http, false);

	for (size_t i = 0; i < n; i++)
		outcomes_set(e->o, rows[i], OUTCOME_FAILED, http, x);
}

/* A refused request: fail the rows it names; send the rest again, or
 * halve it to find the rows at fault, unless both halves are refused
 * alike: then the request, not a row, is at fault, and all its rows fail
 * with the refusal (a uniform 400 costs 3 requests, not 2n - 1). */
void
eng_refused(struct engine *e, struct job *j, const struct response *r)
{
	uint32_t *rest = xcalloc(j->n + 1, sizeof(*rest));
	size_t err0 = e->o->nerrors, lab0 = e->o->nlabel_sets;
	size_t k = join_refusal(e->o, e->p, e->in, j->rows, j->n, j->chunk, r, rest);
	struct split *sp = j->split;
	char *sig = k == j->n ? refusal_sig(&r->error) : NULL;
	/* One row refused is that row's error, whatever its sibling says. */
	bool alike = sp != NULL && !sp->differed && sig != NULL && j->n > 1 &&
	    strcmp(sig, sp->sig) == 0;

	eng_split_answered(e, j, alike);
	if (alike && sp->parked != NULL) {
		/* Both halves alike: the whole request was at fault. */
		struct job *p = sp->parked;
		sp->parked = NULL;
		fail_rows(e, p->rows, p->n, p->chunk, sp->error, sp->http);
		fail_rows(e, j->rows, j->n, j->chunk, &r->error, (uint16_t)r->http_status);
		eng_record(e, p->rows, p->n, err0, lab0);
		eng_record(e, j->rows, j->n, e->o->nerrors, e->o->nlabel_sets);
		eng_job_free(p);
		eng_split_release(sp);
	} else if (alike) {
		/* Its sibling decides: parked until it answers. */
		sp->parked = j;
		j = NULL;
	} else if (k == j->n && j->n == 1) {
		/* Narrowed to one row: the error is its own. */
		fail_rows(e, j->rows, 1, j->chunk, &r->error, (uint16_t)r->http_status);
		eng_record(e, j->rows, j->n, err0, lab0);
	} else if (k == j->n) {
		halve(e, j, r);
	} else {
		/* The rest sent again is a request the refused rows cost, as
		 * a half is (before: "2 requests ... 0 to isolate refused
		 * rows" of a chunk and its rest). */
		if (k > 0) {
			struct job *r2 = eng_job_new(rest, k, j->chunk);
			r2->narrowing = true;
			eng_push_front(e, r2);
		}
		eng_record(e, j->rows, j->n, err0, lab0);
	}
	free(sig);
	free(rest);
	eng_job_free(j);
}

void
engine_hold(struct engine *e, bool hold)
{
	e->c->held = hold;
}

bool
engine_holding(const struct engine *e, const char **category,
    const char **message, size_t *failed)
{
	if (!e->alike.holding || !e->c->held)
		return false;
	*category = e->alike.cat;
	*message = e->alike.msg;
	*failed = e->alike.failed;
	return true;
}

void
engine_stop_at_hold(struct engine *e)
{
	e->alike.stopped = true;
	eng_stop(e, ENGINE_INTERRUPTED, NULL);
	e->c->held = false;
}

bool
engine_stopped_at_hold(const struct engine *e)
{
	return e->alike.stopped;
}

size_t
engine_rows_waiting(const struct engine *e)
{
	size_t n = 0;

	for (const struct call *x = e->c->head; x != NULL; x = x->next)
		for (size_t i = 0; i < ENG_JOB(x)->n; i++)
			n += e->o->state[ENG_JOB(x)->rows[i]] == OUTCOME_PENDING;
	return n;
}
