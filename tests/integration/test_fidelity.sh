#!/usr/bin/env bash
# Lookups and reads as HubSpot serves them, against a sandbox that refuses
# what HubSpot refuses: search bodies by size, paging cursors that loop,
# the 2026-03 archive's errors, the schemas' date-versioned path, and the
# search's and batch/read's own shapes.
. "$(dirname "$0")/sandbox_lib.sh"

LOG="$T_TMP/fidelity.log"

sb_start --open-portal --log "$LOG" || { not_ok "sandbox starts"; done_testing; exit 1; }

# ---- the search, as HubSpot limits it ------------------------------------
S="/crm/v3/objects/companies/search"
search_of() { # N values of LEN characters each, as IN
	jq -nc --argjson n "$1" --argjson l "$2" '{filterGroups: [{filters: [{
		propertyName: "domain", operator: "IN",
		values: [range($n) | ("d\(.)-" + ("x" * $l))[0:$l] + ".com"]}]}], limit: 200}'
}
req POST "$S" "$(search_of 100 26)"
is "search: a body over 3,000 characters is refused" "$CODE" 400
like "search: ... in HubSpot's words" "$(jqr .message)" "3000 characters"
req POST "$S" "$(search_of 80 26)"
is "search: under it, answered" "$CODE" 200
is "search: no rate-limit headers, as HubSpot sends none there" \
	"$(header X-HubSpot-RateLimit-Remaining)$(header X-HubSpot-RateLimit-Max)" ""
req POST "$S" '{"filterGroups":[{"filters":[{"propertyName":"domain","operator":"IN","values":["Acme-1.com"]}]}]}'
is "search: IN values of a string property must be lower case" "$CODE" 400
groups=$(jq -nc '{filterGroups: [range(6) | {filters: [{propertyName: "domain", operator: "EQ", value: "a.com"}]}]}')
req POST "$S" "$groups"
is "search: more than 5 filter groups refused" "$CODE" 400
req POST "$S" '{"filterGroups":[{"filters":[{"propertyName":"domain","operator":"IN","values":["a.com"]}]}],"after":"10000"}'
is "search: paging past 10,000 results refused" "$CODE" 400
# Twelve at once: more than 5 in any second.
one=$(search_of 1 10)
pids=()
for i in $(seq 1 12); do
	curl -s -o /dev/null -D "$T_TMP/h.$i" -X POST -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' "$SB$S" -d "$one" &
	pids+=($!)
done
wait "${pids[@]}"
limited=$(grep -l '^HTTP/[0-9.]* 429' "$T_TMP"/h.* | head -n 1)
[ -n "$limited" ] && ok "search: past 5 a second, a 429" || not_ok "search: past 5 a second, a 429"
is "search: its 429 carries no rate-limit headers" "$(grep -ci '^X-HubSpot-RateLimit' "${limited:-/dev/null}")" 0

# ---- 1. search bodies by size --------------------------------------------
# 100 companies whose domains run to 30 characters: one query by count,
# over HubSpot's limit by size.  Companies exist for any ID here.
mapfile -t C < <(ids_of contacts)
: > "$T_TMP/long.csv"
ids=$(for i in $(seq 0 99); do echo $((1000000000000000000 + i * 7919)); done |
	jq -R '{id: .}' | jq -sc '{inputs: ., properties: ["domain"]}')
curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	"$SB/crm/v3/objects/companies/batch/read" -d "$ids" | jq -r '.results[].properties.domain' |
	awk -v c="${C[0]}" '{ print c ",domain:" $0 }' > "$T_TMP/long.csv"
is "set-up: 100 companies" "$(grep -c . "$T_TMP/long.csv")" 100
avg=$(cut -d: -f2 "$T_TMP/long.csv" | awk '{ n += length($0) } END { print int(n / NR) }')
[ "$avg" -ge 26 ] && ok "set-up: domains of $avg characters on average" || not_ok "set-up: long domains" "$avg"
: > "$LOG"
ha create contacts companies -t 279 -i "$T_TMP/long.csv" --no-progress
is "long domains: every pair created" "$RC" 0
is "long domains: nothing cannot be looked up" "$(grep -c 'cannot be looked up' <<< "$ERR")" 0
longest=$(jq -r 'select(.path | contains("/search")) | .body | tojson | length' "$LOG" | sort -n | tail -n 1)
[ -n "$longest" ] && [ "$longest" -le 3000 ] && ok "long domains: every search body under 3,000 characters ($longest)" ||
	not_ok "long domains: search bodies under 3,000" "$longest"
[ "$(path_count /search)" -ge 2 ] && ok "long domains: the query split by size" || not_ok "split by size" "$(path_count /search)"

sb_stop

# ---- 2. a paging cursor that loops ---------------------------------------
sb_start --open-portal --loop-paging --log "$LOG" || { not_ok "sandbox starts"; done_testing; exit 1; }
mapfile -t O < <(ids_of companies)
printf 'company\n%s\n%s\n' "${O[0]}" "${O[1]}" > "$T_TMP/ids.csv"
: > "$LOG"
ha read companies contacts --input "$T_TMP/ids.csv" --format jsonl
is "loop: read ends" "$RC" 0
like "loop: the warning says why it stopped" "$ERR" "gave a cursor it gave before"
n=$(path_count batch/read)
[ "$n" -le 4 ] && ok "loop: no request past the repeat ($n)" || not_ok "loop: requests bounded" "$n"
printf '%s,%s\n' "${C[0]}" "${O[5]}" > "$T_TMP/one.csv"
: > "$LOG"
ha create contacts companies -t 279 -i "$T_TMP/one.csv" --no-progress
is "loop: a send's preflight ends, and sends" "$RC" 0
like "loop: ... saying so" "$ERR" "warning: the portal's paging of record"
[ "$(path_count batch/read)" -le 4 ] && ok "loop: the preflight's reads bounded" || not_ok "preflight reads bounded" "$(path_count batch/read)"
like "loop: the warning is in the session's journal" "$(cat "$(journal_of)")" '"t":"warning"'
sb_stop

# ---- 3. a query past 10,000 results ----------------------------------------
sb_start --open-portal --domain-matches 6000 --log "$LOG" || { not_ok "sandbox starts"; done_testing; exit 1; }
printf '%s,domain:alpha.com\n%s,domain:beta.com\n' "${C[0]}" "${C[1]}" > "$T_TMP/many.csv"
: > "$LOG"
ha create contacts companies -t 279 -i "$T_TMP/many.csv" --no-progress
like "10,000: the query split, said" "$ERR" "matched 12000 (HubSpot pages through 10,000 at most): asked again as two searches"
is "10,000: never paged past it (no 400)" "$(jq -r 'select(.path | contains("/search")) | .status' "$LOG" | grep -c 400)" 0
is "10,000: 3 searches (both, then each)" "$(path_count /search)" 3
like "10,000: each domain, many companies" "$ERR" "6000 companies have domain alpha.com"
is "10,000: nothing sent (exit 2)" "$RC" 2
sb_stop

# ---- 4. the 2026-03 archive's errors -------------------------------------
sb_start --open-portal --archive-refuse "${O[6]}" --log "$LOG" || { not_ok "sandbox starts"; done_testing; exit 1; }
printf '%s,%s\n%s,%s\n' "${C[1]}" "${O[6]}" "${C[2]}" "${O[7]}" > "$T_TMP/two.csv"
ha create contacts companies -t 279 -i "$T_TMP/two.csv" --no-progress --api-version 2026-03
is "archive: sent" "$RC" 0
ha undo last --yes --api-version 2026-03
is "archive: an undo the portal did not all do exits 1" "$RC" 1
like "archive: ... saying so" "$ERR" "not all undone: the portal's answers name 1 error"
ha show last --json
is "archive: the session is not undone" "$(jq -r '.undo // "none"' <<< "$OUT" | grep -c '^undone$')" 0
ha show last
like "archive: show says the undo is to finish" "$OUT" "undo"

# ---- 5. schemas in the profile's line ------------------------------------
# A name the standard types do not know is looked for among the portal's
# custom objects: their schemas.
: > "$LOG"
ha read car contacts --input "$T_TMP/ids.csv" --api-version 2026-03
like "schemas: 2026-03 answers them" "$ERR" "the portal has the custom object p_cars"
is "schemas: the date-versioned path" "$(path_count /crm-object-schemas/2026-03/schemas)" 1
is "schemas: not v3's" "$(path_count /crm/v3/schemas)" 0
: > "$LOG"
ha read car contacts --input "$T_TMP/ids.csv"
like "schemas: v4 answers them" "$ERR" "the portal has the custom object p_cars"
is "schemas: v4 still asks v3's" "$(path_count /crm/v3/schemas)" 1

done_testing
