#!/usr/bin/env bash
# The operation in the terminal at 80x24: O switches it (create, remove,
# remove labels, relabel) and :op sets it, the header and the pairs' line
# say it; S asks with the operation's plan; Results, History, verify and
# undo read it.
. "$(dirname "$0")/tui_lib.sh"

panel() { screen | sed -n '/^─\{20,\}/,$p' | tail -n +2; }

sb_start || { not_ok "sandbox starts"; done_testing; exit 1; }
tui_start 80 24 --base-url "$SB"
wait_for "Paste pairs" || exit 1
all=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies")
# Two labeled pairs (Billing contact, with their Primary) and one that
# is not there.
mapfile -t L < <(jq -r '[.results[] | select(any(.types[]; .typeId == 36))][0:2][] | "\(.from),\(.to)"' <<< "$all")
read -r U1 < <(jq -r '[.results[] | select(([.types[].typeId] | sort) == [1, 279])][0] | "\(.from),\(.to)"' <<< "$all")
printf '%s\n%s\n%s,1\n' "${L[0]}" "${L[1]}" "${L[0]%,*}" > "$T_TMP/rm.csv"
commands "from contacts" "to companies" "load $T_TMP/rm.csv"
shows "the pairs loaded" "3 rows" || exit 1

keys O
shows "O: remove, in the header" " remove  " || exit 1
like "the pairs' line: every type goes" "$(row 3)" "remove every type (O switches)"
like "said" "$(screen)" "operation: remove: S takes the pairs off, every type with them"
keys O
shows "O again: remove labels" "remove labels" || exit 1
keys O
shows "O again: relabel" "operation: relabel" || exit 1
keys O
shows "O again: back to create" "operation: create" || exit 1
unlike "a create says no operation in the header" "$(row 1)" "remove"
commands "op nonsense"
shows ":op refuses what it does not know" ":op takes create, remove, unlabel or relabel, not 'nonsense'" || exit 1

# A remove: its plan, asked; y takes the pairs off.
before=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -c '.results | length')
# A type chosen before: a remove takes every type, not it.
commands "type Billing contact"
commands "op remove"
shows ":op remove" " remove  " || exit 1
keys S
shows "S asks with the remove's plan, counting what it writes" "Remove 2 pairs on http://127.0.0.1:" 20 || exit 1
p=$(panel)
like "the plan: what each class takes, with its first line" "$p" "pairs      2, such as line 1: removes the pair (and its labels"
like "the plan: a pair not there" "$p" "not there  1, line 3: not there"
# Once, by its class (before: a "left as is" line too, read as more rows).
unlike "the plan: no 'left as is' beside the classes" "$p" "as is  "
like "the plan: the Primary it takes" "$p" "warning    2 leave a record without its Primary"
like "the plan: the endpoint" "$p" "(batch/archive)"
# The portal, and whose, as a create's question says it (before: the URL
# alone).
like "the plan: the portal's profile" "$p" "portal     $SB (profile default)"
# What it costs, as a create's question says (before: no cost line).
like "the plan: its cost" "$p" "cost       1 archive + 1 read: about"
widest=$(screen | widths | sort -n | tail -n 1)
[ "$widest" -le 80 ] && ok "every line fits 80 columns" || not_ok "every line fits 80 columns" "widest: $widest"
keys y
shows "y removes" "complete: 2 removed, 0 failed" 20 || exit 1
like "Results count them removed" "$(screen)" "removed 2  failed 0"
like "the pair not there: unchanged" "$(screen)" "unchanged"
like "each row removed" "$(screen)" "removed   204"
# Recorded and exported as what it did, every type its pair held, as the
# preflight read them (before: the type chosen before, which the remove
# did not use; then none, which said nothing of what went).
is "the export: the types each removed pair held, not the type chosen" \
	"$("$HUBASSOC" export "$(basename "$(journal_of)" .jsonl)" --format jsonl | jq -r 'select(.outcome == "removed") | .types | sort | join(";")' | tr '\n' ' ')" \
	"$(jq -r 'select(.t == "prestate") | .rows[] | select((.[2] // []) | length > 0) | .[2] | sort | join(";")' "$(journal_of)" | tr '\n' ' ')"
is "the portal lost the two pairs" "$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -c '.results | length')" "$((before - 2))"
# The inspector names the archive as it went, and its curl archives
# (before: "batch/create", a curl that would create the pairs again).
keys 4 G Enter
shows "the inspector: the remove's request, an archive" "POST /crm/v4/associations/contacts/companies/batch/archive" || exit 1
keys W
wait_for "write the curl command to:" || exit 1
typein "$T_TMP/rm.sh"
keys Enter
wait_for "wrote the curl command" || exit 1
like "its curl archives" "$(cat "$T_TMP/rm.sh")" "/batch/archive'"
keys Escape
wait_for "REQ  CHUNK" || exit 1

keys 5
shows "History: the operation" "OP" || exit 1
like "History: remove" "$(screen)" "remove"
# Its keys whole, or shorter, or left to ? (here), never cut (before:
# "(E…").
unlike "History: the keys not cut at 80 columns" "$(row 3)" "…"
keys V
shows "V verifies a remove: the pairs gone" "2 rows removed: 2 gone, 0 still there" 20 || exit 1
keys 5
shows "History again" "OP" || exit 1
keys u
shows "u asks to undo it" "[y/n]" 20 || exit 1
like "the undo gives back what was removed" "$(panel)" "restore    2 pairs as they were"
keys y
shows "undone" "undone: 0 pairs archived, 0 unlabeled, 2 restored" 20 || exit 1
is "the portal as before" "$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -c '.results | length')" "$before"

# A relabel: Billing contact replaced by the label 44, the Primary kept.
keys 1
printf '%s\n%s\n' "${L[0]}" "$U1" > "$T_TMP/rl.csv"
commands "clear" "load $T_TMP/rl.csv" "type 44" "op relabel Entscheidungsträger"
shows ":op relabel with the label given: refused" "the operation stays remove" || exit 1
like "and why" "$(screen | tail -n 3 | tr '\n' ' ')" "Entscheidungsträger is the label the pairs are given: it cannot replace itself"
commands "op relabel Billing contact"
shows ":op relabel OLD: said" "operation: relabel: S gives the pairs the chosen type" || exit 1
like "and what it replaces" "$(screen | tail -n 3 | tr '\n' ' ')" "in place of Billing"
like "the pairs' line: what it replaces, then the new label" "$(row 3)" "relabel Billing contact → Entscheidungsträger"
# The label replaced, chosen as the one given: refused as :op refuses it
# (before: taken, and the pairs stood unplanned with the last plan's states).
commands "type Billing contact"
shows ":type of what the relabel replaces: refused" "the types stay as they were" || exit 1
like "and why, by its label" "$(screen | tail -n 3 | tr '\n' ' ')" "type: Billing contact not taken: the relabel replaces it, and a label cannot replace itself"
like "the types as they were" "$(row 3)" "relabel Billing contact → Entscheidungsträger"
keys S
shows "S asks with the relabel's plan" "Relabel 2 pairs on" 20 || exit 1
p=$(panel)
like "relabels X -> Y, keeping the Primary (wrapped)" "$(printf '%s\n' "$p" | tr -s ' \n' ' ')" "relabels 1, line 1: relabels Billing contact → Entscheidungsträger (keeps Primary)"
like "adds where there is nothing to replace" "$p" "adds       1, line 2: adds Entscheidungsträger (keeps Primary)"
like "and its cost" "$p" "cost       1 create + "
like "and its last step's requests" "$(printf '%s\n' "$p" | tr -s ' \n' ' ')" "then up to 1 read and 1 archive: the replaced labels read again and taken off where still on"
keys y
shows "y relabels" "complete: 2 relabeled, 0 failed" 20 || exit 1
# Results say what the relabel did, not the labels its create's answer named
# (before: "labels: Primary, Billing contact, ...", the replaced one too).
# By the labels, as the plan named them (before: "relabels USER_DEFINED:36
# → USER_…", cut at 80 columns).
like "Results: what each row's relabel did, by label" "$(screen)" "relabeled 201  relabels Billing contact → Ents"
unlike "not the create's labels" "$(screen)" "labels: "
# v says what the preflight found as the relabel's plan did (before:
# "adds labels, keeping USER_DEFINED:36", beside "relabels 36 → 44").
keys g v
shows "v: the relabel's preflight" "relabels Billing contact → Entscheidungsträger" || exit 1
unlike "v: not a create's class" "$(screen)" "adds labels, keeping"
keys Escape
is "the pair holds the new label, not the old" \
	"$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r --arg f "${L[0]%,*}" --arg t "${L[0]#*,}" '.results[] | select(.from == $f and .to == $t) | [.types[].typeId] | sort | map(tostring) | join(";")')" "1;44;279"
# Billing contact added back beside it, then a relabel of the same pairs
# to the same type in place of Entscheidungsträger: every pair is in it
# (before: left out as made by the session before, whose relabel only
# added: "every pair was created in session ...", the old label kept).
keys 1
commands "op relabel" "type Billing contact"
shows "a relabel that adds" "relabel to Billing contact" || exit 1
send_yes "it adds the label" "complete: 2 relabeled, 0 failed"
keys 1
commands "op relabel Entscheidungsträger"
shows "the same type, in place of the other" "relabel Entscheidungsträger → Billing contact" || exit 1
# Chosen otherwise, the pairs are the next session's, to send (before:
# "relabeled", as if S had nothing to do; then "relabeled then, sent with
# other choices", the last session's state over the pairs).
like "Pairs: the next session's pairs, to send" "$(screen)" "2 rows: 2 valid in 1 request"
like "each ok to send" "$(screen)" "USER_DEFINED:36 ok"
keys S
shows "both pairs asked for" "Relabel 2 pairs on" 20 || exit 1
# Holding Billing contact already, each only loses the other (before:
# "relabels Entscheidungsträger → Billing contact").
like "each relabels" "$(panel | tr -s ' \n' ' ')" "relabels 2, such as line 1: relabels: takes off Entscheidungsträger, holding Billing contact already"
keys y
shows "relabeled" "complete: 2 relabeled, 0 failed" 20 || exit 1
is "the pair holds Billing contact, not Entscheidungsträger" \
	"$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r --arg f "${L[0]%,*}" --arg t "${L[0]#*,}" '.results[] | select(.from == $f and .to == $t) | [.types[].typeId] | sort | map(tostring) | join(";")')" "1;36;279"

# The same relabel of a pair that holds it already: nothing to write, so
# nothing asked (before: "Relabel 0 pairs on ...? [y/n]"); its row is
# unchanged.
keys 1
printf '%s\n' "${L[0]}" > "$T_TMP/held.csv"
commands "clear" "load $T_TMP/held.csv"
shows "the pair loaded" "1 row" || exit 1
keys S
shows "nothing to write: no question, the session ends, its row counted" "complete: 0 relabeled, 0 failed, 1 unchanged" 20 || exit 1
unlike "no question of 0 pairs" "$(screen)" "[y/n]"
like "and it says nothing was written (before: said as any send's end)" "$(screen | tail -n 2 | tr '\n' ' ')" "nothing to write, nothing written"
like "its row unchanged, saying why" "$(screen)" "unchanged -    already Billing contact"

# A create past an admin's limit: refused before its question, the record
# and the lines named, no session kept; within it, the question says so.
req POST "/crm/associations/v4/definitions/configurations/companies/contacts/batch/create" \
	'{"inputs":[{"category":"USER_DEFINED","typeId":37,"maxToObjectIds":1}]}'
mapfile -t C < <(ids_of contacts)
free=$(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" | jq -r '[.results[] | select(any(.types[]; .typeId == 37)) | .from] | unique | .[]' > "$T_TMP/held"
	ids_of companies | grep -vxFf "$T_TMP/held" | head -n 1)
printf '%s,%s\n%s,%s\n' "${C[40]}" "$free" "${C[41]}" "$free" > "$T_TMP/lim.csv"
# Sends ended so far (a refused S must end none: it never starts one).
ends() { cat "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | grep -c '"t":"end"'; }
sessions=$(ends)
keys 1
commands "op create" "clear" "load $T_TMP/lim.csv" "type Billing contact"
shows "two Billing contacts for one company" "2 rows" || exit 1
keys S
shows "S refuses before asking" "nothing was sent: 1 record would pass its configured limit" 20 || exit 1
like "the company and the lines named" "$(screen | tail -n 3 | tr '\n' ' ' | tr -s ' ')" \
	"company $free may have 1 contact labeled Billing contact; it has 0 and this file adds 2 (lines 1, 2)"

unlike "no question" "$(screen)" "[y/n]"
is "no send started" "$(ends)" "$sessions"
commands "clear"
printf '%s,%s\n' "${C[40]}" "$free" > "$T_TMP/one.csv"
commands "load $T_TMP/one.csv"
keys S
shows "within the limit: asked" "[y/n]" 20 || exit 1
like "the question says the limits" "$(panel)" "limits     1 configured limit applies to the rows: 1 record read; within them"
keys n

# Pairs a session created are sent again to another type or operation
# (before: "every pair was created in session ...; nothing to send", the
# type and the operation they now read with not looked at).
printf '%s,%s\n%s,%s\n' "${C[42]}" "$free" "${C[43]}" "$free" > "$T_TMP/again.csv"
commands "clear" "load $T_TMP/again.csv" "type 279"
shows "two new pairs" "2 rows" || exit 1
send_yes "created" "complete: 2 created"
keys 1 S
shows "S again: nothing to send" "every pair was created in session" 20 || exit 1
commands "type 279;1"
# The pairs have gone on in a draft: Pairs' header says so; Results', the
# session it shows (before: "sent" over the draft's pairs).
wait_for " editing " || exit 1
like "the header over a draft's pairs: editing" "$(row 1)" " editing  http"
keys 2
shows "over the session sent: its end" " sent  http" || exit 1
keys 1
keys S
shows "another type: asked to send them" "Send 2 pairs to" 20 || exit 1
# (The session sent: the newest not a draft, the pairs having gone on in
# one of their own with the other type.)
sent_id=$(for f in $(ls -t "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl); do head -n 1 "$f" | jq -e '.draft != true' > /dev/null && { basename "$f" .jsonl; break; }; done)
like "as a new session, saying why (before: 'new', no why)" "$(panel)" "session    new: session $sent_id was sent with other choices"
keys n
commands "op remove"
# S from Results, as from Pairs (before: nothing, and no word).
keys 2
# Results' header names the session it shows, a create (before: the
# draft's remove, beside "sent").
wait_for " sent  http" || exit 1
unlike "Results' header: the create shown, not the draft's remove" "$(row 1)" "remove"
keys S
shows "a remove of what the create made: asked, from Results" "Remove 2 pairs on" 20 || exit 1
like "the header: asking a remove" "$(row 1)" " asking  remove  "
# Its plan names its session, new, and why (before: no session line).
like "the remove's session: new, and why" "$(panel | tr -s ' \n' ' ')" "session new: "
like "why" "$(panel | tr -s ' \n' ' ')" "was sent with other choices"
keys n
wait_gone "[y/n]" || exit 1
# A label given to one of the pairs since, elsewhere.
head -n 1 "$T_TMP/again.csv" > "$T_TMP/again1.csv"
"$HUBASSOC" create contacts companies -t 44 -i "$T_TMP/again1.csv" --base-url "$SB" --no-progress 2> /dev/null
is "a label given since, elsewhere" "$?" 0
# S again: the declined send is asked again, as its session's (before:
# refused, "was declined: r in the history asks again"), and what its
# pairs hold is read again: the label given since is said, and undo
# would put it back (before: the first read's plan, the label unsaid).
keys S
shows "S after a decline asks it again" "Remove 2 pairs on" 20 || exit 1
like "as its session's send, asked again" "$(panel | tr -s ' \n' ' ')" "send 1, asked again"
like "the pairs read again: the label given since said" "$(panel | tr -s ' \n' ' ')" "Entscheidungsträger"
keys n
wait_gone "[y/n]" || exit 1
# r asks the remove's own plan, not a create's resume question (before:
# "Resume session ...: send 2 pairs", with a create's classes, then the
# remove's plan after its yes).
keys 5
wait_for "declined" || exit 1
# The remove's session, below the create that gave the label since.
keys g j r
shows "r: the remove's plan, asked first" "Remove 2 pairs on" 20 || exit 1
unlike "no create's resume question" "$(screen)" "Resume session"
keys n
wait_gone "[y/n]" || exit 1
keys 1
# Its session was asked about and declined: a create of the pairs is a
# new session again, and says so (before: "was sent" of it).
commands "op create"
keys S
shows "a create again: asked" "[y/n]" 20 || exit 1
like "the session declined, said so" "$(panel | tr -s ' \n' ' ')" "was declined with other choices"
keys n

# A relabel's plan says what it leaves out, as a create's question does
# (before: the invalid line and the repeat unsaid).
keys 1
printf '%s\nx,1\n%s\n' "${L[0]}" "${L[0]}" > "$T_TMP/left.csv"
commands "clear" "load $T_TMP/left.csv" "type 44" "op relabel Billing contact"
shows "three rows" "3 rows" || exit 1
keys S
shows "asked" "[y/n]" 20 || exit 1
like "the invalid row left out, by its line" "$(panel)" "invalid    1 left out: line 2:"
like "the repeat sent once" "$(panel)" "duplicate  1 sent once"
keys n
tui_kill

# Pairs not sent yet, chosen to be relabeled in place of a label given by
# its ID: history and show say the relabel (before: "create", and no
# "operation" or "replaces" line), and the choice is kept resolved.
export XDG_STATE_HOME=$T_TMP/draft-state
tui_start 80 24 --base-url "$SB"
wait_for "Paste pairs" || exit 1
commands "from contacts" "to companies" "type 44"
wait_for "Entscheidungsträger" || exit 1
commands "op relabel 36"
shows ":op relabel by ID: said by its label" "in place of Billing" || exit 1
commands "load $T_TMP/left.csv"
shows "the pairs" "3 rows" || exit 1
keys q
wait_for "[exited 0]" || exit 1
did=$(basename "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl)" .jsonl)
like "history: the draft's operation" "$("$HUBASSOC" history | grep "$did")" "relabel"
shown=$("$HUBASSOC" show "$did")
like "show: the draft's operation" "$shown" "operation  relabel"
like "show: what it replaces, resolved" "$shown" "replaces   USER_DEFINED:36"

tui_kill
done_testing
