"""Deliver planned fixes safely: a commit leased on the failing `head_sha`, a pull request on
`smartmon/fix-<run id>`, or only a patch, and say why (DESIGN.md "Safety rules").

- fork runs and `report` mode: a patch only;
- workflow-file edits without a token that may push them: a patch, saying why;
- the default branch, dependency additions, or `pull-request` mode: a pull request;
- any other branch of the repository: a commit pushed only while the branch still points at the
  failing commit ("stale run" otherwise).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartmon.fixers import Workspace
from smartmon.github import GitHubClient, GitHubError
from smartmon.github import git as gitops
from smartmon.model import Edit, Fix, IssueType
from smartmon.report import escape_markdown

log = logging.getLogger(__name__)

MODES = ("auto", "commit", "pull-request", "report")
WORKFLOW_DIR = ".github/workflows/"
REMOTE = "origin"
# Files that name dependencies: a change to one is a supply-chain decision, reviewed in a PR.
_MANIFEST = re.compile(
    r"(?:^|/)(?:requirements[^/]*\.(?:txt|in)|constraints[^/]*\.txt|pyproject\.toml|setup\.cfg"
    r"|setup\.py|Pipfile|environment\.ya?ml|package\.json)$"
)
WORKFLOWS_PERMISSION = (
    "the fix edits .github/workflows/, which needs a token with the workflows permission "
    "(a PAT with the `workflow` scope or a GitHub App with Workflows: write); "
    "GITHUB_TOKEN never has it"
)


@dataclass(frozen=True, kw_only=True)
class Plan:
    kind: str  # "commit" | "pull-request" | "patch"
    reason: str  # one line: why this kind of delivery


@dataclass(frozen=True, kw_only=True)
class Outcome:
    delivery: str  # "commit" | "pull-request" | "patch" | "none"
    commit_sha: str | None = None
    pull_request_url: str | None = None
    patch: str | None = None
    branch: str | None = None  # where the fix now lives (for verification)
    stale: bool = False
    notes: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


def touches_workflows(edits: Sequence[Edit]) -> bool:
    return any(e.path.startswith(WORKFLOW_DIR) for e in edits)


def adds_dependencies(fixes: Sequence[Fix], edits: Sequence[Edit]) -> bool:
    return any(f.type is IssueType.MISSING_DEPENDENCY for f in fixes if f.applicable) or any(
        _MANIFEST.search(e.path) for e in edits
    )


def choose(
    *,
    mode: str,
    fork: bool,
    branch: str | None,
    default_branch: str | None,
    fixes: Sequence[Fix],
    edits: Sequence[Edit],
    can_push_workflows: bool | None,
) -> Plan:
    """Pick how to deliver; the safest answer wins whatever the mode asks for."""
    if fork:
        return Plan(kind="patch", reason="the run came from a fork: report and patch only")
    if mode == "report":
        return Plan(kind="patch", reason="mode is report: nothing is pushed")
    if touches_workflows(edits) and not can_push_workflows:
        return Plan(kind="patch", reason=WORKFLOWS_PERMISSION)
    if not branch:
        return Plan(kind="patch", reason="the run has no head branch to deliver to")
    if mode == "pull-request":
        return Plan(kind="pull-request", reason="mode is pull-request")
    if adds_dependencies(fixes, edits):
        return Plan(kind="pull-request", reason="dependency changes are reviewed in a pull request")
    if mode == "auto" and branch == default_branch:
        return Plan(kind="pull-request", reason=f"{branch} is the default branch")
    return Plan(kind="commit", reason=f"{branch} is a working branch of this repository")


def commit_message(fixes: Sequence[Fix], run: Mapping[str, Any]) -> str:
    types = sorted({f.type.value for f in fixes if f.applicable})
    lines = [f"smartmon: fix {', '.join(types)} (run {run['id']})", ""]
    lines += [f"- {f.description}" for f in fixes if f.applicable]
    if run.get("html_url"):
        lines += ["", f"Failed run: {run['html_url']}"]
    return "\n".join(lines) + "\n"


def deliver(
    plan: Plan,
    *,
    client: GitHubClient,
    ws: Workspace,
    edits: Sequence[Edit],
    fixes: Sequence[Fix],
    run: Mapping[str, Any],
    default_branch: str | None,
    token: str | None,
) -> Outcome:
    """Carry out `plan`: apply, commit with our trailer, push; fall back to a patch on refusal."""
    if plan.kind == "patch":
        return Outcome(delivery="patch", patch=ws.diff(edits), notes=(plan.reason,))
    repo = ws.root
    head_sha = str(run["head_sha"])
    branch = str(run.get("head_branch") or "")
    earlier = _earlier_fix(client, repo, branch, run, head_sha, default_branch, fixes, token)
    if earlier is not None:
        return earlier
    changed = ws.apply(edits)
    sha = gitops.commit(repo, commit_message(fixes, run), paths=changed, run_id=run["id"])
    if sha is None:
        return Outcome(delivery="none", notes=("the planned fixes change nothing: no commit",))
    patch = gitops.format_patch(repo, head_sha, sha)
    if plan.kind == "commit":
        pushed = gitops.push_with_lease(repo, REMOTE, branch, head_sha, token=token)
        if pushed.ok:
            return Outcome(
                delivery="commit", commit_sha=sha, patch=patch, branch=branch, notes=(plan.reason,)
            )
        if pushed.status is gitops.PushStatus.STALE:
            return Outcome(
                delivery="none",
                patch=patch,
                stale=True,
                notes=(f"stale run: {branch} has moved past the failing commit {head_sha[:12]}",),
                next_steps=("nothing to do unless the newer commit fails too",),
            )
        if _workflows_refused(pushed.message):
            return _patch_after(patch, WORKFLOWS_PERMISSION)
        log.info("push to %s refused (%s); opening a pull request instead", branch, pushed.message)
        plan = Plan(kind="pull-request", reason=f"pushing to {branch} was refused")
    return _pull_request(client, repo, plan, patch, sha, fixes, run, default_branch, token)


def _earlier_fix(
    client: GitHubClient,
    repo: Path,
    branch: str,
    run: Mapping[str, Any],
    head_sha: str,
    default_branch: str | None,
    fixes: Sequence[Fix],
    token: str | None,
) -> Outcome | None:
    """This run's fix already delivered (before a crash, or by another session), or None.

    Read from our trailer on the branches a fix goes to, so a restart never commits it twice:
    on the fix branch it is reused (its pull request opened if that never happened); on the
    run's branch there is nothing left to do.
    """
    run_id = run["id"]
    fix_branch = gitops.fix_branch(run_id)
    pushed = gitops.find_fix(repo, REMOTE, fix_branch, run_id, token=token)
    if pushed is not None:
        patch = gitops.format_patch(repo, head_sha, pushed)
        existing = _existing_pull(client, fix_branch)
        if existing:
            return Outcome(
                delivery="pull-request",
                pull_request_url=existing,
                patch=patch,
                branch=fix_branch,
                notes=(f"a pull request for run {run_id} already exists",),
            )
        log.info("run %s: fix %s is on %s without a pull request", run_id, pushed, fix_branch)
        reason = Plan(kind="pull-request", reason=f"the fix was already on {fix_branch}")
        base = branch or default_branch or ""
        return _open_pull(client, reason, patch, pushed, fixes, run, base)
    on_branch = gitops.find_fix(repo, REMOTE, branch, run_id, token=token) if branch else None
    if on_branch is not None:
        note = (
            f"already fixed: {on_branch[:12]} on {branch} carries {gitops.TRAILER}: run {run_id}; "
            "not committing it again"
        )
        return Outcome(delivery="none", stale=True, notes=(note,))
    return None


def _pull_request(
    client: GitHubClient,
    repo: Path,
    plan: Plan,
    patch: str,
    sha: str,
    fixes: Sequence[Fix],
    run: Mapping[str, Any],
    default_branch: str | None,
    token: str | None,
) -> Outcome:
    fix_branch = gitops.fix_branch(run["id"])
    head_branch = str(run.get("head_branch") or "")
    base = head_branch or default_branch or ""
    pushed = gitops.create_branch_and_push(repo, REMOTE, fix_branch, token=token)
    if not pushed.ok:
        if _workflows_refused(pushed.message):
            return _patch_after(patch, WORKFLOWS_PERMISSION)
        existing = _existing_pull(client, fix_branch)
        if existing:
            return Outcome(
                delivery="pull-request",
                pull_request_url=existing,
                patch=patch,
                branch=fix_branch,
                notes=(f"a pull request for run {run['id']} already exists",),
            )
        return _patch_after(patch, f"pushing {fix_branch} failed: {pushed.message}")
    return _open_pull(client, plan, patch, sha, fixes, run, base)


def _open_pull(
    client: GitHubClient,
    plan: Plan,
    patch: str,
    sha: str,
    fixes: Sequence[Fix],
    run: Mapping[str, Any],
    base: str,
) -> Outcome:
    fix_branch = gitops.fix_branch(run["id"])
    title, _, _ = commit_message(fixes, run).partition("\n")
    try:
        pull = client.create_pull(fix_branch, base, title, _pull_body(fixes, run, plan))
    except GitHubError as exc:
        return Outcome(
            delivery="patch",
            commit_sha=sha,
            patch=patch,
            branch=fix_branch,
            notes=(
                f"the fix is on branch {fix_branch}, but opening the pull request failed: {exc}",
            ),
            next_steps=(
                f"open a pull request from {fix_branch} into {base}; if Actions may not create "
                "pull requests, allow it under Settings → Actions → General or use an App token",
            ),
        )
    return Outcome(
        delivery="pull-request",
        commit_sha=sha,
        pull_request_url=str(pull.get("html_url") or ""),
        patch=patch,
        branch=fix_branch,
        notes=(plan.reason,),
    )


def _pull_body(fixes: Sequence[Fix], run: Mapping[str, Any], plan: Plan) -> str:
    lines = [f"smartmon fixed what made run {run['id']} fail ({escape_markdown(plan.reason)}).", ""]
    lines += [
        f"- **{f.type.value}**: {escape_markdown(f.description)}" for f in fixes if f.applicable
    ]
    if run.get("html_url"):
        lines += ["", f"Failed run: {run['html_url']}"]
    lines += [
        "",
        f"Each commit carries a `{gitops.TRAILER}:` trailer; smartmon never fixes its own fix.",
    ]
    return "\n".join(lines) + "\n"


def _existing_pull(client: GitHubClient, branch: str) -> str | None:
    try:
        pulls = client.list_pulls(head=branch)
    except GitHubError:
        return None
    return str(pulls[0].get("html_url") or "") if pulls else None


def _workflows_refused(message: str) -> bool:
    lowered = message.lower()
    return "workflow" in lowered and ("refusing" in lowered or "permission" in lowered)


def _patch_after(patch: str, reason: str) -> Outcome:
    return Outcome(
        delivery="patch",
        patch=patch,
        notes=(reason,),
        next_steps=("apply the patch from the job summary or the report artifact (git am)",),
    )
