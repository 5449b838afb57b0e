#!/usr/bin/env bash
# hubassoc create, really sending, against the sandbox: every path.
. "$(dirname "$0")/sandbox_lib.sh"

# All created, and the store agrees, both ways.
sb_start --log "$T_TMP/all.log" || { not_ok "sandbox starts"; done_testing; exit 1; }
mapfile -t C < <(ids_of contacts)
mapfile -t O < <(ids_of companies)
for i in $(seq 30 59); do echo "${C[$i]},${O[$((i % 100))]}"; done > "$T_TMP/demo.csv"
before=$(assocs contacts companies)
send contacts companies --type 279 --input "$T_TMP/demo.csv" --chunk 7
is "all created: exit 0" "$RC" 0
is "all created: every row" "$(outcomes)" "created=30"
like "all created: summary adds up" "$ERR" "total      30 rows"
like "all created: five requests" "$ERR" "requests   5 in"
new=$(( $(assocs contacts companies) - before ))
present=0
while IFS=, read -r c o; do
	[ "$(types_between contacts companies "$c" "$o")" != "" ] && [ "$(types_between companies contacts "$o" "$c")" != "" ] && present=$((present + 1))
done < "$T_TMP/demo.csv"
is "the store has every pair, both ways" "$present" 30
is "requests logged: the labels and five creates" "$(grep -c '"path":"/crm/' "$T_TMP/all.log")" 6
is "the labels first" "$(sed -n 1p "$T_TMP/all.log" | jq -r .method)" GET
J=$(journal_of)
is "journal: 0600" "$(stat -c %a "$J")" 600
is "journal dir: 0700" "$(stat -c %a "$(dirname "$J")")" 700
order=$(jq -r 'select(.t == "send" or .t == "answer") | "\(.t) \(.req)"' "$J" | awk '$1 == "send" { sent[$2] = 1 } $1 == "answer" && !sent[$2] { bad++ } END { print bad + 0, NR }')
is "journal: each send before its answer" "$order" "0 10"
is "journal: the request bodies" "$(jq -r 'select(.t == "send") | .body.inputs | length' "$J" | tr '\n' ' ')" "7 7 7 7 2 "
is "journal: answers with status" "$(jq -r 'select(.t == "answer") | .status' "$J" | sort -u)" 201
is "journal: an end" "$(tail -n 1 "$J" | jq -r '.t + " " + .state')" "end complete"

# Missing IDs: exit 1 and HubSpot's error on the failed rows.
printf '%s,%s\n%s,999\n' "${C[70]}" "${O[70]}" "${C[71]}" > "$T_TMP/missing.csv"
send contacts companies --type 279 --input "$T_TMP/missing.csv"
is "missing IDs: exit 1" "$RC" 1
is "missing IDs: outcomes" "$(outcomes)" "created=1 failed=1"
is "missing IDs: HubSpot's error" "$(jq -r 'select(.outcome == "failed") | .error.category + ": " + .error.message' "$OUTF")" "VALIDATION_ERROR: One or more associations are invalid"
is "missing IDs: the context, for this row" "$(jq -r 'select(.outcome == "failed") | .error.context.INVALID_OBJECT_IDS | join(";")' "$OUTF")" "COMPANY=999 is not valid"
is "missing IDs: the status (a whole-batch 400, as HubSpot answers)" "$(jq -r 'select(.outcome == "failed") | .http_status' "$OUTF")" 400
is "missing IDs: the rest sent again and created" "$(jq -r 'select(.outcome == "created") | .http_status' "$OUTF")" 201
like "missing IDs: summary groups the error" "$ERR" "errors     1 row: VALIDATION_ERROR: One or more associations are invalid"

before=$(creates_logged "$T_TMP/all.log")
# A label by name, resolved through the portal.
printf '%s,%s\n' "${C[72]}" "${O[72]}" > "$T_TMP/label.csv"
send contacts companies --type "billing contact" --input "$T_TMP/label.csv"
is "label by name: created" "$(outcomes)" "created=1"
is "label by name: sent as USER_DEFINED:36" "$(jq -r '.types[0]' "$OUTF")" "USER_DEFINED:36"
is "label by name: labels in the record" "$(jq -r '.labels[0]' "$OUTF")" "Billing contact"
send contacts companies --type "Biling contact" --input "$T_TMP/label.csv"
is "unknown label: exit 2" "$RC" 2
like "unknown label: lists the choices" "$ERR" "USER_DEFINED:36 (Billing contact)"
sent=$(creates_logged "$T_TMP/all.log")
is "unknown label: nothing sent" "$sent" $((before + 1))
send contacts companies --type "USER_DEFINED:3" --input "$T_TMP/label.csv"
is "a type the portal lacks: exit 2 before sending" "$RC" 2
like "a type the portal lacks: says so" "$ERR" "USER_DEFINED:3 is not an association type of contacts to companies"
send contacts companies --type 280 --input "$T_TMP/label.csv"
is "wrong direction: exit 2" "$RC" 2
like "wrong direction: the right one" "$ERR" "use 279"
sb_stop

# Whole-batch 400 that names the bad IDs: those fail, the rest go again.
sb_start --open-portal --missing 1005,1007 --invalid-mode 400 --log "$T_TMP/400.log" || exit 1
open_pairs 20 > "$T_TMP/p20.csv"
send contacts companies --type 279 --input "$T_TMP/p20.csv" --chunk 10
is "400 named: exit 1" "$RC" 1
is "400 named: outcomes" "$(outcomes)" "created=18 failed=2"
is "400 named: the named rows failed" "$(jq -r 'select(.outcome == "failed") | .from' "$OUTF" | tr '\n' ' ')" "1005 1007 "
is "400 named: with the 400" "$(jq -r 'select(.outcome == "failed") | .http_status' "$OUTF" | sort -u)" 400
is "400 named: chunk, rest, chunk" "$(creates_logged "$T_TMP/400.log")" 3
# The rest sent again is counted with what the refused rows cost (before:
# 3 requests, "0 to isolate refused rows").
like "400 named: the rest's request counted" "$ERR" "1 to isolate refused rows"
is "400 named: the store has the rest" "$(types_between contacts companies 1000 501000)" "HUBSPOT_DEFINED:279"
sb_stop

# A 400 that names nothing: halved until the bad rows stand alone.
sb_start --open-portal --missing 1005,1012 --invalid-mode 400-unnamed --log "$T_TMP/bisect.log" || exit 1
send contacts companies --type 279 --input "$T_TMP/p20.csv" --chunk 10
is "400 unnamed: exit 1" "$RC" 1
is "400 unnamed: outcomes" "$(outcomes)" "created=18 failed=2"
is "400 unnamed: the bad rows isolated" "$(jq -r 'select(.outcome == "failed") | .from' "$OUTF" | tr '\n' ' ')" "1005 1012 "
n=$(creates_logged "$T_TMP/bisect.log")
like "400 unnamed: narrowing counted" "$ERR" "$((n - 2)) to isolate refused rows"
[ "$n" -gt 3 ] && [ "$n" -le 20 ] && ok "400 unnamed: each half is a request ($n)" || not_ok "400 unnamed: requests" "$n"
sb_stop

# 401, expired 401, 403: stop at once, exit 3, nothing sent.
sb_start --open-portal --expired-token old --log "$T_TMP/auth.log" || exit 1
open_pairs 5 > "$T_TMP/p5.csv"
AUTH_TOKEN=wrong send contacts companies --type 279 --input "$T_TMP/p5.csv"
is "401: exit 3" "$RC" 3
like "401: HubSpot's message" "$ERR" "INVALID_AUTHENTICATION: Authentication credentials not found"
is "401: nothing created" "$(creates_logged "$T_TMP/auth.log")" 0
AUTH_TOKEN=old send contacts companies --type 279 --input "$T_TMP/p5.csv"
is "expired 401: exit 3" "$RC" 3
like "expired 401: says expired" "$ERR" "EXPIRED_AUTHENTICATION"
sb_stop
sb_start --open-portal --scopes crm.objects.contacts.read,crm.objects.companies.read,crm.objects.contacts.write || exit 1
send contacts companies --type 279 --input "$T_TMP/p5.csv"
is "403: exit 3" "$RC" 3
like "403: the scopes it asks for" "$ERR" "needs scopes: crm.objects.companies.write"
is "403: rows not sent" "$(outcomes)" "not_sent=5"
# What HubSpot said stays with the rows, not only in the journal.
is "403: the rows carry HubSpot's category" "$(jq -r .error.category "$OUTF" | sort -u)" MISSING_SCOPES
[ "$(jq -r '.error.correlationId | length' "$OUTF" | sort -u)" = 36 ] && ok "403: and its correlationId" || not_ok "403: correlationId"
like "403: and why they were not sent" "$(jq -r '.error.context.NOT_SENT[0]' "$OUTF" | head -1)" "not sent: HubSpot answered 403"
like "403: export says the same" "$("$HUBASSOC" export last | head -1)" '"category":"MISSING_SCOPES"'
sb_stop

# 429s: with headers, without, with Retry-After.
sb_start --open-portal --rate 3/1s --log "$T_TMP/429.log" || exit 1
open_pairs 60 > "$T_TMP/p60.csv"
send contacts companies --type 279 --input "$T_TMP/p60.csv" --chunk 6 --concurrency 4
is "429 with headers: all created" "$(outcomes)" "created=60"
is "429 with headers: exit 0" "$RC" 0
limited=$(grep -c '"status":429' "$T_TMP/429.log")
[ "$limited" -le 2 ] && ok "429 with headers: the headers slow it down ($limited met)" || not_ok "429 with headers: few 429s" "$limited"
sb_stop
sb_start --open-portal --rate 3/1s --no-rate-headers --log "$T_TMP/429b.log" || exit 1
send contacts companies --type 279 --input "$T_TMP/p60.csv" --chunk 6 --concurrency 4
is "429 without headers: all created" "$(outcomes)" "created=60"
limited=$(grep -c '"status":429' "$T_TMP/429b.log")
[ "$limited" -ge 1 ] && ok "429 without headers: met and waited out ($limited)" || not_ok "429 without headers: met" "$limited"
like "429 without headers: counted" "$ERR" "met 429"
sb_stop
sb_start --open-portal --rate 2/3s --retry-after --no-rate-headers --log "$T_TMP/429c.log" || exit 1
t0=$(date +%s%3N)
send contacts companies --type 279 --input "$T_TMP/p5.csv" --chunk 1 --concurrency 4
t1=$(date +%s%3N)
is "Retry-After: all created" "$(outcomes)" "created=5"
[ $((t1 - t0)) -ge 2000 ] && ok "Retry-After: waited" || not_ok "Retry-After: waited" "$((t1 - t0)) ms"
like "Retry-After: the journal keeps the header" "$(jq -c 'select(.t == "answer" and .status == 429) | .headers' "$(journal_of)" | head -1)" "Retry-After: "
sb_stop

# DAILY: stop, the rest not_sent, exit 5.
sb_start --open-portal --daily 3 || exit 1
send contacts companies --type 279 --input "$T_TMP/p20.csv" --chunk 5 --concurrency 1
is "DAILY: exit 5" "$RC" 5
is "DAILY: the rest not sent" "$(outcomes)" "created=10 not_sent=10"
like "DAILY: HubSpot's message" "$ERR" "You have reached your daily limit."
like "DAILY: how to go on" "$ERR" "hubassoc resume"
like "DAILY: its 429 counted (before: 0 met 429)" "$ERR" "(0 retried, 1 met 429,"
is "DAILY: journal state" "$(tail -n 1 "$(journal_of)" | jq -r .state)" daily_limit
sb_stop

# Failures on the way: retried until they pass.
for sw in "--fail-5xx 0.5" "--fail-423 0.5" "--fail-reset 0.5" "--truncate 0.5" "--slow 1"; do
	sb_start --open-portal --seed 3 $sw --fault-only batch/create --log "$T_TMP/f.log" || exit 1
	send contacts companies --type 279 --input "$T_TMP/p20.csv" --chunk 4 --max-attempts 8
	is "$sw: all created" "$(outcomes)" "created=20"
	is "$sw: exit 0" "$RC" 0
	is "$sw: in the store" "$(assocs contacts companies | awk '{ print ($1 >= 20) }')" 1
	# show counts as answered only the answers that came whole (before:
	# a reset or a cut body counted too).
	came=$(jq -r 'select(.t == "answer" and .failure == null) | .req' "$(journal_of)" | grep -c .)
	is "$sw: show's answered are the answers that came" \
		"$("$HUBASSOC" show "$(basename "$(journal_of)" .jsonl)" --format json | jq -r .answered)" "$came"
	sb_stop
	rm -f "$T_TMP/f.log"
done
# Every create on the wire is journaled before it leaves: libcurl may not
# send a request again on its own when a reused connection turns out dead
# (before: 20 sends journaled, 27 creates received, 200 pairs written twice).
open_pairs 2000 > "$T_TMP/p2000.csv"
for attempts in 1 6; do
	sb_start --open-portal --seed 7 --fail-reset 0.5 --fault-only batch/create --log "$T_TMP/r.log" || exit 1
	send contacts companies --type 279 --input "$T_TMP/p2000.csv" --chunk 100 --concurrency 1 --max-attempts $attempts
	sends=$(grep -c '"t":"send"' "$(journal_of)")
	is "reset, --max-attempts $attempts: the server received as many creates as the journal sent" "$(creates_logged "$T_TMP/r.log")" "$sends"
	sb_stop
	rm -f "$T_TMP/r.log"
done
is "reset, tried again by the engine: every row created" "$(outcomes)" "created=2000"
sb_start --open-portal --fail-5xx 0.4 --seed 5 --fault-only batch/create --log "$T_TMP/f.log" || exit 1
send contacts companies --type 279 --input "$T_TMP/p20.csv" --chunk 4
like "5xx: retries counted" "$ERR" "retried"
[ "$(creates_logged "$T_TMP/f.log")" -gt 5 ] && ok "5xx: more requests than chunks" || not_ok "5xx: retried"
sb_stop
sb_start --open-portal --fail-5xx 1 --fault-only batch/create || exit 1
send contacts companies --type 279 --input "$T_TMP/p5.csv" --max-attempts 2
is "gave up: exit 4" "$RC" 4
is "gave up: not sent" "$(outcomes)" "not_sent=5"
like "gave up: why" "$(jq -r '.error.context.NOT_SENT[0]' "$OUTF" | head -1)" "gave up after 2 attempts"
unlike "an error without a category: no empty ': '" "$ERR" "rows: : "
like "gave up: HubSpot's last word" "$(jq -r '.error.message' "$OUTF" | sort -u | tr '\n' ' ')" "HTTP 50"
sb_stop

# 200 as the success code.
sb_start --open-portal --success-code 200 || exit 1
send contacts companies --type 279 --input "$T_TMP/p5.csv"
is "200: created" "$(outcomes)" "created=5"
is "200: the status kept" "$(jq -r .http_status "$OUTF" | sort -u)" 200
sb_stop

# The date-versioned API.
sb_start --open-portal --log "$T_TMP/v.log" || exit 1
send contacts companies --type 279 --input "$T_TMP/p5.csv" --api-version 2026-03
is "2026-03: created" "$(outcomes)" "created=5"
like "2026-03: its path" "$(grep batch/create "$T_TMP/v.log")" "/crm/associations/2026-03/contacts/companies/batch/create"
sb_stop

# A path HubSpot refuses: a configuration error, exit 3.
sb_start --open-portal || exit 1
send p_nothing companies --type 279 --input "$T_TMP/p5.csv"
is "unknown custom object: exit 3" "$RC" 3
like "unknown custom object: HubSpot's words" "$ERR" "Unable to infer object type from: p_nothing"
sb_stop

# --output is opened before anything is sent, and replaced only by a run
# that writes it: a path that cannot be written sends nothing; a failed
# run leaves what was there; a run that ends replaces it, 0600.
sb_start --open-portal --log "$T_TMP/out.log" || exit 1
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p5.csv" \
	--base-url "$SB" --no-progress -o "$T_TMP/nodir/out.jsonl" 2> "$T_TMP/err"
is "an output that cannot be written: exit 2" "$?" 2
like "it says which and why" "$(cat "$T_TMP/err")" "--output $T_TMP/nodir/out.jsonl: No such file or directory"
is "and nothing was sent" "$(creates_logged "$T_TMP/out.log")" 0
mkdir -p "$T_TMP/outdir"
echo "the last run's records" > "$T_TMP/outdir/out.jsonl"
HUBSPOT_ACCESS_TOKEN=wrong "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p5.csv" \
	--base-url "$SB" --no-progress -o "$T_TMP/outdir/out.jsonl" 2>/dev/null
is "a run that fails (401): exit 3" "$?" 3
is "leaves the old output as it was" "$(cat "$T_TMP/outdir/out.jsonl")" "the last run's records"
is "and no temporary behind" "$(ls -A "$T_TMP/outdir")" "out.jsonl"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p5.csv" \
	--base-url "$SB" --no-progress -o "$T_TMP/outdir/out.jsonl" 2>/dev/null
is "a run that ends writes it" "$(jq -r .outcome "$T_TMP/outdir/out.jsonl" | sort | uniq -c | awk '{print $1, $2}')" "5 created"
is "0600" "$(stat -c %a "$T_TMP/outdir/out.jsonl")" 600
is "still no temporary" "$(ls -A "$T_TMP/outdir")" "out.jsonl"
id=$(basename "$(journal_of)" .jsonl)
"$HUBASSOC" export "$id" -o "$T_TMP/nodir/x.csv" 2> "$T_TMP/err"
is "export to a path that cannot be written: exit 2" "$?" 2
"$HUBASSOC" resume "$id" -o "$T_TMP/nodir/x.jsonl" 2> "$T_TMP/err"
is "resume too" "$?" 2
# A result for a pair that was never sent is said, and kept, not dropped.
sb_stop
sb_start --open-portal --stray || exit 1
send contacts companies -t 279 -i "$T_TMP/p5.csv"
is "a stray result: the rows are created" "$RC" 0
like "a stray result: a warning" "$ERR" "warning: request 1: the answer confirms 1 pair that was not in it"
is "a stray result: kept in the journal" "$(jq -r 'select(.t == "warning") | .message' "$(journal_of)")" \
	"request 1: the answer confirms 1 pair that was not in it"
# The output fails after the rows were sent (a full disk): the status must
# not say that nothing was sent.
open_pairs 5 900000 > "$T_TMP/p5b.csv"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p5b.csv" \
	--base-url "$SB" --no-progress -o /dev/full 2> "$T_TMP/err"
is "--output on a full disk after sending: exit 3, not 2" "$?" 3
like "it says so" "$(cat "$T_TMP/err")" "No space left on device"
is "the rows were created all the same" "$(missing_pairs "$T_TMP/p5b.csv" contacts companies)" 0
# What show, history, export and --curl print must arrive.
for c in "show $id" "history" "export $id" "export $id --format csv"; do
	"$HUBASSOC" $c > /dev/full 2> "$T_TMP/err"
	is "$c on a full disk: exit 2" "$?" 2
	like "$c on a full disk: said" "$(cat "$T_TMP/err")" "No space left on device"
done
"$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p5b.csv" -n --curl > /dev/full 2> "$T_TMP/err"
is "--curl on a full disk: exit 2" "$?" 2
seq 100000 200000 | sed 's/$/,7/' > "$T_TMP/many.csv"
rc=$( (trap '' PIPE; "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/many.csv" -n --curl 2> "$T_TMP/err" | head -c 1 > /dev/null; echo "${PIPESTATUS[0]}") )
is "--curl into a closed pipe (SIGPIPE ignored): exit 2" "$rc" 2
like "it says so" "$(cat "$T_TMP/err")" "Broken pipe"
sb_stop
done_testing
