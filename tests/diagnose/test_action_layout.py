"""The `{owner}/{repo}/{ref}/{path}` layout the runner names a downloaded action's files in, read once
for the three places that need it (a download line, the step header, the runner's manifest wording)."""

from __future__ import annotations

import pytest

from smartmon.diagnose.facts import enrich
from smartmon.diagnose.step_actions import action_in_own_step, action_layout


@pytest.mark.parametrize(
    ("path", "action", "ref", "expected"),
    [
        ("acme/tool/v1/action.yml", "", "", ("acme/tool", "v1", "action.yml")),
        ("acme/tool/v1/init/action.yaml", "", "", ("acme/tool", "v1", "init/action.yaml")),
        # A known action may name a folder inside its repository; only owner/repo is in the path.
        (
            "acme/tool/v1/init/action.yml",
            "acme/tool/init",
            "",
            ("acme/tool", "v1", "init/action.yml"),
        ),
        ("Acme/Tool/main/action.yml", "acme/tool", "", ("Acme/Tool", "main", "action.yml")),
        # A ref with a slash is read whole only when the ref is known.
        (
            "acme/tool/releases/v2/action.yml",
            "acme/tool",
            "releases/v2",
            ("acme/tool", "releases/v2", "action.yml"),
        ),
        ("acme/tool/v1/action.yml", "other/tool", "", None),
        ("acme/tool/v1/action.yml", "acme/tool", "v2", None),
        ("src/app.py", "", "", None),
        ("acme/tool/v1", "", "", None),
        ("acme/tool/v1/has space.yml", "", "", None),
        # A runner checkout path that lost its leading slash is no action's layout.
        ("home/runner/work/app/app/./.github/actions/cli/action.yaml", "", "", None),
        ("__w/kafe/kafe/./.github/actions/setup/action.yaml", "", "", None),
        ("runner/_work/kafe/kafe/./.github/actions/setup/action.yaml", "", "", None),
    ],
)
def test_action_layout(
    path: str, action: str, ref: str, expected: tuple[str, str, str] | None
) -> None:
    assert action_layout(path, action, ref) == expected


def test_download_line_with_a_slashed_ref_names_the_action() -> None:
    before = ["Download action repository 'acme/tool@releases/v2' (SHA:0123abcd)"]
    text = "Error: acme/tool/releases/v2/action.yml (Line: 12, Col: 3): Unexpected value 'x'"
    got = enrich(
        "yaml_syntax_error", {"file": "acme/tool/releases/v2/action.yml"}, text, before, ""
    )
    assert (got["action"], got["version"], got["file"]) == (
        "acme/tool",
        "releases/v2",
        "action.yml",
    )


def test_remote_manifest_without_set_up_lines() -> None:
    text = "Error: acme/checks/v3/lint/action.yaml (Line: 39, Col: 5): Unexpected value 'if'"
    got = enrich("yaml_syntax_error", {"file": "acme/checks/v3/lint/action.yaml"}, text, [], "")
    assert (got["action"], got["version"], got["file"]) == (
        "acme/checks/lint",
        "v3",
        "lint/action.yaml",
    )


@pytest.mark.parametrize(
    ("lines", "step_name", "expected"),
    [
        # A composite action's own step runs its folder: the pasted header is all that names it.
        (
            [
                "Run actions/setup-python@v4",
                'Run pipx run --spec "D:\\a\\_actions\\pypa\\cibuildwheel\\v2.16.4" cibuildwheel "."',
                "creating virtual environment...",
            ],
            "",
            ("pypa/cibuildwheel", "v2.16.4"),
        ),
        (
            [],
            "Run /home/runner/work/_actions/acme/tool/v1/run.sh --fast",
            ("acme/tool", "v1"),
        ),
        # A shell step of the project's own, and the runner's download folder, name no action.
        (["Run make dist", "python setup.py sdist"], "", None),
        (["Run unzip /home/runner/work/_actions/_temp_1a2b/x.zip"], "", None),
    ],
)
def test_action_in_own_step(
    lines: list[str], step_name: str, expected: tuple[str, str] | None
) -> None:
    assert action_in_own_step(lines, step_name) == expected


def test_cut_runner_path_is_the_repositorys_manifest() -> None:
    printed = "home/runner/work/app/app/./.github/actions/cli/action.yaml"
    text = f"{printed} (Line: 12, Col: 7): Required property is missing: shell"
    got = enrich("yaml_syntax_error", {"file": printed, "line": "12"}, text, [], "")
    assert got == {"file": ".github/actions/cli/action.yaml", "line": "12"}
