/*
 * verify.h: whether the portal holds what a session created.
 *
 * Every row the session records as created is read back (assocset.h,
 * its FROM records) and judged: confirmed when its pair holds every type
 * sent, missing when the pair is gone, types differ when some are not
 * there any more.
 */
#ifndef HUBASSOC_VERIFY_H
#define HUBASSOC_VERIFY_H

#include <stddef.h>

#include "hubassoc/assocset.h"
#include "hubassoc/session.h"

enum verdict { VERIFY_CONFIRMED, VERIFY_MISSING, VERIFY_DIFFER, VERIFY_STILL,
	VERIFY_COUNT };

/* "confirmed", "missing", "types_differ", "still_there". */
const char *verdict_name(enum verdict v);

/* Row's verdict in now; the types it lacks are appended to lacks (when not
 * NULL) as "CATEGORY:ID;...".  A remove's row is confirmed when its pair is
 * gone (an unlabel's: holds none of its types), else still there (lacks:
 * the types it still holds). */
enum verdict verify_row(const struct session *s, const struct assocset *now,
    size_t row, struct buf *lacks);

/* A row the session's undo took back: confirmed when the undo holds (its
 * pair as the pre-state had it: gone, or with its types and without the
 * ones the session added), missing when a pair that was there is gone,
 * types differ otherwise. */
enum verdict verify_undone_row(const struct session *s, const struct assocset *now,
    size_t row);

/* What the portal holds of a row's pair, and (for a row created) the
 * types of the row it lacks: "the portal holds HUBSPOT_DEFINED:279
 * (contact to company, unlabeled); lacks USER_DEFINED:36 (...)", or "the
 * portal has no such pair".  labels name the types (may be NULL). */
void verify_row_describe(const struct session *s, const struct assocset *now,
    size_t row, const struct assoc_labels *labels, struct buf *out);

/* The journal's record of a verify: its rows and count by verdict
 * (VERIFY_COUNT long); synced. */
int verify_journal(struct journal *j, size_t rows, const size_t *count,
    size_t undone_rows, const size_t *undone);

#endif
