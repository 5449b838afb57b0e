/*
 * check.h: what a check found of each row, for scripts: the class each row
 * falls in, and one record a row (JSON lines, CSV or a JSON array).
 *
 * A row the preflight read has its pre-state's class (new, adds_labels,
 * already_there, moves_primary, unknown_from, unknown_to); a row the plan
 * left out is invalid, conflict (two Primaries for one record, or a pair
 * given twice with other types) or duplicate; a row to send that was not
 * read, unread.
 *
 * Fields: line, from, to, types (as export.h has them), class, found (what
 * the check found, for people: "moves the Primary of contact 101 from
 * company 99 to 202", the reason a row is invalid), holds (the types the
 * pair holds now), keeps (the labels sent along, see pre_row_kept), holder
 * (moves_primary: the record that holds it now) and duplicate_of.  CSV
 * joins holds and keeps with ';'.
 */
#ifndef HUBASSOC_CHECK_H
#define HUBASSOC_CHECK_H

#include <stdbool.h>

#include "hubassoc/export.h"
#include "hubassoc/preflight.h"

enum check_class {
	/* PRE_UNREAD .. PRE_NO_TO first, as preflight.h numbers them */
	CHECK_INVALID = PRE_CLASS_COUNT,
	CHECK_CONFLICT,
	CHECK_DUPLICATE,
	CHECK_CLASS_COUNT,
};

struct check_src {
	const struct input *in;
	const struct plan *plan;
	const struct prestate *pre;        /* NULL: nothing read */
	const struct assoc_labels *labels; /* names in found (may be NULL) */
};

enum check_class check_class_of(const struct check_src *s, size_t row);
const char *check_class_name(enum check_class c);
int check_class_parse(const char *name, enum check_class *out);
/* A class a script should stop at: unknown_from, unknown_to, conflict,
 * invalid (check exits 1). */
bool check_class_bad(enum check_class c);
/* What was found of a row, for people. */
void check_found(struct buf *b, const struct check_src *s, size_t row);

void check_begin(struct buf *b, enum export_format f);
void check_row(struct buf *b, enum export_format f, const struct check_src *s,
    size_t row);
void check_end(struct buf *b, enum export_format f);

#endif
