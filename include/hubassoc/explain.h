/*
 * explain.h: why a row is as it is, worked out once for every view and
 * output: the error that explains it (the server's, a local one, or its
 * input's reason as INVALID_INPUT), the value of that error's context that
 * names it, and the line the terminal's Results, Pairs and v say.  Exports
 * write the error's fields; summaries group rows by outcomes_row_cause.
 */
#ifndef HUBASSOC_EXPLAIN_H
#define HUBASSOC_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/outcome.h"
#include "hubassoc/response.h"
#include "hubassoc/session.h"
#include "hubassoc/util.h"

/* The error that explains a row: the outcomes' (the server's or a local
 * one), or an invalid row's reason in full, as INVALID_INPUT, in scratch
 * (explain_error_done frees it); NULL: none. */
const struct hs_error *explain_error(const struct outcomes *o, const struct plan *p,
    const struct input *in, size_t row, struct hs_error *scratch);
void explain_error_done(const struct hs_error *e, struct hs_error *scratch);

/* What is worked out once for a session's rows and kept while its
 * outcomes stand: each error's context values by the records they name
 * (a 207 names hundreds, for hundreds of rows).  Zeroed to start. */
struct explain {
	struct outcome_names *names;   /* per error of the outcomes */
	bool *built;
	size_t n;
};
void explain_free(struct explain *x);

/* The value of the row's error's context that names the row, and its key
 * (when key is not NULL); NULL when none does, or it has no error. */
const char *explain_context(struct explain *x, const struct outcomes *o,
    const struct plan *p, const struct input *in, size_t row, const char **key);

/* Why a row not_sent (or unconfirmed) was left so, when its error is
 * HubSpot's last answer with hubassoc's word added ("not sent: gave up
 * after 1 attempt; the last: HTTP 500: ..."); NULL otherwise.  *key (when
 * not NULL) is that word's context key, NOT_SENT or UNCONFIRMED. */
const char *explain_left(const struct outcomes *o, size_t row, const char **key);

/* What a verify found of a session's rows, by row (NULL: not verified),
 * and what it said of those it did not confirm. */
struct explain_verified {
	const uint8_t *verdict;
	char *const *said;
};

/* A row's reason in a line: its error (category: the context value naming
 * it, why it was left, or the error's summary), its input's reason, the
 * line it repeats,
 * what a verify found, what an unchanged row's pair held already, its undo,
 * a created pair the preflight found there already, the labels it was
 * created with; else its records by name.  Types by their labels, when
 * labels (the direction's) name them; else by CATEGORY:ID. */
struct assoc_labels;
void explain_line(struct explain *x, const struct session *s,
    const struct explain_verified *v, const struct assoc_labels *labels,
    size_t row, struct buf *out);

/* "Ada -> Acme": a valid row's records by name, when one is known. */
void explain_names(const struct input *in, const struct names *names, size_t row,
    struct buf *out);

#endif
