"""Sourced text: a statement with its citations and, when due, its review warning; every source cited is
remembered, in order, for a reference list (a lesson's, a handout's, a panel's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from markupsafe import Markup

from content import Guidance

from .render import render
from .words import long_date

if TYPE_CHECKING:
    from content.schema import Fact

UNCHECKED = ' <span class="ros1-flag">⚠ Unchecked: the course has not verified its sources</span>'


class Sourced(Protocol):
    """Any content record that says something, with its sources and the date it was checked."""

    @property
    def text(self) -> str: ...

    @property
    def sources(self) -> list[str]: ...

    @property
    def checked(self) -> dt.date | None: ...


class Citations:
    """Renders sourced text for one page or section and remembers every source it cited."""

    def __init__(self, guidance: Guidance, today: dt.date | None = None) -> None:
        self.guidance = guidance
        self.today = today
        self.cited: list[str] = []

    def cite(self, source_ids: Iterable[str]) -> Markup:
        """Bracketed links to the sources, each titled with its full citation; remembered."""
        ids = list(source_ids)
        self.cited += ids
        return render("cite.html.j2", sources=self.guidance.sources_of(ids))

    def flag(self, checked: dt.date | None, source_ids: Iterable[str] = ()) -> Markup:
        """A visible warning when a sourced statement is unchecked (none of its sources verified) or past its
        review date, else nothing."""
        if checked is None:
            return Markup(UNCHECKED) if list(source_ids) else Markup("")
        if not self.guidance.past_review(checked, self.today):
            return Markup("")
        return Markup(' <span class="ros1-flag">⚠ Past its review date (last checked {})</span>').format(
            checked.isoformat())

    def as_of(self, checked: dt.date | None) -> Markup:
        """The date a time-sensitive statement holds for ("as of 5 December 2026"), so nobody reads an old
        status as today's; a statement never checked says so."""
        if checked is None:
            return Markup(' <span class="ros1-asof">(date not confirmed: never checked)</span>')
        return Markup(' <span class="ros1-asof">(as of {})</span>').format(long_date(checked))

    def statement(self, text: str, source_ids: Iterable[str], checked: dt.date | None) -> Markup:
        """A statement: its text, its citations and, if unchecked or due, a warning."""
        ids = list(source_ids)
        return Markup("{} {}{}").format(text, self.cite(ids), self.flag(checked, ids))

    def sourced(self, record: Sourced) -> Markup:
        """A content record's statement with its sources and review warning; a time-sensitive one (regulatory,
        funding, guideline, trial status) with its date."""
        shown = self.statement(record.text, record.sources, record.checked)
        if getattr(record, "changes_with", None):
            shown += self.as_of(record.checked)
        return shown

    def fact(self, fact: Fact) -> Markup:
        """A fact with its sources; a 'reported' fact says so."""
        reported = Markup(' <em class="ros1-reported">(reported)</em>') if fact.confidence == "reported" else ""
        return self.sourced(fact) + reported

    def references(self, source_ids: Iterable[str] | None = None, brief: bool = False) -> Markup:
        """A numbered list of full citations with links, each once, in the order first named: the sources
        named, or every source cited so far. Unverified ones say so, with what was read unless `brief`."""
        ids = self.cited if source_ids is None else list(source_ids)
        return render("references.html.j2", sources=self.guidance.sources_of(ids), brief=brief)
