/* test_http.c: where a token may be sent (http_check_base_url). */
#include "testutil.h"

#include "hubassoc/http.h"

static void
refused(const char *url, const char *why)
{
	char *cause = NULL;

	if (http_check_base_url(url, &cause) == 0)
		fail_msg("'%s' was accepted", url);
	assert_non_null(cause);
	if (strstr(cause, why) == NULL)
		fail_msg("'%s': '%s' lacks '%s'", url, cause, why);
	free(cause);
}

static void
accepted(const char *url)
{
	char *cause = NULL;

	if (http_check_base_url(url, &cause) != 0)
		fail_msg("'%s' was refused: %s", url, cause);
	assert_null(cause);
}

static void
test_plain_http_only_to_this_machine(void **state)
{
	(void)state;
	accepted("http://127.0.0.1:8099");
	accepted("http://127.9.8.7");
	accepted("http://localhost:1/prefix");
	accepted("http://LOCALHOST");
	accepted("http://[::1]:8080/");
	accepted("https://api.hubapi.com");
	accepted("https://api.hubapi.com/");
	accepted("HTTPS://API.HUBAPI.COM");
	refused("http://localhost.evil.example", "plain http to localhost.evil.example");
	refused("http://127.evil.example", "unencrypted");
	refused("http://127.0.0.1.evil.example", "unencrypted");
	refused("http://evil.example", "unencrypted");
	refused("http://10.0.0.1", "unencrypted");
	refused("http://[::2]", "unencrypted");
	refused("http://localhost./", "unencrypted");
}

static void
test_no_userinfo_query_or_other_scheme(void **state)
{
	(void)state;
	refused("http://localhost@evil.example", "user name or password before its host (evil.example)");
	refused("http://127.0.0.1:80@evil.example", "(evil.example)");
	refused("http://[::1]@evil.example", "(evil.example)");
	refused("https://user:pw@api.hubapi.com", "user name or password");
	refused("https://api.hubapi.com/?x=1", "query or fragment");
	refused("https://api.hubapi.com/#x", "query or fragment");
	refused("ftp://api.hubapi.com", "not an https:// or http:// URL");
	refused("api.hubapi.com", "is not a URL");
	refused("", "is not a URL");
	refused("https://exa mple.com", "is not a URL");
}

static void
test_same_base_url(void **state)
{
	(void)state;
	assert_true(http_same_base_url("https://api.hubapi.com", "https://api.hubapi.com/"));
	assert_true(http_same_base_url("HTTPS://Api.HubApi.com", "https://api.hubapi.com"));
	assert_true(http_same_base_url("http://127.0.0.1:8099/x/", "http://127.0.0.1:8099/x"));
	assert_false(http_same_base_url("http://127.0.0.1:8099", "http://127.0.0.1:8098"));
	assert_false(http_same_base_url("https://api.hubapi.com", "https://api.hubapi.com.evil"));
	assert_false(http_same_base_url("http://localhost@evil.example", "http://localhost"));
	assert_false(http_same_base_url(NULL, "https://api.hubapi.com"));
	assert_false(http_same_base_url("nonsense", "nonsense"));
	assert_true(http_url_is_local("http://127.0.0.1:5"));
	assert_false(http_url_is_local("http://127.0.0.1@evil.example"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_http_only_to_this_machine),
		cmocka_unit_test(test_no_userinfo_query_or_other_scheme),
		cmocka_unit_test(test_same_base_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
