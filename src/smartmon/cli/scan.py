"""`smartmon scan [--repo DIR] [--fix] [--format text|json|sarif|github]`: check workflow files.

Exit 0 when nothing is left to fix, 1 when findings remain (after `--fix`, the ones it could not
fix), 2 on a usage error: so `scan` works as a CI gate and as a pre-commit hook.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from smartmon.cli.scan_formats import github, sarif
from smartmon.cli.scan_online import default_cache, lookup_unknown
from smartmon.errors import InputError
from smartmon.fixers import ScanFinding, Workspace, fix, scan, scan_file
from smartmon.model import Fix
from smartmon.report import runner_safe, strip_controls
from smartmon.workflows import ActionInfo


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
        choices=("text", "json", "sarif", "github"),
        default="text",
        help=(
            "text: `file:line: type: message` per finding (default); json: one object; "
            "sarif: SARIF 2.1.0 for code scanning; github: workflow-command annotations "
            "(sarif and github list what is left after --fix)"
        ),
    )

    parser.add_argument(
        "--online",
        action="store_true",
        help=(
            "look up actions the built-in dataset lacks, and SHA pins, through the API "
            "(token from GITHUB_TOKEN or GH_TOKEN; API from GITHUB_API_URL)"
        ),
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        metavar="FILE",
        help="with --online, keep ETags here (default $XDG_CACHE_HOME/smartmon/action-etags.json)",
    )


def run(args: argparse.Namespace) -> int:
    repo: Path = args.repo
    if not repo.exists():
        raise InputError(f"{repo}: no such directory; pass the repository checkout with --repo")
    if not repo.is_dir():
        raise InputError(f"{repo}: not a directory; pass the repository checkout with --repo")
    ws = Workspace(repo)
    server_url = os.environ.get("GITHUB_SERVER_URL") or "https://github.com"
    known = None
    if args.online:
        known = lookup_unknown(
            ws,
            token=os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN"),
            api_url=os.environ.get("GITHUB_API_URL") or None,
            cache=args.cache or default_cache(),
        )
    found = scan(ws, server_url=server_url, known=known)
    fixes: list[tuple[str, Fix]] = []
    applied: set[str] = set()
    if args.fix and found:
        fixes = fix(ws, found, server_url=server_url, known=known)
        applied = set(ws.apply())
    left = _left(found, applied, Workspace(repo), server_url, known) if applied else found
    if args.format == "json":
        sys.stdout.write(_json(found, fixes, applied, with_fixes=args.fix))
    elif args.format == "sarif":
        sys.stdout.write(sarif(left))
    elif args.format == "github":
        sys.stdout.write(github(left))  # escaped workflow commands: meant for the runner
    else:
        actions = os.environ.get("GITHUB_ACTIONS") == "true"
        sys.stdout.write(runner_safe(_text(found, fixes, applied), actions=actions))
    return 1 if left else 0


def _left(
    found: list[ScanFinding],
    applied: set[str],
    ws: Workspace,
    server_url: str,
    known: Mapping[str, ActionInfo] | None,
) -> list[ScanFinding]:
    """The findings after the fixes: files that changed are scanned again, the rest kept."""
    left = [f for f in found if f.file not in applied]
    for path in sorted({f.file for f in found} & applied):
        left += scan_file(ws, path, server_url=server_url, known=known)
    return sorted(left, key=lambda f: (f.file, f.finding.line))


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
