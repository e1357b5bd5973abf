"""Vetted, dated tables: deprecated action majors and retired runner labels, and what replaces them.

The hand-written policy lives in `data/actions.yaml` (it wins: targets, groups, moving-tag
exceptions, GHES) and `data/runners.yaml`; every other action is judged from the generated runtime
dataset (`runtimes`): a node12/node16/node20 major moves to the lowest major that runs on node24,
a moved repository to its new owner, and an archived one with a successor is reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from smartmon.workflows.action_refs import (
    RELEASE_BRANCH,
    ActionRef,
    ActionUpgrade,
    major_of,
    parse_uses,
    version_tuple,
)
from smartmon.workflows.runtime_rules import from_dataset, input_changes
from smartmon.workflows.runtimes import (
    ActionInfo,
    action_info,
    commit_of_tag,
    major_of_commit,
    newest_tag,
    tag_of_commit,
)

__all__ = [
    "ActionRef",
    "ActionUpgrade",
    "RunnerRetirement",
    "action_upgrade",
    "group_members",
    "input_changes",
    "parse_uses",
    "retired_labels",
    "runner_replacement",
    "runner_retirement",
]


@dataclass(frozen=True, kw_only=True)
class RunnerRetirement:
    label: str
    replacement: str
    retired: str
    source: str


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


def _below(entry: dict[str, Any], version: tuple[int, int, int], ref: str) -> bool:
    """True for a fixed version (not a moving major tag) older than the first good one."""
    first_good = entry.get("below", {}).get(str(version[0]))
    if first_good is None or ref.lstrip("v").isdigit():
        return False
    good = version_tuple(str(first_good))
    return good is not None and version < good


def action_upgrade(
    uses: str,
    *,
    version_hint: str | None = None,
    known: Mapping[str, ActionInfo] | None = None,
) -> ActionUpgrade | None:
    """The upgrade for a deprecated `uses:` value, or None when it is fine or unknown.

    A SHA-pinned ref is judged by the tag the dataset (or `known`, actions looked up through the
    API) knows at that commit, else by `version_hint` (the `# v3.1.0` comment beside it) unless
    the dataset knows that tag at another commit, else by the commit of each major. The pin moves
    to the newest `vX.Y.Z` commit of the target major (`pin_comment`); when that is unknown the
    upgrade has no target and is reported.
    """
    ref = parse_uses(uses)
    if ref is None:
        return None
    entry = _actions().get(ref.slug.lower())
    info = action_info(ref.slug + ref.path, known) or (
        None if ref.path else action_info(ref.slug, known)
    )
    pinned = ref.pinned
    # `releases/v3` and `release/v3` branches are majors too (JamesIves/github-pages-deploy-action).
    version_text = (version_hint or "") if pinned else RELEASE_BRANCH.sub("", ref.ref)
    doubt = ""
    if pinned and info is not None:
        tag = tag_of_commit(info, ref.ref)  # the tag beats the comment
        tagged = commit_of_tag(info, version_text) if version_text and not tag else None
        if tagged and not tagged.lower().startswith(ref.ref.lower()):
            # `# v2.1.0` beside a commit that is not v2.1.0's: a fork, a typo or a stale
            # comment. The version is then unknown: report it, never move the pin on a guess.
            doubt = (
                f"the pin's comment says {version_text}, but {version_text} is {tagged[:12]} and "
                f"{ref.ref[:12]} is no tag of a deprecated major the dataset knows: the comment is "
                "stale or the pin is not what it says; check it by hand (or scan --online)"
            )
        version_text = tag or version_text
    version = version_tuple(version_text)
    if version is None and pinned and info is not None:
        major = major_of_commit(info, ref.ref)
        version, version_text = ((major, 0, 0), f"v{major}") if major is not None else (None, "")
    if version is None:
        return None
    upgrade = _judge(ref, entry, version, version_text, info, known)
    if upgrade is None or not doubt:
        return upgrade
    # Likely a newer version under a stale comment: a low finding, never a bump.
    return replace(
        upgrade, target=None, pin_comment=None, new_action=None, severity="low", why=doubt
    )


def _judge(
    ref: ActionRef,
    entry: dict[str, Any] | None,
    version: tuple[int, int, int],
    version_text: str,
    info: ActionInfo | None,
    known: Mapping[str, ActionInfo] | None,
) -> ActionUpgrade | None:
    if entry is not None:
        hand = _from_table(ref, entry, version, version_text, info)
        if hand is not None or info is None:
            return hand
        target = str(entry["target"])
        return from_dataset(
            ref,
            info,
            version[0],
            hand_target=target,
            group=entry.get("group"),
            ghes=bool(entry.get("ghes", True)),
            known=known,
        )
    if info is None:
        return None
    return from_dataset(ref, info, version[0], known=known)


def _from_table(
    ref: ActionRef,
    entry: dict[str, Any],
    version: tuple[int, int, int],
    version_text: str,
    info: ActionInfo | None,
) -> ActionUpgrade | None:
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
    target = str(entry["target"])
    number = major_of(target)
    pin = None
    if ref.pinned and info is not None and number is not None and number in info.majors:
        pin = newest_tag(info.majors[number])  # only a live lookup lists the tags
    return ActionUpgrade(
        action=ref.slug,
        path=ref.path,
        ref=ref.ref,
        target=pin[1] if pin else None if ref.pinned else target,
        pinned=ref.pinned,
        group=entry.get("group"),
        ghes_supported=bool(entry.get("ghes", True)),
        severity=severity,
        why=why,
        date=date,
        source=source,
        target_major=number,
        major=version[0],
        pin_comment=pin[0] if pin else None,
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
