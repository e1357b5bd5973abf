"""scorecard-action v2.4.4 and later give up posting results with a warning and exit 0: the refusal
above the warning is no cause, and a later step's failure speaks (benign.results_post_failed_open,
review rev43 #2). The action's lines are its formats (ossf/scorecard-action signing/signing.go,
#1625) with names changed; the rest is ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from tests.diagnose.joblog import FAILED, assert_finding, assert_job_finding, run_step, write_job

_REFUSED = (
    "2026/05/16 16:57:42 error sending scorecard results to webapp: http response 400, status: 400 Bad"
    ' Request, error: {"code":400,"message":"workflow verification failed: scorecard job must only'
    " have steps with `uses`, see https://github.com/ossf/scorecard-action#workflow-restrictions for"
    ' details."}'
)
_TRIES = [line for _ in range(3) for line in (_REFUSED, "2026/05/16 16:57:43 retrying in 1s...")]
_GAVE_UP = (
    "Unable to POST scorecard results to webapp: http response 400, status: 400 Bad Request. If this"
    " issue persists, check the repo issues for more information."
)
_LATER = ["score 4.5 below threshold 6"]


@pytest.mark.parametrize("prefix", ["##[warning]", "::warning::"])
def test_the_warning_clears_the_refusal_and_the_later_step_speaks(
    tmp_path: Path, prefix: str
) -> None:
    lines = [
        *run_step("ossf/scorecard-action@v2.4.4", *_TRIES, prefix + _GAVE_UP),
        *run_step("./scripts/check-score.sh", *_LATER),
        FAILED,
    ]
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert top.rule != "scorecard-webapp-workflow-verification-failed"
    assert top.text == _LATER[0]


def test_pasted_the_refusal_with_its_warning_is_no_cause(tmp_path: Path) -> None:
    assert_finding(tmp_path, [*_TRIES, "Warning: " + _GAVE_UP], None, {})


def test_an_older_action_that_failed_on_it_still_reports_it(tmp_path: Path) -> None:
    lines = [*run_step("ossf/scorecard-action@v2.4.0", *_TRIES), FAILED]
    assert_job_finding(tmp_path, lines, "unknown", {})
    top = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert top.rule == "scorecard-webapp-workflow-verification-failed"
