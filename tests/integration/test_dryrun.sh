#!/usr/bin/env bash
# The dry run from the outside: what a user types, sees and gets back.
. "$(dirname "$0")/sandbox_lib.sh"

cd "$T_TMP" || exit 1
export XDG_CONFIG_HOME="$T_TMP/config"
printf 'from,to\n101,202\n103,204\n12a,5\n101,202\n105,206,Primary\n' > pairs.csv

# The done-when command of the foundation issue.
"$HUBASSOC" create contacts companies --type 279 --input pairs.csv --dry-run \
	--output out.jsonl --format jsonl --skip-invalid 2>err.txt
is "dry run with --skip-invalid exits 0" "$?" 0
is "one record per input row" "$(wc -l < out.jsonl | tr -d ' ')" 5
is "planned rows" "$(grep -c '"outcome":"planned"' out.jsonl)" 3
is "invalid rows" "$(grep -c '"outcome":"invalid"' out.jsonl)" 1
is "duplicate rows" "$(grep -c '"outcome":"duplicate"' out.jsonl)" 1
like "record shape" "$(sed -n 1p out.jsonl)" '{"line":2,"from":"101","to":"202","types":["HUBSPOT_DEFINED:279"],"outcome":"planned","http_status":null,"chunk":1,"labels":[],"error":null,"send":1,"attempts":0}'
like "per-line label resolved" "$(sed -n 5p out.jsonl)" '"types":["HUBSPOT_DEFINED:1"]'
err=$(cat err.txt)
like "summary: rows" "$err" "rows       5 from 6 lines (header on line 1)"
like "summary: valid and requests" "$err" "valid      3, in 1 request of up to 2000 inputs"
like "summary: invalid with reason" "$err" "line 4: FROM ID '12a' is not a number"
like "summary: duplicate" "$err" "duplicate  1 (first: line 5 repeats line 2)"
like "summary: type described" "$err" "HUBSPOT_DEFINED:279 (contact to company, unlabeled)"
like "summary: says nothing is sent" "$err" "nothing is sent"
st=$(stat -c %a out.jsonl)
is "output file is 0600" "$st" 600

# Invalid rows without --skip-invalid: exit 2, still reported.
"$HUBASSOC" create contacts companies -t 279 -i pairs.csv -n 2>err.txt
is "invalid rows exit 2" "$?" 2
like "invalid rows: says how to go on" "$(cat err.txt)" "add --skip-invalid"

# Clean input: exit 0, CSV output, counts add up.
printf '101,202\n103,204\n' > good.csv
"$HUBASSOC" create contacts companies -t 279 -i good.csv -n -o out.csv -f csv 2>/dev/null
is "clean input exits 0" "$?" 0
is "csv header" "$(sed -n 1p out.csv)" "line,from,to,types,outcome,http_status,chunk,labels,error_category,error_message,error_context,duplicate_of,send,attempts,source,duplicate_source"
is "csv rows" "$(wc -l < out.csv | tr -d ' ')" 3

# Standard input, as the default and as '-'.
out=$(printf '1,2\n3,4\n' | "$HUBASSOC" create contacts companies -t 279 -n 2>&1)
like "stdin by default" "$out" "rows       2 from 2 lines"
out=$(printf '1,2\n' | "$HUBASSOC" create contacts companies -t 279 -i - -n -o - 2>/dev/null)
like "--output - writes stdout" "$out" '"outcome":"planned"'

# Chunks and requests.
seq 1 1234 | awk '{print $1","$1+100000}' > many.csv
out=$("$HUBASSOC" create contacts companies -t 279 -i many.csv -n --chunk 500 2>&1)
like "chunks counted" "$out" "valid      1,234, in 3 requests of up to 500 inputs"
"$HUBASSOC" create contacts companies -t 279 -i many.csv -n --chunk 500 --show-requests > req.txt 2>/dev/null
is "--show-requests: a body per request" "$(grep -c '^{"inputs":' req.txt)" 3
like "--show-requests: header line" "$(sed -n 1p req.txt)" "# request 1 of 3: POST /crm/v4/associations/contacts/companies/batch/create (500 inputs)"
body=$(sed -n 2p req.txt)
like "--show-requests: exact body" "$body" '{"inputs":[{"from":{"id":"1"},"to":{"id":"100001"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]},'
"$HUBASSOC" create contacts companies -t 279 -i good.csv -n --curl --api-version 2026-03 > curl.txt 2>/dev/null
c=$(cat curl.txt)
like "--curl: token as a variable" "$c" 'Authorization: Bearer $HUBSPOT_ACCESS_TOKEN'
like "--curl: date-versioned path" "$c" "'https://api.hubapi.com/crm/associations/2026-03/contacts/companies/batch/create'"
# The printed command is valid shell: run it with a stand-in curl.
mkdir -p fakebin
printf '#!/bin/sh\nprintf "%%s\\n" "$@" > args.txt\ncat > stdin.txt\n' > fakebin/curl
chmod +x fakebin/curl
PATH="$PWD/fakebin:$PATH" HUBSPOT_ACCESS_TOKEN=secret-x sh curl.txt
like "--curl: the command runs, token from the environment" "$(cat args.txt)" "Authorization: Bearer secret-x"
like "--curl: the body arrives on stdin" "$(cat stdin.txt)" '{"inputs":[{"from":{"id":"101"}'
"$HUBASSOC" create contacts companies -t "Billing contact" -i good.csv -n --show-requests >/dev/null 2>err.txt
is "unresolved label: no exact requests" "$?" 2
like "unresolved label: says why" "$(cat err.txt)" "label names are resolved through the portal"

# Usage errors: a clear message and exit 2.
usage() { "$HUBASSOC" "$@" </dev/null >/dev/null 2>err.txt; echo $?; }
is "unknown object type exits 2" "$(usage create contcts companies -t 279 -i good.csv -n)" 2
like "unknown object type suggests" "$(cat err.txt)" "did you mean 'contacts'?"
is "wrong direction exits 2" "$(usage create contacts companies -t 280 -i good.csv -n)" 2
like "wrong direction names the right type" "$(cat err.txt)" "use 279"
is "bad chunk exits 2" "$(usage create contacts companies -t 279 -i good.csv -n --chunk 2001)" 2
like "bad chunk says the limit" "$(cat err.txt)" "1 to 2000"
is "missing input file exits 2" "$(usage create contacts companies -t 279 -i nope.csv -n)" 2
like "missing input file named" "$(cat err.txt)" "nope.csv: No such file or directory"
is "one object type exits 2" "$(usage create contacts -t 279 -n)" 2
is "unknown option exits 2" "$(usage create contacts companies --frobnicate)" 2
like "unknown option named" "$(cat err.txt)" "unknown option '--frobnicate'"
# --yes, which remove and relabel take: create's refusal says why
# (before: "unknown option '--yes'").
is "create --yes exits 2" "$(usage create contacts companies -t 279 -i good.csv --yes)" 2
like "and says create asks nothing" "$(cat err.txt)" "--yes goes with remove and relabel: create asks nothing, it sends as planned"
is "missing option value exits 2" "$(usage create contacts companies --type)" 2
is "unknown command exits 2" "$(usage frobnicate)" 2
unlike "an unknown command like none: no suggestion" "$(cat err.txt)" "did you mean"
is "a mistyped command exits 2" "$(usage histroy)" 2
like "and names the command it resembles" "$(cat err.txt)" "unknown command 'histroy'; did you mean 'history'?"
is "empty input exits 2" "$(printf '' | "$HUBASSOC" create contacts companies -t 279 -n 2>/dev/null; echo $?)" 2
is "UTF-16 input exits 2" "$(printf '\377\3761\0,\0002\0' | "$HUBASSOC" create contacts companies -t 279 -n 2>err.txt; echo $?)" 2
like "UTF-16 input explained" "$(cat err.txt)" "UTF-16"
is "bad --type exits 2" "$(usage create contacts companies -t HUBSPOT:1 -i good.csv -n)" 2

# Escape sequences in input never reach the terminal raw.
printf '\033]0;owned\007,1\n' > evil.csv
"$HUBASSOC" create contacts companies -t 279 -i evil.csv -n 2>err.txt
if grep -q "$(printf '\033')" err.txt; then not_ok "no raw ESC in the summary"; else ok "no raw ESC in the summary"; fi
like "escape shown escaped" "$(cat err.txt)" '\e]0'

# Help and version.
out=$("$HUBASSOC" --help)
like "--help lists create" "$out" "create FROM TO"
out=$("$HUBASSOC" create --help)
like "create --help lists --dry-run" "$out" "--dry-run"
like "--version" "$("$HUBASSOC" --version)" "hubassoc 0."

# A million lines, and the counts still add up.
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "%.0f,%.0f\n", 10000000000 + i, 20000000000 + (i % 999983) }' > million.csv
"$HUBASSOC" create contacts companies -t 279 -i million.csv -n -o million.jsonl 2>err.txt
is "a million lines: exit 0" "$?" 0
is "a million lines: a million records" "$(wc -l < million.jsonl | tr -d ' ')" 1000000
like "a million lines: 500 requests of HubSpot's 2,000" "$(cat err.txt)" "in 500 requests"

# Object type IDs go as given; a name goes only where HubSpot takes it.
for t in "0-74:0-74" "goal_targets:0-74" "0-101:0-101" "commerce_payments:0-101" "0-1:0-1" "contacts:contacts"; do
	out=$(echo 1,2 | "$HUBASSOC" create "${t%%:*}" companies -t USER_DEFINED:5 -n --curl 2>/dev/null)
	like "${t%%:*} goes as ${t#*:}" "$out" "/crm/v4/associations/${t#*:}/companies/batch/create"
done
"$HUBASSOC" labels goals contacts 2>err.txt
like "'goals' is not guessed: HubSpot's name is suggested" "$(cat err.txt)" "did you mean 'goal_targets'?"

# Input without end, or not text: the read stops with the line and why.
for src in /dev/zero /dev/urandom; do
	timeout 20 "$HUBASSOC" create contacts companies -t 279 -i "$src" -n 2>err.txt >/dev/null
	is "$src: stops at once, exit 2" "$?" 2
	like "$src: not a pairs file" "$(cat err.txt)" "not a pairs file"
done
head -c 3000000 /dev/zero | tr '\0' 7 > long.csv
timeout 20 "$HUBASSOC" create contacts companies -t 279 -i long.csv -n 2>err.txt
is "a line of 3 MB: exit 2" "$?" 2
like "a line of 3 MB: said" "$(cat err.txt)" "line 1 is longer than 1 MiB: not a pairs file"
printf '1\0,\0\062\0\n\0' > utf16.csv
"$HUBASSOC" create contacts companies -t 279 -i utf16.csv -n 2>err.txt
is "UTF-16 without a BOM: exit 2" "$?" 2
like "UTF-16 without a BOM: the UTF-16 hint" "$(cat err.txt)" "input is UTF-16 text; save it as UTF-8"


# A dry run resolves the settings as a send does: the profile's base URL,
# API version and chunk are in the requests it shows.
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile eu]\nbase_url = https://eu1.api.hubapi.com\napi_version = 2026-03\nchunk = 2\n' > "$XDG_CONFIG_HOME/hubassoc/config"
chmod 600 "$XDG_CONFIG_HOME/hubassoc/config"
printf '1,2\n3,4\n5,6\n' > p3.csv
out=$("$HUBASSOC" create contacts companies -t 279 -i p3.csv --dry-run --curl --profile eu 2>/dev/null)
is "--curl: the profile's chunk" "$(printf '%s\n' "$out" | grep -c '^# request')" 2
like "--curl: the profile's base URL and API version" "$out" \
	"'https://eu1.api.hubapi.com/crm/associations/2026-03/contacts/companies/batch/create'"
out=$("$HUBASSOC" create contacts companies -t 279 -i p3.csv --dry-run --show-requests --profile eu --chunk 3 2>/dev/null)
like "--show-requests: the profile's API version" "$out" "POST /crm/associations/2026-03/contacts/companies/batch/create (3 inputs)"
out=$("$HUBASSOC" create contacts companies -t 279 -i p3.csv --dry-run --curl --profile eu --base-url http://127.0.0.1:9 --api-version v4 2>/dev/null)
like "--curl: the command line over the profile" "$out" "'http://127.0.0.1:9/crm/v4/associations/contacts/companies/batch/create'"
"$HUBASSOC" create contacts companies -t 279 -i p3.csv --dry-run --curl --profile nosuch 2>err.txt >/dev/null
is "--dry-run with a profile that is not there: exit 3, as a send" "$?" 3
"$HUBASSOC" create contacts companies -t 279 -i p3.csv --dry-run --curl --sandbox 2>err.txt >/dev/null
is "--curl with --sandbox: a usage error" "$?" 2
like "it says why" "$(cat err.txt)" "exists only while it runs"

# With a token at hand, a dry run reads the portal's labels (a GET only)
# and checks the types now; without one it says it used the built-in ones.
sb_start --log "$T_TMP/dry.log" || not_ok "sandbox starts"
printf '1,2,Billing contact\n3,4,Nope label\n5,6,USER_DEFINED:999\n' > labels.csv
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -i labels.csv --dry-run \
	--base-url "$SB" 2> err.txt > /dev/null
is "a label the portal lacks, found in a dry run: exit 2" "$?" 2
like "it says it read the portal's labels" "$(cat err.txt)" "labels     the portal's, read from $SB"
like "the unknown label, on its line" "$(cat err.txt)" "line 2: association type: unknown label 'Nope label'"
like "and the USER_DEFINED ID the portal does not list" "$(cat err.txt)" "line 3: association type: USER_DEFINED:999 is not an association type"
is "only the labels were read: nothing written" \
	"$(jq -r '.method + " " + .path' "$T_TMP/dry.log" | sort -u | paste -sd' ')" \
	"GET /crm/v4/associations/contacts/companies/labels"
env -u HUBSPOT_ACCESS_TOKEN "$HUBASSOC" create contacts companies -i labels.csv --dry-run \
	--base-url "$SB" 2> err.txt > /dev/null
like "without a token: the built-in types, and why" "$(cat err.txt)" "the built-in types only (no token"
sb_stop
# A portal that is not there costs one try, not a send's patience.
HUBSPOT_ACCESS_TOKEN=x "$HUBASSOC" create contacts companies -t 279 -i p3.csv --dry-run \
	--base-url http://127.0.0.1:9 2> err.txt > /dev/null
is "an unreachable portal: the plan stands, exit 0" "$?" 0
like "and says the built-in types were used" "$(cat err.txt)" "the built-in types only"
# A name that is no standard type: the portal's custom objects are asked,
# so the suggestion is its p_cars, not the standard carts.
sb_start || not_ok "sandbox starts"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" labels cars contacts --base-url "$SB" 2> err.txt > /dev/null
is "labels with a custom object's bare name: a usage error" "$?" 2
like "it names the portal's custom object" "$(cat err.txt)" "the portal has the custom object p_cars (Cars, 2-"
unlike "not the standard type it resembles" "$(cat err.txt)" "carts"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create Cars contacts -t 1 -i p3.csv --dry-run --base-url "$SB" 2> err.txt > /dev/null
like "create too, whatever the case" "$(cat err.txt)" "give p_cars or 2-"
env -u HUBSPOT_ACCESS_TOKEN "$HUBASSOC" labels cars contacts --base-url "$SB" 2> err.txt > /dev/null
like "without a token, the standard suggestion" "$(cat err.txt)" "did you mean 'carts'?"
sb_stop
# The built-in sandbox is a portal like any other: its labels and its
# custom objects are asked, as a profile's are.
"$HUBASSOC" create contacts companies -i labels.csv --dry-run --sandbox 2> err.txt > /dev/null
is "--sandbox dry run: a label the portal lacks, exit 2" "$?" 2
like "--sandbox dry run: it read the sandbox's labels" "$(cat err.txt)" "labels     the portal's, read from the built-in sandbox"
like "--sandbox dry run: the unknown label, on its line" "$(cat err.txt)" "line 2: association type: unknown label 'Nope label'"
"$HUBASSOC" labels contacts cars --sandbox 2> err.txt > /dev/null
like "labels --sandbox: the sandbox's custom object suggested" "$(cat err.txt)" "the portal has the custom object p_cars (Cars, 2-"
unlike "labels --sandbox: not the standard carts" "$(cat err.txt)" "carts"
# --format alone: the records to standard output, the summary to stderr.
printf '101,201\n102,202\n' > fmt.csv
out=$("$HUBASSOC" create contacts companies -t 279 -i fmt.csv -n --format csv 2> fmt.err)
is "--format without --output: exit 0" "$?" 0
is "--format without --output: the CSV on stdout, header and 2 rows" "$(printf '%s\n' "$out" | grep -c .)" 3
like "--format without --output: the summary on stderr" "$(cat fmt.err)" "valid      2"
# A real sheet: a HubSpot contacts export, quoted, CRLF, five columns.
printf '"Record ID","First Name","Last Name","Email","Associated Company ID"\r\n"101","Ada","Lovelace","ada@x.com","201"\r\n"102","Dennis","Ritchie","d@x.com","202"\r\n' > export.csv
"$HUBASSOC" create contacts companies -t 279 -i export.csv -n -o export.jsonl 2> err.txt
is "export: exit 0" "$?" 0
like "export: the columns said" "$(cat err.txt)" "columns    FROM column 1 'Record ID', TO column 5 'Associated Company ID'; ignoring First Name, Last Name, Email"
is "export: the pairs read from them" "$(jq -r '"\(.from),\(.to)"' export.jsonl | tr '\n' ' ')" "101,201 102,202 "
# A third column is types only when its header says so.
printf 'Contact ID,Company ID,Notes\n101,201,VIP customer\n' > notes.csv
"$HUBASSOC" create contacts companies -t 279 -i notes.csv -n -o notes.jsonl 2> err.txt
is "notes: exit 0, not a label" "$?" 0
like "notes: ignored, said" "$(cat err.txt)" "ignoring Notes"
is "notes: the types are --type's" "$(jq -c .types notes.jsonl)" '["HUBSPOT_DEFINED:279"]'
printf 'from,to,types\n101,201,HUBSPOT_DEFINED:1\n' > typed.csv
"$HUBASSOC" create contacts companies -t 279 -i typed.csv -n -o typed.jsonl 2> err.txt
is "a types column: its types" "$(jq -c .types typed.jsonl)" '["HUBSPOT_DEFINED:1"]'
# Chosen by name or number; a column that is not there stops, naming them.
"$HUBASSOC" create contacts companies -t 279 -i export.csv -n --from-column 'record id' --to-column 5 -o ch.jsonl 2> err.txt
is "--from-column NAME --to-column N: exit 0" "$?" 0
is "... the pairs" "$(jq -r '"\(.from),\(.to)"' ch.jsonl | head -n 1)" "101,201"
"$HUBASSOC" create contacts companies -t 279 -i export.csv -n --to-column 9 2> err.txt
is "--to-column past the last: exit 2" "$?" 2
like "... naming the header's columns" "$(cat err.txt)" "--to-column '9' is no column of 'Record ID', 'First Name'"
# Three columns of IDs: which are FROM and TO is asked, never guessed.
printf '"Record ID","Associated Deal ID","Associated Company ID"\n101,301,201\n' > three.csv
"$HUBASSOC" create contacts companies -t 279 -i three.csv -n 2> err.txt
is "three ID columns: exit 2, nothing guessed" "$?" 2
like "... asking which" "$(cat err.txt)" "3 columns could be FROM or TO (say which: --from-column and --to-column, or :columns): 1 'Record ID', 2 'Associated Deal ID', 3 'Associated Company ID'"
"$HUBASSOC" create contacts companies -t 279 -i three.csv -n --from-column 1 --to-column 'associated company id' -o three.jsonl 2> err.txt
is "... told: the company's column" "$(jq -r '"\(.from),\(.to)"' three.jsonl)" "101,201"
printf '201,101\n' > swapped.csv
"$HUBASSOC" create contacts companies -t 279 -i swapped.csv -n --from-column 2 --to-column 1 -o sw.jsonl 2> err.txt
is "no header, columns by number: FROM the second" "$(jq -r '"\(.from),\(.to)"' sw.jsonl)" "101,201"
# The columns are kept with the session: show says them.
sb_start --open-portal || exit 1
printf '"Record ID","First Name","Associated Company ID"\r\n"310000001","Ada","320000001"\r\n' > ex2.csv
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i ex2.csv --base-url "$SB" --no-progress 2> err.txt
is "a sheet sent: exit 0" "$?" 0
like "show: the columns read" "$("$HUBASSOC" show last)" "columns    FROM column 1 'Record ID', TO column 3 'Associated Company ID'; ignoring First Name"
is "show --format json: the columns" "$("$HUBASSOC" show last --format json | jq -r .columns)" \
	"FROM column 1 'Record ID', TO column 3 'Associated Company ID'; ignoring First Name"
sb_stop
# Past the ten reasons shown, where every one is written (before: "see
# --output" of a send refused, which writes none); one line is a line.
for i in $(seq 12); do printf 'x%d,2\n' "$i"; done > twelve.csv
"$HUBASSOC" create contacts companies -t 279 -i twelve.csv -n 2> err.txt
like "the reasons past ten: where they are all listed" "$(cat err.txt)" "... and 2 more (--dry-run --output FILE lists every row)"
for i in $(seq 1200); do printf 'x%d,2\n' "$i"; done > many.csv
"$HUBASSOC" create contacts companies -t 279 -i many.csv -n 2> err.txt
like "the refusal counts as the plan does (before: '1200 invalid rows')" "$(cat err.txt)" "create: 1,200 invalid rows: fix them"
printf '1,2\n' > one.csv
"$HUBASSOC" create contacts companies -t 279 -i one.csv -n 2> err.txt
like "one row from one line" "$(cat err.txt)" "rows       1 from 1 line
"
done_testing
