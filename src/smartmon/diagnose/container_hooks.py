"""The runner's container hooks (actions-runner-controller's kubernetes mode) print "Executing the
custom container implementation failed" after every step that failed, the job's own script too
(actions/runner #3178). It is the runner's failure only in "Initialize containers", where the hook's
PrepareJob set up the job's pod and none of the job's code ran (actions/runner #3372): the rule that
reads it so (`checks: [initialize-containers-only]`) is cleared in any other step. A downloaded log
of that step has no "Initialize containers" title: the hook's "##[group]Run '/home/runner/k8s/index.js'"
follows Set up job's own lines ("Complete job name: build"), so a hook header with Set up job's lines
or the log's start above it, and no step of the job's own between, is that step too.
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
# Set up job's lines (actions/runner's JobExtension and the runner's own banner), above the first
# step's header in a downloaded log.
_SET_UP_JOB = re.compile(
    r"^(?:Complete job name: |Prepare all required actions\s*$|Prepare workflow directory\s*$"
    r"|Secret source: |Job is about to start running on the runner: |Current runner version: "
    r"|Runner name: |Runner group name: |Machine name: |Getting action download info\s*$"
    r"|Download action repository |##\[group\](?:Operating System|Runner Image|GITHUB_TOKEN Permissions)"
    r"\s*$)"
)


def not_initializing_containers(hit: Hit) -> bool:
    """A rule with `checks: [initialize-containers-only]` whose hit is not in "Initialize containers"."""
    if "initialize-containers-only" not in hit.rule.checks:
        return False
    if any(_FINISHING.match(line.strip()) for line in hit.after):
        return False
    hook = False
    for line in reversed(hit.before):
        text = line.strip()
        if _STARTING.match(text):
            return False
        if _HOOK_RUN.match(text):
            hook = True
        elif STEP_HEADER.match(text):
            return True
        elif hook and _SET_UP_JOB.match(text):
            return False
    # Past the hook's header up to the log's own start, with no step of the job's above it.
    return not (hook and hit.line <= len(hit.before) + 1)
