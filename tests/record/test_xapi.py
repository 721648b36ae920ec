"""`ros1-course record --xapi`: the record as xAPI 1.0.3 statements, validated with a maintained xAPI model
library (ralph-malph's pydantic models), not a schema written here; the actor named or anonymous; a lesson
completed only when all its questions are answered; ids stable across exports; a corrupt record refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.concepts.verbs.adl_vocabulary import AnsweredVerb
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb

from content import Guidance
from ros1_course.record import LearningRecord
from ros1_course.record_format import Attempt

SCRIPT = shutil.which("ros1-course", path=str(Path(sys.executable).parent))


def export(data: Path, *options: str) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    assert SCRIPT
    output = data / "statements.json"
    result = subprocess.run([SCRIPT, "record", "--xapi", str(output), *options], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "ROS1_COURSE_DATA_DIR": str(data)}, check=False)
    return result, json.loads(output.read_text(encoding="utf-8")) if output.exists() else []


def answer_lesson(record: LearningRecord, guidance: Guidance, lesson: int, wrong_first: bool = True) -> None:
    for number, question in enumerate(guidance.questions(lesson)):
        keyed = [option for option in question.options if option in question.answer]
        if wrong_first and number == 0:
            other = next(option for option in question.options if option not in question.answer)
            record.add(Attempt.now(question.id, lesson, [other], False))
        record.add(Attempt.now(question.id, lesson, keyed, number != 1))  # the second one marked wrong


def test_statements_validate_against_ralphs_xapi_models(tmp_path: Path, guidance: Guidance) -> None:
    record = LearningRecord(tmp_path / "record.json")
    answer_lesson(record, guidance, 2)
    started = guidance.questions(3)[0]
    record.add(Attempt.now(started.id, 3, [started.options[0]], started.options[0] in started.answer))
    result, made = export(tmp_path, "--name", "A. Trainee <b>")
    assert result.returncode == 0, result.stderr
    attempts = len(record.attempts())
    assert f"Wrote {attempts + 1} xAPI statements (as A. Trainee <b>)" in result.stdout
    for statement in made:
        BaseXapiStatement.model_validate(statement)  # raises on anything xAPI does not allow
        assert statement["version"] == "1.0.3"
    answered = [s for s in made if s["verb"]["id"].endswith("/answered")]
    completed = [s for s in made if s["verb"]["id"].endswith("/completed")]
    assert len(answered) == attempts and len(completed) == 1  # lesson 3 is started, not completed
    for statement in answered:
        AnsweredVerb.model_validate(statement["verb"])
    CompletedVerb.model_validate(completed[0]["verb"])
    lesson_2 = len(guidance.questions(2))
    assert completed[0]["object"]["id"].endswith("/lessons/02")
    assert completed[0]["result"]["score"] == {"raw": lesson_2 - 1, "min": 0, "max": lesson_2,
                                               "scaled": round((lesson_2 - 1) / lesson_2, 4)}
    assert completed[0]["result"]["success"] is False
    assert "duration" not in completed[0]["result"]  # time spent is not recorded: not claimed
    first = answered[0]
    question = guidance.questions(2)[0]
    assert first["object"]["definition"]["name"] == {"en-GB": question.prompt}
    assert first["result"]["success"] is False
    keyed = [f"option-{n}" for n, option in enumerate(question.options) if option in question.answer]
    assert first["object"]["definition"]["correctResponsesPattern"] == ["[,]".join(keyed)]
    assert first["actor"]["name"] == "A. Trainee <b>"  # JSON text, never markup


def test_the_anonymous_actor_has_only_this_computers_random_id_and_ids_are_stable(
    tmp_path: Path, guidance: Guidance
) -> None:
    record = LearningRecord(tmp_path / "record.json")
    answer_lesson(record, guidance, 1, wrong_first=False)
    result, made = export(tmp_path)
    assert result.returncode == 0 and "(anonymous)" in result.stdout
    actor = made[0]["actor"]
    assert set(actor) == {"objectType", "account"} and actor["account"]["name"] == (
        tmp_path / "learner-id").read_text().strip()
    _, again = export(tmp_path)
    assert [s["id"] for s in again] == [s["id"] for s in made]  # a store never gets a statement twice
    _, elsewhere = export(tmp_path, "--activity-base", "https://learning.example.nhs.uk/ros1")
    assert elsewhere[0]["object"]["id"].startswith("https://learning.example.nhs.uk/ros1/questions/")


def test_a_corrupt_record_is_set_aside_and_the_export_says_so(tmp_path: Path) -> None:
    (tmp_path / "record.json").write_text('{"format": "something else"}', encoding="utf-8")
    result, made = export(tmp_path)
    assert result.returncode == 0 and made == []
    assert "could not be read" in result.stderr
    assert list(tmp_path.glob("record.json.corrupt-*"))  # kept, not lost
