"""The refused request read from each tool's log form -> the scope and access it needed."""

from __future__ import annotations

import pytest

from smartmon.diagnose.api_requests import request_need

_OCTOKIT = [
    "RequestError [HttpError]: Resource not accessible by integration",
    "    at /home/runner/work/_actions/actions/github-script/v7/dist/index.js:9537:21 {",
    "  status: 403,",
    "  response: {",
    "    url: 'https://api.github.com/repos/octo/app/pulls/3/reviews',",
    "    status: 403,",
    "  },",
    "  request: {",
    "    method: 'POST',",
    "    url: 'https://api.github.com/repos/octo/app/pulls/3/reviews',",
]

CASES = [
    (_OCTOKIT, {"scope": "pull-requests", "access": "write"}),
    (
        [
            "  status: 403,",
            "    'x-accepted-github-permissions': 'issues=write; pull_requests=write',",
        ],
        {"scope": "issues", "access": "write", "alternatives": "pull-requests"},
    ),
    (
        [
            "HTTP 403: Resource not accessible by integration (https://api.github.com/repos/o/r/releases)"
        ],
        {"scope": "contents", "access": "write"},
    ),
    (
        [
            'github.GithubException.GithubException: 403 {"message": "Resource not accessible by '
            'integration", "documentation_url": "https://docs.github.com/rest/reference/pulls#update-a-pull-request"}'
        ],
        {"scope": "pull-requests", "access": "write"},
    ),
    (
        [
            "curl -X PATCH https://api.github.com/repos/o/r/issues/4 -d '{}'",
            "curl: (22) The requested URL returned error: 403",
        ],
        {"scope": "issues", "access": "write"},
    ),
    (["> POST /repos/o/r/statuses/abc HTTP/2", "< HTTP/2 403"], {"scope": "statuses"}),
    (
        [
            "HTTP Status 403 for request POST https://api.github.com/repos/o/r/dependency-graph/snapshots"
        ],
        {"scope": "contents", "access": "write"},
    ),
    (["remote: Permission to o/r.git denied to github-actions[bot]."], {"scope": "contents"}),
    (["remote: Write access to repository not granted."], {"scope": "contents"}),
    (
        ["ERROR: denied: installation not allowed to Create organization package"],
        {"scope": "packages"},
    ),
    (
        ["Error: codeql/upload-sarif action failed: Resource not accessible by integration"],
        {"scope": "security-events"},
    ),
    (
        ["Error: Error message: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable"],
        {"scope": "id-token", "access": "write"},
    ),
    (["ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset"], {"scope": "id-token"}),
    (
        [
            "Run actions/deploy-pages@v4",
            'Error: Failed to create deployment (status: 403). Ensure GITHUB_TOKEN has permission "pages: write".',
        ],
        {"scope": "pages", "also": "id-token"},
    ),
    (
        [
            "    at getIDToken (/home/runner/work/_actions/actions/deploy-pages/v4/oidc-utils.js:1)",
            'Error: Ensure GITHUB_TOKEN has permission "id-token: write".',
        ],
        {"scope": "id-token", "also": "pages"},
    ),
]


@pytest.mark.parametrize(("lines", "expected"), CASES)
def test_each_log_form_names_its_scope(lines: list[str], expected: dict[str, str]) -> None:
    found = request_need(lines)
    assert {k: found.get(k) for k in expected} == expected, found


def test_nothing_known_is_nothing() -> None:
    assert request_need(["Error: Resource not accessible by integration"]) == {}
    assert request_need(["Run make test", "exit 2"]) == {}


def test_a_body_printed_below_links_its_docs() -> None:
    # BigWigsMods/packager #171: the body pretty-printed, its docs link under the message line.
    before = [
        "Updating GitHub release: https://github.com/o/r/releases/tag/1.0",
        "Error! (403)",
        "{",
    ]
    text = '  "message": "Resource not accessible by integration",'
    after = [
        '  "documentation_url": "https://docs.github.com/rest/releases/releases#update-a-release",',
        '  "status": "403"',
        "}",
        "",
        '  "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue",',
    ]
    assert request_need([*before, text], "Run o/packager@v2", after) == {
        "scope": "contents",
        "access": "write",
    }
    assert request_need([*before, text]) == {}
