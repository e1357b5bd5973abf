"""HTTP transport for the GitHub REST API: auth, redirects, retries, ETag cache, Link paging.

Retry policy (github-api.md §3 and GitHub's "best practices" page):
- GET/HEAD/OPTIONS are retried on 5xx, dropped connections and timeouts, with exponential
  backoff and jitter.
- Every method, including POST/PUT/PATCH/DELETE, is retried after a rate-limit answer (403/429
  with `retry-after`, `x-ratelimit-remaining: 0` or a "secondary rate limit" message) and after a
  connection error that happened before anything was sent: GitHub refused or never saw the
  request, so nothing happened. Other failures of non-idempotent calls are raised at once; a
  caller that can check whether the call took effect (reruns do) may retry on its own.
- The wait honours `retry-after`, else `x-ratelimit-reset` when the budget is 0, else at least
  60 s for a secondary limit; a wait longer than `max_wait` raises RateLimited instead.
The waits and the rate budget live in `rate`; replies and their ETag cache in `replies`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from smartmon.atomic import write_json
from smartmon.errors import InputError
from smartmon.github.errors import (
    ConnectionFailed,
    GitHubError,
    error_from_response,
    is_rate_limited,
)
from smartmon.github.rate import Clock, Pacing, RateInfo, failed_before_send
from smartmon.github.replies import EtagCache, Reply, parse_links
from smartmon.model import VERSION as __version__
from smartmon.redact import redact

__all__ = ["Clock", "RateInfo", "Reply", "Transport"]

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
JSON_MEDIA_TYPE = "application/vnd.github+json"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 5


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class Transport(Pacing):
    """Sends requests to one GitHub API base URL; the token goes only to that origin."""

    def __init__(
        self,
        token: str | None = None,
        *,
        api_url: str | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] | None = None,
        max_retries: int = 5,
        timeout: float = 30,
        max_wait: float = 900.0,
        cache_size: int = 256,
    ) -> None:
        self._token = token if token is not None else os.environ.get("GITHUB_TOKEN") or None
        base = api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
        if urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc:
            raise InputError(
                f"GITHUB_API_URL {redact(base)!r}: expected an http(s) URL such as {DEFAULT_API_URL}"
            )
        self.api_url = base.rstrip("/")
        self.session = session if session is not None else requests.Session()
        self.clock: Clock = clock or time.time
        self.sleep: Callable[[float], None] = sleep or time.sleep
        self.max_retries = max_retries
        self.timeout = timeout
        self.max_wait = max_wait
        self.rate: RateInfo | None = None
        self.on_rate: Callable[[RateInfo], None] | None = None
        # Called before every attempt (retries too); raising stops the request (a lookup budget).
        self.before_send: Callable[[], None] | None = None
        self._cache = EtagCache(cache_size)
        self._token_key = (
            hashlib.sha256(self._token.encode()).hexdigest()[:16] if self._token else "anonymous"
        )
        self._random = random.Random()

    def __repr__(self) -> str:
        auth = "with token" if self._token else "anonymous"
        return f"<{type(self).__name__} {self.api_url} {auth}>"

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def redact(self, text: str) -> str:
        return redact(text, (self._token,))

    def load_etags(self, path: Path, *, max_bytes: int | None = None) -> None:
        """Read ETags and bodies kept by `save_etags`, so a new process's GETs can answer 304.

        A file over `max_bytes` is not read (the cache starts empty, and the next save shrinks it).
        """
        try:
            if max_bytes is not None and path.stat().st_size > max_bytes:
                log.warning("ETag cache %s is over %d bytes; starting empty", path, max_bytes)
                return
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            if path.exists():
                log.warning("ETag cache %s unreadable (%s); starting empty", path, exc)
            return
        if isinstance(entries, list):
            self._cache.restore([e for e in entries if isinstance(e, dict)])

    def reserve_etags(self, entries: int) -> None:
        """Keep at least `entries` replies (an organisation scan needs a few per repository)."""
        self._cache.max_entries = max(self._cache.max_entries, entries)

    def save_etags(
        self,
        path: Path,
        *,
        max_body: int | None = None,
        max_entries: int | None = None,
        max_total: int | None = None,
    ) -> None:
        """Keep the ETag cache in `path` (mode 0600: bodies are what the token could read).

        Only the newest `max_entries` replies with a body of at most `max_body` bytes, and no more
        than `max_total` bytes of bodies in all, are kept (None: no limit).
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        entries = self._cache.dump(max_body=max_body, max_entries=max_entries, max_total=max_total)
        write_json(path, entries, mode=0o600)

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """Absolute URL for an API path (absolute URLs, e.g. from `Link`, pass through)."""
        url = path if path.startswith(("http://", "https://")) else self.api_url + path
        query = {k: _param(v) for k, v in (params or {}).items() if v is not None}
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query)
        return url

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        accept: str = JSON_MEDIA_TYPE,
        idempotent: bool | None = None,
    ) -> Reply:
        """Send one API call with retries; return a 2xx reply or raise a GitHubError."""
        method = method.upper()
        url = self.url(path, params)
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        body = None if json_body is None else json.dumps(json_body).encode()
        cache_key = f"{self._token_key}|{accept}|{url}"
        cached = self._cache.get(cache_key) if method == "GET" else None
        attempt = 0
        while True:
            failure: str | None = None
            if self.before_send is not None:
                self.before_send()
            try:
                reply = self._send(method, url, body, accept, cached)
            except requests.RequestException as exc:
                # Keep only text: requests' exception holds the request, Authorization included,
                # and raising from here would chain it as __context__.
                unsent = failed_before_send(exc)
                failure = self.redact(f"{type(exc).__name__}: {exc}")
            if failure is not None:
                if attempt < self.max_retries and (safe or unsent):
                    delay = self.backoff(attempt)
                    log.warning(
                        "%s %s: %s; retrying in %.1fs", method, self.redact(url), failure, delay
                    )
                    self.sleep(delay)
                    attempt += 1
                    continue
                what = "could not connect" if unsent else "connection failed"
                raise ConnectionFailed(
                    None, f"{what}: {failure}", method=method, url=self.redact(url)
                )
            if reply.status == 304 and cached is not None:
                log.debug("%s %s -> 304 (cached)", method, self.redact(url))
                return replace(cached, from_cache=True)
            if 200 <= reply.status < 300:
                if method == "GET" and "etag" in reply.headers and reply.url == url:
                    self._cache.put(cache_key, reply)
                return reply
            limited = is_rate_limited(reply.status, reply.headers, reply.content)
            wait = self._retry_delay(reply, attempt, limited, safe)
            if wait is not None and attempt < self.max_retries:
                log.warning(
                    "%s %s -> %s; retrying in %.1fs",
                    method,
                    self.redact(url),
                    reply.status,
                    wait,
                )
                self.sleep(wait)
                attempt += 1
                continue
            raise error_from_response(
                method,
                url,
                reply.status,
                reply.headers,
                reply.content,
                secrets=(self._token,),
            )

    def paginate(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        key: str | None = None,
        max_items: int | None = None,
    ) -> Iterator[Any]:
        """Yield the items of every page, following `Link: rel="next"` (never built by hand)."""
        url: str | None = self.url(path, params)
        count = 0
        while url and (max_items is None or count < max_items):
            reply = self.request("GET", url)
            data = reply.json()
            items = data.get(key) if key and isinstance(data, dict) else data
            if not isinstance(items, list):
                raise GitHubError(
                    reply.status,
                    f"expected a list{f' in {key!r}' if key else ''}; is GITHUB_API_URL right?",
                    method="GET",
                    url=self.redact(url),
                )
            for item in items:
                if max_items is not None and count >= max_items:
                    return
                count += 1
                yield item
            url = reply.links.get("next")

    def _send(
        self, method: str, url: str, body: bytes | None, accept: str, cached: Reply | None
    ) -> Reply:
        """One attempt, following redirects by hand so the token never leaves the API origin."""
        api_origin = _origin(self.api_url)
        authorized = _origin(url) == api_origin
        for _ in range(_MAX_REDIRECTS + 1):
            headers: dict[str, str | None] = {"User-Agent": f"smartmon/{__version__}"}
            if authorized:
                headers["Accept"] = accept
                headers["X-GitHub-Api-Version"] = API_VERSION
                if cached is not None and "etag" in cached.headers:
                    headers["If-None-Match"] = cached.headers["etag"]
                if body is not None:
                    headers["Content-Type"] = "application/json"
            # None removes any Authorization a caller-supplied session carries.
            headers["Authorization"] = (
                f"Bearer {self._token}" if authorized and self._token else None
            )
            resp = self.session.request(
                method,
                url,
                data=body if authorized else None,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
            log.debug("%s %s -> %s", method, self.redact(url), resp.status_code)
            if _origin(url) == api_origin:
                self._note_rate(resp.headers)
            location = resp.headers.get("location")
            if resp.status_code in _REDIRECTS and location and method in IDEMPOTENT_METHODS:
                target = urljoin(url, location)
                # Temporary redirects point at signed blob URLs (job logs, zips), possibly on the
                # API host itself (the sandbox, GHES): never send the token there. Only a permanent
                # move inside the API (a renamed repository) keeps it.
                authorized = resp.status_code in (301, 308) and _origin(target) == api_origin
                url, cached = target, None
                continue
            return Reply(
                status=resp.status_code,
                headers=CaseInsensitiveDict(resp.headers),
                content=resp.content,
                url=url,
                links=parse_links(resp.headers.get("link")),
            )
        raise GitHubError(None, "too many redirects", method=method, url=self.redact(url))


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
