"""Test doubles for the NLP components, so the web layer can be tested (and demoed) without models.

`KeywordTriager` routes by the city's dispatch-catalogue keywords, `StaticKnowledgeBase` searches a
handful of hand-written entries by shared characters, and `InMemoryModelRegistry` "trains" a
majority-class model with visible progress. None of them is meant to be accurate; they are meant to
be predictable.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import struct
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifiers.triage import TriageResult
from serving.protocols import ModelVersionInfo, ProgressFn
from workorders.config import CityConfig
from workorders.errors import ValidationError

_EMERGENCY_WORDS = {"着火": "119", "火灾": "119", "煤气泄漏": "119", "打架": "110", "晕倒": "120"}
_REDIRECT_WORDS = {"起诉": "litigation", "仲裁": "arbitration", "行政复议": "administrative_reconsideration"}
_URGENT_WORDS = ("危险", "被困", "随时", "马上")
_EXPEDITED_WORDS = ("停水", "停电", "停气", "暖气不热")


class KeywordTriager:
    """Category by catalogue keyword hits; the shape of the output follows the real `TriageResult`."""

    version = "keyword-fake.v1"

    def __init__(self, config: CityConfig) -> None:
        self._config = config
        self.calls = 0

    def triage(self, text: str, title: str | None = None, now: Any = None) -> TriageResult:
        self.calls += 1
        full = f"{title or ''}\n{text}"
        scores: Counter[str] = Counter()
        terms: list[str] = []
        for entry in self._config.dispatch_catalogue:
            for kw in entry.keywords:
                if kw and kw in full:
                    scores[self._config.category(entry.category).name] += 1
                    terms.append(kw)
        ranked = scores.most_common(3)
        abstained = not ranked
        label = ranked[0][0] if ranked else None
        total = sum(scores.values()) or 1
        confidence = round(ranked[0][1] / total, 3) if ranked else 0.0
        lead = lead_name = None
        assisting: list[str] = []
        if label:
            entry = self._config.route(label, full)
            lead, assisting = entry.lead, list(entry.assisting)
            lead_name = self._config.department(lead).name
        names = {e.number: e.name for e in self._config.emergency_numbers.values()}
        emergency = next(
            (
                {"number": n, "name": names[n], "reason": f"提到“{w}”"}
                for w, n in _EMERGENCY_WORDS.items()
                if w in full
            ),
            None,
        )
        redirect = next(
            (
                {
                    "kind": k,
                    "channel": "人民法院或仲裁机构",
                    "advice": f"该事项属于{w}途径",
                    "citation": "（测试替身，无条文）",
                }
                for w, k in _REDIRECT_WORDS.items()
                if w in full
            ),
            None,
        )
        tier = "normal"
        if emergency:
            tier = "emergency"
        elif any(w in full for w in _URGENT_WORDS):
            tier = "urgent"
        elif any(w in full for w in _EXPEDITED_WORDS):
            tier = "expedited"
        departments = None
        if label and lead and lead_name:
            departments = {
                "lead": lead,
                "lead_name": lead_name,
                "assisting": assisting,
                "assisting_names": [self._config.department(d).name for d in assisting],
                "topic": self._config.route(label, full).topic,
            }
        # The real result model: a fake whose output drifts from the real shape would prove nothing.
        return TriageResult.model_validate(
            {
                "category": {
                    "label": label,
                    "confidence": confidence,
                    "top3": [{"label": c, "confidence": round(n / total, 3)} for c, n in ranked],
                    "abstained": abstained,
                },
                "departments": departments,
                "urgency": {
                    "tier": tier,
                    "confidence": 1.0,
                    "reasons": [],
                    "deadline_at": None,
                    "deadline_rule": "",
                },
                "emergency": emergency,
                "redirect": redirect,
                "matter_type": {"label": "complaint", "confidence": 1.0},
                "evidence": {
                    "terms": sorted(set(terms)),
                    "similar_cases": [
                        {"text": "示例：" + t, "label": label, "score": 0.5} for t in terms[:1]
                    ],
                },
                "model_versions": {"triage": self.version},
            }
        )


@dataclass(frozen=True)
class FakeHit:
    id: str
    kind: str
    title: str
    snippet: str
    score: float = 0.0
    citation: str | None = None
    reply: str | None = None
    category: str | None = None
    date: str | None = None
    source: str | None = None


class StaticKnowledgeBase:
    """Ranks a fixed list of entries by how many characters they share with the query."""

    def __init__(self, hits: list[FakeHit]) -> None:
        self._hits = hits
        self.added: list[Any] = []

    def add(self, chunks: Any) -> int:
        """Record added chunks (the real index embeds and persists them)."""
        fresh = [c for c in chunks if c not in self.added]
        self.added.extend(fresh)
        return len(fresh)

    def search(
        self, query: str, kind: str | None = None, k: int = 5, category: str | None = None
    ) -> list[FakeHit]:
        chars = set(query)
        scored = []
        for hit in self._hits:
            if kind and hit.kind != kind:
                continue
            if category and hit.category and hit.category != category:
                continue
            overlap = len(chars & set(hit.title + hit.snippet))
            if overlap:
                scored.append(
                    FakeHit(**{**hit.__dict__, "score": overlap / max(len(chars), 1)})  # type: ignore[arg-type]
                )
        scored.sort(key=lambda h: -h.score)
        return scored[:k]


def demo_hits() -> list[FakeHit]:
    """A few entries written for the tests (not taken from any real data set)."""
    return [
        FakeHit(
            id="reg-demo-1",
            kind="regulation",
            title="示范市热线条例 第十条",
            snippet="热线工作机构应当按照派单目录将诉求派至承办单位，承办单位应当在规定时限内办理。",
            citation="《示范市热线条例》第十条",
        ),
        FakeHit(
            id="reg-demo-2",
            kind="regulation",
            title="示范市市容管理办法 第八条",
            snippet="路灯等道路照明设施损坏的，管理单位应当在接报后三日内修复。",
            citation="《示范市市容管理办法》第八条",
        ),
        FakeHit(
            id="case-demo-1",
            kind="case",
            title="小区路灯不亮",
            snippet="小区门口路灯一周不亮，夜间出行不便。",
            reply="经核查，路灯线路老化，已于次日更换线路并恢复照明。",
            category="城乡建设",
        ),
        FakeHit(
            id="case-demo-2",
            kind="case",
            title="餐馆油烟扰民",
            snippet="楼下餐馆油烟直排，窗户无法打开。",
            reply="执法人员已责令商户安装油烟净化设施并复查达标。",
            category="环境保护",
        ),
    ]


def tiny_png(value: int = 0) -> bytes:
    """A valid 2x2 grey PNG, so image endpoints can be tested without matplotlib."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes([value % 256]) * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class InMemoryModelRegistry:
    """Versions of each head kept in memory; training counts labels and reports progress in steps."""

    def __init__(self, heads: dict[str, list[str] | None], *, step_delay: float = 0.0) -> None:
        self._labels = heads
        self._versions: dict[str, list[ModelVersionInfo]] = {h: [] for h in heads}
        self._history: dict[str, list[str]] = {h: [] for h in heads}
        self._lock = threading.Lock()
        self._step_delay = step_delay

    def heads(self) -> list[str]:
        return list(self._labels)

    def labels(self, head: str) -> list[str] | None:
        return self._labels.get(head)

    def versions(self, head: str) -> list[ModelVersionInfo]:
        self._check_head(head)
        with self._lock:
            return list(self._versions[head])

    def train(self, head: str, data: Path, progress: ProgressFn) -> str:
        self._check_head(head)
        with data.open(encoding="utf-8", newline="") as fh:
            labels = [row[head] for row in csv.DictReader(fh)]
        if len(set(labels)) < 2:
            raise ValidationError("training needs examples of at least two labels")
        steps = 5
        for i in range(steps):
            progress(i / steps, f"epoch {i + 1}/{steps}")
            time.sleep(self._step_delay)
        counts = Counter(labels)
        accuracy = counts.most_common(1)[0][1] / len(labels)
        with self._lock:
            version = f"v{len(self._versions[head]) + 1}"
            info = ModelVersionInfo(
                head=head,
                version=version,
                active=False,
                created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                metrics={
                    "examples": float(len(labels)),
                    "n": float(len(labels)),
                    "accuracy": round(accuracy, 4),
                    "macro_f1": round(accuracy, 4),
                    "classes": float(len(counts)),
                },
                has_confusion_matrix=True,
            )
            self._versions[head].append(info)
        progress(1.0, "done")
        return version

    def promote(self, head: str, version: str) -> None:
        self._check_head(head)
        with self._lock:
            if version not in {v.version for v in self._versions[head]}:
                raise ValidationError(f"no version {version!r} of {head}")
            self._set_active(head, version)
            self._history[head].append(version)

    def can_roll_back(self, head: str) -> bool:
        self._check_head(head)
        with self._lock:
            return len(self._history[head]) >= 2

    def rollback(self, head: str) -> str:
        self._check_head(head)
        with self._lock:
            history = self._history[head]
            if len(history) < 2:
                raise ValidationError(f"{head} has no earlier promoted version to roll back to")
            history.pop()
            self._set_active(head, history[-1])
            return history[-1]

    def confusion_matrix_png(self, head: str, version: str) -> bytes | None:
        self._check_head(head)
        return tiny_png(len(version)) if any(v.version == version for v in self._versions[head]) else None

    def _set_active(self, head: str, version: str) -> None:
        self._versions[head] = [
            ModelVersionInfo(**{**v.__dict__, "active": v.version == version}) for v in self._versions[head]
        ]

    def _check_head(self, head: str) -> None:
        if head not in self._labels:
            raise ValidationError(f"unknown model head {head!r}")


def hashing_embed(texts: Any) -> Any:
    """Texts → unit vectors from hashed character bigrams: a model-free embedder for tests."""
    import numpy as np

    out = np.zeros((len(texts), 256), dtype=np.float32)
    for i, text in enumerate(texts):
        for a, b in itertools.pairwise(text):
            out[i, (ord(a) * 31 + ord(b)) % 256] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1.0, norms)
