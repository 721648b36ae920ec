"""Classroom scale: the course app (`ros1-course app`, shipped settings) beside a floor (one labelled dropdown
and one HTML output on stock Voila, default settings, same pinned versions), on the same machine.

For each: first widget visible in headless Chromium (median of 5 visits) and the CPU the server and its
kernels spent on each visit (kernel start to first widget, with the pool's refill for the app), answer shown
after a choice (median of 5) with the KiB the kernel sent the page for it, resident memory of one visitor's
kernel, 30 visitors arriving over 60 seconds (random times, fixed seed; each one's time to first widget: p50,
p95), 30 simultaneous visitors (time until each page is served: p50, p95, failures), then kernels alive and
memory held 3 minutes after they leave.
Prints each figure, the ratio app/floor and the issue's target, and writes benchmarks/results-app.json.
Nothing is asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
import psutil
from playwright.async_api import async_playwright
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results-app.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VISITS = 5
CLASS_SIZE = 30
AFTER_CLASS_SECONDS = int(os.environ.get("BENCH_AFTER_CLASS_SECONDS", "180"))
ARRIVAL_SECONDS = 60
ARRIVAL_SEED = 42
FLOOR_CODE = """import ipywidgets as w
answer = w.HTML("You chose A")
choice = w.Dropdown(options=["A", "B", "C"], description="Choice")
choice.observe(lambda change: setattr(answer, "value", f"You chose {change.new}"), "value")
w.VBox([choice, answer])"""


@dataclass
class Figures:
    """What one server measured."""

    name: str
    first_widget_ms: float = 0.0
    visit_cpu_s: float = 0.0
    answer_ms: float = 0.0
    answer_kib: float = 0.0
    kernel_rss_mib: float = 0.0
    kernel_uss_mib: float = 0.0
    served_p50_s: float = 0.0
    served_p95_s: float = 0.0
    failures: int = 0
    arrival_p50_s: float = 0.0
    arrival_p95_s: float = 0.0
    arrival_failures: int = 0
    memory_start_mib: float = 0.0
    memory_after_mib: float = 0.0
    kernels_after: int = 0
    samples: dict[str, list[float]] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/static/", timeout=2):
                return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP answer of any kind: the server is up
                return
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def kernels(server: psutil.Process) -> list[psutil.Process]:
    """The server's kernels: started from ipykernel_launcher, or forked by the course's fork server (its
    children; the fork server itself is the server's child)."""
    found = []
    for process in server.children(recursive=True):
        command = " ".join(process.cmdline())
        if "ipykernel" in command or ("ros1_course.fork_server" in command and process.ppid() != server.pid):
            found.append(process)
    return found


def tree_cpu_s(server: psutil.Process) -> float:
    """CPU seconds (user + system) spent so far by the server and its live kernels."""
    total = 0.0
    for process in [server, *server.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)] if ordered else 0.0


async def arrivals(url: str, count: int = CLASS_SIZE, seconds: float = ARRIVAL_SECONDS) -> list[float | None]:
    """`count` visitors arriving at random times over `seconds` (fixed seed), each in its own browser
    context: each one's seconds from arrival to first widget (None when it never came), then all leave."""
    arrival = random.Random(ARRIVAL_SEED)
    offsets = sorted(arrival.uniform(0, seconds) for _ in range(count))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)

        async def visit(offset: float) -> tuple[float | None, object]:
            await asyncio.sleep(offset)
            context = await browser.new_context()
            page = await context.new_page()
            start = time.perf_counter()
            try:
                await page.goto(url, wait_until="commit", timeout=180_000)
                await page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=180_000)
                return time.perf_counter() - start, page
            except Exception:  # a visitor who never got the page counts as a failure
                return None, page

        results = await asyncio.gather(*(visit(offset) for offset in offsets))
        for _, page in results:
            await page.close(run_before_unload=True)
        await browser.close()
    return [elapsed for elapsed, _ in results]


def tree_rss_mib(server: psutil.Process) -> float:
    processes = [server, *server.children(recursive=True)]
    return sum(p.memory_info().rss for p in processes if p.is_running()) / 2**20


def settle(server: psutil.Process, seconds: float = 90) -> None:
    """Wait until the server's CPU (kernels included) has been quiet for two seconds: pools filled."""
    deadline, quiet = time.monotonic() + seconds, 0
    while time.monotonic() < deadline and quiet < 4:
        busy = sum(p.cpu_percent(0.5) for p in [server, *server.children(recursive=True)] if p.is_running())
        quiet = quiet + 1 if busy < 10 else 0


def first_widget_ms(browser: Browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=120_000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def answer_ms(page: Page, choose: str, expect: str, select: str, region: str,
              received: list[int]) -> tuple[float, float]:
    """How long a choice took to show its answer, and how many KiB the kernel sent the page for it (its messages
    until half a second after the answer showed)."""
    before = sum(received)
    start = time.perf_counter()
    page.locator(select).first.select_option(choose)
    page.locator(region).filter(has_text=expect).first.wait_for(timeout=30_000)
    elapsed = (time.perf_counter() - start) * 1000
    page.wait_for_timeout(500)
    return elapsed, (sum(received) - before) / 1024


def served_seconds(url: str) -> float | None:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=180) as response:
            response.read()
            return time.perf_counter() - start if response.status == 200 else None
    except OSError:
        return None


def measure(name: str, command: list[str], cwd: Path, url: str, browser: Browser, answer: dict) -> Figures:
    figures = Figures(name)
    log = open(Path(tempfile.gettempdir()) / f"bench-{name}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    server = psutil.Process(process.pid)
    try:
        wait_until_served(url)
        settle(server)
        figures.memory_start_mib = tree_rss_mib(server)
        visits, cpu = [], []
        for _ in range(VISITS):
            before = tree_cpu_s(server)
            visits.append(first_widget_ms(browser, url))
            settle(server, 30)
            cpu.append(tree_cpu_s(server) - before)
        figures.first_widget_ms = statistics.median(visits)
        figures.visit_cpu_s = statistics.median(cpu)

        context = browser.new_context()
        page = context.new_page()
        received: list[int] = []
        page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(len(frame))))
        page.goto(url)
        page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=120_000)
        if answer.get("open"):
            page.get_by_role("tab", name=answer["open"], exact=True).click()
        answered = [answer_ms(page, choice, answer["expect"].format(choice), answer["select"], answer["region"],
                              received) for choice in answer["choices"]]
        answers, sizes = [ms for ms, _ in answered], [kib for _, kib in answered]
        figures.answer_ms, figures.answer_kib = statistics.median(answers), statistics.median(sizes)
        rss = sorted(p.memory_info().rss / 2**20 for p in kernels(server))
        figures.kernel_rss_mib = max(rss) if rss else 0.0
        uss = sorted(p.memory_full_info().uss / 2**20 for p in kernels(server))  # its own pages, not shared ones
        figures.kernel_uss_mib = max(uss) if uss else 0.0
        context.close()
        settle(server, 30)

        print(f"  {name}: {CLASS_SIZE} visitors arriving over {ARRIVAL_SECONDS} s...", flush=True)
        with ThreadPoolExecutor(1) as own_loop:  # Playwright's sync API holds this thread's event loop
            arrived = own_loop.submit(asyncio.run, arrivals(url)).result()
        came = [t for t in arrived if t is not None]
        figures.arrival_failures = len(arrived) - len(came)
        figures.arrival_p50_s, figures.arrival_p95_s = percentile(came, 0.5), percentile(came, 0.95)
        settle(server, 60)

        with ThreadPoolExecutor(CLASS_SIZE) as pool:
            times = list(pool.map(lambda _: served_seconds(url), range(CLASS_SIZE)))
        ok = sorted(t for t in times if t is not None)
        figures.failures = CLASS_SIZE - len(ok)
        if ok:
            figures.served_p50_s = statistics.median(ok)
            figures.served_p95_s = percentile(ok, 0.95)
        print(f"  {name}: class served, waiting {AFTER_CLASS_SECONDS} s after they leave...", flush=True)
        time.sleep(AFTER_CLASS_SECONDS)
        figures.kernels_after = len(kernels(server))
        figures.memory_after_mib = tree_rss_mib(server)
        figures.samples = {"first_widget_ms": visits, "visit_cpu_s": cpu, "answer_ms": answers, "answer_kib": sizes,
                           "served_s": ok, "arrival_s": came, "kernel_rss_mib": rss, "kernel_uss_mib": uss}
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    return figures


def floor_server(directory: Path, port: int) -> tuple[list[str], Path, str]:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CODE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, directory / "floor.ipynb")
    command = [sys.executable, "-m", "voila", "floor.ipynb", f"--port={port}", "--no-browser"]
    return command, directory, f"http://127.0.0.1:{port}/"


def app_server(port: int) -> tuple[list[str], Path, str]:
    """The shipped settings; BENCH_APP_POOL=N measures with N preheated kernels (`ros1-course app --pool N`)."""
    command = [str(Path(sys.executable).parent / "ros1-course"), "app", f"--port={port}", "--no-browser"]
    if os.environ.get("BENCH_APP_POOL"):
        command.append(f"--pool={int(os.environ['BENCH_APP_POOL'])}")
    return command, ROOT, f"http://127.0.0.1:{port}/voila/render/app.ipynb"


def report(floor: Figures, app: Figures) -> None:
    rows = [
        ("first widget visible (median, ms)", "first_widget_ms", "ratio <= 0.8"),
        ("CPU per visitor, kernel start to first widget (s)", "visit_cpu_s", "ratio <= 1.0"),
        ("answer after a choice (median, ms)", "answer_ms", "ratio <= 1.2 and app < 100 ms"),
        ("sent to the page for a choice (median, KiB)", "answer_kib", "no picture re-sent"),
        ("one visitor's kernel (RSS, MiB)", "kernel_rss_mib", "ratio <= 1.2"),
        ("one visitor's kernel, its own pages (USS, MiB)", "kernel_uss_mib", ""),
        (f"{CLASS_SIZE} over {ARRIVAL_SECONDS} s: first widget p50 (s)", "arrival_p50_s", ""),
        (f"{CLASS_SIZE} over {ARRIVAL_SECONDS} s: first widget p95 (s)", "arrival_p95_s", "app < 3 s"),
        (f"{CLASS_SIZE} over {ARRIVAL_SECONDS} s: failures", "arrival_failures", "0"),
        (f"{CLASS_SIZE} at once: page served p50 (s)", "served_p50_s", ""),
        (f"{CLASS_SIZE} at once: page served p95 (s)", "served_p95_s", "ratio <= 1.0"),
        (f"{CLASS_SIZE} at once: failures", "failures", "0"),
        ("memory at start (server + kernels, MiB)", "memory_start_mib", ""),
        (f"memory {AFTER_CLASS_SECONDS} s after the class left (MiB)", "memory_after_mib", "within 10% of start"),
        (f"kernels alive {AFTER_CLASS_SECONDS} s after the class left", "kernels_after", "pool only"),
    ]
    print(f"{'':<52}{'floor':>10}{'app':>10}{'app/floor':>11}  target")
    for label, key, target in rows:
        a, b = getattr(floor, key), getattr(app, key)
        ratio = f"{b / a:.2f}" if a else "-"
        print(f"{label:<52}{a:>10.2f}{b:>10.2f}{ratio:>11}  {target}")
    growth = (app.memory_after_mib / app.memory_start_mib - 1) * 100 if app.memory_start_mib else 0
    print(f"app memory after the class vs start: {growth:+.1f}%")


def main() -> None:
    """Run floor and app one after the other and print the comparison."""
    if not Path(CHROMIUM).exists():
        print("skipped: /usr/bin/chromium is not installed (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        floor = measure("floor", *floor_server(Path(directory), free_port()), browser=browser, answer={
            "choices": ["B", "C", "A", "B", "C"], "expect": "You chose {}", "select": "select",
            "region": ".widget-html"})
        app = measure("app", *app_server(free_port()), browser=browser, answer={
            "open": "The fusion", "choices": ["EZR", "SDC4", "TPM3", "CD74", "EZR"], "expect": "{}",
            "select": ".ros1-partner-explorer select", "region": ".ros1-partner-explorer .ros1-partner-details"})
        browser.close()
    report(floor, app)
    machine = {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
               "python": platform.python_version()}
    RESULTS.write_text(json.dumps({"machine": machine, "floor": asdict(floor), "app": asdict(app)}, indent=2))
    print(f"written: {RESULTS}")
