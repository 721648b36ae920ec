"""Ask the room: the room's answers in SQLite, one file per server run, shared by the server (which takes the
phones' answers) and the presenter's kernel (which asks, reveals and counts).

Standard library `sqlite3` in WAL mode: readers never wait for the writer, and every answer is committed before
the phone is told it was taken, so a server killed mid-question loses nothing already acknowledged. Nothing
personal is kept: a device is a random id its browser holds in a cookie, and the export leaves even that out.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.guidance import QuizQuestion

from .record import data_dir

ROOMS_FOLDER = "rooms"
SCHEMA_VERSION = 1
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read off a projector and typed on a phone
CODE_LENGTH = 5
KEY_GROUPS = 3
OPEN, CLOSED, REVEALED = "open", "closed", "revealed"

SCHEMA = f"""
PRAGMA user_version = {SCHEMA_VERSION};
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS polls (
    id INTEGER PRIMARY KEY,
    room TEXT NOT NULL REFERENCES rooms(code),
    question_id TEXT NOT NULL,
    prompt TEXT NOT NULL,
    options TEXT NOT NULL,
    multiple INTEGER NOT NULL,
    keyed TEXT NOT NULL,
    explanation TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('{OPEN}', '{CLOSED}', '{REVEALED}')),
    opened TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    poll INTEGER NOT NULL REFERENCES polls(id),
    device TEXT NOT NULL,
    chosen TEXT NOT NULL,
    answered TEXT NOT NULL,
    PRIMARY KEY (poll, device)
);
"""


class RoomError(Exception):
    """An answer the room does not take; `status` is the HTTP status a phone is given with the message."""

    status = 400


class UnknownRoom(RoomError):
    status = 404


class UnknownQuestion(RoomError):
    status = 404


class ClosedQuestion(RoomError):
    status = 409


class BadRoomFile(Exception):
    """A room file that is not one of the course's (or is from a newer version of it)."""


@dataclass(frozen=True)
class Poll:
    """One asking of a self-check question in a room: its options, the keyed ones (indexes), its state."""

    id: int
    room: str
    question_id: str
    prompt: str
    options: tuple[str, ...]
    multiple: bool
    keyed: frozenset[int]
    explanation: str
    state: str
    opened: str

    @property
    def taking_answers(self) -> bool:
        return self.state == OPEN


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def new_code(taken: Sequence[str] = ()) -> str:
    """A room code of five characters nobody misreads, not one of `taken`."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def new_presenter_key() -> str:
    """The presenter's key: three groups of four characters (60 bits), printed in the presenter's terminal."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(KEY_GROUPS))


def normal_code(text: str) -> str:
    """A room code as typed (any case, spaces) in its stored form."""
    return "".join(text.split()).upper()


def _key_hash(key: str) -> str:
    return hashlib.sha256(normal_code(key).encode()).hexdigest()


def rooms_folder() -> Path:
    """Where the room files are kept: the course's user data folder."""
    return data_dir() / ROOMS_FOLDER


def new_room_file(folder: Path | None = None) -> Path:
    """A fresh room file's path for this server run (named for its start, so the newest sorts last)."""
    folder = folder or rooms_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return folder / f"room-{stamp}-{os.getpid()}.sqlite"


class RoomStore:
    """The room file of one server run. Each process (and thread) opens its own `RoomStore`."""

    def __init__(self, path: Path, create: bool = False) -> None:
        if not create and not path.is_file():
            raise BadRoomFile(f"{path}: no such room file")
        self.path = path
        self.db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA busy_timeout = 10000")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if create and version == 0:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.executescript(SCHEMA)
            elif version != SCHEMA_VERSION:
                raise BadRoomFile(f"{path}: not a room file of this course (schema version {version}, expected "
                                  f"{SCHEMA_VERSION})")
            self.db.execute("PRAGMA synchronous = FULL")  # an acknowledged answer survives a power cut too
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise BadRoomFile(f"{path}: not a room file ({error})") from error

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- the presenter's key and the rooms ---------------------------------------------------------------
    def set_presenter_key(self, key: str) -> None:
        with self._writing() as db:
            db.execute("INSERT OR REPLACE INTO settings VALUES ('presenter_key', ?)", (_key_hash(key),))

    def presenter_key_matches(self, key: str) -> bool:
        row = self.db.execute("SELECT value FROM settings WHERE name = 'presenter_key'").fetchone()
        return row is not None and hmac.compare_digest(row[0], _key_hash(key))

    def new_room(self) -> str:
        """Open a room (a group answering together) and return its code."""
        with self._writing() as db:
            code = new_code([row[0] for row in db.execute("SELECT code FROM rooms")])
            db.execute("INSERT INTO rooms VALUES (?, ?)", (code, utc_now()))
        return code

    def rooms(self) -> list[str]:
        """The rooms' codes, oldest first."""
        return [row[0] for row in self.db.execute("SELECT code FROM rooms ORDER BY created, rowid")]

    def has_room(self, code: str) -> bool:
        return self.db.execute("SELECT 1 FROM rooms WHERE code = ?", (code,)).fetchone() is not None

    # --- asking ------------------------------------------------------------------------------------------
    def ask(self, room: str, question: QuizQuestion) -> Poll:
        """Put `question` to the room: the room's earlier question stops taking answers."""
        keyed = sorted(index for index, option in enumerate(question.options) if option in question.answer)
        with self._writing() as db:
            if not self.has_room(room):
                raise UnknownRoom(f"There is no room {room}.")
            db.execute("UPDATE polls SET state = ? WHERE room = ? AND state = ?", (CLOSED, room, OPEN))
            cursor = db.execute(
                "INSERT INTO polls (room, question_id, prompt, options, multiple, keyed, explanation, state, opened)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (room, question.id, question.prompt, json.dumps(question.options), question.kind != "single",
                 json.dumps(keyed), question.explanation, OPEN, utc_now()))
        poll = self.poll(int(cursor.lastrowid or 0))
        assert poll is not None
        return poll

    def set_state(self, poll_id: int, state: str) -> None:
        """Close a poll (no more answers) or reveal it (closed, and the spread shown)."""
        if state not in (CLOSED, REVEALED):
            raise ValueError(f"a poll is closed or revealed, not {state!r}")
        with self._writing() as db:
            db.execute("UPDATE polls SET state = ? WHERE id = ?", (state, poll_id))

    def poll(self, poll_id: int) -> Poll | None:
        row = self.db.execute("SELECT * FROM polls WHERE id = ?", (poll_id,)).fetchone()
        return _poll(row) if row else None

    def current(self, room: str) -> Poll | None:
        """The room's latest question (open, closed or revealed), or None before the first."""
        row = self.db.execute("SELECT * FROM polls WHERE room = ? ORDER BY id DESC LIMIT 1", (room,)).fetchone()
        return _poll(row) if row else None

    def polls(self, room: str) -> list[Poll]:
        return [_poll(row) for row in self.db.execute("SELECT * FROM polls WHERE room = ? ORDER BY id", (room,))]

    # --- answering ---------------------------------------------------------------------------------------
    def answer(self, room: str, poll_id: int, device: str, chosen: frozenset[int]) -> None:
        """Keep a device's answer to the room's open question (a changed answer replaces the earlier one);
        a RoomError, with nothing kept, for an unknown room or question, a closed question or a bad option."""
        with self._writing() as db:
            if not self.has_room(room):
                raise UnknownRoom(f"There is no room {room}. Check the code on the presenter's screen.")
            poll = self.poll(poll_id)
            if poll is None or poll.room != room:
                raise UnknownQuestion("That question was not asked in this room.")
            if not poll.taking_answers:
                raise ClosedQuestion("That question is closed: the room has moved on.")
            if not chosen or not all(0 <= index < len(poll.options) for index in chosen):
                raise RoomError("Choose one of the question's options.")
            if len(chosen) > 1 and not poll.multiple:
                raise RoomError("This question takes one answer.")
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                       (poll_id, device, json.dumps(sorted(chosen)), utc_now()))

    def device_answer(self, poll_id: int, device: str) -> frozenset[int] | None:
        row = self.db.execute("SELECT chosen FROM answers WHERE poll = ? AND device = ?",
                              (poll_id, device)).fetchone()
        return frozenset(json.loads(row[0])) if row else None

    def count(self, poll_id: int) -> int:
        """How many devices have answered."""
        return int(self.db.execute("SELECT COUNT(*) FROM answers WHERE poll = ?", (poll_id,)).fetchone()[0])

    def spread(self, poll_id: int) -> list[int]:
        """For each option of the poll, how many devices chose it."""
        poll = self.poll(poll_id)
        counts = [0] * (len(poll.options) if poll else 0)
        for (chosen,) in self.db.execute("SELECT chosen FROM answers WHERE poll = ?", (poll_id,)):
            for index in json.loads(chosen):
                counts[index] += 1
        return counts


def _poll(row: tuple[Any, ...]) -> Poll:
    """A row of the polls table (its columns in order) as a Poll."""
    poll_id, room, question_id, prompt, options, multiple, keyed, explanation, state, opened = row
    return Poll(poll_id, room, question_id, prompt, tuple(json.loads(options)), bool(multiple),
                frozenset(json.loads(keyed)), explanation, state, opened)


EXPORT_FIELDS = ("room", "asked", "question", "question_id", "option", "keyed_answer", "answers", "share_percent",
                 "devices_answering")


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(store: RoomStore, room: str) -> list[dict[str, str]]:
    """One row per option of every question asked in the room: its answers and share (no device ids)."""
    rows = []
    for poll in store.polls(room):
        spread, answering = store.spread(poll.id), store.count(poll.id)
        for index, option in enumerate(poll.options):
            share = f"{100 * spread[index] / answering:.0f}" if answering else "0"
            rows.append({"room": room, "asked": poll.opened, "question": _cell(poll.prompt),
                         "question_id": poll.question_id, "option": _cell(option),
                         "keyed_answer": "yes" if index in poll.keyed else "no", "answers": str(spread[index]),
                         "share_percent": share, "devices_answering": str(answering)})
    return rows


def write_export(store: RoomStore, room: str, output: Path) -> int:
    """Write the room's results as CSV (written whole, then moved into place); the number of rows."""
    rows = export_rows(store, room)
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    partial.replace(output)
    return len(rows)


def find_room(code: str, folder: Path | None = None) -> Path | None:
    """The newest room file that holds room `code`."""
    wanted = normal_code(code)
    for path in sorted((folder or rooms_folder()).glob("room-*.sqlite"), reverse=True):
        try:
            store = RoomStore(path)
        except BadRoomFile:
            continue
        try:
            if store.has_room(wanted):
                return path
        finally:
            store.close()
    return None


def latest_room_file(folder: Path | None = None) -> Path | None:
    """The newest room file (the last server run's), for `--room --resume`."""
    found = sorted((folder or rooms_folder()).glob("room-*.sqlite"))
    return found[-1] if found else None
