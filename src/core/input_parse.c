/* input_parse.c: pairs from files, pipes and pastes, line by line: cells
 * read and checked, each line a row (input_int.h's store). */
#include "hubassoc/input.h"
#include "hubassoc/key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubassoc/text.h"
#include "input_int.h"

/* Where the lines of a piece end.  The next LF and the next CR are kept
 * between lines, so a piece is searched once whatever its line ends (a
 * search for LF from every line of a CR-only piece would be quadratic). */
struct line_scan {
	const char *end;
	const char *nl, *cr;    /* the next of each at or after the line, or
	                         * end when there is none; NULL: not looked */
	bool has_cr;
};

/* U+00A0, U+200B and U+FEFF come along with text copied from web pages and
 * spreadsheets; they are never part of an ID. */
static size_t
invisible_space_at(const char *p, size_t n)
{
	if (n >= 2 && (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0)
		return 2;
	if (n >= 3 && memcmp(p, "\xe2\x80\x8b", 3) == 0)
		return 3;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		return 3;
	return 0;
}

static size_t
invisible_space_before(const char *p, size_t n)
{
	if (n >= 2 && (unsigned char)p[n - 2] == 0xc2 && (unsigned char)p[n - 1] == 0xa0)
		return 2;
	if (n >= 3 && (memcmp(p + n - 3, "\xe2\x80\x8b", 3) == 0 ||
	    memcmp(p + n - 3, "\xef\xbb\xbf", 3) == 0))
		return 3;
	return 0;
}

static void
trim_field(struct field *f)
{
	size_t k;

	for (;;) {
		if (f->n > 0 && (f->p[0] == ' ' || f->p[0] == '\t')) {
			f->p++;
			f->n--;
		} else if ((k = invisible_space_at(f->p, f->n)) > 0) {
			f->p += k;
			f->n -= k;
		} else
			break;
	}
	for (;;) {
		if (f->n > 0 && (f->p[f->n - 1] == ' ' || f->p[f->n - 1] == '\t'))
			f->n--;
		else if ((k = invisible_space_before(f->p, f->n)) > 0)
			f->n -= k;
		else
			break;
	}
}

static bool
is_unicode_digit(unsigned cp)
{
	static const unsigned zeros[] = {
		0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66,
		0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50, 0x0ed0, 0x0f20,
		0x1040, 0x17e0, 0x1810, 0x1946, 0x19d0, 0xff10,
	};

	for (size_t i = 0; i < HA_ARRAY_LEN(zeros); i++)
		if (cp >= zeros[i] && cp <= zeros[i] + 9)
			return true;
	return cp >= 0x1d7ce && cp <= 0x1d7ff;
}

static bool
is_number_like(const char *p, size_t n, bool *exp)
{
	size_t i = 0, digits = 0;

	*exp = false;
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++, digits++;
	if (i < n && (p[i] == '.' || p[i] == ',')) {
		i++;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return false;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		size_t d = 0;
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++, d++;
		if (d == 0)
			return false;
		*exp = true;
	}
	return i == n;
}

/* Checks an ID field.  On success *canon and *cn give its digits without
 * leading zeros. */
/* 1,234,567 or 1.234.567 or 1 234 567 (a space, a no-break space U+00A0
 * or U+202F, or an apostrophe): one to three digits, then groups of three
 * after the same separator each time. */
static bool
grouped_digits(const char *p, size_t n)
{
	static const char *const seps[] = { ",", ".", " ", "'", "\xc2\xa0",
	    "\xe2\x80\xaf" };
	size_t lead = 0;

	while (lead < n && lead < 4 && p[lead] >= '0' && p[lead] <= '9')
		lead++;
	if (lead == 0 || lead > 3 || lead == n)
		return false;
	for (size_t k = 0; k < HA_ARRAY_LEN(seps); k++) {
		size_t sl = strlen(seps[k]), i = lead, groups = 0;
		while (i + sl + 3 <= n && memcmp(p + i, seps[k], sl) == 0) {
			size_t d = 0;
			while (d < 3 && p[i + sl + d] >= '0' && p[i + sl + d] <= '9')
				d++;
			if (d != 3 || (i + sl + 3 < n && p[i + sl + 3] >= '0' &&
			    p[i + sl + 3] <= '9'))
				break;
			i += sl + 3;
			groups++;
		}
		if (groups > 0 && i == n)
			return true;
	}
	return false;
}

static enum input_reason
check_id(const char *p, size_t n, const char **canon, size_t *cn)
{
	size_t i;
	bool exp;

	if (n == 0)
		return INPUT_EMPTY_FIELD;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			break;
	if (i == n) {
		while (n > 0 && *p == '0')
			p++, n--;
		if (n == 0)
			return INPUT_ZERO;
		if (n > INPUT_ID_MAX_DIGITS)
			return INPUT_TOO_MANY_DIGITS;
		*canon = p;
		*cn = n;
		return INPUT_OK;
	}
	if ((p[0] == '-' || p[0] == '+') && n > 1) {
		bool digits = true;
		for (i = 1; i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				digits = false;
		if (digits)
			return INPUT_SIGNED;
	}
	if (grouped_digits(p, n))
		return INPUT_THOUSANDS;
	if (p[i] == '.' || p[i] == ',' || p[i] == 'e' || p[i] == 'E') {
		if (is_number_like(p, n, &exp))
			return exp ? INPUT_SCIENTIFIC : INPUT_DECIMAL;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)p[i] < 0x80)
			continue;
		if (!utf8_valid(p, n))
			return INPUT_BAD_UTF8;
		for (size_t j = 0; j < n;) {
			unsigned cp;
			size_t len = utf8_decode(p + j, n - j, &cp);
			if (is_unicode_digit(cp))
				return INPUT_NON_ASCII_DIGITS;
			j += len;
		}
		break;
	}
	return INPUT_NOT_DIGITS;
}

/* A header cell starts with a letter: "from", "Contact ID", "Kontakt-ID". */
static bool
is_word(const struct field *f)
{
	unsigned char c;
	unsigned cp;

	if (f->n == 0)
		return false;
	c = (unsigned char)f->p[0];
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	return c >= 0xc2 && utf8_decode(f->p, f->n, &cp) > 0 &&
	    !is_unicode_digit(cp) && utf8_valid(f->p, f->n);
}

/* A header's cell: a word that is no key ("email" is, "jane@x.com" not). */
bool
input_header_cell(const struct field *f)
{
	struct buf b = BUF_INIT;
	const char *why;
	bool plain = is_word(f) && key_parse(f->p, f->n, NULL, &b, &why) == KEY_NONE;

	buf_free(&b);
	return plain;
}

/* A cell: an ID, or a key (canonical, in in->keybuf[col]).  INPUT_OK with
 * *canon; INPUT_BAD_KEY with *keywhy. */
static enum input_reason
check_cell(struct input *in, int col, const struct field *f, const char **canon,
    size_t *cn, const char **keywhy)
{
	struct buf *kb = &in->keybuf[col];

	if (f->n == 0)
		return INPUT_EMPTY_FIELD;
	switch (key_parse(f->p, f->n, in->colprop[col], kb, keywhy)) {
	case KEY_NONE:
		break;
	case KEY_ID:
		return check_id(kb->data, kb->len, canon, cn);
	case KEY_OK:
		*canon = kb->data;
		*cn = kb->len;
		return INPUT_OK;
	case KEY_BAD:
		return INPUT_BAD_KEY;
	}
	return check_id(f->p, f->n, canon, cn);
}

/*
 * Reads the field at p[*pos..n).  stop is the separator, or 0 for the first
 * field (any separator ends it), or ' ' for runs of blanks.  Quoted content is
 * unescaped into q.  Returns -1 for a broken quote.
 */
int
input_read_field(const char *p, size_t n, size_t *pos, char stop, struct field *f,
    struct buf *q)
{
	size_t i = *pos;

	while (i < n && (p[i] == ' ' || (p[i] == '\t' && stop != '\t')))
		i++;
	if (i < n && p[i] == '"') {
		size_t start = ++i, j;
		bool escaped = false;
		for (j = i; j < n; j++) {
			if (p[j] != '"')
				continue;
			if (j + 1 < n && p[j + 1] == '"') {
				escaped = true;
				j++;
				continue;
			}
			break;
		}
		if (j >= n)
			return -1;
		if (escaped) {
			buf_reset(q);
			for (size_t k = start; k < j; k++) {
				buf_addc(q, p[k]);
				if (p[k] == '"')
					k++;
			}
			f->p = q->data;
			f->n = q->len;
		} else {
			f->p = p + start;
			f->n = j - start;
		}
		/* Leave *pos on the separator, or on the blanks that are one. */
		size_t after = j + 1;
		i = after;
		while (i < n && (p[i] == ' ' || (p[i] == '\t' && stop != '\t')))
			i++;
		if (i < n) {
			char c = p[i];
			bool is_sep = stop == 0 ? (c == ',' || c == ';' || c == '\t') :
			    stop != ' ' && c == stop;
			if (!is_sep) {
				if (i == after || (stop != 0 && stop != ' '))
					return -1;
				i = after;
			}
		}
		*pos = i;
		return 0;
	}
	f->p = p + i;
	while (i < n) {
		char c = p[i];
		if (stop == 0 ? (c == ',' || c == ';' || c == '\t' || c == ' ') :
		    stop == ' ' ? (c == ' ' || c == '\t') : c == stop)
			break;
		i++;
	}
	f->n = (size_t)(p + i - f->p);
	trim_field(f);
	*pos = i;
	return 0;
}

/*
 * The line nearly every input is made of, digits<sep>digits, read in one
 * pass and stored with one copy.  Returns false for anything else, which
 * the general parser then reads and, if need be, explains.
 */
static bool
parse_plain(struct input *in, const char *p, size_t n, uint32_t line)
{
	size_t i = 0, j, k, a = 0, b;
	struct input_row *r;

	if (in->colprop[0] != NULL || in->colprop[1] != NULL)
		return false;    /* a header named the columns' properties */
	if (in->mapped || in->colwant[0] != NULL || in->colwant[1] != NULL ||
	    in->colwant[2] != NULL)
		return false;    /* chosen columns */
	while (i < n && input_is_digit(p[i]))
		i++;
	if (i == 0 || i == n || (p[i] != ',' && p[i] != '\t' && p[i] != ';'))
		return false;
	for (j = k = i + 1; k < n && input_is_digit(p[k]); k++)
		;
	if (k != n || k == j)
		return false;
	while (a < i && p[a] == '0')
		a++;
	for (b = j; b < k && p[b] == '0'; b++)
		;
	if (a == i || b == k || i - a > INPUT_ID_MAX_DIGITS ||
	    k - b > INPUT_ID_MAX_DIGITS)
		return false;
	if ((r = input_new_row(in, line)) == NULL)
		return true;
	r->status = ROW_VALID;
	r->text = input_store_ids(in, p + a, i - a, p + b, k - b);
	in->seen_data = true;
	return true;
}

/* A line of ASCII text in UTF-16 without a BOM: every other byte NUL. */
static bool
looks_utf16(const char *p, size_t n)
{
	size_t zero[2] = { 0, 0 };

	if (n < 6)
		return false;
	for (size_t i = 0; i < n; i++)
		zero[i % 2] += p[i] == '\0';
	return (zero[0] == (n + 1) / 2 && zero[1] == 0) ||
	    (zero[1] == n / 2 && zero[0] == 0);
}

/* What follows the two fields, the SPEC column, into in->scratch: with
 * spaces as the separator the rest of the line (quotes taken off), else
 * each cell after, ';'-joined.  -1: broken quotes. */
static int
read_spec_column(struct input *in, const char *p, size_t n, size_t pos, char sep)
{
	buf_reset(&in->scratch);
	if (pos < n)
		pos++; /* the separator after field 2 */
	if (sep == ' ') {
		struct field rest = { p + pos, n - pos };
		trim_field(&rest);
		if (rest.n > 0 && rest.p[0] == '"') {
			size_t rp = 0;
			struct buf rq = BUF_INIT;
			struct field sf;
			int rc = input_read_field(rest.p, rest.n, &rp, ' ', &sf, &rq);
			if (rc == 0)
				buf_add(&in->scratch, sf.p, sf.n);
			buf_free(&rq);
			return rc;
		}
		buf_add(&in->scratch, rest.p, rest.n);
		return 0;
	}
	while (pos < n) {
		struct field sf;
		struct buf rq = BUF_INIT;
		if (input_read_field(p, n, &pos, sep, &sf, &rq) != 0) {
			buf_free(&rq);
			return -1;
		}
		if (sf.n > 0) {
			if (in->scratch.len > 0)
				buf_addc(&in->scratch, ';');
			buf_add(&in->scratch, sf.p, sf.n);
		}
		buf_free(&rq);
		if (pos < n)
			pos++;
	}
	return 0;
}

/* A line's two cells, read: the first line of data may be a header (its
 * columns' properties kept), a later header-like line is refused, cells
 * are checked, and the row stored with its SPEC column (in->scratch). */
static void
add_pair(struct input *in, uint32_t line, const char *p, size_t n,
    const struct field f[2])
{
	const char *a, *b, *keywhy = NULL;
	size_t an, bn;
	enum input_reason why;
	struct input_row *r;

	if (!in->seen_data) {
		in->seen_data = true;
		free(in->colprop[0]);
		free(in->colprop[1]);
		in->colprop[0] = in->colprop[1] = NULL;
		if (input_header_cell(&f[0]) && input_header_cell(&f[1])) {
			char prop[KEY_PROP_MAX + 1];
			in->header_line = line;
			free(in->header);
			in->header = xstrndup(p, n);
			for (int i = 0; i < 2; i++)
				if (key_header_prop(f[i].p, f[i].n, prop))
					in->colprop[i] = xstrdup(prop);
			return;
		}
	} else if (input_header_cell(&f[0]) && input_header_cell(&f[1]) &&
	    (in->colprop[0] != NULL || check_id(f[0].p, f[0].n, &a, &an) != INPUT_OK)) {
		input_add_invalid(in, line, INPUT_LATE_HEADER, 0, f[0].p, f[0].n,
		    f[1].p, f[1].n, p, n);
		return;
	}
	if ((why = check_cell(in, 0, &f[0], &a, &an, &keywhy)) != INPUT_OK) {
		input_add_invalid(in, line, why, 1, f[0].p, f[0].n, f[1].p, f[1].n,
		    keywhy != NULL ? keywhy : "", keywhy != NULL ? strlen(keywhy) : 0);
		return;
	}
	if ((why = check_cell(in, 1, &f[1], &b, &bn, &keywhy)) != INPUT_OK) {
		input_add_invalid(in, line, why, 2, a, an, f[1].p, f[1].n,
		    keywhy != NULL ? keywhy : "", keywhy != NULL ? strlen(keywhy) : 0);
		return;
	}
	if ((r = input_new_row(in, line)) == NULL)
		return;
	r->status = ROW_VALID;
	if (an <= INPUT_ID_MAX_DIGITS && bn <= INPUT_ID_MAX_DIGITS)
		r->text = input_store_ids(in, a, an, b, bn);
	else {
		char *x = xstrndup(a, an), *y = xstrndup(b, bn);
		const char *two[2] = { x, y };
		r->text = input_store_strs(in, two, 2);
		free(x);
		free(y);
	}
	if (in->scratch.len > 0) {
		r->set = input_set_intern(in, in->scratch.data, in->scratch.len);
		if (in->sets[r->set].error != NULL) {
			r->status = ROW_INVALID;
			r->reason = INPUT_BAD_SPEC;
			r->field = 3;
		}
	}
}

/* The length of an Outlook-style first cell, "Jane Doe <jane@x.com>",
 * up to the comma or semicolon after it; 0 when the line starts with none.
 * Its spaces are the name's, not a separator. */
static size_t
named_address(const char *p, size_t n)
{
	size_t k = 0;
	const char *lt;

	/* The line is not NUL-terminated: bounded by n. */
	while (k < n && p[k] != ',' && p[k] != ';' && p[k] != '\t' && p[k] != '"')
		k++;
	if (k < n && p[k] == '"')
		return 0;
	while (k > 0 && p[k - 1] == ' ')
		k--;
	if (k < 3 || p[k - 1] != '>' || (lt = memrchr(p, '<', k)) == NULL ||
	    memchr(lt, '@', (size_t)(p + k - lt)) == NULL ||
	    memchr(p, ' ', (size_t)(lt - p)) == NULL)
		return 0;
	return k;
}

static void
parse_line(struct input *in, const char *p, size_t n, uint32_t line)
{
	struct field f[2];
	struct buf q[2] = { BUF_INIT, BUF_INIT };
	size_t pos = 0, nf = 0;
	char sep = 0;

	if (line == in->source_line + 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	while (n > 0 && (p[0] == ' ' || p[0] == '\t'))
		p++, n--;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n == 0) {
		in->blank++;
		return;
	}
	if (p[0] == '#') {
		in->comments++;
		return;
	}
	if (parse_plain(in, p, n, line))
		return;
	if (memchr(p, '\0', n) != NULL) {
		if (looks_utf16(p, n)) {
			input_set_fatal(in, xasprintf("line %u: input is UTF-16 text; save it as "
			    "UTF-8 (in a spreadsheet: CSV UTF-8) and try again", line));
			return;
		}
		input_add_bad_line(in, line, INPUT_NUL, p, n);
		/* A stray NUL is a bad line; NULs on line after line are not
		 * text at all (a binary file, /dev/urandom). */
		if (++in->nul_lines >= 100 && in->nul_lines * 10 > in->lines)
			input_set_fatal(in, xasprintf("line %u: %u lines hold NUL bytes: not a "
			    "pairs file (binary data?)", line, in->nul_lines));
		return;
	}

	/* The first field, then the separator this line uses: a TAB when the
	 * line holds one (a spreadsheet's copy, whose cells may hold commas
	 * and spaces: 127,667,541), else the first after the first field. */
	const char *tab = memchr(p, '\t', n);
	bool by_tab = tab != NULL && memchr(p, '"', (size_t)(tab - p)) == NULL;
	size_t named = by_tab ? 0 : named_address(p, n);
	if (named > 0) {
		f[0] = (struct field){ p, named };
		pos = named;
	} else if (input_read_field(p, n, &pos, by_tab ? '\t' : 0, &f[0], &q[0]) != 0) {
		goto bad_quote;
	}
	nf = 1;
	if (pos < n) {
		size_t blanks = 0;
		while (pos < n && p[pos] == ' ')
			pos++, blanks++;
		if (pos < n && (p[pos] == ',' || p[pos] == ';' || p[pos] == '\t')) {
			sep = p[pos++];
		} else if (blanks > 0 && pos < n) {
			sep = ' ';
		}
	}
	if (sep != 0) {
		if (input_read_field(p, n, &pos, sep, &f[1], &q[1]) != 0)
			goto bad_quote;
		nf = 2;
	}
	int mapped = nf < 2 ? 0 : input_map_line(in, p, n, sep, line, f, q);
	if (mapped < 0)
		goto bad_quote;
	else if (mapped == 2)
		;       /* the columns named cannot be read: said, and fatal */
	else if (mapped == 1)
		add_pair(in, line, p, n, f);
	else if (nf < 2)
		/* Its one field is its FROM, as far as it goes: exported and
		 * shown in its column (before: FROM and TO both empty). */
		input_add_invalid(in, line, INPUT_ONE_FIELD, 0, p, n, "", 0, p, n);
	else if (read_spec_column(in, p, n, pos, sep) != 0)
		goto bad_quote;
	else
		add_pair(in, line, p, n, f);
	goto out;

bad_quote:
	input_add_bad_line(in, line, INPUT_BAD_QUOTE, p, n);
out:
	buf_free(&q[0]);
	buf_free(&q[1]);
}

static void
long_line(struct input *in)
{
	input_add_bad_line(in, in->lines, INPUT_LINE_TOO_LONG, in->carry.data,
	    in->carry.len);
	buf_reset(&in->carry);
	in->skipping = false;
}

/* The length of the line at p, and through *term its terminator's length
 * (0 when the piece ends first). */
static size_t
line_end(struct line_scan *s, const char *p, size_t *term)
{
	if (s->nl == NULL || s->nl < p) {
		s->nl = memchr(p, '\n', (size_t)(s->end - p));
		if (s->nl == NULL)
			s->nl = s->end;
	}
	if (s->cr == NULL || s->cr < p) {
		s->cr = s->has_cr ? memchr(p, '\r', (size_t)(s->end - p)) : NULL;
		if (s->cr == NULL)
			s->cr = s->end;
	}
	if (s->cr < s->nl) {
		*term = s->cr + 1 < s->end && s->cr[1] == '\n' ? 2 : 1;
		return (size_t)(s->cr - p);
	}
	*term = s->nl < s->end ? 1 : 0;
	return (size_t)(s->nl - p);
}

/* Whether the piece holds INPUT_NUL_RUN NULs in a row (counting those at
 * the end of the last piece); *at is where the run starts. */
static bool
nul_run(struct input *in, const char *p, size_t len, const char **at)
{
	const char *z, *end = p + len;

	if (in->nul_run > 0 && p[0] != '\0')
		in->nul_run = 0;
	for (const char *q = p; q < end && (z = memchr(q, '\0', (size_t)(end - q))) != NULL;) {
		const char *e = z;
		while (e < end && *e == '\0')
			e++;
		in->nul_run = (z == p ? in->nul_run : 0) + (unsigned)(e - z);
		if (in->nul_run >= INPUT_NUL_RUN) {
			*at = z;
			return true;
		}
		q = e;
	}
	if (len > 0 && end[-1] != '\0')
		in->nul_run = 0;
	return false;
}

/* A line past INPUT_LINE_FATAL: no pairs file has one. */
static void
too_long(struct input *in)
{
	input_set_fatal(in, xasprintf("line %u is longer than %u MiB: not a pairs file",
	    in->lines + 1, INPUT_LINE_FATAL >> 20));
}

/* The lines of p[0..len), the last one carried when it has no end. */
static void
feed_lines(struct input *in, const char *p, size_t len)
{
	size_t term, n;

	if (len == 0)
		return;
	struct line_scan scan = { .end = p + len, .has_cr = memchr(p, '\r', len) != NULL };
	while (len > 0 && in->fatal == NULL) {
		n = line_end(&scan, p, &term);
		if (term == 0) {
			/* No end in this piece: keep it for the next, or
			 * only a snippet of a line too long. */
			if (in->skipping) {
				in->skipped += n;
			} else if (in->carry.len + n > INPUT_LINE_MAX) {
				in->skipped = in->carry.len + n;
				size_t keep = in->carry.len < INPUT_SNIPPET_MAX ?
				    INPUT_SNIPPET_MAX - in->carry.len : 0;
				buf_add(&in->carry, p, keep < n ? keep : n);
				in->skipping = true;
			} else {
				buf_add(&in->carry, p, n);
			}
			if (in->skipping && in->skipped > INPUT_LINE_FATAL)
				too_long(in);
			return;
		}
		if ((in->skipping ? in->skipped + n : in->carry.len + n) > INPUT_LINE_FATAL) {
			too_long(in);
			return;
		}
		in->lines++;
		if (in->skipping) {
			long_line(in);
		} else if (in->carry.len > 0) {
			if (in->carry.len + n > INPUT_LINE_MAX) {
				in->skipping = true;
				long_line(in);
			} else {
				buf_add(&in->carry, p, n);
				parse_line(in, in->carry.data, in->carry.len, in->lines);
				buf_reset(&in->carry);
			}
		} else if (n > INPUT_LINE_MAX) {
			input_add_bad_line(in, in->lines, INPUT_LINE_TOO_LONG, p, n);
		} else {
			parse_line(in, p, n, in->lines);
		}
		if (term == 1 && p[n] == '\r' && n + 1 == len)
			in->after_cr = true;
		p += n + term;
		len -= n + term;
	}
}

void
input_feed(struct input *in, const void *data, size_t len)
{
	const char *p = data, *at;

	if (len == 0 || in->fatal != NULL)
		return;
	if (!in->started) {
		/* A UTF-16 BOM is two bytes, and a pipe may bring one first:
		 * keep it (as the start of a line) until the second comes. */
		unsigned char b0 = in->carry.len > 0 ? (unsigned char)in->carry.data[0]
		    : (unsigned char)p[0];
		if (in->carry.len == 0 && len == 1 && (b0 == 0xff || b0 == 0xfe)) {
			buf_add(&in->carry, p, 1);
			return;
		}
		int b1 = in->carry.len > 0 ? (unsigned char)p[0]
		    : len > 1 ? (unsigned char)p[1] : -1;
		in->started = true;
		if ((b0 == 0xff && b1 == 0xfe) || (b0 == 0xfe && b1 == 0xff)) {
			input_set_fatal(in, xstrdup("input is UTF-16 text; save it as "
			    "UTF-8 (in a spreadsheet: CSV UTF-8) and try again"));
			return;
		}
	}
	if (in->after_cr) {
		in->after_cr = false;
		if (p[0] == '\n') {
			p++;
			if (--len == 0)
				return;
		}
	}
	/* The lines before a run of NULs are read as ever, whatever the
	 * pieces; the run's line stops the reading. */
	bool binary = nul_run(in, p, len, &at);
	feed_lines(in, p, binary ? (size_t)(at - p) : len);
	if (binary)
		input_set_fatal(in, xasprintf("line %u: a run of NUL bytes: not a pairs file "
		    "(binary data?)", in->lines + 1));
}

void
input_begin_source(struct input *in, const char *name)
{
	free(in->fatal);
	in->fatal = NULL;
	in->started = false;
	in->seen_data = false;
	in->after_cr = false;
	in->skipping = false;
	in->skipped = 0;
	in->nul_run = 0;
	in->nul_lines = 0;
	buf_reset(&in->carry);
	in->source_line = in->lines;
	/* A new source has its own header: its columns are chosen again. */
	in->mapped = false;
	in->col[0] = in->col[1] = in->col[2] = -1;
	if (name != NULL)
		input_add_source(in, name, in->lines);
}

void
input_clear(struct input *in)
{
	input_delete_rows(in, 0, in->nrows);
	input_begin_source(in, NULL);
	input_clear_sources(in);
	in->lines = in->blank = in->comments = in->header_line = 0;
	in->source_line = 0;
	free(in->header);
	in->header = NULL;
}

void
input_finish(struct input *in)
{
	if (in->fatal != NULL)
		return;
	if (in->skipping) {
		in->lines++;
		long_line(in);
	} else if (in->carry.len > 0) {
		in->lines++;
		parse_line(in, in->carry.data, in->carry.len, in->lines);
		buf_reset(&in->carry);
	}
	buf_free(&in->carry);
	buf_free(&in->scratch);
}

int
input_read_fd(struct input *in, int fd, char **cause)
{
	size_t cap = 1 << 20;
	char *block = xmalloc(cap);
	ssize_t got;

	for (;;) {
		got = read(fd, block, cap);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("read failed: %s", strerror(errno));
			free(block);
			return -1;
		}
		if (got == 0)
			break;
		input_feed(in, block, (size_t)got);
		if (in->fatal != NULL)
			break;      /* read no further: /dev/zero has no end */
	}
	free(block);
	input_finish(in);
	return 0;
}

int
input_read_path(struct input *in, const char *path, char **cause)
{
	int fd, rc;
	struct stat st;
	char *why = NULL;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s: is a directory", path);
		if (fd != STDIN_FILENO)
			close(fd);
		return -1;
	}
	rc = input_read_fd(in, fd, &why);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
	}
	return rc;
}
