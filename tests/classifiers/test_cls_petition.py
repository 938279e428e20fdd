"""Petitions (信访): a stated wish to petition gives the petition tier (60 days) and an Art. 15 class."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from classifiers.petition import is_petition, petition_class
from classifiers.triage import Triager
from workorders.enums import MatterType, UrgencyTier

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "text",
    [
        "我要信访。高新区人社局对我的工伤认定结论不对，我不服",
        "我对区住建局对我家房子的违建认定不服，去了好几次都没人理，我要上访",
        "信访，关于我家宅基地被村里收回的事，乡政府处理决定不公",
        "信访事项：村里的土地补偿款至今没有发放",
        "我们准备去市里上访，反映小区开发商延期交房的问题",
        "我想写一封信访信反映村干部的问题",
    ],
)
def test_a_stated_wish_to_petition_is_a_petition(text: str) -> None:
    assert is_petition(text)


@pytest.mark.parametrize(
    "text",
    [
        "信访局门口的路灯坏了",
        "我去年信访过，到现在没有结果",
        "小区物业乱收费，希望有关部门管一管",
        "请问信访局的上班时间是几点",
        "我要去信访局那条路上，路面塌了一个坑",
    ],
)
def test_other_mentions_are_not(text: str) -> None:
    assert not is_petition(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我要信访，举报村主任侵占集体土地", MatterType.PETITION_ACCUSATION),
        ("我要信访，建议在我们镇增设一所幼儿园", MatterType.PETITION_SUGGESTION),
        ("我要信访，建议政府把违法占用的土地还给我们", MatterType.PETITION_CLAIM),
        ("我要信访，工伤认定结论不对，我不服", MatterType.PETITION_CLAIM),
    ],
)
def test_petition_classes(text: str, expected: MatterType) -> None:
    assert petition_class(text) is expected


@pytest.fixture
def triager(demo_models: Path, city_config) -> Triager:  # type: ignore[no-untyped-def]
    return Triager.load(demo_models, city_config)


def test_a_petition_gets_sixty_days_and_its_class(triager: Triager) -> None:
    result = triager.triage("我要信访。镇政府征收我家承包地，补偿款至今没有落实，我不服", now=NOW)
    assert result.urgency.tier is UrgencyTier.PETITION
    assert result.urgency.deadline_at is not None
    assert result.urgency.deadline_at - NOW >= dt.timedelta(days=59)
    assert result.matter_type.label is MatterType.PETITION_CLAIM
    assert result.model_versions["petition"] == "petition_rules.v1"


def test_an_urgent_petition_keeps_its_urgency(triager: Triager) -> None:
    result = triager.triage("我要上访！小区停水三天了，家里老人孩子没水喝", now=NOW)
    assert result.urgency.tier is UrgencyTier.EXPEDITED
    assert result.matter_type.label is MatterType.PETITION_CLAIM


def test_an_ordinary_complaint_is_no_petition(triager: Triager) -> None:
    result = triager.triage("小区门口的路灯坏了一个星期", now=NOW)
    assert result.urgency.tier is not UrgencyTier.PETITION
    assert result.matter_type.label not in {MatterType.PETITION_CLAIM, MatterType.PETITION_ACCUSATION}
