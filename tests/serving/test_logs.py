"""Masked structured logging: no phone or ID number reaches a log line in clear."""

from __future__ import annotations

import io
import json
import logging

import pytest

from serving.logs import JsonFormatter, MaskingFilter, mask_text

ID = "11010519900307123X"


@pytest.mark.parametrize(
    ("text", "clear"),
    [
        ("请回电13812345678", "13812345678"),
        ("手机 +86 138-1234-5678 谢谢", "1234-5678"),
        ("座机0531-88886666", "88886666"),
        (f"身份证号{ID}", ID),
        ("旧证 110105900307123", "110105900307123"),
    ],
)
def test_mask_text_hides_numbers(text: str, clear: str) -> None:
    masked = mask_text(text)
    assert clear not in masked
    assert "*" in masked


def test_mask_text_keeps_order_numbers_and_dates() -> None:
    text = "工单20261127-000123 于 2026-11-27 12:00 受理，金额 3000 元"
    assert mask_text(text) == text


def _logger() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.masking")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_json_lines_are_masked_in_message_args_extra_and_traceback() -> None:
    logger, stream = _logger()
    logger.info("citizen %s called", "13900001111", extra={"query": f"phone=13700002222&id={ID}"})
    try:
        raise ValueError("bad phone 13600003333")
    except ValueError:
        logger.exception("failed for %s", ID)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 2
    raw = stream.getvalue()
    for clear in ("13900001111", "13700002222", "13600003333", ID):
        assert clear not in raw
    assert lines[0]["message"] == "citizen 139****1111 called"
    assert lines[0]["query"].startswith("phone=137****2222")
    assert "exception" in lines[1]


def test_access_log_of_the_app_is_masked(client, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="intake.access")
    client.get("/healthz?phone=13812345678")
    records = [r for r in caplog.records if r.name == "intake.access"]
    assert records, "the access log wrote nothing"
    formatter = JsonFormatter()
    masking = MaskingFilter()
    for record in records:
        masking.filter(record)
        line = formatter.format(record)
        assert "13812345678" not in line
    assert any("138****5678" in formatter.format(r) for r in records)
