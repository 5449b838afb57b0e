/* pairs.c: the pairs editor: every row with its validation, and, for the
 * rows the working set's session holds (the same store, by the same
 * index), its state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"

/* The rows shown, by index (those deleted from a session are not; a
 * filter keeps those it matches), remade when the data changes. */
struct pairs {
	char *filter;
	uint32_t *idx;
	size_t n;
	uint64_t gen;
	bool all;                 /* every row shown, in order: no index */
	int types_w;              /* TYPES' width, measured with the heading */
	struct explain x;         /* why the session's rows are as they are */
	uint64_t counted_gen;     /* the change (gen + 1) the counts are of */
	struct pairs_counts {
		size_t rows, valid, done, same, to_send, invalid, dup, untyped,
		    keys, conflicts;
	} c;
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

static const char *state_of(struct view *v, size_t i, enum role *role,
    struct buf *reason);

/* A row matches a state's name (ok, invalid, duplicate, failed, created,
 * ...), its line number, or part of an ID or of its reason. */
static bool
matches(struct view *v, size_t i, const char *f)
{
	const struct app *a = v->app;
	const struct input_row *r = &a->ws.pairs->rows[i];
	struct buf reason = BUF_INIT;
	enum role role;
	char line[16];
	bool m;
	size_t src;
	struct buf label = BUF_INIT;

	const char *state = state_of(v, i, &role, &reason);
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
reindex(struct view *v)
{
	struct pairs *p = P(v);
	const struct app *a = v->app;
	const struct workset *w = &a->ws;

	free(p->idx);
	p->idx = NULL;
	p->n = 0;
	p->gen = a->gen;
	explain_free(&p->x);
	memset(&p->x, 0, sizeof(p->x));
	bool hidden = false;
	for (size_t i = 0; i < w->pairs->nrows && !hidden; i++)
		hidden = !workset_shown(w, i);
	p->all = !filtered(v) && !hidden;
	if (p->all)
		return;
	p->idx = xcalloc(w->pairs->nrows + 1, sizeof(*p->idx));
	for (size_t i = 0; i < w->pairs->nrows; i++)
		if (workset_shown(w, i) && (!filtered(v) || matches(v, i, p->filter)))
			p->idx[p->n++] = (uint32_t)i;
}

static size_t
count(struct view *v)
{
	struct pairs *p = P(v);

	if (p->gen != v->app->gen || (p->idx == NULL && !p->all))
		reindex(v);
	return p->all ? v->app->ws.pairs->nrows : p->n;
}

/* The row at a place of the list. */
static size_t
row_at(struct view *v, size_t i)
{
	return count(v) > 0 && !P(v)->all ? P(v)->idx[i] : i;
}

static void
pairs_filter(struct view *v, const char *text)
{
	struct pairs *p = P(v);

	free(p->filter);
	p->filter = xstrdup(text);
	p->gen = v->app->gen - 1;
	reindex(v);
	v->cursor = v->top = 0;
}

static void
done(struct view *v)
{
	free(P(v)->filter);
	free(P(v)->idx);
	explain_free(&P(v)->x);
}

void
view_pairs_goto(struct view *v, size_t row)
{
	if (filtered(v))
		pairs_filter(v, "");
	size_t n = count(v), at = 0;
	while (at < n && row_at(v, at) < row)
		at++;
	v->cursor = at;
	view_list_clamp(v);
}

/* What the preflight found of row rr of session s, when it read it: its
 * text in reason, and whether there was something. */
static const struct pre_row *
looked(const struct app *a, const struct session *s, size_t rr, struct buf *reason,
    bool brief)
{
	const struct pre_row *x;

	if (s->pre.rows == NULL || rr >= s->pre.n ||
	    (x = &s->pre.rows[rr])->cls == PRE_UNREAD)
		return NULL;
	/* A remove's or a relabel's class, as its plan says it (before:
	 * "removed   already there", a create's words). */
	if (s->plan.op != PLAN_OP_CREATE)
		pre_row_change_describe(reason, x, &s->plan, s->in, rr, &a->labels);
	else
		pre_row_describe(reason, x, &s->plan, s->in, rr, brief, &a->labels);
	return x;
}

/* What a row is, for the STATE and REASON columns: a row of the working
 * set's session its state there (an edited one as it reads now); one
 * added since, its validation, as the next send plans it. */
static const char *
state_of(struct view *v, size_t i, enum role *role, struct buf *reason)
{
	struct app *a = v->app;
	const struct session *s = &a->ws.s;
	const struct input_row *r = &a->ws.pairs->rows[i];
	const struct pre_row *x;
	bool planned = app_pairs_planned(a);

	/* Asked to send: what each pair about to go would change, as the
	 * preflight read it; the others keep their states meanwhile. */
	if (a->pending != NULL && app_run_is_work(a, a->pending) && i < s->out.n &&
	    s->plan.state[i] == PLAN_SEND && s->out.state[i] == OUTCOME_PENDING &&
	    (x = looked(a, s, i, reason, true)) != NULL) {
		*role = x->cls == PRE_MOVES ? ROLE_WARNING : x->cls == PRE_NO_FROM ||
		    x->cls == PRE_NO_TO ? ROLE_ERROR : ROLE_OK;
		return "ok";
	}
	if (i < a->ws.joined) {
		enum outcome o = (enum outcome)s->out.state[i];
		*role = app_outcome_role(o);
		/* What a verify found of it, when it read the pairs' session. */
		const struct run *w = app_run_is_work(a, a->run) ? a->run : NULL;
		const struct explain_verified vf = { w != NULL ? w->verdict : NULL,
		    w != NULL ? w->verify_said : NULL };
		explain_line(&P(v)->x, s, &vf, &a->labels, i, reason);
		/* Created: what it changed, as the preflight read it before. */
		if (reason->len == 0 && o == OUTCOME_CREATED &&
		    looked(a, s, i, reason, true) == NULL)
			buf_reset(reason);
		/* A repeat went with its first, as the plan says it. */
		if (o == OUTCOME_DUPLICATE)
			buf_addstr(reason, ", sent once");
		/* Pending and not being sent: a send that stopped, or was
		 * not agreed to. */
		return o == OUTCOME_PENDING ? (a->run != NULL && a->run->running &&
		    app_run_is_work(a, a->run) ? "sending" : "pending") :
		    outcome_word(o, s->plan.op);
	}
	enum input_reason why = app_pairs_why(a, i);
	if (why == INPUT_KEY_PENDING || (!planned && input_row_pending(a->ws.pairs, r))) {
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
		plan_reason_format(&s->plan, a->ws.pairs, i, reason);
		return plan_row_conflicts(&s->plan, a->ws.pairs, i) ? "conflict" :
		    "invalid";
	}
	if (r->status == ROW_INVALID) {
		*role = ROLE_INVALID;
		input_reason_format(a->ws.pairs, r, reason);
		return "invalid";
	}
	if (planned && s->plan.state[i] == PLAN_DUPLICATE) {
		uint32_t first = s->plan.other[i];
		*role = ROLE_DUPLICATE;
		buf_addstr(reason, "repeats line ");
		input_line_label(a->ws.pairs, a->ws.pairs->rows[first].line, reason);
		/* A repeat of the session's row goes with it: sent before. */
		buf_addstr(reason, first < a->ws.joined ? ", sent before" : ", sent once");
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
	explain_names(a->ws.pairs, a->ws.names, i, reason);
	return "ok";
}

/* STATE's width: its words and a space, with room for "unconfirmed" when
 * a row of the pairs' session is so. */
static int
state_width(const struct app *a)
{
	return a->ws.s.out.state != NULL &&
	    a->ws.s.out.count[OUTCOME_UNCONFIRMED] > 0 ? 12 : 10;
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
	const char *state = state_of(v, i, &role, &reason);
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
	x += draw_text(y, x, state_width(a) - 1, state, cursor ? base : role, true);
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
	const struct assoc_spec *specs = a->chosen.types[0].specs;
	size_t n = a->chosen.types[0].n;

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
	bool typed = a->ws.op != PLAN_OP_REMOVE && a->planned && a->chosen.ntypes > 0 &&
	    a->chosen.types[0].n > 0;
	int x;

	/* What it replaces by its labels, as the plan says it, once resolved
	 * (before: as typed, "relabel 44 → Billing contact"). */
	const struct plan_relabel *rl = a->planned ? &a->chosen.relabel : NULL;
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

/* The rows shown, counted as their states say (once a change, a->gen,
 * not once a frame): valid as they read now, of them what the session
 * made so (done), found as asked (same), and what S has to send; invalid
 * (apart: waiting for a type, a key, conflicts), repeats. */
static const struct pairs_counts *
counts(struct view *v)
{
	struct pairs *p = P(v);
	const struct app *a = v->app;
	const struct workset *w = &a->ws;
	const struct session *s = &w->s;

	if (p->counted_gen == a->gen + 1)
		return &p->c;
	memset(&p->c, 0, sizeof(p->c));
	for (size_t i = 0; i < w->pairs->nrows && i < s->out.n; i++) {
		if (!workset_shown(w, i))
			continue;
		enum plan_state st = (enum plan_state)s->plan.state[i];
		enum outcome o = (enum outcome)s->out.state[i];
		enum input_reason why = (enum input_reason)s->plan.why[i];
		p->c.rows++;
		p->c.untyped += why == INPUT_NO_TYPE;
		p->c.keys += why == INPUT_KEY_PENDING;
		p->c.conflicts += plan_row_conflicts(&s->plan, w->pairs, i);
		p->c.invalid += st == PLAN_INVALID;
		p->c.dup += st == PLAN_DUPLICATE;
		if (st != PLAN_SEND && st != PLAN_EARLIER)
			continue;
		p->c.valid++;
		p->c.done += o == OUTCOME_CREATED;
		p->c.same += o == OUTCOME_UNCHANGED;
		p->c.to_send += o == OUTCOME_PENDING || o == OUTCOME_FAILED ||
		    o == OUTCOME_NOT_SENT || o == OUTCOME_EDITED;
	}
	p->c.invalid -= p->c.untyped + p->c.keys + p->c.conflicts;
	p->counted_gen = a->gen + 1;
	return &p->c;
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
	} else if (app_pairs_planned(a)) {
		const struct pairs_counts *c = counts(v);
		size_t untyped = c->untyped, conflicts = c->conflicts;
		/* "103 created, 2 to send": after a send, the valid pairs
		 * counted as the plan alone would send them again (before:
		 * "105 valid in 1 request" beside 103 created). */
		char made[2][128] = { "", "" };
		if (c->done + c->same > 0)
			for (int k = 0; k < 2; k++)
				made_text(made[k], sizeof(made[k]), c->done, c->same,
				    c->to_send, outcome_word(OUTCOME_CREATED,
				    a->ws.s.plan.op), k == 1);
		/* The requests S's send takes: a draft's plan has them. */
		size_t chunk = a->ws.s.plan.chunk_size ? a->ws.s.plan.chunk_size : 1;
		size_t requests = a->ws.joined == 0 ? a->ws.s.plan.nchunks :
		    (c->to_send + chunk - 1) / chunk;
		/* What a Primary or a parent given moves: not what a remove
		 * (of every type, or of labels) does. */
		unsigned flags = 0;
		for (size_t i = 0; !plan_op_removes(a->ws.op) && a->chosen.ntypes > 0 &&
		    i < a->chosen.types[0].n; i++)
			flags |= assoc_spec_flags(&a->chosen.types[0].specs[i], &a->ws.from,
			    &a->ws.to);
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
			buf_printf(&b, "%s%s: ", fmt_count(n1, c->rows),
			    brief == 2 ? "" : c->rows == 1 ? " row" : " rows");
			if (untyped > 0)
				buf_printf(&b, "%s waiting for a type (y), ",
				    fmt_count(n2, untyped));
			if (c->keys > 0)
				buf_printf(&b, "%s %s%s, ", fmt_count(n2, c->keys),
				    brief < 2 ? "by key" : c->keys == 1 ? "key" : "keys",
				    brief ? "" :
				    ", looked up when sent");
			/* Nothing valid yet while all wait for a type: not said. */
			if (made[0][0] != '\0' && brief < 2)
				buf_printf(&b, "%s valid%s, ", fmt_count(n2, c->valid),
				    made[brief]);
			else if ((c->valid > 0 || untyped == 0) && !brief)
				buf_printf(&b, "%s valid in %s request%s, ", fmt_count(n2,
				    c->valid), fmt_count(n3, requests), plural_s(requests));
			else if (c->valid > 0 || untyped == 0)
				buf_printf(&b, "%s valid, ", fmt_count(n2, c->valid));
			/* Conflicts apart, as S's question counts them (before:
			 * "12 invalid" here, "invalid 4" and "conflicts 8" there). */
			buf_printf(&b, "%s invalid", fmt_count(n4, c->invalid));
			if (conflicts > 0)
				buf_printf(&b, ", %s conflict%s", fmt_count(n2, conflicts),
				    plural_s(conflicts));
			/* Nor repeats, found among typed rows only (before: "0
			 * duplicate" beside :demo's "1 duplicate"). */
			if (c->valid > 0 || untyped == 0)
				buf_printf(&b, ", %s duplicate", fmt_count(n5, c->dup));
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
		size_t bad = a->pairs_invalid, shown = 0;
		for (size_t i = 0; i < a->ws.pairs->nrows; i++)
			shown += workset_shown(&a->ws, i);
		size_t waiting = a->ws.have_from && a->ws.have_to ? 0 : shown - bad;
		buf_printf(&b, "%s row%s, %s invalid", fmt_count(n1, shown),
		    plural_s(shown), fmt_count(n2, bad));
		if (waiting > 0)
			buf_printf(&b, ", %s waiting for the direction (f, t)",
			    fmt_count(n3, waiting));
		buf_printf(&b, "%s", shown > 0 ? "" :
		    a->conn.local != NULL ? ": paste pairs, :load FILE, or :demo" :
		    ": paste pairs, or :load FILE");
		draw_text(y + 1, 0, w, buf_str(&b), ROLE_DEFAULT, true);
	}
	buf_reset(&b);
	buf_printf(&b, "%*s %-*s%-*s%-*s%-*sREASON",
	    a->line_width, "LINE", a->id_width + 1, "FROM", a->id_width + 1, "TO",
	    P(v)->types_w, "TYPES", state_width(a), "STATE");
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
	/* Refused before it is typed, not after (before: the text was lost). */
	if (!work_may_change(a))
		return;
	char *text = row == SIZE_MAX ? xstrdup("") : app_row_text(a, row);

	a->edit_row = row;
	prompt_open(a, PROMPT_EDIT, row == SIZE_MAX ? "add: " : "edit: ", text);
	free(text);
}

/* v: the pair whole; a row of the session, its fields there. */
static void
show_pair(struct view *v, size_t i)
{
	struct app *a = v->app;
	const struct input_row *r = &a->ws.pairs->rows[i];
	struct buf f = BUF_INIT, reason = BUF_INIT, l = BUF_INIT;
	enum role role;
	const char *state = state_of(v, i, &role, &reason);

	input_line_label(a->ws.pairs, r->line, &l);
	if (i < a->ws.joined) {
		struct run *w = app_run_is_work(a, a->run) ? a->run : app_run_of_work(a);
		app_detail_run_row(a, w, i, &f);
		if (w != a->run)
			app_run_free(w);
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
		if (app_run_is_work(a, a->pending) && looked(a, &a->ws.s, i, &reason,
		    false) != NULL)
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
			show_pair(v, row_at(v, v->cursor));
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
