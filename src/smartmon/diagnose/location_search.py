"""Where the error is: the location of a match, looked for on its line and the lines around it.

A match names its place itself, or the place is above it (a tally under the rows it counts: the
first row is the one to fix first, a traceback's innermost frame of the repository), or below it
(rustc's `  --> x.rs:3:5`, make's `*** [Makefile:15: x]` after a shell error, the rows after a
"Failed to compile." banner). The rule's own captures win; this fills what they lack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.docs_rows import first_docs_row, is_docs_tally
from smartmon.diagnose.failed_objects import failed_compile_source
from smartmon.diagnose.failed_test_places import is_test_file, test_file_below
from smartmon.diagnose.file_rows import (
    checked_file,
    diff_file,
    file_error_file,
    listed_file,
    summary_table_file,
    violations_file,
)
from smartmon.diagnose.location_blocks import (
    file_rows_block,
    finding_block_below,
    first_finding_block,
    first_frame_block,
    phpcs_location,
)
from smartmon.diagnose.locations import (
    frame_location,
    location,
    stylish_location,
    table_location,
)
from smartmon.diagnose.locations_below import (
    arrow_below,
    config_mark_below,
    mark_below,
    recipe_location,
    trace_below,
    vfile_line_below,
)
from smartmon.diagnose.repo_paths import go_package_path, project_dir, repo_path, tool_folder
from smartmon.diagnose.workflow_places import fill_workflow_place, named_workflow

# BuildKit names the file it parses: "#1 [internal] load build definition from docker/Dockerfile.ci".
_BUILD_DEFINITION = re.compile(r"load build definition from (?P<file>\S+)\s*$")
# The legacy builder names no file ("Error response from daemon: dockerfile parse error line 7: …"):
# the command says which, `-f/--file PATH`, else the context's Dockerfile.
_DOCKER_BUILD = re.compile(
    r"(?:^|\s)docker(?:\s+image|\s+buildx)?\s+build\s+(?P<args>[^|;&]*?)\s*(?:$|[|;&])"
)
_BUILD_VALUED = frozenset({"-t", "--tag", "--build-arg", "--target", "--platform", "--label"})
# A shell's own diagnostic (dash, bash, sh), which names no file when the script is a recipe.
_SHELL_ERROR = re.compile(r"^(?:/usr)?(?:/bin/)?(?:ba|da|z)?sh: (?:line )?\d+: ")
# A source excerpt under a diagnostic (rustc, ruff, tsc --pretty, jest, BuildKit): "  |",
# "12 |     let x = 1;", "   |     ^^^", "  > 4 | expect(x)", "----", blank lines.
# PHPStan's table rules ("  ------ ------------") and the diff lines of ruff's fixes ("  - import   math",
# "2 + import math") likewise.
_CODE_FRAME = re.compile(
    r"^\s*(?:>?\s*\d+\s*)?[|│](?:\s|$)|^\s*[\^~]+\s*$|^\s*-{4,}\s*$|^\s*-{3,}(?:\s+-{3,})+\s*$|^\s*$"
    r"|^\s+[-+] \S|^\s*\d+ [-+] "
)
# rustc's sub-diagnostics: "note: the lint level is defined here", "  = note: `-D x` implied by …",
# "help: …". An arrow under one of them is the note's own span (the `#![deny(…)]` attribute), not the
# error's, which was printed above it.
_SUB_DIAGNOSTIC = re.compile(r"^\s*(?:= )?(?:note|help): ")
_NOTE_HEAD = re.compile(r"^\s*(?:note|help): ")
# rustc, clippy and ty head a diagnostic with its level and put the place on the next line ("warning:
# unused import: `std::fs`" over " --> src/lib.rs:1:5"): that place is a warning's, whatever follows.
_WARNING_HEAD = re.compile(r"^\s*warning(?:\[[\w:-]+\])?: ")


# A row the tool marks as a warning, info or note: eslint's "  20:10  warning  …", gcc's "x.c:3:5:
# warning: …", shellcheck's "note:", "[Warning/no-console]". The run's first row not so marked is the
# error that failed the step; a run of warnings only (hadolint's DL3008 warning) keeps its first row.
_WARNING_ROW = re.compile(
    r"^(?:##\[warning\]|Warning: )"
    r"|^\s*(?:##\[\w+\]|Error: )?\s*\d+:\d+\s+(?:warning|info)\s"  # eslint, yamllint stylish rows
    r"|:\d+(?::\d+)?:? (?:[A-Z]+\d+ )?(?:warning|info|note|notice|style)\b"  # gcc, hadolint, shellcheck
    r"| - (?:warning|information):"  # pyright
    r"|\[Warning/"  # eslint -f unix
    r"|^w: "  # kotlinc: "w: file:///…/App.kt:12:5 'getter for x: Int' is deprecated."
)


def _first_of_run(
    before: Sequence[str], cwd: str = "", *, warnings: bool = True
) -> tuple[str, str] | None:
    """The first location of the run of located lines that ends just before the match.

    Linters and compilers print one error per line and a tally after them; the tally's facts are the
    first error's (the one to fix first: later ones often follow from it). Up to two other lines (a
    message, a note) may sit between two located ones; source excerpts and carets (`  |`, `3 | x`,
    `  ^^^`) and blank lines do not count.
    """
    found: tuple[str, str] | None = None
    error: tuple[str, str] | None = None
    gap = 0
    for i in range(len(before) - 1, -1, -1):
        here = (
            location(before[i], cwd)
            or stylish_location(before[i], before[:i], cwd)
            or table_location(before[i], before[:i], cwd)
        )
        if here and i > 0 and _NOTE_HEAD.match(before[i - 1]):
            continue  # a note's own span ("note: the lint level is defined here" / " --> lib.rs:2:9")
        if here:
            found, gap = here, 0
            warned = i > 0 and _WARNING_HEAD.match(before[i - 1])
            if not _WARNING_ROW.search(before[i]) and not warned:
                error = here
            continue
        if _CODE_FRAME.match(before[i]):
            continue
        gap += 1
        if gap > (2 if found else 6):
            break
    return error if error or not warnings else found


def _built_dockerfile(text: str, cwd: str) -> str | None:
    """The Dockerfile a `docker build` command line builds: its `-f`, else `<context>/Dockerfile`."""
    m = _DOCKER_BUILD.search(text)
    if not m:
        return None
    words = m.group("args").split()
    named: str | None = None
    context: str | None = None
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-f", "--file") and i + 1 < len(words):
            named, i = words[i + 1], i + 2
            continue
        if word.startswith("--file="):
            named = word.partition("=")[2]
        elif word in _BUILD_VALUED:
            i += 1
        elif not word.startswith("-"):
            context = word
        i += 1
    if named is None:
        if context is None:
            return None
        named = "Dockerfile" if context in (".", "./") else f"{context.rstrip('/')}/Dockerfile"
    return repo_path(named.strip("'\""), cwd)


def find_location(
    text: str,
    before: Sequence[str],
    line: str | None = None,
    cwd: str = "",
    *,
    warnings: bool = True,
) -> tuple[str, str] | None:
    """Where the error is: the matched line itself first, then the lines just before it.

    `line` is a line number the rule itself captured: then only a location on that line will do
    (`Dockerfile:81` printed above "parse error on line 81"). Without `warnings`, a run of warning
    rows alone is no place (a compiler's deprecation warning above a failed test).
    """
    if line is not None:
        for prev in (text, *reversed(before)):
            found = location(prev, cwd)
            if found and found[1] == line:
                return found
        if "ockerfile" in text:
            for prev in reversed(before):
                m = _BUILD_DEFINITION.search(prev)
                path = repo_path(m.group("file"), cwd) if m else None
                if path:
                    return path, line
            for prev in reversed(before):
                path = _built_dockerfile(prev, cwd)
                if path:
                    return path, line
        return None
    found = (
        location(text, cwd)
        or stylish_location(text, before, cwd)
        or table_location(text, before, cwd)
    )
    if found:
        return found
    found = frame_location(before, cwd)
    if found:
        return found
    return _first_of_run(before, cwd, warnings=warnings)


# SQLFluff's first violation under its "== [models/x.sql] FAIL" head: "L:  12 | P:   5 | LT01 | …".
_SQLFLUFF_ROW = re.compile(r"^\s*L:\s*(?P<line>\d+) \| P:\s*\d+ \| ")
# A report grouped by severity heads its errors' rows, which come under it: invertase/github-action-
# dart-analyzer's "##[group]Dart Analyzer - Errors" (a warnings group may sit just above it, so the
# rows above are not the errors'; invertase/github-action-dart-analyzer #258).
_SECTION_HEAD = re.compile(r"^(?:##\[group\]|::group::)?[\w .-]+ - Errors\s*$")


def _first_after(after: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The first location printed after a banner line ("Failed to compile." then the rows)."""
    for i, text in enumerate(after):
        found = location(text, cwd) or stylish_location(text, after[:i], cwd)
        if found:
            return found
    return None


# A rule's file as an absolute path (a file:// URI, Windows' verbatim "\\?\D:\…", or a runner path a
# paste cut at its root are absolute too).
_ABSOLUTE_RAW = re.compile(
    r"^\s*['\"`]?(?:file://)?(?:\\\\\?\\|//\?/)?/?(?:[A-Za-z]:)?[\\/]|^(?:home|Users)/runner/"
)


# Where a checkout never is: the runner's and tools' own folders (repo_paths' lists), system and SDK
# folders, MSYS2's tree. A path repo_path refuses but that is none of these (a GOPATH layout in a
# container, Nix's /build/source, a self-hosted folder no pattern knows) keeps its raw place.
_KNOWN_OUTSIDE = re.compile(
    r"^\s*['\"`]?(?:/usr/|/Library/|/System/|/Applications/|/nix/store/|/opt/|/tmp/"
    r"|[A-Za-z]:[\\/]Program Files)|[\\/]msys64[\\/]",
    re.IGNORECASE,
)


def _known_outside(path: str) -> bool:
    """An absolute path known to lie outside any checkout (the runner's or a tool's own folders,
    system and SDK folders), once repo_path has refused it."""
    return bool(_ABSOLUTE_RAW.match(path) and (_KNOWN_OUTSIDE.search(path) or tool_folder(path)))


def outside_checkout(path: str, cwd: str = "") -> bool:
    """An absolute path that repo_path refuses and that is known to lie outside any checkout: a
    located finding's file it never is."""
    return repo_path(path, cwd) is None and _known_outside(path)


def _drop_outside(
    issue_type: str, out: dict[str, str], text: str, before: Sequence[str], cwd: str
) -> None:
    """An absolute path outside the checkout is no finding's file, nor the line it was captured with:
    a header MSYS2's makepkg unpacked ("D:/a/_temp/msys64/tmp/libfoo-1.2.3/src/x.h:12:5: error: …"),
    /usr/include, a macOS SDK, a toolchain's folder, a local clone at a root no checkout pattern knows
    ("C:\\bot\\src\\…"). No place rather than one that is not the repository's; a compile error
    still names the translation unit the failed compile built (failed_objects.py)."""
    del out["file"]
    out.pop("line", None)
    compiled = failed_compile_source(text, before, cwd) if issue_type == "syntax_error" else None
    if compiled:
        out["file"] = compiled


def fill_location(
    issue_type: str,
    out: dict[str, str],
    text: str,
    before: Sequence[str],
    after: Sequence[str],
) -> None:
    """Fill `file` and `line` for the types that carry a location."""
    cwd = project_dir(before, after)
    outside = False
    if "file" in out:
        fixed = repo_path(out["file"], cwd)
        if fixed:
            out["file"] = fixed
        elif _known_outside(out["file"]):  # repo_path refused it just above
            outside = True
            _drop_outside(issue_type, out, text, before, cwd)
    if issue_type == "yaml_syntax_error":
        fill_workflow_place(out, text, before, after, cwd)
    if issue_type == "test_failure" and not is_test_file(out.get("file", "")):
        below = test_file_below(after, cwd)
        if below:
            out["file"], out["line"] = below
    if outside:
        return
    if "file" not in out and "line" not in out and is_docs_tally(text):
        # Sphinx's rows sit among its progress lines, far above its tally (the run of rows just
        # above it is not the first); -W alone prints the one row under "Warning, treated as error:".
        docs = first_docs_row(before, after, cwd)
        if docs:
            out["file"] = docs[0]
            if docs[1]:
                out["line"] = docs[1]
    elif "file" not in out:
        # rustc and ruff print the place under the message ("error[E0425]: …" then "  --> x.rs:3:5");
        # a location above it belongs to the diagnostic before.
        found = (
            arrow_below(after, cwd)
            if "line" not in out and not _SUB_DIAGNOSTIC.match(text)
            else None
        )
        if found is None and issue_type == "syntax_error" and "line" not in out:
            # Sass prints the place under its code frame, as the first row of its stack.
            found = trace_below(after, cwd)
        if found is None and issue_type == "yaml_syntax_error" and "line" not in out:
            # PyYAML prints the place under its exception, below the traceback's frames.
            found = mark_below(after, cwd) or config_mark_below(before, after, cwd)
        if found is None and "line" not in out and _SECTION_HEAD.match(text):
            found = _first_after(after[:5], cwd)
        found = found or find_location(
            text, before, out.get("line"), cwd, warnings=issue_type != "test_failure"
        )
        if found is None and _SHELL_ERROR.match(text):
            found = recipe_location(after)
        if found is None and issue_type == "lint_failure" and "line" not in out:
            found = (
                first_finding_block(before, cwd)
                or finding_block_below(after, cwd)
                or phpcs_location(before, after, cwd)
                or first_frame_block(before, cwd)
                or file_rows_block(before, cwd)
            )
        if found is None and "line" not in out:
            found = _first_after(after, cwd)
        if found:
            out["file"] = found[0]
            out.setdefault("line", found[1])
        elif issue_type == "syntax_error" and (
            compiled := failed_compile_source(text, before, cwd)
        ):
            # the error is in a header outside the checkout: the file the failed compile built
            out["file"] = compiled
        elif issue_type == "yaml_syntax_error":
            workflow = named_workflow(text, before, cwd)
            if workflow:
                out["file"] = workflow
        elif issue_type == "lint_failure":
            listed = (
                listed_file(before, cwd)
                or diff_file(before, cwd)
                or violations_file([text, *after[:3]], cwd)
                or file_error_file(before, after, cwd)
                or summary_table_file(before, cwd)
                or checked_file(before, after, cwd)
            )
            if listed:
                out["file"] = listed
    elif "line" not in out:
        found = find_location(text, before, cwd=cwd)
        if found and found[0] == out["file"]:
            out["line"] = found[1]
        else:
            row = _SQLFLUFF_ROW.match(after[0]) if after else None
            line_below = row.group("line") if row else vfile_line_below(after)
            if line_below:
                out["line"] = line_below
    if not cwd and out.get("file", "").endswith(".go"):
        out["file"] = go_package_path(out["file"], before)
    elif not cwd and out.get("file") and "/" not in out["file"]:
        out["file"] = _compiled_path(out["file"], before)


# Free Pascal names a unit's errors by the file's bare name after the line that says where it is:
# "Compiling src/PasFetch.pas" then "PasFetch.pas(29,28) Error: Identifier not found …"
# (MarieEckert/pasfetch #3; "(3104) Compiling unit1.pas" when verbose, WinFF/winff #257).
_COMPILING = re.compile(r"^(?:\(\d+\) )?Compiling (?P<path>[\w.@+~/-]+/[\w.@+~-]+)\s*$")


def _compiled_path(name: str, before: Sequence[str]) -> str:
    """The bare file name as the compiler's last "Compiling <path>" line above spelled it."""
    for text in reversed(before[-60:]):
        m = _COMPILING.match(text)
        if m and m.group("path").endswith("/" + name):
            return repo_path(m.group("path")) or name
    return name
