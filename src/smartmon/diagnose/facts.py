"""Facts by output format, not by rule: where a tool says file and line, and which action a step ran.

Tools print locations in a handful of shapes, whatever the error; one extractor per shape serves
every rule, so a new rule gets `file`/`line` for free and a new tool's shape is added once:

- `path:line[:col]` (gcc, clang, tsc --pretty false, eslint -f unix, ruff, flake8, mypy, go vet, shellcheck gcc)
- `path(line,col)` (MSBuild, tsc's default)
- `--> path:line:col` (rustc, cargo)
- `File "path", line N` (Python tracebacks: the innermost frame inside the repository)
- `path (Line: N, Col: M)` (the runner's validation of workflows and action.yml)
- `in "path", line N, column M` (PyYAML)
- eslint's stylish format: the file alone on a line, then `  16:7  error  …` lines under it

Paths are made repository-relative: the runner's checkout folders (`/home/runner/work/<r>/<r>/`,
`/__w/<r>/<r>/`, `D:\\a\\<r>\\<r>\\`, `/Users/runner/work/<r>/<r>/`, `/github/workspace/`) and `./`
are removed and backslashes become slashes. Paths outside the checkout (site-packages, the tool
cache) are never a finding's `file`.

The action a step ran comes from its header (`Run owner/name@ref`) or, when the log has no headers,
from the set-up lines (`Download action repository 'owner/name@ref'`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.api_requests import request_need

# Where the runner checks a repository out, on each OS and in containers (github-api.md §2).
_CHECKOUT = re.compile(
    r"^(?:/home/runner/work/[^/]+/[^/]+/"
    r"|/__w/[^/]+/[^/]+/"
    r"|/Users/runner/work/[^/]+/[^/]+/"
    r"|/github/workspace/"
    r"|[A-Za-z]:[\\/]a[\\/][^\\/]+[\\/][^\\/]+[\\/]"
    r"|/home/runner/_work/[^/]+/[^/]+/"
    r"|[A-Za-z]:[\\/]actions-runner[\\/]_work[\\/][^\\/]+[\\/][^\\/]+[\\/])"
)
# Not the repository's files: installed packages, toolchains, the runner's own folders.
_OUTSIDE = re.compile(
    r"(?:site-packages|dist-packages|hostedtoolcache|/usr/(?:lib|local|include)/|/opt/"
    r"|node_modules/|\.cargo/registry|/go/pkg/mod/|<frozen |<string>|\.pyenv/|/_temp/|\\_temp\\"
    r"|^/tmp/|^<)",
    re.IGNORECASE,
)
_FILE_CHARS = r"[\w.@+~\-/\\]"
_EXT = r"\.[A-Za-z][\w+]{0,9}"
# A line may start with a runner tag, an annotation word or a tool's own prefix before the path.
_PREFIX = (
    r"^(?:##\[(?:error|warning)\]|Error: |Warning: |error: |ERROR:? |\s*E\s+|\s*[-*]\s+|\s*\d+\s+"
    r"|\[[\w-]+\]\s+|\s*)?"
)
_COLON = re.compile(
    _PREFIX
    + r"(?P<file>(?:[A-Za-z]:[\\/])?"
    + _FILE_CHARS
    + r"+"
    + _EXT
    + r"):(?P<line>\d+)(?::(?P<col>\d+))?(?::|\s*[-:]\s|\s*$|\s+\w)"
)
_PAREN = re.compile(
    _PREFIX
    + r"(?P<file>(?:[A-Za-z]:[\\/])?"
    + _FILE_CHARS
    + r"+"
    + _EXT
    + r")\((?P<line>\d+)(?:,(?P<col>\d+))?(?:,\d+,\d+)?\)\s*:"
)
_ARROW = re.compile(r"^\s*-+>\s*(?P<file>" + _FILE_CHARS + r"+" + _EXT + r"):(?P<line>\d+)")
_PY_FRAME = re.compile(r'^\s*(?:E\s+)?File "(?P<file>[^"]+)", line (?P<line>\d+)')
_RUNNER = re.compile(
    r"(?P<file>" + _FILE_CHARS + r"+\.ya?ml)\s*\(Line: (?P<line>\d+), Col: (?P<col>\d+)\)"
)
_PYYAML = re.compile(r'in "(?P<file>[^"<>]+)", line (?P<line>\d+), column (?P<col>\d+)')
_YAML_LINE = re.compile(r"(?P<file>" + _FILE_CHARS + r"+\.ya?ml)\b.*?\b[Ll]ine:? (?P<line>\d+)")
# eslint's stylish rows (`  16:7  error  …`, `Error:   16:7 …` when copied from the web page) and
# create-react-app's (`  Line 36:22:  'x' is defined but never used  no-unused-vars`).
_STYLISH_ROW = re.compile(
    r"^(?:##\[(?:error|warning)\]|Error: |Warning: )?\s*(?:Line )?(?P<line>\d+):(?P<col>\d+):?\s+"
    r"(?:error|warning|\S)"
)
# The run page's annotation header, as people copy it: "Check failure on line 45 in ci.yml".
_ANNOTATION = re.compile(
    r"(?:Check failure|Check warning|Error|Warning) on line (?P<line>\d+) in (?P<file>\S+)"
)
_STYLISH_FILE = re.compile(
    r"^(?P<file>(?:[A-Za-z]:[\\/]|/)?" + _FILE_CHARS + r"+" + _EXT + r")\s*$"
)

_STEP_USES = re.compile(r"^(?:Run |Post )?(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$")
_DOWNLOAD = re.compile(
    r"Download action repository '(?P<action>[\w.-]+/[\w./-]+)@(?P<version>[^']+)'"
)
_RUN_LINE = re.compile(
    r"^(?:##\[group\])?Run (?P<action>[\w.-]+/[\w./-]+)@(?P<version>[\w.\-/]+)\s*$"
)

# Which finding types carry a location (a fixer or a person opens that file at that line).
LOCATED_TYPES = frozenset({"syntax_error", "lint_failure", "yaml_syntax_error", "test_failure"})


def repo_path(path: str) -> str | None:
    """The path relative to the repository, or None when it lies outside the checkout."""
    path = path.strip().strip("'\"")
    path = _CHECKOUT.sub("", path)
    if _OUTSIDE.search(path):
        return None
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    if (
        not path
        or path.startswith("/")
        or re.match(r"^[A-Za-z]:/", path)
        or ".." in path.split("/")
    ):
        return None
    return path


def location(text: str) -> tuple[str, str] | None:
    """(file, line) from one line in any of the shapes above, the file repository-relative."""
    for shape in (_ANNOTATION, _RUNNER, _PYYAML, _ARROW, _PAREN, _COLON, _PY_FRAME, _YAML_LINE):
        searched = (_ANNOTATION, _RUNNER, _PYYAML, _YAML_LINE)
        m = shape.search(text) if shape in searched else shape.match(text)
        if m:
            path = repo_path(m.group("file"))
            if path and "/" not in path.rstrip("/") and "." not in path:
                continue
            if path:
                return path, m.group("line")
    return None


def _frame_location(lines: Sequence[str]) -> tuple[str, str] | None:
    """The innermost traceback frame inside the repository (the last one printed)."""
    for text in reversed(lines):
        m = _PY_FRAME.match(text)
        if m:
            path = repo_path(m.group("file"))
            if path:
                return path, m.group("line")
    return None


def _stylish_location(text: str, before: Sequence[str]) -> tuple[str, str] | None:
    row = _STYLISH_ROW.match(text)
    if not row:
        return None
    for prev in reversed(before):
        m = _STYLISH_FILE.match(prev.strip())
        if m:
            path = repo_path(m.group("file"))
            return (path, row.group("line")) if path else None
        if not _STYLISH_ROW.match(prev):
            return None
    return None


def _first_of_run(before: Sequence[str]) -> tuple[str, str] | None:
    """The first location of the run of located lines that ends just before the match.

    Linters and compilers print one error per line and a tally after them; the tally's facts are the
    first error's (the one to fix first: later ones often follow from it). Up to two unlocated lines
    (notes, source excerpts, blank lines) may sit between two located ones.
    """
    found: tuple[str, str] | None = None
    gap = 0
    for i in range(len(before) - 1, -1, -1):
        here = location(before[i]) or _stylish_location(before[i], before[:i])
        if here:
            found, gap = here, 0
        elif found is not None or i < len(before) - 6:
            gap += 1
            if gap > 2 or (found is None and i < len(before) - 6):
                break
    return found


def find_location(
    text: str, before: Sequence[str], line: str | None = None
) -> tuple[str, str] | None:
    """Where the error is: the matched line itself first, then the lines just before it.

    `line` is a line number the rule itself captured: then only a location on that line will do
    (`Dockerfile:81` printed above "parse error on line 81").
    """
    if line is not None:
        for prev in (text, *reversed(before)):
            found = location(prev)
            if found and found[1] == line:
                return found
        return None
    found = location(text) or _stylish_location(text, before)
    if found:
        return found
    found = _frame_location(before)
    if found:
        return found
    return _first_of_run(before)


def _first_after(after: Sequence[str]) -> tuple[str, str] | None:
    """The first location printed after a banner line ("Failed to compile." then the rows)."""
    for i, text in enumerate(after):
        found = location(text) or _stylish_location(text, after[:i])
        if found:
            return found
    return None


def step_action(step_name: str) -> tuple[str, str] | None:
    """(action, version) when the step's header names an action: `Run actions/cache@v2`."""
    m = _STEP_USES.match(step_name.strip())
    if m and not m.group("action").startswith("./"):
        return m.group("action"), m.group("version")
    return None


def action_in_lines(lines: Sequence[str]) -> tuple[str, str] | None:
    """The last `Run owner/name@ref` header among pasted lines (no step structure to lean on)."""
    for text in reversed(lines):
        m = _RUN_LINE.match(text.strip())
        if m:
            return m.group("action"), m.group("version")
    return None


def downloaded_actions(text: str) -> tuple[str, str] | None:
    m = _DOWNLOAD.search(text)
    return (m.group("action"), m.group("version")) if m else None


def enrich(
    issue_type: str,
    data: dict[str, str],
    text: str,
    before: Sequence[str],
    step_name: str,
    after: Sequence[str] = (),
) -> dict[str, str]:
    """The rule's own captures, completed by the shared extractors where the rule had none."""
    out = dict(data)
    if "file" in out:
        fixed = repo_path(out["file"])
        if fixed:
            out["file"] = fixed
    if issue_type in LOCATED_TYPES and "file" not in out:
        found = find_location(text, before, out.get("line"))
        if found is None and "line" not in out:
            found = _first_after(after)
        if found:
            out["file"] = found[0]
            out.setdefault("line", found[1])
    elif issue_type in LOCATED_TYPES and "line" not in out:
        found = find_location(text, before)
        if found and found[0] == out["file"]:
            out["line"] = found[1]
    if issue_type == "permission_error":
        # The refused request, as the tool printed it: which GITHUB_TOKEN scope it needed.
        need = request_need([*before, text])
        if need and out.get("scope", need["scope"]) == need["scope"]:
            out = {**need, **out}
    if "action" not in out:
        found_action = step_action(step_name) or action_in_lines(before)
        if found_action:
            out["action"], version = found_action
            out.setdefault("version", version)
    return out
