#!/usr/bin/env bash
# One core, two faces: the same keyed pairs sent from the command line and
# from the terminal leave journals of the same record kinds (keys, names,
# the preflight's requests and answers, the pre-state, the creates and
# their answers, the outcomes, the end).
. "$(dirname "$0")/tui_lib.sh"

sb_start || exit 1
# A record's key (email, domain), as the portal has it.
key_of() { # TYPE PROPERTY ID
	curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		"$SB/crm/v3/objects/$1/batch/read" \
		-d "{\"inputs\":[{\"id\":\"$3\"}],\"properties\":[\"$2\"]}" |
		jq -r --arg p "$2" '.results[0].properties[$p]'
}
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
# Pairs by ID, and one by email and domain.
{
	for i in 3 4 5; do echo "${C[$i]},${O[$((i + 10))]}"; done
	echo "$(key_of contacts email "${C[7]}"),$(key_of companies domain "${O[20]}")"
} > "$T_TMP/pairs.csv"

# The kinds of records a send leaves (a terminal's journal holds its
# working set too: its pairs and the direction chosen).
kinds() { jq -r .t "$1" | grep -vx 'pairs\|choice' | sort -u | tr '\n' ' '; }

export XDG_STATE_HOME=$T_TMP/cli
"$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/pairs.csv" --base-url "$SB" \
	--no-progress 2> "$T_TMP/cli.err"
is "the command line sends them" "$?" 0
CLI=$(journal_of)

export XDG_STATE_HOME=$T_TMP/tui
tui_start 80 24 --base-url "$SB"
shows "starts" "budget" || exit 1
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "type 279" "load $T_TMP/pairs.csv"
wait_for "4 rows" || exit 1
keys S
wait_for "? [y/n]" || exit 1
keys y
shows "the terminal sends them" "complete: 4 created" 30 || exit 1
TUI=$(journal_of)
# Send 1 starts when S sent it, not when the pairs were first journaled
# (before: show gave it the draft's start).
sent_at=$(head -n 1 "$TUI" | jq -r '.sent_at // empty')
like "the session says when its first send began" "$sent_at" "T"
is "show: send 1's start is that" "$("$HUBASSOC" show "$(head -n 1 "$TUI" | jq -r .id)" --format json | jq -r '.sends[0].started')" "$sent_at"
is "the same record kinds in both journals" "$(kinds "$TUI")" "$(kinds "$CLI")"
like "among them the keys and names, the pre-state and the end" "$(kinds "$CLI")" "answer end keys names outcomes prestate rows send session"
is "the same kinds of requests" "$(jq -r 'select(.t == "send") | .kind // "create"' "$TUI" | sort -u | tr '\n' ' ')" \
	"$(jq -r 'select(.t == "send") | .kind // "create"' "$CLI" | sort -u | tr '\n' ' ')"
# The keys' lookups are journaled in both (before: in neither), first and
# numbered from 1, every request once.
reqs() { jq -r 'select(.t == "send") | "\(.req):\(.kind // "create")"' "$1" | tr '\n' ' '; }
is "the command line's lookups come first, from request 1" "$(reqs "$CLI" | cut -d' ' -f1-3)" "1:lookup 2:lookup 3:preflight"
is "the terminal's too" "$(reqs "$TUI" | cut -d' ' -f1-3)" "1:lookup 2:lookup 3:preflight"
is "each of the command line's requests answered" "$(jq -r 'select(.t == "answer") | .req' "$CLI" | sort -n | tr '\n' ' ')" \
	"$(jq -r 'select(.t == "send") | .req' "$CLI" | sort -n | tr '\n' ' ')"
# The session's next send looks a key up again: its lookups are numbered
# after the requests before them (they were held from 1).
LAST=$(jq -r 'select(.t == "send") | .req' "$TUI" | sort -n | tail -n 1)
echo "$(key_of contacts email "${C[8]}"),${O[21]}" > "$T_TMP/more.csv"
keys 1
commands "load $T_TMP/more.csv"
wait_for "5 rows" || exit 1
keys S
wait_for "? [y/n]" || exit 1
keys y
shows "the next send" "send 2: complete" 30 || exit 1
like "its lookup numbered after them" "$(reqs "$TUI")" " $((LAST + 1)):lookup $((LAST + 2)):preflight"
is "each request numbered once" "$(jq -r 'select(.t == "send") | .req' "$TUI" | sort -n | uniq -d | wc -l)" 0
tui_kill
sb_stop

# An undo stopped in the terminal is finished by hubassoc resume, as an
# undo the command line stopped is by r in the terminal (test_safety.sh).
export XDG_STATE_HOME=$T_TMP/undo
sb_start --latency 300 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
for i in $(seq 20 31); do echo "${C[$i]},${O[$((i % 12 + 40))]},279"; done > "$T_TMP/many.csv"
# A session of the twelve pairs sent from the command line, and its undo
# agreed to in the terminal, its first archive written (J, US; says "$1").
undo_begun() {
	"$HUBASSOC" create contacts companies --input "$T_TMP/many.csv" --base-url "$SB" \
		--no-progress --chunk 1 --concurrency 1 2> /dev/null
	is "$1" "$?" 0
	J=$(journal_of)
	US=$(jq -r .id < <(head -n 1 "$J"))
	tui_start 80 24 --base-url "$SB"
	shows "starts" "budget" || exit 1
	wait_gone "trying the token" || exit 1
	keys 5
	wait_for "$US" || exit 1
	keys u
	shows "u asks" "Undo session $US" 20 || exit 1
	keys y
	for i in $(seq 1 200); do
		[ "$(grep -c '"kind":"undo","method":"POST","path":"[^"]*batch/archive"' "$J")" -ge 1 ] && break
		sleep 0.05
	done
}

BEFORE=$(portal_state)
undo_begun "a session to undo"
keys C-c
shows "C-c stops the undo" "the undo stopped, " 20 || exit 1
# This terminal holds the session: r finishes it here (before: the
# command line's resume, refused while the terminal is open).
like "r in History finishes it" "$(screen | tail -n 3 | tr -s ' \n' ' ')" "undone so far: r in History finishes it"
is "stopped in the terminal: begun, not done" "$(jq -r 'select(.t == "undo" or .t == "undone") | .t' "$J" | tr '\n' ' ')" "undo "
# Opened, it says its undo is half done, its rows taken back undone
# (before: every row created, nothing said).
keys 5
wait_for "$US" || exit 1
keys Enter
shows "opened: the undo half done" "Session $US (read-only): undo half done (r in History)" || exit 1
taken=$("$HUBASSOC" show "$US" --format json | jq -r .counts.undone)
# (How many depends on the answers the C-c let in.)
if [ "$taken" -gt 0 ]; then
	like "its rows taken back, undone, as show counts them" "$(screen)" "undone $taken"
else
	unlike "none taken back: none undone" "$(screen)" "undone [1-9]"
fi
tui_kill
# export says its rows read as written until the undo is done (before:
# "created", nothing said, of pairs the undo had archived).
like "export: the undo interrupted, said" "$("$HUBASSOC" export "$US" 2>&1 > /dev/null | tr -s " \\n" " ")" "the undo of session $US was interrupted: the rows its answered writes took back read undone, the others as the session left them (a write in flight may have landed too); hubassoc resume $US --base-url $SB finishes it"
"$HUBASSOC" resume "$US" --yes --base-url "$SB" 2> "$T_TMP/resume.err"
is "hubassoc resume finishes it" "$?" 0
# What is left depends on whether the stopped undo's write landed.
like "saying what it did of the undo" "$(cat "$T_TMP/resume.err")" "undo $US"
is "the portal is as before the session" "$(portal_state)" "$BEFORE"
is "undone recorded" "$(jq -r 'select(.t == "undone") | .t' "$J")" undone

# q during an undo asks first, as during a send; yes stops it, exits 130
# and says the command that finishes it (before: quit at once, exit 0,
# the portal half put back unsaid).
undo_begun "another session to undo"
like "the header: undoing" "$(row 1)" " undoing  "
like "the status line too (before: 'the undo's reading...')" "$(screen | tail -n 1)" "session $US: undoing... (C-c stops it)"
keys q
shows "q asks first" "An undo is under way: stop it and quit?" || exit 1
keys y
shows "it quits" "[exited 130]" 20 || exit 1
like "saying the command that finishes it" "$(cat "$T_TMP/tui.err")" "the undo of session $US stopped as it quit: hubassoc resume $US --base-url $SB finishes it"
"$HUBASSOC" resume "$US" --yes --base-url "$SB" 2> /dev/null
is "that command finishes it" "$?" 0
is "the portal is as before that session" "$(portal_state)" "$BEFORE"
# Asked to stop it and quit, and the undo ends meanwhile: the question
# goes, and its end is said (before: asked on over an undo done).
undo_begun "a third session to undo"
keys q
shows "q asks first" "An undo is under way: stop it and quit?" || exit 1
shows "the undo ends: the question goes, said so" "the undo ended before the answer to quit (q quits)" 60 || exit 1
unlike "no question left" "$(screen)" "stop it and quit?"
keys q
shows "q then quits" "[exited 0]" 20 || exit 1
unlike "nothing left to finish" "$(cat "$T_TMP/tui.err")" "finishes it"
sb_stop
done_testing
