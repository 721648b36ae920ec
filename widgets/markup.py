"""HTML fragments the widgets share: citations, statements, activity badges and tables.

Pure functions from guidance records to HTML strings. The words and symbols here are presentation; every
clinical statement, number and name comes from the records passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from html import escape

from content import Guidance
from content.guidance import SETTING_NAMES, ActivityRow, OptionRow
from content.schema import Fact, UkStatus

# Activity in words and a symbol, so that nothing depends on colour alone.
ACTIVITY = {
    "active": ("✓", "Active"),
    "reduced": ("◐", "Reduced"),
    "resistant": ("✗", "Resistant"),
    "unknown": ("?", "No data"),
}
EVIDENCE = {"clinical": "Clinical", "preclinical": "Preclinical", "predicted": "Predicted", "none": "None"}
# A UK status in words; the setting it holds in is always shown beside it (`SETTING_NAMES`).
UK_STATUS = {
    "routine": "Funded for routine use",
    "not covered": "Not funded in this line",
    "not recommended": "Not recommended by NICE",
    "not appraised": "Not appraised by NICE",
    "not licensed": "Not licensed",
    "not confirmed": "Not confirmed",
}


def esc(text: object) -> str:
    """Text made safe to put in HTML."""
    return escape(str(text), quote=True)


def percent(value: float) -> str:
    """A percentage with one decimal (17.0%), or more decimals where the content has them."""
    shown = f"{value:.1f}"
    return f"{shown if float(shown) == value else f'{value:g}'}%"


def cite(guidance: Guidance, source_ids: Iterable[str]) -> str:
    """Bracketed links to the sources, each titled with its full citation."""
    links = [
        f'<a href="{esc(s.link)}" title="{esc(s.citation)}" target="_blank" rel="noopener">{esc(s.id)}</a>'
        for s in guidance.sources_of(source_ids)
    ]
    return f'<span class="ros1-cite">[{", ".join(links)}]</span>' if links else ""


def review_flag(guidance: Guidance, checked: dt.date | None, today: dt.date | None = None) -> str:
    """A visible warning when a statement is past its review date, else nothing."""
    if checked is None or not guidance.past_review(checked, today):
        return ""
    return f' <span class="ros1-flag">⚠ Past its review date (last checked {checked.isoformat()})</span>'


def statement(guidance: Guidance, text: str, sources: Iterable[str], checked: dt.date | None,
              today: dt.date | None = None) -> str:
    """A sourced statement: its text, its citations and, if due, a review warning."""
    return f"{esc(text)} {cite(guidance, sources)}{review_flag(guidance, checked, today)}"


def long_date(day: dt.date) -> str:
    """'4 May 2022'."""
    return f"{day.day} {day:%B %Y}"


def fact_html(guidance: Guidance, fact: Fact, today: dt.date | None = None) -> str:
    """A fact with its sources; a 'reported' fact says so."""
    reported = ' <em class="ros1-reported">(reported)</em>' if fact.confidence == "reported" else ""
    return statement(guidance, fact.text, fact.sources, fact.checked, today) + reported


def bullet_list(items: Sequence[str]) -> str:
    """An HTML list of already-rendered items."""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def note_box(text: str, kind: str = "note") -> str:
    """A bordered box that stands out (kind: 'note', 'message' or 'warning'), announced to screen readers."""
    role = "status" if kind == "message" else "note"
    return f'<div class="ros1-box ros1-{kind}" role="{role}">{text}</div>'


def activity_badge(level: str) -> str:
    """The activity as symbol and word, e.g. '✓ Active'."""
    symbol, word = ACTIVITY[level]
    return f'<span class="ros1-badge ros1-{level}"><span aria-hidden="true">{symbol}</span> {word}</span>'


def uk_status_html(guidance: Guidance, uk: UkStatus) -> str:
    """A UK status in words with its NICE reference, its conditions and their sources; the setting it holds
    in is named by the table or sentence around it."""
    nice = f" (NICE {esc(uk.nice)})" if uk.nice else ""
    return (f"<strong>{UK_STATUS[uk.status]}</strong>{nice}. "
            f"{statement(guidance, uk.text, uk.sources, uk.checked)}")


def activity_table(guidance: Guidance, rows: Sequence[ActivityRow], caption: str) -> str:
    """Rows of therapy activity as an accessible table: activity, evidence, reason, sources, and the UK status
    in the setting the rows were asked for (no UK column when they carry none: it depends on the line)."""
    settings = {row.uk.setting for row in rows if row.uk}
    if len(settings) > 1:
        raise ValueError(f"one table shows UK status in one setting, not {sorted(settings)}")
    uk_heading = [f"UK status {SETTING_NAMES[next(iter(settings))]}"] if settings else []
    head = "".join(
        f'<th scope="col">{esc(name)}</th>'
        for name in ("Therapy", "Activity", "Evidence", *uk_heading, "Why", "Sources")
    )
    body = "".join(
        "<tr>"
        f'<th scope="row">{esc(row.therapy)}</th>'
        f"<td>{activity_badge(row.activity)}</td>"
        f"<td>{EVIDENCE[row.evidence]}</td>"
        + (f"<td>{uk_status_html(guidance, row.uk)}</td>" if row.uk else "")
        + f"<td>{esc(row.reason)}{review_flag(guidance, row.checked)}</td>"
        f"<td>{cite(guidance, row.sources) or 'None'}</td>"
        "</tr>"
        for row in rows
    )
    return (
        f'<table class="ros1-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def options_table(rows: Sequence[OptionRow], caption: str, cite_sources: Callable[[Iterable[str]], str]) -> str:
    """Therapies as options in one line of treatment: therapy, funded (in words), UK status with its NICE
    reference, why, sources."""
    body = "".join(
        f'<tr><th scope="row">{esc(row.therapy)}</th><td>{"Yes" if row.funded else "No"}</td>'
        f"<td>{UK_STATUS[row.status]}{f' (NICE {esc(row.nice)})' if row.nice else ''}</td>"
        f"<td>{esc(row.reason)}</td><td>{cite_sources(row.sources) or 'None'}</td></tr>"
        for row in rows
    )
    head = "".join(f'<th scope="col">{name}</th>' for name in ("Therapy", "Funded", "UK status", "Why", "Sources"))
    return (f'<table class="ros1-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


class Citations:
    """Renders sourced text and remembers every source cited, in order, for a reference list (a lesson's,
    a handout's)."""

    def __init__(self, guidance: Guidance, today: dt.date | None = None) -> None:
        self.guidance = guidance
        self.today = today
        self.cited: list[str] = []

    def cite(self, sources: Iterable[str]) -> str:
        """Bracketed links to the sources, remembered."""
        sources = list(sources)
        self.cited += sources
        return cite(self.guidance, sources)

    def statement(self, text: str, sources: Iterable[str], checked: dt.date | None = None) -> str:
        """A sourced statement, its sources remembered."""
        sources = list(sources)
        self.cited += sources
        return statement(self.guidance, text, sources, checked, self.today)

    def fact(self, fact: Fact) -> str:
        """A fact with its sources ('reported' ones say so), remembered."""
        self.cited += fact.sources
        return fact_html(self.guidance, fact, self.today)

    def references_html(self) -> str:
        """Every source cited so far, numbered, each once."""
        return reference_list(self.guidance, self.cited)


def reference_list(guidance: Guidance, source_ids: Iterable[str]) -> str:
    """A numbered list of full citations with links, each once, in the order first named."""
    items = "".join(
        f'<li id="ros1-ref-{esc(s.id)}"><span class="ros1-ref-id">{esc(s.id)}</span>: {esc(s.citation)} '
        f'<a href="{esc(s.link)}" target="_blank" rel="noopener">{esc(s.link)}</a></li>'
        for s in guidance.sources_of(source_ids)
    )
    return f'<ol class="ros1-references">{items}</ol>' if items else ""
