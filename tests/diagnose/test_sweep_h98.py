"""Verdicts the random-sample sweep (helper h98: Ruby, infrastructure, docs sites, release workflows)
relies on beyond the rules' own examples, in both forms a log arrives in: downloaded (timestamped,
step headers, the runner's trailer) and pasted (bare lines, no trailer).

Texts are the tools' real formats with names changed; the rules cite the threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_job_finding, run_step, top_finding, write_job

_BUNDLE_16 = (
    "Error: The process '/opt/hostedtoolcache/Ruby/3.1.2/x64/bin/bundle' failed with exit code 16"
)
_HCL1 = (
    "Error loading configuration: Error parsing /github/workspace/infra/vpc.tf: At 4:12: "
    "Unknown token: 4:12 IDENT var.cidr"
)
_HELM = (
    'Error: UPGRADE FAILED: template: api/templates/deployment.yaml:41:28: executing "api/templates/'
    'deployment.yaml" at <.Values.image.tag>: nil pointer evaluating interface {}.tag'
)


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # setup-ruby's bundler-cache install: only the wrapper's line says why (Bundler's 16).
        (["Run ruby/setup-ruby@v1", "bundle install", _BUNDLE_16], "dependency_conflict", {}),
        # An exit status Bundler does not reserve stays unexplained.
        (
            ["Run ruby/setup-ruby@v1", "bundle install", _BUNDLE_16.replace("code 16", "code 1")],
            "unknown",
            {},
        ),
        # Terraform ≤ 0.11's HCL1 parser: the place after the callers' prefixes, repository-relative.
        (
            ["Run dflook/terraform-plan@v1", "  " + _HCL1],
            "syntax_error",
            {"file": "infra/vpc.tf", "line": "4"},
        ),
        # A host name that is an unset value is not a network failure.
        (
            [
                "Plan: 1 to add, 0 to change, 0 to destroy.",
                "curl: (6) Could not resolve host: null",
            ],
            "unknown",
            {},
        ),
        (["Error: getaddrinfo ENOTFOUND undefined"], "unknown", {}),
        (
            ["curl: (6) Could not resolve host: registry.example.com"],
            "network_error",
            {"host": "registry.example.com"},
        ),
        # helm's template execution error names the chart's file and line.
        ([_HELM], "syntax_error", {"file": "api/templates/deployment.yaml", "line": "41"}),
        # helm --atomic, when --wait ran out, rolls back and says so before the context error.
        (
            [
                "Error: UPGRADE FAILED: release api failed, and has been rolled back due to atomic being set: "
                "context deadline exceeded"
            ],
            "timeout",
            {},
        ),
        # flutter build ios relays the Dart front end's error through Xcode.
        (
            [
                "Failed to build iOS app",
                "Error (Xcode): lib/main.dart:5:3: Error: Method not found: 'runZonedGuarded'.",
                "Encountered error while building for simulator.",
            ],
            "syntax_error",
            {"file": "lib/main.dart", "line": "5"},
        ),
        # Postgrex through db_connection when the job's database service is not up.
        (
            [
                "[error] Postgrex.Protocol (#PID<0.340.0>) failed to connect: ** (DBConnection.ConnectionError) "
                "tcp connect (localhost:5432): connection refused - :econnrefused"
            ],
            "network_error",
            {},
        ),
        # configure-aws-credentials with nothing to authenticate with.
        (["Error: Could not load credentials from any providers"], "missing_env_vars", {}),
        # Bundler prints the Gemfile's requirement with its operator.
        (
            ["Your Ruby version is 3.1.7, but your Gemfile specified ~> 3.2.3"],
            "missing_tool",
            {"tool": "ruby", "version": "3.2.3"},
        ),
        # Ansible Vault with no password given, and with one that does not open the vault.
        (["ERROR! Attempting to decrypt but no vault secrets found"], "missing_env_vars", {}),
        (
            [
                "ERROR! Decryption failed (no vault secrets were found that could decrypt) on "
                "/home/runner/work/infra/infra/group_vars/all/vault.yml"
            ],
            "auth_error",
            {},
        ),
        # flyctl without FLY_API_TOKEN.
        (
            ["Error: No access token available. Please login with 'flyctl auth login'"],
            "missing_env_vars",
            {"var": "FLY_API_TOKEN"},
        ),
        # Hugo without Go for its modules, or without the extended edition for SCSS.
        (
            ['Error: failed to download modules: binary with name "go" not found'],
            "missing_tool",
            {"command": "go"},
        ),
        # kubeconform's row for a manifest its schema rejects.
        (
            [
                "k8s/deployment.yaml - Deployment web is invalid: problem validating schema. Check JSON "
                "formatting: jsonschema: '/spec/replicas' does not validate with https://example.com/"
                "deployment-apps-v1.json#/properties/spec/properties/replicas/type: expected integer or "
                "null, but got string",
                "Summary: 1 resource found in 1 file - Valid: 0, Invalid: 1, Errors: 0, Skipped: 0",
            ],
            "yaml_syntax_error",
            {"file": "k8s/deployment.yaml"},
        ),
        # Mix without the Hex archive, and Mix's HTTP client that cannot connect.
        (
            [
                "Could not find Hex, which is needed to build dependency :jason",
                'Shall I install Hex? (if running non-interactively, use "mix local.hex --force") [Yn]',
            ],
            "missing_tool",
            {"command": "hex"},
        ),
        (
            [
                "** (Mix) httpc request failed with: {:failed_connect, [{:to_address, "
                '{~c"builds.hex.pm", 443}}, {:inet6, [:inet6], :nxdomain}]}',
                "Could not install Hex because Mix could not download metadata at "
                "https://builds.hex.pm/installs/hex.csv.",
            ],
            "network_error",
            {"host": "builds.hex.pm"},
        ),
        # Composer: a package (not the root) needs a newer PHP than the runner's.
        (
            [
                "  Problem 1",
                "    - laravel/framework[v10.0.0, ..., v10.48.4] require php ^8.1 -> your php version "
                "(8.0.30) does not satisfy that requirement.",
            ],
            "dependency_conflict",
            {"package": "laravel/framework"},
        ),
    ],
)
def test_pasted_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    got, data = top_finding(tmp_path, lines)
    assert got == want
    assert {key: data.get(key) for key in facts} == facts


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        (
            [
                "##[group]Run ruby/setup-ruby@v1",
                "with:",
                "  bundler-cache: true",
                "##[endgroup]",
                "##[group]bundle install",
                "[command]/opt/hostedtoolcache/Ruby/3.1.2/x64/bin/bundle install --jobs 4",
                "##[endgroup]",
                "##[error]" + _BUNDLE_16,
            ],
            "dependency_conflict",
            {"action": "ruby/setup-ruby"},
        ),
        (
            ["##[group]Run dflook/terraform-plan@v1", "##[endgroup]", "Error: " + _HCL1, FAILED],
            "syntax_error",
            {"file": "infra/vpc.tf", "line": "4", "action": "dflook/terraform-plan"},
        ),
        (
            [
                *run_step(
                    'curl -sf -X POST "$(jq -r .pull_request.comments_url "$GITHUB_EVENT_PATH")" -d @c.json',
                    "curl: (6) Could not resolve host: null",
                ),
                "##[error]Process completed with exit code 6.",
            ],
            "unknown",
            {},
        ),
        # The chart folder comes from the step's command: the file is the repository's.
        (
            [
                *run_step("helm upgrade --install api ./charts/api -f values-prod.yaml", _HELM),
                FAILED,
            ],
            "syntax_error",
            {"file": "charts/api/templates/deployment.yaml", "line": "41", "tool": "helm"},
        ),
    ],
)
def test_downloaded_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_job_finding(tmp_path, lines, want, facts)


def test_unset_host_is_its_own_rule(tmp_path: Path) -> None:
    # Its rule carries the remedy (set the variable), not the generic catch-all's.
    lines = [*run_step("./notify.sh", "curl: (6) Could not resolve host: null"), FAILED]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert (findings[0].type.value, findings[0].rule) == ("unknown", "dns-unset-host-name")
