"""The release and publishing wave: a GitHub release retried past a race is no failure, while the
same refusal that never clears still is; the signing, registry and deploy wordings the wave met."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.model import Finding

# softprops/action-gh-release: a create that raced another matrix job is retried and the release
# that now exists is updated ("🎉 Release ready at …", src/github.ts).
RACED_THEN_READY = [
    "Run softprops/action-gh-release@v2",
    "👩\u200d🏭 Creating new GitHub release for tag v1.2.0...",
    "⚠️ GitHub release failed with status: 422",
    '[{"resource":"Release","code":"already_exists","field":"tag_name"}]',
    "retrying... (2 retries remaining)",
    "👩\u200d🏭 Updating GitHub release for tag v1.2.0...",
    "🎉 Release ready at https://github.com/acme/app/releases/tag/v1.2.0",
]

NEVER_CLEARED = [
    "Run softprops/action-gh-release@v2",
    "👩\u200d🏭 Creating new GitHub release for tag v1.2.0...",
    "⚠️ GitHub release failed with status: 403",
    "undefined",
    "retrying... (0 retries remaining)",
    "❌ Too many retries. Aborting...",
    "Error: Too many retries.",
]


def _findings(tmp_path: Path, name: str, lines: list[str]) -> list[Finding]:
    log = tmp_path / f"{name}.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list(analyze_paths([log]).findings)


def test_release_race_retried_to_ready_is_no_failure(tmp_path: Path) -> None:
    assert not _findings(tmp_path, "raced", RACED_THEN_READY)


def test_release_refusal_that_never_clears_still_fails(tmp_path: Path) -> None:
    findings = _findings(tmp_path, "refused", NEVER_CLEARED)
    assert findings
    assert findings[0].type.value == "permission_error"


# (name, pasted lines without a trailer, type)
PASTES: list[tuple[str, list[str], str]] = [
    ("maven-fork-gpg", ["[INFO] gpg: signing failed: No secret key"], "missing_env_vars"),
    ("gpg1", ["gpg: signing failed: secret key not available"], "missing_env_vars"),
    (
        "git-commit-sign",
        ['gpg: skipped "release@acme.dev": No secret key', "error: gpg failed to sign the data"],
        "missing_env_vars",
    ),
    (
        "gradle-signatory",
        [
            "* What went wrong:",
            "Execution failed for task ':lib:signMavenJavaPublication'.",
            "> Cannot perform signing task ':lib:signMavenJavaPublication' because it has no "
            "configured signatory",
        ],
        "missing_env_vars",
    ),
    (
        "yarn1-no-token",
        ["error No token found and can't prompt for login when running with --non-interactive."],
        "auth_error",
    ),
    ("busybox-cp", ["cp: can't stat '_site/*': No such file or directory"], "unknown"),
    (
        "aws-s3-sync",
        [
            "upload failed: dist/index.html to s3://acme-site/index.html An error occurred "
            "(AccessDenied) when calling the PutObject operation: Access Denied"
        ],
        "permission_error",
    ),
    (
        "azure-publish-profile",
        [
            "Error: Deployment Failed, Error: Publish profile is invalid for app-name and slot-name "
            "provided. Provide correct publish profile credentials for app."
        ],
        "auth_error",
    ),
    (
        "bundler-rake-release",
        ["rake aborted!", "Your rubygems.org credentials aren't set. Run `gem push` to set them."],
        "missing_env_vars",
    ),
    (
        "wrangler-pages",
        [
            "✘ [ERROR] A request to the Cloudflare API (/accounts/***/pages/projects/acme) failed.",
            "  Project not found. [code: 8000007]",
        ],
        "unknown",
    ),
    (
        "maven-goal-pasted",
        [
            "gpg: signing failed: No pinentry",
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-gpg-plugin:3.1.0:sign "
            "(sign-artifacts) on project acme: Exit code: 2 -> [Help 1]",
        ],
        "unknown",
    ),
    (
        "netlify-401",
        ["Error: Not authorized to view the currently linked site (1a2b3c4d)"],
        "auth_error",
    ),
]


@pytest.mark.parametrize(("name", "lines", "kind"), PASTES, ids=[c[0] for c in PASTES])
def test_release_step_wordings(tmp_path: Path, name: str, lines: list[str], kind: str) -> None:
    findings = _findings(tmp_path, name, lines)
    assert findings, name
    assert findings[0].type.value == kind
