/*
 * config.h: the config file, its profiles, and where the token comes from.
 *
 * $XDG_CONFIG_HOME/hubassoc/config (default ~/.config/hubassoc/config) holds
 * [profile NAME] sections of key = value lines; '#' starts a comment.  Keys:
 * base_url, api_version, token_cmd, token_file, rate, concurrency, chunk,
 * max_wait, timeout, theme, cacert, preflight, check_ids.  Without --profile the section "default" is used when present.
 *
 * The token is never an argument: it comes from the first source that gives
 * one of token_cmd, token_file (refused when group or world may read it) and
 * HUBSPOT_ACCESS_TOKEN, and lives only in memory.
 */
#ifndef HUBASSOC_CONFIG_H
#define HUBASSOC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hubassoc/request.h"

#define TOKEN_ENV "HUBSPOT_ACCESS_TOKEN"
#define TOKEN_MAX 4096

struct profile {
	char *name;            /* "default" when none was chosen */
	char *source;          /* the file it came from, or NULL */
	char *base_url;
	char *api_version;
	char *token_cmd;
	char *token_file;
	char *rate;
	char *theme;
	char *cacert;          /* a CA bundle to verify TLS with */
	unsigned long concurrency;  /* 0: not set */
	unsigned long chunk;        /* 0: not set */
	unsigned long long max_wait_ms;  /* 0: not set */
	unsigned long long timeout_ms;   /* 0: not set */
	bool no_preflight;          /* preflight = no: send without looking */
	bool check_ids;             /* check_ids = yes: the preflight asks
	                             * whether every ID is a record */
};

/* $ENV/sub, or $HOME/fallback/sub when ENV is unset or empty. */
int xdg_path(const char *env, const char *fallback, const char *sub, char **out,
    char **cause);

/*
 * Loads profile `name` (NULL: "default" if the file has it) from path (NULL:
 * the default path; a missing default file is not an error).  Errors name
 * the file and line.
 */
int config_load(const char *path, const char *name, struct profile *p,
    char **cause);
void profile_free(struct profile *p);
/* The names of the default config's profiles, in the file's order, read
 * with the same checks as config_load (owner, mode, every line); none when
 * there is no config.  The caller frees each and the array. */
int config_profile_names(char ***names, size_t *n, char **cause);

/* What a command was given (NULL and 0: not given), for settings_resolve. */
struct settings_given {
	const char *profile, *base_url, *api_version, *rate;
	unsigned concurrency;
	uint64_t max_wait_ms, timeout_ms;
	bool sandbox;                 /* the in-process sandbox: its own URL */
	bool sandbox_reset;           /* ... its kept portal started afresh */
	const char *session_base_url; /* resume, retry: where the session went */
	int session_sandbox;          /* ... the built-in sandbox (1), a portal
	                               * (-1), not recorded (0) */
	const char *session_api;
};

/* Settings resolved once, the same way for every command and for a dry
 * run: the command line over the profile over the defaults. */
struct settings {
	struct profile prof;
	char *base_url;               /* NULL with the sandbox */
	enum api_version api;
	unsigned concurrency;
	const char *rate;             /* "N/DURATION", checked */
	unsigned rate_n, rate_window_ms;
	uint64_t max_wait_ms, timeout_ms;
	size_t chunk;                 /* the profile's; 0: not set */
};

enum settings_error {
	SETTINGS_OK,
	SETTINGS_USAGE,               /* the command line is wrong */
	SETTINGS_CONFIG,              /* the config file or a URL is */
};

/* Whether a session sent to session_url may be sent on to url: the same
 * base URL, or, for a sandbox in this process (local, whose port changes
 * with each start), any address of this machine. */
bool settings_same_place(const char *session_url, const char *url, bool local);

/* Resolves; on an error *cause says why (without the command's name). */
enum settings_error settings_resolve(struct settings *s,
    const struct settings_given *g, char **cause);
void settings_free(struct settings *s);

struct token_sources {
	const char *cmd;       /* run with /bin/sh -c; its first line is the token */
	const char *file;      /* its first line is the token */
	bool env;              /* try HUBSPOT_ACCESS_TOKEN */
};

/* Gets the token from the first source that has one.  *origin says which
 * ("token_cmd", "token_file", "HUBSPOT_ACCESS_TOKEN"). */
int token_acquire(const struct token_sources *s, char **token,
    const char **origin, char **cause);
/* Overwrites and frees a token. */
void token_free(char *token);

/* Keeps a token held in memory out of files: no core dumps (RLIMIT_CORE 0,
 * and not dumpable, so no ptrace or /proc/PID/mem by others either), and
 * no TLS key log: libcurl's SSLKEYLOGFILE is dropped unless the user asks
 * for one explicitly with HUBASSOC_SSLKEYLOGFILE, which is then created
 * (or made) 0600 first, never through a symbolic link; -1 and *cause when
 * it cannot be, and no key log is set.  Called once at start, before
 * libcurl is. */
int secrets_guard_process(char **cause);

#endif
