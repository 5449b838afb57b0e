/* planfx.h: a parsed input and its plan, for tests that need rows. */
#ifndef HUBASSOC_PLANFX_H
#define HUBASSOC_PLANFX_H

#include "hubassoc/plan.h"

struct planfx {
	struct input *in;
	struct plan plan;
	struct objtype from, to;
	struct assoc_labels labels;
	struct assoc_spec defaults[4];
	size_t ndefaults;
};

/* An input parsed from text, whole. */
static inline struct input *
planfx_input(const char *text)
{
	struct input *in = input_new();

	input_feed(in, text, strlen(text));
	input_finish(in);
	return in;
}

static inline void
planfx_build(struct planfx *f, const char *text, const char *from,
    const char *to, const char *types, size_t chunk)
{
	char *c = NULL;

	memset(f, 0, sizeof(*f));
	if (objtype_parse(from, &f->from, &c) != 0 ||
	    objtype_parse(to, &f->to, &c) != 0)
		fail_msg("%s", c);
	for (const char *p = types; p != NULL && *p != '\0';) {
		const char *semi = strchr(p, ';');
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		if (assoc_spec_parse(p, n, &f->defaults[f->ndefaults++], &c) != 0)
			fail_msg("%s", c);
		p = semi ? semi + 1 : NULL;
	}
	f->in = planfx_input(text);
	assoc_labels_builtin(&f->labels, &f->from, &f->to);
	if (plan_build(&f->plan, f->in, &f->from, &f->to, f->defaults,
	    f->ndefaults, &f->labels, chunk, &c) != 0)
		fail_msg("%s", c);
}

static inline void
planfx_free(struct planfx *f)
{
	plan_free(&f->plan);
	input_free(f->in);
	assoc_labels_free(&f->labels);
	for (size_t i = 0; i < f->ndefaults; i++)
		assoc_spec_clear(&f->defaults[i]);
}

#endif
