#!/usr/bin/env bash
# The sandbox's switches for the real world: each one seen working.
. "$(dirname "$0")/sandbox_lib.sh"

ms() { date +%s%3N; }
P="$V4/contacts/companies/batch/create"
body() { create_body "$1" "$2" HUBSPOT_DEFINED 279; }

# --latency, with and without jitter: answers come no sooner.
sb_start --open-portal --latency 300 || { not_ok "sandbox starts"; done_testing; exit 1; }
t0=$(ms); req POST "$P" "$(body 1 2)"; t1=$(ms)
[ $((t1 - t0)) -ge 300 ] && ok "--latency 300: at least 300 ms" || not_ok "--latency 300: at least 300 ms" "$((t1 - t0)) ms"
is "--latency: still answered" "$CODE" 201
sb_stop
sb_start --open-portal --latency 200:100 || exit 1
t0=$(ms); req POST "$P" "$(body 1 2)"; t1=$(ms)
[ $((t1 - t0)) -ge 100 ] && ok "--latency 200:100: at least 100 ms" || not_ok "--latency 200:100: at least 100 ms" "$((t1 - t0)) ms"
sb_stop

# --rate: a rolling window, headers, 429 without a category.
sb_start --open-portal --rate 3/3s || exit 1
codes=""
for i in 1 2 3; do req POST "$P" "$(body $i 2)"; codes="$codes $CODE"; r=$(header X-HubSpot-RateLimit-Remaining); done
is "--rate 3/3s: three go" "$codes" " 201 201 201"
is "--rate: Remaining counts down" "$r" 0
is "--rate: Max" "$(header X-HubSpot-RateLimit-Max)" 3
is "--rate: Interval" "$(header X-HubSpot-RateLimit-Interval-Milliseconds)" 3000
req POST "$P" "$(body 4 2)"
is "--rate: the fourth is 429" "$CODE" 429
is "--rate: TEN_SECONDLY_ROLLING" "$(jqr .policyName)" TEN_SECONDLY_ROLLING
is "--rate: no category in a 429" "$(jqr '.category // "none"')" none
is "--rate: RATE_LIMIT" "$(jqr .errorType)" RATE_LIMIT
is "--rate: HubSpot's message" "$(jqr .message)" "You have reached your ten_secondly_rolling limit."
is "--rate: no Retry-After by default" "$(header Retry-After)" ""
is "--rate: the refused one wrote nothing" "$(types_between contacts companies 4 2)" ""
sleep 3.1
req POST "$P" "$(body 5 2)"
is "--rate: the window rolls on" "$CODE" 201
sb_stop
sb_start --open-portal --rate 1/3s --retry-after || exit 1
req POST "$P" "$(body 1 2)"
req POST "$P" "$(body 2 2)"
is "--retry-after: 429" "$CODE" 429
ra=$(header Retry-After)
[ -n "$ra" ] && [ "$ra" -ge 1 ] && [ "$ra" -le 3 ] && ok "--retry-after: seconds until a place frees" || not_ok "--retry-after: seconds until a place frees" "$ra"
sb_stop

# --daily.
sb_start --open-portal --daily 2 || exit 1
req POST "$P" "$(body 1 2)"
is "--daily: Daily header" "$(header X-HubSpot-RateLimit-Daily)" 2
is "--daily: Daily-Remaining" "$(header X-HubSpot-RateLimit-Daily-Remaining)" 1
req POST "$P" "$(body 2 2)"
req POST "$P" "$(body 3 2)"
is "--daily 2: the third is 429" "$CODE" 429
is "--daily: DAILY" "$(jqr .policyName)" DAILY
is "--daily: HubSpot's message" "$(jqr .message)" "You have reached your daily limit."
sb_stop

# --fail-5xx: the shapes of HubSpot and of its edge, and nothing written.
sb_start --open-portal --fail-5xx 1 || exit 1
count() { curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq .count; }
n0=$(count)
seen=""
for i in $(seq 1 12); do
	req POST "$P" "$(body $i 2)"
	case $CODE in
	500) [ "$(jqr .message)" = "internal error" ] && seen="$seen 500" ;;
	502) case $OUT in *"<html>"*) seen="$seen 502" ;; esac ;;
	503) [ -z "$OUT" ] && seen="$seen 503" ;;
	504) case $OUT in *"504 Gateway"*) seen="$seen 504" ;; esac ;;
	esac
done
for c in 500 502 503 504; do like "--fail-5xx: a $c in its shape" "$seen" "$c"; done
is "--fail-5xx: nothing written" "$(count)" "$n0"
sb_stop

sb_start --open-portal --fail-423 1 || exit 1
req POST "$P" "$(body 1 2)"
is "--fail-423: 423" "$CODE" 423
like "--fail-423: locked" "$(jqr .message)" "Locks last 2 seconds"
sb_stop

# --fail-reset: the connection closes without an answer, before or after
# the write; the log says which.
sb_start --open-portal --fail-reset 1 --log "$T_TMP/reset.log" || exit 1
n0=$(count)
for i in $(seq 1 8); do req POST "$P" "$(body $i 2)"; rcs="${rcs-} $CURL_RC"; done
like "--fail-reset: curl sees an empty reply" "$rcs" " 52"
is "--fail-reset: never an answer" "$(printf '%s' "$rcs" | tr ' ' '\n' | grep -c '^0$')" 0
after=$(grep -c '"fault":"reset-after"' "$T_TMP/reset.log")
before=$(grep -c '"fault":"reset-before"' "$T_TMP/reset.log")
[ "$after" -gt 0 ] && [ "$before" -gt 0 ] && ok "--fail-reset: before and after the write" || not_ok "--fail-reset: before and after the write" "before $before after $after"
is "--fail-reset: the writes after happened" "$(count)" "$((n0 + after))"
sb_stop

# --truncate: the body ends before its Content-Length.
sb_start --open-portal --truncate 1 || exit 1
req POST "$P" "$(body 1 2)"
is "--truncate: curl sees a partial body" "$CURL_RC" 18
len=$(header Content-Length)
[ "${#OUT}" -lt "$len" ] && ok "--truncate: fewer bytes than announced" || not_ok "--truncate: fewer bytes than announced" "${#OUT} of $len"
printf '%s' "$OUT" | jq . >/dev/null 2>&1 && not_ok "--truncate: not valid JSON" || ok "--truncate: not valid JSON"
sb_stop

# --slow: the body trickles but arrives whole.
sb_start --open-portal --slow 1 || exit 1
t0=$(ms); req POST "$P" "$(body 1 2)"; t1=$(ms)
is "--slow: complete" "$(jqr .status)" COMPLETE
[ $((t1 - t0)) -ge 700 ] && ok "--slow: trickles (at least 0.7 s)" || not_ok "--slow: trickles" "$((t1 - t0)) ms"
sb_stop

# --invalid-mode 400: the whole batch refused, bad IDs named, nothing written.
sb_start --open-portal --missing 999 --invalid-mode 400 || exit 1
req POST "$P" "$(create_body 1 2 HUBSPOT_DEFINED 279 3 999 HUBSPOT_DEFINED 279)"
is "--invalid-mode 400: 400" "$CODE" 400
is "--invalid-mode 400: named" "$(jqr '.context.INVALID_OBJECT_IDS[0]')" "COMPANY=999 is not valid"
is "--invalid-mode 400: objectId" "$(jqr '.context.objectId[0]')" 999
is "--invalid-mode 400: objectType" "$(jqr '.context.objectType[0]')" COMPANY
is "--invalid-mode 400: category" "$(jqr .category)" VALIDATION_ERROR
is "--invalid-mode 400: nothing written" "$(types_between contacts companies 1 2)" ""
req POST "$P" "$(create_body 1 2 USER_DEFINED 3)"
is "--invalid-mode 400: a bad type refuses the batch" "$(jqr '.context.associationSpec[0]')" "USER_DEFINED=3"
sb_stop
# By default a portal's budget, 100 per 10 s, and its headers on every answer.
sb_start --open-portal || exit 1
req GET "$V4/contacts/companies/labels"
is "by default: X-HubSpot-RateLimit-Max 100" "$(header X-HubSpot-RateLimit-Max)" 100
is "by default: the window is 10 s" "$(header X-HubSpot-RateLimit-Interval-Milliseconds)" 10000
is "by default: remaining counts down" "$(header X-HubSpot-RateLimit-Remaining)" 99
sb_stop
sb_start --open-portal --rate none || exit 1
req GET "$V4/contacts/companies/labels"
is "--rate none: no headers" "$(header X-HubSpot-RateLimit-Max)" ""
sb_stop
sb_start --open-portal --missing 999 --invalid-mode 207 || exit 1
req POST "$P" "$(create_body 1 2 HUBSPOT_DEFINED 279 3 999 HUBSPOT_DEFINED 279)"
is "--invalid-mode 207: 207" "$CODE" 207
is "--invalid-mode 207: the good one written" "$(types_between contacts companies 1 2)" "HUBSPOT_DEFINED:279"
sb_stop
sb_start --open-portal --missing 999 || exit 1
req POST "$P" "$(create_body 1 2 HUBSPOT_DEFINED 279 3 999 HUBSPOT_DEFINED 279)"
is "invalid IDs, by default: a 400 for the batch, as every real capture" "$CODE" 400
is "invalid IDs, by default: objectId and objectType, parallel" "$(jqr '[.context.objectId[0], .context.objectType[0]] | join(" ")')" "999 COMPANY"
is "invalid IDs, by default: nothing written" "$(types_between contacts companies 1 2)" ""
sb_stop

# --success-code.
sb_start --open-portal --success-code 200 || exit 1
req POST "$P" "$(body 1 2)"
is "--success-code 200" "$CODE" 200
sb_stop

# --log: a JSON line per request, the token never in it.
sb_start --open-portal --token "pat-na1-secret-token-123" --log "$T_TMP/req.log" || exit 1
AUTH_TOKEN=pat-na1-secret-token-123 req POST "$P" "$(body 1 2)"
AUTH_TOKEN=wrong req POST "$P" "$(body 3 4)"
req GET "/_sandbox/associations?from=contacts&to=companies"
is "--log: a line per request" "$(wc -l < "$T_TMP/req.log" | tr -d ' ')" 3
is "--log: lines are JSON" "$(jq -c . "$T_TMP/req.log" 2>/dev/null | wc -l | tr -d ' ')" 3
is "--log: status" "$(sed -n 1p "$T_TMP/req.log" | jq -r '.method + " " + (.status|tostring) + " " + (.inputs|tostring)')" "POST 201 1"
is "--log: the body" "$(sed -n 1p "$T_TMP/req.log" | jq -r '.body.inputs[0].from.id')" 1
is "--log: Authorization redacted" "$(sed -n 1p "$T_TMP/req.log" | jq -r .authorization)" "Bearer [redacted]"
if grep -q "secret-token" "$T_TMP/req.log"; then not_ok "--log: the token never appears"; else ok "--log: the token never appears"; fi
sb_stop

# Faults repeat with the seed.
run_faults() {
	sb_start --open-portal --seed "$1" --fail-5xx 0.3 --fail-423 0.2 || exit 1
	local out=""
	for i in $(seq 1 20); do req POST "$P" "$(body $i 2)"; out="$out$CODE "; done
	sb_stop
	echo "$out"
}
a=$(run_faults 7); b=$(run_faults 7); c=$(run_faults 8)
is "faults repeat with --seed" "$a" "$b"
[ "$a" != "$c" ] && ok "another seed, other faults" || not_ok "another seed, other faults"
like "some failed" "$a" "5"

# Loopback only, a chosen port, and both stopping signals.
sb_start || exit 1
port=${SB##*:}
hexport=$(printf '%04X' "$port")
grep -q ":$hexport 00000000:0000 0A" /proc/net/tcp && local_only=$(awk -v p=":$hexport" '$2 ~ p"$" && $4 == "0A" { print $2 }' /proc/net/tcp)
is "bound to 127.0.0.1 only" "${local_only%%:*}" 0100007F
kill -INT "$SB_PID"; wait "$SB_PID"; rc=$?; SB_PID=""
is "SIGINT stops cleanly" "$rc" 0
# A port below the kernel's ephemeral range (where the other tests'
# connections take theirs), tried again if something holds it.
started=""
for try in 1 2 3 4 5; do
	free=$(( (RANDOM % 10000) + 20000 ))
	sb_start --port "$free" && { started=1; break; }
done
[ -n "$started" ] || exit 1
is "--port N" "$SB" "http://127.0.0.1:$free"
sb_stop
is "SIGTERM stops cleanly" "$SB_RC" 0
out=$("$HUBASSOC" sandbox --rate 5 2>&1); rc=$?
is "bad switch: exit 2" "$rc" 2
like "bad switch: says why" "$out" "--rate: '5' is not N/DURATION"
done_testing
