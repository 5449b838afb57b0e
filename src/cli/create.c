/* create.c: hubassoc create (and check, remove, relabel), planned and sent. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/assoctype.h"
#include "hubassoc/check.h"
#include "hubassoc/export.h"
#include "hubassoc/input.h"
#include "hubassoc/lookup.h"
#include "hubassoc/objtype.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/request.h"
#include "hubassoc/text.h"

#define SHOW_REASONS 10

enum {
	OPT_CHUNK = OPT_CMD_FIRST,
	OPT_SKIP_INVALID,
	OPT_SHOW_REQUESTS,
	OPT_CURL,
	OPT_CONCURRENCY,
	OPT_RATE,
	OPT_MAX_ATTEMPTS,
	OPT_NO_PROGRESS,
	OPT_CHECK,
	OPT_NO_PREFLIGHT,
	OPT_CHECK_IDS,
	OPT_LIST,
	OPT_FROM_COLUMN,
	OPT_TO_COLUMN,
	OPT_TYPES_COLUMN,
	OPT_YES,
	OPT_REPLACE,
	OPT_CREATE_MISSING,
};

struct create_opts {
	const char *cmd;           /* "create", "check", "remove" or "relabel" */
	bool remove;               /* remove: the pairs, or --type's types */
	bool relabel;              /* relabel: --type in place of --replace's */
	bool yes;                  /* remove or relabel --yes: no question */
	struct buf replace;        /* relabel --replace, ';' between (or all) */
	bool replace_all;
	bool create_missing;
	const char *input;
	const char *column[3];     /* --from-column, --to-column, --types-column */
	const char *output;
	enum export_format format;
	bool format_set;
	bool dry_run;
	bool skip_invalid;
	bool show_requests;
	bool curl;
	bool no_progress;
	bool check;                /* --check: the preflight alone */
	bool no_preflight;
	bool check_ids;            /* the preflight asks whether IDs are records */
	unsigned list;             /* check --list: the classes to list, bits */
	size_t chunk;
	bool chunk_set;
	unsigned concurrency;
	unsigned max_attempts;
	const char *rate;
	struct assoc_spec *types;
	size_t ntypes;
	struct buf type_text;
	struct export_out out;     /* --output, opened before anything is sent */
	const struct assoc_labels *labels;  /* the direction's, to name types */
};

static int
add_type_arg(struct create_opts *o, const char *arg)
{
	const char *p = arg;

	if (o->type_text.len > 0)
		buf_addc(&o->type_text, ';');
	buf_addstr(&o->type_text, arg);
	/* Specs joined with ';' as in the input's SPEC column. */
	for (;;) {
		const char *semi = strchr(p, ';');
		size_t n = semi != NULL ? (size_t)(semi - p) : strlen(p);
		struct assoc_spec spec;
		char *cause = NULL;

		if (assoc_spec_parse(p, n, &spec, &cause) != 0) {
			cli_usage_error("create", "--type '%s': %s", arg, cause);
			free(cause);
			return -1;
		}
		o->types = xreallocarray(o->types, o->ntypes + 1, sizeof(*o->types));
		o->types[o->ntypes++] = spec;
		if (semi == NULL)
			return 0;
		p = semi + 1;
	}
}

/* relabel --replace SPEC[;SPEC] (repeatable), or all: joined with ';',
 * resolved with the plan (plan_relabel_set). */
static void
add_replace_arg(struct create_opts *o, const char *arg)
{
	if (strcmp(arg, "all") == 0)
		o->replace_all = true;
	else
		buf_printf(&o->replace, "%s%s", o->replace.len > 0 ? ";" : "", arg);
}

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

	fprintf(stderr, "hubassoc: %s%s (%s) to %s (%s)%s\n", dry ? "dry run, " : "",
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
	if (labels_note != NULL) {
		fputs("  labels     ", stderr);
		cli_print_safe(labels_note);
		fputc('\n', stderr);
	}
	warn_flags(p);
	fprintf(stderr, "  rows       %s from %s lines", fmt_count(a, in->nrows),
	    fmt_count(b, in->lines));
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
			fprintf(stderr, "    ... and %s more (see --output)\n",
			    fmt_count(a, n - shown));
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

/*
 * Keys to IDs, before the plan: each distinct key once, through the
 * engine's calls (paced, retried); search paced by its own budget too.
 * 0, or the exit status of what stopped it (nothing is sent then).
 */
static int
look_keys(struct conn *c, const char *cmd, struct input *in,
    const struct objtype *from, const struct objtype *to, struct names names[2])
{
	struct lookup *l = lookup_new(in, c->api, from, to);
	struct rate search;
	char a[64], b[64], *display[2];
	int rc = 0;

	if (lookup_keys(l) == 0) {
		lookup_free(l);
		return 0;
	}
	/* A custom object's records are named by its schema's property. */
	cli_display_props(c, from, to, display);
	lookup_search_rate(&search);
	struct calls *k = conn_calls(c, NULL, 1);
	uint64_t t0 = http_now_ms();
	lookup_start(l, k, &search, (const char *const *)display);
	free(display[0]);
	free(display[1]);
	fprintf(stderr, "  lookup     %s, at least %s\n",
	    fmt_counted(a, lookup_keys(l), "distinct key"),
	    fmt_counted(b, lookup_least(l), "request"));
	rc = run_calls(c, k, NULL, NULL, "lookup");
	if (lookup_refused(l) != NULL) {
		/* A property no record can be found by: the input's fault. */
		fprintf(stderr, "hubassoc: %s: ", cmd);
		cli_print_safe(lookup_refused(l));
		fputs("; nothing was sent\n", stderr);
		rc = EXIT_USAGE;
	} else if (rc != 0) {
		fprintf(stderr, "hubassoc: %s: the keys could not all be looked up; "
		    "nothing was sent\n", cmd);
	} else {
		size_t one, none, many;
		char d[32], e[64];
		lookup_apply(l, in, names);
		lookup_counts(l, &one, &none, &many);
		fprintf(stderr, "  keys       %s found, %s not found, %s on several "
		    "records, in %s, %.1f s\n", fmt_count(a, one),
		    fmt_count(b, none), fmt_count(d, many),
		    fmt_counted(e, calls_stats(k)->requests, "request"),
		    (double)(http_now_ms() - t0) / 1000.0);
	}
	calls_free(k);
	rate_free(&search);
	lookup_free(l);
	return rc;
}

static int
write_output(struct create_opts *o, const struct input *in,
    const struct plan *p, const struct outcomes *out, const struct names *names)
{
	struct export_src src = { in, p, out, NULL, NULL, NULL, names };
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
    struct conn *c, struct input *in, struct plan *p, const struct names *names)
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
	fprintf(stderr, "hubassoc: session %s (journal %s)\n", meta.id, journal_path(j));
	/* The session borrows the input and the plan for the send. */
	s.in = in;
	s.plan = *p;
	session_begin(&s, &meta, journal_path(j), c->api);
	struct run_opts ro = {
		.progress = !o->no_progress && isatty(STDERR_FILENO),
		.verbose = common->verbose, .yes = o->yes,
	};
	rc = cli_send(c, j, &s, &ro, o->check_ids, o->labels);
	if (write_output(o, in, p, &s.out, names) != 0)
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

/* The options create, check, remove and relabel share. */
#define SEND_LONG_OPTIONS \
	COMMON_LONG_OPTIONS, \
	{ "type", required_argument, NULL, 't' }, \
	{ "input", required_argument, NULL, 'i' }, \
	{ "dry-run", no_argument, NULL, 'n' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "format", required_argument, NULL, 'f' }, \
	{ "chunk", required_argument, NULL, OPT_CHUNK }, \
	{ "skip-invalid", no_argument, NULL, OPT_SKIP_INVALID }, \
	{ "concurrency", required_argument, NULL, OPT_CONCURRENCY }, \
	{ "rate", required_argument, NULL, OPT_RATE }, \
	{ "max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS }, \
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS }, \
	{ "check-ids", no_argument, NULL, OPT_CHECK_IDS }, \
	{ "from-column", required_argument, NULL, OPT_FROM_COLUMN }, \
	{ "to-column", required_argument, NULL, OPT_TO_COLUMN }, \
	{ "types-column", required_argument, NULL, OPT_TYPES_COLUMN }

const struct option create_longopts[] = {
	SEND_LONG_OPTIONS,
	{ "show-requests", no_argument, NULL, OPT_SHOW_REQUESTS },
	{ "curl", no_argument, NULL, OPT_CURL },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "no-preflight", no_argument, NULL, OPT_NO_PREFLIGHT },
	{ "list", required_argument, NULL, OPT_LIST },
	{ NULL, 0, NULL, 0 },
};

const struct option remove_longopts[] = {
	SEND_LONG_OPTIONS,
	{ "yes", no_argument, NULL, OPT_YES },
	{ NULL, 0, NULL, 0 },
};

const struct option relabel_longopts[] = {
	SEND_LONG_OPTIONS,
	{ "yes", no_argument, NULL, OPT_YES },
	{ "replace", required_argument, NULL, OPT_REPLACE },
	{ "create-missing", no_argument, NULL, OPT_CREATE_MISSING },
	{ NULL, 0, NULL, 0 },
};

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
	struct prestate pre = { 0 };
	uint64_t next_req = 1;
	int rc = p->nsend == 0 ? 0 : cli_preflight(c, NULL, &next_req, in, p, p->order,
	    p->nsend, true, o->labels, &pre, NULL);
	const struct check_src src = { in, p, &pre, o->labels };
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
	fputc('\n', stderr);
	rc = bad > 0 ? EXIT_SOME_FAILED : 0;
done:
	prestate_free(&pre);
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

/* Options that do not go together: 0, or -1 after saying why. */
static int
create_args_agree(const struct create_opts *o)
{
	if ((o->show_requests || o->curl) && !o->dry_run) {
		cli_usage_error(o->cmd, "--%s goes with --dry-run",
		    o->curl ? "curl" : "show-requests");
		return -1;
	}
	if (o->show_requests && o->curl) {
		cli_usage_error(o->cmd, "--show-requests and --curl both print "
		    "the requests: choose one");
		return -1;
	}
	if (o->output != NULL && strcmp(o->output, "-") == 0 &&
	    (o->show_requests || o->curl)) {
		cli_usage_error(o->cmd, "--output - and --%s both write to "
		    "standard output", o->curl ? "curl" : "show-requests");
		return -1;
	}
	if (o->check && (o->dry_run || o->no_preflight)) {
		cli_usage_error(o->cmd, "%s sends nothing and reads first: "
		    "--%s does not go with it", o->cmd, !strcmp(o->cmd, "check") ?
		    (o->dry_run ? "dry-run" : "no-preflight") : "check");
		return -1;
	}
	if (o->list != 0 && !o->check) {
		cli_usage_error(o->cmd, "--list goes with check");
		return -1;
	}
	bool asks = o->remove || o->relabel;
	if (o->yes && !asks) {
		cli_usage_error(o->cmd, "--yes goes with remove and relabel: %s asks "
		    "nothing", o->cmd);
		return -1;
	}
	if ((o->replace.len > 0 || o->replace_all || o->create_missing) && !o->relabel) {
		cli_usage_error(o->cmd, "--%s goes with relabel", o->create_missing ?
		    "create-missing" : "replace");
		return -1;
	}
	if (o->replace_all && o->replace.len > 0) {
		cli_usage_error(o->cmd, "--replace all replaces every label: give it "
		    "alone, or name the labels");
		return -1;
	}
	if (asks && (o->check || o->no_preflight)) {
		cli_usage_error(o->cmd, "%s reads what each pair holds before it "
		    "writes (its plan, and what undo puts back): --%s does not go "
		    "with it; --dry-run shows the plan", o->cmd, o->check ? "check" :
		    "no-preflight");
		return -1;
	}
	if (asks && (o->show_requests || o->curl)) {
		cli_usage_error(o->cmd, "--%s goes with create --dry-run; %s's "
		    "--dry-run reads the pairs and shows what it would do",
		    o->curl ? "curl" : "show-requests", o->cmd);
		return -1;
	}
	return 0;
}

/* create's and check's options, checked: 0, or -1 after saying why. */
static int
create_args(int argc, char **argv, struct common_opts *common,
    struct create_opts *o, struct objtype *from, struct objtype *to)
{
	unsigned long long v;
	unsigned n, w;
	int opt, r;

	opterr = 0;
	const struct option *longopts = o->relabel ? relabel_longopts : o->remove ?
	    remove_longopts : create_longopts;
	while ((opt = getopt_long(argc, argv, ":t:i:no:f:", longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, o->cmd)) != 0) {
			if (r < 0)
				return -1;
			continue;
		}
		switch (opt) {
		case 't':
			if (add_type_arg(o, optarg) != 0)
				return -1;
			break;
		case 'i':
			o->input = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'f':
			if (export_format_parse(optarg, &o->format) != 0) {
				cli_usage_error(o->cmd, "--format is jsonl, csv or "
				    "json, not '%s'", optarg);
				return -1;
			}
			o->format_set = true;
			break;
		case OPT_CHUNK:
			if (parse_uint(optarg, 1, PLAN_CHUNK_MAX, &v) != 0) {
				cli_usage_error(o->cmd, "--chunk is a number from 1 "
				    "to %d (HubSpot takes at most %d inputs a request), "
				    "not '%s'", PLAN_CHUNK_MAX, PLAN_CHUNK_MAX, optarg);
				return -1;
			}
			o->chunk = (size_t)v;
			o->chunk_set = true;
			break;
		case OPT_CONCURRENCY:
			if (parse_uint(optarg, 1, 64, &v) != 0) {
				cli_usage_error(o->cmd, "--concurrency is a number "
				    "from 1 to 64, not '%s'", optarg);
				return -1;
			}
			o->concurrency = (unsigned)v;
			break;
		case OPT_RATE:
			if (parse_rate(optarg, &n, &w) != 0) {
				cli_usage_error(o->cmd, "--rate is N/DURATION such as "
				    "100/10s, not '%s'", optarg);
				return -1;
			}
			o->rate = optarg;
			break;
		case OPT_MAX_ATTEMPTS:
			if (parse_uint(optarg, 1, 100, &v) != 0) {
				cli_usage_error(o->cmd, "--max-attempts is a number "
				    "from 1 to 100, not '%s'", optarg);
				return -1;
			}
			o->max_attempts = (unsigned)v;
			break;
		case OPT_SKIP_INVALID:
			o->skip_invalid = true;
			break;
		case OPT_SHOW_REQUESTS:
			o->show_requests = true;
			break;
		case OPT_CURL:
			o->curl = true;
			break;
		case OPT_NO_PROGRESS:
			o->no_progress = true;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_NO_PREFLIGHT:
			o->no_preflight = true;
			break;
		case OPT_FROM_COLUMN:
		case OPT_TO_COLUMN:
		case OPT_TYPES_COLUMN:
			o->column[opt - OPT_FROM_COLUMN] = optarg;
			break;
		case OPT_CHECK_IDS:
			o->check_ids = true;
			break;
		case OPT_YES:
			o->yes = true;
			break;
		case OPT_REPLACE:
			add_replace_arg(o, optarg);
			break;
		case OPT_CREATE_MISSING:
			o->create_missing = true;
			break;
		case OPT_LIST: {
			enum check_class c;
			if (check_class_parse(optarg, &c) != 0) {
				cli_usage_error(o->cmd, "--list takes a class: new, "
				    "adds_labels, already_there, moves_primary, "
				    "unknown_from, unknown_to, invalid, conflict, "
				    "duplicate or unread, not '%s'", optarg);
				return -1;
			}
			o->list |= 1u << c;
			break;
		}
		case ':':
			cli_usage_error(o->cmd, "option '%s' needs a value",
			    argv[optind - 1]);
			return -1;
		default:
			cli_usage_error(o->cmd, "unknown option '%s'",
			    argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind != 2) {
		cli_usage_error(o->cmd, argc - optind < 2 ?
		    "give the two object types, FROM and TO" :
		    "too many arguments: '%s'", argv[argc - 1]);
		return -1;
	}
	if (cli_objtypes(common, o->cmd, argv + optind, from, to) != 0)
		return -1;
	/* A format alone: the records to standard output, the summary to
	 * standard error. */
	if (o->format_set && o->output == NULL)
		o->output = "-";
	if (create_args_agree(o) != 0)
		return -1;
	if (o->input == NULL) {
		if (isatty(STDIN_FILENO)) {
			cli_usage_error(o->cmd, "no input: give --input FILE or "
			    "pipe the pairs in");
			return -1;
		}
		o->input = "-";
	}

	return 0;
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
		if (write_output(o, in, p, &out, names) != 0)
			rc = EXIT_USAGE;
		outcomes_free(&out);
	}
	return rc;
}

static int
create_main(int argc, char **argv, struct common_opts *common, const char *cmd)
{
	struct create_opts o = { .format = EXPORT_JSONL, .chunk = PLAN_CHUNK_DEFAULT,
	    .max_attempts = ENGINE_MAX_ATTEMPTS_DEFAULT,
	    .check = strcmp(cmd, "check") == 0, .remove = strcmp(cmd, "remove") == 0,
	    .relabel = strcmp(cmd, "relabel") == 0, .cmd = cmd };
	struct objtype from, to;
	struct input *in = NULL;
	struct plan plan;
	struct assoc_labels labels = { 0 };
	char *labels_note = NULL;
	struct conn conn = { 0 };
	struct settings set = { 0 };
	struct names names[2] = { { 0 }, { 0 } };
	bool connected = false, have_set = false, keyed = false;
	char *cause = NULL;
	int rc = EXIT_USAGE;

	if (create_args(argc, argv, common, &o, &from, &to) != 0)
		goto done;

	/* An output that cannot be written is known before anything is sent. */
	if (o.output != NULL && export_open(&o.out, o.output, &cause) != 0) {
		cli_error("%s: --output %s", o.cmd, cause);
		goto done;
	}
	in = input_new();
	input_set_columns(in, o.column[0], o.column[1], o.column[2]);
	if (input_read_path(in, o.input, &cause) != 0) {
		cli_error("%s: cannot read the input: %s", o.cmd, cause);
		goto done;
	}
	if (in->fatal != NULL) {
		cli_error("%s: %s: %s", o.cmd, o.input, in->fatal);
		goto done;
	}

	for (size_t i = 0; i < in->nrows && !keyed; i++)
		keyed = input_row_pending(in, &in->rows[i]);

	/* Sending asks the portal for the direction's types; a dry run knows
	 * the built-in ones, and resolves the settings as a send does. */
	/* A remove's (a relabel's) dry run reads the pairs, as its send would. */
	bool asks = o.remove || o.relabel;
	if (o.dry_run && !asks) {
		if (o.curl && common->sandbox) {
			cli_usage_error(o.cmd, "--curl writes requests for a portal; "
			    "the sandbox's address exists only while it runs");
			goto done;
		}
		if ((rc = conn_settings(&set, common, o.cmd, o.concurrency, o.rate,
		    NULL, NULL)) != 0)
			goto done;
		have_set = true;
		rc = EXIT_USAGE;
		if (!o.chunk_set && set.chunk)
			o.chunk = set.chunk;
		/* Keys are looked up even so: reads, nothing written. */
		if (keyed) {
			if ((rc = cli_connect(&conn, common, o.cmd, o.concurrency, o.rate,
			    NULL, NULL)) != 0)
				goto done;
			connected = true;
		}
		labels_note = dry_labels(common, connected ? &conn : NULL, &from, &to,
		    &labels);
		if (keyed) {
			if ((rc = look_keys(&conn, o.cmd, in, &from, &to, names)) != 0)
				goto done;
			rc = EXIT_USAGE;
		}
	} else {
		struct common_opts wr = *common;
		wr.writes = !o.check && !o.dry_run;
		if ((rc = cli_connect(&conn, &wr, o.cmd, o.concurrency, o.rate,
		    NULL, NULL)) != 0)
			goto done;
		connected = true;
		conn.max_attempts = o.max_attempts;
		if (!o.chunk_set && conn.prof.chunk)
			o.chunk = conn.prof.chunk;
		if (conn.prof.no_preflight && !o.check)
			o.no_preflight = true;
		if ((rc = cli_labels(&conn, &from, &to, &labels, o.cmd)) != 0)
			goto done;
		if ((rc = look_keys(&conn, o.cmd, in, &from, &to, names)) != 0)
			goto done;
		rc = EXIT_USAGE;
	}
	/* remove takes whole pairs off; with types (--type, or a column of
	 * them), only those. */
	enum plan_op op = o.relabel ? PLAN_OP_RELABEL : !o.remove ? PLAN_OP_CREATE :
	    o.ntypes > 0 || in->nsets > 1 ? PLAN_OP_UNLABEL : PLAN_OP_REMOVE;
	if (plan_build_op(&plan, op, in, &from, &to, o.types, o.ntypes, &labels, o.chunk,
	    &cause) != 0) {
		cli_usage_error(o.cmd, "--type: %s", cause);
		goto done;
	}
	if (o.relabel && plan_relabel_set(&plan, o.replace_all ? "all" :
	    buf_str(&o.replace), o.create_missing, &labels, &cause) != 0) {
		cli_usage_error(o.cmd, "--replace: %s", cause);
		plan_free(&plan);
		goto done;
	}
	print_plan(o.dry_run, in, &plan, &labels, labels_note);
	o.labels = &labels;
	/* Said before anything is sent, when there is still time to stop. */
	const char *unread = o.no_preflight && !o.dry_run ?
	    preflight_skipped_warning(&plan, in, plan.order, plan.nsend) : NULL;
	if (unread != NULL)
		fprintf(stderr, "  warning    %s\n", unread);

	rc = EXIT_ALL_CREATED;
	if (in->nrows == 0) {
		cli_error("%s: the input holds no pairs", o.cmd);
		rc = EXIT_USAGE;
	} else if (plan.ninvalid > 0 && !o.skip_invalid && !o.check) {
		cli_error("%s: %zu invalid row%s: fix %s, or add --skip-invalid "
		    "to %s the valid ones", o.cmd, plan.ninvalid,
		    plan.ninvalid == 1 ? "" : "s", plan.ninvalid == 1 ? "it" : "them",
		    o.dry_run ? "plan" : "send");
		rc = EXIT_USAGE;
	} else if (!o.dry_run && !o.check && plan.nsend == 0) {
		cli_error("%s: no valid row to send", o.cmd);
		rc = EXIT_USAGE;
	}
	if (o.dry_run && asks) {
		if (rc == EXIT_ALL_CREATED)
			rc = remove_dry(&o, &conn, in, &plan);
	} else if (o.dry_run) {
		rc = dry_output(&o, &set, in, &plan, keyed ? names : NULL, rc);
	} else if (rc == EXIT_ALL_CREATED && o.check) {
		rc = check_plan(&o, &conn, in, &plan);
	} else if (rc == EXIT_ALL_CREATED) {
		rc = send_plan(&o, common, &conn, in, &plan, keyed ? names : NULL);
	}
	plan_free(&plan);
done:
	export_abandon(&o.out);
	if (connected)
		conn_close(&conn);
	if (have_set)
		settings_free(&set);
	assoc_labels_free(&labels);
	names_free(&names[0]);
	names_free(&names[1]);
	free(labels_note);
	free(cause);
	input_free(in);
	for (size_t i = 0; i < o.ntypes; i++)
		assoc_spec_clear(&o.types[i]);
	free(o.types);
	buf_free(&o.replace);
	buf_free(&o.type_text);
	return rc;
}
