/*
 * key.h: a record named by something other than its ID, as the input holds
 * it: email:jane@x.com, domain:acme.com, PROPERTY:VALUE, or a plain cell
 * under a header that names its column's property.
 *
 * A key is kept canonical as "property:value", the property in lower case,
 * the value as HubSpot compares it: emails and domains without case,
 * without mailto:, a scheme, www., a path or a trailing dot; other
 * properties' values as written, trimmed.  hs_object_id (or id) names the
 * ID itself, so it is no key.  A cell with an @ and no property is an
 * email, a cell that looks like a domain a domain; the object type decides
 * later whether the property fits it (lookup.c).
 */
#ifndef HUBASSOC_KEY_H
#define HUBASSOC_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/util.h"

#define KEY_PROP_MAX 100     /* a property's internal name, in bytes */
#define KEY_VALUE_MAX 256    /* a key's value, in bytes */

enum key_kind {
	KEY_NONE,    /* no key: read the cell as an ID */
	KEY_OK,      /* out holds "property:value" */
	KEY_ID,      /* hs_object_id: out holds the value, to read as an ID */
	KEY_BAD,     /* a key that does not parse: *why says why */
};

/*
 * Reads a cell (trimmed, unquoted) as a key.  prop is the property its
 * column's header names, or NULL.  *why, for KEY_BAD, is a static phrase:
 * "is not an email address (name@domain)".
 */
enum key_kind key_parse(const char *p, size_t n, const char *prop, struct buf *out,
    const char **why);

/* The property a header cell names ("email", "Email address" -> email),
 * into out; false for a header cell that names none ("from", "Contact
 * ID", "company"): its column holds IDs. */
bool key_header_prop(const char *p, size_t n, char out[KEY_PROP_MAX + 1]);

/* Whether s (NUL-terminated) is a canonical key: "property:value". */
bool key_is_key(const char *s);
/* Whether a row's keys (FROM's and TO's; NULL or "" for an ID, keys
 * itself NULL for none) name one. */
bool key_pair_given(const char *const keys[2]);
/* A canonical key's property ("email") into out, and its value. */
const char *key_split(const char *key, char out[KEY_PROP_MAX + 1]);

#endif
