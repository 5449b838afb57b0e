#!/usr/bin/env bash
# The safety net against the sandbox: read what is there, look before
# sending (preflight, check), verify after, undo a session.
. "$(dirname "$0")/sandbox_lib.sh"

# Runs hubassoc with the sandbox's token and URL; sets RC, OUT, ERR.
logged() { grep -c "\"path\":\"[^\"]*$2\"" "$1"; }

# ---- read ----------------------------------------------------------------
sb_start --page-size 2 --log "$T_TMP/read.log" || { not_ok "sandbox starts"; done_testing; exit 1; }
# The company with the most contacts, and its count.
read -r BIG NBIG < <(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" |
	jq -r '[.results[].from] | group_by(.) | map([.[0], length]) | max_by(.[1]) | "\(.[0]) \(.[1])"')
mapfile -t O < <(ids_of companies)
LONE=""
for o in "${O[@]}"; do
	[ -z "$(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" | jq -r --arg o "$o" '.results[] | select(.from == $o) | .from' | head -n 1)" ] && { LONE=$o; break; }
done
printf 'company\n%s\n%s\n%s\n999\n' "$BIG" "$BIG" "$LONE" > "$T_TMP/ids.csv"
: > "$T_TMP/read.log"
ha read companies contacts --input "$T_TMP/ids.csv" --format jsonl
is "read: exit 0" "$RC" 0
is "read: a record for each pair of the big company, every page" "$(printf '%s\n' "$OUT" | jq -r .from | grep -c "^$BIG$")" "$NBIG"
is "read: the store agrees" "$(printf '%s\n' "$OUT" | jq -r 'select(.state == "pair") | "\(.from) \(.to)"' | sort)" \
	"$(curl -s "$SB/_sandbox/associations?from=companies&to=contacts" | jq -r --arg o "$BIG" '.results[] | select(.from == $o) | "\(.from) \(.to)"' | sort)"
like "read: types with category, typeId and label" "$(printf '%s\n' "$OUT" | head -n 1)" '{"category":"HUBSPOT_DEFINED","typeId":280,"label":null}'
# One request for the records, then one a page past the first.
is "read: requests as the pages need" "$(logged "$T_TMP/read.log" batch/read)" "$(( (NBIG + 1) / 2 ))"
# 999 is no record: HubSpot answers it as one with none.
like "read: summary" "$ERR" "3 records, $NBIG pairs; 2 with none; "
# Each record asked for is listed, a pair or not (before: left out, said
# only in the summary).
is "read: the records without a pair, listed with their state" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.state != "pair") | "\(.from) \(.to) \(.types | length) \(.state)"' | tr '\n' ' ')" \
	"$LONE null 0 none 999 null 0 none "
is "read: the pairs say so" "$(printf '%s\n' "$OUT" | jq -r 'select(.to != null) | .state' | sort -u)" "pair"

ha read companies contacts --input "$T_TMP/ids.csv" --format csv --type Primary
is "read --type: exit 0" "$RC" 0
is "read csv: header" "$(printf '%s\n' "$OUT" | head -n 1)" "from,to,types,labels,state"
is "read --type: only that type" "$(printf '%s\n' "$OUT" | sed 1d | grep ',pair$' | cut -d, -f3 | sort -u)" "HUBSPOT_DEFINED:2"
like "read --type csv: a record without one, by its state" "$OUT" "$LONE,,,,none"
ha read companies contacts --input "$T_TMP/ids.csv"
like "read table: header" "$OUT" "FROM                 TO                   TYPES"
like "read table: labels by name" "$OUT" "HUBSPOT_DEFINED:2 Primary"
like "read table: a record without a pair" "$OUT" "999                  -                    (none)"
ha read companies contacts --input "$T_TMP/ids.csv" --format json
is "read json: every record asked for" "$(printf '%s\n' "$OUT" | jq -r '[.[].from] | unique | length')" 3

: > "$T_TMP/read.log"
printf '101\n12x\n' > "$T_TMP/bad.csv"
ha read contacts companies --input "$T_TMP/bad.csv"
is "read: a line that is no ID exits 2" "$RC" 2
like "read: says the line and why" "$ERR" "line 2: '12x' is not a record ID"
is "read: nothing asked of the portal" "$(grep -c . "$T_TMP/read.log")" 0
ha read contacts companies --type nope --input "$T_TMP/ids.csv"
is "read: an unknown label exits 2" "$RC" 2
sb_stop

# ---- preflight: check, and create's own look --------------------------------
sb_start --page-size 2 --log "$T_TMP/pf.log" || exit 1
mapfile -t C < <(ids_of contacts)
# A contact with a primary company, two pairs that exist, and a new one.
demo_pairs
NEWC=""
for c in "${C[@]}"; do
	[ "$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq -r --arg c "$c" '[.results[] | select(.from == $c)] | length')" = 0 ] && { NEWC=$c; break; }
done
{
	echo "$EC,$EO,279"                       # already there
	echo "$FC,$FO,279;USER_DEFINED:36"       # adds a label
	echo "$PC,$OTHER,Primary"                # moves the primary from PO
	echo "$NEWC,${O[7]},279"                 # new
} > "$T_TMP/mix.csv"
cp "$T_TMP/mix.csv" "$T_TMP/mix_bad.csv"
echo "$NEWC,99,279" >> "$T_TMP/mix_bad.csv"   # no such company
before=$(portal_state contacts companies)
: > "$T_TMP/pf.log"
ha check contacts companies --input "$T_TMP/mix_bad.csv" --check-ids
is "check: a row names no record: exit 1" "$RC" 1
like "check: the classes" "$ERR" "classes    1 new, 1 adds labels, 1 already there, 1 moves primary, 1 unknown TO record"
like "check: names the primary it moves" "$ERR" "line 3: moves the Primary of contact $PC from company $PO to $OTHER"
like "check: names the record that is not there" "$ERR" "line 5: the portal has no company 99"
like "check: says nothing was sent" "$ERR" "check: nothing was sent; 1 row names no record, conflicts or is invalid"
reads=$(grep -c '"path":"[^"]*batch/read"' "$T_TMP/pf.log")
like "check: the requests it made, as the log has them" "$ERR" "read       $reads request"
is "check: nothing created" "$(creates_logged "$T_TMP/pf.log")" 0
is "check: the portal unchanged" "$(portal_state contacts companies)" "$before"
is "check: no session written" "$(ls "$XDG_STATE_HOME"/hubassoc/sessions/ 2>/dev/null | grep -c jsonl)" 0
ha create contacts companies --input "$T_TMP/mix_bad.csv" --check --check-ids
is "create --check is check" "$RC" 1
like "create --check: the classes" "$ERR" "1 unknown TO record"
ha check contacts companies --input "$T_TMP/mix.csv" --no-preflight
is "check --no-preflight: a usage error" "$RC" 2
# check for scripts: a record a row, every row of a class listed, and
# exit 0 when nothing stands in the way.
ha check contacts companies --input "$T_TMP/mix.csv"
is "check: every row can go: exit 0" "$RC" 0
ha check contacts companies --input "$T_TMP/mix_bad.csv" --check-ids -o - --format jsonl
is "check -o -: exit 1 (a row names no record)" "$RC" 1
is "check -o -: a record a row, with its class" "$(printf '%s\n' "$OUT" | jq -r '"\(.line) \(.class)"' | tr '\n' ' ')" \
	"1 already_there 2 adds_labels 3 moves_primary 4 new 5 unknown_to "
is "check -o -: the record that holds the Primary now" "$(printf '%s\n' "$OUT" | jq -r 'select(.line == 3) | .holder')" "$PO"
like "check -o -: what the pair holds" "$(printf '%s\n' "$OUT" | jq -c 'select(.line == 1) | .holds')" '"HUBSPOT_DEFINED:279"'
is "check -o -: what was found, for people" "$(printf '%s\n' "$OUT" | jq -r 'select(.line == 5) | .found')" "the portal has no company 99"
is "check -o -: a new pair holds nothing" "$(printf '%s\n' "$OUT" | jq -c 'select(.line == 4) | [.holds, .keeps, .holder]')" '[[],[],null]'
ha check contacts companies --input "$T_TMP/mix_bad.csv" --check-ids -o "$T_TMP/check.csv" --format csv
is "check -o FILE --format csv: exit 1" "$RC" 1
is "check csv: the header" "$(head -n 1 "$T_TMP/check.csv")" "line,from,to,types,class,found,holds,keeps,holder,duplicate_of"
is "check csv: a row a line" "$(tail -n +2 "$T_TMP/check.csv" | cut -d, -f5 | tr '\n' ' ')" "already_there adds_labels moves_primary new unknown_to "
is "check csv: 0600" "$(stat -c %a "$T_TMP/check.csv")" 600
{ cat "$T_TMP/mix_bad.csv"; echo "$EC,$EO,279"; echo "x,1"; } > "$T_TMP/mix_worse.csv"
ha check contacts companies --input "$T_TMP/mix_worse.csv" --check-ids --list new --list duplicate --list invalid -o - --format jsonl
is "check with invalid rows: checks the rest, exit 1" "$RC" 1
like "check --list new: every row of it" "$ERR" "  new           1 row
    line 4: $NEWC -> ${O[7]}: new"
like "check --list duplicate" "$ERR" "line 6: $EC -> $EO: repeats line 1"
like "check --list invalid: the reason" "$ERR" "line 7: x -> 1: FROM ID 'x' is not a number"
is "check: the invalid and the duplicate rows have records too" "$(printf '%s\n' "$OUT" | jq -r 'select(.line > 5) | "\(.class) \(.duplicate_of)"' | tr '\n' ' ')" "duplicate 1 invalid null "
ha check contacts companies --input "$T_TMP/mix.csv" --list nonsense
is "check --list: an unknown class is a usage error" "$RC" 2
like "check --list: says which there are" "$ERR" "new, adds_labels, already_there"

: > "$T_TMP/pf.log"
ha create contacts companies --input "$T_TMP/mix.csv" --no-progress
is "create with preflight: exit 0" "$RC" 0
like "create: the classes before sending" "$ERR" "classes    1 new, 1 adds labels, 1 already there, 1 moves primary"
# The preflight's read, the limits of both directions (none set), the create.
is "create: reads before the create" "$(jq -r '.path | if test("configurations") then "limits" else sub(".*/"; "") end' "$T_TMP/pf.log" | grep -v labels | uniq | tr '\n' ' ')" "read limits create "
J=$(journal_of)
is "journal: the pre-state of every row" "$(jq -r 'select(.t == "prestate") | .rows[] | .[1]' "$J" | tr '\n' ' ')" \
	"already_there adds_labels moves_primary new "
is "journal: the holder of the primary" "$(jq -r 'select(.t == "prestate") | .rows[2] | "\(.[3]) \(.[4])"' "$J")" "$PO 1"
is "journal: the preflight's requests are numbered before the send's" \
	"$(jq -r 'select(.t == "send") | "\(.req):\(.kind // "create")"' "$J" | tr '\n' ' ')" "1:preflight 2:limits 3:limits 4:create "
is "journal: marked as a session that looks first" "$(head -n 1 "$J" | jq -r .preflight)" true
ha create contacts companies --input "$T_TMP/mix.csv" --no-preflight --no-progress
is "create --no-preflight: exit 0" "$RC" 0
unlike "create --no-preflight: no preflight" "$ERR" "preflight  at least"
is "create --no-preflight: no prestate" "$(grep -c '"t":"prestate"' "$(journal_of)")" 0
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile default]\npreflight = no\n' > "$XDG_CONFIG_HOME/hubassoc/config"
ha create contacts companies --input "$T_TMP/mix.csv" --no-progress
unlike "profile preflight = no: no preflight" "$ERR" "preflight  at least"
printf '[profile default]\npreflight = maybe\n' > "$XDG_CONFIG_HOME/hubassoc/config"
ha create contacts companies --input "$T_TMP/mix.csv" --no-progress
like "profile preflight: yes or no" "$ERR" "preflight is yes or no"
# check_ids = yes: the preflight asks whether the IDs are records, as
# --check-ids does (before: no key for it, the terminal had no way).
printf '[profile default]\ncheck_ids = yes\n' > "$XDG_CONFIG_HOME/hubassoc/config"
ha create contacts companies --input "$T_TMP/mix.csv" --no-progress
is "profile check_ids = yes: the objects read" "$(grep -c '"path":"/crm/v3/objects/[a-z]*/batch/read"' "$(journal_of)")" 2
printf '[profile default]\ncheck_ids = maybe\n' > "$XDG_CONFIG_HOME/hubassoc/config"
ha create contacts companies --input "$T_TMP/mix.csv" --no-progress
like "profile check_ids: yes or no" "$ERR" "check_ids is yes or no"
rm -f "$XDG_CONFIG_HOME/hubassoc/config"
PORT=${SB##*:}
sb_stop

# A preflight that cannot finish stops before anything is sent; resume
# looks again, then sends.
sb_start --port "$PORT" --daily 1 --log "$T_TMP/daily.log" || exit 1
ha create contacts companies --input "$T_TMP/mix.csv" --no-progress
is "preflight at the daily limit: exit 5" "$RC" 5
like "preflight at the daily limit: says nothing was sent" "$ERR" "nothing was sent"
is "preflight at the daily limit: no create" "$(creates_logged "$T_TMP/daily.log")" 0
DS=$(jq -r .id < <(head -n 1 "$(journal_of)"))
sb_stop
sb_start --port "$PORT" --log "$T_TMP/resumed.log" || exit 1
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" resume "$DS" --base-url "$SB" --no-progress 2> "$T_TMP/err"
is "resume after the preflight stopped: exit 0" "$?" 0
is "resume: looked, then sent" "$(jq -r '.path | if test("configurations") then "limits" else sub(".*/"; "") end' "$T_TMP/resumed.log" | uniq | tr '\n' ' ')" "read limits create "
is "resume: the pre-state recorded" "$(jq -r 'select(.t == "prestate") | .rows | length' "$(journal_of)")" 4
sb_stop

# ---- verify and undo ------------------------------------------------------------
sb_start --port "$PORT" --log "$T_TMP/undo.log" || exit 1
rm -rf "$XDG_STATE_HOME"
before=$(portal_state contacts companies)
ha create contacts companies --input "$T_TMP/mix.csv" --no-progress
is "a session to undo: exit 0" "$RC" 0
S=$(jq -r .id < <(head -n 1 "$(journal_of)"))
# The summary counts the preflight's requests as show does (before: only
# the creates, and show said more).
creates=$(sed -n 's/^  requests   \([0-9]*\) in .*/\1/p' <<< "$ERR")
besides=$(sed -n 's/^  besides    \([0-9]*\) requests\{0,1\} to read the pairs and their limits$/\1/p' <<< "$ERR")
is "the summary's requests and the reads besides are show's" "$((creates + besides))" \
	"$("$HUBASSOC" show "$S" --format json | jq -r .requests)"
after=$(portal_state contacts companies)
ha verify "$S"
is "verify after a complete session: exit 0" "$RC" 0
like "verify: all confirmed" "$ERR" "4 rows created: 4 confirmed, 0 missing, 0 types differ (1 request)"
# A pair archived behind the session's back.
req POST "$V4/contacts/companies/batch/archive" "{\"inputs\":[{\"from\":{\"id\":\"$NEWC\"},\"to\":[{\"id\":\"${O[7]}\"}]}]}"
is "archived behind its back" "$CODE" 204
ha verify "$S" --format jsonl
is "verify: a pair gone exits 1" "$RC" 1
is "verify: that pair missing" "$(printf '%s\n' "$OUT" | jq -r 'select(.verify != "confirmed") | "\(.from) \(.to) \(.verify)"')" "$NEWC ${O[7]} missing"
is "verify: a record per created row" "$(printf '%s\n' "$OUT" | grep -c .)" 4
ha verify "$S"
like "verify table: the row not confirmed" "$OUT" "missing"
is "verify: journaled" "$(jq -r 'select(.t == "verified") | .missing' "$(journal_of)" | tail -n 1)" 1
# Put it back for undo.
req POST "$V4/contacts/companies/batch/create" "$(create_body "$NEWC" "${O[7]}" HUBSPOT_DEFINED 279)"

ha undo "$S" --dry-run
is "undo --dry-run: exit 0" "$RC" 0
like "undo --dry-run: what it would do" "$ERR" "archive    2 pairs the session made"
like "undo --dry-run: the label it added" "$ERR" "unlabel    1 pair"
like "undo --dry-run: the Primary it moved" "$ERR" "1 Primary given back"
like "undo --dry-run: the pair there before, left" "$ERR" "left       1 pair that held its types before the session: it stays as it was"
is "undo --dry-run: the portal unchanged" "$(portal_state contacts companies)" "$after"
# A session sent to this sandbox (another process, on this machine) is not
# the built-in sandbox's: --sandbox would undo it there, on another portal
# (before: "undone", the pairs left where they were).
OUT=$(HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" undo "$S" --sandbox --yes 2> "$T_TMP/err")
is "undo --sandbox of a session sent elsewhere: exit 2" "$?" 2
like "saying where it went and what to give" "$(cat "$T_TMP/err")" "not to the built-in sandbox: give --base-url $SB"
is "nothing undone: the portal unchanged" "$(portal_state contacts companies)" "$after"
OUT=$(HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" verify "$S" --sandbox 2> "$T_TMP/err")
is "verify --sandbox of it: exit 2, nothing read elsewhere" "$?" 2
ha undo "$S"
is "undo without a terminal or --yes: exit 2" "$RC" 2
like "undo without --yes: says how" "$ERR" "give --yes"
ha undo "$S" --yes
is "undo: exit 0" "$RC" 0
is "undo: the portal is as before the session, both directions" "$(portal_state contacts companies)" "$before"
is "undo: journaled" "$(jq -r 'select(.t | startswith("undo")) | .t' "$(journal_of)" | tr '\n' ' ')" "undo_begun undo_cancelled undo_begun undo undone "
# One state everywhere: its rows are undone in show, its JSON, export and
# history, and verify checks that the undo holds (before: every row still
# "created", and verify said 4 missing, exit 1).  The pair that held its
# type before the session stays created: the undo left it (before: undone
# with the others, though "2 pairs archived" named the undo's work).
shown=$("$HUBASSOC" show "$S")
like "show: the state" "$shown" "state      undone"
# The exit beside it is the send's (before: "undone (exit 0)", read as the
# undo's).
# The send's requests are its own; the session's count the undo's too
# (before: the undo's counted as the last send's).
own=$(jq -r 'select(.t == "send" and (.kind // "") != "undo" and (.kind // "") != "verify") | .req' "$(journal_of)" | grep -c .)
all=$(jq -r 'select(.t == "send") | .req' "$(journal_of)" | grep -c .)
is "show --format json: the send's requests, without the undo's" "$("$HUBASSOC" show "$S" --format json | jq -c '[.requests, ([.sends[].requests] | add)]')" "[$all,$own]"
# Its rows are not written again in a session taken back (before: retry
# sent them as its next send).
ha retry "$S"
is "retry of an undone session: refused, exit 2" "$RC" 2
like "... saying how to send them" "$ERR" "was undone: its rows go again as a new session"
like "show: the exit named the last send's" "$(grep '^state' <<< "$shown")" "undone (its last send ended with exit "
like "show: the rows undone" "$shown" "undone     3"
like "show: the pair there before, created" "$shown" "created    1"
is "show --format json: state and counts" "$("$HUBASSOC" show "$S" --format json | jq -c '[.state, .counts.undone, .counts.created]')" '["undone",3,1]'
is "export: the rows undone, the pair there before created" "$("$HUBASSOC" export "$S" | jq -r '"\(.from) \(.outcome)"' | sort | uniq -c | awk '$3 == "created" {print $2} END {print NR}' | tr '\n' ' ')" "$EC 4 "
is "history: the rows undone" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | "\(.state) \(.undone) \(.created)"')" "undone 3 1"
ha verify "$S"
is "verify of an undone session: exit 0 when the undo holds" "$RC" 0
like "verify says so" "$ERR" "3 rows undone: the undo holds for 3, not for 0"
like "verify: the pair there before, confirmed" "$ERR" "1 row created: 1 confirmed"
# Put one pair back behind its back: the undo no longer holds for it.
req POST "$V4/contacts/companies/batch/create" "$(create_body "$NEWC" "${O[7]}" HUBSPOT_DEFINED 279)"
ha verify "$S" --format jsonl
is "verify: a pair back behind the undo's back: exit 1" "$RC" 1
is "verify: that row, not undone" "$(printf '%s\n' "$OUT" | jq -r 'select(.verify != "undo_holds") | "\(.from) \(.verify)"' | sort)" "$(printf '%s\n' "$EC confirmed" "$NEWC not_undone" | sort)"
req POST "$V4/contacts/companies/batch/archive" "{\"inputs\":[{\"from\":{\"id\":\"$NEWC\"},\"to\":[{\"id\":\"${O[7]}\"}]}]}"
is "history: the session is undone" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | .state')" undone
shown=$("$HUBASSOC" show "$S")
like "show: what the preflight found" "$shown" "preflight  1 new, 1 adds labels, 1 already there, 1 moves primary"
like "show: the undo" "$shown" "undo       done"
is "show --format json: the preflight and the undo" "$("$HUBASSOC" show "$S" --format json | jq -c '[.preflight.new, .preflight.adds_labels, .preflight.already_there, .preflight.moves_primary, .undo, .keys]')" '[1,1,1,1,"done",null]'
: > "$T_TMP/undo.log"
ha undo "$S" --yes
is "a second undo: exit 0" "$RC" 0
like "a second undo: nothing to do" "$ERR" "nothing to do"
is "a second undo writes nothing" "$(grep -c '"path":"[^"]*batch/\(create\|archive\|labels/archive\)"' "$T_TMP/undo.log")" 0
# A pair gone before the undo (archived behind the session's back): the
# undo takes nothing of it, and show says so apart (before: "done", the
# row counted among those taken back).
printf '%s,%s,279\n%s,%s,279\n' "${C[70]}" "${O[70]}" "${C[71]}" "${O[71]}" > "$T_TMP/gone.csv"
ha create contacts companies --input "$T_TMP/gone.csv" --no-progress
is "a session whose pair goes behind its back" "$RC" 0
SG=$(jq -r .id < <(head -n 1 "$(journal_of)"))
req POST "$V4/contacts/companies/batch/archive" "{\"inputs\":[{\"from\":{\"id\":\"${C[70]}\"},\"to\":[{\"id\":\"${O[70]}\"}]}]}"
is "one archived behind its back" "$CODE" 204
ha undo "$SG" --yes
is "its undo: exit 0" "$RC" 0
like "its undo: the pair gone said" "$ERR" "gone       1 pair not on the portal now"
like "show: the undo, the row it took nothing of apart" "$("$HUBASSOC" show "$SG")" \
	"undo       done: 1 row taken back, 1 with nothing of the session's left on the portal"
is "the journal lists it" "$(jq -c 'select(.t == "undone") | .bare' "$(journal_of)")" "[0]"

# Sent without a preflight: left alone, never guessed.
ha create contacts companies --input "$T_TMP/mix.csv" --no-preflight --no-progress
S2=$(jq -r .id < <(head -n 1 "$(journal_of)"))
like "show: a session without a preflight says what undo will not do" "$("$HUBASSOC" show "$S2")" "preflight  none: undo leaves its rows alone"
ha undo "$S2" --yes
like "no pre-state: the rows are left alone" "$ERR" "left alone 4 rows: pre-state unknown"
like "no pre-state: nothing to do" "$ERR" "nothing to do"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" undo "$S2" --yes --base-url http://127.0.0.1:1 2> "$T_TMP/err"
is "another base URL: refused, exit 2" "$?" 2
like "another base URL: says why" "$(cat "$T_TMP/err")" "http://127.0.0.1:1"
sb_stop

# ---- conflicts inside one send ------------------------------------------------
# Rows that cannot all hold are refused before anything is sent, each naming
# another (before: both said "moves primary", and which won was arbitrary).
sb_start --port "$PORT" --log "$T_TMP/cf.log" || exit 1
demo_pairs
mapfile -t O < <(ids_of companies)
{
	echo "$PC,${O[10]},Primary"          # two Primaries for one contact
	echo "$PC,${O[11]},Primary"
	echo "$EC,$EO,279"                   # the same pair with other types
	echo "$EC,$EO,279;USER_DEFINED:36"
	echo "$FC,${O[12]},279"              # fine
} > "$T_TMP/cf.csv"
ha create contacts companies --input "$T_TMP/cf.csv" --no-progress
is "conflicts: exit 2, nothing sent" "$RC" 2
is "conflicts: no create" "$(creates_logged "$T_TMP/cf.log")" 0
like "two Primaries: the first names the second" "$ERR" "line 1: gives contact $PC a second Primary: line 2 gives it company ${O[11]}; keep one"
like "and the second the first" "$ERR" "line 2: gives contact $PC a second Primary: line 1 gives it company ${O[10]}"
like "the same pair twice: each names the other" "$ERR" "line 3: same pair as line 4 with other association types"
like "both ways" "$ERR" "line 4: same pair as line 3"
ha check contacts companies --input "$T_TMP/cf.csv" --list conflict
is "check sees them too (exit 1)" "$RC" 1
like "check --list conflict: each names the other" "$ERR" "line 1: $PC -> ${O[10]}: gives contact $PC a second Primary: line 2 gives it company ${O[11]}; keep one"
ha create contacts companies --input "$T_TMP/cf.csv" --no-progress --skip-invalid -o "$T_TMP/cf.jsonl"
is "--skip-invalid: the rest sent" "$RC" 1
is "--skip-invalid: only the row that can hold" "$(jq -r 'select(.outcome == "created") | .line' "$T_TMP/cf.jsonl")" 5
like "the export says why" "$(jq -r 'select(.line == 1) | .error.message' "$T_TMP/cf.jsonl")" "a second Primary"
# The other direction: the Primary is the contact's, the TO end.
printf '%s,%s,Primary\n%s,%s,Primary\n' "${O[10]}" "$PC" "${O[11]}" "$PC" > "$T_TMP/cf2.csv"
ha create companies contacts --input "$T_TMP/cf2.csv" --no-progress
is "companies to contacts: exit 2" "$RC" 2
like "companies to contacts: said" "$ERR" "gives contact $PC a second Primary"
like "companies to contacts: the contact has one primary company" "$ERR" \
	"warning    each contact has one primary company"
# A company has one parent: type 14 runs from the child to its parent.
printf '%s,%s\n%s,%s\n' "${O[20]}" "${O[21]}" "${O[20]}" "${O[22]}" > "$T_TMP/cf3.csv"
ha create companies companies --type 14 --input "$T_TMP/cf3.csv" --no-progress
is "two parents: exit 2" "$RC" 2
like "two parents: said as parents" "$ERR" "gives company ${O[20]} a second parent: line 2 gives it company ${O[22]}"
sb_stop

# ---- no label lost -----------------------------------------------------------
# A pair holding Billing contact (36), sent with Entscheidungsträger (44):
# the sandbox replaces a pair's USER_DEFINED labels with a create's, as
# HubSpot is reported to.  The create sends 36 along, so the pair ends
# with both (before: 279 and 44 only, classed "adds labels").
sb_start --port "$PORT" --log "$T_TMP/keep.log" || exit 1
rm -rf "$XDG_STATE_HOME"
read -r LC LO < <(curl -s "$SB/_sandbox/associations?from=contacts&to=companies" |
	jq -r '[.results[] | select(any(.types[]; .category == "USER_DEFINED" and .typeId == 36))][0] | "\(.from) \(.to)"')
was=$(types_between contacts companies "$LC" "$LO")
like "a pair with Billing contact" "$was" "USER_DEFINED:36"
before=$(portal_state contacts companies)
echo "$LC,$LO" > "$T_TMP/keep.csv"
ha check contacts companies --input "$T_TMP/keep.csv" --type 44
like "check: the class" "$ERR" "1 adds labels"
like "check: names the label kept" "$ERR" "line 1: adds labels, keeping USER_DEFINED:36 (contact to company, Billing contact)"
ha create contacts companies --input "$T_TMP/keep.csv" --type 44 --no-progress
is "create: exit 0" "$RC" 0
like "create: names the label kept" "$ERR" "keeping USER_DEFINED:36"
is "the pair keeps its label and has the new one" "$(types_between contacts companies "$LC" "$LO")" \
	"$(printf '%s\nUSER_DEFINED:44\n' "$was" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
like "the create sent it along" "$(grep batch/create "$T_TMP/keep.log" | tail -n 1)" '"associationCategory":"USER_DEFINED","associationTypeId":36'
KS=$(jq -r .id < <(head -n 1 "$(journal_of)"))
ha verify "$KS"
is "verify: confirmed" "$RC" 0
ha undo "$KS" --yes
is "undo: exit 0" "$RC" 0
is "undo: the pair as it was, its label kept" "$(portal_state contacts companies)" "$before"
# Without a preflight nothing is read: said, not hidden.
ha create contacts companies --input "$T_TMP/keep.csv" --type 44 --no-progress --no-preflight
like "--no-preflight with a label: says other labels may be replaced" "$ERR" \
	"warning    without the preflight, the labels a pair has besides these may be replaced"
ha create contacts companies --input "$T_TMP/keep.csv" --type 279 --no-progress --no-preflight
unlike "--no-preflight without labels: no such warning" "$ERR" "may be replaced"
sb_stop

# kill -9 in the middle of an undo, then resume: the same portal.
sb_start --port "$PORT" --latency 300 --log "$T_TMP/kill.log" || exit 1
rm -rf "$XDG_STATE_HOME"
before=$(portal_state contacts companies)
for i in $(seq 20 79); do echo "${C[$i]},${O[$((i % 40 + 40))]},279"; done > "$T_TMP/many.csv"
ha create contacts companies --input "$T_TMP/many.csv" --no-progress --chunk 1 --concurrency 1
is "many: created" "$RC" 0
S=$(jq -r .id < <(head -n 1 "$(journal_of)"))
J=$(journal_of)
( HUBSPOT_ACCESS_TOKEN=$TOKEN exec "$HUBASSOC" undo "$S" --yes --base-url "$SB" 2>/dev/null ) &
UP=$!
# Killed while its archive is in flight (the sandbox answers after 300 ms):
# watched closely, the journal's path found once.
for i in $(seq 1 500); do
	grep -q '"kind":"undo","method":"POST","path":"[^"]*batch/archive"' "$J" && break
	sleep 0.01
done
kill -9 "$UP" 2>/dev/null
wait "$UP" 2>/dev/null
is "killed during undo: begun, not done" "$(jq -r 'select(.t == "undo" or .t == "undone") | .t' "$(journal_of)" | tr '\n' ' ')" "undo "
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" resume "$S" --base-url "$SB" --no-progress 2> "$T_TMP/err"
is "resume finishes the undo: exit 0" "$?" 0
is "resume after a killed undo: the portal as before" "$(portal_state contacts companies)" "$before"
is "resume: undone recorded" "$(jq -r 'select(.t == "undone") | .t' "$(journal_of)")" undone
sb_stop

# kill -9 once some of an undo's archives are answered: those rows read
# undone, the rest created, in show, history and export alike (before:
# every row created until the undo was finished, the portal put back in
# part).
sb_start --port "$PORT" --latency 300 || exit 1
rm -rf "$XDG_STATE_HOME"
ha create contacts companies --input "$T_TMP/many.csv" --no-progress --chunk 1 --concurrency 1
S=$(jq -r .id < <(head -n 1 "$(journal_of)"))
J=$(journal_of)
( HUBSPOT_ACCESS_TOKEN=$TOKEN exec "$HUBASSOC" undo "$S" --yes --base-url "$SB" 2>/dev/null ) &
UP=$!
written() { sed -n '/^{"t":"undo",/,$p' "$J" | grep -c '"t":"answer","req":[0-9]*,"status":204'; }
for i in $(seq 1 500); do
	[ "$(written)" -ge 3 ] && break
	sleep 0.01
done
kill -9 "$UP" 2>/dev/null
wait "$UP" 2>/dev/null
took=$(written)
shown=$("$HUBASSOC" show "$S" --format json)
is "killed mid-undo: the rows its answered archives took, undone" "$(jq -r .counts.undone <<< "$shown")" "$took"
is "the others created" "$(jq -r .counts.created <<< "$shown")" "$((60 - took))"
is "history agrees" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | "\(.state) \(.undone)"')" "undo interrupted $took"
is "export agrees" "$("$HUBASSOC" export "$S" 2> /dev/null | jq -r 'select(.outcome == "undone") | .line' | wc -l)" "$took"
ha resume "$S" --yes
is "resume finishes it" "$RC" 0
is "every row undone" "$("$HUBASSOC" show "$S" --format json | jq -r .counts.undone)" 60
sb_stop

# An undo stopped while it read what is there, before it asked: "undo
# interrupted", and resume asks before it finishes it (before: never
# finished; resume said nothing to do, show said complete).
sb_start --port "$PORT" --latency 1500 || exit 1
rm -rf "$XDG_STATE_HOME"
ha create contacts companies --input "$T_TMP/many.csv" --no-progress --chunk 20
S=$(jq -r .id < <(head -n 1 "$(journal_of)"))
( HUBSPOT_ACCESS_TOKEN=$TOKEN exec "$HUBASSOC" undo "$S" --yes --base-url "$SB" 2>/dev/null ) &
UP=$!
for i in $(seq 1 100); do
	[ "$(grep -c '"kind":"undo","method":"POST","path":"[^"]*batch/read"' "$(journal_of)")" -ge 1 ] && break
	sleep 0.05
done
kill -9 "$UP" 2>/dev/null
wait "$UP" 2>/dev/null
like "killed while reading: show says undo interrupted" "$("$HUBASSOC" show "$S")" "state      undo interrupted"
is "history says the same" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | .state')" "undo interrupted"
# The command, as copied (before: "hubassoc resume (or undo)", neither
# the session nor the portal).
like "show: the command that finishes it" "$("$HUBASSOC" show "$S" | tr -s ' \n' ' ')" "undo interrupted while it read what is there: hubassoc resume $S --base-url $SB finishes it, asking first"
# verify judges its rows as the session wrote them, and says the undo is
# still to finish (before: its counts alone).
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" verify "$S" --base-url "$SB" 2> "$T_TMP/err"
like "verify of an undo interrupted: says so" "$(tr -s ' \n' ' ' < "$T_TMP/err")" "its undo was interrupted, the rows its answered writes took back read undone: hubassoc resume $S --base-url $SB finishes the undo, then verify checks it"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" resume "$S" --base-url "$SB" --no-progress 2> "$T_TMP/err" < /dev/null
is "resume, nobody to ask: exit 2, nothing changed" "$?" 2
like "it says how to finish it, where it goes" "$(cat "$T_TMP/err")" "hubassoc undo $S --base-url $SB --yes finishes it"
ha undo "$S" --yes
is "undo --yes finishes it" "$RC" 0
is "undone now" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | .state')" undone
sb_stop

# history reads the whole journal, as show does: a session whose end is far
# from the file's end is not "unfinished" (before: past about 256 KB).
J=$(journal_of)
for i in $(seq 1 3000); do printf '{"t":"names","side":"from","names":{"%d":"padding padding padding padding padding padding padding padding"}}\n' "$i"; done >> "$J"
[ "$(stat -c %s "$J")" -gt 300000 ] && ok "a journal of over 300 KB" || not_ok "a journal of over 300 KB"
is "history: its state, as show has it" "$(HUBSPOT_ACCESS_TOKEN= "$HUBASSOC" history --format jsonl | jq -r --arg s "$S" 'select(.session == $s) | .state')" \
	"$("$HUBASSOC" show "$S" --format json | jq -r .state)"

# An undo takes off what a later session sent again: said first, with the
# session named (before: nothing said, and that session's rows still read
# created).  One sent elsewhere, or undone, shares nothing.
sb_start --open-portal || exit 1
rm -rf "$XDG_STATE_HOME"
printf '1001,5001\n1002,5002\n' > "$T_TMP/first.csv"
printf '1001,5001\n1003,5003\n' > "$T_TMP/again.csv"
ha create contacts companies -t 279 --input "$T_TMP/first.csv" --no-progress
SA=$(jq -r .id < <(head -n 1 "$(journal_of)"))
sleep 1.1   # session IDs are to the second
ha create contacts companies -t 279 --input "$T_TMP/again.csv" --no-progress
SB2=$(jq -r .id < <(head -n 1 "$(journal_of)"))
[ "$SA" != "$SB2" ] && ok "two sessions" || not_ok "two sessions" "$SA $SB2"
ha undo "$SA" --dry-run
like "undo: the pair a later session sent again, named" "$ERR" \
	"shared     1 pair it archives or unlabels was sent by session $SB2 too: what it takes off goes all the same (verify $SB2 then finds it missing)"
like "undo: the rest as before" "$ERR" "archive    2 pairs the session made"
ha undo "$SB2" --dry-run
unlike "that session's undo shares nothing: the pair was there before it" "$ERR" "shared"
ha undo "$SA" --yes
is "undo of the first: exit 0" "$RC" 0
like "said as it went" "$ERR" "sent by session $SB2 too"
ha verify "$SB2"
like "the later session's verify finds it missing, as said" "$ERR" "1 missing"

# An undo restores a pair a later session wrote since: said first, with
# the session named (before: nothing said, and the later relabel undone
# with it, its label back).
rm -rf "$XDG_STATE_HOME"
printf '1101,5101\n' > "$T_TMP/rl1.csv"
ha create contacts companies -t 36 -t 44 --input "$T_TMP/rl1.csv" --no-progress
sleep 1.1
ha relabel contacts companies -t 44 --replace all --input "$T_TMP/rl1.csv" --yes --no-progress
RA=$(jq -r .id < <(head -n 1 "$(journal_of)"))
sleep 1.1
ha relabel contacts companies -t 36 --replace 44 --input "$T_TMP/rl1.csv" --yes --no-progress
RB=$(jq -r .id < <(head -n 1 "$(journal_of)"))
[ "$RA" != "$RB" ] && ok "two relabels" || not_ok "two relabels" "$RA $RB"
ha undo "$RA" --dry-run
like "undo: a pair it restores, written since, named" "$ERR" \
	"later      1 pair it restores was written since by session $RB: it goes back as this session found it, what was written since goes (verify $RB then finds the difference)"
ha undo "$RB" --dry-run
unlike "the latest session's undo: nothing written since" "$ERR" "later      "

# A pair a create made, relabeled since: none of the create's label is
# left, the pair stays for the new one; its undo says so (before: "only
# the session's go", then "nothing the session wrote is on the portal
# now", of a pair it made that is there).
rm -rf "$XDG_STATE_HOME"
printf '1301,5301\n' > "$T_TMP/made.csv"
ha create contacts companies -t 36 --input "$T_TMP/made.csv" --no-progress
MC=$(jq -r .id < <(head -n 1 "$(journal_of)"))
sleep 1.1
ha relabel contacts companies -t 44 --replace 36 --input "$T_TMP/made.csv" --yes --no-progress
ha undo "$MC" --dry-run
like "undo of the create: its pair kept, none of its own left" "$ERR" \
	"kept       1 pair the session made, which holds types given since: none of the session's is left on them"
like "undo of the create: said as it is" "$ERR" \
	"nothing to do: none of what the session wrote is left; the pairs it made stay, for the types given since (undo the session that gave them first: this undo then takes the pairs)"
# Undone out of order: the create's undo first (nothing to do), then the
# relabel's, which puts the create's label back; the create's undo again
# takes the pair (before: refused, "undone already", the pair left on).
RL=$(jq -r .id < <(head -n 1 "$(journal_of)"))
ha undo "$MC" --yes
is "the create's undo first: exit 0" "$RC" 0
ha undo "$RL" --yes
is "then the relabel's: exit 0" "$RC" 0
is "the create's label back on the pair" "$(types_between contacts companies 1301 5301)" "HUBSPOT_DEFINED:279 USER_DEFINED:36"
ha undo "$MC" --yes
is "the create's undo again: exit 0" "$RC" 0
like "it takes the pair it made" "$ERR" "1 pair archived"
is "the pair gone" "$(types_between contacts companies 1301 5301)" ""
sb_stop

done_testing
