#!/usr/bin/env bash
# labels: a direction's types with the limits an admin set; labels create
# and labels delete, against the sandbox, and create --type with a label
# made in the same sitting.
. "$(dirname "$0")/sandbox_lib.sh"

sb_start --log "$T_TMP/l.log" || { not_ok "sandbox starts"; done_testing; exit 1; }
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)

# A paired label: its two type IDs, one a direction.
ha labels create contacts companies --label Sponsor --inverse "Sponsored by"
is "labels create: exit 0" "$RC" 0
like "its type IDs, a direction each" "$OUT" "contacts to companies                    USER_DEFINED               54  Sponsor"
like "the other way" "$OUT" "companies to contacts                    USER_DEFINED               55  Sponsored by"
like "said on stderr" "$ERR" "made 'Sponsor' for contacts to companies ('Sponsored by' the other way)"
is "one POST, on the schema line" "$(jq -r 'select(.method == "POST") | .path' "$T_TMP/l.log")" \
	"/crm/associations/v4/contacts/companies/labels"
ha labels contacts companies
like "listed" "$OUT" "USER_DEFINED               54       55      -         -  Sponsor"
# create --type takes it at once, by name.
printf '%s,%s\n' "${C[0]}" "${O[0]}" > "$T_TMP/p.csv"
ha create contacts companies --type Sponsor --input "$T_TMP/p.csv"
is "create --type with the new label: exit 0" "$RC" 0
is "the pair holds it" "$(types_between contacts companies "${C[0]}" "${O[0]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:54"
# A name it has, any case: refused before anything is sent.
: > "$T_TMP/l.log"
ha labels create contacts companies --label sponsor
is "a label it has: exit 2" "$RC" 2
like "saying which" "$ERR" "has a type named 'Sponsor' already: USER_DEFINED:54"
unlike "no usage advice for it" "$ERR" "for usage"
# Names --type could no longer tell apart, or no one could type: refused.
ha labels create contacts companies --label PRIMARY
like "HubSpot's own name: refused" "$ERR" "has a type named 'Primary' already: HUBSPOT_DEFINED:1"
ha labels create contacts companies --label unlabeled
like "'unlabeled': refused" "$ERR" "has a type named 'unlabeled' already: HUBSPOT_DEFINED:279"
ha labels create contacts companies --label Reseller --inverse "Sponsored BY"
like "an inverse the other way has: refused" "$ERR" "companies to contacts has a type named 'Sponsored by' already"
ha labels create contacts contacts --label Twin --inverse twin
like "within one type, a label and its other end the same: refused" "$ERR" "need names of their own"
ha labels create contacts companies --label " Reseller "
like "spaces around: refused" "$ERR" "begins or ends with a space"
ha labels create contacts companies --label "$(printf 'a\xe2\x80\xaeb')"
like "a bidirectional override: refused" "$ERR" "control or bidirectional character"
is "nothing posted" "$(jq -r 'select(.method == "POST") | .path' "$T_TMP/l.log" | grep -c .)" 0
ha labels create contacts companies
is "no --label: exit 2" "$RC" 2
ha labels create contacts companies --label "$(printf 'a\033b')"
is "a control character: exit 2" "$RC" 2

# Limits: as the portal has them, "-" for none; for scripts a number.
curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	"$SB/crm/associations/v4/definitions/configurations/contacts/companies/batch/create" \
	-d '{"inputs":[{"category":"USER_DEFINED","typeId":36,"maxToObjectIds":1}]}' > /dev/null
curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	"$SB/crm/associations/v4/definitions/configurations/companies/contacts/batch/create" \
	-d '{"inputs":[{"category":"HUBSPOT_DEFINED","typeId":280,"maxToObjectIds":500}]}' > /dev/null
ha labels contacts companies
like "a limit set: in its column" "$OUT" "USER_DEFINED               36       37      1         -  Billing contact"
# The other end's, by the inverse: a company may hold 500 contacts.
like "the inverse's limit beside it" "$OUT" "HUBSPOT_DEFINED           279      280      -       500  (unlabeled)"
like "none: -" "$OUT" "HUBSPOT_DEFINED             1        2      -         -  Primary"
ha labels contacts companies --format jsonl
is "json: maxToObjectIds" "$(printf '%s\n' "$OUT" | jq -r 'select(.typeId == 36) | .maxToObjectIds')" 1
is "json: 0 for none" "$(printf '%s\n' "$OUT" | jq -r 'select(.typeId == 279) | .maxToObjectIds')" 0
is "json: the inverse's" "$(printf '%s\n' "$OUT" | jq -r 'select(.typeId == 279) | .inverseMaxToObjectIds')" 500

# Delete: asks; refused without a terminal and --yes.
ha labels delete contacts companies --label Sponsor
is "delete without a terminal or --yes: exit 2" "$RC" 2
like "saying why" "$ERR" "give --yes"
ha labels delete contacts companies --label Nope --yes
is "a label it lacks: exit 2" "$RC" 2
like "pointing at the list" "$ERR" "has no label 'Nope' of its own"
ha labels delete contacts companies --label Primary --yes
is "HubSpot's own: not deleted, exit 2" "$RC" 2
# Still on the pair the create gave it to: refused, saying how to take it
# off first; --force deletes it all the same.
ha labels delete contacts companies --label 54 --yes
is "a label still on pairs hubassoc made: exit 2" "$RC" 2
like "how many, and whose" "$ERR" "'Sponsor' is still on 1 pair hubassoc gave it to (1 session)"
like "what to do" "$ERR" "hubassoc remove contacts companies --type 'Sponsor' takes it off them first (undoably); --force deletes it anyway"
is "not deleted" "$(types_between contacts companies "${C[0]}" "${O[0]}")" "HUBSPOT_DEFINED:279 USER_DEFINED:54"
ha labels delete contacts companies --label 54 --yes --force
is "delete by type ID, --yes --force: exit 0" "$RC" 0
like "said, by name, its other end too" "$ERR" "deleted 'Sponsor' (USER_DEFINED:54) and its other end 'Sponsored by'"
ha labels contacts companies
unlike "no longer listed" "$OUT" "Sponsor"
is "and off the pair that held it" "$(types_between contacts companies "${C[0]}" "${O[0]}")" "HUBSPOT_DEFINED:279"
sb_stop

# A hostile label's name is shown escaped, never raw.
sb_start --hostile || exit 1
ha labels delete contacts companies --label 50 --yes
is "the hostile label deleted: exit 0" "$RC" 0
if printf '%s' "$ERR" | grep -q "$(printf '\033')"; then not_ok "no raw ESC in what delete says"; else ok "no raw ESC in what delete says"; fi
sb_stop

# The cap: 50 labels an object pair, said before sending.
sb_start || exit 1
n=$(curl -s -H "Authorization: Bearer $TOKEN" "$SB/crm/v4/associations/deals/contacts/labels" | jq '[.results[] | select(.category == "USER_DEFINED")] | length')
for i in $(seq $((n + 1)) 50); do
	curl -s -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		"$SB/crm/associations/v4/deals/contacts/labels" -d "{\"label\":\"L$i\",\"name\":\"l$i\"}"
done
ha labels create deals contacts --label "One more"
is "the 51st: exit 2" "$RC" 2
like "HubSpot's most, said" "$ERR" "has 50 labels, HubSpot's most for an object pair: delete one first"
sb_stop

# The built-in sandbox keeps what labels create made: the next run has it.
export XDG_STATE_HOME="$T_TMP/kept"
mkdir -m 700 -p "$XDG_STATE_HOME"
"$HUBASSOC" labels create contacts companies --label Kept --sandbox > /dev/null 2> "$T_TMP/err"
is "--sandbox: labels create, exit 0" "$?" 0
like "a later run lists it" "$("$HUBASSOC" labels contacts companies --sandbox 2>/dev/null)" "Kept"
printf 'x\n' | "$HUBASSOC" labels delete contacts companies --label Kept --yes --sandbox 2> "$T_TMP/err"
is "--sandbox: labels delete, exit 0" "$?" 0
unlike "a later run no longer has it" "$("$HUBASSOC" labels contacts companies --sandbox 2>/dev/null)" "Kept"
like "labels create --help: its own text" "$("$HUBASSOC" labels create --help)" "labels create FROM TO --label NAME"
done_testing
