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

/* Makes a fresh directory of tmpl (ending XXXXXX) and the state home:
 * journals made by the tests go there.  0, or -1. */
static inline int
test_state_home(char *tmpl)
{
	if (mkdtemp(tmpl) == NULL)
		return -1;
	setenv("XDG_STATE_HOME", tmpl, 1);
	return 0;
}

/* Removes a test's directory and all in it.  0, or -1. */
static inline int
test_rm_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

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
