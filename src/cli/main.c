/* main.c: the command line's entry, common options and help. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "../tui/tui.h"
#include "../sandbox/sandbox.h"
#include "hubassoc/objtype.h"
#include "hubassoc/text.h"
#include "hubassoc/version.h"

static const char usage_head[] =
"usage: hubassoc [OPTIONS] [--theme NAME] [--session ID] [--chunk N]\n"
"                [--rate N/DURATION] [--concurrency N] [--max-attempts N]\n"
"                [< PAIRS]\n"
"       hubassoc [OPTIONS] COMMAND [ARGS]\n"
"\n"
"Create HubSpot CRM associations in bulk and see, row by row, what happened.\n"
"Without a command: the terminal interface (hubassoc --sandbox to try it);\n"
"--session ID reopens a session there, its pairs, choices and sends.\n"
"\n";

static const char usage_common[] =
"common options:\n"
"  --profile NAME        a [profile NAME] of the config file\n"
"  --base-url URL        API base (default " REQUEST_BASE_URL_DEFAULT ")\n"
"  --api-version V       v4 (default) or 2026-03\n"
"  --token-cmd CMD       run CMD for the token (its first line)\n"
"  --token-file FILE     read the token from FILE (mode 0600)\n"
"                        (otherwise HUBSPOT_ACCESS_TOKEN)\n"
"  --cacert FILE         trust this CA bundle instead of the system's\n"
"  --sandbox             start the emulator in-process and send to it; its\n"
"                        portal is kept in the state directory, so that\n"
"                        its sessions can be verified, undone, resumed\n"
"  --sandbox-reset       --sandbox with the demo portal afresh\n"
"  --verbose             say each request and answer\n"
"  --theme NAME          the terminal interface's colours: default, light,\n"
"                        dark, solarized, mono, or a theme file\n"
"  --max-wait DURATION   wait out 429s this long at most, then stop\n"
"                        (resumable; default 10m)\n"
"  --timeout DURATION    a request that hears nothing this long failed;\n"
"                        a run that hears nothing for 3 times it stops\n"
"                        (default 30s)\n"
"  --help, --version\n"
"\n"
"Run 'hubassoc COMMAND --help' for a command's options; man hubassoc for more.\n";

static const char usage_create[] =
"usage: hubassoc create FROM TO --type SPEC [--type SPEC ...] [--input FILE|-]\n"
"                       [--chunk N] [--concurrency N] [--rate N/DURATION]\n"
"                       [--max-attempts N] [--skip-invalid] [--no-progress]\n"
"                       [--output FILE] [--format jsonl|csv|json]\n"
"                       [--dry-run [--show-requests | --curl]]\n"
"                       [--check] [--check-ids] [--no-preflight]\n"
"                       [--from-column C] [--to-column C] [--types-column C]\n"
"usage: hubassoc check FROM TO ... [--list CLASS ...] (create --check)\n"
"\n"
"FROM, TO    object types: contacts, contact, 0-1, 2-123, p_cars, p123_cars\n"
"\n"
"  -t, --type SPEC       association type: 279, HUBSPOT_DEFINED:279,\n"
"                        USER_DEFINED:36 or a label name (\"Primary\",\n"
"                        \"unlabeled\", \"Billing contact\"); repeat it or join\n"
"                        specs with ';'.  A line's third column replaces it.\n"
"  -i, --input FILE      pairs to read, '-' for standard input (the default\n"
"                        when it is not a terminal)\n"
"      --chunk N         inputs per request, 1 to 2000 (default 2000,\n"
"                        HubSpot's most; smaller when answers slow)\n"
"      --concurrency N   requests in flight, 1 to 64 (default: as the\n"
"                        answers' latency asks, rate x latency)\n"
"      --rate N/DURATION the portal's budget, paced ahead (default 100/10s)\n"
"      --max-attempts N  tries per request before its rows are not_sent\n"
"                        (default 6)\n"
"      --skip-invalid    send the valid rows even when others are invalid\n"
"      --no-progress     no progress line on a terminal\n"
"  -o, --output FILE     write one record per input row ('-': stdout)\n"
"  -f, --format F        jsonl (default), csv or json; without --output,\n"
"                        the records to standard output\n"
"  -n, --dry-run         check and plan only: nothing is sent\n"
"      --show-requests   with --dry-run: print each request's exact body\n"
"      --curl            with --dry-run: print each request as curl\n"
"      --check           the preflight alone: read what each row would\n"
"                        change (new, adds labels, already there, moves\n"
"                        primary); nothing is sent, no session is kept.\n"
"                        --output writes each row's class and what was\n"
"                        found; exit 1 when a row names no record,\n"
"                        conflicts or is invalid, else 0\n"
"      --list CLASS      with check: list every row of the class: new,\n"
"                        adds_labels, already_there, moves_primary,\n"
"                        unknown_from, unknown_to, invalid, conflict,\n"
"                        duplicate, unread\n"
"      --check-ids       the preflight also asks whether every ID is a\n"
"                        record (a request per 100 IDs; check always does)\n"
"      --from-column C, --to-column C, --types-column C\n"
"                        the columns of a sheet to read FROM, TO and the\n"
"                        types from: a header's name or a number from 1\n"
"                        (default: as the header says; the others ignored)\n"
"      --no-preflight    send without reading first (profile: preflight =\n"
"                        no); undo then cannot tell what the rows changed\n"
"\n"
"Before sending, the preflight reads the associations of every FROM record\n"
"(a request per 1,000) and records what each row's pair held, for undo.\n"
"\n"
"Input: one pair a line, FROM,TO[,SPEC[;SPEC...]]; separators: comma,\n"
"tab, semicolon or spaces; CSV quoting, a header row, '#' comments.  FROM\n"
"and TO are IDs, or keys: email:jane@x.com, domain:acme.com, PROPERTY:VALUE\n"
"of a unique property, a bare email or domain; a header row may name a\n"
"column's property (email,domain).  Each distinct key is looked up once\n"
"before the plan (a domain two companies share is refused, not guessed);\n"
"the IDs found and the records' names are kept with the session.\n"
"Exit: 0 all created, 1 some failed, 2 usage or input error (nothing sent),\n"
"3 authentication or configuration, 4 gave up (resumable), 5 daily limit\n"
"(resumable), 130 interrupted (resumable).\n";

static const char usage_remove[] =
"usage: hubassoc remove FROM TO [--type SPEC ...] [--input FILE|-] [--yes]\n"
"                       [--dry-run] [--chunk N] [--concurrency N]\n"
"                       [--rate N/DURATION] [--max-attempts N] [--skip-invalid]\n"
"                       [--no-progress] [--output FILE] [--format jsonl|csv|json]\n"
"                       [--check-ids] [--from-column C] [--to-column C]\n"
"                       [--types-column C]\n"
"\n"
"Takes pairs off: every type between them (batch/archive), or, with --type\n"
"or a column of types, only those types (batch/labels/archive).  The input\n"
"is create's: IDs, keys, a sheet's named columns.  It reads what each pair\n"
"holds first, says what it will take (removes the pair and its labels,\n"
"removes a label and keeps the others, not there) and warns where the\n"
"unlabeled type takes every label with it and where a record is left\n"
"without its Primary; then it asks (with nothing to take, it says so and\n"
"asks nothing).  undo puts back exactly what it took,\n"
"labels and Primary included; verify checks the pairs or types are gone.\n"
"\n"
"  -t, --type SPEC       remove only this type (label, ID or CATEGORY:ID);\n"
"                        repeat it or join specs with ';'\n"
"  -i, --input FILE      pairs to read, '-' for standard input\n"
"      --yes             no question: remove as planned (scripts)\n"
"  -n, --dry-run         read and show the plan; nothing is written\n"
"  -o, --output FILE     one record per input row: outcome \"removed\", ...\n"
"  -f, --format F        jsonl (default), csv or json\n"
"      other options as create takes them\n"
"\n"
"Without --yes and without a terminal to ask, it removes nothing (exit 2).\n"
"Exit: 0 every row removed, 1 some failed, 2 usage, input error or the\n"
"plan declined, 3 authentication or configuration, 4 gave up (resumable),\n"
"5 daily limit (resumable), 130 interrupted (resumable).\n";

static const char usage_relabel[] =
"usage: hubassoc relabel FROM TO --type SPEC [--replace SPEC|all ...]\n"
"                        [--create-missing] [--input FILE|-] [--yes]\n"
"                        [--dry-run] [--chunk N] [--concurrency N]\n"
"                        [--rate N/DURATION] [--max-attempts N] [--skip-invalid]\n"
"                        [--no-progress] [--output FILE] [--format jsonl|csv|json]\n"
"                        [--check-ids] [--from-column C] [--to-column C]\n"
"                        [--types-column C]\n"
"\n"
"Gives each pair the --type label in place of --replace's (or of every\n"
"USER_DEFINED label it holds, with all); without --replace it adds the\n"
"label and keeps the others.  A pair that is not there is left alone\n"
"(failed NO_PAIR) unless --create-missing; one naming a record the portal\n"
"lacks (--check-ids) fails as NO_RECORD.  It reads each pair first, says\n"
"what it will do (relabels X -> Y, adds Y, already Y, no pair) and asks\n"
"(with nothing to write, it says so and asks nothing);\n"
"then it creates the new label with the labels each pair keeps\n"
"(batch/create) and takes off the replaced ones the pair still holds\n"
"(batch/labels/archive), so the pair ends the same whether the portal\n"
"replaces labels on a create or adds them.  A pair whose replaced labels\n"
"could not be taken off (refused, stopped) fails as OLD_LABEL_KEPT until\n"
"resume takes them off.  undo gives each pair back its exact labels;\n"
"verify checks the new is there and the old is gone.\n"
"\n"
"  -t, --type SPEC       the label to give (label, ID or CATEGORY:ID)\n"
"      --replace SPEC    the label it replaces (repeatable, ';' joins; not\n"
"                        --type's), or all: every USER_DEFINED label the\n"
"                        pair holds\n"
"      --create-missing  create the pairs that are not there, with --type\n"
"      --yes             no question: relabel as planned (scripts)\n"
"  -n, --dry-run         read and show the plan; nothing is written (exit 1\n"
"                        when a row would fail: no pair, no record)\n"
"  -o, --output FILE     one record per input row: outcome \"relabeled\", ...\n"
"      other options as create takes them\n"
"\n"
"Without --yes and without a terminal to ask, it writes nothing (exit 2).\n"
"Exit status as for remove.\n";

static const char usage_check[] =
"usage: hubassoc check FROM TO --type SPEC [--type SPEC ...] [--input FILE|-]\n"
"                      [--list CLASS ...] [--output FILE|-]\n"
"                      [--format jsonl|csv|json] [--concurrency N]\n"
"                      [--rate N/DURATION] [--max-attempts N] [--no-progress]\n"
"       (the same as hubassoc create ... --check)\n"
"\n"
"Reads what each row would change in the portal, and sends nothing: no\n"
"session is kept.  FROM, TO, --type and the input are create's.\n"
"\n"
"  -t, --type SPEC       association type, as create takes it\n"
"  -i, --input FILE      pairs to read, '-' for standard input\n"
"  -o, --output FILE     each row's class and what was found ('-': stdout)\n"
"  -f, --format F        jsonl (default), csv or json; without --output,\n"
"                        the records to standard output\n"
"      --list CLASS      list every row of the class: new, adds_labels,\n"
"                        already_there, moves_primary, unknown_from,\n"
"                        unknown_to, invalid, conflict, duplicate, unread\n"
"      --concurrency N   requests in flight, 1 to 64 (default: as the\n"
"                        answers' latency asks)\n"
"      --rate N/DURATION the portal's budget, paced ahead (default 100/10s)\n"
"      --max-attempts N  tries per request (default 6)\n"
"      --no-progress     no progress line on a terminal\n"
"      --from-column C, --to-column C, --types-column C\n"
"                        the columns of a sheet, as create reads them\n"
"      --check-ids       accepted: check always asks whether every ID is a\n"
"                        record (a request per 100 IDs)\n"
"\n"
"It reads the associations of every FROM record (a request per 1,000, every\n"
"page) and whether each ID names a record, then classes each row, and holds\n"
"the rows against the association limits the portal's admins configured,\n"
"naming a record they would take past one, with its lines.\n"
"Exit: 0 every row can be sent as it stands, 1 a row names no record,\n"
"conflicts with another, is invalid or would pass a configured limit, 2\n"
"usage or input error, 3 authentication or configuration, 4 gave up, 5\n"
"daily limit, 130 interrupted.\n";

static const char usage_resume[] =
"usage: hubassoc resume SESSION [--concurrency N] [--rate N/DURATION]\n"
"                       [--max-attempts N] [--no-progress] [--yes]\n"
"                       [--output FILE] [--format jsonl|csv|json]\n"
"\n"
"Finishes the last send of SESSION (an ID, a prefix of one, or 'last'),\n"
"appending to its journal: unconfirmed rows are read back first, and what\n"
"has no recorded answer is sent.  It sends only to the base URL this\n"
"command line or its profile gives (--base-url, --profile, --sandbox), and\n"
"refuses a session that went elsewhere.  A remove whose plan was not\n"
"agreed to yet (stopped before, or declined) asks first: --yes answers.\n";

static const char usage_retry[] =
"usage: hubassoc retry SESSION [--only failed|not_sent|edited|...]\n"
"                      [--concurrency N] [--rate N/DURATION]\n"
"                      [--max-attempts N] [--no-progress] [--yes]\n"
"                      [--output FILE] [--format jsonl|csv|json] [--dry-run]\n"
"\n"
"Starts the next send of SESSION, in the same journal: exactly the rows\n"
"whose state is failed or not_sent, and those edited in the terminal since\n"
"that are pairs to send, as they read now (--only narrows it: one or more\n"
"of failed, not_sent, edited).  A created row is never sent again.  A\n"
"send that was interrupted is resume's to finish first; rows edited in\n"
"the terminal and not recorded as the session's are R's to send there.\n"
"It sends only where this command line or its profile says, as resume\n"
"does.  --output writes every row of the session.  A remove's\n"
"retry asks first, as remove does: --yes answers.  --dry-run says what\n"
"the send would take, the first rows with why, and sends and writes\n"
"nothing.\n";

static const char usage_export[] =
"usage: hubassoc export SESSION [--format jsonl|csv|json] [--output FILE]\n"
"                       [--names]\n"
"\n"
"Writes every row's outcome (default: JSON lines on standard output).  A\n"
"session given by keys adds from_key, from_name, to_key and to_name.\n"
"      --names           first read the records' names the session lacks\n"
"                        from its portal (a request per 100 records)\n";

static const char usage_read[] =
"usage: hubassoc read FROM TO [--input IDS|-] [--type SPEC ...] [--all-types]\n"
"                     [--format table|json|jsonl|csv] [--output FILE]\n"
"\n"
"Prints the associations the portal holds now for the FROM records whose\n"
"IDs are given, one a line (or a CSV's first column): a record for each\n"
"pair, with every type's category, typeId and label, and one for each\n"
"record that holds none; its state is pair, none or not_found.  Nothing\n"
"is written.\n"
"\n"
"  -i, --input IDS       record IDs, '-' for standard input (the default\n"
"                        when it is not a terminal)\n"
"  -t, --type SPEC       only pairs holding this type, and only it shown\n"
"                        (repeatable); --all-types (the default) shows all\n"
"  -f, --format F        table (default), json, jsonl or csv\n"
"  -o, --output FILE     write there instead of standard output\n";

static const char usage_verify[] =
"usage: hubassoc verify SESSION [--format table|json|jsonl|csv]\n"
"\n"
"Reads back every row SESSION records as created: confirmed (the pair\n"
"holds every type sent), missing (the pair is gone) or types_differ (with\n"
"the types it lacks).  The table lists the rows not confirmed; the other\n"
"formats every created row.  Exit 0 only when all are confirmed, 1 when\n"
"some are not.\n";

static const char usage_undo[] =
"usage: hubassoc undo SESSION [--dry-run] [--yes]\n"
"\n"
"Puts the portal back as SESSION found it, from what its preflight\n"
"recorded and what the portal holds now: pairs it made are archived;\n"
"types it added to pairs that existed are removed, never the unlabeled\n"
"type (HubSpot would remove every label with it); types a pair lost are\n"
"given back, and a Primary it moved goes back to the record that held it.\n"
"Rows it did not create, or sent without a preflight, are left alone and\n"
"listed; pairs another session sent too go all the same, and it names\n"
"that session.  It says what it will do and asks (--yes: do not ask; --dry-run:\n"
"say only).  It is journaled in the session; a stopped undo is finished by\n"
"resume or undo, and a second undo does nothing.\n";

static const char usage_simple[] =
"usage: hubassoc history [--format table|json|jsonl|csv]\n"
"       hubassoc show SESSION [--format table|json]\n"
"\n"
"--format: records for scripts instead of the table (history: a record a\n"
"session, every state counted by name; show: one object, its sends and\n"
"errors).\n"
"history's table fits the terminal (or $COLUMNS): the profile, counts that\n"
"are 0 everywhere, the start, the sends, PORTAL (where each went, shown when\n"
"not all to one), then the counts beside DONE and FAILED go first; a pipe\n"
"gets every column.  DONE counts the rows the\n"
"session's operation made so (created, removed or relabeled, as OP says);\n"
"PENDING the rows not sent yet; UNCONFIRMED those sent without an answer\n"
"(resume reads them back); UNCHANGED those a remove or relabel found as\n"
"asked already.  The counts add up to ROWS.\n";

static const char usage_labels[] =
"usage: hubassoc labels FROM TO [--format table|json|jsonl|csv]\n"
"       hubassoc labels create FROM TO --label NAME [--inverse NAME]\n"
"       hubassoc labels delete FROM TO --label NAME|TYPEID [--yes] [--force]\n"
"\n"
"labels lists the direction's association types: category, type ID, the\n"
"other direction's type ID, the limit an admin set (how many TO records\n"
"one FROM record may hold with the type; - none) and the label.  --format:\n"
"records for scripts (category, typeId, inverseTypeId, label,\n"
"maxToObjectIds: 0 for none, null when the limits could not be read).\n"
"\n"
"labels create makes a USER_DEFINED label (with --inverse, a paired one:\n"
"its name the other way) and prints its type IDs, one a direction;\n"
"HubSpot allows 50 labels an object pair.  create --type NAME takes it at\n"
"once.  labels delete asks first (--yes for scripts; without a terminal\n"
"and without --yes it refuses, exit 2): HubSpot takes the label off every\n"
"pair that holds it, and hubassoc cannot bring it back.  It refuses a label\n"
"still on pairs hubassoc's sessions gave it to (read again from the portal;\n"
"HubSpot lists no pairs by label, so others are not known) unless --force;\n"
"hubassoc remove --type NAME takes it off them first, undoably.\n";

static const char usage_sandbox[] =
"usage: hubassoc sandbox [options]\n\n"
"A local HubSpot associations API with a demo portal, on 127.0.0.1.\n"
"It prints 'listening on http://127.0.0.1:PORT' when ready and runs\n"
"until SIGINT or SIGTERM.  The token is sandbox-token.\n\n";

static const char usage_completion[] =
"usage: hubassoc completion bash|zsh|fish\n\n"
"Prints the shell's completion script for hubassoc: its commands,\n"
"options, object types, formats and session IDs.  make install puts\n"
"each in place; or, for bash: source <(hubassoc completion bash)\n";

const struct cli_command cli_commands[] = {
	{ "create", cmd_create, "FROM TO --type SPEC [--type SPEC ...] [--input FILE|-]",
	    "check pairs and send them (or plan them, --dry-run)", "FROM TO",
	    create_longopts, "jsonl csv json", usage_create },
	{ "check", cmd_check, "FROM TO --type SPEC [--input FILE|-]",
	    "what a create would change, read from the portal; sends nothing",
	    "FROM TO", create_longopts, NULL, usage_check },
	{ "remove", cmd_remove, "FROM TO [--type SPEC ...] [--input FILE|-] [--yes]",
	    "take pairs off, or only some of their types; undoable", "FROM TO",
	    remove_longopts, "jsonl csv json", usage_remove },
	{ "relabel", cmd_relabel, "FROM TO --type SPEC [--replace SPEC|all] [--input FILE|-]",
	    "give pairs a label in place of another; undoable", "FROM TO",
	    relabel_longopts, "jsonl csv json", usage_relabel },
	{ "labels", cmd_labels, "[create|delete] FROM TO",
	    "a direction's types, labels and limits; make or delete a label",
	    "FROM TO", simple_longopts, "table json jsonl csv", usage_labels },
	{ "history", cmd_history, "",
	    "the sessions, newest first: their rows' states, sends", "",
	    simple_longopts, "table json jsonl csv", usage_simple },
	{ "show", cmd_show, "SESSION",
	    "a session's summary, its sends and its errors by kind", "SESSION",
	    simple_longopts, "table json", usage_simple },
	{ "export", cmd_export, "SESSION [--format jsonl|csv|json] [--output FILE] [--names]",
	    "every row's state, the send that decided it", "SESSION",
	    export_longopts, "jsonl csv json", usage_export },
	{ "resume", cmd_resume, "SESSION",
	    "finish a send that was interrupted", "SESSION", again_longopts,
	    "jsonl csv json", usage_resume },
	{ "retry", cmd_retry, "SESSION [--only failed|not_sent]",
	    "the session's next send: its failed and not_sent rows", "SESSION",
	    again_longopts, "jsonl csv json", usage_retry },
	{ "read", cmd_read, "FROM TO --input IDS [--type SPEC]",
	    "the associations the portal holds now for FROM records", "FROM TO",
	    read_longopts, "table json jsonl csv", usage_read },
	{ "verify", cmd_verify, "SESSION [--format table|json|jsonl|csv]",
	    "whether the portal holds every pair the session created", "SESSION",
	    verify_longopts, "table json jsonl csv", usage_verify },
	{ "undo", cmd_undo, "SESSION [--dry-run] [--yes]",
	    "put the portal back as the session found it", "SESSION",
	    undo_longopts, NULL, usage_undo },
	{ "sandbox", cmd_sandbox, "[--port N] [options]",
	    "run the local HubSpot emulator in the foreground", "",
	    sandbox_longopts, NULL, usage_sandbox },
	{ "completion", cmd_completion, "bash|zsh|fish",
	    "the shell completion script (make install puts it in place)", "SHELL",
	    NULL, NULL, usage_completion },
};
const size_t cli_ncommands = HA_ARRAY_LEN(cli_commands);

/* --help's commands, from the table: a name and its synopsis, and what it
 * does beside it, or below when they are long. */
static void
print_commands(FILE *f)
{
	fputs("commands:\n", f);
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_command *c = &cli_commands[i];
		int n = fprintf(f, "  %s%s%s", c->name, c->synopsis[0] ? " " : "",
		    c->synopsis);
		if (n <= 15)
			fprintf(f, "%*s%s\n", 17 - n, "", c->summary);
		else
			fprintf(f, "\n%17s%s\n", "", c->summary);
	}
	fputc('\n', f);
}

void
usage_print(const char *cmd)
{
	/* "labels create": the command's own text. */
	size_t len = cmd != NULL ? strcspn(cmd, " ") : 0;
	for (size_t i = 0; cmd != NULL && i < cli_ncommands; i++) {
		if (strlen(cli_commands[i].name) != len ||
		    strncmp(cmd, cli_commands[i].name, len) != 0)
			continue;
		fputs(cli_commands[i].usage, stdout);
		/* The sandbox's options are the sandbox's to list. */
		if (cli_commands[i].fn == cmd_sandbox)
			fputs(sandbox_opts_help(), stdout);
		return;
	}
	fputs(usage_head, stdout);
	print_commands(stdout);
	fputs(usage_common, stdout);
}

size_t
cli_columns(FILE *f)
{
	struct winsize w;
	int fd = fileno(f);

	if (fd < 0 || !isatty(fd) || ioctl(fd, TIOCGWINSZ, &w) != 0)
		return 0;
	return w.ws_col;
}

void
cli_wrap_line(FILE *f, const char *t)
{
	size_t cols = cli_columns(f), len = strlen(t), at = 0;
	size_t hang = text_hang(t, cols / 2);

	if (cols < 20 || text_width(t, len) <= cols) {
		fprintf(f, "%s\n", t);
		return;
	}
	if (hang == 0)
		hang = strspn(t, " ") + 2;
	do {
		size_t x = at == 0 ? 0 : hang;
		size_t k = text_wrap(t + at, len - at, cols - x);
		/* A word longer than the line (a path) is not broken: it
		 * goes whole, for the terminal to fold, and copies whole. */
		if (at + k < len && t[at + k] != ' ' && memchr(t + at, ' ', k) == NULL)
			k += strcspn(t + at + k, " ");
		fprintf(f, "%*s%.*s\n", (int)x, "", (int)k, t + at);
		at += k;
		while (at < len && t[at] == ' ')
			at++;             /* a wrapped line starts with a word */
	} while (at < len);
}

void
cli_print_line(const char *lead, const char *s)
{
	struct buf b = BUF_INIT;

	/* Newlines the program wrote stay; everything else is made visible. */
	for (const char *nl; ; s = nl + 1) {
		nl = strchr(s, '\n');
		buf_reset(&b);
		buf_addstr(&b, lead);
		text_escape(&b, s, nl != NULL ? (size_t)(nl - s) : strlen(s));
		cli_wrap_line(stderr, buf_str(&b));
		if (nl == NULL)
			break;
		lead = "";
	}
	buf_free(&b);
}

void
cli_print_safe(const char *s)
{
	struct buf b = BUF_INIT;

	/* Newlines the program wrote stay; everything else is made visible. */
	for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
		text_escape(&b, s, (size_t)(nl - s));
		buf_addc(&b, '\n');
	}
	text_escape(&b, s, strlen(s));
	fputs(buf_str(&b), stderr);
	buf_free(&b);
}

/* "hubassoc: " and the message, every control in it escaped (a line end
 * too: a server's text cannot start a line of its own), wrapped on a
 * terminal. */
static void
say_v(const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);
	struct buf b = BUF_INIT;

	buf_addstr(&b, "hubassoc: ");
	text_escape(&b, msg, strlen(msg));
	cli_wrap_line(stderr, buf_str(&b));
	buf_free(&b);
	free(msg);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_v(fmt, ap);
	va_end(ap);
}

void
cli_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_v(fmt, ap);
	va_end(ap);
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (cmd != NULL)
		cli_error("%s: %s", cmd, msg);
	else
		cli_error("%s", msg);
	fprintf(stderr, "Run 'hubassoc%s%s --help' for usage.\n",
	    cmd != NULL ? " " : "", cmd != NULL ? cmd : "");
	free(msg);
	return EXIT_USAGE;
}


int
common_option(struct common_opts *c, int opt, const char *arg, const char *cmd)
{
	enum api_version v;
	char *cause = NULL;

	switch (opt) {
	case OPT_BASE_URL:
		if (http_check_base_url(arg, &cause) != 0) {
			cli_usage_error(cmd, "--base-url: %s", cause);
			free(cause);
			return -1;
		}
		c->base_url = arg;
		return 1;
	case OPT_API_VERSION:
		if (api_version_parse(arg, &v) != 0) {
			cli_usage_error(cmd, "--api-version is v4 or 2026-03, not "
			    "'%s'", arg);
			return -1;
		}
		c->api_version = arg;
		return 1;
	case OPT_PROFILE:
		c->profile = arg;
		return 1;
	case OPT_TOKEN_FILE:
		c->token_file = arg;
		return 1;
	case OPT_TOKEN_CMD:
		c->token_cmd = arg;
		return 1;
	case OPT_CACERT:
		c->cacert = arg;
		return 1;
	case OPT_SANDBOX:
		c->sandbox = true;
		return 1;
	case OPT_SANDBOX_RESET:
		c->sandbox = c->sandbox_reset = true;
		return 1;
	case OPT_VERBOSE:
		c->verbose++;
		return 1;
	case OPT_THEME:
		c->theme = arg;
		return 1;
	case OPT_MAX_WAIT:
		if (parse_duration_ms(arg, ENGINE_MAX_WAIT_MAX_MS, &c->max_wait_ms) != 0 ||
		    c->max_wait_ms == 0) {
			cli_usage_error(cmd, "--max-wait is a duration such as 10m, 90s "
			    "or 1h, at most 24h, not '%s'", arg);
			return -1;
		}
		return 1;
	case OPT_TIMEOUT:
		if (parse_duration_ms(arg, ENGINE_TIMEOUT_MAX_MS, &c->timeout_ms) != 0 ||
		    c->timeout_ms < 1000) {
			cli_usage_error(cmd, "--timeout is a duration such as 30s, from 1s "
			    "to 10m, not '%s'", arg);
			return -1;
		}
		return 1;
	case OPT_HELP:
		usage_print(cmd);
		exit(0);
	case OPT_VERSION:
		printf("hubassoc %s\n", HUBASSOC_VERSION);
		exit(0);
	default:
		return 0;
	}
}

/* What a command printed must have reached standard output: a full disk
 * or a closed pipe (with SIGPIPE ignored) is said, and the status is not
 * 0.  The commands that send write their records through --output, whose
 * failure they report themselves. */
static int
stdout_checked(int rc)
{
	int err = 0;

	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno != 0 ? errno : EIO;
	if (err == 0)
		return rc;
	cli_error("standard output: %s", strerror(err));
	return rc == EXIT_ALL_CREATED ? EXIT_USAGE : rc;
}

const struct option main_longopts[] = {
	COMMON_LONG_OPTIONS,
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "chunk", required_argument, NULL, OPT_TUI_CHUNK },
	{ "rate", required_argument, NULL, OPT_TUI_RATE },
	{ "concurrency", required_argument, NULL, OPT_TUI_CONCURRENCY },
	{ "max-attempts", required_argument, NULL, OPT_TUI_MAX_ATTEMPTS },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char **argv)
{
	struct common_opts common = { 0 };
	unsigned long long v;
	unsigned n, w, max_attempts = 0;
	bool tui_only = false;
	int opt;

	char *why = NULL;
	if (secrets_guard_process(&why) != 0) {
		cli_error("%s", why);
		free(why);
		return EXIT_AUTH;
	}
	/* A file-size limit (ulimit -f) is a write that fails, said like a
	 * full disk, not a process killed in the middle of a record. */
	signal(SIGXFSZ, SIG_IGN);
	setlocale(LC_ALL, "");
	/* Numbers in options and files are read the C way everywhere. */
	setlocale(LC_NUMERIC, "C");
	opterr = 0;
	/* '+': stop at the command; its own parser takes the rest. */
	while ((opt = getopt_long(argc, argv, "+", main_longopts, NULL)) != -1) {
		if (opt == '?')
			return cli_usage_error(NULL, "unknown option '%s'",
			    argv[optind - 1]);
		/* The terminal's own options, as create takes them. */
		switch (opt) {
		case OPT_SESSION:
			common.session = optarg;
			tui_only = true;
			continue;
		case OPT_TUI_CHUNK:
			if (parse_uint(optarg, 1, PLAN_CHUNK_MAX, &v) != 0)
				return cli_usage_error(NULL, "--chunk is a number from 1 "
				    "to %d, not '%s'", PLAN_CHUNK_MAX, optarg);
			common.chunk = (size_t)v;
			tui_only = true;
			continue;
		case OPT_TUI_RATE:
			if (parse_rate(optarg, &n, &w) != 0)
				return cli_usage_error(NULL, "--rate is N/DURATION such as "
				    "100/10s, not '%s'", optarg);
			common.rate = optarg;
			tui_only = true;
			continue;
		case OPT_TUI_CONCURRENCY:
			if (parse_uint(optarg, 1, 64, &v) != 0)
				return cli_usage_error(NULL, "--concurrency is a number "
				    "from 1 to 64, not '%s'", optarg);
			common.concurrency = (unsigned)v;
			tui_only = true;
			continue;
		case OPT_TUI_MAX_ATTEMPTS:
			if (parse_uint(optarg, 1, 100, &v) != 0)
				return cli_usage_error(NULL, "--max-attempts is a number "
				    "from 1 to 100, not '%s'", optarg);
			max_attempts = (unsigned)v;
			tui_only = true;
			continue;
		default:
			break;
		}
		if (common_option(&common, opt, optarg, NULL) < 0)
			return EXIT_USAGE;
	}
	/* No command: the terminal interface. */
	if (optind >= argc) {
		struct tui_opts o = {
			.given = cli_conn_given(&common, common.concurrency, common.rate,
			    NULL, NULL),
			.theme = common.theme, .session = common.session,
			.chunk = common.chunk, .max_attempts = max_attempts,
		};
		char *cause = NULL;
		int rc = tui_main(&o, &cause);
		if (cause != NULL) {
			cli_error("%s", cause);
			free(cause);
		}
		return rc;
	}
	if (tui_only)
		return cli_usage_error(NULL, "--session, --chunk, --rate, "
		    "--concurrency and --max-attempts before a command are the "
		    "terminal interface's: give them after the command (create takes "
		    "them), or without one");
	const char *cmd = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 0;
	for (size_t i = 0; i < cli_ncommands; i++)
		if (strcmp(cmd, cli_commands[i].name) == 0)
			return stdout_checked(cli_commands[i].fn(argc, argv, &common));
	if (strcmp(cmd, "__complete") == 0)
		return stdout_checked(cmd_complete(argc, argv, &common));
	if (strcmp(cmd, "help") == 0) {
		usage_print(argc > 1 ? argv[1] : NULL);
		return 0;
	}
	const char *near = nearest_of(cmd, cli_commands, cli_ncommands,
	    sizeof(cli_commands[0]), offsetof(struct cli_command, name));
	if (near != NULL)
		return cli_usage_error(NULL, "unknown command '%s'; did you mean '%s'?",
		    cmd, near);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
