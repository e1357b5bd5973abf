"""Mask GitHub tokens, credentials in URLs and known secret values in any text before it is shown."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"

# Token prefixes from github.blog's 2021-03-31 changelog (ghp_, gho_, ghu_, ghs_, ghr_) plus the
# fine-grained `github_pat_` form. The body is matched generously (any word characters, at least
# 16) so longer and future token formats are still caught.
_TOKEN = re.compile(r"\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}")
# `Authorization: Bearer x`, `authorization=token x`, and dict reprs like `'Authorization': 'x'`.
# The value stops at a backslash: inside JSON text `\"` ends it, and eating the `\` would leave
# an unescaped quote (a report holding `-H "Authorization: Bearer $T"` became invalid JSON).
_AUTH_HEADER = re.compile(
    r"""(?i)(["']?authorization["']?\s*[:=]\s*["']?)((?:bearer|token|basic)\s+)?[^\s"',}\\]+"""
)
# Credentials in URLs: https://x-access-token:TOKEN@host, https://user:password@host.
_URL_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s/:@]+:)[^\s/@]+@")
_PRIVATE_KEY = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?-----END \1PRIVATE KEY-----", re.DOTALL
)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return `text` with tokens, Authorization values, URL passwords and `secrets` masked."""
    # Like the Actions runner, mask the whole value and each of its lines; longest first so a
    # secret that contains another one is masked whole.
    values: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        values.add(secret)
        values.update(line.strip() for line in secret.splitlines() if line.strip())
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, MASK)
    text = _PRIVATE_KEY.sub(lambda m: f"-----BEGIN {m.group(1)}PRIVATE KEY-----{MASK}", text)
    text = _TOKEN.sub(lambda m: m.group(1) + MASK, text)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + (m.group(2) or "") + MASK, text)
    return _URL_USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
