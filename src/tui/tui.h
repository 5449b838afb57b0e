/*
 * tui.h: the terminal interface: its state, its views and its actions.
 *
 * One event loop reads the terminal (keys, mouse, pastes; keys.c) and
 * drives libcurl (the engine, and the labels and schemas fetched in the
 * background) without ever blocking on either, then draws once.  Views are
 * ops tables over a generic list engine (tig's shape); actions are one
 * table with their help, bound to keys per view with a generic fallback.
 */
#ifndef HUBASSOC_TUI_H
#define HUBASSOC_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hubassoc/answer.h"
#include "hubassoc/assoctype.h"
#include "hubassoc/conn.h"
#include "hubassoc/engine.h"
#include "hubassoc/explain.h"
#include "hubassoc/input.h"
#include "hubassoc/journal.h"
#include "hubassoc/op.h"
#include "hubassoc/session.h"
#include "hubassoc/objtype.h"
#include "hubassoc/outcome.h"
#include "hubassoc/plan.h"
#include "hubassoc/text.h"
#include "hubassoc/workset.h"
#include "themes.h"
#include "keys.h"

/* ---- colours: roles, set by themes ---------------------------------- */

#define ROLES(X) \
	X(DEFAULT, "default", "ordinary text") \
	X(HEADER, "header", "the top line: profile, portal, budget, state") \
	X(TAB, "tab", "a view's name in the tab line") \
	X(TAB_ACTIVE, "tab-active", "the shown view's name") \
	X(TITLE, "title", "a view's first line") \
	X(COLUMN, "column", "column names of a table") \
	X(CURSOR, "cursor", "the line the cursor is on") \
	X(MARKED, "marked", "lines marked for an action") \
	X(STATUS, "status", "the bottom line's messages") \
	X(PROMPT, "prompt", "the command and edit line") \
	X(ERROR, "error", "errors and failed rows") \
	X(WARNING, "warning", "warnings: primary and parent types") \
	X(OK, "ok", "valid and created rows") \
	X(INVALID, "invalid", "invalid rows") \
	X(DUPLICATE, "duplicate", "duplicate rows") \
	X(PENDING, "pending", "rows not sent yet, or not sent") \
	X(DIM, "dim", "secondary text") \
	X(KEY, "key", "key names in help") \
	X(MATCH, "match", "what a filter matched") \
	X(PROGRESS, "progress", "the done part of a progress bar") \
	X(BORDER, "border", "frames of pop-up windows")

enum role {
#define X(id, name, help) ROLE_##id,
	ROLES(X)
#undef X
	ROLE_COUNT
};

struct theme;
/* Loads a theme by name (files first, then the built-in ones); NULL and
 * *cause on error ("file:line: message"). */
struct theme *theme_load(const char *name, char **cause);
void theme_free(struct theme *t);
/* Sets the curses colour pairs for the terminal's colours, and what each
 * role is drawn with; mono uses attributes only (NO_COLOR, or no
 * colours). */
void theme_apply(const struct theme *t, bool mono);
/* The attributes to draw a role with, as the last theme_apply set them. */
int role_attr(enum role r);

/* ---- actions --------------------------------------------------------- */

#define ACTIONS(X) \
	X(NONE, "none", "") \
	X(QUIT, "quit", "Leave hubassoc: the pairs are kept (asks first while sending or undoing)") \
	X(CLOSE, "close", "Close this window") \
	X(HELP, "help", "Show the keys of this view") \
	X(COMMAND, "command", "Open the command line (:load, :from, :type, ...)") \
	X(UP, "up", "Move up") \
	X(DOWN, "down", "Move down") \
	X(PAGE_UP, "page-up", "Move a page up") \
	X(PAGE_DOWN, "page-down", "Move a page down") \
	X(FIRST, "first", "Go to the first line") \
	X(LAST, "last", "Go to the last line") \
	X(LEFT, "left", "Fold (errors), or go back (inspector)") \
	X(RIGHT, "right", "Unfold (errors)") \
	X(NEXT_VIEW, "next-view", "Go to the next view") \
	X(PREV_VIEW, "prev-view", "Go to the previous view") \
	X(VIEW_PAIRS, "view-pairs", "Show the pairs") \
	X(VIEW_RESULTS, "view-results", "Show the results") \
	X(VIEW_ERRORS, "view-errors", "Show the error tree") \
	X(VIEW_INSPECTOR, "view-inspector", "Show the requests and answers") \
	X(VIEW_HISTORY, "view-history", "Show the sessions") \
	X(VIEW_PORTAL, "view-portal", "Show what the portal holds, as last read") \
	X(PICK_FROM, "pick-from", "Choose the FROM object type") \
	X(PICK_TO, "pick-to", "Choose the TO object type") \
	X(PICK_TYPES, "pick-types", "Choose the association types") \
	X(ADD_ROW, "add-row", "Add a pair") \
	X(EDIT_ROW, "edit-row", "Edit the pair under the cursor") \
	X(DELETE_ROW, "delete-row", "Delete the pair under the cursor") \
	X(SUBMIT, "submit", "Send the valid pairs not created yet, after the first send as the session's next: looks keys up and at what they change, then asks") \
	X(OPERATION, "operation", "Switch what S does: create, remove, remove labels, relabel (:op sets it, with what a relabel replaces)") \
	X(CANCEL, "cancel", "Stop the preflight, or sending (twice: cut what is in flight)") \
	X(SELECT, "select", "Choose, open, or jump to the pair") \
	X(DETAIL, "detail", "Show the row whole: records (ID, name, key), types, and its state, reason and error (HubSpot's or hubassoc's) where it has them; j scrolls what the box cannot hold") \
	X(TOGGLE, "toggle", "Mark or unmark (in Results and the types, the cursor then goes to the next)") \
	X(MANUAL_TYPE, "manual-type", "Enter a type as CATEGORY:ID, or a label: one the portal lacks is made, after asking") \
	X(COL_FROM, "column-from", "Read FROM from the column under the cursor") \
	X(COL_TO, "column-to", "Read TO from the column under the cursor") \
	X(COL_TYPES, "column-types", "Read the types from the column under the cursor (again: from none)") \
	X(FILTER, "filter", "Filter the lines (pairs, results, pickers)") \
	X(SORT, "sort", "Sort by the next order (outcome: failures first, ...)") \
	X(RESEND, "resend", "The session's next send: failed and edited rows (the marked, if any)") \
	X(COPY_CURL, "copy-curl", "Copy the request as curl (token hidden), by OSC 52") \
	X(WRITE_FILE, "write-file", "Write the request and its answer to a file") \
	X(WRITE_CURL, "write-curl", "Write the request as curl (token hidden) to a file") \
	X(NEXT_MATCH, "next-match", "Go to the next line the search matches") \
	X(JUMP_ANSWER, "jump-answer", "Jump between the request and its answer") \
	X(RESUME, "resume", "Resume the session under the cursor, after asking") \
	X(VERIFY, "verify", "Read back the pairs of the session under the cursor: those it created there, those it removed gone") \
	X(PORTAL, "portal", "Read what the portal holds for the FROM record under the cursor (6)") \
	X(UNDO, "undo", "Put the portal back as the session under the cursor found it, after asking") \
	X(REDRAW, "redraw", "Redraw the screen") \
	X(SUSPEND, "suspend", "Suspend to the shell (fg comes back)")

enum action {
#define X(id, name, help) ACT_##id,
	ACTIONS(X)
#undef X
	ACT_COUNT
};

const char *action_name(enum action a);
const char *action_help(enum action a);

/* ---- views ----------------------------------------------------------- */

enum view_id {
	VIEW_PAIRS,
	VIEW_RESULTS,
	VIEW_ERRORS,
	VIEW_INSPECTOR,
	VIEW_HISTORY,
	VIEW_PORTAL,      /* what the portal holds, read-only */
	VIEW_PICKER,      /* modal: object types */
	VIEW_TYPES,       /* modal: association types */
	VIEW_HELP,        /* modal */
	VIEW_DETAIL,      /* modal: one row whole */
	VIEW_COLUMNS,     /* modal: a sheet's columns, before :load reads it */
	VIEW_COUNT
};

#define VIEW_TABS 6   /* the views with a tab */

struct app;
struct view;

struct view_ops {
	const char *name;
	const char *title;
	bool modal;
	bool folds;               /* uses Left and Right */
	/* Lines of the list; drawing one at screen row y. */
	size_t (*count)(struct view *v);
	void (*draw_line)(struct view *v, size_t i, int y, int w, bool cursor);
	/* Lines above the list (a title, column names); returns rows used. */
	int (*draw_head)(struct view *v, int y, int w);
	/* A view's own handling of an action; false: the generic one. */
	bool (*action)(struct view *v, enum action a);
	/* Called when the view is shown. */
	void (*enter)(struct view *v);
	/* A line of the filter prompt changed (live filtering). */
	void (*filter)(struct view *v, const char *text);
	/* Frees what the view holds in data (then data itself is freed). */
	void (*done)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	struct app *app;
	size_t cursor;
	size_t top;
	int list_y, list_h;     /* where the list was last drawn */
	int list_w;             /* and how wide (set before count is asked) */
	void *data;             /* the view's own state */
};

/*
 * The command line's commands: each one's name, another name, its
 * argument as help shows it, what the argument completes to, and what it
 * does.  Parsing (commands.c), completion (prompt.c), the help overlay
 * and hubassoc(1) (make man-keys) read this one table.
 */
enum cmd_arg { CARG_NONE, CARG_FILE, CARG_OBJTYPE, CARG_TYPES, CARG_THEME, CARG_PROFILE,
    CARG_TEXT };
#define COMMANDS(X) \
	X(LOAD, "load", NULL, "FILE", CARG_FILE, \
	    "Add the pairs of a file, its lines numbered from 1, its header and BOM its own; " \
	    "a sheet of more columns shows them first (f, t, y take FROM, TO, the types; Enter reads)") \
	X(COLUMNS, "columns", NULL, "FROM, TO[, TYPES]", CARG_TEXT, \
	    "The columns of the sheets loaded or pasted next: names or numbers, comma-separated; alone, as their headers say") \
	X(WRITE, "write", "w", "FILE", CARG_FILE, \
	    "Write the pairs as a pairs file (0600) that load reads back as the same rows") \
	X(FROM, "from", NULL, "TYPE", CARG_OBJTYPE, "Choose the FROM object type") \
	X(TO, "to", NULL, "TYPE", CARG_OBJTYPE, "Choose the TO object type") \
	X(TYPE, "type", "types", "SPEC[;SPEC]", CARG_TYPES, \
	    "Choose the association types: labels, type IDs or CATEGORY:ID") \
	X(SUBMIT, "submit", NULL, "", CARG_NONE, "Send the valid pairs, after asking (S)") \
	X(OP, "op", NULL, "create|remove|unlabel|relabel [OLD|all] [--create-missing]", CARG_TEXT, \
	    "What S does (O switches): create the pairs; remove them, every type (batch/archive); unlabel: remove the chosen types; relabel: give the pairs the chosen type in place of OLD (all: every label; no OLD: added beside the others), --create-missing making those not there") \
	X(RESEND, "resend", NULL, "", CARG_NONE, \
	    "The session's next send: its failed, not_sent and edited rows (R)") \
	X(CLEAR, "clear", NULL, "", CARG_NONE, \
	    "Remove every pair; the next is line 1 (a session sent keeps its rows)") \
	X(EXPORT, "export", NULL, "FILE", CARG_FILE, \
	    "Write every row of the session shown: jsonl, or csv or json by the name's end") \
	X(THEME, "theme", NULL, "NAME", CARG_THEME, \
	    "Use a theme: default, light, dark, solarized, mono, or a theme file") \
	X(DEMO, "demo", NULL, "", CARG_NONE, \
	    "On the built-in sandbox: add pairs of its portal's records, with bad lines, a duplicate, IDs it lacks, and pairs by email and domain") \
	X(HISTORY, "history", NULL, "", CARG_NONE, "Show the sessions (5)") \
	X(READ, "read", NULL, "", CARG_NONE, \
	    "Read what the portal holds for every FROM record of the session shown, or of the pairs (6)") \
	X(NAMES, "names", NULL, "", CARG_NONE, \
	    "Read the names of the records of the session shown, or of the pairs, to show beside their IDs") \
	X(VERIFY, "verify", NULL, "", CARG_NONE, \
	    "Read back the pairs of the session shown: created ones confirmed, missing, types differ; removed ones gone or still there (V in History)") \
	X(UNDO, "undo", NULL, "", CARG_NONE, \
	    "Put the portal back as the session shown found it, after asking (u in History)") \
	X(TOKEN, "token", NULL, "", CARG_NONE, \
	    "Ask for another token (not shown, never kept) and connect again; it takes no argument, so no token is typed where it shows or is kept in the history") \
	X(PROFILE, "profile", NULL, "NAME", CARG_PROFILE, \
	    "Connect as another profile of the config file: its URL, budget and token (the built-in sandbox left)") \
	X(HELP, "help", NULL, "", CARG_NONE, "Show the keys of this view (?)") \
	X(QUIT, "quit", "q", "", CARG_NONE, "Leave hubassoc: the pairs are kept")

enum command_id {
	CMD_NONE,
#define X(id, name, alias, args, arg, help) CMD_##id,
	COMMANDS(X)
#undef X
	CMD_COUNT
};

struct command_def {
	const char *name, *alias, *args;
	enum cmd_arg arg;
	const char *help;
};
const struct command_def *command_def(enum command_id c);
/* A word's command, by its name or other name; CMD_NONE for none. */
enum command_id command_find(const char *word, size_t n);
/* The command a mistyped word most likely meant, or NULL. */
const char *command_nearest(const char *word);
/* Where the argument of a :token line starts, or -1 when the line is no
 * :token line or has none: that text is a secret, so the command line
 * shows it masked, the history never keeps the line, and the command
 * refuses it (the token's own prompt asks without echo). */
long command_secret_at(const char *line);
/* The commands as an mdoc list, for hubassoc(1). */
void commands_mdoc(struct buf *out);

/* Keymaps: a view's bindings, then the generic ones. */
enum action keymap_lookup(enum view_id v, int key);
/* The bindings of an action in a view, as key names ("j, Down"): the
 * view's own, the generic ones it does not hide, or both.  VIEW_COUNT
 * stands for no view: every generic binding. */
#define KEYS_OWN 1u
#define KEYS_GENERIC 2u
void keymap_keys(enum view_id v, enum action a, unsigned which, struct buf *out);
/* The keys section of hubassoc(1), in mdoc, from the same table. */
void keymap_mdoc(struct buf *out);
/* Keys bound twice in one map, or to an action without help: said in
 * problems, one a line; returns how many. */
int keymap_check(struct buf *problems);

/* ---- the application -------------------------------------------------- */

enum prompt_kind {
	PROMPT_NONE,
	PROMPT_COMMAND,   /* ":" */
	PROMPT_EDIT,      /* a pair, to add or replace */
	PROMPT_FILTER,    /* "/" in a list, or a picker's filter */
	PROMPT_MANUAL,    /* CATEGORY:ID */
	PROMPT_TOKEN,     /* not echoed */
	PROMPT_SAVE,      /* a file to write the inspector's request to */
	PROMPT_CONFIRM,   /* y or n */
};

/* A session being sent, or opened from the history: its rows, plan and
 * outcomes are the session's (in, plan and out point into it,
 * app_run_bind).  The working set's session is the pairs themselves (one
 * store: its rows are the pairs', by the same index); another is its own. */
struct run {
	char *id;
	struct session *s;        /* its session: own's, or the working set's */
	struct session own;
	struct input *in;         /* s->in */
	struct plan *plan;        /* &s->plan */
	struct outcomes *out;     /* &s->out */
	struct journal *journal;
	bool journal_borrowed;    /* the working set's (app.work): not closed here */
	struct engine *engine;    /* while sending: its send operation's */
	char *journal_path;
	bool loaded;              /* opened from the history */
	bool resumed;             /* and sent on from where it stopped */
	bool running;
	/* S's question, its send's (op_send_opts.ask), and the profile's
	 * words a question says */
	struct send_plan ask;
	char *profile;
	char *other_id;           /* the pairs' session before, ask's own copy
	                           * (the working set's ID changes as the send
	                           * begins, before a remove's plan asks) */
	size_t left_out;          /* rows created before, not sent again */
	struct journal *lookups;  /* the keys' lookups made for it, held until
	                           * its send (app_take_lookups) */
	uint64_t lookup_reqs;
	uint8_t *verdict;         /* per row, once verified (enum verdict;
	                           * VERIFY_COUNT: not a created row) */
	char **verify_said;       /* ... what the portal holds and lacks, of
	                           * the rows not confirmed (else NULL) */
	size_t total;             /* rows to send at the start */
	uint64_t started;
	enum engine_stop stop;
	char *stop_msg;
	char *went_on_from;       /* S's first send of pairs that went on from
	                           * this session (its journal), at S: a no
	                           * gives them back to it (work_give_back) */
	char *warning;            /* the send's last warning, said again with
	                           * its end (the status line had it once) */
	bool ended;
	bool unfinished;          /* its creates ended, a relabel's last step
	                           * did not (op_send_unfinished) */
	struct explain *explain;  /* why its rows are as they are, worked out
	                           * once (explain.h) */
	uint32_t *again;          /* R, asked: the rows the next send takes */
	size_t nagain;
};

/* A connection, as far as the portal has said (its first call, for the
 * custom objects, tries the token). */
enum link_state {
	LINK_NONE,         /* not connected: conn_error says why */
	LINK_CHECKING,     /* connected; the first call is on its way */
	LINK_OK,
	LINK_REJECTED,     /* the portal refused the token (401) */
	LINK_UNREACHABLE,  /* no answer came */
};

/* What the command line gives the terminal interface. */
struct tui_opts {
	struct conn_given given;  /* where requests go, and as whom */
	const char *theme;        /* the colours; NULL: the profile's */
	const char *session;      /* --session ID: the session to open */
	size_t chunk;             /* --chunk; 0: the profile's */
	unsigned max_attempts;    /* --max-attempts; 0: the default */
};

/* The command and edit line's own (prompt.c). */
struct prompt_line {
	struct buf queue;         /* bytes for readline to read */
	size_t qpos;
	char *history_path;
	FILE *devnull;
	char **candidates;        /* words to complete */
	size_t ncandidates, next;
	size_t lead;              /* bytes of the word before what completes */
	char *matches;            /* the candidates of a Tab, shown above the
	                           * line until the next key */
	bool refilter;            /* a filter to apply once the keys are read */
};

enum file_kind { FILE_PAIRS, FILE_EXPORT, FILE_TEXT };
struct file_job {
	enum file_kind kind;
	char *path;
	char *done;             /* "12 rows", "the curl command" */
	struct buf text;        /* FILE_TEXT's */
};

struct app {
	const struct tui_opts *opts;
	struct prompt_line line;
	char *token_typed;        /* at the prompt; wiped once connected */
	char *profile;            /* :profile NAME; NULL: the command line's */
	struct conn conn;
	bool connected;
	bool local_started;       /* the sandbox ran once: --sandbox-reset done */
	char *conn_error;
	char *portal;             /* what the header says of where requests go */
	enum link_state link;     /* what the portal made of the token */
	char *link_why;           /* rejected or unreachable: why */

	/* The working set: the pairs and their direction and types,
	 * journaled (workset.h). */
	struct workset ws;
	struct assoc_labels labels;
	bool labels_loading, labels_loaded;
	bool submit_waiting;      /* S pressed while the labels were loading */
	char *labels_error;
	struct fetch *fetches;    /* labels and schemas on their way (fetch.c) */
	char **customs;           /* the portal's custom objects (p_name, 2-n) */
	size_t ncustoms;
	char **custom_labels;     /* their plural labels */
	struct custom_object *co; /* and as the schemas said them */
	size_t nco;

	size_t pairs_invalid;     /* invalid rows, before a plan */
	int id_width;             /* the widest ID in the pairs, at least 10 */
	int line_width;           /* the widest line label, at least 7 */
	bool planned;             /* the pairs' plan (ws.s.plan) matches the
	                           * pairs, direction and types */
	struct plan chosen;       /* the choices resolved (a plan of no rows):
	                           * the types, the operation, a relabel's */
	char *plan_error;

	struct run *run;          /* the current sending or session, or NULL */
	uint64_t gen;             /* bumped when the pairs, the plan or the
	                           * outcomes change: views redo their indexes */
	struct run *pending;      /* planned, waiting for a yes */
	struct safety *safety;    /* a verify or an undo under way (safety.c) */
	/* An operation (op.h) under way, turned by the event loop: what it
	 * says goes to the status line, its question to the bottom line;
	 * op_then hears when it is done, before it is freed. */
	struct op *op;
	void (*op_then)(struct app *a);
	/* ... and what op_then leaves to do once it is freed (another
	 * operation may start there) */
	void (*after_op)(struct app *a);
	/* S's keys being looked up (op_keys, send.c): S or R after it, with
	 * R's rows (NULL: all) */
	void (*lookup_then)(struct app *a, const uint32_t *rows, size_t n);
	uint32_t *lookup_rows;
	size_t lookup_nrows;
	/* and its requests' records (op_keys_journal), taken by the run S or
	 * R makes next (app_take_lookups), else dropped */
	struct journal *lookups;
	uint64_t lookup_reqs;

	char *reopen_path;        /* the session offered at start */

	struct view views[VIEW_COUNT];
	enum view_id current;
	enum view_id behind;      /* under a modal view */
	int picking;              /* VIEW_PICKER: 0 from, 1 to */
	char *label_offered;      /* m's label, while the question is open */
	bool to_followed;         /* the TO picker opened after FROM, no key yet */

	enum prompt_kind prompt;
	size_t edit_row;          /* PROMPT_EDIT: the row, or SIZE_MAX to add */
	void (*confirm)(struct app *a, bool yes);
	/* The question asked: its title on the last line, its lines (the
	 * plan) above it, each whole, wrapped to the screen. */
	struct op_question confirm_q;
	struct file_job *file_job;  /* a file to write, asked to replace */

	char *status;
	bool status_error;
	uint64_t status_time;

	struct theme *theme;
	bool mono;
	int rows, cols;
	bool quit;
	bool quit_stopped;        /* quitting stopped the send under way */
	char *quit_undo;          /* ... or the undo of this session */
	bool need_redraw;
	int tty_in, tty_out;
	struct keys keys;
	bool readline_ready;
	uint64_t draw_ns_last;    /* what the last draw took */
	const char *draw_stats;   /* HUBASSOC_DRAW_STATS: append draw times */
};

/* app.c */
void app_status(struct app *a, bool error, const char *fmt, ...) HA_PRINTF(3, 4);
void app_show(struct app *a, enum view_id v);
void app_replan(struct app *a);
/* Whether the plan is the pairs' as they are now. */
bool app_pairs_planned(const struct app *a);
/* What the plan found wrong with a pair (INPUT_OK: nothing, or no plan). */
enum input_reason app_pairs_why(const struct app *a, size_t row);
/* Inputs a request holds: --chunk, else the profile's, else 2000. */
size_t app_chunk(const struct app *a);
void app_set_from_to(struct app *a, int which, const struct objtype *t);
void app_set_types(struct app *a, struct assoc_spec *specs, size_t n);
int app_set_types_text(struct app *a, const char *text);
char *app_relabel_refused(struct app *a);
/* What S does: set (journaled with the choices, said), switched to the
 * next (O), or as :op ARG says ("relabel Decider --create-missing"). */
void app_set_op(struct app *a, enum plan_op op, const char *replace,
    bool create_missing);
void app_cycle_op(struct app *a);
void app_op_command(struct app *a, const char *arg);
/* A run row's outcome as a role, and in words (explain_line). */
enum role app_outcome_role(enum outcome o);
/* A state column's width: its words and a space, with room for
 * "unconfirmed" when r (may be NULL) has such a row. */
int app_outcome_width(const struct run *r);
void app_row_outcome_text(const struct app *a, const struct run *r, size_t row,
    struct buf *out);
const struct assoc_labels *app_labels_of(const struct app *a, const struct run *r);
/* A type as a short line has room for it: "Billing contact (USER_DEFINED:36)"
 * (ids), "Billing contact", or CATEGORY:ID; "; " before it unless i is 0. */
void app_type_brief(struct buf *b, const struct assoc_spec *spec,
    const struct assoc_labels *labels, size_t i, bool ids);
/* A session row whole, as the detail view's fields: its line, pair,
 * types as written and resolved, state, reason and its error (HubSpot's,
 * or hubassoc's: a stop, no answer, no pair). */
void app_detail_run_row(const struct app *a, const struct run *r, size_t row,
    struct buf *out);
/* v: a row of the current session, whole, over the view. */
void app_show_run_row(struct app *a, size_t row);
/* The widest ID of an input, from 10 to 20 columns (invalid IDs are
 * cut to it). */
/* Whether f is part of a row's key or of a record's name ([2], may be
 * NULL), case aside: what a filter finds besides IDs and reasons. */
bool app_row_mentions(const struct input *in, const struct names *names, size_t row,
    const char *f);
/* A row's FROM and TO fields for a detail view: ID, name, the key it was
 * given by (or the line, for a row that has no fields). */
void app_detail_ends(const struct input *in, const struct names *names, size_t row,
    struct buf *out);
/* The portal's custom objects, forgotten; a custom object's primary
 * display property, when the schemas said it (fetch.c). */
void app_customs_free(struct app *a);
const char *app_display_of(const struct app *a, const struct objtype *t);
int app_id_width(const struct input *in);
/* The width of the line column for an input's labels ("paste 2:12"),
 * from 7 to 24 columns. */
int app_line_width(const struct input *in);
/* A row's line label, right-aligned in w columns, then a space. */
void app_line_cell(const struct input *in, uint32_t line, int w, struct buf *out);
/* After any change to the pairs. */
void app_pairs_changed(struct app *a);
void app_add_text(struct app *a, const char *text, size_t len, const char *what);
/* :load: a sheet of more columns than two is shown first (the columns
 * view), unless :columns said which; else read. */
int app_load_file(struct app *a, const char *path);
/* A file read from the columns chosen (0-based; col[2] -1: no types). */
int app_load_columns(struct app *a, const char *path, const int col[3]);
void app_replace_row(struct app *a, size_t row, const char *text);
void app_delete_row(struct app *a, size_t row);
/* :write FILE: the pairs as a file :load reads back as the same rows. */
void app_write_pairs(struct app *a, const char *path);
/* w, W, :write and :export write FILE through this: whole, 0600, through
 * a temporary renamed over it, never to anything but a regular file, and
 * over one that exists only after asking.  FILE_TEXT writes *text (taken
 * over); done names what was written, for the status line. */
void app_write_file(struct app *a, enum file_kind kind, const char *path,
    struct buf *text, const char *done);
void app_file_job_free(struct app *a);
/* The text of a pair as a user would type it. */
char *app_row_text(const struct app *a, size_t row);
void app_submit(struct app *a);
/* S when the pairs' session goes on (resend.c): its next send; false when
 * the pairs go to the next session instead, with *why the words of why
 * (NULL: none to say). */
bool app_send_next(struct app *a, const char **why);
/* Why pairs chosen otherwise than session s do not go on in it: "was sent
 * with other choices", or "was declined ...". */
const char *app_other_choices(const struct session *s);
/* Says that session id (its journal at path) was undone, and how its rows
 * go again: S, when they are the pairs; else --session. */
void app_say_undone(struct app *a, const char *id, const char *path);
/* The run S asked about (a->pending) begins sending: the views show it. */
void app_run_sending(struct app *a, struct run *r);
/* S's send of run r, its question r->ask: it reads, then asks; a yes
 * calls begin for the journal (op_send_opts). */
void app_ask_send(struct app *a, struct run *r, struct journal *(*begin)(void *,
    char **));
/* The session's next send (R), of some rows of the current run: those
 * that failed or were not sent, and those edited since that are pairs to
 * send.  Nothing created goes again. */
void app_resend_run_rows(struct app *a, const uint32_t *rows, size_t n);
/* The same over every row of the session. */
void app_resend_failed(struct app *a);

/* ---- what S, R and r share (send.c, resend.c) ------------------------ */

/* Whether a send may start now (connected, directions, labels, plan):
 * false after saying why. */
bool app_ready_to_send(struct app *a);
/* Looks the pairs' keys up first (on the event loop), then goes on with
 * then; false when there are none. */
bool app_look_up_keys(struct app *a, void (*then)(struct app *a,
    const uint32_t *rows, size_t n));
/* The types a row goes with, as CATEGORY:ID when resolved, else as written. */
void app_row_types_text(const struct plan *p, const struct input *in, size_t row,
    struct buf *out);
/* Where r's send goes, for its question (send_plan): the portal, the
 * profile, the budget, the labels. */
void app_send_plan_fill(struct app *a, struct run *r, struct send_plan *sp);
/* Asks sp's question (send_question), keeping r as pending until the
 * answer. */
void app_ask_to_run(struct app *a, struct run *r, const struct send_plan *sp,
    void (*fn)(struct app *, bool));
/* Forgets a verify's verdicts (and what it said of each row). */
void app_run_verified_free(struct run *r);
/* A run showing the session read into r->s from path. */
void app_run_of_session(struct run *r, const char *path);
/* Sends r's session (op_send) on the event loop, with the options every
 * send of the terminal's has. */
struct op_send_opts app_send_opts(struct app *a, struct run *r);
/* The keys' lookups just made (app.lookups) become r's: its send writes
 * them first (op_send_opts.lookups). */
void app_take_lookups(struct app *a, struct run *r);
void app_send_run(struct app *a, struct run *r);
void app_open_session(struct app *a, const char *path, bool resume);
/* A session read as a run, its journal held for appending (hold); NULL
 * after saying why. */
struct run *app_session_run(struct app *a, const char *path, bool hold);
/* Makes r the run the views show (Results). */
void app_set_run(struct app *a, struct run *r);
/* Whether a session may be sent to from here: to the portal it went to
 * (the built-in sandbox's, for one sent there). */
bool app_sends_here(const struct app *a, const struct journal_meta *m);
/* Whether a session's last send was declined (its plan not agreed to). */
bool app_last_declined(const struct session *s);
/* Whether session m was sent, and to another portal than this connected
 * terminal's; and where it went, as people read it ("the built-in
 * sandbox", its URL). */
bool app_sent_elsewhere(const struct app *a, const struct journal_meta *m);
const char *app_portal_of(const struct journal_meta *m);
/* Says, when it may not, where the session went and the command that
 * sends there ("hubassoc undo ID --sandbox"); true when it may. */
const char *app_went_elsewhere(const struct app *a, const struct journal_meta *m,
    char *buf, size_t n);
bool app_check_here(struct app *a, const struct journal_meta *m, const char *what);
/* V and u in History (safety.c): verify the session, or undo it. */
void app_verify_session(struct app *a, const char *path);
void app_undo_session(struct app *a, const char *path);
void app_safety_free(struct app *a);
void app_cancel(struct app *a);
/* Hosts an operation: false (said, the op freed) when one is under way
 * already, or calls are. */
bool app_op_start(struct app *a, struct op *o, void (*then)(struct app *a));
/* After a turn: its words, its question, its end (then, then freed). */
void app_op_poll(struct app *a);

/* The terminal itself (tty.c): its own descriptors (false, with why, when
 * there is none), the theme (0, or an exit status), stderr held in a file
 * while curses has the screen (the saved descriptor, or -1; given back
 * with what was written), curses on it (NULL, with why, for an unknown
 * TERM), the mouse and bracketed paste on or off, and the signals the
 * event loop hears through a pipe. */
bool tty_open(struct app *a, FILE **tin, FILE **tout, char **cause);
int tty_theme(struct app *a, const struct tui_opts *o, char **cause);
int tty_hold_stderr(char **path);
void tty_give_back_stderr(int saved, char *path);
struct screen *tty_start_screen(struct app *a, FILE *tin, FILE *tout,
    char **cause);
void tty_modes(struct app *a, bool on);
void tty_catch_signals(void);
int tty_signal_fd(void);
void tty_release_signals(void);

/* Whether a send or an operation is under way: said. */
bool app_busy(struct app *a);
void app_poll_network(struct app *a);
void app_fetch_labels(struct app *a);
/* m's text, when it is one label the portal's do not have: asks whether
 * to make it; a CATEGORY:ID they do not list is said, not taken (true:
 * asked or said; nothing more to do with the text). */
bool app_offer_label(struct app *a, const char *text);
/* Makes a USER_DEFINED label of the direction chosen, in the background;
 * once made, the types take it (the labels are read again). */
void app_make_label(struct app *a, const char *label);
void app_fetch_schemas(struct app *a);
/* The fetches' turn (each on calls of its own), and their end. */
void app_fetches_poll(struct app *a);
void app_fetches_free(struct app *a);
void app_run_free(struct run *r);
/* A run with its caches, empty (app.c). */
struct run *app_run_alloc(void);
/* r shows session s: its rows, plan and outcomes. */
void app_run_bind(struct run *r, struct session *s);
/* A run of the working set's session: the pairs themselves. */
struct run *app_run_of_work(struct app *a);
/* Whether r's session is the working set's (its rows the pairs'). */
bool app_run_is_work(const struct app *a, const struct run *r);
/* The rows of r's session, as its journal holds them: the working set's
 * pairs added since its last send are not its yet. */
size_t app_run_rows(const struct app *a, const struct run *r);
/* Its rows a send has still to settle: pending in a send, unconfirmed
 * (not the pairs added since, which no send holds yet). */
size_t app_run_to_settle(const struct run *r);
void app_command(struct app *a, const char *line);
/* Connects (again) with the options, the profile chosen and the token
 * typed; the first call then tries the token (app.link). */
void app_connect(struct app *a);
/* Quits, asking first while a session is being sent. */
void app_quit(struct app *a);
/* Whether "stop it and quit?" is being asked (of a send under way). */
bool app_quit_asked(const struct app *a);
/* The send or undo (what) asked to stop and quit has ended meanwhile: the
 * question goes, its end said. */
void app_quit_question_gone(struct app *a, const char *what);
/* The status line says the undo under way, if one is. */
void app_say_undoing(struct app *a);
/* The session whose undo is under way (asked, and going), or NULL. */
const char *app_undoing(const struct app *a);
void app_ask(struct app *a, const char *question, void (*fn)(struct app *, bool));
/* The same with the lines of the plan above it (op.h). */
void app_ask_plan(struct app *a, const struct op_question *q,
    void (*fn)(struct app *, bool));

/* prompt.c: GNU readline, through its callback interface */
void prompt_init(struct app *a);
void prompt_fini(struct app *a);
void prompt_open(struct app *a, enum prompt_kind kind, const char *text,
    const char *initial);
void prompt_close(struct app *a);
/* From a line's own handler: opens the current view's filter line again
 * (ACT_FILTER) once readline is done with the line just entered, which it
 * would otherwise clear. */
void prompt_refilter_later(void);
/* Feeds a key to readline. */
void prompt_key(struct app *a, const struct event *ev);
/* Inserts pasted text into the line (first line only). */
void prompt_paste(struct app *a, const char *text, size_t len);
void prompt_draw(struct app *a);
const char *prompt_text(void);

/* draw.c */
/* Draws s (untrusted: escaped first) at y, x in at most w columns, padded
 * to w when pad; returns the columns used. */
int draw_text(int y, int x, int w, const char *s, enum role r, bool pad);
int draw_textn(int y, int x, int w, const char *s, size_t n, enum role r, bool pad);
/* s wrapped at words in w columns over at most max rows (the last holds the
 * rest, cut with an ellipsis if it must be), padded; the rows used. */
int draw_wrapped(int y, int x, int w, const char *s, enum role r, int max);
/* Padded to w, the characters a fuzzy filter matched drawn as match. */
int draw_matched(int y, int x, int w, const char *s, const char *filter, enum role r,
    enum role match);
/* Right-aligned in w columns. */
void draw_text_right(int y, int x, int w, const char *s, enum role r);
void draw_fill(int y, int x, int w, enum role r);
void draw_box(int y, int x, int h, int w, const char *title);

/* views */
extern const struct view_ops view_pairs_ops, view_results_ops, view_errors_ops,
    view_inspector_ops, view_history_ops, view_portal_ops, view_picker_ops,
    view_types_ops, view_help_ops, view_detail_ops, view_columns_ops;
struct sheet_peek;
/* The columns view over a sheet about to be read (sp is taken). */
void view_columns_set(struct view *v, const char *path, struct sheet_peek *sp);
/* Shows fields ("label\ttext" lines; a line without a tab is a heading)
 * over the current view, wrapped. */
void view_detail_set(struct view *v, const char *title, const struct buf *fields);
void view_list_draw(struct view *v, int y, int h, int w);
bool view_list_action(struct view *v, enum action a);
void view_list_clamp(struct view *v);
/* A text in a box (the help, v): j and k scroll it at once; its last line
 * on the screen says how many are below it, when some are (drawn at x,
 * true: it is said there instead of line i). */
bool view_text_scroll(struct view *v, enum action a);
bool view_text_more(const struct view *v, size_t i, size_t n, int y, int x, int w);
void view_errors_rebuild(struct view *v);
/* Opens the error tree at a run row's place. */
void view_errors_focus(struct view *v, size_t run_row);
/* Puts the pairs' cursor on a pair (clearing a filter that hides it). */
void view_pairs_goto(struct view *v, size_t row);
/* Puts the pairs' cursor on a run row's pair (the working set's). */
bool app_jump_to_pair(struct app *a, size_t run_row);
void view_results_rebuild(struct view *v);
void view_inspector_reset(struct view *v);
void view_history_reload(struct view *v);
/* Reads what the portal holds for the FROM records ids (from -> to) in
 * the background, and shows it (6). */
void view_portal_read(struct app *a, const struct objtype *from,
    const struct objtype *to, const char *const *ids, size_t n);
/* Writes what the inspector was asked to write (w, W) to path. */
void view_inspector_save(struct view *v, const char *path);
void view_types_reset(struct view *v);
void view_picker_reset(struct view *v);

/* workset.c: the pairs as the session's working set, journaled */
#define APP_INPUT_NAME "(hubassoc terminal)"
/* The changes to the pairs (rows read from before on; a row replaced by
 * what text parses to, or the session's row edited; a row deleted; all
 * cleared), each recorded before it counts (workset.h); on failure the
 * change is undone and said: -1.  None while the pairs are being sent or
 * looked up. */
int work_add(struct app *a, size_t before);
int work_replace(struct app *a, size_t row, const char *text);
int work_edit(struct app *a, size_t row, const char *text);
/* Rows changed in place (looked up): recorded as they read now. */
int work_rows_changed(struct app *a, const uint32_t *rows, size_t n);
int work_delete(struct app *a, size_t row);
int work_clear(struct app *a);
/* Whether the pairs may change now; false after saying why. */
bool work_may_change(struct app *a);
/* Records the direction and types chosen. */
void work_choice(struct app *a);
void work_close(struct app *a);
/* The pairs go on as the next session's, in a draft of their own (the
 * session they were leaves for the run that shows it).  0, or -1 said. */
int work_fork(struct app *a);
/* Whether path is the working set's journal (held by this process). */
bool work_is(const struct app *a, const char *path);
int work_reopen(struct app *a, const char *path);
/* Reads the working set's session back from its journal, the pairs added
 * since kept: a send asked about and not agreed to gives back what it
 * took.  0, or -1 said. */
int work_reload(struct app *a);
/* At start: offers the last session made here that has rows not sent. */
void work_offer_last(struct app *a);
/* The pairs went on from the session at path as a draft (S's, before it
 * asked) and the send was not agreed to: the draft goes, and they are
 * that session's again, as they were.  0, or -1 said. */
int work_give_back(struct app *a, const char *path);

/* main.c: runs the terminal interface; its exit status.  When it cannot
 * start, *cause says why. */
int tui_main(const struct tui_opts *o, char **cause);

/* The built-in sandbox, which only main.c knows: started for the
 * connection (--sandbox), and its demo portal's pairs for :demo
 * (sandbox_demo_pairs).  0, or -1 and *cause. */
int app_local_start(struct app *a, struct conn_given *g, char **cause);
/* How the sandbox's portal began (sandbox_kept): "kept", "new", ... */
const char *app_local_kept(struct app *a, const char **note);
int app_local_demo(struct app *a, const char *from, const char *to,
    struct buf *out, size_t *bykey, char **cause);

/* "" for one, "s" for any other count: "1 row", "2 rows", "0 rows". */
static inline const char *
plural_s(size_t n)
{
	return n == 1 ? "" : "s";
}

#endif
