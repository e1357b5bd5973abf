"""What a step's header says it asked an action for: its `with:` inputs as the runner prints them
("##[group]Run fortran-lang/setup-fpm@v5" / "with:" / "  fpm-version: latest"; the web page's copy
indents them under "Run …").

A set-up action asked for the `latest` release that then cannot fetch it has not kept up with how
its upstream names that release: fortran-lang/setup-fpm builds the asset URL itself, and fpm 0.12
renamed its Linux asset with a compiler suffix (vmagnin/forcolormap PR #42, fortran-lang/minpack
PR #41: "setup-fpm is broken for the latest version"; the fix is a current setup-fpm or a pinned
fpm). A version the workflow pinned that does not exist is the workflow's own (missing_tool).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.logs import STAMP_PREFIX, STEP_HEADER
from smartmon.diagnose.step_actions import step_action

_STAMP = re.compile("^" + STAMP_PREFIX)
_LATEST_INPUT = re.compile(r"^\s+[\w-]*version: latest\s*$")


def latest_asked_of(before: Sequence[str]) -> tuple[str, str] | None:
    """(action, ref) of the step header above the line (no other header between) when its inputs
    ask for a `…version: latest`."""
    latest = False
    for line in reversed(before):
        text = _STAMP.sub("", line, count=1)
        if _LATEST_INPUT.match(text):
            latest = True
        elif STEP_HEADER.match(text.strip()):
            return step_action(text.strip().removeprefix("##[group]")) if latest else None
    return None
