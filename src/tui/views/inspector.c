/* inspector.c: each request and its answer, as pretty JSON with headers
 * and timing: searched, jumped through, written to a file; copied as curl
 * with the token hidden. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../curses.h"
#include "../tui.h"
#include "hubassoc/request.h"
#include "hubassoc/text.h"

struct req {
	uint64_t req;
	unsigned send, chunk, attempt, inputs;
	long send_off, answer_off;   /* where the records are in the journal */
	int status;
	unsigned ms;
	char failure[16];
	char at[16];                 /* when it was sent: HH:MM:SS.mmm (UTC) */
	char kind[16];               /* "" for a create, "read", "preflight", ... */
};

struct insp {
	struct req *reqs;
	size_t n;
	const struct run *for_run;
	struct journal_scan_pos scanned;  /* how far the journal was read */
	bool detail;                 /* showing one request */
	struct buf text;             /* the detail's text, whole */
	char **lines;                /* ... as shown: wrapped at wrap_w */
	size_t nlines;
	int wrap_w;
	size_t list_cursor, list_top;
	size_t answer_line;          /* the detail's "Answer:" line */
	char *search;                /* /: what the detail was searched for */
	size_t search_from;
	bool save_curl;              /* W: the curl command, else the detail */
	size_t save_req;             /* the request it is of */
};

static struct insp *
I(struct view *v)
{
	if (v->data == NULL)
		v->data = xcalloc(1, sizeof(struct insp));
	return v->data;
}

static void
free_lines(struct insp *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
}

void
view_inspector_reset(struct view *v)
{
	struct insp *s = I(v);

	free(s->reqs);
	s->reqs = NULL;
	s->n = 0;
	s->scanned = (struct journal_scan_pos){ 0, 1 };
	s->for_run = NULL;
	s->detail = false;
	free_lines(s);
	v->cursor = v->top = 0;
}

static void
scanned(void *arg, const struct journal_req_info *x)
{
	struct insp *s = arg;

	if (!x->answer) {
		s->reqs = xreallocarray(s->reqs, s->n + 1, sizeof(*s->reqs));
		struct req *q = &s->reqs[s->n++];
		memset(q, 0, sizeof(*q));
		q->req = x->req;
		q->send_off = x->off;
		q->answer_off = -1;
		q->send = x->send;
		q->chunk = x->chunk;
		q->attempt = x->attempt;
		q->inputs = x->inputs;
		memcpy(q->at, x->at, sizeof(q->at));
		memcpy(q->kind, x->kind, sizeof(q->kind));
		return;
	}
	for (size_t k = s->n; k-- > 0;)
		if (s->reqs[k].req == x->req) {
			s->reqs[k].answer_off = x->off;
			s->reqs[k].status = x->status;
			s->reqs[k].ms = x->ms;
			memcpy(s->reqs[k].failure, x->failure, sizeof(s->reqs[k].failure));
			break;
		}
}

/* Reads new send and answer records from the journal, through its reader
 * (their places only: bodies are read when shown). */
static void
scan(struct view *v)
{
	struct insp *s = I(v);
	const struct run *r = v->app->run;

	if (r == NULL || r->journal_path == NULL)
		return;
	if (s->for_run != r)
		view_inspector_reset(v);
	s->for_run = r;
	journal_scan_requests(r->journal_path, &s->scanned, scanned, s);
}

static void
add_line(struct insp *s, const char *p, size_t n)
{
	s->lines = xreallocarray(s->lines, s->nlines + 1, sizeof(*s->lines));
	s->lines[s->nlines++] = xstrndup(p, n);
}

/* The detail's lines as shown at width w: a line wider wraps, at a space
 * when one fits (before: cut at the edge, an error's message with it). */
static void
wrap_lines(struct insp *s, int w)
{
	const char *p = buf_str(&s->text);

	free_lines(s);
	s->wrap_w = w;
	struct buf line = BUF_INIT, row = BUF_INIT;
	for (;;) {
		const char *nl = strchr(p, '\n');
		/* As it is drawn, its controls escaped: the width is the
		 * drawn one (before: a C1 control, drawn as \u{009b}, ran the
		 * row past the edge). */
		buf_reset(&line);
		text_escape(&line, p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		const char *l = buf_str(&line);
		size_t n = line.len;
		/* Its rows after the first indented under it, two more, as
		 * long as half the width is left (before: from column 0). */
		size_t in = strspn(l, " ") + 2;
		if (w <= 0 || in > (size_t)w / 2)
			in = 0;
		if (n == 0 || w <= 0)
			add_line(s, l, n);
		for (size_t at = 0; at < n && w > 0;) {
			size_t pad = at > 0 ? in : 0;
			size_t k = text_wrap(l + at, n - at, (size_t)w - pad);
			buf_reset(&row);
			buf_printf(&row, "%*s", (int)pad, "");
			buf_add(&row, l + at, k);
			add_line(s, row.data, row.len);
			at += k;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	buf_free(&line);
	buf_free(&row);
	s->answer_line = 0;
	for (size_t i = 0; i < s->nlines && s->answer_line == 0; i++)
		if (strncmp(s->lines[i], "Answer: ", 8) == 0 ||
		    strncmp(s->lines[i], "No answer recorded", 18) == 0)
			s->answer_line = i;
}

/* The API the run's requests went to: a session's own, or this one's. */
static enum api_version
run_api(const struct app *a)
{
	enum api_version v = a->connected ? a->conn.api : API_V4;

	if (a->run->s->meta.api_version != NULL)
		api_version_parse(a->run->s->meta.api_version, &v);
	return v;
}

/* Where a recorded request went: a call's record says (journal_call); a
 * send's and a read-back's are the session's own paths, by its operation
 * (before: "batch/create" of a remove's archive, and its curl a create). */
static const char *
request_target(struct app *a, const struct journal_exchange *x, struct buf *path)
{
	buf_reset(path);
	if (x->method != NULL && x->path != NULL) {
		buf_addstr(path, x->path);
		return x->method;
	}
	request_assoc_path(path, run_api(a), &a->run->plan->from, &a->run->plan->to,
	    x->kind != NULL && strcmp(x->kind, "read") == 0 ? "batch/read" :
	    plan_op_action(a->run->plan->op));
	return "POST";
}

/* The detail of one request: its line, headers, both bodies pretty. */
static void
open_detail(struct view *v, const struct req *q)
{
	struct insp *s = I(v);
	struct app *a = v->app;
	struct buf b = BUF_INIT, path = BUF_INIT;
	struct journal_exchange x;

	free_lines(s);
	journal_read_exchange(a->run->journal_path, q->send_off, q->answer_off, &x);
	const char *method = request_target(a, &x, &path);
	/* The record's words are shown, never acted on. */
	char *where = text_escape_str(path.data, path.len, 400);
	if (q->kind[0] != '\0' && strcmp(q->kind, "read") != 0)
		buf_printf(&b, "Request %llu (%s): %s %s\nsend %u, attempt %u, sent %s "
		    "UTC\n", (unsigned long long)q->req, q->kind, method, where,
		    q->send, q->attempt, q->at[0] ? q->at : "(not recorded)");
	else
		buf_printf(&b, "Request %llu: %s %s\nsend %u, chunk %u, attempt %u, %u "
		    "input%s, sent %s UTC\n", (unsigned long long)q->req, method, where,
		    q->send, q->chunk + 1, q->attempt, q->inputs,
		    q->inputs == 1 ? "" : "s", q->at[0] ? q->at : "(not recorded)");
	free(where);
	/* The headers as http.c sends them: a body's type with a body. */
	buf_printf(&b, "Authorization: Bearer (hidden)\nUser-Agent: %s\n%s\n",
	    http_user_agent(), x.body != NULL ? "Content-Type: application/json\n" : "");
	if (x.body != NULL)
		json_pretty(&b, x.body);
	else
		buf_addstr(&b, "(no body)");
	buf_addstr(&b, "\n\n");
	if (!x.answered) {
		buf_addstr(&b, "No answer recorded (in flight, or lost).\n");
	} else {
		buf_printf(&b, "Answer: HTTP %d in %u ms\n", x.status, q->ms);
		if (x.failure != NULL)
			buf_printf(&b, "Failure: %s\n", x.failure);
		if (x.headers != NULL)
			buf_printf(&b, "%s\n", x.headers);
		buf_addc(&b, '\n');
		/* As it came when it is not JSON (an HTML error page). */
		if (x.answer != NULL)
			json_pretty(&b, x.answer);
	}
	buf_free(&s->text);
	s->text = b;
	wrap_lines(s, COLS);
	journal_exchange_free(&x);
	buf_free(&path);
	s->list_cursor = v->cursor;
	s->list_top = v->top;
	s->detail = true;
	v->cursor = v->top = 0;
}

/* Copies text with OSC 52, which terminals (and tmux) put on the clipboard. */
static void
osc52(struct app *a, const char *text)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf out = BUF_INIT;
	size_t n = strlen(text);

	buf_addstr(&out, "\033]52;c;");
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)text[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)text[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)text[i + 2];
		buf_addc(&out, b64[(v >> 18) & 63]);
		buf_addc(&out, b64[(v >> 12) & 63]);
		buf_addc(&out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		buf_addc(&out, i + 2 < n ? b64[v & 63] : '=');
	}
	buf_addstr(&out, "\a");
	if (write(a->tty_out, out.data, out.len) < 0)
		app_status(a, true, "the terminal would not take the copy");
	buf_free(&out);
}

/* A request as a curl command that reads the token from the environment. */
static void
curl_of(struct view *v, const struct req *q, struct buf *cmd)
{
	struct app *a = v->app;
	struct buf path = BUF_INIT;
	struct journal_exchange x;
	const char *base = a->run->s->meta.base_url != NULL ?
	    a->run->s->meta.base_url : a->conn.base_url;

	journal_read_exchange(a->run->journal_path, q->send_off, -1, &x);
	const char *method = request_target(a, &x, &path);
	char *url = xasprintf("%s%s", base != NULL ? base : REQUEST_BASE_URL_DEFAULT,
	    buf_str(&path));
	/* The token is never in it: the command reads it from the environment. */
	/* A GET carries none (before: "-d null", which made it a POST). */
	request_curl(cmd, method, url, strcmp(method, "GET") == 0 ? NULL :
	    x.body != NULL ? x.body : "{}");
	free(url);
	journal_exchange_free(&x);
	buf_free(&path);
}

/* Bytes a terminal's OSC 52 takes, as the common ones count it (xterm's and
 * kitty's are about this; some take less): longer is not sent. */
#define OSC52_MAX 74994

/*
 * c: a request as curl, to the clipboard by OSC 52.  Whether the terminal
 * took it cannot be known (tmux passes it on only with set-clipboard on;
 * VTE terminals refuse it): said as sent, not as copied, with W to write
 * it to a file instead.
 */
static void
copy_curl(struct view *v, const struct req *q)
{
	struct app *a = v->app;
	struct buf cmd = BUF_INIT;
	char n[32];

	curl_of(v, q, &cmd);
	if (cmd.len > OSC52_MAX) {
		app_status(a, true, "request %llu as curl is %s bytes, past what "
		    "terminals take through OSC 52: W writes it to a file",
		    (unsigned long long)q->req, fmt_count(n, cmd.len));
	} else {
		osc52(a, buf_str(&cmd));
		app_status(a, false, "request %llu sent as curl to the terminal's "
		    "clipboard (OSC 52, %s bytes; the token is $HUBSPOT_ACCESS_TOKEN)%s; "
		    "nothing pasted? W writes it to a file", (unsigned long long)q->req,
		    fmt_count(n, cmd.len), getenv("TMUX") != NULL ?
		    "; tmux passes it on with set-clipboard on" : "");
	}
	buf_free(&cmd);
}

/* w, W: asks for the file. */
static void
ask_file(struct view *v, size_t k, bool curl)
{
	struct insp *s = I(v);

	s->save_curl = curl;
	s->save_req = k;
	prompt_open(v->app, PROMPT_SAVE, curl ? "write the curl command to: " :
	    "write the request and its answer to: ", NULL);
}

void
view_inspector_save(struct view *v, const char *path)
{
	struct insp *s = I(v);
	struct app *a = v->app;
	struct buf text = BUF_INIT;

	if (a->run == NULL || s->save_req >= s->n)
		return;
	if (s->save_curl) {
		curl_of(v, &s->reqs[s->save_req], &text);
	} else {
		buf_printf(&text, "%s\n", buf_str(&s->text));
	}
	/* 0600: an answer may name records; the token is in neither. */
	char *done = xasprintf("%s of request %llu", s->save_curl ?
	    "the curl command" : "the request and its answer",
	    (unsigned long long)s->reqs[s->save_req].req);
	app_write_file(a, FILE_TEXT, path, &text, done);
	free(done);
}

/* /: the detail's next line holding the text, from where the search began;
 * none: the cursor stays. */
static void
search(struct view *v, const char *text, size_t from)
{
	struct insp *s = I(v);

	for (size_t k = 0; text[0] != '\0' && k < s->nlines; k++) {
		size_t i = (from + k) % s->nlines;
		if (strcasestr(s->lines[i], text) != NULL) {
			/* At the top, as less puts a match. */
			v->cursor = v->top = i;
			return;
		}
	}
	if (text[0] != '\0')
		app_status(v->app, true, "'%s' is not in this request or its answer", text);
}

static void
view_filter(struct view *v, const char *text)
{
	struct insp *s = I(v);

	if (!s->detail)
		return;
	free(s->search);
	s->search = xstrdup(text);
	search(v, text, s->search_from);
}

static size_t
count(struct view *v)
{
	struct insp *s = I(v);

	/* Wrapped again at a new width, the cursor kept in range. */
	if (s->detail && s->wrap_w != COLS) {
		wrap_lines(s, COLS);
		if (v->cursor >= s->nlines)
			v->cursor = s->nlines > 0 ? s->nlines - 1 : 0;
	}
	if (s->detail)
		return s->nlines;
	scan(v);
	return s->n;
}

static void
draw_line(struct view *v, size_t i, int y, int w, bool cursor)
{
	struct insp *s = I(v);

	if (s->detail) {
		draw_text(y, 0, w, s->lines[i], cursor ? ROLE_CURSOR : ROLE_DEFAULT, true);
		return;
	}
	const struct req *q = &s->reqs[i];
	char line[160], http[8];
	if (q->answer_off < 0)
		snprintf(http, sizeof(http), "-");
	else
		snprintf(http, sizeof(http), "%d", q->status);
	/* A call (a preflight's read, an undo's archive) has no chunk or rows
	 * of its own: it says what it is instead. */
	bool call = q->kind[0] != '\0' && strcmp(q->kind, "read") != 0;
	char chunk[16] = "-", inputs[16] = "-";
	if (!call) {
		snprintf(chunk, sizeof(chunk), "%u", q->chunk + 1);
		snprintf(inputs, sizeof(inputs), "%u", q->inputs);
	}
	snprintf(line, sizeof(line), "%4u %6llu %6s %4u %7s %5s %7u ms  %-12s  %s%s%s",
	    q->send, (unsigned long long)q->req, chunk, q->attempt, inputs, http,
	    q->ms, q->at, call ? q->kind : "", call ? " " : "",
	    q->answer_off < 0 ? "no answer yet" : q->failure);
	enum role role = cursor ? ROLE_CURSOR : q->answer_off < 0 ? ROLE_PENDING :
	    q->status >= 200 && q->status < 300 && q->status != 207 ? ROLE_OK :
	    q->status == 207 ? ROLE_WARNING : ROLE_ERROR;
	draw_text(y, 0, w, line, role, true);
}

static int
draw_head(struct view *v, int y, int w)
{
	struct insp *s = I(v);

	if (v->app->run == NULL) {
		draw_text(y, 0, w, "Nothing sent yet: a send's requests show here.",
		    ROLE_DIM, true);
		return 1;
	}
	if (s->detail)
		return draw_wrapped(y, 0, w, "Esc: back;  /: search, n: next;  a: "
		    "answer or request;  w: write it to a file;  c: copy as curl, W: "
		    "write that", ROLE_COLUMN, 2);
	/* The columns' names, and the keys beside them or below, whole. */
	static const char cols[] = "SEND    REQ  CHUNK  TRY  INPUTS  HTTP      TIME  "
	    "SENT (UTC)    ", keys[] = "Enter shows one, c copies it as curl";
	if ((int)(sizeof(cols) + sizeof(keys)) - 2 <= w) {
		draw_text(y, 0, w, cols, ROLE_COLUMN, true);
		draw_text(y, (int)sizeof(cols) - 1, w - (int)sizeof(cols) + 1, keys,
		    ROLE_COLUMN, true);
		return 1;
	}
	draw_text(y, 0, w, keys, ROLE_DIM, true);
	draw_text(y + 1, 0, w, cols, ROLE_COLUMN, true);
	return 2;
}

static void
done(struct view *v)
{
	free(I(v)->reqs);
	free(I(v)->search);
	free_lines(I(v));
	buf_free(&I(v)->text);
}

static bool
action(struct view *v, enum action act)
{
	struct insp *s = I(v);

	if (v->app->run == NULL)
		return false;
	switch (act) {
	case ACT_SELECT:
		if (!s->detail && v->cursor < s->n)
			open_detail(v, &s->reqs[v->cursor]);
		return true;
	case ACT_LEFT:
		if (!s->detail)
			return false;
		s->detail = false;
		free_lines(s);
		v->cursor = s->list_cursor;
		v->top = s->list_top;
		return true;
	case ACT_COPY_CURL: {
		size_t k = s->detail ? s->list_cursor : v->cursor;
		if (k < s->n)
			copy_curl(v, &s->reqs[k]);
		return true;
	}
	case ACT_WRITE_CURL:
	case ACT_WRITE_FILE: {
		size_t k = s->detail ? s->list_cursor : v->cursor;
		if (k >= s->n)
			return true;
		/* The request and its answer as the detail shows them. */
		if (!s->detail && act == ACT_WRITE_FILE)
			open_detail(v, &s->reqs[k]);
		ask_file(v, k, act == ACT_WRITE_CURL);
		return true;
	}
	case ACT_FILTER:
		if (!s->detail)
			return true;
		s->search_from = v->cursor;
		prompt_open(v->app, PROMPT_FILTER, "search: ", NULL);
		return true;
	case ACT_NEXT_MATCH:
		if (s->detail && s->search != NULL && s->nlines > 0)
			search(v, s->search, (v->cursor + 1) % s->nlines);
		return true;
	case ACT_UP:
	case ACT_DOWN:
		/* A request opened is read as a text: a line down scrolls it
		 * at once, as v and the help do (before: the cursor went down
		 * the screen first, and the text stood still). */
		return s->detail && view_text_scroll(v, act);
	case ACT_JUMP_ANSWER:
		if (!s->detail)
			return true;
		v->cursor = v->top = v->cursor < s->answer_line ? s->answer_line : 0;
		return true;
	default:
		return false;
	}
}

const struct view_ops view_inspector_ops = {
	.name = "inspector", .title = "Inspector", .folds = true,
	.count = count, .draw_line = draw_line, .draw_head = draw_head,
	.action = action, .done = done, .filter = view_filter,
};
