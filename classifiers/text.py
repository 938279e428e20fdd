"""Text normalisation shared by every classifier, rule set and the training tools.

One normaliser used everywhere matters more than a clever one: a model trained on NFKC-folded,
whitespace-collapsed text must see the same folding at prediction time, or full-width digits and
stray line breaks quietly become unseen features.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterator

_SPACE = re.compile(r"\s+")
#: Clause boundaries: Chinese and ASCII sentence punctuation, commas, semicolons and line breaks.
_CLAUSE_SPLIT = re.compile(r"[。！？!?；;，,\n\r]+")
#: Sentence boundaries (coarser than clauses): tense and negation often span a whole sentence.
_SENTENCE_SPLIT = re.compile(r"[。！？!?\n\r]+")


def normalize(text: str | None) -> str:
    """Fold full-width forms (NFKC), lower-case Latin letters and collapse whitespace."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    return _SPACE.sub(" ", text).strip().lower()


def compose(title: str | None, body: str | None) -> str:
    """The text a classifier sees: the title (when there is one) and the body.

    A title is joined with a full stop so that clause-level rules never read the title's last words
    and the body's first words as one clause.
    """
    title_n, body_n = normalize(title), normalize(body)
    if title_n and body_n:
        if body_n.startswith(title_n):
            return body_n
        return f"{title_n}。{body_n}"
    return title_n or body_n


def clauses(text: str) -> list[str]:
    """Split into clauses: the unit in which a negation or a time word modifies a hazard word."""
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c.strip()]


def sentences(text: str) -> list[str]:
    """Split into sentences (keeps commas), for cues that reach across clauses."""
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def snippet(text: str, limit: int = 80) -> str:
    """A short, single-line excerpt for evidence displays."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@functools.lru_cache(maxsize=1)
def _jieba_tokenizer():  # type: ignore[no-untyped-def]
    """The jieba tokenizer, built on first use (loading its dictionary takes about a second)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """Chinese word segmentation (jieba, precise mode), dropping whitespace and punctuation tokens.

    Module-level so that scikit-learn vectorizers that use it stay picklable.
    """
    return [w for w in _jieba_tokenizer().lcut(text, HMM=False) if _is_word(w)]


def _is_word(token: str) -> bool:
    token = token.strip()
    if not token:
        return False
    return any(ch.isalnum() for ch in token)


def char_ngrams(text: str, n_min: int, n_max: int) -> Iterator[str]:
    """Character n-grams of a string (helper for feature hashing and tests)."""
    for n in range(n_min, n_max + 1):
        for i in range(len(text) - n + 1):
            yield text[i : i + n]
