"""Does an entry name what a question is about? The check behind quoting it as an answer.

Dense similarity ranks an entry of the right *shape* high even when it is about something else:
办居住证需要什么材料 comes close to an article on the materials for 不动产登记, found through a
citizen phrasing that asks for materials too. An answer worth quoting names the thing asked about,
in the citizen's word or in the official term the lexicon gives for it (不留姓名 → 匿名).
"""

from __future__ import annotations

from knowledge_base.lexicon import default_lexicon
from knowledge_base.tokenize import topic_words


def topic_terms(question: str) -> list[str]:
    """The question's topic words, plus the official terms the lexicon gives for them."""
    words = topic_words(question)
    terms = list(words)
    for key, official in default_lexicon().items():
        if key in question and any(w in key or key in w for w in words):
            terms.extend(official)
    return list(dict.fromkeys(terms))


def names_any(terms: list[str], text: str) -> bool:
    """Whether `text` mentions one of `terms` (True when there are none): `topic_terms` computed
    once per question, checked against each of its hits."""
    lowered = text.lower()
    return not terms or any(t.lower() in lowered for t in terms)


def shares_topic(question: str, text: str) -> bool:
    """Whether `text` mentions a topic term of `question` (True when the question has none)."""
    return names_any(topic_terms(question), text)
