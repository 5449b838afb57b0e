#!/usr/bin/env bash
# A refused chunk that names no row: its rows at fault found in about
# 2 log2(n) requests, and a fault of the request itself (both halves
# refused alike) failing the chunk in 3, not halved down to single rows.
. "$(dirname "$0")/sandbox_lib.sh"

open_pairs 500 > "$T_TMP/p500.csv"

# Every row refused alike: the request, not a row, is at fault.
cut -d, -f1 "$T_TMP/p500.csv" > "$T_TMP/missing"
sb_start --open-portal --missing-file "$T_TMP/missing" --invalid-mode 400-unnamed --log "$T_TMP/u.log" || exit 1
send contacts companies -t 279 -i "$T_TMP/p500.csv" --chunk 500
is "uniform 400: exit 1" "$RC" 1
is "uniform 400: every row failed" "$(outcomes)" "failed=500"
n=$(creates_logged "$T_TMP/u.log")
[ "$n" -le 5 ] && ok "uniform 400: $n requests, not 999" || not_ok "uniform 400: at most 5 requests" "$n"
is "uniform 400: the rows carry the refusal" "$(jq -r .error.category "$OUTF" | sort -u)" VALIDATION_ERROR
like "uniform 400: the summary says what isolation took" "$ERR" "2 to isolate refused rows"
sb_stop

# One row at fault in 500: found, the others created.
bad=$(sed -n 137p "$T_TMP/p500.csv" | cut -d, -f2)
sb_start --open-portal --missing "$bad" --invalid-mode 400-unnamed --log "$T_TMP/o.log" || exit 1
send contacts companies -t 279 -i "$T_TMP/p500.csv" --chunk 500
is "one bad row in 500: exit 1" "$RC" 1
is "one bad row in 500: found" "$(outcomes)" "created=499 failed=1"
is "one bad row in 500: the right one" "$(jq -r 'select(.outcome == "failed") | .line' "$OUTF")" 137
n=$(creates_logged "$T_TMP/o.log")
[ "$n" -le 20 ] && ok "one bad row in 500: $n requests (at most 20)" || not_ok "one bad row: at most 20 requests" "$n"
sb_stop

# The limit of the rule, as hubassoc(1) states it: two rows at fault, one
# in each half, with an answer that names neither, look like a fault of
# the request, and the chunk fails with it.  (HubSpot names bad IDs; its
# unnamed refusals are the request's.)
b1=$(sed -n 10p "$T_TMP/p500.csv" | cut -d, -f2); b2=$(sed -n 400p "$T_TMP/p500.csv" | cut -d, -f2)
sb_start --open-portal --missing "$b1,$b2" --invalid-mode 400-unnamed --log "$T_TMP/t.log" || exit 1
send contacts companies -t 279 -i "$T_TMP/p500.csv" --chunk 500
is "two unnamed faults in different halves: the chunk fails with the refusal" "$(outcomes)" "failed=500"
[ "$(creates_logged "$T_TMP/t.log")" -le 5 ] && ok "in 3 requests" || not_ok "in 3 requests"
sb_stop
# A whole-batch 400 names objectId with its objectType: the ID is failed
# at the end of that type only.  A valid row whose other end has the same
# number is sent again, not failed with it.
sb_start --invalid-mode 400 --log "$T_TMP/ot.log" || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
x=${O[3]}
printf '%s,%s\n%s,%s\n' "$x" "${O[5]}" "${C[7]}" "$x" > "$T_TMP/ot.csv"
send contacts companies -t 279 -i "$T_TMP/ot.csv"
is "objectType: the contact that does not exist failed" "$(jq -r 'select(.line == 1) | .outcome' "$OUTF")" failed
is "objectType: the company with the same number was not" "$(jq -r 'select(.line == 2) | .outcome' "$OUTF")" created
is "objectType: the answer named it as a CONTACT" "$(jq -r 'select(.line == 1) | .error.context.objectType[0]' "$OUTF")" CONTACT
sb_stop
# A record's association limit: the inputs past it fail, naming the record;
# the ones within it are created.
sb_start --open-portal --record-limit 3 --invalid-mode 207 || exit 1
printf '5001,6001\n5001,6002\n5001,6003\n5001,6004\n5001,6005\n5002,6001\n' > "$T_TMP/lim.csv"
send contacts companies -t 279 -i "$T_TMP/lim.csv"
is "record limit: exit 1" "$RC" 1
is "record limit: 3 + 1 created, 2 past it failed" "$(outcomes)" "created=4 failed=2"
is "record limit: HubSpot's shape" "$(jq -r 'select(.outcome == "failed") | .error.context.ASSOCIATION_LIMIT_EXCEEDED[0]' "$OUTF" | sort -u)" "CONTACT=5001"
is "record limit: the store holds 3 for that contact" "$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq '[.results[] | select(.from == "5001")] | length')" 3
sb_stop
done_testing
