"""Validated content as plain records, for the snapshot kernels load: each pydantic model becomes a `Record`
with the same attributes (a source also keeps its `link`), dates stay dates, lists stay lists. Pickled by
`snapshot.py`; unpickling needs this module and `vocabulary`, not pydantic."""

from __future__ import annotations

from typing import Any

from .vocabulary import SourceLink


class Record:
    """One validated entry: its fields as attributes, read-only by convention."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in list(self.__dict__.items())[:3])
        return f"{type(self).__name__}({shown}, ...)"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    # Equal by value, and its fields hold lists: not hashable, as a validated model with list fields is not.
    __hash__ = None  # type: ignore[assignment]


class SourceRecord(Record, SourceLink):
    """A source, with its link."""


def as_records(value: Any) -> Any:
    """A validated value with every model turned into a Record (a source into a SourceRecord), recursively.
    Models are recognised by their `model_fields` and `model_dump` (pydantic's), so this module needs no
    pydantic import."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None and hasattr(value, "model_dump"):
        kind = SourceRecord if isinstance(value, SourceLink) else Record
        return kind(**{name: as_records(getattr(value, name)) for name in fields})
    if isinstance(value, list):
        return [as_records(item) for item in value]
    if isinstance(value, tuple):
        return tuple(as_records(item) for item in value)
    if isinstance(value, dict):
        return {key: as_records(item) for key, item in value.items()}
    return value
