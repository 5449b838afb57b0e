/* journal_list.c: the sessions on disk: listed, found by ID, and read
 * cheaply (header and tail) for history. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal_int.h"
#include "hubassoc/text.h"

static int
name_cmp(const void *a, const void *b)
{
	/* Newest first: IDs sort by time. */
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

int
journal_list(char ***paths, size_t *n, char **cause)
{
	char *dir = NULL;
	DIR *d;
	struct dirent *de;

	*paths = NULL;
	*n = 0;
	if (journal_dir(&dir, false, cause) != 0)
		return -1;
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return 0;   /* no sessions yet */
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".jsonl") != 0)
			continue;
		*paths = xreallocarray(*paths, *n + 1, sizeof(**paths));
		(*paths)[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	free(dir);
	qsort(*paths, *n, sizeof(**paths), name_cmp);
	return 0;
}

/* A journal named by its path drives writes (resume, retry, undo) as one
 * in the sessions directory does, so it is held to the same trust: the
 * file and the directory it is in are this user's and no one else may
 * write them, and the file is no symbolic link. */
static int
journal_check_path(const char *what, char **path, char **cause)
{
	int fd = open(what, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	char *e = text_escape_str(what, strlen(what), 200);
	int rc = -1;

	*path = NULL;
	if (fd < 0)
		*cause = errno == ELOOP ? xasprintf("journal %s is a symbolic link: "
		    "give the path of the file itself", e) :
		    xasprintf("%s: %s", e, strerror(errno));
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		*cause = xasprintf("journal %s is not a file", e);
	else if (file_check_trusted(fd, "journal", e, cause) == 0 &&
	    file_check_dir_trusted(what, cause) == 0)
		rc = 0;
	if (fd >= 0)
		close(fd);
	free(e);
	if (rc == 0)
		*path = xstrdup(what);
	return rc;
}

int
journal_find(const char *what, char **path, char **cause)
{
	char **paths;
	size_t n, hits = 0;

	if (strchr(what, '/') != NULL)
		return journal_check_path(what, path, cause);
	if (journal_list(&paths, &n, cause) != 0)
		return -1;
	*path = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(paths[i], '/') + 1;
		bool hit = strcmp(what, "last") == 0 ? i == 0 :
		    strncmp(base, what, strlen(what)) == 0;
		if (hit && hits++ == 0)
			*path = xstrdup(paths[i]);
		else if (hit && hits == 2) {
			free(*path);
			*path = NULL;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	if (hits == 1)
		return 0;
	char *e = text_escape_str(what, strlen(what), 60);
	*cause = hits == 0 ? xasprintf("no session '%s' (see hubassoc history)", e) :
	    xasprintf("'%s' names %zu sessions: give more of the ID", e, hits);
	free(e);
	return -1;
}

int
journal_peek(const char *path, struct journal_meta *m, char **cause)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(m, 0, sizeof(*m));
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	len = getline(&line, &cap, f);
	cJSON *h = len > 0 ? cJSON_ParseWithLength(line, (size_t)len) : NULL;
	if (h == NULL || journal_read_header(h, m, cause) != 0) {
		if (*cause == NULL)
			*cause = xasprintf("%s: not a hubassoc journal", path);
		cJSON_Delete(h);
		free(line);
		fclose(f);
		journal_meta_free(m);
		return -1;
	}
	m->counts[OUTCOME_PENDING] = get_num(h, "rows");
	m->sends = 1;
	cJSON_Delete(h);
	/* Every line is looked at, the whole journal, as show reads it: only
	 * the records that say where a session stands are parsed, found by
	 * how the writer starts them (a request's body is never one). */
	static const char *const heads[] = { "progress", "end", "undo_begun",
	    "undo\"", "undo_cancelled", "undone", "resume", "resend" };
	while ((len = getline(&line, &cap, f)) > 0) {
		bool wanted = false;
		/* The pairs changed after a send's end: for its next. */
		enum journal_rec k = journal_rec_of(line, (size_t)len);
		if (m->ended && k == JR_PAIRS)
			m->changed_since = true;
		/* What the pairs are chosen to do: S's operation, reopened. */
		if (k == JR_CHOICE) {
			cJSON *c = cJSON_ParseWithLength(line, (size_t)len);
			const cJSON *op = cJSON_GetObjectItemCaseSensitive(c, "op");
			m->pairs_op = PLAN_OP_CREATE;
			if (cJSON_IsString(op))
				plan_op_parse(op->valuestring, &m->pairs_op);
			m->pairs_chose = c != NULL;
			cJSON_Delete(c);
			continue;
		}
		if (strncmp(line, "{\"t\":\"", 6) == 0)
			for (size_t i = 0; i < HA_ARRAY_LEN(heads) && !wanted; i++)
				wanted = strncmp(line + 6, heads[i], strlen(heads[i])) == 0;
		if (!wanted)
			continue;
		cJSON *rec = cJSON_ParseWithLength(line, (size_t)len);
		if (rec == NULL)
			continue;
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "t");
		const char *kind = cJSON_IsString(t) ? t->valuestring : "";
		uint64_t send = get_num(rec, "send");
		if (send > m->sends && send <= SESSION_SENDS_MAX)
			m->sends = (unsigned)send;
		if (strcmp(kind, "resume") == 0 || strcmp(kind, "resend") == 0) {
			m->ended = false;
		} else if (strcmp(kind, "undo_begun") == 0) {
			m->undo = SESSION_UNDO_READING;
		} else if (strcmp(kind, "undo") == 0) {
			m->undo = SESSION_UNDO_BEGUN;
		} else if (strcmp(kind, "undo_cancelled") == 0) {
			m->undo = SESSION_UNDO_NONE;
		} else if (strcmp(kind, "undone") == 0) {
			m->undo = SESSION_UNDO_DONE;
			/* Its rows taken back: the counts as the undo left them. */
			if (cJSON_GetObjectItemCaseSensitive(rec, "counts") != NULL)
				journal_read_counts(rec, m);
		} else if (strcmp(kind, "progress") == 0 || strcmp(kind, "end") == 0) {
			journal_read_counts(rec, m);
			if (strcmp(kind, "end") == 0) {
				free(m->state);
				m->state = get_str(rec, "state");
				m->exit_status = (int)get_num(rec, "exit");
				m->ended = true;
				m->changed_since = false;
			}
		}
		cJSON_Delete(rec);
	}
	free(line);
	fclose(f);
	if (!m->ended) {
		/* Killed, still sending, or a working set not sent yet: its
		 * progress records lag behind its outcomes, or it has none, so
		 * the counts come from reading it whole. */
		struct session s;
		char *c = NULL;
		free(m->state);
		m->state = NULL;
		if (journal_load(path, &s, &c) == 0) {
			memcpy(m->counts, s.out.count, sizeof(m->counts));
			m->sends = s.meta.sends;
			if (m->from_path == NULL && s.meta.from_path != NULL)
				m->from_path = xstrdup(s.meta.from_path);
			if (m->to_path == NULL && s.meta.to_path != NULL)
				m->to_path = xstrdup(s.meta.to_path);
			if (s.nsends == 0 && s.meta.state != NULL)
				m->state = xstrdup(s.meta.state);
			/* Not sent yet: what its pairs are chosen to do. */
			if (s.nsends == 0)
				m->op = s.meta.op;
			session_free(&s);
		}
		free(c);
		if (m->state == NULL)
			m->state = xstrdup("unfinished");
	} else if (m->undo == SESSION_UNDO_BEGUN) {
		/* An undo stopped half way: what its answered writes took back
		 * is read from them, as show reads it (journal_mark_undo_taken;
		 * before: the counts of the send it undoes). */
		struct session s;
		char *c = NULL;
		if (journal_load(path, &s, &c) == 0) {
			memcpy(m->counts, s.out.count, sizeof(m->counts));
			session_free(&s);
		}
		free(c);
	}
	return 0;
}
