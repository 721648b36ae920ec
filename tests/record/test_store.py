"""The learning record's store, with real processes: atomic writes survive a writer killed part-way, a corrupt
record is set aside with a message, and concurrent writers lose no attempt."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import platformdirs
import pytest

from ros1_course.record import LearningRecord, data_dir, write_atomic
from ros1_course.record_format import Attempt, dump, parse

WRITER = Path(__file__).with_name("writer.py")


def start_writer(path: Path, tag: str, count: int, start_when: Path | None = None) -> subprocess.Popen[str]:
    command = [sys.executable, str(WRITER), str(path), tag, str(count)]
    if start_when:
        command += ["--start-when", str(start_when)]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready", writer.stderr
    return writer


def acknowledged(writer: subprocess.Popen[str], tag: str, lines: list[str]) -> set[str]:
    """The attempts a writer said were saved (it prints an index once `add` has returned)."""
    assert not [line for line in lines if line.startswith("NOTICE")], lines
    return {f"{tag}-{int(line)}" for line in lines if line.strip().isdigit()}


def temporary_files(directory: Path) -> set[str]:
    return {entry.name for entry in os.scandir(directory) if entry.name.endswith(".tmp")}


def kill_during_a_write(writer: subprocess.Popen[str], directory: Path, seen: set[str]) -> bool:
    """SIGKILL the writer the moment a new temporary file appears; True if it was still there after the
    writer died, i.e. the writer was killed part-way through a write."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not temporary_files(directory) - seen:
        pass
    writer.kill()
    writer.wait()
    return bool(temporary_files(directory) - seen)


def test_a_writer_killed_part_way_loses_no_acknowledged_attempt(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    earlier = [Attempt.now(f"earlier-{i}", 0, ["an option"], True) for i in range(2000)]
    write_atomic(path, dump(earlier))  # a long record, so each write takes a while
    saved, killed_mid_write, rounds = {a.question for a in earlier}, 0, 0
    while rounds < 40 and (rounds < 12 or killed_mid_write < 3):
        tag = f"round{rounds}"
        writer = start_writer(path, tag, 10_000)
        assert writer.stdout is not None
        lines = [writer.stdout.readline()]
        if rounds % 2:  # at a random moment
            time.sleep(random.uniform(0, 0.1))
            writer.kill()
            writer.wait()
        else:  # while it writes the temporary file
            killed_mid_write += kill_during_a_write(writer, tmp_path, temporary_files(tmp_path))
        lines += writer.stdout.read().splitlines()
        saved |= acknowledged(writer, tag, lines)
        attempts = parse(path.read_text(encoding="utf-8")).attempts  # valid after every kill
        assert saved <= {a.question for a in attempts}
        rounds += 1
    assert killed_mid_write >= 1, "no writer was killed part-way through a write"
    notices: list[str] = []
    record = LearningRecord(path, notify=notices.append)
    record.add(Attempt.now("after", 1, ["x"], True))
    assert notices == []  # the record was never corrupt
    assert saved | {"after"} <= {a.question for a in record.attempts()}
    assert temporary_files(tmp_path) == set()  # the killed writers' leftovers are cleaned up


def test_concurrent_writers_lose_no_attempt(tmp_path: Path) -> None:
    path, go, count = tmp_path / "ros1-course" / "record.json", tmp_path / "go", 40
    writers = {f"kernel{i}": start_writer(path, f"kernel{i}", count, start_when=go) for i in range(4)}
    go.touch()
    expected: set[str] = set()
    for tag, writer in writers.items():
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        expected |= acknowledged(writer, tag, out.splitlines())
    assert len(expected) == 4 * count
    questions = [a.question for a in LearningRecord(path).attempts()]
    assert sorted(questions) == sorted(expected)  # every attempt, once each
    for tag in writers:  # each writer's attempts in the order it made them
        own = [q for q in questions if q.startswith(f"{tag}-")]
        assert own == [f"{tag}-{i}" for i in range(count)]


BROKEN = {
    "invalid JSON": '{"format": "ros1-course learning record", "version": 1, "attempts": [{"question": ',
    "empty file": "",
    "wrong shape": json.dumps([{"question": "q", "correct": True}]),
    "attempt missing a field": json.dumps({"format": "ros1-course learning record", "version": 1,
                                           "attempts": [{"question": "q", "lesson": 1, "correct": True}]}),
    "wrong field type": json.dumps({"format": "ros1-course learning record", "version": 1, "attempts": [
        {"question": "q", "lesson": "one", "answer": [], "correct": True, "when": "2026-01-01T00:00:00Z"}]}),
    "not UTF-8": b"\xff\xfe\x00garbage",
}


BROKEN["a lesson that is true"] = json.dumps({"format": "ros1-course learning record", "version": 1, "attempts": [
    {"question": "q", "lesson": True, "answer": [], "correct": True, "when": "2026-01-01T00:00:00Z"}]})
BROKEN["an extra field"] = json.dumps({"format": "ros1-course learning record", "version": 1, "attempts": [
    {"question": "q", "lesson": 1, "answer": [], "correct": True, "when": "2026-01-01T00:00:00Z", "name": "x"}]})
BROKEN["not a time"] = json.dumps({"format": "ros1-course learning record", "version": 1, "attempts": [
    {"question": "q", "lesson": 1, "answer": ["a"], "correct": True, "when": "yesterday"}]})


@pytest.mark.parametrize("broken", BROKEN.values(), ids=BROKEN.keys())
def test_a_corrupt_record_is_kept_aside_and_a_fresh_one_started(tmp_path: Path, broken: str | bytes) -> None:
    path = tmp_path / "record.json"
    if isinstance(broken, bytes):
        path.write_bytes(broken)
    else:
        path.write_text(broken, encoding="utf-8")
    messages: list[str] = []
    record = LearningRecord(path, notify=messages.append)
    record.add(Attempt.now("panel-finding", 1, ["an option"], True))
    backups = list(tmp_path.glob("record.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == (broken if isinstance(broken, bytes) else broken.encode("utf-8"))
    assert len(messages) == 1
    assert "could not be read" in messages[0] and str(backups[0]) in messages[0] and "fresh" in messages[0]
    assert [a.question for a in record.attempts()] == ["panel-finding"]
    assert len(messages) == 1  # the fresh record reads cleanly


def test_reading_a_corrupt_record_sets_it_aside_too(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text("{half", encoding="utf-8")
    with pytest.warns(UserWarning, match="could not be read"):
        assert LearningRecord(path).attempts() == []
    assert parse(path.read_text(encoding="utf-8")).attempts == ()
    assert len(list(tmp_path.glob("record.json.corrupt-*"))) == 1


def test_attempts_round_trip_and_progress_counts_the_latest_attempt(tmp_path: Path, guidance) -> None:
    record = LearningRecord(tmp_path / "new" / "record.json")
    assert record.attempts() == []  # nothing on disk yet, and nothing created by reading
    assert not (tmp_path / "new").exists()
    lesson_1 = [q.id for q in guidance.questions(1)]
    attempts = [
        Attempt.now(lesson_1[0], 1, ["a"], False),
        Attempt.now(lesson_1[0], 1, ["b"], True),  # right at the second try
        Attempt.now(lesson_1[1], 1, ["c"], True),
        Attempt.now(lesson_1[1], 1, ["d"], False),  # wrong at the latest try
        Attempt.now("a-question-since-removed", 1, ["e"], True),
    ]
    for attempt in attempts:
        record.add(attempt)
    assert record.attempts() == attempts
    progress = {p.lesson: p for p in record.progress(guidance)}
    assert sorted(progress) == sorted({q.lesson for q in guidance.questions()})
    assert (progress[1].questions, progress[1].attempted, progress[1].correct) == (len(lesson_1), 2, 1)
    assert (progress[2].attempted, progress[2].correct) == (0, 0)


def test_the_record_lives_in_the_users_data_directory_never_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir({}) == Path(platformdirs.user_data_dir("ros1-course", appauthor=False))
    if sys.platform.startswith("linux"):
        assert data_dir({}) == tmp_path / "xdg" / "ros1-course"
    assert data_dir({"ROS1_COURSE_DATA_DIR": str(tmp_path / "mine")}) == tmp_path / "mine"
    repository = Path(__file__).resolve().parents[2]
    monkeypatch.delenv("XDG_DATA_HOME")
    assert repository not in data_dir({}).parents


def test_write_atomic_into_a_missing_directory_fails_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "file.html", "text")
    assert list(tmp_path.iterdir()) == []


def test_in_the_browser_the_record_is_kept_without_a_file_lock(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Pyodide has no fcntl, and filelock's marker file would stay on the pages' drive: no lock there."""
    monkeypatch.setattr(sys, "platform", "emscripten")
    record = LearningRecord(tmp_path / "record.json")
    record.add(Attempt.now("q", 1, ["a"], True))
    assert [a.question for a in record.attempts()] == ["q"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]  # no lock file left behind
