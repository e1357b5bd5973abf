"""The monitor's log file: rotating, and redacted (tokens, URL credentials, known secret values)."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterable
from pathlib import Path

from smartmon.redact import redact

DEFAULT_LOG_FILE = Path("logs/continuous_workflow_monitor.log")
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 3


class RedactingFilter(logging.Filter):
    """Masks secrets in the formatted message (and any traceback) before a handler writes it."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text, self.secrets)
            record.exc_info = None
        return True


def open_log_file(
    path: Path = DEFAULT_LOG_FILE,
    *,
    secrets: Iterable[str | None] = (),
    level: int = logging.INFO,
    logger: str = "smartmon",
) -> logging.Handler:
    """Send `logger`'s records to a rotating file at `path`; returns the handler (to remove)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setLevel(level)
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    )
    target = logging.getLogger(logger)
    # Records below the other handlers' levels must not reach them just because the file wants
    # them: pin each unlevelled root handler at the root's level, and redact there too.
    root = logging.getLogger()
    for other in root.handlers:
        if other.level == logging.NOTSET:
            other.setLevel(root.level)
        if not any(isinstance(f, RedactingFilter) for f in other.filters):
            other.addFilter(RedactingFilter(secrets))
    if target.getEffectiveLevel() > level or target.level == logging.NOTSET:
        target.setLevel(min(level, target.getEffectiveLevel()))
    target.addHandler(handler)
    return handler


def close_log_file(handler: logging.Handler, logger: str = "smartmon") -> None:
    logging.getLogger(logger).removeHandler(handler)
    handler.close()
