"""What the record keeps beside the answers: each lesson page's visit (active time, sections seen) and the
learner's reflections. Read back exactly; an older record (version 1) still read; anything else refused with
the field named and the file kept aside; the page's reports checked before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content import Guidance
from ros1_course.record import LearningRecord, write_atomic
from ros1_course.record_format import Attempt, CorruptRecord, RecordContents, completed_lessons, dump, parse
from widgets.activity import ActivitySignal, page_report
from widgets.reflection import ReflectionBox

SECTIONS = ["Overview", "Prerequisites", "Summary"]


def report(sequence: int, seconds: int, sections: list[str] = SECTIONS, seen: list[str] = SECTIONS[:1]) -> str:
    return json.dumps({"sequence": sequence, "seconds": seconds, "sections": sections, "seen": seen})


def test_visits_add_up_and_remember_every_section_seen(tmp_path: Path) -> None:
    record = LearningRecord(tmp_path / "record.json")
    assert record.note_activity(3, 40, SECTIONS, ["Overview"]) == []
    assert record.note_activity(3, 25, SECTIONS, ["Summary"]) == []
    assert record.note_activity(1, 5, ["Overview"], []) == []
    contents = record.contents()
    three = contents.visit(3)
    assert three is not None and three.seconds == 65 and three.seen == ("Overview", "Summary")
    assert not three.all_seen and three.started <= three.last_active
    assert [visit.lesson for visit in contents.visits] == [1, 3]
    assert parse((tmp_path / "record.json").read_text(encoding="utf-8")) == contents  # written as read


def test_a_reflection_replaces_the_lessons_earlier_one_and_keeps_its_words(tmp_path: Path) -> None:
    record = LearningRecord(tmp_path / "record.json")
    record.save_reflection(2, "first thoughts", "")
    words = '<script>alert("x")</script> & “quotes”\nsecond line'
    assert record.save_reflection(2, words, "test RNA too") == []
    assert len(record.contents().reflections) == 1
    kept = record.reflection(2)
    assert kept is not None and (kept.learned, kept.differently) == (words, "test RNA too")


def test_a_version_1_record_is_read_and_written_back_as_version_2(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    attempt = Attempt.now("q1", 1, ["an option"], True)
    old = {"format": "ros1-course learning record", "version": 1,
           "attempts": [{**attempt.__dict__, "answer": list(attempt.answer)}]}
    path.write_text(json.dumps(old), encoding="utf-8")
    record = LearningRecord(path)
    assert record.attempts() == [attempt]
    record.note_activity(1, 10, SECTIONS, [])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2 and len(data["attempts"]) == 1 and data["visits"][0]["seconds"] == 10


@pytest.mark.parametrize(("change", "named"), [
    (lambda d: d["visits"][0].update(seconds=-5), "visits.0.seconds"),
    (lambda d: d["visits"][0].update(seconds="10"), "visits.0.seconds"),
    (lambda d: d["visits"][0].update(seen=[1]), "visits.0.seen"),
    (lambda d: d["visits"][0].update(started="yesterday"), "visits.0.started"),
    (lambda d: d["visits"].append(dict(d["visits"][0])), "visits: lesson 3 appears more than once"),
    (lambda d: d["reflections"][0].update(learned="x" * 4001), "reflections.0.learned"),
    (lambda d: d["reflections"][0].update(mood="good"), "reflections.0.mood"),
    (lambda d: d.pop("reflections"), "version 2 keeps"),
    (lambda d: d.update(version=True), "version True"),
])
def test_a_damaged_record_is_refused_with_the_field_named_and_kept_aside(
    tmp_path: Path, change, named: str
) -> None:
    path = tmp_path / "record.json"
    record = LearningRecord(path)
    record.note_activity(3, 40, SECTIONS, ["Overview"])
    record.save_reflection(3, "learned", "differently")
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    damaged = json.dumps(data)
    write_atomic(path, damaged)
    with pytest.raises(CorruptRecord, match=named.replace(".", r"\.")):
        parse(damaged)
    notes: list[str] = []
    LearningRecord(path, notify=notes.append).contents()
    assert len(notes) == 1 and "could not be read" in notes[0]
    kept = list(tmp_path.glob("record.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == damaged  # nothing lost


def test_a_lesson_is_completed_only_when_every_section_seen_was_reported_seen(
    tmp_path: Path, guidance: Guidance
) -> None:
    answers = [Attempt.now(q.id, 2, [o for o in q.options if o in q.answer], True) for q in guidance.questions(2)]
    assert [done.lesson for done in completed_lessons(RecordContents(tuple(answers)), guidance)] == [2]
    record = LearningRecord(tmp_path / "record.json")
    write_atomic(record.path, dump(answers))
    record.note_activity(2, 600, SECTIONS, SECTIONS[:2])
    assert completed_lessons(record.contents(), guidance) == []  # the Summary was never on screen
    record.note_activity(2, 60, SECTIONS, ["Summary"])
    (done,) = completed_lessons(record.contents(), guidance)
    assert (done.lesson, done.seconds, done.correct) == (2, 660, len(answers))


@pytest.mark.parametrize("text", [
    "not json", "[]", report(1, -1), report(1, 601), report(True, 5),
    json.dumps({"sequence": 1, "seconds": 5, "sections": SECTIONS}),
    report(1, 5, ["x" * 201]), report(1, 5, [f"s{i}" for i in range(61)]), report(1, 5, [""]),
    report(1, 5, SECTIONS, [3]),  # type: ignore[list-item]
])
def test_the_page_signal_ignores_anything_the_pages_script_would_not_send(tmp_path: Path, text: str) -> None:
    assert page_report(text) is None
    record = LearningRecord(tmp_path / "record.json")
    signal = ActivitySignal(4, record)
    signal.value = text
    assert not record.path.exists()  # nothing written


def test_the_page_signal_keeps_each_report_once_in_order(tmp_path: Path) -> None:
    record = LearningRecord(tmp_path / "record.json")
    signal = ActivitySignal(4, record, idle=30, every=5)
    assert json.loads(signal.placeholder) == {"idle": 30, "every": 5}
    signal.value = report(1, 10, seen=["Overview", "Not on this page"])
    signal.value = report(2, 7)
    signal.value = report(1, 99)  # an old report again: not counted twice
    visit = record.contents().visit(4)
    assert visit is not None and visit.seconds == 17 and visit.seen == ("Overview",)


def test_the_reflection_box_saves_refuses_and_reopens(tmp_path: Path) -> None:
    record = LearningRecord(tmp_path / "record.json")
    box = ReflectionBox(5, record, max_chars=50)
    box.save()
    assert "Write something" in box.status.value and record.reflection(5) is None
    box.learned.value = "x" * 51
    box.save()
    assert "too long" in box.status.value and record.reflection(5) is None
    box.learned.value = "  <b>solvent front</b> matters  "
    box.save()
    assert "Saved in your learning record" in box.status.value
    again = ReflectionBox(5, record, max_chars=50)
    assert again.learned.value == "<b>solvent front</b> matters" and again.differently.value == ""
    assert "<b>" not in again.status.value


def test_the_reflection_box_opens_when_the_record_cannot_be_reached(tmp_path: Path) -> None:
    """As in a browser that keeps no storage for the site: reading the record fails; the lesson still opens."""
    record = LearningRecord(tmp_path / ("x" * 300) / "record.json")  # stat fails (name too long), as there
    box = ReflectionBox(5, record, max_chars=50)
    assert "cannot be read here" in box.status.value
    box.learned.value = "kept?"
    box.save()
    assert "could not be saved" in box.status.value and "Saved in your" not in box.status.value
