"""Grant the GITHUB_TOKEN scope a failing step lacked, at the level that governs its job.

Which scope: `token_scope.infer_needs` (the log's refused request, else what the step does).
Where: a job with its own `permissions:` gets the scope there; a job without one gets a new job
block carrying the workflow-level grants over (a job block replaces the workflow's for that job, and
every scope it does not list becomes `none`). Other jobs are untouched, `write-all` is never
written, comments are kept. A pull request from a fork gets a read-only token whatever the file
says: that is reported with the safe pattern and nothing is edited.
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
from smartmon.fixers.token_scope import Needs, failing_step, infer_needs, triggers
from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import (
    ACCESS_LEVELS,
    EditError,
    add_entries,
    body,
    dominant_eol,
    find_job,
    indent_unit,
    parse,
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
    (
        re.compile(
            r"PERMISSION_DENIED|Permission ['\"][\w.]+['\"] denied on resource"
            r"|does not have [\w.]+ access to the Google Cloud|AuthorizationFailed"
            r"|does not have authorization to perform action|is not authorized to perform: "
            r"|\((?:AccessDenied|AccessDeniedException|AuthorizationError)\) when calling"
        ),
        "the cloud provider's IAM refused the call: grant the role to the service account or "
        "principal, not a workflow permission",
    ),
    (
        re.compile(r"Repository access blocked"),
        "GitHub has disabled the repository this call names; no token is let in: drop or "
        "replace what points at it",
    ),
    (
        # check-spelling's Restricted Permissions: the token can do too much, not too little.
        re.compile(r"This workflow configuration is unsafe\. Please see \S*check-spelling"),
        "check-spelling refuses a token that can write on a fork's pull request: narrow the job's "
        "`permissions:` (contents: read); a wider scope will not help",
    ),
    (
        re.compile(r"detected dubious ownership in repository"),
        "git refused a checkout owned by another user: run `git config --global --add "
        "safe.directory <path>` in the step, or run the container as the checkout's user",
    ),
)
_FILE_DENIED = re.compile(r"Permission denied|exit code 126", re.IGNORECASE)
# GitHub's advice for runs from forks ("Keeping your GitHub Actions and workflows secure:
# Preventing pwn requests", GitHub Security Lab): the privileged half runs in a separate workflow.
FORK_PATTERN = (
    "a pull request from a fork always gets a read-only GITHUB_TOKEN (and no secrets), whatever "
    "`permissions:` says; keep this workflow read-only and move the step that writes to a "
    "`workflow_run` workflow triggered by this one, passing results as an artifact "
    "(never check out the fork's code with a write token)"
)


def _describe(needs: Needs) -> str:
    return ", ".join(f"{scope}: {access}" for scope, access in needs.items())


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
    needs = infer_needs(finding, doc, failing_step(doc, job_id, finding.step))
    if ctx.fork:
        if needs:
            title = f"grant {_describe(needs)} to job {job_id!r}"
        return reason(HANDLES, path, title, f"{path}: {FORK_PATTERN}")
    if not needs:
        why = (
            f"{path}: cannot tell which token scope job {job_id!r} lacks; add the one it needs "
            "under `permissions:` by hand (never write-all)"
        )
        return reason(HANDLES, path, title, why)
    title = f"grant {_describe(needs)} to job {job_id!r}"
    try:
        new_text, added = _grant(loaded.text, doc, job_id, needs)
    except (EditError, _Refused) as exc:
        return reason(HANDLES, path, title, f"{path}: {exc}")
    description = f"grant {_describe(added)} to job {job_id!r}"
    if "pull_request" in triggers(doc):
        description += " (runs from forked pull requests keep a read-only token regardless)"
    return edit_fix(HANDLES, loaded, new_text, description)


class _Refused(Exception):
    pass


_EMPTY_FLOW = re.compile(r"^(?P<key>\s*permissions:)\s*\{\s*\}(?P<comment>\s*#.*)?$")


def _fill_empty(text: str, doc: Any, job_id: str, needs: Needs) -> str:
    """`permissions: {}` on the job -> a block holding only the needed scopes."""
    job = doc["jobs"][job_id]
    key_line, key_col = job.lc.key("permissions")
    lines = split_lines(text)
    content, eol = body(lines[key_line])
    match = _EMPTY_FLOW.match(content)
    if match is None:
        raise _Refused(
            f"job {job_id!r} has a flow `permissions:`; add {_describe(needs)} there by hand"
        )
    unit = indent_unit(lines)
    # On a last line without a newline, the new last line goes without one too.
    lines[key_line] = match["key"] + (match["comment"] or "") + (eol or dominant_eol(lines))
    new = [f"{' ' * (key_col + unit)}{scope}: {access}" for scope, access in needs.items()]
    new = [line + (eol or dominant_eol(lines)) for line in new[:-1]] + [new[-1] + eol]
    lines[key_line + 1 : key_line + 1] = new
    new_text = "".join(lines)
    expected = to_plain(doc)
    expected["jobs"][job_id]["permissions"] = dict(needs)
    verify(text, new_text, allowed={key_line}, expected=expected, inserted=len(new))
    return new_text


def _missing(granted: dict[str, str], needs: Needs) -> Needs:
    return {
        scope: access
        for scope, access in needs.items()
        if ACCESS_LEVELS.get(granted.get(scope, "none"), 0) < ACCESS_LEVELS.get(access, 2)
    }


def _already(where: str, needs: Needs) -> _Refused:
    return _Refused(
        f"{where} already grants {_describe(needs)}; the token may be limited by repository or "
        "organization settings, or the run came from a fork"
    )


def _raise_in_job(text: str, doc: Any, job_id: str, current: Any, missing: Needs) -> str:
    """Raise existing entries in place, then append the new ones to the job's block."""
    path = ("jobs", job_id, "permissions")
    changes = []
    for scope, access in missing.items():
        if scope in current:
            where = site(current, scope, path)
            if where is None:
                raise _Refused(f"job {job_id!r}: {scope} is not a plain value; edit it by hand")
            changes.append((where, access))
    if changes:
        text = rewrite_scalars(text, doc, changes)
        doc = parse(text)
    added = [(s, a) for s, a in missing.items() if s not in current]
    if added:
        text = add_entries(text, doc, ("jobs", job_id), "permissions", added)
    return text


def _grant(text: str, doc: Any, job_id: str, needs: Needs) -> tuple[str, Needs]:
    """The new text and the grants it adds; _Refused when the block cannot or need not change."""
    job = doc["jobs"][job_id]
    current = job.get("permissions")
    if isinstance(current, dict) and current:
        granted = {str(k): str(v) for k, v in current.items()}
        missing = _missing(granted, needs)
        if not missing:
            raise _already(f"job {job_id!r}", needs)
        return _raise_in_job(text, doc, job_id, current, missing), missing
    if isinstance(current, str):
        raise _Refused(
            f"job {job_id!r} uses `permissions: {current}`; set {_describe(needs)} by hand"
        )
    if current is not None:
        return _fill_empty(text, doc, job_id, needs), needs
    workflow = doc.get("permissions")
    grants: dict[str, str] = {}
    if isinstance(workflow, dict):
        grants = {str(k): str(v) for k, v in workflow.items()}
        if workflow and not _missing(grants, needs):
            raise _already("the workflow", needs)
    elif isinstance(workflow, str):
        raise _Refused(
            f"the workflow uses `permissions: {workflow}`; set {_describe(needs)} by hand"
        )
    else:
        # No block anywhere: a job block drops every unlisted scope, so keep checkout working.
        grants = {"contents": "read"}
    missing = _missing(grants, needs)
    grants.update(missing)
    new_text = add_entries(
        text, doc, ("jobs", job_id), "permissions", list(grants.items()), before=("steps",)
    )
    return new_text, missing
