"""One catalog file's rules: the YAML entries read, validated and made `Rule`s.

A rule entry (see ../shared/STYLE.md) has an `id`, `type`, `severity`, `pattern` (RE2, applied to one
cleaned log line: `compile_pattern`), `examples` it must and must not match, and optionally constant
`data`, `fixable`, `advisory`, `checks:` the engine makes around its hit (`CHECKS`) and its own
`next:` remedy. Every problem is one `RuleError` line naming the file, the rule and what is wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import re2

from smartmon.diagnose.rules.check_names import CHECKS
from smartmon.errors import SmartmonError
from smartmon.model import DATA_KEYS, IssueType, Severity

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


_EXAMPLE_KEYS = frozenset({"text", "data", "winner"})


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


# Unbounded: its keys are the catalog's own patterns. A bounded LRU smaller than the catalog missed
# on every call of a loop over all rules (1,268 rules against 1,024 slots recompiled each pattern).
@functools.cache
def compile_pattern(pattern: str) -> Any:
    """Compile a rule pattern exactly as the engine applies it: multi-line, never across `\\n`."""
    return re2.compile("(?m)" + pattern, _options())


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
