/*
 * text.h: making untrusted text safe for terminals, JSON and CSV.
 *
 * Anything that came from a file, a paste or a server may hold control
 * characters, escape sequences or invalid UTF-8.  These functions are the
 * only way such text reaches a terminal or an output file.
 */
#ifndef HUBASSOC_TEXT_H
#define HUBASSOC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/util.h"

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when s[0..n) does
 * not start with one.  *cp receives the code point. */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);
bool utf8_valid(const char *s, size_t n);

/*
 * Appends s[0..n) with everything a terminal would act on made visible:
 * C0 and C1 controls and DEL as \n, \t, \r, \e or \xNN; invalid UTF-8 bytes
 * as \xNN; bidirectional overrides and isolates as \u{NNNN}.  Printable text,
 * including wide characters, is kept.
 */
void text_escape(struct buf *out, const char *s, size_t n);
/* The same, into a new string cut to at most max bytes of input (adding an
 * ellipsis when cut). */
char *text_escape_str(const char *s, size_t n, size_t max);

/* Appends s[0..n) as the inside of a JSON string: valid UTF-8 is kept,
 * invalid bytes become U+FFFD; C0 and C1 controls, DEL and bidi overrides
 * are escaped as \uXXXX, so the text reads back whole but never acts on a
 * terminal the JSON is printed to. */
void json_escape(struct buf *out, const char *s, size_t n);
/* Appends a whole JSON string value, quotes included. */
void json_add_string(struct buf *out, const char *s);
/* ,"key":"value" (escaped as json_add_string does), or ,"key":null. */
void json_add_member(struct buf *out, const char *key, const char *value);

/* Appends s[0..n) with invalid UTF-8 bytes replaced by U+FFFD. */
void utf8_repair(struct buf *out, const char *s, size_t n);

/* Appends a CSV field that neither a terminal nor a spreadsheet acts on:
 * invalid UTF-8 replaced by U+FFFD; controls (CR and LF included) and bidi
 * overrides written visibly, as text_escape does; a cell that starts with
 * = + - @ TAB or CR prefixed with ' so that it is read as text; quoted
 * when it holds a comma or quote or starts or ends with a space. */
void csv_add_field(struct buf *out, const char *s);

/*
 * Display columns.  Widths come from wcwidth() under a UTF-8 locale (wide
 * characters take two columns, combining ones none); text is expected to be
 * escaped already (text_escape), so it holds no controls.
 */
size_t text_width(const char *s, size_t n);
/* How many bytes of s[0..n) fit in cols columns, whole characters only;
 * *used receives their width. */
size_t text_fit(const char *s, size_t n, size_t cols, size_t *used);
/* The bytes of s[0..n) that make its next line of at most cols columns:
 * up to the last space that fits when there is one, else what fits (at
 * least one character).  All of it when it fits. */
size_t text_wrap(const char *s, size_t n, size_t cols);
/* Where a "label    value" line's value starts (after the first run of
 * two spaces or more past its label), when before max; else 0: where
 * its wrapped lines go on, under the value. */
size_t text_hang(const char *t, size_t max);

/*
 * Fuzzy matching for pickers: pattern's characters must appear in text in
 * order, case ignored.  Returns -1 for no match, else a score that rewards
 * a prefix, consecutive characters and matches at word starts.
 */
int fuzzy_score(const char *pattern, const char *text);

/* A count with thousands separators, "1,000,000", in buf. */
const char *fmt_count(char buf[32], size_t n);
/* A count and its noun, plural when it is not 1: "1 row", "10,000 rows". */
const char *fmt_counted(char buf[64], size_t n, const char *noun);

/* JSON for reading: two-space indents, parts that fit in 76 columns on one
 * line.  Text that is no JSON is appended as it is. */
void json_pretty(struct buf *out, const char *json);

/* A JSON scanner's step over c outside the parser: true when c belongs
 * to a string (its quotes included), escapes followed. */
static inline bool
json_string_step(char c, bool *in_str, bool *esc)
{
	if (*in_str) {
		if (*esc)
			*esc = false;
		else if (c == '\\')
			*esc = true;
		else if (c == '"')
			*in_str = false;
		return true;
	}
	if (c == '"')
		*in_str = true;
	return *in_str;
}

#endif
