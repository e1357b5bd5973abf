"""Set the executable bit on a repository script that failed with `Permission denied` (exit 126).

The content is unchanged; `Workspace.apply` sets the file mode and, in a git repository, the index
mode (`git update-index --chmod=+x`), which is what the runner's checkout will see.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from smartmon.errors import SmartmonError
from smartmon.fixers.target import guarded, load, reason
from smartmon.model import Edit, Finding, Fix, IssueType
from smartmon.workflows import find_job, find_step

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.PERMISSION_ERROR

# Where runners check out the repository: /home/runner/work/<repo>/<repo>/ (Linux),
# /Users/runner/work/... (macOS), D:\a\<repo>\<repo>\ (Windows), /__w/<repo>/<repo>/ (containers).
_CHECKOUT = re.compile(
    r"^(?:/home/[^/]+/work|/Users/[^/]+/work|/__w|/github/workspace/?|[A-Za-z]:[\\/]a)"
    r"(?:[\\/](?P<owner>[^\\/]+)[\\/](?P<repo>[^\\/]+))?[\\/](?P<rest>.+)$"
)
_DENIED = re.compile(r"(?P<file>[^\s:'\"]+): (?:line \d+: )?(?:\S+: )?Permission denied")
_NOT_A_SCRIPT = (".ps1", ".bat", ".cmd", ".exe")


def _candidates(raw: str) -> list[str]:
    raw = raw.strip().strip("'\"")
    if raw.startswith("/github/workspace/"):
        return [raw[len("/github/workspace/") :]]
    match = _CHECKOUT.match(raw)
    if match and match["rest"]:
        return [match["rest"].replace("\\", "/")]
    parts = [p for p in raw.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        return []
    # A relative path may be relative to a working-directory: try shorter suffixes too.
    return ["/".join(parts[i:]) for i in range(len(parts))]


def _working_directory(finding: Finding, ws: Workspace, workflow: str | None) -> str:
    """The failing step's `working-directory` (or the job's default), when the workflow says."""
    if workflow is None:
        return ""
    loaded = load(ws, workflow)
    if isinstance(loaded, str):
        return ""
    job_id = find_job(loaded.doc, finding.job)
    step = find_step(loaded.doc, job_id, finding.step) if job_id else None
    scopes: list[object] = [step.node if step else None]
    if job_id:
        defaults = loaded.doc["jobs"][job_id].get("defaults")
        scopes.append(defaults.get("run") if isinstance(defaults, dict) else None)
    for scope in scopes:
        wd = scope.get("working-directory") if isinstance(scope, dict) else None
        if isinstance(wd, str) and "${{" not in wd and not wd.startswith("/"):
            return wd
    return ""


def script_path(finding: Finding, ws: Workspace, workflow: str | None = None) -> str | None:
    """The repository file the finding names, if it exists in the workspace."""
    raw = finding.data.get("file", "")
    if not raw:
        match = _DENIED.search(finding.text)
        raw = match["file"] if match else ""
    candidates = _candidates(raw) if raw else []
    wd = _working_directory(finding, ws, workflow) if candidates else ""
    if wd and not raw.startswith("/"):
        candidates.insert(0, posixpath.normpath(posixpath.join(wd, candidates[0])))
    for candidate in candidates:
        try:
            if ws.exists(candidate):
                return candidate
        except SmartmonError:  # a refused path (symlink, escape) is simply not a match
            continue
    return None


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    text = finding.text
    if "Permission denied" not in text and finding.data.get("exit_code") != "126":
        return None
    if "github-actions[bot]" in text or "integration" in text:
        return None  # a token scope, not a file mode: permissions' business
    path = script_path(finding, ws, ctx.workflow)
    if path is None:
        if not finding.data.get("file"):
            return None
        return reason(
            HANDLES,
            finding.data["file"],
            "make the script executable",
            f"{finding.data['file']}: not a file in this repository (generated at run time?); "
            "chmod +x it where it is created",
        )
    title = f"make {path} executable"
    if path.lower().endswith(_NOT_A_SCRIPT):
        return reason(HANDLES, path, title, f"{path}: not run through its file mode")
    if ws.is_executable(path):
        return reason(
            HANDLES,
            path,
            title,
            f"{path} is already executable here; check that its mode is committed "
            "(git update-index --chmod=+x) and that its shebang names an existing interpreter",
        )
    return Fix(
        type=HANDLES,
        file=path,
        description=f"{title} (chmod +x; content unchanged)",
        edits=(Edit(path=path, executable=True),),
    )
