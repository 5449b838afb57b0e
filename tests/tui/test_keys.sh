#!/usr/bin/env bash
# Pairs by email and domain in the terminal, at 80x24: the key's row
# before the send, its IDs and names after, the key that found two
# records and its error, :names, a lookup stopped with C-c, and a reopened
# working set that does not look up again.
. "$(dirname "$0")/tui_lib.sh"

# A record's property, as the sandbox's portal holds it.
prop_of() { # TYPE ID PROP
	curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		"$SB/crm/v3/objects/$1/batch/read" \
		-d "{\"inputs\":[{\"id\":\"$2\"}],\"properties\":[\"$3\",\"name\",\"firstname\",\"lastname\"]}" |
		jq -r --arg p "$3" '.results[0].properties[$p]'
}

sb_start || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
# A contact whose ID is wider than the columns' first measure (10): Pairs
# measures them again when the lookup fills them in.
for ((K = 40; K < ${#C[@]}; K++)); do [ "${#C[K]}" -ge 11 ] && break; done
E1=$(prop_of contacts "${C[K]}" email)
N1="$(prop_of contacts "${C[K]}" firstname) $(prop_of contacts "${C[K]}" lastname)"
D1=$(prop_of companies "${O[7]}" domain)
CN1=$(prop_of companies "${O[7]}" name)
SHARED=$(prop_of companies "${O[0]}" domain)
E2=$(prop_of contacts "${C[41]}" email)
printf 'Email,Domain\n%s,%s\n%s,%s\n' "$E1" "https://www.$D1/" "$E2" "$SHARED" > "$T_TMP/keys.csv"

tui_start 80 24 --base-url "$SB"
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "type 279" "load $T_TMP/keys.csv"
shows "the rows by key wait for S (at 80 columns, without the asides)" "2 rows: 2 by key, 0 valid, 0 invalid" || exit 1
like "a key's row: state key" "$(row 6)" "key       email:"
keys v
shows "v: the row whole, its keys normalised" "domain:$D1" || exit 1
like "v: the FROM key" "$(screen)" "email:$E1"
keys v
keys S
shows "S looks them up, then asks" "Send 1 pair to" || exit 1
like "the key two companies have is left out" "$(screen)" "invalid    1 left out: line"
keys y
shows "then it sends" "complete: 1 created" || exit 1
keys 2
shows "Results" "created 1" || exit 1
like "the created row: its IDs" "$(screen)" "${C[K]}"
like "and who the records are" "$(screen)" "$N1 -> $CN1"
like "the key's error, whole" "$(screen)" "2 companies have domain"
# A filter finds a row by its record's name or by its key (before: neither).
keys /
typein "$CN1"
keys Enter
shows "/ by the company's name: its row" "filter '$CN1': 1 row" || exit 1
keys / C-u
typein "$E1"
keys Enter
shows "/ by the email it was given as" "filter '$E1': 1 row" || exit 1
keys / C-u Enter
wait_gone "filter '" || exit 1
keys v
shows "v: the created row by ID, name and key" "${C[K]}  $N1  (by" || exit 1
like "v: TO too" "$(screen)" "$CN1  (by"
keys v
keys 3
shows "the error tree groups it" "several records have the key" || exit 1
keys Down Right
wait_for "+ TO ID" || exit 1
keys Down Right
shows "its leaf, under TO" "line 3  email:" || exit 1
keys Down v
shows "v on it: the IDs that have the domain" "${O[0]}" || exit 1
keys v
keys 1
shows "Pairs: the ID the lookup found, whole (before: cut at 10 digits)" "${C[K]}" || exit 1
# Fixed by another key, R looks it up, then sends it as send 2.
keys g j e C-u
typein "$E2,domain:$D1"
keys Enter
shows "line 3 edited, the session's" "line 3 edited: the session's next send takes it" || exit 1
like "it waits for its lookup: edited, its key to look up" "$(row 7)" "edited    edited since its send; the next"
keys R
# Not "again": the row was invalid, never sent (before: "Send 1 pair again").
shows "R looks the key up, then asks" "Send 1 pair to" || exit 1
like "as send 2 of the session" "$(screen)" ", send 2"
like "the fixed row" "$(screen)" "fixed      1 since"
keys y
shows "send 2 creates it" "send 2: complete: 1 created, 0 failed" 20 || exit 1
keys q
wait_for "[exited 0]"
J=$(journal_of)
is "the journal keeps the keys" "$(jq -r 'select(.t == "keys") | .rows[0][1]' "$J")" "email:$E1"
is "and the names" "$(jq -r --arg c "${C[K]}" 'select(.t == "names" and .side == "from") | .names[$c] // empty' "$J")" "$N1"
# The row fixed by keys keeps them beside its IDs, and its names (before:
# its edit had the IDs alone; export had no key or name for it).
is "the fix's keys, journaled with it" "$(jq -r 'select(.t == "edit") | .keys | join(" ")' "$J")" "email:$E2 domain:$D1"
is "export: the fixed row's keys and name" "$("$HUBASSOC" export "$(jq -r .id < <(head -n 1 "$J"))" --format jsonl |
	jq -r 'select(.line == 3) | "\(.from_key) \(.to_key) \(.to_name | length > 0)"')" "email:$E2 domain:$D1 true"

# Reopened: the keys are not looked up again, the created row not offered.
sid=$(jq -r .id < <(head -n 1 "$J"))
: > "$T_TMP/none"
tui_start 80 24 --base-url "$SB" --session "$sid"
shows "reopened" "reopened: 2 pairs" || exit 1
keys 1
shows "the rows read as the session has them" "2 rows: 2 valid" || exit 1
unlike "no key waits" "$(screen)" "by key"
keys S
shows "nothing is sent again, nothing looked up" "every pair was created in session" || exit 1
keys q
wait_for "[exited 0]"

# :names: a session sent by ID gets its records' names.
printf '%s,%s\n' "${C[50]}" "${O[9]}" > "$T_TMP/ids.csv"
tui_start 80 24 --base-url "$SB"
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "type 279" "load $T_TMP/ids.csv"
keys S
shows "asks" "Send 1 pair" || exit 1
keys y
shows "sent by ID" "complete: 1 created" || exit 1
keys 2
commands names
shows ":names reads them" "names: 2 records named, in 2 requests" || exit 1
like "and Results shows them" "$(screen)" "$(prop_of contacts "${C[50]}" firstname) $(prop_of contacts "${C[50]}" lastname) -> $(prop_of companies "${O[9]}" name)"
is "and the session keeps them" "$(jq -r --arg c "${C[50]}" 'select(.t == "names" and .side == "from") | .names[$c] // empty' "$(journal_of)")" \
	"$(prop_of contacts "${C[50]}" firstname) $(prop_of contacts "${C[50]}" lastname)"
keys q
wait_for "[exited 0]"
sb_stop

# A slow portal: C-c stops the lookup, and nothing is sent.
sb_start --latency 3000 || exit 1
tui_start 80 24 --base-url "$SB"
wait_gone "trying the token" 15 || exit 1
commands "from contacts" "to companies" "type 279" "load $T_TMP/keys.csv"
shows "loaded" "2 rows: 2 by key" 15 || exit 1
keys S
shows "the lookup is under way" "looking up 4 keys" 15 || exit 1
keys C-c
shows "C-c stops it: nothing sent" "nothing was sent: the lookup stopped" 15 || exit 1
like "the rows still wait" "$(row 6)" "key"
keys q
wait_for "[exited 0]"
done_testing
