"""Turn an Analysis into text for people, JSON, a Markdown job summary, or workflow commands.

Every string from a log is untrusted: terminal controls are stripped from text output, Markdown and
HTML are escaped in summaries, and workflow-command data is escaped by github-action-utils.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import uuid
from collections.abc import Mapping

import github_action_utils as gha

from smartmon.diagnose import Analysis, rerun_helps, rule_next_step
from smartmon.model import Finding, IssueType
from smartmon.redact import redact

# C0 controls except tab, DEL, C1 controls, and what is left of escape sequences.
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_ACTIVE = re.compile(r"[\\`*_\[\]|~!]")

NEXT_STEPS: Mapping[IssueType, str] = {
    IssueType.MISSING_DEPENDENCY: "add the distribution to the requirements the step installs "
    "(`smartmon fix` does it when the name is a known package)",
    IssueType.IMPORT_ERROR: "fix the import: the name moved, was renamed, or the dependency changed its API",
    IssueType.MISSING_ENV_VARS: "wire the variable from a secret in the workflow's env: and make sure "
    "the secret exists",
    IssueType.YAML_SYNTAX_ERROR: "fix the workflow file at the line shown (`smartmon scan` explains it)",
    IssueType.PERMISSION_ERROR: "grant the missing permission: the script's executable bit "
    "(git update-index --chmod=+x) or the workflow's permissions: entry",
    IssueType.NETWORK_ERROR: "transient: re-run the failed jobs",
    IssueType.DEPRECATED_ACTION: "move the action to its supported major version",
    IssueType.RETIRED_RUNNER: "switch runs-on to a supported runner image",
    IssueType.DEPRECATED_COMMAND: "write to $GITHUB_OUTPUT / $GITHUB_ENV / $GITHUB_PATH / $GITHUB_STATE "
    "instead of the old workflow command",
    IssueType.DEPENDENCY_CONFLICT: "relax or align the conflicting version pins",
    IssueType.MISSING_TOOL: "install the tool in an earlier step or pick a version that exists",
    IssueType.SYNTAX_ERROR: "fix the syntax error in the file and line shown",
    IssueType.TEST_FAILURE: "a test failed: read its assertion and fix the code or the test",
    IssueType.LINT_FAILURE: "run the linter or formatter locally and commit its changes",
    IssueType.TIMEOUT: "find what hangs, or raise timeout-minutes if the work is legitimately slow",
    IssueType.RUNNER_FAILURE: "transient runner problem: re-run the failed jobs",
    IssueType.AUTH_ERROR: "check the token or credentials the step uses and their expiry",
    IssueType.UNKNOWN: "no rule explains this failure: read the lines shown",
}


# A runner or network failure whose rule says a re-run meets it again (`same-on-rerun`: memory,
# disk, quotas, billing, a label no runner serves): heal does not re-run it, so neither do we say so.
SAME_ON_RERUN_STEP = (
    "a re-run meets the same failure: give the job what the error line says it lacked "
    "(memory, disk, a quota, a runner that exists), or make the job need less"
)


def next_step(finding: Finding) -> str:
    """What to do about a finding: its rule's own remedy (the rule's `next:` in
    diagnose/rules/*.yaml) where it has one, else its type's."""
    own = rule_next_step(finding.rule)
    if own:
        return own
    if finding.transient and not rerun_helps(finding.rule):
        return SAME_ON_RERUN_STEP
    return NEXT_STEPS[finding.type]


def strip_controls(text: str) -> str:
    """Remove terminal escapes and control characters (keeps tabs)."""
    return _CONTROL.sub("", text)


def command_like(line: str) -> bool:
    """Whether the Actions runner would parse `line` as a workflow command: `::` after leading
    whitespace (it trims), or `##[` anywhere (the old syntax)."""
    return line.strip().startswith("::") or "##[" in line


def runner_safe(text: str, *, actions: bool) -> str:
    """`text` for stdout; on an Actions runner, wrapped in `::stop-commands::` when any line
    could read as a workflow command, so that none of it runs."""
    lines = text.splitlines()
    if not actions or not any(command_like(line) for line in lines):
        return text
    token = uuid.uuid4().hex
    while token in text:
        token = uuid.uuid4().hex
    end = "" if text.endswith("\n") else "\n"
    return f"::stop-commands::{token}\n{text}{end}::{token}::\n"


def inside_workspace(path: str) -> bool:
    """Whether a log-supplied path names a file inside the repository (relative, no `..` out)."""
    if not path or "\\" in path or path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return False
    depth = 0
    for part in path.split("/"):
        depth += -1 if part == ".." else (0 if part in ("", ".") else 1)
        if depth < 0:
            return False
    return True


def escape_markdown(text: str) -> str:
    """Escape Markdown and HTML so untrusted text renders as text (tokens masked first: escaping
    `_` would hide them from any later redaction)."""
    text = redact(strip_controls(text)).replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


_BACKTICK_RUN = re.compile(r"`+")


def fenced_block(text: str, info: str = "", limit: int | None = None) -> tuple[list[str], bool]:
    """Untrusted text as a fenced code block: (lines, whether it was cut at `limit` characters).

    The fence is one backtick longer than the longest run in the text, so nothing inside can close
    it; a cut text ends at a whole line. Controls are stripped; Markdown does not apply inside.
    """
    text = strip_controls(text)
    cut = limit is not None and len(text) > limit
    if limit is not None and cut:
        text = text[: text.rfind("\n", 0, limit) + 1]
    longest = max((len(m) for m in _BACKTICK_RUN.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", text.rstrip("\n"), fence], cut


def code_span(text: str, limit: int = 300) -> str:
    """Untrusted text in an HTML <code> element: immune to backtick runs and table pipes.

    Markdown still applies inside inline HTML, so every character that could start a link, an
    image, emphasis or a code span is a character reference (`![x](https://…)` would be an image).
    """
    text = redact(strip_controls(text))[:limit]
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_ACTIVE.sub(lambda m: f"&#{ord(m.group())};", text)
    return "<code>" + text.replace("\n", " ") + "</code>"


def _where(f: Finding) -> str:
    return f"{f.job} › {f.step} › line {f.line}"


def _facts(f: Finding) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(f.shown_data.items()))


def render_json(analysis: Analysis) -> str:
    return json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False)


def render_text(analysis: Analysis) -> str:
    out: list[str] = []
    failed = [j for j in analysis.jobs if j.conclusion == "failure"]
    out.append(
        f"{len(analysis.jobs)} job(s), {len(failed)} failed, "
        f"{len(analysis.findings)} finding(s), {len(analysis.notices)} notice(s)"
    )
    for f in analysis.findings:
        fixable = ", auto-fixable" if f.auto_fixable else ""
        out.append("")
        out.append(f"✗ {f.type.value} ({f.severity.value}{fixable}) in {strip_controls(_where(f))}")
        out.append(f"    {strip_controls(f.text)}")
        if f.data:
            out.append(f"    facts: {strip_controls(_facts(f))}")
        out.append(f"    next: {next_step(f)}")
    for n in analysis.notices:
        out.append("")
        out.append(f"! notice: {n.type.value} in {strip_controls(_where(n))}")
        out.append(f"    {strip_controls(n.text)}")
    for err in analysis.errors:
        out.append("")
        out.append(f"! could not read: {strip_controls(err)}")
    return "\n".join(out) + "\n"


def render_markdown(analysis: Analysis, *, log_url: str | None = None) -> str:
    """A job-summary section. `log_url` (…/actions/runs/R/job/J) makes line numbers links."""
    out = ["## smartmon: why the run failed", ""]
    if not analysis.findings:
        out.append("No failure found in the logs.")
    else:
        out.append("| job | step | type | severity | line | what the log says |")
        out.append("|---|---|---|---|---|---|")
        for f in analysis.findings:
            line = str(f.line)
            if log_url and f.step_number is not None and f.step_line is not None:
                line = f"[{f.line}]({log_url}#step:{f.step_number}:{f.step_line})"
            out.append(
                f"| {escape_markdown(f.job)} | {escape_markdown(f.step)} | {f.type.value} "
                f"| {f.severity.value} | {line} | {code_span(f.text)} |"
            )
        out.append("")
        out.append("### What to do next")
        for f in analysis.findings:
            out.append(f"- **{f.type.value}** ({escape_markdown(f.job)}): {next_step(f)}")
    if analysis.notices:
        out.append("")
        out.append("### Notices")
        for n in analysis.notices:
            out.append(f"- {n.type.value}: {code_span(n.text)}")
    if analysis.errors:
        out.append("")
        out.append("### Logs that could not be read")
        for err in analysis.errors:
            out.append(f"- {escape_markdown(err)}")
    return "\n".join(out) + "\n"


def render_github(analysis: Analysis) -> str:
    """Workflow commands (`::error …::`), escaped so log text cannot inject commands."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        for f in analysis.findings:
            # A path out of the repository (`../../etc/passwd`, `/etc/passwd`) is log text, not
            # a place: the annotation goes on the run instead.
            file = f.data.get("file")
            file = strip_controls(file) if file and inside_workspace(file) else None
            line = f.data.get("line") if file else None
            gha.error(
                strip_controls(f"{f.text} ({next_step(f)})"),
                title=strip_controls(f"smartmon: {f.type.value} in {f.job}"),
                file=file,
                line=int(line) if line and line.isdigit() else None,
            )
        for n in analysis.notices:
            gha.warning(strip_controls(n.text), title=f"smartmon: {n.type.value}")
    return buf.getvalue()


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
}
