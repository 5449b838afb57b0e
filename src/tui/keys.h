/*
 * keys.h: terminal input as events: keys, mouse, and pastes.
 *
 * hubassoc reads the terminal itself (curses only draws): bytes are decoded
 * here into key events, SGR mouse events and bracketed pastes, whatever
 * their source, a terminal or a test.  A paste is gathered whole, however
 * long, and delivered as one event: it is data, never keys.
 */
#ifndef HUBASSOC_TUI_KEYS_H
#define HUBASSOC_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/util.h"

/* Key codes: Unicode code points, and beyond them the special keys. */
enum {
	KEY_NONE = 0,
	KEY_CTRL_A = 1,
	KEY_TAB_ = 9,
	KEY_ENTER_ = 13,
	KEY_ESC_ = 27,
	KEY_BACKSPACE_ = 127,
	KEY_SPECIAL = 0x110000,
	K_UP, K_DOWN, K_LEFT, K_RIGHT,
	K_HOME, K_END, K_PGUP, K_PGDN, K_INSERT, K_DELETE,
	K_BTAB,                 /* shift-tab */
	K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_F11, K_F12,
	K_ALT = 0x1000000,      /* or-ed with a key for Alt/Meta */
};

enum ev_kind {
	EV_KEY,
	EV_MOUSE,
	EV_PASTE,
};

enum mouse_button {
	MOUSE_LEFT, MOUSE_MIDDLE, MOUSE_RIGHT, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN,
	MOUSE_OTHER,
};

struct event {
	enum ev_kind kind;
	int key;                /* EV_KEY */
	enum mouse_button button;
	bool press;             /* EV_MOUSE: press, else release */
	int x, y;               /* EV_MOUSE: 0-based cell */
	/* EV_PASTE: the text, owned by the decoder until the next call. */
	const char *text;
	size_t len;
	bool truncated;         /* the paste passed KEYS_PASTE_MAX */
	bool unmarked;          /* a burst of lines the terminal did not mark */
};

#define KEYS_PASTE_MAX ((size_t)512 << 20)

struct keys {
	struct buf pending;     /* bytes not yet decoded */
	size_t pos;
	bool in_paste;
	bool unmarked;          /* the paste begun is a burst, not marked */
	struct buf paste;
	bool paste_truncated;
	struct buf delivered;   /* the last paste handed out */
};

void keys_init(struct keys *k);
void keys_free(struct keys *k);

/* Adds bytes read from the terminal. */
void keys_feed(struct keys *k, const char *p, size_t n);
/*
 * The next complete event, or false.  An escape that may begin a sequence
 * waits for more bytes unless `flush` says none are coming (the caller
 * waited briefly and nothing came), when it is the Escape key.
 */
bool keys_next(struct keys *k, struct event *ev, bool flush);
/* True when a paste has begun and not ended (the caller keeps reading);
 * *unmarked (when not NULL) says whether it is a burst taken as one. */
bool keys_in_paste(const struct keys *k);
bool keys_paste_unmarked(const struct keys *k);
/*
 * A terminal without bracketed paste (or tmux's paste-buffer without -p)
 * types a paste as keys.  Called when bytes came and a paste would be
 * welcome: when the bytes not decoded yet are a burst of two or more lines
 * of text (no control but TAB, CR and LF; not a command line's ':' or a
 * filter's '/'), they begin a paste, which ends when the input pauses.
 * A person types one key a read; such a burst is no typing.
 */
bool keys_take_burst(struct keys *k);
/* Ends a paste whose end marker never came. */
void keys_end_paste(struct keys *k);

/* A name for a key, for help and the man page: "Up", "C-l", "M-x", "?". */
void keys_name(int key, char *out, size_t outlen);

#endif
