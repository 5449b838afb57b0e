/* limitcheck.c: a send's rows against the configured association limits
 * (see limitcheck.h). */
#include "hubassoc/limitcheck.h"

#include <stdlib.h>
#include <string.h>

#include "hubassoc/assocset.h"
#include "hubassoc/labels.h"
#include "hubassoc/text.h"

/* A row that would give a record (rec, on side k) a type a limit caps:
 * other is the record at its other end. */
struct lent {
	const char *rec, *other;
	uint32_t row;
	uint32_t type_id;        /* the type as the side's direction names it */
	enum assoc_category cat;
	uint32_t max;
	uint32_t spec;           /* the row's type (from -> to), by index */
	bool held;               /* the pair holds the type already */
};

struct lside {
	struct assoc_limits lim;
	bool listed;             /* the GET answered */
	struct lent *v;
	size_t n;
	struct assocset *set;
};

struct limitcheck {
	const struct session *s;
	const struct assoc_labels *labels;
	enum api_version api;
	struct lside side[2];    /* 0: FROM's limits (from -> to), 1: TO's */
	struct assoc_labels reverse;  /* to -> from's labels: the inverses */
	bool reverse_asked, reads_queued, gathered;
	char *unread;
	char *applied;
};

struct lget {
	struct limitcheck *lc;
	int k;
};

static void
on_limits(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct lget *g = arg;
	struct limitcheck *lc = g->lc;
	char *cause = NULL;

	(void)c;
	if (g->k == 2) {
		/* The other direction's labels: the pairs' inverses, or none. */
		size_t skipped;
		if (!refused && labels_parse(res->body.data != NULL ? res->body.data : "",
		    res->body.len, &lc->reverse, &skipped, &cause) != 0)
			free(cause);
		return;
	}
	if (refused) {
		struct buf m = BUF_INIT;
		buf_printf(&m, "the portal refused to list them (HTTP %d", res->status);
		if (r->kind == RESPONSE_ERROR && r->error.message != NULL)
			buf_printf(&m, ": %s", r->error.message);
		buf_addc(&m, ')');
		if (lc->unread == NULL)
			lc->unread = buf_detach(&m);
		buf_free(&m);
		return;
	}
	if (limits_parse(res->body.data != NULL ? res->body.data : "", res->body.len,
	    &lc->side[g->k].lim, &cause) != 0) {
		if (lc->unread == NULL)
			lc->unread = cause;
		else
			free(cause);
		return;
	}
	lc->side[g->k].listed = true;
}

static void
get(struct limitcheck *lc, struct calls *c, int k, const char *path)
{
	struct lget *g = xcalloc(1, sizeof(*g));
	struct call_extra x = { .free_arg = true };

	g->lc = lc;
	g->k = k;
	calls_add_ex(c, &x, "limits", "GET", path, NULL, on_limits, g);
}

struct limitcheck *
limitcheck_start(struct calls *c, const struct session *s,
    const struct assoc_labels *labels, enum api_version api)
{
	struct limitcheck *lc = xcalloc(1, sizeof(*lc));
	struct buf path = BUF_INIT;

	lc->s = s;
	lc->labels = labels;
	lc->api = api;
	for (int k = 0; k < 2; k++) {
		buf_reset(&path);
		limits_path(&path, k == 0 ? &s->plan.from : &s->plan.to, k == 0 ? &s->plan.to : &s->plan.from);
		get(lc, c, k, buf_str(&path));
	}
	buf_free(&path);
	return lc;
}

/* Whether TO's limits cap a USER_DEFINED type whose inverse the labels do
 * not give: the other direction's labels are read for it. */
static bool
inverses_wanted(const struct limitcheck *lc)
{
	const struct session *s = lc->s;

	for (size_t i = 0; i < lc->side[1].lim.n; i++)
		if (lc->side[1].lim.v[i].cat == ASSOC_CAT_USER)
			goto capped;
	return false;
capped:
	for (size_t i = 0; i < s->plan.ntypes; i++) {
		const struct plan_types *t = &s->plan.types[i];
		for (size_t k = 0; t->ok && k < t->n; k++) {
			const struct assoc_label *l = lc->labels != NULL ?
			    assoc_labels_find(lc->labels, t->specs[k].cat,
			    t->specs[k].type_id) : NULL;
			if (t->specs[k].cat == ASSOC_CAT_USER && (l == NULL || l->inverse == 0))
				return true;
		}
	}
	return false;
}

/* The type a record of side 1 (TO) holds for spec: its inverse, or false
 * when it is not known. */
static bool
inverse_of(const struct limitcheck *lc, const struct assoc_spec *sp,
    uint32_t *type_id)
{
	const struct session *s = lc->s;

	if (sp->cat == ASSOC_CAT_HUBSPOT) {
		const struct assoc_builtin *b = assoc_builtin_find(sp->type_id, s->plan.from.id,
		    s->plan.to.id);
		if (b != NULL && b->inverse != 0) {
			*type_id = b->inverse;
			return true;
		}
	}
	const struct assoc_label *l = lc->labels != NULL ?
	    assoc_labels_find(lc->labels, sp->cat, sp->type_id) : NULL;
	if (l != NULL && l->inverse != 0) {
		*type_id = l->inverse;
		return true;
	}
	/* A pair of labels: HubSpot numbers the two ends one apart; the
	 * other direction's that is, when only one is. */
	size_t hits = 0;
	for (size_t i = 0; i < lc->reverse.n; i++) {
		const struct assoc_label *r = &lc->reverse.v[i];
		if (r->cat == sp->cat && (r->type_id == sp->type_id + 1 ||
		    r->type_id + 1 == sp->type_id)) {
			hits++;
			*type_id = r->type_id;
		}
	}
	return hits == 1;
}

/* The rows a side's limits cap, gathered. */
static void
gather(struct limitcheck *lc, int k)
{
	const struct session *s = lc->s;
	struct lside *sd = &lc->side[k];

	if (sd->lim.n == 0)
		return;
	for (size_t i = 0; i < s->plan.nsend; i++) {
		uint32_t row = s->plan.order[i];
		/* Outcomes not begun yet (a send about to be asked): every
		 * row of the plan's is to go. */
		if (s->out.state != NULL && s->out.state[row] != OUTCOME_PENDING)
			continue;
		/* A relabel writes nothing for a pair that is not there. */
		if (s->plan.op == PLAN_OP_RELABEL && s->pre.rows != NULL &&
		    pre_row_relabel(&s->pre.rows[row], &s->plan, s->in, row) ==
		    PRE_RL_NO_PAIR)
			continue;
		const struct input_row *r = &s->in->rows[row];
		const struct plan_types *t = plan_row_types(&s->plan, s->in, row);
		for (size_t x = 0; t->ok && x < t->n; x++) {
			uint32_t type_id = t->specs[x].type_id, max;
			if (k == 1 && !inverse_of(lc, &t->specs[x], &type_id))
				continue;
			if ((max = assoc_limits_find(&sd->lim, t->specs[x].cat, type_id)) == 0)
				continue;
			sd->v = xreallocarray(sd->v, sd->n + 1, sizeof(*sd->v));
			sd->v[sd->n++] = (struct lent){
				k == 0 ? input_from(s->in, r) : input_to(s->in, r),
				k == 0 ? input_to(s->in, r) : input_from(s->in, r),
				row, type_id, t->specs[x].cat, max, (uint32_t)x, false };
		}
	}
}

bool
limitcheck_wants(struct limitcheck *lc)
{
	if (lc->reads_queued)
		return false;
	if (!lc->reverse_asked && inverses_wanted(lc))
		return true;
	if (!lc->gathered) {
		gather(lc, 0);
		gather(lc, 1);
		lc->gathered = true;
	}
	return lc->side[0].n + lc->side[1].n > 0;
}

void
limitcheck_read(struct limitcheck *lc, struct calls *c)
{
	struct buf path = BUF_INIT;

	if (!lc->reverse_asked && inverses_wanted(lc)) {
		lc->reverse_asked = true;
		labels_path(&path, lc->api, &lc->s->plan.to, &lc->s->plan.from);
		get(lc, c, 2, buf_str(&path));
		buf_free(&path);
		return;
	}
	lc->reads_queued = true;

	size_t limits = 0, records = 0;
	bool queued = false;
	for (int k = 0; k < 2; k++) {
		struct lside *sd = &lc->side[k];
		if (sd->n == 0)
			continue;
		for (size_t i = 0; i < sd->lim.n; i++)
			for (size_t e = 0; e < sd->n; e++)
				if (sd->v[e].cat == sd->lim.v[i].cat &&
				    sd->v[e].type_id == sd->lim.v[i].type_id) {
					limits++;
					break;
				}
		const char **ids = xcalloc(sd->n + 1, sizeof(*ids));
		for (size_t i = 0; i < sd->n; i++)
			ids[i] = sd->v[i].rec;
		buf_reset(&path);
		request_assoc_path(&path, lc->api, k == 0 ? &lc->s->plan.from : &lc->s->plan.to,
		    k == 0 ? &lc->s->plan.to : &lc->s->plan.from, "batch/read");
		sd->set = assocset_new(c, "limits", buf_str(&path));
		assocset_read(sd->set, ids, sd->n);
		records += assocset_records(sd->set);
		free(ids);
		queued = true;
	}
	buf_free(&path);
	if (queued) {
		char a[64], b[64];
		lc->applied = xasprintf("%s %s to the rows: %s read", fmt_counted(a,
		    limits, "configured limit"), limits == 1 ? "applies" : "apply",
		    fmt_counted(b, records, "record"));
	}
}

static int
lent_cmp(const void *a, const void *b)
{
	const struct lent *x = a, *y = b;
	int c = x->type_id < y->type_id ? -1 : x->type_id > y->type_id;

	if (c == 0)
		c = x->cat < y->cat ? -1 : x->cat > y->cat;
	if (c == 0)
		c = strcmp(x->rec, y->rec);
	return c != 0 ? c : (x->row < y->row ? -1 : x->row > y->row);
}

/* The records rec holds on side k with the type. */
static size_t
held_count(const struct lside *sd, const char *rec, enum assoc_category cat,
    uint32_t type_id)
{
	const struct assocread_from *f = assocset_from(sd->set, rec);
	size_t n = 0;

	for (size_t i = 0; f != NULL && i < f->nto; i++)
		n += assocread_to_has(&f->to[i], cat, type_id);
	return n;
}

/* The row's type by name: its label, or "" for the unlabeled type. */
static void
type_words(struct buf *out, const struct limitcheck *lc, size_t row, uint32_t spec)
{
	const struct session *s = lc->s;
	const struct assoc_spec *sp = &plan_row_types(&s->plan, s->in, row)->specs[spec];
	const struct assoc_label *l = lc->labels != NULL ?
	    assoc_labels_find(lc->labels, sp->cat, sp->type_id) : NULL;
	const struct assoc_builtin *b = sp->cat == ASSOC_CAT_HUBSPOT ?
	    assoc_builtin_find(sp->type_id, s->plan.from.id, s->plan.to.id) : NULL;
	const char *name = l != NULL ? l->label : b != NULL ? b->label : NULL;

	if (name != NULL) {
		buf_addstr(out, " labeled ");
		text_escape(out, name, strlen(name));
	} else if (l == NULL && b == NULL) {
		buf_printf(out, " by %s:%u", assoc_category_name(sp->cat), sp->type_id);
	}
}

size_t
limitcheck_over(struct limitcheck *lc, size_t max,
    void (*line)(void *arg, const char *text), void *arg)
{
	const struct session *s = lc->s;
	struct buf m = BUF_INIT;
	size_t over = 0;
	char a[32];

	for (int k = 0; k < 2; k++) {
		struct lside *sd = &lc->side[k];
		const struct objtype *own = k == 0 ? &s->plan.from : &s->plan.to;
		const struct objtype *other = k == 0 ? &s->plan.to : &s->plan.from;
		if (sd->n > 1)
			qsort(sd->v, sd->n, sizeof(*sd->v), lent_cmp);
		for (size_t a0 = 0, b0; a0 < sd->n; a0 = b0) {
			const struct lent *e = &sd->v[a0];
			size_t adds = 0;
			for (b0 = a0; b0 < sd->n && sd->v[b0].type_id == e->type_id &&
			    sd->v[b0].cat == e->cat && strcmp(sd->v[b0].rec, e->rec) == 0; b0++) {
				const struct assocread_to *p = assocset_pair(sd->set, e->rec,
				    sd->v[b0].other);
				sd->v[b0].held = p != NULL && assocread_to_has(p, e->cat,
				    e->type_id);
				adds += !sd->v[b0].held;
			}
			size_t held = held_count(sd, e->rec, e->cat, e->type_id);
			if (held + adds <= e->max || adds == 0)
				continue;
			if (over++ >= max)
				continue;
			buf_reset(&m);
			buf_printf(&m, "%s %s may have %u %s", objtype_singular(own), e->rec,
			    e->max, e->max == 1 ? objtype_singular(other) : objtype_name(other));
			type_words(&m, lc, e->row, e->spec);
			buf_printf(&m, "; it has %s and this file adds %zu (line%s ",
			    fmt_count(a, held), adds, adds == 1 ? "" : "s");
			size_t shown = 0;
			for (size_t i = a0; i < b0; i++) {
				if (sd->v[i].held)
					continue;
				if (shown++ == 10) {
					buf_addstr(&m, ", ...");
					break;
				}
				if (shown > 1)
					buf_addstr(&m, ", ");
				input_line_label(s->in, s->in->rows[sd->v[i].row].line, &m);
			}
			buf_addc(&m, ')');
			line(arg, buf_str(&m));
		}
	}
	buf_free(&m);
	return over;
}

const char *
limitcheck_applied(const struct limitcheck *lc)
{
	return lc->applied;
}

char *
limitcheck_said(const struct limitcheck *lc, enum engine_stop stop, const char *why)
{
	if (stop == ENGINE_AUTH || stop == ENGINE_CONFIG || (lc->unread != NULL &&
	    lc->applied == NULL))
		return xasprintf("not read (%s): a write past one fails at the portal",
		    stop == ENGINE_COMPLETE ? lc->unread : why != NULL ? why :
		    "the portal does not list them to this token");
	if (lc->unread != NULL)
		return xasprintf("%s; not all read (%s)", lc->applied, lc->unread);
	return lc->applied != NULL ? xstrdup(lc->applied) : NULL;
}

char *
limitcheck_refusal(size_t over, const char *first)
{
	char a[64];

	return xasprintf("%s would pass %s configured limit (%s%s)",
	    fmt_counted(a, over, "record"), over == 1 ? "its" : "their",
	    first != NULL ? first : "?", over > 1 ? ", ..." : "");
}

void
limitcheck_free(struct limitcheck *lc)
{
	if (lc == NULL)
		return;
	for (int k = 0; k < 2; k++) {
		assoc_limits_free(&lc->side[k].lim);
		free(lc->side[k].v);
		assocset_free(lc->side[k].set);
	}
	assoc_labels_free(&lc->reverse);
	free(lc->unread);
	free(lc->applied);
	free(lc);
}
