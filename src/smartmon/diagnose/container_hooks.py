"""The runner's container hooks (actions-runner-controller's kubernetes mode) print "Executing the
custom container implementation failed" after every step that failed, the job's own script too
(actions/runner #3178). It is the runner's failure only in "Initialize containers", where the hook's
PrepareJob set up the job's pod and none of the job's code ran (actions/runner #3372): the rule that
reads it so (`checks: [initialize-containers-only]`) is cleared in any other step.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

# The step's title as the runner writes it (a downloaded log's group, a debug log's "Starting:", a
# copy of the run page's bare title) and its debug close below the error.
_STARTING = re.compile(r"^(?:##\[group\]|##\[debug\]Starting: )?Initialize containers\s*$")
_FINISHING = re.compile(r"^##\[debug\]Finishing: Initialize containers\s*$")
# The hook's own header in that step: the runner runs its script, "Run '/home/runner/k8s/index.js'".
_HOOK_RUN = re.compile(r"^(?:##\[group\])?Run '[^']+\.js'\s*$")


def not_initializing_containers(hit: Hit) -> bool:
    """A rule with `checks: [initialize-containers-only]` whose hit is not in "Initialize containers"."""
    if "initialize-containers-only" not in hit.rule.checks:
        return False
    if any(_FINISHING.match(line.strip()) for line in hit.after):
        return False
    for line in reversed(hit.before):
        text = line.strip()
        if _STARTING.match(text):
            return False
        if STEP_HEADER.match(text) and not _HOOK_RUN.match(text):
            return True
    return True
