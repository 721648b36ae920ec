"""The course's knowledge once validated: plain records, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the snapshot's kernels hold plain records of the same shape, and never import pydantic
    from . import schema
    from .yamlfile import YamlDocument


@dataclass(frozen=True)
class Knowledge:
    """Everything in content/, validated: plain records, no behaviour. `fingerprint` is a short hash of
    the files, so outputs made from the content (stored lesson outputs) can be checked against it."""

    directory: Path
    sources: list[schema.Source]
    page: schema.Page
    facts: list[schema.Fact]
    ros1: schema.Ros1Gene
    partners: list[schema.Partner]
    therapies: list[schema.Therapy]
    mutations: list[schema.Mutation]
    activity: list[schema.Activity]
    steps: list[schema.Step]
    case_partner: str
    questions: list[schema.Question]
    glossary: list[schema.Term]
    lessons: list[schema.LessonPage]
    lines: dict[str, YamlDocument]
    fingerprint: str
