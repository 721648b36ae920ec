"""`ros1-course record`: progress per lesson, and a dated, print-ready summary, run as a user would."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from ros1_course.record import LearningRecord
from ros1_course.record_format import Attempt

SCRIPT = shutil.which("ros1-course", path=str(Path(sys.executable).parent))


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the ros1-course console script is installed with the project"
    env = {**os.environ, "ROS1_COURSE_DATA_DIR": str(data_dir)}
    return subprocess.run([SCRIPT, "record", *args], capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture
def record(tmp_path: Path, guidance) -> LearningRecord:
    """A record with lesson 1's first question right at the second try and its second question wrong."""
    first, second = (q.id for q in guidance.questions(1)[:2])
    record = LearningRecord(tmp_path / "record.json")
    for question, answer, correct in ((first, "a wrong option", False), (first, "the right option", True),
                                      (second, "another option", False)):
        record.add(Attempt.now(question, 1, [answer], correct))
    return record


def test_progress_per_lesson(tmp_path: Path, record: LearningRecord, guidance) -> None:
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    lessons = sorted({q.lesson for q in guidance.questions()})
    for lesson in lessons:
        assert f"Lesson {lesson}: " in result.stdout
    assert f"Lesson 1: 2 of {len(guidance.questions(1))} questions attempted, 1 correct" in result.stdout
    assert f"1 of {len(guidance.questions())} questions correct at the latest attempt; 3 attempts" in result.stdout


def test_export_a_dated_summary(tmp_path: Path, record: LearningRecord, guidance) -> None:
    target = tmp_path / "portfolio" / "summary.html"
    target.parent.mkdir()
    result = run(tmp_path, "--export", str(target))
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert dt.date.today().isoformat() in html and "Learning record" in html
    assert "ROS1-rearranged lung cancer" in html
    lesson_1 = len(guidance.questions(1))
    title = escape(guidance.lessons[1].title)
    assert (f'<tr><th scope="row">{title}</th><td>{lesson_1}</td><td>2</td><td>1</td><td>not recorded</td>'
            '<td>not recorded</td><td>not yet</td></tr>') in html  # no page reported a visit: no time claimed
    for attempt in record.attempts():
        assert attempt.when in html and attempt.answer[0] in html
    assert escape(guidance.questions(1)[0].prompt) in html
    assert "@media print" in html and "size: A4" in html
    assert [p.name for p in target.parent.iterdir()] == ["summary.html"]  # no temporary file left


def test_export_into_a_missing_directory_is_a_clear_error(tmp_path: Path, record: LearningRecord) -> None:
    result = run(tmp_path, "--export", str(tmp_path / "missing" / "summary.html"))
    assert result.returncode == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_an_empty_record(tmp_path: Path, guidance) -> None:
    result = run(tmp_path / "nothing-yet")
    assert result.returncode == 0, result.stderr
    assert "0 attempts recorded" in result.stdout
    assert not (tmp_path / "nothing-yet").exists()  # showing progress creates nothing


def test_a_corrupt_record_is_reported_and_set_aside(tmp_path: Path) -> None:
    (tmp_path / "record.json").write_text("not json", encoding="utf-8")
    result = run(tmp_path)
    assert result.returncode == 0
    assert "could not be read" in result.stderr and "corrupt-" in result.stderr
    assert len(list(tmp_path.glob("record.json.corrupt-*"))) == 1


def test_one_attempt_is_one_attempt(tmp_path: Path, guidance) -> None:
    LearningRecord(tmp_path / "record.json").add(Attempt.now(guidance.questions(1)[0].id, 1, ["a"], True))
    assert "1 attempt recorded" in run(tmp_path).stdout
