from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from smartmon.fixers.workspace import Workspace, WorkspaceError
from smartmon.model import Edit


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "t@example.com")
    _git(root, "config", "user.name", "t")
    (root / "requirements.txt").write_bytes(b"# deps\r\nrequests\r\n")
    (root / "scripts").mkdir()
    (root / "scripts" / "build.sh").write_bytes(b"#!/bin/sh\necho hi\n")
    os.chmod(root / "scripts" / "build.sh", 0o644)
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (root / ".github" / "workflows" / "b.yaml").write_text("on: push\n")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "init")
    return root


def test_root_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a directory"):
        Workspace(tmp_path / "missing")
    (tmp_path / "f").write_text("x")
    with pytest.raises(WorkspaceError):
        Workspace(tmp_path / "f")


def test_reads_keep_line_endings(repo: Path) -> None:
    ws = Workspace(repo)
    assert ws.root == repo.resolve()
    assert ws.read_bytes("requirements.txt") == b"# deps\r\nrequests\r\n"
    assert ws.read_text("requirements.txt") == "# deps\r\nrequests\r\n"
    assert ws.read_text("./scripts/../requirements.txt").startswith("# deps")
    assert ws.exists("requirements.txt")
    assert not ws.exists("nope.txt")
    assert not ws.exists("scripts")  # a directory is not a file
    with pytest.raises(WorkspaceError, match="no such file"):
        ws.read_bytes("nope.txt")


@pytest.mark.parametrize(
    "rel",
    ["../outside", "/etc/passwd", "a/../../outside", "", ".", "C:/x", "a\\b", "x\0y"],
)
def test_refuses_paths_outside_root(repo: Path, rel: str) -> None:
    ws = Workspace(repo)
    with pytest.raises(WorkspaceError):
        ws.read_bytes(rel)
    with pytest.raises(WorkspaceError):
        ws.apply([Edit(path=rel, content=b"x")])


def test_refuses_symlinks_anywhere_in_the_path(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "token").write_text("s3cret")
    (repo / "link").symlink_to(secret)
    (repo / "req-link.txt").symlink_to(repo / "requirements.txt")
    ws = Workspace(repo)
    for rel in ("link/token", "req-link.txt"):
        with pytest.raises(WorkspaceError, match="symlink") as err:
            ws.read_bytes(rel)
        assert rel in str(err.value)
        with pytest.raises(WorkspaceError, match="symlink"):
            ws.apply([Edit(path=rel, content=b"pwned")])
    assert (secret / "token").read_text() == "s3cret"
    assert (repo / "requirements.txt").read_bytes() == b"# deps\r\nrequests\r\n"


def test_refuses_writes_inside_git_dir(repo: Path) -> None:
    ws = Workspace(repo)
    for rel in (".git/hooks/pre-commit", ".GIT/config", "sub/.git/x"):
        with pytest.raises(WorkspaceError, match=r"\.git"):
            ws.apply([Edit(path=rel, content=b"#!/bin/sh\n")])
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()


def test_glob_sorted_skips_symlinks_and_git(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.yml").write_text("x")
    (repo / ".github" / "workflows" / "linked").symlink_to(outside)
    (repo / ".github" / "workflows" / "l.yml").symlink_to(outside / "evil.yml")
    (repo / "pkg" / "sub").mkdir(parents=True)
    (repo / "pkg" / "a.py").write_text("")
    (repo / "pkg" / "sub" / "b.py").write_text("")
    (repo / ".venv").mkdir()
    (repo / ".venv" / "c.py").write_text("")
    ws = Workspace(repo)
    assert ws.glob(".github/workflows/*.y*ml") == [
        ".github/workflows/b.yaml",
        ".github/workflows/ci.yml",
    ]
    assert ws.glob("**/*.py", prune={".venv"}) == ["pkg/a.py", "pkg/sub/b.py"]
    assert ws.glob("**/*.py") == [".venv/c.py", "pkg/a.py", "pkg/sub/b.py"]
    assert ws.glob("requirements*.txt") == ["requirements.txt"]
    (repo / "pkg" / ".git").write_text("gitdir: ../.git/modules/pkg\n")
    assert not any(p == ".git" or ".git/" in p or p.endswith("/.git") for p in ws.glob("**"))
    assert ws.glob("nothing/*.yml") == []
    ws.stage([Edit(path="requirements-dev.txt", content=b"pytest\n")])
    assert ws.glob("requirements*.txt") == ["requirements-dev.txt", "requirements.txt"]


def test_is_git(repo: Path, tmp_path: Path) -> None:
    assert Workspace(repo).is_git()
    plain = tmp_path / "plain"
    plain.mkdir()
    # A directory outside any work tree (tmp_path is not in one).
    env_ok = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=plain, capture_output=True, check=False
    )
    assert Workspace(plain).is_git() is (env_ok.returncode == 0)


def test_stage_overlays_reads_and_merges(repo: Path) -> None:
    ws = Workspace(repo)
    first = b"# deps\r\nrequests\r\nPyYAML\r\n"
    ws.stage(
        [Edit(path="requirements.txt", content=first, original=ws.read_bytes("requirements.txt"))]
    )
    assert ws.read_bytes("requirements.txt") == first
    second = first + b"rich\r\n"
    ws.stage([Edit(path="./requirements.txt", content=second, original=first)])
    ws.stage([Edit(path="scripts/build.sh", executable=True)])
    assert ws.is_executable("scripts/build.sh")
    assert ws.staged() == (
        Edit(
            path="requirements.txt",
            content=second,
            executable=None,
            original=b"# deps\r\nrequests\r\n",
        ),
        Edit(
            path="scripts/build.sh", content=None, executable=True, original=b"#!/bin/sh\necho hi\n"
        ),
    )
    # Nothing touched the disk yet.
    assert (repo / "requirements.txt").read_bytes() == b"# deps\r\nrequests\r\n"
    with pytest.raises(WorkspaceError, match="changed since planned"):
        ws.stage([Edit(path="requirements.txt", content=b"x", original=first)])


def test_diff_is_git_style_and_git_applies_it(repo: Path) -> None:
    ws = Workspace(repo)
    ws.stage(
        [
            Edit(path="requirements.txt", content=b"# deps\r\nrequests\r\nPyYAML\r\n"),
            Edit(path="scripts/build.sh", executable=True),
            Edit(path=".github/workflows/ci.yml", content=b"on: push"),
        ]
    )
    diff = ws.diff()
    assert (
        "diff --git a/scripts/build.sh b/scripts/build.sh\nold mode 100644\nnew mode 100755\n"
        in diff
    )
    assert "--- a/requirements.txt\n+++ b/requirements.txt\n" in diff
    assert "+PyYAML\r\n" in diff
    assert "\\ No newline at end of file\n" in diff
    (repo.parent / "p.diff").write_text(diff, newline="")
    subprocess.run(["git", "apply", "--check", str(repo.parent / "p.diff")], cwd=repo, check=True)
    # Explicit edits are diffed against the disk, not the staged overlay.
    assert (
        Workspace(repo).diff([Edit(path="requirements.txt", content=b"# deps\r\nrequests\r\n")])
        == ""
    )


def test_apply_writes_atomically_keeps_mode_and_sets_git_exec_bit(repo: Path) -> None:
    os.chmod(repo / "requirements.txt", 0o640)
    ws = Workspace(repo)
    ws.stage(
        [
            Edit(path="requirements.txt", content=b"# deps\r\nrequests\r\nPyYAML\r\n"),
            Edit(path="scripts/build.sh", executable=True),
        ]
    )
    assert ws.apply() == ["requirements.txt", "scripts/build.sh"]
    assert (repo / "requirements.txt").read_bytes() == b"# deps\r\nrequests\r\nPyYAML\r\n"
    assert stat.S_IMODE((repo / "requirements.txt").stat().st_mode) == 0o640
    assert stat.S_IMODE((repo / "scripts" / "build.sh").stat().st_mode) & 0o111 == 0o111
    assert (repo / "scripts" / "build.sh").read_bytes() == b"#!/bin/sh\necho hi\n"
    assert _git(repo, "ls-files", "-s", "scripts/build.sh").startswith("100755 ")
    assert ws.staged() == ()
    assert not [p for p in os.listdir(repo) if p.endswith(".smartmon")]
    # Idempotent: the same edits again change nothing.
    again = Workspace(repo)
    assert (
        again.apply(
            [
                Edit(path="requirements.txt", content=b"# deps\r\nrequests\r\nPyYAML\r\n"),
                Edit(path="scripts/build.sh", executable=True),
            ]
        )
        == []
    )
    assert again.diff([Edit(path="scripts/build.sh", executable=True)]) == ""


def test_exec_bit_only_where_readable(repo: Path) -> None:
    os.chmod(repo / "scripts" / "build.sh", 0o600)
    Workspace(repo).apply([Edit(path="scripts/build.sh", executable=True)])
    assert stat.S_IMODE((repo / "scripts" / "build.sh").stat().st_mode) == 0o700


def test_failed_validation_leaves_every_file_untouched(repo: Path) -> None:
    before = {p: (repo / p).read_bytes() for p in ("requirements.txt", ".github/workflows/ci.yml")}
    ws = Workspace(repo)
    edits = [
        Edit(path="requirements.txt", content=b"changed\n"),
        Edit(path="scripts/build.sh", executable=True),
        Edit(path=".github/workflows/ci.yml", content=b"x\n", original=b"stale\n"),
    ]
    with pytest.raises(WorkspaceError, match=r"ci\.yml: changed since planned"):
        ws.apply(edits)
    with pytest.raises(WorkspaceError, match=r"\.\./x"):
        ws.apply([Edit(path="requirements.txt", content=b"y\n"), Edit(path="../x", content=b"")])
    for p, data in before.items():
        assert (repo / p).read_bytes() == data
    assert not os.access(repo / "scripts" / "build.sh", os.X_OK)
    assert _git(repo, "status", "--porcelain") == ""


def test_staged_apply_refuses_file_changed_on_disk(repo: Path) -> None:
    ws = Workspace(repo)
    ws.stage([Edit(path="requirements.txt", content=b"a\n")])
    (repo / "requirements.txt").write_bytes(b"someone else\n")
    with pytest.raises(WorkspaceError, match="changed since planned"):
        ws.apply()
    assert (repo / "requirements.txt").read_bytes() == b"someone else\n"


def test_new_file_and_missing_directory(repo: Path) -> None:
    ws = Workspace(repo)
    assert ws.apply([Edit(path="scripts/new.txt", content=b"n\n")]) == ["scripts/new.txt"]
    assert (repo / "scripts" / "new.txt").read_bytes() == b"n\n"
    with pytest.raises(WorkspaceError, match="directory does not exist"):
        ws.apply([Edit(path="nodir/x.txt", content=b"n\n")])
    with pytest.raises(WorkspaceError, match="no such file"):
        ws.apply([Edit(path="missing.sh", executable=True)])


def test_refuses_non_regular_files(repo: Path) -> None:
    os.mkfifo(repo / "fifo")
    with pytest.raises(WorkspaceError, match="not a regular file"):
        Workspace(repo).read_bytes("fifo")


def test_undecodable_text(repo: Path) -> None:
    (repo / "bin.txt").write_bytes(b"\xff\xfe")
    with pytest.raises(WorkspaceError, match="not UTF-8"):
        Workspace(repo).read_text("bin.txt")


def test_diff_of_a_new_file_applies_with_git(repo: Path) -> None:
    ws = Workspace(repo)
    ws.stage([Edit(path="scripts/new.sh", content=b"#!/bin/sh\n", executable=True)])
    diff = ws.diff()
    assert diff.startswith("diff --git a/scripts/new.sh b/scripts/new.sh\nnew file mode 100755\n")
    assert "--- /dev/null\n+++ b/scripts/new.sh\n" in diff
    (repo.parent / "new.diff").write_text(diff)
    subprocess.run(["git", "apply", "--check", str(repo.parent / "new.diff")], cwd=repo, check=True)


def test_glob_character_classes(repo: Path) -> None:
    ws = Workspace(repo)
    assert ws.glob(".github/workflows/[bc]*") == [
        ".github/workflows/b.yaml",
        ".github/workflows/ci.yml",
    ]
    assert ws.glob(".github/workflows/[!b]*") == [".github/workflows/ci.yml"]
    assert ws.glob("scripts/build.s?") == ["scripts/build.sh"]


def test_git_ignores_an_inherited_git_dir(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    _git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    Workspace(repo).apply([Edit(path="scripts/build.sh", executable=True)])
    monkeypatch.delenv("GIT_DIR")
    assert _git(repo, "ls-files", "-s", "scripts/build.sh").startswith("100755 ")
    assert _git(other, "ls-files") == ""
