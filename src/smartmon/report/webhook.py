"""Tell a webhook that monitoring finished: bounded, retried with backoff, and never fatal.

A webhook URL is a credential (Slack-style hooks carry the secret in the path, others in the query
or userinfo), so logs name only its scheme and host, and exception texts are scrubbed of it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urljoin, urlsplit

from smartmon.model import VERSION as __version__
from smartmon.redact import redact

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

MAX_REDIRECTS = 3
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is not worth holding the monitor's exit
_SCHEMES = ("http", "https")
_RETRY_STATUS = frozenset({408, 425, 429})
_REPOST = frozenset({307, 308})  # the only redirects that keep the method and body


def completion_payload(final_report: Mapping[str, Any]) -> dict[str, Any]:
    """The webhook body for a final report (see schemas/webhook_payload.schema.json)."""
    basis = final_report.get("success_rate_basis")
    verified = basis.get("verified_fixes", 0) if isinstance(basis, Mapping) else 0
    return {
        "status": "monitoring_complete",
        "issues_fixed": final_report.get("total_fixes_applied", 0),
        "issues_found": final_report.get("total_issues_found", 0),
        "fixes_verified": verified,
        "reruns": final_report.get("total_reruns", 0),
        "success_rate": final_report.get("success_rate_value", 1.0),
        "total_iterations": final_report.get("total_iterations", 0),
        "stop_reason": final_report.get("stop_reason"),
        "exit_code": final_report.get("exit_code"),
        "repository": final_report.get("repository", ""),
        "monitoring_started": final_report.get("monitoring_started"),
        "monitoring_ended": final_report.get("monitoring_ended"),
        "issues_by_type": dict(final_report.get("issues_by_type") or {}),
        "fixes_by_type": dict(final_report.get("fixes_by_type") or {}),
    }


def post_webhook(
    url: str,
    payload: Mapping[str, Any],
    *,
    session: requests.Session | None = None,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    secrets: Iterable[str | None] = (),
) -> bool:
    """POST `payload` as JSON; True on a 2xx answer. Failures are logged, never raised.

    Retries (up to `retries` more attempts, waiting backoff·2ⁿ or the server's Retry-After) on
    timeouts, connection errors, 408, 425, 429 and 5xx. 307/308 redirects are followed to http(s)
    only, never from https down to http; other redirects and other 4xx answers are failures.
    """
    masks = [*(s for s in secrets if s), *_url_secrets(url)]
    where = _safe(url)
    own = session is None
    import requests  # here, not at import: `smartmon analyze` never posts and starts faster

    http = requests.Session() if session is None else session
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
            log.warning("webhook %s not called: only http and https URLs are allowed", where)
            return False
        body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"smartmon/{__version__}",
        }
        for attempt in range(retries + 1):
            outcome, detail, wait = _attempt(http, url, body, headers, timeout)
            if outcome == "ok":
                log.info("webhook %s notified", where)
                return True
            detail = redact(detail, masks)
            if outcome == "fail" or attempt == retries:
                log.warning("webhook %s failed after %d attempt(s): %s", where, attempt + 1, detail)
                return False
            delay = wait if wait is not None else backoff * 2**attempt
            log.info("webhook %s: %s; retrying in %.1f s", where, detail, delay)
            sleep(delay)
        return False
    except Exception as exc:  # the monitor's exit must never depend on a webhook
        log.warning("webhook %s failed: %s", where, redact(f"{type(exc).__name__}: {exc}", masks))
        return False
    finally:
        if own:
            http.close()


def _attempt(
    http: requests.Session, url: str, body: bytes, headers: Mapping[str, str], timeout: float
) -> tuple[str, str, float | None]:
    """One delivery, following allowed redirects: ("ok" | "retry" | "fail", why, retry-after)."""
    import requests

    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = http.post(
                current,
                data=body,
                headers=dict(headers),
                timeout=timeout,
                allow_redirects=False,
                stream=True,  # the answer's body is never needed; do not download it
            )
        except requests.Timeout:
            return "retry", f"no answer within {timeout:g} s", None
        except requests.ConnectionError as exc:
            return "retry", f"connection failed ({_reason(exc)})", None
        except requests.RequestException as exc:
            return "fail", f"{type(exc).__name__}: {exc}", None
        with response:
            status = response.status_code
            location = response.headers.get("Location", "")
            retry_after = response.headers.get("Retry-After", "")
        if 200 <= status < 300:
            return "ok", str(status), None
        if status in _REPOST and location:
            target = urljoin(current, location)
            refusal = _refuse_redirect(urlsplit(current), urlsplit(target))
            if refusal:
                return "fail", f"redirect {status} not followed: {refusal}", None
            current = target
            continue
        if 300 <= status < 400:
            return "fail", f"answered {status}; a webhook must accept the POST itself", None
        if status >= 500 or status in _RETRY_STATUS:
            return "retry", f"answered {status}", _retry_after(retry_after)
        return "fail", f"answered {status}", None
    return "fail", f"more than {MAX_REDIRECTS} redirects", None


def _refuse_redirect(source: SplitResult, target: SplitResult) -> str | None:
    scheme = target.scheme.lower()
    if scheme not in _SCHEMES or not target.hostname:
        return f"target scheme {scheme or '(none)'!r} is not http or https"
    if source.scheme.lower() == "https" and scheme == "http":
        return "it downgrades https to http"
    return None


def _retry_after(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "Connection reset"):
        if marker in text:
            return marker
    return type(exc).__name__


def _url_secrets(url: str) -> list[str]:
    """Parts of a URL that may be credentials, longest first so redact() masks them whole."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    found = [url, parts.query, parts.fragment, parts.username or "", parts.password or ""]
    if parts.path not in ("", "/"):
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        found.append(parts.path)
    return sorted({f for f in found if len(f) > 1}, key=len, reverse=True)


def _safe(url: str) -> str:
    """scheme://host[:port] and an ellipsis for anything after it."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(invalid URL)"
    rest = "/…" if parts.path not in ("", "/") or parts.query or parts.fragment else ""
    return f"{parts.scheme}://{host}{port}{rest}" if host else "(invalid URL)"
