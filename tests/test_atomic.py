import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from smartmon import atomic


def _temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{atomic.TEMP_SUFFIX}"))


def test_write_creates_the_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    assert atomic.write_json(target, {"a": [1, "é"]}) == target
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": [1, "é"]}
    assert target.read_text(encoding="utf-8").endswith("\n")
    assert _temps(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_new_file_mode_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic.write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640


def test_replacing_keeps_the_existing_mode_unless_one_is_given(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_text("old\n")
    target.chmod(0o751)
    atomic.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    atomic.write_text(target, "newer\n", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symlink_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n")
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    atomic.write_text(link, "report\n")
    assert outside.read_text() == "keep me\n"
    assert not link.is_symlink()
    assert link.read_text() == "report\n"


def test_unserializable_value_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text('{"old": true}\n')
    with pytest.raises(TypeError):
        atomic.write_json(target, {"bad": object()})
    with pytest.raises(ValueError):
        atomic.write_json(target, {"nan": float("nan")})
    assert target.read_text() == '{"old": true}\n'
    assert _temps(tmp_path) == []


def test_a_failed_rename_removes_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "child").write_text("x")
    with pytest.raises(OSError):
        atomic.write_bytes(target, b"data")
    assert (target / "child").read_text() == "x"
    assert _temps(tmp_path) == []


def test_missing_parent_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic.write_text(tmp_path / "nope" / "r.json", "x")


def test_long_names_still_get_a_temp_name_that_fits(tmp_path: Path) -> None:
    target = tmp_path / ("r" * 250)
    atomic.write_text(target, "ok")
    assert target.read_text() == "ok"


def test_file_is_synced_before_the_rename_and_the_directory_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        kind = "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        events.append(f"fsync-{kind}")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic.write_text(tmp_path / "r.txt", "x")
    assert events == ["fsync-file", "replace", "fsync-dir"]


def test_remove_stale_temps_only_touches_temp_files_with_the_prefix(tmp_path: Path) -> None:
    stale = tmp_path / f".report_1.json.abcdef012345{atomic.TEMP_SUFFIX}"
    other = tmp_path / f".notes.txt.abcdef012345{atomic.TEMP_SUFFIX}"
    keep = tmp_path / "report_1.json"
    for p in (stale, other, keep):
        p.write_text("x")
    assert atomic.remove_stale_temps(tmp_path, "report_") == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, keep.name])
    assert atomic.remove_stale_temps(tmp_path / "missing") == []


def _child(script: str, tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_kill_9_between_write_and_rename_keeps_the_old_content(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text('{"iteration": 1}\n')
    # The child blocks inside os.replace (after the temp file is complete and synced) until killed.
    child = _child(
        """
        import os, sys
        from smartmon import atomic

        def replace(src, dst):
            print("renaming", flush=True)
            sys.stdin.read()

        os.replace = replace
        atomic.write_json(os.path.join(sys.argv[1], "report.json"), {"iteration": 2})
        """,
        tmp_path,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "renaming"
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    assert json.loads(target.read_text()) == {"iteration": 1}
    (temp,) = _temps(tmp_path)
    assert json.loads(temp.read_text()) == {"iteration": 2}
    assert atomic.remove_stale_temps(tmp_path, "report") == [temp]


def test_kill_9_during_a_stream_of_writes_never_leaves_a_partial_file(tmp_path: Path) -> None:
    child = _child(
        """
        import os, sys
        from smartmon import atomic

        path = os.path.join(sys.argv[1], "report.json")
        n = 0
        while True:
            n += 1
            atomic.write_json(path, {"n": n, "pad": ["x" * 1000] * (200 + n % 7)})
            print(n, flush=True)
        """,
        tmp_path,
    )
    assert child.stdout is not None
    for _ in range(25):
        child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["n"] >= 25
    assert len(data["pad"]) == 200 + data["n"] % 7
