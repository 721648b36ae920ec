"""Ask the room with real parts: `ros1-course app --room` (the real server, its room file in SQLite on disk),
the presenter's page in Chromium, and several Chromium pages as phones (390x844, touch). Phones answer, the
presenter's count follows, the spread stays hidden until Reveal, Next question moves every phone on; hostile
input changes nothing; a server killed mid-question and resumed has every answer; the CSV export."""

from __future__ import annotations

import concurrent.futures
import csv
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from content import Guidance
from ros1_course.room_store import RoomStore

from .conftest import (
    APP_PATH,
    APP_READY_MS,
    BIN,
    VOILA_READY,
    Server,
    blocking_context,
    free_port,
    missing_in_ci_fails,
    running,
)
from .test_accessibility import serious_violations
from .test_course import settled_slides

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@dataclass
class Room:
    server: Server
    code: str
    key: str
    join: str
    data: Path

    def store(self) -> RoomStore:
        files = sorted((self.data / "rooms").glob("room-*.sqlite"))
        return RoomStore(files[-1])


def room_of(server: Server, data: Path) -> Room:
    """The room's code, key and join address, as the server printed them for the presenter."""
    text = server.log_text()
    joined = re.search(r"phones join at (\S+/room/)([A-Z0-9]{5}) \(room code \2\)", text)
    key = re.search(r"Presenter key: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert joined and key, f"the server did not print the room:\n{text[-2000:]}"
    return Room(server, joined.group(2), key.group(1), joined.group(1) + joined.group(2), data)


@contextmanager
def room_server(log: Path, data: Path, *options: str, port: int | None = None) -> Iterator[Room]:
    port = port or free_port()
    command = [str(BIN / "ros1-course"), "app", "--room", "--port", str(port), "--no-browser", *options]
    environment = {**os.environ, "ROS1_COURSE_DATA_DIR": str(data)}
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, log, env=environment) as server:
        yield room_of(server, data)


@pytest.fixture(scope="module")
def room(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    with room_server(artifacts / "room-server.log", tmp_path_factory.mktemp("room-data")) as started:
        yield started


def phone(browser: Browser, blocked: list[str], **options: object) -> Page:
    page = blocking_context(browser, blocked, **{**PHONE, **options}).new_page()
    page.set_default_timeout(20_000)
    return page


def read_qr(path: Path) -> str:
    """What a QR code reader (zbar, as a phone's camera app) reads in the picture."""
    reader = shutil.which("zbarimg")
    if reader is None:
        missing_in_ci_fails("zbarimg not found: install Debian's zbar-tools to read the room's QR code back")
    result = subprocess.run([str(reader), "--raw", "-q", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"no QR code read in {path}: {result.stderr}"
    return result.stdout.strip()


def open_panel(page: Page, room: Room) -> None:
    """The presenter opens the case app's Self-check and Ask the room with the key."""
    page.goto(room.server.url + APP_PATH)
    page.get_by_role("tab", name="Self-check").click(timeout=APP_READY_MS)
    key = page.get_by_label("Presenter key")
    key.fill("WRONG-KEYS-HERE")
    page.get_by_role("button", name="Open Ask the room").click()
    expect(page.get_by_text("That is not this server's presenter key")).to_be_visible()
    key.fill(room.key.lower())  # typed as it comes
    page.get_by_role("button", name="Open Ask the room").click()
    expect(page.locator(".ros1-room-code")).to_have_text(room.code)


def test_phones_answer_the_presenter_reveals_and_paces_the_room(
    room: Room, browser: Browser, blocked: list[str], guidance: Guidance, artifacts: Path
) -> None:
    presenter = blocking_context(browser, blocked).new_page()
    presenter.set_default_timeout(30_000)
    open_panel(presenter, room)
    expect(presenter.locator(".ros1-room-address")).to_have_text(room.join)
    qr = presenter.get_by_role("img", name=f"QR code for {room.join}")
    qr.screenshot(path=str(artifacts / "42-room-qr.png"))
    assert read_qr(artifacts / "42-room-qr.png") == room.join

    questions = guidance.questions()
    first = next(i for i, q in enumerate(questions) if q.kind == "single" and i + 1 < len(questions))
    question = questions[first]
    presenter.get_by_label("Question to ask").select_option(label=f"{first + 1}. {question.prompt}")
    phones = [phone(browser, blocked) for _ in range(3)]
    for page in phones:
        page.goto(room.join)
        expect(page.get_by_role("heading", level=2)).to_have_text("Waiting for the first question")
    presenter.get_by_role("button", name="Ask the room").click()
    for page in phones:  # each phone follows the presenter by itself
        expect(page.get_by_role("heading", level=2)).to_have_text(question.prompt, timeout=10_000)

    keyed = next(o for o in question.options if o in question.answer)
    wrong = next(o for o in question.options if o not in question.answer)
    phones[0].get_by_role("button", name=wrong).tap()
    expect(phones[0].get_by_role("status").first).to_contain_text("Your answer is in")
    phones[0].get_by_role("button", name=keyed).tap()  # a changed answer replaces the first
    expect(phones[0].get_by_text(f"Your answer: {keyed}.")).to_be_visible()
    phones[1].get_by_role("button", name=keyed).tap()
    phones[2].keyboard.press("Tab")  # keyboard only: the first option, then Enter
    for _ in range(8):
        if phones[2].evaluate("document.activeElement.getAttribute('name')") == "option":
            break
        phones[2].keyboard.press("Tab")
    phones[2].keyboard.press("Enter")
    expect(phones[2].get_by_text("Your answer is in")).to_be_visible()
    expect(presenter.locator(".ros1-room-count")).to_contain_text("3 devices answered so far", timeout=5_000)
    expect(presenter.locator(".ros1-room-spread")).to_have_count(0)  # hidden until Reveal
    phones[0].screenshot(path=str(artifacts / "40-room-phone.png"))
    assert serious_violations(phones[0]) == []

    following = questions[first + 1]
    presenter.get_by_label("Question to ask").select_option(label=f"{first + 2}. {following.prompt}")
    presenter.get_by_role("button", name="Reveal").click()  # reveals the question asked, not the one in the menu
    spread = presenter.locator(".ros1-room-spread")
    keyed_row = spread.locator("tr.ros1-room-keyed")
    expect(keyed_row).to_contain_text(keyed)
    expect(keyed_row).to_contain_text("✓ the answer")
    chosen_first = question.options[0]
    expected_keyed = 2 + (chosen_first == keyed)
    expect(keyed_row).to_contain_text(f"{expected_keyed} ({round(100 * expected_keyed / 3)}%)")
    expect(presenter.locator(".ros1-room")).to_contain_text(question.explanation[:60])
    presenter.locator(".ros1-room").screenshot(path=str(artifacts / "41-room-presenter.png"))
    for page in phones:
        expect(page.get_by_text("The presenter has shown the answer.")).to_be_visible(timeout=10_000)
        expect(page.locator(".room-reveal li", has_text="(the answer)")).to_contain_text(keyed)

    presenter.get_by_role("button", name="Ask the next question").click()
    for page in phones:
        expect(page.get_by_role("heading", level=2)).to_have_text(following.prompt, timeout=10_000)
    assert blocked == []


def test_the_phone_page_fits_320_pixels_and_the_join_page_takes_a_typed_code(
    room: Room, browser: Browser, blocked: list[str]
) -> None:
    page = phone(browser, blocked, viewport={"width": 320, "height": 640})
    page.goto(room.server.url + "room/")
    page.get_by_label("Room code (on the presenter's screen)").fill("<b>nope</b>")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("alert")).to_have_text(
        "There is no room <B>NOPE</B>. Check the code on the presenter's screen.")
    assert page.locator("b").count() == 0  # shown as text, never as markup
    page.get_by_label("Room code (on the presenter's screen)").fill(room.code.lower())
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Room {room.code}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for target in page.locator("button.room-choice, .room-send").all():
        box = target.bounding_box()
        assert box and box["height"] >= 44, f"touch target too small: {box}"
    assert serious_violations(page) == []


class Phone:
    """A phone without a browser: its cookies (device, _xsrf) and the form token of the room's page."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.get(room.join)[1]
        token = re.search(r'name="_xsrf" value="([^"]+)"', page)
        self.xsrf = token.group(1) if token else ""
        self.poll = re.search(r'name="poll" value="(\d+)"', page)

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, fields: list[tuple[str, str]] | bytes, path: str = "/answer", xsrf: bool = True) -> tuple[int, str]:
        body = fields if isinstance(fields, bytes) else urllib.parse.urlencode(
            ([("_xsrf", self.xsrf)] if xsrf else []) + fields).encode()
        request = urllib.request.Request(self.room.join + path, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_hostile_input_gets_a_clear_answer_and_changes_nothing(room: Room, guidance: Guidance) -> None:
    store = room.store()
    question = next(q for q in guidance.questions() if q.kind == "single")
    earlier = store.ask(room.code, question)
    poll = store.ask(room.code, question)  # the earlier one is now closed
    device = Phone(room)
    assert device.post([("poll", str(poll.id)), ("option", "0")])[0] == 200
    before = (store.count(poll.id), store.spread(poll.id))

    status, page = device.get(room.server.url + "room/ZZZZZ")
    assert status == 404 and "There is no room with that code" in page
    status, page = device.get(room.server.url + "room/?code=%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 404 and "&lt;SCRIPT&gt;" in page and "<SCRIPT>" not in page
    refused = {
        "unknown question": ([("poll", "999999"), ("option", "0")], 404, "not asked in this room"),
        "closed question": ([("poll", str(earlier.id)), ("option", "0")], 409, "closed"),
        "no such option": ([("poll", str(poll.id)), ("option", "99")], 400, "Choose one of the question"),
        "not a number": ([("poll", str(poll.id)), ("option", "<img src=x onerror=alert(1)>")], 400, "Choose one"),
        "two answers": ([("poll", str(poll.id)), ("option", "0"), ("option", "1")], 400, "takes one answer"),
    }
    for what, (fields, status_wanted, message) in refused.items():
        status, page = device.post(fields)
        assert (status, message in page) == (status_wanted, True), f"{what}: {status} {page[-400:]}"
        assert "<img src=x" not in page, what
    assert device.post([("poll", str(poll.id)), ("option", "1")], xsrf=False)[0] == 403  # no form token
    assert device.post(b"x" * 5000)[0] == 413  # a body too large
    assert device.post([("poll", str(poll.id)), ("option", "0")], path="/reveal")[0] == 404  # no presenter route
    assert (store.count(poll.id), store.spread(poll.id)) == before

    flooding = [device.post([("poll", str(poll.id)), ("option", str(n % 2))])[0] for n in range(30)]
    assert 429 in flooding and flooding.count(200) <= 11, flooding
    assert store.count(poll.id) == 1  # one device, one answer, however often it sends
    store.close()


def test_a_server_killed_mid_question_and_resumed_has_every_answer(
    artifacts: Path, tmp_path: Path, browser: Browser, blocked: list[str], guidance: Guidance
) -> None:
    port = free_port()
    question = next(q for q in guidance.questions() if q.kind == "single")
    with room_server(artifacts / "room-restart-1.log", tmp_path, port=port) as first:
        store = first.store()
        poll = store.ask(first.code, question)
        store.close()
        phones = [Phone(first) for _ in range(5)]
        for n, device in enumerate(phones):
            assert device.post([("poll", str(poll.id)), ("option", str(n % 2))])[0] == 200
        page = phone(browser, blocked)  # a phone showing the question when the server dies
        page.goto(first.join)
        expect(page.get_by_role("heading", level=2)).to_have_text(question.prompt)
        first.server.process.send_signal(signal.SIGKILL)  # no shutdown at all, as a power cut or the OOM killer
        first.server.process.wait(10)
    with room_server(artifacts / "room-restart-2.log", tmp_path, "--resume", port=port) as second:
        assert second.code == first.code and second.key != first.key
        assert "resumed: every answer so far is kept" in second.server.log_text()
        store = second.store()
        assert store.count(poll.id) == 5 and store.spread(poll.id)[:2] == [3, 2]
        page.get_by_role("button", name=question.options[-1]).tap()  # no reload: it carries on
        expect(page.get_by_text("Your answer is in")).to_be_visible()
        assert store.count(poll.id) == 6
        spread = store.spread(poll.id)
        store.close()
        output = tmp_path / "results.csv"
        exported = subprocess.run([str(BIN / "ros1-course"), "room", "export", second.code.lower(), "-o",
                                   str(output)], capture_output=True, text=True, check=False,
                                  env={**os.environ, "ROS1_COURSE_DATA_DIR": str(tmp_path)})
        assert exported.returncode == 0, exported.stderr
        rows = list(csv.DictReader(output.read_text(encoding="utf-8").splitlines()))
        exported_spread = [(row["option"], int(row["answers"])) for row in rows]
        assert exported_spread == list(zip(question.options, spread, strict=True))
        assert sum(spread) == 6


def test_a_lessons_slides_ask_the_room_its_own_questions(
    room: Room, browser: Browser, blocked: list[str], guidance: Guidance
) -> None:
    lesson = guidance.lessons[3]
    presenter = blocking_context(browser, blocked, viewport={"width": 1024, "height": 768}).new_page()
    presenter.set_default_timeout(30_000)
    presenter.goto(room.server.url + f"voila/render/{lesson.file}?view=slides")
    total = settled_slides(presenter)
    panel = presenter.get_by_role("heading", name="Ask the room")
    for _ in range(total):
        if panel.is_visible():
            break
        presenter.keyboard.press("ArrowRight")
    expect(panel).to_be_visible()
    presenter.get_by_label("Presenter key").fill(room.key)
    presenter.get_by_role("button", name="Open Ask the room").click()
    expect(presenter.locator(".ros1-room-code")).to_have_text(room.code)
    presenter.get_by_role("button", name="Ask the room").click()
    expect(presenter.locator(".ros1-room-count")).to_contain_text("0 devices answered so far")
    mobile = phone(browser, blocked)
    mobile.goto(room.join)
    expect(mobile.get_by_role("heading", level=2)).to_have_text(guidance.questions(lesson.number)[0].prompt)
    assert blocked == []


def test_fifty_phones_answering_at_the_same_moment_are_all_counted(room: Room, guidance: Guidance) -> None:
    store = room.store()
    question = next(q for q in guidance.questions() if q.kind != "single")  # choose all that apply
    poll = store.ask(room.code, question)
    phones = [Phone(room) for _ in range(50)]
    start = threading.Barrier(len(phones))

    def answer(numbered: tuple[int, Phone]) -> int:
        n, device = numbered
        start.wait()
        return device.post([("poll", str(poll.id)), ("option", str(n % 2)), ("option", "2")])[0]

    with concurrent.futures.ThreadPoolExecutor(len(phones)) as pool:
        statuses = list(pool.map(answer, enumerate(phones)))
    assert statuses == [200] * 50
    assert store.count(poll.id) == 50 and store.spread(poll.id)[:3] == [25, 25, 50]
    store.close()
