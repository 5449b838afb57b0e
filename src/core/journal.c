/* journal.c: the journal's writer: sessions on disk, written before and
 * after every request.  Its records of a send as it goes are
 * journal_send_rec.c's; its reader is journal_read.c, its scanner
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
#include "hubassoc/key.h"
#include "hubassoc/text.h"
#include "hubassoc/version.h"

void
journal_meta_free(struct journal_meta *m)
{
	free(m->id);
	free(m->created);
	free(m->sent_at);
	free(m->profile);
	free(m->base_url);
	free(m->api_version);
	free(m->input_name);
	free(m->columns);
	free(m->types);
	free(m->from_path);
	free(m->to_path);
	free(m->state);
	free(m->replace);
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

int
journal_write_line(struct journal *j, bool sync)
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

int
journal_append(struct journal *j, const char *record, size_t len, bool sync)
{
	if (journal_end_cut(j) != 0)
		return -1;
	buf_add(&j->line, record, len);
	return journal_write_line(j, sync);
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

void
journal_add_rows(struct buf *b, const uint32_t *rows, size_t n)
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

void
journal_add_counts(struct buf *b, const struct outcomes *o)
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
			if (journal_write_line(j, false) != 0)
				return -1;
			n = 0;
		}
	}
	if (n > 0) {
		buf_addstr(b, "]}");
		return journal_write_line(j, false);
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
		x->rc = journal_write_line(x->j, false);
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
			if (journal_write_line(j, false) != 0)
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
	if (meta->sent_at != NULL)
		add_str(b, "sent_at", meta->sent_at);
	add_str(b, "hubassoc", HUBASSOC_VERSION);
	add_str(b, "profile", meta->profile);
	add_str(b, "base_url", meta->base_url);
	if (meta->sandbox != 0)
		buf_printf(b, ",\"sandbox\":%s", meta->sandbox > 0 ? "true" : "false");
	add_str(b, "api_version", meta->api_version);
	/* A row of its edited in the terminal is its edit record, made at
	 * once (session_edit_row): retry sends it as it reads. */
	buf_addstr(b, ",\"edits\":\"journaled\"");
}

struct journal *
journal_create_draft(struct journal_meta *meta, char **cause)
{
	struct journal *j = new_file(meta, cause);

	if (j == NULL)
		return NULL;
	add_meta(&j->line, meta);
	buf_addstr(&j->line, ",\"draft\":true}");
	if (journal_write_line(j, true) == 0)
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
		/* A row added since that waits for a send is one to send, as
		 * its plan made it (its add record says so; no send holds it
		 * until one names it). */
		enum plan_state st = p->state[i] == PLAN_EARLIER ? PLAN_SEND :
		    (enum plan_state)p->state[i];
		buf_printf(b, "[%u,\"%s\",\"%s\",%u,%u,\"%s\",%u", r->line,
		    journal_row_name(ROW_CODE_STATUS, r->status, 0),
		    journal_row_name(ROW_CODE_REASON, r->reason, 0), r->field,
		    r->set, journal_row_name(ROW_CODE_PLAN, st, p->why[i]),
		    st == PLAN_SEND ? (p->state[i] == PLAN_SEND ? p->chunk[i] : 0) :
		    p->other[i]);
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
	if (journal_write_line(j, false) != 0)
		return -1;

	for (size_t first = 0; first < in->nrows; first += ROWS_PER_RECORD) {
		/* As the reader finds them (journal_int.h). */
		buf_printf(b, ROWS_HEAD "%zu", first);
		add_plan_rows(b, in, p, first, first + ROWS_PER_RECORD);
		buf_addc(b, '}');
		if (journal_write_line(j, false) != 0)
			return -1;
	}
	return write_keys(j, in, 0);
}

int
journal_rows_added(struct journal *j, const struct input *in, const struct plan *p,
    size_t first, size_t first_set)
{
	struct buf *b = &j->line;

	if (journal_end_cut(j) != 0)
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
		if (journal_write_line(j, false) != 0)
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
	/* Made before, sent now: send 1 starts now (before: show gave it
	 * the draft's start). */
	char now[32];
	time_iso8601(now, 0);
	free(meta->sent_at);
	meta->sent_at = xstrdup(now);
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
int
journal_end_cut(struct journal *j)
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
	if (journal_end_cut(j) == 0) {
		journal_rec_begin(&j->line, JR_RESUME);
		buf_printf(&j->line, ",\"time\":\"%s\",\"send\":%u}",
		    when, send);
		if (journal_write_line(j, true) == 0)
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
	journal_end_cut(j);
	journal_rec_begin(&j->line, JR_AGREED);
	buf_printf(&j->line, ",\"time\":\"%s\"}", when);
	return journal_write_line(j, true);
}

int
journal_retire(struct journal *j, const uint32_t *rows, size_t n)
{
	journal_end_cut(j);
	journal_rec_begin(&j->line, JR_RETIRE);
	journal_add_rows(&j->line, rows, n);
	buf_addc(&j->line, '}');
	return journal_write_line(j, true);
}

int
journal_sync(struct journal *j)
{
	return j->fd < 0 ? 0 : fsync(j->fd);
}

int
journal_edit(struct journal *j, uint32_t row, const char *text,
    const char *const keys[2])
{
	journal_end_cut(j);
	journal_rec_begin(&j->line, JR_EDIT);
	buf_printf(&j->line, ",\"row\":%u", row);
	add_str(&j->line, "text", text);
	if (key_pair_given(keys)) {
		add_key(&j->line, "keys");
		buf_addc(&j->line, '[');
		json_add_string(&j->line, keys[0] != NULL ? keys[0] : "");
		buf_addc(&j->line, ',');
		json_add_string(&j->line, keys[1] != NULL ? keys[1] : "");
		buf_addc(&j->line, ']');
	}
	buf_addc(&j->line, '}');
	return journal_write_line(j, false);
}

int
journal_resend(struct journal *j, unsigned send, const char *kind,
    const char *only, const uint32_t *rows, size_t n, char **cause)
{
	struct buf *b = &j->line;
	char when[32];

	j->send = send;
	time_iso8601(when, 0);
	if (journal_end_cut(j) == 0) {
		buf_printf(b, RESEND_HEAD ",\"send\":%u", send);
		add_str(b, "time", when);
		add_str(b, "kind", kind);
		add_str(b, "only", only);
		journal_add_rows(b, rows, n);
		buf_addc(b, '}');
		if (journal_write_line(j, true) == 0)
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

/* Appends what b holds to j's file, synced. */
static int
write_all(struct journal *j, const struct buf *b)
{
	if (journal_end_cut(j) != 0)
		return -1;
	for (size_t off = 0; off < b->len;) {
		ssize_t w = write(j->fd, b->data + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	return fsync(j->fd);
}

int
journal_replay(struct journal *j, struct journal *held)
{
	return journal_replay_after(j, held, 0);
}

/* A request's record ({"t":"send","req":N, or an answer's) with N moved by
 * base; any other record as it is. */
static void
add_moved(struct buf *b, const char *line, size_t len, uint64_t base)
{
	size_t n = strncmp(line, SEND_PREFIX, sizeof(SEND_PREFIX) - 1) == 0 ?
	    sizeof(SEND_PREFIX) - 1 : strncmp(line, ANSWER_PREFIX,
	    sizeof(ANSWER_PREFIX) - 1) == 0 ? sizeof(ANSWER_PREFIX) - 1 : 0;
	char *end;
	unsigned long long req = n > 0 ? strtoull(line + n, &end, 10) : 0;

	if (n == 0 || end == line + n) {
		buf_add(b, line, len);
		return;
	}
	buf_add(b, line, n);
	buf_add_uint(b, req + base);
	buf_add(b, end, len - (size_t)(end - line));
}

int
journal_replay_after(struct journal *j, struct journal *held, uint64_t base)
{
	int rc;

	if (held == NULL || held->held.len == 0)
		return 0;
	if (base == 0)
		rc = write_all(j, &held->held);
	else {
		struct buf b = { 0 };
		const char *p = held->held.data, *end = p + held->held.len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
			add_moved(&b, p, len, base);
			p += len;
		}
		rc = write_all(j, &b);
		buf_free(&b);
	}
	buf_reset(&held->held);
	return rc;
}
