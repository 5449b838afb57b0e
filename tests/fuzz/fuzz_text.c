/*
 * fuzz_text: what reaches a terminal, a JSON file or a CSV file.
 *
 * text_escape() must leave nothing a terminal acts on: no C0 or C1 control,
 * no DEL, no bidirectional override, and only valid UTF-8.  json_escape()
 * must give a string a JSON parser reads back as the repaired text, with
 * nothing a terminal acts on in it.  csv_add_field() must quote what needs
 * quoting, leave no control, and start no cell like a formula.  text_fit() must never
 * cut inside a character or exceed its columns.
 */
#include <locale.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "hubassoc/text.h"

static void
check_terminal_safe(const char *s, size_t n)
{
	FUZZ_CHECK(utf8_valid(s, n), "escaped text is not UTF-8");
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = utf8_decode(s + i, n - i, &cp);

		FUZZ_CHECK(k > 0, "undecodable byte at %zu", i);
		FUZZ_CHECK(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0),
		    "control U+%04X left at %zu", cp, i);
		FUZZ_CHECK(!(cp >= 0x202a && cp <= 0x202e) &&
		    !(cp >= 0x2066 && cp <= 0x2069),
		    "bidirectional control U+%04X left at %zu", cp, i);
		i += k;
	}
}

static void
check_json(const char *s, size_t n)
{
	struct buf j = {0}, fixed = {0};

	buf_addc(&j, '"');
	json_escape(&j, s, n);
	buf_addc(&j, '"');
	check_terminal_safe(j.data, j.len);
	utf8_repair(&fixed, s, n);
	cJSON *v = cJSON_ParseWithLength(j.data, j.len);
	FUZZ_CHECK(v != NULL && cJSON_IsString(v), "json_escape gave bad JSON: %s",
	    buf_str(&j));
	/* cJSON stops a string at an escaped NUL; compare up to it. */
	size_t m = strlen(fixed.len ? fixed.data : "");
	FUZZ_CHECK(strlen(v->valuestring) == m &&
	    memcmp(v->valuestring, buf_str(&fixed), m) == 0,
	    "JSON reads back other text");
	cJSON_Delete(v);
	buf_free(&j);
	buf_free(&fixed);
}

static void
check_csv(const char *s, size_t n)
{
	char *field = strndup(s, n);  /* C strings: up to the first NUL */
	struct buf out = {0};
	bool special = strpbrk(field, ",\"") != NULL;

	csv_add_field(&out, field);
	check_terminal_safe(out.data ? out.data : "", out.len);
	const char *cell = buf_str(&out) + (out.len > 0 && out.data[0] == '"');
	FUZZ_CHECK(cell[0] == '\0' || strchr("=+-@", cell[0]) == NULL,
	    "a CSV cell starts like a formula");
	if (special) {
		FUZZ_CHECK(out.len >= 2 && out.data[0] == '"' &&
		    out.data[out.len - 1] == '"', "field needing quotes not quoted");
		/* Inside, every quote is doubled. */
		for (size_t i = 1; i + 1 < out.len; i++) {
			if (out.data[i] == '"') {
				FUZZ_CHECK(i + 2 < out.len && out.data[i + 1] == '"',
				    "lone quote inside a quoted field");
				i++;
			}
		}
	}
	buf_free(&out);
	free(field);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int locale_set;
	const char *s = (const char *)data;
	struct buf esc = {0};

	if (!locale_set) {
		/* Widths as a user's UTF-8 terminal measures them. */
		if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
			setlocale(LC_CTYPE, "");
		locale_set = 1;
	}
	text_escape(&esc, s, size);
	check_terminal_safe(esc.data ? esc.data : "", esc.len);

	size_t cols = size ? data[0] % 40 : 0, used = 99999;
	size_t fit = text_fit(buf_str(&esc), esc.len, cols, &used);
	FUZZ_CHECK(fit <= esc.len && used <= cols, "text_fit overflows");
	FUZZ_CHECK(utf8_valid(buf_str(&esc), fit), "text_fit cut a character");
	FUZZ_CHECK(text_width(buf_str(&esc), fit) == used,
	    "text_fit's width disagrees with text_width");

	char *cut = text_escape_str(s, size, 32);
	check_terminal_safe(cut, strlen(cut));
	free(cut);

	check_json(s, size);
	check_csv(s, size);
	buf_free(&esc);
	return 0;
}
