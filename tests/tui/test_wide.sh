#!/usr/bin/env bash
# Text is measured in display columns: a CJK label (two columns a
# character), a combining accent (none) and an emoji (two) line up.
. "$(dirname "$0")/tui_lib.sh"

tui_start 100 24 --sandbox
wait_for "Paste pairs" || exit 1
commands "from deals" "to contacts"
wait_for "From deals (0-3)  to contacts (0-1)" || exit 1
keys y
shows "the labels are listed" "決裁者" || exit 1
wait_for $'Cafe\xcc\x81 \xf0\x9f\x91\x8d' || exit 1
# The box's lines, up to its right edge (what is behind it may follow).
box() { screen | grep '│' | LC_ALL=C.UTF-8 sed 's/│[^│]*$/│/'; }
is "every line of the box ends in the same column" "$(box | widths | sort -u | wc -l)" 1
like "the box's edge follows the CJK label" "$(screen | grep -F '決裁者')" "│"
is "the label column starts where the others do" \
	"$(screen | grep -E '\[ \] ' | sed -E 's/(決裁者|Caf|\(unlabeled\)).*//' | widths | sort -u | wc -l)" 1

keys Down
keys Space
keys Enter
shows "the CJK label is chosen" "as USER_DEFINED:46 (deal to contact, 決裁者)" || exit 1

keys q
wait_for "[exited 0]"

# The picker's box at a width that cuts the label: cut by columns, whole
# characters only, with an ellipsis.
tui_start 60 20 --sandbox
wait_for "Paste pairs" || exit 1
commands "from deals" "to contacts"
keys y
wait_for "決裁者" || exit 1
is "at 60 columns the box is whole" "$(box | widths | sort -u | wc -l)" 1
like "the long line is cut with an ellipsis" "$(screen)" "…"
keys q
# A wide screen gives TYPES room: a third column of two types is whole at
# 220 columns (16 at 80, as before); the column is as wide as its widest
# cell, the header with it.
printf '1001,2001,USER_DEFINED:36;HUBSPOT_DEFINED:279\n' > "$T_TMP/two.csv"
tui_start 220 30 --sandbox
wait_for "Paste pairs" || exit 1
commands "load $T_TMP/two.csv"
shows "the row's two types, whole at 220 columns, HUBSPOT_DEFINED as --type takes it" "USER_DEFINED:36;279 " || exit 1
like "and the header's TYPES is as wide" "$(screen | grep 'LINE FROM')" "TYPES               STATE"
tui_kill
tui_start 80 24 --sandbox
wait_for "Reopen session" || exit 1
keys y
wait_for "USER_DEFINED:3" || exit 1
like "cut at 80 columns, as before, a space before the state" "$(screen | grep 1001)" "USER_DEFINED:3… no dir"
done_testing
