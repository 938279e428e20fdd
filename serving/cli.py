"""The `intake` command: the composition root that mounts every package's commands.

Each package exposes ``register(app)``; this module only wires them together and builds the
deployment `Settings` once per invocation (never at import time).
"""

from __future__ import annotations

import importlib

import typer

from serving.settings import Settings

#: Packages whose ``cli.register(app)`` adds commands, in help order.
COMMAND_MODULES = (
    "workorders.cli",
    "training.cli",
    "knowledge_base.cli",
    "assistant.cli",
    "reports.cli",
    "serving.commands",
    "serving.demo",
)


def build_app() -> typer.Typer:
    """Assemble the root app from the packages' command modules."""
    app = typer.Typer(
        help="civic-intake: conversational intake and triage for 12345 city service hotlines.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        """Settings come from INTAKE_* environment variables (see README)."""
        ctx.obj = Settings()

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def app() -> None:
    """Console-script entry point."""
    build_app()()
