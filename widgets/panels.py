"""Static panels for the lessons and the app: disclaimer, review status, references, a topic's facts and the
UK treatment options.

Each returns an ipywidgets.HTML (readable from Python through `.value`) built from the course's content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import get_args

import ipywidgets as w

from content import Guidance, UnknownEntryError, load_guidance
from content.guidance import SETTING_NAMES, uk_setting
from content.schema import Topic

from .markup import bullet_list, cite, esc, fact_html, long_date, note_box, options_table, reference_list
from .style import CSS, ROOT_CLASS


def _panel(html: str, name: str) -> w.HTML:
    panel = w.HTML(f"<style>{CSS}</style>{html}")
    panel.add_class(ROOT_CLASS)
    panel.add_class(f"ros1-{name}")
    return panel


def disclaimer_html(g: Guidance) -> str:
    """The disclaimer as an HTML box."""
    return note_box(f"<strong>Education only.</strong> {esc(g.page.disclaimer)}", "warning")


def disclaimer(guidance: Guidance | None = None) -> w.HTML:
    """The course's disclaimer (education only, not for treatment decisions), in a box that stands out."""
    return _panel(disclaimer_html(guidance or load_guidance()), "disclaimer")


def review_status(guidance: Guidance | None = None, today: dt.date | None = None) -> w.HTML:
    """When the seed page was last reviewed and is next due (and whether that is past), and how many of the
    course's statements are past their own review date."""
    return _panel(review_status_html(guidance or load_guidance(), today), "review-status")


def review_status_html(g: Guidance, today: dt.date | None = None) -> str:
    """The review status as an HTML box (see `review_status`)."""
    today = today or dt.date.today()
    page = g.page
    due = page.next_review_due
    state = "past due" if due < today else "not yet due"
    overdue, months = len(g.overdue(today)), page.review_every_months
    statements = (
        f"{overdue} of the course's statements {'is' if overdue == 1 else 'are'} past its review date "
        f"(each is checked every {months} months)."
        if overdue
        else f"Every statement in the course has been checked within the last {months} months."
    )
    html = (
        f"<p><strong>Seed page:</strong> {esc(page.title)} ({esc(page.publisher)}). "
        f"Last reviewed {long_date(page.last_reviewed)}; next review due {long_date(due)} "
        f"<strong>({state})</strong>.</p><p>{statements}</p>"
    )
    return note_box(html, "warning" if due < today or overdue else "note")


def references(source_ids: Iterable[str], guidance: Guidance | None = None) -> w.HTML:
    """A numbered reference list of the named sources (full citation and link), each once."""
    g = guidance or load_guidance()
    return _panel(reference_list(g, source_ids), "references")


def facts(topic: str, guidance: Guidance | None = None, today: dt.date | None = None) -> w.HTML:
    """The course's facts on one topic, each with its sources; 'reported' ones say so.

    Raises UnknownEntryError for a topic the content schema does not know.
    """
    topics = list(get_args(Topic))
    if topic not in topics:
        raise UnknownEntryError("topic", topic, [], topics)
    g = guidance or load_guidance()
    items = [fact_html(g, fact, today) for fact in g.facts(topic)]
    html = bullet_list(items) if items else note_box(f"The course has no facts on the topic {esc(topic)}.",
                                                     "message")
    return _panel(html, "facts")


def options(line: str = "first", guidance: Guidance | None = None) -> w.HTML:
    """The licensed ROS1 therapies as options in one line of treatment in the UK ('first', or 'later': after a
    ROS1 inhibitor), each with its status in that line, funded ones first: an accessible table of therapy,
    funded (in words), UK status, the reason and its sources.

    Raises UnknownEntryError for a line of treatment the content does not know.
    """
    g = guidance or load_guidance()
    caption = f"Options in the UK, {SETTING_NAMES[uk_setting(line)]}: funded ones first"
    rows = g.option_rows(line=line, setting="UK")
    return _panel(options_table(rows, caption, lambda ids: cite(g, ids)), "options")
