"""Grant the one GITHUB_TOKEN scope a failing step lacked, at job level; never `write-all`.

The scope is inferred from the error text (the REST docs link GitHub appends, `Permission to ...
denied to github-actions[bot]`, `ACTIONS_ID_TOKEN_REQUEST_URL`, a ghcr.io denial) or from what the
failing step does (known actions, `github.rest.*` calls in github-script, `gh` commands).
A job-level block replaces the workflow-level one, so creating it copies the workflow's grants.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from smartmon.fixers.target import (
    edit_fix,
    guarded,
    load_target,
    reason,
)
from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import (
    EditError,
    StepRef,
    add_entries,
    body,
    dominant_eol,
    find_job,
    find_step,
    indent_unit,
    rewrite_scalars,
    site,
    split_lines,
    to_plain,
    verify,
)

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.PERMISSION_ERROR

# docs.github.com "Permissions for the GITHUB_TOKEN" / workflow syntax `permissions`.
SCOPES = frozenset(
    {
        "actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token",
        "issues", "models", "packages", "pages", "pull-requests", "repository-projects",
        "security-events", "statuses",
    }
)  # fmt: skip
_LEVEL = {"none": 0, "read": 1, "write": 2}

# The REST docs section GitHub links after "Resource not accessible by integration".
_DOCS_AREA = {
    "issues": "issues",
    "pulls": "pull-requests",
    "checks": "checks",
    "git": "contents",
    "releases": "contents",
    "repos": "contents",
    "branches": "contents",
    "actions": "actions",
    "deployments": "deployments",
    "commits": "statuses",
    "packages": "packages",
    "pages": "pages",
    "code-scanning": "security-events",
    "projects": "repository-projects",
}
# Actions whose only write need is one scope (their READMEs' `permissions:` examples).
_ACTIONS = {
    "actions/labeler": "pull-requests",
    "actions/stale": "issues",
    "actions/first-interaction": "issues",
    "marocchino/sticky-pull-request-comment": "pull-requests",
    "thollander/actions-comment-pull-request": "pull-requests",
    "softprops/action-gh-release": "contents",
    "ncipollo/release-action": "contents",
    "peaceiris/actions-gh-pages": "contents",
    "stefanzweifel/git-auto-commit-action": "contents",
    "docker/login-action": "packages",
    "actions/deploy-pages": "pages",
    "dorny/test-reporter": "checks",
    "github/codeql-action/upload-sarif": "security-events",
}
_SCRIPT_CALL = re.compile(r"\bgithub\.(?:rest\.)?(?P<ns>[a-zA-Z]+)\.(?P<fn>[a-zA-Z]+)\s*\(")
_SCRIPT_NS = {
    "pulls": "pull-requests",
    "checks": "checks",
    "git": "contents",
    "actions": "actions",
    "packages": "packages",
}
_GH_CLI = re.compile(r"\bgh\s+(?P<cmd>pr|issue|release|label)\s+(?P<sub>[a-z-]+)")
_GH_SCOPE = {"pr": "pull-requests", "issue": "issues", "release": "contents", "label": "issues"}
_READ_ONLY_GH = {"view", "list", "status", "diff", "checks", "download"}
# Permission failures that no `permissions:` entry can cure.
_NOT_A_SCOPE = (
    (
        re.compile(r"protected branch|GH006|GH013|Repository rule violations", re.IGNORECASE),
        "a branch protection rule or ruleset refused the push; a token scope will not help",
    ),
    (
        re.compile(r"^sudo: "),
        "sudo asked for a password on this runner; this is not a GITHUB_TOKEN scope",
    ),
    (
        re.compile(r"personal access token", re.IGNORECASE),
        "the personal access token lacks a scope: update the token, not the workflow",
    ),
    (
        re.compile(r"denied to (?!github-actions\[bot\])\S+"),
        "the push used another identity than github-actions[bot]: fix that token's access",
    ),
)
_FILE_DENIED = re.compile(r"Permission denied|exit code 126", re.IGNORECASE)


def _from_text(text: str) -> str | None:
    if "ACTIONS_ID_TOKEN_REQUEST_URL" in text or "id-token" in text:
        return "id-token"
    if re.search(r"Permission to \S+ denied to github-actions\[bot\]", text):
        return "contents"
    if re.search(r"ghcr\.io|write_package|Write organization package", text) and re.search(
        r"denied|unauthorized|forbidden|not allowed", text, re.IGNORECASE
    ):
        return "packages"
    docs = re.search(r"docs\.github\.com/(?:[\w-]+/)?rest/(?P<area>[\w-]+)", text)
    if docs:
        return _DOCS_AREA.get(docs["area"])
    return None


def _triggers(doc: Any) -> set[str]:
    on = doc.get("on", doc.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, (list, dict)):
        return {str(e) for e in on}
    return set()


# A raw REST call: `github.request('POST /repos/{owner}/{repo}/issues/...')` in github-script, or
# `gh api -X POST repos/o/r/statuses/...` in a script. Read-only calls (GET) need no write scope.
_REST_CALL = re.compile(
    r"(?:request\(\s*['\"`](?P<m1>POST|PUT|PATCH|DELETE)\s+/?repos/"
    r"|\bgh\s+api\b[^\n]*?(?:-X|--method)\s+(?P<m2>POST|PUT|PATCH|DELETE)[^\n]*?\brepos/)"
    r"(?:\$\{?GITHUB_REPOSITORY\}?|\$\{\{\s*github\.repository\s*\}\}|[^/\s]+/[^/\s]+)"
    r"/(?P<area>[\w-]+)"
)
_REST_AREA = {
    "issues": "issues",
    "pulls": "pull-requests",
    "statuses": "statuses",
    "check-runs": "checks",
    "check-suites": "checks",
    "contents": "contents",
    "git": "contents",
    "releases": "contents",
    "deployments": "deployments",
    "actions": "actions",
    "pages": "pages",
}


def _rest_scopes(text: str, on_prs: bool) -> set[str]:
    found: set[str] = set()
    for call in _REST_CALL.finditer(text):
        scope = _REST_AREA.get(call["area"])
        if scope == "issues" and on_prs:
            scope = "pull-requests"
        if scope:
            found.add(scope)
    return found


def _from_step(doc: Any, step: StepRef | None) -> str | None:
    if step is None:
        return None
    uses = str(step.node.get("uses", "")).split("@", 1)[0].lower()
    if uses in _ACTIONS:
        return _ACTIONS[uses]
    found: set[str] = set()
    if uses == "actions/github-script":
        with_ = step.node.get("with")
        script = str(with_.get("script", "")) if isinstance(with_, dict) else ""
        on_prs = bool({"pull_request", "pull_request_target"} & _triggers(doc))
        for call in _SCRIPT_CALL.finditer(script):
            ns, fn = call["ns"], call["fn"]
            if fn.startswith(("get", "list", "paginate")):
                continue
            if ns == "issues":
                found.add("pull-requests" if on_prs else "issues")
            elif ns == "repos":
                found.add("statuses" if "Status" in fn else "contents")
            elif ns in _SCRIPT_NS:
                found.add(_SCRIPT_NS[ns])
        found.update(_rest_scopes(script, on_prs))
    run = step.node.get("run")
    if isinstance(run, str):
        found.update(
            _rest_scopes(run, bool({"pull_request", "pull_request_target"} & _triggers(doc)))
        )
        for cmd in _GH_CLI.finditer(run):
            if cmd["sub"] not in _READ_ONLY_GH:
                found.add(_GH_SCOPE[cmd["cmd"]])
        if re.search(r"\bgit\s+push\b", run):
            found.add("contents")
    return found.pop() if len(found) == 1 else None


def infer_scope(finding: Finding, doc: Any, step: StepRef | None) -> str | None:
    """The one scope the failure needs, or None when it cannot be told with confidence."""
    given = finding.data.get("scope", "").split(":")[0].strip().lower()
    if given in SCOPES:
        return given
    return _from_text(finding.text) or _from_step(doc, step)


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    if _FILE_DENIED.search(finding.text) and "integration" not in finding.text:
        return None  # a script without its executable bit: executable_bit's business
    title = "grant the missing GITHUB_TOKEN scope"
    for pattern, why in _NOT_A_SCOPE:
        if pattern.search(finding.text):
            return reason(HANDLES, ctx.workflow or "", title, why)
    loaded = load_target(finding, ws, ctx, HANDLES, title)
    if isinstance(loaded, Fix):
        return loaded
    path = loaded.path
    doc = loaded.doc
    job_id = find_job(doc, finding.job)
    if job_id is None:
        why = f"{path}: the job {finding.job!r} was not found in this workflow"
        return reason(HANDLES, path, title, why)
    scope = infer_scope(finding, doc, find_step(doc, job_id, finding.step))
    if scope is None:
        why = (
            f"{path}: cannot tell which token scope job {job_id!r} lacks; add the one it needs "
            "under `permissions:` by hand (never write-all)"
        )
        return reason(HANDLES, path, title, why)
    title = f"grant {scope}: write to job {job_id!r}"
    try:
        new_text = _grant(loaded.text, doc, job_id, scope)
    except (EditError, _Refused) as exc:
        return reason(HANDLES, path, title, f"{path}: {exc}")
    description = title
    if "pull_request" in _triggers(doc):
        description += " (runs from forked pull requests keep a read-only token regardless)"
    return edit_fix(HANDLES, loaded, new_text, description)


class _Refused(Exception):
    pass


_EMPTY_FLOW = re.compile(r"^(?P<key>\s*permissions:)\s*\{\s*\}(?P<comment>\s*#.*)?$")


def _fill_empty(text: str, doc: Any, job_id: str, scope: str) -> str:
    """`permissions: {}` on the job -> a block holding only the one scope."""
    job = doc["jobs"][job_id]
    key_line, key_col = job.lc.key("permissions")
    lines = split_lines(text)
    content, eol = body(lines[key_line])
    match = _EMPTY_FLOW.match(content)
    if match is None:
        raise _Refused(f"job {job_id!r} has a flow `permissions:`; add {scope}: write there")
    unit = indent_unit(lines)
    # On a last line without a newline, the new last line goes without one too.
    lines[key_line] = match["key"] + (match["comment"] or "") + (eol or dominant_eol(lines))
    lines.insert(key_line + 1, f"{' ' * (key_col + unit)}{scope}: write{eol}")
    new_text = "".join(lines)
    expected = to_plain(doc)
    expected["jobs"][job_id]["permissions"] = {scope: "write"}
    verify(text, new_text, allowed={key_line}, expected=expected, inserted=1)
    return new_text


def _grant(text: str, doc: Any, job_id: str, scope: str) -> str:
    job = doc["jobs"][job_id]
    current = job.get("permissions")
    if isinstance(current, dict) and current:
        level = str(current.get(scope, "none"))
        if _LEVEL.get(level, 0) >= _LEVEL["write"]:
            raise _Refused(
                f"job {job_id!r} already grants {scope}: write; the token may be limited by "
                "repository or organization settings, or a fork"
            )
        if scope in current:
            where = site(current, scope, ("jobs", job_id, "permissions"))
            if where is None:
                raise _Refused(f"job {job_id!r}: {scope} is not a plain value; edit it by hand")
            return rewrite_scalars(text, doc, [(where, "write")])
        return add_entries(text, doc, ("jobs", job_id), "permissions", [(scope, "write")])
    if isinstance(current, str):
        raise _Refused(f"job {job_id!r} uses `permissions: {current}`; set {scope}: write by hand")
    if current is not None:
        return _fill_empty(text, doc, job_id, scope)
    workflow = doc.get("permissions")
    grants: dict[str, str] = {}
    if isinstance(workflow, dict):
        grants = {str(k): str(v) for k, v in workflow.items()}
    elif isinstance(workflow, str):
        raise _Refused(f"the workflow uses `permissions: {workflow}`; set {scope}: write by hand")
    else:
        # No block anywhere: a job block drops every unlisted scope, so keep checkout working.
        grants = {"contents": "read"}
    grants[scope] = "write"
    return add_entries(
        text, doc, ("jobs", job_id), "permissions", list(grants.items()), before=("steps",)
    )
