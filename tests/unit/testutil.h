/* testutil.h: what the cmocka tests share. */
#ifndef HUBASSOC_TESTUTIL_H
#define HUBASSOC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "hubassoc/util.h"

#ifndef FIXTURES
#define FIXTURES "tests/unit/fixtures"
#endif

/* Reads a fixture file; fails the test when it is missing. */
static inline char *
fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open fixture %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

#endif
