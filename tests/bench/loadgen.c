/*
 * loadgen: sends batch/create requests to a sandbox as fast as it answers.
 *
 *   loadgen URL CONCURRENCY REQUESTS INPUTS [FIRST_ID]
 *
 * Each request carries INPUTS distinct pairs of an open portal, starting at
 * FIRST_ID; CONCURRENCY requests are in flight on kept-alive connections.
 * Prints "requests=N seconds=S rate=R/s failures=F".
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static char *
make_body(unsigned long long first, int inputs)
{
	size_t cap = (size_t)inputs * 160 + 32, len = 0;
	char *b = malloc(cap);

	len += (size_t)snprintf(b + len, cap - len, "{\"inputs\":[");
	for (int i = 0; i < inputs; i++)
		len += (size_t)snprintf(b + len, cap - len, "%s{\"from\":{\"id\":\"%llu\"},"
		    "\"to\":{\"id\":\"%llu\"},\"types\":[{\"associationCategory\":"
		    "\"HUBSPOT_DEFINED\",\"associationTypeId\":279}]}", i ? "," : "",
		    first + (unsigned long long)i, 900000000000ULL + first + (unsigned long long)i);
	snprintf(b + len, cap - len, "]}");
	return b;
}

int
main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: loadgen URL CONCURRENCY REQUESTS INPUTS [FIRST_ID]\n");
		return 2;
	}
	const char *url = argv[1];
	int conc = atoi(argv[2]), total = atoi(argv[3]), inputs = atoi(argv[4]);
	unsigned long long first = argc > 5 ? strtoull(argv[5], NULL, 10) : 1000000000ULL;
	char **bodies = calloc((size_t)total, sizeof(*bodies));
	struct curl_slist *hdrs = NULL;
	int sent = 0, done = 0, failures = 0, running;
	struct timespec t0, t1;

	for (int k = 0; k < total; k++)
		bodies[k] = make_body(first + (unsigned long long)k * (unsigned long long)inputs, inputs);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	hdrs = curl_slist_append(hdrs, "Authorization: Bearer sandbox-token");
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	CURLM *m = curl_multi_init();
	CURL **easy = calloc((size_t)conc, sizeof(*easy));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < conc && sent < total; i++) {
		easy[i] = curl_easy_init();
		curl_easy_setopt(easy[i], CURLOPT_URL, url);
		curl_easy_setopt(easy[i], CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(easy[i], CURLOPT_POSTFIELDS, bodies[sent++]);
		curl_multi_add_handle(m, easy[i]);
	}
	while (done < total) {
		curl_multi_perform(m, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			long code = 0;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
			if (msg->data.result != CURLE_OK || code != 201)
				failures++;
			done++;
			curl_multi_remove_handle(m, msg->easy_handle);
			if (sent < total) {
				curl_easy_setopt(msg->easy_handle, CURLOPT_POSTFIELDS, bodies[sent++]);
				curl_multi_add_handle(m, msg->easy_handle);
			}
		}
		if (done < total)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("requests=%d seconds=%.3f rate=%.0f/s failures=%d\n", total, secs,
	    total / secs, failures);
	for (int i = 0; i < conc; i++)
		if (easy[i] != NULL)
			curl_easy_cleanup(easy[i]);
	curl_multi_cleanup(m);
	curl_slist_free_all(hdrs);
	for (int k = 0; k < total; k++)
		free(bodies[k]);
	free(bodies);
	free(easy);
	curl_global_cleanup();
	return failures > 0;
}
