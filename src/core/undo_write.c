/*
 * undo_write.c: an undo's writes, a kind at a time (undo_queue_kind):
 * their requests, each of at most UNDO_CHUNK inputs and no more than the
 * session's chunk, and what their answers say it did and did not do.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "hubassoc/request.h"
#include "hubassoc/undo.h"

#define UNDO_CHUNK 500

static const char *const undo_paths[UNDO_KINDS] = {
	[UNDO_RESTORE] = "batch/create", [UNDO_UNLABEL] = "batch/labels/archive",
	[UNDO_ARCHIVE] = "batch/archive",
};

bool
undo_kind_takes_back(enum undo_kind k, enum plan_op op)
{
	return k != UNDO_RESTORE || plan_op_removes(op);
}

bool
undo_kind_of_path(const char *path, enum undo_kind *k)
{
	size_t len = strlen(path);

	/* Whole parts after a '/': ".../batch/labels/archive" is no
	 * "batch/archive". */
	for (int i = 0; i < UNDO_KINDS; i++) {
		size_t n = strlen(undo_paths[i]);
		if (len > n && path[len - n - 1] == '/' &&
		    strcmp(path + len - n, undo_paths[i]) == 0) {
			*k = (enum undo_kind)i;
			return true;
		}
	}
	return false;
}

/* An answer: refused, the undo stops; else the errors a batch body names
 * (a restore's 207, a 2026-03 archive's 200) are the inputs it did not
 * do, counted with the first's words. */
static void
on_undo(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct undo_said *said = arg;

	(void)res;
	if (refused) {
		calls_refused(c, said->what != NULL ? said->what : said->kind, r);
		return;
	}
	if (r->kind != RESPONSE_BATCH || (r->nerrors == 0 && r->num_errors <= 0))
		return;
	said->errors += r->nerrors > 0 ? r->nerrors : (size_t)r->num_errors;
	if (said->first == NULL)
		said->first = xstrdup(r->nerrors > 0 && r->errors[0].message != NULL ?
		    r->errors[0].message : "no reason given");
}

/* A request's acts, what they are of, and where they go: for the caller
 * who wants to know which were done, and to send them again in pieces. */
struct undo_req {
	struct undo_said *said;
	const struct undo_plan *u;
	const char *path;         /* the said's */
	size_t n;
	uint32_t act[];
};

static void queue_acts(struct calls *c, const struct undo_plan *u, const char *path,
    struct undo_said *said, const uint32_t *act, size_t n, size_t most);

static void
on_undo_acts(void *arg, struct calls *c, const struct http_result *res,
    const struct response *r, bool refused)
{
	struct undo_req *q = arg;
	size_t before = q->said->errors;
	/* Refused for its size, the size it takes said: again, in pieces. */
	size_t most = refused ? response_refused_size(res, r) : 0;

	if (most > 0 && most < q->n) {
		queue_acts(c, q->u, q->path, q->said, q->act, q->n, most);
		return;
	}
	on_undo(q->said, c, res, r, refused);
	if (refused || q->said->errors != before || q->said->done == NULL)
		return;
	for (size_t i = 0; i < q->n; i++)
		q->said->done[q->act[i]] = true;
}

static cJSON *
id_object(const char *id)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", id);
	return o;
}

/* One input of a request of kind k. */
static cJSON *
input_of(const struct undo_act *a)
{
	cJSON *in = cJSON_CreateObject();

	cJSON_AddItemToObject(in, "from", id_object(a->from));
	if (a->kind == UNDO_ARCHIVE) {
		cJSON *to = cJSON_AddArrayToObject(in, "to");
		cJSON_AddItemToArray(to, id_object(a->to));
		return in;
	}
	cJSON_AddItemToObject(in, "to", id_object(a->to));
	cJSON *types = cJSON_AddArrayToObject(in, "types");
	for (size_t i = 0; i < a->n; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "associationCategory",
		    assoc_category_name(a->types[i].cat));
		cJSON_AddNumberToObject(t, "associationTypeId", a->types[i].type_id);
		cJSON_AddItemToArray(types, t);
	}
	return in;
}

/* Queues n acts of u (by index) on c, most to a request. */
static void
queue_acts(struct calls *c, const struct undo_plan *u, const char *path,
    struct undo_said *said, const uint32_t *act, size_t n, size_t most)
{
	for (size_t off = 0; off < n; off += most) {
		size_t k = n - off < most ? n - off : most;
		struct undo_req *q = xcalloc(1, sizeof(*q) + k * sizeof(q->act[0]));
		cJSON *root = cJSON_CreateObject();
		cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
		const struct call_extra x = { .free_arg = true };

		q->said = said;
		q->u = u;
		q->path = path;
		for (size_t i = 0; i < k; i++) {
			q->act[q->n++] = act[off + i];
			cJSON_AddItemToArray(inputs, input_of(&u->v[act[off + i]]));
		}
		calls_add_ex(c, &x, said->kind, "POST", path, cJSON_PrintUnformatted(root),
		    on_undo_acts, q);
		cJSON_Delete(root);
	}
}

size_t
undo_queue_kind(const struct undo_plan *u, const struct session *s, struct calls *c,
    const char *kind, enum api_version api, struct undo_said *said,
    enum undo_kind k)
{
	uint32_t *act = xcalloc(u->n + 1, sizeof(*act));
	size_t n = 0;
	/* No more a request than the session's sends took (--chunk: a
	 * portal that takes fewer than HubSpot's 2,000); fewer when the
	 * portal refuses one, saying how many it takes. */
	size_t most = s->plan.chunk_size > 0 && s->plan.chunk_size < UNDO_CHUNK ?
	    s->plan.chunk_size : UNDO_CHUNK;
	struct buf path = BUF_INIT;

	said->kind = kind;
	request_assoc_path(&path, api, &s->from, &s->to, undo_paths[k]);
	for (size_t i = 0; i < u->n; i++)
		if (u->v[i].kind == k)
			act[n++] = (uint32_t)i;
	/* The path lives as long as the plan's requests do: the said's. */
	free(said->path);
	said->path = buf_detach(&path);
	queue_acts(c, u, said->path, said, act, n, most);
	buf_free(&path);
	free(act);
	return (n + most - 1) / most;
}
