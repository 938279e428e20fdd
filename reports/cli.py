"""`intake report daily` and `intake report hot-issues`: the daily report and hot issues from a shell.

The root command (`serving.cli`) puts the deployment's `Settings` in ``ctx.obj``; options given here
override them. Errors a user can fix (unknown department, bad settings file, missing CSV) are printed
as one line with exit code 1; a day without data still produces a report that says so.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from workorders.errors import DomainError

if TYPE_CHECKING:
    from serving.settings import Settings

report_app = typer.Typer(
    help="Daily report, hot issues and surge alerts (日报、热点、未诉先办).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Mount the `report` group on the root `intake` app."""
    app.add_typer(report_app, name="report")


def _settings(ctx: typer.Context) -> Settings | None:
    obj = ctx.find_root().obj
    return obj if obj is not None and hasattr(obj, "db_url") else None


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _parse_day(value: str | None, tz: ZoneInfo) -> dt.date:
    if value is None:
        return dt.datetime.now(tz).date() - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--date {value!r} is not a date like 2026-11-26") from None


@report_app.command("daily")
def daily(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Directory for daily-YYYY-MM-DD.html/.pdf/.json.")],
    date: Annotated[
        str | None, typer.Option("--date", help="Report day, YYYY-MM-DD (default: yesterday).")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="SQLAlchemy URL (default: INTAKE_DATABASE_URL / var)."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="City config YAML (default: INTAKE_CITY_CONFIG or demo city)."),
    ] = None,
    report_settings: Annotated[
        Path | None,
        typer.Option("--settings", help="Report settings YAML (alerts, hot issues); default bundled."),
    ] = None,
    department: Annotated[
        str | None, typer.Option("--department", help="One department's report (code).")
    ] = None,
    embedder: Annotated[
        str | None, typer.Option("--embedder", help="Embedder for hot issues, e.g. hashing.v1.")
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Report on freshly generated demo orders (throwaway database).")
    ] = False,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also write the PDF.")] = True,
    embedding_cache: Annotated[
        Path | None,
        typer.Option(
            "--embedding-cache", help="Embedding cache file (default: <home>/cache/embeddings.sqlite)."
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-embedding-cache", help="Embed every order afresh.")] = False,
) -> None:
    """Write the daily report (HTML, PDF and JSON) of one day."""
    from reports.daily import build_daily_report, default_embed, render_html, render_pdf
    from reports.settings import load_report_settings
    from workorders.config import load_city_config
    from workorders.db import make_engine, make_session_factory

    deployment = _settings(ctx)
    try:
        city = load_city_config(config or (deployment.city_config if deployment else None))
        settings = load_report_settings(
            report_settings or (deployment.report_settings if deployment else None)
        )
    except DomainError as err:
        raise _fail(str(err)) from None
    if embedder:
        settings = settings.model_copy(
            update={"hot_issues": settings.hot_issues.model_copy(update={"embedder": embedder})}
        )
    tz = ZoneInfo(city.timezone)
    day = _parse_day(date, tz)

    with tempfile.TemporaryDirectory() as scratch:
        if demo:
            url = _demo_database(Path(scratch), city, day)
        else:
            url = database_url or (deployment.db_url if deployment else None)
            if url is None:
                raise _fail("no database: give --database-url or set INTAKE_DATABASE_URL")
        engine = make_engine(url)
        cache = None if no_cache or demo else (embedding_cache or _default_cache(deployment))
        try:
            embed = default_embed(settings.hot_issues, cache)
            report = build_daily_report(
                make_session_factory(engine), day, city, settings=settings, department=department, embed=embed
            )
        except DomainError as err:
            raise _fail(str(err)) from None
        except KeyError as err:  # unknown embedder name
            raise _fail(str(err.args[0])) from None
        finally:
            engine.dispose()

    out.mkdir(parents=True, exist_ok=True)
    stem = f"daily-{day.isoformat()}" + (f"-{department}" if department else "")
    html_path = out / f"{stem}.html"
    html_path.write_text(render_html(report), encoding="utf-8")
    (out / f"{stem}.json").write_text(report.model_dump_json(indent=2), encoding="utf-8")
    written = [html_path.name, f"{stem}.json"]
    if pdf:
        written.append(render_pdf(report, out / f"{stem}.pdf").name)
    for notice in report.notices:
        typer.echo(notice)
    if report.volume is not None:
        typer.echo(
            f"{report.title}: {report.volume.total} orders, {len(report.alerts)} alerts, "
            f"{len(report.hot_issues.issues) if report.hot_issues else 0} hot issues, "
            f"{report.supervision.overdue.total if report.supervision else 0} overdue"
        )
    typer.echo(f"wrote {', '.join(written)} to {out}")


def _default_cache(deployment: Settings | None) -> Path | None:
    return deployment.home / "cache" / "embeddings.sqlite" if deployment is not None else None


def _demo_database(scratch: Path, city: Any, day: dt.date) -> str:
    """A throwaway SQLite database holding the demo week that ends on `day`."""
    from sqlalchemy import event

    from reports.demo_orders import generate_demo_orders, write_demo_orders
    from workorders.db import Base, make_engine, make_session_factory
    from workorders.service import WorkOrderService

    url = f"sqlite:///{scratch / 'demo.db'}"
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _no_fsync(dbapi_conn: Any, _record: Any) -> None:
        # A throwaway database: durability buys nothing and costs a disk sync per transaction.
        dbapi_conn.execute("PRAGMA synchronous=OFF")

    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    orders = generate_demo_orders(city, end=day)
    write_demo_orders(lambda clock: WorkOrderService(sessions, city, clock=clock), orders)
    engine.dispose()
    return url


@report_app.command("hot-issues")
def hot_issues(
    csv_path: Annotated[Path, typer.Argument(help="CSV with title, body, time and optionally likes, user.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="How many issues to print.")] = 10,
    since: Annotated[
        str | None, typer.Option("--since", help="Only messages from this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only messages before this date (YYYY-MM-DD).")
    ] = None,
    embedder: Annotated[str | None, typer.Option("--embedder", help="Embedder registry name.")] = None,
    report_settings: Annotated[Path | None, typer.Option("--settings", help="Report settings YAML.")] = None,
    embedding_cache: Annotated[
        Path | None,
        typer.Option("--embedding-cache", help="Embedding cache file (reruns skip the embedding)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write hot-issues.pdf and hot-issues.json to this directory."),
    ] = None,
) -> None:
    """Cluster a message set (e.g. ../shared/data/cases/votes.csv) into ranked hot issues."""
    from reports.daily import default_embed
    from reports.hot_issues import detect_hot_issues, messages_from_csv
    from reports.settings import load_report_settings

    if not csv_path.is_file():
        raise _fail(f"{csv_path}: file not found")
    try:
        settings = load_report_settings(report_settings).hot_issues
    except DomainError as err:
        raise _fail(str(err)) from None
    if embedder:
        settings = settings.model_copy(update={"embedder": embedder})
    messages = messages_from_csv(csv_path)
    try:
        lo = dt.datetime.fromisoformat(since) if since else None
        hi = dt.datetime.fromisoformat(until) if until else None
    except ValueError as err:
        raise _fail(f"bad --since/--until: {err}") from None
    messages = [m for m in messages if (lo is None or m.time >= lo) and (hi is None or m.time < hi)]
    if not messages:
        typer.echo("no messages in the given file and period; nothing to cluster")
        return
    try:
        embed = default_embed(settings, embedding_cache)
    except KeyError as err:
        raise _fail(str(err.args[0])) from None
    result = detect_hot_issues(messages, settings, embed)
    result.issues = result.issues[:top]
    if out is not None:
        from reports.pdfpages import render_hot_issues

        out.mkdir(parents=True, exist_ok=True)
        (out / "hot-issues.json").write_text(result.model_dump_json(indent=2), encoding="utf-8")
        render_hot_issues(result, out / "hot-issues.pdf", f"热点问题分析：{csv_path.name}")
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{result.messages_clustered} messages, {result.clusters_found} clusters, "
        f"{len(result.issues)} shown (embedder {result.embedder})"
        + (f"; {result.note}" if result.note else "")
    )
    for issue in result.issues:
        typer.echo(
            f"{issue.rank:>2}. {issue.label}  件数 {issue.count}  点赞 {issue.likes}  "
            f"{issue.first_seen:%Y-%m-%d}~{issue.last_seen:%Y-%m-%d}"
        )
        for sample in issue.samples:
            typer.echo(f"      {sample.id}  {sample.title}")
    if out is not None:
        typer.echo(f"wrote hot-issues.pdf, hot-issues.json to {out}")
