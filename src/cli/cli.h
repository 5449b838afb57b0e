/*
 * cli.h: what the subcommands of the command line share.
 */
#ifndef HUBASSOC_CLI_H
#define HUBASSOC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hubassoc/answer.h"
#include "hubassoc/config.h"
#include "hubassoc/conn.h"
#include "hubassoc/engine.h"
#include "hubassoc/http.h"
#include "hubassoc/journal.h"
#include "hubassoc/session.h"
#include "hubassoc/rate.h"
#include "hubassoc/request.h"
#include "hubassoc/util.h"


/* Options every subcommand takes. */
struct common_opts {
	const char *base_url;      /* NULL: the profile's, else HubSpot's */
	const char *api_version;   /* NULL: the profile's, else v4 */
	const char *profile;
	const char *token_file;
	const char *token_cmd;
	const char *cacert;
	bool sandbox;
	bool sandbox_reset;        /* --sandbox-reset: --sandbox, afresh */
	int verbose;
	const char *theme;         /* the TUI's colours */
	unsigned long long max_wait_ms;  /* --max-wait; 0: the profile's */
	unsigned long long timeout_ms;   /* --timeout; 0: the profile's */
	const char *session;       /* --session ID: the TUI opens it */
	/* The terminal's --chunk, --rate, --concurrency (create and the
	 * others parse their own); 0 or NULL: the profile's. */
	size_t chunk;
	const char *rate;
	unsigned concurrency;
	/* Set by a command that writes to the portal (a send, an undo): a
	 * --sandbox that cannot keep its portal refuses it. */
	bool writes;
	/* Set for a session's command: where it was sent (journal_meta's
	 * sandbox: 1 the built-in sandbox, -1 a portal, 0 not recorded). */
	int session_sandbox;
};

enum {
	OPT_BASE_URL = 256,
	OPT_API_VERSION,
	OPT_PROFILE,
	OPT_TOKEN_FILE,
	OPT_TOKEN_CMD,
	OPT_CACERT,
	OPT_SANDBOX,
	OPT_SANDBOX_RESET,
	OPT_VERBOSE,
	OPT_THEME,
	OPT_MAX_WAIT,
	OPT_TIMEOUT,
	OPT_HELP,
	OPT_VERSION,
	OPT_SESSION,
	OPT_TUI_CHUNK,
	OPT_TUI_RATE,
	OPT_TUI_CONCURRENCY,
	OPT_TUI_MAX_ATTEMPTS,
	OPT_CMD_FIRST = 300,
};

#define COMMON_LONG_OPTIONS \
	{ "base-url", required_argument, NULL, OPT_BASE_URL }, \
	{ "api-version", required_argument, NULL, OPT_API_VERSION }, \
	{ "profile", required_argument, NULL, OPT_PROFILE }, \
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE }, \
	{ "token-cmd", required_argument, NULL, OPT_TOKEN_CMD }, \
	{ "cacert", required_argument, NULL, OPT_CACERT }, \
	{ "sandbox", no_argument, NULL, OPT_SANDBOX }, \
	{ "sandbox-reset", no_argument, NULL, OPT_SANDBOX_RESET }, \
	{ "verbose", no_argument, NULL, OPT_VERBOSE }, \
	{ "theme", required_argument, NULL, OPT_THEME }, \
	{ "max-wait", required_argument, NULL, OPT_MAX_WAIT }, \
	{ "timeout", required_argument, NULL, OPT_TIMEOUT }, \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "version", no_argument, NULL, OPT_VERSION }

/*
 * Handles a common option for a subcommand's getopt loop: returns 1 when it
 * was one (and set it), 0 when it is not, and -1 on a bad value (reported).
 * --help and --version print and exit.
 */
int common_option(struct common_opts *c, int opt, const char *arg,
    const char *cmd);

/* Prints "hubassoc: <message>" to stderr, escaping what a terminal would
 * act on. */
void cli_error(const char *fmt, ...) HA_PRINTF(1, 2);
/* Reports a usage error for cmd and returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) HA_PRINTF(2, 3);
/* Writes text to stderr made safe for the terminal. */
void cli_print_safe(const char *s);
/* An operation's line after lead ("hubassoc: "), escaped, and a newline;
 * on a terminal, wrapped at its width under the line's value. */
void cli_print_line(const char *lead, const char *s);
/* A line (escaped already) and a newline to f; when f is a terminal,
 * wrapped at its width: a "label    value" line under its value, another
 * under its indent and two more. */
void cli_wrap_line(FILE *f, const char *t);
/* The columns of the terminal f is, else 0: what a person reads there is
 * wrapped (or drawn to fit); a pipe's lines stay whole, for scripts. */
size_t cli_columns(FILE *f);
/* "hubassoc: " and the message, as cli_print_line says it: what the
 * program says of itself on standard error. */
void cli_say(const char *fmt, ...) HA_PRINTF(1, 2);

/* The exit status once rows were sent and --output could not be written
 * (a full disk): not 2, which says nothing was sent; 3, unless rc already
 * says the run is to be resumed.  The journal holds every outcome, and
 * export writes them again. */
int exit_output_failed(int rc);


void usage_print(const char *cmd);

/* ---- connecting and running (run.c) ---------------------------------- */


/*
 * Connects as a command does (conn_open, conn.h): the command line's
 * options, the profile, the token; with --sandbox, a sandbox started for
 * it.  session_base_url, when given (resume, retry), is where the session
 * was sent: the command line or the profile must name the same place (or
 * --sandbox, for a session sent to this machine), as a journal is no
 * reason to send the token anywhere.  Returns 0, or an exit status after
 * reporting why.
 */
/* What a connection is given by the common options (and a command's
 * concurrency and rate; a resumed session's URL and API version). */
static inline struct conn_given
cli_conn_given(const struct common_opts *co, unsigned concurrency, const char *rate,
    const char *session_base_url, const char *session_api)
{
	return (struct conn_given){
		.set = {
			.profile = co->profile, .base_url = co->base_url,
			.api_version = co->api_version, .rate = rate,
			.concurrency = concurrency, .max_wait_ms = co->max_wait_ms,
			.timeout_ms = co->timeout_ms, .sandbox = co->sandbox,
			.sandbox_reset = co->sandbox_reset,
			.session_base_url = session_base_url,
			.session_sandbox = co->session_sandbox,
			.session_api = session_api,
		},
		.token_cmd = co->token_cmd, .token_file = co->token_file,
		.cacert = co->cacert,
	};
}

int cli_connect(struct conn *c, const struct common_opts *co, const char *cmd,
    unsigned concurrency, const char *rate, const char *session_base_url,
    const char *session_api);
/* The settings alone, resolved as cli_connect does (a dry run's); 0 or
 * an exit status after reporting why.  settings_free them. */
int conn_settings(struct settings *set, const struct common_opts *co,
    const char *cmd, unsigned concurrency, const char *rate,
    const char *session_base_url, const char *session_api);

/* A session found by ID, prefix or "last" and read; with hold, its
 * journal is taken for appending (journal_reopen) first.  0, or -1 after
 * saying why. */
/* The same for a command that only reads (verify): when another hubassoc
 * holds the session, it is read as it stands, said, and *hold is NULL
 * (nothing recorded). */
int cli_load_session_reading(const char *cmd, const char *what, struct session *s,
    struct journal **hold);
int cli_load_session(const char *cmd, const char *what, struct session *s,
    struct journal **hold);
/* Connects for a session's next requests: to where it was sent (its
 * profile unless the command line names one; another base URL refused). */
int cli_connect_session(struct conn *c, const struct common_opts *common,
    const char *cmd, const struct session *s, unsigned concurrency,
    const char *rate);

/* FROM and TO parsed from names[0] and names[1]; a name that is no
 * standard type is looked for among the portal's custom objects when a
 * token is at hand, so the message suggests p_cars, not carts.  0, or the
 * usage error's status after saying it. */
int cli_objtypes(const struct common_opts *co, const char *cmd, char **names,
    struct objtype *from, struct objtype *to);
/* A connection for one look at the portal by a command that can do
 * without it (a dry run's labels, a name's custom objects): one try, never
 * the in-process sandbox.  False, with *cause when there is one, when it
 * cannot be opened; conn_close it either way. */
bool cli_glance(struct conn *c, const struct common_opts *co, char **cause);
/* A direction's labels from the portal (conn_labels), or why not said:
 * 0 or an exit status. */
int cli_labels(struct conn *c, const struct objtype *from, const struct objtype *to,
    struct assoc_labels *out, const char *cmd);

struct run_opts {
	bool progress;
	int verbose;
	bool yes;        /* a remove's (relabel's) question answered yes (--yes) */
	bool dry;        /* a remove's (relabel's) plan said, nothing written */
	struct journal *lookups;  /* the keys' lookups, held: the send's to */
	uint64_t lookup_reqs;     /* write first (op_send_opts) */
};

/* Sends the session's pending rows (op_send: the rows no preflight read
 * are read first, when the session looks first), journaling, until done
 * or stopped; prints progress and the summary.  Returns the exit status. */
int cli_send(struct conn *c, struct journal *j, struct session *s,
    const struct run_opts *ro, bool check_ids, const struct assoc_labels *labels);

/* Runs an operation to its end (op.h): its progress on a terminal, what it
 * says, its question answered yes when yes, else asked on the terminal
 * (without one: no, after saying no_tty), its summary last.  Returns its
 * exit status. */
struct op;
int cli_run_op(struct conn *c, struct op *o, bool yes, const char *no_tty);
/* ... one that asks nothing, its summary held for the caller to say after
 * what it prints (cli_say_summary). */
int cli_run_op_held(struct conn *c, struct op *o);
void cli_say_summary(const struct op *o);

/* Turns calls until they are done, asking more (when given) for what
 * follows once they are, until it has nothing; SIGINT stops them.  Says
 * what stopped them; returns the exit status of the stop (0: complete). */
/* A custom object's primary display property, FROM's and TO's, read from
 * the portal's schemas when a side is one (NULL otherwise; free them). */
void cli_display_props(struct conn *c, const struct objtype *from,
    const struct objtype *to, char *display[2]);
int run_calls(struct conn *c, struct calls *k, bool (*more)(void *arg), void *arg,
    const char *what);

/* Undoes session s (undo.h) on c, journaled in j: reads what is there,
 * says what it will do, asks unless yes, does it.  dry: says it only.
 * Returns the exit status. */
int cli_undo(struct conn *c, struct journal *j, struct session *s, bool dry,
    bool yes);

/* The counts of every outcome, adding up to the rows, and the top errors. */
void print_outcomes(const struct input *in, const struct plan *p,
    const struct outcomes *o, size_t top_errors);

/* How history, show, labels and read print: a table for people, or
 * records for scripts. */
enum rfmt { RF_TABLE, RF_JSON, RF_JSONL, RF_CSV };
#define RF_ROWS (1u << RF_TABLE | 1u << RF_JSON | 1u << RF_JSONL | 1u << RF_CSV)
/* Parses "table", "json", "jsonl" or "csv", of those formats allows (a
 * mask of 1u << rfmt); -1 for another. */
int rfmt_parse(const char *s, unsigned allows, enum rfmt *out);

/* A record of a listing (history, labels) for scripts: its fields by
 * name, a string (NULL: null) or a number each. */
struct rfield {
	const char *key;
	const char *str;
	uint64_t num;
	bool is_num;
};

/* Prints record i (0-based) of a listing; last says it ends it.  JSON is
 * an array, JSON lines a record a line, CSV a header then rows. */
void print_record(enum rfmt f, const struct rfield *v, size_t n, size_t i,
    bool last);

/* Options of commands that take the common ones, --format (formats: a
 * mask of the rfmt they allow, 0 for none) and one or two operands. */
int simple_args(int argc, char **argv, struct common_opts *common, const char *cmd,
    int operands, const char *what, unsigned formats, enum rfmt *format);

/*
 * The commands: --help lists them from here, main dispatches on it, and
 * shell completion (completion.c) reads their operands, options (getopt's
 * own tables) and --format's values from it.
 */
struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv, struct common_opts *common);
	const char *synopsis;     /* after the name, as --help shows it */
	const char *summary;
	const char *operands;     /* "FROM TO", "SESSION", "SHELL" or "" */
	const struct option *longopts;
	const char *formats;      /* --format's values, or NULL */
	const char *usage;        /* COMMAND --help */
};
extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;
extern const struct option main_longopts[], create_longopts[], remove_longopts[],
    relabel_longopts[], simple_longopts[],
    export_longopts[], again_longopts[], sandbox_longopts[], read_longopts[],
    verify_longopts[], undo_longopts[];

/* Asks on the terminal (/dev/tty); false when the answer is not yes. */
bool cli_ask(const char *question);
/* export's --output, and resume's and retry's (sessions.c): opened before
 * the work (a path that cannot be written is an error first), then a
 * session's records written to it, if one was asked for. */
struct export_out;
int cli_records_open(const char *cmd, const char *output, struct export_out *o);
int cli_records_write(struct export_out *o, enum export_format f,
    const struct session *s);

int cmd_completion(int argc, char **argv, struct common_opts *common);
int cmd_complete(int argc, char **argv, struct common_opts *common);
int cmd_create(int argc, char **argv, struct common_opts *common);
int cmd_sandbox(int argc, char **argv, struct common_opts *common);
int cmd_labels(int argc, char **argv, struct common_opts *common);
int cmd_history(int argc, char **argv, struct common_opts *common);
int cmd_show(int argc, char **argv, struct common_opts *common);
int cmd_export(int argc, char **argv, struct common_opts *common);
int cmd_resume(int argc, char **argv, struct common_opts *common);
int cmd_retry(int argc, char **argv, struct common_opts *common);
int cmd_check(int argc, char **argv, struct common_opts *common);
int cmd_remove(int argc, char **argv, struct common_opts *common);
int cmd_relabel(int argc, char **argv, struct common_opts *common);
int cmd_read(int argc, char **argv, struct common_opts *common);
int cmd_verify(int argc, char **argv, struct common_opts *common);
int cmd_undo(int argc, char **argv, struct common_opts *common);

#endif
