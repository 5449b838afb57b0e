/*
 * bind.h: request bodies, bound as HubSpot's JSON binder does.
 *
 * A batch body becomes its inputs, in the shape the endpoint takes; a body
 * that does not bind gets the 400 HubSpot answers, with its message.
 */
#ifndef HUBASSOC_SANDBOX_BIND_H
#define HUBASSOC_SANDBOX_BIND_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "hubassoc/assoctype.h"

struct spec_in {
	enum assoc_category cat;
	uint32_t type_id;
};

struct input_in {
	const char *from, *to;          /* ID texts */
	char fnum[32], tnum[32];
	struct spec_in *specs;
	size_t nspecs;
	const cJSON *to_list;           /* batch/archive: an array of {id} */
	const char *after;              /* batch/read */
};

enum shape { SHAPE_PAIR_TYPES, SHAPE_PAIR, SHAPE_ID, SHAPE_FROM_TOLIST };

/* Parses and binds a batch body of shape into *inputs (at most max); on
 * failure out holds the 400.  *rootp keeps the parsed body the inputs
 * point into: cJSON_Delete it after free_inputs. */
bool bind_batch(const char *body, size_t len, enum shape shape, size_t max,
    struct input_in **inputs, size_t *n, cJSON **rootp, struct api_reply *out,
    uint64_t rng);
void free_inputs(struct input_in *in, size_t n);

#endif
