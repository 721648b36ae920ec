"""Which clinical statements are past their review date."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

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
