"""The one path from a citizen's words to a filed work order: triage, then file.

Chat (through the assistant), the citizen form, operators' phone intake and Open311 all come here,
so every channel gets the same emergency hand-over, the same redirect of matters 12345 does not take
(诉讼、仲裁、行政复议、纪检监察…), and the same triage suggestions stored on the order for the
operator. A triage failure never loses a complaint: the order is filed unrouted and the operator
classifies it by hand.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import pydantic

from assistant import texts as citizen_texts
from classifiers.emergency import SELF_HARM
from serving.services import Services
from workorders.enums import Channel, EventKind, MatterType, UrgencyTier
from workorders.errors import ValidationError
from workorders.labels import STATUS_LABELS
from workorders.schemas import CitizenIn, NewWorkOrder, TransitionRequest, WorkOrderRead

log = logging.getLogger("intake.intake")


def _as_follow_up(triage: dict[str, Any]) -> dict[str, Any]:
    """The triage of an emergency already handed over, as the urgent follow-up order it becomes.

    燃气泄漏后续处置 or 电梯困人后续检修 is a 2-hour order for the responsible unit (the demo guide's
    Art. 8); the stored triage keeps the emergency it was, for the operator and the event log.
    """
    urgency = dict(_section(triage, "urgency"))
    urgency["reasons"] = [*(urgency.get("reasons") or []), "紧急情况已处置，后续处置工单"]
    return {
        **triage,
        "urgency": {**urgency, "tier": UrgencyTier.URGENT.value},
        "handled_emergency": triage.get("emergency"),
        "emergency": None,
    }


#: Why a submission was taken for a repeat (`knowledge_base.repeats`), as staff read it in the log.
_REPEAT_REASONS = {"same_citizen": "同一市民", "same_place": "同一地点"}

_FILED_TIERS = {
    UrgencyTier.URGENT.value,
    UrgencyTier.EXPEDITED.value,
    UrgencyTier.NORMAL.value,
    UrgencyTier.PETITION.value,
}


@dataclass(frozen=True)
class Submission:
    """What a channel hands in, before triage."""

    text: str
    channel: Channel
    citizen: CitizenIn
    title: str = ""
    citizen_token: str | None = None
    address: str | None = None
    district: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    attachments: tuple[str, ...] = ()
    #: staff only: the emergency was handed over already; file its follow-up as an urgent order
    emergency_handled: bool = False
    idempotency_key: str | None = None
    #: A category the citizen chose (Open311 service_code); triage still runs for everything else.
    category: str | None = None


@dataclass(frozen=True)
class IntakeOutcome:
    """Either a filed order, or why it was not filed and where the citizen should turn."""

    kind: str  # "filed" | "repeat" | "emergency" | "redirect"
    message: str
    #: the new order, or for a repeat the open order it was linked to (并单)
    order: WorkOrderRead | None = None
    triage: dict[str, Any] | None = None

    @property
    def filed(self) -> bool:
        return self.kind == "filed"


def _dump(result: Any) -> dict[str, Any]:
    if hasattr(result, "model_dump"):
        return result.model_dump(mode="json")
    if isinstance(result, dict):
        return result
    raise TypeError(f"triage returned {type(result).__name__}, not a pydantic model or dict")


def _section(triage: dict[str, Any], key: str) -> dict[str, Any]:
    value = triage.get(key)
    return value if isinstance(value, dict) else {}


def emergency_message(triage: dict[str, Any], services: Services) -> str | None:
    """The hand-over text when triage flags an emergency (危及人身财产安全), else None."""
    emergency = triage.get("emergency")
    tier = _section(triage, "urgency").get("tier")
    if not emergency and tier != UrgencyTier.EMERGENCY.value:
        return None
    number = None
    if isinstance(emergency, dict):
        number = emergency.get("number") or emergency.get("phone")
        if number is None and emergency.get("service") in services.config.emergency_numbers:
            number = services.config.emergency_numbers[emergency["service"]].number
    elif isinstance(emergency, str) and emergency.isdigit():
        number = emergency
    if isinstance(emergency, dict) and emergency.get("kind") == SELF_HARM:
        return citizen_texts.self_harm(emergency)  # the same caring words as in the chat
    numbers = number or "/".join(e.number for e in services.config.emergency_numbers.values())
    return f"这是紧急情况，请立即拨打 {numbers}。12345 热线不受理紧急警情，以免延误救援。"


def redirect_message(triage: dict[str, Any]) -> str | None:
    redirect = triage.get("redirect")
    if not redirect:
        return None
    if isinstance(redirect, dict):
        return citizen_texts.redirect(redirect)  # one wording for the chat, the form and the API
    return "该事项不属于 12345 热线受理范围，请通过相应的法定途径反映。"


class IntakeService:
    """Triage a submission and file it through `WorkOrderService`."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def triage(self, text: str, title: str | None = None) -> dict[str, Any] | None:
        """The triage result as JSON, or None when triage is unavailable or fails."""
        triager = self._services.triager
        if triager is None:
            return None
        start = time.perf_counter()
        try:
            return _dump(triager.triage(text, title=title or None))
        except Exception:
            self._services.metrics.triage_failures.inc()
            log.exception("triage failed; the order is filed without suggestions")
            return None
        finally:
            self._services.metrics.triage_latency.observe(time.perf_counter() - start)

    def submit(
        self, sub: Submission, *, actor: str = "citizen", actor_role: str = "citizen"
    ) -> IntakeOutcome:
        if not sub.text.strip():
            raise ValidationError("the complaint text must not be empty")
        triage = self.triage(sub.text, sub.title)
        metrics = self._services.metrics
        if triage is not None and sub.emergency_handled:
            # staff say the emergency is over or with 110/119/120/122: whatever the rules read in
            # the text (a fire already out is no longer one), the follow-up is urgent
            triage = _as_follow_up(triage)
        if triage is not None:
            emergency = emergency_message(triage, self._services)
            if emergency:
                metrics.intake_refused.labels("emergency").inc()
                return IntakeOutcome("emergency", emergency, triage=triage)
            redirect = redirect_message(triage)
            if redirect:
                metrics.intake_refused.labels("redirect").inc()
                return IntakeOutcome("redirect", redirect, triage=triage)
        new = self._new_order(sub, triage)
        linked = self._link_if_repeat(new, actor=actor, actor_role=actor_role)
        if linked is not None:
            metrics.intake_refused.labels("repeat").inc()
            return IntakeOutcome(
                "repeat",
                f"您反映的问题与工单 {linked.number} 是同一事项，已合并到该工单（并单）一并办理，"
                f"不再重复立单。当前状态：{STATUS_LABELS[linked.status]}。",
                order=linked,
                triage=triage,
            )
        order = self._services.orders.file(new, actor=actor, actor_role=actor_role)
        metrics.orders_filed.labels(sub.channel.value).inc()
        deadline = (
            order.deadline_at.astimezone(self._services.orders.deadlines.timezone)
            if order.deadline_at
            else None
        )
        message = f"您的诉求已受理，工单号 {order.number}。" + (
            f"承办单位将在 {deadline:%Y-%m-%d %H:%M} 前答复。" if deadline else ""
        )
        return IntakeOutcome("filed", message, order=order, triage=triage)

    def _link_if_repeat(self, new: NewWorkOrder, *, actor: str, actor_role: str) -> WorkOrderRead | None:
        """Link a repeat of an open order (same citizen or same place, same matter) instead of filing."""
        from knowledge_base.repeats import RepeatQuery, find_repeat

        orders = self._services.orders
        if new.idempotency_key and orders.exists(idempotency_key=new.idempotency_key):
            return None  # a retry of a filing: `file` returns that order
        candidates = orders.repeat_candidates(
            phone=new.citizen.phone, district=new.district, address=new.address
        )
        query = RepeatQuery(
            request=new.request,
            facts=new.facts,
            citizen_phone=new.citizen.phone,
            address=new.address,
            district=new.district,
            category=new.category,
            title=new.title,
        )
        match = find_repeat(
            query,
            candidates,
            window_days=self._services.config.repeats.window_days,
            now=self._services.clock(),
        )
        if match is None:
            return None
        return orders.transition(
            int(match.order_id),
            TransitionRequest(
                action=EventKind.LINK_REPEAT,
                actor=actor,
                actor_role=actor_role,
                reason=f"同一事项再次反映（{_REPEAT_REASONS.get(match.reason, match.reason)}，相似度 {match.score:.2f}）",
                text=new.request,
            ),
        )

    def _new_order(self, sub: Submission, triage: dict[str, Any] | None) -> NewWorkOrder:
        config = self._services.config
        known_departments = {d.code for d in config.departments}
        category = lead = None
        assisting: list[str] = []
        # staff marking an emergency follow-up: urgent even when no model could triage it
        urgency = UrgencyTier.URGENT if sub.emergency_handled else UrgencyTier.NORMAL
        matter_type = MatterType.COMPLAINT
        if triage is not None:
            cat = _section(triage, "category")
            label = cat.get("label")
            if label and not cat.get("abstained") and _known_category(config, label):
                category = config.category(label).name
            deps = _section(triage, "departments")
            if category and deps.get("lead") in known_departments:
                lead = deps["lead"]
                assisting = [d for d in deps.get("assisting") or [] if d in known_departments and d != lead]
            tier = _section(triage, "urgency").get("tier")
            if tier in _FILED_TIERS:
                urgency = UrgencyTier(tier)
            mt = triage.get("matter_type")
            if isinstance(mt, dict):
                mt = mt.get("label")
            if mt in {m.value for m in MatterType}:
                matter_type = MatterType(mt)
        if sub.category is not None:
            if not _known_category(config, sub.category):
                raise ValidationError(f"unknown category {sub.category!r}")
            chosen = config.category(sub.category).name
            if chosen != category:
                lead, assisting = None, []  # the catalogue routes the citizen's choice
            category = chosen
        try:
            return NewWorkOrder(
                channel=sub.channel,
                citizen=sub.citizen,
                citizen_token=sub.citizen_token,
                title=sub.title[:200],
                request=sub.text,
                address=sub.address,
                district=sub.district,
                latitude=sub.latitude,
                longitude=sub.longitude,
                category=category,
                lead_department=lead,
                assisting_departments=assisting,
                urgency=urgency,
                matter_type=matter_type,
                attachments=list(sub.attachments),
                triage=triage,
                idempotency_key=sub.idempotency_key,
            )
        except pydantic.ValidationError as err:
            from serving.errors import describe_validation_errors

            raise ValidationError(describe_validation_errors(err.errors())) from None


def _known_category(config: Any, name_or_code: str) -> bool:
    return any(config.category_matches(name_or_code, c) for c in config.categories)
