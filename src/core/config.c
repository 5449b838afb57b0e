/* config.c: the config file, profiles and token sources. */
#include "hubassoc/config.h"

#include <errno.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hubassoc/engine.h"
#include "hubassoc/http.h"
#include "hubassoc/text.h"
#include "hubassoc/util.h"

int
xdg_path(const char *env, const char *fallback, const char *sub, char **out,
    char **cause)
{
	const char *base = getenv(env), *home;

	if (base != NULL && base[0] == '/') {
		*out = xasprintf("%s/%s", base, sub);
		return 0;
	}
	home = getenv("HOME");
	if (home == NULL || home[0] != '/') {
		*cause = xasprintf("neither %s nor HOME is set to an absolute path", env);
		return -1;
	}
	*out = xasprintf("%s/%s/%s", home, fallback, sub);
	return 0;
}

void
profile_free(struct profile *p)
{
	free(p->name);
	free(p->source);
	free(p->base_url);
	free(p->api_version);
	free(p->token_cmd);
	free(p->token_file);
	free(p->rate);
	free(p->theme);
	free(p->cacert);
	memset(p, 0, sizeof(*p));
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Checks and stores one key of the chosen profile. */
static int
set_key(struct profile *p, const char *key, const char *value, char **why)
{
	unsigned long long v;
	unsigned n, w;

	if (strcmp(key, "base_url") == 0) {
		if (http_check_base_url(value, why) != 0)
			return -1;
		free(p->base_url);
		p->base_url = xstrdup(value);
	} else if (strcmp(key, "api_version") == 0) {
		if (strcmp(value, "v4") != 0 && strcmp(value, "2026-03") != 0) {
			*why = xstrdup("api_version is v4 or 2026-03");
			return -1;
		}
		free(p->api_version);
		p->api_version = xstrdup(value);
	} else if (strcmp(key, "token_cmd") == 0) {
		free(p->token_cmd);
		p->token_cmd = xstrdup(value);
	} else if (strcmp(key, "token_file") == 0) {
		free(p->token_file);
		p->token_file = xstrdup(value);
	} else if (strcmp(key, "rate") == 0) {
		if (parse_rate(value, &n, &w) != 0) {
			*why = xstrdup("rate is N/DURATION, such as 150/10s");
			return -1;
		}
		free(p->rate);
		p->rate = xstrdup(value);
	} else if (strcmp(key, "theme") == 0) {
		free(p->theme);
		p->theme = xstrdup(value);
	} else if (strcmp(key, "cacert") == 0) {
		free(p->cacert);
		p->cacert = xstrdup(value);
	} else if (strcmp(key, "concurrency") == 0) {
		if (parse_uint(value, 1, 64, &v) != 0) {
			*why = xstrdup("concurrency is a number from 1 to 64");
			return -1;
		}
		p->concurrency = (unsigned long)v;
	} else if (strcmp(key, "max_wait") == 0 || strcmp(key, "timeout") == 0) {
		bool wait = strcmp(key, "max_wait") == 0;
		if (parse_duration_ms(value, wait ? ENGINE_MAX_WAIT_MAX_MS :
		    ENGINE_TIMEOUT_MAX_MS, &v) != 0 || v == 0) {
			*why = xstrdup(wait ? "max_wait is a duration such as 10m, 90s, "
			    "at most 24h" : "timeout is a duration such as 30s, at most 10m");
			return -1;
		}
		*(wait ? &p->max_wait_ms : &p->timeout_ms) = v;
	} else if (strcmp(key, "chunk") == 0) {
		if (parse_uint(value, 1, 2000, &v) != 0) {
			*why = xstrdup("chunk is a number from 1 to 2000");
			return -1;
		}
		p->chunk = (unsigned long)v;
	} else if (strcmp(key, "preflight") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			*why = xstrdup("preflight is yes or no");
			return -1;
		}
		p->no_preflight = strcmp(value, "no") == 0;
	} else if (strcmp(key, "check_ids") == 0) {
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			*why = xstrdup("check_ids is yes or no");
			return -1;
		}
		p->check_ids = strcmp(value, "yes") == 0;
	} else {
		*why = xstrdup("unknown key (known: base_url, api_version, token_cmd, "
		    "token_file, rate, concurrency, chunk, max_wait, timeout, theme, "
		    "cacert, preflight, check_ids)");
		return -1;
	}
	return 0;
}

/* The profiles' names, as the file lists them. */
struct profile_names {
	char **v;
	size_t n;
};

/* Reads the config at path (NULL: the default one), checking every line,
 * into p (profile `name`, or "default") and, when names is not NULL, the
 * name of every profile into it. */
static int
config_read(const char *path, const char *name, struct profile *p,
    struct profile_names *names, char **cause)
{
	char *def = NULL, line[4096], *why = NULL;
	FILE *f;
	int lineno = 0, rc = 0;
	bool in_wanted = false, in_section = false, found = false;
	const char *want = name != NULL ? name : "default";

	memset(p, 0, sizeof(*p));
	p->name = xstrdup(want);
	if (path == NULL) {
		if (xdg_path("XDG_CONFIG_HOME", ".config", "hubassoc/config", &def,
		    cause) != 0) {
			/* No home for a config: only a named profile is missed. */
			if (name != NULL)
				return -1;
			free(*cause);
			*cause = NULL;
			return 0;
		}
		path = def;
	}
	f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT && def != NULL && name == NULL) {
			free(def);
			return 0;
		}
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(def);
		return -1;
	}
	/* Its token_cmd runs: someone else's words must not, nor may a file
	 * someone else could put in its place. */
	if (file_check_trusted(fileno(f), "config", path, cause) != 0 ||
	    file_check_dir_trusted(path, cause) != 0) {
		fclose(f);
		free(def);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s = trim(line), *eq;
		lineno++;
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			char sect[256];
			if (end == NULL || end[1] != '\0' || (size_t)(end - s) >= sizeof(sect)) {
				why = xstrdup("a section is [profile NAME]");
				rc = -1;
				break;
			}
			memcpy(sect, s + 1, (size_t)(end - s - 1));
			sect[end - s - 1] = '\0';
			char *t = trim(sect);
			if (strncmp(t, "profile", 7) != 0 || (t[7] != ' ' && t[7] != '\t')) {
				why = xstrdup("a section is [profile NAME]");
				rc = -1;
				break;
			}
			t = trim(t + 7);
			if (names != NULL) {
				names->v = xreallocarray(names->v, names->n + 1,
				    sizeof(*names->v));
				names->v[names->n++] = xstrdup(t);
			}
			in_section = true;
			in_wanted = strcmp(t, want) == 0;
			found |= in_wanted;
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			why = xstrdup("expected key = value");
			rc = -1;
			break;
		}
		if (!in_section) {
			why = xstrdup("a key outside a [profile NAME] section");
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		/* Every profile is checked, so a typo never waits for its day. */
		struct profile scratch = { 0 };
		if (set_key(in_wanted ? p : &scratch, key, value, &why) != 0) {
			profile_free(&scratch);
			char *e = text_escape_str(key, strlen(key), 40);
			char *w = xasprintf("'%s': %s", e, why);
			free(e);
			free(why);
			why = w;
			rc = -1;
			break;
		}
		profile_free(&scratch);
	}
	fclose(f);
	if (rc != 0) {
		*cause = xasprintf("%s:%d: %s", path, lineno, why);
		free(why);
	} else if (name != NULL && !found) {
		*cause = xasprintf("%s: no [profile %s]", path, name);
		rc = -1;
	} else {
		p->source = xstrdup(path);
	}
	free(def);
	return rc;
}

int
config_load(const char *path, const char *name, struct profile *p, char **cause)
{
	return config_read(path, name, p, NULL, cause);
}

int
config_profile_names(char ***names, size_t *n, char **cause)
{
	struct profile p;
	struct profile_names got = { NULL, 0 };
	int rc = config_read(NULL, NULL, &p, &got, cause);

	profile_free(&p);
	if (rc != 0) {
		for (size_t i = 0; i < got.n; i++)
			free(got.v[i]);
		free(got.v);
		got.v = NULL;
		got.n = 0;
	}
	*names = got.v;
	*n = got.n;
	return rc;
}

static int
check_token(char *t, const char *origin, char **cause)
{
	size_t n;

	/* The first line, without its end. */
	t[strcspn(t, "\r\n")] = '\0';
	n = strlen(t);
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		t[--n] = '\0';
	if (n == 0) {
		*cause = xasprintf("%s gave an empty token", origin);
		return -1;
	}
	if (n > TOKEN_MAX) {
		*cause = xasprintf("%s gave a token longer than %d bytes", origin, TOKEN_MAX);
		return -1;
	}
	/* It goes into a header: nothing but visible ASCII. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f) {
			*cause = xasprintf("%s gave a token with spaces or control "
			    "characters", origin);
			return -1;
		}
	return 0;
}

static int
from_cmd(const char *cmd, char **token, char **cause)
{
	int fds[2], status;
	pid_t pid;
	struct buf out = BUF_INIT;
	char chunk[1024];
	ssize_t n;

	if (pipe(fds) != 0) {
		*cause = xasprintf("token_cmd: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*cause = xasprintf("token_cmd: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (out.len < 65536)
			buf_add(&out, chunk, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		*cause = WIFEXITED(status) ?
		    xasprintf("token_cmd exited with status %d", WEXITSTATUS(status)) :
		    xstrdup("token_cmd was killed by a signal");
		if (out.data != NULL)
			memset(out.data, 0, out.len);
		buf_free(&out);
		return -1;
	}
	*token = buf_detach(&out);
	if (check_token(*token, "token_cmd", cause) != 0) {
		token_free(*token);
		*token = NULL;
		return -1;
	}
	return 0;
}

static int
from_file(const char *path, char **token, char **cause)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[TOKEN_MAX + 2];
	ssize_t n;

	if (fd < 0) {
		*cause = xasprintf("token_file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("token_file %s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (file_check_trusted(fd, "token_file", path, cause) != 0) {
		close(fd);
		return -1;
	}
	if (st.st_mode & 077) {
		*cause = xasprintf("token_file %s may be read by group or others "
		    "(mode %04o): run chmod 600 %s", path, (unsigned)(st.st_mode & 07777),
		    path);
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		*cause = xasprintf("token_file %s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	*token = xstrdup(buf);
	memset(buf, 0, sizeof(buf));
	if (check_token(*token, "token_file", cause) != 0) {
		token_free(*token);
		*token = NULL;
		return -1;
	}
	return 0;
}

int
token_acquire(const struct token_sources *s, char **token, const char **origin,
    char **cause)
{
	const char *env;

	*token = NULL;
	if (s->cmd != NULL && s->cmd[0] != '\0') {
		*origin = "token_cmd";
		return from_cmd(s->cmd, token, cause);
	}
	if (s->file != NULL && s->file[0] != '\0') {
		*origin = "token_file";
		return from_file(s->file, token, cause);
	}
	if (s->env && (env = getenv(TOKEN_ENV)) != NULL && env[0] != '\0') {
		*origin = TOKEN_ENV;
		*token = xstrdup(env);
		if (check_token(*token, TOKEN_ENV, cause) != 0) {
			token_free(*token);
			*token = NULL;
			return -1;
		}
		return 0;
	}
	*cause = xstrdup("no token: set " TOKEN_ENV ", or give --token-cmd or "
	    "--token-file (or token_cmd / token_file in a profile)");
	return -1;
}

void
token_free(char *token)
{
	if (token == NULL)
		return;
	/* A volatile write the compiler may not drop. */
	volatile char *p = token;
	while (*p != '\0')
		*p++ = '\0';
	free(token);
}

/* The key log asked for, made ours and 0600 before the TLS library opens
 * it (it would create it 0644, and follow a link to wherever it points). */
static int
keylog_prepare(const char *path, char **cause)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK, 0600);
	struct stat st;
	int rc = -1;

	if (fd < 0) {
		*cause = errno == ELOOP ? xasprintf("HUBASSOC_SSLKEYLOGFILE %s is a "
		    "symbolic link: give the file itself", path) :
		    xasprintf("HUBASSOC_SSLKEYLOGFILE %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		*cause = xasprintf("HUBASSOC_SSLKEYLOGFILE %s is not a regular file",
		    path);
	else if (st.st_uid != geteuid())
		*cause = xasprintf("HUBASSOC_SSLKEYLOGFILE %s belongs to another user "
		    "(uid %u)", path, (unsigned)st.st_uid);
	else if ((st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0)
		*cause = xasprintf("HUBASSOC_SSLKEYLOGFILE %s: %s", path,
		    strerror(errno));
	else
		rc = 0;
	close(fd);
	return rc;
}

int
secrets_guard_process(char **cause)
{
	const struct rlimit none = { 0, 0 };
	const char *keylog = getenv("HUBASSOC_SSLKEYLOGFILE");

	setrlimit(RLIMIT_CORE, &none);
#ifdef __linux__
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
	/* Key logs are written 0644 by the TLS library: only on request, and
	 * to a file made 0600 first. */
	unsetenv("SSLKEYLOGFILE");
	if (keylog == NULL || *keylog == '\0')
		return 0;
	if (keylog_prepare(keylog, cause) != 0)
		return -1;
	setenv("SSLKEYLOGFILE", keylog, 1);
	return 0;
}

bool
settings_same_place(const char *session_url, const char *url, bool local)
{
	return local ? http_url_is_local(session_url) :
	    http_same_base_url(url, session_url);
}

enum settings_error
settings_resolve(struct settings *s, const struct settings_given *g, char **cause)
{
	const char *api, *url;

	memset(s, 0, sizeof(*s));
	if (config_load(NULL, g->profile, &s->prof, cause) != 0)
		return SETTINGS_CONFIG;
	api = g->api_version != NULL ? g->api_version : g->session_api != NULL ?
	    g->session_api : s->prof.api_version != NULL ? s->prof.api_version : "v4";
	if (api_version_parse(api, &s->api) != 0)
		s->api = API_V4;
	/* 0: neither said, and the requests in flight follow the latency. */
	s->concurrency = g->concurrency ? g->concurrency :
	    (unsigned)s->prof.concurrency;
	s->rate = g->rate != NULL ? g->rate : s->prof.rate != NULL ? s->prof.rate :
	    RATE_DEFAULT;
	if (parse_rate(s->rate, &s->rate_n, &s->rate_window_ms) != 0) {
		*cause = xasprintf("rate '%s' is not N/DURATION", s->rate);
		return SETTINGS_USAGE;
	}
	s->max_wait_ms = g->max_wait_ms ? g->max_wait_ms : s->prof.max_wait_ms ?
	    s->prof.max_wait_ms : ENGINE_MAX_WAIT_DEFAULT_MS;
	s->timeout_ms = g->timeout_ms ? g->timeout_ms : s->prof.timeout_ms ?
	    s->prof.timeout_ms : ENGINE_TIMEOUT_DEFAULT_MS;
	s->chunk = s->prof.chunk;
	if (g->sandbox) {
		if (g->base_url != NULL) {
			*cause = xstrdup("--sandbox and --base-url both say where to "
			    "send: choose one");
			return SETTINGS_USAGE;
		}
		if (g->session_base_url != NULL && (g->session_sandbox < 0 ||
		    !settings_same_place(g->session_base_url, NULL, true))) {
			*cause = xasprintf("the session was sent to %s, not to the built-in "
			    "sandbox: give --base-url %s instead of --sandbox",
			    g->session_base_url, g->session_base_url);
			return SETTINGS_USAGE;
		}
		return SETTINGS_OK;
	}
	/* The built-in sandbox's port was that run's: its portal is --sandbox. */
	if (g->session_base_url != NULL && g->session_sandbox == 1) {
		*cause = xstrdup("the session was sent to the built-in sandbox: give "
		    "--sandbox");
		return SETTINGS_USAGE;
	}
	url = g->base_url != NULL ? g->base_url : s->prof.base_url != NULL ?
	    s->prof.base_url : REQUEST_BASE_URL_DEFAULT;
	if (g->session_base_url != NULL &&
	    !settings_same_place(g->session_base_url, url, false)) {
		*cause = xasprintf("the session was sent to %s; this command would "
		    "send to %s: give --base-url %s (or a --profile that names it) to "
		    "send there", g->session_base_url, url, g->session_base_url);
		return SETTINGS_USAGE;
	}
	/* Before any token_cmd runs: a journal's URL is checked too. */
	if (http_check_base_url(url, cause) != 0)
		return SETTINGS_CONFIG;
	s->base_url = xstrdup(url);
	return SETTINGS_OK;
}

void
settings_free(struct settings *s)
{
	profile_free(&s->prof);
	free(s->base_url);
	memset(s, 0, sizeof(*s));
}
