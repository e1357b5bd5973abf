"""The benchmark's grep contender must search for the same thing: every rule's ERE translation
accepts the rule's own match examples and rejects its no-match examples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from run import to_ere

from smartmon.diagnose.rules import load_rules


def _grep_lines(ere: str, lines: list[str]) -> set[int]:
    # The lines go in on stdin: no file per rule (a temporary folder each cost more than grep).
    proc = subprocess.run(
        ["grep", "-E", "-n", "-e", ere],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {int(row.split(":", 1)[0]) - 1 for row in proc.stdout.splitlines()}


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.id)
def test_translation_agrees_with_examples(rule: object) -> None:
    from smartmon.diagnose.rules import Rule

    assert isinstance(rule, Rule)
    positives = [e.text for e in rule.examples_match]
    negatives = list(rule.examples_no_match)
    hits = _grep_lines(to_ere(rule.pattern), positives + negatives)
    assert hits == set(range(len(positives)))


def test_a_folded_range_is_two_ranges_not_a_run_across_cases() -> None:
    # `(?i:[a-c])` is a-c or A-C; folding each end alone would give `[aA-cC]`, whose middle
    # range A-c also holds `[`, `_` and the backtick.
    ere = to_ere("(?i:x[a-c]9)")
    assert _grep_lines(ere, ["xb9", "XB9", "x_9", "x[9", "xd9"]) == {0, 1}
