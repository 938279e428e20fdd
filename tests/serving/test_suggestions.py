"""Knowledge-base hits as the API and the pages show them."""

from __future__ import annotations

from knowledge_base.chunks import Hit
from serving.suggestions import hit_to_dict


def _hit(**meta: str) -> Hit:
    return Hit(
        id="reg:x:10",
        kind="regulation",
        score=1.23456,
        title="《某市条例》第十条",
        snippet="承办单位应当在五个工作日内办结。",
        citation="《某市条例》第十条",
        meta=meta,
    )


def test_a_hit_found_through_a_phrasing_names_it() -> None:
    data = hit_to_dict(_hit(matched_question="投诉了好几天没人管怎么办", chapter="第二章"))
    assert data["matched_question"] == "投诉了好几天没人管怎么办"
    assert data["citation"] == "《某市条例》第十条" and data["score"] == 1.2346


def test_plain_hits_and_dicts_have_no_matched_question() -> None:
    assert hit_to_dict(_hit())["matched_question"] is None
    assert hit_to_dict({"id": "case:1", "kind": "case", "title": "t", "snippet": "s"})["matched_question"] is None
