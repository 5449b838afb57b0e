# sandbox_lib.sh: start the sandbox, talk HTTP to it with curl.
#
#   sb_start [OPTIONS...]    starts `hubassoc sandbox --port 0 OPTIONS`; sets
#                            SB (base URL) and SB_PID; waits for the ready line
#   sb_stop                  SIGTERM, and waits
#   req METHOD PATH [BODY] [CURL ARGS...]
#                            sets CODE (HTTP status or 000), OUT (body),
#                            HDRS (headers), CURL_RC; the token is the default
#   jqr FILTER               jq -r FILTER on OUT
. "$(dirname "$0")/../lib.sh"

TOKEN=sandbox-token
SB_PID=""

sb_start() {
	local fifo="$T_TMP/sb.ready.$$.$RANDOM"
	"$HUBASSOC" sandbox --port 0 "$@" > "$fifo" 2> "$T_TMP/sb.err" &
	SB_PID=$!
	local i line
	for i in $(seq 1 100); do
		line=$(head -n 1 "$fifo" 2>/dev/null)
		case $line in listening\ on\ http://127.0.0.1:*|listening\ on\ https://127.0.0.1:*) break ;; esac
		if ! kill -0 "$SB_PID" 2>/dev/null; then
			echo "# sandbox exited: $(cat "$T_TMP/sb.err")"
			return 1
		fi
		sleep 0.05
	done
	SB=${line#listening on }
	SB_READY=$line
}

sb_stop() {
	[ -n "$SB_PID" ] || return 0
	kill -TERM "$SB_PID" 2>/dev/null
	wait "$SB_PID" 2>/dev/null
	SB_RC=$?
	SB_PID=""
}
trap 'sb_stop; rm -rf "$T_TMP"' EXIT

req() {
	local method=$1 path=$2 body=${3-}
	shift 2
	[ $# -gt 0 ] && shift
	local args=(-s -o "$T_TMP/out" -D "$T_TMP/hdrs" -w '%{http_code}' -X "$method"
		-H "Content-Type: application/json")
	[ -n "${NOAUTH-}" ] || args+=(-H "Authorization: Bearer ${AUTH_TOKEN:-$TOKEN}")
	[ -n "$body" ] && args+=(--data-binary "$body")
	CODE=$(curl "${args[@]}" "$@" "$SB$path")
	CURL_RC=$?
	OUT=$(cat "$T_TMP/out" 2>/dev/null)
	HDRS=$(tr -d '\r' < "$T_TMP/hdrs" 2>/dev/null)
}

jqr() { printf '%s' "$OUT" | jq -r "$1" 2>/dev/null; }

header() { printf '%s\n' "$HDRS" | grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: *//'; }

# A batch/create body: FROM TO CATEGORY TYPEID, repeated by fours.
create_body() {
	local out='{"inputs":[' sep=''
	while [ $# -ge 4 ]; do
		out="$out$sep{\"from\":{\"id\":\"$1\"},\"to\":{\"id\":\"$2\"},\"types\":[{\"associationCategory\":\"$3\",\"associationTypeId\":$4}]}"
		sep=,
		shift 4
	done
	printf '%s]}' "$out"
}

# hubassoc COMMAND ARGS... against the sandbox with its token: OUT, ERR
# and RC set; standard input from HA_IN (else nothing).
ha() {
	local cmd=$1
	shift
	OUT=$(HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" "$cmd" "$@" --base-url "$SB" \
		2> "$T_TMP/err" < "${HA_IN:-/dev/null}")
	RC=$?
	ERR=$(cat "$T_TMP/err")
}
# The requests the sandbox's --log "$LOG" holds whose path holds TEXT.
path_count() { jq -r --arg p "$1" 'select(.path | contains($p)) | .path' "$LOG" | grep -c .; }

# The demo portal's records of a type, one a line.
ids_of() {
	curl -s "$SB/_sandbox/objects?type=$1" | jq -r '.ids[]'
}

# The types (CATEGORY:ID) between two records, from the store.
types_between() {
	curl -s "$SB/_sandbox/associations?from=$1&to=$2" |
		jq -r --arg f "$3" --arg t "$4" '.results[] | select(.from == $f and .to == $t) | .types[] | "\(.category):\(.typeId)"' | sort | tr '\n' ' ' | sed 's/ $//'
}

V4=/crm/v4/associations

# ---- running hubassoc against a sandbox ----------------------------------

export XDG_STATE_HOME="$T_TMP/state"
export XDG_CONFIG_HOME="$T_TMP/config"

# N pairs of an open portal: FROM_ID,TO_ID lines from FIRST.
open_pairs() { awk -v n="$1" -v f="${2:-1000}" 'BEGIN { for (i = 0; i < n; i++) printf "%d,%d\n", f + i, f + 500000 + i }'; }

# Runs hubassoc create against $SB with the sandbox token; sets RC, ERR
# (stderr) and OUTF (the jsonl output file).  The engine's tests count its
# requests: no preflight, unless PREFLIGHT=1 (test_safety.sh tests it).
send() {
	OUTF="$T_TMP/out.$RANDOM.jsonl"
	local look=--no-preflight
	[ -n "${PREFLIGHT-}" ] && look=""
	HUBSPOT_ACCESS_TOKEN=${AUTH_TOKEN:-$TOKEN} "$HUBASSOC" create "$@" $look --base-url "$SB" \
		--no-progress -o "$OUTF" 2> "$T_TMP/err" < /dev/null
	RC=$?
	ERR=$(cat "$T_TMP/err")
}

outcomes() { jq -r .outcome "$OUTF" | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }' | sed 's/ $//'; }
count_outcome() { grep -c "\"outcome\":\"$1\"" "$OUTF"; }
assocs() { curl -s "$SB/_sandbox/associations?from=$1&to=$2" | jq .count; }
# The newest session's journal: IDs sort by the time they were made.
journal_of() { ls "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl 2>/dev/null | sort | tail -n 1; }
# Pairs in FILE (FROM,TO lines) the store lacks, counted.
missing_pairs() {
	curl -s "$SB/_sandbox/associations?from=$2&to=$3" | jq -r '.results[] | "\(.from),\(.to)"' | sort > "$T_TMP/have"
	sort "$1" | comm -23 - "$T_TMP/have" | grep -c .
}
creates_logged() { grep -c '"path":"/crm/[^"]*batch/create"' "$1"; }

# Every pair the store holds between two types (default contacts and
# companies), both directions, one a line with its types sorted: the
# portal's state, to compare before and after.
portal_state() {
	local a=${1:-contacts} b=${2:-companies}
	{ curl -s "$SB/_sandbox/associations?from=$a&to=$b"; curl -s "$SB/_sandbox/associations?from=$b&to=$a"; } |
		jq -r '.from as $f | .to as $t | .results[] | "\($f)>\($t) \(.from) \(.to) \([.types[] | "\(.category):\(.typeId)"] | sort | join(";"))"' | sort
}

# From the demo portal: a contact with a Primary company (PC, PO), a pair
# of another contact that exists (EC, EO), a third (FC, FO), and a company
# that is not PO (OTHER).
demo_pairs() {
	local all
	all=$(curl -s "$SB/_sandbox/associations?from=contacts&to=companies")
	read -r PC PO < <(jq -r '[.results[] | select(any(.types[]; .typeId == 1))][0] | "\(.from) \(.to)"' <<< "$all")
	read -r EC EO < <(jq -r --arg c "$PC" '[.results[] | select(.from != $c)][1] | "\(.from) \(.to)"' <<< "$all")
	read -r FC FO < <(jq -r --arg c "$PC" --arg e "$EC" '[.results[] | select(.from != $c and .from != $e)][2] | "\(.from) \(.to)"' <<< "$all")
	mapfile -t O < <(ids_of companies)
	OTHER=${O[5]}
	[ "$OTHER" = "$PO" ] && OTHER=${O[6]}
}
