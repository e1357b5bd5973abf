"""The OIDC token service a job reaches through `ACTIONS_ID_TOKEN_REQUEST_URL`.

The runner sets that URL and `ACTIONS_ID_TOKEN_REQUEST_TOKEN` only in jobs granted `id-token:
write`; `@actions/core`'s `getIDToken()` then sends `GET $URL&audience=…` with `Authorization:
Bearer $TOKEN` and reads `{"value": "<jwt>"}` (actions/toolkit packages/core/src/oidc-utils.ts).
The sandbox's token is an unsigned JWT carrying GitHub's usual claims; nothing verifies it.
"""

from __future__ import annotations

import base64
import json
import re
from typing import TYPE_CHECKING, Any

from smartmon.sandbox.api.core import ApiError, Request, Response
from smartmon.sandbox.api.routing import Route, route

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

ROUTES: list[Route] = []
ISSUER = "https://token.actions.githubusercontent.com"


def _part(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@route(ROUTES, "GET", r"/_services/token/idtoken")
def id_token(app: Sandbox, req: Request, m: re.Match[str]) -> Response:
    token = req.token
    if token is None:
        raise ApiError(401, "Requires authentication")
    if token.kind != "github_token" or token.repo is None:
        raise ApiError(403, "Resource not accessible by personal access token")
    app.require(token, {"id_token": "write"})
    now = int(app.clock())
    owner = token.repo.split("/", 1)[0]
    claims = {
        "iss": ISSUER,
        "aud": req.arg("audience") or f"https://github.com/{owner}",
        "sub": f"repo:{token.repo}",
        "repository": token.repo,
        "repository_owner": owner,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
    }
    value = f"{_part({'alg': 'none', 'typ': 'JWT'})}.{_part(claims)}."
    return Response.json(200, {"count": len(value), "value": value})
