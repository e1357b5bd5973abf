"""Minimal, line-level edits of YAML workflow files, proven safe by re-parsing.

ruamel.yaml (round-trip mode, YAML 1.2) only *locates* nodes: `.lc` gives each key's and value's
line and column. The edit itself rewrites the text of those lines in place, so comments, quotes,
key order, anchors, tabs in block scalars, CRLF endings and a missing final newline all survive,
and a reviewer reads a diff of exactly the lines that had to change. Every edit is re-parsed and
compared with the structure the edit meant to produce (`verify`).
"""

from __future__ import annotations

import difflib
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError

from smartmon.workflows.nodes import Site, set_path

_EOL = re.compile(r"\r\n|\r|\n")
# YAML 1.2 (and GitHub) read NEL, LS and PS as ordinary characters; ruamel's reader still breaks
# lines on them. Parse with a same-length stand-in so line and column numbers match the text.
_NOT_LINE_BREAKS = {0x85: " ", 0x2028: " ", 0x2029: " "}


class YamlError(Exception):
    """The text is not valid YAML; `line` and `column` are 1-based (0 when unknown)."""

    def __init__(self, problem: str, line: int = 0, column: int = 0) -> None:
        super().__init__(f"{line}: {problem}" if line else problem)
        self.problem = problem
        self.line = line
        self.column = column

    def github_style(self, file: str) -> str:
        """`file:line: message`, the way GitHub points at a workflow error."""
        return f"{file}:{self.line}: {self.problem}" if self.line else f"{file}: {self.problem}"


class EditError(Exception):
    """A planned text edit did not produce the intended document; nothing may be written."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    return yaml


def parse(text: str) -> Any:
    """Parse one YAML document in round-trip mode (line/column info on every collection).

    The result is shared between callers that parse the same text (scan, then each fixer):
    treat it as read-only.
    """
    return _parse_cached(text)


@lru_cache(maxsize=16)
def _parse_cached(text: str) -> Any:
    try:
        with warnings.catch_warnings():
            # A reused anchor name is valid YAML (the later one wins); GitHub accepts it too.
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            return _yaml().load(io.StringIO(text.translate(_NOT_LINE_BREAKS)))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or type(exc).__name__
        if mark is None:
            raise YamlError(problem) from exc
        raise YamlError(problem, mark.line + 1, mark.column + 1) from exc
    except YAMLError as exc:
        raise YamlError(
            str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML"
        ) from exc
    except RecursionError as exc:
        raise YamlError("recursive anchors are not supported") from exc


def split_lines(text: str) -> list[str]:
    """Lines with their endings kept; only CR, LF and CRLF end a line (as YAML 1.2 says)."""
    lines: list[str] = []
    start = 0
    for match in _EOL.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def body(line: str) -> tuple[str, str]:
    """Split a line into its content and its ending ("", "\\n", "\\r\\n" or "\\r")."""
    match = _EOL.search(line)
    if match is None:
        return line, ""
    return line[: match.start()], line[match.start() :]


def dominant_eol(lines: Sequence[str]) -> str:
    counts: dict[str, int] = {}
    for line in lines:
        eol = body(line)[1]
        if eol:
            counts[eol] = counts.get(eol, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else "\n"


def indent_unit(lines: Sequence[str]) -> int:
    """The file's indentation step: the smallest positive increase between nested block lines."""
    best = 0
    previous = 0
    for line in lines:
        content = body(line)[0]
        stripped = content.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(content) - len(stripped)
        if indent > previous and (best == 0 or indent - previous < best):
            best = indent - previous
        previous = indent
    return best if best in (2, 3, 4, 8) else 2


# --- scalars on one line -------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The source text of a one-line scalar: `line[start:end]`, with its quote style."""

    line: int  # 0-based
    start: int
    end: int
    style: str  # "", "'" or '"'


def scalar_span(lines: Sequence[str], line: int, col: int, *, flow: bool = False) -> Span | None:
    """Where the scalar starting at (line, col) ends, if it fits on that line."""
    if line >= len(lines):
        return None
    content = body(lines[line])[0]
    if col >= len(content):
        return None
    first = content[col]
    if first in "|>":
        return None
    if first == "'":
        i = col + 1
        while i < len(content):
            if content[i] == "'":
                if i + 1 < len(content) and content[i + 1] == "'":
                    i += 2
                    continue
                return Span(line, col, i + 1, "'")
            i += 1
        return None
    if first == '"':
        i = col + 1
        while i < len(content):
            if content[i] == "\\":
                i += 2
                continue
            if content[i] == '"':
                return Span(line, col, i + 1, '"')
            i += 1
        return None
    end = len(content)
    comment = re.search(r"[ \t]#", content[col:])
    if comment:
        end = col + comment.start()
    if flow:
        stop = re.search(r"[,\]}]", content[col:end])
        if stop:
            end = col + stop.start()
    while end > col and content[end - 1] in " \t":
        end -= 1
    return Span(line, col, end, "")


def render_scalar(value: str, style: str) -> str:
    """Write `value` in the given quote style."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + escaped + '"'
    return value


def source_text(lines: Sequence[str], span: Span) -> str:
    return body(lines[span.line])[0][span.start : span.end]


def replace_span(lines: list[str], span: Span, new: str) -> None:
    content, eol = body(lines[span.line])
    lines[span.line] = content[: span.start] + new + content[span.end :] + eol


def insert_lines(lines: list[str], index: int, new: Sequence[str]) -> None:
    """Insert content lines (no endings) before `lines[index]`, with the file's line ending."""
    eol = dominant_eol(lines)
    if index >= len(lines) and lines and not body(lines[-1])[1]:
        # The file has no final newline: keep it that way.
        lines[-1] = lines[-1] + eol
        lines.extend(text + eol for text in new[:-1])
        lines.append(new[-1])
        return
    lines[index:index] = [text + eol for text in new]


# --- verification -------------------------------------------------------------------------


def to_plain(node: Any, _seen: frozenset[int] = frozenset()) -> Any:
    """A ruamel tree as plain dicts/lists/scalars, for comparing two parses."""
    if id(node) in _seen:
        raise EditError("recursive structure")
    if isinstance(node, dict):
        seen = _seen | {id(node)}
        return {str(k): to_plain(v, seen) for k, v in node.items()}
    if isinstance(node, list):
        seen = _seen | {id(node)}
        return [to_plain(v, seen) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def touched_lines(old: Sequence[str], new: Sequence[str]) -> tuple[set[int], int]:
    """0-based old lines replaced or deleted, and the number of lines inserted."""
    touched: set[int] = set()
    inserted = 0
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            touched.update(range(i1, i2))
        if tag in ("replace", "insert"):
            inserted += max(0, (j2 - j1) - (i2 - i1))
    return touched, inserted


def verify(
    old_text: str,
    new_text: str,
    *,
    allowed: set[int],
    expected: Any = None,
    inserted: int = 0,
) -> Any:
    """Prove an edit: the result parses, only `allowed` old lines changed (plus `inserted` new
    lines), and the new structure (as `to_plain`) equals `expected` when one is given.

    Returns the parsed new document; raises EditError otherwise.
    """
    try:
        new_doc = parse(new_text)
    except YamlError as exc:
        raise EditError(f"the edit would break the YAML: {exc}") from exc
    old_lines, new_lines = split_lines(old_text), split_lines(new_text)
    touched, added = touched_lines(old_lines, new_lines)
    if not touched <= allowed or added > inserted:
        raise EditError("the edit would change more lines than intended")
    if expected is not None and to_plain(new_doc) != expected:
        raise EditError("the edit does not produce the intended document")
    return new_doc


# --- rewriting located scalars ------------------------------------------------------------

_PLAIN_START = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]")


def plain_ok(value: str, *, flow: bool = False) -> bool:
    """Whether `value` can be written as a plain one-line scalar and read back unchanged."""
    if not value or value != value.strip() or "\n" in value or not _PLAIN_START.match(value):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    return not (flow and any(ch in value for ch in ",[]{}"))


def _same_scalar(raw: str, style: str, value: str) -> bool:
    """Whether the source text `raw` is `value` written in `style` (escapes we can reproduce)."""
    if style == "'":
        return raw[1:-1].replace("''", "'") == value
    if style == '"':
        return render_scalar(value, '"') == raw
    return raw == value


def editable_in_place(lines: Sequence[str], site: Site) -> bool:
    """Whether `rewrite_scalars` can rewrite this scalar (one line, reproducible quoting)."""
    span = scalar_span(lines, site.line, site.col, flow=site.flow)
    return span is not None and _same_scalar(source_text(lines, span), span.style, site.value)


def rewrite_scalars(text: str, doc: Any, changes: Sequence[tuple[Site, str]]) -> str:
    """Replace one-line string scalars in place, keeping each one's quote style.

    `changes` pairs a located scalar with its new value. Sites that share a position (one
    anchored value reached through aliases) must agree. The result is verified: it parses, only
    those lines changed, and the structure equals the old one with exactly these values replaced.
    """
    lines = split_lines(text)
    by_pos: dict[tuple[int, int], tuple[Site, str]] = {}
    for s, new in changes:
        prior = by_pos.get((s.line, s.col))
        if prior is not None and prior[1] != new:
            raise EditError(f"line {s.line + 1}: one anchored value, two different new values")
        by_pos[(s.line, s.col)] = (s, new)
    for (line, col), (s, new) in sorted(by_pos.items(), key=lambda kv: kv[0], reverse=True):
        span = scalar_span(lines, line, col, flow=s.flow)
        if span is None or not _same_scalar(source_text(lines, span), span.style, s.value):
            raise EditError(f"line {line + 1}: the value is not a one-line scalar")
        style = span.style
        if style == "" and not plain_ok(new, flow=s.flow):
            style = "'"
        replace_span(lines, span, render_scalar(new, style))
    expected = to_plain(doc)
    for s, new in changes:
        set_path(expected, s.path, new)
    new_text = "".join(lines)
    verify(text, new_text, allowed={line for line, _ in by_pos}, expected=expected)
    return new_text
