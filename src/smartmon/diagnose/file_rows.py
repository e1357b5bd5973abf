"""Which file a report names without a line: a formatter's diff header, Spotless's list of files
with format violations, prettier --check's `[warn] path` rows. The finding then carries the file
alone (a reviewer opens it; there is no line to point at)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.locations import EXT
from smartmon.diagnose.repo_paths import repo_path

# Rows that name a file and no line: prettier --check's "[warn] src/server.js"; sbt-scalafmt's "[warn]
# /…/App.scala isn't formatted properly!" (2.4+: "[warn] scalafmt: /…/App.scala isn't formatted
# properly!", getkyo/kyo PR #1346; d2iq-archive/usi PR #154).
_FILE_ROW = re.compile(
    r"^\s*\[warn\] (?:scalafmt: )?(?P<file>[^\s\[][^\s]*"
    + EXT
    + r")(?: isn't formatted properly!)?\s*$"
)
# sbt repeats a failed task's message on its own "[error]" lines between the rows and the match:
# "[error] scalafmt: 1 files must be formatted (…)" above "[error] (Compile / scalafmtCheck) …".
_SBT_ERROR = re.compile(r"^\s*\[error\] ")


# A formatter's unified diff names the file it would change: "--- pkg/mod.py" / "+++ pkg/mod.py" (ruff
# format --diff, black --diff with a timestamp after a tab, isort's "--- /…/pkg/mod.py:before").
_DIFF_HEADER = re.compile(
    r"^(?:---|\+\+\+) (?:[ab]/)?(?P<file>[^\s:]+" + EXT + r")(?::before|:after)?(?:\t.*)?\s*$"
)


def diff_file(before: Sequence[str], cwd: str = "") -> str | None:
    """The first file a formatter's diff names among the lines before the match."""
    for text in before:
        m = _DIFF_HEADER.match(text)
        path = repo_path(m.group("file"), cwd) if m else None
        if path:
            return path
    return None


# Spotless lists the files it would reformat under its message, one indented row each: Gradle
# "> The following files had format violations:" then "      src/main/java/A.java" (LawnchairLauncher/
# lawnchair#3823), Maven with its prefix, "[ERROR] … spotless-maven-plugin:2.27.0:check (default) on
# project x: The following files had format violations:" then "[ERROR]     src\main\java\A.java"
# (asaikali/modern-spring-on-kubernetes#1); the diff of each file follows its row.
_VIOLATIONS_HEADER = re.compile(r"The following files had format violations:\s*$")
_VIOLATION_ROW = re.compile(r"^(?:\[ERROR\]|Error:)?\s+(?P<file>[^\s@+-][^\s]*" + EXT + r")\s*$")


def violations_file(lines: Sequence[str], cwd: str = "") -> str | None:
    """The first file a formatter lists under "The following files had format violations:"."""
    for i, text in enumerate(lines):
        if _VIOLATIONS_HEADER.search(text):
            m = _VIOLATION_ROW.match(lines[i + 1]) if i + 1 < len(lines) else None
            return repo_path(m.group("file"), cwd) if m else None
    return None


def listed_file(before: Sequence[str], cwd: str = "") -> str | None:
    """The first of the file-only rows (prettier's `[warn] path`) just above the match."""
    found: str | None = None
    skipped = 0
    for prev in reversed(before):
        m = _FILE_ROW.match(prev)
        if not m:
            if found is None and skipped < 2 and _SBT_ERROR.match(prev):
                skipped += 1
                continue
            break
        found = repo_path(m.group("file"), cwd) or found
    return found
