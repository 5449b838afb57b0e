/* keys.c: decoding terminal bytes into keys, mouse events and pastes. */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "hubassoc/text.h"

void
keys_init(struct keys *k)
{
	memset(k, 0, sizeof(*k));
}

void
keys_free(struct keys *k)
{
	buf_free(&k->pending);
	buf_free(&k->paste);
	buf_free(&k->delivered);
}

void
keys_feed(struct keys *k, const char *p, size_t n)
{
	/* Keep the buffer from growing with what was decoded already. */
	if (k->pos > 0 && k->pos == k->pending.len) {
		buf_reset(&k->pending);
		k->pos = 0;
	} else if (k->pos > 65536) {
		memmove(k->pending.data, k->pending.data + k->pos, k->pending.len - k->pos);
		k->pending.len -= k->pos;
		k->pending.data[k->pending.len] = '\0';
		k->pos = 0;
	}
	buf_add(&k->pending, p, n);
}

bool
keys_in_paste(const struct keys *k)
{
	return k->in_paste;
}

bool
keys_paste_unmarked(const struct keys *k)
{
	return k->in_paste && k->unmarked;
}

bool
keys_take_burst(struct keys *k)
{
	const char *p = k->pending.data + k->pos;
	size_t n = k->pending.len - k->pos, lines = 0;
	bool text = false;

	if (k->in_paste || n == 0 || p[0] == ':' || p[0] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\r' || c == '\n') {
			lines += text;
			text = false;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return false;
		} else {
			text = true;
		}
	}
	if (lines + text < 2)
		return false;
	k->in_paste = true;
	k->unmarked = true;
	buf_reset(&k->paste);
	return true;
}

static const char paste_start[] = "\033[200~";
static const char paste_end[] = "\033[201~";

/* A terminal pastes a line's end as a CR (tmux and xterm turn LF into
 * CR), so a sheet with CRLF ends arrives with each end doubled, CR CR,
 * and every line counted twice.  A paste with no LF whose runs of CRs
 * are all of even length is such a sheet: each pair is one end (a blank
 * line's CRLF too).  An odd run means single ends: left as it is. */
static void
paste_line_ends(struct buf *b)
{
	size_t runs = 0;

	if (b->len == 0 || memchr(b->data, '\n', b->len) != NULL)
		return;
	for (size_t i = 0; i < b->len;) {
		size_t n = 0;
		while (i + n < b->len && b->data[i + n] == '\r')
			n++;
		if (n % 2 != 0)
			return;
		runs += n > 0;
		i += n > 0 ? n : 1;
	}
	if (runs == 0)
		return;
	size_t w = 0;
	for (size_t i = 0; i < b->len; i++) {
		b->data[w++] = b->data[i];
		if (b->data[i] == '\r')
			i++;            /* its pair's second CR */
	}
	b->len = w;
	b->data[w] = '\0';
}

/* Hands out the gathered paste as an event. */
static void
deliver_paste(struct keys *k, struct event *ev)
{
	buf_free(&k->delivered);
	paste_line_ends(&k->paste);
	k->delivered = k->paste;
	memset(&k->paste, 0, sizeof(k->paste));
	ev->kind = EV_PASTE;
	ev->text = k->delivered.data != NULL ? k->delivered.data : "";
	ev->len = k->delivered.len;
	ev->truncated = k->paste_truncated;
	ev->unmarked = k->unmarked;
	k->paste_truncated = false;
	k->in_paste = false;
	k->unmarked = false;
}

void
keys_end_paste(struct keys *k)
{
	if (!k->in_paste)
		return;
	/* What came stays a paste; the caller asks for it as the next event. */
	buf_add(&k->pending, paste_end, sizeof(paste_end) - 1);
}

/* Takes paste bytes up to the end marker; true when the paste ended. */
static bool
gather_paste(struct keys *k)
{
	const char *p = k->pending.data + k->pos;
	size_t n = k->pending.len - k->pos;
	const char *end = memmem(p, n, paste_end, sizeof(paste_end) - 1);
	size_t take = end != NULL ? (size_t)(end - p) : n;

	/* A marker may be split across reads: keep a possible prefix. */
	if (end == NULL) {
		size_t keep = 0;
		for (size_t m = sizeof(paste_end) - 2; m > 0 && keep == 0; m--)
			if (n >= m && memcmp(p + n - m, paste_end, m) == 0)
				keep = m;
		take = n - keep;
	}
	if (k->paste.len + take > KEYS_PASTE_MAX) {
		size_t room = KEYS_PASTE_MAX - k->paste.len;
		buf_add(&k->paste, p, room);
		k->paste_truncated = true;
	} else
		buf_add(&k->paste, p, take);
	k->pos += take;
	if (end != NULL) {
		k->pos += sizeof(paste_end) - 1;
		return true;
	}
	return false;
}

static int
csi_tilde(int n)
{
	switch (n) {
	case 1: case 7: return K_HOME;
	case 2: return K_INSERT;
	case 3: return K_DELETE;
	case 4: case 8: return K_END;
	case 5: return K_PGUP;
	case 6: return K_PGDN;
	case 11: return K_F1;
	case 12: return K_F2;
	case 13: return K_F3;
	case 14: return K_F4;
	case 15: return K_F5;
	case 17: return K_F6;
	case 18: return K_F7;
	case 19: return K_F8;
	case 20: return K_F9;
	case 21: return K_F10;
	case 23: return K_F11;
	case 24: return K_F12;
	default: return KEY_NONE;
	}
}

static int
final_key(char c)
{
	switch (c) {
	case 'A': return K_UP;
	case 'B': return K_DOWN;
	case 'C': return K_RIGHT;
	case 'D': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	case 'Z': return K_BTAB;
	case 'P': return K_F1;
	case 'Q': return K_F2;
	case 'R': return K_F3;
	case 'S': return K_F4;
	default: return KEY_NONE;
	}
}

/*
 * Decodes an escape sequence at p[0..n) (p[0] is ESC).  Returns its length,
 * 0 when more bytes are needed, or -1 when it is no sequence we know.
 */
static int
decode_escape(const char *p, size_t n, struct event *ev, bool *paste)
{
	size_t i;

	*paste = false;
	if (n < 2)
		return 0;
	if (p[1] == 'O') {
		if (n < 3)
			return 0;
		ev->kind = EV_KEY;
		ev->key = final_key(p[2]);
		return ev->key != KEY_NONE ? 3 : -1;
	}
	if (p[1] != '[')
		return -1;
	/* CSI: parameters, then a final byte in 0x40-0x7e. */
	for (i = 2; i < n && i < 64; i++)
		if ((unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e)
			break;
	if (i >= 64)
		return -1;
	if (i == n)
		return 0;
	char final = p[i];
	size_t len = i + 1;
	if (p[2] == '<' && (final == 'M' || final == 'm')) {
		/* SGR mouse: ESC [ < b ; x ; y M|m */
		int b = 0, x = 0, y = 0;
		if (sscanf(p + 3, "%d;%d;%d", &b, &x, &y) != 3)
			return (int)len;
		ev->kind = EV_MOUSE;
		ev->press = final == 'M';
		ev->x = x - 1;
		ev->y = y - 1;
		if (b & 64)
			ev->button = (b & 1) ? MOUSE_WHEEL_DOWN : MOUSE_WHEEL_UP;
		else if (b & 32)
			ev->button = MOUSE_OTHER;   /* motion */
		else
			ev->button = (enum mouse_button)(b & 3) <= MOUSE_RIGHT ?
			    (enum mouse_button)(b & 3) : MOUSE_OTHER;
		return (int)len;
	}
	if (len == sizeof(paste_start) - 1 && memcmp(p, paste_start, len) == 0) {
		*paste = true;
		return (int)len;
	}
	ev->kind = EV_KEY;
	ev->key = KEY_NONE;
	if (final == '~') {
		int num = 0;
		sscanf(p + 2, "%d", &num);
		ev->key = csi_tilde(num);
	} else {
		ev->key = final_key(final);
	}
	/* Modifiers (ESC [ 1 ; 3 A): Alt is 3, and keys with others are
	 * taken plain. */
	const char *semi = memchr(p + 2, ';', i - 2);
	if (semi != NULL && ev->key != KEY_NONE) {
		int mod = 0;
		sscanf(semi + 1, "%d", &mod);
		if (mod == 3)
			ev->key |= K_ALT;
	}
	return ev->key != KEY_NONE ? (int)len : (int)len;
}

bool
keys_next(struct keys *k, struct event *ev, bool flush)
{
	memset(ev, 0, sizeof(*ev));
	for (;;) {
		if (k->in_paste) {
			if (!gather_paste(k))
				return false;
			deliver_paste(k, ev);
			return true;
		}
		const char *p = k->pending.data + k->pos;
		size_t n = k->pending.len - k->pos;
		if (n == 0)
			return false;
		unsigned char c = (unsigned char)p[0];
		if (c == 0x1b) {
			bool paste;
			int len = decode_escape(p, n, ev, &paste);
			if (len == 0 && !flush)
				return false;
			if (len > 0) {
				k->pos += (size_t)len;
				if (paste) {
					k->in_paste = true;
					buf_reset(&k->paste);
					continue;
				}
				if (ev->kind == EV_KEY && ev->key == KEY_NONE)
					continue;   /* a sequence we do not use */
				return true;
			}
			/* ESC then a key is Alt-key; alone it is Escape. */
			if (n >= 2 && p[1] != 0x1b && (unsigned char)p[1] >= 0x20 &&
			    (unsigned char)p[1] < 0x7f) {
				ev->kind = EV_KEY;
				ev->key = K_ALT | (unsigned char)p[1];
				k->pos += 2;
				return true;
			}
			ev->kind = EV_KEY;
			ev->key = KEY_ESC_;
			k->pos += 1;
			return true;
		}
		if (c < 0x80) {
			ev->kind = EV_KEY;
			ev->key = c == '\n' ? KEY_ENTER_ : c == 8 ? KEY_BACKSPACE_ : c;
			k->pos++;
			return true;
		}
		unsigned cp;
		size_t len = utf8_decode(p, n, &cp);
		if (len == 0) {
			/* Could be a cut sequence: wait, unless told not to. */
			if (n < 4 && !flush && (c & 0xc0) == 0xc0)
				return false;
			k->pos++;
			continue;
		}
		ev->kind = EV_KEY;
		ev->key = (int)cp;
		k->pos += len;
		return true;
	}
}

void
keys_name(int key, char *out, size_t outlen)
{
	static const char *const special[] = {
		"Up", "Down", "Left", "Right", "Home", "End", "PgUp", "PgDn", "Ins",
		"Del", "S-Tab", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8",
		"F9", "F10", "F11", "F12",
	};
	const char *alt = key & K_ALT ? "M-" : "";

	key &= ~K_ALT;
	if (key > KEY_SPECIAL && key - KEY_SPECIAL - 1 < (int)HA_ARRAY_LEN(special))
		snprintf(out, outlen, "%s%s", alt, special[key - KEY_SPECIAL - 1]);
	else if (key == KEY_ENTER_)
		snprintf(out, outlen, "%sEnter", alt);
	else if (key == KEY_TAB_)
		snprintf(out, outlen, "%sTab", alt);
	else if (key == KEY_ESC_)
		snprintf(out, outlen, "%sEsc", alt);
	else if (key == KEY_BACKSPACE_)
		snprintf(out, outlen, "%sBackspace", alt);
	else if (key == ' ')
		snprintf(out, outlen, "%sSpace", alt);
	else if (key > 0 && key < 32)
		snprintf(out, outlen, "%sC-%c", alt, key + 'a' - 1);
	else if (key < 0x80)
		snprintf(out, outlen, "%s%c", alt, key);
	else {
		char u[8] = { 0 };
		/* UTF-8 of a code point, for the rare non-ASCII binding. */
		if (key < 0x800) {
			u[0] = (char)(0xc0 | (key >> 6));
			u[1] = (char)(0x80 | (key & 0x3f));
		} else {
			u[0] = (char)(0xe0 | (key >> 12));
			u[1] = (char)(0x80 | ((key >> 6) & 0x3f));
			u[2] = (char)(0x80 | (key & 0x3f));
		}
		snprintf(out, outlen, "%s%s", alt, u);
	}
}
