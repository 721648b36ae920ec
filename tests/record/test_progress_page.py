"""*My progress* of the static site, in Python: the record's progress, its summary as a download, and deleting
it only after the confirmation."""

from __future__ import annotations

import base64
from pathlib import Path

from content import Guidance
from ros1_course.progress_page import ProgressPage
from ros1_course.record import Attempt, LearningRecord


def test_the_page_shows_the_record_and_deletes_it_only_once_confirmed(tmp_path: Path, guidance: Guidance) -> None:
    record = LearningRecord(tmp_path / "record.json")
    question = guidance.questions(2)[0]
    record.add(Attempt.now(question.id, 2, ["<b>an option</b>"], True))
    page = ProgressPage(record, guidance)
    questions = len(guidance.questions(2))
    assert f'<th scope="row">Lesson 2</th><td>{questions}</td><td>1</td><td>1</td>' in page.summary.value
    assert "1 attempt saved." in page.summary.value
    link = page.summary.value.split('href="data:text/html;charset=utf-8;base64,', 1)[1].split('"', 1)[0]
    summary = base64.b64decode(link).decode("utf-8")
    assert "Learning record" in summary and "&lt;b&gt;an option&lt;/b&gt;" in summary

    assert page.delete_button.disabled
    page.delete()
    assert record.path.exists()  # not confirmed: nothing deleted
    page.confirm.value = True
    assert not page.delete_button.disabled
    page.delete_button.click()
    assert not record.path.exists() and "deleted" in page.status.value
    assert "0 attempts saved." in page.summary.value and not page.confirm.value
