#!/usr/bin/env bash
# Benchmarks (make bench).  Not part of make check: they measure, they do not
# assert on time.
#
#   tests/bench/run.sh BUILD [dryrun] [sandbox]
#
#   dryrun   a dry run over a generated 1,000,000-line input, against
#            `awk -F,` reading the same input as a yardstick.
#            Targets: under 2x awk's time, under 200 MB peak RSS.
#   sandbox  batch creates of 100 inputs against the sandbox, 4 in flight;
#            its memory over a million associations, and again after the
#            same million are sent twice more.  Target: 1,000 requests/s.
set -eu
build=${1:-build}
shift || true
benches=${*:-dryrun sandbox}
cd "$(dirname "$0")/../.." || exit 2
bin=$PWD/$build/hubassoc
work=$(mktemp -d)
sb_pid=""
trap '[ -n "$sb_pid" ] && kill "$sb_pid" 2>/dev/null; rm -rf "$work"' EXIT
cc -O2 -o "$work/measure" tests/bench/measure.c
cc -O2 -o "$work/loadgen" tests/bench/loadgen.c $(pkg-config --cflags --libs libcurl)
m="$work/measure"
runs=${BENCH_RUNS:-5}

# Best of N runs (BENCH_RUNS, default 5): the least disturbed by the rest
# of the machine.
best() {
	local best_line="" best_wall=999999 line wall
	for _ in $(seq "$runs"); do
		line=$("$m" "$@")
		wall=${line#wall_s=}; wall=${wall%% *}
		if awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
			best_wall=$wall best_line=$line
		fi
	done
	echo "$best_line"
}
field() { local v=${1#*$2=}; echo "${v%% *}"; }

bench_dryrun() {
echo "== dryrun: 1,000,000 lines"
awk 'BEGIN {
	srand(42)
	print "contact_id,company_id"
	for (i = 0; i < 1000000; i++)
		printf "%.0f,%.0f\n", 10000000000 + int(rand() * 89999999999), \
		    900000000 + int(rand() * 9999999999)
}' > "$work/pairs.csv"
printf '   input: %s bytes\n' "$(wc -c < "$work/pairs.csv")"

yard=$(best -o /dev/null -- awk -F, '{ n += NF } END { print n }' "$work/pairs.csv")
yard2=$(best -o /dev/null -- awk -F, '!seen[$1,$2]++ { n++ } END { print n }' "$work/pairs.csv")
dry=$(best -e /dev/null -- "$bin" create contacts companies --type 279 --input "$work/pairs.csv" --dry-run)
out=$(best -e /dev/null -- "$bin" create contacts companies --type 279 --input "$work/pairs.csv" --dry-run --output "$work/out.jsonl")
stdin=$(best -i "$work/pairs.csv" -e /dev/null -- "$bin" create contacts companies --type 279 --dry-run)

printf '   %-34s %8s %10s\n' "" "wall s" "peak RSS"
printf '   %-34s %8s %7s MB\n' "awk -F, '{ n += NF }' (yardstick)" "$(field "$yard" wall_s)" "$(( $(field "$yard" maxrss_kb) / 1024 ))"
printf '   %-34s %8s %7s MB\n' "awk -F, '!seen[\$1,\$2]++'" "$(field "$yard2" wall_s)" "$(( $(field "$yard2" maxrss_kb) / 1024 ))"
printf '   %-34s %8s %7s MB\n' "hubassoc dry run" "$(field "$dry" wall_s)" "$(( $(field "$dry" maxrss_kb) / 1024 ))"
printf '   %-34s %8s %7s MB\n' "hubassoc dry run, from stdin" "$(field "$stdin" wall_s)" "$(( $(field "$stdin" maxrss_kb) / 1024 ))"
printf '   %-34s %8s %7s MB\n' "hubassoc dry run + jsonl output" "$(field "$out" wall_s)" "$(( $(field "$out" maxrss_kb) / 1024 ))"
ratio=$(awk -v a="$(field "$dry" wall_s)" -v b="$(field "$yard" wall_s)" 'BEGIN { printf "%.2f", a / b }')
echo "   dry run / awk: ${ratio}x (target < 2x); peak RSS target < 200 MB"
[ "$(field "$dry" status)" = 0 ] || echo "   WARNING: the dry run exited $(field "$dry" status)"
}

rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

bench_sandbox() {
	echo "== sandbox: batch/create, 100 inputs a request, 4 in flight"
	"$bin" sandbox --open-portal > "$work/sb.out" &
	sb_pid=$!
	for _ in $(seq 50); do grep -q listening "$work/sb.out" 2>/dev/null && break; sleep 0.1; done
	url="$(sed 's/listening on //' "$work/sb.out")/crm/v4/associations/contacts/companies/batch/create"
	start=$(rss_kb "$sb_pid")
	first=$("$work/loadgen" "$url" 4 10000 100)
	full=$(rss_kb "$sb_pid")
	again=$("$work/loadgen" "$url" 4 10000 100)
	"$work/loadgen" "$url" 4 10000 100 > /dev/null
	after=$(rss_kb "$sb_pid")
	kill "$sb_pid"; wait "$sb_pid" 2>/dev/null || true; sb_pid=""
	echo "   first million associations:  $first"
	echo "   the same million again:      $again"
	echo "   RSS: $((start / 1024)) MB at start, $((full / 1024)) MB holding 1,000,000 associations" \
	    "($(( (full - start) * 1024 / 1000000 )) bytes each), $((after / 1024)) MB after sending them twice more"
}

for b in $benches; do
	case $b in
	dryrun) bench_dryrun ;;
	sandbox) bench_sandbox ;;
	*) echo "unknown benchmark: $b" >&2; exit 2 ;;
	esac
done
