/*
 * journal_int.h: what the journal's writer (journal.c, and
 * journal_send_rec.c for a send's records), reader
 * (journal_read.c, and journal_sends.c for the sends' records), scanner
 * (journal_scan.c), listing (journal_list.c) and row codes
 * (journal_codes.c) share.  Not for other modules: the format is theirs
 * alone.
 */
#ifndef HUBASSOC_JOURNAL_INT_H
#define HUBASSOC_JOURNAL_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/journal.h"
#include "hubassoc/session.h"
#include "hubassoc/text.h"

/* How some records begin, written so and found so without parsing: each
 * the kind's journal_rec_begin, then its first field. */
#define SEND_PREFIX "{\"t\":\"send\",\"req\":"
#define ANSWER_PREFIX "{\"t\":\"answer\",\"req\":"
#define PAIRS_REPLACE "{\"t\":\"pairs\",\"op\":\"replace\""
#define RESEND_HEAD "{\"t\":\"resend\""
#define ROWS_HEAD "{\"t\":\"rows\",\"first\":"
#define OUTCOMES_HEAD "{\"t\":\"outcomes\",\"rows\":["

/* Rows a rows (or pairs) record holds at most. */
#define ROWS_PER_RECORD 2000

/*
 * A row's status, reason and plan state are written by name from
 * version 3 on ("valid", "not_digits", "send"), by number before.  What
 * the plan found wrong with a row is its plan state's name ("conflict",
 * "type_mismatch", "no_type"): PLAN_INVALID, with the reason in *why.
 */
enum row_code { ROW_CODE_STATUS, ROW_CODE_REASON, ROW_CODE_PLAN };
const char *journal_row_name(enum row_code k, unsigned v, unsigned why);
bool journal_row_code(enum row_code k, const char *s, size_t n, uint64_t *v,
    uint8_t *why);

/* A row's texts, as the last fields of its array: ,"from","to","detail"]
 * (rows and pairs records both end so). */
void journal_add_row_texts(struct buf *b, const struct input *in,
    const struct input_row *r);

/* Which of a rows record's row fields are codes; -1: a number. */
static inline int
row_code_at(int i)
{
	return i == 1 ? ROW_CODE_STATUS : i == 2 ? ROW_CODE_REASON :
	    i == 5 ? ROW_CODE_PLAN : -1;
}

/* A row's field i as cJSON read it: a number, or a name where a code is
 * (row_code_at). */
bool journal_row_value(const cJSON *x, int i, uint64_t *v, uint8_t *why);

/* ---- the writer's, shared by journal.c and journal_send_rec.c ------- */

struct journal {
	int fd;            /* -1: held in memory (journal_held) */
	char *path;
	struct buf line;
	struct buf held;   /* a held journal's lines, until journal_replay */
	unsigned send;     /* the send being made, for progress and end */
};

/* Writes j->line as a line, synced when sync; held in memory for a held
 * journal. */
int journal_write_line(struct journal *j, bool sync);
/* Ends a line a crash cut short, so that the next record starts a line of
 * its own. */
int journal_end_cut(struct journal *j);

/* A record's fields, each after a comma. */
static inline void
add_key(struct buf *b, const char *key)
{
	buf_addc(b, ',');
	json_add_string(b, key);
	buf_addc(b, ':');
}

static inline void
add_str(struct buf *b, const char *key, const char *v)
{
	json_add_member(b, key, v);
}

static inline void
add_num(struct buf *b, const char *key, uint64_t v)
{
	add_key(b, key);
	buf_add_uint(b, v);
}

/* "rows":[...]: a request's or a send's rows by number. */
void journal_add_rows(struct buf *b, const uint32_t *rows, size_t n);
/* "counts":{...}: every state's count, by name. */
void journal_add_counts(struct buf *b, const struct outcomes *o);

/* Numbers a journal writes stay below 2^53. */
#define JOURNAL_NUM_MAX (UINT64_C(1) << 53)

/* ---- reading values of a parsed record ------------------------------ */

static inline char *
get_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/* A whole number from 0 to max, or false: a journal may be damaged, and a
 * double out of an integer's range must not be converted to it. */
static inline bool
num_value(const cJSON *v, uint64_t max, uint64_t *out)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) ||
	    v->valuedouble > (double)max)
		return false;
	*out = (uint64_t)v->valuedouble;
	return (double)*out == v->valuedouble;
}

/* A string member, not copied: NULL when it is none. */
static inline const char *
get_str_ref(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline uint64_t
get_num(const cJSON *o, const char *key)
{
	uint64_t n;

	return num_value(cJSON_GetObjectItemCaseSensitive(o, key), JOURNAL_NUM_MAX,
	    &n) ? n : 0;
}

/* ---- the scanner's pieces: a line read as the writer writes it ------ */

struct scan {
	char *p, *end;
};

static inline bool
scan_char(struct scan *sc, char c)
{
	if (sc->p < sc->end && *sc->p == c) {
		sc->p++;
		return true;
	}
	return false;
}

static inline bool
scan_num(struct scan *sc, uint64_t *v)
{
	char *start = sc->p;
	uint64_t x = 0;

	while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9' && sc->p - start < 16)
		x = x * 10 + (uint64_t)(*sc->p++ - '0');
	size_t n = (size_t)(sc->p - start);
	/* JSON has no leading zeros; longer numbers are cJSON's to judge. */
	if (n == 0 || n > 15 || (start[0] == '0' && n > 1))
		return false;
	*v = x;
	return true;
}

/* A string's start and length; its closing quote becomes its end later. */
static inline bool
scan_str(struct scan *sc, char **start, size_t *len)
{
	if (!scan_char(sc, '"'))
		return false;
	*start = sc->p;
	while (sc->p < sc->end && *sc->p != '"') {
		if ((unsigned char)*sc->p < 0x20 || *sc->p == '\\')
			return false;
		sc->p++;
	}
	*len = (size_t)(sc->p - *start);
	return scan_char(sc, '"');
}

/* ,"key": */
static inline bool
scan_key(struct scan *sc, const char *key)
{
	size_t n = strlen(key);

	if (sc->end - sc->p < (ptrdiff_t)n + 4 || sc->p[0] != ',' || sc->p[1] != '"' ||
	    memcmp(sc->p + 2, key, n) != 0 || sc->p[2 + n] != '"' || sc->p[3 + n] != ':')
		return false;
	sc->p += n + 4;
	return true;
}

/* A JSON string, escapes and all, or null; its raw text when short
 * enough for out (else cut), "" for null. */
static inline bool
scan_any_str(struct scan *sc, char *out, size_t outsz)
{
	if (sc->end - sc->p >= 4 && memcmp(sc->p, "null", 4) == 0) {
		sc->p += 4;
		if (outsz > 0)
			out[0] = '\0';
		return true;
	}
	if (!scan_char(sc, '"'))
		return false;
	const char *start = sc->p;
	while (sc->p < sc->end && *sc->p != '"') {
		if (*sc->p == '\\' && sc->p + 1 < sc->end)
			sc->p++;
		sc->p++;
	}
	if (outsz > 0)
		snprintf(out, outsz, "%.*s", (int)(sc->p - start), start);
	return scan_char(sc, '"');
}

/* The end of a record: "]}" and the line's end. */
static inline bool
scan_end(struct scan *sc)
{
	return scan_char(sc, ']') && scan_char(sc, '}') && scan_char(sc, '\n') &&
	    sc->p == sc->end;
}

struct scanned {
	uint64_t v[7];
	uint8_t why;      /* a row's: journal_row_code() */
	char *str[3];
	size_t len[3];
};

/* The entries of the line being read; the room is kept between lines. */
struct scanned_vec {
	struct scanned *v;
	size_t n, cap;
};

static inline struct scanned *
scanned_next(struct scanned_vec *x)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 1024;
		x->v = xreallocarray(x->v, x->cap, sizeof(*x->v));
	}
	return &x->v[x->n++];
}

/* Ends each scanned string at its closing quote. */
static inline void
scanned_terminate(struct scanned_vec *x, size_t nstr)
{
	for (size_t i = 0; i < x->n; i++)
		for (size_t k = 0; k < nstr; k++)
			x->v[i].str[k][x->v[i].len[k]] = '\0';
}

/* The header of a session (its first record), and the counts of a
 * progress or end record (journal_read.c). */
int journal_read_header(const cJSON *h, struct journal_meta *m, char **cause);
void journal_read_counts(const cJSON *rec, struct journal_meta *m);

/* A rows or outcomes record scanned whole into x, its strings ended;
 * false when it is not as the writer writes it (cJSON reads it then). */
bool journal_scan_rows(char *line, size_t len, struct scanned_vec *x);
bool journal_scan_outcomes(char *line, size_t len, struct scanned_vec *x);

/* ---- the sends' records (journal_sends.c) ---------------------------- */

/* Where each request's record is, in the send being read. */
struct journal_sends {
	long *off;
	size_t n, cap;
};
/* A request's send record at offset at, counted: the session's, and its
 * last send's unless aside (a verify's or an undo's, made after it). */
void journal_count_request(struct session *s, uint64_t req, struct journal_sends *x,
    long at, bool aside);
/* Whether a request of kind (len bytes) is a verify's or an undo's, and
 * whether a send line, as the writer writes it, is one's. */
bool journal_kind_aside(const char *kind, size_t len);
bool journal_send_aside(const char *line);
/* An answer record: counted as answered when an answer came whole. */
void journal_count_answer(struct session *s, bool came);
/* Whether an answer line, as the writer writes it, says an answer came. */
bool journal_answer_came(const char *line);
/* A later send of the session, as its resend record says. */
int journal_replay_resend(struct session *s, const cJSON *rec, char **cause);
/* rec's array key as row numbers (*v, the caller's to free): how many, or
 * SIZE_MAX when it is no array, or holds what is no row number. */
size_t journal_rows_read(const cJSON *rec, const char *key, uint32_t **v);
/* The rows of x's requests that have no outcome since are unconfirmed. */
/* The error the rows sent without a usable answer carry (local, in no
 * record of its own); its number. */
uint32_t journal_unconfirmed_mark(struct session *s);
void journal_mark_unconfirmed(struct session *s, FILE *f,
    const struct journal_sends *x);
/* An undo told to go on (its record at from) and not finished: the rows
 * its answered writes took back are undone (journal_undo.c).  How many. */
size_t journal_mark_undo_taken(struct session *s, FILE *f, long from);

#endif
