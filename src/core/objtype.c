/* objtype.c: the standard object table, custom type syntax, suggestions. */
#include "hubassoc/objtype.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/response.h"
#include "hubassoc/text.h"
#include "hubassoc/util.h"

/* Names HubSpot gives its objects (hubspot-api.md §3).  A name is sent in
 * a path only where HubSpot is known to take it (certain); elsewhere the
 * type ID goes, which every path accepts, never a guessed name. */
static const struct objtype_std std_table[] = {
	{ "0-1", "contacts", "contact", "CONTACT", true },
	{ "0-2", "companies", "company", "COMPANY", true },
	{ "0-3", "deals", "deal", "DEAL", true },
	{ "0-5", "tickets", "ticket", "TICKET", true },
	{ "0-7", "products", "product", "PRODUCT", true },
	{ "0-8", "line_items", "line_item", "LINE_ITEM", true },
	{ "0-14", "quotes", "quote", "QUOTE", true },
	{ "0-18", "communications", "communication", "COMMUNICATION", false },
	{ "0-19", "feedback_submissions", "feedback_submission", "FEEDBACK_SUBMISSION", false },
	{ "0-27", "tasks", "task", "TASK", true },
	{ "0-46", "notes", "note", "NOTE", true },
	{ "0-47", "meetings", "meeting", "MEETING_EVENT", true },
	{ "0-48", "calls", "call", "CALL", true },
	{ "0-49", "emails", "email", "EMAIL", true },
	{ "0-53", "invoices", "invoice", "INVOICE", false },
	{ "0-54", "marketing_events", "marketing_event", "MARKETING_EVENT", false },
	{ "0-69", "subscriptions", "subscription", "SUBSCRIPTION", false },
	{ "0-74", "goal_targets", "goal_target", "GOAL_TARGET", false },
	{ "0-101", "commerce_payments", "commerce_payment", "COMMERCE_PAYMENT", false },
	{ "0-115", "users", "user", "USER", false },
	{ "0-116", "postal_mail", "postal_mail", "POSTAL_MAIL", false },
	{ "0-123", "orders", "order", "ORDER", false },
	{ "0-136", "leads", "lead", "LEAD", false },
	{ "0-142", "carts", "cart", "CART", false },
	{ "0-162", "services", "service", "SERVICE", false },
	{ "0-410", "courses", "course", "COURSE", false },
	{ "0-420", "listings", "listing", "LISTING", false },
	{ "0-421", "appointments", "appointment", "APPOINTMENT", false },
	{ "0-970", "projects", "project", "PROJECT", false },
};

const struct objtype_std *
objtype_std_table(size_t *n)
{
	*n = HA_ARRAY_LEN(std_table);
	return std_table;
}

const struct objtype_std *
objtype_std_by_id(const char *id)
{
	for (size_t i = 0; i < HA_ARRAY_LEN(std_table); i++)
		if (strcmp(std_table[i].id, id) == 0)
			return &std_table[i];
	return NULL;
}

size_t
edit_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][65];
	size_t *pp = rows[0], *p = rows[1], *c = rows[2];

	if (la > 64 || lb > 64)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (size_t j = 0; j <= lb; j++)
		p[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t best = c[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = a[i - 1] >= 'A' && a[i - 1] <= 'Z' ? a[i - 1] + 32 : a[i - 1];
			int cb = b[j - 1] >= 'A' && b[j - 1] <= 'Z' ? b[j - 1] + 32 : b[j - 1];
			size_t cost = ca != cb;
			size_t v = p[j - 1] + cost;
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		size_t *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb] > max ? max + 1 : p[lb];
}

/* How far a typo of s may be from a name it meant. */
static size_t
typo_max(const char *s)
{
	size_t len = strlen(s);

	return len < 4 ? 1 : len < 8 ? 2 : 3;
}

const char *
nearest_of(const char *s, const void *base, size_t n, size_t size, size_t offset)
{
	const char *best = NULL;
	size_t max = typo_max(s), best_d = max + 1;

	for (size_t i = 0; i < n; i++) {
		const char *name;
		memcpy(&name, (const char *)base + i * size + offset, sizeof(name));
		size_t d = name != NULL ? edit_distance(s, name, max) : max + 1;
		if (d < best_d) {
			best_d = d;
			best = name;
		}
	}
	return best;
}

/* The known name nearest to s, or NULL when none is near enough to help. */
static const char *
nearest_name(const char *s)
{
	const char *best = NULL;
	size_t len = strlen(s), max = typo_max(s);
	size_t best_d = max + 1;

	for (size_t i = 0; i < HA_ARRAY_LEN(std_table); i++) {
		const char *names[2] = { std_table[i].plural, std_table[i].singular };
		for (int k = 0; k < 2; k++) {
			size_t d = edit_distance(s, names[k], max);
			if (d < best_d) {
				best_d = d;
				best = std_table[i].plural;
			}
		}
		/* A prefix of three or more letters is a clear intent. */
		if (best == NULL && len >= 3 &&
		    ascii_ncasecmp(s, std_table[i].plural, len) == 0)
			best = std_table[i].plural;
	}
	/* The last word of a longer name is clearer still ("goals" for
	 * goal_targets is no typo of deals). */
	for (size_t i = 0; len >= 3 && i < HA_ARRAY_LEN(std_table); i++) {
		const char *pl = std_table[i].plural, *u = strrchr(pl, '_');
		if (u != NULL && (ascii_casecmp(s, u + 1) == 0 ||
		    ascii_ncasecmp(s, pl, (size_t)(u - pl)) == 0))
			return pl;
	}
	return best;
}

/* p_<name> or p<digits>_<name>, name of letters, digits and underscores. */
static bool
is_custom_name(const char *s)
{
	const char *u;

	if (s[0] != 'p' && s[0] != 'P')
		return false;
	u = strchr(s, '_');
	if (u == NULL || u[1] == '\0')
		return false;
	if (u != s + 1 && !is_digits(s + 1, (size_t)(u - s - 1)))
		return false;
	for (const char *q = u + 1; *q != '\0'; q++) {
		char c = *q;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

int
objtype_parse(const char *s, struct objtype *out, char **cause)
{
	size_t len = strlen(s);
	const char *dash;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		*cause = xstrdup("object type is empty");
		return -1;
	}
	if (len >= sizeof(out->path)) {
		char *e = text_escape_str(s, len, 40);
		*cause = xasprintf("object type '%s' is too long", e);
		free(e);
		return -1;
	}
	for (size_t i = 0; i < HA_ARRAY_LEN(std_table); i++) {
		const struct objtype_std *t = &std_table[i];
		if (ascii_casecmp(s, t->plural) == 0 ||
		    ascii_casecmp(s, t->singular) == 0 || strcmp(s, t->id) == 0) {
			out->kind = OBJTYPE_STANDARD;
			out->std = t;
			/* An ID goes as it was given; a name only where it is
			 * certain. */
			strcpy(out->path, strcmp(s, t->id) == 0 || !t->certain ? t->id :
			    t->plural);
			strcpy(out->id, t->id);
			return 0;
		}
	}
	dash = strchr(s, '-');
	if (dash != NULL && is_digits(s, (size_t)(dash - s)) &&
	    is_digits(dash + 1, strlen(dash + 1)) && dash - s <= 3 &&
	    strlen(dash + 1) <= 18) {
		out->kind = OBJTYPE_ID;
		strcpy(out->path, s);
		strcpy(out->id, s);
		return 0;
	}
	if (is_custom_name(s)) {
		out->kind = OBJTYPE_CUSTOM_NAME;
		strcpy(out->path, s);
		return 0;
	}

	char *e = text_escape_str(s, len, 40);
	const char *near = nearest_name(s);
	if (near != NULL)
		*cause = xasprintf("unknown object type '%s'; did you mean '%s'? "
		    "(a custom object is 2-<n>, p_<name> or p<portal>_<name>)",
		    e, near);
	else
		*cause = xasprintf("unknown object type '%s': give a standard "
		    "object (contacts, companies, deals, tickets, ...), a type "
		    "ID (0-1, 2-123) or a custom object's p_<name> or "
		    "p<portal>_<name>", e);
	free(e);
	return -1;
}

const char *
objtype_name(const struct objtype *t)
{
	return t->path;
}

const char *
objtype_singular(const struct objtype *t)
{
	return t->kind == OBJTYPE_STANDARD ? t->std->singular : t->path;
}

bool
objtype_matches_error_name(const struct objtype *t, const char *name, size_t n)
{
	const char *cands[4] = { t->id, t->path, NULL, NULL };

	if (t->kind == OBJTYPE_STANDARD) {
		cands[2] = t->std->error_name;
		cands[3] = t->std->singular;
	}
	for (size_t i = 0; i < HA_ARRAY_LEN(cands); i++) {
		if (cands[i] == NULL || cands[i][0] == '\0')
			continue;
		if (strlen(cands[i]) == n && ascii_ncasecmp(cands[i], name, n) == 0)
			return true;
	}
	return false;
}

int
custom_objects_parse(const char *body, size_t len, struct custom_object **out,
    size_t *n, char **cause)
{
	cJSON *root = json_parse_answer(body, len), *s;
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");

	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(results)) {
		cJSON_Delete(root);
		*cause = xstrdup("the schemas answer holds no results");
		return -1;
	}
	cJSON_ArrayForEach(s, results) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "objectTypeId");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(s, "name");
		const cJSON *plural = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(s, "labels"), "plural");
		const cJSON *display = cJSON_GetObjectItemCaseSensitive(s,
		    "primaryDisplayProperty");
		struct objtype t;
		char *why = NULL;
		if (!cJSON_IsString(id) || objtype_parse(id->valuestring, &t, &why) != 0) {
			free(why);
			continue;
		}
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = (struct custom_object){
			.name = cJSON_IsString(name) ? xasprintf("p_%s", name->valuestring) :
			    xstrdup(id->valuestring),
			.id = xstrdup(id->valuestring),
			.plural = xstrdup(cJSON_IsString(plural) ? plural->valuestring :
			    id->valuestring),
			/* A property's name: kept only when it is one. */
			.display = cJSON_IsString(display) && display->valuestring[0] != '\0' &&
			    strlen(display->valuestring) <= 100 &&
			    strspn(display->valuestring, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
			    strlen(display->valuestring) ? xstrdup(display->valuestring) : NULL,
		};
	}
	cJSON_Delete(root);
	return 0;
}

void
custom_objects_free(struct custom_object *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].id);
		free(v[i].plural);
		free(v[i].display);
	}
	free(v);
}

const struct custom_object *
custom_objects_find(const struct objtype *t, const struct custom_object *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *bare = strncmp(v[i].name, "p_", 2) == 0 ? v[i].name + 2 : "";
		const char *us = strchr(t->path, '_');
		if ((t->id[0] != '\0' && strcmp(t->id, v[i].id) == 0) ||
		    strcmp(t->path, v[i].name) == 0 ||
		    (t->path[0] == 'p' && us != NULL && bare[0] != '\0' &&
		    strcmp(us + 1, bare) == 0))
			return &v[i];
	}
	return NULL;
}

const struct custom_object *
custom_objects_nearest(const char *s, const struct custom_object *v, size_t n)
{
	size_t max = typo_max(s), best_d = max + 1;
	const struct custom_object *best = NULL;

	for (size_t i = 0; i < n; i++) {
		const char *bare = strncmp(v[i].name, "p_", 2) == 0 ? v[i].name + 2 :
		    v[i].name;
		const char *names[3] = { v[i].name, bare, v[i].plural };
		for (int k = 0; k < 3; k++) {
			size_t d = ascii_casecmp(s, names[k]) == 0 ? 0 :
			    edit_distance(s, names[k], max);
			if (d < best_d) {
				best_d = d;
				best = &v[i];
			}
		}
	}
	return best;
}
