/* export.c: writing every row's outcome. */
#include "hubassoc/export.h"
#include "hubassoc/explain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hubassoc/text.h"

int
export_format_parse(const char *s, enum export_format *out)
{
	if (strcmp(s, "jsonl") == 0)
		*out = EXPORT_JSONL;
	else if (strcmp(s, "csv") == 0)
		*out = EXPORT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = EXPORT_JSON;
	else
		return -1;
	return 0;
}

const char *
export_format_name(enum export_format f)
{
	return f == EXPORT_CSV ? "csv" : f == EXPORT_JSON ? "json" : "jsonl";
}

static void
context_json(struct buf *b, const struct hs_error *e, const struct export_src *s,
    size_t row)
{
	buf_addc(b, '{');
	for (size_t i = 0; i < e->ncontext; i++) {
		const struct hs_context *c = &e->context[i];
		bool some = false;

		if (row != SIZE_MAX)
			for (size_t k = 0; k < c->n && !some; k++)
				some = outcome_value_names_row(s->plan, s->in, row, c->key, c->values[k]);
		if (i > 0)
			buf_addc(b, ',');
		json_add_string(b, c->key);
		buf_addstr(b, ":[");
		bool first = true;
		for (size_t k = 0; k < c->n; k++) {
			if (some && !outcome_value_names_row(s->plan, s->in, row, c->key, c->values[k]))
				continue;
			if (!first)
				buf_addc(b, ',');
			json_add_string(b, c->values[k]);
			first = false;
		}
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}

static void
add_member(struct buf *b, const char *key, const char *value)
{
	if (value == NULL)
		return;
	buf_addc(b, ',');
	json_add_string(b, key);
	buf_addc(b, ':');
	json_add_string(b, value);
}

void
export_error_json(struct buf *b, const struct hs_error *e,
    const struct export_src *s, size_t row)
{
	buf_addstr(b, "{\"category\":");
	if (e->category != NULL)
		json_add_string(b, e->category);
	else if (e->policy_name != NULL)
		json_add_string(b, e->policy_name);
	else
		buf_addstr(b, "null");
	buf_addstr(b, ",\"message\":");
	if (e->message != NULL)
		json_add_string(b, e->message);
	else
		buf_addstr(b, "null");
	buf_addstr(b, ",\"context\":");
	context_json(b, e, s, row);
	add_member(b, "subCategory", e->sub_category);
	add_member(b, "correlationId", e->correlation_id);
	if (e->nerrors > 0) {
		buf_addstr(b, ",\"errors\":[");
		for (size_t i = 0; i < e->nerrors; i++) {
			if (i > 0)
				buf_addc(b, ',');
			export_error_json(b, &e->errors[i], s, row);
		}
		buf_addc(b, ']');
	}
	buf_addc(b, '}');
}

void
export_pre_types(struct buf *b, const struct pre_type *t, size_t n, bool json)
{
	if (json)
		buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		struct assoc_spec spec = { .cat = t[i].cat, .type_id = t[i].type_id };
		if (i > 0)
			buf_addc(b, json ? ',' : ';');
		if (json)
			buf_addc(b, '"');
		assoc_spec_format(b, &spec);
		if (json)
			buf_addc(b, '"');
	}
	if (json)
		buf_addc(b, ']');
}

void
export_types(struct buf *b, const struct input *in, const struct plan *p,
    const struct prestate *pre, size_t row, bool json)
{
	const struct input_row *r = &in->rows[row];
	const struct plan_types *t = &p->types[r->set];
	const struct input_set *set = &in->sets[r->set];
	const struct assoc_spec *specs = t->ok ? t->specs : set->specs;
	size_t count = t->ok ? t->n : set->n;

	/* A remove names no types: it takes the pair whole, with what its
	 * pair held when the preflight read it, which it lists (before:
	 * nothing, and an export could not say what a remove took off). */
	if (p->op == PLAN_OP_REMOVE && count == 0 && pre != NULL && row < pre->n) {
		export_pre_types(b, pre->rows[row].types, pre->rows[row].ntypes, json);
		return;
	}
	if (json)
		buf_addc(b, '[');
	for (size_t i = 0; i < count; i++) {
		const struct assoc_spec *spec = &specs[i];
		if (i > 0)
			buf_addc(b, json ? ',' : ';');
		if (spec->cat == ASSOC_CAT_LABEL && json)
			json_add_string(b, spec->label);
		else if (spec->cat == ASSOC_CAT_LABEL)
			buf_addstr(b, spec->label);
		else if (json) {
			buf_addc(b, '"');
			assoc_spec_format(b, spec);
			buf_addc(b, '"');
		} else
			assoc_spec_format(b, spec);
	}
	if (json)
		buf_addc(b, ']');
}

void
export_begin(struct buf *b, enum export_format f, const struct export_src *s)
{
	if (f == EXPORT_CSV)
		buf_printf(b, "line,from,to,types,outcome,http_status,chunk,labels,"
		    "error_category,error_message,error_context,duplicate_of,send,"
		    "attempts,source,duplicate_source%s\n", s->names != NULL ?
		    ",from_key,from_name,to_key,to_name" : "");
	else if (f == EXPORT_JSON)
		buf_addstr(b, "[\n");
}

void
export_end(struct buf *b, enum export_format f)
{
	if (f == EXPORT_JSON)
		buf_addstr(b, "\n]\n");
}

/* A row's fields, as both formats give them. */
struct row_fields {
	const struct input_row *r;
	enum outcome state;
	const struct hs_error *e;        /* its error, or NULL */
	struct hs_error scratch;
	const struct outcome_labels *labels;
	uint32_t chunk, line, dup;       /* dup: the line it repeats, or 0 */
	unsigned send, tries;
	const char *source, *dsource;    /* with several: theirs */
};

static void
row_fields(const struct export_src *s, size_t row, struct row_fields *x)
{
	const struct outcomes *o = s->out;

	x->r = &s->in->rows[row];
	x->state = (enum outcome)o->state[row];
	x->e = explain_error(s->out, s->plan, s->in, row, &x->scratch);
	x->labels = o->labels[row] != 0 ? &o->label_sets[o->labels[row] - 1] : NULL;
	bool sent = s->plan->state[row] == PLAN_SEND;
	x->chunk = s->chunk_of != NULL ? s->chunk_of[row] : s->plan->chunk[row];
	x->send = s->send_of != NULL ? s->send_of[row] : 1;
	x->tries = s->tries != NULL ? s->tries[row] : sent && x->state != OUTCOME_PLANNED;
	/* Lines as their source numbers them; the source named when the
	 * session has several (the terminal's pastes and files), and the
	 * line a repeat repeats by its own (before, a repeat of "paste 1:1"
	 * read as line 1 of its own paste). */
	size_t src, dsrc = SIZE_MAX;
	x->line = input_source_line(s->in, x->r->line, &src);
	x->source = s->in->nsources > 1 && src != SIZE_MAX ? s->in->sources[src].name :
	    NULL;
	x->dup = x->state == OUTCOME_DUPLICATE ? input_source_line(s->in,
	    s->in->rows[s->plan->other[row]].line, &dsrc) : 0;
	x->dsource = x->dup != 0 && s->in->nsources > 1 && dsrc != SIZE_MAX ?
	    s->in->sources[dsrc].name : NULL;
}

static void
csv_row(struct buf *b, const struct export_src *s, size_t row,
    const struct row_fields *x)
{
	const struct input_row *r = x->r;
	const struct hs_error *e = x->e;
	struct buf tmp = BUF_INIT;

	buf_add_uint(b, x->line);
	buf_addc(b, ',');
	csv_add_field(b, input_from(s->in, r));
	buf_addc(b, ',');
	csv_add_field(b, input_to(s->in, r));
	buf_addc(b, ',');
	export_types(&tmp, s->in, s->plan, s->pre, row, false);
	csv_add_field(b, buf_str(&tmp));
	buf_addc(b, ',');
	buf_addstr(b, outcome_word(x->state, s->plan->op));
	buf_addc(b, ',');
	if (s->out->http[row] != 0)
		buf_add_uint(b, s->out->http[row]);
	buf_addc(b, ',');
	if (x->chunk != PLAN_NONE)
		buf_add_uint(b, x->chunk + 1);
	buf_addc(b, ',');
	buf_reset(&tmp);
	for (size_t i = 0; x->labels != NULL && i < x->labels->n; i++) {
		if (i > 0)
			buf_addc(&tmp, ';');
		buf_addstr(&tmp, x->labels->v[i]);
	}
	csv_add_field(b, buf_str(&tmp));
	buf_addc(b, ',');
	if (e != NULL) {
		csv_add_field(b, e->category != NULL ? e->category :
		    e->policy_name != NULL ? e->policy_name : "");
		buf_addc(b, ',');
		csv_add_field(b, e->message != NULL ? e->message : "");
		buf_addc(b, ',');
		buf_reset(&tmp);
		context_json(&tmp, e, s, row);
		csv_add_field(b, buf_str(&tmp));
	} else {
		buf_addstr(b, ",,");
	}
	buf_addc(b, ',');
	if (x->dup != 0)
		buf_add_uint(b, x->dup);
	buf_addc(b, ',');
	buf_add_uint(b, x->send);
	buf_addc(b, ',');
	buf_add_uint(b, x->tries);
	buf_addc(b, ',');
	if (x->source != NULL)
		csv_add_field(b, x->source);
	buf_addc(b, ',');
	if (x->dsource != NULL)
		csv_add_field(b, x->dsource);
	for (int side = 0; s->names != NULL && side < 2; side++) {
		const char *k = input_row_key(s->in, r, side);
		const char *n = names_get(&s->names[side], side == 0 ?
		    input_from(s->in, r) : input_to(s->in, r));
		buf_addc(b, ',');
		csv_add_field(b, k != NULL ? k : "");
		buf_addc(b, ',');
		csv_add_field(b, n != NULL ? n : "");
	}
	buf_addc(b, '\n');
	buf_free(&tmp);
}

/* ,"key":"text" or ,"key":null */
static void
json_str_or_null(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, ",\"%s\":", key);
	if (v != NULL)
		json_add_string(b, v);
	else
		buf_addstr(b, "null");
}

static void
json_row(struct buf *b, enum export_format f, const struct export_src *s,
    size_t row, const struct row_fields *x)
{
	const struct input_row *r = x->r;

	buf_addstr(b, "{\"line\":");
	buf_add_uint(b, x->line);
	buf_addstr(b, ",\"from\":");
	json_add_string(b, input_from(s->in, r));
	buf_addstr(b, ",\"to\":");
	json_add_string(b, input_to(s->in, r));
	buf_addstr(b, ",\"types\":");
	export_types(b, s->in, s->plan, s->pre, row, true);
	buf_addstr(b, ",\"outcome\":\"");
	buf_addstr(b, outcome_word(x->state, s->plan->op));
	buf_addstr(b, "\",\"http_status\":");
	if (s->out->http[row] != 0)
		buf_add_uint(b, s->out->http[row]);
	else
		buf_addstr(b, "null");
	buf_addstr(b, ",\"chunk\":");
	if (x->chunk != PLAN_NONE)
		buf_add_uint(b, x->chunk + 1);
	else
		buf_addstr(b, "null");
	buf_addstr(b, ",\"labels\":[");
	for (size_t i = 0; x->labels != NULL && i < x->labels->n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		json_add_string(b, x->labels->v[i]);
	}
	buf_addstr(b, "],\"error\":");
	if (x->e != NULL)
		export_error_json(b, x->e, s, row);
	else
		buf_addstr(b, "null");
	if (x->dup != 0) {
		buf_addstr(b, ",\"duplicate_of\":");
		buf_add_uint(b, x->dup);
	}
	/* Last, after the fields design.md fixes. */
	buf_addstr(b, ",\"send\":");
	buf_add_uint(b, x->send);
	buf_addstr(b, ",\"attempts\":");
	buf_add_uint(b, x->tries);
	if (x->source != NULL)
		json_str_or_null(b, "source", x->source);
	if (x->dsource != NULL)
		json_str_or_null(b, "duplicate_source", x->dsource);
	for (int side = 0; s->names != NULL && side < 2; side++) {
		const char *k = input_row_key(s->in, r, side);
		const char *n = r->status == ROW_VALID ? names_get(&s->names[side],
		    side == 0 ? input_from(s->in, r) : input_to(s->in, r)) : NULL;
		json_str_or_null(b, side == 0 ? "from_key" : "to_key", k);
		json_str_or_null(b, side == 0 ? "from_name" : "to_name", n);
	}
	buf_addstr(b, f == EXPORT_JSONL ? "}\n" : "}");
}

void
export_row(struct buf *b, enum export_format f, const struct export_src *s,
    size_t row)
{
	struct row_fields x;

	row_fields(s, row, &x);
	if (f == EXPORT_CSV)
		csv_row(b, s, row, &x);
	else
		json_row(b, f, s, row, &x);
	explain_error_done(x.e, &x.scratch);
}

static int
write_all(int fd, const char *p, size_t n, char **cause)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("write failed: %s", strerror(errno));
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
export_write_fd(int fd, enum export_format f, const struct export_src *s,
    char **cause)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	export_begin(&b, f, s);
	for (size_t i = 0; i < s->in->nrows && rc == 0; i++) {
		if (f == EXPORT_JSON && i > 0)
			buf_addstr(&b, ",\n");
		export_row(&b, f, s, i);
		if (b.len >= (1 << 20)) {
			rc = write_all(fd, b.data, b.len, cause);
			buf_reset(&b);
		}
	}
	export_end(&b, f);
	if (rc == 0)
		rc = write_all(fd, b.data, b.len, cause);
	buf_free(&b);
	return rc;
}

/* Opens path for writing; regular_only refuses anything but a regular
 * file (or none yet), which is then written as a temporary beside it. */
static int
open_out(struct export_out *o, const char *path, bool regular_only, char **cause)
{
	struct stat st;

	o->fd = -1;
	o->path = xstrdup(path);
	o->tmp = NULL;
	if (strcmp(path, "-") == 0 && !regular_only) {
		o->fd = STDOUT_FILENO;
		return 0;
	}
	bool other = lstat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    (regular_only || stat(path, &st) != 0 || !S_ISREG(st.st_mode));
	if (other && regular_only) {
		*cause = xasprintf("%s is not a regular file (%s): give a file's name",
		    path, S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ?
		    "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" : "a device or socket");
		free(o->path);
		o->path = NULL;
		return -1;
	}
	if (other) {
		/* /dev/stderr, a pipe: written as it is. */
		o->fd = open(path, O_WRONLY | O_CLOEXEC);
	} else {
		const char *slash = strrchr(path, '/');
		o->tmp = slash != NULL ? xasprintf("%.*s/.%s.hubassoc-XXXXXX",
		    (int)(slash - path), path, slash + 1) :
		    xasprintf(".%s.hubassoc-XXXXXX", path);
		o->fd = mkostemp(o->tmp, O_CLOEXEC);   /* 0600 */
	}
	if (o->fd < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		free(o->path);
		o->path = NULL;
		return -1;
	}
	return 0;
}

int
export_open(struct export_out *o, const char *path, char **cause)
{
	return open_out(o, path, false, cause);
}

int
export_open_file(struct export_out *o, const char *path, char **cause)
{
	return open_out(o, path, true, cause);
}

int
export_write_text(int fd, const void *text, char **cause)
{
	const struct buf *b = text;

	return write_all(fd, b->data != NULL ? b->data : "", b->len, cause);
}

void
export_abandon(struct export_out *o)
{
	if (o->path == NULL)
		return;
	if (o->fd >= 0 && o->fd != STDOUT_FILENO)
		close(o->fd);
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->fd = -1;
	o->tmp = o->path = NULL;
}

struct records {
	enum export_format f;
	const struct export_src *s;
};

static int
write_records(int fd, const void *arg, char **cause)
{
	const struct records *r = arg;

	return export_write_fd(fd, r->f, r->s, cause);
}

int
export_finish(struct export_out *o, enum export_format f,
    const struct export_src *s, char **cause)
{
	struct records r = { f, s };

	return export_finish_with(o, write_records, &r, cause);
}

int
export_finish_with(struct export_out *o, int (*write)(int fd, const void *arg,
    char **cause), const void *arg, char **cause)
{
	char *why = NULL;
	int rc = write(o->fd, arg, &why);

	if (o->fd != STDOUT_FILENO) {
		if (close(o->fd) != 0 && rc == 0) {
			why = xstrdup(strerror(errno));
			rc = -1;
		}
		o->fd = -1;
	}
	if (rc == 0 && o->tmp != NULL) {
		if (rename(o->tmp, o->path) == 0) {
			free(o->tmp);
			o->tmp = NULL;
		} else {
			why = xstrdup(strerror(errno));
			rc = -1;
		}
	}
	if (rc != 0) {
		*cause = xasprintf("%s: %s", o->path, why);
		free(why);
	}
	export_abandon(o);
	return rc;
}

int
export_write_path(const char *path, enum export_format f,
    const struct export_src *s, char **cause)
{
	struct export_out o;

	if (export_open(&o, path, cause) != 0)
		return -1;
	return export_finish(&o, f, s, cause);
}
