"""gregsdennis/dependencies-action reports a lookup it could not make as an error annotation and goes
on: "Could not locate this dependency.  Will need to verify manually." below the annotation clears it
(unresolved_lookups.lookup_left_to_verify). The action's lines are its formats
(evaluate-dependencies.js; gregsdennis/dependencies-action #32) with names changed.
"""

from __future__ import annotations

from pathlib import Path

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_finding, write_job

_HEADER = [
    "Run gregsdennis/dependencies-action@v1.4.2",
    "Initializing...",
    "",
    "Analyzing lines...",
]
_PULL = '  Fetching \'{"owner":"octo","repo":"widgets","pull_number":7}\''
_ISSUE = '  Fetching \'{"owner":"octo","repo":"widgets","issue_number":7}\''
_MISS = "##[error]HttpError: Not Found"
_LEFT = "    Could not locate this dependency.  Will need to verify manually."


def test_the_lookups_left_to_verify_by_hand_are_no_failure(tmp_path: Path) -> None:
    lines = [
        *_HEADER,
        _PULL,
        _MISS,
        _ISSUE,
        _MISS,
        _LEFT,
        "",
        "All dependencies have been resolved!",
    ]
    assert_finding(tmp_path, lines, None, {})


def test_without_the_notice_the_annotation_is_still_a_failure(tmp_path: Path) -> None:
    lines = [*_HEADER, _PULL, _MISS, "Error: Process completed with exit code 1."]
    assert_finding(tmp_path, lines, "unknown", {"name": "HttpError: Not Found"})


def test_an_open_dependency_found_later_still_fails_the_step(tmp_path: Path) -> None:
    lines = [
        "##[group]Run gregsdennis/dependencies-action@v1.4.2",
        "##[endgroup]",
        _PULL,
        _MISS,
        _ISSUE,
        _MISS,
        _LEFT,
        '  Fetching \'{"owner":"octo","repo":"gears","pull_number":3}\'',
        "    PR is still open.",
        "##[error]The following issues need to be resolved before this PR can be merged:",
        FAILED,
    ]
    findings = analyze_paths([write_job(tmp_path, lines)]).findings
    assert findings
    assert findings[0].rule == "generic-error"
    assert findings[0].text.startswith("##[error]The following issues need to be resolved")
