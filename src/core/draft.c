/*
 * draft.c: the terminal's working set of pairs, journaled from its first
 * row.  Every change to the pairs (rows added by a paste, a file or the
 * edit line; a row replaced; rows deleted; all cleared) and every choice
 * of direction and types is a record, synced before the change is shown,
 * so a quit, a crash or a kill loses nothing.  Replaying the records in
 * order gives the pairs back as they were: the same rows, the same line
 * numbers.
 *
 *   {"t":"pairs","op":"add","lines":L,"rows":[[line,"status","reason",
 *       field,"SPEC column",from,to,detail],...]}
 *   {"t":"pairs","op":"replace","at":i,"row":[...]}
 *   {"t":"pairs","op":"delete","at":i,"n":n}
 *   {"t":"pairs","op":"clear"}
 *   {"t":"choice","from":"contacts","to":"companies","types":"279"}
 *
 * Rows are recorded as the parser left them: what the plan decides later
 * (types that do not fit, conflicts) is the plan's, not theirs.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"
#include "hubassoc/key.h"
#include "hubassoc/text.h"
#include "hubassoc/workset.h"

static void
add_row(struct buf *b, const struct input *in, size_t i)
{
	const struct input_row *r = &in->rows[i];

	buf_printf(b, "[%u,\"%s\",\"%s\",%u,", r->line,
	    journal_row_name(ROW_CODE_STATUS, r->status, 0),
	    journal_row_name(ROW_CODE_REASON, r->reason, 0), r->field);
	json_add_string(b, in->sets[r->set].text);
	journal_add_row_texts(b, in, r);
	/* A row its keys' lookup gave IDs keeps the keys after them. */
	if (r->flags & INPUT_ROW_KEYS) {
		b->len--;       /* the row's ']' */
		for (int side = 0; side < 2; side++) {
			const char *k = input_row_key(in, r, side);
			buf_addc(b, ',');
			json_add_string(b, k != NULL ? k : "");
		}
		buf_addc(b, ']');
	}
}

static int
append(struct journal *j, struct buf *b)
{
	int rc = journal_append(j, b->data, b->len, true);

	buf_free(b);
	return rc;
}

int
journal_pairs_add(struct journal *j, const struct input *in, size_t first, size_t n)
{
	for (size_t at = first; at < first + n; at += ROWS_PER_RECORD) {
		size_t end = at + ROWS_PER_RECORD < first + n ? at + ROWS_PER_RECORD :
		    first + n;
		struct buf b = BUF_INIT;
		journal_rec_begin(&b, JR_PAIRS);
		buf_printf(&b, ",\"op\":\"add\",\"lines\":%u", in->lines);
		journal_add_sources(&b, in);
		buf_addstr(&b, ",\"rows\":[");
		for (size_t i = at; i < end; i++) {
			if (i > at)
				buf_addc(&b, ',');
			add_row(&b, in, i);
		}
		buf_addstr(&b, "]}");
		if (append(j, &b) != 0)
			return -1;
	}
	if (n == 0) {
		/* Lines that held no pair still count. */
		struct buf b = BUF_INIT;
		journal_rec_begin(&b, JR_PAIRS);
		buf_printf(&b, ",\"op\":\"add\",\"lines\":%u", in->lines);
		journal_add_sources(&b, in);
		buf_addstr(&b, ",\"rows\":[]}");
		return append(j, &b);
	}
	return 0;
}

int
journal_pairs_replace(struct journal *j, const struct input *in, size_t row,
    size_t at)
{
	struct buf b = BUF_INIT;

	journal_rec_begin(&b, JR_PAIRS);
	buf_printf(&b, ",\"op\":\"replace\",\"at\":%zu,\"row\":", at);
	add_row(&b, in, row);
	buf_addc(&b, '}');
	return append(j, &b);
}

int
journal_pairs_delete(struct journal *j, size_t row, size_t n)
{
	struct buf b = BUF_INIT;

	journal_rec_begin(&b, JR_PAIRS);
	buf_printf(&b, ",\"op\":\"delete\",\"at\":%zu,\"n\":%zu}", row, n);
	return append(j, &b);
}

int
journal_pairs_clear(struct journal *j)
{
	struct buf b = BUF_INIT;

	journal_rec_begin(&b, JR_PAIRS);
	buf_addstr(&b, ",\"op\":\"clear\"}");
	return append(j, &b);
}

int
journal_choice(struct journal *j, const char *from, const char *to,
    const char *types, enum plan_op op, const char *replace, bool create_missing)
{
	struct buf b = BUF_INIT;

	journal_rec_begin(&b, JR_CHOICE);
	json_add_member(&b, "from", from);
	json_add_member(&b, "to", to);
	json_add_member(&b, "types", types);
	if (op != PLAN_OP_CREATE) {
		json_add_member(&b, "op", plan_op_name(op));
		if (replace != NULL)
			json_add_member(&b, "replace", replace);
		if (create_missing)
			buf_addstr(&b, ",\"create_missing\":true");
	}
	buf_addc(&b, '}');
	return append(j, &b);
}

void
pairs_choice_free(struct pairs_choice *c)
{
	free(c->from);
	free(c->to);
	free(c->types);
	free(c->replace);
	memset(c, 0, sizeof(*c));
}

/* A recorded row, appended to in; false when it is damaged. */
static bool
replay_row(struct input *in, const cJSON *r)
{
	static const uint64_t max[4] = { UINT32_MAX, ROW_INVALID, INPUT_REASON_LAST,
	    UINT8_MAX };
	uint64_t v[4];
	uint8_t why = INPUT_OK;
	const cJSON *s[4];

	int size = cJSON_IsArray(r) ? cJSON_GetArraySize(r) : 0;
	if (size != 8 && size != 10)
		return false;
	/* Status and reason by name, or by number before version 3. */
	for (int i = 0; i < 4; i++)
		if (!journal_row_value(cJSON_GetArrayItem(r, i), i, &v[i], &why) ||
		    v[i] > max[i])
			return false;
	for (int i = 0; i < 4; i++)
		if (!cJSON_IsString(s[i] = cJSON_GetArrayItem(r, 4 + i)))
			return false;
	const char *from = s[1]->valuestring, *to = s[2]->valuestring;
	if (v[1] == ROW_VALID && (!input_cell_ok(from) || !input_cell_ok(to)))
		return false;
	uint32_t set = s[0]->valuestring[0] != '\0' ? input_set_intern(in,
	    s[0]->valuestring, strlen(s[0]->valuestring)) : 0;
	input_add_recorded(in, (uint32_t)v[0], (enum input_status)v[1],
	    (enum input_reason)v[2], (uint8_t)v[3], set, from, to, s[3]->valuestring);
	if (size == 10) {
		const cJSON *fk = cJSON_GetArrayItem(r, 8), *tk = cJSON_GetArrayItem(r, 9);
		if (!cJSON_IsString(fk) || !cJSON_IsString(tk) ||
		    (fk->valuestring[0] != '\0' && !key_is_key(fk->valuestring)) ||
		    (tk->valuestring[0] != '\0' && !key_is_key(tk->valuestring)))
			return false;
		input_set_keys(in, in->nrows - 1, fk->valuestring, tk->valuestring);
	}
	return true;
}

static char *
str_or_null(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/* One pairs record applied to in; false when it is damaged. */
static bool
replay_pairs(struct input *in, const cJSON *rec)
{
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(rec, "op"), *r;
	uint64_t at, n, lines;

	if (!cJSON_IsString(op))
		return false;
	if (strcmp(op->valuestring, "add") == 0) {
		if (!num_value(cJSON_GetObjectItemCaseSensitive(rec, "lines"), UINT32_MAX, &lines))
			return false;
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rec, "rows"))
			if (!replay_row(in, r))
				return false;
		if (lines > in->lines)
			in->lines = (uint32_t)lines;
		input_begin_source(in, NULL);
		/* The sources as they were after the rows came. */
		const cJSON *src = cJSON_GetObjectItemCaseSensitive(rec, "sources");
		if (cJSON_IsArray(src)) {
			input_clear_sources(in);
			journal_restore_sources(in, src);
		}
		return true;
	}
	if (strcmp(op->valuestring, "replace") == 0) {
		if (!num_value(cJSON_GetObjectItemCaseSensitive(rec, "at"), UINT32_MAX, &at) ||
		    at >= in->nrows ||
		    !replay_row(in, cJSON_GetObjectItemCaseSensitive(rec, "row")))
			return false;
		in->rows[at] = in->rows[--in->nrows];
		return true;
	}
	if (strcmp(op->valuestring, "delete") == 0) {
		if (!num_value(cJSON_GetObjectItemCaseSensitive(rec, "at"), UINT32_MAX, &at) ||
		    !num_value(cJSON_GetObjectItemCaseSensitive(rec, "n"), UINT32_MAX, &n) ||
		    at >= in->nrows || n > in->nrows - at)
			return false;
		input_delete_rows(in, (size_t)at, (size_t)n);
		return true;
	}
	if (strcmp(op->valuestring, "clear") == 0) {
		input_clear(in);
		return true;
	}
	return false;
}

int
journal_pairs_read(const char *path, struct input *in, struct pairs_choice *c,
    char **cause)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		/* Only the working set's records: a send's are not read here. */
		enum journal_rec k = journal_rec_of(line, (size_t)len);
		if (k != JR_PAIRS && k != JR_CHOICE)
			continue;
		cJSON *rec = cJSON_ParseWithLength(line, (size_t)len);
		/* A record cut short (a crash, a full disk) is a change that
		 * was refused, never shown: it is not replayed. */
		if (rec == NULL)
			continue;
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "t");
		if (cJSON_IsString(t) && strcmp(t->valuestring, "choice") == 0) {
			pairs_choice_free(c);
			c->from = str_or_null(rec, "from");
			c->to = str_or_null(rec, "to");
			c->types = str_or_null(rec, "types");
			/* An operation this version does not know is none. */
			const cJSON *op = cJSON_GetObjectItemCaseSensitive(rec, "op");
			if (!cJSON_IsString(op) || plan_op_parse(op->valuestring, &c->op) != 0)
				c->op = PLAN_OP_CREATE;
			c->replace = str_or_null(rec, "replace");
			c->create_missing = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec,
			    "create_missing"));
			c->made = true;
		} else if (!replay_pairs(in, rec)) {
			*cause = xasprintf("%s: line %zu: a damaged change to the pairs",
			    path, lineno);
			rc = -1;
		}
		cJSON_Delete(rec);
		if (rc != 0)
			break;
	}
	free(line);
	fclose(f);
	if (rc != 0)
		pairs_choice_free(c);
	return rc;
}

/* A draft's plan with its choices c, as the working set makes it, without
 * the portal's labels; false when the choices do not make one (no
 * direction, types that do not parse). */
static bool
draft_plan(struct session *s, const struct pairs_choice *c)
{
	struct workset w;
	struct assoc_labels none = { 0 };   /* not the portal's: as given */
	char *cause = NULL;
	bool ok;

	if (objtype_unchosen(&s->from) || objtype_unchosen(&s->to))
		return false;
	workset_init(&w);
	w.from = s->from;
	w.to = s->to;
	workset_set_op(&w, c->op, c->replace, c->create_missing);
	ok = workset_set_types(&w, c->types != NULL ? c->types : "", &cause) == 0 &&
	    workset_plan(&w, s->in, &s->plan, &none, PLAN_CHUNK_DEFAULT, &cause) == 0;
	free(cause);
	workset_free(&w);
	return ok;
}

int
draft_session(const char *path, struct session *s, char **cause)
{
	struct pairs_choice c;
	char *why = NULL;

	if (journal_pairs_read(path, s->in, &c, cause) != 0)
		return -1;
	/* The direction chosen so far, when it was. */
	if (c.from == NULL || objtype_parse(c.from, &s->from, &why) != 0)
		objtype_set_unchosen(&s->from);
	free(why);
	why = NULL;
	if (c.to == NULL || objtype_parse(c.to, &s->to, &why) != 0)
		objtype_set_unchosen(&s->to);
	free(why);
	s->meta.from_path = xstrdup(s->from.path);
	s->meta.to_path = xstrdup(s->to.path);
	s->meta.types = c.types != NULL ? xstrdup(c.types) : NULL;
	free(s->meta.state);
	s->meta.state = xstrdup("editing");
	/* What S would do to them, whether or not they plan yet (before:
	 * history and show said "create" of a relabel not sent). */
	s->meta.op = c.op;
	s->meta.replace = c.op == PLAN_OP_RELABEL && c.replace != NULL ?
	    xstrdup(c.replace) : NULL;
	/* Planned as the terminal plans it, with the choices made so far:
	 * its duplicates, its types as IDs say them (before: every row but
	 * the parser's invalid ones pending, and no types); label names
	 * stay for the portal to resolve.  Until both types are chosen,
	 * every row pending, but those the parser refused. */
	if (!draft_plan(s, &c)) {
		plan_restore_begin(&s->plan, &s->from, &s->to, 0, s->in->nrows,
		    s->in->nsets);
		for (size_t i = 0; i < s->in->nrows; i++)
			s->plan.state[i] = s->in->rows[i].status == ROW_INVALID ?
			    PLAN_INVALID : PLAN_EARLIER;
		plan_reindex(&s->plan);
		s->plan.op = c.op;
	}
	pairs_choice_free(&c);
	outcomes_init(&s->out, &s->plan, false);
	session_rows_init(s);
	return 0;
}
