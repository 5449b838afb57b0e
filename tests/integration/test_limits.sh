#!/usr/bin/env bash
# The association limits an admin configured, held against a send before
# anything is written: a file that would take a record past one is
# refused with the lines named; one within it goes through; a limit on
# either end; a token that may not read them sends all the same.
. "$(dirname "$0")/sandbox_lib.sh"

creates() { grep -c '"path":"[^"]*batch/create"' "$1"; }
C2=/crm/associations/v4/definitions/configurations

# A company may have 1 contact labeled Billing contact (its end: 37).
sb_start --assoc-limit companies/contacts/USER_DEFINED:37=1 --log "$T_TMP/l.log" ||
	{ not_ok "sandbox starts"; done_testing; exit 1; }
req GET "$C2/companies/contacts"
is "the switch sets the limit as the endpoint lists it" "$(jqr '.results[0] | "\(.typeId) \(.userEnforcedMaxToObjectIds)"')" "37 1"
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
# Companies with no Billing contact yet.
free=()
for o in "${O[@]}"; do
	[ "$(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" | jq --arg o "$o" '[.results[] | select(.from == $o and any(.types[]; .typeId == 37))] | length')" = 0 ] && free+=("$o")
	[ ${#free[@]} -ge 3 ] && break
done
A=${free[0]} B=${free[1]}
printf 'contact,company\n%s,%s\n%s,%s\n%s,%s\n%s,%s\n' "${C[20]}" "$A" "${C[21]}" "$B" "${C[22]}" "$A" "${C[23]}" "${free[2]}" > "$T_TMP/over.csv"
before=$(portal_state contacts companies)
ha create contacts companies --input "$T_TMP/over.csv" --type "Billing contact" --no-progress
is "past a limit: exit 2" "$RC" 2
like "the record, its limit, what it has, what the file adds, the lines" "$ERR" \
	"company $A may have 1 contact labeled Billing contact; it has 0 and this file adds 2 (lines 2, 4)"
like "the limits said" "$ERR" "limits     1 configured limit applies to the rows: 3 records read"
like "nothing sent, and what to do" "$ERR" "nothing was sent: 1 record would pass its configured limit (company $A may have 1 contact labeled Billing contact; it has 0 and this file adds 2 (lines 2, 4)); take those lines out, or raise the limit and resume"
is "no create left" "$(creates "$T_TMP/l.log")" 0
is "the portal unchanged" "$(portal_state contacts companies)" "$before"
is "the send's end: over_limit" "$(jq -r 'select(.t == "end") | .state' "$(journal_of)")" over_limit
S=$(jq -r .id < <(head -n 1 "$(journal_of)"))
# check holds the rows against it too, and says so (before: exit 0).
ha check contacts companies --input "$T_TMP/over.csv" --type "Billing contact" --no-progress
is "check: past a limit exits 1" "$RC" 1
like "check: names it" "$ERR" "company $A may have 1 contact labeled Billing contact; it has 0 and this file adds 2 (lines 2, 4)"
like "check: in its summary" "$ERR" "1 record would pass its configured limit"

# Within it: line 4 out.
sed '4d' "$T_TMP/over.csv" > "$T_TMP/within.csv"
ha create contacts companies --input "$T_TMP/within.csv" --type "Billing contact" --no-progress
is "within the limit: exit 0" "$RC" 0
is "within: created" "$(types_between contacts companies "${C[20]}" "$A")" "HUBSPOT_DEFINED:279 USER_DEFINED:36"
# Now A has its one: another for it is past the limit, counting what it holds.
printf '%s,%s\n' "${C[24]}" "$A" > "$T_TMP/one.csv"
ha create contacts companies --input "$T_TMP/one.csv" --type "Billing contact" --no-progress
is "one more than the portal holds: exit 2" "$RC" 2
like "it has 1 and adds 1" "$ERR" "company $A may have 1 contact labeled Billing contact; it has 1 and this file adds 1 (line 1)"
# The pair A already holds, sent again: adds nothing, goes through.
printf '%s,%s\n' "${C[20]}" "$A" > "$T_TMP/again.csv"
ha create contacts companies --input "$T_TMP/again.csv" --type "Billing contact" --no-progress
is "a pair held already adds nothing: exit 0" "$RC" 0

# The limit raised, the refused session resumed: it sends now.
req POST "$C2/companies/contacts/batch/create" '{"inputs":[{"category":"USER_DEFINED","typeId":37,"maxToObjectIds":5}]}'
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" resume "$S" --base-url "$SB" --no-progress 2> "$T_TMP/err"
is "resume after the limit was raised: exit 0" "$?" 0
is "resumed: the lines created" "$(types_between contacts companies "${C[22]}" "$A")" "HUBSPOT_DEFINED:279 USER_DEFINED:36"

# A relabel that would pass it is held the same way.
req POST "$C2/companies/contacts/batch/create" '{"inputs":[{"category":"USER_DEFINED","typeId":37,"maxToObjectIds":1}]}'
printf '%s,%s\n' "${C[23]}" "${free[2]}" > "$T_TMP/rl.csv"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/rl.csv" --base-url "$SB" --no-progress 2>/dev/null
printf '%s,%s\n' "${C[25]}" "${free[2]}" >> "$T_TMP/rl.csv"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/rl.csv" --base-url "$SB" --no-progress 2>/dev/null
ha relabel contacts companies --input "$T_TMP/rl.csv" --type "Billing contact" --yes --no-progress
is "relabel past a limit: exit 2" "$RC" 2
# Line 1's pair holds it already (sent within the limit above): line 2 adds.
like "relabel: the record named" "$ERR" "company ${free[2]} may have 1 contact labeled Billing contact; it has 1 and this file adds 1 (line 2)"
sb_stop

# A limit on FROM's end: a contact may have 2 companies (unlabeled).
sb_start --assoc-limit contacts/companies/HUBSPOT_DEFINED:279=2 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
c=${C[30]}
have=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq --arg c "$c" '[.results[] | select(.from == $c)] | length')
req POST "$C2/contacts/companies/batch/create" "{\"inputs\":[{\"category\":\"HUBSPOT_DEFINED\",\"typeId\":279,\"maxToObjectIds\":$((have + 1))}]}"
printf '%s,%s\n%s,%s\n' "$c" "${O[40]}" "$c" "${O[41]}" > "$T_TMP/from.csv"
ha create contacts companies --input "$T_TMP/from.csv" --type 279 --no-progress
is "FROM's limit: exit 2" "$RC" 2
noun=companies; [ "$have" = 0 ] && noun=company
like "FROM's limit: the contact named" "$ERR" "contact $c may have $((have + 1)) $noun; it has $have and this file adds 2 (lines 1, 2)"
sb_stop

# A token without the schema scope cannot list the limits: said, and sent.
sb_start --assoc-limit companies/contacts/USER_DEFINED:37=1 \
	--scopes crm.objects.contacts.read,crm.objects.contacts.write,crm.objects.companies.read,crm.objects.companies.write || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
printf '%s,%s\n' "${C[40]}" "${O[50]}" > "$T_TMP/scope.csv"
ha create contacts companies --input "$T_TMP/scope.csv" --type 279 --no-progress
is "limits not readable: sent all the same" "$RC" 0
like "limits not readable: said" "$ERR" "limits     not read ("
sb_stop

done_testing
