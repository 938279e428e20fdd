"""Repeat-complaint detection (重复件识别与并单): pure logic over orders the caller fetched.

A citizen who calls again about a matter that is still open should not create a second order: the
new call is linked to the open one (并单) and its repeat count raised, which also tells the
department the matter is pressing. A different citizen reporting the same matter at the same place
is linked the same way (reason ``same_place``); several such citizens make a hot issue (热点问题),
which `group_hot_issues` groups.

The service selects the candidates (open orders with the same phone, or in the same district or at
the same address, created within the window) and calls `find_repeat`; nothing here touches a
database, so the rules are testable with plain objects.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

import numpy as np

from knowledge_base.tokenize import tokenize

DEFAULT_WINDOW_DAYS = 30
#: Status values of orders that can no longer absorb a repeat (the complement of
#: `workorders.enums.REPEAT_LINKABLE_STATUSES`; this package does not import the work-order domain): closed and
#: withdrawn ones, and those whose handling is finished (replied, awaiting or holding the rating).
#: The hotline rule (示范市12345热线服务指南 第九条) links a repeat call "在办理期限内", while the
#: matter is still being handled, and has the department speed it up; once the department has
#: replied, linking would tell the citizen "承办单位会一并处理" when nobody is handling it any more.
#: The matter occurring again after a finished reply is a new order; a citizen unhappy with the
#: reply itself says so in the rating, which sends the order back (重办, 第十三条).
FINISHED_STATUSES = frozenset({"replied", "rated", "closed", "withdrawn"})

Reason = Literal["same_citizen", "same_place"]
TextSimilarity = Callable[[str, str], float]


class OrderLike(Protocol):
    """What `find_repeat` reads from a candidate order (a `WorkOrderRow` or `WorkOrderRead` fits)."""

    id: Any
    number: str
    citizen_phone: str | None
    address: str | None
    district: str | None
    request: str | None
    facts: str | None
    category: str | None
    created_at: datetime
    status: Any


@dataclass(frozen=True, slots=True)
class RepeatQuery:
    """The new message being filed."""

    request: str
    facts: str = ""
    citizen_phone: str | None = None
    address: str | None = None
    district: str | None = None
    category: str | None = None
    title: str = ""

    @property
    def text(self) -> str:
        return " ".join(p for p in (self.title, self.request, self.facts) if p)


@dataclass(frozen=True, slots=True)
class RepeatConfig:
    """Thresholds of the repeat rules.

    Attributes:
        same_citizen_threshold: Text similarity above which a message from the same phone is a
            repeat. Lower than the same-place threshold: one citizen rarely has two different open
            matters, and a repeat caller often describes the matter differently.
        same_place_threshold: Text similarity above which a message from another citizen at the
            same place is the same matter.
        address_threshold: Similarity of two addresses (character bigrams) to call them the same place.
        category_penalty: Subtracted from the text similarity when both categories are known and differ.
    """

    same_citizen_threshold: float = 0.35
    same_place_threshold: float = 0.5
    address_threshold: float = 0.6
    category_penalty: float = 0.15


@dataclass(frozen=True, slots=True)
class RepeatMatch:
    """Why the new message repeats an open order.

    Attributes:
        order_id: Id of the open order to link to.
        number: Its number.
        reason: ``same_citizen`` (same phone) or ``same_place`` (another citizen, same place).
        score: Text similarity after the category penalty (0..1); compared with the threshold.
        text_similarity: Raw text similarity.
        same_phone: The phones match.
        same_place: The district and address match.
        days_apart: Days between the open order's creation and now.
    """

    order_id: Any
    number: str
    reason: Reason
    score: float
    text_similarity: float
    same_phone: bool
    same_place: bool
    days_apart: float
    details: dict[str, Any] = field(default_factory=dict)


def normalise_phone(phone: str | None) -> str:
    """Digits only, without a +86/0086 prefix; mobile numbers compare on their 11 digits."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if len(digits) > 11 and digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def _normalise_address(address: str | None) -> str:
    return re.sub(r"[\s,，。.、#号室（）()-]", "", address or "")


def _bigrams(text: str) -> Counter[str]:
    chars = re.sub(r"[^\w\u4e00-\u9fff]", "", text)
    if len(chars) < 2:
        return Counter([chars]) if chars else Counter()
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[key] for key, count in a.items() if key in b)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def address_similarity(a: str | None, b: str | None) -> float:
    """1.0 when one normalised address contains the other, else the bigram cosine."""
    na, nb = _normalise_address(a), _normalise_address(b)
    if not na or not nb:
        return 0.0
    if na in nb or nb in na:
        return 1.0
    return _cosine(_bigrams(na), _bigrams(nb))


def token_similarity(a: str, b: str) -> float:
    """Mean of the cosine over jieba search-mode tokens and over character bigrams.

    Tokens catch reordered phrasing (拖欠工资 / 工资被拖欠); bigrams catch words jieba splits
    differently in two messages. No model is needed, so the rule works without an embedder.
    """
    return 0.5 * _cosine(Counter(tokenize(a)), Counter(tokenize(b))) + 0.5 * _cosine(_bigrams(a), _bigrams(b))


def embedding_similarity(embedder: Any) -> TextSimilarity:
    """A text similarity from an `Embedder` (cosine of normalised embeddings), for `find_repeat`."""

    def similarity(a: str, b: str) -> float:
        vectors = embedder.embed([a, b])
        return float(np.clip(vectors[0] @ vectors[1], 0.0, 1.0))

    return similarity


def _order_text(order: OrderLike) -> str:
    parts = (getattr(order, "title", None), order.request, order.facts)
    return " ".join(str(p) for p in parts if p)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _is_open(status: Any) -> bool:
    """Whether an order in ``status`` is still being handled, so a repeat can be linked to it."""
    value = getattr(status, "value", status)
    return str(value) not in FINISHED_STATUSES


def find_repeat(
    new: RepeatQuery,
    candidates: Sequence[OrderLike],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    now: datetime | None = None,
    threshold: float | None = None,
    config: RepeatConfig | None = None,
    similarity: TextSimilarity | None = None,
) -> RepeatMatch | None:
    """The open order that ``new`` repeats, or ``None`` to file it as a new order.

    Candidates must share the citizen's phone or the place (same district and a matching
    address); orders no longer being handled (`FINISHED_STATUSES`: replied, rated, closed,
    withdrawn) and orders older than ``window_days`` are ignored. Among
    those whose text similarity passes the threshold, a same-citizen match beats a same-place one,
    then the higher score wins.

    Args:
        new: The incoming message.
        candidates: Open orders the caller fetched (same phone, or same district/address).
        window_days: Only orders created within this many days before ``now`` count.
        now: Reference time (aware; naive values are read as UTC); defaults to the current time.
        threshold: Overrides both text thresholds of ``config``.
        config: Thresholds; defaults to `RepeatConfig()`.
        similarity: Text similarity function; defaults to `token_similarity` (use
            `embedding_similarity(embedder)` for paraphrase-heavy traffic).
    """
    config = config or RepeatConfig()
    similarity = similarity or token_similarity
    now = _aware(now or datetime.now(UTC))
    oldest = now - timedelta(days=window_days)
    phone = normalise_phone(new.citizen_phone)
    text = new.text
    best: tuple[tuple[int, float], RepeatMatch] | None = None
    for order in candidates:
        created = _aware(order.created_at)
        if not _is_open(order.status) or created < oldest or created > now + timedelta(minutes=5):
            continue
        same_phone = bool(phone) and len(phone) >= 7 and normalise_phone(order.citizen_phone) == phone
        same_district = bool(new.district) and new.district == order.district
        address_sim = address_similarity(new.address, order.address)
        same_place = address_sim >= config.address_threshold and (
            same_district or not (new.district and order.district)
        )
        if not (same_phone or same_place):
            continue
        raw = similarity(text, _order_text(order))
        score = raw
        if new.category and order.category and new.category != order.category:
            score -= config.category_penalty
        if same_phone:
            reason: Reason = "same_citizen"
            needed = config.same_citizen_threshold if threshold is None else threshold
        else:
            reason = "same_place"
            needed = config.same_place_threshold if threshold is None else threshold
        if score < needed:
            continue
        match = RepeatMatch(
            order_id=order.id,
            number=order.number,
            reason=reason,
            score=round(score, 4),
            text_similarity=round(raw, 4),
            same_phone=same_phone,
            same_place=same_place,
            days_apart=round((now - created).total_seconds() / 86400, 2),
            details={"address_similarity": round(address_sim, 4), "threshold": needed},
        )
        key = (1 if same_phone else 0, score)
        if best is None or key > best[0]:
            best = (key, match)
    return best[1] if best else None


def hot_issue_key(district: str | None, category: str | None, text: str, top_terms: int = 3) -> str:
    """A coarse grouping key: district, category and the longest distinctive words of the text.

    Cheap enough to compute on every order and store; reports may cluster more finely.
    """
    tokens = sorted({t for t in tokenize(text) if len(t) >= 2}, key=lambda t: (-len(t), t))[:top_terms]
    return "|".join([district or "-", category or "-", *sorted(tokens)])


@dataclass(frozen=True, slots=True)
class HotIssue:
    """Orders from at least ``min_citizens`` different citizens about one matter at one place."""

    order_ids: tuple[Any, ...]
    citizens: int
    district: str | None
    sample: str


def group_hot_issues(
    orders: Sequence[OrderLike],
    *,
    min_citizens: int = 3,
    threshold: float = 0.5,
    similarity: TextSimilarity | None = None,
) -> list[HotIssue]:
    """Greedy single-pass grouping of orders in the same district with similar text.

    Each order joins the first group (same district) whose first order is similar enough; groups
    with reports from at least ``min_citizens`` distinct phones (anonymous reports count one each)
    are returned, largest first. Quadratic in the group count, fine for a window's open orders.
    """
    similarity = similarity or token_similarity
    groups: list[list[OrderLike]] = []
    for order in orders:
        text = _order_text(order)
        for group in groups:
            head = group[0]
            if head.district == order.district and similarity(text, _order_text(head)) >= threshold:
                group.append(order)
                break
        else:
            groups.append([order])
    issues = []
    for group in groups:
        phones = {normalise_phone(o.citizen_phone) or f"anon:{o.id}" for o in group}
        if len(phones) >= min_citizens:
            issues.append(
                HotIssue(
                    order_ids=tuple(o.id for o in group),
                    citizens=len(phones),
                    district=group[0].district,
                    sample=_order_text(group[0])[:80],
                )
            )
    return sorted(issues, key=lambda issue: -issue.citizens)
