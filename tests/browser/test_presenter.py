"""Presenter mode on a projector (1024x768 and 1280x720): the header in one line, the disclaimer in one line
with its full text one click away (and in full on paper), the tabs replaced by a one-row section menu, and on
every section its heading and first sentence on screen without scrolling; text at least 24 px, controls at
least 44 px tall, no serious axe violation; sections and case steps by keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from content import Guidance

from .test_accessibility import focused_description, press_tab_until, serious_violations
from .test_app import open_section

pytestmark = pytest.mark.browser

PROJECTORS = [(1024, 768), (1280, 720)]
MIN_TEXT_PX = 24
MIN_CONTROL_PX = 44
SECTIONS = ["The patient and the result", "The fusion", "Who gets it", "First-line treatment",
            "Progression and resistance", "Self-check"]


def presenter_mode(page: Page) -> None:
    """Switch presenter mode on and wait for it."""
    page.get_by_role("button", name="Presenter mode").click()
    expect(page.locator(".ros1-app.ros1-presenter")).to_have_count(1)


def heading_and_first_sentence(page: Page) -> dict[str, dict[str, float] | str]:
    """The open section's heading and its first text of a sentence's length (a paragraph, list item or a
    question's label), with their boxes."""
    return page.evaluate(
        """() => { const section = Array.from(document.querySelectorAll('.ros1-section'))
                     .find(e => e.offsetParent !== null);
             const box = e => { const r = e.getBoundingClientRect();
                                return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
             const first = Array.from(section.querySelectorAll('p, li, .widget-label'))
                                .find(e => e.innerText.trim().length >= 30);
             return {heading: box(section.querySelector('h2')), title: section.querySelector('h2').innerText,
                     first: box(first), text: first.innerText.slice(0, 60)}; }""")


def small_text(page: Page) -> list[str]:
    """Visible text under MIN_TEXT_PX inside the app."""
    return page.evaluate(
        """(least) => Array.from(document.querySelectorAll('.ros1-app *'))
             .filter(e => e.offsetParent !== null
                          && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())
                          && parseFloat(getComputedStyle(e).fontSize) < least)
             .map(e => `${e.tagName} ${getComputedStyle(e).fontSize}: ${e.textContent.trim().slice(0, 40)}`)""",
        MIN_TEXT_PX)


def small_controls(page: Page) -> list[str]:
    """Visible controls (buttons, lists, text boxes, disclosures, tick boxes, radio options) under
    MIN_CONTROL_PX tall."""
    return page.evaluate(
        """(least) => Array.from(document.querySelectorAll(
               '.ros1-app button, .ros1-app select, .ros1-app input[type=text], .ros1-app summary,'
               + ' .ros1-app .widget-checkbox label, .ros1-app .widget-radio-box label'))
             .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < least)
             .map(e => `${e.tagName} ${Math.round(e.getBoundingClientRect().height)} px:`
                       + ` ${e.textContent.trim().slice(0, 40)}`)""",
        MIN_CONTROL_PX)


@pytest.mark.parametrize(("width", "height"), PROJECTORS, ids=[f"{w}x{h}" for w, h in PROJECTORS])
def test_every_section_starts_on_screen_in_presenter_mode(
    width: int, height: int, open_app: Callable[[], Page], guidance: Guidance, artifacts: Path
) -> None:
    page = open_app()
    page.set_viewport_size({"width": width, "height": height})
    presenter_mode(page)

    title = page.get_by_role("heading", name="ROS1-rearranged lung cancer: a case", level=1)
    button = page.get_by_role("button", name="Presenter mode").bounding_box()
    heading = title.bounding_box()
    assert heading and button
    assert heading["height"] < 1.8 * float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert heading["y"] < button["y"] + button["height"] and button["y"] < heading["y"] + heading["height"]

    expect(page.locator(".ros1-disclaimer")).to_be_hidden()
    line = page.locator(".ros1-disclaimer-line")
    expect(line.locator("summary")).to_have_text(re.compile("^" + re.escape(guidance.page.disclaimer_short)))
    assert line.bounding_box()["height"] < 2 * MIN_CONTROL_PX  # one line

    expect(page.get_by_role("tablist")).to_be_hidden()
    menu = [page.get_by_label("Section", exact=True), page.get_by_role("button", name="Previous section"),
            page.get_by_role("button", name="Next section")]
    tops = {round(control.bounding_box()["y"]) for control in menu}
    assert max(tops) - min(tops) < MIN_CONTROL_PX, f"the section menu takes more than one row: {tops}"

    for number, name in enumerate(SECTIONS, 1):
        open_section(page, name)
        page.wait_for_timeout(300)  # let the section's widgets settle
        shown = heading_and_first_sentence(page)
        assert shown["title"] == name
        for part in ("heading", "first"):
            box = shown[part]
            assert isinstance(box, dict)
            inside = box["top"] >= 0 and box["left"] >= 0 and box["bottom"] <= height and box["right"] <= width
            assert inside, (
                f"{name}: the {part} ({shown['text'] if part == 'first' else name!r}) is at {box}, outside "
                f"{width}x{height}")
        assert small_text(page) == []
        assert small_controls(page) == []
        page.screenshot(path=str(artifacts / f"presenter-{width}x{height}-{number}.png"))
    assert serious_violations(page) == []

    line.locator("summary").click()
    expect(line.get_by_text(guidance.page.disclaimer)).to_be_visible()
    assert serious_violations(page) == []


def test_on_paper_the_full_disclaimer_shows_even_in_presenter_mode(
    open_app: Callable[[], Page], guidance: Guidance
) -> None:
    page = open_app()
    presenter_mode(page)
    page.emulate_media(media="print")
    expect(page.locator(".ros1-disclaimer")).to_be_visible()
    expect(page.locator(".ros1-disclaimer")).to_contain_text(guidance.page.disclaimer)
    expect(page.locator(".ros1-disclaimer-line")).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.locator(".ros1-disclaimer")).to_be_hidden()


def test_the_presenter_moves_between_sections_and_steps_with_the_keyboard_alone(
    open_app: Callable[[], Page], guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    page.set_viewport_size({"width": 1024, "height": 768})
    page.locator("body").focus()
    press_tab_until(page, lambda f: f.startswith("button:") and "Presenter mode" in f)
    page.keyboard.press("Enter")
    expect(page.locator(".ros1-app.ros1-presenter")).to_have_count(1)

    press_tab_until(page, lambda f: f == "button:Next section")
    for name in SECTIONS[1:]:
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=name, level=2, exact=True)).to_be_in_viewport()
    page.keyboard.press("Enter")  # at the last section: stays there, focus stays on the button
    expect(page.get_by_role("heading", name=SECTIONS[-1], level=2, exact=True)).to_be_visible()
    assert focused_description(page) == "button:Next section"

    press_tab_until(page, lambda f: f == "button:Previous section", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SECTIONS[-2], level=2, exact=True)).to_be_in_viewport()

    press_tab_until(page, lambda f: f == "select:Section", key="Shift+Tab")
    for _ in SECTIONS:
        page.keyboard.press("ArrowUp")
    expect(page.get_by_role("heading", name=SECTIONS[0], level=2, exact=True)).to_be_in_viewport()
    press_tab_until(page, lambda f: f == "button:Next")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Step 2 of {len(guidance.steps)}")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Step 3 of {len(guidance.steps)}")).to_be_visible()
    snapshot(page, "presenter-keyboard-step-3")

    keyboard = page.locator(".ros1-about.ros1-keyboard")
    keyboard.locator("summary").click()
    for documented in ("Previous section", "Next section", "Back", "Next"):
        expect(keyboard).to_contain_text(documented)
