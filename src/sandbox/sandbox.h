/*
 * sandbox.h: a local HubSpot associations emulator, on libmicrohttpd.
 *
 * It serves the endpoints of hubspot-api.md §1-2 for a deterministic demo
 * portal, with HubSpot's semantics and error shapes and switches for the
 * real world's faults.  `hubassoc sandbox` runs it in the foreground;
 * sandbox_start() runs it inside another command on a free loopback port.
 */
#ifndef HUBASSOC_SANDBOX_H
#define HUBASSOC_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SANDBOX_TOKEN_DEFAULT "sandbox-token"
#define SANDBOX_MAX_INPUTS_DEFAULT 2000
#define SANDBOX_PAGE_SIZE_DEFAULT 500

struct sandbox_opts {
	uint16_t port;            /* 0: a free port */
	uint64_t seed;
	const char *token;
	const char *expired_token;
	char *scopes;             /* comma-separated granted scopes; NULL: all */
	size_t max_inputs;
	size_t pad;                /* bytes every JSON answer grows by */
	unsigned long fault_count; /* faults stop after hitting this many; 0: never */
	unsigned rate_secondly;    /* requests a second; 0: no such limit */
	unsigned search_rate;      /* searches a second (HubSpot's own limit) */
	size_t record_limit;       /* associations per record and type; 0: none */
	size_t page_size;         /* batch/read associations per page */
	bool open_portal;         /* every valid ID exists but the missing ones */
	uint64_t *missing;
	size_t nmissing;
	unsigned latency_ms, jitter_ms;
	unsigned rate_max;        /* requests per window; 0: no limit */
	unsigned rate_window_ms;
	unsigned long daily_max;  /* 0: no daily limit */
	bool retry_after;
	bool stray;                /* answers confirm a pair not asked for */
	unsigned long retry_after_secs;  /* 0: the real wait */
	bool no_rate_headers;     /* limit without saying so, as some endpoints do */
	bool loop_paging;         /* batch/read's cursors lead back to themselves */
	char *assoc_limits;       /* --assoc-limit F/T/SPEC=N, comma-joined */
	bool labels_add;          /* a create adds USER_DEFINED labels to a pair's,
	                           * rather than replacing them (both are reported) */
	uint64_t archive_refuse;  /* archives leave pairs of this record, or 0 */
	size_t domain_matches;    /* each searched domain matches this many, or 0 */
	double fail_5xx, fail_423, fail_reset, truncate, slow, fail_400_html, silent;
	char *fault_only;         /* faults hit only paths holding this */
	int invalid_mode;         /* 207 or 400 */
	bool invalid_unnamed;     /* 400s that name no ID or type */
	int success_code;         /* 201 or 200 */
	char *log_path;
	bool hostile;             /* labels and messages carry escape sequences */
	char *tls_cert, *tls_key; /* PEM files: serve HTTPS instead of HTTP */
	char *keep_path;          /* the portal kept in this file; NULL: not */
	bool keep_reset;          /* ... started afresh all the same */
};

/* --hostile's texts: a contacts-to-companies label (USER_DEFINED 50) that
 * a spreadsheet would run as a formula and that sets the window title and
 * colours, and what every message gains: a screen clear, a title, a bell,
 * a clipboard write (OSC 52), a link (OSC 8), a C1 CSI and a bidi
 * override. */
#define SANDBOX_HOSTILE_LABEL "=\033]0;pwned\007\033[31mRed flag\033[0m\r"
#define SANDBOX_HOSTILE_MESSAGE "\033[2J\033]0;pwned\007\b" \
	"\033]52;c;cHduZWQ=\007\033]8;;http://evil.example\007link\033]8;;\007" \
	"\302\233" "31m\342\200\256" "desrever"

void sandbox_opts_init(struct sandbox_opts *o);
void sandbox_opts_free(struct sandbox_opts *o);

/*
 * Sets one option by its long name without the dashes ("rate", "latency",
 * "missing", ...); value is NULL for flags.  Returns 0, or -1 with *cause.
 * The names and their meaning are listed by sandbox_opts_help().
 */
int sandbox_opts_set(struct sandbox_opts *o, const char *name, const char *value,
    char **cause);
/* The options as usage text, one per line. */
const char *sandbox_opts_help(void);

struct sandbox;

/* Starts the emulator on 127.0.0.1 in threads of its own. */
struct sandbox *sandbox_start(const struct sandbox_opts *o, char **cause);
uint16_t sandbox_port(const struct sandbox *s);
/* "http://127.0.0.1:PORT", or https:// with a certificate. */
const char *sandbox_url(const struct sandbox *s);
void sandbox_stop(struct sandbox *s);
/* With keep_path: how its portal began, "kept" (read back from the file),
 * "new" (no file yet), "reset" (keep_reset) or "not kept" (*note says
 * why); NULL without. */
const char *sandbox_kept(const struct sandbox *s, const char **note);

/* Starts a sandbox with the demo portal for a connection: g then sends to
 * it, and c (to be opened with g) stops it when closed.  NULL and *cause
 * when it would not start. */
struct conn;
struct conn_given;
struct sandbox *sandbox_for_conn(struct conn *c, struct conn_given *g, char **cause);

/*
 * Pairs of the demo portal's records for a direction (path segments such
 * as "contacts"), as a pairs file: up to 100 pairs that exist, with what
 * real input holds too (two lines that are not pairs, a duplicate, two IDs
 * the portal lacks) and, for contacts to companies, pairs by email and
 * domain (*bykey of them: one domain two companies share, an unknown
 * email).  For the terminal's :demo.  0, or -1 and *cause.
 */
struct buf;
int sandbox_demo_pairs(struct sandbox *sb, const char *from, const char *to,
    struct buf *out, size_t *bykey, char **cause);

/*
 * The demo portal's records of an object type (a path segment such as
 * "contacts", or a type ID): up to max of their IDs, in order, into out;
 * returns how many.  0 for a type it does not have.  For the terminal
 * interface's :demo, which needs pairs that exist.
 */
size_t sandbox_record_ids(struct sandbox *s, const char *type, uint64_t *out,
    size_t max);
/* Whether the demo portal has the record (an open portal: all but the
 * missing ones). */
bool sandbox_has_record(struct sandbox *s, const char *type, uint64_t id);
/* A demo record's key, as its portal stores it: a contact's email, a
 * company's domain, the custom object's vin ("" for other types). */
void sandbox_record_key(struct sandbox *s, const char *type, uint64_t id, char *out,
    size_t outlen);

#endif
