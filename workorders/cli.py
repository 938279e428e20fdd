"""`intake db`, `intake orders` and `intake config`: operate the work-order store from a shell.

The root command (`serving.cli`) puts the deployment's `Settings` in ``ctx.obj``; these commands build
what they need from it and print domain errors as one clear line with exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from workorders.config import load_city_config
from workorders.db import make_engine, make_session_factory
from workorders.enums import QUEUE_STATUSES, EventKind, Status
from workorders.errors import DomainError, ValidationError
from workorders.lifecycle import allowed_actions
from workorders.migrate import pending, upgrade
from workorders.schemas import TransitionRequest
from workorders.service import WorkOrderService

if TYPE_CHECKING:
    from serving.settings import Settings

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
orders_app = typer.Typer(help="List, show and move work orders.", no_args_is_help=True)
config_app = typer.Typer(help="The city config (departments, catalogue, deadlines).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Mount the work-order commands on the root `intake` app."""
    app.add_typer(db_app, name="db")
    app.add_typer(orders_app, name="orders")
    app.add_typer(config_app, name="config")


def _settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def _service(ctx: typer.Context) -> WorkOrderService:
    settings = _settings(ctx)
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    if pending(engine):
        raise DomainError("the database schema is not up to date: run `intake db upgrade` first")
    return WorkOrderService(make_session_factory(engine), load_city_config(settings.city_config))


def _fail(err: DomainError) -> typer.Exit:
    typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or migrate the schema to the latest version (safe to run repeatedly)."""
    settings = _settings(ctx)
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    todo = sorted(pending(engine))
    upgrade(engine)
    where = engine.url.render_as_string(hide_password=True)
    if todo:
        typer.echo(f"database at {where}: migrated to revision(s) {', '.join(todo)}; now up to date")
    else:
        typer.echo(f"database at {where} is up to date (nothing to apply)")


@config_app.command("check")
def config_check(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option(help="Config file (default: INTAKE_CITY_CONFIG or the demo city).")
    ] = None,
) -> None:
    """Validate a city config and summarise it."""
    try:
        cfg = load_city_config(config or _settings(ctx).city_config)
    except DomainError as err:
        raise _fail(err) from None
    typer.echo(
        f"ok: {cfg.city.name}: {len(cfg.departments)} departments, {len(cfg.categories)} categories, "
        f"{len(cfg.dispatch_catalogue)} catalogue entries"
    )


@orders_app.command("list")
def orders_list(
    ctx: typer.Context,
    status: Annotated[list[Status] | None, typer.Option(help="Only these statuses (repeatable).")] = None,
    department: Annotated[str | None, typer.Option(help="Only this lead department code.")] = None,
    queue: Annotated[bool, typer.Option(help="Sort as the operator queue (urgency, deadline).")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List work orders, newest first (or in queue order)."""
    try:
        service = _service(ctx)
        if queue and not status:  # the queue is what is still open, as on the console
            status = QUEUE_STATUSES
        orders = service.list(statuses=status, department=department, limit=limit, queue_order=queue)
    except DomainError as err:
        raise _fail(err) from None
    tz = service.deadlines.timezone  # staff read deadlines in city time, as on the pages
    for o in orders:
        if as_json:
            typer.echo(o.model_dump_json())
        else:
            due = o.deadline_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if o.deadline_at else "-"
            typer.echo(
                f"{o.number}  {o.status.value:<12} {o.urgency.value:<9} due {due}  "
                f"{o.lead_department or '-':<18} {o.request[:40]}"
            )
    if not orders and not as_json:
        typer.echo("no orders")


@orders_app.command("show")
def orders_show(ctx: typer.Context, ref: Annotated[str, typer.Argument(help="Order number or id.")]) -> None:
    """Show one order with its event log as JSON."""
    try:
        svc = _service(ctx)
        order = svc.get(ref)
        events = svc.events(ref)
    except DomainError as err:
        raise _fail(err) from None
    out = order.model_dump(mode="json")
    out["events"] = [e.model_dump(mode="json") for e in events]
    out["allowed_actions"] = [a.value for a in allowed_actions(order.status)]
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2))


@orders_app.command("transition")
def orders_transition(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Order number or id.")],
    action: Annotated[EventKind, typer.Argument(help="dispatch, sign_for, reply, rate, ...")],
    actor: Annotated[str, typer.Option(help="Who does it (recorded in the log).")] = "cli",
    reason: Annotated[
        str | None, typer.Option(help="Why (required for return, extend, withdraw...).")
    ] = None,
    department: Annotated[str | None, typer.Option(help="Lead department for dispatch/reassign.")] = None,
    reply: Annotated[str | None, typer.Option(help="Reply text for reply.")] = None,
    rating: Annotated[int | None, typer.Option(min=1, max=5, help="Rating for rate.")] = None,
    amount: Annotated[int | None, typer.Option(help="Extension amount for extend.")] = None,
    text: Annotated[str | None, typer.Option(help="Added information for supplement.")] = None,
    related: Annotated[
        str | None, typer.Option(help="For link_repeat: the number of the order this one repeats.")
    ] = None,
) -> None:
    """Apply one lifecycle action to an order; an illegal action is refused and changes nothing."""
    try:
        service = _service(ctx)
        if action is EventKind.LINK_REPEAT and not related:
            raise ValidationError("link_repeat needs --related, the number of the order this one repeats")
        req = TransitionRequest(
            action=action,
            actor=actor,
            reason=reason,
            lead_department=department,
            reply_text=reply,
            rating=rating,
            amount=amount,
            text=text,
            related_order_id=service.get(related).id if related else None,
        )
        order = service.transition(ref, req)
    except DomainError as err:
        raise _fail(err) from None
    typer.echo(f"{order.number}: {order.status.value}")
