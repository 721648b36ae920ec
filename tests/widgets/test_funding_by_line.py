"""Funding depends on the line of treatment: every view that shows a UK status shows the record for its own
setting, over every therapy x mutation x progressed-on choice. After progression on a ROS1 inhibitor no view
may show a first-line status (entrectinib, NICE TA643, is funded only before any ROS1 inhibitor)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from content import load_guidance
from content.guidance import AFTER_ROS1_INHIBITOR, FIRST_LINE, SETTING_NAMES
from ros1_course.documents import handout_html
from ros1_course.lesson import Lesson
from widgets import CaseStepper, ResistanceExplorer, options
from widgets.words import UK_STATUS

GUIDANCE = load_guidance()
THERAPIES = [t.name for t in GUIDANCE.therapies]
MUTATIONS = [m.name for m in GUIDANCE.mutations]
CASE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
progressed_on = st.sampled_from([*THERAPIES, None])
mutations_found = st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3, unique=True)


def tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, re.S)


def assert_status_in_setting(html: str, setting: str | None, table_rows, once: bool = False) -> None:
    """Every table in `html` shows, for each therapy, the UK status recorded for `setting` with its conditions,
    under a heading that names the setting (`once`, as on the printed handout: the statuses stand in one table
    of their own, and the other tables show none); with no setting, no table shows a UK status at all."""
    found = tables(html)
    assert found, "the view shows no table"
    with_status = [table for table in found if '<th scope="col">UK status' in table]
    if once and setting is not None:
        assert len(with_status) == 1, f"{len(with_status)} tables show the UK status, once wanted"
        assert not any(word in table for table in found if table not in with_status for word in UK_STATUS.values())
        found = with_status
    for table in found:
        headings = re.findall(r'<th scope="col">(.*?)</th>', table)
        uk_columns = [i for i, heading in enumerate(headings) if heading.startswith("UK status")]
        if setting is None:
            assert not uk_columns, f"a UK status is shown without a line of treatment: {headings}"
            assert not any(word in table for word in UK_STATUS.values())
            continue
        assert headings[uk_columns[0]] == f"UK status {SETTING_NAMES[setting]}"
        for therapy, cells in table_rows(table).items():
            record = GUIDANCE.uk_status(therapy, setting)
            shown = cells[uk_columns[0] - 1]
            assert shown.startswith(UK_STATUS[record.status]), (therapy, setting, shown)
            assert not record.nice or f"(NICE {record.nice})" in shown, (therapy, shown)
            assert record.text in "".join(cells), (therapy, setting, cells)
            if therapy == "entrectinib" and setting == AFTER_ROS1_INHIBITOR:
                assert UK_STATUS["routine"] not in shown


@CASE
@given(after=progressed_on, found=mutations_found)
def test_resistance_explorer(table_rows, after, found) -> None:
    explorer = ResistanceExplorer(guidance=GUIDANCE, mutations=found, progressed_on=after)
    assert_status_in_setting(explorer.table.value, AFTER_ROS1_INHIBITOR if after else None, table_rows)


@CASE
@given(after=progressed_on, found=mutations_found)
def test_handout(table_rows, after, found) -> None:
    html = handout_html(GUIDANCE, "CD74", found, after)
    section = re.search(r'<section id="resistance">(.*?)</section>', html, re.S).group(1)
    assert_status_in_setting(section, AFTER_ROS1_INHIBITOR if after else None, table_rows, once=True)
    first_line = re.search(r'<section id="first-line">(.*?)</section>', html, re.S).group(1)
    unconfirmed = re.search(r'<p class="ros1-unconfirmed">(.*?)</p>', first_line, re.S)
    for option in GUIDANCE.option_rows(line=FIRST_LINE):
        if option.status == "not confirmed":  # on paper: named, dated and cited in one line under the table
            assert unconfirmed and f"{option.therapy} <span class=\"ros1-asof\">" in unconfirmed.group(1)
        else:
            assert str(escape(option.reason)) in first_line


@CASE
@given(after=st.sampled_from(THERAPIES), found=st.sampled_from(MUTATIONS))
def test_lesson_next_steps(table_rows, after, found) -> None:
    panel = Lesson(5, GUIDANCE).next_steps(after, found)
    assert_status_in_setting(panel.data, AFTER_ROS1_INHIBITOR, table_rows)


def test_case_stepper_shows_first_line_status_at_the_choice_and_after_status_at_the_end(table_rows, shown):
    stepper = CaseStepper(guidance=GUIDANCE)
    for therapy in stepper.therapy_choice.options:
        for mutation in stepper.mutation_choice.options:
            stepper.therapy_choice.value, stepper.mutation_choice.value = therapy, mutation
            stepper.go(next(i for i, s in enumerate(stepper.steps) if s.choice and s.choice.kind == "therapy"))
            first = GUIDANCE.uk_status(therapy, FIRST_LINE)
            detail = shown(stepper)
            assert f"{therapy} in the UK, {SETTING_NAMES[FIRST_LINE]}: {UK_STATUS[first.status]}" in detail
            stepper.go(len(stepper.steps) - 1)
            assert_status_in_setting(stepper.outcome.value, AFTER_ROS1_INHIBITOR, table_rows)


def test_options_panel_in_each_line_shows_that_lines_record(table_rows, dated) -> None:
    for line, setting in (("first", FIRST_LINE), ("later", AFTER_ROS1_INHIBITOR)):
        rows = table_rows(options(line, GUIDANCE).value)
        for therapy, (funded, status, why, _sources) in rows.items():
            record = GUIDANCE.uk_status(therapy, setting)
            assert (funded == "Yes", status.startswith(UK_STATUS[record.status]), why) == (
                record.funded, True, record.text)
            assert status.endswith(dated("", record.checked)), "each status with the date it holds for"


def test_entrectinib_after_crizotinib_is_never_shown_as_funded(table_rows, shown) -> None:
    explorer = ResistanceExplorer(guidance=GUIDANCE, mutations=MUTATIONS, progressed_on="crizotinib")
    for table in tables(explorer.table.value):
        assert not table_rows(table)["entrectinib"][2].startswith(UK_STATUS["routine"])
    handout = handout_html(GUIDANCE, "CD74", ["G2032R"], "crizotinib")
    resistance = re.search(r'<section id="resistance">(.*?)</section>', handout, re.S).group(1)
    assert not table_rows(resistance)["entrectinib"][2].startswith(UK_STATUS["routine"])
    question = next(q for q in GUIDANCE.questions() if q.id == "funded-after-inhibitor")
    assert "entrectinib" not in question.answer
