#!/usr/bin/env bash
# Promises checked by reading the tree: layering, man pages, documentation
# that agrees with the program.
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.." || exit 1

ui='#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|readline/|microhttpd)'
hits=$(grep -rlE "$ui" src/core include 2>/dev/null)
is "src/core and include/ use no curses, readline or microhttpd" "$hits" ""
# The pattern finds what it looks for where it is.
[ "$(grep -rlE "$ui" src/tui src/sandbox | grep -c .)" -ge 2 ] && ok "the layering pattern finds curses and microhttpd in src/tui and src/sandbox" || not_ok "the layering pattern matches"
# The terminal drives the core as the command line does, not through it;
# the core knows neither; the command line starts the terminal.
is "src/tui includes nothing of src/cli" "$(grep -rlE '#[[:space:]]*include[[:space:]]*"[./]*cli/' src/tui)" ""
is "src/core includes nothing of src/cli, src/tui or src/sandbox" \
	"$(grep -rlE '#[[:space:]]*include[[:space:]]*"[./]*(cli|tui|sandbox)/' src/core include)" ""
[ -n "$(grep -rlE '#[[:space:]]*include[[:space:]]*"[./]*tui/' src/cli)" ] && ok "the include pattern finds src/cli's use of src/tui" || not_ok "the include pattern matches"

# Seams: the terminal reaches the built-in sandbox only through its
# start-up file; the command line knows the terminal only in main.c (the
# theme names come from a small header).
is "src/tui includes sandbox.h only in main.c" \
	"$(grep -rlE '#[[:space:]]*include[[:space:]]*"[./]*sandbox/sandbox.h"' src/tui | grep -v '^src/tui/main.c$')" ""
is "src/cli includes tui.h only in main.c" \
	"$(grep -rlE '#[[:space:]]*include[[:space:]]*"[./]*tui/tui.h"' src/cli | grep -v '^src/cli/main.c$')" ""
[ -n "$(grep -lE '#[[:space:]]*include[[:space:]]*"[./]*sandbox/sandbox.h"' src/tui/main.c)" ] && ok "the seam pattern finds src/tui/main.c's sandbox.h" || not_ok "the seam pattern matches"
# The views see hubassoc's structs, never cJSON: the inspector reads the
# journal through its reader.
# The sandbox holds HubSpot's IDs itself: a wrong one in the client's
# tables must fail a test, not agree with itself.
is "the sandbox takes no type table from the client" \
	"$(grep -rlE 'assoc_builtin_table|objtype_std_table|assoc_builtin_find|objtype_std_by' src/sandbox)" ""
is "src/tui/views include no cJSON" "$(grep -rlE '#[[:space:]]*include[[:space:]]*<cjson/' src/tui/views)" ""

headers=(include/hubassoc/*.h)
[ -f "${headers[0]}" ] && ok "headers found (${#headers[@]})" || not_ok "headers found"
for h in "${headers[@]}"; do
	g=$(basename "$h" .h | tr 'a-z' 'A-Z')
	if grep -q "#ifndef HUBASSOC_${g}_H" "$h"; then ok "guard in $h"; else not_ok "guard in $h"; fi
done

pages=(man/*.[1-9])
is "two man pages" "${#pages[@]}:$([ -f "${pages[0]}" ] && echo found)" "2:found"
for m in "${pages[@]}"; do
	out=$(mandoc -Tlint -W warning "$m" 2>&1)
	is "mandoc -Tlint $m" "$out" ""
done

# Every long option --help shows is in the man page, and the other way.
man=$(mandoc -Tutf8 man/hubassoc.1 2>/dev/null | col -b)
commands=$("$HUBASSOC" --help | sed -n '/^commands:/,/^$/p' | grep -oE '^  [a-z]+' | tr -d ' ')
[ "$(printf '%s\n' $commands | grep -c .)" -ge 6 ] && ok "--help lists the commands" || not_ok "--help lists the commands" "$commands"
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
roles=$(sed -n '/^#define ROLES(X)/,/^$/p' src/tui/tui.h | grep -oE 'X\([A-Z_]+, "[a-z-]+"' | sed 's/.*"\(.*\)"/\1/')
# A pattern that matches nothing would pass the loop below unseen.
[ "$(printf '%s\n' $roles | grep -c .)" -ge 10 ] && ok "the theme roles are found in tui.h" || not_ok "the theme roles are found in tui.h" "$roles"
for role in $roles; do
	like "hubassoc.conf(5) documents the role $role" "$conf" "     $role"
done
themes=(themes/*.theme)
[ -f "${themes[0]}" ] && [ "${#themes[@]}" -ge 5 ] && ok "the themes are found (${#themes[@]})" || not_ok "the themes are found"
for t in "${themes[@]}"; do
	name=$(basename "$t" .theme)
	like "hubassoc(1) names the theme $name" "$man" "$name"
	like "--help names the theme $name" "$("$HUBASSOC" --help)" "$name"
done

readme=$(cat README.md)
like "README: make run" "$readme" "make run"
like "README: make check" "$readme" "make check"

# tests/run.sh fails a layer's binary that was not built, rather than
# passing the layer on the ones that were (before: "unit: 13 passed" with
# 23 of 24 missing).
fake=$T_TMP/half-built
mkdir -p "$fake/tests/fuzz"
cp "${HUBASSOC_BUILD:-build}/tests/test_text" "$fake/tests/"
out=$(TEST_JOBS=1 bash tests/run.sh "$fake" unit fuzz 2>&1)
is "run.sh with binaries missing: it fails" "$?" 1
like "it names each one missing" "$out" "FAIL test_key: $fake/tests/test_key was not built"
like "a fuzz target too" "$out" "FAIL fuzz_input: $fake/tests/fuzz/fuzz_input was not built"
like "and runs those there are" "$out" "unit:        "
n_src=$(ls tests/unit/test_*.c tests/fuzz/fuzz_*.c | wc -l)
is "as many failures as missing binaries" "$(printf '%s\n' "$out" | grep -c 'was not built')" "$((n_src - 1))"

done_testing
