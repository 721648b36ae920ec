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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs

from content import Guidance
from content.guidance import QuizQuestion

APP_NAME = "ros1-course"
DATA_DIR_VARIABLE = "ROS1_COURSE_DATA_DIR"
FORMAT = "ros1-course learning record"
VERSION = 1
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


class CorruptRecord(ValueError):
    """The record file holds something other than a learning record."""


ATTEMPT_FIELDS = {"question": str, "lesson": int, "answer": list, "correct": bool, "when": str}


def _attempt(item: Any, where: str) -> Attempt:
    """One attempt of the file, checked strictly (no field missing or extra, no type converted)."""
    if not isinstance(item, dict):
        raise CorruptRecord(f"not a learning record ({where}: an attempt must be an object)")
    for name, kind in ATTEMPT_FIELDS.items():
        if name not in item:
            raise CorruptRecord(f"not a learning record ({where}.{name}: missing)")
        value = item[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CorruptRecord(f"not a learning record ({where}.{name}: must be {kind.__name__})")
    extra = sorted(set(item) - set(ATTEMPT_FIELDS))
    if extra:
        raise CorruptRecord(f"not a learning record ({where}.{extra[0]}: not a field of an attempt)")
    if not all(isinstance(option, str) for option in item["answer"]):
        raise CorruptRecord(f"not a learning record ({where}.answer: the options must be text)")
    try:
        dt.datetime.fromisoformat(item["when"])
    except ValueError:
        raise CorruptRecord(f"not a learning record ({where}.when: not an ISO 8601 time)") from None
    return Attempt(item["question"], item["lesson"], tuple(item["answer"]), item["correct"], item["when"])


def parse(text: str) -> list[Attempt]:
    """The attempts in a record file's text; raises CorruptRecord when it is not a learning record."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise CorruptRecord(f"not a learning record (not JSON: {error})") from None
    if not isinstance(data, dict) or set(data) != {"format", "version", "attempts"}:
        raise CorruptRecord("not a learning record (an object with format, version and attempts is expected)")
    if data["format"] != FORMAT or data["version"] != VERSION or isinstance(data["version"], bool):
        raise CorruptRecord(f"not a learning record (format {data['format']!r}, version {data['version']!r})")
    if not isinstance(data["attempts"], list):
        raise CorruptRecord("not a learning record (attempts: must be a list)")
    return [_attempt(item, f"attempts.{index}") for index, item in enumerate(data["attempts"])]


def dump(attempts: Sequence[Attempt]) -> str:
    """A record file's text for these attempts: JSON with one attempt a line."""
    lines = "".join(f"\n{json.dumps({**asdict(a), 'answer': list(a.answer)}, ensure_ascii=False)}," for a in attempts)
    return f'{{"format": {json.dumps(FORMAT)}, "version": {VERSION}, "attempts": [{lines.rstrip(",")}\n]}}\n'


@dataclass(frozen=True)
class LessonProgress:
    """One lesson's self-check: how many questions, how many attempted, how many right at the last attempt."""

    lesson: int
    questions: int
    attempted: int
    correct: int


@dataclass(frozen=True)
class LessonCompleted:
    """A lesson whose self-check questions have all been answered: when the last of them was (ISO 8601 UTC), and
    how many were right at the latest attempt."""

    lesson: int
    when: str
    questions: int
    correct: int


def completed_lessons(attempts: Sequence[Attempt], guidance: Guidance) -> list[LessonCompleted]:
    """The lessons completed in these attempts (every question of the lesson answered), by lesson number."""
    latest = {attempt.question: attempt for attempt in attempts}
    done = []
    for lesson in sorted({question.lesson for question in guidance.questions()}):
        ids = [question.id for question in guidance.questions(lesson)]
        if all(i in latest for i in ids):
            done.append(LessonCompleted(lesson, max(latest[i].when for i in ids), len(ids),
                                        sum(latest[i].correct for i in ids)))
    return done


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=4)


class LearningRecord:
    """The attempts saved in `path` (default: `record.json` in `data_dir()`). Every method takes the lock,
    so processes sharing the file see each other's attempts. `notify` receives the message when a record
    that cannot be read is set aside (default: a Python warning). A quiz can keep its attempts here: this is
    a `widgets.Recorder`."""

    def __init__(self, path: Path | str | None = None, notify: Notify | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "record.json"
        self.lock = record_lock(self.path.with_suffix(".lock"))
        self.notify = notify or _warn

    def __repr__(self) -> str:
        return f"LearningRecord({str(self.path)!r})"

    def add(self, attempt: Attempt, notify: Notify | None = None) -> None:
        """Save one more attempt (creating the record and its directory if need be)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock:
            attempts = self._read(notify or self.notify)
            self._remove_leftovers()
            write_atomic(self.path, dump([*attempts, attempt]), mode=0o600)

    def save(self, question: QuizQuestion, chosen: Sequence[str], correct: bool) -> list[str]:
        """Save a quiz's checked attempt; returns messages for the learner (the record was set aside, or the
        attempt could not be saved: it still counts on screen)."""
        notes: list[str] = []
        try:
            self.add(Attempt.now(question.id, question.lesson, chosen, correct), notes.append)
        except OSError as error:
            notes.append(f"This attempt could not be saved in your learning record ({error}).")
        return notes

    def attempts(self) -> list[Attempt]:
        """Every attempt saved, oldest first."""
        if not self.path.parent.is_dir():
            return []
        with self.lock:
            return self._read(self.notify)

    def progress(self, guidance: Guidance) -> list[LessonProgress]:
        """Per lesson with self-check questions: questions, attempted, and correct at the latest attempt.
        Attempts at questions the content no longer has are not counted."""
        latest = {attempt.question: attempt for attempt in self.attempts()}
        lessons: dict[int, list[str]] = {}
        for question in guidance.questions():
            lessons.setdefault(question.lesson, []).append(question.id)
        return [
            LessonProgress(lesson, len(ids), sum(i in latest for i in ids),
                           sum(i in latest and latest[i].correct for i in ids))
            for lesson, ids in sorted(lessons.items())
        ]

    def _read(self, notify: Notify) -> list[Attempt]:
        """The attempts on disk (call with the lock held); sets a corrupt record aside and starts afresh."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError as error:
            return self._set_aside(f"not UTF-8 text ({error.reason})", notify)
        try:
            return parse(text)
        except CorruptRecord as error:
            return self._set_aside(str(error), notify)

    def _set_aside(self, reason: str, notify: Notify) -> list[Attempt]:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, backup)
        write_atomic(self.path, dump([]), mode=0o600)
        notify(f"Your learning record could not be read ({reason}). It was kept as {backup} and a fresh "
               "record started: attempts from now on are saved in the new record.")
        return []

    def _remove_leftovers(self) -> None:
        """Remove temporary files of writers killed part-way (none can be in use: we hold the lock)."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
