/* journal_send_rec.c: the journal's writer (journal.c) on the records of
 * a send as it goes: each request before it leaves, its answer, the
 * preflight's pre-state, warnings, outcomes, progress and the end. */
#include <unistd.h>

#include "journal_int.h"
#include "hubassoc/preflight.h"
#include "hubassoc/text.h"

/* A request's record: what it is (a create when kind is NULL), where it
 * goes (a create's and a read-back's are the session's own paths), its
 * rows and its body, synced before it leaves. */
static int
request_record(struct journal *j, uint64_t req, const char *kind,
    const char *method, const char *path, uint32_t chunk, unsigned attempt,
    const uint32_t *rows, size_t n, const char *body)
{
	struct buf *b = &j->line;
	char at[32];

	time_iso8601(at, 1);
	buf_addstr(b, SEND_PREFIX);
	buf_add_uint(b, req);
	add_str(b, "at", at);
	if (kind != NULL)
		add_str(b, "kind", kind);
	if (path != NULL) {
		add_str(b, "method", method);
		add_str(b, "path", path);
	}
	add_num(b, "chunk", chunk);
	add_num(b, "attempt", attempt);
	journal_add_rows(b, rows, n);
	/* The body is our own JSON: kept as it went. */
	add_key(b, "body");
	buf_addstr(b, body != NULL ? body : "null");
	buf_addc(b, '}');
	return journal_write_line(j, true);
}

int
journal_send(struct journal *j, uint64_t req, const char *kind, uint32_t chunk,
    unsigned attempt, const uint32_t *rows, size_t n, const char *body)
{
	return request_record(j, req, kind, NULL, NULL, chunk, attempt, rows, n, body);
}

int
journal_call(struct journal *j, uint64_t req, const char *kind, const char *method,
    const char *path, unsigned attempt, const char *body)
{
	return request_record(j, req, kind, method, path, 0, attempt, NULL, 0, body);
}

static void
add_pre_types(struct buf *b, const struct pre_type *t, size_t n)
{
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s\"%s:%u\"", i ? "," : "",
		    assoc_category_name(t[i].cat), t[i].type_id);
	buf_addc(b, ']');
}

int
journal_prestate(struct journal *j, const struct prestate *p, const uint32_t *rows,
    size_t n)
{
	for (size_t i = 0; i < n; i += JOURNAL_PRESTATE_BLOCK) {
		struct buf *b = &j->line;
		size_t end = n - i < JOURNAL_PRESTATE_BLOCK ? n : i + JOURNAL_PRESTATE_BLOCK;
		journal_rec_begin(b, JR_PRESTATE);
		buf_addstr(b, ",\"rows\":[");
		for (size_t k = i; k < end; k++) {
			const struct pre_row *r = &p->rows[rows[k]];
			buf_printf(b, "%s[%u,\"%s\",", k > i ? "," : "", rows[k],
			    pre_class_name((enum pre_class)r->cls));
			add_pre_types(b, r->types, r->ntypes);
			if (r->holder != NULL) {
				buf_addc(b, ',');
				json_add_string(b, r->holder);
				buf_printf(b, ",%u,", r->owner);
				add_pre_types(b, r->holder_types, r->nholder_types);
			}
			buf_addc(b, ']');
		}
		buf_addstr(b, "]}");
		if (journal_write_line(j, end == n) != 0)
			return -1;
	}
	return 0;
}

static const char *const failure_names[] = {
	[HTTP_OK] = NULL, [HTTP_TIMEOUT] = "timeout", [HTTP_CONNECT] = "connect",
	[HTTP_RESET] = "reset", [HTTP_TRUNCATED] = "truncated", [HTTP_TLS] = "tls",
	[HTTP_ABORTED] = "aborted", [HTTP_TOO_BIG] = "too_big", [HTTP_OTHER] = "other",
};

int
journal_warning(struct journal *j, uint64_t req, const char *message)
{
	struct buf *b = &j->line;

	journal_rec_begin(b, JR_WARNING);
	buf_printf(b, ",\"req\":%llu", (unsigned long long)req);
	add_str(b, "message", message);
	buf_addc(b, '}');
	return journal_write_line(j, false);
}

int
journal_answer(struct journal *j, uint64_t req, const struct http_result *res)
{
	struct buf *b = &j->line;

	buf_addstr(b, ANSWER_PREFIX);
	buf_add_uint(b, req);
	add_num(b, "status", (uint64_t)res->status);
	add_str(b, "failure", failure_names[res->failure]);
	add_str(b, "error", res->failure != HTTP_OK ? res->error : NULL);
	add_str(b, "headers", res->headers[0] ? res->headers : NULL);
	add_num(b, "ms", (uint64_t)res->ms);
	size_t keep = res->body.len;
	if (res->failure == HTTP_TOO_BIG) {
		/* An answer past the cap is kept by its head, size and hash: a
		 * 60 MB body tried twice made a 755 MB journal. */
		char hex[17];
		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)
		    hash_bytes(res->body.data, res->body.len, 0));
		add_num(b, "body_read", res->body.len);
		if (res->announced >= 0)
			add_num(b, "body_announced", (uint64_t)res->announced);
		add_str(b, "body_hash", hex);
		keep = keep < HTTP_BODY_HEAD ? keep : HTTP_BODY_HEAD;
		while (keep > 0 && keep < res->body.len &&
		    ((unsigned char)res->body.data[keep] & 0xc0) == 0x80)
			keep--;
	}
	add_key(b, "body");
	buf_addc(b, '"');
	json_escape(b, res->body.data != NULL ? res->body.data : "", keep);
	buf_addstr(b, "\"}");
	return journal_write_line(j, false);
}

int
journal_outcomes(struct journal *j, const struct outcomes *o, size_t first_err,
    size_t first_labels, const uint32_t *rows, size_t n)
{
	struct buf *b = &j->line;

	for (size_t e = first_err; e < o->nerrors; e++) {
		const struct outcome_error *oe = &o->errors[e];
		journal_rec_begin(b, JR_ERROR);
		buf_printf(b, ",\"n\":%zu,\"chunk\":%u,\"http\":%u,"
		    "\"local\":%s,\"error\":", e + 1, oe->chunk, oe->http_status,
		    oe->local ? "true" : "false");
		hs_error_json(b, oe->error);
		buf_addc(b, '}');
		if (journal_write_line(j, false) != 0)
			return -1;
	}
	for (size_t l = first_labels; l < o->nlabel_sets; l++) {
		journal_rec_begin(b, JR_LABELS);
		buf_printf(b, ",\"n\":%zu,\"v\":[", l + 1);
		for (size_t k = 0; k < o->label_sets[l].n; k++) {
			if (k > 0)
				buf_addc(b, ',');
			json_add_string(b, o->label_sets[l].v[k]);
		}
		buf_addstr(b, "]}");
		if (journal_write_line(j, false) != 0)
			return -1;
	}
	if (n > 0) {
		buf_addstr(b, OUTCOMES_HEAD);
		for (size_t i = 0; i < n; i++) {
			uint32_t r = rows[i];
			buf_printf(b, "%s[%u,\"%s\",%u,%u,%u]", i ? "," : "", r,
			    outcome_name((enum outcome)o->state[r]), o->http[r], o->err[r],
			    o->labels[r]);
		}
		buf_addstr(b, "]}");
		if (journal_write_line(j, false) != 0)
			return -1;
	}
	return fsync(j->fd);
}

int
journal_progress(struct journal *j, const struct outcomes *o)
{
	journal_rec_begin(&j->line, JR_PROGRESS);
	add_num(&j->line, "send", j->send);
	journal_add_counts(&j->line, o);
	buf_addc(&j->line, '}');
	return journal_write_line(j, false);
}

int
journal_end(struct journal *j, const char *state, int exit_status,
    const struct outcomes *o)
{
	char when[32];

	time_iso8601(when, 0);
	journal_rec_begin(&j->line, JR_END);
	add_str(&j->line, "time", when);
	add_str(&j->line, "state", state);
	add_num(&j->line, "exit", (uint64_t)exit_status);
	add_num(&j->line, "send", j->send);
	journal_add_counts(&j->line, o);
	buf_addc(&j->line, '}');
	return journal_write_line(j, true);
}

