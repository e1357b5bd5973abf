"""What every group of endpoints stands on: the transport and the one repository it is bound to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from smartmon.errors import InputError
from smartmon.github.http import Transport

_REPO_NAME = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


class RepoScope:
    """`/repos/OWNER/NAME` calls over `http`; the endpoint groups of `GitHubClient` extend it."""

    http: Transport
    _repo: str | None

    @property
    def repo(self) -> str:
        if not self._repo or not _REPO_NAME.fullmatch(self._repo):
            raise InputError(
                f"repository {self._repo!r}: expected OWNER/NAME; pass repo= or set GITHUB_REPOSITORY"
            )
        return self._repo

    def _path(self, tail: str) -> str:
        return f"/repos/{self.repo}{tail}"

    def _get(self, tail: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.http.request("GET", self._path(tail), params=params).json()

    def _list(
        self,
        tail: str,
        params: Mapping[str, Any] | None = None,
        *,
        key: str | None = None,
        max_items: int | None = None,
    ) -> list[Any]:
        return list(
            self.http.paginate(self._path(tail), params=params, key=key, max_items=max_items)
        )
