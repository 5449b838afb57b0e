/* again.c: hubassoc resume and retry: a session's next send, of the rows
 * an interrupted send left or of those that failed, in its own journal. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/explain.h"
#include "hubassoc/export.h"
#include "hubassoc/op.h"
#include "hubassoc/text.h"

enum { OPT_R_CONCURRENCY = OPT_CMD_FIRST, OPT_R_RATE, OPT_R_MAX_ATTEMPTS,
	OPT_R_NO_PROGRESS, OPT_R_ONLY, OPT_R_YES };

/* What resume and retry take: a session and how to send. */
struct again_opts {
	const char *output, *rate;
	enum export_format format;
	unsigned concurrency, max_attempts;
	bool progress;
	bool yes;                /* a remove's question answered yes */
	bool dry;                /* retry: say what it takes, send nothing */
	unsigned only;           /* retry: the states it takes */
};

const struct option again_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "concurrency", required_argument, NULL, OPT_R_CONCURRENCY },
	{ "rate", required_argument, NULL, OPT_R_RATE },
	{ "yes", no_argument, NULL, OPT_R_YES },
	{ "max-attempts", required_argument, NULL, OPT_R_MAX_ATTEMPTS },
	{ "no-progress", no_argument, NULL, OPT_R_NO_PROGRESS },
	{ "only", required_argument, NULL, OPT_R_ONLY },
	{ "dry-run", no_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static int
again_args(int argc, char **argv, struct common_opts *common, const char *cmd,
    struct again_opts *o)
{
	bool retry = strcmp(cmd, "retry") == 0;
	unsigned long long v;
	unsigned n, w;
	char *cause = NULL;
	int opt, r;

	*o = (struct again_opts){ .format = EXPORT_JSONL, .progress = true,
	    .max_attempts = ENGINE_MAX_ATTEMPTS_DEFAULT,
	    .only = 1u << OUTCOME_FAILED | 1u << OUTCOME_NOT_SENT | 1u << OUTCOME_EDITED };
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:f:n", again_longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, cmd)) < 0)
			return -1;
		if (r > 0)
			continue;
		switch (opt) {
		case 'o':
			o->output = optarg;
			break;
		case 'f':
			if (export_format_parse(optarg, &o->format) != 0)
				return cli_usage_error(cmd, "--format is jsonl, csv or "
				    "json, not '%s'", optarg), -1;
			break;
		case OPT_R_CONCURRENCY:
			if (parse_uint(optarg, 1, 64, &v) != 0)
				return cli_usage_error(cmd, "--concurrency is a number "
				    "from 1 to 64, not '%s'", optarg), -1;
			o->concurrency = (unsigned)v;
			break;
		case OPT_R_RATE:
			if (parse_rate(optarg, &n, &w) != 0)
				return cli_usage_error(cmd, "--rate is N/DURATION such "
				    "as 100/10s, not '%s'", optarg), -1;
			o->rate = optarg;
			break;
		case OPT_R_MAX_ATTEMPTS:
			if (parse_uint(optarg, 1, 100, &v) != 0)
				return cli_usage_error(cmd, "--max-attempts is a number "
				    "from 1 to 100, not '%s'", optarg), -1;
			o->max_attempts = (unsigned)v;
			break;
		case OPT_R_NO_PROGRESS:
			o->progress = false;
			break;
		case OPT_R_YES:
			o->yes = true;
			break;
		case 'n':
			o->dry = true;
			if (retry)
				break;
			return cli_usage_error(cmd, "--dry-run is retry's: a resume "
			    "sends what the send left, which hubassoc show SESSION "
			    "lists (only a remove or a relabel not agreed to asks first)"),
			    -1;
		case OPT_R_ONLY:
			if (retry && session_only_parse(optarg, &o->only, &cause) != 0) {
				cli_usage_error(cmd, "%s", cause);
				free(cause);
				return -1;
			}
			if (retry)
				break;
			/* FALLTHROUGH */
		default:
			return cli_usage_error(cmd, opt == ':' ?
			    "option '%s' needs a value" : "unknown option '%s'",
			    argv[optind - 1]), -1;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "give a SESSION (see history)"), -1;
	return 0;
}

/* retry --dry-run: what the next send would take, row by row (the first
 * few, with why each stands as it does); nothing is sent or written. */
static int
retry_planned(const struct session *s, const uint32_t *rows, size_t n)
{
	size_t by[OUTCOME_COUNT] = { 0 }, kept = 0;
	struct explain x = { 0 };
	char a[64], b[64];

	for (size_t i = 0; i < n; i++) {
		by[s->out.state[rows[i]]]++;
		kept += outcomes_label_kept(&s->out, rows[i]);
	}
	/* A relabel's rows whose new label is on make no create again. */
	size_t chunks = (n - kept + s->plan.chunk_size - 1) / s->plan.chunk_size;
	char edited[64] = "";
	if (by[OUTCOME_EDITED] > 0)
		snprintf(edited, sizeof(edited), ", %zu edited", by[OUTCOME_EDITED]);
	cli_say("retry %s --dry-run: send %zu would take %s (%zu "
	    "failed, %zu not_sent%s) in %s of up to %zu; nothing was sent",
	    s->meta.id, s->nsends + 1, fmt_counted(a, n, "row"), by[OUTCOME_FAILED],
	    by[OUTCOME_NOT_SENT], edited, fmt_counted(b, chunks, "request"),
	    s->plan.chunk_size);
	if (kept > 0)
		fprintf(stderr, "  old label  %zu whose new label is on: only the labels "
		    "they replace would be taken off\n", kept);
	for (size_t i = 0; i < n && i < 10; i++) {
		const struct input_row *r = &s->in->rows[rows[i]];
		struct buf why = BUF_INIT, at = BUF_INIT;
		explain_line(&x, s, NULL, NULL, rows[i], &why);
		/* As every view names it ("paste 3:3"; before, the row's line
		 * among the session's). */
		input_line_label(s->in, r->line, &at);
		char *safe = text_escape_str(buf_str(&at), at.len, 40);
		char *said = xasprintf("  line %-5s %s > %s  %s  %s", safe,
		    input_from(s->in, r), input_to(s->in, r),
		    outcome_word(s->out.state[rows[i]], s->plan.op), buf_str(&why));
		cli_print_line("", said);
		free(said);
		free(safe);
		buf_free(&at);
		buf_free(&why);
	}
	if (n > 10)
		fprintf(stderr, "  ... and %zu more\n", n - 10);
	explain_free(&x);
	return EXIT_ALL_CREATED;
}

/* The session is sent no further: say so, write the records, and exit as
 * its rows say. */
static int
nothing_to_send(struct session *s, struct export_out *out,
    const struct again_opts *o, const char *why)
{
	cli_say("session %s has %s", s->meta.id, why);
	print_outcomes(s->in, &s->plan, &s->out, 5);
	int rc = session_exit_status(s, ENGINE_COMPLETE, 0);
	if (cli_records_write(out, o->format, s) != 0)
		rc = exit_output_failed(rc);
	return rc;
}

/* A remove's or a relabel's plan names its labels, as the first send's
 * did (before: "USER_DEFINED:44" on a resume): the portal's, in out; NULL
 * when they cannot be read (by ID, then) or a create needs none. */
static const struct assoc_labels *
plan_labels(struct conn *c, const struct session *s, struct assoc_labels *out)
{
	char *why = NULL;
	bool named = s->plan.op != PLAN_OP_CREATE &&
	    conn_labels(c, &s->from, &s->to, out, &why) == 0;

	free(why);
	return named ? out : NULL;
}

/* What resume and retry refuse, said (exit status 2): a session never
 * sent, one undone, one whose pairs changed in the terminal since (retry),
 * one whose last send is to finish first (retry). */
static bool
refused(const struct session *s, const char *cmd, bool retry)
{
	if (s->nsends == 0) {
		/* A terminal's pairs, never sent: nothing to finish or retry. */
		cli_error("%s: session %s has not been sent yet: its pairs are "
		    "edited in the terminal (hubassoc --session %s), where S sends "
		    "them", cmd, s->meta.id, s->meta.id);
		return true;
	}
	if (s->meta.undo == SESSION_UNDO_DONE) {
		/* Its rows would be written again in a session taken back
		 * (before: a retry sent them as its next send, a resume its
		 * not_sent rows, "state undone"). */
		cli_error("%s: session %s was undone: its rows go again as a new "
		    "session (hubassoc export %s --format csv lists them)", cmd,
		    s->meta.id, s->meta.id);
		return true;
	}
	/* A pair edited in the terminal since its last send (a row fixed
	 * there, say): a retry would send the rows as they went, what was
	 * fixed undone (before: sent so, unsaid). */
	if (retry && s->meta.changed_since) {
		char where[4096];
		cli_error("retry: pairs of session %s were edited in the terminal "
		    "since its last send, and retry sends its rows as they went: R in "
		    "the terminal sends them as they read now (hubassoc --session "
		    "%s%s)", s->meta.id, s->meta.id, conn_where_went(&s->meta, where,
		    sizeof(where)));
		return true;
	}
	if (retry && session_unfinished(s)) {
		/* The command whole, as copied (before: without where it went,
		 * refused when run). */
		char where[4096];
		cli_error("retry: send %zu of session %s was interrupted: hubassoc "
		    "resume %s%s finishes it first", s->nsends, s->meta.id, s->meta.id,
		    conn_where_went(&s->meta, where, sizeof(where)));
		return true;
	}
	return false;
}

/*
 * resume: finishes the session's last send, sending what has no recorded
 * answer.  retry: starts its next send, of the rows whose state the
 * options take.  Both append to the session's journal, held for sending.
 */
static int
send_again(int argc, char **argv, struct common_opts *common, const char *cmd)
{
	bool retry = strcmp(cmd, "retry") == 0;
	struct again_opts o;
	struct session s;
	struct conn c;
	struct journal *j = NULL;
	struct export_out out;
	char *cause = NULL, a[64], b[64];
	uint32_t *rows = NULL;
	size_t nrows = 0;
	int rc;

	if (again_args(argc, argv, common, cmd, &o) != 0)
		return EXIT_USAGE;
	if (cli_records_open(cmd, o.output, &out) != 0)
		return EXIT_USAGE;
	if (cli_load_session(cmd, argv[optind], &s, &j) != 0) {
		export_abandon(&out);
		return EXIT_USAGE;
	}
	struct common_opts wr = *common;
	wr.writes = true;
	if (!retry && (s.meta.undo == SESSION_UNDO_BEGUN ||
	    s.meta.undo == SESSION_UNDO_READING)) {
		/* An undo that stopped: resume finishes it, as it was agreed to;
		 * stopped while it read, before anyone agreed, it asks. */
		if ((rc = cli_connect_session(&c, &wr, cmd, &s, o.concurrency,
		    o.rate)) == 0) {
			char where[4096];
			char *no_tty = xasprintf("resume: the undo of session %s stopped "
			    "before it was agreed to, and there is no terminal to ask: "
			    "hubassoc undo %s%s --yes finishes it", s.meta.id, s.meta.id,
			    conn_where(&c, where, sizeof(where)));
			struct op *u = op_undo(&c, j, &s, false);
			rc = cli_run_op(&c, u, s.meta.undo == SESSION_UNDO_BEGUN, no_tty);
			op_free(u);
			free(no_tty);
			conn_close(&c);
		}
		goto done;
	}
	if (refused(&s, cmd, retry)) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (retry) {
		nrows = session_retry_rows(&s, o.only, &rows);
		if (nrows == 0) {
			char *only = session_only_name(o.only);
			char *why = xasprintf("no row to retry (none is %s)", only);
			rc = nothing_to_send(&s, &out, &o, why);
			free(why);
			free(only);
			goto done;
		}
		if (o.dry) {
			rc = retry_planned(&s, rows, nrows);
			goto done;
		}
	} else if (!session_resume_wanted(&s)) {
		/* What was not sent, or sent without a recorded answer, goes
		 * again: creating a pair with the same types twice is harmless. */
		rc = nothing_to_send(&s, &out, &o, "nothing left to send");
		goto done;
	}
	if ((rc = cli_connect_session(&c, &wr, cmd, &s, o.concurrency,
	    o.rate)) != 0)
		goto done;
	c.max_attempts = o.max_attempts;
	if (retry) {
		char *only = session_only_name(o.only);
		unsigned send = (unsigned)s.nsends + 1;
		if (session_send_next(&s, j, "retry", only, rows, nrows, &cause) != 0)
			rc = EXIT_AUTH;
		else
			cli_say("session %s, send %u: retrying %s "
			    "row%s (%s)", s.meta.id, send, fmt_count(a, nrows),
			    nrows == 1 ? "" : "s", only);
		free(only);
	} else if (journal_resumed(j, (unsigned)s.nsends, &cause) != 0) {
		rc = EXIT_AUTH;
	} else if (!session_unfinished(&s)) {
		/* A relabel's last step alone (session_resume_wanted). */
		cli_say("resuming session %s: its pairs read again "
		    "for the labels it replaces", s.meta.id);
	} else {
		/* What it has to do, and only that (before: "0 unconfirmed to
		 * read back first" of every send that had none). */
		size_t send = session_pending_sent(&s);
		size_t back = s.out.count[OUTCOME_UNCONFIRMED];
		struct buf what = BUF_INIT;
		if (send > 0 || back == 0)
			buf_printf(&what, "%s to send", fmt_counted(a, send, "row"));
		if (back > 0)
			buf_printf(&what, "%s%s unconfirmed to read back first",
			    send > 0 ? ", " : "", fmt_counted(b, back, "row"));
		cli_say("resuming session %s: %s", s.meta.id,
		    buf_str(&what));
		buf_free(&what);
	}
	if (rc != 0) {
		cli_error("%s: %s", cmd, cause);
		free(cause);
		conn_close(&c);
		goto done;
	}
	struct run_opts ro = {
	    .progress = o.progress && isatty(STDERR_FILENO),
	    .verbose = common->verbose, .yes = o.yes };
	struct assoc_labels labels = { 0 };
	rc = cli_send(&c, j, &s, &ro, false, plan_labels(&c, &s, &labels));
	assoc_labels_free(&labels);
	if (cli_records_write(&out, o.format, &s) != 0)
		rc = exit_output_failed(rc);
	conn_close(&c);
done:
	export_abandon(&out);
	free(rows);
	journal_close(j);
	session_free(&s);
	return rc;
}

int
cmd_resume(int argc, char **argv, struct common_opts *common)
{
	return send_again(argc, argv, common, "resume");
}

int
cmd_retry(int argc, char **argv, struct common_opts *common)
{
	return send_again(argc, argv, common, "retry");
}
