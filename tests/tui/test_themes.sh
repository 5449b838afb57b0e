#!/usr/bin/env bash
# Every theme loads, in 8, 256 and direct colour; mono and NO_COLOR use
# attributes only; a bad theme is refused with the file and line.
. "$(dirname "$0")/tui_lib.sh"

colour_codes() { printf '%s' "$1" | grep -oE $'\e\\[[0-9;]*m' | grep -E '\[(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)' ; }

# start THEME: hubassoc on the built-in sandbox with THEME, up and drawn.
start() {
	tui_start 100 24 --sandbox --theme "$1"
	wait_for "budget" || return 1
	wait_for "Paste pairs"
}

for f in themes/*.theme; do
	name=$(basename "$f" .theme)
	start "$name" || continue
	codes=$(colour_codes "$(screen_colours)")
	if [ "$name" = mono ]; then
		is "theme $name: no colour at all" "$codes" ""
		like "theme $name: the header is reversed" "$(screen_colours | head -n 1)" $'\e[7m'
	else
		if [ -n "$codes" ]; then ok "theme $name: loads, in colour"; else not_ok "theme $name: loads, in colour" "$(screen_colours | head -3 | cat -v)"; fi
	fi
	keys q
	wait_for "[exited 0]"
done

# 256 colours: palette indices; 8 colours: the nearest of the 8.
start dark
like "dark in 256 colours uses the palette" "$(colour_codes "$(screen_colours)")" "38;5;"
keys q
TUI_TERM=screen start dark
codes=$(colour_codes "$(screen_colours)")
unlike "dark on an 8-colour terminal: no palette index" "$codes" "38;5;"
if [ -n "$codes" ]; then ok "dark on an 8-colour terminal: still in colour"; else not_ok "dark on an 8-colour terminal: still in colour"; fi
keys q

# Direct colour: solarized's own #rrggbb.
TUI_TERM=tmux-direct start solarized
like "solarized in direct colour is exact" "$(colour_codes "$(screen_colours)")" "38;2;131;148;150"
keys q
TUI_TERM=tmux-256color start solarized
unlike "solarized in 256 colours: the nearest index" "$(colour_codes "$(screen_colours)")" "38;2;"
keys q

# NO_COLOR: monochrome whatever the theme.
TUI_ENV="NO_COLOR=1" start dark
is "NO_COLOR gives monochrome" "$(colour_codes "$(screen_colours)")" ""
like "NO_COLOR: the cursor line and header stand out by reverse" "$(screen_colours | head -n 1)" $'\e[7m'
keys q
wait_for "[exited 0]"

# A profile's theme.
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile quiet]\ntheme = mono\n' > "$XDG_CONFIG_HOME/hubassoc/config"
chmod 600 "$XDG_CONFIG_HOME/hubassoc/config"
tui_start 100 24 --sandbox --profile quiet
wait_for "Paste pairs"
is "a profile's theme" "$(colour_codes "$(screen_colours)")" ""
like "its name in the header" "$(row 1)" "profile quiet"
keys q

# A theme file of one's own, and a broken one.
mkdir -p "$XDG_CONFIG_HOME/hubassoc/themes"
printf 'color header red default bold\n' > "$XDG_CONFIG_HOME/hubassoc/themes/mine.theme"
start mine
like "a theme of one's own, by name" "$(screen_colours | head -n 1)" $'\e[31m'
keys q
printf 'color header red default\ncolour title blue default\n' > "$T_TMP/bad.theme"
tui_start 100 24 --sandbox --theme "$T_TMP/bad.theme"
wait_for "[exited 2]"
like "a broken theme: the file and line" "$(cat "$T_TMP/tui.err")" "bad.theme:2: expected 'color ROLE FG BG [ATTRS]'"
tui_start 100 24 --sandbox --theme nosuch
wait_for "[exited 2]"
like "an unknown theme: the names there are" "$(cat "$T_TMP/tui.err")" "no theme 'nosuch' (built in: "
TUI_ENV="TERM=nosuchterm" tui_start 100 24 --sandbox
wait_for "[exited 2]"
like "a TERM terminfo lacks: said, with what to do" "$(cat "$T_TMP/tui.err")" \
	"the terminal type 'nosuchterm' (TERM) is not in the terminfo database"
done_testing
