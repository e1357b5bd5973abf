import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from smartmon.model import Edit, Finding, Fix, IssueType, Severity
from smartmon.report import (
    HTML_REPORT,
    Delivery,
    FixRecord,
    IssueRecord,
    MonitorLog,
    WorkflowState,
)
from smartmon.report.html import MAX_MARKS, MAX_ROWS, render_html

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
QUOTE = '" onmouseover="alert(3)" x="'
BACKTICKS = "`" * 10_000
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "div", "b",
    "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "details", "summary", "a",
    "span", "ul", "li", "svg", "line", "rect", "text",
}  # fmt: skip


class Page(HTMLParser):
    """Every tag, attribute and piece of text of a page, as a browser's tokenizer sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def attrs(self, name: str) -> list[str]:
        return [a[name] or "" for _, a in self.tags if name in a]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=30)
        return self.now


def _finding(text: str, job: str = "test", step: str = "Run pytest", line: int = 1) -> Finding:
    return Finding(
        type=IssueType.MISSING_DEPENDENCY,
        severity=Severity.HIGH,
        auto_fixable=True,
        rule="python-module-not-found",
        job=job,
        step=step,
        line=line,
        text=text,
    )


def _hostile_report(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    log = MonitorLog(tmp_path, clock=Clock(), repository=f"octo/{SCRIPT}")
    log.record_iteration(
        workflows=[
            WorkflowState(
                name=f"CI {SCRIPT}",
                run_id=1,
                conclusion="failure",
                branch=f"feature/{IMG}",
                head_sha=QUOTE,
                url="javascript:alert(4)",
            )
        ],
        issues=[
            IssueRecord(
                finding=_finding(f"E   {SCRIPT} {IMG}", job=f"job {IMG}", step=f"step {QUOTE}"),
                workflow=f"wf {SCRIPT}",
                run_id=1,
            ),
            IssueRecord(finding=_finding(BACKTICKS, line=2), workflow="CI", run_id=1),
        ],
        fixes=[
            FixRecord(
                fix=Fix(
                    type=IssueType.MISSING_DEPENDENCY,
                    file=f"requirements{QUOTE}.txt",
                    description=f"commit message {SCRIPT}",
                    edits=(Edit(path="requirements.txt", content=b"x"),),
                ),
                applied=True,
                delivery=Delivery.PULL_REQUEST,
                workflow="CI",
                run_id=1,
                pr_url=f"https://github.com/o/r/pull/1{QUOTE}",
                patch=f"+{SCRIPT}\n",
            ),
            FixRecord(
                fix=Fix(type=IssueType.IMPORT_ERROR, file="a.py", description="d", reason=IMG),
                applied=False,
                pr_url="javascript:alert(5)",
            ),
            FixRecord(
                fix=Fix(type=IssueType.IMPORT_ERROR, file="b.py", description="d"),
                applied=True,
                delivery=Delivery.PULL_REQUEST,
                pr_url="javascript:alert(6)",
            ),
        ],
        errors=[f"error {SCRIPT}"],
    )
    final = log.finalize(f"signal {IMG}", 143)
    return (tmp_path / HTML_REPORT).read_text(encoding="utf-8"), final


def test_page_is_self_contained(tmp_path: Path) -> None:
    html, final = _hostile_report(tmp_path)
    assert html == render_html(final)
    page = Page(html)
    assert {t for t, _ in page.tags} <= ALLOWED_TAGS
    assert not page.attrs("src")
    assert "<link" not in html and "@import" not in html and "url(" not in html
    csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'"]


def test_untrusted_text_renders_inert(tmp_path: Path) -> None:
    html, _ = _hostile_report(tmp_path)
    page = Page(html)
    assert not [t for t, _ in page.tags if t in ("script", "img", "iframe", "object")]
    for _, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")], attrs
        assert set(attrs) <= {
            "lang", "charset", "http-equiv", "content", "name", "class", "href", "rel",
            "viewbox", "role", "aria-label", "x", "y", "x1", "y1", "x2", "y2", "width",
            "height", "stroke", "text-anchor",
        }, attrs  # fmt: skip
    # The only link is the pull request, with its quote kept inside the attribute value.
    assert page.attrs("href") == [f"https://github.com/o/r/pull/1{QUOTE}"]
    text = "".join(page.text)
    for payload in (SCRIPT, IMG, QUOTE, "javascript:alert(4)", "javascript:alert(6)"):
        assert payload in text  # shown as text, not dropped and not markup
    assert "javascript:alert(5)" not in html  # a fix never delivered shows its reason only
    assert "`" * 301 not in html
    assert "more characters" in text


def test_timeline_has_one_mark_per_iteration_colored_by_state(tmp_path: Path) -> None:
    log = MonitorLog(tmp_path, clock=Clock())
    failing = WorkflowState(name="CI", run_id=1, conclusion="failure")
    log.record_iteration(
        workflows=[failing],
        issues=[
            IssueRecord(finding=_finding("x", line=n), workflow="CI", run_id=1) for n in range(4)
        ],
    )
    log.record_iteration(
        workflows=[failing],
        fixes=[
            FixRecord(
                fix=Fix(type=IssueType.MISSING_DEPENDENCY, file="r.txt", description="d"),
                applied=True,
                delivery=Delivery.COMMIT,
                commit_sha="c" * 40,
            )
        ],
    )
    log.record_iteration(workflows=[WorkflowState(name="CI", run_id=3, conclusion=None)])
    log.record_iteration(workflows=[WorkflowState(name="CI", run_id=3, conclusion="success")])
    page = Page(log.finalize("all_passing", 0) and (tmp_path / HTML_REPORT).read_text())
    rects = [a for t, a in page.tags if t == "rect"]
    marks = [a["class"] for a in rects if (a.get("class") or "").startswith("s-")]
    assert marks == ["s-failures", "s-fixes_applied", "s-running", "s-all_passing"]
    bars = {a["class"]: float(a["height"] or 0) for a in rects if "bar" in (a.get("class") or "")}
    assert bars["bar-issues"] == 4 * bars["bar-fixes"]  # y axis: counts, 4 issues vs 1 fix
    assert "iteration 1: failures, 4 issues, 0 fixes" in "".join(page.text)


def _big_report(issues: int, iterations: int) -> dict[str, Any]:
    issue = {
        "id": "issue-1",
        "iteration": 1,
        "type": "missing_dependency",
        "severity": "high",
        "workflow": "CI",
        "job": "j" * 200,
        "step": "s" * 200,
        "line": 1,
        "text": "E" * 2000,
    }
    states = ["failures", "fixes_applied", "all_passing"]
    return {
        "repository": "o/r",
        "total_iterations": iterations,
        "iterations": [
            {"iteration": n, "state": states[n % 3], "issues_found": 1, "fixes_applied": n % 2}
            for n in range(1, iterations + 1)
        ],
        "issues": [dict(issue, id=f"issue-{n}") for n in range(issues)],
        "fixes": [
            {
                "id": f"fix-{n}",
                "type": "missing_dependency",
                "file": "f" * 500,
                "description": "d" * 2000,
                "applied": True,
                "delivery": "patch",
                "patch": "+" * 50_000,
            }
            for n in range(issues)
        ],
        "errors": [{"iteration": 1, "message": "m" * 1000}] * 5000,
    }


def test_page_stays_under_a_megabyte_with_ten_thousand_issues() -> None:
    html = render_html(_big_report(10_000, 10_000))
    assert len(html.encode()) < 1_000_000
    text = "".join(Page(html).text)
    assert f"{10_000 - MAX_ROWS} more issues not shown" in text
    assert f"{10_000 - MAX_ROWS} more fixes not shown" in text
    assert "4900 more errors not shown" in text
    marks = re.findall(r'class="s-', html)
    assert len(marks) <= MAX_MARKS
    assert "each mark covers 34 iterations" in text
    assert "patch in the JSON report" in text


def test_empty_report_renders() -> None:
    text = "".join(Page(render_html({})).text)
    assert "No iterations recorded." in text
    assert "No issues." in text and "No fixes." in text
    assert "n/a" in text
