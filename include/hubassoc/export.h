/*
 * export.h: one record per input row, as JSON lines, CSV or a JSON array.
 *
 * Fields: line, from, to, types, outcome, http_status, chunk (1-based, in
 * the send that decided the row), labels, error {category, message,
 * context, ...}, for duplicates duplicate_of (the original's line), and
 * last send (the number of the send that decided the row) and attempts
 * (how many sends held it), and source (the paste or file the row came
 * from) when the session has several.  line and duplicate_of are
 * numbered as their source numbers them.  An error's context keeps, for each
 * key, the values that mention the row when some do.  CSV flattens error
 * into error_category, error_message and error_context (compact JSON).
 * A session with keys or names (lookup.h, names.h) adds from_key,
 * from_name, to_key and to_name, null (CSV: empty) where unknown.
 */
#ifndef HUBASSOC_EXPORT_H
#define HUBASSOC_EXPORT_H

#include "hubassoc/input.h"
#include "hubassoc/names.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/preflight.h"
#include "hubassoc/util.h"

enum export_format {
	EXPORT_JSONL,
	EXPORT_CSV,
	EXPORT_JSON,
};

int export_format_parse(const char *s, enum export_format *out);
const char *export_format_name(enum export_format f);

struct export_src {
	const struct input *in;
	const struct plan *plan;
	const struct outcomes *out;
	/* A session's sends (session_export_src); NULL for a lone send, whose
	 * rows are all send 1's and tried once when its plan sends them. */
	const uint16_t *send_of;
	const uint32_t *chunk_of;
	const uint16_t *tries;
	/* FROM's and TO's names, [2]; NULL: no key or name columns. */
	const struct names *names;
	/* What the pairs held before (a remove's types); NULL: not known. */
	const struct prestate *pre;
};

/* Appends the start (CSV header, '['), one row, or the end. */
void export_begin(struct buf *b, enum export_format f, const struct export_src *s);
void export_row(struct buf *b, enum export_format f, const struct export_src *s,
    size_t row);
void export_end(struct buf *b, enum export_format f);

/* Writes every row to fd, flushing as it goes. */
int export_write_fd(int fd, enum export_format f, const struct export_src *s,
    char **cause);
/* Writes to a path ("-" for standard output), created 0600. */
int export_write_path(const char *path, enum export_format f,
    const struct export_src *s, char **cause);

/*
 * An output opened before the work whose records it will hold, so that a
 * path that cannot be written is an error before anything is sent.  A
 * regular file is written as a temporary beside it (0600) and renamed over
 * it at the end, so a run that fails leaves what was there; standard
 * output ("-"), devices and pipes are written directly.
 */
struct export_out {
	int fd;          /* -1: not open */
	char *path;
	char *tmp;       /* the temporary's path, or NULL */
};
int export_open(struct export_out *o, const char *path, char **cause);
/* The same for a regular file only (a new one, or one to replace): anything
 * else, a FIFO that would block in open() or a link, is refused. */
int export_open_file(struct export_out *o, const char *path, char **cause);
/* Writes every row, then closes (and renames into place). */
int export_finish(struct export_out *o, enum export_format f,
    const struct export_src *s, char **cause);
/* The same with other content: write(fd, arg, cause) writes it all. */
int export_finish_with(struct export_out *o, int (*write)(int fd, const void *arg,
    char **cause), const void *arg, char **cause);
/* For export_finish_with: writes a struct buf's text. */
int export_write_text(int fd, const void *text, char **cause);
/* Closes without writing, removing the temporary.  Safe when not open. */
void export_abandon(struct export_out *o);

/* Appends the types a row goes with, resolved when they resolved, else as
 * written: as a JSON array, or ';'-joined for CSV.  A remove's, which
 * takes its pair whole, are what pre (NULL: none known) says the pair
 * held before. */
void export_types(struct buf *b, const struct input *in, const struct plan *p,
    const struct prestate *pre, size_t row, bool json);
/* Types as CATEGORY:ID, the same two ways. */
void export_pre_types(struct buf *b, const struct pre_type *t, size_t n, bool json);

/* Appends a JSON object for an error, its context cut to what mentions the
 * row (row may be SIZE_MAX for no cut). */
void export_error_json(struct buf *b, const struct hs_error *e,
    const struct export_src *s, size_t row);

#endif
