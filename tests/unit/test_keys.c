/* test_keys.c: terminal bytes into keys, mouse events and pastes; display
 * widths; fuzzy matching. */
#include "testutil.h"

#include <locale.h>

#include "hubassoc/text.h"
#include "keys.h"

static struct event
one(struct keys *k, const char *bytes, bool flush)
{
	struct event ev;
	keys_feed(k, bytes, strlen(bytes));
	if (!keys_next(k, &ev, flush))
		fail_msg("no event for %s", bytes);
	return ev;
}

static void
test_plain_and_controls(void **state)
{
	(void)state;
	struct keys k;
	keys_init(&k);
	assert_int_equal(one(&k, "a", false).key, 'a');
	assert_int_equal(one(&k, "\r", false).key, KEY_ENTER_);
	assert_int_equal(one(&k, "\n", false).key, KEY_ENTER_);
	assert_int_equal(one(&k, "\x7f", false).key, KEY_BACKSPACE_);
	assert_int_equal(one(&k, "\x0c", false).key, 12);
	assert_int_equal(one(&k, "\xc3\xa9", false).key, 0xe9);
	assert_int_equal(one(&k, "\xe6\xb1\xba", false).key, 0x6c7a);
	keys_free(&k);
}

static void
test_sequences(void **state)
{
	(void)state;
	struct keys k;
	keys_init(&k);
	assert_int_equal(one(&k, "\033[A", false).key, K_UP);
	assert_int_equal(one(&k, "\033OB", false).key, K_DOWN);
	assert_int_equal(one(&k, "\033[5~", false).key, K_PGUP);
	assert_int_equal(one(&k, "\033[6~", false).key, K_PGDN);
	assert_int_equal(one(&k, "\033[H", false).key, K_HOME);
	assert_int_equal(one(&k, "\033[4~", false).key, K_END);
	assert_int_equal(one(&k, "\033[3~", false).key, K_DELETE);
	assert_int_equal(one(&k, "\033[Z", false).key, K_BTAB);
	assert_int_equal(one(&k, "\033OP", false).key, K_F1);
	assert_int_equal(one(&k, "\033[1;3A", false).key, K_UP | K_ALT);
	assert_int_equal(one(&k, "\033x", false).key, 'x' | K_ALT);
	keys_free(&k);
}

static void
test_escape_waits(void **state)
{
	(void)state;
	struct keys k;
	struct event ev;
	keys_init(&k);
	keys_feed(&k, "\033", 1);
	/* Could be the start of a sequence: wait. */
	assert_false(keys_next(&k, &ev, false));
	keys_feed(&k, "[B", 2);
	assert_true(keys_next(&k, &ev, false));
	assert_int_equal(ev.key, K_DOWN);
	/* Nothing more came: it was Escape. */
	keys_feed(&k, "\033", 1);
	assert_false(keys_next(&k, &ev, false));
	assert_true(keys_next(&k, &ev, true));
	assert_int_equal(ev.key, KEY_ESC_);
	/* A cut UTF-8 character waits too. */
	keys_feed(&k, "\xc3", 1);
	assert_false(keys_next(&k, &ev, false));
	keys_feed(&k, "\xa9", 1);
	assert_true(keys_next(&k, &ev, false));
	assert_int_equal(ev.key, 0xe9);
	keys_free(&k);
}

static void
test_mouse(void **state)
{
	(void)state;
	struct keys k;
	keys_init(&k);
	struct event ev = one(&k, "\033[<0;12;5M", false);
	assert_int_equal(ev.kind, EV_MOUSE);
	assert_int_equal(ev.button, MOUSE_LEFT);
	assert_true(ev.press);
	assert_int_equal(ev.x, 11);
	assert_int_equal(ev.y, 4);
	ev = one(&k, "\033[<65;1;1M", false);
	assert_int_equal(ev.button, MOUSE_WHEEL_DOWN);
	ev = one(&k, "\033[<64;1;1M", false);
	assert_int_equal(ev.button, MOUSE_WHEEL_UP);
	ev = one(&k, "\033[<0;3;3m", false);
	assert_false(ev.press);
	keys_free(&k);
}

static void
test_paste_is_data(void **state)
{
	(void)state;
	struct keys k;
	struct event ev;
	keys_init(&k);
	/* Escapes and control keys inside a paste are text, not keys. */
	keys_feed(&k, "x\033[200~101,202\r\033[Aq:quit\r", 25);
	assert_true(keys_next(&k, &ev, false));
	assert_int_equal(ev.key, 'x');
	assert_false(keys_next(&k, &ev, false));
	assert_true(keys_in_paste(&k));
	/* The end marker split across reads. */
	keys_feed(&k, "\033[20", 4);
	assert_false(keys_next(&k, &ev, false));
	keys_feed(&k, "1~y", 3);
	assert_true(keys_next(&k, &ev, false));
	assert_int_equal(ev.kind, EV_PASTE);
	assert_int_equal(ev.len, 18);
	assert_memory_equal(ev.text, "101,202\r\033[Aq:quit\r", 18);
	assert_true(keys_next(&k, &ev, false));
	assert_int_equal(ev.key, 'y');
	keys_free(&k);
}

static void
test_big_paste_in_pieces(void **state)
{
	(void)state;
	struct keys k;
	struct event ev;
	struct buf text = BUF_INIT;
	keys_init(&k);
	for (int i = 0; i < 100000; i++)
		buf_printf(&text, "%d,%d\r", 100000000 + i, 200000000 + i);
	keys_feed(&k, "\033[200~", 6);
	for (size_t off = 0; off < text.len; off += 4096) {
		keys_feed(&k, text.data + off, text.len - off < 4096 ? text.len - off : 4096);
		assert_false(keys_next(&k, &ev, false));
	}
	keys_feed(&k, "\033[201~", 6);
	assert_true(keys_next(&k, &ev, false));
	assert_int_equal(ev.kind, EV_PASTE);
	assert_int_equal(ev.len, text.len);
	assert_memory_equal(ev.text, text.data, text.len);
	buf_free(&text);
	keys_free(&k);
}

static void
test_paste_without_end(void **state)
{
	(void)state;
	struct keys k;
	struct event ev;
	keys_init(&k);
	keys_feed(&k, "\033[200~1,2\r3,4", 13);
	assert_false(keys_next(&k, &ev, false));
	keys_end_paste(&k);
	assert_true(keys_next(&k, &ev, false));
	assert_int_equal(ev.kind, EV_PASTE);
	assert_int_equal(ev.len, 7);
	keys_free(&k);
}

static void
test_names(void **state)
{
	(void)state;
	char b[32];
	keys_name(K_PGDN, b, sizeof(b));
	assert_string_equal(b, "PgDn");
	keys_name(12, b, sizeof(b));
	assert_string_equal(b, "C-l");
	keys_name('x' | K_ALT, b, sizeof(b));
	assert_string_equal(b, "M-x");
	keys_name('?', b, sizeof(b));
	assert_string_equal(b, "?");
	keys_name(KEY_ENTER_, b, sizeof(b));
	assert_string_equal(b, "Enter");
}

static void
test_width(void **state)
{
	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		skip();
	assert_int_equal(text_width("abc", 3), 3);
	assert_int_equal(text_width("\xe6\xb1\xba\xe8\xa3\x81\xe8\x80\x85", 9), 6);
	assert_int_equal(text_width("e\xcc\x81", 3), 1);     /* e + combining acute */
	assert_int_equal(text_width("\xf0\x9f\x98\x80", 4), 2); /* emoji */
	size_t used;
	/* A wide character that would straddle the edge stays out. */
	assert_int_equal(text_fit("a\xe6\xb1\xba" "b", 5, 2, &used), 1);
	assert_int_equal(used, 1);
	assert_int_equal(text_fit("a\xe6\xb1\xba" "b", 5, 3, &used), 4);
	assert_int_equal(used, 3);
	/* A combining mark stays with its letter. */
	assert_int_equal(text_fit("e\xcc\x81x", 4, 1, &used), 3);
}

static void
test_fuzzy(void **state)
{
	(void)state;
	assert_true(fuzzy_score("cont", "contacts") > 0);
	assert_int_equal(fuzzy_score("xyz", "contacts"), -1);
	assert_true(fuzzy_score("comp", "companies") > fuzzy_score("comp", "communications"));
	assert_true(fuzzy_score("li", "line_items") > fuzzy_score("li", "listings") - 100);
	assert_true(fuzzy_score("ct", "contacts") > 0);
	/* A prefix beats a scattered match. */
	assert_true(fuzzy_score("de", "deals") > fuzzy_score("de", "feedback_submissions"));
	assert_int_equal(fuzzy_score("", "anything"), 0);
	assert_true(fuzzy_score("CONT", "contacts") > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_controls),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_escape_waits),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_paste_is_data),
		cmocka_unit_test(test_big_paste_in_pieces),
		cmocka_unit_test(test_paste_without_end),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fuzzy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
