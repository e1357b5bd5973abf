"""The final monitoring report as one self-contained HTML page: summary, SVG timeline, tables.

No scripts, no external styles, fonts or images; a Content-Security-Policy forbids them anyway.
Every value is escaped with html.escape(quote=True) after terminal controls are stripped and
token shapes masked; long values are cut, and long tables end with "N more" so the page stays
small (< 1 MB).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import urlsplit

from smartmon.redact import redact
from smartmon.report.render import strip_controls

MAX_ROWS = 300
MAX_CELL = 300
MAX_PATCH = 4_000
MAX_PATCHES_TOTAL = 100_000
MAX_MARKS = 300
MAX_ERRORS = 100

_STATE_LABEL = {
    "all_passing": "all passing",
    "failures": "failures",
    "fixes_applied": "fixes applied",
    "running": "running",
}
_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;
padding:0 1em;color:#1f2328;background:#fff}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em}
.sub{color:#59636e;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0}
.card{border:1px solid #d1d9e0;border-radius:6px;padding:.5em .9em;min-width:8em}
.card b{display:block;font-size:1.4em}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #d1d9e0;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.text{word-break:break-all}
code,pre{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;
word-break:break-all}
pre{background:#f6f8fa;padding:.5em;max-height:20em;overflow:auto}
.more{color:#59636e;font-style:italic}
.ok{color:#1a7f37}.bad{color:#d1242f}
svg{width:100%;height:auto;border:1px solid #d1d9e0;border-radius:6px}
svg text{font:11px sans-serif;fill:#59636e}
.s-all_passing{fill:#2da44e}.s-failures{fill:#d1242f}.s-fixes_applied{fill:#0969da}
.s-running{fill:#bf8700}.s-unknown{fill:#8c959f}.bar-issues{fill:#fa8c8c}.bar-fixes{fill:#54aeff}
.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em;border-radius:2px}
.legend .all_passing{background:#2da44e}.legend .failures{background:#d1242f}
.legend .fixes_applied{background:#0969da}.legend .issues{background:#fa8c8c}
.legend .fixes{background:#54aeff}.legend .running{background:#bf8700}
"""


def render_html(report: Mapping[str, Any]) -> str:
    """The page for a final report (as written by MonitorLog.finalize)."""
    title = "smartmon monitoring report"
    repo = str(report.get("repository") or "")
    if repo:
        title += f": {repo}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title><style>{_CSS}</style></head><body>",
        _summary(report, title),
        _workflows(_list(report.get("workflows"))),
        _timeline(_list(report.get("iterations"))),
        _issues(_list(report.get("issues"))),
        _fixes(_list(report.get("fixes"))),
        _reruns(_list(report.get("reruns"))),
        _errors(_list(report.get("errors"))),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _text(value: Any, limit: int = MAX_CELL) -> str:
    # Reports are redacted when written; masking token shapes again costs little and covers a
    # report edited or merged by hand (the page is the file people pass around).
    text = redact(strip_controls("" if value is None else str(value)))
    if len(text) > limit:
        text = text[:limit] + f"… ({len(text) - limit} more characters)"
    return escape(text, quote=True)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _link(url: Any, label: str) -> str:
    """An http(s) link, or the escaped text of anything else (javascript:, data:, …)."""
    text = strip_controls(str(url or ""))
    try:
        parts = urlsplit(text)
    except ValueError:
        return _text(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and text == text.strip():
        return f'<a href="{escape(text, quote=True)}" rel="noopener noreferrer">{label}</a>'
    return _text(text)


def _summary(report: Mapping[str, Any], title: str) -> str:
    rate = report.get("success_rate_value", report.get("success_rate"))
    rate_text = f"{rate * 100:.1f}%" if isinstance(rate, int | float) else "n/a"
    exit_code = report.get("exit_code")
    cards = [
        ("iterations", _int(report.get("total_iterations"))),
        ("issues found", _int(report.get("total_issues_found"))),
        ("fixes applied", _int(report.get("total_fixes_applied"))),
        ("reruns", _int(report.get("total_reruns"))),
        ("success rate", rate_text),
        ("exit code", "n/a" if exit_code is None else exit_code),
    ]
    basis = report.get("success_rate_basis")
    basis_text = ""
    if isinstance(basis, Mapping):
        basis_text = (
            f'<p class="sub">Success rate: {_text(basis.get("definition"))} '
            f"({_int(basis.get('verified_fixes'))} verified fixes, "
            f"{_int(basis.get('verified_reruns'))} verified reruns, "
            f"{_int(basis.get('healable_issues'))} healable issues).</p>"
        )
    return "\n".join(
        [
            f"<header><h1>{_text(title)}</h1>",
            f'<p class="sub">From {_text(report.get("monitoring_started"))} to '
            f"{_text(report.get('monitoring_ended'))}; stopped: "
            f"{_text(report.get('stop_reason') or 'n/a')}.</p>",
            '<div class="cards">'
            + "".join(f'<div class="card"><b>{_text(v)}</b>{_text(k)}</div>' for k, v in cards)
            + "</div>",
            basis_text,
            "</header>",
        ]
    )


def _table(headers: Sequence[str], rows: list[list[str]], total: int, noun: str) -> str:
    if not total:
        return f'<p class="more">No {noun}.</p>'
    out = ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in headers) + "</tr></thead>"]
    out.append("<tbody>")
    out.extend("<tr>" + "".join(row) + "</tr>" for row in rows)
    out.append("</tbody></table>")
    if total > len(rows):
        out.append(
            f'<p class="more">{total - len(rows)} more {noun} not shown; '
            "the JSON report lists all of them.</p>"
        )
    return "\n".join(out)


def _workflows(items: list[Mapping[str, Any]]) -> str:
    rows = []
    for w in items[:MAX_ROWS]:
        conclusion = w.get("conclusion")
        css = "ok" if conclusion == "success" else "bad"
        run = (
            _link(w.get("url"), _text(w.get("run_id"))) if w.get("url") else _text(w.get("run_id"))
        )
        rows.append(
            [
                f"<td>{_text(w.get('name'))}</td>",
                f'<td class="{css}">{_text(conclusion or "running / none")}</td>',
                f"<td>{_int(w.get('consecutive_passes'))}</td>",
                f"<td>{run}</td>",
                f"<td>{_text(w.get('branch'))}</td>",
                f"<td><code>{_text(str(w.get('head_sha') or '')[:12])}</code></td>",
            ]
        )
    headers = ["workflow", "conclusion", "passes in a row", "run", "branch", "commit"]
    return "<h2>Workflows</h2>\n" + _table(headers, rows, len(items), "workflows")


def _timeline(iterations: list[Mapping[str, Any]]) -> str:
    """Bars of issues and fixes per iteration over a row of marks colored by the iteration's state."""
    head = "<h2>Timeline</h2>"
    if not iterations:
        return head + '\n<p class="more">No iterations recorded.</p>'
    size = math.ceil(len(iterations) / MAX_MARKS)
    buckets = [iterations[i : i + size] for i in range(0, len(iterations), size)]
    width, height, left, right, top, bottom = 960, 240, 44, 12, 14, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    issues = [sum(_int(it.get("issues_found")) for it in b) for b in buckets]
    fixes = [sum(_int(it.get("fixes_applied")) for it in b) for b in buckets]
    peak = max([1, *issues, *fixes])
    step = plot_w / len(buckets)
    bar = max(step * 0.4, 0.5)
    base = top + plot_h
    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="iterations timeline">',
        f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#8c959f"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" stroke="#8c959f"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{base}" text-anchor="end">0</text>',
    ]
    for index, bucket in enumerate(buckets):
        x = left + index * step
        first, last = _int(bucket[0].get("iteration")), _int(bucket[-1].get("iteration"))
        label = f"iteration {first}" if first == last else f"iterations {first}–{last}"
        state = _worst(bucket)
        tip = (
            f"{label}: {_STATE_LABEL.get(state, state)}, {issues[index]} issues, "
            f"{fixes[index]} fixes"
        )
        for kind, count, offset in (("issues", issues[index], 0.0), ("fixes", fixes[index], bar)):
            if count:
                h = count / peak * plot_h
                out.append(
                    f'<rect class="bar-{kind}" x="{x + step * 0.1 + offset:.1f}" '
                    f'y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}"/>'
                )
        out.append(
            f'<rect class="s-{state}" x="{x + step * 0.1:.1f}" y="{base + 6}" '
            f'width="{max(step * 0.8, 0.5):.1f}" height="10"><title>{_text(tip)}</title></rect>'
        )
    first_it = _int(buckets[0][0].get("iteration"))
    last_it = _int(buckets[-1][-1].get("iteration"))
    out.append(f'<text x="{left}" y="{height - 8}">iteration {first_it}</text>')
    out.append(
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end">iteration {last_it}</text>'
    )
    out.append("</svg>")
    legend = (
        '<p class="legend">State:<span class="all_passing"></span>all passing'
        '<span class="failures"></span>failures<span class="fixes_applied"></span>fixes applied'
        '<span class="running"></span>running'
        ' — bars:<span class="issues"></span>issues found<span class="fixes"></span>fixes applied'
    )
    if size > 1:
        legend += f" (each mark covers {size} iterations)"
    return "\n".join([head, *out, legend + "</p>"])


def _verified(run: Any) -> str:
    return "not yet" if run is None else f"run {_text(run)}"


def _worst(bucket: Sequence[Mapping[str, Any]]) -> str:
    states = {str(it.get("state")) for it in bucket}
    for state in ("fixes_applied", "failures", "running", "all_passing"):
        if state in states:
            return state
    return "unknown"


def _issues(items: list[Mapping[str, Any]]) -> str:
    rows = [
        [
            f"<td>{_text(i.get('id'))}</td>",
            f"<td>{_int(i.get('iteration'))}</td>",
            f"<td>{_text(i.get('type'))}</td>",
            f"<td>{_text(i.get('severity'))}</td>",
            f"<td>{_text(i.get('workflow'))}</td>",
            f"<td>{_text(i.get('job'))}</td>",
            f"<td>{_text(i.get('step'))}</td>",
            f"<td>{_int(i.get('line'))}</td>",
            f'<td class="text"><code>{_text(i.get("text"))}</code></td>',
        ]
        for i in items[:MAX_ROWS]
    ]
    headers = ["id", "iteration", "type", "severity", "workflow", "job", "step", "line", "text"]
    return "<h2>Issues</h2>\n" + _table(headers, rows, len(items), "issues")


def _fixes(items: list[Mapping[str, Any]]) -> str:
    budget = MAX_PATCHES_TOTAL
    rows = []
    for f in items[:MAX_ROWS]:
        delivered, budget = _delivery(f, budget)
        rows.append(
            [
                f"<td>{_text(f.get('id'))}</td>",
                f"<td>{_text(f.get('type'))}</td>",
                f"<td>{_text(f.get('file'))}</td>",
                f'<td class="text">{_text(f.get("description"))}</td>',
                f"<td>{delivered}</td>",
                f"<td>{_verified(f.get('verified_by_run'))}</td>",
            ]
        )
    headers = ["id", "type", "file", "description", "delivered", "verified by"]
    return "<h2>Fixes</h2>\n" + _table(headers, rows, len(items), "fixes")


def _delivery(fix: Mapping[str, Any], budget: int) -> tuple[str, int]:
    how = str(fix.get("delivery") or "none")
    if not fix.get("applied") or how == "none":
        return f"not delivered: {_text(fix.get('reason') or 'planned only')}", budget
    parts = [_text(how.replace("_", " "))]
    if fix.get("commit_sha"):
        parts.append(f"<code>{_text(str(fix['commit_sha'])[:12])}</code>")
    if fix.get("pr_url"):
        parts.append(_link(fix["pr_url"], "pull request"))
    patch = fix.get("patch")
    if isinstance(patch, str) and patch:
        if budget > 0:
            cut = min(MAX_PATCH, budget)
            budget -= cut
            parts.append(
                f"<details><summary>patch</summary><pre>{_text(patch, cut)}</pre></details>"
            )
        else:
            parts.append('<span class="more">patch in the JSON report</span>')
    return " ".join(parts), budget


def _reruns(items: list[Mapping[str, Any]]) -> str:
    if not items:
        return ""
    rows = [
        [
            f"<td>{_text(r.get('id'))}</td>",
            f"<td>{_text(r.get('workflow'))}</td>",
            f"<td>{_text(r.get('run_id'))}</td>",
            f"<td>{_text(r.get('reason'))}</td>",
            f"<td>{_verified(r.get('verified_by_run'))}</td>",
        ]
        for r in items[:MAX_ROWS]
    ]
    headers = ["id", "workflow", "run", "reason", "verified by"]
    return "<h2>Reruns</h2>\n" + _table(headers, rows, len(items), "reruns")


def _errors(items: list[Mapping[str, Any]]) -> str:
    if not items:
        return ""
    out = ["<h2>Errors</h2>", "<ul>"]
    out.extend(
        f"<li>iteration {_int(e.get('iteration'))}: <code>{_text(e.get('message'))}</code></li>"
        for e in items[:MAX_ERRORS]
    )
    out.append("</ul>")
    if len(items) > MAX_ERRORS:
        out.append(f'<p class="more">{len(items) - MAX_ERRORS} more errors not shown.</p>')
    return "\n".join(out)
