/* sessions.c: hubassoc history, show, export, resume and labels. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/export.h"
#include "hubassoc/labels.h"
#include "hubassoc/text.h"

/* Options of commands that take only the common ones and one or two
 * operands. */
static int
simple_args(int argc, char **argv, struct common_opts *common, const char *cmd,
    int operands, const char *what)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, cmd)) < 0)
			return -1;
		if (r == 0) {
			cli_usage_error(cmd, opt == ':' ? "option '%s' needs a value" :
			    "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind != operands) {
		cli_usage_error(cmd, argc - optind < operands ? "give %s" :
		    "too many arguments", what);
		return -1;
	}
	return 0;
}

int
cmd_history(int argc, char **argv, struct common_opts *common)
{
	char **paths, *cause = NULL;
	size_t n;

	if (simple_args(argc, argv, common, "history", 0, "") != 0)
		return EXIT_USAGE;
	if (journal_list(&paths, &n, &cause) != 0) {
		cli_error("history: %s", cause);
		free(cause);
		return EXIT_AUTH;
	}
	if (n == 0) {
		fprintf(stderr, "hubassoc: no sessions yet\n");
		free(paths);
		return 0;
	}
	printf("%-21s %-20s %-10s %-24s %8s %8s %7s %7s %5s %8s  %s\n", "SESSION",
	    "STARTED", "PROFILE", "DIRECTION", "ROWS", "CREATED", "FAILED", "INVALID",
	    "DUP", "NOT_SENT", "STATE");
	for (size_t i = 0; i < n; i++) {
		struct journal_meta m;
		if (journal_peek(paths[i], &m, &cause) != 0) {
			cli_error("history: %s", cause);
			free(cause);
			cause = NULL;
			free(paths[i]);
			continue;
		}
		size_t rows = 0;
		for (int k = 0; k < OUTCOME_COUNT; k++)
			rows += m.counts[k];
		char *dir = xasprintf("%s>%s", m.from_path ? m.from_path : "?",
		    m.to_path ? m.to_path : "?");
		struct buf line = BUF_INIT, safe = BUF_INIT;
		buf_printf(&line, "%-21s %-20s %-10s %-24s %8zu %8zu %7zu %7zu %5zu %8zu  %s",
		    m.id, m.created ? m.created : "", m.profile ? m.profile : "",
		    dir, rows, m.counts[OUTCOME_CREATED], m.counts[OUTCOME_FAILED],
		    m.counts[OUTCOME_INVALID], m.counts[OUTCOME_DUPLICATE],
		    m.counts[OUTCOME_NOT_SENT] + m.counts[OUTCOME_PENDING] +
		    m.counts[OUTCOME_UNCONFIRMED],
		    m.state ? m.state : "");
		/* A journal's words are shown, never acted on. */
		text_escape(&safe, line.data, line.len);
		printf("%s\n", buf_str(&safe));
		buf_free(&line);
		buf_free(&safe);
		free(dir);
		journal_meta_free(&m);
		free(paths[i]);
	}
	free(paths);
	return 0;
}

/* Reads a session; with hold, first takes it for sending (journal_reopen),
 * so that no other hubassoc sends it meanwhile. */
static int
load(const char *cmd, const char *what, struct session *s, struct journal **hold)
{
	char *path = NULL, *cause = NULL;

	if (journal_find(what, &path, &cause) != 0 ||
	    (hold != NULL && (*hold = journal_reopen(path, &cause)) == NULL) ||
	    journal_load(path, s, &cause) != 0) {
		cli_error("%s: %s", cmd, cause);
		free(cause);
		free(path);
		if (hold != NULL && *hold != NULL) {
			journal_close(*hold);
			*hold = NULL;
		}
		return -1;
	}
	free(path);
	if (s->damaged_lines > 0)
		cli_error("%s: %zu line(s) of the journal could not be read", cmd,
		    s->damaged_lines);
	return 0;
}

struct kind {
	const char *category, *message;
	size_t rows;
	uint32_t lines[3];
	size_t nlines;
};

int
cmd_show(int argc, char **argv, struct common_opts *common)
{
	struct session s;
	char a[32];

	if (simple_args(argc, argv, common, "show", 1, "a SESSION (see history)") != 0)
		return EXIT_USAGE;
	if (load("show", argv[optind], &s, NULL) != 0)
		return EXIT_USAGE;
	const struct journal_meta *m = &s.meta;
	/* What the journal says (a file's name above all) is text to show,
	 * never to act on: each field is escaped on its own. */
	const char *raw[] = { m->id, m->created ? m->created : "?",
	    m->profile ? m->profile : "?", m->base_url ? m->base_url : "?",
	    m->api_version ? m->api_version : "v4",
	    m->input_name ? m->input_name : "?", m->types ? m->types : "",
	    m->ended && m->state ? m->state : "unfinished" };
	char *v[HA_ARRAY_LEN(raw)];
	for (size_t i = 0; i < HA_ARRAY_LEN(raw); i++)
		v[i] = text_escape_str(raw[i], strlen(raw[i]), SIZE_MAX);
	printf("session    %s\nstarted    %s\nprofile    %s\nsent to    %s (%s)\n",
	    v[0], v[1], v[2], v[3], v[4]);
	printf("direction  %s (%s) to %s (%s)\n", s.from.path, s.from.id[0] ? s.from.id :
	    "custom", s.to.path, s.to.id[0] ? s.to.id : "custom");
	printf("input      %s\ntypes      %s\nstate      %s", v[5], v[6], v[7]);
	if (m->ended)
		printf(" (exit %d)", m->exit_status);
	printf("\nrequests   %zu sent, %zu answered\n", s.sent, s.answered);
	for (size_t i = 0; i < HA_ARRAY_LEN(raw); i++)
		free(v[i]);
	fflush(stdout);

	/* Outcomes, then every kind of error with the rows it hit. */
	static const enum outcome order[] = { OUTCOME_CREATED, OUTCOME_FAILED,
	    OUTCOME_INVALID, OUTCOME_DUPLICATE, OUTCOME_NOT_SENT, OUTCOME_UNCONFIRMED,
	    OUTCOME_PENDING };
	for (size_t i = 0; i < HA_ARRAY_LEN(order); i++)
		if (s.out.count[order[i]] > 0 || (order[i] != OUTCOME_PENDING &&
		    order[i] != OUTCOME_UNCONFIRMED))
			printf("%-10s %s\n", outcome_name(order[i]),
			    fmt_count(a, s.out.count[order[i]]));
	struct kind *k = NULL;
	size_t nk = 0, kcap = 0;
	for (size_t row = 0; row < s.out.n; row++) {
		const char *cat, *msg;
		if (s.out.err[row] != 0) {
			const struct hs_error *e = outcomes_error(&s.out, row);
			cat = e->category ? e->category : e->policy_name ? e->policy_name : "";
			msg = e->message ? e->message : "";
		} else if (s.out.state[row] == OUTCOME_INVALID) {
			cat = OUTCOME_CAT_INVALID_INPUT;
			msg = input_reason_name((enum input_reason)s.in->rows[row].reason);
		} else
			continue;
		size_t i;
		for (i = 0; i < nk; i++)
			if (strcmp(k[i].category, cat) == 0 && strcmp(k[i].message, msg) == 0)
				break;
		if (i == nk) {
			if (nk == kcap)
				k = xreallocarray(k, kcap = kcap ? kcap * 2 : 16, sizeof(*k));
			k[nk++] = (struct kind){ cat, msg, 0, { 0 }, 0 };
		}
		k[i].rows++;
		if (k[i].nlines < 3)
			k[i].lines[k[i].nlines++] = s.in->rows[row].line;
	}
	if (nk > 0)
		printf("\nerrors, by category and message:\n");
	for (size_t i = 0; i < nk; i++) {
		struct buf line = BUF_INIT;
		buf_printf(&line, "  %s rows  %s%s%s  (lines", fmt_count(a, k[i].rows),
		    k[i].category, k[i].category[0] ? ": " : "", k[i].message);
		for (size_t l = 0; l < k[i].nlines; l++)
			buf_printf(&line, " %u", k[i].lines[l]);
		buf_addstr(&line, k[i].rows > k[i].nlines ? " ...)" : ")");
		struct buf safe = BUF_INIT;
		text_escape(&safe, line.data, line.len);
		printf("%s\n", buf_str(&safe));
		buf_free(&safe);
		buf_free(&line);
	}
	size_t orphans = 0;
	for (size_t i = 0; i < s.out.nerrors; i++) {
		if (s.out.errors[i].rows != 0 || s.out.errors[i].local)
			continue;
		if (orphans++ == 0)
			printf("\nerrors that named no row:\n");
		struct buf line = BUF_INIT, safe = BUF_INIT;
		buf_printf(&line, "  chunk %u, HTTP %u: ", s.out.errors[i].chunk + 1,
		    s.out.errors[i].http_status);
		hs_error_summary(&line, s.out.errors[i].error);
		text_escape(&safe, line.data, line.len);
		printf("%s\n", buf_str(&safe));
		buf_free(&line);
		buf_free(&safe);
	}
	free(k);
	session_free(&s);
	return 0;
}

/* Opens the output, when one was asked for, before the work: a path that
 * cannot be written is an error before anything is read or sent. */
static int
open_records(const char *cmd, const char *output, struct export_out *o)
{
	char *cause = NULL;

	o->path = NULL;
	if (output == NULL || export_open(o, output, &cause) == 0)
		return 0;
	cli_error("%s: --output %s", cmd, cause);
	free(cause);
	return -1;
}

/* Writes a session's records to the opened output, if any. */
static int
write_records(struct export_out *o, enum export_format f, const struct session *s)
{
	struct export_src src = { s->in, &s->plan, &s->out };
	char *cause = NULL;

	if (o->path == NULL)
		return 0;
	if (export_finish(o, f, &src, &cause) != 0) {
		cli_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

int
cmd_export(int argc, char **argv, struct common_opts *common)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	enum export_format f = EXPORT_JSONL;
	const char *output = "-";
	struct session s;
	int opt, r;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:o:", longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, "export")) < 0)
			return EXIT_USAGE;
		if (r > 0)
			continue;
		if (opt == 'f') {
			if (export_format_parse(optarg, &f) != 0)
				return cli_usage_error("export", "--format is jsonl, csv or "
				    "json, not '%s'", optarg);
		} else if (opt == 'o') {
			output = optarg;
		} else {
			return cli_usage_error("export", opt == ':' ?
			    "option '%s' needs a value" : "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("export", "give a SESSION (see history)");
	struct export_out out;
	if (open_records("export", output, &out) != 0)
		return EXIT_USAGE;
	if (load("export", argv[optind], &s, NULL) != 0) {
		export_abandon(&out);
		return EXIT_USAGE;
	}
	r = write_records(&out, f, &s);
	session_free(&s);
	return r != 0 ? EXIT_USAGE : 0;
}

enum { OPT_R_CONCURRENCY = OPT_CMD_FIRST, OPT_R_RATE, OPT_R_MAX_ATTEMPTS,
	OPT_R_NO_PROGRESS };

int
cmd_resume(int argc, char **argv, struct common_opts *common)
{
	static const struct option longopts[] = {
		COMMON_LONG_OPTIONS,
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "concurrency", required_argument, NULL, OPT_R_CONCURRENCY },
		{ "rate", required_argument, NULL, OPT_R_RATE },
		{ "max-attempts", required_argument, NULL, OPT_R_MAX_ATTEMPTS },
		{ "no-progress", no_argument, NULL, OPT_R_NO_PROGRESS },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *rate = NULL;
	enum export_format f = EXPORT_JSONL;
	unsigned concurrency = 0, max_attempts = ENGINE_MAX_ATTEMPTS_DEFAULT, n, w;
	bool progress = true;
	unsigned long long v;
	struct session s;
	struct conn c;
	char *cause = NULL;
	int opt, r, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:f:", longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, "resume")) < 0)
			return EXIT_USAGE;
		if (r > 0)
			continue;
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'f':
			if (export_format_parse(optarg, &f) != 0)
				return cli_usage_error("resume", "--format is jsonl, csv or "
				    "json, not '%s'", optarg);
			break;
		case OPT_R_CONCURRENCY:
			if (parse_uint(optarg, 1, 64, &v) != 0)
				return cli_usage_error("resume", "--concurrency is a number "
				    "from 1 to 64, not '%s'", optarg);
			concurrency = (unsigned)v;
			break;
		case OPT_R_RATE:
			if (parse_rate(optarg, &n, &w) != 0)
				return cli_usage_error("resume", "--rate is N/DURATION such "
				    "as 100/10s, not '%s'", optarg);
			rate = optarg;
			break;
		case OPT_R_MAX_ATTEMPTS:
			if (parse_uint(optarg, 1, 100, &v) != 0)
				return cli_usage_error("resume", "--max-attempts is a number "
				    "from 1 to 100, not '%s'", optarg);
			max_attempts = (unsigned)v;
			break;
		case OPT_R_NO_PROGRESS:
			progress = false;
			break;
		default:
			return cli_usage_error("resume", opt == ':' ?
			    "option '%s' needs a value" : "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("resume", "give a SESSION (see history)");
	struct journal *j = NULL;
	struct export_out out;
	if (open_records("resume", output, &out) != 0)
		return EXIT_USAGE;
	if (load("resume", argv[optind], &s, &j) != 0) {
		export_abandon(&out);
		return EXIT_USAGE;
	}

	/* What was not sent, or sent without a recorded answer, goes again:
	 * creating a pair with the same types twice is harmless. */
	if (outcomes_requeue(&s.out, &s.plan) == 0) {
		fprintf(stderr, "hubassoc: session %s has nothing left to send\n",
		    s.meta.id);
		print_outcomes(s.in, &s.plan, &s.out, 5);
		rc = exit_status_of(&s.out, ENGINE_COMPLETE, 0);
		if (write_records(&out, f, &s) != 0)
			rc = exit_output_failed(rc);
		journal_close(j);
		session_free(&s);
		return rc;
	}
	struct common_opts co = *common;
	if (co.profile == NULL && s.meta.profile != NULL &&
	    strcmp(s.meta.profile, "default") != 0)
		co.profile = s.meta.profile;
	if ((rc = conn_open(&c, &co, "resume", concurrency, rate, s.meta.base_url,
	    s.meta.api_version)) != 0) {
		export_abandon(&out);
		journal_close(j);
		session_free(&s);
		return rc;
	}
	c.max_attempts = max_attempts;
	if (journal_resumed(j, &cause) != 0) {
		cli_error("resume: %s", cause);
		free(cause);
		export_abandon(&out);
		journal_close(j);
		conn_close(&c);
		session_free(&s);
		return EXIT_AUTH;
	}
	char a[32];
	char b[32];
	fprintf(stderr, "hubassoc: resuming session %s: %s row(s) to send, %s "
	    "unconfirmed to read back first\n", s.meta.id,
	    fmt_count(a, s.out.count[OUTCOME_PENDING]),
	    fmt_count(b, s.out.count[OUTCOME_UNCONFIRMED]));
	struct run_opts ro = { .max_attempts = max_attempts,
	    .progress = progress && isatty(STDERR_FILENO), .verbose = common->verbose };
	rc = run_session(&c, j, s.in, &s.plan, &s.out, s.meta.last_req + 1, &ro, s.meta.id);
	if (write_records(&out, f, &s) != 0)
		rc = exit_output_failed(rc);
	journal_close(j);
	conn_close(&c);
	session_free(&s);
	return rc;
}

int
cmd_labels(int argc, char **argv, struct common_opts *common)
{
	struct objtype from, to;
	struct assoc_labels there = { 0 }, back = { 0 };
	struct conn c;
	char *cause = NULL;
	int rc;

	if (simple_args(argc, argv, common, "labels", 2, "the two object types, "
	    "FROM and TO") != 0)
		return EXIT_USAGE;
	if (objtype_parse(argv[optind], &from, &cause) != 0 ||
	    objtype_parse(argv[optind + 1], &to, &cause) != 0) {
		rc = cli_usage_error("labels", "%s", cause);
		free(cause);
		return rc;
	}
	if ((rc = conn_open(&c, common, "labels", 1, NULL, NULL, NULL)) != 0)
		return rc;
	if ((rc = conn_labels(&c, &from, &to, &there, "labels")) == 0 &&
	    (rc = conn_labels(&c, &to, &from, &back, "labels")) == 0) {
		labels_pair_inverses(&there, &back, &from, &to);
		printf("%-20s %8s %8s  %s\n", "CATEGORY", "TYPEID", "INVERSE", "LABEL");
		for (size_t i = 0; i < there.n; i++) {
			const struct assoc_label *l = &there.v[i];
			char inv[16] = "-";
			struct buf label = BUF_INIT;
			if (l->inverse != 0)
				snprintf(inv, sizeof(inv), "%u", l->inverse);
			if (l->label != NULL)
				text_escape(&label, l->label, strlen(l->label));
			else
				buf_addstr(&label, "(unlabeled)");
			printf("%-20s %8u %8s  %s\n", assoc_category_name(l->cat),
			    l->type_id, inv, buf_str(&label));
			buf_free(&label);
		}
	}
	assoc_labels_free(&there);
	assoc_labels_free(&back);
	conn_close(&c);
	return rc;
}
