/* text.c: escaping untrusted text for terminals, JSON and CSV. */
#include "hubassoc/text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

size_t
utf8_decode(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c, min;
	size_t len;

	if (n == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool
utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	unsigned cp;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return false;
		i += len;
	}
	return true;
}

static bool
is_bidi_control(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

void
text_escape(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	unsigned cp;

	buf_grow(out, n);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len;

		if (c >= 0x20 && c < 0x7f) {
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] >= 0x20 &&
			    (unsigned char)s[j] < 0x7f)
				j++;
			buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		switch (c) {
		case '\n': buf_addstr(out, "\\n"); i++; continue;
		case '\t': buf_addstr(out, "\\t"); i++; continue;
		case '\r': buf_addstr(out, "\\r"); i++; continue;
		case 0x1b: buf_addstr(out, "\\e"); i++; continue;
		default: break;
		}
		if (c < 0x80) {
			buf_printf(out, "\\x%02x", c);
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			buf_printf(out, "\\x%02x", c);
			i++;
		} else if (cp >= 0x80 && cp < 0xa0) {
			/* C1 controls: CSI (U+009B) alone starts a sequence. */
			buf_printf(out, "\\u{%04x}", cp);
			i += len;
		} else if (is_bidi_control(cp)) {
			buf_printf(out, "\\u{%04x}", cp);
			i += len;
		} else {
			buf_add(out, s + i, len);
			i += len;
		}
	}
}

char *
text_escape_str(const char *s, size_t n, size_t max)
{
	struct buf b = BUF_INIT;
	bool cut = false;

	if (n > max) {
		/* Do not cut inside a UTF-8 sequence. */
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		cut = true;
	}
	text_escape(&b, s, n);
	if (cut)
		buf_addstr(&b, "\xe2\x80\xa6");
	return buf_detach(&b);
}

void
json_escape(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	unsigned cp;

	buf_grow(out, n + 2);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
			size_t j = i + 1;
			while (j < n) {
				unsigned char d = (unsigned char)s[j];
				if (d < 0x20 || d == '"' || d == '\\' || d >= 0x7f)
					break;
				j++;
			}
			buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
			i++;
		} else if (c == '\n') {
			buf_addstr(out, "\\n");
			i++;
		} else if (c == '\t') {
			buf_addstr(out, "\\t");
			i++;
		} else if (c == '\r') {
			buf_addstr(out, "\\r");
			i++;
		} else if (c < 0x80) {
			char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
			buf_add(out, u, 6);
			i++;
		} else {
			size_t len = utf8_decode(s + i, n - i, &cp);
			if (len == 0) {
				buf_addstr(out, "\xef\xbf\xbd");
				i++;
			} else if ((cp >= 0x80 && cp < 0xa0) || is_bidi_control(cp)) {
				/* C1 controls (CSI alone starts a sequence) and
				 * bidi overrides, as \uXXXX: the same text to a
				 * JSON reader, nothing to a terminal. */
				buf_printf(out, "\\u%04x", cp);
				i += len;
			} else {
				buf_add(out, s + i, len);
				i += len;
			}
		}
	}
}

void
json_add_string(struct buf *out, const char *s)
{
	buf_addc(out, '"');
	json_escape(out, s, strlen(s));
	buf_addc(out, '"');
}

void
utf8_repair(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	unsigned cp;

	buf_grow(out, n);
	while (i < n) {
		size_t len = (unsigned char)s[i] < 0x80 ? 1 :
		    utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			buf_addstr(out, "\xef\xbf\xbd");
			i++;
		} else {
			buf_add(out, s + i, len);
			i += len;
		}
	}
}

void
csv_add_field(struct buf *out, const char *s)
{
	struct buf fixed = BUF_INIT, safe = BUF_INIT;
	const char *v;
	size_t n;
	bool quote;

	/* Nothing a terminal or a spreadsheet acts on survives: controls and
	 * bidi overrides are written as visible escapes, like text_escape. */
	utf8_repair(&fixed, s, strlen(s));
	/* A spreadsheet runs a cell that starts like a formula (OWASP's CSV
	 * injection rule): a quote in front makes it text. */
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_addc(&safe, '\'');
	text_escape(&safe, buf_str(&fixed), fixed.len);
	v = buf_str(&safe);
	n = safe.len;
	quote = n > 0 && (strpbrk(v, ",\"") != NULL || v[0] == ' ' || v[n - 1] == ' ');
	if (!quote) {
		buf_add(out, v, n);
	} else {
		buf_addc(out, '"');
		for (const char *p = v, *q; ; p = q + 1) {
			if ((q = strchr(p, '"')) == NULL) {
				buf_addstr(out, p);
				break;
			}
			buf_add(out, p, (size_t)(q - p));
			buf_addstr(out, "\"\"");
		}
		buf_addc(out, '"');
	}
	buf_free(&fixed);
	buf_free(&safe);
}

static int
cp_width(unsigned cp)
{
	int w = wcwidth((wchar_t)cp);

	/* Unknown to the locale: one column, as most terminals draw it. */
	return w < 0 ? 1 : w;
}

size_t
text_width(const char *s, size_t n)
{
	size_t w = 0, i = 0;
	unsigned cp;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			w += s[i] >= 0x20 && s[i] != 0x7f;
			i++;
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)cp_width(cp);
		i += len;
	}
	return w;
}

size_t
text_fit(const char *s, size_t n, size_t cols, size_t *used)
{
	size_t w = 0, i = 0;
	unsigned cp;

	while (i < n) {
		size_t len = 1, cw = 1;
		if ((unsigned char)s[i] >= 0x80) {
			len = utf8_decode(s + i, n - i, &cp);
			if (len == 0)
				len = 1;
			else
				cw = (size_t)cp_width(cp);
		}
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
	}
	/* Combining marks after the last character belong with it. */
	while (i < n && (unsigned char)s[i] >= 0x80) {
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0 || cp_width(cp) != 0)
			break;
		i += len;
	}
	if (used != NULL)
		*used = w;
	return i;
}

size_t
text_wrap(const char *s, size_t n, size_t cols)
{
	size_t used, len = text_fit(s, n, cols, &used);

	if (len < n) {
		size_t k = len;
		while (k > 0 && s[k - 1] != ' ')
			k--;
		if (k > 0)
			len = k;
	}
	if (len == 0 && n > 0) {
		/* Not even one character fits: it goes alone. */
		size_t one = 1;
		while (one < n && ((unsigned char)s[one] & 0xc0) == 0x80)
			one++;
		len = one;
	}
	return len;
}

size_t
text_hang(const char *t, size_t max)
{
	size_t i = 0;

	while (t[i] == ' ')
		i++;
	for (; t[i] != '\0' && i < max; i++)
		if (t[i] == ' ' && t[i + 1] == ' ') {
			while (t[i] == ' ')
				i++;
			return i < max ? i : 0;
		}
	return 0;
}

int
fuzzy_score(const char *pattern, const char *text)
{
	int score = 0, run = 0;
	size_t ti = 0;
	bool first = true;

	if (*pattern == '\0')
		return 0;
	for (size_t pi = 0; pattern[pi] != '\0'; pi++) {
		int pc = ascii_tolower((unsigned char)pattern[pi]);
		bool found = false;
		for (; text[ti] != '\0'; ti++) {
			if (ascii_tolower((unsigned char)text[ti]) != pc) {
				run = 0;
				continue;
			}
			bool start = ti == 0 || text[ti - 1] == '_' || text[ti - 1] == '-' ||
			    text[ti - 1] == ' ' || text[ti - 1] == '/';
			score += 1 + (run > 0 ? 4 * run : 0) + (start ? 6 : 0) +
			    (first && ti == 0 ? 10 : 0);
			run++;
			ti++;
			found = true;
			break;
		}
		if (!found)
			return -1;
		first = false;
	}
	/* Shorter texts for the same match rank first. */
	return score * 4 - (int)(strlen(text) / 4);
}

const char *
fmt_count(char buf[32], size_t n)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof(tmp), "%zu", n), k = 0;

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = '\0';
	return buf;
}

const char *
fmt_counted(char buf[64], size_t n, const char *noun)
{
	char c[32];

	snprintf(buf, 64, "%s %.24s%s", fmt_count(c, n), noun, n == 1 ? "" : "s");
	return buf;
}

void
json_add_member(struct buf *out, const char *key, const char *value)
{
	buf_addc(out, ',');
	json_add_string(out, key);
	buf_addc(out, ':');
	if (value != NULL)
		json_add_string(out, value);
	else
		buf_addstr(out, "null");
}

static void
pretty_node(struct buf *b, const cJSON *j, int indent)
{
	char *flat = cJSON_PrintUnformatted(j);
	bool container = cJSON_IsObject(j) || cJSON_IsArray(j);

	if (flat != NULL && (!container || strlen(flat) + (size_t)indent <= 76 ||
	    j->child == NULL)) {
		buf_addstr(b, flat);
		cJSON_free(flat);
		return;
	}
	cJSON_free(flat);
	buf_addc(b, cJSON_IsObject(j) ? '{' : '[');
	for (const cJSON *c = j->child; c != NULL; c = c->next) {
		buf_printf(b, "\n%*s", indent + 2, "");
		if (cJSON_IsObject(j)) {
			json_add_string(b, c->string != NULL ? c->string : "");
			buf_addstr(b, ": ");
		}
		pretty_node(b, c, indent + 2);
		if (c->next != NULL)
			buf_addc(b, ',');
	}
	buf_printf(b, "\n%*s%c", indent, "", cJSON_IsObject(j) ? '}' : ']');
}

void
json_pretty(struct buf *out, const char *json)
{
	cJSON *j = json != NULL ? cJSON_Parse(json) : NULL;

	if (j != NULL)
		pretty_node(out, j, 0);
	else if (json != NULL)
		buf_addstr(out, json);
	cJSON_Delete(j);
}
