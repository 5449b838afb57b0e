#!/usr/bin/env bash
# make run's screen: the built-in sandbox, and :demo, so that a first
# session needs no IDs of its own and still meets every kind of outcome.
. "$(dirname "$0")/tui_lib.sh"

tui_start 110 30 --sandbox
wait_for "Paste pairs" || exit 1
like "the empty pairs view offers :demo on the sandbox" "$(screen)" \
	"0 rows, 0 invalid: paste pairs, :load FILE, or :demo"
keys : ; typein "de" ; keys Tab
shows "Tab completes :demo" ":demo" || exit 1
keys Enter
shows ":demo adds pairs of the portal's records" "demo: 110 rows of contacts to companies" || exit 1
like "with two bad lines, and five by key" "$(screen)" "110 rows: 103 waiting for a type (y), 5 by key, looked up when sent, 2 invalid"
like "one field" "$(screen)" "has one field"
like "and an O for a 0" "$(screen)" "is not a number"
like "and it says what is still to do" "$(screen)" "; y chooses the association types"
like ":demo sets the direction it says" "$(screen)" "From contacts (0-1)  to companies (0-2)  as ? (y)"
like "rows without a type yet are waiting, not invalid; nothing valid said while all wait" "$(screen)" "110 rows: 103 waiting for a type (y), 5 by key, looked up when sent, 2 invalid"
# Nor repeats, known once typed (before: "0 duplicate" below the message's
# "1 duplicate").
unlike "no duplicate count while all wait" "$(screen)" "0 duplicate"
like "each says what to do, in the terminal's words, the key first" "$(screen)" "no type   y chooses the types"

# S before a type is chosen says so, and looks no key up for nothing
# (before: 5 lookups, then "no valid pair to send").
keys S
shows "S without types: choose them first" "choose the association types first: y (108 rows wait for one)" || exit 1
like "and the keys wait, not looked up" "$(screen)" "5 by key, looked up when sent"
commands "from contacts" "to companies" "type 279"
shows "planned: one duplicate" "110 rows: 5 by key, looked up when sent, 102 valid in 1 request, 2 invalid, 1 duplicate" || exit 1
keys S
shows "S looks the keys up, then asks" "Send 105 pairs to" || exit 1
keys y
shows "the portal has all but two; two keys found no single record" "created 103  failed 2  invalid 4  duplicate 1  not_sent 0" 20 || exit 1
keys 3
shows "the error tree holds the two it lacks" "One or more associations are invalid  (2 rows)" || exit 1
# History counts what history does: the invalid and the duplicate rows
# too (before: no INVALID or DUP column; ROWS 110 beside 103 and 2).
keys 5
shows "History" "SESSION" || exit 1
like "History: INVALID and DUP, as history's" "$(screen | grep -m 1 '^SESSION ')" "ROWS DONE FAILED INVALID DUP"
like "History: the session's 4 invalid and 1 duplicate" "$(screen | grep -m 1 '^20')" " 110  103      2       4   1 "
# Narrower, the counts that give way are named above the columns, as
# history names them (before: left out unsaid).
resize 64 24
shows "History at 64 columns: the counts left out named" "INVALID, DUP left out at this width" || exit 1
unlike "and not shown" "$(screen | grep -m 1 '^SESSION ')" "INVALID"
# Narrower still, beside a remove (OP shown), FAILED is cut at the edge:
# named too (before: gone at 50 columns, unsaid).
printf '1,2\n' > "$T_TMP/one.csv"
sb_start || exit 1
"$HUBASSOC" remove contacts companies --input "$T_TMP/one.csv" --base-url "$SB" --yes > /dev/null 2>&1
sb_stop
keys 1 5
resize 50 24
shows "History at 50 columns: FAILED, cut, named" "FAILED, INVALID, DUP" || exit 1
resize 110 30
wait_gone "left out at this width" || exit 1
keys q
wait_for "[exited 0]"

# --chunk, --rate and --concurrency work for the terminal as for create.
tui_start 110 30 --sandbox --chunk 10 --rate 5/10s --concurrency 2
wait_for "Paste pairs" || exit 1
like "--rate: the budget the header counts" "$(row 1)" "left per 10s"
like "--rate: of 5" "$(row 1)" "/5 left"
commands "demo" "type 279"
shows "--chunk: requests of 10" "110 rows: 5 by key, looked up when sent, 102 valid in 11 requests" || exit 1
keys S
shows "S plans in chunks of 10" "105, contacts to companies, in 11 requests of up to 10" || exit 1
# Its cost says the budget's share, of requests, beside the pairs' (before:
# "under 1% of the portal's throughput" alone, with the budget all taken).
like "the cost: the budget's share while it runs" "$(screen | tr -s ' \n' ' ')" "at 5/10s (100% used), under 1% of the portal's pairs a second"
keys n q
wait_for "[exited 0]"
"$HUBASSOC" --chunk 10 history > /dev/null 2> "$T_TMP/e"
is "before a command they are refused" "$?" 2
like "and said to be the terminal's" "$(cat "$T_TMP/e")" "are the terminal interface's"

# Not on a real portal: the IDs would be made up.
sb_start || exit 1
tui_start 110 30 --base-url "$SB"
# The pairs left unsent above are offered back: not now.
shows "the unsent demo pairs are offered back" "Reopen session" || exit 1
# Saying whose portal they are before the y (before: only after it).
like "as the built-in sandbox's pairs, not here" "$(screen | tr -s ' \n' ' ')" "the built-in sandbox, not here)? [y/n]"
keys n
wait_for "a new session starts with the first pair" || exit 1
unlike "no :demo offered off the built-in sandbox" "$(screen)" ":demo"
commands "demo"
shows ":demo refuses" "demo: only on the built-in sandbox" || exit 1
keys q
wait_for "[exited 0]"
sb_stop

# A profile's check_ids = yes: S's question names the rows whose records
# the portal lacks (before: the terminal had no way to ask, and said
# "new" of them).
rm -rf "$XDG_STATE_HOME"/hubassoc/sessions
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile default]\ncheck_ids = yes\n' > "$XDG_CONFIG_HOME/hubassoc/config"
tui_start 80 30 --sandbox
wait_for "Paste pairs" || exit 1
commands "demo" "type 279"
keys S
shows "check_ids: asked" "Send 105 pairs to" 20 || exit 1
like "the contact the portal lacks, named" "$(screen | tr -s ' \n' ' ')" "line 13: the portal has no contact 101619790"
like "the company too" "$(screen | tr -s ' \n' ' ')" "line 16: the portal has no company 99864241708"
keys n q
wait_for "[exited 0]"
rm -f "$XDG_CONFIG_HOME/hubassoc/config"
done_testing
