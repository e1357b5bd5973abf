"""Break valid workflows the two ways people do (tab indentation, `name: a: b`) and repair them.

A repair must give back the original document or refuse; it must never produce a different one.
The valid inputs are actionlint's `ok/` workflows from the shared corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smartmon.fixers.workflow_yaml import repair, tab_lines
from smartmon.workflows.text import YamlError, body, parse, split_lines, to_plain

OK = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "workflows" / "actionlint" / "ok"
FILES = sorted(OK.glob("*.y*ml")) if OK.is_dir() else []
_NAME = re.compile(r"^(\s*(?:-\s+)?name:\s+)([A-Za-z][^'\"#:{}\[\]]*?)\s*$")

pytestmark = pytest.mark.skipif(not FILES, reason=f"corpus not found at {OK}")


def _valid(path: Path) -> list[str] | None:
    text = path.read_text("utf-8")
    try:
        parse(text)
    except YamlError:
        return None
    return split_lines(text)


def test_tab_indented_line_is_restored_or_refused() -> None:
    repaired = 0
    for path in FILES:
        lines = _valid(path)
        if lines is None:
            continue
        # Lines that would be tab-indented if the author used tabs (block scalar content excluded).
        candidates = tab_lines([line.replace("  ", "\t") for line in lines])
        if not candidates:
            continue
        i = candidates[len(candidates) // 2]
        content, eol = body(lines[i])
        indent = len(content) - len(content.lstrip(" "))
        broken = [*lines[:i], "\t" * (indent // 2) + " " * (indent % 2) + content.lstrip(" ") + eol]
        broken += lines[i + 1 :]
        try:
            parse("".join(broken))
            continue  # a tab after a flow indicator can be legal; nothing to repair
        except YamlError:
            pass
        fixed, _ = repair("".join(broken))
        if fixed is None:
            continue
        assert to_plain(parse(fixed)) == to_plain(parse("".join(lines))), path.name
        assert split_lines(fixed)[:i] == lines[:i] and split_lines(fixed)[i + 1 :] == lines[i + 1 :]
        repaired += 1
    assert repaired >= len(FILES) // 2


def test_colon_in_a_name_is_quoted() -> None:
    repaired = 0
    for path in FILES:
        lines = _valid(path)
        if lines is None:
            continue
        for i, line in enumerate(lines):
            content, eol = body(line)
            match = _NAME.match(content)
            if match is None:
                continue
            broken = [*lines[:i], f"{match[1]}{match[2]}: release{eol}", *lines[i + 1 :]]
            fixed, err = repair("".join(broken))
            assert fixed is not None, f"{path.name}: {err}"
            expected = [*lines[:i], f"{match[1]}'{match[2]}: release'{eol}", *lines[i + 1 :]]
            assert fixed == "".join(expected), path.name
            repaired += 1
            break
    assert repaired >= 15
