"""Decide whether a workflow's ``on:`` starts for an event (push, pull_request, dispatch, ...).

Filter patterns follow GitHub's cheat sheet: ``*`` matches anything but ``/``, ``**`` anything,
``?`` makes the previous character optional, ``+`` repeats it, ``[...]`` is a class, and a
leading ``!`` negates (later patterns win).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

_PR_DEFAULT_TYPES = ("opened", "synchronize", "reopened")


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):  # zero or more directories: also matches at the root
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch in "?+" and out:
            out.append(ch)
        elif ch == "[":
            end = pattern.find("]", i)
            if end < 0:
                out.append(re.escape(ch))
            else:
                out.append("[" + pattern[i + 1 : end].replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(pattern: str, value: str) -> bool:
    return _compile(pattern).match(value) is not None


def filter_match(patterns: Sequence[str], value: str) -> bool:
    """Apply a GitHub filter list in order: a ``!pattern`` un-matches a previous hit."""
    matched = False
    for pattern in patterns:
        pattern = str(pattern)
        if pattern.startswith("!"):
            if matched and glob_match(pattern[1:], value):
                matched = False
        elif glob_match(pattern, value):
            matched = True
    return matched


def normalize_on(on: Any) -> dict[str, Any]:
    """``on`` as a mapping of event name to its (possibly empty) configuration."""
    if isinstance(on, str):
        return {on: {}}
    if isinstance(on, list):
        return {str(e): {} for e in on}
    if isinstance(on, Mapping):
        return {str(k): (v if isinstance(v, Mapping) else {}) for k, v in on.items()}
    return {}


def workflow_on(data: Mapping[Any, Any]) -> dict[str, Any]:
    # PyYAML's default (YAML 1.1) loader turns the key `on` into True; accept both spellings.
    return normalize_on(data["on"] if "on" in data else data.get(True))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _ref_filters_ok(cfg: Mapping[str, Any], name: str, kind: str) -> bool:
    include = _as_list(cfg.get(kind))
    exclude = _as_list(cfg.get(f"{kind}-ignore"))
    if include and not filter_match(include, name):
        return False
    return not (exclude and filter_match(exclude, name))


def _paths_ok(cfg: Mapping[str, Any], changed: Iterable[str] | None) -> bool:
    include = _as_list(cfg.get("paths"))
    exclude = _as_list(cfg.get("paths-ignore"))
    if not include and not exclude:
        return True
    if changed is None:  # unknown (e.g. a new branch): GitHub runs the workflow
        return True
    files = list(changed)
    if include:
        return any(filter_match(include, f) for f in files)
    return any(not filter_match(exclude, f) for f in files)


def push_matches(cfg: Mapping[str, Any], ref: str, changed: Iterable[str] | None) -> bool:
    has_branch_filter = "branches" in cfg or "branches-ignore" in cfg
    has_tag_filter = "tags" in cfg or "tags-ignore" in cfg
    if ref.startswith("refs/tags/"):
        if has_branch_filter and not has_tag_filter:
            return False
        # path filters are not evaluated for tag pushes
        return _ref_filters_ok(cfg, ref.removeprefix("refs/tags/"), "tags")
    if has_tag_filter and not has_branch_filter:
        return False
    if not _ref_filters_ok(cfg, ref.removeprefix("refs/heads/"), "branches"):
        return False
    return _paths_ok(cfg, changed)


def event_matches(
    on: Mapping[str, Any],
    event: str,
    ref: str,
    payload: Mapping[str, Any],
    changed: Iterable[str] | None = None,
) -> bool:
    """True when the normalized ``on`` mapping starts a run for this event."""
    if event not in on:
        return False
    cfg = on[event] or {}
    if event == "push":
        return push_matches(cfg, ref, changed)
    action = str(payload.get("action", ""))
    if event in ("pull_request", "pull_request_target"):
        types = _as_list(cfg.get("types")) or list(_PR_DEFAULT_TYPES)
        if action and action not in types:
            return False
        base = str(payload.get("pull_request", {}).get("base", {}).get("ref", ""))
        return _ref_filters_ok(cfg, base, "branches") and _paths_ok(cfg, changed)
    if event == "workflow_run":
        names = _as_list(cfg.get("workflows"))
        workflow = payload.get("workflow") or {}
        run = payload.get("workflow_run") or {}
        name = str(workflow.get("name") or run.get("name") or "")
        if names and not any(glob_match(n, name) for n in names):
            return False
        types = _as_list(cfg.get("types"))
        if types and action not in types:
            return False
        return _ref_filters_ok(cfg, str(run.get("head_branch") or ""), "branches")
    return True  # workflow_dispatch, repository_dispatch and others: presence is enough
