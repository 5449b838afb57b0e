/*
 * journal_read.c: a session read back from its journal, rebuilt as the
 * runs had it: its rows and plan, each send, each row's outcome.  Rows
 * whose request has no recorded answer are unconfirmed; a last line cut
 * short by a crash is ignored; damage elsewhere is counted or refused.
 */
#include <errno.h>
#include <stdio.h>

#include "journal_int.h"
#include "hubassoc/key.h"
#include "hubassoc/names.h"

static int
read_objtype(const cJSON *h, const char *key, struct objtype *t, char **cause)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(h, key);
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(o, "path");

	if (!cJSON_IsString(path) || objtype_parse(path->valuestring, t, cause) != 0) {
		if (*cause == NULL)
			*cause = xasprintf("the session record has no '%s' type", key);
		return -1;
	}
	return 0;
}

static void
restore_sets(struct session *s, const cJSON *sets)
{
	const cJSON *set;
	size_t k = 0;

	/* Set 0 exists already; the others come back in their order. */
	cJSON_ArrayForEach(set, sets) {
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(set, "text");
		if (k > 0 && cJSON_IsString(text))
			input_set_intern(s->in, text->valuestring, strlen(text->valuestring));
		k++;
	}
}

/* The types of the sets from first on, as the record lists them. */
static void
restore_types(struct session *s, const cJSON *sets, size_t first)
{
	const cJSON *set;
	size_t k = first;

	cJSON_ArrayForEach(set, sets) {
		if (k >= s->plan.ntypes)
			break;
		struct plan_types *t = &s->plan.types[k];
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(set, "resolved"), *v;
		t->canon = (uint32_t)get_num(set, "canon");
		t->error = get_str(set, "type_error");
		if (cJSON_IsArray(res)) {
			t->ok = true;
			t->specs = xcalloc((size_t)cJSON_GetArraySize(res) + 1, sizeof(*t->specs));
			cJSON_ArrayForEach(v, res) {
				char *c = NULL;
				if (cJSON_IsString(v) && assoc_spec_parse(v->valuestring,
				    strlen(v->valuestring), &t->specs[t->n], &c) == 0)
					t->n++;
				free(c);
			}
		}
		k++;
	}
}

/* A relabel's types to replace ("all", or specs) and create_missing;
 * false when they are not such. */
static bool
restore_relabel(struct plan_relabel *r, const cJSON *header)
{
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(header, "replace"), *v;

	r->create_missing = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(header,
	    "create_missing"));
	if (cJSON_IsString(rep) && strcmp(rep->valuestring, "all") == 0) {
		r->all = true;
		return true;
	}
	if (rep != NULL && !cJSON_IsArray(rep))
		return false;
	r->replace = xcalloc((size_t)cJSON_GetArraySize(rep) + 1, sizeof(*r->replace));
	cJSON_ArrayForEach(v, rep) {
		char *c = NULL;
		bool parsed = cJSON_IsString(v) && assoc_spec_parse(v->valuestring,
		    strlen(v->valuestring), &r->replace[r->nreplace], &c) == 0;
		free(c);
		if (!parsed)
			return false;
		r->nreplace++;
	}
	return true;
}

/* The rows read so far: what the plan said of them, until the plan can
 * be rebuilt. */
struct rows_acc {
	uint8_t *state, *why;
	uint32_t *ref;
	size_t cap;
};

/* One row as a rows record holds it. */
struct rec_row {
	uint64_t v[7];   /* line, status, reason, field, set, plan state, ref */
	uint8_t why;     /* from a plan state's name: what the plan found */
	const char *from, *to, *detail;
};

/* Adds a recorded row; false when it is damaged. */
static bool
restore_row(struct session *s, const struct rec_row *r, struct rows_acc *acc)
{
	static const uint64_t max[7] = { UINT32_MAX, ROW_INVALID, INPUT_REASON_LAST,
	    UINT8_MAX, UINT32_MAX, PLAN_DUPLICATE, UINT32_MAX };
	const uint64_t *v = r->v;
	enum input_reason why = INPUT_OK;
	uint64_t ref = v[6];

	for (int i = 0; i < 7; i++)
		if (v[i] > max[i])
			return false;
	/* What the plan found is the plan's, not the row's: the row is
	 * kept as the parser took it, a conflict's ref the other row.
	 * Before version 3 it was written as the row's reason, and a
	 * conflict's other row as its detail. */
	if (r->why != INPUT_OK) {
		why = (enum input_reason)r->why;
		/* A conflict's other row may come later: its ref is checked
		 * once all rows are in (restore_plan). */
		if (v[1] != ROW_VALID || v[2] != INPUT_OK)
			return false;
		if (why != INPUT_CONFLICT && why != INPUT_ONE_CONFLICT)
			ref = PLAN_NONE;
	} else if (v[2] == INPUT_TYPE_MISMATCH || v[2] == INPUT_CONFLICT ||
	    v[2] == INPUT_NO_TYPE) {
		char *end;
		why = (enum input_reason)v[2];
		if (v[1] != ROW_INVALID || v[5] != PLAN_INVALID)
			return false;
		if (why == INPUT_CONFLICT) {
			ref = strtoull(r->detail, &end, 10);
			if (*end != '\0' || end == r->detail || ref >= s->in->nrows)
				return false;
		}
	}
	/* Sets come from the header; a duplicate names an earlier row;
	 * a chunk holds at least one row, so its number is below theirs. */
	if (v[4] >= (s->in->nsets ? s->in->nsets : 1) ||
	    (v[5] != PLAN_INVALID && v[6] >= s->in->nrows + (v[5] == PLAN_SEND)))
		return false;
	/* Rows to send hold IDs, as the parser left them. */
	bool parsed = v[5] != PLAN_INVALID || why != INPUT_OK;
	bool (*cell_ok)(const char *) = why == INPUT_KEY_PENDING ? input_cell_ok :
	    input_id_ok;        /* a row waiting for its lookup holds keys */
	if ((parsed && (!cell_ok(r->from) || !cell_ok(r->to))) ||
	    (v[5] != PLAN_INVALID && v[1] != ROW_VALID))
		return false;
	if (why != INPUT_OK)
		input_add_recorded(s->in, (uint32_t)v[0], ROW_VALID, INPUT_OK, 0,
		    (uint32_t)v[4], r->from, r->to, "");
	else
		input_add_recorded(s->in, (uint32_t)v[0], (enum input_status)v[1],
		    (enum input_reason)v[2], (uint8_t)v[3], (uint32_t)v[4],
		    r->from, r->to, r->detail);
	if (s->in->nrows > acc->cap) {
		size_t nc = acc->cap ? acc->cap * 2 : 4096;
		while (nc < s->in->nrows)
			nc *= 2;
		acc->state = xreallocarray(acc->state, nc, sizeof(*acc->state));
		acc->why = xreallocarray(acc->why, nc, sizeof(*acc->why));
		acc->ref = xreallocarray(acc->ref, nc, sizeof(*acc->ref));
		acc->cap = nc;
	}
	acc->state[s->in->nrows - 1] = (uint8_t)v[5];
	acc->why[s->in->nrows - 1] = (uint8_t)why;
	acc->ref[s->in->nrows - 1] = (uint32_t)ref;
	return true;
}

bool
journal_row_value(const cJSON *x, int i, uint64_t *v, uint8_t *why)
{
	if (row_code_at(i) >= 0 && cJSON_IsString(x))
		return journal_row_code((enum row_code)row_code_at(i), x->valuestring,
		    strlen(x->valuestring), v, why);
	return num_value(x, JOURNAL_NUM_MAX, v);
}

/* The rows of a rows record read by cJSON; false at the first damaged. */
static bool
restore_rows(struct session *s, const cJSON *rows, struct rows_acc *acc)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, rows) {
		struct rec_row row;
		const cJSON *f = cJSON_GetArrayItem(r, 7), *t = cJSON_GetArrayItem(r, 8);
		const cJSON *d = cJSON_GetArrayItem(r, 9);
		if (!cJSON_IsArray(r) || !cJSON_IsString(f) || !cJSON_IsString(t) ||
		    !cJSON_IsString(d))
			return false;
		row.why = INPUT_OK;
		for (int i = 0; i < 7; i++)
			if (!journal_row_value(cJSON_GetArrayItem(r, i), i, &row.v[i], &row.why))
				return false;
		row.from = f->valuestring;
		row.to = t->valuestring;
		row.detail = d->valuestring;
		if (!restore_row(s, &row, acc))
			return false;
	}
	return true;
}

/* The plan and fresh outcomes from the recorded rows; false when its
 * chunks are not ones a plan makes (empty, or over the chunk size). */
static bool
restore_plan(struct session *s, const cJSON *header, const cJSON *sets,
    const struct rows_acc *acc)
{
	uint64_t chunk_size = get_num(header, "chunk_size");
	bool ok = chunk_size <= PLAN_CHUNK_MAX;
	struct plan *p = &s->plan;

	plan_restore_begin(p, &s->from, &s->to, ok ? (size_t)chunk_size : 0,
	    s->in->nrows, s->in->nsets);
	p->op = s->meta.op;
	if (p->op == PLAN_OP_RELABEL)
		ok &= restore_relabel(&p->relabel, header);
	for (size_t i = 0; i < s->in->nrows; i++) {
		p->state[i] = acc->state[i];
		p->why[i] = acc->why[i];
		if (p->state[i] == PLAN_SEND)
			p->chunk[i] = acc->ref[i];
		else if (p->state[i] == PLAN_DUPLICATE || p->why[i] == INPUT_CONFLICT ||
		    p->why[i] == INPUT_ONE_CONFLICT) {
			p->other[i] = acc->ref[i];
			ok &= acc->ref[i] < s->in->nrows;
		}
	}
	restore_types(s, sets, 0);
	plan_reindex(p);
	outcomes_init(&s->out, p, false);
	for (size_t c = 0; c < s->plan.nchunks; c++)
		if (s->plan.chunks[c].count == 0 ||
		    s->plan.chunks[c].count > s->plan.chunk_size)
			ok = false;
	return ok;
}

static void
replay_error(struct session *s, const cJSON *rec)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const cJSON *local = cJSON_GetObjectItemCaseSensitive(rec, "local");
	char *text = cJSON_PrintUnformatted(err);
	struct response r;

	/* Numbered as its writer held it: after the mark of the rows sent
	 * without an answer, which a session read back to resume holds and
	 * no record has; the same mark keeps the numbers (before, a resumed
	 * send's errors were one off, and its rows lost them). */
	uint64_t n = get_num(rec, "n");
	for (int pad = 0; pad < 64 && n > s->out.nerrors + 1; pad++)
		journal_unconfirmed_mark(s);
	/* The error's JSON reads back through the parser it came from. */
	response_parse(&r, 400, text, text != NULL ? strlen(text) : 0);
	outcomes_add_error(&s->out, hs_error_dup(&r.error),
	    (uint32_t)get_num(rec, "chunk"), (uint16_t)get_num(rec, "http"),
	    cJSON_IsTrue(local));
	response_free(&r);
	cJSON_free(text);
}

static void
replay_labels(struct session *s, const cJSON *rec)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "v"), *l;
	char **list = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(*list));
	size_t n = 0;

	cJSON_ArrayForEach(l, v)
		if (cJSON_IsString(l))
			list[n++] = l->valuestring;
	outcomes_push_labels(&s->out, list, n);
	free(list);
}

/* Sets a row's recorded outcome; entries that do not fit are skipped. */
static void
replay_outcome(struct session *s, uint64_t row, const char *name, uint64_t http,
    uint64_t err, uint64_t lab)
{
	enum outcome o;

	if (row >= s->out.n || http > UINT16_MAX || outcome_parse(name, &o) != 0)
		return;
	outcomes_set(&s->out, (size_t)row, o, (uint16_t)http,
	    err <= s->out.nerrors ? (uint32_t)err : 0);
	s->out.labels[row] = lab <= s->out.nlabel_sets ? (uint32_t)lab : 0;
}

static void
replay_outcomes(struct session *s, const cJSON *rec)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(rec, "rows"), *r;

	cJSON_ArrayForEach(r, rows) {
		uint64_t row, http, err, lab;
		const cJSON *st = cJSON_GetArrayItem(r, 1);
		if (num_value(cJSON_GetArrayItem(r, 0), JOURNAL_NUM_MAX, &row) &&
		    num_value(cJSON_GetArrayItem(r, 2), JOURNAL_NUM_MAX, &http) &&
		    num_value(cJSON_GetArrayItem(r, 3), JOURNAL_NUM_MAX, &err) &&
		    num_value(cJSON_GetArrayItem(r, 4), JOURNAL_NUM_MAX, &lab) &&
		    cJSON_IsString(st))
			replay_outcome(s, row, st->valuestring, http, err, lab);
	}
}

/* Rows and outcomes as the writer wrote them come from the scanner
 * (journal_scan.c); the reader applies them. */

/* 1: the rows are in; 0: not a line for the scanner; -1: a damaged row. */
static int
fast_rows(struct session *s, char *line, size_t len, struct rows_acc *acc,
    struct scanned_vec *x)
{
	if (!journal_scan_rows(line, len, x))
		return 0;
	for (size_t i = 0; i < x->n; i++) {
		struct rec_row r = { .from = x->v[i].str[0], .to = x->v[i].str[1],
		    .detail = x->v[i].str[2], .why = x->v[i].why };
		memcpy(r.v, x->v[i].v, sizeof(r.v));
		if (!restore_row(s, &r, acc))
			return -1;
	}
	return 1;
}

/* True when the outcomes are in; false: not a line for the scanner. */
static bool
fast_outcomes(struct session *s, char *line, size_t len, struct scanned_vec *x)
{
	if (!journal_scan_outcomes(line, len, x))
		return false;
	for (size_t i = 0; i < x->n; i++)
		replay_outcome(s, x->v[i].v[0], x->v[i].str[0], x->v[i].v[1],
		    x->v[i].v[2], x->v[i].v[3]);
	return true;
}

/* A record after the rows, and what reading it needs. */
struct event {
	struct session *s;
	const cJSON *rec;
	struct journal_sends *sends;   /* the requests of the send being read */
	long at;               /* where the record starts */
	struct rows_acc *acc;  /* the rows' plan as read */
	size_t *added;         /* rows added since the first send */
};

static int
ev_send(struct event *e, char **cause)
{
	(void)cause;
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(e->rec, "kind");
	bool aside = cJSON_IsString(k) && journal_kind_aside(k->valuestring,
	    strlen(k->valuestring));
	journal_count_request(e->s, get_num(e->rec, "req"), e->sends, e->at, aside);
	return 0;
}

static int
ev_answer(struct event *e, char **cause)
{
	(void)cause;
	/* A failure's name says none came (before: the name copied and
	 * leaked). */
	journal_count_answer(e->s, !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e->rec,
	    "failure")));
	return 0;
}

static int
ev_edit(struct event *e, char **cause)
{
	char *text = get_str(e->rec, "text");
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(e->rec, "keys");
	const cJSON *f = cJSON_GetArrayItem(k, 0), *t = cJSON_GetArrayItem(k, 1);
	const char *keys[2] = { cJSON_IsString(f) ? f->valuestring : NULL,
	    cJSON_IsString(t) ? t->valuestring : NULL };
	uint64_t row;

	/* Keys as a keys record holds them, or none. */
	for (int side = 0; side < 2; side++)
		if (keys[side] != NULL && keys[side][0] != '\0' && !key_is_key(keys[side]))
			keys[side] = NULL;
	int rc = text != NULL && num_value(cJSON_GetObjectItemCaseSensitive(e->rec,
	    "row"), UINT32_MAX, &row) ? session_apply_edit(e->s, (uint32_t)row, text,
	    keys, cause) : -1;

	free(text);
	return rc;
}

/* Rows added since the last send (journal_rows_added): the sets that came
 * with them, then the rows as a rows record holds them, each in no send
 * yet. */
static int
ev_add(struct event *e, char **cause)
{
	struct session *s = e->s;
	const cJSON *sets = cJSON_GetObjectItemCaseSensitive(e->rec, "sets"), *set;
	size_t first = s->in->nrows, nsets = s->in->nsets;

	if (s->send_of == NULL ||
	    get_num(e->rec, "first") != first || (sets != NULL && !cJSON_IsArray(sets)))
		goto damaged;
	cJSON_ArrayForEach(set, sets) {
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(set, "text");
		size_t next = s->in->nsets;
		if (!cJSON_IsString(text) || input_set_intern(s->in, text->valuestring,
		    strlen(text->valuestring)) != next)
			goto damaged;   /* a set the session has already */
	}
	const cJSON *sources = cJSON_GetObjectItemCaseSensitive(e->rec, "sources");
	if (cJSON_IsArray(sources)) {          /* every source, as the rows' */
		input_clear_sources(s->in);
		journal_restore_sources(s->in, sources);
	}
	uint64_t lines = get_num(e->rec, "lines");
	if (lines > s->in->lines)
		s->in->lines = (uint32_t)lines;
	session_rows_grow(s, first, s->in->nsets);
	restore_types(s, sets, nsets);
	if (!restore_rows(s, cJSON_GetObjectItemCaseSensitive(e->rec, "rows"), e->acc) ||
	    s->in->nrows == first)
		goto damaged;
	session_rows_grow(s, s->in->nrows, s->in->nsets);
	for (size_t i = first; i < s->in->nrows; i++) {
		if (e->acc->state[i] == PLAN_EARLIER || (e->acc->state[i] == PLAN_INVALID &&
		    e->acc->ref[i] != PLAN_NONE && e->acc->ref[i] >= s->in->nrows))
			goto damaged;
		session_row_planned(s, i, (enum plan_state)e->acc->state[i],
		    (enum input_reason)e->acc->why[i], e->acc->ref[i]);
	}
	plan_reindex(&s->plan);
	*e->added += s->in->nrows - first;
	return 0;
damaged:
	*cause = xstrdup("an add record is damaged");
	return -1;
}

/* Rows deleted from the terminal's pairs since a send (journal_retire). */
size_t
journal_rows_read(const cJSON *rec, const char *key, uint32_t **v)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(rec, key), *x;
	size_t n = 0;
	uint64_t row;

	*v = xcalloc(cJSON_IsArray(rows) ? (size_t)cJSON_GetArraySize(rows) + 1 : 1,
	    sizeof(**v));
	if (!cJSON_IsArray(rows))
		return SIZE_MAX;
	cJSON_ArrayForEach(x, rows) {
		if (!num_value(x, UINT32_MAX, &row))
			return SIZE_MAX;
		(*v)[n++] = (uint32_t)row;
	}
	return n;
}

static int
ev_retire(struct event *e, char **cause)
{
	uint32_t *v;
	size_t n = journal_rows_read(e->rec, "rows", &v);
	bool ok = n != SIZE_MAX && n > 0 && session_retire(e->s, v, n);

	free(v);
	if (!ok)
		*cause = xstrdup("a retire record is damaged");
	return ok ? 0 : -1;
}

static int
ev_resend(struct event *e, char **cause)
{
	if (journal_replay_resend(e->s, e->rec, cause) != 0)
		return -1;
	/* Rows the sends before left without an answer were decided when
	 * this one began. */
	e->sends->n = 0;
	return 0;
}

static int
ev_error(struct event *e, char **cause)
{
	(void)cause;
	replay_error(e->s, e->rec);
	return 0;
}

static int
ev_labels(struct event *e, char **cause)
{
	(void)cause;
	replay_labels(e->s, e->rec);
	return 0;
}

static int
ev_outcomes(struct event *e, char **cause)
{
	(void)cause;
	replay_outcomes(e->s, e->rec);
	return 0;
}

static int
ev_end(struct event *e, char **cause)
{
	struct session *s = e->s;
	char *state = get_str(e->rec, "state");

	(void)cause;
	session_ended(s, state, (int)get_num(e->rec, "exit"));
	s->meta.changed_since = false;
	/* As the sender had it: a retry declined gave its rows back. */
	if (state != NULL && strcmp(state, "declined") == 0)
		(void)session_send_declined(s);
	free(state);
	return 0;
}

/* A resume of the last send: its rows not_sent go again, as the resume
 * had them (session_resume_wanted), so that one killed with them in
 * flight leaves them unconfirmed (journal_mark_unconfirmed), and those it
 * never sent pending (before: not_sent, and an undo then left on the
 * portal the pairs its requests had made). */
static int
ev_resume(struct event *e, char **cause)
{
	(void)cause;
	e->s->meta.ended = false;
	outcomes_requeue(&e->s->out, &e->s->plan);
	session_retired_settle(e->s);
	return 0;
}

/* The send's plan was agreed to (a remove's question). */
static int
ev_agreed(struct event *e, char **cause)
{
	(void)cause;
	e->s->sends[e->s->nsends - 1].agreed = true;
	return 0;
}

/* An undo began reading (undo_begun), was told to go on (undo), was told
 * not to (undo_cancelled), or finished (undone, with its time: the rows it
 * took back are undone). */
static int
ev_undo_begun(struct event *e, char **cause)
{
	(void)cause;
	e->s->meta.undo = SESSION_UNDO_READING;
	return 0;
}

static int
ev_undo(struct event *e, char **cause)
{
	(void)cause;
	e->s->meta.undo = SESSION_UNDO_BEGUN;
	e->s->undo_at = e->at;
	return 0;
}

static int
ev_undo_cancelled(struct event *e, char **cause)
{
	(void)cause;
	e->s->meta.undo = SESSION_UNDO_NONE;
	return 0;
}

static int
ev_undone(struct event *e, char **cause)
{
	(void)cause;
	e->s->meta.undo = SESSION_UNDO_DONE;
	free(e->s->undone_at);
	e->s->undone_at = get_str(e->rec, "time");
	/* The rows it kept as they were, in row order (a damaged list keeps
	 * none back). */
	uint32_t *rows;
	size_t n = journal_rows_read(e->rec, "kept", &rows);
	for (size_t i = 1; n != SIZE_MAX && i < n; i++)
		if (rows[i] <= rows[i - 1])
			n = SIZE_MAX;
	uint32_t *bare;
	size_t nbare = journal_rows_read(e->rec, "bare", &bare);
	session_mark_undone(e->s, rows, n != SIZE_MAX ? n : 0, bare,
	    nbare != SIZE_MAX ? nbare : 0);
	free(rows);
	free(bare);
	return 0;
}

/* Types as "CATEGORY:ID" strings; false when one is not. */
static bool
pre_types_read(const cJSON *a, struct pre_type **out, uint16_t *n)
{
	const cJSON *x;

	*out = NULL;
	*n = 0;
	if (a == NULL)
		return true;
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > UINT16_MAX)
		return false;
	*out = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(**out));
	cJSON_ArrayForEach(x, a) {
		struct assoc_spec spec;
		char *cause = NULL;
		bool ok = false;
		if (cJSON_IsString(x) && assoc_spec_parse(x->valuestring,
		    strlen(x->valuestring), &spec, &cause) == 0) {
			ok = spec.cat != ASSOC_CAT_LABEL && spec.cat != ASSOC_CAT_UNKNOWN;
			(*out)[*n] = (struct pre_type){ spec.cat, spec.type_id };
			assoc_spec_clear(&spec);
		}
		free(cause);
		if (!ok) {
			free(*out);
			*out = NULL;
			return false;
		}
		(*n)++;
	}
	return true;
}

/* What rows' pairs held before: a row that is none, a class without a
 * name, types that are none, are damage. */
static int
ev_prestate(struct event *e, char **cause)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(e->rec, "rows"), *r;
	struct session *s = e->s;

	if (s->pre.rows == NULL)
		prestate_init(&s->pre, s->in->nrows);
	cJSON_ArrayForEach(r, rows) {
		uint64_t row, owner = 0;
		const cJSON *cls = cJSON_GetArrayItem(r, 1);
		const cJSON *holder = cJSON_GetArrayItem(r, 3);
		struct pre_row x = { 0 };
		enum pre_class c;
		if (!num_value(cJSON_GetArrayItem(r, 0), s->in->nrows ? s->in->nrows - 1 : 0,
		    &row) || s->in->nrows == 0 || !cJSON_IsString(cls) ||
		    pre_class_parse(cls->valuestring, &c) != 0 ||
		    !pre_types_read(cJSON_GetArrayItem(r, 2), &x.types, &x.ntypes)) {
			*cause = xstrdup("a prestate record is damaged");
			return -1;
		}
		x.cls = (uint8_t)c;
		if (cJSON_IsString(holder) &&
		    num_value(cJSON_GetArrayItem(r, 4), 2, &owner) &&
		    pre_types_read(cJSON_GetArrayItem(r, 5), &x.holder_types,
		    &x.nholder_types)) {
			x.holder = xstrndup(holder->valuestring,
			    strnlen(holder->valuestring, RESPONSE_ID_MAX));
			x.owner = (uint8_t)owner;
		}
		prestate_set(&s->pre, (size_t)row, &x);
	}
	return 0;
}

/* Keys rows were looked up by: [row, FROM's, TO's]. */
static int
ev_keys(struct event *e, char **cause)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(e->rec, "rows"), *r;
	struct session *s = e->s;

	cJSON_ArrayForEach(r, rows) {
		uint64_t row;
		const cJSON *f = cJSON_GetArrayItem(r, 1), *t = cJSON_GetArrayItem(r, 2);
		if (s->in->nrows == 0 || !num_value(cJSON_GetArrayItem(r, 0),
		    s->in->nrows - 1, &row) || !cJSON_IsString(f) || !cJSON_IsString(t) ||
		    (f->valuestring[0] != '\0' && !key_is_key(f->valuestring)) ||
		    (t->valuestring[0] != '\0' && !key_is_key(t->valuestring))) {
			*cause = xstrdup("a keys record is damaged");
			return -1;
		}
		input_set_keys(s->in, (size_t)row, f->valuestring, t->valuestring);
		s->keyed = true;
	}
	return 0;
}

/* Records' names, by ID: what is no ID or no string is skipped. */
static int
ev_names(struct event *e, char **cause)
{
	const cJSON *side = cJSON_GetObjectItemCaseSensitive(e->rec, "side");
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(e->rec, "names"), *x;

	(void)cause;
	if (!cJSON_IsString(side))
		return 0;
	int k = strcmp(side->valuestring, "from") == 0 ? 0 :
	    strcmp(side->valuestring, "to") == 0 ? 1 : -1;
	if (k < 0)
		return 0;
	cJSON_ArrayForEach(x, names)
		if (cJSON_IsString(x) && x->string != NULL && input_id_ok(x->string))
			names_put(&e->s->names[k], x->string, x->valuestring);
	return 0;
}

/* How each kind of record a session holds after its rows is replayed;
 * others (warnings, progress, the working set's) are not the reader's. */
typedef int (*replay_fn)(struct event *e, char **cause);
static const replay_fn replay[JR_COUNT] = {
	[JR_SEND] = ev_send, [JR_ANSWER] = ev_answer, [JR_EDIT] = ev_edit,
	[JR_RESEND] = ev_resend, [JR_ERROR] = ev_error, [JR_LABELS] = ev_labels,
	[JR_OUTCOMES] = ev_outcomes, [JR_END] = ev_end, [JR_RESUME] = ev_resume,
	[JR_PRESTATE] = ev_prestate, [JR_UNDO_BEGUN] = ev_undo_begun,
	[JR_UNDO] = ev_undo, [JR_UNDO_CANCELLED] = ev_undo_cancelled,
	[JR_UNDONE] = ev_undone, [JR_KEYS] = ev_keys, [JR_NAMES] = ev_names,
	[JR_AGREED] = ev_agreed, [JR_ADD] = ev_add, [JR_RETIRE] = ev_retire,
};

/* The journal's first record: the session's settings, its direction and
 * what its rows need (sets, sources).  0; 1 for a working set never sent,
 * read whole by draft_session (*rc says how); -1 and *cause. */
static int
read_head(const char *path, const cJSON *rec, struct session *s, int *rc,
    char **cause)
{
	if (journal_read_header(rec, &s->meta, cause) == 0 &&
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "draft"))) {
		/* A working set never sent: its pairs are its rows. */
		*rc = draft_session(path, s, cause);
		return 1;
	}
	if (*cause != NULL || read_objtype(rec, "from", &s->from, cause) != 0 ||
	    read_objtype(rec, "to", &s->to, cause) != 0)
		return -1;
	if (api_version_parse(s->meta.api_version != NULL ?
	    s->meta.api_version : "v4", &s->api) != 0)
		s->api = API_V4;
	restore_sets(s, cJSON_GetObjectItemCaseSensitive(rec, "sets"));
	journal_restore_sources(s->in, cJSON_GetObjectItemCaseSensitive(rec, "sources"));
	s->in->lines = (uint32_t)get_num(rec, "lines");
	return 0;
}

/* Requests and answers are most of a journal and need no parse: only
 * their count and the last request's number matter here.  They are the
 * writer's own lines, which start the same way.  Whether line was one. */
static bool
fast_request(struct session *s, const char *line, size_t len, long at,
    struct journal_sends *sends)
{
	if (len <= 2 || line[len - 2] != '}' ||
	    (strncmp(line, SEND_PREFIX, sizeof(SEND_PREFIX) - 1) != 0 &&
	    strncmp(line, ANSWER_PREFIX, sizeof(ANSWER_PREFIX) - 1) != 0))
		return false;
	if (line[6] == 's')
		journal_count_request(s, strtoull(line + sizeof(SEND_PREFIX) - 1, NULL, 10),
		    sends, at, journal_send_aside(line));
	else
		journal_count_answer(s, journal_answer_came(line));
	return true;
}

int
journal_load(const char *path, struct session *s, char **cause)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	cJSON *header = NULL, *sets = NULL;
	struct rows_acc acc = { 0 };
	struct scanned_vec scanned = { 0 };
	struct journal_sends sends = { 0 };
	long off = 0, at;
	size_t added = 0;
	bool restored = false;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	s->path = xstrdup(path);
	s->in = input_new();
	while ((len = getline(&line, &cap, f)) > 0) {
		bool complete = line[len - 1] == '\n';
		lineno++;
		at = off;
		off += len;
		if (restored && complete && fast_request(s, line, (size_t)len, at, &sends))
			continue;
		/* The working set's records are the terminal's to replay
		 * (journal_pairs_read), not a send's. */
		if (restored && journal_rec_of(line, (size_t)len) == JR_PAIRS) {
			/* A row edited after a send's end, not recorded as the
			 * session's: for its next (a deletion retires its row, a
			 * paste is no row yet); a terminal that records its edits
			 * at once leaves nothing so. */
			s->meta.changed_since |= s->meta.ended && !s->meta.edits_journaled &&
			    strncmp(line, PAIRS_REPLACE, sizeof(PAIRS_REPLACE) - 1) == 0;
			continue;
		}
		/* Rows and outcomes as the writer wrote them: scanned. */
		if (complete && header != NULL && !restored &&
		    strncmp(line, ROWS_HEAD, sizeof(ROWS_HEAD) - 1) == 0) {
			int r = fast_rows(s, line, (size_t)len, &acc, &scanned);
			if (r < 0) {
				*cause = xasprintf("%s: line %zu: row %zu is damaged", path,
				    lineno, s->in->nrows + 1);
				goto done;
			}
			if (r > 0)
				continue;
		}
		if (complete && restored &&
		    strncmp(line, OUTCOMES_HEAD, sizeof(OUTCOMES_HEAD) - 1) == 0 &&
		    fast_outcomes(s, line, (size_t)len, &scanned))
			continue;
		cJSON *rec = cJSON_ParseWithLength(line, (size_t)len);
		if (rec == NULL) {
			/* A crash may cut the last line; anything else is damage. */
			if (complete)
				s->damaged_lines++;
			continue;
		}
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "t");
		const char *kind = cJSON_IsString(t) ? t->valuestring : "";
		if (lineno == 1) {
			int h = read_head(path, rec, s, &rc, cause);
			if (h != 0) {
				cJSON_Delete(rec);
				goto done;
			}
			header = rec;
			sets = cJSON_GetObjectItemCaseSensitive(header, "sets");
			continue;
		}
		if (journal_rec_named(kind) == JR_ROWS) {
			/* Rows come before any event; rows after the plan was
			 * rebuilt are damage, not rows. */
			if (restored) {
				s->damaged_lines++;
			} else if (!restore_rows(s, cJSON_GetObjectItemCaseSensitive(rec,
			    "rows"), &acc)) {
				*cause = xasprintf("%s: line %zu: row %zu is damaged", path,
				    lineno, s->in->nrows + 1);
				cJSON_Delete(rec);
				goto done;
			}
			cJSON_Delete(rec);
			continue;
		}
		if (!restored) {
			/* The rows are all in: rebuild the plan before any event. */
			restored = true;
			if (!restore_plan(s, header, sets, &acc)) {
				*cause = xasprintf("%s: its plan is damaged", path);
				cJSON_Delete(rec);
				goto done;
			}
			session_sends_init(s);
		}
		struct event ev = { s, rec, &sends, at, &acc, &added };
		enum journal_rec rk = journal_rec_named(kind);
		if (rk < JR_COUNT && replay[rk] != NULL && replay[rk](&ev, cause) != 0) {
			char *c = *cause;
			*cause = xasprintf("%s: line %zu: %s", path, lineno,
			    c != NULL ? c : "a damaged record");
			free(c);
			cJSON_Delete(rec);
			goto done;
		}
		cJSON_Delete(rec);
	}
	if (header == NULL) {
		*cause = xasprintf("%s: empty or not a hubassoc journal", path);
		goto done;
	}
	if (!restored) {
		if (!restore_plan(s, header, sets, &acc)) {
			*cause = xasprintf("%s: its plan is damaged", path);
			goto done;
		}
		session_sends_init(s);
	}
	journal_mark_unconfirmed(s, f, &sends);
	if (s->meta.undo == SESSION_UNDO_BEGUN && s->undo_at > 0)
		(void)journal_mark_undo_taken(s, f, s->undo_at);
	/* Deleted from the pairs before they went: not_sent, as the terminal
	 * had them (before: pending here, not_sent in history). */
	session_retired_settle(s);
	s->meta.sends = (unsigned)s->nsends;
	memcpy(s->meta.counts, s->out.count, sizeof(s->meta.counts));
	if (s->in->nrows - added != get_num(header, "rows")) {
		*cause = xasprintf("%s: the journal lists %zu of its %llu rows", path,
		    s->in->nrows - added, (unsigned long long)get_num(header, "rows"));
		goto done;
	}
	rc = 0;
done:
	cJSON_Delete(header);
	free(line);
	free(acc.state);
	free(acc.why);
	free(acc.ref);
	free(scanned.v);
	free(sends.off);
	fclose(f);
	if (rc != 0)
		session_free(s);
	return rc;
}

