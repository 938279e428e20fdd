"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the work-order store.

Services are the city's first-level categories (their codes are the service codes). Requests filed
here go through the same triage and filing path as the chat (`serving.intake`). JSON only.

Privacy choice: complaints carry citizens' personal information, which Chinese law (个人信息保护法)
does not allow a hotline to publish. So, beyond the spec, reading requests also needs an ``api_key``,
a key only sees the requests filed with it, and free text comes back with phone and ID numbers masked.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated, Any

import pydantic
from fastapi import APIRouter, Depends, Form, Path, Query, Request
from sqlalchemy import select

from serving.accounts import ApiKey
from serving.errors import describe_validation_errors
from serving.intake import IntakeService, Submission
from serving.security import get_services, rate_limit
from serving.services import Services
from serving.views import department_name, public_text
from workorders.db import WorkOrderRow
from workorders.enums import Channel, Status
from workorders.errors import NotFoundError, PermissionDeniedError, ValidationError
from workorders.labels import STATUS_LABELS
from workorders.schemas import CitizenIn

router = APIRouter(prefix="/open311/v2", tags=["open311"], dependencies=[Depends(rate_limit("public"))])

_CLOSED = {Status.CLOSED.value, Status.WITHDRAWN.value}
_NUMBER_RE = re.compile(r"^\d{8}-\d{6}$")
_TOKEN_PATTERN = r"^[A-Za-z0-9_\-]{16,64}$"
MAX_RESULTS = 200
DEFAULT_WINDOW_DAYS = 90

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "invalid request: a list of {code, description}"},
    403: {"description": "missing or invalid api_key: a list of {code, description}"},
    404: {"description": "not found: a list of {code, description}"},
}


def _key(services: Services, api_key: str | None) -> ApiKey:
    key = services.accounts.check_api_key(api_key or "")
    if key is None:
        raise PermissionDeniedError("a valid api_key is required")
    return key


def _key_prefix(key: ApiKey) -> str:
    return f"open311:{key.id}:"


def _w3c(value: dt.datetime | None, services: Services) -> str | None:
    if value is None:
        return None
    return value.astimezone(services.orders.deadlines.timezone).isoformat(timespec="seconds")


def _service(services: Services, code: str) -> Any:
    for cat in services.config.categories:
        if cat.code == code:
            return cat
    raise NotFoundError(f"no service with code {code!r}")


def _request_view(row: WorkOrderRow, services: Services) -> dict[str, Any]:
    config = services.config
    cat = next((c for c in config.categories if c.name == row.category), None)
    agency = department_name(config, row.lead_department)
    if agency and row.assisting_departments:
        agency += (
            "（协办：" + "、".join(department_name(config, d) or d for d in row.assisting_departments) + "）"
        )
    status = Status(row.status)
    notes = row.reply_text or row.redirect_note or STATUS_LABELS[status]
    return {
        "service_request_id": row.number,
        "status": "closed" if row.status in _CLOSED else "open",
        "status_notes": public_text(notes),
        "service_name": cat.name if cat else row.category,
        "service_code": cat.code if cat else None,
        "description": public_text(row.request),
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _w3c(row.created_at, services),
        "updated_datetime": _w3c(row.updated_at, services),
        "expected_datetime": _w3c(row.deadline_at, services),
        "address": public_text(row.address) or None,
        "address_id": None,
        "zipcode": None,
        "lat": row.latitude,
        "long": row.longitude,
        "media_url": (row.attachments or [None])[0],
    }


def _clean(value: str | None) -> str | None:
    """Form text without NUL characters (which PostgreSQL refuses), or None when blank."""
    value = (value or "").replace("\x00", " ").strip()
    return value or None


def _parse_date(value: str | None, name: str, services: Services) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(
            f"{name} must be a W3C/ISO 8601 date-time, e.g. 2026-11-27T09:00:00+08:00"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=services.orders.deadlines.timezone)
    return parsed


@router.get("/services.json", summary="Service list: the city's categories", responses=ERROR_RESPONSES)
def service_list(
    request: Request, jurisdiction_id: Annotated[str | None, Query(max_length=100)] = None
) -> list[dict[str, Any]]:
    config = get_services(request).config
    out = []
    for cat in config.categories:
        keywords = sorted({kw for e in config.catalogue_for(cat.name) for kw in e.keywords})
        out.append(
            {
                "service_code": cat.code,
                "service_name": cat.name,
                "description": cat.description,
                "metadata": False,
                "type": "realtime",
                "keywords": ",".join(keywords),
                "group": config.city.name + " 12345",
            }
        )
    return out


@router.get(
    "/services/{service_code}.json",
    summary="Service definition (no extra attributes)",
    responses=ERROR_RESPONSES,
)
def service_definition(
    service_code: Annotated[str, Path(max_length=64)],
    request: Request,
    jurisdiction_id: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, Any]:
    cat = _service(get_services(request), service_code)
    return {"service_code": cat.code, "attributes": []}


@router.post(
    "/requests.json",
    summary="File a service request (form-encoded, needs api_key)",
    responses=ERROR_RESPONSES,
)
def create_request(
    request: Request,
    api_key: Annotated[str, Form(max_length=200)],
    service_code: Annotated[str, Form(max_length=64)],
    description: Annotated[str | None, Form(max_length=5000)] = None,
    lat: Annotated[float | None, Form(ge=-90, le=90)] = None,
    long: Annotated[float | None, Form(ge=-180, le=180)] = None,
    address_string: Annotated[str | None, Form(max_length=300)] = None,
    address_id: Annotated[str | None, Form(max_length=100)] = None,
    email: Annotated[str | None, Form(max_length=200)] = None,
    device_id: Annotated[str | None, Form(max_length=200)] = None,
    account_id: Annotated[str | None, Form(max_length=200)] = None,
    first_name: Annotated[str | None, Form(max_length=50)] = None,
    last_name: Annotated[str | None, Form(max_length=50)] = None,
    phone: Annotated[str | None, Form(max_length=32)] = None,
    media_url: Annotated[str | None, Form(max_length=1000)] = None,
    jurisdiction_id: Annotated[str | None, Form(max_length=100)] = None,
) -> list[dict[str, Any]]:
    services = get_services(request)
    key = _key(services, api_key)
    cat = _service(services, service_code)
    text = _clean(description)
    address_string, address_id, phone = _clean(address_string), _clean(address_id), _clean(phone)
    first_name, last_name, media_url = _clean(first_name), _clean(last_name), _clean(media_url)
    if not text:
        raise ValidationError("description is required: say what the problem is")
    if (lat is None or long is None) and not (address_string or address_id):
        raise ValidationError("a location is required: lat and long, address_string or address_id")
    name = "".join(p for p in (last_name, first_name) if p) or None
    try:
        citizen = CitizenIn(name=name, phone=phone or None, anonymous=not phone)
    except pydantic.ValidationError as err:
        raise ValidationError(describe_validation_errors(err.errors())) from None
    if media_url and not media_url.startswith(("http://", "https://")):
        raise ValidationError("media_url must be an http(s) URL")
    token = secrets.token_urlsafe(16)
    outcome = IntakeService(services).submit(
        Submission(
            text=text,
            channel=Channel.OPEN311,
            citizen=citizen,
            address=(address_string or address_id or None),
            latitude=lat if lat is not None and long is not None else None,
            longitude=long if lat is not None and long is not None else None,
            attachments=(media_url,) if media_url else (),
            idempotency_key=_key_prefix(key) + token,
            category=cat.code,
        ),
        actor=f"open311:{key.name}",
        actor_role="api_client",
    )
    if outcome.order is None:
        raise ValidationError(outcome.message)
    return [
        {
            "service_request_id": outcome.order.number,
            "token": token,
            "service_notice": outcome.message,
            "account_id": account_id,
        }
    ]


@router.get("/tokens/{token}.json", summary="The request id behind a token", responses=ERROR_RESPONSES)
def token_lookup(
    token: Annotated[str, Path(pattern=_TOKEN_PATTERN)],
    request: Request,
    jurisdiction_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    services = get_services(request)
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    q = select(WorkOrderRow.number).where(
        WorkOrderRow.idempotency_key.like("open311:%:" + escaped, escape="\\")
    )
    with services.sessions() as s:
        numbers = [n for n in s.scalars(q) if n]
    if not numbers:
        raise NotFoundError(f"no request for token {token}")
    return [{"service_request_id": numbers[0], "token": token}]


@router.get(
    "/requests.json", summary="Requests filed with this api_key, with filters", responses=ERROR_RESPONSES
)
def request_list(
    request: Request,
    api_key: Annotated[str, Query(max_length=200)],
    service_request_id: Annotated[str | None, Query(max_length=2000)] = None,
    service_code: Annotated[str | None, Query(max_length=64)] = None,
    start_date: Annotated[str | None, Query(max_length=40)] = None,
    end_date: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=40, description="open, closed or open,closed")] = None,
    jurisdiction_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    services = get_services(request)
    key = _key(services, api_key)
    q = select(WorkOrderRow).where(WorkOrderRow.idempotency_key.like(_key_prefix(key) + "%"))
    if service_request_id:
        ids = [i.strip() for i in service_request_id.split(",") if _NUMBER_RE.match(i.strip())][:MAX_RESULTS]
        q = q.where(WorkOrderRow.number.in_(ids))
    else:
        start = _parse_date(start_date, "start_date", services)
        end = _parse_date(end_date, "end_date", services)
        if start is None and end is None:
            start = services.clock() - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        if start is not None:
            q = q.where(WorkOrderRow.created_at >= start)
        if end is not None:
            q = q.where(WorkOrderRow.created_at <= end)
        if service_code:
            q = q.where(WorkOrderRow.category == _service(services, service_code).name)
        if status:
            wanted = {s.strip().lower() for s in status.split(",") if s.strip()}
            if not wanted <= {"open", "closed"}:
                raise ValidationError("status must be open, closed or open,closed")
            if wanted == {"open"}:
                q = q.where(WorkOrderRow.status.not_in(_CLOSED))
            elif wanted == {"closed"}:
                q = q.where(WorkOrderRow.status.in_(_CLOSED))
    q = q.order_by(WorkOrderRow.created_at.desc(), WorkOrderRow.id.desc()).limit(MAX_RESULTS)
    with services.sessions() as s:
        return [_request_view(row, services) for row in s.scalars(q)]


@router.get(
    "/requests/{service_request_id}.json",
    summary="One request filed with this api_key",
    responses=ERROR_RESPONSES,
)
def request_detail(
    service_request_id: Annotated[str, Path(pattern=r"^\d{8}-\d{6}$")],
    request: Request,
    api_key: Annotated[str, Query(max_length=200)],
    jurisdiction_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    services = get_services(request)
    key = _key(services, api_key)
    q = (
        select(WorkOrderRow)
        .where(WorkOrderRow.number == service_request_id)
        .where(WorkOrderRow.idempotency_key.like(_key_prefix(key) + "%"))
    )
    with services.sessions() as s:
        row = s.scalar(q)
        if row is None:
            raise NotFoundError(f"no request {service_request_id} for this api_key")
        return [_request_view(row, services)]
