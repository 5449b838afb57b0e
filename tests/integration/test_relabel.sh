#!/usr/bin/env bash
# relabel against the sandbox: the plan read and asked; the new label
# given and the replaced ones gone whichever way the portal treats a
# create that names labels (replaced, or added: --labels-add); pairs not
# there left alone or created; verify; undo to the exact store; kill -9
# at any point, then resume.
. "$(dirname "$0")/sandbox_lib.sh"

session_id() { jq -r .id < <(head -n 1 "$(journal_of)"); }
logged() { grep -c "\"path\":\"[^\"]*$2\"" "$1"; }

for mode in replace add; do
	sw=""
	[ "$mode" = add ] && sw=--labels-add
	sb_start $sw --log "$T_TMP/$mode.log" || { not_ok "sandbox starts"; done_testing; exit 1; }
	rm -rf "$XDG_STATE_HOME"
	demo_pairs
	all=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies")
	# A pair labeled Billing contact (36) with its Primary, and a pair
	# with no label of another contact.
	read -r LC LO < <(jq -r '[.results[] | select(any(.types[]; .typeId == 36) and any(.types[]; .typeId == 1))][0] | "\(.from) \(.to)"' <<< "$all")
	read -r UC UO < <(jq -r --arg c "$LC" '[.results[] | select(.from != $c and ([.types[].typeId] | sort) == [1, 279])][0] | "\(.from) \(.to)"' <<< "$all")
	printf '%s,%s\n%s,%s\n%s,%s\n' "$LC" "$LO" "$UC" "$UO" "$UC" "$OTHER" > "$T_TMP/rl.csv"
	before=$(portal_state contacts companies)

	ha relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace "Billing contact" --dry-run
	# A row it would fail makes its exit status the send's (before: 0).
	is "$mode: dry run: exit 1, as the send's (a row has no pair)" "$RC" 1
	like "$mode: dry run: says which fail" "$ERR" "dry run: nothing was written; 1 row would fail as NO_PAIR"
	like "$mode: dry run: the classes" "$ERR" "classes    1 relabel, 1 add labels, 1 no pair"
	# What it replaces, in the plan (before: unsaid until show).
	like "$mode: dry run: what it replaces" "$ERR" "replaces   USER_DEFINED:36 (contact to company, Billing contact)"
	# Its last step counted too (before: the cost line's creates and
	# reads only, the labels' reading again and archive unsaid).
	like "$mode: dry run: the last step's requests" "$ERR" "then       up to 1 read and 1 archive: the replaced labels read again and taken off where still on (batch/labels/archive)"
	like "$mode: dry run: relabels X -> Y, keeping the rest" "$ERR" "line 1: relabels Billing contact → Entscheidungsträger (keeps Primary)"
	like "$mode: dry run: adds where there is nothing to replace" "$ERR" "line 2: adds Entscheidungsträger (keeps Primary)"
	like "$mode: dry run: no pair, failed as NO_PAIR, nothing written" "$ERR" "line 3: no pair: failed as NO_PAIR, nothing written (relabel --create-missing creates it)"
	is "$mode: dry run: nothing written" "$(logged "$T_TMP/$mode.log" batch/create)" 0

	ha relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace "Billing contact"
	is "$mode: no terminal and no --yes: exit 2" "$RC" 2
	like "$mode: no --yes: says how" "$ERR" "give --yes to relabel"
	is "$mode: no --yes: the portal unchanged" "$(portal_state contacts companies)" "$before"
	rm -rf "$XDG_STATE_HOME"

	ha relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace "Billing contact" --yes -o "$T_TMP/rl.jsonl" --no-progress
	is "$mode: relabel: exit 1 (a row had no pair)" "$RC" 1
	is "$mode: relabel: outcomes" "$(jq -r '"\(.outcome) \(.error.category // "")"' "$T_TMP/rl.jsonl" | tr '\n' '|')" "relabeled |relabeled |failed NO_PAIR|"
	# Its one failure has no pair: no retry offered, which would fail
	# alike; the error says what makes it.
	unlike "$mode: no retry offered for a row with no pair" "$ERR" "hubassoc retry"
	like "$mode: the error says what makes it" "$ERR" "(relabel --create-missing creates it)"
	is "$mode: the label replaced, the Primary kept" "$(types_between contacts companies "$LC" "$LO")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279 USER_DEFINED:44"
	is "$mode: its inverse too" "$(types_between companies contacts "$LO" "$LC")" "HUBSPOT_DEFINED:2 HUBSPOT_DEFINED:280 USER_DEFINED:45"
	is "$mode: the label added" "$(types_between contacts companies "$UC" "$UO")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279 USER_DEFINED:44"
	is "$mode: no pair made" "$(types_between contacts companies "$UC" "$OTHER")" ""
	if [ "$mode" = add ]; then
		is "add: the replaced label taken off after the create" "$(logged "$T_TMP/$mode.log" batch/labels/archive)" 1
	else
		is "replace: the portal took it already: nothing taken off" "$(logged "$T_TMP/$mode.log" batch/labels/archive)" 0
	fi
	S=$(session_id)
	is "$mode: journal: relabel, what it replaces" "$(head -n 1 "$(journal_of)" | jq -c '[.op, .replace]')" '["relabel",["USER_DEFINED:36"]]'
	like "$mode: show: what it replaced" "$("$HUBASSOC" show "$S")" "replaces   USER_DEFINED:36"
	is "$mode: history: the operation" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | .op')" relabel
	ha verify "$S"
	is "$mode: verify: exit 0" "$RC" 0
	like "$mode: verify: confirmed" "$ERR" "2 rows relabeled: 2 confirmed"
	# The old label back behind its back: verify says so.
	req POST "$V4/contacts/companies/batch/labels/archive" "$(create_body "$LC" "$LO" USER_DEFINED 44)"
	ha verify "$S" --format jsonl
	is "$mode: verify: the new label gone exits 1" "$RC" 1
	req POST "$V4/contacts/companies/batch/create" "$(create_body "$LC" "$LO" USER_DEFINED 44)"
	ha undo "$S" --yes
	is "$mode: undo: exit 0" "$RC" 0
	is "$mode: undo: the store as before" "$(portal_state contacts companies)" "$before"

	# Without --replace: added, the others kept; --replace all; and
	# --create-missing makes the pair that is not there.
	rm -rf "$XDG_STATE_HOME"
	ha relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --yes --create-missing --no-progress
	is "$mode: add and create missing: exit 0" "$RC" 0
	is "$mode: no --replace: both labels" "$(types_between contacts companies "$LC" "$LO")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279 USER_DEFINED:36 USER_DEFINED:44"
	is "$mode: --create-missing: the pair made" "$(types_between contacts companies "$UC" "$OTHER")" "HUBSPOT_DEFINED:279 USER_DEFINED:44"
	ha undo "$(session_id)" --yes
	is "$mode: its undo: the store as before" "$(portal_state contacts companies)" "$before"
	rm -rf "$XDG_STATE_HOME"
	ha relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace all --yes --no-progress
	is "$mode: --replace all: every label replaced" "$(types_between contacts companies "$LC" "$LO")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279 USER_DEFINED:44"
	ha undo "$(session_id)" --yes
	is "$mode: its undo: the store as before" "$(portal_state contacts companies)" "$before"
	sb_stop
done

"$HUBASSOC" relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace unlabeled --dry-run --sandbox 2> "$T_TMP/err"
is "--replace unlabeled: refused" "$?" 2
like "--replace unlabeled: why" "$(cat "$T_TMP/err")" "the unlabeled type cannot be replaced"
"$HUBASSOC" relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace all --replace 36 --dry-run --sandbox 2> "$T_TMP/err"
is "--replace all with a label: refused" "$?" 2
# A label replacing itself: refused, said (before: taken without a word).
"$HUBASSOC" relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace "Entscheidungsträger" --dry-run --sandbox 2> "$T_TMP/err"
is "--replace the label given: refused" "$?" 2
like "--replace the label given: why" "$(cat "$T_TMP/err")" "--replace: Entscheidungsträger is the label the pairs are given: it cannot replace itself"
"$HUBASSOC" relabel contacts companies --input "$T_TMP/rl.csv" --type 44 --replace "Entscheidungsträger;36" --dry-run --sandbox 2> "$T_TMP/err"
is "--replace the label given among others: refused" "$?" 2

# ---- the unlabel's requests: no larger than the sends'; a refusal -----------
# A portal that takes 20 inputs a request, relabeled --chunk 20: the old
# labels are taken off 20 a request (before: 40 in one, refused, and the
# summary said "complete" with the old label on every pair).
sb_start --open-portal --labels-add --max-inputs 20 --log "$T_TMP/small.log" || exit 1
rm -rf "$XDG_STATE_HOME"
open_pairs 40 700000 > "$T_TMP/small.csv"
ha create contacts companies -t 36 -i "$T_TMP/small.csv" --chunk 20 --no-preflight --no-progress
ha relabel contacts companies -i "$T_TMP/small.csv" -t 44 --replace 36 --chunk 20 --yes --no-progress
is "a portal of 20 inputs, --chunk 20: exit 0" "$RC" 0
is "the old labels taken off in requests of 20" "$(logged "$T_TMP/small.log" batch/labels/archive)" 2
is "every pair holds the new label, not the old" \
	"$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r '.results[] | "\(.from),\(.to) \([.types[].typeId] | sort | map(tostring) | join(";"))"' |
		sort | join - <(sort "$T_TMP/small.csv") | awk '{ print $2 }' | sort | uniq -c | tr -s ' ')" " 40 44;279"
# The same relabel again: every pair holds it; nothing to write, so
# nothing asked and no undo offered (before: "Relabel 0 pairs on ...?",
# a cost of 0 creates, an undo of nothing, and "take the replaced labels
# off" of none).
creates_before=$(logged "$T_TMP/small.log" batch/create)
{ cat "$T_TMP/small.csv"; echo "x,1"; } > "$T_TMP/again.csv"
ha relabel contacts companies -i "$T_TMP/again.csv" -t 44 --replace 36 --chunk 20 --yes --no-progress --skip-invalid
is "relabel again: exit 1 (its invalid row)" "$RC" 1
like "relabel again: nothing to write, said" "$ERR" "as is      40 pairs: each holds what it asks, or is no pair: nothing to write"
unlike "relabel again: no question of 0 pairs" "$ERR" "Relabel 0"
unlike "relabel again: no relabel line of 0" "$ERR" "relabel    0"
unlike "relabel again: no undo of nothing" "$ERR" "undo       hubassoc undo"
unlike "relabel again: no labels taken off" "$ERR" "take the replaced labels off"
is "relabel again: nothing written" "$(logged "$T_TMP/small.log" batch/create)" "$creates_before"
is "relabel again: journaled, every row unchanged" "$(jq -r 'select(.t == "end") | .counts.unchanged' "$(journal_of)")" 40
# history, narrow: the rows a relabel found as asked give way after the
# invalid ones, never before (before: first of the counts, "ROWS 41 DONE
# 0 FAILED 0 INVALID 1" with 40 unsaid).
before_invalid=""
for w in $(seq 60 2 200); do
	h=$(COLUMNS=$w "$HUBASSOC" history | head -n 1)
	case "$h" in *INVALID*) case "$h" in *UNCHANGED*) ;; *) before_invalid="$before_invalid $w";; esac;; esac
done
is "history: UNCHANGED never gives way before INVALID" "$before_invalid" ""
# Counts not 0 that gave way are named (before: nothing said of them).
like "history, narrow: the counts left out named" "$(COLUMNS=60 "$HUBASSOC" history 2>&1 > /dev/null)" "INVALID, UNCHANGED left out at this width (a wider terminal, or --format csv, has every column)"
unlike "history, wide: nothing left out" "$(COLUMNS=250 "$HUBASSOC" history 2>&1 > /dev/null)" "left out"
sb_stop
# The old labels' removal refused: the session is unfinished, says why and
# how to go on, as show does (before: "complete", nothing said, exit 3).
sb_start --open-portal --labels-add --fail-400-html 1 --fault-only labels/archive || exit 1
rm -rf "$XDG_STATE_HOME"
open_pairs 4 710000 > "$T_TMP/refused.csv"
ha create contacts companies -t 36 -i "$T_TMP/refused.csv" --no-preflight --no-progress
ha relabel contacts companies -i "$T_TMP/refused.csv" -t 44 --replace 36 --yes --no-progress
is "unlabel refused: exit 3 (an answer no retry mends)" "$RC" 3
like "unlabel refused: the session unfinished" "$ERR" ": unfinished"
like "unlabel refused: why" "$ERR" "stopped    session $(session_id): the relabel's unlabel stopped after 1 request: the portal refused to take the replaced labels off"
like "unlabel refused: how to go on" "$ERR" "resume     hubassoc resume $(session_id)"
like "unlabel refused: show agrees" "$("$HUBASSOC" show "$(session_id)")" "state      unfinished"
sb_stop
# The old label still on: its rows are not relabeled but failed, saying
# so, in the summary, show, history and the export, until resume takes it
# off (before: "relabeled 4", the old label on every pair).
sb_start --open-portal --labels-add --fail-400-html 1 --fault-only labels/archive --fault-count 1 || exit 1
rm -rf "$XDG_STATE_HOME"
open_pairs 4 720000 > "$T_TMP/kept.csv"
ha create contacts companies -t 36 -i "$T_TMP/kept.csv" --no-preflight --no-progress
ha relabel contacts companies -i "$T_TMP/kept.csv" -t 44 --replace 36 --yes --no-progress -o "$T_TMP/kept.jsonl"
S=$(session_id)
like "old label kept: none relabeled" "$ERR" "relabeled  0"
like "old label kept: the rows failed" "$ERR" "failed     4"
like "old label kept: why" "$ERR" "errors     4 rows: OLD_LABEL_KEPT: the new label is on, and the labels it replaces too: the portal refused to take the replaced labels off: HTTP 400"
is "old label kept: the export" "$(jq -r '"\(.outcome) \(.error.category)"' "$T_TMP/kept.jsonl" | sort | uniq -c | tr -s ' ')" " 4 failed OLD_LABEL_KEPT"
like "old label kept: show" "$("$HUBASSOC" show "$S")" "relabeled  0
failed     4"
is "old label kept: history" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | "\(.created) \(.failed) \(.state)"')" "0 4 unfinished"
is "old label kept: the portal holds both" "$(types_between contacts companies $(head -n 1 "$T_TMP/kept.csv" | tr , ' '))" "HUBSPOT_DEFINED:279 USER_DEFINED:36 USER_DEFINED:44"
# A retry not agreed to (no terminal, no --yes) sends nothing and leaves
# the rows as they stood (before: pending, their errors gone).
ha retry "$S" --no-progress
is "old label kept: a retry declined: exit 2" "$RC" 2
like "old label kept: a retry declined: said, as a command that works" "$ERR" "the plan was not agreed to; hubassoc retry $S --base-url $SB asks again"
like "old label kept: declined: show keeps the failures" "$("$HUBASSOC" show "$S")" "failed     4"
like "old label kept: declined: and their errors" "$("$HUBASSOC" show "$S")" "4 rows  OLD_LABEL_KEPT"
is "old label kept: declined: history" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | "\(.failed) \(.pending) \(.state)"')" "4 0 declined"
is "old label kept: declined: the export" "$("$HUBASSOC" export "$S" --format jsonl | jq -r '"\(.outcome) \(.error.category) \(.send)"' | sort | uniq -c | tr -s ' ')" " 4 failed OLD_LABEL_KEPT 1"
ha resume "$S" --yes --no-progress
is "old label kept: resume: exit 0" "$RC" 0
like "old label kept: resume: relabeled" "$ERR" "relabeled  4
  failed     0"
is "old label kept: resume: the old label gone" "$(types_between contacts companies $(head -n 1 "$T_TMP/kept.csv" | tr , ' '))" "HUBSPOT_DEFINED:279 USER_DEFINED:44"
like "old label kept: show after resume" "$("$HUBASSOC" show "$S")" "relabeled  4
failed     0"
is "old label kept: the export after resume" "$("$HUBASSOC" export "$S" --format jsonl | jq -r .outcome | sort | uniq -c | tr -s ' ')" " 4 relabeled"
sb_stop
# Undone before any resume: the label it added goes too, the portal as
# it was (before: its rows failed, the undo left them).
sb_start --open-portal --labels-add --fail-400-html 1 --fault-only labels/archive --fault-count 1 || exit 1
rm -rf "$XDG_STATE_HOME"
open_pairs 4 730000 > "$T_TMP/kept.csv"
ha create contacts companies -t 36 -i "$T_TMP/kept.csv" --no-preflight --no-progress
before=$(portal_state contacts companies)
ha relabel contacts companies -i "$T_TMP/kept.csv" -t 44 --replace 36 --yes --no-progress
like "old label kept, undone: the rows failed" "$ERR" "failed     4"
S=$(session_id)
ha undo "$S" --yes
is "old label kept, undone: exit 0" "$RC" 0
is "old label kept, undone: the portal as it was" "$(portal_state contacts companies)" "$before"
like "old label kept, undone: show" "$("$HUBASSOC" show "$S")" "undone     4"
sb_stop
# Retried: the new label is on already, so no create goes again; the
# pairs are read and their old label taken off (before: the 4 creates
# sent again, and the question said "relabel 4" of what it only unlabels).
sb_start --open-portal --labels-add --fail-400-html 1 --fault-only labels/archive --fault-count 1 --log "$T_TMP/retry.log" || exit 1
rm -rf "$XDG_STATE_HOME"
open_pairs 4 740000 > "$T_TMP/kept.csv"
ha create contacts companies -t 36 -i "$T_TMP/kept.csv" --no-preflight --no-progress
ha relabel contacts companies -i "$T_TMP/kept.csv" -t 44 --replace 36 --yes --no-progress
like "old label kept, retried: the rows failed" "$ERR" "failed     4"
S=$(session_id)
: > "$T_TMP/retry.log"
# --dry-run first: what it would take, and nothing sent or written.
lines=$(wc -l < "$(journal_of)")
ha retry "$S" --dry-run
is "retry --dry-run: exit 0" "$RC" 0
like "retry --dry-run: what it would take" "$ERR" "send 2 would take 4 rows (4 failed, 0 not_sent) in 0 requests of up to 2000; nothing was sent"
like "retry --dry-run: the rows, with why" "$ERR" "  line 1     740000 > 1240000  failed  OLD_LABEL_KEPT: "
is "retry --dry-run: nothing asked of the portal" "$(grep -c . "$T_TMP/retry.log")" 0
is "retry --dry-run: nothing written to the journal" "$(wc -l < "$(journal_of)")" "$lines"
ha resume "$S" --dry-run
is "resume --dry-run: refused, exit 2" "$RC" 2
# It says where to look, and that a resume sends without asking (before:
# "a resume asks before it sends", which only a remove or relabel does).
like "resume --dry-run: where to see what it would send" "$ERR" "which hubassoc show SESSION lists"
ha retry "$S" --yes --no-progress
is "old label kept, retried: exit 0" "$RC" 0
like "old label kept, retried: the plan says so" "$ERR" "old label  4 pairs: the new label is on; the labels it replaces are read again and taken off (batch/labels/archive)"
unlike "old label kept, retried: no create planned" "$ERR" "relabel    4"
like "old label kept, retried: relabeled" "$ERR" "relabeled  4"
is "old label kept, retried: no create sent" "$(logged "$T_TMP/retry.log" batch/create)" 0
is "old label kept, retried: one read, one unlabel" "$(logged "$T_TMP/retry.log" batch/read) $(logged "$T_TMP/retry.log" batch/labels/archive)" "1 1"
is "old label kept, retried: the old label gone" "$(types_between contacts companies $(head -n 1 "$T_TMP/kept.csv" | tr , ' '))" "HUBSPOT_DEFINED:279 USER_DEFINED:44"
is "old label kept, retried: the export" "$("$HUBASSOC" export "$S" --format jsonl | jq -r '"\(.outcome) \(.send)"' | sort | uniq -c | tr -s ' ')" " 4 relabeled 2"
sb_stop

# ---- kill -9 at any moment, then resume ------------------------------------
# 300 pairs labeled 36 on a portal whose creates add labels, relabeled to
# 44, 10 a request, 3 at a time, 150 ms answers; killed, resumed: every
# pair holds 44 and not 36, no answered chunk sent again; undo puts them
# back.
# Round 4 relabels without --replace: 44 added, 36 kept.
# Round 5 is killed once its creates are answered, while it reads the
# pairs again before taking the old labels off: nothing is left to send,
# and resume still takes them off (before: "nothing left to send", the
# old label kept on every pair).
for round in 1 2 3 4 5; do
	rep=(--replace 36) want=" 300 44;279"
	[ "$round" = 4 ] && rep=() want=" 300 36;44;279"
	sb_start --open-portal --labels-add --latency 150 --log "$T_TMP/k$round.log" || exit 1
	rm -rf "$XDG_STATE_HOME"
	open_pairs 300 $((round * 100000)) > "$T_TMP/k.csv"
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 36 -i "$T_TMP/k.csv" \
		--base-url "$SB" --no-preflight --no-progress 2>/dev/null
	full=$(portal_state contacts companies)
	last=$(journal_of)
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" relabel contacts companies -i "$T_TMP/k.csv" -t 44 "${rep[@]}" --yes \
		--base-url "$SB" --chunk 10 --concurrency 3 --no-progress 2>/dev/null &
	pid=$!
	# Round 1 while it reads; 2 while it creates; 3 once it takes the old
	# labels off.
	for i in $(seq 1 500); do
		J=$(journal_of)
		if [ "$J" != "$last" ]; then
			[ "$round" = 1 ] && break
			[ "$round" = 2 ] || [ "$round" = 4 ] && grep -q '"t":"agreed"' "$J" && break
			[ "$round" = 3 ] && grep -q '"kind":"relabel","method":"POST","path":"[^"]*batch/labels/archive"' "$J" && break
			[ "$round" = 5 ] && grep -q '"kind":"relabel","method":"POST","path":"[^"]*batch/read"' "$J" && break
		fi
		sleep 0.01
	done
	[ "$round" = 2 ] || [ "$round" = 4 ] && sleep "0.$(( RANDOM % 10 ))"
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	J=$(journal_of)
	answered=$(jq -r 'select(.t == "answer" and .status >= 200 and .status < 300) | .req' "$J" | sort -n | tr '\n' ' ')
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" resume "$(basename "$J" .jsonl)" --yes --base-url "$SB" \
		--no-progress -o "$T_TMP/k.jsonl" 2> "$T_TMP/k.err"
	is "kill -9, round $round: resume exits 0" "$?" 0
	is "kill -9, round $round: every row relabeled" "$(grep -c '"outcome":"relabeled"' "$T_TMP/k.jsonl")" 300
	[ "$round" = 5 ] && like "kill -9, round 5: resume says what it does" "$(cat "$T_TMP/k.err")" \
		"its pairs read again for the labels it replaces"
	is "kill -9, round $round: every pair holds what was asked" \
		"$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r '.results[] | "\(.from),\(.to) \([.types[].typeId] | sort | map(tostring) | join(";"))"' |
			sort | join - <(sort "$T_TMP/k.csv") | awk '{ print $2 }' | sort | uniq -c | tr -s ' ')" \
		"$want"
	before_kill=$(jq -r --arg a " $answered" 'select(.t == "send" and (.kind // "") == "") | .req as $r | select($a | contains(" \($r) ")) | .rows[]' "$J" | sort)
	after=$(awk '/"t":"resume"/ { on = 1; next } on' "$J" | jq -r 'select(.t == "send" and (.kind // "") == "") | .rows[]' | sort)
	is "kill -9, round $round: no answered chunk sent again" "$(comm -12 <(printf '%s\n' "$before_kill") <(printf '%s\n' "$after") | grep -c .)" 0
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" undo "$(basename "$J" .jsonl)" --yes --base-url "$SB" 2>/dev/null
	is "kill -9, round $round: undo puts every label back" "$(portal_state contacts companies)" "$full"
	sb_stop
done

# A row naming a record the portal does not have (--check-ids reads it):
# failed as NO_RECORD before anything is written, with or without
# --create-missing (before: a create was sent for it, and refused).
sb_start --log "$T_TMP/norec.log" || exit 1
rm -rf "$XDG_STATE_HOME"
demo_pairs
printf '%s,%s\n%s,%s\n' "$PC" "$PO" 999999999 "$PO" > "$T_TMP/norec.csv"
ha relabel contacts companies -i "$T_TMP/norec.csv" -t 44 --check-ids --dry-run
is "no record: the dry run exits 1" "$RC" 1
like "no record: and says why" "$ERR" "1 row would fail as NO_RECORD"
like "no record: its class" "$ERR" "no record  1, line 2"
like "no record: not counted among the writes" "$ERR" "relabel    1, contacts to companies"
for cm in "" --create-missing; do
	rm -rf "$XDG_STATE_HOME"
	ha relabel contacts companies -i "$T_TMP/norec.csv" -t 44 --check-ids --yes --no-progress -o "$T_TMP/norec.jsonl" $cm
	is "no record ${cm:-plain}: exit 1" "$RC" 1
	is "no record ${cm:-plain}: its row failed as NO_RECORD" "$(jq -r 'select(.line == 2) | "\(.outcome) \(.error.category // "")"' "$T_TMP/norec.jsonl")" "failed NO_RECORD"
	is "no record ${cm:-plain}: its row never sent" "$(jq -r 'select(.path | contains("batch/create")) | .body' "$T_TMP/norec.log" | grep -c 999999999)" 0
done
sb_stop

# A row failed as NO_PAIR whose pair was made since: a retry reads it
# again and relabels it (before: failed as NO_PAIR again, unread).
sb_start --open-portal || exit 1
rm -rf "$XDG_STATE_HOME"
printf '1201,5201\n' > "$T_TMP/later.csv"
ha relabel contacts companies -i "$T_TMP/later.csv" -t 44 --yes --no-progress
is "no pair yet: exit 1" "$RC" 1
S=$(session_id)
req POST "$V4/contacts/companies/batch/create" "$(create_body 1201 5201 USER_DEFINED 36)" > /dev/null
ha retry "$S" --yes --no-progress
is "the pair made since: the retry exits 0" "$RC" 0
like "and reads it first" "$ERR" "classes    0 relabel, 1 add labels"
like "the pair relabeled, its label kept" "$(types_between contacts companies 1201 5201)" "USER_DEFINED:36 USER_DEFINED:44"
sb_stop

done_testing
