"""Repair YAML syntax errors, but only the deterministic kinds; report the rest as `file:line: msg`.

Repairs (each changes only the offending lines, and the result must parse):
- tab indentation outside block scalars -> spaces (every plausible tab width must agree);
- a plain value starting with `*`, `&`, `!`, `%`, `@` or a backtick (`args: **/*.yaml`) -> quoted;
- an unquoted `: ` inside a one-line plain value (`run: echo a: b`) -> quoted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from smartmon.errors import SmartmonError
from smartmon.fixers.target import UNKNOWN_WORKFLOW, guarded, reason, target_workflow
from smartmon.model import Edit, Finding, Fix, IssueType
from smartmon.workflows import (
    YamlError,
    body,
    indent_unit,
    parse,
    render_scalar,
    split_lines,
    to_plain,
)

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.YAML_SYNTAX_ERROR
_MAX_REPAIRS = 50

_BLOCK_START = re.compile(r"(?:^|[:\-]\s+|^\s*)[|>][-+0-9]*\s*(?:#.*)?$")
_INDICATOR_VALUE = re.compile(
    r"^(?P<prefix>\s*(?:-\s+)*(?:[^\s#'\"\-{\[][^#]*?:\s+)?)"
    r"(?P<value>[*&!%@`][^#]*?)(?P<comment>\s+#.*)?$"
)
_COLON_VALUE = re.compile(
    r"^(?P<prefix>\s*(?:-\s+)?[^\s#'\"{\[][^:#]*?:\s+)"
    r"(?P<value>[^\s'\"|>{\[&*!%@`#][^#]*?)(?P<comment>\s+#.*)?$"
)


# An alias, anchor or tag that looks intended (`*defaults`, `&env`, `!Ref`), unlike `**/*.yaml`.
_MEANT_AS_YAML = re.compile(r"^(?:[*&][\w-]+(?:\s|$)|![\w!-]*(?:\s|$))")


def _indent(content: str) -> int:
    return len(content) - len(content.lstrip(" "))


def tab_lines(lines: list[str]) -> list[int]:
    """Lines indented with a tab that are not the content of a block scalar."""
    found: list[int] = []
    block_parent: int | None = None
    for i, line in enumerate(lines):
        content = body(line)[0]
        stripped = content.lstrip(" \t")
        if not stripped:
            continue
        spaces = _indent(content)
        if block_parent is not None and spaces > block_parent:
            continue  # block scalar content: tabs here are data
        block_parent = None
        if "\t" in content[: len(content) - len(stripped)]:
            found.append(i)
        if _BLOCK_START.search(content):
            block_parent = spaces
    return found


def _quote(value: str) -> str:
    return render_scalar(value, "'")


def _nests(lines: list[str], targets: list[int]) -> bool:
    """A line right after `key:` was meant to be nested under it: it must be indented deeper."""
    for i in targets:
        prev = next(
            (
                body(ln)[0]
                for ln in reversed(lines[:i])
                if body(ln)[0].strip() and not body(ln)[0].lstrip().startswith("#")
            ),
            "",
        )
        code = re.sub(r"\s+#.*$", "", prev).rstrip()
        if code.endswith(":") and _indent(body(lines[i])[0]) <= _indent(prev):
            return False
    return True


def _aligned_width(lines: list[str], first: int) -> tuple[int, ...]:
    """The tab width that puts the first tab-indented line one indent step below its parent."""
    content = body(lines[first])[0]
    lead = content[: len(content) - len(content.lstrip(" \t"))]
    prev = next((body(ln)[0] for ln in reversed(lines[:first]) if body(ln)[0].strip()), "")
    if lead.strip(" ") != "\t" * lead.count("\t") or " " in lead:
        return ()
    desired = _indent(prev) + indent_unit(lines)
    tabs = lead.count("\t")
    return (desired // tabs,) if desired % tabs == 0 and desired // tabs > 0 else ()


def _repair_tabs(lines: list[str], budget: int) -> tuple[list[str] | None, YamlError | None]:
    """Every tab width that leads to a parsing file must lead to the same document."""
    targets = tab_lines(lines)
    if not targets:
        return None, None
    outcomes: list[tuple[list[str], object]] = []
    last_error: YamlError | None = None
    for width in dict.fromkeys((*_aligned_width(lines, targets[0]), 4, 2, 8, *range(1, 9))):
        candidate = list(lines)
        for i in targets:
            content, eol = body(candidate[i])
            stripped = content.lstrip(" \t")
            lead = content[: len(content) - len(stripped)]
            candidate[i] = lead.expandtabs(width) + stripped + eol
        if not _nests(candidate, targets):
            continue
        repaired, err = _repair(candidate, budget - 1)
        if repaired is None:
            last_error = err
            continue
        outcomes.append((repaired, to_plain(parse("".join(repaired)))))
    if not outcomes:
        return None, last_error
    if any(plain != outcomes[0][1] for _, plain in outcomes):
        return None, YamlError("tab indentation is ambiguous: tab widths give different documents")
    return outcomes[0][0], None


def _repair_line(lines: list[str], err: YamlError) -> list[str] | None:
    index = err.line - 1
    if not 0 <= index < len(lines):
        return None
    content, eol = body(lines[index])
    for pattern, needs in ((_INDICATOR_VALUE, ""), (_COLON_VALUE, ": ")):
        match = pattern.match(content)
        if match is None:
            continue
        value = match["value"]
        if needs and needs not in value and not value.endswith(":"):
            continue
        if not needs and _MEANT_AS_YAML.match(value):
            continue  # `*name`, `&name`, `!tag`: YAML syntax on purpose, a human must decide
        if err.column and err.column - 1 < len(match["prefix"]):
            continue  # the parser stopped before the value: not this problem
        key_col = len(re.match(r"\s*(?:-\s+)*", content).group(0))  # type: ignore[union-attr]
        nxt = next((body(ln)[0] for ln in lines[index + 1 :] if body(ln)[0].strip()), "")
        if nxt and not nxt.lstrip().startswith("#") and _indent(nxt) > key_col:
            continue  # the value continues on the next line: not a one-line value
        new = match["prefix"] + _quote(value) + (match["comment"] or "")
        return [*lines[:index], new + eol, *lines[index + 1 :]]
    return None


def _repair(lines: list[str], budget: int) -> tuple[list[str] | None, YamlError | None]:
    for _ in range(max(budget, 0)):
        try:
            parse("".join(lines))
            return lines, None
        except YamlError as err:
            if "'\\t'" in err.problem or "\t" in err.problem or tab_lines(lines):
                fixed, tab_err = _repair_tabs(lines, budget)
                if fixed is None:
                    return None, tab_err if tab_err and tab_err.line else err
                return fixed, None
            repaired = _repair_line(lines, err)
            if repaired is None:
                return None, err
            lines = repaired
            budget -= 1
    return None, YamlError("too many problems to repair automatically")


def repair(text: str) -> tuple[str | None, YamlError | None]:
    """(repaired text, None), or (None, the error that no deterministic repair handles)."""
    lines, err = _repair(split_lines(text), _MAX_REPAIRS)
    if lines is None:
        try:
            parse(text)
        except YamlError as first:
            return None, first if err is None or not err.line else err
    return ("".join(lines) if lines is not None else None), err


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    title = "repair the workflow's YAML"
    path = target_workflow(finding, ctx)
    if path is None:
        return reason(HANDLES, "", title, UNKNOWN_WORKFLOW)
    try:
        text = ws.read_text(path)
    except SmartmonError as exc:
        return reason(HANDLES, path, title, str(exc))
    try:
        parse(text)
    except YamlError:
        pass
    else:
        if finding.rule.startswith("scan-"):
            return None  # an earlier fix of this scan already repaired the file
        why = f"{path}: parses as YAML; the problem is in the workflow's structure: {finding.text}"
        return reason(HANDLES, path, title, why.strip())
    fixed, err = repair(text)
    if fixed is None or fixed == text:
        problem = err.github_style(path) if err else f"{path}: invalid YAML"
        return reason(HANDLES, path, title, f"{problem} (no safe automatic repair)")
    changed = sum(1 for a, b in zip(split_lines(text), split_lines(fixed), strict=False) if a != b)
    return Fix(
        type=HANDLES,
        file=path,
        description=f"repair YAML syntax on {changed} line(s) (tabs to spaces, quoting)",
        edits=(Edit(path=path, content=fixed.encode("utf-8"), original=text.encode("utf-8")),),
    )
