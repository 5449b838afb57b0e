#!/usr/bin/env bash
# hubassoc completion bash|zsh|fish: scripts made from the command table
# and the options getopt takes.  Bash's is driven as bash drives it; zsh's
# and fish's load in their shells and offer the same.
. "$(dirname "$0")/../lib.sh"
export XDG_STATE_HOME=$T_TMP/state XDG_CONFIG_HOME=$T_TMP/config
# The scripts ask the hubassoc they complete for profiles and sessions.
PATH=$(dirname "$HUBASSOC"):$PATH

"$HUBASSOC" completion bash > "$T_TMP/hubassoc.bash"
is "completion bash: exit 0" "$?" 0
"$HUBASSOC" completion tcsh > /dev/null 2> "$T_TMP/e"
is "an unknown shell: a usage error" "$?" 2
like "naming the shells there are" "$(cat "$T_TMP/e")" "bash, zsh or fish"

# What bash offers for a command line, the cursor at its end.
complete_bash() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_hubassoc
		printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd" "
	' _ "$T_TMP/hubassoc.bash" "$@"
}

is "bash loads it: complete -p" "$(bash -c ". '$T_TMP/hubassoc.bash'; complete -p hubassoc")" \
	"complete -F _hubassoc hubassoc"
is "commands" "$(complete_bash hubassoc re)" "read relabel remove resume retry"
is "every command --help lists" "$(complete_bash hubassoc '' | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"$("$HUBASSOC" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\).*/\1/p' | sort | tr '\n' ' ')"
is "a command's own options" "$(complete_bash hubassoc create --ty)" "--type --types-column"
unlike "and not another's" "$(complete_bash hubassoc create --on)" "--only"
is "retry's --only" "$(complete_bash hubassoc retry --on)" "--only"
is "--only's values" "$(complete_bash hubassoc retry x --only '')" "edited failed failed,not_sent failed,not_sent,edited not_sent"
is "--format's values, the command's own" "$(complete_bash hubassoc show x --format '')" "json table"
is "export's formats" "$(complete_bash hubassoc export x -f '')" "csv json jsonl"
is "object types for FROM" "$(complete_bash hubassoc create con)" "contacts"
is "and for TO, after FROM" "$(complete_bash hubassoc create contacts comp)" "companies"
is "an option's value is not an operand" \
	"$(complete_bash hubassoc create --type 279 contacts comp)" "companies"
is "nothing past the operands" "$(complete_bash hubassoc create contacts companies x)" ""
is "options before the command are skipped with their values" \
	"$(complete_bash hubassoc --profile prod cre)" "create"
is "--theme's names" "$(complete_bash hubassoc --theme so)" "solarized"
mkdir -p "$XDG_STATE_HOME/hubassoc/sessions"
: > "$XDG_STATE_HOME/hubassoc/sessions/20261129-101010-abcd.jsonl"
is "SESSION: last and the journal's IDs" "$(complete_bash hubassoc show '')" "20261129-101010-abcd last"
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile prod]\nbase_url = https://api.hubapi.com\n[profile small]\n' > "$XDG_CONFIG_HOME/hubassoc/config"
is "--profile: the config file's profiles" "$(complete_bash hubassoc --profile '')" "prod small"
# Names are offered, never run: a profile or a journal named as a command
# substitution stays text (before: compgen -W ran it).
printf '[profile $(touch PWNED)]\n[profile `touch PWNED2`]\n[profile a b]\n' >> "$XDG_CONFIG_HOME/hubassoc/config"
: > "$XDG_STATE_HOME/hubassoc/sessions/\$(touch PWNED3).jsonl"
got=$(cd "$T_TMP" && complete_bash hubassoc --profile '')
is "a profile named \$(...) is offered quoted" "$got" '\$\(touch\ PWNED\) \`touch\ PWNED2\` a\ b prod small'
got=$(cd "$T_TMP" && complete_bash hubassoc show '')
like "a journal named \$(...) is offered quoted" "$got" '\$\(touch\ PWNED3\)'
is "no name ran" "$(ls "$T_TMP" | grep -c PWNED)" 0
# A name with a control character is offered as none, never printed raw.
: > "$XDG_STATE_HOME/hubassoc/sessions/$(printf 'x\033]0;hi\007')y.jsonl"
is "__complete sessions: no control byte" "$("$HUBASSOC" __complete sessions | LC_ALL=C grep -c $'[\x01-\x1f]')" 0
rm -f "$XDG_STATE_HOME/hubassoc/sessions/"x*y.jsonl
is "__complete profiles: one a line, as the config has them" "$("$HUBASSOC" __complete profiles | tr '\n' '|')" \
	'prod|small|$(touch PWNED)|`touch PWNED2`|a b|'
# The same checks as every command: a config others may write offers
# nothing (before: the script read it with sed).
chmod 666 "$XDG_CONFIG_HOME/hubassoc/config"
is "a config others may write: no profile offered" "$(complete_bash hubassoc --profile '')" ""
"$HUBASSOC" __complete profiles > /dev/null 2> "$T_TMP/e"
is "__complete profiles refuses it (exit 3)" "$?" 3
like "and says why" "$(cat "$T_TMP/e")" "may be written by group or others"
chmod 600 "$XDG_CONFIG_HOME/hubassoc/config"
chmod 777 "$XDG_STATE_HOME/hubassoc/sessions"
is "a sessions directory others may write: no session offered" "$(complete_bash hubassoc show '')" ""
chmod 700 "$XDG_STATE_HOME/hubassoc/sessions"
printf 'x\n' > "$T_TMP/pairs.csv"
is "--input: files" "$(cd "$T_TMP" && complete_bash hubassoc create -i pai)" "pairs.csv"
is "completion's shells" "$(complete_bash hubassoc completion '')" "bash fish zsh"

# Every option offered is one --help names, for each command.
for cmd in create labels history show export resume retry sandbox; do
	help=$("$HUBASSOC" "$cmd" --help; "$HUBASSOC" --help)
	missing=""
	for o in $(complete_bash hubassoc "$cmd" --); do
		case $help in *"$o"*) ;; *) missing="$missing $o" ;; esac
	done
	is "$cmd: every option offered is in --help" "$missing" ""
done

# zsh: the script parses, and its function offers the commands.
"$HUBASSOC" completion zsh > "$T_TMP/_hubassoc"
zsh -n "$T_TMP/_hubassoc"
is "zsh -n: it parses" "$?" 0
like "it is a #compdef file for hubassoc" "$(head -n 1 "$T_TMP/_hubassoc")" "#compdef hubassoc"
out=$(zsh -f -c "
	fpath=('$T_TMP' \$fpath)
	autoload -U compinit && compinit -u -D
	compdef _hubassoc hubassoc
	whence -w _hubassoc" 2>&1)
like "zsh loads it as the completion of hubassoc" "$out" "_hubassoc: function"

# fish: the script parses, and fish's own completion engine uses it.
"$HUBASSOC" completion fish > "$T_TMP/hubassoc.fish"
fish -n "$T_TMP/hubassoc.fish"
is "fish -n: it parses" "$?" 0
out=$(HOME=$T_TMP fish -N -c "source '$T_TMP/hubassoc.fish'; complete -C 'hubassoc re'" 2>&1)
like "fish offers the commands" "$out" "retry"
out=$(HOME=$T_TMP fish -N -c "source '$T_TMP/hubassoc.fish'; complete -C 'hubassoc retry --on'" 2>&1)
like "and a command's options" "$out" "--only"
out=$(HOME=$T_TMP fish -N -c "source '$T_TMP/hubassoc.fish'; complete -C 'hubassoc create con'" 2>&1)
like "and object types" "$out" "contacts"
rm -f "$T_TMP"/PWNED*
out=$(cd "$T_TMP" && HOME=$T_TMP fish -N -c "source '$T_TMP/hubassoc.fish'; complete -C 'hubassoc --profile '" 2>&1)
like "fish: profiles, from hubassoc" "$out" "prod"
like "fish: a profile named \$(...), as text" "$out" '$(touch PWNED)'
out=$(cd "$T_TMP" && HOME=$T_TMP fish -N -c "source '$T_TMP/hubassoc.fish'; complete -C 'hubassoc show '" 2>&1)
like "fish: sessions, from hubassoc" "$out" "20261129-101010-abcd"
# zsh: the script's own function, with compadd showing what it is given.
out=$(cd "$T_TMP" && zsh -f -c "
	compadd() { [[ \$1 == -a ]] && print -rl -- \"\${(@P)2}\" }
	eval \"\$(sed -n '/^_hubassoc_ask()/,/^}/p' '$T_TMP/_hubassoc')\"
	_hubassoc_cmd=hubassoc
	_hubassoc_ask profiles | tr '\n' '|'" 2>&1)
is "zsh: profiles, from hubassoc, as text" "$out" 'prod|small|$(touch PWNED)|`touch PWNED2`|a b|'
is "zsh and fish ran no name" "$(ls "$T_TMP" | grep -c PWNED)" 0
done_testing
