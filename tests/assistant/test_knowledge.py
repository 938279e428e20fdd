"""Which knowledge-base hits a citizen is shown as an answer, and how (shared by the dialogue and Rasa)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant import texts
from assistant.knowledge import ANSWER_CHARS, answer_hits
from assistant.options import AssistantConfig
from knowledge_base.chunks import Hit


def _hit(id_: str, kind: str, similarity: float, **fields: Any) -> Hit:
    return Hit(
        id=id_, kind=kind, score=1.0, title=f"t-{id_}", snippet=f"s-{id_}", similarity=similarity, **fields
    )


class Knowledge:
    def __init__(self, hits: Sequence[Hit] | Exception) -> None:
        self.hits = hits

    def search(self, query: str, *, kind: str | None = None, k: int = 5) -> Sequence[Any]:
        if isinstance(self.hits, Exception):
            raise self.hits
        return list(self.hits)[:k]


def test_only_close_answerable_hits_are_shown_up_to_the_limit() -> None:
    hits = [
        _hit("low", "regulation", 0.3, citation="《某条例》第一条"),
        _hit("nocite", "regulation", 0.9),
        _hit("noreply", "case", 0.9),
        _hit("law", "regulation", 0.8, citation="《某条例》第二条", meta={"matched_question": "多久办完"}),
        _hit("case", "case", 0.85, reply="已派人修复。"),
        _hit("third", "case", 0.85, reply="第三条答复"),
    ]
    shown = answer_hits(Knowledge(hits), "问题", AssistantConfig(knowledge_hits=2))
    assert [h["id"] for h in shown] == ["law", "case"]
    assert shown[0]["citation"] == "《某条例》第二条" and shown[0]["text"] == "s-law"
    assert shown[0]["matched_question"] == "多久办完" and shown[1]["matched_question"] is None
    assert shown[1]["text"] == "已派人修复。" and shown[1]["similarity"] == 0.85


def test_long_answers_are_cut_and_marked() -> None:
    long_reply = "答" * (ANSWER_CHARS + 50)
    (shown,) = answer_hits(Knowledge([_hit("c", "case", 0.9, reply=long_reply)]), "问", AssistantConfig())
    assert shown["text"] == "答" * ANSWER_CHARS + "……"


def test_a_failing_search_answers_nothing() -> None:
    assert answer_hits(Knowledge(RuntimeError("index gone")), "问", AssistantConfig()) == []


def _shown(
    id_: str, matched_question: str | None, citation: str | None = "《某条例》第二条"
) -> dict[str, Any]:
    """A hit in the shape `answer_hits` gives it."""
    return {
        "id": id_,
        "kind": "regulation" if citation else "case",
        "title": f"t-{id_}",
        "citation": citation,
        "text": f"s-{id_}",
        "matched_question": matched_question,
    }


def test_an_answer_says_which_question_an_article_matched() -> None:
    answer = texts.knowledge_answer([_shown("law", "多久办完")], question="请问投诉了要等多长时间")
    lines = answer.splitlines()
    assert lines[1] == "· 依据《某条例》第二条：s-law"
    assert lines[2] == texts.understood_as("多久办完") and "相当于问：多久办完" in lines[2]


def test_an_answer_without_a_matched_question_has_no_such_line() -> None:
    answer = texts.knowledge_answer([_shown("law", None)], question="请问投诉了要等多长时间")
    assert "相当于问" not in answer
    assert len(answer.splitlines()) == 3, "greeting, the article, the offer to file"


def test_the_matched_question_is_not_echoed_when_it_is_the_citizens_own() -> None:
    answer = texts.knowledge_answer([_shown("law", "多久办完？")], question=" 多久 办完")
    assert "相当于问" not in answer


def test_a_matched_question_shared_by_two_hits_is_shown_once() -> None:
    hits = [_shown("a", "多久办完"), _shown("b", "多久办完。"), _shown("c", "能催办吗", citation=None)]
    answer = texts.knowledge_answer(hits, question="请问投诉了要等多长时间")
    assert answer.count("相当于问") == 2
    assert "相当于问：能催办吗" in answer
