"""`intake serve`, `intake users …` and `intake api-keys …`.

`serve` starts the web service with uvicorn (one process: rate limits and training jobs are kept in
memory). On an empty user table it creates the demo accounts admin/operator/trainer with passwords
from ``INTAKE_ADMIN_PASSWORD``/``INTAKE_OPERATOR_PASSWORD``/``INTAKE_TRAINER_PASSWORD``, or generated
ones printed once; production refuses generated or weak passwords.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Annotated

import typer

from serving.accounts import AccountService, Role, check_password_strength
from workorders.errors import DomainError

if TYPE_CHECKING:
    from serving.settings import Settings

users_app = typer.Typer(help="Staff accounts (operators, trainers, admins).", no_args_is_help=True)
keys_app = typer.Typer(help="Open311 API keys.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Mount the web-service commands on the root `intake` app."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="api-keys")


def _settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def _accounts(settings: Settings) -> AccountService:
    from workorders.db import make_engine, make_session_factory
    from workorders.migrate import pending

    settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    if pending(engine):
        raise _fail("the database schema is not up to date: run `intake db upgrade` first")
    return AccountService(make_session_factory(engine))


def ensure_demo_accounts(settings: Settings, accounts: AccountService) -> dict[str, str]:
    """Create admin/operator/trainer on an empty user table; return the passwords that were generated.

    Raises:
        DomainError: in production, when a password is not set or is too weak.
    """
    if accounts.count_users() > 0:
        return {}
    wanted = {
        Role.ADMIN: settings.admin_password,
        Role.OPERATOR: settings.operator_password,
        Role.TRAINER: settings.trainer_password,
    }
    generated: dict[str, str] = {}
    for role, secret in wanted.items():
        password = secret.get_secret_value() if secret is not None else None
        if password is None:
            if settings.environment == "production":
                raise DomainError(
                    f"set INTAKE_{role.value.upper()}_PASSWORD: production does not start with generated passwords"
                )
            password = secrets.token_urlsafe(12)
            generated[role.value] = password
        check_password_strength(password, role.value)
        accounts.create_user(role.value, password, role)
    return generated


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    migrate: Annotated[bool, typer.Option(help="apply pending database migrations first")] = False,
    log_level: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING…")] = "INFO",
    warm_up: Annotated[bool, typer.Option(help="load models and knowledge base at start-up")] = True,
) -> None:
    """Start the web service (citizen chat, operator and trainer consoles, API, Open311)."""
    import uvicorn

    from serving.app import create_app
    from serving.logs import configure_logging
    from serving.services import build_services
    from workorders.migrate import pending, upgrade

    settings = _settings(ctx)
    configure_logging(log_level)
    try:
        settings.check_production()
    except RuntimeError as err:
        raise _fail(str(err)) from None
    services = build_services(settings)
    try:
        if migrate:
            upgrade(services.engine)
        elif pending(services.engine):
            raise _fail("the database schema is not up to date: run `intake db upgrade` or pass --migrate")
        generated = ensure_demo_accounts(settings, services.accounts)
    except DomainError as err:
        services.close()
        raise _fail(str(err)) from None
    for username, password in generated.items():
        typer.secho(
            f"created demo account {username} with password {password} (shown once; set INTAKE_{username.upper()}_PASSWORD to choose it)",
            fg=typer.colors.YELLOW,
        )
    app = create_app(settings, services, warm_up=warm_up)
    typer.echo(f"civic-intake on http://{host}:{port}/  (console /console, trainer /trainer, API docs /docs)")
    try:
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, proxy_headers=True)
    finally:
        services.close()


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    username: str,
    role: Annotated[Role, typer.Option(help="operator, trainer or admin")] = Role.OPERATOR,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a staff account (the password is prompted for, or taken from --password)."""
    try:
        user = _accounts(_settings(ctx)).create_user(username, password, role)
    except DomainError as err:
        raise _fail(str(err)) from None
    typer.echo(f"created {user.username} ({user.role.value})")


@users_app.command("list")
def users_list(ctx: typer.Context) -> None:
    """List staff accounts."""
    for user in _accounts(_settings(ctx)).list_users():
        typer.echo(f"{user.username}\t{user.role.value}\t{'active' if user.active else 'disabled'}")


@users_app.command("set-password")
def users_set_password(
    ctx: typer.Context,
    username: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Change a password (signs the user out everywhere)."""
    try:
        _accounts(_settings(ctx)).set_password(username, password)
    except DomainError as err:
        raise _fail(str(err)) from None
    typer.echo(f"password of {username} changed")


@users_app.command("disable")
def users_disable(ctx: typer.Context, username: str) -> None:
    """Disable an account (signs the user out everywhere)."""
    try:
        _accounts(_settings(ctx)).set_active(username, False)
    except DomainError as err:
        raise _fail(str(err)) from None
    typer.echo(f"{username} disabled")


@keys_app.command("create")
def keys_create(ctx: typer.Context, name: str) -> None:
    """Create an Open311 API key; it is printed once and only its digest is stored."""
    try:
        key, info = _accounts(_settings(ctx)).create_api_key(name)
    except DomainError as err:
        raise _fail(str(err)) from None
    typer.echo(f"API key {info.id} ({info.name}): {key}")


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """List Open311 API keys (prefixes only)."""
    for key in _accounts(_settings(ctx)).list_api_keys():
        typer.echo(f"{key.id}\t{key.name}\t{key.key_prefix}…\t{'active' if key.active else 'revoked'}")


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: int) -> None:
    """Revoke an Open311 API key."""
    try:
        _accounts(_settings(ctx)).revoke_api_key(key_id)
    except DomainError as err:
        raise _fail(str(err)) from None
    typer.echo(f"API key {key_id} revoked")
