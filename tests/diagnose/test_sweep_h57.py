"""Git pushes refused with a 403: which token scope, in the shapes git and push actions print."""

import pytest

from smartmon.diagnose.api_requests import request_need


@pytest.mark.parametrize(
    ("lines", "step", "after"),
    [
        # The token in the URL, and the URL's start eaten by the mask (avinal/Profile-Readme-WakaTime #45).
        (
            [
                "fatal: unable to access 'https://x-access-token:***@github.com/o/r.git/': The requested URL returned error: 403"
            ],
            "git push origin HEAD:main",
            [],
        ),
        (
            [
                "fatal: unable to access '***github.com/o/o.git/': The requested URL returned error: 403"
            ],
            "",
            ["error: push error"],
        ),
        # Push actions in their own words (ad-m/github-push-action #55, EndBug/add-and-commit #53).
        (
            [
                "Push to branch main",
                "fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 403",
            ],
            "",
            [],
        ),
        (
            [
                "  Pushing commits to repo...",
                "  fatal: unable to access 'https://github.com/o/r/': The requested URL returned error: 403",
            ],
            "",
            [],
        ),
        (
            [
                "fatal: unable to access 'https://github.com/o/r/': The requested URL returned error: 403"
            ],
            "stefanzweifel/git-auto-commit-action@v5",
            [],
        ),
        # send-pack over HTTP/2, and git 1.x naming git-receive-pack.
        (
            ["error: RPC failed; HTTP 403 curl 22 The requested URL returned error: 403"],
            "git push origin main",
            [],
        ),
        (
            [
                "error: The requested URL returned error: 403 while accessing https://github.com/o/r.git/info/refs?service=git-receive-pack"
            ],
            "",
            [],
        ),
    ],
)
def test_git_push_403_needs_contents(lines: list[str], step: str, after: list[str]) -> None:
    assert request_need(lines, step, after) == {"scope": "contents", "access": "write"}


@pytest.mark.parametrize(
    ("lines", "step"),
    [
        # A clone or fetch refused: nothing says the job pushed.
        (
            [
                "fatal: unable to access 'https://github.com/o/private.git/': The requested URL returned error: 403"
            ],
            "actions/checkout@v4",
        ),
        (
            ["error: RPC failed; HTTP 403 curl 22 The requested URL returned error: 403"],
            "git fetch --unshallow",
        ),
        # Another identity's refusal: no scope of the job token lifts it.
        (
            [
                "remote: Permission to o/r.git denied to dependabot[bot].",
                "fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 403",
            ],
            "git push",
        ),
        # A 403 from another host is not GitHub's.
        (
            [
                "fatal: unable to access 'https://gitlab.com/o/r.git/': The requested URL returned error: 403"
            ],
            "git push",
        ),
    ],
)
def test_git_403_without_a_push_by_the_job_token_has_no_scope(lines: list[str], step: str) -> None:
    assert request_need(lines, step) == {}


def test_semantic_release_push_refused_with_the_job_token_needs_contents() -> None:
    # cycjimmy/semantic-release-action #33: the code, then the URL it pushed to.
    lines = [
        "[5:45:12 PM] [semantic-release] › ✖  EGITNOPERMISSION Cannot push to the Git repository."
    ]
    after = [
        "semantic-release cannot push the version tag to the branch main on the remote Git "
        "repository with URL https://x-access-token:[secure]@github.com/o/r."
    ]
    assert request_need(lines, "npx semantic-release", after) == {
        "scope": "contents",
        "access": "write",
    }


def test_semantic_release_push_refused_elsewhere_has_no_scope() -> None:
    # A GitLab token (semantic-release/semantic-release #2495): no GITHUB_TOKEN scope to grant.
    lines = ["  code: 'EGITNOPERMISSION',"]
    after = [
        "  details: '**semantic-release** cannot push the version tag to the branch `main` on "
        "the remote Git repository with URL `https://gitlab-ci-token:[secure]@gitlab.com/o/r.git`."
    ]
    assert request_need(lines, "semantic-release", after) == {}
