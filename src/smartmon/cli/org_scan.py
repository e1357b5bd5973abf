"""`smartmon org-scan --org ORG`: which repositories of an organisation fail on their default branch.

`--format matrix` prints exactly one line, `{"include": [{"repository", "run_id", "workflow",
"branch"}, ...]}`, for `echo "matrix=$(...)" >> "$GITHUB_OUTPUT"` and a job's
`strategy.matrix: ${{ fromJSON(needs.scan.outputs.matrix) }}`. An App installation token (`ghs_`)
lists the installation's repositories, any other token the organisation's. ETags are kept in
`--cache` so the next scan of an unchanged organisation costs no rate limit. Notes (skipped
repositories, an early stop) go to stderr. Exit codes: 0 scanned, 2 usage or access error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from smartmon.errors import InputError
from smartmon.github import GitHubClient
from smartmon.monitor import OrgScan, ScanFilter, parse_names, scan_organisation
from smartmon.report import strip_controls

DEFAULT_MAX = 200
INSTALLATION_PREFIX = "ghs_"  # installation access tokens (GitHub's token formats, 2021)


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "smartmon" / "org-scan-etags.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", required=True, metavar="ORG", help="organisation login")
    parser.add_argument("--token", help="API token (GITHUB_TOKEN or GH_TOKEN)")
    parser.add_argument("--api-url", metavar="URL", help="REST API base (GITHUB_API_URL)")
    parser.add_argument(
        "--workflows",
        action="append",
        default=[],
        metavar="NAMES",
        help="only these workflows: names or file names, comma-separated (repeatable)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REPOS",
        help="skip these repositories: name, ORG/name or a shell pattern, comma-separated",
    )
    parser.add_argument("--topic", metavar="T", help="only repositories with this topic")
    parser.add_argument(
        "--max",
        type=int,
        default=DEFAULT_MAX,
        metavar="N",
        help=f"at most N failures, most recent first (default {DEFAULT_MAX}; GitHub allows 256 "
        "matrix jobs)",
    )
    parser.add_argument("--format", choices=("text", "json", "matrix"), default="text")
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="FILE",
        help="keep ETags here between scans (default $XDG_CACHE_HOME/smartmon/org-scan-etags.json)",
    )
    parser.add_argument("--no-cache", action="store_true", help="keep no ETags between scans")


def run(args: argparse.Namespace) -> int:
    token = args.token or os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None
    if args.max < 1:
        raise InputError(f"--max {args.max}: expected a number from 1 to 256")
    if not args.org.strip() or "/" in args.org:
        raise InputError(f"--org {args.org!r}: expected an organisation login such as octo-org")
    client = GitHubClient(token, api_url=args.api_url, max_wait=60.0)
    cache = None if args.no_cache else (args.cache or default_cache())
    if cache is not None:
        client.http.reserve_etags(4096)
        client.http.load_etags(cache)
    wanted = ScanFilter(
        workflows=frozenset(parse_names(args.workflows)),
        exclude=parse_names(args.exclude),
        topic=args.topic,
    )
    installation = bool(token and token.startswith(INSTALLATION_PREFIX))
    try:
        scan = scan_organisation(
            client, args.org, wanted=wanted, installation=installation, max_failures=args.max
        )
    finally:
        if cache is not None:
            try:
                client.http.save_etags(cache)
            except OSError as exc:
                print(f"smartmon: note: ETag cache {cache} not written: {exc}", file=sys.stderr)
    for note in scan.notes:
        print(f"smartmon: note: {strip_controls(note)}", file=sys.stderr)
    sys.stdout.write(render(scan, args.format))
    return 0


def render(scan: OrgScan, fmt: str) -> str:
    if fmt == "matrix":
        return json.dumps(scan.matrix()) + "\n"
    if fmt == "json":
        return json.dumps(scan.as_json(), indent=2) + "\n"
    lines = [
        f"{scan.organisation}: {len(scan.failures)} failing workflow(s) in "
        f"{len({f.repository for f in scan.failures})} of {len(scan.repositories)} "
        "active repositories"
    ]
    for f in scan.failures:
        where = f"{f.repository} {f.workflow!r} on {f.branch}"
        lines.append(f"  {strip_controls(where)}: run {f.run_id} {f.conclusion} {f.html_url}")
    if scan.stopped_early:
        lines.append("  (stopped early to keep rate limit for healing)")
    return "\n".join(lines) + "\n"
