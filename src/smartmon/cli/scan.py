"""`smartmon scan [--repo DIR] [--fix] [--format text|json]`: check workflow files without a log."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from smartmon.errors import InputError
from smartmon.fixers import ScanFinding, Workspace, fix, scan
from smartmon.model import Fix
from smartmon.report import runner_safe, strip_controls


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the repository checkout to scan (default: the current directory)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes to the working tree (nothing is committed)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: `file:line: type: message` per finding (default); json: one object",
    )


def run(args: argparse.Namespace) -> int:
    repo: Path = args.repo
    if not repo.exists():
        raise InputError(f"{repo}: no such directory; pass the repository checkout with --repo")
    if not repo.is_dir():
        raise InputError(f"{repo}: not a directory; pass the repository checkout with --repo")
    ws = Workspace(repo)
    server_url = os.environ.get("GITHUB_SERVER_URL") or "https://github.com"
    found = scan(ws, server_url=server_url)
    fixes: list[tuple[str, Fix]] = []
    applied: set[str] = set()
    if args.fix and found:
        fixes = fix(ws, found, server_url=server_url)
        applied = set(ws.apply())
    if args.format == "json":
        sys.stdout.write(_json(found, fixes, applied, with_fixes=args.fix))
    else:
        actions = os.environ.get("GITHUB_ACTIONS") == "true"
        sys.stdout.write(runner_safe(_text(found, fixes, applied), actions=actions))
    return 0


def _json(
    found: list[ScanFinding], fixes: list[tuple[str, Fix]], applied: set[str], *, with_fixes: bool
) -> str:
    out: dict[str, object] = {"findings": [f.to_dict() for f in found]}
    if with_fixes:
        out["fixes"] = [
            fix_.to_dict(applied=fix_.applicable and _touched(fix_) <= applied) for _, fix_ in fixes
        ]
    return json.dumps(out, indent=2) + "\n"


def _touched(fix_: Fix) -> set[str]:
    return {edit.path for edit in fix_.edits}


def _text(found: list[ScanFinding], fixes: list[tuple[str, Fix]], applied: set[str]) -> str:
    lines = [f"{f.file}:{f.finding.line}: {f.finding.type.value}: {f.finding.text}" for f in found]
    for _, fix_ in fixes:
        if fix_.applicable and _touched(fix_) <= applied:
            lines.append(f"fixed: {fix_.file}: {fix_.description}")
        elif fix_.reason:
            lines.append(f"not fixed: {fix_.file}: {fix_.reason}")
    # File names and workflow values are the repository's text: no terminal controls get out.
    return "".join(strip_controls(line) + "\n" for line in lines)
