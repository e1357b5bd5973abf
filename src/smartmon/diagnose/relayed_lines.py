"""Lines a task runner relayed: the prefix it put in front of each line its task printed, taken off.

Monorepo and workspace runners relay a package's output with the package (and task) in front of
every line, so the tool's own shapes (an eslint file row, a jest `●` title, a vitest `×` row) start
after it. The extractors read the tool's shapes; a finding on a relayed line reads the lines its own
task relayed around it with that same prefix taken off (lines another task relayed keep theirs, so
interleaved output of parallel tasks is never mistaken for the failing task's).

The shapes, as the runners print them:
- turbo `web:build: ` / `@acme/web:lint: ` and pnpm -r `apps/web build: ` (as `locations.TASK_PREFIX`);
- Yarn Berry's report tag `➤ YN0000: `, with `workspaces foreach -v`'s `[@acme/api]: ` after it
  (`createStreamReporter` writes `${prefix} ${line}` as info lines; yarnpkg/berry foreach.ts
  `getPrefix`: "[" + the workspace's ident + "]:");
- lerna `run --stream` / `--parallel`, the package's scoped name: `@firebase/testing:   Testing Module
  Tests` (lerna/lerna #1790; an unscoped name, `report-frontend: > …`, is too like `error: ` to tell);
- lerna 4's replay of a failed package's output under `--no-bail`, each line behind `lerna ERR! `
  (lerna/lerna #2974);
- concurrently, an npm script running others side by side: the command's index, `[1] ` (element-plus/
  element-plus #15091: "[1] pnpm run -C internal/metadata dev exited with code 1"), or its name when
  it has a colon (`concurrently "npm:build:*"` names them `[build:client] `); a plain `[name] ` is
  too like prettier's `[warn] ` rows and Maven's `[ERROR] ` to take off;
- Docker Compose's `up` / `logs`, the service's container padded to the widest name: `web-1  | `
  (Compose 2.21+), `acme-web-1  | ` (earlier 2.x), `acme_web_1  | ` (1.x);
- Playwright Test's `webServer`, whose command's output it relays behind `[WebServer] ` (its
  webServerPlugin; WordPress/openverse-frontend #1637: "[WebServer] /bin/sh: 1: ./node_modules/.bin/
  npm-run-all: not found" over "Error: Process from config.webServer was not able to start. Exit
  code: 127"), inside Compose's prefix too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_PACKAGE = r"(?:@[\w.-]+/)?[\w.-]+"
RELAY_PREFIX = re.compile(
    r"^(?:(?:@[\w.-]+/)?[\w.-]+:[A-Za-z][\w-]*(?::[\w-]+)*: "  # turbo
    r"|(?:[\w.@-]+/)+[\w.-]+ [A-Za-z][\w:-]*: "  # pnpm -r
    r"|➤ YN\d{4}: (?:\[" + _PACKAGE + r"\]: )?"  # Yarn Berry, foreach -v
    r"|\[" + _PACKAGE + r"\]: "  # foreach -v without the report tag
    r"|@[\w.-]+/[\w.-]+: "  # lerna --stream, a scoped package
    r"|lerna ERR! "
    r"|\[(?:\d+|[\w.-]+:[\w.:-]+)\] "  # concurrently: its index, or an npm:script name
    r"|(?:[\w.-]+[-_]\d+ +\| )?\[WebServer\] "  # Playwright's webServer, perhaps in Compose
    r"|[\w.-]+[-_]\d+ +\| )"  # Docker Compose: a service's container, padded
)


def relayed_prefix(text: str) -> str:
    """The prefix a task runner put in front of `text` ("" when none)."""
    m = RELAY_PREFIX.match(text)
    return m.group() if m else ""


def _without(lines: Sequence[str], prefix: str) -> list[str]:
    return [line[len(prefix) :] if line.startswith(prefix) else line for line in lines]


def unrelayed(
    text: str, before: Sequence[str], after: Sequence[str]
) -> tuple[str, Sequence[str], Sequence[str]]:
    """The line and the lines around it as the task printed them, when a runner relayed the line."""
    prefix = relayed_prefix(text)
    if not prefix:
        return text, before, after
    return text[len(prefix) :], _without(before, prefix), _without(after, prefix)
