/*
 * assocread.h: association batch/read, to see what a portal holds.
 *
 * A read names FROM records (at most ASSOCREAD_MAX a request, each with the
 * cursor of its next page when there is one) and answers, for each, the
 * records it is associated with and every type between them.  resume uses
 * it to settle rows whose create left without a usable answer: what the
 * portal holds is created; the rest is sent again.
 */
#ifndef HUBASSOC_ASSOCREAD_H
#define HUBASSOC_ASSOCREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/assoctype.h"
#include "hubassoc/response.h"

#define ASSOCREAD_MAX 1000
#define ASSOCREAD_LABEL_MAX 256      /* a label's bytes kept */

struct assocread_type {
	enum assoc_category cat;
	uint32_t type_id;
	char *label;                 /* as the portal names it, or NULL */
};

struct assocread_to {
	char id[RESPONSE_ID_MAX + 1];
	struct assocread_type *types;
	size_t ntypes;
};

struct assocread_from {
	char id[RESPONSE_ID_MAX + 1];
	char *after;                 /* the next page's cursor, or NULL */
	struct assocread_to *to;
	size_t nto;
};

struct assocread {
	struct assocread_from *from;
	size_t nfrom;
	/* FROM IDs the portal said it has no record of (OBJECT_NOT_FOUND) */
	char (*missing)[RESPONSE_ID_MAX + 1];
	size_t nmissing;
};

/* {"inputs":[{"id":"101"},{"id":"102","after":"..."}]}; afters may be
 * NULL, or hold NULLs. */
char *assocread_body(const char *const *ids, const char *const *afters, size_t n);
/* Such a body's inputs in two halves, two bodies: false when it has fewer
 * than two (or is not one).  An answer longer than is read is so asked
 * for again in parts (call_extra.split). */
bool assocread_body_split(const char *body, char **first, char **second);

/* Reads an answer; what is malformed is skipped (an ID that is not one, a
 * type without its number).  Returns -1 when the body is no JSON object. */
int assocread_parse(const char *body, size_t len, struct assocread *out);
void assocread_free(struct assocread *r);
void assocread_to_clear(struct assocread_to *t);

/* Whether the pair holds every type of specs; when it does not, *after is
 * the cursor of FROM's next page (NULL when it had no more, or was not in
 * the answer). */
bool assocread_holds(const struct assocread *r, const char *from, const char *to,
    const struct assoc_spec *specs, size_t n, const char **after);
/* How many types of specs the pair holds, or -1 when the answer has no
 * such pair (*after then as assocread_holds sets it). */
int assocread_pair_has(const struct assocread *r, const char *from, const char *to,
    const struct assoc_spec *specs, size_t n, const char **after);

#endif
