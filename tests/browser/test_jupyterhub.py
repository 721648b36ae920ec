"""The course past one machine: a real JupyterHub (the `jupyterhub` package, its configurable-http-proxy from
the npm registry), with a local spawner and the dummy authenticator, serves the case app and a lesson to two
users at once, each in their own single-user server started from the project root (so it reads voila.json and
finds the course's Voila template), as a Zero to JupyterHub image built from environment.yml would."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import APP_READY_MS, BIN, PROJECT_ROOT, Server, blocking_context, free_port, missing_in_ci_fails, running
from .test_course import course_nav

pytestmark = pytest.mark.browser

PROXY_PACKAGE = "configurable-http-proxy@5.3.0"  # JupyterHub's own proxy, pinned
PROXY_CACHE = Path.home() / ".cache" / "ros1-course" / "jupyterhub-proxy"
PASSWORD = secrets.token_hex(8)
HUB_CONFIG = """
import os
from jupyterhub.spawner import SimpleLocalProcessSpawner


class CourseSpawner(SimpleLocalProcessSpawner):
    \"\"\"Each user's server runs in the project's folder (where voila.json is), with a home of its own.\"\"\"

    def make_preexec_fn(self, name):
        home = self.home_dir

        def preexec():
            os.makedirs(home, 0o700, exist_ok=True)
            os.chdir({root!r})

        return preexec


c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/cookie_secret"
c.JupyterHub.pid_file = "{state}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = CourseSpawner
c.SimpleLocalProcessSpawner.home_dir_template = "{state}/home/{{username}}"
c.Spawner.notebook_dir = {root!r}
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/voila/render/notebooks/app.ipynb"
c.Spawner.environment = {{"JUPYTER_PATH": {templates!r}}}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
"""


def proxy_command() -> Path:
    """configurable-http-proxy, installed once from the npm registry into the user's cache."""
    installed = PROXY_CACHE / "node_modules" / ".bin" / "configurable-http-proxy"
    if installed.exists():
        return installed
    npm = shutil.which("npm")
    if npm is None:
        missing_in_ci_fails("npm not found: install Debian's nodejs and npm to run the JupyterHub test")
    PROXY_CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([str(npm), "install", "--no-audit", "--no-fund", "--prefix", str(PROXY_CACHE),
                             PROXY_PACKAGE], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, f"npm install {PROXY_PACKAGE} failed:\n{result.stderr[-3000:]}"
    return installed


@pytest.fixture(scope="module")
def hub(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """JupyterHub on a free port, its state in a temporary folder."""
    state = tmp_path_factory.mktemp("jupyterhub")
    port = free_port()
    args = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    config = state / "jupyterhub_config.py"
    config.write_text(HUB_CONFIG.format(
        port=port, hub_port=free_port(), proxy_api_port=free_port(), proxy=str(proxy_command()), state=state,
        password=PASSWORD, root=str(PROJECT_ROOT), singleuser=str(BIN / "jupyterhub-singleuser"), args=args,
        templates=str(PROJECT_ROOT / "share" / "jupyter")))
    command = [str(BIN / "jupyterhub"), "-f", str(config)]
    with running(command, f"http://127.0.0.1:{port}/", "hub/login", artifacts / "jupyterhub.log",
                 cwd=state, only_ok=True) as server:
        try:
            yield server
        finally:  # the users' servers run in sessions of their own: none may outlive the test
            spawned = psutil.Process(server.process.pid).children(recursive=True)
    stop_all(spawned)


def stop_all(processes: list[psutil.Process]) -> None:
    """Stop what is still running of these processes (the hub stops its users' servers as it stops)."""
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(processes, timeout=20)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def user_page(browser: Browser, blocked: list[str]) -> Page:
    """A page in its own browser context (one user's cookies), every request off this machine blocked."""
    page = blocking_context(browser, blocked).new_page()
    page.set_default_timeout(60_000)
    return page


def log_in(page: Page, hub: Server, user: str) -> None:
    """Log in on the hub's own form; the hub then starts the user's server and opens its default page."""
    response = page.goto(hub.url + "hub/login")
    assert response is not None and response.ok, f"the hub's login page answered {response and response.status}"
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()


def test_two_users_open_the_case_app_and_a_lesson_at_once_under_jupyterhub(
    hub: Server, browser: Browser, blocked: list[str]
) -> None:
    alice, bob = user_page(browser, blocked), user_page(browser, blocked)
    try:
        log_in(alice, hub, "alice")
        log_in(bob, hub, "bob")
        for page, user in ((alice, "alice"), (bob, "bob")):
            expect(page).to_have_url(re.compile(f"/user/{user}/voila/render/notebooks/app.ipynb"),
                                     timeout=APP_READY_MS)
            expect(page.get_by_role("tab", name="The fusion")).to_be_visible(timeout=APP_READY_MS)
            expect(page.get_by_role("main")).to_have_count(1)  # the course's template (Voila's has no landmark)
        bob.goto(hub.url + "user/bob/voila/render/notebooks/02-ros1-and-fusions.ipynb")
        nav = course_nav(bob)
        expect(nav).to_be_visible(timeout=APP_READY_MS)
        expect(nav.locator(".ros1-where")).to_contain_text("02 · ROS1 and its fusions")
        nav.get_by_role("link", name=re.compile("^Next: ")).click()
        expect(bob).to_have_url(re.compile("/user/bob/voila/render/notebooks/03-who-gets-it.ipynb$"))
        explorer = alice.locator(".ros1-partner-explorer")
        alice.get_by_role("tab", name="The fusion").click()
        explorer.get_by_label("Fusion partner").select_option("EZR")
        expect(explorer.get_by_role("heading", name="EZR-ROS1")).to_be_visible()
        expect(alice.locator("body")).not_to_contain_text("Traceback")
    finally:
        alice.context.close()
        bob.context.close()
    assert blocked == [], f"the pages tried to reach other machines: {blocked}"
