/*
 * input_int.h: what the input's store (input.c), parser (input_parse.c)
 * and texts (input_text.c) share.  Not for other modules.
 */
#ifndef HUBASSOC_INPUT_INT_H
#define HUBASSOC_INPUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/input.h"

/* Keeps the first fatal error (msg taken). */
void input_set_fatal(struct input *in, char *msg);
/* Text into the input's arena: its offset (0 after a fatal error). */
uint32_t input_store(struct input *in, const char *p, size_t n);
/* Three snippets of bad text as one: "A\0B\0D\0"; D is a key's reason,
 * kept whole, for INPUT_BAD_KEY, else the line. */
uint32_t input_store_bad(struct input *in, enum input_reason reason, const char *a,
    size_t an, const char *b, size_t bn, const char *d, size_t dn);
/* Two canonical IDs as "FROM\0TO\0". */
uint32_t input_store_ids(struct input *in, const char *a, size_t an, const char *b,
    size_t bn);
/* NUL-joined strings (IDs, keys) as one text. */
uint32_t input_store_strs(struct input *in, const char *const *s, size_t n);
/* A new row of line, zeroed; NULL (a fatal error) past the rows allowed. */
struct input_row *input_new_row(struct input *in, uint32_t line);
/* An invalid row: its fields a and b as far as they were read, and d, the
 * line, for reasons about the whole line. */
void input_add_invalid(struct input *in, uint32_t line, enum input_reason reason,
    uint8_t field, const char *a, size_t an, const char *b, size_t bn,
    const char *d, size_t dn);
/* An invalid row known only as a line. */
void input_add_bad_line(struct input *in, uint32_t line, enum input_reason reason,
    const char *p, size_t n);

/* A cell of a line, as read: its text (into a buffer when it was
 * quoted and held "" escapes). */
struct field {
	const char *p;
	size_t n;
};
/* Reads the field at p[*pos..n): stop is the separator, 0 for the first
 * field (any ends it), ' ' for runs of blanks; quoted text unescaped into
 * q.  -1: a broken quote. */
int input_read_field(const char *p, size_t n, size_t *pos, char stop, struct field *f,
    struct buf *q);
/* A header's cell: a word that is no key ("email" is, "jane@x.com" not). */
bool input_header_cell(const struct field *f);
/* The columns of a sheet (input_columns.c): when FROM, TO and the types
 * are read from chosen columns, picks the line's (f, and in->scratch the
 * types) and returns 1; 0 when the line is read as most are (the first
 * two cells, the rest types); 2 when a fatal error ended the input; -1
 * for a broken quote. */
int input_map_line(struct input *in, const char *p, size_t n, char sep, uint32_t line,
    struct field f[2], struct buf q[2]);

static inline bool
input_is_digit(char c)
{
	return (unsigned char)(c - '0') <= 9;
}

#endif
