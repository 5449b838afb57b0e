# tests/lib.sh: a small TAP library for shell tests.  Source it, call the
# assertions, end with `done_testing`.
#
#   ok NAME                      a pass
#   not_ok NAME [DETAIL...]      a failure with diagnostics
#   is NAME GOT WANT             equality
#   like NAME TEXT PATTERN       TEXT contains PATTERN (fixed string)
#   unlike NAME TEXT PATTERN     TEXT does not contain PATTERN
#   skip NAME WHY
set -u
T_COUNT=0
T_FAILED=0
HUBASSOC=${HUBASSOC:-$PWD/build/hubassoc}
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

ok() { T_COUNT=$((T_COUNT + 1)); echo "ok $T_COUNT - $1"; }
not_ok() {
	T_COUNT=$((T_COUNT + 1)); T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_COUNT - $1"; shift
	local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /' | head -30; done
}
skip() { T_COUNT=$((T_COUNT + 1)); echo "ok $T_COUNT - $1 # SKIP $2"; }
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}
like() {
	# An empty pattern matches anything: a test that cannot fail.
	if [ -z "$3" ]; then not_ok "$1" "like: the pattern is empty"; return; fi
	case $2 in *"$3"*) ok "$1" ;; *) not_ok "$1" "text: $2" "lacks: $3" ;; esac
}
unlike() {
	if [ -z "$3" ]; then not_ok "$1" "unlike: the pattern is empty"; return; fi
	case $2 in *"$3"*) not_ok "$1" "text: $2" "holds: $3" ;; *) ok "$1" ;; esac
}
done_testing() { echo "1..$T_COUNT"; [ "$T_FAILED" -eq 0 ]; }
