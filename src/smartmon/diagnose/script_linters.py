"""The linter a failed package script ran, when no rule knows what the linter printed.

A JavaScript project runs its linters through npm, yarn or pnpm scripts, and the manager's own lines
are often all a paste keeps of the step: npm 6 and older "npm ERR! feedhub@ markdownlint:
`markdownlint '**/*.md'`" then "npm ERR! Failed at the feedhub@ markdownlint script." (FreshRSS/
FreshRSS PR #3938; "npm ERR! kanban_app@0.0.0 lint: `eslint . --ext .js --ext .jsx`", survivejs/
react-book #3; "npm ERR! @senecacdot/telescope@2.3.0 prettier-check: `prettier --check …`",
Seneca-CDOT/telescope #2465), npm 7+ its echo "> eslint ." above "npm ERR! Lifecycle script `lint`
failed with error:" (or "npm error command sh -c eslint ." for a workspace), yarn 1 "$ prettier
--check ." above "error Command failed with exit code 1.", pnpm -r "packages/ui lint$ eslint ." and
" ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  @acme/ui@0.0.1 lint: `eslint .`". The last command echoed above
the failure is the one that failed; when it is a linter alone (not "tsc && vite build"), the job
failed on lint, whatever the linter's own rows looked like.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.linters import named_linter
from smartmon.diagnose.logs import STAMP_PREFIX

# A command as a step header, npm, yarn or pnpm echo it (the last one above the failure ran last),
# also behind Turborepo's "web:lint: " prefix.
_ECHOED = re.compile(
    r"^(?:[\w@./-]+:[\w.-]+: )?\s*(?:(?:##\[group\])?Run |> |\$ |[\w@./-]+ [\w:.-]+\$ "
    r"|npm (?:ERR!|error) (?:command (?:sh -c|\S*cmd(?:\.exe)? /d /s /c) |\S+@\S* [\w:.-]+: `)"
    r"|\[?ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL\]?\s+\S+@\S* [\w:.-]+: `)(?P<command>\S.*)"
)
# How a script starts a locally installed tool: "npx eslint", "yarn eslint", "pnpm exec eslint".
_RUNNER = re.compile(
    r"^(?:npx(?: --no-install| --yes| -y)? |yarn (?:run )?|pnpm (?:exec |dlx )?|bunx |bun x "
    r"|\.?/?node_modules/\.bin/)"
)
# npm's echo of the script's name ("> web@1.0.0 lint:css", npm 6 adds the folder) over its command:
# a paste that took the "> " off as a quote marker keeps the pair as bare lines.
_NPM_SCRIPT = re.compile(r"^\s*(?:> )?(?:@[\w.-]+/)?[\w.-]+@\S* [\w:.-]+(?: /\S*)?\s*$")
_CHAINED = re.compile(r"&&|\|\||;|\|")
# Where the failed step's lines end, going up: the job's post steps, whose errors are their own.
_OTHER_STEP = re.compile(
    r"^(?:Post job cleanup\.|(?:##\[group\])?Post Run |Cleaning up orphan processes)"
)
_FAILURE_MARKER = re.compile(r"^(?:##\[error\]|Error: )Process completed with exit code")
_TIMESTAMP = re.compile("^" + STAMP_PREFIX)


def failed_script_linter(lines: Sequence[str]) -> str | None:
    """The linter the last command echoed above the (last) failure line ran alone, or None; the
    lines are the failed step's, oldest first (a rule's hit and the lines before it, or the tail)."""
    bare = [_TIMESTAMP.sub("", line, count=1) for line in lines]
    end = next(
        (i for i in range(len(bare) - 1, -1, -1) if _FAILURE_MARKER.match(bare[i])), len(bare)
    )
    for i in range(end - 1, -1, -1):
        line = bare[i]
        if _OTHER_STEP.match(line):
            return None
        m = _ECHOED.match(line)
        if m:
            command = m.group("command")
        elif i and _NPM_SCRIPT.match(bare[i - 1]) and line.strip():
            command = line
        else:
            continue
        command = _RUNNER.sub("", command.strip().strip("`'\""))
        if _CHAINED.search(command):
            return None
        return named_linter(command)
    return None
