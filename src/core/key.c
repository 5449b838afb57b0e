/* key.c: keys in the input, read and made canonical (see key.h). */
#include "hubassoc/key.h"

#include <string.h>

#include "hubassoc/objtype.h"
#include "hubassoc/text.h"

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
has_prefix(const char *p, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (ascii_tolower((unsigned char)p[i]) != pre[i])
			return false;
	return true;
}

/* A property's internal name: a letter, then letters, digits, '_'. */
static bool
prop_name_ok(const char *p, size_t n)
{
	if (n == 0 || n > KEY_PROP_MAX || !is_alpha((unsigned char)p[0]))
		return false;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!is_alpha(c) && !is_digit(c) && c != '_')
			return false;
	}
	return true;
}

/* Host names: labels of letters, digits and '-' (or UTF-8), dot-joined,
 * the last holding a letter. */
static bool
domain_ok(const char *p, size_t n)
{
	size_t label = 0, dots = 0;
	bool letter = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.') {
			if (label == 0)
				return false;
			dots++;
			label = 0;
			letter = false;
			continue;
		}
		if (!is_alpha(c) && !is_digit(c) && c != '-' && c < 0x80)
			return false;
		letter |= is_alpha(c) || c >= 0x80;
		label++;
	}
	return dots > 0 && label > 0 && letter;
}

/* A cell that looks like a domain by itself: acme.com, www.acme.co.uk. */
static bool
looks_domain(const char *p, size_t n)
{
	while (n > 0 && p[n - 1] == '.')
		n--;
	return memchr(p, '.', n) != NULL && domain_ok(p, n);
}

/* Emails and domains, as HubSpot compares them: without case. */
static void
add_lower(struct buf *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addc(out, (char)ascii_tolower((unsigned char)p[i]));
}

/* The domain in a URL or a host name, lower case: without scheme, www.,
 * port, path, query or the root's trailing dot. */
static const char *
domain_norm(const char *p, size_t n, struct buf *out)
{
	if (has_prefix(p, n, "https://"))
		p += 8, n -= 8;
	else if (has_prefix(p, n, "http://"))
		p += 7, n -= 7;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '/' || p[i] == '?' || p[i] == '#' || p[i] == ':') {
			n = i;
			break;
		}
	if (has_prefix(p, n, "www."))
		p += 4, n -= 4;
	while (n > 0 && p[n - 1] == '.')
		n--;
	if (n == 0 || n > KEY_VALUE_MAX || !domain_ok(p, n))
		return "is not a domain (such as acme.com)";
	add_lower(out, p, n);
	return NULL;
}

static const char *
email_norm(const char *p, size_t n, struct buf *out)
{
	if (has_prefix(p, n, "mailto:"))
		p += 7, n -= 7;
	/* Outlook's "Jane Doe <jane@x.com>" (or "<jane@x.com>"): the address
	 * in the brackets, the name before them passed over. */
	if (n >= 2 && p[n - 1] == '>') {
		const char *lt = NULL;
		for (size_t i = n - 1; i-- > 0;)
			if (p[i] == '<') {
				lt = p + i;
				break;
			}
		if (lt != NULL) {
			n = (size_t)(p + n - 1 - lt - 1);
			p = lt + 1;
		}
	}
	while (n > 0 && p[n - 1] == '.')
		n--;
	const char *at = memchr(p, '@', n);
	if (at == NULL || at == p || at == p + n - 1 ||
	    memchr(at + 1, '@', (size_t)(p + n - at - 1)) != NULL)
		return "is not an email address (name@domain)";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ' || c == '"' || c == '\'' || c == ',' || c == ';' ||
		    c == '<' || c == '>' || c == 0x7f)
			return "is not an email address (it holds a space, a quote "
			    "or a separator)";
	}
	if (n > KEY_VALUE_MAX || !domain_ok(at + 1, (size_t)(p + n - at - 1)))
		return "is not an email address (name@domain)";
	add_lower(out, p, n);
	return NULL;
}

/* Another property's value: as written, no control characters. */
static const char *
value_norm(const char *p, size_t n, struct buf *out)
{
	if (n == 0)
		return "has no value after the property";
	if (n > KEY_VALUE_MAX)
		return "is longer than 256 bytes";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < ' ' || p[i] == 0x7f)
			return "holds a control character";
	buf_add(out, p, n);
	return NULL;
}

static bool
is_id_prop(const char *prop)
{
	return strcmp(prop, "hs_object_id") == 0 || strcmp(prop, "id") == 0;
}

/* prop's value at p, canonical, after "prop:" in out. */
static enum key_kind
key_value(const char *prop, const char *p, size_t n, struct buf *out,
    const char **why)
{
	buf_reset(out);
	while (n > 0 && (p[0] == ' ' || p[0] == '\t'))
		p++, n--;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (is_id_prop(prop)) {
		buf_add(out, p, n);
		return KEY_ID;
	}
	buf_addstr(out, prop);
	buf_addc(out, ':');
	/* Every key goes into a JSON body as it is: not UTF-8, it would make
	 * the body no JSON at all. */
	if (!utf8_valid(p, n))
		*why = "is not valid UTF-8";
	else if (strcmp(prop, "email") == 0)
		*why = email_norm(p, n, out);
	else if (strcmp(prop, "domain") == 0)
		*why = domain_norm(p, n, out);
	else
		*why = value_norm(p, n, out);
	return *why == NULL ? KEY_OK : KEY_BAD;
}

enum key_kind
key_parse(const char *p, size_t n, const char *prop, struct buf *out,
    const char **why)
{
	char name[KEY_PROP_MAX + 1];
	const char *colon;

	*why = NULL;
	if (prop != NULL)
		return key_value(prop, p, n, out, why);
	if (n == 0 || is_digit((unsigned char)p[0]) || p[0] == '-' || p[0] == '+')
		return KEY_NONE;
	if (has_prefix(p, n, "mailto:"))
		return key_value("email", p, n, out, why);
	if (has_prefix(p, n, "http://") || has_prefix(p, n, "https://"))
		return key_value("domain", p, n, out, why);
	if ((colon = memchr(p, ':', n)) != NULL && prop_name_ok(p, (size_t)(colon - p))) {
		size_t k = (size_t)(colon - p);
		for (size_t i = 0; i < k; i++)
			name[i] = (char)ascii_tolower((unsigned char)p[i]);
		name[k] = '\0';
		return key_value(name, colon + 1, n - k - 1, out, why);
	}
	if (memchr(p, '@', n) != NULL)
		return key_value("email", p, n, out, why);
	if (has_prefix(p, n, "www.") || looks_domain(p, n))
		return key_value("domain", p, n, out, why);
	return KEY_NONE;
}

/* Header words that name the column's records, not a property. */
static const char *const plain_words[] = {
	"from", "to", "source", "target", "object", "objects", "record",
	"records", "type", "types", "spec", "specs", "label", "labels",
	"association", "associations", "association_type", "association_types",
	"category", "name", "names", "parent", "child", "primary",
};

/* Whether a '_'-separated word of s is "id", or s ends in "id": a
 * column of IDs ("contact_id", "hs_object_id", "vid", "record_id_x"). */
static bool
names_ids(const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && strcmp(s + n - 2, "id") == 0)
		return true;
	for (const char *p = s; (p = strstr(p, "id")) != NULL; p += 2)
		if ((p == s || p[-1] == '_') && (p[2] == '\0' || p[2] == '_'))
			return true;
	return false;
}

bool
key_header_prop(const char *p, size_t n, char out[KEY_PROP_MAX + 1])
{
	size_t k = 0;
	bool internal = true;

	if (n == 0 || n > KEY_PROP_MAX || !is_alpha((unsigned char)p[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == ' ' || c == '-')
			c = '_', internal = false;
		else if (c >= 'A' && c <= 'Z')
			internal = false;
		else if (!is_alpha(c) && !is_digit(c) && c != '_')
			return false;
		out[k++] = (char)ascii_tolower(c);
	}
	out[k] = '\0';
	/* "email" is also the singular of emails, the engagement: a
	 * column of them is a contact's email. */
	if (strcmp(out, "email") == 0 || strcmp(out, "email_address") == 0 ||
	    strcmp(out, "e_mail") == 0) {
		strcpy(out, "email");
		return true;
	}
	if (strcmp(out, "domain") == 0 || strcmp(out, "company_domain_name") == 0 ||
	    strcmp(out, "company_domain") == 0) {
		strcpy(out, "domain");
		return true;
	}
	/* Else only a property's internal name, as written: lower case,
	 * digits, '_' ("vin", "customer_no"), and none that names IDs or
	 * records ("Record ID - Contact", "contact_id", "from", "companies"). */
	if (!internal || k < 2 || names_ids(out))
		return false;
	for (size_t i = 0; i < HA_ARRAY_LEN(plain_words); i++)
		if (strcmp(out, plain_words[i]) == 0)
			return false;
	size_t nstd;
	const struct objtype_std *std = objtype_std_table(&nstd);
	for (size_t i = 0; i < nstd; i++)
		if (strcmp(out, std[i].plural) == 0 || strcmp(out, std[i].singular) == 0)
			return false;
	/* A custom object's name: p_cars, p123_cars. */
	if (out[0] == 'p' && (out[1] == '_' || is_digit((unsigned char)out[1])))
		return false;
	static const char *const ordinals[] = { "first", "second", "left", "right",
	    "col1", "col2", "column1", "column2" };
	for (size_t i = 0; i < HA_ARRAY_LEN(ordinals); i++)
		if (strcmp(out, ordinals[i]) == 0)
			return false;
	return true;
}

bool
key_is_key(const char *s)
{
	const char *colon = strchr(s, ':');

	return colon != NULL && colon[1] != '\0' && prop_name_ok(s, (size_t)(colon - s));
}

const char *
key_split(const char *key, char out[KEY_PROP_MAX + 1])
{
	const char *colon = strchr(key, ':');
	size_t k = colon != NULL ? (size_t)(colon - key) : 0;

	if (k > KEY_PROP_MAX)
		k = KEY_PROP_MAX;
	memcpy(out, key, k);
	out[k] = '\0';
	return colon != NULL ? colon + 1 : key;
}

bool
key_pair_given(const char *const keys[2])
{
	return keys != NULL && ((keys[0] != NULL && keys[0][0] != '\0') ||
	    (keys[1] != NULL && keys[1][0] != '\0'));
}
