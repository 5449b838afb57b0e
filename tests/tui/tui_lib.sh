# tui_lib.sh: hubassoc in a real terminal (tmux), driven by keys and read
# from the screen.  Each test file has its own tmux server (a private
# socket), state and config directories, and usually its own sandbox.
#
#   tui_start COLS ROWS [ARGS...]   starts hubassoc ARGS in a COLS x ROWS pane
#                                   (TUI_ENV: extra VAR=value words;
#                                   TUI_STDIN: a file on its stdin)
#   tui_shell COLS ROWS [ARGS...]   the same from an interactive shell, with
#                                   job control (C-z, fg); sets TUI_PID
#                                   (no "[exited N]": the shell's prompt)
#   keys KEY...                     tmux send-keys, one key a word
#   commands TEXT...                each typed on the command line, entered
#   typein TEXT                     the text, typed literally
#   paste_file FILE                 a bracketed paste of FILE's bytes
#   screen                          the screen as text
#   screen_colours                  the screen with its SGR sequences
#   row N                           row N (1-based) of the screen
#   wait_for TEXT [SECONDS]         until the screen holds TEXT; a failed
#                                   test (with the screen) if it never does
#   wait_gone TEXT [SECONDS]        until it no longer does
#   resize COLS ROWS
#   tui_exited                      true once hubassoc has exited
. "$(dirname "$0")/../integration/sandbox_lib.sh"

TUI_SOCK="" TUI_N=0
export XDG_STATE_HOME=$T_TMP/state XDG_CONFIG_HOME=$T_TMP/config
export HUBSPOT_ACCESS_TOKEN=sandbox-token
unset NO_COLOR
# hubassoc keeps its stderr in TMPDIR while the screen is its own: what
# a crash or a sanitizer says there is shown when a test fails.
export TMPDIR=$T_TMP/tmp
mkdir -p "$XDG_STATE_HOME" "$XDG_CONFIG_HOME" "$TMPDIR"
trap 'tui_kill; sb_stop; rm -rf "$T_TMP"' EXIT

# Each start gets a server of its own: a dying one is never reused.
tui_kill() { [ -z "$TUI_SOCK" ] || tmux -L "$TUI_SOCK" kill-server 2>/dev/null; }

TM() { tmux -L "$TUI_SOCK" -f "$T_TMP/tmux.conf" "$@"; }

# A fresh tmux server for the next start.
tui_server() {
	# A 256-colour terminal that tmux and ncurses agree on.
	# set-clipboard on: what hubassoc copies (OSC 52) lands in a buffer.
	printf 'set -g default-terminal "%s"\nset -g status off\nset -g set-clipboard on\n' \
		"${TUI_TERM:-tmux-256color}" > "$T_TMP/tmux.conf"
	tui_kill
	TUI_N=$((TUI_N + 1))
	TUI_SOCK="hubassoc-tui-$$-$TUI_N"
}

tui_start() {
	local cols=$1 rows=$2 cmd
	shift 2
	printf -v cmd '%q ' "$HUBASSOC" "$@"
	[ -n "${TUI_STDIN:-}" ] && cmd="$cmd < $(printf '%q' "$TUI_STDIN")"
	tui_server
	TM new-session -d -s t -x "$cols" -y "$rows" \
		"env ${TUI_ENV:-} $cmd 2>$T_TMP/tui.err; echo \"[exited \$?]\"; sleep 600"
}

# A shell with job control, where C-z stops the job and fg continues it
# (under tmux's own `sh -c` a stop signal is discarded: its process group
# is orphaned).
tui_shell() {
	local cols=$1 rows=$2 cmd i
	shift 2
	tui_server
	printf -v cmd '%q ' "$HUBASSOC" "$@"
	TM new-session -d -s t -x "$cols" -y "$rows" "env PS1='$ ' bash --norc --noprofile -i"
	TM send-keys -t t -l "$cmd 2>$T_TMP/tui.err"
	TM send-keys -t t Enter
	for i in $(seq 50); do
		TUI_PID=$(pgrep -P "$(TM display -p -t t '#{pane_pid}')" -f hubassoc | head -n 1)
		[ -n "$TUI_PID" ] && break
		sleep 0.1
	done
}

keys() { local k; for k in "$@"; do TM send-keys -t t "$k"; done; }
# Each TEXT typed on the command line (:) and entered.
commands() { local c; for c in "$@"; do keys :; typein "$c"; keys Enter; done; }
typein() { TM send-keys -t t -l "$1"; }
paste_file() {
	TM load-buffer -b p "$1"
	TM paste-buffer -p -d -b p -t t
}
screen() { TM capture-pane -p -t t; }
# S, asked, y: sent as the screen then says ($1 names it, $2 the words).
send_yes() {
	keys S
	shows "S asks" "? [y/n]" 20 || exit 1
	keys y
	shows "$1" "$2" 20 || exit 1
}
screen_colours() { TM capture-pane -p -e -t t; }
row() { screen | sed -n "${1}p"; }
resize() { TM resize-window -t t -x "$1" -y "$2"; }
tui_exited() { screen | grep -q '^\[exited '; }

# wait_for TEXT [SECONDS]: polls the screen (every 20 ms) for TEXT.
wait_for() {
	local text=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 50; i++)); do
		case $(screen) in *"$text"*) return 0 ;; esac
		sleep 0.02
	done
	not_ok "screen shows '$text'" "$(screen)" "stderr: $(cat "$T_TMP/tui.err" 2>/dev/null)" \
		"$(cat "$TMPDIR"/hubassoc-stderr-* 2>/dev/null | head -20)"
	return 1
}

wait_gone() {
	local text=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 50; i++)); do
		case $(screen) in *"$text"*) ;; *) return 0 ;; esac
		sleep 0.02
	done
	not_ok "screen no longer shows '$text'" "$(screen)"
	return 1
}

# shows NAME TEXT: a test that waits for TEXT.
shows() { wait_for "$2" "${3:-10}" && ok "$1"; }

# The display width of each line of the text, one a line.
widths() {
	local l
	while IFS= read -r l; do printf '%s\n' "$l" | LC_ALL=C.UTF-8 wc -L; done
}
