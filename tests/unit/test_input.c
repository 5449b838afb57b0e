/* test_input.c: the pairs parser, from friendly to hostile input. */
#include "testutil.h"

#include "hubassoc/input.h"

static struct input *
parse_n(const char *s, size_t n)
{
	struct input *in = input_new();

	input_feed(in, s, n);
	input_finish(in);
	return in;
}

static struct input *
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static size_t
count_valid(const struct input *in)
{
	size_t n = 0;

	for (size_t i = 0; i < in->nrows; i++)
		n += in->rows[i].status == ROW_VALID;
	return n;
}

static void
assert_pair(const struct input *in, size_t i, uint32_t line, const char *from,
    const char *to)
{
	assert_true(i < in->nrows);
	assert_int_equal(in->rows[i].status, ROW_VALID);
	assert_int_equal(in->rows[i].line, line);
	assert_string_equal(input_from(in, &in->rows[i]), from);
	assert_string_equal(input_to(in, &in->rows[i]), to);
}

static void
assert_invalid(const struct input *in, size_t i, uint32_t line,
    enum input_reason why)
{
	assert_true(i < in->nrows);
	assert_int_equal(in->rows[i].status, ROW_INVALID);
	assert_int_equal(in->rows[i].line, line);
	assert_int_equal(in->rows[i].reason, why);
}

static char *
reason_text(const struct input *in, size_t i)
{
	struct buf b = BUF_INIT;

	input_reason_format(in, &in->rows[i], &b);
	return buf_detach(&b);
}

static void
test_separators(void **state)
{
	(void)state;
	struct input *in = parse("101,202\n103\t204\n105;206\n107 208\n"
	    "109   210\n111 , 212\n113\t 214\n");
	assert_int_equal(in->nrows, 7);
	assert_pair(in, 0, 1, "101", "202");
	assert_pair(in, 1, 2, "103", "204");
	assert_pair(in, 2, 3, "105", "206");
	assert_pair(in, 3, 4, "107", "208");
	assert_pair(in, 4, 5, "109", "210");
	assert_pair(in, 5, 6, "111", "212");
	assert_pair(in, 6, 7, "113", "214");
	input_free(in);
}

static void
test_line_endings(void **state)
{
	(void)state;
	struct input *in = parse("101,202\r\n103,204\r105,206\n\n107,208");
	assert_int_equal(in->nrows, 4);
	assert_pair(in, 0, 1, "101", "202");
	assert_pair(in, 1, 2, "103", "204");
	assert_pair(in, 2, 3, "105", "206");
	assert_pair(in, 3, 5, "107", "208");
	assert_int_equal(in->lines, 5);
	assert_int_equal(in->blank, 1);
	input_free(in);
}

static void
test_bom_comments_blank_header(void **state)
{
	(void)state;
	struct input *in = parse("\xef\xbb\xbf# exported today\n\n"
	    "Contact ID,Company ID\n  # indented comment\n101,202\n   \n");
	assert_int_equal(in->nrows, 1);
	assert_pair(in, 0, 5, "101", "202");
	assert_int_equal(in->header_line, 3);
	assert_string_equal(in->header, "Contact ID,Company ID");
	assert_int_equal(in->comments, 2);
	assert_int_equal(in->blank, 2);
	input_free(in);
}

static void
test_header_only(void **state)
{
	(void)state;
	struct input *in = parse("from,to\n");
	assert_int_equal(in->nrows, 0);
	assert_int_equal(in->header_line, 1);
	input_free(in);
}

static void
test_late_header(void **state)
{
	(void)state;
	struct input *in = parse("101,202\nfrom,to\n103,204\n");
	assert_int_equal(in->nrows, 3);
	assert_int_equal(in->header_line, 0);
	assert_invalid(in, 1, 2, INPUT_LATE_HEADER);
	char *m = reason_text(in, 1);
	assert_non_null(strstr(m, "header"));
	free(m);
	input_free(in);
}

/* A cell that lists several IDs, as an export's "Associated Company IDs"
 * does: said as such, with what to do; letters stay "not a number". */
static void
test_several_ids(void **state)
{
	(void)state;
	struct input *in = parse("Record ID,Company IDs\n101,\"201;202\"\n"
	    "102,\"203, 204, 205\"\n103,20x\n");
	assert_int_equal(in->nrows, 3);
	assert_invalid(in, 0, 2, INPUT_NOT_DIGITS);
	char *m = reason_text(in, 0);
	assert_string_equal(m, "TO ID '201;202' holds 2 IDs: give one pair a line "
	    "(a FROM and one TO)");
	free(m);
	m = reason_text(in, 1);
	assert_non_null(strstr(m, "holds 3 IDs"));
	free(m);
	m = reason_text(in, 2);
	assert_non_null(strstr(m, "'20x' is not a number"));
	free(m);
	/* ... and grouped so (Errors, show, the summary). */
	assert_true(input_row_several_ids(in, &in->rows[0]));
	assert_false(input_row_several_ids(in, &in->rows[2]));
	input_free(in);
}

/* A line split otherwise than its comma sheet (a tab line, a semicolon
 * line): said as such, not as a bad number. */
static void
test_other_separator(void **state)
{
	(void)state;
	struct input *in = parse("Contact ID,Company ID,Notes\n101,201,a\n"
	    "102\t202\ttab\n103;203;semicolon\n104x,204,c\n");
	assert_int_equal(in->nrows, 4);
	assert_invalid(in, 1, 3, INPUT_NOT_DIGITS);
	char *m = reason_text(in, 1);
	assert_non_null(strstr(m, "is the whole line, split by tabs where the sheet's "
	    "lines are split as its header is"));
	free(m);
	m = reason_text(in, 2);
	assert_non_null(strstr(m, "split by semicolons"));
	free(m);
	m = reason_text(in, 3);
	assert_non_null(strstr(m, "'104x' is not a number"));
	free(m);
	input_free(in);
}

static void
test_quoting(void **state)
{
	(void)state;
	struct input *in = parse("\"101\",\"202\"\n"
	    "\"103\" , \"204\",\"Billing, EU\"\n"
	    "\"105\";\"206\";\"say \"\"hi\"\"\"\n"
	    "\"107\" \"208\"\n");
	assert_int_equal(count_valid(in), 4);
	assert_pair(in, 0, 1, "101", "202");
	assert_pair(in, 1, 2, "103", "204");
	assert_string_equal(in->sets[in->rows[1].set].text, "Billing, EU");
	assert_pair(in, 2, 3, "105", "206");
	assert_string_equal(in->sets[in->rows[2].set].text, "say \"hi\"");
	assert_pair(in, 3, 4, "107", "208");
	input_free(in);
}

static void
test_spec_column(void **state)
{
	(void)state;
	struct input *in = parse("101,202,279\n103,204,USER_DEFINED:36;279\n"
	    "105;206;279;USER_DEFINED:36\n107 208 Billing contact\n"
	    "109,210,,\n111,212,279\n113,214,FOO_BAR:1\n");
	assert_int_equal(in->nrows, 7);
	/* Identical columns share a set. */
	assert_int_equal(in->rows[0].set, in->rows[5].set);
	const struct input_set *s = &in->sets[in->rows[1].set];
	assert_int_equal(s->n, 2);
	assert_int_equal(s->specs[0].cat, ASSOC_CAT_USER);
	assert_int_equal(s->specs[0].type_id, 36);
	assert_int_equal(s->specs[1].cat, ASSOC_CAT_UNKNOWN);
	/* With ';' as separator each further field is a spec. */
	assert_string_equal(in->sets[in->rows[2].set].text, "279;USER_DEFINED:36");
	/* With blanks as separator the rest of the line is the column. */
	s = &in->sets[in->rows[3].set];
	assert_int_equal(s->n, 1);
	assert_int_equal(s->specs[0].cat, ASSOC_CAT_LABEL);
	assert_string_equal(s->specs[0].label, "Billing contact");
	/* Trailing empty spreadsheet columns mean no column. */
	assert_int_equal(in->rows[4].set, 0);
	assert_invalid(in, 6, 7, INPUT_BAD_SPEC);
	char *m = reason_text(in, 6);
	assert_non_null(strstr(m, "FOO_BAR"));
	free(m);
	input_free(in);
}

static void
test_ids(void **state)
{
	(void)state;
	struct input *in = parse("00101,0202\n"
	    "12345678901234567890,1\n"
	    "123456789012345678901,1\n"
	    "0,1\n"
	    "000,1\n"
	    "101935997007,38374264688\n");
	assert_pair(in, 0, 1, "101", "202");
	assert_pair(in, 1, 2, "12345678901234567890", "1");
	assert_invalid(in, 2, 3, INPUT_TOO_MANY_DIGITS);
	assert_invalid(in, 3, 4, INPUT_ZERO);
	assert_invalid(in, 4, 5, INPUT_ZERO);
	assert_pair(in, 5, 6, "101935997007", "38374264688");
	input_free(in);
}

/* The hostile table: each input, how many rows, how many valid, and the
 * first invalid row's reason. */
struct hostile {
	const char *name;
	const char *data;
	size_t len;
	size_t rows;
	size_t valid;
	enum input_reason reason;
	uint8_t field;
};

#define H(name, lit, rows, valid, reason, field) \
	{ name, lit, sizeof(lit) - 1, rows, valid, reason, field }

static const struct hostile hostile[] = {
	H("empty", "", 0, 0, INPUT_OK, 0),
	H("only newlines", "\n\n\r\n", 0, 0, INPUT_OK, 0),
	H("header only", "from,to", 0, 0, INPUT_OK, 0),
	H("NUL byte", "101,2\0""02\n103,204\n", 2, 1, INPUT_NUL, 0),
	H("binary garbage", "101,202\n\x89PNG\x1a\x03\xff\xfe,\x01\x02\n", 2, 1,
	    INPUT_BAD_UTF8, 1),
	H("invalid UTF-8 in ID", "101,20\xc3\x28\n", 1, 0, INPUT_BAD_UTF8, 2),
	H("overlong UTF-8", "101,\xc0\xb1\n", 1, 0, INPUT_BAD_UTF8, 2),
	H("21 digits", "101,123456789012345678901\n", 1, 0,
	    INPUT_TOO_MANY_DIGITS, 2),
	H("negative", "-101,202\n", 1, 0, INPUT_SIGNED, 1),
	H("plus sign", "101,+202\n", 1, 0, INPUT_SIGNED, 2),
	H("decimal", "101.0,202\n", 1, 0, INPUT_DECIMAL, 1),
	H("European decimal", "101;202,5\n", 1, 0, INPUT_DECIMAL, 2),
	H("scientific", "1.01936E+11,202\n", 1, 0, INPUT_SCIENTIFIC, 1),
	H("full-width digits", "\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91,202\n", 1, 0,
	    INPUT_NON_ASCII_DIGITS, 1),
	H("Arabic-Indic digits", "101,\xd9\xa2\xd9\xa0\xd9\xa2\n", 1, 0,
	    INPUT_NON_ASCII_DIGITS, 2),
	H("letters", "101,abc\n", 1, 0, INPUT_NOT_DIGITS, 2),
	H("hex", "0x65,202\n", 1, 0, INPUT_NOT_DIGITS, 1),
	H("one field", "101\n", 1, 0, INPUT_ONE_FIELD, 0),
	H("empty first field", ",202\n", 1, 0, INPUT_EMPTY_FIELD, 1),
	H("empty second field", "101,\n", 1, 0, INPUT_EMPTY_FIELD, 2),
	H("empty tab field", "101\t\t202\n", 1, 0, INPUT_EMPTY_FIELD, 2),
	H("unbalanced quote", "\"101,202\n103,204\n", 2, 1, INPUT_BAD_QUOTE, 0),
	H("text after quote", "\"101\"x,202\n", 1, 0, INPUT_BAD_QUOTE, 0),
	H("quote in second field", "101,\"202\n", 1, 0, INPUT_BAD_QUOTE, 0),
	H("mixed separators", "101,202\n103;204\n105\t206\n107 208\n", 4, 4,
	    INPUT_OK, 0),
	H("mixed within a line", "101,202;203\n", 1, 0, INPUT_NOT_DIGITS, 2),
	H("escape sequence", "\x1b[31m101,202\n", 1, 0, INPUT_NOT_DIGITS, 1),
	H("UTF-16", "\xff\xfe""1\0""0\0""1\0"",\0""2\0", 0, 0, INPUT_OK, 0),
	H("no-break spaces", "\xc2\xa0""101\xc2\xa0,\xe2\x80\x8b""202\n", 1, 1,
	    INPUT_OK, 0),
};

static void
test_hostile_table(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(hostile) / sizeof(hostile[0]); t++) {
		const struct hostile *h = &hostile[t];
		struct input *in = parse_n(h->data, h->len);
		size_t first = SIZE_MAX;

		print_message("  %s\n", h->name);
		assert_int_equal(in->nrows, h->rows);
		assert_int_equal(count_valid(in), h->valid);
		for (size_t i = 0; i < in->nrows && first == SIZE_MAX; i++)
			if (in->rows[i].status == ROW_INVALID)
				first = i;
		if (h->reason != INPUT_OK) {
			assert_true(first != SIZE_MAX);
			assert_int_equal(in->rows[first].reason, h->reason);
			assert_int_equal(in->rows[first].field, h->field);
			/* Every reason prints, and prints nothing raw. */
			char *m = reason_text(in, first);
			assert_true(strlen(m) > 0);
			for (const char *c = m; *c; c++)
				assert_true((unsigned char)*c >= 0x20 && *c != 0x7f);
			free(m);
		}
		/* A one-field line's field is its FROM, as far as it goes
		 * (before: FROM and TO empty in exports and views). */
		if (h->reason == INPUT_ONE_FIELD) {
			assert_string_equal(input_from(in, &in->rows[first]), "101");
			assert_string_equal(input_to(in, &in->rows[first]), "");
		}
		input_free(in);
	}
}

static void
test_utf16_is_fatal(void **state)
{
	(void)state;
	struct input *in = parse_n("\xff\xfe""1\0"",\0""2\0", 8);
	assert_non_null(in->fatal);
	assert_non_null(strstr(in->fatal, "UTF-16"));
	input_free(in);
	/* The same when a pipe brings the BOM a byte at a time (fuzz_input). */
	in = input_new();
	input_feed(in, "\xfe", 1);
	input_feed(in, "\xff", 1);
	input_feed(in, "\0""1\0"",\0""2", 6);
	input_finish(in);
	assert_non_null(in->fatal);
	assert_int_equal(in->nrows, 0);
	input_free(in);
	/* A lone first byte that could start one is still a line's start. */
	in = input_new();
	input_feed(in, "\xfe", 1);
	input_feed(in, "1,2\n", 4);
	input_finish(in);
	assert_null(in->fatal);
	assert_int_equal(in->nrows, 1);
	assert_int_equal(in->rows[0].status, ROW_INVALID);
	input_free(in);
}

/* A line past 64 KiB is a bad line, kept as a snippet; the reading goes
 * on.  One past 1 MiB is no pairs file: the reading stops there. */
static void
test_long_lines(void **state)
{
	(void)state;
	size_t big = 512 * 1024, huge = 10 * 1024 * 1024;
	char *data = malloc(huge + 32);
	memset(data, '7', huge);
	memcpy(data + big, "\n101,202\n", 9);

	/* In one piece. */
	struct input *in = parse_n(data, big + 9);
	assert_null(in->fatal);
	assert_int_equal(in->nrows, 2);
	assert_invalid(in, 0, 1, INPUT_LINE_TOO_LONG);
	assert_pair(in, 1, 2, "101", "202");
	input_free(in);

	/* In 4 KiB pieces, as from a pipe. */
	in = input_new();
	for (size_t off = 0; off < big + 9; off += 4096)
		input_feed(in, data + off, big + 9 - off < 4096 ? big + 9 - off : 4096);
	input_finish(in);
	assert_int_equal(in->nrows, 2);
	assert_invalid(in, 0, 1, INPUT_LINE_TOO_LONG);
	assert_pair(in, 1, 2, "101", "202");
	/* Only a snippet is kept. */
	assert_true(in->text.len < 4096);
	input_free(in);

	/* Without a final newline. */
	in = parse_n(data, big);
	assert_int_equal(in->nrows, 1);
	assert_invalid(in, 0, 1, INPUT_LINE_TOO_LONG);
	input_free(in);

	/* Ten megabytes without a line end, whole or in pieces: fatal. */
	memcpy(data, "1,2\n", 4);
	memset(data + big, '7', 9);
	in = parse_n(data, huge);
	assert_non_null(in->fatal);
	assert_string_equal(in->fatal, "line 2 is longer than 1 MiB: not a pairs file");
	assert_int_equal(in->nrows, 1);
	input_free(in);
	in = input_new();
	for (size_t off = 0; off < huge && in->fatal == NULL; off += 65536)
		input_feed(in, data + off, 65536);
	assert_non_null(in->fatal);
	assert_string_equal(in->fatal, "line 2 is longer than 1 MiB: not a pairs file");
	input_finish(in);
	input_free(in);
	free(data);
}

/* What is not text stops the reading with the line and the reason. */
static void
test_not_text(void **state)
{
	(void)state;
	static const char zeros[] = "1,2\n3,4\n\0\0\0\0\0\0\0\0\0\0,5\n";
	struct input *in = parse_n(zeros, sizeof(zeros) - 1);
	assert_string_equal(in->fatal, "line 3: a run of NUL bytes: not a pairs file "
	    "(binary data?)");
	assert_int_equal(in->nrows, 2);
	input_free(in);
	/* One stray NUL is a bad line, no more. */
	in = parse_n("1,2\0\n3,4\n", 9);
	assert_null(in->fatal);
	assert_int_equal(in->nrows, 2);
	assert_invalid(in, 0, 1, INPUT_NUL);
	input_free(in);
	/* UTF-16 without a BOM: the UTF-16 hint, not "NUL byte". */
	static const char le[] = "1\0,\0\x32\0\n\0";
	in = parse_n(le, sizeof(le) - 1);
	assert_non_null(in->fatal);
	assert_non_null(strstr(in->fatal, "line 1: input is UTF-16 text"));
	input_free(in);
	static const char be[] = "\0\x31\0,\0\x32\0\n";
	in = parse_n(be, sizeof(be) - 1);
	assert_non_null(strstr(in->fatal, "input is UTF-16 text"));
	input_free(in);
	/* Binary with no NUL run, as /dev/urandom is: many NUL lines. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 300; i++)
		buf_add(&b, "x\0y\n", 4);
	in = parse_n(b.data, b.len);
	assert_non_null(strstr(in->fatal, "lines hold NUL bytes: not a pairs file"));
	assert_true(in->nrows <= 100);
	input_free(in);
	buf_free(&b);
}

/* The row limit is said, with the line it was met on. */
static void
test_row_limit(void **state)
{
	(void)state;
	struct input *in = input_new();
	assert_int_equal(in->max_rows, 10000000);
	in->max_rows = 3;
	const char text[] = "1,2\n3,4\n5,6\n7,8\n9,10\n";
	input_feed(in, text, sizeof(text) - 1);
	input_finish(in);
	assert_string_equal(in->fatal, "line 4: more than 3 rows; hubassoc reads at "
	    "most 3 rows at a time: split the input");
	assert_int_equal(in->nrows, 3);
	input_free(in);
}

static void
test_million_lines(void **state)
{
	(void)state;
	size_t n = 1000000;
	struct buf b = BUF_INIT;

	buf_grow(&b, n * 26);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%llu,%llu\n", 10000000000ULL + i, 90000000000ULL + i);
	struct input *in = parse_n(b.data, b.len);
	assert_int_equal(in->nrows, n);
	assert_int_equal(count_valid(in), n);
	assert_pair(in, n - 1, (uint32_t)n, "10000999999", "90000999999");
	/* About 32 bytes a row and the ID text: well under 100 MB. */
	assert_true(in->cap * sizeof(*in->rows) + in->text.cap < 100u << 20);
	input_free(in);
	buf_free(&b);
}

/* Feeding in pieces of any size gives the rows of feeding all at once. */
static void
test_pieces(void **state)
{
	(void)state;
	static const char sample[] = "\xef\xbb\xbf" "from,to\r\n101,202\r\n"
	    "\"103\",\"204\",\"Billing, EU\"\r105;206\n\n# c\r\n107 208 279\r"
	    "x,1\r\n109,210";
	size_t len = sizeof(sample) - 1;
	struct input *whole = parse_n(sample, len);

	assert_int_equal(whole->nrows, 6);
	for (size_t piece = 1; piece <= len; piece++) {
		struct input *in = input_new();
		for (size_t off = 0; off < len; off += piece)
			input_feed(in, sample + off, len - off < piece ? len - off : piece);
		input_finish(in);
		assert_int_equal(in->nrows, whole->nrows);
		assert_int_equal(in->lines, whole->lines);
		assert_int_equal(in->header_line, whole->header_line);
		for (size_t i = 0; i < in->nrows; i++) {
			assert_int_equal(in->rows[i].line, whole->rows[i].line);
			assert_int_equal(in->rows[i].status, whole->rows[i].status);
			assert_string_equal(input_from(in, &in->rows[i]),
			    input_from(whole, &whole->rows[i]));
			assert_string_equal(input_to(in, &in->rows[i]),
			    input_to(whole, &whole->rows[i]));
			assert_string_equal(in->sets[in->rows[i].set].text,
			    whole->sets[whole->rows[i].set].text);
		}
		input_free(in);
	}
	input_free(whole);
}

static void
test_reason_escapes_terminal_text(void **state)
{
	(void)state;
	struct input *in = parse("\x1b]2\x07x,202\n");
	char *m = reason_text(in, 0);
	assert_null(strchr(m, 0x1b));
	assert_null(strchr(m, 0x07));
	assert_non_null(strstr(m, "\\e]2\\x07x"));
	free(m);
	input_free(in);
}

static void
test_read_path(void **state)
{
	(void)state;
	char path[] = "/tmp/hubassoc-input-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "101,202\n103,204\n", 16), 16);
	close(fd);
	struct input *in = input_new();
	char *cause = NULL;
	assert_int_equal(input_read_path(in, path, &cause), 0);
	assert_int_equal(in->nrows, 2);
	input_free(in);
	unlink(path);

	in = input_new();
	assert_int_equal(input_read_path(in, "/nonexistent/pairs.csv", &cause), -1);
	assert_non_null(strstr(cause, "No such file"));
	free(cause);
	input_free(in);
	in = input_new();
	assert_int_equal(input_read_path(in, "/tmp", &cause), -1);
	assert_non_null(strstr(cause, "directory"));
	free(cause);
	input_free(in);
}

/* :write's file reads back as the same rows: pairs, SPEC columns (one
 * with a comma in a label), and invalid rows of each kind kept. */
static void
test_write_reads_back(void **state)
{
	(void)state;
	static const char text[] =
	    "\xef\xbb\xbf" "contact_id;company_id;types\r\n"
	    "101;202\r\n"
	    "# a comment\n"
	    "\n"
	    "0103\t204\tUSER_DEFINED:36;Primary\n"
	    "105,206,\"Billing, primary\"\n"
	    "107 208 \"Say \"\"hi\"\"\"\n"
	    "x,12\n"
	    "12,-3\n"
	    "1020\n"
	    "1.5e3,7\n"
	    "101,202\n";
	struct input *a = input_new(), *b = input_new();
	char path[] = "/tmp/hubassoc-test-write-XXXXXX", *cause = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	input_feed(a, text, sizeof(text) - 1);
	input_finish(a);
	assert_int_equal(input_write_fd(a, fd, &cause), 0);
	close(fd);
	assert_int_equal(input_read_path(b, path, &cause), 0);
	unlink(path);
	assert_int_equal(b->nrows, a->nrows);
	for (size_t i = 0; i < a->nrows; i++) {
		const struct input_row *x = &a->rows[i], *y = &b->rows[i];
		assert_int_equal(x->status, y->status);
		assert_int_equal(x->reason, y->reason);
		assert_int_equal(x->field, y->field);
		assert_string_equal(input_from(a, x), input_from(b, y));
		assert_string_equal(input_to(a, x), input_to(b, y));
		assert_string_equal(a->sets[x->set].text, b->sets[y->set].text);
		assert_string_equal(input_detail(a, x), input_detail(b, y));
	}
	input_free(a);
	input_free(b);
}

static char *
label(const struct input *in, size_t row)
{
	struct buf b = BUF_INIT;

	input_line_label(in, in->rows[row].line, &b);
	return buf_detach(&b);
}

/* Each source numbers its own lines; labels name the source once there
 * are several, a one-line source by its name alone. */
static void
test_sources(void **state)
{
	(void)state;
	struct input *in = input_new();
	char *l;

	input_begin_source(in, "paste 1");
	input_feed(in, "from,to\n1,2\n3,4\n", 16);
	input_finish(in);
	l = label(in, 1);
	assert_string_equal(l, "3");          /* one source: plain numbers */
	free(l);
	input_begin_source(in, "a.csv");
	input_feed(in, "\xef\xbb\xbf" "contact,company\n5,6\n", 23);
	input_finish(in);
	input_begin_source(in, "typed 1");
	input_feed(in, "7,8", 3);
	input_finish(in);
	assert_int_equal(in->nrows, 4);
	assert_int_equal(in->rows[2].status, ROW_VALID);   /* its own header, BOM */
	l = label(in, 0);
	assert_string_equal(l, "paste 1:2");
	free(l);
	l = label(in, 2);
	assert_string_equal(l, "a.csv:2");
	free(l);
	l = label(in, 3);
	assert_string_equal(l, "typed 1");
	free(l);
	size_t src;
	assert_int_equal(input_source_line(in, in->rows[2].line, &src), 2);
	assert_int_equal(src, 1);
	/* Line numbers stay unique and in order underneath. */
	assert_true(in->rows[2].line > in->rows[1].line);
	input_clear(in);
	assert_int_equal(in->nsources, 0);
	input_begin_source(in, "paste 1");
	input_feed(in, "9,10\n", 5);
	input_finish(in);
	assert_int_equal(in->rows[0].line, 1);
	input_free(in);
}

/* A spreadsheet's copy: TAB-separated cells that hold thousands
 * separators are said to, not read as a label with a control character. */
static void
test_thousands(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		enum input_status status;
		enum input_reason reason;
		uint8_t field;
	} cases[] = {
		{ "127,667,541\t538749851", ROW_INVALID, INPUT_THOUSANDS, 1 },
		{ "1.234.567\t2", ROW_INVALID, INPUT_THOUSANDS, 1 },
		{ "1 234 567\t2", ROW_INVALID, INPUT_THOUSANDS, 1 },
		{ "1\xc2\xa0" "234\t5", ROW_INVALID, INPUT_THOUSANDS, 1 },
		{ "5\t12'345", ROW_INVALID, INPUT_THOUSANDS, 2 },
		{ "101\t202", ROW_VALID, INPUT_OK, 0 },
		{ "101,202", ROW_VALID, INPUT_OK, 0 },
		{ "1.5\t2", ROW_INVALID, INPUT_DECIMAL, 1 },
		{ "1,2345\t2", ROW_INVALID, INPUT_DECIMAL, 1 },
		/* A TAB inside quotes: the comma still separates, and the
		 * label's TAB is the SPEC column's fault, not the IDs'. */
		{ "101,202,\"Billing\tcontact\"", ROW_INVALID, INPUT_BAD_SPEC, 3 },
	};
	for (size_t k = 0; k < HA_ARRAY_LEN(cases); k++) {
		struct input *in = input_new();
		input_feed(in, cases[k].line, strlen(cases[k].line));
		input_finish(in);
		assert_int_equal(in->nrows, 1);
		if (in->rows[0].status != cases[k].status ||
		    in->rows[0].reason != cases[k].reason)
			fail_msg("%s: status %d reason %d", cases[k].line,
			    in->rows[0].status, in->rows[0].reason);
		if (cases[k].reason == INPUT_THOUSANDS) {
			struct buf b = BUF_INIT;
			assert_int_equal(in->rows[0].field, cases[k].field);
			input_reason_format(in, &in->rows[0], &b);
			assert_non_null(strstr(buf_str(&b), "remove them (format the column "
			    "as text)"));
			buf_free(&b);
		}
		input_free(in);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_several_ids),
		cmocka_unit_test(test_other_separator),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_bom_comments_blank_header),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_late_header),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_spec_column),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_hostile_table),
		cmocka_unit_test(test_utf16_is_fatal),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_not_text),
		cmocka_unit_test(test_row_limit),
		cmocka_unit_test(test_million_lines),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_reason_escapes_terminal_text),
		cmocka_unit_test(test_read_path),
		cmocka_unit_test(test_write_reads_back),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_thousands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
