"""A JSON value kept on disk between runs, found again only under the same key.

The file is `{"key": …, "sha256": …}` on its first line, then the JSON body: a stale key, a body
that does not hash to what the header says (a torn or edited file), unreadable bytes or a folder
that cannot be written all mean "no cache" and never an error. Writes are atomic (temp file, then
rename). The folder is the user's cache (`$XDG_CACHE_HOME/smartmon`, else `~/.cache/smartmon`),
never the installed package.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """`$XDG_CACHE_HOME/smartmon`, else `~/.cache/smartmon`; None without a home directory."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "smartmon"


def digest(parts: Iterable[bytes]) -> str:
    """A key over several byte strings (each length-prefixed, so no two lists collide)."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "little"))
        sha.update(part)
    return sha.hexdigest()


def read(path: Path, key: str) -> Any | None:
    """The value stored under `key`, or None when the file is missing, stale or damaged."""
    try:
        with path.open("rb") as fh:
            header = json.loads(fh.readline())
            if not isinstance(header, dict) or header.get("key") != key:
                return None
            body = fh.read()
        if hashlib.sha256(body).hexdigest() != header.get("sha256"):
            return None
        return json.loads(body)
    except (OSError, ValueError) as exc:
        log.debug("cache %s unusable (%s)", path, exc)
        return None


def write(path: Path, key: str, value: Any) -> None:
    """Store `value` under `key`, atomically; a folder that cannot be written is no error."""
    body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    header = json.dumps({"key": key, "sha256": hashlib.sha256(body).hexdigest()}).encode()
    try:
        from smartmon.atomic import write_bytes

        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, header + b"\n" + body)
    except OSError as exc:
        log.debug("cache %s not written (%s)", path, exc)
