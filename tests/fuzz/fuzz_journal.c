/*
 * fuzz_journal: a session read back from a damaged journal.
 *
 * A crash cuts the last line; a disk, a sync tool or a hand edit can do
 * worse.  Whatever the file holds, journal_load either refuses it with a
 * reason or gives a session that hangs together: as many plan entries and
 * outcomes as rows, chunks that hold rows of the session, outcome counts
 * that add up, every error reference in range.  journal_peek (history)
 * must read it too.
 *
 * The loader scans its own rows and outcomes records without cJSON and
 * gives cJSON any line that is not exactly as written; a space after each
 * line's first brace keeps every line from the scanner, and the session
 * read that way must be the same.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "hubassoc/journal.h"
#include "hubassoc/session.h"

static char path[512];
static int fd = -1;

static void
remove_file(void)
{
	unlink(path);
}

static void
check_session(const struct session *s)
{
	size_t n = s->in->nrows, total = 0;

	FUZZ_CHECK(s->plan.nrows == n && s->out.n == n,
	    "%zu rows, a plan of %zu, %zu outcomes", n, s->plan.nrows, s->out.n);
	for (int k = 0; k < OUTCOME_COUNT; k++)
		total += s->out.count[k];
	FUZZ_CHECK(total == n, "outcome counts add up to %zu of %zu", total, n);
	for (size_t c = 0; c < s->plan.nchunks; c++) {
		size_t k;
		const uint32_t *rows = plan_chunk_rows(&s->plan, c, &k);
		for (size_t i = 0; i < k; i++)
			FUZZ_CHECK(rows[i] < n && s->plan.state[rows[i]] == PLAN_SEND,
			    "chunk %zu holds row %u", c, rows[i]);
	}
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(s->out.state[i] < OUTCOME_COUNT, "row %zu's outcome", i);
		FUZZ_CHECK(s->out.err[i] <= s->out.nerrors, "row %zu's error", i);
		FUZZ_CHECK(s->out.labels[i] <= s->out.nlabel_sets, "row %zu's labels", i);
		FUZZ_CHECK(s->in->rows[i].set < s->in->nsets || s->in->nsets == 0,
		    "row %zu's types", i);
		FUZZ_CHECK(s->plan.state[i] <= PLAN_EARLIER, "row %zu's plan", i);
		if (s->plan.state[i] == PLAN_DUPLICATE || s->plan.why[i] == INPUT_CONFLICT)
			FUZZ_CHECK(s->plan.other[i] < i, "row %zu repeats row %u", i,
			    s->plan.other[i]);
		(void)input_from(s->in, &s->in->rows[i]);
		(void)input_to(s->in, &s->in->rows[i]);
	}
}

static void
same_session(const struct session *a, const struct session *b)
{
	size_t n = a->in->nrows;

	/* Requests and answers are only counted, from their first bytes, and
	 * a damaged one may count where cJSON would call it damage: those
	 * counts are for show; rows, plan and outcomes must agree. */
	FUZZ_CHECK(n == b->in->nrows && a->out.nerrors == b->out.nerrors &&
	    a->out.nlabel_sets == b->out.nlabel_sets && a->plan.nchunks == b->plan.nchunks,
	    "scanned and parsed sessions differ in size");
	FUZZ_CHECK(memcmp(a->out.count, b->out.count, sizeof(a->out.count)) == 0,
	    "scanned and parsed sessions count other outcomes");
	for (size_t i = 0; i < n; i++) {
		const struct input_row *x = &a->in->rows[i], *y = &b->in->rows[i];
		FUZZ_CHECK(x->line == y->line && x->status == y->status &&
		    x->reason == y->reason && x->field == y->field && x->set == y->set &&
		    strcmp(input_from(a->in, x), input_from(b->in, y)) == 0 &&
		    strcmp(input_to(a->in, x), input_to(b->in, y)) == 0 &&
		    strcmp(input_detail(a->in, x), input_detail(b->in, y)) == 0,
		    "row %zu differs when scanned", i);
		FUZZ_CHECK(a->plan.state[i] == b->plan.state[i] &&
		    a->plan.why[i] == b->plan.why[i] && a->plan.chunk[i] == b->plan.chunk[i] &&
		    a->plan.other[i] == b->plan.other[i] && a->out.state[i] == b->out.state[i] &&
		    a->out.http[i] == b->out.http[i] && a->out.err[i] == b->out.err[i] &&
		    a->out.labels[i] == b->out.labels[i],
		    "row %zu's plan or outcome differs when scanned", i);
	}
}

static int
load(const uint8_t *data, size_t size, struct session *s, char **cause)
{
	*cause = NULL;
	FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size,
	    "cannot write %s", path);
	return journal_load(path, s, cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0 && (fd = memfd_create("fuzz-journal", 0)) >= 0)
		/* In memory: a file's syncs and metadata would be most of the time. */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fd < 0) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/hubassoc-fuzz-journal-XXXXXX",
		    tmp != NULL && *tmp != '\0' && strlen(tmp) < 400 ? tmp : "/tmp");
		fd = mkstemp(path);
		FUZZ_CHECK(fd >= 0, "no temporary file");
		atexit(remove_file);
	}
	/* The same lines, each "{" at a line's start followed by a space. */
	uint8_t *spaced = malloc(size * 2 + 1);
	size_t k = 0;
	FUZZ_CHECK(spaced != NULL, "no memory");
	for (size_t i = 0; i < size; i++) {
		spaced[k++] = data[i];
		if (data[i] == '{' && (i == 0 || data[i - 1] == '\n'))
			spaced[k++] = ' ';
	}

	struct session s, t;
	char *cause = NULL, *cause2 = NULL;
	int rc = load(spaced, k, &t, &cause2);
	free(spaced);
	if (load(data, size, &s, &cause) == 0) {
		check_session(&s);
		FUZZ_CHECK(rc == 0, "refused only when parsed: %s", cause2);
		same_session(&s, &t);
		session_free(&s);
		session_free(&t);
	} else {
		FUZZ_CHECK(cause != NULL && *cause != '\0', "refused without a reason");
		FUZZ_CHECK(rc != 0 && strcmp(cause, cause2) == 0,
		    "refused only when scanned: %s", cause);
		free(cause);
		free(cause2);
	}
	struct journal_meta m;
	cause = NULL;
	if (journal_peek(path, &m, &cause) == 0)
		journal_meta_free(&m);
	free(cause);
	return 0;
}
