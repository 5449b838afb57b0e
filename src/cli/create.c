/* create.c: hubassoc create, the dry run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/assoctype.h"
#include "hubassoc/export.h"
#include "hubassoc/input.h"
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
};

struct create_opts {
	const char *input;
	const char *output;
	enum export_format format;
	bool format_set;
	bool dry_run;
	bool skip_invalid;
	bool show_requests;
	bool curl;
	size_t chunk;
	struct assoc_spec *types;
	size_t ntypes;
};

static int
add_type_arg(struct create_opts *o, const char *arg)
{
	const char *p = arg;

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

static void
print_types(const struct plan *p, const struct assoc_labels *labels)
{
	const struct plan_types *t = &p->types[0];
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < t->n; i++) {
		buf_reset(&b);
		assoc_spec_describe(&b, &t->specs[i], &p->from, &p->to, labels);
		fprintf(stderr, "%s", i == 0 ? "  types      " : "             ");
		cli_print_safe(buf_str(&b));
		fputc('\n', stderr);
		unsigned flags = assoc_spec_flags(&t->specs[i], &p->from, &p->to);
		if (flags & ASSOC_F_PRIMARY)
			fprintf(stderr, "  warning    each %s has one primary %s: "
			    "writing it moves the primary, and the old one stays "
			    "associated, unlabeled\n", objtype_singular(&p->from),
			    objtype_singular(&p->to));
		if (flags & ASSOC_F_SINGLE_PARENT)
			fprintf(stderr, "  warning    a company has one parent: "
			    "writing it replaces the parent a company has\n");
	}
	buf_free(&b);
}

static void
print_summary(const struct create_opts *o, const struct input *in,
    const struct plan *p, const struct assoc_labels *labels)
{
	char a[32], b[32], c[32];
	size_t shown = 0;
	struct buf m = BUF_INIT;

	fprintf(stderr, "hubassoc: dry run, %s (%s) to %s (%s); nothing is sent\n",
	    objtype_name(&p->from), p->from.id[0] ? p->from.id : "custom",
	    objtype_name(&p->to), p->to.id[0] ? p->to.id : "custom");
	print_types(p, labels);
	fprintf(stderr, "  rows       %s from %s lines", fmt_count(a, in->nrows),
	    fmt_count(b, in->lines));
	if (in->header_line != 0)
		fprintf(stderr, " (header on line %u)", in->header_line);
	if (in->blank + in->comments > 0)
		fprintf(stderr, ", %s blank or comment", fmt_count(c,
		    in->blank + in->comments));
	fputc('\n', stderr);
	fprintf(stderr, "  valid      %s, in %s request%s of up to %zu inputs\n",
	    fmt_count(a, p->nsend), fmt_count(b, p->nchunks),
	    p->nchunks == 1 ? "" : "s", p->chunk_size);
	fprintf(stderr, "  invalid    %s\n", fmt_count(a, p->ninvalid));
	for (size_t i = 0; i < in->nrows && shown < SHOW_REASONS; i++) {
		if (p->state[i] != PLAN_INVALID)
			continue;
		buf_reset(&m);
		input_reason_format(in, &in->rows[i], &m);
		fprintf(stderr, "    line %u: ", in->rows[i].line);
		cli_print_safe(buf_str(&m));
		fputc('\n', stderr);
		shown++;
	}
	if (p->ninvalid > shown)
		fprintf(stderr, "    ... and %s more (see --output)\n",
		    fmt_count(a, p->ninvalid - shown));
	fprintf(stderr, "  duplicate  %s", fmt_count(a, p->nduplicate));
	for (size_t i = 0; i < in->nrows; i++) {
		if (p->state[i] == PLAN_DUPLICATE) {
			fprintf(stderr, " (first: line %u repeats line %u)",
			    in->rows[i].line, in->rows[p->ref[i]].line);
			break;
		}
	}
	fputc('\n', stderr);
	if (p->unresolved > 0)
		fprintf(stderr, "  labels     %zu label name(s) are resolved through "
		    "the portal when sending\n", p->unresolved);
	for (size_t i = 0; i < p->nnotes; i++) {
		fprintf(stderr, "  note       ");
		cli_print_safe(p->notes[i]);
		fputc('\n', stderr);
	}
	(void)o;
	buf_free(&m);
}

static int
print_requests(const struct create_opts *o, const struct common_opts *common,
    const struct input *in, const struct plan *p)
{
	struct buf path = BUF_INIT, out = BUF_INIT;
	int rc = 0;

	request_assoc_path(&path, common->api_version, &p->from, &p->to,
	    "batch/create");
	for (size_t c = 0; c < p->nchunks; c++) {
		char *cause = NULL;
		char *body = request_create_body(p, in, c, &cause);
		if (body == NULL) {
			cli_error("create: %s", cause);
			free(cause);
			rc = -1;
			break;
		}
		buf_reset(&out);
		buf_printf(&out, "# request %zu of %zu: POST %s (%u inputs)\n", c + 1,
		    p->nchunks, buf_str(&path), p->chunks[c].count);
		if (o->curl) {
			char *url = xasprintf("%s%s", common->base_url, buf_str(&path));
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

int
cmd_create(int argc, char **argv, struct common_opts *common)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		{ "type", required_argument, NULL, 't' },
		{ "input", required_argument, NULL, 'i' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "chunk", required_argument, NULL, OPT_CHUNK },
		{ "skip-invalid", no_argument, NULL, OPT_SKIP_INVALID },
		{ "show-requests", no_argument, NULL, OPT_SHOW_REQUESTS },
		{ "curl", no_argument, NULL, OPT_CURL },
		{ NULL, 0, NULL, 0 },
	};
	struct create_opts o = { .format = EXPORT_JSONL, .chunk = PLAN_CHUNK_DEFAULT };
	struct objtype from, to;
	struct input *in = NULL;
	struct plan plan;
	struct assoc_labels labels;
	char *cause = NULL;
	int opt, rc = EXIT_USAGE, r;
	unsigned long long v;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":t:i:no:f:", longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, "create")) != 0) {
			if (r < 0)
				goto done;
			continue;
		}
		switch (opt) {
		case 't':
			if (add_type_arg(&o, optarg) != 0)
				goto done;
			break;
		case 'i':
			o.input = optarg;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'o':
			o.output = optarg;
			break;
		case 'f':
			if (export_format_parse(optarg, &o.format) != 0) {
				cli_usage_error("create", "--format is jsonl, csv or "
				    "json, not '%s'", optarg);
				goto done;
			}
			o.format_set = true;
			break;
		case OPT_CHUNK:
			if (parse_uint(optarg, 1, PLAN_CHUNK_MAX, &v) != 0) {
				cli_usage_error("create", "--chunk is a number from 1 "
				    "to %d (HubSpot takes at most %d inputs a request), "
				    "not '%s'", PLAN_CHUNK_MAX, PLAN_CHUNK_MAX, optarg);
				goto done;
			}
			o.chunk = (size_t)v;
			break;
		case OPT_SKIP_INVALID:
			o.skip_invalid = true;
			break;
		case OPT_SHOW_REQUESTS:
			o.show_requests = true;
			break;
		case OPT_CURL:
			o.curl = true;
			break;
		case ':':
			cli_usage_error("create", "option '%s' needs a value",
			    argv[optind - 1]);
			goto done;
		default:
			cli_usage_error("create", "unknown option '%s'",
			    argv[optind - 1]);
			goto done;
		}
	}
	if (argc - optind != 2) {
		cli_usage_error("create", argc - optind < 2 ?
		    "give the two object types, FROM and TO" :
		    "too many arguments: '%s'", argv[argc - 1]);
		goto done;
	}
	if (objtype_parse(argv[optind], &from, &cause) != 0 ||
	    objtype_parse(argv[optind + 1], &to, &cause) != 0) {
		cli_usage_error("create", "%s", cause);
		goto done;
	}
	if (!o.dry_run) {
		cli_usage_error("create", "this build only plans: add --dry-run "
		    "(sending comes with the submission engine)");
		goto done;
	}
	if (o.show_requests && o.curl) {
		cli_usage_error("create", "--show-requests and --curl both print "
		    "the requests: choose one");
		goto done;
	}
	if (o.output != NULL && strcmp(o.output, "-") == 0 &&
	    (o.show_requests || o.curl)) {
		cli_usage_error("create", "--output - and --%s both write to "
		    "standard output", o.curl ? "curl" : "show-requests");
		goto done;
	}
	if (o.format_set && o.output == NULL) {
		cli_usage_error("create", "--format needs --output");
		goto done;
	}
	if (o.input == NULL) {
		if (isatty(STDIN_FILENO)) {
			cli_usage_error("create", "no input: give --input FILE or "
			    "pipe the pairs in");
			goto done;
		}
		o.input = "-";
	}

	in = input_new();
	if (input_read_path(in, o.input, &cause) != 0) {
		cli_error("create: cannot read the input: %s", cause);
		goto done;
	}
	if (in->fatal != NULL) {
		cli_error("create: %s: %s", o.input, in->fatal);
		goto done;
	}

	assoc_labels_builtin(&labels, &from, &to);
	if (plan_build(&plan, in, &from, &to, o.types, o.ntypes, &labels,
	    o.chunk, &cause) != 0) {
		cli_usage_error("create", "%s", cause);
		assoc_labels_free(&labels);
		goto done;
	}
	print_summary(&o, in, &plan, &labels);

	rc = EXIT_ALL_CREATED;
	if (in->nrows == 0) {
		cli_error("create: the input holds no pairs");
		rc = EXIT_USAGE;
	} else if (plan.ninvalid > 0 && !o.skip_invalid) {
		cli_error("create: %zu invalid row%s: fix %s, or add --skip-invalid "
		    "to send the valid ones", plan.ninvalid,
		    plan.ninvalid == 1 ? "" : "s",
		    plan.ninvalid == 1 ? "it" : "them");
		rc = EXIT_USAGE;
	}
	if ((o.show_requests || o.curl) && rc == EXIT_ALL_CREATED) {
		if (plan.unresolved > 0) {
			cli_error("create: label names are resolved through the "
			    "portal, so the exact requests are not known yet: give "
			    "the types as CATEGORY:ID to see them");
			rc = EXIT_USAGE;
		} else if (print_requests(&o, common, in, &plan) != 0)
			rc = EXIT_USAGE;
	}
	if (o.output != NULL) {
		struct outcomes out;
		struct export_src src = { in, &plan, &out };
		outcomes_init(&out, &plan, true);
		if (export_write_path(o.output, o.format, &src, &cause) != 0) {
			cli_error("create: %s", cause);
			rc = EXIT_USAGE;
		}
		outcomes_free(&out);
	}
	plan_free(&plan);
	assoc_labels_free(&labels);
done:
	free(cause);
	input_free(in);
	for (size_t i = 0; i < o.ntypes; i++)
		assoc_spec_clear(&o.types[i]);
	free(o.types);
	return rc;
}
