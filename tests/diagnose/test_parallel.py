"""A large log read by two processes gives exactly what one pass gives.

`diagnose/parallel.py` cuts a plain log file near its middle, scans the halves at once (this
process and a forked child) and merges. Every dev-set log is run both ways here, with the size
threshold lowered so even small files are cut, and with cuts forced at many points of one log.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify, parallel
from smartmon.diagnose.scan import scan_source
from smartmon.diagnose.sources import discover

DATA = Path(__file__).resolve().parents[1] / "data" / "logs"
LOGS = sorted(p for p in DATA.glob("*.txt"))


def _no_fallback(*args: object) -> None:
    raise AssertionError("the child process did not answer")


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    [source] = discover(path)
    monkeypatch.setattr(parallel, "_read_here", _no_fallback)
    monkeypatch.setattr(classify, "PARALLEL_MIN", 1 << 62)
    serial = classify.analyze_job(source)
    monkeypatch.setattr(classify, "PARALLEL_MIN", 0)
    split = classify.analyze_job(source)
    return serial, split


@pytest.mark.parametrize("path", LOGS, ids=lambda p: p.name)
def test_two_halves_give_what_one_pass_gives(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial, split = _both(path, monkeypatch)
    s_summary, s_primary, s_secondary, s_notices, s_first = serial  # type: ignore[misc]
    p_summary, p_primary, p_secondary, p_notices, p_first = split  # type: ignore[misc]
    assert p_summary.conclusion == s_summary.conclusion
    assert p_summary.lines == s_summary.lines
    assert [(f.type, f.rule, f.line, f.step, f.data) for f in p_primary] == [
        (f.type, f.rule, f.line, f.step, f.data) for f in s_primary
    ]
    assert [f.rule for f in p_secondary] == [f.rule for f in s_secondary]
    assert [n.rule for n in p_notices] == [n.rule for n in s_notices]
    assert p_first == s_first


def test_any_cut_point_merges_to_the_same_state(tmp_path: Path) -> None:
    log = DATA / "missing_env_vars-keyerror-api-key.txt"
    [source] = discover(log)
    whole = scan_source(source)
    data = log.read_bytes()
    cuts = [i + 1 for i, byte in enumerate(data) if byte == 0x0A][
        :: max(1, data.count(b"\n") // 25)
    ]
    for cut in cuts:
        first = scan_source(parallel._half(source, log, 0, cut))
        second = scan_source(
            parallel._half(source, log, cut, len(data)),
            start=parallel._PROVISIONAL,
            tail=parallel._tail_before(log, cut),
        )
        merged = parallel.merge(first, second)
        assert merged.lines == whole.lines, cut
        assert merged.failed == whole.failed, cut
        assert merged.exit_codes == whole.exit_codes, cut
        assert {i: (h.line, h.step.name, h.step.number) for i, h in merged.hits.items()} == {
            i: (h.line, h.step.name, h.step.number) for i, h in whole.hits.items()
        }, cut
        assert merged.last_line_no == whole.last_line_no, cut
