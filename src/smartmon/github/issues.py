"""The issue endpoints: issues, their comments and labels (pull requests are issues here too).

A pull request's conversation comments and labels live under `/issues/{number}`; GitHub keys the
permission off the target, so `pull-requests: write` covers a comment on a pull request and
`issues: write` one on an issue (docs: rest/issues/comments, "Create an issue comment").
"""

from __future__ import annotations

import contextlib
from typing import Any, cast
from urllib.parse import quote

from smartmon.github.errors import NotFound, ValidationFailed
from smartmon.github.repo_scope import RepoScope


class IssueEndpoints(RepoScope):
    """Issues, issue comments and labels (`/repos/OWNER/NAME/issues/...`, `/labels`)."""

    def list_issues(
        self, *, labels: str | None = None, state: str = "open", max_items: int | None = 300
    ) -> list[dict[str, Any]]:
        """Issues only: the endpoint also returns pull requests (they carry `pull_request`)."""
        params = {"labels": labels, "state": state, "per_page": 100}
        items = self._list("/issues", params, max_items=max_items)
        return [i for i in items if "pull_request" not in i]

    def get_issue(self, number: int) -> dict[str, Any]:
        return cast(dict[str, Any], self._get(f"/issues/{int(number)}"))

    def create_issue(self, title: str, body: str, labels: tuple[str, ...] = ()) -> dict[str, Any]:
        payload: dict[str, Any] = {"title": title, "body": body, "labels": list(labels)}
        return cast(
            dict[str, Any],
            self.http.request("POST", self._path("/issues"), json_body=payload).json(),
        )

    def update_issue(self, number: int, **fields: Any) -> dict[str, Any]:
        """PATCH an issue: `body=`, `title=`, `state="closed"`, `state_reason="completed"`."""
        tail = f"/issues/{int(number)}"
        return cast(
            dict[str, Any], self.http.request("PATCH", self._path(tail), json_body=fields).json()
        )

    def list_issue_comments(self, number: int, max_items: int | None = 500) -> list[dict[str, Any]]:
        return self._list(f"/issues/{int(number)}/comments", {"per_page": 100}, max_items=max_items)

    def create_issue_comment(self, number: int, body: str) -> dict[str, Any]:
        tail = f"/issues/{int(number)}/comments"
        return cast(
            dict[str, Any],
            self.http.request("POST", self._path(tail), json_body={"body": body}).json(),
        )

    def update_issue_comment(self, comment_id: int, body: str) -> dict[str, Any]:
        tail = f"/issues/comments/{int(comment_id)}"
        return cast(
            dict[str, Any],
            self.http.request("PATCH", self._path(tail), json_body={"body": body}).json(),
        )

    def issue_labels(self, number: int) -> list[str]:
        """The label names on an issue or a pull request."""
        items = self._list(f"/issues/{int(number)}/labels", {"per_page": 100})
        return [str(label.get("name", "")) for label in items]

    def ensure_label(self, name: str, color: str, description: str) -> None:
        """Create the label unless it exists (an existing one is left as its owners made it)."""
        try:
            self._get(f"/labels/{quote(name, safe='')}")
            return
        except NotFound:
            pass
        body = {"name": name, "color": color, "description": description}
        with contextlib.suppress(ValidationFailed):  # created meanwhile ("already_exists")
            self.http.request("POST", self._path("/labels"), json_body=body)
