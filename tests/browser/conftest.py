"""The browser tests' fixtures: the real app server, a Jupyter server with the Voila extension, and headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright) with every non-local request blocked and recorded.

Without Chromium the tests that need it skip with a one-line reason, except in CI (CI=true), where they fail
instead; the tests that only talk HTTP to the servers still run.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, WebSocketRoute, sync_playwright

from ros1_course.static_site import build_static

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
SERVER_START_SECONDS = 90
APP_READY_MS = 90_000
VOILA_READY = "voila/static/voila.js"
APP_PATH = "voila/render/app.ipynb"
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def is_local(url: str) -> bool:
    """True for requests that stay on this machine (loopback HTTP/WebSocket, data: and blob: URLs)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS


@dataclass
class Server:
    """A server the tests started: its base URL, its process and its log file."""

    url: str
    process: subprocess.Popen
    log: Path
    token: str = ""

    def log_text(self) -> str:
        """What the server has logged so far, without terminal colour codes."""
        return ANSI_CODES.sub("", self.log.read_text(errors="replace"))


def wait_for_http(server: Server, path: str, seconds: float = SERVER_START_SECONDS, only_ok: bool = False) -> None:
    """Wait until the server answers `path` (any HTTP status, or with `only_ok` a success: a proxy answers 503
    before its backend is routed); fail with its log if it exits or stalls."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server exited with {server.process.returncode}:\n{server.log_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=2):
                return
        except urllib.error.HTTPError:
            if not only_ok:
                return
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"server did not answer {server.url}{path} within {seconds} s:\n{server.log_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started (SIGTERM lets Voila shut its kernels down), killing it if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running(command: list[str], url: str, ready_path: str, log: Path, cwd: Path = PROJECT_ROOT,
            env: dict[str, str] | None = None, token: str = "", only_ok: bool = False) -> Iterator[Server]:
    """Start a server, wait until it answers `ready_path` (see `wait_for_http`), and stop it on leaving."""
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(url, process, log, token)
    try:
        wait_for_http(server, ready_path, only_ok=only_ok)
        yield server
    finally:
        stop(process)


def missing_in_ci_fails(reason: str) -> None:
    """Skip the test for something this machine lacks; in CI (CI=true), where `.ci/run` installs it, fail."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _require_chromium() -> None:
    """Skip (or, in CI, fail) when Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        missing_in_ci_fails(f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and server logs go (test-artifacts/browser, git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def app_server(artifacts: Path) -> Iterator[Server]:
    """`ros1-course app --port <free> --no-browser`, as an educator starts it, for the whole session: the
    contents page at its root, the lessons and the case app under voila/render/."""
    port = free_port()
    command = [str(BIN / "ros1-course"), "app", "--port", str(port), "--no-browser"]
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, artifacts / "app-server.log") as server:
        yield server


@pytest.fixture(scope="session")
def jupyter_server(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Jupyter server (as Binder and JupyterHub run) from the project root, with the Voila extension the
    voila package enables, a token of ours, and the course's template on JUPYTER_PATH."""
    port, token = free_port(), secrets.token_hex(16)
    log = artifacts / "jupyter-server.log"
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    env = {**os.environ, "JUPYTER_PATH": str(PROJECT_ROOT / "share" / "jupyter"),
           "JUPYTER_RUNTIME_DIR": str(runtime)}
    command = [str(BIN / "jupyter"), "server", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
               f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    with running(command, f"http://127.0.0.1:{port}/", "api/status", log, env=env, token=token) as server:
        yield server


@pytest.fixture(scope="session")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course built as a static folder, once for the session."""
    return build_static(tmp_path_factory.mktemp("static") / "site", progress=lambda message: None)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver for the session."""
    _require_chromium()
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, with the flags that keep it off the network by itself. Playwright gives
    it a new, empty profile directory."""
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    yield chromium
    chromium.close()


@pytest.fixture
def blocked() -> list[str]:
    """The addresses the test's page tried to reach off this machine (every attempt was aborted)."""
    return []


def blocking_context(browser: Browser, blocked: list[str], **options: Any) -> BrowserContext:
    """A new browser context (Playwright's `new_context` options) that lets loopback requests through and
    aborts and records in `blocked` any other request or WebSocket."""

    def route(request_route: Route) -> None:
        url = request_route.request.url
        if is_local(url):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort("blockedbyclient")

    def refuse_socket(socket: WebSocketRoute) -> None:
        blocked.append(socket.url)
        socket.close()

    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.route("**/*", route)
    context.route_web_socket(lambda url: not is_local(url), refuse_socket)
    return context


@pytest.fixture
def page(browser: Browser, blocked: list[str]) -> Iterator[Page]:
    """A fresh page (own context, service workers blocked) that lets loopback requests through and aborts and
    records any other request or WebSocket. At the end it closes as a visitor's tab does (Voila then shuts the
    page's kernel down) and checks that nothing tried to leave the machine."""
    context = blocking_context(browser, blocked, service_workers="block")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    tab.close(run_before_unload=True)
    context.close()
    assert blocked == [], f"the page tried to reach other machines: {blocked}"


@pytest.fixture
def open_app(page: Page, app_server: Server) -> Callable[[], Page]:
    """Open the case app and wait until its section tabs are there."""

    def opened() -> Page:
        page.goto(app_server.url + APP_PATH)
        page.get_by_role("tab", name="The fusion").wait_for(timeout=APP_READY_MS)
        return page

    return opened


@pytest.fixture
def snapshot(artifacts: Path) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as test-artifacts/browser/<name>.png."""

    def save(tab: Page, name: str) -> Path:
        path = artifacts / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return save
