"""Conversations with the real triage models (trained from the bundled demo set), knowledge base and repeats.

Slow: training the demo models and building the demo index take several seconds. The assertions
rest on the rule-based parts (emergency hand-over, redirect rules, repeat rules) and on clearly
answerable knowledge-base questions, not on what the small demo models happen to predict.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.dialogue import DialogueManager
from assistant.factory import build_dialogue_manager, load_knowledge, load_triage
from assistant.store import ConversationEventKind
from workorders.db import make_engine
from workorders.migrate import upgrade

from .conftest import COMPLETE_FIRST_MESSAGE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_components(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("classifiers.triage")
    pytest.importorskip("knowledge_base.index")
    from workorders.config import load_city_config

    config = load_city_config()
    home = tmp_path_factory.mktemp("intake-home")
    triage = load_triage(home / "models", config, bootstrap=True)
    knowledge = load_knowledge(home / "kb", build_demo=True)
    assert knowledge is not None
    return {"triage": triage, "knowledge": knowledge, "home": home}


@pytest.fixture
def real_assistant(real_components: dict[str, Any], tmp_path: Path, clock) -> Iterator[DialogueManager]:  # type: ignore[no-untyped-def]
    from serving.settings import Settings

    settings = Settings(home=tmp_path)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    engine.dispose()
    manager = build_dialogue_manager(
        settings, triage=real_components["triage"], knowledge=real_components["knowledge"], clock=clock
    )
    yield manager


def test_the_real_triager_is_used(real_components: dict[str, Any]) -> None:
    from assistant.adapters import TriagerAdapter

    assert isinstance(real_components["triage"], TriagerAdapter)


def test_complete_first_message_and_filing(real_assistant: DialogueManager) -> None:
    first = real_assistant.handle("r-complete", COMPLETE_FIRST_MESSAGE)
    assert first.custom["state"] == "confirming"
    assert first.custom["triage"]["model_versions"]
    filed = real_assistant.handle("r-complete", "确认")
    order = real_assistant.orders.get(filed.custom["work_order_id"])
    assert (
        order.triage is not None
        and order.triage["model_versions"] == first.custom["triage"]["model_versions"]
    )


def test_emergency_mid_conversation(real_assistant: DialogueManager) -> None:
    real_assistant.handle("r-emergency", "我们小区的电梯坏了好几天了，物业一直不修")
    result = real_assistant.handle("r-emergency", "等等，楼道里着火了，冒了好多烟")
    assert result.custom["state"] == "emergency"
    assert "119" in result.text
    assert real_assistant.orders.count() == 0


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("法院已经判决了，对方就是不执行，你们帮我管管", "litigation"),
        ("我已经申请劳动仲裁了，仲裁委一直不开庭", "arbitration"),
        ("举报我们村支书贪污扶贫款", "discipline_inspection"),
        ("我想申请政府信息公开，要拆迁补偿的文件", "information_disclosure"),
    ],
)
def test_real_redirects(real_assistant: DialogueManager, message: str, kind: str) -> None:
    result = real_assistant.handle(f"r-redirect-{kind}", message)
    assert result.custom["state"] == "redirected"
    assert result.custom["redirect"]["kind"] == kind
    assert "《" in result.text and "》第" in result.text, "the legal basis is cited"
    assert real_assistant.orders.count() == 0
    assert real_assistant.store.count(ConversationEventKind.REDIRECT) == 1


def test_knowledge_base_answers_a_consultation(real_assistant: DialogueManager) -> None:
    result = real_assistant.handle("r-kb", "请问离职以后住房公积金怎么提取？")
    assert result.custom["state"] == "knowledge_offered"
    assert "公积金" in result.text
    assert real_assistant.orders.count() == 0


def test_repeat_with_real_rules(real_assistant: DialogueManager) -> None:
    for message in (COMPLETE_FIRST_MESSAGE, "确认"):
        real_assistant.handle("r-first", message)
    again = real_assistant.handle(
        "r-again",
        "我叫张伟，电话13812345678。南湖区建设路88号幸福小区门口的烧烤摊又吵到半夜，油烟很大，还是没人管。",
    )
    assert again.custom["state"] == "confirm_repeat"
    linked = real_assistant.handle("r-again", "好的")
    assert linked.custom["state"] == "linked"
    assert real_assistant.orders.count() == 1


def test_the_deployment_setting_raises_the_knowledge_floor(tmp_path, real_components: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from serving.settings import Settings

    settings = Settings(home=tmp_path / "home", knowledge_min_similarity=0.64)
    settings.home.mkdir(parents=True)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    engine.dispose()
    manager = build_dialogue_manager(
        settings, triage=real_components["triage"], knowledge=real_components["knowledge"], warm_up=False
    )
    assert manager.settings.knowledge_min_similarity == 0.64
