"""Facts the containers and infrastructure-as-code sweep (helper h40) relies on beyond the rules' own
examples: a checkout mounted into a `docker run` at another folder, helm's chart-relative paths under
the chart's folder, HCL's one-line diagnostics and Go template errors as locations, ansible-lint's
rows under its fatal banner, and Terraform's registry errors wrapped at 80 columns.

Texts are the tools' real formats with names changed; the sources are named in the rules' comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.locations import location
from smartmon.diagnose.repo_paths import in_checkout, project_dir, repo_path, workspace_mounts
from tests.diagnose.joblog import FAILED, TS, assert_finding, run_step


@pytest.mark.parametrize(
    ("line", "mount"),
    [
        (
            'Run docker run --rm -v "$GITHUB_WORKSPACE:/mnt" -w /mnt quay.io/helmpack/chart-testing ct lint',
            "/mnt",
        ),
        ("docker run --rm -v $(pwd):/data cytopia/yamllint .", "/data"),
        ("docker run -v ${PWD}:/repo:ro img", "/repo"),
        ("docker run --volume=/home/runner/work/infra/infra:/build img make", "/build"),
        ("docker run -v ${{ github.workspace }}/:/opt/app img", "/opt/app"),
    ],
)
def test_workspace_mounts_name_the_folder_the_checkout_is_mounted_at(line: str, mount: str) -> None:
    assert workspace_mounts([line]) == (mount,)


def test_workspace_mounts_ignore_other_volumes_and_the_runner_own() -> None:
    lines = [
        "docker run -v /var/run/docker.sock:/var/run/docker.sock img",
        '/usr/bin/docker run -v "/home/runner/work/r/r":"/github/workspace" img',
        "docker run -v cache:/root/.cache img",
    ]
    assert workspace_mounts(lines) == ()


def test_paths_under_a_mount_become_the_checkout() -> None:
    line = in_checkout("/mnt/stable/app/values.yaml", ("/mnt",))
    assert repo_path(line) == "stable/app/values.yaml"
    # Only at a path's start: a folder that merely ends the same way is left alone.
    assert in_checkout("/var/mnt/x.yaml", ("/mnt",)) == "/var/mnt/x.yaml"


@pytest.mark.parametrize(
    ("before", "path", "want"),
    [
        # helm names templates from the chart's parent folder: "<chart>/templates/x".
        (
            ["==> Linting charts/tenancy"],
            "tenancy/templates/x.yaml",
            "charts/tenancy/templates/x.yaml",
        ),
        # …and its other rows from the chart's own folder.
        (
            ["==> Linting deploy/charts/api"],
            "templates/x.yaml",
            "deploy/charts/api/templates/x.yaml",
        ),
        (
            ['Linting chart \'api => (version: "0.1.1", path: "charts/api")\''],
            "api/templates/_helpers.tpl",
            "charts/api/templates/_helpers.tpl",
        ),
        # A chart at the root: nothing to add.
        (["==> Linting falco"], "falco/templates/_helpers.tpl", "falco/templates/_helpers.tpl"),
    ],
)
def test_helm_paths_are_named_from_the_chart_folder(
    before: list[str], path: str, want: str
) -> None:
    assert repo_path(path, project_dir(before)) == want


@pytest.mark.parametrize(
    ("line", "want"),
    [
        (
            'packer.pkr.hcl:40,5-8: Unsupported argument; An argument named "env" is not',
            ("packer.pkr.hcl", "40"),
        ),
        (
            "Error: build.pkr.hcl:12,3-20,4: Missing required argument; The argument",
            ("build.pkr.hcl", "12"),
        ),
        (
            '[ERROR] templates/: template: api/templates/deployment.yaml:24:28: executing "api/templates/'
            'deployment.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag',
            ("api/templates/deployment.yaml", "24"),
        ),
        (
            'Error: template: site/layouts/index.html:7: function "partal" not defined',
            ("site/layouts/index.html", "7"),
        ),
    ],
)
def test_hcl_and_go_template_locations(line: str, want: tuple[str, str]) -> None:
    assert location(line) == want


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # ct lint in the chart-testing image: yamllint's rows name files under the mount.
        (
            [
                *run_step(
                    'docker run --rm -v "$GITHUB_WORKSPACE:/mnt" -w /mnt quay.io/helmpack/chart-testing:v3.0.0 ct lint --all',
                    'Linting chart \'web => (version: "1.0.0", path: "/mnt/stable/web")\'',
                    "Validating /mnt/stable/web/Chart.yaml...",
                    "/mnt/stable/web/values.yaml",
                    "  9:8       error    too many spaces after colon  (colons)",
                    "",
                    "Error: Error linting charts: Error processing charts",
                ),
                FAILED,
            ],
            "lint_failure",
            {"tool": "yamllint", "file": "stable/web/values.yaml", "line": "9"},
        ),
        # helm lint's tally over a template that does not render: the place from Go's template error.
        (
            [
                *run_step(
                    "helm lint deploy/charts/api",
                    "==> Linting deploy/charts/api",
                    '[ERROR] templates/: template: api/templates/deployment.yaml:24:28: executing "api/templates/'
                    'deployment.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag',
                    "",
                    "Error: 1 chart(s) linted, 1 chart(s) failed",
                ),
                FAILED,
            ],
            "lint_failure",
            {"file": "deploy/charts/api/templates/deployment.yaml", "line": "24"},
        ),
        # ansible-lint 6.9+: the banner, then "rule: message" over "path:line Task/Handler: …".
        (
            [
                *run_step(
                    "ansible-lint",
                    "WARNING  Listing 2 violation(s) that are fatal",
                    "name[missing]: All tasks should be named.",
                    "roles/web/tasks/main.yml:3 Task/Handler: shell echo hello",
                    "",
                    "                 Rule Violation Summary",
                    " count tag           profile rule associated tags",
                    "     1 name[missing] basic   idiom",
                    "",
                    "Failed after min profile: 2 failure(s), 0 warning(s) on 5 files.",
                ),
                "##[error]Process completed with exit code 2.",
            ],
            "lint_failure",
            {"tool": "ansible-lint", "file": "roles/web/tasks/main.yml", "line": "3"},
        ),
        # A playbook Ansible loads as YAML but refuses: the place is Ansible's, printed below.
        (
            [
                *run_step(
                    "ansible-playbook -i inventory site.yml --syntax-check",
                    "ERROR! 'check_mode' is not a valid attribute for a Task",
                    "",
                    "The error appears to have been in '/home/runner/work/infra/infra/roles/sshd/tasks/main.yml':"
                    " line 9, column 3, but may",
                    "be elsewhere in the file depending on the exact syntax problem.",
                ),
                "##[error]Process completed with exit code 4.",
            ],
            "syntax_error",
            {"tool": "ansible", "file": "roles/sshd/tasks/main.yml", "line": "9"},
        ),
        # Terraform 0.14 wraps the registry's address onto a line of its own.
        (
            [
                *run_step(
                    "terraform init",
                    "Error: Failed to query available provider packages",
                    "",
                    "Could not retrieve the list of available versions for provider",
                    "terraform-providers/docker: could not query provider registry for",
                    "registry.terraform.io/terraform-providers/docker: the request failed after 2",
                    "attempts, please try again later: Get",
                ),
                FAILED,
            ],
            "network_error",
            {"host": "registry.terraform.io"},
        ),
        # Terraform 0.12's outage wording names only the status page, which is no host that failed.
        (
            [
                *run_step(
                    "terraform init",
                    "Error: registry service is unreachable, check https://status.hashicorp.com/ for status updates",
                ),
                FAILED,
            ],
            "network_error",
            {"host": None},
        ),
    ],
)
def test_iac_sweep_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str | None]
) -> None:
    assert_finding(tmp_path, [TS + line for line in lines], want, facts)
