"""Which file a report names without a line: a formatter's diff header, the files a formatter's
check lists under its header (Spotless, mix format, JuliaFormatter), prettier --check's `[warn]
path` rows, mypy's errors about a whole file. The finding then carries the file alone (a reviewer
opens it; there is no line to point at)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.locations import EXT, TASK_PREFIX
from smartmon.diagnose.repo_paths import repo_path

# Rows that name a file and no line: prettier --check's "[warn] src/server.js", dart format's "Changed
# bin/app.dart" above its tally (dart-lang/sdk #44582), sbt-scalafmt's "[warn] /…/App.scala isn't
# formatted properly!" (2.4+: "[warn] scalafmt: /…/App.scala isn't formatted properly!", getkyo/kyo
# PR #1346; d2iq-archive/usi PR #154; its ScalafmtPlugin.warnBadFormat).
_FILE_ROW = re.compile(
    r"^\s*(?:\[warn\](?: scalafmt:)?|Changed) (?P<file>[^\s\[][^\s]*"
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


# deno fmt --check heads each file's diff "from /home/runner/work/app/app/src/mod.ts:" (denoland/deno
# #9387 shows it on Windows).
_FROM_HEADER = re.compile(r"^from (?P<file>\S+" + EXT + r"):\s*$")


def diff_file(before: Sequence[str], cwd: str = "") -> str | None:
    """The first file a formatter's diff names among the lines before the match."""
    for text in before:
        m = _DIFF_HEADER.match(text) or _FROM_HEADER.match(text)
        path = repo_path(m.group("file"), cwd) if m else None
        if path:
            return path
    return None


# A formatter's check that lists the files it would change under a header, one row each:
# Spotless, Gradle "> The following files had format violations:" then "      src/main/java/A.java"
# (LawnchairLauncher/lawnchair#3823), Maven with its prefix, "[ERROR] … spotless-maven-plugin:2.27.0:
# check (default) on project x: The following files had format violations:" then "[ERROR]
# src\main\java\A.java" (asaikali/modern-spring-on-kubernetes#1); `mix format --check-formatted`,
# "The following files were not formatted:" / (Elixir 1.11+) "are not formatted:", then a blank line
# and "  * lib/x.ex" (bernardolins/fake_server PR #50), bare rows with a diff under each since 1.15
# (BeamLabEU/phoenix_kit #767); JuliaFormatter's check, Julia's log box "┌ Error: Some files have not
# been formatted !!!" with the files inside it (julia-actions/julia-format #9) or, in the action's
# format_check.yml, printed after its "└ @ Main none:6" tail.
_VIOLATIONS_HEADER = re.compile(
    r"(?:The following files (?:had format violations|(?:are|were) not formatted):"
    r"|Some files have not been formatted\b.*)\s*$"
)
_VIOLATION_ROW = re.compile(
    r"^(?:\[ERROR\]|Error:)?\s*(?:\* )?(?P<file>[^\s@+*-][^\s]*" + EXT + r")\s*$"
)
# Lines between the header and its first row: blank lines, the rest of Julia's log box.
_ROW_GAP = re.compile(r"^\s*(?:[└│]\s.*)?$")


def violations_file(lines: Sequence[str], cwd: str = "") -> str | None:
    """The first file a formatter lists under its header ("The following files had format
    violations:", "… are not formatted:", "Some files have not been formatted")."""
    for i, text in enumerate(lines):
        if _VIOLATIONS_HEADER.search(text):
            rows = [t for t in lines[i + 1 : i + 4] if not _ROW_GAP.match(t)]
            m = _VIOLATION_ROW.match(rows[0]) if rows else None
            return repo_path(m.group("file"), cwd) if m else None
    return None


def listed_file(before: Sequence[str], cwd: str = "") -> str | None:
    """The first of the file-only rows (prettier's `[warn] path`) just above the match, behind a
    monorepo runner's task prefix too (pnpm -r "apps/web format:check: [warn] src/x.tsx", turbo
    "web:format: [warn] …"; the path is the package's, which `cwd` names)."""
    found: str | None = None
    skipped = 0
    for prev in reversed(before):
        m = _FILE_ROW.match(TASK_PREFIX.sub("", prev, count=1))
        if not m:
            if found is None and skipped < 2 and _SBT_ERROR.match(prev):
                skipped += 1
                continue
            break
        found = repo_path(m.group("file"), cwd) or found
    return found


# mypy's errors about a whole file carry no line: "scripts/nlu/metrics.py: error: Source file found
# twice under different module names: …" (iai-group/UserSimCRS #196), "Duplicate module named …". They
# sit above mypy's tally and under pre-commit's "mypy....Failed" head. A script's argparse prints
# "run.py: error: unrecognized arguments: …", which names no file's error.
_FILE_ERROR_ROW = re.compile(
    r"^\s*(?:##\[error\]|Error: )?(?P<file>(?:[A-Za-z]:)?[^\s:]+\.pyi?): error: "
    r"(?:Source file found twice|Duplicate module named|INTERNAL ERROR)"
)
# How far from the match such rows are looked for.
_FILE_ERROR_SPAN = 30


# The same row names the file's two module names: 'Source file found twice under different module
# names: "app.services.db" and "backend.api.app.services.db"' (quoted '…' before mypy 0.990). From a
# subfolder mypy prints the path climbing out of it ("../../backend/api/app/services/db.py",
# nupurmadaan04/SOUL_SENSE_EXAM PR #507); the longer name spells the path from the root it crawled to.
_MODULE_NAMES = re.compile(r"""module names: (["'])(?P<a>[\w.]+)\1 and (["'])(?P<b>[\w.]+)\3""")


def _named_path(raw: str, text: str) -> str | None:
    """A climbing path (`../../x/y.py`) spelled from the root by the module name that ends it."""
    m = _MODULE_NAMES.search(text)
    tail = raw.replace("\\", "/")
    if not m or not tail.startswith("../"):
        return None
    for name in sorted((m.group("a"), m.group("b")), key=len, reverse=True):
        stem = name.replace(".", "/")
        for path in (f"{stem}.py", f"{stem}.pyi", f"{stem}/__init__.py"):
            if tail.endswith("/" + path):
                return path
    return None


def file_error_file(before: Sequence[str], after: Sequence[str], cwd: str = "") -> str | None:
    """The first file-level error row (`path.py: error: …`) of those above the match, else below it."""
    for lines in (before[-_FILE_ERROR_SPAN:], after[:_FILE_ERROR_SPAN]):
        for text in lines:
            m = _FILE_ERROR_ROW.match(text)
            if not m:
                continue
            path = repo_path(m.group("file"), cwd) or _named_path(m.group("file"), text)
            if path:
                return path
    return None


# PHP_CodeSniffer's summary report (`--report=summary`, src/Reports/Summary.php) lists each file with
# its counts under "FILE  …  ERRORS  WARNINGS", then "A TOTAL OF 3 ERRORS AND …": the first row
# with errors is the file (a row with warnings only did not fail the check).
_SUMMARY_HEAD = re.compile(r"^\s*FILE\s{2,}ERRORS\s+WARNINGS\s*$")
_SUMMARY_ROW = re.compile(r"^\s*(?P<file>\S+" + EXT + r")\s+(?P<errors>\d+)\s+\d+\s*$")


def summary_table_file(before: Sequence[str], cwd: str = "") -> str | None:
    """The first file with errors in the per-file count table just above the match."""
    rows: list[str] = []
    for prev in reversed(before[-60:]):
        if _SUMMARY_HEAD.match(prev):
            for row in reversed(rows):
                m = _SUMMARY_ROW.match(row)
                if m and m.group("errors") != "0":
                    return repo_path(m.group("file"), cwd)
            return None
        rows.append(prev)
    return None


# Link checkers head each file's dead links with the file: markdown-link-check "FILE: ./docs/x.md"
# above its rows and its "ERROR: 3 dead links found!" tally (gaurav-nelson/github-action-markdown-
# link-check #169, nf-core/website #1110); lychee's compact report "[docs/x.md]:" under "Issues found
# in 1 input. Find details below.", its detailed one "Errors in docs/x.md" under the "🚫 Errors....1"
# row (lycheeverse/lychee's formatters/stats compact.rs, detailed.rs). A URL input has no file.
_CHECKED_FILE = re.compile(
    r"^\s*(?:FILE: (?P<mlc>[^\s:]\S*" + EXT + r")|\[(?P<compact>[^\s\]:]+" + EXT + r")\]:"
    r"|Errors in (?P<detailed>[^\s:]\S*" + EXT + r"))\s*$"
)
# How far a link checker's file header is looked for (a verbose run lists every link it checked).
_CHECKED_SPAN = 300


def checked_file(before: Sequence[str], after: Sequence[str], cwd: str = "") -> str | None:
    """The file of a link checker's report: the header nearest above the match, else just below."""
    for lines in (reversed(before[-_CHECKED_SPAN:]), after[:5]):
        for text in lines:
            m = _CHECKED_FILE.match(text)
            if m:
                return repo_path(m.group("mlc") or m.group("compact") or m.group("detailed"), cwd)
    return None
