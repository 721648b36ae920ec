"""Review dates: which statements are overdue, and month arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from content import Guidance, load_guidance
from content.review import add_months


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 11, 26), 12, dt.date(2027, 11, 26)),
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
    (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_nothing_overdue_right_after_checking(guidance: Guidance) -> None:
    assert guidance.overdue(dt.date(2026, 11, 27)) == []


def test_everything_sourced_is_overdue_after_the_interval(guidance: Guidance) -> None:
    overdue = guidance.overdue(dt.date(2028, 1, 1))
    files = {item.file for item in overdue}
    assert {"facts.yaml", "activity.yaml", "therapies.yaml", "partners.yaml", "mutations.yaml"} <= files
    assert all(item.line and item.due < dt.date(2028, 1, 1) for item in overdue)


def test_one_old_statement_is_named_with_its_line(edit_content) -> None:
    directory = edit_content("facts.yaml", "  sources: [patil2018]\n  checked: 2026-11-27",
                             "  sources: [patil2018]\n  checked: 2024-01-10")
    overdue = load_guidance(directory).overdue(dt.date(2026, 11, 26))
    assert len(overdue) == 1
    item = overdue[0]
    assert item.file == "facts.yaml" and "brain-mets-patil" in item.field
    text = (directory / "facts.yaml").read_text().splitlines()
    assert "brain-mets-patil" in "\n".join(text[item.line - 1:item.line + 1])
    assert str(item).startswith(f"facts.yaml:{item.line}:")
