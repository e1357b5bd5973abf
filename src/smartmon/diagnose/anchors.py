"""Rule patterns as the classifier runs them over raw log blocks.

A rule's `^` means "start of the cleaned line". Blocks keep their timestamps (rewriting 256 MB of
text would cost more than all the matching), so each `^` is widened to also match after a timestamp
and a Docker BuildKit prefix. The RE2 set runs these exact patterns, so a hit it reports needs no
second, looser pass to confirm it.
"""

from __future__ import annotations

import re

# The runner's timestamp ("2025-03-04T10:11:12.3456789Z "), written loosely: the widened `^` is
# repeated at every anchor of ~900 rules, and RE2 compiles the set's program in time proportional to
# its size (the exact form cost a cold start 8 ms more, for no difference in what matches). Docker
# BuildKit prefixes each build line with `#<step> <seconds> `; Nix quotes a failed builder's last
# lines as "       > error[E0425]: …" under "error: builder for '/nix/store/…drv' failed"
# (raexera/yuki #13, tiiuae/ghaf #307). Rules see past both.
_TS = r"(?:\d{4}-[\d:.T-]+Z ?)?(?:#\d+ [\d.]+ | {2,}> )?"
# Monorepo runners put the task in front of each line (turbo "web:build: ", pnpm -r "apps/web build:
# ", as locations.TASK_PREFIX; Yarn Berry's "➤ YN0000: [@acme/api]: ", lerna's "@scope/pkg: " and
# "lerna ERR! ", concurrently's "[1] ", Docker Compose's "web-1  | ", Playwright's "[WebServer] ", as
# relayed_lines.RELAY_PREFIX); charmcraft and the other craft tools relay a part's build output
# behind ":: ", once per level ("::    ::             error: Unable to execute 'cargo' …" from pip
# inside charmcraft pack, canonical/bundle-kubeflow #648).
# Rules see past it too, but only in blocks that have such a line (`TASK_LINE`, one pattern in the
# set): the prefix at each of ~900 anchors made the set's DFA larger and every block slower (the
# 256 MiB yardstick: 1.15-1.23x grep with it, 1.05x without).
_TASK = (
    r"(?:(?:@[\w.-]+/)?[\w.-]+:[A-Za-z][\w:-]*: |(?:[\w.@-]+/)+[\w.-]+ [A-Za-z][\w:-]*: "
    r"|➤ YN\d{4}: (?:\[(?:@[\w.-]+/)?[\w.-]+\]: )?|\[(?:@[\w.-]+/)?[\w.-]+\]: "
    r"|@[\w.-]+/[\w.-]+: |lerna ERR! |\[(?:\d+|[\w.-]+:[\w.:-]+)\] |(?:[\w.-]+[-_]\d+ +\| )?\[WebServer\] "
    r"|[\w.-]+[-_]\d+ +\| | ?::(?: +::)* )"
)
TASK_LINE = ("(?m)^" + _TS + _TASK).encode()


# What a pattern is made of, for finding its anchors: an escape, a character class (a leading `^`
# and `]` are part of it), or a bare `^`. Each `^` outside a class is an anchor. One substitution,
# not a character loop: every cold start widens ~600 anchors in ~200 KB of patterns.
_TOKEN = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|\^")


def anchor_timestamps(pattern: str, anchor: str = "^" + _TS + _TASK + "?") -> str:
    """Let each `^` outside a character class also match after a log timestamp (and a task)."""
    return _TOKEN.sub(lambda m: anchor if m.group() == "^" else m.group(), pattern)


def compile_exact(pattern: str, *, tasks: bool = True) -> bytes:
    """The pattern as the exact matcher runs it over a block (multi-line, timestamps allowed, and a
    monorepo task's prefix unless `tasks` is False)."""
    anchor = "^" + _TS + (_TASK + "?" if tasks else "")
    return ("(?m)" + anchor_timestamps(pattern, anchor)).encode()
