"""GITHUB_TOKEN's permission model, applied as GitHub applies it.

- A job's `permissions:` replaces the workflow's for that job; once any scope is listed, every
  scope not listed is `none` (`permissions: {}` leaves only `metadata: read`).
- With no block anywhere the repository's default applies: permissive (read and write) or
  restricted (`contents` and `packages` read) — the repository setting
  `default_workflow_permissions` (REST `/repos/{owner}/{repo}/actions/permissions/workflow`).
- `read-all` / `write-all` set every scope; `id-token` is only ever granted when asked for.
- A pull request from a fork gets a read-only token (no `id-token`), and no secrets.

Sources: docs.github.com "Controlling permissions for GITHUB_TOKEN", "Workflow syntax:
permissions", "Automatic token authentication: permissions for the GITHUB_TOKEN".

Each REST endpoint's need comes from the same table the engine reads
(`smartmon/workflows/data/endpoint_permissions.json`, generated from GitHub's docs data); it is
read as a file, so the sandbox imports nothing of the engine.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

# Workflow-syntax scope names (hyphenated); tokens and headers use the App names (underscored).
WORKFLOW_SCOPES = (
    "actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token",
    "issues", "models", "packages", "pages", "pull-requests", "repository-projects",
    "security-events", "statuses",
)  # fmt: skip
_PERMISSIVE = {s: "write" for s in WORKFLOW_SCOPES if s not in ("id-token", "models")}
_PERMISSIVE["models"] = "read"
_RESTRICTED = {"contents": "read", "packages": "read", "models": "read"}
_LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}
TABLE = Path(__file__).resolve().parents[1] / "workflows" / "data" / "endpoint_permissions.json"


def job_permissions(
    workflow: Any, job: Any, *, default: str = "write", fork: bool = False
) -> dict[str, str]:
    """The scopes a job's GITHUB_TOKEN holds (workflow-syntax names, only those above `none`)."""
    spec = job if job is not None else workflow
    if spec is None:
        perms = dict(_PERMISSIVE if default == "write" else _RESTRICTED)
    elif spec == "read-all":
        perms = {s: "read" for s in WORKFLOW_SCOPES}
    elif spec == "write-all":
        perms = {s: "write" for s in WORKFLOW_SCOPES}
    elif isinstance(spec, dict):
        perms = {
            str(k): str(v)
            for k, v in spec.items()
            if str(k) in WORKFLOW_SCOPES and str(v) in ("read", "write")
        }
    else:
        perms = {}
    if fork:
        perms = {s: "read" for s in perms if s != "id-token"}
    perms["metadata"] = "read"
    return perms


def token_permissions(perms: dict[str, str]) -> dict[str, str]:
    """Workflow-syntax names -> the App permission names a token carries (`pull_requests`)."""
    return {scope.replace("-", "_"): level for scope, level in perms.items()}


def may_request_id_token(perms: dict[str, str]) -> bool:
    """The OIDC token request needs `id-token: write` (read lets an action see, not ask)."""
    return perms.get("id-token") == "write" or perms.get("id_token") == "write"


PermissionSets = list[dict[str, str]]


def _sets(row: dict[str, Any]) -> PermissionSets:
    access = str(row["access"])
    if row.get("permission_sets"):
        return [
            {str(k).replace("-", "_"): str(v) for k, v in s.items()} for s in row["permission_sets"]
        ]
    base = {
        str(r["scope"]).replace("-", "_"): str(r["access"]) for r in row.get("also_requires", ())
    }
    scopes = row.get("scopes") or [row["scope"]]
    return [{**base, str(s).replace("-", "_"): access} for s in scopes]


@cache
def _table() -> tuple[tuple[str, re.Pattern[str], int, PermissionSets], ...]:
    rows = json.loads(TABLE.read_text("utf-8"))["endpoints"]
    out = []
    for row in rows:
        template = str(row["path"])
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "/?$")
        out.append((str(row["method"]).upper(), pattern, template.count("{"), _sets(row)))
    out.sort(key=lambda r: r[2])  # literal segments win over placeholders
    return tuple(out)


def needed(method: str, path: str) -> PermissionSets | None:
    """The permission sets that each allow `method path` (any one suffices), or None if unknown."""
    path = path.split("?", 1)[0]
    for verb, pattern, _, sets in _table():
        if verb == method.upper() and pattern.match(path):
            return sets
    return None


def allows(granted: dict[str, str], sets: PermissionSets) -> bool:
    """True when one set is wholly within what the token was granted."""
    return any(
        all(_LEVELS[granted.get(scope, "none")] >= _LEVELS.get(lv, 2) for scope, lv in s.items())
        for s in sets
    )


def accepted_header(sets: PermissionSets) -> str:
    """`x-accepted-github-permissions`: sets separated by `; `, a set's permissions by `,`."""
    return "; ".join(",".join(f"{k}={v}" for k, v in s.items()) for s in sets)
