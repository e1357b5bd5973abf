"""Hostile log text stays inert in every `analyze` output: workflow commands, Markdown/HTML, terminal
escapes, and secrets (tokens, values the job masked) never get through."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

TS = "2025-04-07T12:57:33.2904078Z "
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
MASKED = "s3cr3t-value-from-the-job"

HOSTILE = [
    "::set-env name=LD_PRELOAD::/tmp/evil.so",
    "::add-mask::" + MASKED,
    "::stop-commands::pwned",
    "##[set-output name=x]y",
    "::error file=../../etc/passwd,line=1::owned",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) | a | b |",
    "`" * 10_000,
    "\x1b]0;evil title\x07\x1b[2J\x1b[31mred\x1b[0m token " + TOKEN + " and " + MASKED,
]


def _log(tmp_path: Path) -> Path:
    lines = [
        "Complete job name: build <script>alert(1)</script>",
        "##[group]Run python app.py",
        "shell: /usr/bin/bash -e {0}",
        "##[endgroup]",
        *HOSTILE,
        "Traceback (most recent call last):",
        "ModuleNotFoundError: No module named 'yaml' " + TOKEN + " " + MASKED,
        "##[error]Process completed with exit code 1.",
    ]
    path = tmp_path / "job.txt"
    path.write_text("".join(TS + line + "\n" for line in lines), encoding="utf-8")
    return path


def _analyze(path: Path, fmt: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon", "analyze", str(path), "--format", fmt],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_secrets_never_in_output(tmp_path: Path, fmt: str) -> None:
    out = _analyze(_log(tmp_path), fmt)
    assert "ModuleNotFoundError" in out or "missing_dependency" in out
    assert TOKEN not in out
    assert MASKED not in out


def test_github_format_only_emits_our_commands(tmp_path: Path) -> None:
    out = _analyze(_log(tmp_path), "github")
    for line in out.splitlines():
        assert line.startswith(("::error ", "::error::", "::warning ", "::warning::")), line
        # Data is escaped: no second command can start inside one line.
        assert "\r" not in line


def test_markdown_renders_hostile_text_inert(tmp_path: Path) -> None:
    out = _analyze(_log(tmp_path), "markdown")
    assert "<script" not in out and "<img" not in out
    assert "](javascript:" not in out
    # Every table row keeps exactly the table's six cells.
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line]
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) == 8, row


def test_text_output_has_no_terminal_escapes(tmp_path: Path) -> None:
    out = _analyze(_log(tmp_path), "text")
    assert "\x1b" not in out and "\x07" not in out


def test_json_is_valid_and_redacted(tmp_path: Path) -> None:
    doc = json.loads(_analyze(_log(tmp_path), "json"))
    top = doc["findings"][0]
    assert top["type"] == "missing_dependency"
    assert "***" in top["text"]
