"""Vetted, dated tables: deprecated action majors and retired runner labels, and what replaces them.

The data lives in `data/actions.yaml` and `data/runners.yaml`, each entry with its date and source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

_SHA = re.compile(r"^[0-9a-f]{7,40}$", re.IGNORECASE)
_VERSION = re.compile(
    r"^v?(?P<major>\d+)(?:\.(?P<minor>\d+))?(?:\.(?P<patch>\d+))?(?P<rest>-\S*)?$"
)
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

    @property
    def new_uses(self) -> str | None:
        if self.target is None:
            return None
        return f"{self.action}{self.path}@{self.target}"


@dataclass(frozen=True, kw_only=True)
class RunnerRetirement:
    label: str
    replacement: str
    retired: str
    source: str


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


def _load(name: str) -> dict[str, Any]:
    text = resources.files("smartmon.workflows").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def _actions() -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = _load("actions.yaml")["actions"]
    return {slug.lower(): entry for slug, entry in table.items()}


@cache
def _runners() -> dict[str, RunnerRetirement]:
    table: dict[str, dict[str, str]] = _load("runners.yaml")["runners"]
    return {
        label: RunnerRetirement(
            label=label,
            replacement=entry["replacement"],
            retired=str(entry["retired"]),
            source=entry["source"],
        )
        for label, entry in table.items()
    }


def _version_tuple(ref: str) -> tuple[int, int, int] | None:
    match = _VERSION.match(ref)
    if match is None:
        return None
    return (int(match["major"]), int(match["minor"] or 0), int(match["patch"] or 0))


def _below(entry: dict[str, Any], version: tuple[int, int, int], ref: str) -> bool:
    """True for a fixed version (not a moving major tag) older than the first good one."""
    first_good = entry.get("below", {}).get(str(version[0]))
    if first_good is None or ref.lstrip("v").isdigit():
        return False
    good = _version_tuple(str(first_good))
    return good is not None and version < good


def action_upgrade(uses: str, *, version_hint: str | None = None) -> ActionUpgrade | None:
    """The upgrade for a deprecated `uses:` value, or None when it is fine or not in the table.

    A SHA-pinned ref is judged by `version_hint` (the `# v3.1.0` comment beside it); it is returned
    with `pinned=True` and no target, because the new SHA can only be resolved online.
    """
    ref = parse_uses(uses)
    if ref is None:
        return None
    entry = _actions().get(ref.slug.lower())
    if entry is None:
        return None
    pinned = ref.pinned
    version_text = (version_hint or "") if pinned else ref.ref
    version = _version_tuple(version_text)
    if version is None:
        return None
    why = date = source = ""
    severity = "critical"
    for rule in entry["deprecated"]:
        if version[0] in rule["majors"]:
            why, date, source = rule["why"], str(rule["date"]), rule["source"]
            severity = str(rule.get("severity", "medium"))
            break
    else:
        if not _below(entry, version, version_text):
            return None
        why = entry.get("below_why", "this version is no longer supported")
        date = str(entry.get("below_date", ""))
        source = str(entry.get("below_source", ""))
    return ActionUpgrade(
        action=ref.slug,
        path=ref.path,
        ref=ref.ref,
        target=None if pinned else str(entry["target"]),
        pinned=pinned,
        group=entry.get("group"),
        ghes_supported=bool(entry.get("ghes", True)),
        severity=severity,
        why=why,
        date=date,
        source=source,
    )


def group_members(group: str) -> frozenset[str]:
    """owner/repo slugs (lower case) of the actions in a move-together group."""
    return frozenset(slug for slug, entry in _actions().items() if entry.get("group") == group)


def runner_replacement(label: str) -> str | None:
    """The supported label for a retired one (case-insensitive), else None."""
    retirement = runner_retirement(label)
    return retirement.replacement if retirement else None


def runner_retirement(label: str) -> RunnerRetirement | None:
    return _runners().get(label.strip().lower())


def retired_labels() -> frozenset[str]:
    return frozenset(_runners())
