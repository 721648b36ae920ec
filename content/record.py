"""The learning record: every checked self-check attempt, kept in the user's data directory, never lost.

`record.json` lives in `data_dir()` (never in the repository). Every change is a read-modify-write under an
exclusive lock (`record.lock`), so two kernels writing at once lose no attempt, and every write replaces the
file atomically (temporary file in the same directory, fsync, rename), so a writer killed part-way leaves the
previous record intact. A record that cannot be read (invalid JSON, wrong shape) is moved aside to
`record.json.corrupt-<timestamp>` and a fresh one started, with a message saying so.
Pure logic: imports no widget library.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .guidance import Guidance

DATA_DIR_VARIABLE = "ROS1_COURSE_DATA_DIR"
RECORD_VARIABLE = "ROS1_COURSE_RECORD"
# Variables Voila (0.5) puts in its kernels' environment (voila/handler.py, voila_kernel_manager.py,
# notebook_renderer.py); a plain Jupyter kernel has none of them.
VOILA_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_BASE_URL", "VOILA_SERVER_URL",
                   "VOILA_REQUEST_URL", "VOILA_APP_PORT")
FORMAT = "ros1-course learning record"
VERSION = 1
COURSE_NAME = "ROS1-rearranged lung cancer: an interactive course"


class CorruptRecord(ValueError):
    """The record file holds something other than a learning record."""


def data_dir(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> Path:
    """The course's directory in the user's data directory: $ROS1_COURSE_DATA_DIR if set, else
    `ros1-course` in $XDG_DATA_HOME or ~/.local/share (Linux), ~/Library/Application Support (macOS),
    %APPDATA% (Windows)."""
    override = environ.get(DATA_DIR_VARIABLE, "").strip()
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if platform == "win32":
        base = Path(environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        xdg = environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else home / ".local" / "share"
    return base / "ros1-course"


def in_voila(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this process is a kernel Voila started (the shared presenter app)."""
    return any(name in environ for name in VOILA_VARIABLES)


def recording_wanted(in_kernel: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether quizzes record attempts by default: never in Voila; otherwise as $ROS1_COURSE_RECORD says
    (1/0), and when it says nothing, only in a Jupyter kernel (the lessons), not in scripts or tests."""
    if in_voila(environ):
        return False
    wanted = environ.get(RECORD_VARIABLE, "").strip().lower()
    if wanted in ("0", "false", "no", "off"):
        return False
    return wanted in ("1", "true", "yes", "on") or in_kernel


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


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (created if missing) until the block ends; waits for other
    holders. The operating system releases it if the holder dies, so a killed writer blocks nobody."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "nt":
            import msvcrt

            while True:
                try:
                    msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(descriptor, 0, os.SEEK_SET)
                msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def utc_now() -> str:
    """The time now in UTC, ISO 8601 to the second: '2026-01-31T09:15:02Z'."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Attempt:
    """One checked answer: which question (id and lesson), the options chosen, whether right, and when."""

    question: str
    lesson: int
    answer: tuple[str, ...]
    correct: bool
    when: str

    @classmethod
    def now(cls, question: str, lesson: int, answer: Iterable[str], correct: bool) -> Attempt:
        """An attempt made now."""
        return cls(question, lesson, tuple(answer), correct, utc_now())

    @classmethod
    def from_json(cls, data: object) -> Attempt:
        """An attempt from its JSON form; raises CorruptRecord for anything else."""
        fields = {"question": str, "lesson": int, "answer": list, "correct": bool, "when": str}
        if not isinstance(data, dict) or set(data) != set(fields):
            raise CorruptRecord(f"an attempt must have exactly the fields {', '.join(fields)}")
        for name, kind in fields.items():
            value = data[name]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise CorruptRecord(f"an attempt's {name!r} must be of type {kind.__name__}")
        if not all(isinstance(option, str) for option in data["answer"]):
            raise CorruptRecord("an attempt's 'answer' must list strings")
        try:
            dt.datetime.fromisoformat(data["when"])
        except ValueError as error:
            raise CorruptRecord(f"an attempt's 'when' is not an ISO timestamp: {data['when']!r}") from error
        return cls(data["question"], data["lesson"], tuple(data["answer"]), data["correct"], data["when"])

    def to_json(self) -> dict[str, object]:
        """The attempt as plain JSON data."""
        return {"question": self.question, "lesson": self.lesson, "answer": list(self.answer),
                "correct": self.correct, "when": self.when}


@dataclass(frozen=True)
class LessonProgress:
    """One lesson's self-check: how many questions, how many attempted, how many right at the last attempt."""

    lesson: int
    questions: int
    attempted: int
    correct: int


def parse(text: str) -> list[Attempt]:
    """The attempts in a record file's text; raises CorruptRecord when it is not a learning record."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise CorruptRecord(f"not valid JSON ({error})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("attempts"), list):
        raise CorruptRecord(f"not a learning record (expected an object with format {FORMAT!r} and attempts)")
    if data.get("version") != VERSION:
        raise CorruptRecord(f"unknown record version {data.get('version')!r} (this course reads {VERSION})")
    return [Attempt.from_json(item) for item in data["attempts"]]


def dump(attempts: Sequence[Attempt]) -> str:
    """A record file's text for these attempts: JSON with one attempt a line."""
    lines = "".join(f"\n{json.dumps(a.to_json(), ensure_ascii=False)}," for a in attempts).rstrip(",")
    return f'{{"format": {json.dumps(FORMAT)}, "version": {VERSION}, "attempts": [{lines}\n]}}\n'


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)


class LearningRecord:
    """The attempts saved in `path` (default: `record.json` in `data_dir()`). Every method takes the lock,
    so processes sharing the file see each other's attempts. `notify` receives the message when a record
    that cannot be read is set aside (default: a Python warning)."""

    def __init__(self, path: Path | str | None = None, notify: Callable[[str], None] | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / "record.json"
        self.lock_path = self.path.with_suffix(".lock")
        self.notify = notify or _warn

    def __repr__(self) -> str:
        return f"LearningRecord({str(self.path)!r})"

    def add(self, attempt: Attempt) -> None:
        """Save one more attempt (creating the record and its directory if need be)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.lock_path):
            attempts = self._read()
            self._remove_leftovers()
            write_atomic(self.path, dump([*attempts, attempt]), mode=0o600)

    def attempts(self) -> list[Attempt]:
        """Every attempt saved, oldest first."""
        if not self.path.parent.is_dir():
            return []
        with exclusive_lock(self.lock_path):
            return self._read()

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

    def _read(self) -> list[Attempt]:
        """The attempts on disk (call with the lock held); sets a corrupt record aside and starts afresh."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError as error:
            return self._set_aside(f"not UTF-8 text ({error.reason})")
        try:
            return parse(text)
        except CorruptRecord as error:
            return self._set_aside(str(error))

    def _set_aside(self, reason: str) -> list[Attempt]:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, backup)
        write_atomic(self.path, dump([]), mode=0o600)
        self.notify(f"Your learning record could not be read ({reason}). It was kept as {backup} and a fresh "
                    "record started: attempts from now on are saved in the new record.")
        return []

    def _remove_leftovers(self) -> None:
        """Remove temporary files of writers killed part-way (none can be in use: we hold the lock)."""
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()


SUMMARY_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a;
  background: #ffffff; font-size: 16px; line-height: 1.45; margin: 0; }
main { max-width: 960px; margin: 0 auto; padding: 16px 24px; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.25em; margin: 1em 0 0.3em; }
.course { font-size: 1.1em; font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0 12px; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #6b6b6b; padding: 4px 8px; vertical-align: top; text-align: left; }
thead th { background: #e8e8e8; }
.small { font-size: 0.9em; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  tr, caption { break-inside: avoid; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
}
"""


def _table(caption: str, head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """An HTML table; the first cell of each row is its header. Cells are escaped."""
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        f'<tr><th scope="row">{escape(str(cells[0]))}</th>' + "".join(f"<td>{escape(str(c))}</td>" for c in cells[1:])
        + "</tr>"
        for cells in rows
    )
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def summary_html(record: LearningRecord, guidance: Guidance, today: dt.date | None = None) -> str:
    """A dated, print-ready HTML page of the record: progress per lesson, then every attempt."""
    today = today or dt.date.today()
    prompts = {question.id: question.prompt for question in guidance.questions()}
    progress = record.progress(guidance)
    attempts = record.attempts()
    lessons = _table("Self-check questions per lesson (correct: at the latest attempt)",
                     ("Lesson", "Questions", "Attempted", "Correct"),
                     ((f"Lesson {p.lesson}", p.questions, p.attempted, p.correct) for p in progress))
    listed = _table("Attempts, oldest first", ("When (UTC)", "Lesson", "Question", "Answer chosen", "Result"), (
        (a.when, a.lesson, prompts.get(a.question, f"{a.question} (no longer in the course)"), "; ".join(a.answer),
         "Correct" if a.correct else "Not correct")
        for a in attempts
    )) if attempts else "<p>No attempts recorded yet.</p>"
    correct, questions = sum(p.correct for p in progress), sum(p.questions for p in progress)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Learning record: {escape(COURSE_NAME)}</title><style>{SUMMARY_CSS}</style></head>\n"
        f'<body><main><h1>Learning record</h1><p class="course">{escape(COURSE_NAME)}</p>'
        f'<p>Summary dated <time datetime="{today.isoformat()}">{today.day} {today:%B %Y}</time>. '
        f"Content version {escape(guidance.knowledge.fingerprint)}.</p>"
        f"<p><strong>{correct} of {questions} self-check questions answered correctly at the latest attempt; "
        f"{len(attempts)} attempt{'' if len(attempts) == 1 else 's'} in all.</strong></p>"
        f"<h2>Progress per lesson</h2>{lessons}<h2>Every attempt</h2>{listed}"
        f'<p class="small">{escape(guidance.page.disclaimer)}</p></main></body></html>\n'
    )
