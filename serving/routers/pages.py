"""The three pages: citizen chat (``/``), operator console (``/console``), trainer console (``/trainer``).

Server-rendered with Jinja2 (autoescaped: a complaint containing ``<script>`` shows as text) and a
little same-origin JavaScript; the pages call the same services as the JSON API. Console actions are
plain form posts with a CSRF token, answered by a redirect back to the order (post/redirect/get).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

import pydantic
from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from serving.accounts import Role
from serving.errors import describe_validation_errors, page_message
from serving.routers.models import import_upload, models_overview, promote, rollback
from serving.routers.orders import apply_action
from serving.schemas import ORDER_NUMBER_PATTERN, ActionRequest
from serving.security import (
    CSRF_FIELD,
    StaffPrincipal,
    citizen_from_request,
    get_services,
    new_citizen_session,
    rate_limit,
    require_staff,
    set_citizen_cookie,
)
from serving.services import Services
from serving.suggestions import hit_to_dict, suggestions_for
from serving.views import (
    ACTION_LABELS,
    HEAD_LABELS,
    URGENCY_LABELS,
    department_name,
    event_details,
    staff_view,
)
from workorders.enums import QUEUE_STATUSES, EventKind, Status
from workorders.errors import DomainError, NotFoundError, ValidationError
from workorders.labels import actor_label
from workorders.lifecycle import TRANSITIONS

router = APIRouter(include_in_schema=False)
operator = require_staff(Role.OPERATOR)
trainer = require_staff(Role.TRAINER)

OrderNumber = Annotated[str, Path(pattern=ORDER_NUMBER_PATTERN)]
#: Actions the order page offers with their own dedicated forms; every other allowed action gets
#: the generic form (`other_actions`), so the page offers all that the lifecycle allows staff.
_DEDICATED_FORMS = frozenset(
    {"reclassify", "dispatch", "sign_for", "start_handling", "close", "return", "reassign", "extend", "reply"}
)
#: Column headings of the version comparison, in display order.
METRIC_LABELS = {
    "accuracy": "准确率",
    "macro_f1": "宏 F1",
    "top3_accuracy": "前三命中率",
    "coverage": "建议覆盖率",
    "accuracy_when_suggested": "建议准确率",
    "ece": "校准误差",
    "n": "评估样本",
    "train_examples": "训练样本",
    "train_seconds": "训练秒数",
}


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def staff_context(request: Request, principal: StaffPrincipal) -> dict[str, Any]:
    services = get_services(request)
    return {
        "user": principal.user,
        "csrf": services.signer.csrf_token(principal.token),
        "csrf_field": CSRF_FIELD,
        "city": services.config.city,
        "tz": services.orders.deadlines.timezone,
    }


# -- citizen ---------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(rate_limit("public"))])
def citizen_page(request: Request) -> Response:
    services = get_services(request)
    principal = citizen_from_request(request, services)
    issued = principal is None
    if principal is None:
        principal = new_citizen_session(services)
    page = render(
        request,
        "citizen.html",
        {
            "citizen_id": principal.citizen_id,
            "csrf": services.signer.csrf_token(principal.token),
            "city": services.config.city,
            "emergency_numbers": services.config.emergency_numbers,
        },
    )
    if issued:
        set_citizen_cookie(page, request, principal)
    return page


# -- operator console --------------------------------------------------------------------------------


@router.get("/console", response_class=HTMLResponse)
def console(
    request: Request,
    status: Annotated[list[Status] | None, Query()] = None,
    principal: StaffPrincipal = Depends(operator),
) -> Response:
    services = get_services(request)
    now = services.clock()
    orders = [
        staff_view(o, services.config, now)
        for o in services.orders.list(statuses=status or QUEUE_STATUSES, limit=300, queue_order=True)
    ]
    return render(
        request,
        "console.html",
        {
            **staff_context(request, principal),
            "orders": orders,
            "overdue": sum(1 for o in orders if o.overdue),
            "filtered": bool(status),
            "urgency_labels": URGENCY_LABELS,
            "today": now.astimezone(services.orders.deadlines.timezone).date().isoformat(),
        },
    )


@router.get("/console/orders/{number}", response_class=HTMLResponse)
def console_order(
    number: OrderNumber,
    request: Request,
    done: Annotated[str | None, Query(max_length=50)] = None,
    error: Annotated[str | None, Query(max_length=500)] = None,
    principal: StaffPrincipal = Depends(operator),
) -> Response:
    services = get_services(request)
    order = services.orders.get(number)
    view = staff_view(order, services.config, services.clock())
    suggestions = suggestions_for(services, order)
    return render(
        request,
        "order.html",
        {
            **staff_context(request, principal),
            "order": view,
            "suggestions": suggestions,
            "events": services.orders.events(number),
            "categories": services.config.categories,
            "departments": services.config.departments,
            "action_labels": {k.value: v for k, v in ACTION_LABELS.items()},
            "urgency_labels": URGENCY_LABELS,
            "other_actions": [
                {"action": a, "needs_reason": TRANSITIONS[EventKind(a)].needs_reason}
                for a in view.allowed_actions
                if a not in _DEDICATED_FORMS
            ],
            # a department acting on its order is recorded by its code (water): pages name it
            "actor_label": lambda actor, role: actor_label(
                department_name(services.config, actor) or actor, role
            ),
            "event_details": lambda e: event_details(e, services.config),
            "done": ACTION_LABELS.get(EventKind(done)) if done in {a.value for a in EventKind} else None,
            "error": error,
            "extend_unit": services.orders.deadlines.rule(order.urgency).unit
            if order.urgency.value != "emergency"
            else None,
        },
    )


def _form_action(form: Any) -> ActionRequest:
    def text(name: str) -> str | None:
        value = form.get(name)
        return value.strip() or None if isinstance(value, str) else None

    amount = text("amount")
    rating = text("rating")
    assisting = [a for a in form.getlist("assisting_departments") if isinstance(a, str) and a.strip()]
    try:
        return ActionRequest(
            action=text("action") or "",
            reason=text("reason"),
            lead_department=text("lead_department"),
            assisting_departments=assisting if "assisting_present" in form or assisting else None,
            category=text("category"),
            urgency=text("urgency"),  # type: ignore[arg-type]  # checked by ActionRequest
            reply_text=text("reply_text"),
            rating=int(rating) if rating and rating.isdigit() else None,
            amount=int(amount) if amount and amount.isdigit() and len(amount) < 5 else None,
            text=text("text"),
            accept_suggestion=text("accept_suggestion") == "1",
        )
    except pydantic.ValidationError as err:
        raise ValidationError(describe_validation_errors(err.errors())) from None


async def _related_order_id(services: Services, ref: str) -> int:
    """The id of the order an operator names by its number when linking a repeat (并单).

    Only the number staff see counts: an internal id typed by mistake (169) would link some other order.
    """
    ref = ref.strip()
    if not re.fullmatch(ORDER_NUMBER_PATTERN, ref):
        raise ValidationError(f"no work order {ref[:40]}")
    try:
        order = await run_in_threadpool(services.orders.get, ref)
    except NotFoundError as err:  # the form's input is wrong, not the page's order: stay on the page
        raise ValidationError(str(err)) from None
    return order.id


@router.post("/console/orders/{number}/action")
async def console_action(
    number: OrderNumber, request: Request, principal: StaffPrincipal = Depends(operator)
) -> Response:
    services = get_services(request)
    form = await request.form()
    target = f"/console/orders/{number}"
    try:
        body = _form_action(form)
        related = form.get("related_order")
        if isinstance(related, str) and related.strip():
            body = body.model_copy(update={"related_order_id": await _related_order_id(services, related)})
        await run_in_threadpool(apply_action, services, number, body, principal)
    except NotFoundError:
        raise
    except DomainError as err:
        return RedirectResponse(f"{target}?error={quote(page_message(err)[:400])}", status_code=303)
    return RedirectResponse(f"{target}?done={body.action.value}", status_code=303)


@router.get("/console/search", response_class=HTMLResponse)
def console_search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Annotated[str, Query(pattern="^(|regulation|case)$")] = "",
    principal: StaffPrincipal = Depends(operator),
) -> Response:
    services = get_services(request)
    hits: list[dict[str, Any]] = []
    error = None
    query = q.replace("\x00", " ").strip()
    if query:
        kb = services.knowledge_base
        if kb is None:
            error = "知识库不可用"
        else:
            hits = [hit_to_dict(h) for h in kb.search(query, kind=kind or None, k=10)]
    return render(
        request,
        "search.html",
        {**staff_context(request, principal), "q": query, "kind": kind, "hits": hits, "error": error},
    )


# -- trainer console ---------------------------------------------------------------------------------


def _trainer_page(request: Request, principal: StaffPrincipal, **extra: Any) -> Response:
    services: Services = get_services(request)
    overview = None
    unavailable = None
    try:
        overview = models_overview(services)
    except DomainError as err:
        unavailable = page_message(err)
    return render(
        request,
        "trainer.html",
        {
            **staff_context(request, principal),
            "overview": overview,
            "unavailable": unavailable,
            "jobs": [j.as_dict() for j in services.training.list()[:5]],
            "metric_labels": METRIC_LABELS,
            "head_labels": HEAD_LABELS,
            "example_label": lambda head, label: (
                department_name(services.config, label)
                if head == "department"
                else URGENCY_LABELS.get(label, label)
                if head == "urgency"
                else label
            ),
            **extra,
        },
    )


@router.get("/trainer", response_class=HTMLResponse)
def trainer_page(
    request: Request,
    msg: Annotated[str | None, Query(max_length=300)] = None,
    error: Annotated[str | None, Query(max_length=500)] = None,
    principal: StaffPrincipal = Depends(trainer),
) -> Response:
    return _trainer_page(request, principal, msg=msg, error=error)


def _back(msg: str | None = None, error: str | None = None) -> Response:
    query = f"?msg={quote(msg)}" if msg else f"?error={quote(error[:400])}" if error else ""
    return RedirectResponse(f"/trainer{query}", status_code=303)


@router.post("/trainer/import")
async def trainer_import(
    request: Request,
    head: Annotated[str, Form(pattern=r"^[a-z][a-z0-9_]{0,31}$")],
    file: Annotated[UploadFile, File()],
    principal: StaffPrincipal = Depends(trainer),
) -> Response:
    try:
        result = await import_upload(get_services(request), head, file)
    except DomainError as err:
        return _back(error=page_message(err))
    skipped = (
        f"，跳过已有的重复样本 {result['skipped_duplicates']} 条" if result["skipped_duplicates"] else ""
    )
    if result["conflicting_labels"]:
        skipped += f"；注意：{result['conflicting_labels']} 条样本的文本已有另一个标签，请核对"
    return _back(msg=f"已导入 {result['imported']} 条「{HEAD_LABELS.get(head, head)}」标注样本{skipped}")


@router.post("/trainer/promote")
def trainer_promote(
    request: Request,
    head: Annotated[str, Form(pattern=r"^[a-z][a-z0-9_]{0,31}$")],
    version: Annotated[str, Form(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")],
    principal: StaffPrincipal = Depends(trainer),
) -> Response:
    try:
        promote(get_services(request), head, version, principal)
    except DomainError as err:
        return _back(error=page_message(err))
    return _back(msg=f"「{HEAD_LABELS.get(head, head)}」已启用版本 {version}")


@router.post("/trainer/rollback")
def trainer_rollback(
    request: Request,
    head: Annotated[str, Form(pattern=r"^[a-z][a-z0-9_]{0,31}$")],
    principal: StaffPrincipal = Depends(trainer),
) -> Response:
    try:
        active = rollback(get_services(request), head, principal)["active"]
    except DomainError as err:
        return _back(error=page_message(err))
    return _back(msg=f"「{HEAD_LABELS.get(head, head)}」已回滚到版本 {active}")
