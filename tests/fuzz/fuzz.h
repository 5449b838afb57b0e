/*
 * fuzz.h: what the fuzz targets share.
 *
 * Each target defines LLVMFuzzerTestOneInput() and checks properties of the
 * code it feeds, not only that nothing crashes.  A broken property aborts
 * with a message.  The same target links either with libFuzzer (make fuzz,
 * clang) or with driver.c (make check), which replays the seeds and a fixed
 * number of deterministic mutations of them.
 */
#ifndef HUBASSOC_FUZZ_H
#define HUBASSOC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) do {                                       \
	if (!(cond)) {                                                   \
		fprintf(stderr, "%s:%d: property broken: %s: ",          \
		    __FILE__, __LINE__, #cond);                          \
		fprintf(stderr, __VA_ARGS__);                            \
		fputc('\n', stderr);                                     \
		abort();                                                 \
	}                                                                \
} while (0)

#endif
