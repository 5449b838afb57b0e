#!/usr/bin/env bash
# The safety net's requests in the terminal: a session the command line
# sent with its preflight, opened here; the inspector lists the preflight's
# reads with the rest, and shows where each went.
. "$(dirname "$0")/tui_lib.sh"

sb_start --open-portal || exit 1
for i in $(seq 1 30); do echo "$((1000 + i)),$((5000 + i))"; done > "$T_TMP/pairs.csv"
"$HUBASSOC" create contacts companies --type 279 --input "$T_TMP/pairs.csv" --chunk 10 \
	--base-url "$SB" --no-progress 2> "$T_TMP/err"
is "a session sent with its preflight" "$?" 0
sid=$(jq -r .id < <(head -n 1 "$(journal_of)"))

tui_start 100 30 --base-url "$SB" --session "$sid"
shows "the session opens" "30 rows: 30 valid" || exit 1
keys 4
shows "the inspector lists the preflight's read" "preflight" || exit 1
like "a call shows no chunk or inputs of its own" "$(screen | grep preflight)" "      -    1       -   20"
like "the limits are read next" "$(screen)" "      2      -    1       -   200"
like "the creates follow, numbered after them" "$(screen)" "      4      1    1      10   201"
keys Home Enter
shows "its detail names where it went" "Request 1 (preflight): POST /crm/v4/associations/contacts/companies/batch/read" || exit 1
like "and its body" "$(screen)" '{"id":"1001"}'
keys Escape
sleep 0.2
keys Down Down Down Enter
shows "a create's detail, as before" "Request 4: POST /crm/v4/associations/contacts/companies/batch/create" || exit 1
tui_kill
sb_stop

# S looks before it sends: what each pair changes, in Pairs and in the
# question, and what they held recorded for undo.
sb_start || exit 1
demo_pairs
printf '%s,%s,279\n%s,%s,Primary\n' "$EC" "$EO" "$PC" "$OTHER" > "$T_TMP/mix.csv"
BEFORE=$(portal_state)
tui_start 120 24 --base-url "$SB"
shows "starts" "budget" || exit 1
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "load $T_TMP/mix.csv"
wait_for "2 rows" || exit 1
keys p
shows "p reads what the portal holds for the pair's FROM record (6)" "1 record, " || exit 1
like "the Portal tab" "$(row 2)" "6 Portal"
like "its pairs with every type and label" "$(screen | grep "^$EC ")" " $EO "
like "labels by name" "$(screen)" "HUBSPOT_DEFINED:279 (unlabeled)"
commands read
shows ":read reads every FROM record of the pairs" "2 records, " || exit 1
like "the one with a Primary among them" "$(screen | grep "^$PC ")" " $PO "
keys 1
wait_for "2 rows" || exit 1
keys S
shows "S says what the pairs change, the Primary first, by its line" \
	"moves      1 moves a Primary: line 2" || exit 1
like "and what else" "$(screen)" "1 already there"
like "Pairs: the pair already there" "$(row 6)" "ok        already there"
like "Pairs: the record that holds the Primary" "$(row 7)" "ok        moves Primary from $PO"
keys y
shows "then it sends" "complete: 2 created" || exit 1
# HubSpot answers the pair it held as created: Results say it was there.
like "Results: the pair there already said so" "$(screen)" "already there before the send: the portal changed nothing"
J=$(journal_of)
is "the pre-state is in the session's journal" "$(jq -r 'select(.t == "prestate") | .rows[] | .[1]' "$J" | tr '\n' ' ')" \
	"already_there moves_primary "
is "marked as a session that looked first" "$(head -n 1 "$J" | jq -r .preflight)" true

# Verify and undo, from History and by command.
commands verify
shows ":verify reads the session shown back" "verified: 2 rows created: 2 confirmed, 0 missing, 0 types differ" || exit 1
is "the verify is journaled" "$(jq -r 'select(.t == "verified") | .confirmed' "$J")" 2
keys 5
wait_for "SESSION              STATE" || exit 1
keys u
shows "u in History asks, saying what it will do" "Undo session" || exit 1
like "with where" "$(screen | tail -n 1)" "on $SB? [y/n]"
like "and the Primary it gives back" "$(screen)" "restore    1 pair as it was (1 Primary given back)"
keys y
shows "then undoes it" "undone: 1 pair archived, 0 unlabeled, 1 restored" || exit 1
shows "Results call the row it took back undone" "created 1  failed 0  invalid 0  duplicate 0  not_sent 0  undone 1" || exit 1
like "saying so" "$(screen)" "undone    201  taken back by the session's undo"
# The pair there before stays created: the undo left it (before: undone).
like "the pair there before, created and left" "$(screen)" "already there before the send: the portal changed nothing"
is "the portal is as before the session, both directions" "$(portal_state)" "$BEFORE"
is "the undo is journaled" "$(jq -r 'select(.t == "undo" or .t == "undone") | .t' "$J" | tr '\n' ' ')" "undo undone "
keys 5
wait_for "SESSION              STATE" || exit 1
keys V
shows "V after the undo checks that the undo holds, and the pair there before" "1 row created: 1 confirmed, 0 missing, 0 types differ; 1 row undone" || exit 1
like "for the one it took back" "$(screen)" "holds for 1, not for 0"
like "Results says so of each" "$(screen)" "verify: the undo holds"
keys 5
wait_for "SESSION              STATE" || exit 1
keys u
shows "a second undo has nothing to do" "nothing to do" || exit 1
tui_kill
sb_stop

# Two Primaries for one contact in the pairs: both red, each naming the
# other, and S sends neither.
sb_start || exit 1
demo_pairs
mapfile -t O < <(ids_of companies)
printf '%s,%s,Primary\n%s,%s,Primary\n' "$PC" "${O[10]}" "$PC" "${O[11]}" > "$T_TMP/cf.csv"
XDG_STATE_HOME=$T_TMP/state-cf TUI_ENV="XDG_STATE_HOME=$T_TMP/state-cf" tui_start 80 24 --base-url "$SB"
shows "starts" "budget" || exit 1
commands "from contacts" "to companies" "load $T_TMP/cf.csv"
shows "two Primaries for one contact: both left out, as conflicts" "2 rows: 0 valid in 0 requests, 0 invalid, 2 conflicts" || exit 1
like "with why" "$(screen)" "gives contact $PC"
keys v
shows "v says it whole" "a second Primary: line 2" || exit 1
like "naming the other company" "$(screen)" "gives it company ${O[11]}; keep one"
tui_kill
sb_stop

# No label lost: a pair with Billing contact, sent with another label, keeps
# it, and v says so (before: the label was replaced, said "adds labels").
sb_start || exit 1
read -r LC LO < <(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" |
	jq -r '[.results[] | select(any(.types[]; .category == "USER_DEFINED" and .typeId == 36))][0] | "\(.from) \(.to)"')
echo "$LC,$LO" > "$T_TMP/keep.csv"
tui_start 80 24 --base-url "$SB"
shows "starts" "budget" || exit 1
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "type 44" "load $T_TMP/keep.csv"
wait_for "1 row" || exit 1
keys S
shows "S: the pair adds a label" "1 adds labels" || exit 1
keys y
shows "sent" "complete: 1 created" || exit 1
keys 1 v
shows "v names what the pair kept" "keeping USER_DEFINED:36" || exit 1
like "by its name" "$(screen)" "Billing contact"
like "the portal has both" "$(types_between contacts companies "$LC" "$LO")" "USER_DEFINED:36 USER_DEFINED:44"
tui_kill
sb_stop

# An undo the command line began and was killed in: r in History finishes
# it, as hubassoc resume does (before: "nothing left to send").
export XDG_STATE_HOME=$T_TMP/state-undo
sb_start --latency 300 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
for i in $(seq 20 39); do echo "${C[$i]},${O[$((i % 20 + 40))]},279"; done > "$T_TMP/many.csv"
BEFORE=$(portal_state)
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies --input "$T_TMP/many.csv" \
	--base-url "$SB" --no-progress --chunk 1 --concurrency 1 2> /dev/null
is "a session to undo" "$?" 0
J=$(journal_of)
US=$(jq -r .id < <(head -n 1 "$J"))
( HUBSPOT_ACCESS_TOKEN=$TOKEN exec "$HUBASSOC" undo "$US" --yes --base-url "$SB" 2>/dev/null ) &
UP=$!
for i in $(seq 1 100); do
	[ "$(grep -c '"kind":"undo","method":"POST","path":"[^"]*batch/archive"' "$J")" -ge 1 ] && break
	sleep 0.05
done
kill -9 "$UP" 2>/dev/null
wait "$UP" 2>/dev/null
is "killed during the undo: begun, not done" "$(jq -r 'select(.t == "undo" or .t == "undone") | .t' "$J" | tr '\n' ' ')" "undo "
tui_start 80 24 --base-url "$SB"
shows "starts" "budget" || exit 1
wait_gone "trying the token" || exit 1
keys 5
wait_for "$US" || exit 1
keys r
# What is left depends on whether the killed undo's write landed: asked
# about when something is, said done when nothing is.
for i in $(seq 1 300); do
	case $(screen) in
	*"Undo session $US"*) keys y ;;
	*"session $US undone"*|*"session $US: nothing to do"*) break ;;
	esac
	sleep 0.1
done
like "r on it finishes the undo" "$(screen | tail -n 3)" "session $US"
is "the portal is as before the session" "$(portal_state)" "$BEFORE"
is "undone recorded" "$(jq -r 'select(.t == "undone") | .t' "$J")" undone
tui_kill
sb_stop

# A preflight that cannot finish sends nothing; C-c stops one that is slow.
export XDG_STATE_HOME=$T_TMP/state2
sb_start --latency 3000 || exit 1
tui_start 80 24 --base-url "$SB"
shows "starts on a slow portal" "budget" 20 || exit 1
wait_gone "trying the token" 20 || exit 1
commands "from contacts" "to companies"
wait_gone "labels are on their way" 20
commands "load $T_TMP/mix.csv"
wait_for "2 rows" || exit 1
keys S
shows "S says it is looking" "looking before sending" || exit 1
like "the header says so (before: editing)" "$(row 1)" " looking "
# r in History meanwhile waits its turn (before: a session to resume took
# the run S was reading for, and S's end used it freed).
keys 5
wait_for "SESSION  " || exit 1
keys r
shows "r while S looks: wait" "is under way (C-c stops it)" || exit 1
keys 1
keys C-c
# Said as what it is (before: "stopping the send", nothing being sent).
shows "C-c says what it stops" "stopping the preflight" 5 || exit 1
shows "C-c stops the preflight, nothing sent" "nothing was sent: the preflight stopped" 20 || exit 1
is "no session was sent" "$(cat "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl 2>/dev/null | grep -c '"t":"rows"')" 0
# Sent, then cut while the create is in flight: its rows were sent and
# may be there, and the terminal says so (before: the header said "not
# sent" and the summary said nothing of them).
keys S
shows "asked again" "? [y/n]" 30 || exit 1
like "the header says it asks (before: editing)" "$(row 1)" " asking "
keys y
shows "sending" "sending" 20 || exit 1
keys C-c
# One C-c: the answers in flight are awaited, and the header says so
# (before: "sending 0%" until they came).
shows "one C-c: stopping" "stopping" 5 || exit 1
like "the header says stopping" "$(row 1)" "stopping 0%"
keys C-c
shows "cut: the rows in flight said" "aborted: 0 created, 0 failed, 2 unconfirmed" 20 || exit 1
unlike "the header does not say not sent" "$(row 1)" "not sent"
like "the header says how it ended, as History does (before: sent)" "$(row 1)" "aborted"
like "Results: the state whole, then HTTP (before: unconfirm…-)" "$(screen)" "unconfirmed -"
keys v
shows "v: the row's error is hubassoc's, not HubSpot's" "hubassoc's error (not HubSpot's)" || exit 1
keys Escape
tui_kill
# The next start offers the session back, its rows as they are (before:
# "2 not sent", for rows that were sent and may be there).
tui_start 80 24 --base-url "$SB"
shows "the offer says the rows are unconfirmed" "(2 rows of contacts to companies, 2" 20 || exit 1
like "... unconfirmed" "$(screen | tr -s ' \n' ' ')" "(2 rows of contacts to companies, 2 unconfirmed)? [y/n]"
keys n
tui_kill
sb_stop

# preflight = no: S asks as it did.
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile default]\npreflight = no\n' > "$XDG_CONFIG_HOME/hubassoc/config"
export XDG_STATE_HOME=$T_TMP/state3
sb_start || exit 1
tui_start 80 24 --base-url "$SB"
shows "starts" "budget" || exit 1
commands "from contacts" "to companies" "load $T_TMP/mix.csv"
wait_for "2 rows" || exit 1
keys S
shows "preflight = no: S asks at once" "Send 2 pairs to" || exit 1
unlike "without reading first" "$(screen)" "already there"
keys n
tui_kill
sb_stop
rm -f "$XDG_CONFIG_HOME/hubassoc/config"

# Verify says what the portal holds of a row it does not confirm, and
# lacks: in Results, in the row's view (v), and the filter finds it.
export XDG_STATE_HOME=$T_TMP/state4
sb_start --open-portal || exit 1
for i in 1 2 3; do echo "$((2000 + i)),$((6000 + i)),279;USER_DEFINED:36"; done > "$T_TMP/v.csv"
"$HUBASSOC" create contacts companies --input "$T_TMP/v.csv" --base-url "$SB" --no-progress 2> /dev/null
is "a session with a label" "$?" 0
vid=$(jq -r .id < <(head -n 1 "$(journal_of)"))
req POST "/crm/v4/associations/contacts/companies/batch/labels/archive" \
	'{"inputs":[{"from":{"id":"2002"},"to":{"id":"6002"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":36}]}]}'
tui_start 120 24 --base-url "$SB" --session "$vid"
shows "the session opens" "3 rows" || exit 1
commands verify
shows "verify: one row differs" "1 types differ" 20 || exit 1
like "its row says what the portal lacks" "$(screen | grep '      2 2002')" "verify: types differ: the portal holds HUBSPOT_DEFINED:279"
keys /
typein "lacks"
keys Enter
shows "the filter finds it by what verify said" "filter 'lacks': 1 row" || exit 1
keys v
shows "v: what the portal holds and lacks" "lacks USER_DEFINED:36 (contact to company, Billing contact)" || exit 1
like "v: in a field of its own" "$(screen)" "verify"
keys Escape
tui_kill
A=$SB
sb_stop

# S on the pairs of a session sent to another portal: the question says
# the session went there, and that this send starts a new one here.
sb_start --open-portal || exit 1
tui_start 120 30 --base-url "$SB" --session "$vid"
shows "the session sent elsewhere opens" "3 rows" || exit 1
# Said as it opens (before: nothing until S asked).
like "opened: where it went, and what S does here" "$(screen | tail -n 2 | tr '\n' ' ')" \
	"session $vid reopened: 3 pairs; it went to $A, not here: S sends the pairs here, as a new session"
# The header names this terminal's portal: it says the session shown went
# elsewhere (before: the portal alone, as if the session had gone there).
like "the header: the session sent elsewhere" "$(row 1)" " sent elsewhere  "
keys 1
nsessions=$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | wc -l)
echo "2004,6004,279" > "$T_TMP/more.csv"
paste_file "$T_TMP/more.csv"
wait_for "4 rows" || exit 1
keys S
# All four: what the session made is on the other portal, not this one
# (before: "Send 1 pair", its three left out as created before).
shows "S asks" "Send 4 pairs to $SB" 20 || exit 1
like "naming where the session went, and a new one here" "$(screen)" \
	"session    new: the pairs' session $vid went to $A, not here"
# The header's asking is of the new session, here (before: "asking (sent
# elsewhere)").
like "the header: asking" "$(row 1)" " asking  "
unlike "not tagged with where the other went" "$(row 1)" "elsewhere"
keys n
# Not agreed to: the pairs are the session's again, no draft made for
# them left (before the one store, none was made).
is "no session of their own left" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | wc -l)" "$nsessions"
keys 5
wait_for "$vid" || exit 1
keys Enter
shows "opened from History: the pairs' own, where it went" "session $vid; it went to $A, not here" || exit 1
like "the header says so" "$(row 1)" " sent elsewhere  "
# :read reads this terminal's portal, and says so of a session sent to
# another (before: its pairs read "(no associations)", nothing said).
commands read
shows ":read: read" "from this terminal's portal" || exit 1
like ":read: which portal it read" "$(screen | tail -n 3 | tr '\n' ' ' | tr -s ' ')" "from this terminal's portal: session $vid went to $A"
tui_kill
sb_stop

# The daily limit met while sending: the header says so in words (before:
# "daily_limit").  The portal's 6th request of the day is refused: the
# token's check, the labels, the preflight, the limits, the first create.
export XDG_STATE_HOME=$T_TMP/state-daily
sb_start --open-portal --daily 6 || exit 1
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
for i in $(seq 0 29); do echo "${C[$i]},${O[$i]}"; done > "$T_TMP/daily.csv"
tui_start 80 24 --base-url "$SB" --chunk 10
shows "starts" "budget" || exit 1
wait_gone "trying the token" || exit 1
commands "from contacts" "to companies" "type 279" "load $T_TMP/daily.csv"
wait_for "30 rows" || exit 1
keys S
shows "asked" "? [y/n]" 20 || exit 1
like "the question warns of the daily limit" "$(screen | tr -s ' ' | tr -d '\n│')" "the portal has 1 request left today (its daily limit) and this send takes 3"
keys y
shows "the daily limit stops the send" "DAILY" 20 || exit 1
like "the header says it in words" "$(row 1)" " daily limit "
# Its two-line message is under the view, not over its last row (before:
# the cursor on row 30 was under the message).
keys 2
keys G
sleep 0.3
like "the last row shows above the message" "$(row 22)" "     30 "
like "the message below it" "$(row 23)" "daily_limit: 10 created"
# History at 80 columns keeps what resume finishes, and the direction
# whole: the sends give way (before: NOT_SENT left out, 20 rows unsaid).
keys 5
wait_for "SESSION              STATE" || exit 1
like "History: NOT_SENT, and the direction" "$(screen | grep -m 1 '^SESSION ')" \
	"SESSION              STATE       ROWS DONE FAILED NOT_SENT DIRECTION"
like "History: the session's 20 not sent" "$(screen | grep -m 1 ' daily_limit ' | tr -s ' ')" " daily_limit 30 10 0 20 contacts>companies"
tui_kill
done_testing
