"""The printable handout: one self-contained HTML file for the case as chosen; two choices compared; the
command writes it atomically and writes nothing for an unknown name."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from content import UnknownEntryError
from ros1_course.documents import handout_html
from widgets.words import ACTIVITY, brief_citation

SCRIPT = shutil.which("ros1-course", path=str(Path(sys.executable).parent))
TODAY = dt.date(2026, 11, 27)
SECTIONS = ("scenario", "fusion", "first-line", "side-effects", "resistance", "references", "review")


class Page(HTMLParser):
    """What the checks need from a handout: every tag with its attributes, the CSS, and each top-level
    section's HTML (by id)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.css: list[str] = []
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)

    def section(self, name: str) -> str:
        match = re.search(rf'<section id="{name}">(.*?)</section>', self.html, re.S)
        assert match, f"no section {name}"
        return match.group(1)


@pytest.fixture(scope="module")
def scenario(guidance) -> Page:
    """The handout for the scenario's choices."""
    return Page(handout_html(guidance, "CD74", ["G2032R"], "crizotinib", today=TODAY))


@pytest.fixture(scope="module")
def other(guidance) -> Page:
    """A different case: GOPC asked for by its alias, two mutations (one in the seed's misspelling)."""
    return Page(handout_html(guidance, "fig", ["G2023R", "D2033N"], "Entrectinib", today=TODAY))


def test_two_choices_differ_where_they_should_and_agree_elsewhere(scenario: Page, other: Page, guidance) -> None:
    for shared in ("scenario", "first-line", "review"):
        assert scenario.section(shared) == other.section(shared)
    for specific in ("fusion", "resistance", "references"):
        assert scenario.section(specific) != other.section(specific)
    assert "CD74-ROS1" in scenario.section("fusion") and "GOPC-ROS1" in other.section("fusion")
    assert "FIG is another name for GOPC" in other.section("fusion")
    assert "After progression on crizotinib" in scenario.section("resistance")
    assert "After progression on entrectinib" in other.section("resistance")
    assert "D2033N" in other.section("resistance") and "D2033N" not in scenario.section("resistance")


def test_the_fusion_section_comes_from_the_content(scenario: Page, guidance) -> None:
    partner = guidance.partner("CD74")
    fusion = scenario.section("fusion")
    assert partner.frequency.cohort in fusion
    assert all(escape(note.text) in fusion for note in partner.notes)
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="Schematic of the CD74-ROS1', fusion)


def test_the_resistance_picture_leaves_out_the_therapy_progressed_on(scenario: Page, other: Page,
                                                                     guidance) -> None:
    rows = re.findall(r'<tr><th scope="row">([a-z-]+)</th><td><span class="ros1-badge ros1-[a-z]+">'
                      r'<span aria-hidden="true">(.)</span> ([A-Za-z ]+)</span>', scenario.section("resistance"))
    steps = guidance.next_steps(after="crizotinib", mutation="G2032R")
    # in words and symbols; on paper the therapies with no data are named in one line under the table
    assert rows == [(r.therapy, *ACTIVITY[r.activity]) for r in steps.rows if r.recorded]
    assert all(f"No data in the course's sources: {r.therapy}" in scenario.section("resistance")
               for r in steps.rows if not r.recorded)
    assert "crizotinib" not in [therapy for therapy, _, _ in rows]
    erratum = guidance.find("mutation", "G2023R").note
    assert escape(erratum) in other.section("resistance") and escape(erratum) not in scenario.section("resistance")
    assert "compound mutation" in other.section("resistance")


def test_every_source_cited_is_listed_once_under_references(scenario: Page, other: Page) -> None:
    for page in (scenario, other):
        listed = re.findall(r'<li id="ros1-ref-([a-z0-9-]+)">', page.section("references"))
        assert len(listed) == len(set(listed))
        body = "".join(page.section(name) for name in SECTIONS if name != "references")
        cited = set(re.findall(r'<a href="[^"]*" title="[^"]*" target="_blank" rel="noopener">([a-z0-9-]+)</a>',
                               body))
        assert cited and set(listed) == cited


def test_self_contained(scenario: Page, other: Page) -> None:
    for page, pictures in ((scenario, 1), (other, 2)):
        for tag, attrs in page.tags:
            assert tag not in ("script", "link", "iframe", "object", "embed", "base")
            for name, value in attrs.items():
                if tag == "a" and name == "href":
                    continue
                assert not re.match(r"\s*(https?:)?//", value or ""), f"<{tag} {name}={value}> makes a request"
        css = "".join(page.css)
        assert "@import" not in css and re.findall(r"url\(", css) == []
        images = [attrs for tag, attrs in page.tags if tag == "img"]
        assert len(images) == pictures  # the fusion schematic, and the activity grid for several mutations
        for attrs in images:
            assert (attrs.get("alt") or "").strip()
            assert base64.b64decode(attrs["src"].removeprefix("data:image/png;base64,"))[:8] == b"\x89PNG\r\n\x1a\n"


def test_prints_on_a4_with_the_disclaimer_top_and_bottom(scenario: Page, guidance) -> None:
    css = "".join(scenario.css)
    assert "@media print" in css and "@page { size: A4;" in css
    assert "break-inside: avoid" in css and not re.search(r"break-(before|after): *(page|always)", css)
    disclaimer = escape(guidance.page.disclaimer)
    assert scenario.html.count(disclaimer) == 2
    header, footer = scenario.html.index("<header"), scenario.html.index("<footer")
    assert header < scenario.html.index(disclaimer) < scenario.html.index('<section id="scenario">')
    assert scenario.html.rindex(disclaimer) > footer
    assert "27 November 2026" in scenario.html and guidance.knowledge.fingerprint in scenario.html
    assert "Last reviewed" in scenario.section("review")


def test_an_unknown_name_raises_before_anything_is_rendered(guidance) -> None:
    with pytest.raises(UnknownEntryError, match="no mutation 'X9999Z'"):
        handout_html(guidance, "CD74", ["G2032R", "X9999Z"], "crizotinib")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the ros1-course console script is installed with the project"
    return subprocess.run([SCRIPT, "handout", *args], capture_output=True, text=True, timeout=120)


def test_the_command_writes_the_scenario_by_default(tmp_path: Path) -> None:
    target = tmp_path / "handout.html"
    result = run("-o", str(target))
    assert result.returncode == 0, result.stderr
    page = Page(target.read_text(encoding="utf-8"))
    assert "CD74-ROS1" in page.section("fusion")
    assert "After progression on crizotinib" in page.section("resistance") and "G2032R" in page.section("resistance")
    assert [p.name for p in tmp_path.iterdir()] == ["handout.html"]  # no temporary file left behind


def test_an_unknown_mutation_exits_2_and_writes_nothing(tmp_path: Path, guidance) -> None:
    target = tmp_path / "handout.html"
    target.write_text("the previous handout", encoding="utf-8")
    result = run("--mutation", "G2023R", "--mutation", "X9999Z", "-o", str(target))
    assert result.returncode == 2
    with pytest.raises(UnknownEntryError) as error:
        guidance.mutation("X9999Z")
    assert result.stderr == f"ros1-course: {error.value}\n"
    assert target.read_text(encoding="utf-8") == "the previous handout"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.html"]


def test_an_unknown_partner_writes_no_file(tmp_path: Path) -> None:
    result = run("--partner", "NOPE1", "-o", str(tmp_path / "handout.html"))
    assert result.returncode == 2 and result.stderr.startswith("ros1-course: no partner 'NOPE1'")
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run("-o", str(tmp_path / "missing" / "handout.html"))
    assert result.returncode == 1
    assert result.stderr == (f"ros1-course: cannot write {tmp_path / 'missing' / 'handout.html'}: the directory "
                             f"{tmp_path / 'missing'} does not exist\n")
    assert list(tmp_path.iterdir()) == []


def test_side_effects_cover_the_drugs_of_the_case(scenario: Page, other: Page, guidance) -> None:
    for page, after, found in ((scenario, "crizotinib", ["G2032R"]), (other, "entrectinib", ["G2032R", "D2033N"])):
        shown = re.findall(r'<th scope="row">([a-z-]+)</th>', page.section("side-effects"))
        active = {row.therapy for name in found for row in guidance.next_steps(after=after, mutation=name).rows
                  if row.activity == "active"}
        wanted = [t.name for t in guidance.therapies if t.name in active | {after} and not t.investigational]
        assert shown == wanted and after in shown
        for name in shown:  # on paper, each drug's first (commonest) side-effect statement only
            first, *rest = guidance.therapy(name).side_effects
            assert escape(first.text) in page.section("side-effects")
            assert not any(escape(more.text) in page.section("side-effects") for more in rest)


def test_references_on_paper_are_short_and_still_say_what_is_unverified(scenario: Page, other: Page,
                                                                        guidance) -> None:
    for page in (scenario, other):
        references = page.section("references")
        items = re.findall(r'<li id="ros1-ref-([a-z0-9-]+)">(.*?)</li>', references, re.S)
        for source_id, item in items:
            source = guidance.source(source_id)
            assert escape(source.link) in item  # the link itself is kept, its text may be short
            assert ("Not verified by the course." in item) is (not source.verified)
    assert "Awad MM, et al. N Engl J Med." in scenario.section("references")


def test_a_brief_citation_keeps_the_first_author_and_the_journal() -> None:
    paper = "Awad MM, Katayama R, McTigue M, et al. Acquired resistance to crizotinib. N Engl J Med. 2013;368:2395."
    assert brief_citation("trial", paper) == "Awad MM, et al. N Engl J Med. 2013;368:2395."
    assert brief_citation("cohort", "Lin JJ, Shaw AT. Resistance. JCO Precis Oncol. 2017;1:1.") == \
        "Lin JJ, Shaw AT. JCO Precis Oncol. 2017;1:1."
    appraisal = "National Institute for Health and Care Excellence. Crizotinib for ROS1. Technology appraisal TA1021."
    assert brief_citation("guideline", appraisal) == "NICE. Crizotinib for ROS1. Technology appraisal TA1021."
    assert brief_citation("seed", "A page without the usual parts") == "A page without the usual parts"


def test_a_partner_other_than_the_cases_is_shown_as_a_what_if(scenario: Page, other: Page, guidance) -> None:
    case = guidance.case_partner.symbol
    assert "What if" not in scenario.html and "a what-if" not in scenario.html
    assert f"fusion to the {case} gene" in other.section("scenario"), "the case itself is quoted unchanged"
    choices = re.search(r'<p id="choices">(.*?)</p>', other.html, re.S)
    assert choices and escape(f"Fusion partner GOPC (a what-if: the case's fusion is {case}-ROS1)") in choices.group(1)
    assert (f"What if: the case&#39;s fusion is {case}-ROS1; this handout explores GOPC-ROS1 instead."
            in other.section("fusion"))
    assert "What if the fusion were GOPC-ROS1" in other.section("fusion")


def test_every_uk_status_on_paper_says_the_date_it_holds_for(scenario: Page, guidance) -> None:
    first_line = scenario.section("first-line")
    for option in guidance.option_rows(line="first"):
        day = option.checked
        assert day is not None and f"(as of {day.day} {day:%B %Y})" in first_line, option.therapy
