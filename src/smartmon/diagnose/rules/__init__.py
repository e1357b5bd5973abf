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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import re2

from smartmon.diagnose.rules import cache
from smartmon.errors import SmartmonError
from smartmon.model import DATA_KEYS, VERSION, IssueType, Severity

__all__ = [
    "CHECKS",
    "Example",
    "Rule",
    "RuleError",
    "compile_pattern",
    "load_rules",
    "rule_next_step",
]

_FILE_NAME = re.compile(r"^\d\d-[a-z0-9-]+\.yaml$")
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = frozenset(
    {
        "id",
        "type",
        "severity",
        "pattern",
        "fixable",
        "advisory",
        "data",
        "examples",
        "checks",
        "next",
    }
)
# What a rule's `checks:` may ask of the engine after its line matched (diagnose/verdict.py and
# diagnose/benign.py read the lines around the hit for them):
CHECKS: Mapping[str, str] = MappingProxyType(
    {
        # verdict: pip's "(from versions: none)" for a name everyone installs means no build for
        # this Python or platform, a dependency_conflict, not a missing or misspelt package.
        "known-name-is-a-conflict": "a well-known distribution is a dependency_conflict",
        # verdict: conda lists the specs its channels lack below its error line.
        "conda-list-below": "the package (or its pin) comes from conda's list below the line",
        # verdict: pre-commit's hook line; the lines below say which linter ran and what changed.
        "pre-commit-hook": "the linter and file come from the hook's output below",
        # verdict: a CLI's "not logged in" with its token set (masked) in the step's env block.
        "token-set-means-refused": "an auth_error when the step's env block shows the token set",
        # verdict: pydantic-settings names each missing field on its own line below its header.
        "settings-fields-below": "the variable comes from the field names below the line",
        # benign: a scanner's tally is a report unless the runner's failure line follows it.
        "reported-tally": "no failure when the next step starts without the runner's error",
        # benign: a tool that logs an error and goes on (codecov-cli's "error - …").
        "logged-not-raised": "no failure when the job goes on without the runner's error",
    }
)
_EXAMPLE_KEYS = frozenset({"text", "data", "winner"})

# The cached catalog (rules/cache.py): bump the format when what `_plain` writes changes.
_CACHE_FORMAT = 3
_CACHE_NAME = "rules-cache.json"
# The examples, in a file of their own: only the catalog's tests read them, and decoding them at
# every start cost more than the rules themselves (three quarters of the cached bytes).
_EXAMPLES_NAME = "rules-examples.json"


class RuleError(SmartmonError):
    """The catalog is broken: `rules/<file>: rule '<id>': what is wrong`."""


@dataclass(frozen=True)
class Example:
    """A line a rule must match, with the data it must capture when `data` is given.

    `winner` names the rule expected to win this line across the whole catalog when that is
    deliberately a rule of another type (a documented shadowing).
    """

    text: str
    data: Mapping[str, str] | None = None
    winner: str | None = None


Examples = tuple[tuple[Example, ...], tuple[str, ...]]


def _given(examples: Examples) -> Callable[[], Examples]:
    return lambda: examples


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    type: IssueType
    severity: Severity
    pattern: str
    advisory: bool = False
    fixable: bool = False
    data: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    checks: frozenset[str] = frozenset()  # names from CHECKS
    next_step: str | None = None  # the remedy when it differs from the type's usual one
    priority: int = 0
    # The rule's examples, read when first asked for (a cached catalog reads them from their own
    # file); not part of what makes two rules the same.
    examples: Callable[[], Examples] = field(default=_given(((), ())), compare=False, repr=False)

    @functools.cached_property
    def examples_match(self) -> tuple[Example, ...]:
        return self.examples()[0]

    @functools.cached_property
    def examples_no_match(self) -> tuple[str, ...]:
        return self.examples()[1]

    def match(self, line: str) -> dict[str, str] | None:
        """The data this rule gives for one cleaned line, or None when it does not match."""
        found = compile_pattern(self.pattern).search(line)
        if found is None:
            return None
        return self.extract(found.groupdict())

    def extract(self, groups: Mapping[str, str | None]) -> dict[str, str]:
        """Constant data plus the named groups that took part, stripped; empty values dropped."""
        out = dict(self.data)
        for key, value in groups.items():
            if value is not None and value.strip():
                out[key] = value.strip()
        return out


@functools.cache
def _options() -> Any:
    options = re2.Options()
    options.never_nl = True
    return options


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str) -> Any:
    """Compile a rule pattern exactly as the engine applies it: multi-line, never across `\\n`."""
    return re2.compile("(?m)" + pattern, _options())


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


def _parse_file(label: str, content: bytes) -> list[Rule]:
    import yaml  # only when the cache cannot answer: parsing YAML is most of a cold start

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
    try:
        raw = yaml.load(content.decode("utf-8"), Loader=loader)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RuleError(f"{label}: cannot read the rule file: {first}") from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise RuleError(f"{label}: the file must be a YAML list of rules")
    rules: list[Rule] = []
    ids: set[str] = set()
    for position, entry in enumerate(raw, start=1):
        rule = _parse_rule(label, position, entry)
        if rule.id in ids:
            raise RuleError(f"{label}: rule '{rule.id}': duplicate id")
        ids.add(rule.id)
        rules.append(rule)
    return rules


def _parse_rule(label: str, position: int, entry: object) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(f"{label}: rule #{position}: must be a mapping")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RuleError(f"{label}: rule #{position}: 'id' must be kebab-case, got {rule_id!r}")
    where = f"{label}: rule '{rule_id}'"

    unknown = sorted(str(key) for key in entry if key not in _KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown key {unknown[0]!r}")
    try:
        issue_type = IssueType(str(entry.get("type")))
    except ValueError:
        raise RuleError(f"{where}: unknown type {entry.get('type')!r}") from None
    try:
        severity = Severity(str(entry.get("severity")))
    except ValueError:
        raise RuleError(f"{where}: unknown severity {entry.get('severity')!r}") from None
    fixable = _flag(where, entry, "fixable")
    advisory = _flag(where, entry, "advisory")

    pattern = entry.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise RuleError(f"{where}: 'pattern' must be a non-empty string")
    try:
        compiled = compile_pattern(pattern)
    except re2.error as exc:
        raise RuleError(f"{where}: pattern does not compile with RE2: {_text(exc)}") from None
    groups = set(compiled.groupindex)
    bad = sorted(groups - DATA_KEYS)
    if bad:
        raise RuleError(f"{where}: named group {bad[0]!r} is not a data key")
    if compiled.search("") is not None:
        raise RuleError(f"{where}: pattern matches an empty line")

    data = _data(where, entry.get("data"), "data")
    clash = sorted(groups & set(data))
    if clash:
        raise RuleError(f"{where}: data key {clash[0]!r} is also a named group")

    matches, no_matches = _examples(where, entry.get("examples"))
    checks = entry.get("checks", [])
    if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
        raise RuleError(f"{where}: 'checks' must be a list of names")
    unknown_checks = sorted(set(checks) - set(CHECKS))
    if unknown_checks:
        raise RuleError(
            f"{where}: unknown check {unknown_checks[0]!r} (known: {', '.join(sorted(CHECKS))})"
        )
    next_step = entry.get("next")
    if next_step is not None and (not isinstance(next_step, str) or not next_step.strip()):
        raise RuleError(f"{where}: 'next' must be a non-empty string")
    return Rule(
        id=rule_id,
        type=issue_type,
        severity=severity,
        pattern=pattern,
        advisory=advisory,
        fixable=fixable,
        data=MappingProxyType(data),
        checks=frozenset(checks),
        next_step=next_step,
        examples=_given((matches, no_matches)),
    )


def rule_next_step(rule_id: str) -> str | None:
    """The rule's own remedy (`next:`), when it has one; None for an unknown or renamed rule."""
    return _next_steps().get(rule_id)


@functools.cache
def _next_steps() -> Mapping[str, str]:
    return MappingProxyType({r.id: r.next_step for r in load_rules() if r.next_step})


def _flag(where: str, entry: Mapping[str, object], key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise RuleError(f"{where}: '{key}' must be true or false, got {value!r}")
    return value


def _data(where: str, value: object, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RuleError(f"{where}: '{what}' must be a mapping")
    out: dict[str, str] = {}
    for key, item in value.items():
        if key not in DATA_KEYS:
            raise RuleError(f"{where}: '{what}' key {key!r} is not a data key")
        if not isinstance(item, str):
            raise RuleError(f"{where}: '{what}' value for {key!r} must be a string")
        out[key] = item
    return out


def _examples(where: str, value: object) -> tuple[tuple[Example, ...], tuple[str, ...]]:
    if not isinstance(value, dict) or set(value) - {"match", "no_match"}:
        raise RuleError(f"{where}: 'examples' must be a mapping with 'match' and 'no_match'")
    raw_match = value.get("match")
    raw_no = value.get("no_match")
    if not isinstance(raw_match, list) or not raw_match:
        raise RuleError(f"{where}: needs at least one 'match' example")
    if not isinstance(raw_no, list) or not raw_no:
        raise RuleError(f"{where}: needs at least one 'no_match' example")
    matches: list[Example] = []
    for item in raw_match:
        if isinstance(item, str):
            matches.append(Example(item))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise RuleError(f"{where}: a 'match' example must be a string or have 'text'")
        extra = sorted(str(key) for key in item if key not in _EXAMPLE_KEYS)
        if extra:
            raise RuleError(f"{where}: unknown example key {extra[0]!r}")
        winner = item.get("winner")
        if winner is not None and not isinstance(winner, str):
            raise RuleError(f"{where}: example 'winner' must be a rule id")
        data = _data(where, item["data"], "example data") if "data" in item else None
        matches.append(
            Example(item["text"], None if data is None else MappingProxyType(data), winner)
        )
    for item in raw_no:
        if not isinstance(item, str):
            raise RuleError(f"{where}: a 'no_match' example must be a string, got {item!r}")
    return tuple(matches), tuple(raw_no)


def _text(exc: BaseException) -> str:
    message = exc.args[0] if exc.args else exc
    if isinstance(message, bytes):
        return message.decode("utf-8", "replace")
    return str(message)
