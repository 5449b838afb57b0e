/*
 * limitcheck.h: a send's rows held against the association limits an
 * admin configured, before anything is written.
 *
 * HubSpot lets an admin cap how many records one record may hold with a
 * type (userEnforcedMaxToObjectIds), per direction: "a company may have 1
 * contact labeled Billing contact".  A create past it is refused by the
 * portal, row by row, after part of the send went.  So a send first reads
 * the limits of both directions (two GETs); when one applies to a type its
 * rows give, it reads the records of that end (association batch/read,
 * every page) and counts, for each, the records it holds with the type and
 * those the rows would add.  A record the rows would take past its limit,
 * alone or together, is named with the lines that add to it, and nothing
 * is sent.
 */
#ifndef HUBASSOC_LIMITCHECK_H
#define HUBASSOC_LIMITCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/calls.h"
#include "hubassoc/session.h"

struct limitcheck;

/* Queues the GETs of the limits of both directions (kind "limits") on c,
 * for the rows of s's plan that are pending (all the plan sends, when its
 * outcomes are not begun yet); labels name types (may be NULL). */
struct limitcheck *limitcheck_start(struct calls *c, const struct session *s,
    const struct assoc_labels *labels, enum api_version api);
/* The last calls are done: whether there is more to read, and, when
 * there is, it queued on c (a new calls).  First, when TO's limits cap a
 * USER_DEFINED type whose inverse the labels do not give, the other
 * direction's labels (its inverse: the label one apart from it, when only
 * one is); then the records the limits cap. */
bool limitcheck_wants(struct limitcheck *lc);
void limitcheck_read(struct limitcheck *lc, struct calls *c);
/* Done: the records the rows would take past a limit, a line each to
 * line(arg, text) ("company 203169578 may have 1 contact labeled Billing
 * contact; it has 1 and this file adds 2 (lines 4, 9)"), at most max of
 * them; returns how many there are. */
size_t limitcheck_over(struct limitcheck *lc, size_t max,
    void (*line)(void *arg, const char *text), void *arg);
/* The limits that apply to the rows, for people: "1 limit applies:
 * companies to contacts, Billing contact, at most 1", or NULL. */
const char *limitcheck_applied(const struct limitcheck *lc);
/* What the check found, as a plan's "limits" line says it, for the
 * calls' stop (a 403 or 404: the portal does not list them to this
 * token): "not read (why): a write past one fails at the portal", or the
 * limits that applied; NULL when there is nothing to say. */
char *limitcheck_said(const struct limitcheck *lc, enum engine_stop stop,
    const char *why);
/* The refusal, over records past a limit, first the first of them:
 * "2 records would pass their configured limit (FIRST, ...)". */
char *limitcheck_refusal(size_t over, const char *first);
void limitcheck_free(struct limitcheck *lc);

#endif
