"""Zephyr's `west boards --format` names a board field its Zephyr does not have: a workflow written
for another Zephyr release than the one the west manifest checked out.

Zephyr's scripts/west_commands/boards.py formats each board with the fields of its release:
`args.format.format(name=board.name, arch=board.arch, dir=board.dir)` before the hardware model v2,
then `revision_default`, `revisions`, `hwm` and `qualifiers` beside them, and since the v2-only
listing `full_name` and `vendor` with no `arch`. A field of another release ends the traceback in
that call: "  File \"/tmp/zmk-config/zephyr/scripts/west_commands/boards.py\", line 87, in do_run" /
"    log.inf(args.format.format(name=board.name, arch=board.arch," / "KeyError: 'qualifiers'" when
zmkfirmware/zmk's build-user-config.yml@main checks boards against a config pinned to ZMK v0.3
(kumamuk-git/zmk-config-roBa #126, hitsmaxft/zmk-keyboard-cornix #26,
petejohanson/blank-slate-zmk-config #16). The same KeyError from any other code is not this.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STAMP_PREFIX

_BOARDS_FRAME = re.compile(r'File "[^"]*west_commands[/\\]boards\.py", line \d+, in do_run\b')
_FORMAT_CALL = re.compile(r"\bargs\.format\.format\(")
# The last frame's `File "…"` line, its source rows (Python 3.13 prints a multi-line call whole) and
# the caret rows under them (Python 3.11+) sit just above the exception: walk back over those to the
# frame's line, at most this many rows.
_CARET_ROW = re.compile(r"^\s*[~^]+\s*$")
_SOURCE_ROW = re.compile(r"^\s+\S")
_FILE_ROW = re.compile(r'^\s*File "')
_FRAME_ROWS = 12
_STAMP = re.compile("^" + STAMP_PREFIX)


def not_west_boards_format(hit: Hit) -> bool:
    """A rule with `checks: [west-boards-format-above]` whose KeyError is not raised by the boards
    command's format call (the traceback's last frame just above it)."""
    if "west-boards-format-above" not in hit.rule.checks:
        return False
    rows: list[str] = []
    for row in (_STAMP.sub("", line, count=1) for line in reversed(hit.before[-_FRAME_ROWS:])):
        if _FILE_ROW.match(row):
            framed = _BOARDS_FRAME.search(row) is not None
            return not (framed and any(_FORMAT_CALL.search(source) for source in rows))
        if not (_CARET_ROW.match(row) or _SOURCE_ROW.match(row)):
            break
        rows.append(row)
    return True
