from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from knowledge_base.cases import case_from_closed_order, load_cases, usable_reply

SUBSTANTIVE = "经现场核查，该工地未取得夜间施工许可，已责令停止夜间施工并立案处罚。2024年5月6日"


@pytest.mark.parametrize(
    "reply",
    [
        "网友：您好！留言已收悉",
        "您的留言已收悉。关于您反映的问题，已转市交通局调查处理。",
        "“网友123”您好！您反映的问题已转县水利局核实、办理，感谢您的留言。2019年3月1日",
        "感谢您的建议！我们会继续努力！谢谢！",
        "经核查，小区停车收费标准已报物价部门备案，按照",  # stops mid-sentence
        "经核查，您反映的问题属实，我局将于近期",  # truncated without punctuation
        "",
        None,
    ],
)
def test_non_answers_are_refused(reply: str | None) -> None:
    assert usable_reply(reply) is None


def test_substantive_reply_is_kept() -> None:
    assert usable_reply(SUBSTANTIVE) == SUBSTANTIVE


def test_trailing_forwarding_notice_is_cut() -> None:
    raw = SUBSTANTIVE + "您的留言已收悉！我们已将您反映的问题转相关部门进行处理，敬请关注后续回复，谢谢！"
    cleaned = usable_reply(raw)
    assert cleaned is not None
    assert "收悉" not in cleaned
    assert cleaned.startswith("经现场核查")


def test_full_width_spaces_are_normalised() -> None:
    cleaned = usable_reply("\u3000\u3000经核实，路灯线路已修复，恢复照明。\u3000\u3000")
    assert cleaned == "经核实，路灯线路已修复，恢复照明。"


def test_load_csv_and_jsonl_and_dedupe(tmp_path: Path) -> None:
    rows = [
        {
            "title": "路灯不亮",
            "body": "和平路路灯不亮一个月了。",
            "time": "2024-01-02 10:00:00",
            "reply": SUBSTANTIVE,
            "reply_time": "2024-01-05",
        },
        {
            "title": "路灯不亮",
            "body": "和平路路灯不亮一个月了。",
            "time": "2024-01-02 10:00:00",
            "reply": "",
            "reply_time": "",
        },
        {"title": "", "body": "", "time": "", "reply": "", "reply_time": ""},
    ]
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(
        json.dumps(
            {
                "title": "欠薪",
                "body": "老板拖欠工资。",
                "reply": "网友：您好！留言已收悉",
                "category": "劳动和社会保障",
                "department": "human_resources",
                "time": "2024-02-03",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    cases = load_cases([path, jsonl])
    assert len(cases) == 2
    lamp, wages = cases
    assert lamp.kind == "case" and lamp.date == "2024-01-02" and lamp.reply == SUBSTANTIVE
    assert lamp.meta["replied"] == "2024-01-05"
    assert wages.reply is None and wages.meta["has_raw_reply"] is True
    assert wages.category == "劳动和社会保障" and wages.meta["department"] == "human_resources"


def test_unsupported_file_type(tmp_path: Path) -> None:
    bad = tmp_path / "cases.txt"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError):
        load_cases(bad)


@dataclass
class _Order:
    number: str
    title: str
    request: str
    facts: str
    reply_text: str | None
    category: str
    lead_department: str
    closed_at: datetime
    created_at: datetime


def test_case_from_closed_order_object_and_mapping() -> None:
    order = _Order(
        number="20261127-000123",
        title="井盖缺失",
        request="请尽快补上井盖",
        facts="和平路口井盖缺失，晚上很危险",
        reply_text="经现场核查，已于当日设置围挡并更换新井盖，恢复正常通行。",
        category="城乡建设",
        lead_department="urban_management",
        closed_at=datetime(2026, 11, 27, 3, 0, tzinfo=UTC),
        created_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
    )
    chunk = case_from_closed_order(order)
    assert chunk.id == "case:order:20261127-000123"
    assert chunk.text == "请尽快补上井盖\n和平路口井盖缺失，晚上很危险"
    assert chunk.reply and chunk.reply.startswith("经现场核查")
    assert chunk.date == "2026-11-27"
    assert chunk.meta["department"] == "urban_management"
    assert chunk.source == "work_order:20261127-000123"
    as_map = case_from_closed_order({**order.__dict__, "reply_text": "您的留言已收悉。"})
    assert as_map.id == chunk.id and as_map.reply is None


def test_case_from_order_without_request_is_refused() -> None:
    with pytest.raises(ValueError):
        case_from_closed_order({"number": "1", "request": ""})


@pytest.mark.shared_data
def test_real_replies_filter_rate(shared_data: Path) -> None:
    cases = load_cases(shared_data / "cases" / "replies.csv")
    refused = sum(c.reply is None for c in cases)
    # The README counts about 114 acknowledgement-length replies plus forwarding and truncated ones.
    assert 114 <= refused <= 0.2 * len(cases)
