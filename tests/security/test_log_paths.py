"""Run-log zips with `../`, absolute, drive-letter and symlink members, and log folders with links
out: each hostile member is refused by name, the rest is still analysed, nothing is written
anywhere, and no file outside the given logs is read."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from smartmon.cli.main import main

TS = "2025-04-07T12:57:33.2904078Z "
LOG = (
    f"{TS}##[group]Run python -m app\n{TS}##[endgroup]\n"
    f"{TS}ModuleNotFoundError: No module named 'yaml'\n"
    f"{TS}##[error]Process completed with exit code 1.\n"
)
UNSAFE = [
    "../../evil/1_build.txt",
    "/abs/2_test.txt",
    "build/../../../3_up.txt",
    "C:\\win\\4_drive.txt",
    "build\\..\\..\\5_back.txt",
]
# A file outside the logs whose content would be a finding if it were read.
OUTSIDE_TEXT = "ModuleNotFoundError: No module named 'outside_secret_module'\n"


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _zip(path: Path, outside: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("0_ok.txt", LOG)
        for name in UNSAFE:
            zf.writestr(name, LOG.replace("yaml", "evil_module"))
        link = zipfile.ZipInfo("6_link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, str(outside))
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_unsafe_zip_members_are_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(OUTSIDE_TEXT)
    run_zip = _zip(tmp_path / "run.zip", outside)
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    code, out, err = _run(capsys, "analyze", run_zip, "--format", "json")
    assert code == 0, err
    assert _tree(tmp_path) == before  # nothing extracted, here or anywhere under it
    assert not Path("/abs").exists() and not (tmp_path.parent / "evil").exists()
    doc = json.loads(out)
    modules = {f["data"].get("module") for f in doc["findings"]}
    assert modules == {"yaml"}, doc["findings"]  # the safe member still counts
    refused = " ".join(doc.get("errors", []))
    for name in UNSAFE:
        assert repr(name) in refused and "unsafe member name" in refused
    # The symlink member is its bytes (a path), never the file it names.
    assert "outside_secret_module" not in out + err


def test_fix_from_a_hostile_zip_edits_only_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(OUTSIDE_TEXT)
    run_zip = _zip(tmp_path / "run.zip", outside)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("requests\n")
    before = _tree(tmp_path)
    code, out, err = _run(capsys, "fix", "--log", run_zip, "--repo", repo)
    assert code == 0, err
    assert _tree(tmp_path) == before
    assert (repo / "requirements.txt").read_text() == "requests\nPyYAML\n"
    assert "evil_module" not in out and "unsafe member name" in err


def test_a_symlink_in_a_log_folder_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`unzip` of a hostile run zip makes such links; the file behind one must not be read."""
    outside = tmp_path / "outside.txt"
    outside.write_text(TS + OUTSIDE_TEXT + TS + "##[error]Process completed with exit code 1.\n")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "0_ok.txt").write_text(LOG)
    os.symlink(outside, logs / "1_link.txt")
    code, out, _ = _run(capsys, "analyze", logs, "--format", "json")
    assert code == 0
    assert "outside_secret_module" not in out
