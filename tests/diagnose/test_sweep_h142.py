"""Verdicts the release and publish sampled batch (h142) relies on: a publish command whose failure
`|| echo "…"` threw away (diagnose.swallowed), in a downloaded step and in a paste that kept only
the step's title.

Texts are the tools' real formats with names changed; the threads are named in the module's
docstring and the tuning cases.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_finding, run_step, write_job

_E404 = [
    "npm error code E404",
    "npm error 404 Not Found - PUT https://registry.npmjs.org/@acme%2fwidget - Not found",
    "npm error 404 '@acme/widget@1.16.0' is not in this registry.",
]
_PASTED_TITLE = 'Run npm publish --access public || echo "⏭️ widget already published"'


def test_an_echoed_publish_failure_in_a_downloaded_step_is_no_failure(tmp_path: Path) -> None:
    lines = [
        *run_step('npm publish --access public || echo "already published"', *_E404),
        "already published",
    ]
    assert not analyze_paths([write_job(tmp_path, lines)]).findings


def test_a_pasted_title_whose_echo_printed_is_no_failure(tmp_path: Path) -> None:
    # cyberlife-coder/VelesDB PR #973: the step stayed green while nothing was published.
    assert_finding(tmp_path, [_PASTED_TITLE, *_E404, "⏭️ widget already published"], None, {})


def test_a_pasted_title_whose_echo_did_not_print_keeps_the_failure(tmp_path: Path) -> None:
    lines = [_PASTED_TITLE, *_E404, "Error: Process completed with exit code 1."]
    assert_finding(tmp_path, lines, "auth_error", {})


def test_an_echo_that_fails_the_step_swallows_nothing(tmp_path: Path) -> None:
    lines = [
        *run_step('npm publish || echo "publish failed" && exit 1', *_E404),
        "publish failed",
        FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert findings
    assert findings[0].type.value == "auth_error"
