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


# The package the notices describe: "npm notice 📦  widget-cli@2.1.0" (npm 7+), "npm notice package:
# widget-cli@2.1.0" (npm 6). A dependency's fetch that failed says "404 Not Found - GET …", and npm's
# "+ widget-cli@2.1.0" closes a publish that succeeded: a 404 after either is not the upload's answer
# (a later install, a next package's prepublishOnly script running `npx`).
_PACKAGE_NOTICE = re.compile(r"^\s*npm notice (?:📦|package:)\s+(?P<spec>\S+@\S+)\s*$")
_AFTER_UPLOAD = re.compile(r"404 Not Found - GET |^\s*\+ \S+@\S+\s*$")
_NOT_IN = re.compile(r"'(?P<spec>\S+@\S+)' is not in ")


def not_after_publish_notice(hit: Hit) -> bool:
    """A rule with `checks: [publish-notice-above]` whose 404 is not the answer to the package npm
    said it was publishing: no "Publishing to" notice above it in its step, a fetch's GET 404 or a
    finished publish between, or a `name@version` other than the package of the notices above that
    (when the step shows one)."""
    if "publish-notice-above" not in hit.rule.checks:
        return False
    spec = _NOT_IN.search(hit.text)
    publishing = False
    for line in reversed(hit.before):
        if STEP_HEADER.match(line.strip()):
            break
        if not publishing:
            if _AFTER_UPLOAD.search(line):
                return True
            publishing = bool(_PUBLISHING.match(line))
            continue
        package = _PACKAGE_NOTICE.match(line)
        if package:
            return spec is None or package.group("spec") != spec.group("spec")
    # no package notice in the step (or none kept above): the "Publishing to" notice decides
    return not publishing
