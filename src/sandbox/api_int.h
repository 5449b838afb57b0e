/*
 * api_int.h: what the sandbox's endpoint files share: the bodies, the
 * checks of the writes, and each endpoint.  Not for other modules.
 */
#ifndef HUBASSOC_SANDBOX_API_INT_H
#define HUBASSOC_SANDBOX_API_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "api.h"
#include "bind.h"
#include "portal.h"

/* What a write's inputs got wrong, gathered for its answer. */
struct problems {
	cJSON *invalid_ids;    /* "CONTACT=1 is not valid" */
	cJSON *object_ids;     /* "1" */
	cJSON *object_types;   /* "CONTACT" */
	cJSON *bad_specs;      /* "USER_DEFINED=3" */
	cJSON *bad_spec_msgs;  /* "USER_DEFINED=3 is not a valid association definition id" */
	cJSON *over_limit;     /* "CONTACT=1": records a batch would take past the limit */
};

void api_reply_json(struct api_reply *out, int status, cJSON *root);
cJSON *api_batch_envelope(const char *started);
void api_add_id_number(cJSON *o, const char *key, uint64_t id);
void api_add_id_string(cJSON *o, const char *key, uint64_t id);
void api_problems_init(struct problems *pr);
void api_problems_free(struct problems *pr);
void api_add_unique(cJSON *arr, const char *s);
bool api_check_id(const struct portal *p, int type, const char *text, uint64_t
    *id, struct problems *pr);
void api_check_limits(const struct portal *p, const struct route *r, const
    uint64_t *fs, const uint64_t *ts, bool *ok, size_t n, struct problems *pr);
void api_check_configured(const struct portal *p, const struct route *r,
    const uint64_t *fs, const uint64_t *ts, int *const *defs,
    const struct input_in *in, bool *ok, size_t n, struct problems *pr);
bool api_check_input(const struct portal *p, const struct route *r, const struct
    input_in *in, uint64_t *f, uint64_t *t, int *defs, struct problems *pr);
bool api_problems_any(const struct problems *pr);
void api_add_problem_errors(cJSON *root, struct problems *pr);
void api_problems_refusal(struct api_reply *out, struct problems *pr, bool
    unnamed, uint64_t rng);
void api_shuffle(cJSON *arr, uint64_t *rng);
cJSON *api_labels_of(const struct portal *p, int tf, uint64_t f, int tt,
    uint64_t t);
void api_add_types_json(const struct portal *p, cJSON *arr, const int *defs,
    size_t n);
void api_do_create(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out);
void api_do_default(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out);
void api_do_read(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out);
void api_do_archive(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out);
void api_do_labels_archive(struct portal *p, const struct route *r, const char
    *body, size_t len, uint64_t rng, struct api_reply *out);
void api_do_labels(struct portal *p, const struct route *r, struct api_reply
    *out);
/* api_defs.c: labels made and deleted, limits. */
void api_do_label_create(struct portal *p, const struct route *r, const char *body,
    size_t len, uint64_t rng, struct api_reply *out);
void api_do_label_delete(struct portal *p, const struct route *r, uint64_t rng,
    struct api_reply *out);
void api_do_limits(struct portal *p, const struct route *r, struct api_reply *out);
void api_do_limits_set(struct portal *p, const struct route *r, const char *body,
    size_t len, bool purge, uint64_t rng, struct api_reply *out);
void api_do_objects_read(struct portal *p, const struct route *r, const char
    *body, size_t len, uint64_t rng, struct api_reply *out);
void api_do_schemas(struct portal *p, struct api_reply *out);
void api_do_sb_objects(struct portal *p, const char *query, uint64_t rng, struct
    api_reply *out);
void api_do_objects_search(struct portal *p, const struct route *r, const char
    *body, size_t len, uint64_t rng, struct api_reply *out);
void api_do_objects_list(struct portal *p, const struct route *r, const char
    *query, uint64_t rng, struct api_reply *out);
void api_do_sb_associations(struct portal *p, const char *query, uint64_t rng,
    struct api_reply *out);

#endif
