"""A relative require that failed inside an installed package: Node's "Error: Cannot find module
'./lib/har'" whose requiring file, the first stack frame with a path or the first "Require stack:"
entry, is under node_modules/. The package's own files are missing (a partial install, a release
published without them), so a dependency is not fully installed; in the project's own file the same
line is an import of the project's (node-relative-import-unresolved). `settle` clears the rule's hit
where the requiring file is the project's own, or is not shown.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.logs import STAMP_PREFIX, STEP_HEADER

# "    at Object.<anonymous> (/github/workspace/node_modules/request/request.js:23:11)", a pasted
# "at Object. (/home/bot/node_modules/steam/…/index.js:2:22)", an anonymous frame "    at /…/x.js:2:3",
# and Node 12+'s "Require stack:" rows "- /home/runner/work/app/app/node_modules/request/request.js".
# Node's own frames ("(node:internal/modules/cjs/loader:1075:15)", "(module.js:338:15)") have no
# absolute path and are passed over.
_FRAME = re.compile(
    r"^(?:" + STAMP_PREFIX + r")?\s*(?:at (?:[^(]*\()?|- )"
    r"(?P<path>(?:[A-Za-z]:\\|/)[^()]*?)(?::\d+(?::\d+)?)?\)?\s*$"
)
_INSTALLED = re.compile(r"[/\\]node_modules[/\\]")


def require_outside_package(hit: Hit) -> bool:
    """A rule with `checks: [package-file-below]` whose requiring file is not under node_modules/,
    or is not shown below the line."""
    if "package-file-below" not in hit.rule.checks:
        return False
    for line in hit.after[:12]:
        if STEP_HEADER.match(line.strip()):
            break
        if m := _FRAME.match(line):
            return not _INSTALLED.search(m["path"])
    return True
