"""The quizzes save each checked attempt in the learning record when recording is on: in a Jupyter kernel
(the lessons) by default, never by default in Voila, and as ROS1_COURSE_RECORD says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from content.record import VOILA_VARIABLES, LearningRecord, recording_wanted
from widgets import Quiz
from widgets.quiz import QuestionCard


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never the real user data directory; no recording switch or Voila variable from the caller's shell."""
    monkeypatch.setenv("ROS1_COURSE_DATA_DIR", str(tmp_path))
    for name in ("ROS1_COURSE_RECORD", *VOILA_VARIABLES):
        monkeypatch.delenv(name, raising=False)
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


def test_asked_for_by_the_environment_outside_voila(private_data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                    guidance) -> None:
    monkeypatch.setenv("ROS1_COURSE_RECORD", "1")
    quiz = Quiz(guidance, lesson=2)
    assert quiz.record is not None and quiz.record.path == private_data_dir / "record.json"
    answer(quiz.current, right=True)
    assert [a.question for a in LearningRecord(private_data_dir / "record.json").attempts()] == [
        quiz.current.question.id]


@pytest.mark.parametrize("variable", VOILA_VARIABLES)
def test_off_in_voila_even_when_asked_for_by_the_environment(private_data_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch, variable: str,
                                                             guidance) -> None:
    monkeypatch.setenv("ROS1_COURSE_RECORD", "1")
    monkeypatch.setenv(variable, "set by voila")
    quiz = Quiz(guidance, lesson=2)
    assert quiz.record is None
    answer(quiz.current, right=True)
    assert quiz.current.result is True
    assert list(private_data_dir.iterdir()) == []  # nothing written


def test_off_by_default_outside_a_kernel(private_data_dir: Path, guidance) -> None:
    quiz = Quiz(guidance, lesson=2)
    assert quiz.record is None
    answer(quiz.current, right=True)
    assert list(private_data_dir.iterdir()) == []


def test_voila_variables_are_the_ones_voila_sets() -> None:
    from voila.utils import ENV_VARIABLE

    assert all(getattr(ENV_VARIABLE, name) == name for name in VOILA_VARIABLES)


@pytest.mark.parametrize(("environ", "in_kernel", "wanted"), [
    ({}, True, True),  # a lesson in JupyterLab
    ({}, False, False),  # a script or a test
    ({"ROS1_COURSE_RECORD": "0"}, True, False),
    ({"ROS1_COURSE_RECORD": "1"}, False, True),
    ({"VOILA_KERNEL_ID": "k"}, True, False),
    ({"VOILA_PREHEAT": "True", "ROS1_COURSE_RECORD": "1"}, True, False),
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
            "from widgets import Quiz\nprint(Quiz(lesson=1).record is not None)", timeout=60,
            output_hook=lambda message: printed.append(message["content"].get("text", "")))
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return "".join(printed).strip() == "True"


@pytest.mark.parametrize(("env", "records"), [
    ({}, True),  # a lesson in JupyterLab
    ({"ROS1_COURSE_RECORD": "0"}, False),
    ({"VOILA_KERNEL_ID": "a-kernel-id", "VOILA_BASE_URL": "/"}, False),  # the presenter app
])
def test_lesson_quizzes_in_a_real_kernel(private_data_dir: Path, env: dict[str, str], records: bool) -> None:
    assert quiz_records_in_a_real_kernel({"ROS1_COURSE_DATA_DIR": str(private_data_dir), **env}) is records
