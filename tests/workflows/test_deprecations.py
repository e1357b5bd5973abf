"""The vetted tables: every entry dated and sourced, and bumps that never change the action."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from smartmon.workflows import deprecations as d
from smartmon.workflows import runtimes

TABLE = yaml.safe_load(
    resources.files("smartmon.workflows").joinpath("data", "actions.yaml").read_text("utf-8")
)


def test_every_action_entry_is_dated_and_sourced() -> None:
    for slug, entry in TABLE["actions"].items():
        target = int(str(entry["target"]).lstrip("v"))
        for rule in entry["deprecated"]:
            assert rule["date"] and rule["source"].startswith("https://"), slug
            assert rule["severity"] in ("critical", "medium"), slug
            assert all(major < target for major in rule["majors"]), slug


def test_every_runner_entry_is_dated_sourced_and_supported() -> None:
    for label in d.retired_labels():
        retired = d.runner_retirement(label)
        assert retired is not None
        assert retired.retired[:2] == "20" and retired.source.startswith("https://")
        assert d.runner_replacement(retired.replacement) is None, label  # not retired itself


@pytest.mark.parametrize(
    ("label", "replacement"),
    [
        ("ubuntu-20.04", "ubuntu-24.04"),
        ("Ubuntu-18.04", "ubuntu-24.04"),
        ("windows-2019", "windows-2022"),
        ("macos-13", "macos-15-intel"),  # Intel stays Intel
        ("macOS-12", "macos-15-intel"),
        ("macos-14", "macos-15"),
        ("macos-13-xlarge", "macos-15-xlarge"),
        ("ubuntu-22.04", None),
        ("ubuntu-latest", None),
        ("self-hosted", None),
    ],
)
def test_runner_replacement(label: str, replacement: str | None) -> None:
    assert d.runner_replacement(label) == replacement


@pytest.mark.parametrize(
    ("uses", "new"),
    [
        ("actions/checkout@v2", "actions/checkout@v5"),
        ("actions/checkout@v3.5.2", "actions/checkout@v5"),
        ("actions/upload-artifact@v3", "actions/upload-artifact@v6"),
        ("actions/upload-artifact@v3-node20", "actions/upload-artifact@v6"),
        ("actions/download-artifact@v1", "actions/download-artifact@v7"),
        ("actions/cache@v1", "actions/cache@v5"),
        ("actions/cache@v4.0.2", "actions/cache@v5"),  # before v4.2.0: the legacy service
        ("actions/cache/restore@v3", "actions/cache/restore@v5"),
        ("actions/setup-python@v4", "actions/setup-python@v6"),
        ("actions/setup-node@v3", "actions/setup-node@v5"),
        ("actions/setup-go@v3", "actions/setup-go@v6"),
        ("actions/setup-java@v2", "actions/setup-java@v5"),
    ],
)
def test_upgrade_keeps_owner_and_repo(uses: str, new: str) -> None:
    upgrade = d.action_upgrade(uses)
    assert upgrade is not None and not upgrade.pinned
    assert upgrade.new_uses == new
    assert new.split("@")[0] == uses.split("@")[0]


@pytest.mark.parametrize(
    "uses",
    [
        "actions/checkout@v5",
        "actions/checkout@main",
        "actions/cache@v5",
        "actions/upload-artifact@v6",
        "actions/setup-python@v6",
        "abatilo/actions-poetry@v2",  # composite: no node runtime to retire
        "actions/checkout@0123456789abcdef0123456789abcdef01234567",  # no tag there, no comment
        "docker://alpine:3",
        "./.github/actions/setup",
        "octo/actions-checkout@v2",  # a look-alike is not the table's action
        "${{ matrix.action }}",
    ],
)
def test_not_deprecated(uses: str) -> None:
    assert d.action_upgrade(uses) is None


def test_artifact_actions_move_together() -> None:
    assert d.group_members("artifact") == {"actions/upload-artifact", "actions/download-artifact"}
    upgrade = d.action_upgrade("actions/upload-artifact@v2")
    assert upgrade is not None and upgrade.group == "artifact" and not upgrade.ghes_supported


@pytest.mark.parametrize(
    ("uses", "new", "severity"),
    [
        # node20 majors: deprecated like node16, moved to the lowest node24 major.
        ("actions/checkout@v4", "actions/checkout@v5", "medium"),
        ("actions/cache@v4.2.0", "actions/cache@v5", "medium"),
        ("actions/upload-artifact@v4", "actions/upload-artifact@v6", "medium"),  # the hand target
        ("actions/download-artifact@v5", "actions/download-artifact@v7", "medium"),
        # Beyond the hand table, from the dataset.
        ("docker/build-push-action@v6", "docker/build-push-action@v7", "medium"),
        ("github/codeql-action/init@v3", "github/codeql-action/init@v4", "medium"),
        ("actions/setup-dotnet@v1", "actions/setup-dotnet@v5", "medium"),
        # Moved repositories: the new owner/name.
        ("gradle/gradle-build-action@v2", "gradle/actions/setup-gradle@v5", "medium"),
        ("crazy-max/ghaction-docker-meta@v1", "docker/metadata-action@v6", "medium"),
    ],
)
def test_dataset_upgrades(uses: str, new: str, severity: str) -> None:
    upgrade = d.action_upgrade(uses)
    assert upgrade is not None and upgrade.fixable
    assert (upgrade.new_uses, upgrade.severity) == (new, severity)
    assert upgrade.source.startswith("https://") or "moved" in upgrade.why


def test_archived_action_with_a_successor_is_reported_not_fixed() -> None:
    upgrade = d.action_upgrade("actions-rs/toolchain@v1")
    assert upgrade is not None and not upgrade.fixable and upgrade.new_uses is None
    assert upgrade.successor == "dtolnay/rust-toolchain"
    assert "dtolnay/rust-toolchain" in upgrade.why


def test_an_archived_repository_whose_history_continues_elsewhere_moves_there() -> None:
    # rustsec/audit-check continues actions-rs/audit-check's git history with the same inputs;
    # it has no node24 major, so the move lands on its newest (node20) and says so.
    upgrade = d.action_upgrade("actions-rs/audit-check@v1")
    assert upgrade is not None and upgrade.fixable
    assert upgrade.new_uses == "rustsec/audit-check@v2"
    assert "newest: rustsec/audit-check@v2 runs on node20" in upgrade.why
    assert d.input_changes(upgrade, ["token"]) == ({}, [])


def test_archived_without_node24_names_its_successor_and_newest_major() -> None:
    slack = d.action_upgrade("8398a7/action-slack@v3")
    assert slack is not None and not slack.fixable
    assert slack.successor == "slackapi/slack-github-action" and "(inputs differ" in slack.why
    cargo = d.action_upgrade("actions-rs/cargo@v1")
    assert cargo is not None and not cargo.fixable
    assert "archived and no major runs on node24 (newest: actions-rs/cargo@v1 runs on node12)" in (
        cargo.why
    )


def test_no_node24_major_yet_names_the_newest_major_and_its_runtime() -> None:
    upgrade = d.action_upgrade("actions/dependency-review-action@v4")
    assert upgrade is not None and not upgrade.fixable
    assert (
        "no major of it runs on node24 yet (newest: actions/dependency-review-action@v4 runs "
        "on node20)" in upgrade.why
    )


def test_input_checks_rename_and_block() -> None:
    upgrade = d.action_upgrade("actions/setup-node@v1")
    assert upgrade is not None
    # setup-node v1 said: "The version property ... Use node-version instead".
    assert d.input_changes(upgrade, ["version"]) == ({"version": "node-version"}, [])
    renames, problems = d.input_changes(upgrade, ["node-version", "bogus"]) or ({}, [])
    assert not renames and problems == [
        ("bogus", "input 'bogus' is not defined in actions/setup-node@v5")
    ]


def test_dataset_is_large_and_every_major_is_sourced() -> None:
    actions, majors = runtimes.dataset_size()
    assert actions >= 300 and majors >= 1000
    info = runtimes.action_info("ACTIONS/Checkout")  # GitHub compares owner/name case-insensitively
    assert info is not None and info.first_node24 == 5
    assert all(m.source and m.checked for m in info.majors.values())


@pytest.mark.parametrize(
    ("uses", "given", "renames", "problems"),
    [
        # codecov v5's migration guide: `file` -> `files` (its action.yml has no message).
        ("codecov/codecov-action@v4", ["file", "token"], {"file": "files"}, []),
        ("codecov/codecov-action@v3", ["file", "files"], {}, ["file"]),  # both: a human decides
        # rust-cache 2.0.0's changelog: working-directory -> workspaces; target-dir has no twin.
        ("Swatinem/rust-cache@v1", ["working-directory"], {"working-directory": "workspaces"}, []),
        ("Swatinem/rust-cache@v1", ["target-dir"], {}, ["target-dir"]),
    ],
)
def test_renames_the_release_notes_document(
    uses: str, given: list[str], renames: dict[str, str], problems: list[str]
) -> None:
    upgrade = d.action_upgrade(uses)
    assert upgrade is not None
    found = d.input_changes(upgrade, given)
    assert found is not None
    assert found[0] == renames and [name for name, _ in found[1]] == problems
