"""An HTTP error status that a server on this machine answered is that server's, not the network's.

A 502 or 503 from `https://127.0.0.1:34749/…` or `http://localhost:8080/…` comes from a service the
job itself started (a kind cluster's API proxy, a dev server, a registry in a service container)
whose backend was not answering: a re-run does not reach another host, and the cause is in that
service, which the status does not show. The connection rules leave loopback refusals out for the
same reason (benign.loopback_cause, loopback_refusals). The URL is on the status's own line, or on
the request line a client prints a few lines above it when its own line names no URL: the Azure SDK for Go's ResponseError
(azcore) prints "PUT https://…", a row of dashes, then "RESPONSE 502: 502 Bad Gateway" and "ERROR
CODE UNAVAILABLE" when the body names no code (`checks: [status-not-loopback]`).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit

_LOOPBACK_URL = re.compile(
    r"\bhttps?://(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]|0\.0\.0\.0)(?::\d+)?(?=[/\s'\")]|$)"
)
# A client's request line above its status: "PUT https://…", "Error: GET https://…" (a downloaded
# log keeps the runner's timestamp before it).
_REQUEST = re.compile(r"(?:^|\s)(?:GET|HEAD|PUT|POST|PATCH|DELETE|OPTIONS) (?P<url>https?://\S+)")
_ABOVE = 4
# A URL on the status's own line settles it: newman's "GET https://api.example.com/v1 [503 Service
# Unavailable, 1.2kB, 310ms]" under an earlier "GET http://localhost:3000/health [200 OK, …]".
_ANY_URL = re.compile(r"\bhttps?://\S")


def loopback_answered(hit: Hit) -> bool:
    """A rule with `checks: [status-not-loopback]` whose status a server on this machine answered:
    a loopback URL on the hit's line, or in the nearest request line a few lines above it."""
    if "status-not-loopback" not in hit.rule.checks:
        return False
    if _LOOPBACK_URL.search(hit.text):
        return True
    if _ANY_URL.search(hit.text):
        return False  # the line names its own host: a request above it is another's (newman's rows)
    for line in reversed(hit.before[-_ABOVE:]):
        request = _REQUEST.search(line)
        if request:
            return _LOOPBACK_URL.match(request["url"]) is not None
    return False
