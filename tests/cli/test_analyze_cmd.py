"""`smartmon analyze` as a process: --explain, and --failed/--passed overriding the log's verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXCERPT = (
    "Run python -m app\n"
    "Traceback (most recent call last):\n"
    '  File "/home/runner/work/shop/shop/app/settings.py", line 12, in <module>\n'
    '    SECRET = os.environ["SHOP_API_KEY"]\n'
    "KeyError: 'SHOP_API_KEY'\n"
)
STAMP = "2026-07-30T10:37:27.7634265Z "
PASSING = [
    "Current runner version: '2.327.1'",
    "##[group]Run pip install -r requirements.txt",
    "pip install -r requirements.txt",
    "##[endgroup]",
    "WARNING: Retrying (Retry(total=4)) after connection broken by 'ReadTimeoutError'",
    "Successfully installed requests-2.32.3",
    "Post job cleanup.",
    "Cleaning up orphan processes",
]


def _analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smartmon", "analyze", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_an_excerpt_without_trailer_is_a_failure_with_its_cause(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(EXCERPT)
    out = json.loads(_analyze(str(paste), "--format", "json").stdout)
    assert out["findings"][0]["type"] == "missing_env_vars"
    assert out["findings"][0]["data"]["var"] == "SHOP_API_KEY"


def test_passed_overrides_and_failed_forces_a_cause(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(EXCERPT)
    assert json.loads(_analyze(str(paste), "--format", "json", "--passed").stdout)["findings"] == []
    whole = tmp_path / "whole.txt"
    whole.write_text("".join(STAMP + line + "\n" for line in PASSING))
    assert json.loads(_analyze(str(whole), "--format", "json").stdout)["findings"] == []
    forced = json.loads(_analyze(str(whole), "--format", "json", "--failed").stdout)
    assert [f["type"] for f in forced["findings"]] != []
    assert forced["jobs"][0]["conclusion"] == "failure"


def test_explain_names_the_winner_and_why_the_others_lost(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(EXCERPT)
    text = _analyze(str(paste), "--explain").stdout
    assert "Why:" in text
    assert "failed, by an excerpt (no end-of-job lines): its error lines" in text
    assert "won: the highest-priority cause that matched" in text
    data = json.loads(_analyze(str(paste), "--explain", "--format", "json").stdout)
    [job] = data["explain"]
    assert job["verdict_from"] == "excerpt"
    outcomes = [c["outcome"] for c in job["candidates"]]
    assert any(o.startswith("won") for o in outcomes)


def test_failed_and_passed_cannot_be_given_together(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_text(EXCERPT)
    result = _analyze(str(paste), "--failed", "--passed")
    assert result.returncode == 2
    assert "not allowed with" in result.stderr
