/* portal.c: what the portal holds now, read-only: the associations of the
 * record under the cursor (p in Pairs and Results), or of every FROM
 * record of the session (:read), read in the background (assocset.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/assocset.h"
#include "hubassoc/text.h"

/* A line: a pair, or a record with none (to == SIZE_MAX), or one the
 * portal does not know (missing). */
struct pline {
	size_t id;                 /* the set's record, in the order asked */
	size_t to;                 /* into its FROM's to[], or SIZE_MAX */
	bool missing;
};

struct portal {
	struct objtype from, to;
	size_t nids;               /* FROM records asked for, each once */
	struct assocset *set;      /* while reading, and what it found */
	struct pline *lines;
	size_t nlines, npairs;
	char at[16];               /* when it was read: HH:MM:SS */
	int idw;                   /* the widest ID read, at least 10 */
	bool reading;
};

static struct portal *
P(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct portal));
	return v->data;
}

static void
done(struct view *v)
{
	struct portal *p = P(v);

	free(p->lines);
	assocset_free(p->set);
	memset(p, 0, sizeof(*p));
}

/* The ID columns are as wide as the widest ID (HubSpot's are 11 digits
 * or fewer), so that the types have the room at 80 columns. */
static void
widen(struct portal *p, const char *id)
{
	int n = (int)text_width(id, strlen(id));

	if (n > p->idw)
		p->idw = n > 40 ? 40 : n;
}

/* The read is answered (op_read, which said how it went): a line a pair,
 * in the order the records were asked for. */
static void
read_done(struct app *a)
{
	struct view *v = &a->views[VIEW_PORTAL];
	struct portal *p = P(v);

	p->reading = false;
	a->need_redraw = true;
	if (a->op->status != EXIT_ALL_CREATED) {
		/* Stopped: nothing half read is shown as what the portal holds. */
		p->nids = 0;
		return;
	}
	p->set = op_read_take(a->op);
	p->idw = 10;
	/* The session shown went to another portal: what was read is this
	 * terminal's, said so. */
	const struct journal_meta *m = a->run != NULL ? &a->run->s->meta : NULL;
	if (m != NULL && app_sent_elsewhere(a, m) && a->op->summary != NULL)
		app_status(a, true, "%s, from this terminal's portal: session %s went "
		    "to %s", a->op->summary, m->id, app_portal_of(m));
	for (size_t i = 0; i < p->nids; i++) {
		const char *id = assocset_record_id(p->set, i);
		const struct assocread_from *f = assocset_from(p->set, id);
		size_t n = f != NULL && f->nto > 0 ? f->nto : 1;
		p->lines = xreallocarray(p->lines, p->nlines + n, sizeof(*p->lines));
		for (size_t k = 0; k < n; k++)
			p->lines[p->nlines++] = (struct pline){ i, f != NULL &&
			    f->nto > 0 ? k : SIZE_MAX, f == NULL ||
			    assocset_missing(p->set, id) };
		p->npairs += f != NULL ? f->nto : 0;
		widen(p, id);
		for (size_t k = 0; f != NULL && k < f->nto; k++)
			widen(p, f->to[k].id);
	}
	time_t t = time(NULL);
	strftime(p->at, sizeof(p->at), "%H:%M:%S", localtime(&t));
	v->cursor = v->top = 0;
}

void
view_portal_read(struct app *a, const struct objtype *from, const struct objtype *to,
    const char *const *ids, size_t n)
{
	struct view *v = &a->views[VIEW_PORTAL];
	struct portal *p;

	if (!a->connected) {
		app_status(a, true, "not connected: %s", a->conn_error != NULL ?
		    a->conn_error : "no token");
		return;
	}
	/* Each record once, as first given. */
	struct op *o = op_read(&a->conn, from, to, NULL, 0, ids, n);
	size_t records = op_read_records(o);
	if (!app_op_start(a, o, read_done))
		return;
	done(v);
	p = P(v);
	p->from = *from;
	p->to = *to;
	p->nids = records;
	p->idw = 10;               /* the headings' width while it reads */
	p->reading = true;
	char c1[64];
	app_status(a, false, "reading what the portal holds for %s...",
	    fmt_counted(c1, p->nids, "record"));
	app_show(a, VIEW_PORTAL);
}

static size_t
count(struct view *v)
{
	return P(v)->nlines;
}

/* A pair's types: whole ("HUBSPOT_DEFINED:1 Primary; USER_DEFINED:36
 * Billing contact"), or their labels only when that does not fit in w
 * (v shows them whole). */
static void
types_text(struct buf *b, const struct assocread_to *t, bool whole)
{
	for (size_t k = 0; k < t->ntypes; k++) {
		const struct assocread_type *x = &t->types[k];
		buf_addstr(b, k ? "; " : "");
		if (whole)
			buf_printf(b, "%s:%u ", assoc_category_name(x->cat), x->type_id);
		buf_addstr(b, x->label != NULL ? x->label : "(unlabeled)");
	}
}

static const struct assocread_to *
pair_to(const struct portal *p, const struct pline *l)
{
	const char *from = assocset_record_id(p->set, l->id);

	return l->missing || l->to == SIZE_MAX ? NULL :
	    &assocset_from(p->set, from)->to[l->to];
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct portal *p = P(v);
	const struct pline *l = &p->lines[i];
	const char *from = assocset_record_id(p->set, l->id);
	const struct assocread_to *t = pair_to(p, l);
	struct buf line = BUF_INIT, safe = BUF_INIT;
	enum role role = ROLE_DEFAULT;

	buf_printf(&line, "%-*s ", p->idw, from);
	if (l->missing) {
		buf_addstr(&line, "(the portal has no such record)");
		role = ROLE_ERROR;
	} else if (t == NULL) {
		buf_addstr(&line, "(no associations)");
		role = ROLE_DIM;
	} else {
		buf_printf(&line, "%-*s ", p->idw, t->id);
		size_t at = line.len;
		types_text(&line, t, true);
		if (text_width(line.data, line.len) > (size_t)w) {
			line.len = at;
			types_text(&line, t, false);
		}
	}
	/* The portal's words are shown, never acted on. */
	text_escape(&safe, line.data, line.len);
	draw_text(y, 0, w, buf_str(&safe), cursor ? ROLE_CURSOR : role, true);
	buf_free(&line);
	buf_free(&safe);
}

static int
draw_head(struct view *v, int y, int w)
{
	struct portal *p = P(v);
	char head[240], c1[64], c2[64];

	if (p->nids == 0)
		return draw_wrapped(y, 0, w, "Nothing read yet: p on a pair reads its "
		    "FROM record; :read reads every one of the session shown.",
		    ROLE_DIM, 3);
	if (p->reading)
		snprintf(head, sizeof(head), "%s to %s: reading %s...",
		    objtype_name(&p->from), objtype_name(&p->to),
		    fmt_counted(c1, p->nids, "record"));
	else {
		/* Shorter when it must be: the counts, the direction and the
		 * time stay. */
		const char *as = " as the portal holds them";
		for (int k = 0; k < 2; k++) {
			snprintf(head, sizeof(head), "%s, %s: %s to %s,%s at %s "
			    "(read-only)", fmt_counted(c1, p->nids, "record"),
			    fmt_counted(c2, p->npairs, "pair"), objtype_name(&p->from),
			    objtype_name(&p->to), k == 0 ? as : " read", p->at);
			if (text_width(head, strlen(head)) <= (size_t)w)
				break;
		}
	}
	draw_text(y, 0, w, head, ROLE_TITLE, true);
	struct buf cols = BUF_INIT;
	buf_printf(&cols, "%-*s %-*s TYPES", p->idw, "FROM", p->idw, "TO");
	draw_text(y + 1, 0, w, buf_str(&cols), ROLE_COLUMN, true);
	buf_free(&cols);
	return 2;
}

/* v: the pair whole, each type on a line of its own. */
static void
show_pair(struct app *a, struct view *v)
{
	struct portal *p = P(v);

	if (p->reading || v->cursor >= p->nlines) {
		app_status(a, false, "no pair here: p on a pair reads its FROM record");
		return;
	}
	const struct pline *l = &p->lines[v->cursor];
	const struct assocread_to *t = pair_to(p, l);
	struct buf f = BUF_INIT, title = BUF_INIT;

	buf_printf(&f, "%s\t%s\n", objtype_name(&p->from), assocset_record_id(p->set,
	    l->id));
	if (l->missing)
		buf_addstr(&f, "state\tthe portal has no such record\n");
	else if (t == NULL)
		buf_printf(&f, "state\tno associations to %s\n", objtype_name(&p->to));
	else {
		buf_printf(&f, "%s\t%s\n", objtype_name(&p->to), t->id);
		for (size_t k = 0; k < t->ntypes; k++) {
			const struct assocread_type *x = &t->types[k];
			buf_printf(&f, "%s\t%s:%u %s\n", k == 0 ? "types" : "",
			    assoc_category_name(x->cat), x->type_id, x->label != NULL ?
			    x->label : "(unlabeled)");
		}
	}
	buf_printf(&f, "read at\t%s\n", p->at);
	buf_printf(&title, "Portal: %s to %s", objtype_name(&p->from),
	    objtype_name(&p->to));
	view_detail_set(&a->views[VIEW_DETAIL], buf_str(&title), &f);
	app_show(a, VIEW_DETAIL);
	buf_free(&f);
	buf_free(&title);
}

static bool
action(struct view *v, enum action act)
{
	if (act != ACT_DETAIL)
		return false;
	show_pair(v->app, v);
	return true;
}

const struct view_ops view_portal_ops = {
	.name = "portal", .title = "Portal",
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .done = done,
};
