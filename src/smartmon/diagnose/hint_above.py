"""A hint printed above a line that says only what stopped can name why (`checks:
[hint-above-is-cause]` on the line, `explains-missing-folder` on the hint).

A step whose working directory is not there says what stopped and not why. A hint that can explain a
missing folder (composer's disabled installer plugin: Magento's tree was never laid out, and the
integration-test step found its folder missing; extdn/github-actions-m2 #71), printed in the same
step as the failing one or in a step before it, is that job's cause instead. Any other hint (a
set-up action's unexpected input) explains no folder, and a real cause anywhere in the job wins.
"""

from __future__ import annotations

from collections.abc import Sequence

from smartmon.diagnose.jobstate import Hit
from smartmon.model import IssueType


def _explaining(causes: Sequence[Hit]) -> list[Hit]:
    """The hints that explain the job's missing folders, in priority order, or none."""
    others = [hit for hit in causes if "hint-only" not in hit.rule.checks]
    # The catch-all reads the same line too ("Error: An error occurred trying to start process …").
    open_hits = [hit for hit in others if "hint-above-is-cause" in hit.rule.checks]
    if not open_hits:
        return []
    open_lines = {hit.line for hit in open_hits}
    if not all(hit.rule.type is IssueType.UNKNOWN and hit.line in open_lines for hit in others):
        return []
    first = min(open_hits, key=lambda hit: hit.line)
    return [
        hit
        for hit in causes
        if "hint-only" in hit.rule.checks
        and "explains-missing-folder" in hit.rule.checks
        and hit.line < first.line
        and hit.step.number <= first.step.number
    ]


def hint_above_first(causes: Sequence[Hit]) -> list[Hit]:
    """`causes` (hint-only hits already last) with the hints that explain the job's missing folders
    put first, each group in priority order; unchanged when no hint explains them."""
    explaining = _explaining(causes)
    ids = {id(hit) for hit in explaining}
    return [*explaining, *(hit for hit in causes if id(hit) not in ids)]
