"""`intake actions` (the Rasa action server) and `intake chat` (talk to the assistant in a terminal).

The root command (`serving.cli`) puts the deployment's `Settings` in ``ctx.obj``; these commands build
the assistant from it when they run, never at import time.
"""

from __future__ import annotations

import secrets
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from workorders.errors import DomainError

if TYPE_CHECKING:
    from serving.settings import Settings


#: Interfaces only this machine can reach: the action server may run there without a token.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def register(app: typer.Typer) -> None:
    """Mount the assistant's commands on the root `intake` app."""
    app.command("actions")(actions)
    app.command("chat")(chat)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    if settings is None:
        from serving.settings import Settings

        settings = Settings()
    return settings


def actions(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port of the action endpoint.")] = 5055,
    host: Annotated[
        str, typer.Option(help="Interface to listen on; beyond loopback needs INTAKE_ACTIONS_TOKEN.")
    ] = "127.0.0.1",
    cors: Annotated[str, typer.Option(help="Allowed CORS origins.")] = "*",
) -> None:
    """Run the Rasa action server: action_triage, action_search_knowledge, action_file_work_order and
    validate_complaint_form (point a Rasa assistant's endpoints.yml at http://HOST:PORT/webhook,
    with the same token as INTAKE_ACTIONS_TOKEN under action_endpoint.token)."""
    from assistant.factory import build_dialogue_manager
    from assistant.rasa_actions import ActionComponents, create_action_app

    settings = _settings(ctx)
    token = settings.actions_token.get_secret_value() if settings.actions_token else None
    if not token and host not in LOOPBACK_HOSTS:
        typer.secho(
            f"error: the action server files work orders; to listen on {host} set INTAKE_ACTIONS_TOKEN "
            "(and the same token in Rasa's endpoints.yml), or listen on 127.0.0.1",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(code=2)
    try:
        components = ActionComponents.from_dialogue_manager(build_dialogue_manager(settings))
    except DomainError as err:
        typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None
    server = create_action_app(lambda: components, cors_origins=cors, token=token)
    typer.echo(f"action server on http://{host}:{port}/webhook (models and index loaded)")
    server.run(host=host, port=port, single_process=True, access_log=False, motd=False)


def chat(
    ctx: typer.Context,
    session: Annotated[str | None, typer.Option(help="Session id to continue (default: a new one).")] = None,
) -> None:
    """Talk to the assistant in the terminal, one line per message (Ctrl-D to quit)."""
    from assistant.factory import build_dialogue_manager

    try:
        manager = build_dialogue_manager(_settings(ctx))
    except DomainError as err:
        typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from None
    session_id = session or f"cli-{secrets.token_hex(8)}"
    typer.echo(f"session {session_id}; Ctrl-D to quit")
    for line in sys.stdin:
        result = manager.handle(session_id, line.rstrip("\n"))
        for message in result.messages:
            typer.echo(f"助手：{message.text}")
            for button in message.buttons:
                typer.echo(f"    [{button.title}] → {button.payload}")
        custom = result.custom
        typer.echo(
            f"    (state={custom['state']} missing={custom['missing']} order={custom['work_order_number']})"
        )
