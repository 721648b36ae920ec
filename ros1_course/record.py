"""The learning record's store: what `record_format` describes, kept in the user's data directory, never lost.

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
import os
import sys
import uuid
import warnings
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import platformdirs

from content import Guidance
from content.guidance import QuizQuestion

from .record_format import (
    Attempt,
    CorruptRecord,
    LessonProgress,
    RecordContents,
    Reflection,
    dump,
    dump_contents,
    parse,
    progress_of,
    utc_now,
    with_activity,
    with_attempt,
    with_reflection,
)

APP_NAME = "ros1-course"
DATA_DIR_VARIABLE = "ROS1_COURSE_DATA_DIR"
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
        self.change(lambda contents: with_attempt(contents, attempt), notify)

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
        return self._saved(lambda contents: with_attempt(contents, attempt), "This attempt")

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
