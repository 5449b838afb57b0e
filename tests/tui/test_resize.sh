#!/usr/bin/env bash
# The layout follows the terminal's size, while requests fly too, and says
# so plainly below the smallest size it can use.
. "$(dirname "$0")/tui_lib.sh"

sb_start --open-portal --latency 400 || exit 1
for ((i = 0; i < 6000; i++)); do echo "$((5000 + i)),$((9000 + i))"; done > "$T_TMP/pairs.txt"

# Every line of the screen fits in COLS display columns.
fits() {
	local widest
	widest=$(screen | widths | sort -n | tail -n 1)
	if [ "$widest" -le "$1" ]; then ok "$2"; else not_ok "$2" "widest line: $widest" "$(screen)"; fi
}

tui_start 100 30 --base-url "$SB" --chunk 500 --concurrency 4
shows "starts" "budget 99/100 left" || exit 1
paste_file "$T_TMP/pairs.txt"
wait_for "6,000 rows, 0 invalid" || exit 1
commands "from contacts" "to companies" "type 279"
shows "the command line sets the direction and type" "6,000 rows: 6,000 valid in 12 requests" || exit 1

# Mid-session: 12 requests, 4 in flight, 400 ms each.
keys S
wait_for "6,000, contacts to companies, in 12 requests" || exit 1
keys y
shows "sending shows a progress line" "C-c stops" || exit 1

resize 60 20
shows "60x20: the results follow" "created" || exit 1
# The progress line keeps what fits whole, the time left before the speed
# (before: cut at the edge, the time left first).
line=$(row 3)
case $line in
*" rows"*) unlike "60x20: the progress line, not cut" "$line" "…" ;;
*) ok "60x20: the send ended before the resize" ;;
esac
fits 60 "60x20: nothing runs past the edge"
unlike "60x20: '? help' is not cut, it shortens" "$(row 2)" "…"
like "60x20: the header is still there, short: the state, the portal, the budget" "$(row 1)" "  budget "
is "60x20: the screen is 20 rows" "$(screen | wc -l)" 20

resize 200 60
wait_for "not_sent 0" 30 || exit 1
shows "200x60: more rows show" "     50 5049" || exit 1
fits 200 "200x60: lines fit"
like "200x60: the tabs line" "$(row 2)" " 1 Pairs  2 Results  3 Errors  4 Inspector  5 History"
like "200x60: '? help' at the right edge" "$(row 2)" "? help"
# Results' counts, which stay: the status line's word goes after 8 s, which
# a loaded machine may take to get here.
shows "the session completed through the resizes" \
	"created 6,000  failed 0  invalid 0  duplicate 0  not_sent 0" 30

resize 40 10
shows "below the minimum: a clear message" "hubassoc needs 50x12;" || exit 1
like "with the size it has" "$(screen)" "this terminal is 40x10"
keys j
like "keys still work, the message stays" "$(screen)" "hubassoc needs 50x12"

resize 100 30
shows "back above it, the view returns" "created 6,000  failed 0" || exit 1
fits 100 "100x30: lines fit"

# The history at 80 columns: the state and the counts in use whole; counts
# 0 in every session go, then the others but ROWS, DONE and FAILED, the
# sends last, so that the direction shows whole (before: the sends stayed
# and a session with undone or pending rows cut the direction away).
resize 80 24
keys 5
shows "80x24: the history" "SESSION" || exit 1
# Columns as wide as their words: the sends stay (before: 11 columns
# for "complete", the sends dropped for room).
like "80x24: its counts in use, then the direction" "$(row 3)" "STATE     ROWS  DONE FAILED SENDS DIRECTION"
unlike "80x24: no count 0 everywhere" "$(row 3)" "UNDONE"
like "80x24: the session's direction, whole" "$(row 4)" "contacts>companies"
unlike "80x24: no profile cut to a stub (before: def…)" "$(row 4)" "…"
keys 2
resize 100 30
wait_for "created 6,000" || exit 1

# A modal picker at the smallest size.
resize 50 12
keys f
shows "a picker fits at 50x12" "contacts (0-1)" || exit 1
fits 50 "50x12: lines fit"
keys Escape
shows "Esc leaves the picker" "created 6,000" || exit 1
keys q
shows "quits" "[exited 0]"

# C-z suspends as job control expects: the terminal as the shell had it
# (no alternate screen, no mouse reports), the job stopped; after fg, the
# screen comes back at the size the terminal has by then.
tui_shell 100 30 --base-url "$SB"
shows "from a shell" "budget" || exit 1
commands "demo"
wait_for "demo:" || exit 1
keys C-z
shows "C-z stops the job" "Stopped" || exit 1
is "the process is stopped" "$(ps -o stat= -p "$TUI_PID" | cut -c1)" T
is "and the terminal is the shell's: no alternate screen, no mouse" \
	"$(TM display -p -t t '#{alternate_on} #{mouse_any_flag}')" "0 0"
resize 90 25
typein "fg"; keys Enter
shows "fg draws the screen again" "From ? (f)  to ? (t)" || exit 1
is "with the modes back on" "$(TM display -p -t t '#{alternate_on} #{mouse_any_flag}')" "1 1"
fits 90 "at the size it has now"
keys :
keys C-z
shows "C-z works from the command line too" "Stopped" || exit 1
typein "fg"; keys Enter
shows "and the line is still there" "From ? (f)" || exit 1
keys Escape
sleep 0.1
keys q
for i in $(seq 50); do kill -0 "$TUI_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$TUI_PID" 2>/dev/null && not_ok "quits to the shell" || ok "quits to the shell"
is "and leaves the terminal as it found it" \
	"$(TM display -p -t t '#{alternate_on} #{mouse_any_flag}')" "0 0"
done_testing
