"""Typed errors of the course's knowledge: bad content and unknown names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file: where it is and what is wrong."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ContentError(Exception):
    """The content directory is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the course content:"
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))


QUERY_SHOWN = 40  # a longer query is shortened in the message


class UnknownEntryError(LookupError):
    """A name that matches no entry of the given kind; lists the closest known names."""

    def __init__(self, kind: str, query: str, suggestions: list[str], known: list[str]) -> None:
        self.kind = kind
        self.query = query
        self.suggestions = suggestions
        self.known = known
        if suggestions:
            hint = "did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        else:
            hint = "known: " + ", ".join(known)
        shown = query if len(query) <= QUERY_SHOWN else query[:QUERY_SHOWN - 1] + "…"
        super().__init__(f"no {kind} {shown!r}; {hint}")

    def __str__(self) -> str:
        return str(self.args[0])
