"""How the app is served: the command and its address, what a visitor can and cannot reach, the kernel's
refusal of code from the page, a friendly message instead of a traceback, and the same app inside a Jupyter
server's Voila extension (how Binder and JupyterHub users open it)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import psutil
import pytest
from playwright.sync_api import Page, expect

from content import Guidance

from .conftest import APP_READY_MS, BIN, PROJECT_ROOT, VOILA_READY, Server, free_port, running, stop

pytestmark = pytest.mark.browser

FORBIDDEN_PATHS = (
    "/pyproject.toml",
    "/content/data/sources.yaml",
    "/content/guidance.py",
    "/notebooks/app.ipynb",
    "/app.ipynb",
    "/voila.json",
    "/.git/config",
    "/voila/files/../pyproject.toml",
    "/voila/files/%2e%2e/pyproject.toml",
    "/voila/files/..%2fpyproject.toml",
    "/voila/files/app.ipynb",
    "/voila/static/../../../../pyproject.toml",
    "/voila/tree",
    "/voila/tree/",
    "/voila/render/app.md",
    "/voila/render/02-ros1-and-fusions.md",
    "/voila/render/missing.ipynb",
    "/voila/render/../ros1_course/cli.py",
    "/voila/render/%2e%2e/pyproject.toml",
    "/voila/render/",
    "/voila/api/contents",
    "/voila/api/contents/",
    "/voila/api/contents/app.ipynb",
    "/my-progress.html",
    "/api/contents/pyproject.toml",
    "/api/kernels",
    "/../../etc/passwd",
    "/ros1-course/pictures/",
    "/ros1-course/pictures/../pyproject.toml",
    "/ros1-course/pictures/%2e%2e/%2e%2e/pyproject.png",
    "/ros1-course/pictures/0123456789ab/..%2f..%2fpyproject.png",
    "/ros1-course/pictures/0123456789ab/schematic-CD74.json",
)
# Voila 0.5.13's template-static handler answers a `..` path with a bare 500 (an unpacking error), never the file.
TEMPLATE_TRAVERSAL_PATHS = (
    "/voila/templates/lab/static/../../../../pyproject.toml",
    "/voila/templates/ros1/static/../index.html.j2",
)
EXECUTE_PROBE_JS = """
async ([url, code]) => {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const session = crypto.randomUUID();
  const message = (type, content) => ({
    header: {msg_id: crypto.randomUUID(), username: "visitor", session, msg_type: type, version: "5.3",
             date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content, channel: "shell", buffers: [],
  });
  const execute = message("execute_request", {code, silent: false, store_history: false,
                                               user_expressions: {}, allow_stdin: false, stop_on_error: true});
  const info = message("kernel_info_request", {});
  const replies = [];
  const answered = new Promise(resolve => {
    socket.onmessage = event => {
      const reply = JSON.parse(event.data);
      replies.push({type: reply.header.msg_type, parent: reply.parent_header.msg_id});
      if (reply.parent_header.msg_id === info.header.msg_id && reply.header.msg_type === "kernel_info_reply") {
        setTimeout(resolve, 1500);
      }
    };
  });
  socket.send(JSON.stringify(execute));
  socket.send(JSON.stringify(info));
  await Promise.race([answered, new Promise(resolve => setTimeout(resolve, 15000))]);
  socket.close();
  return {execute_id: execute.header.msg_id, info_id: info.header.msg_id, replies};
}
"""


def get(server: Server, path: str, hops: int = 5) -> tuple[int, str]:
    """GET a path exactly as written (no client-side `..` clean-up), following redirects on the same server."""
    parts = urlsplit(server.url)
    for _ in range(hops):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        connection.close()
        if response.status not in (301, 302, 303, 307, 308):
            return response.status, body
        path = urlsplit(response.getheader("Location", "")).path
    pytest.fail(f"too many redirects for {path}")


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses something listens on at `port`, read from /proc/net/tcp (skips elsewhere)."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("no /proc/net/tcp to read listening addresses from")
    rows = [line.split() for line in table.read_text().splitlines()[1:]]
    found = {row[1] for row in rows if row[3] == "0A" and int(row[1].split(":")[1], 16) == port}
    return {".".join(str(int(a[i:i + 2], 16)) for i in (6, 4, 2, 0)) for a, _ in (f.split(":") for f in found)}


def test_the_command_prints_the_address_and_binds_to_this_machine_only(app_server: Server) -> None:
    port = urlsplit(app_server.url).port
    assert port is not None
    assert f"Serving the ROS1 course on http://127.0.0.1:{port}/" in app_server.log_text()
    assert listening_addresses(port) == {"127.0.0.1"}


def test_host_and_port_options_bind_where_they_say(tmp_path: Path) -> None:
    port = free_port()
    command = [str(BIN / "ros1-course"), "app", "--host", "127.0.0.2", "--port", str(port), "--no-browser"]
    with running(command, f"http://127.0.0.2:{port}/", VOILA_READY, tmp_path / "app.log") as server:
        assert f"Serving the ROS1 course on http://127.0.0.2:{port}/" in server.log_text()
        assert listening_addresses(port) == {"127.0.0.2"}


def test_with_a_token_every_course_page_asks_for_it(tmp_path: Path, guidance: Guidance) -> None:
    port, token = free_port(), "room-42-token"
    command = [str(BIN / "ros1-course"), "app", "--port", str(port), "--no-browser", "--pool", "0", "--token", token]
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, tmp_path / "app.log", token=token) as server:
        assert f"Serving the ROS1 course on http://127.0.0.1:{port}/?token={token}" in server.log_text()
        picture = f"/ros1-course/pictures/{guidance.knowledge.fingerprint}/schematic-CD74.png"
        for path in ("/", "/voila/render/app.ipynb", f"/voila/render/{guidance.lessons[0].file}", picture):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)  # no token, no cookie
            refused = connection.getresponse()
            body = refused.read().decode()
            assert refused.status == 302 and refused.getheader("Location", "").startswith("/login"), path
            assert guidance.lessons[0].title not in body and "PNG" not in body
            connection.request("GET", f"{path}?token={token}")
            served = connection.getresponse()
            assert served.status == 200, path
            served.read()
            connection.close()


def test_without_no_browser_the_command_opens_the_app_from_a_page_that_stays_offline(tmp_path: Path) -> None:
    opened, browser = tmp_path / "opened.txt", tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(0o755)
    port, log = free_port(), tmp_path / "app.log"
    with log.open("w") as out:
        process = subprocess.Popen([str(BIN / "ros1-course"), "app", "--port", str(port)],
                                   env={**os.environ, "BROWSER": str(browser)}, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not opened.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop(process)
    assert opened.exists(), log.read_text(errors="replace")[-2000:]
    page = Path(urlsplit(opened.read_text(encoding="utf-8").strip()).path).read_text(encoding="utf-8")
    assert f"http://127.0.0.1:{port}/" in page
    assert "https://" not in page and "cdn." not in page


def test_the_pictures_are_served_read_only_by_their_address(app_server: Server, guidance: Guidance) -> None:
    parts = urlsplit(app_server.url)
    address = f"/ros1-course/pictures/{guidance.knowledge.fingerprint}/schematic-CD74.png"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", address)
    served = connection.getresponse()
    png = served.read()
    assert served.status == 200 and served.getheader("Content-Type") == "image/png"
    assert png.startswith(b"\x89PNG") and "immutable" in served.getheader("Cache-Control", "")
    connection.request("GET", address.replace("CD74", "NOPE"))
    missing = connection.getresponse()
    missing.read()
    connection.request("PUT", address, body=b"x")
    written = connection.getresponse()
    written.read()
    connection.close()
    assert missing.status == 404 and written.status in (403, 405)


def test_the_server_allocates_with_the_c_allocator_and_its_kernels_do_not(app_server: Server) -> None:
    def environment(pid: int) -> set[bytes]:
        return set(Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"))

    if not Path(f"/proc/{app_server.process.pid}/environ").exists():
        pytest.skip("no /proc to read a process's environment from")
    assert b"PYTHONMALLOC=malloc" in environment(app_server.process.pid)
    children = psutil.Process(app_server.process.pid).children(recursive=True)
    assert children, "the fork server and the preheated kernels"
    for child in children:
        assert not any(entry.startswith(b"PYTHONMALLOC=") for entry in environment(child.pid)), child.cmdline()


def test_the_command_refuses_a_port_in_use(app_server: Server) -> None:
    port = str(urlsplit(app_server.url).port)
    result = subprocess.run([str(BIN / "ros1-course"), "app", "--port", port, "--no-browser"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr


@pytest.mark.parametrize("path", FORBIDDEN_PATHS)
def test_only_the_course_pages_and_their_assets_are_served(app_server: Server, path: str) -> None:
    status, body = get(app_server, path)
    assert status in (403, 404), f"{path} answered {status}"
    assert "[project]" not in body and "ros1-course" not in body


@pytest.mark.parametrize("path", TEMPLATE_TRAVERSAL_PATHS)
def test_template_paths_cannot_climb_out(app_server: Server, path: str) -> None:
    status, body = get(app_server, path)
    assert status in (403, 404, 500), f"{path} answered {status}"
    assert "[project]" not in body and "extends" not in body and "Traceback" not in body


def test_the_kernel_refuses_code_sent_from_the_page(
    open_app: Callable[[], Page], app_server: Server, tmp_path: Path
) -> None:
    page = open_app()
    kernel_id = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    marker = tmp_path / "executed"
    socket_url = app_server.url.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels"
    code = f"open({str(marker)!r}, 'w').write('the page ran code')"

    result = page.evaluate(EXECUTE_PROBE_JS, [socket_url, code])

    answered = {reply["parent"] for reply in result["replies"]}
    assert result["info_id"] in answered, f"the kernel should answer a kernel_info_request: {result}"
    assert result["execute_id"] not in answered
    assert not marker.exists()
    assert 'Received message of type "execute_request", which is not allowed' in app_server.log_text()


@pytest.fixture(scope="module")
def broken_app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Voila with the project's voila.json serving a notebook whose cell raises, as a visitor would meet a
    broken app."""
    folder = tmp_path_factory.mktemp("broken-app")
    shutil.copy(PROJECT_ROOT / "voila.json", folder / "voila.json")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A broken app"),
        nbformat.v4.new_code_cell("secret_detail = 'internal-xyzzy'\nraise RuntimeError(secret_detail)"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "app.ipynb")
    port = free_port()
    env = {**os.environ, "JUPYTER_PATH": str(PROJECT_ROOT / "share" / "jupyter")}
    command = [sys.executable, "-m", "voila", "app.ipynb", f"--port={port}", "--no-browser"]
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, folder / "voila.log", cwd=folder,
                 env=env) as server:
        yield server


def test_a_failing_cell_shows_a_friendly_message_not_a_traceback(
    page: Page, broken_app_server: Server, snapshot: Callable[[Page, str], Path]
) -> None:
    page.goto(broken_app_server.url)
    expect(page.get_by_text("could not be shown")).to_be_visible(timeout=APP_READY_MS)
    html = page.content()
    for leak in ("Traceback", "RuntimeError", "internal-xyzzy", "secret_detail"):
        assert leak not in html
    assert "RuntimeError: internal-xyzzy" in broken_app_server.log_text()
    snapshot(page, "08-friendly-error")


def test_the_app_opens_in_a_jupyter_server_with_the_voila_extension(
    page: Page, jupyter_server: Server, guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{jupyter_server.url}voila/render/notebooks/app.ipynb?token={jupyter_server.token}")
    page.get_by_role("tab", name="The fusion").wait_for(timeout=APP_READY_MS)
    expect(page.get_by_text(f"Step 1 of {len(guidance.steps)}")).to_be_visible()

    page.get_by_role("tab", name="Progression and resistance").click()
    page.get_by_role("checkbox", name="G2032R", exact=True).check()

    expect(page.get_by_role("table", name="Therapy activity against G2032R")).to_be_visible()
    assert "Traceback" not in page.content()
    snapshot(page, "09-jupyter-server-voila-extension")


def test_requests_that_would_leave_the_machine_are_blocked_and_recorded(
    open_app: Callable[[], Page], blocked: list[str]
) -> None:
    page = open_app()
    page.evaluate("""async () => {
        await fetch("https://cdn.jsdelivr.net/npm/example.css").catch(() => null);
        await new Promise(resolve => {
            const socket = new WebSocket("wss://example.org/socket");
            socket.onclose = resolve; socket.onerror = resolve;
        });
    }""")
    assert blocked == ["https://cdn.jsdelivr.net/npm/example.css", "wss://example.org/socket"]
    blocked.clear()
