/* util.c: fail-fast allocation, buffers and arenas. */
#include "hubassoc/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void
oom(size_t size)
{
	/* Nothing sensible can continue; say why before stopping. */
	fprintf(stderr, "hubassoc: out of memory (asked for %zu bytes)\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oom(size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (q == NULL)
		oom(size);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

/*
 * Big blocks: below BIG_MIN an ordinary allocation; from there a mapping of
 * its own, 2 MiB aligned, advised for transparent huge pages.  Growing moves
 * the pages into a new aligned mapping with mremap, so nothing is copied and
 * huge pages stay whole.
 */
#define HUGE_PAGE ((size_t)2 << 20)
#define BIG_MIN (2 * HUGE_PAGE)

#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MREMAP_FIXED)
static size_t
map_size(size_t bytes)
{
	return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* A fresh aligned mapping of len bytes (a multiple of HUGE_PAGE). */
static void *
map_aligned(size_t len)
{
	char *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t start;

	if (p == MAP_FAILED)
		oom(len);
	/* Trim to an aligned start and exact length. */
	start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (start > (uintptr_t)p)
		munmap(p, start - (uintptr_t)p);
	if ((uintptr_t)p + len + HUGE_PAGE > start + len)
		munmap((void *)(start + len), (uintptr_t)p + len + HUGE_PAGE - start - len);
	(void)madvise((void *)start, len, MADV_HUGEPAGE);
	return (void *)start;
}

void *
xbig_alloc(size_t bytes)
{
	if (bytes < BIG_MIN)
		return xcalloc(1, bytes);
	return map_aligned(map_size(bytes));
}

void *
xbig_grow(void *p, size_t old_bytes, size_t new_bytes)
{
	void *q;

	if (new_bytes < BIG_MIN) {
		q = xrealloc(p, new_bytes);
		if (new_bytes > old_bytes)
			memset((char *)q + old_bytes, 0, new_bytes - old_bytes);
		return q;
	}
	if (p == NULL || old_bytes < BIG_MIN) {
		q = map_aligned(map_size(new_bytes));
		if (old_bytes > 0)
			memcpy(q, p, old_bytes);
		free(p);
		return q;
	}
	size_t old_len = map_size(old_bytes), new_len = map_size(new_bytes);
	if (new_len <= old_len)
		return p;
	/* Extend in place when the address space after it is free. */
	q = mremap(p, old_len, new_len, 0);
	if (q != MAP_FAILED) {
		(void)madvise(q, new_len, MADV_HUGEPAGE);
		return q;
	}
	q = map_aligned(new_len);
	if (mremap(p, old_len, old_len, MREMAP_MAYMOVE | MREMAP_FIXED, q) == MAP_FAILED)
		oom(new_len);
	return q;
}

void
xbig_free(void *p, size_t bytes)
{
	if (p == NULL)
		return;
	if (bytes < BIG_MIN)
		free(p);
	else
		munmap(p, map_size(bytes));
}
#else
void *
xbig_alloc(size_t bytes)
{
	return xcalloc(1, bytes);
}

void *
xbig_grow(void *p, size_t old_bytes, size_t new_bytes)
{
	void *q = xrealloc(p, new_bytes);

	if (new_bytes > old_bytes)
		memset((char *)q + old_bytes, 0, new_bytes - old_bytes);
	return q;
}

void
xbig_free(void *p, size_t bytes)
{
	(void)bytes;
	free(p);
}
#endif

void *
xbig_resize(void *p, size_t old_bytes, size_t new_bytes)
{
	if (new_bytes >= old_bytes)
		return xbig_grow(p, old_bytes, new_bytes);
	void *q = xbig_alloc(new_bytes);
	memcpy(q, p, new_bytes);
	xbig_free(p, old_bytes);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom(0);
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (need < b->len)
		oom(SIZE_MAX);
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	/* Text in a buffer is always terminated, even before anything is
	 * added: a grown, empty buffer detaches as "". */
	b->data[b->len] = '\0';
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_add_uint(struct buf *b, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof(tmp);

	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	buf_add(b, tmp + k, sizeof(tmp) - k);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap > 0)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
buf_detach(struct buf *b)
{
	char *p;

	if (b->data == NULL)
		return xstrdup("");
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

void
arena_init(struct arena *a)
{
	a->cap = 4096;
	a->data = xbig_alloc(a->cap);
	a->data[0] = '\0';
	a->len = 1;
}

uint32_t
arena_add(struct arena *a, const char *p, size_t n)
{
	size_t off = a->len;

	if (n == 0)
		return 0;
	if (off + n + 1 > UINT32_MAX)
		return UINT32_MAX;
	if (off + n + 1 > a->cap) {
		size_t cap = a->cap;
		while (cap < off + n + 1)
			cap *= 2;
		a->data = xbig_grow(a->data, a->cap, cap);
		a->cap = cap;
	}
	memcpy(a->data + off, p, n);
	a->data[off + n] = '\0';
	a->len = off + n + 1;
	return (uint32_t)off;
}

void
arena_free(struct arena *a)
{
	xbig_free(a->data, a->cap);
	a->data = NULL;
	a->len = a->cap = 0;
}

uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t
splitmix64_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

void
time_iso8601(char out[32], int millis)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	if (millis)
		snprintf(out + 19, 13, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000) % 1000);
	else
		snprintf(out + 19, 13, "Z");
}

int
is_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

uint64_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	/* Mix the high bits down: tables index with the low bits. */
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

int
parse_uint(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (v > max / 10 || v * 10 > max - d)
			return -1;
		v = v * 10 + d;
	}
	if (v < min)
		return -1;
	*out = v;
	return 0;
}

int
parse_duration_ms(const char *s, unsigned long long max_ms, unsigned long long *out)
{
	char num[32];
	size_t n = 0;
	unsigned long long v, mult = 1;

	while (s[n] >= '0' && s[n] <= '9' && n < sizeof(num) - 1) {
		num[n] = s[n];
		n++;
	}
	num[n] = '\0';
	if (n == 0 || parse_uint(num, 0, max_ms, &v) != 0)
		return -1;
	if (strcmp(s + n, "") == 0 || strcmp(s + n, "ms") == 0)
		mult = 1;
	else if (strcmp(s + n, "s") == 0)
		mult = 1000;
	else if (strcmp(s + n, "m") == 0)
		mult = 60000;
	else if (strcmp(s + n, "h") == 0)
		mult = 3600000;
	else
		return -1;
	if (v > max_ms / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int
parse_rate(const char *s, unsigned *n, unsigned *window_ms)
{
	const char *slash = strchr(s, '/');
	char num[16];
	unsigned long long v, w;

	if (slash == NULL || slash == s || (size_t)(slash - s) >= sizeof(num))
		return -1;
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = '\0';
	if (parse_uint(num, 1, 1000000, &v) != 0 ||
	    parse_duration_ms(slash + 1, 86400000ULL, &w) != 0 || w == 0)
		return -1;
	*n = (unsigned)v;
	*window_ms = (unsigned)w;
	return 0;
}

int
parse_probability(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0)
		return -1;
	if (*end == '%' && end[1] == '\0')
		v /= 100;
	else if (*end != '\0')
		return -1;
	if (!(v >= 0 && v <= 1))
		return -1;
	*out = v;
	return 0;
}

int
ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int x = ascii_tolower((unsigned char)a[i]);
		int y = ascii_tolower((unsigned char)b[i]);
		if (x != y || x == 0)
			return x - y;
	}
	return 0;
}

int
ascii_casecmp(const char *a, const char *b)
{
	return ascii_ncasecmp(a, b, SIZE_MAX);
}

/* mkdir -p, each level made 0700 (the XDG state directories are private). */
int
make_dirs(const char *path, char **cause)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return 0;
}

static int
check_dir(const char *path, char **cause)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : (*cause = xasprintf("%s: %s", path,
		    strerror(errno)), -1);
	if (S_ISLNK(st.st_mode))
		*cause = xasprintf("%s is a symbolic link: hubassoc keeps its state "
		    "only in a directory of its own; replace the link with one "
		    "(mkdir -m 700)", path);
	else if (!S_ISDIR(st.st_mode))
		*cause = xasprintf("%s is not a directory", path);
	else if (st.st_uid != geteuid())
		*cause = xasprintf("%s belongs to another user (uid %u): hubassoc "
		    "keeps its state only in a directory of its own", path,
		    (unsigned)st.st_uid);
	else if (st.st_mode & 022)
		*cause = xasprintf("%s may be written by group or others (mode %04o): "
		    "run chmod 700 %s", path, (unsigned)(st.st_mode & 07777), path);
	else
		return 0;
	return -1;
}

int
dir_check_private(const char *path, char **cause)
{
	char *parent = xstrdup(path), *slash = strrchr(parent, '/');
	int rc;

	if (slash != NULL && slash != parent)
		*slash = '\0';
	rc = slash != NULL && slash != parent ? check_dir(parent, cause) : 0;
	if (rc == 0)
		rc = check_dir(path, cause);
	free(parent);
	return rc;
}

int
file_check_trusted(int fd, const char *what, const char *path, char **cause)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		*cause = xasprintf("%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (st.st_uid != geteuid()) {
		*cause = xasprintf("%s %s belongs to another user (uid %u): refused, "
		    "as what it says would be trusted", what, path, (unsigned)st.st_uid);
		return -1;
	}
	if (st.st_mode & 022) {
		*cause = xasprintf("%s %s may be written by group or others (mode "
		    "%04o): refused, as what it says would be trusted; run chmod 600 %s",
		    what, path, (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/* The directory holding path ("." for a bare name), allocated. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
}

static int
dir_trusted(const char *path, const char *dir, char **cause)
{
	struct stat st;
	int rc = -1;

	if (stat(dir, &st) != 0)
		*cause = xasprintf("%s: %s", dir, strerror(errno));
	else if (st.st_uid != geteuid() && st.st_uid != 0)
		*cause = xasprintf("%s, which holds %s, belongs to another user "
		    "(uid %u): refused, as the file in it would be trusted", dir, path,
		    (unsigned)st.st_uid);
	else if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))
		*cause = xasprintf("%s, which holds %s, may be written by group "
		    "or others (mode %04o): refused, as anyone could put another file "
		    "in its place; run chmod 700 %s", dir, path,
		    (unsigned)(st.st_mode & 07777), dir);
	else
		rc = 0;
	return rc;
}

int
file_check_dir_trusted(const char *path, char **cause)
{
	/* The directory, and the one above it: who may write there may put
	 * another directory in its place. */
	char *dir = dir_of(path), *up = dir_of(dir);
	int rc = dir_trusted(path, dir, cause);

	if (rc == 0 && strcmp(up, dir) != 0)
		rc = dir_trusted(path, up, cause);
	free(dir);
	free(up);
	return rc;
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
strs_distinct(const char **v, size_t n)
{
	size_t u = 0;

	if (n > 0)
		qsort(v, n, sizeof(*v), str_ptr_cmp);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
			v[u++] = v[i];
	return u;
}
