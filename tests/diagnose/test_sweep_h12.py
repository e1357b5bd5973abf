"""Facts the containers / infrastructure-as-code sweep (issue 12, h12) relies on beyond its rules.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/45-langs.yaml, rules/50-build.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.fill_ins import first_unset_variable
from smartmon.diagnose.hosts import network_host
from smartmon.diagnose.locations import location
from smartmon.diagnose.locations_below import mark_below
from tests.diagnose.joblog import FAILED, top_finding


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "The error appears to have been in '/home/runner/work/kit/kit/deploy/roles/users/tasks/"
            "users.yml': line 12, column 38, but may",
            ("deploy/roles/users/tasks/users.yml", "12"),
        ),
        (
            "The error appears to be in '/Users/runner/work/mac/mac/inventory': line 2, column 1, but may",
            ("inventory", "2"),
        ),
        ("The error appears to be in '<string>': line 2, column 1, but may", None),
    ],
)
def test_ansible_place_is_a_location(text: str, want: tuple[str, str] | None) -> None:
    assert location(text) == want


def test_ansible_place_under_the_error() -> None:
    after = [
        "  expected '<document start>', but found '<scalar>'",
        "",
        "The error appears to be in '/home/runner/work/kit/kit/hosts.yml': line 4, column 1, but may",
    ]
    assert mark_below(after) == ("hosts.yml", "4")


def test_first_unset_terraform_variable_wins() -> None:
    before = [
        "│ Error: No value for required variable",
        '│ The root module input variable "gh-token" is not set, and has no default',
        "│ value. Use a -var or -var-file command line argument to provide a value for",
    ]
    text = '│ The root module input variable "npm-token" is not set, and has'
    assert first_unset_variable(text, before) == "gh-token"
    assert first_unset_variable("│ value.", before) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("ssh: connect to host 203.0.113.10 port 22: Connection timed out", "203.0.113.10"),
        (
            "ssh: connect to host deploy.example.org port 22: Connection refused",
            "deploy.example.org",
        ),
    ],
)
def test_ssh_host_is_named(text: str, want: str) -> None:
    assert network_host(text) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # ansible-playbook's YAML error: the place is printed below the message.
        (
            [
                "##[group]Run ansible-playbook -i ci site.yml",
                "##[endgroup]",
                "ERROR! Syntax Error while loading YAML.",
                "",
                "The error appears to have been in '/home/runner/work/kit/kit/roles/web/tasks/main.yml':"
                " line 7, column 3, but may",
                "be elsewhere in the file depending on the exact syntax problem.",
                "##[error]Process completed with exit code 4.",
            ],
            "yaml_syntax_error",
            {"file": "roles/web/tasks/main.yml", "line": "7"},
        ),
        # A Go template that does not parse outranks helm lint's summary line.
        (
            [
                "##[group]Run helm lint charts/web",
                "##[endgroup]",
                "==> Linting charts/web",
                "[ERROR] templates/: parse error at (web/templates/service.yaml:10): unexpected {{end}}",
                "",
                "Error: 1 chart(s) linted, 1 chart(s) failed",
                FAILED,
            ],
            "syntax_error",
            # helm names the template from the chart's parent folder; the chart is charts/web.
            {"file": "charts/web/templates/service.yaml", "line": "10"},
        ),
        # The legacy builder names no Dockerfile: the command's -f, else the context's.
        (
            [
                "##[group]Run docker build -t app ./services/api",
                "##[endgroup]",
                "Sending build context to Docker daemon  2.048kB",
                "Error response from daemon: dockerfile parse error line 7: unknown instruction: ENTRYPOIN",
                FAILED,
            ],
            "syntax_error",
            {"file": "services/api/Dockerfile", "line": "7"},
        ),
        (
            [
                "##[group]Run docker build --file=docker/web.Dockerfile -t web:ci .",
                "##[endgroup]",
                "Error response from daemon: dockerfile parse error line 3: unknown instruction: COPPY",
                FAILED,
            ],
            "syntax_error",
            {"file": "docker/web.Dockerfile", "line": "3"},
        ),
        # An ansible role nobody installed from requirements.yml.
        (
            [
                "##[group]Run ansible-playbook -i ci site.yml",
                "##[endgroup]",
                "ERROR! the role 'geerlingguy.docker' was not found in /home/runner/work/kit/kit/roles:"
                "/home/runner/.ansible/roles",
                FAILED,
            ],
            "missing_dependency",
            {"module": "geerlingguy.docker"},
        ),
        # Ansible could not reach its host over SSH.
        (
            [
                "##[group]Run ansible-playbook -i ci site.yml",
                "##[endgroup]",
                'fatal: [web1]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via'
                ' ssh: ssh: connect to host 203.0.113.10 port 22: Connection timed out", "unreachable": true}',
                "##[error]Process completed with exit code 4.",
            ],
            "network_error",
            {"host": "203.0.113.10"},
        ),
        # Terraform wraps its diagnostics at the terminal's width.
        (
            [
                "##[group]Run terraform plan -no-color",
                "##[endgroup]",
                "│ Error: No value for required variable",
                '│ The root module input variable "region" is not set, and has no default',
                "│ value. Use a -var or -var-file command line argument to provide a value for",
                '│ The root module input variable "zone" is not set, and has no default',
                FAILED,
            ],
            "missing_env_vars",
            {"var": "region"},
        ),
        (
            [
                "##[group]Run terraform init",
                "##[endgroup]",
                "│ Could not retrieve the list of available versions for provider",
                "│ hashicorp/aws: no available releases match the given constraints 4.65.0, >=",
                FAILED,
            ],
            "dependency_conflict",
            {},
        ),
    ],
)
def test_iac_verdicts(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    for key, value in facts.items():
        assert data.get(key) == value, data
