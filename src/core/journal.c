/* journal.c: the journal's writer: sessions on disk, written before and
 * after every request.  Its reader is journal_read.c, its scanner
 * journal_scan.c, its listing journal_list.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal_int.h"
#include "hubassoc/names.h"
#include "hubassoc/config.h"
#include "hubassoc/preflight.h"
#include "hubassoc/text.h"
#include "hubassoc/version.h"

struct journal {
	int fd;            /* -1: held in memory (journal_held) */
	char *path;
	struct buf line;
	struct buf held;   /* a held journal's lines, until journal_replay */
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
	free(m->columns);
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
	if (j->fd < 0) {
		buf_add(&j->held, p, n);
		buf_reset(&j->line);
		return 0;
	}
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
	json_add_member(b, key, v);
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
/* The keys rows were looked up by, beside their IDs: keys records after
 * the rows, [row, FROM's key, TO's key] ("" for an ID). */
static int
write_keys(struct journal *j, const struct input *in, size_t first)
{
	struct buf *b = &j->line;
	size_t n = 0;

	for (size_t i = first; i < in->nrows; i++) {
		const struct input_row *r = &in->rows[i];
		const char *k[2];
		if (!(r->flags & INPUT_ROW_KEYS))
			continue;
		if (n == 0) {
			journal_rec_begin(b, JR_KEYS);
			buf_addstr(b, ",\"rows\":[");
		}
		buf_printf(b, "%s[%zu", n > 0 ? "," : "", i);
		for (int side = 0; side < 2; side++) {
			k[side] = input_row_key(in, r, side);
			buf_addc(b, ',');
			json_add_string(b, k[side] != NULL ? k[side] : "");
		}
		buf_addc(b, ']');
		if (++n == JOURNAL_PRESTATE_BLOCK) {
			buf_addstr(b, "]}");
			if (write_line(j, false) != 0)
				return -1;
			n = 0;
		}
	}
	if (n > 0) {
		buf_addstr(b, "]}");
		return write_line(j, false);
	}
	return 0;
}

struct names_rec {
	struct journal *j;
	int side;
	size_t n;
	int rc;
};

static void
add_name(void *arg, const char *id, const char *name)
{
	struct names_rec *x = arg;
	struct buf *b = &x->j->line;

	if (x->rc != 0)
		return;
	if (x->n == 0) {
		journal_rec_begin(b, JR_NAMES);
		buf_printf(b, ",\"side\":\"%s\",\"names\":{",
		    x->side == 0 ? "from" : "to");
	}
	buf_addstr(b, x->n > 0 ? "," : "");
	json_add_string(b, id);
	buf_addc(b, ':');
	json_add_string(b, name);
	if (++x->n == JOURNAL_PRESTATE_BLOCK) {
		buf_addstr(b, "}}");
		x->rc = write_line(x->j, false);
		x->n = 0;
	}
}

int
journal_names(struct journal *j, const struct names *names)
{
	for (int side = 0; side < 2; side++) {
		struct names_rec x = { j, side, 0, 0 };
		names_each(&names[side], add_name, &x);
		if (x.rc != 0)
			return -1;
		if (x.n > 0) {
			buf_addstr(&j->line, "}}");
			if (write_line(j, false) != 0)
				return -1;
		}
	}
	return 0;
}

static void
add_meta(struct buf *b, const struct journal_meta *meta)
{
	journal_rec_begin(b, JR_SESSION);
	buf_printf(b, ",\"v\":%d", meta->op != PLAN_OP_CREATE ?
	    JOURNAL_VERSION : JOURNAL_VERSION_CREATE);
	add_str(b, "id", meta->id);
	add_str(b, "created", meta->created);
	add_str(b, "hubassoc", HUBASSOC_VERSION);
	add_str(b, "profile", meta->profile);
	add_str(b, "base_url", meta->base_url);
	if (meta->sandbox != 0)
		buf_printf(b, ",\"sandbox\":%s", meta->sandbox > 0 ? "true" : "false");
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

/* ,"sets":[...]: the input's sets from first on that p resolved, with
 * their types (an edit made after p may have added one: its record has
 * it). */
static void
add_sets(struct buf *b, const struct input *in, const struct plan *p, size_t first)
{
	add_key(b, "sets");
	buf_addc(b, '[');
	for (size_t s = first; s < in->nsets && s < p->ntypes; s++) {
		const struct plan_types *t = &p->types[s];
		if (s > first)
			buf_addc(b, ',');
		buf_addstr(b, "{\"text\":");
		json_add_string(b, in->sets[s].text);
		add_key(b, "resolved");
		if (t->ok)
			add_specs(b, t->specs, t->n);
		else
			buf_addstr(b, "null");
		add_num(b, "canon", t->canon);
		add_str(b, "type_error", t->error);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* ,"rows":[...]: rows [first, end) with their plan (a row to send with
 * its chunk, a duplicate or a conflict with the other row). */
static void
add_plan_rows(struct buf *b, const struct input *in, const struct plan *p,
    size_t first, size_t end)
{
	if (end > in->nrows)
		end = in->nrows;
	buf_addstr(b, ",\"rows\":[");
	for (size_t i = first; i < end; i++) {
		const struct input_row *r = &in->rows[i];
		if (i > first)
			buf_addc(b, ',');
		buf_printf(b, "[%u,\"%s\",\"%s\",%u,%u,\"%s\",%u", r->line,
		    journal_row_name(ROW_CODE_STATUS, r->status, 0),
		    journal_row_name(ROW_CODE_REASON, r->reason, 0), r->field,
		    r->set, journal_row_name(ROW_CODE_PLAN, p->state[i], p->why[i]),
		    p->state[i] == PLAN_SEND ? p->chunk[i] : p->other[i]);
		journal_add_row_texts(b, in, r);
	}
	buf_addc(b, ']');
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
	if (meta->columns != NULL)
		add_str(b, "columns", meta->columns);
	if (meta->preflight)
		buf_addstr(b, ",\"preflight\":true");
	if (meta->op != PLAN_OP_CREATE)
		add_str(b, "op", plan_op_name(meta->op));
	if (p->op == PLAN_OP_RELABEL) {
		add_key(b, "replace");
		if (p->relabel.all)
			json_add_string(b, "all");
		else
			add_specs(b, p->relabel.replace, p->relabel.nreplace);
		if (p->relabel.create_missing)
			buf_addstr(b, ",\"create_missing\":true");
	}
	add_num(b, "chunk_size", p->chunk_size);
	add_num(b, "rows", in->nrows);
	add_num(b, "lines", in->lines);
	add_num(b, "header_line", in->header_line);
	journal_add_sources(b, in);
	add_sets(b, in, p, 0);
	buf_addc(b, '}');
	if (write_line(j, false) != 0)
		return -1;

	for (size_t first = 0; first < in->nrows; first += ROWS_PER_RECORD) {
		/* As the reader finds them (journal_int.h). */
		buf_printf(b, ROWS_HEAD "%zu", first);
		add_plan_rows(b, in, p, first, first + ROWS_PER_RECORD);
		buf_addc(b, '}');
		if (write_line(j, false) != 0)
			return -1;
	}
	return write_keys(j, in, 0);
}

int
journal_rows_added(struct journal *j, const struct input *in, const struct plan *p,
    size_t first, size_t first_set)
{
	struct buf *b = &j->line;

	if (end_cut_line(j) != 0)
		return -1;
	for (size_t at = first; at < in->nrows; at += ROWS_PER_RECORD) {
		journal_rec_begin(b, JR_ADD);
		buf_printf(b, ",\"first\":%zu", at);
		/* The sources and the sets new to the session, with the first
		 * of its rows. */
		if (at == first) {
			add_num(b, "lines", in->lines);
			journal_add_sources(b, in);
		}
		if (at == first && first_set < in->nsets && first_set < p->ntypes)
			add_sets(b, in, p, first_set);
		add_plan_rows(b, in, p, at, at + ROWS_PER_RECORD);
		buf_addc(b, '}');
		if (write_line(j, false) != 0)
			return -1;
	}
	if (write_keys(j, in, first) != 0)
		return -1;
	return fsync(j->fd);
}

void
journal_add_row_texts(struct buf *b, const struct input *in,
    const struct input_row *r)
{
	buf_addc(b, ',');
	json_add_string(b, input_from(in, r));
	buf_addc(b, ',');
	json_add_string(b, input_to(in, r));
	buf_addc(b, ',');
	json_add_string(b, input_detail(in, r));
	buf_addc(b, ']');
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
		    (journal_rec_of(line, (size_t)len) == JR_PAIRS ||
		    journal_rec_of(line, (size_t)len) == JR_CHOICE) &&
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

bool
journal_in_use(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool held = false;

	if (fd < 0)
		return false;
	/* Shared: it is refused only while another holds it to write. */
	held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
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
		int err = errno;      /* kept for the caller: EWOULDBLOCK, held */
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
		errno = err;
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

	if (j->fd >= 0 && fstat(j->fd, &st) == 0 && st.st_size > 0) {
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
		journal_rec_begin(&j->line, JR_RESUME);
		buf_printf(&j->line, ",\"time\":\"%s\",\"send\":%u}",
		    when, send);
		if (write_line(j, true) == 0)
			return 0;
	}
	*cause = xasprintf("cannot write %s: %s", j->path, strerror(errno));
	return -1;
}

int
journal_agreed(struct journal *j)
{
	char when[32];

	time_iso8601(when, 0);
	end_cut_line(j);
	journal_rec_begin(&j->line, JR_AGREED);
	buf_printf(&j->line, ",\"time\":\"%s\"}", when);
	return write_line(j, true);
}

int
journal_retire(struct journal *j, const uint32_t *rows, size_t n)
{
	end_cut_line(j);
	journal_rec_begin(&j->line, JR_RETIRE);
	add_rows(&j->line, rows, n);
	buf_addc(&j->line, '}');
	return write_line(j, true);
}

int
journal_edit(struct journal *j, uint32_t row, const char *text)
{
	end_cut_line(j);
	journal_rec_begin(&j->line, JR_EDIT);
	buf_printf(&j->line, ",\"row\":%u", row);
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
		buf_printf(b, RESEND_HEAD ",\"send\":%u", send);
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
	buf_free(&j->held);
	free(j);
}

struct journal *
journal_held(void)
{
	struct journal *j = xcalloc(1, sizeof(*j));

	j->fd = -1;
	return j;
}

int
journal_replay(struct journal *j, struct journal *held)
{
	int rc = 0;

	if (held == NULL || held->held.len == 0)
		return 0;
	if (end_cut_line(j) != 0)
		return -1;
	for (size_t off = 0; off < held->held.len && rc == 0;) {
		ssize_t w = write(j->fd, held->held.data + off, held->held.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			rc = -1;
		else
			off += (size_t)w;
	}
	if (rc == 0 && fsync(j->fd) != 0)
		rc = -1;
	buf_reset(&held->held);
	return rc;
}

/* A request's record: what it is (a create when kind is NULL), where it
 * goes (a create's and a read-back's are the session's own paths), its
 * rows and its body, synced before it leaves. */
static int
request_record(struct journal *j, uint64_t req, const char *kind,
    const char *method, const char *path, uint32_t chunk, unsigned attempt,
    const uint32_t *rows, size_t n, const char *body)
{
	struct buf *b = &j->line;
	char at[32];

	time_iso8601(at, 1);
	buf_addstr(b, SEND_PREFIX);
	buf_add_uint(b, req);
	add_str(b, "at", at);
	if (kind != NULL)
		add_str(b, "kind", kind);
	if (path != NULL) {
		add_str(b, "method", method);
		add_str(b, "path", path);
	}
	add_num(b, "chunk", chunk);
	add_num(b, "attempt", attempt);
	add_rows(b, rows, n);
	/* The body is our own JSON: kept as it went. */
	add_key(b, "body");
	buf_addstr(b, body != NULL ? body : "null");
	buf_addc(b, '}');
	return write_line(j, true);
}

int
journal_send(struct journal *j, uint64_t req, const char *kind, uint32_t chunk,
    unsigned attempt, const uint32_t *rows, size_t n, const char *body)
{
	return request_record(j, req, kind, NULL, NULL, chunk, attempt, rows, n, body);
}

int
journal_call(struct journal *j, uint64_t req, const char *kind, const char *method,
    const char *path, unsigned attempt, const char *body)
{
	return request_record(j, req, kind, method, path, 0, attempt, NULL, 0, body);
}

static void
add_pre_types(struct buf *b, const struct pre_type *t, size_t n)
{
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s\"%s:%u\"", i ? "," : "",
		    assoc_category_name(t[i].cat), t[i].type_id);
	buf_addc(b, ']');
}

int
journal_prestate(struct journal *j, const struct prestate *p, const uint32_t *rows,
    size_t n)
{
	for (size_t i = 0; i < n; i += JOURNAL_PRESTATE_BLOCK) {
		struct buf *b = &j->line;
		size_t end = n - i < JOURNAL_PRESTATE_BLOCK ? n : i + JOURNAL_PRESTATE_BLOCK;
		journal_rec_begin(b, JR_PRESTATE);
		buf_addstr(b, ",\"rows\":[");
		for (size_t k = i; k < end; k++) {
			const struct pre_row *r = &p->rows[rows[k]];
			buf_printf(b, "%s[%u,\"%s\",", k > i ? "," : "", rows[k],
			    pre_class_name((enum pre_class)r->cls));
			add_pre_types(b, r->types, r->ntypes);
			if (r->holder != NULL) {
				buf_addc(b, ',');
				json_add_string(b, r->holder);
				buf_printf(b, ",%u,", r->owner);
				add_pre_types(b, r->holder_types, r->nholder_types);
			}
			buf_addc(b, ']');
		}
		buf_addstr(b, "]}");
		if (write_line(j, end == n) != 0)
			return -1;
	}
	return 0;
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

	journal_rec_begin(b, JR_WARNING);
	buf_printf(b, ",\"req\":%llu", (unsigned long long)req);
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
		journal_rec_begin(b, JR_ERROR);
		buf_printf(b, ",\"n\":%zu,\"chunk\":%u,\"http\":%u,"
		    "\"local\":%s,\"error\":", e + 1, oe->chunk, oe->http_status,
		    oe->local ? "true" : "false");
		hs_error_json(b, oe->error);
		buf_addc(b, '}');
		if (write_line(j, false) != 0)
			return -1;
	}
	for (size_t l = first_labels; l < o->nlabel_sets; l++) {
		journal_rec_begin(b, JR_LABELS);
		buf_printf(b, ",\"n\":%zu,\"v\":[", l + 1);
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
		buf_addstr(b, OUTCOMES_HEAD);
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
	journal_rec_begin(&j->line, JR_PROGRESS);
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
	journal_rec_begin(&j->line, JR_END);
	add_str(&j->line, "time", when);
	add_str(&j->line, "state", state);
	add_num(&j->line, "exit", (uint64_t)exit_status);
	add_num(&j->line, "send", j->send);
	add_counts(&j->line, o);
	buf_addc(&j->line, '}');
	return write_line(j, true);
}

