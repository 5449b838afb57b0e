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
sb_stop

# A labels call that meets a 503 is tried again, as the engine's would be.
sb_start --open-portal --fail-5xx 1 --fault-only /labels --fault-count 1 --log "$T_TMP/l.log" || exit 1
tui_start 100 24 --base-url "$SB"
shows "starts" "budget" || exit 1
commands "from contacts" "to companies"
keys y
shows "the labels come after one more try" "Billing contact" 15 || exit 1
is "two labels requests, the first failed" "$(grep -c '/labels' "$T_TMP/l.log")" 2
sb_stop

# The header names the profile chosen, before it connects too (here, while
# it asks for the token the profile does not give).
sb_start --open-portal || exit 1
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile small]\nbase_url = %s\nrate = 50/10s\n' "$SB" > "$XDG_CONFIG_HOME/hubassoc/config"
chmod 600 "$XDG_CONFIG_HOME/hubassoc/config"
TUI_ENV="-u HUBSPOT_ACCESS_TOKEN" tui_start 100 24 --profile small
shows "it asks for the token" "HubSpot token:" || exit 1
like "the header says profile small, not default" "$(row 1)" "profile small"
typein "sandbox-token"
keys Enter
shows "connected with the profile" "budget" || exit 1
like "and still says profile small" "$(row 1)" "profile small"
done_testing
