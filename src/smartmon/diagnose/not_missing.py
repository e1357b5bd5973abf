"""Lines that say something is missing when nothing is: a shell keyword or a line of prose taken for
a program, a command whose arguments Clipanion refused, a blank passphrase no step used. `settle`
clears them.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, JobState
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


# A line of prose the shell ran (a comment that lost its "#"): its capitalised first word, which no
# program on a Linux runner is named; shell-prose-line-run-as-command (20-setup) reads such a line.
_PROSE_WORDS = frozenset(
    [
        "If",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "We",
        "It",
        "When",
        "Otherwise",
        "Please",
        "Note",
        "NOTE",
        "TODO",
        "Because",
        "Since",
    ]
)


# As the scan reads a match's captures: a step-first rule's line that names one of these names no
# program, so a later line of its step that does is the one kept (scan.py, parallel.py).
NOT_PROGRAMS = frozenset(word.encode() for word in _SHELL_WORDS | _PROSE_WORDS)


def shell_word_as_program(hit: Hit) -> bool:
    """A missing program whose name is a shell's reserved word, or a word that opens a sentence."""
    return hit.rule.type is IssueType.MISSING_TOOL and (
        hit.data.get("command") in _SHELL_WORDS or hit.data.get("command") in _PROSE_WORDS
    )


PROSE_WHY = "cleared: a program the job really lacks is missing too, and is the cause"


def prose_behind_missing_tool(state: JobState) -> None:
    """Clear the prose line's hits (`checks: [missing-tool-wins]`) while a missing program that is
    no shell or prose word is left in the job: the script's stray sentence ran, and a real tool is
    missing ("line 4: jq: command not found" above "line 7: Note: command not found")."""
    live = [h for i, h in state.hits.items() if i not in state.cleared and not h.rule.advisory]
    if not any(
        h.rule.type is IssueType.MISSING_TOOL and not shell_word_as_program(h) for h in live
    ):
        return
    for index, hit in state.hits.items():
        if "missing-tool-wins" in hit.rule.checks and index not in state.cleared:
            state.cleared[index] = PROSE_WHY


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
