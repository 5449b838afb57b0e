/*
 * journal_scan.c: the journal's own records read without cJSON.  Rows,
 * outcomes, requests and answers are most of a big session, and a tree
 * of a dozen nodes a row made opening a million-row session take
 * seconds.  The scanner takes exactly what the writer writes (no spaces,
 * numbers of up to 15 digits, strings without escapes where rows are
 * concerned); anything else, from damage, a hand edit or a string that
 * needed escapes, is cJSON's to read, so both read the same.  A line is
 * scanned whole before any of it is used.
 */
#include <stdio.h>

#include "journal_int.h"

/* The request and answer records as the writer wrote them: their head
 * read field by field, the bodies not. */
static bool
scan_request(char *line, size_t len, struct journal_req_info *x)
{
	struct scan sc = { line + sizeof(SEND_PREFIX) - 1, line + len };
	char at[32], method[16], path[512];
	uint64_t v;

	if (!scan_num(&sc, &x->req) || !scan_key(&sc, "at") ||
	    !scan_any_str(&sc, at, sizeof(at)))
		return false;
	if (scan_key(&sc, "kind") && !scan_any_str(&sc, x->kind, sizeof(x->kind)))
		return false;
	/* A call's own method and path (journal_call); the detail reads them. */
	if (scan_key(&sc, "method") && (!scan_any_str(&sc, method, sizeof(method)) ||
	    !scan_key(&sc, "path") || !scan_any_str(&sc, path, sizeof(path))))
		return false;
	if (!scan_key(&sc, "chunk") || !scan_num(&sc, &v))
		return false;
	x->chunk = (unsigned)v;
	if (!scan_key(&sc, "attempt") || !scan_num(&sc, &v) || !scan_key(&sc, "rows") ||
	    !scan_char(&sc, '['))
		return false;
	x->attempt = (unsigned)v;
	while (!scan_char(&sc, ']')) {
		if ((x->inputs > 0 && !scan_char(&sc, ',')) || !scan_num(&sc, &v))
			return false;
		x->inputs++;
	}
	/* HH:MM:SS.mmm of the ISO 8601 time. */
	const char *t = strchr(at, 'T');
	if (t != NULL)
		snprintf(x->at, sizeof(x->at), "%.*s", (int)strcspn(t + 1, "Z"), t + 1);
	return true;
}

static bool
scan_answer(char *line, size_t len, struct journal_req_info *x)
{
	struct scan sc = { line + sizeof(ANSWER_PREFIX) - 1, line + len };
	uint64_t v;

	if (!scan_num(&sc, &x->req) || !scan_key(&sc, "status") || !scan_num(&sc, &v))
		return false;
	x->status = (int)v;
	if (!scan_key(&sc, "failure") ||
	    !scan_any_str(&sc, x->failure, sizeof(x->failure)) ||
	    !scan_key(&sc, "error") || !scan_any_str(&sc, NULL, 0) ||
	    !scan_key(&sc, "headers") || !scan_any_str(&sc, NULL, 0) ||
	    !scan_key(&sc, "ms") || !scan_num(&sc, &v))
		return false;
	x->ms = (unsigned)v;
	return true;
}

int
journal_scan_requests(const char *path, struct journal_scan_pos *pos,
    void (*fn)(void *arg, const struct journal_req_info *x), void *arg)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (f == NULL || fseek(f, pos->off, SEEK_SET) != 0) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] != '\n')
			break;   /* being written */
		struct journal_req_info x = { .off = pos->off, .send = pos->send };
		bool send = strncmp(line, SEND_PREFIX, sizeof(SEND_PREFIX) - 1) == 0;
		x.answer = strncmp(line, ANSWER_PREFIX, sizeof(ANSWER_PREFIX) - 1) == 0;
		if ((send && scan_request(line, (size_t)len, &x)) ||
		    (x.answer && scan_answer(line, (size_t)len, &x)))
			fn(arg, &x);
		/* {"t":"resend","send":N: the requests after it are send N's. */
		struct scan sc = { line + sizeof(RESEND_HEAD) - 1, line + len };
		uint64_t n;
		if (strncmp(line, RESEND_HEAD, sizeof(RESEND_HEAD) - 1) == 0 &&
		    scan_key(&sc, "send") && scan_num(&sc, &n) && n <= SESSION_SENDS_MAX)
			pos->send = (unsigned)n;
		pos->off += len;
	}
	free(line);
	fclose(f);
	return 0;
}


/* Literal text next, taken: the common codes are read as whole words. */
#define SCAN_LIT(sc, lit) ((sc)->end - (sc)->p >= (ptrdiff_t)sizeof(lit) - 1 && \
    memcmp((sc)->p, lit, sizeof(lit) - 1) == 0 && ((sc)->p += sizeof(lit) - 1, true))

/* A row's field i and its comma: a number, or a name where version 3
 * writes one. */
static bool
scan_row_value(struct scan *sc, int i, struct scanned *e)
{
	char *s;
	size_t n;

	if (row_code_at(i) >= 0 && sc->p < sc->end && *sc->p == '"') {
		if (!scan_str(sc, &s, &n) || !journal_row_code((enum row_code)row_code_at(i),
		    s, n, &e->v[i], &e->why))
			return false;
	} else if (!scan_num(sc, &e->v[i])) {
		return false;
	}
	return scan_char(sc, ',');
}

bool
journal_scan_rows(char *line, size_t len, struct scanned_vec *x)
{
	struct scan sc = { line + sizeof(ROWS_HEAD) - 1, line + len };
	uint64_t first;

	x->n = 0;
	if (!scan_num(&sc, &first) || !scan_char(&sc, ',') ||
	    sc.end - sc.p < 8 || memcmp(sc.p, "\"rows\":[", 8) != 0)
		return false;
	sc.p += 8;
	do {
		struct scanned *e = scanned_next(x);
		if (!scan_char(&sc, '['))
			return false;
		e->why = INPUT_OK;
		/* Most rows are valid, ok and sent: their words read at once. */
		if (!scan_row_value(&sc, 0, e))
			return false;
		if (SCAN_LIT(&sc, "\"valid\",\"ok\","))
			e->v[1] = e->v[2] = 0;
		else if (!scan_row_value(&sc, 1, e) || !scan_row_value(&sc, 2, e))
			return false;
		if (!scan_row_value(&sc, 3, e) || !scan_row_value(&sc, 4, e))
			return false;
		if (SCAN_LIT(&sc, "\"send\","))
			e->v[5] = 0;
		else if (!scan_row_value(&sc, 5, e))
			return false;
		if (!scan_row_value(&sc, 6, e))
			return false;
		for (int k = 0; k < 3; k++)
			if (!scan_str(&sc, &e->str[k], &e->len[k]) ||
			    !scan_char(&sc, k < 2 ? ',' : ']'))
				return false;
	} while (scan_char(&sc, ','));
	if (!scan_end(&sc))
		return false;
	scanned_terminate(x, 3);
	return true;
}

bool
journal_scan_outcomes(char *line, size_t len, struct scanned_vec *x)
{
	struct scan sc = { line + sizeof(OUTCOMES_HEAD) - 1, line + len };

	x->n = 0;
	do {
		struct scanned *e = scanned_next(x);
		if (!scan_char(&sc, '[') || !scan_num(&sc, &e->v[0]) ||
		    !scan_char(&sc, ',') || !scan_str(&sc, &e->str[0], &e->len[0]))
			return false;
		for (int i = 1; i < 4; i++)
			if (!scan_char(&sc, ',') || !scan_num(&sc, &e->v[i]))
				return false;
		if (!scan_char(&sc, ']'))
			return false;
	} while (scan_char(&sc, ','));
	if (!scan_end(&sc))
		return false;
	scanned_terminate(x, 1);
	return true;
}

/* The record that starts at off, parsed; NULL when there is none. */
static cJSON *
record_at(FILE *f, long off)
{
	char *line = NULL;
	size_t cap = 0;
	cJSON *rec = NULL;

	if (off >= 0 && fseek(f, off, SEEK_SET) == 0 && getline(&line, &cap, f) > 0)
		rec = cJSON_Parse(line);
	free(line);
	return rec;
}

int
journal_read_exchange(const char *path, long send_off, long answer_off,
    struct journal_exchange *x)
{
	FILE *f = fopen(path, "r");
	cJSON *send, *ans;

	memset(x, 0, sizeof(*x));
	if (f == NULL)
		return -1;
	send = record_at(f, send_off);
	ans = record_at(f, answer_off);
	fclose(f);
	x->method = get_str(send, "method");
	x->path = get_str(send, "path");
	x->kind = get_str(send, "kind");
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(send, "body");
	if (body != NULL && !cJSON_IsNull(body))      /* a GET's: none */
		x->body = cJSON_PrintUnformatted(body);
	if (ans != NULL) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(ans, "status");
		x->answered = true;
		x->status = cJSON_IsNumber(st) ? st->valueint : 0;
		x->failure = get_str(ans, "error");
		x->headers = get_str(ans, "headers");
		x->answer = get_str(ans, "body");
	}
	cJSON_Delete(send);
	cJSON_Delete(ans);
	return send != NULL ? 0 : -1;
}

void
journal_exchange_free(struct journal_exchange *x)
{
	free(x->method);
	free(x->path);
	free(x->kind);
	cJSON_free(x->body);
	free(x->failure);
	free(x->headers);
	free(x->answer);
	memset(x, 0, sizeof(*x));
}
