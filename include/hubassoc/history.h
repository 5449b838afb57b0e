/*
 * history.h: the table of sessions, as hubassoc history prints it and the
 * terminal's History shows it: its columns, each session's cell of each,
 * and what decides which to leave out first.  Each front end lays them
 * out at its own width.
 */
#ifndef HUBASSOC_HISTORY_H
#define HUBASSOC_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/journal.h"

enum hist_col {
	HIST_SESSION, HIST_STARTED, HIST_PROFILE, HIST_PORTAL, HIST_DIRECTION, HIST_OP,
	HIST_ROWS,
	HIST_DONE, HIST_FAILED, HIST_INVALID, HIST_DUP, HIST_NOT_SENT, HIST_PENDING,
	HIST_UNCONFIRMED, HIST_UNDONE, HIST_UNCHANGED, HIST_EDITED, HIST_SENDS, HIST_STATE,
	HIST_COUNT
};

#define HIST_CELL_MAX 96

/* Its heading ("NOT_SENT"). */
const char *hist_col_name(enum hist_col c);
/* Whether it is a count (right-aligned, from hist_count). */
bool hist_col_counts(enum hist_col c);
/* A session's count in a counting column: ROWS every row; DONE the rows
 * its operation made so (created, removed or relabeled, as OP says). */
size_t hist_count(const struct journal_meta *m, enum hist_col c);
/* A session's cell, shown escaped: the start to the minute
 * (2026-12-06T04:25Z), or without the year when short_time. */
void hist_cell(const struct journal_meta *m, enum hist_col c, bool short_time,
    char cell[HIST_CELL_MAX]);
/* Whether every session's count in c is 0: a column to leave out first. */
bool hist_all_zero(const struct journal_meta *m, size_t n, enum hist_col c);
/* The counts beside DONE and FAILED in the order they give way to a
 * narrow width, one order for both faces: a face hides first those that
 * are 0 in every session, in this order, then, when that is not room
 * enough, the others in it, each face keeping its own layout around
 * them.  What resume and retry have left to do goes last, the rows that
 * may be on the portal last of all. */
#define HIST_GIVE_WAY_N 8
extern const enum hist_col hist_give_way[HIST_GIVE_WAY_N];
/* The counts not shown (shown[c] false) that are not 0 in some session,
 * named in out ("INVALID, DUP"): a face says them, so that no row goes
 * unaccounted unsaid.  The sends are no rows: never named.  PORTAL is
 * named first when the sessions went to more than one and it gave way. */
struct buf;
void hist_hidden(const struct journal_meta *m, size_t n, const bool shown[HIST_COUNT],
    struct buf *out);
/* Whether OP shows: some session is not a create. */
bool hist_shows_op(const struct journal_meta *m, size_t n);
/* Whether PORTAL shows (where a session went: "sandbox", the base URL's
 * host and port, or "-"): the sessions went to more than one. */
bool hist_shows_portal(const struct journal_meta *m, size_t n);

#endif
