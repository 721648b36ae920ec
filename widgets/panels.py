"""Static panels for notebooks and the app: disclaimer, review status, references, a topic's facts and the
UK treatment options in one line. Each is an ipywidgets.HTML (readable from Python through `.value`) holding
one section rendered by `sections`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import get_args

import ipywidgets as w
from markupsafe import Markup

from content import Guidance, UnknownEntryError, load_guidance
from content.vocabulary import Topic

from . import sections
from .citations import Citations
from .style import ROOT_CLASS, text


def panel(html: Markup, name: str) -> w.HTML:
    """A section's HTML in a widget marked with the course's classes."""
    shown = text(str(html))
    shown.add_class(ROOT_CLASS)
    shown.add_class(f"ros1-{name}")
    return shown


def disclaimer(guidance: Guidance | None = None) -> w.HTML:
    """The course's disclaimer (education only, not for treatment decisions), in a box that stands out."""
    return panel(sections.disclaimer(Citations(guidance or load_guidance())), "disclaimer")


def review_status(guidance: Guidance | None = None, today: dt.date | None = None) -> w.HTML:
    """The seed page's review dates and how many of the course's statements are past their review date."""
    return panel(sections.review_status(Citations(guidance or load_guidance(), today)), "review-status")


def references(source_ids: Iterable[str], guidance: Guidance | None = None) -> w.HTML:
    """A numbered reference list of the named sources (full citation and link), each once."""
    return panel(Citations(guidance or load_guidance()).references(source_ids), "references")


def facts(topic: str, guidance: Guidance | None = None, today: dt.date | None = None) -> w.HTML:
    """The course's facts on one topic, each with its sources; 'reported' ones say so.

    Raises UnknownEntryError for a topic the content schema does not know.
    """
    topics = list(get_args(Topic))
    if topic not in topics:
        raise UnknownEntryError("topic", topic, [], topics)
    return panel(sections.topic_facts(Citations(guidance or load_guidance(), today), topic), "facts")


def options(line: str = "first", guidance: Guidance | None = None) -> w.HTML:
    """The licensed ROS1 therapies as options in one line of treatment in the UK ('first', or 'later': after
    a ROS1 inhibitor), each with its status in that line, funded ones first.

    Raises UnknownEntryError for a line of treatment the content does not know.
    """
    return panel(sections.options(Citations(guidance or load_guidance()), line), "options")
