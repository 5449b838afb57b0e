/* labels.c: the labels command: a direction's association types as the
 * portal lists them, with the limits an admin set; labels made and
 * deleted (labels create, labels delete). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hubassoc/assocset.h"
#include "hubassoc/labels.h"
#include "hubassoc/op.h"
#include "hubassoc/session.h"
#include "hubassoc/text.h"

/* A limit as the table says it: "-" none, "?" not read. */
static const char *
limit_text(const struct assoc_limits *lim, bool read, enum assoc_category cat,
    uint32_t type_id, char buf[16])
{
	uint32_t max = type_id != 0 ? assoc_limits_find(lim, cat, type_id) : 0;

	if (!read)
		return "?";
	if (max == 0)
		return "-";
	snprintf(buf, 16, "%u", max);
	return buf;
}

/* The limits of both ends: lim[0] how many TO records a FROM record may
 * hold with a type, lim[1] the other way, by the type's inverse; read[k]
 * whether each was read. */
static void
print_labels(enum rfmt f, const struct assoc_labels *there,
    const struct assoc_limits lim[2], const bool read[2])
{
	if (f == RF_TABLE)
		printf("%-20s %8s %8s %6s %9s  %s\n", "CATEGORY", "TYPEID", "INVERSE",
		    "LIMIT", "INV_LIMIT", "LABEL");
	else if (there->n == 0 && f == RF_JSON)
		printf("[]\n");
	for (size_t i = 0; i < there->n; i++) {
		const struct assoc_label *l = &there->v[i];
		char lb[16];
		if (f != RF_TABLE) {
			/* For scripts: null for no label, 0 for no inverse or
			 * limit, null for a limit not read. */
			uint32_t max = assoc_limits_find(&lim[0], l->cat, l->type_id);
			uint32_t back = l->inverse != 0 ? assoc_limits_find(&lim[1],
			    l->cat, l->inverse) : 0;
			struct rfield v[] = {
				{ "category", assoc_category_name(l->cat), 0, false },
				{ "typeId", NULL, l->type_id, true },
				{ "inverseTypeId", NULL, l->inverse, true },
				{ "label", l->label, 0, false },
				{ "maxToObjectIds", NULL, max, read[0] },
				{ "inverseMaxToObjectIds", NULL, back, read[1] },
			};
			print_record(f, v, HA_ARRAY_LEN(v), i, i + 1 == there->n);
			continue;
		}
		char inv[16] = "-", lb2[16];
		struct buf label = BUF_INIT;
		if (l->inverse != 0)
			snprintf(inv, sizeof(inv), "%u", l->inverse);
		if (l->label != NULL)
			text_escape(&label, l->label, strlen(l->label));
		else
			buf_addstr(&label, "(unlabeled)");
		printf("%-20s %8u %8s %6s %9s  %s\n", assoc_category_name(l->cat),
		    l->type_id, inv, limit_text(&lim[0], read[0], l->cat, l->type_id, lb),
		    limit_text(&lim[1], read[1], l->cat, l->inverse, lb2), buf_str(&label));
		buf_free(&label);
	}
}

/* Both directions' types, their inverses paired; back (may be NULL) the
 * other direction's list. */
static int
read_both(struct conn *c, const struct objtype *from, const struct objtype *to,
    struct assoc_labels *there, struct assoc_labels *back, const char *cmd)
{
	struct assoc_labels own = { 0 }, *b = back != NULL ? back : &own;
	int rc;

	if ((rc = cli_labels(c, from, to, there, cmd)) == 0 &&
	    (rc = cli_labels(c, to, from, b, cmd)) == 0)
		labels_pair_inverses(there, b, from, to);
	assoc_labels_free(&own);
	return rc;
}

static int
read_labels(struct conn *c, const struct objtype *from, const struct objtype *to,
    struct assoc_labels *there, const char *cmd)
{
	return read_both(c, from, to, there, NULL, cmd);
}

static int
list_labels(int argc, char **argv, struct common_opts *common)
{
	struct objtype from, to;
	struct assoc_labels there = { 0 };
	struct assoc_limits lim[2] = { { 0 }, { 0 } };
	struct conn c;
	char *cause = NULL;
	int rc;
	enum rfmt f;

	if (simple_args(argc, argv, common, "labels", 2, "the two object types, "
	    "FROM and TO", RF_ROWS, &f) != 0)
		return EXIT_USAGE;
	if ((rc = cli_objtypes(common, "labels", argv + optind, &from, &to)) != 0)
		return rc;
	if ((rc = cli_connect(&c, common, "labels", 1, NULL, NULL, NULL)) != 0)
		return rc;
	if ((rc = read_labels(&c, &from, &to, &there, "labels")) == 0) {
		/* The limits are the schema scope's: a token without it
		 * still lists the types, and says why the limits are not. */
		bool read[2];
		for (int k = 0; k < 2; k++) {
			read[k] = conn_limits(&c, k ? &to : &from, k ? &from : &to, &lim[k],
			    &cause) == 0;
			if (!read[k] && (k == 0 || read[0]))
				cli_error("labels: the limits could not be read: %s", cause);
			free(cause);
			cause = NULL;
		}
		print_labels(f, &there, lim, read);
	}
	assoc_limits_free(&lim[0]);
	assoc_limits_free(&lim[1]);
	assoc_labels_free(&there);
	conn_close(&c);
	return rc;
}

enum { OPT_LABEL = OPT_CMD_FIRST + 20, OPT_INVERSE, OPT_LYES, OPT_FORCE };

static const struct option edit_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "inverse", required_argument, NULL, OPT_INVERSE },
	{ "yes", no_argument, NULL, OPT_LYES },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

struct edit_opts {
	const char *label, *inverse;
	bool yes, force;
};

/* labels create|delete FROM TO --label ...: the options and the types. */
static int
edit_args(int argc, char **argv, struct common_opts *common, const char *cmd,
    bool create, struct edit_opts *o, struct objtype *from, struct objtype *to)
{
	int opt, r;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 0;     /* afresh: the subcommand is argv[0] */
	while ((opt = getopt_long(argc, argv, ":", edit_longopts, NULL)) != -1) {
		if ((r = common_option(common, opt, optarg, cmd)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		}
		if (opt == OPT_LABEL)
			o->label = optarg;
		else if (opt == OPT_INVERSE && create)
			o->inverse = optarg;
		else if (opt == OPT_LYES && !create)
			o->yes = true;
		else if (opt == OPT_FORCE && !create)
			o->force = true;
		else
			return cli_usage_error(cmd, opt == ':' ? "option '%s' needs a "
			    "value" : "unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 2)
		return cli_usage_error(cmd, "give the two object types, FROM and TO");
	if (o->label == NULL || o->label[0] == '\0')
		return cli_usage_error(cmd, "give --label NAME%s", create ? "" :
		    " (or its type ID)");
	/* A name as people will type it and see it: what would act on a
	 * screen, or spaces around it, make a label no one can name. */
	for (int k = 0; k < 2; k++) {
		const char *n = k == 0 ? o->label : o->inverse;
		if (n == NULL)
			continue;
		char *e = text_escape_str(n, strlen(n), SIZE_MAX);
		bool plain = strcmp(e, n) == 0;
		free(e);
		size_t len = strlen(n);
		if (!plain)
			return cli_usage_error(cmd, "--%s holds a control or bidirectional "
			    "character, or is not UTF-8", k == 0 ? "label" : "inverse");
		if (len == 0 || n[0] == ' ' || n[len - 1] == ' ')
			return cli_usage_error(cmd, "--%s is empty, or begins or ends with a "
			    "space", k == 0 ? "label" : "inverse");
	}
	return cli_objtypes(common, cmd, argv + optind, from, to);
}

/* The type named (or, user ones, numbered) s: any category (user_only
 * false) or USER_DEFINED only; NULL for none.  *more counts the others
 * of that name. */
static const struct assoc_label *
label_named(const struct assoc_labels *l, const char *s, bool user_only,
    size_t *more)
{
	char *end;
	unsigned long id = strtoul(s, &end, 10);
	const struct assoc_label *found = NULL;

	*more = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct assoc_label *x = &l->v[i];
		if (user_only && x->cat != ASSOC_CAT_USER)
			continue;
		bool by_id = user_only && *end == '\0' && x->type_id == id;
		bool by_name = ascii_casecmp(x->label != NULL ? x->label : "unlabeled",
		    s) == 0;
		if (!by_id && !by_name)
			continue;
		if (by_id)
			return x;
		if (found == NULL)
			found = x;
		else
			(*more)++;
	}
	return found;
}

/* A label's name, escaped for a terminal. */
static char *
shown(const struct assoc_label *l)
{
	const char *n = l->label != NULL ? l->label : "unlabeled";

	return text_escape_str(n, strlen(n), 80);
}

static size_t
user_labels(const struct assoc_labels *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].cat == ASSOC_CAT_USER;
	return n;
}


/* A label's change: connected to write, both directions' lists read; on
 * failure all let go, and the exit status. */
static int
edit_connect(struct conn *c, const struct common_opts *common, const char *cmd,
    const struct objtype *from, const struct objtype *to,
    struct assoc_labels *there, struct assoc_labels *back)
{
	struct common_opts wr = *common;
	int rc;

	wr.writes = true;
	if ((rc = cli_connect(c, &wr, cmd, 1, NULL, NULL, NULL)) != 0)
		return rc;
	if ((rc = read_both(c, from, to, there, back, cmd)) != 0) {
		assoc_labels_free(there);
		assoc_labels_free(back);
		conn_close(c);
	}
	return rc;
}

static int
create_label(int argc, char **argv, struct common_opts *common)
{
	struct objtype from, to;
	struct assoc_labels there = { 0 };
	const struct assoc_labels *made;
	struct op *op = NULL;
	struct edit_opts o;
	struct conn c;
	int rc;

	if ((rc = edit_args(argc, argv, common, "labels create", true, &o, &from,
	    &to)) != 0)
		return rc;
	/* What is there first: a name either way that --type could no
	 * longer tell apart (HubSpot's own, "unlabeled" too), or the cap. */
	struct assoc_labels back = { 0 };
	size_t more;
	if ((rc = edit_connect(&c, common, "labels create", &from, &to, &there,
	    &back)) != 0)
		return rc;
	const struct assoc_label *had = label_named(&there, o.label, false, &more);
	const struct assoc_label *had_inv = o.inverse == NULL ? NULL :
	    label_named(&back, o.inverse, false, &more);
	bool same = o.inverse != NULL && objtype_same(&from, &to) &&
	    ascii_casecmp(o.label, o.inverse) == 0;
	rc = EXIT_USAGE;
	if (had != NULL || had_inv != NULL) {
		const struct assoc_label *h = had != NULL ? had : had_inv;
		char *e = shown(h);
		cli_error("labels create: %s to %s has a type named '%s' already: %s:%u; "
		    "a second of that name could not be told apart", objtype_name(had != NULL ?
		    &from : &to), objtype_name(had != NULL ? &to : &from), e,
		    assoc_category_name(h->cat), h->type_id);
		free(e);
	} else if (same) {
		cli_error("labels create: within %s, a label and its other end need "
		    "names of their own", objtype_name(&from));
	} else if (user_labels(&there) >= ASSOC_LABELS_MAX) {
		cli_error("labels create: %s to %s has %zu labels, HubSpot's most for "
		    "an object pair: delete one first", objtype_name(&from),
		    objtype_name(&to), user_labels(&there));
	} else {
		rc = 0;
	}
	assoc_labels_free(&back);
	if (rc != 0)
		goto done;
	op = op_label(&c, &from, &to, o.label, o.inverse);
	if ((rc = cli_run_op(&c, op, false, "")) != 0) {
		/* Refused (said with HubSpot's words and its cap), which a label
		 * made meanwhile may have reached. */
		cli_error("labels create: %s to %s had %zu labels", objtype_name(&from),
		    objtype_name(&to), user_labels(&there));
		goto done;
	}
	made = op_label_made(op);
	/* Its type IDs, a direction each (one within a type): what --type
	 * takes, by name or as CATEGORY:ID. */
	printf("%-40s %-20s %8s  %s\n", "DIRECTION", "CATEGORY", "TYPEID", "LABEL");
	for (size_t i = 0; i < made->n && i < 2; i++) {
		const struct assoc_label *l = &made->v[i];
		char *dir = xasprintf("%s to %s", objtype_name(i == 0 ? &from : &to),
		    objtype_name(i == 0 ? &to : &from));
		char *e = text_escape_str(l->label != NULL ? l->label : "",
		    l->label != NULL ? strlen(l->label) : 0, SIZE_MAX);
		printf("%-40s %-20s %8u  %s\n", dir, assoc_category_name(l->cat),
		    l->type_id, e);
		free(dir);
		free(e);
	}
	/* The names were checked plain (edit_args): shown as given. */
	cli_say("labels create: made '%s' for %s to %s%s%s%s",
	    o.label, objtype_name(&from), objtype_name(&to),
	    o.inverse != NULL ? " ('" : "", o.inverse != NULL ? o.inverse : "",
	    o.inverse != NULL ? "' the other way)" : "");
done:
	assoc_labels_free(&there);
	op_free(op);
	conn_close(&c);
	return rc;
}

/* The pairs hubassoc's own sessions gave a label to, on this portal. */
struct label_use {
	const char **from, **to;   /* the direction's: FROM and TO IDs */
	size_t n;
	size_t sessions;
	struct session *loaded;    /* the sessions whose strings they are */
	size_t nloaded;
};

static void
label_use_free(struct label_use *u)
{
	for (size_t i = 0; i < u->nloaded; i++)
		session_free(&u->loaded[i]);
	free(u->loaded);
	free(u->from);
	free(u->to);
	memset(u, 0, sizeof(*u));
}

/*
 * HubSpot lists no pairs by label: what hubassoc can know of a label in
 * use is what its own sessions gave it to on this portal (created rows of
 * a create or a relabel, either direction: the inverse the other way).
 * Those pairs are gathered, in from -> to's terms.
 */
static void
label_use_gather(const struct conn *c, const struct objtype *from,
    const struct objtype *to, const struct assoc_label *l, struct label_use *u)
{
	char **paths = NULL, *cause = NULL;
	size_t np = 0;

	memset(u, 0, sizeof(*u));
	if (journal_list(&paths, &np, &cause) != 0) {
		free(cause);
		return;
	}
	for (size_t i = 0; i < np; i++) {
		struct journal_meta m = { 0 };
		struct session s;
		bool same = false, back = false;
		if (journal_peek(paths[i], &m, &cause) == 0 && m.base_url != NULL &&
		    m.op != PLAN_OP_REMOVE && m.op != PLAN_OP_UNLABEL &&
		    settings_same_place(m.base_url, c->base_url, c->local != NULL) &&
		    m.from_path != NULL && m.to_path != NULL) {
			same = strcmp(m.from_path, from->path) == 0 &&
			    strcmp(m.to_path, to->path) == 0;
			back = l->inverse != 0 && strcmp(m.from_path, to->path) == 0 &&
			    strcmp(m.to_path, from->path) == 0;
		}
		free(cause);
		cause = NULL;
		journal_meta_free(&m);
		if ((!same && !back) || journal_load(paths[i], &s, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		size_t before = u->n;
		for (size_t r = 0; r < s.in->nrows; r++) {
			if (s.out.state[r] != OUTCOME_CREATED ||
			    !plan_types_have(plan_row_types(&s.plan, s.in, r), ASSOC_CAT_USER,
			    same ? l->type_id : l->inverse))
				continue;
			const struct input_row *x = &s.in->rows[r];
			u->from = xreallocarray(u->from, u->n + 1, sizeof(*u->from));
			u->to = xreallocarray(u->to, u->n + 1, sizeof(*u->to));
			u->from[u->n] = same ? input_from(s.in, x) : input_to(s.in, x);
			u->to[u->n++] = same ? input_to(s.in, x) : input_from(s.in, x);
		}
		if (u->n == before) {
			session_free(&s);
			continue;
		}
		u->sessions++;
		u->loaded = xreallocarray(u->loaded, u->nloaded + 1, sizeof(*u->loaded));
		u->loaded[u->nloaded++] = s;
	}
	for (size_t i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
}

/* How many of those pairs hold the label now (read from the portal), or
 * -1 with *status when the read stopped (said). */
static long
label_use_count(struct conn *c, const struct objtype *from, const struct objtype *to,
    const struct assoc_label *l, const struct label_use *u, int *status)
{
	struct buf path = BUF_INIT;
	long held = 0;

	request_assoc_path(&path, c->api, from, to, "batch/read");
	struct calls *k = conn_calls(c, NULL, 1);
	struct assocset *set = assocset_new(k, "labels", buf_str(&path));
	assocset_read(set, u->from, u->n);
	*status = run_calls(c, k, NULL, NULL, "the label's pairs");
	if (*status != 0)
		held = -1;
	for (size_t i = 0; held >= 0 && i < u->n; i++) {
		const struct assocread_to *p = assocset_pair(set, u->from[i], u->to[i]);
		held += p != NULL && assocread_to_has(p, l->cat, l->type_id);
	}
	assocset_free(set);
	calls_free(k);
	buf_free(&path);
	return held;
}

static int
delete_label(int argc, char **argv, struct common_opts *common)
{
	struct objtype from, to;
	struct assoc_labels there = { 0 };
	struct edit_opts o;
	struct conn c;
	char *cause = NULL, *name = NULL, *oname = NULL;
	int rc;

	if ((rc = edit_args(argc, argv, common, "labels delete", false, &o, &from,
	    &to)) != 0)
		return rc;
	if (!o.yes && !isatty(STDIN_FILENO) && !isatty(STDERR_FILENO))
		return cli_usage_error("labels delete", "nothing deleted: it asks "
		    "first, and there is no terminal to ask on: give --yes");
	struct assoc_labels back = { 0 };
	size_t more;
	if ((rc = edit_connect(&c, common, "labels delete", &from, &to, &there,
	    &back)) != 0)
		return rc;
	const struct assoc_label *l = label_named(&there, o.label, true, &more);
	char *e = text_escape_str(o.label, strlen(o.label), 80);
	rc = EXIT_USAGE;
	if (l == NULL)
		cli_error("labels delete: %s to %s has no label '%s' of its own "
		    "(USER_DEFINED): see hubassoc labels %s %s", objtype_name(&from),
		    objtype_name(&to), e, from.path, to.path);
	else if (more > 0)
		cli_error("labels delete: %s to %s has %zu labels named '%s': give the "
		    "type ID of the one to delete (hubassoc labels %s %s)",
		    objtype_name(&from), objtype_name(&to), more + 1, e, from.path,
		    to.path);
	else
		rc = 0;
	free(e);
	if (rc != 0) {
		assoc_labels_free(&back);
		goto done;
	}
	/* A paired label goes both ways: its other end is named too. */
	const struct assoc_label *other = l->inverse == 0 ? NULL :
	    assoc_labels_find(&back, ASSOC_CAT_USER, l->inverse);
	name = shown(l);
	oname = other != NULL ? shown(other) : NULL;
	/* Still on pairs hubassoc gave it to: refused, unless --force. */
	struct label_use use;
	long held = 0;
	label_use_gather(&c, &from, &to, l, &use);
	if (use.n > 0 && (held = label_use_count(&c, &from, &to, l, &use, &rc)) < 0) {
		label_use_free(&use);
		assoc_labels_free(&back);
		goto done;
	}
	char n1[64], n2[64];
	if (held > 0)
		cli_say("labels delete: '%s' is still on %s "
		    "hubassoc gave it to (%s)%s", name, fmt_counted(n1, (size_t)held,
		    "pair"), fmt_counted(n2, use.sessions, "session"), o.force ?
		    ": --force deletes it all the same" : "");
	else
		cli_say("labels delete: no pair hubassoc gave '%s' "
		    "to holds it now (HubSpot lists no pairs by label: others are not "
		    "known)", name);
	label_use_free(&use);
	if (held > 0 && !o.force) {
		cli_error("labels delete: nothing deleted: hubassoc remove %s %s --type "
		    "'%s' takes it off them first (undoably); --force deletes it anyway",
		    from.path, to.path, name);
		assoc_labels_free(&back);
		rc = EXIT_USAGE;
		goto done;
	}
	char *q = xasprintf("Delete the label '%s' (USER_DEFINED:%u) of %s to %s%s%s%s%s? "
	    "HubSpot takes it off every pair that holds it, and hubassoc cannot "
	    "bring it back", name, l->type_id, objtype_name(&from), objtype_name(&to),
	    oname != NULL ? ", and its other end '" : "", oname != NULL ? oname : "",
	    oname != NULL ? "'" : "", other != NULL && !objtype_same(&from, &to) ?
	    " the other way" : "");
	bool go = o.yes || cli_ask(q);
	free(q);
	assoc_labels_free(&back);
	if (!go) {
		cli_say("labels delete: nothing deleted");
		rc = EXIT_SOME_FAILED;
		goto done;
	}
	if ((rc = conn_label_delete(&c, &from, &to, l->type_id, &cause)) != 0) {
		cli_error("labels delete: %s", cause);
		free(cause);
		goto done;
	}
	cli_say("labels delete: %s to %s: deleted '%s' "
	    "(USER_DEFINED:%u)%s%s%s", objtype_name(&from), objtype_name(&to), name,
	    l->type_id, oname != NULL ? " and its other end '" : "",
	    oname != NULL ? oname : "", oname != NULL ? "'" : "");
done:
	free(name);
	free(oname);
	assoc_labels_free(&there);
	conn_close(&c);
	return rc;
}

int
cmd_labels(int argc, char **argv, struct common_opts *common)
{
	if (argc > 1 && strcmp(argv[1], "create") == 0)
		return create_label(argc - 1, argv + 1, common);
	if (argc > 1 && strcmp(argv[1], "delete") == 0)
		return delete_label(argc - 1, argv + 1, common);
	return list_labels(argc, argv, common);
}
