#!/usr/bin/env bash
# A plan read before y: the send, undo and hold questions show every line
# of their plan whole, wrapped to the screen, at 80x24 and at 60x20, the
# question and its answer's keys last.
. "$(dirname "$0")/tui_lib.sh"

# The rows of the question: from the rule above it to the last row.
panel() { screen | sed -n '/^─\{20,\}/,$p' | tail -n +2; }

# S on :demo with Primary: every kind of line a plan has.
for size in "80 24" "60 20"; do
	set -- $size
	rm -rf "$XDG_STATE_HOME"
	mkdir -p "$XDG_STATE_HOME"
	tui_start "$1" "$2" --sandbox
	wait_for "Paste pairs" || exit 1
	commands "demo" "type Primary"
	wait_for "100 valid" || exit 1
	# Pairs counts the conflicts apart, as the plan does (before: with
	# the invalid, 12 here and 4 and 8 there).
	like "$1x$2: Pairs counts the conflicts apart" "$(row 4)" "2 invalid, 2 conflicts, 1 duplicate"
	keys S
	shows "$1x$2: S asks, the plan above" "[y/n]" 20 || exit 1
	p=$(panel)
	# (At 60x20 the question covers it.)
	[ "$1" = 80 ] && like "$1x$2: ... as the plan does, once the keys are looked up" "$(row 4)" "4 invalid, 8 conflicts, 1 duplicate"
	like "$1x$2: the pairs and requests" "$p" "pairs      97, contacts to companies, in 1 request of up"
	like "$1x$2: the portal" "$p" "portal     http://127.0.0.1:"
	like "$1x$2: a new session" "$p" "session    new: "
	# Line 13 names no record: HubSpot's read answers it as one with
	# none, so it reads as new (and the create fails on it).
	like "$1x$2: each class counted" "$p" "classes    26 new, 71 moves primary"
	like "$1x$2: the first Primary moved, by its line" "$p" "moves      71 move a Primary: line 5: moves the Primary of"
	like "$1x$2: the invalid, the first whole" "$p" "invalid    4 left out: line 14: '217163647' has one field;"
	is "$1x$2: long lines wrapped under their value" "$(printf '%s\n' "$p" | grep -c '^           [a-z0-9]' | awk '{ print ($1 >= 2) }')" 1
	like "$1x$2: the conflicts" "$p" "conflicts  8 left out: line 2: gives contact"
	like "$1x$2: the duplicate" "$p" "duplicate  1 sent once"
	like "$1x$2: the question last" "$(row "$2")" "Send 97 pairs to http://127.0.0.1:"
	like "$1x$2: its answer's keys in sight" "$(row "$2")" "? [y/n]"
	unlike "$1x$2: nothing cut" "$p" "…"
	widest=$(screen | widths | sort -n | tail -n 1)
	[ "$widest" -le "$1" ] && ok "$1x$2: every line fits" || not_ok "$1x$2: every line fits" "widest: $widest"
	keys y
	shows "$1x$2: y sends" "complete: 96 created" 20 || exit 1
	# The undo's question, as whole.
	commands "undo"
	shows "$1x$2: :undo asks" "Undo session " 20 || exit 1
	p=$(panel)
	like "$1x$2: undo: what it archives" "$p" "archive    96 pairs the session made"
	like "$1x$2: undo: the Primaries it gives back" "$p" "restore    71 pairs as they were (71 Primary"
	like "$1x$2: undo: what it leaves alone" "$p" "untouched  14 rows the session did not create"
	like "$1x$2: undo: the question last" "$(screen | tail -n 2)" "http://127.0.0.1:"
	like "$1x$2: undo: its answer's keys in sight" "$(row "$2")" "? [y/n]"
	unlike "$1x$2: undo: nothing cut" "$p" "…"
	keys n
	tui_kill
done

# The hold's question at 60x20: the cause whole, what is kept back.
missing=$(seq 3001 3040 | paste -sd, -)
sb_start --open-portal --missing "$missing" || exit 1
for i in $(seq 1 40); do echo "$((3000 + i)),$((5000 + i))"; done > "$T_TMP/lost.csv"
tui_start 60 20 --base-url "$SB" --chunk 2
wait_for "0 rows" || exit 1
commands "load $T_TMP/lost.csv" "from contacts" "to companies" "type 279"
wait_for "40 rows" || exit 1
keys S
wait_for "[y/n]" || exit 1
keys y
shows "the hold asks" "The first 6 rows all failed alike" 20 || exit 1
p=$(panel)
like "the hold: the cause, wrapped whole" "$p" "failed     6 rows, every one with VALIDATION_ERROR: One or"
like "the hold: the rows kept back" "$p" "waiting    34 rows, none sent yet"
like "the hold: what n does" "$p" "n          sends none: they stay not_sent (stopped at the"
like "the hold: the question last" "$(row 20)" "send the other 34? [y/n]"
unlike "the hold: nothing cut" "$p" "…"
keys n
shows "n stops" "not_sent 34" 20 || exit 1
done_testing
