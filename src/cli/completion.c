/*
 * completion.c: hubassoc completion bash|zsh|fish prints the shell's
 * completion script, made from the command table (cli_commands) and the
 * options getopt parses, so it offers what the program takes: commands,
 * each one's options, the values of --format, --only, --list, --theme and
 * --profile, files where a file goes, object types for FROM and TO, and
 * the session IDs of the journal (and "last") for SESSION.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../tui/themes.h"
#include "hubassoc/config.h"
#include "hubassoc/journal.h"
#include "hubassoc/objtype.h"

/* Options whose value is a file. */
static bool
takes_file(const char *name)
{
	static const char *const files[] = {
		"input", "output", "token-file", "cacert", "missing-file", "tls-cert",
		"tls-key", "log",
	};

	for (size_t i = 0; i < HA_ARRAY_LEN(files); i++)
		if (strcmp(name, files[i]) == 0)
			return true;
	return false;
}

/* The values an option takes, space-separated, when they are few and
 * known; NULL: any text (or a file, or a profile). */
static const char *
values_of(const struct cli_command *c, const char *name, struct buf *scratch)
{
	if (strcmp(name, "format") == 0)
		return c != NULL ? c->formats : NULL;
	if (strcmp(name, "only") == 0)
		return "failed not_sent edited failed,not_sent failed,not_sent,edited";
	if (strcmp(name, "list") == 0)
		return "new adds_labels already_there moves_primary unknown_from "
		    "unknown_to invalid conflict duplicate unread";
	if (strcmp(name, "api-version") == 0)
		return "v4 2026-03";
	if (strcmp(name, "invalid-mode") == 0)
		return "207 400 400-unnamed";
	if (strcmp(name, "theme") == 0) {
		size_t n;
		const char *const *t = theme_builtin_names(&n);
		buf_reset(scratch);
		for (size_t i = 0; i < n; i++)
			buf_printf(scratch, "%s%s", i ? " " : "", t[i]);
		return buf_str(scratch);
	}
	return NULL;
}

/* Text in single quotes: a quote inside as fish writes it (\') or as
 * sh and zsh do ('\''). */
static void
quoted(struct buf *out, const char *s, bool fish)
{
	buf_addc(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'' || (fish && *s == '\\'))
			buf_addstr(out, fish ? (*s == '\'' ? "\\'" : "\\\\") : "'\\''");
		else
			buf_addc(out, *s);
	}
	buf_addc(out, '\'');
}

static void
objtypes(struct buf *out)
{
	size_t n;
	const struct objtype_std *t = objtype_std_table(&n);

	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s%s", i ? " " : "", t[i].plural);
}

/* ---- bash ---------------------------------------------------------------- */

/* " --a --b" of a table, and the short forms (-t) of its options that
 * have one; valued: only those that take a value. */
static void
long_names(struct buf *out, const struct option *o, bool valued)
{
	for (const struct option *p = o; p != NULL && p->name != NULL; p++)
		if (!valued || p->has_arg == required_argument)
			buf_printf(out, " --%s", p->name);
	for (const struct option *p = o; p != NULL && p->name != NULL; p++)
		if ((!valued || p->has_arg == required_argument) && p->val > ' ' &&
		    p->val < 127 && isalpha(p->val))
			buf_printf(out, " -%c", p->val);
}

static void
bash(struct buf *b, const char *ot, struct buf *scratch)
{
	buf_addstr(b,
	    "# hubassoc completion for bash: hubassoc completion bash\n"
	    "# Candidates are never expanded again (no compgen -W on them): each\n"
	    "# word given that starts with $cur is offered quoted as the command\n"
	    "# line needs it.  Profiles and sessions come from hubassoc itself,\n"
	    "# which reads them with the checks it always makes.\n"
	    "_hubassoc_offer() {\n"
	    "\tlocal w q\n"
	    "\tfor w in \"$@\"; do\n"
	    "\t\t[[ $w == \"$cur\"* ]] || continue\n"
	    "\t\tq=$w\n"
	    "\t\t[[ $w == *[!A-Za-z0-9._,:/@+=-]* ]] && printf -v q %q \"$w\"\n"
	    "\t\tCOMPREPLY+=(\"$q\")\n"
	    "\tdone\n"
	    "}\n"
	    "_hubassoc_ask() {\n"
	    "\tlocal -a got\n"
	    "\tmapfile -t got < <(command \"${COMP_WORDS[0]}\" __complete \"$1\" 2>/dev/null)\n"
	    "\t_hubassoc_offer \"${got[@]}\"\n"
	    "}\n"
	    "_hubassoc() {\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\tlocal cmd=\"\" i w nops=0 skip=0 opts valued ops formats\n"
	    "\tCOMPREPLY=()\n");
	buf_addstr(b, "\tlocal commands=\"");
	for (size_t i = 0; i < cli_ncommands; i++)
		buf_printf(b, "%s%s", i ? " " : "", cli_commands[i].name);
	buf_addstr(b, "\"\n\tlocal main_valued=\"");
	long_names(b, main_longopts, true);
	buf_addstr(b, "\"\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tw=${COMP_WORDS[i]}\n"
	    "\t\tif [ $skip = 1 ]; then skip=0; continue; fi\n"
	    "\t\tcase $w in\n"
	    "\t\t--*=*) ;;\n"
	    "\t\t-*) case \" ${valued:-$main_valued} \" in *\" $w \"*) skip=1 ;; esac ;;\n"
	    "\t\t*) if [ -z \"$cmd\" ]; then\n"
	    "\t\t\tcmd=$w\n"
	    "\t\t\tcase $cmd in\n");
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_command *c = &cli_commands[i];
		buf_printf(b, "\t\t\t%s) valued=\"", c->name);
		long_names(b, c->longopts, true);
		buf_addstr(b, "\" ;;\n");
	}
	buf_addstr(b,
	    "\t\t\tesac\n"
	    "\t\telse nops=$((nops + 1)); fi ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\tcase $cmd in\n");
	buf_addstr(b, "\t\"\") opts=\"");
	long_names(b, main_longopts, false);
	buf_addstr(b, "\"; ops=\"\" ;;\n");
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_command *c = &cli_commands[i];
		buf_printf(b, "\t%s) opts=\"", c->name);
		long_names(b, c->longopts, false);
		buf_printf(b, "%s\"; ops=\"%s\"; formats=\"%s\" ;;\n",
		    c->longopts == NULL ? " --help" : "", c->operands,
		    c->formats != NULL ? c->formats : "");
	}
	buf_addstr(b, "\tesac\n\tcase $prev in\n");
	buf_addstr(b, "\t--format|-f) _hubassoc_offer $formats; return ;;\n");
	buf_addstr(b, "\t--profile) _hubassoc_ask profiles; return ;;\n");
	/* The other options with values: known ones, files, or free text;
	 * each once, whichever tables share it. */
	const struct option *tables[] = { main_longopts, create_longopts, relabel_longopts,
	    simple_longopts, export_longopts, again_longopts, sandbox_longopts };
	struct buf seen = BUF_INIT, files = BUF_INIT, free_text = BUF_INIT;
	buf_addstr(&seen, "|--format|--profile|");
	for (size_t t = 0; t < HA_ARRAY_LEN(tables); t++) {
		for (const struct option *o = tables[t]; o->name != NULL; o++) {
			char pat[64];
			const char *v;
			snprintf(pat, sizeof(pat), "|--%s|", o->name);
			if (o->has_arg != required_argument ||
			    strstr(buf_str(&seen), pat) != NULL)
				continue;
			buf_printf(&seen, "--%s|", o->name);
			if (takes_file(o->name))
				buf_printf(&files, "--%s|", o->name);
			else if ((v = values_of(NULL, o->name, scratch)) != NULL)
				buf_printf(b, "\t--%s) _hubassoc_offer %s; return ;;\n",
				    o->name, v);
			else
				buf_printf(&free_text, "--%s|", o->name);
		}
	}
	buf_printf(b, "\t%s-i|-o) compopt -o filenames 2>/dev/null; "
	    "mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); return ;;\n",
	    buf_str(&files));
	buf_printf(b, "\t%s-t) return ;;\n", buf_str(&free_text));
	buf_free(&seen);
	buf_addstr(b,
	    "\tesac\n"
	    "\tif [[ $cur == -* ]]; then\n"
	    "\t\t_hubassoc_offer $opts\n"
	    "\telif [ -z \"$cmd\" ]; then\n"
	    "\t\t_hubassoc_offer $commands\n"
	    "\telse\n"
	    "\t\tset -- $ops\n"
	    "\t\tshift $nops 2>/dev/null || set --\n"
	    "\t\tcase $1 in\n");
	buf_printf(b, "\t\tFROM|TO) _hubassoc_offer %s ;;\n", ot);
	buf_addstr(b,
	    "\t\tSESSION) _hubassoc_ask sessions ;;\n"
	    "\t\tSHELL) _hubassoc_offer bash zsh fish ;;\n"
	    "\t\tesac\n"
	    "\tfi\n"
	    "}\n"
	    "complete -F _hubassoc hubassoc\n");
	buf_free(&files);
	buf_free(&free_text);
}

/* ---- zsh ----------------------------------------------------------------- */

static void
zsh_specs(struct buf *b, const struct cli_command *c, const struct option *o,
    struct buf *scratch)
{
	for (; o != NULL && o->name != NULL; o++) {
		const char *v;
		if (o->has_arg == no_argument) {
			buf_printf(b, " '--%s'", o->name);
			continue;
		}
		if (takes_file(o->name))
			buf_printf(b, " '--%s=:file:_files'", o->name);
		else if (strcmp(o->name, "profile") == 0)
			buf_printf(b, " '--%s=:profile:_hubassoc_profiles'", o->name);
		else if ((v = values_of(c, o->name, scratch)) != NULL)
			buf_printf(b, " '--%s=:value:(%s)'", o->name, v);
		else
			buf_printf(b, " '--%s=:value: '", o->name);
	}
}

static void
zsh(struct buf *b, const char *ot, struct buf *scratch)
{
	buf_addstr(b,
	    "#compdef hubassoc\n"
	    "# hubassoc completion for zsh: hubassoc completion zsh\n"
	    "# Profiles and sessions come from hubassoc itself, read with the\n"
	    "# checks it always makes; compadd takes them as words, unexpanded.\n"
	    "_hubassoc_ask() {\n"
	    "\tlocal -a got\n"
	    "\tgot=(${(f)\"$(command ${_hubassoc_cmd:-hubassoc} __complete $1 2>/dev/null)\"})\n"
	    "\tcompadd -a got\n"
	    "}\n"
	    "_hubassoc_sessions() { _hubassoc_ask sessions }\n"
	    "_hubassoc_profiles() { _hubassoc_ask profiles }\n"
	    "_hubassoc() {\n"
	    "\tlocal _hubassoc_cmd=${words[1]}\n"
	    "\tlocal -a commands\n"
	    "\tcommands=(\n");
	for (size_t i = 0; i < cli_ncommands; i++) {
		char *item = xasprintf("%s:%s", cli_commands[i].name,
		    cli_commands[i].summary);
		buf_addstr(b, "\t\t");
		quoted(b, item, false);
		buf_addc(b, '\n');
		free(item);
	}
	buf_addstr(b,
	    "\t)\n"
	    "\tlocal i cmd\n"
	    "\tfor (( i = 2; i < CURRENT; i++ )); do\n"
	    "\t\tif (( ${commands[(I)${words[i]}:*]} )); then cmd=${words[i]}; break; fi\n"
	    "\tdone\n"
	    "\tif [[ -z $cmd ]]; then\n"
	    "\t\t_arguments -s");
	zsh_specs(b, NULL, main_longopts, scratch);
	buf_addstr(b, " ':command:{_describe command commands}'\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\twords=(\"${(@)words[i,-1]}\")\n"
	    "\t(( CURRENT -= i - 1 ))\n"
	    "\tcase $cmd in\n");
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_command *c = &cli_commands[i];
		buf_printf(b, "\t%s) _arguments -s", c->name);
		zsh_specs(b, c, c->longopts, scratch);
		if (strcmp(c->operands, "FROM TO") == 0)
			buf_printf(b, " ':from:(%s)' ':to:(%s)'", ot, ot);
		else if (strcmp(c->operands, "SESSION") == 0)
			buf_addstr(b, " ':session:_hubassoc_sessions'");
		else if (strcmp(c->operands, "SHELL") == 0)
			buf_addstr(b, " ':shell:(bash zsh fish)'");
		buf_addstr(b, " ;;\n");
	}
	buf_addstr(b, "\tesac\n}\n_hubassoc \"$@\"\n");
}

/* ---- fish ---------------------------------------------------------------- */

static void
fish_options(struct buf *b, const char *cond, const struct cli_command *c,
    const struct option *o, struct buf *scratch)
{
	for (; o != NULL && o->name != NULL; o++) {
		const char *v;
		buf_printf(b, "complete -c hubassoc -n '%s' -l %s", cond, o->name);
		if (o->has_arg == no_argument)
			;
		else if (takes_file(o->name))
			buf_addstr(b, " -r -F");
		else if (strcmp(o->name, "profile") == 0)
			buf_addstr(b, " -x -a '(__hubassoc_profiles)'");
		else if ((v = values_of(c, o->name, scratch)) != NULL)
			buf_printf(b, " -x -a '%s'", v);
		else
			buf_addstr(b, " -x");
		buf_addc(b, '\n');
	}
}

static void
fish(struct buf *b, const char *ot, struct buf *scratch)
{
	buf_addstr(b,
	    "# hubassoc completion for fish: hubassoc completion fish\n"
	    "# Profiles and sessions come from hubassoc itself, read with the\n"
	    "# checks it always makes.\n"
	    "function __hubassoc_sessions\n"
	    "\tset -l c (commandline -opc)[1]\n"
	    "\tcommand $c __complete sessions 2>/dev/null\n"
	    "end\n"
	    "function __hubassoc_profiles\n"
	    "\tset -l c (commandline -opc)[1]\n"
	    "\tcommand $c __complete profiles 2>/dev/null\n"
	    "end\n"
	    "complete -c hubassoc -f\n");
	for (size_t i = 0; i < cli_ncommands; i++) {
		buf_printf(b, "complete -c hubassoc -n '__fish_use_subcommand' -a %s -d ",
		    cli_commands[i].name);
		quoted(b, cli_commands[i].summary, true);
		buf_addc(b, '\n');
	}
	fish_options(b, "__fish_use_subcommand", NULL, main_longopts, scratch);
	for (size_t i = 0; i < cli_ncommands; i++) {
		const struct cli_command *c = &cli_commands[i];
		char cond[80];
		snprintf(cond, sizeof(cond), "__fish_seen_subcommand_from %s", c->name);
		fish_options(b, cond, c, c->longopts, scratch);
		if (strcmp(c->operands, "FROM TO") == 0)
			buf_printf(b, "complete -c hubassoc -n '%s' -a '%s'\n", cond,
			    ot);
		else if (strcmp(c->operands, "SESSION") == 0)
			buf_printf(b, "complete -c hubassoc -n '%s' -a '(__hubassoc_sessions)'\n",
			    cond);
		else if (strcmp(c->operands, "SHELL") == 0)
			buf_printf(b, "complete -c hubassoc -n '%s' -a 'bash zsh fish'\n", cond);
	}
}

/* hubassoc __complete profiles|sessions: the names a completion script
 * offers, one a line, read as every other command reads them (the
 * config's owner and mode, the sessions directory's), so that a script
 * never parses a file hubassoc itself would refuse.  Hidden: scripts call
 * it, people need not. */
int
cmd_complete(int argc, char **argv, struct common_opts *common)
{
	char **v = NULL, *cause = NULL;
	size_t n = 0;
	int rc;

	(void)common;
	if (argc != 2 || (strcmp(argv[1], "profiles") != 0 &&
	    strcmp(argv[1], "sessions") != 0)) {
		cli_error("__complete: give profiles or sessions (for the completion "
		    "scripts: see hubassoc completion)");
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "profiles") == 0) {
		rc = config_profile_names(&v, &n, &cause);
	} else {
		rc = journal_list(&v, &n, &cause);
		if (rc == 0)
			puts("last");
		/* Paths: the IDs are their names, without .jsonl. */
		for (size_t i = 0; i < n; i++) {
			char *base = strrchr(v[i], '/');
			base = xstrdup(base != NULL ? base + 1 : v[i]);
			base[strlen(base) - 6] = '\0';
			free(v[i]);
			v[i] = base;
		}
	}
	if (rc != 0) {
		cli_error("__complete: %s", cause);
		free(cause);
		return EXIT_AUTH;
	}
	for (size_t i = 0; i < n; i++) {
		/* One a line, as text: a name that holds a control character
		 * (a line break, an escape) is offered as none. */
		bool plain = true;
		for (const char *p = v[i]; *p != '\0' && plain; p++)
			plain = (unsigned char)*p >= ' ' && *p != 0x7f;
		if (plain)
			puts(v[i]);
		free(v[i]);
	}
	free(v);
	return EXIT_ALL_CREATED;
}

int
cmd_completion(int argc, char **argv, struct common_opts *common)
{
	(void)common;
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage_print("completion");
		return EXIT_ALL_CREATED;
	}
	static const struct {
		const char *name;
		void (*write)(struct buf *b, const char *objtypes, struct buf *scratch);
	} shells[] = { { "bash", bash }, { "zsh", zsh }, { "fish", fish } };

	if (argc != 2)
		return cli_usage_error("completion", "give a shell: bash, zsh or fish");
	for (size_t i = 0; i < HA_ARRAY_LEN(shells); i++) {
		if (strcmp(argv[1], shells[i].name) != 0)
			continue;
		struct buf b = BUF_INIT, ot = BUF_INIT, scratch = BUF_INIT;
		objtypes(&ot);
		shells[i].write(&b, buf_str(&ot), &scratch);
		fputs(buf_str(&b), stdout);
		buf_free(&scratch);
		buf_free(&ot);
		buf_free(&b);
		return EXIT_ALL_CREATED;
	}
	return cli_usage_error("completion", "no completion for '%s': bash, zsh or "
	    "fish", argv[1]);
}
