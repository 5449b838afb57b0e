#!/usr/bin/env bash
# A remove asked about and declined, then narrowed in Pairs and asked
# again with S: the pairs deleted are not sent and are said so; Pairs'
# counts and reasons read as the remove's.
. "$(dirname "$0")/tui_lib.sh"

tui_start 80 24 --sandbox
wait_for "Paste pairs" || exit 1
commands "demo" "type 279"
shows "the demo, typed" "110 rows: 5 by key" || exit 1
keys S
shows "S asks" "Send 105 pairs to" 20 || exit 1
keys y
shows "sent" "complete: 103 created, 2 failed" 20 || exit 1
commands "op remove"
keys 1 S
shows "the remove asked" "Remove 103 pairs on" 20 || exit 1
like "the header: asking a remove" "$(row 1)" " asking  remove  "
keys n
wait_gone "[y/n]" || exit 1
# The header says it as History does (before: "not sent").
like "the header: declined" "$(row 1)" " declined  remove  "
# Three pairs deleted: the remove is narrowed to the rest.
keys 1 g d d d
shows "three pairs deleted" "107 rows" || exit 1
# S asks the declined send again (before: refused, "was declined: r in
# the history asks again").
keys S
shows "S asks the declined remove again" "Remove 100 pairs on" 20 || exit 1
like "as its session's send, asked again (before: 'new')" "$(screen | tr -s ' \n' ' ')" "send 1, asked again"
keys y
# The pairs deleted are not sent, and not offered to resume (before: "3
# not_sent (resume sends them)").
shows "the end names the pairs deleted" "not sent (deleted from the pairs)" 20 || exit 1
like "three of them" "$(screen | tr -s ' \n' ' ')" "3 not sent (deleted from the pairs)"
unlike "nothing offered to resume" "$(screen | tr -s ' \n' ' ')" "resume sends them"
# Results say why each was not sent (before: not_sent, nothing more).
keys 2
shows "Results: a deleted pair's reason" "not_sent  -    deleted from the pairs before it" || exit 1
keys 1
# What the remove made, and the pairs not there (before: "102 valid in 1
# request", and "2 to send" of the pairs it found not there).
shows "Pairs' counts: removed and unchanged" "107 rows: 102 valid (100 removed, 2 unchanged), 4 invalid" || exit 1
# A removed pair's reason is the remove's (before: "already there").
like "a removed pair: what the remove did" "$(screen | grep ' removed ' | head -n 1)" "removes the pair"
# The pairs deleted are not_sent in show as in history and Results
# (before: show read them back as pending, history as not_sent).
sid=$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r 'select(.op == "remove") | .session')
is "history: the deleted pairs not_sent" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r 'select(.op == "remove") | "\(.not_sent) \(.pending)"')" "3 0"
is "show: the same" "$("$HUBASSOC" show "$sid" --format json | jq -r '"\(.counts.not_sent) \(.counts.pending)"')" "3 0"
# Not resumable for them: the invalid rows' exit, not 4 (before:
# "complete (exit 4)", a resume offered that had nothing to send).
like "show: the exit is the rows', not a resume's" "$("$HUBASSOC" show "$sid" | grep '^state')" "complete (exit 1)"
# The create, undone from History: r does not resume it, and says how its
# rows go again, the pairs on screen being another session's (before: "S
# sends the pairs", which would send those).
keys 5 g j u
shows "u asks to undo the create" "Undo session" 20 || exit 1
# Asking, of no send: no operation named (before: "complete  remove",
# the session shown's end beside the pairs' operation).
like "the header: asking" "$(row 1)" " hubassoc  asking  sandbox"
keys y
shows "undone" "undone:" 20 || exit 1
keys 5 g j r
shows "r: refused, --session said" "opens them as the pairs" || exit 1
# As a command that opens them here (before: without --sandbox, on
# HubSpot's portal).
like "r: the --session command names the sandbox" "$(screen | tr -s ' \n' ' ')" " --sandbox opens them as the pairs"
done_testing
