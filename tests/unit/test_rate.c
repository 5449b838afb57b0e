/* test_rate.c: the governor never lets more than N go in any window. */
#include "testutil.h"

#include "hubassoc/rate.h"

/* Sends as fast as the governor allows for `duration` ms; returns how many
 * went, and checks no window held more than max. */
static size_t
simulate(struct rate *r, uint64_t start, uint64_t duration, unsigned max,
    unsigned window, uint64_t *sent_times, size_t cap)
{
	size_t n = 0;
	uint64_t now = start;

	while (now < start + duration && n < cap) {
		uint64_t d = rate_delay(r, now);
		if (d > 0) {
			now += d;
			continue;
		}
		rate_sent(r, now);
		sent_times[n++] = now;
	}
	for (size_t i = 0; i + max < n; i++)
		assert_true(sent_times[i + max] - sent_times[i] >= window);
	return n;
}

static void
test_window_respected_and_used(void **state)
{
	(void)state;
	struct rate r;
	uint64_t times[4000];
	rate_init(&r, 20, 2000);
	size_t n = simulate(&r, 1000, 60000, 20, 2000, times, 4000);
	/* 60 s at 20 per 2 s is 600; the margin costs about 2%. */
	assert_true(n >= 580 && n <= 600);
	rate_free(&r);
}

static void
test_burst_then_pace(void **state)
{
	(void)state;
	struct rate r;
	rate_init(&r, 3, 1000);
	assert_int_equal(rate_delay(&r, 0), 0);
	rate_sent(&r, 0);
	rate_sent(&r, 0);
	rate_sent(&r, 0);
	uint64_t d = rate_delay(&r, 0);
	assert_true(d >= 1000 && d <= 1100);
	assert_int_equal(rate_used(&r, 500), 3);
	assert_int_equal(rate_delay(&r, d), 0);
	rate_free(&r);
}

static void
test_stricter_headers_win(void **state)
{
	(void)state;
	struct rate r;
	rate_init(&r, 100, 10000);
	rate_observe(&r, 0, 10, -1, 10000);
	assert_int_equal(r.max, 10);
	/* A looser server budget does not raise ours. */
	rate_observe(&r, 0, 200, -1, 10000);
	assert_int_equal(r.max, 10);
	/* Absent or absurd headers change nothing. */
	rate_observe(&r, 0, -1, -1, -1);
	rate_observe(&r, 0, 0, 5, 0);
	assert_int_equal(r.max, 10);
	rate_free(&r);
	/* The same rate over a shorter window bounds bursts: it wins. */
	rate_init(&r, 100, 10000);
	rate_observe(&r, 0, 20, -1, 2000);
	assert_int_equal(r.max, 20);
	assert_int_equal(r.window_ms, 2000);
	/* ... and the same over a longer one does not. */
	rate_observe(&r, 0, 100, -1, 10000);
	assert_int_equal(r.max, 20);
	rate_free(&r);
}

static void
test_others_spending(void **state)
{
	(void)state;
	struct rate r;
	rate_init(&r, 10, 1000);
	rate_sent(&r, 0);
	/* The portal says 8 of 10 are used: someone else sent 7. */
	rate_observe(&r, 5, 10, 2, 1000);
	assert_int_equal(rate_used(&r, 5), 8);
	rate_sent(&r, 5);
	rate_sent(&r, 5);
	assert_true(rate_delay(&r, 5) > 0);
	rate_free(&r);
}

static void
test_limited_pauses(void **state)
{
	(void)state;
	struct rate r;
	rate_init(&r, 100, 10000);
	rate_limited(&r, 1000, 3000);
	assert_int_equal(rate_delay(&r, 1000), 3000);
	assert_int_equal(rate_delay(&r, 4000), 0);
	/* Without Retry-After: a whole window and its margin. */
	rate_limited(&r, 5000, -1);
	assert_true(rate_delay(&r, 5000) >= 10000);
	assert_int_equal(r.limited, 2);
	rate_free(&r);
}

static void
test_parse(void **state)
{
	(void)state;
	unsigned n, w;
	assert_int_equal(parse_rate("150/10s", &n, &w), 0);
	assert_int_equal(n, 150);
	assert_int_equal(w, 10000);
	assert_int_equal(parse_rate("3/500ms", &n, &w), 0);
	assert_int_equal(w, 500);
	assert_int_equal(parse_rate("100/1m", &n, &w), 0);
	assert_int_equal(w, 60000);
	assert_int_equal(parse_rate("100", &n, &w), -1);
	assert_int_equal(parse_rate("0/10s", &n, &w), -1);
	assert_int_equal(parse_rate("10/0s", &n, &w), -1);
	assert_int_equal(parse_rate("10/1h", &n, &w), 0);
	assert_int_equal(w, 3600000);
	assert_int_equal(parse_rate("10/25h", &n, &w), -1);
	assert_int_equal(parse_rate("/10s", &n, &w), -1);
}

/* The -Secondly headers add a per-second budget, paced alongside. */
static void
test_secondly(void **state)
{
	(void)state;
	struct rate r;

	rate_init(&r, 100, 10000);
	rate_observe_secondly(&r, 0, 3, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rate_delay(&r, 0), 0);
		rate_sent(&r, 0);
	}
	uint64_t d = rate_delay(&r, 0);
	assert_true(d >= 1000 && d <= 1100);
	assert_int_equal(rate_delay(&r, 1100), 0);
	/* Others spending the second: its remaining counts. */
	rate_observe_secondly(&r, 2000, 3, 0);
	assert_true(rate_delay(&r, 2000) >= 1000);
	/* Absent headers change nothing. */
	rate_observe_secondly(&r, 5000, -1, -1);
	assert_int_equal(rate_delay(&r, 5000), 0);
	rate_free(&r);
}

/* The daily limit's remaining requests: the least the answers said, as
 * they come out of order, until the day's reset gives more. */
static void
test_daily_least(void **state)
{
	struct rate r;

	(void)state;
	rate_init(&r, 100, 10000);
	assert_int_equal(r.daily_left, -1);
	rate_observe_daily(&r, 1);
	rate_observe_daily(&r, 0);
	rate_observe_daily(&r, 1);      /* sent before, answered after */
	assert_int_equal(r.daily_left, 0);
	rate_observe_daily(&r, -1);     /* no header: nothing said */
	assert_int_equal(r.daily_left, 0);
	rate_observe_daily(&r, 250000); /* the day's reset */
	assert_int_equal(r.daily_left, 250000);
	rate_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_respected_and_used),
		cmocka_unit_test(test_burst_then_pace),
		cmocka_unit_test(test_stricter_headers_win),
		cmocka_unit_test(test_others_spending),
		cmocka_unit_test(test_limited_pauses),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_secondly),
		cmocka_unit_test(test_daily_least),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
