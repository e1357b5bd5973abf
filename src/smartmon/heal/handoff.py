"""The hand-off: a Markdown work order per finding smartmon did not fix, small enough to be a
coding agent's prompt (the action's `handoff` output).

Each order holds the facts, not a raw log: the diagnosis and its extracted facts, the failing
command, the lines around the cause with their line numbers, the files the log names, and what
smartmon tried and why it stopped. Log text sits in fences longer than any backtick run in it,
with terminal controls stripped and tokens redacted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartmon.redact import redact
from smartmon.report import escape_markdown, fenced_block, next_step, strip_controls

if TYPE_CHECKING:
    from smartmon.heal.result import HealResult
    from smartmon.model import Finding

MAX_ORDERS = 5
MAX_ORDER = 6_000  # characters per order: an agent's prompt, not a log dump
_FILE_FACTS = ("file", "path")


def unfixed(result: HealResult) -> list[Finding]:
    """Findings no pushed fix or re-run took care of."""
    if result.analysis is None or result.delivery == "rerun":
        return []
    fixed = {fix.type for fix, applied in result.fixes if applied}
    return [f for f in result.analysis.findings if f.type not in fixed]


def render(result: HealResult, *, repo: str, run_url: str) -> str:
    """All work orders of one heal, or "" when smartmon fixed everything it found."""
    orders = [_order(result, f, repo=repo, run_url=run_url) for f in unfixed(result)]
    return redact("\n".join(orders[:MAX_ORDERS]))


def _order(result: HealResult, f: Finding, *, repo: str, run_url: str) -> str:
    run = result.run
    out = [
        f'## Fix the {f.type.value} in job "{_plain(f.job)}", step "{_plain(f.step)}"',
        "",
        f"Repository {repo}, branch {_plain(str(run.get('head_branch') or '?'))}, commit "
        f"{str(run.get('head_sha') or '?')[:12]}; failed run: {run_url}",
        "",
        "### Diagnosis",
        f"- type: {f.type.value} (severity {f.severity.value}, rule {f.rule})",
        f"- the log says: {_plain(f.text)[:300]}",
    ]
    out += [f"- {key}: {_plain(value)[:200]}" for key, value in sorted(f.shown_data.items())]
    out.append(f"- usual remedy: {next_step(f)}")
    command = f.data.get("command")
    if not command and f.step.startswith("Run "):
        command = f.step[4:]  # GitHub names a `run:` step "Run <its first line>"
    out += ["", "### Failing command", ""]
    out += _fenced(command, "sh") if command else [f'The step "{_plain(f.step)}" (see the log).']
    # The diagnosis keeps the meaningful lines before the cause (boilerplate skipped), so only
    # the cause's own line number is exact.
    excerpt = [f"{'':>6} | {_raw(t)[:400]}" for t in f.context]
    excerpt.append(f"{f.line:>6} > {_raw(f.text)[:400]}")
    out += [
        "",
        f"### Log excerpt (job log up to line {f.line}; {_plain(f.job)} / {_plain(f.step)})",
        "",
    ]
    out += _fenced("\n".join(excerpt), "text")
    files = [
        f"{f.data[k]}" + (f":{f.data['line']}" if "line" in f.data else "")
        for k in _FILE_FACTS
        if k in f.data
    ]
    out += ["", "### Files named", ""]
    out += [f"- {_plain(name)}" for name in files] or [
        "- none in the log; start from the step's command"
    ]
    out += ["", "### What smartmon tried", "", *_tried(result, f), ""]
    text = "\n".join(out)
    return text if len(text) <= MAX_ORDER else text[: text.rfind("\n", 0, MAX_ORDER)] + "\n…\n"


def _tried(result: HealResult, f: Finding) -> list[str]:
    out: list[str] = []
    for fix, _applied in result.fixes:
        if fix.type is f.type:
            if fix.reason:
                out.append(f"- {fix.description}: stopped, {fix.reason}")
            elif result.delivery == "patch":
                out.append(f"- {fix.description}: a patch only, not pushed")
    if not out:
        out.append("- no rule-based fix exists for this finding")
    if result.opted_out:
        out.append(f"- report only: {result.opted_out}")
    if result.skipped:
        out.append(f"- skipped: {result.skipped}")
    return [_plain(line) for line in out]


def _plain(text: str) -> str:
    """Untrusted text on one line, escaped as in the summary: the order may be posted too."""
    return escape_markdown(" ".join(strip_controls(text).split()))


def _raw(text: str) -> str:
    """One line for inside a fence, where Markdown does not apply."""
    return " ".join(strip_controls(text).split())


def _fenced(text: str, info: str) -> list[str]:
    return fenced_block(text, info)[0]
