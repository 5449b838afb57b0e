/*
 * assocset.h: what a portal holds for a set of records in one direction,
 * read whole (association batch/read, ASSOCREAD_MAX records a request,
 * every page of each) through calls (calls.h).
 *
 * Preflight, read, verify and undo all ask the same question of the
 * portal: for these FROM records, which TO records are they associated
 * with, and by which types?  The answer is kept by FROM ID; a FROM record
 * the portal has no record of is said to be missing.
 */
#ifndef HUBASSOC_ASSOCSET_H
#define HUBASSOC_ASSOCSET_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/assocread.h"
#include "hubassoc/calls.h"

struct assocset;

/* A set to read on calls: its requests are POSTs to path (the
 * direction's batch/read), named kind in the journal. */
struct assocset *assocset_new(struct calls *c, const char *kind, const char *path);
void assocset_free(struct assocset *s);

/* Queues the reads of ids (repeats and IDs already asked for are left
 * out); the answers come in as calls_turn runs. */
void assocset_read(struct assocset *s, const char *const *ids, size_t n);

/* FROM's associations once read: NULL when it was not read (or not yet). */
const struct assocread_from *assocset_from(const struct assocset *s, const char *from);
/* The pair, when the portal holds it; NULL otherwise. */
const struct assocread_to *assocset_pair(const struct assocset *s, const char *from,
    const char *to);
/* Whether the portal said it has no record FROM. */
bool assocset_missing(const struct assocset *s, const char *from);
/* Records asked for, and requests made (pages included). */
size_t assocset_records(const struct assocset *s);
/* The i-th record asked for, in the order first asked. */
const char *assocset_record_id(const struct assocset *s, size_t i);
size_t assocset_requests(const struct assocset *s);

/* A call's answer read as a read's (an objects batch/read's errors name
 * missing records the same way): false, the run stopped, when it was
 * refused or is not JSON. */
bool assocread_answer(struct calls *c, const char *what,
    const struct http_result *res, const struct response *r, bool refused,
    struct assocread *rb);

/* Whether t holds the type. */
bool assocread_to_has(const struct assocread_to *t, enum assoc_category cat,
    uint32_t type_id);
/* Whether a type is among specs (n of them; every type when n is 0), and
 * whether a pair holds any such type: what a read asked only for some
 * types (read --type) keeps. */
bool assocread_type_wanted(const struct assocread_type *t,
    const struct assoc_spec *specs, size_t n);
bool assocread_to_wanted(const struct assocread_to *t,
    const struct assoc_spec *specs, size_t n);

#endif
