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


def duration(seconds: int | None) -> str:
    """Active time in words, to the minute: None -> 'not recorded', 40 -> 'under a minute', 3900 -> '1 h 5 min'."""
    if seconds is None:
        return "not recorded"
    hours, minutes = divmod(round(seconds / 60), 60)
    if not hours and not minutes:
        return "under a minute" if seconds else "none"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def utc_time(when: str | None) -> str:
    """An ISO 8601 UTC time as 'YYYY-MM-DD HH:MM:SS' ('' for none)."""
    return when.replace("T", " ").removesuffix("Z") if when else ""


def plural(count: int, noun: str) -> str:
    """'1 attempt', '2 attempts'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


BODIES = {"National Institute for Health and Care Excellence": "NICE", "U.S. Food and Drug Administration": "FDA",
          "European Medicines Agency": "EMA"}
PAPER_KINDS = frozenset({"trial", "cohort", "case-report", "preclinical", "review", "regulatory"})


def link_site(link: str) -> str:
    """A web address shortened for a printed page to its site: 'https://www.drugs.com/monograph/x.html' ->
    'drugs.com'."""
    host = link.split("://", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")


def brief_citation(kind: str, citation: str) -> str:
    """A citation for a printed page: a paper's without its title and with its first author only ('Awad MM, et
    al. N Engl J Med. 2013;368(25):2395-2401.'), and public bodies by their short names (NICE, FDA, EMA).
    Citations not written as 'Authors. Title. Journal. Details' keep their title."""
    for body, short in BODIES.items():
        citation = citation.replace(body, short)
    parts = citation.split(". ")
    if kind not in PAPER_KINDS or len(parts) < 4:
        return citation
    authors = parts[0].split(", ")
    first = authors[0] if len(authors) > 2 else parts[0]
    return ". ".join([f"{first}, et al" if len(authors) > 2 else first, *parts[2:]])
