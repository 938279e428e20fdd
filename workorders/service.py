"""The work-order service: filing, reading and moving orders through their lifecycle.

Transport-free: the CLI, the chat assistant, the web app and Open311 all call this. Every write is
one transaction that changes the order and appends its event together, so the log can never
disagree with the state.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from workorders.config import CityConfig
from workorders.db import (
    LabelledExampleRow,
    OrderNumberSequenceRow,
    WorkOrderEventRow,
    WorkOrderRow,
    read_session,
)
from workorders.deadlines import DeadlineEngine
from workorders.enums import (
    PETITION_MATTER_TYPES,
    REPEAT_LINKABLE_STATUSES,
    EventKind,
    MatterType,
    Status,
    UrgencyTier,
)
from workorders.errors import ConfigError, NotFoundError, ValidationError
from workorders.lifecycle import TRANSITIONS, next_status
from workorders.schemas import EventRead, NewWorkOrder, TransitionRequest, WorkOrderRead
from workorders.validation import order_title

Clock = Callable[[], dt.datetime]
#: Called after a committed action: (the order as it now is, the action). Used to keep derived
#: stores current, e.g. the knowledge base learns each order closed with a reply.
OrderListener = Callable[[WorkOrderRead, EventKind], None]

log = logging.getLogger("intake.workorders")

#: Queue order: most urgent tier first.
URGENCY_RANK = {
    UrgencyTier.URGENT.value: 0,
    UrgencyTier.EXPEDITED.value: 1,
    UrgencyTier.PETITION.value: 2,
    UrgencyTier.NORMAL.value: 3,
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class WorkOrderService:
    """Files and manages work orders against one database and one city config."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: CityConfig,
        clock: Clock = utc_now,
        listeners: Iterable[OrderListener] = (),
    ) -> None:
        self._sessions = sessions
        self._config = config
        self._clock = clock
        self._listeners = list(listeners)
        self.deadlines = DeadlineEngine(config)

    def subscribe(self, listener: OrderListener) -> None:
        """Call `listener` after every committed lifecycle action."""
        self._listeners.append(listener)

    @property
    def config(self) -> CityConfig:
        return self._config

    # -- filing -------------------------------------------------------------------------------

    def file(self, new: NewWorkOrder, *, actor: str = "system", actor_role: str = "system") -> WorkOrderRead:
        """File a new order, or return the existing one filed with the same idempotency key.

        The stored title is cleaned of personal data, or derived from the request when none is
        given (`order_title`): every channel's orders get a title, and none shows a name, phone or
        ID number in the operator queue.
        """
        category, topic, lead, assisting = self._resolve_routing(new)
        try:
            with self._sessions.begin() as s:
                if new.idempotency_key:
                    existing = self._by_key(s, new.idempotency_key)
                    if existing is not None:
                        return WorkOrderRead.model_validate(existing)
                now = self._clock()
                deadline = self.deadlines.compute(new.urgency, now)
                row = WorkOrderRow(
                    number=self._next_number(s, now),
                    channel=new.channel.value,
                    status=Status.ACCEPTED.value,
                    citizen_name=new.citizen.name,
                    citizen_phone=new.citizen.phone,
                    citizen_id_number=new.citizen.id_number,
                    anonymous=new.citizen.anonymous,
                    citizen_token=new.citizen_token,
                    title=order_title(new.title, new.request),
                    request=new.request,
                    facts=new.facts,
                    address=new.address,
                    district=new.district,
                    latitude=new.latitude,
                    longitude=new.longitude,
                    incident_time=new.incident_time,
                    incident_time_text=new.incident_time_text,
                    category=category,
                    topic=topic,
                    lead_department=lead,
                    assisting_departments=assisting,
                    urgency=new.urgency.value,
                    matter_type=new.matter_type.value,
                    deadline_at=deadline.due_at,
                    deadline_fallback=deadline.fallback,
                    extended_amount=0,
                    repeat_count=0,
                    chase_count=0,
                    unsatisfied_count=0,
                    return_count=0,
                    supervised=False,
                    triage=new.triage,
                    attachments=list(new.attachments),
                    idempotency_key=new.idempotency_key,
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
                s.flush()
                self._event(
                    s,
                    row,
                    EventKind.FILED,
                    None,
                    Status.ACCEPTED,
                    actor,
                    actor_role,
                    None,
                    {"channel": new.channel.value, "deadline_rule": deadline.rule},
                )
                if deadline.fallback:
                    self._event(
                        s,
                        row,
                        EventKind.DEADLINE_FALLBACK,
                        None,
                        None,
                        "system",
                        "system",
                        "the statutory holiday calendar does not cover this period yet; "
                        "working days counted as weekdays minus the city's listed holidays",
                        {"deadline_at": deadline.due_at.isoformat()},
                    )
                return WorkOrderRead.model_validate(row)
        except IntegrityError:
            # A concurrent filing with the same idempotency key won the race: return its order.
            if new.idempotency_key:
                with read_session(self._sessions) as s:
                    existing = self._by_key(s, new.idempotency_key)
                    if existing is not None:
                        return WorkOrderRead.model_validate(existing)
            raise

    # -- reading ------------------------------------------------------------------------------

    def get(self, ref: int | str) -> WorkOrderRead:
        """An order by database id or by its number (``20261127-000123``)."""
        with read_session(self._sessions) as s:
            return WorkOrderRead.model_validate(self._load(s, ref))

    def events(self, ref: int | str) -> list[EventRead]:
        """The order's event log, oldest first."""
        with read_session(self._sessions) as s:
            row = self._load(s, ref)
            return [EventRead.model_validate(e) for e in row.events]

    def list(
        self,
        *,
        statuses: Iterable[Status] | None = None,
        department: str | None = None,
        citizen_token: str | None = None,
        phone: str | None = None,
        district: str | None = None,
        created_since: dt.datetime | None = None,
        limit: int = 100,
        offset: int = 0,
        queue_order: bool = False,
    ) -> list[WorkOrderRead]:
        """Orders matching all given filters; newest first, or by urgency and deadline for the queue."""
        q = select(WorkOrderRow)
        if statuses is not None:
            q = q.where(WorkOrderRow.status.in_([s.value for s in statuses]))
        if department is not None:
            q = q.where(WorkOrderRow.lead_department == department)
        if citizen_token is not None:
            q = q.where(WorkOrderRow.citizen_token == citizen_token)
        if phone is not None:
            q = q.where(WorkOrderRow.citizen_phone == phone)
        if district is not None:
            q = q.where(WorkOrderRow.district == district)
        if created_since is not None:
            q = q.where(WorkOrderRow.created_at >= created_since)
        if queue_order:
            # overdue orders first (a missed deadline outranks a tier), then by tier and deadline
            overdue = case((WorkOrderRow.deadline_at < self._clock(), 0), else_=1)
            rank = case(URGENCY_RANK, value=WorkOrderRow.urgency, else_=9)
            q = q.order_by(
                overdue, rank, WorkOrderRow.deadline_at.is_(None), WorkOrderRow.deadline_at, WorkOrderRow.id
            )
        else:
            q = q.order_by(WorkOrderRow.created_at.desc(), WorkOrderRow.id.desc())
        q = q.limit(limit).offset(offset)
        with read_session(self._sessions) as s:
            return [WorkOrderRead.model_validate(r) for r in s.scalars(q)]

    def exists(self, *, idempotency_key: str) -> bool:
        """Whether an order was already filed with this idempotency key."""
        with read_session(self._sessions) as s:
            return self._by_key(s, idempotency_key) is not None

    def count(self, *, statuses: Iterable[Status] | None = None) -> int:
        q = select(func.count(WorkOrderRow.id))
        if statuses is not None:
            q = q.where(WorkOrderRow.status.in_([s.value for s in statuses]))
        with read_session(self._sessions) as s:
            return int(s.scalar(q) or 0)

    def repeat_candidates(
        self, *, phone: str | None, district: str | None, address: str | None, window_days: int | None = None
    ) -> list[WorkOrderRead]:
        """Orders of the same citizen or the same place, filed within the repeat window and not yet
        replied to, that a repeat may be linked to (并单 check)."""
        if not (phone or district or address):
            return []
        days = window_days or self._config.repeats.window_days
        since = self._clock() - dt.timedelta(days=days)
        place = []
        if phone:
            place.append(WorkOrderRow.citizen_phone == phone)
        if address:
            place.append(WorkOrderRow.address == address)
        if district and address is None:
            place.append(WorkOrderRow.district == district)
        q = (
            select(WorkOrderRow)
            .where(WorkOrderRow.status.in_(sorted(s.value for s in REPEAT_LINKABLE_STATUSES)))
            .where(WorkOrderRow.created_at >= since)
            .where(or_(*place))
            .order_by(WorkOrderRow.created_at.desc())
            .limit(50)
        )
        with read_session(self._sessions) as s:
            return [WorkOrderRead.model_validate(r) for r in s.scalars(q)]

    # -- lifecycle ----------------------------------------------------------------------------

    def transition(self, ref: int | str, req: TransitionRequest) -> WorkOrderRead:
        """Apply one action to an order, in one transaction, or raise and change nothing."""
        rule = TRANSITIONS.get(req.action)
        if rule is not None and rule.needs_reason and not (req.reason and req.reason.strip()):
            raise ValidationError(f"{req.action.value} needs a reason")
        with self._sessions.begin() as s:
            row = self._load(s, ref, lock=True)
            current = Status(row.status)
            target = next_status(current, req.action)
            now = self._clock()
            data = _HANDLERS[req.action](self, s, row, req, now)
            row.status = target.value
            row.updated_at = now
            self._event(s, row, req.action, current, target, req.actor, req.actor_role, req.reason, data)
            self._after(s, row, req, now)
            s.flush()
            order = WorkOrderRead.model_validate(row)
        self._notify(order, req.action)
        return order

    def supervise_overdue(self, now: dt.datetime | None = None) -> list[str]:
        """Put every overdue, unsupervised order under supervision (督办); return their numbers."""
        now = now or self._clock()
        pending = [Status.ACCEPTED, Status.DISPATCHED, Status.SIGNED_FOR, Status.IN_HANDLING, Status.RETURNED]
        q = (
            select(WorkOrderRow)
            .where(WorkOrderRow.status.in_([s.value for s in pending]))
            .where(WorkOrderRow.deadline_at < now)
            .where(WorkOrderRow.supervised.is_(False))
        )
        numbers = []
        with self._sessions.begin() as s:
            for row in s.scalars(q).all():
                self._supervise(s, row, now, "overdue: past its deadline without a reply")
                numbers.append(row.number)
        return numbers

    def _notify(self, order: WorkOrderRead, action: EventKind) -> None:
        """Tell listeners about a committed change; a failing listener cannot undo or hide it."""
        for listener in self._listeners:
            try:
                listener(order, action)
            except Exception:
                log.exception("listener %r failed on %s of %s", listener, action.value, order.number)

    # -- action handlers (each returns the event's data) ----------------------------------------

    def _on_dispatch(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        lead = req.lead_department or row.lead_department
        if not lead:
            raise ValidationError("dispatch needs a lead department (no routing on the order)")
        assisting = self._assisting(
            lead,
            req.assisting_departments if req.assisting_departments is not None else row.assisting_departments,
        )
        data: dict[str, Any] = {"lead_department": lead, "assisting_departments": assisting}
        returned_by = self._returned_by(s, row) if row.lead_department is None and row.return_count else None
        if returned_by is not None:  # sent on after a return (退单): as a reassignment
            data["from_department"] = returned_by
        if returned_by is not None or (row.lead_department and lead != row.lead_department):
            # the unit that takes the order is its department label, not the one routed before
            self._labelled(s, row, "department", lead, "operator_override", now)
        row.lead_department, row.assisting_departments = lead, assisting
        return data

    def _on_return(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        returned_by = row.lead_department
        row.return_count += 1
        # the routing was wrong: whoever sends it on names the lead and assisting units anew
        row.lead_department, row.assisting_departments = None, []
        return {"returned_by": returned_by}

    def _on_reassign(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        if not req.lead_department:
            raise ValidationError("reassign needs the new lead department")
        if req.lead_department == row.lead_department:
            raise ValidationError("reassign needs a different lead department")
        assisting = self._assisting(req.lead_department, req.assisting_departments or [])
        previous = row.lead_department or self._returned_by(s, row)
        row.lead_department, row.assisting_departments = req.lead_department, assisting
        # The unit that finally takes the order is its department label: a routing confirmed at
        # intake and then returned (退单) was wrong, and must not stay behind as confirmed data.
        self._labelled(s, row, "department", req.lead_department, "operator_override", now)
        return {
            "from_department": previous,
            "lead_department": req.lead_department,
            "assisting_departments": assisting,
        }

    @staticmethod
    def _linked_numbers(s: Session, row: WorkOrderRow) -> set[str]:
        """The orders an operator has linked this one to (并单), by number."""
        data = s.scalars(
            select(WorkOrderEventRow.data).where(
                WorkOrderEventRow.order_id == row.id, WorkOrderEventRow.kind == EventKind.LINK_REPEAT.value
            )
        ).all()
        return {str(d["related_number"]) for d in data if d and d.get("related_number")}

    @staticmethod
    def _returned_by(s: Session, row: WorkOrderRow) -> str | None:
        """The department that last returned the order (its lead is cleared by the return)."""
        data = s.scalars(
            select(WorkOrderEventRow.data)
            .where(WorkOrderEventRow.order_id == row.id, WorkOrderEventRow.kind == EventKind.RETURN.value)
            .order_by(WorkOrderEventRow.id.desc())
            .limit(1)
        ).first()
        return (data or {}).get("returned_by")

    def _on_supplement(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        if not (req.text and req.text.strip()):
            raise ValidationError("supplement needs the added information")
        stamp = now.astimezone(self.deadlines.timezone).strftime("%Y-%m-%d %H:%M")
        row.facts = (row.facts + "\n" if row.facts else "") + f"【补充 {stamp}】{req.text.strip()}"
        return {"text": req.text.strip()}

    def _on_chase(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        row.chase_count += 1
        return {"chase_count": row.chase_count}

    def _on_extend(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        if not req.amount:
            raise ValidationError("extend needs an amount (in the unit of the order's deadline rule)")
        tier = UrgencyTier(row.urgency)
        if row.deadline_at is not None and row.deadline_at < now:
            # an extension is asked for before the time runs out; an overdue order is supervised (督办)
            raise ValidationError("an overdue order cannot be extended: supervise it instead")
        base = row.deadline_at or now
        extended = self.deadlines.extend(tier, base, req.amount, row.extended_amount)
        row.extended_amount += req.amount
        previous, row.deadline_at = row.deadline_at, extended.due_at
        row.deadline_fallback = row.deadline_fallback or extended.fallback
        return {
            "amount": req.amount,
            "unit": self.deadlines.rule(tier).unit,
            "previous_deadline": previous.isoformat() if previous else None,
            "deadline_at": extended.due_at.isoformat(),
        }

    def _on_supervise(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        if row.supervised:
            raise ValidationError(f"order {row.number} is already under supervision")
        row.supervised = True
        return {}

    def _on_reply(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        if not (req.reply_text and req.reply_text.strip()):
            raise ValidationError("reply needs the reply text")
        row.reply_text, row.replied_at = req.reply_text.strip(), now
        return {}

    def _on_rate(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        if req.rating is None:
            raise ValidationError("rate needs a rating from 1 to 5")
        row.rating = req.rating
        unsatisfied = req.rating <= self._config.supervision.unsatisfied_at_or_below
        if unsatisfied:
            row.unsatisfied_count += 1
        return {"rating": req.rating, "unsatisfied": unsatisfied, "resolved": req.resolved}

    def _on_rework(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        deadline = self.deadlines.compute(UrgencyTier(row.urgency), now)
        row.deadline_at, row.extended_amount = deadline.due_at, 0
        row.reply_text, row.replied_at = None, None
        return {"deadline_at": deadline.due_at.isoformat()}

    def _on_close(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        row.closed_at = now
        return {}

    def _on_link_repeat(
        self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime
    ) -> dict:
        if req.related_order_id == row.id:
            raise ValidationError("an order cannot be linked to itself")
        related = s.get(WorkOrderRow, req.related_order_id) if req.related_order_id is not None else None
        if req.related_order_id is not None and related is None:
            raise NotFoundError(f"no work order {req.related_order_id}")
        if related is not None and related.number in self._linked_numbers(s, row):
            raise ValidationError(f"order {row.number} is already linked to {related.number}")
        row.repeat_count += 1
        return {
            "repeat_count": row.repeat_count,
            "text": req.text,
            "related_order_id": req.related_order_id,
            "related_number": related.number if related is not None else None,
        }

    def _on_reclassify(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        """Accept or override the suggested routing and urgency; each decision is a labelled example."""
        if not (req.category or req.lead_department or req.urgency):
            raise ValidationError("reclassify needs a category, a lead department or an urgency")
        suggested = (row.triage or {}).get("category", {}).get("label") if row.triage else None
        suggested_lead = ((row.triage or {}).get("departments") or {}).get("lead") if row.triage else None
        text = "\n".join(p for p in (row.request, row.facts) if p)
        data: dict[str, Any] = {}
        if req.category:
            category = self._category_name(req.category)
            entry = self._config.route(category, text)
            row.category, row.topic = category, entry.topic
            if not req.lead_department:
                row.lead_department, row.assisting_departments = entry.lead, list(entry.assisting)
            source = "operator_confirmed" if category == suggested else "operator_override"
            self._labelled(s, row, "category", category, source, now)
            data.update(category=category, suggested_category=suggested)
        if req.lead_department:
            assisting = self._assisting(req.lead_department, req.assisting_departments or [])
            row.lead_department, row.assisting_departments = req.lead_department, assisting
            source = "operator_confirmed" if req.lead_department == suggested_lead else "operator_override"
            self._labelled(s, row, "department", req.lead_department, source, now)
        if req.urgency:
            data.update(self._set_urgency(s, row, req.urgency, now))
        data.update(lead_department=row.lead_department, assisting_departments=row.assisting_departments)
        return data

    @staticmethod
    def _labelled(
        s: Session, row: WorkOrderRow, head: str, label: str, source: str, now: dt.datetime
    ) -> None:
        """Store a staff decision about an order as its training example for `head` (request and facts).

        The latest decision is the label: an earlier one for the same order and head (a category
        changed twice, a routing returned and sent elsewhere) is replaced, so the training data never
        holds two contradicting labels for one order.
        """
        s.execute(
            delete(LabelledExampleRow).where(
                LabelledExampleRow.order_id == row.id, LabelledExampleRow.head == head
            )
        )
        s.add(
            LabelledExampleRow(
                head=head,
                text="\n".join(p for p in (row.request, row.facts) if p),
                title=row.title,
                label=label,
                source=source,
                order_id=row.id,
                created_at=now,
            )
        )

    def _set_urgency(
        self, s: Session, row: WorkOrderRow, tier: UrgencyTier, now: dt.datetime
    ) -> dict[str, Any]:
        """An operator's urgency: the deadline runs again from acceptance under the new tier's rule.

        A petition (信访事项, 60 days) or a safety follow-up the rules took for an ordinary matter
        (2 hours) is only right once its deadline is; the tier is also a labelled urgency example.
        Confirming the tier the order has leaves its deadline, and any extension, alone.
        """
        suggested = ((row.triage or {}).get("urgency") or {}).get("tier") if row.triage else None
        if tier is not UrgencyTier.PETITION:  # petitions are not a tier of the urgency head
            source = "operator_confirmed" if tier.value == suggested else "operator_override"
            self._labelled(s, row, "urgency", tier.value, source, now)
        data: dict[str, Any] = {"urgency": tier.value, "previous_urgency": row.urgency}
        if tier.value != row.urgency:
            deadline = self.deadlines.compute(tier, row.created_at)
            row.urgency = tier.value
            row.deadline_at, row.deadline_fallback, row.extended_amount = (
                deadline.due_at,
                deadline.fallback,
                0,
            )
            data["deadline_at"] = deadline.due_at.isoformat()
            # a petition is a kind of matter as well as a deadline: the two change together
            if tier is UrgencyTier.PETITION and row.matter_type not in PETITION_MATTER_TYPES:
                row.matter_type = data["matter_type"] = MatterType.PETITION_CLAIM.value
            elif tier is not UrgencyTier.PETITION and row.matter_type in PETITION_MATTER_TYPES:
                row.matter_type = data["matter_type"] = MatterType.COMPLAINT.value
        return data

    def _no_data(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> dict:
        return {}

    # -- consequences of an action: automatic rework and supervision --------------------------

    def _after(self, s: Session, row: WorkOrderRow, req: TransitionRequest, now: dt.datetime) -> None:
        sup = self._config.supervision
        if (
            req.action is EventKind.RATE
            and row.rating is not None
            and row.rating <= sup.unsatisfied_at_or_below
        ):
            self._on_rework(s, row, req, now)
            self._event(
                s,
                row,
                EventKind.REWORK,
                Status.RATED,
                Status.IN_HANDLING,
                "system",
                "system",
                f"市民评价不满意（{row.rating}分），退回重办",
                {"deadline_at": row.deadline_at.isoformat() if row.deadline_at else None},
            )
            row.status = Status.IN_HANDLING.value
            if row.unsatisfied_count >= sup.unsatisfied_ratings and not row.supervised:
                self._supervise(s, row, now, f"市民{row.unsatisfied_count}次评价不满意（屡办未决），自动督办")
        if req.action is EventKind.CHASE and row.chase_count >= sup.chases and not row.supervised:
            self._supervise(s, row, now, f"市民已催办{row.chase_count}次，自动督办")

    def _supervise(self, s: Session, row: WorkOrderRow, now: dt.datetime, reason: str) -> None:
        row.supervised = True
        row.updated_at = now
        status = Status(row.status)
        self._event(
            s, row, EventKind.SUPERVISE, status, status, "system", "system", reason, {"automatic": True}
        )

    # -- helpers --------------------------------------------------------------------------------

    def _resolve_routing(self, new: NewWorkOrder) -> tuple[str | None, str | None, str | None, list[str]]:
        """Validate the given routing against the city config, completing it from the catalogue."""
        category = self._category_name(new.category) if new.category else None
        lead, assisting, topic = new.lead_department, list(new.assisting_departments), new.topic
        if category and not lead:
            entry = self._config.route(category, f"{new.title}\n{new.request}\n{new.facts}")
            lead, topic = entry.lead, topic or entry.topic
            assisting = assisting or list(entry.assisting)
        self._check_departments([d for d in [lead, *assisting] if d])
        return category, topic, lead, assisting

    def _category_name(self, name_or_code: str) -> str:
        """The canonical category name; an unknown one is the caller's input error, not a config error."""
        try:
            return self._config.category(name_or_code).name
        except ConfigError as err:
            raise ValidationError(str(err)) from None

    def _assisting(self, lead: str, assisting: Iterable[str]) -> list[str]:
        """The assisting units (协办) of an order led by `lead`: known, without the lead, each once."""
        self._check_departments([lead, *assisting])
        return [code for code in dict.fromkeys(assisting) if code != lead]

    def _check_departments(self, codes: Iterable[str]) -> None:
        known = {d.code for d in self._config.departments}
        for code in codes:
            if code not in known:
                raise ValidationError(f"unknown department {code!r}")

    def _next_number(self, s: Session, now: dt.datetime) -> str:
        """Allocate ``YYYYMMDD-NNNNNN`` with one atomic upsert (safe under concurrent filings)."""
        day = now.astimezone(self.deadlines.timezone).strftime("%Y%m%d")
        dialect = s.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = OrderNumberSequenceRow.__table__
        stmt = (
            insert(table)
            .values(day=day, last=1)
            .on_conflict_do_update(index_elements=[table.c.day], set_={"last": table.c.last + 1})
            .returning(table.c.last)
        )
        last = s.execute(stmt).scalar_one()
        return f"{day}-{last:06d}"

    @staticmethod
    def _by_key(s: Session, key: str) -> WorkOrderRow | None:
        return s.scalar(select(WorkOrderRow).where(WorkOrderRow.idempotency_key == key))

    @staticmethod
    def _load(s: Session, ref: int | str, *, lock: bool = False) -> WorkOrderRow:
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit() and "-" not in ref):
            q = select(WorkOrderRow).where(WorkOrderRow.id == int(ref))
        else:
            q = select(WorkOrderRow).where(WorkOrderRow.number == ref)
        if lock:
            q = q.with_for_update()
        row = s.scalar(q)
        if row is None:
            raise NotFoundError(f"no work order {ref}")
        return row

    @staticmethod
    def _event(
        s: Session,
        row: WorkOrderRow,
        kind: EventKind,
        from_status: Status | None,
        to_status: Status | None,
        actor: str,
        actor_role: str,
        reason: str | None,
        data: dict[str, Any],
    ) -> None:
        s.add(
            WorkOrderEventRow(
                order_id=row.id,
                kind=kind.value,
                from_status=from_status.value if from_status else None,
                to_status=to_status.value if to_status else None,
                actor=actor,
                actor_role=actor_role,
                reason=reason,
                data=data,
                created_at=row.updated_at,
            )
        )


_HANDLERS: dict[
    EventKind, Callable[[WorkOrderService, Session, WorkOrderRow, TransitionRequest, dt.datetime], dict]
]
_HANDLERS = {
    EventKind.DISPATCH: WorkOrderService._on_dispatch,
    EventKind.SIGN_FOR: WorkOrderService._no_data,
    EventKind.START_HANDLING: WorkOrderService._no_data,
    EventKind.RETURN: WorkOrderService._on_return,
    EventKind.REASSIGN: WorkOrderService._on_reassign,
    EventKind.SUPPLEMENT: WorkOrderService._on_supplement,
    EventKind.WITHDRAW: WorkOrderService._no_data,
    EventKind.CHASE: WorkOrderService._on_chase,
    EventKind.EXTEND: WorkOrderService._on_extend,
    EventKind.SUPERVISE: WorkOrderService._on_supervise,
    EventKind.REPLY: WorkOrderService._on_reply,
    EventKind.RATE: WorkOrderService._on_rate,
    EventKind.REWORK: WorkOrderService._on_rework,
    EventKind.CLOSE: WorkOrderService._on_close,
    EventKind.LINK_REPEAT: WorkOrderService._on_link_repeat,
    EventKind.RECLASSIFY: WorkOrderService._on_reclassify,
}
