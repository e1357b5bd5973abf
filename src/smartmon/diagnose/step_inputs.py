"""What a step's header says it asked an action for: its `with:` inputs as the runner prints them
("##[group]Run fortran-lang/setup-fpm@v5" / "with:" / "  fpm-version: latest"; the web page's copy
indents them under "Run …").

A set-up action asked for the `latest` release that then cannot fetch it has not kept up with how
its upstream names that release: fortran-lang/setup-fpm builds the asset URL itself, and fpm 0.12
renamed its Linux asset with a compiler suffix (vmagnin/forcolormap PR #42, fortran-lang/minpack
PR #41: "setup-fpm is broken for the latest version"; the fix is a current setup-fpm or a pinned
fpm). A version the workflow pinned that does not exist is the workflow's own (missing_tool), and
only the action's own input counts (`fpm-version`, named after the rule's tool; another input's
`python-version: latest` asks nothing of it). Where the action could not ask GitHub which release is
the latest ("Error while querying the latest fpm release version - please check your github token.",
"To fetch the latest fpm version, please supply a github token."), setup-fpm goes on and fetches a
`latest` that is no release name: the token is the cause, not the action's age, so nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.logs import STAMP_PREFIX, STEP_HEADER
from smartmon.diagnose.step_actions import step_action

_STAMP = re.compile("^" + STAMP_PREFIX)
# setup-fpm's setFailed when its query for the latest release fails, or when it has no token to ask
# with; neither returns, so the step goes on to fetch a release named `latest` (src/main.js).
_LATEST_UNKNOWN = re.compile(
    r"Error while querying the latest \S+ release version|please supply a github token",
    re.IGNORECASE,
)


def latest_asked_of(before: Sequence[str], tool: str) -> tuple[str, str] | None:
    """(action, ref) of the step header above the line (no other header between) when its inputs
    ask for `<tool>-version: latest` and the step did not fail to learn which release that is."""
    if not tool:
        return None
    latest_input = re.compile(r"^\s+" + re.escape(tool) + r"-version: latest\s*$")
    latest = False
    for line in reversed(before):
        text = _STAMP.sub("", line, count=1)
        if _LATEST_UNKNOWN.search(text):
            return None
        if latest_input.match(text):
            latest = True
        elif STEP_HEADER.match(text.strip()):
            return step_action(text.strip().removeprefix("##[group]")) if latest else None
    return None
