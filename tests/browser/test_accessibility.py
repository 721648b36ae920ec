"""Accessibility of the app: axe-core (bundled with axe-playwright-python, no network) finds no serious or
critical violation in the first state or after each main interaction, and the main controls work from the
keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from content import Guidance

from .test_app import NEXT_STEP

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")
MAX_TAB_PRESSES = 60


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[node['target'] for node in v['nodes']][:5]}"
        for v in violations if v["impact"] in BLOCKING_IMPACTS
    ]


def focused_description(page: Page) -> str:
    """The focused element as 'role:name' (its role or tag, and its label or text), e.g. 'select:Fusion
    partner', for matching and for failure messages."""
    return str(page.evaluate(
        "() => { const e = document.activeElement;"
        " const name = e.labels && e.labels.length ? e.labels[0].innerText : (e.innerText || '');"
        " return `${e.getAttribute('role') || e.tagName.toLowerCase()}:${name.trim()}`; }"
    ))


def press_tab_until(page: Page, wanted: Callable[[str], bool], key: str = "Tab") -> str:
    """Press Tab (or Shift+Tab) until the focused element matches; fail after MAX_TAB_PRESSES presses."""
    seen = []
    for _ in range(MAX_TAB_PRESSES):
        page.keyboard.press(key)
        focused = focused_description(page)
        if wanted(focused):
            return focused
        seen.append(focused)
    pytest.fail(f"{key} never reached the control; focus went through {seen}")


def test_axe_finds_no_serious_violation_in_the_first_state_or_after_main_interactions(
    open_app: Callable[[], Page], guidance: Guidance
) -> None:
    page = open_app()
    found = {"first state": serious_violations(page)}

    page.get_by_role("button", name=NEXT_STEP).click()
    expect(page.get_by_text(f"Step 2 of {len(guidance.steps)}")).to_be_visible()
    found["case stepped"] = serious_violations(page)

    page.get_by_role("tab", name="The fusion").click()
    page.get_by_label("Fusion partner").select_option("EZR")
    expect(page.get_by_role("heading", name="EZR-ROS1")).to_be_visible()
    found["partner EZR"] = serious_violations(page)

    page.get_by_role("tab", name="First-line treatment").click()
    expect(page.get_by_role("table", name=re.compile("^Options in the UK, first line"))).to_be_visible()
    found["first-line options"] = serious_violations(page)

    page.get_by_role("tab", name="Progression and resistance").click()
    found["no mutation chosen"] = serious_violations(page)
    page.get_by_role("checkbox", name="G2032R", exact=True).check()
    expect(page.get_by_role("table", name="Therapy activity against G2032R")).to_be_visible()
    found["G2032R chosen"] = serious_violations(page)
    page.get_by_role("button", name="Prepare handout").click()
    expect(page.get_by_role("link", name="Download handout (HTML)")).to_be_visible()
    found["handout ready"] = serious_violations(page)

    page.get_by_role("tab", name="Self-check").click()
    card = page.locator(".ros1-question").first
    card.get_by_role("radio").first.check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.locator(".ros1-correct, .ros1-wrong")).to_be_visible()
    found["quiz feedback"] = serious_violations(page)

    page.get_by_role("button", name="Presenter mode").click()
    expect(page.locator(".ros1-app.ros1-presenter")).to_have_count(1)
    found["presenter mode"] = serious_violations(page)

    page.locator(".ros1-about summary").filter(has_text="Sources").click()
    found["sources open"] = serious_violations(page)

    assert {state: lines for state, lines in found.items() if lines} == {}


def test_keyboard_alone_reaches_and_operates_the_main_controls(
    open_app: Callable[[], Page], guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    page.locator("body").focus()

    press_tab_until(page, lambda f: f.startswith("button:") and "Presenter mode" in f)
    page.keyboard.press("Enter")
    expect(page.locator(".ros1-app.ros1-presenter")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator(".ros1-app.ros1-presenter")).to_have_count(0)

    press_tab_until(page, lambda f: f == "summary:Sources")
    page.keyboard.press("Enter")
    expect(page.locator(".ros1-about.ros1-references details")).to_have_attribute("open", "")

    press_tab_until(page, lambda f: f == "tab:The patient and the result", key="Shift+Tab")
    press_tab_until(page, lambda f: f == "button:Next")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Step 2 of {len(guidance.steps)}")).to_be_visible()

    press_tab_until(page, lambda f: f.startswith("tab:"), key="Shift+Tab")
    page.keyboard.press("ArrowRight")
    assert focused_description(page) == "tab:The fusion"
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name="The fusion")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_label("Fusion partner")).to_be_visible()  # the section is built when first opened
    press_tab_until(page, lambda f: f == "select:Fusion partner")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("heading", name="EZR-ROS1")).to_be_visible()

    press_tab_until(page, lambda f: f.startswith("tab:"), key="Shift+Tab")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert focused_description(page) == "tab:Progression and resistance"
    page.keyboard.press("Enter")
    expect(page.get_by_role("checkbox", name="G2032R", exact=True)).to_be_visible()  # built when first opened
    press_tab_until(page, lambda f: f == "input:G2032R")
    page.keyboard.press("Space")
    expect(page.get_by_role("table", name="Therapy activity against G2032R")).to_be_visible()
    snapshot(page, "07-keyboard-g2032r")

    press_tab_until(page, lambda f: f == "button:Prepare handout")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Download handout (HTML)")).to_be_visible()
    press_tab_until(page, lambda f: f == "a:Download handout (HTML)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "ros1-handout.html"
