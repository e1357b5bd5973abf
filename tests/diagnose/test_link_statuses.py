"""markdown-link-check's dead links are a network failure only where every row it lists is a 429
(rate-limited) or a 0 (no answer); one 404 or 5xx among them is a dead link (the rule check
`dead-links-all-refused`, diagnose/link_statuses.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_job_finding, run_step


def _check(*rows: tuple[str, str]) -> list[str]:
    """A markdown-link-check run whose file lists `rows` (url, status) as dead."""
    body = ["FILE: docs/guide.md"]
    body += [f"[✖] {url}" for url, _ in rows]
    body += ["", f"{len(rows) + 3} links checked.", "", f"ERROR: {len(rows)} dead links found!"]
    body += [f"[✖] {url} → Status: {status}" for url, status in rows]
    return [*run_step("markdown-link-check docs/guide.md", *body), FAILED]


@pytest.mark.parametrize(
    "rows",
    [
        [("https://github.com/acme/widget/blob/main/app.py", "429")],
        [
            ("https://github.com/acme/widget/blob/main/app.py", "429"),
            ("https://www.example.org/model/909352-stand", "0"),
        ],
    ],
)
def test_rate_limited_rows_are_the_network(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    assert_job_finding(tmp_path, _check(*rows), "network_error", {"host": "github.com"})


@pytest.mark.parametrize(
    "rows",
    [
        [
            ("https://github.com/acme/widget/blob/main/app.py", "429"),
            ("https://github.com/acme/widget/blob/master/Dangerfile", "404"),
        ],
        [
            ("https://blog.example.org/post/chaos", "503"),
            ("https://github.com/acme/widget/blob/main/app.py", "429"),
        ],
        [("https://www.example.org/model/909352-stand", "0")],
    ],
)
def test_a_dead_page_among_them_is_a_dead_link(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    assert_job_finding(tmp_path, _check(*rows), "lint_failure", {"tool": "markdown-link-check"})


def test_a_row_with_no_status_is_a_dead_link(tmp_path: Path) -> None:
    body = [
        "FILE: ./docs/guide.md",
        "[✖] ./setup.md",
        "[✖] https://www.reddit.com/r/acme/ → Status: 429",
        "",
        "12 links checked.",
        "",
        "ERROR: 2 dead links found!",
        "[✖] ./setup.md",
        "[✖] https://www.reddit.com/r/acme/ → Status: 429",
    ]
    lines = [*run_step("markdown-link-check docs/guide.md", *body), FAILED]
    assert_job_finding(tmp_path, lines, "lint_failure", {"tool": "markdown-link-check"})


def test_verbose_live_rows_do_not_count(tmp_path: Path) -> None:
    url = "https://github.com/acme/widget/blob/main/app.py"
    body = [
        "FILE: ./README.md",
        "[✓] https://github.com/acme/widget → Status: 200",
        "[✓] https://docs.acme.dev → Status: 200",
        f"[✖] {url} → Status: 429",
        "",
        "3 links checked.",
        "",
        "ERROR: 1 dead links found!",
        f"[✖] {url} → Status: 429",
    ]
    lines = [*run_step("markdown-link-check README.md", *body), FAILED]
    assert_job_finding(tmp_path, lines, "network_error", {"host": "github.com"})
