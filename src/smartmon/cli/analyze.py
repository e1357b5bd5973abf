"""`smartmon analyze PATH...`: explain failed jobs from downloaded logs, offline."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from smartmon.diagnose import analyze_paths
from smartmon.report import RENDERERS, runner_safe, strip_controls


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a job log (.txt), a run-logs zip, or a folder of those",
    )
    parser.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        default="text",
        help="text for people (default), json, markdown (job summary) or github (workflow commands)",
    )


def run(args: argparse.Namespace) -> int:
    analysis = analyze_paths(args.paths)
    out = RENDERERS[args.format](analysis)
    if args.format in ("text", "markdown"):
        # On a runner, log text quoted in our output must not run as a workflow command.
        out = runner_safe(out, actions=os.environ.get("GITHUB_ACTIONS") == "true")
    sys.stdout.write(out)
    for err in analysis.errors:
        print(f"smartmon: warning: {strip_controls(err)}", file=sys.stderr)
    return 0
