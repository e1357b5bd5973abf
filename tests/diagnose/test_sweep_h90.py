"""Publish and registry refusals, and the job token's 403 in more of the tools' shapes.

Two halves. End to end: a publish refused by its registry (rubygems.org's pusher, cargo before
1.66, Maven and Gradle uploads answered 403, twine against any repository, Composer without
credentials, a private image pulled without login) is an `auth_error`, pasted or downloaded, and
the same tools' success lines are no finding. Then the refused GitHub API request, read from the
shapes tools print it in (axios' lower-case method, Node's one-line request object, octokit's dump
below its head line, requests' "for url:", a `gh api` command with no URL in its answer), names the
scope it needed. Texts are real lines with names changed; the rules cite their sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.api_requests import request_need


def _top(tmp_path: Path, text: str) -> tuple[str | None, dict[str, str]]:
    log = tmp_path / "job.txt"
    log.write_bytes(text.encode("utf-8"))
    findings = analyze_paths([log]).findings
    return (findings[0].type.value, dict(findings[0].data)) if findings else (None, {})


def _downloaded(command: str, *lines: str) -> str:
    body = [f"##[group]Run {command}", command, "shell: /usr/bin/bash -e {0}", "##[endgroup]"]
    body += [*lines, "##[error]Process completed with exit code 1."]
    return "".join(f"2025-03-04T10:00:{i:02d}.0000000Z {line}\n" for i, line in enumerate(body))


def _pasted(command: str, *lines: str) -> str:
    return "\n".join([f"Run {command}", *lines]) + "\n"


REFUSED_PUBLISHES = [
    (
        "bundle exec rake release",
        ["Pushing gem to https://rubygems.org...", "You are not allowed to push this gem."],
    ),
    (
        "gem push acme-1.0.0.gem",
        [
            "Pushing gem to https://rubygems.org...",
            "This API key cannot perform the specified action on this gem.",
        ],
    ),
    (
        "gem push acme-1.0.0.gem",
        [
            "Pushing gem to https://rubygems.org...",
            "Your OTP code is incorrect. Please check it and retry.",
        ],
    ),
    (
        "rubygems/configure-rubygems-credentials@v1.0.0",
        [
            "Error: No trusted publisher configured for this workflow found on https://rubygems.org/ for audience rubygems.org"
        ],
    ),
    (
        "cargo publish",
        ["error: api errors (status 200 OK): must be logged in to perform that action"],
    ),
    (
        "./gradlew publish",
        [
            "> Failed to publish publication 'maven' to repository 'mavenCentral'",
            "   > Could not PUT 'https://oss.sonatype.org/service/local/staging/deploy/maven2/com/acme/misk/0.23.0/misk-0.23.0.jar'. Received status code 403 from server: Forbidden",
        ],
    ),
    (
        "mvn -B deploy",
        [
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:3.1.1:deploy (default-deploy) on project acme: Failed to deploy artifacts: Could not transfer artifact com.acme:acme:jar:1.0 from/to github (https://maven.pkg.github.com/acme/acme): status code: 403, reason phrase: Forbidden (403) -> [Help 1]"
        ],
    ),
    (
        "mvn -B deploy",
        [
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:2.8.2:deploy (default-deploy) on project acme: Failed to deploy artifacts: Could not transfer artifact com.acme:acme:jar:1.0 from/to ossrh (https://oss.sonatype.org/service/local/staging/deploy/maven2/): Return code is: 403, ReasonPhrase: Forbidden. -> [Help 1]"
        ],
    ),
    (
        "twine upload --repository-url https://pkgs.dev.azure.com/acme/_packaging/feed/pypi/upload dist/*",
        [
            "Uploading acme-1.0.0-py3-none-any.whl",
            "ERROR    HTTPError: 403 Forbidden from https://pkgs.dev.azure.com/acme/_packaging/feed/pypi/upload",
        ],
    ),
    (
        "composer install",
        [
            "  The 'https://api.github.com/repos/acme/private/zipball/3f1c2a9' URL required authentication (HTTP 401)."
        ],
    ),
    (
        "docker pull ghcr.io/acme/private:main",
        [
            'Error response from daemon: Head "https://ghcr.io/v2/acme/private/manifests/main": unauthorized'
        ],
    ),
]


REFUSED_PUBLISHES += [
    (
        "Publish-Module -Path ./Acme -NuGetApiKey $env:PSGALLERY_KEY",
        [
            "Publish-PSArtifactUtility : Failed to publish module 'Acme': 'Failed to process request. 'The specified API key is invalid, has expired, or does not have permission to access the specified package.'.",
            "The remote server returned an error: (403) Forbidden..",
        ],
    ),
    (
        "choco push acme.1.0.0.nupkg --source https://push.chocolatey.org/",
        [
            "Failed to process request. 'The specified API key does not provide the authority to push packages.'"
        ],
    ),
    (
        "pod trunk push Acme.podspec",
        [
            "[!] Authentication token is invalid or unverified. Either verify it with the email that was sent or register a new session."
        ],
    ),
    (
        "docker push gcr.io/acme/api:1.0",
        [
            "unauthorized: You don't have the needed permissions to perform this operation, and you may have invalid credentials. To authenticate your request, follow the steps in: https://cloud.google.com/container-registry/docs/advanced-authentication"
        ],
    ),
    (
        "./deploy.ps1",
        [
            'Exception calling "UploadFile" with "3" argument(s): "The remote server returned an error: (401) Unauthorized."'
        ],
    ),
]


@pytest.mark.parametrize("form", [_downloaded, _pasted])
@pytest.mark.parametrize(("command", "lines"), REFUSED_PUBLISHES)
def test_refused_publish_is_an_auth_error(
    tmp_path: Path, form, command: str, lines: list[str]
) -> None:
    kind, _ = _top(tmp_path, form(command, *lines))
    assert kind == "auth_error"


PASSING = [
    (
        "gem push acme-1.0.0.gem",
        ["Pushing gem to https://rubygems.org...", "Successfully registered gem: acme (1.0.0)"],
    ),
    (
        "./gradlew publish",
        ["> Task :publishMavenPublicationToMavenCentralRepository", "BUILD SUCCESSFUL in 41s"],
    ),
    (
        "docker login -u acme --password-stdin quay.io",
        [
            "WARNING! Your password will be stored unencrypted in /home/runner/.docker/config.json.",
            "Configure a credential helper to remove this warning. See",
            "https://docs.docker.com/engine/reference/commandline/login/#credentials-store",
            "Login Succeeded",
        ],
    ),
]


@pytest.mark.parametrize(("command", "lines"), PASSING)
def test_publish_success_lines_are_no_finding(
    tmp_path: Path, command: str, lines: list[str]
) -> None:
    body = [f"##[group]Run {command}", "##[endgroup]", *lines, "Cleaning up orphan processes"]
    text = "".join(f"2025-03-04T10:00:{i:02d}.0000000Z {line}\n" for i, line in enumerate(body))
    assert _top(tmp_path, text) == (None, {})


def test_axios_lower_case_method_names_the_endpoint() -> None:
    lines = [
        "AxiosError: Request failed with status code 403",
        "  config: {",
        "    method: 'post',",
        "    url: 'https://api.github.com/repos/acme/app/releases',",
    ]
    assert request_need(lines)["scope"] == "contents"


def test_one_line_request_object() -> None:
    lines = [
        "RequestError [HttpError]: Resource not accessible by integration",
        "  status: 403,",
        "  request: { method: 'POST', url: 'https://api.github.com/repos/acme/app/issues/12/labels', headers: {} },",
        "Error: Unhandled error: HttpError: Resource not accessible by integration",
    ]
    need = request_need(lines)
    assert (need["scope"], need["method"]) == ("issues", "POST")


def test_dump_below_the_head_line_is_read() -> None:
    head = ["HttpError: Resource not accessible by integration"]
    after = [
        "    at /home/runner/work/app/app/node_modules/@octokit/request/dist-node/index.js:86:21",
        "  status: 403,",
        "  request: {",
        "    method: 'PATCH',",
        "    url: 'https://api.github.com/repos/acme/app/pulls/4',",
        "  }",
        "}",
        "Error: Process completed with exit code 1.",
        "    url: 'https://api.github.com/repos/acme/app/releases',",
    ]
    assert request_need(head, "node scripts/comment.js", after)["scope"] == "pull-requests"


def test_requests_for_url() -> None:
    line = "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://api.github.com/repos/acme/app/pulls"
    assert request_need([line])["scope"] == "pull-requests"


@pytest.mark.parametrize(
    ("step", "scope"),
    [
        ("gh api -X POST repos/acme/app/dispatches -f event_type=deploy", "contents"),
        # A field makes gh send POST; the method flag may come after the path.
        ("gh api repos/{owner}/{repo}/releases -f tag_name=v1.0", "contents"),
        ("gh api --method PATCH /repos/acme/app/pulls/4 -f state=closed", "pull-requests"),
        ("gh api repos/acme/app/issues/3/labels --input labels.json", "issues"),
    ],
)
def test_gh_api_command_names_the_endpoint(step: str, scope: str) -> None:
    need = request_need(["gh: Resource not accessible by integration (HTTP 403)"], step)
    assert need["scope"] == scope


def test_gh_api_in_a_pasted_run_line() -> None:
    lines = [
        "Run gh api -X POST repos/acme/app/dispatches -f event_type=deploy",
        "gh: Resource not accessible by integration (HTTP 403)",
    ]
    assert request_need(lines)["scope"] == "contents"


@pytest.mark.parametrize(
    "step",
    [
        "gh api graphql -f query='mutation { addStar }'",
        "gh api repos/acme/app/releases",  # a refusal without 403 words below is not read
    ],
)
def test_gh_api_without_an_endpoint_or_refusal(step: str) -> None:
    lines = ["gh: Not Found (HTTP 404)"] if "graphql" not in step else ["gh: Forbidden (HTTP 403)"]
    assert "method" not in request_need(lines, step)


@pytest.mark.parametrize("form", [_downloaded, _pasted])
@pytest.mark.parametrize(
    "line",
    [
        "denied: User: arn:aws:sts::123456789012:assumed-role/gha/GitHubActions is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:us-east-1:123456789012:repository/app",
        "ERROR: failed to solve: failed to push 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest: denied: User: arn:aws:sts::123456789012:assumed-role/gha/GitHubActions is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:us-east-1:123456789012:repository/app",
    ],
)
def test_ecr_push_refused_by_iam_names_the_action(tmp_path: Path, form, line: str) -> None:
    kind, data = _top(
        tmp_path, form("docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest", line)
    )
    assert (kind, data.get("name")) == ("permission_error", "ecr:InitiateLayerUpload")
