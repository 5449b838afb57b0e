/*
 * lookup.h: keys in the input resolved to record IDs before the plan.
 *
 * Each distinct key is looked up once: a unique property's (email, a
 * custom unique property) through objects batch/read with idProperty, 100
 * a request; a company's domain, which is not unique, through CRM search's
 * IN, 100 a request, every page, paced by search's own budget as well as
 * the portal's.  A key then names exactly one record, and the rows holding
 * it get its ID (the key kept beside it), or none or several, and they are
 * invalid, saying which.  The names that came with the answers are kept.
 * A property the portal refuses (not unique, not of the type, unknown)
 * stops the lookup: nothing is sent for a file that names it.
 */
#ifndef HUBASSOC_LOOKUP_H
#define HUBASSOC_LOOKUP_H

#include <stddef.h>

#include "hubassoc/calls.h"
#include "hubassoc/input.h"
#include "hubassoc/names.h"
#include "hubassoc/objtype.h"
#include "hubassoc/rate.h"
#include "hubassoc/request.h"

#define LOOKUP_BATCH 100          /* keys a request */
#define LOOKUP_SEARCH_MAX 5       /* CRM search: requests ... */
#define LOOKUP_SEARCH_WINDOW_MS 1000  /* ... per this window */
#define LOOKUP_SEARCH_MARGIN_MS 60    /* slack: a second's window is short
                                       * next to a request's jitter */
#define LOOKUP_SHOW_MANY 3        /* IDs named when several have a key */
#define LOOKUP_PAGES_MAX 200      /* a search's pages at most: HubSpot's
                                   * 10,000 results end at 50 of 200 */
#define LOOKUP_SEARCH_BODY_MAX 3000   /* HubSpot refuses a longer search body */
#define LOOKUP_SEARCH_RESULTS_MAX 10000  /* ... and pages past this many */
#define LOOKUP_CURSOR_MAX 63      /* a longer paging cursor is not taken */

struct lookup;

/* The keys of in's rows that wait for one (input_row_pending), to look up
 * in api's line of the objects endpoints. */
struct lookup *lookup_new(const struct input *in, enum api_version api,
    const struct objtype *from, const struct objtype *to);
void lookup_free(struct lookup *l);
/* Distinct keys, and the requests they take at least. */
size_t lookup_keys(const struct lookup *l);
size_t lookup_least(const struct lookup *l);

/* The budget searches are paced by as well as the portal's. */
void lookup_search_rate(struct rate *search);

/* Queues the requests on c; searches are paced by search as well.
 * display names a custom object's primary display property, FROM's and
 * TO's (the array or either may be NULL): the names asked for with the
 * keys. */
void lookup_start(struct lookup *l, struct calls *c, struct rate *search,
    const char *const display[2]);

/* After the calls completed: each waiting row gets its IDs or is invalid;
 * names (names[0] FROM's, names[1] TO's) get what came with the answers.
 * Returns the rows made invalid. */
size_t lookup_apply(struct lookup *l, struct input *in, struct names names[2]);

/* The refusal that stopped the lookup, naming the property, or NULL. */
const char *lookup_refused(const struct lookup *l);

/* How many keys found one record, none, several. */
void lookup_counts(const struct lookup *l, size_t *one, size_t *none, size_t *many);

#endif
