#!/usr/bin/env bash
# The sandbox is as strict as HubSpot: tokens, scopes, bodies.
. "$(dirname "$0")/sandbox_lib.sh"

sb_start --expired-token old-token || { not_ok "sandbox starts"; done_testing; exit 1; }
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
good=$(create_body "${C[0]}" "${O[0]}" HUBSPOT_DEFINED 279)
P="$V4/contacts/companies/batch/create"

NOAUTH=1 req POST "$P" "$good"
is "no token: 401" "$CODE" 401
is "no token: INVALID_AUTHENTICATION" "$(jqr .category)" INVALID_AUTHENTICATION
like "no token: HubSpot's message" "$(jqr .message)" "Authentication credentials not found."
AUTH_TOKEN=wrong req POST "$P" "$good"
is "wrong token: 401" "$CODE" 401
# Refused before the rate windows saw it: no budget spent, none said
# (before: "Remaining: 0", which paused every client's governor).
is "a 401 says nothing of the budget" "$(header X-HubSpot-RateLimit-Remaining)" ""
req POST "$P" "$good"
[ -n "$(header X-HubSpot-RateLimit-Remaining)" ] && ok "an answered request does" || not_ok "an answered request does"
AUTH_TOKEN=old-token req POST "$P" "$good"
is "expired token: 401" "$CODE" 401
is "expired token: EXPIRED_AUTHENTICATION" "$(jqr .category)" EXPIRED_AUTHENTICATION
[ "$(jqr '.context["expire time"][0]')" != null ] && ok "expired token: expire time" || not_ok "expired token: expire time"
NOAUTH=1 req POST "$P" "$good" -H "Authorization: Basic c2FuZGJveA=="
is "not a Bearer: 401" "$CODE" 401
NOAUTH=1 req GET "/_sandbox/associations?from=contacts&to=companies"
is "test endpoints need no token" "$CODE" 200

# Bodies, checked as HubSpot's JSON binder checks them.
req POST "$P" ""
is "no body: 400" "$CODE" 400
is "no body: message" "$(jqr .message)" "Invalid JSON input: a request body was expected, but none found"
is "no body: VALIDATION_ERROR" "$(jqr .category)" VALIDATION_ERROR
req POST "$P" '{"inputs":[{"from":{"id":"1"},}]}'
is "malformed: 400" "$CODE" 400
like "malformed: line and column" "$(jqr .message)" "Invalid input JSON on line 1, column"
like "malformed: the character" "$(jqr .message)" "Unexpected character ("
is "malformed: no category" "$(jqr '.category // "none"')" none
req POST "$P" '{"inputs":[{"from":{"id":"1"'
like "cut short: end-of-input" "$(jqr .message)" "Unexpected end-of-input"
req POST "$P" "{\"inputs\":[{\"from\":{\"id\":\"${C[0]}\"},\"to\":{\"id\":\"${O[0]}\"},\"types\":[{}]}]}"
is "missing fields: 400" "$CODE" 400
like "missing fields: HubSpot's message" "$(jqr .message)" "Some required fields were not set: [associationCategory, associationTypeId]"
like "missing fields: located at the object" "$(jqr .message)" "Invalid input JSON on line 1, column 74."
is "missing fields: VALIDATION_ERROR" "$(jqr .category)" VALIDATION_ERROR
req POST "$P" "{\"inputs\":[{\"from\":{\"id\":\"${C[0]}\"},\"to\":{\"id\":\"${O[0]}\"}}]}"
like "no types" "$(jqr .message)" "Some required fields were not set: [types]"
req POST "$P" '{"inputs":[{"to":{"id":"1"},"types":[]}]}'
like "no from" "$(jqr .message)" "Some required fields were not set: [from]"
req POST "$P" '{"inputs":[{"from":{},"to":{"id":"1"},"types":[]}]}'
like "no id" "$(jqr .message)" "Some required fields were not set: [id]"
req POST "$P" '{}'
like "no inputs" "$(jqr .message)" "Some required fields were not set: [inputs]"
req POST "$P" "{\"inputs\":[{\"from\":{\"id\":\"${C[0]}\"},\"to\":{\"id\":\"${O[0]}\"},\"types\":[]}]}"
is "types: []: 400" "$CODE" 400
is "types: []: VALIDATION_ERROR" "$(jqr .category)" VALIDATION_ERROR
CODE=$(curl -s -o "$T_TMP/ct" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
	-H "Content-Type: text/plain" --data-binary "$good" "$SB$P")
is "not application/json: 415" "$CODE" 415
like "not application/json: said" "$(jq -r .message "$T_TMP/ct")" "Content type 'text/plain' not supported"
req POST "$P" '[]'
like "not an object" "$(jqr .message)" "from Array value"
req POST "$P" '{"inputs":{}}'
like "inputs not an array" "$(jqr .message)" "java.util.ArrayList"
req POST "$P" "{\"inputs\":[{\"from\":{\"id\":\"${C[0]}\"},\"to\":{\"id\":\"${O[0]}\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":\"abc\"}]}]}"
like "type ID not an int" "$(jqr .message)" "Cannot deserialize value of type \`int\` from String \"abc\""
req POST "$P" "{\"inputs\":[{\"from\":{\"id\":\"${C[0]}\"},\"to\":{\"id\":\"${O[0]}\"},\"types\":[{\"associationCategory\":\"HUBSPOT\",\"associationTypeId\":279}]}]}"
like "unknown category" "$(jqr .message)" "not one of the values accepted for Enum class: [HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED, WORK]"
req POST "$P" "{\"inputs\":[{\"from\":{\"id\":${C[0]}},\"to\":{\"id\":${O[0]}},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":\"279\"}]}]}"
is "numbers for IDs and a numeric string for the type, as Jackson coerces" "$CODE" 201
req POST "$P" "{\"inputs\":[{\"from\":{\"id\":[1]},\"to\":{\"id\":\"1\"},\"types\":[]}]}"
like "ID of the wrong type" "$(jqr .message)" "from Array value"

sb_stop
sb_start --max-inputs 3 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
req POST "$P" "$(create_body "${C[0]}" "${O[0]}" HUBSPOT_DEFINED 279 "${C[1]}" "${O[0]}" HUBSPOT_DEFINED 279 "${C[2]}" "${O[0]}" HUBSPOT_DEFINED 279 "${C[3]}" "${O[0]}" HUBSPOT_DEFINED 279)"
is "over --max-inputs: 400" "$CODE" 400
like "over --max-inputs: says the limit" "$(jqr .message)" "exceeds the maximum of 3"
is "over --max-inputs: nothing written" "$(types_between contacts companies "${C[3]}" "${O[0]}")" ""
req POST "$P" "$(create_body "${C[0]}" "${O[0]}" HUBSPOT_DEFINED 279 "${C[1]}" "${O[0]}" HUBSPOT_DEFINED 279 "${C[2]}" "${O[0]}" HUBSPOT_DEFINED 279)"
is "at --max-inputs: fine" "$CODE" 201

# Scopes: a token that may read but not write.
sb_stop
sb_start --scopes crm.objects.contacts.read,crm.objects.companies.read || exit 1
req POST "$P" "$good"
is "missing write scopes: 403" "$CODE" 403
is "missing write scopes: MISSING_SCOPES" "$(jqr .category)" MISSING_SCOPES
is "missing write scopes: which" "$(jqr '.errors[0].context.requiredGranularScopes | join(",")')" "crm.objects.contacts.write,crm.objects.companies.write"
is "missing write scopes: link" "$(jqr .links.scopes)" "https://developers.hubspot.com/scopes"
req GET "$V4/contacts/companies/labels"
is "read scopes: labels readable" "$CODE" 200
sb_stop
sb_start --scopes crm.objects.contacts.write,crm.objects.companies.read || exit 1
req POST "$P" "$good"
is "one scope short: named" "$(jqr '.errors[0].context.requiredGranularScopes | join(",")')" "crm.objects.companies.write"
sb_stop
done_testing
