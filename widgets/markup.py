"""HTML fragments the widgets share: citations, statements, activity badges and tables.

Pure functions from guidance records to HTML strings. The words and symbols here are presentation; every
clinical statement, number and name comes from the records passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape

from content import Guidance
from content.guidance import ActivityRow

# Activity in words and a symbol, so that nothing depends on colour alone.
ACTIVITY = {
    "active": ("✓", "Active"),
    "reduced": ("◐", "Reduced"),
    "resistant": ("✗", "Resistant"),
    "unknown": ("?", "No data"),
}
EVIDENCE = {"clinical": "Clinical", "preclinical": "Preclinical", "predicted": "Predicted", "none": "None"}


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


def activity_table(guidance: Guidance, rows: Sequence[ActivityRow], caption: str) -> str:
    """Rows of therapy activity as an accessible table: activity, evidence, UK status, reason, sources."""
    head = "".join(
        f'<th scope="col">{name}</th>'
        for name in ("Therapy", "Activity", "Evidence", "UK status", "Why", "Sources")
    )
    body = "".join(
        "<tr>"
        f'<th scope="row">{esc(row.therapy)}</th>'
        f"<td>{activity_badge(row.activity)}</td>"
        f"<td>{EVIDENCE[row.evidence]}</td>"
        f"<td>{esc(row.uk_status)}</td>"
        f"<td>{esc(row.reason)}{review_flag(guidance, row.checked)}</td>"
        f"<td>{cite(guidance, row.sources) or 'None'}</td>"
        "</tr>"
        for row in rows
    )
    return (
        f'<table class="ros1-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def reference_list(guidance: Guidance, source_ids: Iterable[str]) -> str:
    """A numbered list of full citations with links, each once, in the order first named."""
    items = "".join(
        f'<li id="ros1-ref-{esc(s.id)}"><span class="ros1-ref-id">{esc(s.id)}</span>: {esc(s.citation)} '
        f'<a href="{esc(s.link)}" target="_blank" rel="noopener">{esc(s.link)}</a></li>'
        for s in guidance.sources_of(source_ids)
    )
    return f'<ol class="ros1-references">{items}</ol>' if items else ""
