"""libtest's "error: Unrecognized option: 'noplot'" counts only where a cargo harness ran: cargo's
"Running unittests …" line above it, or, in a paste that kept none, cargo's "error: bench failed, to
rerun pass `…`" below it (cargo's tests/testsuite/bench.rs; context_above.no_harness_run). rustc's
own getopts line for a flag it does not know has neither.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, run_step, top_finding, write_job

_REFUSED = "error: Unrecognized option: 'noplot'"


def test_cargo_bench_failed_below_counts_the_harness(tmp_path: Path) -> None:
    lines = [
        *run_step(
            "cargo bench --workspace -- --noplot",
            "    Finished `bench` profile [optimized] target(s) in 4m 02s",
            _REFUSED,
            "error: bench failed, to rerun pass `-p the-crate --lib`",
        ),
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] == "test_failure"


def test_without_a_harness_line_it_is_no_test_failure(tmp_path: Path) -> None:
    lines = [
        *run_step("rustdoc --crate-version 1.0 src/lib.rs", _REFUSED),
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] != "test_failure"


def test_a_later_steps_cargo_line_does_not_count(tmp_path: Path) -> None:
    lines = [
        *run_step("rustc --diagnostic-width=80 src/main.rs", _REFUSED),
        *run_step("cargo test", "error: test failed, to rerun pass `--lib`"),
        FAILED,
    ]
    rules = [f.rule for f in analyze_paths([write_job(tmp_path, lines)]).findings]
    assert "libtest-unrecognized-option" not in rules


def test_cargos_doctest_failed_line_is_no_harness(tmp_path: Path) -> None:
    # rustdoc itself refused RUSTDOCFLAGS' flag: cargo says "doctest failed" for that too.
    lines = [
        *run_step(
            "cargo +1.60 test --doc",
            "    Finished test [unoptimized + debuginfo] target(s) in 3.10s",
            "   Doc-tests acme",
            "error: Unrecognized option: 'diagnostic-width'",
            "error: doctest failed, to rerun pass `--doc`",
        ),
        FAILED,
    ]
    assert top_finding(tmp_path, lines)[0] != "test_failure"
