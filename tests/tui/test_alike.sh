#!/usr/bin/env bash
# The first requests of a send all fail the same way (every ID unknown to
# the portal): the send is held and the admin asked before the rest of the
# budget goes on the same error.
. "$(dirname "$0")/tui_lib.sh"

missing=$(seq 3001 3040 | paste -sd, -)
sb_start --open-portal --missing "$missing" --log "$T_TMP/a.log" || exit 1
for i in $(seq 1 40); do echo "$((3000 + i)),$((5000 + i))"; done > "$T_TMP/lost.csv"
tui_start 120 30 --base-url "$SB" --chunk 2 --concurrency 1
shows "starts" "budget" || exit 1
commands "load $T_TMP/lost.csv" "from contacts" "to companies" "type 279"
wait_for "40 rows" || exit 1
keys S
wait_for "[y/n]" || exit 1
keys y
shows "after the first requests failed alike, it asks" "every one with VALIDATION_ERROR: One or more associations are invalid" 20 || exit 1
like "saying how many are left, its answer in sight" "$(screen | tail -n 1)" "send the other"
like "the answer's keys" "$(screen | tail -n 1)" "[y/n]"
# The header says it asks (before: "sending 30%", with nothing moving).
like "the header: asking" "$(row 1)" " asking "
sent=$(grep -c 'batch/create' "$T_TMP/a.log")
sleep 1
is "nothing more leaves while it asks" "$(grep -c 'batch/create' "$T_TMP/a.log")" "$sent"
keys n
shows "n stops the send" "stopped; the rest is not_sent" || exit 1
shows "and the session ends interrupted, the rest not_sent" "not_sent 3" 20 || exit 1
tui_kill
first=$(grep -c 'batch/create' "$T_TMP/a.log")

# y sends the rest.
tui_start 120 30 --base-url "$SB" --chunk 2 --concurrency 1
wait_for "Reopen session" || exit 1
keys n
commands "load $T_TMP/lost.csv" "from contacts" "to companies" "type 279"
wait_for "40 rows" || exit 1
keys S
wait_for "[y/n]" || exit 1
keys y
shows "it asks again" "all failed alike" 20 || exit 1
keys y
shows "y sends the rest" "failed 40" 30 || exit 1
is "every request of the second send left: 20 of 2 rows" "$(grep -c 'batch/create' "$T_TMP/a.log")" "$((first + 20))"
tui_kill

# With 4 requests allowed in flight, still only the first 3 leave before
# the question, which counts the rows really kept back; n leaves them
# not_sent, stopped at the hold, and resume sends them.
: > "$T_TMP/a.log"
tui_start 120 30 --base-url "$SB" --chunk 2 --concurrency 4
wait_for "0 rows" || exit 1
commands "load $T_TMP/lost.csv" "from contacts" "to companies" "type 279"
wait_for "40 rows" || exit 1
keys S
wait_for "[y/n]" || exit 1
keys y
shows "4 in flight allowed: it asks" "The first 6 rows all failed alike" 20 || exit 1
like "the rows kept back, all of them" "$(screen | tail -n 1)" "send the other 34?"
sleep 1
is "no request beyond the first 3 left" "$(grep -c 'batch/create' "$T_TMP/a.log")" 3
keys n
shows "n: the rest stays not_sent" "not_sent 34" 20 || exit 1
like "the header: held, as history says (before: interrupted)" "$(row 1)" " held "
tui_kill
# A no at the hold is no interruption: held, exit 1 (rows failed).
is "show: the session held, not interrupted" "$("$HUBASSOC" show last | grep '^state' | tr -s ' ')" "state held (exit 1)"
is "history: held" "$("$HUBASSOC" history --format jsonl | jq -r .state | tail -n 1)" held
is "each kept back row: stopped at the hold" "$("$HUBASSOC" export last | jq -r 'select(.outcome == "not_sent") | .error.message' | sort | uniq -c | tr -s ' ')" " 34 not sent: stopped at the hold; R or resume sends it"
"$HUBASSOC" resume last --base-url "$SB" >/dev/null 2>&1
is "resume sends them: 17 requests more" "$(grep -c 'batch/create' "$T_TMP/a.log")" 20
is "and nothing is left unsent" "$("$HUBASSOC" export last | jq -r .outcome | sort | uniq -c | tr -s ' ')" " 40 failed"
done_testing
