#!/usr/bin/env bash
# v shows a row whole, wrapped to the width there is: its pair, types,
# state, reason and HubSpot's error with its context and correlationId,
# which the lists cut.  Escape sequences from the server stay visible.
. "$(dirname "$0")/tui_lib.sh"

tui_start 80 24 --sandbox
wait_for "Paste pairs" || exit 1
commands "demo" "type 279"
shows "the demo's rows, planned (at 80 columns, without the asides)" "110 rows: 5 by key, 102 valid, 2 invalid, 1 duplicate" || exit 1
# An invalid pair, before any send: its reason whole.
keys /
typein "invalid"
keys Enter
shows "the demo's bad rows, filtered" "filter 'inva" || exit 1
keys v
shows "v on a pair: its line and state" "(Esc, q or v closes)" || exit 1
like "its reason, whole, wrapped" "$(screen)" "TO_ID separated by a comma, tab, semicolon or spaces"
keys Escape
wait_gone "(Esc, q or v closes)" || exit 1
keys /
keys C-u Enter
keys S
wait_for "[y/n]" || exit 1
keys y
shows "sent" "created 103  failed 2" 20 || exit 1
# Failures first, then the first of them whole.
keys s
shows "sorted" "failures first" || exit 1
keys v
shows "v on a result: the row whole" "HubSpot's error" || exit 1
like "its state, send and status" "$(screen)" "failed, send 1 of session"
like "HubSpot's message" "$(screen)" "One or more associations are invalid"
like "the correlationId the list has no room for" "$(screen)" "correlation"
# Its request's error names line 16's ID too: said so, where it read as
# this row's (found by a fresh-eyes try).
like "the error is the request's, said so" "$(screen | tr -s ' │\n' ' ')" "HubSpot's error (the request's: it names other rows too)"
# The context is longer than a line at 80 columns: wrapped, not cut.
ctx=$(screen | grep -A1 "INVALID_OBJECT_IDS" | tr -s ' │' ' ')
like "the context wraps onto a second line" "$ctx" "COMPANY="
unlike "and no line of it is cut" "$(screen | grep -E 'context|correlation')" "…"
keys v
wait_gone "HubSpot's error" || exit 1
# Shorter than the row: the box says how much more there is, and j
# scrolls it a line at a time, down to the correlationId (before: cut at
# the box's end, with no sign and no scrolling).
resize 80 20
sleep 0.3
keys v
shows "a detail taller than the box says so" "more lines below: j or Down scrolls" || exit 1
unlike "the correlationId is below" "$(screen)" "correlation "
first=$(screen | grep -c "│  line          13 ")
keys j
sleep 0.3
is "j scrolls a line at once: the first line goes" "$first $(screen | grep -c "│  line          13 ")" "1 0"
like "and the title says how many are above" "$(screen)" "(Esc, q or v closes)  1 above"
keys G
shows "to the end: the correlationId" "correlation " || exit 1
unlike "nothing more below" "$(screen)" "more lines below"
keys k
keys v
wait_gone "HubSpot's error" || exit 1
resize 80 24
sleep 0.3
# From the error tree: 3 on a result goes to its leaf.
keys 3
wait_for "- INVALID_OBJECT_IDS" || exit 1
# v on what is not a row says how to reach one, then goes once it does.
keys k v
shows "v on a message: how to reach a row" "v shows a row: unfold to one (Right)" || exit 1
keys j v
shows "v on an error leaf: the row whole" "HubSpot's error" || exit 1
unlike "the hint goes with it" "$(screen)" "unfold to one"
keys q
wait_gone "HubSpot's error" || exit 1
# The Inspector's answer wraps its long lines, as v's box does (before:
# cut at the edge: "COMPANY=..." of the context out of sight).
keys 4
wait_for " 400 " || exit 1
keys g
# The list's rows follow its column heading.
at=$(screen | awk '/REQ  CHUNK/ { h = NR; next } h && / 400 / { print NR - h; exit }')
for ((i = 1; i < at; i++)); do keys j; done
keys Enter a
shows "the 400's answer" "Answer: HTTP 400" || exit 1
wrapped=$(screen | grep -A1 '"INVALID_OBJECT_IDS"' | tr -d '\n')
like "its context's line wraps onto the next, to its end" "$wrapped" 'is not valid"],'
keys w
typein "$T_TMP/insp.txt"
keys Enter
shows "written" "wrote the request and its answer" || exit 1
like "the file has its lines whole" "$(grep '"INVALID_OBJECT_IDS"' "$T_TMP/insp.txt")" ' is not valid","COMPANY='
keys Escape 2
# A paste after the send: Results and Errors name the sent rows' lines
# with their source, as Pairs does (before: "13" there, "demo 1:13" in
# Pairs, until the next send).
printf '5,6\n' > "$T_TMP/later.txt"
paste_file "$T_TMP/later.txt"
shows "a paste after the send" "pasted 1 row" || exit 1
keys 2
shows "Results: each line by its source" "demo 1:13 " || exit 1
like "and whole, the widest too" "$(screen)" "demo 1:112 email:"
keys g v
shows "v: the same" "Line demo 1:13" || exit 1
tui_kill

# A hostile server's text in the detail: escapes shown, never obeyed.  A
# state of its own: the pairs above are not offered back.
export XDG_STATE_HOME="$T_TMP/state-hostile"
sb_start --open-portal --missing 3001 --hostile || exit 1
printf '3001,5001\n' > "$T_TMP/h.csv"
tui_start 100 30 --base-url "$SB"
shows "starts on the hostile portal" "budget" || exit 1
commands "load $T_TMP/h.csv" "from contacts" "to companies" "type 279"
wait_for "1 row" || exit 1
keys S
wait_for "[y/n]" || exit 1
keys y
wait_for "failed" 20 || exit 1
keys v
shows "the detail of the hostile answer" "HubSpot's error" || exit 1
like "its escapes are shown as text" "$(screen)" '\e'
done_testing
