#!/usr/bin/env bash
# Text from the server never reaches the terminal raw: a label and error
# messages full of escape sequences are shown escaped, and the terminal's
# title, screen and colours stay the program's.
. "$(dirname "$0")/tui_lib.sh"

sb_start --open-portal --missing 3001 --hostile || exit 1
printf '3001,4001\n3002,4002\n' > "$T_TMP/pairs.txt"

tui_start 120 30 --base-url "$SB"
shows "starts" "budget 99/100 left" || exit 1
TM select-pane -t t -T clean
paste_file "$T_TMP/pairs.txt"
wait_for "2 rows, 0 invalid" || exit 1
commands "from contacts" "to companies"
keys y
shows "the hostile label is listed, escaped" '\e]0;pwned\x07\e[31mRed flag' || exit 1
like "the box around it is whole" "$(screen | grep -F 'Red flag')" "│"
is "the label's line is as wide as the others" \
	"$(screen | grep -F 'USER_DEFINED ' | widths | sort -u | wc -l)" 1

keys /
typein "red"
keys Enter
shows "chosen by part of its name" "as USER_DEFINED:50" || exit 1
keys S
wait_for "Send 2 pairs to" || exit 1
keys y
shows "sent" "complete: 1 created, 1 failed" 20 || exit 1
keys 3
shows "the error's message is escaped in the tree" 'One or more associations are invalid \e[2J\e]0;pwned\x07\x08' || exit 1
keys 2
shows "and in the results" "CONTACT=3001 is not valid" || exit 1
commands names
shows ":names reads the records' names, hostile too" "names: 3 records named" || exit 1
keys G v
shows "v: a record's name, escaped" '\e[2J\e]0;pwned\x07\x08' || exit 1
like "beside its ID" "$(screen | grep -F 'FROM')" "3002  "
keys v
keys 2
keys 4 j j j Enter
wait_for "Request 4: POST" || exit 1
keys G
# Its line wider than the terminal: wrapped, the escapes whole as text.
shows "and in the inspector" '"message": "One or more associations are invalid' || exit 1
like "its escapes as text, on the line wrapped" "$(screen | grep -A1 '"message": "One or more' | tail -n 1)" '\u001b[2J\u001b]0;pwned'

is "the window title was never set" "$(TM display -p -t t '#{pane_title}')" clean
like "the screen was never cleared: the header stands" "$(row 1)" " hubassoc  sent  profile default"
colours=$(screen_colours)
unlike "no red ever came from the label" "$colours" $'\e[31mRed flag'
if printf '%s' "$colours" | grep -q $'\a'; then not_ok "no bell on the screen"; else ok "no bell on the screen"; fi

keys Left
shows "Left goes back to the requests" "REQ  CHUNK" || exit 1
keys q
shows "q quits" "[exited 0]"
sb_stop

# A portal that takes fewer inputs a request: the send goes on in smaller
# requests, and its end says so again (before: the warning was replaced
# by the summary as the send ended, and the terminal said nothing of it).
sb_start --open-portal --max-inputs 50 || exit 1
for i in $(seq 1 120); do echo "$((2000 + i)),$((6000 + i))"; done > "$T_TMP/big.csv"
export XDG_STATE_HOME="$T_TMP/state-small"
tui_start 80 24 --base-url "$SB"
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "type 279" "load $T_TMP/big.csv"
wait_for "120 rows" || exit 1
keys S
shows "S asks" "Send 120 pairs" || exit 1
keys y
shows "the end, with what the send warned of" "120 created, 0 failed; warning:" 20 || exit 1
like "the size the portal takes" "$(screen | tail -n 3 | tr '\n' ' ')" "requests of 50 inputs from here"
tui_kill
done_testing
