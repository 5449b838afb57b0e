/* send_question.c: what a send will do, asked before it starts (see op.h:
 * send_question), and what pairs cost at the portal's budget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/op.h"
#include "hubassoc/preflight.h"
#include "hubassoc/text.h"

/* ---- the question before a send ---------------------------------------- */

/* "label      count what: line N: what was found", of the first row of
 * rows[0..n) that is (a row's class, its kept labels, its reason). */
static void
first_line(struct op_question *q, const char *label, size_t count,
    const char *what, const struct send_plan *sp, size_t row, bool pre)
{
	struct buf b = BUF_INIT;
	char a[32];

	/* "1 moves a Primary", "71 move a Primary": the verb agrees. */
	buf_printf(&b, "%-10s %s ", label, fmt_count(a, count));
	if (count == 1 && strncmp(what, " left", 5) != 0) {
		size_t verb = strcspn(what + 1, " ");
		buf_printf(&b, "%.*ss%s", (int)verb, what + 1, what + 1 + verb);
	} else {
		buf_addstr(&b, what + 1);
	}
	buf_addstr(&b, ": line ");
	input_line_label(sp->in, sp->in->rows[row].line, &b);
	buf_addstr(&b, ": ");
	if (pre)
		pre_row_describe(&b, &sp->pre->rows[row], sp->plan, sp->in, row, false,
		    sp->labels);
	else
		plan_reason_format(sp->plan, sp->in, row, &b);
	op_question_line(q, "%s", buf_str(&b));
	buf_free(&b);
}

/* What the preflight found of the rows: each class counted, then the
 * first that moves a Primary, keeps labels or names no record. */
static void
found_lines(struct op_question *q, const struct send_plan *sp, const uint32_t *rows,
    size_t n)
{
	static const enum pre_class order[] = { PRE_NEW, PRE_ADDS, PRE_THERE,
	    PRE_MOVES, PRE_NO_FROM, PRE_NO_TO };
	size_t count[PRE_CLASS_COUNT] = { 0 }, kept = 0, first_kept = SIZE_MAX, changed = 0;
	size_t first[PRE_CLASS_COUNT];
	struct buf b = BUF_INIT;
	char a[32];

	for (size_t k = 0; k < PRE_CLASS_COUNT; k++)
		first[k] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct pre_row *r = &sp->pre->rows[rows[i]];
		struct pre_type one;
		if (sp->changed != NULL && sp->changed[i]) {
			changed++;                /* another pair now: read first */
			continue;
		}
		if (count[r->cls]++ == 0)
			first[r->cls] = rows[i];
		if (pre_row_kept(r, plan_row_types(sp->plan, sp->in, rows[i]), &one, 1) > 0 &&
		    kept++ == 0)
			first_kept = rows[i];
	}
	buf_addstr(&b, "classes   ");
	size_t k = 0;
	for (size_t i = 0; i < HA_ARRAY_LEN(order); i++)
		if (count[order[i]] > 0)
			buf_printf(&b, "%s %s %s", k++ ? "," : "", fmt_count(a,
			    count[order[i]]), pre_class_label(order[i]));
	if (count[PRE_UNREAD] > 0)
		buf_printf(&b, "%s %s not read yet: read before they are sent",
		    k++ ? "," : "", fmt_count(a, count[PRE_UNREAD]));
	/* Said as what they are (before: "1 not read yet" of a pair fixed). */
	if (changed > 0)
		buf_printf(&b, "%s %s changed since: read before %s sent", k ? "," : "",
		    fmt_count(a, changed), changed == 1 ? "it is" : "they are");
	op_question_line(q, "%s", buf_str(&b));
	buf_free(&b);
	if (first[PRE_MOVES] != SIZE_MAX)
		first_line(q, "moves", count[PRE_MOVES], " move a Primary", sp,
		    first[PRE_MOVES], true);
	if (first_kept != SIZE_MAX)
		first_line(q, "keeps", kept, " keep labels the pair holds", sp,
		    first_kept, true);
	for (int c = PRE_NO_FROM; c <= PRE_NO_TO; c++)
		if (first[c] != SIZE_MAX)
			first_line(q, "no record", count[c], " name no record", sp,
			    first[c], true);
}

void
send_progress_line(struct buf *out, const struct send_progress *p, size_t cols)
{
	enum { ROWS, REQ, ETA, BUDGET, SPEED, WAIT, TAIL, N };
	/* The order they are kept in, as room allows. */
	static const int keep[N] = { ROWS, WAIT, ETA, REQ, BUDGET, SPEED, TAIL };
	char part[N][96] = { { 0 } }, a[32], b[32];
	double secs = (double)(p->now - p->started) / 1000.0;

	snprintf(part[ROWS], sizeof(part[ROWS]), "%s/%s rows", fmt_count(a, p->done),
	    fmt_count(b, p->total));
	snprintf(part[REQ], sizeof(part[REQ]), "%s req", fmt_count(a, p->requests));
	if (p->done > 0 && p->done < p->total) {
		double eta = secs / (double)p->done * (double)(p->total - p->done);
		snprintf(part[ETA], sizeof(part[ETA]), "ETA %d:%02d", (int)eta / 60,
		    (int)eta % 60);
	}
	if (p->budget && p->rate != NULL)
		snprintf(part[BUDGET], sizeof(part[BUDGET]), "%zu/%u per %gs",
		    rate_used(p->rate, p->now), p->rate->max,
		    p->rate->window_ms / 1000.0);
	/* Pairs a second against the portal's limit: its budget times
	 * HubSpot's 2,000 a create. */
	if (p->done > 0 && secs > 0.5 && p->rate != NULL)
		snprintf(part[SPEED], sizeof(part[SPEED]), "%s of %s pairs/s",
		    fmt_count(a, (size_t)((double)p->done / secs)),
		    fmt_count(b, (size_t)send_limit(p->rate)));
	if (p->wait_until > p->now)
		snprintf(part[WAIT], sizeof(part[WAIT]), "waiting %.0fs%s",
		    (double)(p->wait_until - p->now) / 1000.0 + 0.5,
		    p->wait_limited ? " (429)" : "");
	if (p->tail != NULL)
		snprintf(part[TAIL], sizeof(part[TAIL]), "%s", p->tail);
	bool on[N] = { false };
	size_t used = 0;
	for (int k = 0; k < N; k++) {
		const char *t = part[keep[k]];
		size_t w = text_width(t, strlen(t)) + (used > 0 ? 2 : 0);
		if (t[0] == '\0' || used + w > cols)
			continue;
		on[keep[k]] = true;
		used += w;
	}
	bool first = true;
	for (int k = 0; k < N; k++)
		if (on[k]) {
			buf_printf(out, "%s%s", first ? "" : "  ", part[k]);
			first = false;
		}
}

double
send_limit(const struct rate *r)
{
	return rate_per_second(r) * PLAN_CHUNK_MAX;
}

/* The seconds creates take at the budget, when the answers take
 * latency_ms (0: not known): the last one's wait after the budget's, and
 * no fewer waits than the requests in flight allow (in_flight, 0: from
 * ENGINE_IN_FLIGHT_START up once answers come; hold: the first ones the
 * engine sends before the rest, 0: none). */
static double
cost_secs(size_t creates, size_t reads, double per_s, uint64_t latency_ms,
    unsigned in_flight, unsigned hold)
{
	double secs = per_s > 0 ? (double)(creates + reads) / per_s : 0;
	double lat = (double)latency_ms / 1000.0;

	if (latency_ms == 0 || creates == 0)
		return secs;
	size_t first = in_flight > 0 ? in_flight : ENGINE_IN_FLIGHT_START;
	if (hold > 0 && hold < first)
		first = hold;
	size_t waves = in_flight > 0 && first == in_flight ?
	    (creates + in_flight - 1) / in_flight : creates > first ? 2 : 1;
	secs += lat;
	return (double)waves * lat > secs ? (double)waves * lat : secs;
}

/* A share of the limit as people read it: "95%", "under 1%", "0%". */
static const char *
share_pct(char *buf, size_t n, double share)
{
	if (share > 0 && share < 0.01)
		return "under 1%";
	snprintf(buf, n, "%.0f%%", share > 0 ? share * 100.0 : 0.0);
	return buf;
}

static void
cost(struct buf *out, enum plan_op op, size_t pairs, size_t creates,
    size_t reads, const struct rate *r, uint64_t took_ms, uint64_t latency_ms,
    unsigned in_flight, unsigned hold, bool brief)
{
	/* A write by its endpoint's last word: create, archive. */
	const char *verb = strrchr(plan_op_action(op), '/') + 1;
	double per_s = rate_per_second(r);
	double secs = took_ms > 0 ? (double)took_ms / 1000.0 :
	    cost_secs(creates, reads, per_s, latency_ms, in_flight, hold);
	double limit = send_limit(r);
	double share = secs > 0 && limit > 0 ? (double)pairs / secs / limit : 0;
	/* The budget is of requests: small ones take it all for few pairs
	 * (before: "under 1% of the portal's throughput" alone, read as the
	 * budget left for others while the send took all of it). */
	/* Of the rolling window it runs in at least: 4 requests of a
	 * 100/10s budget use 4% of it, not all (before: "100% used" of any
	 * send shorter than the window). */
	double window = r->window_ms / 1000.0;
	double span = secs > window ? secs : window;
	double used = span > 0 && per_s > 0 ? (double)(creates + reads) / span / per_s : 0;
	char a[32], b[32], c[32], d[32], e[32], f[32];

	buf_printf(out, "%s %s%s", fmt_count(a, creates), verb, creates == 1 ? "" : "s");
	if (reads > 0)
		buf_printf(out, "%s%s read%s", brief ? " + " : ", ", fmt_count(b, reads),
		    reads == 1 ? "" : "s");
	if (brief) {
		buf_printf(out, ": about %.1f s at %u/%gs (%s used), %s of the portal's "
		    "pairs a second", secs, r->max, r->window_ms / 1000.0,
		    share_pct(f, sizeof(f), used > 1 ? 1 : used),
		    share_pct(e, sizeof(e), share));
		return;
	}
	if (secs <= 0 || limit <= 0)
		return;
	size_t rate = (size_t)((double)pairs / secs);
	buf_printf(out, ": %s%.1f s%s%u/%gs%s, %s of the budget, %s pair%s a second, "
	    "%s of the portal's limit of %s a second", took_ms > 0 ? "" : "about ", secs,
	    took_ms > 0 ? " (budget " : " at ", r->max, r->window_ms / 1000.0,
	    took_ms > 0 ? ")" : "", share_pct(f, sizeof(f), used > 1 ? 1 : used),
	    fmt_count(c, rate), rate == 1 ? "" : "s", share_pct(e, sizeof(e), share),
	    fmt_count(d, (size_t)limit));
}

void
send_cost(struct buf *out, enum plan_op op, size_t pairs, size_t creates,
    size_t reads, const struct rate *r, uint64_t took_ms, bool brief)
{
	cost(out, op, pairs, creates, reads, r, took_ms, 0, 0, 0, brief);
}

void
send_cost_at(struct buf *out, enum plan_op op, size_t pairs, size_t creates,
    size_t reads, const struct rate *r, uint64_t latency_ms, unsigned in_flight,
    unsigned hold, bool brief)
{
	cost(out, op, pairs, creates, reads, r, 0, latency_ms, in_flight, hold, brief);
}

char *
send_daily_warning(const struct rate *r, size_t requests)
{
	char a[32], b[32];

	if (r == NULL || r->daily_left < 0 || requests <= (size_t)r->daily_left)
		return NULL;
	return xasprintf("the portal has %s request%s left today (its daily limit) "
	    "and this send takes %s: the rest stays not_sent, for resume once the "
	    "day's limit is back", fmt_count(a, (size_t)r->daily_left),
	    r->daily_left == 1 ? "" : "s", fmt_count(b, requests));
}

void
send_question(struct op_question *q, const struct send_plan *sp)
{
	const struct plan *p = sp->plan;
	const uint32_t *rows = sp->rows != NULL ? sp->rows : p->order;
	size_t n = sp->rows != NULL ? sp->n : p->nsend;
	char a[32], b[32], *title;

	if (sp->kind == SEND_RESUME)
		title = xasprintf("Resume session %s: send %s pair%s to %s?", sp->session,
		    fmt_count(a, n), n == 1 ? "" : "s", sp->base_url);
	else if (sp->kind == SEND_AGAIN && sp->again > 0 && sp->again < n)
		/* Some never left (invalid rows fixed): "again" of the others. */
		title = xasprintf("Send %s pairs (%s again) to %s?", fmt_count(a, n),
		    fmt_count(b, sp->again), sp->base_url);
	else
		title = xasprintf("Send %s pair%s%s to %s?", fmt_count(a, n),
		    n == 1 ? "" : "s", sp->kind == SEND_AGAIN ? " again" : "", sp->base_url);
	op_question_set(q, title, title);
	free(title);
	size_t chunks = (n + p->chunk_size - 1) / p->chunk_size;
	op_question_line(q, "pairs      %s, %s to %s, in %s request%s of up to %zu",
	    fmt_count(a, n), objtype_name(&p->from), objtype_name(&p->to),
	    fmt_count(b, chunks), chunks == 1 ? "" : "s", p->chunk_size);
	if (sp->rate != NULL && sp->rate->window_ms > 0) {
		/* Short, as the question's lines are. */
		struct buf c = BUF_INIT;
		send_cost_at(&c, p->op, n, chunks, sp->reads, sp->rate, sp->latency_ms,
		    sp->in_flight, sp->hold, true);
		op_question_line(q, "cost       %s", buf_str(&c));
		buf_free(&c);
	}
	char *daily = send_daily_warning(sp->rate, chunks);
	if (daily != NULL)
		op_question_line(q, "warning    %s", daily);
	free(daily);
	op_question_line(q, "portal     %s%s%s%s", sp->base_url,
	    sp->profile != NULL ? " (" : "", sp->profile != NULL ? sp->profile : "",
	    sp->profile != NULL ? ")" : "");
	if (sp->kind == SEND_RESUME)
		op_question_line(q, "session    %s, send %zu, where it stopped",
		    sp->session, sp->send);
	else if (sp->other_url != NULL)
		op_question_line(q, "session    new: the pairs' session %s went to %s, "
		    "not here", sp->other_session, sp->other_url);
	else if (sp->other_why != NULL)
		op_question_line(q, "session    new: session %s %s", sp->other_session,
		    sp->other_why);
	else if (sp->send <= 1)
		op_question_line(q, "session    new%s%s", sp->session != NULL ? ": " : "",
		    sp->session != NULL ? sp->session : "");
	else
		op_question_line(q, "session    %s, send %zu", sp->session, sp->send);
	if (sp->limits != NULL)
		op_question_line(q, "limits     %s", sp->limits);
	if (sp->unconfirmed > 0)
		op_question_line(q, "read back  %s unconfirmed first: sent, and no "
		    "usable answer came", fmt_count(a, sp->unconfirmed));
	if (sp->fixed > 0)
		op_question_line(q, "fixed      %s since they failed or were invalid",
		    fmt_count(a, sp->fixed));
	const char *unread;
	if (sp->pre != NULL && sp->pre->rows != NULL)
		found_lines(q, sp, rows, n);
	else if ((unread = preflight_skipped_warning(p, sp->in, rows, n)) != NULL)
		op_question_line(q, "warning    %s", unread);
	else if (sp->flags & ASSOC_F_PRIMARY)
		op_question_line(q, "Primary    moves each record's primary: the old "
		    "one stays associated, unlabeled");
	send_question_left_out(q, sp);
}

void
send_question_left_out(struct op_question *q, const struct send_plan *sp)
{
	const struct plan *p = sp->plan;
	char a[32];

	if (sp->rows == NULL) {
		/* What the plan leaves out: each kind, the first by its line. */
		size_t invalid = 0, conflict = 0, fi = SIZE_MAX, fc = SIZE_MAX;
		for (size_t i = 0; i < sp->in->nrows; i++) {
			if (p->state[i] != PLAN_INVALID)
				continue;
			if (plan_row_conflicts(p, sp->in, i)) {
				if (conflict++ == 0)
					fc = i;
			} else if (invalid++ == 0) {
				fi = i;
			}
		}
		if (invalid > 0)
			first_line(q, "invalid", invalid, " left out", sp, fi, false);
		if (conflict > 0)
			first_line(q, "conflicts", conflict, " left out", sp, fc, false);
		/* A repeat goes once, with its first; one whose first an
		 * earlier send of the session held is left out with it. */
		size_t with = 0, before = 0;
		for (size_t i = 0; p->nduplicate > 0 && i < sp->in->nrows; i++)
			if (p->state[i] == PLAN_DUPLICATE) {
				bool earlier = p->other[i] < p->nrows &&
				    p->state[p->other[i]] == PLAN_EARLIER;
				with += !earlier;
				before += earlier;
			}
		if (with > 0)
			op_question_line(q, "duplicate  %s sent once", fmt_count(a, with));
		if (before > 0)
			op_question_line(q, "repeats    %s left out: their pairs were sent "
			    "before", fmt_count(a, before));
	}
	if (sp->created > 0) {
		/* Relabeled, removed: the operation's word. */
		const char *done = outcome_word(OUTCOME_CREATED, p->op);
		op_question_line(q, "%-10s %s left out: %s before, unchanged since",
		    done, fmt_count(a, sp->created), done);
	}
	if (sp->unfit > 0)
		op_question_line(q, "changed    %s left out: not valid as they read now",
		    fmt_count(a, sp->unfit));
	if (sp->pasted > 0)
		op_question_line(q, "pasted     %s since left out: S sends them",
		    fmt_count(a, sp->pasted));
}
