/* shared.c: what the commands share: a session read and held, connected
 * where it was sent; the simple commands' arguments; records for scripts
 * (table, JSON, JSON lines, CSV). */
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/export.h"
#include "hubassoc/text.h"

int
rfmt_parse(const char *s, unsigned allows, enum rfmt *out)
{
	static const char *const names[] = { "table", "json", "jsonl", "csv" };

	for (size_t k = 0; k < HA_ARRAY_LEN(names); k++) {
		if (strcmp(s, names[k]) == 0 && ((allows >> k) & 1)) {
			*out = (enum rfmt)k;
			return 0;
		}
	}
	return -1;
}

int
simple_args(int argc, char **argv, struct common_opts *common, const char *cmd,
    int operands, const char *what, unsigned formats, enum rfmt *format)
{
	int opt, r;

	opterr = 0;
	if (format != NULL)
		*format = RF_TABLE;
	while ((opt = getopt_long(argc, argv, ":f:", simple_longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, cmd)) < 0)
			return -1;
		if (r > 0)
			continue;
		if (opt == 'f' && formats != 0) {
			if (rfmt_parse(optarg, formats, format) != 0) {
				cli_usage_error(cmd, "--format is %s, not '%s'", formats ==
				    (1u << RF_TABLE | 1u << RF_JSON) ? "table or json" :
				    "table, json, jsonl or csv", optarg);
				return -1;
			}
			continue;
		}
		cli_usage_error(cmd, opt == ':' ? "option '%s' needs a value" :
		    "unknown option '%s'", argv[optind - 1]);
		return -1;
	}
	if (argc - optind != operands) {
		cli_usage_error(cmd, argc - optind < operands ? "give %s" :
		    "too many arguments", what);
		return -1;
	}
	return 0;
}


void
print_record(enum rfmt f, const struct rfield *v, size_t n, size_t i, bool last)
{
	struct buf b = BUF_INIT;

	if (f == RF_CSV && i == 0) {
		for (size_t k = 0; k < n; k++)
			buf_printf(&b, "%s%s", k ? "," : "", v[k].key);
		buf_addc(&b, '\n');
	}
	if (f == RF_JSON)
		buf_addstr(&b, i == 0 ? "[\n" : ",\n");
	if (f != RF_CSV)
		buf_addc(&b, '{');
	for (size_t k = 0; k < n; k++) {
		if (k > 0)
			buf_addc(&b, ',');
		if (f != RF_CSV) {
			json_add_string(&b, v[k].key);
			buf_addc(&b, ':');
		}
		if (v[k].is_num)
			buf_add_uint(&b, v[k].num);
		else if (f == RF_CSV)
			csv_add_field(&b, v[k].str != NULL ? v[k].str : "");
		else if (v[k].str != NULL)
			json_add_string(&b, v[k].str);
		else
			buf_addstr(&b, "null");
	}
	if (f != RF_CSV)
		buf_addc(&b, '}');
	if (f != RF_JSON || last)
		buf_addc(&b, '\n');
	if (f == RF_JSON && last)
		buf_addstr(&b, "]\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

/* Reads a session; with hold, first takes it for sending (journal_reopen),
 * so that no other hubassoc sends it meanwhile. */
int
cli_load_session(const char *cmd, const char *what, struct session *s,
    struct journal **hold)
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
	if (s->damaged_lines > 0) {
		char n[64];
		cli_error("%s: %s of the journal could not be read", cmd,
		    fmt_counted(n, s->damaged_lines, "line"));
	}
	return 0;
}

int
cli_load_session_reading(const char *cmd, const char *what, struct session *s,
    struct journal **hold)
{
	char *path = NULL, *cause = NULL;

	*hold = NULL;
	if (journal_find(what, &path, &cause) == 0 &&
	    (*hold = journal_reopen(path, &cause)) == NULL && errno == EWOULDBLOCK) {
		/* Open in another hubassoc: read, and recorded by nobody. */
		free(cause);
		cause = NULL;
		int rc = journal_load(path, s, &cause);
		if (rc == 0)
			cli_error("%s: session %s is open in another hubassoc (sending "
			    "it, or in a terminal): this %s only reads, and is not "
			    "recorded in its journal", cmd, s->meta.id, cmd);
		else
			cli_error("%s: %s", cmd, cause);
		free(cause);
		free(path);
		return rc == 0 ? 0 : -1;
	}
	journal_close(*hold);
	*hold = NULL;
	free(cause);
	free(path);
	return cli_load_session(cmd, what, s, hold);
}

int
cli_connect_session(struct conn *c, const struct common_opts *common,
    const char *cmd, const struct session *s, unsigned concurrency, const char *rate)
{
	struct common_opts co = *common;

	if (co.profile == NULL && s->meta.profile != NULL &&
	    strcmp(s->meta.profile, "default") != 0)
		co.profile = s->meta.profile;
	co.session_sandbox = s->meta.sandbox;
	return cli_connect(c, &co, cmd, concurrency, rate, s->meta.base_url,
	    s->meta.api_version);
}
