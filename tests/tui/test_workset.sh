#!/usr/bin/env bash
# The pairs are the session's working set, journaled from the first row:
# q quits without asking and loses nothing, nor does kill -9; the next
# start offers the session back; --session opens one; a session open here
# is refused to a second hubassoc; the first send keeps the session's ID.
. "$(dirname "$0")/tui_lib.sh"

pairs_now() { screen | grep -E '^ +[0-9]+ [0-9x]' ; }
# The hubassoc of this test's pane (tests run side by side).
hub_pid() { pgrep -P "$(TM display -p -t t '#{pane_pid}')" -x hubassoc | head -n 1; }

tui_start 100 24 --sandbox
wait_for "Paste pairs" || exit 1
printf 'contact,company\n101,201\n102,202\nx,203\n104,204\n' > "$T_TMP/p.txt"
paste_file "$T_TMP/p.txt"
shows "a paste" "pasted 4 rows" || exit 1
sid=$(basename "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl)" .jsonl)
[ -n "$sid" ] && ok "the session's journal starts with its first rows" || not_ok "a journal from the first row"
# show of pairs with no direction yet says so (before: "? (custom) to ?
# (custom)").
like "show: no direction chosen yet" "$("$HUBASSOC" show "$sid")" "direction  not chosen yet"
# Nor a plan yet: its operation as chosen (before: a relabel shown as a
# create, what it replaces unsaid).
commands "op relabel 36"
shows "a relabel chosen before the direction" "operation: relabel" || exit 1
shown=$("$HUBASSOC" show "$sid")
like "show: the relabel, unplanned" "$shown" "operation  relabel"
like "show: what it replaces, as chosen" "$shown" "replaces   36"
like "history: the relabel" "$("$HUBASSOC" history | grep "$sid")" "relabel"
commands "op create"
shows "back to a create" "operation: create" || exit 1
keys g j e C-u
typein "112,212"
keys Enter
shows "an edit" "line 3 changed" || exit 1
keys G d
shows "a deletion" "line 5 deleted" || exit 1
commands "from contacts" "to companies" "type 279"
shows "the choices" "as HUBSPOT_DEFINED:279" || exit 1
before=$(pairs_now)
keys q
shows "q quits at once, nothing being sent" "[exited 0]" || exit 1
# show of the pairs not sent yet: for where, not "sent to" (before: the
# built-in sandbox's URL of that run, "input ?").
shown=$("$HUBASSOC" show "$sid")
like "show: not sent yet, for the built-in sandbox" "$shown" "for        the built-in sandbox (v4), not sent yet"
like "show: the terminal's pairs" "$shown" "input      the terminal's pairs"

tui_start 100 24 --sandbox
shows "the next start offers the session back" "Reopen session $sid (3 rows of contacts to companies, 2 not sent)? [y/n]" || exit 1
keys y
shows "y reopens it" "session $sid reopened: 3 pairs" || exit 1
is "the same pairs, edit and deletion included" "$(pairs_now)" "$before"
like "the same direction and types" "$(screen)" "From contacts (0-1)  to companies (0-2)  as HUBSPOT_DEFINED:279"

# While it is open here, no other hubassoc may edit or send it.
HUBSPOT_ACCESS_TOKEN=sandbox-token "$HUBASSOC" retry "$sid" --sandbox > /dev/null 2> "$T_TMP/e" < /dev/null
is "a retry while the terminal holds it: refused" "$?" 2
like "it says the session is in use" "$(cat "$T_TMP/e")" "is in use by another hubassoc"

# kill -9 while editing loses nothing.
printf '105,205\n106,206\n' > "$T_TMP/p2.txt"
paste_file "$T_TMP/p2.txt"
shows "a second paste" "pasted 2 rows" || exit 1
keys g e C-u
typein "121,221"
keys Enter
shows "and an edit, the line named with its paste" "line paste 1:2 changed" || exit 1
before=$(pairs_now)
kill -9 "$(hub_pid)"
wait_for "[exited 137]" || exit 1
tui_start 100 24 --sandbox
shows "after kill -9, the offer" "Reopen session $sid (5 rows of contacts to companies, 4 not sent)? [y/n]" || exit 1
keys y
shows "reopened" "session $sid reopened: 5 pairs" || exit 1
is "every change before the kill is there" "$(pairs_now)" "$before"

# The first send keeps the session: one session, its ID, send 1.
keys S
shows "S asks" "Send 4 pairs to" || exit 1
keys y
shows "it sends as the same session" "session $sid: complete" 20 || exit 1
is "one session in the history" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | wc -l)" 1
like "history: the session, sent once" "$("$HUBASSOC" history | grep "$sid")" "complete"
keys q
wait_for "[exited" || exit 1

# Declining the offer starts afresh; --session opens a given session.
tui_start 100 24 --sandbox --session "$sid"
shows "--session ID opens it" "session $sid reopened: 5 pairs" || exit 1
like "with its rows' states" "$(screen)" "paste 1:2 121        221        279   failed    VALIDATION_ERROR: CONTACT=121 is not"
# A second terminal, the first still open.
first=$TUI_SOCK
TUI_SOCK=""
tui_start 100 24 --sandbox --session "$sid"
shows "a second terminal on it is refused" "is in use by another hubassoc" || exit 1
like "and has no pairs of it" "$(screen)" "0 rows"
tmux -L "$first" kill-server

# Pairs pasted after a send join the session: S is its next send, of the
# pairs new since and those that failed (before: a new session each S);
# reopened, they are its rows, with their states.
tui_start 100 24 --sandbox --session "$sid"
shows "reopened for more" "session $sid reopened: 5 pairs" || exit 1
like "and what goes on from here" "$(screen | tail -n 2 | tr '\n' ' ')" "S sends what it has not written, R its failed rows"
printf '107,207\n' > "$T_TMP/p3.txt"
paste_file "$T_TMP/p3.txt"
shows "a paste after the send" "pasted 1 row" || exit 1
# Not the session's until its next send: Results counts what it lists,
# as history and show do (before: "pending 1" over a list without it).
keys 2
wait_for "OUTCOME" || exit 1
unlike "Results: the pasted row not counted" "$(screen | sed -n 4p)" "pending"
keys 1
# And a failed pair fixed: its edit names its types, a set the session did
# not have (before: y crashed, the add record reading past its plan's sets).
keys g e C-u
typein "101,299"
keys Enter
shows "a failed pair fixed: the session's edit" "line paste 1:2 edited" || exit 1
# R sends what failed and was edited; the pair pasted since is S's, and
# its question says so (before: left out unsaid).
keys R
shows "R asks" "? [y/n]" 20 || exit 1
like "R: the pasted pair left for S, said" "$(screen)" "pasted     1 since left out: S sends them"
keys n
wait_gone "? [y/n]" || exit 1
keys S
shows "S asks" "? [y/n]" 20 || exit 1
like "S: the session's next send" "$(screen)" "session    $sid, send 2"
like "the fix goes with it" "$(screen)" "fixed      1 since"
keys y
shows "sent as the session's send 2" "session $sid, send 2: complete" 20 || exit 1
is "still one session in the history" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | wc -l)" 1
keys q
wait_for "[exited" || exit 1
like "show: send 2, S's" "$("$HUBASSOC" show "$sid")" "2  send"
"$HUBASSOC" export "$sid" > "$T_TMP/ws.jsonl"
is "export: the pasted row, in send 2" "$(jq -r 'select(.from == "107") | "\(.to) \(.send)"' "$T_TMP/ws.jsonl")" "207 2"
is "export: every row, the new one with them" "$(wc -l < "$T_TMP/ws.jsonl")" 6
tui_start 100 24 --sandbox --session "$sid"
shows "reopened: the pasted row is the session's" "session $sid reopened: 6 pairs" || exit 1
like "with its state" "$(screen | grep ' 107 ')" "failed"
# What the session sent stays as it was (undo takes it back): an edit of a
# repeat sent with its first is a new pair, and S sends it in the session
# (before: S refused, "an edit names row 7, which cannot change"; an edit
# of a created pair split the pairs into a new session of their own).
printf '107,207\n' > "$T_TMP/p4.txt"
paste_file "$T_TMP/p4.txt"
shows "a repeat pasted" "pasted 1 row" || exit 1
send_yes "sent with its first" "session $sid, send 3: complete"
is "export: the repeat names its first's line and paste (before: line 1 of its own)" \
	"$("$HUBASSOC" export "$sid" | jq -r 'select(.outcome == "duplicate") | "\(.duplicate_of) \(.duplicate_source) \(.source)"')" "1 paste 3 paste 4"
keys 1 G e C-u
typein "108,208"
keys Enter
shows "the repeat stays; the edit is a new pair" "line paste 4 stays as sent (a repeat, sent with its first); the edit is a new pair, line typed 1" || exit 1
like "the new pair among the pairs" "$(screen)" " 108 "
keys S
shows "S asks" "? [y/n]" 20 || exit 1
like "the session's next send" "$(screen)" "session    $sid, send 4"
keys n
keys q
wait_for "[exited" || exit 1
# Pairs changed since the last send are offered back at the next start
# (before: no offer, every row having an outcome).
tui_start 100 24 --sandbox
shows "the offer names the change" "Reopen session $sid (7 rows of contacts to companies, pairs changed since its" || exit 1
keys y
shows "reopened" "session $sid reopened: " || exit 1
send_yes "sent as send 4" "session $sid, send 4: complete"
# Chosen otherwise after a send, the pairs go on as the next session's, in
# a draft of their own: the session sent keeps only what it was (before:
# the remove was recorded in it, and --session opened it as a remove).
# Chosen otherwise and back, nothing else changed: the pairs are the
# session's again (before: a draft that would send every pair again).
commands "op remove"
shows "another operation" "operation: remove" || exit 1
is "a draft of their own" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | wc -l)" 2
commands "op create"
shows "back to a create" "operation: create" || exit 1
is "chosen back: the draft goes" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | wc -l)" 1
like "the pairs are the session's again, as it made them" "$(screen | sed -n 4p)" "created"
commands "op remove"
shows "another operation" "operation: remove" || exit 1
is "the pairs in a draft of their own" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | wc -l)" 2
is "the session sent records no remove" "$(jq -r 'select(.t == "choice") | .op // "create"' "$XDG_STATE_HOME/hubassoc/sessions/$sid.jsonl" | grep -c remove)" 0
draft=$(ls -t "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | head -n 1)
like "the draft does" "$(jq -r 'select(.t == "choice") | .op // "create"' "$draft")" remove
keys q
wait_for "[exited" || exit 1
tui_start 100 24 --sandbox --session "$sid"
shows "the session sent, reopened" "session $sid reopened" || exit 1
unlike "as it was sent: a create" "$(row 1)" "remove"
keys q
wait_for "[exited" || exit 1
# (The draft goes, so that the starts below are offered nothing.)
rm -f "$draft"
like "retry --dry-run names a line by its paste (before: its place among the session's rows)" \
	"$("$HUBASSOC" retry "$sid" --dry-run 2>&1)" "  line paste 1:"

# A session sent from the command line has no working set: --session makes
# its rows the pairs, to fix and send again; the first change records them.
sb_start || exit 1
c1=$(ids_of contacts | sed -n 1p)
c2=$(ids_of contacts | sed -n 2p)
c3=$(ids_of contacts | sed -n 3p)
company=$(ids_of companies | sed -n 1p)
sb_stop
printf '%s,%s\n9,%s\n' "$c1" "$company" "$company" > "$T_TMP/cli.csv"
HUBSPOT_ACCESS_TOKEN=sandbox-token "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/cli.csv" \
	--sandbox --no-progress > /dev/null 2>&1 < /dev/null
is "a command-line session with a failure: exit 1" "$?" 1
cli=$(basename "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | sort | tail -n 1)" .jsonl)
tui_start 100 24 --sandbox --session "$cli"
shows "--session on it: its rows are the pairs" "session $cli reopened: 2 pairs" || exit 1
like "with their states" "$(screen)" "      2 9          $company"
like "the direction and types its send had" "$(screen)" "From contacts (0-1)  to companies (0-2)  as HUBSPOT_DEFINED:279"
keys G e C-u
typein "$c2,$company"
keys Enter
shows "fixed in place: the session's edit" "line 2 edited" || exit 1
keys R
# Not "again": the edited row is another pair now.
shows "R: send 2 of the command-line session" "Send 1 pair to" || exit 1
like "R: send 2 of that session" "$(screen)" "session    $cli, send 2"
like "R: the fixed pair is read before it goes, not judged by the old one (before: 'not read yet')" "$(screen)" "classes    1 changed since: read before it is sent"
keys y
shows "sent" "session $cli, send 2: complete: 1 created, 0 failed of its 1 row" 20 || exit 1
keys q
wait_for "[exited 0]" || exit 1
tui_start 100 24 --sandbox --session "$cli"
shows "reopened again" "session $cli reopened: 2 pairs" || exit 1
like "the fix is kept among the pairs" "$(screen)" "      2 $c2"
like "as created" "$(screen | grep "      2 $c2")" "created"
keys q
wait_for "[exited 0]" || exit 1

# A full disk while editing (here a 16 KiB file-size limit): the change is
# refused with the reason, the pairs stay as they were, and what was
# journaled before comes back whole.
printf '#!/usr/bin/env bash\nulimit -f 16\nexec %q "$@"\n' "$HUBASSOC" > "$T_TMP/limited"
chmod +x "$T_TMP/limited"
real=$HUBASSOC
HUBASSOC=$T_TMP/limited
tui_start 100 24 --sandbox
shows "started under the limit" "0 rows, 0 invalid" || exit 1
awk 'BEGIN { for (i = 0; i < 40; i++) printf "%d,%d\n", 7000 + i, 8000 + i }' > "$T_TMP/small.txt"
paste_file "$T_TMP/small.txt"
shows "a paste that fits" "pasted 40 rows" || exit 1
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "%d,%d\n", 9000 + i, 19000 + i }' > "$T_TMP/big.txt"
paste_file "$T_TMP/big.txt"
shows "a paste that does not fit: refused, and why" "the rows were not made: the journal cannot be written (File too large)" || exit 1
like "the pairs are as they were" "$(screen)" "40 rows"
keys g d
shows "nor is a deletion" "the deletion was not made" || exit 1
like "still 40" "$(screen)" "40 rows"
new=$(basename "$(ls -t "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | head -n 1)" .jsonl)
keys q
wait_for "[exited 0]" || exit 1
HUBASSOC=$real
tui_start 100 24 --sandbox --session "$new"
shows "reopened without the limit: what was journaled" "session $new reopened: 40 pairs" || exit 1
tui_kill

# A session of two pastes, each sent: verify numbers a line as export does,
# by its paste, and names it (before: the session's line, no source).
tui_start 100 24 --sandbox
shows "the last one offered" "Reopen session $new" || exit 1
keys n
commands "from contacts" "to companies" "type 279"
printf '%s,%s\n' "$c1" "$company" > "$T_TMP/v1.txt"
paste_file "$T_TMP/v1.txt"
shows "a first paste" "pasted 1 row" || exit 1
send_yes "sent" "complete: 1 created"
vsid=$(basename "$(ls -t "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | head -n 1)" .jsonl)
keys 1
printf '%s,%s\n%s,%s\n' "$c2" "$company" "$c3" "$company" > "$T_TMP/v2.txt"
paste_file "$T_TMP/v2.txt"
shows "a second paste" "pasted 2 rows" || exit 1
send_yes "sent as send 2" "session $vsid, send 2: complete: 2 created, 0 failed of its 2 rows"
keys q
wait_for "[exited" || exit 1
is "verify: each line by its paste" "$(HUBSPOT_ACCESS_TOKEN=sandbox-token "$HUBASSOC" verify "$vsid" --sandbox --format jsonl 2>/dev/null | jq -r '"\(.line) \(.source) \(.verify)"' | tr '\n' ' ')" "1 paste 1 confirmed 1 paste 2 confirmed 2 paste 2 confirmed "
# One taken off since: the table's LINE holds "paste 2:1" and its columns
# stay in place (before: 8 wide, the rest pushed over).
printf '%s,%s\n' "$c2" "$company" | HUBSPOT_ACCESS_TOKEN=sandbox-token "$HUBASSOC" remove contacts companies \
	--sandbox --yes --no-progress > /dev/null 2>&1
t=$(HUBSPOT_ACCESS_TOKEN=sandbox-token "$HUBASSOC" verify "$vsid" --sandbox 2>/dev/null)
h=$(printf '%s\n' "$t" | sed -n 1p)
r=$(printf '%s\n' "$t" | sed -n 2p)
is "verify's table: FROM over the row's FROM" "$(awk -v s="$r" -v id="$c2" 'BEGIN { print index(s, id) }')" \
	"$(awk -v s="$h" 'BEGIN { print index(s, "FROM") }')"
like "the row by its paste" "$r" "paste 2:1      $c2"

# The offer names what S would do to the pairs, when it is not a create
# (before: a remove or a relabel reopened unsaid).
export XDG_STATE_HOME="$T_TMP/state-op"
tui_start 100 24 --sandbox
wait_for "Paste pairs" || exit 1
printf '101,201\n102,202\n' > "$T_TMP/op.txt"
paste_file "$T_TMP/op.txt"
shows "pasted" "pasted 2 rows" || exit 1
commands "from contacts" "to companies" "op remove"
shows "the operation chosen" "remove" || exit 1
keys q
wait_for "[exited" || exit 1
tui_start 100 24 --sandbox
shows "the offer names the operation" "(remove: 2 rows of contacts to companies, 2 not sent)?" || exit 1
keys y
shows "and it reopens so" "reopened: 2 pairs" || exit 1
like "as a remove" "$(row 1)" "remove"
tui_kill
done_testing
