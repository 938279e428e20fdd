"""Chinese tokenisation for the sparse (BM25) side of the index.

jieba's search mode (`lcut_for_search`) also emits the short words inside long ones, so 拖欠工资
and 工资被拖欠 share 拖欠 and 工资 even where plain `lcut` keeps a compound as one token. Stop words
and punctuation are dropped because BM25 would otherwise reward long documents full of 的 and 了.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

#: High-frequency function words that carry no topic (kept short on purpose: 不, 没 and 无 stay,
#: because 不发工资 and 发工资 are different complaints).
_STOP_WORDS_TEXT = (
    "的 了 是 在 和 与 及 或 也 都 就 而 又 把 被 让 给 对 向 从 到 于 以 之 其 这 那 这个 那个 这些 那些 "
    "我 我们 你 你们 他 他们 她 它 您 自己 有 有的 个 一个 一些 吗 呢 吧 啊 呀 哦 嗯 着 过 等 等等 "
    "请 请问 怎么 怎么办 如何 什么 为什么 是否 能否 可以 能 会 要 还 很 非常 因为 所以 但是 但 如果 "
    "已经 现在 目前 一直 以及 并 并且 则 该 此 其他 相关 问题 情况 反映 希望 谢谢 您好 你好 领导"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
#: Question words of spoken Chinese (应该, 哪里, 多少, 能不能...). Dropped from regulation queries only:
#: they say that something is asked, not what about, yet jieba keeps them and BM25 then rewards any
#: article that happens to contain 第一 or 应当 (a lone 第一步 question matched 第一款 boilerplate).
#: Not applied to the index, whose stored statistics stay those of `tokenize`.
_QUERY_STOP_WORDS_TEXT = (
    "应该 哪里 哪儿 哪个 哪些 多少 多久 多长 什么 啥 咋 咋办 第一 一步 第一步 能不能 会不会 要不要 有没有 行不行 "
    "可不可以 是不是 算不算 找谁 谁 想 去 做 这样 合理 怎么样 怎样 帮忙 还能 能够 不会 下来 回来 以后 之后 一下 "
    "到底 究竟 真的 听说 觉得 感觉"
)
QUERY_STOP_WORDS = frozenset(_QUERY_STOP_WORDS_TEXT.split())
_KEEP_RE = re.compile(r"[\w\u4e00-\u9fff]")
#: Domain words jieba's dictionary lacks; added so they are indexed whole as well as in pieces.
DOMAIN_WORDS = (
    "12345",
    "接诉即办",
    "信访",
    "信访人",
    "公积金",
    "住房公积金",
    "物业费",
    "业委会",
    "业主委员会",
    "维修基金",
    "农民工",
    "欠薪",
    "社保",
    "医保",
    "低保",
    "网约车",
    "共享单车",
    "电动车",
    "充电桩",
    "违建",
    "违章建筑",
    "噪音扰民",
    "油烟",
    "渣土车",
    "占道经营",
    "学位",
    "划片",
    "补课",
    "预付卡",
    "退费",
)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """A private jieba tokenizer, built on first use (loading its dictionary takes about a second)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word)
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Search-mode tokens of ``text``, lower-cased, without stop words and punctuation."""
    if not text:
        return []
    tokens = _jieba().lcut_for_search(text.lower())
    return [t for t in (tok.strip() for tok in tokens) if t and t not in STOP_WORDS and _KEEP_RE.search(t)]


def query_tokens(text: str) -> list[str]:
    """`tokenize`, then without `QUERY_STOP_WORDS`: the tokens a citizen's question is matched with."""
    return [t for t in tokenize(text) if t not in QUERY_STOP_WORDS]


#: Words that give a question its shape (需要什么材料, 怎么办理, 多久能办好) rather than its topic. Two
#: questions of the same shape about different things (办居住证要什么材料 / 办不动产登记要什么材料)
#: embed close together; `shares_topic` looks past these words for the thing asked about.
_SHAPE_WORDS_TEXT = (
    "需要 材料 办理 补办 手续 流程 规定 要求 申请 咨询 费用 条件 标准 依据 时间 部门 单位 办事 窗口 网上 线上 "
    "怎么弄 怎么样 怎么回事 多长时间 需不需要 应当 属于 不属于 合法 违法 处理 一般 具体 这边 那边 本地 当地"
)
SHAPE_WORDS = frozenset(_SHAPE_WORDS_TEXT.split())
#: Words that never name a question's topic (built once, not per knowledge query).
_TOPIC_DROP = STOP_WORDS | QUERY_STOP_WORDS | SHAPE_WORDS
_TOPIC_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,}")


def topic_words(question: str) -> list[str]:
    """The words of a question that say what it is about: whole jieba words (not search-mode pieces,
    so 居住证 is not reduced to 居住), without stop, question and shape words."""
    words = (w.strip() for w in _jieba().lcut(question.lower()))
    return [w for w in words if w not in _TOPIC_DROP and _TOPIC_RE.fullmatch(w)]


def tokenizer_version() -> str:
    """Recorded in the manifest: a different tokeniser makes stored token statistics stale."""
    import jieba

    return f"jieba {jieba.__version__} search-mode, {len(DOMAIN_WORDS)} domain words, {len(STOP_WORDS)} stop words"
