/* journal_sends.c: the journal's reader (journal_read.c) on the records
 * of a session's sends: each request's send and answer counted, a later
 * send replayed from its resend record, and the rows whose request left
 * without an outcome since marked unconfirmed. */
#include <stdio.h>
#include <string.h>

#include "journal_int.h"

static void
sends_add(struct journal_sends *x, long off)
{
	if (x->n == x->cap)
		x->off = xreallocarray(x->off, x->cap = x->cap ? x->cap * 2 : 64,
		    sizeof(*x->off));
	x->off[x->n++] = off;
}

void
journal_count_request(struct session *s, uint64_t req, struct journal_sends *x,
    long at, bool aside)
{
	s->sent++;
	/* Not the send's (before: a send of 3 requests read as 7 after its
	 * undo). */
	if (!aside)
		s->sends[s->nsends - 1].requests++;
	if (req > s->meta.last_req)
		s->meta.last_req = req;
	sends_add(x, at);
}

bool
journal_kind_aside(const char *kind, size_t len)
{
	return (len == 4 && strncmp(kind, "undo", 4) == 0) ||
	    (len == 6 && strncmp(kind, "verify", 6) == 0);
}

bool
journal_send_aside(const char *line)
{
	/* {"t":"send","req":N,"at":"...","kind":"undo", ...: near the start. */
	const char *k = strstr(line, "\"kind\":\"");

	if (k == NULL || k - line > 96)
		return false;
	k += 8;
	const char *end = strchr(k, '"');
	return end != NULL && journal_kind_aside(k, (size_t)(end - k));
}

/* An answer record: counted as answered when an answer came whole (no
 * failure: not a timeout, a reset, a cut body). */
void
journal_count_answer(struct session *s, bool came)
{
	if (!came)
		return;
	s->answered++;
	s->sends[s->nsends - 1].answered++;
}

/* Whether an answer line, as the writer writes it ({"t":"answer","req":N,
 * "status":S,"failure":null, or the failure's name), says an answer came. */
bool
journal_answer_came(const char *line)
{
	const char *p = strchr(line + sizeof(ANSWER_PREFIX) - 1, ',');
	static const char status[] = ",\"status\":", failure[] = ",\"failure\":\"";

	if (p == NULL || strncmp(p, status, sizeof(status) - 1) != 0)
		return true;
	p += sizeof(status) - 1;
	while (*p >= '0' && *p <= '9')
		p++;
	return strncmp(p, failure, sizeof(failure) - 1) != 0;
}

/* A later send of the session, as its resend record says. */
int
journal_replay_resend(struct session *s, const cJSON *rec, char **cause)
{
	uint64_t send = get_num(rec, "send");
	uint32_t *v;
	size_t n = journal_rows_read(rec, "rows", &v);
	int rc = -1;

	if (n == SIZE_MAX || send != s->nsends + 1) {
		*cause = xasprintf("send %zu is damaged", s->nsends + 1);
		goto done;
	}
	char *kind = get_str(rec, "kind"), *time = get_str(rec, "time");
	char *only = get_str(rec, "only");
	rc = session_apply_send(s, kind != NULL ? kind : "retry", time, only, v, n,
	    cause);
	free(kind);
	free(time);
	free(only);
done:
	free(v);
	s->meta.ended = false;
	return rc;
}

uint32_t
journal_unconfirmed_mark(struct session *s)
{
	return outcomes_add_error(&s->out, outcome_local_error(OUTCOME_CAT_UNCONFIRMED,
	    "sent, and the journal holds no usable answer: resume reads it back"),
	    PLAN_NONE, 0, true);
}

/* Rows whose request left and that have no outcome since (the sender died
 * before it decided them) are unconfirmed: the journal proves they left,
 * not that they arrived, nor that they did not.  A run that ends decides
 * every row itself, unconfirmed included. */
void
journal_mark_unconfirmed(struct session *s, FILE *f, const struct journal_sends *x)
{
	char *line = NULL;
	size_t cap = 0;
	uint32_t err = 0;

	for (size_t i = 0; i < x->n && s->out.count[OUTCOME_PENDING] > 0; i++) {
		if (fseek(f, x->off[i], SEEK_SET) != 0 || getline(&line, &cap, f) <= 0)
			continue;
		cJSON *rec = cJSON_Parse(line);
		const cJSON *rows = cJSON_GetObjectItemCaseSensitive(rec, "rows"), *r;
		cJSON_ArrayForEach(r, rows) {
			if (!cJSON_IsNumber(r) || r->valuedouble < 0 ||
			    r->valuedouble >= (double)s->out.n)
				continue;
			size_t row = (size_t)r->valuedouble;
			if (s->out.state[row] != OUTCOME_PENDING)
				continue;
			if (err == 0)
				err = journal_unconfirmed_mark(s);
			outcomes_set(&s->out, row, OUTCOME_UNCONFIRMED, 0, err);
		}
		cJSON_Delete(rec);
	}
	free(line);
}
