"""Lines that say something is missing when nothing is: a shell keyword taken for a program, a
command whose arguments Clipanion refused, a blank passphrase no step used. `settle` clears them.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.model import IssueType

# A shell without compound commands names their keywords as programs it cannot find: Bun's own
# shell runs package.json scripts and has no `for` loop ("bun: command not found: for", then "do" and
# "done", as bun users' project notes quote it). Nothing is missing; the script's syntax is refused.
_SHELL_WORDS = frozenset(
    [
        "if",
        "then",
        "elif",
        "else",
        "fi",
        "for",
        "while",
        "until",
        "do",
        "done",
        "case",
        "esac",
        "select",
        "in",
    ]
)


def shell_word_as_program(hit: Hit) -> bool:
    """A missing program whose name is a shell's reserved word."""
    return hit.rule.type is IssueType.MISSING_TOOL and hit.data.get("command") in _SHELL_WORDS


# Clipanion (Yarn 2+) says "Command not found" also when a known command refuses its arguments:
# the first suggestion then starts with the command it was running ("  0. yarn add [--json] …" over
# "While running add turbo@latest --dev -W", a Yarn 1 flag under Yarn 4). That is a usage error.
_CLIPANION_FIRST = re.compile(r"^\s*(?:0\.|\$) \S+ (?P<verb>[\w:-]+)")
_CLIPANION_RUNNING = re.compile(r"^\s*While running (?P<verb>[\w:-]+)")


def clipanion_usage(hit: Hit) -> bool:
    """A rule with `checks: [command-not-suggested]` whose command is the first one suggested."""
    if "command-not-suggested" not in hit.rule.checks:
        return False
    first = running = None
    for line in hit.after[:20]:
        if first is None and (m := _CLIPANION_FIRST.match(line)):
            first = m["verb"]
        elif m := _CLIPANION_RUNNING.match(line):
            running = m["verb"]
            break
    return first is not None and first == running


# A blank passphrase in a job's env block is a fork's or Dependabot's run like any blank secret, but
# unlike a token no refusal names it: it counts only where the step then signs or decrypts.
_SIGNING = re.compile(r"\bgpg\b|\bsign|\bdecrypt", re.IGNORECASE)


def passphrase_unused(hit: Hit) -> bool:
    """A blank `*PASSPHRASE` env entry (`checks: [empty-secret]`) with no gpg, signing or decrypting
    line in the step below it."""
    if "empty-secret" not in hit.rule.checks or "passphrase" not in hit.data.get("var", "").lower():
        return False
    for line in hit.after:
        if STEP_HEADER.match(line):
            return True
        if _SIGNING.search(line):
            return False
    return True
