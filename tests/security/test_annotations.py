"""Annotations from hostile log text: one command per line, data and properties escaped, and a path
out of the repository (`../../etc/passwd`, `/etc/passwd`) never becomes an annotation's file."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.action.runtime import Runtime

TS = "2025-04-07T12:57:33.2904078Z "
TOKEN = "ghs_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"

OUTSIDE = ["../../etc/passwd.yml", "/etc/passwd.yml", "a/../../../etc/passwd.yml"]


def _commands(out: str) -> list[str]:
    lines = out.splitlines()
    for line in lines:
        assert line.startswith(("::error", "::warning", "::notice")), line
    return lines


@pytest.mark.parametrize("path", OUTSIDE)
def test_analyze_github_format_drops_paths_out_of_the_repository(tmp_path: Path, path: str) -> None:
    log = tmp_path / "job.txt"
    log.write_text(
        "".join(
            TS + line + "\n"
            for line in [
                "##[group]Run yamllint .",
                "##[endgroup]",
                f"::error file={path},line=1::owned",
                f"{path}:3:1: could not parse as YAML: found character",
                "##[error]Process completed with exit code 1.",
            ]
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon", "analyze", str(log), "--format", "github"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = _commands(proc.stdout)
    assert lines, "the finding is still reported"
    for line in lines:
        props = line.split("::")[1]
        assert "file=" not in props and "line=" not in props, line


def test_an_inside_path_keeps_its_place(tmp_path: Path) -> None:
    log = tmp_path / "job.txt"
    log.write_text(
        TS + ".github/workflows/ci.yml:3:1: could not parse as YAML: found character\n"
        + TS + "##[error]Process completed with exit code 1.\n"
    )  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon", "analyze", str(log), "--format", "github"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "file=.github/workflows/ci.yml,line=3" in proc.stdout


@pytest.mark.parametrize("path", OUTSIDE)
def test_runtime_annotation_on_an_outside_path_goes_on_the_run(path: str) -> None:
    out = io.StringIO()
    rt = Runtime(env={}, out=out, secrets=[TOKEN])
    assert rt.error("boom", file=path, line=3, col=1, title="smartmon: x")
    (line,) = _commands(out.getvalue())
    assert line == "::error title=smartmon%3A x::boom"


def test_runtime_annotation_text_cannot_start_another_command() -> None:
    out = io.StringIO()
    rt = Runtime(env={}, out=out, secrets=[TOKEN])
    message = (
        f"line one\n::add-mask::{TOKEN}\r::set-env name=A::b\r\n##[set-output name=x]y"
        f" ::stop-commands::zz {TOKEN}"
    )
    rt.error(message, file="src/app.py", line=2, title="t,itle::\n::error::x")
    rt.warning(message, title=message)
    rt.notice(message)
    lines = _commands(out.getvalue())
    assert len(lines) == 3
    assert TOKEN not in out.getvalue()
    # The runner reads a line as one v2 command first: `##[` and `::` inside its data stay text.
    props, data = lines[0].removeprefix("::error ").split("::", 1)
    assert props.split(",") == [
        "title=t%2Citle%3A%3A%0A%3A%3Aerror%3A%3Ax",
        "file=src/app.py",
        "line=2",
    ]
    assert data.startswith("line one%0A::add-mask::***%0D::set-env")


def test_runtime_info_and_log_block_keep_log_text_inert() -> None:
    out = io.StringIO()
    rt = Runtime(env={}, out=out, secrets=[TOKEN])
    hostile = f"::add-mask::x\n  ::set-env name=A::b\nok ##[set-output name=x]y\n{TOKEN}"
    rt.info(hostile)
    rt.log_block("the log", hostile)
    lines = out.getvalue().splitlines()
    assert TOKEN not in out.getvalue()
    # Outside ::group:: lines, every command-like line is inside a stop-commands block.
    open_token = None
    for line in lines:
        start = re.fullmatch(r"::stop-commands ?::(\w+)", line)  # the runner reads both forms
        if start:
            open_token = start.group(1)
        elif open_token and line == f"::{open_token}::":
            open_token = None
        elif line.strip().startswith("::") or "##[" in line:
            assert open_token is not None or re.match(r"::(end)?group ?::", line), line
    assert open_token is None
