"""Request, response and error values of the REST API, shared by the route modules and the server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlencode

from smartmon.sandbox.state import Token

DOCS = "https://docs.github.com/rest"
VERSIONS = ("2022-11-28", "2026-03-10")
DEFAULT_VERSION = "2022-11-28"


class ApiError(Exception):
    """An error answer in GitHub's shape: `{message, documentation_url, status}` (+ `errors`)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        doc: str = DOCS,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.doc = doc

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "documentation_url": self.doc}
        if self.errors is not None:
            body["errors"] = self.errors
        body["status"] = str(self.status)
        return body


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def validation(errors: list[dict[str, Any]], message: str = "Validation Failed") -> ApiError:
    return ApiError(422, message, errors=errors)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    counts: bool = True  # consumes one request of the caller's primary rate limit

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        data = json.dumps(payload, indent=None, separators=(",", ":")).encode()
        return cls(status, data, dict(headers or {}))

    @classmethod
    def empty(cls, status: int) -> Response:
        return cls(status, b"", {}, content_type="")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes
    token: Token | None
    version: str
    api_url: str
    client: str

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def json(self) -> dict[str, Any]:
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body)
        except ValueError as exc:
            raise ApiError(400, "Problems parsing JSON") from exc
        if not isinstance(data, dict):
            raise ApiError(400, "Problems parsing JSON")
        return data

    def paging(self) -> tuple[int, int]:
        try:
            page = max(1, int(self.arg("page", "1") or "1"))
            per_page = min(100, max(1, int(self.arg("per_page", "30") or "30")))
        except ValueError as exc:
            raise ApiError(400, "Invalid page or per_page parameter") from exc
        return page, per_page


def paginate(req: Request, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
    """One page of `items` and the `Link` header pointing at the others (omitted if one page)."""
    page, per_page = req.paging()
    last = max(1, -(-len(items) // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    if last == 1:
        return chunk, {}

    def url(number: int) -> str:
        query = {k: v[-1] for k, v in req.query.items()}
        query["per_page"] = str(per_page)
        query["page"] = str(number)
        return f"<{req.api_url}{req.path}?{urlencode(query)}>"

    links = []
    if page < last:
        links += [f'{url(page + 1)}; rel="next"', f'{url(last)}; rel="last"']
    if page > 1:
        links += [f'{url(1)}; rel="first"', f'{url(min(page - 1, last))}; rel="prev"']
    return chunk, {"Link": ", ".join(links)}
