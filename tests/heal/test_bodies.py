"""The comment, tracking-issue and hand-off bodies render through a GitHub-flavoured Markdown
renderer (cmarkgfm) with no HTML from the log and no table broken by a hostile job name."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from types import MappingProxyType
from typing import Any

import cmarkgfm
from cmarkgfm.cmark import Options

from smartmon.diagnose import Analysis
from smartmon.heal import HealResult, render_handoff
from smartmon.heal.pr_comment import MARKER, merge, render_section, wanted
from smartmon.heal.tracking_issue import _body, _row, _rows
from smartmon.model import Finding, Fix, IssueType, Severity

SERVER, REPO = "https://github.example", "octo/app"
HOSTILE_JOB = "test | <img src=x onerror=alert(1)> | [x](javascript:alert(1)) `"
HOSTILE_STEP = "<script>alert(1)</script> ![i](https://evil.example/p.png) |"
HOSTILE_LINE = "E   AssertionError: <b>bold</b> | `tick` **star** <!-- smartmon:end 7 -->"
ALLOWED = {
    "a", "blockquote", "code", "details", "h2", "h3", "li", "p", "pre", "strong", "summary",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _html(markdown: str) -> str:
    # UNSAFE passes raw HTML through, as GitHub does before its sanitizer: anything from the log
    # that survived escaping would show here as a tag.
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def _check(markdown: str) -> str:
    html = _html(markdown)
    parser = _Tags()
    parser.feed(html)
    tags = {tag for tag, _ in parser.tags}
    assert tags <= ALLOWED, tags - ALLOWED
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert name in ("href", "align", "lang"), (tag, name)
            assert not (value or "").startswith("javascript"), value
    assert all(c.strip().startswith("smartmon:") for c in parser.comments), parser.comments
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        widths = {
            len(re.findall(r"<t[hd][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)
        }
        assert len(widths) == 1, widths  # every row has the header's cells
    return html


def _result(**kw: Any) -> HealResult:
    finding = Finding(
        type=IssueType.TEST_FAILURE,
        severity=Severity.MEDIUM,
        auto_fixable=False,
        rule="pytest-failed",
        job=HOSTILE_JOB,
        step=HOSTILE_STEP,
        line=42,
        text=HOSTILE_LINE,
        data={"file": "tests/<x>.py", "line": "3", "command": "pytest -q ```"},
        step_number=3,
        step_line=12,
        context=("collected 3 items", "<iframe src=//evil>"),
    )
    run = {
        "id": 99,
        "workflow_id": 7,
        "name": "CI | <b>",
        "path": ".github/workflows/ci.yml",
        "head_sha": "a" * 40,
        "head_branch": "main",
        "run_attempt": 2,
        "conclusion": "failure",
        "created_at": "2026-01-01T00:00:00Z",
    }
    fix = Fix(type=IssueType.TEST_FAILURE, file="t.py", description="x", reason="<no> fix |")
    base: dict[str, Any] = {
        "run_id": 99,
        "skipped": None,
        "analysis": Analysis(findings=(finding,), notices=(), jobs=()),
        "fixes": ((fix, False),),
        "delivery": "patch",
        "commit_sha": None,
        "pull_request_url": None,
        "patch": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-<script>\n+</details> ```` <img>\n",
        "rerun_attempt": None,
        "verification": "not needed",
        "verification_run_id": None,
        "secrets_created": (),
        "secrets_missing": (),
        "next_steps": ("read <the> | log",),
        "run": MappingProxyType(run),
        "job_ids": {HOSTILE_JOB: 555},
        "opted_out": "the pull request has the label smartmon:skip",
    }
    return HealResult(**(base | kw))


def test_the_comment_renders_without_html_from_the_log() -> None:
    result = _result()
    body = merge(None, render_section(result, server_url=SERVER, repo=REPO), head="## smartmon")
    assert body.startswith(MARKER)
    html = _check(body)
    assert f"{SERVER}/{REPO}/actions/runs/99/job/555#step:3:12" in html  # the exact log line
    assert "<details>" in html and "&lt;script&gt;" in html  # the patch, as text, collapsed
    assert "Report only" in html


def test_a_second_section_replaces_only_its_own_workflow() -> None:
    one = render_section(_result(), server_url=SERVER, repo=REPO)
    other = _result(run=MappingProxyType({**_result().run, "workflow_id": 8, "name": "Lint"}))
    body = merge(None, one, head="h")
    body = merge(body, render_section(other, server_url=SERVER, repo=REPO), head="h")
    body = merge(body, render_section(_result(run_id=100), server_url=SERVER, repo=REPO), head="h")
    assert body.count("<!-- smartmon:workflow 7 -->") == 1
    assert body.count("<!-- smartmon:workflow 8 -->") == 1
    assert "run [100]" in body and "run [99]" in body  # 99 is Lint's (workflow 8)
    _check(body)


def test_the_tracking_issue_renders_and_keeps_its_rows() -> None:
    first = _result()
    rows = [_row(first, SERVER, REPO)]
    body = _body(first, rows, server_url=SERVER, repo=REPO)
    _check(body)
    second = _result(run_id=100)
    rows = [_row(second, SERVER, REPO), *_rows(body)]
    body = _body(second, rows, server_url=SERVER, repo=REPO)
    _check(body)
    assert len(_rows(body)) == 2
    assert body.index("[100](") < body.index("[99](")


def test_the_handoff_is_a_small_work_order_with_the_facts() -> None:
    text = render_handoff(_result(), repo=REPO, run_url=f"{SERVER}/{REPO}/actions/runs/99")
    assert "## Fix the test_failure" in text and "pytest -q ```" in text
    assert "    42 > " in text and "tests/&lt;x&gt;.py:3" in text and "&lt;no&gt; fix" in text
    assert "<iframe src=//evil>" in text  # inside the fenced excerpt, verbatim
    assert len(text) < 6_500
    _check(text)


def test_no_handoff_when_everything_was_fixed() -> None:
    fix = Fix(type=IssueType.TEST_FAILURE, file="t.py", description="x", edits=())
    result = _result(fixes=((fix, True),), delivery="commit")
    assert render_handoff(result, repo=REPO, run_url="u") == ""


def test_the_comment_stays_under_githubs_limit() -> None:
    big = "+" + "x" * 99 + "\n"
    body = None
    for wid in range(1, 6):  # five workflows, each with a large patch
        run = MappingProxyType({**_result().run, "workflow_id": wid})
        section = render_section(_result(run=run, patch=big * 400), server_url=SERVER, repo=REPO)
        body = merge(body, section, head="h")
    assert len(body) <= 60_000
    assert "<!-- smartmon:workflow 5 -->" in body  # the newest section is always kept


def test_comment_modes() -> None:
    quiet = _result(analysis=Analysis(findings=(), notices=(), jobs=()), delivery="none")
    quiet = HealResult(**{**quiet.__dict__, "opted_out": None})
    assert not wanted(quiet, "auto") and wanted(quiet, "always") and not wanted(_result(), "never")
    assert wanted(_result(), "auto")
    skipped = HealResult(**{**quiet.__dict__, "skipped": "run 1 did not fail"})
    assert not wanted(skipped, "auto")
