/* session.c: a session as the core knows it, its sends and its rows'
 * states across them. */
#include "hubassoc/session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/key.h"

/* Rows, for the per-row arrays (at least one, as xbig_alloc wants). */
static size_t
row_room(const struct session *s)
{
	return s->out.n ? s->out.n : 1;
}

static void
send_clear(struct session_send *x)
{
	free(x->kind);
	free(x->started);
	free(x->only);
	free(x->state);
}

void
session_free(struct session *s)
{
	size_t n = row_room(s);

	journal_meta_free(&s->meta);
	free(s->path);
	if (s->send_of != NULL) {
		xbig_free(s->send_of, n * sizeof(*s->send_of));
		xbig_free(s->chunk_of, n * sizeof(*s->chunk_of));
		xbig_free(s->tries, n * sizeof(*s->tries));
	}
	for (size_t i = 0; i < s->nsends; i++)
		send_clear(&s->sends[i]);
	free(s->sends);
	if (s->out.state != NULL)
		outcomes_free(&s->out);
	if (s->plan.types != NULL)
		plan_free(&s->plan);
	input_free(s->in);
	prestate_free(&s->pre);
	free(s->undone_at);
	free(s->was);
	free(s->retired);
	free(s->undo_bare);
	names_free(&s->names[0]);
	names_free(&s->names[1]);
	memset(s, 0, sizeof(*s));
}

static struct session_send *
send_add(struct session *s, const char *kind, const char *started, const char *only)
{
	s->sends = xreallocarray(s->sends, s->nsends + 1, sizeof(*s->sends));
	struct session_send *x = &s->sends[s->nsends++];
	memset(x, 0, sizeof(*x));
	x->kind = xstrdup(kind);
	x->started = started != NULL ? xstrdup(started) : NULL;
	x->only = only != NULL ? xstrdup(only) : NULL;
	x->exit_status = -1;
	return x;
}

/* The per-row arrays, zeroed (xbig_alloc). */
static void
rows_alloc(struct session *s)
{
	size_t n = row_room(s);

	s->send_of = xbig_alloc(n * sizeof(*s->send_of));
	s->chunk_of = xbig_alloc(n * sizeof(*s->chunk_of));
	s->tries = xbig_alloc(n * sizeof(*s->tries));
}

void
session_rows_init(struct session *s)
{
	rows_alloc(s);
	for (size_t i = 0; i < row_room(s); i++)
		s->chunk_of[i] = PLAN_NONE;
}

void
session_sends_init(struct session *s)
{
	rows_alloc(s);
	struct session_send *x = send_add(s, "send", s->meta.sent_at != NULL ?
	    s->meta.sent_at : s->meta.created, NULL);
	x->rows = s->out.n;
	for (size_t i = 0; i < s->out.n; i++) {
		bool sent = s->plan.state[i] == PLAN_SEND;
		s->send_of[i] = 1;
		s->chunk_of[i] = s->plan.chunk[i];
		s->tries[i] = sent;
	}
}

int
session_apply_send(struct session *s, const char *kind, const char *started,
    const char *only, const uint32_t *rows, size_t n, char **cause)
{
	struct plan *p = &s->plan;

	if (s->nsends >= SESSION_SENDS_MAX) {
		*cause = xasprintf("a session holds at most %d sends", SESSION_SENDS_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i] >= p->nrows || (p->state[rows[i]] != PLAN_SEND &&
		    p->state[rows[i]] != PLAN_EARLIER)) {
			*cause = xasprintf("send %zu names row %u, which no send can "
			    "hold", s->nsends + 1, rows[i]);
			return -1;
		}
	/* The send before leaves the plan; its rows' outcomes stay theirs. */
	for (size_t i = 0; i < p->nrows; i++)
		if (p->state[i] == PLAN_SEND) {
			p->state[i] = PLAN_EARLIER;
			p->chunk[i] = PLAN_NONE;
		}
	free(s->was);
	s->was = xcalloc(n + 1, sizeof(*s->was));
	s->nwas = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = rows[i];
		if (p->state[r] == PLAN_SEND) {
			*cause = xasprintf("send %zu names row %u twice", s->nsends + 1, r);
			return -1;
		}
		s->was[s->nwas++] = (struct session_was){ .row = r,
		    .state = s->out.state[r], .http = s->out.http[r],
		    .send_of = s->send_of[r], .tries = s->tries[r], .err = s->out.err[r],
		    .labels = s->out.labels[r], .chunk_of = s->chunk_of[r] };
		if (s->send_of[r] > 0)     /* a row added since is in none */
			s->sends[s->send_of[r] - 1].moved[s->out.state[r]]++;
		p->state[r] = PLAN_SEND;
		p->chunk[r] = (uint32_t)(i / p->chunk_size);
		s->send_of[r] = (uint16_t)(s->nsends + 1);
		s->chunk_of[r] = p->chunk[r];
		if (s->tries[r] < UINT16_MAX)
			s->tries[r]++;
		/* A relabel's row whose new label is on, the old kept: its create
		 * is not made again; the send's last step takes the old off. */
		if (p->op == PLAN_OP_RELABEL && outcomes_label_kept(&s->out, r) &&
		    s->pre.rows != NULL && r < s->pre.n && s->pre.rows[r].cls != PRE_UNREAD)
			continue;
		/* A remove's or a relabel's failed row wrote nothing, and what
		 * its pair held may have changed since (a pair made since one
		 * failed as NO_PAIR): read again before it is sent (before: its
		 * old class kept, NO_PAIR again without a look). */
		if (p->op != PLAN_OP_CREATE && s->out.state[r] == OUTCOME_FAILED)
			prestate_clear_row(&s->pre, r);
		outcomes_set(&s->out, r, OUTCOME_PENDING, 0, 0);
		s->out.labels[r] = 0;
	}
	/* Rows added since that no send takes (invalid, a repeat) are
	 * decided by this send's plan, as the first send's are by its
	 * (before: in send 0, which export and show know of no session). */
	for (size_t i = 0; i < p->nrows; i++)
		if (s->send_of[i] == 0 && p->state[i] != PLAN_SEND &&
		    p->state[i] != PLAN_EARLIER && s->out.state[i] != OUTCOME_EDITED)
			s->send_of[i] = (uint16_t)(s->nsends + 1);
	plan_reindex(p);
	send_add(s, kind, started, only)->rows = n;
	return 0;
}

void
session_take_names(struct session *s, size_t first, const struct names names[2],
    struct names added[2])
{
	for (size_t i = first; i < s->in->nrows; i++) {
		session_row_names(s, i, names, added);
		s->keyed |= (s->in->rows[i].flags & INPUT_ROW_KEYS) != 0;
	}
}

void
session_row_names(struct session *s, size_t row, const struct names names[2],
    struct names added[2])
{
	const struct input_row *x = &s->in->rows[row];

	for (int side = 0; side < 2 && x->status == ROW_VALID; side++) {
		const char *id = side == 0 ? input_from(s->in, x) : input_to(s->in, x);
		const char *name = names_get(&names[side], id);
		if (name == NULL)
			continue;
		if (added != NULL && names_get(&s->names[side], id) == NULL)
			names_put(&added[side], id, name);
		names_put(&s->names[side], id, name);
	}
}

void
session_rows_grow(struct session *s, size_t nrows, size_t nsets)
{
	size_t o = row_room(s), n = nrows ? nrows : 1, was = s->out.n;

	plan_grow(&s->plan, nrows, nsets);
	outcomes_grow(&s->out, nrows);
	if (s->send_of != NULL && n > o) {
		s->send_of = xbig_grow(s->send_of, o * sizeof(*s->send_of),
		    n * sizeof(*s->send_of));
		s->chunk_of = xbig_grow(s->chunk_of, o * sizeof(*s->chunk_of),
		    n * sizeof(*s->chunk_of));
		s->tries = xbig_grow(s->tries, o * sizeof(*s->tries), n * sizeof(*s->tries));
	}
	for (size_t i = was; s->send_of != NULL && i < nrows; i++) {
		s->send_of[i] = 0;
		s->chunk_of[i] = PLAN_NONE;
		s->tries[i] = 0;
	}
	if (s->retired != NULL && nrows > was) {
		s->retired = xreallocarray(s->retired, nrows + 1, sizeof(*s->retired));
		memset(&s->retired[was], 0, nrows + 1 - was);
	}
	if (s->pre.rows != NULL && nrows > s->pre.n) {
		s->pre.rows = xreallocarray(s->pre.rows, nrows + 1, sizeof(*s->pre.rows));
		memset(&s->pre.rows[s->pre.n], 0, (nrows + 1 - s->pre.n) *
		    sizeof(*s->pre.rows));
		s->pre.count[PRE_UNREAD] += nrows - s->pre.n;
		s->pre.n = nrows;
	}
}

void
session_rows_fit(struct session *s, size_t n)
{
	size_t was = s->out.n;

	if (n >= was) {
		session_rows_grow(s, n, s->in->nsets);
		return;
	}
	size_t o = row_room(s), k = n ? n : 1;
	outcomes_truncate(&s->out, n);
	plan_truncate(&s->plan, n);
	if (s->send_of != NULL) {
		s->send_of = xbig_resize(s->send_of, o * sizeof(*s->send_of),
		    k * sizeof(*s->send_of));
		s->chunk_of = xbig_resize(s->chunk_of, o * sizeof(*s->chunk_of),
		    k * sizeof(*s->chunk_of));
		s->tries = xbig_resize(s->tries, o * sizeof(*s->tries), k * sizeof(*s->tries));
	}
	if (s->pre.rows != NULL && s->pre.n > n) {
		for (size_t i = n; i < s->pre.n; i++)
			prestate_clear_row(&s->pre, i);
		s->pre.count[PRE_UNREAD] -= s->pre.n - n;
		s->pre.n = n;
	}
}

bool
session_retire(struct session *s, const uint32_t *rows, size_t n)
{
	bool ok = true;

	if (s->retired == NULL)
		s->retired = xcalloc(s->out.n + 1, sizeof(*s->retired));
	for (size_t i = 0; i < n; i++) {
		if (rows[i] >= s->out.n) {
			ok = false;
			continue;
		}
		s->retired[rows[i]] = 1;
	}
	return ok;
}

size_t
session_deleted_unsent(const struct session *s)
{
	size_t n = 0;

	for (size_t i = 0; s->retired != NULL && i < s->out.n; i++)
		n += s->retired[i] && s->out.state[i] == OUTCOME_NOT_SENT;
	return n;
}

size_t
session_retired_settle(struct session *s)
{
	size_t n = 0;

	for (size_t i = 0; s->retired != NULL && i < s->out.n; i++)
		if (s->retired[i] && s->out.state[i] == OUTCOME_PENDING) {
			outcomes_set(&s->out, i, OUTCOME_NOT_SENT, 0, 0);
			n++;
		}
	return n;
}

void
session_row_planned(struct session *s, size_t row, enum plan_state state,
    enum input_reason why, uint32_t other)
{
	struct plan *p = &s->plan;
	bool ref = state == PLAN_DUPLICATE || why == INPUT_CONFLICT ||
	    why == INPUT_ONE_CONFLICT;

	p->state[row] = (uint8_t)(state == PLAN_SEND ? PLAN_EARLIER : state);
	p->why[row] = (uint8_t)why;
	p->chunk[row] = PLAN_NONE;
	p->other[row] = ref ? other : PLAN_NONE;
	outcomes_set(&s->out, row, state == PLAN_INVALID ? OUTCOME_INVALID :
	    state == PLAN_DUPLICATE ? OUTCOME_DUPLICATE : OUTCOME_PENDING, 0, 0);
}

/* A pair deleted from the pairs and pasted again is sent again: the first
 * new repeat of a retired row is p's to send, in its place (before, a
 * repeat of it, never sent); not of one the portal holds from the
 * session (created: the repeat is done with it). */
static void
unretire_repeats(const struct session *s, struct plan *p, size_t first)
{
	uint32_t *instead = NULL;       /* per old row: the new row, + 1 */

	for (size_t i = first; s->retired != NULL && i < p->nrows; i++) {
		uint32_t o = p->other[i];
		if (p->state[i] != PLAN_DUPLICATE || o >= first || !s->retired[o] ||
		    outcomes_held(&s->out, o))
			continue;
		if (instead == NULL)
			instead = xcalloc(first + 1, sizeof(*instead));
		if (instead[o] != 0) {
			p->other[i] = instead[o] - 1;
			continue;
		}
		instead[o] = (uint32_t)i + 1;
		p->state[i] = PLAN_SEND;
		p->chunk[i] = 0;
		p->other[i] = PLAN_NONE;
	}
	free(instead);
}

void
session_add_rows(struct session *s, struct plan *p, size_t first)
{
	size_t nsets = s->plan.ntypes;

	unretire_repeats(s, p, first);

	session_rows_grow(s, s->in->nrows, s->in->nsets);
	/* The sets new to the session: their types as p resolved them. */
	for (size_t k = nsets; k < s->plan.ntypes && k < p->ntypes; k++) {
		const struct plan_types *from = &p->types[k];
		struct plan_types *t = &s->plan.types[k];
		t->specs = xcalloc(from->n + 1, sizeof(*t->specs));
		for (size_t i = 0; i < from->n; i++)
			assoc_spec_copy(&t->specs[i], &from->specs[i]);
		t->n = from->n;
		t->ok = from->ok;
		t->canon = UINT32_MAX - (uint32_t)k;
		t->error = from->error != NULL ? xstrdup(from->error) : NULL;
	}
	for (size_t i = first; i < s->in->nrows && i < p->nrows; i++)
		session_row_planned(s, i, (enum plan_state)p->state[i],
		    (enum input_reason)p->why[i], p->other[i]);
	plan_reindex(&s->plan);
}

int
session_send_next(struct session *s, struct journal *j, const char *kind,
    const char *only, const uint32_t *rows, size_t n, char **cause)
{
	if (journal_resend(j, (unsigned)s->nsends + 1, kind, only, rows, n, cause) != 0)
		return -1;
	return session_apply_send(s, kind, NULL, only, rows, n, cause);
}

/* Whether a row's pair may change in place: nothing of it is on the
 * portal from the session (failed, not sent, invalid, or still to be
 * sent), and it is a row of its own (not a repeat sent with its first). */
bool
session_row_editable(const struct session *s, size_t row)
{
	enum outcome o;

	if (row >= s->plan.nrows || row >= s->out.n)
		return false;
	o = (enum outcome)s->out.state[row];
	return o == OUTCOME_FAILED || o == OUTCOME_NOT_SENT || o == OUTCOME_INVALID ||
	    o == OUTCOME_PENDING || o == OUTCOME_EDITED;
}

/* The types of the set a row edited names, new to the plan: as written,
 * which an edit writes as CATEGORY:ID.  false when they are not so. */
static bool
edit_set_types(struct session *s, uint32_t set)
{
	struct plan *p = &s->plan;
	const struct input_set *in_set = &s->in->sets[set];

	if (set >= p->ntypes) {
		size_t n = s->in->nsets;
		p->types = xreallocarray(p->types, n, sizeof(*p->types));
		memset(&p->types[p->ntypes], 0, (n - p->ntypes) * sizeof(*p->types));
		p->ntypes = n;
	}
	struct plan_types *t = &p->types[set];
	if (t->specs == NULL) {
		t->specs = xcalloc(in_set->n + 1, sizeof(*t->specs));
		t->ok = in_set->n > 0;
		for (size_t i = 0; i < in_set->n; i++) {
			assoc_spec_copy(&t->specs[t->n++], &in_set->specs[i]);
			t->ok &= in_set->specs[i].cat != ASSOC_CAT_LABEL;
		}
		t->canon = UINT32_MAX - set;
	}
	return t->ok;
}

void
session_row_restate(struct session *s, uint32_t row, enum outcome was)
{
	struct plan *p = &s->plan;
	const struct input_row *r = &s->in->rows[row];

	/* As it reads now: the next send takes it, unless it is not a pair
	 * to send (invalid, a key still to look up, no types). */
	enum input_reason why = r->status != ROW_VALID ? INPUT_OK :
	    input_row_pending(s->in, r) ? INPUT_KEY_PENDING :
	    r->set == 0 && p->op != PLAN_OP_REMOVE &&
	    (p->ntypes == 0 || !p->types[0].ok) ? INPUT_NO_TYPE : INPUT_OK;
	bool sendable = r->status == ROW_VALID && why == INPUT_OK;
	enum plan_state st = (enum plan_state)p->state[row], to = !sendable ?
	    PLAN_INVALID : st == PLAN_INVALID ? PLAN_EARLIER : st;
	p->state[row] = (uint8_t)to;
	p->why[row] = (uint8_t)why;
	p->other[row] = PLAN_NONE;
	if (to != PLAN_SEND)
		p->chunk[row] = PLAN_NONE;
	p->ninvalid += (to == PLAN_INVALID) - (st == PLAN_INVALID);
	/* Never sent, it is what it reads as now; else edited, what it was
	 * kept beside it (its error). */
	if (was == OUTCOME_PENDING) {
		outcomes_set(&s->out, row, sendable ? OUTCOME_PENDING : OUTCOME_INVALID,
		    0, 0);
	} else {
		/* The send that decided it keeps what it decided, as when a
		 * later send takes a row; no send decides it now. */
		if (was != OUTCOME_EDITED && s->send_of != NULL && s->send_of[row] > 0) {
			s->sends[s->send_of[row] - 1].moved[was]++;
			s->send_of[row] = 0;
			s->chunk_of[row] = PLAN_NONE;
		}
		outcomes_set(&s->out, row, OUTCOME_EDITED, s->out.http[row],
		    s->out.err[row]);
	}
	if ((st == PLAN_SEND) != (to == PLAN_SEND))
		plan_reindex(p);
}

int
session_apply_edit(struct session *s, uint32_t row, const char *text,
    const char *const keys[2], char **cause)
{
	struct plan *p = &s->plan;

	if (!session_row_editable(s, row) || p->state[row] == PLAN_DUPLICATE) {
		*cause = xasprintf("an edit names row %u, which cannot change", row);
		return -1;
	}
	enum outcome was = (enum outcome)s->out.state[row];
	if (input_replace_row(s->in, row, text, strlen(text), cause) != 0)
		return -1;
	const struct input_row *r = &s->in->rows[row];
	/* A SPEC column the edit names: resolved when it was made. */
	if (r->status == ROW_VALID && r->set != 0 && !edit_set_types(s, r->set)) {
		*cause = xasprintf("an edit of row %u has types that are not "
		    "CATEGORY:ID", row);
		return -1;
	}
	/* Given by keys: they stay beside its IDs (before: lost, and export
	 * and show knew the fixed row by its IDs alone). */
	if (r->status == ROW_VALID && key_pair_given(keys)) {
		input_set_keys(s->in, row, keys[0], keys[1]);
		s->keyed = true;
	}
	/* Another pair: what the old one held says nothing of it. */
	prestate_clear_row(&s->pre, row);
	session_row_restate(s, row, was);
	return 0;
}

/* The counts of the rows [0, n) alone, for the journal's records. */
static struct outcomes
counts_of(const struct session *s, size_t n)
{
	struct outcomes c = s->out;

	for (size_t i = n; i < s->out.n; i++)
		c.count[s->out.state[i]]--;
	return c;
}

int
session_journal_counts(const struct session *s, struct journal *j, size_t n)
{
	struct outcomes c = counts_of(s, n);

	return journal_progress(j, &c) != 0 || journal_sync(j) != 0 ? -1 : 0;
}

int
session_edit_row(struct session *s, struct journal *j, uint32_t row,
    const char *text, const char *const keys[2], size_t journaled, char **cause)
{
	/* What the record will say is checked first: a record the reader
	 * would refuse is never written. */
	if (!session_row_editable(s, row) || s->plan.state[row] == PLAN_DUPLICATE) {
		*cause = xasprintf("line %u cannot change: the session's send wrote "
		    "it, or it is a repeat", s->in->rows[row].line);
		return -1;
	}
	struct input *one = input_new();
	input_feed(one, text, strlen(text));
	input_finish(one);
	bool ok = one->nrows == 1;
	for (size_t i = 0; ok && one->rows[0].status == ROW_VALID && one->rows[0].set != 0 &&
	    i < one->sets[one->rows[0].set].n; i++)
		ok = one->sets[one->rows[0].set].specs[i].cat != ASSOC_CAT_LABEL;
	if (!ok)
		*cause = xstrdup(one->nrows == 0 ? "the line holds no pair (a blank, a "
		    "comment or a header): delete the row instead" : one->nrows > 1 ?
		    "the text holds more than one line" : "its types are not CATEGORY:ID");
	input_free(one);
	if (!ok)
		return -1;
	if (journal_edit(j, row, text, keys) != 0) {
		*cause = xasprintf("cannot write %s: %s", journal_path(j), strerror(errno));
		return -1;
	}
	if (session_apply_edit(s, row, text, keys, cause) != 0)
		return -1;
	/* The counts as they stand, for history (journal_peek). */
	if (session_journal_counts(s, j, journaled) != 0) {
		*cause = xasprintf("cannot write %s: %s", journal_path(j), strerror(errno));
		return -1;
	}
	return 0;
}

void
session_send_counts(const struct session *s, size_t k, size_t *count)
{
	memcpy(count, s->sends[k].moved, sizeof(s->sends[k].moved));
	for (size_t i = 0; i < s->out.n; i++)
		if (s->send_of[i] == k + 1)
			count[s->out.state[i]]++;
}

void
session_retry_pick(const struct session *s, unsigned mask, const uint32_t *given,
    size_t ngiven, size_t nrows, struct retry_pick *p)
{
	size_t total = given != NULL ? ngiven : nrows;

	memset(p, 0, sizeof(*p));
	p->rows = xcalloc(total + 1, sizeof(*p->rows));
	for (size_t k = 0; k < total; k++) {
		uint32_t i = given != NULL ? given[k] : (uint32_t)k;
		if (i >= nrows || i >= s->out.n || !((mask >> s->out.state[i]) & 1u))
			continue;
		/* Deleted from the pairs: not sent again, unless given. */
		if (given == NULL && s->retired != NULL && s->retired[i]) {
			p->gone++;
			continue;
		}
		/* An edited row goes when it is a pair to send. */
		if (s->out.state[i] == OUTCOME_EDITED && s->plan.state[i] == PLAN_INVALID) {
			p->unfit++;
			continue;
		}
		p->rows[p->n++] = i;
	}
}

size_t
session_retry_rows(const struct session *s, unsigned mask, uint32_t **rows)
{
	struct retry_pick p;

	session_retry_pick(s, mask, NULL, 0, s->out.n, &p);
	*rows = p.rows;
	return p.n;
}

static const enum outcome retryable[] = { OUTCOME_FAILED, OUTCOME_NOT_SENT,
    OUTCOME_EDITED };

int
session_only_parse(const char *text, unsigned *mask, char **cause)
{
	const char *p = text;

	*mask = 0;
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		size_t k;
		for (k = 0; k < HA_ARRAY_LEN(retryable); k++) {
			const char *name = outcome_name(retryable[k]);
			if (strlen(name) == len && strncmp(p, name, len) == 0)
				break;
		}
		if (k == HA_ARRAY_LEN(retryable)) {
			*cause = xasprintf("--only takes failed, not_sent, edited or "
			    "some of them (failed,not_sent), not '%.*s'", (int)(len < 40 ?
			    len : 40), p);
			return -1;
		}
		*mask |= 1u << retryable[k];
		p += len + (p[len] == ',');
	}
	if (*mask == 0) {
		*cause = xstrdup("--only takes failed, not_sent, edited or some of them");
		return -1;
	}
	return 0;
}

char *
session_only_name(unsigned mask)
{
	struct buf b = BUF_INIT;

	for (size_t k = 0; k < HA_ARRAY_LEN(retryable); k++)
		if ((mask >> retryable[k]) & 1u) {
			if (b.len > 0)
				buf_addc(&b, ',');
			buf_addstr(&b, outcome_name(retryable[k]));
		}
	return buf_detach(&b);
}

int
session_stop_status(enum engine_stop stop)
{
	switch (stop) {
	case ENGINE_AUTH: case ENGINE_CONFIG: case ENGINE_JOURNAL:
		return EXIT_AUTH;
	case ENGINE_DAILY:
		return EXIT_DAILY_LIMIT;
	case ENGINE_INTERRUPTED: case ENGINE_ABORTED:
		return EXIT_INTERRUPTED;
	case ENGINE_GAVE_UP: case ENGINE_UNREACHABLE:
		return EXIT_UNREACHABLE;
	default:
		return EXIT_ALL_CREATED;
	}
}

int
session_exit_status(const struct session *s, enum engine_stop stop, size_t gave_up)
{
	const struct outcomes *o = &s->out;
	int rc = session_stop_status(stop);

	if (rc != EXIT_ALL_CREATED)
		return rc;
	/* Not resumable for those (before: "complete (exit 4)" of a send
	 * whose only rows not sent were deleted from the pairs). */
	if (gave_up > 0 || (o->count[OUTCOME_NOT_SENT] > 0 &&
	    o->count[OUTCOME_NOT_SENT] > session_deleted_unsent(s)) ||
	    o->count[OUTCOME_UNCONFIRMED] > 0)
		return EXIT_UNREACHABLE;
	if (o->count[OUTCOME_FAILED] > 0 || o->count[OUTCOME_INVALID] > 0)
		return EXIT_SOME_FAILED;
	return EXIT_ALL_CREATED;
}

void
session_ended(struct session *s, const char *state, int exit_status)
{
	free(s->meta.state);
	s->meta.state = state != NULL ? xstrdup(state) : NULL;
	s->meta.exit_status = exit_status;
	s->meta.ended = true;
	if (s->nsends == 0)
		return;
	struct session_send *x = &s->sends[s->nsends - 1];
	free(x->state);
	x->state = state != NULL ? xstrdup(state) : NULL;
	x->exit_status = exit_status;
}

int
session_send_end(struct journal *j, const struct engine *e,
    struct session *s, int *status)
{
	const struct engine_stats *st = engine_stats(e);
	enum engine_stop stop = engine_stop_reason(e);
	const struct outcomes *o = &s->out;

	int rc = session_exit_status(s, stop, st->gave_up);
	const char *state = engine_stop_name(stop, st->gave_up);

	/* A no at the hold is no interruption: the rows sent failed alike,
	 * and the rest was kept back on purpose. */
	if (engine_stopped_at_hold(e)) {
		rc = EXIT_SOME_FAILED;
		state = "held";
	}
	if (status != NULL)
		*status = rc;
	session_ended(s, state, rc);
	if (j == NULL)
		return 0;
	return journal_end(j, state, rc, o);
}

size_t
session_unread_rows(const struct session *s, uint32_t **rows)
{
	size_t n = 0;

	*rows = xcalloc(s->plan.nsend + 1, sizeof(**rows));
	for (size_t i = 0; i < s->plan.nsend; i++) {
		uint32_t row = s->plan.order[i];
		if (s->out.state[row] == OUTCOME_PENDING &&
		    (s->pre.rows == NULL || s->pre.rows[row].cls == PRE_UNREAD))
			(*rows)[n++] = row;
	}
	return n;
}

void
session_begin(struct session *s, struct journal_meta *meta, const char *path,
    enum api_version api)
{
	s->meta = *meta;
	memset(meta, 0, sizeof(*meta));
	s->path = xstrdup(path);
	if (s->out.state == NULL)
		session_prepare(s, api);
	session_sends_init(s);
}

size_t
session_pending_sent(const struct session *s)
{
	size_t n = s->out.count[OUTCOME_PENDING];

	for (size_t i = 0; s->send_of != NULL && n > 0 && i < s->out.n; i++)
		n -= s->out.state[i] == OUTCOME_PENDING && s->send_of[i] == 0;
	return n;
}

bool
session_resume_wanted(struct session *s)
{
	s->resuming = true;
	outcomes_requeue(&s->out, &s->plan);
	/* A row deleted from the pairs goes no more: never left, it stays
	 * not_sent (one that may have, unconfirmed, is still read back). */
	session_retired_settle(s);
	/* A remove's or a relabel's send not agreed to: what its pairs hold
	 * is read again before it asks, and is what undo puts back (before:
	 * the first read's, and a label given since was taken unsaid, then
	 * lost to the undo). */
	if (s->plan.op != PLAN_OP_CREATE && s->nsends > 0 &&
	    !s->sends[s->nsends - 1].agreed && s->pre.rows != NULL)
		for (size_t i = 0; i < s->out.n && i < s->pre.n; i++)
			if (s->out.state[i] == OUTCOME_PENDING)
				prestate_clear_row(&s->pre, i);
	if (session_unfinished(s))
		return true;
	if (s->plan.op != PLAN_OP_RELABEL ||
	    !(s->plan.relabel.all || s->plan.relabel.nreplace > 0))
		return false;
	/* Its pairs' replaced labels are read again, and what is left taken
	 * off: a row relabeled, or one whose old label was kept. */
	if (s->out.count[OUTCOME_CREATED] > 0)
		return true;
	for (size_t i = 0; i < s->out.n; i++)
		if (outcomes_label_kept(&s->out, i))
			return true;
	return false;
}

bool
session_send_declined(struct session *s)
{
	size_t back = 0;

	for (size_t i = 0; i < s->nwas; i++) {
		const struct session_was *w = &s->was[i];
		/* Decided since; a row the send left as it stood (a relabel's
		 * old label kept) is given back its send too. */
		if (s->out.state[w->row] != OUTCOME_PENDING &&
		    (s->out.state[w->row] != w->state || s->out.err[w->row] != w->err))
			continue;
		if (w->send_of > 0)
			s->sends[w->send_of - 1].moved[w->state]--;
		outcomes_set(&s->out, w->row, (enum outcome)w->state, w->http, w->err);
		s->out.labels[w->row] = w->labels;
		s->send_of[w->row] = w->send_of;
		s->chunk_of[w->row] = w->chunk_of;
		s->tries[w->row] = w->tries;
		back++;
	}
	if (back > 0 && s->nsends > 0)
		s->sends[s->nsends - 1].rows -= back;
	s->nwas = 0;
	return back > 0;
}

void
session_prepare(struct session *s, enum api_version api)
{
	s->from = s->plan.from;
	s->to = s->plan.to;
	s->api = api;
	outcomes_init(&s->out, &s->plan, false);
}

bool
session_row_held_before(const struct session *s, size_t row)
{
	const struct pre_row *r = s->pre.rows != NULL && row < s->pre.n ?
	    &s->pre.rows[row] : NULL;

	return r != NULL && s->plan.op == PLAN_OP_CREATE && r->cls == PRE_THERE &&
	    r->holder == NULL;
}

void
session_mark_undone(struct session *s, const uint32_t *kept, size_t nkept,
    const uint32_t *bare, size_t nbare)
{
	size_t k = 0;

	if (nbare > 0 && s->undo_bare == NULL)
		s->undo_bare = xcalloc(s->in->nrows + 1, 1);
	/* An undo again reads every row an undo before took nothing of:
	 * its list is the whole of them now. */
	if (s->undo_bare != NULL)
		memset(s->undo_bare, 0, s->in->nrows + 1);
	for (size_t i = 0; i < nbare; i++)
		if (bare[i] < s->in->nrows)
			s->undo_bare[bare[i]] = 1;
	for (size_t i = 0; i < s->in->nrows; i++) {
		/* kept is in row order. */
		while (k < nkept && kept[k] < i)
			k++;
		if (k < nkept && kept[k] == i) {
			/* Read again and kept: it stands as created. */
			if (s->out.state[i] == OUTCOME_UNDONE)
				outcomes_set(&s->out, i, OUTCOME_CREATED, s->out.http[i], 0);
			continue;
		}
		if (session_undo_takes(s, i))
			outcomes_set(&s->out, i, OUTCOME_UNDONE, s->out.http[i], 0);
	}
}

bool
session_undo_takes(const struct session *s, size_t row)
{
	return outcomes_wrote(&s->out, row) && s->pre.rows != NULL && row < s->pre.n &&
	    s->pre.rows[row].cls != PRE_UNREAD && !session_row_held_before(s, row);
}

char *
session_taken_key(const char *from, const char *to)
{
	return xasprintf("%s\t%s", from, to);
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
session_mark_taken(struct session *s, char **keys, size_t n)
{
	size_t marked = 0;

	if (n > 0)
		qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 0; n > 0 && i < s->in->nrows; i++) {
		const struct input_row *r = &s->in->rows[i];
		if (s->out.state[i] == OUTCOME_UNDONE || !session_undo_takes(s, i))
			continue;
		char *k = session_taken_key(input_from(s->in, r), input_to(s->in, r));
		if (bsearch(&k, keys, n, sizeof(*keys), key_cmp) != NULL) {
			outcomes_set(&s->out, i, OUTCOME_UNDONE, s->out.http[i], 0);
			marked++;
		}
		free(k);
	}
	return marked;
}

bool
session_undo_bare(const struct session *s, size_t row)
{
	return s->undo_bare != NULL && row < s->out.n && s->undo_bare[row] &&
	    s->out.state[row] == OUTCOME_UNDONE;
}

size_t
session_undo_bare_count(const struct session *s)
{
	size_t n = 0;

	for (size_t i = 0; s->undo_bare != NULL && i < s->out.n; i++)
		n += session_undo_bare(s, i);
	return n;
}

const char *
session_state_name(const struct journal_meta *m)
{
	if (m->undo == SESSION_UNDO_DONE)
		return "undone";
	if (m->undo == SESSION_UNDO_READING || m->undo == SESSION_UNDO_BEGUN)
		return "undo interrupted";
	if (m->state != NULL && (m->ended || m->sends == 0))
		return m->state;
	return "unfinished";
}
