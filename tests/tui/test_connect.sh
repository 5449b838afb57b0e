#!/usr/bin/env bash
# What the portal answers at start is read as every answer is, and said:
# custom objects that cannot be listed are not left out unsaid.
. "$(dirname "$0")/tui_lib.sh"

# A token without crm.schemas.custom.read: the schemas call is refused.
sb_start --open-portal --scopes crm.objects.contacts.read,crm.objects.companies.read,crm.objects.contacts.write,crm.objects.companies.write || exit 1
tui_start 100 24 --base-url "$SB"
shows "starts" "budget" || exit 1
shows "the refused schemas call is said, with HubSpot's words" "custom objects not listed: HubSpot answered 403" || exit 1
like "and the category" "$(screen)" "MISSING_SCOPES"
keys f
shows "standard objects are still offered" "contacts (0-1)" || exit 1
done_testing
