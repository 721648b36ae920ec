"""The app's first-line options and its "Download handout" for the current choices, in a real browser: the
handout is downloaded, saved as a test artifact and opened from disk with every network request blocked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, Route, WebSocketRoute, expect

from content import Guidance
from widgets.words import UK_STATUS

from .test_app import activity_row, expect_g2032r_activity, open_section

pytestmark = pytest.mark.browser

HANDOUT_FILE = "ros1-handout.html"


def prepare_and_download(page: Page, target: Path) -> Path:
    """Press "Prepare handout", download the handout the app then offers, and save it as `target`."""
    page.get_by_role("button", name="Prepare handout").click()
    link = page.get_by_role("link", name="Download handout (HTML)")
    with page.expect_download() as info:
        link.click()
    download: Download = info.value
    assert download.suggested_filename == HANDOUT_FILE
    download.save_as(target)
    return target


@pytest.fixture
def offline_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page that may read local files but aborts and records every request to any server, loopback
    included, and every WebSocket: a handout must need none of them."""
    attempted: list[str] = []

    def refuse(route: Route) -> None:
        attempted.append(route.request.url)
        route.abort("blockedbyclient")

    def refuse_socket(socket: WebSocketRoute) -> None:
        attempted.append(socket.url)
        socket.close()

    context = browser.new_context(viewport={"width": 1000, "height": 1200}, service_workers="block")
    context.route(re.compile(r"^(?!file:|data:)"), refuse)
    context.route_web_socket(re.compile(".*"), refuse_socket)
    page = context.new_page()
    yield page, attempted
    context.close()


def section(handout: Page, name: str) -> Locator:
    """One of the handout's top-level sections, by id."""
    return handout.locator(f"section#{name}")


def test_first_line_options_show_which_therapies_are_funded(
    open_app: Callable[[], Page], guidance: Guidance, snapshot: Callable[[Page, str], Path]
) -> None:
    page = open_app()
    table = open_section(page, "First-line treatment").get_by_role(
        "table", name=re.compile(r"^Options in the UK, first line \(no ROS1 inhibitor before\)"))
    expected = guidance.option_rows(line="first", setting="UK")
    assert any(option.funded for option in expected) and not all(option.funded for option in expected)

    expect(table.get_by_role("rowheader")).to_have_text([option.therapy for option in expected])
    for option in expected:
        cells = activity_row(table, option.therapy).get_by_role("cell")
        expect(cells.nth(0)).to_have_text("Yes" if option.funded else "No")
        expect(cells.nth(1)).to_have_text(re.compile("^" + re.escape(UK_STATUS[option.status])))
        assert option.checked, option.therapy
        # the date the status holds for, so nobody reads an old status as today's
        expect(cells.nth(1)).to_contain_text(f"(as of {option.checked.day} {option.checked:%B %Y})")
        expect(cells.nth(3)).to_have_text(re.compile(re.escape(option.sources[0])))
    snapshot(page, "10-first-line-options")


def test_the_handout_for_ezr_and_g2032r_downloads_and_is_complete_offline(
    open_app: Callable[[], Page], guidance: Guidance, artifacts: Path, offline_page: tuple[Page, list[str]],
    snapshot: Callable[[Page, str], Path],
) -> None:
    page = open_app()
    open_section(page, "The fusion").get_by_label("Fusion partner").select_option("EZR")
    expect(page.get_by_role("heading", name="EZR-ROS1")).to_be_visible()
    open_section(page, "Progression and resistance").get_by_role("checkbox", name="G2032R", exact=True).check()
    expect(page.get_by_role("table", name="Therapy activity against G2032R")).to_be_visible()

    saved = prepare_and_download(page, artifacts / "handout-ezr-g2032r.html")
    expect(page.get_by_role("status").filter(has_text="Handout ready for fusion partner EZR")).to_contain_text(
        "resistance mutations: G2032R; progressed on: not stated")
    snapshot(page, "11-handout-ready")

    handout, attempted = offline_page
    handout.goto(saved.as_uri())
    expect(handout.get_by_role("heading", name="ROS1-rearranged lung cancer: case handout", level=1)).to_be_visible()
    expect(handout.locator("#choices")).to_contain_text("Fusion partner EZR")
    expect(handout.locator("#choices")).to_contain_text("found: G2032R")
    expect(handout.locator("header").get_by_role("note")).to_contain_text(guidance.page.disclaimer)
    expect(section(handout, "fusion").get_by_role("heading", name="What if the fusion were EZR-ROS1")).to_be_visible()

    resistance = section(handout, "resistance")
    expect(resistance.get_by_role("heading", name=re.compile("^G2032R"))).to_be_visible()
    table = resistance.get_by_role("table", name="Therapy activity against G2032R")
    expect_g2032r_activity(table)
    expect(activity_row(table, "crizotinib").get_by_role("cell").nth(0)).to_have_text(re.compile(r"Resistant$"))

    options = section(handout, "first-line").get_by_role("table")
    first_line = guidance.option_rows(line="first", setting="UK")
    expect(options.get_by_role("rowheader")).to_have_text(
        [option.therapy for option in first_line if option.status != "not confirmed"])
    unconfirmed = section(handout, "first-line").locator("p.ros1-unconfirmed")  # on paper: one dated line
    for option in (option for option in first_line if option.status == "not confirmed"):
        expect(unconfirmed).to_contain_text(f"{option.therapy} (as of ")
    cited = set(re.findall(r'title="[^"]*" target="_blank" rel="noopener">([a-z0-9-]+)</a>', handout.content()))
    references = section(handout, "references").locator("ol > li")
    expect(references).to_have_count(len(cited))
    expect(section(handout, "review")).to_contain_text(f"Seed page: {guidance.page.title}")

    images = handout.locator("img")
    expect(images).to_have_count(1)  # the fusion schematic (the activity grid comes with several mutations)
    for image in images.all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert (image.get_attribute("alt") or "").strip()
    expect(images.first).to_have_attribute("alt", re.compile("EZR"))
    handout.screenshot(path=str(artifacts / "12-handout-offline.png"), full_page=True)
    assert attempted == []


def test_the_handout_follows_the_choices_made_after_it_was_prepared(
    open_app: Callable[[], Page], artifacts: Path, offline_page: tuple[Page, list[str]]
) -> None:
    page = open_app()
    explorer = open_section(page, "Progression and resistance").locator(".ros1-resistance-explorer")
    first = prepare_and_download(page, artifacts / "handout-default.html").read_text(encoding="utf-8")

    explorer.get_by_label("Progressed on").select_option("crizotinib")
    expect(page.get_by_role("link", name="Download handout (HTML)")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="prepare the handout again")).to_be_visible()
    explorer.get_by_role("checkbox", name="L2026M", exact=True).check()
    second = prepare_and_download(page, artifacts / "handout-crizotinib-l2026m.html")

    assert "No resistance mutation was chosen" in first and "After progression (therapy not stated)" in first
    handout, attempted = offline_page
    handout.goto(second.as_uri())
    resistance = section(handout, "resistance")
    expect(resistance.get_by_role("heading", name="After progression on crizotinib")).to_be_visible()
    expect(resistance.get_by_role("table", name="Therapy activity against L2026M, after crizotinib")).to_be_visible()
    expect(resistance).not_to_contain_text("No resistance mutation was chosen")
    assert attempted == []
