/* history.c: the table of sessions (see history.h). */
#include "hubassoc/history.h"

#include <stdio.h>
#include <string.h>

#include "hubassoc/plan.h"
#include "hubassoc/session.h"
#include "hubassoc/text.h"

static const char *const names[HIST_COUNT] = {
	"SESSION", "STARTED", "PROFILE", "PORTAL", "DIRECTION", "OP", "ROWS", "DONE",
	"FAILED", "INVALID", "DUP", "NOT_SENT", "PENDING", "UNCONFIRMED", "UNDONE",
	"UNCHANGED", "EDITED", "SENDS", "STATE",
};

const char *
hist_col_name(enum hist_col c)
{
	return c < HIST_COUNT ? names[c] : "?";
}

bool
hist_col_counts(enum hist_col c)
{
	return c >= HIST_ROWS && c <= HIST_SENDS;
}

size_t
hist_count(const struct journal_meta *m, enum hist_col c)
{
	size_t rows = 0;

	switch (c) {
	case HIST_ROWS:
		for (int k = 0; k < OUTCOME_COUNT; k++)
			rows += m->counts[k];
		return rows;
	case HIST_DONE: return m->counts[OUTCOME_CREATED];
	case HIST_FAILED: return m->counts[OUTCOME_FAILED];
	case HIST_INVALID: return m->counts[OUTCOME_INVALID];
	case HIST_DUP: return m->counts[OUTCOME_DUPLICATE];
	case HIST_NOT_SENT: return m->counts[OUTCOME_NOT_SENT];
	case HIST_PENDING: return m->counts[OUTCOME_PENDING];
	/* Apart from pending: its request left, and it may be there. */
	case HIST_UNCONFIRMED: return m->counts[OUTCOME_UNCONFIRMED];
	case HIST_UNDONE: return m->counts[OUTCOME_UNDONE];
	/* A remove's pair not there, a relabel's label on: nothing sent. */
	case HIST_UNCHANGED: return m->counts[OUTCOME_UNCHANGED];
	/* Changed in the terminal since their outcome: the next send's. */
	case HIST_EDITED: return m->counts[OUTCOME_EDITED];
	case HIST_SENDS: return m->sends;
	default: return 0;
	}
}

void
hist_cell(const struct journal_meta *m, enum hist_col c, bool short_time,
    char cell[HIST_CELL_MAX])
{
	const char *t;

	switch (c) {
	case HIST_SESSION:
		snprintf(cell, HIST_CELL_MAX, "%s", m->id != NULL ? m->id : "");
		return;
	case HIST_STARTED:
		/* 2026-12-06T04:25:25Z: the minute is enough to find it, one
		 * word still for awk; shorter, without the year. */
		t = m->created != NULL ? m->created : "";
		if (strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z')
			snprintf(cell, HIST_CELL_MAX, "%.*sZ", short_time ? 11 : 16,
			    t + (short_time ? 5 : 0));
		else
			snprintf(cell, HIST_CELL_MAX, "%s", t);
		return;
	case HIST_PROFILE:
		snprintf(cell, HIST_CELL_MAX, "%s", m->profile != NULL ? m->profile : "");
		return;
	case HIST_PORTAL: {
		/* The built-in sandbox's, whatever its port; else the host (and
		 * port) of the base URL: a sandbox's session told from a
		 * production one at a glance. */
		const char *u = m->base_url;
		if (m->sandbox > 0 || u == NULL) {
			snprintf(cell, HIST_CELL_MAX, "%s", m->sandbox > 0 ? "sandbox" : "-");
			return;
		}
		if (strstr(u, "://") != NULL)
			u = strstr(u, "://") + 3;
		snprintf(cell, HIST_CELL_MAX, "%.*s", (int)strcspn(u, "/?#"), u);
		return;
	}
	case HIST_DIRECTION:
		snprintf(cell, HIST_CELL_MAX, "%s>%s", m->from_path ? m->from_path : "?",
		    m->to_path ? m->to_path : "?");
		return;
	case HIST_OP:
		snprintf(cell, HIST_CELL_MAX, "%s", plan_op_name(m->op));
		return;
	case HIST_STATE:
		snprintf(cell, HIST_CELL_MAX, "%s", session_state_name(m));
		return;
	default:
		fmt_count(cell, hist_count(m, c));
		return;
	}
}

/* The rows no send was for go first (a repeat went with its first, an
 * invalid row never could), then a remove's or a relabel's rows that
 * held what it asked: a result of the session's, kept beside DONE longer
 * (before: first, "ROWS 110 DONE 0" with 104 unchanged unsaid). */
const enum hist_col hist_give_way[HIST_GIVE_WAY_N] = {
	HIST_DUP, HIST_INVALID, HIST_UNCHANGED, HIST_UNDONE, HIST_NOT_SENT,
	HIST_PENDING, HIST_EDITED, HIST_UNCONFIRMED,
};

bool
hist_all_zero(const struct journal_meta *m, size_t n, enum hist_col c)
{
	for (size_t i = 0; i < n; i++)
		if (hist_count(&m[i], c) != 0)
			return false;
	return true;
}

void
hist_hidden(const struct journal_meta *m, size_t n, const bool shown[HIST_COUNT],
    struct buf *out)
{
	/* Where they went, when not all to one portal (before: left out
	 * unsaid, a sandbox's session and a production one alike). */
	if (!shown[HIST_PORTAL] && hist_shows_portal(m, n))
		buf_addstr(out, hist_col_name(HIST_PORTAL));
	for (int c = 0; c < HIST_COUNT; c++)
		if (!shown[c] && c != HIST_SENDS && hist_col_counts((enum hist_col)c) &&
		    !hist_all_zero(m, n, (enum hist_col)c))
			buf_printf(out, "%s%s", out->len > 0 ? ", " : "",
			    hist_col_name((enum hist_col)c));
}

bool
hist_shows_op(const struct journal_meta *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].op != PLAN_OP_CREATE)
			return true;
	return false;
}

bool
hist_shows_portal(const struct journal_meta *m, size_t n)
{
	char first[HIST_CELL_MAX], cell[HIST_CELL_MAX];

	for (size_t i = 0; i < n; i++) {
		hist_cell(&m[i], HIST_PORTAL, false, i == 0 ? first : cell);
		if (i > 0 && strcmp(first, cell) != 0)
			return true;
	}
	return false;
}
