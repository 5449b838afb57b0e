/* sandbox.c: hubassoc sandbox, the emulator in the foreground. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../sandbox/sandbox.h"

/* The sandbox's options are its own table's, passed on by name. */
const struct option sandbox_longopts[] = {
	{ "port", required_argument, NULL, 0 },
	{ "seed", required_argument, NULL, 0 },
	{ "token", required_argument, NULL, 0 },
	{ "expired-token", required_argument, NULL, 0 },
	{ "scopes", required_argument, NULL, 0 },
	{ "max-inputs", required_argument, NULL, 0 },
	{ "record-limit", required_argument, NULL, 0 },
	{ "page-size", required_argument, NULL, 0 },
	{ "open-portal", no_argument, NULL, 0 },
	{ "missing", required_argument, NULL, 0 },
	{ "missing-file", required_argument, NULL, 0 },
	{ "latency", required_argument, NULL, 0 },
	{ "rate", required_argument, NULL, 0 },
	{ "daily", required_argument, NULL, 0 },
	{ "rate-secondly", required_argument, NULL, 0 },
	{ "search-rate", required_argument, NULL, 0 },
	{ "retry-after", optional_argument, NULL, 0 },
	{ "no-rate-headers", no_argument, NULL, 0 },
	{ "loop-paging", no_argument, NULL, 0 },
	{ "labels-add", no_argument, NULL, 0 },
	{ "assoc-limit", required_argument, NULL, 0 },
	{ "archive-refuse", required_argument, NULL, 0 },
	{ "domain-matches", required_argument, NULL, 0 },
	{ "fail-5xx", required_argument, NULL, 0 },
	{ "fail-423", required_argument, NULL, 0 },
	{ "fail-400-html", required_argument, NULL, 0 },
	{ "fail-reset", required_argument, NULL, 0 },
	{ "truncate", required_argument, NULL, 0 },
	{ "slow", required_argument, NULL, 0 },
	{ "pad", required_argument, NULL, 0 },
	{ "silent", required_argument, NULL, 0 },
	{ "fault-only", required_argument, NULL, 0 },
	{ "fault-count", required_argument, NULL, 0 },
	{ "invalid-mode", required_argument, NULL, 0 },
	{ "success-code", required_argument, NULL, 0 },
	{ "log", required_argument, NULL, 0 },
	{ "hostile", no_argument, NULL, 0 },
	{ "stray", no_argument, NULL, 0 },
	{ "tls-cert", required_argument, NULL, 0 },
	{ "tls-key", required_argument, NULL, 0 },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

int
cmd_sandbox(int argc, char **argv, struct common_opts *common)
{
	struct sandbox_opts o;
	struct sandbox *s;
	char *cause = NULL;
	int opt, idx, sig, rc = EXIT_USAGE;
	sigset_t set;

	sandbox_opts_init(&o);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", sandbox_longopts, &idx)) != -1) {
		if (opt == 0) {
			if (sandbox_opts_set(&o, sandbox_longopts[idx].name, optarg,
			    &cause) != 0) {
				cli_usage_error("sandbox", "%s", cause);
				goto done;
			}
			continue;
		}
		if (common_option(common, opt, optarg, "sandbox") != 0)
			goto done;
		cli_usage_error("sandbox", opt == ':' ? "option '%s' needs a value" :
		    "unknown option '%s'", argv[optind - 1]);
		goto done;
	}
	if (optind < argc) {
		cli_usage_error("sandbox", "unexpected argument '%s'", argv[optind]);
		goto done;
	}

	/* The server's threads inherit a mask that leaves the signals to us. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	s = sandbox_start(&o, &cause);
	if (s == NULL) {
		cli_error("sandbox: %s", cause);
		rc = EXIT_AUTH;
		goto done;
	}
	printf("listening on %s\n", sandbox_url(s));
	fflush(stdout);
	sigwait(&set, &sig);
	sandbox_stop(s);
	rc = 0;
done:
	free(cause);
	sandbox_opts_free(&o);
	return rc;
}
