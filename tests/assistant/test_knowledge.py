"""Which knowledge-base hits a citizen is shown as an answer (shared by the dialogue and Rasa)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
        _hit("case", "case", 0.7, reply="已派人修复。"),
        _hit("third", "case", 0.7, reply="第三条答复"),
    ]
    shown = answer_hits(Knowledge(hits), "问题", AssistantConfig(knowledge_hits=2))
    assert [h["id"] for h in shown] == ["law", "case"]
    assert shown[0]["citation"] == "《某条例》第二条" and shown[0]["text"] == "s-law"
    assert shown[0]["matched_question"] == "多久办完" and shown[1]["matched_question"] is None
    assert shown[1]["text"] == "已派人修复。" and shown[1]["similarity"] == 0.7


def test_long_answers_are_cut_and_marked() -> None:
    long_reply = "答" * (ANSWER_CHARS + 50)
    (shown,) = answer_hits(Knowledge([_hit("c", "case", 0.9, reply=long_reply)]), "问", AssistantConfig())
    assert shown["text"] == "答" * ANSWER_CHARS + "……"


def test_a_failing_search_answers_nothing() -> None:
    assert answer_hits(Knowledge(RuntimeError("index gone")), "问", AssistantConfig()) == []
