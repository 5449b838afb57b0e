/*
 * input_columns.c: the columns of a real sheet.  A HubSpot export holds
 * more than the two IDs ("Record ID","First Name","Last Name","Email",
 * "Associated Company ID"): FROM, TO and the types are read from the
 * columns the admin names (input_set_columns), else from those the header
 * says, and the other columns are left alone, said once.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input_int.h"
#include "hubassoc/key.h"
#include "hubassoc/text.h"

#define COLS_MAX SHEET_PEEK_COLS

/* A line's cells, split by sep (quotes kept whole): how many, at most
 * COLS_MAX; -1 for a broken quote. */
static int
cells_of(const char *p, size_t n, char sep, struct field *cells, struct buf *q)
{
	size_t pos = 0;
	int k = 0;

	while (k < COLS_MAX) {
		if (input_read_field(p, n, &pos, sep, &cells[k], &q[k]) != 0)
			return -1;
		k++;
		if (pos >= n)
			break;
		pos++;        /* the separator */
	}
	return k;
}

/* A header cell's words, lower case, blanks and _ - as one space. */
static void
norm(const struct field *f, char *out, size_t len)
{
	size_t k = 0;
	bool space = false;

	for (size_t i = 0; i < f->n && k + 1 < len; i++) {
		char c = f->p[i];
		if (c == ' ' || c == '_' || c == '-' || c == '\t') {
			space = k > 0;
			continue;
		}
		if (space && k + 2 < len)
			out[k++] = ' ';
		space = false;
		out[k++] = (char)tolower((unsigned char)c);
	}
	out[k] = '\0';
}

/* A header that names the types: types, label(s), association type(s) or
 * label(s), spec. */
static bool
names_types(const struct field *f)
{
	static const char *const names[] = { "types", "type", "label", "labels",
	    "association type", "association types", "association label",
	    "association labels", "spec", "association type id" };
	char w[64];

	norm(f, w, sizeof(w));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(w, names[i]) == 0)
			return true;
	return false;
}

/* A header that names IDs: "Record ID", "Associated Company ID", "id". */
static bool
names_ids(const struct field *f)
{
	char w[64];
	size_t n;

	norm(f, w, sizeof(w));
	n = strlen(w);
	return strcmp(w, "id") == 0 || (n > 3 && strcmp(w + n - 3, " id") == 0);
}

/* A header that names a key's property: Email, Domain, ... */
static bool
names_key(const struct field *f)
{
	char prop[KEY_PROP_MAX + 1];

	return key_header_prop(f->p, f->n, prop);
}

/* The column a --*-column names: a number from 1, or a header cell (any
 * case); -1 when none. */
static int
column_named(const char *want, const struct field *cells, int ncells, bool header)
{
	char *end;
	long v = strtol(want, &end, 10);

	if (*want != '\0' && *end == '\0')
		return v >= 1 && v <= ncells ? (int)v - 1 : -1;
	for (int i = 0; header && i < ncells; i++)
		if (strlen(want) == cells[i].n && strncasecmp(want, cells[i].p, cells[i].n) == 0)
			return i;
	return -1;
}

/* Whether every column given is given by number. */
static bool
by_number(char *const *want, int n)
{
	for (int k = 0; k < n; k++) {
		char *end;
		if (want[k] != NULL && (strtol(want[k], &end, 10), *end != '\0' ||
		    *want[k] == '\0'))
			return false;
	}
	return true;
}

/* The header's cells, quoted and ','-joined, for a message. */
static void
header_list(struct buf *b, const struct field *cells, int ncells)
{
	for (int i = 0; i < ncells; i++) {
		char *e = text_escape_str(cells[i].p, cells[i].n, 40);
		buf_printf(b, "%s'%s'", i > 0 ? ", " : "", e);
		free(e);
	}
}

/* The columns, chosen on the first line of data: by name or number when
 * given; else, from a header of more than two columns (and not the two
 * and a types column most files have), the two that name IDs (or keys)
 * and the one that names the types.  0; 1 when the lines are read as
 * most are; -1 after a fatal error. */
static int
choose(struct input *in, const struct field *cells, int ncells, uint32_t line)
{
	bool given = in->colwant[0] || in->colwant[1] || in->colwant[2];
	bool header = ncells >= 2;
	static const char *const what[3] = { "--from-column", "--to-column",
	    "--types-column" };

	for (int i = 0; i < ncells && header; i++)
		header = input_header_cell(&cells[i]);
	if (!given && (!header || ncells < 3 || (ncells == 3 && names_types(&cells[2]))))
		return 1;
	/* Columns given by name are a sheet's: a source without a header (a
	 * pasted pair, a plain file) is read as pairs are. */
	if (given && !header && !by_number(in->colwant, 3))
		return 1;
	in->col[0] = 0;
	in->col[1] = 1;
	in->col[2] = -1;
	if (!given || !in->colwant[0] || !in->colwant[1]) {
		/* The two columns of IDs; else of IDs or keys; else the first
		 * two.  More than two that could be: which is which is not
		 * guessed (a deal's IDs sent as a company's), it is asked. */
		int ids[COLS_MAX], nids = 0, keys[COLS_MAX], nkeys = 0;
		for (int i = 0; i < ncells; i++) {
			if (names_ids(&cells[i]))
				ids[nids++] = i;
			if (names_ids(&cells[i]) || names_key(&cells[i]))
				keys[nkeys++] = i;
		}
		if (!given && header && nkeys > 2 && nids != 2) {
			struct buf b = BUF_INIT;
			/* What to do first: a terminal's line is 80 columns. */
			buf_printf(&b, "%d columns could be FROM or TO (say which: "
			    "--from-column and --to-column, or :columns):", nkeys);
			for (int i = 0; i < nkeys; i++) {
				char *e = text_escape_str(cells[keys[i]].p, cells[keys[i]].n, 40);
				buf_printf(&b, "%s %d '%s'", i > 0 ? "," : "", keys[i] + 1, e);
				free(e);
			}
			buf_printf(&b, " (line %u)", line);
			input_set_fatal(in, buf_detach(&b));
			return -1;
		}
		if (nids == 2)
			in->col[0] = ids[0], in->col[1] = ids[1];
		else if (nkeys == 2)
			in->col[0] = keys[0], in->col[1] = keys[1];
		if (nids > 2 || (nids != 2 && nkeys > 2)) {
			/* Named one of them: the other is asked for too. */
			input_set_fatal(in, xasprintf("line %u: the header names %d columns of "
			    "IDs: give both --from-column and --to-column", line,
			    nids > 2 ? nids : nkeys));
			return -1;
		}
	}
	for (int i = 0; i < ncells && header && !in->colwant[2]; i++)
		if (i != in->col[0] && i != in->col[1] && names_types(&cells[i])) {
			in->col[2] = i;
			break;
		}
	for (int k = 0; k < 3; k++) {
		if (in->colwant[k] == NULL)
			continue;
		int c = column_named(in->colwant[k], cells, ncells, header);
		if (c < 0) {
			struct buf b = BUF_INIT;
			char *e = text_escape_str(in->colwant[k], strlen(in->colwant[k]), 40);
			buf_printf(&b, "line %u: %s '%s' is no column of ", line, what[k], e);
			if (header)
				header_list(&b, cells, ncells);
			else
				buf_printf(&b, "a line of %d (no header row: give a number)",
				    ncells);
			free(e);
			input_set_fatal(in, buf_detach(&b));
			return -1;
		}
		in->col[k] = c;
	}
	if (in->col[0] == in->col[1]) {
		input_set_fatal(in, xasprintf("line %u: FROM and TO are the same column "
		    "(%d): choose two with --from-column and --to-column", line,
		    in->col[0] + 1));
		return -1;
	}
	/* Said once: which columns, and which are left alone. */
	struct buf b = BUF_INIT;
	static const char *const role[3] = { "FROM", "TO", "types" };
	for (int k = 0; k < 3; k++) {
		if (in->col[k] < 0)
			continue;
		buf_printf(&b, "%s%s column %d", k > 0 ? ", " : "", role[k], in->col[k] + 1);
		if (header && in->col[k] < ncells) {
			char *e = text_escape_str(cells[in->col[k]].p, cells[in->col[k]].n, 40);
			buf_printf(&b, " '%s'", e);
			free(e);
		}
	}
	int ignored = 0;
	for (int i = 0; i < ncells; i++) {
		if (i == in->col[0] || i == in->col[1] || i == in->col[2])
			continue;
		buf_addstr(&b, ignored++ == 0 ? "; ignoring " : ", ");
		if (header) {
			char *e = text_escape_str(cells[i].p, cells[i].n, 40);
			buf_addstr(&b, e);
			free(e);
		} else {
			buf_printf(&b, "column %d", i + 1);
		}
	}
	free(in->columns_note);
	in->columns_note = buf_detach(&b);
	/* ... and in brief, for a status line. */
	for (int k = 0; k < 2; k++) {
		if (header && in->col[k] < ncells) {
			char *e = text_escape_str(cells[in->col[k]].p, cells[in->col[k]].n, 30);
			buf_printf(&b, "%s%s '%s'", k > 0 ? ", " : "", role[k], e);
			free(e);
		} else {
			buf_printf(&b, "%s%s column %d", k > 0 ? ", " : "", role[k],
			    in->col[k] + 1);
		}
	}
	if (in->col[2] >= 0)
		buf_addstr(&b, ", types");
	if (ignored > 0)
		buf_printf(&b, ", %d other%s ignored", ignored, ignored == 1 ? "" : "s");
	free(in->columns_brief);
	in->columns_brief = buf_detach(&b);
	in->mapped = true;
	return 0;
}

int
input_map_line(struct input *in, const char *p, size_t n, char sep, uint32_t line,
    struct field f[2], struct buf q[2])
{
	struct field cells[COLS_MAX];
	struct buf cq[COLS_MAX];
	bool given = in->colwant[0] || in->colwant[1] || in->colwant[2];
	int ncells, rc = 1;

	/* Chosen on the first line of data, or never.  A header's names hold
	 * blanks ("Record ID"): its separator is the comma, semicolon or tab
	 * it holds, and the sheet's lines are split by it. */
	if (!in->mapped && in->seen_data)
		return 0;
	if (in->mapped)
		sep = in->map_sep;
	else if (sep == ' ')
		sep = memchr(p, '\t', n) ? '\t' : memchr(p, ',', n) ? ',' :
		    memchr(p, ';', n) ? ';' : ' ';
	if (!in->mapped && sep == ' ' && !given)
		return 0;
	for (int i = 0; i < COLS_MAX; i++)
		cq[i] = (struct buf)BUF_INIT;
	ncells = cells_of(p, n, sep, cells, cq);
	if (ncells < 0) {
		rc = -1;
		goto out;
	}
	if (!in->mapped && (rc = choose(in, cells, ncells, line)) != 0) {
		rc = rc > 0 ? 0 : 2;    /* as most lines are; or a fatal error */
		goto out;
	}
	in->map_sep = sep;
	rc = 1;
	buf_reset(&in->scratch);
	for (int k = 0; k < 2; k++) {
		const struct field *c = in->col[k] < ncells ? &cells[in->col[k]] : NULL;
		buf_reset(&q[k]);
		if (c != NULL)
			buf_add(&q[k], c->p, c->n);
		f[k].p = q[k].data != NULL ? q[k].data : "";
		f[k].n = q[k].len;
	}
	if (in->col[2] >= 0 && in->col[2] < ncells)
		buf_add(&in->scratch, cells[in->col[2]].p, cells[in->col[2]].n);
out:
	for (int i = 0; i < COLS_MAX; i++)
		buf_free(&cq[i]);
	return rc;
}

/* ---- a sheet's columns, looked at before it is read --------------------- */

void
sheet_peek_free(struct sheet_peek *sp)
{
	for (int i = 0; i < sp->ncols; i++) {
		free(sp->names[i]);
		for (int r = 0; r < sp->nrows; r++)
			free(sp->rows[r][i]);
	}
	memset(sp, 0, sizeof(*sp));
}

/* The cells of a line as text, escaped for a screen, in out[0..n). */
static void
cells_text(const struct field *cells, int ncells, char **out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = i < ncells ? text_escape_str(cells[i].p, cells[i].n, 60) :
		    xstrdup("");
}

int
sheet_peek(const char *p, size_t n, struct sheet_peek *sp)
{
	struct field cells[COLS_MAX];
	struct buf q[COLS_MAX];
	size_t at = 0;
	bool first = true;

	memset(sp, 0, sizeof(*sp));
	for (int i = 0; i < 3; i++)
		sp->col[i] = -1;
	for (int i = 0; i < COLS_MAX; i++)
		q[i] = (struct buf)BUF_INIT;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		at = 3;
	while (at < n && sp->nrows < SHEET_PEEK_ROWS) {
		const char *nl = memchr(p + at, '\n', n - at);
		size_t len = nl != NULL ? (size_t)(nl - (p + at)) : n - at;
		const char *line = p + at;
		at += len + (nl != NULL);
		if (nl == NULL && at < n)
			break;
		while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		while (len > 0 && (line[0] == ' ' || line[0] == '\t'))
			line++, len--;
		if (len == 0 || line[0] == '#')
			continue;
		if (first) {
			/* The header: a sheet of more than two named columns, not
			 * the two and a types column most pairs files are. */
			first = false;
			sp->sep = memchr(line, '\t', len) ? '\t' : memchr(line, ',', len) ?
			    ',' : memchr(line, ';', len) ? ';' : 0;
			int k = sp->sep != 0 ? cells_of(line, len, sp->sep, cells, q) : -1;
			bool header = k >= 3;
			for (int i = 0; i < k && header; i++)
				header = input_header_cell(&cells[i]);
			if (!header || (k == 3 && names_types(&cells[2])))
				break;
			sp->ncols = k;
			cells_text(cells, k, sp->names, k);
			/* What :load would choose alone; none when it would ask. */
			struct input *in = input_new();
			if (choose(in, cells, k, 1) == 0)
				memcpy(sp->col, in->col, sizeof(sp->col));
			input_free(in);
			continue;
		}
		int k = cells_of(line, len, sp->sep, cells, q);
		cells_text(cells, k < 0 ? 0 : k, sp->rows[sp->nrows++], sp->ncols);
	}
	for (int i = 0; i < COLS_MAX; i++)
		buf_free(&q[i]);
	return sp->ncols;
}
