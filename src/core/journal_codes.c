/*
 * journal_codes.c: the kinds of records, and the words a row's codes are
 * stored under (its status, its reason, its plan), written by the journal
 * and the working set and read back by the reader and the scanner: one
 * table each way.
 */
#include <stdio.h>
#include <string.h>

#include "journal_int.h"

#define JOURNAL_REC_NAME(kind, name) [JR_##kind] = name,
static const char *const rec_names[JR_COUNT] = { JOURNAL_RECORDS(JOURNAL_REC_NAME) };

const char *
journal_rec_name(enum journal_rec k)
{
	return k < JR_COUNT ? rec_names[k] : "?";
}

void
journal_rec_begin(struct buf *b, enum journal_rec k)
{
	buf_printf(b, "{\"t\":\"%s\"", journal_rec_name(k));
}

enum journal_rec
journal_rec_named(const char *name)
{
	for (int k = 0; k < JR_COUNT; k++)
		if (strcmp(rec_names[k], name) == 0)
			return (enum journal_rec)k;
	return JR_COUNT;
}

enum journal_rec
journal_rec_of(const char *line, size_t len)
{
	static const char head[] = "{\"t\":\"";
	const size_t h = sizeof(head) - 1;

	if (len <= h || memcmp(line, head, h) != 0)
		return JR_COUNT;
	for (int k = 0; k < JR_COUNT; k++) {
		size_t n = strlen(rec_names[k]);
		if (len > h + n && memcmp(line + h, rec_names[k], n) == 0 &&
		    line[h + n] == '"')
			return (enum journal_rec)k;
	}
	return JR_COUNT;
}

static const char *const status_names[] = {
	[ROW_VALID] = "valid", [ROW_INVALID] = "invalid",
};
static const char *const plan_names[] = {
	[PLAN_SEND] = "send", [PLAN_INVALID] = "invalid",
	[PLAN_DUPLICATE] = "duplicate", [PLAN_EARLIER] = "earlier",
};

const char *
journal_row_name(enum row_code k, unsigned v, unsigned why)
{
	switch (k) {
	case ROW_CODE_STATUS:
		return v < HA_ARRAY_LEN(status_names) ? status_names[v] : "invalid";
	case ROW_CODE_REASON:
		return input_reason_key((enum input_reason)v);
	case ROW_CODE_PLAN:
		if (why != INPUT_OK)
			return input_reason_key((enum input_reason)why);
		return v < HA_ARRAY_LEN(plan_names) ? plan_names[v] : "invalid";
	}
	return "";
}

static bool
name_in(const char *const *names, size_t count, const char *s, size_t n,
    uint64_t *v)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0) {
			*v = i;
			return true;
		}
	return false;
}

bool
journal_row_code(enum row_code k, const char *s, size_t n, uint64_t *v,
    uint8_t *why)
{
	enum input_reason r;
	/* A million rows are mostly valid, ok and sent: those first. */
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)
	_Static_assert(ROW_VALID == 0 && INPUT_OK == 0 && PLAN_SEND == 0,
	    "the common codes are 0");
	if ((k == ROW_CODE_STATUS && IS("valid")) || (k == ROW_CODE_REASON && IS("ok")) ||
	    (k == ROW_CODE_PLAN && IS("send"))) {
		*v = 0;
		return true;
	}
#undef IS
	switch (k) {
	case ROW_CODE_STATUS:
		return name_in(status_names, HA_ARRAY_LEN(status_names), s, n, v);
	case ROW_CODE_REASON:
		if (!input_reason_of_key(s, n, &r))
			return false;
		*v = r;
		return true;
	case ROW_CODE_PLAN:
		if (name_in(plan_names, HA_ARRAY_LEN(plan_names), s, n, v))
			return true;
		if (!input_reason_of_key(s, n, &r) || (r != INPUT_TYPE_MISMATCH &&
		    r != INPUT_CONFLICT && r != INPUT_ONE_CONFLICT && r != INPUT_NO_TYPE &&
		    r != INPUT_KEY_PENDING))
			return false;
		*v = PLAN_INVALID;
		*why = (uint8_t)r;
		return true;
	}
	return false;
}
