/* options.c: the sandbox's switches, by name, with their help text. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"
#include "hubassoc/text.h"
#include "hubassoc/util.h"

void
sandbox_opts_init(struct sandbox_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->token = SANDBOX_TOKEN_DEFAULT;
	o->max_inputs = SANDBOX_MAX_INPUTS_DEFAULT;
	o->page_size = SANDBOX_PAGE_SIZE_DEFAULT;
	o->invalid_mode = 400;   /* every real capture of bad IDs is a 400 */
	o->success_code = 201;
	o->search_rate = 5;      /* CRM search's own limit, about 5 a second */
	/* A portal's budget, as HubSpot's free tier: 100 per 10 s. */
	o->rate_max = 100;
	o->rate_window_ms = 10000;
}

void
sandbox_opts_free(struct sandbox_opts *o)
{
	free(o->missing);
	free(o->scopes);
	free(o->log_path);
	free(o->fault_only);
	free(o->assoc_limits);
	o->assoc_limits = NULL;
	free(o->tls_cert);
	free(o->tls_key);
	free(o->keep_path);
	o->keep_path = NULL;
	o->missing = NULL;
	o->scopes = NULL;
	o->log_path = NULL;
	o->fault_only = NULL;
	o->tls_cert = NULL;
	o->tls_key = NULL;
}

static int
add_missing(struct sandbox_opts *o, const char *text, char **cause)
{
	unsigned long long v;

	if (parse_uint(text, 1, INT64_MAX, &v) != 0) {
		char *e = text_escape_str(text, strlen(text), 40);
		*cause = xasprintf("'%s' is not a record ID", e);
		free(e);
		return -1;
	}
	o->missing = xreallocarray(o->missing, o->nmissing + 1, sizeof(*o->missing));
	o->missing[o->nmissing++] = v;
	return 0;
}

static int
missing_list(struct sandbox_opts *o, const char *list, char **cause)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;

	for (char *t = strtok_r(copy, ", \t\r\n", &save); t != NULL && rc == 0;
	    t = strtok_r(NULL, ", \t\r\n", &save))
		rc = add_missing(o, t, cause);
	free(copy);
	return rc;
}

static int
missing_file(struct sandbox_opts *o, const char *path, char **cause)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int rc = 0;

	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		rc = missing_list(o, line, cause);
	}
	fclose(f);
	return rc;
}

static const char help[] =
"  --port N               listen on 127.0.0.1:N (0: a free port; default 0)\n"
"  --seed N               the demo portal and the faults (default 1)\n"
"  --token T              the token to accept (default sandbox-token)\n"
"  --expired-token T      a token answered 401 EXPIRED_AUTHENTICATION\n"
"  --scopes LIST          the token's granted scopes, comma-separated\n"
"                         (default: all); others get 403 MISSING_SCOPES\n"
"  --max-inputs N         inputs a batch may hold (default 2000)\n"
"  --record-limit N       associations a record may have to each type;\n"
"                         past it, ASSOCIATION_LIMIT_EXCEEDED\n"
"  --page-size N          associations per batch/read page, and at most\n"
"                         this many search results a page (default 500)\n"
"  --open-portal          every valid ID exists, but the missing ones\n"
"  --missing ID,...       IDs that do not exist in an open portal\n"
"  --missing-file F       the same, one or more a line\n"
"  --latency MS[:JITTER]  answer after MS milliseconds, +-JITTER\n"
"  --rate N/DURATION      a rolling window: 150/10s, 3/500ms; 429 past it\n"
"                         (default 100/10s, with the headers; none: no limit)\n"
"  --rate-secondly N      N requests a second besides --rate; 429 SECONDLY\n"
"                         past it, and the -Secondly headers\n"
"  --search-rate N        CRM searches a second (default 5, as HubSpot's);\n"
"                         429 SECONDLY past it\n"
"  --daily N              requests a day; 429 DAILY past it\n"
"  --retry-after[=SECS]   add Retry-After to 429s: the real wait, or SECS\n"
"  --no-rate-headers      send no X-HubSpot-RateLimit-* headers\n"
"  --loop-paging          association batch/read gives a paging cursor\n"
"                         that leads back to the same page, for ever\n"
"  --archive-refuse ID    archives leave every pair of record ID in place;\n"
"                         a 2026-03 archive names them in its errors\n"
"  --domain-matches N     a search by domain matches N companies for each\n"
"                         value, as a common domain may\n"
"  --fail-5xx P           answer 500/502/503/504 with probability P\n"
"  --fail-423 P           answer 423 Locked with probability P\n"
"  --fail-400-html P      answer 400 with an edge proxy's HTML page\n"
"  --fail-reset P         drop the connection (before or after the write)\n"
"  --truncate P           cut the answer's body short\n"
"  --slow P               trickle the answer's body\n"
"  --pad N                every JSON answer grows by N bytes (a long field;\n"
"                         --fault-only narrows it too)\n"
"  --silent P             take the request and never answer (nor write)\n"
"  --fault-only TEXT      faults hit only paths that hold TEXT\n"
"  --fault-count N        faults hit N requests, then no more\n"
"  --invalid-mode M       207 (bad IDs reported per input), 400 (the whole\n"
"                         batch refused, bad IDs named) or 400-unnamed\n"
"                         (refused, nothing named); default 400, as\n"
"                         every real capture is\n"
"  --success-code C       201 (default) or 200 for batch/create\n"
"  --log F                a JSON line per request (Authorization redacted)\n"
"  --stray                every create answer also confirms a pair that\n"
"                         was not asked for\n"
"  --assoc-limit F/T/SPEC=N\n"
"                         an admin's limit (repeatable): a record of F may\n"
"                         hold N records of T with the type, e.g.\n"
"                         companies/contacts/USER_DEFINED:37=1; as POST\n"
"                         .../definitions/configurations/F/T/batch/create\n"
"  --labels-add           a create adds USER_DEFINED labels to those a pair\n"
"                         has (default: the new ones replace them; HubSpot's\n"
"                         reports differ)\n"
"  --hostile              a label, every error message and records' names\n"
"                         carry escape sequences and control characters,\n"
"                         as text typed into a portal can\n"
"  --tls-cert F           serve HTTPS with this PEM certificate (chain)...\n"
"  --tls-key F            ...and its PEM private key\n";

const char *
sandbox_opts_help(void)
{
	return help;
}

static int
bad_value(const char *name, const char *value, const char *want, char **cause)
{
	char *e = text_escape_str(value != NULL ? value : "", value ? strlen(value) : 0, 40);

	*cause = xasprintf("--%s: '%s' is not %s", name, e, want);
	free(e);
	return -1;
}

/* The switches (no value) and the texts (kept as given: files, a path's
 * part), by name: true when name is one of them, set. */
static bool
set_named(struct sandbox_opts *o, const char *name, const char *value)
{
	/* The switches, which take no value. */
	static const struct { const char *name; size_t off; } flags[] = {
		{ "open-portal", offsetof(struct sandbox_opts, open_portal) },
		{ "no-rate-headers", offsetof(struct sandbox_opts, no_rate_headers) },
		{ "hostile", offsetof(struct sandbox_opts, hostile) },
		{ "stray", offsetof(struct sandbox_opts, stray) },
		{ "loop-paging", offsetof(struct sandbox_opts, loop_paging) },
		{ "labels-add", offsetof(struct sandbox_opts, labels_add) },
	};
	for (size_t i = 0; i < HA_ARRAY_LEN(flags); i++)
		if (strcmp(name, flags[i].name) == 0) {
			*(bool *)((char *)o + flags[i].off) = true;
			return true;
		}
	/* The texts, kept as given (files, a path's part). */
	static const struct { const char *name; size_t off; } texts[] = {
		{ "fault-only", offsetof(struct sandbox_opts, fault_only) },
		{ "log", offsetof(struct sandbox_opts, log_path) },
		{ "tls-cert", offsetof(struct sandbox_opts, tls_cert) },
		{ "tls-key", offsetof(struct sandbox_opts, tls_key) },
	};
	for (size_t i = 0; value != NULL && i < HA_ARRAY_LEN(texts); i++)
		if (strcmp(name, texts[i].name) == 0) {
			char **dst = (char **)((char *)o + texts[i].off);
			free(*dst);
			*dst = xstrdup(value);
			return true;
		}
	return false;
}

int
sandbox_opts_set(struct sandbox_opts *o, const char *name, const char *value,
    char **cause)
{
	unsigned long long v;
	char *colon;

	if (set_named(o, name, value))
		return 0;
	if (strcmp(name, "retry-after") == 0) {
		v = 0;
		if (value != NULL && parse_uint(value, 1, 30ULL * 86400, &v) != 0)
			return bad_value(name, value, "a number of seconds", cause);
		o->retry_after = true;
		o->retry_after_secs = (unsigned long)v;
		return 0;
	}
	if (value == NULL) {
		*cause = xasprintf("--%s needs a value", name);
		return -1;
	}
	if (strcmp(name, "port") == 0) {
		if (parse_uint(value, 0, 65535, &v) != 0)
			return bad_value(name, value, "a port number", cause);
		o->port = (uint16_t)v;
	} else if (strcmp(name, "seed") == 0) {
		if (parse_uint(value, 0, UINT64_MAX, &v) != 0)
			return bad_value(name, value, "a number", cause);
		o->seed = v;
	} else if (strcmp(name, "token") == 0) {
		o->token = value;
	} else if (strcmp(name, "expired-token") == 0) {
		o->expired_token = value;
	} else if (strcmp(name, "scopes") == 0) {
		free(o->scopes);
		o->scopes = xstrdup(value);
	} else if (strcmp(name, "max-inputs") == 0) {
		if (parse_uint(value, 1, 1000000, &v) != 0)
			return bad_value(name, value, "a number from 1", cause);
		o->max_inputs = (size_t)v;
	} else if (strcmp(name, "domain-matches") == 0) {
		if (parse_uint(value, 1, 100000, &v) != 0)
			return bad_value(name, value, "a number of companies", cause);
		o->domain_matches = (size_t)v;
	} else if (strcmp(name, "archive-refuse") == 0) {
		if (parse_uint(value, 1, INT64_MAX, &v) != 0)
			return bad_value(name, value, "a record ID", cause);
		o->archive_refuse = v;
	} else if (strcmp(name, "pad") == 0) {
		if (parse_uint(value, 1, 512ULL << 20, &v) != 0)
			return bad_value(name, value, "a number of bytes up to 512 MiB", cause);
		o->pad = (size_t)v;
	} else if (strcmp(name, "page-size") == 0) {
		if (parse_uint(value, 1, 100000, &v) != 0)
			return bad_value(name, value, "a number from 1", cause);
		o->page_size = (size_t)v;
	} else if (strcmp(name, "missing") == 0) {
		return missing_list(o, value, cause);
	} else if (strcmp(name, "missing-file") == 0) {
		return missing_file(o, value, cause);
	} else if (strcmp(name, "latency") == 0) {
		char tmp[64];
		snprintf(tmp, sizeof(tmp), "%s", value);
		if ((colon = strchr(tmp, ':')) != NULL)
			*colon = '\0';
		if (parse_uint(tmp, 0, 600000, &v) != 0)
			return bad_value(name, value, "MS or MS:JITTER", cause);
		o->latency_ms = (unsigned)v;
		o->jitter_ms = 0;
		if (colon != NULL) {
			if (parse_uint(colon + 1, 0, 600000, &v) != 0)
				return bad_value(name, value, "MS or MS:JITTER", cause);
			o->jitter_ms = (unsigned)v;
		}
	} else if (strcmp(name, "rate") == 0) {
		if (strcmp(value, "none") == 0)
			o->rate_max = 0;     /* no limit, no headers: for benchmarks */
		else if (parse_rate(value, &o->rate_max, &o->rate_window_ms) != 0)
			return bad_value(name, value, "N/DURATION such as 150/10s", cause);
	} else if (strcmp(name, "record-limit") == 0) {
		if (parse_uint(value, 1, 1000000, &v) != 0)
			return bad_value(name, value, "a number of associations", cause);
		o->record_limit = (size_t)v;
	} else if (strcmp(name, "rate-secondly") == 0) {
		if (parse_uint(value, 1, 100000, &v) != 0)
			return bad_value(name, value, "a number of requests a second", cause);
		o->rate_secondly = (unsigned)v;
	} else if (strcmp(name, "search-rate") == 0) {
		if (parse_uint(value, 1, 100000, &v) != 0)
			return bad_value(name, value, "a number of searches a second", cause);
		o->search_rate = (unsigned)v;
	} else if (strcmp(name, "daily") == 0) {
		if (parse_uint(value, 1, UINT32_MAX, &v) != 0)
			return bad_value(name, value, "a number from 1", cause);
		o->daily_max = (unsigned long)v;
	} else if (strcmp(name, "fail-5xx") == 0 || strcmp(name, "fail-423") == 0 ||
	    strcmp(name, "fail-reset") == 0 || strcmp(name, "truncate") == 0 ||
	    strcmp(name, "slow") == 0 || strcmp(name, "fail-400-html") == 0 ||
	    strcmp(name, "silent") == 0) {
		double pr;
		if (parse_probability(value, &pr) != 0)
			return bad_value(name, value, "a probability (0.05 or 5%)", cause);
		double *dst = strcmp(name, "fail-5xx") == 0 ? &o->fail_5xx :
		    strcmp(name, "fail-423") == 0 ? &o->fail_423 :
		    strcmp(name, "fail-reset") == 0 ? &o->fail_reset :
		    strcmp(name, "fail-400-html") == 0 ? &o->fail_400_html :
		    strcmp(name, "silent") == 0 ? &o->silent :
		    strcmp(name, "truncate") == 0 ? &o->truncate : &o->slow;
		*dst = pr;
	} else if (strcmp(name, "fault-count") == 0) {
		if (parse_uint(value, 1, 1000000000, &v) != 0)
			return bad_value(name, value, "a number from 1", cause);
		o->fault_count = (unsigned long)v;
	} else if (strcmp(name, "assoc-limit") == 0) {
		/* Checked once the portal is there (sandbox_start). */
		char *all = xasprintf("%s%s%s", o->assoc_limits != NULL ?
		    o->assoc_limits : "", o->assoc_limits != NULL ? "," : "", value);
		free(o->assoc_limits);
		o->assoc_limits = all;
	} else if (strcmp(name, "invalid-mode") == 0) {
		if (strcmp(value, "207") != 0 && strcmp(value, "400") != 0 &&
		    strcmp(value, "400-unnamed") != 0)
			return bad_value(name, value, "207, 400 or 400-unnamed", cause);
		o->invalid_mode = atoi(value);
		o->invalid_unnamed = strcmp(value, "400-unnamed") == 0;
	} else if (strcmp(name, "success-code") == 0) {
		if (strcmp(value, "200") != 0 && strcmp(value, "201") != 0)
			return bad_value(name, value, "200 or 201", cause);
		o->success_code = atoi(value);
	} else {
		*cause = xasprintf("unknown sandbox option --%s", name);
		return -1;
	}
	return 0;
}

