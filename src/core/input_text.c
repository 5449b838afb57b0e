/* input_text.c: what rows say: their reasons as people read them and as
 * files keep them, and rows written back as pairs files. */
#include "hubassoc/input.h"
#include "hubassoc/key.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hubassoc/text.h"
#include "input_int.h"

const char *
input_detail(const struct input *in, const struct input_row *r)
{
	const char *to = input_to(in, r);

	/* Only an invalid row about its whole line, or about a key, has
	 * one. */
	if (r->status != ROW_INVALID || (r->field != 0 && r->reason != INPUT_BAD_KEY &&
	    r->reason != INPUT_KEY_NONE && r->reason != INPUT_KEY_MANY))
		return "";
	return to + strlen(to) + 1;
}

static const char *const reason_names[] = {
	[INPUT_OK] = "ok",
	[INPUT_ONE_FIELD] = "one field only",
	[INPUT_EMPTY_FIELD] = "empty ID",
	[INPUT_NOT_DIGITS] = "not a number",
	[INPUT_SIGNED] = "signed number",
	[INPUT_DECIMAL] = "decimal number",
	[INPUT_SCIENTIFIC] = "scientific notation",
	[INPUT_NON_ASCII_DIGITS] = "non-ASCII digits",
	[INPUT_TOO_MANY_DIGITS] = "more than 20 digits",
	[INPUT_ZERO] = "ID 0",
	[INPUT_BAD_QUOTE] = "broken quotes",
	[INPUT_NUL] = "NUL byte",
	[INPUT_BAD_UTF8] = "invalid UTF-8",
	[INPUT_LINE_TOO_LONG] = "line too long",
	[INPUT_BAD_SPEC] = "bad association type",
	[INPUT_LATE_HEADER] = "header row",
	[INPUT_TYPE_MISMATCH] = "type does not fit direction",
	[INPUT_CONFLICT] = "same pair, other types",
	[INPUT_NO_TYPE] = "no association type",
	[INPUT_THOUSANDS] = "thousands separators",
	[INPUT_BAD_KEY] = "bad key",
	[INPUT_KEY_PENDING] = "key not looked up",
	[INPUT_KEY_NONE] = "no record has the key",
	[INPUT_KEY_MANY] = "several records have the key",
	[INPUT_ONE_CONFLICT] = "two rows give one record its one",
};

/* Each reason's name as files hold it: never changes once written. */
static const char *const reason_keys[] = {
	[INPUT_OK] = "ok",
	[INPUT_ONE_FIELD] = "one_field",
	[INPUT_EMPTY_FIELD] = "empty_field",
	[INPUT_NOT_DIGITS] = "not_digits",
	[INPUT_SIGNED] = "signed",
	[INPUT_DECIMAL] = "decimal",
	[INPUT_SCIENTIFIC] = "scientific",
	[INPUT_NON_ASCII_DIGITS] = "non_ascii_digits",
	[INPUT_TOO_MANY_DIGITS] = "too_many_digits",
	[INPUT_ZERO] = "zero",
	[INPUT_BAD_QUOTE] = "bad_quote",
	[INPUT_NUL] = "nul",
	[INPUT_BAD_UTF8] = "bad_utf8",
	[INPUT_LINE_TOO_LONG] = "line_too_long",
	[INPUT_BAD_SPEC] = "bad_spec",
	[INPUT_LATE_HEADER] = "late_header",
	[INPUT_TYPE_MISMATCH] = "type_mismatch",
	[INPUT_CONFLICT] = "conflict",
	[INPUT_NO_TYPE] = "no_type",
	[INPUT_THOUSANDS] = "thousands",
	[INPUT_BAD_KEY] = "bad_key",
	[INPUT_KEY_PENDING] = "key_pending",
	[INPUT_KEY_NONE] = "key_none",
	[INPUT_KEY_MANY] = "key_many",
	[INPUT_ONE_CONFLICT] = "one_conflict",
};

const char *
input_reason_key(enum input_reason reason)
{
	return (size_t)reason < HA_ARRAY_LEN(reason_keys) ? reason_keys[reason] : "ok";
}

bool
input_reason_of_key(const char *s, size_t n, enum input_reason *reason)
{
	for (size_t i = 0; i < HA_ARRAY_LEN(reason_keys); i++)
		if (strlen(reason_keys[i]) == n && memcmp(reason_keys[i], s, n) == 0) {
			*reason = (enum input_reason)i;
			return true;
		}
	return false;
}

const char *
input_reason_name(enum input_reason reason)
{
	return (size_t)reason < HA_ARRAY_LEN(reason_names) ?
	    reason_names[reason] : "unknown";
}

/* How many IDs a cell holds that lists several, as an export's
 * "Associated Company IDs" does ("201;202", "201, 202"); 0 for none. */
static size_t
several_ids(const char *s)
{
	size_t ids = 0;

	while (*s != '\0') {
		size_t digits = strspn(s, "0123456789");
		if (digits == 0)
			return 0;
		ids++;
		s += digits;
		size_t sep = strspn(s, ";, |");
		if (sep == 0 && *s != '\0')
			return 0;
		s += sep;
	}
	return ids;
}

/* What splits a field that is a whole line of its own: an ID, then a
 * tab, a semicolon or a bar, then more ("101<TAB>201<TAB>note" in a comma
 * sheet); NULL when it is not one. */
static const char *
line_split_by(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	if (digits == 0 || s[digits] == '\0' || s[digits + 1] == '\0')
		return NULL;
	return s[digits] == '\t' ? "tabs" : s[digits] == ';' ? "semicolons" :
	    s[digits] == '|' ? "bars" : NULL;
}

bool
input_row_several_ids(const struct input *in, const struct input_row *r)
{
	return r->reason == INPUT_NOT_DIGITS && (r->field == 1 || r->field == 2) &&
	    several_ids(r->field == 1 ? input_from(in, r) : input_to(in, r)) > 1;
}

void
input_reason_format(const struct input *in, const struct input_row *r,
    struct buf *out)
{
	/* What the reason is about: a field, or the text stored after them
	 * (only rows with a whole-line reason have that). */
	const char *d = r->field == 1 ? input_from(in, r) :
	    r->field == 2 ? input_to(in, r) : input_detail(in, r);
	char *e = text_escape_str(d, strlen(d), INPUT_SNIPPET_MAX);
	const char *what = r->field == 1 ? "FROM ID" : "TO ID";

	switch ((enum input_reason)r->reason) {
	case INPUT_OK:
		break;
	case INPUT_ONE_FIELD:
		buf_printf(out, "'%s' has one field; a line is FROM_ID and TO_ID "
		    "separated by a comma, tab, semicolon or spaces", e);
		break;
	case INPUT_EMPTY_FIELD:
		buf_printf(out, "%s is empty", what);
		break;
	case INPUT_NOT_DIGITS: {
		size_t ids = several_ids(d);
		const char *by = ids > 1 ? NULL : line_split_by(d);
		if (ids > 1)
			buf_printf(out, "%s '%s' holds %zu IDs: give one pair a line "
			    "(a FROM and one TO)", what, e, ids);
		else if (by != NULL)
			buf_printf(out, "%s '%s' is the whole line, split by %s where "
			    "the sheet's lines are split as its header is: split it as "
			    "the others", what, e, by);
		else
			buf_printf(out, "%s '%s' is not a number: IDs are digits 0-9 "
			    "only", what, e);
		break;
	}
	case INPUT_SIGNED:
		buf_printf(out, "%s '%s' has a sign: IDs are unsigned", what, e);
		break;
	case INPUT_DECIMAL:
		buf_printf(out, "%s '%s' has a decimal part: IDs are whole numbers",
		    what, e);
		break;
	case INPUT_THOUSANDS:
		buf_printf(out, "%s '%s' has thousands separators: remove them "
		    "(format the column as text)", what, e);
		break;
	case INPUT_SCIENTIFIC:
		buf_printf(out, "%s '%s' is in scientific notation, so the ID lost "
		    "digits: format the column as text and export again", what, e);
		break;
	case INPUT_NON_ASCII_DIGITS:
		buf_printf(out, "%s '%s' uses non-ASCII digits: write it with 0-9",
		    what, e);
		break;
	case INPUT_TOO_MANY_DIGITS:
		buf_printf(out, "%s '%s' has more than %d digits", what, e,
		    INPUT_ID_MAX_DIGITS);
		break;
	case INPUT_ZERO:
		buf_printf(out, "%s '%s' is zero, which names no record", what, e);
		break;
	case INPUT_BAD_QUOTE:
		buf_printf(out, "unbalanced or misplaced quote in '%s'", e);
		break;
	case INPUT_NUL:
		buf_printf(out, "line holds a NUL byte: '%s' (is this a binary "
		    "file?)", e);
		break;
	case INPUT_BAD_UTF8:
		buf_printf(out, "%s '%s' is not valid UTF-8", what, e);
		break;
	case INPUT_LINE_TOO_LONG:
		buf_printf(out, "line is longer than %d bytes: '%s'",
		    INPUT_LINE_MAX, e);
		break;
	case INPUT_BAD_SPEC: {
		const char *err = in->sets[r->set].error != NULL ?
		    in->sets[r->set].error : "does not parse";
		/* "association type ID 'x' is not a number": said once. */
		if (strncmp(err, "association type", 16) == 0)
			buf_addstr(out, err);
		else
			buf_printf(out, "association type: %s", err);
		break;
	}
	case INPUT_LATE_HEADER:
		buf_printf(out, "'%s' looks like a header row, but only the first "
		    "line may be one", e);
		break;
	case INPUT_BAD_KEY:
		buf_printf(out, "%s '%s' %s", r->field == 1 ? "FROM" : "TO", e,
		    input_detail(in, r));
		break;
	case INPUT_KEY_NONE:
	case INPUT_KEY_MANY:
		buf_addstr(out, input_detail(in, r));
		break;
	case INPUT_TYPE_MISMATCH:
	case INPUT_CONFLICT:
	case INPUT_ONE_CONFLICT:
	case INPUT_NO_TYPE:
	case INPUT_KEY_PENDING:
		/* The plan's: plan_reason_format() says them. */
		buf_addstr(out, input_reason_name((enum input_reason)r->reason));
		break;
	}
	free(e);
}

/* A field as CSV writes it: quoted when it would not read back alone. */
static void
add_field(struct buf *out, const char *s)
{
	bool quote = s[0] == ' ' || s[0] == '\t' || s[0] == '"' ||
	    strpbrk(s, ",;\t\"") != NULL ||
	    (s[0] != '\0' && (s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t'));

	if (!quote) {
		buf_addstr(out, s);
		return;
	}
	buf_addc(out, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(out, '"');
		buf_addc(out, *s);
	}
	buf_addc(out, '"');
}

void
input_row_text(const struct input *in, size_t row, struct buf *out)
{
	const struct input_row *r = &in->rows[row];
	const char *set = in->sets[r->set].text;

	if (r->status == ROW_INVALID && r->field == 0 && r->reason != INPUT_CONFLICT) {
		buf_addstr(out, input_detail(in, r));
		return;
	}
	add_field(out, input_from(in, r));
	buf_addc(out, ',');
	add_field(out, input_to(in, r));
	if (set[0] != '\0') {
		buf_addc(out, ',');
		/* SPECs are ';'-joined within their column: quoted only for a
		 * comma or a quote. */
		if (strpbrk(set, ",\"") != NULL)
			add_field(out, set);
		else
			buf_addstr(out, set);
	}
}

int
input_write_fd(const struct input *in, int fd, char **cause)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i <= in->nrows && rc == 0; i++) {
		if (i < in->nrows) {
			input_row_text(in, i, &b);
			buf_addc(&b, '\n');
		}
		if (b.len < 65536 && i < in->nrows)
			continue;
		const char *p = b.data;
		size_t n = b.len;
		while (n > 0) {
			ssize_t w = write(fd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				*cause = xasprintf("write failed: %s", strerror(errno));
				rc = -1;
				break;
			}
			p += w;
			n -= (size_t)w;
		}
		buf_reset(&b);
	}
	buf_free(&b);
	return rc;
}
