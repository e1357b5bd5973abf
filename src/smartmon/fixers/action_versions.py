"""Bump deprecated action majors on `uses:` lines (the hand table, then the runtime dataset).

Only the ref after `@` changes, or the owner/name of a repository that moved; comments stay. The
artifact actions move together. A bump checks the step's `with:` keys against the new major's
inputs: a rename the action itself (or its release notes, in the table) announces is made, anything
else blocks the bump with the line. A SHA pin moves to the commit of the newest `vX.Y.Z` tag of the
target major, with that tag as its comment, when the dataset (or a lookup) knows both the pin's
version and that commit; otherwise it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
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
    ActionInfo,
    ActionUpgrade,
    EditError,
    Site,
    action_upgrade,
    body,
    get_path,
    group_members,
    input_changes,
    parse_uses,
    rewrite_scalars,
    split_lines,
    uses_sites,
    verify,
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


def upgrades(
    text: str, doc: object, known: Mapping[str, ActionInfo] | None = None
) -> list[tuple[Site, ActionUpgrade]]:
    """Every deprecated `uses:` in the file with its upgrade (pinned ones included); `known`
    adds actions looked up through the API to the dataset."""
    lines = split_lines(text)
    found: list[tuple[Site, ActionUpgrade]] = []
    for site in uses_sites(doc):
        hint = version_comment(lines[site.line]) if site.line < len(lines) else None
        upgrade = action_upgrade(site.value, version_hint=hint, known=known)
        if upgrade is not None:
            found.append((site, upgrade))
    return found


@dataclass(frozen=True, kw_only=True)
class Rename:
    """A `with:` key to rename on a bump: 0-based line and column of the key."""

    line: int
    col: int
    old: str
    new: str


@dataclass(frozen=True, kw_only=True)
class InputCheck:
    renames: tuple[Rename, ...] = ()
    problems: tuple[str, ...] = ()  # "line N: input 'x' is not defined in owner/repo@v5"


def check_inputs(
    lines: list[str],
    doc: Any,
    site: Site,
    upgrade: ActionUpgrade,
    known: Mapping[str, ActionInfo] | None = None,
) -> InputCheck:
    """The step's `with:` keys against the inputs of the major it would move to."""
    if not upgrade.fixable or site.path[-1] != "uses":
        return InputCheck()
    step = get_path(doc, site.path[:-1])
    given = step.get("with") if isinstance(step, dict) else None
    keys = [str(k) for k in given] if isinstance(given, dict) else []
    changes = input_changes(upgrade, keys, known)
    if changes is None:
        return InputCheck()
    renames_by_name, problems = changes
    lc = getattr(given, "lc", None)
    where = {str(k): lc.key(k) if lc is not None else (site.line, 0) for k in given or {}}
    renames: list[Rename] = []
    for name, new in renames_by_name.items():
        line, col = where[name]
        if line != site.line and lines[line][col : col + len(name)] == name:
            renames.append(Rename(line=line, col=col, old=name, new=new))
        else:
            problems.append((name, f"input '{name}' was renamed to '{new}': rename it by hand"))
    out = [f"line {where.get(name, (site.line, 0))[0] + 1}: {text}" for name, text in problems]
    return InputCheck(renames=tuple(renames), problems=tuple(dict.fromkeys(out)))


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
    found = upgrades(loaded.text, loaded.doc, ctx.actions)
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
    manual = [(s, u) for s, u in chosen if not u.pinned and not u.fixable]
    bumps = [(s, u) for s, u in chosen if u.fixable]
    ghes_skipped = []
    if not on_github_com(ctx.server_url):
        ghes_skipped = [(s, u) for s, u in bumps if not u.ghes_supported]
        bumps = [(s, u) for s, u in bumps if u.ghes_supported]
    lines = split_lines(loaded.text)
    bumps = [(s, u) for s, u in bumps if not (u.pinned and s.flow)]  # the comment needs a line
    checks = {s.line: check_inputs(lines, loaded.doc, s, u, ctx.actions) for s, u in bumps}
    blocked = [(s, u) for s, u in bumps if checks[s.line].problems]
    bumps = [(s, u) for s, u in bumps if not checks[s.line].problems]
    if not bumps:
        if ghes_skipped:
            why = (
                f"{ghes_skipped[0][1].action} has no v4+ on GitHub Enterprise Server "
                f"({ctx.server_url}); use its v3-node20 tag there"
            )
        elif blocked:
            s, u = blocked[0]
            why = f"{path}:{s.line + 1}: not bumped to {u.new_uses}: " + "; ".join(
                checks[s.line].problems
            )
        elif manual:
            s, u = manual[0]
            why = f"{path}:{s.line + 1}: {s.value} {u.why}"
        elif pinned:
            s, u = pinned[0]
            why = (
                f"{path}:{s.line + 1}: {u.action}{u.path} is pinned by SHA to a deprecated version"
            )
            why += f" ({u.why})"
            if u.target_major is not None:
                why += f"; resolve the SHA of {u.action}@{_target_of(u.action)} online and pin that"
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
        renames = [r for s, _ in bumps for r in checks[s.line].renames]
        comments = {s.line: u.pin_comment for s, u in bumps if u.pin_comment}
        if renames or comments:
            new_text = _line_edits(loaded.text, new_text, renames, comments)
    except EditError as exc:
        return reason(HANDLES, path, title, f"{path}: {exc}"), False
    names = sorted({f"{u.action}{u.path}@{u.ref} -> {u.new_uses}{_pin(u)}" for _, u in bumps})
    renamed = sorted({f"{r.old} -> {r.new}" for s, _ in bumps for r in checks[s.line].renames})
    description = "bump " + ", ".join(names)
    if renamed:
        description += " (inputs renamed: " + ", ".join(renamed) + ")"
    return edit_fix(HANDLES, loaded, new_text, description), False


def _pin(upgrade: ActionUpgrade) -> str:
    return f" # {upgrade.pin_comment}" if upgrade.pin_comment else ""


def _line_edits(old_text: str, text: str, renames: list[Rename], comments: dict[int, str]) -> str:
    """Rename `with:` keys in place and set the `# vX.Y.Z` comment beside a re-pinned SHA."""
    lines = split_lines(text)
    for r in renames:
        line = lines[r.line]
        if line[r.col : r.col + len(r.old)] != r.old:
            raise EditError(f"line {r.line + 1}: input '{r.old}' is not where it was read")
        lines[r.line] = line[: r.col] + r.new + line[r.col + len(r.old) :]
    for index, version in comments.items():
        content, eol = body(lines[index])
        hash_at = content.find(" #")
        comment = _COMMENT_VERSION.search(content, hash_at) if hash_at >= 0 else None
        if comment is not None:
            content = content[: comment.start("v")] + version + content[comment.end("v") :]
        elif hash_at >= 0:
            content = f"{content[:hash_at]} # {version}{content[hash_at:]}"
        else:
            content = f"{content} # {version}"
        lines[index] = content + eol
    new_text = "".join(lines)
    bumped = {
        i for i, (a, b) in enumerate(zip(split_lines(old_text), lines, strict=False)) if a != b
    }
    verify(old_text, new_text, allowed=bumped | {r.line for r in renames})
    return new_text


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
