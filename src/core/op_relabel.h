/* op_relabel.h: a relabel's last step, op_send.c's (see op_relabel.c). */
#ifndef HUBASSOC_OP_RELABEL_H
#define HUBASSOC_OP_RELABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/assocset.h"
#include "hubassoc/op.h"
#include "hubassoc/undo.h"

struct relabel_last {
	struct assocset *now;      /* the pairs, read after the creates */
	struct undo_plan off;      /* ... the replaced labels they still hold */
	struct undo_said said;     /* ... and what the answers said was not done */
	uint32_t *settled;         /* ... and the rows whose outcome that changed */
	size_t nsettled;
};

/* Reads the pairs of the send's rows whose create gives a label in place
 * of others (a resume's: of every row the session sent): false when there
 * is none. */
bool relabel_last_read(struct relabel_last *x, struct op *o);
/* What the read found: the replaced labels still held, taken off; false
 * when none is (the rows it mends settled). */
bool relabel_last_unlabel(struct relabel_last *x, struct op *o);
/* The step is over (read: it was the reading; stopped: it did not end):
 * its rows settled, journaled and said. */
void relabel_last_ended(struct relabel_last *x, struct op *o, bool read, bool stopped);
void relabel_last_free(struct relabel_last *x);

#endif
