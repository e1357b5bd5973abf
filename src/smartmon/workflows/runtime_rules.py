"""Deprecation judged from the runtime dataset: node12/node16/node20 majors, moved and archived
repositories, and whether a step's `with:` keys survive the bump.

Policy: move to the lowest major that runs on node24 (composite or docker when the action left
JavaScript); the hand table in `data/actions.yaml` wins where it speaks (`deprecations`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from smartmon.workflows.action_refs import ActionRef, ActionUpgrade, major_of
from smartmon.workflows.runtimes import ActionInfo, action_info, newest_tag, renamed_to

RUNTIMES = {
    "node12": (
        "runs on node12, which GitHub stopped running actions on (forced to node16, then removed)",
        "2022-09-22",
        "https://github.blog/changelog/2022-09-22-github-actions-all-actions-will-begin-running-on-node16-instead-of-node12/",
    ),
    "node16": (
        "runs on node16, removed from the runner on 2024-11-12",
        "2023-09-22",
        "https://github.blog/changelog/2023-09-22-github-actions-transitioning-from-node-16-to-node-20/",
    ),
    # Node 24 became the default on 2026-06-02; node20 was due to leave the runner 2026-09-16.
    "node20": (
        "runs on node20, deprecated (forced onto node24 since 2026-06-02, then removed)",
        "2025-09-19",
        "https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/",
    ),
}


def from_dataset(
    ref: ActionRef,
    info: ActionInfo,
    major_number: int,
    *,
    hand_target: str | None = None,
    group: str | None = None,
    ghes: bool = True,
    known: Mapping[str, ActionInfo] | None = None,
) -> ActionUpgrade | None:
    """Judge one major from the runtime dataset: retired/deprecated node, moved, or archived."""
    major = info.majors.get(major_number)
    using = major.using if major else None
    runtime = RUNTIMES.get(using or "")
    moved = action_info(info.moved_to, known) if info.moved_to else None
    checked = f" (runs.using read from {major.source}, {major.checked})" if major else ""
    common: dict[str, Any] = {
        "action": ref.slug,
        "path": ref.path,
        "ref": ref.ref,
        "pinned": ref.pinned,
        "group": group,
        "ghes_supported": ghes,
        "severity": "medium" if runtime else "low",
        "major": major_number,
    }
    if info.moved_to:
        new_info = moved or info
        number = _node24_major(new_info, major_number if not runtime else None)
        still = ""
        if number is None and moved is not None and runtime is not None:
            # The project lives on only on an old node (actions-rs/audit-check -> rustsec): the
            # move is still the fix for the archived name; the new runtime is reported on its own.
            number = _newer_runtime(new_info, using)
            still = f"; no major of it runs on node24 yet ({_newest(new_info)})"
        target = new_info.majors[number].ref if number is not None and moved else None
        pin = None
        if ref.pinned and target is not None and number is not None:
            pin = newest_tag(new_info.majors[number])
        moves = target is not None and (pin is not None or not ref.pinned)
        return ActionUpgrade(
            **common,
            target=(pin[1] if pin else None) if ref.pinned else target,
            why=f"the repository moved to {info.moved_to}{' and ' + runtime[0] if runtime else ''}"
            + still,
            date=major.checked if major else "",
            source=info.status_source,
            new_action=info.moved_to if moves else None,
            successor=None if target else info.moved_to,
            target_major=number,
            pin_comment=pin[0] if pin else None,
        )
    if info.successor and (info.archived or info.deprecated or runtime):
        state = "is archived" if info.archived else "is deprecated" if info.deprecated else ""
        why = " and ".join(x for x in (state, runtime[0] if runtime else "") if x)
        return ActionUpgrade(
            **common,
            target=None,
            why=f"{why}; its maintained successor is {info.successor} (inputs differ: move by hand)",
            date=major.checked if major else "",
            source=info.status_source,
            successor=info.successor,
        )
    if runtime is None:
        return None
    number = _node24_major(info, None, above=major_number)
    goal: str | None = None
    if hand_target is not None:
        goal, number = hand_target, major_of(hand_target)
    elif number is not None:
        goal = info.majors[number].ref
    if number is not None and number <= major_number:
        goal, number = None, None
    why = runtime[0] + checked
    if goal is None:
        why += (
            f"; the action is archived and no major runs on node24 ({_newest(info)}): "
            "replace it by hand"
            if info.archived
            else f"; no major of it runs on node24 yet ({_newest(info)}): watch for a new release"
        )
    pin = None
    if ref.pinned and number is not None and number in info.majors:
        pin = newest_tag(info.majors[number])  # only a live lookup lists the tags
    return ActionUpgrade(
        **common,
        target=pin[1] if pin else None if ref.pinned else goal,
        why=why,
        date=runtime[1],
        source=runtime[2],
        target_major=number,
        pin_comment=pin[0] if pin else None,
    )


def _node24_major(info: ActionInfo, same: int | None, *, above: int = -1) -> int | None:
    """`same` when that major exists on a supported runtime, else the lowest such major above
    `above` (node24 or, for actions that left JavaScript, composite/docker)."""
    if same is not None and same in info.majors and _supported(info.majors[same].using):
        return same
    first = info.first_node24
    if first is not None and first > above and first in info.majors:
        return first  # the policy: the lowest major that runs on node24
    for number in sorted(info.majors):
        if number > above and _supported(info.majors[number].using):
            return number
    return None


_AGE = ("node10", "node12", "node16", "node20")


def _newer_runtime(info: ActionInfo, using: str | None) -> int | None:
    """The newest major on a newer node than `using` (all of them still deprecated)."""
    age = _AGE.index(using) if using in _AGE else len(_AGE)
    newer = [n for n, m in info.majors.items() if m.using in _AGE and _AGE.index(m.using) > age]
    return max(newer) if newer else None


def _newest(info: ActionInfo) -> str:
    """`owner/repo@vN runs on node20`: the newest major the dataset knows, for the report."""
    if not info.majors:
        return f"{info.slug} has no known major"
    newest = info.majors[max(info.majors)]
    runs = f"runs on {newest.using}" if newest.using else "runtime unknown"
    return f"newest: {info.slug}@{newest.ref} {runs}"


def _supported(using: str | None) -> bool:
    return using is not None and using not in RUNTIMES


def input_changes(
    upgrade: ActionUpgrade, given: list[str], known: Mapping[str, ActionInfo] | None = None
) -> tuple[dict[str, str], list[tuple[str, str]]] | None:
    """(renames, problems) of a step's `with:` keys against the target major's inputs.

    None when the dataset does not know the target major's inputs. A rename is made only when a
    deprecationMessage names the new input; an input the target does not define, or a required one
    the step does not give, is a problem: the bump must not be applied silently.
    """
    slug = upgrade.new_action or upgrade.action + upgrade.path
    info = action_info(slug, known)
    shown = f"{slug}@{upgrade.pin_comment or upgrade.target}"
    if info is None or upgrade.target_major is None:
        return None
    new = info.majors.get(upgrade.target_major)
    if new is None or (not new.inputs and new.using is None):
        return None
    renames: dict[str, str] = {}
    problems: list[tuple[str, str]] = []  # (the input, what is wrong)
    names = {name.lower() for name in given}
    for name in given:
        spec = new.inputs.get(name.lower())
        if spec is not None and spec.deprecation:
            # e.g. create-github-app-token v3: app-id "Use 'client-id' instead" (another value).
            text = f"input '{name}' is deprecated in {shown}: {spec.deprecation}"
            problems.append((name, " ".join(text.split())))
            continue
        if spec is not None:
            continue
        better = renamed_to(name, info, new) or _documented(slug, name, upgrade)
        if better is not None and better in new.inputs and better not in names:
            renames[name] = better
        else:
            problems.append((name, f"input '{name}' is not defined in {shown}"))
    old_info = action_info(upgrade.action + upgrade.path, known)
    old = old_info.majors.get(upgrade.major or -1) if old_info else None
    for name, spec in new.inputs.items():
        was = old.inputs.get(name) if old else None
        if was is not None and was.required and not was.has_default:
            continue  # required before too: the bump changes nothing there
        if spec.required and not spec.has_default and name not in names | set(renames.values()):
            problems.append(("", f"input '{name}' is required by {shown}"))
    return renames, problems


@cache
def _renamed_inputs() -> dict[str, list[dict[str, Any]]]:
    path = resources.files("smartmon.workflows").joinpath("data", "actions.yaml")
    table = yaml.safe_load(path.read_text(encoding="utf-8")).get("renamed_inputs") or {}
    return {str(slug).lower(): list(rules) for slug, rules in table.items()}


def _documented(slug: str, name: str, upgrade: ActionUpgrade) -> str | None:
    """The new name of an input the action's release notes renamed across the bump (the table)."""
    if upgrade.target_major is None:
        return None
    for rule in _renamed_inputs().get(slug.lower(), []):
        since = int(rule["major"])
        crossed = (upgrade.major is None or upgrade.major < since) and upgrade.target_major >= since
        renamed = {str(k).lower(): str(v).lower() for k, v in rule["inputs"].items()}
        if crossed and name.lower() in renamed:
            return renamed[name.lower()]
    return None
