"""The module an ImportError names no module for: Python before 3.7 printed "cannot import name 'X'"
alone, and a paste may cut the 3.7+ line after "from" or wrap its rest onto the next line.

The wrapped rest ("'pip._internal.utils.compat' (/…/compat.py)") names it when kept; else the
traceback's last source line above, when that line is a `from … import` of the name. A relative import
("from .compat import x"), a parenthesised list cut at its opening line ("from pkg.core import (") or a
plain `import` names no module by itself: the nearest import line decides, and an older one above it
(the import that led there) is not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FROM_IMPORT = re.compile(
    r"^\s*from (?P<module>[A-Za-z_][\w.]*) import \(?(?P<names>[\w, ]+)\)?\s*$"
)
_IMPORT_LINE = re.compile(r"^\s*(?:from\s+\S+\s+import\b|import\s+\S)")
_CUT_AFTER_FROM = re.compile(r"cannot import name '?(?P<name>\w+)'? from\s*$")
_WRAPPED_MODULE = re.compile(r"^\s*'(?P<module>[A-Za-z_][\w.]*)' \(")
_CIRCULAR_REST = re.compile(r"^\s*partially initialized module '[\w.]+'")


def import_source_above(name: str, before: Sequence[str]) -> str | None:
    """The module the nearest import line above names `name` from, or None when that line is not a
    `from <module> import …` of `name`."""
    for line in reversed(before[-6:]):
        if not _IMPORT_LINE.match(line):
            continue
        m = _FROM_IMPORT.match(line)
        if not m:
            return None
        names = {part.strip().split(" as ")[0] for part in m.group("names").split(",")}
        return m.group("module") if name in names else None
    return None


def wrapped_module_below(text: str, after: Sequence[str]) -> str | None:
    """The module on the wrapped rest of "cannot import name 'X' from", or None."""
    if not after or not _CUT_AFTER_FROM.search(text):
        return None
    m = _WRAPPED_MODULE.match(after[0])
    return m.group("module") if m else None


def wrapped_name_above(text: str, before: Sequence[str]) -> str | None:
    """The name on the line a circular import's wrapped rest ("partially initialized module 'm' …")
    continues, "ImportError: cannot import name 'X' from", or None."""
    if not before or not _CIRCULAR_REST.match(text):
        return None
    m = _CUT_AFTER_FROM.search(before[-1])
    return m.group("name") if m else None
