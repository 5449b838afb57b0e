/* labels.c: the labels command: a direction's association types as the
 * portal lists them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hubassoc/labels.h"
#include "hubassoc/text.h"

int
cmd_labels(int argc, char **argv, struct common_opts *common)
{
	struct objtype from, to;
	struct assoc_labels there = { 0 }, back = { 0 };
	struct conn c;
	int rc;

	enum rfmt f;

	if (simple_args(argc, argv, common, "labels", 2, "the two object types, "
	    "FROM and TO", RF_ROWS, &f) != 0)
		return EXIT_USAGE;
	if ((rc = cli_objtypes(common, "labels", argv + optind, &from, &to)) != 0)
		return rc;
	if ((rc = cli_connect(&c, common, "labels", 1, NULL, NULL, NULL)) != 0)
		return rc;
	if ((rc = cli_labels(&c, &from, &to, &there, "labels")) == 0 &&
	    (rc = cli_labels(&c, &to, &from, &back, "labels")) == 0) {
		labels_pair_inverses(&there, &back, &from, &to);
		if (f == RF_TABLE)
			printf("%-20s %8s %8s  %s\n", "CATEGORY", "TYPEID", "INVERSE",
			    "LABEL");
		else if (there.n == 0 && f == RF_JSON)
			printf("[]\n");
		for (size_t i = 0; i < there.n; i++) {
			const struct assoc_label *l = &there.v[i];
			if (f != RF_TABLE) {
				/* For scripts: null for no label, 0 for no inverse. */
				struct rfield v[] = {
					{ "category", assoc_category_name(l->cat), 0, false },
					{ "typeId", NULL, l->type_id, true },
					{ "inverseTypeId", NULL, l->inverse, true },
					{ "label", l->label, 0, false },
				};
				print_record(f, v, HA_ARRAY_LEN(v), i, i + 1 == there.n);
				continue;
			}
			char inv[16] = "-";
			struct buf label = BUF_INIT;
			if (l->inverse != 0)
				snprintf(inv, sizeof(inv), "%u", l->inverse);
			if (l->label != NULL)
				text_escape(&label, l->label, strlen(l->label));
			else
				buf_addstr(&label, "(unlabeled)");
			printf("%-20s %8u %8s  %s\n", assoc_category_name(l->cat),
			    l->type_id, inv, buf_str(&label));
			buf_free(&label);
		}
	}
	assoc_labels_free(&there);
	assoc_labels_free(&back);
	conn_close(&c);
	return rc;
}
