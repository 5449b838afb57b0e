#!/usr/bin/env bash
# The sandbox's endpoints, each on every path it is served on.
. "$(dirname "$0")/sandbox_lib.sh"

sb_start || { not_ok "sandbox starts"; done_testing; exit 1; }
like "ready line" "$SB_READY" "listening on http://127.0.0.1:"

mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
mapfile -t D < <(ids_of deals)
is "a few hundred contacts" "${#C[@]}" 300
is "companies" "${#O[@]}" 120
digits=$(printf '%s\n' "${C[@]}" "${O[@]}" | awk '{ if (length($0) < 9 || length($0) > 11) bad++ } END { print bad + 0 }')
is "IDs have 9 to 11 digits" "$digits" 0

# batch/create, v4 and date-versioned.
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[0]}" "${O[5]}" HUBSPOT_DEFINED 279)"
is "create: 201" "$CODE" 201
is "create: COMPLETE" "$(jqr .status)" COMPLETE
like "create: IDs are JSON numbers" "$OUT" "\"fromObjectId\":${C[0]},"
like "create: to ID a number" "$OUT" "\"toObjectId\":${O[5]},"
is "create: type IDs" "$(jqr '.results[0].fromObjectTypeId + " " + .results[0].toObjectTypeId')" "0-1 0-2"
like "create: correlation header" "$(header X-HubSpot-Correlation-Id)" "-4"
is "create: JSON content type" "$(header Content-Type)" "application/json;charset=utf-8"
req POST "/crm/associations/2026-03/contacts/companies/batch/create" "$(create_body "${C[1]}" "${O[6]}" HUBSPOT_DEFINED 279)"
is "create on 2026-03: 201" "$CODE" 201
is "create on 2026-03: stored" "$(types_between contacts companies "${C[1]}" "${O[6]}")" "HUBSPOT_DEFINED:279"
req POST "$V4/0-1/0-2/batch/create" "$(create_body "${C[2]}" "${O[7]}" HUBSPOT_DEFINED 279)"
is "create by type IDs" "$CODE" 201
req POST "$V4/contact/company/batch/create" "$(create_body "${C[3]}" "${O[8]}" HUBSPOT_DEFINED 279)"
is "create by singular names" "$CODE" 201

# Results in no promised order: a 50-input batch comes back shuffled.
body='{"inputs":['
for i in $(seq 10 59); do
	body="$body{\"from\":{\"id\":\"${C[$i]}\"},\"to\":{\"id\":\"${O[1]}\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":279}]}"
	[ "$i" -lt 59 ] && body="$body,"
done
body="$body]}"
req POST "$V4/contacts/companies/batch/create" "$body"
is "50 results" "$(jqr '.results | length')" 50
sent=$(printf '%s' "$body" | jq -r '.inputs[].from.id' | tr '\n' ' ')
got=$(jqr '.results[].fromObjectId' | tr '\n' ' ')
if [ "$sent" != "$got" ]; then ok "results not in input order"; else not_ok "results not in input order"; fi
is "every input answered" "$(jqr '.results[].fromObjectId' | sort | tr '\n' ' ')" "$(printf '%s' "$body" | jq -r '.inputs[].from.id' | sort | tr '\n' ' ')"

# batch/associate/default: both directions.
req POST "$V4/deals/contacts/batch/associate/default" "{\"inputs\":[{\"from\":{\"id\":\"${D[0]}\"},\"to\":{\"id\":\"${C[20]}\"}}]}"
is "associate default: 200" "$CODE" 200
is "associate default: both directions" "$(jqr '[.results[].associationSpec.associationTypeId] | sort | map(tostring) | join(",")')" "3,4"
is "associate default: reverse pair" "$(jqr '.results[] | select(.associationSpec.associationTypeId == 4) | .from.id')" "${C[20]}"
is "associate default: stored" "$(types_between deals contacts "${D[0]}" "${C[20]}")" "HUBSPOT_DEFINED:3"

# batch/read with paging.
sb_stop
sb_start --page-size 2 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
body=$(create_body "${C[100]}" "${O[0]}" HUBSPOT_DEFINED 279 "${C[100]}" "${O[1]}" HUBSPOT_DEFINED 279 "${C[100]}" "${O[2]}" HUBSPOT_DEFINED 279 "${C[100]}" "${O[3]}" HUBSPOT_DEFINED 279 "${C[100]}" "${O[4]}" HUBSPOT_DEFINED 279)
req POST "$V4/contacts/companies/batch/create" "$body"
all=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r --arg c "${C[100]}" '[.results[] | select(.from == $c)] | length')
req POST "$V4/contacts/companies/batch/read" "{\"inputs\":[{\"id\":\"${C[100]}\"}]}"
is "read: 200" "$CODE" 200
is "read: a page of 2" "$(jqr '.results[0].to | length')" 2
after=$(jqr '.results[0].paging.next.after')
[ -n "$after" ] && [ "$after" != null ] && ok "read: next page cursor" || not_ok "read: next page cursor" "$OUT"
seen=$(jqr '.results[0].to[].toObjectId')
pages=1
while [ -n "$after" ] && [ "$after" != null ] && [ "$pages" -lt 10 ]; do
	req POST "$V4/contacts/companies/batch/read" "{\"inputs\":[{\"id\":\"${C[100]}\",\"after\":\"$after\"}]}"
	seen="$seen
$(jqr '.results[0].to[].toObjectId')"
	after=$(jqr '.results[0].paging.next.after // empty')
	pages=$((pages + 1))
done
is "read: pages cover every association" "$(printf '%s\n' "$seen" | sort -u | grep -c .)" "$all"
is "read: association types listed" "$(jqr '.results[0].to[0].associationTypes[0].category')" HUBSPOT_DEFINED
req POST "$V4/contacts/companies/batch/read" '{"inputs":[{"id":"999"}]}'
is "read: unknown ID 207" "$CODE" 207
# As HubSpot answers it: left out of results, named as one with none.
is "read: unknown ID left out" "$(jqr '.results | length')" 0
is "read: unknown ID named as with none" "$(jqr '.errors[0].context.fromObjectId[0]')" 999
is "read: with none, HubSpot's subCategory" "$(jqr '.errors[0].subCategory')" \
	crm.associations.NO_ASSOCIATIONS_FOUND
like "read: with none, HubSpot's words" "$(jqr '.errors[0].message')" "No company is associated with contact 999."

# batch/archive: every type between the pairs, both directions gone.
req POST "$V4/contacts/companies/batch/archive" "{\"inputs\":[{\"from\":{\"id\":\"${C[100]}\"},\"to\":[{\"id\":\"${O[0]}\"},{\"id\":\"${O[1]}\"}]}]}"
is "archive: 204" "$CODE" 204
is "archive: no body" "$OUT" ""
is "archive: gone" "$(types_between contacts companies "${C[100]}" "${O[0]}")" ""
is "archive: gone the other way" "$(types_between companies contacts "${O[1]}" "${C[100]}")" ""
is "archive: the rest stays" "$(types_between contacts companies "${C[100]}" "${O[2]}")" "HUBSPOT_DEFINED:279"

# batch/labels/archive: only the given types.
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[100]}" "${O[2]}" USER_DEFINED 36)"
is "label added" "$(types_between contacts companies "${C[100]}" "${O[2]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:36"
req POST "$V4/contacts/companies/batch/labels/archive" "$(create_body "${C[100]}" "${O[2]}" USER_DEFINED 36)"
is "labels archive: 204" "$CODE" 204
is "labels archive: the label only" "$(types_between contacts companies "${C[100]}" "${O[2]}")" "HUBSPOT_DEFINED:279"
req POST "$V4/contacts/companies/batch/create" "$(create_body "${C[100]}" "${O[3]}" USER_DEFINED 36)"
req POST "/crm/associations/2026-03/contacts/companies/batch/labels/archive" "$(create_body "${C[100]}" "${O[3]}" HUBSPOT_DEFINED 279)"
is "labels archive of unlabeled takes the labels too" "$(types_between contacts companies "${C[100]}" "${O[3]}")" ""
is "2026-03 labels archive: 200" "$CODE" 200
is "2026-03 labels archive: a batch body" "$(jqr .status)" COMPLETE
req POST "/crm/associations/2026-03/contacts/companies/batch/archive" "{\"inputs\":[{\"from\":{\"id\":\"${C[100]}\"},\"to\":[{\"id\":\"${O[2]}\"}]}]}"
is "2026-03 archive: 200 with a batch body" "$CODE $(jqr .status)" "200 COMPLETE"
is "2026-03 archive: gone" "$(types_between contacts companies "${C[100]}" "${O[2]}")" ""

# labels: three path forms.
for path in "$V4/contacts/companies/labels" "/crm/associations/v4/contacts/companies/labels" "/crm/associations/2026-03/contacts/companies/labels"; do
	req GET "$path"
	is "labels $path: 200" "$CODE" 200
	is "labels $path: unlabeled has a null label" "$(jqr '.results[] | select(.typeId == 279) | .label')" null
done
is "labels: primary" "$(jqr '.results[] | select(.typeId == 1) | .label')" Primary
is "labels: custom" "$(jqr '.results[] | select(.typeId == 36) | .category + " " + .label')" "USER_DEFINED Billing contact"
is "labels: non-ASCII" "$(jqr '.results[] | select(.typeId == 44) | .label')" "Entscheidungsträger"
req GET "$V4/contacts/contacts/labels"
is "labels: paired label one way" "$(jqr '.results[] | select(.typeId == 42) | .label')" Manager
is "labels: paired label other way" "$(jqr '.results[] | select(.typeId == 43) | .label')" "Direct report"
req GET "$V4/p_cars/contacts/labels"
is "labels: custom object by p_name" "$(jqr '[.results[].typeId] | map(tostring) | join(",")')" "1001,48"

# objects batch read.
req POST "/crm/v3/objects/contacts/batch/read" "{\"inputs\":[{\"id\":\"${C[0]}\"}],\"properties\":[]}"
is "objects read: 200" "$CODE" 200
is "objects read: the record" "$(jqr '.results[0].id')" "${C[0]}"
[ -n "$(jqr '.results[0].properties.email')" ] && ok "objects read: properties" || not_ok "objects read: properties"
req POST "/crm/v3/objects/contacts/batch/read" "{\"inputs\":[{\"id\":\"${C[0]}\"},{\"id\":\"12345\"}],\"properties\":[]}"
is "objects read: missing 207" "$CODE" 207
is "objects read: OBJECT_NOT_FOUND" "$(jqr '.errors[0].category')" OBJECT_NOT_FOUND
is "objects read: missing IDs listed" "$(jqr '.errors[0].context.ids[0]')" 12345

# schemas.
req GET /crm/v3/schemas
is "schemas: 200" "$CODE" 200
is "schemas: custom object" "$(jqr '.results[0].objectTypeId')" 2-7353817
like "schemas: fully qualified name" "$(jqr '.results[0].fullyQualifiedName')" "_cars"

# Routes HubSpot does not have.
req GET /crm/v4/nothing/here
is "unknown route: 404" "$CODE" 404
is "unknown route: HubSpot shape" "$(jqr '.status + " " + .message')" "error resource not found"
[ -n "$(jqr .correlationId)" ] && ok "unknown route: correlation ID" || not_ok "unknown route: correlation ID"
req POST "$V4/cars/companies/batch/create" "$(create_body 1 2 HUBSPOT_DEFINED 279)"
is "bare custom name: 400" "$CODE" 400
is "bare custom name: message" "$(jqr .message)" "Unable to infer object type from: cars"
is "bare custom name: no category, as HubSpot's" "$(jqr '.category // "none"')" none
req GET "$V4/contacts/companies/batch/create"
is "wrong method: 405" "$CODE" 405

# Records found by their keys: an email is unique, a domain is not (the
# demo's first two companies share one); search pages, and has its own
# limit of 5 a second.
req GET "/crm/v3/objects/companies?limit=2"
is "objects list: a page of 2" "$(jqr '.results | length')" 2
after=$(jqr .paging.next.after)
first=$(jqr '.results[0].id') second=$(jqr '.results[1].id')
domain=$(jqr '.results[0].properties.domain')
is "the first two companies share a domain" "$(jqr '.results[1].properties.domain')" "$domain"
req GET "/crm/v3/objects/companies?limit=2&after=$after"
unlike "the next page goes on" "$(jqr '[.results[].id] | join(" ")')" "$first"
req POST /crm/v3/objects/companies/search "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"domain\",\"operator\":\"IN\",\"values\":[\"$domain\",\"nobody-1.com\"]}]}],\"limit\":200}"
is "search: a shared domain finds both companies" "$(jqr '[.results[].id] | join(" ")')" "$first $second"
is "search: its total" "$(jqr .total)" 2
req POST /crm/v3/objects/companies/batch/read '{"inputs":[{"id":"x.com"}],"idProperty":"domain"}'
is "batch/read by domain: refused, no unique key" "$CODE" 400
like "it says why" "$(jqr .message)" "not a unique identifier"
req GET "/crm/v3/objects/contacts?limit=1"
email=$(jqr '.results[0].properties.email') cid=$(jqr '.results[0].id')
upper=$(printf '%s' "$email" | tr 'a-z' 'A-Z')
req POST /crm/v3/objects/contacts/batch/read "{\"inputs\":[{\"id\":\"$upper\"},{\"id\":\"no.body.1@example.com\"}],\"idProperty\":\"email\"}"
is "batch/read by email: 207 for the one missing" "$CODE" 207
is "the email found, whatever its case" "$(jqr '.results[0].id')" "$cid"
is "the missing one, as HubSpot lists it" "$(jqr '.errors[0].category + " " + .errors[0].context.ids[0]')" "OBJECT_NOT_FOUND no.body.1@example.com"
# Eight at once: on a loaded machine, one after another may not fall in
# one second.
pids=()
for i in 1 2 3 4 5 6 7 8; do
	curl -s -o "$T_TMP/search$i" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
		-H "Content-Type: application/json" \
		--data-binary '{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"a@b.c"}]}]}' \
		"$SB/crm/v3/objects/contacts/search" > "$T_TMP/search$i.code" &
	pids+=($!)
done
wait "${pids[@]}"
codes=$(cat "$T_TMP"/search?.code)
like "search past 5 a second: 429" "$codes" "429"
policy=$(for i in 1 2 3 4 5 6 7 8; do [ "$(cat "$T_TMP/search$i.code")" = 429 ] && jq -r .policyName "$T_TMP/search$i"; done | sort -u)
is "a SECONDLY 429, as HubSpot's search answers" "$policy" SECONDLY
req POST /crm/v3/objects/contacts/search '{"filterGroups":[{"filters":[{"propertyName":"lastname","operator":"EQ","value":"x"}]}]}'
sleep 1.1
req POST /crm/v3/objects/contacts/search '{"filterGroups":[{"filters":[{"propertyName":"lastname","operator":"EQ","value":"x"}]}]}'
is "a property it cannot search: 400" "$CODE" 400

sb_stop
is "SIGTERM stops cleanly" "$SB_RC" 0
done_testing
