"""The whole course in the browser, as `ros1-course app` serves it: the contents page at `/`, every lesson and
the case app code-free with the course's navigation, a lesson as offline slides, and the learning record kept
when the server is started with --record."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from content import Guidance
from ros1_course.navigation import course_pages

from .conftest import APP_READY_MS, BIN, PROJECT_ROOT, VOILA_READY, Server, free_port, running
from .test_accessibility import serious_violations
from .test_app import activity_row, expect_g2032r_activity

pytestmark = pytest.mark.browser

NOTEBOOKS = PROJECT_ROOT / "notebooks"
WIDGET_OUTPUT = "application/vnd.jupyter.widget-view+json"
ERRORS = ("Error displaying widget", "Traceback", "could not be shown", "An exception occurred")


def course_nav(page: Page) -> Locator:
    """The page's first course navigation bar (each lesson has one at the top and one at the end)."""
    return page.get_by_role("navigation", name="Course").first


def has_widgets(notebook: Path) -> bool:
    """Whether the stored notebook shows at least one widget."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return any(WIDGET_OUTPUT in output.get("data", {}) for cell in cells for output in cell.get("outputs", []))


def expect_a_working_page(page: Page, notebook: Path) -> None:
    """The page shows its widgets (when the notebook has any), no error and no code."""
    if has_widgets(notebook):
        expect(page.locator(".jupyter-widgets").first).to_be_visible(timeout=APP_READY_MS)
    text = page.locator("body").inner_text()
    for error in ERRORS:
        assert error not in text, f"{notebook.name}: {error!r} on the page"
    assert "import " not in text and "lesson = Lesson(" not in text, f"{notebook.name}: code on the page"


def expect_the_course_page(page: Page, nav: Locator, number: int, guidance: Guidance, home: str,
                           timeout: float) -> None:
    """Page `number` of the course (1 is the first lesson) says where it is in its navigation bar `nav`, which
    links the contents page at `home`; it works, and axe finds nothing serious on it."""
    course_page = course_pages(guidance)[number - 1]
    expect(nav).to_be_visible(timeout=timeout)
    where = f"Lesson {number} of {len(guidance.lessons)}: {course_page.label}" if course_page.number is not None \
        else course_page.label
    expect(nav.locator(".ros1-where")).to_have_text(where)
    expect(nav.get_by_role("link", name="Contents")).to_have_attribute("href", home)
    expect_a_working_page(page, NOTEBOOKS / course_page.file)
    assert serious_violations(page) == [], course_page.file


def section_headings(lesson: Path) -> list[str]:
    """A lesson's `##` headings, read from its MyST text."""
    return re.findall(r"^## (.+)$", lesson.with_suffix(".md").read_text(encoding="utf-8"), re.M)


def test_the_contents_page_lists_every_lesson_and_the_case_app(
    page: Page, app_server: Server, guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page.goto(app_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("ROS1-rearranged lung cancer: an interactive course")
    expect(page.get_by_role("note")).to_contain_text(guidance.page.disclaimer)
    lessons = page.locator(".ros1-lessons > li")
    expect(lessons).to_have_count(len(guidance.lessons))
    for item, lesson in zip(lessons.all(), guidance.lessons, strict=True):
        link = item.get_by_role("link")
        expect(link).to_have_text(f"{lesson.number:02d} · {lesson.title}")
        expect(link).to_have_attribute("href", f"voila/render/{lesson.file}")
        expect(item).to_contain_text(lesson.aim)
        expect(item).to_contain_text(f"about {lesson.minutes} minutes")
    expect(page.get_by_role("link", name="Open the case app")).to_have_attribute("href", "voila/render/app.ipynb")
    expect(page.get_by_role("heading", name="My progress")).to_have_count(0)  # the record is off here
    assert serious_violations(page) == []
    snapshot(page, "20-contents")


def test_next_goes_from_the_first_lesson_to_the_case_app_and_previous_comes_back(
    page: Page, app_server: Server, guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    pages = course_pages(guidance)
    page.goto(app_server.url)
    page.get_by_role("link", name=pages[0].label).click()
    for number, course_page in enumerate(pages, 1):
        expect(page).to_have_url(re.compile(re.escape(f"/voila/render/{course_page.file}") + "$"))
        nav = course_nav(page)
        expect_the_course_page(page, nav, number, guidance, home="/", timeout=APP_READY_MS)
        if course_page.file == "02-ros1-and-fusions.ipynb":
            snapshot(page, "21-lesson-02")
        if number < len(pages):
            nav.get_by_role("link", name=re.compile("^Next: ")).click()
    expect(page.get_by_role("tab", name="The fusion")).to_be_visible()  # the case app works
    course_nav(page).get_by_role("link", name=re.compile("^Previous: ")).click()
    expect(page).to_have_url(re.compile(re.escape(f"/voila/render/{pages[-2].file}") + "$"))
    expect(course_nav(page)).to_be_visible(timeout=APP_READY_MS)
    course_nav(page).get_by_role("link", name="Contents").click()
    expect(page.get_by_role("link", name=pages[0].label)).to_be_visible()


def test_lesson_05_in_the_browser_shows_the_options_after_crizotinib_with_g2032r(
    page: Page, app_server: Server, guidance: Guidance
) -> None:
    page.goto(app_server.url + "voila/render/05-progression-and-resistance.ipynb")
    explorer = page.locator(".ros1-resistance-explorer").first
    expect(explorer).to_be_visible(timeout=APP_READY_MS)
    explorer.get_by_label("Progressed on").select_option("entrectinib")
    explorer.get_by_label("Progressed on").select_option("crizotinib")
    g2032r = explorer.get_by_role("checkbox", name="G2032R", exact=True)
    g2032r.uncheck()
    g2032r.check()
    table = explorer.get_by_role("table", name="Therapy activity against G2032R, after crizotinib")
    expect(table).to_be_visible()
    steps = guidance.next_steps(after="crizotinib", mutation="G2032R")
    expect(table.get_by_role("rowheader")).to_have_text([row.therapy for row in steps.rows])
    expect_g2032r_activity(table)
    expect(activity_row(table, "entrectinib")).to_contain_text("Resistant")


SLIDE = re.compile(r"^Slide (\d+) of (\d+)$")
LESSON_FILES = sorted(path.name for path in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
# How far the slide's lowest visible text or control reaches below the top of the slide bar, and what it is.
BELOW_THE_BAR = """() => {
  const limit = document.querySelector('.ros1-slides-bar').getBoundingClientRect().top;
  let worst = 0, what = '';
  for (const element of document.querySelectorAll('#rendered_cells *')) {
    const ownText = [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
    if (element.children.length && !ownText) continue;
    const box = element.getBoundingClientRect();
    if (box.height === 0 || box.width === 0 || !element.checkVisibility()) continue;
    if (box.bottom - limit > worst) { worst = box.bottom - limit; what = element.textContent.trim().slice(0, 60); }
  }
  return [Math.round(worst), what];
}"""


def slide_counter(page: Page) -> Locator:
    return page.get_by_role("status").filter(has_text=SLIDE)


def settled_slides(page: Page) -> int:
    """How many slides the lesson has once its widgets have rendered and the slides were made again."""
    expect(slide_counter(page)).to_have_text(re.compile(r"^Slide 1 of \d+$"), timeout=APP_READY_MS)
    expect(page.locator(".jupyter-widgets").first).to_be_attached(timeout=APP_READY_MS)
    readings: list[str] = []
    while len(readings) < 4 or len(set(readings[-4:])) > 1:  # the same count for a second
        readings.append(slide_counter(page).inner_text())
        page.wait_for_timeout(300)
        assert len(readings) < 100, f"the slides kept changing: {readings[-5:]}"
    match = SLIDE.match(readings[-1])
    assert match
    return int(match.group(2))


def shown_section(page: Page) -> tuple[str, bool]:
    """The section the slide shows, and whether the slide continues it; one section at a time."""
    headings = page.locator("#rendered_cells h1:visible, #rendered_cells h2:visible")
    continued = page.locator(".ros1-slides-continued:visible")
    assert headings.count() + continued.count() == 1, "a slide shows one section, headed by its title"
    if continued.count():
        return continued.inner_text().removesuffix(" (continued)"), True
    font = float(headings.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert font >= 30, f"heading {font} px"
    return headings.inner_text().replace("¶", "").strip(), False


def expect_the_slide_fits(page: Page, where: str) -> None:
    below, what = page.evaluate(BELOW_THE_BAR)
    assert below <= 1, f"{where}: {what!r} reaches {below} px below the slide bar (at 1024x768)"


def test_a_lesson_opens_as_slides_moved_by_the_keyboard(
    page: Page, app_server: Server, snapshot: Callable[[Page, str], Path]
) -> None:
    lesson = NOTEBOOKS / "02-ros1-and-fusions.ipynb"
    headings = section_headings(lesson)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(app_server.url + f"voila/render/{lesson.name}")
    course_nav(page).get_by_role("link", name="Present this lesson (slides)").click()
    total = settled_slides(page)
    assert total >= len(headings) + 1  # a title slide first, then each section on one slide or more
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    sections: list[str] = []
    for number in range(1, total + 1):
        if number > 1:
            page.keyboard.press("PageDown" if number % 2 else "ArrowRight")
        expect(slide_counter(page)).to_have_text(f"Slide {number} of {total}")
        expect_the_slide_fits(page, f"{lesson.name} slide {number}")
        section, continues = shown_section(page)
        if continues:
            assert section == sections[-1], f"slide {number} continues {section!r} after {sections[-1]!r}"
            continue
        sections.append(section)
        if section == "Overview":
            snapshot(page, "22-slide-overview")
            assert serious_violations(page) == []
    assert sections[1:] == headings  # every section, in order, after the title
    page.keyboard.press("ArrowRight")  # at the last slide: stays
    expect(slide_counter(page)).to_have_text(f"Slide {total} of {total}")
    page.keyboard.press("ArrowLeft")
    expect(slide_counter(page)).to_have_text(f"Slide {total - 1} of {total}")
    page.keyboard.press("Home")
    expect(slide_counter(page)).to_have_text(f"Slide 1 of {total}")
    page.get_by_role("link", name="Leave slides").click()
    expect(page.get_by_role("heading", name=headings[0], level=2, exact=True)).to_be_visible(timeout=APP_READY_MS)
    expect(page.get_by_role("heading", name=headings[1], level=2, exact=True)).to_be_visible()


@pytest.mark.parametrize("lesson", LESSON_FILES)
def test_every_slide_of_every_lesson_fits_a_1024x768_projector(
    lesson: str, page: Page, app_server: Server, snapshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(app_server.url + f"voila/render/{lesson}?view=slides")
    total = settled_slides(page)
    continued, cards_checked = 0, False
    for number in range(1, total + 1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        expect(slide_counter(page)).to_have_text(f"Slide {number} of {total}")
        expect_the_slide_fits(page, f"{lesson} slide {number}")
        if page.locator("table.ros1-slides-cards:visible").count() and not cards_checked:
            cards_checked = True  # a wide table shown as cards
            snapshot(page, f"24-slide-cards-{lesson.split('-')[0]}")
            assert serious_violations(page) == []
        if shown_section(page)[1]:
            continued += 1
            if continued == 1:
                snapshot(page, f"23-slide-continued-{lesson.split('-')[0]}")
                assert serious_violations(page) == []
    print(f"{lesson}: {total} slides, {continued} of them continuing a section")


@pytest.fixture
def recording_server(artifacts: Path, tmp_path: Path) -> Iterator[tuple[Server, dict[str, str]]]:
    """`ros1-course app --record` with its own learning-record directory (no preheated kernels)."""
    env = {**os.environ, "ROS1_COURSE_DATA_DIR": str(tmp_path / "record")}
    port = free_port()
    command = [str(BIN / "ros1-course"), "app", "--port", str(port), "--no-browser", "--record", "--pool", "0"]
    with running(command, f"http://127.0.0.1:{port}/", VOILA_READY, artifacts / "record-server.log",
                 env=env) as server:
        yield server, env


def test_with_record_an_answer_in_a_browser_lesson_is_kept(
    page: Page, recording_server: tuple[Server, dict[str, str]], guidance: Guidance
) -> None:
    server, env = recording_server
    lesson = guidance.lesson(2)
    question = guidance.questions(2)[0]
    right = next(option for option in question.options if option in question.answer)
    page.goto(server.url + f"voila/render/{lesson.file}")
    card = page.locator(".ros1-question").first
    expect(card).to_be_visible(timeout=APP_READY_MS)
    card.get_by_role("radio", name=right, exact=True).check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.locator(".ros1-correct")).to_be_visible()

    shown = subprocess.run([str(BIN / "ros1-course"), "record"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"Lesson 2: 1 of \d+ questions attempted, 1 correct", shown.stdout), shown.stdout

    page.goto(server.url)
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.locator(".ros1-lessons > li").nth(2)).to_contain_text("1 of")
    page.get_by_role("link", name=re.compile("^My progress")).click()
    expect(page.get_by_role("heading", name="Learning record", level=1)).to_be_visible()
    expect(page.locator("body")).to_contain_text(question.prompt)


def test_a_lesson_and_its_next_link_work_under_the_jupyter_server_extension(
    page: Page, jupyter_server: Server, guidance: Guidance
) -> None:
    """Binder and JupyterHub open the course through the Voila extension: the relative links between lessons
    work there too (no contents page: that is `ros1-course app`'s)."""
    first, second = guidance.lessons[1], guidance.lessons[2]
    page.goto(f"{jupyter_server.url}voila/render/notebooks/{first.file}?token={jupyter_server.token}")
    nav = course_nav(page)
    expect(nav).to_be_visible(timeout=APP_READY_MS)
    expect(nav.get_by_role("link", name="Contents")).to_have_count(0)
    nav.get_by_role("link", name=re.compile("^Next: ")).click()
    expect(page).to_have_url(re.compile(re.escape(f"/voila/render/notebooks/{second.file}")))
    expect(course_nav(page).locator(".ros1-where")).to_contain_text(second.title, timeout=APP_READY_MS)
    expect_a_working_page(page, NOTEBOOKS / second.file)
