"""The lessons' panels: disclaimer, review status, references and facts."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from content import UnknownEntryError
from widgets import disclaimer, facts, options, references, review_status
from widgets.words import UK_STATUS, percent


def test_disclaimer_shows_the_contents_disclaimer(guidance, shown):
    assert guidance.page.disclaimer in shown(disclaimer())


def test_review_status_says_when_the_seed_page_is_past_due(guidance, shown):
    due = guidance.page.next_review_due
    after = shown(review_status(today=due + dt.timedelta(days=1)))
    before = shown(review_status(today=due - dt.timedelta(days=1)))
    assert guidance.page.title in after
    assert f"{guidance.page.last_reviewed.day} {guidance.page.last_reviewed:%B %Y}" in after
    assert "(past due)" in after and "(not yet due)" in before


def test_review_status_counts_statements_past_their_review_date(guidance, shown):
    far = dt.date(2100, 1, 1)
    count = len(guidance.overdue(far))
    assert count > 0
    assert f"{count} of the course's statements are past" in shown(review_status(today=far))


def test_references_list_each_source_once_with_its_link(guidance, shown):
    panel = references(["awad2013", "he2019", "awad2013"])
    text = shown(panel)
    for source_id in ("awad2013", "he2019"):
        source = guidance.source(source_id)
        assert source.citation in text and source.link in panel.value
    assert text.count(guidance.source("awad2013").citation) == 1


def test_an_unknown_source_is_an_error(guidance):
    with pytest.raises(UnknownEntryError):
        references(["no-such-source"])


def test_facts_of_a_topic_with_sources_and_reported_marked(guidance, shown):
    topic = next(f.topic for f in guidance.facts() if f.confidence == "reported")
    text = shown(facts(topic))
    for fact in guidance.facts(topic):
        assert fact.text in text
        assert all(source_id in text for source_id in fact.sources)
    assert "(reported)" in text


def test_facts_past_their_review_date_are_flagged(guidance, shown):
    assert "Past its review date" not in shown(facts("trials", today=guidance.facts("trials")[0].checked))
    assert "Past its review date" in shown(facts("trials", today=dt.date(2100, 1, 1)))


def test_an_unknown_topic_is_an_error():
    with pytest.raises(UnknownEntryError, match="no topic 'trails'"):
        facts("trails")


def test_percent_keeps_one_decimal_and_more_where_given():
    assert (percent(17.0), percent(49.1), percent(2.35)) == ("17.0%", "49.1%", "2.35%")


def test_options_list_every_first_line_option_with_funding_status_and_sources(guidance, table_rows, dated):
    panel = options()
    rows = table_rows(panel.value)
    expected = guidance.option_rows(line="first", setting="UK")
    assert list(rows) == [o.therapy for o in expected]
    for option in expected:
        funded, status, why, sources = rows[option.therapy]
        words = UK_STATUS[option.status] + (f" (NICE {option.nice})" if option.nice else "")
        assert (funded, status, why) == ("Yes" if option.funded else "No", dated(words, option.checked), option.reason)
        assert re.findall(r"[a-z0-9-]+", sources) == list(option.sources)
        assert all(f'href="{guidance.source(s).link}"' in panel.value for s in option.sources)
    assert "<caption>Options in the UK, first line (no ROS1 inhibitor before)" in panel.value
    assert "ros1-options" in panel._dom_classes


def test_options_of_a_later_line_say_funded_as_the_content_does_for_that_line(guidance, table_rows):
    panel = options(line="later").value
    later = table_rows(panel)
    assert {t: cells[0] for t, cells in later.items()} == {
        o.therapy: "Yes" if o.funded else "No" for o in guidance.option_rows(line="later", setting="UK")}
    assert later["entrectinib"][0] == "No", "entrectinib (NICE TA643) is not funded after a ROS1 inhibitor"
    assert "after progression on a ROS1 inhibitor" in panel


def test_options_of_an_unknown_line_is_an_error():
    with pytest.raises(UnknownEntryError, match="no line of treatment 'second'"):
        options(line="second")
