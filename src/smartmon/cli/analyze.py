"""`smartmon analyze PATH...`: explain failed jobs from downloaded logs, offline."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from smartmon.diagnose import Analysis, analyze_paths
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
    verdict = parser.add_mutually_exclusive_group()
    verdict.add_argument(
        "--failed",
        dest="verdict",
        action="store_const",
        const="failure",
        help="the jobs failed (as the run page says): find a cause even without a failure marker",
    )
    verdict.add_argument(
        "--passed",
        dest="verdict",
        action="store_const",
        const="success",
        help="the jobs passed: report notices only",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="per job, the rule and line that won and the candidates that lost, with why",
    )


def run(args: argparse.Namespace) -> int:
    analysis = analyze_paths(args.paths, verdict=args.verdict)
    if args.explain and args.format == "json":
        out = json.dumps(analysis.to_dict(explain=True), indent=2, ensure_ascii=False)
    else:
        out = RENDERERS[args.format](analysis)
    if args.explain and args.format in ("text", "markdown"):
        out += explain_text(analysis)
    if args.format in ("text", "markdown"):
        # On a runner, log text quoted in our output must not run as a workflow command.
        out = runner_safe(out, actions=os.environ.get("GITHUB_ACTIONS") == "true")
    sys.stdout.write(out)
    for err in analysis.errors:
        print(f"smartmon: warning: {strip_controls(err)}", file=sys.stderr)
    return 0


_VERDICT = {
    "log": "the log's failure marker",
    "excerpt": "an excerpt (no end-of-job lines): its error lines",
    "api": "the caller's word (the API said it failed)",
    "caller": "the caller's word",
}


def explain_text(analysis: Analysis) -> str:
    """Why each job got its verdict and its cause: winner first, then every candidate that lost."""
    out = ["", "Why:"]
    for job in analysis.jobs:
        how = _VERDICT.get(job.verdict_from, job.verdict_from)
        if job.conclusion == "failure":
            out.append(f"- job {strip_controls(job.name)}: failed, by {how}")
        else:
            out.append(f"- job {strip_controls(job.name)}: {job.conclusion}")
        if not job.candidates:
            out.append("    no rule matched")
        for c in job.candidates:
            out.append(f"    line {c.line}: {c.rule} ({c.type}): {c.outcome}")
            out.append(f"      {strip_controls(c.text)}")
    return "\n".join(out) + "\n"
