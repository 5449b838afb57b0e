#!/usr/bin/env bash
# Pickers take the row that is highlighted, whatever the filter.
. "$(dirname "$0")/tui_lib.sh"

sb_start || exit 1
tui_start 100 30 --base-url "$SB"
shows "starts" "budget" || exit 1
keys f
shows "f opens the FROM picker" "deals (0-3)" || exit 1
keys Down Down Enter
shows "Down, Down, Enter: the third row, deals" "From deals (0-3)" || exit 1
shows "the TO picker follows" "TO object type" || exit 1
typein "car"
shows "a filter with two matches" "2 of " || exit 1
top=$(screen | grep -oE '(carts \(0-142\)|cars \(2-[0-9]+\))' | head -n 1)
keys Down Enter
case $top in
carts*) want="to p_cars" ;;
*) want="to carts" ;;
esac
shows "Down, Enter in a filter: the second match, not the first" "$want" || exit 1
# Choosing FROM always opens TO next, a TO chosen or not; Esc keeps it.
keys f
wait_for "FROM object type" || exit 1
typein "contacts"
keys Enter
shows "FROM again: the TO picker follows all the same" "TO object type" || exit 1
like "saying that Esc keeps the TO" "$(screen)" "Esc keeps "
keys Escape
wait_gone "TO object type" || exit 1
like "FROM changed" "$(screen)" "From contacts (0-1)"
like "TO kept" "$(screen)" "${want#to }"
# f, a FROM, then t out of habit: the TO picker opened by itself, so t
# opens nothing and filters nothing (before: a stray "t" in its filter).
keys f
wait_for "FROM object type" || exit 1
typein "deals"
keys Enter
wait_for "TO object type" || exit 1
keys t
sleep 0.3
unlike "t in the TO picker that just opened: not in its filter" "$(screen | tail -n 1)" "TO object type: t"
typein "tick"
shows "then the filter is what is typed" "tickets (0-5)" || exit 1
like "and only that" "$(screen)" "TO object type: tick"
keys Enter
wait_gone "TO object type" || exit 1
# q is a letter there, as hubassoc(1) says: the filter is always open.
keys f
wait_for "Object type" || exit 1
typein "quo"
shows "q types into the picker's filter" "quotes (0-14)" || exit 1
keys Escape
wait_gone "Object type"
tui_kill

tui_start 100 30 --base-url "$SB"
shows "starts again" "budget" || exit 1
# The help lists the commands from the table the line parses them with.
keys ?
wait_for "Keys of the pairs view" || exit 1
keys G
shows "? lists the commands, with their arguments" ":profile NAME" || exit 1
like "and what each does" "$(screen)" "Connect as another profile"
keys Escape
wait_gone ":profile NAME" || exit 1
# Tab completes an object type and ends with a space: Enter takes it.
keys : ; typein "from cont"; keys Tab
shows ":from completes the type" ":from contacts" || exit 1
keys Enter
shows "and Enter takes it, the space Tab left no part of it" "From contacts (0-1)" || exit 1
unlike "no unknown type" "$(screen)" "unknown object type"
commands "from contacts" "to companies"
# Completion by the command's argument, its other name included.
keys : ; typein "types Bill"; keys Tab
shows ":types completes a label, as :type does" ":types Billing contact" || exit 1
keys C-u
# Several candidates: shown above the line while it is open.
typein "t"; keys Tab Tab
shows "Tab Tab lists the candidates while the line is open" "to  token  type" || exit 1
like "and the line is still open" "$(screen | tail -n 1)" ":t"
keys C-u Escape
sleep 0.2
keys y
shows "the type picker" "Billing contact" || exit 1
keys /
wait_for "filter" || exit 1
keys Down Enter
shows "/, Down, Enter: the second type, not the first" "as HUBSPOT_DEFINED:1 " || exit 1
# A paired label shows its other end; a type is found by its ID; the
# parent types say which side becomes the parent.
commands "from contacts" "to contacts"
keys y
shows "a paired label with its other end" "Manager / Direct report" || exit 1
keys /
wait_for "filter" || exit 1
typein "43"
shows "the filter matches a type ID" "Direct report" || exit 1
unlike "and only it" "$(screen)" "[ ] USER_DEFINED         42"
keys Escape Escape
sleep 0.3
commands "from companies" "to companies"
keys y
shows "type 13 says which side becomes the parent" "FROM is TO's one parent" || exit 1
like "and 14 the other way" "$(screen)" "TO is FROM's one parent"
keys Escape
tui_kill

# The question before a send warns of Primary in a third column too, as
# the command line does, not only when it is the type chosen for all.
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
printf '%s,%s,Primary\n%s,%s\n' "${C[0]}" "${O[0]}" "${C[1]}" "${O[1]}" > "$T_TMP/third.csv"
# The company whose Primary the first row takes.
P0=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" |
	jq -r --arg c "${C[0]}" '.results[] | select(.from == $c and any(.types[]; .typeId == 1)) | .to')
tui_start 120 30 --base-url "$SB"
shows "starts once more" "budget" || exit 1
commands "load $T_TMP/third.csv" "from contacts" "to companies" "type 279"
wait_for "2 rows" || exit 1
keys S
shows "S warns of the Primary in the third column, by its line" "moves      1 moves a Primary: line 1: moves the Primary of" || exit 1
like "and Pairs names the record that holds it" "$(screen)" "ok        moves Primary from $P0"
keys n
# One row is one row.
printf '%s,%s\n' "${C[2]}" "${O[2]}" > "$T_TMP/one.csv"
commands "load $T_TMP/one.csv"
shows "loaded 1 row, not 1 rows" "loaded 1 row from" || exit 1
# Types that do not fit are said in the terminal's words, not the
# command line's.
commands "type 279"
shows ":type says what was chosen" "types: 279" || exit 1
commands "type 280"
shows "a type that does not fit: said with the key that changes them" "the chosen types (y changes them): association type 280" || exit 1
unlike "no --type on the screen" "$(screen)" "--type"
tui_kill

# A row without types among rows with a third column, sent: Errors says
# why without a command-line option.
printf '%s,%s,279\n%s,%s\n' "${C[3]}" "${O[3]}" "${C[4]}" "${O[4]}" > "$T_TMP/untyped.csv"
tui_start 200 30 --base-url "$SB"
shows "starts for the untyped row" "budget" || exit 1
# The pairs left unsent above are offered back: not now.
shows "the last session's pairs are offered" "Reopen session" || exit 1
keys n
commands "load $T_TMP/untyped.csv" "from contacts" "to companies"
wait_for "2 rows" || exit 1
keys S
wait_for "[y/n]" || exit 1
keys y
wait_for "created" || exit 1
keys 3
wait_for "no association type" || exit 1
keys Down Enter
wait_for "+ types" || exit 1
keys Down Enter
shows "Errors names the untyped row's reason" "no association type: none given for all pairs" || exit 1
unlike "and no --type" "$(screen)" "--type"
tui_kill

# m with a label the portal lacks offers to make it, asking first; made, the
# types take it (HubSpot's 50 an object pair said in the question).
sb_stop
sb_start || exit 1
tui_start 100 24 --base-url "$SB"
shows "starts" "budget" || exit 1
commands "from contacts" "to companies"
wait_for "From contacts (0-1)  to companies (0-2)" || exit 1
keys y
wait_for "Space (Tab in a filter) marks" || exit 1
sleep 0.3
keys m
typein "Sponsor"
keys Enter
shows "an unknown label: asked whether to make it" "has no label 'Sponsor': make it" || exit 1
like "with HubSpot's cap" "$(screen)" "(HubSpot allows"
keys y
shows "made, and taken" "made the label 'Sponsor' of contacts to companies: USER_DEFINED:" || exit 1
shows "the types are it" "(contact to company, Sponsor)" || exit 1
is "the portal has it" "$(curl -s -H "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN" "$SB/crm/v4/associations/contacts/companies/labels" | jq -r '.results[] | select(.label == "Sponsor") | .category')" USER_DEFINED
# A CATEGORY:ID the portal does not list: said, not taken.
keys m
typein "USER_DEFINED:999"
keys Enter
shows "m with a type the direction lacks: said" "USER_DEFINED:999 is not a type of contacts to companies" || exit 1
unlike "not taken" "$(row 3)" "999"
# n: nothing made.
keys m
typein "Another"
keys Enter
wait_for "has no label 'Another'" || exit 1
keys n
shows "n: nothing made" "no label made" || exit 1
is "the portal has no such label" "$(curl -s -H "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN" "$SB/crm/v4/associations/contacts/companies/labels" | jq -r '[.results[] | select(.label == "Another")] | length')" 0
tui_kill
sb_stop
done_testing
