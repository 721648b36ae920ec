"""The course without a server: the static site (`ros1-course build-static`, served by `python -m http.server`)
beside `ros1-course app`, in one run, on lesson 02 (the fusion-partner explorer) in headless Chromium.

For each: content visible (the lesson's title shown), first working control (the explorer's dropdown, enabled,
drawn by the page's kernel) on a first visit (empty browser cache) and on a later one (same browser profile),
and the answer after a choice. For the static site also: the build's time, the folder's size, the bytes a first
and a later visit fetch (as the plain static server's log counts them: a later visit's files the browser kept
are not fetched again), and a first visit's files gzip-compressed, as most web hosts send them.
Medians of 3 visits. Prints each figure and the issue's target; nothing is asserted.
"""

from __future__ import annotations

import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench_app import CHROMIUM, CHROMIUM_FLAGS, ROOT, app_server, free_port, wait_until_served
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(ROOT))
from ros1_course.static_site import build_static, folder_size

VISITS = 3
LESSON = "02-ros1-and-fusions"
CONTROL = ".ros1-partner-explorer select"


@dataclass
class Visit:
    """One page visit's figures (ms), and the bytes fetched."""

    content_ms: float
    control_ms: float
    fetched: list[str] = field(default_factory=list)


def visit(page: Page, url: str, title: str) -> Visit:
    """Open the lesson; time its title and its first working control."""
    fetched: list[str] = []

    def done(response: object) -> None:
        fetched.append(getattr(response, "url", ""))

    page.on("response", done)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.get_by_role("heading", name=title, level=1).first.wait_for(state="visible", timeout=120_000)
    content = (time.perf_counter() - start) * 1000
    page.locator(CONTROL).first.wait_for(state="visible", timeout=180_000)
    control = (time.perf_counter() - start) * 1000
    page.remove_listener("response", done)
    return Visit(content, control, fetched)


def choice_ms(page: Page) -> float:
    """How long choosing EZR took to show EZR-ROS1."""
    start = time.perf_counter()
    page.locator(CONTROL).first.select_option("EZR")
    page.get_by_role("heading", name="EZR-ROS1").wait_for(timeout=30_000)
    return (time.perf_counter() - start) * 1000


def served_bytes(log: Path | None, start: int) -> int:
    """The bytes of the files the static server's log says it sent whole (status 200) since `start` (the log's
    length then); the log is in the site's folder's parent, as `main` writes it."""
    if log is None:
        return 0
    lines = log.read_text(errors="replace")[start:].splitlines()
    paths = [match[1] for line in lines if (match := re.search(r'"GET (/[^ ?]*)\S* HTTP/[0-9.]+" 200 ', line))]
    site = log.parent / "site"
    return sum((site / unquote(path).lstrip("/")).stat().st_size for path in paths
               if (site / unquote(path).lstrip("/")).is_file())


def measure(browser: Browser, url: str, title: str, log: Path | None = None) -> dict[str, list[float]]:
    """First visits (each in a new profile), later visits (the same profile again) and a choice; with the static
    server's `log`, the bytes each visit fetched."""
    figures: dict[str, list[float]] = {"first_content": [], "first_control": [], "later_content": [],
                                       "later_control": [], "choice": [], "first_bytes": [], "later_bytes": []}
    for _ in range(VISITS):
        context = browser.new_context()
        page = context.new_page()
        before = log.stat().st_size if log else 0
        first = visit(page, url, title)
        figures["first_content"].append(first.content_ms)
        figures["first_control"].append(first.control_ms)
        figures["first_bytes"].append(served_bytes(log, before))
        figures["choice"].append(choice_ms(page))
        later_page = context.new_page()
        page.close()
        before = log.stat().st_size if log else 0
        later = visit(later_page, url, title)
        figures["later_content"].append(later.content_ms)
        figures["later_control"].append(later.control_ms)
        figures["later_bytes"].append(served_bytes(log, before))
        context.close()
    return figures


def gzip_bytes(site: Path, base: str, browser: Browser) -> tuple[int, int]:
    """The bytes of a first visit's files as served (no compression) and gzip-compressed."""
    context = browser.new_context()
    page = context.new_page()
    first = visit(page, base + f"voici/render/{LESSON}.html", "02 · ROS1 and its fusions")
    context.close()
    raw = compressed = 0
    for url in set(first.fetched):
        path = site / urlsplit(url).path.lstrip("/")
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            compressed += len(gzip.compress(data, 6))
    return raw, compressed


def main() -> None:
    """Build the site, serve it and the app, and print the comparison."""
    if not Path(CHROMIUM).exists():
        print("skipped: /usr/bin/chromium is not installed (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        start = time.perf_counter()
        site = build_static(Path(directory) / "site", progress=lambda message: None)
        build_s = time.perf_counter() - start
        print(f"  static: built in {build_s:.0f} s (downloads cached), folder {folder_size(site) / 2**20:.1f} MiB",
              flush=True)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        title = "02 · ROS1 and its fusions"
        port = free_port()
        log = Path(directory) / "static-server.log"
        with log.open("w") as out:
            static = subprocess.Popen([sys.executable, "-u", "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                       "--directory", str(site)], stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}/"
            wait_until_served(base)
            print("  static: measuring lesson 02...", flush=True)
            static_figures = measure(browser, base + f"voici/render/{LESSON}.html", title, log)
            raw, compressed = gzip_bytes(site, base, browser)
        finally:
            static.terminate()
            static.wait(timeout=20)
        command, cwd, app_url = app_server(free_port())
        server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_served(app_url)
            print("  app: measuring lesson 02...", flush=True)
            app_figures = measure(browser, app_url.replace("app.ipynb", f"{LESSON}.ipynb"), title)
        finally:
            server.terminate()
            server.wait(timeout=60)
        browser.close()
    report(static_figures, app_figures, raw, compressed)


def report(static: dict[str, list[float]], app: dict[str, list[float]], raw: int, compressed: int) -> None:
    """Print the figures side by side."""
    rows = [("content visible, first visit (ms)", "first_content", "static < 1000"),
            ("first working control, first visit (ms)", "first_control", "static < 6000"),
            ("content visible, later visit (ms)", "later_content", ""),
            ("first working control, later visit (ms)", "later_control", "static < 4000"),
            ("answer after a choice (ms)", "choice", ""),
            ("bytes fetched, first visit (MiB, as served)", "first_bytes", ""),
            ("bytes fetched, later visit (MiB, as served)", "later_bytes", "")]
    print(f"{'':<46}{'static':>10}{'app':>10}{'static/app':>12}  target")
    for label, key, target in rows:
        scale = 2**20 if key.endswith("bytes") else 1
        s, a = statistics.median(static[key]) / scale, statistics.median(app[key]) / scale
        shown = f"{a:>10.2f}" if a else f"{'n/a':>10}"  # the app's bytes are not counted (no server log of them)
        print(f"{label:<46}{s:>10.2f}{shown}{f'{s / a:.2f}' if a else '-':>12}  {target}")
    print(f"static first visit: {raw / 2**20:.1f} MiB of files, {compressed / 2**20:.1f} MiB gzip-compressed "
          "(what a web host that compresses sends)")
