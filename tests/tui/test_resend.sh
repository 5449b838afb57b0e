#!/usr/bin/env bash
# The loop the product exists for, in one session: send, fix a failed and
# an invalid row in place, R sends exactly those and the other failure as
# the session's send 2; Pairs then shows what the session holds, and S
# offers nothing it created.
. "$(dirname "$0")/tui_lib.sh"

tui_start 110 30 --sandbox
wait_for "Paste pairs" || exit 1
commands "demo" "from contacts" "to companies" "type 279"
shows "planned" "110 rows: 5 by key, looked up when sent, 102 valid in 1 request, 2 invalid, 1 duplicate" || exit 1
keys S
shows "S asks, the keys looked up" "Send 105 pairs to" || exit 1
keys y
shows "send 1: all but two created" "created 103  failed 2  invalid 4  duplicate 1  not_sent 0" 20 || exit 1
sid=$(screen | sed -n 's/.*session \([0-9a-f-]*\): complete.*/\1/p' | head -n 1)
[ -n "$sid" ] && ok "the session's ID is said" || not_ok "the session's ID is said" "$(screen)"

# Records of the built-in portal that no demo pair names: a sandbox of the
# same seed has the same portal.
sb_start || exit 1
ids=$(ids_of contacts)
new1=$(printf '%s\n' "$ids" | tail -n 1)
new2=$(printf '%s\n' "$ids" | tail -n 2 | head -n 1)
company=$(ids_of companies | head -n 1)
sb_stop
[ -n "$new1" ] && [ -n "$company" ] && ok "records to fix with" || not_ok "records to fix with"

# Line 13 failed (no such contact), line 17 is invalid (an O for a 0).
keys 1 g
# The counts say what the send made of the valid pairs, and what S has
# left to send (before: "105 valid in 1 request" beside 103 created).
shows "Pairs' counts after the send: created and to send" "110 rows: 105 valid (103 created, 2 to send), 4 invalid, 1 duplicate" || exit 1
for i in $(seq 11); do keys j; done
keys e
shows "e on line 13: the failed pair" "edit: " || exit 1
keys C-u
typein "$new1,$company"
keys Enter
shows "line 13 edited" "line 13 edited: the session's next send takes it" || exit 1
# Edited: the session's state for it, in Pairs and Results alike (before:
# "failed then, edited since the send" in Pairs, failed and its old IDs
# in Results).
like "it reads as edited, the next send's" "$(screen | grep '^ *13 ')" "edited    edited since its send; the next send takes it"
for i in $(seq 4); do keys j; done
keys e C-u
typein "$new2,$company"
keys Enter
shows "line 17 edited" "line 17 edited" || exit 1
like "it reads as edited since it was invalid (before: an empty REASON)" "$(screen | grep '^ *17 ')" "edited    edited since its send"
# The Errors tree follows (before: line 13 under its old error, its old
# IDs, until the next send; R on it sent the new pair).
keys 3
shows "Errors: the edited row is no error of the session's" "One or more associations are invalid  (1 row)" || exit 1
keys 1
# An edit into a pair another line has is no row of its own to send:
# refused (before: sent, and counted created twice).
keys g
for i in $(seq 14); do keys j; done
keys e C-u
typein "$(screen | awk '$1 == 2 { print $2 "," $3 }')"
keys Enter
shows "an edit into a repeat: refused" "the edit is not made: line 2 has that pair already" || exit 1
like "the row as it was" "$(screen | grep '^ *16 ')" "failed"

# A Results filter set now does not hide send 2's rows unseen.
keys 2 /
typein invalid
keys Enter
shows "a filter on send 1's results" "filter 'invalid'" || exit 1
keys 1
keys R
# "Again" of the failure alone: line 17 never left, and line 13 is
# another pair now (before: "3 pairs again", then "2 again").
shows "R: the two fixed and the other failure" "Send 3 pairs (1 again) to" || exit 1
like "R: as send 2 of the session" "$(screen)" "session    $sid, send 2"
like "R: the two fixed" "$(screen)" "fixed      2 since they failed or were invalid"
keys y
# Its own rows, then the session's (before: the session's alone).
shows "send 2 completes" "session $sid, send 2: complete: 2 created, 1 failed of its 3 rows" 20 || exit 1
like "then the session's counts" "$(screen | tail -n 3 | tr -s ' \n' ' ')" "; the session: 105 created, 1 failed"
like "Results show the session's states" "$(screen)" "created 105  failed 1  invalid 3  duplicate 1  not_sent 0"
unlike "the last session's filter is gone" "$(screen)" "filter 'invalid'"

# The inspector lists every request of the session, each with its send.
keys 4
shows "the inspector names each request's send" "SEND    REQ  CHUNK" || exit 1
# The demo's keys looked up first (before: not journaled), then the
# preflight, read before S asked.
like "send 1's lookups, journaled first" "$(screen)" "   1      1      -    1       -   200"
like "send 1's preflight, read before S asked, journaled next" "$(screen)" "   1      3      -    1       -   207"
# Each send reads the portal's limits (4, 5; 9, 10) before it creates.
like "send 1 reads the limits" "$(screen)" "   1      4      -    1       -   200"
like "send 1's request" "$(screen)" "   1      6      1    1     105"
like "send 2 looks first at the pairs fixed since (no pre-state yet)" "$(screen)" "   2      8      -    1       -   200"
like "and send 2's creates, numbered on" "$(screen)" "   2     11      1    1       3   400"
keys G Enter
shows "a request says its send" "send 2, chunk 1, attempt 1, 2 inputs" || exit 1
keys Escape
wait_for "SEND    REQ" || exit 1

# Pairs: every row as the session holds it now.
keys 1
wait_for "LINE FROM" || exit 1
keys g
for i in $(seq 11); do keys j; done
shows "the fixed row is created in Pairs" "     13 $new1" || exit 1
like "as created" "$(screen | grep "     13 $new1")" "created"
like "the other fixed row too" "$(screen | grep "     17 $new2")" "created"
like "the failure left stays failed" "$(screen | grep '     16 ')" "failed"
like "and the row never fixed stays invalid" "$(screen | grep '     14 ')" "invalid"

# S offers nothing the session created (nor the repeat of a created pair).
keys S
shows "S leaves out what the session created" "created    105 left out: created before" || exit 1
like "and the invalid" "$(screen)" "invalid    3 left out"
like "and the repeat of a created pair, not 'sent once'" "$(screen)" "repeats    1 left out: their pairs were sent before"
like "what the one left changes" "$(screen)" "classes    1 new"
like "and offers only the failure" "$(screen)" "Send 1 pair to"
resize 60 30
sleep 0.3
like "at 60 columns the question is whole, its answer last" "$(row 30)" "Send 1 pair to http://127.0.0.1:"
like "the answer's keys in sight" "$(row 30)" "? [y/n]"
like "and its plan above it, wrapped, not cut" "$(screen)" "created    105 left out: created before,"
unlike "nothing cut" "$(screen | tail -n 8)" "…"
resize 110 30
keys n
shows "not sent" "not sent" || exit 1
# A second S is the session's next send, not a new session (issue 22):
# the question names it, and the row that failed goes again in it.
keys S
shows "S asks again" "? [y/n]" 20 || exit 1
like "the session's next send" "$(screen)" "session    $sid, send 3"
keys y
shows "sent as send 3 of the session" "session $sid, send 3" 20 || exit 1
wait_for "failed 1" 20 || exit 1
# A failed pair deleted from the pairs is not sent again by R (before: R
# sent it, though S left it out).
keys 1 g
for i in $(seq 14); do keys j; done
keys d
shows "the failed pair deleted" "line 16 deleted" || exit 1
# Results keeps it, the session's row, and says it was deleted (before:
# read as a failure still to fix).
keys 2
shows "Results: the deleted row says so" "deleted from the pairs, no send takes it again" || exit 1
keys 1
keys R
shows "R leaves it out, and says so" "1 deleted from the pairs" || exit 1
# Resumed from History (r), the session is still the pairs': S goes on in
# it, with nothing left to send (before: taken for another input's, S
# offered every pair again as a new session, and R sent deleted pairs).
keys 5
wait_for "$sid" || exit 1
keys r
shows "r: nothing left to resume" "session $sid has nothing left to send" || exit 1
keys S
shows "S: nothing left in it" "every pair was created in session $sid; nothing to send" 20 || exit 1
keys R
shows "R still leaves the deleted pair out" "1 deleted from the pairs" || exit 1


keys q
wait_for "[exited 0]" || exit 1
is "one session in the history" "$("$HUBASSOC" history | grep -c "$sid")" 1
like "show: send 3, S's" "$("$HUBASSOC" show "$sid")" "3  send"
# The failed pair deleted in the terminal is retired in the session: the
# command line's retry has nothing to send (before: it planned that row).
like "retry --dry-run: the deleted pair is not retried" "$("$HUBASSOC" retry "$sid" --dry-run 2>&1)" "no row to retry"
like "show counts it apart" "$("$HUBASSOC" show "$sid")" "retired    1 deleted from the pairs since: no retry or resume sends them"
show=$("$HUBASSOC" show "$sid")
like "show: send 2, a retry" "$show" "2  retry"
like "show: of 3 rows" "$show" "3 rows (failed,not_sent,edited): 2 created, 1 failed"
"$HUBASSOC" export "$sid" > "$T_TMP/x.jsonl"
is "export: line 13 as fixed, created by send 2" "$(jq -r 'select(.line == 13) | "\(.from) \(.outcome) \(.send) \(.attempts)"' "$T_TMP/x.jsonl")" "$new1 created 2 2"
is "export: line 17, invalid before, created by send 2 in one attempt" "$(jq -r 'select(.line == 17) | "\(.from) \(.outcome) \(.send) \(.attempts)"' "$T_TMP/x.jsonl")" "$new2 created 2 1"
is "export: 105 created" "$(jq -r 'select(.outcome == "created") | .line' "$T_TMP/x.jsonl" | wc -l)" 105
tui_kill
tui_start 110 30 --sandbox --session "$sid"
wait_for "LINE FROM" 20 || exit 1
# A pair pasted since joins the session as its undo begins: what the
# undo's records count is what history and show read (before: history
# counted it, show did not).
printf '101619790,354834661\n' > "$T_TMP/since.txt"
paste_file "$T_TMP/since.txt"
shows "a pair pasted since" "pasted 1 row" || exit 1
# Undone, the session's pairs go again, the repeat with them as a
# duplicate of its first (before: the repeat left out, "their pairs were
# sent before", its first undone).
keys 5
wait_for "$sid" || exit 1
keys u
shows "u asks to undo it" "Undo session $sid" 20 || exit 1
keys y
shows "undone" "undone:" 20 || exit 1
rows_h=$("$HUBASSOC" history | awk -v id="$sid" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i } $1 == id { print $h["ROWS"] }')
is "undone: history and show count the same rows" "$rows_h" "$("$HUBASSOC" export "$sid" | wc -l)"
is "the pasted pair among them" "$rows_h" 111
# R writes nothing again in a session taken back (before: its failed rows
# sent as its next send).
keys R
shows "R after the undo: refused, S said" "was undone: S sends the pairs as a new session" || exit 1
# Nor does r in History resume it (before: its not_sent rows sent).
keys 5 r
shows "r on the undone session: refused, S said (its rows are the pairs)" "was undone: S sends the pairs as a new session" || exit 1
unlike "nothing resumed" "$(screen)" "nothing left to send"
# Pairs count them as they are now (before: "103 created" after the undo).
keys 1
wait_for "LINE FROM" || exit 1
unlike "Pairs: nothing created now" "$(screen | sed -n 4p)" "created"
keys S
shows "S after the undo asks" "? [y/n]" 20 || exit 1
like "a new session: the last was undone" "$(screen | tr -s ' \n' ' ')" "session $sid was undone"
unlike "no repeat left out" "$(screen)" "repeats    1 left out"
like "the repeat goes with its first, sent once" "$(screen)" "duplicate  1 sent once"
keys n
tui_kill

# A relabel whose old labels' removal was refused: verify finds them
# still there (before: "relabeled no pair: nothing to verify", exit 0);
# R on one of its rows takes the old label off that row's pair alone,
# what it asked; resume then takes it off the others (before: resume said
# "none left" with three pairs holding it).
export XDG_STATE_HOME=$T_TMP/state-kept
sb_start --open-portal --labels-add --fail-400-html 1 --fault-only labels/archive --fault-count 1 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
for i in 0 1 2 3; do echo "${C[$i]},${O[$i]}"; done > "$T_TMP/kept.csv"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 36 -i "$T_TMP/kept.csv" --base-url "$SB" --no-progress 2>/dev/null
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" relabel contacts companies -t 44 --replace 36 -i "$T_TMP/kept.csv" --base-url "$SB" --yes --no-progress 2> "$T_TMP/err"
like "relabel: the old labels kept" "$(cat "$T_TMP/err")" "failed     4"
ksid=$(jq -r .id < <(head -n 1 "$(journal_of)"))
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" verify "$ksid" --base-url "$SB" > /dev/null 2> "$T_TMP/err"
is "verify: the old labels found" "$?" 1
like "verify: they differ" "$(cat "$T_TMP/err")" "4 rows relabeled (4 with the old label kept): 0 confirmed, 0 missing, 4 types differ"
tui_start 100 30 --base-url "$SB" --session "$ksid"
shows "the session opens" "OLD_LABEL_KEPT" 20 || exit 1
like "the header: unfinished, as History says (before: sent)" "$(row 1)" " unfinished "
keys 2
wait_for "OUTCOME" || exit 1
keys m
keys R
shows "R on one row asks" "? [y/n]" 20 || exit 1
keys y
shows "sent" "send 2" 20 || exit 1
wait_for "relabeled 1" 20 || exit 1
tui_kill
is "R: its row's pair relabeled" "$(types_between contacts companies "${C[0]}" "${O[0]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:44"
is "R: the others left as they were, not asked about" "$(types_between contacts companies "${C[3]}" "${O[3]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:36 USER_DEFINED:44"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" resume "$ksid" --base-url "$SB" --yes --no-progress 2> "$T_TMP/err"
is "resume after R: exit 0" "$?" 0
is "every pair's old label gone" "$(for i in 0 1 2 3; do types_between contacts companies "${C[$i]}" "${O[$i]}"; echo; done | sort -u)" "HUBSPOT_DEFINED:279 USER_DEFINED:44"
like "show: all relabeled" "$("$HUBASSOC" show "$ksid")" "relabeled  4
failed     0"
sb_stop

# The same relabel made here: how to finish it comes first, never cut
# (before: "...cloudflare; hu…", and the header said sent).
sb_start --open-portal --labels-add --fail-400-html 1 --fault-only labels/archive --fault-count 1 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
for i in 0 1 2 3; do echo "${C[$i]},${O[$i]}"; done > "$T_TMP/kept.csv"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 36 -i "$T_TMP/kept.csv" --base-url "$SB" --no-progress 2>/dev/null
tui_start 80 24 --base-url "$SB"
shows "starts" "budget" || exit 1
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "type 44" "load $T_TMP/kept.csv" "op relabel 36"
wait_for "4 rows" || exit 1
send_yes "the relabel ends unfinished, saying how to finish it first" "is unfinished: r in History (5) finishes it."
like "the header says so" "$(row 1)" " unfinished "
tui_kill
done_testing
