#!/usr/bin/env bash
# make fuzz: each target under libFuzzer for SECONDS, from its seeds in
# tests/fuzz/seeds/NAME.  New inputs it finds go to BUILD/corpus/NAME (kept
# between runs); a failing input is written to BUILD/crash-NAME-*, and
# `BUILD/tests/fuzz/fuzz_NAME FILE` replays it.
#
#   tests/fuzz/run.sh BUILD SECONDS
set -u
build=$1 seconds=${2:-60}
cd "$(dirname "$0")/../.." || exit 2
failed=0
for bin in "$build"/tests/fuzz/fuzz_*; do
	case $bin in *.d) continue ;; esac
	name=${bin##*/fuzz_}
	mkdir -p "$build/corpus/$name"
	echo "== fuzz_$name: $seconds s"
	if ! "$bin" -max_total_time="$seconds" -print_final_stats=1 \
	    -artifact_prefix="$build/crash-$name-" \
	    "$build/corpus/$name" "tests/fuzz/seeds/$name" 2>"$build/fuzz_$name.log"; then
		failed=1
		tail -40 "$build/fuzz_$name.log"
	else
		grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' \
		    "$build/fuzz_$name.log"
	fi
done
exit $failed
