"""What the second sweep of releasing and publishing (helper h56) relies on beyond the rules' own
examples: the scope a release action's bare "Resource not accessible by integration" needed (from
what the action needs for its job), a version a registry already has in each tool's wording (a
version bump, not a credential), changesets relaying npm's refusal, and the passing look-alikes
(twine's --skip-existing, npm's auto-corrected package.json).

Texts are the tools' real formats with names changed; the threads are named where the code says why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.api_requests import action_need
from tests.diagnose.joblog import FAILED, assert_finding, run_step, top_finding

_REFUSED = "Resource not accessible by integration"


@pytest.mark.parametrize(
    ("action", "lines", "want"),
    [
        # rcmaehl/LocalUser.App #2: softprops/action-gh-release needs contents: write.
        (
            "softprops/action-gh-release",
            [f"Error: {_REFUSED}"],
            {"scope": "contents", "access": "write"},
        ),
        # openscad/openscad-documentation #2: the runner's annotation form.
        ("svenstaro/upload-release-action", [f"##[error]{_REFUSED}"], {"scope": "contents"}),
        # ophub/amlogic-s9xxx-openwrt #251: ncipollo's own prefix.
        ("ncipollo/release-action", [f"Error: Error 403: {_REFUSED}"], {"scope": "contents"}),
        # The archived actions/create-release, GITHUB_TOKEN from env.
        ("actions/create-release", [f"##[error]{_REFUSED}"], {"scope": "contents"}),
        # An action that needs two scopes leaves the choice open.
        ("actions/deploy-pages", [f"Error: {_REFUSED}"], {}),
        # No refusal of the job token: a PAT's or an SSH key's trouble, no scope to grant.
        ("softprops/action-gh-release", ["Error: Bad credentials"], {}),
        # An action the table does not know.
        ("acme/release-it", [f"Error: {_REFUSED}"], {}),
    ],
)
def test_action_need_from_a_release_action(
    action: str, lines: list[str], want: dict[str, str]
) -> None:
    got = action_need(action, lines)
    assert {k: got.get(k) for k in want} == want
    if not want:
        assert got == {}


def test_release_action_refusal_names_contents(tmp_path: Path) -> None:
    lines = [
        "##[group]Run softprops/action-gh-release@v1",
        "with:",
        "  files: Build/WidgetUser.exe",
        "##[endgroup]",
        f"⚠️ Unexpected error fetching GitHub release for tag refs/tags/0.1.1: HttpError: {_REFUSED}",
        f"##[error]{_REFUSED}",
    ]
    assert_finding(
        tmp_path,
        lines,
        "permission_error",
        {"scope": "contents", "action": "softprops/action-gh-release"},
    )


@pytest.mark.parametrize(
    "line",
    [
        # adafruit/circup #44: twine before the hash was printed.
        "File already exists. See https://pypi.org/help/#file-name-reuse for more information.",
        # uv publish quoting PyPI's answer.
        "  Caused by: Upload failed with status code 400 Bad Request. Server says: 400 File already"
        " exists ('widget-1.2.0-py3-none-any.whl', with blake2_256 hash 'abc'). See"
        " https://pypi.org/help/#file-name-reuse for more information.",
        # sochdb/sochdb #94: cargo since the sparse index.
        "error: crate widget-core@2.0.10 already exists on crates.io index",
        # ruby/rubygems #3026.
        "Repushing of gem versions is not allowed.",
        # GloriousEggroll/proton-ge-custom #275: gh release create for a tag with a release.
        "Release.tag_name already exists",
        # Newer gh checks before it creates.
        "a release with the same tag name already exists: v1.2.0",
        # goreleaser #3132 through go-github.
        "   ⨯ release failed after 33.29s error=scm releases: failed to publish artifacts: PATCH"
        " https://api.github.com/repos/acme/widget/releases/1: 422 Validation Failed"
        " [{Resource:Release Field:tag_name Code:already_exists Message:}]",
    ],
)
def test_version_already_published_is_no_credential_problem(tmp_path: Path, line: str) -> None:
    got, _ = top_finding(tmp_path, run_step("make release", line, FAILED))
    assert got == "unknown"


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # interledger/open-payments #462: an expired NPM_TOKEN, relayed by changesets.
        (
            [
                '🦋  info Publishing "@acme/widget-payments" at "6.9.0"',
                "🦋  error an error occurred while publishing @acme/widget-payments: E404 Not Found"
                " - PUT https://registry.npmjs.org/@acme%2fwidget-payments - Not found ",
                "🦋  error npm ERR! code E404",
            ],
            "auth_error",
        ),
        # The same relay of an already published version stays a version problem.
        (
            [
                "🦋  error an error occurred while publishing @acme/core: E403 403 Forbidden - PUT"
                " https://registry.npmjs.org/@acme%2fcore - You cannot publish over the previously"
                " published versions: 0.1.1.",
            ],
            "unknown",
        ),
        # cycjimmy/semantic-release-action #33: semantic-release's word alone.
        (
            ["[semantic-release] › ✖  EGITNOPERMISSION Cannot push to the Git repository."],
            "permission_error",
        ),
        # microsoft/vscode-vsce #656: the Marketplace refusing the PAT's scope or organisation.
        (
            [
                " ERROR  Access Denied: 0000-aaaa needs the following permission(s) on the resource"
                " /Acme to perform this action: Publish new extensions to an existing publisher",
            ],
            "auth_error",
        ),
        # Azure Container Registry refusing docker login's service principal (MicrosoftDocs/azure-docs #84204).
        (
            [
                'Error: Error response from daemon: Get "https://acme.azurecr.io/v2/": unauthorized:'
                " Application not registered with AAD.",
            ],
            "auth_error",
        ),
        # TimefoldAI/timefold-solver #54 and jreleaser/jreleaser #1757.
        (
            [
                "jreleaser.shadow.org.jreleaser.sdk.mavencentral.api.MavenCentralAPIException:"
                " 401: Unauthorized",
            ],
            "auth_error",
        ),
    ],
)
def test_publish_refusals(tmp_path: Path, lines: list[str], want: str) -> None:
    got, _ = top_finding(tmp_path, run_step("pnpm ci:publish", *lines, FAILED))
    assert got == want


@pytest.mark.parametrize(
    "lines",
    [
        # pypa/twine #1074: --skip-existing skips what the index has and exits 0.
        [
            "Uploading widget-0.0.1.post1-py3-none-any.whl",
            "WARNING  Skipping widget-0.0.1.post1-py3-none-any.whl because it appears to already exist",
        ],
        # RobinTail/express-zod-api #1272: npm fixed package.json on the fly and published.
        [
            'npm WARN publish npm auto-corrected some errors in your package.json when publishing.  Please run "npm pkg fix" to address these errors.',
            'npm WARN publish "repository.url" was normalized to "git+https://github.com/acme/widget.git"',
            "+ widget@14.2.1",
        ],
        # changesets/changesets #2096: packages already on npm are skipped with a warning.
        [
            "🦋  warn widget-core is not being published because version 2.0.2 is already published on npm",
            '🦋  warn Received 404 for npm info "widget-util"',
        ],
    ],
)
def test_publish_look_alikes_pass(tmp_path: Path, lines: list[str]) -> None:
    got, _ = top_finding(tmp_path, run_step("npm run release", *lines))
    assert got is None


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # uv publish's own question when the job cannot mint an OIDC token.
        (
            [
                "Trusted publishing failed: Failed to obtain OIDC token: is the `id-token: write` permission missing?"
            ],
            "permission_error",
            {"scope": "id-token"},
        ),
        # cargo publish to a registry other than crates.io names that registry's variable.
        (
            [
                "error: no token found for `acme`, please run `cargo login --registry acme`",
                "or use environment variable CARGO_REGISTRIES_ACME_TOKEN",
            ],
            "missing_env_vars",
            {"var": "CARGO_REGISTRIES_ACME_TOKEN"},
        ),
        # crates.io itself keeps its own variable.
        (
            [
                "error: no token found, please run `cargo login`",
                "or use environment variable CARGO_REGISTRY_TOKEN",
            ],
            "missing_env_vars",
            {"var": "CARGO_REGISTRY_TOKEN"},
        ),
    ],
)
def test_publish_credentials_facts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, run_step("make publish", *lines, FAILED), want, facts)
