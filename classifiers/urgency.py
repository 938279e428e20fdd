"""Urgency: the rubric's rules combined with a learned model.

Rules carry the rubric (tense, negation, chronic framing; see `urgency_rules`) and are what every
emergency hand-over rests on: a model never *creates* an emergency on its own, because a false 119
hand-over costs a citizen their hotline order. The learned head (trained on labelled orders) adds
recall for non-emergency tiers the lexicon misses, and its probability sets the confidence. The
learned model can raise a ``normal`` to ``urgent``/``expedited`` only above `raise_threshold`, and,
once it has been trained on enough real orders (`demote_min_train`), it can demote an
``expedited`` rule hit to ``normal`` when it is very sure (`demote_threshold`): long complaint posts
mention outages and smells in passing, and a model trained on labelled orders recognises that genre.

It never demotes an ``urgent`` hit. The rubric sends a present danger to public safety (open
manhole, fallen live wire, a wall about to fail) to a 2-hour deadline because a delay could injure
someone; the cost of a wrong demotion there is not symmetric with a wasted site visit, and a
bag-of-words model that has seen a handful of urgent orders cannot carry that decision. An
``expedited`` miss costs a day on a service outage or a nuisance, which the ordinary time limit
and the citizen's follow-up call can absorb.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from classifiers import urgency_rules
from classifiers.heads import HeadModel
from workorders.enums import UrgencyTier

#: Tiers a learned model may assign (emergency stays rule-only, see module docstring).
_LEARNABLE = (UrgencyTier.URGENT, UrgencyTier.EXPEDITED)
#: Rule tiers a confident learned model may demote to normal (never emergency or urgent).
_DEMOTABLE = (UrgencyTier.EXPEDITED,)


@dataclass(frozen=True)
class UrgencyVerdict:
    tier: UrgencyTier
    confidence: float
    reasons: list[str]
    rules: urgency_rules.RuleVerdict
    learned: dict[str, float] = field(default_factory=dict)


class UrgencyAssessor:
    """Rules first; a learned head (optional) for recall and confidence."""

    def __init__(
        self,
        learned: HeadModel | None = None,
        *,
        raise_threshold: float = 0.6,
        demote_threshold: float = 0.95,
        demote_min_train: int = 200,
    ) -> None:
        self.learned = learned
        self.raise_threshold = raise_threshold
        self.demote_threshold = demote_threshold
        self.demote_min_train = demote_min_train

    def _may_demote(self) -> bool:
        if self.learned is None:
            return False
        n_train = self.learned.classifier.metadata.get("n_train", 0)
        return int(n_train) >= self.demote_min_train

    def assess(self, text: str) -> UrgencyVerdict:
        """Assess a normalised text."""
        rules = urgency_rules.assess(text)
        reasons = rules.reasons()
        probs: dict[str, float] = {}
        if self.learned is not None:
            row = self.learned.proba(text)
            probs = {lab: float(p) for lab, p in zip(self.learned.labels, row, strict=True)}
        p_normal = probs.get(UrgencyTier.NORMAL.value, 0.0)
        if rules.tier in _DEMOTABLE and self._may_demote() and p_normal >= self.demote_threshold:
            reasons = [f"模型判断为一般诉求（{p_normal:.2f}），规则命中不计入", *reasons]
            return UrgencyVerdict(UrgencyTier.NORMAL, round(p_normal, 3), reasons, rules, probs)
        if rules.tier is not UrgencyTier.NORMAL:
            # Rule hit: confidence grows with independent hits and with the model's agreement.
            base = (0.85 if rules.tier is UrgencyTier.EMERGENCY else 0.7) + 0.05 * min(len(rules.hits) - 1, 2)
            # The model can only add confidence: it has seen few urgent texts and must not veto a rule.
            agree = 1.0 - probs.get(UrgencyTier.NORMAL.value, 1.0) if probs else 0.0
            confidence = base + (1.0 - base) * agree
            return UrgencyVerdict(rules.tier, round(min(confidence, 0.99), 3), reasons, rules, probs)
        if probs:
            best = max(_LEARNABLE, key=lambda t: probs.get(t.value, 0.0))
            p_best = probs.get(best.value, 0.0)
            if p_best >= self.raise_threshold:
                reasons = [f"模型判断与已标注的{_TIER_NAMES[best]}工单相似（{p_best:.2f}）", *reasons]
                return UrgencyVerdict(best, round(p_best, 3), reasons, rules, probs)
            confidence = probs.get(UrgencyTier.NORMAL.value, 1.0 - float(np.sum(list(probs.values()))))
            return UrgencyVerdict(UrgencyTier.NORMAL, round(max(confidence, 0.5), 3), reasons, rules, probs)
        return UrgencyVerdict(UrgencyTier.NORMAL, 0.7, reasons, rules, probs)


_TIER_NAMES = {
    UrgencyTier.EMERGENCY: "紧急",
    UrgencyTier.URGENT: "加急（2小时）",
    UrgencyTier.EXPEDITED: "快办（24小时）",
    UrgencyTier.NORMAL: "一般",
}
