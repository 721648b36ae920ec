"""The presenter app in a real browser: the case, the explorers, the quiz and the presenter toggle, all
served by `ros1-course app` with every non-local request blocked (the `page` fixture fails a test whose
page tried to reach another machine)."""

from __future__ import annotations

import io
import json
import re
import tokenize
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from content import Guidance
from widgets.pictures import schematic

from .conftest import APP_READY_MS

pytestmark = pytest.mark.browser

APP_NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "app.ipynb"
# The case stepper's "Next" (its name starts with the arrow icon's glyph), not presenter mode's "Next section".
NEXT_STEP = re.compile(r"^\W*Next$")


def code_lines(source: str) -> list[str]:
    """The source's distinctive lines (long enough not to occur in a page by chance), leaving out multi-line
    string literals (the app's CSS is meant to reach the page)."""
    in_strings: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.start[0] != token.end[0]:
            in_strings.update(range(token.start[0], token.end[0] + 1))
    numbered = enumerate(source.splitlines(), start=1)
    return [line.strip() for number, line in numbered if number not in in_strings and len(line.strip()) > 25]


def notebook_code_lines(notebook: Path) -> list[str]:
    """The distinctive lines of every code cell of a notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [line for cell in cells if cell["cell_type"] == "code" for line in code_lines("".join(cell["source"]))]


def expect_g2032r_activity(table: Locator) -> None:
    """Repotrectinib and taletrectinib active on clinical evidence against G2032R."""
    for therapy, activity, evidence in (("repotrectinib", "Active", "Clinical"),
                                        ("taletrectinib", "Active", "Clinical")):
        cells = activity_row(table, therapy).get_by_role("cell")
        expect(cells.nth(0)).to_have_text(re.compile(f"{activity}$"))
        expect(cells.nth(1)).to_have_text(evidence)


def activity_row(table: Locator, therapy: str) -> Locator:
    """The table row whose header cell names the therapy."""
    return table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=therapy, exact=True))


def open_section(page: Page, name: str) -> Locator:
    """Open a section (by its tab, or in presenter mode by the section menu that replaces the tabs) and
    return its panel."""
    if page.locator(".ros1-app.ros1-presenter").count():
        page.get_by_label("Section", exact=True).select_option(name)
    else:
        page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True, include_hidden=True)).to_have_attribute(
        "aria-selected", "true")
    return page.locator(".ros1-section:visible")


def test_opens_on_the_case_with_disclaimer_review_status_and_sources(
    open_app: Callable[[], Page], guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    expect(page.get_by_role("heading", name="The patient and the result", level=2)).to_be_visible()
    expect(page.get_by_text(f"Step 1 of {len(guidance.steps)}")).to_be_visible()
    expect(page.get_by_role("heading", name=guidance.steps[0].title, exact=True)).to_be_visible()
    expect(page.locator(".ros1-disclaimer")).to_contain_text(guidance.page.disclaimer)
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_text(["The patient and the result", "The fusion", "Who gets it", "First-line treatment",
                               "Progression and resistance", "Self-check"])
    snapshot(page, "01-first-state")

    status = page.locator(".ros1-about.ros1-review-status")
    expect(status.get_by_text(guidance.page.title)).to_be_hidden()
    status.locator("summary").click()
    expect(status.get_by_text(guidance.page.title)).to_be_visible()
    sources = page.locator(".ros1-about.ros1-references")
    sources.locator("summary").click()
    expect(sources.locator("ol > li")).to_have_count(len(guidance.sources))
    expect(sources.locator("ol > li").first).to_be_visible()


def test_no_notebook_source_or_traceback_reaches_the_page(open_app: Callable[[], Page]) -> None:
    page = open_app()
    html = page.content()
    lines = notebook_code_lines(APP_NOTEBOOK)
    assert lines, "the app notebook should have code to look for"
    assert [line for line in lines if line in html] == []
    assert page.locator(".jp-InputArea, .jp-InputPrompt, .jp-OutputArea-executeResult").count() == 0
    for marker in ("Traceback", "ExecutionError", "Execution error", "There was an error"):
        assert marker not in html


def test_choosing_ezr_changes_the_partner_view(
    open_app: Callable[[], Page], snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    panel = open_section(page, "The fusion")
    explorer = panel.locator(".ros1-partner-explorer")
    expect(explorer.get_by_role("heading", name="CD74-ROS1")).to_be_visible()

    explorer.get_by_label("Fusion partner").select_option("EZR")

    expect(explorer.get_by_role("heading", name="EZR-ROS1")).to_be_visible()
    expect(explorer.get_by_role("heading", name="CD74-ROS1")).to_have_count(0)
    expect(explorer.get_by_role("img").first).to_have_attribute("alt", re.compile("EZR"))
    snapshot(page, "02-partner-ezr")


def test_a_partner_choice_sends_its_picture_by_address_not_inside_the_message(
    open_app: Callable[[], Page], guidance: Guidance
) -> None:
    received: list[int] = []
    page = open_app()
    page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(len(frame))))
    page.reload()  # so the page's kernel socket opens with the listener in place
    page.get_by_role("tab", name="The fusion").wait_for(timeout=APP_READY_MS)
    explorer = open_section(page, "The fusion").locator(".ros1-partner-explorer")
    expect(explorer.get_by_role("heading", name="CD74-ROS1")).to_be_visible()
    before = sum(received)

    explorer.get_by_label("Fusion partner").select_option("EZR")

    expect(explorer.get_by_role("heading", name="EZR-ROS1")).to_be_visible()
    picture = explorer.get_by_role("img", name=re.compile("EZR"))
    address = f"/ros1-course/pictures/{guidance.knowledge.fingerprint}/schematic-EZR.png"
    expect(picture).to_have_attribute("src", address)
    page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=picture.element_handle())
    png = schematic(guidance, "EZR").png
    assert picture.evaluate("image => image.naturalWidth") == schematic(guidance, "EZR").size[0]
    sent = sum(received) - before
    assert 0 < sent < len(png), f"the partner choice sent {sent} bytes; the picture alone is {len(png)}"


def test_no_mutation_chosen_shows_a_message_not_an_error(open_app: Callable[[], Page]) -> None:
    page = open_app()
    panel = open_section(page, "Progression and resistance")
    explorer = panel.locator(".ros1-resistance-explorer")
    expect(explorer.get_by_role("status").filter(has_text="Choose at least one mutation")).to_be_visible()
    expect(explorer.get_by_role("table")).to_have_count(0)
    assert "Traceback" not in page.content()


def test_g2032r_crizotinib_resistant_repotrectinib_clinically_active(
    open_app: Callable[[], Page], snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    explorer = open_section(page, "Progression and resistance").locator(".ros1-resistance-explorer")

    explorer.get_by_role("checkbox", name="G2032R", exact=True).check()

    table = explorer.get_by_role("table", name="Therapy activity against G2032R")
    expect(table).to_be_visible()
    expect(activity_row(table, "crizotinib")).to_contain_text("Resistant")
    expect_g2032r_activity(table)
    snapshot(page, "03-resistance-g2032r")


def test_stepping_the_case_waits_for_the_first_line_choice(
    open_app: Callable[[], Page], guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    stepper = page.locator(".ros1-case-stepper")
    next_button = stepper.get_by_role("button", name="Next")
    choice_at = next(i for i, step in enumerate(guidance.steps) if step.choice)
    for index in range(1, choice_at + 1):
        next_button.click()
        expect(stepper.get_by_text(f"Step {index + 1} of {len(guidance.steps)}")).to_be_visible()
        expect(stepper.get_by_role("heading", name=guidance.steps[index].title, exact=True)).to_be_visible()
    choice = guidance.steps[choice_at].choice
    assert choice is not None
    expect(next_button).to_be_disabled()
    expect(stepper.get_by_role("status").filter(has_text="Choose an option")).to_be_visible()

    stepper.get_by_role("radio", name=choice.options[0], exact=True).check()

    expect(next_button).to_be_enabled()
    snapshot(page, "04-case-first-line-choice")


def test_answering_a_question_shows_feedback_with_the_reason(
    open_app: Callable[[], Page], guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    quiz = open_section(page, "Self-check").locator(".ros1-quiz")
    question = guidance.questions()[0]
    card = quiz.locator(".ros1-question").first
    right = next(option for option in question.options if option in question.answer)

    card.get_by_role("radio", name=right, exact=True).check()
    card.get_by_role("button", name="Check answer").click()

    feedback = card.locator(".ros1-correct")
    expect(feedback).to_contain_text("Correct.")
    expect(feedback).to_contain_text(question.explanation)
    expect(quiz.get_by_text(f"Score: 1 of {len(guidance.questions())} correct")).to_be_visible()
    snapshot(page, "05-quiz-feedback")


def test_presenter_mode_enlarges_text_and_controls(
    open_app: Callable[[], Page], snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    step_text = page.locator(".ros1-case-stepper .widget-html-content p").nth(1)
    next_button = page.get_by_role("button", name=NEXT_STEP)
    text_before = float(step_text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    button_before = next_button.bounding_box()

    page.get_by_role("button", name="Presenter mode").click()

    expect(page.locator(".ros1-app")).to_have_class(re.compile(r"\bros1-presenter\b"))
    text_after = float(step_text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    button_after = next_button.bounding_box()
    assert text_after >= 1.4 * text_before
    assert button_before and button_after and button_after["height"] > button_before["height"]
    snapshot(page, "06-presenter-mode")


def test_the_text_boxes_are_wide_enough_to_type_in(open_app: Callable[[], Page]) -> None:
    """Issue 10: the resistance explorer's "Add a mutation by any spelling" box was a few pixels wide in Voila."""
    page = open_app()
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_role("button", name="Presenter mode").click()  # the largest labels: the tightest fit
    expect(page.locator(".ros1-app.ros1-presenter")).to_have_count(1)
    for section, label, typed in (("The fusion", "Find by name or alias", "FIG"),
                                  ("Progression and resistance", "Add a mutation by any spelling", "p.Gly2032Arg")):
        box = open_section(page, section).get_by_label(label)
        expect(box).to_be_visible()
        width = box.bounding_box()["width"]
        assert width >= 200, f"{label!r} is {width:.0f} px wide"
        box.fill(typed)
        box.press("Enter")
    expect(page.get_by_role("table", name="Therapy activity against G2032R")).to_be_visible()
