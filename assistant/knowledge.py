"""Which knowledge-base hits may be shown to a citizen as an answer, and in what shape.

The dialogue manager and the Rasa action server answer consultations the same way: a hit is shown
only when its dense similarity clears `AssistantConfig.knowledge_min_similarity`, a past case only
with a real reply, a regulation only with its citation. Keeping that rule in one place keeps the two
channels from drifting apart.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant.options import AssistantConfig
from assistant.ports import KnowledgePort

log = logging.getLogger(__name__)

#: Longest answer text quoted to a citizen; longer ones are cut and marked.
ANSWER_CHARS = 220


def answer_hits(knowledge: KnowledgePort, query: str, settings: AssistantConfig) -> list[dict[str, Any]]:
    """Up to ``settings.knowledge_hits`` hits that answer ``query``, as plain dicts.

    Each dict has ``id``, ``kind``, ``title``, ``citation``, ``text`` (the reply of a case or the
    article's snippet), ``similarity`` and, for an article found through one of its citizen
    phrasings, ``matched_question``. A failing search answers nothing rather than breaking the chat.
    """
    try:
        hits = knowledge.search(query, k=5)
    except Exception:
        log.exception("knowledge search failed")
        return []
    out: list[dict[str, Any]] = []
    for hit in hits:
        similarity = getattr(hit, "similarity", None)
        if similarity is not None and similarity < settings.knowledge_min_similarity:
            continue
        answer = hit.reply if hit.kind == "case" else hit.snippet
        if not answer or (hit.kind == "regulation" and not hit.citation):
            continue
        out.append(
            {
                "id": hit.id,
                "kind": hit.kind,
                "title": hit.title,
                "citation": hit.citation,
                "text": answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS] + "……",
                "similarity": similarity,
                "matched_question": getattr(hit, "matched_question", None),
            }
        )
        if len(out) >= settings.knowledge_hits:
            break
    return out
