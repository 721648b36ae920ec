"""The lesson page's report of the learner's activity: a hidden text control that the page's script
(`ros1-activity.js` in the course's Voila template) fills with what it measured, for the learning record.

The script counts active seconds (the page shown and focused, with the learner reading or acting within the
last `idle` seconds: a pointer move, a key, a scroll) and the sections (headings of the lesson's text) that
were on screen while active, and every `every` seconds writes its report here as JSON. Nothing is measured
without the script (a lesson in JupyterLab), so nothing is claimed there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import ipywidgets as w

SIGNAL_CLASS = "ros1-activity-signal"
MAX_REPORT_SECONDS = 600  # a report covers at most `every` seconds; anything far beyond is not a real report
MAX_HEADINGS = 60
MAX_HEADING_CHARS = 200


class ActivityRecorder(Protocol):
    """Where a lesson page's activity is kept (the learning record)."""

    def note_activity(self, lesson: int, seconds: int, sections: Sequence[str], seen: Sequence[str]) -> list[str]:
        """Add the active seconds since the page's last report, its sections and those seen; return messages
        for the learner (e.g. it could not be saved)."""
        ...


@dataclass(frozen=True)
class PageReport:
    """One report of the page: its number in the page's sequence, the active seconds since the last one, the
    page's sections and those seen so far."""

    sequence: int
    seconds: int
    sections: tuple[str, ...]
    seen: tuple[str, ...]


def _headings(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or len(value) > MAX_HEADINGS:
        return None
    if not all(isinstance(item, str) and 0 < len(item) <= MAX_HEADING_CHARS for item in value):
        return None
    return tuple(value)


def page_report(text: str) -> PageReport | None:
    """The report in the page's text, or None when it is not one (anything the page's script would not send)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"sequence", "seconds", "sections", "seen"}:
        return None
    sequence, seconds = data["sequence"], data["seconds"]
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in (sequence, seconds)):
        return None
    sections, seen = _headings(data["sections"]), _headings(data["seen"])
    if sections is None or seen is None or seconds > MAX_REPORT_SECONDS:
        return None
    return PageReport(sequence, seconds, sections, tuple(s for s in seen if s in sections))


class ActivitySignal(w.Text):
    """Hidden: takes the page's reports for lesson `lesson` and hands each new one to `record`. `idle` and
    `every` (seconds) are the script's settings, passed in the control's placeholder. `notes` holds the
    record's messages about the last report."""

    def __init__(self, lesson: int, record: ActivityRecorder, idle: int = 60, every: int = 15) -> None:
        super().__init__(value="", placeholder=json.dumps({"idle": idle, "every": every}),
                         continuous_update=True, layout=w.Layout(display="none"))
        self.add_class(SIGNAL_CLASS)
        self.lesson = lesson
        self.record = record
        self.last_sequence = -1
        self.notes: list[str] = []
        self.observe(self._reported, "value")

    def __repr__(self) -> str:
        return f"ActivitySignal(lesson={self.lesson})"

    def _reported(self, change: dict[str, Any]) -> None:
        report = page_report(change["new"])
        if report is None or report.sequence <= self.last_sequence:
            return
        self.last_sequence = report.sequence
        self.notes = self.record.note_activity(self.lesson, report.seconds, report.sections, report.seen)
