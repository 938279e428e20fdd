"""Test doubles for the assistant's ports: keyword triage, an in-memory knowledge base, simple repeats.

They let the dialogue be tested (and benchmarked in isolation) without trained models or an index.
The keyword lists are ours, written for these doubles; they make no claim to classify real traffic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.ports import DraftForRepeat, RepeatFound
from workorders.schemas import WorkOrderRead

_EMERGENCIES: tuple[tuple[str, str, str, str], ...] = (
    (r"着火|起火|失火|火灾|冒烟|烧起来", "119", "消防救援", "火灾"),
    (r"燃气泄漏|煤气泄漏|闻到很大的煤气味", "119", "消防救援", "燃气泄漏"),
    (r"晕倒|昏迷|不省人事|大出血|心脏病发作|抽搐", "120", "医疗急救", "急病"),
    (r"车祸|撞车|被车撞", "122", "交通事故报警", "交通事故"),
    (r"持刀|砍人|打架斗殴|抢劫|有人要跳楼|绑架", "110", "公安报警", "人身安全受到威胁"),
)
_REDIRECTS: tuple[tuple[str, str, str, str], ...] = (
    (
        r"法院.{0,6}(判决|起诉|立案)|已经起诉|正在打官司",
        "litigation",
        "人民法院",
        "《示范市12345热线服务指南》第九条",
    ),
    (r"仲裁", "arbitration", "劳动人事争议仲裁委员会", "《示范市12345热线服务指南》第九条"),
    (r"行政复议", "administrative_reconsideration", "行政复议机关", "《示范市12345热线服务指南》第九条"),
    (r"(贪污|受贿|腐败)", "discipline_inspection", "纪检监察机关", "《示范市12345热线服务指南》第十条"),
    (
        r"申请.{0,4}信息公开|政府信息公开申请",
        "information_disclosure",
        "信息所在机关",
        "《示范市12345热线服务指南》第十一条",
    ),
    (
        r"已经.{0,6}(处理|答复)过.{0,8}(结论|维持)|复查.{0,6}维持",
        "lawfully_concluded",
        "原处理机关",
        "《示范市12345热线服务指南》第九条",
    ),
)
_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    (r"噪音|噪声|吵|油烟|污染|异味|排放", "环境保护", "ecology"),
    (r"工资|欠薪|社保|劳动合同|公积金|医保", "劳动和社会保障", "human_resources"),
    (r"学校|老师|入学|补课", "教育文体", "education"),
    (r"退款|商家|消费|价格|超市", "商贸旅游", "market_regulation"),
    (r"医院|医生|疫苗", "卫生计生", "health"),
    (r"公交|红绿灯|出租车|停车|道路", "交通运输", "transport"),
    (r"物业|电梯|路灯|井盖|停水|停电|漏水|占道|垃圾", "城乡建设", "urban_management"),
)
_CONSULT = re.compile(r"请问|咨询|怎么办理|如何办理|需要什么材料|能不能|可以.{0,6}吗|吗[？?]?$")


@dataclass
class FakeTriage:
    """Keyword triage with the shape of the real triage result; counts its calls."""

    calls: int = 0
    emergency_calls: int = 0

    def emergency(self, text: str) -> dict[str, Any] | None:
        self.emergency_calls += 1
        for pattern, number, name, reason in _EMERGENCIES:
            if m := re.search(pattern, text):
                return {"number": number, "name": name, "reason": f"{reason}：“{m.group(0)}”"}
        return None

    def triage(
        self, text: str, *, title: str | None = None, now: dt.datetime | None = None
    ) -> dict[str, Any]:
        self.calls += 1
        redirect = None
        for pattern, kind, channel, citation in _REDIRECTS:
            if m := re.search(pattern, text):
                redirect = {
                    "kind": kind,
                    "channel": channel,
                    "advice": f"请向{channel}提出",
                    "citation": citation,
                    "matched": m.group(0),
                }
                break
        label, lead = None, None
        for pattern, category, department in _CATEGORIES:
            if re.search(pattern, text):
                label, lead = category, department
                break
        tier = "expedited" if re.search(r"停水|停电|停气|停暖", text) else "normal"
        matter = "consultation" if _CONSULT.search(text.strip()) else "complaint"
        return {
            "category": {
                "label": label,
                "confidence": 0.9 if label else 0.2,
                "top3": [],
                "abstained": label is None,
            },
            "departments": {"lead": lead, "lead_name": None, "assisting": []} if lead else None,
            "urgency": {
                "tier": tier,
                "confidence": 0.8,
                "reasons": [],
                "deadline_at": None,
                "deadline_rule": None,
            },
            "emergency": self.emergency(text),
            "redirect": redirect,
            "matter_type": {"label": matter, "confidence": 0.8},
            "evidence": {},
            "model_versions": {"triage": "fake.v1"},
        }


@dataclass(frozen=True)
class FakeHit:
    id: str
    kind: str
    score: float
    title: str
    snippet: str
    citation: str | None = None
    reply: str | None = None
    similarity: float | None = None
    #: The everyday phrasing an article was found through, as on `knowledge_base.chunks.Hit`.
    matched_question: str | None = None


@dataclass
class FakeKnowledge:
    """Returns the entries whose keywords all occur in the query, as hits of similarity 0.9."""

    entries: list[tuple[tuple[str, ...], FakeHit]] = field(default_factory=list)
    calls: int = 0

    def search(self, query: str, *, kind: str | None = None, k: int = 5) -> Sequence[FakeHit]:
        self.calls += 1
        hits = [hit for words, hit in self.entries if all(w in query for w in words)]
        return [h for h in hits if kind is None or h.kind == kind][:k]


def sample_knowledge() -> FakeKnowledge:
    """Two invented entries: a guide article that answers 公积金提取, and a weak case match on 居住证.

    The article comes with the everyday question it was "found through", as the real index reports
    for articles matched on a citizen phrasing, so the dialogue can show how it understood a question.
    """
    return FakeKnowledge(
        entries=[
            (
                ("公积金", "提取"),
                FakeHit(
                    id="reg:guide:5",
                    kind="regulation",
                    score=1.0,
                    title="示范市12345热线服务指南 第五条",
                    snippet="职工购买自住住房的，可以凭购房合同和身份证件申请提取住房公积金。",
                    citation="《示范市12345热线服务指南》第五条",
                    similarity=0.9,
                    matched_question="买房子能提取公积金吗",
                ),
            ),
            (
                ("居住证",),
                FakeHit(
                    id="case:demo:7",
                    kind="case",
                    score=0.8,
                    title="居住证办理需要多久",
                    snippet="想问居住证办理需要多久",
                    reply="居住证材料齐全的，派出所受理后15个工作日内发证。",
                    similarity=0.3,
                ),
            ),
        ]
    )


class NoRepeats:
    """A `RepeatPort` that never finds a repeat."""

    def find(
        self, draft: DraftForRepeat, candidates: Sequence[WorkOrderRead], *, now: dt.datetime
    ) -> RepeatFound | None:
        return None
