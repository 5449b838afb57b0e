/*
 * create.h: what create, check, remove and relabel share in src/cli: their
 * options as parsed (create_args.c) for the plan and the send (create.c).
 */
#ifndef HUBASSOC_CLI_CREATE_H
#define HUBASSOC_CLI_CREATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "hubassoc/assoctype.h"
#include "hubassoc/export.h"
#include "hubassoc/objtype.h"

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

/* The command line of o->cmd, checked: 0, or -1 after saying why. */
int create_args(int argc, char **argv, struct common_opts *common,
    struct create_opts *o, struct objtype *from, struct objtype *to);

#endif
