/*
 * cli.h: what the subcommands of the command line share.
 */
#ifndef HUBASSOC_CLI_H
#define HUBASSOC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "hubassoc/request.h"
#include "hubassoc/util.h"

/* Exit statuses, as design.md fixes them. */
enum {
	EXIT_ALL_CREATED = 0,
	EXIT_SOME_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_AUTH = 3,
	EXIT_UNREACHABLE = 4,
	EXIT_DAILY_LIMIT = 5,
	EXIT_INTERRUPTED = 130,
};

/* Options every subcommand takes. */
struct common_opts {
	const char *base_url;
	enum api_version api_version;
};

/* Long options shared by every subcommand, for getopt_long tables. */
enum {
	OPT_BASE_URL = 256,
	OPT_API_VERSION,
	OPT_HELP,
	OPT_VERSION,
	OPT_CMD_FIRST = 300,
};

#define COMMON_LONG_OPTIONS \
	{ "base-url", required_argument, NULL, OPT_BASE_URL }, \
	{ "api-version", required_argument, NULL, OPT_API_VERSION }, \
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

/* "1,000,000". */
const char *fmt_count(char buf[32], size_t n);

void usage_print(const char *cmd);

int cmd_create(int argc, char **argv, struct common_opts *common);
int cmd_sandbox(int argc, char **argv, struct common_opts *common);

#endif
