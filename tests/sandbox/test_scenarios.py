"""Every scenario fails for its one reason, its intended fix makes CI pass, and the diagnosis
engine reads the runner's logs the way it reads GitHub's."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.sandbox import RunResult, scenarios
from smartmon.sandbox.scenarios import Scenario
from tests.sandbox.runner_support import make_repo, make_runner, request

# scenario -> (conclusion, a line the failing log must contain)
EXPECTED = {
    "deprecated-action": (
        "failure",
        "##[error]This request has been automatically failed because it uses a deprecated "
        "version of `actions/upload-artifact: v3`.",
    ),
    "import-error": (
        "failure",
        "ImportError: cannot import name 'DEFAULT_STOCK' from 'inventory.models'",
    ),
    "missing-dependency": ("failure", "ModuleNotFoundError: No module named 'yaml'"),
    "missing-env-var": ("failure", "KeyError: 'API_KEY'"),
    "multi": ("failure", "ConnectionResetError: [Errno 104] Connection reset by peer"),
    "network-flaky": ("failure", "ConnectionResetError: [Errno 104] Connection reset by peer"),
    "passing": ("success", "OK"),
    "permission-denied": ("failure", "./scripts/build.sh: Permission denied"),
    "retired-runner": ("failure", "##[error]This is a scheduled Ubuntu 20.04 retirement."),
    "set-output": ("failure", "##[error]The `set-env` command is disabled."),
    "unfixable": ("failure", "AssertionError: '2 items, 3 units, restock: apple, pear' != "),
    "yaml-syntax": ("startup_failure", ""),
}


def test_names_and_shape() -> None:
    assert scenarios.names() == sorted(EXPECTED)
    for name in scenarios.names():
        sc = scenarios.load(name)
        assert sc.full_name == f"smartmon-demo/{name}"
        assert ".github/workflows/ci.yml" in sc.files and sc.default_branch == "main"
        assert sc.findings, name
        assert all(isinstance(v, bytes) for v in sc.files.values())
        fixed = sc.fixed()
        if name in ("passing", "network-flaky", "unfixable"):
            assert fixed == sc
        else:
            assert (fixed.files, fixed.executable) != (sc.files, sc.executable), name
    with pytest.raises(KeyError, match="unknown scenario 'nope'; known: deprecated-action"):
        scenarios.load("nope")
    with pytest.raises(FrozenInstanceError):
        scenarios.load("passing").name = "x"  # type: ignore[misc]


def run_scenario(tmp_path: Path, sc: Scenario, attempt: int = 1) -> RunResult:
    bare, _, sha = make_repo(tmp_path, sc.files, sc.executable, name=sc.name)
    runner = make_runner(tmp_path)
    return runner.run(
        request(
            bare,
            sha,
            repo_full_name=sc.full_name,
            secrets=sc.secrets,
            variables=sc.variables,
            run_attempt=attempt,
        )
    )


def failing_text(result: RunResult) -> str:
    return "\n".join(line[29:] for job in result.jobs for line in job.log.splitlines())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_fails_for_its_reason(tmp_path: Path, name: str) -> None:
    sc = scenarios.load(name)
    conclusion, signature = EXPECTED[name]
    result = run_scenario(tmp_path / "broken", sc)
    assert result.conclusion == conclusion, failing_text(result)
    assert signature in failing_text(result)
    if conclusion == "startup_failure":
        assert result.annotations[0].title.startswith(
            "Invalid workflow file: .github/workflows/ci.yml#L"
        )
        assert "You have an error in your yaml syntax on line" in result.annotations[0].message
        assert sc.findings == ("yaml_syntax_error",)
        return
    logs = tmp_path / "logs"
    logs.mkdir()
    for index, job in enumerate(result.jobs):
        (logs / f"{index}_{job.name}.txt").write_text(job.log, encoding="utf-8")
    found = {f.type.value for f in analyze_paths([logs]).findings}
    expected = {t for t in sc.findings if t != "none"}
    assert expected <= found, (expected, found)
    if name == "passing":
        assert found == set()


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", [n for n in sorted(EXPECTED) if n not in ("passing", "unfixable", "network-flaky")]
)
def test_intended_fix_passes(tmp_path: Path, name: str) -> None:
    sc = scenarios.load(name)
    # multi also has the flaky job, which only passes on a re-run.
    result = run_scenario(tmp_path, sc.fixed(), attempt=2 if name == "multi" else 1)
    assert result.conclusion == "success", failing_text(result)
    assert result.jobs and all(job.conclusion == "success" for job in result.jobs)


@pytest.mark.slow
def test_flaky_passes_on_rerun_and_unfixable_stays_red(tmp_path: Path) -> None:
    flaky = run_scenario(tmp_path / "flaky", scenarios.load("network-flaky"), attempt=2)
    assert flaky.conclusion == "success"
    assert scenarios.load("network-flaky").passes_on_rerun
    unfixable = run_scenario(tmp_path / "unfixable", scenarios.load("unfixable"), attempt=2)
    assert unfixable.conclusion == "failure"
