/* test_op.c: the verify and undo operations over a fake portal (fakenet.h):
 * what they read, what they ask, what they write, what they end with. */
#include "testutil.h"

#include <cjson/cJSON.h>

#include "hubassoc/explain.h"
#include "hubassoc/op.h"
#include "fakenet.h"
#include "planfx.h"

/* A portal of contacts and companies: pairs and their types, read by
 * association batch/read and written by create, archive and labels/archive
 * as HubSpot does it (no label replaced: only what is asked). */
#define PAIRS_MAX 32
#define TYPES_MAX 4

struct pair {
	char from[16], to[16];
	uint32_t types[TYPES_MAX];   /* HUBSPOT_DEFINED under 1000, else USER */
	size_t n;
	bool gone;
};

struct portal {
	struct fakenet net;
	struct pair p[PAIRS_MAX];
	size_t n;
	size_t reads, writes, limits;
	bool refuse_creates;      /* a create is refused whole (a limit) */
	size_t labels_made;       /* label POSTs */
	bool refuse_label;        /* ... refused, as a name taken */
	size_t max_inputs;        /* writes of more refused, saying so; 0: any */
	bool replaces;            /* a create replaces the pair's labels */
	uint32_t ignored;         /* a type a create does not give, or 0 */
};

static struct pair *
find(struct portal *x, const char *from, const char *to)
{
	for (size_t i = 0; i < x->n; i++)
		if (!x->p[i].gone && strcmp(x->p[i].from, from) == 0 &&
		    strcmp(x->p[i].to, to) == 0)
			return &x->p[i];
	return NULL;
}

static struct pair *
put(struct portal *x, const char *from, const char *to)
{
	struct pair *p = find(x, from, to);

	if (p == NULL) {
		assert_true(x->n < PAIRS_MAX);
		p = &x->p[x->n++];
		memset(p, 0, sizeof(*p));
		snprintf(p->from, sizeof(p->from), "%s", from);
		snprintf(p->to, sizeof(p->to), "%s", to);
	}
	return p;
}

static void
add_type(struct pair *p, uint32_t t)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->types[i] == t)
			return;
	assert_true(p->n < TYPES_MAX);
	p->types[p->n++] = t;
}

static void
del_type(struct pair *p, uint32_t t)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->types[i] == t)
			p->types[i] = p->types[--p->n];
}

/* "279,1000036": the pair's types, sorted, as a test reads them. */
static const char *
types_of(struct portal *x, const char *from, const char *to)
{
	static char out[64];
	struct pair *p = find(x, from, to);
	uint32_t v[TYPES_MAX];
	size_t n = p != NULL ? p->n : 0;

	out[0] = '\0';
	if (p == NULL)
		return "none";
	memcpy(v, p->types, n * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (v[k] < v[i]) {
				uint32_t t = v[i];
				v[i] = v[k];
				v[k] = t;
			}
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%u",
		    i ? "," : "", v[i]);
	return out;
}

static uint32_t
type_of(const cJSON *t)
{
	const cJSON *cat = cJSON_GetObjectItem(t, "associationCategory");
	uint32_t id = (uint32_t)cJSON_GetObjectItem(t, "associationTypeId")->valueint;

	return strcmp(cat->valuestring, "USER_DEFINED") == 0 ? 1000000 + id : id;
}

/* The portal's records: contacts 1 (Ada, ada@example.com) and 2 (no
 * name), companies 10 (Acme) and 20 (Initech). */
static const struct record {
	const char *type, *id, *email, *first, *name;
} portal_records[] = {
	{ "contacts", "1", "ada@example.com", "Ada", NULL },
	{ "contacts", "2", "bob@example.com", NULL, NULL },
	{ "companies", "10", NULL, NULL, "Acme" },
	{ "companies", "20", NULL, NULL, "Initech" },
};

static void
records(struct portal *x, const char *path, cJSON *body, struct http_result *res)
{
	const cJSON *prop = cJSON_GetObjectItem(body, "idProperty"), *in;
	cJSON *root = cJSON_CreateObject(), *results = cJSON_AddArrayToObject(root,
	    "results");

	(void)x;
	cJSON_AddStringToObject(root, "status", "COMPLETE");
	cJSON_ArrayForEach(in, cJSON_GetObjectItem(body, "inputs")) {
		const char *want = cJSON_GetObjectItem(in, "id")->valuestring;
		for (size_t i = 0; i < HA_ARRAY_LEN(portal_records); i++) {
			const struct record *r = &portal_records[i];
			const char *have = cJSON_IsString(prop) ? r->email : r->id;
			if (strstr(path, r->type) == NULL || have == NULL ||
			    strcmp(have, want) != 0)
				continue;
			cJSON *o = cJSON_CreateObject(), *p;
			cJSON_AddStringToObject(o, "id", r->id);
			p = cJSON_AddObjectToObject(o, "properties");
			if (r->email != NULL)
				cJSON_AddStringToObject(p, "email", r->email);
			if (r->first != NULL)
				cJSON_AddStringToObject(p, "firstname", r->first);
			if (r->name != NULL)
				cJSON_AddStringToObject(p, "name", r->name);
			cJSON_AddItemToArray(results, o);
		}
	}
	char *text = cJSON_PrintUnformatted(root);
	buf_addstr(&res->body, text);
	free(text);
	cJSON_Delete(root);
}

static void
answer(struct fakenet *n, const char *path, cJSON *body, struct http_result *res)
{
	struct portal *x = (struct portal *)n;
	const cJSON *in;

	res->status = 200;
	/* A label made: its type IDs, a direction each. */
	if (strstr(path, "/labels") != NULL && strstr(path, "batch/") == NULL) {
		x->labels_made++;
		if (x->refuse_label) {
			res->status = 400;
			buf_addstr(&res->body, "{\"status\":\"error\",\"category\":"
			    "\"VALIDATION_ERROR\",\"message\":\"An association label "
			    "named Sponsor already exists\"}");
			return;
		}
		buf_addstr(&res->body, "{\"results\":[{\"category\":\"USER_DEFINED\","
		    "\"typeId\":60,\"label\":\"Sponsor\"},{\"category\":"
		    "\"USER_DEFINED\",\"typeId\":61,\"label\":\"Sponsored by\"}]}");
		return;
	}
	/* Records: read by ID or by a unique property (objects batch/read). */
	if (strstr(path, "/objects/") != NULL) {
		x->reads++;
		records(x, path, body, res);
		return;
	}
	/* No limit configured. */
	if (strstr(path, "configurations") != NULL) {
		x->limits++;
		buf_addstr(&res->body, "{\"results\":[]}");
		return;
	}
	if (strstr(path, "batch/read") != NULL) {
		x->reads++;
		cJSON *root = cJSON_CreateObject(), *results = cJSON_AddArrayToObject(root,
		    "results");
		cJSON_AddStringToObject(root, "status", "COMPLETE");
		cJSON_ArrayForEach(in, cJSON_GetObjectItem(body, "inputs")) {
			const char *id = cJSON_GetObjectItem(in, "id")->valuestring;
			cJSON *r = cJSON_CreateObject(), *to;
			cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "from"), "id", id);
			to = cJSON_AddArrayToObject(r, "to");
			for (size_t i = 0; i < x->n; i++) {
				struct pair *p = &x->p[i];
				if (p->gone || strcmp(p->from, id) != 0)
					continue;
				cJSON *t = cJSON_CreateObject(), *ts;
				cJSON_AddNumberToObject(t, "toObjectId", atof(p->to));
				ts = cJSON_AddArrayToObject(t, "associationTypes");
				for (size_t k = 0; k < p->n; k++) {
					cJSON *ty = cJSON_CreateObject();
					bool user = p->types[k] >= 1000000;
					cJSON_AddStringToObject(ty, "category", user ?
					    "USER_DEFINED" : "HUBSPOT_DEFINED");
					cJSON_AddNumberToObject(ty, "typeId", user ?
					    p->types[k] - 1000000 : p->types[k]);
					cJSON_AddNullToObject(ty, "label");
					cJSON_AddItemToArray(ts, ty);
				}
				cJSON_AddItemToArray(to, t);
			}
			cJSON_AddItemToArray(results, r);
		}
		char *text = cJSON_PrintUnformatted(root);
		buf_addstr(&res->body, text);
		free(text);
		cJSON_Delete(root);
		return;
	}
	x->writes++;
	int inputs = cJSON_GetArraySize(cJSON_GetObjectItem(body, "inputs"));
	if (x->max_inputs > 0 && (size_t)inputs > x->max_inputs) {
		res->status = 400;
		buf_printf(&res->body, "{\"status\":\"error\",\"category\":"
		    "\"VALIDATION_ERROR\",\"message\":\"Batch input size of %d exceeds "
		    "the maximum of %zu inputs\"}", inputs, x->max_inputs);
		return;
	}
	if (x->refuse_creates && strstr(path, "batch/create") != NULL) {
		res->status = 400;
		buf_addstr(&res->body, "{\"status\":\"error\",\"category\":"
		    "\"VALIDATION_ERROR\",\"message\":\"One or more associations "
		    "would exceed the limit\"}");
		return;
	}
	res->status = strstr(path, "batch/create") != NULL ? 201 : 204;
	cJSON *done = cJSON_CreateObject(), *results = cJSON_AddArrayToObject(done,
	    "results");
	cJSON_AddStringToObject(done, "status", "COMPLETE");
	cJSON_ArrayForEach(in, cJSON_GetObjectItem(body, "inputs")) {
		const char *from = cJSON_GetObjectItem(cJSON_GetObjectItem(in, "from"),
		    "id")->valuestring;
		const cJSON *to = cJSON_GetObjectItem(in, "to"), *t;
		if (strstr(path, "batch/archive") != NULL) {
			cJSON_ArrayForEach(t, to) {
				struct pair *p = find(x, from, cJSON_GetObjectItem(t, "id")->valuestring);
				if (p != NULL)
					p->gone = true;
			}
			continue;
		}
		const char *tid = cJSON_GetObjectItem(to, "id")->valuestring;
		struct pair *p = strstr(path, "labels/archive") != NULL ?
		    find(x, from, tid) : put(x, from, tid);
		/* A create's answer names each pair it made. */
		cJSON *r = cJSON_CreateObject();
		cJSON_AddNumberToObject(r, "fromObjectId", atof(from));
		cJSON_AddNumberToObject(r, "toObjectId", atof(tid));
		cJSON_AddArrayToObject(r, "labels");
		cJSON_AddItemToArray(results, r);
		/* A portal whose create replaces labels: the pair keeps only
		 * the labels the create names. */
		for (size_t k = 0; x->replaces && p != NULL &&
		    strstr(path, "batch/create") != NULL && k < p->n;)
			if (p->types[k] >= 1000000)
				del_type(p, p->types[k]);
			else
				k++;
		cJSON_ArrayForEach(t, cJSON_GetObjectItem(in, "types")) {
			if (strstr(path, "labels/archive") != NULL && p != NULL)
				del_type(p, type_of(t));
			else if (p != NULL && type_of(t) != x->ignored)
				add_type(p, type_of(t));
		}
	}
	if (res->status == 201) {
		char *text = cJSON_PrintUnformatted(done);
		buf_addstr(&res->body, text);
		free(text);
	}
	cJSON_Delete(done);
}

/* A session of three created rows, contacts to companies, with what the
 * preflight read of each: 1>10 new; 2>20 held 279 (the session added
 * USER_DEFINED:36); 3>30 held 279 and USER_DEFINED:44. */
struct fx {
	struct portal portal;
	struct engine_transport tp;
	struct conn c;
	struct planfx pf;
	struct session s;
};

/* The connection, over the fake portal. */
static void
fx_conn(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->portal.net.answer = answer;
	f->tp = fakenet_transport(&f->portal.net);
	f->c.transport = &f->tp;
	f->c.api = API_V4;
	f->c.base_url = (char *)"https://portal.example";
	f->c.max_attempts = 3;
	f->c.max_wait_ms = 1000;
	f->c.timeout_ms = 1000;
	rate_init(&f->c.rate, 1000, 1000);
}

/* The connection and a session of text's rows, every one created. */
static void
fx_base(struct fx *f, const char *text, size_t nrows)
{
	fx_conn(f);
	planfx_build(&f->pf, text, "contacts", "companies", NULL, 100);
	f->s.in = f->pf.in;
	f->s.plan = f->pf.plan;
	f->s.from = f->pf.from;
	f->s.to = f->pf.to;
	f->s.meta.id = xstrdup("S1");
	outcomes_init(&f->s.out, &f->s.plan, false);
	for (size_t i = 0; i < nrows; i++)
		outcomes_set(&f->s.out, i, OUTCOME_CREATED, 201, 0);
	session_sends_init(&f->s);
	prestate_init(&f->s.pre, nrows);
}

static void
fx_init(struct fx *f)
{
	fx_base(f, "1,10,279\n2,20,279;USER_DEFINED:36\n3,30,USER_DEFINED:36\n", 3);
	static struct pre_type t279 = { ASSOC_CAT_HUBSPOT, 279 };
	static struct pre_type t44[2] = { { ASSOC_CAT_HUBSPOT, 279 },
	    { ASSOC_CAT_USER, 44 } };
	struct pre_row r0 = { .cls = PRE_NEW };
	struct pre_row r1 = { .cls = PRE_ADDS, .ntypes = 1 };
	struct pre_row r2 = { .cls = PRE_ADDS, .ntypes = 2 };
	r1.types = xcalloc(1, sizeof(t279));
	r1.types[0] = t279;
	r2.types = xcalloc(2, sizeof(t44));
	memcpy(r2.types, t44, sizeof(t44));
	prestate_set(&f->s.pre, 0, &r0);
	prestate_set(&f->s.pre, 1, &r1);
	prestate_set(&f->s.pre, 2, &r2);
	/* The portal as the session left it. */
	add_type(put(&f->portal, "1", "10"), 279);
	add_type(put(&f->portal, "2", "20"), 279);
	add_type(put(&f->portal, "2", "20"), 1000036);
	add_type(put(&f->portal, "3", "30"), 279);
	add_type(put(&f->portal, "3", "30"), 1000036);
	add_type(put(&f->portal, "3", "30"), 1000044);
}

static void
fx_free(struct fx *f)
{
	/* The planfx's input and plan are the session's now. */
	f->pf.in = NULL;
	memset(&f->pf.plan, 0, sizeof(f->pf.plan));
	planfx_free(&f->pf);
	session_free(&f->s);
	rate_free(&f->c.rate);
}

/* Turns o until it asks or is done. */
static void
run(struct op *o)
{
	for (int i = 0; i < 1000 && !op_done(o) && op_question(o) == NULL; i++)
		op_turn(o, NULL, 0, 1);
	assert_true(op_done(o) || op_question(o) != NULL);
}

static void
test_verify(void **state)
{
	struct fx f;
	size_t count[VERIFY_COUNT];

	(void)state;
	fx_init(&f);
	/* Row 2's pair lost its label; row 3's pair is gone. */
	del_type(find(&f.portal, "2", "20"), 1000036);
	find(&f.portal, "3", "30")->gone = true;
	struct op *o = op_verify(&f.c, NULL, &f.s);
	run(o);
	assert_true(op_done(o));
	const uint8_t *v = op_verify_verdicts(o, count);
	assert_non_null(v);
	assert_int_equal(v[0], VERIFY_CONFIRMED);
	assert_int_equal(v[1], VERIFY_DIFFER);
	assert_int_equal(v[2], VERIFY_MISSING);
	assert_int_equal(count[VERIFY_CONFIRMED], 1);
	struct buf lacks = BUF_INIT;
	assert_int_equal(op_verify_row(o, 1, &lacks), VERIFY_DIFFER);
	assert_string_equal(buf_str(&lacks), "USER_DEFINED:36");
	buf_free(&lacks);
	assert_int_equal(o->status, EXIT_SOME_FAILED);
	assert_non_null(strstr(o->summary, "session S1 verified: 3 rows created: 1 "
	    "confirmed, 1 missing, 1 types differ (1 request)"));
	assert_int_equal(f.portal.writes, 0);
	op_free(o);
	fx_free(&f);
}

/* Nothing created: said, nothing read. */
static void
test_verify_nothing(void **state)
{
	struct fx f;
	size_t count[VERIFY_COUNT];

	(void)state;
	fx_init(&f);
	for (size_t i = 0; i < 3; i++)
		outcomes_set(&f.s.out, i, OUTCOME_FAILED, 400, 0);
	struct op *o = op_verify(&f.c, NULL, &f.s);
	assert_true(op_done(o));
	assert_null(op_verify_verdicts(o, count));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_non_null(strstr(o->summary, ": no row created: nothing to verify"));
	assert_int_equal(f.portal.reads, 0);
	op_free(o);
	fx_free(&f);
}

/* Undo: reads, asks with the whole plan, and on yes puts the portal back:
 * the new pair archived, the label added taken off, a lost one given
 * back, the unlabeled type never removed. */
static void
test_undo(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	/* Row 3's pair lost 44 behind the session's back: given back. */
	del_type(find(&f.portal, "3", "30"), 1000044);
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	const struct op_question *q = op_question(o);
	assert_non_null(q);
	assert_non_null(strstr(q->title, "on https://portal.example?"));
	assert_non_null(strstr(q->title, "Undo session "));
	assert_non_null(strstr(q->brief, "archive 1, unlabel 2, restore 1"));
	bool seen = false;
	for (size_t i = 0; i < q->nlines; i++)
		seen |= strstr(q->lines[i], "archive    1 pair the session made") != NULL;
	assert_true(seen);
	size_t reads = f.portal.reads;
	assert_int_equal(f.portal.writes, 0);
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_non_null(strstr(o->summary, "session S1 undone: 1 pair archived, "
	    "2 unlabeled, 1 restored"));
	assert_string_equal(types_of(&f.portal, "1", "10"), "none");
	assert_string_equal(types_of(&f.portal, "2", "20"), "279");
	assert_string_equal(types_of(&f.portal, "3", "30"), "279,1000044");
	assert_int_equal(f.portal.reads, reads);
	op_free(o);
	/* Again: nothing to do, nothing written. */
	size_t writes = f.portal.writes;
	o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	assert_true(op_done(o));
	assert_non_null(strstr(o->summary, "nothing to do"));
	assert_int_equal(f.portal.writes, writes);
	op_free(o);
	fx_free(&f);
}

/* An undo asked, its plan holding line, and agreed to: done. */
static struct op *
undo_agreed(struct fx *f, const char *line)
{
	struct op *o = op_undo(&f->c, NULL, &f->s, false);
	bool seen = false;

	run(o);
	const struct op_question *q = op_question(o);
	assert_non_null(q);
	for (size_t i = 0; i < q->nlines; i++)
		seen |= strstr(q->lines[i], line) != NULL;
	assert_true(seen);
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	return o;
}

/* A pair that held its row's types before the session: the undo leaves
 * it, says so, and its row stays created; the others are undone. */
static void
test_undo_held_before(void **state)
{
	struct fx f;
	static struct pre_type t279 = { ASSOC_CAT_HUBSPOT, 279 };

	(void)state;
	fx_init(&f);
	struct pre_row r0 = { .cls = PRE_THERE, .ntypes = 1 };
	r0.types = xcalloc(1, sizeof(t279));
	r0.types[0] = t279;
	prestate_clear_row(&f.s.pre, 0);
	prestate_set(&f.s.pre, 0, &r0);
	assert_true(session_row_held_before(&f.s, 0));
	assert_false(session_row_held_before(&f.s, 1));
	struct op *o = undo_agreed(&f, "left       1 pair that held its types before "
	    "the session: it stays as it was");
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(types_of(&f.portal, "1", "10"), "279");
	assert_int_equal(f.s.out.state[0], OUTCOME_CREATED);
	assert_int_equal(f.s.out.state[1], OUTCOME_UNDONE);
	assert_int_equal(f.s.out.state[2], OUTCOME_UNDONE);
	/* What it unlabeled reads as taken back. */
	struct explain x = { 0 };
	struct buf why = BUF_INIT;
	explain_line(&x, &f.s, NULL, NULL, 1, &why);
	assert_string_equal(buf_str(&why), "taken back by the session's undo");
	buf_free(&why);
	explain_free(&x);
	op_free(o);
	fx_free(&f);
}

/* A pair the session made that holds a label given since: the undo does
 * not archive it (the label would go with it); verify says it holds. */
static void
test_undo_given_since(void **state)
{
	struct fx f;
	size_t count[VERIFY_COUNT];

	(void)state;
	fx_init(&f);
	add_type(find(&f.portal, "1", "10"), 1000036);
	struct op *o = undo_agreed(&f, "kept       1 pair the session made, which "
	    "holds types given since: only the session's go");
	/* The label given since stays, and the unlabeled type with it. */
	assert_string_equal(types_of(&f.portal, "1", "10"), "279,1000036");
	/* Nothing of it was taken back: it stays created, not undone (before:
	 * undone, and verify said the undo held). */
	assert_int_equal(f.s.out.state[0], OUTCOME_CREATED);
	const struct undo_plan *u = op_undo_plan(o);
	assert_int_equal(u->nkept, 1);
	assert_int_equal(u->kept_rows[0], 0);
	assert_int_equal(f.s.out.state[1], OUTCOME_UNDONE);
	op_free(o);
	o = op_verify(&f.c, NULL, &f.s);
	run(o);
	assert_true(op_done(o));
	const uint8_t *v = op_verify_verdicts(o, count);
	assert_non_null(v);
	assert_int_equal(v[0], VERIFY_CONFIRMED);
	op_free(o);
	fx_free(&f);
}

/* All the session made is a pair given a label since: nothing to take
 * back, said as kept (before: "nothing the session wrote is on the
 * portal now", beside "kept 1 pair ...: only the session's go"). */
static void
test_undo_all_kept(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	add_type(find(&f.portal, "1", "10"), 1000036);
	outcomes_set(&f.s.out, 1, OUTCOME_FAILED, 400, 0);
	outcomes_set(&f.s.out, 2, OUTCOME_FAILED, 400, 0);
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_non_null(strstr(o->summary, "nothing to do: what the session wrote "
	    "is kept, on pairs given types since"));
	bool kept_said = false, goes_said = false;
	for (const char *l; (l = op_said(o)) != NULL;) {
		kept_said |= strstr(l, "unlabeled type the session added") != NULL;
		goes_said |= strstr(l, "only the session's go") != NULL;
	}
	assert_true(kept_said);
	assert_false(goes_said);
	assert_string_equal(types_of(&f.portal, "1", "10"), "279,1000036");
	op_free(o);
	fx_free(&f);
}

/* A pair gone since (another undo took it): nothing of the session's is
 * left on it, said so; the summary does not say the portal holds what
 * the session found, which it does not. */
static void
test_undo_gone(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	find(&f.portal, "2", "20")->gone = true;
	find(&f.portal, "1", "10")->gone = true;
	del_type(find(&f.portal, "3", "30"), 1000036);
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	bool seen = false;
	const char *line;
	while ((line = op_said(o)) != NULL)
		seen |= strstr(line, "gone       2 pairs not on the portal now: nothing "
		    "of the session's is left on them") != NULL;
	assert_true(seen);
	assert_non_null(strstr(o->summary, "nothing to do: nothing the session wrote "
	    "is on the portal now"));
	assert_int_equal(f.portal.writes, 0);
	/* Its rows read so: two gone, one without the label the session
	 * gave it; the undo took nothing back of any (before: "taken back by
	 * the session's undo"). */
	struct explain x = { 0 };
	struct buf why = BUF_INIT;
	for (size_t row = 0; row < 3; row++) {
		assert_int_equal(f.s.out.state[row], OUTCOME_UNDONE);
		buf_reset(&why);
		explain_line(&x, &f.s, NULL, NULL, row, &why);
		assert_string_equal(buf_str(&why), "nothing of the session's was on the "
		    "portal when the undo looked: it took nothing back");
	}
	op_free(o);
	/* A pair put back since (another session's undo): an undo again
	 * takes it (before: "undone already", the pair left on). */
	add_type(put(&f.portal, "1", "10"), 279);
	o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	assert_non_null(op_question(o));
	op_answer(o, true);
	run(o);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(types_of(&f.portal, "1", "10"), "none");
	assert_int_equal(f.s.out.state[0], OUTCOME_UNDONE);
	assert_false(session_undo_bare(&f.s, 0));
	assert_true(session_undo_bare(&f.s, 1));
	buf_reset(&why);
	explain_line(&x, &f.s, NULL, NULL, 0, &why);
	assert_string_equal(buf_str(&why), "taken back by the session's undo");
	/* Nothing back since: nothing to do, said so; the row taken back
	 * counted as such (before: "untouched ... did not create"). */
	op_free(o);
	o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	assert_true(op_done(o));
	assert_non_null(strstr(o->summary, "nothing to do"));
	seen = false;
	while ((line = op_said(o)) != NULL) {
		seen |= strstr(line, "undone     1 row taken back by an undo before") != NULL;
		assert_null(strstr(line, "untouched"));
	}
	assert_true(seen);
	buf_free(&why);
	explain_free(&x);
	op_free(o);
	fx_free(&f);
}

/* An undo agreed to and stopped, read again: the pairs gone are said to
 * be its own doing or since, and their rows read as taken back (before:
 * "it took nothing back" of the pairs its first part archived). */
static void
test_undo_resumed_gone(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	find(&f.portal, "1", "10")->gone = true;
	f.s.meta.undo = SESSION_UNDO_BEGUN;
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	bool seen = false;
	const char *line;
	while ((line = op_said(o)) != NULL)
		seen |= strstr(line, "gone       1 pair not on the portal now: taken "
		    "off by this undo before it stopped, or since") != NULL;
	const struct op_question *q = op_question(o);
	for (size_t i = 0; q != NULL && i < q->nlines; i++)
		seen |= strstr(q->lines[i], "taken off by this undo before it "
		    "stopped") != NULL;
	assert_true(seen);
	if (op_question(o) != NULL) {
		op_answer(o, true);
		run(o);
	}
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_int_equal(f.s.out.state[0], OUTCOME_UNDONE);
	assert_false(session_undo_bare(&f.s, 0));
	op_free(o);
	fx_free(&f);
}

/* A portal that takes one input a request: each request refused for its
 * size goes again in pieces of one, and the undo ends as it would have
 * (before: it stopped, and resume stopped again the same way). */
static void
test_undo_sized(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	f.portal.max_inputs = 1;
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(types_of(&f.portal, "1", "10"), "none");
	assert_string_equal(types_of(&f.portal, "2", "20"), "279");
	assert_string_equal(types_of(&f.portal, "3", "30"), "279,1000044");
	/* The archive of one; the unlabel of two, refused, then two of one. */
	assert_int_equal(f.portal.writes, 4);
	op_free(o);
	fx_free(&f);
}

/* A restore on a portal whose create replaces labels names the labels the
 * pair holds now that are not the session's: none given since is lost. */
static void
test_undo_restore_keeps(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	f.portal.replaces = true;
	/* The session's create took 44 off row 3's pair; 54 was given since. */
	del_type(find(&f.portal, "3", "30"), 1000044);
	add_type(find(&f.portal, "3", "30"), 1000054);
	struct op *o = undo_agreed(&f, "restore    1 pair as it was");
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(types_of(&f.portal, "3", "30"), "279,1000044,1000054");
	op_free(o);
	fx_free(&f);
}

/* read: each record once, its pairs, those of the types asked for, and
 * the records with none, counted in the summary; the set is the caller's. */
static void
test_read(void **state)
{
	struct fx f;
	const char *ids[] = { "1", "2", "1", "9" };
	struct assoc_spec u36 = { .cat = ASSOC_CAT_USER, .type_id = 36 };

	(void)state;
	fx_init(&f);
	struct op *o = op_read(&f.c, &f.s.from, &f.s.to, NULL, 0, ids, 4);
	assert_int_equal(op_read_records(o), 3);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(o->summary, "read contacts to companies: 3 records, 2 "
	    "pairs; 1 with none; 1 request");
	struct assocset *set = op_read_take(o);
	assert_non_null(assocset_pair(set, "2", "20"));
	assert_true(assocread_to_has(assocset_pair(set, "2", "20"), ASSOC_CAT_USER, 36));
	assert_null(assocset_pair(set, "9", "10"));
	op_free(o);
	assocset_free(set);
	/* Only USER_DEFINED:36: one pair holds it. */
	o = op_read(&f.c, &f.s.from, &f.s.to, &u36, 1, ids, 4);
	run(o);
	assert_string_equal(o->summary, "read contacts to companies: 3 records, 1 "
	    "pair; 2 with none of those types; 1 request");
	assert_int_equal(f.portal.writes, 0);
	op_free(o);
	fx_free(&f);
}

/* A pair given back twice, as the holder of a Primary row 1 moved and as
 * row 2's pair, which lost it: one input of the restore, counted once. */
static void
test_undo_one_restore(void **state)
{
	struct fx f;

	(void)state;
	fx_base(&f, "1,10,1\n1,20,USER_DEFINED:36\n", 2);
	struct pre_row moves = { .cls = PRE_MOVES, .owner = 1, .nholder_types = 2 };
	struct pre_row adds = { .cls = PRE_ADDS, .ntypes = 2 };
	moves.holder = xstrdup("20");
	moves.holder_types = xcalloc(2, sizeof(*moves.holder_types));
	adds.types = xcalloc(2, sizeof(*adds.types));
	moves.holder_types[0] = adds.types[0] = (struct pre_type){ ASSOC_CAT_HUBSPOT, 279 };
	moves.holder_types[1] = adds.types[1] = (struct pre_type){ ASSOC_CAT_HUBSPOT, 1 };
	prestate_set(&f.s.pre, 0, &moves);
	prestate_set(&f.s.pre, 1, &adds);
	/* The portal as the session left it: the Primary moved to 10. */
	add_type(put(&f.portal, "1", "10"), 1);
	add_type(put(&f.portal, "1", "20"), 279);
	add_type(put(&f.portal, "1", "20"), 1000036);
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	const struct undo_plan *u = op_undo_plan(o);
	assert_non_null(u);
	assert_int_equal(u->count[UNDO_RESTORE], 1);
	assert_int_equal(u->count[UNDO_ARCHIVE], 1);
	assert_int_equal(u->count[UNDO_UNLABEL], 1);
	assert_int_equal(undo_primaries(u), 1);
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_non_null(strstr(o->summary, "1 restored"));
	assert_string_equal(types_of(&f.portal, "1", "20"), "1,279");
	assert_string_equal(types_of(&f.portal, "1", "10"), "none");
	op_free(o);
	fx_free(&f);
}

/* o agreed to, then stopped (C-c) once a request to path is in flight,
 * held there by the network: it is answered, and what follows is not
 * sent. */
static void
stopped_in_flight(struct fx *f, struct op *o, const char *path)
{
	assert_non_null(op_question(o));
	op_answer(o, true);
	f->portal.net.hold = path;
	for (int i = 0; i < 1000 && f->portal.net.n == 0 && !op_done(o); i++)
		op_turn(o, NULL, 0, 1);
	assert_false(op_done(o));
	assert_non_null(strstr(f->portal.net.q[0].path, path));
	op_interrupt(o);
	f->portal.net.hold = NULL;
	run(o);
	assert_true(op_done(o));
}

static struct op *
undo_stopped_in_flight(struct fx *f)
{
	struct op *o = op_undo(&f->c, NULL, &f->s, false);

	run(o);
	stopped_in_flight(f, o, "batch/");
	return o;
}

/* C-c with the last writes in flight: each is answered, the portal is
 * put back, and the undo is done (before: interrupted, its rows read
 * created, resume asked to finish what was finished). */
static void
test_undo_stopped_last(void **state)
{
	struct fx f;

	(void)state;
	fx_base(&f, "1,10,279\n", 1);
	struct pre_row nopair = { .cls = PRE_NEW };
	prestate_set(&f.s.pre, 0, &nopair);
	add_type(put(&f.portal, "1", "10"), 279);
	struct op *o = undo_stopped_in_flight(&f);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_non_null(strstr(o->summary, "session S1 undone: 1 pair archived"));
	assert_string_equal(types_of(&f.portal, "1", "10"), "none");
	assert_int_equal(f.s.meta.undo, SESSION_UNDO_DONE);
	assert_int_equal(f.s.out.state[0], OUTCOME_UNDONE);
	op_free(o);
	fx_free(&f);
}

/* C-c with the restores in flight, the rest to send: they are answered,
 * and the undo stops there, to be finished. */
static void
test_undo_stopped_between(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	del_type(find(&f.portal, "3", "30"), 1000044);
	size_t writes = f.portal.writes;
	struct op *o = undo_stopped_in_flight(&f);
	assert_int_equal(o->status, EXIT_INTERRUPTED);
	assert_non_null(strstr(o->summary, "hubassoc resume S1 --base-url https://portal.example finishes it"));
	assert_int_equal(f.portal.writes, writes + 1);
	/* Restored, and nothing taken off yet. */
	assert_string_equal(types_of(&f.portal, "3", "30"), "279,1000036,1000044");
	assert_string_equal(types_of(&f.portal, "1", "10"), "279");
	assert_int_not_equal(f.s.meta.undo, SESSION_UNDO_DONE);
	op_free(o);
	fx_free(&f);
}

/* A no, and a dry run: the plan, nothing written. */
static void
test_undo_declined(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	op_answer(o, false);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_USAGE);
	assert_non_null(strstr(o->summary, "not undone"));
	op_free(o);
	o = op_undo(&f.c, NULL, &f.s, true);
	run(o);
	assert_true(op_done(o));
	assert_null(op_question(o));
	const char *line, *first = op_said(o);
	assert_non_null(first);
	assert_non_null(strstr(first, "undo S1: 3 rows created"));
	while ((line = op_said(o)) != NULL)
		;
	assert_non_null(strstr(o->summary, "dry run, nothing was changed"));
	assert_int_equal(f.portal.writes, 0);
	op_free(o);
	/* Never sent: nothing to undo, nothing read. */
	f.s.nsends = 0;
	size_t reads = f.portal.reads;
	o = op_undo(&f.c, NULL, &f.s, false);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_USAGE);
	assert_non_null(strstr(o->summary, "was never sent"));
	assert_int_equal(f.portal.reads, reads);
	op_free(o);
	f.s.nsends = 1;
	fx_free(&f);
}

/* A remove or a relabel session of text's rows over the portal, not
 * sent yet: op_send reads first, asks, writes. */
/* The connection and a plan of op over text's rows: the session's, not
 * begun. */
static void
fx_plan_op(struct fx *f, const char *text, enum plan_op op, const char *types,
    const char *replace)
{
	char *c = NULL;

	fx_conn(f);
	planfx_build(&f->pf, text, "contacts", "companies", NULL, 100);
	plan_free(&f->pf.plan);
	struct assoc_spec t[2];
	size_t n = 0;
	if (types != NULL)
		assert_int_equal(assoc_spec_parse(types, strlen(types), &t[n++], &c), 0);
	assert_int_equal(plan_build_op(&f->pf.plan, op, f->pf.in, &f->pf.from,
	    &f->pf.to, t, n, &f->pf.labels, 100, &c), 0);
	if (op == PLAN_OP_RELABEL)
		assert_int_equal(plan_relabel_set(&f->pf.plan, replace, false,
		    &f->pf.labels, &c), 0);
	for (size_t i = 0; i < n; i++)
		assoc_spec_clear(&t[i]);
	f->s.in = f->pf.in;
	f->s.plan = f->pf.plan;
	f->s.from = f->pf.from;
	f->s.to = f->pf.to;
	f->s.meta.preflight = true;
	f->s.meta.op = op;
}

/* ... begun: session S2, its first send. */
static void
fx_change(struct fx *f, const char *text, enum plan_op op, const char *types,
    const char *replace)
{
	fx_plan_op(f, text, op, types, replace);
	f->s.meta.id = xstrdup("S2");
	outcomes_init(&f->s.out, &f->s.plan, false);
	session_sends_init(&f->s);
}

/* A relabel of 36 to 44 of one pair, 2-20, holding 279 and 36. */
static void
fx_relabel(struct fx *f, struct op_send_opts *so)
{
	fx_change(f, "2,20\n", PLAN_OP_RELABEL, "USER_DEFINED:44", "USER_DEFINED:36");
	so->labels = &f->pf.labels;
	add_type(put(&f->portal, "2", "20"), 279);
	add_type(put(&f->portal, "2", "20"), 1000036);
}

static bool
asked_line(const struct op_question *q, const char *text)
{
	for (size_t i = 0; q != NULL && i < q->nlines; i++)
		if (strstr(q->lines[i], text) != NULL)
			return true;
	return false;
}

/* Remove: the pairs read, the plan asked (what each takes, a pair not
 * there), archived on yes; verify finds them gone; undo gives every type
 * back, the portal as it was. */
static void
test_remove(void **state)
{
	struct fx f;
	struct op_send_opts so = { 0 };
	size_t count[VERIFY_COUNT];

	(void)state;
	fx_change(&f, "2,20\n3,30\n4,40\n", PLAN_OP_REMOVE, NULL, NULL);
	so.labels = &f.pf.labels;
	add_type(put(&f.portal, "2", "20"), 279);
	add_type(put(&f.portal, "2", "20"), 1000036);
	add_type(put(&f.portal, "3", "30"), 279);
	struct op *o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	const struct op_question *q = op_question(o);
	assert_non_null(q);
	assert_string_equal(q->title, "Remove 2 pairs on https://portal.example?");
	assert_true(asked_line(q, "pairs      2, such as line 1: removes the pair (and its label "
	    "USER_DEFINED:36)"));
	assert_true(asked_line(q, "not there  1, line 3: not there: no such pair"));
	assert_true(asked_line(q, "(batch/archive)"));
	assert_int_equal(f.portal.writes, 0);
	/* A no: nothing written, and the next send asks again. */
	op_answer(o, false);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_USAGE);
	assert_non_null(strstr(o->summary, "the plan was not agreed to"));
	assert_int_equal(f.portal.writes, 0);
	op_free(o);
	o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	assert_non_null(op_question(o));
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	/* The pair not there: nothing sent for it, unchanged. */
	assert_int_equal(f.s.out.count[OUTCOME_CREATED], 2);
	assert_int_equal(f.s.out.count[OUTCOME_UNCHANGED], 1);
	assert_non_null(strstr(o->summary, "2 removed, 0 failed"));
	assert_string_equal(types_of(&f.portal, "2", "20"), "none");
	assert_string_equal(types_of(&f.portal, "3", "30"), "none");
	op_free(o);

	o = op_verify(&f.c, NULL, &f.s);
	run(o);
	assert_non_null(op_verify_verdicts(o, count));
	assert_int_equal(count[VERIFY_CONFIRMED], 2);
	assert_non_null(strstr(o->summary, "2 rows removed: 2 gone, 0 still there"));
	op_free(o);

	/* One pair made again since, as it was: counted, nothing to put
	 * back (before: in no line of the plan). */
	add_type(put(&f.portal, "3", "30"), 279);
	o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	assert_non_null(op_question(o));
	assert_true(asked_line(op_question(o), "as before  1 pair holds again what it "
	    "held before the session: nothing to put back"));
	op_answer(o, true);
	run(o);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(types_of(&f.portal, "2", "20"), "279,1000036");
	assert_string_equal(types_of(&f.portal, "3", "30"), "279");
	assert_string_equal(types_of(&f.portal, "4", "40"), "none");
	struct explain x = { 0 };
	struct buf why = BUF_INIT;
	explain_line(&x, &f.s, NULL, NULL, 0, &why);
	assert_string_equal(buf_str(&why), "taken back by the session's undo");
	buf_reset(&why);
	explain_line(&x, &f.s, NULL, NULL, 1, &why);
	assert_string_equal(buf_str(&why), "as it was before the session when the "
	    "undo looked: it put nothing back");
	buf_free(&why);
	explain_free(&x);
	op_free(o);
	fx_free(&f);
}

/* The session a send that asks begins on its yes (op_send_opts.begin):
 * its journal created then, as the terminal's S does it. */
struct began {
	struct fx *f;
	struct journal *j;
	int calls;
};

static struct journal *
begin_fx(void *arg, char **cause)
{
	struct began *b = arg;
	struct journal_meta meta = { 0 };

	b->calls++;
	meta.profile = xstrdup("default");
	meta.base_url = xstrdup(b->f->c.base_url);
	meta.api_version = xstrdup("v4");
	meta.input_name = xstrdup("pasted");
	meta.types = xstrdup("279");
	meta.preflight = true;
	b->j = journal_create(&meta, b->f->s.in, &b->f->s.plan, cause);
	if (b->j != NULL)
		session_begin(&b->f->s, &meta, journal_path(b->j), API_V4);
	journal_meta_free(&meta);
	return b->j;
}

/* Where text stands in the file at path, or -1. */
static long
at(const char *path, const char *text)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	const char *p = strstr(buf_str(&b), text);
	long off = p != NULL ? p - buf_str(&b) : -1;
	buf_free(&b);
	return off;
}

/* A create that asks first (the terminal's S): it reads and asks with what
 * it read, keeping nothing before the yes; a no keeps nothing; a yes
 * begins the session, the reads written there first, then creates. */
static void
test_create_asks(void **state)
{
	struct fx f;
	struct op_send_opts so = { 0 };
	struct began b = { .f = &f };

	(void)state;
	/* Not begun: no ID, no send yet, its rows pending. */
	fx_plan_op(&f, "2,20\n3,30\n", PLAN_OP_CREATE, "279", NULL);
	session_prepare(&f.s, API_V4);
	add_type(put(&f.portal, "3", "30"), 279);
	struct send_plan sp = { .kind = SEND_FIRST, .send = 1,
	    .base_url = f.c.base_url, .profile = "profile default" };
	so.labels = &f.pf.labels;
	so.ask = &sp;
	so.begin = begin_fx;
	so.begin_arg = &b;
	so.again = "S looks again";

	struct op *o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	const struct op_question *q = op_question(o);
	assert_non_null(q);
	assert_string_equal(q->title, "Send 2 pairs to https://portal.example?");
	/* What it read: one pair there already. */
	assert_true(asked_line(q, "1 new, 1 already there"));
	/* The limits of both directions read before it asks. */
	assert_int_equal(f.portal.limits, 2);
	assert_true(f.portal.reads > 0);
	assert_int_equal(f.portal.writes, 0);
	assert_int_equal(b.calls, 0);
	op_answer(o, false);
	assert_true(op_done(o));
	assert_string_equal(o->summary, "not sent");
	assert_int_equal(b.calls, 0);
	assert_int_equal(f.portal.writes, 0);
	op_free(o);

	o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	assert_non_null(op_question(o));
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_int_equal(b.calls, 1);
	assert_int_equal(f.s.out.count[OUTCOME_CREATED], 2);
	assert_string_equal(types_of(&f.portal, "2", "20"), "279");
	/* The journal: the reads and what they found before the create. */
	const char *path = journal_path(b.j);
	long limits = at(path, "\"kind\":\"limits\""), pre = at(path, "\"t\":\"prestate\""),
	    create = at(path, "\"rows\":[0,1]");
	assert_true(limits > 0 && pre > 0 && create > pre && create > limits);
	assert_true(at(path, "\"t\":\"end\"") > create);
	op_free(o);
	journal_close(b.j);
	fx_free(&f);
}

/* A read that stops before the question: nothing sent, nothing kept,
 * and the front end's words to look again. */
static void
test_create_asks_stopped(void **state)
{
	struct fx f;
	struct op_send_opts so = { 0 };
	struct began b = { .f = &f };

	(void)state;
	fx_plan_op(&f, "2,20\n", PLAN_OP_CREATE, "279", NULL);
	session_prepare(&f.s, API_V4);
	struct send_plan sp = { .kind = SEND_FIRST, .send = 1,
	    .base_url = f.c.base_url };
	so.ask = &sp;
	so.begin = begin_fx;
	so.begin_arg = &b;
	so.again = "S looks again";
	struct op *o = op_send(&f.c, NULL, &f.s, &so);
	op_interrupt(o);
	run(o);
	assert_true(op_done(o));
	assert_non_null(strstr(o->summary, "nothing was sent: the preflight stopped"));
	assert_non_null(strstr(o->summary, "; S looks again"));
	assert_int_equal(b.calls, 0);
	assert_int_equal(f.portal.writes, 0);
	op_free(o);
	fx_free(&f);
}

/* Names: the records without one read (companies and contacts by ID), once
 * each; a second run has nothing to read. */
static void
test_names(void **state)
{
	struct fx f;
	struct names have[2] = { { 0 } };

	(void)state;
	fx_plan_op(&f, "1,10\n2,20\n1,20\n", PLAN_OP_CREATE, "279", NULL);
	names_put(&have[1], "20", "Initech");
	struct op *o = op_names(&f.c, f.s.in, &f.s.from, &f.s.to, NULL, have);
	size_t queued, records = op_names_reading(o, &queued);
	/* Contacts 1 and 2, company 10: Initech is named already. */
	assert_int_equal(records, 3);
	assert_int_equal(queued, 2);
	run(o);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(o->summary, "names: 3 records named, in 2 requests");
	struct names *got = op_names_got(o);
	assert_string_equal(names_get(&got[0], "1"), "Ada");
	/* A contact without a first or last name: its email. */
	assert_string_equal(names_get(&got[0], "2"), "bob@example.com");
	assert_string_equal(names_get(&got[1], "10"), "Acme");
	names_merge(&have[0], &got[0]);
	names_merge(&have[1], &got[1]);
	op_free(o);
	names_put(&have[0], "2", "Bob");
	o = op_names(&f.c, f.s.in, &f.s.from, &f.s.to, NULL, have);
	assert_true(op_done(o));
	assert_string_equal(o->summary, "names: every record is named already");
	op_free(o);
	names_free(&have[0]);
	names_free(&have[1]);
	fx_free(&f);
}

/* Keys: each distinct email looked up once; the rows get their IDs and
 * the names that came, one not found is invalid, saying so; no key: done
 * at the start. */
static void
test_keys(void **state)
{
	struct fx f;
	struct names names[2] = { { 0 } };
	size_t least, n;

	(void)state;
	fx_plan_op(&f, "ada@example.com,10\nada@example.com,20\nnobody@example.com,10\n"
	    "2,20\n", PLAN_OP_CREATE, "279", NULL);
	struct op *o = op_keys(&f.c, f.s.in, &f.s.from, &f.s.to, NULL, names);
	assert_int_equal(op_keys_wanted(o, &least), 2);
	assert_int_equal(least, 1);
	assert_false(op_done(o));
	run(o);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_int_equal(f.portal.reads, 1);
	const uint32_t *changed = op_keys_changed(o, &n);
	assert_int_equal(n, 3);
	assert_int_equal(changed[0], 0);
	assert_int_equal(changed[2], 2);
	assert_string_equal(input_from(f.s.in, &f.s.in->rows[0]), "1");
	assert_string_equal(input_from(f.s.in, &f.s.in->rows[1]), "1");
	assert_int_equal(f.s.in->rows[2].status, ROW_INVALID);
	assert_string_equal(names_get(&names[0], "1"), "Ada");
	op_free(o);
	/* Looked up: nothing waits now. */
	o = op_keys(&f.c, f.s.in, &f.s.from, &f.s.to, NULL, names);
	assert_true(op_done(o));
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	op_free(o);
	names_free(&names[0]);
	names_free(&names[1]);
	fx_free(&f);
}

/* A label made: one POST, its type IDs a direction each; refused, once
 * (a POST is not made twice), with HubSpot's words and its cap. */
static void
test_label(void **state)
{
	struct fx f;

	(void)state;
	fx_plan_op(&f, "1,10\n", PLAN_OP_CREATE, "279", NULL);
	struct op *o = op_label(&f.c, &f.s.from, &f.s.to, "Sponsor", "Sponsored by");
	run(o);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	const struct assoc_labels *made = op_label_made(o);
	assert_int_equal(made->n, 2);
	assert_int_equal(made->v[0].type_id, 60);
	assert_int_equal(made->v[1].type_id, 61);
	assert_int_equal(f.portal.labels_made, 1);
	op_free(o);
	f.portal.refuse_label = true;
	o = op_label(&f.c, &f.s.from, &f.s.to, "Sponsor", NULL);
	run(o);
	/* A refusal stops as the command line's refused calls do. */
	assert_int_equal(o->status, EXIT_AUTH);
	assert_non_null(strstr(o->summary, "the label 'Sponsor' was not made: the "
	    "portal refused to make it: An association label named Sponsor already "
	    "exists"));
	assert_non_null(strstr(o->summary, "(HubSpot allows 50 labels an object pair)"));
	assert_int_equal(f.portal.labels_made, 2);
	op_free(o);
	fx_free(&f);
}

/* Relabel on a portal whose creates add labels: the new label created,
 * the replaced one read again and taken off, a pair not there left
 * alone (NO_PAIR); undo gives back each pair's exact labels. */
/* A pair holding the new label already only loses the old: said so
 * (before: "relabels 36 -> 44" of a pair that held 44). */
static void
test_relabel_holding_new(void **state)
{
	struct fx f;
	struct op_send_opts so = { 0 };

	(void)state;
	fx_relabel(&f, &so);
	add_type(put(&f.portal, "2", "20"), 1000044);
	struct op *o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	const struct op_question *q = op_question(o);
	assert_non_null(q);
	assert_true(asked_line(q, "relabels   1, line 1: relabels: takes off "
	    "USER_DEFINED:36, holding USER_DEFINED:44 already"));
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_string_equal(types_of(&f.portal, "2", "20"), "279,1000044");
	op_free(o);
	fx_free(&f);
}

static void
test_relabel(void **state)
{
	struct fx f;
	struct op_send_opts so = { 0 };

	(void)state;
	fx_change(&f, "2,20\n3,30\n5,50\n", PLAN_OP_RELABEL, "USER_DEFINED:44",
	    "USER_DEFINED:36");
	so.labels = &f.pf.labels;
	add_type(put(&f.portal, "2", "20"), 279);
	add_type(put(&f.portal, "2", "20"), 1000036);
	add_type(put(&f.portal, "3", "30"), 279);
	struct op *o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	const struct op_question *q = op_question(o);
	assert_non_null(q);
	assert_string_equal(q->title, "Relabel 2 pairs on https://portal.example?");
	assert_true(asked_line(q, "relabels   1, line 1: relabels USER_DEFINED:36 → "
	    "USER_DEFINED:44"));
	assert_true(asked_line(q, "adds       1, line 2: adds USER_DEFINED:44"));
	assert_true(asked_line(q, "no pair    1, line 3: no pair: failed as NO_PAIR"));
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(f.s.out.count[OUTCOME_CREATED], 2);
	assert_int_equal(f.s.out.count[OUTCOME_FAILED], 1);
	assert_string_equal(types_of(&f.portal, "2", "20"), "279,1000044");
	assert_string_equal(types_of(&f.portal, "3", "30"), "279,1000044");
	assert_string_equal(types_of(&f.portal, "5", "50"), "none");
	assert_int_equal(o->status, EXIT_SOME_FAILED);
	op_free(o);

	o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	op_answer(o, true);
	run(o);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(types_of(&f.portal, "2", "20"), "279,1000036");
	assert_string_equal(types_of(&f.portal, "3", "30"), "279");
	op_free(o);
	fx_free(&f);
}

/* C-c with the labels' archive in flight, the archive to send: the rows
 * whose types it took off are undone, the one it did not reach stays
 * created (before: every row created until the undo was finished). */
static void
test_undo_stopped_taken(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	stopped_in_flight(&f, o, "labels/archive");
	assert_int_equal(o->status, EXIT_INTERRUPTED);
	assert_string_equal(types_of(&f.portal, "2", "20"), "279");
	assert_string_not_equal(types_of(&f.portal, "1", "10"), "none");
	assert_int_equal(f.s.out.state[0], OUTCOME_CREATED);
	assert_int_equal(f.s.out.state[1], OUTCOME_UNDONE);
	assert_int_equal(f.s.out.state[2], OUTCOME_UNDONE);
	assert_int_not_equal(f.s.meta.undo, SESSION_UNDO_DONE);
	op_free(o);
	fx_free(&f);
}

/* C-c with the old labels' archive in flight, the relabel's last step:
 * it is answered, and the relabel is done (before: unfinished, resume
 * asked to finish what was finished). */
static void
test_relabel_stopped_last(void **state)
{
	struct fx f;
	struct op_send_opts so = { 0 };

	(void)state;
	fx_relabel(&f, &so);
	struct op *o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	stopped_in_flight(&f, o, "labels/archive");
	assert_string_equal(types_of(&f.portal, "2", "20"), "279,1000044");
	assert_int_equal(f.s.out.count[OUTCOME_CREATED], 1);
	assert_int_equal(o->status, EXIT_ALL_CREATED);
	assert_null(strstr(o->summary, "resume"));
	op_free(o);
	fx_free(&f);
}

/* A relabel whose new label is not on the pair when it reads it again
 * (the portal did not give it, or it was taken off since): the old label
 * stays, the row fails as OLD_LABEL_KEPT saying so (before: the old label
 * was taken off, and the pair left with neither). */
static void
test_relabel_new_gone(void **state)
{
	struct fx f;
	struct op_send_opts so = { 0 };

	(void)state;
	fx_relabel(&f, &so);
	f.portal.ignored = 1000044;
	struct op *o = op_send(&f.c, NULL, &f.s, &so);
	run(o);
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_int_equal(f.s.out.state[0], OUTCOME_FAILED);
	assert_true(outcomes_label_kept(&f.s.out, 0));
	const char *cat, *msg;
	assert_true(outcomes_row_cause(&f.s.out, &f.s.plan, f.s.in, 0, &cat, &msg));
	assert_non_null(strstr(msg, "the new label is not on the pair now"));
	assert_string_equal(types_of(&f.portal, "2", "20"), "279,1000036");
	op_free(o);
	fx_free(&f);
}

/* An undo whose restore is refused takes nothing off: the labels the
 * session added and the pair it made stay until the restore can go. */
static void
test_undo_restore_refused(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	del_type(find(&f.portal, "3", "30"), 1000044);
	f.portal.refuse_creates = true;
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	run(o);
	op_answer(o, true);
	run(o);
	assert_true(op_done(o));
	assert_int_not_equal(o->status, EXIT_ALL_CREATED);
	assert_string_equal(types_of(&f.portal, "2", "20"), "279,1000036");
	assert_string_equal(types_of(&f.portal, "1", "10"), "279");
	op_free(o);
	fx_free(&f);
}

/* The other sessions are looked at a journal a turn, so that a terminal
 * stays live over big ones; stopped there, the undo changes nothing. */
static void
test_undo_look_stopped(void **state)
{
	struct fx f;
	struct journal_meta meta = { 0 };
	char *cause = NULL;

	(void)state;
	fx_init(&f);
	meta.profile = xstrdup("default");
	meta.base_url = xstrdup("https://portal.example");
	meta.api_version = xstrdup("v4");
	struct journal *j = journal_create_draft(&meta, &cause);
	assert_non_null(j);
	char *path = xstrdup(journal_path(j));
	journal_close(j);
	journal_meta_free(&meta);
	struct op *o = op_undo(&f.c, NULL, &f.s, false);
	for (int i = 0; i < 1000 && !op_done(o) && op_question(o) == NULL; i++) {
		const char *busy = op_busy_with(o);
		if (busy != NULL && strcmp(busy, "the look at the other sessions") == 0)
			break;
		op_turn(o, NULL, 0, 1);
	}
	assert_non_null(op_busy_with(o));
	assert_string_equal(op_busy_with(o), "the look at the other sessions");
	assert_null(op_question(o));
	op_interrupt(o);
	run(o);
	assert_int_equal(o->status, EXIT_INTERRUPTED);
	assert_non_null(strstr(o->summary, "session S1: stopped while it looked at "
	    "the other sessions; nothing was changed"));
	assert_int_equal(f.portal.writes, 0);
	op_free(o);
	fx_free(&f);
	unlink(path);
	free(path);
}

/* The journals the undos look at are this test's, not the user's. */
/* A send's progress line keeps what matters most, whole, in its width:
 * the rows, a wait, the time left; nothing cut mid-part (before: the
 * time left cut at 80 columns). */
static void
test_progress_line(void **state)
{
	struct rate rate;
	struct buf b = BUF_INIT;
	(void)state;

	rate_init(&rate, 100, 10000);
	struct send_progress p = { .done = 1200, .total = 3000, .requests = 17,
	    .started = 1000, .now = 11000, .wait_until = 17000, .wait_limited = true,
	    .rate = &rate, .budget = true, .tail = "C-c stops" };
	send_progress_line(&b, &p, 200);
	assert_string_equal(buf_str(&b), "1,200/3,000 rows  17 req  ETA 0:15  0/100 per "
	    "10s  120 of 20,000 pairs/s  waiting 6s (429)  C-c stops");
	/* Narrow: the wait and the time left stay, whole; the rest gives way. */
	buf_reset(&b);
	send_progress_line(&b, &p, 45);
	assert_string_equal(buf_str(&b), "1,200/3,000 rows  ETA 0:15  waiting 6s (429)");
	buf_reset(&b);
	send_progress_line(&b, &p, 52);
	assert_string_equal(buf_str(&b), "1,200/3,000 rows  17 req  ETA 0:15  waiting 6s (429)");
	buf_reset(&b);
	send_progress_line(&b, &p, 20);
	assert_string_equal(buf_str(&b), "1,200/3,000 rows");
	/* Done: no time left, no wait; the budget the terminal's header
	 * says. */
	buf_reset(&b);
	p.done = 3000;
	p.wait_until = 0;
	p.budget = false;
	send_progress_line(&b, &p, 40);
	assert_string_equal(buf_str(&b), "3,000/3,000 rows  17 req  C-c stops");
	buf_free(&b);
	rate_free(&rate);
}

static char state_dir[] = "/tmp/hubassoc-test-op-XXXXXX";

static int
group_setup(void **state)
{
	(void)state;
	return test_state_home(state_dir);
}

static int
group_teardown(void **state)
{
	(void)state;
	return test_rm_tree(state_dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_verify_nothing),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_undo_held_before),
		cmocka_unit_test(test_undo_given_since),
		cmocka_unit_test(test_undo_gone),
		cmocka_unit_test(test_undo_resumed_gone),
		cmocka_unit_test(test_undo_all_kept),
		cmocka_unit_test(test_undo_sized),
		cmocka_unit_test(test_undo_restore_keeps),
		cmocka_unit_test(test_relabel_new_gone),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_undo_declined),
		cmocka_unit_test(test_undo_stopped_last),
		cmocka_unit_test(test_undo_stopped_between),
		cmocka_unit_test(test_relabel_stopped_last),
		cmocka_unit_test(test_undo_stopped_taken),
		cmocka_unit_test(test_undo_one_restore),
		cmocka_unit_test(test_undo_restore_refused),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_relabel),
		cmocka_unit_test(test_relabel_holding_new),
		cmocka_unit_test(test_create_asks),
		cmocka_unit_test(test_create_asks_stopped),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_undo_look_stopped),
		cmocka_unit_test(test_progress_line),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
