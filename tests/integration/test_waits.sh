#!/usr/bin/env bash
# Every wait has an end: 429s by their policy and within --max-wait, a
# silent or dead server given up on in bounded time, the first call handled
# like the rest.  The time bounds checked are the features themselves, with
# wide margins; the figures are measured in the closing notes.
. "$(dirname "$0")/sandbox_lib.sh"

now_ms() { date +%s%3N; }
# Runs create with the sandbox token against $SB; sets RC, ERR, OUTF, MS.
timed_send() {
	local t0
	t0=$(now_ms)
	send "$@"
	MS=$(( $(now_ms) - t0 ))
}
within() { # NAME MS LIMIT
	[ "$2" -le "$3" ] && ok "$1 (${2} ms)" || not_ok "$1" "took $2 ms, bound $3 ms"
}
open_pairs 20 > "$T_TMP/p20.csv"
open_pairs 5 > "$T_TMP/p5.csv"

# ---- Retry-After longer than --max-wait: said and given up at once ----------
sb_start --open-portal --rate 2/10s --retry-after=86400 --no-rate-headers --log "$T_TMP/ra.log" || exit 1
timed_send contacts companies -t 279 -i "$T_TMP/p5.csv" --chunk 1 --concurrency 1 --rate 100/10s
is "Retry-After: 86400: exit 4, resumable" "$RC" 4
like "it says why" "$ERR" "asked for a wait of 24 h (Retry-After on a 429 TEN_SECONDLY_ROLLING), longer than --max-wait 10 min allows"
like "and how to go on" "$ERR" "hubassoc resume"
within "it did not wait a day" "$MS" 10000
is "the journal says gave_up" "$(tail -n 1 "$(journal_of)" | jq -r .state)" gave_up
is "what was not sent is not_sent" "$(jq -r .outcome "$OUTF" | sort | uniq -c | tr -s ' ' | sed 's/^ //' | tr '\n' ' ')" "1 created 4 not_sent "
sb_stop

# ---- a long wait is said wherever stderr goes -------------------------------
sb_start --open-portal --rate 1/6s --retry-after --no-rate-headers --log "$T_TMP/lw.log" || exit 1
timed_send contacts companies -t 279 -i "$T_TMP/p5.csv" --chunk 5 --concurrency 1 --rate 10/1s
is "a long wait: all created in the end" "$RC" 0
like "a long wait is said off a terminal too" "$ERR" "hubassoc: waiting 6 s: the portal answered 429 TEN_SECONDLY_ROLLING"
sb_stop

# ---- SECONDLY waits about a second, not the client's ten --------------------
# A portal allowing 10 requests a second, without headers; the client
# thinks 100 per 10 s.  Before: each 429 waited 10 s (20 requests, 20.5 s).
sb_start --open-portal --rate 10/1s --no-rate-headers --log "$T_TMP/sec.log" || exit 1
timed_send contacts companies -t 279 -i "$T_TMP/p20.csv" --chunk 1 --concurrency 4
is "SECONDLY: all created" "$RC" 0
limited=$(grep -c '"rate_limited":"SECONDLY"' "$T_TMP/sec.log")
[ "$limited" -ge 1 ] && ok "SECONDLY: 429s were met ($limited)" || not_ok "SECONDLY: 429s were met"
within "SECONDLY: each waited about a second" "$MS" 9000
sb_stop

# ---- the per-second headers pace like the ten-secondly ones ---------------------
# A portal allowing 3 requests a second besides 100 per 10 s, its headers
# saying so: the client paces to them and meets (almost) no SECONDLY 429.
sb_start --open-portal --rate 100/10s --rate-secondly 3 --log "$T_TMP/sh.log" || exit 1
timed_send contacts companies -t 279 -i "$T_TMP/p20.csv" --chunk 1 --concurrency 4
is "-Secondly headers: all created" "$RC" 0
n=$(grep -c '"rate_limited":"SECONDLY"' "$T_TMP/sh.log")
[ "$n" -le 2 ] && ok "-Secondly headers: the client paces to them ($n 429s)" || not_ok "-Secondly headers: paced" "$n 429s"
req POST "$V4/contacts/companies/batch/create" "$(create_body 1 2 HUBSPOT_DEFINED 279)"
is "-Secondly headers: sent" "$(header X-HubSpot-RateLimit-Secondly)" 3
sb_stop
sb_start --open-portal --rate-secondly 1 --daily 100 || exit 1
req GET "$V4/contacts/companies/labels"; req GET "$V4/contacts/companies/labels"
is "SECONDLY 429: its body as HubSpot's" "$(jqr '[.policyName, .errorType, (.groupName | test("secondly")), (.requestId | length)] | @tsv')" "SECONDLY	RATE_LIMIT	true	36"
sb_stop
sb_start --open-portal --daily 1 || exit 1
req GET "$V4/contacts/companies/labels"; req GET "$V4/contacts/companies/labels"
is "DAILY 429: requestId, no groupName" "$(jqr '[.policyName, .groupName, (.requestId | length)] | @tsv')" "DAILY		36"
sb_stop

# ---- --max-wait under endless 429s ------------------------------------------
sb_start --open-portal --rate 1/1h --no-rate-headers --log "$T_TMP/mw.log" || exit 1
timed_send contacts companies -t 279 -i "$T_TMP/p5.csv" --rate 100/1s --max-wait 5s
is "--max-wait 5s under endless 429s: exit 4" "$RC" 4
like "it names the policy and the bound" "$ERR" "429s (TEN_SECONDLY_ROLLING) for longer than --max-wait 5 s"
is "the rows carry the 429's policy" "$(jq -r .error.category "$OUTF" | sort -u)" TEN_SECONDLY_ROLLING
is "and its message" "$(jq -r .error.message "$OUTF" | sort -u)" "You have reached your ten_secondly_rolling limit."
within "it gave up within 10 s" "$MS" 10000
[ "$(grep -c '"status":429' "$T_TMP/mw.log")" -ge 3 ] && ok "it waited the 429s out until then" || not_ok "429s met"
sb_stop

# ---- the first call is handled like the rest: DAILY on labels -------------------
sb_start --open-portal --daily 1 --log "$T_TMP/daily.log" || exit 1
req GET /crm/v4/associations/contacts/companies/labels
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" labels contacts companies --base-url "$SB" > /dev/null 2> "$T_TMP/e"
is "DAILY on the labels call: exit 5" "$?" 5
like "it says so" "$(cat "$T_TMP/e")" "You have reached your daily limit."
is "at once: one request, no retry" "$(grep -c labels "$T_TMP/daily.log")" 2
sb_stop

# ---- a silent server: given up on, requests side by side ------------------------
sb_start --open-portal --silent 1 --fault-only batch/create --log "$T_TMP/si.log" || exit 1
timed_send contacts companies -t 279 -i "$T_TMP/p20.csv" --chunk 5 --concurrency 4 --timeout 1s
is "a silent server: exit 4, resumable" "$RC" 4
like "it says no answer came" "$ERR" "no answer from $SB for "
like "the journal says unreachable" "$(tail -n 1 "$(journal_of)" | jq -r .state)" unreachable
within "given up within a few timeouts" "$MS" 15000
n=$(creates_logged "$T_TMP/si.log")
[ "$n" -ge 8 ] && ok "the retries went side by side ($n requests)" || not_ok "retries side by side" "$n requests"
sb_stop
sb_start --open-portal --silent 1 || exit 1
t0=$(now_ms)
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" labels contacts companies --base-url "$SB" --timeout 1s > /dev/null 2> "$T_TMP/e"
rc=$? ms=$(( $(now_ms) - t0 ))
is "a silent server on the labels call: exit 4" "$rc" 4
like "it says no answer came" "$(cat "$T_TMP/e")" "no answer from $SB"
within "given up within a few timeouts" "$ms" 10000
sb_stop

# ---- a server that dies mid-run: the run stops, no chunk after chunk -------------
sb_start --open-portal --latency 300 --log "$T_TMP/die.log" || exit 1
open_pairs 200 > "$T_TMP/p200.csv"
t0=$(now_ms)
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p200.csv" \
	--base-url "$SB" --chunk 2 --concurrency 2 --no-progress -o "$T_TMP/die.jsonl" 2> "$T_TMP/e" &
pid=$!
for i in $(seq 100); do [ "$(creates_logged "$T_TMP/die.log")" -ge 2 ] && break; sleep 0.05; done
sb_stop
wait "$pid"; rc=$? ms=$(( $(now_ms) - t0 ))
is "a server killed mid-run: exit 4" "$rc" 4
like "it says the server cannot be reached" "$(cat "$T_TMP/e")" "cannot reach $SB after 6 attempts"
within "within one request's retries" "$ms" 30000
created=$(grep -c '"outcome":"created"' "$T_TMP/die.jsonl")
left=$(grep -c '"outcome":"\(not_sent\|unconfirmed\)"' "$T_TMP/die.jsonl")
is "every row accounted for" "$((created + left))" 200

# ---- an answer past the cap is read no further, kept by head, size and hash ---
sb_start --open-portal --pad 60000000 --fault-only batch/create || exit 1
timed_send contacts companies -t 279 -i "$T_TMP/p5.csv" --max-attempts 2
is "a 60 MB answer: a bad answer, exit 4" "$RC" 4
J=$(journal_of)
[ "$(stat -c %s "$J")" -lt 100000 ] && ok "the journal stays small ($(stat -c %s "$J") bytes)" || not_ok "the journal stays small" "$(stat -c %s "$J") bytes"
is "the answer is recorded by size and hash" "$(jq -c 'select(.t == "answer") | [.failure, .body_read, .body_announced, (.body_hash | length), (.body | length)]' "$J" | sort -u)" \
	'["too_big",4194304,60000636,16,1024]'
like "and said" "$(jq -r .error.message "$OUTF" | head -1)" "the answer is longer than 4 MiB (60000636 bytes): not read further"
sb_stop

done_testing
