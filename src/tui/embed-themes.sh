#!/bin/sh
# Turns themes/NAME.theme into a C file, so the binary carries them and works
# uninstalled.  Usage: embed-themes.sh THEME... > themes.c
echo '/* Generated from themes/NAME.theme by src/tui/embed-themes.sh. */'
echo '#include <stddef.h>'
echo 'const char *const themes_builtin[][2] = {'
for f in "$@"; do
	name=$(basename "$f" .theme)
	printf '\t{ "%s",\n' "$name"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t  "/' -e 's/$/\\n"/' "$f"
	printf '\t},\n'
done
echo '};'
echo 'const size_t themes_builtin_count = sizeof(themes_builtin) / sizeof(themes_builtin[0]);'
