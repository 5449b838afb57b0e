/* create.c: hubassoc create (and check, remove, relabel), planned and sent. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "create.h"
#include "hubassoc/assoctype.h"
#include "hubassoc/check.h"
#include "hubassoc/export.h"
#include "hubassoc/input.h"
#include "hubassoc/op.h"
#include "hubassoc/objtype.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/request.h"
#include "hubassoc/text.h"

#define SHOW_REASONS 10

static void
warn_flags(const struct plan *p)
{
	unsigned flags = 0;
	int owner = 1;

	for (size_t s = 0; s < p->ntypes; s++)
		for (size_t i = 0; p->types[s].ok && i < p->types[s].n; i++) {
			const struct assoc_spec *x = &p->types[s].specs[i];
			unsigned f = assoc_spec_flags(x, &p->from, &p->to);
			if (f & ASSOC_F_PRIMARY)
				owner = assoc_spec_owner(x, &p->from, &p->to);
			flags |= f;
		}
	/* The record that has one: a contact's primary company, whichever
	 * way the pairs run. */
	if (flags & ASSOC_F_PRIMARY)
		fprintf(stderr, "  warning    each %s has one primary %s: writing "
		    "Primary moves it, and the old one stays associated, unlabeled\n",
		    objtype_singular(owner == 1 ? &p->from : &p->to),
		    objtype_singular(owner == 1 ? &p->to : &p->from));
	if (flags & ASSOC_F_SINGLE_PARENT)
		fprintf(stderr, "  warning    a company has one parent: writing it "
		    "replaces the parent a company had\n");
}

static void
print_plan(bool dry, const struct input *in, const struct plan *p,
    const struct assoc_labels *labels, const char *labels_note)
{
	char a[32], b[32], c[32];
	size_t shown = 0;
	struct buf m = BUF_INIT;

	cli_say("%s%s (%s) to %s (%s)%s", dry ? "dry run, " : "",
	    objtype_name(&p->from), p->from.id[0] ? p->from.id : "custom",
	    objtype_name(&p->to), p->to.id[0] ? p->to.id : "custom",
	    dry ? "; nothing is sent" : "");
	for (size_t i = 0; i < p->types[0].n; i++) {
		buf_reset(&m);
		assoc_spec_describe(&m, &p->types[0].specs[i], &p->from, &p->to, labels);
		fputs(i == 0 ? "  types      " : "             ", stderr);
		cli_print_safe(buf_str(&m));
		fputc('\n', stderr);
	}
	/* What a relabel gives it in place of (before: unsaid until show). */
	if (p->op == PLAN_OP_RELABEL) {
		buf_reset(&m);
		if (p->relabel.all)
			buf_addstr(&m, "every label");
		for (size_t i = 0; i < p->relabel.nreplace; i++) {
			buf_addstr(&m, i > 0 ? "; " : "");
			assoc_spec_describe(&m, &p->relabel.replace[i], &p->from, &p->to,
			    labels);
		}
		if (m.len == 0)
			buf_addstr(&m, "none: the label added beside the others");
		if (p->relabel.create_missing)
			buf_addstr(&m, "; pairs not there created");
		cli_print_line("  replaces   ", buf_str(&m));
	}
	if (labels_note != NULL) {
		fputs("  labels     ", stderr);
		cli_print_safe(labels_note);
		fputc('\n', stderr);
	}
	if (p->op == PLAN_OP_CREATE)    /* what a create moves; a remove warns itself */
		warn_flags(p);
	fprintf(stderr, "  rows       %s from %s line%s", fmt_count(a, in->nrows),
	    fmt_count(b, in->lines), in->lines == 1 ? "" : "s");
	if (in->header_line != 0)
		fprintf(stderr, " (header on line %u)", in->header_line);
	if (in->blank + in->comments > 0)
		fprintf(stderr, ", %s blank or comment", fmt_count(c,
		    in->blank + in->comments));
	fputc('\n', stderr);
	if (in->columns_note != NULL) {
		fputs("  columns    ", stderr);
		cli_print_safe(in->columns_note);
		fputc('\n', stderr);
	}
	fprintf(stderr, "  valid      %s, in %s request%s of up to %zu inputs\n",
	    fmt_count(a, p->nsend), fmt_count(b, p->nchunks),
	    p->nchunks == 1 ? "" : "s", p->chunk_size);
	/* The rows left out for themselves, then those for a conflict. */
	for (int conflicts = 0; conflicts < 2; conflicts++) {
		size_t n = 0;
		for (size_t i = 0; i < in->nrows; i++)
			n += p->state[i] == PLAN_INVALID &&
			    plan_row_conflicts(p, in, i) == (conflicts == 1);
		if (conflicts == 1 && n == 0)
			break;
		fprintf(stderr, "  %s  %s\n", conflicts ? "conflicts" : "invalid  ",
		    fmt_count(a, n));
		shown = 0;
		for (size_t i = 0; i < in->nrows && shown < SHOW_REASONS; i++) {
			if (p->state[i] != PLAN_INVALID ||
			    plan_row_conflicts(p, in, i) != (conflicts == 1))
				continue;
			buf_reset(&m);
			plan_reason_format(p, in, i, &m);
			fprintf(stderr, "    line %u: ", in->rows[i].line);
			cli_print_safe(buf_str(&m));
			fputc('\n', stderr);
			shown++;
		}
		if (n > shown)
			/* Where every one is written: a refused send writes no
			 * --output (before: "see --output" of no file). */
			fprintf(stderr, "    ... and %s more (--dry-run --output FILE "
			    "lists every row)\n", fmt_count(a, n - shown));
	}
	size_t untyped = 0;
	for (size_t i = 0; i < in->nrows; i++)
		untyped += p->why[i] == INPUT_NO_TYPE;
	if (untyped > 0)
		fprintf(stderr, "    %s row%s without types: give --type SPEC, or "
		    "a third column\n", fmt_count(a, untyped), untyped == 1 ? "" : "s");
	fprintf(stderr, "  duplicate  %s", fmt_count(a, p->nduplicate));
	for (size_t i = 0; i < in->nrows; i++) {
		if (p->state[i] == PLAN_DUPLICATE) {
			fprintf(stderr, " (first: line %u repeats line %u)",
			    in->rows[i].line, in->rows[p->other[i]].line);
			break;
		}
	}
	fputc('\n', stderr);
	if (p->unresolved > 0) {
		char w[64];
		fprintf(stderr, "  labels     %s resolved through the portal when "
		    "sending\n", fmt_counted(w, p->unresolved, "label name"));
	}
	for (size_t i = 0; i < p->nnotes; i++) {
		fprintf(stderr, "  note       ");
		cli_print_safe(p->notes[i]);
		fputc('\n', stderr);
	}
	buf_free(&m);
}

/* Each request as a real send would make it: the same settings (the
 * profile's base URL, API version and chunk). */
static int
print_requests(const struct create_opts *o, const struct settings *set,
    const struct input *in, const struct plan *p)
{
	struct buf path = BUF_INIT, out = BUF_INIT;
	int rc = 0;

	request_assoc_path(&path, set->api, &p->from, &p->to, plan_op_action(p->op));
	for (size_t c = 0; c < p->nchunks; c++) {
		char *cause = NULL;
		char *body = request_create_body(p, in, c, &cause);
		if (body == NULL) {
			cli_error("%s: %s", o->cmd, cause);
			free(cause);
			rc = -1;
			break;
		}
		buf_reset(&out);
		buf_printf(&out, "# request %zu of %zu: POST %s (%u inputs)\n", c + 1,
		    p->nchunks, buf_str(&path), p->chunks[c].count);
		if (o->curl) {
			char *url = xasprintf("%s%s", set->base_url, buf_str(&path));
			request_curl(&out, "POST", url, body);
			free(url);
		} else {
			buf_addstr(&out, body);
			buf_addc(&out, '\n');
		}
		free(body);
		fwrite(out.data, 1, out.len, stdout);
	}
	fflush(stdout);
	buf_free(&path);
	buf_free(&out);
	return rc;
}

struct create_run {
	struct create_opts o;
	struct objtype from, to;
	struct input *in;
	struct assoc_labels labels;
	char *labels_note;
	struct conn conn;
	struct settings set;
	struct names names[2];
	bool connected, have_set, keyed;
	struct journal *lookups;  /* the keys' lookups, held (op_keys_journal) */
	uint64_t lookup_reqs;
};

/*
 * Keys to IDs, before the plan (op_keys): each distinct key once, paced and
 * retried as every request, their records held for the session's journal
 * (x->lookups).  0, or the exit status of what stopped it (nothing is sent
 * then).
 */
static int
look_keys(struct create_run *x)
{
	char *display[2];

	/* A custom object's records are named by its schema's property. */
	cli_display_props(&x->conn, &x->from, &x->to, display);
	struct op *o = op_keys(&x->conn, x->in, &x->from, &x->to,
	    (const char *const *)display, x->names);
	int rc = cli_run_op(&x->conn, o, false, "");

	x->lookups = op_keys_journal(o, &x->lookup_reqs);
	free(display[0]);
	free(display[1]);
	op_free(o);
	return rc;
}

static int
write_output(struct create_opts *o, const struct input *in,
    const struct plan *p, const struct outcomes *out, const struct names *names,
    const struct prestate *pre)
{
	struct export_src src = { in, p, out, NULL, NULL, NULL, names, pre };
	char *cause = NULL;

	if (o->output == NULL)
		return 0;
	if (export_finish(&o->out, o->format, &src, &cause) != 0) {
		cli_error("%s: %s", o->cmd, cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* Sends the plan: a journal, the send (op_send), the summary. */
static int
send_plan(struct create_opts *o, const struct common_opts *common,
    struct conn *c, struct input *in, struct plan *p, const struct names *names,
    struct create_run *x)
{
	struct journal_meta meta = { 0 };
	struct session s = { 0 };
	char *cause = NULL;
	int rc;

	meta.profile = xstrdup(c->prof.name);
	meta.base_url = xstrdup(c->base_url);
	meta.sandbox = c->local != NULL ? 1 : -1;
	meta.api_version = xstrdup(api_version_name(c->api));
	meta.input_name = xstrdup(o->input);
	meta.columns = in->columns_note != NULL ? xstrdup(in->columns_note) : NULL;
	meta.types = xstrdup(buf_str(&o->type_text));
	meta.preflight = !o->no_preflight;
	meta.op = p->op;
	struct journal *j = journal_create(&meta, in, p, &cause);
	if (j == NULL) {
		cli_error("create: cannot start the journal: %s", cause);
		free(cause);
		journal_meta_free(&meta);
		return EXIT_AUTH;
	}
	if (names != NULL && journal_names(j, names) != 0) {
		cli_error("create: the journal could not be written");
		journal_close(j);
		journal_meta_free(&meta);
		return EXIT_AUTH;
	}
	char *said = xasprintf("session %s (journal %s)", meta.id, journal_path(j));
	cli_print_line("hubassoc: ", said);
	free(said);
	/* The session borrows the input and the plan for the send. */
	s.in = in;
	s.plan = *p;
	session_begin(&s, &meta, journal_path(j), c->api);
	struct run_opts ro = {
		.progress = !o->no_progress && isatty(STDERR_FILENO),
		.verbose = common->verbose, .yes = o->yes,
		.lookups = x->lookups, .lookup_reqs = x->lookup_reqs,
	};
	x->lookups = NULL;      /* the send's */
	rc = cli_send(c, j, &s, &ro, o->check_ids, o->labels);
	if (write_output(o, in, p, &s.out, names, s.pre.rows != NULL ? &s.pre : NULL) != 0)
		rc = exit_output_failed(rc);
	s.in = NULL;
	memset(&s.plan, 0, sizeof(s.plan));
	session_free(&s);
	journal_close(j);
	return rc;
}

/* remove --dry-run (relabel's): the plan as its send would ask it, read
 * from the portal; nothing written, no session kept. */
static int
remove_dry(struct create_opts *o, struct conn *c, struct input *in, struct plan *p)
{
	struct session s = { 0 };
	struct journal_meta meta = { .id = xstrdup("(dry run)"), .preflight = true,
	    .op = p->op };
	struct run_opts ro = { .dry = true };
	int rc;

	s.in = in;
	s.plan = *p;
	session_begin(&s, &meta, "", c->api);
	rc = cli_send(c, NULL, &s, &ro, o->check_ids, o->labels);
	s.in = NULL;
	memset(&s.plan, 0, sizeof(s.plan));
	session_free(&s);
	return rc;
}

/*
 * A dry run's labels: the portal's, when a token is at hand and the
 * portal answers (a GET: nothing is written), so label names and
 * USER_DEFINED IDs are checked now rather than at the send; else the
 * built-in table, and the plan says why.  Over have, when the dry run is
 * connected already (its keys are looked up), else a glance of its own.
 */
static char *
dry_labels(const struct common_opts *common, struct conn *have,
    const struct objtype *from, const struct objtype *to, struct assoc_labels *labels)
{
	struct conn own, *c = have != NULL ? have : &own;
	char *cause = NULL, *note;

	bool ok = (have != NULL || cli_glance(&own, common, &cause)) &&
	    conn_labels(c, from, to, labels, &cause) == 0;
	if (ok)
		note = common->sandbox && common->base_url == NULL ?
		    xstrdup("the portal's, read from the built-in sandbox") :
		    xasprintf("the portal's, read from %s", c->base_url);
	if (have == NULL)
		conn_close(&own);
	if (ok)
		return note;
	assoc_labels_free(labels);
	assoc_labels_builtin(labels, from, to);
	note = xasprintf("the built-in types only (%s)", cause != NULL ? cause :
	    "no answer");
	free(cause);
	return note;
}

struct check_out {
	enum export_format f;
	const struct check_src *s;
};

/* check --output: a record a row, written as it goes. */
static int
write_check(int fd, const void *arg, char **cause)
{
	const struct check_out *w = arg;
	struct buf b = BUF_INIT;
	int rc = 0;

	check_begin(&b, w->f);
	for (size_t i = 0; i < w->s->in->nrows && rc == 0; i++) {
		if (w->f == EXPORT_JSON && i > 0)
			buf_addstr(&b, ",\n");
		check_row(&b, w->f, w->s, i);
		if (b.len >= (1 << 20)) {
			rc = export_write_text(fd, &b, cause);
			buf_reset(&b);
		}
	}
	check_end(&b, w->f);
	if (rc == 0)
		rc = export_write_text(fd, &b, cause);
	buf_free(&b);
	return rc;
}

/* check --list CLASS: every row of the class, with what was found. */
static void
list_class(const struct check_src *s, enum check_class c)
{
	struct buf b = BUF_INIT;
	size_t n = 0;
	char a[32];

	for (size_t i = 0; i < s->in->nrows; i++)
		n += check_class_of(s, i) == c;
	fprintf(stderr, "  %-13s %s row%s\n", check_class_name(c), fmt_count(a, n),
	    n == 1 ? "" : "s");
	for (size_t i = 0; i < s->in->nrows; i++) {
		if (check_class_of(s, i) != c)
			continue;
		const struct input_row *r = &s->in->rows[i];
		buf_reset(&b);
		buf_addstr(&b, "    line ");
		input_line_label(s->in, r->line, &b);
		buf_printf(&b, ": %s -> %s: ", input_from(s->in, r), input_to(s->in, r));
		check_found(&b, s, i);
		cli_print_safe(buf_str(&b));
		fputc('\n', stderr);
	}
	buf_free(&b);
}

/* check and create --check: the preflight alone, nothing written to the
 * portal; each row's class listed (--list), written (--output), and exit 1
 * when a row names no record, conflicts with another or is invalid.  It
 * always asks whether the IDs are records: an association read does not
 * tell a record with none from no record at all. */
static int
check_plan(struct create_opts *o, struct conn *c, const struct input *in,
    const struct plan *p)
{
	/* The rows as a send takes them (op_send's check): read, and held
	 * against the limits the portal's admins configured. */
	struct session s = { .in = (struct input *)in, .plan = *p };
	struct op_send_opts so = { .check = true, .check_ids = true,
	    .labels = o->labels };
	int rc = 0;
	size_t over = 0;

	s.meta.preflight = true;
	session_prepare(&s, c->api);
	if (p->nsend > 0) {
		struct op *op = op_send(c, NULL, &s, &so);
		rc = cli_run_op(c, op, false, "");
		over = op_send_over(op);
		op_free(op);
	}
	outcomes_free(&s.out);
	const struct check_src src = { in, p, &s.pre, o->labels };
	size_t bad = 0;
	char *cause = NULL;

	if (rc != 0)
		goto done;
	for (unsigned k = 0; k < CHECK_CLASS_COUNT; k++)
		if (o->list & 1u << k)
			list_class(&src, (enum check_class)k);
	for (size_t i = 0; i < in->nrows; i++)
		bad += check_class_bad(check_class_of(&src, i));
	if (o->output != NULL) {
		struct check_out w = { o->format, &src };
		if (export_finish_with(&o->out, write_check, &w, &cause) != 0) {
			cli_error("%s: %s", o->cmd, cause);
			free(cause);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	fprintf(stderr, "hubassoc: %s: nothing was sent", o->cmd);
	if (bad > 0)
		fprintf(stderr, "; %zu row%s name%s no record, conflict%s or %s invalid",
		    bad, bad == 1 ? "" : "s", bad == 1 ? "s" : "", bad == 1 ? "s" : "",
		    bad == 1 ? "is" : "are");
	if (over > 0)
		fprintf(stderr, "; %zu record%s would pass %s configured limit", over,
		    over == 1 ? "" : "s", over == 1 ? "its" : "their");
	fputc('\n', stderr);
	rc = bad > 0 || over > 0 ? EXIT_SOME_FAILED : 0;
done:
	prestate_free(&s.pre);
	return rc;
}

static int create_main(int argc, char **argv, struct common_opts *common,
    const char *cmd);

int
cmd_create(int argc, char **argv, struct common_opts *common)
{
	return create_main(argc, argv, common, "create");
}

int
cmd_check(int argc, char **argv, struct common_opts *common)
{
	return create_main(argc, argv, common, "check");
}

int
cmd_remove(int argc, char **argv, struct common_opts *common)
{
	return create_main(argc, argv, common, "remove");
}

int
cmd_relabel(int argc, char **argv, struct common_opts *common)
{
	return create_main(argc, argv, common, "relabel");
}

/* A dry run's end: the requests it would make (--show-requests, --curl)
 * and every row as planned (--output).  Returns rc, or a usage error. */
static int
dry_output(struct create_opts *o, const struct settings *set, struct input *in,
    const struct plan *p, const struct names *names, int rc)
{
	if ((o->show_requests || o->curl) && rc == EXIT_ALL_CREATED) {
		if (p->unresolved > 0) {
			cli_error("%s: label names are resolved through the "
			    "portal, so the exact requests are not known yet: "
			    "give the types as CATEGORY:ID to see them", o->cmd);
			rc = EXIT_USAGE;
		} else if (print_requests(o, set, in, p) != 0)
			rc = EXIT_USAGE;
	}
	if (o->output != NULL) {
		struct outcomes out;
		outcomes_init(&out, p, true);
		if (write_output(o, in, p, &out, names, NULL) != 0)
			rc = EXIT_USAGE;
		outcomes_free(&out);
	}
	return rc;
}

/*
 * The plan of the rows for the command's operation, said, and the rows
 * checked as a send takes them.  -1: no plan (said why); else the plan is
 * built, and 0 to go on or EXIT_USAGE (said why).
 */
static int
create_plan(struct create_opts *o, struct input *in, const struct objtype *from,
    const struct objtype *to, struct assoc_labels *labels, const char *labels_note,
    struct plan *plan)
{
	char *cause = NULL;

	/* remove takes whole pairs off; with types (--type, or a column of
	 * them), only those. */
	enum plan_op op = o->relabel ? PLAN_OP_RELABEL : !o->remove ? PLAN_OP_CREATE :
	    o->ntypes > 0 || in->nsets > 1 ? PLAN_OP_UNLABEL : PLAN_OP_REMOVE;
	if (plan_build_op(plan, op, in, from, to, o->types, o->ntypes, labels, o->chunk,
	    &cause) != 0) {
		cli_usage_error(o->cmd, "--type: %s", cause);
		free(cause);
		return -1;
	}
	if (o->relabel && plan_relabel_set(plan, o->replace_all ? "all" :
	    buf_str(&o->replace), o->create_missing, labels, &cause) != 0) {
		cli_usage_error(o->cmd, "--replace: %s", cause);
		free(cause);
		plan_free(plan);
		return -1;
	}
	print_plan(o->dry_run, in, plan, labels, labels_note);
	o->labels = labels;
	/* Said before anything is sent, when there is still time to stop. */
	const char *unread = o->no_preflight && !o->dry_run ?
	    preflight_skipped_warning(plan, in, plan->order, plan->nsend) : NULL;
	if (unread != NULL)
		fprintf(stderr, "  warning    %s\n", unread);

	if (in->nrows == 0) {
		cli_error("%s: the input holds no pairs", o->cmd);
		return EXIT_USAGE;
	}
	if (plan->ninvalid > 0 && !o->skip_invalid && !o->check) {
		char n[64];
		cli_error("%s: %s: fix %s, or add --skip-invalid to %s the valid "
		    "ones", o->cmd, fmt_counted(n, plan->ninvalid, "invalid row"),
		    plan->ninvalid == 1 ? "it" : "them", o->dry_run ? "plan" : "send");
		return EXIT_USAGE;
	}
	if (!o->dry_run && !o->check && plan->nsend == 0) {
		cli_error("%s: no valid row to send", o->cmd);
		return EXIT_USAGE;
	}
	return EXIT_ALL_CREATED;
}

/* What create_main works with, from the command line to the send. */

/* The rows, from --input: an output that cannot be written is known before
 * anything is sent.  0, or -1 (said). */
static int
read_rows(struct create_run *x)
{
	struct create_opts *o = &x->o;
	char *cause = NULL;

	if (o->output != NULL && export_open(&o->out, o->output, &cause) != 0) {
		cli_error("%s: --output %s", o->cmd, cause);
		free(cause);
		return -1;
	}
	x->in = input_new();
	input_set_columns(x->in, o->column[0], o->column[1], o->column[2]);
	if (input_read_path(x->in, o->input, &cause) != 0) {
		cli_error("%s: cannot read the input: %s", o->cmd, cause);
		free(cause);
		return -1;
	}
	if (x->in->fatal != NULL) {
		cli_error("%s: %s: %s", o->cmd, o->input, x->in->fatal);
		return -1;
	}
	for (size_t i = 0; i < x->in->nrows && !x->keyed; i++)
		x->keyed = input_row_pending(x->in, &x->in->rows[i]);
	return 0;
}

/* A dry run of a create knows the built-in types and resolves the settings
 * as a send does; keys are looked up even so (reads, nothing written).
 * 0, or an exit status. */
static int
prepare_dry(struct create_run *x, const struct common_opts *common)
{
	struct create_opts *o = &x->o;
	int rc;

	if (o->curl && common->sandbox)
		return cli_usage_error(o->cmd, "--curl writes requests for a portal; "
		    "the sandbox's address exists only while it runs");
	if ((rc = conn_settings(&x->set, common, o->cmd, o->concurrency, o->rate,
	    NULL, NULL)) != 0)
		return rc;
	x->have_set = true;
	if (!o->chunk_set && x->set.chunk)
		o->chunk = x->set.chunk;
	if (x->keyed) {
		if ((rc = cli_connect(&x->conn, common, o->cmd, o->concurrency, o->rate,
		    NULL, NULL)) != 0)
			return rc;
		x->connected = true;
	}
	x->labels_note = dry_labels(common, x->connected ? &x->conn : NULL, &x->from,
	    &x->to, &x->labels);
	return x->keyed ? look_keys(x) : 0;
}

/* Anything else connects (writing, unless it only checks or reads), takes
 * the profile's chunk and preflight, the portal's types, and looks the keys
 * up.  0, or an exit status. */
static int
prepare_send(struct create_run *x, const struct common_opts *common)
{
	struct create_opts *o = &x->o;
	struct common_opts wr = *common;
	int rc;

	wr.writes = !o->check && !o->dry_run;
	if ((rc = cli_connect(&x->conn, &wr, o->cmd, o->concurrency, o->rate,
	    NULL, NULL)) != 0)
		return rc;
	x->connected = true;
	x->conn.max_attempts = o->max_attempts;
	if (!o->chunk_set && x->conn.prof.chunk)
		o->chunk = x->conn.prof.chunk;
	if (x->conn.prof.no_preflight && !o->check)
		o->no_preflight = true;
	if (x->conn.prof.check_ids)
		o->check_ids = true;
	if ((rc = cli_labels(&x->conn, &x->from, &x->to, &x->labels, o->cmd)) != 0)
		return rc;
	return x->keyed ? look_keys(x) : 0;
}

static void
create_run_free(struct create_run *x)
{
	export_abandon(&x->o.out);
	if (x->connected)
		conn_close(&x->conn);
	if (x->have_set)
		settings_free(&x->set);
	assoc_labels_free(&x->labels);
	names_free(&x->names[0]);
	names_free(&x->names[1]);
	free(x->labels_note);
	input_free(x->in);
	journal_close(x->lookups);
	for (size_t i = 0; i < x->o.ntypes; i++)
		assoc_spec_clear(&x->o.types[i]);
	free(x->o.types);
	buf_free(&x->o.replace);
	buf_free(&x->o.type_text);
}

static int
create_main(int argc, char **argv, struct common_opts *common, const char *cmd)
{
	struct create_run x = { .o = { .format = EXPORT_JSONL, .chunk = PLAN_CHUNK_DEFAULT,
	    .max_attempts = ENGINE_MAX_ATTEMPTS_DEFAULT,
	    .check = strcmp(cmd, "check") == 0, .remove = strcmp(cmd, "remove") == 0,
	    .relabel = strcmp(cmd, "relabel") == 0, .cmd = cmd } };
	struct create_opts *o = &x.o;
	/* A remove's (a relabel's) dry run reads the pairs, as its send would. */
	bool asks = o->remove || o->relabel;
	struct names *names;
	struct plan plan;
	int rc = EXIT_USAGE;

	if (create_args(argc, argv, common, o, &x.from, &x.to) != 0 || read_rows(&x) != 0)
		goto done;
	if ((rc = o->dry_run && !asks ? prepare_dry(&x, common) :
	    prepare_send(&x, common)) != 0)
		goto done;
	if ((rc = create_plan(o, x.in, &x.from, &x.to, &x.labels, x.labels_note,
	    &plan)) < 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	names = x.keyed ? x.names : NULL;
	if (o->dry_run && asks) {
		if (rc == EXIT_ALL_CREATED)
			rc = remove_dry(o, &x.conn, x.in, &plan);
	} else if (o->dry_run) {
		rc = dry_output(o, &x.set, x.in, &plan, names, rc);
	} else if (rc == EXIT_ALL_CREATED && o->check) {
		rc = check_plan(o, &x.conn, x.in, &plan);
	} else if (rc == EXIT_ALL_CREATED) {
		rc = send_plan(o, common, &x.conn, x.in, &plan, names, &x);
	}
	plan_free(&plan);
done:
	create_run_free(&x);
	return rc;
}
