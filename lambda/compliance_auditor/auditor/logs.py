"""Structured logs: every log line is one JSON object, so CloudWatch Logs Insights can query its fields.

The logger writes to stdout itself instead of propagating to the Lambda runtime's root handler, which would
prefix each line with a plain-text level, timestamp and request id and break the JSON.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

LOGGER_NAME = "compliance_auditor"


class JsonLineFormatter(logging.Formatter):
    """Formats a record as one JSON line: time, level, message and the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class _StdoutHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stdout is at the time of the call (the Lambda runtime and pytest both swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def get_logger(level: str = "INFO") -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(h, _StdoutHandler) for h in logger.handlers):
        handler = _StdoutHandler()
        handler.setFormatter(JsonLineFormatter())
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(level)
    return logger


def log(
    logger: logging.Logger, level: int, message: str, *, exception: BaseException | None = None, **fields: Any
) -> None:
    """Logs `message` with `fields` as top-level keys of the JSON line (and `exception`'s traceback, if given)."""
    logger.log(level, message, exc_info=exception, extra={"fields": fields})
