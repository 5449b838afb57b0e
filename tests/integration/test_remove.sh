#!/usr/bin/env bash
# remove against the sandbox: the plan read before anything is written,
# asked; whole pairs (batch/archive) and single types (batch/labels/
# archive); verify after; undo puts the exact store back; kill -9 at any
# point, then resume, ends as if nothing had stopped.
. "$(dirname "$0")/sandbox_lib.sh"

archives() { grep -c "\"path\":\"[^\"]*$2\"" "$1"; }
session_id() { jq -r .id < <(head -n 1 "$(journal_of)"); }

sb_start --log "$T_TMP/rm.log" || { not_ok "sandbox starts"; done_testing; exit 1; }
demo_pairs
all=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies")
# A pair with a Primary and a label (Billing contact), and one with a
# Primary alone, of another contact.
read -r LC LO < <(jq -r '[.results[] | select(any(.types[]; .typeId == 36) and any(.types[]; .typeId == 1))][0] | "\(.from) \(.to)"' <<< "$all")
read -r PC2 PO2 < <(jq -r --arg c "$LC" '[.results[] | select(.from != $c and ([.types[].typeId] | sort) == [1, 279])][0] | "\(.from) \(.to)"' <<< "$all")
LC_TYPES=$(types_between contacts companies "$LC" "$LO")
[ -n "$LC" ] && [ -n "$PC2" ] || { not_ok "the demo portal has a labeled pair and a Primary pair"; done_testing; exit 1; }
# Line 3 names a pair that is not there.
printf 'contact,company\n%s,%s\n%s,%s\n%s,%s\n' "$LC" "$LO" "$PC2" "$PO2" "$PC2" "$OTHER" > "$T_TMP/rm.csv"
before=$(portal_state contacts companies)

# ---- the plan, read before anything is written -------------------------
ha remove contacts companies --input "$T_TMP/rm.csv" --dry-run
is "dry run: exit 0" "$RC" 0
like "dry run: the classes" "$ERR" "classes    1 not there, 2 remove the pair"
like "dry run: a pair and its labels" "$ERR" "line 2: removes the pair (and its labels Primary, Billing contact)"
like "dry run: the Primary it takes" "$ERR" "leaves contact $LC without a Primary company"
like "dry run: the pair not there" "$ERR" "line 4: not there: no such pair, nothing to do"
like "dry run: the endpoint" "$ERR" "(batch/archive)"
like "dry run: the cost, as a create's plan says it" "$ERR" "cost       1 archive + 1 read: about"
# Two requests of a 100/10s window use 2% of it (before: "100% used" of any
# send shorter than the window).
like "dry run: the budget's share, of the window it runs in" "$ERR" "at 100/10s (2% used)"
like "dry run: says nothing was written" "$ERR" "remove: dry run: nothing was written"
is "dry run: no session kept" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions 2>/dev/null | grep -c .)" 0
is "dry run: nothing written" "$(archives "$T_TMP/rm.log" batch/archive)" 0

ha remove contacts companies --input "$T_TMP/rm.csv"
is "no terminal and no --yes: exit 2" "$RC" 2
like "no --yes: says how" "$ERR" "give --yes to remove, or --dry-run to see the plan"
is "no --yes: nothing written" "$(archives "$T_TMP/rm.log" batch/archive)" 0
is "no --yes: the portal unchanged" "$(portal_state contacts companies)" "$before"
# Refused before anything is read or kept (before: a session read, asked
# of nobody, and left "declined").
is "no --yes: no session kept" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions 2>/dev/null | grep -c .)" 0
rm -rf "$XDG_STATE_HOME"

ha remove contacts companies --input "$T_TMP/rm.csv" --yes -o "$T_TMP/rm.jsonl" --no-progress
is "remove --yes: exit 0" "$RC" 0
# The cost is said once, in the plan (before: again as it started).
is "remove: the cost said once" "$(grep -c '^  cost       ' <<< "$ERR")" 1
# Its undo's command line goes where the remove went (before: without
# --base-url, refused when copied).
like "remove: the undo, as a command that works" "$(tr -s ' \n' ' ' <<< "$ERR")" "hubassoc undo $(jq -r .id < <(head -n 1 "$(journal_of)")) --base-url $SB puts back what was removed"
# Line 4's pair is not there: nothing is sent for it, and it reads so.
like "remove: the summary" "$ERR" "complete
  removed    2
  unchanged  1
  failed     0"
is "remove: the pairs removed, the one not there unchanged" "$(jq -r .outcome "$T_TMP/rm.jsonl" | tr '\n' ' ')" "removed removed unchanged "
is "remove: one archive request" "$(archives "$T_TMP/rm.log" batch/archive)" 1
is "remove: its body, 'to' an array" "$(jq -c 'select(.path | endswith("batch/archive")) | .body.inputs[0]' "$T_TMP/rm.log")" \
	"{\"from\":{\"id\":\"$LC\"},\"to\":[{\"id\":\"$LO\"}]}"
is "remove: the pairs gone, both directions" "$(types_between contacts companies "$LC" "$LO")|$(types_between companies contacts "$LO" "$LC")|$(types_between contacts companies "$PC2" "$PO2")" "||"
is "remove: nothing else changed" "$(portal_state contacts companies | grep -v -e " $LC $LO " -e " $LO $LC " -e " $PC2 $PO2 " -e " $PO2 $PC2 ")" \
	"$(printf '%s\n' "$before" | grep -v -e " $LC $LO " -e " $LO $LC " -e " $PC2 $PO2 " -e " $PO2 $PC2 ")"
S=$(session_id)
is "journal: the operation" "$(head -n 1 "$(journal_of)" | jq -r '"\(.op) \(.v)"')" "remove 4"
is "journal: agreed before the archive" "$(jq -r 'select(.t == "agreed" or (.t == "send" and (.kind // "") == "")) | .t' "$(journal_of)" | head -n 2 | tr '\n' ' ')" "agreed send "
like "show: the operation" "$("$HUBASSOC" show "$S")" "operation  remove (batch/archive)"
like "show: the preflight's classes" "$("$HUBASSOC" show "$S")" "preflight  1 not there, 2 remove the pair"
like "show: removed" "$("$HUBASSOC" show "$S")" "removed    2"
like "show: unchanged" "$("$HUBASSOC" show "$S")" "unchanged  1"
is "history: the operation" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | "\(.op) \(.created) \(.unchanged)"')" "remove 2 1"
# Where it went, for a script that tells a sandbox from production
# (before: in show only).
is "history --format jsonl: the portal" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | .portal')" "$SB"
is "history --format csv: the portal, after unchanged" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format csv | awk -F, -v s="$S" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "portal") c = i; if ($(c - 1) == "unchanged") print $c } $1 == s { print $c }' | tr '\n' ' ')" "portal $SB "
# The rows it removed as done, the table's DONE (before: under created
# alone, a create's word).
is "history --format jsonl: done" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | .done')" 2
# Columns added go last, so that a script reading by place reads on.
is "history --format csv: done, then edited, last" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format csv | awk -F, -v s="$S" 'NR == 1 { print $(NF - 1), $NF } $1 == s { print $(NF - 1), $NF }' | tr '\n' ' ')" "done edited 2 0 "
like "history's table: an OP column" "$(COLUMNS=200 "$HUBASSOC" history)" "OP"
unlike "history's table: every session to one portal, no PORTAL column" "$(COLUMNS=200 "$HUBASSOC" history | head -n 1)" "PORTAL"
# Its rows removed count as DONE (before: CREATED 2 for a remove).
hrow=$(COLUMNS=200 "$HUBASSOC" history | awk -v id="$S" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "OP") o = i; if ($i == "DONE") d = i } } $1 == id { print $o, $d }')
is "history's table: the remove's rows removed, as DONE" "$hrow" "remove 2"
# The pair not there is UNCHANGED, so that the counts add up to ROWS
# (before: in no column of the table).
sum=$("$HUBASSOC" history | awk -v id="$S" 'NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i } $1 == id { for (i = 1; i <= NF; i++) { if (h[i] == "ROWS") r = $i; else if (h[i] ~ /^(DONE|FAILED|INVALID|DUP|NOT_SENT|PENDING|UNCONFIRMED|UNDONE|UNCHANGED)$/) t += $i } print r, t }')
is "history's table: the counts add up to ROWS" "$sum" "3 3"
unlike "history's table: no CREATED heading" "$(COLUMNS=200 "$HUBASSOC" history | head -n 1)" "CREATED"
is "export: removed, unchanged" "$("$HUBASSOC" export "$S" | jq -r .outcome | sort -u | tr '\n' ' ')" "removed unchanged "
# What each pair held, as the preflight read it: what the remove took off
# (before: no types, and an export could not say).
is "export: a removed pair's types, what it held" "$("$HUBASSOC" export "$S" | jq -r 'select(.line == 2) | .types | sort | join(" ")')" "$LC_TYPES"
is "export --format csv: the same, ';'-joined" "$("$HUBASSOC" export "$S" --format csv | awk -F, 'NR == 3 { print $4 }' | tr ';' '\n' | grep -c ':1$')" 1
is "export: the pair not there, none" "$("$HUBASSOC" export "$S" | jq -c 'select(.outcome == "unchanged") | .types')" "[]"
is "remove -o: the same types" "$(jq -c 'select(.line == 2) | .types' "$T_TMP/rm.jsonl")" "$("$HUBASSOC" export "$S" | jq -c 'select(.line == 2) | .types')"

ha verify "$S"
is "verify: exit 0" "$RC" 0
like "verify: gone" "$ERR" "2 rows removed: 2 gone, 0 still there"
# A pair put back behind its back: still there.
req POST "$V4/contacts/companies/batch/create" "$(create_body "$PC2" "$PO2" HUBSPOT_DEFINED 279)"
ha verify "$S" --format jsonl
is "verify: a pair back exits 1" "$RC" 1
is "verify: that one still there" "$(printf '%s\n' "$OUT" | jq -r 'select(.verify != "confirmed") | "\(.from) \(.verify) \(.holds)"')" "$PC2 still_there HUBSPOT_DEFINED:279"
req POST "$V4/contacts/companies/batch/archive" "{\"inputs\":[{\"from\":{\"id\":\"$PC2\"},\"to\":[{\"id\":\"$PO2\"}]}]}"

ha undo "$S" --yes
is "undo: exit 0" "$RC" 0
like "undo: the plan" "$ERR" "restore    2 pairs as they were"
is "undo: the store as before, labels and Primary included" "$(portal_state contacts companies)" "$before"
ha verify "$S"
like "verify after undo: it holds" "$ERR" "2 rows undone: the undo holds for 2"

# ---- a record the portal lacks (--check-ids) ------------------------------
# Failed as NO_RECORD, nothing sent for it, as a relabel's (before: sent
# in the archive and counted removed).
rm -rf "$XDG_STATE_HOME"
printf '%s,%s\n' 9999999991 "$LO" > "$T_TMP/norec.csv"
: > "$T_TMP/rm.log"
ha remove contacts companies --input "$T_TMP/norec.csv" --check-ids --yes --no-progress
like "no record: said in the plan" "$ERR" "no record  1, line 1: the portal has no contact 9999999991"
like "no record: failed, not removed" "$ERR" "removed    0
  failed     1"
like "no record: why" "$ERR" "NO_RECORD: the portal has no such record: no pair to remove"
is "no record: no archive sent" "$(archives "$T_TMP/rm.log" batch/archive)" 0
unlike "no record: no retry offered, which would fail it alike" "$ERR" "retry      hubassoc retry"

# ---- single types: batch/labels/archive -----------------------------------
rm -rf "$XDG_STATE_HOME"
printf '%s,%s\n' "$LC" "$LO" > "$T_TMP/lab.csv"
ha remove contacts companies --input "$T_TMP/lab.csv" --type "Billing contact" --dry-run
like "a label: removes it, keeps the others" "$ERR" "removes label Billing contact (keeps Primary)"
like "a label: the endpoint" "$ERR" "(batch/labels/archive)"
ha remove contacts companies --input "$T_TMP/lab.csv" --type unlabeled --dry-run
like "the unlabeled type: warned, every label goes" "$ERR" "the unlabeled type takes every label with it"
like "the unlabeled type: counted" "$ERR" "warning    1 takes the unlabeled type"
ha remove contacts companies --input "$T_TMP/lab.csv" --type "Billing contact" --yes --no-progress
is "remove a label: exit 0" "$RC" 0
is "remove a label: the pair keeps the rest" "$(types_between contacts companies "$LC" "$LO")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279"
is "remove a label: its inverse gone too" "$(types_between companies contacts "$LO" "$LC" | grep -c USER_DEFINED)" 0
is "remove a label: the request" "$(jq -c 'select(.path | endswith("batch/labels/archive")) | .body.inputs[0].types' "$T_TMP/rm.log")" \
	'[{"associationCategory":"USER_DEFINED","associationTypeId":36}]'
S=$(session_id)
is "journal: unlabel" "$(head -n 1 "$(journal_of)" | jq -r .op)" unlabel
ha verify "$S"
# The pair stays: its types are what went (before: "1 gone").
like "verify a label: the types gone" "$ERR" "1 row removed: 1 with the types gone, 0 still there"
ha undo "$S" --yes
is "undo a label: exit 0" "$RC" 0
# The pair kept its Primary: none is given back (before: "(1 Primary
# given back)" of the label alone).
like "undo a label: restores the label" "$ERR" "restore    1 pair as it was"
unlike "undo a label: no Primary given back" "$ERR" "Primary given back"
is "undo a label: the store as before" "$(portal_state contacts companies)" "$before"
sb_stop

# ---- kill -9 at any moment, then resume ------------------------------------
# 300 pairs of an open portal, removed 10 a request, 3 at a time, with
# 150 ms answers; killed somewhere, resumed: every pair gone, no answered
# chunk sent again, and undo puts all 300 back.
for round in 1 2 3 4; do
	sb_start --open-portal --latency 150 --log "$T_TMP/k$round.log" || exit 1
	rm -rf "$XDG_STATE_HOME"
	open_pairs 300 $((round * 100000)) > "$T_TMP/k.csv"
	# Round 4 takes a label off (batch/labels/archive), the others the pairs.
	ty=279 only=()
	[ "$round" = 4 ] && ty=36 only=(--type 36)
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t $ty -i "$T_TMP/k.csv" \
		--base-url "$SB" --no-preflight --no-progress 2>/dev/null
	full=$(portal_state contacts companies)
	last=$(journal_of)
	: > "$T_TMP/k$round.log"
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" remove contacts companies -i "$T_TMP/k.csv" --yes "${only[@]}" \
		--base-url "$SB" --chunk 10 --concurrency 3 --no-progress 2>/dev/null &
	pid=$!
	# Round 1: as soon as its journal is there (reading, before the plan
	# is agreed); the others while it archives, somewhere in about 1.5 s.
	for i in $(seq 1 300); do
		J=$(journal_of)
		if [ "$J" != "$last" ]; then
			[ "$round" = 1 ] && break
			grep -q '"t":"agreed"' "$J" && break
		fi
		sleep 0.01
	done
	[ "$round" = 1 ] || sleep "0.$(( RANDOM % 10 ))"
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	J=$(journal_of)
	if [ "$J" = "$last" ]; then
		is "kill -9, round $round: killed before its journal, nothing archived" "$(archives "$T_TMP/k$round.log" archive)" 0
		HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" remove contacts companies -i "$T_TMP/k.csv" --yes "${only[@]}" \
			--base-url "$SB" --chunk 10 --concurrency 3 --no-progress 2>/dev/null
		J=$(journal_of)
	fi
	answered=$(jq -r 'select(.t == "answer" and .status >= 200 and .status < 300) | .req' "$J" | sort -n | tr '\n' ' ')
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" resume "$(basename "$J" .jsonl)" --yes --base-url "$SB" \
		--no-progress -o "$T_TMP/k.jsonl" 2> "$T_TMP/k.err"
	is "kill -9, round $round: resume exits 0" "$?" 0
	is "kill -9, round $round: every row removed" "$(grep -c '"outcome":"removed"' "$T_TMP/k.jsonl")" 300
	if [ "$round" = 4 ]; then
		is "kill -9, round 4: every pair keeps its unlabeled type alone" \
			"$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r '.results[] | "\(.from),\(.to) \([.types[].typeId] | sort | map(tostring) | join(";"))"' |
				sort | join - <(sort "$T_TMP/k.csv") | awk '{ print $2 }' | sort | uniq -c | tr -s ' ')" " 300 279"
	else
		is "kill -9, round $round: the sandbox has none of them" "$(( 300 - $(missing_pairs "$T_TMP/k.csv" contacts companies) ))" 0
	fi
	before_kill=$(jq -r --arg a " $answered" 'select(.t == "send" and (.kind // "") == "") | .req as $r | select($a | contains(" \($r) ")) | .rows[]' "$J" | sort)
	after=$(awk '/"t":"resume"/ { on = 1; next } on' "$J" | jq -r 'select(.t == "send" and (.kind // "") == "") | .rows[]' | sort)
	is "kill -9, round $round: no answered chunk sent again" "$(comm -12 <(printf '%s\n' "$before_kill") <(printf '%s\n' "$after") | grep -c .)" 0
	dup=$(jq -r 'select(.path | test("archive")) | .body.inputs[] | "\(.from.id),\(if (.to | type) == "array" then .to[0].id else .to.id end)"' "$T_TMP/k$round.log" | sort | uniq -d | wc -l)
	is "kill -9, round $round: no pair archived twice" "$dup" 0
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" undo "$(basename "$J" .jsonl)" --yes --base-url "$SB" 2>/dev/null
	is "kill -9, round $round: undo puts all back" "$(portal_state contacts companies)" "$full"
	sb_stop
done

done_testing
