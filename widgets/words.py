"""The words and symbols the course shows for the content's codes (activity, evidence, UK status), and the
formats of its numbers and dates. Presentation only: every clinical value comes from the content."""

from __future__ import annotations

import datetime as dt

# Activity in words and a symbol, so that nothing depends on colour alone.
ACTIVITY = {
    "active": ("✓", "Active"),
    "reduced": ("◐", "Reduced"),
    "resistant": ("✗", "Resistant"),
    "unknown": ("?", "No data"),
}
EVIDENCE = {"clinical": "Clinical", "preclinical": "Preclinical", "predicted": "Predicted", "none": "None"}
# A UK status in words; the setting it holds in is always shown beside it.
UK_STATUS = {
    "routine": "Funded for routine use",
    "not covered": "Not funded in this line",
    "not recommended": "Not recommended by NICE",
    "not appraised": "Not appraised by NICE",
    "not licensed": "Not licensed",
    "not confirmed": "Not confirmed",
}


def percent(value: float) -> str:
    """A percentage with one decimal (17.0%), or more decimals where the content has them."""
    shown = f"{value:.1f}"
    return f"{shown if float(shown) == value else f'{value:g}'}%"


def long_date(day: dt.date) -> str:
    """'4 May 2022'."""
    return f"{day.day} {day:%B %Y}"


def plural(count: int, noun: str) -> str:
    """'1 attempt', '2 attempts'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
