/*
 * keep.c: the sandbox's portal kept in a file, so that a --sandbox session
 * can be verified, undone, resumed or sent again after a restart.
 *
 * The file: a header naming the seed, then the store as additions
 * ("+ FROMTYPE FROM TOTYPE TO CATEGORY ID"), after the labels made and the
 * limits set (portal_defs.c), written whole when the sandbox
 * starts; then each change appended and flushed as it is made ("+", "-" a
 * type taken off a pair, "x" a pair removed).  Reading it replays the lines
 * over the seeded records through the store's own calls, so the store is
 * what it was.  A lock file beside it keeps a second sandbox from writing:
 * that one reads the portal as it stands and keeps nothing of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "portal.h"
#include "hubassoc/util.h"

#define KEEP_HEADER "hubassoc-sandbox-portal 1 seed=%llu\n"

static int
def_of(const struct portal *p, int tf, int tt, const char *cat, unsigned long id)
{
	enum assoc_category c;

	if (assoc_category_parse(cat, strlen(cat), &c) != 0)
		return -1;
	return portal_def(p, tf, tt, c, (uint32_t)id);
}

/* One line applied; false when it is none the file could hold. */
static bool
apply(struct portal *p, const char *line)
{
	char op, ta[32], tb[32], cat[32];
	unsigned long long a, b;
	unsigned long id;
	int n = sscanf(line, "%c %31s %llu %31s %llu %31s %lu", &op, ta, &a, tb, &b,
	    cat, &id);
	int tf = n >= 5 ? portal_type(p, ta) : -1, tt = n >= 5 ? portal_type(p, tb) : -1;

	if (tf < 0 || tt < 0)
		return false;
	if (op == 'x' && n == 5) {
		portal_assoc_remove(p, tf, a, tt, b);
		return true;
	}
	int d = n == 7 ? def_of(p, tf, tt, cat, id) : -1;
	if (d < 0)
		return false;
	if (op == '+')
		return portal_assoc_add(p, tf, a, tt, b, d) == 0;
	if (op == '-')
		portal_assoc_remove_def(p, tf, a, tt, b, d);
	return op == '-';
}

/* Reads the kept store over the seeded records: true when there was one
 * (of this seed), its lines applied. */
static bool
load(struct portal *p, const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *line = NULL, head[96];
	size_t cap = 0;

	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	snprintf(head, sizeof(head), KEEP_HEADER, (unsigned long long)p->opts->seed);
	bool ours = getline(&line, &cap, f) > 0 && strcmp(line, head) == 0;
	if (ours) {
		portal_store_clear(p);
		portal_defs_reset(p);
		while (getline(&line, &cap, f) > 0)
			if (!portal_defs_apply(p, line))
				apply(p, line);
	}
	free(line);
	fclose(f);
	return ours;
}

static void
note_line(FILE *f, const struct portal *p, char op, int tf, uint64_t a, int tt,
    uint64_t b, int d)
{
	fprintf(f, "%c %s %llu %s %llu", op, p->types[tf].id, (unsigned long long)a,
	    p->types[tt].id, (unsigned long long)b);
	if (d >= 0)
		fprintf(f, " %s %u", assoc_category_name(p->defs[d].cat),
		    p->defs[d].type_id);
	fputc('\n', f);
}

/* The store written whole, beside the file then over it; the file then
 * open for what changes next. */
static int
write_whole(struct portal *p, char **cause)
{
	char *tmp = xasprintf("%s.tmp", p->kept_path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	bool ok = f != NULL;

	if (ok) {
		fprintf(f, KEEP_HEADER, (unsigned long long)p->opts->seed);
		portal_defs_write(p, f);      /* the labels before their pairs */
		for (size_t i = 0; i < p->nassocs; i++) {
			const struct passoc *x = &p->assocs[i];
			for (size_t k = 0; x->live && k < x->ndefs; k++)
				note_line(f, p, '+', x->ta, x->a, x->tb, x->b, x->defs[k]);
		}
		ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
		ok &= fclose(f) == 0;
	} else if (fd >= 0) {
		close(fd);
	}
	ok = ok && rename(tmp, p->kept_path) == 0;
	if (!ok) {
		*cause = xasprintf("%s: %s", p->kept_path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	if (!ok)
		return -1;
	fd = open(p->kept_path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	p->kept = fd >= 0 ? fdopen(fd, "a") : NULL;
	if (p->kept == NULL) {
		*cause = xasprintf("%s: %s", p->kept_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return 0;
}

enum portal_kept
portal_keep(struct portal *p, const char *path, bool reset, char **cause)
{
	char *lock = xasprintf("%s.lock", path);
	int lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	free(lock);
	if (lfd < 0 || flock(lfd, LOCK_EX | LOCK_NB) != 0) {
		/* Another sandbox keeps it: its portal as it stands, no more. */
		*cause = xasprintf("%s is kept by another hubassoc --sandbox: this one "
		    "starts from it and keeps nothing", path);
		if (lfd >= 0)
			close(lfd);
		if (!reset)
			load(p, path);
		return PORTAL_UNKEPT;
	}
	p->kept_lock = lfd;
	p->kept_path = xstrdup(path);
	bool had = !reset && load(p, path);
	if (write_whole(p, cause) != 0) {
		portal_keep_close(p);
		return PORTAL_UNKEPT;
	}
	return had ? PORTAL_KEPT : reset ? PORTAL_RESET : PORTAL_FRESH;
}

void
portal_keep_note(struct portal *p, char op, int tf, uint64_t f, int tt, uint64_t t,
    int d)
{
	if (p->kept == NULL)
		return;
	note_line(p->kept, p, op, tf, f, tt, t, d);
	fflush(p->kept);
}

void
portal_keep_rewrite(struct portal *p)
{
	char *cause = NULL;

	if (p->kept == NULL)
		return;
	fclose(p->kept);
	p->kept = NULL;
	if (write_whole(p, &cause) != 0)
		free(cause);      /* kept no longer; the portal goes on */
}

void
portal_keep_close(struct portal *p)
{
	if (p->kept != NULL)
		fclose(p->kept);
	p->kept = NULL;
	if (p->kept_lock > 0)
		close(p->kept_lock);
	p->kept_lock = 0;
	free(p->kept_path);
	p->kept_path = NULL;
}
