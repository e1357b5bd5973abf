"""An action's failed API lookup that it logged as an error annotation and then went on from.

gregsdennis/dependencies-action fetches each pull request or issue a PR body says it depends on and
catches a failed request with `core.error` (evaluate-dependencies.js: `octokit.pulls.get(d)
.catch(error => core.error(error))`, then `octokit.issues.get` the same way), so "##[error]HttpError:
Not Found" is an annotation, not the step's failure. After the second miss it logs "    Could not
locate this dependency.  Will need to verify manually." and goes on to the next dependency; only an
open dependency fails the step, through `core.setFailed` (gregsdennis/dependencies-action #32: a
dependency in a private repository, the job green).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit

# The notice, as core.info prints it (two spaces after the first sentence in the action's source).
_LEFT_TO_VERIFY = re.compile(
    r"^\s*Could not locate this dependency\.\s+Will need to verify manually\."
)
# The annotation for the pull-request lookup, the issue lookup's "Fetching" line and its annotation,
# then the notice: four lines at most from the first annotation.
_WITHIN = 4


def lookup_left_to_verify(hit: Hit) -> bool:
    """The hit's error annotation is followed, within a few lines, by the action's notice that it
    left the dependency it could not fetch to be verified by hand (and went on)."""
    return "verify-manually-below" in hit.rule.checks and any(
        _LEFT_TO_VERIFY.match(line) for line in hit.after[:_WITHIN]
    )
