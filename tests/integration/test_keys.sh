#!/usr/bin/env bash
# Pairs by email and domain against the sandbox: looked up once each,
# created as the IDs say, refused with their reasons, and never looked up
# again by retry or undo.
. "$(dirname "$0")/sandbox_lib.sh"

LOG="$T_TMP/keys.log"
lookups() { grep -c '"path":"/crm/v3/objects/' "$LOG"; }

# Records' keys as the portal has them: "ID,value" lines, 100 a request.
keys_of() { # TYPE PROP FIRST COUNT
	local i body
	for ((i = $3; i < $3 + $4; i += 100)); do
		body=$(seq "$i" $((i + 99 < $3 + $4 - 1 ? i + 99 : $3 + $4 - 1)) |
			jq -R '{id: .}' | jq -sc --arg p "$2" '{inputs: ., properties: [$p]}')
		curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
			"$SB/crm/v3/objects/$1/batch/read" -d "$body" |
			jq -r --arg p "$2" '.results[] | "\(.id),\(.properties[$p])"'
	done
}

sb_start --open-portal --log "$LOG" || { not_ok "sandbox starts"; done_testing; exit 1; }

# ---- 5,000 email -> domain pairs ----------------------------------------
keys_of contacts email 1000000 5000 | sort -t, -k1,1n > "$T_TMP/emails"
keys_of companies domain 2000000 1000 | sort -t, -k1,1n > "$T_TMP/domains"
is "set-up: 5,000 emails" "$(wc -l < "$T_TMP/emails")" 5000
is "set-up: 1,000 domains" "$(wc -l < "$T_TMP/domains")" 1000
# Email i to domain i mod 1000, written as admins write them: mixed case,
# a URL around some domains; the header names the columns.
awk -F, 'NR == FNR { d[FNR - 1] = $2; did[FNR - 1] = $1; next }
	{ k = (FNR - 1) % 1000; dom = d[k]
	  if (FNR % 3 == 0) dom = "https://www." toupper(substr(dom, 1, 1)) substr(dom, 2) "/contact"
	  e = $2; if (FNR % 2 == 0) e = toupper(substr(e, 1, 1)) substr(e, 2)
	  print e "," dom > "'"$T_TMP/pairs.csv"'"
	  print $1 "," did[k] > "'"$T_TMP/want"'" }' "$T_TMP/domains" "$T_TMP/emails"
{ echo "Email,Domain"; cat "$T_TMP/pairs.csv"; } > "$T_TMP/in.csv"
: > "$LOG"
send contacts companies --type 279 -i "$T_TMP/in.csv"
is "5,000 by key: exit 0" "$RC" 0
like "the lookup is said" "$ERR" "6,000 distinct keys, at least 60 requests"
like "every key found" "$ERR" "6,000 found, 0 not found, 0 on several records"
is "created 5,000" "$(count_outcome created)" 5000
# The summary's requests and its besides, the keys' lookups among them,
# add up to what show counts (before: the lookups left out).
sid=$(basename "$(journal_of)" .jsonl)
reqs=$(sed -n 's/^  requests   \([0-9,]*\) in .*/\1/p' <<< "$ERR" | tr -d ,)
besides=$(sed -n 's/^  besides    \([0-9,]*\) requests to look the keys up, read the pairs and their limits/\1/p' <<< "$ERR" | tr -d ,)
is "the summary's requests and besides add up to show's" "$((reqs + besides))" \
	"$("$HUBASSOC" show "$sid" | sed -n 's/^requests   \([0-9,]*\) sent.*/\1/p' | tr -d ,)"
curl -s "$SB/_sandbox/associations?from=contacts&to=companies" |
	jq -r '.results[] | select((.from | tonumber) >= 1000000 and (.from | tonumber) < 1005000) | "\(.from),\(.to)"' |
	sort > "$T_TMP/have"
sort "$T_TMP/want" > "$T_TMP/want.s"
is "the portal holds exactly the pairs the keys name" "$(diff "$T_TMP/want.s" "$T_TMP/have" | head -5)" ""
# What the portal answered (a 429, which a loaded machine may meet, is
# waited out and asked again: not an answer).
answered() { grep "$1" "$LOG" | jq -c 'select(.status != 429)'; }
is "lookups: 50 batch/reads and 10 searches answered" "$(answered '/crm/v3/objects/' | wc -l)" 60
is "each email answered once" "$(answered '/contacts/batch/read' | jq -r '.body.inputs[].id' | sort | uniq -d | wc -l)" 0
is "each email asked" "$(answered '/contacts/batch/read' | jq -r '.body.inputs[].id' | sort -u | wc -l)" 5000
is "each domain answered once" "$(answered '/companies/search' | jq -r '.body.filterGroups[].filters[].values[]' | sort | uniq -d | wc -l)" 0
is "searches by IN" "$(answered '/companies/search' | jq -r '.body.filterGroups[0].filters[0].operator' | sort -u)" IN
line=$(grep -m1 '"line":2,' "$OUTF")
is "export: from_key" "$(jq -r .from_key <<< "$line")" "email:$(sed -n 1p "$T_TMP/emails" | cut -d, -f2)"
is "export: to_key, normalised" "$(jq -r .to_key <<< "$line")" "domain:$(sed -n 1p "$T_TMP/domains" | cut -d, -f2)"
like "export: from_name" "$(jq -r .from_name <<< "$line")" " "
is "export: to_name" "$(jq -r '.to_name | length > 0' <<< "$line")" true
ha show last
like "show: the keys" "$OUT" "keys       5,000 rows by key found their records, 0 did not"
is "show --format json: the keys" "$("$HUBASSOC" show last --format json | jq -c '[.keys.rows, .keys.not_found, .undo]')" '[5000,0,null]'

# ---- none, several, bad --------------------------------------------------
SHARED=$(curl -s "$SB/_sandbox/objects?type=companies" | jq -r '.ids[0]')
SHARED_D=$(keys_of companies domain "$SHARED" 1 | cut -d, -f2)
E1=$(sed -n 1p "$T_TMP/emails" | cut -d, -f2)
D1=$(sed -n 1p "$T_TMP/domains" | cut -d, -f2)
printf '%s,%s\nnobody@example.com,%s\nghost.1000001@example.com,%s\nemail:%s,domain:%s\n%s,1\n' \
	"$E1" "$SHARED_D" "$D1" "$D1" "$E1" "$D1" "bad@" > "$T_TMP/mixed.csv"
: > "$LOG"
send contacts companies --type 279 -i "$T_TMP/mixed.csv"
is "unmatched keys: exit 2 without --skip-invalid" "$RC" 2
is "nothing created" "$(grep -c batch/create "$LOG")" 0
like "ambiguous: the IDs and what to do" "$ERR" "2 companies have domain $SHARED_D: "
like "ambiguous: the advice" "$ERR" "(use an ID or a unique property)"
like "unknown email" "$ERR" "line 2: no contact has email nobody@example.com"
like "an email no contact has" "$ERR" "line 3: no contact has email ghost.1000001@example.com"
like "a bad key, by line and field" "$ERR" "line 5: FROM 'bad@' is not an email address"
send contacts companies --type 279 -i "$T_TMP/mixed.csv" --skip-invalid
is "--skip-invalid: exit 1" "$RC" 1
is "the one good row: already there" "$(jq -r 'select(.line == 4) | .outcome' "$OUTF")" created
is "ambiguous row: invalid" "$(jq -r 'select(.line == 1) | .outcome' "$OUTF")" invalid
like "its reason in the export" "$(jq -r 'select(.line == 1) | .error.message' "$OUTF")" "2 companies have domain"
# show: the invalid rows were never to be sent, so no pre-state is unknown.
PREFLIGHT=1 send contacts companies --type 279 -i "$T_TMP/mixed.csv" --skip-invalid
line=$("$HUBASSOC" show last | grep '^preflight')
like "show: what the preflight read" "$line" "preflight  1 already there"
unlike "show: the invalid rows are no unknown pre-state" "$line" "unknown"

# An email or domain that is not UTF-8 is refused on its line before any
# lookup (before: it went into the lookup's body, which was no JSON then).
printf 'email,domain\nj\xffhn@example.com,%s\n%s,ac\xc3me.com\n' "$D1" "$E1" > "$T_TMP/u8.csv"
: > "$LOG"
send contacts companies --type 279 -i "$T_TMP/u8.csv" --skip-invalid
is "keys not UTF-8: nothing valid to send (exit 2)" "$RC" 2
like "an email, by line and field" "$ERR" "line 2: FROM 'j\xffhn@example.com' is not valid UTF-8"
like "a domain, by line and field" "$ERR" "line 3: TO 'ac\xc3me.com' is not valid UTF-8"
is "no lookup was made" "$(grep -cE "batch/read|search" "$LOG")" 0

# ---- a date-versioned profile looks up in its own line -------------------
printf 'email,domain\n%s,%s\n' "$(sed -n 2p "$T_TMP/emails" | cut -d, -f2)" "$D1" > "$T_TMP/dated.csv"
: > "$LOG"
send contacts companies --type 279 -i "$T_TMP/dated.csv" --api-version 2026-03
is "2026-03: exit 0" "$RC" 0
is "2026-03: the lookups go to /crm/objects/2026-03" \
	"$(grep -o '"path":"/crm/objects/2026-03/[a-z]*/[a-z/]*"' "$LOG" | sort | tr '\n' ' ')" \
	'"path":"/crm/objects/2026-03/companies/search" "path":"/crm/objects/2026-03/contacts/batch/read" '
is "2026-03: none to v3" "$(grep -c '/crm/v3/objects' "$LOG")" 0

# ---- a property the portal refuses ---------------------------------------
printf 'vin:VIN-1,%s\n' "$D1" > "$T_TMP/vin.csv"
: > "$LOG"
ha create contacts companies --type 279 -i "$T_TMP/vin.csv" --no-progress
is "a property contacts cannot be found by: exit 2" "$RC" 2
like "it names the property" "$ERR" "contacts cannot be looked up by vin"
is "no create" "$(grep -c batch/create "$LOG")" 0
# The custom object's vin is unique: it is found.
CAR=$(curl -s "$SB/_sandbox/objects?type=p_cars" | jq -r '.ids[0] // empty')
if [ -n "$CAR" ]; then
	printf 'vin:VIN-%s,%s\n' "$CAR" "$D1" > "$T_TMP/car.csv"
	ha create p_cars companies -i "$T_TMP/car.csv" --dry-run --skip-invalid -o "$T_TMP/car.jsonl"
	like "a custom unique property: found" "$ERR" "2 found, 0 not found"
	MODEL=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		"$SB/crm/v3/objects/p_cars/batch/read" -d "{\"inputs\":[{\"id\":\"$CAR\"}]}" |
		jq -r '.results[0].properties.model')
	is "a custom object's name: its schema's primary display property" \
		"$(jq -r .from_name "$T_TMP/car.jsonl")" "$MODEL"
else
	skip "a custom unique property: found" "the portal has no custom object"
fi
sb_stop

# ---- search pages: a page of one record at a time ------------------------
sb_start --open-portal --page-size 1 --log "$LOG" || { not_ok "sandbox starts"; done_testing; exit 1; }
{ echo "email,domain"; printf '%s,%s\n' "$E1" "$SHARED_D"; head -n 3 "$T_TMP/pairs.csv" | sed -n 2,3p; } > "$T_TMP/paged.csv"
: > "$LOG"
send contacts companies --type 279 -i "$T_TMP/paged.csv" --skip-invalid
is "paged: exit 1 (the shared domain)" "$RC" 1
is "paged: one search a record, every page followed" "$(answered '/companies/search' | wc -l)" 4
like "paged: both companies of the shared domain found" "$(jq -r 'select(.line == 2) | .error.message' "$OUTF")" "2 companies have domain"
is "paged: the others created" "$(count_outcome created)" 2
sb_stop

# ---- a lookup stopped: the exit of that failure, nothing written --------
sb_start --open-portal --daily 1 --log "$LOG" || { not_ok "sandbox starts"; done_testing; exit 1; }
n0=$(ls "$XDG_STATE_HOME/hubassoc/sessions" 2>/dev/null | wc -l)
head -n 300 "$T_TMP/in.csv" > "$T_TMP/daily.csv"
send contacts companies --type 279 -i "$T_TMP/daily.csv"
is "DAILY during the lookup: exit 5" "$RC" 5
like "nothing was sent" "$ERR" "nothing was sent"
is "no session written" "$(ls "$XDG_STATE_HOME/hubassoc/sessions" 2>/dev/null | wc -l)" "$n0"
sb_stop

# ---- retry and undo use the IDs found: no lookup again -------------------
sb_start --open-portal --fail-5xx 1 --fault-only batch/create --fault-count 2 --log "$LOG" ||
	{ not_ok "sandbox starts"; done_testing; exit 1; }
{ head -n 1; sed -n 1002,1201p; } < "$T_TMP/in.csv" > "$T_TMP/other.csv"
send contacts companies --type 279 -i "$T_TMP/other.csv" --max-attempts 1 --chunk 50
is "faults: some rows not sent" "$RC" 4
: > "$LOG"
ha resume last --no-progress
is "resume: exit 0" "$RC" 0
is "resume: no lookup" "$(lookups)" 0
is "resume: the rows left sent" "$(grep -c batch/create "$LOG")" 2
sb_stop
sb_start --open-portal --fail-5xx 1 --fault-only batch/create --fault-count 2 --log "$LOG" ||
	{ not_ok "sandbox starts"; done_testing; exit 1; }
head -n 1001 "$T_TMP/in.csv" > "$T_TMP/some.csv"
PREFLIGHT=1 send contacts companies --type 279 -i "$T_TMP/some.csv" --max-attempts 1 --chunk 100
is "faults again: some rows not sent" "$RC" 4
: > "$LOG"
ha retry last --no-progress
is "retry: exit 0" "$RC" 0
is "retry: no lookup" "$(lookups)" 0
ha export last
is "retry: every row created" "$(jq -r .outcome <<< "$OUT" | sort -u)" created
is "retry: the keys kept" "$(jq -r .from_key <<< "$OUT" | grep -c '^email:')" 1000
: > "$LOG"
ha undo last --yes
is "undo: exit 0" "$RC" 0
is "undo: no lookup" "$(lookups)" 0
sb_stop

done_testing
