"""TeXtidote exits with the number of pieces of advice in its report, unless it runs with `--ci`: its
banner is the cause only in the step that failed, run without `--ci` (`checks: [advice-exit-code]`).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.diagnose.step_actions import step_command

_CI_FLAG = re.compile(r"(?:^|\s)--ci(?:\s|$)")
# The runner's failure line for the step (a copy of the run page shows `##[error]` as `Error: `).
_FAILED = re.compile(r"^(?:##\[error\]|Error: )")


def advice_not_failing(hit: Hit) -> bool:
    """A rule with `checks: [advice-exit-code]` whose step ran TeXtidote with `--ci` (exit 0 on
    advice) or went on into the next step before any failure line (another step failed)."""
    if "advice-exit-code" not in hit.rule.checks:
        return False
    if any(_CI_FLAG.search(line) for line in step_command(hit.step.name, hit.before)):
        return True
    for line in hit.after:
        if _FAILED.match(line):
            return False
        if STEP_HEADER.match(line.strip()):
            return True
    return False
