/*
 * response.h: HubSpot's answers, read defensively.
 *
 * Every field is optional and may have the wrong type; the parser keeps what
 * it can read and notes what it could not.  IDs arrive as JSON numbers (often
 * past 2^31, sometimes past 2^53) or strings; they are kept as canonical
 * digit strings without loss.  Strings are kept as sent (cut at
 * RESPONSE_STRING_MAX) and must be escaped before they reach a terminal.
 */
#ifndef HUBASSOC_RESPONSE_H
#define HUBASSOC_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/util.h"

#define RESPONSE_ID_MAX 20          /* digits */
#define RESPONSE_STRING_MAX 65536   /* longer strings are cut */
#define RESPONSE_EXCERPT_MAX 200    /* bytes of a non-JSON error body kept */
#define RESPONSE_DEPTH_MAX 8        /* errors[].errors[]... kept this deep */

struct hs_context {
	char *key;
	char **values;
	size_t n;
};

struct hs_link {
	char *key;
	char *value;
};

/* An error body, a batch error entry, or a detail item: one shape for all. */
struct hs_error {
	char *status;
	char *category;
	char *sub_category;     /* a string, or an object as compact JSON */
	char *message;
	char *correlation_id;
	char *policy_name;      /* 429: TEN_SECONDLY_ROLLING, SECONDLY, DAILY */
	char *error_type;       /* 429: RATE_LIMIT */
	char *group_name;
	char *code;
	char *in;
	char *id;
	struct hs_context *context;
	size_t ncontext;
	struct hs_link *links;
	size_t nlinks;
	struct hs_error *errors; /* nested detail items */
	size_t nerrors;
	size_t omitted;          /* nested items dropped past the depth limit */
};

struct hs_result {
	char from_id[RESPONSE_ID_MAX + 1];
	char to_id[RESPONSE_ID_MAX + 1];
	char *from_type;
	char *to_type;
	char **labels;
	size_t nlabels;
};

enum response_kind {
	RESPONSE_BATCH,      /* a batch answer: results and/or errors */
	RESPONSE_ERROR,      /* an error body ("status": "error" or 4xx/5xx);
	                      * a 4xx/5xx without JSON too, its message made
	                      * from the status and the body's text */
	RESPONSE_EMPTY,      /* no body at all */
	RESPONSE_NOT_JSON,   /* HTML from an edge proxy, truncated JSON, ... */
	RESPONSE_UNEXPECTED, /* JSON, but neither a batch answer nor an error */
};

struct response {
	int http_status;
	enum response_kind kind;
	char *status;            /* batch: COMPLETE, PENDING, ... */
	struct hs_result *results;
	size_t nresults;
	struct hs_error *errors; /* batch errors[] */
	size_t nerrors;
	long long num_errors;    /* -1 when absent */
	struct hs_error error;   /* RESPONSE_ERROR: the body itself */
	char *started_at, *completed_at, *requested_at;
	size_t bad_results;      /* results[] items whose IDs could not be read */
	size_t anomalies;        /* fields present with the wrong type */
	char *anomaly;           /* the first of them, described */
	char *parse_error;       /* RESPONSE_NOT_JSON: why */
};

/* Parses body[0..len) answered with http_status.  Never fails: what cannot
 * be read is described in the result. */
void response_parse(struct response *r, int http_status, const char *body,
    size_t len);
struct http_result;
/* A transfer's answer: response_parse of its body, unless no HTTP answer
 * came (cut short, past HTTP_BODY_MAX, a dropped connection), whose body
 * is never parsed: it is RESPONSE_EMPTY then. */
void response_of(struct response *r, const struct http_result *res);
void response_free(struct response *r);

/* Reads an ID given as a JSON number text or string: 1-20 digits, leading
 * zeros dropped.  Returns false when it is not one. */
bool response_id_from_text(const char *s, size_t n, char out[RESPONSE_ID_MAX + 1]);

/* Deep copy and release of an error, for stores that outlive a response. */
struct hs_error *hs_error_dup(const struct hs_error *e);
/* Adds a context entry key: [value] (to say what hubassoc made of it). */
void hs_error_add_context(struct hs_error *e, const char *key, const char *value);
void hs_error_clear(struct hs_error *e);
/* Looks up a context key; NULL when absent. */
const struct hs_context *hs_error_context(const struct hs_error *e,
    const char *key);
/* Appends the error as a JSON object with every field it has; parsing it
 * back (response_parse, any 4xx status) gives the same error. */
void hs_error_json(struct buf *out, const struct hs_error *e);
/* A one-line summary: category, message and, for 403, the scopes asked for. */
void hs_error_summary(struct buf *out, const struct hs_error *e);
/* The inputs a request may hold, when a refusal of its size says so
 * ("Batch input size of 100 exceeds the maximum of 20 inputs", "The
 * maximum number of inputs supported in a batch request ... is 50"): the
 * first number after "maximum" in its sentence; 0 when there is none. */
size_t hs_error_inputs_max(const struct hs_error *e);
/* How many inputs a request refused for its size may hold, as its answer
 * says it (a 400 naming its maximum); 0 when it does not.  One rule for
 * the engine's and the undo's requests, each splitting its own. */
size_t response_refused_size(const struct http_result *res, const struct response *r);

/*
 * Quotes integer literals too long for a double (16 digits or more) so a JSON
 * parser keeps their digits.  Strings are left alone.  Exposed for tests.
 */
char *json_protect_big_ints(const char *s, size_t n, size_t *outlen);

/* True when JSON text stops inside a string or an open object or array:
 * cut short rather than malformed. */
bool json_unfinished(const char *s, size_t n);

/*
 * An answer's JSON costs the parser about 80 bytes of memory a value
 * (strings and keys included): 4 MiB of "{}," would take 117 MB.  Real
 * answers hold one value per 8 bytes or more, so an answer with more than
 * one per JSON_BYTES_PER_VALUE bytes (past a small allowance) is not
 * parsed: its parse would cost at most about 14 times its size.
 */
#define JSON_BYTES_PER_VALUE 6
#define JSON_VALUES_FREE 16384
/* The values (objects, arrays, strings, keys, numbers, literals) the
 * text holds, counted without parsing it. */
size_t json_count_values(const char *s, size_t n);
/* Whether the text holds more values than an answer of its size may. */
bool json_too_dense(const char *s, size_t n);
struct cJSON;
/* Parses an answer's body, long integers kept as text (see
 * json_protect_big_ints): NULL when it is no JSON or too dense. */
struct cJSON *json_parse_answer(const char *s, size_t n);

#endif
