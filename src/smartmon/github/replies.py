"""One HTTP answer from the API, and the bounded ETag cache that replays it on a 304."""

from __future__ import annotations

import base64
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from requests.structures import CaseInsensitiveDict
from requests.utils import parse_header_links

from smartmon.github.errors import GitHubError
from smartmon.redact import redact

_MAX_CACHED_BODY = 2 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    """One HTTP answer, after redirects; `from_cache` is True when a 304 replayed a cached body."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str
    from_cache: bool = False
    links: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        if not self.content:
            return None
        try:
            return json.loads(self.content.decode("utf-8"))
        except ValueError:
            raise GitHubError(
                self.status,
                "the answer is not JSON; is GITHUB_API_URL the REST API base?",
                url=redact(self.url),
            ) from None


def parse_links(header: str | None) -> dict[str, str]:
    """`Link` header → `{rel: url}` (paging follows `next`, never builds page URLs by hand)."""
    if not header:
        return {}
    return {link["rel"]: link["url"] for link in parse_header_links(header) if "rel" in link}


class EtagCache:
    """Bounded LRU of GET replies keyed by URL, media type and a hash of the token."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Reply] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Reply | None:
        with self._lock:
            reply = self._entries.get(key)
            if reply is not None:
                self._entries.move_to_end(key)
            return reply

    def put(self, key: str, reply: Reply) -> None:
        if self.max_entries <= 0 or len(reply.content) > _MAX_CACHED_BODY:
            return
        with self._lock:
            self._entries[key] = reply
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def dump(
        self,
        *,
        max_body: int | None = None,
        max_entries: int | None = None,
        max_total: int | None = None,
    ) -> list[dict[str, Any]]:
        """The entries as JSON-ready values (oldest first), for a cache that outlives a process:
        the newest `max_entries` whose body is at most `max_body` bytes, up to `max_total` bytes
        of bodies (None: no limit)."""
        with self._lock:
            newest_first = list(reversed(self._entries.items()))
        items: list[tuple[str, Reply]] = []
        total = 0
        for key, reply in newest_first:
            size = len(reply.content)
            if max_body is not None and size > max_body:
                continue
            if max_entries is not None and len(items) >= max_entries:
                break
            if max_total is not None and total + size > max_total:
                break
            total += size
            items.append((key, reply))
        items.reverse()
        return [
            {
                "key": key,
                "status": reply.status,
                "etag": reply.headers.get("etag", ""),
                "content_type": reply.headers.get("content-type", ""),
                "content": base64.b64encode(reply.content).decode(),
                "url": reply.url,
                "links": dict(reply.links),
            }
            for key, reply in items
        ]

    def restore(self, entries: list[dict[str, Any]]) -> None:
        """Put back what `dump` returned; entries that are not well formed are dropped."""
        for entry in entries:
            try:
                headers = {"etag": str(entry["etag"]), "content-type": str(entry["content_type"])}
                reply = Reply(
                    status=int(entry["status"]),
                    headers=CaseInsensitiveDict(headers),
                    content=base64.b64decode(str(entry["content"])),
                    url=str(entry["url"]),
                    links={str(k): str(v) for k, v in dict(entry["links"]).items()},
                )
            except (KeyError, TypeError, ValueError):
                continue
            if reply.headers["etag"]:
                self.put(str(entry["key"]), reply)
