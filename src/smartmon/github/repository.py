"""The repository endpoints: contents, pull requests, refs, commits and Actions secrets."""

from __future__ import annotations

import base64
import re
from typing import Any, cast
from urllib.parse import quote

from smartmon.errors import InputError
from smartmon.github.errors import Conflict
from smartmon.github.repo_scope import RepoScope

_SECRET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECRET_MAX_BYTES = 48 * 1024


class RepositoryEndpoints(RepoScope):
    """Contents, pulls, refs, commits and secrets (`/repos/OWNER/NAME/...`)."""

    def get_repo(self) -> dict[str, Any]:
        return cast(dict[str, Any], self._get(""))

    def get_contents(self, path: str, ref: str | None = None) -> tuple[bytes, str]:
        """A file's bytes and blob sha at `ref` (the default branch when None)."""
        tail = f"/contents/{quote(path.lstrip('/'), safe='/')}"
        data = self._get(tail, {"ref": ref})
        if not isinstance(data, dict) or data.get("type") != "file":
            raise InputError(f"{path}: not a file in {self.repo} at {ref or 'the default branch'}")
        sha = str(data["sha"])
        if data.get("encoding") == "base64":
            return base64.b64decode("".join(str(data.get("content", "")).split())), sha
        # 1-100 MB files come without content; the raw media type returns the bytes.
        raw = self.http.request(
            "GET", self._path(tail), params={"ref": ref}, accept="application/vnd.github.raw+json"
        )
        return raw.content, sha

    def put_contents(
        self, path: str, content: bytes | str, message: str, branch: str, sha: str | None = None
    ) -> dict[str, Any]:
        """Create (sha=None) or update a file; a stale `sha` raises Conflict."""
        raw = content.encode() if isinstance(content, str) else content
        body = {"message": message, "content": base64.b64encode(raw).decode(), "branch": branch}
        if sha is not None:
            body["sha"] = sha
        tail = f"/contents/{quote(path.lstrip('/'), safe='/')}"
        return cast(
            dict[str, Any], self.http.request("PUT", self._path(tail), json_body=body).json()
        )

    def list_pulls(
        self, head: str | None = None, base: str | None = None, state: str = "open"
    ) -> list[dict[str, Any]]:
        """Pull requests; a bare `head` branch is qualified with the repository owner."""
        if head is not None and ":" not in head:
            head = f"{self.repo.split('/')[0]}:{head}"
        params = {"head": head, "base": base, "state": state, "per_page": 100}
        return self._list("/pulls", params)

    def create_pull(
        self, head: str, base: str, title: str, body: str = "", *, draft: bool = False
    ) -> dict[str, Any]:
        payload = {"head": head, "base": base, "title": title, "body": body, "draft": draft}
        return cast(
            dict[str, Any],
            self.http.request("POST", self._path("/pulls"), json_body=payload).json(),
        )

    def get_ref(self, branch: str) -> dict[str, Any]:
        """`{ref, node_id, url, object: {sha, type, url}}` for `refs/heads/<branch>`."""
        return cast(dict[str, Any], self._get(f"/git/ref/heads/{quote(branch, safe='/')}"))

    def create_ref(self, branch: str, sha: str) -> dict[str, Any]:
        body = {"ref": f"refs/heads/{branch}", "sha": sha}
        return cast(
            dict[str, Any],
            self.http.request("POST", self._path("/git/refs"), json_body=body).json(),
        )

    def update_ref(
        self, branch: str, sha: str, force: bool = False, *, expected: str | None = None
    ) -> dict[str, Any]:
        """Move a branch to `sha`; with `expected`, only if the branch still points there.

        The REST API has no compare-and-swap for refs, so the check is a read before the
        write: a push landing between the two (one round trip) is not seen. With force=False
        GitHub still refuses a non-fast-forward move (422), so that race can only overwrite
        history when force=True. For a true atomic check push with git's --force-with-lease.
        """
        if expected is not None:
            current = str(self.get_ref(branch)["object"]["sha"])
            if current != expected:
                raise Conflict(
                    409,
                    f"branch {branch} moved: expected {expected[:12]}, found {current[:12]}; "
                    "fetch and rebuild the change on the new tip",
                    method="PATCH",
                    url=self.http.url(self._path(f"/git/refs/heads/{branch}")),
                )
        tail = f"/git/refs/heads/{quote(branch, safe='/')}"
        body = {"sha": sha, "force": force}
        return cast(
            dict[str, Any], self.http.request("PATCH", self._path(tail), json_body=body).json()
        )

    def compare(self, base: str, head: str) -> dict[str, Any]:
        tail = f"/compare/{quote(base, safe='/:')}...{quote(head, safe='/:')}"
        return cast(dict[str, Any], self._get(tail))

    def list_commits(
        self, sha: str | None = None, per_page: int = 30, max_items: int | None = None
    ) -> list[dict[str, Any]]:
        return self._list("/commits", {"sha": sha, "per_page": per_page}, max_items=max_items)

    def get_commit(self, ref: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._get(f"/commits/{quote(ref, safe='/')}"))

    # -- secrets -----------------------------------------------------------------------------------

    def public_key(self) -> dict[str, str]:
        """The repository's Actions secrets public key: `{key_id, key}` (key in Base64)."""
        return cast(dict[str, str], self._get("/actions/secrets/public-key"))

    def put_secret(self, name: str, value: str) -> bool:
        """Create or update an Actions secret (sealed box); True when it was created.

        PUT of the same sealed value is idempotent, so unlike other writes it is retried on 5xx.
        """
        if not _SECRET_NAME.fullmatch(name) or name.upper().startswith("GITHUB_"):
            raise InputError(
                f"secret name {name!r}: use letters, digits and _, not starting with a digit "
                "or GITHUB_"
            )
        if len(value.encode()) > _SECRET_MAX_BYTES:
            raise InputError(f"secret {name}: value is larger than GitHub's 48 KB limit")
        from nacl.encoding import Base64Encoder
        from nacl.public import PublicKey, SealedBox

        key = self.public_key()
        box = SealedBox(PublicKey(key["key"].encode(), Base64Encoder))
        sealed = base64.b64encode(bytes(box.encrypt(value.encode()))).decode()
        body = {"encrypted_value": sealed, "key_id": key["key_id"]}
        reply = self.http.request(
            "PUT", self._path(f"/actions/secrets/{name}"), json_body=body, idempotent=True
        )
        return reply.status == 201
