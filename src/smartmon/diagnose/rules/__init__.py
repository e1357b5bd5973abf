"""The diagnosis rule catalog: `NN-name.yaml` files in this package, validated once and cached.

Priority is catalog order: files sorted by name, then order inside a file. `load_rules()` returns
the rules highest priority first, and `Rule.priority` is larger for more important rules.
Each pattern is RE2 syntax, applied to one cleaned log line (see `compile_pattern`).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import re2
import yaml

from smartmon.errors import SmartmonError
from smartmon.model import DATA_KEYS, IssueType, Severity

__all__ = [
    "Example",
    "Rule",
    "RuleError",
    "compile_pattern",
    "load_rules",
]

_FILE_NAME = re.compile(r"^\d\d-[a-z0-9-]+\.yaml$")
_RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = frozenset({"id", "type", "severity", "pattern", "fixable", "advisory", "data", "examples"})
_EXAMPLE_KEYS = frozenset({"text", "data", "winner"})

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader


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


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    type: IssueType
    severity: Severity
    pattern: str
    advisory: bool = False
    fixable: bool = False
    data: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    examples_match: tuple[Example, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    priority: int = 0

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
    package = importlib.resources.files(__name__)
    names = sorted(
        entry.name
        for entry in package.iterdir()
        if entry.is_file() and entry.name.endswith(".yaml")
    )
    loaded: list[Rule] = []
    seen: dict[str, str] = {}
    for name in names:
        label = f"rules/{name}"
        if not _FILE_NAME.match(name):
            raise RuleError(f"{label}: file name must look like 'NN-name.yaml' (NN = priority)")
        for rule in _load_file(package / name):
            if rule.id in seen:
                raise RuleError(
                    f"{label}: rule '{rule.id}': duplicate id (also in {seen[rule.id]})"
                )
            seen[rule.id] = label
            loaded.append(rule)
    total = len(loaded)
    return tuple(replace(rule, priority=total - index) for index, rule in enumerate(loaded))


def _load_file(source: Traversable) -> list[Rule]:
    """Parse and validate one catalog file; priorities are left at 0 for the caller to rank."""
    label = f"rules/{source.name}"
    try:
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
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
    return Rule(
        id=rule_id,
        type=issue_type,
        severity=severity,
        pattern=pattern,
        advisory=advisory,
        fixable=fixable,
        data=MappingProxyType(data),
        examples_match=matches,
        examples_no_match=no_matches,
    )


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
