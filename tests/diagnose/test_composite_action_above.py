"""A copy of the run page nests a composite action's own steps under its header: the shell step's
`Run …` header directly under the action's (only its indented rows between) is that action's step."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.step_actions import composite_action_above
from tests.diagnose.joblog import top_finding

# Sage-Bionetworks/schematic PR #1299: snok/install-poetry@v1.1.1's own curl step.
_POETRY = [
    "Run snok/install-poetry@v1.1.1",
    "Run curl -O -sSL https://raw.githubusercontent.com/sdispater/poetry/master/get-poetry.py",
    '  File "/home/runner/work/app/app/get-poetry.py", line 1',
    "    404: Not Found",
]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (_POETRY, ("snok/install-poetry", "v1.1.1")),
        # The action's `with:` block, indented in a copy of the page, sits between the headers.
        (
            [
                "Run acme/setup-tool@v2",
                "  with:",
                "    version: 1.4",
                "Run curl -sSL https://example.com/install.sh | sh",
                "  curl -sSL https://example.com/install.sh | sh",
                "  shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}",
                "bash: line 1: 404:: command not found",
            ],
            ("acme/setup-tool", "v2"),
        ),
    ],
)
def test_shell_step_under_action_header(lines: list[str], expected: tuple[str, str]) -> None:
    assert composite_action_above(lines) == expected


@pytest.mark.parametrize(
    "lines",
    [
        # The action printed its own output: the shell step after it is the workflow's own.
        [
            "Run actions/checkout@v4",
            "Syncing repository: acme/app",
            "Run curl -O -sSL https://example.com/get-tool.py",
            "    404: Not Found",
        ],
        # A shell step with no action above it.
        ["Run make", "make: *** [all] Error 1"],
        # The last header is the action's own: nothing nested.
        ["Run snok/install-poetry@v1.1.1", "    404: Not Found"],
        # A downloaded log: an action that printed nothing is followed by the next step's group.
        [
            "2024-01-02T03:04:05.0000000Z ##[group]Run actions/github-script@v7",
            "2024-01-02T03:04:05.0000000Z with:",
            "2024-01-02T03:04:05.0000000Z ##[endgroup]",
            "2024-01-02T03:04:06.0000000Z ##[group]Run curl -O https://example.com/x.py",
        ],
        # A post step's title above a shell step is no composite action.
        ["Post Run acme/setup-tool@v2", "Run make", "make: *** [all] Error 1"],
        # A copied list of step titles: the workflow's own unnamed step echoes the runner's default
        # shell (a composite `run` step names its shell and echoes the explicit form).
        [
            "Set up job",
            "Run actions/checkout@v4",
            "Run brew tap homebrew/core",
            "  brew tap homebrew/core",
            "  brew install foo",
            "  shell: /bin/bash -e {0}",
            "Error: Tapping homebrew/core is no longer typically necessary.",
        ],
        [
            "Run actions/github-script@v7",
            "  with:",
            "    script: core.info('hi')",
            "    github-token: ***",
            "Run brew tap homebrew/core",
            "  brew tap homebrew/core",
            "  shell: /bin/bash -e {0}",
            "Error: Tapping homebrew/core is no longer typically necessary.",
        ],
        [
            "Set up job",
            "Run actions/checkout@v4",
            "Run azure/setup-helm@v3",
            "Run helm init --home ./h --service-account tiller",
            "  helm init --home ./h --service-account tiller",
            "  shell: /usr/bin/bash -e {0}",
            "Error: unknown flag: --home",
        ],
        [
            "Run actions/checkout@v4",
            "Run gh api repos/o/r/dependency-graph/sbom",
            "  gh api repos/o/r/dependency-graph/sbom",
            "  shell: /usr/bin/bash -e {0}",
            "  env:",
            "    GH_TOKEN: ***",
            "Error: Forbidden",
        ],
        [
            "Run actions/checkout@v4",
            "Run curl -sSL https://example.com/install.sh | sh",
            "  curl -sSL https://example.com/install.sh | sh",
            "  shell: /usr/bin/bash -e {0}",
            "bash: line 1: 404:: command not found",
        ],
        # No shell row, but a list of titles above the action's header.
        ["Set up job", "Run actions/checkout@v4", "Run curl -O https://example.com/x.py", "404"],
    ],
)
def test_no_composite_action(lines: list[str]) -> None:
    assert composite_action_above(lines) is None


@pytest.mark.parametrize(
    "shell",
    ["sh -e {0}", "C:\\Program Files\\PowerShell\\7\\pwsh.EXE -command \". '{0}'\""],
)
def test_an_explicit_sh_or_pwsh_echoes_as_the_default_and_proves_nothing(shell: str) -> None:
    # A composite action's `shell: sh` or `shell: pwsh` step echoes exactly as a workflow step on the
    # default shell does (review rev58), so only the title list tells them apart: here there is none.
    lines = ["Run acme/setup-tool@v2", "Run ./install.sh", "  ./install.sh", f"  shell: {shell}"]
    assert composite_action_above([*lines, "Error: install failed"]) == ("acme/setup-tool", "v2")


_top = top_finding


_PAGE_RUN = [
    '  File "/home/runner/work/app/app/get-poetry.py", line 1',
    "    404: Not Found",
    "    ^^^",
    "SyntaxError: illegal target for annotation",
    "Error: Process completed with exit code 1.",
]
_CURL = "Run curl -O -sSL https://raw.githubusercontent.com/sdispater/poetry/master/get-poetry.py"


def test_fetched_404_in_composite_step_is_the_actions(tmp_path: Path) -> None:
    kind, data = _top(tmp_path, ["Run snok/install-poetry@v1.1.1", _CURL, *_PAGE_RUN])
    assert kind == "deprecated_action"
    assert data["action"] == "snok/install-poetry"
    assert data["version"] == "v1.1.1"


@pytest.mark.parametrize(
    "lines",
    [
        [
            "Set up job",
            "Run actions/checkout@v4",
            "Run brew tap homebrew/core",
            "  brew tap homebrew/core",
            "  shell: /bin/bash -e {0}",
            "Error: Tapping homebrew/core is no longer typically necessary.",
            "Error: Process completed with exit code 1.",
        ],
        [
            "Run actions/checkout@v4",
            "Run curl -sSL https://example.com/install.sh | sh",
            "  curl -sSL https://example.com/install.sh | sh",
            "  shell: /usr/bin/bash -e {0}",
            "bash: line 1: 404:: command not found",
            "Error: Process completed with exit code 127.",
        ],
    ],
)
def test_workflow_step_under_listed_action_title_is_not_the_actions(
    tmp_path: Path, lines: list[str]
) -> None:
    kind, data = _top(tmp_path, lines)
    assert kind == "unknown"
    assert "action" not in data


def test_fetched_404_in_workflow_step_after_action_output_is_unknown(tmp_path: Path) -> None:
    lines = ["Run actions/checkout@v4", "Syncing repository: acme/app", _CURL, *_PAGE_RUN]
    kind, data = _top(tmp_path, lines)
    assert kind == "unknown"
    assert "action" not in data
