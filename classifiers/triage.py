"""The whole triage of one message: category, departments, urgency, emergency, redirect, matter type.

`Triager` holds the active model of each head and answers in a few milliseconds on one core. It
never needs a restart to use a newly promoted model: every call (at most once per
`check_interval` seconds) compares the registry's ACTIVE pointers with what it loaded and swaps in
the new version when one changed. Heads that have no trained model yet degrade gracefully: the
rules (emergency, redirect, urgency, matter type) always work, and the category is then abstained.

A citizen who says they are petitioning (我要信访) gets the petition tier (60 days, unless the rubric
makes the matter more urgent) and a petition class as the matter type (`classifiers.petition`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

from pydantic import BaseModel, Field

from classifiers import redirect as redirect_rules
from classifiers import urgency_rules
from classifiers.emergency import EmergencyInfo, check_emergency, from_verdict
from classifiers.evidence import SimilarCase
from classifiers.heads import HeadModel
from classifiers.matter_type import VERSION as MATTER_RULES_VERSION
from classifiers.matter_type import classify as classify_matter
from classifiers.petition import VERSION as PETITION_VERSION
from classifiers.petition import is_petition, petition_class
from classifiers.redirect import RedirectInfo, check_redirect
from classifiers.store import HEADS, ModelStore
from classifiers.text import compose
from classifiers.urgency import UrgencyAssessor
from workorders.config import CityConfig
from workorders.deadlines import DeadlineEngine
from workorders.enums import MatterType, UrgencyTier

log = logging.getLogger(__name__)

#: Below this calibrated confidence the category is not suggested; an operator decides.
DEFAULT_ABSTAIN_THRESHOLD = 0.5


class LabelScore(BaseModel):
    label: str
    confidence: float


class CategoryResult(BaseModel):
    label: str | None
    confidence: float
    top3: list[LabelScore]
    abstained: bool


class DepartmentsResult(BaseModel):
    lead: str
    lead_name: str
    assisting: list[str]
    assisting_names: list[str]
    topic: str


class UrgencyResult(BaseModel):
    tier: UrgencyTier
    confidence: float
    reasons: list[str]
    deadline_at: dt.datetime | None
    deadline_rule: str


class MatterTypeResult(BaseModel):
    label: MatterType
    confidence: float


class Evidence(BaseModel):
    terms: list[str]
    similar_cases: list[SimilarCase]


class TriageResult(BaseModel):
    """Everything triage suggests for one message; ``model_dump(mode="json")`` is the API shape."""

    category: CategoryResult
    departments: DepartmentsResult | None
    urgency: UrgencyResult
    emergency: EmergencyInfo | None
    redirect: RedirectInfo | None
    matter_type: MatterTypeResult
    evidence: Evidence
    model_versions: dict[str, str] = Field(default_factory=dict)


class Triager:
    """Runs triage with the active models of a model registry directory."""

    def __init__(
        self,
        store: ModelStore,
        config: CityConfig,
        *,
        abstain_threshold: float = DEFAULT_ABSTAIN_THRESHOLD,
        check_interval: float = 1.0,
    ) -> None:
        self.store = store
        self.config = config
        self.abstain_threshold = abstain_threshold
        self.check_interval = check_interval
        self._deadlines = DeadlineEngine(config)
        self._department_codes = frozenset(d.code for d in config.departments)
        self._heads: dict[str, HeadModel | None] = {}
        self._stamps: dict[str, tuple[int, int] | None] = {}
        self._last_check = 0.0
        self._lock = threading.Lock()
        self._refresh(force=True)

    @classmethod
    def load(cls, models_dir: Path, config: CityConfig, **kwargs: float) -> Triager:
        """A triager over ``models_dir`` (the registry root), with each head's active model."""
        return cls(ModelStore(Path(models_dir)), config, **kwargs)

    # -- model management ----------------------------------------------------------------------

    def _refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_check < self.check_interval:
            return
        with self._lock:
            self._last_check = now
            for head in HEADS:
                stamp = self.store.pointer_stamp(head)
                if not force and stamp == self._stamps.get(head):
                    continue
                self._heads[head] = self._load_head(head)
                self._stamps[head] = stamp

    def _load_head(self, head: str) -> HeadModel | None:
        path = self.store.active_path(head)
        if path is None:
            return None
        try:
            model = HeadModel.load(path)
        except Exception:  # a broken version must not take the hotline down: keep the old one
            log.exception("could not load %s model at %s; keeping the previous one", head, path)
            return self._heads.get(head)
        log.info("loaded %s model %s", head, model.version)
        return model

    def head(self, head: str) -> HeadModel | None:
        """The loaded active model of a head (None when none is promoted)."""
        self._refresh()
        return self._heads.get(head)

    def model_versions(self) -> dict[str, str]:
        versions = {h: m.version for h, m in self._heads.items() if m is not None}
        learned = versions.get("urgency")
        versions["urgency"] = f"{urgency_rules.VERSION}+{learned}" if learned else urgency_rules.VERSION
        versions["redirect"] = redirect_rules.VERSION
        versions["emergency"] = urgency_rules.VERSION
        versions["petition"] = PETITION_VERSION
        if "matter_type" in versions:
            versions["matter_type"] = f"{MATTER_RULES_VERSION}+{versions['matter_type']}"
        else:
            versions["matter_type"] = MATTER_RULES_VERSION
        return versions

    # -- cheap checks usable mid-conversation --------------------------------------------------

    def emergency_check(self, text: str) -> EmergencyInfo | None:
        return check_emergency(text, self.config)

    def redirect_check(self, text: str) -> RedirectInfo | None:
        return check_redirect(text, self.config.redirect_citations, city=self.config.city.name)

    # -- full triage ---------------------------------------------------------------------------

    def triage(self, text: str, *, title: str | None = None, now: dt.datetime | None = None) -> TriageResult:
        """Triage one message (title optional: chat messages have none)."""
        self._refresh()
        doc = compose(title, text)
        now = now or dt.datetime.now(dt.UTC)

        category, cat_model = self._category(doc)
        urgency_verdict = UrgencyAssessor(self._heads.get("urgency")).assess(doc)
        petition = is_petition(doc)
        emergency = from_verdict(urgency_verdict.rules, self.config)
        if urgency_verdict.tier is UrgencyTier.EMERGENCY and emergency is not None:
            urgency = UrgencyResult(
                tier=UrgencyTier.EMERGENCY,
                confidence=urgency_verdict.confidence,
                reasons=urgency_verdict.reasons,
                deadline_at=None,
                deadline_rule=f"hand over to {emergency.number} immediately",
            )
        else:
            # a petition runs 60 days (信访工作条例 Art. 34) unless it is urgent by the rubric
            tier = urgency_verdict.tier
            reasons = urgency_verdict.reasons
            if petition and tier is UrgencyTier.NORMAL:
                tier, reasons = UrgencyTier.PETITION, [*reasons, "信访事项：市民表示要信访"]
            deadline = self._deadlines.compute(tier, now)
            urgency = UrgencyResult(
                tier=tier,
                confidence=urgency_verdict.confidence,
                reasons=reasons,
                deadline_at=deadline.due_at,
                deadline_rule=deadline.rule,
            )
        matter = (
            MatterTypeResult(label=petition_class(doc), confidence=1.0)
            if petition
            else self._matter_type(doc)
        )
        terms: list[str] = []
        similar: list[SimilarCase] = []
        if cat_model is not None and category.label is not None:
            terms = cat_model.terms(doc, category.label, k=5)
            similar = cat_model.similar(doc, k=3)
        for hit in urgency_verdict.rules.hits[:2]:
            if hit.matched not in terms:
                terms.append(hit.matched)
        return TriageResult(
            category=category,
            departments=self._departments(doc, category),
            urgency=urgency,
            emergency=emergency,
            redirect=self.redirect_check(doc),
            matter_type=matter,
            evidence=Evidence(terms=terms, similar_cases=similar),
            model_versions=self.model_versions(),
        )

    def _category(self, doc: str) -> tuple[CategoryResult, HeadModel | None]:
        model = self._heads.get("category")
        if model is None:
            return CategoryResult(label=None, confidence=0.0, top3=[], abstained=True), None
        row = model.proba(doc)
        order = row.argsort()[::-1]
        top3 = [LabelScore(label=model.labels[i], confidence=round(float(row[i]), 4)) for i in order[:3]]
        best = top3[0]
        abstained = best.confidence < self.abstain_threshold
        return (
            CategoryResult(
                label=None if abstained else best.label,
                confidence=best.confidence,
                top3=top3,
                abstained=abstained,
            ),
            model,
        )

    def _departments(self, doc: str, category: CategoryResult) -> DepartmentsResult | None:
        dept_model = self._heads.get("department")
        lead: str | None = None
        if dept_model is not None:
            row = dept_model.proba(doc)
            i = int(row.argmax())
            if row[i] >= self.abstain_threshold:
                lead = dept_model.labels[i]
        entry = None
        if category.label is not None:
            try:
                entry = self.config.route(category.label, doc)
            except Exception:  # a category the city config does not know: no catalogue line
                entry = None
        if entry is None and lead is None:
            return None
        if lead is None or lead not in self._department_codes:
            if entry is None:
                return None
            lead = entry.lead
        assisting = [c for c in (entry.assisting if entry else []) if c != lead]
        return DepartmentsResult(
            lead=lead,
            lead_name=self.config.department(lead).name,
            assisting=assisting,
            assisting_names=[self.config.department(c).name for c in assisting],
            topic=entry.topic if entry else "",
        )

    def _matter_type(self, doc: str) -> MatterTypeResult:
        model = self._heads.get("matter_type")
        learned = (model.labels, model.proba(doc)) if model is not None else None
        verdict = classify_matter(doc, learned)
        return MatterTypeResult(label=verdict.label, confidence=verdict.confidence)
