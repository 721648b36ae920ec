"""The browser tests' fixtures: the real app server, a Jupyter server with the Voila extension, and headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright) with every non-local request blocked and recorded.

Without Chromium the tests skip with a one-line reason, except in CI (CI=true), where they fail instead.
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
SERVER_START_SECONDS = 90
APP_READY_MS = 90_000
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


def wait_for_http(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    """Wait until `url` answers (any HTTP status); fail with the server log if the server exits or stalls."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"server did not answer {url} within {seconds} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started (SIGTERM lets Voila shut its kernels down), killing it if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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


@dataclass
class Blocked:
    """Every request the browser tried to send off this machine (aborted before it left)."""

    urls: list[str] = field(default_factory=list)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and server logs go (test-artifacts/browser, git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def app_server(artifacts: Path) -> Iterator[Server]:
    """`ros1-course app --port <free> --no-browser`, as an educator starts it, for the whole session."""
    _require_chromium()
    port = free_port()
    log = artifacts / "app-server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(BIN / "ros1-course"), "app", "--port", str(port), "--no-browser"],
            cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}/", process, log)
    try:
        wait_for_http(server.url + "voila/static/voila.js", process, log, SERVER_START_SECONDS)
        yield server
    finally:
        stop(process)


@pytest.fixture(scope="session")
def jupyter_server(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Jupyter server (as Binder and JupyterHub run) from the project root, with the Voila extension the
    voila package enables, a token of ours, and the course's template on JUPYTER_PATH."""
    _require_chromium()
    port, token = free_port(), secrets.token_hex(16)
    log = artifacts / "jupyter-server.log"
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    env = {**os.environ, "JUPYTER_PATH": str(PROJECT_ROOT / "share" / "jupyter"),
           "JUPYTER_RUNTIME_DIR": str(runtime)}
    command = [str(BIN / "jupyter"), "server", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
               f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}/", process, log, token)
    try:
        wait_for_http(server.url + "api/status", process, log, SERVER_START_SECONDS)
        yield server
    finally:
        stop(process)


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
def blocked() -> Blocked:
    """The requests the test's page tried to send off this machine."""
    return Blocked()


@pytest.fixture
def page(browser: Browser, blocked: Blocked) -> Iterator[Page]:
    """A fresh page (own context) that lets loopback requests through and aborts and records any other.
    At the end it closes as a visitor's tab does (Voila then shuts the page's kernel down) and checks that
    no request tried to leave the machine."""

    def route(request_route: Route) -> None:
        url = request_route.request.url
        if is_local(url):
            request_route.continue_()
        else:
            blocked.urls.append(url)
            request_route.abort("blockedbyclient")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.route("**/*", route)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    tab.close(run_before_unload=True)
    context.close()
    assert blocked.urls == [], f"the page tried to reach other machines: {blocked.urls}"


@pytest.fixture
def open_app(page: Page, app_server: Server) -> Callable[[], Page]:
    """Open the app and wait until its section tabs are there."""

    def opened() -> Page:
        page.goto(app_server.url)
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
