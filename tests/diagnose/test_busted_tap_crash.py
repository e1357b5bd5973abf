"""busted's TAP handler crashing on a nil 'currentline' (busted-tap-handler-crashed) is the cause only
where no named test failed above it in its step: under "not ok 3 - math adds numbers" or a "# Failure
message:" row the test failure wins (tap_blocks.named_tap_failure_above). Lines as rev55 built them
after lunarmodules/busted #569 and PR #731."""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import top_finding

_CRASH = [
    "not ok 4 - ",
    "lua: /usr/local/share/lua/5.1/busted/outputHandlers/TAP.lua:44: attempt to concatenate field "
    "'currentline' (a nil value)",
    "stack traceback:",
    "        /usr/local/share/lua/5.1/busted/outputHandlers/TAP.lua:44: in function 'showFailure'",
    "Error: Process completed with exit code 1.",
]


def test_the_plain_crash_is_unknown(tmp_path: Path) -> None:
    lines = ["Run busted -o TAP", "1..1", *_CRASH]
    lines[2] = "not ok 1 - "
    assert top_finding(tmp_path, lines)[0] == "unknown"


def test_a_named_failure_above_wins(tmp_path: Path) -> None:
    lines = [
        "Run busted -o TAP spec",
        "ok 1 - util trims strings",
        "not ok 3 - math adds numbers",
        "# spec/math_spec.lua @ 10",
        "# Failure message: spec/math_spec.lua:11: Expected objects to be the same.",
        "# Expected:",
        "# (number) 4",
        *_CRASH,
    ]
    kind, data = top_finding(tmp_path, lines)
    assert kind == "test_failure"
    assert data.get("test") == "math adds numbers"


def test_a_failure_message_alone_wins(tmp_path: Path) -> None:
    lines = [
        "Run busted -o TAP spec",
        "# Failure message: spec/math_spec.lua:11: Expected objects to be the same.",
        *_CRASH,
    ]
    path = tmp_path / "job.txt"
    path.write_text("\n".join(lines) + "\n")
    findings = analyze_paths([path]).findings
    assert all(f.rule != "busted-tap-handler-crashed" for f in findings)
