"""Ask the room under a class: `ros1-course app --room` with the presenter's page in headless Chromium (the case
app's Ask the room panel, opened with the key) and 200 simulated phones (HTTP clients, each with its own
cookies, as the phone page's script does: open the room's page, poll its state, send one answer), arriving over
5 seconds.

Prints: answers acknowledged, lost (acknowledged but not in the room file) and refused; errors; the server's
time per answer (p50, p95, as the phones saw it); the time from the first phone's arrival to the last answer;
how long after the last answer the presenter's page showed the full count; the server's memory (its own
process, not its kernels) before the room and after; and, after a kill -9 mid-question and `--resume`, how
many of the answers sent before the kill are still there. Nothing is asserted.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
from bench_app import CHROMIUM, CHROMIUM_FLAGS, ROOT, free_port, wait_until_served
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(ROOT))
from content import load_guidance
from content.guidance import QuizQuestion
from ros1_course.room_store import RoomStore

PHONES = 200
ARRIVAL_SECONDS = 5
SEED = 7
TARGETS = {"window_s": 10, "p95_ms": 200, "count_lag_s": 1, "memory_mib": 50}


@dataclass
class Phones:
    """What the phones saw."""

    latencies_ms: list[float] = field(default_factory=list)
    acknowledged: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    first_arrival: float = 0.0
    last_answer: float = 0.0


def start(data: Path, port: int, log: Path, *options: str) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).parent / "ros1-course"), "app", "--room", f"--port={port}", "--no-browser",
               *options]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, "ROS1_COURSE_DATA_DIR": str(data)})
    wait_until_served(f"http://127.0.0.1:{port}/voila/render/app.ipynb")
    return server


def printed(log: Path) -> tuple[str, str, str]:
    """The join address, the room code and the presenter key the server printed."""
    text = log.read_text()
    joined = re.search(r"phones join at (\S+/room/)([A-Z0-9]{5})", text)
    key = re.search(r"Presenter key: (\S+)", text)
    assert joined and key, text[-2000:]
    return joined.group(1) + joined.group(2), joined.group(2), key.group(1)


def open_presenter(page: Page, base: str, key: str) -> None:
    page.goto(base + "voila/render/app.ipynb")
    page.get_by_role("tab", name="Self-check").click(timeout=120_000)
    page.get_by_label("Presenter key").fill(key)
    page.get_by_role("button", name="Open Ask the room").click()
    page.locator(".ros1-room-code").wait_for()
    page.get_by_role("button", name="Ask the room").click()
    page.get_by_text("0 devices answered so far").wait_for()


async def one_phone(join: str, delay: float, seen: Phones, rng: random.Random) -> None:
    await asyncio.sleep(delay)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        try:
            async with session.get(join) as response:
                page = await response.text()
            async with session.get(join + "/state") as response:
                await response.read()
            xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page)
            poll = re.search(r'name="poll" value="(\d+)"', page)
            options = re.findall(r'name="option" value="(\d+)"', page)
            if not (xsrf and poll and options):
                seen.errors.append("the room's page showed no open question")
                return
            form = {"_xsrf": xsrf.group(1), "poll": poll.group(1), "option": rng.choice(options)}
            sent = time.perf_counter()
            async with session.post(join + "/answer", data=form) as response:
                await response.read()
                done = time.perf_counter()
            seen.latencies_ms.append(1000 * (done - sent))
            seen.last_answer = max(seen.last_answer, done)
            if response.status == 200:
                seen.acknowledged += 1
            else:
                seen.refused += 1
                seen.errors.append(f"HTTP {response.status}")
        except aiohttp.ClientError as error:
            seen.errors.append(type(error).__name__)


async def class_answers(join: str, phones: int) -> Phones:
    rng = random.Random(SEED)
    seen = Phones(first_arrival=time.perf_counter())
    await asyncio.gather(*(one_phone(join, rng.uniform(0, ARRIVAL_SECONDS), seen, rng) for _ in range(phones)))
    return seen


def run_phones(join: str, phones: int) -> Phones:
    """The phones, in a thread of their own (Playwright's sync API holds this thread's event loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, class_answers(join, phones)).result()


def newest_room_file(data: Path) -> Path:
    return sorted((data / "rooms").glob("room-*.sqlite"))[-1]


def count_in_file(data: Path) -> int:
    store = RoomStore(newest_room_file(data))
    try:
        rows = store.db.execute("SELECT poll FROM polls p JOIN answers a ON a.poll = p.id").fetchall()
        return len(rows)
    finally:
        store.close()


def main() -> None:
    """Run the class against a real server and print the figures."""
    if not Path(CHROMIUM).exists():
        print("skipped: /usr/bin/chromium is not installed (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        data, port = Path(directory), free_port()
        log = data / "room-server.log"
        server = start(data, port, log)
        base = f"http://127.0.0.1:{port}/"
        join, _code, key = printed(log)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            open_presenter(page, base, key)
            time.sleep(3)  # the server settles after the presenter's page
            before_mib = psutil.Process(server.pid).memory_info().rss / 2**20
            seen = run_phones(join, PHONES)
            page.get_by_text(f"{seen.acknowledged} devices answered so far").wait_for(timeout=30_000)
            count_lag_s = time.perf_counter() - seen.last_answer
            after_mib = psutil.Process(server.pid).memory_info().rss / 2**20
            in_file = count_in_file(data)

            # kill -9 mid-question, then resume: the answers sent before the kill
            store = RoomStore(newest_room_file(data))
            poll = store.ask(store.rooms()[-1], store_question(store))
            store.close()
            half = run_phones(join, PHONES // 2)
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=20)
            server = start(data, port, log, "--resume")
            store = RoomStore(newest_room_file(data))
            kept = store.count(poll.id)
            store.close()
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=60)
    report(seen, count_lag_s, before_mib, after_mib, in_file, half.acknowledged, kept)


def store_question(store: RoomStore) -> QuizQuestion:
    """The question the presenter asked, to ask it again for the restart (as Next would ask another)."""
    asked = store.polls(store.rooms()[-1])[-1].question_id
    return next(q for q in load_guidance().questions() if q.id == asked)


def report(seen: Phones, count_lag_s: float, before_mib: float, after_mib: float, in_file: int, sent_before_kill: int,
           kept_after_restart: int) -> None:
    window_s = seen.last_answer - seen.first_arrival
    p50 = statistics.median(seen.latencies_ms) if seen.latencies_ms else float("nan")
    p95 = statistics.quantiles(seen.latencies_ms, n=20)[-1] if len(seen.latencies_ms) > 1 else float("nan")
    lost = seen.acknowledged - in_file
    print(f"  {PHONES} phones arriving over {ARRIVAL_SECONDS} s: {seen.acknowledged} answers acknowledged, "
          f"{max(lost, 0)} lost, {seen.refused} refused, {len(seen.errors)} errors"
          + (f" ({sorted(set(seen.errors))[:3]})" if seen.errors else "") + " (target: 0 lost, 0 errors)")
    print(f"  first arrival to last answer: {window_s:.1f} s (target: within {TARGETS['window_s']} s)")
    print(f"  server time per answer: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 < {TARGETS['p95_ms']} ms; "
          f"ratio {p95 / TARGETS['p95_ms']:.2f})")
    print(f"  presenter's count current {count_lag_s:.2f} s after the last answer (target < "
          f"{TARGETS['count_lag_s']} s)")
    print(f"  server memory: {before_mib:.0f} MiB before the room, {after_mib:.0f} MiB after "
          f"(+{after_mib - before_mib:.1f} MiB; target < {TARGETS['memory_mib']} MiB)")
    print(f"  kill -9 mid-question, then --resume: {kept_after_restart} of {sent_before_kill} answers "
          "acknowledged before the kill are in the room file (target: all)")
