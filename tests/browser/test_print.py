"""The handout on paper: written by `ros1-course handout` as an educator writes it, printed to A4 PDF by headless
Chromium, its pages counted and its text read back with Debian's poppler-utils, each page rendered to PNG in
test-artifacts/browser/print/ for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from content import Guidance

from .conftest import BIN, missing_in_ci_fails

pytestmark = pytest.mark.browser

POPPLER = ("pdfinfo", "pdftotext", "pdftoppm")
POINTS_PER_PIXEL = 0.75  # CSS: 1px = 0.75pt
BODY_MIN_PT = 9
A4_TEXT_VIEWPORT = {"width": 718, "height": 1000}  # 190 mm, the A4 text width within the margins, at 96 px/in
# Small print on purpose: references, figure captions, citation links, the footer and the generation line.
SMALL_PRINT = "#references, #bottom, figcaption, .ros1-cite, .ros1-flag, .ros1-meta, .ros1-footnote"
# (file stem, command-line choices, most pages): the three single-mutation cases and three mutations.
CASES = [
    ("default", [], 2),
    ("ezr-g2032r", ["--partner", "EZR", "--mutation", "G2032R", "--after", "crizotinib"], 2),
    ("crizotinib-l2026m", ["--mutation", "L2026M", "--after", "crizotinib"], 2),
    ("three-mutations", ["--mutation", "G2032R", "--mutation", "L2026M", "--mutation", "D2033N"], 3),
]


def poppler() -> None:
    """Skip (or, in CI, fail) when poppler-utils is not installed."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        missing_in_ci_fails(f"{', '.join(missing)} not found: install Debian's poppler-utils to check the printed "
                            "handout")


@pytest.fixture(scope="module")
def print_dir(artifacts: Path) -> Path:
    """test-artifacts/browser/print, emptied first so that only this run's pages are there."""
    target = artifacts / "print"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    return target


@pytest.fixture
def print_page(browser: Browser) -> Iterator[Page]:
    """A page that may read local files only."""
    context = browser.new_context(viewport=A4_TEXT_VIEWPORT, service_workers="block")
    context.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort("blockedbyclient"))
    page = context.new_page()
    yield page
    context.close()


def write_handout(choices: list[str], target: Path) -> Path:
    """Run `ros1-course handout` with these choices into `target`."""
    result = subprocess.run([str(BIN / "ros1-course"), "handout", *choices, "-o", str(target)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return target


def pdf_pages(pdf: Path) -> int:
    """The number of pages pdfinfo counts."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    assert match, info
    return int(match.group(1))


def pdf_text(pdf: Path) -> str:
    """The PDF's text as pdftotext reads it, with white space (line and page breaks) collapsed."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def body_font_sizes(page: Page) -> dict[str, float]:
    """In the media emulated: each paragraph, list item and table cell outside the small print, by its text's start,
    with its font size in points."""
    return page.evaluate(
        """([small, ptPerPx]) => Object.fromEntries(
             Array.from(document.querySelectorAll('main p, main li, main td, main th'))
               .filter(e => !e.closest(small) && e.textContent.trim())
               .map(e => [e.textContent.trim().slice(0, 50),
                          parseFloat(getComputedStyle(e).fontSize) * ptPerPx]))""",
        [SMALL_PRINT, POINTS_PER_PIXEL])


def forced_breaks(page: Page) -> list[str]:
    """In print media: the elements that force a page break before or after them."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('main *'))
             .filter(e => { const s = getComputedStyle(e);
                            return [s.breakBefore, s.breakAfter].some(b => ['page', 'always', 'left', 'right',
                                                                           'recto', 'verso'].includes(b)); })
             .map(e => e.tagName + '#' + e.id)""")


def narrow_boxes(page: Page, selector: str) -> list[str]:
    """In print media: the elements matched whose width differs from the page's text width by more than 2 px
    (too narrow, or wider than the paper)."""
    return page.evaluate(
        """(selector) => { const width = document.querySelector('main').getBoundingClientRect().width;
             return Array.from(document.querySelectorAll(selector))
               .filter(e => Math.abs(e.getBoundingClientRect().width - width) > 2)
               .map(e => (e.getAttribute('aria-label') || e.querySelector('caption')?.textContent || e.tagName)
                         + ': ' + Math.round(e.getBoundingClientRect().width) + ' of ' + Math.round(width)); }""",
        selector)


def overflowing_images(page: Page) -> list[str]:
    """In print media: the images wider than the page's text width, or not loaded."""
    return page.evaluate(
        """() => { const width = document.querySelector('main').getBoundingClientRect().width;
             return Array.from(document.querySelectorAll('main img'))
               .filter(i => !i.complete || i.naturalWidth === 0 || i.getBoundingClientRect().width > width + 1)
               .map(i => i.alt.slice(0, 60)); }""")


@pytest.mark.parametrize(("stem", "choices", "most_pages"), CASES, ids=[case[0] for case in CASES])
def test_the_handout_prints_on_few_a4_pages_with_readable_type(
    stem: str, choices: list[str], most_pages: int, print_page: Page, print_dir: Path, guidance: Guidance
) -> None:
    poppler()
    handout = write_handout(choices, print_dir / f"{stem}.html")
    print_page.goto(handout.as_uri())
    screen_sizes = body_font_sizes(print_page)
    pdf = print_dir / f"{stem}.pdf"
    print_page.pdf(path=str(pdf), format="A4", print_background=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(print_dir / stem)], check=True)

    pages = pdf_pages(pdf)
    assert 1 <= pages <= most_pages, f"{stem}: {pages} A4 pages, at most {most_pages} wanted"
    assert len(list(print_dir.glob(f"{stem}-*.png"))) == pages

    text = pdf_text(pdf)
    for kept in (" ".join(guidance.page.disclaimer.split()), "Review status of the content", "Last reviewed",
                 f"Content version {guidance.knowledge.fingerprint}", "Generated "):
        assert kept in text, f"{stem}: the printed pages lack {kept!r}"

    print_page.emulate_media(media="print")
    sizes = body_font_sizes(print_page)
    assert len(sizes) > 20
    small = {start: size for start, size in sizes.items() if size < BODY_MIN_PT - 0.01}
    assert small == {}, f"{stem}: body text under {BODY_MIN_PT} pt"
    assert forced_breaks(print_page) == []
    assert narrow_boxes(print_page, "main table") == []
    assert overflowing_images(print_page) == []
    assert min(screen_sizes.values()) > max(sizes.values())  # the screen keeps its larger type
