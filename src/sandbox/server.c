/* server.c: the sandbox's HTTP side, a request's pipeline in order: the
 * gate (size, content type, token, scopes, limits), the fault drawn, the
 * portal's answer (api.c), what a misbehaving server makes of it, the
 * answer's headers. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "api.h"
#include "sandbox.h"
#include "hubassoc/text.h"
#include "hubassoc/util.h"
#include "portal.h"

#define BODY_MAX (64u << 20)   /* request bodies past this are refused */
#define SLOW_PIECES 16
#define SLOW_PAUSE_US 50000

/* A rolling window: the times (ms) of the last accepted requests. */
struct window {
	uint64_t *t;
	size_t head, count;
	unsigned max, ms;
};

struct sandbox {
	struct sandbox_opts opts;
	struct MHD_Daemon *daemon;
	struct portal *portal;
	pthread_mutex_t lock;        /* the portal, counters, rng, log */
	uint64_t rng;
	struct window rate;          /* --rate */
	struct window secondly;      /* --rate-secondly */
	struct window search;        /* --search-rate: CRM search's own */
	unsigned fails;              /* 5xx shapes go round in turn */
	unsigned long daily;
	uint64_t last_counted;     /* the latest time a window has counted */
	FILE *log;
	uint16_t port;
	char url[64];
	char *cert_pem, *key_pem;    /* read once: the daemon keeps pointers */
	volatile bool stopping;      /* silent answers give up their wait */
	const char *kept;            /* sandbox_kept() */
	char *kept_note;
	unsigned long faults;        /* requests a fault has hit */
};

struct conn {
	struct buf body;
	bool too_big;
	uint64_t arrived;          /* when its headers came: what a limit counts */
};

enum fault { FAULT_NONE, FAULT_5XX, FAULT_423, FAULT_RESET_BEFORE,
	FAULT_RESET_AFTER, FAULT_TRUNCATE, FAULT_SLOW, FAULT_400_HTML, FAULT_SILENT };

static const char *const fault_names[] = {
	"none", "5xx", "423", "reset-before", "reset-after", "truncate", "slow",
	"400-html", "silent",
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t
draw(struct sandbox *s)
{
	return splitmix64_next(&s->rng);
}

static double
draw_unit(struct sandbox *s)
{
	return (double)(draw(s) >> 11) / 9007199254740992.0;
}

/* ---- the pieces of a request ----------------------------------------- */

/* What the gate found: a limit met, and the budgets left. */
struct gate {
	const char *limited;         /* the 429's policy, or NULL */
	uint64_t wait;               /* until the window frees */
	unsigned remaining, sec_remaining;
	bool counted, sec_counted;   /* the windows saw it: their headers say */
};


static bool
has_scope(const char *granted, const char *scope, size_t n)
{
	for (const char *p = granted; p != NULL && *p != '\0';) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		while (len > 0 && *p == ' ')
			p++, len--;
		if (len == n && strncmp(p, scope, n) == 0)
			return true;
		p = comma != NULL ? comma + 1 : NULL;
	}
	return false;
}

/* The scopes the token lacks, as a JSON array, or NULL. */
static cJSON *
missing_scopes(const struct sandbox *s, const struct route *r)
{
	struct buf need = BUF_INIT;
	cJSON *missing = NULL;

	if (s->opts.scopes == NULL)
		return NULL;
	api_scopes(s->portal, r, &need);
	for (const char *p = buf_str(&need); *p != '\0';) {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (!has_scope(s->opts.scopes, p, n)) {
			if (missing == NULL)
				missing = cJSON_CreateArray();
			char *one = xstrndup(p, n);
			cJSON_AddItemToArray(missing, cJSON_CreateString(one));
			free(one);
		}
		p = comma != NULL ? comma + 1 : p + n;
	}
	buf_free(&need);
	return missing;
}

static void
reply_scopes(struct api_reply *out, cJSON *missing, uint64_t rng)
{
	cJSON *e = cJSON_CreateObject(), *errors, *d;
	char cid[37], *text;

	api_correlation_id(cid, rng);
	cJSON_AddStringToObject(e, "status", "error");
	cJSON_AddStringToObject(e, "message", "This app hasn't been granted all required "
	    "scopes to make this call. Read more about required scopes here: "
	    "https://developers.hubspot.com/scopes.");
	cJSON_AddStringToObject(e, "correlationId", cid);
	errors = cJSON_AddArrayToObject(e, "errors");
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "message",
	    "One or more of the following scopes are required.");
	cJSON_AddItemToObject(cJSON_AddObjectToObject(d, "context"),
	    "requiredGranularScopes", missing);
	cJSON_AddItemToArray(errors, d);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "links"), "scopes",
	    "https://developers.hubspot.com/scopes");
	cJSON_AddStringToObject(e, "category", "MISSING_SCOPES");
	text = cJSON_PrintUnformatted(e);
	out->status = 403;
	buf_reset(&out->body);
	buf_addstr(&out->body, text);
	cJSON_free(text);
	cJSON_Delete(e);
}

static void
reply_expired(struct api_reply *out, uint64_t rng)
{
	cJSON *e = cJSON_CreateObject(), *ctx, *times;
	char cid[37], *text;

	api_correlation_id(cid, rng);
	cJSON_AddStringToObject(e, "status", "error");
	cJSON_AddStringToObject(e, "message",
	    "The OAuth token used to make this call expired 3 hour(s) ago.");
	cJSON_AddStringToObject(e, "correlationId", cid);
	cJSON_AddStringToObject(e, "category", "EXPIRED_AUTHENTICATION");
	ctx = cJSON_AddObjectToObject(e, "context");
	times = cJSON_AddArrayToObject(ctx, "expire time");
	cJSON_AddItemToArray(times, cJSON_CreateString("2026-01-01T00:00:00.000Z"));
	text = cJSON_PrintUnformatted(e);
	out->status = 401;
	buf_reset(&out->body);
	buf_addstr(&out->body, text);
	cJSON_free(text);
	cJSON_Delete(e);
}

static void
reply_rate(struct api_reply *out, const char *policy, const char *message,
    uint64_t rng)
{
	cJSON *e = cJSON_CreateObject();
	char cid[37], *text;

	api_correlation_id(cid, rng);
	/* No category in a 429: policyName says which limit. */
	cJSON_AddStringToObject(e, "status", "error");
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddStringToObject(e, "errorType", "RATE_LIMIT");
	cJSON_AddStringToObject(e, "correlationId", cid);
	cJSON_AddStringToObject(e, "policyName", policy);
	/* As HubSpot's bodies are: DAILY has a requestId and no groupName,
	 * SECONDLY both, TEN_SECONDLY_ROLLING a groupName. */
	if (strcmp(policy, "DAILY") != 0)
		cJSON_AddStringToObject(e, "groupName", strcmp(policy, "SECONDLY") == 0 ?
		    "publicapi:hapikey-secondly:24681357" :
		    "publicapi:private-app:associations:24681357");
	if (strcmp(policy, "TEN_SECONDLY_ROLLING") != 0) {
		char rid[37];
		api_correlation_id(rid, rng ^ 0x9e3779b9u);
		cJSON_AddStringToObject(e, "requestId", rid);
	}
	text = cJSON_PrintUnformatted(e);
	out->status = 429;
	buf_reset(&out->body);
	buf_addstr(&out->body, text);
	cJSON_free(text);
	cJSON_Delete(e);
}

static const char html_502[] =
"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
"</body>\r\n</html>\r\n";
static void
add_stray_result(struct buf *body)
{
	cJSON *root = cJSON_ParseWithLength(body->data, body->len);
	cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");

	if (cJSON_IsArray(results)) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "fromObjectTypeId", "0-1");
		cJSON_AddNumberToObject(r, "fromObjectId", 999999001);
		cJSON_AddStringToObject(r, "toObjectTypeId", "0-2");
		cJSON_AddNumberToObject(r, "toObjectId", 999999002);
		cJSON_AddItemToObject(r, "labels", cJSON_CreateArray());
		cJSON_AddItemToArray(results, r);
		char *text = cJSON_PrintUnformatted(root);
		buf_reset(body);
		buf_addstr(body, text);
		cJSON_free(text);
	}
	cJSON_Delete(root);
}

static const char html_400[] =
"<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
"<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie "
"Too Large</center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";
static const char html_504[] =
"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
"<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n";

/* A server failure in one of the shapes seen from HubSpot and its edge. */
static void
reply_5xx(struct api_reply *out, uint64_t pick, uint64_t rng, const char **type)
{
	switch (pick % 4) {
	case 0:
		api_error(out, 500, NULL, "internal error", rng);
		*type = "application/json;charset=utf-8";
		break;
	case 1:
		out->status = 502;
		buf_reset(&out->body);
		buf_addstr(&out->body, html_502);
		*type = "text/html";
		break;
	case 2:
		out->status = 503;
		buf_reset(&out->body);
		*type = NULL;
		break;
	default:
		out->status = 504;
		buf_reset(&out->body);
		buf_addstr(&out->body, html_504);
		*type = "text/html";
		break;
	}
}

/* Rolling-window accounting: returns the wait in ms before a place frees,
 * 0 when this request may go (and counts it). */
static uint64_t
rate_take(struct window *w, uint64_t now, unsigned *remaining)
{
	while (w->count > 0 && now - w->t[w->head] >= w->ms) {
		w->head = (w->head + 1) % w->max;
		w->count--;
	}
	if (w->count >= w->max) {
		*remaining = 0;
		uint64_t wait = w->t[w->head] + w->ms - now;
		return wait > 0 ? wait : 1;
	}
	w->t[(w->head + w->count) % w->max] = now;
	w->count++;
	*remaining = w->max - (unsigned)w->count;
	return 0;
}

static void
log_request(struct sandbox *s, const char *method, const char *url,
    const char *auth, int status, size_t inputs, enum fault fault,
    const char *limited, const struct buf *body)
{
	cJSON *o, *parsed;
	char ts[32], *line;

	if (s->log == NULL)
		return;
	time_iso8601(ts, 1);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "time", ts);
	cJSON_AddStringToObject(o, "method", method);
	cJSON_AddStringToObject(o, "path", url);
	/* The token itself never goes to the log. */
	cJSON_AddStringToObject(o, "authorization", auth == NULL ? "none" :
	    strncmp(auth, "Bearer ", 7) == 0 ? "Bearer [redacted]" : "[redacted]");
	cJSON_AddNumberToObject(o, "status", status);
	cJSON_AddNumberToObject(o, "inputs", (double)inputs);
	if (fault != FAULT_NONE)
		cJSON_AddStringToObject(o, "fault", fault_names[fault]);
	if (limited != NULL)
		cJSON_AddStringToObject(o, "rate_limited", limited);
	if (body->len > 0) {
		parsed = cJSON_ParseWithLength(body->data, body->len);
		if (parsed != NULL)
			cJSON_AddItemToObject(o, "body", parsed);
		else {
			struct buf fixed = BUF_INIT;
			utf8_repair(&fixed, body->data, body->len);
			cJSON_AddStringToObject(o, "body", buf_str(&fixed));
			buf_free(&fixed);
		}
	}
	line = cJSON_PrintUnformatted(o);
	fprintf(s->log, "%s\n", line);
	fflush(s->log);
	cJSON_free(line);
	cJSON_Delete(o);
}

/* ---- bodies that go wrong on the way --------------------------------- */

struct partial {
	struct buf body;
	size_t sent;
	size_t stop;      /* bytes to send before failing (truncate) */
	bool slow;
};

static ssize_t
partial_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct partial *pt = cls;
	size_t left, n;

	(void)pos;
	if (pt->sent >= pt->stop)
		return pt->stop < pt->body.len ? MHD_CONTENT_READER_END_WITH_ERROR :
		    MHD_CONTENT_READER_END_OF_STREAM;
	left = pt->stop - pt->sent;
	n = left < max ? left : max;
	if (pt->slow) {
		size_t piece = pt->body.len / SLOW_PIECES + 1;
		if (n > piece)
			n = piece;
		usleep(SLOW_PAUSE_US);
	}
	memcpy(buf, pt->body.data + pt->sent, n);
	pt->sent += n;
	return (ssize_t)n;
}

static void
partial_free(void *cls)
{
	struct partial *pt = cls;

	buf_free(&pt->body);
	free(pt);
}

/* ---- the handler ------------------------------------------------------ */

/* The checks an API request passes before the portal sees it, in
 * HubSpot's order: size, content type, token, scopes, daily limit, the
 * per-second and rolling windows.  false: out holds the refusal. */
static bool
gate(struct sandbox *s, const struct conn *cn, const char *method, const char *auth,
    const char *ctype, const struct route *r, uint64_t rng, struct api_reply *out,
    struct gate *g)
{
	cJSON *missing;
	unsigned search_left;
	/* A limit counts a request when it arrives, as HubSpot's edge does,
	 * not when the sandbox's one lock lets it be handled (a big body
	 * ahead of it takes a while); in the order counted. */
	uint64_t now = cn->arrived > s->last_counted ? cn->arrived : s->last_counted;
	s->last_counted = now;

	if (cn->too_big) {
		api_error(out, 413, NULL, "request body too large", rng);
	} else if (strcmp(method, "POST") == 0 && (ctype == NULL ||
	    ascii_ncasecmp(ctype, "application/json", 16) != 0)) {
		/* A body HubSpot is not told is JSON it does not read. */
		char m[200];
		snprintf(m, sizeof(m), "Content type '%.100s' not supported",
		    ctype != NULL ? ctype : "");
		api_error(out, 415, NULL, m, rng);
	} else if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0 ||
	    (strcmp(auth + 7, s->opts.token) != 0 &&
	    (s->opts.expired_token == NULL || strcmp(auth + 7, s->opts.expired_token) != 0))) {
		api_error(out, 401, "INVALID_AUTHENTICATION", "Authentication credentials "
		    "not found. This API supports OAuth 2.0 authentication and you can "
		    "find more details at https://developers.hubspot.com/docs/methods/auth/"
		    "oauth-overview", rng);
	} else if (s->opts.expired_token != NULL &&
	    strcmp(auth + 7, s->opts.expired_token) == 0) {
		reply_expired(out, rng);
	} else if ((missing = missing_scopes(s, r)) != NULL) {
		reply_scopes(out, missing, rng);
	} else if (s->opts.daily_max > 0 && s->daily >= s->opts.daily_max) {
		reply_rate(out, "DAILY", "You have reached your daily limit.", rng);
		g->limited = "DAILY";
	} else if (r->ep == EP_OBJECTS_SEARCH &&
	    (g->wait = rate_take(&s->search, now, &search_left)) > 0) {
		/* Search has a limit of its own, a second's. */
		reply_rate(out, "SECONDLY", "You have reached your secondly limit.", rng);
		g->limited = "SECONDLY";
	} else if (s->opts.rate_secondly > 0 && (g->sec_counted = true) &&
	    (g->wait = rate_take(&s->secondly, now, &g->sec_remaining)) > 0) {
		reply_rate(out, "SECONDLY", "You have reached your secondly limit.", rng);
		g->limited = "SECONDLY";
	} else if (s->opts.rate_max > 0 && (g->counted = true) &&
	    (g->wait = rate_take(&s->rate, now, &g->remaining)) > 0) {
		/* The policy named after its window, as HubSpot's are. */
		g->limited = s->opts.rate_window_ms <= 1000 ? "SECONDLY" :
		    "TEN_SECONDLY_ROLLING";
		reply_rate(out, g->limited, strcmp(g->limited, "SECONDLY") == 0 ?
		    "You have reached your secondly limit." :
		    "You have reached your ten_secondly_rolling limit.", rng);
	} else {
		return true;
	}
	return false;
}

/* The fault this request meets, drawn in turn so a seed repeats a run. */
static enum fault
fault_draw(struct sandbox *s, const char *url)
{
	enum fault fault = FAULT_NONE;

	if ((s->opts.fault_only != NULL && strstr(url, s->opts.fault_only) == NULL) ||
	    (s->opts.fault_count != 0 && s->faults >= s->opts.fault_count))
		return FAULT_NONE;
	if (draw_unit(s) < s->opts.fail_5xx)
		fault = FAULT_5XX;
	else if (draw_unit(s) < s->opts.fail_423)
		fault = FAULT_423;
	else if (draw_unit(s) < s->opts.fail_400_html)
		fault = FAULT_400_HTML;
	else if (draw_unit(s) < s->opts.fail_reset)
		fault = draw(s) % 2 ? FAULT_RESET_AFTER : FAULT_RESET_BEFORE;
	else if (draw_unit(s) < s->opts.truncate)
		fault = FAULT_TRUNCATE;
	else if (draw_unit(s) < s->opts.slow)
		fault = FAULT_SLOW;
	else if (draw_unit(s) < s->opts.silent)
		fault = FAULT_SILENT;
	if (fault != FAULT_NONE)
		s->faults++;
	return fault;
}

/* Answers in the fault's stead; false when the portal is to answer (no
 * fault, or one that only mars the portal's answer on the way). */
static bool
fault_reply(struct sandbox *s, enum fault fault, uint64_t rng, struct api_reply *out,
    const char **type)
{
	switch (fault) {
	case FAULT_5XX:
		reply_5xx(out, s->fails++, rng, type);
		return true;
	case FAULT_400_HTML:
		out->status = 400;
		buf_reset(&out->body);
		buf_addstr(&out->body, html_400);
		*type = "text/html";
		return true;
	case FAULT_423:
		api_error(out, 423, "LOCKED", "The resource is locked. "
		    "Locks last 2 seconds.", rng);
		return true;
	case FAULT_RESET_BEFORE: case FAULT_SILENT:
		return true;     /* nothing is written */
	default:
		return false;
	}
}

/* What a misbehaving server makes of a good answer: --stray, --pad. */
static void
mar_answer(const struct sandbox *s, const char *url, struct api_reply *out)
{
	/* A result for a pair nobody asked for, as a confused server may. */
	if (s->opts.stray && out->status >= 200 && out->status < 300 &&
	    strstr(url, "batch/create") != NULL)
		add_stray_result(&out->body);
	/* An answer of any size, to see that clients bound what they read. */
	if (s->opts.pad > 0 && out->body.len > 0 && (s->opts.fault_only == NULL ||
	    strstr(url, s->opts.fault_only) != NULL) &&
	    out->body.data[out->body.len - 1] == '}') {
		out->body.data[--out->body.len] = '\0';
		buf_addstr(&out->body, ",\"padding\":\"");
		buf_grow(&out->body, s->opts.pad);
		memset(out->body.data + out->body.len, 'x', s->opts.pad);
		out->body.len += s->opts.pad;
		buf_addstr(&out->body, "\"}");
	}
}

static enum MHD_Result
answer(struct MHD_Connection *c, struct sandbox *s, const char *method,
    const char *url, struct conn *cn)
{
	struct route r;
	struct api_reply out = { 0 };
	const char *auth, *type = "application/json;charset=utf-8";
	char cid[37], hdr[32], query[256] = "";
	enum fault fault = FAULT_NONE;
	uint64_t rng, latency;
	bool api;

	auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);

	pthread_mutex_lock(&s->lock);
	rng = draw(s);
	api_route(s->portal, method, url, &r);
	if (r.ep == EP_SB_ASSOCIATIONS || r.ep == EP_SB_OBJECTS || r.ep == EP_OBJECTS_LIST) {
		/* The query's arguments the endpoints read, libmicrohttpd's
		 * decoding done. */
		const char *keys[] = { "from", "to", "type", "limit", "after" };
		for (size_t i = 0; i < HA_ARRAY_LEN(keys); i++) {
			const char *v = MHD_lookup_connection_value(c,
			    MHD_GET_ARGUMENT_KIND, keys[i]);
			if (v != NULL && strlen(query) + strlen(v) + 8 < sizeof(query))
				snprintf(query + strlen(query), sizeof(query) - strlen(query),
				    "%s%s=%s", query[0] ? "&" : "", keys[i], v);
		}
	}
	api = strncmp(url, "/crm/", 5) == 0 || strncmp(url, "/crm-object-schemas/", 20) == 0;
	struct gate g = { 0 };
	const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!api || gate(s, cn, method, auth, ctype, &r, rng, &out, &g)) {
		if (api)
			s->daily++;
		fault = api ? fault_draw(s, url) : FAULT_NONE;
		if (!fault_reply(s, fault, rng, &out, &type))
			api_handle(s->portal, &r, query, cn->body.data, cn->body.len,
			    rng, &out);
	}
	if (api)
		mar_answer(s, url, &out);
	latency = s->opts.latency_ms;
	if (s->opts.jitter_ms > 0) {
		uint64_t span = 2 * (uint64_t)s->opts.jitter_ms + 1;
		latency = latency + draw(s) % span;
		latency = latency > s->opts.jitter_ms ? latency - s->opts.jitter_ms : 0;
	}
	log_request(s, method, url, auth, fault == FAULT_RESET_BEFORE ||
	    fault == FAULT_RESET_AFTER ? 0 : out.status, out.inputs, fault, g.limited,
	    &cn->body);
	pthread_mutex_unlock(&s->lock);

	if (latency > 0)
		usleep((useconds_t)(latency * 1000));
	/* Silent: the connection stays open and nothing comes, until the
	 * client gives up, the sandbox stops, or ten minutes pass. */
	for (unsigned i = 0; fault == FAULT_SILENT && !s->stopping && i < 12000; i++)
		usleep(50000);
	if (fault == FAULT_RESET_BEFORE || fault == FAULT_RESET_AFTER ||
	    fault == FAULT_SILENT) {
		buf_free(&out.body);
		return MHD_NO;    /* the connection closes without an answer */
	}

	struct MHD_Response *resp;
	if (fault == FAULT_TRUNCATE || fault == FAULT_SLOW) {
		struct partial *pt = xcalloc(1, sizeof(*pt));
		pt->body = out.body;
		pt->stop = fault == FAULT_TRUNCATE ? out.body.len / 2 : out.body.len;
		pt->slow = fault == FAULT_SLOW;
		resp = MHD_create_response_from_callback(out.body.len, 4096, partial_read,
		    pt, partial_free);
	} else {
		resp = MHD_create_response_from_buffer(out.body.len,
		    out.body.len > 0 ? out.body.data : (void *)"", MHD_RESPMEM_MUST_COPY);
		buf_free(&out.body);
	}
	if (type != NULL && out.status != 204)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	api_correlation_id(cid, rng);
	MHD_add_response_header(resp, "X-HubSpot-Correlation-Id", cid);
	/* A request refused before the windows saw it (a bad token, a scope)
	 * spent none of the budget: its answer says nothing of it.  CRM
	 * search's answers carry none of these headers, its 429s included,
	 * as HubSpot's do not. */
	bool headers = api && !s->opts.no_rate_headers && r.ep != EP_OBJECTS_SEARCH;
	if (headers && g.counted) {
		snprintf(hdr, sizeof(hdr), "%u", s->opts.rate_max);
		MHD_add_response_header(resp, "X-HubSpot-RateLimit-Max", hdr);
		snprintf(hdr, sizeof(hdr), "%u", g.remaining);
		MHD_add_response_header(resp, "X-HubSpot-RateLimit-Remaining", hdr);
		snprintf(hdr, sizeof(hdr), "%u", s->opts.rate_window_ms);
		MHD_add_response_header(resp, "X-HubSpot-RateLimit-Interval-Milliseconds", hdr);
	}
	if (headers && g.sec_counted) {
		snprintf(hdr, sizeof(hdr), "%u", s->opts.rate_secondly);
		MHD_add_response_header(resp, "X-HubSpot-RateLimit-Secondly", hdr);
		snprintf(hdr, sizeof(hdr), "%u", g.sec_remaining);
		MHD_add_response_header(resp, "X-HubSpot-RateLimit-Secondly-Remaining", hdr);
	}
	if (headers && s->opts.daily_max > 0) {
		snprintf(hdr, sizeof(hdr), "%lu", s->opts.daily_max);
		MHD_add_response_header(resp, "X-HubSpot-RateLimit-Daily", hdr);
		snprintf(hdr, sizeof(hdr), "%lu", s->daily >= s->opts.daily_max ? 0 :
		    s->opts.daily_max - s->daily);
		MHD_add_response_header(resp, "X-HubSpot-RateLimit-Daily-Remaining", hdr);
	}
	if (out.status == 429 && s->opts.retry_after) {
		/* Whole seconds, rounded up, as the header carries. */
		uint64_t secs = s->opts.retry_after_secs ? s->opts.retry_after_secs :
		    g.limited != NULL && strcmp(g.limited, "DAILY") == 0 ? 3600 :
		    (g.wait + 999) / 1000;
		snprintf(hdr, sizeof(hdr), "%llu", (unsigned long long)(secs ? secs : 1));
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, hdr);
	}
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)out.status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct sandbox *s = cls;
	struct conn *cn = *con_cls;

	(void)version;
	if (cn == NULL) {
		cn = *con_cls = xcalloc(1, sizeof(struct conn));
		cn->arrived = now_ms();
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (cn->body.len + *upload_size > BODY_MAX)
			cn->too_big = true;
		else
			buf_add(&cn->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(c, s, method, url, cn);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (cn != NULL) {
		buf_free(&cn->body);
		free(cn);
		*con_cls = NULL;
	}
}

/* A PEM file's text, for libmicrohttpd (which takes certificates in
 * memory). */
static int
read_pem(const char *path, const char *what, char **out, char **cause)
{
	FILE *f = fopen(path, "r");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t k;

	if (f == NULL) {
		*cause = xasprintf("%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, k);
	fclose(f);
	if (strstr(buf_str(&b), "-----BEGIN ") == NULL) {
		*cause = xasprintf("%s %s: not a PEM file", what, path);
		buf_free(&b);
		return -1;
	}
	*out = buf_detach(&b);
	return 0;
}

struct sandbox *
sandbox_start(const struct sandbox_opts *o, char **cause)
{
	struct sandbox *s = xcalloc(1, sizeof(*s));
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *info;

	s->opts = *o;
	s->opts.missing = xcalloc(o->nmissing + 1, sizeof(*o->missing));
	if (o->nmissing > 0)
		memcpy(s->opts.missing, o->missing, o->nmissing * sizeof(*o->missing));
	s->opts.scopes = o->scopes != NULL ? xstrdup(o->scopes) : NULL;
	s->opts.log_path = o->log_path != NULL ? xstrdup(o->log_path) : NULL;
	s->opts.fault_only = o->fault_only != NULL ? xstrdup(o->fault_only) : NULL;
	s->opts.keep_path = o->keep_path != NULL ? xstrdup(o->keep_path) : NULL;
	/* Read once, at the start: no copy kept. */
	s->opts.tls_cert = s->opts.tls_key = NULL;
	s->opts.assoc_limits = NULL;
	s->rng = o->seed ^ 0x5bd1e995u;
	if (o->rate_max > 0)
		s->rate = (struct window){ xcalloc(o->rate_max, sizeof(uint64_t)), 0, 0,
		    o->rate_max, o->rate_window_ms };
	if (o->rate_secondly > 0)
		s->secondly = (struct window){ xcalloc(o->rate_secondly, sizeof(uint64_t)),
		    0, 0, o->rate_secondly, 1000 };
	s->search = (struct window){ xcalloc(o->search_rate, sizeof(uint64_t)), 0, 0,
	    o->search_rate, 1000 };
	pthread_mutex_init(&s->lock, NULL);
	if (s->opts.log_path != NULL) {
		s->log = fopen(s->opts.log_path, "a");
		if (s->log == NULL) {
			*cause = xasprintf("--log %s: %s", s->opts.log_path, strerror(errno));
			sandbox_stop(s);
			return NULL;
		}
	}
	if ((o->tls_cert != NULL) != (o->tls_key != NULL)) {
		*cause = xstrdup("--tls-cert and --tls-key go together");
		sandbox_stop(s);
		return NULL;
	}
	if (o->tls_cert != NULL && (read_pem(o->tls_cert, "--tls-cert", &s->cert_pem,
	    cause) != 0 || read_pem(o->tls_key, "--tls-key", &s->key_pem, cause) != 0)) {
		sandbox_stop(s);
		return NULL;
	}
	s->portal = portal_new(&s->opts);
	if (s->opts.keep_path != NULL) {
		static const char *const said[] = { [PORTAL_FRESH] = "new",
		    [PORTAL_KEPT] = "kept", [PORTAL_RESET] = "reset",
		    [PORTAL_UNKEPT] = "not kept" };
		s->kept = said[portal_keep(s->portal, s->opts.keep_path,
		    s->opts.keep_reset, &s->kept_note)];
	}
	if (o->assoc_limits != NULL &&
	    portal_limits_apply(s->portal, o->assoc_limits, cause) != 0) {
		sandbox_stop(s);
		return NULL;
	}

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(o->port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	errno = 0;
	if (s->cert_pem != NULL)
		s->daemon = MHD_start_daemon(flags | MHD_USE_TLS, o->port, NULL, NULL,
		    handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		    MHD_OPTION_NOTIFY_COMPLETED, completed, s,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		    MHD_OPTION_HTTPS_MEM_CERT, s->cert_pem,
		    MHD_OPTION_HTTPS_MEM_KEY, s->key_pem, MHD_OPTION_END);
	else
		s->daemon = MHD_start_daemon(flags, o->port, NULL, NULL,
		    handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		    MHD_OPTION_NOTIFY_COMPLETED, completed, s,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
	if (s->daemon == NULL) {
		*cause = xasprintf("cannot listen on 127.0.0.1:%u: %s", o->port,
		    errno != 0 ? strerror(errno) : s->cert_pem != NULL ?
		    "libmicrohttpd refused the certificate or key" :
		    "libmicrohttpd refused");
		sandbox_stop(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info != NULL ? info->port : o->port;
	snprintf(s->url, sizeof(s->url), "%s://127.0.0.1:%u",
	    s->cert_pem != NULL ? "https" : "http", s->port);
	return s;
}

uint16_t
sandbox_port(const struct sandbox *s)
{
	return s->port;
}

const char *
sandbox_url(const struct sandbox *s)
{
	return s->url;
}

size_t
sandbox_record_ids(struct sandbox *s, const char *type, uint64_t *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	int t = portal_type(s->portal, type);
	if (t >= 0) {
		const struct ptype *pt = &s->portal->types[t];
		n = pt->nids < max ? pt->nids : max;
		memcpy(out, pt->ids, n * sizeof(*out));
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

bool
sandbox_has_record(struct sandbox *s, const char *type, uint64_t id)
{
	pthread_mutex_lock(&s->lock);
	int t = portal_type(s->portal, type);
	bool has = t >= 0 && portal_exists(s->portal, t, id);
	pthread_mutex_unlock(&s->lock);
	return has;
}

void
sandbox_record_key(struct sandbox *s, const char *type, uint64_t id, char *out,
    size_t outlen)
{
	char name[128];

	out[0] = '\0';
	pthread_mutex_lock(&s->lock);
	int t = portal_type(s->portal, type);
	if (t >= 0)
		portal_record_props(s->portal, t, id, name, sizeof(name), out, outlen);
	pthread_mutex_unlock(&s->lock);
}

void
sandbox_stop(struct sandbox *s)
{
	if (s == NULL)
		return;
	s->stopping = true;
	if (s->daemon != NULL)
		MHD_stop_daemon(s->daemon);
	portal_free(s->portal);
	if (s->log != NULL)
		fclose(s->log);
	pthread_mutex_destroy(&s->lock);
	free(s->rate.t);
	free(s->secondly.t);
	free(s->search.t);
	sandbox_opts_free(&s->opts);
	free(s->cert_pem);
	free(s->key_pem);
	free(s->kept_note);
	free(s);
}

const char *
sandbox_kept(const struct sandbox *s, const char **note)
{
	*note = s->kept_note;
	return s->kept;
}
