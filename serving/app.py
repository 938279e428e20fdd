"""The web application factory: `create_app(settings, services=None) -> FastAPI`.

The app receives everything it depends on (settings, and optionally prebuilt services with fakes);
nothing is created at import time, so tests build as many isolated apps as they like.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from serving.errors import install_error_handlers
from serving.middleware import AccessLogMiddleware, BodySizeLimitMiddleware, SecurityHeadersMiddleware
from serving.ratelimit import RateLimiter
from serving.routers import auth, citizen, health, knowledge, models, open311, orders, pages, reports
from serving.security import require_citizen
from serving.services import Services, build_services
from serving.settings import Settings
from workorders.errors import ValidationError

log = logging.getLogger("intake.app")

#: Routes that accept uploads of labelled training data (larger body limit).
UPLOAD_PATHS = ("/api/training/examples", "/trainer/import")

TAGS = [
    {"name": "chat", "description": "The citizen chat (REST channel of the assistant)."},
    {"name": "citizen", "description": "A citizen's own orders (citizen session token)."},
    {"name": "orders", "description": "Work orders and the operator queue (operators)."},
    {"name": "knowledge", "description": "Regulation articles and past cases (staff)."},
    {"name": "models", "description": "Labelled data, training, model versions (trainers)."},
    {"name": "open311", "description": "Open311 GeoReport v2."},
    {"name": "auth", "description": "Sign-in and sessions."},
    {"name": "reports", "description": "Daily report."},
    {"name": "health", "description": "Health and metrics."},
]


def build_templates(tz: ZoneInfo) -> Jinja2Templates:
    directory = Path(str(resources.files("serving") / "templates"))
    templates = Jinja2Templates(directory=str(directory))

    def localtime(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return value.astimezone(tz).strftime(fmt) if value else ""

    def pct(value: Any) -> str:
        """A share with one decimal; never 100% or 0% for what is not exactly that (0.9984 → >99.9%)."""
        try:
            share = float(value)
        except (TypeError, ValueError):
            return ""
        text = f"{share:.1%}"
        if text == "100.0%" and share < 1:
            return ">99.9%"
        if text == "0.0%" and share > 0:
            return "<0.1%"
        return text

    templates.env.filters["localtime"] = localtime
    templates.env.filters["pct"] = pct
    return templates


async def chat_guard(request: Request) -> None:
    """Bind the assistant's REST channel to the session: ``sender`` must be this citizen's id.

    Without it, anyone could continue (and read) another citizen's conversation by naming its
    sender id. The chat router itself may also read ``request.state.citizen``.
    """
    principal = await require_citizen(request, None)
    request.state.citizen = principal
    try:
        body = await request.json()
    except Exception:
        return  # malformed JSON: the chat endpoint answers it with 422
    if isinstance(body, dict) and body.get("sender") != principal.citizen_id:
        raise ValidationError("sender must be this chat session's citizen id")


def _include_chat(app: FastAPI, services: Services) -> None:
    from serving.routers.chat import build_chat_router
    from serving.security import rate_limit

    router = build_chat_router(get_assistant=lambda: services.assistant)
    app.include_router(router, dependencies=[Depends(rate_limit("public")), Depends(chat_guard)])


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI from the copy bundled in the `swagger-ui-py` package (offline-first: no CDN)."""
    import swagger_ui

    static = Path(swagger_ui.__file__).parent / "static"
    app.mount("/docs/static", StaticFiles(directory=str(static)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="civic-intake API",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/docs/static/favicon-32x32.png",
        )


def create_app(settings: Settings, services: Services | None = None, *, warm_up: bool = False) -> FastAPI:
    """Build the app. Without `services`, real ones are built from `settings` (and closed on shutdown).

    Args:
        settings: the deployment's settings; production settings are checked here.
        services: prebuilt services (tests pass fakes); the caller then owns and closes them.
        warm_up: load the triage models and knowledge base in the background at start-up.
    """
    settings.check_production()
    owns_services = services is None
    services = services or build_services(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            threading.Thread(target=services.warm_up, name="warm-up", daemon=True).start()
        yield
        if owns_services:
            services.close()

    app = FastAPI(
        title="civic-intake",
        version="0.1.0",
        description="Conversational intake and NLP triage for 12345 city service hotlines and petition offices.",
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.settings = settings
    app.state.templates = build_templates(services.orders.deadlines.timezone)
    app.state.rate_limiters = {
        "public": RateLimiter(settings.public_rate_limit),
        "login": RateLimiter(settings.login_rate_limit),
    }
    install_error_handlers(app)
    for module in (health, auth, citizen, orders, knowledge, models, open311, reports, pages):
        app.include_router(module.router)
    _include_chat(app, services)
    app.mount("/static", StaticFiles(directory=str(resources.files("serving") / "static")), name="static")
    _mount_docs(app)

    def body_limit(path: str) -> int:
        return settings.max_upload_bytes if path in UPLOAD_PATHS else settings.max_body_bytes

    # Added innermost first: the access log sees every response, including 413s.
    app.add_middleware(BodySizeLimitMiddleware, limit_for=body_limit)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessLogMiddleware, metrics=services.metrics)
    return app
