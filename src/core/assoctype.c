/* assoctype.c: association type specs, the built-in table, resolution. */
#include "hubassoc/assoctype.h"

#include <stdlib.h>
#include <string.h>

#include "hubassoc/text.h"

/* Each pair of hubspot-api.md §4, both directions. */
#define PAIR(a, b, ab, ba, label, flags) \
	{ a, b, ab, ba, label, flags }, { b, a, ba, ab, label, flags }
#define SAME(a, id) { a, a, id, id, NULL, 0 }

#define CONTACT "0-1"
#define COMPANY "0-2"
#define DEAL "0-3"
#define TICKET "0-5"
#define LINE_ITEM "0-8"
#define QUOTE "0-14"
#define TASK "0-27"
#define NOTE "0-46"
#define MEETING "0-47"
#define CALL "0-48"
#define EMAIL "0-49"

static const struct assoc_builtin builtin[] = {
	PAIR(CONTACT, COMPANY, 279, 280, NULL, 0),
	PAIR(CONTACT, COMPANY, 1, 2, "Primary", ASSOC_F_PRIMARY),
	PAIR(DEAL, CONTACT, 3, 4, NULL, 0),
	PAIR(DEAL, COMPANY, 341, 342, NULL, 0),
	PAIR(DEAL, COMPANY, 5, 6, "Primary", ASSOC_F_PRIMARY),
	PAIR(TICKET, CONTACT, 16, 15, NULL, 0),
	PAIR(TICKET, COMPANY, 339, 340, NULL, 0),
	PAIR(TICKET, COMPANY, 26, 25, "Primary", ASSOC_F_PRIMARY),
	PAIR(TICKET, DEAL, 28, 27, NULL, 0),
	PAIR(DEAL, LINE_ITEM, 19, 20, NULL, 0),
	{ COMPANY, COMPANY, 13, 14, "Parent Company", ASSOC_F_SINGLE_PARENT },
	{ COMPANY, COMPANY, 14, 13, "Child Company", ASSOC_F_SINGLE_PARENT },
	SAME(CONTACT, 449),
	SAME(COMPANY, 450),
	SAME(DEAL, 451),
	SAME(TICKET, 452),
	PAIR(CALL, CONTACT, 194, 193, NULL, 0),
	PAIR(CALL, COMPANY, 182, 181, NULL, 0),
	PAIR(CALL, DEAL, 206, 205, NULL, 0),
	PAIR(CALL, TICKET, 220, 219, NULL, 0),
	PAIR(EMAIL, CONTACT, 198, 197, NULL, 0),
	PAIR(EMAIL, COMPANY, 186, 185, NULL, 0),
	PAIR(EMAIL, DEAL, 210, 209, NULL, 0),
	PAIR(EMAIL, TICKET, 224, 223, NULL, 0),
	PAIR(MEETING, CONTACT, 200, 199, NULL, 0),
	PAIR(MEETING, COMPANY, 188, 187, NULL, 0),
	PAIR(MEETING, DEAL, 212, 211, NULL, 0),
	PAIR(MEETING, TICKET, 226, 225, NULL, 0),
	PAIR(NOTE, CONTACT, 202, 201, NULL, 0),
	PAIR(NOTE, COMPANY, 190, 189, NULL, 0),
	PAIR(NOTE, DEAL, 214, 213, NULL, 0),
	PAIR(NOTE, TICKET, 228, 227, NULL, 0),
	PAIR(TASK, CONTACT, 204, 203, NULL, 0),
	PAIR(TASK, COMPANY, 192, 191, NULL, 0),
	PAIR(TASK, DEAL, 216, 215, NULL, 0),
	PAIR(TASK, TICKET, 230, 229, NULL, 0),
	PAIR(QUOTE, DEAL, 64, 63, NULL, 0),
	PAIR(QUOTE, CONTACT, 69, 70, NULL, 0),
	PAIR(QUOTE, COMPANY, 71, 72, NULL, 0),
	PAIR(QUOTE, LINE_ITEM, 67, 68, NULL, 0),
};

static const char *const category_names[] = {
	[ASSOC_CAT_UNKNOWN] = NULL,
	[ASSOC_CAT_HUBSPOT] = "HUBSPOT_DEFINED",
	[ASSOC_CAT_USER] = "USER_DEFINED",
	[ASSOC_CAT_INTEGRATOR] = "INTEGRATOR_DEFINED",
	[ASSOC_CAT_WORK] = "WORK",
	[ASSOC_CAT_LABEL] = NULL,
};

const char *
assoc_category_name(enum assoc_category cat)
{
	return (size_t)cat < HA_ARRAY_LEN(category_names) ? category_names[cat] : NULL;
}

int
assoc_category_parse(const char *s, size_t n, enum assoc_category *out)
{
	for (size_t i = 0; i < HA_ARRAY_LEN(category_names); i++) {
		const char *name = category_names[i];
		if (name != NULL && strlen(name) == n && ascii_ncasecmp(name, s, n) == 0) {
			*out = (enum assoc_category)i;
			return 0;
		}
	}
	return -1;
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* An upper-case word such as HUBSPOT or USER_DEFINE: a category misspelt,
 * rather than a label. */
static bool
looks_like_category(const char *s, size_t n)
{
	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
			return false;
	return true;
}

static int
parse_type_id(const char *s, size_t n, uint32_t *out, char **cause)
{
	char tmp[32];
	unsigned long long v;

	if (!is_digits(s, n)) {
		char *e = text_escape_str(s, n, 40);
		*cause = xasprintf("association type ID '%s' is not a number", e);
		free(e);
		return -1;
	}
	if (n >= sizeof(tmp) || (memcpy(tmp, s, n), tmp[n] = '\0',
	    parse_uint(tmp, 1, ASSOC_TYPE_ID_MAX, &v) != 0)) {
		char *e = text_escape_str(s, n, 40);
		*cause = xasprintf("association type ID '%s' is out of range "
		    "(1 to %u)", e, ASSOC_TYPE_ID_MAX);
		free(e);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

#define LABEL_MAX 256

int
assoc_spec_parse(const char *s, size_t n, struct assoc_spec *out, char **cause)
{
	const char *sep;

	memset(out, 0, sizeof(*out));
	trim(&s, &n);
	if (n == 0) {
		*cause = xstrdup("association type is empty");
		return -1;
	}
	if (is_digits(s, n)) {
		out->cat = ASSOC_CAT_UNKNOWN;
		return parse_type_id(s, n, &out->type_id, cause);
	}
	/* HubSpot's own messages write USER_DEFINED=36: accept both. */
	sep = memchr(s, ':', n);
	if (sep == NULL)
		sep = memchr(s, '=', n);
	if (sep != NULL) {
		size_t cn = (size_t)(sep - s), in = n - cn - 1;
		const char *id = sep + 1, *cat = s;
		trim(&cat, &cn);
		trim(&id, &in);
		if (assoc_category_parse(cat, cn, &out->cat) == 0)
			return parse_type_id(id, in, &out->type_id, cause);
		if (looks_like_category(cat, cn) && is_digits(id, in)) {
			char *e = text_escape_str(cat, cn, 40);
			*cause = xasprintf("unknown association category '%s': use "
			    "HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED or "
			    "WORK", e);
			free(e);
			return -1;
		}
	}
	/* Anything else is a label name, resolved for the direction later. */
	if (n > LABEL_MAX) {
		*cause = xasprintf("label name is longer than %d bytes", LABEL_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			char *e = text_escape_str(s, n, 60);
			*cause = xasprintf("label name '%s' holds a control character", e);
			free(e);
			return -1;
		}
	}
	if (!utf8_valid(s, n)) {
		char *e = text_escape_str(s, n, 60);
		*cause = xasprintf("label name '%s' is not valid UTF-8", e);
		free(e);
		return -1;
	}
	out->cat = ASSOC_CAT_LABEL;
	out->label = xstrndup(s, n);
	return 0;
}

void
assoc_spec_clear(struct assoc_spec *spec)
{
	free(spec->label);
	memset(spec, 0, sizeof(*spec));
}

void
assoc_spec_copy(struct assoc_spec *dst, const struct assoc_spec *src)
{
	*dst = *src;
	dst->label = src->label != NULL ? xstrdup(src->label) : NULL;
}

void
assoc_spec_format(struct buf *out, const struct assoc_spec *spec)
{
	const char *cat = assoc_category_name(spec->cat);

	if (spec->cat == ASSOC_CAT_LABEL) {
		buf_addstr(out, spec->label);
		return;
	}
	if (cat != NULL) {
		buf_addstr(out, cat);
		buf_addc(out, ':');
	}
	buf_add_uint(out, spec->type_id);
}

const struct assoc_builtin *
assoc_builtin_table(size_t *n)
{
	*n = HA_ARRAY_LEN(builtin);
	return builtin;
}

const struct assoc_builtin *
assoc_builtin_find(uint32_t type_id, const char *from_id, const char *to_id)
{
	for (size_t i = 0; i < HA_ARRAY_LEN(builtin); i++)
		if (builtin[i].type_id == type_id &&
		    strcmp(builtin[i].from_id, from_id) == 0 &&
		    strcmp(builtin[i].to_id, to_id) == 0)
			return &builtin[i];
	return NULL;
}

const struct assoc_builtin *
assoc_builtin_any(uint32_t type_id)
{
	for (size_t i = 0; i < HA_ARRAY_LEN(builtin); i++)
		if (builtin[i].type_id == type_id)
			return &builtin[i];
	return NULL;
}

void
assoc_builtin_describe(struct buf *out, const struct assoc_builtin *b)
{
	const struct objtype_std *f = objtype_std_by_id(b->from_id);
	const struct objtype_std *t = objtype_std_by_id(b->to_id);

	buf_printf(out, "%s to %s, %s", f->singular, t->singular,
	    b->label != NULL ? b->label : "unlabeled");
}

void
assoc_labels_add(struct assoc_labels *list, enum assoc_category cat,
    uint32_t type_id, const char *label, uint32_t inverse)
{
	list->v = xreallocarray(list->v, list->n + 1, sizeof(*list->v));
	list->v[list->n++] = (struct assoc_label){
		.cat = cat, .type_id = type_id,
		.label = label != NULL ? xstrdup(label) : NULL,
		.inverse = inverse,
	};
}

void
assoc_labels_builtin(struct assoc_labels *list, const struct objtype *from,
    const struct objtype *to)
{
	memset(list, 0, sizeof(*list));
	if (from->id[0] == '\0' || to->id[0] == '\0')
		return;
	for (size_t i = 0; i < HA_ARRAY_LEN(builtin); i++)
		if (strcmp(builtin[i].from_id, from->id) == 0 &&
		    strcmp(builtin[i].to_id, to->id) == 0)
			assoc_labels_add(list, ASSOC_CAT_HUBSPOT, builtin[i].type_id,
			    builtin[i].label, builtin[i].inverse);
}

void
assoc_labels_free(struct assoc_labels *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->v[i].label);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

const struct assoc_label *
assoc_labels_find(const struct assoc_labels *list, enum assoc_category cat,
    uint32_t type_id)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->v[i].cat == cat && list->v[i].type_id == type_id)
			return &list->v[i];
	return NULL;
}

static bool
is_standard_pair(const struct objtype *from, const struct objtype *to)
{
	return from->kind == OBJTYPE_STANDARD && to->kind == OBJTYPE_STANDARD;
}

static void
list_choices(struct buf *out, const struct assoc_labels *labels)
{
	for (size_t i = 0; i < labels->n; i++) {
		const struct assoc_label *l = &labels->v[i];
		buf_printf(out, "%s%s:%u (%s)", i > 0 ? ", " : "",
		    assoc_category_name(l->cat), l->type_id,
		    l->label != NULL ? l->label : "unlabeled");
	}
}

static int
wrong_direction(const struct assoc_builtin *b, const struct objtype *from,
    const struct objtype *to, const struct assoc_labels *labels, char **cause)
{
	struct buf m = BUF_INIT;

	buf_printf(&m, "association type %u is ", b->type_id);
	assoc_builtin_describe(&m, b);
	buf_printf(&m, ", not %s to %s", objtype_singular(from),
	    objtype_singular(to));
	if (strcmp(b->from_id, to->id) == 0 && strcmp(b->to_id, from->id) == 0) {
		buf_printf(&m, "; for this direction use %u (", b->inverse);
		buf_addstr(&m, b->label != NULL ? b->label : "unlabeled");
		buf_addstr(&m, ")");
	} else if (labels->n > 0) {
		buf_addstr(&m, "; this direction has ");
		list_choices(&m, labels);
	}
	*cause = buf_detach(&m);
	return -1;
}

static bool
label_is_unlabeled(const char *s)
{
	return ascii_casecmp(s, "unlabeled") == 0 ||
	    ascii_casecmp(s, "unlabelled") == 0;
}

static int
resolve_label(struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to, const struct assoc_labels *labels, char **cause)
{
	const struct assoc_label *hit = NULL;
	bool unlabeled = label_is_unlabeled(spec->label);
	size_t hits = 0;

	for (size_t i = 0; i < labels->n; i++) {
		const struct assoc_label *l = &labels->v[i];
		bool match = unlabeled ? l->label == NULL :
		    l->label != NULL && ascii_casecmp(l->label, spec->label) == 0;
		if (!match)
			continue;
		if (hit == NULL || hit->cat != l->cat || hit->type_id != l->type_id)
			hits++;
		if (hit == NULL)
			hit = l;
	}
	/* A portal may list an unlabeled type per category: prefer HubSpot's. */
	if (unlabeled && hits > 1) {
		for (size_t i = 0; i < labels->n; i++)
			if (labels->v[i].label == NULL &&
			    labels->v[i].cat == ASSOC_CAT_HUBSPOT) {
				hit = &labels->v[i];
				hits = 1;
				break;
			}
	}
	if (hits == 1) {
		free(spec->label);
		spec->label = NULL;
		spec->cat = hit->cat;
		spec->type_id = hit->type_id;
		return 0;
	}
	char *e = text_escape_str(spec->label, strlen(spec->label), 60);
	struct buf m = BUF_INIT;
	if (hits > 1) {
		buf_printf(&m, "label '%s' is ambiguous for %s to %s: ", e,
		    objtype_name(from), objtype_name(to));
		bool first = true;
		for (size_t i = 0; i < labels->n; i++) {
			const struct assoc_label *l = &labels->v[i];
			if (unlabeled ? l->label != NULL : l->label == NULL ||
			    ascii_casecmp(l->label, spec->label) != 0)
				continue;
			buf_printf(&m, "%s%s:%u", first ? "" : ", ",
			    assoc_category_name(l->cat), l->type_id);
			first = false;
		}
		buf_addstr(&m, "; give CATEGORY:ID instead");
		free(e);
		*cause = buf_detach(&m);
		return -1;
	}
	if (!labels->from_portal) {
		/* Not known yet: the engine resolves it with the portal's list. */
		free(e);
		return 0;
	}
	buf_printf(&m, "unknown label '%s' for %s to %s", e, objtype_name(from),
	    objtype_name(to));
	if (labels->n > 0) {
		buf_addstr(&m, "; the labels are: ");
		list_choices(&m, labels);
	}
	free(e);
	*cause = buf_detach(&m);
	return -1;
}

int
assoc_spec_resolve(struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to, const struct assoc_labels *labels, char **note,
    char **cause)
{
	const struct assoc_builtin *b;

	*note = NULL;
	if (spec->cat == ASSOC_CAT_LABEL)
		return resolve_label(spec, from, to, labels, cause);

	if (spec->cat == ASSOC_CAT_UNKNOWN) {
		enum assoc_category found = ASSOC_CAT_UNKNOWN;
		for (size_t i = 0; i < labels->n; i++) {
			if (labels->v[i].type_id != spec->type_id)
				continue;
			if (found != ASSOC_CAT_UNKNOWN && found != labels->v[i].cat) {
				*cause = xasprintf("association type %u exists in "
				    "more than one category for %s to %s; give "
				    "CATEGORY:%u", spec->type_id, objtype_name(from),
				    objtype_name(to), spec->type_id);
				return -1;
			}
			found = labels->v[i].cat;
		}
		if (found != ASSOC_CAT_UNKNOWN) {
			spec->cat = found;
			return 0;
		}
		spec->cat = ASSOC_CAT_HUBSPOT;
	}

	if (spec->cat == ASSOC_CAT_HUBSPOT && is_standard_pair(from, to)) {
		if (assoc_builtin_find(spec->type_id, from->id, to->id) != NULL)
			return 0;
		b = assoc_builtin_any(spec->type_id);
		if (b != NULL)
			return wrong_direction(b, from, to, labels, cause);
	}
	for (size_t i = 0; i < labels->n; i++)
		if (labels->v[i].cat == spec->cat &&
		    labels->v[i].type_id == spec->type_id)
			return 0;
	if (labels->from_portal) {
		struct buf m = BUF_INIT;
		buf_printf(&m, "%s:%u is not an association type of %s to %s",
		    assoc_category_name(spec->cat), spec->type_id,
		    objtype_name(from), objtype_name(to));
		if (labels->n > 0) {
			buf_addstr(&m, "; the portal lists ");
			list_choices(&m, labels);
		}
		*cause = buf_detach(&m);
		return -1;
	}
	if (spec->cat == ASSOC_CAT_HUBSPOT && labels->n > 0)
		*note = xasprintf("HUBSPOT_DEFINED:%u is not a built-in type of "
		    "%s to %s; it is sent as given (write USER_DEFINED:%u for a "
		    "custom label)", spec->type_id, objtype_name(from),
		    objtype_name(to), spec->type_id);
	return 0;
}

void
assoc_spec_describe(struct buf *out, const struct assoc_spec *spec,
    const struct objtype *from, const struct objtype *to,
    const struct assoc_labels *labels)
{
	assoc_spec_format(out, spec);
	if (spec->cat == ASSOC_CAT_LABEL) {
		buf_addstr(out, " (label, resolved when sending)");
		return;
	}
	const struct assoc_label *l = assoc_labels_find(labels, spec->cat,
	    spec->type_id);
	if (l != NULL)
		buf_printf(out, " (%s to %s, %s)", objtype_singular(from),
		    objtype_singular(to), l->label != NULL ? l->label : "unlabeled");
}

unsigned
assoc_spec_flags(const struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to)
{
	const struct assoc_builtin *b;

	if (spec->cat != ASSOC_CAT_HUBSPOT || !is_standard_pair(from, to))
		return 0;
	b = assoc_builtin_find(spec->type_id, from->id, to->id);
	return b != NULL ? b->flags : 0;
}

bool
assoc_spec_may_be_unlabeled(const struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to)
{
	const struct assoc_builtin *b;

	if (spec->cat != ASSOC_CAT_HUBSPOT)
		return false;
	b = assoc_builtin_find(spec->type_id, from->id, to->id);
	return b == NULL || b->label == NULL;
}

int
assoc_spec_owner(const struct assoc_spec *spec, const struct objtype *from,
    const struct objtype *to)
{
	unsigned f = assoc_spec_flags(spec, from, to);

	if (f & ASSOC_F_PRIMARY)
		return strcmp(from->id, "0-2") == 0 ? 2 : 1;
	if (f & ASSOC_F_SINGLE_PARENT)
		return spec->type_id == 14 ? 1 : 2;
	return 0;
}
