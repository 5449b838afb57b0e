/* errors.c: the error tree: category > message > context key > rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/text.h"

#define NONE SIZE_MAX

struct node {
	int depth;              /* 0 category, 1 message, 2 context key, 3 row */
	char *text;
	size_t rows;            /* rows under it */
	uint32_t row;           /* depth 3: the run row */
	size_t parent;          /* NONE at the top */
	size_t first, last;     /* children */
	size_t next;            /* the next sibling */
	bool open;
	bool marked;
};

struct tree {
	struct node *n;
	size_t count, cap;
	size_t first, last;     /* the categories */
	size_t *shown;          /* the nodes on screen, in order */
	size_t nshown;
	const struct run *built_for;
	uint64_t built_at;
};

static struct tree *
T(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct tree));
	return v->data;
}

static void
tree_clear(struct tree *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->n[i].text);
	free(t->n);
	free(t->shown);
	memset(t, 0, sizeof(*t));
}

static size_t
add(struct tree *t, size_t parent, int depth, const char *text)
{
	if (t->count == t->cap)
		t->n = xreallocarray(t->n, t->cap = t->cap ? t->cap * 2 : 64, sizeof(*t->n));
	/* Into the nodes: taken after they may have moved. */
	size_t *first = parent == NONE ? &t->first : &t->n[parent].first;
	size_t *last = parent == NONE ? &t->last : &t->n[parent].last;

	t->n[t->count] = (struct node){ .depth = depth, .text = xstrdup(text),
	    .parent = parent, .first = NONE, .last = NONE, .next = NONE,
	    .open = depth == 0 };
	if (*first == NONE)
		*first = t->count;
	else
		t->n[*last].next = t->count;
	*last = t->count;
	return t->count++;
}

/* The child of parent with this text, made if missing.  Categories,
 * messages and keys are few; rows are added with add(). */
static size_t
child(struct tree *t, size_t parent, int depth, const char *text)
{
	size_t i = parent == NONE ? t->first : t->n[parent].first;

	for (; i != NONE; i = t->n[i].next)
		if (strcmp(t->n[i].text, text) == 0)
			return i;
	return add(t, parent, depth, text);
}

static void
count_up(struct tree *t, size_t i)
{
	for (; i != NONE; i = t->n[i].parent)
		t->n[i].rows++;
}

/* What is on screen: the open part of the tree, depth first. */
static void
reshow(struct tree *t)
{
	size_t *stack = xcalloc(8, sizeof(*stack)), sp = 0;

	free(t->shown);
	t->shown = xcalloc(t->count + 1, sizeof(*t->shown));
	t->nshown = 0;
	size_t i = t->first;
	while (i != NONE || sp > 0) {
		if (i == NONE) {
			i = t->n[stack[--sp]].next;
			continue;
		}
		t->shown[t->nshown++] = i;
		if (t->n[i].open && t->n[i].first != NONE && sp < 8) {
			stack[sp++] = i;
			i = t->n[i].first;
		} else
			i = t->n[i].next;
	}
	free(stack);
}

/* Open nodes by their path, to keep folds across a rebuild. */
static char *
path_of(const struct tree *t, size_t i)
{
	struct buf b = BUF_INIT;

	for (; i != NONE; i = t->n[i].parent) {
		buf_addstr(&b, t->n[i].text);
		buf_addc(&b, '\x1f');
	}
	return buf_detach(&b);
}

void
view_errors_rebuild(struct view *v)
{
	struct tree *t = T(v);
	const struct run *r = v->app->run;
	char **open = NULL;
	size_t nopen = 0;

	if (t->built_for == r) {
		for (size_t i = 0; i < t->count; i++)
			if (t->n[i].depth < 3 && t->n[i].open) {
				open = xreallocarray(open, nopen + 1, sizeof(*open));
				open[nopen++] = path_of(t, i);
			}
	}
	tree_clear(t);
	t->first = t->last = NONE;
	if (r == NULL)
		return;
	t->built_for = r;
	size_t n = 0;
	uint32_t *rows = xcalloc(r->in->nrows + 1, sizeof(*rows));
	for (size_t i = 0; i < r->in->nrows; i++) {
		enum outcome o = (enum outcome)r->out->state[i];
		if (o == OUTCOME_FAILED || o == OUTCOME_NOT_SENT || o == OUTCOME_INVALID)
			rows[n++] = (uint32_t)i;
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t i = rows[k];
		const struct hs_error *e = outcomes_error(r->out, i);
		const char *cat = "", *msg = "";
		struct buf reason = BUF_INIT;
		/* Named as show and the summary name it. */
		outcomes_row_cause(r->out, r->plan, r->in, i, &cat, &msg);
		if (cat[0] == '\0')
			cat = "(none)";
		if (msg[0] == '\0')
			msg = "(no message)";
		size_t c = child(t, NONE, 0, cat);
		size_t m = child(t, c, 1, msg);
		/* The context key whose values name the row. */
		const struct input_row *ir = &r->in->rows[i];
		const char *key = NULL, *val = explain_context(r->explain, r->out, r->plan,
		    r->in, i, &key);
		/* Left not sent: hubassoc's word of why, beside HubSpot's. */
		if (val == NULL)
			val = explain_left(r->out, i, &key);
		if (val == NULL) {
			static const char *const fields[] = { "the line", "FROM ID",
			    "TO ID", "types" };
			key = e != NULL ? (e->ncontext > 0 ? "(context names other rows)" :
			    "(no context)") : r->plan->why[i] != INPUT_OK ? fields[3] :
			    fields[ir->field < 3 ? ir->field : 0];
			if (e == NULL)
				plan_reason_format(r->plan, r->in, i, &reason);
			val = buf_str(&reason);
		}
		struct buf label = BUF_INIT, ends[2] = { BUF_INIT, BUF_INIT };
		input_line_label(r->in, ir->line, &label);
		/* Each end by ID, and by name when it is known. */
		for (int side = 0; side < 2; side++) {
			const char *id = side == 0 ? input_from(r->in, ir) :
			    input_to(r->in, ir);
			const char *name = ir->status == ROW_VALID ?
			    names_get(&r->s->names[side], id) : NULL;
			buf_addstr(&ends[side], id);
			if (name != NULL)
				buf_printf(&ends[side], " (%s)", name);
		}
		char *leaf = xasprintf("line %s  %s > %s  %s", buf_str(&label),
		    buf_str(&ends[0]), buf_str(&ends[1]), val);
		buf_free(&ends[0]);
		buf_free(&ends[1]);
		buf_free(&label);
		size_t l = add(t, child(t, m, 2, key), 3, leaf);
		t->n[l].row = i;
		count_up(t, l);
		free(leaf);
		buf_free(&reason);
	}
	/* Errors that named no row: kept, and shown. */
	for (size_t i = 0; i < r->out->nerrors; i++) {
		const struct outcome_error *oe = &r->out->errors[i];
		if (oe->rows != 0 || oe->local)
			continue;
		size_t c = child(t, NONE, 0, "(errors that named no row)");
		struct buf m = BUF_INIT;
		buf_printf(&m, "chunk %u, HTTP %u: ", oe->chunk + 1, oe->http_status);
		hs_error_summary(&m, oe->error);
		child(t, c, 1, buf_str(&m));
		buf_free(&m);
	}
	free(rows);
	for (size_t i = 0; i < t->count && nopen > 0; i++) {
		if (t->n[i].depth == 3)
			continue;
		char *p = path_of(t, i);
		for (size_t k = 0; k < nopen; k++)
			if (strcmp(open[k], p) == 0)
				t->n[i].open = true;
		free(p);
	}
	for (size_t k = 0; k < nopen; k++)
		free(open[k]);
	free(open);
	t->built_at = http_now_ms();
	reshow(t);
	view_list_clamp(v);
}

void
view_errors_focus(struct view *v, size_t run_row)
{
	struct tree *t = T(v);

	if (t->built_for != v->app->run)
		view_errors_rebuild(v);
	for (size_t i = 0; i < t->count; i++) {
		if (t->n[i].depth != 3 || t->n[i].row != run_row)
			continue;
		for (size_t p = t->n[i].parent; p != NONE; p = t->n[p].parent)
			t->n[p].open = true;
		reshow(t);
		for (size_t k = 0; k < t->nshown; k++)
			if (t->shown[k] == i)
				v->cursor = k;
		return;
	}
}

static size_t
count(struct view *v)
{
	struct tree *t = T(v);

	if (t->built_for != v->app->run || (v->app->run != NULL && v->app->run->running &&
	    http_now_ms() - t->built_at > 1000))
		view_errors_rebuild(v);
	return t->nshown;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct tree *t = T(v);
	const struct node *n = &t->n[t->shown[i]];
	struct buf b = BUF_INIT;
	enum role role = cursor ? ROLE_CURSOR : n->marked ? ROLE_MARKED :
	    n->depth == 0 ? ROLE_ERROR : n->depth == 3 ? ROLE_DEFAULT : ROLE_TITLE;

	for (int d = 0; d < n->depth; d++)
		buf_addstr(&b, "  ");
	if (n->depth < 3)
		buf_addstr(&b, n->open ? "- " : "+ ");
	else
		buf_addstr(&b, "  ");
	buf_addstr(&b, n->text);
	if (n->depth < 3 && n->rows > 0) {
		char num[32];
		buf_printf(&b, "  (%s row%s)", fmt_count(num, n->rows), n->rows == 1 ? "" : "s");
	}
	draw_text(y, 0, w, buf_str(&b), role, true);
	buf_free(&b);
}

static int
draw_head(struct view *v, int y, int w)
{
	const struct run *r = v->app->run;

	if (r == NULL) {
		draw_text(y, 0, w, "Nothing sent yet: the errors of a send show here.",
		    ROLE_DIM, true);
		return 1;
	}
	/* The keys first: the tree says what it is by itself. */
	return draw_wrapped(y, 0, w, "Enter folds, or jumps to the pair; v shows a "
	    "row; Space marks; R sends the marked again.  Category > message > "
	    "context > rows.", ROLE_DIM, 2);
}

static void
mark(struct tree *t, size_t i, bool on)
{
	t->n[i].marked = on;
	for (size_t c = t->n[i].first; c != NONE; c = t->n[c].next)
		mark(t, c, on);
}

static void
done(struct view *v)
{
	tree_clear(T(v));
}

static const char unfold_hint[] = "v shows a row: unfold to one (Right)";

static bool
action(struct view *v, enum action act)
{
	struct app *a = v->app;
	struct tree *t = T(v);

	if (t->nshown == 0 || v->cursor >= t->nshown)
		return act == ACT_SELECT || act == ACT_TOGGLE;
	size_t i = t->shown[v->cursor];
	struct node *n = &t->n[i];
	switch (act) {
	case ACT_DETAIL:
		if (n->depth == 3) {
			/* The hint of a v before, on a message, is done with
			 * (before: said on over the row's box). */
			if (a->status != NULL && strcmp(a->status, unfold_hint) == 0)
				app_status(a, false, "%s", "");
			app_show_run_row(a, n->row);
		} else {
			app_status(a, false, "%s", unfold_hint);
		}
		return true;
	case ACT_SELECT:
		if (n->depth == 3) {
			app_jump_to_pair(a, n->row);
			return true;
		}
		/* FALLTHROUGH */
	case ACT_RIGHT:
		if (n->depth < 3) {
			n->open = act == ACT_RIGHT ? true : !n->open;
			reshow(t);
		}
		return true;
	case ACT_LEFT:
		if (n->depth < 3 && n->open) {
			n->open = false;
		} else if (n->parent != NONE) {
			size_t up = n->parent;
			t->n[up].open = false;
			reshow(t);
			for (size_t k = 0; k < t->nshown; k++)
				if (t->shown[k] == up)
					v->cursor = k;
			return true;
		}
		reshow(t);
		return true;
	case ACT_TOGGLE:
		mark(t, i, !n->marked);
		return true;
	case ACT_RESEND: {
		uint32_t *rows = xcalloc(t->count + 1, sizeof(*rows));
		size_t k = 0;
		bool any = false;
		for (size_t j = 0; j < t->count; j++)
			any |= t->n[j].marked;
		/* The marked rows, or those under the cursor. */
		for (size_t j = 0; j < t->count; j++) {
			bool under = false;
			for (size_t p = j; p != NONE && !under; p = t->n[p].parent)
				under = p == i;
			if (t->n[j].depth == 3 && (any ? t->n[j].marked : under))
				rows[k++] = t->n[j].row;
		}
		if (k > 0)
			app_resend_run_rows(a, rows, k);
		else
			app_status(a, true, "no row here to send again");
		free(rows);
		return true;
	}
	default:
		return false;
	}
}

const struct view_ops view_errors_ops = {
	.name = "errors", .title = "Errors", .folds = true,
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .done = done,
};
