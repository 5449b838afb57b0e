#!/usr/bin/env bash
# A whole session, as a user does it: pick the types by typing, paste
# 10,000 pairs, submit, read the results and the error tree, fix a row,
# send it again, inspect a request, quit; then the session is history.
. "$(dirname "$0")/tui_lib.sh"

# Answers per input (207), to show how the views read them; the whole-batch
# 400, the default, is read the same way (integration tests).
sb_start --open-portal --missing 1005,2007 --invalid-mode 207 || exit 1

# 10,000 lines: two invalid, one duplicate, two IDs the portal lacks
# (contact 1005 on line 6; company 2007 on line 8, contact 2007 on 1008).
for ((i = 0; i < 10000; i++)); do
	case $i in
	3) echo "abc,12" ;;
	10) echo "1005,2005" ;;
	20) echo "1020" ;;
	*) echo "$((1000 + i)),$((2000 + i))" ;;
	esac
done > "$T_TMP/pairs.txt"

tui_start 120 40 --base-url "$SB"
shows "starts on the pairs, connected" "budget 99/100 left per 10s" || exit 1
wait_gone "trying the token" || exit 1
like "the header names the portal" "$(row 1)" " hubassoc  editing  profile default  $SB  v4"
like "the pairs editor has focus" "$(screen)" "0 rows, 0 invalid: paste pairs, or :load FILE"

paste_file "$T_TMP/pairs.txt"
shows "a paste of 10,000 lines lands at once" "10,000 rows, 2 invalid" || exit 1
like "status says what was pasted" "$(screen)" "pasted 10,000 rows"
like "an invalid line is shown with its reason" "$(screen)" \
	"      4 abc        12         -     invalid   FROM ID 'abc' is not a number"
like "a one-field line is shown as written" "$(screen)" \
	"     21 1020                  -     invalid   '1020' has one field"

# Object types by typing part of their names.
keys f
shows "f opens the FROM picker" "FROM object type:" || exit 1
typein cont
shows "typing filters the types" "communications (0-18)"
like "and counts what matches" "$(screen)" " of 30 FROM types match"
typein xq
shows "nothing matching is said" "No FROM type matches" || exit 1
keys Enter
shows "Enter on nothing keeps the filter open" "FROM object type: contxq" || exit 1
keys BSpace BSpace
wait_for "contacts (0-1)"
keys Enter
shows "then the TO picker" "TO object type:" || exit 1
typein comp
wait_for "companies (0-2)"
keys Enter
shows "the direction is chosen" "From contacts (0-1)  to companies (0-2)  as ? (y)" || exit 1

# A label by name.
keys y
shows "y lists the direction's labels" "USER_DEFINED           36  Billing contact" || exit 1
like "Primary is flagged" "$(screen)" "Primary  moves the record's primary"
keys /
typein billz
shows "a filter nothing matches is said" "No type of contacts to companies matches" || exit 1
keys Enter
shows "and Enter keeps it open" "filter: billz" || exit 1
keys BSpace
wait_for "filter: bill"
keys Enter
shows "Enter takes the label" "as USER_DEFINED:36 (contact to company, Billing contact)" || exit 1
shows "the counts" "10,000 rows: 9,997 valid in 5 requests, 2 invalid, 1 duplicate"
is "the pairs table, as it stands" "$(row 5; row 16)" \
"   LINE FROM       TO         TYPES           STATE     REASON
     11 1005       2005       USER_DEFINED:36 duplicate repeats line 6, sent once"

# Submit, after a question.
keys S
shows "S looks first, then asks, with what the pairs change" "9,997, contacts to companies, in 5 requests" || exit 1
like "the question: the invalid rows" "$(screen)" "invalid    2 left out: line"
like "the question keeps its answer in sight" "$(screen | tail -n 1)" "[y/n]"
like "Pairs says what each pair changes" "$(row 6)" "ok        new"
keys y
shows "the session completes" "complete: 9,994 created, 3 failed" 30 || exit 1
sid=$(screen | sed -n 's/.*session \([0-9a-f-]*\): complete.*/\1/p' | head -n 1)
like "the results are shown" "$(screen)" "Session $sid"
like "with every row counted" "$(screen)" "created 9,994  failed 3  invalid 2  duplicate 1  not_sent 0"
like "a failed row says why, for that row" "$(screen)" \
	"      6 1005       2005       failed    207  VALIDATION_ERROR: CONTACT=1005 is not valid"
like "a created row shows its labels" "$(screen)" \
	"      1 1000       2000       created   207  labels: Billing contact"

# Filter and sort the results.
keys /
typein failed
keys Enter
shows "/ filters the results" "filter 'failed': 3 rows" || exit 1
is "to the failed rows" "$(row 6; row 7; row 8)" \
"      6 1005       2005       failed    207  VALIDATION_ERROR: CONTACT=1005 is not valid
      8 1007       2007       failed    207  VALIDATION_ERROR: COMPANY=2007 is not valid
   1008 2007       3007       failed    207  VALIDATION_ERROR: CONTACT=2007 is not valid"
keys s
shows "s sorts by outcome, failures first" "sorted by outcome, failures first" || exit 1
keys s
shows "s again reverses it" "sorted by outcome, created first" || exit 1
keys s
shows "then by error" "sorted by error" || exit 1
keys /
keys C-u Enter
wait_gone "filter 'failed'"
keys s s s s
wait_gone "sorted by"
keys s
shows "all rows, failures first" "sorted by outcome, failures first" || exit 1
like "the first row shown is a failure" "$(row 6)" "failed"
keys s s s s s s
wait_gone "sorted by"

# The error tree: category > message > context key > rows.
keys 3
shows "3 opens the error tree" "- VALIDATION_ERROR  (3 rows)" || exit 1
like "invalid input is a category too" "$(screen)" "- INVALID_INPUT  (2 rows)"
keys G Enter
shows "a message unfolds" "+ INVALID_OBJECT_IDS  (3 rows)" || exit 1
keys j Enter
shows "a context key unfolds to its rows" "line 1008  2007 > 3007  CONTACT=2007 is not valid" || exit 1
like "each row with what named it" "$(screen)" "line 6  1005 > 2005  CONTACT=1005 is not valid"
keys Left
shows "Left folds" "+ INVALID_OBJECT_IDS  (3 rows)"
keys Enter j Enter
shows "Enter on a row jumps to the pair" "   LINE FROM       TO         TYPES" || exit 1
like "which shows the failure" "$(screen)" \
	"      6 1005       2005       USER_DEFINED:36 failed    VALIDATION_ERROR: CONTACT=1005 is not valid"

# Fix it in place and send the failures again.
keys e
shows "e edits the row under the cursor" "edit: 1005,2005" || exit 1
keys C-a M-d
typein 1099
keys Enter
shows "the row is edited" "line 6 edited" || exit 1
like "and marked as edited, the session's state for it" "$(screen)" "      6 1099       2005       USER_DEFINED:36 edited    edited since its send; the next send takes it"
keys R
# Two again; the edited row is another pair now (before: "3 pairs again").
shows "R asks before sending the failed rows again, as the session's next send" "Send 3 pairs (2 again) to" || exit 1
like "R: the session's next send" "$(screen)" "session    $sid, send 2"
keys y
shows "the fixed row is created, the others still fail" "session $sid, send 2: complete: 1 created, 2 failed of its 3 rows" 30 || exit 1
like "and the session's counts" "$(screen | tail -n 3 | tr -s ' \n' ' ')" "; the session: 9,995 created, 2 failed"
like "the resent row" "$(screen)" "      6 1099       2005       created   207  labels: Billing contact"
like "Results show the whole session, the rows created by send 1 too" "$(screen)" \
	"      1 1000       2000       created   207  labels: Billing contact"
# From a result to its error, and on to its pair.
keys /
typein failed
keys Enter
shows "the session's failed rows: the two left" "filter 'failed': 2 rows" || exit 1
keys 3
shows "3 from a result opens the error tree at its row" "line 8  1007 > 2007  COMPANY=2007 is not valid" || exit 1
keys Enter
shows "and Enter there goes to the pair" "   LINE FROM       TO         TYPES" || exit 1
keys e
shows "the very row" "edit: 1007,2007" || exit 1
keys C-g
stored=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r '.results[] | select(.from == "1099" and .to == "2005") | [.types[] | select(.typeId == 36)] | length')
is "the sandbox holds the fixed association" "$stored" 1

# Inspect the request that was sent.
keys 4
shows "4 lists the requests" "REQ  CHUNK  TRY  INPUTS  HTTP" || exit 1
# S's preflight, read before the session had a journal, is in it too,
# numbered first, as the command line's is.
is "the preflight's reads are journaled, first" \
	"$(jq -r 'select(.t == "send") | .kind // "create"' "$(journal_of)" | uniq | head -n 3 | tr '\n' ' ')" "preflight limits create "
like "and listed" "$(screen)" "preflight"
last=$(jq -r 'select(.t == "send") | .req' "$(journal_of)" | tail -n 1)
keys G Enter
shows "Enter shows the request: the session's last, send 2's" "Request $last: POST /crm/v4/associations/contacts/companies/batch/create" || exit 1
like "its headers, token hidden" "$(screen)" "Authorization: Bearer (hidden)"
# j scrolls the request at once, as a text (before: the cursor went down
# the screen first, the text still).
top=$(row 4)
keys j
wait_gone "$top" 5 || exit 1
ok "j scrolls the request at once"
keys k
shows "k scrolls it back" "$top" || exit 1
like "its body, pretty" "$(screen)" '      "from": {"id":"1099"},'
keys c
shows "c sends it as curl to the clipboard, saying what it cannot know" "request $last sent as curl to the terminal's clipboard" || exit 1
clip=$(TM show-buffer 2>/dev/null)
like "the copy is a curl command" "$clip" "curl "
like "that reads the token from the environment" "$clip" 'HUBSPOT_ACCESS_TOKEN'
unlike "and holds no token" "$clip" "sandbox-token"
# A GET (the limits' list) carries no body: none shown, no body's type,
# and its curl sends none (before: "null", and "-d null" made it a POST).
keys Escape
shows "back to the list" "REQ  CHUNK  TRY  INPUTS  HTTP" || exit 1
keys g
pos=$(jq -r 'select(.t == "send") | .kind // "create"' "$(journal_of)" | grep -n -m 1 '^limits$' | cut -d: -f1)
for ((i = 1; i < pos; i++)); do keys j; done
keys Enter
shows "the limits' GET" "(limits): GET " || exit 1
like "no body" "$(screen)" "(no body)"
unlike "no body's type" "$(screen | sed '/^Answer:/,$d')" "Content-Type: application/json"
keys c
shows "its curl" "sent as curl to the terminal's clipboard" || exit 1
clip=$(TM show-buffer 2>/dev/null)
like "a GET's curl: -X GET" "$clip" "curl -sS -X GET "
unlike "and no data" "$clip" "--data-binary"
keys Escape
shows "the list again" "REQ  CHUNK  TRY  INPUTS  HTTP" || exit 1
keys G Enter
shows "back to the last request" "Request $last: POST" || exit 1
keys G
shows "the answer, pretty, with its headers" '"fromObjectId": 1099,'
# a jumps between the request and its answer; / searches, n goes on.
keys a
shows "a goes back to the request" "Request $last: POST" || exit 1
keys a
shows "a jumps to the answer" "Answer: HTTP" || exit 1
keys g /
typein "x-hubspot-correlation"
keys Enter
sleep 0.3
like "/ finds a line, whatever its case" "$(screen)" "X-HubSpot-Correlation-Id"
unlike "and says nothing of it missing" "$(screen | tail -n 1)" "is not in this request"
keys n /
typein "no-such-text"
keys Enter
shows "a search that finds nothing says so" "'no-such-text' is not in this request or its answer" || exit 1
# w writes the request and its answer; W the curl command; 0600, no token.
keys w
shows "w asks for the file" "write the request and its answer to:" || exit 1
typein "$T_TMP/req$last.txt"
keys Enter
shows "and writes it" "wrote the request and its answer of request $last" || exit 1
is "the file is 0600" "$(stat -c %a "$T_TMP/req$last.txt")" 600
like "it holds the request" "$(cat "$T_TMP/req$last.txt")" "Request $last: POST"
like "and the answer" "$(cat "$T_TMP/req$last.txt")" "Answer: HTTP"
keys W
shows "W asks for the curl command's file" "write the curl command to:" || exit 1
typein "$T_TMP/req$last.sh"
keys Enter
shows "and writes it" "wrote the curl command of request $last" || exit 1
like "a curl command" "$(cat "$T_TMP/req$last.sh")" "curl "
unlike "without the token" "$(cat "$T_TMP/req$last.sh")" "sandbox-token"
# A file that is there is replaced only after asking, and then is 0600
# (before: overwritten at once, keeping its mode).
printf 'keep me\n' > "$T_TMP/mine.txt"
chmod 644 "$T_TMP/mine.txt"
keys w
typein "$T_TMP/mine.txt"
keys Enter
shows "w over a file asks first" "mine.txt exists (8 bytes): replace it with the request and its answer of request $last (0600)?" || exit 1
keys n
shows "n keeps it" "kept as it was: nothing written" || exit 1
is "its content stays" "$(cat "$T_TMP/mine.txt")" "keep me"
keys W
typein "$T_TMP/mine.txt"
keys Enter
shows "W asks too" "replace it with the curl command of request $last" || exit 1
keys y
shows "y replaces it" "wrote the curl command of request $last" || exit 1
like "with the curl command" "$(cat "$T_TMP/mine.txt")" "curl "
is "now 0600" "$(stat -c %a "$T_TMP/mine.txt")" 600
# A FIFO is refused, and the screen goes on (before: frozen in open()).
mkfifo "$T_TMP/fifo"
keys w
typein "$T_TMP/fifo"
keys Enter
shows "a FIFO is refused" "is not a regular file (a FIFO)" || exit 1
keys j
sleep 0.2
keys k
like "and the screen answers keys" "$(screen)" "Answer: HTTP"
keys Escape
shows "Esc goes back to the list" "REQ  CHUNK  TRY"

keys q
shows "q quits" "[exited 0]" || exit 1
unlike "nothing leaked onto the screen" "$(cat "$T_TMP/tui.err")" "sandbox-token"
like "the last session is named on the way out" "$(cat "$T_TMP/tui.err")" "last session"

hist=$("$HUBASSOC" history 2>&1)
like "history lists the session" "$hist" "$sid"
n=$(printf '%s\n' "$hist" | grep -c 'contacts>companies\|contacts.*companies')
is "one session: the resend is its send 2" "$n" 1
like "show lists both sends" "$("$HUBASSOC" show "$sid")" "2  retry"
show=$("$HUBASSOC" show "$sid" 2>&1)
like "show tells the session" "$show" "9,994"

perms=$(stat -c %a "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | sort -u)
is "journals are 0600" "$perms" 600
unlike "no journal holds the token" "$(cat "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl)" "sandbox-token"
done_testing
