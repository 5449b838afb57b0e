/* test_workset.c: the working set's changes, recorded before they count,
 * read back as they were; its first send in place, a later one the next
 * session's. */
#include "testutil.h"

#include <stdlib.h>

#include "hubassoc/workset.h"

static char state_dir[] = "/tmp/hubassoc-test-workset-XXXXXX";

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

static void
meta_init(struct journal_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->profile = xstrdup("default");
	m->base_url = xstrdup("http://127.0.0.1:1");
	m->api_version = xstrdup("v4");
}

static void
feed(struct workset *w, const char *text)
{
	size_t before = w->pairs->nrows;

	input_begin_source(w->pairs, NULL);
	input_feed(w->pairs, text, strlen(text));
	input_finish(w->pairs);
	assert_int_equal(workset_added(w, before), 0);
}

static char *
rows_text(const struct input *in)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < in->nrows; i++) {
		buf_printf(&b, "%u:", in->rows[i].line);
		input_row_text(in, i, &b);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

/* Adds, a replace, a bad replace, a delete and the choices: reopened,
 * the same rows on the same lines, and the choices. */
static void
test_changes_read_back(void **state)
{
	(void)state;
	struct workset w, back;
	struct journal_meta m;
	struct pairs_choice c;
	char *cause = NULL;

	workset_init(&w);
	meta_init(&m);
	/* Chosen before the first row: recorded when the journal begins. */
	assert_int_equal(objtype_parse("contacts", &w.from, &cause), 0);
	w.have_from = true;
	assert_int_equal(workset_begin(&w, &m, &cause), 0);
	journal_meta_free(&m);
	assert_non_null(w.id);
	feed(&w, "from,to\n101,201\nx,202\n103,203\n");
	assert_int_equal(workset_replace(&w, 1, "102,202", &cause), 0);
	/* Text that holds no pair is refused with why, the row as it was. */
	assert_int_equal(workset_replace(&w, 1, "# nothing", &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_string_equal(input_from(w.pairs, &w.pairs->rows[1]), "102");
	feed(&w, "104,204\n");
	assert_int_equal(workset_delete(&w, 2), 0);
	assert_int_equal(workset_set_types(&w, "279;USER_DEFINED:36", &cause), 0);
	assert_int_equal(w.ntypes, 2);
	assert_int_equal(workset_choice(&w), 0);
	char *want = rows_text(w.pairs);
	char *path = xstrdup(journal_path(w.j));
	workset_close(&w);

	workset_init(&back);
	assert_int_equal(workset_reopen(&back, path, &c, &cause), 0);
	char *got = rows_text(back.pairs);
	assert_string_equal(got, want);
	assert_string_equal(c.from, "contacts");
	assert_null(c.to);
	assert_string_equal(c.types, "279;USER_DEFINED:36");
	assert_false(back.sent);
	assert_string_equal(back.id, w.id);
	assert_int_equal(back.s.nsends, 0);
	assert_int_equal(back.joined, 0);
	/* Held: a second opening is refused. */
	struct workset other;
	struct pairs_choice c2;
	workset_init(&other);
	assert_int_equal(workset_reopen(&other, path, &c2, &cause), -1);
	assert_non_null(strstr(cause, "in use"));
	free(cause);
	workset_free(&other);

	pairs_choice_free(&c);
	workset_free(&back);
	workset_free(&w);
	free(got);
	free(want);
	free(path);
}

/* Quiet (replaying): nothing recorded, and nothing needs a journal. */
static void
test_quiet(void **state)
{
	(void)state;
	struct workset w;

	workset_init(&w);
	w.quiet = true;
	feed(&w, "101,201\n102,202\n");
	assert_int_equal(workset_delete(&w, 0), 0);
	assert_int_equal(w.pairs->nrows, 1);
	assert_null(w.j);
	/* Not quiet and no journal: a change is refused and undone. */
	w.quiet = false;
	size_t before = w.pairs->nrows;
	input_feed(w.pairs, "103,203\n", 8);
	input_finish(w.pairs);
	assert_int_equal(workset_added(&w, before), -1);
	assert_int_equal(w.pairs->nrows, before);
	workset_free(&w);
}

/* The working set for a test: contacts to companies, type 279, its
 * journal begun, rows fed. */
static void
ws_start(struct workset *w, struct assoc_labels *labels, const char *rows)
{
	struct journal_meta m;
	char *cause = NULL;

	workset_init(w);
	meta_init(&m);
	assert_int_equal(objtype_parse("contacts", &w->from, &cause), 0);
	assert_int_equal(objtype_parse("companies", &w->to, &cause), 0);
	w->have_from = w->have_to = true;
	assert_int_equal(workset_set_types(w, "279", &cause), 0);
	assert_int_equal(workset_begin(w, &m, &cause), 0);
	journal_meta_free(&m);
	assoc_labels_builtin(labels, &w->from, &w->to);
	feed(w, rows);
	assert_int_equal(workset_replan(w, labels, 0, &cause), 0);
}

/* Send 1: the draft's session in place, its rows decided as a send would
 * (created, failed, invalid). */
static void
ws_first_send(struct workset *w)
{
	struct journal_meta sm;
	char *cause = NULL;

	meta_init(&sm);
	char *id = xstrdup(w->id), *draft = xstrdup(journal_path(w->j));
	assert_int_equal(workset_first_send(w, &sm, API_V4, &cause), 0);
	assert_string_equal(journal_path(w->j), draft);
	assert_string_equal(w->s.meta.id, id);
	assert_true(w->sent);
	assert_int_equal(w->joined, w->pairs->nrows);
	journal_meta_free(&sm);
	free(id);
	free(draft);
}

/* The first send is the draft's, in place; :clear after it leaves the
 * session its rows (the journal goes with them), and the next pairs start
 * the next session. */
static void
test_sends(void **state)
{
	(void)state;
	struct workset w;
	struct assoc_labels labels;
	struct session gone;
	char *cause = NULL;

	ws_start(&w, &labels, "101,201\n102,202\n");
	assert_int_equal(w.s.plan.nsend, 2);
	assert_int_equal(w.s.out.count[OUTCOME_PENDING], 2);
	char *draft = xstrdup(journal_path(w.j));
	ws_first_send(&w);
	assert_int_equal(w.s.nsends, 1);
	assert_int_equal(workset_clear(&w, &gone), 0);
	assert_null(w.j);
	assert_int_equal(w.pairs->nrows, 0);
	assert_int_equal(w.joined, 0);
	assert_int_equal(gone.in->nrows, 2);
	session_free(&gone);
	struct session s;
	assert_int_equal(journal_load(draft, &s, &cause), 0);
	assert_int_equal(s.in->nrows, 2);
	session_free(&s);
	assoc_labels_free(&labels);
	workset_free(&w);
	free(draft);
}

/* One store: the pairs are the session's rows, by the same index.  After
 * a send, a paste waits as the session's next (a repeat of its row its
 * duplicate); an edit of a failed row is the session's edit (edited, in
 * its journal at once); a deleted row of the session is retired (no pair
 * shown, its outcome kept), one pasted since is gone; the next send takes
 * the pasted rows in; reopened, everything reads the same. */
static void
test_one_store(void **state)
{
	(void)state;
	struct workset w, back;
	struct assoc_labels labels;
	struct pairs_choice c;
	char *cause = NULL;

	ws_start(&w, &labels, "101,201\n102,202\n103,203\n");
	ws_first_send(&w);
	/* As its send decided them: created, failed, failed. */
	struct outcomes *o = &w.s.out;
	outcomes_set(o, 0, OUTCOME_CREATED, 201, 0);
	uint32_t err = outcomes_add_error(o, outcome_local_error("VALIDATION_ERROR",
	    "One or more associations are invalid"), 0, 400, false);
	outcomes_set(o, 1, OUTCOME_FAILED, 400, err);
	outcomes_set(o, 2, OUTCOME_FAILED, 400, err);
	uint32_t all[] = { 0, 1, 2 };
	assert_int_equal(journal_outcomes(w.j, o, 0, 0, all, 3), 0);
	assert_int_equal(journal_end(w.j, "complete", 1, o), 0);
	session_ended(&w.s, "complete", 1);

	/* Pasted since: the session's next send's, a repeat of row 0 its
	 * duplicate; not the journal's session yet. */
	feed(&w, "104,204\n101,201\n105,205\n");
	assert_int_equal(workset_replan(&w, &labels, 0, &cause), 0);
	assert_int_equal(w.joined, 3);
	assert_int_equal(w.s.out.n, 6);
	assert_int_equal(w.s.plan.state[3], PLAN_EARLIER);
	assert_int_equal(w.s.out.state[3], OUTCOME_PENDING);
	assert_int_equal(w.s.plan.state[4], PLAN_DUPLICATE);
	assert_int_equal(w.s.plan.other[4], 0);
	assert_int_equal(w.s.out.state[0], OUTCOME_CREATED);   /* still its own */
	/* A row pasted since, edited in place; one deleted, gone. */
	assert_int_equal(workset_replace(&w, 3, "106,206", &cause), 0);
	assert_int_equal(workset_delete(&w, 5), 0);
	assert_int_equal(w.pairs->nrows, 5);
	/* A failed row of the session edited: its edit, at once. */
	assert_int_equal(workset_edit(&w, 1, "107,207", NULL, &cause), 0);
	assert_int_equal(w.s.out.state[1], OUTCOME_EDITED);
	/* ... a created one does not change in place. */
	assert_int_equal(workset_edit(&w, 0, "108,208", NULL, &cause), -1);
	free(cause);
	cause = NULL;
	/* The other failed row deleted: retired, not shown, kept. */
	assert_int_equal(workset_delete(&w, 2), 0);
	assert_false(workset_shown(&w, 2));
	assert_int_equal(workset_shown_index(&w, 3), 2);
	assert_int_equal(w.s.out.state[2], OUTCOME_FAILED);
	assert_int_equal(workset_replan(&w, &labels, 0, &cause), 0);

	/* What the journal's session is now: the edit and the retired row,
	 * not the pasted rows. */
	struct session s;
	char *path = xstrdup(journal_path(w.j));
	assert_int_equal(journal_load(path, &s, &cause), 0);
	assert_int_equal(s.in->nrows, 3);
	assert_int_equal(s.out.state[1], OUTCOME_EDITED);
	assert_string_equal(input_from(s.in, &s.in->rows[1]), "107");
	assert_true(s.retired != NULL && s.retired[2]);
	session_free(&s);
	struct journal_meta m;
	assert_int_equal(journal_peek(path, &m, &cause), 0);
	assert_int_equal(m.counts[OUTCOME_EDITED], 1);
	assert_int_equal(m.counts[OUTCOME_PENDING], 0);    /* nothing pasted */
	journal_meta_free(&m);

	/* Reopened: the same rows, states and pairs shown. */
	char *want = rows_text(w.pairs);
	workset_close(&w);
	workset_init(&back);
	assert_int_equal(workset_reopen(&back, path, &c, &cause), 0);
	/* Its choices, as the terminal applies them. */
	assert_int_equal(objtype_parse(c.from, &back.from, &cause), 0);
	assert_int_equal(objtype_parse(c.to, &back.to, &cause), 0);
	back.have_from = back.have_to = true;
	assert_int_equal(workset_set_types(&back, c.types, &cause), 0);
	pairs_choice_free(&c);
	char *got = rows_text(back.pairs);
	assert_string_equal(got, want);
	assert_int_equal(back.joined, 3);
	assert_int_equal(back.s.out.state[1], OUTCOME_EDITED);
	assert_false(workset_shown(&back, 2));
	assert_int_equal(workset_replan(&back, &labels, 0, &cause), 0);
	assert_int_equal(back.s.plan.state[4], PLAN_DUPLICATE);

	/* The next send takes the pasted rows in: the journal's session has
	 * them, waiting for it. */
	assert_int_equal(workset_join(&back, &cause), 0);
	assert_int_equal(back.joined, 5);
	assert_int_equal(journal_load(path, &s, &cause), 0);
	assert_int_equal(s.in->nrows, 5);
	assert_int_equal(s.out.state[3], OUTCOME_PENDING);
	assert_int_equal(s.out.state[4], OUTCOME_DUPLICATE);
	assert_string_equal(input_from(s.in, &s.in->rows[3]), "106");
	session_free(&s);

	free(got);
	free(want);
	free(path);
	assoc_labels_free(&labels);
	workset_free(&back);
	workset_free(&w);
}

/* A draft read as a session (show, export, history) is planned with its
 * choices as the terminal plans it: a repeat is a duplicate, the rows
 * have their types; with no types chosen yet, every valid row pending. */
static void
test_draft_planned(void **state)
{
	(void)state;
	struct workset w;
	struct journal_meta m;
	struct session s;
	char *cause = NULL;

	workset_init(&w);
	meta_init(&m);
	assert_int_equal(workset_begin(&w, &m, &cause), 0);
	journal_meta_free(&m);
	feed(&w, "101,201\n101,201\n102,202\nx,203\n");
	char *path = xstrdup(journal_path(w.j));

	/* No direction yet: every valid row pending. */
	assert_int_equal(journal_load(path, &s, &cause), 0);
	assert_int_equal(s.out.count[OUTCOME_PENDING], 3);
	assert_int_equal(s.out.count[OUTCOME_DUPLICATE], 0);
	session_free(&s);

	assert_int_equal(objtype_parse("contacts", &w.from, &cause), 0);
	assert_int_equal(objtype_parse("companies", &w.to, &cause), 0);
	w.have_from = w.have_to = true;
	assert_int_equal(workset_set_types(&w, "279", &cause), 0);
	assert_int_equal(workset_choice(&w), 0);
	assert_int_equal(journal_load(path, &s, &cause), 0);
	assert_int_equal(s.out.count[OUTCOME_PENDING], 2);
	assert_int_equal(s.out.count[OUTCOME_DUPLICATE], 1);
	assert_int_equal(s.out.count[OUTCOME_INVALID], 1);
	const struct plan_types *t = plan_row_types(&s.plan, s.in, 0);
	assert_true(t->ok);
	assert_int_equal(t->n, 1);
	assert_int_equal(t->specs[0].type_id, 279);
	assert_int_equal(t->specs[0].cat, ASSOC_CAT_HUBSPOT);
	session_free(&s);

	/* A label name: planned all the same, the name left as given. */
	assert_int_equal(workset_set_types(&w, "Billing contact", &cause), 0);
	assert_int_equal(workset_choice(&w), 0);
	assert_int_equal(journal_load(path, &s, &cause), 0);
	assert_int_equal(s.out.count[OUTCOME_DUPLICATE], 1);
	session_free(&s);

	workset_free(&w);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes_read_back),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_sends),
		cmocka_unit_test(test_one_store),
		cmocka_unit_test(test_draft_planned),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
