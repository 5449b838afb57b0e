/*
 * engine_int.h: the engine's insides, shared by engine.c (queueing,
 * sending, answers) and engine_fault.c (which rows are at fault: the
 * halving of a refused request, and the hold after alike failures).
 */
#ifndef HUBASSOC_ENGINE_INT_H
#define HUBASSOC_ENGINE_INT_H

#include "hubassoc/engine.h"
#include "hubassoc/response.h"
#include "calls_int.h"

/* A read-back follows no more pages than this (500 pairs a page: far more
 * than any record holds). */
#define ENGINE_READ_PAGES_MAX 10000

/* A refused request that named no row, halved: when both halves are
 * refused alike (same category and message, no row named), the fault is
 * the request's, not a row's, and every row fails with it. */
struct split {
	char *sig;               /* the refusal's category and message */
	struct hs_error *error;  /* the refusal, for the rows */
	uint16_t http;
	unsigned open;           /* halves not yet answered */
	bool differed;           /* a half answered otherwise: rows at fault */
	struct job *parked;      /* a half refused alike, awaiting its sibling */
};

/* A request's rows: the arg of its call, which holds its tries. */
struct job {
	uint32_t *rows;
	size_t n;
	uint32_t chunk;
	bool narrowing;
	bool unanswered;         /* an attempt left and no usable answer came */
	bool read;               /* reads its unconfirmed rows back, creates nothing */
	bool first;              /* a chunk as queued: the hold looks at these */
	char *after;             /* a read's next page, for its one FROM record */
	unsigned pages;          /* ... and the pages read before it */
	struct hs_error *last_error;  /* HubSpot's words on its last failed try */
	struct split *split;     /* the halving it is half of, until answered */
};

struct engine {
	/* The requests' runner: the engine's chunks are its lane. */
	struct calls *c;
	struct journal *j;
	struct input *in;
	struct plan *p;
	struct outcomes *o;
	struct engine_opts opts;
	engine_event_fn fn;
	void *arg;
	bool finalized;
	struct hs_error *stop_error;  /* HubSpot's words on what stopped the run */
	char *path;
	char *read_path;
	/* Since when requests have gone unanswered (refused, timed out),
	 * with no answer since; 0: the server answers.  Meanwhile only the
	 * requests already trying go again, not chunk after chunk. */
	uint64_t unanswered_since;
	/* The hold (opts.hold_alike): until the rows of the first chunks are
	 * settled, no more of them leave; when every one of those rows
	 * failed alike, the engine holds and says so (ENGINE_EV_HOLD). */
	struct {
		bool open, holding, stopped;
		unsigned sent;          /* first chunks gone */
		size_t want, settled;   /* their rows, and how many are settled */
		size_t failed;
		uint8_t *row;           /* 1: a row of theirs, not settled yet */
		bool differ;
		char *cat, *msg;        /* the first failure's cause */
	} alike;
};

/* engine.c */
void eng_event(struct engine *e, enum engine_event_kind kind, uint64_t req, size_t rows,
    int status, const char *detail);
void eng_stop(struct engine *e, enum engine_stop why, const char *msg);
struct job *eng_job_new(const uint32_t *rows, size_t n, uint32_t chunk);
void eng_job_free(struct job *j);
/* Queues a job: next to go, or last. */
void eng_push_front(struct engine *e, struct job *j);
void eng_push_back(struct engine *e, struct job *j);
/* A queued call's job. */
#define ENG_JOB(x) ((struct job *)(x)->arg)
/* Records the outcomes of a job's decided rows. */
void eng_record(struct engine *e, const uint32_t *rows, size_t n, size_t err0, size_t lab0);

/* Makes the requests not sent yet at most size inputs each, and the
 * new ones after them (a refusal for size, answers slowing). */
void eng_shrink(struct engine *e, size_t size, size_t floor, const char *why);

/* engine_fault.c */
void eng_alike_settled(struct engine *e, const uint32_t *rows, size_t n);
void eng_alike_check(struct engine *e);
void eng_split_release(struct split *sp);
void eng_split_answered(struct engine *e, struct job *j, bool alike);
void eng_refused(struct engine *e, struct job *j, const struct response *r);

#endif
