"""The Markdown pieces that the pull-request comment and the tracking issue share: links to a run
and to the exact log line, the "what failed" table, and a collapsed patch.

Every string from a log, a branch or a job name is untrusted: cells go through `escape_markdown`
or `code_span` (pipes, HTML and link syntax become text), a patch sits in a fence longer than any
backtick run inside it, and the caller redacts the whole body.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from smartmon.report import code_span, escape_markdown, fenced_block

if TYPE_CHECKING:
    from smartmon.heal.result import HealResult
    from smartmon.model import Finding

MAX_ROWS = 20
MAX_PATCH = 30_000  # GitHub refuses comment and issue bodies over 65 536 characters
WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/%+-]*)?")


def run_url(server_url: str, repo: str, run_id: int) -> str:
    return f"{server_url.rstrip('/')}/{repo}/actions/runs/{int(run_id)}"


def line_link(result: HealResult, finding: Finding, url: str) -> str:
    """`[line N](…/job/J#step:S:L)`: GitHub scrolls the job log to that line."""
    job_id = result.job_ids.get(finding.job)
    if job_id is None:
        return f"line {finding.line}"
    anchor = ""
    if finding.step_number is not None and finding.step_line is not None:
        anchor = f"#step:{finding.step_number}:{finding.step_line}"
    return f"[line {finding.line}]({url}/job/{int(job_id)}{anchor})"


def failure_table(result: HealResult, url: str) -> list[str]:
    analysis = result.analysis
    if analysis is None or not analysis.findings:
        return ["No failure cause found in the logs; read the failed jobs' logs.", ""]
    out = [
        "| type | job | step | log | what the log says |",
        "|---|---|---|---|---|",
    ]
    for f in analysis.findings[:MAX_ROWS]:
        out.append(
            f"| **{f.type.value}** | {escape_markdown(f.job)} | {escape_markdown(f.step)} "
            f"| {line_link(result, f, url)} | {code_span(f.text, 200)} |"
        )
    if len(analysis.findings) > MAX_ROWS:
        out += ["", f"{len(analysis.findings) - MAX_ROWS} more in the job summary."]
    out.append("")
    return out


def link_or_text(url: str) -> str:
    """A link only to a plain web address; anything else (javascript:, spaces, <>) is text."""
    return f"<{url}>" if WEB_URL.fullmatch(url) else code_span(url)


def collapsed_patch(patch: str, summary: str) -> list[str]:
    block, cut = fenced_block(patch, "diff", MAX_PATCH)
    # A fenced block inside <details> needs blank lines around it to be Markdown again.
    out = ["<details>", f"<summary>{summary}</summary>", "", *block, ""]
    if cut:
        out += ["The patch is cut here; the full patch is in the report artifact.", ""]
    return [*out, "</details>", ""]
