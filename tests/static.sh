#!/usr/bin/env bash
# Promises checked by reading the tree: layering, man pages, documentation
# that agrees with the program.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.." || exit 1

hits=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|readline/|microhttpd)' src/core include 2>/dev/null)
is "src/core and include/ use no curses, readline or microhttpd" "$hits" ""

for h in include/hubassoc/*.h; do
	g=$(basename "$h" .h | tr 'a-z' 'A-Z')
	if grep -q "#ifndef HUBASSOC_${g}_H" "$h"; then ok "guard in $h"; else not_ok "guard in $h"; fi
done

for m in man/*.[1-9]; do
	out=$(mandoc -Tlint -W warning "$m" 2>&1)
	is "mandoc -Tlint $m" "$out" ""
done

# Every long option --help shows is in the man page, and the other way.
man=$(mandoc -Tutf8 man/hubassoc.1 2>/dev/null | col -b)
commands=$("$HUBASSOC" --help | sed -n '/^commands:/,/^$/p' | grep -oE '^  [a-z]+' | tr -d ' ')
all=$("$HUBASSOC" --help)
for cmd in "" $commands; do
	help=$("$HUBASSOC" $cmd --help)
	all="$all
$help"
	[ -n "$cmd" ] && like "man page describes $cmd" "$man" "   $cmd"
	for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
		like "man page documents ${cmd:-hubassoc} $opt" "$man" "$opt"
	done
done
for opt in $(printf '%s\n' "$man" | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
	like "--help shows $opt from the man page" "$all" "$opt"
done

# The theme roles and the built-in themes are those the docs name.
conf=$(mandoc -Tutf8 man/hubassoc.conf.5 2>/dev/null | col -b)
for role in $(sed -n '/^#define ROLES(X)/,/^$/p' src/tui/tui.h | grep -oE 'X\([A-Z_]+, "[a-z-]+"' | sed 's/.*"\(.*\)"/\1/'); do
	like "hubassoc.conf(5) documents the role $role" "$conf" "     $role"
done
for t in themes/*.theme; do
	name=$(basename "$t" .theme)
	like "hubassoc(1) names the theme $name" "$man" "$name"
	like "--help names the theme $name" "$("$HUBASSOC" --help)" "$name"
done

readme=$(cat README.md)
like "README: make run" "$readme" "make run"
like "README: make check" "$readme" "make check"

done_testing
