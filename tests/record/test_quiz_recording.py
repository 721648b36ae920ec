"""The quizzes save each checked attempt in the learning record when they are given one. Lessons give theirs
the user's record in a Jupyter kernel by default, as ROS1_COURSE_RECORD says otherwise; `ros1-course app` turns
it off for the kernels of the shared app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ros1_course.lesson import Lesson
from ros1_course.record import LearningRecord
from ros1_course.recording import RECORD_VARIABLE, recording_wanted
from ros1_course.serve import voila_environment
from widgets import Quiz
from widgets.quiz import QuestionCard


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never the real user data directory; no recording switch from the caller's shell."""
    monkeypatch.setenv("ROS1_COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(RECORD_VARIABLE, raising=False)
    return tmp_path


def answer(card: QuestionCard, right: bool) -> None:
    q = card.question
    chosen = [o for o in q.options if (o in q.answer) == right][:1 if q.kind == "single" or not right else None]
    card.answer.value = chosen[0] if q.kind == "single" else tuple(chosen)
    card.check_button.click()


def test_each_checked_attempt_is_saved(tmp_path: Path, guidance) -> None:
    record = LearningRecord(tmp_path / "record.json")
    quiz = Quiz(guidance, lesson=1, record=record)
    card = quiz.current
    answer(card, right=False)
    answer(card, right=True)
    card.check_button.click()  # checking the same answer again is another attempt
    attempts = record.attempts()
    assert [(a.question, a.lesson, a.correct) for a in attempts] == [
        (card.question.id, 1, False), (card.question.id, 1, True), (card.question.id, 1, True)]
    assert set(attempts[1].answer) == set(card.question.answer)
    assert all(a.when.endswith("Z") for a in attempts)
    assert "learning record" in quiz.children[-1].value
    progress = {p.lesson: p for p in record.progress(guidance)}
    assert (progress[1].attempted, progress[1].correct) == (1, 1)


def test_a_corrupt_record_shows_a_note_in_the_quiz(tmp_path: Path, guidance) -> None:
    path = tmp_path / "record.json"
    path.write_text('{"format": "ros1-course learning rec', encoding="utf-8")
    quiz = Quiz(guidance, lesson=1, record=LearningRecord(path))
    answer(quiz.current, right=True)
    feedback = quiz.current.feedback.value
    assert "Correct." in feedback and "could not be read" in feedback and "fresh record" in feedback
    assert len(LearningRecord(path).attempts()) == 1
    assert len(list(tmp_path.glob("record.json.corrupt-*"))) == 1


def test_asked_for_by_the_environment(private_data_dir: Path, monkeypatch: pytest.MonkeyPatch, guidance) -> None:
    monkeypatch.setenv(RECORD_VARIABLE, "1")
    quiz = Lesson(2, guidance).quiz()
    assert isinstance(quiz.record, LearningRecord) and quiz.record.path == private_data_dir / "record.json"
    answer(quiz.current, right=True)
    assert [a.question for a in LearningRecord(private_data_dir / "record.json").attempts()] == [
        quiz.current.question.id]


def test_a_quiz_without_a_record_keeps_nothing(private_data_dir: Path, guidance) -> None:
    quiz = Quiz(guidance, lesson=2)
    assert quiz.record is None
    answer(quiz.current, right=True)
    assert quiz.current.result is True
    assert list(private_data_dir.iterdir()) == []


def test_off_by_default_outside_a_kernel(private_data_dir: Path, guidance) -> None:
    quiz = Lesson(2, guidance).quiz()
    assert quiz.record is None
    answer(quiz.current, right=True)
    assert list(private_data_dir.iterdir()) == []


def test_the_app_command_turns_recording_off_for_its_kernels() -> None:
    environment = voila_environment({RECORD_VARIABLE: "1", "PATH": "/usr/bin"})
    assert environment[RECORD_VARIABLE] == "0"
    assert recording_wanted(in_kernel=True, environ=environment) is False


@pytest.mark.parametrize(("environ", "in_kernel", "wanted"), [
    ({}, True, True),  # a lesson in JupyterLab
    ({}, False, False),  # a script or a test
    ({"ROS1_COURSE_RECORD": "0"}, True, False),  # the kernels of `ros1-course app`
    ({"ROS1_COURSE_RECORD": "1"}, False, True),
])
def test_when_recording_is_wanted(environ: dict[str, str], in_kernel: bool, wanted: bool) -> None:
    assert recording_wanted(in_kernel, environ) is wanted


def quiz_records_in_a_real_kernel(env: dict[str, str]) -> bool:
    """Start a Jupyter kernel with `env`, build a lesson's quiz in it, and say whether it records."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", env={**os.environ, **env})
    printed: list[str] = []
    try:
        reply = client.execute_interactive(
            "from ros1_course.lesson import Lesson\nprint(Lesson(1).quiz().record is not None)", timeout=60,
            output_hook=lambda message: printed.append(message["content"].get("text", "")))
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return "".join(printed).strip() == "True"


@pytest.mark.parametrize(("env", "records"), [
    ({}, True),  # a lesson in JupyterLab
    ({"ROS1_COURSE_RECORD": "0"}, False),
    ({"ROS1_COURSE_RECORD": "1"}, True),
])
def test_lesson_quizzes_in_a_real_kernel(private_data_dir: Path, env: dict[str, str], records: bool) -> None:
    assert quiz_records_in_a_real_kernel({"ROS1_COURSE_DATA_DIR": str(private_data_dir), **env}) is records
