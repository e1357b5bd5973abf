"""Plumbing on the sandbox's bare repositories, through `git` with argument lists only."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ZERO_SHA = "0" * 40
SANDBOX_AUTHOR = ("Sandbox", "sandbox@localhost")

# Installed in every bare repository; reads the branch list written by `set_protected`.
_PRE_RECEIVE = r"""#!/bin/sh
# smartmon sandbox: GitHub's server-side push rules.
# - protected branches (listed in $GIT_DIR/sandbox-protected) reject updates (GH006);
# - without `workflows` permission (SANDBOX_DENY_WORKFLOWS set by the server) a push may not
#   create or change files under .github/workflows/.
zero=0000000000000000000000000000000000000000
status=0
while read -r old new ref; do
  if [ -f "$GIT_DIR/sandbox-protected" ] && grep -qxF "$ref" "$GIT_DIR/sandbox-protected"; then
    echo "error: GH006: Protected branch update failed for $ref." >&2
    status=1
    continue
  fi
  if [ -n "$SANDBOX_DENY_WORKFLOWS" ] && [ "$new" != "$zero" ]; then
    if [ "$old" = "$zero" ]; then
      files=$(git log --format= --name-only "$new" --not --all -- .github/workflows/ | sort -u)
    else
      files=$(git log --format= --name-only "$old..$new" -- .github/workflows/ | sort -u)
    fi
    for f in $files; do
      # GitHub's wording (peter-evans/create-pull-request #1713, actions/checkout #322).
      if [ "$SANDBOX_DENY_WORKFLOWS" = "pat" ]; then
        echo "refusing to allow a Personal Access Token to create or update workflow \`$f\`" \
          "without \`workflow\` scope" >&2
      else
        echo "refusing to allow a GitHub App to create or update workflow \`$f\`" \
          "without \`workflows\` permission" >&2
      fi
      status=1
    done
  fi
done
exit $status
"""


class GitError(RuntimeError):
    """A git command failed; the message holds its stderr."""


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    tree: str
    parents: list[str]
    author_name: str
    author_email: str
    author_date: str  # ISO 8601, UTC
    committer_name: str
    committer_email: str
    committer_date: str
    message: str


def _env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})
    if extra:
        env.update(extra)
    return env


def git(
    git_dir: str | Path,
    *args: str,
    input_bytes: bytes | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
) -> str:
    proc = subprocess.run(
        ["git", "--git-dir", str(git_dir), *args],
        input=input_bytes,
        capture_output=True,
        env=_env(env),
        check=False,
    )
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0]}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode("utf-8", errors="replace")


def init_bare(git_dir: Path, default_branch: str) -> None:
    git_dir.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "init", "--quiet", "--bare", f"--initial-branch={default_branch}", str(git_dir)],
        check=True,
        env=_env(),
    )
    git(git_dir, "config", "http.receivepack", "true")
    git(git_dir, "config", "uploadpack.allowAnySHA1InWant", "true")
    hook = git_dir / "hooks" / "pre-receive"
    hook.write_text(_PRE_RECEIVE, encoding="utf-8")
    hook.chmod(0o755)


def set_protected(git_dir: Path, refs: list[str]) -> None:
    (git_dir / "sandbox-protected").write_text("".join(f"{r}\n" for r in refs), encoding="utf-8")


def rev_parse(git_dir: str | Path, rev: str) -> str | None:
    out = git(git_dir, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    return out.strip() or None


def list_refs(git_dir: str | Path) -> dict[str, str]:
    out = git(git_dir, "for-each-ref", "--format=%(refname) %(objectname)")
    refs: dict[str, str] = {}
    for line in out.splitlines():
        name, sha = line.split(" ", 1)
        refs[name] = sha
    return refs


def read_blob(git_dir: str | Path, rev: str, path: str) -> tuple[str, bytes] | None:
    """(blob sha, content) of `path` at `rev`, or None when it is not a file there."""
    if "\n" in rev or "\n" in path:  # cat-file --batch reads one object name per line
        return None
    proc = subprocess.run(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
        input=f"{rev}:{path}\n".encode(),
        capture_output=True,
        env=_env(),
        check=False,
    )
    header, _, rest = proc.stdout.partition(b"\n")
    fields = header.decode("utf-8", errors="replace").split()
    if proc.returncode != 0 or len(fields) != 3 or fields[1] != "blob":
        return None
    return fields[0], rest[: int(fields[2])]


def list_tree(git_dir: str | Path, rev: str, path: str) -> list[tuple[str, str, str, str]] | None:
    """(mode, type, sha, name) entries of directory `path` at `rev`; None when not a tree."""
    spec = f"{rev}:{path}" if path else f"{rev}^{{tree}}"
    if git(git_dir, "cat-file", "-t", spec, check=False).strip() != "tree":
        return None
    entries = []
    for line in git(git_dir, "ls-tree", spec).splitlines():
        meta, name = line.split("\t", 1)
        mode, kind, sha = meta.split()
        entries.append((mode, kind, sha, name))
    return entries


def commit_info(git_dir: str | Path, sha: str) -> CommitInfo:
    fmt = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B"
    out = git(git_dir, "show", "-s", f"--format={fmt}", sha)
    parts = out.split("\x00")
    return CommitInfo(
        sha=parts[0],
        tree=parts[1],
        parents=parts[2].split(),
        author_name=parts[3],
        author_email=parts[4],
        author_date=parts[5],
        committer_name=parts[6],
        committer_email=parts[7],
        committer_date=parts[8],
        message=parts[9].rstrip("\n"),
    )


def is_ancestor(git_dir: str | Path, ancestor: str, descendant: str) -> bool:
    args = ["--git-dir", str(git_dir), "merge-base", "--is-ancestor", ancestor, descendant]
    return subprocess.run(["git", *args], env=_env(), check=False).returncode == 0


def merge_base(git_dir: str | Path, a: str, b: str) -> str | None:
    return git(git_dir, "merge-base", a, b, check=False).strip() or None


def rev_list(git_dir: str | Path, *revs: str, path: str | None = None) -> list[str]:
    """Commits reachable from `revs`, newest first."""
    args = ["rev-list", *revs]
    if path:
        args += ["--", path]
    return git(git_dir, *args).split()


def changed_files(git_dir: str | Path, base: str | None, head: str) -> list[dict[str, object]]:
    """Per-file status and line counts between `base` (None: the empty tree) and `head`."""
    old = base or git(git_dir, "hash-object", "-t", "tree", "/dev/null").strip()
    status = git(git_dir, "diff", "--name-status", "--no-renames", old, head).splitlines()
    numstat = git(git_dir, "diff", "--numstat", "--no-renames", old, head).splitlines()
    counts: dict[str, tuple[int, int]] = {}
    for line in numstat:
        plus, minus, name = line.split("\t", 2)
        counts[name] = (int(plus) if plus != "-" else 0, int(minus) if minus != "-" else 0)
    names = {"A": "added", "M": "modified", "D": "removed", "T": "changed"}
    files: list[dict[str, object]] = []
    for line in status:
        code, name = line.split("\t", 1)
        added, removed = counts.get(name, (0, 0))
        files.append(
            {
                "filename": name,
                "status": names.get(code[0], "modified"),
                "additions": added,
                "deletions": removed,
            }
        )
    return files


def commit_files(
    git_dir: str | Path,
    *,
    parent: str | None,
    files: Mapping[str, bytes | None],
    message: str,
    author: tuple[str, str] = SANDBOX_AUTHOR,
    executable: frozenset[str] = frozenset(),
    date: str | None = None,
) -> str:
    """Write a commit on top of `parent` changing `files` (None deletes); return its sha."""
    with tempfile.TemporaryDirectory(prefix="sandbox-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if parent:
            git(git_dir, "read-tree", parent, env=env)
        for path, content in files.items():
            if content is None:
                git(git_dir, "update-index", "--force-remove", path, env=env)
                continue
            blob = git(git_dir, "hash-object", "-w", "--stdin", input_bytes=content).strip()
            mode = "100755" if path in executable else "100644"
            git(git_dir, "update-index", "--add", "--cacheinfo", f"{mode},{blob},{path}", env=env)
        tree = git(git_dir, "write-tree", env=env).strip()
    name, email = author
    ident = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    if date:
        ident.update({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    args = ["commit-tree", tree, "-m", message]
    if parent:
        args += ["-p", parent]
    return git(git_dir, *args, env=ident).strip()


def update_ref(git_dir: str | Path, ref: str, new: str, old: str | None) -> bool:
    """Compare-and-swap `ref` from `old` (None: must not exist) to `new`."""
    args = ["--git-dir", str(git_dir), "update-ref", ref, new, old or ZERO_SHA]
    return subprocess.run(["git", *args], env=_env(), capture_output=True).returncode == 0
