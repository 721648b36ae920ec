"""Load the content directory: parse every file, validate it against its schema, check cross-references."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import schema
from .crossrefs import check_references
from .errors import ContentError, Problem
from .fingerprint import CONTENT_FILES, DEFAULT_CONTENT_DIR, content_fingerprint
from .knowledge import Knowledge
from .yamlfile import YamlDocument, field_name, read_yaml

# Each content file and the shape it must have.
FILE_SHAPES: dict[str, Any] = {
    "sources.yaml": list[schema.Source],
    "page.yaml": schema.Page,
    "facts.yaml": list[schema.Fact],
    "partners.yaml": schema.PartnersFile,
    "therapies.yaml": list[schema.Therapy],
    "mutations.yaml": list[schema.Mutation],
    "activity.yaml": list[schema.Activity],
    "scenario.yaml": schema.Scenario,
    "questions.yaml": list[schema.Question],
    "glossary.yaml": list[schema.Term],
    "lessons.yaml": list[schema.LessonPage],
}
assert tuple(FILE_SHAPES) == CONTENT_FILES, "every content file is validated and counted in the fingerprint"
_ADAPTERS = {name: TypeAdapter(shape) for name, shape in FILE_SHAPES.items()}


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Read and validate every content file; raise ContentError listing all problems found."""
    directory = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    if not directory.is_dir():
        raise ContentError([Problem(str(directory), "", "is not a directory of content files")])
    problems: list[Problem] = []
    documents: dict[str, YamlDocument] = {}
    parsed: dict[str, Any] = {}
    for name, adapter in _ADAPTERS.items():
        path = directory / name
        if not path.is_file():
            problems.append(Problem(name, "", "is missing from the content directory"))
            continue
        document, read_problems = read_yaml(path)
        problems.extend(read_problems)
        if document is None:
            continue
        documents[name] = document
        try:
            parsed[name] = adapter.validate_python(document.data)
        except ValidationError as error:
            problems.extend(_schema_problems(document, error))
    if problems:
        raise ContentError(problems)

    partners_file: schema.PartnersFile = parsed["partners.yaml"]
    knowledge = Knowledge(
        directory=directory,
        sources=parsed["sources.yaml"],
        page=parsed["page.yaml"],
        facts=parsed["facts.yaml"],
        ros1=partners_file.ros1,
        partners=partners_file.partners,
        therapies=parsed["therapies.yaml"],
        mutations=parsed["mutations.yaml"],
        activity=parsed["activity.yaml"],
        steps=parsed["scenario.yaml"].steps,
        case_partner=parsed["scenario.yaml"].partner,
        questions=parsed["questions.yaml"],
        glossary=parsed["glossary.yaml"],
        lessons=parsed["lessons.yaml"],
        lines=documents,
        fingerprint=content_fingerprint(directory),
    )
    problems = check_references(knowledge)
    if problems:
        raise ContentError(problems)
    return knowledge


def _schema_problems(document: YamlDocument, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "is required but missing"
        elif detail["type"] == "extra_forbidden":
            message = "is not a known field (check its spelling)"
        problems.append(
            Problem(document.name, field_name(document, location), message, document.line_of(location))
        )
    return problems
