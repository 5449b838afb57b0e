#!/usr/bin/env bash
# --sandbox keeps its portal under the state directory: a session sent to
# it in one run is verified and undone in the next, and --sandbox-reset
# starts afresh, as the header says.
. "$(dirname "$0")/tui_lib.sh"

tui_start 110 30 --sandbox
wait_for "Paste pairs" || exit 1
like "the header: a sandbox with a new portal" "$(row 1)" "sandbox, new"
commands "demo" "type 279"
wait_for "valid in 1 request" || exit 1
keys S
wait_for "[y/n]" 20 || exit 1
keys y
shows "the send completes" "complete: 103 created" 20 || exit 1
keys q
wait_for "[exited 0]" || exit 1
is "the portal's file, 0600" "$(stat -c %a "$XDG_STATE_HOME/hubassoc/sandbox/portal")" 600

# The next run finds the pairs it created: verify confirms them.
tui_start 110 30 --sandbox
wait_for "Paste pairs" || exit 1
like "the header: the portal kept" "$(row 1)" "sandbox, kept"
keys 5
wait_for "SESSION              STATE" || exit 1
keys V
shows "verify in a later run: every pair there" "103 confirmed, 0 missing" 20 || exit 1
keys 5
wait_for "SESSION              STATE" || exit 1
keys u
wait_for "[y/n]" 20 || exit 1
keys y
shows "undo in a later run" "undone: 103 pairs archived" 20 || exit 1
keys q
wait_for "[exited 0]" || exit 1

tui_start 110 30 --sandbox
wait_for "Paste pairs" || exit 1
keys 5
wait_for "SESSION              STATE" || exit 1
keys V
shows "and the next sees the undo hold" "the undo holds for 103, not for 0" 20 || exit 1
keys q
wait_for "[exited 0]" || exit 1

# --sandbox-reset: the seeded portal, said in the header.
tui_start 110 30 --sandbox-reset
wait_for "Paste pairs" || exit 1
like "the header: the portal reset" "$(row 1)" "sandbox, reset"
keys q
wait_for "[exited 0]" || exit 1

# A created pair deleted from the pairs stays on the portal, and it is
# said (before: "line 2 deleted" alone, read as the pair gone).
tui_start 110 30 --sandbox
wait_for "Paste pairs" || exit 1
commands "demo" "type 279"
wait_for "valid in 1 request" || exit 1
send_yes "the send completes" "complete: 103 created"
sid=$(basename "$(ls -t "$XDG_STATE_HOME"/hubassoc/sessions/*.jsonl | head -n 1)" .jsonl)
keys 1 g d
shows "a created pair deleted: said to stay on the portal" "line 2 deleted from the pairs; what session $sid wrote of it stays on the portal" || exit 1
keys q
wait_for "[exited 0]" || exit 1
# The next start offers it back with its direction and what it made
# (before: "110 rows" alone).
tui_start 110 30 --sandbox
shows "the offer: direction and what it made" "(110 rows of contacts to companies, 103 created, pairs changed since its" || exit 1
keys n
keys q
done_testing
