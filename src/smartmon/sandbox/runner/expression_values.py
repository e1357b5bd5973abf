"""Value semantics of GitHub expressions: coercions, comparisons, format() and hashFiles()."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner.triggers import filter_match


class ExpressionError(ValueError):
    """A syntax or evaluation error, worded like GitHub's template errors."""


def truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def to_number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            return float(int(text, 16)) if text.lower().startswith("0x") else float(text)
        except ValueError:
            return math.nan
    return math.nan


def to_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "Array"
    return "Object"


def loose_equal(a: Any, b: Any) -> bool:
    if a is None and b is None:
        return True
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    scalar = (str, int, float, bool, type(None))
    if isinstance(a, scalar) and isinstance(b, scalar):
        return to_number(a) == to_number(b)
    return a is b


def compare(op: str, a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        x: Any = a.lower()
        y: Any = b.lower()
    else:
        x, y = to_number(a), to_number(b)
        if math.isnan(x) or math.isnan(y):
            return False
    if op == "<":
        return bool(x < y)
    if op == "<=":
        return bool(x <= y)
    if op == ">":
        return bool(x > y)
    return bool(x >= y)


def format_string(template: str, args: list[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(template):
        if template.startswith("{{", i):
            out.append("{")
            i += 2
        elif template.startswith("}}", i):
            out.append("}")
            i += 2
        elif template[i] == "{":
            end = template.find("}", i)
            index = template[i + 1 : end] if end > 0 else ""
            if not index.isdigit() or int(index) >= len(args):
                raise ExpressionError(f"The following format string is invalid: {template}")
            out.append(args[int(index)])
            i = end + 1
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


def hash_files(workspace: Path | None, patterns: list[str]) -> str:
    """hashFiles(): SHA-256 over each matched file's SHA-256, '' when nothing matches.

    Patterns are relative to the workspace; a leading ``!`` excludes (later patterns win).
    """
    if workspace is None or not workspace.is_dir():
        return ""
    matched: list[Path] = []
    for path in sorted(p for p in workspace.rglob("*") if p.is_file()):
        rel = path.relative_to(workspace).as_posix()
        if rel.startswith(".git/"):
            continue
        if filter_match(patterns, rel):
            matched.append(path)
    if not matched:
        return ""
    outer = hashlib.sha256()
    for path in matched:
        outer.update(hashlib.sha256(path.read_bytes()).digest())
    return outer.hexdigest()
