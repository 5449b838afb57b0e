/* journal.c: sessions on disk, written before and after every request. */
#include "hubassoc/journal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hubassoc/config.h"
#include "hubassoc/session.h"
#include "hubassoc/text.h"
#include "hubassoc/version.h"

/* How send and answer records begin: journal_load counts them by that,
 * without parsing them. */
#define SEND_PREFIX "{\"t\":\"send\",\"req\":"
#define ANSWER_PREFIX "{\"t\":\"answer\",\"req\":"
#define RESEND_HEAD "{\"t\":\"resend\""
#define PAIRS_HEAD "{\"t\":\"pairs\""

#define ROWS_PER_RECORD 2000

struct journal {
	int fd;
	char *path;
	struct buf line;
	unsigned send;     /* the send being made, for progress and end */
};

void
journal_meta_free(struct journal_meta *m)
{
	free(m->id);
	free(m->created);
	free(m->profile);
	free(m->base_url);
	free(m->api_version);
	free(m->input_name);
	free(m->types);
	free(m->from_path);
	free(m->to_path);
	free(m->state);
	memset(m, 0, sizeof(*m));
}

int
journal_dir(char **out, bool create, char **cause)
{
	if (xdg_path("XDG_STATE_HOME", ".local/state", "hubassoc/sessions", out,
	    cause) != 0)
		return -1;
	if ((create && make_dirs(*out, cause) != 0) ||
	    dir_check_private(*out, cause) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static int
write_line(struct journal *j, bool sync)
{
	const char *p = j->line.data;
	size_t n = j->line.len;

	buf_addc(&j->line, '\n');
	p = j->line.data;
	n = j->line.len;
	while (n > 0) {
		ssize_t w = write(j->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			buf_reset(&j->line);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	buf_reset(&j->line);
	if (sync && fsync(j->fd) != 0)
		return -1;
	return 0;
}

static int end_cut_line(struct journal *j);

int
journal_append(struct journal *j, const char *record, size_t len, bool sync)
{
	if (end_cut_line(j) != 0)
		return -1;
	buf_add(&j->line, record, len);
	return write_line(j, sync);
}

static void
add_key(struct buf *b, const char *key)
{
	buf_addc(b, ',');
	json_add_string(b, key);
	buf_addc(b, ':');
}

static void
add_str(struct buf *b, const char *key, const char *v)
{
	add_key(b, key);
	if (v != NULL)
		json_add_string(b, v);
	else
		buf_addstr(b, "null");
}

static void
add_num(struct buf *b, const char *key, uint64_t v)
{
	add_key(b, key);
	buf_add_uint(b, v);
}

/* "sources":[["paste 1",0],...]: where each named source starts. */
void
journal_add_sources(struct buf *b, const struct input *in)
{
	add_key(b, "sources");
	buf_addc(b, '[');
	for (size_t i = 0; i < in->nsources; i++) {
		buf_addstr(b, i > 0 ? ",[" : "[");
		json_add_string(b, in->sources[i].name);
		buf_printf(b, ",%u]", in->sources[i].base);
	}
	buf_addc(b, ']');
}

/* "rows":[...]: a request's or a send's rows by number. */
static void
add_rows(struct buf *b, const uint32_t *rows, size_t n)
{
	add_key(b, "rows");
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		buf_add_uint(b, rows[i]);
	}
	buf_addc(b, ']');
}

static void
add_objtype(struct buf *b, const char *key, const struct objtype *t)
{
	add_key(b, key);
	buf_addstr(b, "{\"path\":");
	json_add_string(b, t->path);
	buf_addstr(b, ",\"id\":");
	json_add_string(b, t->id);
	buf_addc(b, '}');
}

static void
add_counts(struct buf *b, const struct outcomes *o)
{
	add_key(b, "counts");
	buf_addc(b, '{');
	for (int i = 0; i < OUTCOME_COUNT; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_add_string(b, outcome_name((enum outcome)i));
		buf_addc(b, ':');
		buf_add_uint(b, o->count[i]);
	}
	buf_addc(b, '}');
}

static void
add_specs(struct buf *b, const struct assoc_spec *specs, size_t n)
{
	struct buf tmp = BUF_INIT;

	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		buf_reset(&tmp);
		assoc_spec_format(&tmp, &specs[i]);
		json_add_string(b, buf_str(&tmp));
	}
	buf_addc(b, ']');
	buf_free(&tmp);
}

/* Sessions sort by their IDs: the time to the millisecond, then a digit
 * that differs between two started in the same millisecond. */
static char *
new_id(unsigned attempt)
{
	struct timespec ts;
	struct tm tm;
	char day[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(day, sizeof(day), "%Y%m%d-%H%M%S", &tm);
	return xasprintf("%s-%03ld%x", day, ts.tv_nsec / 1000000,
	    (unsigned)(getpid() + attempt) & 0xf);
}

/* A new session's file, 0600, named by a new ID (in meta), held. */
static struct journal *
new_file(struct journal_meta *meta, char **cause)
{
	struct journal *j = NULL;
	char *dir = NULL, created[32];
	int fd = -1;

	if (journal_dir(&dir, true, cause) != 0)
		return NULL;
	for (int tries = 0; tries < 20 && fd < 0; tries++) {
		free(meta->id);
		meta->id = new_id((unsigned)tries);
		char *path = xasprintf("%s/%s.jsonl", dir, meta->id);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create %s: %s", path, strerror(errno));
			free(path);
			free(dir);
			return NULL;
		}
		if (fd >= 0) {
			/* Held while this process sends it (journal_reopen). */
			(void)flock(fd, LOCK_EX | LOCK_NB);
			j = xcalloc(1, sizeof(*j));
			j->fd = fd;
			j->path = path;
			j->send = 1;
		} else
			free(path);
	}
	free(dir);
	if (fd < 0) {
		*cause = xstrdup("cannot find a free session name");
		return NULL;
	}
	time_iso8601(created, 0);
	free(meta->created);
	meta->created = xstrdup(created);
	return j;
}

/* The settings every session's first record holds. */
static void
add_meta(struct buf *b, const struct journal_meta *meta)
{
	buf_printf(b, "{\"t\":\"session\",\"v\":%d", JOURNAL_VERSION);
	add_str(b, "id", meta->id);
	add_str(b, "created", meta->created);
	add_str(b, "hubassoc", HUBASSOC_VERSION);
	add_str(b, "profile", meta->profile);
	add_str(b, "base_url", meta->base_url);
	add_str(b, "api_version", meta->api_version);
}

struct journal *
journal_create_draft(struct journal_meta *meta, char **cause)
{
	struct journal *j = new_file(meta, cause);

	if (j == NULL)
		return NULL;
	add_meta(&j->line, meta);
	buf_addstr(&j->line, ",\"draft\":true}");
	if (write_line(j, true) == 0)
		return j;
	*cause = xasprintf("cannot write %s: %s", j->path, strerror(errno));
	journal_close(j);
	return NULL;
}

/* The first record of a session that sends, and its rows with their
 * plan; not synced. */
static int
write_send_header(struct journal *j, const struct journal_meta *meta,
    const struct input *in, const struct plan *p)
{
	struct buf *b = &j->line;

	add_meta(b, meta);
	add_objtype(b, "from", &p->from);
	add_objtype(b, "to", &p->to);
	add_str(b, "input", meta->input_name);
	add_str(b, "types", meta->types);
	add_num(b, "chunk_size", p->chunk_size);
	add_num(b, "rows", in->nrows);
	add_num(b, "lines", in->lines);
	add_num(b, "header_line", in->header_line);
	journal_add_sources(b, in);
	add_key(b, "sets");
	buf_addc(b, '[');
	for (size_t s = 0; s < in->nsets; s++) {
		const struct plan_types *t = &p->types[s];
		if (s > 0)
			buf_addc(b, ',');
		buf_addstr(b, "{\"text\":");
		json_add_string(b, in->sets[s].text);
		add_key(b, "resolved");
		if (t->ok)
			add_specs(b, t->specs, t->n);
		else
			buf_addstr(b, "null");
		add_num(b, "canon", t->canon);
		add_str(b, "type_error", in->sets[s].type_error);
		buf_addc(b, '}');
	}
	buf_addstr(b, "]}");
	if (write_line(j, false) != 0)
		return -1;

	for (size_t first = 0; first < in->nrows; first += ROWS_PER_RECORD) {
		size_t end = first + ROWS_PER_RECORD < in->nrows ? first + ROWS_PER_RECORD :
		    in->nrows;
		buf_printf(b, "{\"t\":\"rows\",\"first\":%zu,\"rows\":[", first);
		for (size_t i = first; i < end; i++) {
			const struct input_row *r = &in->rows[i];
			if (i > first)
				buf_addc(b, ',');
			buf_printf(b, "[%u,%u,%u,%u,%u,%u,%u,", r->line, r->status, r->reason,
			    r->field, r->set, p->state[i], p->ref[i]);
			json_add_string(b, input_from(in, r));
			buf_addc(b, ',');
			json_add_string(b, input_to(in, r));
			buf_addc(b, ',');
			json_add_string(b, input_detail(in, r));
			buf_addc(b, ']');
		}
		buf_addstr(b, "]}");
		if (write_line(j, false) != 0)
			return -1;
	}
	return 0;
}

struct journal *
journal_create(struct journal_meta *meta, const struct input *in,
    const struct plan *p, char **cause)
{
	struct journal *j = new_file(meta, cause);

	if (j == NULL)
		return NULL;
	if (write_send_header(j, meta, in, p) == 0 && fsync(j->fd) == 0)
		return j;
	*cause = xasprintf("cannot write %s: %s", j->path, strerror(errno));
	journal_close(j);
	return NULL;
}

int
journal_begin_sends(struct journal *j, struct journal_meta *meta,
    const struct input *in, const struct plan *p, char **cause)
{
	char *tmp = xasprintf("%s.new", j->path);
	int fd = -1, rfd = -1;
	struct journal nj = { .fd = -1, .path = j->path, .send = 1 };

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
		goto fail;
	nj.fd = fd;
	if (write_send_header(&nj, meta, in, p) != 0)
		goto fail;
	/* The working set's records after it, as they were. */
	rfd = open(j->path, O_RDONLY | O_CLOEXEC);
	FILE *f = rfd >= 0 ? fdopen(rfd, "r") : NULL;
	if (f == NULL)
		goto fail;
	rfd = -1;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int werr = 0;
	while (werr == 0 && (len = getline(&line, &cap, f)) > 0)
		if (++lineno > 1 && line[len - 1] == '\n' &&
		    (strncmp(line, PAIRS_HEAD, sizeof(PAIRS_HEAD) - 1) == 0 ||
		    strncmp(line, "{\"t\":\"choice\"", 13) == 0) &&
		    write(fd, line, (size_t)len) != len)
			werr = -1;
	free(line);
	fclose(f);
	if (werr != 0 || fsync(fd) != 0 || rename(tmp, j->path) != 0)
		goto fail;
	buf_free(&nj.line);
	close(j->fd);
	j->fd = fd;
	j->send = 1;
	free(tmp);
	return 0;
fail:
	*cause = xasprintf("cannot write %s: %s", tmp, strerror(errno));
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	if (rfd >= 0)
		close(rfd);
	buf_free(&nj.line);
	free(tmp);
	return -1;
}

struct journal *
journal_reopen(const char *path, char **cause)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	struct journal *j;

	if (fd < 0) {
		*cause = xasprintf("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		const char *base = strrchr(path, '/');
		char *id = xstrdup(base != NULL ? base + 1 : path);
		char *dot = strstr(id, ".jsonl");
		if (dot != NULL)
			*dot = '\0';
		*cause = errno == EWOULDBLOCK ? xasprintf("session %s is in use by "
		    "another hubassoc (sending it, or open in a terminal): let it "
		    "finish, or quit it, then try again", id) :
		    xasprintf("cannot lock %s: %s", path, strerror(errno));
		free(id);
		close(fd);
		return NULL;
	}
	j = xcalloc(1, sizeof(*j));
	j->fd = fd;
	j->path = xstrdup(path);
	j->send = 1;
	return j;
}

/* A line cut by a crash ends here, so the next record starts clean. */
static int
end_cut_line(struct journal *j)
{
	struct stat st;

	if (fstat(j->fd, &st) == 0 && st.st_size > 0) {
		int rfd = open(j->path, O_RDONLY | O_CLOEXEC);
		char last = '\n';
		if (rfd >= 0) {
			if (pread(rfd, &last, 1, st.st_size - 1) != 1)
				last = '\n';
			close(rfd);
		}
		if (last != '\n' && write(j->fd, "\n", 1) != 1)
			return -1;
	}
	return 0;
}

int
journal_resumed(struct journal *j, unsigned send, char **cause)
{
	char when[32];

	j->send = send;
	time_iso8601(when, 0);
	if (end_cut_line(j) == 0) {
		buf_printf(&j->line, "{\"t\":\"resume\",\"time\":\"%s\",\"send\":%u}",
		    when, send);
		if (write_line(j, true) == 0)
			return 0;
	}
	*cause = xasprintf("cannot write %s: %s", j->path, strerror(errno));
	return -1;
}

int
journal_edit(struct journal *j, uint32_t row, const char *text)
{
	end_cut_line(j);
	buf_printf(&j->line, "{\"t\":\"edit\",\"row\":%u", row);
	add_str(&j->line, "text", text);
	buf_addc(&j->line, '}');
	return write_line(j, false);
}

int
journal_resend(struct journal *j, unsigned send, const char *kind,
    const char *only, const uint32_t *rows, size_t n, char **cause)
{
	struct buf *b = &j->line;
	char when[32];

	j->send = send;
	time_iso8601(when, 0);
	if (end_cut_line(j) == 0) {
		buf_printf(b, "{\"t\":\"resend\",\"send\":%u", send);
		add_str(b, "time", when);
		add_str(b, "kind", kind);
		add_str(b, "only", only);
		add_rows(b, rows, n);
		buf_addc(b, '}');
		if (write_line(j, true) == 0)
			return 0;
	}
	*cause = xasprintf("cannot write %s: %s", j->path, strerror(errno));
	return -1;
}

const char *
journal_path(const struct journal *j)
{
	return j->path;
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j->path);
	buf_free(&j->line);
	free(j);
}

int
journal_send(struct journal *j, uint64_t req, const char *kind, uint32_t chunk,
    unsigned attempt, const uint32_t *rows, size_t n, const char *body)
{
	struct buf *b = &j->line;

	char at[32];

	time_iso8601(at, 1);
	buf_addstr(b, SEND_PREFIX);
	buf_add_uint(b, req);
	add_str(b, "at", at);
	if (kind != NULL)
		add_str(b, "kind", kind);     /* none: a create */
	add_num(b, "chunk", chunk);
	add_num(b, "attempt", attempt);
	add_rows(b, rows, n);
	/* The body is our own JSON: kept as it went. */
	add_key(b, "body");
	buf_addstr(b, body);
	buf_addc(b, '}');
	return write_line(j, true);
}

static const char *const failure_names[] = {
	[HTTP_OK] = NULL, [HTTP_TIMEOUT] = "timeout", [HTTP_CONNECT] = "connect",
	[HTTP_RESET] = "reset", [HTTP_TRUNCATED] = "truncated", [HTTP_TLS] = "tls",
	[HTTP_ABORTED] = "aborted", [HTTP_TOO_BIG] = "too_big", [HTTP_OTHER] = "other",
};

int
journal_warning(struct journal *j, uint64_t req, const char *message)
{
	struct buf *b = &j->line;

	buf_printf(b, "{\"t\":\"warning\",\"req\":%llu", (unsigned long long)req);
	add_str(b, "message", message);
	buf_addc(b, '}');
	return write_line(j, false);
}

int
journal_answer(struct journal *j, uint64_t req, const struct http_result *res)
{
	struct buf *b = &j->line;

	buf_addstr(b, ANSWER_PREFIX);
	buf_add_uint(b, req);
	add_num(b, "status", (uint64_t)res->status);
	add_str(b, "failure", failure_names[res->failure]);
	add_str(b, "error", res->failure != HTTP_OK ? res->error : NULL);
	add_str(b, "headers", res->headers[0] ? res->headers : NULL);
	add_num(b, "ms", (uint64_t)res->ms);
	size_t keep = res->body.len;
	if (res->failure == HTTP_TOO_BIG) {
		/* An answer past the cap is kept by its head, size and hash: a
		 * 60 MB body tried twice made a 755 MB journal. */
		char hex[17];
		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)
		    hash_bytes(res->body.data, res->body.len, 0));
		add_num(b, "body_read", res->body.len);
		if (res->announced >= 0)
			add_num(b, "body_announced", (uint64_t)res->announced);
		add_str(b, "body_hash", hex);
		keep = keep < HTTP_BODY_HEAD ? keep : HTTP_BODY_HEAD;
		while (keep > 0 && keep < res->body.len &&
		    ((unsigned char)res->body.data[keep] & 0xc0) == 0x80)
			keep--;
	}
	add_key(b, "body");
	buf_addc(b, '"');
	json_escape(b, res->body.data != NULL ? res->body.data : "", keep);
	buf_addstr(b, "\"}");
	return write_line(j, false);
}

int
journal_outcomes(struct journal *j, const struct outcomes *o, size_t first_err,
    size_t first_labels, const uint32_t *rows, size_t n)
{
	struct buf *b = &j->line;

	for (size_t e = first_err; e < o->nerrors; e++) {
		const struct outcome_error *oe = &o->errors[e];
		buf_printf(b, "{\"t\":\"error\",\"n\":%zu,\"chunk\":%u,\"http\":%u,"
		    "\"local\":%s,\"error\":", e + 1, oe->chunk, oe->http_status,
		    oe->local ? "true" : "false");
		hs_error_json(b, oe->error);
		buf_addc(b, '}');
		if (write_line(j, false) != 0)
			return -1;
	}
	for (size_t l = first_labels; l < o->nlabel_sets; l++) {
		buf_printf(b, "{\"t\":\"labels\",\"n\":%zu,\"v\":[", l + 1);
		for (size_t k = 0; k < o->label_sets[l].n; k++) {
			if (k > 0)
				buf_addc(b, ',');
			json_add_string(b, o->label_sets[l].v[k]);
		}
		buf_addstr(b, "]}");
		if (write_line(j, false) != 0)
			return -1;
	}
	if (n > 0) {
		buf_addstr(b, "{\"t\":\"outcomes\",\"rows\":[");
		for (size_t i = 0; i < n; i++) {
			uint32_t r = rows[i];
			buf_printf(b, "%s[%u,\"%s\",%u,%u,%u]", i ? "," : "", r,
			    outcome_name((enum outcome)o->state[r]), o->http[r], o->err[r],
			    o->labels[r]);
		}
		buf_addstr(b, "]}");
		if (write_line(j, false) != 0)
			return -1;
	}
	return fsync(j->fd);
}

int
journal_progress(struct journal *j, const struct outcomes *o)
{
	buf_addstr(&j->line, "{\"t\":\"progress\"");
	add_num(&j->line, "send", j->send);
	add_counts(&j->line, o);
	buf_addc(&j->line, '}');
	return write_line(j, false);
}

int
journal_end(struct journal *j, const char *state, int exit_status,
    const struct outcomes *o)
{
	char when[32];

	time_iso8601(when, 0);
	buf_addstr(&j->line, "{\"t\":\"end\"");
	add_str(&j->line, "time", when);
	add_str(&j->line, "state", state);
	add_num(&j->line, "exit", (uint64_t)exit_status);
	add_num(&j->line, "send", j->send);
	add_counts(&j->line, o);
	buf_addc(&j->line, '}');
	return write_line(j, true);
}

/* ---- reading back ----------------------------------------------------- */

static char *
get_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/* A whole number from 0 to max, or false: a journal may be damaged, and a
 * double out of an integer's range must not be converted to it. */
static bool
num_value(const cJSON *v, uint64_t max, uint64_t *out)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) ||
	    v->valuedouble > (double)max)
		return false;
	*out = (uint64_t)v->valuedouble;
	return (double)*out == v->valuedouble;
}

void
journal_restore_sources(struct input *in, const cJSON *sources)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, sources) {
		const cJSON *name = cJSON_GetArrayItem(x, 0);
		uint64_t base;
		if (cJSON_IsString(name) &&
		    num_value(cJSON_GetArrayItem(x, 1), UINT32_MAX, &base))
			input_add_source(in, name->valuestring, (uint32_t)base);
	}
}

/* Numbers a journal writes stay below 2^53. */
#define JOURNAL_NUM_MAX (UINT64_C(1) << 53)

static uint64_t
get_num(const cJSON *o, const char *key)
{
	uint64_t n;

	return num_value(cJSON_GetObjectItemCaseSensitive(o, key), JOURNAL_NUM_MAX,
	    &n) ? n : 0;
}

static void
read_counts(const cJSON *rec, struct journal_meta *m)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "counts");

	for (int i = 0; i < OUTCOME_COUNT && cJSON_IsObject(c); i++)
		m->counts[i] = get_num(c, outcome_name((enum outcome)i));
}

static int
read_header(const cJSON *h, struct journal_meta *m, char **cause)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(h, "t");

	if (!cJSON_IsString(t) || strcmp(t->valuestring, "session") != 0) {
		*cause = xstrdup("not a hubassoc journal (no session record first)");
		return -1;
	}
	uint64_t v = get_num(h, "v");
	if (v == 0 || v > JOURNAL_VERSION) {
		*cause = v == 0 ? xstrdup("not a hubassoc journal (its session "
		    "record has no version)") : xasprintf("written by a newer "
		    "hubassoc (journal version %llu; this one reads up to %d): "
		    "open it with that version", (unsigned long long)v, JOURNAL_VERSION);
		return -1;
	}
	m->id = get_str(h, "id");
	m->created = get_str(h, "created");
	m->profile = get_str(h, "profile");
	m->base_url = get_str(h, "base_url");
	m->api_version = get_str(h, "api_version");
	m->input_name = get_str(h, "input");
	m->types = get_str(h, "types");
	m->from_path = get_str(cJSON_GetObjectItemCaseSensitive(h, "from"), "path");
	m->to_path = get_str(cJSON_GetObjectItemCaseSensitive(h, "to"), "path");
	m->exit_status = -1;
	if (m->id == NULL) {
		*cause = xstrdup("the session record has no id");
		return -1;
	}
	return 0;
}

static int
read_objtype(const cJSON *h, const char *key, struct objtype *t, char **cause)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(h, key);
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(o, "path");

	if (!cJSON_IsString(path) || objtype_parse(path->valuestring, t, cause) != 0) {
		if (*cause == NULL)
			*cause = xasprintf("the session record has no '%s' type", key);
		return -1;
	}
	return 0;
}

static void
restore_sets(struct session *s, const cJSON *sets)
{
	const cJSON *set;
	size_t k = 0;

	/* Set 0 exists already; the others come back in their order. */
	cJSON_ArrayForEach(set, sets) {
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(set, "text");
		if (k > 0 && cJSON_IsString(text))
			input_set_intern(s->in, text->valuestring, strlen(text->valuestring));
		k++;
	}
}

static void
restore_types(struct session *s, const cJSON *sets)
{
	const cJSON *set;
	size_t k = 0;

	cJSON_ArrayForEach(set, sets) {
		if (k >= s->plan.ntypes)
			break;
		struct plan_types *t = &s->plan.types[k];
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(set, "resolved"), *v;
		t->canon = (uint32_t)get_num(set, "canon");
		char *te = get_str(set, "type_error");
		if (te != NULL && k < s->in->nsets) {
			free(s->in->sets[k].type_error);
			s->in->sets[k].type_error = te;
		} else
			free(te);
		if (cJSON_IsArray(res)) {
			t->ok = true;
			t->specs = xcalloc((size_t)cJSON_GetArraySize(res) + 1, sizeof(*t->specs));
			cJSON_ArrayForEach(v, res) {
				char *c = NULL;
				if (cJSON_IsString(v) && assoc_spec_parse(v->valuestring,
				    strlen(v->valuestring), &t->specs[t->n], &c) == 0)
					t->n++;
				free(c);
			}
		}
		k++;
	}
}

/* The rows read so far: their plan state and reference, until the plan
 * can be rebuilt. */
struct rows_acc {
	uint32_t *state, *ref;
	size_t cap;
};

/* One row as a rows record holds it. */
struct rec_row {
	uint64_t v[7];   /* line, status, reason, field, set, plan state, ref */
	const char *from, *to, *detail;
};

/* Adds a recorded row; false when it is damaged. */
static bool
restore_row(struct session *s, const struct rec_row *r, struct rows_acc *acc)
{
	static const uint64_t max[7] = { UINT32_MAX, ROW_INVALID, INPUT_NO_TYPE,
	    UINT8_MAX, UINT32_MAX, PLAN_DUPLICATE, UINT32_MAX };
	const uint64_t *v = r->v;

	for (int i = 0; i < 7; i++)
		if (v[i] > max[i])
			return false;
	/* Sets come from the header; a duplicate names an earlier row;
	 * a chunk holds at least one row, so its number is below theirs. */
	if (v[4] >= (s->in->nsets ? s->in->nsets : 1) ||
	    (v[5] != PLAN_INVALID && v[6] >= s->in->nrows + (v[5] == PLAN_SEND)))
		return false;
	/* Rows to send hold IDs, as the parser left them. */
	if (v[5] != PLAN_INVALID && (v[1] != ROW_VALID ||
	    !input_id_ok(r->from) || !input_id_ok(r->to)))
		return false;
	input_add_recorded(s->in, (uint32_t)v[0], (enum input_status)v[1],
	    (enum input_reason)v[2], (uint8_t)v[3], (uint32_t)v[4],
	    r->from, r->to, r->detail);
	if (s->in->nrows > acc->cap) {
		size_t nc = acc->cap ? acc->cap * 2 : 4096;
		while (nc < s->in->nrows)
			nc *= 2;
		acc->state = xreallocarray(acc->state, nc, sizeof(*acc->state));
		acc->ref = xreallocarray(acc->ref, nc, sizeof(*acc->ref));
		acc->cap = nc;
	}
	acc->state[s->in->nrows - 1] = (uint32_t)v[5];
	acc->ref[s->in->nrows - 1] = (uint32_t)v[6];
	return true;
}

/* The rows of a rows record read by cJSON; false at the first damaged. */
static bool
restore_rows(struct session *s, const cJSON *rows, struct rows_acc *acc)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, rows) {
		struct rec_row row;
		const cJSON *f = cJSON_GetArrayItem(r, 7), *t = cJSON_GetArrayItem(r, 8);
		const cJSON *d = cJSON_GetArrayItem(r, 9);
		if (!cJSON_IsArray(r) || !cJSON_IsString(f) || !cJSON_IsString(t) ||
		    !cJSON_IsString(d))
			return false;
		for (int i = 0; i < 7; i++)
			if (!num_value(cJSON_GetArrayItem(r, i), JOURNAL_NUM_MAX, &row.v[i]))
				return false;
		row.from = f->valuestring;
		row.to = t->valuestring;
		row.detail = d->valuestring;
		if (!restore_row(s, &row, acc))
			return false;
	}
	return true;
}

/* The plan and fresh outcomes from the recorded rows; false when its
 * chunks are not ones a plan makes (empty, or over the chunk size). */
static bool
restore_plan(struct session *s, const cJSON *header, const cJSON *sets,
    const uint32_t *state, const uint32_t *ref)
{
	uint64_t chunk_size = get_num(header, "chunk_size");
	bool ok = chunk_size <= PLAN_CHUNK_MAX;

	plan_restore_begin(&s->plan, &s->from, &s->to,
	    ok ? (size_t)chunk_size : 0, s->in->nrows, s->in->nsets);
	for (size_t i = 0; i < s->in->nrows; i++) {
		s->plan.state[i] = (uint8_t)state[i];
		s->plan.ref[i] = ref[i];
	}
	restore_types(s, sets);
	plan_reindex(&s->plan);
	outcomes_init(&s->out, &s->plan, false);
	for (size_t c = 0; c < s->plan.nchunks; c++)
		if (s->plan.chunks[c].count == 0 ||
		    s->plan.chunks[c].count > s->plan.chunk_size)
			ok = false;
	return ok;
}

static void
replay_error(struct session *s, const cJSON *rec)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const cJSON *local = cJSON_GetObjectItemCaseSensitive(rec, "local");
	char *text = cJSON_PrintUnformatted(err);
	struct response r;

	/* The error's JSON reads back through the parser it came from. */
	response_parse(&r, 400, text, text != NULL ? strlen(text) : 0);
	outcomes_add_error(&s->out, hs_error_dup(&r.error),
	    (uint32_t)get_num(rec, "chunk"), (uint16_t)get_num(rec, "http"),
	    cJSON_IsTrue(local));
	response_free(&r);
	cJSON_free(text);
}

static void
replay_labels(struct session *s, const cJSON *rec)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "v"), *l;
	char **list = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(*list));
	size_t n = 0;

	cJSON_ArrayForEach(l, v)
		if (cJSON_IsString(l))
			list[n++] = l->valuestring;
	outcomes_push_labels(&s->out, list, n);
	free(list);
}

/* Sets a row's recorded outcome; entries that do not fit are skipped. */
static void
replay_outcome(struct session *s, uint64_t row, const char *name, uint64_t http,
    uint64_t err, uint64_t lab)
{
	enum outcome o;

	if (row >= s->out.n || http > UINT16_MAX || outcome_parse(name, &o) != 0)
		return;
	outcomes_set(&s->out, (size_t)row, o, (uint16_t)http,
	    err <= s->out.nerrors ? (uint32_t)err : 0);
	s->out.labels[row] = lab <= s->out.nlabel_sets ? (uint32_t)lab : 0;
}

static void
replay_outcomes(struct session *s, const cJSON *rec)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(rec, "rows"), *r;

	cJSON_ArrayForEach(r, rows) {
		uint64_t row, http, err, lab;
		const cJSON *st = cJSON_GetArrayItem(r, 1);
		if (num_value(cJSON_GetArrayItem(r, 0), JOURNAL_NUM_MAX, &row) &&
		    num_value(cJSON_GetArrayItem(r, 2), JOURNAL_NUM_MAX, &http) &&
		    num_value(cJSON_GetArrayItem(r, 3), JOURNAL_NUM_MAX, &err) &&
		    num_value(cJSON_GetArrayItem(r, 4), JOURNAL_NUM_MAX, &lab) &&
		    cJSON_IsString(st))
			replay_outcome(s, row, st->valuestring, http, err, lab);
	}
}

/*
 * The journal's own rows and outcomes records, read without cJSON: they
 * are most of a big session, and a tree of a dozen nodes a row made
 * opening a million-row session take seconds.  The scanner takes exactly
 * what the writer writes (no spaces, numbers of up to 15 digits, strings
 * without escapes); anything else, from damage, a hand edit or a string
 * that needed escapes, gives the line to cJSON, so both read the same.
 * A line is scanned whole before any of it is used.
 */
#define ROWS_HEAD "{\"t\":\"rows\",\"first\":"
#define OUTCOMES_HEAD "{\"t\":\"outcomes\",\"rows\":["

struct scan {
	char *p, *end;
};

static bool
scan_char(struct scan *sc, char c)
{
	if (sc->p < sc->end && *sc->p == c) {
		sc->p++;
		return true;
	}
	return false;
}

static bool
scan_num(struct scan *sc, uint64_t *v)
{
	char *start = sc->p;
	uint64_t x = 0;

	while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9' && sc->p - start < 16)
		x = x * 10 + (uint64_t)(*sc->p++ - '0');
	size_t n = (size_t)(sc->p - start);
	/* JSON has no leading zeros; longer numbers are cJSON's to judge. */
	if (n == 0 || n > 15 || (start[0] == '0' && n > 1))
		return false;
	*v = x;
	return true;
}

/* A string's start and length; its closing quote becomes its end later. */
static bool
scan_str(struct scan *sc, char **start, size_t *len)
{
	if (!scan_char(sc, '"'))
		return false;
	*start = sc->p;
	while (sc->p < sc->end && *sc->p != '"') {
		if ((unsigned char)*sc->p < 0x20 || *sc->p == '\\')
			return false;
		sc->p++;
	}
	*len = (size_t)(sc->p - *start);
	return scan_char(sc, '"');
}

/* ,"key": */
static bool
scan_key(struct scan *sc, const char *key)
{
	size_t n = strlen(key);

	if (sc->end - sc->p < (ptrdiff_t)n + 4 || sc->p[0] != ',' || sc->p[1] != '"' ||
	    memcmp(sc->p + 2, key, n) != 0 || sc->p[2 + n] != '"' || sc->p[3 + n] != ':')
		return false;
	sc->p += n + 4;
	return true;
}

/* A JSON string, escapes and all, or null; its raw text when short
 * enough for out (else cut), "" for null. */
static bool
scan_any_str(struct scan *sc, char *out, size_t outsz)
{
	if (sc->end - sc->p >= 4 && memcmp(sc->p, "null", 4) == 0) {
		sc->p += 4;
		if (outsz > 0)
			out[0] = '\0';
		return true;
	}
	if (!scan_char(sc, '"'))
		return false;
	const char *start = sc->p;
	while (sc->p < sc->end && *sc->p != '"') {
		if (*sc->p == '\\' && sc->p + 1 < sc->end)
			sc->p++;
		sc->p++;
	}
	if (outsz > 0)
		snprintf(out, outsz, "%.*s", (int)(sc->p - start), start);
	return scan_char(sc, '"');
}

/* The request and answer records as the writer wrote them: their head
 * read field by field, the bodies not. */
static bool
scan_request(char *line, size_t len, struct journal_req_info *x)
{
	struct scan sc = { line + sizeof(SEND_PREFIX) - 1, line + len };
	char at[32], kind[16];
	uint64_t v;

	if (!scan_num(&sc, &x->req) || !scan_key(&sc, "at") ||
	    !scan_any_str(&sc, at, sizeof(at)))
		return false;
	if (scan_key(&sc, "kind") && !scan_any_str(&sc, kind, sizeof(kind)))
		return false;
	if (!scan_key(&sc, "chunk") || !scan_num(&sc, &v))
		return false;
	x->chunk = (unsigned)v;
	if (!scan_key(&sc, "attempt") || !scan_num(&sc, &v) || !scan_key(&sc, "rows") ||
	    !scan_char(&sc, '['))
		return false;
	x->attempt = (unsigned)v;
	while (!scan_char(&sc, ']')) {
		if ((x->inputs > 0 && !scan_char(&sc, ',')) || !scan_num(&sc, &v))
			return false;
		x->inputs++;
	}
	/* HH:MM:SS.mmm of the ISO 8601 time. */
	const char *t = strchr(at, 'T');
	if (t != NULL)
		snprintf(x->at, sizeof(x->at), "%.*s", (int)strcspn(t + 1, "Z"), t + 1);
	return true;
}

static bool
scan_answer(char *line, size_t len, struct journal_req_info *x)
{
	struct scan sc = { line + sizeof(ANSWER_PREFIX) - 1, line + len };
	uint64_t v;

	if (!scan_num(&sc, &x->req) || !scan_key(&sc, "status") || !scan_num(&sc, &v))
		return false;
	x->status = (int)v;
	if (!scan_key(&sc, "failure") ||
	    !scan_any_str(&sc, x->failure, sizeof(x->failure)) ||
	    !scan_key(&sc, "error") || !scan_any_str(&sc, NULL, 0) ||
	    !scan_key(&sc, "headers") || !scan_any_str(&sc, NULL, 0) ||
	    !scan_key(&sc, "ms") || !scan_num(&sc, &v))
		return false;
	x->ms = (unsigned)v;
	return true;
}

int
journal_scan_requests(const char *path, struct journal_scan_pos *pos,
    void (*fn)(void *arg, const struct journal_req_info *x), void *arg)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (f == NULL || fseek(f, pos->off, SEEK_SET) != 0) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] != '\n')
			break;   /* being written */
		struct journal_req_info x = { .off = pos->off, .send = pos->send };
		bool send = strncmp(line, SEND_PREFIX, sizeof(SEND_PREFIX) - 1) == 0;
		x.answer = strncmp(line, ANSWER_PREFIX, sizeof(ANSWER_PREFIX) - 1) == 0;
		if ((send && scan_request(line, (size_t)len, &x)) ||
		    (x.answer && scan_answer(line, (size_t)len, &x)))
			fn(arg, &x);
		/* {"t":"resend","send":N: the requests after it are send N's. */
		struct scan sc = { line + sizeof(RESEND_HEAD) - 1, line + len };
		uint64_t n;
		if (strncmp(line, RESEND_HEAD, sizeof(RESEND_HEAD) - 1) == 0 &&
		    scan_key(&sc, "send") && scan_num(&sc, &n) && n <= SESSION_SENDS_MAX)
			pos->send = (unsigned)n;
		pos->off += len;
	}
	free(line);
	fclose(f);
	return 0;
}

/* The end of a record: "]}" and the line's end. */
static bool
scan_end(struct scan *sc)
{
	return scan_char(sc, ']') && scan_char(sc, '}') && scan_char(sc, '\n') &&
	    sc->p == sc->end;
}

struct scanned {
	uint64_t v[7];
	char *str[3];
	size_t len[3];
};

/* The entries of the line being read; the room is kept between lines. */
struct scanned_vec {
	struct scanned *v;
	size_t n, cap;
};

static struct scanned *
scanned_next(struct scanned_vec *x)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 1024;
		x->v = xreallocarray(x->v, x->cap, sizeof(*x->v));
	}
	return &x->v[x->n++];
}

/* Ends each scanned string at its closing quote. */
static void
scanned_terminate(struct scanned_vec *x, size_t nstr)
{
	for (size_t i = 0; i < x->n; i++)
		for (size_t k = 0; k < nstr; k++)
			x->v[i].str[k][x->v[i].len[k]] = '\0';
}

/* 1: the rows are in; 0: not a line for the scanner; -1: a damaged row. */
static int
fast_rows(struct session *s, char *line, size_t len, struct rows_acc *acc,
    struct scanned_vec *x)
{
	struct scan sc = { line + sizeof(ROWS_HEAD) - 1, line + len };
	uint64_t first;

	x->n = 0;
	if (!scan_num(&sc, &first) || !scan_char(&sc, ',') ||
	    sc.end - sc.p < 8 || memcmp(sc.p, "\"rows\":[", 8) != 0)
		return 0;
	sc.p += 8;
	do {
		struct scanned *e = scanned_next(x);
		if (!scan_char(&sc, '['))
			return 0;
		for (int i = 0; i < 7; i++)
			if (!scan_num(&sc, &e->v[i]) || !scan_char(&sc, ','))
				return 0;
		for (int k = 0; k < 3; k++)
			if (!scan_str(&sc, &e->str[k], &e->len[k]) ||
			    !scan_char(&sc, k < 2 ? ',' : ']'))
				return 0;
	} while (scan_char(&sc, ','));
	if (!scan_end(&sc))
		return 0;
	scanned_terminate(x, 3);
	for (size_t i = 0; i < x->n; i++) {
		struct rec_row r = { .from = x->v[i].str[0], .to = x->v[i].str[1],
		    .detail = x->v[i].str[2] };
		memcpy(r.v, x->v[i].v, sizeof(r.v));
		if (!restore_row(s, &r, acc))
			return -1;
	}
	return 1;
}

/* True when the outcomes are in; false: not a line for the scanner. */
static bool
fast_outcomes(struct session *s, char *line, size_t len, struct scanned_vec *x)
{
	struct scan sc = { line + sizeof(OUTCOMES_HEAD) - 1, line + len };

	x->n = 0;
	do {
		struct scanned *e = scanned_next(x);
		if (!scan_char(&sc, '[') || !scan_num(&sc, &e->v[0]) ||
		    !scan_char(&sc, ',') || !scan_str(&sc, &e->str[0], &e->len[0]))
			return false;
		for (int i = 1; i < 4; i++)
			if (!scan_char(&sc, ',') || !scan_num(&sc, &e->v[i]))
				return false;
		if (!scan_char(&sc, ']'))
			return false;
	} while (scan_char(&sc, ','));
	if (!scan_end(&sc))
		return false;
	scanned_terminate(x, 1);
	for (size_t i = 0; i < x->n; i++)
		replay_outcome(s, x->v[i].v[0], x->v[i].str[0], x->v[i].v[1],
		    x->v[i].v[2], x->v[i].v[3]);
	return true;
}

/* Where each request's record is. */
struct sends {
	long *off;
	size_t n, cap;
};

static void
sends_add(struct sends *x, long off)
{
	if (x->n == x->cap)
		x->off = xreallocarray(x->off, x->cap = x->cap ? x->cap * 2 : 64,
		    sizeof(*x->off));
	x->off[x->n++] = off;
}

static void
count_request(struct session *s, uint64_t req, struct sends *x, long at)
{
	s->sent++;
	s->sends[s->nsends - 1].requests++;
	if (req > s->meta.last_req)
		s->meta.last_req = req;
	sends_add(x, at);
}

static void
count_answer(struct session *s)
{
	s->answered++;
	s->sends[s->nsends - 1].answered++;
}

/* A later send of the session, as its resend record says. */
static int
replay_resend(struct session *s, const cJSON *rec, char **cause)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(rec, "rows"), *r;
	uint64_t send = get_num(rec, "send");
	size_t n = 0;
	int rc = -1;

	if (!cJSON_IsArray(rows) || send != s->nsends + 1) {
		*cause = xasprintf("send %zu is damaged", s->nsends + 1);
		return -1;
	}
	uint32_t *v = xcalloc((size_t)cJSON_GetArraySize(rows) + 1, sizeof(*v));
	cJSON_ArrayForEach(r, rows) {
		uint64_t row;
		if (!num_value(r, UINT32_MAX, &row)) {
			*cause = xasprintf("send %zu is damaged", s->nsends + 1);
			goto done;
		}
		v[n++] = (uint32_t)row;
	}
	char *kind = get_str(rec, "kind"), *time = get_str(rec, "time");
	char *only = get_str(rec, "only");
	rc = session_apply_send(s, kind != NULL ? kind : "retry", time, only, v, n,
	    cause);
	free(kind);
	free(time);
	free(only);
done:
	free(v);
	s->meta.ended = false;
	return rc;
}

/* Rows whose request left and that have no outcome since (the sender died
 * before it decided them) are unconfirmed: the journal proves they left,
 * not that they arrived, nor that they did not.  A run that ends decides
 * every row itself, unconfirmed included. */
static void
mark_unconfirmed(struct session *s, FILE *f, const struct sends *x)
{
	char *line = NULL;
	size_t cap = 0;
	uint32_t err = 0;

	for (size_t i = 0; i < x->n && s->out.count[OUTCOME_PENDING] > 0; i++) {
		if (fseek(f, x->off[i], SEEK_SET) != 0 || getline(&line, &cap, f) <= 0)
			continue;
		cJSON *rec = cJSON_Parse(line);
		const cJSON *rows = cJSON_GetObjectItemCaseSensitive(rec, "rows"), *r;
		cJSON_ArrayForEach(r, rows) {
			if (!cJSON_IsNumber(r) || r->valuedouble < 0 ||
			    r->valuedouble >= (double)s->out.n)
				continue;
			size_t row = (size_t)r->valuedouble;
			if (s->out.state[row] != OUTCOME_PENDING)
				continue;
			if (err == 0)
				err = outcomes_add_error(&s->out, outcome_local_error(
				    "UNCONFIRMED", "sent, and the journal holds no usable "
				    "answer: resume reads it back"), PLAN_NONE, 0, true);
			outcomes_set(&s->out, row, OUTCOME_UNCONFIRMED, 0, err);
		}
		cJSON_Delete(rec);
	}
	free(line);
}

int
journal_load(const char *path, struct session *s, char **cause)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	cJSON *header = NULL, *sets = NULL;
	struct rows_acc acc = { 0 };
	struct scanned_vec scanned = { 0 };
	struct sends sends = { 0 };
	long off = 0, at;
	bool restored = false;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	s->path = xstrdup(path);
	s->in = input_new();
	while ((len = getline(&line, &cap, f)) > 0) {
		bool complete = line[len - 1] == '\n';
		lineno++;
		at = off;
		off += len;
		/* Requests and answers are most of a journal and need no parse:
		 * only their count and the last request's number matter here.
		 * They are the writer's own lines, which start the same way. */
		if (restored && complete && len > 2 && line[len - 2] == '}' &&
		    (strncmp(line, SEND_PREFIX, sizeof(SEND_PREFIX) - 1) == 0 ||
		    strncmp(line, ANSWER_PREFIX, sizeof(ANSWER_PREFIX) - 1) == 0)) {
			if (line[6] == 's')
				count_request(s, strtoull(line + sizeof(SEND_PREFIX) - 1,
				    NULL, 10), &sends, at);
			else
				count_answer(s);
			continue;
		}
		/* The working set's records are the terminal's to replay
		 * (journal_pairs_read), not a send's. */
		if (restored && strncmp(line, PAIRS_HEAD, sizeof(PAIRS_HEAD) - 1) == 0)
			continue;
		/* Rows and outcomes as the writer wrote them: scanned. */
		if (complete && header != NULL && !restored &&
		    strncmp(line, ROWS_HEAD, sizeof(ROWS_HEAD) - 1) == 0) {
			int r = fast_rows(s, line, (size_t)len, &acc, &scanned);
			if (r < 0) {
				*cause = xasprintf("%s: line %zu: row %zu is damaged", path,
				    lineno, s->in->nrows + 1);
				goto done;
			}
			if (r > 0)
				continue;
		}
		if (complete && restored &&
		    strncmp(line, OUTCOMES_HEAD, sizeof(OUTCOMES_HEAD) - 1) == 0 &&
		    fast_outcomes(s, line, (size_t)len, &scanned))
			continue;
		cJSON *rec = cJSON_ParseWithLength(line, (size_t)len);
		if (rec == NULL) {
			/* A crash may cut the last line; anything else is damage. */
			if (complete)
				s->damaged_lines++;
			continue;
		}
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "t");
		const char *kind = cJSON_IsString(t) ? t->valuestring : "";
		if (lineno == 1) {
			if (read_header(rec, &s->meta, cause) == 0 &&
			    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "draft"))) {
				/* A working set never sent: its pairs are its rows. */
				cJSON_Delete(rec);
				rc = draft_session(path, s, cause);
				goto done;
			}
			if (*cause != NULL ||
			    read_objtype(rec, "from", &s->from, cause) != 0 ||
			    read_objtype(rec, "to", &s->to, cause) != 0) {
				cJSON_Delete(rec);
				goto done;
			}
			if (api_version_parse(s->meta.api_version != NULL ?
			    s->meta.api_version : "v4", &s->api) != 0)
				s->api = API_V4;
			header = rec;
			sets = cJSON_GetObjectItemCaseSensitive(header, "sets");
			restore_sets(s, sets);
			journal_restore_sources(s->in,
			    cJSON_GetObjectItemCaseSensitive(header, "sources"));
			s->in->lines = (uint32_t)get_num(header, "lines");
			continue;
		}
		if (strcmp(kind, "rows") == 0) {
			/* Rows come before any event; rows after the plan was
			 * rebuilt are damage, not rows. */
			if (restored) {
				s->damaged_lines++;
			} else if (!restore_rows(s, cJSON_GetObjectItemCaseSensitive(rec,
			    "rows"), &acc)) {
				*cause = xasprintf("%s: line %zu: row %zu is damaged", path,
				    lineno, s->in->nrows + 1);
				cJSON_Delete(rec);
				goto done;
			}
			cJSON_Delete(rec);
			continue;
		}
		if (!restored) {
			/* The rows are all in: rebuild the plan before any event. */
			restored = true;
			if (!restore_plan(s, header, sets, acc.state, acc.ref)) {
				*cause = xasprintf("%s: its plan is damaged", path);
				cJSON_Delete(rec);
				goto done;
			}
			session_sends_init(s);
		}
		if (strcmp(kind, "send") == 0) {
			count_request(s, get_num(rec, "req"), &sends, at);
		} else if (strcmp(kind, "answer") == 0) {
			count_answer(s);
		} else if (strcmp(kind, "edit") == 0) {
			char *text = get_str(rec, "text");
			uint64_t row;
			if (text == NULL || !num_value(cJSON_GetObjectItemCaseSensitive(rec,
			    "row"), UINT32_MAX, &row) ||
			    session_apply_edit(s, (uint32_t)row, text, cause) != 0) {
				char *c = *cause;
				*cause = xasprintf("%s: line %zu: %s", path, lineno,
				    c != NULL ? c : "a damaged edit");
				free(c);
				free(text);
				cJSON_Delete(rec);
				goto done;
			}
			free(text);
		} else if (strcmp(kind, "resend") == 0) {
			if (replay_resend(s, rec, cause) != 0) {
				char *c = *cause;
				*cause = xasprintf("%s: line %zu: %s", path, lineno, c);
				free(c);
				cJSON_Delete(rec);
				goto done;
			}
			/* Rows the sends before left without an answer were
			 * decided when this one began. */
			sends.n = 0;
		} else if (strcmp(kind, "error") == 0) {
			replay_error(s, rec);
		} else if (strcmp(kind, "labels") == 0) {
			replay_labels(s, rec);
		} else if (strcmp(kind, "outcomes") == 0) {
			replay_outcomes(s, rec);
		} else if (strcmp(kind, "end") == 0) {
			free(s->meta.state);
			s->meta.state = get_str(rec, "state");
			s->meta.exit_status = (int)get_num(rec, "exit");
			s->meta.ended = true;
			struct session_send *x = &s->sends[s->nsends - 1];
			free(x->state);
			x->state = get_str(rec, "state");
			x->exit_status = s->meta.exit_status;
		} else if (strcmp(kind, "resume") == 0) {
			s->meta.ended = false;
		}
		cJSON_Delete(rec);
	}
	if (header == NULL) {
		*cause = xasprintf("%s: empty or not a hubassoc journal", path);
		goto done;
	}
	if (!restored) {
		if (!restore_plan(s, header, sets, acc.state, acc.ref)) {
			*cause = xasprintf("%s: its plan is damaged", path);
			goto done;
		}
		session_sends_init(s);
	}
	mark_unconfirmed(s, f, &sends);
	s->meta.sends = (unsigned)s->nsends;
	memcpy(s->meta.counts, s->out.count, sizeof(s->meta.counts));
	if (s->in->nrows != get_num(header, "rows")) {
		*cause = xasprintf("%s: the journal lists %zu of its %llu rows", path,
		    s->in->nrows, (unsigned long long)get_num(header, "rows"));
		goto done;
	}
	rc = 0;
done:
	cJSON_Delete(header);
	free(line);
	free(acc.state);
	free(acc.ref);
	free(scanned.v);
	free(sends.off);
	fclose(f);
	if (rc != 0)
		session_free(s);
	return rc;
}

static int
name_cmp(const void *a, const void *b)
{
	/* Newest first: IDs sort by time. */
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

int
journal_list(char ***paths, size_t *n, char **cause)
{
	char *dir = NULL;
	DIR *d;
	struct dirent *de;

	*paths = NULL;
	*n = 0;
	if (journal_dir(&dir, false, cause) != 0)
		return -1;
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return 0;   /* no sessions yet */
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".jsonl") != 0)
			continue;
		*paths = xreallocarray(*paths, *n + 1, sizeof(**paths));
		(*paths)[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	free(dir);
	qsort(*paths, *n, sizeof(**paths), name_cmp);
	return 0;
}

int
journal_find(const char *what, char **path, char **cause)
{
	char **paths;
	size_t n, hits = 0;

	if (strchr(what, '/') != NULL) {
		*path = xstrdup(what);
		return 0;
	}
	if (journal_list(&paths, &n, cause) != 0)
		return -1;
	*path = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(paths[i], '/') + 1;
		bool hit = strcmp(what, "last") == 0 ? i == 0 :
		    strncmp(base, what, strlen(what)) == 0;
		if (hit && hits++ == 0)
			*path = xstrdup(paths[i]);
		else if (hit && hits == 2) {
			free(*path);
			*path = NULL;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	if (hits == 1)
		return 0;
	char *e = text_escape_str(what, strlen(what), 60);
	*cause = hits == 0 ? xasprintf("no session '%s' (see hubassoc history)", e) :
	    xasprintf("'%s' names %zu sessions: give more of the ID", e, hits);
	free(e);
	return -1;
}

int
journal_peek(const char *path, struct journal_meta *m, char **cause)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct stat st;

	memset(m, 0, sizeof(*m));
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	len = getline(&line, &cap, f);
	cJSON *h = len > 0 ? cJSON_ParseWithLength(line, (size_t)len) : NULL;
	if (h == NULL || read_header(h, m, cause) != 0) {
		if (*cause == NULL)
			*cause = xasprintf("%s: not a hubassoc journal", path);
		cJSON_Delete(h);
		free(line);
		fclose(f);
		journal_meta_free(m);
		return -1;
	}
	m->counts[OUTCOME_PENDING] = get_num(h, "rows");
	m->sends = 1;
	cJSON_Delete(h);
	/* The last progress or end record says where it stands. */
	if (fstat(fileno(f), &st) == 0 && st.st_size > 262144)
		fseek(f, st.st_size - 262144, SEEK_SET);
	while ((len = getline(&line, &cap, f)) > 0) {
		if (strstr(line, "\"t\":\"progress\"") == NULL &&
		    strstr(line, "\"t\":\"end\"") == NULL &&
		    strstr(line, "\"t\":\"resume\"") == NULL &&
		    strncmp(line, RESEND_HEAD, sizeof(RESEND_HEAD) - 1) != 0)
			continue;
		cJSON *rec = cJSON_ParseWithLength(line, (size_t)len);
		if (rec == NULL)
			continue;
		/* The words may be inside a body: only the record's kind counts. */
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "t");
		uint64_t send = get_num(rec, "send");
		if (send > m->sends && send <= SESSION_SENDS_MAX)
			m->sends = (unsigned)send;
		if (!cJSON_IsString(t)) {
			/* not a record of ours */
		} else if (strcmp(t->valuestring, "resume") == 0 ||
		    strcmp(t->valuestring, "resend") == 0) {
			m->ended = false;
		} else if (strcmp(t->valuestring, "progress") == 0 ||
		    strcmp(t->valuestring, "end") == 0) {
			read_counts(rec, m);
			if (strcmp(t->valuestring, "end") == 0) {
				free(m->state);
				m->state = get_str(rec, "state");
				m->exit_status = (int)get_num(rec, "exit");
				m->ended = true;
			}
		}
		cJSON_Delete(rec);
	}
	free(line);
	fclose(f);
	if (!m->ended) {
		/* Killed, still sending, or a working set not sent yet: its
		 * progress records lag behind its outcomes, or it has none, so
		 * the counts come from reading it whole. */
		struct session s;
		char *c = NULL;
		free(m->state);
		m->state = NULL;
		if (journal_load(path, &s, &c) == 0) {
			memcpy(m->counts, s.out.count, sizeof(m->counts));
			m->sends = s.meta.sends;
			if (m->from_path == NULL && s.meta.from_path != NULL)
				m->from_path = xstrdup(s.meta.from_path);
			if (m->to_path == NULL && s.meta.to_path != NULL)
				m->to_path = xstrdup(s.meta.to_path);
			if (s.nsends == 0 && s.meta.state != NULL)
				m->state = xstrdup(s.meta.state);
			session_free(&s);
		}
		free(c);
		if (m->state == NULL)
			m->state = xstrdup("unfinished");
	}
	return 0;
}
