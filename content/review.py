"""Which clinical statements are past their review date."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from . import schema
from .crossrefs import file_records
from .knowledge import Knowledge
from .yamlfile import field_name


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
        if isinstance(record, schema.Source) or not cited:
            continue
        if not any(sources[i].verified for i in cited):
            why = "rests only on unverified sources"
        elif all(sources[i].kind in schema.WEAK_KINDS for i in cited):
            why = "rests only on news or manufacturer pages"
        else:
            continue
        document = knowledge.lines[file]
        found.append(WeakStatement(file, field_name(document, location), document.line_of(location), cited, why))
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
            document = knowledge.lines[file]
            found.append(Overdue(file, field_name(document, location), document.line_of(location), checked, due))
    return found
