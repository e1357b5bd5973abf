"""Bump deprecated action majors on `uses:` lines, from the vetted table in `data/actions.yaml`.

Only the ref after `@` changes (same owner/repo, never another action); comments stay. The artifact
actions move together. SHA pins are reported, not bumped: the new SHA needs the API.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from smartmon.fixers.target import (
    Loaded,
    edit_fix,
    finding_line,
    guarded,
    load,
    load_target,
    local_actions,
    reason,
)
from smartmon.model import Finding, Fix, IssueType
from smartmon.workflows import (
    ActionUpgrade,
    EditError,
    Site,
    action_upgrade,
    body,
    group_members,
    parse_uses,
    rewrite_scalars,
    split_lines,
    uses_sites,
)

if TYPE_CHECKING:
    from smartmon.fixers.registry import FixContext
    from smartmon.fixers.workspace import Workspace

HANDLES = IssueType.DEPRECATED_ACTION

_COMMENT_VERSION = re.compile(r"#\s*(?:tag[:=]?\s*)?(?P<v>v?\d+(?:\.\d+){0,2})\b")


def version_comment(line: str) -> str | None:
    """The `# v3.5.2` comment beside a SHA-pinned `uses:`, if any."""
    content = body(line)[0]
    hash_at = content.find(" #")
    if hash_at < 0:
        return None
    match = _COMMENT_VERSION.search(content[hash_at:])
    return match["v"] if match else None


def upgrades(text: str, doc: object) -> list[tuple[Site, ActionUpgrade]]:
    """Every deprecated `uses:` in the file with its upgrade (pinned ones included)."""
    lines = split_lines(text)
    found: list[tuple[Site, ActionUpgrade]] = []
    for site in uses_sites(doc):
        hint = version_comment(lines[site.line]) if site.line < len(lines) else None
        upgrade = action_upgrade(site.value, version_hint=hint)
        if upgrade is not None:
            found.append((site, upgrade))
    return found


def on_github_com(server_url: str) -> bool:
    """github.com or GHE.com (cloud, data residency: `<name>.ghe.com`), not a GHES server."""
    host = (urlparse(server_url).hostname or "").lower()
    return host in ("github.com", "www.github.com") or host.endswith(".ghe.com")


@guarded(HANDLES)
def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    """Bump the deprecated action the finding names (every use of it in the workflow).

    When the workflow does not write it, the local composite actions it calls (`uses: ./x`) are
    searched too: a deprecated `actions/cache` often sits in `.github/actions/setup/action.yml`.
    """
    action = finding.data.get("action", "").strip()
    version = finding.data.get("version", "").strip()
    if "@" in action and not version:
        action, version = action.split("@", 1)
    title = f"bump {action or 'deprecated actions'}"
    loaded = load_target(finding, ws, ctx, HANDLES, title)
    if isinstance(loaded, Fix):
        return loaded
    fix, absent = _plan_in(loaded, finding, ctx, action, version)
    if not absent:
        return fix
    if action and finding_line(finding) is None:
        for local in local_actions(ws, loaded.doc):
            loaded_action = load(ws, local)
            if isinstance(loaded_action, str):
                continue
            local_fix, local_absent = _plan_in(loaded_action, finding, ctx, action, version)
            if not local_absent:
                return local_fix
    return fix


def _plan_in(
    loaded: Loaded, finding: Finding, ctx: FixContext, action: str, version: str
) -> tuple[Fix | None, bool]:
    """(the fix for this file, whether the named action is absent from it)."""
    path = loaded.path
    title = f"bump {action or 'deprecated actions'}"
    wanted = action.lower()
    found = upgrades(loaded.text, loaded.doc)
    chosen = [(s, u) for s, u in found if not wanted or u.action.lower() == _slug(wanted)]
    at = finding_line(finding)
    if at is not None:
        # A static finding names one line: fix exactly that line (scan reports each use).
        chosen = [(s, u) for s, u in found if s.line == at]
        if not chosen:
            return None, False  # already fixed by an earlier fix of this run
    groups = {u.group for _, u in chosen if u.group} if at is None else set()
    for group in groups:
        members = group_members(group)
        chosen += [(s, u) for s, u in found if u.action.lower() in members and (s, u) not in chosen]
    pinned = [(s, u) for s, u in chosen if u.pinned]
    bumps = [(s, u) for s, u in chosen if not u.pinned]
    ghes_skipped = []
    if not on_github_com(ctx.server_url):
        ghes_skipped = [(s, u) for s, u in bumps if not u.ghes_supported]
        bumps = [(s, u) for s, u in bumps if u.ghes_supported]
    if not bumps:
        if ghes_skipped:
            why = (
                f"{ghes_skipped[0][1].action} has no v4+ on GitHub Enterprise Server "
                f"({ctx.server_url}); use its v3-node20 tag there"
            )
        elif pinned:
            s, u = pinned[0]
            why = (
                f"{path}:{s.line + 1}: {u.action} is pinned by SHA to a deprecated version; "
                f"resolve the SHA of {u.action}@{_target_of(u.action)} online and pin that"
            )
        elif (site := _pinned_to(loaded.doc, wanted, version)) is not None:
            why = (
                f"{path}:{site.line + 1}: {action} is pinned by SHA to a deprecated version; "
                f"resolve the SHA of {action}@{_target_of(action)} online and pin that"
            )
        elif _uses_anywhere(loaded.doc, wanted):
            return None, False  # already at a supported major: nothing left to do
        else:
            shown = f"{action}@{version}" if version else action or "a deprecated action"
            why = (
                f"{path}: {shown} is not written in this workflow or the local actions it "
                "calls; it may come from a third-party action: bump that one instead"
            )
            return reason(HANDLES, path, title, why), True
        return reason(HANDLES, path, title, why), False
    changes = [(s, u.new_uses or s.value) for s, u in bumps]
    try:
        new_text = rewrite_scalars(loaded.text, loaded.doc, changes)
    except EditError as exc:
        return reason(HANDLES, path, title, f"{path}: {exc}"), False
    names = sorted({f"{u.action}{u.path}@{u.ref} -> @{u.target}" for _, u in bumps})
    return edit_fix(HANDLES, loaded, new_text, "bump " + ", ".join(names)), False


def _target_of(slug: str) -> str:
    upgrade = action_upgrade(f"{slug}@v1")
    return upgrade.target if upgrade and upgrade.target else "the supported major"


def _slug(text: str) -> str:
    return "/".join(text.lower().split("/")[:2])


def _uses_anywhere(doc: object, wanted: str) -> bool:
    """True when the named action is written in the file (at a version that is not deprecated)."""
    for site in uses_sites(doc):
        ref = parse_uses(site.value)
        if ref is not None and (not wanted or ref.slug.lower() == _slug(wanted)):
            return True
    return False


def _pinned_to(doc: object, wanted: str, version: str) -> Site | None:
    """The `uses:` pinning the named action to the SHA a log reported as deprecated."""
    if not wanted or len(version) < 7:
        return None
    for site in uses_sites(doc):
        ref = parse_uses(site.value)
        if (
            ref is not None
            and ref.pinned
            and ref.slug.lower() == _slug(wanted)
            and ref.ref.lower().startswith(version.lower().rstrip("."))
        ):
            return site
    return None
