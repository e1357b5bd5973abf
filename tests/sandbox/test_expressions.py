"""The `${{ }}` evaluator against GitHub's documented semantics."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from smartmon.sandbox.runner.expressions import Evaluator, ExpressionError, hash_files

CONTEXTS: dict[str, Any] = {
    "github": {"ref": "refs/heads/main", "event_name": "push", "event": {"commits": [1, 2]}},
    "env": {"MODE": "Release", "EMPTY": ""},
    "matrix": {"os": "ubuntu-latest", "python": 3.12},
    "needs": {
        "build": {"result": "success", "outputs": {"version": "1.2.3"}},
        "lint": {"result": "failure", "outputs": {}},
    },
    "steps": {"my-step": {"outputs": {"path": "/tmp/x"}, "outcome": "success"}},
    "secrets": {"TOKEN": "s3cret"},
    "vars": {},
    "inputs": {"dry": True},
}


def ev(text: str, status: str = "success") -> Any:
    return Evaluator(CONTEXTS, status=status).evaluate(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("github.ref == 'refs/heads/main'", True),
        ("github.ref == 'REFS/HEADS/MAIN'", True),  # string equality ignores case
        ("github.ref != 'refs/heads/dev'", True),
        ("matrix.python == '3.12'", True),  # a string is coerced to a number
        ("matrix.python > 3.1", True),
        ("matrix.python < 3.9", True),  # numbers, not versions
        ("1 < 2 && 2 < 1", False),
        ("env.EMPTY || 'fallback'", "fallback"),  # || returns an operand
        ("env.MODE && 'yes'", "yes"),
        ("!env.EMPTY", True),
        ("null == 0", True),
        ("true == 1", True),
        ("'' == 0", True),
        ("'abc' == 0", False),  # NaN is equal to nothing
        ("(1 == 1) && !(2 == 3)", True),
        ("steps.my-step.outputs.path", "/tmp/x"),
        ("needs.build.outputs.version", "1.2.3"),
        ("needs['build'].outputs['version']", "1.2.3"),
        ("needs.*.result", ["success", "failure"]),
        ("contains(needs.*.result, 'failure')", True),
        ("contains('Hello World', 'world')", True),
        ("contains(fromJSON('[\"a\", \"b\"]'), 'B')", True),
        ("startsWith(github.ref, 'refs/heads/')", True),
        ("endsWith(github.ref, '/MAIN')", True),
        ("format('{0}-{1}-{{x}}', 'a', 1)", "a-1-{x}"),
        ("join(fromJSON('[1, 2, 3]'), '+')", "1+2+3"),
        ("join('abc')", "abc"),
        ('fromJSON(\'{"a": {"b": 5}}\').a.b', 5),
        ("toJSON(matrix)", '{\n  "os": "ubuntu-latest",\n  "python": 3.12\n}'),
        ("github.event.commits[1]", 2),
        ("github.event.commits[5]", None),
        ("github.missing.deeper", None),
        ("0x10 == 16", True),
        ("'it''s'", "it's"),
        ("inputs.dry == true", True),
    ],
)
def test_expressions(text: str, expected: Any) -> None:
    assert ev(text) == expected


@pytest.mark.parametrize(
    ("condition", "status", "expected"),
    [
        (None, "success", True),
        (None, "failure", False),
        ("failure()", "failure", True),
        ("always()", "cancelled", True),
        ("cancelled()", "cancelled", True),
        ("github.event_name == 'push'", "success", True),
        ("github.event_name == 'push'", "failure", False),  # implicit success() &&
        ("${{ github.event_name == 'push' }}", "success", True),
        ("${{ failure() || github.event_name == 'x' }}", "failure", True),
        ("success() || failure()", "failure", True),
        ("!cancelled()", "failure", True),  # a status function disables the implicit success()
        (True, "success", True),
        (False, "success", False),
    ],
)
def test_conditions(condition: Any, status: str, expected: bool) -> None:
    assert Evaluator(CONTEXTS, status=status).condition(condition) is expected


def test_interpolation_keeps_surrounding_text_and_types() -> None:
    e = Evaluator(CONTEXTS)
    assert e.interpolate("v=${{ needs.build.outputs.version }}; os=${{matrix.os}}") == (
        "v=1.2.3; os=ubuntu-latest"
    )
    assert e.interpolate("${{ 'a }} b' }}!") == "a }} b!"
    assert e.interpolate_value("${{ fromJSON('[1,2]') }}") == [1, 2]
    assert e.interpolate_value({"k": ["${{ matrix.python }}"]}) == {"k": [3.12]}
    assert e.interpolate("${{ true }} ${{ null }} ${{ 3.0 }}") == "true  3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("github.ref = 'x'", "Unexpected symbol: '='"),
        ("unknown.value", "Unrecognized named-value: 'unknown'"),
        ("nosuch(1)", "Unrecognized function: 'nosuch'"),
        ("contains('a')", "called with 1 parameters"),
        ("(1 == 1", "Unexpected symbol: 'end of expression'"),
        ("fromJSON('{')", "Error parsing fromJson"),
    ],
)
def test_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(")):
        ev(text)


def test_unclosed_expression() -> None:
    with pytest.raises(ExpressionError, match="The expression is not closed"):
        Evaluator(CONTEXTS).interpolate("echo ${{ github.ref ")


def test_hash_files_matches_github_algorithm(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "requirements.txt").write_text("requests\n")
    (tmp_path / "requirements.txt").write_text("PyYAML\n")
    expected = hashlib.sha256()
    for rel in ("a/requirements.txt", "requirements.txt"):
        expected.update(hashlib.sha256((tmp_path / rel).read_bytes()).digest())
    assert hash_files(tmp_path, ["**/requirements.txt"]) == expected.hexdigest()
    assert hash_files(tmp_path, ["**/*.lock"]) == ""
    only_root = hash_files(tmp_path, ["**/requirements.txt", "!a/**"])
    assert only_root == hashlib.sha256(hashlib.sha256(b"PyYAML\n").digest()).hexdigest()
    e = Evaluator(CONTEXTS, workspace=tmp_path)
    assert e.evaluate("hashFiles('**/requirements.txt')") == expected.hexdigest()
