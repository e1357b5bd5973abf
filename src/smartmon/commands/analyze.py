"""`smartmon analyze PATH...`: explain failed jobs from downloaded logs, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartmon.classify import analyze_paths
from smartmon.render import RENDERERS


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
    sys.stdout.write(RENDERERS[args.format](analysis))
    for err in analysis.errors:
        print(f"smartmon: warning: {err}", file=sys.stderr)
    return 0
