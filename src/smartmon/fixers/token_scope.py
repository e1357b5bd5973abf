"""Which GITHUB_TOKEN scopes a failing step lacked: from the log's refused request, else from the step.

The log comes first (`diagnose.api_requests`: the request's URL and method, octokit's accepted-
permissions header, the git/ghcr/OIDC/Pages refusals); else what the step does: the `github.rest.*`
calls of `actions/github-script` (octokit method -> endpoint -> scope), `gh` subcommands and REST
calls in `run:`, and the table of what popular actions need. Scopes come from the generated tables
(`workflows.token_scopes`), never guessed from names.
"""

from __future__ import annotations

import re
from typing import Any

from smartmon.diagnose import api_requests
from smartmon.model import Finding
from smartmon.workflows import (
    ACCESS_LEVELS,
    TOKEN_SCOPES,
    StepRef,
    action_needs,
    endpoint_need,
    find_step,
    gh_command_needs,
    octokit_endpoint,
)

Needs = dict[str, str]  # scope -> "read" | "write", in the order found

_SCRIPT_CALL = re.compile(r"\bgithub\.(?:rest\.)?(?P<ns>[a-zA-Z]+)\.(?P<fn>[a-zA-Z]+)\s*\(")
# `github.request('POST /repos/{owner}/{repo}/...')` in github-script, `gh api -X POST repos/...`.
_REQUEST_CALL = re.compile(
    r"request\(\s*['\"`](?P<method>GET|POST|PUT|PATCH|DELETE)\s+(?P<path>/?repos/[^'\"`\s]+)"
)
_GH_API = re.compile(r"\bgh\s+api\b(?P<args>[^\n]*)")
_GH_API_METHOD = re.compile(r"(?:-X|--method)\s*(?P<method>GET|POST|PUT|PATCH|DELETE)\b")
_GH_API_FIELDS = re.compile(r"\s(?:-f|-F|--field|--raw-field|--input)\s")
_GH_API_PATH = re.compile(r"(?:^|\s)['\"]?/?(?P<path>repos/[^\s'\"]+)")
_GH_CMD = re.compile(r"\bgh\s+(?P<cmd>[a-z-]+\s+[a-z-]+)")
_GIT_PUSH = re.compile(r"\bgit\s+push\b")
_CURL = re.compile(
    r"\bcurl\b[^\n]*?(?:-X|--request)\s*(?P<method>POST|PUT|PATCH|DELETE)\b[^\n]*?"
    r"(?:https://api\.github\.com|\$\{?GITHUB_API_URL\}?|\$\{\{\s*github\.api_url\s*\}\})"
    r"(?P<path>/repos/[^\s'\"]+)"
)
_PR_EVENTS = frozenset({"pull_request", "pull_request_target"})
# `owner/repo` written as one variable in a script: `$GITHUB_REPOSITORY`, `${{ github.repository }}`.
_REPO_VAR = re.compile(r"\$\{?GITHUB_REPOSITORY\}?|\$\{\{\s*github\.repository\s*\}\}")


def triggers(doc: Any) -> set[str]:
    """The events a workflow runs on."""
    on = doc.get("on", doc.get(True)) if isinstance(doc, dict) else None
    if isinstance(on, str):
        return {on}
    if isinstance(on, (list, dict)):
        return {str(e) for e in on}
    return set()


def _stronger(needs: Needs, scope: str, access: str) -> None:
    if scope in TOKEN_SCOPES and ACCESS_LEVELS.get(access, 0) > ACCESS_LEVELS.get(
        needs.get(scope, "none"), 0
    ):
        needs[scope] = access


def _pick(scope: str, alternatives: str, on_prs: bool) -> str:
    """An endpoint served by `issues` or `pull-requests`: a pull-request workflow means the PR one."""
    options = [scope, *(a for a in alternatives.split(",") if a)]
    if on_prs and "pull-requests" in options:
        return "pull-requests"
    return scope


def _endpoint(needs: Needs, method: str | None, path: str, on_prs: bool) -> None:
    need = endpoint_need(method, _REPO_VAR.sub("owner/repo", path))
    if need is not None and need.github_token:
        _stronger(needs, _pick(need.scope, ",".join(need.alternatives), on_prs), need.access)


def from_log(finding: Finding, on_prs: bool) -> Needs:
    """The scopes the refused request needed, read from the finding's data, line and context."""
    needs: Needs = {}
    data = finding.data
    found: dict[str, str] = dict(data) if data.get("scope") else {}
    if not found or "access" not in found:
        from_lines = api_requests.request_need([*finding.context, finding.text])
        if from_lines and (not found or from_lines["scope"] == found["scope"].split(":")[0]):
            found = {**from_lines, **found}
    if not found:
        return needs
    scope = found["scope"].split(":")[0].strip().lower()
    access = found.get("access", "write")
    _stronger(needs, _pick(scope, found.get("alternatives", ""), on_prs), access)
    also = found.get("also", "")
    if also:
        _stronger(needs, also, "write")
    return needs


def _script_needs(script: str, on_prs: bool) -> Needs:
    needs: Needs = {}
    for call in _SCRIPT_CALL.finditer(script):
        endpoint = octokit_endpoint(f"{call['ns']}.{call['fn']}")
        if endpoint is not None:
            _endpoint(needs, endpoint[0], endpoint[1], on_prs)
    for call in _REQUEST_CALL.finditer(script):
        _endpoint(needs, call["method"], call["path"], on_prs)
    return needs


def _normalise(script: str) -> str:
    """Continued lines joined, `owner/repo` variables and other expressions made path segments."""
    script = re.sub(r"\\\n\s*", " ", script)
    script = _REPO_VAR.sub("owner/repo", script)
    return re.sub(r"\$\{\{.*?\}\}", "X", script)


def _run_needs(run: str, on_prs: bool) -> Needs:
    needs: Needs = {}
    run = _normalise(run)
    for call in _GH_API.finditer(run):
        args = call["args"]
        path = _GH_API_PATH.search(args)
        if path is None:
            continue
        method = _GH_API_METHOD.search(args)
        # gh api sends POST when fields are given without -X (cli/cli pkg/cmd/api).
        verb = method["method"] if method else ("POST" if _GH_API_FIELDS.search(args) else "GET")
        _endpoint(needs, verb, "/" + path["path"], on_prs)
    for cmd in _GH_CMD.finditer(run):
        if cmd["cmd"].startswith("api "):
            continue
        for scope, access in (gh_command_needs(f"gh {cmd['cmd']}") or {}).items():
            _stronger(needs, scope, access)
    for call in _CURL.finditer(run):
        _endpoint(needs, call["method"], call["path"], on_prs)
    if _GIT_PUSH.search(run):
        _stronger(needs, "contents", "write")
    return needs


def from_step(doc: Any, step: StepRef | None) -> Needs:
    """What the failing step needs, from the action it runs or the calls in its script."""
    if step is None:
        return {}
    on_prs = _about_pull_requests(doc, step)
    uses = str(step.node.get("uses", "")).split("@", 1)[0].lower()
    needs: Needs = {}
    if uses == "actions/github-script":
        with_ = step.node.get("with")
        script = str(with_.get("script", "")) if isinstance(with_, dict) else ""
        needs = _script_needs(script, on_prs)
    elif uses:
        table = action_needs(uses)
        if table:
            needs = {s: a for s, a in table.items() if s in TOKEN_SCOPES}
    run = step.node.get("run")
    if isinstance(run, str):
        for scope, access in _run_needs(run, on_prs).items():
            _stronger(needs, scope, access)
    return needs


def failing_step(doc: Any, job_id: str, name: str) -> StepRef | None:
    """The step a log names; also when the log's `Run <command>` shows expressions substituted
    and secrets masked (`Bearer ***`): the step whose command starts with the same literal text."""
    step = find_step(doc, job_id, name)
    if step is not None or not name.startswith("Run "):
        return step
    command = name[4:].strip()
    found: list[StepRef] = []
    for i, node in enumerate(doc["jobs"][job_id].get("steps") or []):
        run = node.get("run") if isinstance(node, dict) else None
        if not isinstance(run, str):
            continue
        first = next((ln.strip() for ln in run.splitlines() if ln.strip()), "")
        literal = first.split("$", 1)[0].rstrip()
        if len(literal) >= 8 and command.startswith(literal):
            found.append(
                StepRef(job=job_id, path=("jobs", job_id, "steps", i), node=node, name=name)
            )
    return found[0] if len(found) == 1 else None


def _about_pull_requests(doc: Any, step: StepRef | None) -> bool:
    """A pull-request workflow, or a step that names the pull request it works on."""
    if _PR_EVENTS & triggers(doc):
        return True
    return step is not None and "pull_request" in str(step.node)


def infer_needs(finding: Finding, doc: Any, step: StepRef | None) -> Needs:
    """The scopes the failure needs (the log's answer wins), or {} when it cannot be told."""
    on_prs = _about_pull_requests(doc, step)
    return from_log(finding, on_prs) or from_step(doc, step)
