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
	HIST_SESSION, HIST_STARTED, HIST_PROFILE, HIST_DIRECTION, HIST_OP, HIST_ROWS,
	HIST_DONE, HIST_FAILED, HIST_INVALID, HIST_DUP, HIST_NOT_SENT, HIST_PENDING,
	HIST_UNCONFIRMED, HIST_UNDONE, HIST_UNCHANGED, HIST_SENDS, HIST_STATE, HIST_COUNT
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
/* Whether OP shows: some session is not a create. */
bool hist_shows_op(const struct journal_meta *m, size_t n);

#endif
