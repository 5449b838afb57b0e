/* create_args.c: the command lines of create, check, remove and relabel. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "create.h"
#include "hubassoc/check.h"
#include "hubassoc/plan.h"
#include "hubassoc/text.h"

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
	/* Known, to be refused with why (create_args_agree): create asks
	 * nothing (before: "unknown option '--yes'"). */
	{ "yes", no_argument, NULL, OPT_YES },
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
		    "nothing, it sends as planned (--dry-run shows the plan)", o->cmd);
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
	/* Nobody to ask, and no --yes: refused before anything is read or
	 * kept, as the question would be answered no. */
	if (asks && !o->yes && !o->dry_run && !isatty(STDIN_FILENO) &&
	    !isatty(STDERR_FILENO)) {
		cli_error("%s: no terminal to ask: give --yes to %s, or "
		    "--dry-run to see the plan", o->cmd, o->cmd);
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

/* One option of the command's own: 0, or -1 after saying why. */
static int
create_option(struct create_opts *o, int opt, const char *arg, char **argv)
{
	unsigned long long v;
	unsigned n, w;

	switch (opt) {
	case 't':
		if (add_type_arg(o, arg) != 0)
			return -1;
		break;
	case 'i':
		o->input = arg;
		break;
	case 'n':
		o->dry_run = true;
		break;
	case 'o':
		o->output = arg;
		break;
	case 'f':
		if (export_format_parse(arg, &o->format) != 0) {
			cli_usage_error(o->cmd, "--format is jsonl, csv or "
			    "json, not '%s'", arg);
			return -1;
		}
		o->format_set = true;
		break;
	case OPT_CHUNK:
		if (parse_uint(arg, 1, PLAN_CHUNK_MAX, &v) != 0) {
			cli_usage_error(o->cmd, "--chunk is a number from 1 "
			    "to %d (HubSpot takes at most %d inputs a request), "
			    "not '%s'", PLAN_CHUNK_MAX, PLAN_CHUNK_MAX, arg);
			return -1;
		}
		o->chunk = (size_t)v;
		o->chunk_set = true;
		break;
	case OPT_CONCURRENCY:
		if (parse_uint(arg, 1, 64, &v) != 0) {
			cli_usage_error(o->cmd, "--concurrency is a number "
			    "from 1 to 64, not '%s'", arg);
			return -1;
		}
		o->concurrency = (unsigned)v;
		break;
	case OPT_RATE:
		if (parse_rate(arg, &n, &w) != 0) {
			cli_usage_error(o->cmd, "--rate is N/DURATION such as "
			    "100/10s, not '%s'", arg);
			return -1;
		}
		o->rate = arg;
		break;
	case OPT_MAX_ATTEMPTS:
		if (parse_uint(arg, 1, 100, &v) != 0) {
			cli_usage_error(o->cmd, "--max-attempts is a number "
			    "from 1 to 100, not '%s'", arg);
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
		o->column[opt - OPT_FROM_COLUMN] = arg;
		break;
	case OPT_CHECK_IDS:
		o->check_ids = true;
		break;
	case OPT_YES:
		o->yes = true;
		break;
	case OPT_REPLACE:
		add_replace_arg(o, arg);
		break;
	case OPT_CREATE_MISSING:
		o->create_missing = true;
		break;
	case OPT_LIST: {
		enum check_class c;
		if (check_class_parse(arg, &c) != 0) {
			cli_usage_error(o->cmd, "--list takes a class: new, "
			    "adds_labels, already_there, moves_primary, "
			    "unknown_from, unknown_to, invalid, conflict, "
			    "duplicate or unread, not '%s'", arg);
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
	return 0;
}

/* create's, check's, remove's and relabel's options, checked. */
int
create_args(int argc, char **argv, struct common_opts *common,
    struct create_opts *o, struct objtype *from, struct objtype *to)
{
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
		if (create_option(o, opt, optarg, argv) != 0)
			return -1;
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

