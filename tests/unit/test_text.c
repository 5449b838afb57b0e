/* test_text.c: buffers, arenas, numbers, and the escaping of untrusted text. */
#include "testutil.h"

#include "hubassoc/text.h"

static char *
escaped(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	text_escape(&b, s, n);
	return buf_detach(&b);
}

static void
test_buf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_reset(&b);
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	char *p = buf_detach(&b);
	assert_null(b.data);
	free(p);
	p = buf_detach(&b);
	assert_string_equal(p, "");
	free(p);
}

static void
test_arena(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(arena_str(&a, 0), "");
	uint32_t x = arena_add(&a, "101", 3);
	for (int i = 0; i < 100000; i++)
		arena_add(&a, "202202202", 9);
	uint32_t y = arena_add(&a, "303", 3);
	assert_string_equal(arena_str(&a, x), "101");
	assert_string_equal(arena_str(&a, y), "303");
	assert_int_equal(arena_add(&a, "", 0), 0);
	arena_free(&a);
}

static void
test_big(void **state)
{
	(void)state;
	/* From small to large and larger: contents kept, new space zeroed. */
	size_t sizes[] = { 64, 4096, 3u << 20, 5u << 20, 40u << 20 };
	unsigned char *p = xbig_alloc(sizes[0]);
	for (size_t i = 0; i < sizes[0]; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xab, sizes[0]);
	for (size_t k = 1; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		p = xbig_grow(p, sizes[k - 1], sizes[k]);
		for (size_t i = 0; i < sizes[k - 1]; i += 997)
			assert_int_equal(p[i], 0xab);
		assert_int_equal(p[sizes[k - 1] - 1], 0xab);
		for (size_t i = sizes[k - 1]; i < sizes[k]; i += 4093)
			assert_int_equal(p[i], 0);
		assert_int_equal(p[sizes[k] - 1], 0);
		memset(p, 0xab, sizes[k]);
	}
	xbig_free(p, sizes[4]);
	xbig_free(NULL, 100);
	p = xbig_alloc(9u << 20);
	assert_int_equal(p[(9u << 20) - 1], 0);
	xbig_free(p, 9u << 20);
}

static void
test_parse_uint(void **state)
{
	(void)state;
	unsigned long long v;
	assert_int_equal(parse_uint("2000", 1, 2000, &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(parse_uint("2001", 1, 2000, &v), -1);
	assert_int_equal(parse_uint("0", 1, 2000, &v), -1);
	assert_int_equal(parse_uint("", 0, 10, &v), -1);
	assert_int_equal(parse_uint("-1", 0, 10, &v), -1);
	assert_int_equal(parse_uint("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_uint("18446744073709551616", 0, UINT64_MAX, &v), -1);
	assert_int_equal(parse_uint("12a", 0, 100, &v), -1);
}

static void
test_casecmp(void **state)
{
	(void)state;
	assert_int_equal(ascii_casecmp("Primary", "PRIMARY"), 0);
	assert_true(ascii_casecmp("a", "b") < 0);
	assert_int_equal(ascii_ncasecmp("contacts", "CONTACTX", 7), 0);
	/* Non-ASCII bytes compare exactly. */
	assert_true(ascii_casecmp("\xc3\xa9", "\xc3\x89") != 0);
}

static void
test_utf8(void **state)
{
	(void)state;
	unsigned cp;
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 0);    /* overlong */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), 0);     /* cut */
	assert_true(utf8_valid("Kontakt \xe2\x86\x92 Firma", 16));
	assert_false(utf8_valid("\xff", 1));
}

static void
test_escape_controls(void **state)
{
	(void)state;
	char *e = escaped("a\x1b[2Jb\x07\n\t\r\x7f", 11);
	assert_string_equal(e, "a\\e[2Jb\\x07\\n\\t\\r\\x7f");
	free(e);
	/* C1 CSI (U+009B) starts a sequence on some terminals. */
	e = escaped("x\xc2\x9b" "31m", 6);
	assert_string_equal(e, "x\\u{009b}31m");
	free(e);
	/* Bidirectional overrides can reorder what is shown. */
	e = escaped("abc\xe2\x80\xae" "def", 9);
	assert_string_equal(e, "abc\\u{202e}def");
	free(e);
	/* Invalid bytes shown, wide characters kept. */
	e = escaped("\xff\xe6\x97\xa5\xf0\x9f\x98\x80", 8);
	assert_string_equal(e, "\\xff\xe6\x97\xa5\xf0\x9f\x98\x80");
	free(e);
	e = escaped("nul\0here", 8);
	assert_string_equal(e, "nul\\x00here");
	free(e);
}

static void
test_escape_str_cut(void **state)
{
	(void)state;
	/* Never cut inside a UTF-8 sequence. */
	char *e = text_escape_str("ab\xc3\xa9\xc3\xa9", 6, 3);
	assert_string_equal(e, "ab\xe2\x80\xa6");
	free(e);
	e = text_escape_str("short", 5, 10);
	assert_string_equal(e, "short");
	free(e);
	/* An empty string from a server is an empty string, not whatever the
	 * fresh buffer held (found by fuzz_text). */
	for (int i = 0; i < 8; i++) {
		e = text_escape_str("", 0, 32);
		assert_string_equal(e, "");
		memset(e, 'x', 1);  /* dirty the block for the next turn */
		free(e);
	}
}

static void
test_json_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	json_escape(&b, "q\"b\\s\n\x01\xff\xc3\xa9", 10);
	assert_string_equal(buf_str(&b), "q\\\"b\\\\s\\n\\u0001\xef\xbf\xbd\xc3\xa9");
	buf_reset(&b);
	json_add_string(&b, "x");
	assert_string_equal(buf_str(&b), "\"x\"");
	buf_free(&b);
}

static void
test_csv(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	csv_add_field(&b, "plain");
	buf_addc(&b, '|');
	csv_add_field(&b, "a,b");
	buf_addc(&b, '|');
	csv_add_field(&b, "say \"hi\"");
	buf_addc(&b, '|');
	csv_add_field(&b, "two\nlines");
	buf_addc(&b, '|');
	csv_add_field(&b, "");
	buf_addc(&b, '|');
	csv_add_field(&b, "bad\xff");
	assert_string_equal(buf_str(&b), "plain|\"a,b\"|\"say \"\"hi\"\"\"|"
	    "two\\nlines||bad\xef\xbf\xbd");
	buf_free(&b);
}

/* Server text written to CSV reaches terminals and spreadsheets: neither
 * may act on it. */
static void
test_csv_neutralised(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "\x1b]52;c;aGk=\x07", "\\e]52;c;aGk=\\x07" },      /* OSC 52 */
		{ "\x1b[2J\x1b]0;title\x07", "\\e[2J\\e]0;title\\x07" },
		{ "\xc2\x9b" "31m", "\\u{009b}31m" },                  /* CSI, C1 */
		{ "a\xe2\x80\xae" "b", "a\\u{202e}b" },                    /* RLO */
		{ "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"" },
		{ "+1", "'+1" },
		{ "-2+3", "'-2+3" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\t=1", "'\\t=1" },
		{ "\r=1", "'\\r=1" },
		{ "a=1", "a=1" },
		{ "101935997007", "101935997007" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		csv_add_field(&b, cases[i].in);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_free(&b);
	}
}

static void
test_json_neutralised(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	json_escape(&b, "\x1b[0m\xc2\x9b\xe2\x80\xae\xe2\x81\xa6\x7f\xc3\xa9", 15);
	assert_string_equal(buf_str(&b), "\\u001b[0m\\u009b\\u202e\\u2066\\u007f\xc3\xa9");
	buf_free(&b);
}

static void
test_hash(void **state)
{
	(void)state;
	assert_true(hash_bytes("101", 3, 0) != hash_bytes("102", 3, 0));
	assert_true(hash_bytes("101", 3, 0) == hash_bytes("101", 3, 0));
	assert_true(hash_bytes("101", 3, 0) != hash_bytes("101", 3, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_casecmp),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_str_cut),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_neutralised),
		cmocka_unit_test(test_json_neutralised),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
