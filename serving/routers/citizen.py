"""A citizen's own orders: file one through the form, follow it, rate the reply.

Every route is scoped to the citizen id inside the session token: another citizen's order is simply
not found (404), so order numbers cannot be probed.
"""

from __future__ import annotations

from typing import Annotated

import pydantic
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from serving.errors import describe_validation_errors
from serving.intake import IntakeService, Submission
from serving.schemas import ORDER_NUMBER_PATTERN, CitizenSubmission, IntakeResponse, RatingRequest
from serving.security import CitizenPrincipal, get_services, rate_limit, require_citizen
from serving.services import Services
from serving.views import CitizenOrder, citizen_view
from workorders.enums import Channel, EventKind
from workorders.errors import NotFoundError, ValidationError
from workorders.schemas import CitizenIn, TransitionRequest, WorkOrderRead

router = APIRouter(prefix="/api/citizen", tags=["citizen"], dependencies=[Depends(rate_limit("public"))])

OrderNumber = Annotated[str, Path(pattern=ORDER_NUMBER_PATTERN, description="工单号, e.g. 20261127-000123")]


def own_order(services: Services, principal: CitizenPrincipal, number: str) -> WorkOrderRead:
    """The order if it belongs to this citizen; otherwise NotFound, exactly as if it did not exist."""
    try:
        order = services.orders.get(number)
    except NotFoundError:
        order = None
    if order is None or order.citizen_token != principal.citizen_id:
        raise NotFoundError(f"no work order {number} in this session")
    return order


def citizen_in(
    name: str | None, phone: str | None, anonymous: bool, id_number: str | None = None
) -> CitizenIn:
    try:
        return CitizenIn(
            name=name or None, phone=phone or None, anonymous=anonymous, id_number=id_number or None
        )
    except pydantic.ValidationError as err:
        raise ValidationError(describe_validation_errors(err.errors())) from None


@router.get("/orders", response_model=list[CitizenOrder], summary="This citizen's orders, newest first")
def my_orders(request: Request, principal: CitizenPrincipal = Depends(require_citizen)) -> list[CitizenOrder]:
    services = get_services(request)
    orders = services.orders.list(citizen_token=principal.citizen_id, limit=50)
    return [citizen_view(o, services.config) for o in orders]


@router.get("/orders/{number}", response_model=CitizenOrder, summary="One of this citizen's orders")
def my_order(
    number: OrderNumber, request: Request, principal: CitizenPrincipal = Depends(require_citizen)
) -> CitizenOrder:
    services = get_services(request)
    return citizen_view(own_order(services, principal, number), services.config)


@router.post(
    "/orders",
    response_model=IntakeResponse,
    status_code=201,
    responses={200: {"model": IntakeResponse, "description": "not filed: emergency hand-over or redirect"}},
    summary="File a complaint from the form (triage, then a work order)",
)
def file_order(
    body: CitizenSubmission, request: Request, principal: CitizenPrincipal = Depends(require_citizen)
) -> JSONResponse:
    services = get_services(request)
    sub = Submission(
        text=body.text.strip(),
        title=body.title.strip(),
        channel=Channel.WEB_CHAT,
        citizen=citizen_in(body.name, body.phone, body.anonymous),
        citizen_token=principal.citizen_id,
        address=body.address,
        district=body.district,
        idempotency_key=f"citizen:{principal.citizen_id}:{body.idempotency_key}"
        if body.idempotency_key
        else None,
    )
    outcome = IntakeService(services).submit(sub, actor=f"citizen:{principal.citizen_id[:8]}")
    # A repeat joined to another citizen's order (同一地点、同一事项) says which order and its status
    # in the message; that citizen's text and contact stay theirs.
    own = outcome.order is not None and outcome.order.citizen_token == principal.citizen_id
    response = IntakeResponse(
        kind=outcome.kind,  # type: ignore[arg-type]
        filed=outcome.filed,
        message=outcome.message,
        order=citizen_view(outcome.order, services.config) if outcome.order is not None and own else None,
    )
    return JSONResponse(response.model_dump(mode="json"), status_code=201 if outcome.filed else 200)


@router.post("/orders/{number}/rating", response_model=CitizenOrder, summary="Rate the reply (回访评价, 1-5)")
def rate_order(
    number: OrderNumber,
    body: RatingRequest,
    request: Request,
    principal: CitizenPrincipal = Depends(require_citizen),
) -> CitizenOrder:
    services = get_services(request)
    own_order(services, principal, number)
    updated = services.orders.transition(
        number,
        TransitionRequest(
            action=EventKind.RATE,
            actor=f"citizen:{principal.citizen_id[:8]}",
            actor_role="citizen",
            rating=body.rating,
            reason=body.comment,
        ),
    )
    return citizen_view(updated, services.config)
