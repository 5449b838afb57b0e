/* demo.c: pairs of the demo portal's records, for the terminal's :demo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"
#include "hubassoc/util.h"

int
sandbox_demo_pairs(struct sandbox *sb, const char *from, const char *to,
    struct buf *out, size_t *bykey, char **cause)
{
	enum { DEMO_PAIRS = 100, DEMO_SCAN = 4096 };
	uint64_t *f = xcalloc(DEMO_SCAN, sizeof(*f)), *t = xcalloc(DEMO_SCAN, sizeof(*t));
	size_t nf = sandbox_record_ids(sb, from, f, DEMO_SCAN);
	size_t nt = sandbox_record_ids(sb, to, t, DEMO_SCAN);

	*bykey = 0;
	if (nf == 0 || nt == 0) {
		*cause = xasprintf("the sandbox's portal has no %s records",
		    nf == 0 ? from : to);
		free(f);
		free(t);
		return -1;
	}
	/* An ID next to a record's that no record has. */
	uint64_t lost_from = f[0] + 1, lost_to = t[nt - 1] + 1;
	while (sandbox_has_record(sb, from, lost_from))
		lost_from++;
	while (sandbox_has_record(sb, to, lost_to))
		lost_to++;
	size_t pairs = nf < DEMO_PAIRS ? nf : DEMO_PAIRS;
	buf_printf(out, "# :demo: %s to %s of the sandbox's portal\n", from, to);
	for (size_t i = 0; i < pairs; i++) {
		unsigned long long fi = f[i], ti = t[(i * 7) % nt];
		buf_printf(out, "%llu,%llu\n", fi, ti);
		/* After the tenth pair, what real input has too. */
		if (i == 10 % pairs) {
			buf_printf(out, "%llu,%llu\n", (unsigned long long)lost_from,
			    (unsigned long long)t[0]);              /* no such FROM */
			buf_printf(out, "%llu\n", fi);               /* one field */
			buf_printf(out, "%llu,%llu\n", fi, ti);      /* a duplicate */
			buf_printf(out, "%llu,%llu\n", (unsigned long long)f[0],
			    (unsigned long long)lost_to);           /* no such TO */
			buf_printf(out, "%lluO,%llu\n", fi / 10, ti); /* O for 0 */
		}
	}
	/* Contacts to companies: a few pairs by email and domain too, as
	 * admins hold them; one domain two companies share, and an email no
	 * contact has. */
	if (strcmp(from, "contacts") == 0 && strcmp(to, "companies") == 0 && nt > 1) {
		char email[128], domain[128];
		buf_addstr(out, "# by email and domain, looked up when sent\n");
		for (size_t i = 0; i < 3 && i + 20 < nf; i++) {
			sandbox_record_key(sb, from, f[i + 20], email, sizeof(email));
			sandbox_record_key(sb, to, t[(i + 2) % nt], domain, sizeof(domain));
			buf_printf(out, "%s,%s\n", email, domain);
			(*bykey)++;
		}
		sandbox_record_key(sb, from, f[nf - 1], email, sizeof(email));
		sandbox_record_key(sb, to, t[0], domain, sizeof(domain));
		buf_printf(out, "%s,%s\n", email, domain);   /* two companies */
		sandbox_record_key(sb, to, t[nt - 1], domain, sizeof(domain));
		buf_printf(out, "nobody@example.com,%s\n", domain);
		*bykey += 2;
	}
	free(f);
	free(t);
	return 0;
}
