#!/usr/bin/env bash
# The safety net against the sandbox: read what is there, look before
# sending (preflight, check), verify after, undo a session.
. "$(dirname "$0")/sandbox_lib.sh"

# Runs hubassoc with the sandbox's token and URL; sets RC, OUT, ERR.
ha() {
	local cmd=$1
	shift
	OUT=$(HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" "$cmd" "$@" --base-url "$SB" \
		2> "$T_TMP/err" < "${HA_IN:-/dev/null}")
	RC=$?
	ERR=$(cat "$T_TMP/err")
}
logged() { grep -c "\"path\":\"[^\"]*$2\"" "$1"; }
# Every pair of both directions, as the store holds them: the portal's state.
portal_state() {
	{ curl -s "$SB/_sandbox/associations?from=$1&to=$2"; curl -s "$SB/_sandbox/associations?from=$2&to=$1"; } |
		jq -r '.from as $f | .to as $t | .results[] | "\($f)>\($t) \(.from) \(.to) \([.types[] | "\(.category):\(.typeId)"] | sort | join(";"))"' | sort
}

# ---- read ----------------------------------------------------------------
sb_start --page-size 2 --log "$T_TMP/read.log" || { not_ok "sandbox starts"; done_testing; exit 1; }
# The company with the most contacts, and its count.
read -r BIG NBIG < <(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" |
	jq -r '[.results[].from] | group_by(.) | map([.[0], length]) | max_by(.[1]) | "\(.[0]) \(.[1])"')
mapfile -t O < <(ids_of companies)
LONE=""
for o in "${O[@]}"; do
	[ -z "$(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" | jq -r --arg o "$o" '.results[] | select(.from == $o) | .from' | head -n 1)" ] && { LONE=$o; break; }
done
printf 'company\n%s\n%s\n%s\n999\n' "$BIG" "$BIG" "$LONE" > "$T_TMP/ids.csv"
: > "$T_TMP/read.log"
ha read companies contacts --input "$T_TMP/ids.csv" --format jsonl
is "read: exit 0" "$RC" 0
is "read: a record for each pair of the big company, every page" "$(printf '%s\n' "$OUT" | jq -r .from | grep -c "^$BIG$")" "$NBIG"
is "read: the store agrees" "$(printf '%s\n' "$OUT" | jq -r '"\(.from) \(.to)"' | sort)" \
	"$(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" | jq -r --arg o "$BIG" '.results[] | select(.from == $o) | "\(.from) \(.to)"' | sort)"
like "read: types with category, typeId and label" "$(printf '%s\n' "$OUT" | head -n 1)" '{"category":"HUBSPOT_DEFINED","typeId":280,"label":null}'
# One request for the records, then one a page past the first.
is "read: requests as the pages need" "$(logged "$T_TMP/read.log" batch/read)" "$(( (NBIG + 1) / 2 ))"
like "read: summary" "$ERR" "3 record(s), $NBIG pair(s); 1 with none; 1 not found"

ha read companies contacts --input "$T_TMP/ids.csv" --format csv --type Primary
is "read --type: exit 0" "$RC" 0
is "read csv: header" "$(printf '%s\n' "$OUT" | head -n 1)" "from,to,types,labels"
is "read --type: only that type" "$(printf '%s\n' "$OUT" | sed 1d | cut -d, -f3 | sort -u)" "HUBSPOT_DEFINED:2"
ha read companies contacts --input "$T_TMP/ids.csv"
like "read table: header" "$OUT" "FROM                 TO                   TYPES"
like "read table: labels by name" "$OUT" "HUBSPOT_DEFINED:2 Primary"

: > "$T_TMP/read.log"
printf '101\n12x\n' > "$T_TMP/bad.csv"
ha read contacts companies --input "$T_TMP/bad.csv"
is "read: a line that is no ID exits 2" "$RC" 2
like "read: says the line and why" "$ERR" "line 2: '12x' is not a record ID"
is "read: nothing asked of the portal" "$(grep -c . "$T_TMP/read.log")" 0
ha read contacts companies --type nope --input "$T_TMP/ids.csv"
is "read: an unknown label exits 2" "$RC" 2
sb_stop

done_testing
