"""The course without a server: `ros1-course build-static` builds a folder that a plain static server
(`python -m http.server`) serves, and every page works in Chromium with each page's kernel in the browser
(Pyodide) and every request that would leave the machine blocked (the `page` fixture fails on any)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from content import Guidance
from ros1_course.navigation import course_pages, static_page

from .conftest import Server, blocking_context, free_port, running
from .test_accessibility import serious_violations
from .test_app import expect_g2032r_activity, open_section
from .test_course import SLIDE, expect_the_course_page
from .test_handout import prepare_and_download

pytestmark = pytest.mark.browser

# A page's first visit starts Pyodide and loads the kernel's packages (about 3.5 s on the machine `make bench`
# ran on); a slower machine gets room.
KERNEL_READY_MS = 120_000


@pytest.fixture(scope="session")
def static_server(static_site: Path, artifacts: Path) -> Iterator[Server]:
    """The folder served by Python's plain static file server: no course code runs on the server."""
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
               str(static_site)]
    with running(command, f"http://127.0.0.1:{port}/", "index.html", artifacts / "static-server.log") as server:
        yield server


def drawn_nav(page: Page) -> Locator:
    """The course navigation the page's kernel drew (not the stored page's, shown while the kernel starts)."""
    return page.locator("#rendered_cells").get_by_role("navigation", name="Course").first


def open_static(page: Page, server: Server, file: str) -> Page:
    """Open a course page of the static site and wait until its kernel has drawn the course navigation."""
    page.goto(server.url + static_page(file))
    expect(drawn_nav(page)).to_be_visible(timeout=KERNEL_READY_MS)
    return page


def test_the_folder_holds_every_file_its_pages_load(static_site: Path) -> None:
    settings = json.loads((static_site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = settings["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js" and kernel["disablePyPIFallback"] is True
    core = static_site / "static" / "pyodide"
    lock = json.loads((core / "pyodide-lock.json").read_text())["packages"]
    for name in kernel["loadPyodideOptions"]["packages"]:
        assert re.sub(r"[-_.]+", "-", name).lower() in lock, f"{name} is loaded at start but not in the lock"
    for entry in lock.values():
        wheel = core / entry["file_name"]
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"], entry["name"]
        assert all(dependency in lock for dependency in entry["depends"]), entry["name"]
    assert not [e for e in lock.values() if not e["file_name"].endswith("-py3-none-any.whl")
                and not e["file_name"].endswith("-py2.py3-none-any.whl")], "only pure-Python wheels"
    assert (static_site / "index.html").read_text().count('href="voici/render/') == len(course_pages_in(static_site))


def course_pages_in(static_site: Path) -> list[Path]:
    """The pages Voici rendered."""
    return sorted((static_site / "voici" / "render").glob("*.html"))


def test_the_contents_page_links_every_static_page(page: Page, static_server: Server, guidance: Guidance) -> None:
    page.goto(static_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("ROS1-rearranged lung cancer: an interactive course")
    expect(page.get_by_role("note")).to_contain_text(guidance.page.disclaimer)
    for lesson in guidance.lessons:
        expect(page.get_by_role("link", name=f"{lesson.number:02d} · {lesson.title}")).to_have_attribute(
            "href", static_page(lesson.file))
    expect(page.get_by_role("link", name="Open the case app")).to_have_attribute("href", "voici/render/app.html")
    assert serious_violations(page) == []


def test_next_goes_through_every_static_page_to_the_case_app(
    page: Page, static_server: Server, guidance: Guidance
) -> None:
    pages = course_pages(guidance)
    page.goto(static_server.url)
    page.get_by_role("link", name=pages[0].label).click()
    for number, course_page in enumerate(pages, 1):
        expect(page).to_have_url(re.compile(re.escape(static_page(course_page.file)) + "$"))
        nav = drawn_nav(page)
        expect_the_course_page(page, nav, number, guidance, home="../../index.html", timeout=KERNEL_READY_MS)
        if number < len(pages):
            nav.get_by_role("link", name=re.compile("^Next: ")).click()
    expect(page.get_by_role("tab", name="The fusion")).to_be_visible()
    drawn_nav(page).get_by_role("link", name="Contents").click()
    expect(page.get_by_role("link", name=pages[0].label)).to_be_visible()


def test_a_page_shows_its_stored_content_at_once_and_then_its_working_controls(
    page: Page, static_server: Server
) -> None:
    page.goto(static_server.url + static_page("02-ros1-and-fusions.ipynb"), wait_until="commit")
    stored = page.locator("#ros1-preview")
    expect(stored.get_by_role("heading", level=1)).to_have_text(re.compile("02 · ROS1 and its fusions"))
    expect(stored.get_by_role("status")).to_contain_text("Starting the interactive parts")
    expect(stored.get_by_role("navigation", name="Course").first.get_by_role("link", name=re.compile("^Next: ")
                                                                            )).to_have_attribute(
        "href", "03-who-gets-it.html")
    expect(stored.locator(".ros1-preview-pending").first).to_be_visible()
    expect(page.locator("select")).to_have_count(0)  # nothing that looks like it works before it does
    expect(stored).to_have_count(0, timeout=KERNEL_READY_MS)
    explorer = page.locator(".ros1-partner-explorer")
    expect(explorer.get_by_label("Fusion partner")).to_be_enabled()
    term = page.locator('a[href="#term-fusion"]').first
    expect(term).to_be_visible()  # a link to a term of the page stays on the page
    assert serious_violations(page) == []


def test_the_partner_explorer_answers_a_choice_in_the_browser(page: Page, static_server: Server) -> None:
    explorer = open_static(page, static_server, "02-ros1-and-fusions.ipynb").locator(".ros1-partner-explorer")
    expect(explorer.get_by_role("heading", name="CD74-ROS1")).to_be_visible(timeout=KERNEL_READY_MS)
    explorer.get_by_label("Fusion partner").select_option("EZR")
    expect(explorer.get_by_role("heading", name="EZR-ROS1")).to_be_visible()
    expect(explorer.get_by_role("img").first).to_have_attribute("alt", re.compile("EZR"))


def test_the_resistance_explorer_answers_a_choice_in_the_browser(
    page: Page, static_server: Server, guidance: Guidance
) -> None:
    open_static(page, static_server, "05-progression-and-resistance.ipynb")
    explorer = page.locator(".ros1-resistance-explorer").first
    expect(explorer).to_be_visible(timeout=KERNEL_READY_MS)
    explorer.get_by_label("Progressed on").select_option("entrectinib")
    explorer.get_by_label("Progressed on").select_option("crizotinib")
    table = explorer.get_by_role("table", name="Therapy activity against G2032R, after crizotinib")
    expect(table).to_be_visible()
    steps = guidance.next_steps(after="crizotinib", mutation="G2032R")
    expect(table.get_by_role("rowheader")).to_have_text([row.therapy for row in steps.rows])
    expect_g2032r_activity(table)


def test_the_case_app_answers_a_choice_and_a_self_check_and_offers_its_handout_in_the_browser(
    page: Page, static_server: Server, guidance: Guidance, tmp_path: Path
) -> None:
    open_static(page, static_server, "app.ipynb")
    explorer = open_section(page, "The fusion").locator(".ros1-partner-explorer")
    explorer.get_by_label("Fusion partner").select_option("EZR")
    expect(explorer.get_by_role("heading", name="EZR-ROS1")).to_be_visible()
    quiz = open_section(page, "Self-check").locator(".ros1-quiz")
    question = guidance.questions()[0]
    card = quiz.locator(".ros1-question").first
    card.get_by_role("radio", name=next(o for o in question.options if o in question.answer), exact=True).check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.locator(".ros1-correct")).to_contain_text(question.explanation)
    handout = prepare_and_download(page, tmp_path / "handout.html").read_text(encoding="utf-8")
    assert "ROS1-rearranged lung cancer: case handout" in handout and "Fusion partner EZR" in handout


def test_a_static_lesson_opens_as_slides_moved_by_the_keyboard(page: Page, static_server: Server) -> None:
    open_static(page, static_server, "02-ros1-and-fusions.ipynb")
    drawn_nav(page).get_by_role("link", name="Present this lesson (slides)").click()
    counter = page.get_by_role("status").filter(has_text=SLIDE)
    expect(counter).to_be_visible(timeout=KERNEL_READY_MS)
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport(timeout=KERNEL_READY_MS)
    expect(counter).to_have_text(re.compile(r"^Slide 1 of \d+$"))
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text(re.compile(r"^Slide 2 of \d+$"))


@pytest.fixture
def page_with_storage(browser: Browser, blocked: list[str]) -> Iterator[Page]:
    """A page as a visitor's browser opens the static site: service workers allowed (the pages' shared drive,
    where the record is kept, goes through Voici's), every request off this machine blocked and recorded."""
    context = blocking_context(browser, blocked)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()
    assert blocked == [], f"the page tried to reach other machines: {blocked}"


def progress_rows(page: Page) -> Locator:
    return page.get_by_role("table", name="Self-check per lesson").get_by_role("row")


HOSTILE = "<img src=x onerror=alert(1)> & <b>solvent front</b>"


def expect_self_check(row: Locator, questions: int, answered: int) -> None:
    """A lesson's row of *My progress*: its questions, attempted and correct."""
    for index, value in enumerate((questions, answered, answered)):
        expect(row.get_by_role("cell").nth(index)).to_have_text(str(value))


def downloaded(page: Page, link_name: str) -> str:
    """What a download link of the page holds (a data: address made in the browser)."""
    address = page.get_by_role("link", name=re.compile(link_name)).get_attribute("href")
    assert address and address.startswith("data:")
    return base64.b64decode(address.split(",", 1)[1]).decode("utf-8")


def test_a_self_check_answer_and_a_reflection_are_kept_in_the_browser_across_a_reload_and_can_be_deleted(
    page_with_storage: Page, static_server: Server, guidance: Guidance
) -> None:
    page = page_with_storage
    lesson, question = guidance.lesson(2), guidance.questions(2)[0]
    right = next(option for option in question.options if option in question.answer)
    open_static(page, static_server, lesson.file)
    card = page.locator("#rendered_cells .ros1-question").first
    card.get_by_role("radio", name=right, exact=True).check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.locator(".ros1-correct")).to_contain_text("Correct.")
    expect(card).not_to_contain_text("could not be saved")
    reflection = page.locator("#rendered_cells .ros1-reflection")
    reflection.get_by_label("What I learned").fill(HOSTILE)
    reflection.get_by_role("button", name="Save my reflection").click()
    expect(reflection.get_by_role("status")).to_contain_text("Saved in your learning record")
    for step in range(8):  # the learner reads on for a few seconds: the page reports its first active time
        page.mouse.move(300 + 20 * step, 300)
        page.wait_for_timeout(500)

    page.reload()
    expect(drawn_nav(page)).to_be_visible(timeout=KERNEL_READY_MS)
    drawn_nav(page).get_by_role("link", name="Contents").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    page.get_by_role("link", name=re.compile("^My progress")).click()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible(timeout=KERNEL_READY_MS)
    expect(page.get_by_text("kept in this browser only")).to_be_visible()
    lesson_row = progress_rows(page).filter(has=page.get_by_role("rowheader", name="Lesson 2", exact=True))
    expect_self_check(lesson_row, len(guidance.questions(2)), 1)
    expect(lesson_row.get_by_role("cell").nth(4)).not_to_have_text("not recorded")  # the page reported its time
    summary = downloaded(page, "^Download my record")
    assert "Learning record" in summary and html.escape(question.prompt, quote=False) in summary
    assert html.escape(HOSTILE, quote=False) in summary and HOSTILE not in summary
    expect(page.get_by_role("link", name=re.compile("^Download my certificate"))).to_have_count(0)
    page.get_by_label("Your name, as it should appear on the certificate").fill("Dr <b>A.</b> Trainee")
    page.get_by_label("Your name, as it should appear on the certificate").press("Enter")
    certificate = downloaded(page, "^Download my certificate")
    assert "Certificate of completion" in certificate and "Dr &lt;b&gt;A.&lt;/b&gt; Trainee" in certificate
    statements = json.loads(downloaded(page, "^Download my xAPI statements"))
    verbs = {statement["verb"]["display"]["en-US"] for statement in statements}
    assert {"attempted", "answered", "commented"} <= verbs
    assert all(statement["actor"]["name"] == "Dr <b>A.</b> Trainee" for statement in statements)

    delete = page.get_by_role("button", name="Delete my record")
    expect(delete).to_be_disabled()
    page.get_by_label("Yes, delete every answer in my record").check()
    delete.click()
    expect(page.get_by_role("status").filter(has_text="Your record was deleted")).to_be_visible()
    expect_self_check(lesson_row, len(guidance.questions(2)), 0)
    page.reload()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible(timeout=KERNEL_READY_MS)
    expect_self_check(lesson_row, len(guidance.questions(2)), 0)
    expect(lesson_row.get_by_role("cell").nth(4)).to_have_text("not recorded")
