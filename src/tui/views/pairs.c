/* pairs.c: the pairs editor: every row with its validation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"

/* A filter: the rows shown, by index, remade when the data changes. */
struct pairs {
	char *filter;
	uint32_t *idx;
	size_t n;
	uint64_t gen;
	int types_w;              /* TYPES' width, measured with the heading */
	uint64_t made_gen;        /* the change (gen + 1) done and same are of */
	size_t done, same;        /* valid pairs the session made, found as asked */
};

static struct pairs *
P(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct pairs));
	return v->data;
}

static bool
filtered(struct view *v)
{
	const struct pairs *p = P(v);

	return p->filter != NULL && p->filter[0] != '\0';
}

static const char *state_of(const struct app *a, size_t i, enum role *role,
    struct buf *reason);

/* A row matches a state's name (ok, invalid, duplicate, failed, created,
 * ...), its line number, or part of an ID or of its reason. */
static bool
matches(const struct app *a, size_t i, const char *f)
{
	const struct input_row *r = &a->ws.pairs->rows[i];
	struct buf reason = BUF_INIT;
	enum role role;
	char line[16];
	bool m;
	size_t src;
	struct buf label = BUF_INIT;

	const char *state = state_of(a, i, &role, &reason);
	/* A line by its number in its source, or by its label. */
	snprintf(line, sizeof(line), "%u", input_source_line(a->ws.pairs, r->line, &src));
	input_line_label(a->ws.pairs, r->line, &label);
	m = strcmp(state, f) == 0 || strcmp(line, f) == 0 ||
	    strcmp(buf_str(&label), f) == 0 ||
	    strstr(input_from(a->ws.pairs, r), f) != NULL ||
	    strstr(input_to(a->ws.pairs, r), f) != NULL ||
	    strcasestr(buf_str(&reason), f) != NULL ||
	    app_row_mentions(a->ws.pairs, a->ws.names, i, f);
	buf_free(&reason);
	buf_free(&label);
	return m;
}

static void
refilter(struct view *v)
{
	struct pairs *p = P(v);
	const struct app *a = v->app;

	free(p->idx);
	p->idx = NULL;
	p->n = 0;
	p->gen = a->gen;
	if (!filtered(v))
		return;
	p->idx = xcalloc(a->ws.pairs->nrows + 1, sizeof(*p->idx));
	for (size_t i = 0; i < a->ws.pairs->nrows; i++)
		if (matches(a, i, p->filter))
			p->idx[p->n++] = (uint32_t)i;
}

static size_t
count(struct view *v)
{
	struct pairs *p = P(v);

	if (!filtered(v))
		return v->app->ws.pairs->nrows;
	if (p->gen != v->app->gen)
		refilter(v);
	return p->n;
}

/* The row at a place of the list. */
static size_t
row_at(struct view *v, size_t i)
{
	return filtered(v) ? P(v)->idx[i] : i;
}

static void
pairs_filter(struct view *v, const char *text)
{
	struct pairs *p = P(v);

	free(p->filter);
	p->filter = xstrdup(text);
	refilter(v);
	v->cursor = v->top = 0;
}

static void
done(struct view *v)
{
	free(P(v)->filter);
	free(P(v)->idx);
}

void
view_pairs_goto(struct view *v, size_t row)
{
	if (filtered(v))
		pairs_filter(v, "");
	v->cursor = row;
	view_list_clamp(v);
}

/* What a row is, for the STATE and REASON columns: the last send's outcome
 * when the row went in it, else its validation. */
/* The session row whose outcome a pair shows: one a send decided, its IDs
 * and, once the pairs are planned, its choice (operation, relabel, types)
 * as the pair reads now; SIZE_MAX for none.  *then: the outcome of a row
 * the pair was changed from since, or sent with other choices (*why
 * says which), else NULL. */
static size_t
shown_run_row(const struct app *a, size_t i, const char **then, const char **why)
{
	const struct input_row *r = &a->ws.pairs->rows[i];
	size_t rr = app_run_row_of_pair(a, i);

	*then = NULL;
	if (rr == SIZE_MAX)
		return SIZE_MAX;
	const struct input *sent = a->run->in;
	enum outcome o = (enum outcome)a->run->out->state[rr];
	if (o == OUTCOME_DUPLICATE)
		return SIZE_MAX;
	bool edited = strcmp(input_from(sent, &sent->rows[rr]), input_from(a->ws.pairs, r)) != 0 ||
	    strcmp(input_to(sent, &sent->rows[rr]), input_to(a->ws.pairs, r)) != 0;
	/* Invalid then, valid now: said so (before: an empty REASON). */
	if (o == OUTCOME_INVALID) {
		*then = edited ? "invalid" : NULL;
		*why = "fixed since the send";
		return SIZE_MAX;
	}
	*why = "edited since the send";
	if (edited) {
		*then = outcome_word(o, a->run->plan->op);
		return SIZE_MAX;
	}
	/* Another operation or types since: S sends it as they say, not
	 * as it went (before: "removed, already there" shown over a create,
	 * "unchanged, already 36" over type 44). */
	*why = "sent with other choices";
	if (app_pairs_planned(a) && (!plan_same_op(&a->plan, a->run->plan) ||
	    !app_types_as_sent(a, a->run, rr, i))) {
		*then = outcome_word(o, a->run->plan->op);
		return SIZE_MAX;
	}
	return rr;
}

/* What the preflight found of run r's row rr, when it read it: its text
 * in reason, and whether there was something. */
static const struct pre_row *
looked(const struct app *a, const struct run *r, size_t rr, struct buf *reason,
    bool brief)
{
	const struct pre_row *x;

	if (r == NULL || rr == SIZE_MAX || r->s->pre.rows == NULL ||
	    rr >= r->s->pre.n || (x = &r->s->pre.rows[rr])->cls == PRE_UNREAD)
		return NULL;
	/* A remove's or a relabel's class, as its plan says it (before:
	 * "removed   already there", a create's words). */
	if (r->plan->op != PLAN_OP_CREATE)
		pre_row_change_describe(reason, x, r->plan, r->in, rr, &a->labels);
	else
		pre_row_describe(reason, x, r->plan, r->in, rr, brief, &a->labels);
	return x;
}

static const char *
state_of(const struct app *a, size_t i, enum role *role, struct buf *reason)
{
	const struct input_row *r = &a->ws.pairs->rows[i];
	const char *then, *then_why;
	size_t rr = shown_run_row(a, i, &then, &then_why);
	const struct pre_row *x;

	/* Asked to send: what each pair about to go would change, as the
	 * preflight read it; the others keep their states meanwhile. */
	size_t pr = a->pending != NULL ? app_row_of_pair_in(a, a->pending, i) : SIZE_MAX;
	if (pr != SIZE_MAX && a->pending->plan->state[pr] == PLAN_SEND &&
	    (a->pending->out == NULL || a->pending->out->state[pr] == OUTCOME_PENDING) &&
	    (x = looked(a, a->pending, pr, reason, true)) != NULL) {
		*role = x->cls == PRE_MOVES ? ROLE_WARNING : x->cls == PRE_NO_FROM ||
		    x->cls == PRE_NO_TO ? ROLE_ERROR : ROLE_OK;
		return "ok";
	}
	if (rr != SIZE_MAX) {
		enum outcome o = (enum outcome)a->run->out->state[rr];
		*role = app_outcome_role(o);
		app_row_outcome_text(a, a->run, rr, reason);
		/* Created: what it changed, as the preflight read it before. */
		if (reason->len == 0 && o == OUTCOME_CREATED &&
		    looked(a, a->run, rr, reason, true) == NULL)
			buf_reset(reason);
		/* Pending and not being sent: a send that stopped, or was
		 * not agreed to. */
		return o == OUTCOME_PENDING ? (a->run->running ? "sending" : "pending") :
		    outcome_word(o, a->run->plan->op);
	}
	enum input_reason why = app_pairs_why(a, i);
	if (why == INPUT_KEY_PENDING || (!app_pairs_planned(a) && input_row_pending(
	    a->ws.pairs, r))) {
		/* Not an error: S looks it up first. */
		const char *k[2] = { input_row_key(a->ws.pairs, r, 0),
		    input_row_key(a->ws.pairs, r, 1) };
		*role = ROLE_PENDING;
		buf_printf(reason, "%s%s%s: S looks %s up", k[0] != NULL ? k[0] : "",
		    k[0] != NULL && k[1] != NULL ? " > " : "", k[1] != NULL ? k[1] : "",
		    k[0] != NULL && k[1] != NULL ? "them" : "it");
		return "key";
	}
	if (why == INPUT_NO_TYPE) {
		/* Not an error: the types are still to be chosen. */
		*role = ROLE_PENDING;
		buf_addstr(reason, "y chooses the types (or a third column)");
		return "no type";
	}
	if (why != INPUT_OK) {
		*role = ROLE_INVALID;
		plan_reason_format(&a->plan, a->ws.pairs, i, reason);
		return plan_row_conflicts(&a->plan, a->ws.pairs, i) ? "conflict" :
		    "invalid";
	}
	if (r->status == ROW_INVALID) {
		*role = ROLE_INVALID;
		input_reason_format(a->ws.pairs, r, reason);
		return "invalid";
	}
	if (app_pairs_planned(a) && a->plan.state[i] == PLAN_DUPLICATE) {
		*role = ROLE_DUPLICATE;
		buf_addstr(reason, "repeats line ");
		input_line_label(a->ws.pairs, a->ws.pairs->rows[a->plan.other[i]].line, reason);
		buf_addstr(reason, ", sent once");
		return "duplicate";
	}
	/* Valid, but nothing plans it yet (before: "ok", a repeat too). */
	if (!a->ws.have_from || !a->ws.have_to) {
		*role = ROLE_PENDING;
		buf_addstr(reason, !a->ws.have_from && !a->ws.have_to ? "f and t choose "
		    "the direction" : !a->ws.have_from ? "f chooses FROM" :
		    "t chooses TO");
		return "no dir";
	}
	*role = ROLE_OK;
	/* How it went first, where a narrow REASON column keeps it (before:
	 * "sent with other choic…", the outcome cut). */
	if (then != NULL)
		buf_printf(reason, "%s then, %s", then, then_why);
	else
		explain_names(a->ws.pairs, a->ws.names, i, reason);
	return "ok";
}

/* A row's TYPES cell: its SPEC column, else the types chosen; a remove
 * takes every type, whatever a row names.  HUBSPOT_DEFINED:279 is 279,
 * as --type takes it: the column shows more. */
static void
types_cell(const struct app *a, uint32_t set, struct buf *out)
{
	const char *text = a->ws.pairs->sets[set].text;
	const char *t = a->ws.op == PLAN_OP_REMOVE ? "every type" : text[0] ? text :
	    a->ws.types_text ? a->ws.types_text : "-";

	for (const char *hd; (hd = strstr(t, "HUBSPOT_DEFINED:")) != NULL;
	    t = hd + strlen("HUBSPOT_DEFINED:"))
		buf_add(out, t, (size_t)(hd - t));
	buf_addstr(out, t);
}

/* TYPES: as wide as its widest cell (the SPEC columns and the types
 * chosen: a few), with a space; at most 16 columns, and a share of what
 * a wide screen has beyond 120 (before: 16 always, "279" in 16 columns
 * while REASON was cut at 80). */
static int
types_width(const struct app *a, int w)
{
	int most = w > 120 ? 16 + (w - 120) / 3 : 16, tw = (int)strlen("TYPES");
	struct buf b = BUF_INIT;

	if (most > 60)
		most = 60;
	for (size_t k = 0; k <= a->ws.pairs->nsets && tw < most - 1; k++) {
		/* Set 0 (no column) stands for the types chosen. */
		buf_reset(&b);
		types_cell(a, k < a->ws.pairs->nsets ? (uint32_t)k : 0, &b);
		if ((int)text_width(b.data, b.len) > tw)
			tw = (int)text_width(b.data, b.len);
	}
	buf_free(&b);
	return tw + 1 < most ? tw + 1 : most;
}

static void
draw_line(struct view *v, size_t pos, int y, int w, bool cursor)
{
	struct app *a = v->app;
	size_t i = row_at(v, pos);
	const struct input_row *r = &a->ws.pairs->rows[i];
	enum role role, base = cursor ? ROLE_CURSOR : ROLE_DEFAULT;
	struct buf reason = BUF_INIT;
	const char *state = state_of(a, i, &role, &reason);
	int x = 0;

	int idw = a->id_width + 1;

	struct buf cell = BUF_INIT;
	app_line_cell(a->ws.pairs, r->line, a->line_width, &cell);
	x += draw_text(y, x, a->line_width + 1, buf_str(&cell), cursor ? base : ROLE_DIM,
	    true);
	buf_free(&cell);
	if (r->status == ROW_INVALID && r->field == 0) {
		/* No fields: the line as written, across both columns. */
		x += draw_text(y, x, 2 * idw, input_detail(a->ws.pairs, r), base, true);
	} else {
		/* A key may fill its column: a space after it, always. */
		x += draw_text(y, x, idw - 1, input_from(a->ws.pairs, r), base, true);
		x += draw_text(y, x, 1, " ", base, true);
		x += draw_text(y, x, idw - 1, input_to(a->ws.pairs, r), base, true);
		x += draw_text(y, x, 1, " ", base, true);
	}
	/* A space after it, always: a cut type never runs into the state. */
	struct buf types = BUF_INIT;
	types_cell(a, r->set, &types);
	if (P(v)->types_w == 0)
		P(v)->types_w = types_width(a, w);
	x += draw_text(y, x, P(v)->types_w - 1, buf_str(&types),
	    cursor ? base : ROLE_DIM, true);
	buf_free(&types);
	x += draw_text(y, x, 1, " ", base, true);
	x += draw_text(y, x, app_outcome_width(a->run) - 1, state, cursor ? base : role, true);
	x += draw_text(y, x, 1, " ", base, true);
	draw_text(y, x, w - x, buf_str(&reason), cursor ? base : role, true);
	buf_free(&reason);
}

/* The types as the header has room for them (room columns), as far down
 * this list as it takes: described whole (0); the label first and its ID
 * after, the direction (said already) left out: "Billing contact
 * (USER_DEFINED:36)" (1); the labels alone (2); how many, and where they
 * are listed (3).  Which one it came to. */
static int
head_types(const struct app *a, struct buf *b, int room)
{
	const struct assoc_spec *specs = a->plan.types[0].specs;
	size_t n = a->plan.types[0].n;

	buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addstr(b, "; ");
		assoc_spec_describe(b, &specs[i], &a->ws.from, &a->ws.to, &a->labels);
	}
	for (int level = 1; level <= 2; level++) {
		if ((int)text_width(b->data, b->len) <= room)
			return level - 1;
		buf_reset(b);
		for (size_t i = 0; i < n; i++)
			app_type_brief(b, &specs[i], &a->labels, i, level == 1);
	}
	if ((int)text_width(b->data, b->len) <= room)
		return 2;
	buf_reset(b);
	buf_printf(b, "%zu type%s (y lists %s)", n, plural_s(n), n == 1 ? "it" : "them");
	return 3;
}

/* An object type for the header: its name, and its ID when ids. */
static void
head_object(struct buf *b, bool have, const struct objtype *t, const char *key,
    bool ids)
{
	buf_reset(b);
	if (!have)
		buf_printf(b, "? (%s)", key);
	else if (ids)
		buf_printf(b, "%s (%s)", objtype_name(t), t->id[0] ? t->id : "custom");
	else
		buf_addstr(b, objtype_name(t));
}

/* The header's first line: the direction, the types as the operation
 * takes them (a remove takes every one), a relabel's first what it
 * replaces ("relabel Billing contact → Decision maker").  When the types
 * do not fit whole, the object types' IDs go first. */
static void
draw_direction(const struct app *a, int y, int w)
{
	bool added = a->ws.op == PLAN_OP_RELABEL && a->ws.replace == NULL;
	const char *as = a->ws.op == PLAN_OP_CREATE ? "  as " : a->ws.op ==
	    PLAN_OP_RELABEL ? (added ? "  relabel to " : "  relabel ") : "  remove ";
	struct buf from = BUF_INIT, to = BUF_INIT, types = BUF_INIT, fitted = BUF_INIT;
	const char *tail = added ? " (added, none replaced)" : "";
	bool typed = a->ws.op != PLAN_OP_REMOVE && a->planned && a->plan.types[0].n > 0;
	int x;

	/* What it replaces by its labels, as the plan says it, once resolved
	 * (before: as typed, "relabel 44 → Billing contact"). */
	const struct plan_relabel *rl = a->planned ? &a->plan.relabel : NULL;
	if (a->ws.op == PLAN_OP_RELABEL && !added && rl != NULL && !rl->all &&
	    rl->nreplace > 0) {
		for (size_t i = 0; i < rl->nreplace; i++)
			app_type_brief(&types, &rl->replace[i], &a->labels, i, false);
		buf_addstr(&types, " → ");
	} else if (a->ws.op == PLAN_OP_RELABEL && !added)
		buf_printf(&types, "%s → ", strcmp(a->ws.replace, "all") == 0 ?
		    "every label" : a->ws.replace);
	int around = (int)(text_width(types.data, types.len) +
	    text_width(tail, strlen(tail)));
	for (int ids = 1; ids >= 0; ids--) {
		head_object(&from, a->ws.have_from, &a->ws.from, "f", ids);
		head_object(&to, a->ws.have_to, &a->ws.to, "t", ids);
		int room = w - (int)(text_width("From ", 5) + text_width(from.data, from.len) +
		    text_width("  to ", 5) + text_width(to.data, to.len) +
		    text_width(as, strlen(as)));
		int level = typed ? head_types(a, &fitted, room - around) : 0;
		/* A relabel that replaces nothing says it shorter before its
		 * types are only counted. */
		if (ids == 0 && level == 3 && added && strcmp(tail, " (none replaced)") != 0) {
			around -= (int)text_width(tail, strlen(tail));
			tail = " (none replaced)";
			around += (int)text_width(tail, strlen(tail));
			level = head_types(a, &fitted, room - around);
		}
		if (level == 0)
			break;
		/* Only counted: the types before what follows them, cut. */
		if (ids == 0 && level == 3 && tail[0] != '\0')
			head_types(a, &fitted, room - (around - (int)strlen(tail)));
	}
	if (a->ws.op == PLAN_OP_REMOVE)
		buf_addstr(&fitted, "every type (O switches)");
	else if (!typed)
		buf_addstr(&fitted, a->ws.types_text != NULL && a->ws.types_text[0] != '\0' ?
		    a->ws.types_text : "? (y)");
	buf_add(&types, fitted.data, fitted.len);
	buf_addstr(&types, tail);
	x = draw_text(y, 0, w, "From ", ROLE_TITLE, false);
	x += draw_text(y, x, w - x, buf_str(&from), a->ws.have_from ? ROLE_DEFAULT :
	    ROLE_WARNING, false);
	x += draw_text(y, x, w - x, "  to ", ROLE_TITLE, false);
	x += draw_text(y, x, w - x, buf_str(&to), a->ws.have_to ? ROLE_DEFAULT :
	    ROLE_WARNING, false);
	x += draw_text(y, x, w - x, as, ROLE_TITLE, false);
	x += draw_text(y, x, w - x, buf_str(&types), a->ws.ntypes ||
	    a->ws.op == PLAN_OP_REMOVE ? ROLE_DEFAULT : ROLE_WARNING, false);
	draw_fill(y, x, w - x, ROLE_DEFAULT);
	buf_free(&from);
	buf_free(&to);
	buf_free(&types);
	buf_free(&fitted);
}

/* The valid pairs a send made as they read now (their STATE says so), and
 * those it found as asked: not to send again.  Counted once a change
 * (a->gen), not once a frame, and not while a send runs (each pair is
 * found among the session's rows). */
static void
count_made(struct view *v, size_t *done, size_t *same)
{
	struct pairs *p = P(v);
	const struct app *a = v->app;
	const char *then, *why;

	if (a->run == NULL || a->run->pair == NULL || a->run->running) {
		*done = *same = 0;
		return;
	}
	if (p->made_gen != a->gen + 1) {
		p->done = p->same = 0;
		for (size_t i = 0; i < a->ws.pairs->nrows; i++) {
			size_t rr = a->plan.state[i] == PLAN_SEND ?
			    shown_run_row(a, i, &then, &why) : SIZE_MAX;
			p->done += rr != SIZE_MAX &&
			    a->run->out->state[rr] == OUTCOME_CREATED;
			p->same += rr != SIZE_MAX &&
			    a->run->out->state[rr] == OUTCOME_UNCHANGED;
		}
		p->made_gen = a->gen + 1;
	}
	*done = p->done;
	*same = p->same;
}

/* " (103 created, 2 unchanged, 2 to send)": what a send made of the valid
 * pairs, and what S has left (brief: not that). */
static void
made_text(char *out, size_t n, size_t done, size_t same, size_t left,
    const char *word, bool brief)
{
	char x[32], y[32], z[32];
	int k = snprintf(out, n, " (%s %s", fmt_count(x, done), word);

	if (same > 0)
		k += snprintf(out + k, n - (size_t)k, ", %s unchanged", fmt_count(y, same));
	if (left > 0 && !brief)
		k += snprintf(out + k, n - (size_t)k, ", %s to send", fmt_count(z, left));
	snprintf(out + k, n - (size_t)k, ")");
}

static int
draw_head(struct view *v, int y, int w)
{
	struct app *a = v->app;
	struct buf b = BUF_INIT;
	char n1[32], n2[32], n3[32], n4[32], n5[32];

	/* Once a frame, for the heading and every line below it (the head is
	 * drawn first), not once a line. */
	P(v)->types_w = types_width(a, w);
	draw_direction(a, y, w);

	/* The counts, or what stops a plan. */
	buf_reset(&b);
	if (a->plan_error != NULL) {
		draw_text(y + 1, 0, w, a->plan_error, ROLE_ERROR, true);
	} else if (a->planned) {
		size_t untyped = 0, conflicts = 0, done, same;
		for (size_t i = 0; i < a->ws.pairs->nrows; i++) {
			untyped += a->plan.why[i] == INPUT_NO_TYPE;
			conflicts += plan_row_conflicts(&a->plan, a->ws.pairs, i);
		}
		count_made(v, &done, &same);
		/* "103 created, 2 to send": after a send, the valid pairs
		 * counted as the plan alone would send them again (before:
		 * "105 valid in 1 request" beside 103 created). */
		char made[2][128] = { "", "" };
		if (done + same > 0)
			for (int k = 0; k < 2; k++)
				made_text(made[k], sizeof(made[k]), done, same,
				    a->plan.nsend - done - same, outcome_word(OUTCOME_CREATED,
				    a->run->plan->op), k == 1);
		/* What a Primary or a parent given moves: not what a remove
		 * (of every type, or of labels) does. */
		unsigned flags = 0;
		for (size_t i = 0; !plan_op_removes(a->ws.op) && i < a->plan.types[0].n; i++)
			flags |= assoc_spec_flags(&a->plan.types[0].specs[i], &a->ws.from, &a->ws.to);
		/* The warnings whole, or short when the counts leave no room. */
		static const char *const warn[2][2] = {
			{ "  ! Primary moves each record's primary", "  ! moves Primaries" },
			{ "  ! a company has one parent", "  ! one parent" },
		};
		int warned = 0;
		for (int k = 0; k < 2; k++)
			if (flags & (k == 0 ? ASSOC_F_PRIMARY : ASSOC_F_SINGLE_PARENT))
				warned += (int)strlen(warn[k][1]);
		/* Whole, or without the asides when 80 columns cannot hold it. */
		for (int brief = 0; brief < 3; brief++) {
			buf_reset(&b);
			/* Shortest: the rows' count alone, keys without "by". */
			buf_printf(&b, "%s%s: ", fmt_count(n1, a->ws.pairs->nrows),
			    brief == 2 ? "" : a->ws.pairs->nrows == 1 ? " row" : " rows");
			if (untyped > 0)
				buf_printf(&b, "%s waiting for a type (y), ",
				    fmt_count(n2, untyped));
			if (a->plan.keys > 0)
				buf_printf(&b, "%s %s%s, ", fmt_count(n2, a->plan.keys),
				    brief < 2 ? "by key" : a->plan.keys == 1 ? "key" : "keys",
				    brief ? "" :
				    ", looked up when sent");
			/* Nothing valid yet while all wait for a type: not said. */
			if (made[0][0] != '\0' && brief < 2)
				buf_printf(&b, "%s valid%s, ", fmt_count(n2, a->plan.nsend),
				    made[brief]);
			else if ((a->plan.nsend > 0 || untyped == 0) && !brief)
				buf_printf(&b, "%s valid in %s request%s, ", fmt_count(n2,
				    a->plan.nsend), fmt_count(n3, a->plan.nchunks),
				    plural_s(a->plan.nchunks));
			else if (a->plan.nsend > 0 || untyped == 0)
				buf_printf(&b, "%s valid, ", fmt_count(n2, a->plan.nsend));
			/* Conflicts apart, as S's question counts them (before:
			 * "12 invalid" here, "invalid 4" and "conflicts 8" there). */
			buf_printf(&b, "%s invalid", fmt_count(n4, a->plan.ninvalid -
			    untyped - a->plan.keys - conflicts));
			if (conflicts > 0)
				buf_printf(&b, ", %s conflict%s", fmt_count(n2, conflicts),
				    plural_s(conflicts));
			/* Nor repeats, found among typed rows only (before: "0
			 * duplicate" beside :demo's "1 duplicate"). */
			if (a->plan.nsend > 0 || untyped == 0)
				buf_printf(&b, ", %s duplicate", fmt_count(n5,
				    a->plan.nduplicate));
			/* Room for the warnings, short, after the counts. */
			if ((int)text_width(b.data, b.len) + warned <= w)
				break;
		}
		int used = draw_text(y + 1, 0, w, buf_str(&b), ROLE_DEFAULT, false);
		for (int k = 0; k < 2; k++) {
			if (!(flags & (k == 0 ? ASSOC_F_PRIMARY : ASSOC_F_SINGLE_PARENT)))
				continue;
			const char *t = warn[k][(int)strlen(warn[k][0]) > w - used];
			used += draw_text(y + 1, used, w - used, t, ROLE_WARNING, false);
		}
		draw_fill(y + 1, used, w - used, ROLE_DEFAULT);
	} else {
		size_t bad = a->pairs_invalid;
		size_t waiting = a->ws.have_from && a->ws.have_to ? 0 :
		    a->ws.pairs->nrows - bad;
		buf_printf(&b, "%s row%s, %s invalid", fmt_count(n1, a->ws.pairs->nrows),
		    plural_s(a->ws.pairs->nrows), fmt_count(n2, bad));
		if (waiting > 0)
			buf_printf(&b, ", %s waiting for the direction (f, t)",
			    fmt_count(n3, waiting));
		buf_printf(&b, "%s", a->ws.pairs->nrows > 0 ? "" :
		    a->conn.local != NULL ? ": paste pairs, :load FILE, or :demo" :
		    ": paste pairs, or :load FILE");
		draw_text(y + 1, 0, w, buf_str(&b), ROLE_DEFAULT, true);
	}
	buf_reset(&b);
	buf_printf(&b, "%*s %-*s%-*s%-*s%-*sREASON",
	    a->line_width, "LINE", a->id_width + 1, "FROM", a->id_width + 1, "TO",
	    P(v)->types_w, "TYPES", app_outcome_width(a->run), "STATE");
	/* The filter beside the columns' names, or on a line of its own
	 * above them when both do not fit. */
	int rows = 3;
	if (filtered(v)) {
		struct buf f = BUF_INIT;
		buf_printf(&f, "filter '%s': %s row%s", P(v)->filter,
		    fmt_count(n1, count(v)), plural_s(count(v)));
		if ((int)(text_width(b.data, b.len) + 3 + text_width(f.data, f.len)) <= w) {
			buf_printf(&b, "   %s", buf_str(&f));
		} else {
			draw_text(y + 2, 0, w, buf_str(&f), ROLE_DEFAULT, true);
			rows = 4;
		}
		buf_free(&f);
	}
	draw_text(y + rows - 1, 0, w, buf_str(&b), ROLE_COLUMN, true);
	buf_free(&b);
	return rows;
}

static void
edit(struct app *a, size_t row)
{
	char *text = row == SIZE_MAX ? xstrdup("") : app_row_text(a, row);

	a->edit_row = row;
	prompt_open(a, PROMPT_EDIT, row == SIZE_MAX ? "add: " : "edit: ", text);
	free(text);
}

/* v: the pair whole; its session row's fields when it was sent as it
 * reads now. */
static void
show_pair(struct app *a, size_t i)
{
	const struct input_row *r = &a->ws.pairs->rows[i];
	struct buf f = BUF_INIT, reason = BUF_INIT, l = BUF_INIT;
	enum role role;
	const char *state = state_of(a, i, &role, &reason), *then, *then_why;
	size_t rr = shown_run_row(a, i, &then, &then_why);

	input_line_label(a->ws.pairs, r->line, &l);
	if (rr != SIZE_MAX) {
		app_detail_run_row(a, a->run, rr, &f);
	} else {
		buf_printf(&f, "line\t%s\n", buf_str(&l));
		app_detail_ends(a->ws.pairs, a->ws.names, i, &f);
		const char *set = a->ws.pairs->sets[r->set].text;
		buf_printf(&f, "types\t%s\n", set[0] != '\0' ? set :
		    a->ws.types_text != NULL ? a->ws.types_text : "none chosen (y)");
		buf_printf(&f, "state\t%s\n", state);
		if (reason.len > 0)
			buf_printf(&f, "reason\t%s\n", buf_str(&reason));
		/* Asked to send: what the preflight read, whole, and what the
		 * pair keeps. */
		buf_reset(&reason);
		if (a->pending != NULL && looked(a, a->pending, app_row_of_pair_in(a,
		    a->pending, i), &reason, false) != NULL)
			buf_printf(&f, "preflight\t%s\n", buf_str(&reason));
	}
	struct buf title = BUF_INIT;
	buf_printf(&title, "Line %s", buf_str(&l));
	view_detail_set(&a->views[VIEW_DETAIL], buf_str(&title), &f);
	app_show(a, VIEW_DETAIL);
	buf_free(&title);
	buf_free(&f);
	buf_free(&reason);
	buf_free(&l);
}

static bool
action(struct view *v, enum action act)
{
	struct app *a = v->app;

	switch (act) {
	case ACT_ADD_ROW:
		edit(a, SIZE_MAX);
		return true;
	case ACT_EDIT_ROW:
	case ACT_SELECT:
		if (v->cursor < count(v))
			edit(a, row_at(v, v->cursor));
		return true;
	case ACT_DETAIL:
		if (v->cursor < count(v))
			show_pair(a, row_at(v, v->cursor));
		return true;
	case ACT_PORTAL: {
		if (v->cursor >= count(v))
			return true;
		const struct input_row *r = &a->ws.pairs->rows[row_at(v, v->cursor)];
		const char *from = input_from(a->ws.pairs, r);
		if (!a->ws.have_from || !a->ws.have_to)
			app_status(a, true, "choose the object types first: f for FROM, t for TO");
		else if (r->status != ROW_VALID)
			app_status(a, true, "this pair's FROM is no record ID");
		else
			view_portal_read(a, &a->ws.from, &a->ws.to, &from, 1);
		return true;
	}
	case ACT_DELETE_ROW:
		if (v->cursor < count(v))
			app_delete_row(a, row_at(v, v->cursor));
		view_list_clamp(v);
		return true;
	case ACT_FILTER:
		prompt_open(a, PROMPT_FILTER, "filter (a state, a line, an ID, or "
		    "text): ", P(v)->filter);
		return true;
	case ACT_SUBMIT:
		app_submit(a);
		return true;
	case ACT_OPERATION:
		app_cycle_op(a);
		return true;
	case ACT_RESEND:
		app_resend_failed(a);
		return true;
	case ACT_PICK_FROM:
	case ACT_PICK_TO:
		a->picking = act == ACT_PICK_TO;
		app_show(a, VIEW_PICKER);
		return true;
	case ACT_PICK_TYPES:
		if (!a->ws.have_from || !a->ws.have_to) {
			app_status(a, true, "choose FROM (f) and TO (t) first");
			return true;
		}
		app_show(a, VIEW_TYPES);
		return true;
	default:
		return false;
	}
}

const struct view_ops view_pairs_ops = {
	.name = "pairs", .title = "Pairs",
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .filter = pairs_filter, .done = done,
};
