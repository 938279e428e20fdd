"""Structured (JSON-lines) logs in which phone numbers and ID numbers never appear in clear.

Citizens type their mobile number and ID number into complaints, and those reach log lines through
request paths, query strings, exception messages and tracebacks. Masking therefore happens on the
*final* text of each record, by a filter on the handler (`MaskingFilter`) and again by the JSON
formatter, so that no code path can bypass it. Masks follow `workorders.validation`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

from workorders.validation import mask_personal_data

#: Attributes every LogRecord has; anything else was passed with ``extra=`` and goes into the JSON.
_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
    | {"message", "asctime", "color_message"}  # uvicorn's ANSI-coloured copy of the message
)


def mask_text(text: str) -> str:
    """`text` with every ID number, mobile and landline number masked (see `mask_personal_data`)."""
    return mask_personal_data(text)


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: _mask_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_value(v) for v in value]
    return value


class MaskingFilter(logging.Filter):
    """Resolve the message, mask it, and drop the args so no formatter sees the clear values."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string must still be logged, not lost
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = mask_text(message), None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRS:
                setattr(record, key, _mask_value(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, any ``extra`` fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return mask_text(json.dumps(entry, ensure_ascii=False, default=str))


class CurrentStderrHandler(logging.StreamHandler):
    """A stream handler that writes to whatever `sys.stderr` is when a record is emitted.

    A handler bound to the stderr object of the moment would keep writing to it after a test runner
    or an embedding application has swapped (and closed) it.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # type: ignore[no-untyped-def]
        """Ignored: the stream is always the current stderr."""


def configure_logging(level: str = "INFO", *, json_lines: bool = True) -> logging.Handler:
    """Send every logger (uvicorn's included) through one masked handler on stderr.

    Called by `intake serve`, never at import time: tests and embedding applications keep their own
    logging set-up.
    """
    handler = CurrentStderrHandler()
    handler.addFilter(MaskingFilter())
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    return handler
