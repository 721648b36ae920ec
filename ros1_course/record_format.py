"""The learning record's contents and its file format: the checked attempts, each lesson page's visit and the
learner's reflections as frozen dataclasses; `parse` (strict checks, the field named when something is wrong;
version 1 files still read) and `dump` (the current version, one item a line); the pure changes a record
goes through (`with_attempt`, `with_activity`, `with_reflection`); and what is derived from it (progress,
completed lessons, summaries per lesson). Plain code, no pydantic: the static site's pages run it in the
browser. Where the record is kept, and how it is written safely, is `record.py`'s.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from content import Guidance

FORMAT = "ros1-course learning record"
VERSION = 2


def utc_now() -> str:
    """The time now in UTC, ISO 8601 to the second: '2026-01-31T09:15:02Z'."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Attempt:
    """One checked answer: which question (id and lesson), the options chosen, whether right, and when (ISO 8601
    UTC)."""

    question: str
    lesson: int
    answer: tuple[str, ...]
    correct: bool
    when: str

    @classmethod
    def now(cls, question: str, lesson: int, answer: Iterable[str], correct: bool) -> Attempt:
        """An attempt made now."""
        return cls(question=question, lesson=lesson, answer=tuple(answer), correct=correct, when=utc_now())


@dataclass(frozen=True)
class Visit:
    """A lesson's time on its page, as the page reported it: when it was first and last active (ISO 8601 UTC),
    the seconds of active time (page shown, and the learner reading or acting in the last minute), the page's
    sections (its headings) and those seen (on screen while active)."""

    lesson: int
    started: str
    last_active: str
    seconds: int
    sections: tuple[str, ...]
    seen: tuple[str, ...]

    @property
    def all_seen(self) -> bool:
        """Whether every section of the page has been seen."""
        return set(self.sections) <= set(self.seen)


@dataclass(frozen=True)
class Reflection:
    """The learner's reflection on a lesson, as they last saved it: what they learned, what they will do
    differently, and when (ISO 8601 UTC). Free text, shown escaped wherever it is shown."""

    lesson: int
    learned: str
    differently: str
    when: str


@dataclass(frozen=True)
class RecordContents:
    """Everything a record keeps: the checked attempts (oldest first), one visit and at most one reflection per
    lesson (by lesson number)."""

    attempts: tuple[Attempt, ...] = ()
    visits: tuple[Visit, ...] = ()
    reflections: tuple[Reflection, ...] = ()

    def visit(self, lesson: int) -> Visit | None:
        """The lesson's visit, if its page has reported one."""
        return next((v for v in self.visits if v.lesson == lesson), None)

    def reflection(self, lesson: int) -> Reflection | None:
        """The lesson's reflection, if one is saved."""
        return next((r for r in self.reflections if r.lesson == lesson), None)


class CorruptRecord(ValueError):
    """The record file holds something other than a learning record."""


MAX_SECTIONS = 60
MAX_SECTION_CHARS = 200
MAX_REFLECTION_CHARS = 4000
MAX_SECONDS = 10_000_000
ATTEMPT_FIELDS: dict[str, type] = {"question": str, "lesson": int, "answer": list, "correct": bool, "when": str}
VISIT_FIELDS: dict[str, type] = {"lesson": int, "started": str, "last_active": str, "seconds": int,
                                 "sections": list, "seen": list}
REFLECTION_FIELDS: dict[str, type] = {"lesson": int, "learned": str, "differently": str, "when": str}


def _fields(item: Any, fields: dict[str, type], where: str, what: str) -> dict[str, Any]:
    """One object of the file with exactly these fields of these types (no field missing or extra, no type
    converted), and its times ISO 8601."""
    if not isinstance(item, dict):
        raise CorruptRecord(f"not a learning record ({where}: {what} must be an object)")
    for name, kind in fields.items():
        if name not in item:
            raise CorruptRecord(f"not a learning record ({where}.{name}: missing)")
        value: Any = item[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CorruptRecord(f"not a learning record ({where}.{name}: must be {kind.__name__})")
        if isinstance(value, list) and not all(isinstance(part, str) for part in value):
            raise CorruptRecord(f"not a learning record ({where}.{name}: every item must be text)")
        if name in ("when", "started", "last_active"):
            try:
                dt.datetime.fromisoformat(item[name])
            except ValueError:
                raise CorruptRecord(f"not a learning record ({where}.{name}: not an ISO 8601 time)") from None
    extra = sorted(set(item) - set(fields))
    if extra:
        raise CorruptRecord(f"not a learning record ({where}.{extra[0]}: not a field of {what})")
    return item


def _attempt(item: Any, where: str) -> Attempt:
    item = _fields(item, ATTEMPT_FIELDS, where, "an attempt")
    return Attempt(item["question"], item["lesson"], tuple(item["answer"]), item["correct"], item["when"])


def _visit(item: Any, where: str) -> Visit:
    item = _fields(item, VISIT_FIELDS, where, "a visit")
    if not 0 <= item["seconds"] <= MAX_SECONDS:
        raise CorruptRecord(f"not a learning record ({where}.seconds: must be 0 to {MAX_SECONDS})")
    for name in ("sections", "seen"):
        if len(item[name]) > MAX_SECTIONS or any(len(part) > MAX_SECTION_CHARS for part in item[name]):
            raise CorruptRecord(f"not a learning record ({where}.{name}: at most {MAX_SECTIONS} headings of "
                                f"{MAX_SECTION_CHARS} characters)")
    return Visit(item["lesson"], item["started"], item["last_active"], item["seconds"], tuple(item["sections"]),
                 tuple(item["seen"]))


def _reflection(item: Any, where: str) -> Reflection:
    item = _fields(item, REFLECTION_FIELDS, where, "a reflection")
    for name in ("learned", "differently"):
        if len(item[name]) > MAX_REFLECTION_CHARS:
            raise CorruptRecord(f"not a learning record ({where}.{name}: over {MAX_REFLECTION_CHARS} characters)")
    return Reflection(item["lesson"], item["learned"], item["differently"], item["when"])


def _items(data: dict[str, Any], key: str) -> list[Any]:
    if not isinstance(data[key], list):
        raise CorruptRecord(f"not a learning record ({key}: must be a list)")
    items: list[Any] = data[key]
    return items


def _one_per_lesson(items: list[Any], key: str) -> None:
    lessons = [item.lesson for item in items]
    repeated = sorted({lesson for lesson in lessons if lessons.count(lesson) > 1})
    if repeated:
        raise CorruptRecord(f"not a learning record ({key}: lesson {repeated[0]} appears more than once)")


KEYS_OF_VERSION = {1: {"format", "version", "attempts"},
                   2: {"format", "version", "attempts", "visits", "reflections"}}


def parse(text: str) -> RecordContents:
    """What a record file's text keeps; raises CorruptRecord when it is not a learning record. Version 1 files
    (attempts only, before visits and reflections were kept) are read as they are."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise CorruptRecord(f"not a learning record (not JSON: {error})") from None
    if not isinstance(data, dict) or not {"format", "version"} <= set(data):
        raise CorruptRecord("not a learning record (an object with format, version and attempts is expected)")
    version = data["version"]
    if data["format"] != FORMAT or type(version) is not int or version not in KEYS_OF_VERSION:
        raise CorruptRecord(f"not a learning record (format {data['format']!r}, version {version!r})")
    if set(data) != KEYS_OF_VERSION[version]:
        expected = ", ".join(sorted(KEYS_OF_VERSION[version] - {"format", "version"}))
        raise CorruptRecord(f"not a learning record (version {version} keeps {expected} and nothing else)")
    attempts = [_attempt(item, f"attempts.{i}") for i, item in enumerate(_items(data, "attempts"))]
    visits = [_visit(item, f"visits.{i}") for i, item in enumerate(_items(data, "visits"))] if version > 1 else []
    reflections = ([_reflection(item, f"reflections.{i}") for i, item in enumerate(_items(data, "reflections"))]
                   if version > 1 else [])
    _one_per_lesson(visits, "visits")
    _one_per_lesson(reflections, "reflections")
    return RecordContents(tuple(attempts), tuple(visits), tuple(reflections))


def _lines(items: Sequence[Any]) -> str:
    """JSON objects one a line, as the items of a list."""
    def plain(item: Any) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(item).items()}

    return ",".join(f"\n{json.dumps(plain(item), ensure_ascii=False)}" for item in items) + "\n"


def dump(attempts: Sequence[Attempt], visits: Sequence[Visit] = (), reflections: Sequence[Reflection] = ()) -> str:
    """A record file's text (the current version) for these attempts, visits and reflections: JSON with one
    item a line."""
    return (f'{{"format": {json.dumps(FORMAT)}, "version": {VERSION},\n"attempts": [{_lines(attempts)}],\n'
            f'"visits": [{_lines(visits)}],\n"reflections": [{_lines(reflections)}]}}\n')


def dump_contents(contents: RecordContents) -> str:
    """A record file's text for everything a record keeps."""
    return dump(contents.attempts, contents.visits, contents.reflections)


def with_activity(contents: RecordContents, lesson: int, seconds: int, sections: Sequence[str],
                  seen: Sequence[str], now: str) -> RecordContents:
    """The record with a page's report added to the lesson's visit: the seconds added, the page's sections as it
    reports them now, and the sections seen so far (of those)."""
    earlier = contents.visit(lesson)
    started = earlier.started if earlier else now
    total = min(MAX_SECONDS, (earlier.seconds if earlier else 0) + seconds)
    sections = tuple(dict.fromkeys(sections))[:MAX_SECTIONS]
    seen_before = set(earlier.seen) if earlier else set()
    visit = Visit(lesson, started, now, total, sections,
                  tuple(s for s in sections if s in seen_before or s in set(seen)))
    visits = tuple(sorted([*(v for v in contents.visits if v.lesson != lesson), visit], key=lambda v: v.lesson))
    return replace(contents, visits=visits)


def with_attempt(contents: RecordContents, attempt: Attempt) -> RecordContents:
    """The record with one more attempt."""
    return replace(contents, attempts=(*contents.attempts, attempt))


def with_reflection(contents: RecordContents, reflection: Reflection) -> RecordContents:
    """The record with this reflection in place of the lesson's earlier one."""
    kept = [r for r in contents.reflections if r.lesson != reflection.lesson]
    return replace(contents, reflections=tuple(sorted([*kept, reflection], key=lambda r: r.lesson)))


@dataclass(frozen=True)
class LessonProgress:
    """One lesson's self-check: how many questions, how many attempted, how many right at the last attempt."""

    lesson: int
    questions: int
    attempted: int
    correct: int


@dataclass(frozen=True)
class LessonCompleted:
    """A completed lesson: every self-check question answered and, where its page reported its sections, every
    section seen. `when` is the later of the last answer and the last active moment (ISO 8601 UTC); `correct` of
    `questions` right at the latest attempt; `seconds` of active time and `started`, None where no page reported
    them (a lesson worked through in JupyterLab)."""

    lesson: int
    when: str
    questions: int
    correct: int
    seconds: int | None = None
    started: str | None = None


def completed_lessons(contents: RecordContents, guidance: Guidance) -> list[LessonCompleted]:
    """The lessons completed in this record, by lesson number."""
    latest = {attempt.question: attempt for attempt in contents.attempts}
    done = []
    for lesson in sorted({question.lesson for question in guidance.questions()}):
        ids = [question.id for question in guidance.questions(lesson)]
        visit = contents.visit(lesson)
        if not all(i in latest for i in ids) or (visit and not visit.all_seen):
            continue
        when = max(latest[i].when for i in ids)
        if visit:
            when = max(when, visit.last_active)
        done.append(LessonCompleted(lesson, when, len(ids), sum(latest[i].correct for i in ids),
                                    visit.seconds if visit else None, visit.started if visit else None))
    return done


def progress_of(contents: RecordContents, guidance: Guidance) -> list[LessonProgress]:
    """Per lesson with self-check questions: questions, attempted, and correct at the latest attempt. Attempts
    at questions the content no longer has are not counted."""
    latest = {attempt.question: attempt for attempt in contents.attempts}
    lessons: dict[int, list[str]] = {}
    for question in guidance.questions():
        lessons.setdefault(question.lesson, []).append(question.id)
    return [
        LessonProgress(lesson, len(ids), sum(i in latest for i in ids),
                       sum(i in latest and latest[i].correct for i in ids))
        for lesson, ids in sorted(lessons.items())
    ]


@dataclass(frozen=True)
class LessonSummary:
    """All the record says of one lesson: its self-check, its page's visit, whether it is completed, and the
    learner's reflection."""

    progress: LessonProgress
    visit: Visit | None
    completed: LessonCompleted | None
    reflection: Reflection | None


def lesson_summaries(contents: RecordContents, guidance: Guidance) -> list[LessonSummary]:
    """One summary per lesson with self-check questions, by lesson number."""
    completed = {done.lesson: done for done in completed_lessons(contents, guidance)}
    return [LessonSummary(progress, contents.visit(progress.lesson), completed.get(progress.lesson),
                          contents.reflection(progress.lesson))
            for progress in progress_of(contents, guidance)]
