/*
 * fuzz_journal: a session read back from a damaged journal.
 *
 * A crash cuts the last line; a disk, a sync tool or a hand edit can do
 * worse.  Whatever the file holds, journal_load either refuses it with a
 * reason or gives a session that hangs together: as many plan entries and
 * outcomes as rows, chunks that hold rows of the session, outcome counts
 * that add up, every error reference in range.  journal_peek (history)
 * must read it too.
 */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "hubassoc/journal.h"

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
		FUZZ_CHECK(s->plan.state[i] <= PLAN_DUPLICATE, "row %zu's plan", i);
		if (s->plan.state[i] == PLAN_DUPLICATE)
			FUZZ_CHECK(s->plan.ref[i] < n, "row %zu repeats row %u", i,
			    s->plan.ref[i]);
		(void)input_from(s->in, &s->in->rows[i]);
		(void)input_to(s->in, &s->in->rows[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/hubassoc-fuzz-journal-XXXXXX",
		    tmp != NULL && *tmp != '\0' && strlen(tmp) < 400 ? tmp : "/tmp");
		fd = mkstemp(path);
		FUZZ_CHECK(fd >= 0, "no temporary file");
		atexit(remove_file);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size,
	    "cannot write %s", path);

	struct session s;
	char *cause = NULL;
	if (journal_load(path, &s, &cause) == 0) {
		check_session(&s);
		session_free(&s);
	} else {
		FUZZ_CHECK(cause != NULL && *cause != '\0', "refused without a reason");
		free(cause);
	}
	struct journal_meta m;
	cause = NULL;
	if (journal_peek(path, &m, &cause) == 0)
		journal_meta_free(&m);
	free(cause);
	return 0;
}
