"""The shape of every content file, as pydantic models (validated on load).

Clinical statements derive from `Statement`: they carry at least one source id and the date they were
last checked against those sources. Cross-references between files are checked in `crossrefs.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .vocabulary import (
    UK_SETTINGS,
    ActivityLevel,
    ChangeKind,
    Evidence,
    SourceKind,
    SourceLink,
    Topic,
    UkSetting,
    UkStatusWord,
)


def _parse_date(value: object) -> dt.date:
    """Accept a YAML date or an ISO 'YYYY-MM-DD' string; refuse date-times, numbers and the rest."""
    if isinstance(value, dt.datetime):
        raise ValueError("must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
    raise ValueError(f"must be a date in the form YYYY-MM-DD, not {type(value).__name__}")


Date = Annotated[dt.date, BeforeValidator(_parse_date)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
SourceIds = Annotated[list[Identifier], Field(min_length=1)]


class Model(BaseModel):
    """Base for every content record: unknown fields are errors, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class ExpectedEvent(Model):
    """Something a statement waits for: what is expected, by whom, when, and the source that gave the date.
    Once the date has passed, `ros1-course check` warns; 30 days after it, the check fails until the statement
    is re-checked and updated (the event removed when it came, or its new date sourced when it moved)."""

    what: Text
    by: Text
    expected: Date
    sources: SourceIds


class Statement(Model):
    """A clinical statement: what it says, its sources and when it was last checked against them. `checked`
    is written for every statement: a date when at least one of its sources was verified (read by the course
    and matching its citation), `null` when none was (the course then shows the statement as unchecked).

    `changes_with` marks a time-sensitive statement (a regulator's decision, funding, a guideline, a trial's
    status): the course shows it with its date ("as of ..."); `expects` lists the events it waits for."""

    sources: SourceIds
    checked: Date | None
    changes_with: ChangeKind | None = None
    expects: list[ExpectedEvent] = []

    @model_validator(mode="after")
    def _events_are_time_sensitive(self) -> Statement:
        if self.expects and self.changes_with is None:
            raise ValueError("a statement that expects an event is time-sensitive: give changes_with "
                             "(regulatory, funding, guideline or trial)")
        return self


class TextStatement(Statement):
    text: Text


# --- sources.yaml ---------------------------------------------------------------------------------
class Source(Model, SourceLink):
    """A source the course cites. `verified` is true only when the course read its title, its authors (or
    publisher), its journal (or publisher) and its identifier, and they match the citation; `note` says what
    was and was not seen."""

    id: Identifier
    kind: SourceKind
    citation: Text
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{5,9}$")] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    verified: bool
    checked: Date
    note: str | None = None

    @model_validator(mode="after")
    def _has_identifier(self) -> Source:
        if not (self.pmid or self.doi or self.url):
            raise ValueError("a source needs at least one of pmid, doi or url")
        return self


# --- page.yaml ------------------------------------------------------------------------------------
class Erratum(TextStatement):
    """Where the seed page is wrong or out of date, what the course teaches instead, and why."""

    id: Identifier
    seed_says: Text
    course_says: Text


class CourseReview(Model):
    """The course's own clinical review: who, when, what came of it, and when the next is due."""

    reviewed_by: Text
    last_reviewed: Date
    outcome: Text
    next_review_due: Date


class Page(Model):
    """The seed page's metadata, the course's disclaimer and review policy, and the course's own review."""

    title: Text
    source: Identifier
    publisher: Text
    authors: list[Text]
    reviewers: list[Text]
    last_reviewed: Date
    next_review_due: Date
    scenario: Text
    disclaimer: Text
    disclaimer_short: Text
    review_every_months: Annotated[int, Field(ge=1, le=60)]
    course_review: CourseReview
    errata: list[Erratum]


# --- facts.yaml -----------------------------------------------------------------------------------


class Figure(Model):
    """A number a fact reports, for charts: e.g. 36 (%) of 33 patients."""

    label: Text
    value: float
    unit: Literal["%", "odds ratio", "months", "patients"]
    of: int | None = None


class Fact(TextStatement):
    """A clinical statement a lesson teaches; `plain` says the same for a patient, adding nothing."""

    id: Identifier
    topic: Topic
    confidence: Literal["confirmed", "reported"]
    figures: list[Figure] = []
    plain: Text | None = None


# --- partners.yaml --------------------------------------------------------------------------------
class Frequency(Statement):
    percent: Annotated[float, Field(gt=0, le=100)]
    cohort: Text


class Ros1Gene(TextStatement):
    """What every ROS1 fusion keeps: the 3' part of ROS1, with the kinase domain; `breakpoint` says where ROS1
    breaks in the source's own words ("mostly between exons 32 and 34")."""

    breakpoint: Text


class Partner(Model):
    symbol: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]+$")]
    aliases: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]+$")]] = []
    reported: Statement
    frequency: Frequency | None = None
    breakpoint_exon: int | None = None
    notes: list[TextStatement] = []


class PartnersFile(Model):
    ros1: Ros1Gene
    partners: Annotated[list[Partner], Field(min_length=1)]


# --- therapies.yaml -------------------------------------------------------------------------------
class Result(TextStatement):
    """A headline trial result, with its population as the paper (or an appraisal of it) describes it."""

    setting: Literal["ros1-tki-naive", "after-ros1-tki", "prior-ros1-tki-not-reported"]
    population: Text
    trial: Text
    orr_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    intracranial_orr_percent: Annotated[float, Field(ge=0, le=100)] | None = None


class Approval(TextStatement):
    """A regulator's or appraisal body's decision: time-sensitive by nature."""

    changes_with: ChangeKind | None = "regulatory"
    body: Literal["FDA", "EMA", "EC", "NICE", "MHRA", "NMPA", "MHLW"]
    date: Date | None = None
    reference: str | None = None


class UkStatus(TextStatement):
    """A therapy's UK status in one setting: `text` states its conditions in one plain sentence.

    `not covered`: NICE recommends the drug, but not in this setting (entrectinib after a ROS1 inhibitor).
    `not confirmed`: the course's sources do not say; never borrowed from another setting."""

    changes_with: ChangeKind | None = "funding"
    setting: UkSetting
    status: UkStatusWord
    funded: bool
    nice: Annotated[str, StringConstraints(pattern=r"^TA\d{3,4}$")] | None = None

    @model_validator(mode="after")
    def _funded_matches_status(self) -> UkStatus:
        if self.funded != (self.status == "routine"):
            raise ValueError("funded must be true exactly when status is 'routine'")
        if self.status in ("routine", "not covered", "not recommended") and self.nice is None:
            raise ValueError(f"status '{self.status}' needs the NICE reference that says so (nice: TA...)")
        return self


class PlainStatement(TextStatement):
    """A statement that a patient may also be told: `plain` says the same in plain words, adding nothing."""

    plain: Text | None = None


class Therapy(Model):
    """A ROS1-targeting therapy: brand names from its labels, class, binding, brain activity, side effects and
    what is monitored, headline results, approvals, and its UK status in each setting."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]*$")]
    brands: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9-]*$")]] = []
    drug_class: Text
    investigational: bool = False
    binding: TextStatement | None = None
    binding_type: Literal["type I", "type II"] | None = None
    cns: list[TextStatement] = []
    side_effects: list[PlainStatement] = []
    monitoring: list[TextStatement] = []
    results: list[Result] = []
    approvals: list[Approval] = []
    uk: list[UkStatus]

    @field_validator("uk")
    @classmethod
    def _one_status_per_setting(cls, statuses: list[UkStatus]) -> list[UkStatus]:
        settings: list[str] = [status.setting for status in statuses]
        wrong = [f"'{setting}' ({'twice or more' if settings.count(setting) else 'none'})"
                 for setting in UK_SETTINGS if settings.count(setting) != 1]
        if wrong:
            raise ValueError(f"needs exactly one status for the setting {' and '.join(wrong)}; "
                             "write status 'not confirmed' where the sources do not say")
        return statuses

    @model_validator(mode="after")
    def _binding_sourced(self) -> Therapy:
        if (self.binding_type is None) != (self.binding is None):
            raise ValueError("binding_type and binding (its sourced statement) go together")
        return self


# --- mutations.yaml -------------------------------------------------------------------------------
class Misspelling(TextStatement):
    """A spelling found in a source that is wrong (e.g. the seed's G2023R) and why."""

    spelling: Text


class Mutation(Model):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Z]\d{3,5}[A-Z]$")]
    hgvs_p: Annotated[str, StringConstraints(pattern=r"^p\.[A-Z][a-z]{2}\d{3,5}[A-Z][a-z]{2}$")]
    region: TextStatement
    frequency: list[TextStatement] = []
    misspellings: list[Misspelling] = []
    notes: list[TextStatement] = []


# --- activity.yaml --------------------------------------------------------------------------------


class Activity(Model):
    """How one therapy fares against one mutation. `unknown` is an answer, not a gap to fill."""

    mutation: Text
    therapy: Text
    activity: ActivityLevel
    evidence: Evidence
    reason: Text
    sources: list[Identifier] = []
    checked: Date | None

    @model_validator(mode="after")
    def _evidence_matches(self) -> Activity:
        if self.activity == "unknown":
            if self.evidence != "none":
                raise ValueError("an 'unknown' activity has evidence 'none'")
        else:
            if self.evidence == "none":
                raise ValueError(f"activity '{self.activity}' needs its evidence kind")
            if not self.sources:
                raise ValueError(f"activity '{self.activity}' needs at least one source")
        return self


# --- scenario.yaml --------------------------------------------------------------------------------
class Choice(Model):
    """A branch point: the learner picks one of `options` (therapy or mutation names). A choice of therapy
    names its setting (line of treatment), so the UK status shown for the option is that setting's."""

    prompt: Text
    kind: Literal["therapy", "mutation"]
    options: Annotated[list[Text], Field(min_length=2)]
    setting: UkSetting | None = None

    @model_validator(mode="after")
    def _therapy_choice_has_a_setting(self) -> Choice:
        if (self.kind == "therapy") != (self.setting is not None):
            raise ValueError("a choice of therapy needs its setting (first-line or after-ros1-inhibitor); "
                             "a choice of mutation takes none")
        return self


class Step(TextStatement):
    """One step of the case: a statement with its title, its choice (if any) and what it teaches; one that states
    a status that can change says so with `changes_with`, as any statement does."""

    id: Identifier
    title: Text
    choice: Choice | None = None
    teaches: list[Text] = []


class Scenario(Model):
    """The case: its fusion partner (as the seed's scenario gives it; a view that shows another partner says
    it is a what-if) and its steps."""

    partner: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]+$")]
    steps: Annotated[list[Step], Field(min_length=2)]


# --- questions.yaml -------------------------------------------------------------------------------
class Computed(Model):
    """An answer derived from the data. `therapies-with-activity`: therapies whose activity against
    `mutation` is one of `activity` with evidence in `evidence`. `uk-funded`: therapies funded in the UK in
    `setting` (a line of treatment)."""

    rule: Literal["therapies-with-activity", "uk-funded"]
    mutation: Text | None = None
    activity: list[ActivityLevel] = []
    evidence: list[Evidence] = []
    setting: UkSetting | None = None

    @model_validator(mode="after")
    def _rule_fields(self) -> Computed:
        needs_mutation = self.rule == "therapies-with-activity"
        if needs_mutation and not (self.mutation and self.activity and self.evidence):
            raise ValueError("rule 'therapies-with-activity' needs mutation, activity and evidence")
        if needs_mutation and self.setting:
            raise ValueError("rule 'therapies-with-activity' takes no setting")
        if not needs_mutation and (self.mutation or self.activity or self.evidence):
            raise ValueError(f"rule '{self.rule}' takes no mutation, activity or evidence")
        if not needs_mutation and self.setting is None:
            raise ValueError("rule 'uk-funded' needs the setting (line of treatment) it asks about")
        return self


class Question(Model):
    id: Identifier
    lesson: Annotated[int, Field(ge=0, le=99)]
    kind: Literal["single", "multiple"]
    prompt: Text
    options: list[Text] = []
    answer: list[Text] = []
    computed: Computed | None = None
    explanation: Text
    sources: SourceIds
    checked: Date | None

    @model_validator(mode="after")
    def _answer_or_computed(self) -> Question:
        if self.computed is None:
            if len(self.options) < 2:
                raise ValueError("a question needs at least two options")
            missing = [a for a in self.answer if a not in self.options]
            if not self.answer or missing:
                raise ValueError(f"answer must name one or more of the options (not found: {missing})")
            if self.kind == "single" and len(self.answer) != 1:
                raise ValueError("a single-choice question has exactly one answer")
        elif self.options or self.answer:
            raise ValueError("a computed question takes its options and answer from the data")
        return self


# --- glossary.yaml --------------------------------------------------------------------------------
class Term(Model):
    """A term the lessons use: its plain definition, the words that count as a use, and sources (with the date
    they were checked) where the definition makes a clinical claim."""

    id: Identifier
    term: Text
    forms: Annotated[list[Text], Field(min_length=1)]
    definition: Text
    sources: list[Identifier] = []
    checked: Date | None = None


# --- lessons.yaml ---------------------------------------------------------------------------------
class LessonPage(Model):
    """One lesson of the course: its number, notebook file, title, one-line aim and time to learn."""

    number: Annotated[int, Field(ge=0, le=99)]
    file: Annotated[str, Field(pattern=r"^[0-9]{2}-[a-z0-9-]+\.ipynb$")]
    title: Text
    aim: Text
    minutes: Annotated[int, Field(ge=1, le=240)]
