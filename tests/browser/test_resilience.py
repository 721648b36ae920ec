"""When kernels die nobody is left stuck, with a real server, real kernels (killed with SIGKILL, as the
out-of-memory killer does) and real Chromium: the open page says so and offers Reload; the next visitors get
working pages, never a preheated page whose kernel died; a server restart is survived; past the visitor cap a
visitor gets a polite "course is full" page and no kernel starts."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from ros1_course.serve import voila_command, voila_environment

from .conftest import APP_PATH, APP_READY_MS, BIN, VOILA_READY, Server, free_port, running, stop
from .test_accessibility import serious_violations
from .test_app import NEXT_STEP

pytestmark = pytest.mark.browser

BANNER = "This page lost its connection to the course. Reload to continue; your choices on this page will be reset."
BANNER_SECONDS = 10
FULL = "The course is full right now; try again in a minute."
BROKEN = ("Error displaying widget", "An exception occurred at the server", "could not be shown", "Traceback")


def kernel_processes(server: Server) -> list[psutil.Process]:
    """The server's live kernel processes, not exited ones: those started from ipykernel_launcher, and those
    its kernel fork server forked (the fork server's children)."""
    found = []
    for process in psutil.Process(server.process.pid).children(recursive=True):
        try:
            command = " ".join(process.cmdline())
            forked = "ros1_course.fork_server" in command and process.ppid() != server.process.pid
            if process.status() != psutil.STATUS_ZOMBIE and ("ipykernel" in command or forked):
                found.append(process)
        except psutil.Error:  # exited while we looked
            continue
    return found


def kernels_by_id(server: Server) -> dict[str, psutil.Process]:
    """The server's live kernels that have opened their ports, by kernel id: a kernel's id names its connection
    file (in the folder Voila's log names), and the kernel listens on the file's shell port."""
    folder = re.search(r"Storing connection files in (\S+?)\.?$", server.log_text(), re.MULTILINE)
    assert folder, "Voila's log names no connection-file folder"
    shell_ports = {}
    for connection in Path(folder.group(1)).glob("kernel-*.json"):
        try:
            shell_ports[int(json.loads(connection.read_text())["shell_port"])] = connection.stem[len("kernel-"):]
        except (OSError, ValueError, KeyError):  # being written or removed while we looked
            continue
    found = {}
    for process in kernel_processes(server):
        try:
            ports = {c.laddr.port for c in process.net_connections("tcp") if c.status == psutil.CONN_LISTEN}
        except psutil.Error:
            continue
        found.update({shell_ports[port]: process for port in ports & shell_ports.keys()})
    return found


def kernel_process(server: Server, kernel_id: str) -> psutil.Process:
    """The process of one kernel."""
    process = kernels_by_id(server).get(kernel_id)
    if process is None:
        pytest.fail(f"no process for kernel {kernel_id}")
    return process


def page_kernel_id(page: Page) -> str:
    return str(json.loads(page.locator("#jupyter-config-data").text_content() or "{}")["kernelId"])


def expect_working_app(page: Page) -> None:
    """The case app's widgets are there and answer: Next moves the case on; no widget or server error."""
    expect(page.get_by_role("tab", name="The fusion")).to_be_visible(timeout=APP_READY_MS)
    page.get_by_role("button", name=NEXT_STEP).click()
    expect(page.get_by_text(re.compile(r"^Step 2 of \d+$"))).to_be_visible()
    text = page.locator("body").inner_text()
    assert [broken for broken in BROKEN if broken in text] == []


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail(f"{what} within {seconds} s")


@contextmanager
def course_server(log: Path, *options: str, port: int | None = None) -> Iterator[Server]:
    """A server of our own (the tests kill its kernels): `ros1-course app` with these options."""
    port = port or free_port()
    command = [str(BIN / "ros1-course"), "app", "--port", str(port), "--no-browser", *options]
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, log, env=dict(os.environ)) as server:
        yield server


@pytest.fixture
def server(artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    with course_server(artifacts / f"resilience-{request.node.name}.log", "--pool", "2") as started:
        yield started


@pytest.fixture
def visitor(browser: Browser) -> Iterator[Callable[[], Page]]:
    """New visitors, each in a fresh browser context; closed as a visitor closes the tab."""
    pages: list[Page] = []

    def new() -> Page:
        context = browser.new_context(viewport={"width": 1024, "height": 768}, service_workers="block")
        pages.append(context.new_page())
        pages[-1].set_default_timeout(30_000)
        return pages[-1]

    yield new
    for page in pages:
        if not page.is_closed():
            page.close(run_before_unload=True)
        page.context.close()


def test_the_open_page_shows_the_banner_when_its_kernel_dies_and_reload_works(
    server: Server, visitor: Callable[[], Page], artifacts: Path
) -> None:
    page = visitor()
    page.goto(server.url + APP_PATH)
    expect_working_app(page)
    page.get_by_role("button", name="Presenter mode").click()  # the banner shows in presenter mode too
    kernel_id = page_kernel_id(page)

    killed = time.monotonic()
    kernel_process(server, kernel_id).kill()
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text(BANNER, timeout=BANNER_SECONDS * 1000)
    took = time.monotonic() - killed
    print(f"banner {took:.1f} s after the kernel was killed")
    assert page.locator("#rendered_cells").get_attribute("inert") is not None  # nothing pretends to work
    expect(banner.get_by_role("button", name="Reload")).to_be_focused()
    assert serious_violations(page) == []
    page.screenshot(path=str(artifacts / "30-connection-lost-banner.png"))
    wait_for(lambda: f"ros1-course: app.ipynb: kernel {kernel_id} died" in server.log_text(), 15,
             "one line in the server log said which page's kernel died")

    banner.get_by_role("button", name="Reload").click()
    expect_working_app(page)
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page_kernel_id(page) != kernel_id


def test_when_the_kernel_fork_server_dies_open_pages_say_so_and_the_next_visitor_gets_a_working_page(
    server: Server, visitor: Callable[[], Page]
) -> None:
    page = visitor()
    page.goto(server.url + APP_PATH)
    expect_working_app(page)
    kernel = kernel_process(server, page_kernel_id(page))
    fork_server = psutil.Process(kernel.ppid())
    assert fork_server.ppid() == server.process.pid  # the page's kernel was forked by the server's fork server
    assert "ros1_course.fork_server" in " ".join(fork_server.cmdline())

    fork_server.kill()  # as the out-of-memory killer might
    expect(page.get_by_role("alert")).to_contain_text(BANNER, timeout=BANNER_SECONDS * 1000)
    kernel.wait(15)  # the kernels it forked go with it
    wait_for(lambda: "ros1-course: the kernel fork server failed" in server.log_text(), 30,
             "one line in the server log said the fork server failed and was replaced")
    following = visitor()
    following.goto(server.url + APP_PATH)
    expect_working_app(following)
    assert page_kernel_id(following) != page_kernel_id(page)


def test_after_every_kernel_is_killed_the_next_five_visitors_get_working_pages(
    server: Server, visitor: Callable[[], Page]
) -> None:
    wait_for(lambda: len(kernel_processes(server)) >= 3, 60, "the pools (2 for the app, 1 for lesson 00) filled")
    time.sleep(3)  # let the preheated runs finish
    killed = {p.pid for p in kernel_processes(server)}
    for process in kernel_processes(server):
        process.kill()
    started = time.monotonic()
    for _ in range(5):
        page = visitor()
        page.goto(server.url + APP_PATH)
        expect_working_app(page)
    print(f"five visitors served in {time.monotonic() - started:.1f} s after every kernel was killed")
    wait_for(lambda: len([p for p in kernel_processes(server) if p.pid not in killed]) >= 5 + 3, 60,
             "the pools refilled beside the five visitors' kernels")
    assert "a preheated copy was not served because its kernel died" in server.log_text()


def test_kernels_killed_while_preheating_are_never_served(
    artifacts: Path, visitor: Callable[[], Page]
) -> None:
    with course_server(artifacts / "resilience-preheating.log", "--pool", "2") as started:
        killed: set[str] = set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(killed) < 3:  # kill each preheating kernel as it appears
            for kernel_id, process in kernels_by_id(started).items():
                if kernel_id not in killed:
                    killed.add(kernel_id)
                    process.kill()
            time.sleep(0.1)
        assert len(killed) == 3, f"expected 3 preheating kernels, killed {len(killed)}"
        for _ in range(3):
            page = visitor()
            page.goto(started.url + APP_PATH)
            expect_working_app(page)
            assert page_kernel_id(page) not in killed


def test_preheated_kernels_outlast_the_idle_culler_and_serve_the_visitor_who_comes_later(
    artifacts: Path, visitor: Callable[[], Page]
) -> None:
    # The course's server as `ros1-course app` runs it, with the culler's times shortened from voila.json's
    # 120 s and 30 s (options on the command line outrank the settings file).
    port, idle_seconds = free_port(), 10
    command = [*voila_command(port, "127.0.0.1", open_browser=False, pool=1),
               f"--MappingKernelManager.cull_idle_timeout={idle_seconds}", "--MappingKernelManager.cull_interval=1"]
    log = artifacts / "resilience-idle-culler.log"
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, log,
                 env=voila_environment(dict(os.environ))) as started:
        wait_for(lambda: len(kernels_by_id(started)) >= 2, 60, "the pools' kernels (case app, lesson 00) started")
        preheated = set(kernels_by_id(started))
        time.sleep(2 * idle_seconds + 5)  # a class that arrives after a pause longer than the culler's idle time
        page = visitor()
        page.goto(started.url + APP_PATH)
        expect_working_app(page)  # before the fix, the culler took the copy just handed over: no page
        assert page_kernel_id(page) in preheated
        assert "Culling 'idle' kernel" not in started.log_text()


def test_a_server_restart_shows_the_banner_and_reload_works(artifacts: Path, visitor: Callable[[], Page]) -> None:
    port = free_port()
    page = visitor()
    with course_server(artifacts / "resilience-restart-1.log", "--pool", "1", port=port) as first:
        page.goto(first.url + APP_PATH)
        expect_working_app(page)
        stop(first.process)
        expect(page.get_by_role("alert")).to_contain_text(BANNER, timeout=BANNER_SECONDS * 1000)
    with course_server(artifacts / "resilience-restart-2.log", "--pool", "1", port=port):
        page.get_by_role("alert").get_by_role("button", name="Reload").click()
        expect_working_app(page)


def test_past_the_visitor_cap_a_visitor_gets_the_full_page_and_no_kernel_starts(
    artifacts: Path, visitor: Callable[[], Page]
) -> None:
    with course_server(artifacts / "resilience-cap.log", "--max-visitors", "3") as started:
        assert "At most 3 visitors at once (as asked)" in started.log_text()
        pages = [visitor() for _ in range(5)]
        for page in pages[:3]:
            page.goto(started.url + APP_PATH)
            expect_working_app(page)
        for page in pages[3:]:
            response = page.goto(started.url + APP_PATH)
            assert response is not None and response.status == 503
            expect(page.get_by_role("status")).to_contain_text(FULL)
            expect(page.get_by_role("button", name="Reload")).to_be_visible()
            assert serious_violations(page) == []
        pages[3].screenshot(path=str(artifacts / "31-course-full.png"))
        assert len(kernel_processes(started)) <= 3
        assert started.log_text().count("shown the 'course is full' page") == 2

        closed = kernel_process(started, page_kernel_id(pages[0])).pid
        pages[0].close(run_before_unload=True)  # frees a place: the pool may refill it, or the next visitor
        wait_for(lambda: closed not in {p.pid for p in kernel_processes(started)}, 30,
                 "the closed page's kernel shut down")
        pages[3].get_by_role("button", name="Reload").click()
        expect_working_app(pages[3])
        assert len(kernel_processes(started)) <= 3


def test_with_plain_kernels_each_kernel_is_a_process_of_its_own_and_the_app_works(
    artifacts: Path, visitor: Callable[[], Page]
) -> None:
    with course_server(artifacts / "resilience-plain-kernels.log", "--plain-kernels", "--pool", "0") as started:
        page = visitor()
        page.goto(started.url + APP_PATH)
        expect_working_app(page)
        kernel = kernel_process(started, page_kernel_id(page))
        assert kernel.ppid() == started.process.pid
        assert "ipykernel_launcher" in kernel.cmdline()
        children = psutil.Process(started.process.pid).children()
        assert not [child for child in children if "ros1_course.fork_server" in " ".join(child.cmdline())]
        environ = psutil.Process(started.process.pid).environ()
        made = [Path(environ[name]) for name in ("ROS1_COURSE_SNAPSHOTS", "ROS1_COURSE_PICTURE_STORE")]
        assert all(folder.is_dir() for folder in made)
    assert [folder for folder in made if folder.exists()] == []  # the server removed its run's folders
