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
	struct session s;
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
	assert_int_equal(workset_delete(&w, 2, 1), 0);
	assert_int_equal(workset_set_types(&w, "279;USER_DEFINED:36", &cause), 0);
	assert_int_equal(w.ntypes, 2);
	assert_int_equal(workset_choice(&w), 0);
	char *want = rows_text(w.pairs);
	char *path = xstrdup(journal_path(w.j));
	workset_close(&w);

	workset_init(&back);
	assert_int_equal(workset_reopen(&back, path, &s, &c, &cause), 0);
	char *got = rows_text(back.pairs);
	assert_string_equal(got, want);
	assert_string_equal(c.from, "contacts");
	assert_null(c.to);
	assert_string_equal(c.types, "279;USER_DEFINED:36");
	assert_false(back.sent);
	assert_string_equal(back.id, w.id);
	assert_int_equal(s.nsends, 0);
	/* Held: a second opening is refused. */
	struct workset other;
	struct session s2;
	struct pairs_choice c2;
	workset_init(&other);
	assert_int_equal(workset_reopen(&other, path, &s2, &c2, &cause), -1);
	assert_non_null(strstr(cause, "in use"));
	free(cause);
	workset_free(&other);

	pairs_choice_free(&c);
	session_free(&s);
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
	assert_int_equal(workset_delete(&w, 0, 1), 0);
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

/* The first send is the draft's, in place; :clear after it leaves the
 * session its rows, and the next pairs start the next session. */
static void
test_sends(void **state)
{
	(void)state;
	struct workset w;
	struct journal_meta m, sm;
	struct plan p;
	char *cause = NULL;
	struct objtype from, to;

	workset_init(&w);
	meta_init(&m);
	assert_int_equal(workset_begin(&w, &m, &cause), 0);
	journal_meta_free(&m);
	feed(&w, "101,201\n102,202\n");
	char *draft = xstrdup(journal_path(w.j)), *id = xstrdup(w.id);
	assert_int_equal(objtype_parse("contacts", &from, &cause), 0);
	assert_int_equal(objtype_parse("companies", &to, &cause), 0);
	struct assoc_spec t;
	struct assoc_labels labels;
	assoc_labels_builtin(&labels, &from, &to);
	assert_int_equal(assoc_spec_parse("279", 3, &t, &cause), 0);
	assert_int_equal(plan_build(&p, w.pairs, &from, &to, &t, 1, &labels, 0,
	    &cause), 0);
	meta_init(&sm);
	struct journal *j = workset_for_send(&w, &sm, w.pairs, &p, &cause);
	assert_non_null(j);
	assert_ptr_equal(j, w.j);
	assert_string_equal(journal_path(j), draft);
	assert_string_equal(sm.id, id);
	assert_true(w.sent);
	journal_meta_free(&sm);
	/* Cleared after a send: the journal goes with its rows. */
	assert_int_equal(workset_clear(&w), 0);
	assert_null(w.j);
	assert_int_equal(w.pairs->nrows, 0);
	struct session s;
	assert_int_equal(journal_load(draft, &s, &cause), 0);
	assert_int_equal(s.in->nrows, 2);
	session_free(&s);

	assoc_spec_clear(&t);
	assoc_labels_free(&labels);
	plan_free(&p);
	workset_free(&w);
	free(draft);
	free(id);
}

/* The pairs join a session as the terminal's sends take them: the first
 * rows planned, pending; later ones planned on their own and added, a
 * repeat of a row the session has a duplicate of it. */
static void
test_to_session(void **state)
{
	(void)state;
	struct workset w;
	struct session s = { 0 };
	struct plan fresh = { 0 };
	struct assoc_labels labels;
	char *cause = NULL;

	workset_init(&w);
	w.quiet = true;
	assert_int_equal(objtype_parse("contacts", &w.from, &cause), 0);
	assert_int_equal(objtype_parse("companies", &w.to, &cause), 0);
	w.have_from = w.have_to = true;
	assert_int_equal(workset_set_types(&w, "279", &cause), 0);
	assoc_labels_builtin(&labels, &w.from, &w.to);
	feed(&w, "101,201\n102,202\n103,203\n");
	names_put(&w.names[0], "103", "Ada");
	uint32_t first[] = { 0, 2 };
	assert_int_equal(workset_to_session(&w, &s, first, 2, &labels, 0, API_V4,
	    NULL, &cause), 0);
	assert_int_equal(s.in->nrows, 2);
	assert_int_equal(s.in->rows[1].line, 3);
	assert_int_equal(s.plan.nsend, 2);
	assert_int_equal(s.out.count[OUTCOME_PENDING], 2);
	assert_string_equal(names_get(&s.names[0], "103"), "Ada");
	session_sends_init(&s);
	/* Row 1, and a repeat of row 0 pasted since. */
	feed(&w, "101,201\n");
	uint32_t next[] = { 1, 3 };
	assert_int_equal(workset_to_session(&w, &s, next, 2, &labels,
	    s.plan.chunk_size, API_V4, &fresh, &cause), 0);
	assert_int_equal(s.in->nrows, 4);
	/* Valid, in no send until one takes it (session_apply_send). */
	assert_int_equal(s.plan.state[2], PLAN_EARLIER);
	assert_int_equal(s.plan.state[3], PLAN_DUPLICATE);
	assert_int_equal(s.out.count[OUTCOME_PENDING] + s.out.count[OUTCOME_DUPLICATE], 4);
	/* Nothing more: nothing planned. */
	assert_int_equal(workset_to_session(&w, &s, NULL, 0, &labels,
	    s.plan.chunk_size, API_V4, &fresh, &cause), 0);
	assert_int_equal(s.in->nrows, 4);
	plan_free(&fresh);
	session_free(&s);
	assoc_labels_free(&labels);
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
		cmocka_unit_test(test_to_session),
		cmocka_unit_test(test_draft_planned),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
