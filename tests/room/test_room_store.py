"""The room's SQLite file: one answer per question per device (a changed answer replaces it), refusals that keep
nothing, answers from several processes at once all kept, a file that is not a room's refused, and the CSV
export (no device ids; a spreadsheet formula stays text)."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from content import Guidance
from content.guidance import QuizQuestion
from ros1_course.room_store import (
    CLOSED,
    CODE_ALPHABET,
    REVEALED,
    BadRoomFile,
    ClosedQuestion,
    RoomError,
    RoomStore,
    UnknownQuestion,
    UnknownRoom,
    find_room,
    write_export,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RoomStore]:
    opened = RoomStore(tmp_path / "room-20261207-000000-1.sqlite", create=True)
    yield opened
    opened.close()


def single(guidance: Guidance) -> QuizQuestion:
    return next(q for q in guidance.questions() if q.kind == "single")


def multiple(guidance: Guidance) -> QuizQuestion:
    return next(q for q in guidance.questions() if q.kind != "single")


def test_one_answer_per_device_and_a_changed_answer_replaces_it(store: RoomStore, guidance: Guidance) -> None:
    room = store.new_room()
    assert len(room) == 5 and set(room) <= set(CODE_ALPHABET)
    question = single(guidance)
    poll = store.ask(room, question)
    assert poll.taking_answers and poll.options == question.options
    assert {poll.options[i] for i in poll.keyed} == question.answer
    store.answer(room, poll.id, "phone-a", frozenset([0]))
    store.answer(room, poll.id, "phone-b", frozenset([1]))
    store.answer(room, poll.id, "phone-a", frozenset([1]))
    assert store.count(poll.id) == 2
    assert store.spread(poll.id)[:2] == [0, 2]
    assert store.device_answer(poll.id, "phone-a") == frozenset([1])


def test_refused_answers_change_nothing(store: RoomStore, guidance: Guidance) -> None:
    room, other = store.new_room(), store.new_room()
    poll = store.ask(room, single(guidance))
    store.answer(room, poll.id, "phone", frozenset([0]))
    refusals: list[tuple[str, int, frozenset[int], type[RoomError]]] = [
        ("ZZZZZ", poll.id, frozenset([1]), UnknownRoom),
        (other, poll.id, frozenset([1]), UnknownQuestion),  # asked in another room
        (room, poll.id + 99, frozenset([1]), UnknownQuestion),
        (room, poll.id, frozenset([len(poll.options)]), RoomError),
        (room, poll.id, frozenset([-1]), RoomError),
        (room, poll.id, frozenset(), RoomError),
        (room, poll.id, frozenset([0, 1]), RoomError),  # two answers to a one-answer question
    ]
    for code, poll_id, chosen, refusal in refusals:
        with pytest.raises(refusal):
            store.answer(code, poll_id, "phone", chosen)
    assert store.device_answer(poll.id, "phone") == frozenset([0]) and store.count(poll.id) == 1


def test_a_new_question_closes_the_last_and_closed_or_revealed_questions_take_no_answers(
    store: RoomStore, guidance: Guidance
) -> None:
    room = store.new_room()
    first = store.ask(room, single(guidance))
    second = store.ask(room, multiple(guidance))
    assert store.poll(first.id).state == CLOSED and store.current(room) == second
    with pytest.raises(ClosedQuestion):
        store.answer(room, first.id, "phone", frozenset([0]))
    store.answer(room, second.id, "phone", frozenset([0, 1]))  # a choose-all-that-apply question
    assert store.spread(second.id)[:2] == [1, 1]
    store.set_state(second.id, REVEALED)
    with pytest.raises(ClosedQuestion):
        store.answer(room, second.id, "phone", frozenset([0]))
    with pytest.raises(ValueError, match="closed or revealed"):
        store.set_state(second.id, "open")


ANSWERING_PROCESS = """
import sys
from pathlib import Path
from ros1_course.room_store import RoomStore
path, room, poll, worker = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
store = RoomStore(path)
for phone in range(50):
    store.answer(room, poll, f"worker-{worker}-phone-{phone}", frozenset([phone % 2]))
store.close()
"""


def test_answers_from_four_processes_at_once_are_all_kept(store: RoomStore, guidance: Guidance) -> None:
    room = store.new_room()
    poll = store.ask(room, single(guidance))
    workers = [subprocess.Popen([sys.executable, "-c", ANSWERING_PROCESS, str(store.path), room, str(poll.id),
                                 str(n)], stderr=subprocess.PIPE, text=True) for n in range(4)]
    for worker in workers:
        _, errors = worker.communicate(timeout=60)
        assert worker.returncode == 0, errors
    assert store.count(poll.id) == 200 and store.spread(poll.id)[:2] == [100, 100]
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_file_that_is_not_a_room_is_refused_naming_it(tmp_path: Path) -> None:
    text = tmp_path / "room-notes.sqlite"
    text.write_text("not a database, just notes\n" * 100)
    with pytest.raises(BadRoomFile, match=r"room-notes\.sqlite: not a room file"):
        RoomStore(text)
    other = tmp_path / "room-other.sqlite"
    sqlite3.connect(other).execute("PRAGMA user_version = 7").connection.close()
    with pytest.raises(BadRoomFile, match="schema version 7"):
        RoomStore(other)
    with pytest.raises(BadRoomFile, match="no such room file"):
        RoomStore(tmp_path / "missing.sqlite")


def test_the_export_has_one_row_per_option_no_device_and_formulas_kept_as_text(
    store: RoomStore, guidance: Guidance, tmp_path: Path
) -> None:
    room = store.new_room()
    question = single(guidance)
    hostile = QuizQuestion(question.id, question.lesson, "single", "=HYPERLINK(\"http://x\")<b>?</b>",
                           ("+1", "@two", question.options[0]), frozenset([question.options[0]]),
                           question.explanation, question.sources, False)
    poll = store.ask(room, hostile)
    for phone, option in (("a", 0), ("b", 2), ("c", 2)):
        store.answer(room, poll.id, f"secret-device-{phone}", frozenset([option]))
    output = tmp_path / "results.csv"
    assert write_export(store, room, output) == 3
    text = output.read_text(encoding="utf-8")
    assert "secret-device" not in text
    rows = list(csv.DictReader(text.splitlines()))
    assert [row["option"] for row in rows] == ["'+1", "'@two", question.options[0]]
    assert rows[0]["question"] == "'=HYPERLINK(\"http://x\")<b>?</b>"
    assert [(row["answers"], row["share_percent"], row["keyed_answer"]) for row in rows] == [
        ("1", "33", "no"), ("0", "0", "no"), ("2", "67", "yes")]
    assert find_room(room.lower(), store.path.parent) == store.path
    assert find_room("NOPE2", store.path.parent) is None
