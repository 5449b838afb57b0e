/*
 * journal_undo.c: what an undo stopped half way took back, read from its
 * requests and their answers.  The journal keeps each request's body and
 * its answer; the pairs of an archive, or of a labels archive (a
 * remove's undo: of a create giving types back), answered without an
 * error, were taken back, and their rows are undone (session_mark_taken)
 * as the undo's end would have them (before: created until it was
 * finished, whatever the portal held).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"
#include "hubassoc/undo.h"

struct taken {
	uint64_t *ok;             /* requests answered without an error */
	size_t nok;
	struct cand { uint64_t req; char *key; } *c;
	size_t nc;
};

static void
add_cand(struct taken *t, uint64_t req, const char *from, const char *to)
{
	t->c = xreallocarray(t->c, t->nc + 1, sizeof(*t->c));
	t->c[t->nc++] = (struct cand){ req, session_taken_key(from, to) };
}

/* An undo's write: its pairs, as candidates until its answer says. */
static void
read_send(struct taken *t, const char *line, enum plan_op op)
{
	cJSON *rec = cJSON_Parse(line);
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(rec, "kind");
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(rec, "path");
	const cJSON *in, *inputs = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(rec, "body"), "inputs");
	uint64_t req = get_num(rec, "req");
	enum undo_kind k;

	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "undo") != 0 ||
	    !cJSON_IsString(path) || !undo_kind_of_path(path->valuestring, &k) ||
	    !undo_kind_takes_back(k, op)) {
		cJSON_Delete(rec);
		return;
	}
	cJSON_ArrayForEach(in, inputs) {
		const char *from = get_str_ref(cJSON_GetObjectItemCaseSensitive(in,
		    "from"), "id");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(in, "to"), *x;
		if (from == NULL)
			continue;
		/* An archive's "to" is an array; a labels archive's, one. */
		if (cJSON_IsArray(to)) {
			cJSON_ArrayForEach(x, to)
				if (get_str_ref(x, "id") != NULL)
					add_cand(t, req, from, get_str_ref(x, "id"));
		} else if (get_str_ref(to, "id") != NULL) {
			add_cand(t, req, from, get_str_ref(to, "id"));
		}
	}
	cJSON_Delete(rec);
}

/* An answer: taken when it is a success that names no error (a 207
 * names some: not known which). */
static void
read_answer(struct taken *t, const char *line)
{
	cJSON *rec = cJSON_Parse(line);
	uint64_t status = get_num(rec, "status");
	const cJSON *failure = cJSON_GetObjectItemCaseSensitive(rec, "failure");

	if (status >= 200 && status < 300 && status != 207 &&
	    (failure == NULL || cJSON_IsNull(failure))) {
		t->ok = xreallocarray(t->ok, t->nok + 1, sizeof(*t->ok));
		t->ok[t->nok++] = get_num(rec, "req");
	}
	cJSON_Delete(rec);
}

static int
req_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t
journal_mark_undo_taken(struct session *s, FILE *f, long from)
{
	struct taken t = { 0 };
	char *line = NULL;
	size_t cap = 0, marked = 0;
	ssize_t len;

	if (fseek(f, from, SEEK_SET) != 0)
		return 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, SEND_PREFIX, sizeof(SEND_PREFIX) - 1) == 0 &&
		    journal_send_aside(line))
			read_send(&t, line, s->plan.op);
		else if (strncmp(line, ANSWER_PREFIX, sizeof(ANSWER_PREFIX) - 1) == 0)
			read_answer(&t, line);
	}
	free(line);
	if (t.nok > 0)
		qsort(t.ok, t.nok, sizeof(*t.ok), req_cmp);
	char **keys = xcalloc(t.nc + 1, sizeof(*keys));
	size_t n = 0;
	for (size_t i = 0; i < t.nc; i++) {
		if (t.nok > 0 &&
		    bsearch(&t.c[i].req, t.ok, t.nok, sizeof(*t.ok), req_cmp) != NULL)
			keys[n++] = t.c[i].key;
		else
			free(t.c[i].key);
	}
	marked = session_mark_taken(s, keys, n);
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(t.c);
	free(t.ok);
	return marked;
}
