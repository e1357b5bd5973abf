"""Add `key: value` entries to a block mapping of a workflow by splicing lines into the text.

The file is never re-dumped: the new lines are written at the mapping's own indentation, after its
last one-line entry (or before its first key), and the result is verified by re-parsing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from smartmon.workflows.nodes import Path, get_path, set_path
from smartmon.workflows.text import (
    EditError,
    body,
    indent_unit,
    insert_lines,
    scalar_span,
    split_lines,
    to_plain,
    verify,
)

_KEY_ONLY = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s#][^#]*?):\s*(?:#.*)?$")


def _block_map(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return isinstance(node, dict) and not (fa is not None and fa.flow_style())


def _own_keys(node: Any) -> list[Any]:
    """Keys written in this mapping (merged `<<` keys have no position here)."""
    data = getattr(getattr(node, "lc", None), "data", {}) or {}
    return [k for k in node if k in data]


def _one_line_entry(lines: Sequence[str], node: Any, key: Any) -> bool:
    """True when `key: value` sits on one line with nothing continuing below it."""
    key_line, _key_col = node.lc.key(key)
    value = node[key]
    if isinstance(value, (dict, list)):
        return False
    val_line, val_col = node.lc.value(key)
    if val_line != key_line:
        return False
    span = scalar_span(lines, val_line, val_col)
    if span is None:
        return False
    if key_line + 1 < len(lines):
        nxt = body(lines[key_line + 1])[0]
        stripped = nxt.lstrip(" ")
        indent = len(nxt) - len(stripped)
        if stripped and not stripped.startswith("#") and indent > node.lc.key(key)[1]:
            return False  # a plain scalar continues on the next line
    return True


def _insertion_point(lines: Sequence[str], node: Any, before: Sequence[str]) -> tuple[int, int]:
    """(line index to insert at, indentation column) for a new entry of a block mapping."""
    keys = _own_keys(node)
    if not keys:
        raise EditError("the mapping has no entries written in place")
    indent = node.lc.key(keys[0])[1]
    for name in before:
        if name in keys:
            index = node.lc.key(name)[0]
            # Comments right above that key describe it: insert above them.
            while index > 0:
                prev = body(lines[index - 1])[0]
                if prev.strip().startswith("#") and len(prev) - len(prev.lstrip(" ")) == indent:
                    index -= 1
                else:
                    break
            return index, indent
    for candidate in reversed(keys):
        if _one_line_entry(lines, node, candidate):
            return node.lc.key(candidate)[0] + 1, indent
    first_line = node.lc.key(keys[0])[0]
    if body(lines[first_line])[0][:indent].strip():
        raise EditError("no line to insert at: every entry spans several lines")
    return first_line, indent


def _nesting_unit(doc: Any, path: Path, parent: Any) -> int:
    """How far this mapping is indented below its own key (4 in `jobs:` / `    build:`)."""
    if not path:
        return 0
    grand = get_path(doc, path[:-1])
    keys = _own_keys(parent)
    if not _block_map(grand) or path[-1] not in _own_keys(grand) or not keys:
        return 0
    step = int(parent.lc.key(keys[0])[1]) - int(grand.lc.key(path[-1])[1])
    return step if step > 0 else 0


def add_entries(
    text: str,
    doc: Any,
    path: Path,
    key: str,
    children: Sequence[tuple[str, str]],
    *,
    before: Sequence[str] = (),
) -> str:
    """Add `key:` with `children` (plain `k: v` lines) to the block mapping at `path`.

    If `key` already holds a block mapping, only the children are appended to it. If it holds
    nothing (`key:` alone), the children go under it. Raises EditError when the shape does not
    allow a safe line-level insertion (flow mappings, scalars, merged keys).
    """
    lines = split_lines(text)
    parent = get_path(doc, path)
    if not _block_map(parent):
        raise EditError("the enclosing mapping is written in flow style ({...})")
    unit = _nesting_unit(doc, path, parent) or indent_unit(lines)
    expected = to_plain(doc)
    plain_parent = expected
    for part in path:
        plain_parent = plain_parent[part if isinstance(part, int) else str(part)]
    existing = plain_parent.get(key)
    new_children = dict(existing) if isinstance(existing, dict) else {}
    for k, v in children:
        new_children[k] = v
    set_path(expected, (*path, key), new_children)

    if key in parent and key in _own_keys(parent):
        value = parent[key]
        if _block_map(value) and _own_keys(value):
            index, indent = _insertion_point(lines, value, ())
            new = [f"{' ' * indent}{k}: {v}" for k, v in children]
            allowed: set[int] = set()
        elif value is None:
            key_line = parent.lc.key(key)[0]
            if not _KEY_ONLY.match(body(lines[key_line])[0]):
                raise EditError(f"line {key_line + 1}: `{key}:` has an explicit null value")
            indent = parent.lc.key(key)[1] + unit
            index = key_line + 1
            new = [f"{' ' * indent}{k}: {v}" for k, v in children]
            allowed = set()
        else:
            raise EditError(f"`{key}` is not a block mapping; edit it by hand")
    elif key in parent:
        raise EditError(f"`{key}` comes from a merged anchor; edit it by hand")
    else:
        index, indent = _insertion_point(lines, parent, before)
        new = [f"{' ' * indent}{key}:"]
        new += [f"{' ' * (indent + unit)}{k}: {v}" for k, v in children]
        allowed = set()
    insert_lines(lines, index, new)
    new_text = "".join(lines)
    verify(
        text,
        new_text,
        allowed=allowed | _eol_fix(text, index),
        expected=expected,
        inserted=len(new),
    )
    return new_text


def _eol_fix(text: str, index: int) -> set[int]:
    """Appending after a last line without a newline must touch that line (to end it)."""
    lines = split_lines(text)
    if index >= len(lines) and lines and not body(lines[-1])[1]:
        return {len(lines) - 1}
    return set()
