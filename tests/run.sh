#!/usr/bin/env bash
# Runs every test layer and totals them.  Each layer speaks TAP: cmocka
# binaries (CMOCKA_MESSAGE_OUTPUT=TAP) and shell tests (tests/lib.sh).
# The last line is "N passed, N failed[, N skipped]"; the exit status is
# non-zero when anything failed.
#
#   tests/run.sh BUILD_DIR [LAYER...]     layers: unit integration tui fuzz static
set -u
build=${1:-build}
shift || true
layers=${*:-unit integration tui fuzz static}
cd "$(dirname "$0")/.." || exit 2
export HUBASSOC_BUILD=$build
export HUBASSOC=$PWD/$build/hubassoc

total_pass=0 total_fail=0 total_skip=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs one TAP producer; counts its results; a crash or a short plan fails.
run_tap() {
	local name=$1; shift
	local pass=0 fail=0 skip=0 planned=0 rc
	"$@" >"$log" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		# cmocka 1.1 writes skips as "not ok N # SKIP name".
		"ok "*"# SKIP"*|"not ok "*"# SKIP"*) skip=$((skip + 1)) ;;
		"ok "*) pass=$((pass + 1)) ;;
		"not ok "*) fail=$((fail + 1)); echo "    FAIL $name: ${line#not ok }" ;;
		1..*) planned=${line#1..}; planned=${planned%% *} ;;
		esac
	done <"$log"
	if [ "$fail" -gt 0 ]; then
		grep -E '^#' "$log" | grep -vE '^# (ok|SKIP)' | head -40 | sed 's/^/      /'
	fi
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		# Exited badly without saying which test failed: a crash.
		fail=$((fail + 1))
		echo "    FAIL $name: exited with status $rc"
		tail -20 "$log" | sed 's/^/      /'
	elif [ "$planned" -gt 0 ] && [ $((pass + fail + skip)) -lt "$planned" ]; then
		fail=$((fail + planned - pass - fail - skip))
		echo "    FAIL $name: planned $planned tests, saw $((pass + skip))"
		tail -20 "$log" | sed 's/^/      /'
	fi
	layer_pass=$((layer_pass + pass))
	layer_fail=$((layer_fail + fail))
	layer_skip=$((layer_skip + skip))
}

# Prints a finished test's output and exits with its status.
replay() {
	cat "$1.out"
	return "$(cat "$1.rc")"
}

summary() {
	local s="$1 passed, $2 failed"
	[ "$3" -gt 0 ] && s="$s, $3 skipped"
	echo "$s"
}

for layer in $layers; do
	layer_pass=0 layer_fail=0 layer_skip=0
	case $layer in
	unit)
		# Each source is a binary that must be there: one that was not
		# built fails, rather than the layer passing on the rest.
		for src in tests/unit/test_*.c; do
			n=$(basename "$src" .c)
			t=$build/tests/$n
			if [ ! -x "$t" ]; then
				echo "    FAIL $n: $t was not built"
				layer_fail=$((layer_fail + 1))
				continue
			fi
			CMOCKA_MESSAGE_OUTPUT=TAP run_tap "$n" "$t"
		done ;;
	integration|tui)
		# Files run side by side (each has its own sandbox, port and
		# state); their results are read in order.
		outdir=$(mktemp -d)
		jobs=0
		for t in tests/$layer/test_*.sh; do
			[ -f "$t" ] || continue
			n=$(basename "$t")
			( bash "$t" > "$outdir/$n.out" 2>&1; echo $? > "$outdir/$n.rc" ) &
			jobs=$((jobs + 1))
			if [ "$jobs" -ge "${TEST_JOBS:-3}" ]; then wait -n; jobs=$((jobs - 1)); fi
		done
		wait
		for t in tests/$layer/test_*.sh; do
			[ -f "$t" ] || continue
			n=$(basename "$t")
			run_tap "$layer/$n" replay "$outdir/$n"
		done
		rm -rf "$outdir" ;;
	fuzz)
		# Each target replays its seeds and FUZZ_MUTATIONS inputs made
		# from them, the same ones on every run (tests/fuzz/driver.c).
		for src in tests/fuzz/fuzz_*.c; do
			n=$(basename "$src" .c)
			n=${n#fuzz_}
			t=$build/tests/fuzz/fuzz_$n
			if [ ! -x "$t" ]; then
				echo "    FAIL fuzz_$n: $t was not built"
				layer_fail=$((layer_fail + 1))
				continue
			fi
			run_tap "fuzz_$n" "$t" -n "${FUZZ_MUTATIONS:-20000}" \
			    -o "$build/fuzz-crash-$n" "tests/fuzz/seeds/$n"
		done ;;
	static)
		run_tap static bash tests/static.sh ;;
	*)
		echo "unknown layer: $layer" >&2; exit 2 ;;
	esac
	# A layer that ran nothing (its binaries missing, its files gone) has
	# not passed.
	if [ $((layer_pass + layer_fail + layer_skip)) -eq 0 ]; then
		echo "    FAIL $layer: no test ran (not built?)"
		layer_fail=1
	fi
	printf '%-12s %s\n' "$layer:" "$(summary $layer_pass $layer_fail $layer_skip)"
	total_pass=$((total_pass + layer_pass))
	total_fail=$((total_fail + layer_fail))
	total_skip=$((total_skip + layer_skip))
done
summary $total_pass $total_fail $total_skip
[ "$total_fail" -eq 0 ]
