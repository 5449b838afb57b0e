/*
 * input.h: the one parser for pairs typed, pasted, piped or loaded.
 *
 * A line is FROM_ID<sep>TO_ID[<sep>SPEC[;SPEC...]], sep being a comma, a
 * tab, a semicolon or a run of spaces, found line by line from the first
 * separator after the first field.  Fields may be CSV-quoted ("" for a quote);
 * a quoted field does not span lines.  Lines may end in LF, CRLF or CR.  A
 * UTF-8 BOM, blank lines, lines starting with '#' and a header row (first
 * data line whose two first fields are words) are skipped.  IDs are 1 to 20
 * ASCII digits kept as text, leading zeros removed.  Every line that is not
 * a pair becomes an invalid row with its line number and a reason.
 *
 * Input arrives in pieces of any size through input_feed(); lines may cross
 * pieces.  Memory is 16 bytes per row plus the ID text.
 */
#ifndef HUBASSOC_INPUT_H
#define HUBASSOC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hubassoc/assoctype.h"
#include "hubassoc/util.h"

#define INPUT_ID_MAX_DIGITS 20
#define INPUT_LINE_MAX 65536   /* longer lines are reported, not stored */
#define INPUT_LINE_FATAL (1u << 20)  /* a longer line: not a pairs file */
#define INPUT_NUL_RUN 8        /* this many NULs in a row: not a pairs file */
#define INPUT_ROWS_MAX_DEFAULT 10000000u
#define INPUT_SNIPPET_MAX 64   /* bytes of bad text kept for messages */
#define INPUT_DETAIL_MAX 160   /* bytes of a key's reason kept: all of it */

enum input_reason {
	INPUT_OK,
	INPUT_ONE_FIELD,        /* no separator after the first field */
	INPUT_EMPTY_FIELD,
	INPUT_NOT_DIGITS,
	INPUT_SIGNED,
	INPUT_DECIMAL,
	INPUT_SCIENTIFIC,
	INPUT_NON_ASCII_DIGITS,
	INPUT_TOO_MANY_DIGITS,
	INPUT_ZERO,
	INPUT_BAD_QUOTE,
	INPUT_NUL,
	INPUT_BAD_UTF8,
	INPUT_LINE_TOO_LONG,
	INPUT_BAD_SPEC,         /* the SPEC column does not parse: see its set */
	INPUT_LATE_HEADER,      /* a header-like line after the first data line */
	/* Found by the plan, and kept in it (plan.why), never in a row: */
	INPUT_TYPE_MISMATCH,    /* types do not fit the direction */
	INPUT_CONFLICT,         /* same pair, other types */
	INPUT_NO_TYPE,          /* no SPEC column and no --type */
	INPUT_THOUSANDS,        /* digits grouped by thousands: 1,234,567 */
	INPUT_BAD_KEY,          /* a key that does not parse (key.h) */
	INPUT_KEY_PENDING,      /* the plan's: a key not looked up yet */
	/* Found by the lookup (lookup.c), its words the row's detail: */
	INPUT_KEY_NONE,         /* no record has the key */
	INPUT_KEY_MANY,         /* several records have it */
	/* The plan's again: two rows give one record a type it holds once
	 * (a Primary, a parent), to two others. */
	INPUT_ONE_CONFLICT,
};
#define INPUT_REASON_LAST INPUT_ONE_CONFLICT

enum input_status {
	ROW_VALID,
	ROW_INVALID,
};

struct input_row {
	uint32_t line;    /* 1-based line number */
	uint32_t text;    /* arena offset of "FROM\0TO\0": canonical IDs, or raw
	                   * snippets when invalid, then for a whole-line reason
	                   * the line */
	uint32_t set;     /* index into input.sets; 0 = no SPEC column */
	uint8_t status;   /* enum input_status */
	uint8_t reason;   /* enum input_reason */
	uint8_t field;    /* 1-based field the reason is about, 0 for the line */
	uint8_t flags;    /* INPUT_ROW_KEYS */
};

/* A valid row's text goes on after its IDs with where the cells it was
 * given by are (input_row_key): "FROM\0TO\0OFFSET\0". */
#define INPUT_ROW_KEYS 1u

/* The distinct SPEC columns, parsed once each.  Set 0 is "no column". */
struct input_set {
	char *text;               /* the column as written, ';'-joined */
	struct assoc_spec *specs;
	size_t n;
	char *error;              /* why the column does not parse, or NULL */
};

/* Where a source (a paste, a file) starts: its line 1 is base + 1.  Rows
 * keep their line numbers unique and in order across sources; each
 * source numbers its own lines from 1 for those who read them. */
struct input_source {
	char *name;           /* "paste 2", "pairs.csv" */
	uint32_t base;        /* lines before it */
};

struct input {
	struct input_row *rows;
	size_t nrows;
	size_t cap;
	struct arena text;
	struct input_set *sets;
	size_t nsets;

	uint32_t lines;       /* lines seen */
	uint32_t blank;       /* blank lines */
	uint32_t comments;    /* comment lines */
	uint32_t header_line; /* 0 when there was no header row */
	char *header;         /* the header row as written */
	char *colprop[2];     /* the property the header names for FROM's and
	                       * TO's column (key.h), or NULL: IDs */
	char *fatal;          /* the whole input is unusable (UTF-16, binary,
	                       * too big): reading stops at once */
	size_t max_rows;      /* INPUT_ROWS_MAX_DEFAULT; more is fatal */
	uint32_t nul_lines;   /* lines that held a NUL byte */
	uint32_t source_line; /* lines before the current source (a paste,
	                       * a file), which has its own BOM and header */
	struct input_source *sources;  /* named sources, in order */
	size_t nsources;
	unsigned nul_run;     /* NULs in a row at the end of the last piece */

	/* Parser state between pieces. */
	struct buf carry;     /* an incomplete line */
	bool skipping;        /* inside a line longer than INPUT_LINE_MAX */
	size_t skipped;       /* its length so far */
	bool after_cr;        /* the last piece ended with CR */
	bool started;         /* a byte has been seen */
	bool seen_data;       /* a data line (or header) has been seen */
	struct buf scratch;
	struct buf keybuf[2]; /* a line's keys, canonical */
	/* The columns FROM, TO and the types are read from, 0-based; -1:
	 * the first two cells, the rest types (a line as most are).  Chosen
	 * by colwant (--from-column NAME|N ...) or by the header of a sheet
	 * with more columns; columns_note says how, once. */
	char *colwant[3];
	int col[3];
	bool mapped;
	char map_sep;         /* the separator of a sheet read by columns */
	char *columns_note;
	char *columns_brief;  /* the same, short: "FROM 'Record ID', TO ..." */
	uint32_t *set_index;  /* hash of sets by text */
	size_t set_index_cap;
};

struct input *input_new(void);
void input_free(struct input *in);
/* The columns to read FROM, TO and the types from: a header's name (any
 * case) or a number from 1; NULL: as the header says (a third column is
 * types only when its header says so: types, label, association type),
 * else the first two.  Before the input is fed. */
void input_set_columns(struct input *in, const char *from, const char *to,
    const char *types);

/*
 * A sheet's columns, looked at before it is read, for a person to choose
 * FROM, TO and the types from: its header's names (escaped for a screen),
 * its first rows' cells, and what reading it alone would choose (col: -1
 * none; none at all when it would ask which).
 */
#define SHEET_PEEK_COLS 64
#define SHEET_PEEK_ROWS 3
struct sheet_peek {
	int ncols;              /* 0: no sheet of more than two named columns */
	char sep;
	char *names[SHEET_PEEK_COLS];
	char *rows[SHEET_PEEK_ROWS][SHEET_PEEK_COLS];
	int nrows;
	int col[3];             /* FROM, TO, types: 0-based, -1 none */
};
/* Looks at the start of a file's text; sp->ncols, 0 when the text is no
 * sheet to choose columns of. */
int sheet_peek(const char *p, size_t n, struct sheet_peek *sp);
void sheet_peek_free(struct sheet_peek *sp);

/* Whether an invalid row's field lists several IDs ("201;202"). */
bool input_row_several_ids(const struct input *in, const struct input_row *r);

/* Feeds the next piece of input. */
void input_feed(struct input *in, const void *data, size_t len);
/* Ends the input: a last line without a terminator is parsed. */
void input_finish(struct input *in);
/* Another source follows (the terminal's next paste or :load): it may
 * start with its own BOM and header row, and an earlier source's fatal
 * error (said already) does not stop it.  Its name, when given, is how
 * its lines are labelled ("paste 2:12"), numbered from its own line 1;
 * the rows' line numbers go on. */
void input_begin_source(struct input *in, const char *name);
/* A source as recorded (the journal): its name and where it starts. */
void input_add_source(struct input *in, const char *name, uint32_t base);
/* Forgets the named sources (the rows keep their lines). */
void input_clear_sources(struct input *in);
/* The sources of src, as dst's (replacing its own). */
void input_copy_sources(struct input *dst, const struct input *src);
/* A line as its source numbers it, and that source's index (SIZE_MAX for
 * none). */
uint32_t input_source_line(const struct input *in, uint32_t line, size_t *source);
/* A row's line for people: "12", or "paste 2:12" when the input has
 * more than one named source ("typed 1" for a source of one line). */
void input_line_label(const struct input *in, uint32_t line, struct buf *out);
/* Removes every row, and numbers the next line 1 again. */
void input_clear(struct input *in);
/* Reads fd to its end, feeding and finishing. */
int input_read_fd(struct input *in, int fd, char **cause);
/* Reads a file ("-" for standard input). */
int input_read_path(struct input *in, const char *path, char **cause);

static inline const char *
input_from(const struct input *in, const struct input_row *r)
{
	return arena_str(&in->text, r->text);
}

static inline const char *
input_to(const struct input *in, const struct input_row *r)
{
	const char *from = input_from(in, r);

	return from + strlen(from) + 1;
}

/* Appends a row of another input, with its SPEC column. */
void input_copy_row(struct input *dst, const struct input *src, size_t row);

/* Whether s is an ID as the parser keeps them: 1 to 20 digits, no leading
 * zero. */
bool input_id_ok(const char *s);
/* Whether a cell as kept is an ID or a canonical key (key.h). */
bool input_cell_ok(const char *s);

/*
 * Keys.  A valid row whose FROM or TO cell is a key waits for the lookup
 * (input_row_pending); the plan never sends it.  The lookup then gives the
 * row its IDs, the keys kept after them (input_row_key), or makes it
 * invalid with why no single record has the key.
 */
bool input_row_pending(const struct input *in, const struct input_row *r);
/* The key side (0 FROM, 1 TO) was given by: a pending cell, or the one a
 * resolved row keeps; NULL for a side given by ID. */
const char *input_row_key(const struct input *in, const struct input_row *r,
    int side);
/* The row's IDs, found for its keys (NULL: that side was an ID). */
void input_resolve_row(struct input *in, size_t row, const char *from_id,
    const char *to_id);
/* Keeps keys on a row recorded with IDs (the journal), "" for none. */
void input_set_keys(struct input *in, size_t row, const char *from_key,
    const char *to_key);
/* The row is invalid: no record, or several, have the key on side
 * (field 1 or 2); detail says so. */
void input_key_invalid(struct input *in, size_t row, enum input_reason reason,
    uint8_t field, const char *detail);
/* Replaces a row with what one line of text parses to, keeping its line
 * number.  Returns -1 with *cause when the text holds no pair or more. */
int input_replace_row(struct input *in, size_t row, const char *text,
    size_t len, char **cause);
/* Removes rows [row, row + n). */
void input_delete_rows(struct input *in, size_t row, size_t n);

/* For the journal: a set by its text (parsed as a SPEC column is), and a
 * row as it was recorded. */
uint32_t input_set_intern(struct input *in, const char *text, size_t n);
void input_add_recorded(struct input *in, uint32_t line, enum input_status status,
    enum input_reason reason, uint8_t field, uint32_t set, const char *from,
    const char *to, const char *detail);
/* A row as a line the parser reads back as the same row: FROM,TO and its
 * SPEC column (CSV-quoted when it holds a comma or a quote); an invalid
 * row as it was written, as far as it was kept. */
void input_row_text(const struct input *in, size_t row, struct buf *out);
/* Every row, a line each (input_row_text): a pairs file.  0 or -1 and
 * *cause. */
int input_write_fd(const struct input *in, int fd, char **cause);
/* What a row's reason is about, when stored with it ("" otherwise). */
const char *input_detail(const struct input *in, const struct input_row *r);

/* Appends why a row is invalid: "field 2 (to): '12a' is not a number". */
void input_reason_format(const struct input *in, const struct input_row *r,
    struct buf *out);
/* The reason's short name, for grouping: "not a number". */
const char *input_reason_name(enum input_reason reason);
/* The reason's name in files ("not_digits"), and back from n bytes at s. */
const char *input_reason_key(enum input_reason reason);
bool input_reason_of_key(const char *s, size_t n, enum input_reason *reason);

#endif
