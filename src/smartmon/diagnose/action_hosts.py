"""The host an action's own JSON request went to, when the error it printed names none.

Node's JSON.parse of an HTML error page says only "SyntaxError: Unexpected token '<', "<html>…" is not
valid JSON" (the rule json-api-returned-html). Where the step is an action whose only JSON requests go
to one service, that service is the host: gradle/actions' setup-gradle and wrapper-validation parse
JSON from services.gradle.org alone (sources/src/execution/provision.ts, the versions lookups under
https://services.gradle.org/versions; sources/src/wrapper-validation/checksums.ts,
https://services.gradle.org/versions/all), and gradle/actions #707 is such a page, a 403 from
services.gradle.org. The older gradle/gradle-build-action and gradle/wrapper-validation-action ran
the same code before it moved into gradle/actions.
"""

from __future__ import annotations

import re

_JSON_OF_HTML = re.compile(
    r"SyntaxError: Unexpected token '<', \"<(?:html|!DOCTYPE|!doctype|head|body)"
)
_JSON_HOSTS = {
    "gradle/actions/setup-gradle": "services.gradle.org",
    "gradle/actions/wrapper-validation": "services.gradle.org",
    "gradle/gradle-build-action": "services.gradle.org",
    "gradle/wrapper-validation-action": "services.gradle.org",
}


def action_json_host(text: str, action: str | None) -> str | None:
    """The service the action's JSON came from, when `text` is JSON.parse refusing an HTML page."""
    if action is None or not _JSON_OF_HTML.search(text):
        return None
    return _JSON_HOSTS.get(action.lower())
