#!/usr/bin/env bash
# At 80x24 nothing that explains is cut: the start hint, the pickers' lines,
# the header's types, the command line's choices and the help's rows wrap
# or shorten (before: each ended in an ellipsis at 80 columns).
. "$(dirname "$0")/tui_lib.sh"

tui_start 80 24 --sandbox
wait_for "Paste pairs" || exit 1
# The start hint, whole over two lines.
like "the start hint: its first line" "$(row 23)" "Paste pairs (IDs, emails or domains), or :load FILE"
like "the start hint: the rest below it, not cut" "$(row 24)" "S sends; ? helps"
unlike "no ellipsis in the hint" "$(row 23)$(row 24)" "…"

# :, then Tab twice: every command, wrapped above the line being typed.
keys : Tab Tab
shows "the command line's choices" "verify  write" || exit 1
like "token and undo among them" "$(screen)" "token  type  undo"
keys C-u Escape
wait_gone "verify  write" || exit 1
sleep 0.3

# The pickers' explanations wrap in their box.
keys f
shows "the FROM picker" "FROM type's name" || exit 1
like "its explanation, whole" "$(screen)" "leaves"
keys Escape
wait_gone "FROM type's name" || exit 1
commands "from contacts" "to companies"
wait_for "From contacts (0-1)  to companies (0-2)" || exit 1
keys y
shows "the types picker" "Space (Tab in a filter) marks" || exit 1
like "its explanation, whole" "$(screen)" "/ filters"
keys Escape
wait_gone "Space (Tab in a filter) marks" || exit 1

# The header's types: the label and its ID when the whole does not fit,
# the labels alone for two; the Primary warning short.
commands "type Billing contact"
shows "one label: its name and ID, not cut" "as Billing contact (USER_DEFINED:36)" || exit 1
commands "type Billing contact;Primary"
shows "two labels: their names" "as Primary; Billing contact" || exit 1
like "the Primary warning, short" "$(row 4)" "! moves Primaries"
# Removing labels moves no Primary: no warning (before: the same one).
commands "op unlabel"
shows "unlabel: the header" "remove Primary; Billing contact" || exit 1
unlike "unlabel: no Primary warning" "$(row 4)" "moves Primaries"
commands "op create"
shows "create again" "as Primary; Billing contact" || exit 1
unlike "no ellipsis in the header" "$(row 3)$(row 4)" "…"
commands "type Billing contact;Primary;Entscheidungsträger"
# The object types' IDs give way to the labels (before: "3 types").
shows "three labels: their names, the object types without IDs" "From contacts  to companies  as Primary; Billing contact; Entscheidungsträger" || exit 1
unlike "no ellipsis in the first lines" "$(row 1)$(row 3)$(row 4)" "…"
commands "type Billing contact;Primary;Entscheidungsträger;279"
shows "four: how many, and where they are listed" "as 4 types (y lists them)" || exit 1
unlike "no ellipsis in the first lines" "$(row 1)$(row 3)$(row 4)" "…"
# A relabel says what it replaces first, and it fits, the IDs of the
# object types going first (before: "in place of every…", cut).
commands "type Billing contact" "op relabel all"
shows "relabel: the whole line" "From contacts  to companies  relabel every label → Billing contact" || exit 1
commands "type Entscheidungsträger" "op relabel Billing contact"
shows "relabel: what it replaces, then the new label" "From contacts  to companies  relabel Billing contact → Entscheidungsträger" || exit 1
unlike "relabel: not cut" "$(row 3)" "…"
# Replacing nothing: said shorter rather than cut (before: "(…").
commands "op relabel"
shows "relabel with nothing replaced: said whole" "From contacts  to companies  relabel to Entscheidungsträger (none replaced)" || exit 1
unlike "relabel with nothing replaced: not cut" "$(row 3)" "…"
# What it replaces, given by its ID, named by its label as the plan names
# it (before: "relabel USER_DEFINED:36 → Entscheidungsträger").
commands "op relabel USER_DEFINED:36"
shows "relabel by an ID: the label it replaces named" "From contacts  to companies  relabel Billing contact → Entscheidungsträger" || exit 1
commands "op create"

# The help: every row whole, its text wrapped under itself.
keys '?'
shows "the help" "Keys of the pairs view" || exit 1
# What the box cannot hold is said on its last line, as v says it, and j
# scrolls it at once (before: nothing said it, and j moved an unseen
# cursor first).
like "the help says there is more, and how to see it" "$(screen)" "more lines below: j or Down scrolls"
top=$(screen | grep -m 1 '│  ')
keys j
wait_gone "$top" || exit 1
ok "j scrolls the help at once"
keys g
like "a long key's text wraps under it" "$(screen)" "change, then asks"
unlike "no row of the help ends cut" "$(screen | grep '│')" "…"
keys G
shows "its end: the paragraph wrapped" "once: one record gives its ID, none or several say so." || exit 1
unlike "at its end, no more said" "$(screen)" "more lines below"
unlike "no row of the help's end is cut" "$(screen | grep '│')" "…"
keys Escape
wait_gone "Keys of the pairs view" || exit 1

# Pairs' filter: beside the columns' names, or above them, never cut.
printf '101,201\n102,202\n' > "$T_TMP/two.csv"
sleep 0.3
commands "load $T_TMP/two.csv"
wait_for "2 rows" || exit 1
keys /
typein "paste"
keys C-u
typein "102"
keys Enter
shows "the filter, whole" "filter '102': 1 row" || exit 1
unlike "not squeezed into the columns' names" "$(screen | grep 'REASON')" "…"

# A status longer than the line wraps above it, up to three lines.
commands "load /nonexistent/$(printf 'x%.0s' $(seq 60))/pairs.csv"
shows "a long error, wrapped" "No such file or directory" || exit 1
unlike "not cut" "$(row 22)$(row 23)$(row 24)" "…"
tui_kill

# The Portal at 80 columns: its hint, its heading and the pairs' types
# whole or by their labels, and v for the pair whole (before: the three
# cut, ID columns 20 wide, and no v).  A state of its own: no session
# offered back.
export XDG_STATE_HOME="$T_TMP/portal-state"
tui_start 80 24 --sandbox
wait_for "Paste pairs" || exit 1
keys 2
shows "Results before a send: what fills it" "Nothing sent yet: S sends the pairs" || exit 1
unlike "its hint whole" "$(row 3)$(row 4)" "…"
keys 3
shows "Errors before a send" "Nothing sent yet: the errors of a send show here." || exit 1
keys 4
shows "Inspector before a send" "Nothing sent yet: a send's requests show here." || exit 1
keys 5
shows "History with no session: what makes one" "No sessions yet" || exit 1
unlike "its hint whole" "$(row 3)$(row 4)" "…"
keys 6
shows "the Portal's hint" "Nothing read yet" || exit 1
unlike "its hint whole, over two lines" "$(row 3)$(row 4)" "…"
like "its hint's end" "$(row 4)" "the session shown."
tui_kill
# Answers a second late: the Portal is seen while it reads.
sb_start --latency 1000 || exit 1
demo_pairs
printf '%s,%s\n' "$PC" "$PO" > "$T_TMP/primary.csv"
export XDG_STATE_HOME="$T_TMP/portal-state2"
tui_start 80 24 --base-url "$SB"
wait_gone "trying the token" || exit 1
# The pair with a Primary: it holds two types.
commands "from contacts" "to companies" "load $T_TMP/primary.csv"
wait_for "1 row" || exit 1
keys p
shows "while it reads: the headings at their width" "FROM       TO         TYPES" || exit 1
shows "p reads the pair's record" "1 record, " || exit 1
unlike "the heading whole" "$(row 3)" "…"
like "the heading says when" "$(row 3)" "read at "
w=10; for id in "$PC" "$PO"; do [ ${#id} -gt $w ] && w=${#id}; done
like "ID columns as wide as the IDs" "$(row 4)" "$(printf '%-*s %-*s TYPES' "$w" FROM "$w" TO)"
unlike "no pair's types cut" "$(screen)" "…"
like "the types by label when they do not fit whole" "$(screen | grep "^$PC ")" "(unlabeled); Primary"
keys v
shows "v shows the pair whole" "Portal: contacts to companies" || exit 1
like "each type by its category and ID" "$(screen)" "HUBSPOT_DEFINED:1 Primary"
keys v
wait_gone "Portal: contacts to companies" || exit 1
tui_kill

# The command line's plan on a terminal 80 columns wide: each line wrapped
# under its value (before: "no pair    3, such as line 1: ... (relabel
# --create-missing creates it)" ran to 92 columns); through a pipe, whole.
printf '%s\n%s\n' "9100000001,9200000001" "9100000002,9200000002" > "$T_TMP/nopair.csv"
cmd=$(printf '%q ' "$HUBASSOC" relabel contacts companies --type 44 --replace 36 \
	--input "$T_TMP/nopair.csv" --base-url "$SB" --dry-run)
tui_server
TM new-session -d -s t -x 80 -y 40 "$cmd; echo \"[exited \$?]\"; sleep 600"
shows "the dry run's plan, on a terminal" "[exited 1]" 20 || exit 1
# (The terminal itself breaks a line at 80: only where, and how far in,
# tells a wrap from it.)
n=$(screen | grep -c 'nothing written (relabel$')
[ "$n" -ge 1 ] && ok "wrapped at a word" || not_ok "wrapped at a word" "$(screen)"
like "the NO_PAIR line wrapped under its value" "$(screen)" "$(printf '%13s%s' '' '(relabel --create-missing creates it)')"
like "through a pipe, its lines whole" "$("$HUBASSOC" relabel contacts companies --type 44 --replace 36 \
	--input "$T_TMP/nopair.csv" --base-url "$SB" --dry-run 2>&1)" "nothing written (relabel --create-missing creates it)"
tui_kill
# The summary of a send, the same.
cmd=$(printf '%q ' "$HUBASSOC" relabel contacts companies --type 44 --replace 36 \
	--input "$T_TMP/nopair.csv" --base-url "$SB" --yes)
tui_server
TM new-session -d -s t -x 80 -y 40 "$cmd; echo \"[exited \$?]\"; sleep 600"
shows "the summary of a relabel, on a terminal" "[exited 1]" 20 || exit 1
is "its errors line wrapped under its value" "$(screen | grep -A 1 '^  errors ' | tail -n 1)" "$(printf '%13s%s' '' '--create-missing creates it)')"
sid=$(screen | sed -n 's/.*hubassoc export \([0-9a-f-]*\) .*/\1/p' | head -n 1)
# A word longer than what is left of its line, the journal's path, goes
# whole to the next (before: cut where the terminal's edge fell).
like "the journal's path starts a line of its own" "$(screen)" "$(printf '\n  %s/hubassoc/sessions/%s' "$XDG_STATE_HOME" "$sid")"
tui_kill
# show on a terminal wraps its long lines as well; piped, they stay whole.
cmd=$(printf '%q ' "$HUBASSOC" show "$sid")
tui_server
TM new-session -d -s t -x 80 -y 40 "$cmd; echo \"[exited \$?]\"; sleep 600"
shows "show, on a terminal" "[exited 0]" 20 || exit 1
like "its error line wrapped under its value" "$(screen)" "$(printf '%10s%s' '' '--create-missing creates it)  (lines 1 2)')"
like "piped, whole" "$("$HUBASSOC" show "$sid")" "leaves it alone (relabel --create-missing creates it)  (lines 1 2)"
tui_kill
# What the program says of itself wraps too, under its text (before: cut
# by the terminal's edge, "200 rows un" / "confirmed").
cmd=$(printf '%q ' "$HUBASSOC" retry "$sid" --dry-run --base-url "$SB")
tui_server
TM new-session -d -s t -x 80 -y 40 "$cmd; echo \"[exited \$?]\"; sleep 600"
shows "retry --dry-run, on a terminal" "[exited" 20 || exit 1
like "its line wrapped at a word, under its text" "$(screen)" "$(printf '\n  failed, 0 not_sent) in 1 request')"
n=$(screen | grep -c '^ *eaves it alone')
is "its rows too (before: 'a relabel l' / 'eaves it alone')" "$n" 0
tui_kill
# A relabel declined in a terminal, then resumed piped: its pairs are read
# again, and its plan names the labels and its session's send (before:
# the first read's plan, by ID, "session new").
pair=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" |
	jq -r '[.results[] | select(any(.types[]; .typeId == 36))][0] | "\(.from),\(.to)"')
printf '%s\n' "$pair" > "$T_TMP/one36.csv"
cmd=$(printf '%q ' "$HUBASSOC" relabel contacts companies --type 44 --replace 36 \
	--input "$T_TMP/one36.csv" --base-url "$SB" --no-progress)
tui_server
TM new-session -d -s t -x 100 -y 40 "$cmd; echo \"[exited \$?]\"; sleep 600"
shows "a relabel asks, in a terminal" "[y/N]" 20 || exit 1
keys n Enter
shows "declined" "[exited 2]" 20 || exit 1
rsid=$(screen | tr -s ' \n' ' ' | sed -n 's/.*session \([0-9a-f-]*\): nothing was sent.*/\1/p')
tui_kill
"$HUBASSOC" resume "$rsid" --base-url "$SB" --yes --no-progress 2> "$T_TMP/resumed"
is "resumed: exit 0" "$?" 0
like "its pairs read again" "$(cat "$T_TMP/resumed")" "  read       1 request"
like "its labels named" "$(cat "$T_TMP/resumed")" "relabels Billing contact → Entscheidungsträger"
like "its session's send, asked again" "$(cat "$T_TMP/resumed")" "session    $rsid, send 1, asked again"
done_testing
