#!/usr/bin/env bash
# The pairs in and out of the editor: :write then :load gives the same rows;
# :clear starts the line numbers again; each paste or file has its own
# header row and BOM; a UTF-16 file is said to be one.
. "$(dirname "$0")/tui_lib.sh"

printf 'contact,company,types\n101,202\n0103\t204\tUSER_DEFINED:36;Primary\n105,206,"Billing, primary"\nx,12\n1020\n' > "$T_TMP/a.csv"

tui_start 100 24 --sandbox
wait_for "Paste pairs" || exit 1
commands "load $T_TMP/a.csv"
shows ":load reads the file" "loaded 5 rows from $T_TMP/a.csv" || exit 1
before=$(screen | grep -E '^ +[0-9]+ ' | sed 's/^ *[0-9]* //')
commands "write $T_TMP/out.pairs"
shows ":write says what it wrote" "wrote 5 rows to $T_TMP/out.pairs" || exit 1
is "the file is private" "$(stat -c %a "$T_TMP/out.pairs")" 600
commands "write $T_TMP/out.pairs"
shows ":write over a file asks first" "out.pairs exists" || exit 1
keys y
shows "and replaces it once told" "wrote 5 rows to $T_TMP/out.pairs" || exit 1
mkfifo "$T_TMP/p.fifo"
commands "write"
shows ":write without a file says so (before: a crash)" "give a file to write to" || exit 1
commands "write $T_TMP/p.fifo"
shows ":write to a FIFO is refused, not a frozen screen" "is not a regular file (a FIFO)" || exit 1
ln -s "$T_TMP/a.csv" "$T_TMP/link.csv"
commands "write $T_TMP/link.csv"
shows "nor is a symbolic link followed" "is not a regular file (a symbolic link)" || exit 1
is "what it points at is untouched" "$(head -n 1 "$T_TMP/a.csv")" "contact,company,types"
commands "clear"
shows ":clear empties the pairs" "0 rows, 0 invalid" || exit 1
commands "load $T_TMP/out.pairs"
shows ":load of what :write wrote" "loaded 5 rows from $T_TMP/out.pairs" || exit 1
after=$(screen | grep -E '^ +[0-9]+ ' | sed 's/^ *[0-9]* //')
is "the same rows, field for field, reason for reason" "$after" "$before"
like "numbered from line 1 again after :clear (no header in the written file)" "$(screen)" \
	"      1 101        202"

# :clear, then a paste with a header row: its first pair is line 2.
commands "clear"
wait_for "0 rows, 0 invalid" || exit 1
printf 'contact_id,company_id\n301,401\n302,402\n' > "$T_TMP/p1.txt"
paste_file "$T_TMP/p1.txt"
shows "a paste after :clear" "pasted 2 rows" || exit 1
like "its header is line 1, its first pair line 2" "$(screen)" "      2 301        401"
# A second paste with its own BOM and header row: a header, not an error.
printf '\xef\xbb\xbfcontact_id,company_id\n303,403\n' > "$T_TMP/p2.txt"
paste_file "$T_TMP/p2.txt"
shows "a second paste with a header and a BOM" "pasted 1 row" || exit 1
unlike "its header is not refused as a late one" "$(screen)" "header"
like "its pair reads, BOM and all" "$(screen)" "303        403"
like "and no row is invalid" "$(screen)" "3 rows, 0 invalid"
# No direction yet: nothing plans them, and they say so (before: "ok",
# a repeat too).
like "the rows wait for the direction, counted" "$(screen)" "3 rows, 0 invalid, 3 waiting for the direction (f, t)"
like "each says what it waits for" "$(screen | grep ' 303 ')" "no dir    f and t choose the direction"

# A spreadsheet's copy with thousands separators: said as such, and the
# TAB separates the cells.
printf '127,667,541\t538749851\n' > "$T_TMP/k.txt"
paste_file "$T_TMP/k.txt"
shows "thousands separators are said" "FROM ID '127,667,541' has thousand" || exit 1
keys G d
shows "and the row goes" "line paste 3 deleted" || exit 1

# A UTF-16 file: the command line's hint, not "0 rows".
printf 'a,b\n1,2\n' | iconv -f UTF-8 -t UTF-16 > "$T_TMP/u16.csv"
commands "load $T_TMP/u16.csv"
shows "UTF-16 is said, with what to do" "input is UTF-16 text; save it as UTF-8" || exit 1
printf '304,404\n' > "$T_TMP/p3.txt"
paste_file "$T_TMP/p3.txt"
shows "and the next paste still reads" "pasted 1 row" || exit 1
like "four rows now" "$(screen)" "4 rows, 0 invalid"

# Each paste numbers its own lines, and says which it is once there are
# several: the sheet's row 2 is line 2 of its paste, not line 109.
like "the first paste's pairs" "$(screen)" "paste 1:2 301        401"
like "the second's, its own line 2" "$(screen)" "paste 2:2 303        403"
like "the fourth paste, one line, named alone" "$(screen)" "  paste 4 304        404"
keys /
typein "paste 2:2"
keys Enter
shows "a filter finds a row by its label" "filter 'paste 2:2': 1 row" || exit 1
keys / C-u Enter
commands "from contacts" "to companies" "type 279"
keys S
shows "S asks" "Send 4 pairs to" || exit 1
keys y
shows "sent" "complete" 20 || exit 1
like "results say each row's paste and line" "$(screen)" "paste 2:2 303"
keys q
wait_for "[exited 0]"
"$HUBASSOC" export last > "$T_TMP/x.jsonl"
is "export: each row's line in its source, and the source" \
	"$(jq -r '"\(.source):\(.line)"' "$T_TMP/x.jsonl" | tr '\n' ' ')" "paste 1:2 paste 1:3 paste 2:2 paste 4:1 "

# A HubSpot contacts export at 80x24: five quoted columns, CRLF; the IDs
# are read from the two columns that name them, the rest said ignored.
printf '"Record ID","First Name","Last Name","Email","Associated Company ID"\r\n"101","Ada","Lovelace","ada@x.com","201"\r\n"102","Dennis","Ritchie","d@x.com","202"\r\n' > "$T_TMP/export.csv"
tui_start 80 24 --sandbox
wait_for "Paste pairs" || exit 1
commands "load $T_TMP/export.csv"
# Its columns are shown first, with their first cells, FROM and TO as the
# header suggests them; Enter takes them.
shows ":load of an export: its columns shown first" "export.csv has 5 columns" || exit 1
like "FROM on Record ID, its first cells beside it" "$(screen)" "1 FROM   Record ID                  101, 102"
like "TO on the company's IDs" "$(screen)" "5 TO     Associated Company ID      201, 202"
like "the other columns, their cells" "$(screen)" "2        First Name                 Ada, Dennis"
keys Enter
shows ":load of an export: its columns said" "FROM 'Record ID', TO 'Associated Company ID'" || exit 1
like "... the others ignored, in the line's width" "$(screen | tail -n 1)" "TO 'Associated Company ID', 3 others ignored"
like "the rows are the IDs, none invalid" "$(screen)" "2 rows, 0 invalid"
like "the first row: 101 to 201" "$(screen | grep -E '^ +2 ')" "101        201"
tui_kill
# A CRLF sheet pasted: the terminal turns each LF into CR, so each end
# arrives as CR CR; the lines are numbered as in the sheet, a blank line
# counted once (before: every line counted twice, 1, 3, 7).
printf '101,201\r\n102,202\r\n\r\n103,203\r\n' > "$T_TMP/crlf.csv"
state=$XDG_STATE_HOME
export XDG_STATE_HOME="$T_TMP/state-crlf"
tui_start 80 24 --sandbox
wait_for "Paste pairs" || exit 1
paste_file "$T_TMP/crlf.csv"
shows "the CRLF paste" "pasted 3 rows" || exit 1
is "its lines as in the sheet" "$(screen | grep -oE '^ +[0-9]+ 10[123] ' | tr -s ' ' | tr '\n' '|')" " 1 101 | 2 102 | 4 103 |"
tui_kill
export XDG_STATE_HOME=$state
# The last session is not offered while another hubassoc holds it (before:
# offered, and a yes refused: "in use by another hubassoc").
held=$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | sort | tail -n 1)
# -o: the lock is flock's own, let go when it is killed.
flock -o -n "$held" sleep 37.5 &
holder=$!
sleep 0.3
tui_start 80 24 --sandbox
shows "starts" "0 rows" || exit 1
unlike "a session held elsewhere: not offered" "$(screen)" "Reopen session"
tui_kill
kill "$holder"; wait "$holder" 2>/dev/null
pkill -f "sleep 37.5"
# Three columns of IDs: which is TO is asked, never guessed; :columns says.
printf '"Record ID","Associated Deal ID","Associated Company ID"\r\n"101","301","201"\r\n' > "$T_TMP/three.csv"
tui_start 80 24 --sandbox
wait_for "Reopen session" || exit 1
# A key that is no answer (a ':' typed out of habit) leaves the question
# asked (before: it answered no, and the command's letters went on as
# keys).
keys :
sleep 0.3
like "a ':' does not answer the question" "$(screen | tail -n 2)" "[y/n]"
keys n
wait_for "0 rows, 0 invalid" || exit 1
commands "load $T_TMP/three.csv"
shows "three ID columns: shown, none taken" "three.csv has 3 columns" || exit 1
unlike "no column is guessed FROM" "$(screen)" " FROM   Record ID"
keys Enter
shows "Enter without FROM and TO: said" "choose FROM (f) and TO (t) first" || exit 1
keys Escape
shows "Esc: nothing loaded" "nothing loaded" || exit 1
like "no rows" "$(screen)" "0 rows"
# Two choices made with the keys: f on the first, t on the third.
commands "load $T_TMP/three.csv"
wait_for "three.csv has 3 columns" || exit 1
keys f Down Down t
shows "t marks TO" "3 TO     Associated Company ID" || exit 1
like "f marked FROM" "$(screen)" "1 FROM   Record ID"
keys Enter
shows "the keys' choice read" "FROM 'Record ID', TO 'Associated Company ID', 1 other ignored" || exit 1
like "the row: 101 to 201" "$(screen)" "101        201"
commands "clear"
wait_for "0 rows, 0 invalid" || exit 1
# :columns says which before the file: it is read at once.
commands "columns Record ID, 3"
shows ":columns says what it will do" "columns: FROM Record ID, TO 3" || exit 1
commands "load $T_TMP/three.csv"
shows "then :load reads them" "FROM 'Record ID', TO 'Associated Company ID', 1 other ignored" || exit 1
like "the row: 101 to 201" "$(screen)" "101        201"
# Columns named are a sheet's: a plain paste after it still reads as pairs
# (before: "--from-column 'Record ID' is no column of a line of 2").
printf '401,501\n402,502\n' > "$T_TMP/plain.txt"
paste_file "$T_TMP/plain.txt"
shows "a plain paste after :columns NAME: its pairs" "pasted 2 rows" || exit 1
like "read as pairs" "$(screen)" "401        501"
unlike "no column error" "$(screen)" "no column of"
tui_kill
# A terminal that does not mark pastes (tmux's paste-buffer without -p):
# the lines come as keys, at once; they are a paste, not the keys 1 to 6
# (before: "2" jumped to Results, "5" to History, and opened a session).
tui_start 80 24 --sandbox
wait_for "Reopen session" || exit 1
keys n
wait_for "0 rows, 0 invalid" || exit 1
printf '205,305\n206,306\n' > "$T_TMP/p5.txt"
TM load-buffer -b u "$T_TMP/p5.txt"
TM paste-buffer -d -b u -t t
shows "an unmarked paste is a paste" "pasted 2 rows" || exit 1
like "and says the terminal did not mark it" "$(screen)" "this terminal does not mark pastes"
like "its pairs, in Pairs" "$(screen)" "205        305"
like "still in Pairs, both rows" "$(screen)" "2 rows"
tui_kill
done_testing
