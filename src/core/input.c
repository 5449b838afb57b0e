/* input.c: pairs from files, pipes and pastes, line by line. */
#include "hubassoc/input.h"
#include "hubassoc/key.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubassoc/text.h"

struct field {
	const char *p;
	size_t n;
};

struct input *
input_new(void)
{
	struct input *in = xcalloc(1, sizeof(*in));

	arena_init(&in->text);
	/* Set 0 stands for rows without a SPEC column. */
	in->sets = xcalloc(1, sizeof(*in->sets));
	in->sets[0].text = xstrdup("");
	in->nsets = 1;
	in->max_rows = INPUT_ROWS_MAX_DEFAULT;
	return in;
}

void
input_free(struct input *in)
{
	if (in == NULL)
		return;
	xbig_free(in->rows, in->cap * sizeof(*in->rows));
	arena_free(&in->text);
	for (size_t i = 0; i < in->nsets; i++) {
		for (size_t j = 0; j < in->sets[i].n; j++)
			assoc_spec_clear(&in->sets[i].specs[j]);
		free(in->sets[i].specs);
		free(in->sets[i].text);
		free(in->sets[i].error);
	}
	free(in->sets);
	free(in->set_index);
	input_clear_sources(in);
	free(in->header);
	free(in->colprop[0]);
	free(in->colprop[1]);
	free(in->fatal);
	buf_free(&in->carry);
	buf_free(&in->scratch);
	buf_free(&in->keybuf[0]);
	buf_free(&in->keybuf[1]);
	free(in);
}

static void
set_fatal(struct input *in, char *msg)
{
	if (in->fatal == NULL)
		in->fatal = msg;
	else
		free(msg);
}

static uint32_t
store(struct input *in, const char *p, size_t n)
{
	uint32_t off = arena_add(&in->text, p, n);

	if (off == UINT32_MAX) {
		set_fatal(in, xstrdup("input is too large: more than 4 GiB of IDs"));
		return 0;
	}
	return off;
}

/* Appends at most INPUT_SNIPPET_MAX bytes of bad text and a NUL at out,
 * NUL bytes shown as \0, never cut inside a UTF-8 sequence. */
static char *
put_snippet(char *out, const char *p, size_t n)
{
	if (n > INPUT_SNIPPET_MAX) {
		n = INPUT_SNIPPET_MAX;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\0') {
			*out++ = '\\';
			*out++ = '0';
		} else
			*out++ = p[i];
	}
	*out++ = '\0';
	return out;
}

/* Stores three snippets as one text: "A\0B\0D\0". */
static uint32_t
store_bad(struct input *in, const char *a, size_t an, const char *b, size_t bn,
    const char *d, size_t dn)
{
	char tmp[3 * (2 * INPUT_SNIPPET_MAX + 1)], *end = tmp;

	end = put_snippet(end, a, an);
	end = put_snippet(end, b, bn);
	end = put_snippet(end, d, dn);
	return store(in, tmp, (size_t)(end - tmp) - 1);
}

/* Stores two canonical IDs as "FROM\0TO\0". */
static uint32_t
store_ids(struct input *in, const char *a, size_t an, const char *b, size_t bn)
{
	char tmp[2 * INPUT_ID_MAX_DIGITS + 2];

	memcpy(tmp, a, an);
	tmp[an] = '\0';
	memcpy(tmp + an + 1, b, bn);
	return store(in, tmp, an + 1 + bn);
}

/* Stores NUL-joined strings (IDs, keys) as one text. */
static uint32_t
store_strs(struct input *in, const char *const *s, size_t n)
{
	struct buf b = BUF_INIT;
	uint32_t off;

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, '\0');
		buf_addstr(&b, s[i]);
	}
	off = store(in, b.data != NULL ? b.data : "", b.len);
	buf_free(&b);
	return off;
}

static struct input_row *
new_row(struct input *in, uint32_t line)
{
	struct input_row *r;

	if (in->nrows >= in->max_rows) {
		set_fatal(in, xasprintf("line %u: more than %zu rows; hubassoc reads at "
		    "most %zu rows at a time: split the input", line, in->max_rows,
		    in->max_rows));
		return NULL;
	}
	if (in->nrows == in->cap) {
		if (in->cap >= UINT32_MAX / 2) {
			set_fatal(in, xstrdup("input is too large: too many rows"));
			return NULL;
		}
		size_t cap = in->cap ? in->cap * 2 : 1024;
		in->rows = xbig_grow(in->rows, in->cap * sizeof(*in->rows),
		    cap * sizeof(*in->rows));
		in->cap = cap;
	}
	r = &in->rows[in->nrows++];
	memset(r, 0, sizeof(*r));
	r->line = line;
	return r;
}

/* Adds an invalid row: its fields a and b as far as they were read, and d,
 * the line, for reasons about the whole line. */
static void
add_invalid(struct input *in, uint32_t line, enum input_reason reason,
    uint8_t field, const char *a, size_t an, const char *b, size_t bn,
    const char *d, size_t dn)
{
	struct input_row *r = new_row(in, line);

	if (r == NULL)
		return;
	r->status = ROW_INVALID;
	r->reason = (uint8_t)reason;
	r->field = field;
	r->text = store_bad(in, a, an, b, bn, d, dn);
}

/* An invalid row known only as a line. */
static void
add_bad_line(struct input *in, uint32_t line, enum input_reason reason,
    const char *p, size_t n)
{
	add_invalid(in, line, reason, 0, "", 0, "", 0, p, n);
}

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
static bool
is_header_cell(const struct field *f)
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
static int
read_field(const char *p, size_t n, size_t *pos, char stop, struct field *f,
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

/* Finds or adds the set for a SPEC column. */
uint32_t
input_set_intern(struct input *in, const char *p, size_t n)
{
	uint64_t h = hash_bytes(p, n, 0);
	size_t mask, i;

	if (in->nsets * 2 >= in->set_index_cap) {
		size_t cap = in->set_index_cap ? in->set_index_cap * 2 : 64;
		uint32_t *idx = xcalloc(cap, sizeof(*idx));
		for (size_t s = 1; s < in->nsets; s++) {
			const char *t = in->sets[s].text;
			size_t k = hash_bytes(t, strlen(t), 0) & (cap - 1);
			while (idx[k] != 0)
				k = (k + 1) & (cap - 1);
			idx[k] = (uint32_t)s;
		}
		free(in->set_index);
		in->set_index = idx;
		in->set_index_cap = cap;
	}
	mask = in->set_index_cap - 1;
	for (i = h & mask; in->set_index[i] != 0; i = (i + 1) & mask) {
		const char *t = in->sets[in->set_index[i]].text;
		if (strlen(t) == n && memcmp(t, p, n) == 0)
			return in->set_index[i];
	}

	struct input_set *s;
	in->sets = xreallocarray(in->sets, in->nsets + 1, sizeof(*in->sets));
	s = &in->sets[in->nsets];
	memset(s, 0, sizeof(*s));
	s->text = xstrndup(p, n);
	for (size_t a = 0; a <= n && s->error == NULL;) {
		const char *semi = memchr(p + a, ';', n - a);
		size_t b = semi != NULL ? (size_t)(semi - p) : n;
		struct assoc_spec spec;
		char *cause = NULL;
		if (b > a || semi != NULL) {
			if (assoc_spec_parse(p + a, b - a, &spec, &cause) == 0) {
				s->specs = xreallocarray(s->specs, s->n + 1,
				    sizeof(*s->specs));
				s->specs[s->n++] = spec;
			} else {
				s->error = cause;
			}
		}
		a = b + 1;
	}
	in->set_index[i] = (uint32_t)in->nsets;
	return (uint32_t)in->nsets++;
}

static bool
is_digit(char c)
{
	return (unsigned char)(c - '0') <= 9;
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
	while (i < n && is_digit(p[i]))
		i++;
	if (i == 0 || i == n || (p[i] != ',' && p[i] != '\t' && p[i] != ';'))
		return false;
	for (j = k = i + 1; k < n && is_digit(p[k]); k++)
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
	if ((r = new_row(in, line)) == NULL)
		return true;
	r->status = ROW_VALID;
	r->text = store_ids(in, p + a, i - a, p + b, k - b);
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

static void
parse_line(struct input *in, const char *p, size_t n, uint32_t line)
{
	struct field f[2];
	struct buf q[2] = { BUF_INIT, BUF_INIT };
	size_t pos = 0, nf = 0;
	char sep = 0;
	struct input_row *r;
	const char *a, *b;
	size_t an, bn;
	enum input_reason why;

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
			set_fatal(in, xasprintf("line %u: input is UTF-16 text; save it as "
			    "UTF-8 (in a spreadsheet: CSV UTF-8) and try again", line));
			return;
		}
		add_bad_line(in, line, INPUT_NUL, p, n);
		/* A stray NUL is a bad line; NULs on line after line are not
		 * text at all (a binary file, /dev/urandom). */
		if (++in->nul_lines >= 100 && in->nul_lines * 10 > in->lines)
			set_fatal(in, xasprintf("line %u: %u lines hold NUL bytes: not a "
			    "pairs file (binary data?)", line, in->nul_lines));
		return;
	}

	/* The first field, then the separator this line uses: a TAB when the
	 * line holds one (a spreadsheet's copy, whose cells may hold commas
	 * and spaces: 127,667,541), else the first after the first field. */
	const char *tab = memchr(p, '\t', n);
	bool by_tab = tab != NULL && memchr(p, '"', (size_t)(tab - p)) == NULL;
	if (read_field(p, n, &pos, by_tab ? '\t' : 0, &f[0], &q[0]) != 0)
		goto bad_quote;
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
		if (read_field(p, n, &pos, sep, &f[1], &q[1]) != 0)
			goto bad_quote;
		nf = 2;
	}
	if (nf < 2) {
		add_bad_line(in, line, INPUT_ONE_FIELD, p, n);
		goto out;
	}

	/* Whatever follows is the SPEC column. */
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
			if (read_field(rest.p, rest.n, &rp, ' ', &sf, &rq) != 0) {
				buf_free(&rq);
				goto bad_quote;
			}
			buf_add(&in->scratch, sf.p, sf.n);
			buf_free(&rq);
		} else
			buf_add(&in->scratch, rest.p, rest.n);
	} else {
		while (pos < n) {
			struct field sf;
			struct buf rq = BUF_INIT;
			if (read_field(p, n, &pos, sep, &sf, &rq) != 0) {
				buf_free(&rq);
				goto bad_quote;
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
	}

	if (!in->seen_data) {
		in->seen_data = true;
		free(in->colprop[0]);
		free(in->colprop[1]);
		in->colprop[0] = in->colprop[1] = NULL;
		if (is_header_cell(&f[0]) && is_header_cell(&f[1])) {
			char prop[KEY_PROP_MAX + 1];
			in->header_line = line;
			free(in->header);
			in->header = xstrndup(p, n);
			for (int i = 0; i < 2; i++)
				if (key_header_prop(f[i].p, f[i].n, prop))
					in->colprop[i] = xstrdup(prop);
			goto out;
		}
	} else if (is_header_cell(&f[0]) && is_header_cell(&f[1]) &&
	    (in->colprop[0] != NULL || check_id(f[0].p, f[0].n, &a, &an) != INPUT_OK)) {
		add_invalid(in, line, INPUT_LATE_HEADER, 0, f[0].p, f[0].n,
		    f[1].p, f[1].n, p, n);
		goto out;
	}

	const char *keywhy = NULL;
	if ((why = check_cell(in, 0, &f[0], &a, &an, &keywhy)) != INPUT_OK) {
		add_invalid(in, line, why, 1, f[0].p, f[0].n, f[1].p, f[1].n,
		    keywhy != NULL ? keywhy : "", keywhy != NULL ? strlen(keywhy) : 0);
		goto out;
	}
	if ((why = check_cell(in, 1, &f[1], &b, &bn, &keywhy)) != INPUT_OK) {
		add_invalid(in, line, why, 2, a, an, f[1].p, f[1].n,
		    keywhy != NULL ? keywhy : "", keywhy != NULL ? strlen(keywhy) : 0);
		goto out;
	}
	if ((r = new_row(in, line)) == NULL)
		goto out;
	r->status = ROW_VALID;
	if (an <= INPUT_ID_MAX_DIGITS && bn <= INPUT_ID_MAX_DIGITS)
		r->text = store_ids(in, a, an, b, bn);
	else {
		char *x = xstrndup(a, an), *y = xstrndup(b, bn);
		const char *two[2] = { x, y };
		r->text = store_strs(in, two, 2);
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
	goto out;

bad_quote:
	add_bad_line(in, line, INPUT_BAD_QUOTE, p, n);
out:
	buf_free(&q[0]);
	buf_free(&q[1]);
}

static void
long_line(struct input *in)
{
	add_bad_line(in, in->lines, INPUT_LINE_TOO_LONG, in->carry.data,
	    in->carry.len);
	buf_reset(&in->carry);
	in->skipping = false;
}

/* Where the lines of a piece end.  The next LF and the next CR are kept
 * between lines, so a piece is searched once whatever its line ends (a
 * search for LF from every line of a CR-only piece would be quadratic). */
struct line_scan {
	const char *end;
	const char *nl, *cr;    /* the next of each at or after the line, or
	                         * end when there is none; NULL: not looked */
	bool has_cr;
};

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
	set_fatal(in, xasprintf("line %u is longer than %u MiB: not a pairs file",
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
			add_bad_line(in, in->lines, INPUT_LINE_TOO_LONG, p, n);
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
			set_fatal(in, xstrdup("input is UTF-16 text; save it as "
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
		set_fatal(in, xasprintf("line %u: a run of NUL bytes: not a pairs file "
		    "(binary data?)", in->lines + 1));
}

void
input_add_source(struct input *in, const char *name, uint32_t base)
{
	/* Sources are ranges in order: one that starts where the last did
	 * replaces it (nothing was read from that one). */
	if (in->nsources > 0 && in->sources[in->nsources - 1].base >= base) {
		free(in->sources[--in->nsources].name);
	}
	in->sources = xreallocarray(in->sources, in->nsources + 1, sizeof(*in->sources));
	in->sources[in->nsources++] = (struct input_source){ xstrdup(name), base };
}

void
input_clear_sources(struct input *in)
{
	for (size_t i = 0; i < in->nsources; i++)
		free(in->sources[i].name);
	free(in->sources);
	in->sources = NULL;
	in->nsources = 0;
}

void
input_copy_sources(struct input *dst, const struct input *src)
{
	input_clear_sources(dst);
	for (size_t i = 0; i < src->nsources; i++)
		input_add_source(dst, src->sources[i].name, src->sources[i].base);
}

uint32_t
input_source_line(const struct input *in, uint32_t line, size_t *source)
{
	size_t lo = 0, hi = in->nsources;

	/* The last source that starts before the line. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (in->sources[mid].base < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		*source = SIZE_MAX;
		return line;
	}
	*source = lo - 1;
	return line - in->sources[lo - 1].base;
}

void
input_line_label(const struct input *in, uint32_t line, struct buf *out)
{
	size_t s;
	uint32_t n = input_source_line(in, line, &s);

	if (in->nsources <= 1 || s == SIZE_MAX) {
		buf_add_uint(out, n);
		return;
	}
	/* A source of one line (a row typed in) is named alone. */
	uint32_t end = s + 1 < in->nsources ? in->sources[s + 1].base : in->lines;
	if (end == in->sources[s].base + 1)
		buf_addstr(out, in->sources[s].name);
	else
		buf_printf(out, "%s:%u", in->sources[s].name, n);
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

void
input_add_recorded(struct input *in, uint32_t line, enum input_status status,
    enum input_reason reason, uint8_t field, uint32_t set, const char *from,
    const char *to, const char *detail)
{
	struct input_row *r = new_row(in, line);

	if (r == NULL)
		return;
	r->status = (uint8_t)status;
	r->reason = (uint8_t)reason;
	r->field = field;
	r->set = set < in->nsets ? set : 0;
	if (status == ROW_VALID && detail[0] == '\0' && strlen(from) <= INPUT_ID_MAX_DIGITS &&
	    strlen(to) <= INPUT_ID_MAX_DIGITS)
		r->text = store_ids(in, from, strlen(from), to, strlen(to));
	else if (status == ROW_VALID) {
		const char *two[2] = { from, to };
		r->text = store_strs(in, two, 2);    /* keys, whole */
	} else if (reason == INPUT_KEY_NONE || reason == INPUT_KEY_MANY) {
		const char *three[3] = { from, to, detail };
		r->text = store_strs(in, three, 3);  /* the lookup's words, whole */
	} else
		r->text = store_bad(in, from, strlen(from), to, strlen(to), detail,
		    strlen(detail));
}

bool
input_id_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= INPUT_ID_MAX_DIGITS && s[n] == '\0' && s[0] != '0';
}

int
input_replace_row(struct input *in, size_t row, const char *text, size_t len,
    char **cause)
{
	struct input *one = input_new();
	int rc = -1;

	input_feed(one, text, len);
	input_finish(one);
	if (one->nrows != 1) {
		*cause = xstrdup(one->nrows == 0 ? "the line holds no pair (a blank, "
		    "a comment or a header): delete the row instead" :
		    "the text holds more than one line");
		goto done;
	}
	const struct input_row *r = &one->rows[0];
	const char *to = input_to(one, r);
	uint32_t set = r->set != 0 ? input_set_intern(in, one->sets[r->set].text,
	    strlen(one->sets[r->set].text)) : 0;
	struct input_row keep = in->rows[row];
	/* Parse it where it belongs: the new row lands last, then moves. */
	input_add_recorded(in, keep.line, (enum input_status)r->status,
	    (enum input_reason)r->reason, r->field, set, input_from(one, r), to,
	    input_detail(one, r));
	in->rows[row] = in->rows[--in->nrows];
	rc = 0;
done:
	input_free(one);
	return rc;
}

void
input_delete_rows(struct input *in, size_t row, size_t n)
{
	if (row >= in->nrows)
		return;
	if (n > in->nrows - row)
		n = in->nrows - row;
	memmove(&in->rows[row], &in->rows[row + n],
	    (in->nrows - row - n) * sizeof(*in->rows));
	in->nrows -= n;
}

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
	case INPUT_NOT_DIGITS:
		buf_printf(out, "%s '%s' is not a number: IDs are digits 0-9 only",
		    what, e);
		break;
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
	case INPUT_BAD_SPEC:
		buf_printf(out, "association type: %s", in->sets[r->set].error);
		break;
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

void
input_copy_row(struct input *dst, const struct input *src, size_t row)
{
	const struct input_row *r = &src->rows[row];
	const char *set = src->sets[r->set].text;

	input_add_recorded(dst, r->line, (enum input_status)r->status,
	    (enum input_reason)r->reason, r->field,
	    set[0] != '\0' ? input_set_intern(dst, set, strlen(set)) : 0,
	    input_from(src, r), input_to(src, r), input_detail(src, r));
	if (r->flags & INPUT_ROW_KEYS)
		input_set_keys(dst, dst->nrows - 1, input_row_key(src, r, 0),
		    input_row_key(src, r, 1));
}

bool
input_cell_ok(const char *s)
{
	return input_id_ok(s) || key_is_key(s);
}

bool
input_row_pending(const struct input *in, const struct input_row *r)
{
	/* An ID starts with a digit, a key with a letter. */
	return r->status == ROW_VALID && (!is_digit(input_from(in, r)[0]) ||
	    !is_digit(input_to(in, r)[0]));
}

/* A looked-up row's text: its IDs, then where the cells it was given by
 * are, "FROM\0TO\0OFFSET": the keys are kept once, where they were. */
static void
store_looked_up(struct input *in, struct input_row *r, const char *from,
    const char *to, uint32_t cells)
{
	char off[16];
	char *f = xstrdup(from), *t = xstrdup(to);   /* storing may move them */
	const char *three[3] = { f, t, off };

	snprintf(off, sizeof(off), "%u", cells);
	r->text = store_strs(in, three, 3);
	r->flags |= INPUT_ROW_KEYS;
	free(f);
	free(t);
}

const char *
input_row_key(const struct input *in, const struct input_row *r, int side)
{
	const char *cell = side == 0 ? input_from(in, r) : input_to(in, r);

	if (r->flags & INPUT_ROW_KEYS) {
		const char *off = input_to(in, r);
		off += strlen(off) + 1;
		const char *k = arena_str(&in->text, (uint32_t)strtoul(off, NULL, 10));
		if (side == 1)
			k += strlen(k) + 1;
		return key_is_key(k) ? k : NULL;
	}
	/* A key waiting, or one no single record had. */
	if (r->field == 0 && r->status == ROW_INVALID)
		return NULL;
	return key_is_key(cell) ? cell : NULL;
}

void
input_set_keys(struct input *in, size_t row, const char *from_key, const char *to_key)
{
	struct input_row *r = &in->rows[row];
	const char *k[2] = { from_key != NULL ? from_key : "", to_key != NULL ? to_key : "" };

	if (r->status != ROW_VALID || (k[0][0] == '\0' && k[1][0] == '\0'))
		return;
	char *a = xstrdup(k[0]), *b = xstrdup(k[1]);
	const char *two[2] = { a, b };
	uint32_t cells = store_strs(in, two, 2);
	free(a);
	free(b);
	store_looked_up(in, r, input_from(in, r), input_to(in, r), cells);
}

void
input_resolve_row(struct input *in, size_t row, const char *from_id,
    const char *to_id)
{
	struct input_row *r = &in->rows[row];

	/* The cells it was given by stay where they are, as its keys. */
	store_looked_up(in, r, from_id != NULL ? from_id : input_from(in, r),
	    to_id != NULL ? to_id : input_to(in, r), r->text);
}

void
input_key_invalid(struct input *in, size_t row, enum input_reason reason,
    uint8_t field, const char *detail)
{
	struct input_row *r = &in->rows[row];
	const char *f = input_from(in, r), *t = input_to(in, r);

	char *x = xstrdup(f), *y = xstrdup(t);
	const char *three[3] = { x, y, detail };

	r->text = store_strs(in, three, 3);
	free(x);
	free(y);
	r->status = ROW_INVALID;
	r->reason = (uint8_t)reason;
	r->field = field;
	r->flags = 0;
}
