"""Line-level YAML editing: only the intended bytes change, and every edit is proven by re-parsing."""

from __future__ import annotations

import pytest

from smartmon.workflows import text as wt
from smartmon.workflows.insert import add_entries
from smartmon.workflows.nodes import runs_on_sites, uses_sites


def test_split_lines_keeps_every_ending() -> None:
    text = "a\r\nb\nc\rd"
    assert wt.split_lines(text) == ["a\r\n", "b\n", "c\r", "d"]
    assert "".join(wt.split_lines(text)) == text


@pytest.mark.parametrize(
    ("line", "col", "flow", "style", "source"),
    [
        ("k: plain value # c", 3, False, "", "plain value"),
        ("k: 'it''s' # c", 3, False, "'", "'it''s'"),
        ('k: "a \\" b"', 3, False, '"', '"a \\" b"'),
        ("k: [a, b]", 4, True, "", "a"),
    ],
)
def test_scalar_span(line: str, col: int, flow: bool, style: str, source: str) -> None:
    span = wt.scalar_span([line], 0, col, flow=flow)
    assert span is not None and span.style == style
    assert wt.source_text([line], span) == source


def test_rewrite_keeps_quotes_comments_and_crlf() -> None:
    text = (
        "jobs:\r\n  a:\r\n    runs-on: 'ubuntu-20.04' # x\r\n    steps:\r\n      - uses: a/b@v1\r\n"
    )
    doc = wt.parse(text)
    (label,), _ = runs_on_sites(doc)
    new = wt.rewrite_scalars(text, doc, [(label, "ubuntu-24.04")])
    assert new == text.replace("'ubuntu-20.04'", "'ubuntu-24.04'")


def test_rewrite_refuses_a_value_it_cannot_see_on_one_line() -> None:
    text = "jobs:\n  a:\n    steps:\n      - uses: >-\n          a/b@v1\n"
    doc = wt.parse(text)
    with pytest.raises(wt.EditError):
        wt.rewrite_scalars(text, doc, [(uses_sites(doc)[0], "a/b@v2")])


def test_verify_catches_changes_to_other_lines() -> None:
    old = "a: 1\nb: 2\n"
    with pytest.raises(wt.EditError):
        wt.verify(old, "a: 1\nb: 3\n", allowed={0})
    with pytest.raises(wt.EditError):
        wt.verify(old, "a: [\n", allowed={0, 1})
    wt.verify(old, "a: 5\nb: 2\n", allowed={0}, expected={"a": 5, "b": 2})


def test_insert_at_end_keeps_the_missing_final_newline() -> None:
    text = "jobs:\n  a:\n    runs-on: x\n    env:"
    doc = wt.parse(text)
    new = add_entries(text, doc, ("jobs", "a"), "env", [("K", "${{ secrets.K }}")])
    assert new == "jobs:\n  a:\n    runs-on: x\n    env:\n      K: ${{ secrets.K }}"


def test_insert_follows_the_files_indentation() -> None:
    text = "jobs:\n    a:\n        runs-on: x\n        steps:\n            - run: y\n"
    doc = wt.parse(text)
    new = add_entries(text, doc, ("jobs", "a"), "env", [("K", "v")], before=("steps",))
    assert new == (
        "jobs:\n    a:\n        runs-on: x\n        env:\n            K: v\n"
        "        steps:\n            - run: y\n"
    )


def test_insert_refuses_flow_mappings() -> None:
    text = "jobs:\n  a: {runs-on: x, steps: [{run: y}]}\n"
    with pytest.raises(wt.EditError):
        add_entries(text, wt.parse(text), ("jobs", "a"), "env", [("K", "v")])


def test_yaml_error_is_github_style() -> None:
    with pytest.raises(wt.YamlError) as info:
        wt.parse("a: b: c\n")
    assert info.value.github_style("ci.yml") == "ci.yml:1: mapping values are not allowed here"


def test_insert_uses_the_mappings_own_nesting_not_the_sequences() -> None:
    text = "jobs:\n    a:\n        runs-on: x\n        steps:\n          - run: y\n"
    doc = wt.parse(text)
    new = add_entries(
        text, doc, ("jobs", "a"), "permissions", [("contents", "write")], before=("steps",)
    )
    assert "        permissions:\n            contents: write\n        steps:" in new


def test_unicode_line_separators_are_not_line_breaks() -> None:
    text = "on: push # a\u2028b \x85 c\njobs:\n  a:\n    runs-on: ubuntu-20.04\n"
    doc = wt.parse(text)
    (label,), _ = runs_on_sites(doc)
    assert label.line == 3
    assert wt.rewrite_scalars(text, doc, [(label, "ubuntu-24.04")]) == text.replace(
        "20.04", "24.04"
    )
