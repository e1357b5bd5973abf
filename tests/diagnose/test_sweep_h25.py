"""Runner-printed paths of called workflows and downloaded actions, made repository-relative."""

from __future__ import annotations

import pytest

from smartmon.diagnose.facts import action_manifest_path, repo_path


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # emqx/emqx #16727, canonical/operator-workflows #564: "{owner}/{repo}/.github/workflows/x@ref".
        (
            "acme/broker/.github/workflows/run_test_cases.yaml",
            ".github/workflows/run_test_cases.yaml",
        ),
        ("acme/ci-workflows/.github/workflows/comment.yaml", ".github/workflows/comment.yaml"),
        (".github/workflows/ci.yml", ".github/workflows/ci.yml"),
        ("./.github/workflows/ci.yml", ".github/workflows/ci.yml"),
        # A runner path whose leading slash a paste lost (TheBuilderDAO/kafe PR #217).
        (
            "home/runner/work/app/app/./.github/actions/cli/action.yaml",
            ".github/actions/cli/action.yaml",
        ),
        ("Users/runner/work/app/app/src/main.swift", "src/main.swift"),
        # actions-runner-controller, a container job, a self-hosted runner's folder.
        ("runner/_work/app/app/src/main.c", "src/main.c"),
        ("__w/app/app/src/main.c", "src/main.c"),
        ("home/ubuntu/actions-runner/_work/app/app/src/main.c", "src/main.c"),
        ("opt/actions-runner/_work/app/app/src/main.c", "src/main.c"),
        # A repository's own folders that only start like one stay as they are.
        ("home/runner/src/main.c", "home/runner/src/main.c"),
    ],
)
def test_called_workflow_path(printed: str, expected: str) -> None:
    assert repo_path(printed) == expected


def test_deep_relative_path_kept() -> None:
    assert repo_path("packages/web/src/index.ts") == "packages/web/src/index.ts"


@pytest.mark.parametrize(
    ("path", "action", "expected"),
    [
        # Azure/container-apps-deploy-action #25; ramsey/composer-install #273 (ref is a SHA there).
        (
            "azure/container-apps-deploy-action/v0/action.yml",
            "azure/container-apps-deploy-action",
            "action.yml",
        ),
        (
            "Ramsey/Composer-Install/3cf229dc2919194e9e36783941438d17239e8520/action.yml",
            "ramsey/composer-install",
            "action.yml",
        ),
        ("github/codeql-action/v3/init/action.yml", "github/codeql-action/init", "init/action.yml"),
        # Not the action's own file: left as it was.
        (
            ".github/actions/setup/action.yml",
            "actions/checkout",
            ".github/actions/setup/action.yml",
        ),
        (
            "azure/container-apps-deploy-action/action.yml",
            "azure/container-apps-deploy-action",
            "azure/container-apps-deploy-action/action.yml",
        ),
    ],
)
def test_action_manifest_path(path: str, action: str, expected: str) -> None:
    assert action_manifest_path(path, action) == expected
