"""The job summary of one heal: what failed and why, what was fixed, what was delivered, what is left.

Every string that came from a log, a branch or a server is untrusted: table cells are escaped by
`render`, the diff sits in a fence longer than any backtick run inside it, and the whole text is
redacted. Size is bounded so several heals still fit GitHub's 1 MiB step summary.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from smartmon.redact import redact
from smartmon.report import code_span, escape_markdown, fenced_block

if TYPE_CHECKING:
    from smartmon.heal.result import HealResult

MAX_PATCH = 200_000  # characters of diff shown; the artifact has all of it
MAX_ROWS = 100
_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/%+-]*)?")


def render(result: HealResult, *, server_url: str, repo: str) -> str:
    run_url = f"{server_url.rstrip('/')}/{repo}/actions/runs/{result.run_id}"
    out = [f"## smartmon: run [{result.run_id}]({run_url})", ""]
    if result.skipped:
        out += [f"Skipped: {escape_markdown(result.skipped)}", ""]
    analysis = result.analysis
    if analysis is not None:
        out += _failures(result, run_url)
    if result.fixes:
        out += ["### What was fixed", ""]
        for fix, applied in result.fixes:
            mark = "✅ applied" if applied else ("proposed" if fix.applicable else "not fixed")
            where = f" in {code_span(fix.file)}" if fix.file else ""
            line = f"- **{fix.type.value}** ({mark}){where}: {escape_markdown(fix.description)}"
            if fix.reason:
                line += f" (why not: {escape_markdown(fix.reason)})"
            out.append(line)
        out.append("")
    if result.patch:
        out += _diff(result.patch)
    out += _delivered(result)
    if result.next_steps:
        out += ["### Next steps", ""]
        out += [f"- {escape_markdown(step)}" for step in result.next_steps]
        out.append("")
    return redact("\n".join(out) + "\n")


def _failures(result: HealResult, run_url: str) -> list[str]:
    analysis = result.analysis
    assert analysis is not None
    out = ["### What failed and why", ""]
    if not analysis.findings:
        return [*out, "No failure cause found in the logs.", ""]
    out += [
        "| job | step | type | severity | log | what the log says |",
        "|---|---|---|---|---|---|",
    ]
    for f in analysis.findings[:MAX_ROWS]:
        job_id = result.job_ids.get(f.job)
        link = str(f.line)
        if job_id is not None:
            anchor = ""
            if f.step_number is not None and f.step_line is not None:
                anchor = f"#step:{f.step_number}:{f.step_line}"
            link = f"[line {f.line}]({run_url}/job/{job_id}{anchor})"
        out.append(
            f"| {escape_markdown(f.job)} | {escape_markdown(f.step)} | {f.type.value} "
            f"| {f.severity.value} | {link} | {code_span(f.text)} |"
        )
    if len(analysis.findings) > MAX_ROWS:
        out.append(f"\n{len(analysis.findings) - MAX_ROWS} more finding(s) in the report artifact.")
    out.append("")
    return out


def _diff(patch: str) -> list[str]:
    block, cut = fenced_block(patch, "diff", MAX_PATCH)
    out = ["### The diff", "", *block, ""]
    if cut:
        out += ["The diff is cut here; the full patch is in the report artifact.", ""]
    return out


def _delivered(result: HealResult) -> list[str]:
    out = ["### What was delivered", ""]
    kind = result.delivery
    if kind == "commit" and result.commit_sha:
        out.append(f"- Commit {code_span(result.commit_sha)} pushed to the failing branch.")
    elif kind == "pull-request" and result.pull_request_url:
        url = result.pull_request_url
        # A link only to a plain web address; anything else (javascript:, spaces, <>) is text.
        shown = f"<{url}>" if _WEB_URL.fullmatch(url) else code_span(url)
        out.append(f"- Pull request: {shown}")
    elif kind == "patch":
        out.append("- A patch only (above, and in the report artifact); nothing was pushed.")
    elif kind == "rerun":
        out.append(f"- The failed jobs were re-run (attempt {result.rerun_attempt}).")
    else:
        out.append("- Nothing.")
    for note in result.notes:
        out.append(f"- {escape_markdown(note)}")
    verification = escape_markdown(result.verification)
    if result.verification_run_id is not None:
        verification += f" (run {result.verification_run_id})"
    out.append(f"- Verification: {verification}")
    # Secret names come from the log (the variable a step missed): escaped like any log text.
    if result.secrets_created:
        names = ", ".join(code_span(name) for name in result.secrets_created)
        out.append(f"- Secrets created with a random value: {names}")
    if result.secrets_missing:
        out.append(
            f"- Secrets to add: {', '.join(code_span(name) for name in result.secrets_missing)}"
        )
    out.append("")
    return out
