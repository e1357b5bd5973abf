"""Every rule's own examples, catalog-wide shadowing, coverage, and the loader's error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import re2

from smartmon.diagnose.rules import Example, Rule, RuleError, _load_file, load_rules
from smartmon.model import DATA_KEYS, IssueType

RULES = load_rules()
BY_ID = {rule.id: rule for rule in RULES}


def _regex(pattern: str) -> object:
    # The engine's exact semantics, restated here rather than imported, so the test pins them.
    options = re2.Options()
    options.never_nl = True
    return re2.compile("(?m)" + pattern, options)


COMPILED = {rule.id: _regex(rule.pattern) for rule in RULES}


def _data(rule: Rule, line: str) -> dict[str, str] | None:
    found = COMPILED[rule.id].search(line)  # type: ignore[attr-defined]
    if found is None:
        return None
    out = dict(rule.data)
    for key, value in found.groupdict().items():
        if value is not None and value.strip():
            out[key] = value.strip()
    return out


def _winner(line: str) -> Rule | None:
    return next((rule for rule in RULES if _data(rule, line) is not None), None)


# One test per rule over all its examples (not one per example): fifteen thousand items cost more
# in pytest's and xdist's bookkeeping than in matching. A failure names the example.
WITH_MATCHES = [pytest.param(rule, id=rule.id) for rule in RULES if rule.examples_match]
WITH_NEAR_MISSES = [pytest.param(rule, id=rule.id) for rule in RULES if rule.examples_no_match]


def _check_match(rule: Rule, example: Example) -> None:
    got = _data(rule, example.text)
    assert got is not None, f"{rule.id} does not match {example.text!r}"
    if example.data is not None:
        assert got == dict(example.data), f"{rule.id} on {example.text!r}"
    assert rule.match(example.text) == got, f"{rule.id} on {example.text!r}"


@pytest.mark.parametrize("rule", WITH_MATCHES)
def test_rule_matches_its_examples(rule: Rule) -> None:
    for example in rule.examples_match:
        _check_match(rule, example)


@pytest.mark.parametrize("rule", WITH_NEAR_MISSES)
def test_rule_rejects_its_near_misses(rule: Rule) -> None:
    for text in rule.examples_no_match:
        assert _data(rule, text) is None, f"{rule.id} wrongly matches {text!r}"
        assert rule.match(text) is None, f"{rule.id} wrongly matches {text!r}"


def _check_winner(rule: Rule, example: Example) -> None:
    winner = _winner(example.text)
    assert winner is not None, f"no rule wins {example.text!r}"
    if example.winner is not None:
        assert example.winner in BY_ID, f"unknown winner {example.winner!r}"
        assert winner.id == example.winner, f"{example.text!r}: {winner.id} wins"
    else:
        assert winner.type is rule.type, (
            f"{example.text!r}: {rule.id} ({rule.type}) is shadowed by {winner.id} ({winner.type})"
        )


@pytest.mark.parametrize("rule", WITH_MATCHES)
def test_catalog_winner_has_the_rule_type(rule: Rule) -> None:
    for example in rule.examples_match:
        _check_winner(rule, example)


def test_catalog_size_and_coverage() -> None:
    assert len(RULES) >= 80
    covered = {rule.type for rule in RULES if not rule.advisory}
    assert set(IssueType) - {IssueType.UNKNOWN} <= covered


def test_priorities_are_catalog_order() -> None:
    assert [rule.priority for rule in RULES] == list(range(len(RULES), 0, -1))
    assert len(BY_ID) == len(RULES)


def test_catch_all_is_last_and_generic() -> None:
    last = RULES[-1]
    assert last.type is IssueType.UNKNOWN
    assert last.match("##[error]something odd happened") == {"name": "something odd happened"}
    assert last.match("Error: something odd happened") == {"name": "something odd happened"}


def test_trailer_line_never_a_cause_by_a_specific_rule() -> None:
    # The engine drops this line; no rule but the catch-all may claim it.
    for line in (
        "##[error]Process completed with exit code 1.",
        "##[error]Process completed with exit code 137.",
    ):
        winners = [rule.id for rule in RULES if _data(rule, line) is not None]
        assert winners == [RULES[-1].id]


# Notices an action printed as an error annotation and went on past (the job passed): CodeQL Action
# v1's 2023 discontinuation (tenable/terrascan-action PR #92); the runner's 2020 notice before set-env
# and add-path were disabled (rubocop/rubocop #9047). diagnose/settle.py clears a job whose only
# failure marker is such a line.
_ERROR_ANNOTATED_NOTICES = frozenset(
    {"codeql-action-v1-discontinued-notice", "workflow-command-disable-notice"}
)


def test_advisory_rules_are_warnings_only() -> None:
    advisory = [rule for rule in RULES if rule.advisory]
    assert advisory
    for rule in advisory:
        assert rule.type in {
            IssueType.DEPRECATED_ACTION,
            IssueType.DEPRECATED_COMMAND,
            IssueType.RETIRED_RUNNER,
        }
        if rule.id in _ERROR_ANNOTATED_NOTICES:
            continue
        for example in rule.examples_match:
            assert not example.text.startswith(("##[error]", "Error: ")), rule.id


def test_every_capture_and_constant_is_a_data_key() -> None:
    for rule in RULES:
        assert set(COMPILED[rule.id].groupindex) <= DATA_KEYS  # type: ignore[attr-defined]
        assert set(rule.data) <= DATA_KEYS


_UNSTABLE = re2.compile(
    r"\b[0-9a-f]{40}\b"  # commit SHA
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d"  # timestamp
    r"|\b\d+(?:\.\d+)?m?s\b"  # duration
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"  # UUID (temp script names, request ids)
    r"|/_temp/"  # the runner's temp scripts
)


def test_example_captures_are_stable_across_runs() -> None:
    for rule in RULES:
        for example in rule.examples_match:
            for key, value in (rule.match(example.text) or {}).items():
                if rule.type is IssueType.UNKNOWN:
                    continue  # the catch-all keeps the whole message by design
                assert _UNSTABLE.search(value) is None, f"{rule.id}: unstable {key}={value!r}"


def test_load_rules_is_cached() -> None:
    assert load_rules() is RULES


def test_never_nl_keeps_a_pattern_on_one_line() -> None:
    rule = BY_ID["python-module-not-found"]
    assert rule.match("E   ModuleNotFoundError: No module named\n'yaml'") is None


GOOD = """\
- id: good-rule
  type: missing_dependency
  severity: high
  pattern: '^No module named (?P<module>\\w+)'
  examples:
    match: ["No module named yaml"]
    no_match: ["all good"]
"""


def _write(tmp_path: Path, text: str, name: str = "30-python.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_file_accepts_a_good_rule(tmp_path: Path) -> None:
    (rule,) = _load_file(_write(tmp_path, GOOD))
    assert rule.id == "good-rule"
    assert rule.type is IssueType.MISSING_DEPENDENCY
    assert rule.fixable is False and rule.advisory is False
    assert rule.match("No module named yaml") == {"module": "yaml"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("type: missing_dependency", "type: foo", "rule 'good-rule': unknown type 'foo'"),
        ("severity: high", "severity: urgent", "rule 'good-rule': unknown severity 'urgent'"),
        ("(?P<module>\\w+)", "(?P<pkg>\\w+)", "rule 'good-rule': named group 'pkg'"),
        ("(?P<module>\\w+)", "(?=x)", "rule 'good-rule': pattern does not compile with RE2"),
        ("'^No module named (?P<module>\\w+)'", "'^(?:x)?'", "pattern matches an empty line"),
        ('match: ["No module named yaml"]', "match: []", "needs at least one 'match' example"),
        ('no_match: ["all good"]', "no_match: []", "needs at least one 'no_match' example"),
        ("id: good-rule", "id: Good_Rule", "rule #1: 'id' must be kebab-case"),
        (
            "severity: high",
            "severity: high\n  fixable: yes please",
            "'fixable' must be true or false",
        ),
        ("severity: high", "severity: high\n  colour: red", "unknown key 'colour'"),
        ("severity: high", "severity: high\n  data: {flavour: x}", "'data' key 'flavour'"),
        ("severity: high", "severity: high\n  data: {module: x}", "data key 'module' is also"),
        ("severity: high", "severity: high\n  checks: [guess]", "unknown check 'guess' (known: "),
        ("severity: high", "severity: high\n  checks: known-name", "'checks' must be a list"),
        ("severity: high", "severity: high\n  next: ''", "'next' must be a non-empty string"),
    ],
)
def test_load_file_names_file_rule_and_problem(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RuleError) as caught:
        _load_file(path)
    text = str(caught.value)
    assert text.startswith("rules/30-python.yaml: ")
    assert message in text
    assert "\n" not in text


def test_load_file_reads_checks_and_next(tmp_path: Path) -> None:
    text = GOOD.replace(
        "severity: high",
        "severity: high\n  checks: [conda-list-below]\n  next: 'install it: `pip install x`'",
    )
    (rule,) = _load_file(_write(tmp_path, text))
    assert rule.checks == frozenset({"conda-list-below"})
    assert rule.next_step == "install it: `pip install x`"


def test_load_file_rejects_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="rule 'good-rule': duplicate id"):
        _load_file(_write(tmp_path, GOOD + GOOD))


def test_load_file_rejects_bad_yaml_and_shapes(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"^rules/10-x\.yaml: cannot read the rule file"):
        _load_file(_write(tmp_path, "- id: [unclosed\n", "10-x.yaml"))
    with pytest.raises(RuleError, match="must be a YAML list of rules"):
        _load_file(_write(tmp_path, "id: lonely\n", "10-x.yaml"))
    assert _load_file(_write(tmp_path, "", "10-x.yaml")) == []


def test_example_data_mismatch_is_detectable(tmp_path: Path) -> None:
    text = GOOD.replace(
        'match: ["No module named yaml"]',
        "match:\n      - text: No module named yaml\n        data: {module: toml}",
    )
    (rule,) = _load_file(_write(tmp_path, text))
    (example,) = rule.examples_match
    assert example.data == {"module": "toml"}
    assert rule.match(example.text) != example.data
