/*
 * journal_header.c: what a journal's first records say of its session
 * (its header, its sources, an end's counts), for journal_load and for
 * the lists that only peek (journal_list.c) and the drafts (draft.c).
 */
#include "journal_int.h"

void
journal_restore_sources(struct input *in, const cJSON *sources)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, sources) {
		const cJSON *name = cJSON_GetArrayItem(x, 0);
		uint64_t base;
		if (cJSON_IsString(name) &&
		    num_value(cJSON_GetArrayItem(x, 1), UINT32_MAX, &base))
			input_add_source(in, name->valuestring, (uint32_t)base);
	}
}

void
journal_read_counts(const cJSON *rec, struct journal_meta *m)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "counts");

	for (int i = 0; i < OUTCOME_COUNT && cJSON_IsObject(c); i++)
		m->counts[i] = get_num(c, outcome_name((enum outcome)i));
}

int
journal_read_header(const cJSON *h, struct journal_meta *m, char **cause)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(h, "t");

	if (!cJSON_IsString(t) || journal_rec_named(t->valuestring) != JR_SESSION) {
		*cause = xstrdup("not a hubassoc journal (no session record first)");
		return -1;
	}
	uint64_t v = get_num(h, "v");
	if (v == 0 || v > JOURNAL_VERSION) {
		*cause = v == 0 ? xstrdup("not a hubassoc journal (its session "
		    "record has no version)") : xasprintf("written by a newer "
		    "hubassoc (journal version %llu; this one reads up to %d): "
		    "open it with that version", (unsigned long long)v, JOURNAL_VERSION);
		return -1;
	}
	m->id = get_str(h, "id");
	m->created = get_str(h, "created");
	m->sent_at = get_str(h, "sent_at");
	m->profile = get_str(h, "profile");
	m->base_url = get_str(h, "base_url");
	const cJSON *sb = cJSON_GetObjectItemCaseSensitive(h, "sandbox");
	m->sandbox = !cJSON_IsBool(sb) ? 0 : cJSON_IsTrue(sb) ? 1 : -1;
	m->api_version = get_str(h, "api_version");
	m->input_name = get_str(h, "input");
	m->columns = get_str(h, "columns");
	m->types = get_str(h, "types");
	m->preflight = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "preflight"));
	const cJSON *ed = cJSON_GetObjectItemCaseSensitive(h, "edits");
	m->edits_journaled = cJSON_IsString(ed) && strcmp(ed->valuestring, "journaled") == 0;
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(h, "op");
	if (op != NULL && (!cJSON_IsString(op) ||
	    plan_op_parse(op->valuestring, &m->op) != 0)) {
		*cause = xstrdup("the session record's operation is not one this "
		    "version knows: open it with a newer hubassoc");
		return -1;
	}
	m->from_path = get_str(cJSON_GetObjectItemCaseSensitive(h, "from"), "path");
	m->to_path = get_str(cJSON_GetObjectItemCaseSensitive(h, "to"), "path");
	m->exit_status = -1;
	if (m->id == NULL) {
		*cause = xstrdup("the session record has no id");
		return -1;
	}
	return 0;
}
