"""The first warning of a docs build that treats warnings as errors.

Sphinx (and docutils under it) prints each warning as a row while it reads and writes, with
progress lines between them, and its verdict at the end: "build finished with problems, 2
warnings." (with -W --keep-going, Sphinx 7.3+), "Warning, treated as error:" over the one warning
that stopped it (-W alone). The rows are `/…/docs/x.rst:12: WARNING: …` (docutils' levels WARNING,
ERROR, SEVERE, CRITICAL), `README.rst:4: (WARNING/2) …` from docutils alone, `/…/pkg/mod.py:docstring
of pkg.mod.f:3: WARNING: …` for a docstring (the line counts from the docstring, so only the file is
a fact), `docs/x.rst: WARNING: …` for a whole document, and `WARNING: autodoc: …` without a place.
The first row is the one to fix first; a first row without a place names no file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.locations import location
from smartmon.diagnose.repo_paths import repo_path

# The verdict lines a tally of warnings-as-errors ends with.
_TALLY = re.compile(
    r"^\s*(?:Warning, treated as error:|build finished with problems, \d+ warnings?\b)"
)
_LEVEL = r"(?:WARNING|ERROR|SEVERE|CRITICAL)"
_ROW = re.compile(rf"^\s*(?:(?P<place>\S.*?):(?:\d+:)? )?(?:{_LEVEL}: |\({_LEVEL}/\d\) )")
_DOCSTRING = re.compile(r"^(?P<file>\S.*?\.py):docstring of [\w.]+(?::\d+)?$")
_DOCSTRING_ROW = re.compile(r"^\s*(?P<file>\S.*?\.py):docstring of [\w.]+(?::\d+)?:")
# A row about a whole document names it without a line: "docs/portals-gtk.rst: WARNING: document
# isn't included in any toctree" (flatpak/flatpak-docs #211); Sphinx 1.x left the line empty, "x.rst::
# WARNING: …" (sphinx-doc/sphinx #3187).
_DOC_FILE = re.compile(r"\.(?:rst|md|txt|ipynb|py|inc)$")
# A step's header: rows above it are another step's.
_STEP_HEAD = re.compile(r"^(?:##\[group\])?Run ")


def is_docs_tally(text: str) -> bool:
    """Whether a line is a docs build's verdict on its warnings."""
    return bool(_TALLY.match(text))


def _row_place(text: str, cwd: str) -> tuple[str, str] | None:
    """The place a warning row names: (file, line), (file, "") for a docstring's or a whole
    document's row, ("", "") for a row without a place."""
    row = _ROW.match(text)
    if not row:
        return None
    here = location(text, cwd)
    if here:
        return here
    place = (row.group("place") or "").rstrip(":")
    docstring = _DOCSTRING.match(place)
    if docstring:
        place = docstring.group("file")
    path = repo_path(place, cwd) if _DOC_FILE.search(place) else None
    return (path, "") if path else ("", "")


def first_docs_row(
    before: Sequence[str], after: Sequence[str], cwd: str = ""
) -> tuple[str, str] | None:
    """The place of the first warning row of a docs build's tally: above it, in its own step, or
    the row right under "Warning, treated as error:" (-W alone stops at its first warning).

    A docstring's or a whole document's row gives its file with an empty line."""
    start = 0
    for i in range(len(before) - 1, -1, -1):
        if _STEP_HEAD.match(before[i]):
            start = i + 1
            break
    below = [t for t in after[:3] if t.strip()][:1]
    for text in (*before[start:], *below):
        place = _row_place(text, cwd)
        if place is not None:
            return place if place[0] else None
    if not below:
        return None
    # Before 7.3 the row under the head has no level: "/…/docs/x.rst:12:undefined label: …",
    # "/…/pkg/mod.py:docstring of pkg.mod.f:5:Unexpected indentation."
    docstring = _DOCSTRING_ROW.match(below[0])
    path = repo_path(docstring.group("file"), cwd) if docstring else None
    return (path, "") if path else location(below[0], cwd)
