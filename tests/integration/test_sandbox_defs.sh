#!/usr/bin/env bash
# The sandbox's schema endpoints, as HubSpot serves them: labels made
# (paired or not, at most 50 an object pair) and deleted, limits set,
# listed and purged, a write past a limit refused with the record named,
# and all of it kept by a kept portal.
. "$(dirname "$0")/sandbox_lib.sh"

sb_start --open-portal || { not_ok "sandbox starts"; done_testing; exit 1; }
L=/crm/associations/v4

# A paired label: two type IDs, one a direction, each listed its way.
req POST "$L/contacts/companies/labels" '{"label":"Sponsor","name":"sponsor","inverseLabel":"Sponsored by"}'
is "label create: 200" "$CODE" 200
is "label create: both directions' type IDs" "$(jqr '[.results[] | "\(.category):\(.label)"] | join(",")')" \
	"USER_DEFINED:Sponsor,USER_DEFINED:Sponsored by"
ID=$(jqr '.results[0].typeId')
INV=$(jqr '.results[1].typeId')
[ "$ID" != "$INV" ] && ok "paired: two type IDs" || not_ok "paired: two type IDs" "$ID $INV"
req GET "$V4/contacts/companies/labels"
is "listed from contacts" "$(jqr ".results[] | select(.typeId == $ID) | .label")" "Sponsor"
req GET "$V4/companies/contacts/labels"
is "and its other end from companies" "$(jqr ".results[] | select(.typeId == $INV) | .label")" "Sponsored by"
# Usable at once in a write.
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[0]}" "${O[0]}" USER_DEFINED "$ID")"
is "a pair with the new label: 201" "$CODE" 201
is "it holds it" "$(types_between contacts companies "${C[0]}" "${O[0]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:$ID"
# A name given twice, and what is required.
req POST "$L/contacts/companies/labels" '{"label":"sponsor","name":"sponsor2"}'
is "a label of the same name: 400" "$CODE" 400
like "saying so" "$(jqr .message)" "already exists"
req POST "$L/contacts/companies/labels" '{"name":"x"}'
is "no label: 400" "$CODE" 400
req POST "$V4/contacts/companies/labels" '{"label":"Plain","name":"plain"}'
is "an unpaired label on the v4 path: 200" "$CODE" 200
is "unpaired: the same label both ways" "$(jqr '[.results[].label] | join(",")')" "Plain,Plain"

# Deleting: the label goes, and so does it from the pairs that held it.
req DELETE "$L/contacts/companies/labels/$ID"
is "label delete: 204" "$CODE" 204
req GET "$V4/contacts/companies/labels"
is "no longer listed" "$(jqr "[.results[] | select(.typeId == $ID)] | length")" 0
req GET "$V4/companies/contacts/labels"
is "nor its other end" "$(jqr "[.results[] | select(.typeId == $INV)] | length")" 0
is "the pair keeps the rest" "$(types_between contacts companies "${C[0]}" "${O[0]}")" "HUBSPOT_DEFINED:279"
req DELETE "$L/contacts/companies/labels/$ID"
is "deleting it again: 404" "$CODE" 404
req DELETE "$V4/contacts/companies/batch/create"
is "DELETE elsewhere: 405" "$CODE" 405

# 50 labels an object pair, HubSpot's most.
n=$(curl -s -H "Authorization: Bearer $TOKEN" "$SB$V4/deals/contacts/labels" | jq '[.results[] | select(.category == "USER_DEFINED")] | length')
for i in $(seq $((n + 1)) 50); do
	req POST "$L/deals/contacts/labels" "{\"label\":\"L$i\",\"name\":\"l$i\"}"
	[ "$CODE" = 200 ] || break
done
is "up to 50 labels: made" "$CODE" 200
req POST "$L/deals/contacts/labels" '{"label":"One more","name":"one_more"}'
is "the 51st: 400" "$CODE" 400
like "naming the cap" "$(jqr .message)" "maximum number of association labels (50)"

# Limits: none at first; set, listed, enforced, purged.
C2=/crm/associations/v4/definitions/configurations
req GET "$C2/contacts/companies"
is "no limit configured: an empty list" "$(jqr '.results | length')" 0
req POST "$C2/contacts/companies/batch/create" '{"inputs":[{"category":"USER_DEFINED","typeId":36,"maxToObjectIds":1}]}'
is "limit set: 201" "$CODE" 201
req GET "$C2/contacts/companies"
is "listed with its label" "$(jqr '.results[0] | "\(.typeId) \(.label) \(.userEnforcedMaxToObjectIds)"')" "36 Billing contact 1"
req POST "$C2/contacts/companies/batch/create" '{"inputs":[{"category":"USER_DEFINED","typeId":999,"maxToObjectIds":1}]}'
is "a type the direction lacks: 400" "$CODE" 400
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[1]}" "${O[1]}" USER_DEFINED 36 "${C[1]}" "${O[2]}" USER_DEFINED 36)"
is "two Billing contacts for one contact past a limit of 1: 400" "$CODE" 400
is "naming the record" "$(jqr '.context.ASSOCIATION_LIMIT_EXCEEDED[0]')" "CONTACT=${C[1]}"
is "nothing written" "$(types_between contacts companies "${C[1]}" "${O[1]}")" ""
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[1]}" "${O[1]}" USER_DEFINED 36)"
is "one, within the limit: 201" "$CODE" 201
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[1]}" "${O[1]}" USER_DEFINED 36)"
is "the same again adds nothing: 201" "$CODE" 201
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[1]}" "${O[2]}" USER_DEFINED 36)"
is "a second, past it: 400" "$CODE" 400
# A limit on the other direction is checked from the TO record's side.
req POST "$C2/companies/contacts/batch/create" '{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":280,"maxToObjectIds":1}]}'
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[5]}" "${O[9]}" HUBSPOT_DEFINED 279 "${C[6]}" "${O[9]}" HUBSPOT_DEFINED 279)"
is "two contacts for a company limited to 1 contact: 400" "$CODE" 400
is "the company named" "$(jqr '.context.ASSOCIATION_LIMIT_EXCEEDED[0]')" "COMPANY=${O[9]}"
req POST "$C2/companies/contacts/batch/purge" '{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":280}]}'
is "purge: 204" "$CODE" 204
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[5]}" "${O[9]}" HUBSPOT_DEFINED 279 "${C[6]}" "${O[9]}" HUBSPOT_DEFINED 279)"
is "purged: both go through" "$CODE" 201
sb_stop

done_testing
