"""Static checks of workflow and action files, without a log, sharing the fixers.

Checks: invalid YAML, deprecated action majors, retired runner labels (matrix values included),
`::set-output`-style workflow commands, and `run:` steps calling a repository script that lacks
its executable bit. Each problem is a `Finding` whose `line` is 1-based in the file it names.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from smartmon.errors import SmartmonError
from smartmon.fixers.action_versions import check_inputs, on_github_com, upgrades
from smartmon.fixers.registry import FixContext, plan_fixes
from smartmon.fixers.runner_labels import duplicates_sibling, retired_sites
from smartmon.fixers.set_output import COMMAND, command_lines, is_comment
from smartmon.fixers.workflow_yaml import repair
from smartmon.fixers.workspace import Workspace
from smartmon.model import Finding, Fix, IssueType, Severity
from smartmon.workflows import (
    ActionInfo,
    YamlError,
    body,
    get_path,
    parse,
    parse_uses,
    runner_retirement,
    script_lines,
    split_lines,
    step_shell,
    touched_lines,
    uses_sites,
)

log = logging.getLogger(__name__)

PATTERNS = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    "action.yml",
    "action.yaml",
    ".github/actions/**/action.yml",
    ".github/actions/**/action.yaml",
)
# `./x.sh`, `scripts/x.sh`, `$GITHUB_WORKSPACE/x.sh` as the first word of a script line.
_SCRIPT_CALL = re.compile(
    r"^\s*(?:sudo\s+(?:-E\s+)?)?"
    r"(?P<path>(?:\./|\$GITHUB_WORKSPACE/|\$\{GITHUB_WORKSPACE\}/|\$\{\{\s*github\.workspace\s*\}\}/)"
    r"?[\w.+-]+(?:/[\w.+-]+)*)(?=\s|;|$)"
)
_WORKSPACE_PREFIX = re.compile(r"^(?:\$GITHUB_WORKSPACE|\$\{GITHUB_WORKSPACE\}|\$\{\{[^}]*\}\})/")
_NOT_MODE_RUN = (".ps1", ".bat", ".cmd", ".exe")
_COMMAND_SEVERITY = {"set-env": Severity.HIGH, "add-path": Severity.HIGH}


@dataclass(frozen=True)
class ScanFinding:
    """A finding and the file (relative to the repository) whose line it points at."""

    file: str
    finding: Finding

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.finding.type.value,
            "file": self.file,
            "line": self.finding.line,
            "data": dict(self.finding.data),
            "auto_fixable": self.finding.auto_fixable,
            "message": self.finding.text,
        }


def workflow_files(ws: Workspace) -> list[str]:
    files: set[str] = set()
    for pattern in PATTERNS:
        files.update(ws.glob(pattern, prune=("node_modules",)))
    return sorted(files)


def _finding(
    issue: IssueType,
    severity: Severity,
    *,
    fixable: bool,
    rule: str,
    line: int,
    text: str,
    data: dict[str, str],
    job: str = "",
    step: str = "",
) -> Finding:
    return Finding(
        type=issue,
        severity=severity,
        auto_fixable=fixable,
        rule=f"scan-{rule}",
        job=job,
        step=step,
        line=line,
        text=text,
        data=data,
    )


def scan_file(
    ws: Workspace,
    path: str,
    *,
    server_url: str = "https://github.com",
    known: Mapping[str, ActionInfo] | None = None,
) -> list[ScanFinding]:
    """Every problem in one workflow or action file, in line order.

    `server_url` (GITHUB_SERVER_URL) decides whether artifact bumps are fixable (GHES lacks v4).
    """
    try:
        text = ws.read_text(path)
    except SmartmonError as exc:
        log.warning("%s", exc)
        return []
    try:
        doc = parse(text)
    except YamlError as err:
        return _yaml_findings(path, text, err)
    if not isinstance(doc, dict):
        return []
    lines = split_lines(text)
    found = [
        *_actions(path, text, doc, github_com=on_github_com(server_url), known=known),
        *_runners(path, doc),
        *_commands(path, lines, doc),
    ]
    found += _scripts(ws, path, lines, doc)
    return sorted(found, key=lambda f: (f.finding.line, f.finding.type.value))


def _yaml_findings(path: str, text: str, err: YamlError) -> list[ScanFinding]:
    """The parse error, plus each other line the deterministic repair would change."""
    repaired = repair(text)[0]
    lines = {err.line - 1} if err.line else set()
    if repaired is not None:
        lines |= touched_lines(split_lines(text), split_lines(repaired))[0]
    return [
        ScanFinding(
            path,
            _finding(
                IssueType.YAML_SYNTAX_ERROR,
                Severity.CRITICAL,
                fixable=repaired is not None,
                rule="yaml-syntax",
                line=index + 1,
                text=f"invalid YAML: {err.problem}"
                if index == err.line - 1
                else "invalid YAML: this line needs the same repair",
                data={"file": path, "line": str(index + 1)},
            ),
        )
        for index in sorted(lines or {0})
    ]


def _actions(
    path: str,
    text: str,
    doc: Any,
    *,
    github_com: bool,
    known: Mapping[str, ActionInfo] | None = None,
) -> Iterable[ScanFinding]:
    lines = split_lines(text)
    for site, up in upgrades(text, doc, known):
        check = check_inputs(lines, doc, site, up, known)
        if check.problems:
            advice = f"not bumped to {up.new_uses}: " + "; ".join(check.problems)
        elif not up.fixable:
            advice = "no automatic fix"
        elif up.pinned and up.pin_comment and not site.flow:
            advice = f"use {up.new_uses} # {up.pin_comment}"
        elif up.pinned:
            advice = f"pin the SHA of {up.action}{up.path}@<supported major> (resolve it online)"
        else:
            advice = f"use {up.new_uses}"
        data = {
            "file": path,
            "line": str(site.line + 1),
            "action": f"{up.action}{up.path}",
            "version": up.ref,
        }
        if up.successor:
            data["successor"] = up.successor
        fixable = up.fixable and (github_com or up.ghes_supported) and not check.problems
        fixable = fixable and not (up.pinned and site.flow)
        yield ScanFinding(
            path,
            _finding(
                IssueType.DEPRECATED_ACTION,
                Severity(up.severity),
                fixable=fixable,
                rule="deprecated-action",
                line=site.line + 1,
                text=f"{site.value} is deprecated: {up.why}; {advice}",
                data=data,
                job=site.job,
                step=site.step,
            ),
        )
        for rename in check.renames if fixable else ():
            yield ScanFinding(
                path,
                _finding(
                    IssueType.DEPRECATED_ACTION,
                    Severity.LOW,
                    fixable=True,
                    rule="renamed-input",
                    line=rename.line + 1,
                    text=f"input '{rename.old}' is '{rename.new}' in {up.new_uses}",
                    data={**data, "line": str(rename.line + 1), "input": rename.old},
                    job=site.job,
                    step=site.step,
                ),
            )


def _runners(path: str, doc: Any) -> Iterable[ScanFinding]:
    for site, new in retired_sites(doc):
        retired = runner_retirement(site.value)
        when = f" on {retired.retired} ({retired.source})" if retired else ""
        twice = duplicates_sibling(doc, site, new)
        advice = f"{new} is already in this list: remove {site.value}" if twice else f"use {new}"
        yield ScanFinding(
            path,
            _finding(
                IssueType.RETIRED_RUNNER,
                Severity.CRITICAL,
                fixable=not twice,
                rule="retired-runner",
                line=site.line + 1,
                text=f"runner label {site.value} was retired{when}; {advice}",
                data={"file": path, "line": str(site.line + 1), "label": site.value},
                job=site.job,
            ),
        )


def _commands(path: str, lines: list[str], doc: Any) -> Iterable[ScanFinding]:
    seen: set[int] = set()
    for script, command, new in command_lines(lines, doc):
        seen.add(script.line)
        yield _command_finding(path, script.line, command, new is not None, script.site.job)
    # Outside run: scripts (github-script, python heredocs in with:, ...): report, never edit.
    for index, line in enumerate(lines):
        content = body(line)[0]
        match = COMMAND.search(content)
        if match and index not in seen and not is_comment(content):
            yield _command_finding(path, index, match["cmd"], False, "")


def _command_finding(path: str, index: int, command: str, fixable: bool, job: str) -> ScanFinding:
    target = {"set-output": "GITHUB_OUTPUT", "save-state": "GITHUB_STATE"}.get(
        command, "GITHUB_ENV" if command == "set-env" else "GITHUB_PATH"
    )
    return ScanFinding(
        path,
        _finding(
            IssueType.DEPRECATED_COMMAND,
            _COMMAND_SEVERITY.get(command, Severity.LOW),
            fixable=fixable,
            rule="deprecated-command",
            line=index + 1,
            text=f"`::{command}` is deprecated; append to ${target} instead",
            data={"file": path, "line": str(index + 1), "command": command},
            job=job,
        ),
    )


def _run_defaults(node: Any) -> Any:
    defaults = node.get("defaults") if isinstance(node, dict) else None
    return defaults.get("run") if isinstance(defaults, dict) else None


def _working_directory(doc: Any, step: Any, job_id: str) -> str | None:
    scopes = [step]
    if job_id:
        scopes += [_run_defaults(doc["jobs"][job_id]), _run_defaults(doc)]
    for scope in scopes:
        wd = scope.get("working-directory") if isinstance(scope, dict) else None
        if isinstance(wd, str):
            return None if "${{" in wd or wd.startswith("/") else wd
    return ""


def _scripts(ws: Workspace, path: str, lines: list[str], doc: Any) -> list[ScanFinding]:
    found: list[ScanFinding] = []
    reported: set[str] = set()
    shells: dict[tuple[int, int], str | None] = {}
    for script in script_lines(lines, doc):
        match = _SCRIPT_CALL.match(script.content if not script.inline else script.site.value)
        if match is None or is_comment(script.content):
            continue
        raw = match["path"]
        if not (raw.startswith("./") or "/" in raw) or raw.lower().endswith(_NOT_MODE_RUN):
            continue
        key = (script.site.line, script.site.col)
        if key not in shells:
            shells[key] = step_shell(doc, script.site)
        if shells[key] not in ("bash", "sh"):
            continue
        step = get_path(doc, script.site.path[:-1])
        job_id = str(script.site.path[1]) if script.site.path[0] == "jobs" else ""
        if _WORKSPACE_PREFIX.match(raw):
            if raw.startswith("${{") and "github.workspace" not in raw:
                continue
            rel = _WORKSPACE_PREFIX.sub("", raw)
        else:
            wd = _working_directory(doc, step, job_id)
            if wd is None:
                continue
            rel = posixpath.join(wd, raw)
        rel = posixpath.normpath(rel)
        if rel.startswith("..") or rel in reported:
            continue
        try:
            if not ws.exists(rel) or ws.is_executable(rel):
                continue
        except SmartmonError:
            continue
        reported.add(rel)
        found.append(
            ScanFinding(
                path,
                _finding(
                    IssueType.PERMISSION_ERROR,
                    Severity.HIGH,
                    fixable=True,
                    rule="script-not-executable",
                    line=script.line + 1,
                    text=(
                        f"{rel} is run directly but is not executable "
                        "(the step would fail: exit 126, Permission denied)"
                    ),
                    data={"file": rel, "exit_code": "126"},
                    job=job_id,
                    step=script.site.step,
                ),
            )
        )
    return found


def scan(
    ws: Workspace,
    *,
    server_url: str = "https://github.com",
    known: Mapping[str, ActionInfo] | None = None,
) -> list[ScanFinding]:
    """Every problem in every workflow and action file of the repository."""
    found: list[ScanFinding] = []
    for path in workflow_files(ws):
        found.extend(scan_file(ws, path, server_url=server_url, known=known))
    return found


def action_refs(ws: Workspace) -> dict[str, bool]:
    """`owner/repo[/path]` of every versioned action the files use -> whether a use pins a SHA."""
    refs: dict[str, bool] = {}
    for path in workflow_files(ws):
        try:
            doc = parse(ws.read_text(path))
        except (SmartmonError, YamlError):
            continue
        for site in uses_sites(doc) if isinstance(doc, dict) else ():
            ref = parse_uses(site.value)
            if ref is not None and "/.github/workflows/" not in f"{ref.path}/":
                slug = f"{ref.slug}{ref.path}"
                refs[slug] = refs.get(slug, False) or ref.pinned
    return refs


def fix(
    ws: Workspace,
    found: list[ScanFinding],
    *,
    server_url: str,
    known: Mapping[str, ActionInfo] | None = None,
) -> list[tuple[str, Fix]]:
    """Plan fixes file by file (each with its own FixContext) and stage them in `ws`."""
    planned: list[tuple[str, Fix]] = []
    files = sorted({f.file for f in found})
    for file in files:
        findings = [f.finding for f in found if f.file == file]
        ctx = FixContext(workflow=file, server_url=server_url, actions=known)
        for fix_ in plan_fixes(findings, ws, ctx):
            planned.append((file, fix_))
    return planned
