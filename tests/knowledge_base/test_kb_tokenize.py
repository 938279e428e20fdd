from __future__ import annotations

import jieba

from knowledge_base.tokenize import STOP_WORDS, tokenize


def test_search_mode_links_reordered_phrases() -> None:
    a, b = set(tokenize("工资被拖欠")), set(tokenize("拖欠工资"))
    assert {"工资", "拖欠"} <= a & b
    # plain lcut keeps the compound whole, which is why search mode is used
    assert "工资" not in jieba.lcut("拖欠工资") or "拖欠" not in jieba.lcut("拖欠工资")


def test_stop_words_and_punctuation_dropped() -> None:
    tokens = tokenize("请问，小区的物业费怎么这么贵？！")
    assert not set(tokens) & STOP_WORDS
    assert "，" not in tokens and "？" not in tokens
    assert "物业费" in tokens


def test_negation_is_kept() -> None:
    assert "不" in tokenize("单位不发工资")


def test_empty() -> None:
    assert tokenize("") == []


def test_query_tokens_drop_question_words_only() -> None:
    from knowledge_base.tokenize import QUERY_STOP_WORDS, query_tokens

    question = "工资拖欠了应该去哪里投诉？"
    assert "应该" in tokenize(question)  # the index keeps them: stored statistics must not change
    tokens = query_tokens(question)
    assert not set(tokens) & QUERY_STOP_WORDS
    assert {"工资", "拖欠", "投诉"} <= set(tokens)
