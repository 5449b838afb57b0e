/* test_keymap.c: the action table and its key bindings; the keys section
 * of hubassoc(1) is what the table says.
 *
 * test_keymap --mdoc prints that section (make man-keys puts it in place). */
#include "testutil.h"

#include "tui.h"

#define MAN_PAGE "man/hubassoc.1"
#define BEGIN_MARK ".\\\" keys: begin (make man-keys)\n"
#define END_MARK ".\\\" keys: end\n"
#define CMD_BEGIN_MARK ".\\\" commands: begin (make man-keys)\n"
#define CMD_END_MARK ".\\\" commands: end\n"

static void
test_no_conflicts(void **state)
{
	struct buf problems = BUF_INIT;

	(void)state;
	int n = keymap_check(&problems);
	if (n != 0)
		fail_msg("%s", buf_str(&problems));
	buf_free(&problems);
}

static void
test_lookup(void **state)
{
	(void)state;
	/* A view's own binding first, then the generic one. */
	assert_int_equal(keymap_lookup(VIEW_PAIRS, KEY_ENTER_), ACT_EDIT_ROW);
	assert_int_equal(keymap_lookup(VIEW_RESULTS, KEY_ENTER_), ACT_SELECT);
	assert_int_equal(keymap_lookup(VIEW_ERRORS, ' '), ACT_TOGGLE);
	assert_int_equal(keymap_lookup(VIEW_PAIRS, ' '), ACT_PAGE_DOWN);
	assert_int_equal(keymap_lookup(VIEW_INSPECTOR, 'j'), ACT_DOWN);
	assert_int_equal(keymap_lookup(VIEW_PAIRS, 'S'), ACT_SUBMIT);
	/* S sends from any view, as f, t and y choose. */
	assert_int_equal(keymap_lookup(VIEW_RESULTS, 'S'), ACT_SUBMIT);
	assert_int_equal(keymap_lookup(VIEW_HISTORY, 'f'), ACT_PICK_FROM);
}

static void
test_keys_named(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	keymap_keys(VIEW_PAIRS, ACT_DOWN, KEYS_OWN | KEYS_GENERIC, &b);
	assert_string_equal(buf_str(&b), "Down, j, C-n");
	buf_reset(&b);
	/* Space pages down in the pairs, but marks in the error tree. */
	keymap_keys(VIEW_ERRORS, ACT_PAGE_DOWN, KEYS_GENERIC, &b);
	assert_string_equal(buf_str(&b), "PgDn, C-f");
	buf_reset(&b);
	keymap_keys(VIEW_ERRORS, ACT_TOGGLE, KEYS_OWN, &b);
	assert_string_equal(buf_str(&b), "Space");
	buf_free(&b);
	for (int a = 1; a < ACT_COUNT; a++) {
		assert_true(action_help((enum action)a)[0] != '\0');
		assert_true(action_name((enum action)a)[0] != '\0');
	}
}

static void
test_man_page_agrees(void **state)
{
	struct buf want = BUF_INIT, page = BUF_INIT;
	FILE *f = fopen(MAN_PAGE, "r");
	char chunk[4096];
	size_t n;

	(void)state;
	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&page, chunk, n);
	fclose(f);
	const char *begin = strstr(buf_str(&page), BEGIN_MARK);
	const char *end = begin != NULL ? strstr(begin, END_MARK) : NULL;
	if (begin == NULL || end == NULL)
		fail_msg(MAN_PAGE " lacks the keys markers");
	begin += strlen(BEGIN_MARK);
	keymap_mdoc(&want);
	if ((size_t)(end - begin) != want.len || memcmp(begin, want.data, want.len) != 0)
		fail_msg(MAN_PAGE "'s keys differ from the action table: run make man-keys");
	/* And the commands, from theirs. */
	buf_reset(&want);
	begin = strstr(buf_str(&page), CMD_BEGIN_MARK);
	end = begin != NULL ? strstr(begin, CMD_END_MARK) : NULL;
	if (begin == NULL || end == NULL)
		fail_msg(MAN_PAGE " lacks the commands markers");
	begin += strlen(CMD_BEGIN_MARK);
	commands_mdoc(&want);
	if ((size_t)(end - begin) != want.len || memcmp(begin, want.data, want.len) != 0)
		fail_msg(MAN_PAGE "'s commands differ from the command table: run make "
		    "man-keys");
	buf_free(&want);
	buf_free(&page);
}

/* A command by its name or its other name; nothing else. */
static void
test_commands(void **state)
{
	(void)state;
	assert_int_equal(command_find("load", 4), CMD_LOAD);
	assert_int_equal(command_find("w", 1), CMD_WRITE);
	assert_int_equal(command_find("types", 5), CMD_TYPE);
	assert_int_equal(command_find("q", 1), CMD_QUIT);
	assert_int_equal(command_find("loa", 3), CMD_NONE);
	assert_int_equal(command_find("connect", 7), CMD_NONE);
	assert_int_equal(command_def(CMD_TYPE)->arg, CARG_TYPES);
	assert_null(command_def(CMD_NONE));
	for (int c = CMD_NONE + 1; c < CMD_COUNT; c++)
		assert_true(command_def((enum command_id)c)->help[0] != '\0');
}

/* A :token line's argument is a secret from its first character on;
 * other lines, and :token alone, hold none. */
static void
test_secret_at(void **state)
{
	(void)state;
	assert_int_equal(command_secret_at("token pat-na1-x"), 6);
	assert_int_equal(command_secret_at(":token  s3cret"), 8);
	assert_int_equal(command_secret_at("  :token\tx"), 9);
	assert_int_equal(command_secret_at("token"), -1);
	assert_int_equal(command_secret_at("token   "), -1);
	assert_int_equal(command_secret_at("tokens x"), -1);
	assert_int_equal(command_secret_at("load token x"), -1);
	assert_int_equal(command_secret_at(""), -1);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--mdoc") == 0 ||
	    strcmp(argv[1], "--mdoc-commands") == 0)) {
		struct buf b = BUF_INIT;
		if (argv[1][6] == '\0')
			keymap_mdoc(&b);
		else
			commands_mdoc(&b);
		fputs(buf_str(&b), stdout);
		buf_free(&b);
		return 0;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_conflicts),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_secret_at),
		cmocka_unit_test(test_keys_named),
		cmocka_unit_test(test_man_page_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
