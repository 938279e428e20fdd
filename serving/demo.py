"""`intake demo load`: fill a fresh installation with the project's own demo data.

Everything loaded here was written for the project (no real citizen data): a week of invented work
orders with their histories (so the queue, the daily report and its alerts have something to show),
the default triage models trained from the shipped example messages, and the demo knowledge base.
Running it again adds nothing twice.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer

from serving.settings import Settings

demo_app = typer.Typer(
    help="The project's own demo data (invented orders, models, knowledge base).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Mount `intake demo` on the root app."""
    app.add_typer(demo_app, name="demo")


@demo_app.command("load")
def demo_load(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=1, max=60, help="Days of invented orders, ending today.")] = 7,
) -> None:
    """Migrate the database, train the default models, file the demo orders (triaged), build the demo index."""
    from classifiers.triage import Triager
    from reports.demo_orders import generate_demo_orders, write_demo_orders
    from serving.adapters import load_knowledge_base
    from training.bootstrap import ensure_default_models
    from workorders.config import load_city_config
    from workorders.db import make_engine, make_session_factory
    from workorders.migrate import upgrade
    from workorders.service import WorkOrderService

    settings: Settings = ctx.find_root().obj
    settings.home.mkdir(parents=True, exist_ok=True)
    config = load_city_config(settings.city_config)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    sessions = make_session_factory(engine)

    started = time.perf_counter()
    ensure_default_models(settings.models_dir, config)
    typer.echo(f"triage models: ready in {settings.models_dir} ({time.perf_counter() - started:.1f} s)")

    started = time.perf_counter()
    triager = Triager.load(settings.models_dir, config)

    def triage(order: dict[str, Any]) -> dict[str, Any]:
        result = triager.triage(order["request"], title=order.get("title"), now=order["filed_at"])
        return result.model_dump(mode="json")

    orders = generate_demo_orders(config, days=days)
    filed = write_demo_orders(lambda clock: WorkOrderService(sessions, config, clock=clock), orders, triage)
    typer.echo(
        f"demo orders: {filed} filed ({len(orders) - filed} already present) in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    load_knowledge_base(settings)
    typer.echo(f"knowledge base: ready in {settings.kb_dir} ({time.perf_counter() - started:.1f} s)")
    engine.dispose()
