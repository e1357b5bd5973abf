"""The host an action's own JSON request went to, when the error it printed names none.

Node's JSON.parse of an HTML error page says only "SyntaxError: Unexpected token '<', "<html>…" is not
valid JSON" (the rule json-api-returned-html). Where the step is an action whose only JSON requests go
to one service, that service is the host: gradle/actions' setup-gradle and wrapper-validation parse
JSON from services.gradle.org alone (sources/src/execution/provision.ts, the versions lookups under
https://services.gradle.org/versions; sources/src/wrapper-validation/checksums.ts,
https://services.gradle.org/versions/all), and gradle/actions #707 is such a page, a 403 from
services.gradle.org. The older gradle/gradle-build-action and gradle/wrapper-validation-action ran
the same code before it moved into gradle/actions. gradle-build-action (and setup-gradle before v4)
also ran the build itself (its `arguments:` input), and a build task's own script may parse a page
as JSON too ("> Task :web:npm_run_fetchSchema" above, "FAILURE: Build failed" below): where Gradle's
build output is in the step, the action's lookup is not the only JSON request and no host is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.logs import STEP_HEADER

_JSON_OF_HTML = re.compile(
    r"SyntaxError: Unexpected token '<', \"<(?:html|!DOCTYPE|!doctype|head|body)"
)
_JSON_HOSTS = {
    "gradle/actions/setup-gradle": "services.gradle.org",
    "gradle/actions/wrapper-validation": "services.gradle.org",
    "gradle/gradle-build-action": "services.gradle.org",
    "gradle/wrapper-validation-action": "services.gradle.org",
}


# Gradle's console output for a build: a task's header, the failure banner.
_GRADLE_BUILD = re.compile(r"^\s*> Task :|FAILURE: Build failed")


def _gradle_built(before: Sequence[str], after: Sequence[str]) -> bool:
    """Gradle's build output in the hit's step, above or below it."""
    for line in reversed(before):
        if _GRADLE_BUILD.search(line):
            return True
        if STEP_HEADER.match(line.strip()):
            break
    for line in after:
        if STEP_HEADER.match(line.strip()):
            break
        if _GRADLE_BUILD.search(line):
            return True
    return False


def action_json_host(
    text: str, action: str | None, before: Sequence[str] = (), after: Sequence[str] = ()
) -> str | None:
    """The service the action's JSON came from, when `text` is JSON.parse refusing an HTML page and
    no Gradle build ran in the step (`before` and `after`: the lines around it)."""
    if action is None or not _JSON_OF_HTML.search(text):
        return None
    host = _JSON_HOSTS.get(action.lower())
    return None if host is None or _gradle_built(before, after) else host
