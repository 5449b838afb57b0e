/* check.c: what a check found of each row (check.h). */
#include "hubassoc/check.h"

#include <string.h>

#include "hubassoc/text.h"

static const char *const extra_names[] = {
	[CHECK_INVALID - PRE_CLASS_COUNT] = "invalid",
	[CHECK_CONFLICT - PRE_CLASS_COUNT] = "conflict",
	[CHECK_DUPLICATE - PRE_CLASS_COUNT] = "duplicate",
};

enum check_class
check_class_of(const struct check_src *s, size_t row)
{
	const struct plan *p = s->plan;

	if (p->state[row] == PLAN_DUPLICATE)
		return CHECK_DUPLICATE;
	if (p->state[row] == PLAN_SEND)
		return s->pre != NULL && s->pre->rows != NULL ?
		    (enum check_class)s->pre->rows[row].cls : (enum check_class)PRE_UNREAD;
	enum input_reason why = plan_row_reason(p, s->in, row);
	return why == INPUT_CONFLICT || why == INPUT_ONE_CONFLICT ? CHECK_CONFLICT :
	    CHECK_INVALID;
}

const char *
check_class_name(enum check_class c)
{
	return (unsigned)c < PRE_CLASS_COUNT ? pre_class_name((enum pre_class)c) :
	    c < CHECK_CLASS_COUNT ? extra_names[c - PRE_CLASS_COUNT] : "unread";
}

int
check_class_parse(const char *name, enum check_class *out)
{
	for (unsigned c = 0; c < CHECK_CLASS_COUNT; c++)
		if (strcmp(name, check_class_name((enum check_class)c)) == 0) {
			*out = (enum check_class)c;
			return 0;
		}
	return -1;
}

bool
check_class_bad(enum check_class c)
{
	return c == (enum check_class)PRE_NO_FROM || c == (enum check_class)PRE_NO_TO ||
	    c == CHECK_CONFLICT || c == CHECK_INVALID;
}

void
check_found(struct buf *b, const struct check_src *s, size_t row)
{
	enum check_class c = check_class_of(s, row);

	if (c == CHECK_DUPLICATE)
		buf_printf(b, "repeats line %u", s->in->rows[s->plan->other[row]].line);
	else if (c == CHECK_INVALID || c == CHECK_CONFLICT)
		plan_reason_format(s->plan, s->in, row, b);
	else if (c == (enum check_class)PRE_UNREAD)
		buf_addstr(b, pre_class_label(PRE_UNREAD));
	else
		pre_row_describe(b, &s->pre->rows[row], s->plan, s->in, row, false,
		    s->labels);
}

void
check_begin(struct buf *b, enum export_format f)
{
	if (f == EXPORT_CSV)
		buf_addstr(b, "line,from,to,types,class,found,holds,keeps,holder,"
		    "duplicate_of\n");
	else if (f == EXPORT_JSON)
		buf_addstr(b, "[\n");
}

void
check_end(struct buf *b, enum export_format f)
{
	if (f == EXPORT_JSON)
		buf_addstr(b, "\n]\n");
}

/* One field: JSON's member (its name first), or CSV's cell. */
static void
field(struct buf *b, bool json, const char *key, const char *value)
{
	if (json) {
		buf_printf(b, ",\"%s\":", key);
		if (value != NULL)
			json_add_string(b, value);
		else
			buf_addstr(b, "null");
	} else {
		buf_addc(b, ',');
		csv_add_field(b, value != NULL ? value : "");
	}
}

void
check_row(struct buf *b, enum export_format f, const struct check_src *s,
    size_t row)
{
	const struct input_row *r = &s->in->rows[row];
	enum check_class c = check_class_of(s, row);
	const struct pre_row *pr = c < (enum check_class)PRE_CLASS_COUNT &&
	    c != (enum check_class)PRE_UNREAD ? &s->pre->rows[row] : NULL;
	bool json = f != EXPORT_CSV;
	struct buf tmp = BUF_INIT;
	size_t src;

	if (json)
		buf_addstr(b, "{\"line\":");
	buf_add_uint(b, input_source_line(s->in, r->line, &src));
	field(b, json, "from", input_from(s->in, r));
	field(b, json, "to", input_to(s->in, r));
	export_types(&tmp, s->in, s->plan, NULL, row, json);
	if (json) {
		buf_addstr(b, ",\"types\":");
		buf_add(b, tmp.data, tmp.len);
	} else {
		field(b, false, "types", buf_str(&tmp));
	}
	field(b, json, "class", check_class_name(c));
	buf_reset(&tmp);
	check_found(&tmp, s, row);
	field(b, json, "found", buf_str(&tmp));
	/* What the pair holds now, and what goes along with the row. */
	struct pre_type kept[64];
	size_t nkept = pr != NULL ? pre_row_kept(pr, plan_row_types(s->plan, s->in, row),
	    kept, HA_ARRAY_LEN(kept)) : 0;
	if (nkept > HA_ARRAY_LEN(kept))
		nkept = HA_ARRAY_LEN(kept);
	for (int k = 0; k < 2; k++) {
		buf_reset(&tmp);
		if (k == 0 && pr != NULL)
			export_pre_types(&tmp, pr->types, pr->ntypes, json);
		else if (k == 1 && pr != NULL)
			export_pre_types(&tmp, kept, nkept, json);
		if (json) {
			buf_addstr(b, k == 0 ? ",\"holds\":" : ",\"keeps\":");
			buf_addstr(b, pr != NULL ? buf_str(&tmp) : "null");
		} else {
			field(b, false, "", buf_str(&tmp));
		}
	}
	field(b, json, "holder", pr != NULL && pr->cls == PRE_MOVES ? pr->holder : NULL);
	if (json)
		buf_addstr(b, ",\"duplicate_of\":");
	else
		buf_addc(b, ',');
	if (c == CHECK_DUPLICATE)
		buf_add_uint(b, input_source_line(s->in,
		    s->in->rows[s->plan->other[row]].line, &src));
	else if (json)
		buf_addstr(b, "null");
	buf_addstr(b, json ? (f == EXPORT_JSONL ? "}\n" : "}") : "\n");
	buf_free(&tmp);
}
