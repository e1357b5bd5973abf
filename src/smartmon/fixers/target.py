"""Which workflow file a finding is about, loading it for a fixer, and the Fix that edits it."""

from __future__ import annotations

import functools
import logging
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smartmon.errors import SmartmonError
from smartmon.model import Edit, Finding, Fix, IssueType
from smartmon.workflows import YamlError, parse, uses_sites

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

log = logging.getLogger(__name__)

UNKNOWN_WORKFLOW = "which workflow produced this log is unknown; pass --workflow"
_WORKFLOW_PATH = re.compile(
    r"^(?:\./)?(?P<path>(?:\.github/workflows/[^/]+|(?:.*/)?action)\.ya?ml)$"
)


@dataclass(frozen=True)
class Loaded:
    """A workflow file read for planning: its path, text and round-trip document."""

    path: str
    text: str
    doc: Any


def target_workflow(finding: Finding, ctx: FixContext) -> str | None:
    """The workflow path named by the finding (`data.file`), else the context's, else None."""
    named = finding.data.get("file", "")
    match = _WORKFLOW_PATH.match(named)
    if match:
        return match["path"]
    return ctx.workflow


def local_actions(ws: Workspace, doc: Any) -> list[str]:
    """The `action.yml` files of the local actions a workflow calls (`uses: ./path`)."""
    found: list[str] = []
    for site in uses_sites(doc):
        ref = site.value.strip()
        if not ref.startswith("./") or "${{" in ref:
            continue
        folder = posixpath.normpath(ref[2:].split("@", 1)[0])
        if folder.startswith(".."):
            continue
        for name in ("action.yml", "action.yaml"):
            candidate = f"{folder}/{name}" if folder != "." else name
            try:
                if ws.exists(candidate) and candidate not in found:
                    found.append(candidate)
                    break
            except SmartmonError:
                break
    return found


def finding_line(finding: Finding) -> int | None:
    """The 0-based workflow line a static finding (from `scan`) points at, else None."""
    raw = finding.data.get("line", "")
    if not raw.isdigit() or int(raw) < 1:
        return None
    named = finding.data.get("file", "")
    if named and not _WORKFLOW_PATH.match(named):
        return None  # the line belongs to another file (a script), not the workflow
    return int(raw) - 1


_Plan = Callable[[Finding, "Workspace", "FixContext"], Fix | None]


def guarded(issue: IssueType) -> Callable[[_Plan], _Plan]:
    """Turn a planning bug on an unusual YAML shape into a refusal instead of a crash.

    Every edit is verified before it is returned, so the only failure left is a lookup that did
    not expect some shape (a merged key, an odd scalar); the run's other fixes must still go on.
    """

    def wrap(plan: _Plan) -> _Plan:
        @functools.wraps(plan)
        def guarded_plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
            try:
                return plan(finding, ws, ctx)
            except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
                log.warning("%s fixer could not plan: %r", issue.value, exc, exc_info=True)
                return reason(
                    issue,
                    ctx.workflow or "",
                    f"fix {issue.value}",
                    f"no safe fix: this workflow's shape was not understood ({type(exc).__name__})",
                )

        return guarded_plan

    return wrap


def reason(issue: IssueType, file: str, description: str, why: str) -> Fix:
    return Fix(type=issue, file=file, description=description, reason=why)


def load(ws: Workspace, path: str) -> Loaded | str:
    """The parsed file, or a one-line reason it cannot be edited."""
    if not ws.exists(path):
        return f"{path}: no such file in the repository"
    try:
        text = ws.read_text(path)
    except SmartmonError as exc:  # symlink, escape, not UTF-8: say it, do not raise
        return str(exc)
    try:
        doc = parse(text)
    except YamlError as exc:
        return f"{exc.github_style(path)} (fix the YAML first)"
    if not isinstance(doc, dict):
        return f"{path}: not a workflow mapping"
    return Loaded(path=path, text=text, doc=doc)


def load_target(
    finding: Finding, ws: Workspace, ctx: FixContext, issue: IssueType, description: str
) -> Loaded | Fix:
    """The workflow the finding is about, loaded; or a Fix saying why it cannot be edited."""
    path = target_workflow(finding, ctx)
    if path is None:
        return reason(issue, "", description, UNKNOWN_WORKFLOW)
    loaded = load(ws, path)
    if isinstance(loaded, str):
        return reason(issue, path, description, loaded)
    return loaded


def edit_fix(issue: IssueType, loaded: Loaded, new_text: str, description: str) -> Fix:
    """A Fix replacing the file's text (planned on exactly the bytes that were read)."""
    return Fix(
        type=issue,
        file=loaded.path,
        description=description,
        edits=(
            Edit(
                path=loaded.path,
                content=new_text.encode("utf-8"),
                original=loaded.text.encode("utf-8"),
            ),
        ),
    )
