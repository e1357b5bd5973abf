"""Routes: a method, a path pattern and the function that answers; each route module keeps a list."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartmon.sandbox.api.core import Request, Response

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

Handler = Callable[["Sandbox", Request, "re.Match[str]"], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def route(routes: list[Route], method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register `handler` for `method` and a path regex (named groups become match groups)."""

    def register(handler: Handler) -> Handler:
        routes.append(Route(method, re.compile(f"^{pattern}$"), handler))
        return handler

    return register
