"""Which clinical statements are past their review date."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .knowledge import Knowledge
from .vocabulary import WEAK_KINDS, SourceLink
from .walk import Location, file_records


@dataclass(frozen=True)
class Overdue:
    """A statement due for a fresh check: where it is, when it was checked and when it fell due."""

    file: str
    field: str
    line: int | None
    checked: dt.date
    due: dt.date

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: checked {self.checked}, review was due {self.due}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class WeakStatement:
    """A statement that rests only on sources the course has not verified, or only on news or manufacturer
    pages: where it is and which sources."""

    file: str
    field: str
    line: int | None
    sources: tuple[str, ...]
    why: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.why} ({', '.join(self.sources)})"


def weak_statements(knowledge: Knowledge) -> list[WeakStatement]:
    """Every statement resting only on unverified sources, or only on news or manufacturer pages."""
    sources = {source.id: source for source in knowledge.sources}
    found = []
    for file, location, record in file_records(knowledge):
        cited = tuple(getattr(record, "sources", None) or ())
        if isinstance(record, SourceLink) or not cited:
            continue
        if not any(sources[i].verified for i in cited):
            why = "rests only on unverified sources"
        elif all(sources[i].kind in WEAK_KINDS for i in cited):
            why = "rests only on news or manufacturer pages"
        else:
            continue
        found.append(WeakStatement(file, *place(knowledge, file, location), cited, why))
    return found


def overdue_statements(knowledge: Knowledge, today: dt.date) -> list[Overdue]:
    """Every sourced statement whose `checked` date is more than the review interval before `today`."""
    months = knowledge.page.review_every_months
    found = []
    for file, location, record in file_records(knowledge):
        checked = getattr(record, "checked", None)
        if not isinstance(checked, dt.date) or not getattr(record, "sources", None):
            continue
        due = add_months(checked, months)
        if due < today:
            found.append(Overdue(file, *place(knowledge, file, location), checked, due))
    return found


def place(knowledge: Knowledge, file: str, location: Location) -> tuple[str, int | None]:
    """A record's field name and line in its file; from a snapshot (no file lines kept), its dotted place."""
    document = knowledge.lines.get(file)
    if document is None:
        return ".".join(map(str, location)), None
    return document.field_name(location), document.line_of(location)
