"""Verdicts the missing-env-var, missing-tool and publish-auth message-family sweep relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/20-setup.yaml) or the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_finding


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Codecov's 429 names the fix; it outranks the HTTP error printed under it.
        (
            [
                "##[group]Run codecov --required",
                "##[endgroup]",
                "    {'detail': ErrorDetail(string='Rate limit reached. Please upload with the Codecov"
                " repository upload token to resolve issue. Expected time to availability: 1068s.',"
                " code='throttled')}",
                "Error: 429 Client Error: Too Many Requests for url: https://codecov.io/upload/v2",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "CODECOV_TOKEN"},
        ),
        # Django imported with no settings module, under pytest's collection error.
        (
            [
                "##[group]Run pytest",
                "##[endgroup]",
                "E   django.core.exceptions.ImproperlyConfigured: Requested setting INSTALLED_APPS, but"
                " settings are not configured. You must either define the environment variable"
                " DJANGO_SETTINGS_MODULE or call settings.configure() before accessing settings.",
                "!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
                "##[error]Process completed with exit code 2.",
            ],
            "missing_env_vars",
            {"var": "DJANGO_SETTINGS_MODULE"},
        ),
        # azure/login with empty id inputs.
        (
            [
                "##[group]Run azure/login@v2",
                "with:",
                "  client-id: ",
                "  tenant-id: ",
                "##[endgroup]",
                "##[error]Login failed with Error: Using auth-type: SERVICE_PRINCIPAL. Not all values"
                " are present. Ensure 'client-id' and 'tenant-id' are supplied.. Double check if the"
                " 'auth-type' is correct.",
            ],
            "missing_env_vars",
            {"var": "client-id"},
        ),
        # dotenv-safe before v6 names the variables on its line.
        (
            [
                "##[group]Run npm start",
                "##[endgroup]",
                "MissingEnvVarsError: The following variables are defined in .env.example but are not"
                " defined in the environment: MAIL_API_KEY, SESSION_SECRET.",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "MAIL_API_KEY"},
        ),
        # The AWS JS SDK v2 without a region.
        (
            [
                "##[group]Run node deploy.js",
                "##[endgroup]",
                "ConfigError: Missing region in config",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "AWS_REGION"},
        ),
        # SonarSource's entrypoint echoes a bare sentence.
        (
            [
                "##[group]Run sonarsource/sonarcloud-github-action@master",
                "##[endgroup]",
                "Set the SONAR_TOKEN env variable.",
                FAILED,
            ],
            "missing_env_vars",
            {"var": "SONAR_TOKEN"},
        ),
        # lerna and yarn berry refusing a publish.
        (
            [
                "##[group]Run npx lerna publish from-package --yes",
                "##[endgroup]",
                "lerna success published acme-types 4.0.2",
                "lerna ERR! E403 Two-factor authentication is required to publish this package but an"
                " automation token was specified",
                FAILED,
            ],
            "auth_error",
            {},
        ),
        (
            [
                "##[group]Run yarn npm publish",
                "##[endgroup]",
                "➤ YN0033: No authentication configured for request",
                "➤ YN0000: Failed with errors in 0s 412ms",
                FAILED,
            ],
            "auth_error",
            {},
        ),
        # cargo publish refused; crates-io-auth-action without a trusted publisher.
        (
            [
                "##[group]Run cargo publish",
                "##[endgroup]",
                "error: failed to publish to registry at https://crates.io",
                "",
                "Caused by:",
                "  the remote server responded with an error (status 403 Forbidden): New versions of"
                " this crate can only be published using Trusted Publishing",
                "##[error]Process completed with exit code 101.",
            ],
            "auth_error",
            {},
        ),
        (
            [
                "##[group]Run rust-lang/crates-io-auth-action@v1",
                "##[endgroup]",
                "##[error]Failed to retrieve token from Cargo registry. Status: 400. Error: No Trusted"
                " Publishing config found for repository `acme/widget`.",
            ],
            "auth_error",
            {},
        ),
        # nuget push with no key.
        (
            [
                "##[group]Run dotnet nuget push out/*.nupkg -s https://api.nuget.org/v3/index.json",
                "##[endgroup]",
                "warn : No API Key was provided and no API Key could be found for"
                " 'https://www.nuget.org/api/v2/package'. To save an API Key for a source use the"
                " 'setApiKey' command.",
                "error: Response status code does not indicate success: 401 (An API key must be"
                " provided in the 'X-NuGet-ApiKey' header to use this service).",
                FAILED,
            ],
            "auth_error",
            {},
        ),
        # Tools that name the program they could not find.
        (
            [
                "##[group]Run npm ci",
                "##[endgroup]",
                "gyp ERR! find Python",
                "gyp ERR! find Python Python is not set from command line or npm configuration",
                "gyp ERR! find Python You need to install the latest version of Python.",
                "npm ERR! code 1",
                FAILED,
            ],
            "missing_tool",
            {"command": "python"},
        ),
        (
            [
                "##[group]Run cargo build --release",
                "##[endgroup]",
                "error: failed to run custom build command for `acme-proto v0.1.0`",
                "  Error: Could not find `protoc` installation and this build crate cannot proceed"
                " without this knowledge.",
                "##[error]Process completed with exit code 101.",
            ],
            "missing_tool",
            {"command": "protoc"},
        ),
        (
            [
                "##[group]Run ./gradlew build",
                "##[endgroup]",
                "The operation couldn’t be completed. Unable to locate a Java Runtime.",
                "Please visit http://www.java.com for information on installing Java.",
                FAILED,
            ],
            "missing_tool",
            {"command": "java"},
        ),
        (
            [
                "##[group]Run pwsh ./build.ps1",
                "##[endgroup]",
                "##[error]Unable to locate executable file: 'pwsh'. Please verify either the file path"
                " exists or the file can be found within a directory specified by the PATH environment"
                " variable.",
            ],
            "missing_tool",
            {"command": "pwsh"},
        ),
    ],
)
def test_verdict(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    "lines",
    [
        # Codecov's rate limit with fail_ci_if_error off: the step stays green.
        [
            "##[group]Run codecov/codecov-action@v3",
            "##[endgroup]",
            "[2024-05-09T15:40:02.262Z] ['error'] There was an error running the uploader: Error"
            " uploading to https://codecov.io/: Error: There was an error fetching the storage URL"
            " during POST: 429 - {'detail': ErrorDetail(string='Rate limit reached. Please upload with"
            " the Codecov repository upload token to resolve issue.', code='throttled')}",
            "[2024-05-09T15:40:02.263Z] ['info'] Codecov will exit with status code 0. If you are"
            " expecting a non-zero exit code, please pass in the `-Z` flag",
        ],
        # node-gyp probing interpreters, then building.
        [
            "##[group]Run npm ci",
            "##[endgroup]",
            'gyp info find Python using Python version 3.11.4 found at "/usr/bin/python3"',
            "gyp info ok",
            "added 812 packages in 21s",
        ],
        # A publish that went through.
        [
            "##[group]Run npx lerna publish from-package --yes",
            "##[endgroup]",
            "lerna success published acme-types 4.0.2",
            "lerna success published 1 package",
        ],
    ],
)
def test_passing_look_alikes_give_no_failure(tmp_path: Path, lines: list[str]) -> None:
    # As a green job's log is downloaded: timestamps and the runner's trailer, no failure marker.
    trailer = ["Post job cleanup.", "Cleaning up orphan processes"]
    stamped = [
        f"2024-05-09T15:40:{i:02d}.0000000Z {line}" for i, line in enumerate(lines + trailer)
    ]
    log = tmp_path / "job.txt"
    log.write_text("\n".join(stamped) + "\n", encoding="utf-8")
    assert analyze_paths([log]).findings == ()
