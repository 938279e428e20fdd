"""A live server over the real components, and headless Chromium (Debian's) driven by Playwright.

The browser tests skip with a reason where Debian's chromium or the playwright package is missing;
they never download a browser. Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORDS = {"operator": "op-browser-5t8w", "trainer": "tr-browser-3k9d", "admin": "ad-browser-7m2x"}


@dataclass
class LiveServer:
    url: str
    services: Any
    api_key: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`intake serve` in a thread: real triage models, knowledge base, assistant and model store."""
    uvicorn = pytest.importorskip("uvicorn")
    from serving.app import create_app
    from serving.services import build_services
    from serving.settings import Settings
    from workorders.migrate import upgrade

    home = tmp_path_factory.mktemp("browser-home")
    settings = Settings(home=home, environment="test", public_rate_limit=10_000)
    services = build_services(settings)
    upgrade(services.engine)
    services.warm_up()  # trains the demo models and builds the demo index before the first page
    for role, password in PASSWORDS.items():
        services.accounts.create_user(role, password, role)
    api_key = services.accounts.create_api_key("browser tests")[0]
    app = create_app(settings, services)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", services, api_key)
    server.should_exit = True
    thread.join(timeout=10)
    services.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium (Debian's package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    # `launch` starts Chromium on a fresh, empty temporary profile (its own --user-data-dir).
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(chromium: Any) -> Iterator[Any]:
    """``page_factory(mobile=False)``: a page in a fresh context (own cookies), closed after the test."""
    contexts: list[Any] = []

    def make(mobile: bool = False) -> Any:
        options: dict[str, Any] = {"locale": "zh-CN"}
        if mobile:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        context.set_default_timeout(60_000)  # generous: CI shares 2 cores with the server under test
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda d: pytest.fail(f"a script opened a dialog: {d.message}"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def passwords() -> dict[str, str]:
    return dict(PASSWORDS)


@pytest.fixture
def shot(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``shot(page, name)``: save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
