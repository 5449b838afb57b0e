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
	/* The session shown went to another portal: what was read is this
	 * terminal's, said so. */
	const struct journal_meta *m = a->run != NULL ? &a->run->session.meta : NULL;
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

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct portal *p = P(v);
	const struct pline *l = &p->lines[i];
	const char *from = assocset_record_id(p->set, l->id);
	struct buf line = BUF_INIT, safe = BUF_INIT;
	enum role role = ROLE_DEFAULT;

	buf_printf(&line, "%-20s ", from);
	if (l->missing) {
		buf_addstr(&line, "(the portal has no such record)");
		role = ROLE_ERROR;
	} else if (l->to == SIZE_MAX) {
		buf_addstr(&line, "(no associations)");
		role = ROLE_DIM;
	} else {
		const struct assocread_to *t = &assocset_from(p->set, from)->to[l->to];
		buf_printf(&line, "%-20s ", t->id);
		for (size_t k = 0; k < t->ntypes; k++)
			buf_printf(&line, "%s%s:%u %s", k ? "; " : "",
			    assoc_category_name(t->types[k].cat), t->types[k].type_id,
			    t->types[k].label != NULL ? t->types[k].label : "(unlabeled)");
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

	if (p->nids == 0) {
		draw_text(y, 0, w, "Nothing read yet: p on a pair reads its FROM record; "
		    ":read reads every one of the session shown.", ROLE_DIM, true);
		return 1;
	}
	if (p->reading)
		snprintf(head, sizeof(head), "%s to %s: reading %s...",
		    objtype_name(&p->from), objtype_name(&p->to),
		    fmt_counted(c1, p->nids, "record"));
	else
		snprintf(head, sizeof(head), "%s, %s: %s to %s, as the portal holds "
		    "them at %s (read-only)", fmt_counted(c1, p->nids, "record"),
		    fmt_counted(c2, p->npairs, "pair"), objtype_name(&p->from),
		    objtype_name(&p->to), p->at);
	draw_text(y, 0, w, head, ROLE_TITLE, true);
	draw_text(y + 1, 0, w, "FROM                 TO                   TYPES",
	    ROLE_COLUMN, true);
	return 2;
}

const struct view_ops view_portal_ops = {
	.name = "portal", .title = "Portal",
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.done = done,
};
