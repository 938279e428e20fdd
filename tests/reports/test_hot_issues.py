"""Hot-issue detection on invented messages, with the hashing embedder (no model needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge_base.embedders import get_embedder
from reports.hot_issues import HotIssueSettings, Message, detect_hot_issues, messages_from_csv
from reports.places import common_place, find_district, place_spans

T0 = dt.datetime(2026, 11, 20, 9, 0)
EMBED = get_embedder("hashing.v1").embed
SETTINGS = HotIssueSettings(embedder="hashing.v1", growth_days=2)

NOISE = [
    "幸福里小区旁工地夜间施工噪音扰民",
    "幸福里小区边上工地半夜施工噪音大",
    "投诉幸福里小区附近工地夜间施工扰民",
    "幸福里小区西侧工地深夜施工噪音",
    "幸福里小区工地晚上施工噪音扰民严重",
]
OTHERS = [
    "丹桂苑电梯经常故障停运",
    "人民路路灯不亮存在安全隐患",
    "实验小学门口上下学拥堵",
    "咨询养老保险关系转移手续",
    "市第二人民医院挂号排队太久",
    "春晖花园物业乱收停车费",
    "建设路餐馆油烟直排居民楼",
]


def msg(i: int, title: str, days: float = 0, **kw: object) -> Message:
    fields: dict[str, object] = {"author": f"u{i}", "district": "东城区"}
    fields.update(kw)
    return Message(
        id=f"m{i}",
        title=title,
        body=title + "，请有关部门尽快处理。",
        time=T0 + dt.timedelta(days=days),
        **fields,
    )  # type: ignore[arg-type]


def test_place_helpers() -> None:
    assert find_district("南湖区滨江路停水", ["东城区", "南湖区"]) == "南湖区"
    assert find_district("A市A3区梅溪湖小区", []) == "A3区"
    assert find_district("没有区县", []) is None
    assert place_spans("投诉A市伊景园滨河苑捆绑销售车位") == ["伊景园滨河苑"]
    assert place_spans("该小区停水") == []  # a bare suffix is no place
    assert place_spans("我在恒通建材有限公司上班") == ["恒通建材公司"]
    assert common_place([["幸福里小区"], ["幸福里小区", "长青路"], ["投诉幸福里小区"]]) == ("幸福里小区", 1.0)
    assert common_place([["丹桂苑"], ["春晖花园"], ["建设路"]]) == ("", 0.0)


def test_one_matter_in_one_place_becomes_one_ranked_issue() -> None:
    messages = [msg(i, t, days=i * 0.5, likes=i) for i, t in enumerate(NOISE)]
    messages += [msg(10 + i, t, days=i * 0.3) for i, t in enumerate(OTHERS)]
    result = detect_hot_issues(messages, SETTINGS, EMBED)
    assert result.messages_clustered == len(messages)
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert issue.rank == 1
    assert issue.place == "幸福里小区"
    assert issue.district == "东城区"
    assert issue.label.startswith("东城区幸福里小区")
    assert sorted(issue.member_ids) == [f"m{i}" for i in range(len(NOISE))]
    assert issue.count == 5
    assert issue.likes == 0 + 1 + 2 + 3 + 4
    assert issue.distinct_authors == 5
    assert issue.reach == 10 + 5
    # as-of = the latest message (m4, day 2.0); growth window 2 days: m1..m4 (days 0.5-2.0)
    assert issue.recent_count == 4
    assert issue.growth == pytest.approx(4 / 5)
    assert issue.samples[0].id == "m4"  # most liked first
    assert {"工地", "施工"} & set(issue.key_terms)


def test_a_single_authors_series_is_not_a_hot_issue() -> None:
    messages = [msg(i, t, author="same-person") for i, t in enumerate(NOISE)]
    messages += [msg(10 + i, t) for i, t in enumerate(OTHERS)]
    assert detect_hot_issues(messages, SETTINGS, EMBED).issues == []


def test_the_same_matter_in_different_districts_or_far_apart_in_time_is_not_merged() -> None:
    east = [msg(i, t, district="东城区") for i, t in enumerate(NOISE[:3])]
    west = [msg(10 + i, t, district="西城区") for i, t in enumerate(NOISE[:3])]
    result = detect_hot_issues(east + west, SETTINGS, EMBED)
    assert sorted(i.district or "" for i in result.issues) == ["东城区", "西城区"]
    assert all(i.count == 3 for i in result.issues)

    later = [msg(20 + i, t, days=200) for i, t in enumerate(NOISE[3:])]
    result = detect_hot_issues(east + later, SETTINGS.model_copy(update={"min_size": 2}), EMBED)
    assert sorted(i.count for i in result.issues) == [2, 3]


def test_ranking_prefers_reach_when_counts_are_equal() -> None:
    a = [msg(i, t) for i, t in enumerate(NOISE[:3])]
    b = [
        msg(10 + i, f"丹桂苑{t}", likes=50)
        for i, t in enumerate(["电梯故障停运", "电梯经常停运故障", "电梯故障困人"])
    ]
    result = detect_hot_issues(a + b, SETTINGS, EMBED)
    assert [i.place for i in result.issues] == ["丹桂苑", "幸福里小区"]


def test_too_few_messages_give_no_issues() -> None:
    assert detect_hot_issues([], SETTINGS, EMBED).issues == []
    assert detect_hot_issues([msg(1, NOISE[0]), msg(2, NOISE[1])], SETTINGS, EMBED).issues == []


def test_messages_beyond_the_cap_are_dropped_oldest_first() -> None:
    messages = [msg(i, t, days=i) for i, t in enumerate(NOISE + OTHERS)]
    result = detect_hot_issues(messages, SETTINGS.model_copy(update={"max_messages": 10}), EMBED)
    assert result.messages_total == 12 and result.messages_clustered == 10
    assert result.note and "10" in result.note


def test_messages_from_csv_reads_a_votes_like_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.csv"
    path.write_text(
        "id,title,body,time,user,likes,extra\n"
        "1,幸福里小区噪音,晚上施工,2026-11-20 21:00:00,u1,7,x\n"
        "2,丹桂苑停水,没有水,2026-11-21 08:00:00,,,y\n"
        "3,无时间,正文,not a time,u3,1,z\n",
        encoding="utf-8",
    )
    messages = messages_from_csv(path)
    assert [(m.id, m.likes, m.author) for m in messages] == [("1", 7, "u1"), ("2", 0, None)]
    assert messages[0].time == dt.datetime(2026, 11, 20, 21, 0)
