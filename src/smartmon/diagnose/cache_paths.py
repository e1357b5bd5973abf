"""A cache restore that failed on the network, read as the cause where the next step misses its path.

actions/cache only warns when a restore fails and goes on as if the cache missed (actions/cache #141:
"the cache action is best effort"); a timed-out download, "Warning: Failed to restore: The operation
cannot be completed in timeout." then "Cache not found for input keys: …", leaves the restored path
absent (actions/cache #267: a failed restore "breaks following steps"). When the step that fails
next says that very path is missing ("zstd: can't stat images.tar.zst : No such file or directory",
heroku/cnb-builder-images PR #360), the network is the cause; a failure that names anything else is
its own.
"""

from __future__ import annotations

import posixpath
import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

_PATH_INPUT = re.compile(r"^\s+path: (?P<path>[^\s|>*?{}]+)\s*$")
_MISSING = re.compile(
    r"No such file or directory|can't stat|cannot stat|cannot access|does not exist|not found",
    re.IGNORECASE,
)
_RUNNER_EXIT = re.compile(r"^(?:##\[error\]|Error: )Process completed with exit code [1-9]")


def _restored_paths(before: tuple[str, ...]) -> list[str]:
    """The single-line `path:` inputs of the restore step the hit was printed in."""
    paths: list[str] = []
    for line in reversed(before):
        m = _PATH_INPUT.match(line)
        if m:
            paths.append(m["path"].rstrip("/"))
        if STEP_HEADER.match(line.strip()):
            break
    return paths


def _names(paths: list[str]) -> set[str]:
    """The paths' last parts that can name them in another tool's line (not `.`, `~` or `*`)."""
    names = {posixpath.basename(p) for p in paths}
    return {n for n in names if len(n) >= 3 and re.search(r"[A-Za-z0-9]", n)}


def path_not_missed_below(hit: Hit) -> bool:
    """A rule with `checks: [cache-path-missing-below]` whose restored path no failing line below,
    up to the runner's exit line, says is missing."""
    if "cache-path-missing-below" not in hit.rule.checks:
        return False
    names = _names(_restored_paths(hit.before))
    in_next_step = False
    for line in hit.after:
        if _RUNNER_EXIT.match(line):
            break
        # The restore's own "Cache not found for input keys: …" may spell the path in its key.
        in_next_step = in_next_step or bool(STEP_HEADER.match(line.strip()))
        if in_next_step and _MISSING.search(line) and any(name in line for name in names):
            return False
    return True
