"""Action references: `owner/repo[/path]@ref` parsed, versions compared, and the upgrade value
the deprecation tables answer with."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SHA = re.compile(r"^[0-9a-f]{7,40}$", re.IGNORECASE)
_VERSION = re.compile(
    r"^[vV]?(?P<major>\d+)(?:\.(?P<minor>\d+))?(?:\.(?P<patch>\d+))?(?P<rest>-\S*)?$"
)
RELEASE_BRANCH = re.compile(r"^releases?/")
_USES = re.compile(
    r"^(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+)(?P<path>/[^@]*)?@(?P<ref>\S+)$"
)


@dataclass(frozen=True, kw_only=True)
class ActionRef:
    """A parsed `uses: owner/repo[/path]@ref`."""

    owner: str
    repo: str
    path: str  # "" or "/sub/dir"
    ref: str

    @property
    def slug(self) -> str:
        return f"{self.owner}/{self.repo}"

    @property
    def pinned(self) -> bool:
        """True for a commit SHA: its version cannot be known offline."""
        return bool(_SHA.match(self.ref)) and not _VERSION.match(self.ref)


@dataclass(frozen=True, kw_only=True)
class ActionUpgrade:
    """A deprecated action reference and the supported major to use instead."""

    action: str  # owner/repo
    path: str
    ref: str  # the ref found, e.g. "v2" or "v4.0.2" or a SHA
    target: str | None  # e.g. "v5"; None when pinned (report, do not bump)
    pinned: bool
    group: str | None  # actions that must move together ("artifact")
    ghes_supported: bool  # False when the target does not exist on GitHub Enterprise Server
    severity: str  # "critical" when the job fails, "medium" when it only warns
    why: str
    date: str
    source: str
    new_action: str | None = None  # owner/repo[/path] when the repository moved
    successor: str | None = None  # a different, maintained action to move to by hand
    target_major: int | None = None
    major: int | None = None  # the major found, when known
    pin_comment: str | None = None  # "v5.0.1" when a pinned ref moves to that tag's commit SHA

    @property
    def new_uses(self) -> str | None:
        if self.target is None:
            return None
        return f"{self.new_action or self.action + self.path}@{self.target}"

    @property
    def fixable(self) -> bool:
        """True when the new `uses:` is known: a target, and for a SHA pin the new SHA and tag."""
        return self.target is not None and (not self.pinned or self.pin_comment is not None)


# Why each retired or deprecated runtime is flagged: the changelog that announced it.
def parse_uses(uses: str) -> ActionRef | None:
    """Parse `owner/repo[/path]@ref`; None for `./local`, `docker://...` and expressions."""
    match = _USES.match(uses.strip())
    if match is None or "${{" in uses:
        return None
    return ActionRef(
        owner=match["owner"],
        repo=match["repo"],
        path=(match["path"] or "").rstrip("/"),
        ref=match["ref"],
    )


def version_tuple(ref: str) -> tuple[int, int, int] | None:
    match = _VERSION.match(ref)
    if match is None:
        return None
    return (int(match["major"]), int(match["minor"] or 0), int(match["patch"] or 0))


def major_of(ref: str) -> int | None:
    version = version_tuple(ref)
    return version[0] if version else None
