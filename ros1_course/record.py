"""The learning record: every checked self-check attempt, kept in the user's data directory, never lost.

`record.json` lives in `data_dir()` (platformdirs' user data directory; never the repository). Every change
is a read-modify-write under an exclusive file lock (filelock; `record.lock`; none in the browser, see
`record_lock`), so two kernels writing at once lose no attempt, and every write replaces the file atomically
(temporary file in the same directory, fsync, rename), so a writer killed part-way leaves the previous record
intact. A record that cannot be read (not JSON, not UTF-8, or not of the shape `parse` checks) is moved aside
to `record.json.corrupt-<timestamp>` and a fresh one started, with a message saying so. The record is checked
by plain code (no pydantic), so the static site's pages keep it in the browser with this same module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs

from content import Guidance
from content.guidance import QuizQuestion

APP_NAME = "ros1-course"
DATA_DIR_VARIABLE = "ROS1_COURSE_DATA_DIR"
FORMAT = "ros1-course learning record"
VERSION = 2
Notify = Callable[[str], None]


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The course's directory for the user's data: $ROS1_COURSE_DATA_DIR if set, else platformdirs' user
    data directory for `ros1-course` (~/.local/share/ros1-course on Linux, ~/Library/Application Support on
    macOS, %LOCALAPPDATA% on Windows)."""
    override = environ.get(DATA_DIR_VARIABLE, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def record_lock(path: Path) -> AbstractContextManager[object]:
    """The exclusive lock that processes writing the record take (filelock, `path`). In the browser (the static
    site's pages, Pyodide) there is none to take: no fcntl, and filelock's soft lock, a marker file, stays on the
    pages' shared drive, so the next page would wait for ever. There each page's kernel writes in one step
    (`write_atomic`), so two tabs checking an answer at the same instant could lose one attempt, never the
    record."""
    if sys.platform == "emscripten":
        return contextlib.nullcontext()
    from filelock import FileLock

    return FileLock(path)


def write_atomic(path: Path, text: str, mode: int = 0o666) -> None:
    """Replace `path` with `text` in one step: a temporary file in the same directory, flushed to disk,
    then renamed over it. A reader sees the old file or the new one, never part of one. `mode` is
    filtered by the umask. Raises FileNotFoundError when the directory does not exist."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


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


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=4)


class LearningRecord:
    """The learning record saved in `path` (default: `record.json` in `data_dir()`). Every method takes the
    lock, so processes sharing the file see each other's changes. `notify` receives the message when a record
    that cannot be read is set aside (default: a Python warning). It keeps a quiz's attempts (a
    `widgets.Recorder`), a lesson page's active time and sections seen (a `widgets.ActivityRecorder`) and the
    learner's reflections (a `widgets.ReflectionKeeper`)."""

    def __init__(self, path: Path | str | None = None, notify: Notify | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "record.json"
        self.lock = record_lock(self.path.with_suffix(".lock"))
        self.notify = notify or _warn

    def __repr__(self) -> str:
        return f"LearningRecord({str(self.path)!r})"

    def change(self, how: Callable[[RecordContents], RecordContents], notify: Notify | None = None) -> None:
        """Read the record, change it with `how` and write it back, all under the lock (creating the record and
        its directory if need be)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock:
            contents = self._read(notify or self.notify)
            self._remove_leftovers()
            write_atomic(self.path, dump_contents(how(contents)), mode=0o600)

    def add(self, attempt: Attempt, notify: Notify | None = None) -> None:
        """Save one more attempt."""
        self.change(lambda contents: replace(contents, attempts=(*contents.attempts, attempt)), notify)

    def _saved(self, how: Callable[[RecordContents], RecordContents], what: str) -> list[str]:
        """Change the record; returns messages for the learner (the record was set aside, or could not be
        written: `what` says what was not saved)."""
        notes: list[str] = []
        try:
            self.change(how, notes.append)
        except OSError as error:
            notes.append(f"{what} could not be saved in your learning record ({error}).")
        return notes

    def save(self, question: QuizQuestion, chosen: Sequence[str], correct: bool) -> list[str]:
        """Save a quiz's checked attempt; returns messages for the learner (it still counts on screen)."""
        attempt = Attempt.now(question.id, question.lesson, chosen, correct)
        return self._saved(lambda contents: replace(contents, attempts=(*contents.attempts, attempt)),
                           "This attempt")

    def note_activity(self, lesson: int, seconds: int, sections: Sequence[str], seen: Sequence[str]) -> list[str]:
        """Add a lesson page's report (active seconds since its last report, its sections, those seen)."""
        now = utc_now()
        return self._saved(lambda contents: with_activity(contents, lesson, seconds, sections, seen, now),
                           "The time on this lesson")

    def save_reflection(self, lesson: int, learned: str, differently: str) -> list[str]:
        """Keep the learner's reflection on a lesson, in place of an earlier one."""
        reflection = Reflection(lesson, learned, differently, utc_now())
        return self._saved(lambda contents: with_reflection(contents, reflection), "Your reflection")

    def reflection(self, lesson: int) -> Reflection | None:
        """The lesson's saved reflection, if any."""
        return self.contents().reflection(lesson)

    def contents(self) -> RecordContents:
        """Everything the record keeps."""
        if not self.path.parent.is_dir():
            return RecordContents()
        with self.lock:
            return self._read(self.notify)

    def attempts(self) -> list[Attempt]:
        """Every attempt saved, oldest first."""
        return list(self.contents().attempts)

    def progress(self, guidance: Guidance) -> list[LessonProgress]:
        """Per lesson with self-check questions: questions, attempted, and correct at the latest attempt."""
        return progress_of(self.contents(), guidance)

    def _read(self, notify: Notify) -> RecordContents:
        """The record on disk (call with the lock held); sets a corrupt record aside and starts afresh."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return RecordContents()
        except UnicodeDecodeError as error:
            return self._set_aside(f"not UTF-8 text ({error.reason})", notify)
        try:
            return parse(text)
        except CorruptRecord as error:
            return self._set_aside(str(error), notify)

    def _set_aside(self, reason: str, notify: Notify) -> RecordContents:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, backup)
        write_atomic(self.path, dump([]), mode=0o600)
        notify(f"Your learning record could not be read ({reason}). It was kept as {backup} and a fresh "
               "record started: what you do from now on is saved in the new record.")
        return RecordContents()

    def _remove_leftovers(self) -> None:
        """Remove temporary files of writers killed part-way (none can be in use: we hold the lock)."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
