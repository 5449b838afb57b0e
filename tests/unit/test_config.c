/* test_config.c: profiles, their checks, and the token's sources. */
#include "testutil.h"

#include "hubassoc/config.h"

#include <sys/prctl.h>
#include <sys/resource.h>

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/hubassoc-config-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return test_rm_tree(dir);
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static void
test_profiles(void **state)
{
	(void)state;
	char *path = write_file("config", "# comment\n[profile default]\nrate = 150/10s\n"
	    "\n[profile prod]\nbase_url = https://api.hubapi.com\napi_version = 2026-03\n"
	    "token_cmd = pass show hubspot/prod\nrate = 100/10s\nconcurrency = 8\n"
	    "chunk = 1000\ntheme = dark\n", 0600);
	struct profile p;
	char *cause = NULL;

	assert_int_equal(config_load(path, "prod", &p, &cause), 0);
	assert_string_equal(p.name, "prod");
	assert_string_equal(p.api_version, "2026-03");
	assert_string_equal(p.token_cmd, "pass show hubspot/prod");
	assert_int_equal(p.concurrency, 8);
	assert_int_equal(p.chunk, 1000);
	assert_string_equal(p.theme, "dark");
	assert_string_equal(p.source, path);
	profile_free(&p);

	assert_int_equal(config_load(path, NULL, &p, &cause), 0);
	assert_string_equal(p.name, "default");
	assert_string_equal(p.rate, "150/10s");
	assert_null(p.base_url);
	profile_free(&p);

	assert_int_equal(config_load(path, "staging", &p, &cause), -1);
	assert_non_null(strstr(cause, "no [profile staging]"));
	free(cause);
	profile_free(&p);
	free(path);
}

static void
test_errors_name_file_and_line(void **state)
{
	(void)state;
	struct profile p;
	char *cause = NULL;
	char *path = write_file("bad1", "[profile a]\nrate = fast\n", 0600);
	assert_int_equal(config_load(path, "a", &p, &cause), -1);
	assert_non_null(strstr(cause, "bad1:2: 'rate': rate is N/DURATION"));
	free(cause);
	profile_free(&p);
	free(path);

	/* A mistake in another profile is still a mistake. */
	path = write_file("bad2", "[profile a]\nrate = 1/1s\n[profile b]\ncolour = red\n", 0600);
	assert_int_equal(config_load(path, "a", &p, &cause), -1);
	assert_non_null(strstr(cause, "bad2:4: 'colour': unknown key"));
	free(cause);
	profile_free(&p);
	free(path);

	path = write_file("bad3", "rate = 1/1s\n", 0600);
	assert_int_equal(config_load(path, NULL, &p, &cause), -1);
	assert_non_null(strstr(cause, "bad3:1: a key outside a [profile NAME] section"));
	free(cause);
	profile_free(&p);
	free(path);
	path = write_file("bad4", "[profile a\n", 0600);
	assert_int_equal(config_load(path, "a", &p, &cause), -1);
	assert_non_null(strstr(cause, "bad4:1:"));
	free(cause);
	profile_free(&p);
	free(path);
	path = write_file("bad5", "[profile a]\nconcurrency = 0\n", 0600);
	assert_int_equal(config_load(path, "a", &p, &cause), -1);
	free(cause);
	profile_free(&p);
	free(path);
}

static void
test_missing_default_file(void **state)
{
	(void)state;
	struct profile p;
	char *cause = NULL;
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(config_load(NULL, NULL, &p, &cause), 0);
	assert_null(p.source);
	profile_free(&p);
	assert_int_equal(config_load(NULL, "prod", &p, &cause), -1);
	free(cause);
	profile_free(&p);
	unsetenv("XDG_CONFIG_HOME");
}

static void
test_xdg(void **state)
{
	(void)state;
	char *out = NULL, *cause = NULL;
	setenv("XDG_STATE_HOME", "/x/state", 1);
	assert_int_equal(xdg_path("XDG_STATE_HOME", ".local/state", "hubassoc", &out, &cause), 0);
	assert_string_equal(out, "/x/state/hubassoc");
	free(out);
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(xdg_path("XDG_STATE_HOME", ".local/state", "hubassoc", &out, &cause), 0);
	assert_string_equal(out, "/home/u/.local/state/hubassoc");
	free(out);
	unsetenv("XDG_STATE_HOME");
}

static void
test_token_order(void **state)
{
	(void)state;
	char *tok = NULL, *cause = NULL;
	const char *origin;
	char *file = write_file("tok", "pat-file-token\n", 0600);

	setenv(TOKEN_ENV, "pat-env-token", 1);
	struct token_sources s = { .cmd = "printf 'pat-cmd-token\\n'", .file = file, .env = true };
	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), 0);
	assert_string_equal(tok, "pat-cmd-token");
	assert_string_equal(origin, "token_cmd");
	token_free(tok);
	s.cmd = NULL;
	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), 0);
	assert_string_equal(tok, "pat-file-token");
	token_free(tok);
	s.file = NULL;
	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), 0);
	assert_string_equal(tok, "pat-env-token");
	assert_string_equal(origin, TOKEN_ENV);
	token_free(tok);
	unsetenv(TOKEN_ENV);
	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), -1);
	assert_non_null(strstr(cause, "no token"));
	free(cause);
	free(file);
}

static void
test_token_refusals(void **state)
{
	(void)state;
	char *tok = NULL, *cause = NULL;
	const char *origin;
	char *file = write_file("open", "pat-x\n", 0644);
	struct token_sources s = { .file = file };

	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), -1);
	assert_non_null(strstr(cause, "group or others (mode 0644)"));
	assert_non_null(strstr(cause, "chmod 600"));
	free(cause);
	free(file);
	s.file = NULL;
	s.cmd = "exit 3";
	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), -1);
	assert_non_null(strstr(cause, "status 3"));
	free(cause);
	s.cmd = "printf 'two words'";
	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), -1);
	assert_non_null(strstr(cause, "spaces or control"));
	free(cause);
	s.cmd = "true";
	assert_int_equal(token_acquire(&s, &tok, &origin, &cause), -1);
	assert_non_null(strstr(cause, "empty"));
	free(cause);
}

/* A config runs its token_cmd: one that others may write, or that another
 * user owns, is refused before anything in it is used. */
static void
test_config_trusted_only(void **state)
{
	(void)state;
	struct profile p;
	char *cause = NULL;
	char *path = write_file("shared", "[profile default]\ntoken_cmd = echo x\n", 0666);

	assert_int_equal(config_load(path, NULL, &p, &cause), -1);
	assert_non_null(strstr(cause, "written by group or others (mode 0666)"));
	free(cause);
	profile_free(&p);
	chmod(path, 0620);
	assert_int_equal(config_load(path, NULL, &p, &cause), -1);
	free(cause);
	profile_free(&p);
	chmod(path, 0644);
	assert_int_equal(config_load(path, NULL, &p, &cause), 0);
	profile_free(&p);
	if (geteuid() == 0 && chown(path, 65534, 65534) == 0) {
		assert_int_equal(config_load(path, NULL, &p, &cause), -1);
		assert_non_null(strstr(cause, "belongs to another user (uid 65534)"));
		free(cause);
		profile_free(&p);
		char *tok = write_file("tok", "pat-x\n", 0600);
		struct token_sources s = { .file = tok };
		const char *origin;
		char *t = NULL;
		assert_int_equal(chown(tok, 65534, 65534), 0);
		assert_int_equal(token_acquire(&s, &t, &origin, &cause), -1);
		assert_non_null(strstr(cause, "belongs to another user"));
		free(cause);
		free(tok);
	}
	free(path);
}

static void
test_private_dirs(void **state)
{
	(void)state;
	char *cause = NULL;
	char *state_dir = xasprintf("%s/state", dir), *sessions = xasprintf("%s/s", state_dir);
	char *link = xasprintf("%s/link", dir);
	struct stat st;

	assert_int_equal(dir_check_private(sessions, &cause), 0);  /* none yet */
	assert_int_equal(make_dirs(sessions, &cause), 0);
	assert_int_equal(dir_check_private(sessions, &cause), 0);
	chmod(sessions, 0777);
	assert_int_equal(dir_check_private(sessions, &cause), -1);
	assert_non_null(strstr(cause, "written by group or others (mode 0777)"));
	free(cause);
	assert_int_equal(stat(sessions, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0777);   /* said, not mended */
	chmod(sessions, 0755);
	assert_int_equal(dir_check_private(sessions, &cause), 0);
	chmod(state_dir, 0770);
	assert_int_equal(dir_check_private(sessions, &cause), -1);
	assert_non_null(strstr(cause, state_dir));
	free(cause);
	chmod(state_dir, 0700);
	assert_int_equal(symlink(sessions, link), 0);
	assert_int_equal(dir_check_private(link, &cause), -1);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);
	if (geteuid() == 0 && chown(sessions, 65534, 65534) == 0) {
		assert_int_equal(dir_check_private(sessions, &cause), -1);
		assert_non_null(strstr(cause, "belongs to another user"));
		free(cause);
	}
	free(state_dir);
	free(sessions);
	free(link);
}

static void
test_secrets_guard(void **state)
{
	(void)state;
	struct rlimit rl;

	char kdir[] = "/tmp/hubassoc-keylog-XXXXXX", *cause = NULL;
	assert_non_null(mkdtemp(kdir));
	char *asked = xasprintf("%s/asked-for", kdir), *link = xasprintf("%s/link", kdir);
	struct stat st;

	setenv("SSLKEYLOGFILE", "/tmp/keys", 1);
	unsetenv("HUBASSOC_SSLKEYLOGFILE");
	assert_int_equal(secrets_guard_process(&cause), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	assert_null(getenv("SSLKEYLOGFILE"));
	/* Asked for: created 0600 before the TLS library writes it 0644. */
	setenv("HUBASSOC_SSLKEYLOGFILE", asked, 1);
	assert_int_equal(secrets_guard_process(&cause), 0);
	assert_string_equal(getenv("SSLKEYLOGFILE"), asked);
	assert_int_equal(stat(asked, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* One already there, readable by all: made 0600. */
	chmod(asked, 0644);
	assert_int_equal(secrets_guard_process(&cause), 0);
	assert_int_equal(stat(asked, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A link is not followed: refused, and no key log at all. */
	assert_int_equal(symlink(asked, link), 0);
	setenv("HUBASSOC_SSLKEYLOGFILE", link, 1);
	assert_int_equal(secrets_guard_process(&cause), -1);
	assert_non_null(strstr(cause, "is a symbolic link"));
	assert_null(getenv("SSLKEYLOGFILE"));
	free(cause);
	unlink(link);
	unlink(asked);
	rmdir(kdir);
	free(asked);
	free(link);
	unsetenv("HUBASSOC_SSLKEYLOGFILE");
	unsetenv("SSLKEYLOGFILE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_missing_default_file),
		cmocka_unit_test(test_xdg),
		cmocka_unit_test(test_token_order),
		cmocka_unit_test(test_token_refusals),
		cmocka_unit_test(test_config_trusted_only),
		cmocka_unit_test(test_private_dirs),
		cmocka_unit_test(test_secrets_guard),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
