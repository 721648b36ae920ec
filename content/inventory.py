"""Every clinical statement of the content, described in words with its sources and check date: what a
clinical reviewer reads and signs off (`ros1-course review`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from . import schema
from .knowledge import Knowledge
from .walk import Location, file_records
from .yamlfile import field_name


@dataclass(frozen=True)
class ReviewItem:
    """One statement: where it is, what it says (in words, whatever the record's shape), its sources and
    when it was checked."""

    file: str
    field: str
    line: int | None
    says: str
    sources: tuple[str, ...]
    checked: dt.date | None


def _owner(knowledge: Knowledge, file: str, location: Location) -> str:
    """The name of the entry a nested record belongs to: 'entrectinib' for therapies.yaml [1].uk[1]."""
    if file == "therapies.yaml" and location and isinstance(location[0], int):
        return knowledge.therapies[location[0]].name
    if file == "mutations.yaml" and location and isinstance(location[0], int):
        return knowledge.mutations[location[0]].name
    if file == "partners.yaml" and len(location) > 1 and location[0] == "partners" and isinstance(location[1], int):
        return knowledge.partners[location[1]].symbol
    return ""


def _says(record: schema.Model, owner: str, answers: Mapping[str, Iterable[str]]) -> str:
    """What a record states, in words (a computed quiz answer as `answers` resolves it)."""
    if isinstance(record, schema.Activity):
        return f"{record.mutation} / {record.therapy}: {record.activity} ({record.evidence} evidence). {record.reason}"
    if isinstance(record, schema.Question):
        answer = ", ".join(sorted(answers.get(record.id, record.answer)))
        computed = " (computed from the data)" if record.computed else ""
        return f"Question: {record.prompt} Answer{computed}: {answer}. Why: {record.explanation}"
    if isinstance(record, schema.Term):
        return f"{record.term}: {record.definition}"
    if isinstance(record, schema.UkStatus):
        funded = "funded" if record.funded else "not funded"
        return f"{owner}, UK, {record.setting}: {record.status} ({funded}). {record.text}"
    if isinstance(record, schema.Result):
        return f"{owner}: {record.text} Population: {record.population}"
    if isinstance(record, schema.Frequency):
        return f"{owner}: reported frequency {record.percent:g}% (cohort: {record.cohort})."
    if isinstance(record, schema.Erratum):
        return f"The seed page says: {record.seed_says} The course teaches: {record.course_says}"
    if isinstance(record, schema.ExpectedEvent):
        return f"{owner}: expects {record.what} ({record.by}) by {record.expected}."
    if isinstance(record, schema.Step):
        return f"Case step '{record.title}': {record.text}"
    text = getattr(record, "text", None)
    if isinstance(text, str):
        return f"{owner}: {text}" if owner else text
    return f"{owner} is reported as a ROS1 fusion partner." if owner else type(record).__name__


def review_items(knowledge: Knowledge, answers: Mapping[str, Iterable[str]]) -> Iterator[ReviewItem]:
    """Every sourced statement of every content file but the sources themselves, in file order; `answers`
    holds each quiz question's resolved answer by id."""
    for file, location, record in file_records(knowledge):
        sources = tuple(getattr(record, "sources", None) or ())
        if file == "sources.yaml" or not sources:
            continue
        document = knowledge.lines[file]
        yield ReviewItem(file, field_name(document, location), document.line_of(location),
                         _says(record, _owner(knowledge, file, location), answers), sources,
                         getattr(record, "checked", None))
