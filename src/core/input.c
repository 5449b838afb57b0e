/* input.c: the rows of an input: stored, replaced, given keys and IDs;
 * their sources.  The parser is input_parse.c, the texts input_text.c. */
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
#include "input_int.h"

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
	in->col[0] = in->col[1] = in->col[2] = -1;
	return in;
}

void
input_set_columns(struct input *in, const char *from, const char *to,
    const char *types)
{
	const char *want[3] = { from, to, types };

	for (int i = 0; i < 3; i++) {
		free(in->colwant[i]);
		in->colwant[i] = want[i] != NULL ? xstrdup(want[i]) : NULL;
	}
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
	for (int i = 0; i < 3; i++)
		free(in->colwant[i]);
	free(in->columns_note);
	free(in->columns_brief);
	free(in->fatal);
	buf_free(&in->carry);
	buf_free(&in->scratch);
	buf_free(&in->keybuf[0]);
	buf_free(&in->keybuf[1]);
	free(in);
}

void
input_set_fatal(struct input *in, char *msg)
{
	if (in->fatal == NULL)
		in->fatal = msg;
	else
		free(msg);
}

uint32_t
input_store(struct input *in, const char *p, size_t n)
{
	uint32_t off = arena_add(&in->text, p, n);

	if (off == UINT32_MAX) {
		input_set_fatal(in, xstrdup("input is too large: more than 4 GiB of IDs"));
		return 0;
	}
	return off;
}

/* Appends at most INPUT_SNIPPET_MAX bytes of bad text and a NUL at out,
 * NUL bytes shown as \0, never cut inside a UTF-8 sequence. */
static char *
put_snippet(char *out, const char *p, size_t n, size_t max)
{
	if (n > max) {
		n = max;
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
uint32_t
input_store_bad(struct input *in, enum input_reason reason, const char *a, size_t an,
    const char *b, size_t bn, const char *d, size_t dn)
{
	char tmp[2 * (2 * INPUT_SNIPPET_MAX + 1) + 2 * INPUT_DETAIL_MAX + 1], *end = tmp;

	end = put_snippet(end, a, an, INPUT_SNIPPET_MAX);
	end = put_snippet(end, b, bn, INPUT_SNIPPET_MAX);
	/* A key's reason is ours, and said whole; a line is cut as a cell is. */
	end = put_snippet(end, d, dn, reason == INPUT_BAD_KEY ? INPUT_DETAIL_MAX :
	    INPUT_SNIPPET_MAX);
	return input_store(in, tmp, (size_t)(end - tmp) - 1);
}

/* Stores two canonical IDs as "FROM\0TO\0". */
uint32_t
input_store_ids(struct input *in, const char *a, size_t an, const char *b, size_t bn)
{
	char tmp[2 * INPUT_ID_MAX_DIGITS + 2];

	memcpy(tmp, a, an);
	tmp[an] = '\0';
	memcpy(tmp + an + 1, b, bn);
	return input_store(in, tmp, an + 1 + bn);
}

/* Stores NUL-joined strings (IDs, keys) as one text. */
uint32_t
input_store_strs(struct input *in, const char *const *s, size_t n)
{
	struct buf b = BUF_INIT;
	uint32_t off;

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, '\0');
		buf_addstr(&b, s[i]);
	}
	off = input_store(in, b.data != NULL ? b.data : "", b.len);
	buf_free(&b);
	return off;
}

struct input_row *
input_new_row(struct input *in, uint32_t line)
{
	struct input_row *r;

	if (in->nrows >= in->max_rows) {
		input_set_fatal(in, xasprintf("line %u: more than %zu rows; hubassoc reads at "
		    "most %zu rows at a time: split the input", line, in->max_rows,
		    in->max_rows));
		return NULL;
	}
	if (in->nrows == in->cap) {
		if (in->cap >= UINT32_MAX / 2) {
			input_set_fatal(in, xstrdup("input is too large: too many rows"));
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
void
input_add_invalid(struct input *in, uint32_t line, enum input_reason reason,
    uint8_t field, const char *a, size_t an, const char *b, size_t bn,
    const char *d, size_t dn)
{
	struct input_row *r = input_new_row(in, line);

	if (r == NULL)
		return;
	r->status = ROW_INVALID;
	r->reason = (uint8_t)reason;
	r->field = field;
	r->text = input_store_bad(in, reason, a, an, b, bn, d, dn);
}

/* An invalid row known only as a line. */
void
input_add_bad_line(struct input *in, uint32_t line, enum input_reason reason,
    const char *p, size_t n)
{
	input_add_invalid(in, line, reason, 0, "", 0, "", 0, p, n);
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
input_add_recorded(struct input *in, uint32_t line, enum input_status status,
    enum input_reason reason, uint8_t field, uint32_t set, const char *from,
    const char *to, const char *detail)
{
	struct input_row *r = input_new_row(in, line);

	if (r == NULL)
		return;
	r->status = (uint8_t)status;
	r->reason = (uint8_t)reason;
	r->field = field;
	r->set = set < in->nsets ? set : 0;
	if (status == ROW_VALID && detail[0] == '\0' && strlen(from) <= INPUT_ID_MAX_DIGITS &&
	    strlen(to) <= INPUT_ID_MAX_DIGITS)
		r->text = input_store_ids(in, from, strlen(from), to, strlen(to));
	else if (status == ROW_VALID) {
		const char *two[2] = { from, to };
		r->text = input_store_strs(in, two, 2);    /* keys, whole */
	} else if (reason == INPUT_KEY_NONE || reason == INPUT_KEY_MANY) {
		const char *three[3] = { from, to, detail };
		r->text = input_store_strs(in, three, 3);  /* the lookup's words, whole */
	} else
		r->text = input_store_bad(in, reason, from, strlen(from), to, strlen(to),
		    detail, strlen(detail));
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
	return r->status == ROW_VALID && (!input_is_digit(input_from(in, r)[0]) ||
	    !input_is_digit(input_to(in, r)[0]));
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
	r->text = input_store_strs(in, three, 3);
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
	uint32_t cells = input_store_strs(in, two, 2);
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

	r->text = input_store_strs(in, three, 3);
	free(x);
	free(y);
	r->status = ROW_INVALID;
	r->reason = (uint8_t)reason;
	r->field = field;
	r->flags = 0;
}
