"""Checks across content files: references resolve, ids are unique, dates make sense."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from . import schema
from .errors import Problem
from .knowledge import Knowledge
from .naming import normalise_mutation, normalise_name
from .vocabulary import CLINICAL_KINDS
from .walk import Location, file_records
from .yamlfile import field_name


class _Collector:
    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.problems: list[Problem] = []

    def add(self, file: str, location: Location, message: str) -> None:
        document = self.knowledge.lines.get(file)
        field = field_name(document, location) if document else ".".join(map(str, location))
        line = document.line_of(location) if document else None
        self.problems.append(Problem(file, field, message, line))

    def unique(self, file: str, entries: Sequence[tuple[Location, str]], what: str) -> None:
        seen: dict[str, Location] = {}
        for location, key in entries:
            if key in seen:
                self.add(file, location, f"duplicate {what} {key!r} (first at {_where(seen[key])})")
            else:
                seen[key] = location


def _where(location: Location) -> str:
    return "entry " + str(location[0]) if location and isinstance(location[0], int) else ".".join(
        map(str, location)
    )


def check_references(knowledge: Knowledge, today: dt.date | None = None) -> list[Problem]:
    """All cross-file problems in `knowledge`: unknown references, duplicates, impossible dates."""
    today = today or dt.date.today()
    found = _Collector(knowledge)
    _check_unique_ids(knowledge, found)

    sources = {source.id: source for source in knowledge.sources}
    for file, location, record in file_records(knowledge):
        cited = getattr(record, "sources", None) or []
        for index, source_id in enumerate(cited):
            if source_id not in sources:
                found.add(file, (*location, "sources", index), f"unknown source {source_id!r}")
        checked = getattr(record, "checked", None)
        if isinstance(checked, dt.date) and checked > today:
            found.add(file, (*location, "checked"), f"{checked} is in the future")
        if (isinstance(record, schema.Source) or "checked" not in type(record).model_fields or not cited
                or not all(i in sources for i in cited)):
            continue
        verified = any(sources[i].verified for i in cited)
        if checked is not None and not verified:
            found.add(file, (*location, "checked"), "a checked date needs at least one verified source "
                      f"(none of {', '.join(cited)} is): write checked: null until one is read and verified")
        elif checked is None and verified:
            found.add(file, (*location, "checked"), "is null, but a source is verified: write the date the "
                      "statement was checked against it")
    cited_anywhere = {i for file, _, record in file_records(knowledge) if file != "sources.yaml"
                      for i in getattr(record, "sources", None) or []} | {knowledge.page.source}
    for index, source in enumerate(knowledge.sources):
        if source.id not in cited_anywhere:
            found.add("sources.yaml", (index, "id"), f"source {source.id!r} is cited nowhere: cite it or remove it")
    if knowledge.page.source not in sources:
        found.add("page.yaml", ("source",), f"unknown source {knowledge.page.source!r}")
    if knowledge.page.next_review_due <= knowledge.page.last_reviewed:
        found.add("page.yaml", ("next_review_due",), "must be after last_reviewed")

    therapies = {therapy.name for therapy in knowledge.therapies}
    mutations = {mutation.name for mutation in knowledge.mutations}
    for index, row in enumerate(knowledge.activity):
        kinds = {sources[i].kind for i in row.sources if i in sources}
        if row.evidence == "clinical" and not kinds & CLINICAL_KINDS:
            found.add("activity.yaml", (index, "evidence"), "'clinical' evidence needs at least one clinical "
                      f"source ({', '.join(sorted(CLINICAL_KINDS))}); these are {', '.join(sorted(kinds))}")
        if row.mutation not in mutations:
            found.add("activity.yaml", (index, "mutation"), f"unknown mutation {row.mutation!r}")
        if row.therapy not in therapies:
            found.add("activity.yaml", (index, "therapy"), f"unknown therapy {row.therapy!r}")
    for index, mutation in enumerate(knowledge.mutations):
        if normalise_mutation(mutation.hgvs_p) != mutation.name:
            found.add("mutations.yaml", (index, "hgvs_p"), f"{mutation.hgvs_p} does not describe {mutation.name}")
        for spelling_index, misspelling in enumerate(mutation.misspellings):
            if normalise_mutation(misspelling.spelling) in mutations:
                found.add("mutations.yaml", (index, "misspellings", spelling_index, "spelling"),
                          f"{misspelling.spelling!r} is a real mutation of the course, not a misspelling")

    teachable = (
        {fact.id for fact in knowledge.facts}
        | {partner.symbol for partner in knowledge.partners}
        | therapies
        | mutations
    )
    if knowledge.case_partner not in {partner.symbol for partner in knowledge.partners}:
        found.add("scenario.yaml", ("partner",), f"unknown fusion partner {knowledge.case_partner!r}")
    for index, step in enumerate(knowledge.steps):
        for name_index, name in enumerate(step.teaches):
            if name not in teachable:
                found.add("scenario.yaml", ("steps", index, "teaches", name_index), f"unknown entry {name!r}")
        if step.choice:
            known = therapies if step.choice.kind == "therapy" else mutations
            for option_index, option in enumerate(step.choice.options):
                if option not in known:
                    found.add("scenario.yaml", ("steps", index, "choice", "options", option_index),
                              f"unknown {step.choice.kind} {option!r}")
    for index, question in enumerate(knowledge.questions):
        if question.computed and question.computed.mutation and question.computed.mutation not in mutations:
            found.add("questions.yaml", (index, "computed", "mutation"),
                      f"unknown mutation {question.computed.mutation!r}")
    return found.problems


def _check_unique_ids(knowledge: Knowledge, found: _Collector) -> None:
    found.unique("sources.yaml", [((i, "id"), s.id) for i, s in enumerate(knowledge.sources)], "source id")
    found.unique("facts.yaml", [((i, "id"), f.id) for i, f in enumerate(knowledge.facts)], "fact id")
    found.unique("page.yaml", [(("errata", i, "id"), e.id) for i, e in enumerate(knowledge.page.errata)],
                 "erratum id")
    partner_names: list[tuple[Location, str]] = []
    for i, partner in enumerate(knowledge.partners):
        partner_names.append((("partners", i, "symbol"), normalise_name(partner.symbol)))
        partner_names += [
            (("partners", i, "aliases", j), normalise_name(alias)) for j, alias in enumerate(partner.aliases)
        ]
    found.unique("partners.yaml", partner_names, "partner name or alias")
    therapy_names: list[tuple[Location, str]] = []
    for i, therapy in enumerate(knowledge.therapies):
        therapy_names.append(((i, "name"), normalise_name(therapy.name)))
        therapy_names += [((i, "brands", j), normalise_name(brand)) for j, brand in enumerate(therapy.brands)]
    found.unique("therapies.yaml", therapy_names, "therapy name or brand")
    mutation_names: list[tuple[Location, str]] = []
    for i, mutation in enumerate(knowledge.mutations):
        mutation_names.append(((i, "name"), mutation.name))
        mutation_names += [
            ((i, "misspellings", j, "spelling"), normalise_mutation(m.spelling))
            for j, m in enumerate(mutation.misspellings)
        ]
    found.unique("mutations.yaml", mutation_names, "mutation name or spelling")
    found.unique("lessons.yaml", [((i, "number"), str(lesson.number)) for i, lesson in enumerate(knowledge.lessons)],
                 "lesson number")
    found.unique("lessons.yaml", [((i, "file"), lesson.file) for i, lesson in enumerate(knowledge.lessons)],
                 "lesson file")
    found.unique("activity.yaml",
                 [((i, "therapy"), f"{a.mutation}/{a.therapy}") for i, a in enumerate(knowledge.activity)],
                 "activity row")
    found.unique("scenario.yaml", [(("steps", i, "id"), s.id) for i, s in enumerate(knowledge.steps)], "step id")
    found.unique("questions.yaml", [((i, "id"), q.id) for i, q in enumerate(knowledge.questions)],
                 "question id")
    found.unique("glossary.yaml", [((i, "id"), t.id) for i, t in enumerate(knowledge.glossary)], "term id")
    found.unique("glossary.yaml", [((i, "forms", j), form.lower()) for i, t in enumerate(knowledge.glossary)
                                   for j, form in enumerate(t.forms)], "term form")
