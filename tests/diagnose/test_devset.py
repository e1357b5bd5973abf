"""The labelled development set: real error texts in the downloaded format, with expected answers.

Each `tests/data/logs/<name>.expected.json` sits next to `<name>.txt` or `<name>.zip`. A hidden set of
other real logs measures the same things: top-1 type, captured facts, and no findings on passing logs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smartmon.diagnose import Analysis, analyze_paths

DATA = Path(__file__).resolve().parents[1] / "data" / "logs"
CASES = sorted(DATA.glob("*.expected.json"))


def _input_for(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    for suffix in (".txt", ".zip"):
        candidate = expected.with_name(stem + suffix)
        if candidate.exists():
            return candidate
    candidate = expected.with_name(stem)
    if candidate.is_dir():
        return candidate
    raise AssertionError(f"{expected.name}: no .txt, .zip or folder next to it")


def _problems(expected: dict[str, Any], analysis: Analysis) -> list[str]:
    problems: list[str] = []
    if "jobs" in expected and len(analysis.jobs) != expected["jobs"]:
        problems.append(f"jobs: {len(analysis.jobs)} != {expected['jobs']}")
    if expected.get("passing"):
        if analysis.findings:
            got = [(f.type.value, f.rule, f.line) for f in analysis.findings]
            problems.append(f"false alarm on a passing log: {got}")
        return problems
    if not analysis.findings:
        return [*problems, "no finding on a failed log"]
    top = analysis.findings[0]
    want = expected["top"]
    if top.type.value != want["type"]:
        problems.append(f"top type {top.type.value} ({top.rule}: {top.text!r}) != {want['type']}")
        return problems
    for key, value in want.get("data", {}).items():
        if top.data.get(key) != str(value):
            problems.append(f"data[{key}] = {top.data.get(key)!r} != {value!r}")
    if "job" in want and top.job != want["job"]:
        problems.append(f"job {top.job!r} != {want['job']!r}")
    if "line" in want:
        if want["type"] == "unknown":
            # Nothing names the cause: any line of the reported tail that holds the labelled one.
            if not top.line - 10 <= want["line"] <= top.line:
                problems.append(
                    f"line {want['line']} not in the reported tail ending at {top.line}"
                )
        elif top.line != want["line"]:
            problems.append(f"line {top.line} != {want['line']}")
    return problems


def test_dev_set_is_big_enough() -> None:
    passing = [c for c in CASES if json.loads(c.read_text()).get("passing")]
    zips = [c for c in CASES if _input_for(c).suffix == ".zip"]
    assert len(CASES) >= 60
    assert len(passing) >= 15
    assert len(zips) >= 4


@pytest.mark.parametrize(
    "expected_path", CASES, ids=lambda p: p.name.removesuffix(".expected.json")
)
def test_case(expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text())
    analysis = analyze_paths([_input_for(expected_path)])
    assert _problems(expected, analysis) == []


def test_json_is_one_object_with_ordered_findings() -> None:
    failing = next(c for c in CASES if not json.loads(c.read_text()).get("passing"))
    analysis = analyze_paths([_input_for(failing)])
    doc = json.loads(json.dumps(analysis.to_dict()))
    assert set(doc) >= {"findings", "notices", "jobs"}
    ranks = ["critical", "high", "medium", "low"]
    primaries = doc["findings"][: len([j for j in doc["jobs"] if j["conclusion"] == "failure"])]
    assert [ranks.index(f["severity"]) for f in primaries] == sorted(
        ranks.index(f["severity"]) for f in primaries
    )
