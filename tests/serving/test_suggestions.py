"""Knowledge-base hits as the API and the pages show them."""

from __future__ import annotations

from knowledge_base.chunks import Hit
from serving.suggestions import ARTICLE_MIN_SIMILARITY, applicable_articles, hit_to_dict


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
    assert (
        hit_to_dict({"id": "case:1", "kind": "case", "title": "t", "snippet": "s"})["matched_question"]
        is None
    )


def _article(title: str, snippet: str, similarity: float | None) -> Hit:
    return Hit(
        id=f"reg:x:{title}",
        kind="regulation",
        score=1.0,
        title=title,
        snippet=snippet,
        citation=title,
        similarity=similarity,
    )


def test_articles_below_the_floor_or_off_topic_are_not_listed() -> None:
    query = "丹安街洗车店污水直排到马路上，气味很大"
    close = _article("第十一条", "向道路排放污水的，由城市管理部门责令改正。", ARTICLE_MIN_SIMILARITY + 0.05)
    far = _article("第十九条", "洗车店、餐馆向道路排放污水的，应当整改。", ARTICLE_MIN_SIMILARITY - 0.01)
    off_topic = _article("第十四条", "夜间施工噪声扰民的，市民可以拨打热线。", 0.9)
    assert applicable_articles(query, [far, off_topic, close], k=3) == [close]


def test_articles_without_a_similarity_are_kept_as_the_port_ranked_them() -> None:
    hits = [_article(f"第{n}条", "道路排放污水的处理。", None) for n in "一二三四"]
    assert applicable_articles("有人往道路上排污水", hits, k=3) == hits[:3]


def test_a_hit_carries_its_similarity() -> None:
    assert hit_to_dict(_article("第十一条", "路灯损坏的处理。", 0.61234))["similarity"] == 0.6123
    assert hit_to_dict(_hit())["similarity"] is None
