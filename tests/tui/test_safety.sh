#!/usr/bin/env bash
# The safety net's requests in the terminal: a session the command line
# sent with its preflight, opened here; the inspector lists the preflight's
# reads with the rest, and shows where each went.
. "$(dirname "$0")/tui_lib.sh"

sb_start --open-portal || exit 1
for i in $(seq 1 30); do echo "$((1000 + i)),$((5000 + i))"; done > "$T_TMP/pairs.csv"
"$HUBASSOC" create contacts companies --type 279 --input "$T_TMP/pairs.csv" --chunk 10 \
	--base-url "$SB" --no-progress 2> "$T_TMP/err"
is "a session sent with its preflight" "$?" 0
sid=$(jq -r .id < <(head -n 1 "$(journal_of)"))

tui_start 100 30 --base-url "$SB" --session "$sid"
shows "the session opens" "30 rows: 30 valid" || exit 1
keys 4
shows "the inspector lists the preflight's read" "preflight" || exit 1
like "a call shows no chunk or inputs of its own" "$(screen | grep preflight)" "      -    1       -   200"
like "the creates follow, numbered after it" "$(screen)" "      2      1    1      10   201"
keys Home Enter
shows "its detail names where it went" "Request 1 (preflight): POST /crm/v4/associations/contacts/companies/batch/read" || exit 1
like "and its body" "$(screen)" '{"id":"1001"}'
keys Escape
sleep 0.2
keys Down Enter
shows "a create's detail, as before" "Request 2: POST /crm/v4/associations/contacts/companies/batch/create" || exit 1
done_testing
