"""The diagnosis rule catalog: `NN-name.yaml` files in this package, validated once and cached.

Priority is catalog order: files sorted by name, then order inside a file. `load_rules()` returns
the rules highest priority first, and `Rule.priority` is larger for more important rules.
Each pattern is RE2 syntax, applied to one cleaned log line (see `compile_pattern`).

Parsing and validating the YAML costs more than reading a whole small log, so what validation
produced is kept as plain JSON in the user's cache folder (`$XDG_CACHE_HOME/smartmon/`, never in
the package), keyed by a hash of the rule files, this loader's source, smartmon's version and the
RE2 build. A cache that is missing, stale, corrupt or unwritable is silently rebuilt or skipped.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import re2

from smartmon.diagnose.rules import cache, entries
from smartmon.diagnose.rules.check_names import CHECKS
from smartmon.diagnose.rules.entries import (
    Example,
    Examples,
    Rule,
    RuleError,
    _parse_file,
    compile_pattern,
)
from smartmon.model import DATA_KEYS, VERSION, IssueType, Severity

__all__ = [
    "CHECKS",
    "Example",
    "Rule",
    "RuleError",
    "compile_pattern",
    "load_rules",
    "rule_next_step",
    "same_on_rerun",
]

_FILE_NAME = re.compile(r"^\d\d-[a-z0-9-]+\.yaml$")

# The cached catalog (rules/cache.py): bump the format when what `_plain` writes changes.
_CACHE_FORMAT = 3
_CACHE_NAME = "rules-cache.json"
# The examples, in a file of their own: only the catalog's tests read them, and decoding them at
# every start cost more than the rules themselves (three quarters of the cached bytes).
_EXAMPLES_NAME = "rules-examples.json"


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule of the packaged catalog, highest priority first."""
    return load_catalog(importlib.resources.files(__name__), cache.cache_dir())


def load_catalog(package: Traversable, cache_dir: Path | None) -> tuple[Rule, ...]:
    """The rules of the `NN-name.yaml` files in `package`; from `cache_dir` when it holds them."""
    files: list[tuple[str, bytes]] = []
    for entry in package.iterdir():
        if entry.is_file() and entry.name.endswith(".yaml"):
            try:
                files.append((entry.name, entry.read_bytes()))
            except OSError as exc:
                raise RuleError(f"rules/{entry.name}: cannot read the rule file: {exc}") from exc
    files.sort()
    key = _catalog_key(files)
    if cache_dir is None:
        return _validate_catalog(files)
    path = cache_dir / _CACHE_NAME
    records = cache.read(path, key)
    if records is not None:
        store = _ExampleStore(cache_dir / _EXAMPLES_NAME, key, files)
        try:
            total = len(records)
            return tuple(_from_plain(rec, total - i, store) for i, rec in enumerate(records))
        except (ValueError, TypeError, KeyError, AttributeError):
            pass  # the right key but not what this loader writes: rebuild it
    rules = _validate_catalog(files)
    cache.write(path, key, [_plain(rule) for rule in rules])
    cache.write(cache_dir / _EXAMPLES_NAME, key, {r.id: _plain_examples(r) for r in rules})
    return rules


class _ExampleStore:
    """A cached catalog's examples, read from their file when a rule's are first asked for; a
    missing, stale or damaged file means validating the rule files again for them."""

    def __init__(self, path: Path, key: str, files: Sequence[tuple[str, bytes]]) -> None:
        self._path, self._key, self._files = path, key, files
        self._by_id: dict[str, Examples] | None = None

    def get(self, rule_id: str) -> Examples:
        if self._by_id is None:
            self._by_id = self._read() or {
                r.id: (r.examples_match, r.examples_no_match)
                for r in _validate_catalog(self._files)
            }
        return self._by_id.get(rule_id, ((), ()))

    def _read(self) -> dict[str, Examples] | None:
        stored = cache.read(self._path, self._key)
        if not isinstance(stored, dict):
            return None
        try:
            return {rule_id: _examples_from_plain(value) for rule_id, value in stored.items()}
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # the right key but not what this loader writes


def _validate_catalog(files: Sequence[tuple[str, bytes]]) -> tuple[Rule, ...]:
    loaded: list[Rule] = []
    seen: dict[str, str] = {}
    for name, content in files:
        label = f"rules/{name}"
        if not _FILE_NAME.match(name):
            raise RuleError(f"{label}: file name must look like 'NN-name.yaml' (NN = priority)")
        for rule in _parse_file(label, content):
            if rule.id in seen:
                raise RuleError(
                    f"{label}: rule '{rule.id}': duplicate id (also in {seen[rule.id]})"
                )
            seen[rule.id] = label
            loaded.append(rule)
    total = len(loaded)
    return tuple(replace(rule, priority=total - index) for index, rule in enumerate(loaded))


def _catalog_key(files: Sequence[tuple[str, bytes]]) -> str:
    """What validation depends on: the rule files, this loader, the data keys and types, RE2."""
    parts = [
        f"format {_CACHE_FORMAT}; smartmon {VERSION}; python {sys.version}".encode(),
        _identity(__file__, content=True),
        _identity(entries.__file__, content=True),
        _identity(getattr(re2._re2, "__file__", None), content=False),
        " ".join(sorted(DATA_KEYS)).encode(),
        " ".join([*(t.value for t in IssueType), *(s.value for s in Severity)]).encode(),
    ]
    for name, content in files:
        parts += [name.encode(), content]
    return cache.digest(parts)


def _identity(path: str | None, *, content: bool) -> bytes:
    """A small source file's bytes, or a compiled library's name, size and mtime."""
    if not path:
        return b"?"
    try:
        if content:
            return Path(path).read_bytes()
        st = os.stat(path)
    except OSError:
        return b"?"
    return f"{os.path.basename(path)} {st.st_size} {st.st_mtime_ns}".encode()


def _plain(rule: Rule) -> list[Any]:
    """A validated rule as JSON data: the cache's record (priority is its place in the list)."""
    return [
        rule.id,
        rule.type.value,
        rule.severity.value,
        rule.pattern,
        rule.advisory,
        rule.fixable,
        dict(rule.data),
        sorted(rule.checks),
        rule.next_step,
    ]


def _plain_examples(rule: Rule) -> list[Any]:
    return [
        [
            [ex.text, None if ex.data is None else dict(ex.data), ex.winner]
            for ex in rule.examples_match
        ],
        list(rule.examples_no_match),
    ]


def _examples_from_plain(value: list[Any]) -> Examples:
    matches, no_matches = value
    return (
        tuple(
            Example(text, None if ex_data is None else MappingProxyType(ex_data), winner)
            for text, ex_data, winner in matches
        ),
        tuple(no_matches),
    )


def _from_plain(record: list[Any], priority: int, store: _ExampleStore) -> Rule:
    rule_id, issue_type, severity, pattern, advisory, fixable, data, checks, next_step = record
    return Rule(
        id=rule_id,
        type=IssueType(issue_type),
        severity=Severity(severity),
        pattern=pattern,
        advisory=advisory,
        fixable=fixable,
        data=MappingProxyType(data),
        checks=frozenset(checks),
        next_step=next_step,
        priority=priority,
        examples=functools.partial(store.get, rule_id),
    )


def _load_file(source: Traversable) -> list[Rule]:
    """Parse and validate one catalog file; priorities are left at 0 for the caller to rank."""
    label = f"rules/{source.name}"
    try:
        content = source.read_bytes()
    except OSError as exc:
        raise RuleError(f"{label}: cannot read the rule file: {exc}") from exc
    return _parse_file(label, content)


def rule_next_step(rule_id: str) -> str | None:
    """The rule's own remedy (`next:`), when it has one; None for an unknown or renamed rule."""
    return _next_steps().get(rule_id)


def same_on_rerun(rule_id: str) -> bool:
    """Whether the rule's checks say a re-run of the job meets the same failure (`same-on-rerun`);
    False for an unknown or renamed rule."""
    return rule_id in _same_on_rerun()


@functools.cache
def _same_on_rerun() -> frozenset[str]:
    return frozenset(r.id for r in load_rules() if "same-on-rerun" in r.checks)


@functools.cache
def _next_steps() -> Mapping[str, str]:
    return MappingProxyType({r.id: r.next_step for r in load_rules() if r.next_step})
