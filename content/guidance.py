"""The guidance object: answers questions about ROS1-rearranged NSCLC in the domain's words.

Built once from validated content (`load_guidance`). Lookups are case-insensitive, resolve aliases and
known misspellings, and raise `UnknownEntryError` with close matches for names they do not know.
Imports no widget library; pandas is imported only by the methods that return a DataFrame.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .currency import PassedEvent, TimeSensitive, passed_events, pending_events, time_sensitive_statements
from .errors import UnknownEntryError
from .fingerprint import DEFAULT_CONTENT_DIR
from .knowledge import Knowledge
from .naming import closest, normalise_mutation, normalise_name, normalise_partner
from .review import Overdue, WeakStatement, add_months, overdue_statements, weak_statements
from .snapshot import read_snapshot
from .vocabulary import UK_SETTINGS

if TYPE_CHECKING:
    import pandas as pd

    from . import schema
    from .inventory import ReviewItem

Entry = TypeVar("Entry", "schema.Partner", "schema.Therapy", "schema.Mutation")
Record = TypeVar("Record", "schema.Source", "schema.Term", "schema.Fact")

# The order in which therapies are listed after progression: best evidence of activity first.
ACTIVITY_ORDER = {"active": 0, "reduced": 1, "unknown": 2, "resistant": 3}
EVIDENCE_ORDER = {"clinical": 0, "preclinical": 1, "predicted": 2, "none": 3}
NONE_OF_THESE = "None of these"


@dataclass(frozen=True)
class Found(Generic[Entry]):
    """A lookup's answer: the entry, what was asked, and why the two differ (alias or misspelling)."""

    entry: Entry
    query: str
    note: str | None = None
    note_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityRow:
    """One therapy against one mutation. `recorded` is False when the content holds no row (unknown)."""

    mutation: str
    therapy: str
    activity: str
    evidence: str
    reason: str
    sources: tuple[str, ...]
    checked: dt.date | None
    uk: schema.UkStatus | None
    recorded: bool

    def as_dict(self) -> dict[str, object]:
        """The row as flat data (one column per field; the UK status as its setting, status and funded)."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "uk"}
        data |= {"uk_setting": self.uk.setting if self.uk else None,
                 "uk_status": self.uk.status if self.uk else None,
                 "uk_funded": self.uk.funded if self.uk else None}
        return data


@dataclass(frozen=True)
class OptionRow:
    """A therapy as an option in one setting (line of treatment), with its UK status in that setting."""

    therapy: str
    setting: str
    status: str
    funded: bool
    nice: str | None
    reason: str
    sources: tuple[str, ...]
    checked: dt.date | None


@dataclass(frozen=True)
class NextSteps:
    """What the content says after progression on `after` with `mutations` found. Every row's UK status is
    the one for `setting` (after a ROS1 inhibitor), never the first-line one."""

    after: str
    mutations: tuple[str, ...]
    setting: str
    rows: tuple[ActivityRow, ...]
    trials: schema.Fact | None

    def table(self) -> pd.DataFrame:
        """The rows as a DataFrame (one row per mutation and therapy)."""
        return _frame(row.as_dict() for row in self.rows)


@dataclass(frozen=True)
class QuizQuestion:
    """A self-check question with its options and answer resolved (computed ones from the data)."""

    id: str
    lesson: int
    kind: str
    prompt: str
    options: tuple[str, ...]
    answer: frozenset[str]
    explanation: str
    sources: tuple[str, ...]
    computed: bool


# The UK settings (lines of treatment) and the words that name each.
FIRST_LINE, AFTER_ROS1_INHIBITOR = UK_SETTINGS
SETTING_NAMES = {FIRST_LINE: "first line (no ROS1 inhibitor before)",
                 AFTER_ROS1_INHIBITOR: "after progression on a ROS1 inhibitor"}
_SETTING_SPELLINGS = {"first": FIRST_LINE, "first-line": FIRST_LINE, "later": AFTER_ROS1_INHIBITOR,
                      "after": AFTER_ROS1_INHIBITOR, "after-ros1-inhibitor": AFTER_ROS1_INHIBITOR}


def uk_setting(line: str) -> str:
    """The setting a line of treatment names: 'first' or 'first-line'; 'later', 'after' or
    'after-ros1-inhibitor'. Raises UnknownEntryError for anything else."""
    setting = _SETTING_SPELLINGS.get(line.strip().lower())
    if setting is None:
        raise UnknownEntryError("line of treatment", line, closest(line, list(_SETTING_SPELLINGS)),
                                list(UK_SETTINGS))
    return setting


def best_evidence_first(row: ActivityRow) -> tuple[int, int]:
    """Sort key for therapies against a mutation: active before reduced, unknown and resistant; clinical
    evidence before preclinical and predicted."""
    return ACTIVITY_ORDER[row.activity], EVIDENCE_ORDER[row.evidence]


class Guidance:
    """Questions about the course's knowledge, answered from validated content."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._sources = {source.id: source for source in knowledge.sources}
        self._facts = {fact.id: fact for fact in knowledge.facts}
        self._partners = _index(knowledge.partners, lambda p: p.symbol, normalise_name, lambda p: [
            (alias, f"{alias} is another name for {p.symbol}.", ()) for alias in p.aliases])
        self._therapies = _index(knowledge.therapies, lambda t: t.name, normalise_name, lambda t: [
            (brand, f"{brand} is a brand name of {t.name}.", ()) for brand in t.brands])
        self._mutations = _index(knowledge.mutations, lambda m: m.name, normalise_mutation, lambda m: [
            (wrong.spelling, wrong.text, tuple(wrong.sources)) for wrong in m.misspellings])
        self._activity = {(row.mutation, row.therapy): row for row in knowledge.activity}
        self._terms = {term.id: term for term in knowledge.glossary}
        # kind -> (index by normalised name, how a query is normalised, the canonical names)
        self._lookups: dict[str, tuple[dict[str, Found[Any]], Callable[[str], str], list[str]]] = {
            "partner": (self._partners, normalise_partner, [p.symbol for p in knowledge.partners]),
            "therapy": (self._therapies, normalise_name, [t.name for t in knowledge.therapies]),
            "mutation": (self._mutations, normalise_mutation, [m.name for m in knowledge.mutations]),
        }

    # --- the page and its sources ---------------------------------------------------------------
    @property
    def page(self) -> schema.Page:
        return self.knowledge.page

    @property
    def sources(self) -> list[schema.Source]:
        return list(self.knowledge.sources)

    def source(self, source_id: str) -> schema.Source:
        """The source with this id."""
        return _by_id("source", self._sources, source_id)

    def sources_of(self, source_ids: Iterable[str]) -> list[schema.Source]:
        """The sources named, once each, in the order first named."""
        return [self.source(source_id) for source_id in dict.fromkeys(source_ids)]

    def overdue(self, today: dt.date | None = None) -> list[Overdue]:
        """Statements whose last check is older than the page's review interval."""
        return overdue_statements(self.knowledge, today or dt.date.today())

    def review_items(self) -> list[ReviewItem]:
        """Every sourced statement in words, with its sources and check date (quiz answers resolved)."""
        from .inventory import review_items  # the reviewer's report only (it reads the schema): not in kernels

        return list(review_items(self.knowledge, {q.id: q.answer for q in self.questions()}))

    def unverified_sources(self) -> list[schema.Source]:
        """The sources the course has not verified (title, authors, journal and identifier read)."""
        return [source for source in self.knowledge.sources if not source.verified]

    def weak_statements(self) -> list[WeakStatement]:
        """Statements resting only on unverified sources, or only on news or manufacturer pages."""
        return weak_statements(self.knowledge)

    def time_sensitive(self) -> list[TimeSensitive]:
        """Every time-sensitive statement (regulatory, funding, guideline, trial status), ordered by when it
        could first have changed: the maintainer's checklist before a release."""
        return time_sensitive_statements(self.knowledge)

    def passed_events(self, today: dt.date) -> list[PassedEvent]:
        """Expected events whose date is before `today`: each a statement to re-check."""
        return passed_events(self.knowledge, today)

    def pending_events(self, today: dt.date) -> list[tuple[TimeSensitive, Any]]:
        """Expected events still to come, soonest first, each with its statement."""
        return pending_events(self.knowledge, today)

    def past_review(self, checked: dt.date, today: dt.date | None = None) -> bool:
        """Whether a statement last checked on `checked` is past its review date (the page's interval)."""
        return add_months(checked, self.page.review_every_months) < (today or dt.date.today())

    # --- entities -------------------------------------------------------------------------------
    @property
    def partners(self) -> list[schema.Partner]:
        return list(self.knowledge.partners)

    @property
    def therapies(self) -> list[schema.Therapy]:
        return list(self.knowledge.therapies)

    @property
    def mutations(self) -> list[schema.Mutation]:
        return list(self.knowledge.mutations)

    @property
    def ros1(self) -> schema.Ros1Gene:
        return self.knowledge.ros1

    @property
    def case_partner(self) -> schema.Partner:
        """The case's own fusion partner (the seed's scenario: CD74)."""
        return self.partner(self.knowledge.case_partner)

    @property
    def steps(self) -> list[schema.Step]:
        return list(self.knowledge.steps)

    def find(self, kind: str, query: str) -> Found[Any]:
        """Look up a 'partner', 'therapy' or 'mutation'; the answer says how the query matched."""
        if kind not in self._lookups:
            kinds = list(self._lookups)
            raise UnknownEntryError("kind of entry", kind, closest(kind, kinds), kinds)
        index, normalise, known = self._lookups[kind]
        found = index.get(normalise(query))
        if found is None:
            names = [*known, *(f.query for f in index.values() if f.note)]
            raise UnknownEntryError(kind, query, closest(query, names), known)
        return Found(found.entry, query, found.note, found.note_sources)

    def partner(self, name: str) -> schema.Partner:
        """A fusion partner by symbol or alias: `partner("fig")` is GOPC."""
        entry: schema.Partner = self.find("partner", name).entry
        return entry

    def therapy(self, name: str) -> schema.Therapy:
        """A therapy by name, any case."""
        entry: schema.Therapy = self.find("therapy", name).entry
        return entry

    def mutation(self, name: str) -> schema.Mutation:
        """A resistance mutation by any accepted spelling: 'p.Gly2032Arg' and the seed's 'G2023R' are G2032R."""
        entry: schema.Mutation = self.find("mutation", name).entry
        return entry

    def facts(self, topic: str | None = None) -> list[schema.Fact]:
        """The clinical facts, all or one topic's."""
        return [fact for fact in self.knowledge.facts if topic is None or fact.topic == topic]

    @property
    def lessons(self) -> list[schema.LessonPage]:
        """The course's lessons in order (their files, titles, aims and times to learn)."""
        return sorted(self.knowledge.lessons, key=lambda lesson: lesson.number)

    def lesson(self, number: int) -> schema.LessonPage:
        """A lesson by its number."""
        found = next((lesson for lesson in self.knowledge.lessons if lesson.number == number), None)
        if found is None:
            known = [str(lesson.number) for lesson in self.lessons]
            raise UnknownEntryError("lesson", str(number), closest(str(number), known), known)
        return found

    @property
    def glossary(self) -> list[schema.Term]:
        return list(self.knowledge.glossary)

    def term(self, term_id: str) -> schema.Term:
        """A glossary term by id."""
        return _by_id("glossary term", self._terms, term_id)

    def fact(self, fact_id: str) -> schema.Fact:
        """A fact by id."""
        return _by_id("fact", self._facts, fact_id)

    # --- activity and options -------------------------------------------------------------------
    def uk_status(self, therapy: str, line: str) -> schema.UkStatus:
        """A therapy's UK status in one setting ('first-line' or 'after-ros1-inhibitor'; see `uk_setting`)."""
        setting = uk_setting(line)
        return next(status for status in self.therapy(therapy).uk if status.setting == setting)

    def activity_rows(self, *mutations: str, line: str | None = None) -> list[ActivityRow]:
        """Every therapy against each named mutation (all mutations if none named). With `line`, each row
        carries the therapy's UK status in that setting; without, no UK status (it depends on the line)."""
        names = [self.mutation(m).name for m in mutations] if mutations else [m.name for m in self.mutations]
        setting = uk_setting(line) if line else None
        return [self._row(name, therapy, setting)
                for name in dict.fromkeys(names) for therapy in self.knowledge.therapies]

    def activity(self, *mutations: str, line: str | None = None) -> pd.DataFrame:
        """Activity of each therapy against one or several mutations, as a DataFrame: mutation, therapy,
        activity, evidence, reason, sources, checked, recorded, and the UK status in `line` (uk_setting,
        uk_status, uk_funded; empty without a line)."""
        return _frame(row.as_dict() for row in self.activity_rows(*mutations, line=line))

    def activity_of(self, mutation: str, therapy: str) -> ActivityRow:
        """One therapy against one mutation."""
        return self._row(self.mutation(mutation).name, self.therapy(therapy), None)

    def option_rows(self, line: str = "first", setting: str = "UK") -> list[OptionRow]:
        """Licensed ROS1 therapies as options in a line of treatment in the UK, each with its status in that
        line (never another line's), funded ones first."""
        if setting.strip().upper() != "UK":
            raise UnknownEntryError("setting", setting, [], ["UK"])
        line = uk_setting(line)
        rows = []
        for therapy in self.knowledge.therapies:
            if therapy.investigational:
                continue
            uk = self.uk_status(therapy.name, line)
            rows.append(OptionRow(therapy.name, uk.setting, uk.status, uk.funded, uk.nice, uk.text,
                                  tuple(uk.sources), uk.checked))
        return sorted(rows, key=lambda row: not row.funded)

    def options(self, line: str = "first", setting: str = "UK") -> pd.DataFrame:
        """`option_rows` as a DataFrame: therapy, setting, status, funded, nice, reason, sources, checked."""
        return _frame(dataclasses.asdict(row) for row in self.option_rows(line, setting))

    def next_steps(self, after: str, mutation: str | Iterable[str] | None = None) -> NextSteps:
        """After progression on `after` with `mutation` (one, several or none found): every other therapy's
        activity against each mutation with its UK status after a ROS1 inhibitor, best evidence first, and
        the note on clinical trials."""
        progressed_on = self.therapy(after).name
        asked = [mutation] if isinstance(mutation, str) else list(mutation or [])
        names = tuple(dict.fromkeys(self.mutation(m).name for m in asked))
        rows = [row for row in self.activity_rows(*names, line=AFTER_ROS1_INHIBITOR)
                if row.therapy != progressed_on] if names else []
        rows.sort(key=best_evidence_first)
        trials = self._facts.get("clinical-trials")
        return NextSteps(progressed_on, names, AFTER_ROS1_INHIBITOR, tuple(rows), trials)

    # --- self-check -----------------------------------------------------------------------------
    def questions(self, lesson: int | None = None) -> list[QuizQuestion]:
        """Self-check questions, all or one lesson's, with computed answers worked out from the data."""
        return [self._resolve(q) for q in self.knowledge.questions if lesson is None or q.lesson == lesson]

    def _resolve(self, question: schema.Question) -> QuizQuestion:
        options, answer = tuple(question.options), frozenset(question.answer)
        rule = question.computed
        if rule is not None:
            options = (*(t.name for t in self.knowledge.therapies), NONE_OF_THESE)
            if rule.rule == "uk-funded":
                chosen = {t.name for t in self.knowledge.therapies
                          if self.uk_status(t.name, rule.setting or "").funded}
            else:
                chosen = {
                    row.therapy
                    for row in self.activity_rows(rule.mutation or "")
                    if row.activity in rule.activity and row.evidence in rule.evidence
                }
            answer = frozenset(chosen or {NONE_OF_THESE})
        return QuizQuestion(
            question.id, question.lesson, question.kind, question.prompt, options, answer,
            question.explanation, tuple(question.sources), rule is not None,
        )

    def _row(self, mutation: str, therapy: schema.Therapy, setting: str | None) -> ActivityRow:
        uk = self.uk_status(therapy.name, setting) if setting else None
        recorded = self._activity.get((mutation, therapy.name))
        if recorded is None:
            return ActivityRow(mutation, therapy.name, "unknown", "none",
                               f"No data on {therapy.name} against {mutation} in the course's sources.",
                               (), None, uk, recorded=False)
        return ActivityRow(mutation, therapy.name, recorded.activity, recorded.evidence, recorded.reason,
                           tuple(recorded.sources), recorded.checked, uk, recorded=True)


OtherName = tuple[str, str, tuple[str, ...]]  # another name of an entry, the note that explains it, its sources


def _index(entries: Iterable[Entry], name: Callable[[Entry], str], normalise: Callable[[str], str],
           others: Callable[[Entry], Iterable[OtherName]]) -> dict[str, Found[Entry]]:
    """Entries by their normalised name and by each other name (alias, brand, known misspelling), the latter
    with the note that explains it."""
    index: dict[str, Found[Entry]] = {}
    for entry in entries:
        index[normalise(name(entry))] = Found(entry, name(entry))
        for other, note, sources in others(entry):
            index[normalise(other)] = Found(entry, other, note, sources)
    return index


def _by_id(kind: str, table: dict[str, Record], key: str) -> Record:
    """The record with this id, or UnknownEntryError naming the closest ids."""
    if key not in table:
        raise UnknownEntryError(kind, key, closest(key, list(table)), sorted(table))
    return table[key]


def _frame(rows: Iterable[dict[str, object]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(list(rows))


def _knowledge(content_dir: Path) -> Knowledge:
    """The content of `content_dir`: from the server's validated snapshot when it matches the files as they
    are now, else validated here (which imports pydantic and the schema, as the snapshot's kernels never do)."""
    snapshot = read_snapshot(content_dir)
    if snapshot is not None:
        return snapshot
    from .loader import load_knowledge  # validation: only when no fresh snapshot spares it

    return load_knowledge(content_dir)


@lru_cache(maxsize=1)
def _course_guidance() -> Guidance:
    return Guidance(_knowledge(DEFAULT_CONTENT_DIR))


def load_guidance(content_dir: Path | str | None = None) -> Guidance:
    """Load and validate content and return the guidance object. The course's own content is loaded once
    per process and shared; another directory is read afresh on every call. Where `ros1-course app` has
    written a validated snapshot of the content as it is now, that is read instead of validating again.

    Raises ContentError naming file and field for invalid content.
    """
    if content_dir is None:
        return _course_guidance()
    return Guidance(_knowledge(Path(content_dir)))
