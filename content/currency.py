"""Which statements may have changed: every time-sensitive statement (regulatory, funding, guideline, trial
status) with its date, and every expected event whose date has passed. `today` is always passed in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .knowledge import Knowledge
from .review import place
from .walk import file_records

# Days after an expected date when `check` stops warning and fails: time enough to re-check and update.
GRACE_DAYS = 30


@dataclass(frozen=True)
class TimeSensitive:
    """A time-sensitive statement: where it is, what can change it, what it says, its sources, when it was
    checked, and the events it expects. `changes_by` is when it could first have changed: its earliest
    expected event, else its check date (it could have changed any day since), else None (never checked)."""

    file: str
    field: str
    line: int | None
    kind: str
    text: str
    sources: tuple[str, ...]
    checked: dt.date | None
    events: tuple[Any, ...]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    @property
    def changes_by(self) -> dt.date | None:
        dates = [event.expected for event in self.events]
        return min(dates) if dates else self.checked


@dataclass(frozen=True)
class PassedEvent:
    """An expected event whose date has passed by `days_past` days; `failing` once the grace period is over."""

    statement: TimeSensitive
    event: Any
    days_past: int

    @property
    def failing(self) -> bool:
        return self.days_past >= GRACE_DAYS

    def __str__(self) -> str:
        s = self.statement
        return (f"{s.where}: {s.field}: expected {self.event.what} ({self.event.by}) by {self.event.expected}, "
                f"{self.days_past} day(s) ago; re-check \"{shortened(s.text)}\" "
                f"[{', '.join(self.event.sources)}] and update it")


def time_sensitive_statements(knowledge: Knowledge) -> list[TimeSensitive]:
    """Every statement marked `changes_with`, ordered by when it could first have changed (never checked
    first, then the longest ago, then the soonest to come)."""
    found = []
    for file, location, record in file_records(knowledge):
        kind = getattr(record, "changes_with", None)
        if kind is None:
            continue
        field, line = place(knowledge, file, location)
        found.append(TimeSensitive(file, field, line, kind, str(getattr(record, "text", "")),
                                   tuple(record.sources), record.checked, tuple(record.expects)))
    return sorted(found, key=lambda s: (s.changes_by is not None, s.changes_by or dt.date.min, s.where))


def passed_events(knowledge: Knowledge, today: dt.date) -> list[PassedEvent]:
    """Every expected event dated before `today`, longest past first."""
    passed = [PassedEvent(statement, event, (today - event.expected).days)
              for statement in time_sensitive_statements(knowledge) for event in statement.events
              if event.expected < today]
    return sorted(passed, key=lambda p: -p.days_past)


def pending_events(knowledge: Knowledge, today: dt.date) -> list[tuple[TimeSensitive, Any]]:
    """Every expected event dated today or later, soonest first."""
    pending = [(statement, event) for statement in time_sensitive_statements(knowledge)
               for event in statement.events if event.expected >= today]
    return sorted(pending, key=lambda pair: pair[1].expected)


def shortened(text: str, limit: int = 90) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
