/* results.c: every row's outcome, live while sending: filter, sort, jump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/text.h"

enum sort_key { SORT_LINE, SORT_OUTCOME, SORT_ERROR, SORT_FROM, SORT_TO };

/* What s goes through, in turn: each order, and its reverse where that
 * helps (failures first is the outcome order's point). */
static const struct sorting {
	enum sort_key key;
	bool reverse;
	const char *name;
} sortings[] = {
	{ SORT_LINE, false, "line" },
	{ SORT_OUTCOME, false, "outcome, failures first" },
	{ SORT_OUTCOME, true, "outcome, created first" },
	{ SORT_ERROR, false, "error" },
	{ SORT_FROM, false, "from" },
	{ SORT_TO, false, "to" },
	{ SORT_LINE, true, "line, last first" },
};

/* Outcomes as an admin reads them: what needs doing first. */
static const uint8_t outcome_rank[OUTCOME_COUNT] = {
	[OUTCOME_FAILED] = 0, [OUTCOME_UNCONFIRMED] = 1, [OUTCOME_NOT_SENT] = 2,
	[OUTCOME_INVALID] = 3, [OUTCOME_PENDING] = 4, [OUTCOME_PLANNED] = 5,
	[OUTCOME_DUPLICATE] = 6, [OUTCOME_CREATED] = 7, [OUTCOME_UNCHANGED] = 8,
	[OUTCOME_UNDONE] = 9, [OUTCOME_EDITED] = 3,
};

struct results {
	uint32_t *idx;         /* the rows shown, when filtered or sorted */
	size_t n;
	bool identity;         /* every row, in order: no index needed */
	char *filter;
	size_t sort;           /* which of sortings[] */
	uint8_t *marked;
	size_t nmarked;
	const struct run *marks_for;   /* the run the marks belong to */
	int idw;                       /* the ID columns' width */
	int lw;                        /* the line column's */
	uint64_t rebuilt;
};

static struct results *
R(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct results));
	return v->data;
}

static bool
matches(const struct app *a, const struct run *r, size_t row, const char *f)
{
	const struct input_row *ir = &r->in->rows[row];
	enum outcome o;
	char line[16];
	size_t src;

	if (outcome_parse(f, &o) == 0)
		return r->out->state[row] == o;
	/* A line by its number in its source, or by its label. */
	const struct input *lines = r->in;
	snprintf(line, sizeof(line), "%u", input_source_line(lines, ir->line, &src));
	struct buf label = BUF_INIT;
	input_line_label(lines, ir->line, &label);
	bool hit = strcmp(line, f) == 0 || strcmp(buf_str(&label), f) == 0;
	buf_free(&label);
	if (hit || strcasestr(input_from(r->in, ir), f) != NULL ||
	    strcasestr(input_to(r->in, ir), f) != NULL ||
	    app_row_mentions(r->in, r->s->names, row, f))
		return true;
	const struct hs_error *e = outcomes_error(r->out, row);
	if (e != NULL && ((e->message != NULL && strcasestr(e->message, f) != NULL) ||
	    (e->category != NULL && strcasestr(e->category, f) != NULL)))
		return true;
	/* What the row says (a verify's finding, its labels, its records'
	 * names), as the list shows it. */
	struct buf said = BUF_INIT;
	app_row_outcome_text(a, r, row, &said);
	hit = strcasestr(buf_str(&said), f) != NULL;
	buf_free(&said);
	return hit;
}

struct sort_ctx {
	const struct run *run;
	const struct sorting *by;
};

static int
cmp_rows(const void *x, const void *y, void *arg)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	const struct sort_ctx *ctx = arg;
	const struct run *r = ctx->run;
	const struct sorting *sort_by = ctx->by;
	int c = 0;

	switch (sort_by->key) {
	case SORT_OUTCOME:
		c = (int)outcome_rank[r->out->state[a]] - (int)outcome_rank[r->out->state[b]];
		break;
	case SORT_ERROR: {
		const struct hs_error *ea = outcomes_error(r->out, a), *eb = outcomes_error(r->out, b);
		c = strcmp(ea && ea->message ? ea->message : "",
		    eb && eb->message ? eb->message : "");
		break;
	}
	case SORT_FROM: case SORT_TO: {
		const char *sa = sort_by->key == SORT_FROM ?
		    input_from(r->in, &r->in->rows[a]) : input_to(r->in, &r->in->rows[a]);
		const char *sb = sort_by->key == SORT_FROM ?
		    input_from(r->in, &r->in->rows[b]) : input_to(r->in, &r->in->rows[b]);
		/* IDs: shorter is smaller, then by digits. */
		c = strlen(sa) != strlen(sb) ? (strlen(sa) < strlen(sb) ? -1 : 1) :
		    strcmp(sa, sb);
		break;
	}
	default:
		break;
	}
	if (c == 0)
		c = a < b ? -1 : a > b;
	return sort_by->reverse ? -c : c;
}

void
view_results_rebuild(struct view *v)
{
	struct results *s = R(v);
	const struct run *r = v->app->run;

	free(s->idx);
	s->idx = NULL;
	s->n = 0;
	if (r == NULL || r->in == NULL)
		return;
	if (s->marks_for != r) {
		/* Another session's results: a filter set for the last would
		 * hide rows unseen, so it goes (the order stays). */
		free(s->filter);
		s->filter = NULL;
		free(s->marked);
		s->marked = xcalloc(r->in->nrows + 1, 1);
		s->nmarked = 0;
		s->marks_for = r;
		s->idw = app_id_width(r->in) + 1;
	}
	/* The session's rows: not the pairs added since, which no send
	 * holds yet. */
	size_t nrows = app_run_rows(v->app, r);
	s->identity = (s->filter == NULL || s->filter[0] == '\0') && s->sort == 0;
	if (s->identity) {
		s->n = nrows;
		return;
	}
	s->idx = xcalloc(nrows + 1, sizeof(*s->idx));
	for (size_t i = 0; i < nrows; i++)
		if (s->filter == NULL || s->filter[0] == '\0' || matches(v->app, r, i, s->filter))
			s->idx[s->n++] = (uint32_t)i;
	if (s->sort != 0) {
		struct sort_ctx ctx = { r, &sortings[s->sort] };
		qsort_r(s->idx, s->n, sizeof(*s->idx), cmp_rows, &ctx);
	}
	s->rebuilt = http_now_ms();
}

static size_t
row_at(struct view *v, size_t i)
{
	struct results *s = R(v);

	return s->identity ? i : s->idx[i];
}

static size_t
count(struct view *v)
{
	struct results *s = R(v);
	const struct run *r = v->app->run;

	if (r == NULL)
		return 0;
	if (!s->identity && r->running && http_now_ms() - s->rebuilt > 1000)
		view_results_rebuild(v);   /* a filter follows the outcomes */
	return s->identity ? app_run_rows(v->app, r) : s->n;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	const struct run *r = v->app->run;
	struct results *s = R(v);
	size_t row = row_at(v, i);
	const struct input_row *ir = &r->in->rows[row];
	enum outcome o = (enum outcome)r->out->state[row];
	enum role base = cursor ? ROLE_CURSOR : s->marked[row] ? ROLE_MARKED : ROLE_DEFAULT;
	char buf[32];
	int x = 0;

	struct buf cell = BUF_INIT;
	buf_addc(&cell, s->marked[row] ? '*' : ' ');
	app_line_cell(r->in, ir->line, s->lw - 1, &cell);
	x += draw_text(y, x, s->lw + 1, buf_str(&cell), cursor ? base : ROLE_DIM, true);
	buf_free(&cell);
	if (ir->status == ROW_INVALID && ir->field == 0) {
		x += draw_text(y, x, 2 * s->idw, input_detail(r->in, ir), base, true);
	} else {
		x += draw_text(y, x, s->idw - 1, input_from(r->in, ir), base, true);
		x += draw_text(y, x, 1, " ", base, true);
		x += draw_text(y, x, s->idw - 1, input_to(r->in, ir), base, true);
		x += draw_text(y, x, 1, " ", base, true);
	}
	int ow = app_outcome_width(r);
	x += draw_text(y, x, ow - 1, outcome_word(o, r->plan->op), cursor ? base :
	    app_outcome_role(o), true);
	x += draw_text(y, x, 1, " ", base, true);
	if (r->out->http[row] != 0)
		snprintf(buf, sizeof(buf), "%u ", r->out->http[row]);
	else
		snprintf(buf, sizeof(buf), "- ");
	x += draw_text(y, x, 5, buf, cursor ? base : ROLE_DIM, true);
	struct buf e = BUF_INIT;
	app_row_outcome_text(v->app, r, row, &e);
	draw_text(y, x, w - x, buf_str(&e), cursor ? base :
	    o == OUTCOME_FAILED ? ROLE_ERROR : ROLE_DEFAULT, true);
	buf_free(&e);
}
/* The counts of the rows' states: created to not_sent always (but those
 * at 0, when brief), the others when some row is in them. */
static void
count_line(struct buf *b, const struct outcomes *o, enum plan_op op, bool brief)
{
	static const enum outcome always[] = { OUTCOME_FAILED, OUTCOME_INVALID,
	    OUTCOME_DUPLICATE, OUTCOME_NOT_SENT };
	static const enum outcome some[] = { OUTCOME_UNCONFIRMED, OUTCOME_EDITED,
	    OUTCOME_UNDONE, OUTCOME_UNCHANGED, OUTCOME_PENDING };
	char n[32];

	buf_printf(b, "%s %s", outcome_word(OUTCOME_CREATED, op),
	    fmt_count(n, o->count[OUTCOME_CREATED]));
	for (size_t i = 0; i < HA_ARRAY_LEN(always); i++)
		if (!brief || o->count[always[i]] > 0)
			buf_printf(b, "  %s %s", outcome_name(always[i]),
			    fmt_count(n, o->count[always[i]]));
	for (size_t i = 0; i < HA_ARRAY_LEN(some); i++)
		if (o->count[some[i]] > 0)
			buf_printf(b, "  %s %s", outcome_name(some[i]),
			    fmt_count(n, o->count[some[i]]));
}


static int
draw_head(struct view *v, int y, int w)
{
	struct app *a = v->app;
	const struct run *r = a->run;
	struct results *s = R(v);
	char n[7][32];
	struct buf b = BUF_INIT;
	int rows = 0;

	if (r == NULL) {
		return draw_wrapped(y, 0, w, "Nothing sent yet: S sends the pairs "
		    "(from here or the pairs view), or Enter in the history (5) "
		    "opens a session sent before.", ROLE_DIM, 3);
	}
	/* The counts of the rows shown: the session's, not the pairs added
	 * since (before: "pending 5" over a list without them). */
	struct outcomes shown = *r->out;
	for (size_t i = app_run_rows(a, r); i < r->out->n; i++)
		shown.count[r->out->state[i]]--;
	const struct outcomes *o = &shown;
	if (r->running && r->engine != NULL) {
		const struct engine_stats *st = engine_stats(r->engine);
		size_t done = r->total - app_run_to_settle(r);
		uint64_t now = http_now_ms();
		int bar = w > 120 ? 30 : w / 8, filled = r->total ?
		    (int)((double)done / (double)r->total * bar) : bar;
		draw_fill(y, 0, w, ROLE_DEFAULT);
		draw_fill(y, 0, filled, ROLE_PROGRESS);
		draw_fill(y, filled, bar - filled, ROLE_DIM);
		/* The budget's use is the header's; here what fits whole, what
		 * matters most kept (before: the time left cut at 80). */
		const struct send_progress p = { .done = done, .total = r->total,
		    .requests = st->requests, .started = r->started, .now = now,
		    .wait_until = st->wait_until, .wait_limited = st->wait_limited,
		    .rate = &a->conn.rate, .tail = "C-c stops" };
		buf_addc(&b, ' ');
		send_progress_line(&b, &p, (size_t)(w - bar - 1));
		draw_text(y, bar, w - bar, buf_str(&b), ROLE_DEFAULT, true);
	} else {
		buf_printf(&b, "Session %s%s", r->id, r->resumed ? " (resumed)" :
		    r->loaded && !app_run_is_work(a, r) ? " (read-only)" : "");
		/* Its undo stopped half way: the rows it took back are undone,
		 * the rest as the session left them (before: nothing said). */
		if (r->stop_msg == NULL && r->s->meta.undo == SESSION_UNDO_BEGUN)
			buf_addstr(&b, ": undo half done (r in History)");
		if (r->stop_msg != NULL)
			buf_printf(&b, ": %s", r->stop_msg);
		draw_text(y, 0, w, buf_str(&b), r->stop_msg ? ROLE_ERROR : ROLE_TITLE, true);
	}
	rows++;
	buf_reset(&b);
	count_line(&b, o, r->plan->op, false);
	/* Too wide (unconfirmed and pending after a kill, at 80 columns):
	 * the states no row is in give way first. */
	if ((int)text_width(b.data, b.len) > w) {
		buf_reset(&b);
		count_line(&b, o, r->plan->op, true);
	}
	/* What the list is (filtered, sorted, marked): beside the counts, or
	 * on a line of its own when both do not fit. */
	struct buf list = BUF_INIT;
	if (s->filter != NULL && s->filter[0] != '\0')
		buf_printf(&list, "   filter '%s': %s row%s", s->filter, fmt_count(n[1],
		    s->n), plural_s(s->n));
	if (s->sort != 0)
		buf_printf(&list, "   sorted by %s", sortings[s->sort].name);
	if (s->nmarked > 0)
		buf_printf(&list, "   %s marked", fmt_count(n[0], s->nmarked));
	if (list.len > 0 && (int)(text_width(b.data, b.len) +
	    text_width(list.data, list.len)) > w) {
		draw_text(y + rows++, 0, w, buf_str(&b), ROLE_DEFAULT, true);
		buf_reset(&b);
		buf_addstr(&b, list.data + 3);
	} else {
		buf_addstr(&b, buf_str(&list));
	}
	buf_free(&list);
	draw_text(y + rows++, 0, w, buf_str(&b), ROLE_DEFAULT, true);
	buf_reset(&b);
	/* The pairs' sources name the lines, and a paste since adds one:
	 * measured as drawn. */
	s->lw = app_line_width(r->in);
	buf_printf(&b, "%*s %-*s%-*s%-*sHTTP ERROR", s->lw, "LINE", s->idw, "FROM",
	    s->idw, "TO", app_outcome_width(r), "OUTCOME");
	draw_text(y + rows, 0, w, buf_str(&b), ROLE_COLUMN, true);
	rows++;
	buf_free(&b);
	return rows;
}

static void
view_filter(struct view *v, const char *text)
{
	struct results *s = R(v);

	free(s->filter);
	s->filter = xstrdup(text);
	view_results_rebuild(v);
	v->cursor = 0;
	v->top = 0;
}

static void
done(struct view *v)
{
	struct results *s = R(v);

	free(s->idx);
	free(s->filter);
	free(s->marked);
}

static bool
action(struct view *v, enum action act)
{
	struct app *a = v->app;
	struct results *s = R(v);
	const struct run *r = a->run;

	if (r == NULL)
		return false;
	size_t n = count(v);
	switch (act) {
	case ACT_SELECT:
		if (v->cursor < n)
			app_jump_to_pair(a, row_at(v, v->cursor));
		return true;
	case ACT_DETAIL:
		if (v->cursor < n)
			app_show_run_row(a, row_at(v, v->cursor));
		return true;
	case ACT_PORTAL:
		if (v->cursor < n && a->run->in->rows[row_at(v, v->cursor)].status ==
		    ROW_VALID) {
			const char *from = input_from(a->run->in,
			    &a->run->in->rows[row_at(v, v->cursor)]);
			view_portal_read(a, &a->run->plan->from, &a->run->plan->to, &from, 1);
		}
		return true;
	case ACT_VIEW_ERRORS:
		if (v->cursor < n)
			view_errors_focus(&a->views[VIEW_ERRORS], row_at(v, v->cursor));
		app_show(a, VIEW_ERRORS);
		return true;
	case ACT_FILTER:
		prompt_open(a, PROMPT_FILTER, "filter (an outcome, or text): ",
		    s->filter);
		return true;
	case ACT_SORT:
		s->sort = (s->sort + 1) % HA_ARRAY_LEN(sortings);
		view_results_rebuild(v);
		app_status(a, false, "sorted by %s", sortings[s->sort].name);
		return true;
	case ACT_TOGGLE:
		if (v->cursor < n) {
			size_t row = row_at(v, v->cursor);
			s->marked[row] = !s->marked[row];
			s->nmarked += s->marked[row] ? 1 : (size_t)-1;
			view_list_action(v, ACT_DOWN);
		}
		return true;
	case ACT_RESEND:
		if (s->nmarked == 0) {
			app_resend_failed(a);
			return true;
		}
		uint32_t *rows = xcalloc(s->nmarked, sizeof(*rows));
		size_t k = 0;
		for (size_t i = 0; i < app_run_rows(a, r) && k < s->nmarked; i++)
			if (s->marked[i])
				rows[k++] = (uint32_t)i;
		app_resend_run_rows(a, rows, k);
		free(rows);
		return true;
	case ACT_CANCEL:
		app_cancel(a);
		return true;
	default:
		return false;
	}
}

const struct view_ops view_results_ops = {
	.name = "results", .title = "Results",
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .filter = view_filter, .done = done,
};
