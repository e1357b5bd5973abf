"""A large log read by two processes gives exactly what one pass gives.

`diagnose/parallel.py` cuts a plain log file near its middle, scans the halves at once (this
process and a forked child) and merges. Every dev-set log is run both ways here, with the size
threshold lowered so even small files are cut, and with cuts forced at many points of one log.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import classify, parallel
from smartmon.diagnose.jobstate import JobState
from smartmon.diagnose.scan import scan_source
from smartmon.diagnose.sources import JobSource, discover

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


def _missing_in_two_steps(tmp_path: Path) -> Path:
    """A tool missing in a step that went on, then two missing in the step that failed: the rule
    keeps the first of the last step (scan.STEP_FIRST_TYPES), which a cut must not change."""
    stamp = "2025-05-02T00:19:58.1268944Z "
    lines = [
        "##[group]Run ./probe.sh",
        "##[endgroup]",
        "./probe.sh: line 3: shfmt: command not found",
        "probe done",
        "##[group]Run make gen",
        "##[endgroup]",
        *[f"generating part {i}" for i in range(12)],
        "make: protoc-gen-go: command not found",
        "make: protoc-gen-go-grpc: command not found",
        "##[error]Process completed with exit code 127.",
    ]
    log = tmp_path / "job.txt"
    log.write_text("".join(stamp + line + "\n" for line in lines))
    return log


@pytest.mark.parametrize("name", ["keyerror", "two-steps"])
def test_any_cut_point_merges_to_the_same_state(tmp_path: Path, name: str) -> None:
    log = (
        DATA / "missing_env_vars-keyerror-api-key.txt"
        if name == "keyerror"
        else _missing_in_two_steps(tmp_path)
    )
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
        assert _first_exit(merged) == _first_exit(whole), cut


def _first_exit(state: JobState) -> tuple[object, ...] | None:
    if state.first_exit is None:
        return None
    mark, _, line_no = state.first_exit
    return (mark.name, mark.number, line_no)


def _state_facts(state: JobState) -> tuple[object, ...]:
    hits = {i: (h.line, h.step.name, h.step.number, h.text) for i, h in state.hits.items()}
    return (state.lines, state.failed, state.exit_codes, state.last_line_no, hits)


LOG = DATA / "missing_env_vars-keyerror-api-key.txt"


@pytest.mark.parametrize("path", LOGS, ids=lambda p: p.name)
def test_many_pieces_merge_to_one_pass(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of a few hundred bytes, handed out to both processes: chained merges, same state."""
    [source] = discover(path)
    monkeypatch.setattr(parallel, "_read_here", _no_fallback)
    monkeypatch.setattr(parallel, "_PIECE", 300)
    assert len(parallel._bounds(path)) > 3 or path.stat().st_size < 900
    assert _state_facts(parallel.scan_in_two(source, path)) == _state_facts(scan_source(source))


def test_bounds_cut_at_newlines() -> None:
    data = LOG.read_bytes()
    for piece in (1, 50, 1000, 1 << 30):
        bounds = parallel._bounds(LOG, piece)
        assert bounds[0] == 0 and bounds[-1] == len(data)
        assert bounds == sorted(set(bounds))
        assert all(data[cut - 1 : cut] == b"\n" for cut in bounds[1:-1])
        assert len(bounds) - 1 <= parallel._MAX_PIECES


def _take_all_then(fail: str) -> object:
    """A child that claims every piece, then fails: only a fallback here can read them."""

    def child(out: int, work: int, *args: object) -> None:
        import os
        import signal

        while os.read(work, 1):
            pass
        if fail == "raise":
            raise RuntimeError("the child fails")
        if fail == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        with os.fdopen(out, "wb") as fh:
            fh.write(b"\x80\x05 not a pickle")

    return child


@pytest.mark.parametrize("fail", ["raise", "kill", "garbage"])
def test_a_child_that_fails_is_replaced_by_reading_here(
    fail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    [source] = discover(LOG)
    monkeypatch.setattr(parallel, "_PIECE", 400)
    whole = scan_source(source)
    monkeypatch.setattr(parallel, "_helper", _take_all_then(fail))
    monkeypatch.setattr(parallel, "_take_pieces", lambda *args: {})  # this process takes none
    fallbacks: list[int] = []
    read_here = parallel._read_here

    def counted(
        source: JobSource, path: Path, bounds: list[int], index: int, block_size: int
    ) -> JobState:
        fallbacks.append(index)
        return read_here(source, path, bounds, index, block_size)

    monkeypatch.setattr(parallel, "_read_here", counted)
    split = parallel.scan_in_two(source, LOG)
    assert fallbacks == list(range(1, len(parallel._bounds(LOG)) - 1))
    assert _state_facts(split) == _state_facts(whole)


def test_an_error_in_this_process_stops_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    [source] = discover(LOG)
    waited: list[int] = []
    answer = parallel._answer

    def recorded(pid: int, receive: int) -> bytes | None:
        waited.append(pid)
        return answer(pid, receive)

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError("the first piece became unreadable")

    monkeypatch.setattr(parallel, "_answer", recorded)
    monkeypatch.setattr(parallel, "scan_source", failing)
    with pytest.raises(OSError, match="first piece"):
        parallel.scan_in_two(source, LOG)
    assert len(waited) == 1  # the child was reaped, not left behind
