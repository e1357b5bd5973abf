"""Hostile job, step and branch names, commit messages, log lines and fix texts in the job summary
and the HTML report: rendered (by a CommonMark + tables renderer with raw HTML on, as GitHub's
summary allows it) they come out as text: no element, link or image of theirs, no broken table."""

from __future__ import annotations

import dataclasses
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from smartmon.action.runtime import Runtime
from smartmon.diagnose.analysis import Analysis, JobSummary
from smartmon.heal.pipeline import HealResult
from smartmon.heal.summary import render as render_summary
from smartmon.model import Edit, Finding, Fix, IssueType, Severity
from smartmon.report.html import render_html
from smartmon.report.render import code_span, escape_markdown, render_markdown

TOKEN = (
    "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU"
)
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![pixel](https://evil.example/p.png)",
    "[login](https://evil.example/login)",
    "<https://evil.example/auto>",
    "a | b | c |",
    "`" * 10_000,
    "*bold* _em_ ~~gone~~ # heading \\| \\",
    "<!-- open comment",
    "</code></td></tr></table><h1>owned</h1>",
    "&lt;script&gt; &#60;b&#62;",
    "\x1b]0;title\x07\x1b[31mred\x1b[0m",
    "::set-env name=A::b ##[set-output name=x]y",
    "token " + TOKEN,
]
ALL = " ".join(HOSTILE)


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


class _Elements(HTMLParser):
    """Tags, links and images in rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [v or "" for k, v in attrs if k in ("href", "src")]
        self.attrs += [k for k, _ in attrs]

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def _assert_inert_html(html: str, allowed_tags: set[str], allowed_hosts: tuple[str, ...]) -> None:
    found = _elements(html)
    assert set(found.tags) <= allowed_tags, set(found.tags) - allowed_tags
    for href in found.hrefs:
        assert href.startswith(allowed_hosts), href
    assert "evil.example" not in " ".join(found.hrefs)
    assert not [a for a in found.attrs if a.startswith("on")]
    assert "\x1b" not in html and "\x07" not in html
    assert TOKEN not in html


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_code_span_and_escape_markdown_render_as_the_text_itself(text: str) -> None:
    md = _md()
    for cell in (code_span(text, limit=20_000), escape_markdown(text)):
        html = md.render(f"| a | b |\n|---|---|\n| {cell} | x |\n")
        found = _elements(html)
        assert set(found.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "code", "p"}
        assert found.hrefs == []
        assert html.count("<td>") == 2, html  # the row keeps its two cells


def _finding(**kw: str) -> Finding:
    return Finding(
        type=IssueType.MISSING_DEPENDENCY,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule="python-module-not-found",
        job=kw.get("job", ALL),
        step=kw.get("step", ALL),
        line=7,
        text=kw.get("text", "ModuleNotFoundError: No module named 'yaml' " + ALL),
        data={"module": "yaml", "file": "../../etc/passwd"},
        step_number=2,
        step_line=5,
        context=tuple(HOSTILE),
    )


def _result() -> HealResult:
    analysis = Analysis(
        findings=(_finding(), _finding(job="build", step="Run x", text="`" * 10_000)),
        notices=(_finding(text=ALL),),
        jobs=(JobSummary(ALL, "failure", 9, "job.txt"),),
        errors=(ALL,),
    )
    patch = (
        "diff --git a/requirements.txt b/requirements.txt\n--- a/requirements.txt\n"
        "+++ b/requirements.txt\n@@ -1 +1,2 @@\n requests\n+PyYAML\n"
        + "".join(f"+# {h}\n" for h in HOSTILE)
    )
    fix = Fix(
        type=IssueType.MISSING_DEPENDENCY,
        file="requirements.txt " + ALL,
        description="add " + ALL,
        edits=(Edit(path="requirements.txt", content=b"x"),),
    )
    refused = Fix(
        type=IssueType.MISSING_DEPENDENCY, file="", description=ALL, reason="refused: " + ALL
    )
    return HealResult(
        run_id=42,
        skipped=None,
        analysis=analysis,
        fixes=((fix, True), (refused, False)),
        delivery="pull-request",
        commit_sha=None,
        pull_request_url="javascript:alert(1)//" + ALL,
        patch=patch,
        rerun_attempt=None,
        verification="unverified: " + ALL,
        verification_run_id=None,
        secrets_created=(ALL,),
        secrets_missing=(ALL,),
        next_steps=(ALL,),
        run={"head_branch": ALL, "display_title": ALL, "head_commit": {"message": ALL}},
        job_ids={ALL: 5},
        notes=(ALL,),
    )


def _table_rows(markdown: str) -> list[str]:
    return [ln for ln in markdown.splitlines() if ln.startswith("| ") and "---" not in ln]


def test_heal_summary_renders_hostile_values_as_text() -> None:
    summary = render_summary(_result(), server_url="https://github.com", repo="octo/app")
    assert TOKEN not in summary and "\x1b" not in summary
    for row in _table_rows(summary):
        assert len(re.split(r"(?<!\\)\|", row)) == 8, row[:200]
    html = _md().render(summary)
    allowed = {"h2", "h3", "p", "ul", "li", "strong", "table", "thead", "tbody", "tr", "th", "td"}
    _assert_inert_html(html, allowed | {"a", "code", "pre"}, ("https://github.com/octo/app/",))
    # The diff's fence outlasts every backtick run inside it: one <pre>, the patch whole inside.
    assert html.count("<pre>") == 1
    pre = html[html.index("<pre>") : html.index("</pre>")]
    assert "+PyYAML" in pre and "&lt;script&gt;" in pre
    # Every table cell's text is there, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in " ".join(_elements(html).hrefs)


def test_analyze_markdown_renders_hostile_values_as_text() -> None:
    result = _result()
    assert result.analysis is not None
    markdown = render_markdown(
        result.analysis, log_url="https://github.com/o/r/actions/runs/1/job/2"
    )
    for row in _table_rows(markdown):
        assert len(re.split(r"(?<!\\)\|", row)) == 8, row[:200]
    html = _md().render(markdown)
    allowed = {"h2", "h3", "p", "ul", "li", "strong", "table", "thead", "tbody", "tr", "th", "td"}
    _assert_inert_html(html, allowed | {"a", "code"}, ("https://github.com/o/r/",))


def _report() -> dict[str, object]:
    item = {
        "id": ALL,
        "iteration": 1,
        "type": ALL,
        "severity": ALL,
        "workflow": ALL,
        "job": ALL,
        "step": ALL,
        "line": 3,
        "text": ALL,
    }
    return {
        "repository": ALL,
        "monitoring_started": ALL,
        "monitoring_ended": ALL,
        "stop_reason": "token " + TOKEN,
        "total_iterations": 1,
        "success_rate": 0.5,
        "success_rate_basis": {"definition": ALL},
        "workflows": [
            {
                "name": ALL,
                "conclusion": ALL,
                "run_id": ALL,
                "url": "javascript:alert(1)",
                "branch": ALL,
                "head_sha": ALL,
            },
            {
                "name": "ok",
                "conclusion": "success",
                "run_id": 9,
                "branch": "main",
                "url": 'https://github.com/o/r/actions/runs/9" onmouseover="alert(1)',
            },
        ],
        "iterations": [{"iteration": 1, "state": ALL, "issues_found": 1, "fixes_applied": 1}],
        "issues": [item],
        "fixes": [
            {
                "id": ALL,
                "type": ALL,
                "file": ALL,
                "description": ALL,
                "applied": True,
                "delivery": ALL,
                "commit_sha": ALL,
                "pr_url": " https://evil.example/x",
                "patch": ALL,
                "verified_by_run": ALL,
            },
            {"id": "f2", "applied": False, "reason": ALL},
            {"id": "f3", "applied": True, "delivery": "commit", "patch": f"+TOKEN={TOKEN}\n"},
        ],
        "reruns": [{"id": ALL, "workflow": ALL, "run_id": ALL, "reason": ALL}],
        "errors": [{"iteration": 1, "message": ALL}],
    }


def test_html_report_renders_hostile_values_as_text() -> None:
    html = render_html(_report())
    found = _elements(html)
    assert "script" not in found.tags and "img" not in found.tags and "h1" in found.tags
    assert found.tags.count("h1") == 1  # ours; the injected one is text
    for href in found.hrefs:
        assert href.startswith("https://github.com/o/r/actions/runs/9"), href
    assert "javascript:" not in " ".join(found.hrefs) and "evil.example" not in " ".join(
        found.hrefs
    )
    assert not [a for a in found.attrs if a.startswith("on")]  # no event handler got in
    assert "\x1b" not in html and "\x07" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert TOKEN not in html and TOKEN[:24] not in html  # masked, even where a cell is cut


def test_the_runtime_masks_secrets_in_their_escaped_forms_too(tmp_path: Path) -> None:
    """The summary escapes before the runtime redacts: `p_w*rd` is `p\\_w\\*rd` in a cell and
    `p&#95;w&#42;rd` in code; neither form of a secret given to smartmon may reach the file."""
    secret = "pa_ss*wo[rd]|" + "x" * 8
    result = dataclasses.replace(
        _result(), next_steps=(f"use {secret}",), notes=(secret,), verification=secret
    )
    assert result.analysis is not None
    analysis = dataclasses.replace(
        result.analysis, findings=(_finding(job=secret, step=secret, text=f"x {secret} y"),)
    )
    result = dataclasses.replace(result, analysis=analysis)
    summary = tmp_path / "summary.md"
    rt = Runtime(env={"GITHUB_STEP_SUMMARY": str(summary)}, out=io.StringIO(), secrets=[secret])
    assert rt.append_summary(render_summary(result, server_url="https://github.com", repo="o/r"))
    text = summary.read_text()
    rendered = _md().render(text)
    assert "pa_ss" not in rendered and "pa&#95;ss" not in text and "pa\\_ss" not in text
    assert "wo[rd]" not in rendered and "***" in text
