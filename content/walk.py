"""Every record of the content with its place in its file: the same for validated models and for the
snapshot's plain records, without importing pydantic."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .knowledge import Knowledge
from .records import Record

Location = tuple[str | int, ...]


def fields_of(record: object) -> list[str] | None:
    """A record's field names (a pydantic model's or a snapshot Record's), or None for anything else."""
    model_fields = getattr(type(record), "model_fields", None)
    if model_fields is not None:
        return list(model_fields)
    if isinstance(record, Record):
        return list(vars(record))
    return None


def walk(record: object, location: Location = ()) -> Iterator[tuple[Location, Any]]:
    """Every content record nested in `record` (itself included), with its location in the file."""
    names = fields_of(record)
    if names is not None:
        yield location, record
        for name in names:
            yield from walk(getattr(record, name), (*location, name))
    elif isinstance(record, list):
        for index, item in enumerate(record):
            yield from walk(item, (*location, index))


def file_records(knowledge: Knowledge) -> Iterator[tuple[str, Location, Any]]:
    """Every record of every file, as (file name, location in that file, record)."""
    roots: dict[str, object] = {
        "sources.yaml": knowledge.sources,
        "page.yaml": knowledge.page,
        "facts.yaml": knowledge.facts,
        "therapies.yaml": knowledge.therapies,
        "mutations.yaml": knowledge.mutations,
        "activity.yaml": knowledge.activity,
        "questions.yaml": knowledge.questions,
        "glossary.yaml": knowledge.glossary,
    }
    for name, root in roots.items():
        for location, record in walk(root):
            yield name, location, record
    for location, record in walk(knowledge.ros1, ("ros1",)):
        yield "partners.yaml", location, record
    for location, record in walk(knowledge.partners, ("partners",)):
        yield "partners.yaml", location, record
    for location, record in walk(knowledge.steps, ("steps",)):
        yield "scenario.yaml", location, record
