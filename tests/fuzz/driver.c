/*
 * driver.c: runs a fuzz target without libFuzzer, for make check.
 *
 *   fuzz_NAME [-n MUTATIONS] [-s SEED] [-o CRASH_FILE] SEED_PATH...
 *
 * Replays every seed (files, or directories of them), then runs MUTATIONS
 * inputs made from the seeds by a fixed pseudo-random sequence: the same
 * SEED gives the same inputs on every machine, so a failure repeats.  When
 * a target aborts or crashes, the input it was given is written to
 * CRASH_FILE (with -o); `fuzz_NAME CRASH_FILE` replays it.  Speaks TAP.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_MAX_INPUT (256 * 1024)

struct seed {
	uint8_t *data;
	size_t size;
};

static struct seed *seeds;
static size_t nseeds;
static const uint8_t *current;
static size_t current_size;
static const char *crash_file;   /* -o: where a failing input goes */

/* Sanitizers call this before they end the process. */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static void
save_current(void)
{
	if (crash_file == NULL)
		return;
	int fd = open(crash_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd >= 0) {
		size_t off = 0;
		while (off < current_size) {
			ssize_t k = write(fd, current + off, current_size - off);
			if (k <= 0)
				break;
			off += (size_t)k;
		}
		close(fd);
	}
	static const char msg[] = "fuzz: the failing input is in ";
	if (write(2, msg, sizeof(msg) - 1) < 0 ||
	    write(2, crash_file, strlen(crash_file)) < 0 || write(2, "\n", 1) < 0)
		return;
}

static void
on_crash(int sig)
{
	save_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
add_seed(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct seed s = {0};
	uint8_t chunk[65536];
	size_t k;

	if (f == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0 && s.size < FUZZ_MAX_INPUT) {
		s.data = realloc(s.data, s.size + k);
		if (s.data == NULL)
			abort();
		memcpy(s.data + s.size, chunk, k);
		s.size += k;
	}
	fclose(f);
	seeds = realloc(seeds, (nseeds + 1) * sizeof(*seeds));
	if (seeds == NULL)
		abort();
	seeds[nseeds++] = s;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0;

		while (d != NULL && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			names = realloc(names, (n + 1) * sizeof(*names));
			if (names == NULL || asprintf(&names[n++], "%s/%s", path, e->d_name) < 0)
				abort();
		}
		if (d != NULL)
			closedir(d);
		/* Directory order differs between machines; the sequence must not. */
		qsort(names, n, sizeof(*names), by_name);
		for (size_t i = 0; i < n; i++) {
			add_seed(names[i]);
			free(names[i]);
		}
		free(names);
	} else {
		add_seed(path);
	}
}

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static size_t
below(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

/* Bytes that matter to the parsers under test. */
static const uint8_t SPECIAL[] = {
	0, '\n', '\r', '\t', ' ', ',', ';', '"', '\\', '#', ':', '{', '}', '[',
	']', '-', '+', '.', 'e', '0', '1', '9', 0x1b, 0x7f, 0x80, 0xc2, 0xe2,
	0xef, 0xf0, 0xff,
};

static size_t
mutate(uint8_t *buf, size_t size, size_t cap)
{
	for (size_t rounds = 1 + below(4); rounds > 0; rounds--) {
		size_t at = below(size + 1), len;

		switch (below(7)) {
		case 0: /* flip a bit */
			if (size > 0)
				buf[below(size)] ^= (uint8_t)(1u << below(8));
			break;
		case 1: /* a byte that matters */
			if (size > 0)
				buf[below(size)] = SPECIAL[below(sizeof(SPECIAL))];
			break;
		case 2: /* insert a few bytes */
			len = 1 + below(8);
			if (size + len > cap)
				break;
			memmove(buf + at + len, buf + at, size - at);
			for (size_t i = 0; i < len; i++)
				buf[at + i] = below(2) ? SPECIAL[below(sizeof(SPECIAL))]
				    : (uint8_t)rng();
			size += len;
			break;
		case 3: /* delete a range */
			len = below(size - at + 1);
			memmove(buf + at, buf + at + len, size - at - len);
			size -= len;
			break;
		case 4: /* repeat a range */
			len = below(size - at + 1) % 64;
			for (size_t times = 1 + below(8); times > 0 && size + len <= cap; times--) {
				memmove(buf + at + len, buf + at, size - at);
				size += len;
			}
			break;
		case 5: { /* splice in part of another seed */
			const struct seed *o = &seeds[below(nseeds)];
			size_t from = below(o->size + 1);
			len = below(o->size - from + 1);
			if (size + len > cap)
				break;
			memmove(buf + at + len, buf + at, size - at);
			memcpy(buf + at, o->data + from, len);
			size += len;
			break;
		}
		default: /* cut short */
			size = at;
			break;
		}
	}
	return size;
}

static void
run(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so reading past the end is caught. */
	uint8_t *copy = malloc(size ? size : 1);

	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	current = copy;
	current_size = size;
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
}

int
main(int argc, char **argv)
{
	unsigned long mutations = 0;
	uint64_t seed = 1;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:o:")) != -1) {
		switch (opt) {
		case 'n': mutations = strtoul(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'o': crash_file = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-n MUTATIONS] [-s SEED] [-o CRASH_FILE] "
			    "SEED_PATH...\n", argv[0]);
			return 2;
		}
	}
	for (int i = optind; i < argc; i++)
		add_path(argv[i]);
	if (nseeds == 0) {
		fprintf(stderr, "%s: no seeds\n", argv[0]);
		return 2;
	}
	signal(SIGABRT, on_crash);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGILL, on_crash);
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(save_current);

	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	printf("1..1\n");
	fflush(stdout);
	for (size_t i = 0; i < nseeds; i++)
		run(seeds[i].data, seeds[i].size);

	uint8_t *buf = malloc(FUZZ_MAX_INPUT);
	if (buf == NULL)
		abort();
	rng_state = seed;
	for (unsigned long i = 0; i < mutations; i++) {
		const struct seed *s = &seeds[below(nseeds)];
		size_t size = s->size < FUZZ_MAX_INPUT ? s->size : FUZZ_MAX_INPUT;

		memcpy(buf, s->data, size);
		size = mutate(buf, size, FUZZ_MAX_INPUT);
		run(buf, size);
	}
	free(buf);
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i].data);
	free(seeds);
	printf("ok 1 - %s: %zu seeds, %lu mutations (seed %llu)\n", name, nseeds,
	    mutations, (unsigned long long)seed);
	return 0;
}
