from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from classifiers import urgency_rules
from classifiers.store import ModelStore
from classifiers.triage import Triager, TriageResult
from workorders.enums import MatterType, RedirectKind, UrgencyTier

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def triager(demo_models: Path, city_config) -> Triager:  # type: ignore[no-untyped-def]
    return Triager.load(demo_models, city_config)


def test_result_has_the_agreed_json_shape(triager: Triager) -> None:
    result = triager.triage("南湖区锦绣小区已经停水两天了，到现在还没来水", title="小区停水", now=NOW)
    data = result.model_dump(mode="json")
    assert set(data) == {
        "category",
        "departments",
        "urgency",
        "emergency",
        "redirect",
        "matter_type",
        "evidence",
        "model_versions",
    }
    cat = data["category"]
    assert cat["label"] == "城乡建设" and not cat["abstained"]
    assert len(cat["top3"]) == 3 and cat["top3"][0]["label"] == "城乡建设"
    assert cat["top3"][0]["confidence"] >= cat["top3"][1]["confidence"] >= cat["top3"][2]["confidence"]
    assert data["departments"]["lead"] == "water" and data["departments"]["lead_name"] == "市水务集团"
    assert data["departments"]["topic"] == "供水"
    assert data["urgency"]["tier"] == "expedited" and data["urgency"]["deadline_rule"] == "24 hours"
    assert dt.datetime.fromisoformat(data["urgency"]["deadline_at"]) == NOW + dt.timedelta(hours=24)
    assert data["urgency"]["reasons"]
    assert data["emergency"] is None and data["redirect"] is None
    assert data["matter_type"]["label"] in {t.value for t in MatterType}
    assert data["evidence"]["terms"] and data["evidence"]["similar_cases"]
    assert {"text", "label", "score"} == set(data["evidence"]["similar_cases"][0])
    assert set(data["model_versions"]) >= {"category", "urgency", "redirect", "emergency", "matter_type"}
    assert TriageResult.model_validate(data) == result


def test_emergency_has_no_deadline_and_names_the_number(triager: Triager) -> None:
    result = triager.triage("我家厨房着火了，火很大", now=NOW)
    assert result.urgency.tier is UrgencyTier.EMERGENCY
    assert result.urgency.deadline_at is None and "119" in result.urgency.deadline_rule
    assert result.emergency is not None and result.emergency.number == "119"


def test_redirect_carries_channel_and_article(triager: Triager) -> None:
    result = triager.triage("这件事我已经向法院起诉了，法院也立案了", now=NOW)
    assert result.redirect is not None and result.redirect.kind is RedirectKind.LITIGATION
    # The demo city cites its own guide (redirect_citations), never another city's regulation.
    assert result.redirect.citation.startswith("《示范市") and "第" in result.redirect.citation


def test_redirect_cites_the_citys_own_article_where_it_has_one(demo_models: Path, city_config) -> None:  # type: ignore[no-untyped-def]
    own = "《某市12345热线条例》第二十条"
    config = city_config.model_copy(update={"redirect_citations": {RedirectKind.LITIGATION: own}})
    triager = Triager.load(demo_models, config)
    assert triager.triage("我已经向法院起诉了，法院也立案了", now=NOW).redirect.citation == own
    assert triager.redirect_check("我已经向法院起诉了").citation == own
    # a kind the city leaves out keeps the product's default
    assert "《信访工作条例》第三十条" in triager.redirect_check("举报局长收受贿赂").citation


def test_abstains_below_threshold(demo_models: Path, city_config) -> None:  # type: ignore[no-untyped-def]
    strict = Triager.load(demo_models, city_config, abstain_threshold=0.999)
    result = strict.triage("路灯", now=NOW)
    assert result.category.abstained and result.category.label is None
    assert result.category.top3  # suggestions are still listed for the operator
    assert result.departments is None


def test_works_without_any_trained_model(tmp_path: Path, city_config) -> None:  # type: ignore[no-untyped-def]
    result = Triager.load(tmp_path, city_config).triage("楼道里有很浓的煤气味", now=NOW)
    assert result.category.abstained and result.category.top3 == []
    assert result.emergency is not None and result.emergency.number == "119"
    assert result.model_versions["urgency"] == urgency_rules.VERSION


def test_picks_up_a_promoted_model_without_restart(demo_models: Path, tmp_path: Path, city_config) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "models"
    shutil.copytree(demo_models, root)
    store = ModelStore(root)
    triager = Triager.load(root, city_config, check_interval=0.0)
    old = triager.triage("停水", now=NOW).model_versions["category"]
    # register a copy of the active version under a new name and promote it
    src = store.active_path("category")
    assert src is not None
    staging = store.staging_dir("category")
    shutil.copytree(src, staging, dirs_exist_ok=True)
    manifest = store.manifest("category", old)
    store.commit("category", staging, "29990101T000000-newmodel", manifest)
    store.promote("category", "29990101T000000-newmodel")
    assert triager.triage("停水", now=NOW).model_versions["category"] == "29990101T000000-newmodel"
    store.rollback("category")
    assert triager.triage("停水", now=NOW).model_versions["category"] == old


def test_cheap_checks(triager: Triager) -> None:
    assert triager.emergency_check("我朋友说不想活了") is not None
    assert triager.emergency_check("燃气费怎么交") is None
    redirect = triager.redirect_check("举报局长收受贿赂")
    assert redirect is not None and redirect.kind is RedirectKind.DISCIPLINE_INSPECTION
