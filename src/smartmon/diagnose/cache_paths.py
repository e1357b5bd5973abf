"""A cache restore that failed on the network, read as the cause where the next step misses its path.

actions/cache only warns when a restore fails and goes on as if the cache missed (actions/cache #141:
"the cache action is best effort"); a timed-out download, "Warning: Failed to restore: The operation
cannot be completed in timeout." then "Cache not found for input keys: …", leaves the restored path
absent (actions/cache #267: a failed restore "breaks following steps"). When the step that fails
next says that very path is missing ("zstd: can't stat images.tar.zst : No such file or directory",
heroku/cnb-builder-images PR #360), the network is the cause; a failure that names anything else is
its own. The path counts only as a whole path or a component of one (`bundle` is not in "bundler:",
`mod` not in "go.mod"), and only where no stronger cause sits in the failing step: `npm ci` that
reinstalled node_modules, then Jest's own failure, is a test failure even where an ENOENT under
node_modules/.cache follows it.
"""

from __future__ import annotations

import posixpath
import re

from smartmon.diagnose.jobstate import Hit, JobState
from smartmon.diagnose.logs import STEP_HEADER
from smartmon.model import IssueType

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
    """The paths themselves and their last parts that can name them in another tool's line (not
    `.`, `~` or `*`)."""
    names = {posixpath.basename(p) for p in paths} | {p.removeprefix("~/") for p in paths}
    return {n for n in names if len(n) >= 3 and re.search(r"[A-Za-z0-9]", n)}


# What may sit on either side of a path or path component in a tool's line.
_EDGE = "/\\s'\"`:"


def _names_path(line: str, names: set[str]) -> bool:
    """Whether one of the names stands in the line as a whole path or a component of one, bounded
    by `/`, a quote, a space, `:` or the line's ends (not `bundle` in "bundler", `mod` in "go.mod")."""
    return any(
        re.search(rf"(?:^|[{_EDGE}]){re.escape(name)}(?=$|[{_EDGE}])", line) for name in names
    )


# The kinds of cause that do not outrank the restore: a bare error line, another network failure.
_WEAKER = frozenset({IssueType.UNKNOWN, IssueType.NETWORK_ERROR})
_WHY_STRONGER = "cleared: a stronger cause sits in the failing step below the restore"


def stronger_cause_below(state: JobState) -> None:
    """Clear a restore's warning where a stronger cause that does not name its path (a test's own
    failure, a compile error) sits in a later step up to the first one that failed."""
    left = {i: h for i, h in state.hits.items() if not h.rule.advisory and i not in state.cleared}
    last_step = state.first_exit[0].number if state.first_exit else None
    for index, hit in left.items():
        if "cache-path-missing-below" not in hit.rule.checks:
            continue
        names = _names(_restored_paths(hit.before))
        if any(
            other.step.number > hit.step.number
            and (last_step is None or other.step.number <= last_step)
            and other.rule.type not in _WEAKER
            and not _names_path(other.text, names)
            for other in left.values()
        ):
            state.cleared[index] = _WHY_STRONGER


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
        if in_next_step and _MISSING.search(line) and _names_path(line, names):
            return False
    return True
