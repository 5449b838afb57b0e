/*
 * util.h: allocation that never fails, growable byte buffers, string arenas.
 *
 * The x*() allocators abort with a message when memory runs out, so callers
 * never test for NULL.  Functions that can fail for a reason the user must
 * see return -1 and set *cause to a string the caller frees (tmux's style).
 */
#ifndef HUBASSOC_UTIL_H
#define HUBASSOC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define HA_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define HA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define HA_PRINTF(f, a)
#endif

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) HA_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) HA_PRINTF(1, 0);

/*
 * Memory for arrays that may reach millions of elements.  Large blocks get
 * their own mappings aligned for huge pages and advised to use them, which
 * turns tens of thousands of page faults into a few dozen, and they grow by
 * moving page tables rather than copying.  Blocks come zeroed.  The caller
 * keeps the size: xbig_free() needs it.
 */
void *xbig_alloc(size_t bytes);
void *xbig_grow(void *p, size_t old_bytes, size_t new_bytes);
void xbig_free(void *p, size_t bytes);
/* Grows as xbig_grow, or shrinks (a copy of the first new_bytes). */
void *xbig_resize(void *p, size_t old_bytes, size_t new_bytes);

/* A growable byte buffer; data is always NUL-terminated when cap > 0. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_addstr(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) HA_PRINTF(2, 3);
/* Appends a number in decimal, without printf's cost in hot loops. */
void buf_add_uint(struct buf *b, uint64_t v);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the contents to the caller (never NULL) and empties the buffer. */
char *buf_detach(struct buf *b);
/* The contents as a C string: "" for a buffer never written. */
const char *buf_str(const struct buf *b);

/*
 * An append-only store of NUL-terminated strings addressed by 32-bit offsets,
 * so a million rows can refer to their text with four bytes each.  Offset 0 is
 * always the empty string.
 */
struct arena {
	char *data;
	size_t len;
	size_t cap;
};

void arena_init(struct arena *a);
/* Returns the offset of a copy of p[0..n) followed by NUL, or UINT32_MAX when
 * the arena would pass 4 GiB. */
uint32_t arena_add(struct arena *a, const char *p, size_t n);
static inline const char *arena_str(const struct arena *a, uint32_t off)
{
	return a->data + off;
}
void arena_free(struct arena *a);

/* splitmix64: the next number of a sequence, and a mix of one value.  Small,
 * fast and the same everywhere for a seed (the sandbox's faults repeat). */
uint64_t splitmix64_next(uint64_t *state);
uint64_t mix64(uint64_t x);

/* The current UTC time as 2026-11-28T10:05:39Z, or with milliseconds as
 * 2026-11-28T10:05:39.123Z. */
void time_iso8601(char out[32], int millis);

/* mkdir -p, each level made 0700 (the XDG state directories are
 * private); -1 and *cause on error. */
int make_dirs(const char *path, char **cause);

/* A directory that holds our state, and its parent: refused (-1, *cause
 * saying why and what to do) when either is a symbolic link, is owned by
 * another user, or may be written by group or others, any of which lets
 * someone else put or swap files in it.  A directory that does not exist
 * passes. */
int dir_check_private(const char *path, char **cause);

/* An open file whose content is trusted (a config that runs commands, a
 * token): refused when another user owns it or group or others may write
 * it.  what names it in *cause. */
int file_check_trusted(int fd, const char *what, const char *path, char **cause);
/* The directory holding path, and the one above it, belong to this user
 * (or root) and group and others may not write them (unless sticky, as
 * /tmp is, where no one may replace another's file): else -1, *cause
 * saying so. */
int file_check_dir_trusted(const char *path, char **cause);

/* True when s[0..n) is one or more ASCII digits. */
int is_digits(const char *s, size_t n);

/* Sorts v[0..n) and keeps each string once, in place; returns how many. */
size_t strs_distinct(const char **v, size_t n);

/* FNV-1a, for the hash tables of the core. */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

/* Parses a decimal unsigned integer in [min, max]; the whole string must be
 * digits.  Returns 0 on success. */
int parse_uint(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out);

/* A duration: "500ms", "10s", "2m", "1h", or plain milliseconds.  Returns 0. */
int parse_duration_ms(const char *s, unsigned long long max_ms,
    unsigned long long *out);
/* A rate budget "N/DURATION" such as "150/10s" or "3/500ms". */
int parse_rate(const char *s, unsigned *n, unsigned *window_ms);
/* A probability as "0.05" or "5%". */
int parse_probability(const char *s, double *out);

/* ASCII case-insensitive comparisons, independent of the locale. */
static inline int
ascii_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int ascii_casecmp(const char *a, const char *b);
int ascii_ncasecmp(const char *a, const char *b, size_t n);

#endif
