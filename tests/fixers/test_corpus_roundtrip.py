"""`scan --fix` over the real-workflow corpus: minimal, parse-preserving, idempotent, and complete.

The corpus lives outside the repository (../shared/corpus); each file is copied into a throw-away
repository at test time. Files are split into shards so xdist spreads the parsing over workers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from smartmon.fixers.scan import fix, scan_file
from smartmon.fixers.workspace import Workspace
from smartmon.workflows.text import parse, split_lines, touched_lines

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "workflows"
SHARDS = 8

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}"),
]


def _real_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in (CORPUS / "real").rglob("*") if p.suffix in (".yml", ".yaml"))


def _place(src: Path, repo: Path) -> str:
    """Copy a corpus file into `repo` where scan looks for it; return its repo path."""
    if src.parent.name == "actions":
        rel = f".github/actions/{src.stem}/action.yml"
    else:
        rel = f".github/workflows/{src.name}"
    dest = repo / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(src.read_bytes())
    return rel


@pytest.mark.parametrize("shard", range(SHARDS))
def test_scan_fix_round_trip(shard: int, tmp_path: Path) -> None:
    files = _real_files()[shard::SHARDS]
    assert files, "no corpus files in this shard"
    problems: list[str] = []
    for index, src in enumerate(files):
        repo = tmp_path / str(index)
        rel = _place(src, repo)
        original = src.read_bytes()
        ws = Workspace(repo)
        found = scan_file(ws, rel)
        fix(ws, found, server_url="https://github.com")
        staged = {edit.path: edit for edit in ws.staged()}
        if not found:
            if staged:
                problems.append(f"{src.name}: changed without any finding")
            continue
        edit = staged.get(rel)
        if edit is None or edit.content is None or edit.content == original:
            if any(f.finding.auto_fixable for f in found):
                problems.append(f"{src.name}: fixable findings but no edit")
            continue
        old_text, new_text = original.decode(), edit.content.decode()
        reported = {f.finding.line - 1 for f in found if f.file == rel}
        touched, inserted = touched_lines(split_lines(old_text), split_lines(new_text))
        if inserted or not touched <= reported:
            problems.append(f"{src.name}: changed unreported lines {sorted(touched - reported)}")
        parse(new_text)  # raises if the fix broke the YAML
        # Idempotent: on the fixed file, nothing fixable is left and a second fix changes nothing.
        (repo / rel).write_bytes(edit.content)
        ws2 = Workspace(repo)
        again = scan_file(ws2, rel)
        if any(f.finding.auto_fixable for f in again):
            problems.append(f"{src.name}: still fixable after one pass: {again[0].finding.text}")
        fix(ws2, again, server_url="https://github.com")
        if any(e.content not in (None, edit.content) for e in ws2.staged()):
            problems.append(f"{src.name}: a second pass changed it again")
    assert not problems, "\n".join(problems)


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
