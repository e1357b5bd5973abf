"""npm's answers to `npm publish`: a 404 printed after npm said where it publishes is the registry's
answer to the upload of the package being published, not a package the job tried to install.
`settle` clears the publish rule's hit elsewhere, where the install rules read the line.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STEP_HEADER

# npm's publish command logs where it sends the package just before the upload (lib/commands/
# publish.js): "npm notice Publishing to https://registry.npmjs.org/ with tag latest and public
# access" (npm 8.6+), "npm notice Publishing to https://registry.npmjs.org/" before; "(dry-run)" after
# it when nothing is uploaded.
_PUBLISHING = re.compile(r"^\s*npm notice Publishing to \S+(?: with tag \S+ and \S+ access)?\s*$")


def not_after_publish_notice(hit: Hit) -> bool:
    """A rule with `checks: [publish-notice-above]` without npm's "Publishing to" notice above it in
    its step."""
    if "publish-notice-above" not in hit.rule.checks:
        return False
    for line in reversed(hit.before):
        if _PUBLISHING.match(line):
            return False
        if STEP_HEADER.match(line.strip()):
            return True
    return True
