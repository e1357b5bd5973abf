"""A relative require that failed inside an installed package: Node's "Error: Cannot find module
'./lib/har'" whose requiring file, the first stack frame with a path or the first "Require stack:"
entry, is under node_modules/. The package's own files are missing (a partial install, a release
published without them), so a dependency is not fully installed; in the project's own file the same
line is an import of the project's (node-relative-import-unresolved). `settle` clears the rule's hit
where the requiring file is the project's own, or is not shown; where it is in an action's own folder
(`_actions/…`, the action's bundle, not the project's install); where it is a tool's loader of a path
the user gave (mocha's `--require`/spec loading, node-preload, nyc); and where the step's command line
names the missing file itself (`mocha --require ./test/setup.js`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.jobstate import Hit, up_to_header
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
# The package a path under node_modules is in: the last `node_modules/<pkg>` (or `@scope/pkg`), so
# pnpm's `.pnpm/request@2.88.2/node_modules/request/` names request.
_PACKAGE = re.compile(r".*[/\\]node_modules[/\\](?P<package>@[\w.-]+[/\\][\w.-]+|[\w][\w.-]*)")
# A runner's folder of downloaded actions: an action's bundled node_modules are the action's.
_ACTION_DIR = re.compile(r"[/\\]_actions[/\\]")
# Tools that require a path the user gave: mocha's `--require`/`--file`/spec loading (lib/cli/run-
# helpers.js, lib/nodejs/esm-utils.js, bin/_mocha, bin/mocha), node-preload and nyc's `--require`.
_USER_PATH_LOADER = re.compile(
    r"[/\\]node_modules[/\\](?:mocha[/\\](?:lib[/\\]cli[/\\]run-helpers\.js|lib[/\\]nodejs[/\\]"
    r"esm-utils\.js|bin[/\\]_?mocha(?:\.js)?)$|node-preload[/\\]|nyc[/\\])"
)
_SCRIPT_ROW = re.compile(r"^\s+\S")
_STAMP = re.compile("^" + STAMP_PREFIX)
_SCRIPT_ROWS = 20


def _requiring_file(after: Sequence[str]) -> str | None:
    """The first frame's or Require stack row's path below the line, within its step."""
    for line in after[:12]:
        if STEP_HEADER.match(line.strip()):
            break
        if m := _FRAME.match(line):
            return str(m["path"])
    return None


def _command_line(before: Sequence[str]) -> str:
    """The step's `Run …` header and the script rows echoed under it (indented on the run page,
    up to `##[endgroup]` in a downloaded log)."""
    lines = [_STAMP.sub("", line, count=1) for line in reversed(list(up_to_header(before)))]
    header = lines[0].strip() if lines else ""
    if not STEP_HEADER.match(header):
        return ""
    rows = [header]
    grouped = header.startswith("##[group]")
    for line in lines[1 : 1 + _SCRIPT_ROWS]:
        row = line.strip()
        if row.startswith(("shell: ", "##[endgroup]")):
            break
        if not grouped and not _SCRIPT_ROW.match(line):
            break
        rows.append(row)
    return "\n".join(rows)


def _named_on_command_line(name: str, before: Sequence[str]) -> bool:
    """The missing file's name, with or without its "./", as a word of the step's command line."""
    if not name:
        return False
    spelled = r"(?:\./)?" + re.escape(name[2:]) if name.startswith("./") else re.escape(name)
    pattern = r"(?<![\w./-])" + spelled + r"(?![\w/-])"
    return re.search(pattern, _command_line(before)) is not None


def require_outside_package(hit: Hit) -> bool:
    """A rule with `checks: [package-file-below]` whose requiring file is not an installed package's
    (the project's, an action's bundle, a tool's loader of a user's path), or is not shown below the
    line, or whose missing file the step's command named."""
    if "package-file-below" not in hit.rule.checks:
        return False
    path = _requiring_file(hit.after)
    if path is None or not _INSTALLED.search(path):
        return True
    if _ACTION_DIR.search(path) or _USER_PATH_LOADER.search(path):
        return True
    return _named_on_command_line(hit.data.get("name", ""), hit.before)


def installed_package(after: Sequence[str]) -> str | None:
    """The installed package whose file made the failed relative require (its first frame's)."""
    path = _requiring_file(after)
    m = _PACKAGE.match(path) if path else None
    return m["package"].replace("\\", "/") if m else None
