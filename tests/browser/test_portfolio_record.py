"""The portfolio record as a trainee makes it, in a real lesson served by `ros1-course app --record` in headless
Chromium: active time counts only while the learner is using the page (not while it sits open), the sections
seen are those scrolled onto the screen, a reflection with markup in it is kept as text and shown escaped, and
the lesson, once every section is seen and every question answered, is completed in the exports: the dated
summary, the xAPI statements (validated with ralph-malph's models, with the duration) and the certificate."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from ralph.models.xapi.base.statements import BaseXapiStatement

from content import Guidance
from ros1_course.record import LearningRecord
from ros1_course.record_format import Visit

from .conftest import APP_READY_MS, BIN, VOILA_READY, Server, free_port, running

pytestmark = pytest.mark.browser

IDLE_SECONDS = 3  # the page stops counting this long after the learner's last move
REPORT_SECONDS = 1
HOSTILE = '<img src=x onerror="document.title=\'pwned\'"> & <b>bold</b>'


@pytest.fixture
def recording_app(artifacts: Path, tmp_path: Path) -> Iterator[tuple[Server, dict[str, str], Path]]:
    """`ros1-course app --record` with its own record directory and a short idle time."""
    data = tmp_path / "record"
    env = {**os.environ, "ROS1_COURSE_DATA_DIR": str(data), "ROS1_COURSE_IDLE_SECONDS": str(IDLE_SECONDS),
           "ROS1_COURSE_REPORT_SECONDS": str(REPORT_SECONDS)}
    port = free_port()
    command = [str(BIN / "ros1-course"), "app", "--port", str(port), "--no-browser", "--record", "--pool", "0"]
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, artifacts / "portfolio-server.log",
                 env=env) as server:
        yield server, env, data


def visit(data: Path, lesson: int) -> Visit | None:
    return LearningRecord(data / "record.json").contents().visit(lesson)


def settled_visit(data: Path, lesson: int) -> Visit:
    """The lesson's visit once the page's reports have stopped changing it (the page reports every second)."""
    last, deadline = None, time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(REPORT_SECONDS * 2.5)
        now = visit(data, lesson)
        if now is not None and now == last:
            return now
        last = now
    raise AssertionError(f"the visit of lesson {lesson} never settled: {last}")


def use_the_page(page: Page, seconds: float) -> None:
    """Move the pointer over the page every half second, as a reader does."""
    end, step = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        step += 1
        page.mouse.move(200 + 40 * (step % 5), 300 + 30 * (step % 3))
        page.wait_for_timeout(500)


def answer_every_question(page: Page, guidance: Guidance, lesson: int) -> None:
    quiz = page.locator(".ros1-quiz")
    for number, question in enumerate(guidance.questions(lesson)):
        card = quiz.locator(".ros1-question").nth(number) if number == 0 else quiz.locator(".ros1-question").last
        keyed = [option for option in question.options if option in question.answer]
        role = "radio" if question.kind == "single" else "checkbox"
        for option in keyed:
            card.get_by_role(role, name=option, exact=True).check()
        card.get_by_role("button", name="Check answer").click()
        expect(card.locator(".ros1-correct")).to_be_visible()
        if number + 1 < len(guidance.questions(lesson)):
            quiz.get_by_role("button", name="Next question").click()
            expect(quiz).to_contain_text(f"Question {number + 2} of")


def test_time_sections_reflection_and_the_exports(
    page: Page, recording_app: tuple[Server, dict[str, str], Path], guidance: Guidance, tmp_path: Path
) -> None:
    server, env, data = recording_app
    lesson = guidance.lesson(2)
    page.set_viewport_size({"width": 1200, "height": 700})
    page.goto(server.url + f"voila/render/{lesson.file}")
    expect(page.locator(".ros1-quiz .ros1-question").first).to_be_visible(timeout=APP_READY_MS)

    page.wait_for_timeout(IDLE_SECONDS * 3 * 1000)  # the page sits open, nobody using it
    idle = settled_visit(data, 2)
    assert idle.seconds <= IDLE_SECONDS + 2, idle  # only the moments after it opened count
    assert len(idle.sections) >= 6 and "Overview" in idle.sections and "Summary" in idle.sections, idle
    assert set(idle.seen) < set(idle.sections), idle  # the lower sections have not been on screen

    use_the_page(page, 6)
    used = settled_visit(data, 2)
    assert idle.seconds + 4 <= used.seconds <= idle.seconds + 6 + IDLE_SECONDS + 1, (idle, used)

    for heading in page.locator(".jp-MarkdownCell h2").all():  # read the page from top to bottom
        heading.scroll_into_view_if_needed()
        use_the_page(page, 1.5)
    read = settled_visit(data, 2)
    assert read.all_seen and read.sections == idle.sections, read
    assert read.started == idle.started
    print(f'idle {idle.seconds} s, used {used.seconds} s, read {read.seconds} s; {len(read.sections)} sections')

    answer_every_question(page, guidance, 2)
    box = page.locator(".ros1-reflection")
    box.get_by_label("What I learned").fill(HOSTILE)
    box.get_by_label("What I will do differently").fill("Ask for RNA-based NGS when DNA finds no driver.")
    box.get_by_role("button", name="Save my reflection").click()
    expect(box.get_by_role("status")).to_contain_text("Saved in your learning record")

    page.reload()  # a new page and kernel: the reflection comes back as it was typed
    expect(page.locator(".ros1-reflection").get_by_label("What I learned")).to_have_value(
        HOSTILE, timeout=APP_READY_MS)
    assert page.title() != "pwned"

    summary = tmp_path / "summary.html"
    exported = subprocess.run([str(BIN / "ros1-course"), "record", "--export", str(summary)], env=env,
                              capture_output=True, text=True, timeout=60)
    assert exported.returncode == 0, exported.stderr
    text = summary.read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in text and "<img src=x" not in text and "<b>bold</b>" not in text
    assert f"{len(read.sections)} of {len(read.sections)}" in text

    statements_file = tmp_path / "statements.json"
    made = subprocess.run([str(BIN / "ros1-course"), "record", "--xapi", str(statements_file)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    statements = json.loads(statements_file.read_text(encoding="utf-8"))
    for statement in statements:
        BaseXapiStatement.model_validate(statement)
    verbs = {s["verb"]["display"]["en-US"]: s for s in statements}
    final = settled_visit(data, 2)
    assert verbs["completed"]["result"]["duration"].startswith("PT")
    assert verbs["completed"]["result"]["duration"].endswith(f"{final.seconds % 60}S")
    assert verbs["attempted"]["timestamp"] == final.started
    assert HOSTILE in verbs["commented"]["result"]["response"]  # JSON text, the learner's words as typed

    page.goto(server.url)  # the server's own page of the record shows the reflection as text
    page.get_by_role("link", name="My progress").first.click()
    expect(page.get_by_role("heading", name="Reflections")).to_be_visible()
    expect(page.locator("dd").first).to_have_text(HOSTILE)
    assert page.locator("main img, main b").count() == 0
