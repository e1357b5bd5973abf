"""A command whose exit status was thrown away: what it printed is no cause.

`cmd || true` (`|| :`, `|| exit 0`, `|| echo "skipped"`) as make or a script echoes it, `+ true` as
`bash -x` traces what ran after the failing command, make's `-` prefix ("make: [Makefile:12: lint]
Error 1 (ignored)"), and a step whose whole script is such commands (`run: flake8 . || true`).
A paste often keeps only the step's "Run cmd || echo \"msg\"" title, not its script: the echo's
message printed under the error says that branch ran (`npm publish … || echo "⏭️ SDK already
published"` under npm's E404, cyberlife-coder/VelesDB PR #973; `cargo publish … || echo "…skipping"`,
fabracht/tla-rs PR #91). The same message under a script line's `|| echo` says so too: under
`bash -e` a failure before that command would have ended the script before its echo could run
(`git commit … || echo "No changes"` under a pre-commit hook's failing tests, and the release job went
on to publish: hiroyaiizuka/taskchute-for-obsidian PR #125).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

_HEADER_SHELL = re.compile(r"^\s*shell: \S")

_SWALLOWED = re.compile(r"\|\|\s*(?:true|:|exit 0|echo\b(?:[^|&;]|>&\d)*)\s*;?\s*$")
_ECHO_BRANCH = re.compile(r"\|\|\s*echo\s+([\"']?)(?P<msg>[^\"'|&;]+)\1\s*;?\s*$")
_TRACED_TRUE = re.compile(r"^\++ (?:true|:|exit 0)\s*$")
_MAKE_IGNORED = re.compile(r"^(?:g?make)(?:\[\d+\])?: \[.*\] Error \d+ \(ignored\)")
_TRACED = re.compile(r"^(?:\++|\$) \S")
# A command shown indented after a prompt is a tool's advice, not a command that ran: semgrep's
# audit-mode deprecation banner "Your CI script should run this command to ignore findings:" /
# "    $ semgrep ci || true" above the `semgrep ci` it did run (hashintel/hash PR #645).
_ADVICE = re.compile(r"^\s+\$ \S")


def swallowed(hit: Hit) -> bool:
    """The command that printed the hit had its exit status thrown away."""
    for line in hit.after:
        if _MAKE_IGNORED.match(line) or _TRACED_TRUE.match(line):
            return True
        if _TRACED.match(line) or line.startswith("##["):
            break
    before = hit.before
    for i in range(len(before) - 1, -1, -1):
        line = before[i]
        if line.startswith("##[endgroup]") or _HEADER_SHELL.match(line):
            # The hit is the output of the step's script itself: swallowed only when every
            # command of that script is (`run: flake8 . || true`).
            start = next((j for j in range(i - 1, -1, -1) if STEP_HEADER.match(before[j])), None)
            if start is None:
                return False
            script = before[start + 1 : i]
            return script_swallowed(script) or any(_echo_branch_ran(c, hit.after) for c in script)
        if STEP_HEADER.match(line):
            return _echo_branch_ran(line, hit.after)
        if _SWALLOWED.search(line) and not _ADVICE.match(line):
            return True
        if _TRACED.match(line):
            return False  # the command that ran last before the hit kept its status
    return False


def _echo_branch_ran(header: str, after: tuple[str, ...]) -> bool:
    """A step's `cmd || echo "msg"` (its title or a line of its script) printed its message below the hit."""
    m = _ECHO_BRANCH.search(header)
    if m is None:
        return False
    msg = m["msg"].strip()
    for line in after:
        if STEP_HEADER.match(line) or line.startswith("##["):
            return False
        if line.strip() == msg:
            return True
    return False


def script_swallowed(header: tuple[str, ...]) -> bool:
    """A step header's script (the lines before its `shell:`) is all swallowed commands."""
    commands: list[str] = []
    for line in header:
        if _HEADER_SHELL.match(line) or line.startswith("##[endgroup]"):
            break
        if line.strip():
            commands.append(line)
    return bool(commands) and all(_SWALLOWED.search(c) for c in commands)
