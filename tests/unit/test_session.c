/* test_session.c: a session's rows and states across its sends, as the
 * journal records them and reads them back. */
#include "testutil.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "hubassoc/explain.h"
#include "hubassoc/session.h"
#include "planfx.h"

static char state_dir[] = "/tmp/hubassoc-test-session-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return test_state_home(state_dir);
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_tree(state_dir);
}

/* Rows: 0 created, 1 failed, 2 invalid, 3 duplicate of 0, 4 failed, 5 not
 * sent.  Chunks of 2. */
#define ROWS "101,201\n102,202\nx,203\n101,201\n104,204\n105,205\n"

static void
sum_is_rows(const struct session *s)
{
	size_t sum = 0;

	for (int i = 0; i < OUTCOME_COUNT; i++)
		sum += s->out.count[i];
	assert_int_equal(sum, s->in->nrows);
}

/* A journal of send 1 with the outcomes above; its path. */
static char *
first_send(struct planfx *f)
{
	struct journal_meta meta = { 0 };
	struct outcomes o;
	char *cause = NULL;

	planfx_build(f, ROWS, "contacts", "companies", "279", 2);
	meta.profile = xstrdup("default");
	meta.base_url = xstrdup("http://127.0.0.1:1");
	meta.api_version = xstrdup("v4");
	meta.input_name = xstrdup("t.csv");
	meta.types = xstrdup("279");
	struct journal *j = journal_create(&meta, f->in, &f->plan, &cause);
	assert_non_null(j);
	outcomes_init(&o, &f->plan, false);
	uint32_t err = outcomes_add_error(&o, outcome_local_error("VALIDATION_ERROR",
	    "One or more associations are invalid"), 0, 400, false);
	outcomes_set(&o, 0, OUTCOME_CREATED, 201, 0);
	outcomes_set(&o, 1, OUTCOME_FAILED, 400, err);
	outcomes_set(&o, 4, OUTCOME_FAILED, 400, err);
	outcomes_set(&o, 5, OUTCOME_NOT_SENT, 0, 0);
	uint32_t rows[] = { 0, 1, 4, 5 };
	uint32_t sent[] = { 0, 1 };
	assert_int_equal(journal_send(j, 1, NULL, 0, 1, sent, 2, "{}"), 0);
	assert_int_equal(journal_outcomes(j, &o, 0, 0, rows, 4), 0);
	assert_int_equal(journal_end(j, "gave_up", 4, &o), 0);
	char *path = xstrdup(journal_path(j));
	journal_close(j);
	outcomes_free(&o);
	journal_meta_free(&meta);
	return path;
}

static void
load(const char *path, struct session *s)
{
	char *cause = NULL;

	if (journal_load(path, s, &cause) != 0)
		fail_msg("%s", cause);
	sum_is_rows(s);
}

/* A journal's line appended as is. */
static void
append(const char *path, const char *line)
{
	FILE *fp = fopen(path, "a");
	assert_non_null(fp);
	fputs(line, fp);
	fclose(fp);
}

static void
test_first_send(void **state)
{
	(void)state;
	struct planfx f;
	struct session s;
	char *path = first_send(&f);

	load(path, &s);
	assert_int_equal(s.nsends, 1);
	assert_int_equal(s.meta.sends, 1);
	assert_string_equal(s.sends[0].kind, "send");
	assert_string_equal(s.sends[0].state, "gave_up");
	assert_int_equal(s.sends[0].rows, 6);
	assert_int_equal(s.out.count[OUTCOME_CREATED], 1);
	assert_int_equal(s.out.count[OUTCOME_FAILED], 2);
	assert_int_equal(s.out.count[OUTCOME_NOT_SENT], 1);
	/* Each row is send 1's; the sent ones were tried once. */
	assert_int_equal(s.send_of[2], 1);
	assert_int_equal(s.tries[0], 1);
	assert_int_equal(s.tries[2], 0);    /* invalid: never sent */
	assert_int_equal(s.tries[3], 0);    /* duplicate */
	assert_int_equal(s.chunk_of[4], 1);
	assert_int_equal(s.chunk_of[2], PLAN_NONE);
	/* A retry takes exactly the failed and not_sent rows. */
	uint32_t *rows;
	size_t n = session_retry_rows(&s, 1u << OUTCOME_FAILED | 1u << OUTCOME_NOT_SENT,
	    &rows);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0], 1);
	assert_int_equal(rows[1], 4);
	assert_int_equal(rows[2], 5);
	free(rows);
	n = session_retry_rows(&s, 1u << OUTCOME_NOT_SENT, &rows);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0], 5);
	free(rows);
	assert_false(session_unfinished(&s));
	session_free(&s);
	free(path);
	planfx_free(&f);
}

/* Send 2 takes the failed and not_sent rows; states are the latest across
 * sends, and each send keeps its own outcomes. */
static void
test_retry_across_sends(void **state)
{
	(void)state;
	struct planfx f;
	struct session s;
	char *path = first_send(&f), *cause = NULL;

	load(path, &s);
	uint32_t *rows;
	size_t n = session_retry_rows(&s, 1u << OUTCOME_FAILED | 1u << OUTCOME_NOT_SENT,
	    &rows);
	struct journal *j = journal_reopen(path, &cause);
	assert_non_null(j);
	assert_int_equal(journal_resend(j, 2, "retry", "failed,not_sent", rows, n,
	    &cause), 0);
	assert_int_equal(session_apply_send(&s, "retry", NULL, "failed,not_sent",
	    rows, n, &cause), 0);
	sum_is_rows(&s);
	/* The plan is send 2's: its three rows in two chunks of 2. */
	assert_int_equal(s.plan.nsend, 3);
	assert_int_equal(s.plan.nchunks, 2);
	assert_int_equal(s.plan.state[0], PLAN_EARLIER);
	assert_int_equal(s.plan.state[2], PLAN_INVALID);
	assert_int_equal(s.plan.state[3], PLAN_DUPLICATE);
	assert_int_equal(s.out.count[OUTCOME_PENDING], 3);
	assert_int_equal(s.out.state[0], OUTCOME_CREATED);
	assert_true(session_unfinished(&s));
	/* Rows 1 and 4 are created now, row 5 fails. */
	uint32_t err = outcomes_add_error(&s.out, outcome_local_error("X", "y"), 1,
	    400, false);
	outcomes_set(&s.out, 1, OUTCOME_CREATED, 201, 0);
	outcomes_set(&s.out, 4, OUTCOME_CREATED, 201, 0);
	outcomes_set(&s.out, 5, OUTCOME_FAILED, 400, err);
	assert_int_equal(journal_outcomes(j, &s.out, err - 1, 0, rows, n), 0);
	assert_int_equal(journal_end(j, "complete", 1, &s.out), 0);
	journal_close(j);
	free(rows);
	session_free(&s);

	load(path, &s);
	assert_int_equal(s.nsends, 2);
	assert_int_equal(s.meta.sends, 2);
	assert_string_equal(s.sends[1].kind, "retry");
	assert_string_equal(s.sends[1].only, "failed,not_sent");
	assert_non_null(s.sends[1].started);
	assert_int_equal(s.out.count[OUTCOME_CREATED], 3);
	assert_int_equal(s.out.count[OUTCOME_FAILED], 1);
	assert_int_equal(s.out.count[OUTCOME_NOT_SENT], 0);
	assert_int_equal(s.send_of[0], 1);
	assert_int_equal(s.send_of[1], 2);
	assert_int_equal(s.tries[1], 2);
	assert_int_equal(s.tries[0], 1);
	assert_int_equal(s.chunk_of[5], 1);
	/* Each send's own outcomes add up to the rows it held. */
	size_t c1[OUTCOME_COUNT], c2[OUTCOME_COUNT];
	session_send_counts(&s, 0, c1);
	session_send_counts(&s, 1, c2);
	assert_int_equal(c1[OUTCOME_CREATED], 1);
	assert_int_equal(c1[OUTCOME_FAILED], 2);
	assert_int_equal(c1[OUTCOME_NOT_SENT], 1);
	assert_int_equal(c1[OUTCOME_INVALID] + c1[OUTCOME_DUPLICATE], 2);
	assert_int_equal(c2[OUTCOME_CREATED], 2);
	assert_int_equal(c2[OUTCOME_FAILED], 1);
	size_t total = 0;
	for (int i = 0; i < OUTCOME_COUNT; i++)
		total += c2[i];
	assert_int_equal(total, 3);
	/* The next retry never offers what is created. */
	n = session_retry_rows(&s, 1u << OUTCOME_FAILED | 1u << OUTCOME_NOT_SENT, &rows);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0], 5);
	free(rows);
	/* History's cheap reading agrees. */
	struct journal_meta m;
	assert_int_equal(journal_peek(path, &m, &cause), 0);
	assert_int_equal(m.sends, 2);
	assert_int_equal(m.counts[OUTCOME_CREATED], 3);
	journal_meta_free(&m);
	session_free(&s);
	free(path);
	planfx_free(&f);
}

/* A send killed after its request left: its rows are unconfirmed, but the
 * request records of the send before do not make its rows so. */
static void
test_killed_retry(void **state)
{
	(void)state;
	struct planfx f;
	struct session s;
	char *path = first_send(&f), *cause = NULL;

	append(path, "{\"t\":\"resend\",\"send\":2,\"kind\":\"retry\",\"rows\":[1,4,5]}\n"
	    "{\"t\":\"send\",\"req\":2,\"chunk\":1,\"attempt\":1,\"rows\":[5],\"body\":{}}\n");
	load(path, &s);
	assert_int_equal(s.nsends, 2);
	assert_null(s.sends[1].state);
	assert_int_equal(s.sends[1].requests, 1);
	assert_int_equal(s.out.state[5], OUTCOME_UNCONFIRMED);
	/* Rows 0 and 1 went in send 1's request 1; row 0 stays created, row
	 * 1 is pending in send 2, not unconfirmed. */
	assert_int_equal(s.out.state[0], OUTCOME_CREATED);
	assert_int_equal(s.out.state[1], OUTCOME_PENDING);
	assert_int_equal(s.out.count[OUTCOME_PENDING], 2);
	assert_true(session_unfinished(&s));
	assert_int_equal(s.meta.last_req, 2);
	/* A resume takes only send 2's rows. */
	assert_int_equal(outcomes_requeue(&s.out, &s.plan), 3);
	session_free(&s);
	/* History counts what the journal proves, not the header's rows. */
	struct journal_meta m;
	assert_int_equal(journal_peek(path, &m, &cause), 0);
	assert_string_equal(m.state, "unfinished");
	assert_int_equal(m.counts[OUTCOME_CREATED], 1);
	assert_int_equal(m.counts[OUTCOME_PENDING], 2);
	assert_int_equal(m.counts[OUTCOME_UNCONFIRMED], 1);
	journal_meta_free(&m);
	free(path);
	planfx_free(&f);
}

/* A resend naming rows no send holds, or out of order, is damage: the
 * journal is refused, not half read. */
static void
test_damaged_resend(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"t\":\"resend\",\"send\":2,\"rows\":[2]}\n",       /* invalid row */
		"{\"t\":\"resend\",\"send\":2,\"rows\":[99]}\n",      /* no such row */
		"{\"t\":\"resend\",\"send\":2,\"rows\":[1,1]}\n",     /* twice */
		"{\"t\":\"resend\",\"send\":3,\"rows\":[1]}\n",       /* a gap */
		"{\"t\":\"resend\",\"send\":2,\"rows\":[\"1\"]}\n",   /* not a number */
		"{\"t\":\"resend\",\"send\":2}\n",                    /* no rows */
	};
	for (size_t i = 0; i < HA_ARRAY_LEN(bad); i++) {
		struct planfx f;
		struct session s;
		char *path = first_send(&f), *cause = NULL;
		append(path, bad[i]);
		assert_int_equal(journal_load(path, &s, &cause), -1);
		assert_non_null(strstr(cause, "send"));
		free(cause);
		free(path);
		planfx_free(&f);
	}
}

/* Rows fixed between sends: recorded, replayed, and sent by the next
 * send; a created row cannot change. */
static void
test_edits(void **state)
{
	(void)state;
	struct planfx f;
	struct session s;
	char *path = first_send(&f), *cause = NULL;

	load(path, &s);
	assert_int_equal(session_apply_edit(&s, 0, "109,209,HUBSPOT_DEFINED:279", NULL,
	    &cause), -1);                              /* created */
	free(cause);
	cause = NULL;
	assert_int_equal(session_apply_edit(&s, 3, "109,209", NULL, &cause),
	    -1);                                       /* a repeat */
	free(cause);
	cause = NULL;
	struct journal *j = journal_reopen(path, &cause);
	assert_non_null(j);
	/* The invalid row 2 fixed, the failed row 1 given another company
	 * and a labelled type. */
	assert_int_equal(journal_edit(j, 2, "103,203,HUBSPOT_DEFINED:279", NULL), 0);
	/* ...fixed by keys, which stay beside its IDs (before: lost). */
	const char *keys[2] = { "email:jane@x.com", "domain:acme.com" };
	assert_int_equal(journal_edit(j, 1, "102,299,USER_DEFINED:36", keys), 0);
	uint32_t rows[] = { 1, 2 };
	assert_int_equal(journal_resend(j, 2, "retry", "failed,edited", rows, 2,
	    &cause), 0);
	journal_close(j);
	session_free(&s);
	load(path, &s);
	assert_string_equal(input_from(s.in, &s.in->rows[2]), "103");
	assert_int_equal(s.in->rows[2].line, 3);   /* its line kept */
	assert_string_equal(input_to(s.in, &s.in->rows[1]), "299");
	assert_true(s.in->rows[1].flags & INPUT_ROW_KEYS);
	assert_string_equal(input_row_key(s.in, &s.in->rows[1], 0), "email:jane@x.com");
	assert_string_equal(input_row_key(s.in, &s.in->rows[1], 1), "domain:acme.com");
	assert_true(s.keyed);
	assert_false(s.in->rows[2].flags & INPUT_ROW_KEYS);
	const struct plan_types *t = plan_row_types(&s.plan, s.in, 1);
	assert_true(t->ok);
	assert_int_equal(t->n, 1);
	assert_int_equal(t->specs[0].type_id, 36);
	assert_int_equal(s.plan.nsend, 2);
	assert_int_equal(s.out.state[2], OUTCOME_PENDING);
	assert_int_equal(s.tries[2], 1);
	assert_int_equal(s.tries[1], 2);
	session_free(&s);
	/* An edit of a created row in a journal is damage. */
	append(path, "{\"t\":\"edit\",\"row\":0,\"text\":\"1,2,HUBSPOT_DEFINED:279\"}\n");
	assert_int_equal(journal_load(path, &s, &cause), -1);
	assert_non_null(strstr(cause, "cannot change"));
	free(cause);
	free(path);
	planfx_free(&f);
}

/* A row changed since its outcome is edited (design.md's state), what it
 * was kept beside it, whether it reads as a pair to send or not: the next
 * send (a retry's by default) takes it when it does, and counts and
 * errors say it apart from what failed.  A row never sent is what it
 * reads as now. */
static void
test_edited(void **state)
{
	(void)state;
	struct planfx f;
	struct session s;
	char *path = first_send(&f), *cause = NULL;
	struct explain x = { 0 };
	struct buf b = BUF_INIT;
	uint32_t *rows;

	load(path, &s);
	struct journal *j = journal_reopen(path, &cause);
	assert_non_null(j);
	/* The failed row 1 fixed (no SPEC: the session's types); the failed
	 * row 4 made no pair; the invalid row 2 fixed; the not_sent row 5
	 * given a key to look up. */
	static const struct { uint32_t row; const char *text; } e[] = {
		{ 1, "102,299" }, { 4, "10x,204" }, { 2, "103,203" },
		{ 5, "email:jane@x.com,205" },
	};
	for (size_t i = 0; i < HA_ARRAY_LEN(e); i++) {
		assert_int_equal(journal_edit(j, e[i].row, e[i].text, NULL), 0);
		assert_int_equal(session_apply_edit(&s, e[i].row, e[i].text, NULL,
		    &cause), 0);
	}
	journal_close(j);
	struct session back;
	load(path, &back);
	for (int pass = 0; pass < 2; pass++) {
		struct session *y = pass == 0 ? &s : &back;
		sum_is_rows(y);
		assert_int_equal(y->out.count[OUTCOME_EDITED], 4);
		assert_int_equal(y->out.count[OUTCOME_FAILED], 0);
		assert_int_equal(y->out.count[OUTCOME_INVALID], 0);
		assert_int_equal(y->out.state[1], OUTCOME_EDITED);
		assert_int_equal(y->out.http[1], 400);          /* what it was */
		/* Send 1 keeps what it decided; no send decides it now. */
		assert_int_equal(y->send_of[1], 0);
		size_t c1[OUTCOME_COUNT];
		session_send_counts(y, 0, c1);
		assert_int_equal(c1[OUTCOME_FAILED], 2);
		assert_int_equal(c1[OUTCOME_NOT_SENT], 1);
		assert_int_equal(c1[OUTCOME_EDITED], 0);
		assert_string_equal(input_to(y->in, &y->in->rows[1]), "299");
		assert_int_equal(y->in->rows[1].line, 2);       /* its line kept */
		assert_true(y->plan.state[1] == PLAN_SEND || y->plan.state[1] == PLAN_EARLIER);
		assert_int_equal(y->plan.state[4], PLAN_INVALID);
		assert_int_equal(y->plan.state[2], PLAN_EARLIER);
		assert_int_equal(y->plan.state[5], PLAN_INVALID);
		assert_int_equal(y->plan.why[5], INPUT_KEY_PENDING);
		/* A retry takes the edited rows that are pairs to send, with
		 * what failed or was not sent: none is left so. */
		size_t n = session_retry_rows(y, 1u << OUTCOME_FAILED |
		    1u << OUTCOME_NOT_SENT | 1u << OUTCOME_EDITED, &rows);
		assert_int_equal(n, 2);
		assert_int_equal(rows[0], 1);
		assert_int_equal(rows[1], 2);
		free(rows);
		/* Its old error is no group of the session's errors now. */
		struct outcome_group *g;
		size_t ng = outcomes_group(&y->out, &y->plan, y->in, false, &g);
		assert_int_equal(ng, 0);
		free(g);
		/* Said as edited: what it is now, what it was. */
		buf_reset(&b);
		explain_line(&x, y, NULL, NULL, 1, &b);
		assert_string_equal(buf_str(&b), "edited since its send; the next send "
		    "takes it (it failed: VALIDATION_ERROR: One or more associations "
		    "are invalid)");
		buf_reset(&b);
		explain_line(&x, y, NULL, NULL, 4, &b);
		assert_non_null(strstr(buf_str(&b), "edited since its send; not a pair "
		    "to send now: FROM ID '10x' is not a number"));
		explain_free(&x);
	}
	/* A created row, or one whose answer never came, does not change. */
	assert_int_equal(session_apply_edit(&back, 0, "109,209", NULL, &cause), -1);
	assert_non_null(strstr(cause, "cannot change"));
	free(cause);
	/* As one step: refused edits write nothing; one made is recorded with
	 * the counts it leaves, which history reads. */
	j = journal_reopen(path, &cause);
	assert_non_null(j);
	struct stat st0, st1;
	assert_int_equal(stat(path, &st0), 0);
	static const struct { uint32_t row; const char *text; } no[] = {
		{ 0, "109,209" },                       /* created */
		{ 3, "109,209" },                       /* a repeat */
		{ 1, "# a comment" },                   /* no pair */
		{ 1, "102,202,Billing contact" },       /* a label by name */
	};
	for (size_t i = 0; i < HA_ARRAY_LEN(no); i++) {
		assert_int_equal(session_edit_row(&back, j, no[i].row, no[i].text, NULL, 6,
		    &cause), -1);
		free(cause);
		cause = NULL;
	}
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(st0.st_size, st1.st_size);
	assert_int_equal(session_edit_row(&back, j, 4, "104,299", NULL, 6, &cause), 0);
	journal_close(j);
	struct journal_meta m;
	assert_int_equal(journal_peek(path, &m, &cause), 0);
	assert_int_equal(m.counts[OUTCOME_EDITED], 4);
	journal_meta_free(&m);
	session_free(&back);
	load(path, &back);
	assert_int_equal(back.plan.state[4], PLAN_EARLIER);
	assert_string_equal(input_from(back.in, &back.in->rows[4]), "104");
	buf_free(&b);
	session_free(&s);
	session_free(&back);
	free(path);
	planfx_free(&f);
}

/* Rows added after a send: planned against the session's rows (a repeat
 * of a created row is its duplicate), recorded with the sets that came
 * with them, read back the same, and held by the next send. */
static void
test_rows_added(void **state)
{
	(void)state;
	struct planfx f;
	struct session s, back;
	struct plan fresh;
	char *path = first_send(&f), *cause = NULL;

	load(path, &s);
	size_t nsets = s.in->nsets;
	input_begin_source(s.in, "paste 2");
	const char *more = "106,206\n101,201\n107,207,HUBSPOT_DEFINED:1\nx,1\n";
	input_feed(s.in, more, strlen(more));
	input_finish(s.in);
	assert_int_equal(s.in->nrows, 10);
	assert_int_equal(plan_build(&fresh, s.in, &f.from, &f.to, f.defaults,
	    f.ndefaults, &f.labels, 2, &cause), 0);
	session_add_rows(&s, &fresh, 6);
	/* A failed row fixed with a new SPEC column after the plan of the
	 * rows added (the terminal's S): the add record lists the sets its
	 * plan has, the edit's is the edit's (before: a crash, reading past
	 * the plan's sets). */
	const char *fix = "102,299,USER_DEFINED:36";
	assert_int_equal(session_apply_edit(&s, 1, fix, NULL, &cause), 0);
	assert_true(s.in->nsets > fresh.ntypes);
	struct journal *j = journal_reopen(path, &cause);
	assert_non_null(j);
	assert_int_equal(journal_rows_added(j, s.in, &fresh, 6, nsets), 0);
	assert_int_equal(journal_edit(j, 1, fix, NULL), 0);
	journal_close(j);
	plan_free(&fresh);
	for (int pass = 0; pass < 2; pass++) {
		struct session *x = pass == 0 ? &s : &back;
		if (pass == 1)
			load(path, &back);
		sum_is_rows(x);
		assert_int_equal(x->in->nrows, 10);
		assert_int_equal(x->out.state[0], OUTCOME_CREATED);
		assert_int_equal(x->out.state[6], OUTCOME_PENDING);
		assert_int_equal(x->plan.state[6], PLAN_EARLIER);
		assert_int_equal(x->send_of[6], 0);
		assert_int_equal(x->out.state[7], OUTCOME_DUPLICATE);
		assert_int_equal(x->plan.other[7], 0);
		assert_int_equal(x->out.state[8], OUTCOME_PENDING);
		assert_int_equal(x->out.state[9], OUTCOME_INVALID);
		const struct plan_types *t = plan_row_types(&x->plan, x->in, 8);
		assert_true(t->ok);
		assert_int_equal(t->specs[0].type_id, 1);
		assert_int_equal(x->in->rows[8].line, 9);
		const struct plan_types *t1 = plan_row_types(&x->plan, x->in, 1);
		assert_true(t1->ok);
		assert_int_equal(t1->specs[0].type_id, 36);
		assert_string_equal(input_to(x->in, &x->in->rows[1]), "299");
		assert_int_equal(x->plan.nsend, 4);   /* send 1's */
		/* Pending, in no send: nothing of a send is left to finish. */
		assert_int_equal(session_pending_sent(x), 0);
		assert_false(session_unfinished(x));
	}
	/* The next send holds them, as any other row. */
	uint32_t rows[] = { 6, 8 };
	j = journal_reopen(path, &cause);
	assert_non_null(j);
	assert_int_equal(session_send_next(&back, j, "send", NULL, rows, 2, &cause), 0);
	journal_close(j);
	assert_int_equal(back.plan.nsend, 2);
	assert_int_equal(back.send_of[6], 2);
	/* The invalid row and the repeat it added are decided by send 2's
	 * plan, as send 1's were by its (before: send 0 in export). */
	assert_int_equal(back.send_of[7], 2);
	assert_int_equal(back.send_of[9], 2);
	session_free(&back);
	session_free(&s);
	load(path, &s);
	assert_int_equal(s.nsends, 2);
	assert_int_equal(s.plan.nsend, 2);
	assert_int_equal(s.sends[1].rows, 2);
	assert_int_equal(s.send_of[7], 2);
	assert_int_equal(s.send_of[9], 2);
	/* Every row is a send's but the one edited since send 1, which no
	 * send has decided yet. */
	for (size_t i = 0; i < s.in->nrows; i++)
		assert_true(i == 1 ? s.send_of[i] == 0 && s.out.state[i] == OUTCOME_EDITED :
		    s.send_of[i] >= 1 && s.send_of[i] <= 2);
	session_free(&s);
	/* An add record that does not follow the rows is damage. */
	append(path, "{\"t\":\"add\",\"first\":3,\"rows\":[[11,\"valid\",\"ok\",0,0,"
	    "\"send\",0,\"1\",\"2\",\"\"]]}\n");
	assert_int_equal(journal_load(path, &s, &cause), -1);
	assert_non_null(strstr(cause, "add record"));
	free(cause);
	free(path);
	planfx_free(&f);
}

/* Rows deleted from the terminal's pairs after the send are retired: no
 * retry or resume sends them again (before, hubassoc retry did); their
 * outcomes stay. */
static void
test_retired(void **state)
{
	(void)state;
	struct planfx f;
	struct session s;
	char *path = first_send(&f), *cause = NULL;
	uint32_t *rows;

	struct journal *j = journal_reopen(path, &cause);
	assert_non_null(j);
	uint32_t gone[] = { 1, 5 };                 /* a failure, a not_sent */
	assert_int_equal(journal_retire(j, gone, 2), 0);
	journal_close(j);
	load(path, &s);
	assert_int_equal(s.out.state[1], OUTCOME_FAILED);
	unsigned mask;
	assert_int_equal(session_only_parse("failed,not_sent", &mask, &cause), 0);
	assert_int_equal(session_retry_rows(&s, mask, &rows), 1);
	assert_int_equal(rows[0], 4);
	free(rows);
	assert_false(session_resume_wanted(&s));
	assert_int_equal(s.out.state[5], OUTCOME_NOT_SENT);
	/* Pasted again, a retired pair is sent again: its first repeat takes
	 * its place, a second repeats that one (before: both repeats of the
	 * retired row, never sent); a repeat of a created pair stays one. */
	struct plan fresh;
	input_begin_source(s.in, "paste 2");
	const char *again = "102,202\n102,202\n101,201\n";
	input_feed(s.in, again, strlen(again));
	input_finish(s.in);
	assert_int_equal(plan_build(&fresh, s.in, &f.from, &f.to, f.defaults,
	    f.ndefaults, &f.labels, 2, &cause), 0);
	session_add_rows(&s, &fresh, 6);
	j = journal_reopen(path, &cause);
	assert_non_null(j);
	assert_int_equal(journal_rows_added(j, s.in, &fresh, 6, s.in->nsets), 0);
	journal_close(j);
	plan_free(&fresh);
	struct session back;
	load(path, &back);
	for (int pass = 0; pass < 2; pass++) {
		const struct session *x = pass == 0 ? &s : &back;
		assert_int_equal(x->out.state[6], OUTCOME_PENDING);
		assert_int_equal(x->plan.state[6], PLAN_EARLIER);
		assert_int_equal(x->out.state[7], OUTCOME_DUPLICATE);
		assert_int_equal(x->plan.other[7], 6);
		assert_int_equal(x->out.state[8], OUTCOME_DUPLICATE);
		assert_int_equal(x->plan.other[8], 0);
	}
	session_free(&back);
	session_free(&s);
	append(path, "{\"t\":\"retire\",\"rows\":[99]}\n");
	assert_int_equal(journal_load(path, &s, &cause), -1);
	assert_non_null(strstr(cause, "retire record"));
	free(cause);
	free(path);
	planfx_free(&f);
}

/* The terminal's working set, journaled from its first row: replayed, it
 * gives the same pairs; read as a session, every row is pending; its
 * first send turns it into a session like any, keeping its ID. */
static void
test_working_set(void **state)
{
	(void)state;
	struct journal_meta meta = { 0 };
	struct input *in = input_new(), *back = input_new();
	struct pairs_choice c;
	struct session s;
	char *cause = NULL;

	meta.profile = xstrdup("default");
	meta.base_url = xstrdup("http://127.0.0.1:1");
	meta.api_version = xstrdup("v4");
	struct journal *j = journal_create_draft(&meta, &cause);
	assert_non_null(j);
	char *path = xstrdup(journal_path(j));
	static const char paste[] = "contact,company\n101,201\nx,202\n103,203,USER_DEFINED:36\n";
	input_begin_source(in, NULL);
	input_feed(in, paste, sizeof(paste) - 1);
	input_finish(in);
	assert_int_equal(journal_pairs_add(j, in, 0, in->nrows), 0);
	assert_int_equal(input_replace_row(in, 1, "102,202", 7, &cause), 0);
	assert_int_equal(journal_pairs_replace(j, in, 1, 1), 0);
	size_t before = in->nrows;
	input_begin_source(in, NULL);
	input_feed(in, "104,204\n105,205\n", 16);
	input_finish(in);
	assert_int_equal(journal_pairs_add(j, in, before, in->nrows - before), 0);
	input_delete_rows(in, 3, 1);
	assert_int_equal(journal_pairs_delete(j, 3, 1), 0);
	assert_int_equal(journal_choice(j, "contacts", "companies", "279",
	    PLAN_OP_CREATE, NULL, false), 0);
	/* A line cut by a crash at the end is not damage. */
	append(path, "{\"t\":\"pairs\",\"op\":\"cle");

	assert_int_equal(journal_pairs_read(path, back, &c, &cause), 0);
	assert_int_equal(back->nrows, in->nrows);
	for (size_t i = 0; i < in->nrows; i++) {
		assert_int_equal(back->rows[i].line, in->rows[i].line);
		assert_int_equal(back->rows[i].status, in->rows[i].status);
		assert_string_equal(input_from(back, &back->rows[i]), input_from(in, &in->rows[i]));
		assert_string_equal(back->sets[back->rows[i].set].text,
		    in->sets[in->rows[i].set].text);
	}
	assert_int_equal(back->lines, in->lines);
	assert_string_equal(c.from, "contacts");
	assert_string_equal(c.types, "279");
	pairs_choice_free(&c);

	/* Read as a session: its rows pending, no send; history says so. */
	load(path, &s);
	assert_int_equal(s.nsends, 0);
	assert_int_equal(s.out.count[OUTCOME_PENDING], 4);
	assert_string_equal(s.meta.state, "editing");
	assert_string_equal(s.from.path, "contacts");
	session_free(&s);
	struct journal_meta m;
	assert_int_equal(journal_peek(path, &m, &cause), 0);
	assert_string_equal(m.state, "editing");
	assert_int_equal(m.counts[OUTCOME_PENDING], 4);
	assert_int_equal(m.sends, 0);
	assert_string_equal(m.from_path, "contacts");
	journal_meta_free(&m);

	/* The first send: the same file, the same ID, a session like any,
	 * the working set's records kept. */
	struct objtype from, to;
	struct assoc_spec spec;
	struct assoc_labels labels = { 0 };
	assert_int_equal(objtype_parse("contacts", &from, &cause), 0);
	assert_int_equal(objtype_parse("companies", &to, &cause), 0);
	assert_int_equal(assoc_spec_parse("279", 3, &spec, &cause), 0);
	assoc_labels_builtin(&labels, &from, &to);
	struct plan p;
	assert_int_equal(plan_build(&p, in, &from, &to, &spec, 1, &labels, 500, &cause), 0);
	free(meta.input_name);
	meta.input_name = xstrdup("(terminal)");
	meta.types = xstrdup("279");
	char *id = xstrdup(meta.id);
	assert_int_equal(journal_begin_sends(j, &meta, in, &p, &cause), 0);
	assert_string_equal(journal_path(j), path);
	assert_int_equal(journal_pairs_delete(j, 0, 1), 0);   /* goes on */
	journal_close(j);
	load(path, &s);
	assert_string_equal(s.meta.id, id);
	assert_int_equal(s.nsends, 1);
	assert_int_equal(s.in->nrows, 4);
	assert_int_equal(s.out.count[OUTCOME_PENDING], 4);
	session_free(&s);
	input_free(back);
	back = input_new();
	assert_int_equal(journal_pairs_read(path, back, &c, &cause), 0);
	assert_int_equal(back->nrows, 3);
	pairs_choice_free(&c);
	plan_free(&p);
	assoc_labels_free(&labels);
	assoc_spec_clear(&spec);
	input_free(back);
	input_free(in);
	journal_meta_free(&meta);
	free(id);
	free(path);
}

static void
collect(void *arg, const struct journal_req_info *x)
{
	struct journal_req_info *v = arg;

	for (int i = 0; i < 4; i++)
		if (v[i].req == 0 && !v[i].answer && v[i].off == 0 && v[i].inputs == 0) {
			v[i] = *x;
			return;
		}
}

/* The inspector's reading of requests and answers: each field from its
 * record, whatever the bodies and headers hold. */
static void
test_scan_requests(void **state)
{
	(void)state;
	struct planfx f;
	char *path = first_send(&f), *cause = NULL;
	struct journal *j = journal_reopen(path, &cause);
	uint32_t rows[] = { 4, 5 };
	struct http_result res = { .status = 207, .ms = 41.2 };
	struct journal_req_info v[4];
	struct journal_scan_pos off = { 0, 1 };

	assert_non_null(j);
	memset(v, 0, sizeof(v));
	/* A body and a header that look like the fields read. */
	assert_int_equal(journal_send(j, 7, "read", 2, 3, rows, 2,
	    "{\"inputs\":[],\"chunk\":99,\"status\":1}"), 0);
	snprintf(res.headers, sizeof(res.headers), "X-Note: \"ms\":5 \\\" \"status\":1");
	buf_addstr(&res.body, "{\"status\":999,\"ms\":1}");
	assert_int_equal(journal_answer(j, 7, &res), 0);
	buf_free(&res.body);
	journal_close(j);
	assert_int_equal(journal_scan_requests(path, &off, collect, v), 0);
	/* first_send's request 1, then request 7 and its answer. */
	assert_false(v[0].answer);
	assert_int_equal(v[0].req, 1);
	assert_int_equal(v[0].inputs, 2);
	assert_false(v[1].answer);
	assert_int_equal(v[1].req, 7);
	assert_int_equal(v[1].chunk, 2);
	assert_int_equal(v[1].send, 1);
	assert_int_equal(v[1].attempt, 3);
	assert_int_equal(v[1].inputs, 2);
	assert_int_equal(strlen(v[1].at), 12);
	assert_true(v[2].answer);
	assert_int_equal(v[2].req, 7);
	assert_int_equal(v[2].status, 207);
	assert_int_equal(v[2].ms, 41);
	assert_string_equal(v[2].failure, "");
	assert_true(v[2].off > v[1].off);
	/* Read on from where it stopped: nothing new. */
	memset(v, 0, sizeof(v));
	assert_int_equal(journal_scan_requests(path, &off, collect, v), 0);
	assert_int_equal(v[0].req, 0);
	free(path);
	planfx_free(&f);
}

/* Requests held before their session was known (a lookup's) are written
 * numbered after the journal's last; any other record as it was. */
static void
test_replay_after(void **state)
{
	(void)state;
	struct planfx f;
	char *path = first_send(&f), *cause = NULL;
	struct journal *j = journal_reopen(path, &cause);
	struct journal *held = journal_held();
	struct http_result res = { .status = 200, .ms = 3 };
	struct journal_req_info v[4];
	struct journal_scan_pos off = { 0, 1 };

	assert_non_null(j);
	memset(v, 0, sizeof(v));
	assert_int_equal(journal_call(held, 1, "lookup", "POST",
	    "/crm/v3/objects/contacts/batch/read", 1, "{\"req\":1}"), 0);
	buf_addstr(&res.body, "{\"req\":1}");
	assert_int_equal(journal_answer(held, 1, &res), 0);
	buf_free(&res.body);
	assert_int_equal(journal_replay_after(j, held, 41), 0);
	journal_close(held);
	journal_close(j);
	assert_int_equal(journal_scan_requests(path, &off, collect, v), 0);
	/* first_send's request 1, then the lookup as request 42. */
	assert_int_equal(v[0].req, 1);
	assert_false(v[1].answer);
	assert_int_equal(v[1].req, 42);
	assert_true(v[2].answer);
	assert_int_equal(v[2].req, 42);
	assert_int_equal(v[2].status, 200);
	/* The bodies are as they were. */
	FILE *fp = fopen(path, "r");
	char line[512];
	int bodies = 0;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL)
		bodies += strstr(line, "{\"req\":1}") != NULL ||
		    strstr(line, "\"{\\\"req\\\":1}\"") != NULL;
	fclose(fp);
	assert_int_equal(bodies, 2);
	free(path);
	planfx_free(&f);
}

/* An undo's record read back: its rows undone but those it kept, and those
 * it found nothing of the session's left of marked so (explain says it took
 * nothing back of them). */
static void
test_undone_bare(void **state)
{
	(void)state;
	struct planfx f;
	struct session s;
	char *path = first_send(&f);

	/* Row 0 is the one created. */
	append(path, "{\"t\":\"undone\",\"time\":\"2026-12-07T00:00:00Z\","
	    "\"bare\":[0,99]}\n");
	load(path, &s);
	assert_int_equal(s.meta.undo, SESSION_UNDO_DONE);
	assert_non_null(s.undo_bare);
	assert_int_equal(s.undo_bare[0], 1);
	assert_int_equal(s.undo_bare[1], 0);
	session_free(&s);
	/* An undo again, which took it: its list is the whole of them. */
	append(path, "{\"t\":\"undone\",\"time\":\"2026-12-07T01:00:00Z\"}\n");
	load(path, &s);
	assert_true(s.undo_bare == NULL || s.undo_bare[0] == 0);
	session_free(&s);
	free(path);
	planfx_free(&f);
}

/* A journal from a newer hubassoc is refused with the reason. */
static void
test_newer_version(void **state)
{
	(void)state;
	char *path = xasprintf("%s/newer.jsonl", state_dir), *cause = NULL;
	struct session s;
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fprintf(fp, "{\"t\":\"session\",\"v\":%d,\"id\":\"x\",\"from\":{\"path\":"
	    "\"contacts\"},\"to\":{\"path\":\"companies\"},\"rows\":0}\n",
	    JOURNAL_VERSION + 1);
	fclose(fp);
	assert_int_equal(journal_load(path, &s, &cause), -1);
	assert_non_null(strstr(cause, "newer hubassoc"));
	free(cause);
	free(path);
}

static void
test_only_parse(void **state)
{
	(void)state;
	unsigned m;
	char *cause = NULL, *name;

	assert_int_equal(session_only_parse("failed", &m, &cause), 0);
	assert_int_equal(m, 1u << OUTCOME_FAILED);
	assert_int_equal(session_only_parse("not_sent,failed", &m, &cause), 0);
	name = session_only_name(m);
	assert_string_equal(name, "failed,not_sent");
	free(name);
	assert_int_equal(session_only_parse("created", &m, &cause), -1);
	assert_non_null(strstr(cause, "created"));
	free(cause);
	cause = NULL;
	assert_int_equal(session_only_parse("", &m, &cause), -1);
	free(cause);
}

/* Each kind of record is named once: its name and its line's start name
 * it again, and a kind whose name starts another's is not taken for it. */
static void
test_record_kinds(void **state)
{
	(void)state;
	for (int k = 0; k < JR_COUNT; k++) {
		struct buf b = BUF_INIT;
		assert_int_equal(journal_rec_named(journal_rec_name((enum journal_rec)k)), k);
		journal_rec_begin(&b, (enum journal_rec)k);
		buf_addstr(&b, ",\"time\":\"x\"}");
		assert_int_equal(journal_rec_of(b.data, b.len), k);
		buf_free(&b);
	}
	const char *undo = "{\"t\":\"undo\",\"time\":\"x\"}";
	const char *begun = "{\"t\":\"undo_begun\",\"time\":\"x\"}";
	assert_int_equal(journal_rec_of(undo, strlen(undo)), JR_UNDO);
	assert_int_equal(journal_rec_of(begun, strlen(begun)), JR_UNDO_BEGUN);
	const char *other = "{\"t\":\"undoes\"}", *cut = "{\"t\":\"und";
	assert_int_equal(journal_rec_of(other, strlen(other)), JR_COUNT);
	assert_int_equal(journal_rec_of(cut, strlen(cut)), JR_COUNT);
	assert_int_equal(journal_rec_named("nothing"), JR_COUNT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_kinds),
		cmocka_unit_test(test_first_send),
		cmocka_unit_test(test_retry_across_sends),
		cmocka_unit_test(test_killed_retry),
		cmocka_unit_test(test_damaged_resend),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_edited),
		cmocka_unit_test(test_rows_added),
		cmocka_unit_test(test_retired),
		cmocka_unit_test(test_working_set),
		cmocka_unit_test(test_scan_requests),
		cmocka_unit_test(test_replay_after),
		cmocka_unit_test(test_undone_bare),
		cmocka_unit_test(test_newer_version),
		cmocka_unit_test(test_only_parse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
