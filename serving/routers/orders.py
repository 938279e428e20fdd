"""Work orders for staff: the operator queue, reading, phone intake and every lifecycle action.

Actions map one-to-one to `WorkOrderService.transition`; accepting or overriding the suggested
routing is the ``reclassify`` action, which stores the decision as a labelled example.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from serving.accounts import Role
from serving.intake import IntakeService, Submission
from serving.routers.citizen import citizen_in
from serving.schemas import (
    ORDER_REF_PATTERN,
    ActionRequest,
    IntakeResponse,
    StaffAction,
    StaffSubmission,
    Suggestions,
)
from serving.security import StaffPrincipal, get_services, require_staff
from serving.services import Services
from serving.suggestions import suggestions_for
from serving.views import StaffOrder, citizen_view, event_view, staff_view
from workorders.enums import QUEUE_STATUSES, Status, UrgencyTier
from workorders.errors import ValidationError
from workorders.schemas import EventRead, TransitionRequest, WorkOrderRead

router = APIRouter(prefix="/api", tags=["orders"])
operator = require_staff(Role.OPERATOR)

OrderRef = Annotated[str, Path(pattern=ORDER_REF_PATTERN, description="order number (20261127-000123) or id")]


def suggested_routing(order: WorkOrderRead) -> tuple[str | None, str | None, list[str]]:
    """The category, lead and assisting departments triage suggested when the order was filed."""
    triage = order.triage or {}
    category = triage.get("category") if isinstance(triage.get("category"), dict) else {}
    departments = triage.get("departments") if isinstance(triage.get("departments"), dict) else {}
    label = None if category.get("abstained") else category.get("label")
    lead = departments.get("lead") or None
    assisting = [d for d in departments.get("assisting") or [] if isinstance(d, str)] if lead else []
    return label, lead, assisting


def apply_action(services: Services, ref: str, body: ActionRequest, principal: StaffPrincipal) -> StaffOrder:
    """Validate what the domain would otherwise reject as a config error, then transition.

    ``accept_suggestion`` fills the routing from the suggestion stored on the order, so that a
    client accepts it in one call instead of echoing the suggestion back (and cannot accept a
    suggestion other than the one the operator saw).
    """
    if body.accept_suggestion:
        category, lead, assisting = suggested_routing(services.orders.get(ref))
        if not (category or lead):
            raise ValidationError("there is no suggestion to accept: choose a category or a lead department")
        body = body.model_copy(
            update={
                "category": category,
                "lead_department": lead,
                "assisting_departments": assisting if lead else None,
                "accept_suggestion": False,
            }
        )
    if body.action is StaffAction.LINK_REPEAT and body.related_order_id is None:
        raise ValidationError("link_repeat needs the other order (related_order_id)")
    if body.category is not None and not any(
        services.config.category_matches(body.category, c) for c in services.config.categories
    ):
        raise ValidationError(f"unknown category {body.category!r}")
    request = TransitionRequest(
        action=body.action.kind,
        actor=principal.name,
        actor_role=principal.role.value,
        reason=body.reason,
        lead_department=body.lead_department or None,
        assisting_departments=body.assisting_departments,
        category=body.category or None,
        urgency=UrgencyTier(body.urgency) if body.urgency else None,
        reply_text=body.reply_text,
        rating=body.rating,
        amount=body.amount,
        text=body.text,
        related_order_id=body.related_order_id,
    )
    updated = services.orders.transition(ref, request)
    return staff_view(updated, services.config, services.clock())


@router.get(
    "/queue", response_model=list[StaffOrder], summary="Open orders, most urgent and soonest due first"
)
def queue(
    request: Request,
    status: Annotated[
        list[Status] | None, Query(description="only these statuses (default: all open)")
    ] = None,
    department: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    _: StaffPrincipal = Depends(operator),
) -> list[StaffOrder]:
    services = get_services(request)
    orders = services.orders.list(
        statuses=status or QUEUE_STATUSES,
        department=department,
        limit=limit,
        offset=offset,
        queue_order=True,
    )
    now = services.clock()
    services.metrics.open_orders.set(services.orders.count(statuses=QUEUE_STATUSES))
    return [staff_view(o, services.config, now) for o in orders]


@router.get("/orders", response_model=list[StaffOrder], summary="Orders, newest first")
def list_orders(
    request: Request,
    status: Annotated[list[Status] | None, Query()] = None,
    department: Annotated[str | None, Query(max_length=64)] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    _: StaffPrincipal = Depends(operator),
) -> list[StaffOrder]:
    services = get_services(request)
    orders = services.orders.list(
        statuses=status, department=department, district=district, limit=limit, offset=offset
    )
    now = services.clock()
    return [staff_view(o, services.config, now) for o in orders]


@router.post(
    "/orders",
    response_model=IntakeResponse,
    status_code=201,
    summary="File a matter taken by phone or at the counter (triage, then a work order)",
)
def file_order(
    body: StaffSubmission, request: Request, principal: StaffPrincipal = Depends(operator)
) -> JSONResponse:
    services = get_services(request)
    sub = Submission(
        text=body.text.strip(),
        title=body.title.strip(),
        channel=body.channel,
        citizen=citizen_in(body.name, body.phone, body.anonymous, body.id_number),
        address=body.address,
        district=body.district,
        idempotency_key=f"staff:{body.idempotency_key}" if body.idempotency_key else None,
        emergency_handled=body.emergency_handled,
    )
    outcome = IntakeService(services).submit(sub, actor=principal.name, actor_role=principal.role.value)
    payload = IntakeResponse(
        kind=outcome.kind,  # type: ignore[arg-type]
        filed=outcome.filed,
        message=outcome.message,
        order=citizen_view(outcome.order, services.config) if outcome.order else None,
    )
    return JSONResponse(payload.model_dump(mode="json"), status_code=201 if outcome.filed else 200)


@router.get("/orders/{ref}", response_model=StaffOrder, summary="One order with its triage suggestions")
def get_order(ref: OrderRef, request: Request, _: StaffPrincipal = Depends(operator)) -> StaffOrder:
    services = get_services(request)
    return staff_view(services.orders.get(ref), services.config, services.clock())


@router.get("/orders/{ref}/events", response_model=list[EventRead], summary="The order's event log")
def order_events(ref: OrderRef, request: Request, _: StaffPrincipal = Depends(operator)) -> list[EventRead]:
    services = get_services(request)
    return [event_view(e, services.config) for e in services.orders.events(ref)]


@router.get(
    "/orders/{ref}/suggestions",
    response_model=Suggestions,
    summary="Suggested category and departments with evidence, similar past cases, applicable articles",
)
def order_suggestions(ref: OrderRef, request: Request, _: StaffPrincipal = Depends(operator)) -> Suggestions:
    services = get_services(request)
    return suggestions_for(services, services.orders.get(ref))


@router.post(
    "/orders/{ref}/actions",
    response_model=StaffOrder,
    summary="Apply an action: reclassify (override routing, or accept_suggestion: true), dispatch, "
    "return, reassign, extend, reply, close…",
)
def order_action(
    ref: OrderRef, body: ActionRequest, request: Request, principal: StaffPrincipal = Depends(operator)
) -> StaffOrder:
    return apply_action(get_services(request), ref, body, principal)
