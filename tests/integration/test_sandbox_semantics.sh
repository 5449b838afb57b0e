#!/usr/bin/env bash
# The sandbox keeps HubSpot's rules (hubspot-api.md §4).
. "$(dirname "$0")/sandbox_lib.sh"

# The per-input (207) shapes; the whole-batch 400, the default, is in
# test_sandbox_switches.
sb_start --invalid-mode 207 || { not_ok "sandbox starts"; done_testing; exit 1; }
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
mapfile -t D < <(ids_of deals)
create() { req POST "$V4/$1/$2/batch/create" "$(create_body "${@:3}")"; }

# A contact with no associations yet, to start clean.
pick_free_contact() {
	local c
	for c in "${C[@]}"; do
		if [ "$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq --arg c "$c" '[.results[] | select(.from == $c)] | length')" = 0 ]; then
			echo "$c"; return
		fi
	done
}
c=$(pick_free_contact)
[ -n "$c" ] && ok "a contact without companies" || not_ok "a contact without companies"

# Two-way, with the inverse type.
create contacts companies "$c" "${O[0]}" HUBSPOT_DEFINED 279
is "written one way" "$(types_between contacts companies "$c" "${O[0]}")" "HUBSPOT_DEFINED:279"
is "readable the other way with the inverse" "$(types_between companies contacts "${O[0]}" "$c")" "HUBSPOT_DEFINED:280"
req POST "$V4/companies/contacts/batch/read" "{\"inputs\":[{\"id\":\"${O[0]}\"}]}"
is "batch read from the other side" "$(printf '%s' "$OUT" | jq -r --arg c "$c" '.results[0].to[] | select((.toObjectId|tostring) == $c) | .associationTypes[0].typeId')" 280

# A labeled write brings the unlabeled default.
create contacts companies "$c" "${O[1]}" USER_DEFINED 36
is "label plus default" "$(types_between contacts companies "$c" "${O[1]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:36"
is "label result lists the label" "$(jqr '.results[0].labels[0]')" "Billing contact"
is "label the other way" "$(types_between companies contacts "${O[1]}" "$c")" "HUBSPOT_DEFINED:280 USER_DEFINED:37"

# New USER_DEFINED labels replace the old ones; HubSpot's stay.
create contacts companies "$c" "${O[1]}" USER_DEFINED 44
is "labels replaced" "$(types_between contacts companies "$c" "${O[1]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:44"
is "non-ASCII label in the result" "$(jqr '.results[0].labels[0]')" "Entscheidungsträger"
req POST "$V4/contacts/companies/batch/create" "{\"inputs\":[{\"from\":{\"id\":\"$c\"},\"to\":{\"id\":\"${O[1]}\"},\"types\":[{\"associationCategory\":\"USER_DEFINED\",\"associationTypeId\":44},{\"associationCategory\":\"USER_DEFINED\",\"associationTypeId\":36}]}]}"
is "sending both keeps both" "$(types_between contacts companies "$c" "${O[1]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:36 USER_DEFINED:44"
create contacts companies "$c" "${O[1]}" HUBSPOT_DEFINED 279
is "an unlabeled re-send leaves labels alone" "$(types_between contacts companies "$c" "${O[1]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:36 USER_DEFINED:44"
is "re-sending is not an error" "$CODE" 201

# One primary company: a new primary demotes the old to unlabeled.
create contacts companies "$c" "${O[2]}" HUBSPOT_DEFINED 1
is "primary written" "$(types_between contacts companies "$c" "${O[2]}")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279"
create contacts companies "$c" "${O[3]}" HUBSPOT_DEFINED 1
is "new primary" "$(types_between contacts companies "$c" "${O[3]}")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279"
is "old primary demoted, still associated" "$(types_between contacts companies "$c" "${O[2]}")" "HUBSPOT_DEFINED:279"
primaries=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq --arg c "$c" '[.results[] | select(.from == $c) | .types[] | select(.typeId == 1)] | length')
is "one primary per contact" "$primaries" 1
# From the company side (typeId 2) it is the same primary.
req POST "$V4/companies/contacts/batch/create" "$(create_body "${O[4]}" "$c" HUBSPOT_DEFINED 2)"
is "primary from the company side" "$(types_between contacts companies "$c" "${O[4]}")" "HUBSPOT_DEFINED:1 HUBSPOT_DEFINED:279"
is "and the last one demoted" "$(types_between contacts companies "$c" "${O[3]}")" "HUBSPOT_DEFINED:279"
# A company may be primary for many contacts.
primary_of() { curl -s "$SB/_sandbox/associations?from=companies&to=contacts" | jq --arg o "$1" '[.results[] | select(.from == $o) | .types[] | select(.typeId == 2)] | length'; }
n0=$(primary_of "${O[4]}")
create contacts companies "${C[5]}" "${O[4]}" HUBSPOT_DEFINED 1 "${C[6]}" "${O[4]}" HUBSPOT_DEFINED 1
n1=$(primary_of "${O[4]}")
[ "$n1" -ge $((n0 + 1)) ] && [ "$n1" -le $((n0 + 2)) ] && ok "company primary for more contacts" || not_ok "company primary for more contacts" "$n0 -> $n1"

# The seeded portal has primary companies for deals too.
req GET "$V4/deals/companies/labels"
n=$(curl -s "$SB/_sandbox/associations?from=deals&to=companies" | jq '[.results[] | select(.types | map(.typeId) | index(5))] | length')
is "seeded deals have primary companies" "$n" "${#D[@]}"

# typeIds are checked against the direction.
create contacts companies "${C[7]}" "${O[7]}" HUBSPOT_DEFINED 280
is "wrong-direction type: 207" "$CODE" 207
is "wrong-direction type: IDs checked as the other types" "$(jqr '.errors[0].context.INVALID_OBJECT_IDS | join(";")')" "COMPANY=${C[7]} is not valid;CONTACT=${O[7]} is not valid"
is "wrong-direction type: nothing written" "$(types_between contacts companies "${C[7]}" "${O[7]}")" ""
create deals companies "${D[1]}" "${O[1]}" HUBSPOT_DEFINED 1
is "typeId 1 on deals/companies checks the deal as a CONTACT" "$(jqr '.errors[0].context.INVALID_OBJECT_IDS[0]')" "CONTACT=${D[1]} is not valid"
create contacts companies "${C[8]}" "${O[8]}" USER_DEFINED 3
is "unknown type: 207" "$CODE" 207
is "unknown type: HubSpot's context" "$(jqr '.errors[0].context.associationSpec[0] + " | " + .errors[0].context.INVALID_ASSOCIATION_TYPE_ID[0]')" "USER_DEFINED=3 | USER_DEFINED=3 is not a valid association definition id"

# Unknown object IDs, grouped as HubSpot groups them.
create contacts companies "${C[9]}" 999 HUBSPOT_DEFINED 279 "${C[10]}" 998 HUBSPOT_DEFINED 279 "${C[11]}" "${O[9]}" HUBSPOT_DEFINED 279
is "unknown IDs: 207" "$CODE" 207
is "unknown IDs: one grouped error" "$(jqr '.errors | length')" 1
is "unknown IDs: named" "$(jqr '.errors[0].context.INVALID_OBJECT_IDS | join(";")')" "COMPANY=999 is not valid;COMPANY=998 is not valid"
is "unknown IDs: numErrors counts entries" "$(jqr .numErrors)" 1
is "unknown IDs: the good one created" "$(jqr '.results | length')" 1
create contacts companies "abc" "${O[9]}" HUBSPOT_DEFINED 279
is "non-numeric ID: not valid" "$(jqr '.errors[0].context.INVALID_OBJECT_IDS[0]')" "CONTACT=abc is not valid"

# Custom object, by p_name and type ID.
mapfile -t R < <(ids_of p_cars)
create p_cars contacts "${R[0]}" "${C[12]}" USER_DEFINED 48
is "custom object label" "$(types_between 2-7353817 contacts "${R[0]}" "${C[12]}")" "HUBSPOT_DEFINED:1001 USER_DEFINED:48"
is "custom object other way" "$(types_between contacts p_cars "${C[12]}" "${R[0]}")" "HUBSPOT_DEFINED:1002 USER_DEFINED:49"

# Paired labels on the same object.
create contacts contacts "${C[13]}" "${C[14]}" USER_DEFINED 42
is "paired label: manager" "$(types_between contacts contacts "${C[13]}" "${C[14]}")" "HUBSPOT_DEFINED:449 USER_DEFINED:42"
is "paired label: direct report" "$(types_between contacts contacts "${C[14]}" "${C[13]}")" "HUBSPOT_DEFINED:449 USER_DEFINED:43"

# A company has one parent.
create companies companies "${O[20]}" "${O[21]}" HUBSPOT_DEFINED 13
create companies companies "${O[22]}" "${O[21]}" HUBSPOT_DEFINED 13
is "new parent" "$(types_between companies companies "${O[22]}" "${O[21]}")" "HUBSPOT_DEFINED:13 HUBSPOT_DEFINED:450"
is "old parent no longer parent" "$(types_between companies companies "${O[20]}" "${O[21]}")" "HUBSPOT_DEFINED:450"

# Reset restores the seeded state.
before=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq .count)
req POST /_sandbox/reset
is "reset: 204" "$CODE" 204
after=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq .count)
sb_stop
sb_start || exit 1
fresh=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq .count)
is "reset gives the seeded store" "$after" "$fresh"
[ "$before" != "$after" ] && ok "the run had changed the store" || not_ok "the run had changed the store"

# The seed decides the portal.
a=$(ids_of contacts | head -3 | tr '\n' ' ')
sb_stop
sb_start --seed 1 || exit 1
b=$(ids_of contacts | head -3 | tr '\n' ' ')
sb_stop
sb_start --seed 2 || exit 1
c2=$(ids_of contacts | head -3 | tr '\n' ' ')
is "same seed, same portal" "$a" "$b"
[ "$a" != "$c2" ] && ok "other seed, other portal" || not_ok "other seed, other portal"

# The open portal: any valid ID but the missing ones.
sb_stop
printf '# missing\n555\n556,557\n' > "$T_TMP/missing.txt"
sb_start --open-portal --missing 101,102 --missing-file "$T_TMP/missing.txt" --invalid-mode 207 || exit 1
create contacts companies 100 200 HUBSPOT_DEFINED 279 101 200 HUBSPOT_DEFINED 279 103 557 HUBSPOT_DEFINED 279
is "open portal: 207" "$CODE" 207
is "open portal: the missing reported" "$(jqr '.errors[0].context.INVALID_OBJECT_IDS | join(";")')" "CONTACT=101 is not valid;COMPANY=557 is not valid"
is "open portal: any other ID exists" "$(types_between contacts companies 100 200)" "HUBSPOT_DEFINED:279"
create contacts companies 9223372036854775807 1 HUBSPOT_DEFINED 279
is "open portal: the largest long" "$CODE" 201
create contacts companies 9223372036854775808 1 HUBSPOT_DEFINED 279
is "open portal: past a long is not valid" "$(jqr '.errors[0].context.INVALID_OBJECT_IDS[0]')" "CONTACT=9223372036854775808 is not valid"
# Wrong-direction type with existing IDs: HubSpot refuses the definition.
create contacts companies 300 400 HUBSPOT_DEFINED 280
is "open portal: wrong-direction type refused" "$(jqr '.errors[0].context.INVALID_ASSOCIATION_TYPE_ID[0]')" "HUBSPOT_DEFINED=280 is not a valid association definition id"
is "open portal: its message says no type, as HubSpot's 207s" "$(jqr '.errors[0].message')" "One or more associations are invalid"
# One batch that makes two companies Primary for one contact: the later
# wins, and the results say so (not Primary twice).
create contacts companies 311 421 HUBSPOT_DEFINED 1 311 422 HUBSPOT_DEFINED 1
is "two Primary in one batch: the results agree with the store" \
	"$(jqr '[.results[] | "\(.toObjectId):\(.labels | join(","))"] | sort | join(" ")')" "421: 422:Primary"
is "two Primary in one batch: the store" "$(types_between contacts companies 311 421)" "HUBSPOT_DEFINED:279"
# The same pair twice: one result, with its types as they now stand.
create contacts companies 312 423 USER_DEFINED 36 312 423 HUBSPOT_DEFINED 279
is "the same pair twice: one result" "$(jqr '.results | length')" 1
is "the same pair twice: its labels as stored" "$(jqr '.results[0].labels | join(",")')" "Billing contact"
sb_stop
done_testing
