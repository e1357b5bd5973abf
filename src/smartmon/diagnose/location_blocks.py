"""Reports that put a finding's file and its line on different lines.

Secret scanners' and Spotless's "File:"/"Line:" blocks, PHP_CodeSniffer's full report, and miette's
code frames under a diagnostic's head.
`location_search.py` asks these when no line carries both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.repo_paths import repo_path

# Secret scanners print each finding as a block of "Key: value" lines, the place in two of them:
# gitleaks -v "File:        deploy/config.json" then "Line:        14" (gitleaks/gitleaks #1439),
# trufflehog v3 "File: keys.txt" then "Line: 4". Their tally comes after the last block. Spotless
# names the file a step failed on, then the place: "Step 'ktlint' found problem in 'src/main/java/
# Main.kt':" over "Error on line: 337, column: 41" (diffplug/spotless PR #1279; on Windows
# 'app\\src\\main\\…\\MainActivity.kt', #309), under Gradle's failed task.
_BLOCK_FILE = re.compile(
    r"^\s*(?:File:\s+(?P<file>[^\s:]\S*)|Step '[^']+' found problem in '(?P<step_file>[^']+)':)\s*$"
)
_BLOCK_LINE = re.compile(r"^\s*(?:Line:\s+|Error on line: )(?P<line>\d+)(?:, column: \d+)?\s*$")


def first_finding_block(before: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The place of the first "File:"/"Line:" finding block above a scanner's tally."""
    found: tuple[str, str] | None = None
    line: str | None = None
    since = 0
    for text in reversed(before[-500:]):
        since += 1
        m = _BLOCK_LINE.match(text)
        if m:
            line, since = m.group("line"), 0
            continue
        m = _BLOCK_FILE.match(text)
        if m and line is not None and since <= 3:
            path = repo_path(m.group("file") or m.group("step_file"), cwd)
            if path:
                found = (path, line)
            line = None
    return found


def finding_block_below(after: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The place in the "File:"/"Line:" block right under a finding's head line, up to the blank
    line that ends it (trufflehog's "✅ Found verified result 🐷🔑" then its "Key: value" rows)."""
    block: list[str] = []
    for text in after[:20]:
        if not text.strip():
            break
        block.append(text)
    return first_finding_block(block, cwd)


# PHP_CodeSniffer's full report: "FILE: /…/src/Home.php", a rule, "FOUND 1 ERROR AFFECTING 1 LINE", a
# rule, then rows " 12 | ERROR | [x] Expected 1 space …" (a WARNING row does not fail the run).
_PHPCS_FILE = re.compile(r"^FILE: (?P<file>\S.*?)\s*$")
_PHPCS_ROW = re.compile(r"^\s*(?P<line>\d+) \| ERROR +\|")


def phpcs_location(
    before: Sequence[str], after: Sequence[str], cwd: str = ""
) -> tuple[str, str] | None:
    """The first ERROR row of the phpcs report block around its "FOUND n ERRORS" line."""
    path: str | None = None
    for prev in reversed(before[-3:]):
        m = _PHPCS_FILE.match(prev)
        if m:
            path = repo_path(m.group("file"), cwd)
            break
    if not path:
        return None
    for text in after[:40]:
        if _PHPCS_FILE.match(text):
            return None
        row = _PHPCS_ROW.match(text)
        if row:
            return path, row.group("line")
    return None


# miette's reports (oxlint): a head "  x eslint(no-debugger): …" ("×"; a warning is "!" or "⚠") over its
# frame "   ,-[src/routes/users.ts:14:5]" or "   ╭─[src/app.ts:3:7]", the tally after the last one.
_MIETTE_HEAD = re.compile(r"^\s*(?P<mark>[x×!⚠])\s+\S")
_MIETTE_FRAME = re.compile(r"^\s*(?:,-|╭─)\[ ?(?P<file>[^\]\s]+?):(?P<line>\d+):\d+ ?\]\s*$")


def first_frame_block(before: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The place of the first error's frame above a miette tally (else the first warning's)."""
    warning: tuple[str, str] | None = None
    mark: str | None = None
    for text in before[-400:]:
        head = _MIETTE_HEAD.match(text)
        if head:
            mark = head.group("mark")
            continue
        frame = _MIETTE_FRAME.match(text)
        if frame and mark:
            path = repo_path(frame.group("file"), cwd)
            if path and mark in "x×":
                return path, frame.group("line")
            warning = warning or ((path, frame.group("line")) if path else None)
            mark = None
    return warning


# editorconfig-checker's default report: each file on its own line, its rows indented under it, "path:"
# then "\t19: Wrong amount of left-padding spaces(want multiple of 4)" or a range "\t23-24: …", all
# blocks together above the tally "3 errors found" (editorconfig-checker/editorconfig-checker's
# validation messages; pre-commit's hook prints the same).
_EC_HEAD = re.compile(r"^(?P<file>(?:[\w.@+-]+/)*[\w@+-]*(?:\.[\w+-]+|file)):\s*$")
_EC_ROW = re.compile(r"^\s+(?P<line>\d+)(?:-\d+)?: \S")


def file_rows_block(before: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The first row of the first file of an editorconfig-checker report just above its tally."""
    found: tuple[str, str] | None = None
    row: str | None = None
    lines = list(before[-400:])
    while lines and not lines[-1].strip():
        lines.pop()
    for text in reversed(lines):
        m = _EC_ROW.match(text)
        if m:
            row = m.group("line")
            continue
        head = _EC_HEAD.match(text.strip())
        if not head or row is None:
            break
        path = repo_path(head.group("file"), cwd)
        found = (path, row) if path else found
        row = None
    return found
