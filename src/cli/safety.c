/* safety.c: hubassoc read, verify and undo: what a portal holds, whether a
 * session's pairs are there, and taking a session back. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/assocset.h"
#include "hubassoc/limitcheck.h"
#include "hubassoc/preflight.h"
#include "hubassoc/op.h"
#include "hubassoc/undo.h"
#include "hubassoc/verify.h"
#include "hubassoc/text.h"

#define READ_BAD_SHOWN 10
#define SHOW_CLASSED 10

enum {
	OPT_ALL_TYPES = OPT_CMD_FIRST,
};

const struct option read_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "input", required_argument, NULL, 'i' },
	{ "type", required_argument, NULL, 't' },
	{ "all-types", no_argument, NULL, OPT_ALL_TYPES },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* ---- the IDs to read ----------------------------------------------------- */

struct idfile {
	char **ids;
	size_t n, cap;
	size_t bad;
};

/* The first cell of a line: up to a comma, tab, semicolon or space, CSV
 * quotes taken off. */
static size_t
first_cell(const char *s, size_t len, const char **start)
{
	size_t i = 0, n;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < len && s[i] == '"') {
		*start = s + i + 1;
		for (n = 0; i + 1 + n < len && s[i + 1 + n] != '"'; n++)
			;
		return n;
	}
	*start = s + i;
	for (n = 0; i + n < len && !strchr(",;\t ", s[i + n]); n++)
		;
	return n;
}

static bool
all_digits(const char *s, size_t n)
{
	if (n == 0 || n > RESPONSE_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Reads record IDs, one a line (the first column of a CSV does): blank
 * lines, # comments and a header line are passed over; anything else that
 * is no ID is said with its line and counted. */
static int
read_idfile(const char *path, struct idfile *out, const char *cmd)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	bool seen = false;

	if (f == NULL) {
		cli_error("%s: --input %s: %s", cmd, path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		const char *cell;
		size_t n;
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		size_t off = lineno == 1 && len >= 3 &&
		    memcmp(line, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		n = first_cell(line + off, (size_t)len - off, &cell);
		if (n == 0 || cell[0] == '#')
			continue;
		if (!all_digits(cell, n)) {
			if (!seen) {
				seen = true;     /* a header */
				continue;
			}
			if (out->bad++ < READ_BAD_SHOWN) {
				char *e = text_escape_str(cell, n, 40);
				cli_error("%s: line %zu: '%s' is not a record ID (1 to %d "
				    "digits)", cmd, lineno, e, RESPONSE_ID_MAX);
				free(e);
			}
			continue;
		}
		seen = true;
		if (out->n == out->cap)
			out->ids = xreallocarray(out->ids, out->cap = out->cap ?
			    out->cap * 2 : 256, sizeof(*out->ids));
		/* Leading zeros are no part of an ID. */
		while (n > 1 && cell[0] == '0')
			cell++, n--;
		out->ids[out->n++] = xstrndup(cell, n);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

/* Slots of IDs, by ID, then by where they are: the first comes first. */
static int
slot_cmp(const void *a, const void *b)
{
	char *const *x = *(char **const *)a, *const *y = *(char **const *)b;
	int c = strcmp(*x, *y);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Each ID once, where it first came. */
static void
idfile_unique(struct idfile *x)
{
	char ***slots = xcalloc(x->n + 1, sizeof(*slots));
	size_t k = 0;

	for (size_t i = 0; i < x->n; i++)
		slots[i] = &x->ids[i];
	qsort(slots, x->n, sizeof(*slots), slot_cmp);
	for (size_t i = x->n; i-- > 1;) {
		if (strcmp(*slots[i], *slots[i - 1]) == 0) {
			free(*slots[i]);
			*slots[i] = NULL;
		}
	}
	free(slots);
	for (size_t i = 0; i < x->n; i++)
		if (x->ids[i] != NULL)
			x->ids[k++] = x->ids[i];
	x->n = k;
}

static void
idfile_free(struct idfile *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->ids[i]);
	free(x->ids);
}

/* ---- printing what is there ------------------------------------------------ */

/* A record of what a read found: a pair (to), or a FROM record without
 * one (to NULL), whose state says why: "none" (no pair of the types asked
 * for) or "not_found" (the portal says there is no such record). */
static void
print_pair(struct buf *b, enum rfmt f, const char *from, const struct assocread_to *to,
    const char *state, const struct assoc_spec *specs, size_t nspecs, size_t i)
{
	size_t ntypes = to != NULL ? to->ntypes : 0;
	bool first = true;

	switch (f) {
	case RF_JSON:
	case RF_JSONL:
		if (f == RF_JSON)
			buf_addstr(b, i == 0 ? "[\n" : ",\n");
		buf_addstr(b, "{\"from\":");
		json_add_string(b, from);
		buf_addstr(b, ",\"to\":");
		if (to != NULL)
			json_add_string(b, to->id);
		else
			buf_addstr(b, "null");
		buf_addstr(b, ",\"types\":[");
		for (size_t k = 0; k < ntypes; k++) {
			const struct assocread_type *t = &to->types[k];
			if (!assocread_type_wanted(t, specs, nspecs))
				continue;
			buf_addstr(b, first ? "{\"category\":" : ",{\"category\":");
			first = false;
			json_add_string(b, assoc_category_name(t->cat));
			buf_printf(b, ",\"typeId\":%u,\"label\":", t->type_id);
			if (t->label != NULL)
				json_add_string(b, t->label);
			else
				buf_addstr(b, "null");
			buf_addc(b, '}');
		}
		buf_addstr(b, "],\"state\":");
		json_add_string(b, state);
		buf_addstr(b, f == RF_JSON ? "}" : "}\n");
		break;
	case RF_CSV: {
		struct buf types = BUF_INIT, labels = BUF_INIT;
		if (i == 0)
			buf_addstr(b, "from,to,types,labels,state\n");
		for (size_t k = 0; k < ntypes; k++) {
			const struct assocread_type *t = &to->types[k];
			if (!assocread_type_wanted(t, specs, nspecs))
				continue;
			buf_printf(&types, "%s%s:%u", first ? "" : ";",
			    assoc_category_name(t->cat), t->type_id);
			if (t->label != NULL)
				buf_printf(&labels, "%s%s", labels.len ? ";" : "", t->label);
			first = false;
		}
		csv_add_field(b, from);
		buf_addc(b, ',');
		csv_add_field(b, to != NULL ? to->id : "");
		buf_addc(b, ',');
		csv_add_field(b, buf_str(&types));
		buf_addc(b, ',');
		csv_add_field(b, buf_str(&labels));
		buf_addc(b, ',');
		csv_add_field(b, state);
		buf_addc(b, '\n');
		buf_free(&types);
		buf_free(&labels);
		break;
	}
	case RF_TABLE: {
		struct buf line = BUF_INIT;
		if (i == 0)
			buf_printf(b, "%-20s %-20s %s\n", "FROM", "TO", "TYPES");
		buf_printf(&line, "%-20s %-20s ", from, to != NULL ? to->id : "-");
		if (to == NULL)
			buf_addstr(&line, strcmp(state, "not_found") == 0 ?
			    "(not found: no such record)" : nspecs > 0 ?
			    "(none of those types)" : "(none)");
		for (size_t k = 0; k < ntypes; k++) {
			const struct assocread_type *t = &to->types[k];
			if (!assocread_type_wanted(t, specs, nspecs))
				continue;
			buf_printf(&line, "%s%s:%u %s", first ? "" : "; ",
			    assoc_category_name(t->cat), t->type_id,
			    t->label != NULL ? t->label : "(unlabeled)");
			first = false;
		}
		/* The portal's words are shown, never acted on. */
		text_escape(b, line.data, line.len);
		buf_addc(b, '\n');
		buf_free(&line);
		break;
	}
	}
}

static int
write_all(int fd, const void *arg, char **cause)
{
	const struct buf *b = arg;
	size_t off = 0;

	while (off < b->len) {
		ssize_t w = write(fd, b->data + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			*cause = xasprintf("%s", strerror(errno));
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/* ---- read ------------------------------------------------------------------ */

/* What a read found: every pair of the records asked for (the types
 * asked for) in format f, to out or standard output (op_read has said the
 * summary).  Returns 0, or EXIT_AUTH when it could not be written. */
static int
print_read(const struct assocset *set, const struct idfile *ids,
    const struct assoc_spec *specs, size_t nspecs, enum rfmt f,
    struct export_out *out)
{
	struct buf b = BUF_INIT;
	size_t shown = 0;
	char *cause = NULL;
	int rc = 0;

	for (size_t i = 0; i < ids->n; i++) {
		const struct assocread_from *fr = assocset_from(set, ids->ids[i]);
		bool any = false;
		if (assocset_missing(set, ids->ids[i])) {
			/* Each record asked for is listed, found or not. */
			print_pair(&b, f, ids->ids[i], NULL, "not_found", specs, nspecs,
			    shown++);
			continue;
		}
		for (size_t t = 0; fr != NULL && t < fr->nto; t++) {
			if (!assocread_to_wanted(&fr->to[t], specs, nspecs))
				continue;
			print_pair(&b, f, fr->id, &fr->to[t], "pair", specs, nspecs,
			    shown++);
			any = true;
		}
		if (!any)
			print_pair(&b, f, ids->ids[i], NULL, "none", specs, nspecs, shown++);
	}
	if (f == RF_JSON)
		buf_addstr(&b, shown > 0 ? "\n]\n" : "[]\n");
	if (out != NULL) {
		if (export_finish_with(out, write_all, &b, &cause) != 0) {
			cli_error("read: --output %s", cause);
			rc = EXIT_AUTH;
		}
	} else if (write_all(STDOUT_FILENO, &b, &cause) != 0) {
		cli_error("read: %s", cause);
		rc = EXIT_AUTH;
	}
	free(cause);
	buf_free(&b);
	return rc;
}

int
cmd_read(int argc, char **argv, struct common_opts *common)
{
	const char *input = NULL, *output = NULL;
	struct assoc_spec *specs = NULL;
	size_t nspecs = 0;
	enum rfmt f = RF_TABLE;
	struct objtype from, to;
	struct idfile ids = { 0 };
	struct export_out out = { 0 };
	struct conn c = { 0 };
	bool connected = false;
	char *cause = NULL;
	int opt, r, rc = EXIT_USAGE;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:t:f:o:", read_longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, "read")) != 0) {
			if (r < 0)
				goto done;
			continue;
		}
		switch (opt) {
		case 'i':
			input = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'f':
			if (rfmt_parse(optarg, RF_ROWS, &f) != 0) {
				cli_usage_error("read", "--format is table, json, jsonl "
				    "or csv, not '%s'", optarg);
				goto done;
			}
			break;
		case OPT_ALL_TYPES:
			break;          /* the default */
		case 't': {
			struct assoc_spec s;
			if (assoc_spec_parse(optarg, strlen(optarg), &s, &cause) != 0) {
				cli_usage_error("read", "--type '%s': %s", optarg, cause);
				goto done;
			}
			specs = xreallocarray(specs, nspecs + 1, sizeof(*specs));
			specs[nspecs++] = s;
			break;
		}
		default:
			cli_usage_error("read", opt == ':' ? "option '%s' needs a value" :
			    "unknown option '%s'", argv[optind - 1]);
			goto done;
		}
	}
	if (argc - optind != 2) {
		cli_usage_error("read", argc - optind < 2 ? "give the two object "
		    "types, FROM and TO" : "too many arguments: '%s'", argv[argc - 1]);
		goto done;
	}
	if (cli_objtypes(common, "read", argv + optind, &from, &to) != 0)
		goto done;
	if (input == NULL) {
		if (isatty(STDIN_FILENO)) {
			cli_usage_error("read", "no input: give --input FILE of record "
			    "IDs, or pipe them in");
			goto done;
		}
		input = "-";
	}
	if (output != NULL && export_open(&out, output, &cause) != 0) {
		cli_error("read: --output %s", cause);
		goto done;
	}
	if (read_idfile(input, &ids, "read") != 0)
		goto done;
	if (ids.bad > 0) {
		char c1[64];
		cli_error("read: %s no record ID: nothing was read",
		    ids.bad == 1 ? "1 line holds" : fmt_counted(c1, ids.bad, "line hold"));
		goto done;
	}
	if (ids.n == 0) {
		cli_error("read: the input holds no record IDs");
		goto done;
	}
	idfile_unique(&ids);
	if ((rc = cli_connect(&c, common, "read", 0, NULL, NULL, NULL)) != 0)
		goto done;
	connected = true;
	if (nspecs > 0) {
		/* Label names and bare numbers as a create resolves them. */
		struct assoc_labels labels = { 0 };
		if ((rc = cli_labels(&c, &from, &to, &labels, "read")) != 0)
			goto done;
		for (size_t i = 0; i < nspecs && rc == 0; i++) {
			char *note = NULL;
			if (assoc_spec_resolve(&specs[i], &from, &to, &labels, &note,
			    &cause) != 0)
				rc = cli_usage_error("read", "--type: %s", cause);
			free(note);
		}
		assoc_labels_free(&labels);
		if (rc != 0)
			goto done;
	}

	struct op *o = op_read(&c, &from, &to, specs, nspecs,
	    (const char *const *)ids.ids, ids.n);
	if ((rc = cli_run_op_held(&c, o)) == 0) {
		struct assocset *set = op_read_take(o);
		rc = print_read(set, &ids, specs, nspecs, f, output != NULL ? &out : NULL);
		assocset_free(set);
	}
	/* After the records, where a table's reader ends. */
	cli_say_summary(o);
	op_free(o);
done:
	export_abandon(&out);
	if (connected)
		conn_close(&c);
	idfile_free(&ids);
	for (size_t i = 0; i < nspecs; i++)
		assoc_spec_clear(&specs[i]);
	free(specs);
	free(cause);
	return rc;
}

/* ---- verify ------------------------------------------------------------------ */

const struct option verify_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "format", required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

int
cmd_verify(int argc, char **argv, struct common_opts *common)
{
	enum rfmt f = RF_TABLE;
	struct session s;
	struct journal *j = NULL;
	struct conn c;
	int rc;

	if (simple_args(argc, argv, common, "verify", 1, "a SESSION (see history)",
	    RF_ROWS, &f) != 0)
		return EXIT_USAGE;
	if (cli_load_session_reading("verify", argv[optind], &s, &j) != 0)
		return EXIT_USAGE;
	if ((rc = cli_connect_session(&c, common, "verify", &s, 0, NULL)) != 0)
		goto done;
	struct op *o = op_verify(&c, j, &s);
	rc = cli_run_op(&c, o, false, "");
	size_t count[VERIFY_COUNT];
	const uint8_t *verdict = op_verify_verdicts(o, count);
	struct buf b = BUF_INIT, lack = BUF_INIT;
	size_t n = 0;
	int line_w = s.in->nsources > 1 ? 14 : 8;
	for (size_t i = 0; verdict != NULL && i < s.in->nrows; i++)
		n += verdict[i] != VERIFY_COUNT;
	for (size_t i = 0, k = 0, shown = 0; verdict != NULL && i < s.in->nrows; i++) {
		if (verdict[i] == VERIFY_COUNT)
			continue;
		const struct input_row *r = &s.in->rows[i];
		const char *from = input_from(s.in, r), *to = input_to(s.in, r);
		buf_reset(&lack);
		enum verdict v = op_verify_row(o, i, &lack);
		/* An undone row is judged by whether its undo holds. */
		const char *said = s.out.state[i] != OUTCOME_UNDONE ? verdict_name(v) :
		    v == VERIFY_CONFIRMED ? "undo_holds" : "not_undone";
		k++;
		if (f == RF_TABLE) {
			if (v == VERIFY_CONFIRMED)
				continue;
			/* LINE as wide as "paste 12:1234" (before: 8, and a
			 * paste's lines pushed the columns over). */
			if (shown++ == 0)
				buf_printf(&b, "%-*s %-20s %-20s %-13s %s\n", line_w, "LINE",
				    "FROM", "TO", "VERIFY", plan_op_removes(s.plan.op) ?
				    "HOLDS" : "LACKS");
			/* The line as the rest of the tool names it: a
			 * file's or a paste's own line when there are several. */
			struct buf at = BUF_INIT;
			input_line_label(s.in, r->line, &at);
			char *e = text_escape_str(buf_str(&at), at.len, 60);
			buf_printf(&b, "%-*s %-20s %-20s %-13s %s\n", line_w, e, from, to,
			    said, buf_str(&lack));
			free(e);
			buf_free(&at);
			continue;
		}
		/* Lines as export numbers them: its source's, named when the
		 * session has several (before: the session's, no source). */
		size_t src;
		uint32_t line = input_source_line(s.in, r->line, &src);
		struct rfield fv[] = {
			{ "line", NULL, line, true }, { "from", from, 0, false },
			{ "to", to, 0, false }, { "verify", said, 0, false },
			{ v == VERIFY_STILL ? "holds" : "lacks", v == VERIFY_DIFFER ||
			    v == VERIFY_STILL ? buf_str(&lack) : NULL, 0, false },
			{ "source", s.in->nsources > 1 && src != SIZE_MAX ?
			    s.in->sources[src].name : NULL, 0, false },
		};
		print_record(f, fv, HA_ARRAY_LEN(fv), k - 1, k == n);
	}
	if (b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
	buf_free(&lack);
	op_free(o);
	conn_close(&c);
done:
	journal_close(j);
	session_free(&s);
	return rc;
}

/* ---- undo --------------------------------------------------------------------- */

enum { OPT_YES = OPT_CMD_FIRST + 10 };

const struct option undo_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "yes", no_argument, NULL, OPT_YES },
	{ NULL, 0, NULL, 0 },
};


int
cmd_undo(int argc, char **argv, struct common_opts *common)
{
	bool dry = false, yes = false;
	struct session s;
	struct journal *j = NULL;
	struct conn c;
	int opt, r, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n", undo_longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, "undo")) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		}
		if (opt == 'n')
			dry = true;
		else if (opt == OPT_YES)
			yes = true;
		else
			return cli_usage_error("undo", "unknown option '%s'",
			    argv[optind - 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error("undo", "give a SESSION (see history)");
	/* A dry run writes nothing: it reads a session open elsewhere, as
	 * verify does (before: refused while a terminal held it). */
	if ((dry ? cli_load_session_reading("undo", argv[optind], &s, &j) :
	    cli_load_session("undo", argv[optind], &s, &j)) != 0)
		return EXIT_USAGE;
	struct common_opts co = *common;
	co.writes = !dry;
	if ((rc = cli_connect_session(&c, &co, "undo", &s, 0, NULL)) == 0) {
		rc = cli_undo(&c, j, &s, dry, yes);
		conn_close(&c);
	}
	journal_close(j);
	session_free(&s);
	return rc;
}
